"""bricli from Python (notebooks, scripts): the same records as `--format json`.

    >>> from bricli.api import dataframe, records
    >>> df = dataframe("trade", year=2018)
    >>> rows = records("trade", flow=["exports", "imports"], year="2015..2019", columns=["id", "value"])

`records(topic, **options)` takes the options of `bricli TOPIC` by their
Python names (`--from` is `date_from`, `--no-shipped` is `no_shipped`), with
the same meaning and defaults; the options that only change how a terminal
shows rows (`--cite`, `--ids`, `--format`, ...) have no use here. A value the
command line refuses raises `QueryError` with the command line's message (an
unknown topic, option, country or value, a bad type such as `grep=5` or
`year=True`); a fact base with problems raises `FactBaseError`.
"""

from __future__ import annotations

from pathlib import Path

from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
from bricli.model.problems import FactBaseError, QueryError

__all__ = ["FactBaseError", "QueryError", "dataframe", "options", "records"]


def options(topic: str | None = None) -> tuple[str, ...]:
    """The keyword arguments `records(topic, ...)` takes: those of `bricli TOPIC`."""
    from bricli.present.request import api_options, topic_name

    return api_options(topic_name(topic))


def _facts(value) -> list[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, (str, Path)) else value  # one directory, or a list of them
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, (str, Path)) for v in items):
        raise QueryError(f"--facts: expected a directory or a list of directories, not {type(value).__name__} {value!r}",
                         "facts='my-facts' or facts=['a', 'b']")
    from bricli.model.arguments import ArgumentError, path_argument

    out = []
    for v in items:
        try:
            out.append(str(path_argument(v)))  # ~user, NUL, over-long: refused here, as on the command line
        except ArgumentError as exc:
            raise QueryError(f"--facts: {exc.message}", exc.hint or "give a directory") from None
    return out


def records(topic: str | None = None, **kwargs) -> list[dict]:
    """Records of the JSON contract (see README), selected as `bricli TOPIC` selects them.

    Options (see `options(topic)`): country, year, date_from, date_to, source, grep, the
    topic's own filters (trade: flow; investment: kind, direction; ...), derived,
    columns, sort, limit, facts, no_shipped, max_file_size, no_cache."""
    import json

    from bricli.index.engine import Engine
    from bricli.load.discover import fact_dirs
    from bricli.present import request
    from bricli.present.listing import RECORD_FIELDS, check_fields, order, project

    topic = request.topic_name(topic)
    allowed = request.api_options(topic)
    unknown = [k for k in kwargs if k not in allowed]
    if unknown:
        where = f"bricli {topic}" if topic else "records()"
        raise QueryError(f"unknown option '{unknown[0]}' for {where}", f"use one of: {', '.join(allowed)}")
    kw = dict(kwargs)
    derived = request.flag_value("derived", kw.pop("derived", False))
    no_shipped = request.flag_value("no_shipped", kw.pop("no_shipped", False))
    no_cache = request.flag_value("no_cache", kw.pop("no_cache", False))
    max_size = kw.pop("max_file_size", DEFAULT_MAX_FILE_SIZE)
    from bricli.model.arguments import ArgumentError, whole_number

    try:
        max_size = whole_number(max_size, lo=1)  # as --max-file-size: one function, bounded (issue 24)
    except ArgumentError as exc:
        raise QueryError(f"--max-file-size: {exc.message}", "a number of bytes, for example 2000000") from None
    dirs = _facts(kw.pop("facts", None))
    shape = request.build_shape(kw.pop("columns", None), kw.pop("sort", None), kw.pop("limit", None))
    filters = request.build_filters(topic, **kw)
    check_fields(shape.columns, RECORD_FIELDS, "--columns")
    if shape.sort:
        check_fields([shape.sort.lstrip("-")], RECORD_FIELDS, "--sort")

    paths = fact_dirs(dirs, no_shipped=no_shipped)
    if not paths:
        raise QueryError("no fact directories: --no-shipped needs --facts DIR or $BRICLI_FACTS")
    with Engine.open(paths, max_size, no_cache=no_cache) as engine:
        engine.require_clean()
        selection = engine.select(filters, derived=derived, limit=None if shape.sort else shape.limit)
        rows = [json.loads(b"".join(selection.record_pieces(h))) for h in selection.hits]
    rows = [rows[i] for i in order(rows, shape.sort, shape.limit)]
    return [project(r, shape.columns) for r in rows] if shape.columns else rows


def dataframe(topic: str | None = None, **kwargs):
    """The records as a pandas DataFrame, nested fields flattened (source.id, source.quote); with
    no record, an empty DataFrame with the same columns (so `df["value"]` works either way)."""
    import pandas as pd

    rows = records(topic, **kwargs)
    if rows:
        return pd.json_normalize(rows)
    columns = kwargs.get("columns")
    if columns:  # --columns: exactly those fields
        return pd.DataFrame(columns=[c.strip() for c in (columns.split(",") if isinstance(columns, str) else columns)])
    from bricli.analysis.records import FIELDS, SOURCE_FIELDS

    # the columns json_normalize gives a record: its fields, `source` flattened in place of itself, at the end
    return pd.DataFrame(columns=[f for f in FIELDS if f != "source"] + [f"source.{k}" for k in SOURCE_FIELDS])
