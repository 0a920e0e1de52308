"""The full brief's lists: the facts that are not figures, by type, then by kind (risks by country)."""

from __future__ import annotations

from bricli.model import countries
from bricli.model.facts import Fact
from bricli.model.vocab import KINDS
from bricli.present.brief import words as W
from bricli.present.brief.data import Line, LineGroup, ItemList
from bricli.present.brief.lines import entry_of


def _kind_title(kind: str | None) -> str:
    if not kind:
        return W.OTHER
    word = kind.replace("-", " ")
    return W.KIND_TITLES.get(kind, word[0].upper() + word[1:])


def lists_for(topic: str, facts: list[Fact]) -> list[ItemList]:
    lists: list[ItemList] = []
    by_type: dict[str, list[Fact]] = {}
    for f in facts:
        by_type.setdefault(f.type, []).append(f)
    for ftype, heading in W.LIST_TITLES.items():
        of_type = by_type.get(ftype)
        if not of_type:
            continue
        groups = _risks_by_country(of_type) if ftype == "risk" else _by_kind(ftype, of_type)
        lists.append(ItemList(heading, groups))
    return lists


def _by_kind(ftype: str, facts: list[Fact]) -> list[LineGroup]:
    kinds = KINDS.get(ftype, ())
    groups: dict[str | None, list[Line]] = {}
    for f in facts:
        groups.setdefault(f.kind, []).append(entry_of(f))
    present = sorted(groups, key=lambda k: (kinds.index(k) if k in kinds else len(kinds), k or ""))
    if len(present) == 1:
        return [LineGroup("", groups[present[0]])]
    return [LineGroup(_kind_title(k), groups[k]) for k in present]


def _risks_by_country(risks: list[Fact]) -> list[LineGroup]:
    """One group per country named (a risk naming two countries is under each), category first in each."""
    order = KINDS["risk"]
    groups: dict[str, list[tuple[int, int, Line]]] = {}
    for n, r in enumerate(risks):
        cat = order.index(r.kind) if r.kind in order else len(order)
        word = W.RISK_KINDS.get(r.kind or "", (r.kind or W.OTHER).replace("-", " "))
        entry = entry_of(r, with_countries=False, prefix=f"{word[0].upper()}{word[1:]}: ")
        for name in sorted({countries.name(c) for c in r.countries}) or [W.NO_COUNTRY]:
            groups.setdefault(name, []).append((cat, n, entry))
    names = sorted(groups, key=lambda g: (g == W.NO_COUNTRY, g))
    return [LineGroup(name, [e for _, _, e in sorted(groups[name], key=lambda x: x[:2])]) for name in names]

