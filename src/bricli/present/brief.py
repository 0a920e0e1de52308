"""What goes into a Markdown brief, as plain data (rendered by render/brief_markdown.py).

Two briefs from the same selection (`query.select`, so a number in a brief is
always the number `bricli TOPIC` prints):

- the default brief, one page: key figures, a handful of bullets per topic,
  the trade chart, where sources disagree, the caveats of what is shown;
- the full brief (`--full`): every fact of the selection, in tables and lists.

Derived values appear only with `derived=True`. All English wording is in
present/brief_words.py. Rules (documented in the README, "Briefs"):

- Key figures: stated, reported figures (no forecast, estimate or target)
  about China and the focus area (the region, `LCN`, or the `--country`
  given) and nothing else, in money, people or counts, not the exports/imports
  components of a total. A series is what is measured (metric, direction,
  countries in order, unit, measure, basis), whichever source states it; its
  latest value is shown (of one period, `_preferred`: exact before qualified,
  then the more reliable source, then the source dated last), and when that
  is a partial period the latest whole one beside it. At most KEY_PER_TOPIC
  series per topic: the latest, then money (US dollars before other
  currencies) before people before counts, then the largest; at most KEY_ROWS
  rows in all (the series whose latest value is oldest go first).
- Bullets (default brief): at most BULLETS stated facts per topic (and
  ALL_BULLETS in all, shared equally by the topics that have facts) not
  already shown as a key figure or in a chart (nor another source's value for
  one of those periods): first the largest stated figure (money before people
  before counts; reported before forecasts, estimates and targets), then the
  most recent facts (undated last; none later than the year of its source);
  with `--country`, facts naming that country alone come before those naming
  more countries. Ties keep file order. With `derived=True`, up to
  DERIVED_BULLETS derived values whose inputs are shown follow.
- Charts: stated figures only, one source, one basis, one unit and scale per
  chart, comparable periods (whole years, the same months of each year, or
  points in time); a series of whole years may end with one later partial
  year, marked partial. Two or more points make a chart. The default brief
  charts the trade series: total trade between China and the focus area by
  year on one named statistical basis across sources (`_basis_series`, the
  basis with most years), else the single-source series with most points;
  and any other key-figure series with at least OTHER_CHART_POINTS points.
- Caveats, each once, for what is shown: partial periods, bounds and
  approximate values, forecasts, estimates and targets, figures dated only in
  words, derived values, corrections of the source text.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from bricli.analysis import conflicts as conflict_view
from bricli.analysis.derive import Derived
from bricli.analysis.query import Filters, Item, dated_span, many, resolve_country, select, span
from bricli.model import countries
from bricli.model.facts import Fact, FactBase, Source
from bricli.model.periods import parse_period
from bricli.model.series import series_key, time_key, value_of
from bricli.model.text import fold
from bricli.model.vocab import (
    APPROXIMATE_QUALIFIERS,
    KINDS,
    LOWER_BOUND_QUALIFIERS,
    RELIABILITY,
    SCALES,
    STAT_BASES,
    TOPICS,
    UPPER_BOUND_QUALIFIERS,
)
from bricli.model.wording import (
    CURRENCY_PREFIX,
    QUALIFIER_WORDS,
    change_text,
    is_partial,
    period_label,
    period_text,
    value_text,
)
from bricli.present import brief_words as W

REGION = "LCN"
HOME = "CHN"
KEY_PER_TOPIC = 2
KEY_ROWS = 8  # rows of the key figures table (a partial period and its whole one are two)
BULLETS = 3  # per topic
ALL_BULLETS = 14  # in the whole brief: two per topic when all seven are covered
DERIVED_BULLETS = 2
OTHER_CHART_POINTS = 3
CONFLICTS_SHOWN = 3  # in the default brief; the full brief lists them all
SOURCES_LISTED = 3
UNDATED_WORDS = 2  # the caveat on figures dated only in words quotes the first few such words  # more sources than this: "N sources" (each is named where cited)
PROSPECTIVE = ("forecast", "target")  # bases about years to come: not in the title's period
# statistical bases that name one compiler: a chart may join several sources on one of them
# (not "national", "other" or "unstated", which may hide several)
NAMED_BASES = tuple(b for b in STAT_BASES if b not in ("national", "other", "unstated"))
RELIABILITY_RANK = {grade: n for n, grade in enumerate(RELIABILITY)}  # A first; ungraded last
MONEY = tuple(CURRENCY_PREFIX)  # every currency the model knows; US dollars rank first (see _unit_rank)
KEY_UNITS = (*MONEY, "people", "count")


# --- the data structure ------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a list: plain text (the renderer escapes it) and the fact ids it cites."""

    refs: tuple[str, ...]
    text: str
    lead: str = ""  # shown first and emphasised (a value)


