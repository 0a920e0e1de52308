"""The value every renderer takes: machine records plus their human display form.

`records` is the machine contract (json, ndjson, yaml, csv, tsv print it);
`columns` and `rows` are the human view (table, plain, markdown print them).
The two are kept apart so that display strings ("USD 1.3 bn") never leak into
machine output and machine values never need formatting rules in renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
