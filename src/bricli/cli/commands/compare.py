"""Views across sources and countries: conflicts (where sources disagree) and countries (the regional matrix)."""

from __future__ import annotations

from typing import Annotated

import typer

from bricli.cli.build import BASE, CITE, FILTERS, OUTPUT, PAGING, SHAPE, filters_from, make_command, param

DISAGREEMENTS = ("value", "date")


def _complete_kind(incomplete: str):
    return [k for k in DISAGREEMENTS if k.startswith(incomplete)]


KindOpt = Annotated[
    str | None,
    typer.Option("--kind", metavar="KIND", help="value (different figures for the same thing) or date (different dates for the same step).",
                 autocompletion=_complete_kind, show_default=False),
]


def conflicts_body(**kw) -> None:
    from bricli.analysis.conflicts import find_conflicts
    from bricli.cli.errors import UsageError
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.cli.output import display_from, emit
    from bricli.present.conflicts import conflicts_listing

    kind = kw.get("kind")
    if kind is not None and kind.strip().lower() not in DISAGREEMENTS:
        raise UsageError(f"--kind: unknown value '{kind}'", "use value or date")
    filters, display = filters_from(kw), display_from(kw)
    with engine(FactBaseOptions.of(kw)) as e:
        base = e.base()
        # a disagreement is shown when any of its facts matches the filters (--source X: X's disagreements)
        matching = {f.id for f in e.select(filters).items()}
    found = [c for c in find_conflicts(base.facts)
             if any(f.id in matching for f in c.facts) and (kind is None or c.kind == kind.strip().lower())]
    emit(conflicts_listing(found, base, cite=kw["cite"]), kw["format"], kw["output"], kw["force"],
         empty_message="no disagreements between sources match", display=display)
    if kind is None or kind.strip().lower() == "value":
        _say_other_bases(base.facts, matching)


NOTES_SHOWN = 20  # different price bases said on stderr; the rest counted


def _say_other_bases(facts, matching: set[str]) -> None:
    """A dataset record and its shipped project's financing on different price bases: said, not flagged."""
    from bricli.analysis.conflicts import basis_differences
    from bricli.cli.output import message
    from bricli.model.wording import value_text

    def says(f) -> str:
        return f"{value_text(f)} {f.prices.replace('-', ' ')} ({f.source.id}, {f.id})"

    notes = [b for b in basis_differences(facts) if b.dataset.id in matching or b.stated.id in matching]
    for b in notes[:NOTES_SHOWN]:
        message(f"bricli conflicts: not compared, a different price basis rather than a disagreement: {b.project}: "
                f"{says(b.stated)} vs {says(b.dataset)}")
    if len(notes) > NOTES_SHOWN:
        message(f"bricli conflicts: ... and {len(notes) - NOTES_SHOWN} more amounts on different price bases")


def countries_body(**kw) -> None:
    from bricli.analysis.matrix import country_matrix
    from bricli.cli.factbase import FactBaseOptions, require_base
    from bricli.cli.output import display_from, emit
    from bricli.present.matrix import matrix_listing

    display = display_from(kw)
    base = require_base(FactBaseOptions.of(kw))
    emit(matrix_listing(country_matrix(base.facts)), kw["format"], kw["output"], kw["force"], display=display)


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