@dataclass
class Group:
    title: str  # "" for an ungrouped list
    entries: list[Entry]


@dataclass
class ItemList:
    heading: str
    groups: list[Group]


@dataclass(frozen=True)
class KeyFigure:
    what: str
    value: str
    period: str
    change: str
    source: str  # source id
    ref: str


@dataclass(frozen=True)
class Point:
    label: str  # x-axis label: period, plus the qualifier when not exact
    period: str  # the period alone, for the table
    number: str  # the stated digits (in the chart's scale), for the chart
    value: str  # the value as a person reads it, for the table
    ref: str
    source: str = ""  # source id


@dataclass
class Series:
    title: str
    axis: str  # y-axis label: unit and scale
    source: str  # "" when the points come from several sources
    points: list[Point]
    bounded: list[str] = field(default_factory=list)  # "by Nov 2019: more than US$410 billion"
    basis: str = ""  # the statistical basis of a series joined across sources
    source_count: int = 1


@dataclass(frozen=True)
class Claim:
    text: str  # the value or period one source states
    source: str
    ref: str


@dataclass(frozen=True)
class Disagreement:
    subject: str
    kind: str  # brief_words.CONFLICT_KINDS key
    claims: tuple[Claim, ...]


@dataclass
class Section:
    topic: str
    title: str
    bullets: list[Entry] = field(default_factory=list)  # default brief
    figures: list[Item] = field(default_factory=list)  # full brief: table rows
    series: list[Series] = field(default_factory=list)
    lists: list[ItemList] = field(default_factory=list)  # full brief

    @property
    def empty(self) -> bool:
        return not (self.bullets or self.figures or self.series or self.lists)


@dataclass
class Footnote:
    id: str
    source_id: str
    source_title: str
    section: str = ""
    url: str = ""
    quote: str = ""
    translation: str = ""
    note: str = ""
    formula: str = ""  # derived values: how bricli computed them
    inputs: tuple[str, ...] = ()  # derived values: cited as footnotes too


@dataclass(frozen=True)
class SourceInfo:
    id: str
    title: str
    date: str  # with ", estimated" when the date is an estimate
    url: str = ""


@dataclass
class Brief:
    title: str
    date: str | None
    full: bool
    derived: bool
    sources: list[SourceInfo]  # the sources cited (empty when there are more than SOURCES_LISTED, default brief)
    source_count: int
    filters: str  # "touching 2018; from source x", or ""
    key_figures: list[KeyFigure]
    sections: list[Section]
    disagreements: list[Disagreement]
    more_disagreements: int
    caveats: list[Entry]
    footnotes: dict[str, Footnote] = field(default_factory=dict)


# --- building it -------------------------------------------------------------


