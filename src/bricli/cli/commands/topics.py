"""The topic commands: trade, investment, projects, finance, people, policy, risks.

All seven share one body; they differ in the topic and in their own filter
options (trade --flow, projects --sector/--status, ...), declared in TOPICS.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from bricli.model.vocab import KINDS, MEASURES, SECTORS, STAGES, STAT_BASES, STATUSES
from bricli.cli.build import BASE, CHART, CITE, FILTERS, OUTPUT, filters_from, make_command, param


def _choices(values):
    def complete(incomplete: str):
        return [v for v in values if v.startswith(incomplete)]

    return complete


# stages a fact of each type may record (one step per fact)
_STAGES = {t: tuple(dict.fromkeys(s for k in KINDS[t] for s in STAGES.get(k, ()))) for t in KINDS}

# topic -> [(option name, fact field, allowed values, help)]
TOPICS: dict[str, dict] = {
    "trade": {
        "help": "Trade between China and Latin America: totals, exports, imports, shares, growth.",
        "example": "bricli trade --year 2018 --flow exports",
        "filters": [("flow", "direction", ("exports", "imports", "total", "balance"),
                     "exports, imports, total, or balance (derived: exports − imports); seen from China."),
                    ("basis", "stat_basis", STAT_BASES, "Whose statistics: " + ", ".join(STAT_BASES) + ".")],
    },
    "investment": {
        "help": "Direct investment: yearly flows and accumulated stocks, both directions.",
        "example": "bricli investment --kind stock",
        "filters": [("kind", "measure", MEASURES, "flow (one period) or stock (accumulated)."),
                    ("direction", "direction", ("outward", "inward"), "outward or inward, seen from the first country.")],
    },
    "projects": {
        "help": "Infrastructure projects: ports, bridges, railways, power, water, telecom.",
        "example": "bricli projects --country Brasil --sector energy",
        "filters": [("sector", "sector", SECTORS, "Sector of the project."),
                    ("status", "status", STATUSES, "Status of the project as the source states it.")],
    },
    "finance": {
        "help": "Financial arrangements: currency swaps, RMB clearing banks, AIIB membership, financing mechanisms.",
        "example": "bricli finance --kind swap",
        "filters": [("kind", "kind", KINDS["arrangement"], ", ".join(KINDS["arrangement"]) + "."),
                    ("stage", "stage", _STAGES["arrangement"], "The step a fact records: " + ", ".join(_STAGES["arrangement"]) + ".")],
    },
    "people": {
        "help": "People-to-people ties: Confucius Institutes, media, tourism, visas, flights, visitors.",
        "example": "bricli people --year 2017",
        "filters": [("kind", "kind", KINDS["tie"], "education, language, media, tourism, visa, flights, culture, exchange or other.")],
    },
    "policy": {
        "help": "Policy coordination: Belt and Road documents, free trade agreements, ministerials, plans, frameworks, visits, proposals.",
        "example": "bricli policy --kind framework",
        "filters": [("kind", "kind", KINDS["policy"], ", ".join(KINDS["policy"]) + "."),
                    ("stage", "stage", _STAGES["policy"], "The step a fact records: " + ", ".join(_STAGES["policy"]) + ".")],
    },
    "risks": {
        "help": "Risks: political, economic, public security, external powers, perception and China-side.",
        "example": "bricli risks --category political --country Peru",
        "filters": [("category", "kind", KINDS["risk"], "political, economic, public-security, external-powers, perception or china-side.")],
    },
}


def _option(opt: str, values, help_text: str):
    return Annotated[
        Optional[str],
        typer.Option(f"--{opt}", metavar=opt.upper(), help=help_text, autocompletion=_choices(values), show_default=False),
    ]


def _body(topic: str, specs):
    def body(**kw) -> None:
        from bricli.analysis.query import select
        from bricli.cli.errors import UsageError
        from bricli.cli.factbase import require_base
        from bricli.present.listing import build_listing
        from bricli.cli.output import emit

        fields = {}
        for opt, fieldname, values, _ in specs:
            wanted = kw.get(opt)
            if wanted is None:
                continue
            wanted = wanted.strip().lower()
            if wanted not in values:
                raise UsageError(f"--{opt}: unknown value '{kw[opt]}'", f"use one of: {', '.join(values)}")
            fields[fieldname] = wanted
        base = require_base(kw["facts"], kw["no_shipped"], kw["max_file_size"], kw["no_cache"])
        filters = filters_from(kw, topic=topic, fields=fields)
        items = select(base, filters, derived=not kw["no_derived"])
        if kw["chart"]:
            from bricli.cli.output import emit_chart

            emit_chart(items, kw["format"], kw["output"])
            return
        listing = build_listing(items, base, cite=kw["cite"], title=topic.capitalize())
        emit(listing, kw["format"], kw["output"], kw["force"], empty_message=f"no {topic} facts match")

    return body


def topic_commands():
    for topic, spec in TOPICS.items():
        specs = spec["filters"]
        extra = [param(opt, _option(opt, values, h), None) for opt, _, values, h in specs]
        doc = f"{spec['help']}\n\nExample: {spec['example']}"
        params = FILTERS + extra + CITE + CHART + OUTPUT + BASE
        yield topic, make_command(topic, doc, params, _body(topic, specs))

