"""Listings: the value every renderer takes (machine records plus their human display form),
and how selected facts become one: the columns people see.

`records` is the machine contract (json, ndjson, yaml, csv, tsv print it);
`columns` and `rows` are the human view (table, plain, markdown print them).
The two are kept apart so that display strings ("USD 1.3 bn") never leak into
machine output and machine values never need formatting rules in renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from bricli.analysis.derive import Derived
from bricli.model.facts import Fact, FactBase


@dataclass(frozen=True)
class Column:
    key: str  # key into Listing.rows dicts
    header: str
    numeric: bool = False  # right-align in tables
    grow: int = 1  # when a table must wrap, this column may be `grow` times as wide as the others (prose)


@dataclass
class Listing:
    records: list[dict]  # JSON-able dicts; order kept
    columns: list[Column]  # human columns for table/plain/markdown
    rows: list[dict[str, str]]  # display strings, one per record, keys = column keys
    title: str | None = None
    # e.g. "Source: cedpr-2020 — ..."; shown under table and markdown output only
    footer: list[str] = field(default_factory=list)


def display_cell(row: dict, key: str) -> str:
    """The display string of one cell; a missing key is an empty cell, not an error,
    so one sparse row cannot break a whole listing."""
    value = row.get(key)
    return "" if value is None else str(value)


DERIVED_NOTE = "Rows of kind 'derived' are computed by bricli from stated figures (≈ = rounded); --format json shows formula and inputs."


def _countries(codes) -> str:
    return ", ".join(codes)


def display_row(item: Fact | Derived, cite: bool) -> dict[str, str]:
    from bricli.model.wording import change_text, kind_text, period_text, value_text

    if isinstance(item, Derived):
        row = {
            "id": item.id,
            "what": f"{item.label} [{item.note}]" if item.kind == "balance" and item.note else item.label,
            "kind": f"derived: {item.kind}",
            "countries": _countries(item.countries),
            "period": period_text(item),
            "value": item.display(),
            "change": "",
        }
        if cite:
            row["quote"] = f"computed: {item.formula}"
        return row
    row = {
        "id": item.id,
        "what": item.label,  # labels name the thing; `name` is in the machine formats
        "kind": kind_text(item),
        "countries": _countries(item.countries),
        "period": period_text(item),
        "value": value_text(item),
        "change": change_text(item.change_pct),
    }
    if cite:
        row["quote"] = item.source.quote
    return row


COLUMNS = [
    Column("id", "ID"),
    Column("what", "What", grow=2),
    Column("kind", "Kind"),
    Column("countries", "Countries"),
    Column("period", "Period"),
    Column("value", "Value", numeric=True),
    Column("change", "Change", numeric=True),
]
QUOTE = Column("quote", "Quote", grow=2)


TOPIC = Column("topic", "Topic")


def build_listing(items: list, base: FactBase, *, cite: bool = False, title: str | None = None,
                  topic_column: bool = False) -> Listing:
    from bricli.present.records import record
    from bricli.model.wording import source_line

    used = []
    for item in items:
        sid = item.source_id if isinstance(item, Derived) else item.source.id
        if sid not in used:
            used.append(sid)
    footer = [source_line(base.sources[s]) for s in used if s in base.sources]
    if any(isinstance(i, Derived) for i in items):
        footer.append(DERIVED_NOTE)
    columns = ([TOPIC] if topic_column else []) + COLUMNS + ([QUOTE] if cite else [])
    rows = [display_row(i, cite) for i in items]
    if topic_column:
        for row, item in zip(rows, items):
            row["topic"] = item.topic
    return Listing(
        records=[record(i, base) for i in items],
        columns=columns,
        rows=rows,
        title=title,
        footer=footer,
    )


FIELD = Column("field", "Field")
VALUE = Column("value", "Value")


def fact_listing(item, base: FactBase) -> Listing:
    """One fact as field/value rows, for `show`."""
    from bricli.present.records import record

    rec = record(item, base)
    rows = []
    for key, value in rec.items():
        if key == "source" and isinstance(value, dict):
            rows += [{"field": f"source.{k}", "value": str(v)} for k, v in value.items() if v not in (None, "")]
            continue
        if value in (None, "", [], False) and key not in ("derived", "partial"):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        rows.append({"field": key, "value": str(value)})
    src = base.sources.get(rec["source"]["id"])
    from bricli.model.wording import source_line

    return Listing(records=[rec], columns=[FIELD, VALUE], rows=rows, title=rec["id"],
                   footer=[source_line(src)] if src else [])


def sources_listing(base: FactBase) -> Listing:
    counts: dict[str, int] = {}
    for f in base.facts:
        counts[f.source.id] = counts.get(f.source.id, 0) + 1
    from bricli.present.records import source_record

    records, rows = [], []
    for s in base.sources.values():
        records.append(source_record(s, counts.get(s.id, 0)))
        rows.append({"id": s.id, "title": s.title, "date": s.date + (" (estimated)" if s.date_estimated else ""),
                     "publisher": ", ".join(x for x in (s.author, s.publisher) if x) or "not stated",
                     "url": s.url or "", "reliability": s.reliability or "", "facts": str(counts.get(s.id, 0))})
    columns = [Column("id", "ID"), Column("title", "Title"), Column("date", "Date"), Column("publisher", "Author / publisher"),
               Column("url", "URL"), Column("reliability", "Grade"), Column("facts", "Facts", numeric=True)]
    return Listing(records=records, columns=columns, rows=rows, title="Sources")


def without_empty_columns(listing: Listing) -> Listing:
    """For people only: a column empty in every row (Value for a list of projects) is
    left out of the terminal table. Plain and the other formats keep every column."""
    from dataclasses import replace

    keep = [c for c in listing.columns if any(row.get(c.key) for row in listing.rows)]
    return replace(listing, columns=keep) if keep and len(keep) < len(listing.columns) else listing
