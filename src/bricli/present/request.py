"""What a listing asks for: the filter and shape options of the CLI and of `bricli.api`.

Both turn their arguments into `Filters` and a `Shape` here, and nowhere else,
so a value the command line refuses is refused by the API with the same
message (a `QueryError`), and a new option reaches both at once.

The options themselves (which a command takes, for its --help and TAB) are declared
in present/options.py.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bricli.analysis.query import Filters, resolve_country
from bricli.model.arguments import ArgumentError, clip, whole_number
from bricli.model.errors import QueryError
from bricli.model.vocab import TOPICS
from bricli.present.options import TOPIC_FILTERS, api_options, flag


def _error(message: str, hint: str = ""):
    return QueryError(message, hint)


def _type_name(value) -> str:
    return type(value).__name__


def texts(name: str, value, *, split: bool = True) -> tuple[str, ...]:
    """A filter's values: one text, a comma list, or a list of either ("any of")."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise _error(f"{flag(name)}: expected text or a list of texts, not {_type_name(value)} {value!r}",
                     f"for example {flag(name)} A,B (API: {name}='A' or {name}=['A', 'B'])")
    out: list[str] = []
    for item in items:
        if not item.strip():  # given but empty: never silently "no filter", which would match every row
            if name == "grep":
                raise _error(f"nothing to search for in {item!r} once case and accents are set aside",
                             "give letters, digits or punctuation to look for")
            raise _error(f"{flag(name)}: an empty value", f"give a value, or leave {flag(name)} out")
        for part in (item.split(",") if split else [item]):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return tuple(out)


def closed_value(value, allowed, message: str, hint: str) -> str | None:
    """A value of a closed vocabulary as the command line takes it: None stays None, a text of
    `allowed` (any case, spaces around) comes back lowercased, anything else is a QueryError
    (`message`, `hint`): the one check behind TOPIC, --basis and --kind."""
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise _error(message, hint)
    return value.strip().lower()


def topic_name(topic) -> str | None:
    return closed_value(topic, TOPICS, f"unknown topic {topic!r}", f"use one of: {', '.join(TOPICS)}")


def _year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ValueError(text)
    return whole_number(text, lo=1000, hi=9999)


def years(value) -> tuple[tuple[int, int], ...]:
    """--year: 2018, "2018", "2015..2024", "2015..", "..2024", or a comma list / list of those."""
    if value is None:
        return ()
    hint = "use a year (2018), a range (2015..2024, 2015.., ..2024) or a comma list of them"
    if isinstance(value, bool) or not isinstance(value, (int, str, list, tuple)):
        raise _error(f"--year: expected a year or a range, not {_type_name(value)} {value!r}", hint)
    items = [value] if isinstance(value, (int, str)) else list(value)
    windows: list[tuple[int, int]] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise _error(f"--year: expected a year or a range, not {_type_name(item)} {item!r}", hint)
        if isinstance(item, str) and not item.strip():
            raise _error("--year: an empty value", hint)
        if isinstance(item, int):  # bounds first: str() of a 5,000-digit int raises (issue 24)
            try:
                whole_number(item, lo=1000, hi=9999)
            except ArgumentError:
                raise _error(f"--year: {clip(item)} is not a year between 1000 and 9999", hint) from None
        parts = [str(item)] if isinstance(item, int) else item.split(",")
        for part in parts:
            if not part.strip():
                continue
            try:
                if ".." in part:
                    lo_text, hi_text = part.split("..", 1)
                    lo, hi = _year(lo_text), _year(hi_text)
                    if lo is None and hi is None:
                        raise ValueError(part)
                else:
                    lo = hi = _year(part)
                    if lo is None:
                        raise ValueError(part)
            except ValueError:
                raise _error(f"--year: '{clip(part.strip())}' is not a year between 1000 and 9999 or a range of them", hint) from None
            window = (lo or 1000, hi or 9999)
            if window[0] > window[1]:
                raise _error(f"--year: the range '{part.strip()[:40]}' ends before it starts", "put the earlier year first")
            windows.append(window)
    return tuple(windows)


