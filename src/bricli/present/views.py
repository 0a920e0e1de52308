"""The listings the index serves from its stored records, and the checks of what a view asks
(`bricli VIEW`'s arguments, before anything is read): the one code the CLI's commands and
`bricli.api` call. The views that read the fact base itself (country, show, sources,
conflicts, countries, series) are in present/base_views.py.

The command line (cli/commands/) and the Python API (api.py) both open an engine
(index/engine.py), build the filters (present/request.py) and call these; each
decides here, once, what a view selects and which values it refuses (a
`QueryError`, exit 2 on the command line). The command line then renders the
listing, the API returns its records.
"""

from __future__ import annotations

from bricli.analysis.query import Filters, resolve_country
from bricli.index.engine import Engine
from bricli.model.errors import QueryError
from bricli.model.vocab import STAT_BASES, TOPICS
from bricli.present.listing import Listing, selection_listing
from bricli.present.request import closed_value

DISAGREEMENTS = ("value", "date")


def topic_view(e: Engine, topic: str | None, filters: Filters, *, derived: bool = False, limit: int | None = None,
               cite: bool = False) -> Listing:
    """`bricli TOPIC`: the facts `filters` select, in the set's order."""
    selection = e.select(filters, derived=derived, limit=limit)
    return selection_listing(selection, cite=cite, title=topic.capitalize() if topic else None, topic=topic)


def search_words(text) -> tuple[str, ...]:
    """`bricli search TEXT`: the words every match must hold."""
    if not isinstance(text, str):
        raise QueryError(f"TEXT: expected text, not {type(text).__name__} {text!r}", "give one or more words: bricli search Huawei 5G")
    words = tuple(text.split())
    if not words:
        raise QueryError("nothing to search for", "give one or more words: bricli search Huawei 5G")
    return words


def search_view(e: Engine, text: str, filters: Filters, *, derived: bool = False, limit: int | None = None,
                cite: bool = False) -> Listing:
    """`bricli search TEXT`: matches in labels and names first, then those only in quotes and notes.
    `filters` carry the words (`search_words`)."""
    selection = e.select(filters, derived=derived, order="search", limit=limit)
    return selection_listing(selection, cite=cite, title=f"Search: {text}", topic_column=True)


def timeline_view(e: Engine, filters: Filters, *, limit: int | None = None, cite: bool = False) -> Listing:
    """`bricli timeline`: dated facts in time order (stated facts only)."""
    selection = e.select(filters, derived=False, order="timeline", limit=limit)
    return selection_listing(selection, cite=cite, title="Timeline", topic_column=True)


def profile_code(name) -> str:
    """`bricli country COUNTRY`: the ISO code of a code or name (Brasil, BRA)."""
    if not isinstance(name, str):
        raise QueryError(f"COUNTRY: expected a code or name, not {type(name).__name__} {name!r}", "for example 'BRA' or 'Brasil'")
    return resolve_country(name)


def disagreement_kind(kind) -> str | None:
    """`bricli conflicts --kind`: value, date, or None for both."""
    return closed_value(kind, DISAGREEMENTS, f"--kind: unknown value '{kind}'", "use value or date")


def series_names(names) -> tuple[list[str], str | None]:
    """`bricli series [TOPIC ...] | SERIES_ID`: (topics, series id); a list of topics or one id."""
    if names is None:
        names = []
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise QueryError(f"expected topics or one series id as text, not {type(names).__name__} {names!r}",
                         "bricli series trade, or bricli series SERIES_ID")
    names = [n.strip() for n in names if n.strip()]
    topics = [n.lower() for n in names if n.lower() in TOPICS]
    if topics and len(topics) != len(names):
        raise QueryError("give topics or one series id, not both", "bricli series trade, or bricli series SERIES_ID")
    if len(names) > 1 and not topics:
        raise QueryError(f"one series id at a time, not {len(names)}", "bricli series lists the ids")
    return topics, (None if topics else (names[0] if names else None))


def series_basis(basis) -> str | None:

    return closed_value(basis, STAT_BASES, f"--basis: unknown value '{basis}'", f"use one of: {', '.join(STAT_BASES)}")


def series_request(names, basis, alternates: bool, chart: bool = False) -> tuple[list[str], str | None, str | None]:
    """`bricli series`' arguments checked (before anything is read): (topics, series id, basis)."""
    topics, wanted = series_names(names)
    basis = series_basis(basis)
    if wanted is None and (alternates or chart):
        raise QueryError("--alternates and --chart show one series", "give its id: bricli series SERIES_ID --chart")
    return topics, wanted, basis
