"""Filters to one SQL query, in one place; the sort orders; the rows a command prints.

A query runs in two steps: the narrow `items` table gives the matching items in order
(country, source, grade, time window and field filters are SQL; words to search narrow
through the full-text index when there is one), then the stored rows of those items are
fetched a batch at a time, their checksums verified, and their text checked word for word.
With a limit, it stops once it has that many, so memory holds what is printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, NamedTuple

from bricli.analysis.query import Filters, TOPIC_ORDER, prepare
from bricli.index import codec, schema

FETCH_BATCH = 256  # stored rows fetched per statement
QUERY_CACHE_KB = 512  # SQLite's page cache for a query (its default, 2,000 KB, costs page faults)
ORDERS = ("set", "topic", "search", "timeline")
_TOPIC_RANK = "CASE i.topic " + " ".join(f"WHEN '{t}' THEN {n}" for n, t in enumerate(TOPIC_ORDER)) + \
    f" ELSE {len(TOPIC_ORDER)} END"
_EARLIEST = date.min.isoformat()
# a span known only by its end ("by end-2018") stands at its end, not before every dated item
_SQL_ORDER = {"set": "i.ord", "topic": f"{_TOPIC_RANK}, i.ord",
              "timeline": f"CASE WHEN i.first = '{_EARLIEST}' THEN i.last ELSE i.first END, i.last, i.ord",
              "search": "i.ord"}


class Graded(NamedTuple):
    reliability: str | None


class SetSource(NamedTuple):
    reliability: str | None
    line: str  # as a listing's footer names it
    block: bytes  # the title, date and url as records hold them


class Hit(NamedTuple):
    """One selected item as stored: its record in two parts around the source's block."""

    id: int
    file: int
    seq: int  # its place in its file (or among the derived values): what finds it in a rebuilt index
    derived: bool
    topic: str
    source: str
    head: bytes
    tail: bytes
    fact: bytes
    status: str | None  # a project's current status (the stored fact keeps the one its source states)


def set_sources(conn: Any) -> dict[str, SetSource]:
    out = {}
    for sid, grade, line, data, block, crc in conn.execute(
            "SELECT id, reliability, line, data, block, crc FROM set_sources"):
        if codec.crc((sid, grade, line), data, block) != crc:
            raise codec.Damaged("a source row failed its checksum")
        out[sid] = SetSource(grade, line, block)
    return out


