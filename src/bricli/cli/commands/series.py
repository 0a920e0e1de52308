"""`bricli series`: the series among the selected facts, or one series by year (analysis/reconcile.py)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from bricli.cli.build import BASE, FILTERS, OUTPUT, PAGING, SHAPE, filters_from, make_command, param
from bricli.model.vocab import STAT_BASES, TOPICS

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
    from dataclasses import replace

    from bricli.analysis.reconcile import build_series, sum_series
    from bricli.cli.errors import UsageError
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.analysis.query import Filters
    from bricli.cli.output import display_from, emit
    from bricli.model.facts import Fact

    names = [n.strip() for n in kw.get("names") or [] if n.strip()]
    topics = [n.lower() for n in names if n.lower() in TOPICS]
    if topics and len(topics) != len(names):
        raise UsageError("give topics or one series id, not both", "bricli series trade, or bricli series SERIES_ID")
    wanted = None if topics else (names[0] if names else None)
    if len(names) > 1 and not topics:
        raise UsageError(f"one series id at a time, not {len(names)}", "bricli series lists the ids")
    basis = kw.get("basis")
    if basis is not None:
        basis = basis.strip().lower()
        if basis not in STAT_BASES:
            raise UsageError(f"--basis: unknown value '{basis}'", f"use one of: {', '.join(STAT_BASES)}")
    if wanted is None and (kw["alternates"] or kw["chart"]):
        raise UsageError("--alternates and --chart show one series", "give its id: bricli series SERIES_ID --chart")
    display = display_from(kw)
    # one series by year: its facts over every year (the choice of a year never depends on --year)
    filters = filters_from({**kw, "year": None} if wanted else kw)
    filters = replace(filters, types=("figure",), fields={**filters.fields, **({"stat_basis": (basis,)} if basis else {})})
    with engine(FactBaseOptions.of(kw)) as e:
        items = []
        for topic in topics or [None]:  # stated figures, and the dataset sums (derived: never a stated figure)
            items += e.select(replace(filters, topic=topic), derived=True).items()
        sources = e.sources()
        sums = sum_series(items)
        inputs: dict = {}
        if kw["alternates"] and wanted is not None and any(t.id == wanted.lower() for t in sums):
            t = next(t for t in sums if t.id == wanted.lower())
            ids = {i for d in t.by_year.values() for i in d.inputs}
            inputs = {f.id: f for f in e.select(Filters(source=(t.spec.source_id,), types=("figure",))).items()
                      if f.id in ids}
    series = build_series([f for f in items if isinstance(f, Fact)], sources)
    if wanted is None:
        from bricli.present.series import series_listing

        emit(series_listing(series, sums), kw["format"], kw["output"], kw["force"],
             empty_message="no series among the selected facts", display=display)
        return
    total = next((t for t in sums if t.id == wanted.lower()), None)
    if total is not None:
        first, last = _range(filters_from({"year": kw.get("year")}).year, total.first, total.last)
        if kw["chart"]:
            from bricli.cli.output import emit_series_chart
            from bricli.present.chart import sum_chart

            emit_series_chart(sum_chart(total, first, last), kw["format"], kw["output"])
            return
        from bricli.present.series import sum_rows_listing

        emit(sum_rows_listing(total, first, last, sources, alternates=kw["alternates"], inputs=inputs), kw["format"],
             kw["output"], kw["force"], display=display)
        return
    found = [s for s in series if s.id == wanted.lower()]
    if not found:
        from bricli.model.suggest import close_matches

        close = close_matches(wanted.lower(), [s.id for s in series] + [t.id for t in sums])
        raise UsageError(f"no series '{wanted}' among the selected facts",
                         (f"did you mean {close[0]}? " if close else "") + "bricli series lists the series ids")
    s = found[0]
    first, last = _range(filters_from({"year": kw.get("year")}).year, s.first, s.last)
    if kw["chart"]:
        from bricli.cli.output import emit_series_chart
        from bricli.present.chart import series_chart

        emit_series_chart(series_chart(s, first, last), kw["format"], kw["output"])
        return
    from bricli.present.series import rows_listing

    emit(rows_listing(s, s.rows(first, last), sources, alternates=kw["alternates"]), kw["format"], kw["output"],
         kw["force"], display=display)


def _range(windows, first: int, last: int) -> tuple[int, int]:
    """The years --year asks for (open ends: the series' own), as one span from the earliest to the latest."""
    if not windows:
        return first, last
    lo = min(w[0] for w in windows)
    hi = max(w[1] for w in windows)
    return (first if lo == 1000 else lo), (last if hi == 9999 else hi)


def series_commands():
    params = [param("names", NamesArg, None), *FILTERS, param("basis", BasisOpt, None),
              param("alternates", AlternatesOpt, False), param("chart", SeriesChartOpt, False),
              *SHAPE, *PAGING, *OUTPUT, *BASE]
    yield "series", make_command("series", HELP, params, series_body)
