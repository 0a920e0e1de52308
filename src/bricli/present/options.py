"""Which options each listing takes: the topic commands' own filters (`TOPIC_FILTERS`), what
their Kind column shows, and the options of each view as `bricli.api` takes them. Declared
once, for the command line's --help and TAB (which read this module alone: only the
vocabulary is imported) and for the API; present/request.py checks the values."""

from __future__ import annotations

from typing import NamedTuple

from bricli.model.vocab import KINDS, MEASURES, SECTORS, STAGES, STAT_BASES, STATUSES


class TopicFilter(NamedTuple):  # not a dataclass: decorating one costs start-up time on every TAB press
    option: str  # the option name: --flow, and flow= in the API
    field: str  # the fact field it selects on
    values: tuple[str, ...]
    help: str


# stages a fact of each type may record (one step per fact)
_STAGES = {t: tuple(dict.fromkeys(s for k in KINDS[t] for s in STAGES.get(k, ()))) for t in KINDS}

TOPIC_FILTERS: dict[str, tuple[TopicFilter, ...]] = {
    "trade": (TopicFilter("flow", "direction", ("exports", "imports", "total", "balance"),
                          "exports, imports, total, or balance (derived: exports − imports); seen from China."),
              TopicFilter("basis", "stat_basis", STAT_BASES, "Whose statistics: " + ", ".join(STAT_BASES) + ".")),
    "investment": (TopicFilter("kind", "measure", MEASURES, "flow (one period) or stock (accumulated)."),
                   TopicFilter("direction", "direction", ("outward", "inward"), "outward or inward, seen from the first country.")),
    "projects": (TopicFilter("sector", "sector", SECTORS, "Sector of the project."),
                 TopicFilter("status", "status", STATUSES, "The project's current status: from its latest dated milestone (README, Steps and statuses).")),
    "finance": (TopicFilter("kind", "kind", KINDS["arrangement"], ", ".join(KINDS["arrangement"]) + "."),
                TopicFilter("stage", "stage", _STAGES["arrangement"], "The step a fact records: " + ", ".join(_STAGES["arrangement"]) + ".")),
    "people": (TopicFilter("kind", "kind", KINDS["tie"], "education, language, media, tourism, visa, flights, culture, exchange or other."),),
    "policy": (TopicFilter("kind", "kind", KINDS["policy"], ", ".join(KINDS["policy"]) + "."),
               TopicFilter("stage", "stage", _STAGES["policy"], "The step a fact records: " + ", ".join(_STAGES["policy"]) + ".")),
    "risks": (TopicFilter("category", "kind", KINDS["risk"], "political, economic, public-security, external-powers, perception or china-side."),),
}

# The fields the "Kind" column of each topic command shows: what its own filters select on.
KIND_COLUMN: dict[str, tuple[str, ...]] = {
    "trade": ("direction", "stat_basis"),
    "investment": ("direction", "measure"),
    "projects": ("kind", "status"),  # port, bridge...; its current status (--status): "port, cancelled"
    "finance": ("kind", "stage"),
    "people": ("kind",),
    "policy": ("kind", "stage"),
    "risks": ("kind",),
}

COMMON_FILTERS = ("country", "year", "date_from", "date_to", "source", "grep", "reliability")
SHAPE_OPTIONS = ("columns", "sort", "limit")
FACT_BASE_OPTIONS = ("facts", "no_shipped", "max_file_size", "no_cache")
# CLI options that only change how rows look, not which rows or fields: the API has no use for them
PRESENTATION_ONLY = ("cite", "chart", "ids", "format", "output", "force", "no_header", "no_pager", "no_derived")

FLAGS = {"date_from": "--from", "date_to": "--to"}


def flag(name: str) -> str:
    return FLAGS.get(name, "--" + name.replace("_", "-"))


def _but(names: tuple[str, ...], left_out: str) -> tuple[str, ...]:
    return tuple(n for n in names if n != left_out)


# the options of each view (`bricli VIEW`), as `bricli.api.VIEW(...)` takes them: the command's
# options that choose rows or fields (not those that only change how rows look: PRESENTATION_ONLY)
VIEW_OPTIONS: dict[str, tuple[str, ...]] = {
    "search": (*_but(COMMON_FILTERS, "grep"), "derived", *SHAPE_OPTIONS, *FACT_BASE_OPTIONS),
    "timeline": (*COMMON_FILTERS, *SHAPE_OPTIONS, *FACT_BASE_OPTIONS),
    "country": (*_but(COMMON_FILTERS, "country"), "derived", "status", *SHAPE_OPTIONS, *FACT_BASE_OPTIONS),
    "show": ("cite_as", *FACT_BASE_OPTIONS),
    "sources": (*SHAPE_OPTIONS, *FACT_BASE_OPTIONS),
    "conflicts": (*COMMON_FILTERS, "kind", *SHAPE_OPTIONS, *FACT_BASE_OPTIONS),
    "countries": (*SHAPE_OPTIONS, *FACT_BASE_OPTIONS),
    "series": (*COMMON_FILTERS, "basis", "alternates", *SHAPE_OPTIONS, *FACT_BASE_OPTIONS),
}


def api_options(topic: str | None) -> tuple[str, ...]:
    """The keyword arguments `bricli.api.records(topic, ...)` (or, for a view, `bricli.api.VIEW(...)`)
    takes: the CLI's options of that command."""
    if topic in VIEW_OPTIONS:
        return VIEW_OPTIONS[topic]
    own = tuple(f.option for f in TOPIC_FILTERS.get(topic or "", ()))
    return COMMON_FILTERS + own + ("derived",) + SHAPE_OPTIONS + FACT_BASE_OPTIONS
