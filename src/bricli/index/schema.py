"""The index's tables, by name. A found database is used only when its schema is exactly
this one (and FORMAT matches); anything else is deleted and built again."""

from __future__ import annotations

import sqlite3

FORMAT = "23"  # bump when a table or the stored form of a value changes

# what filters read, in `stored` (per file) and copied narrow into `items` (per set)
FILTER_COLUMNS = ("derived", "type", "topic", "kind", "direction", "measure", "sector", "status", "stage", "stat_basis",
                  "source", "first", "last", "short")
# fields a command may filter on by name (--flow, --kind, --status...)
FIELD_COLUMNS = ("kind", "direction", "measure", "sector", "status", "stage", "stat_basis")
STORED_COLUMNS = ("id", "file", "seq", *FILTER_COLUMNS, "countries", "fact", "record", "crc")
ITEM_COLUMNS = ("ord", "item", *FILTER_COLUMNS, "crc")
_FILTERS_DDL = ("derived INTEGER NOT NULL, type TEXT, topic TEXT, kind TEXT, direction TEXT, measure TEXT, sector TEXT, "
                "status TEXT, stage TEXT, stat_basis TEXT, source TEXT, first TEXT, last TEXT, short INTEGER")

# the indexes of `items`: a build drops them, fills the table, then creates them again (one
# sort each is cheaper than keeping four B-trees in order row by row). `short`: the item spans
# at most SHORT_DAYS, so it overlaps a window only if it starts at most that long before it: a
# window query reads a narrow range of `first`
ITEM_INDEXES = (
    "CREATE INDEX items_topic ON items(topic, short, first, last, derived)",
    "CREATE INDEX items_source ON items(source)",
    "CREATE INDEX items_first ON items(short, first, last)",
    "CREATE INDEX items_kind ON items(kind)",
)

DDL = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # one row per fact file; `name` is how problems named the file when it was read
    "CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, name TEXT NOT NULL, digest TEXT NOT NULL, "
    "size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, "
    "checked_ns INTEGER NOT NULL)",
    "CREATE TABLE sources(file INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL, "
    "PRIMARY KEY(file, seq)) WITHOUT ROWID",
    "CREATE TABLE problems(file INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL, "
    "PRIMARY KEY(file, seq)) WITHOUT ROWID",
    # each fact of a file (file 0: the set's derived values): the columns filters read, the
    # fact itself (`fact`, its fields' JSON text) and its machine record (`record`, zlib-compressed,
    # its source's title, date and url left null: they may come from another file, see set_sources)
    f"CREATE TABLE stored(id INTEGER PRIMARY KEY, file INTEGER NOT NULL, seq INTEGER NOT NULL, {_FILTERS_DDL}, "
    "countries TEXT NOT NULL, fact BLOB NOT NULL, record BLOB NOT NULL, crc INTEGER NOT NULL)",
    "CREATE INDEX stored_file ON stored(file, seq)",
    # the set: facts in file order, then derived values; filled only when the base has no
    # problem. The filter columns again, narrow, so a query scans little before it fetches.
    # `crc` covers `ord` and `item` only: the stored row's checksum covers the filter values
    # (a query sums it over the item's), so it is there that a changed one is found.
    f"CREATE TABLE items(ord INTEGER PRIMARY KEY, item INTEGER NOT NULL, {_FILTERS_DDL}, crc INTEGER NOT NULL)",
    *ITEM_INDEXES,
    "CREATE TABLE item_countries(code TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY(code, ord)) WITHOUT ROWID",
    # the set's sources: `data` the Source encoded, `line` as a listing's footer names it,
    # `block` its title, date and url as its facts' records hold them
    "CREATE TABLE set_sources(id TEXT PRIMARY KEY, reliability TEXT, line TEXT NOT NULL, data BLOB NOT NULL, "
    "block BLOB NOT NULL, crc INTEGER NOT NULL) WITHOUT ROWID",
)
# words to search: a contentless full-text index (trigrams), filled by the first query that searches
FTS = "CREATE VIRTUAL TABLE words USING fts5(text, content='', tokenize='trigram case_sensitive 1')"
FTS_SHADOWS = ("words_config", "words_data", "words_docsize", "words_idx")
AUTOINDEXES = ("sqlite_autoindex_files_1",)
FILE_TABLES = ("files", "sources", "problems", "stored")
# the set's tables whose rows are counted by the build (meta, under the table's name) and checked
# before a query reads them: a row deleted from them is never read, so no checksum can find it
COUNTED = ("items", "item_countries")
SET_TABLES = ("items", "item_countries", "set_sources")
DERIVED_FILE = 0  # the file number of derived values in `stored`: they belong to the set, not to a file
SHORT_DAYS = 366  # an item spanning at most this is "short" (a year, a month, a day)


def fts_available() -> bool:
    mem = sqlite3.connect(":memory:")
    try:
        mem.execute(FTS)
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        mem.close()


def _own_objects(fts: bool) -> dict[str, tuple[str, str]]:
    """name -> (type, sql) of what DDL (and FTS) create, as sqlite_master records them."""
    out = {}
    for sql in DDL + ((FTS,) if fts else ()):
        words = sql.split("(")[0].split()  # CREATE [VIRTUAL] TABLE|INDEX name ...
        name = words[3] if words[1] == "VIRTUAL" else words[2]
        out[name] = ("index" if words[1] == "INDEX" else "table", sql)
    return out


def create(conn: sqlite3.Connection, fts: bool) -> None:
    for sql in DDL + ((FTS,) if fts else ()):
        conn.execute(sql)


def matches(conn: sqlite3.Connection, fts: bool) -> bool:
    """Exactly our tables and indexes, each as we create it: no trigger, view or table of
    someone else's (a test builds the schema in memory to compare)."""
    found = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    own = _own_objects(fts)
    expected = len(own) + len(AUTOINDEXES) + (len(FTS_SHADOWS) if fts else 0)
    if len(found) != expected or len({row[1] for row in found}) != expected:
        return False
    for kind, name, table, sql in found:
        if name in own:
            ok = own[name] == (kind, sql)
        elif name in AUTOINDEXES:
            ok = kind == "index" and sql is None
        else:
            ok = fts and name in FTS_SHADOWS and kind == "table" and name == table and \
                isinstance(sql, str) and sql.startswith(f"CREATE TABLE '{name}'(")
        if not ok:
            return False
    return True


def index_name(sql: str) -> str:
    """The name a CREATE INDEX statement gives."""
    return sql.split()[2]


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
