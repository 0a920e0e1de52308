"""Build typer commands from shared parameter lists.

Every listing command takes the same fact-base, filter and output options;
they are declared once here and spliced into each command's signature, so
a new shared option reaches every command at once.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
from bricli.cli import options as o

if TYPE_CHECKING:
    from bricli.analysis.query import Filters

KW = inspect.Parameter.KEYWORD_ONLY


def param(name: str, annotation, default=inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, KW, annotation=annotation, default=default)


BASE = [
    param("facts", o.FactsOpt, None),
    param("no_shipped", o.NoShippedOpt, False),
    param("max_file_size", o.MaxFileSizeOpt, DEFAULT_MAX_FILE_SIZE),
    param("no_cache", o.NoCacheOpt, False),
]
OUTPUT = [
    param("format", o.FormatOpt, None),
    param("output", o.OutputOpt, None),
    param("force", o.ForceOpt, False),
]
FILTERS = [
    param("country", o.CountryOpt, None),
    param("year", o.YearOpt, None),
    param("date_from", o.FromOpt, None),
    param("date_to", o.ToOpt, None),
    param("source", o.SourceOpt, None),
    param("grep", o.GrepOpt, None),
    param("reliability", o.ReliabilityOpt, None),
]
CITE = [param("cite", o.CiteOpt, False), param("derived", o.DerivedOpt, False), param("no_derived", o.NoDerivedOpt, False)]
CHART = [param("chart", o.ChartOpt, False)]
SHAPE = [param("columns", o.ColumnsOpt, None), param("sort", o.SortOpt, None), param("limit", o.LimitOpt, None)]
IDS = param("ids", o.IdsOpt, False)
PAGING = [param("no_header", o.NoHeaderOpt, False), param("no_pager", o.NoPagerOpt, False)]


def filters_from(kw: dict[str, Any], topic: str | None = None, **extra: Any) -> Filters:
    """The one place CLI options (FILTERS above) become the query's `Filters`; a command
    without some of those options passes None for them. The values are checked by
    `present.request.build_filters`, which the Python API uses too."""
    from bricli.present.request import build_filters

    return build_filters(topic, year=kw.get("year"), date_from=kw.get("date_from"), date_to=kw.get("date_to"),
                         country=kw.get("country"), source=kw.get("source"), grep=kw.get("grep"),
                         reliability=kw.get("reliability"), **extra)


def make_command(name: str, doc: str, params: list[inspect.Parameter], body: Callable[..., None]):
    """A function typer can register: `params` as its signature, `body(**kwargs)` as its work."""

    def command(**kwargs):
        return body(**kwargs)

    command.__name__ = name.replace("-", "_")
    command.__qualname__ = command.__name__
    command.__doc__ = doc
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command
