"""Listings: the value every renderer takes (machine records plus their human display form),
and how selected facts become one: the columns people see.

`records` is the machine contract (json, ndjson, yaml, csv, tsv print it);
`columns` and `rows` are the human view (table, plain, markdown print them).
The two are kept apart so that display strings ("USD 1.3 bn") never leak into
machine output and machine values never need formatting rules in renderers.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field, replace
from typing import Generic, NamedTuple, TypeVar, overload

from bricli.analysis.contract import FIELDS, SOURCE_FIELDS
from bricli.index.engine import Selection
from bricli.model.errors import QueryError
from bricli.model.text import fold
from bricli.present.options import KIND_COLUMN


class Column(NamedTuple):  # not a frozen dataclass: decorating one costs start-up time on every query
    key: str  # key into Listing.rows dicts
    header: str
    numeric: bool = False  # right-align in tables
    grow: int = 1  # when a table must wrap, this column may be `grow` times as wide as the others (prose)
    # row key of this cell's leading text that a table never wraps ("US$410 bn" of
    # "more than US$410 bn enterprises"): the column is at least that wide
    keep: str | None = None
    hideable: bool = False  # left out of terminal tables unless asked for (fact ids: --ids)
    hyphens: bool = False  # a table may wrap after a hyphen (prose does anyway): aiib-|membership
    # a table may break this column's words anywhere when it has no room for the longest
    # (a source id's long part: infraestructura|publica), so it never forces the record layout
    breakable: bool = False


T = TypeVar("T")


class Pending:
    """Records or rows not decoded yet (the index's stored JSON texts): a Listing field given
    one decodes it the first time the field is read, so a format that never reads it (json
    prints the stored texts; csv never reads the display rows) never pays for decoding."""

    __slots__ = ("texts", "decode")

    def __init__(self, texts: list, decode) -> None:
        self.texts = texts
        self.decode = decode

    def __len__(self) -> int:
        return len(self.texts)


class _DecodedOnRead(Generic[T]):
    """A Listing field that may be given as Pending (a dataclass descriptor-typed field)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _DecodedOnRead[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> list[T]: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> list[T] | _DecodedOnRead[T]:
        if obj is None:
            raise AttributeError(self.slot)  # no class-level default: the field stays required
        value = obj.__dict__[self.slot]
        if isinstance(value, Pending):
            value = obj.__dict__[self.slot] = [value.decode(text) for text in value.texts]
        return value  # type: ignore[no-any-return]

    def __set__(self, obj: object, value: list[T] | Pending) -> None:
        obj.__dict__[self.slot] = value


@dataclass
class Listing:
    records: _DecodedOnRead[dict] = _DecodedOnRead()  # JSON-able dicts; order kept
    columns: list[Column]  # type: ignore[misc]  # (records has no default: see _DecodedOnRead)
    rows: _DecodedOnRead[dict[str, str]] = _DecodedOnRead()  # display strings, one per record, keys = column keys
    title: str | None = None
    # lines between the title and the table (a country's latest figures and its steps); table and markdown only
    preface: list[str] = field(default_factory=list)
    # e.g. "Source: cedpr-2020 — ..."; shown under table and markdown output only
    footer: list[str] = field(default_factory=list)
    # the record fields --columns and --sort may name (empty: the keys of the records)
    fields: tuple[str, ...] = ()
    # each record exactly as json output shows it (json.dumps(record, ensure_ascii=False, indent=2),
    # one level in), UTF-8 encoded, as the pieces (bytes) that joined give it, when already
    # known (the index stores it): json output writes these pieces as they are
    json_records: list[tuple] | None = field(default=None, repr=False, compare=False)
    # the source id of each row (one per record, in order; "" for a row without one) and the
    # footer line that names each: the footer keeps only the lines of the sources of the rows
    # shown (--limit), and a terminal table shows the id in a Source column (for_terminal)
    row_sources: list[str] | None = field(default=None, repr=False, compare=False)
    cited: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # a terminal table in parts, one per value of this column (a country's facts by topic): each
    # part under its heading, without that column, as wide as its own rows need (table format only)
    group_by: str | None = None

    def count(self) -> int:
        """How many records, without decoding them."""
        return len(self.__dict__["_records"])


def display_cell(row: dict, key: str) -> str:
    """The display string of one cell; a missing key is an empty cell, not an error,
    so one sparse row cannot break a whole listing."""
    value = row.get(key)
    return "" if value is None else str(value)


DERIVED_NOTE = "Rows marked 'derived' are computed by bricli from stated figures (≈ = rounded); --format json shows formula and inputs."


COLUMNS = [
    Column("id", "ID", hideable=True),
    Column("what", "What", grow=2),
    Column("kind", "Kind", hyphens=True),
    Column("countries", "Countries"),
    Column("period", "Period"),
    Column("value", "Value", numeric=True),
    Column("change", "Change", numeric=True),
]
QUOTE = Column("quote", "Quote", grow=2)
# what a terminal table shows instead of the full forms
NARROW = {"countries": Column("countries_short", "Countries"), "country": Column("country_short", "Country"),
          "value": Column("value_short", "Value", numeric=True, keep="amount_short")}


TOPIC = Column("topic", "Topic")
# the record fields --columns and --sort may name
RECORD_FIELDS = FIELDS + tuple(f"source.{k}" for k in SOURCE_FIELDS)


def selection_listing(selection: Selection, *, cite: bool = False, title: str | None = None,
                      topic_column: bool = False, topic: str | None = None) -> Listing:
    """The listing of what the index selected (with `topic`, its Kind column is that topic
    command's, see kind_cell), from its stored records: json output writes them as they are,
    and the items are decoded only if a format reads the display rows."""
    kind_fields = KIND_COLUMN.get(topic) if topic else None

    def display(hit) -> dict[str, str]:
        # the fast path's byte writer (cli/entry.py): the wording of facts, and the fact model it
        # needs, are imported when a format first reads the display rows; piped json never does
        from bricli.present.rows import display_row

        row = display_row(selection.item(hit), cite, kind_fields)
        if topic_column:
            row["topic"] = hit.topic
        row["source"] = hit.source
        return row

    cited = selection.cited()
    footer = list(cited.values())
    if any(h.derived for h in selection.hits):
        footer.append(DERIVED_NOTE)
    pieces = [selection.record_pieces(h) for h in selection.hits]
    columns = ([TOPIC] if topic_column else []) + COLUMNS + ([QUOTE] if cite else [])
    return Listing(records=Pending(pieces, _decode_record), columns=columns, rows=Pending(selection.hits, display),
                   title=title, footer=footer, fields=RECORD_FIELDS, json_records=pieces,
                   row_sources=[h.source for h in selection.hits], cited=cited)


def _decode_record(pieces: tuple[bytes, ...]) -> dict:
    return json.loads(b"".join(pieces))


def for_terminal(listing: Listing, *, ids: bool = False) -> Listing:
    """For people at a terminal: no fact ids unless asked (--ids), short country names,
    money on one line ("US$307.4 bn"), and no column that is empty in every row
    (Value for a list of projects). Plain and the other formats keep every column."""
    def narrow(c: Column) -> Column:
        n = NARROW.get(c.key)
        return n if n and listing.rows and all(n.key in row for row in listing.rows) else c

    columns = [narrow(c) for c in listing.columns if ids or not c.hideable]
    rows = listing.rows
    if listing.row_sources is not None and len(listing.row_sources) == len(rows) \
            and not any(c.key in ("source", SOURCE_COLUMN.key) for c in columns):
        short = short_source_ids(listing.row_sources)
        rows = [{**row, SOURCE_COLUMN.key: short.get(sid, sid)} for row, sid in zip(rows, listing.row_sources)]
        columns.insert(_source_position(columns), SOURCE_COLUMN)
    filled = [c for c in columns if any(row.get(c.key) for row in rows)]
    return replace(listing, columns=filled or columns, rows=rows)


# the source of each row in a terminal table: its id, shortened (short_source_ids)
SOURCE_COLUMN = Column("source_short", "Source", hyphens=True, breakable=True)


def short_source_ids(ids) -> dict[str, str]:
    """Each source id cut to its publisher and year, the part up to its first later part that
    starts with a digit ("ferozo-2020" of ferozo-2020-telam-cera-argentina-china-deficit; a whole
    id without one), then longer, a part at a time, where two ids of `ids` would share it: a
    short id names one source of the table, and the lines under it start with the full id."""
    parts = {sid: sid.split("-") for sid in dict.fromkeys(ids) if sid}
    take = {}
    for sid, p in parts.items():
        year = next((i for i in range(1, len(p)) if p[i][:1].isdigit()), None)
        take[sid] = len(p) if year is None else year + 1
    while True:
        by_key: dict[str, list[str]] = {}
        for sid, p in parts.items():
            by_key.setdefault("-".join(p[:take[sid]]), []).append(sid)
        longer = [sid for group in by_key.values() if len(group) > 1 for sid in group if take[sid] < len(parts[sid])]
        if not longer:
            return {sid: "-".join(p[:take[sid]]) for sid, p in parts.items()}
        for sid in longer:
            take[sid] += 1


def _source_position(columns: list[Column]) -> int:
    """After the figure (Value, Change), before a quote (--cite): what a row says, then who says it."""
    keys = [c.key for c in columns]
    return keys.index("quote") if "quote" in keys else len(columns)


def _flat(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        out[key] = value
    return out


def check_fields(names, fields: tuple[str, ...], option: str) -> None:
    for name in names:
        if name not in fields:
            close = difflib.get_close_matches(name, fields, n=1)
            guess = f"did you mean {close[0]}? " if close else ""
            raise QueryError(f"{option}: unknown field '{name}'", f"{guess}use any of: {', '.join(fields)}")


def _sort_key(value):
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return (1, fold(str(value)))


def order(records: list[dict], sort: str | None, limit: int | None) -> list[int]:
    """Indices of the records to show: sorted by a field (stable; '-field' descending;
    `value` compares value_base, so billions and millions sort by size; empty last),
    then the first `limit`."""
    index = list(range(len(records)))
    if sort:
        name = sort.lstrip("-")
        key = "value_base" if name == "value" else name
        flat = [_flat(r) for r in records]
        present = [i for i in index if flat[i].get(key) not in (None, "", [])]
        missing = [i for i in index if flat[i].get(key) in (None, "", [])]
        present.sort(key=lambda i: _sort_key(flat[i][key]), reverse=sort.startswith("-"))
        index = present + missing
    return index if limit is None else index[:limit]


def project(record: dict, columns: tuple[str, ...]) -> dict:
    """Only the fields named, in that order (`source.quote` reaches into `source`)."""
    flat = _flat(record)
    return {name: flat.get(name) for name in columns}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def _taken(listing: Listing, keep: list[int]) -> list | Pending:
    """The display rows of the records kept, still undecoded if they were (machine formats never read them)."""
    rows = listing.__dict__["_rows"]
    if isinstance(rows, Pending):
        return Pending([rows.texts[i] for i in keep], rows.decode)
    return [rows[i] for i in keep]


def _sources_kept(listing: Listing, keep: list[int]) -> dict:
    """The row sources of the rows kept, and a footer without the lines of sources no kept
    row cites (--limit 3 lists the sources of those 3 rows, in the order they were)."""
    if listing.row_sources is None:
        return {}
    row_sources = [listing.row_sources[i] for i in keep]
    used = set(row_sources)
    unused = {line for sid, line in listing.cited.items() if sid not in used}
    return {"row_sources": row_sources, "footer": [line for line in listing.footer if line not in unused]}


def shaped(listing: Listing, columns: tuple[str, ...] = (), sort: str | None = None, limit: int | None = None) -> Listing:
    """The listing with --columns, --sort and --limit applied: the same rows in every format.
    With --columns, every format shows exactly those fields of the JSON records."""
    fields = listing.fields or tuple(dict.fromkeys(k for r in listing.records for k in _flat(r)))
    check_fields(columns, fields, "--columns")
    if sort:
        check_fields([sort.lstrip("-")], fields, "--sort")
    if not (columns or sort or limit is not None):
        return listing
    keep = order(listing.records, sort, limit)
    records = [listing.records[i] for i in keep]
    sourced = _sources_kept(listing, keep)
    if not columns:
        return replace(listing, records=records, rows=_taken(listing, keep), json_records=None, **sourced)
    records = [project(r, columns) for r in records]
    rows = [{name: _cell(value) for name, value in r.items()} for r in records]
    numeric = {"value", "value_max", "value_base", "change_pct"}
    sourced["row_sources"] = None  # --columns: exactly the fields named, no Source column added
    return replace(listing, records=records, rows=rows, fields=columns, json_records=None, **sourced,
                   columns=[Column(name, name, numeric=name in numeric) for name in columns])
