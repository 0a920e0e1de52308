"""Views across topics: country, timeline, search, show, sources."""

from __future__ import annotations

from typing import Annotated

import typer

from bricli.cli import complete
from bricli.cli.build import BASE, CHART, CITE, FILTERS, IDS, OUTPUT, PAGING, SHAPE, filters_from, make_command, param

CountryArg = Annotated[str, typer.Argument(help="ISO code or name (BRA, Brasil, México).", metavar="COUNTRY",
                                           autocompletion=complete.countries, show_default=False)]
TextArg = Annotated[str, typer.Argument(help="Text to look for (any case, any accents).", metavar="TEXT", show_default=False)]
FactIdArg = Annotated[str, typer.Argument(help="A fact id, as printed in the ID column.", metavar="FACT_ID",
                                          autocompletion=complete.fact_ids, show_default=False)]

CiteAsOpt = Annotated[bool, typer.Option("--cite-as", help="Print a citation of the fact instead: what it states, its source "
                                                           "(title, date, section, URL), the quote, and the licence.")]
StatusOpt = Annotated[bool, typer.Option("--status", help="Print the country's Belt and Road, AIIB, swap, clearing bank and FTA steps, each dated, instead of its facts.")]

def _options(kw):
    from bricli.cli.factbase import FactBaseOptions

    return FactBaseOptions.of(kw)


def country_body(**kw) -> None:
    from bricli.model import countries
    from bricli.analysis.matrix import status_of
    from bricli.analysis.query import resolve_country
    from bricli.present.listing import selection_listing
    from bricli.present.matrix import status_lines, status_listing
    from bricli.cli.factbase import engine
    from bricli.cli.output import display_from, emit, emit_chart, query_limit

    code = resolve_country(kw["country_name"])
    kw["country"] = code
    filters, display = filters_from(kw), display_from(kw)
    with engine(_options(kw)) as e:
        status = status_of(code, e.base().facts)
        if kw.get("status"):
            emit(status_listing(status), kw["format"], kw["output"], kw["force"],
                 empty_message=f"no Belt and Road, AIIB, swap, clearing bank or FTA facts about {code}", display=display)
            return
        if kw["chart"]:
            emit_chart(e.select(filters, derived=kw["derived"], order="topic").items(), kw["format"], kw["output"],
                       e.sources())
            return
        selection = e.select(filters, derived=kw["derived"], order="topic", limit=query_limit(display))
        listing = selection_listing(selection, cite=kw.get("cite", False), title=f"{countries.name(code)} ({code})",
                                    topic_column=True)
        numbers = _latest_figures(e, filters, code)
    # the profile opens with its numbers, then its steps (the matrix row, dated), then the facts (table, markdown)
    steps = status_lines(status)
    if numbers:
        listing.preface += ["Latest figures (the choice of bricli series):"] + [f"  {line}" for line in numbers]
    if steps:
        listing.preface += ["Steps:"] + [f"  {line}" for line in steps]
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message=f"no facts about {code}", display=display)


def _latest_figures(e, filters, code: str) -> list[str]:
    """The latest figure of each series between China and the country, among the facts the
    filters select, as `bricli series` chooses it."""
    from dataclasses import replace

    from bricli.analysis.reconcile import build_series
    from bricli.model.facts import Fact
    from bricli.present.series import bilateral, latest_lines

    sources = e.sources()
    figures = [f for f in e.select(replace(filters, types=("figure",))).items() if isinstance(f, Fact)]
    return latest_lines(bilateral(build_series(figures, sources), code), sources)


def _emit_selected(kw, filters, display, empty: str, **how) -> None:
    from bricli.cli.factbase import query_listing
    from bricli.cli.output import emit, query_limit

    listing = query_listing(_options(kw), filters, cite=kw.get("cite", False), topic_column=True,
                            limit=query_limit(display), **how)
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message=empty, display=display)


def timeline_body(**kw) -> None:
    from bricli.cli.output import display_from

    filters, display = filters_from(kw), display_from(kw)
    _emit_selected(kw, filters, display, "no dated facts match", derived=False, title="Timeline", order="timeline")