def date_text(name: str, value) -> str | None:
    """--from/--to: text (YYYY, YYYY-MM, YYYY-MM-DD); in the API a year may be an int."""
    if isinstance(value, (list, tuple)):  # the command line gives a list: --from once at most
        if len(value) > 1:
            raise _error(f"{flag(name)} given {len(value)} times", f"give {flag(name)} once (for several years: --year A,B)")
        value = value[0] if value else None
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _error(f"{flag(name)}: expected a date as text, not {_type_name(value)} {value!r}",
                     "use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def count(name: str, value) -> int | None:
    """--limit N: a whole number, 0 or more (model/arguments.whole_number: bounded, any input)."""
    if value is None:
        return None
    try:
        return whole_number(value, lo=0)
    except ArgumentError as exc:
        raise _error(f"{flag(name)}: {exc.message}", f"for example {flag(name)} 10") from None


def flag_value(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise _error(f"{flag(name)}: expected True or False, not {_type_name(value)} {value!r}")
    return value


class Shape(NamedTuple):
    """Which rows, in which order, with which fields: --columns, --sort, --limit."""

    columns: tuple[str, ...] = ()
    sort: str | None = None
    limit: int | None = None


def build_shape(columns=None, sort=None, limit=None) -> Shape:
    if sort is not None and (not isinstance(sort, str) or not sort.strip().lstrip("-")):
        raise _error(f"--sort: expected a field name (with '-' for descending), not {sort!r}", "for example --sort -value")
    return Shape(columns=texts("columns", columns), sort=sort.strip() if sort else None, limit=count("limit", limit))


def build_filters(topic: str | None = None, *, country=None, year=None, date_from=None, date_to=None, source=None,
                  grep=None, reliability=None, words=None, **topic_options):
    """Filters from the options as the CLI and the API take them; every value is checked here."""
    topic = topic_name(topic)
    specs = {f.option: f for f in TOPIC_FILTERS.get(topic or "", ())}
    fields: dict[str, tuple[str, ...] | str] = {}
    for name, value in topic_options.items():
        spec = specs.get(name)
        if spec is None:
            allowed = ", ".join(api_options(topic))
            raise _error(f"unknown option '{name}'" + (f" for {topic}" if topic else ""), f"use one of: {allowed}")
        wanted = tuple(v.lower() for v in texts(name, value))
        for v in wanted:
            if v not in spec.values:
                raise _error(f"--{name}: unknown value '{v}'", f"use one of: {', '.join(spec.values)}")
        if wanted:
            fields[spec.field] = wanted
    windows = years(year)
    date_from, date_to = date_text("date_from", date_from), date_text("date_to", date_to)
    if windows and (date_from or date_to):
        raise _error("--year and --from/--to cannot be combined", "use --year Y (or a range Y1..Y2), or --from/--to")
    codes = []
    for text in texts("country", country):
        code = resolve_country(text)
        if code not in codes:
            codes.append(code)
    if reliability is not None and not isinstance(reliability, str):
        raise _error(f"--reliability: expected a grade (A, B or C), not {_type_name(reliability)} {reliability!r}", "use A, B or C")
    return Filters(topic=topic, year=windows, date_from=date_from, date_to=date_to, country=tuple(codes),
                   source=texts("source", source), grep=texts("grep", grep, split=False),
                   words=texts("words", words, split=False), reliability=reliability, fields=fields)


def filters_from(kw: dict[str, Any], topic: str | None = None, **extra: Any) -> Filters:
    """The one place CLI options (cli/build.py's FILTERS) become the query's `Filters`; a command
    without some of those options passes None for them. The values are checked by
    `build_filters`, which the Python API uses too."""
    return build_filters(topic, year=kw.get("year"), date_from=kw.get("date_from"), date_to=kw.get("date_to"),
                         country=kw.get("country"), source=kw.get("source"), grep=kw.get("grep"),
                         reliability=kw.get("reliability"), **extra)
