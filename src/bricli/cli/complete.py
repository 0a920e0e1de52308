"""Value completion for options. Each function imports what it needs when called,
so building the app for a TAB press stays cheap."""

from __future__ import annotations

from bricli.render import FORMATS  # the renderers own the list; importing it is nearly free


def formats(incomplete: str):
    return [f for f in FORMATS if f.startswith(incomplete.lower())]


def countries(incomplete: str):
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


def _base():
    try:
        from bricli.cli.factbase import load_base

        from bricli.model.limits import DEFAULT_MAX_FILE_SIZE

        return load_base(None, False, DEFAULT_MAX_FILE_SIZE)[0]
    except Exception:  # completion must never crash the shell
        return None


def year_choices(incomplete: str):
    try:
        from bricli.cli.factbase import indexed_years

        found = indexed_years()
    except Exception:
        found = None
    if found is not None:
        return [str(y) for y in found if str(y).startswith(incomplete)]
    from bricli.model.periods import years_covered

    base = _base()
    return [str(y) for y in years_covered(base.facts) if str(y).startswith(incomplete)] if base else []


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
        from bricli.analysis.query import Filters, select

        out += [(d.id, d.label) for d in select(base, Filters(), derived=True)
                if isinstance(d, Derived) and d.id.startswith(incomplete)]
    return out


def grades(incomplete: str):
    return [(g, h) for g, h in (("A", "official or primary"), ("B", "reputable secondary"), ("C", "repost, blog or aggregator"))
            if g.startswith(incomplete.upper())]
