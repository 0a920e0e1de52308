"""`bricli report`: a Markdown brief (present/brief/ selects, render/brief_markdown.py writes)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Optional

import typer

from bricli.model.vocab import TOPICS
from bricli.cli import options as o
from bricli.cli.build import BASE, FILTERS, make_command, param
from bricli.cli.errors import UsageError
from bricli.cli.output import message, write_data, write_file
from bricli.present.options import KIND_COLUMN


def _topics(incomplete: str):
    return [t for t in TOPICS if t.startswith(incomplete.lower())]


TopicsArg = Annotated[
    Optional[list[str]],
    typer.Argument(help=f"Topics to cover, in any order ({', '.join(TOPICS)}). Default: all.", metavar="TOPIC",
                   autocompletion=_topics, show_default=False),
]
TitleOpt = Annotated[Optional[str], typer.Option("--title", help="Title of the brief.", metavar="TEXT", show_default=False)]
DateOpt = Annotated[
    Optional[str],
    typer.Option("--date", help="Date line under the title (YYYY, YYYY-MM or YYYY-MM-DD). Default: none, so the same "
                 "facts give the same bytes.", metavar="DATE", show_default=False),
]
FullOpt = Annotated[
    bool,
    typer.Option("--full", help="The complete record: every fact of the selection in tables and lists, instead of "
                 "the one-page brief."),
]
# off by default: a brief shows what the sources state unless asked for more
BriefDerivedOpt = Annotated[
    bool, typer.Option("--derived", help="Include values computed by bricli (balances, implied prior values, shares).")
]
NoFootnotesOpt = Annotated[
    bool, typer.Option("--no-footnotes", help="A plain summary: no footnote references or quotes (sources still named).")
]


def report_body(**kw) -> None:
    from bricli.present.request import filters_from

    from bricli.present.brief import build_brief
    from bricli.model.periods import parse_day
    from bricli.render.brief_markdown import render_brief
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.present.listing import COLUMNS, Listing
    from bricli.present.rows import display_row
    from bricli.cli.progress import Stages

    topics = []
    for t in kw["topics"] or ():
        name = t.strip().lower()
        if name not in TOPICS:
            raise UsageError(f"unknown topic '{t}'", f"use one or more of: {', '.join(TOPICS)}")
        if name not in topics:
            topics.append(name)
    filters = filters_from(kw)  # refuses --year with --from/--to, as every listing does
    title = kw["title"]
    if title is not None and not title.strip():
        raise UsageError("--title is empty", "give a title, or leave --title out for the default")
    date = kw["date"]
    if date is not None:
        try:
            date = parse_day(date.strip()).text
        except ValueError as exc:
            raise UsageError(f"--date: {exc}", "use YYYY, YYYY-MM or YYYY-MM-DD") from None

    with Stages() as progress:
        with engine(FactBaseOptions.of(kw)) as e:
            progress.expect(sum(e.topic_counts().values()))
            progress.stage("reading the facts from the index")
            base = e.base()
            selected = e.items(replace(filters, topic=None), derived=kw["derived"])  # file order, derived values last
        progress.stage("choosing what the brief says")
        brief = build_brief(base, selected, tuple(topics), filters, full=kw["full"], derived=kw["derived"], title=title,
                            date=date)

        # the topic commands' own rows, so a brief's tables match `bricli TOPIC --format markdown`
        # (display rows only, without the narrow forms of a terminal table: the machine records a listing
        # also carries are not needed for Markdown)
        def figure_rows(items: list) -> Listing:
            kind = KIND_COLUMN.get(items[0].topic) if items else None  # the topic command's Kind column
            return Listing(records=[], columns=COLUMNS, rows=[display_row(i, False, kind, narrow=False) for i in items])

        progress.stage("writing the brief")
        text = render_brief(brief, figure_rows, footnotes=not kw["no_footnotes"])

    if all(s.empty for s in brief.sections):
        message("bricli: no facts match; the brief says so")
    output = kw["output"]
    if output is None:
        write_data(text)
        return
    write_file(output, text, kw["force"])
    message(f"bricli: wrote the brief to {output}")


report = make_command(
    "report",
    "A one-page Markdown brief: key figures, a few bullets per topic, the trade chart, where sources disagree, "
    "caveats, and a footnote with the verbatim quote for every number and item. --full gives the complete "
    "record instead.\n\n"
    "Written to stdout, or atomically to -o FILE. The same facts and options give the same bytes.\n\n"
    "Example: bricli report trade investment --year 2018 -o brief.md",
    [
        param("topics", TopicsArg, None),
        *FILTERS,
        param("title", TitleOpt, None),
        param("date", DateOpt, None),
        param("full", FullOpt, False),
        param("derived", BriefDerivedOpt, False),
        param("no_footnotes", NoFootnotesOpt, False),
        param("output", o.OutputOpt, None),
        param("force", o.ForceOpt, False),
        *BASE,
    ],
    report_body,
)
