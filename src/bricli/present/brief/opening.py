"""What a brief's title and opening lines say: who and what it is about, the years it covers, the
filters it was asked with, the sources it cites, and how a source is named wherever the brief
cites it (`cited_as`: "Xinhua, 2025-05-16"; its id stays in the footnotes)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from bricli.analysis.derive import Item
from bricli.analysis.matching import span
from bricli.analysis.query import Filters, many
from bricli.model import countries
from bricli.model.facts import Fact, FactBase, Source
from bricli.model.vocab import TOPICS
from bricli.present.brief import words as W
from bricli.present.brief.data import SourceInfo, source_of

PROSPECTIVE = ("forecast", "target")  # bases about years to come: not in the title's period


def brief_title(topics: list[str], focus: str, items: list[Item], f: Filters, source_years: dict[str, int]) -> str:
    if len(topics) == len(TOPICS):
        what = W.ALL_TOPICS
    else:
        names = [W.TOPIC_NAMES.get(t, t) for t in topics]
        what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + W.AND + names[-1]
    years = _years(items, source_years)
    windows = [(y, y) if isinstance(y, int) else y for y in many(f.year)]
    if windows:  # --year 2018, or 2015..2019, or several: the title spans them
        years = (min(lo for lo, _ in windows), max(hi for _, hi in windows))
    if years is None:
        return W.TITLE_NO_PERIOD.format(focus=countries.name(focus), topics=what)
    period = str(years[0]) if years[0] == years[1] else f"{years[0]}\u2013{years[1]}"
    return W.TITLE.format(focus=countries.name(focus), topics=what, period=period)


def _years(items: list[Item], source_years: dict[str, int]) -> tuple[int, int] | None:
    """The first and last year the dated items cover (an open end counts its start). A forecast or
    target ("more than US$700 billion by 2035") is about a year to come, not a year the facts cover;
    nor is a plan's last year (2025-2027) beyond the year of the source that states it."""
    lo: int | None = None
    hi: int | None = None
    dated: set[tuple[tuple[date, date], str]] = set()  # thousands of facts share a few hundred (span, source) pairs
    for i in items:
        if isinstance(i, Fact) and i.basis in PROSPECTIVE:
            continue
        s = span(i)
        if s is not None:
            dated.add((s, source_of(i)))
    for s, source in dated:
        first = s[0] if s[0] != date.min else s[1]
        last = s[1] if s[1] != date.max else s[0]
        last_year = min(last.year, source_years.get(source, last.year))
        lo = first.year if lo is None else min(lo, first.year)
        hi = last_year if hi is None else max(hi, last_year)
    return None if lo is None or hi is None else (lo, hi)


def source_years_of(base: FactBase) -> dict[str, int]:
    return {s.id: int(s.date[:4]) for s in base.sources.values() if s.date[:4].isdigit()}


def filters_text(f: Filters) -> str:
    parts = []
    for y in many(f.year):
        lo, hi = (y, y) if isinstance(y, int) else y
        parts.append(W.FILTER_YEAR.format(year=lo if lo == hi else f"{lo}..{hi}"))
    if f.date_from or f.date_to:
        parts.append(W.FILTER_RANGE.format(start=f.date_from or W.FILTER_START, end=f.date_to or W.FILTER_END))
    for source in many(f.source):
        parts.append(W.FILTER_SOURCE.format(source=source))
    for text in many(f.grep):
        parts.append(W.FILTER_TEXT.format(text=text))
    return "; ".join(parts)


def sources_cited(base: FactBase, items) -> list[SourceInfo]:
    used: dict[str, None] = {}
    for i in items:
        used.setdefault(source_of(i))
    out = []
    for sid in sorted(used):
        s = base.sources.get(sid)
        if s is None:
            out.append(SourceInfo(sid, sid, ""))
        else:
            out.append(SourceInfo(s.id, s.title, s.date + (f", {W.SOURCE_ESTIMATED}" if s.date_estimated else ""),
                                  s.url or ""))
    return out



# where a publisher's short name ends: "Xinhua (新华网), reposted by ..." is Xinhua, "Xinhua News Agency /
# China.org.cn" is Xinhua News Agency, "La Tercera (Chile)" is La Tercera
_NAME_END = re.compile(r"\s*(?:[(,;/\u3001\uff0c\uff08]|\s[\u2013\u2014-]\s|\breposted\b|\bvia\b)")
_LATIN = re.compile(r"[A-Za-z]")
_PARENTHESIS = re.compile(r"\(([^()]*)\)")


def cited_as(s: Source | None, sid: str = "") -> str:
    """How the brief names a source where it cites one: its publisher's short name and its date as the registry
    gives it ("Xinhua, 2025-05-16"; "c. 2025-05" when the registry marks the date estimated). The short name is the
    publisher's name up to its first parenthesis, comma, slash or "reposted by" (the English name in
    parentheses when the name before them is in another script), else the author's, else the host of
    its URL, else its title; a source the registry does not know is named by its id."""
    if s is None:
        return sid
    who = _short(s.publisher) or _short(s.author) or _host(s.url) or s.title
    # the date compact (one word, not "16 May 2025"): a one-page brief cites some thirty sources
    when = s.date
    if when and s.date_estimated:
        when = W.SOURCE_DATE_ESTIMATED.format(date=when)
    return W.CITED_SOURCE.format(who=who, date=when) if when else who


def _short(name: str | None) -> str:
    if not name:
        return ""
    parts = _NAME_END.split(name.strip(), maxsplit=1)
    short = parts[0].strip()
    if len(parts) > 1 and " " not in short and name.strip()[len(short):].lstrip().startswith(","):
        short = _short(name.replace(",", "\u0000", 1)).replace("\u0000", ",")  # one name with a comma: "Paul, Weiss"
    if not _LATIN.search(short):  # "墨西哥华文时报 (Mexico Huawen Times)": the English name
        english = [m for m in _PARENTHESIS.findall(name) if _LATIN.search(m)]
        if english:
            return _NAME_END.split(english[0].strip(), maxsplit=1)[0].strip() or short
    return short or name.strip()


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