def build_brief(base: FactBase, topics: tuple[str, ...], filters: Filters, *, full: bool = False,
                derived: bool = False, title: str | None = None, date: str | None = None) -> Brief:
    """The brief for `topics` (all when empty), in topic order; `filters.topic` is ignored."""
    wanted = [t for t in TOPICS if not topics or t in topics]
    filters = replace(filters, topic=None)
    by_topic: dict[str, list[Item]] = {t: [] for t in wanted}
    for i in select(base, filters, derived=derived):  # file order, derived values last
        if i.topic in by_topic:
            by_topic[i.topic].append(i)
    items = [i for t in wanted for i in by_topic[t]]
    facts = [i for i in items if isinstance(i, Fact)]
    codes = [resolve_country(c) for c in many(filters.country)]
    asked = codes[0] if len(codes) == 1 else None  # several countries: key figures about the region
    focus = asked if asked and asked != HOME else REGION
    order = {f.id: n for n, f in enumerate(facts)}
    prefer = _preferred(base.sources)
    source_years = _source_years(base)

    key = _key_facts(facts, focus, order, prefer)
    speaking = max(1, sum(1 for t in wanted if any(isinstance(i, Fact) for i in by_topic[t])))  # topics with facts
    shown: dict[str, Item] = {f.id: f for f in key}
    sections = []
    for t in wanted:
        topic_items = by_topic[t]
        topic_facts = [i for i in topic_items if isinstance(i, Fact)]
        figures = [f for f in topic_facts if f.is_figure]
        section = Section(t, W.TOPIC_TITLES.get(t, t.capitalize()))
        all_series = _series(figures)
        if full:
            section.figures = [i for i in topic_items if _is_figure(i)]
            section.series = [_make_series(members, partial) for members, partial in all_series]
            section.lists = _lists(t, [f for f in topic_facts if not f.is_figure])
            shown.update((i.id, i) for i in topic_items)
        else:
            charts = _default_charts(t, all_series, figures, key, focus, prefer)
            section.series = [s for s, _ in charts]
            for _, members in charts:
                shown.update((f.id, f) for f in members)
            said = {_stated_key(f) for f in shown.values() if isinstance(f, Fact) and f.is_figure}
            left = [f for f in topic_facts if f.id not in shown and not (f.is_figure and _stated_key(f) in said)]
            chosen = _bullets(left, asked, order,
                              min(BULLETS, ALL_BULLETS // speaking), source_years)
            shown.update((f.id, f) for f in chosen)
            section.bullets = [_bullet(f, focus) for f in chosen]
            if derived:
                extra = [d for d in topic_items if isinstance(d, Derived) and all(i in shown for i in d.inputs)]
                extra = extra[:DERIVED_BULLETS]
                shown.update((d.id, d) for d in extra)
                section.bullets += [_derived_bullet(d) for d in extra]
        sections.append(section)

    found = conflict_view.find_conflicts(facts)
    if not full:  # the ones about what is shown first, the most recent first
        found = sorted(found, key=lambda c: (not any(f.id in shown for f in c.facts),
                                             -max(_end(f) for f in c.facts).toordinal()))
    listed = found if full else found[:CONFLICTS_SHOWN]
    disagreements = [_disagreement(c) for c in listed]
    for c in listed:
        shown.update((f.id, f) for f in c.facts)

    cited_sources = _sources(base, shown.values())
    return Brief(
        title=title or _title(wanted, focus, items, filters, source_years),
        date=date,
        full=full,
        derived=derived,
        sources=cited_sources if full or len(cited_sources) <= SOURCES_LISTED else [],
        source_count=len(cited_sources),
        filters=_filters_text(filters),
        key_figures=_key_rows(key),
        sections=sections,
        disagreements=disagreements,
        more_disagreements=len(found) - len(listed),
        caveats=_caveats(list(shown.values()) if not full else items),
        footnotes=_footnotes(shown.values(), base),
    )


def _is_figure(item: Item) -> bool:
    return isinstance(item, Derived) or item.type == "figure"


def source_of(item: Item) -> str:
    """The source id of a fact or derived value."""
    return item.source_id if isinstance(item, Derived) else item.source.id


def _title(topics: list[str], focus: str, items: list[Item], f: Filters, source_years: dict[str, int]) -> str:
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


def _source_years(base: FactBase) -> dict[str, int]:
    return {s.id: int(s.date[:4]) for s in base.sources.values() if s.date[:4].isdigit()}


def _filters_text(f: Filters) -> str:
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


def _sources(base: FactBase, items) -> list[SourceInfo]:
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


# --- wording shared by bullets and lists ---------------------------------------------


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


def _details(f: Fact, focus: str, with_countries: bool = True) -> list[str]:
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


def _entry(f: Fact, focus: str = REGION, with_countries: bool = True, prefix: str = "") -> Entry:
    details = _details(f, focus, with_countries)
    return Entry((f.id,), prefix + _what(f) + (f" ({'; '.join(details)})" if details else ""))


def _bullet(f: Fact, focus: str) -> Entry:
    """A short line: the label alone (the name is in the full brief), what else it concerns, when."""
    details = _details(f, focus)
    if f.change_pct is not None:
        details.append(change_text(f.change_pct))
    lead = value_text(f) if f.is_figure and f.value is not None else ""
    return Entry((f.id,), f.label + (f" ({'; '.join(details)})" if details else ""), lead=lead)


def _derived_bullet(d: Derived) -> Entry:
    details = [x for x in (period_text(d), d.note if d.kind == "balance" else "") if x]
    text = d.label + (f" ({'; '.join(details)})" if details else "")
    return Entry((d.id,), text, lead=f"{d.display()} ({W.DERIVED_MARK})")


# --- key figures -------------------------------------------------------------------------


def _end(f: Fact) -> date:
    """How recent a fact is: the end of its period (an open end: its start); undated: never."""
    s = span(f)
    if s is None:
        return date.min
    return s[1] if s[1] != date.max else s[0]


def _unit_rank(f: Fact) -> int:
    """Money before people before counts; US dollars before other currencies (amounts in two
    currencies are not compared by size)."""
    if f.unit == "USD":
        return 0
    return 1 if f.unit in MONEY else 2 if f.unit == "people" else 3 if f.unit == "count" else 4


def _base_value(f: Fact):
    return f.value.decimal * SCALES[f.scale] if f.value is not None else 0


def _preferred(sources: dict[str, Source]):
    """Of two statements of the same thing for the same period, which to show: an exact value before a
    qualified one, then the more reliable source (A, B, C, ungraded), then the source dated last (then its id).
    Returns a sort key: the smallest is preferred."""
    dated = {sid: n for n, sid in enumerate(sorted(sources, key=lambda i: (sources[i].date, i)))}

    def key(f: Fact) -> tuple[int, int, int]:
        s = sources.get(f.source.id)
        grade = RELIABILITY_RANK.get(s.reliability or "", len(RELIABILITY)) if s else len(RELIABILITY)
        return (0 if f.qualifier == "exact" else 1, grade, -dated.get(f.source.id, -1))
    return key


def _key_facts(facts: list[Fact], focus: str, order: dict[str, int], prefer) -> list[Fact]:
    pair = {HOME, focus}
    series: dict[tuple, list[Fact]] = {}
    for f in facts:
        # stated, reported values only: a forecast, an estimate or a target is never a key figure
        if not (f.is_figure and f.value is not None and f.unit in KEY_UNITS and f.basis == "reported" and f.aggregates):
            continue
        if len(f.countries) != 2 or set(f.countries) != pair or f.direction in ("exports", "imports"):
            continue
        key = (f.topic, f.metric, f.direction, f.countries, f.unit, f.measure, f.basis, f.counted)
        series.setdefault(key, []).append(f)

    def latest_of(members: list[Fact]) -> Fact:
        """The latest period (its end, then its start); of one period, the preferred statement."""
        def when(f: Fact) -> tuple[int, int]:
            s = span(f)
            return (-_end(f).toordinal(), -(s[0] if s else date.min).toordinal())
        return min(members, key=lambda f: (when(f), prefer(f)))

    heads: list[tuple[Fact, Fact | None]] = []
    for members in series.values():
        latest = latest_of(members)
        whole = None
        if is_partial(latest):
            wholes = [f for f in members if span(f) and not is_partial(f)]
            whole = latest_of(wholes) if wholes else None
        heads.append((latest, whole))
    per_topic: dict[str, list[tuple[Fact, Fact | None]]] = {}
    for head in heads:
        per_topic.setdefault(head[0].topic, []).append(head)
    def rank(h: tuple[Fact, Fact | None]) -> tuple[int, int, object, int]:
        """The latest first, then money before people before counts, then the largest."""
        return (-_end(h[0]).toordinal(), _unit_rank(h[0]), -_base_value(h[0]), order[h[0].id])

    chosen = [h for topic in TOPICS for h in sorted(per_topic.get(topic, []), key=rank)[:KEY_PER_TOPIC]]
    while sum(1 + (whole is not None) for _, whole in chosen) > KEY_ROWS and len(chosen) > 1:
        chosen.remove(max(chosen, key=rank))  # too many rows: the series whose latest value is oldest goes
    return [f for latest, whole in chosen for f in (whole, latest) if f is not None]


def _key_rows(key: list[Fact]) -> list[KeyFigure]:
    rows = []
    for f in key:
        what = f.label
        for other in key:  # a partial period beside its whole one: the shorter, period-free label for both
            if other is not f and other.label != what and what.startswith(other.label) and \
                    series_key(other)[1:] == series_key(f)[1:]:
                what = other.label
        rows.append(KeyFigure(what, value_text(f), period_text(f), change_text(f.change_pct), f.source.id, f.id))
    return rows


# --- bullets -------------------------------------------------------------------------------


def _stated_key(f: Fact) -> tuple[object, ...]:
    """What a figure states, whichever source states it: another source's value for a year charted or
    shown as a key figure is not a bullet of its own (where they differ, the conflicts say so)."""
    return (series_key(f)[1:], f.direction, f.counted, time_key(f))


def _bullets(candidates: list[Fact], asked: str | None, order: dict[str, int], most: int,
             source_years: dict[str, int]) -> list[Fact]:
    chosen: list[Fact] = []
    figures = [f for f in candidates if f.is_figure and f.value is not None and f.unit in KEY_UNITS]
    if figures and most:
        # a reported value before a forecast, estimate or target (often the largest number, never a result)
        chosen.append(min(figures, key=lambda f: (f.basis != "reported", _unit_rank(f), -_base_value(f), order[f.id])))

    def rank(f: Fact):
        alone = 0 if asked is None or tuple(f.countries) in ((asked,), (HOME, asked), (asked, HOME)) else 1
        end = _end(f)
        if f.source.id in source_years and end.year > source_years[f.source.id]:
            end = date(source_years[f.source.id], 12, 31)  # a forecast for 2035 is as recent as its source
        return (alone, -end.toordinal(), order[f.id])

    for f in heapq.nsmallest(most + len(chosen), candidates, key=rank):  # sorted(...)[:n], without sorting all
        if len(chosen) >= most:
            break
        if f not in chosen:
            chosen.append(f)
    return chosen


# --- series ------------------------------------------------------------------


def _shape(f: Fact) -> tuple[object, ...] | None:
    """Which periods are comparable: whole years with whole years, Jan–Nov with Jan–Nov, points with points.
    An open period ("since 2012") is comparable with none."""
    if f.period:
        return _period_shape(f.period)
    if f.as_of:
        return ("point",)
    return None


@lru_cache(maxsize=65536)  # a base repeats a few hundred period strings across thousands of facts
def _period_shape(period: str) -> tuple[object, ...] | None:
    p = parse_period(period)
    if p.start is None or p.end is None:
        return None
    first, last = p.first, p.last
    return ("span", first.month, first.day, last.month, last.day, last.year - first.year)


WHOLE_YEAR = ("span", 1, 1, 12, 31, 0)


def _axis(f: Fact, scale: str | None = None) -> str:
    """The y-axis label, in the words wording.amount uses: US$ billion, %, Confucius Institutes."""
    if f.unit in CURRENCY_PREFIX:
        unit = CURRENCY_PREFIX[f.unit]
    elif f.unit == "percent":
        unit = "%"
    elif f.unit == "count":
        unit = f.counted or W.COUNT_AXIS
    else:
        unit = f.unit or ""
    scale = scale or f.scale
    return " ".join(x for x in (unit, "" if scale == "one" else scale) if x) or W.VALUE_AXIS


SeriesFacts = tuple[list[Fact], Fact | None]  # a series' facts in time order, and the partial year among them


def _series(figures: list[Fact]) -> list[SeriesFacts]:
    """Every chartable series of stated figures, in first-seen (file) order: its facts, and the later
    partial year that closes a series of whole years (or None). `_make_series` makes one a chart."""
    # (what is measured, direction, scale, what is counted, period shape) -> one fact per period
    groups: dict[tuple[tuple[object, ...], str | None, str, str | None, tuple[object, ...]], dict[object, Fact]] = {}
    for f in figures:
        f_shape = _shape(f)
        if f_shape is None or f.qualifier == "range" or f.value is None or not f.aggregates:
            continue
        by_time = groups.setdefault((series_key(f), f.direction, f.scale, f.counted, f_shape), {})
        by_time.setdefault(time_key(f), f)  # one value per period: the first stated
    # parts of one year (Jan–Nov), by series: the latest may close a series of whole years
    part_years: dict[tuple[object, ...], list[Fact]] = {}
    for (skey, direction, scale, counted, shape), by_time in groups.items():
        if shape != WHOLE_YEAR and shape[0] == "span" and shape[5] == 0:
            part_years.setdefault((skey, direction, scale, counted), []).extend(by_time.values())
    out = []
    for (skey, direction, scale, counted, shape), by_time in groups.items():
        members = sorted(by_time.values(), key=dated_span)
        partial = None
        if shape == WHOLE_YEAR:
            after = dated_span(members[-1])[1]
            later = [f for f in part_years.get((skey, direction, scale, counted), ()) if dated_span(f)[0] > after]
            if later:
                partial = max(later, key=dated_span)
                members = [*members, partial]
        if len(members) < 2:
            continue
        out.append((members, partial))
    return out


def _exponent(scale: str) -> int:
    return len(str(SCALES[scale])) - 1  # SCALES are powers of ten


def _make_series(members: list[Fact], partial: Fact | None, basis: str = "") -> Series:
    """A chart's data. With `basis` the members come from several sources on that statistical basis:
    the chart is titled after the latest one, and its bars are drawn in the latest one's scale
    (216,600 million is a bar of 216.6 billion; the table below keeps each value as stated)."""
    scale = members[-1].scale if basis else members[0].scale
    points, bounded = [], []
    for f in members:
        label = period_label(f)
        if f is partial:
            label += f" ({W.CHART_PARTIAL_MARK})"
        word = QUALIFIER_WORDS.get(f.qualifier, "")
        if word:
            label += f" ({word})"
            bounded.append(f"{period_label(f)}: {value_text(f)}")
        if f.basis != "reported":
            label += f" ({f.basis})"
        number = value_of(f).text
        if f.scale != scale:  # the same value, the decimal point moved: nothing is rounded
            number = format(Decimal(number).scaleb(_exponent(f.scale) - _exponent(scale)).normalize(), "f")
        points.append(Point(label, period_text(f), number, value_text(f), f.id, f.source.id))
    if basis:
        title = members[-1].label
    else:
        title = min((f.label for f in members), key=len)
        if not all(f.label.startswith(title) for f in members):
            title = members[0].label
    sources = {f.source.id for f in members}
    return Series(title, _axis(members[-1] if basis else members[0], scale), members[0].source.id if len(sources) == 1 else "",
                  points, bounded, basis=basis, source_count=len(sources))


def _basis_series(figures: list[Fact], prefer) -> list[tuple[Series, list[Fact]]]:
    """Series by year joined across sources on one named statistical basis: the figures of each year whose
    series key matches but for the source; of several for one year, the preferred (`_preferred`). A series
    of whole years may end with one later partial year, as in `_series`."""
    years: dict[tuple[object, ...], dict[object, list[Fact]]] = {}
    parts: dict[tuple[object, ...], list[Fact]] = {}
    for f in figures:
        if f.stat_basis not in NAMED_BASES or f.value is None or f.qualifier == "range":
            continue
        f_shape = _shape(f)
        if f_shape is None:
            continue
        what: tuple[object, ...] = (series_key(f)[1:], f.direction, f.counted)
        if f_shape == WHOLE_YEAR:
            years.setdefault(what, {}).setdefault(time_key(f), []).append(f)
        elif f_shape[0] == "span" and f_shape[5] == 0:
            parts.setdefault(what, []).append(f)
    out = []
    for what in years:
        by_year = years[what]
        members = sorted((min(stated, key=prefer) for stated in by_year.values()), key=dated_span)
        partial = None
        after = dated_span(members[-1])[1]
        later = [f for f in parts.get(what, ()) if dated_span(f)[0] > after]
        if later:
            last = max(dated_span(f) for f in later)
            partial = min((f for f in later if dated_span(f) == last), key=prefer)
            members.append(partial)
        if len(members) < 2:
            continue
        out.append((_make_series(members, partial, basis=members[0].stat_basis), members))
    return out


def _default_charts(topic: str, all_series: list[SeriesFacts], figures: list[Fact], key: list[Fact], focus: str,
                    prefer) -> list[tuple[Series, list[Fact]]]:
    """The trade chart and other key series with enough points (charts made of these alone).

    The trade chart is total trade with the focus area by year, on the named statistical basis with the most
    years (then the most exact values, then the latest); without one, the single-source series with most points."""
    out = []
    trade_chart: list[Fact] | None = None  # of all_series
    if topic == "trade":
        def trade_total(members: list[Fact]) -> bool:
            f = members[0]
            return f.direction == "total" and set(f.countries) == {HOME, focus} and f.unit in MONEY

        joined = [s for s in _basis_series(figures, prefer) if trade_total(s[1]) and s[1][0].basis == "reported"]
        if joined:
            def coverage(s) -> tuple[int, int, date, str]:
                whole = [f for f in s[1] if not is_partial(f)]
                return (len(whole), sum(f.qualifier == "exact" for f in s[1]), _end(s[1][-1]), s[0].basis)
            out.append(max(joined, key=coverage))
        else:
            trade = [s for s in all_series if trade_total(s[0])] or all_series
            if trade:  # one source each: the chart's source is its first fact's
                trade_chart, partial = max(trade, key=lambda s: (len(s[0]), _end(s[0][-1]), s[0][0].source.id))
                out.append((_make_series(trade_chart, partial), trade_chart))
    key_series = {(series_key(f), f.direction) for f in key}
    for members, partial in all_series:
        if members is not trade_chart and len(members) >= OTHER_CHART_POINTS and \
                (series_key(members[0]), members[0].direction) in key_series:
            out.append((_make_series(members, partial), members))
    return out


# --- lists (the full brief) ------------------------------------------------------------------


def _kind_title(kind: str | None) -> str:
    if not kind:
        return W.OTHER
    word = kind.replace("-", " ")
    return W.KIND_TITLES.get(kind, word[0].upper() + word[1:])


def _lists(topic: str, facts: list[Fact]) -> list[ItemList]:
    lists: list[ItemList] = []
    by_type: dict[str, list[Fact]] = {}
    for f in facts:
        by_type.setdefault(f.type, []).append(f)
    for ftype, heading in W.LIST_TITLES.items():
        of_type = by_type.get(ftype)
        if not of_type:
            continue
        groups = _risks_by_country(of_type) if ftype == "risk" else _by_kind(ftype, of_type)
        lists.append(ItemList(heading, groups))
    return lists


def _by_kind(ftype: str, facts: list[Fact]) -> list[Group]:
    kinds = KINDS.get(ftype, ())
    groups: dict[str | None, list[Entry]] = {}
    for f in facts:
        groups.setdefault(f.kind, []).append(_entry(f))
    present = sorted(groups, key=lambda k: (kinds.index(k) if k in kinds else len(kinds), k or ""))
    if len(present) == 1:
        return [Group("", groups[present[0]])]
    return [Group(_kind_title(k), groups[k]) for k in present]


def _risks_by_country(risks: list[Fact]) -> list[Group]:
    """One group per country named (a risk naming two countries is under each), category first in each."""
    order = KINDS["risk"]
    groups: dict[str, list[tuple[int, int, Entry]]] = {}
    for n, r in enumerate(risks):
        cat = order.index(r.kind) if r.kind in order else len(order)
        word = W.RISK_KINDS.get(r.kind or "", (r.kind or W.OTHER).replace("-", " "))
        entry = _entry(r, with_countries=False, prefix=f"{word[0].upper()}{word[1:]}: ")
        for name in sorted({countries.name(c) for c in r.countries}) or [W.NO_COUNTRY]:
            groups.setdefault(name, []).append((cat, n, entry))
    names = sorted(groups, key=lambda g: (g == W.NO_COUNTRY, g))
    return [Group(name, [e for _, _, e in sorted(groups[name], key=lambda x: x[:2])]) for name in names]


# --- where sources disagree ----------------------------------------------------------------


def _disagreement(c) -> Disagreement:
    claims = []
    for f in c.facts:
        text = value_text(f) if c.kind == "value" and f.value is not None else period_text(f)
        claims.append(Claim(text, f.source.id, f.id))
    return Disagreement(c.subject, c.kind, tuple(claims))


# --- caveats -----------------------------------------------------------------


def _bound(f: Fact) -> str:
    if f.qualifier in LOWER_BOUND_QUALIFIERS:
        return "lower"
    if f.qualifier in UPPER_BOUND_QUALIFIERS:
        return "upper"
    if f.qualifier in APPROXIMATE_QUALIFIERS:
        return "approximate"
    return "range" if f.qualifier == "range" else ""


def _caveats(items: list[Item]) -> list[Entry]:
    """Each caveat once, citing every fact shown that it concerns."""
    partial: dict[str, list[str]] = {}
    bounded: dict[str, list[str]] = {}
    basis: dict[str, list[str]] = {}
    undated: dict[str, list[str]] = {}
    corrections: list[Entry] = []
    any_derived = False
    for i in items:
        if isinstance(i, Derived):
            any_derived = True
            continue
        if i.correction:
            corrections.append(Entry((i.id,), W.CAVEAT_CORRECTION.format(correction=i.correction)))
        if not i.is_figure:
            continue
        if is_partial(i):
            partial.setdefault(period_label(i), []).append(i.id)
        bound = _bound(i)
        if bound:
            word = QUALIFIER_WORDS.get(i.qualifier) or i.qualifier
            bounded.setdefault(W.CAVEAT_BOUND.format(word=word, what=W.BOUND_WHAT[bound]), []).append(i.id)
        if i.basis in W.CAVEAT_BASIS:
            basis.setdefault(W.CAVEAT_BASIS[i.basis], []).append(i.id)
        if span(i) is None and i.when:
            undated.setdefault(i.when, []).append(i.id)
    out = [Entry(tuple(refs), W.CAVEAT_PARTIAL.format(period=p)) for p, refs in partial.items()]
    out += [Entry(tuple(refs), text) for text, refs in bounded.items()]
    out += [Entry(tuple(refs), text) for text, refs in basis.items()]
    if undated:
        words = ", ".join(f"\u201c{w}\u201d" for w in list(undated)[:UNDATED_WORDS])
        out.append(Entry(tuple(r for refs in undated.values() for r in refs), W.CAVEAT_UNDATED.format(words=words)))
    if any_derived:
        out.append(Entry((), W.CAVEAT_DERIVED))
    return out + corrections


# --- footnotes ---------------------------------------------------------------


def _footnotes(items, base: FactBase) -> dict[str, Footnote]:
    """One footnote per item shown, and one per input of a derived value shown (it may lie outside the selection)."""
    out: dict[str, Footnote] = {}
    by_id: dict[str, Fact] | None = None

    def title(sid: str) -> str:
        s = base.sources.get(sid)
        return s.title if s else sid

    def url(sid: str) -> str:
        s = base.sources.get(sid)
        return (s.url or "") if s else ""

    def add_fact(f: Fact) -> None:
        if f.id not in out:
            ref = f.source
            out[f.id] = Footnote(f.id, ref.id, title(ref.id), ref.section or "", url(ref.id), ref.quote,
                                 ref.translation or "", f.note or "")

    for i in items:
        if isinstance(i, Derived):
            out[i.id] = Footnote(i.id, i.source_id, title(i.source_id), formula=i.formula, inputs=i.inputs,
                                 note=i.note or "")
            if by_id is None:
                by_id = base.by_id()
            for fid in i.inputs:
                if fid in by_id:
                    add_fact(by_id[fid])
        else:
            add_fact(i)
    return out
