"""The regional matrix (`bricli countries`) and one country's status (`bricli country X --status`).

Machine records, a public contract (README, "Countries"): per country its code and
name, one short text per column with the fact ids it rests on (`<column>_facts`),
the number of facts naming it, and `entries`: every dated step behind the cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bricli.analysis.matrix import CountryStatus
from bricli.analysis.steps import ARRANGEMENTS, Step, same_steps
from bricli.model import countries
from bricli.model.periods import day_label, parse_period
from bricli.present.listing import Column, Listing

HEADERS = {"bri": "Belt and Road", "aiib": "AIIB", "swap": "Swap line", "clearing": "Clearing", "fta": "FTA"}
WORDS = {
    "full-member": "full member", "prospective-member": "prospective", "in-force": "in force",
    "joined": "joined", "withdrawn": "left", "declined": "declined",
    "negotiating": "talks",  # an FTA under negotiation; "negotiating" would widen the 80-column grid
}
FIELDS = ("country", "name", *[x for t in ARRANGEMENTS for x in (t, f"{t}_facts")], "facts", "entries")
_SCALE_SHORT = (" trillion", " tn"), (" billion", " bn"), (" million", " m")
_SHORT_AMOUNT = re.compile(r"\S+ (?:tn|bn|m)\b,?")  # "US$7.7 bn": a table keeps it on one line


def short_date(period: str | None) -> str:
    """'2017-11-17' -> '2017-11'; '../2018' -> 'by 2018'; '2012/..' -> 'since 2012'."""
    if not period:
        return ""
    p = parse_period(period)
    if p.start is None:
        return f"by {p.end.text[:7]}"  # type: ignore[union-attr]
    if p.end is None:
        return f"since {p.start.text[:7]}"
    return p.start.text[:7]


def long_date(period: str | None) -> str:
    """'17 Nov 2017', 'by end-2018': the full precision the fact gives."""
    if not period:
        return ""
    p = parse_period(period)
    return p.label() if p.is_interval else day_label(p.start)  # type: ignore[arg-type]


def _short_amount(text: str | None) -> str:
    if not text:
        return ""
    for long, short in _SCALE_SHORT:
        text = text.replace(long, short)
    return text


def cell_text(topic: str, shown: tuple[Step, ...]) -> str:
    parts = []
    for e in shown:
        when = short_date(e.period)
        if topic == "bri":
            parts.append(when if e.what in ("signed", None) else f"{WORDS.get(e.what, e.what)} {when}".strip())
        elif topic == "swap":
            parts.append(", ".join(x for x in (_short_amount(e.detail), when) if x))
        elif topic == "clearing":
            parts.append(when or "yes")
        else:  # a step with no stage stated shows its date alone
            parts.append(f"{_word(e.what)} {when}".strip() or "yes")
    return ", ".join(p for p in parts if p)


def _word(stage: str | None) -> str:
    return WORDS.get(stage, stage) if stage else ""


def _entry_record(e: Step) -> dict:
    return {"column": e.column, "stage": e.what, "period": e.period, "date_label": long_date(e.period) or None,
            "detail": e.detail, "fact": e.fact_id, "agrees_with": e.agrees_with}


def matrix_records(rows: list[CountryStatus]) -> list[dict]:
    out = []
    for r in rows:
        rec: dict = {"country": r.code, "name": countries.name(r.code)}
        for t in ARRANGEMENTS:
            cell = r.cells[t]
            rec[t] = cell_text(t, cell.shown) if cell else None
            shown_ids = [i for e in (cell.shown if cell else ()) for i in (e.fact_id, e.detail_fact) if i]
            rec[f"{t}_facts"] = list(dict.fromkeys(shown_ids))  # the amount may come from an earlier fact
        rec["facts"] = r.facts
        rec["entries"] = [_entry_record(e) for e in r.steps]
        out.append(rec)
    return out


def matrix_listing(rows: list[CountryStatus]) -> Listing:
    records = matrix_records(rows)
    display = []
    for rec in records:
        row = {"country": rec["country"], "country_short": countries.short_name(rec["country"]), "facts": str(rec["facts"])}
        row.update({t: rec[t] or "" for t in ARRANGEMENTS})
        amount = _SHORT_AMOUNT.search(row["swap"])
        row["swap_amount"] = amount.group(0) if amount else ""
        display.append(row)
    columns = [Column("country", "Country")] + [Column(t, HEADERS[t], keep=f"{t}_amount" if t == "swap" else None) for t in ARRANGEMENTS] + [Column("facts", "Facts", numeric=True)]
    footer = [("Each cell: the furthest step reached and its date (Belt and Road: signed, left; AIIB and FTA: the furthest "
               "stage; clearing: the first designation; swap: the latest step and last stated amount); a dated step is "
               "preferred over a \"by\" one that agrees with it. --format json names the fact behind every cell; "
               "bricli country CODE --status gives every step with its full date.")]
    return Listing(records=records, columns=columns, rows=display, title="Latin America and the Caribbean: what the facts say",
                   footer=footer, fields=FIELDS)


STATUS_FIELDS = ("country", "column", "stage", "period", "date_label", "detail", "fact", "agrees_with", "also")
STATUS_COLUMNS = [Column("what", "What"), Column("stage", "Step"), Column("date", "Date"), Column("detail", "Detail", grow=2),
                  Column("fact", "Fact ID", hyphens=True)]  # a long id wraps after its hyphens


def _more_facts(e: Step) -> str:
    """How many more facts state the step (a "by" step that agrees with a dated one is among them)."""
    if not e.also:
        return ""
    return f"{len(e.also)} more fact{'s' if len(e.also) > 1 else ''} agree{'' if len(e.also) > 1 else 's'}"


def status_listing(row: CountryStatus, grades: Mapping[str, str | None] | None = None) -> Listing:
    """Every step behind one country's matrix row, one per line, in date order: a step that several
    facts state is one line, its most precise date, the others in `also` (steps.same_steps;
    `grades`: source id -> reliability, the better source's fact stands for equal dates)."""
    records = []
    display = []
    steps = same_steps(row.steps, grades)
    for e in steps:
        records.append({"country": row.code, **_entry_record(e), "also": list(e.also)})
        display.append({"what": HEADERS[e.column], "stage": _word(e.what), "date": long_date(e.period),
                        "detail": "; ".join(x for x in (e.detail, _more_facts(e)) if x), "fact": e.fact_id})
    return Listing(records=records, columns=STATUS_COLUMNS, rows=display,
                   title=f"{countries.name(row.code)} ({row.code}): Belt and Road, AIIB, swap line, clearing bank, FTA",
                   fields=STATUS_FIELDS, row_sources=[e.source or "" for e in steps])  # a terminal's Source column


def status_lines(row: CountryStatus) -> list[str]:
    """The same, as footer lines under a country's table: 'Belt and Road: signed 17 Nov 2017 [id]; ...'."""
    lines = []
    for t in ARRANGEMENTS:
        cell = row.cells[t]
        if not cell:
            continue
        steps = "; ".join(
            " ".join(x for x in (_word(e.what), long_date(e.period), e.detail and f"({e.detail})") if x)
            + f" [{e.fact_id}]"
            for e in cell.entries
        )
        lines.append(f"{HEADERS[t]}: {steps}")
    return lines
