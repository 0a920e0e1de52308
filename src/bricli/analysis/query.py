"""Select facts (and derived values) by topic, time, country, source and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, timedelta

from bricli.model import countries
from bricli.analysis.derive import Derived, derive_all
from bricli.model.facts import Fact, FactBase, FactLike
from bricli.model.periods import parse_day, parse_period
from bricli.model.suggest import close_matches
from bricli.model.text import fold
from bricli.model.vocab import RELIABILITY
from bricli.model.problems import QueryError


Item = Fact | Derived


@dataclass
class Filters:
    topic: str | None = None
    year: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    country: str | None = None  # user text; resolved to a code by `select`
    source: str | None = None
    grep: str | None = None
    reliability: str | None = None  # A, B or C: facts from sources graded this or better
    types: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)  # e.g. {"direction": "exports"}


def span(item: FactLike) -> tuple[date, date] | None:
    """First and last day a fact's period or point covers (None when undated)."""
    if item.period:
        return _period_span(item.period)
    if item.as_of:
        return _point_span(item.as_of)
    return None


def dated_span(item: FactLike) -> tuple[date, date]:
    """The span of an item known to be dated (callers keep only those span() dates)."""
    s = span(item)
    if s is None:
        raise ValueError(f"{item.id} is undated")
    return s


def timeline_key(item: FactLike) -> tuple[date, date]:
    """Where a dated item stands in time order: a step known only as 'by end-2018' stands at
    its bound, not before everything else."""
    first, last = dated_span(item)
    return (last, last) if first == date.min else (first, last)


# a base repeats a few hundred period strings across thousands of facts
@lru_cache(maxsize=65536)
def _period_span(text: str) -> tuple[date, date]:
    p = parse_period(text)
    return p.first, p.last


@lru_cache(maxsize=65536)
def _point_span(text: str) -> tuple[date, date]:
    d = parse_day(text)
    return d.first, d.last


def searchable(item: Item) -> str:
    if isinstance(item, Derived):
        parts = [item.label, item.formula, item.note or ""]
    else:
        parts = [item.label, item.name or "", item.description or "", item.rationale or "", item.source.quote,
                 item.note or "", item.correction or "", item.role or "", *item.participants]
    return fold("\n".join(parts))


def resolve_country(text: str) -> str:
    try:
        return countries.resolve(text)
    except countries.CountryError as exc:
        hint = ""
        if exc.suggestions and "did you mean" not in str(exc):
            hint = "did you mean " + " or ".join(f"{n} ({c})" for c, n in exc.suggestions[:3]) + "?"
        raise QueryError(str(exc), hint) from None


def _date_bound(text: str, which: str) -> date:
    try:
        d = parse_day(text.strip())
    except ValueError as exc:
        raise QueryError(f"--{which}: {exc}", "use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return d.first if which == "from" else d.last


def select(base: FactBase, filters: Filters, derived: bool = True) -> list[Item]:
    """The facts matching every filter, in file order, then derived values from them."""
    f = filters
    code = resolve_country(f.country) if f.country else None
    if f.source and f.source not in base.sources:
        close = close_matches(f.source, base.sources, n=1)
        raise QueryError(f"unknown source '{f.source}'", f"did you mean {close[0]}?" if close else "see `bricli sources`")
    window = None
    if f.year is not None:
        window = (date(f.year, 1, 1), date(f.year, 12, 31))
    if f.date_from or f.date_to:
        lo = _date_bound(f.date_from, "from") if f.date_from else date.min
        hi = _date_bound(f.date_to, "to") if f.date_to else date.max
        if lo > hi:
            raise QueryError("--from is after --to", "swap them")
        window = (max(lo, window[0]), min(hi, window[1])) if window else (lo, hi)
    needle = None
    if f.grep is not None:
        needle = fold(f.grep)
        if not needle.strip():  # "" or a lone accent: it would match every row
            raise QueryError(f"nothing to search for in {f.grep!r} once case and accents are set aside",
                             "give letters, digits or punctuation to look for")
    graded = None
    if f.reliability:
        grade = f.reliability.strip().upper()
        if grade not in RELIABILITY:
            raise QueryError(f"--reliability: unknown grade '{f.reliability}'", "use A, B or C")
        graded = {s.id for s in base.sources.values() if s.reliability and s.reliability <= grade}

    def in_scope(item: Item, win: tuple[date, date] | None) -> bool:
        """Country, source and time: what a derived value shares with its inputs."""
        if code and code not in item.countries:
            return False
        sid = item.source_id if isinstance(item, Derived) else item.source.id
        if f.source and sid != f.source:
            return False
        if graded is not None and sid not in graded:
            return False
        if win:
            s = span(item)
            if s is None or s[0] > win[1] or s[1] < win[0]:
                return False
        return True

    def keep(item: Item) -> bool:
        if f.topic and item.topic != f.topic:
            return False
        if f.types and item.type not in f.types and not (isinstance(item, Derived) and "figure" in f.types):
            return False
        for name, wanted in f.fields.items():
            if getattr(item, name, None) != wanted:
                return False
        if not in_scope(item, window):
            return False
        if needle and needle not in searchable(item):
            return False
        return True

    items: list[Item] = [x for x in base.facts if keep(x)]
    if derived:
        # A derived value has its inputs' countries and source, and their period
        # (balance, share) or the year before it (implied prior). So only facts in
        # scope of the window stretched a year later can yield one that passes:
        # deriving from those alone keeps a query on a large base proportional to
        # what it matches. Every derived value still passes `keep` itself.
        wide = (window[0], _year_later(window[1])) if window else None
        candidates = [x for x in base.facts if in_scope(x, wide)]
        items += [d for d in derive_all(candidates, lookup=base.facts) if keep(d)]
    return items


def _year_later(d: date) -> date:
    return d + timedelta(days=366) if d < date.max - timedelta(days=366) else date.max

