"""Listings: the value every renderer takes (machine records plus their human display form),
and how selected facts become one: the columns people see.

`records` is the machine contract (json, ndjson, yaml, csv, tsv print it);
`columns` and `rows` are the human view (table, plain, markdown print them).
The two are kept apart so that display strings ("USD 1.3 bn") never leak into
machine output and machine values never need formatting rules in renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar, overload

from bricli.analysis import is_derived
from bricli.analysis.records import FIELDS, SOURCE_FIELDS

TYPE_CHECKING = False  # a query the index serves needs Listing alone: no model records, no derive
if TYPE_CHECKING:
    from bricli.analysis.derive import Derived
    from bricli.index.engine import Selection
    from bricli.model.facts import Fact, FactBase


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


def _countries(codes) -> str:
    return ", ".join(codes)


def _short_countries(codes) -> str:
    from bricli.model.countries import short_name

    return ", ".join(short_name(c) for c in codes)


# whose statistics, as a narrow Kind column names them (the JSON keeps the vocabulary's slug)
STAT_BASIS_SHORT = {"china-customs": "customs", "mofcom": "MOFCOM", "imf-dots": "IMF", "eclac": "ECLAC",
                    "un-comtrade": "Comtrade", "national": "partner"}  # national: the partner country's own


def kind_cell(item: Fact | Derived, kind_fields: tuple[str, ...] | None) -> str:
    """The Kind column. In a topic command it shows what that command's own filters select
    on (trade: the flow; people: the kind of tie), one meaning for every row; elsewhere
    the type and kind of the row."""
    from bricli.model.wording import kind_text

    if kind_fields is None:
        return f"derived: {item.kind}" if is_derived(item) else kind_text(item)
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
    if is_derived(item):
        return f"derived {own}" if own else f"derived: {item.kind}"
    return own


def display_row(item: Fact | Derived, cite: bool, kind_fields: tuple[str, ...] | None = None, *,
                narrow: bool = True) -> dict[str, str]:
    """Display strings of one row; `countries_short` and `value_short` are the narrow
    forms a terminal table shows (names, "US$307.4 bn"); `amount_short` is the part of
    the value a table keeps on one line. `narrow=False` leaves those three out (Markdown
    shows the full forms: a brief of many thousand rows need not compute them)."""
    from bricli.model.wording import change_text, period_text, value_text

    row = {
        "id": item.id,
        "what": item.label,  # labels name the thing; `name` is in the machine formats
        "kind": kind_cell(item, kind_fields),
        "countries": _countries(item.countries),
    }
    if narrow:
        row["countries_short"] = _short_countries(item.countries)
    row["period"] = period_text(item)
    if is_derived(item):
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
        row["quote"] = f"computed: {item.formula}" if is_derived(item) else item.source.quote
    return row


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
    from bricli.present.request import KIND_COLUMN

    kind_fields = KIND_COLUMN.get(topic) if topic else None

    def display(hit) -> dict[str, str]:
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
    import json

    return json.loads(b"".join(pieces))


FIELD = Column("field", "Field")
VALUE = Column("value", "Value")


def fact_listing(item, base: FactBase) -> Listing:
    """One fact as field/value rows, for `show`."""
    from bricli.analysis.records import record

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
    from bricli.model.wording import source_line

    return Listing(records=[rec], columns=[FIELD, VALUE], rows=rows, title=rec["id"],
                   footer=[source_line(src)] if src else [], fields=RECORD_FIELDS)


# the fields of `bricli sources`' records (analysis/records.source_record)
SOURCE_RECORD_FIELDS = ("id", "title", "author", "publisher", "date", "date_estimated", "url", "kind", "language",
                        "reliability", "reproduces", "retrieved", "note", "facts")


def sources_listing(base: FactBase) -> Listing:
    counts: dict[str, int] = {}
    for f in base.facts:
        counts[f.source.id] = counts.get(f.source.id, 0) + 1
    from bricli.analysis.records import source_record

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


def for_terminal(listing: Listing, *, ids: bool = False) -> Listing:
    """For people at a terminal: no fact ids unless asked (--ids), short country names,
    money on one line ("US$307.4 bn"), and no column that is empty in every row
    (Value for a list of projects). Plain and the other formats keep every column."""
    from dataclasses import replace

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
    from bricli.model.errors import QueryError

    for name in names:
        if name not in fields:
            import difflib

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
    from bricli.model.text import fold

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
    from dataclasses import replace

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
