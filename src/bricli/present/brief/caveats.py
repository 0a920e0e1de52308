"""Which caveats a brief states, each once, for what is shown: partial periods, bounds and approximate
values, forecasts, estimates and targets, figures dated only in words, derived values, corrections of
the source text."""

from __future__ import annotations

from bricli.analysis.derive import Derived
from bricli.analysis.derive import Item
from bricli.analysis.matching import span
from bricli.model.facts import Fact
from bricli.model.vocab import APPROXIMATE_QUALIFIERS, LOWER_BOUND_QUALIFIERS, UPPER_BOUND_QUALIFIERS
from bricli.model.wording import QUALIFIER_WORDS, is_partial, period_label
from bricli.present.brief import words as W
from bricli.present.brief.data import Line

UNDATED_WORDS = 2  # the caveat on figures dated only in words quotes the first few such words


def _bound(f: Fact) -> str:
    if f.qualifier in LOWER_BOUND_QUALIFIERS:
        return "lower"
    if f.qualifier in UPPER_BOUND_QUALIFIERS:
        return "upper"
    if f.qualifier in APPROXIMATE_QUALIFIERS:
        return "approximate"
    return "range" if f.qualifier == "range" else ""


def caveats_for(items: list[Item]) -> list[Line]:
    """Each caveat once, citing every fact shown that it concerns."""
    partial: dict[str, list[str]] = {}
    bounded: dict[str, list[str]] = {}
    basis: dict[str, list[str]] = {}
    undated: dict[str, list[str]] = {}
    corrections: list[Line] = []
    any_derived = False
    for i in items:
        if isinstance(i, Derived):
            any_derived = True
            continue
        if i.correction:
            corrections.append(Line((i.id,), W.CAVEAT_CORRECTION.format(correction=i.correction)))
        if not i.is_figure:
            continue
        if is_partial(i):
            partial.setdefault(period_label(i), []).append(i.id)
        bound = _bound(i)
        if bound:
            word = QUALIFIER_WORDS.get(i.qualifier) or i.qualifier
            bounded.setdefault(W.CAVEAT_BOUND.format(word=word, what=W.BOUND_WHAT[bound]), []).append(i.id)
        if i.basis in W.CAVEAT_BASIS:
            basis.setdefault(W.CAVEAT_BASIS[i.basis], []).append(i.id)
        if span(i) is None and i.when:
            undated.setdefault(i.when, []).append(i.id)
    out = [Line(tuple(refs), W.CAVEAT_PARTIAL.format(period=p)) for p, refs in partial.items()]
    out += [Line(tuple(refs), text) for text, refs in bounded.items()]
    out += [Line(tuple(refs), text) for text, refs in basis.items()]
    if undated:
        words = ", ".join(f"\u201c{w}\u201d" for w in list(undated)[:UNDATED_WORDS])
        out.append(Line(tuple(r for refs in undated.values() for r in refs), W.CAVEAT_UNDATED.format(words=words)))
    if any_derived:
        out.append(Line((), W.CAVEAT_DERIVED))
    return out + corrections
