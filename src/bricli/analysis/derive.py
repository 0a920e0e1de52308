"""Values bricli computes from stated figures, always labelled as derived.

Only exact figures from one source are combined (see model/series.py). Each
derived value keeps its formula and the ids of its inputs, so a reader can
redo the sum by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from bricli.model import countries
from bricli.model.facts import Fact
from bricli.model.vocab import SCALES
from bricli.model.periods import Period, parse_period, prior
from bricli.model.series import is_exact, series_key, trade_triples, value_of
from bricli.model.wording import amount, change_text, decimal_text

HUNDRED = Decimal(100)
PRICE_WORDS = {"constant-2021": "constant 2021 prices"}


@dataclass(slots=True)
class Derived:
    id: str
    kind: str  # balance | implied-prior | share
    topic: str
    label: str
    value: Decimal  # in `scale` units, exact result of the formula
    places: int  # decimals shown
    unit: str | None
    scale: str
    formula: str
    inputs: tuple[str, ...]
    source_id: str
    approximate: bool
    metric: str | None = None
    direction: str | None = None
    countries: tuple[str, ...] = ()
    period: str | None = None
    as_of: str | None = None
    when: str | None = None
    note: str | None = None
    prices: str = "nominal"  # the price basis of its inputs (never mixed): nominal or constant-2021
    type: str = field(default="derived")

    @property
    def value_text(self) -> str:
        return decimal_text(self.value, self.places)

    def display(self, short: bool = False, amount_only: bool = False) -> str:
        """"≈ US$130.86 bn"; `amount_only`: without the ≈ (what a table keeps on one line)."""
        text = amount(self.value_text, self.unit, self.scale, short=short)
        if self.kind == "balance":  # the label says surplus or deficit; the amount reads as its size
            text = text.lstrip("−")
        if self.prices != "nominal":  # constant 2021 dollars: said beside the amount, never left to the label
            text += f" ({PRICE_WORDS.get(self.prices, self.prices)})"
        return f"≈ {text}" if self.approximate and not amount_only else text


Item = Fact | Derived  # what a query selects: a stated fact or a derived value


def _in_scale(f: Fact, scale: str) -> Decimal:
    return value_of(f).decimal * SCALES[f.scale] / SCALES[scale]


def _places_in(f: Fact, scale: str) -> int:
    """Decimals needed to show f's stated digits in another scale: 500 million is 0.5 billion."""
    shift = len(str(SCALES[scale] // SCALES[f.scale])) - 1 if SCALES[scale] > SCALES[f.scale] else 0
    return value_of(f).decimals + shift


def _names(codes: Iterable[str]) -> str:
    return " and ".join(countries.name(c) for c in codes)


def balances(facts: list[Fact]) -> list[Derived]:
    out = []
    for exp, imp, _total in trade_triples(facts):
        scale = exp.scale
        value = _in_scale(exp, scale) - _in_scale(imp, scale)
        places = max(_places_in(exp, scale), _places_in(imp, scale))
        reporter, *partners = exp.countries or ("?",)
        who, partner = countries.name(reporter), _names(partners) or "the partner"
        # exports − imports from the reporter's side: below zero, the reporter buys more than it sells
        what = "surplus" if value > 0 else "deficit" if value < 0 else "balanced trade"
        out.append(Derived(
            id=f"derived.balance.{exp.id}",
            kind="balance",
            topic=exp.topic,
            label=f"{who}'s trade {what} with {partner} (exports − imports)",
            value=value,
            places=places,
            unit=exp.unit,
            scale=scale,
            formula=f"{exp.value} − {imp.value} ({exp.id} − {imp.id})",
            inputs=(exp.id, imp.id),
            source_id=exp.source.id,
            approximate=False,
            metric=exp.metric,
            direction="balance",
            countries=exp.countries,
            period=exp.period,
            as_of=exp.as_of,
            note=f"{who} {'sells more than it buys' if value > 0 else 'buys more than it sells' if value < 0 else 'sells as much as it buys'}",
        ))
    return out


@lru_cache(maxsize=65536)  # a base repeats a few hundred period strings across thousands of facts
def _span_and_prior(period: str) -> tuple[tuple[date, date], Period | None]:
    """The first and last day of a period, and the same span a year earlier (None: none)."""
    p = parse_period(period)
    return (p.first, p.last), prior(p)


def implied_priors(facts: list[Fact], lookup: list[Fact] | None = None) -> list[Derived]:
    """The earlier value a stated change implies, where the source states no figure for that
    period itself (same series: source, metric, countries, unit, measure, basis, direction)."""
    stated = set()
    for g in (facts if lookup is None else lookup):
        if g.type == "figure" and g.value is not None and g.period:
            stated.add((series_key(g), g.direction, *_span_and_prior(g.period)[0]))
    out = []
    for f in facts:
        if not (is_exact(f) and f.change_pct is not None and f.period):
            continue
        _, before = _span_and_prior(f.period)
        if before is None or (series_key(f), f.direction, before.first, before.last) in stated:
            continue
        factor = 1 + f.change_pct.decimal / HUNDRED
        if factor <= 0:
            continue
        out.append(Derived(
            id=f"derived.prior.{f.id}",
            kind="implied-prior",
            topic=f.topic,
            label=f"A year earlier, implied by the stated change of {change_text(f.change_pct)}: {f.label}",
            value=value_of(f).decimal / factor,
            places=value_of(f).decimals,
            unit=f.unit,
            scale=f.scale,
            formula=f"{f.value} / (1 + {f.change_pct}/100) ({f.id})",
            inputs=(f.id,),
            source_id=f.source.id,
            approximate=True,
            metric=f.metric,
            direction=f.direction,
            countries=f.countries,
            period=before.text,
            note="rounded: the stated figures are rounded, so this is approximate",
        ))
    return out


def shares(facts: list[Fact], lookup: list[Fact] | None = None) -> list[Derived]:
    """Shares for the facts given; their parts and wholes are looked up in `lookup` (default: the same facts)."""
    by_id = {f.id: f for f in (facts if lookup is None else lookup)}
    out = []
    for f in facts:
        if not f.ratio_of:
            continue
        part, whole = (by_id.get(i) for i in f.ratio_of)
        if not (part and whole and is_exact(part) and is_exact(whole) and part.unit == whole.unit):
            continue
        w = value_of(whole).decimal * SCALES[whole.scale]
        if w == 0:
            continue
        value = value_of(part).decimal * SCALES[part.scale] / w * HUNDRED
        out.append(Derived(
            id=f"derived.share.{f.id}",
            kind="share",
            topic=f.topic,
            label=f"{f.label}, computed from the two stated figures",
            value=value,
            places=max(2, 2 - value.adjusted()) if value else 2,  # at least three significant digits
            unit="percent",
            scale="one",
            formula=f"{part.value} {part.scale} / {whole.value} {whole.scale} × 100 ({part.id} / {whole.id})",
            inputs=(part.id, whole.id),
            source_id=f.source.id,
            approximate=True,
            metric=f.metric,
            countries=f.countries,
            period=f.period,
            as_of=f.as_of,
            when=f.when,
            note=f"the source states {f.value}%",
        ))
    return out


@dataclass(frozen=True)
class DatasetSum:
    """A yearly sum bricli makes of one imported dataset's records (`bricli series` shows it by year)."""

    series: str  # the series id
    title: str  # the series' label: the dataset's name, what is summed, where
    source_id: str  # the dataset's source (importers/: the id its importer registers)
    metric: str
    prices: str  # the price basis of every record summed (never mixed)
    region: str  # records whose recipient is this region (LCN) or one of its members (countries.REGION_MEMBERS)


# One row per dataset bricli sums (a new dataset's sum is a row here and a test).
DATASET_SUMS = (
    DatasetSum("gcdf-commitments-chn-lcn-usd-constant-2021",
               "GCDF commitments to Latin America and the Caribbean by year", "aiddata-gcdf-3.0",
               "development-finance", "constant-2021", "LCN"),
)


@lru_cache(maxsize=4096)
def _whole_year(period: str) -> int | None:
    """The year a period is, when it is one whole calendar year (a record's commitment year)."""
    try:
        p = parse_period(period)
    except ValueError:
        return None
    if p.start is None or p.end is None or p.is_partial or p.first.year != p.last.year:
        return None
    return p.first.year


def summed(f: Fact, spec: DatasetSum) -> int | None:
    """The year `f` counts in for `spec`'s sum, or None: an exact amount of the dataset recommended for
    aggregates (`is_exact`), on the sum's price basis, in US dollars, for one whole year, whose recipient
    is the region or a member of it."""
    if f.source.id != spec.source_id or f.metric != spec.metric or f.prices != spec.prices or not is_exact(f):
        return None
    if f.unit != "USD" or f.basis != "reported" or not f.period or f.as_of:
        return None
    others = [c for c in f.countries if c != "CHN"]
    if not others or any(c != spec.region and c not in countries.REGION_MEMBERS for c in others):
        return None
    return _whole_year(f.period)


def dataset_sums(facts: list[Fact]) -> list[Derived]:
    """Each year's sum of every DATASET_SUMS row, from the records in `facts` (the whole base): a derived
    value per year with its records as inputs, never a stated figure."""
    out = []
    for spec in DATASET_SUMS:
        years: dict[int, list[Fact]] = {}
        for f in facts:
            y = summed(f, spec)
            if y is not None:
                years.setdefault(y, []).append(f)
        for year in sorted(years):
            members = years[year]
            total = sum((value_of(f).decimal * SCALES[f.scale] for f in members), Decimal(0))
            places = max(value_of(f).decimals for f in members)
            n = len(members)
            records = f"{n} record{'' if n == 1 else 's'}"
            out.append(Derived(
                id=f"derived.sum.{spec.series}.{year}",
                kind="sum",
                topic=members[0].topic,
                label=f"{spec.title.removesuffix(' by year')}, {year}: the sum of {records} (constant 2021 US$)",
                value=total,
                places=places,
                unit="USD",
                scale="one",
                formula=f"the sum of the amounts of the {records} in inputs ({spec.source_id}: recommended for "
                        f"aggregates, committed in {year}, recipient in {countries.name(spec.region)})",
                inputs=tuple(f.id for f in members),
                source_id=spec.source_id,
                approximate=False,
                metric=spec.metric,
                countries=("CHN", spec.region),
                period=str(year),
                note=f"computed by bricli, not stated by the dataset: {records}, in constant 2021 US dollars (never "
                     f"added to nominal amounts); list them with: bricli series {spec.series} --alternates --year {year}",
                prices=spec.prices,
            ))
    return out


def derive_all(facts: list[Fact], lookup: list[Fact] | None = None) -> list[Derived]:
    """Every derived value from `facts`; ratio inputs may come from `lookup` (the whole base)."""
    return balances(facts) + implied_priors(facts, lookup) + shares(facts, lookup) + dataset_sums(facts)
