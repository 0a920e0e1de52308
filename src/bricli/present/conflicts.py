"""Disagreements between sources as a listing: one row per fact, grouped by conflict.

Machine records (a public contract, documented in the README, "Conflicts"):
one object per fact in a conflict, flat enough for csv, carrying the conflict's
number, subject and kind, and the fact's value or date with its basis and source.
"""

from __future__ import annotations

from bricli.analysis.conflicts import Conflict
from bricli.model.facts import FactBase
from bricli.present.listing import Column, Listing
from bricli.analysis.records import record, record_source
from bricli.model.wording import period_text, source_line, value_text

FIELDS = (
    "conflict", "subject", "disagreement", "id", "type", "kind", "stage", "countries",
    "period", "period_label", "partial", "value", "unit", "scale", "value_base", "qualifier",
    "value_text", "stat_basis", "source",
)

# the `source` of each record (analysis/records.record_source with standing)
CONFLICT_SOURCE_FIELDS = ("id", "title", "publisher", "date", "reliability", "url", "section", "quote", "translation")
# the fields --columns and --sort may name, and the csv header when nothing matches
CONFLICT_RECORD_FIELDS = FIELDS + tuple(f"source.{k}" for k in CONFLICT_SOURCE_FIELDS)

COLUMNS = [
    Column("conflict", "#", numeric=True),
    Column("subject", "Subject", grow=2),
    Column("says", "Says"),
    Column("basis", "Basis"),
    Column("source", "Source", hyphens=True, breakable=True),  # a long id wraps after its hyphens at 80 columns
    Column("id", "Fact ID", hyphens=True, breakable=True),
]


def conflict_records(conflicts: list[Conflict], base: FactBase) -> list[dict]:
    out = []
    for n, c in enumerate(conflicts, 1):
        for f in c.facts:
            full = record(f, base)
            rec = {"conflict": n, "subject": c.subject, "disagreement": c.kind}
            rec.update({k: full[k] for k in FIELDS if k in full and k not in ("source",)})
            rec["source"] = record_source(f.source.id, base.sources.get(f.source.id), f.source, standing=True)
            out.append({k: rec.get(k) for k in FIELDS})
    return out


def conflicts_listing(conflicts: list[Conflict], base: FactBase, cite: bool = False) -> Listing:
    records = conflict_records(conflicts, base)
    rows = []
    used: list[str] = []
    for n, c in enumerate(conflicts, 1):
        for f in c.facts:
            src = base.sources.get(f.source.id)
            says = value_text(f) if c.kind == "value" else period_text(f)
            if c.kind == "value" and f.period is None and f.as_of is None and f.when:
                says += f" ({f.when})"
            grade = f" ({src.reliability})" if src and src.reliability else ""
            row = {
                "conflict": str(n),  # on every row: plain output stays one self-contained line per fact
                "subject": c.subject,
                "says": says,
                "basis": (f.stat_basis if f.type == "figure" else "") or "",
                "source": f.source.id + grade,
                "id": f.id,
            }
            if cite:
                row["quote"] = f.source.quote + (f" [{f.source.translation}]" if f.source.translation else "")
            rows.append(row)
            if f.source.id not in used:
                used.append(f.source.id)
    columns = list(COLUMNS) + ([Column("quote", "Quote", grow=2)] if cite else [])
    cited = {s: source_line(base.sources[s]) for s in used if s in base.sources}
    return Listing(records=records, columns=columns, rows=rows, title="Disagreements between sources",
                   footer=list(cited.values()), row_sources=[f.source.id for c in conflicts for f in c.facts], cited=cited,
                   fields=CONFLICT_RECORD_FIELDS)
