"""Which figures belong together, and what range of true values a stated figure allows.

Arithmetic (checks and derived values) only ever combines figures that are
exact, from the same source, in the same unit family, and for the same
countries: sums across sources or bases are the classic error of tools in
this field, so bricli does not make them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from bricli.model.facts import Fact, Number
from bricli.model.vocab import SCALES
from bricli.model.periods import parse_day, parse_period, prior

Interval = tuple[Decimal, Decimal]
Key = tuple[object, ...]  # a hashable grouping key


def is_exact(f: Fact) -> bool:
    """An exact stated figure that may enter a sum (a figure its source keeps out of totals,
    `aggregates: false`, never does)."""
    return f.type == "figure" and f.qualifier == "exact" and f.value is not None and f.aggregates


def value_of(f: Fact) -> Number:
    """The stated value of a figure that has one (is_exact(f) guarantees it)."""
    if f.value is None:
        raise ValueError(f"{f.id} states no value")
    return f.value


def bounds(n: Number, scale: str = "one") -> Interval:
    """The true values a rounded figure allows: 307.4 means [307.35, 307.45]."""
    return _bounds(n.text, scale)


# Every command checks the arithmetic of the whole base (a wrong sum blocks figures),
# so these run for each figure of each run: each answer is computed once.
@lru_cache(maxsize=65536)
def _bounds(text: str, scale: str) -> Interval:
    point = text.find(".")
    decimals = len(text) - point - 1 if point >= 0 else 0
    half = Decimal((0, (5,), -decimals - 1))  # half a unit in the last stated place
    v, k = Decimal(text), SCALES[scale]
    return (v - half) * k, (v + half) * k


def series_key(f: Fact) -> Key:
    """Same thing measured: everything but period and direction (never across statistical bases,
    nor across price bases: constant 2021 dollars are not nominal dollars; a figure `about` a
    project measures that project, so the amounts of a dataset's records are not one series)."""
    return (f.source.id, f.metric, tuple(f.countries), f.unit, f.measure, f.basis, f.stat_basis, f.prices, f.about)


def time_key(f: Fact) -> Key | None:
    """Normalised span, so '2018' and '2018-01/2018-12' match."""
    return _time_key(f.period, f.as_of)


@lru_cache(maxsize=65536)
def _time_key(period: str | None, as_of: str | None) -> Key | None:
    if period:
        p = parse_period(period)
        return ("period", p.first, p.last)
    if as_of:
        d = parse_day(as_of)
        return ("as_of", d.last)
    return None


@lru_cache(maxsize=65536)
def _span_and_prior(period: str) -> tuple[Key, Key | None]:
    """(first, last) of a period and of the same span a year earlier (None: none)."""
    p = parse_period(period)
    before = prior(p)
    return (p.first, p.last), ((before.first, before.last) if before else None)


def group_exact(facts: list[Fact]) -> dict[Key, list[Fact]]:
    """Exact figures grouped by (series, time)."""
    groups: dict[Key, list[Fact]] = defaultdict(list)
    for f in facts:
        if is_exact(f):
            t = time_key(f)
            if t is not None:
                groups[(series_key(f), t)].append(f)
    return groups


_FLOWS = frozenset(("exports", "imports", "total"))


def trade_triples(facts: list[Fact]) -> Iterator[tuple[Fact, Fact, Fact | None]]:
    """(exports, imports, total-or-None) for each series and period where both flows are stated."""
    for (_, _), members in group_exact([f for f in facts if f.direction in _FLOWS]).items():
        by_dir: dict[str | None, Fact] = {}
        for f in members:
            by_dir.setdefault(f.direction, f)
        if "exports" in by_dir and "imports" in by_dir:
            yield by_dir["exports"], by_dir["imports"], by_dir.get("total")


def prior_pairs(facts: list[Fact]) -> Iterator[tuple[Fact, Fact]]:
    """(current, prior) where current states change_pct and the base has the prior period."""
    index: dict[Key, Fact] = {}
    for f in facts:
        if is_exact(f) and f.period:
            index.setdefault((series_key(f), f.direction, *_span_and_prior(f.period)[0]), f)
    for f in facts:
        if is_exact(f) and f.period and f.change_pct is not None:
            before = _span_and_prior(f.period)[1]
            if before is None:
                continue
            match = index.get((series_key(f), f.direction, *before))
            if match is not None:
                yield f, match
