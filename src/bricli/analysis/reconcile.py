"""Series of a figure by year across sources, and the one rule that picks each year's figure.

A series is one thing measured over time, whatever the source: the same metric, flow
(direction), countries, unit, measure, what is counted and kind of figure (reported,
forecast, estimate, target). Its id is those fields joined in lowercase
(`trade-total-chn-lcn-usd`, `fdi-outward-stock-chn-lcn-usd`, `...-forecast`): stable as long
as the facts say the same thing. A fact belongs to a year when its period lies within one
calendar year (whole or partial: "2019 Jan–Nov") or its point in time (`as_of`: a stock, never
partial; a later reading of the year before an earlier one) falls in it;
ranges, open and multi-year periods and undated figures belong to none.

The choice per year (`rank`), the same everywhere (`bricli series`, every `--chart`):

1. a whole-year figure before a partial one (of partial ones, the longest; of stocks, the latest
   reading of the year);
2. an exact figure before a bound or approximation of the same source (the same source id,
   or the same named statistical basis: MOFCOM's exact 102.6 before MOFCOM's "more than 100");
3. the series' main statistical basis (the named basis that covers most of its years;
   `unstated` only when no basis is named) first, then the other named bases (by
   coverage), then `unstated`;
4. the more reliable source (A, B, C, then ungraded);
5. the most recent source;
6. an exact figure before a qualified one, then the order of the files.

Each year whose chosen figure's basis differs from the main basis is marked (`off_basis`).
These are pure functions over facts and sources: selecting the facts is the engine's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from bricli.analysis.conflicts import allowed, disagreeing
from bricli.analysis.derive import DATASET_SUMS, DatasetSum, Derived
from bricli.model.facts import Fact, Source
from bricli.model.periods import parse_day, parse_period
from bricli.model.series import time_key
from bricli.model.vocab import SCALES

GRADE_ORDER = {"A": 0, "B": 1, "C": 2}  # then ungraded


@dataclass(frozen=True)
class YearOf:
    year: int
    partial: bool
    covered: int  # days of the year it covers (a point: days up to it)


def year_of(f: Fact) -> YearOf | None:
    """The calendar year a figure gives a value for, or None (multi-year, open or undated)."""
    return _year_of(f.period, f.as_of)


@lru_cache(maxsize=65536)  # a base repeats a few hundred periods across thousands of figures
def _year_of(period: str | None, as_of: str | None) -> YearOf | None:
    if period:
        try:
            p = parse_period(period)
        except ValueError:
            return None
        if p.start is None or p.end is None or p.first.year != p.last.year:
            return None
        return YearOf(p.first.year, p.is_partial, (p.last - p.first).days + 1)
    if as_of:
        try:
            d = parse_day(as_of)
        except ValueError:
            return None
        # a stock measured at a point is never partial (it covers no period); the year-end reading
        # ranks before an earlier one of the same year (it covers more of the year)
        return YearOf(d.year, False, (d.last - date(d.year, 1, 1)).days + 1)
    return None


WhatKey = tuple[object, ...]


def measured_key(f: Fact) -> WhatKey | None:
    """What a figure measures, whatever its source and time (None: it belongs to no series)."""
    if f.type != "figure" or f.value is None or f.qualifier == "range" or not f.aggregates or year_of(f) is None:
        return None  # (a record its dataset does not recommend for aggregates is never part of a series)
    countries = tuple(sorted(f.countries)) if f.direction == "total" else tuple(f.countries)
    # never across price bases (constant 2021 dollars are not nominal ones), and a figure `about` a
    # project measures that project (a dataset's records are not one series)
    return (f.metric, f.direction, countries, f.unit, f.measure, f.counted, f.basis, f.prices, f.about)


def series_id(key: WhatKey) -> str:
    metric, direction, countries, unit, measure, counted, basis, prices, about = key
    parts = [metric, direction, measure, *countries, unit, counted, None if basis == "reported" else basis,  # type: ignore[misc]
             None if prices == "nominal" else prices, about]
    text = "-".join(str(p) for p in parts if p)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "series"


@dataclass
class YearRow:
    year: int
    chosen: Fact | None  # None: no figure for this year
    facts: list[Fact]  # every fact for the year, the chosen one first
    value: Decimal | None  # the chosen value in the series' unit and scale
    partial: bool
    off_basis: bool  # the chosen figure's basis is not the series' main basis
    disagree: bool  # facts for the same span from different sources allow no common value

    @property
    def others(self) -> int:
        return max(len(self.facts) - 1, 0)


@dataclass
class FigureSeries:
    id: str
    key: WhatKey
    facts: list[Fact] = field(default_factory=list)  # in file order
    main_basis: str = "unstated"
    scale: str = "one"
    by_year: dict[int, list[Fact]] = field(default_factory=dict)  # ranked, the chosen first

    @property
    def metric(self) -> str | None:
        return self.key[0]  # type: ignore[return-value]

    @property
    def direction(self) -> str | None:
        return self.key[1]  # type: ignore[return-value]

    @property
    def countries(self) -> tuple[str, ...]:
        return self.key[2]  # type: ignore[return-value]

    @property
    def unit(self) -> str | None:
        return self.key[3]  # type: ignore[return-value]

    @property
    def measure(self) -> str | None:
        return self.key[4]  # type: ignore[return-value]

    @property
    def counted(self) -> str | None:
        return self.key[5]  # type: ignore[return-value]

    @property
    def basis(self) -> str:
        return self.key[6]  # type: ignore[return-value]

    @property
    def prices(self) -> str:
        return self.key[7]  # type: ignore[return-value]

    @property
    def label(self) -> str:
        """The shortest label of its chosen figures (the latest of those)."""
        chosen = [self.by_year[y][0] for y in sorted(self.by_year)] or self.facts
        return min(reversed(chosen), key=lambda f: len(f.label)).label

    @property
    def first(self) -> int:
        return min(self.by_year)

    @property
    def last(self) -> int:
        return max(self.by_year)

    def sources(self) -> list[str]:
        return list(dict.fromkeys(f.source.id for f in self.facts))

    def rows(self, first: int | None = None, last: int | None = None) -> list[YearRow]:
        """One row per year from `first` to `last` (default: the series' own span), oldest first."""
        lo = self.first if first is None else first
        hi = self.last if last is None else last
        return [self.row(y) for y in range(lo, hi + 1)]

    def row(self, year: int) -> YearRow:
        facts = self.by_year.get(year, [])
        if not facts:
            return YearRow(year, None, [], None, False, False, False)
        chosen = facts[0]
        y = year_of(chosen)
        return YearRow(year, chosen, facts, in_scale(chosen, self.scale), bool(y and y.partial),
                   chosen.stat_basis != self.main_basis, disagree(facts))

    def disagreements(self) -> int:
        return sum(1 for y in self.by_year if disagree(self.by_year[y]))


def in_scale(f: Fact, scale: str) -> Decimal:
    """The stated value moved to `scale` (451591 million is 451.591 billion): exact, nothing rounded."""
    assert f.value is not None
    v = f.value.decimal * SCALES[f.scale] / SCALES[scale]
    return Decimal(format(v.normalize(), "f"))


def disagree(facts: list[Fact]) -> bool:
    """Whether facts for the same span, from different sources, allow no common value
    (the rule of `bricli conflicts`)."""
    spans: dict[object, list[Fact]] = {}
    for f in facts:
        spans.setdefault(time_key(f), []).append(f)
    return any(len(disagreeing(members)) >= 2 for members in spans.values())


def _main_basis(facts: list[Fact]) -> tuple[str, list[str]]:
    """The named statistical basis covering most years (then most facts, then by name), and the
    other named bases by coverage; "unstated" when none is named."""
    years: dict[str, set[int]] = {}
    counts: dict[str, int] = {}
    for f in facts:
        if f.stat_basis == "unstated":
            continue
        y = year_of(f)
        assert y is not None
        years.setdefault(f.stat_basis, set()).add(y.year)
        counts[f.stat_basis] = counts.get(f.stat_basis, 0) + 1
    ordered = sorted(years, key=lambda b: (-len(years[b]), -counts[b], b))
    return (ordered[0] if ordered else "unstated"), ordered


def _source_day(s: Source | None) -> date:
    if s is None:
        return date.min
    try:
        return parse_day(s.date).first
    except (ValueError, TypeError):
        return date.min


def rank(facts: list[Fact], sources: dict[str, Source], bases: list[str], order: dict[str, int]) -> list[Fact]:
    """The facts for one year, best first (the rule in the module's docstring). `bases`: the named
    bases, main first; `order`: each fact's position in the files."""
    years = {f.id: year_of(f) for f in facts}
    refined = _refined(facts)
    exact_spans = {(f.source.id, f.period, f.as_of) for f in facts if f.qualifier == "exact"}
    exact_spans |= {(f.stat_basis, f.period, f.as_of) for f in facts if f.qualifier == "exact" and f.stat_basis in bases}

    def key(f: Fact) -> tuple[object, ...]:
        y = years[f.id]
        assert y is not None
        shadowed = f.id in refined or (f.qualifier != "exact" and ((f.source.id, f.period, f.as_of) in exact_spans
                                                                  or (f.stat_basis, f.period, f.as_of) in exact_spans))
        basis = bases.index(f.stat_basis) if f.stat_basis in bases else len(bases)
        s = sources.get(f.source.id)
        grade = GRADE_ORDER.get((s.reliability or "") if s else "", len(GRADE_ORDER))
        return (y.partial, -y.covered, shadowed, basis, grade, -_source_day(s).toordinal(),
                f.qualifier != "exact", order.get(f.id, 0))

    return sorted(facts, key=key)


def _refined(facts: list[Fact]) -> set[str]:
    """Ids of figures that another exact figure of the same period states more precisely, agreeing with
    them (its range lies within theirs: 307.4 within a round 300's 250-350, or above "more than 300"),
    on the same statistical basis or refining one whose basis is unstated: the precise one is chosen."""
    out = set()
    ranges = [allowed(f) for f in facts]  # each once: the pairs below would ask again and again
    for f, wide in zip(facts, ranges):
        for g, narrow in zip(facts, ranges):
            if g is f or g.qualifier != "exact" or (g.period, g.as_of) != (f.period, f.as_of):
                continue
            if g.stat_basis != f.stat_basis and f.stat_basis != "unstated":
                continue
            if narrow != wide and _within(narrow, wide):
                out.add(f.id)
                break
    return out


def _within(inner: tuple[Decimal | None, Decimal | None], outer: tuple[Decimal | None, Decimal | None]) -> bool:
    (i_lo, i_hi), (o_lo, o_hi) = inner, outer
    if o_lo is not None and (i_lo is None or i_lo < o_lo):
        return False
    return o_hi is None or (i_hi is not None and i_hi <= o_hi)


def build_series(facts: Iterable[Fact], sources: dict[str, Source], basis: str | None = None) -> list[FigureSeries]:
    """Every series among `facts`, in first-seen order, each year's facts ranked. With `basis`
    (a statistical basis), only figures on it."""
    out: dict[WhatKey, FigureSeries] = {}
    order: dict[str, int] = {}
    for n, f in enumerate(facts):
        if basis is not None and f.stat_basis != basis:
            continue
        key = measured_key(f)
        if key is None:
            continue
        order.setdefault(f.id, n)
        s = out.get(key)
        if s is None:
            sid = series_id(key)
            taken = {t.id for t in out.values()}
            n = 2
            while sid in taken:  # two keys spelled alike: the later one numbered
                sid = f"{series_id(key)}-{n}"
                n += 1
            s = out[key] = FigureSeries(sid, key)
        s.facts.append(f)
    for s in out.values():
        s.main_basis, bases = _main_basis(s.facts)
        s.scale = _scale(s.facts)
        grouped: dict[int, list[Fact]] = {}
        for f in s.facts:
            y = year_of(f)
            assert y is not None
            grouped.setdefault(y.year, []).append(f)
        s.by_year = {y: rank(grouped[y], sources, bases, order) for y in sorted(grouped)}
    return list(out.values())


def _scale(facts: list[Fact]) -> str:
    """The scale most of the series' figures state (a tie: the larger)."""
    counts: dict[str, int] = {}
    for f in facts:
        counts[f.scale] = counts.get(f.scale, 0) + 1
    return max(counts, key=lambda sc: (counts[sc], SCALES[sc]))


@dataclass
class SumSeries:
    """A dataset's records summed by year (analysis/derive.py, DATASET_SUMS): each year's value a derived
    value bricli computes (`kind: sum`, its records as inputs), never a figure a source states. Nothing is
    chosen: one value per year, made from that year's records."""

    spec: DatasetSum
    by_year: dict[int, Derived]

    @property
    def id(self) -> str:
        return self.spec.series

    @property
    def label(self) -> str:
        return self.spec.title

    @property
    def first(self) -> int:
        return min(self.by_year)

    @property
    def last(self) -> int:
        return max(self.by_year)

    def records(self) -> int:
        return sum(len(d.inputs) for d in self.by_year.values())


def sum_series(items: Iterable[object]) -> list[SumSeries]:
    """The dataset sums among `items` (derived values of kind `sum`), one series per DATASET_SUMS row that
    has a year among them."""
    out = []
    sums = [d for d in items if isinstance(d, Derived) and d.kind == "sum"]
    for spec in DATASET_SUMS:
        prefix = f"derived.sum.{spec.series}."
        years = {int(d.period): d for d in sums if d.id.startswith(prefix) and d.period and d.period.isdigit()}
        if years:
            out.append(SumSeries(spec, dict(sorted(years.items()))))
    return out
