"""What a query asks (Filters), checked and resolved (`prepare`), and the pieces of a fact it
is matched on: its topic's rank (a fact's span, searchable text and title are in `matching`,
which needs the fact model that a query the index serves keeps out). The index (index/query.py)
compiles these into SQL: it is the one place facts are selected."""

from __future__ import annotations

from dataclasses import dataclass, field, fields as dataclass_fields
from collections.abc import Mapping
from typing import Any
from datetime import date

from bricli.model import countries
from bricli.model.suggest import close_matches
from bricli.model.text import fold
from bricli.model.vocab import RELIABILITY
from bricli.model.errors import QueryError


@dataclass
class Filters:
    """What to keep. Every tuple means "any of"; `words` are all required.

    Build one with `present.request.build_filters`, which checks user values;
    a plain str or int is accepted here too (one country, one year)."""

    topic: str | None = None
    year: tuple[tuple[int, int], ...] | int | None = ()  # inclusive year windows
    date_from: str | None = None
    date_to: str | None = None
    country: tuple[str, ...] | str | None = ()  # codes or names, resolved by `select`
    source: tuple[str, ...] | str | None = ()
    grep: tuple[str, ...] | str | None = ()  # text in any searchable field
    words: tuple[str, ...] = ()  # search: every word somewhere
    reliability: str | None = None  # A, B or C: facts from sources graded this or better
    types: tuple[str, ...] = ()
    fields: dict[str, tuple[str, ...] | str] = field(default_factory=dict)  # e.g. {"direction": ("exports",)}

    def selects_all(self) -> bool:
        """No filter at all: every item is kept."""
        return not any(getattr(self, f.name) for f in dataclass_fields(self))


def many(value: object) -> tuple[Any, ...]:
    """A filter value as a tuple: None is (), one str or int is a tuple of one."""
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        return (value,)
    assert isinstance(value, (tuple, list)), value
    return tuple(value)


def resolve_country(text: str) -> str:
    try:
        return countries.resolve(text)
    except countries.CountryError as exc:
        message, hint = str(exc), ""
        said = message.rfind(" (did you mean ")
        if said > 0 and message.endswith("?)"):  # the suggestion is a hint, for the CLI and the API alike
            message, hint = message[:said], message[said + 2:-1]
        elif exc.suggestions:
            hint = "did you mean " + " or ".join(f"{n} ({c})" for c, n in exc.suggestions[:3]) + "?"
        raise QueryError(message, hint) from None


def _date_bound(text: str, which: str) -> date:
    from bricli.model.periods import parse_day  # the fact model: only for --from/--to, not every query the index serves

    try:
        d = parse_day(text.strip())
    except ValueError as exc:
        raise QueryError(f"--{which}: {exc}", "use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return d.first if which == "from" else d.last


class Prepared:
    """What `prepare` makes of Filters: values checked, countries resolved, text folded."""

    __slots__ = ("codes", "sources", "wanted", "windows", "needles", "words", "graded", "grade")

    def __init__(self, codes: set[str], sources: tuple[Any, ...], wanted: dict[str, tuple[Any, ...]],
                 windows: list[tuple[date, date]], needles: list[str], words: list[str], graded: set[str] | None,
                 grade: str | None) -> None:
        self.codes, self.sources, self.wanted, self.windows = codes, sources, wanted, windows
        self.needles, self.words, self.graded, self.grade = needles, words, graded, grade


def prepare(filters: Filters, sources_by_id: Mapping[str, Any]) -> Prepared:
    """Filters checked and resolved (QueryError for a value that cannot be used), for the
    index (index/query.py). `sources_by_id` maps each source id to anything with a `reliability`."""
    f = filters
    codes = {resolve_country(c) for c in many(f.country)}
    sources = many(f.source)
    for sid in sources:
        if sid not in sources_by_id:
            close = close_matches(sid, sources_by_id, n=1)
            raise QueryError(f"unknown source '{sid}'", f"did you mean {close[0]}?" if close else "see `bricli sources`")
    wanted = {name: many(values) for name, values in f.fields.items()}
    windows = [(date(y, 1, 1), date(y, 12, 31)) for y in many(f.year) if isinstance(y, int)]
    windows += [(date(lo, 1, 1), date(hi, 12, 31)) for lo, hi in (y for y in many(f.year) if not isinstance(y, int))]
    if f.date_from or f.date_to:
        lo = _date_bound(f.date_from, "from") if f.date_from else date.min
        hi = _date_bound(f.date_to, "to") if f.date_to else date.max
        if lo > hi:
            raise QueryError("--from is after --to", "swap them")
        windows = [(max(lo, a), min(hi, b)) for a, b in windows] if windows else [(lo, hi)]
    needles = [fold(g) for g in many(f.grep)]
    for given, needle in zip(many(f.grep), needles):
        if not needle.strip():  # "" or a lone accent: it would match every row
            raise QueryError(f"nothing to search for in {given!r} once case and accents are set aside",
                             "give letters, digits or punctuation to look for")
    words = [fold(w) for w in f.words]
    graded, grade = None, None
    if f.reliability:
        grade = f.reliability.strip().upper()
        if grade not in RELIABILITY:
            raise QueryError(f"--reliability: unknown grade '{f.reliability}'", "use A, B or C")
        graded = {sid for sid, s in sources_by_id.items() if s.reliability and s.reliability <= grade}
    return Prepared(codes=codes, sources=sources, wanted=wanted, windows=windows, needles=needles, words=words,
                    graded=graded, grade=grade)


TOPIC_ORDER = ("trade", "investment", "projects", "finance", "people", "policy", "risks")  # views across topics


def topic_rank(topic: str | None) -> int:
    """Where a topic's items stand in views across topics (unknown topics last)."""
    return TOPIC_ORDER.index(topic) if topic in TOPIC_ORDER else len(TOPIC_ORDER)
