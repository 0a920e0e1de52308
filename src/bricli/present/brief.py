"""What goes into a Markdown brief, as plain data (rendered by render/brief_markdown.py).

The brief reuses the topic commands' selection (`query.select`, derived values
included) and computes nothing of its own beyond grouping and ordering, so a
number in a brief is always the number `bricli TOPIC` prints.

Rules (documented in the README, "Briefs"):

- Key figures: stated figures (never derived) about China and the focus area
  (the region, `LCN`, or the `--country` given), that is figures whose
  countries are exactly those two codes, in either order; money, counts and
  people only (shares and growth rates stay in their section), and not the
  exports/imports components of a total. Of each series the latest value is
  kept; when that is a partial period (2019 Jan–Nov) the latest whole one is
  kept too, so a part-year is never the only headline.
- Series (charts): stated figures only, never derived ones, with the same
  source, metric, direction, countries, unit, scale, measure and basis, and
  comparable periods: all whole years, all the same months of a year, or all
  points in time (stocks). Two or more periods make a chart. Ranges are left
  out (one bar cannot show them).
- Caveats: partial periods, approximate and bounded values (and forecasts,
  estimates, targets), undated figures, derived values with their formulas,
  and corrections of the source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from bricli.model import countries
from bricli.analysis.derive import Derived
from bricli.model.vocab import APPROXIMATE_QUALIFIERS, LOWER_BOUND_QUALIFIERS, TOPICS, UPPER_BOUND_QUALIFIERS
from bricli.model.vocab import KINDS
from bricli.model.facts import Fact, FactBase
from bricli.analysis.query import Filters, Item, dated_span, resolve_country, select, span
from bricli.model.periods import parse_period
from bricli.model.series import series_key, time_key, value_of
from bricli.model.wording import CURRENCY_PREFIX, QUALIFIER_WORDS, change_text, is_partial, period_label, period_text, value_text

DEFAULT_TITLE = "China–Latin America Belt and Road cooperation: brief"
REGION = "LCN"
HOME = "CHN"

TOPIC_TITLES = {
    "trade": "Trade", "investment": "Investment", "projects": "Infrastructure projects", "finance": "Finance",
    "people": "People-to-people ties", "policy": "Policy coordination", "risks": "Risks",
}
# Non-figure items are listed by type, in this order, under these headings.
LIST_TYPES = (
    ("event", "Developments"),
    ("project", "Projects"),
    ("arrangement", "Arrangements"),
    ("policy", "Policy steps"),
    ("tie", "Ties"),
    ("risk", "Risks"),  # replaced by one heading per category (see _risk_lists)
    ("actor", "Actors named"),
)
# Group titles for kinds (the model's vocabulary is singular and hyphenated).
KIND_TITLES = {
    "memorandum": "Memoranda", "agreement": "Agreements", "framework": "Frameworks", "visit": "Visits",
    "joint-statement": "Joint statements", "forum": "Forums", "statement": "Statements", "proposal": "Proposals",
    "principle": "Principles", "other": "Other", "swap": "Currency swaps", "clearing": "Clearing banks",
    "membership": "Memberships", "mechanism": "Mechanisms", "initiative": "Initiatives", "meeting": "Meetings",
    "crisis": "Crises", "port": "Ports", "bridge": "Bridges", "railway": "Railways", "road": "Roads",
    "hydropower": "Hydropower", "power-plant": "Power plants", "transmission": "Transmission",
    "water-supply": "Water supply", "telecom": "Telecom", "fiber-cable": "Fibre-optic cables",
    "education": "Education", "language": "Language", "media": "Media", "tourism": "Tourism", "visa": "Visas",
    "flights": "Flights", "culture": "Culture", "exchange": "Exchanges", "person": "People",
    "organization": "Organizations", "government": "Governments",
}
RISK_TITLES = {
    "political": "Political risks", "economic": "Economic risks", "public-security": "Public-security risks",
    "external-powers": "External-power risks", "perception": "Perception risks", "china-side": "China-side risks",
}
BASIS_WORDS = {"forecast": "a forecast, not a reported figure", "estimate": "an estimate, not a reported figure",
               "target": "a target, not a reported figure"}
KEY_UNITS = ("USD", "CNY", "EUR", "count", "people")


# --- the data structure ------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a list: plain text (the renderer escapes it) and the fact id it cites."""

    ref: str
    text: str
    lead: str = ""  # shown first and emphasised (a key figure's value)


@dataclass
class Group:
    title: str  # "" for an ungrouped list
    entries: list[Entry]


@dataclass
class ItemList:
    heading: str
    groups: list[Group]


