"""`bricli series`: the series among the selected facts, or one series by year (analysis/reconcile.py)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from bricli.cli.build import BASE, FILTERS, OUTPUT, PAGING, SHAPE, make_command, param
from bricli.model.vocab import STAT_BASES
from bricli.cli.output import display_from, emit, emit_series_chart

NamesArg = Annotated[
    Optional[list[str]],
    typer.Argument(metavar="[TOPIC ...] | SERIES_ID", show_default=False,
                   help="Topics to list the series of (default: all), or one series id to show by year."),
]
BasisOpt = Annotated[
    Optional[str],
    typer.Option("--basis", metavar="BASIS", show_default=False,
                 help="Keep only figures on this statistical basis: " + ", ".join(STAT_BASES) + ".",
                 autocompletion=lambda incomplete: [b for b in STAT_BASES if b.startswith(incomplete)]),
]
AlternatesOpt = Annotated[
    bool, typer.Option("--alternates", help="With SERIES_ID: every fact behind each year, the chosen one first (a dataset's "
                                    "sum: the sum, then the records it adds)."),
]
SeriesChartOpt = Annotated[
    bool, typer.Option("--chart", help="With SERIES_ID: draw it by year (a year without a figure stays a gap)."),
]

HELP = ("A figure over time across sources: the series among the selected facts, or one series by year with "
        "the figure the choice rule picks for each year and its source.\n\n"
        "Example: bricli series trade-total-chn-lcn-usd --year 2000..2024")


def series_body(**kw) -> None:
    from bricli.present.request import filters_from
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.present.base_views import series_view
    from bricli.present.views import series_request

    series_request(kw.get("names"), kw.get("basis"), kw["alternates"], kw["chart"])  # usage errors before reading
    display = display_from(kw)
    filters = filters_from(kw)
    with engine(FactBaseOptions.of(kw)) as e:
        view = series_view(e, kw.get("names"), filters, basis=kw.get("basis"), alternates=kw["alternates"],
                           chart=kw["chart"])
    if view.chart is not None:  # --chart

        emit_series_chart(view.chart, kw["format"], kw["output"])
        return
    assert view.listing is not None
    empty = "no facts match" if view.one else "no series among the selected facts"
    emit(view.listing, kw["format"], kw["output"], kw["force"], empty_message=empty, display=display)


def series_commands():
    params = [param("names", NamesArg, None), *FILTERS, param("basis", BasisOpt, None),
              param("alternates", AlternatesOpt, False), param("chart", SeriesChartOpt, False),
              *SHAPE, *PAGING, *OUTPUT, *BASE]
    yield "series", make_command("series", HELP, params, series_body)
