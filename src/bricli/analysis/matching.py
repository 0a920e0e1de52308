"""The pieces of a fact (or derived value) a query is matched on: its span in time, its
searchable text, its title. The index's build stores them; a text search and the briefs read them.
They need the fact model, which a query the index serves keeps out (analysis/query.py does not)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from bricli.analysis.derive import Derived, Item
from bricli.model.facts import FactLike
from bricli.model.periods import parse_day, parse_period
from bricli.model.text import fold


def span(item: FactLike) -> tuple[date, date] | None:
    """First and last day a fact's period or point covers (None when undated)."""
    if item.period:
        return _period_span(item.period)
    if item.as_of:
        return _point_span(item.as_of)
    return None


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


def search_title(item: Item) -> str:
    """The text a search ranks first on: label and name, folded."""
    return fold(" ".join(x for x in (item.label, getattr(item, "name", None) or "") if x))


def in_title(title: str, folded_words: list[str]) -> bool:
    return all(w in title for w in folded_words)
