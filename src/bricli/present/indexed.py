"""Listings served from the SQLite index (load/index.py): what goes into it, and queries on it.

`parse_file` reads one fact file and renders each of its facts as listings
show it (record, display row, quote, words to search), with the same
functions a run without the index uses, so both give the same bytes; the
index keeps that per file, so an edit renders one file again. A record's
source title, date and url may come from another file: the record is kept
in two parts around them, filled in per set (`source_block`). `build_set` does what needs
the whole base: the checks across files and the derived values.
`query_listing` turns filters into one SQL query that reads only the rows it
returns and builds the Listing from their stored texts.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from bricli.present.listing import COLUMNS, DERIVED_NOTE, QUOTE, Listing, Pending

QUERY_CACHE_KB = 512  # SQLite's page cache for a query (its default: 2,000 KB)
SHORT_DAYS = 366  # an item spanning at most this is "short" (a year, a month, a day): see load/index.py items
FIELD_COLUMNS = ("kind", "direction", "measure", "sector", "status", "stage", "stat_basis")  # fields a command may filter on
# A record is stored as json output shows it: an item of the top-level list, one level in.
IN_LIST = "  "
SOURCE_KEY = f'\n{IN_LIST}  "source": {{\n'
REGISTRY = ("title", "date", "url")  # what a record's source block takes from the sources registry


def source_block(title: str | None, date: str | None, url: str | None) -> str:
    """The registry's part of a record's source block, exactly as json_text renders it there."""
    return ",\n".join(f'{IN_LIST}    "{k}": ' + ("null" if v is None else _string(v))
                       for k, v in zip(REGISTRY, (title, date, url)))


NULL_BLOCK = source_block(None, None, None)
# records are stored as UTF-8 bytes: json output writes them as they are, never decoding
# megabytes of text only to encode them again for stdout
SOURCE_KEY_BYTES, NULL_BLOCK_BYTES = SOURCE_KEY.encode(), NULL_BLOCK.encode()


def parse_file(name: str, data: bytes):
    """What the index keeps of one fact file: its sources and problems (encoded), and each fact
    encoded (to be decoded for the checks across files) and rendered. Plain values in and
    out: on a large build this runs in a worker process."""
    from bricli.load.assemble import parse_bytes
    from bricli.load.index import encode_fact, encode_problem, encode_source

    r = parse_bytes(name, data)
    unregistered = _unregistered()
    return ([encode_source(s) for s in r.sources], [encode_problem(p, name) for p in r.problems],
            [rendered_row(f, unregistered, encode_fact(f)) for f in r.facts])


def render_derived(items: list) -> list:
    """Rendered rows of derived values (their sources' blocks filled in per set, as for facts):
    on a large build in a worker process."""
    unregistered = _unregistered()
    return [rendered_row(d, unregistered) for d in items]


def _unregistered():
    """A base that knows no source: records rendered against it leave the registry's block
    null (NULL_BLOCK), to be filled in per set."""
    from bricli.model.facts import FactBase

    return FactBase([], {}, [], [])


def rendered_row(item, base, data: str | None = None):
    """The index's (`rendered` row after id, file and seq; `rendered_texts` row after id) of a
    fact or derived value; `data` is the fact encoded."""
    from bricli.analysis.query import search_title, searchable, span
    from bricli.present.listing import display_row, kind_cell
    from bricli.present.records import record
    from bricli.present.request import KIND_COLUMN

    derived = item.type == "derived"
    s = span(item)
    text = json_text(record(item, base), IN_LIST).encode()
    at = text.index(NULL_BLOCK_BYTES, text.index(SOURCE_KEY_BYTES))
    keys = (item.id, int(derived), item.type, item.topic, *(getattr(item, n, None) for n in FIELD_COLUMNS),
            item.source_id if derived else item.source.id, s[0].isoformat() if s else None,
            s[1].isoformat() if s else None, int((s[1] - s[0]).days <= SHORT_DAYS) if s else None,
            " ".join(item.countries))
    texts = (data, text[:at], text[at + len(NULL_BLOCK_BYTES):], search_title(item),
             json.dumps(display_row(item, False), ensure_ascii=False),  # as views show it
             kind_cell(item, KIND_COLUMN.get(item.topic)),  # its Kind cell as its own topic command shows it
             f"computed: {item.formula}" if derived else item.source.quote, searchable(item))
    return keys, texts


def build_set(index, files):
    """(number of problems, rendered derived values, source rows, extra meta) for the index."""
    from bricli.analysis.derive import derive_all
    from bricli.load.assemble import assemble, base_problems
    from bricli.model.periods import years_covered
    from bricli.model.wording import source_line

    facts, source_list, problems = index.load(files)
    base = assemble(facts, source_list, files, [])
    problems += base_problems(base, source_list, problems)
    if problems:
        return len(problems), (), (), {}
    derived = index.map(render_derived, derive_all(base.facts, lookup=base.facts))
    sources = [(s.id, source_line(s), s.reliability, source_block(s.title, s.date, s.url)) for s in base.sources.values()]
    return 0, derived, sources, {"years": json.dumps(years_covered(base.facts))}


def json_text(value, indent: str = "") -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), byte for byte (a test checks), for the
    values a record holds, as it appears nested at `indent`; several times faster, since json's
    indenting encoder is pure Python and a cold build renders every record of the base."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _FLOAT(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = _KEYS.get(inner)
        if keys is None:
            keys = _KEYS[inner] = {}
        parts = []
        for k, v in value.items():
            head = keys.get(k)
            if head is None:
                head = keys[k] = f"{inner}{_string(str(k))}: "
            kind = type(v)  # the common values of a record written here, without a call each
            if kind is str:
                parts.append(head + _string(v))
            elif v is None:
                parts.append(head + "null")
            elif kind is bool:
                parts.append(head + ("true" if v else "false"))
            elif kind is list and not v:
                parts.append(head + "[]")
            else:
                parts.append(head + json_text(v, inner))
        return "{\n" + ",\n".join(parts) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(type(v) is str for v in value):  # country codes, participants, inputs
            return "[\n" + inner + f",\n{inner}".join(map(_string, value)) + f"\n{indent}]"
        return "[\n" + ",\n".join(inner + json_text(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)  # anything else: as json would, or its TypeError


_KEYS: dict[str, dict[object, str]] = {}  # indent -> key -> its rendered '  "key": ' (records repeat keys)


def _FLOAT(x: float) -> str:
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    return float.__repr__(x)


from json.encoder import encode_basestring as _string  # noqa: E402  (the C function json.dumps uses for ensure_ascii=False)


class _Graded:
    __slots__ = ("reliability",)

    def __init__(self, reliability: str | None) -> None:
        self.reliability = reliability


def query_listing(index, filters, *, derived: bool = False, cite: bool = False, title: str | None = None,
                  topic: str | None = None, order: str = "set", topic_column: bool = False,
                  rows: bool = True) -> Listing | None:
    """The listing `select` + `build_listing` give, from the index; None when these filters
    cannot be served from it. `order`: "set" (a topic command's: as the files list the facts),
    "topic" (grouped by topic), "search" (`rank_for_search`: matches in label or name first),
    "timeline" (dated items only, in `timeline_key` order). `rows`: False when no display row
    will be read (json, csv...): their texts are then not fetched, and reading one is a bug."""
    from bricli.analysis.query import prepare
    from bricli.present.listing import TOPIC
    from bricli.present.records import FIELDS, SOURCE_FIELDS

    if any(name not in FIELD_COLUMNS for name in filters.fields) or filters.types:
        return None
    conn = index.conn
    known = {sid: (line, _Graded(grade), block.encode()) for sid, line, grade, block in
             conn.execute("SELECT id, line, reliability, block FROM set_sources")}
    q = prepare(filters, {sid: g for sid, (_, g, _) in known.items()})  # QueryError as without the index
    where, args = [], []

    def any_of(column: str, values) -> None:
        where.append(f"i.{column} IN ({', '.join('?' * len(values))})")
        args.extend(values)

    if filters.topic:
        any_of("topic", [filters.topic])
    for name, values in q.wanted.items():
        any_of(name, list(values))
    if q.codes:
        where.append(f"i.ord IN (SELECT ord FROM item_countries WHERE code IN ({', '.join('?' * len(q.codes))}))")
        args.extend(sorted(q.codes))
    if q.sources:
        any_of("source", list(q.sources))
    if q.graded is not None:
        any_of("source", sorted(q.graded)) if q.graded else where.append("0")
    if q.windows:  # overlaps a window: short items start at most SHORT_DAYS before it (see the index)
        where.append("(" + " OR ".join("(i.short = 1 AND i.first BETWEEN ? AND ? AND i.last >= ?) OR "
                                       "(i.short = 0 AND i.first <= ? AND i.last >= ?)" for _ in q.windows) + ")")
        for lo, hi in q.windows:
            earliest = lo - timedelta(days=SHORT_DAYS) if lo - date.min > timedelta(days=SHORT_DAYS) else date.min
            args += [earliest.isoformat(), hi.isoformat(), lo.isoformat(), hi.isoformat(), lo.isoformat()]
    if len(q.needles) == 1:
        q.words = [*q.words, q.needles[0]]  # one needle is one more required word
    elif q.needles:  # any of them
        where.append("(" + " OR ".join("instr(r.search, ?) > 0" for _ in q.needles) + ")")
        args += q.needles
    for word in q.words:  # every one
        if len(word) >= 3 and index.full_text():  # trigrams find candidates; instr decides, exactly as `in` does
            where.append("i.item IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
            args.append('"' + word.replace('"', '""') + '"')
        where.append("instr(r.search, ?) > 0")
        args.append(word)
    if not derived:
        # without --derived, only balances asked for by name (select's rule)
        where.append("(i.derived = 0 OR i.kind = 'balance')" if "balance" in q.wanted.get("direction", ()) else "i.derived = 0")
    if order == "timeline":
        where.append("i.first IS NOT NULL")
    # CAST: bytes even if the stored value is text (the index is untrusted input); free for bytes
    sql = ("SELECT i.ord, i.topic, i.first, i.last, r.title, i.derived, i.source, CAST(r.record_head AS BLOB), "
           "CAST(r.record_tail AS BLOB)"
           + (", r.display, r.kind_own, r.quote" if rows else "") + " FROM items i JOIN rendered_texts r ON r.id = i.item"
           + (" WHERE " + " AND ".join(where) if where else ""))
    # A small page cache: the query reads each row's page once, and fresh memory for a large cache
    # (a page fault per page) costs more than reading the b-tree's few inner pages again (measured).
    conn.execute(f"PRAGMA cache_size = -{QUERY_CACHE_KB}")
    # sorted here, not in SQL, whose sort would copy every text; ord is unique, so nothing sorts past it
    found = sorted(conn.execute(sql, args).fetchall(), key=_sort_key(order, filters.words))
    topics = [row[1] for row in found]
    found = [row[5:] for row in found]
    used: dict[str, None] = {}
    for _, source, *_ in found:
        used.setdefault(source, None)
    footer = [known[s][0] for s in used if s in known]
    if any(row[0] for row in found):
        footer.append(DERIVED_NOTE)

    def display(pair) -> dict:
        row, item_topic = pair
        shown = json.loads(row[4])
        if topic:  # the Kind column as a topic command shows it
            shown["kind"] = row[5]
        if cite:
            shown["quote"] = row[6]
        if topic_column:
            shown["topic"] = item_topic
        return shown

    columns = ([TOPIC] if topic_column else []) + COLUMNS + ([QUOTE] if cite else [])
    null = NULL_BLOCK_BYTES  # the registry block of a source the set does not know (as without the index)
    pieces = [(head, known[source][2] if source in known else null, tail) for _, source, head, tail, *_ in found]
    return Listing(records=Pending(pieces, _decode), columns=columns,
                   rows=Pending(list(zip(found, topics)), display if rows else _not_fetched),
                   title=title, footer=footer, fields=FIELDS + tuple(f"source.{k}" for k in SOURCE_FIELDS),
                   json_records=pieces)


def _decode(pieces: tuple) -> dict:
    return json.loads(b"".join(pieces))


def _not_fetched(_row) -> dict:
    raise RuntimeError("a display row was read from a listing queried without them (see output.prints_rows)")


def _sort_key(order: str, words):
    """The order of query rows (ord, topic, first, last, title, ...), as the commands without
    the index sort their items (analysis/query: by_topic, rank_for_search, timeline_key)."""
    from bricli.analysis.query import in_title, topic_rank
    from bricli.model.text import fold

    if order == "set":
        return lambda row: row[0]
    if order == "topic":
        return lambda row: (topic_rank(row[1]), row[0])
    if order == "search":
        folded = [fold(w) for w in words]
        return lambda row: (0 if in_title(row[4], folded) else 1, topic_rank(row[1]), row[0])
    if order == "timeline":  # a span known only by its end ("by end-2018") stands at its end
        start = date.min.isoformat()
        return lambda row: ((row[3], row[3]) if row[2] == start else (row[2], row[3]), row[0])
    raise ValueError(f"unknown order {order!r}")
