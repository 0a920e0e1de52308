"""The topic commands: trade, investment, projects, finance, people, policy, risks.

All seven share one body; they differ in the topic and in their own filter
options (trade --flow, projects --sector/--status, ...), declared in
present/options.TOPIC_FILTERS (shared with the Python API).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Optional

import typer

from bricli.present.options import TOPIC_FILTERS
from bricli.cli.build import BASE, CHART, CITE, FILTERS, IDS, OUTPUT, PAGING, SHAPE, make_command, param
from bricli.cli.output import display_from, emit, emit_chart, message, query_limit


def _choices(values):
    def complete(incomplete: str):
        return [v for v in values if v.startswith(incomplete)]

    return complete


TOPIC_COMMANDS: dict[str, dict] = {
    "trade": {
        "help": "Trade between China and Latin America: totals, exports, imports, shares, growth.",
        "example": "bricli trade --year 2018 --flow exports",
    },
    "investment": {
        "help": "Direct investment: yearly flows and accumulated stocks, both directions.",
        "example": "bricli investment --kind stock",
    },
    "projects": {
        "help": "Infrastructure projects: ports, bridges, railways, power, water, telecom.",
        "example": "bricli projects --country Brasil --sector energy",
    },
    "finance": {
        "help": "Financial arrangements: currency swaps, RMB clearing banks, AIIB membership, financing mechanisms.",
        "example": "bricli finance --kind swap",
    },
    "people": {
        "help": "People-to-people ties: Confucius Institutes, media, tourism, visas, flights, visitors.",
        "example": "bricli people --year 2017",
    },
    "policy": {
        "help": "Policy coordination: Belt and Road documents, free trade agreements, ministerials, plans, frameworks, visits, proposals.",
        "example": "bricli policy --kind framework",
    },
    "risks": {
        "help": "Risks: political, economic, public security, external powers, perception and China-side.",
        "example": "bricli risks --category political --country Peru",
    },
}


def _option(opt: str, values, help_text: str):
    return Annotated[
        Optional[list[str]],
        typer.Option(f"--{opt}", metavar=opt.upper(), help=f"{help_text} Several, any of: A,B.",
                     autocompletion=_choices(values), show_default=False),
    ]


def _body(topic: str):
    own = tuple(f.option for f in TOPIC_FILTERS[topic])

    def body(**kw) -> None:
        from bricli.present.request import filters_from
        from bricli.cli.factbase import FactBaseOptions, engine
        from bricli.present.views import topic_view

        filters = filters_from(kw, topic, **{o: kw[o] for o in own})
        display = display_from(kw)
        options = FactBaseOptions.of(kw)
        if kw["chart"]:
            with engine(options) as e:
                items, sources = e.select(filters, derived=kw["derived"]).items(), e.sources()
                hint = region_hint(e, filters, topic, kw)
            emit_chart(items, kw["format"], kw["output"], sources)
        else:
            with engine(options) as e:
                listing = topic_view(e, topic, filters, derived=kw["derived"], limit=query_limit(display), cite=kw["cite"])
                hint = region_hint(e, filters, topic, kw)
            emit(listing, kw["format"], kw["output"], kw["force"], empty_message=f"no {topic} facts match",
                 display=display)
        if hint:
            message(hint)

    return body


_REGION = "LCN"  # Latin America and the Caribbean: the region-wide figures


def region_hint(e, filters, topic: str, kw: dict) -> str | None:
    """With --country, when no figure names the countries asked for but region-wide figures
    match the other filters: what to say on stderr (stdout stays the data, exit 0 as for any
    listing with no match). None otherwise."""
    from bricli.model.countries import name

    asked = tuple(filters.country or ())
    if not asked or _REGION in asked:
        return None
    if e.select(replace(filters, types=("figure",)), limit=1).hits:
        return None
    if not e.select(replace(filters, country=(_REGION,), types=("figure",)), limit=1).hits:
        return None
    years = "".join(f" --year {y}" for y in kw.get("year") or [])
    return (f"bricli: no {topic} figure names {', '.join(name(c) for c in asked)}; region-wide figures "
            f"(China–Latin America) match the other filters\nhint: see them with: bricli {topic} --country {_REGION}{years}")


def topic_commands():
    for topic, spec in TOPIC_COMMANDS.items():
        extra = [param(f.option, _option(f.option, f.values, f.help), None) for f in TOPIC_FILTERS[topic]]
        doc = f"{spec['help']}\n\nExample: {spec['example']}"
        params = FILTERS + extra + CITE + CHART + SHAPE + [IDS] + PAGING + OUTPUT + BASE
        yield topic, make_command(topic, doc, params, _body(topic))