@dataclass(frozen=True)
class Point:
    label: str  # x-axis label: period, plus the qualifier when not exact
    period: str  # the period alone, for the table
    number: str  # the stated digits, for the chart
    value: str  # the value as a person reads it, for the table
    ref: str


@dataclass
class Series:
    title: str
    axis: str  # y-axis label: unit and scale
    points: list[Point]
    note: str = ""


@dataclass
class Section:
    topic: str
    title: str
    figures: list[Item]  # stated and derived figures, in `bricli TOPIC` order
    series: list[Series]
    lists: list[ItemList]


@dataclass
class Footnote:
    id: str
    source_id: str
    source_title: str
    section: str = ""
    quote: str = ""
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
class Scope:
    selection: str  # topics and filters, plain text
    dirs: list[str]  # fact directories by name
    sources: list[SourceInfo]  # the sources the brief cites


@dataclass
class Brief:
    title: str
    date: str | None
    scope: Scope
    key_figures: list[Entry]
    key_note: str
    sections: list[Section]
    caveats: list[ItemList]
    footnotes: dict[str, Footnote] = field(default_factory=dict)


# --- building it -------------------------------------------------------------


def build_brief(base: FactBase, topics: tuple[str, ...], filters: Filters, *, title: str | None = None,
                date: str | None = None) -> Brief:
    """The brief for `topics` (all when empty), in topic order; `filters.topic` is ignored."""
    wanted = [t for t in TOPICS if not topics or t in topics]
    filters = replace(filters, topic=None)
    # one selection for all topics: derived values are computed once, as for `bricli TOPIC`
    items = [i for i in select(base, filters) if i.topic in wanted]
    items.sort(key=lambda i: wanted.index(i.topic))  # stable: file order within a topic, derived values last
    focus = REGION
    if filters.country:
        code = resolve_country(filters.country)
        focus = code if code != HOME else REGION

    sections = [_section(t, [i for i in items if i.topic == t]) for t in wanted]
    key = _key_figures([i for i in items if isinstance(i, Fact)], focus)
    key_note = (f"Stated figures about {countries.name(HOME)} and {countries.name(focus)}; "
                "the latest of each series, with the latest whole period when the latest is partial.")
    caveats = _caveats(items)
    footnotes = _footnotes(items, base)
    return Brief(
        title=title or DEFAULT_TITLE,
        date=date,
        scope=_scope(base, items, wanted, filters),
        key_figures=key,
        key_note=key_note,
        sections=sections,
        caveats=caveats,
        footnotes=footnotes,
    )


def _scope(base: FactBase, items: list[Item], topics: list[str], f: Filters) -> Scope:
    from bricli.load.discover import shipped_facts_dir

    shipped = shipped_facts_dir().resolve()
    # names, not paths: a brief must not depend on where bricli or the facts are installed
    dirs = [f"{Path(d).name} (shipped)" if Path(d).resolve() == shipped else Path(d).name for d in base.dirs]
    used: list[str] = []
    for i in items:
        sid = _source_id(i)
        if sid not in used:
            used.append(sid)
    sources = []
    for sid in used:
        s = base.sources.get(sid)
        if s is None:
            sources.append(SourceInfo(sid, sid, ""))
        else:
            sources.append(SourceInfo(s.id, s.title, s.date + (", estimated" if s.date_estimated else ""), s.url or ""))
    chosen = ["all topics" if len(topics) == len(TOPICS) else "topics " + ", ".join(topics)]
    if f.country:
        code = resolve_country(f.country)
        chosen.append(f"country {countries.name(code)} ({code})")
    if f.year is not None:
        chosen.append(f"year {f.year} (periods touching it, partial ones included)")
    if f.date_from or f.date_to:
        chosen.append(f"from {f.date_from or 'the start'} to {f.date_to or 'the end'}")
    if f.source:
        chosen.append(f"source {f.source}")
    if f.grep:
        chosen.append(f"text \u201c{f.grep}\u201d")
    if not (f.country or f.year is not None or f.date_from or f.date_to or f.source or f.grep):
        chosen.append("no filters")
    return Scope("; ".join(chosen), dirs, sources)


def _source_id(item: Item) -> str:
    return item.source_id if isinstance(item, Derived) else item.source.id


def _what(f: Fact) -> str:
    # the topic tables' rule (present/listing.py display_row): the name leads when the label lacks it
    return f"{f.name}: {f.label}" if f.name and f.name not in f.label else f.label


def _names(codes) -> str:
    return ", ".join(countries.name(c) for c in codes)


