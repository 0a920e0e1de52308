"""The typed records a fact file becomes: sources, facts and their stated numbers.

The fields they carry are specified in `fields.py` (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(slots=True)
class Location:
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(slots=True)
class SourceRef:
    id: str
    section: str | None  # None for a web page: its url locates the quote
    quote: str  # verbatim, in the source's language
    translation: str | None = None  # English translation of a non-English quote


@dataclass(slots=True)
class Source:
    id: str
    title: str
    date: str
    author: str | None = None
    publisher: str | None = None
    date_estimated: bool = False
    url: str | None = None
    kind: str | None = None
    language: str | None = None
    reliability: str | None = None
    reproduces: str | None = None
    retrieved: str | None = None
    note: str | None = None
    loc: Location | None = None


@dataclass(slots=True)
class Number:
    """A stated number: the digits as written and their precision."""

    text: str

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.text)

    @property
    def decimals(self) -> int:
        """Digits after the point: 307.4 has 1, 44 has 0."""
        exp = self.decimal.as_tuple().exponent
        return max(0, -exp) if isinstance(exp, int) else 0

    @property
    def half_ulp(self) -> Decimal:
        """Half a unit in the last stated place: the rounding the figure allows."""
        return Decimal(1).scaleb(-self.decimals) / 2

    def as_json(self) -> int | float:
        d = self.decimal
        return int(d) if d == d.to_integral_value() and "." not in self.text else float(self.text)

    def __str__(self) -> str:
        return self.text


@dataclass(slots=True)
class Fact:
    id: str
    type: str
    topic: str
    label: str
    source: SourceRef
    loc: Location
    description: str | None = None
    rationale: str | None = None
    kind: str | None = None
    countries: tuple[str, ...] = ()
    period: str | None = None
    as_of: str | None = None
    when: str | None = None
    metric: str | None = None
    direction: str | None = None
    measure: str | None = None
    value: Number | None = None
    value_max: Number | None = None
    unit: str | None = None
    counted: str | None = None
    scale: str = "one"
    qualifier: str = "exact"
    prices: str = "nominal"
    aggregates: bool = True
    change_pct: Number | None = None
    basis: str = "reported"
    stat_basis: str = "unstated"
    ratio_of: tuple[str, str] | None = None
    name: str | None = None
    sector: str | None = None
    term_years: Number | None = None
    status: str | None = None
    stage: str | None = None
    about: str | None = None
    participants: tuple[str, ...] = ()
    role: str | None = None
    note: str | None = None
    correction: str | None = None
    revises: str | None = None

    @property
    def is_figure(self) -> bool:
        return self.type == "figure"


class FactLike(Protocol):
    """What a stated `Fact` and a computed `analysis.derive.Derived` share: enough to say
    when it holds (period labels, spans), what it is and where it belongs. Code that
    takes either one takes this, instead of passing one for the other."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def countries(self) -> tuple[str, ...]: ...
    @property
    def period(self) -> str | None: ...
    @property
    def as_of(self) -> str | None: ...
    @property
    def when(self) -> str | None: ...
    @property
    def metric(self) -> str | None: ...
    @property
    def direction(self) -> str | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def scale(self) -> str: ...
    @property
    def note(self) -> str | None: ...


@dataclass(slots=True)
class FactBase:
    """Everything loaded from one or more fact directories."""

    facts: list[Fact]
    sources: dict[str, Source]
    files: list[str]
    dirs: list[str]

    def by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}
