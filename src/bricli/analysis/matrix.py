"""The regional matrix: for each Latin American and Caribbean country, what the facts say
about its Belt and Road document, AIIB membership, swap line, RMB clearing bank and free
trade agreement. Every cell names the facts it rests on; the steps and the cell each shows
come from one rule, `analysis/steps.py` (`bricli countries`, `country X --status` and `show`
agree on every date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bricli.analysis.steps import ARRANGEMENTS, Step, cell, country_steps
from bricli.model.facts import Fact

# The 33 member states of CELAC, the region's countries in the sense of the issue.
LAC_COUNTRIES = (
    "ATG", "ARG", "BHS", "BRB", "BLZ", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DMA", "DOM",
    "ECU", "SLV", "GRD", "GTM", "GUY", "HTI", "HND", "JAM", "MEX", "NIC", "PAN", "PRY", "PER",
    "KNA", "LCA", "VCT", "SUR", "TTO", "URY", "VEN",
)


@dataclass(frozen=True)
class Cell:
    """What a column says for one country: the steps shown, then all of that column's steps."""

    shown: tuple[Step, ...]  # what the table prints (e.g. signed, then withdrawn)
    entries: tuple[Step, ...]  # every fact behind the cell, in date order


@dataclass(frozen=True)
class CountryStatus:
    code: str
    cells: dict[str, Cell | None]  # keyed by ARRANGEMENTS
    steps: tuple[Step, ...]  # every step of every column, in date order
    facts: int  # facts that name the country


def status_of(code: str, facts: list[Fact]) -> CountryStatus:
    steps = country_steps(code, facts)
    cells: dict[str, Cell | None] = {}
    for t in ARRANGEMENTS:
        mine = tuple(s for s in steps if s.column == t)
        cells[t] = Cell(cell(t, mine), mine) if mine else None
    return CountryStatus(code, cells, steps, sum(1 for f in facts if code in f.countries))


def country_matrix(facts: Iterable[Fact], codes: Iterable[str] = LAC_COUNTRIES) -> list[CountryStatus]:
    """One status per country, in the order of `codes` (sorted by name by the caller if wanted)."""
    facts = list(facts)
    return [status_of(c, facts) for c in codes]
