"""Value completion for options. Each function imports what its one kind of value needs
(the country table, the fact base, the index) when called, so building the app for a TAB
press stays cheap (part of the fast path: cli/entry.py)."""

from __future__ import annotations

from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
from bricli.render import FORMATS  # the renderers own the list; importing it is nearly free


def formats(incomplete: str):
    return [f for f in FORMATS if f.startswith(incomplete.lower())]


def country_names(incomplete: str):
    """Codes and names; shells keep only candidates that start with exactly what was
    typed, so a candidate matching in another case is offered in the typed case
    (`bra` -> `bra`, `brasil`): bricli reads countries in any case."""
    from bricli.model import countries as c

    out = []
    for value, help_text in c.completions(incomplete):
        if incomplete and not value.startswith(incomplete) and value.casefold().startswith(incomplete.casefold()):
            value = incomplete + value[len(incomplete):]
        out.append((value, help_text))
    return out


def _default_options():
    from bricli.cli.factbase import FactBaseOptions

    return FactBaseOptions(None, False, DEFAULT_MAX_FILE_SIZE)


def _base():
    try:
        from bricli.cli.factbase import require_base

        return require_base(_default_options())
    except Exception:  # completion must never crash the shell
        return None


def year_choices(incomplete: str):
    try:
        from bricli.cli.factbase import indexed_years

        found = indexed_years()
    except Exception:
        found = None
    return [str(y) for y in found or () if str(y).startswith(incomplete)]


def source_ids(incomplete: str):
    base = _base()
    return [(s.id, s.title) for s in base.sources.values() if s.id.startswith(incomplete)] if base else []


def fact_ids(incomplete: str):
    """Stated fact ids, and the ids of derived values (`derived.<kind>.<input id>`) once
    what is typed could start one: computing those needs the query engine."""
    base = _base()
    if base is None:
        return []
    out = [(f.id, f.label) for f in base.facts if f.id.startswith(incomplete)]
    if "derived.".startswith(incomplete) or incomplete.startswith("derived."):
        from bricli.analysis.derive import Derived
        from bricli.analysis.query import Filters
        from bricli.cli.factbase import select_items

        try:
            derived = select_items(_default_options(), Filters(), derived=True)
        except Exception:  # completion must never crash the shell
            derived = []
        out += [(d.id, d.label) for d in derived if isinstance(d, Derived) and d.id.startswith(incomplete)]
    return out


def grades(incomplete: str):
    return [(g, h) for g, h in (("A", "official or primary"), ("B", "reputable secondary"), ("C", "repost, blog or aggregator"))
            if g.startswith(incomplete.upper())]
