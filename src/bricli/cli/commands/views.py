"""Views across topics: country, timeline, search, show, sources."""

from __future__ import annotations

from typing import Annotated

import typer

from bricli.cli import complete
from bricli.cli.build import BASE, CHART, CITE, FILTERS, IDS, OUTPUT, PAGING, SHAPE, make_command, param
from bricli.cli.errors import UsageError
from bricli.cli.output import display_from, emit, emit_chart, message, query_limit, write_data, write_file

CountryArg = Annotated[str, typer.Argument(help="ISO code or name (BRA, Brasil, México).", metavar="COUNTRY",
                                           autocompletion=complete.country_names, show_default=False)]
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
    from bricli.present.request import filters_from
    from bricli.cli.factbase import engine
    from bricli.present.base_views import country_view
    from bricli.present.views import profile_code

    code = profile_code(kw["country_name"])
    kw["country"] = code
    filters, display = filters_from(kw), display_from(kw)
    with engine(_options(kw)) as e:
        if kw["chart"] and not kw.get("status"):
            emit_chart(e.select(filters, derived=kw["derived"], order="topic").items(), kw["format"], kw["output"],
                       e.sources())
            return
        listing = country_view(e, code, filters, derived=kw["derived"], status=kw.get("status", False),
                               limit=query_limit(display), cite=kw.get("cite", False))
    empty = (f"no Belt and Road, AIIB, swap, clearing bank or FTA facts about {code}" if kw.get("status")
             else f"no facts about {code}")
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message=empty, display=display)


def timeline_body(**kw) -> None:
    from bricli.present.request import filters_from
    from bricli.cli.factbase import engine
    from bricli.present.views import timeline_view

    filters, display = filters_from(kw), display_from(kw)
    with engine(_options(kw)) as e:
        listing = timeline_view(e, filters, limit=query_limit(display), cite=kw.get("cite", False))
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message="no dated facts match", display=display)


def search_body(**kw) -> None:
    """Every word of TEXT must appear (any case, any accents); matches in labels and
    names come before matches only in quotes and notes; each fact once."""
    from bricli.present.request import filters_from
    from bricli.cli.factbase import engine
    from bricli.present.views import search_view, search_words

    filters, display = filters_from(kw, words=search_words(kw["text"])), display_from(kw)
    with engine(_options(kw)) as e:
        listing = search_view(e, kw["text"], filters, derived=kw["derived"], limit=query_limit(display),
                              cite=kw.get("cite", False))
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message=f"nothing matches '{kw['text']}'", display=display)


def show_body(**kw) -> None:
    from bricli.cli.factbase import engine
    from bricli.present.base_views import fact_citation, find_fact, show_view

    display = display_from(kw)
    if kw.get("cite_as") and kw["format"] not in (None, "plain"):
        raise UsageError(f"--cite-as prints text; it does not combine with --format {kw['format']}",
                         "drop --format, or drop --cite-as to get the record in that format")
    with engine(_options(kw)) as e:
        found = find_fact(e, kw["fact_id"])
    if kw.get("cite_as"):
        _cite(found.item.id, fact_citation(found), kw)
        return
    emit(show_view(found), kw["format"], kw["output"], kw["force"], display=display)


def _cite(fact_id: str, text: str, kw) -> None:
    """`show --cite-as`: the citation as text, on stdout or to -o FILE; not in another --format."""
    if kw["output"] is not None:
        write_file(kw["output"], text, kw["force"])
        message(f"bricli: wrote the citation of {fact_id} to {kw['output']}")
        return
    write_data(text)


def sources_body(**kw) -> None:
    from bricli.cli.factbase import engine
    from bricli.present.base_views import sources_view

    display = display_from(kw)
    with engine(_options(kw)) as e:
        listing = sources_view(e)
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message="no sources", display=display)


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