def _is_figure(item: Item) -> bool:
    return isinstance(item, Derived) or item.type == "figure"


# --- sections ----------------------------------------------------------------


def _section(topic: str, items: list[Item]) -> Section:
    figures = [i for i in items if _is_figure(i)]
    facts = [i for i in items if isinstance(i, Fact) and not i.is_figure]
    lists: list[ItemList] = []
    for ftype, heading in LIST_TYPES:
        of_type = [f for f in facts if f.type == ftype]
        if not of_type:
            continue
        if ftype == "risk":
            lists.extend(_risk_lists(of_type))
        else:
            lists.append(ItemList(heading, _by_kind(ftype, of_type)))
    return Section(topic, TOPIC_TITLES.get(topic, topic.capitalize()), figures,
                   _series([f for f in figures if isinstance(f, Fact)]), lists)


def _entry(f: Fact, with_countries: bool = True) -> Entry:
    details = []
    # China and the region as a whole is what the whole brief is about: not repeated on every line
    if with_countries and f.countries and set(f.countries) != {HOME, REGION}:
        details.append(_names(f.countries))
    when = period_text(f)
    if when:
        details.append(when)
    if f.status:
        details.append(f"status: {f.status}")
    text = _what(f) + (f" ({'; '.join(details)})" if details else "")
    return Entry(f.id, text)


def _kind_title(kind: str | None) -> str:
    if not kind:
        return "Other"
    word = kind.replace("-", " ")
    return KIND_TITLES.get(kind, word[0].upper() + word[1:])


def _by_kind(ftype: str, facts: list[Fact]) -> list[Group]:
    kinds = KINDS.get(ftype, ())
    present = sorted({f.kind for f in facts}, key=lambda k: (kinds.index(k) if k in kinds else len(kinds), k or ""))
    if len(present) == 1:
        return [Group("", [_entry(f) for f in facts])]
    return [Group(_kind_title(k), [_entry(f) for f in facts if f.kind == k]) for k in present]


def _risk_lists(risks: list[Fact]) -> list[ItemList]:
    """One list per category (in model order), grouped by the countries each risk names."""
    order = KINDS["risk"]
    out = []
    for cat in sorted({r.kind for r in risks}, key=lambda k: (order.index(k) if k in order else len(order), k or "")):
        of_cat = [r for r in risks if r.kind == cat]
        groups: dict[str, list[Entry]] = {}
        for r in of_cat:
            # the same countries in another order are the same group
            key = ", ".join(sorted(countries.name(c) for c in r.countries)) or "No country named"
            groups.setdefault(key, []).append(_entry(r, with_countries=False))
        heading = RISK_TITLES.get(cat or "", f"{_kind_title(cat)} risks")
        out.append(ItemList(heading, [Group(name, groups[name]) for name in sorted(groups)]))
    return out


# --- series ------------------------------------------------------------------


def _shape(f: Fact) -> tuple[object, ...] | None:
    """Which periods are comparable: whole years with whole years, Jan–Nov with Jan–Nov, points with points."""
    if f.period:
        p = parse_period(f.period)
        first, last = p.first, p.last
        return ("span", first.month, first.day, last.month, last.day, last.year - first.year)
    if f.as_of:
        return ("point",)
    return None


def _axis(f: Fact) -> str:
    """The y-axis label, in the words wording.amount uses: US$ billion, %, Confucius Institutes."""
    if f.unit in CURRENCY_PREFIX:
        unit = CURRENCY_PREFIX[f.unit]
    elif f.unit == "percent":
        unit = "%"
    elif f.unit == "count":
        unit = f.counted or "count"
    else:
        unit = f.unit or ""
    return " ".join(x for x in (unit, "" if f.scale == "one" else f.scale) if x) or "value"


def _series(figures: list[Fact]) -> list[Series]:
    groups: dict[tuple, list[Fact]] = {}
    for f in figures:
        shape = _shape(f)
        if shape is None or f.qualifier == "range" or f.value is None:
            continue
        groups.setdefault((series_key(f), f.direction, f.scale, shape), []).append(f)
    out = []
    for members in groups.values():  # first-seen order: file order
        by_time: dict[object, Fact] = {}
        for f in members:
            by_time.setdefault(time_key(f), f)  # one value per period: the first stated
        if len(by_time) < 2:
            continue
        points_facts = sorted(by_time.values(), key=dated_span)
        points = []
        bounded = []
        for f in points_facts:
            label = period_label(f)
            word = QUALIFIER_WORDS.get(f.qualifier, "")
            if word:
                label += f" ({word})"
                bounded.append(f"{period_label(f)}: {value_text(f)}")
            if f.basis != "reported":
                label += f" ({f.basis})"
            points.append(Point(label, period_label(f), value_of(f).text, value_text(f), f.id))
        first = points_facts[0]
        note = ""
        if bounded:
            note = "The bar shows the stated number; the source qualifies it: " + "; ".join(bounded) + "."
        out.append(Series(first.label, _axis(first), points, note))
    return out


