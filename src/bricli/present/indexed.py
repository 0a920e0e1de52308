"""Listings served from the SQLite index (load/index.py): what goes into it, and queries on it.

`build_set` makes the index's set-level rows from the whole base, with the
same functions a run without the index uses (derive, record, display_row,
searchable), so both give the same bytes. `query_listing` turns filters into
one SQL query that reads only the rows it returns and builds the Listing
from their pre-rendered records and display rows.
"""

from __future__ import annotations

import json

from bricli.present.listing import COLUMNS, DERIVED_NOTE, QUOTE, Listing

FIELD_COLUMNS = ("kind", "direction", "measure", "sector", "status", "stage", "stat_basis")  # fields a command may filter on


def build_set(index, files):
    """(number of problems, item rows, (source id, footer line) rows) for the index."""
    from bricli.analysis.derive import derive_all
    from bricli.analysis.query import searchable, span
    from bricli.load.assemble import assemble, base_problems
    from bricli.model.periods import years_covered
    from bricli.model.wording import source_line
    from bricli.present.listing import display_row
    from bricli.present.request import KIND_COLUMN
    from bricli.present.records import record

    facts, source_list, problems = index.load(files)
    base = assemble(facts, source_list, files, [])
    problems += base_problems(base, source_list, problems)
    if problems:
        return len(problems), (), (), {}

    def rows():
        for item in [*base.facts, *derive_all(base.facts, lookup=base.facts)]:
            derived = item.type == "derived"
            s = span(item)
            row = (item.id, int(derived), item.type, item.topic, *(getattr(item, n, None) for n in FIELD_COLUMNS),
                   item.source_id if derived else item.source.id,
                   s[0].isoformat() if s else None, s[1].isoformat() if s else None,
                   json_text(record(item, base)),
                   json.dumps([display_row(item, False), display_row(item, False, KIND_COLUMN.get(item.topic))],
                              ensure_ascii=False),  # as views show it, and as its own topic command does
                   f"computed: {item.formula}" if derived else item.source.quote,
                   searchable(item))
            yield row, item.countries

    extra = {"years": json.dumps(years_covered(base.facts))}
    return 0, rows(), [(s.id, source_line(s), s.reliability) for s in base.sources.values()], extra


def json_text(value, indent: str = "") -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), byte for byte (a test checks), for the
    values a record holds; several times faster, since json's indenting encoder is pure
    Python and a cold build renders every record of the base."""
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
            parts.append(head + (_string(v) if type(v) is str else "null" if v is None else json_text(v, inner)))
        return "{\n" + ",\n".join(parts) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
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
                  topic: str | None = None) -> Listing | None:
    """The listing `select` + `build_listing` give (a topic command's), from the index;
    None when these filters cannot be served from it."""
    from bricli.analysis.query import prepare
    from bricli.present.records import FIELDS, SOURCE_FIELDS

    if any(name not in FIELD_COLUMNS for name in filters.fields) or filters.types:
        return None
    conn = index.conn
    known = {sid: (line, _Graded(grade)) for sid, line, grade in conn.execute("SELECT id, line, reliability FROM set_sources")}
    q = prepare(filters, {sid: g for sid, (_, g) in known.items()})  # QueryError as without the index
    where, args = [], []

    def any_of(column: str, values) -> None:
        where.append(f"{column} IN ({', '.join('?' * len(values))})")
        args.extend(values)

    if filters.topic:
        any_of("topic", [filters.topic])
    for name, values in q.wanted.items():
        any_of(name, list(values))
    if q.codes:
        where.append(f"ord IN (SELECT ord FROM item_countries WHERE code IN ({', '.join('?' * len(q.codes))}))")
        args.extend(sorted(q.codes))
    if q.sources:
        any_of("source", list(q.sources))
    if q.graded is not None:
        any_of("source", sorted(q.graded)) if q.graded else where.append("0")
    if q.windows:
        where.append("(" + " OR ".join("(first <= ? AND last >= ?)" for _ in q.windows) + ")")
        for lo, hi in q.windows:
            args += [hi.isoformat(), lo.isoformat()]
    if len(q.needles) == 1:
        q.words = [*q.words, q.needles[0]]  # one needle is one more required word
    elif q.needles:  # any of them
        where.append("(" + " OR ".join("instr(item_texts.search, ?) > 0" for _ in q.needles) + ")")
        args += q.needles
    for word in q.words:  # every one
        if index.fts and len(word) >= 3:  # trigrams find candidates; instr decides, exactly as `in` does
            where.append("ord IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
            args.append('"' + word.replace('"', '""') + '"')
        where.append("instr(item_texts.search, ?) > 0")
        args.append(word)
    if not derived:
        # without --derived, only balances asked for by name (select's rule)
        where.append("(derived = 0 OR kind = 'balance')" if "balance" in q.wanted.get("direction", ()) else "derived = 0")
    sql = ("SELECT derived, topic, source, record, display, quote FROM items JOIN item_texts USING (ord)"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ord")
    source_ids = {sid: line for sid, (line, _) in known.items()}
    found = conn.execute(sql, args).fetchall()
    used: dict[str, None] = {}
    for _, _, source, *_ in found:
        used.setdefault(source, None)
    footer = [source_ids[s] for s in used if s in source_ids]
    if any(row[0] for row in found):
        footer.append(DERIVED_NOTE)

    variant = 1 if topic else 0

    def display(row) -> dict:
        _, _, _, _, text, quote = row
        shown = json.loads(text)[variant]
        if cite:
            shown["quote"] = quote
        return shown

    columns = COLUMNS + ([QUOTE] if cite else [])
    return Listing(records=[json.loads(row[3]) for row in found], columns=columns, rows=[display(row) for row in found],
                   title=title, footer=footer, fields=FIELDS + tuple(f"source.{k}" for k in SOURCE_FIELDS),
                   json_records=[row[3] for row in found])
