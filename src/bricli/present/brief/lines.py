"""How one fact reads as a line of a bullet or of the full brief's lists: its label (led by its name
when the name adds something), the countries beyond China and the focus area, its period unless the
label says it, its status."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from bricli.analysis.derive import Derived
from bricli.analysis.matching import span
from bricli.model import countries
from bricli.model.facts import Fact
from bricli.model.text import fold
from bricli.model.wording import period_text
from bricli.present.brief import words as W
from bricli.present.brief.data import HOME, REGION, Line

WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)  # names and labels repeat across a base
def _words(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text.casefold()))


def _what(f: Fact) -> str:
    """The label, led by the name only when the name says something the label does not."""
    if f.name and f.name.casefold() not in f.label.casefold() and not _words(f.name) <= _words(f.label):
        return f"{f.name}: {f.label}"
    return f.label


def _when(f: Fact | Derived) -> str:
    """The period, unless the label already says it ("... (June 2019)" needs no "Jun 2019")."""
    text = period_text(f)
    if not text:
        return ""
    s = span(f)
    if s is not None:
        years = _years_named(s)
        if years and all(y in f.label for y in years):
            return ""
    elif fold(text) in fold(f.label):
        return ""
    return text


@lru_cache(maxsize=65536)
def _years_named(s: tuple[date, date]) -> frozenset[str]:
    """The years a span names (not an open end's)."""
    return frozenset(str(d.year) for d in s if d not in (date.min, date.max))


def _names(codes) -> str:
    return ", ".join(countries.name(c) for c in codes)


def details_of(f: Fact, focus: str, with_countries: bool = True) -> list[str]:
    out = []
    # China and the focus area is what the whole brief is about: not repeated on every line
    others = [c for c in f.countries if c not in (HOME, focus)]
    if with_countries and others:
        out.append(_names(others))
    when = _when(f)
    if when:
        out.append(when)
    if f.status:
        out.append(W.STATUS.format(status=f.status))
    return out


def entry_of(f: Fact, focus: str = REGION, with_countries: bool = True, prefix: str = "") -> Line:
    details = details_of(f, focus, with_countries)
    return Line((f.id,), prefix + _what(f) + (f" ({'; '.join(details)})" if details else ""))

