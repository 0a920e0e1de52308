"""What a brief holds, as plain data: render/brief_markdown.py lays it out, the other modules of
this package decide what goes in. Plain text throughout (the renderer escapes it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bricli.analysis.derive import Derived
from bricli.analysis.derive import Item

REGION = "LCN"  # the focus area of a brief without one --country
HOME = "CHN"  # the other side of every brief


@dataclass(frozen=True)
class Line:
    """One line of a list: plain text (the renderer escapes it) and the fact ids it cites."""

    refs: tuple[str, ...]
    text: str
    lead: str = ""  # shown first and emphasised (a value)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the lead: an opening, then its parts (each with its footnotes), joined by "; "."""

    parts: tuple[Line, ...]
    opening: str = ""


@dataclass
class LineGroup:
    title: str  # "" for an ungrouped list
    entries: list[Line]


@dataclass
class ItemList:
    heading: str
    groups: list[LineGroup]


@dataclass(frozen=True)
class KeyFigure:
    what: str
    value: str
    period: str
    change: str
    source: str  # source id (the brief names it by Brief.source_names)
    ref: str


@dataclass(frozen=True)
class Point:
    label: str  # x-axis label: period, plus the qualifier when not exact
    period: str  # the period alone, for the table
    number: str  # the stated digits (in the chart's scale), for the chart
    value: str  # the value as a person reads it, for the table
    ref: str  # "" for a year without a figure (its bar is empty)
    source: str = ""  # source id


@dataclass
class Series:
    title: str
    axis: str  # y-axis label: unit and scale
    source: str  # "" when the points come from several sources
    points: list[Point]
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
    kind: str  # words.CONFLICT_KINDS key
    claims: tuple[Claim, ...]


@dataclass
class Section:
    topic: str
    title: str
    bullets: list[Line] = field(default_factory=list)  # default brief
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
    caveats: list[Line]
    footnotes: dict[str, Footnote] = field(default_factory=dict)
    lead: list[Sentence] = field(default_factory=list)  # under the title (present/brief/lead.py)
    country_lists: list[ItemList] = field(default_factory=list)  # a one-country brief: its steps, its projects
    source_names: dict[str, str] = field(default_factory=dict)  # source id -> how the brief names it (opening.cited_as)



def source_of(item: Item) -> str:
    """The source id of a fact or derived value."""
    return item.source_id if isinstance(item, Derived) else item.source.id

