"""The regional matrix: for each Latin American and Caribbean country, what the facts say
about its Belt and Road document, AIIB membership, swap line, RMB clearing bank and free
trade agreement. Every cell names the facts it rests on.

Where sources disagree on a date, the cell shows the earliest and lists every fact
(`bricli conflicts` shows the disagreement itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bricli.model.facts import Fact
from bricli.model.periods import parse_period
from bricli.model.wording import value_text

# The 33 member states of CELAC, the region's countries in the sense of the issue.
LAC_COUNTRIES = (
    "ATG", "ARG", "BHS", "BRB", "BLZ", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DMA", "DOM",
    "ECU", "SLV", "GRD", "GTM", "GUY", "HTI", "HND", "JAM", "MEX", "NIC", "PAN", "PRY", "PER",
    "KNA", "LCA", "VCT", "SUR", "TTO", "URY", "VEN",
)
ARRANGEMENTS = ("bri", "aiib", "swap", "clearing", "fta")  # the matrix's columns (not model/vocab.py's TOPICS)
AIIB_NAME = "Asian Infrastructure Investment Bank"
AIIB_RANK = {"joined": 0, "prospective-member": 1, "signed": 2, "ratified": 3, "full-member": 4}
FTA_RANK = {"negotiating": 1, "signed": 2, "in-force": 3}


@dataclass(frozen=True)
class Entry:
    """One dated statement in a cell: 'signed 2017-11-17' from fact X."""

    what: str  # signed, withdrawn, declined, full-member, renewed, designated, in-force ...
    period: str | None  # as the fact states it: "2017-11-17", "../2018", or None
    fact_id: str
    detail: str | None = None  # an amount, a bank's name, an agreement's name
    detail_fact: str | None = None  # the fact the detail comes from, when not fact_id (an earlier amount)


@dataclass(frozen=True)
class Cell:
    """What a column says for one country: the entry shown first, then all the others."""

    shown: tuple[Entry, ...]  # what the table prints (e.g. signed, then withdrawn)
    entries: tuple[Entry, ...]  # every fact behind the cell, in time order


@dataclass(frozen=True)
class CountryStatus:
    code: str
    cells: dict[str, Cell | None]  # keyed by ARRANGEMENTS
    facts: int  # facts that name the country


def _first(p: str | None) -> date:
    """Where a step sorts: its first day, or for "by" a date ("../2023-10-20") that bound, as the
    timeline places it: it happened at some time up to then, not before every dated step."""
    if not p:
        return date.max
    period = parse_period(p)
    return period.last if period.start is None else period.first


def _when(f: Fact) -> str | None:
    return f.period or f.as_of


def _ordered(entries: list[Entry]) -> tuple[Entry, ...]:
    return tuple(sorted(entries, key=lambda e: (_first(e.period), e.fact_id)))


def _earliest(entries: list[Entry], what: str) -> Entry | None:
    hits = [e for e in entries if e.what == what]
    return _ordered(hits)[0] if hits else None


def _is_aiib(f: Fact) -> bool:
    if f.kind == "aiib-membership":
        return True
    return f.kind == "membership" and (AIIB_NAME in (f.name or "") or AIIB_NAME in f.participants)


def _amount(f: Fact) -> str | None:
    term = f"{f.term_years} years" if f.term_years is not None else ""
    return ", ".join(x for x in (value_text(f), term) if x) or None


def entries_for(code: str, facts: Iterable[Fact]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {t: [] for t in ARRANGEMENTS}
    for f in facts:
        if code not in f.countries or f.type == "figure":
            continue
        when = _when(f)
        if f.kind == "bri-document":
            out["bri"].append(Entry(f.stage or "signed", when, f.id, f.name))
        elif _is_aiib(f):
            out["aiib"].append(Entry(f.stage or "joined", when, f.id))
        elif f.kind == "swap":
            out["swap"].append(Entry(f.stage or "signed", when, f.id, _amount(f)))
        elif f.kind == "clearing":
            bank = f.name if f.name and "clearing" not in f.name.lower() else None
            out["clearing"].append(Entry(f.stage or "established", when, f.id, bank))
        elif f.kind == "fta":
            out["fta"].append(Entry(f.stage or "signed", when, f.id, f.name))
    return out


def _bri(entries: list[Entry]) -> tuple[Entry, ...]:
    shown = [e for e in (_earliest(entries, "signed"), _earliest(entries, "withdrawn")) if e]
    if not shown:
        shown = [e for e in (_earliest(entries, "declined"),) if e]
    return tuple(shown)


def _highest(entries: list[Entry], rank: dict[str, int]) -> tuple[Entry, ...]:
    if not entries:
        return ()
    top = max(rank.get(e.what, -1) for e in entries)
    return (_ordered([e for e in entries if rank.get(e.what, -1) == top])[0],)


def _is_bound(e: Entry) -> bool:
    return e.period is not None and parse_period(e.period).start is None


def _designated(entries: list[Entry]) -> tuple[Entry, ...]:
    """The first designation of a clearing bank, by its stated date where one is given; any other
    step (a memorandum on clearing arrangements) only when no designation is stated."""
    if not entries:
        return ()
    pick = [e for e in entries if e.what == "designated"] or entries
    return (_ordered([e for e in pick if not _is_bound(e)] or pick)[0],)


def _latest(entries: list[Entry]) -> tuple[Entry, ...]:
    if not entries:
        return ()
    # a "by" bound ("../2018": some time up to then) is not a later step than a dated one
    latest = _ordered([e for e in entries if not _is_bound(e)] or entries)[-1]
    if latest.detail is None:  # show the last stated amount with the last date
        with_amount = [e for e in _ordered(entries) if e.detail]
        if with_amount:
            src = with_amount[-1]
            latest = Entry(latest.what, latest.period, latest.fact_id, src.detail, src.fact_id)
    return (latest,)


def status_of(code: str, facts: list[Fact]) -> CountryStatus:
    found = entries_for(code, facts)
    pick = {
        "bri": _bri(found["bri"]),
        "aiib": _highest(found["aiib"], AIIB_RANK),
        "swap": _latest(found["swap"]),
        "clearing": _designated(found["clearing"]),
        "fta": _highest(found["fta"], FTA_RANK),
    }
    cells = {t: (Cell(pick[t], _ordered(found[t])) if found[t] else None) for t in ARRANGEMENTS}
    return CountryStatus(code, cells, sum(1 for f in facts if code in f.countries))


def country_matrix(facts: Iterable[Fact], codes: Iterable[str] = LAC_COUNTRIES) -> list[CountryStatus]:
    """One status per country, in the order of `codes` (sorted by name by the caller if wanted)."""
    facts = list(facts)
    return [status_of(c, facts) for c in codes]
