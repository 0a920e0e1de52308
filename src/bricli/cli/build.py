"""Build typer commands from shared parameter lists.

Every listing command takes the same fact-base, filter and output options;
they are declared once here and spliced into each command's signature, so
a new shared option reaches every command at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
from bricli.cli import options as o

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
