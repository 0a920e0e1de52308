"""Views across topics: country, timeline, search, show, sources."""

from __future__ import annotations

from typing import Annotated

import typer

from bricli.cli import complete
from bricli.cli.build import BASE, CHART, CITE, FILTERS, OUTPUT, filters_from, make_command, param

CountryArg = Annotated[str, typer.Argument(help="ISO code or name (BRA, Brasil, México).", metavar="COUNTRY",
                                           autocompletion=complete.countries, show_default=False)]
TextArg = Annotated[str, typer.Argument(help="Text to look for (any case, any accents).", metavar="TEXT", show_default=False)]
FactIdArg = Annotated[str, typer.Argument(help="A fact id, as printed in the ID column.", metavar="FACT_ID",
                                          autocompletion=complete.fact_ids, show_default=False)]

StatusOpt = Annotated[bool, typer.Option("--status", help="Print the country's Belt and Road, AIIB, swap, clearing bank and FTA steps, each dated, instead of its facts.")]

TOPIC_ORDER = ("trade", "investment", "projects", "finance", "people", "policy", "risks")


def _base(kw):
    from bricli.cli.factbase import require_base

    return require_base(kw["facts"], kw["no_shipped"], kw["max_file_size"], kw["no_cache"])


def _emit_items(items, base, kw, title, empty, topic_column=True):
    from bricli.present.listing import build_listing
    from bricli.cli.output import emit

    listing = build_listing(items, base, cite=kw.get("cite", False), title=title, topic_column=topic_column)
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message=empty)


def _by_topic(items):
    return sorted(items, key=lambda i: TOPIC_ORDER.index(i.topic) if i.topic in TOPIC_ORDER else len(TOPIC_ORDER))


def country_body(**kw) -> None:
    from bricli.model import countries
    from bricli.analysis.matrix import status_of
    from bricli.analysis.query import resolve_country, select
    from bricli.present.listing import build_listing
    from bricli.present.matrix import status_lines, status_listing
    from bricli.cli.output import emit

    code = resolve_country(kw["country_name"])
    kw["country"] = code
    base = _base(kw)
    status = status_of(code, base.facts)
    if kw.get("status"):
        emit(status_listing(status), kw["format"], kw["output"], kw["force"],
             empty_message=f"no Belt and Road, AIIB, swap, clearing bank or FTA facts about {code}")
        return
    items = _by_topic(select(base, filters_from(kw), derived=not kw["no_derived"]))
    if kw["chart"]:
        from bricli.cli.output import emit_chart

        emit_chart(items, kw["format"], kw["output"])
        return
    listing = build_listing(items, base, cite=kw.get("cite", False), title=f"{countries.name(code)} ({code})", topic_column=True)
    listing.footer[:0] = status_lines(status)  # the matrix row, dated, above the sources (table and markdown)
    emit(listing, kw["format"], kw["output"], kw["force"], empty_message=f"no facts about {code}")


def timeline_body(**kw) -> None:
    from bricli.analysis.query import select, span, timeline_key

    base = _base(kw)
    items = [i for i in select(base, filters_from(kw), derived=False) if span(i)]
    items.sort(key=timeline_key)
    _emit_items(items, base, kw, "Timeline", "no dated facts match")


def search_body(**kw) -> None:
    from bricli.analysis.query import select

    kw["grep"] = kw["text"]
    base = _base(kw)
    items = _by_topic(select(base, filters_from(kw), derived=not kw["no_derived"]))
    _emit_items(items, base, kw, f"Search: {kw['text']}", f"nothing matches '{kw['text']}'")


def show_body(**kw) -> None:
    from bricli.analysis.query import select
    from bricli.cli.output import emit
    from bricli.present.listing import fact_listing
    from bricli.cli.errors import UsageError
    from bricli.model.suggest import close_matches

    base = _base(kw)
    everything = select(base, filters_from({}), derived=True)
    by_id = {i.id: i for i in everything}
    item = by_id.get(kw["fact_id"])
    if item is None:
        close = close_matches(kw["fact_id"], by_id, n=3, cutoff=0.5)
        hint = ("did you mean " + ", ".join(close) + "?") if close else "see the ID column of any listing, or `bricli search`"
        raise UsageError(f"no fact with id '{kw['fact_id']}'", hint)
    emit(fact_listing(item, base), kw["format"], kw["output"], kw["force"])


def sources_body(**kw) -> None:
    from bricli.cli.output import emit
    from bricli.present.listing import sources_listing

    base = _base(kw)
    emit(sources_listing(base), kw["format"], kw["output"], kw["force"], empty_message="no sources")


def view_commands():
    yield "country", make_command(
        "country",
        "Everything about one country, grouped by topic.\n\nExample: bricli country Brasil",
        [param("country_name", CountryArg), *[p for p in FILTERS if p.name != "country"], *CITE, *CHART,
         param("status", StatusOpt, False), *OUTPUT, *BASE],
        country_body,
    )
    yield "timeline", make_command(
        "timeline",
        "Dated events and figures in time order.\n\nExample: bricli timeline --from 2018 --to 2019",
        [*FILTERS, CITE[0], *OUTPUT, *BASE],
        timeline_body,
    )
    yield "search", make_command(
        "search",
        "Search labels, names, quotes and notes in all topics.\n\nExample: bricli search Huawei",
        [param("text", TextArg), *[p for p in FILTERS if p.name != "grep"], *CITE, *OUTPUT, *BASE],
        search_body,
    )
    yield "show", make_command(
        "show",
        "One fact with its full provenance: source, section, verbatim quote, notes.\n\n"
        "Example: bricli show trade-2018-total-chn-lcn",
        [param("fact_id", FactIdArg), *OUTPUT, *BASE],
        show_body,
    )
    yield "sources", make_command(
        "sources",
        "The sources registry, with how many facts rest on each source.\n\nExample: bricli sources --format json",
        [*OUTPUT, *BASE],
        sources_body,
    )