# --- key figures -------------------------------------------------------------


def _key_figures(facts: list[Fact], focus: str) -> list[Entry]:
    pair = {HOME, focus}
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        if not (f.is_figure and f.value is not None and f.unit in KEY_UNITS):
            continue
        if set(f.countries) != pair or len(f.countries) != 2:
            continue
        if f.direction in ("exports", "imports"):
            continue
        groups.setdefault((series_key(f), f.direction), []).append(f)
    chosen: set[str] = set()
    for members in groups.values():
        dated = [f for f in members if span(f)]
        if not dated:
            chosen.add(members[0].id)  # undated ("so far"): the first stated
            continue
        latest = max(dated, key=lambda f: (dated_span(f)[1], dated_span(f)[0]))
        chosen.add(latest.id)
        if is_partial(latest):
            whole = [f for f in dated if not is_partial(f)]
            if whole:
                chosen.add(max(whole, key=lambda f: (dated_span(f)[1], dated_span(f)[0])).id)
    out = []
    # topic order, then file order, as everywhere else
    for f in sorted(facts, key=lambda f: TOPICS.index(f.topic) if f.topic in TOPICS else len(TOPICS)):
        if f.id not in chosen:
            continue
        details = [f.label]
        when = period_text(f)
        if when:
            details.append(when)
        text = ", ".join(details)
        if f.change_pct is not None:
            text += f" ({change_text(f.change_pct)} on a year earlier)"
        out.append(Entry(f.id, text, lead=value_text(f)))
    return out


# --- caveats -----------------------------------------------------------------


def _qualified(f: Fact) -> str:
    if f.qualifier in LOWER_BOUND_QUALIFIERS:
        return "a lower bound"
    if f.qualifier in UPPER_BOUND_QUALIFIERS:
        return "an upper bound"
    if f.qualifier in APPROXIMATE_QUALIFIERS:
        return "approximate"
    if f.qualifier == "range":
        return "a range"
    return ""


def _caveats(items: list[Item]) -> list[ItemList]:
    facts = [i for i in items if isinstance(i, Fact)]
    figures = [f for f in facts if f.is_figure]
    partial = [Entry(f.id, f"{f.label}: {period_text(f)}, part of the year, not the whole year") for f in figures
               if is_partial(f)]
    bounded = []
    for f in figures:
        why = [w for w in (_qualified(f), BASIS_WORDS.get(f.basis, "")) if w]
        if why:
            bounded.append(Entry(f.id, f"{f.label}: {value_text(f)}; {', '.join(why)}"))
    undated = [Entry(f.id, f"{f.label}: {value_text(f)}, dated only \u201c{f.when}\u201d (see the source's date)")
               for f in figures if not span(f) and f.when]
    derived = [Entry(d.id, f"{d.label}: {d.display()} = {d.formula}" + (f"; {d.note}" if d.note else ""))
               for d in items if isinstance(d, Derived)]
    corrections = [Entry(f.id, f"{_what(f)}: {f.correction}") for f in facts if f.correction]
    lists = [
        ("Partial periods", partial),
        ("Approximate and bounded values", bounded),
        ("Figures without a date", undated),
        ("Derived values", derived),
        ("Corrections of the source text", corrections),
    ]
    return [ItemList(h, [Group("", entries)]) for h, entries in lists if entries]


# --- footnotes ---------------------------------------------------------------


def _footnotes(items: list[Item], base: FactBase) -> dict[str, Footnote]:
    by_id = base.by_id()
    out: dict[str, Footnote] = {}

    def title(sid: str) -> str:
        s = base.sources.get(sid)
        return s.title if s else sid

    def add_fact(f: Fact) -> None:
        if f.id not in out:
            out[f.id] = Footnote(f.id, f.source.id, title(f.source.id), f.source.section or "", f.source.quote, f.note or "")

    for i in items:
        if isinstance(i, Derived):
            out[i.id] = Footnote(i.id, i.source_id, title(i.source_id), formula=i.formula, inputs=i.inputs,
                                 note=i.note or "")
            for fid in i.inputs:  # an input may be outside the selection (a prior year): still cited
                if fid in by_id:
                    add_fact(by_id[fid])
        else:
            add_fact(i)
    return out
