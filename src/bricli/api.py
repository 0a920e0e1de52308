"""bricli from Python (notebooks, scripts): every listing and view, the same records as `--format json`.

    >>> import bricli.api as b
    >>> rows = b.records("trade", flow=["exports", "imports"], year="2015..2019", columns=["id", "value"])
    >>> b.search("Huawei 5G"); b.timeline(date_from=2018, date_to=2019); b.show("trade-2018-total-chn-lcn")
    >>> b.sources(); b.conflicts(year=2011); b.countries(); b.country("Brasil", status=True)
    >>> b.series("trade"); b.series("trade-total-chn-lcn-usd", year="2010..", alternates=True)
    >>> df = b.dataframe("trade", year=2018); b.dataframe("series", "trade-total-chn-lcn-usd")

Each function takes the options of its command (`records(topic)`: `bricli TOPIC`;
`search(text)`: `bricli search TEXT` ...) by their Python names (`--from` is
`date_from`, `--no-shipped` is `no_shipped`), with the same meaning and defaults;
`options(name)` lists them. The options that only change how a terminal shows rows
(`--cite`, `--ids`, `--chart`, `--format`, ...) have no use here. A value the
command line refuses raises `QueryError` with the command line's message (an
unknown topic, option, country or value, a bad type such as `grep=5` or
`year=True`); a fact base with problems raises `FactBaseError`.

Every view is selected and built by the code the command line runs
(present/views.py, through the one engine, index/engine.py); only the rendering
differs. Like every module off the command line's fast path (cli/entry.py), this one imports
what it runs at its top, pandas included; it never imports the command line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from bricli.index.engine import Engine
from bricli.load.discover import fact_dirs
from bricli.model.arguments import ArgumentError, path_argument, whole_number
from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
from bricli.model.problems import FactBaseError, QueryError
from bricli.present import base_views, views
from bricli.present.base_views import fact_citation, find_fact
from bricli.present.database import record_cells, record_columns
from bricli.present.listing import RECORD_FIELDS, Listing, shaped
from bricli.present.options import VIEW_OPTIONS, api_options
from bricli.present.request import Shape, build_filters, build_shape, flag_value, topic_name

__all__ = ["FactBaseError", "QueryError", "conflicts", "countries", "country", "dataframe", "options", "records",
           "search", "series", "show", "sources", "timeline"]



def options(name: str | None = None) -> tuple[str, ...]:
    """The keyword arguments `records(topic, ...)` takes (those of `bricli TOPIC`), or with a view's
    name (search, timeline, show, sources, conflicts, countries, country, series), those of that view."""
    return api_options(name if name in VIEW_OPTIONS else topic_name(name))


def _facts(value) -> list[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, (str, Path)) else value  # one directory, or a list of them
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, (str, Path)) for v in items):
        raise QueryError(f"--facts: expected a directory or a list of directories, not {type(value).__name__} {value!r}",
                         "facts='my-facts' or facts=['a', 'b']")

    out = []
    for v in items:
        try:
            out.append(str(path_argument(v)))  # ~user, NUL, over-long: refused here, as on the command line
        except ArgumentError as exc:
            raise QueryError(f"--facts: {exc.message}", exc.hint or "give a directory") from None
    return out


class _Request:
    """A call's keyword arguments, checked against its command's options and taken out one by one."""

    def __init__(self, name: str | None, kwargs: dict) -> None:
        allowed = api_options(name)
        unknown = [k for k in kwargs if k not in allowed]
        if unknown:
            where = f"bricli {name}" if name else "records()"
            raise QueryError(f"unknown option '{unknown[0]}' for {where}", f"use one of: {', '.join(allowed)}")
        self.name = name
        self.kw = dict(kwargs)
        self.view = name in VIEW_OPTIONS

    def flag(self, name: str) -> bool:
        return flag_value(name, self.kw.pop(name, False))

    def base_options(self) -> tuple[list[str] | None, bool, int, bool]:
        """--facts, --no-shipped, --max-file-size, --no-cache: checked before anything is read."""
        no_shipped, no_cache = self.flag("no_shipped"), self.flag("no_cache")
        try:  # as --max-file-size: one function, bounded (issue 24)
            max_size = whole_number(self.kw.pop("max_file_size", DEFAULT_MAX_FILE_SIZE), lo=1)
        except ArgumentError as exc:
            raise QueryError(f"--max-file-size: {exc.message}", "a number of bytes, for example 2000000") from None
        return _facts(self.kw.pop("facts", None)), no_shipped, max_size, no_cache

    def shape(self) -> Shape:
        return build_shape(self.kw.pop("columns", None), self.kw.pop("sort", None), self.kw.pop("limit", None))

    def filters(self, topic: str | None = None, **extra):
        """The filters of the options left (the topic's own among them), checked as the command line checks them."""
        return build_filters(topic, **self.kw, **extra)


@contextlib.contextmanager
def _engine(base: tuple[list[str] | None, bool, int, bool]) -> Iterator[Engine]:
    """The engine of these fact directories, refusing a base with problems (FactBaseError)."""
    dirs, no_shipped, max_size, no_cache = base
    paths = fact_dirs(dirs, no_shipped=no_shipped)
    if not paths:
        raise QueryError("no fact directories: --no-shipped needs --facts DIR or $BRICLI_FACTS")
    with Engine.open(paths, max_size, no_cache=no_cache) as e:
        e.require_clean()
        yield e


def _listing(name: str | None, args: tuple, kwargs: dict) -> tuple[Listing, Shape]:
    """The listing `bricli NAME ARGS --options` prints (before --columns, --sort and --limit), and those."""
    if name not in VIEW_OPTIONS:
        name = topic_name(name)
    req = _Request(name, kwargs)
    argument = {"search": "TEXT", "country": "COUNTRY", "show": "FACT_ID"}.get(name or "")
    if name != "series" and len(args) != (1 if argument else 0):
        raise QueryError(f"bricli {name or 'TOPIC'} takes {'one ' + argument if argument else 'no'} argument, "
                         f"not {len(args)}", "give the options by name: " + ", ".join(api_options(name)))
    base = req.base_options()
    shape = req.shape()
    limit = None if shape.sort else shape.limit  # as the command line: --sort sees every row first
    derived = req.flag("derived") if "derived" in api_options(name) else False
    if name == "show":
        req.flag("cite_as")
        with _engine(base) as e:
            return base_views.show_view(base_views.find_fact(e, args[0])), shape
    if name in ("sources", "countries"):
        with _engine(base) as e:
            return (base_views.sources_view(e) if name == "sources" else base_views.matrix_view(e)), shape
    if name == "search":
        filters = req.filters(words=views.search_words(args[0]))
        with _engine(base) as e:
            return views.search_view(e, args[0], filters, derived=derived, limit=limit), shape
    if name == "timeline":
        filters = req.filters()
        with _engine(base) as e:
            return views.timeline_view(e, filters, limit=limit), shape
    if name == "country":
        code = views.profile_code(args[0])
        status = req.flag("status")
        filters = req.filters(country=code)
        with _engine(base) as e:
            return base_views.country_view(e, code, filters, derived=derived, status=status, limit=limit), shape
    if name == "conflicts":
        kind = views.disagreement_kind(req.kw.pop("kind", None))
        filters = req.filters()
        with _engine(base) as e:
            return base_views.conflicts_view(e, filters, kind=kind), shape
    if name == "series":
        basis, alternates = req.kw.pop("basis", None), req.flag("alternates")
        views.series_request(list(args), basis, alternates)  # before anything is read, as the command line
        filters = req.filters()
        with _engine(base) as e:
            view = base_views.series_view(e, list(args), filters, basis=basis, alternates=alternates)
        assert view.listing is not None
        return view.listing, shape
    filters = req.filters(name)  # a topic, or every topic
    with _engine(base) as e:
        return views.topic_view(e, name, filters, derived=derived, limit=limit), shape


def _records(name: str | None, args: tuple, kwargs: dict) -> list[dict]:
    listing, shape = _listing(name, args, kwargs)
    return shaped(listing, shape.columns, shape.sort, shape.limit).records


def records(topic: str | None = None, **kwargs) -> list[dict]:
    """The facts `bricli TOPIC --format json` prints (every topic when None): records of the JSON contract.

    Options (see `options(topic)`): country, year, date_from, date_to, source, grep, reliability, the
    topic's own filters (trade: flow, basis; investment: kind, direction; ...), derived, columns,
    sort, limit, facts, no_shipped, max_file_size, no_cache."""
    return _records(topic, (), kwargs)


def search(text: str, **kwargs) -> list[dict]:
    """`bricli search TEXT`: facts holding every word of `text` (any case, any accents), matches in
    labels and names first. Options: those of the topics but grep and the topic's own."""
    return _records("search", (text,), kwargs)


def timeline(**kwargs) -> list[dict]:
    """`bricli timeline`: dated stated facts in time order. Options: country, year, date_from, date_to,
    source, grep, reliability, columns, sort, limit and the fact-base options."""
    return _records("timeline", (), kwargs)


def show(fact_id: str, **kwargs) -> dict | str:
    """`bricli show FACT_ID`: the one record of that fact (or derived value), the dict
    `--format json` prints in its list; with `cite_as=True`, the citation `--cite-as` prints (text).
    An unknown id raises QueryError (with the closest ids)."""
    if kwargs.get("cite_as") is True:
        req = _Request("show", kwargs)
        req.flag("cite_as")
        with _engine(req.base_options()) as e:
            return fact_citation(find_fact(e, fact_id))
    return _records("show", (fact_id,), kwargs)[0]


def sources(**kwargs) -> list[dict]:
    """`bricli sources`: the registry, one record per source with its reliability and how many facts cite it."""
    return _records("sources", (), kwargs)


def conflicts(**kwargs) -> list[dict]:
    """`bricli conflicts`: one record per fact of each disagreement between sources any of whose facts
    the filters select. Options: the common filters, kind ('value' or 'date'), columns, sort, limit."""
    return _records("conflicts", (), kwargs)


def countries(**kwargs) -> list[dict]:
    """`bricli countries`: the regional matrix, one record per CELAC state."""
    return _records("countries", (), kwargs)


def country(name: str, **kwargs) -> list[dict]:
    """`bricli country NAME` (a code or a name: 'BRA', 'Brasil'): its facts by topic; with `status=True`,
    every Belt and Road, AIIB, swap, clearing bank and FTA step (the `--status` records)."""
    return _records("country", (name,), kwargs)


def series(*names: str, **kwargs) -> list[dict]:
    """`bricli series [TOPIC ...]`: the series (one record each); `series(SERIES_ID)`: that series by
    year (one record per year; `alternates=True`: one per fact behind each year, the chosen first).
    Options: the common filters (year: the years shown of one series), basis, alternates, columns,
    sort, limit and the fact-base options."""
    return _records("series", names, kwargs)


def dataframe(view: str | None = None, *args, **kwargs):
    """The records of a topic or view as a pandas DataFrame, with the column names of `bricli export`'s
    tables: `records(topic)`, `search`, `timeline`, `country`, `show` in the columns of table facts
    (`source_quote` for the record's `source.quote`, the period as dates `period_start`, `period_end`,
    `year` after `period_type`), the other views their records' fields, a nested field `source.x`
    as `source_x`; lists stay lists. With `columns`, exactly those fields (`source.quote` named
    `source_quote`). With no record, an empty DataFrame with the same columns (`df["value"]` works).

        dataframe("trade", year=2018); dataframe("search", "Huawei"); dataframe("series", "trade-total-chn-lcn-usd")"""
    if view == "show" and kwargs.get("cite_as"):
        raise QueryError("cite_as gives text, not a table", "use show(fact_id, cite_as=True)")
    listing, shape = _listing(view, args, kwargs)
    listing = shaped(listing, shape.columns, shape.sort, shape.limit)
    rows = listing.records
    if not shape.columns and listing.fields == RECORD_FIELDS:  # facts: as table facts (and derived) of the export

        frame = pd.DataFrame([record_cells(r) for r in rows], columns=record_columns())
        frame["year"] = frame["year"].astype("Int64")  # an integer, empty for a multi-year or open period (not a float)
        return frame
    columns = _frame_columns(listing.fields)
    flat = [_frame_row(r) for r in rows]
    return pd.DataFrame([[f.get(c) for c in columns] for f in flat], columns=columns)


def _frame_columns(fields: tuple[str, ...]) -> list[str]:
    """A listing's fields as columns: a nested field (`source`) replaced by its parts (`source_id` ...), in place."""
    out: list[str] = []
    for f in fields:
        parts = [g for g in fields if g.startswith(f + ".")]
        if "." in f and f.split(".")[0] in fields:
            continue  # among its parent's parts
        out += [p.replace(".", "_") for p in parts] or [f.replace(".", "_")]
    return out


def _frame_row(record: dict) -> dict:
    out: dict = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update({f"{key}_{k}": v for k, v in value.items()})
        else:
            out[key.replace(".", "_")] = value
    return out