def select_hits(conn: Any, filters: Filters, sources: dict[str, SetSource], *, derived: bool = False,
                order: str = "set", limit: int | None = None, full_text: bool = False,
                check: Any = None) -> Iterator[Hit]:
    """The stored items `filters` select, in `order`, at most `limit`. `check(hit, needles,
    words)` decides text filters word for word (given when the filters search text);
    `full_text`: the words index may narrow them first."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    q = prepare(filters, {sid: Graded(s.reliability) for sid, s in sources.items()})  # QueryError as it says
    where: list[str] = []
    args: list[Any] = []

    def any_of(column: str, values: list[Any]) -> None:
        where.append(f"i.{column} IN ({', '.join('?' * len(values))})")
        args.extend(values)

    if filters.topic:
        any_of("topic", [filters.topic])
    python_fields = {}
    for name, values in q.wanted.items():
        if name in schema.FIELD_COLUMNS:
            any_of(name, list(values))
        else:
            python_fields[name] = values
    if filters.types:
        types = list(filters.types)
        where.append(f"(i.type IN ({', '.join('?' * len(types))})" + (" OR i.derived = 1)" if "figure" in types else ")"))
        args.extend(types)
    if q.codes:
        where.append(f"i.ord IN (SELECT ord FROM item_countries WHERE code IN ({', '.join('?' * len(q.codes))}))")
        args.extend(sorted(q.codes))
    if q.sources:
        any_of("source", list(q.sources))
    if q.graded is not None:
        any_of("source", sorted(q.graded)) if q.graded else where.append("0")
    if q.windows:  # overlaps a window: short items start at most SHORT_DAYS before it (see schema)
        where.append("(" + " OR ".join("(i.short = 1 AND i.first BETWEEN ? AND ? AND i.last >= ?) OR "
                                       "(i.short = 0 AND i.first <= ? AND i.last >= ?)" for _ in q.windows) + ")")
        span = timedelta(days=schema.SHORT_DAYS)
        for lo, hi in q.windows:
            earliest = lo - span if lo - date.min > span else date.min
            args += [earliest.isoformat(), hi.isoformat(), lo.isoformat(), hi.isoformat(), lo.isoformat()]
    searching = bool(q.needles or q.words or python_fields)
    if full_text:  # trigrams find candidates; `check` decides, exactly as `in` does
        for word in q.words:
            if len(word) >= 3:
                where.append("i.item IN (SELECT rowid FROM words WHERE words MATCH ?)")
                args.append(_phrase(word))
        if q.needles and all(len(n) >= 3 for n in q.needles):
            where.append("i.item IN (SELECT rowid FROM words WHERE words MATCH ?)")
            args.append(" OR ".join(_phrase(n) for n in q.needles))
    if not derived:  # without --derived, only balances asked for by name
        balances = "balance" in q.wanted.get("direction", ())
        where.append("(i.derived = 0 OR i.kind = 'balance')" if balances else "i.derived = 0")
    if order == "timeline":
        where.append("i.first IS NOT NULL")
    columns = ", ".join(f"i.{n}" for n in schema.ITEM_COLUMNS)
    sql = (f"SELECT {columns} FROM items i" + (" WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY {_SQL_ORDER[order]}")
    if limit is not None and not searching and order != "search":
        sql += f" LIMIT {int(limit)}"
    conn.execute(f"PRAGMA cache_size = -{QUERY_CACHE_KB}")
    wanted = (q.needles, q.words, python_fields) if searching else None
    if limit == 0:
        return
    hits = _fetched(conn, conn.execute(sql, args), q.codes)
    if wanted is None:  # every row the SQL gives (its LIMIT is the limit, as search's is applied after ranking)
        yield from hits
        return
    found = 0
    for hit in hits:
        if not check(hit, *wanted):
            continue
        yield hit
        found += 1
        if limit is not None and found >= limit and order != "search":
            return


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


_ITEM_FILTERS = slice(2, 2 + len(schema.FILTER_COLUMNS))
# the stored row of each item, fetched by its id alone. Its checksum is summed over the item's
# filter values (the Python values the first statement made), not the stored row's own copies:
# a row that passes holds exactly the values its build summed, so the item's are authentic;
# the stored copies are not read by a query (a build copies them into `items`, where a changed
# one then fails this sum). Comparing the two copies in SQL cost 2.7 ms of a 6.5 ms fetch (the
# 1,944 rows of trade --year 2018 at 100,000 facts)
_STORED = "SELECT id, file, seq, countries, fact, record, crc FROM stored WHERE id IN ({})"
_ITEM_SOURCE = 2 + schema.FILTER_COLUMNS.index("source")
_ITEM_STATUS = 2 + schema.FILTER_COLUMNS.index("status")  # the current status (a project's: analysis/steps)


def _fetched(conn: Any, items: Any, codes: set[str]) -> Iterator[Hit]:
    """The stored rows of `items` (rows of the items table), in their order, checked: each item's
    checksum, each stored row's (summed over the item's filter values), and its countries against
    `codes` (the item_countries table that found it carries no checksum of its own)."""
    # Run once for each row printed, so written for few Python calls a row: codec.crc written
    # out (a call and its type checks per row cost as much as the sums; crc32 refuses anything
    # but bytes with a TypeError, so a blob of another type is Damaged), a Hit made as the
    # tuple it is (its class's __new__ is a Python call), names looked up once.
    crc32 = codec.crc32
    parts = codec.record_parts
    damaged = codec.Damaged
    make, hit_class = tuple.__new__, Hit
    filters, source, status = _ITEM_FILTERS, _ITEM_SOURCE, _ITEM_STATUS
    while True:
        batch = items.fetchmany(FETCH_BATCH)
        if not batch:
            return
        ids = []
        for row in batch:  # an item's own sum covers its place and its stored row's id (see schema)
            if crc32(repr(row[:2]).encode()) != row[-1]:
                raise damaged("an item row failed its checksum")
            ids.append(row[1])
        stored = {r[0]: r for r in conn.execute(_STORED.format(", ".join("?" * len(ids))), ids)}
        for row in batch:
            s = stored.get(row[1])
            if s is None:
                raise damaged("an item has no stored row")
            rid, fid, seq, countries, fact, rec, check = s
            try:
                ok = crc32(rec, crc32(fact, crc32(repr((rid, fid, seq, *row[filters], countries)).encode()))) == check
            except TypeError:
                ok = False
            if not ok:
                raise damaged("a stored row failed its checksum")
            if codes and not codes.intersection(countries.split(" ")):
                raise damaged("an item is listed under a country it is not about")
            head, tail = parts(rec)
            yield make(hit_class, (rid, fid, seq, bool(row[2]), row[4], row[source], head, tail, fact, row[status]))