def search_body(**kw) -> None:
    """Every word of TEXT must appear (any case, any accents); matches in labels and
    names come before matches only in quotes and notes; each fact once."""
    from bricli.cli.output import display_from
    from bricli.cli.errors import UsageError

    words = tuple(kw["text"].split())
    if not words:
        raise UsageError("nothing to search for", "give one or more words: bricli search Huawei 5G")
    filters, display = filters_from(kw, words=words), display_from(kw)
    title, empty = f"Search: {kw['text']}", f"nothing matches '{kw['text']}'"
    _emit_selected(kw, filters, display, empty, derived=kw["derived"], title=title, order="search")


def show_body(**kw) -> None:
    from bricli.analysis.query import Filters
    from bricli.cli.factbase import engine
    from bricli.cli.output import display_from, emit
    from bricli.present.listing import fact_listing
    from bricli.cli.errors import UsageError
    from bricli.model.suggest import close_matches

    display = display_from(kw)
    with engine(_options(kw)) as e:
        everything = e.select(Filters(), derived=True).items()
        base = e.base()
    by_id = {i.id: i for i in everything}
    item = by_id.get(kw["fact_id"])
    if item is None:
        close = close_matches(kw["fact_id"], by_id, n=3, cutoff=0.5)
        hint = ("did you mean " + ", ".join(close) + "?") if close else "see the ID column of any listing (--ids), or `bricli search`"
        raise UsageError(f"no fact with id '{kw['fact_id']}'", hint)
    if kw.get("cite_as"):
        _cite(item, base, by_id, kw)
        return
    emit(fact_listing(item, base), kw["format"], kw["output"], kw["force"], display=display)


def _cite(item, base, by_id, kw) -> None:
    """`show --cite-as`: the citation as text, on stdout or to -o FILE; not in another --format."""
    from bricli.analysis.records import record, source_record
    from bricli.cli.errors import UsageError
    from bricli.cli.output import message, write_data, write_file
    from bricli.present.citation import citation

    if kw["format"] not in (None, "plain"):
        raise UsageError(f"--cite-as prints text; it does not combine with --format {kw['format']}",
                         "drop --format, or drop --cite-as to get the record in that format")
    rec = record(item, base)
    sources = {sid: source_record(src, 0) for sid, src in base.sources.items()}
    inputs = [record(by_id[i], base) for i in rec["inputs"] if i in by_id]
    text = citation(rec, sources, inputs)
    if kw["output"] is not None:
        write_file(kw["output"], text, kw["force"])
        message(f"bricli: wrote the citation of {item.id} to {kw['output']}")
        return
    write_data(text)


def sources_body(**kw) -> None:
    from bricli.cli.factbase import require_base
    from bricli.cli.output import display_from, emit
    from bricli.present.listing import sources_listing

    display = display_from(kw)
    base = require_base(_options(kw))
    emit(sources_listing(base), kw["format"], kw["output"], kw["force"], empty_message="no sources", display=display)


def view_commands():
    listing_opts = [*SHAPE, IDS, *PAGING, *OUTPUT, *BASE]
    yield "country", make_command(
        "country",
        "Everything about one country: its latest figures (the choice of bricli series) and its steps, then its facts grouped by topic.\n\nExample: bricli country Brasil",
        [param("country_name", CountryArg), *[p for p in FILTERS if p.name != "country"], *CITE, *CHART,
         param("status", StatusOpt, False), *listing_opts],
        country_body,
    )
    yield "timeline", make_command(
        "timeline",
        "Dated events and figures in time order.\n\nExample: bricli timeline --from 2018 --to 2019",
        [*FILTERS, CITE[0], *listing_opts],
        timeline_body,
    )
    yield "search", make_command(
        "search",
        "Search labels, names, quotes and notes in all topics: every word must appear; matches in labels and "
        "names come first.\n\nExample: bricli search Huawei",
        [param("text", TextArg), *[p for p in FILTERS if p.name != "grep"], *CITE, *listing_opts],
        search_body,
    )
    yield "show", make_command(
        "show",
        "One fact with its full provenance: source (title, date, URL), section, verbatim quote, notes; "
        "--cite-as: how to cite it.\n\n"
        "Example: bricli show trade-2018-total-chn-lcn",
        [param("fact_id", FactIdArg), param("cite_as", CiteAsOpt, False), *PAGING, *OUTPUT, *BASE],
        show_body,
    )
    yield "sources", make_command(
        "sources",
        "The sources registry, with how many facts rest on each source.\n\nExample: bricli sources --format json",
        [*SHAPE, *PAGING, *OUTPUT, *BASE],
        sources_body,
    )
