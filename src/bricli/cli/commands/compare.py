"""Views across sources and countries: conflicts (where sources disagree) and countries (the regional matrix)."""

from __future__ import annotations

from typing import Annotated

import typer

from bricli.cli.build import BASE, CITE, FILTERS, OUTPUT, PAGING, SHAPE, make_command, param
from bricli.cli.output import display_from, emit, message

def _complete_kind(incomplete: str):
    from bricli.present.views import DISAGREEMENTS

    return [k for k in DISAGREEMENTS if k.startswith(incomplete)]


KindOpt = Annotated[
    str | None,
    typer.Option("--kind", metavar="KIND", help="value (different figures for the same thing) or date (different dates for the same step).",
                 autocompletion=_complete_kind, show_default=False),
]


def conflicts_body(**kw) -> None:
    from bricli.present.request import filters_from
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.present.base_views import conflicts_view, price_basis_notes
    from bricli.present.views import disagreement_kind

    kind = disagreement_kind(kw.get("kind"))
    filters, display = filters_from(kw), display_from(kw)
    with engine(FactBaseOptions.of(kw)) as e:
        listing = conflicts_view(e, filters, kind=kind, cite=kw["cite"])
        notes = price_basis_notes(e, filters, kind)
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message="no disagreements between sources match",
         display=display)
    for note in notes:
        message(f"bricli conflicts: {note}")


def countries_body(**kw) -> None:
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.present.base_views import matrix_view

    display = display_from(kw)
    with engine(FactBaseOptions.of(kw)) as e:
        listing = matrix_view(e)
    emit(listing, kw["format"], kw["output"], kw["force"], display=display)


def compare_commands():
    yield "conflicts", make_command(
        "conflicts",
        "Where sources disagree: different figures (beyond rounding) or different dates for the same thing, "
        "side by side with each source.\n\nExample: bricli conflicts --year 2011",
        [*FILTERS, param("kind", KindOpt, None), CITE[0], *SHAPE, *PAGING, *OUTPUT, *BASE],
        conflicts_body,
    )
    yield "countries", make_command(
        "countries",
        "One row per Latin American and Caribbean country: Belt and Road document (first date, withdrawal), "
        "AIIB status, swap line, RMB clearing bank, free trade agreement, number of facts.\n\n"
        "Example: bricli countries --format json",
        [*SHAPE, *PAGING, *OUTPUT, *BASE],
        countries_body,
    )
