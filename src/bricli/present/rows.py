"""A fact's display row (what table, plain and Markdown show of it: "US$307.4 billion",
"2018", its Kind column), and the listings built from facts themselves rather than from
the index's stored records: one fact as field/value rows (`show`), the sources registry."""

from __future__ import annotations

from bricli.analysis.derive import Derived
from bricli.analysis.records import record, source_record
from bricli.model.countries import short_name
from bricli.model.facts import Fact, FactBase
from bricli.model.wording import change_text, kind_text, period_text, source_line, value_text
from bricli.present.listing import RECORD_FIELDS, Column, Listing


def _countries(codes) -> str:
    return ", ".join(codes)


def _short_countries(codes) -> str:
    return ", ".join(short_name(c) for c in codes)


# whose statistics, as a narrow Kind column names them (the JSON keeps the vocabulary's slug)
STAT_BASIS_SHORT = {"china-customs": "customs", "mofcom": "MOFCOM", "imf-dots": "IMF", "eclac": "ECLAC",
                    "un-comtrade": "Comtrade", "national": "partner"}  # national: the partner country's own


def kind_cell(item: Fact | Derived, kind_fields: tuple[str, ...] | None) -> str:
    """The Kind column. In a topic command it shows what that command's own filters select
    on (trade: the flow; people: the kind of tie), one meaning for every row; elsewhere
    the type and kind of the row."""
    if kind_fields is None:
        return f"derived: {item.kind}" if isinstance(item, Derived) else kind_text(item)
    own = ""
    for name in kind_fields:
        value = getattr(item, name, None)
        if not value or value in ("unstated", "unknown"):
            continue
        if name == "stat_basis":  # whose statistics: "total (MOFCOM)"
            own += f" ({STAT_BASIS_SHORT.get(value, value)})"
        elif name in ("stage", "status"):  # the step recorded: "swap, renewed"; where a project stands: "port, cancelled"
            own += f", {value}" if own else str(value)
        else:
            own += f" {value}" if own else str(value)
    if isinstance(item, Derived):
        return f"derived {own}" if own else f"derived: {item.kind}"
    return own


def display_row(item: Fact | Derived, cite: bool, kind_fields: tuple[str, ...] | None = None, *,
                narrow: bool = True) -> dict[str, str]:
    """Display strings of one row; `countries_short` and `value_short` are the narrow
    forms a terminal table shows (names, "US$307.4 bn"); `amount_short` is the part of
    the value a table keeps on one line. `narrow=False` leaves those three out (Markdown
    shows the full forms: a brief of many thousand rows need not compute them)."""
    row = {
        "id": item.id,
        "what": item.label,  # labels name the thing; `name` is in the machine formats
        "kind": kind_cell(item, kind_fields),
        "countries": _countries(item.countries),
    }
    if narrow:
        row["countries_short"] = _short_countries(item.countries)
    row["period"] = period_text(item)
    if isinstance(item, Derived):
        row["value"] = item.display()
        if narrow:
            row["value_short"] = item.display(short=True)
            row["amount_short"] = item.display(short=True, amount_only=True)
        row["change"] = ""
    else:
        row["value"] = value_text(item)
        if narrow:
            row["value_short"] = value_text(item, short=True)
            row["amount_short"] = value_text(item, short=True, amount_only=True)
        row["change"] = change_text(item.change_pct)
    if cite:
        row["quote"] = f"computed: {item.formula}" if isinstance(item, Derived) else item.source.quote
    return row


FIELD = Column("field", "Field")
VALUE = Column("value", "Value")


def fact_listing(item, base: FactBase) -> Listing:
    """One fact as field/value rows, for `show`."""
    rec = record(item, base)
    rows = []
    for key, value in rec.items():
        if key == "source" and isinstance(value, dict):
            src = base.sources.get(str(value.get("id")))
            estimated = " (estimated)" if src and src.date_estimated else ""  # as the source registry says
            rows += [{"field": f"source.{k}", "value": str(v) + (estimated if k == "date" else "")}
                     for k, v in value.items() if v not in (None, "")]
            continue
        if value in (None, "", [], False) and key not in ("derived", "partial"):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        rows.append({"field": key, "value": str(value)})
    src = base.sources.get(rec["source"]["id"])
    return Listing(records=[rec], columns=[FIELD, VALUE], rows=rows, title=rec["id"],
                   footer=[source_line(src)] if src else [], fields=RECORD_FIELDS)


# the fields of `bricli sources`' records (analysis/records.source_record)
SOURCE_RECORD_FIELDS = ("id", "title", "author", "publisher", "date", "date_estimated", "url", "kind", "language",
                        "reliability", "reproduces", "retrieved", "note", "facts")


def sources_listing(base: FactBase) -> Listing:
    counts: dict[str, int] = {}
    for f in base.facts:
        counts[f.source.id] = counts.get(f.source.id, 0) + 1
    records, rows = [], []
    for s in base.sources.values():
        records.append(source_record(s, counts.get(s.id, 0)))
        rows.append({"id": s.id, "title": s.title, "date": s.date + (" (estimated)" if s.date_estimated else ""),
                     "publisher": ", ".join(x for x in (s.author, s.publisher) if x) or "not stated",
                     "url": s.url or "", "reliability": s.reliability or "", "facts": str(counts.get(s.id, 0))})
    # at 80 columns a long id wraps after its hyphens and a URL anywhere: a table still, never cut
    columns = [Column("id", "ID", hyphens=True, breakable=True), Column("title", "Title", grow=2), Column("date", "Date"),
               Column("publisher", "Author / publisher"), Column("url", "URL", breakable=True),
               Column("reliability", "Grade"), Column("facts", "Facts", numeric=True)]
    return Listing(records=records, columns=columns, rows=rows, title="Sources", fields=SOURCE_RECORD_FIELDS)
