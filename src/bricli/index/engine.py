"""The engine: the index of a set of fact directories, brought up to date and queried.

`Engine.open` lists the fact files, opens their index (in the cache directory, or in memory
with `no_cache`, or when the cache cannot be used safely), and serves it inside one read
transaction: the freshness check and every read of the command see one state of the index,
so a rebuild by another process is never half seen. A stale index is rebuilt first (build.py).
A row that fails its checksum or does not decode, or a damaged database, makes the engine
drop the index, build it again from the fact files and answer from that, and says so through
`notify` (the CLI prints it on stderr; by default it is kept in `notices`).

This module is on the fast path of every query and TAB press: the build and the fact model are
imported only when something is built or decoded (each such import says so).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bricli.index import codec, location, schema
from bricli.index.freshness import is_fresh, stat_files
from bricli.load.discover import display_path, list_files

if TYPE_CHECKING:
    from bricli.analysis.derive import Derived
    from bricli.index import query
    from bricli.analysis.query import Filters
    from bricli.index.objects import Decoder
    from bricli.model.facts import Fact, FactBase, Source
    from bricli.model.problems import Problem

T = TypeVar("T")
MAX_TRIES = 5  # a build that finds a file replaced meanwhile, or reads that find the index rebuilt, try again
Progress = Callable[[int, int], None]


class Selection:
    """What a query selected: each item's stored record (json output writes it as it is) and,
    decoded only when asked for, the item itself."""

    def __init__(self, hits: list[query.Hit], sources: dict[str, query.SetSource], names: Callable[[], dict[int, str]],
                 decoded: dict[int, Fact | Derived] | None = None):
        self.hits = hits
        self.sources = sources
        self._names = names  # file number -> name, asked for only when an item is decoded
        self._decoder: Decoder | None = None
        self._decoded = {} if decoded is None else decoded  # stored row id -> item, shared with the engine
        # set once the selection is made: an item that passed its checksum but does not decode
        # (a forged row) is read again from a rebuilt index, never a traceback
        self.recover: Callable[[query.Hit, str, str | None], Fact | Derived] | None = None
        self.paths: dict[int, str] = {}  # file id (in the index the hits came from) -> absolute path

    def __len__(self) -> int:
        return len(self.hits)

    def item(self, hit: query.Hit) -> Fact | Derived:
        known = self._decoded.get(hit.id)
        if known is not None:  # decoded already (the whole base, for a brief): the same object
            return known
        if self._decoder is None:
            from bricli.index.objects import Decoder  # the fact model: only when an item is read

            self._decoder = Decoder()
        try:
            return current(self._decoder.fact(hit.fact, self._names().get(hit.file, "")), hit.status)
        except codec.Damaged:
            if self.recover is None:  # still selecting: the engine's guard rebuilds and selects again
                raise
            return self.recover(hit, self._names().get(hit.file, ""), self.paths.get(hit.file))

    def items(self) -> list[Fact | Derived]:
        return [self.item(h) for h in self.hits]

    def record_pieces(self, hit: query.Hit) -> tuple[bytes, bytes, bytes]:
        """The record as json output writes it (one level in): head, its source's block, tail."""
        s = self.sources.get(hit.source)
        return hit.head, s.block if s else codec.NULL_BLOCK, hit.tail

    def cited(self) -> dict[str, str]:
        """Each source of the selected rows (in order of first use) and the line that names it."""
        used = dict.fromkeys(h.source for h in self.hits)
        return {s: self.sources[s].line for s in used if s in self.sources}


class Engine:
    def __init__(self, dirs: list[Path], files: list[Path], listing_problems: list[Problem], max_size: int,
                 path: Path | str, progress: Progress | None, notify: Callable[[str], None] | None = None):
        self.dirs = dirs
        self.files = files
        self.absolute = [os.path.abspath(p) for p in files]
        self.listing_problems = listing_problems
        self.max_size = max_size
        self.path = path
        self.progress = progress
        self.notices: list[str] = []
        self.notify: Callable[[str], None] = notify or self.notices.append  # what the engine has to say
        self.conn: sqlite3.Connection | None = None
        self._sources: dict[str, query.SetSource] | None = None
        self._items_rebuilt = False  # a selected item did not decode and the index was rebuilt for it
        self._decoded: dict[int, Fact | Derived] = {}  # stored row id -> item, decoded by base() (ids of this index)
        self._whole: FactBase | None = None  # what base() read in this read transaction
        self._counted: set[str] = set()  # tables whose rows were counted in this read transaction

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, dirs: list[Path], max_size: int, *, no_cache: bool = False, directory: Path | None = None,
             progress: Progress | None = None, notify: Callable[[str], None] | None = None) -> Engine:
        """The index of `dirs`, fresh, inside a read transaction (close() ends it)."""
        files, problems = list_files(dirs)
        path: Path | str = location.MEMORY
        if not no_cache:
            directory = directory or location.cache_dir()
            if location.usable_directory(directory):
                path = location.index_path(dirs, directory)
        engine = cls(dirs, files, problems, max_size, path, progress, notify)
        engine._guarded(engine._serve)
        return engine

    def close(self) -> None:
        if self.conn is not None:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.close()
            self.conn = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connect(self) -> sqlite3.Connection:
        """A connection to a database with our schema: a foreign or corrupt file is deleted
        and made again; where even that fails, the index lives in memory."""
        if self.path != location.MEMORY:
            for _attempt in range(2):
                assert isinstance(self.path, Path)
                if not location.acceptable_file(self.path):
                    location.remove(self.path)
                try:
                    conn = location.connect(self.path)
                except sqlite3.Error:
                    break
                try:
                    if _prepare(conn):
                        return conn
                except _BROKEN:
                    pass
                conn.close()
                location.remove(self.path)
            self.path = location.MEMORY
        conn = location.connect(location.MEMORY)
        _prepare(conn)
        return conn

    def _serve(self) -> None:
        """Open, build if stale, and hold a read transaction on a fresh index."""
        if self.conn is None:
            self.conn = self._connect()
        conn = self.conn
        self._decoded.clear()  # row ids are this state's: decoded items of another are not reused
        self._whole = None
        built = None
        for attempt in range(MAX_TRIES):
            stats = stat_files(self.absolute)
            conn.execute("BEGIN")
            if is_fresh(conn, self.absolute, stats) or (built is not None and _set(conn) == built):
                self._sources = None
                self._counted.clear()
                return
            conn.execute("ROLLBACK")
            built = self._build(last=attempt == MAX_TRIES - 1)
        raise codec.Damaged("the fact files keep changing while the index is built")

    def _build(self, last: bool) -> str | None:
        """Build the index of the files; None when a file was replaced while it was read (an editor
        saving it): the files are listed again for the next try. On the last try that is a problem."""
        from bricli.index.build import Build  # the parser, the fact model and derive: only to build
        from bricli.load.assemble import FileChanged

        assert self.conn is not None
        try:
            return Build(self.conn, _meta(self.conn, "fts") == "1").run(self.files, self.max_size, self.progress,
                                                                         retry_changed=not last)
        except FileChanged:
            self.files, self.listing_problems = list_files(self.dirs)
            self.absolute = [os.path.abspath(p) for p in self.files]
            return None

    def _guarded(self, work: Callable[[], T]) -> T:
        """`work`, and if the index turns out damaged, `work` again on an index rebuilt from the files."""
        try:
            return work()
        except (codec.Damaged, *_BROKEN) as exc:
            self.notify(f"bricli: the index was damaged ({_reason(exc)}); rebuilt it from the fact files")
        self.close()
        if self.path != location.MEMORY:
            assert isinstance(self.path, Path)
            location.remove(self.path)
        self._sources = None
        self._serve()
        return work()

    # --- reading ----------------------------------------------------------------------------

    @property
    def _c(self) -> sqlite3.Connection:
        assert self.conn is not None, "the engine is closed"
        return self.conn

    def problem_count(self) -> int:
        stored = int(_meta(self._c, "problems") or "-1")
        return len(self.listing_problems) + stored if stored >= 0 else -1

    def require_clean(self) -> None:
        """Refuse a base with problems (FactBaseError): nothing is answered from a base
        `bricli check` would refuse."""
        if self.problem_count() != 0:
            from bricli.model.problems import FactBaseError

            raise FactBaseError(self.problems())

    def problems(self) -> list[Problem]:
        """Every problem of the base, as reading the files reports them: the directories' listing,
        each file's (in file order), then the checks across files; at most MAX_TOTAL_PROBLEMS, then
        one that counts the rest (load.assemble.cap_problems)."""
        from bricli.load.assemble import cap_problems  # the fact model: only when there are problems to tell

        if self.problem_count() == len(self.listing_problems):
            found = list(self.listing_problems)
        else:
            found = self._guarded(self._read_problems)
        return cap_problems(found, 0, str(self.dirs[-1]) if self.dirs else "")

    def _read_problems(self) -> list[Problem]:
        from bricli.index.objects import Decoder  # the fact model: only when there are problems to tell

        d = Decoder()
        out = list(self.listing_problems)
        ids = self._file_ids()
        for fid, name in [*((ids[a], display_path(Path(p))) for a, p in zip(self.absolute, self.files)),
                          (schema.DERIVED_FILE, "")]:
            for data, crc, seq in self._c.execute("SELECT data, crc, seq FROM problems WHERE file = ? ORDER BY seq",
                                                  (fid,)):
                if codec.crc((fid, seq), data) != crc:
                    raise codec.Damaged("a problem row failed its checksum")
                out.append(d.problem(data, name))
        return out

    def _file_ids(self) -> dict[str, int]:
        return dict(self._c.execute("SELECT path, id FROM files"))

    def _names(self, ids: dict[str, int]) -> Callable[[], dict[int, str]]:
        """File number -> the file's name as given now, worked out on first use (decoding an
        item names its file); the numbers (`ids`: path -> number) are read while the engine is open."""
        names: dict[int, str] = {}

        def lookup() -> dict[int, str]:
            if not names:
                names.update({ids[a]: display_path(Path(p)) for a, p in zip(self.absolute, self.files) if a in ids})
            return names

        return lookup

    def set_sources(self) -> dict[str, query.SetSource]:
        from bricli.index import query  # the filters and their checks: not for a TAB press on --year

        if self._sources is None:
            self._sources = query.set_sources(self._c)
        return self._sources

    def select(self, filters: Filters, *, derived: bool = False, order: str = "set",
               limit: int | None = None) -> Selection:
        """The items `filters` select (with `derived`, the values bricli derives too), in `order`:
        "set" (as the files list them, derived values last), "topic" (grouped by topic),
        "search" (matches in label or name first), "timeline" (dated items, in time order)."""
        selection = self._guarded(lambda: self._select(filters, derived, order, limit))
        selection.recover = self._recovered_item
        return selection

    def _select(self, filters: Filters, derived: bool, order: str, limit: int | None) -> Selection:
        from bricli.index import query  # the filters and their checks: not for a TAB press on --year

        sources = self.set_sources()
        self.check_counts(("items", "item_countries") if filters.country else ("items",))
        ids = self._file_ids()
        selection = Selection([], sources, self._names(ids), self._decoded)
        selection.paths = {fid: a for a, fid in ids.items()}
        texts = bool(filters.words or filters.grep or any(n not in schema.FIELD_COLUMNS for n in filters.fields))
        full_text = texts and self._full_text()
        hits = query.select_hits(self._c, filters, sources, derived=derived, order=order, limit=limit,
                                 full_text=full_text, check=_text_check(selection) if texts else None)
        found = list(hits)
        if order == "search":
            found = _ranked(selection, found, filters.words)
            if limit is not None:
                found = found[:limit]
        selection.hits = found
        return selection

    def check_counts(self, tables: tuple[str, ...]) -> None:
        """The rows of `tables` (schema.COUNTED) are as many as the build counted, and the items
        numbered 1 to that count: a row deleted from them is left out of every answer by the SQL
        that selects, so no checksum finds it (Damaged). SQLite counts from its pages without
        reading a row, under a millisecond at 100,000 facts; once in a read transaction."""
        tables = tuple(t for t in tables if t not in self._counted)
        if not tables:
            return
        counts = dict(self._c.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(tables))})", tables))
        for table in tables:
            found = self._c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if counts.get(table) != str(found) or (
                    table == "items" and self._c.execute("SELECT coalesce(max(ord), 0) FROM items").fetchone()[0] != found):
                raise codec.Damaged(f"the {table} table has lost or gained a row")
            self._counted.add(table)

    def _full_text(self) -> bool:
        """Whether the words index can narrow a search now, filling it first if need be (it
        needs the write lock: the read transaction ends and a new one starts on the same state)."""
        c = self._c
        if _meta(c, "fts") != "1":
            return False
        if _meta(c, "fts_built") == "1":
            return True
        key = _set(c)
        c.execute("ROLLBACK")
        try:
            c.execute("BEGIN IMMEDIATE")
            if _set(c) == key and _meta(c, "fts_built") != "1":
                from bricli.index.build import fill_words  # decodes every fact: once per build of the index

                fill_words(c)
                c.execute("INSERT OR REPLACE INTO meta VALUES ('fts_built', '1')")
            c.execute("COMMIT")
        except sqlite3.OperationalError:  # locked for too long, read-only: the rows are read instead
            if c.in_transaction:
                c.execute("ROLLBACK")
        c.execute("BEGIN")
        if _set(c) != key:  # rebuilt meanwhile: serve the new state from the start
            c.execute("ROLLBACK")
            self._serve()
        return _meta(c, "fts_built") == "1"

    def _recovered_item(self, hit: query.Hit, name: str, path: str | None) -> Fact | Derived:
        """The item of `hit`, whose stored fact passed its checksum but does not decode (the
        selection was made, perhaps printed in part, and the engine perhaps closed): the index
        is dropped and rebuilt from the files (once), and the item read from it by its file
        (`path`, None for a derived value) and place."""
        from bricli.index.objects import Decoder

        was_open = self.conn is not None
        first = not self._items_rebuilt
        if first:
            self.close()
            if self.path != location.MEMORY:
                assert isinstance(self.path, Path)
                location.remove(self.path)
            self._sources = None
            self._decoded.clear()
            self._whole = None
            self._items_rebuilt = True
        if self.conn is None:
            self._serve()
        try:
            fid = schema.DERIVED_FILE if hit.file == schema.DERIVED_FILE else self._file_ids().get(path or "", -1)
            cols = ", ".join(schema.STORED_COLUMNS)
            row = self._c.execute(f"SELECT {cols} FROM stored WHERE file = ? AND seq = ?", (fid, hit.seq)).fetchone()
            if row is None or codec.crc(row[:-3], row[-3], row[-2]) != row[-1]:
                raise codec.Damaged("the rebuilt index has no such item")
            item = current(Decoder().fact(row[-3], name), row[3 + schema.FILTER_COLUMNS.index("status")])
        finally:
            if not was_open:
                self.close()
        if first:
            self.notify("bricli: the index was damaged (a stored fact cannot be decoded); rebuilt it from the fact files")
        return item

    def sources(self) -> dict[str, Source]:
        """The set's sources registry, decoded (first registration of each id wins)."""
        return self._guarded(self._decode_sources)

    def _decode_sources(self) -> dict[str, Source]:
        from bricli.index.objects import Decoder  # the fact model: only when sources are read

        d = Decoder()
        self.set_sources()  # checksums
        return {sid: d.source(data, "") for sid, data in self._c.execute("SELECT id, data FROM set_sources")}

    def base(self) -> FactBase:
        """Every fact, in file order, with the sources registry: for views that need the whole base
        (briefs, the regional matrix, disagreements, exports). Read once per read transaction."""
        if self._whole is None:
            self._whole = self._guarded(self._base)
        return self._whole

    def items(self, filters: Filters, *, derived: bool = False) -> list[Fact | Derived]:
        """The items `filters` select, in the set's order (derived values last, with `derived`): for
        views that also read the whole base. Without a filter that is every fact, as base() has
        them: selecting would fetch and check every stored row again (0.7 s of a 3.9 s brief of
        30,000 facts). A base with problems has no set (the items table is empty): it selects."""
        if not filters.selects_all() or self.problem_count() != 0:
            return self.select(filters, derived=derived).items()
        from bricli.analysis.query import Filters  # as select's own import (index.query): not for a TAB press

        facts: list[Fact | Derived] = list(self.base().facts)
        if derived:
            facts += self.select(Filters(types=("derived",)), derived=True).items()
        return facts

    def _base(self) -> FactBase:
        from bricli.load.assemble import assemble  # the fact model: only when the whole base is read
        from bricli.model.facts import Fact

        from bricli.index.objects import Decoder

        d = Decoder()
        ids = self._file_ids()
        facts: list[Fact] = []
        sources: list[Source] = []
        read: dict[int, tuple[int, int]] = {}  # file number -> its stored rows and source rows read
        for absolute, p in zip(self.absolute, self.files):
            fid, name = ids[absolute], display_path(Path(p))
            before = (len(facts), len(sources))
            for rid, seq, data, record, crc, *rest in self._c.execute(
                    "SELECT id, seq, fact, record, crc, file, " + ", ".join(schema.FILTER_COLUMNS) +
                    ", countries FROM stored WHERE file = ? ORDER BY seq", (fid,)):
                if codec.crc((rid, rest[0], seq, *rest[1:]), data, record) != crc:
                    raise codec.Damaged("a stored row failed its checksum")
                item = self._decoded.get(rid)  # decoded by a selection made before: the same object
                if item is None:
                    item = current(d.fact(data, name), rest[1 + schema.FILTER_COLUMNS.index("status")])
                    self._decoded[rid] = item  # a selection made next (a brief's) shares these objects
                assert isinstance(item, Fact)
                facts.append(item)
            for seq, data, crc in self._c.execute("SELECT seq, data, crc FROM sources WHERE file = ? ORDER BY seq",
                                                  (fid,)):
                if codec.crc((fid, seq), data) != crc:
                    raise codec.Damaged("a source row failed its checksum")
                sources.append(d.source(data, name))
            read[fid] = (len(facts) - before[0], len(sources) - before[1])
        # a row given another file number is read under none: every row of the two tables is one
        # of the files' (or a derived value), so their counts (from SQLite's pages) say so
        stored_rows, source_rows = self._c.execute(
            "SELECT (SELECT count(*) FROM stored) - (SELECT count(*) FROM stored WHERE file = ?), "
            "(SELECT count(*) FROM sources)", (schema.DERIVED_FILE,)).fetchone()
        if (stored_rows, source_rows) != (sum(n for n, _ in read.values()), sum(n for _, n in read.values())):
            raise codec.Damaged("a stored row or a source row is under no file of the set")
        return assemble(facts, sources, self.files, self.dirs)

    def topic_counts(self) -> dict[str, int]:
        """Stated facts per topic (derived values left out), from the narrow items table."""
        return self._guarded(self._topic_counts)

    def _topic_counts(self) -> dict[str, int]:
        self.check_counts(("items",))
        return dict(self._c.execute("SELECT topic, count(*) FROM items WHERE derived = 0 GROUP BY topic"))

    def years(self) -> list[int] | None:
        """Every year the base covers (for TAB on --year); None when the stored list is not one."""
        if self.problem_count() != 0:
            return None
        return _whole_numbers(_meta(self._c, "years") or "")


def _text_check(selection: Selection) -> Callable[..., bool]:
    from bricli.analysis.matching import searchable  # the fact model: only for text filters

    def check(hit: query.Hit, needles: list[str], words: list[str], fields: dict[str, tuple[Any, ...]]) -> bool:
        item = selection.item(hit)
        for name, values in fields.items():
            if getattr(item, name, None) not in values:
                return False
        if needles or words:
            text = searchable(item)
            if needles and not any(n in text for n in needles):
                return False
            if not all(w in text for w in words):
                return False
        return True

    return check


def _ranked(selection: Selection, hits: list[query.Hit], words: tuple[str, ...]) -> list[query.Hit]:
    """Search results: matches in the label or name first, then by topic, then as the set lists them."""
    from bricli.analysis.matching import in_title, search_title  # the fact model: only for a search
    from bricli.analysis.query import topic_rank
    from bricli.model.text import fold

    folded = [fold(w) for w in words]
    keyed = [(0 if in_title(search_title(selection.item(h)), folded) else 1, topic_rank(h.topic), n, h)
             for n, h in enumerate(hits)]
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:3])]


def current(item: T, status: str | None) -> T:
    """A decoded project with the status its row says: its current one (analysis/steps.py), which the
    build decides across files; the stored fact keeps the status its source states."""
    if getattr(item, "type", None) == "project" and getattr(item, "status", None) != status:
        return replace(item, status=status)  # type: ignore[type-var]
    return item


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set(conn: sqlite3.Connection) -> str | None:
    return _meta(conn, "set")


def _prepare(conn: sqlite3.Connection) -> bool:
    """True when conn holds our schema (creating it in an empty database)."""
    if _valid(conn):
        return True
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _valid(conn):  # another process made it meanwhile
            conn.execute("COMMIT")
            return True
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            conn.execute("ROLLBACK")
            return False  # something else lives here
        fts = schema.fts_available()
        schema.create(conn, fts)
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("format", schema.FORMAT), ("version", ""), ("fts", "1" if fts else "0"), ("set", ""),
                          ("problems", "-1"), ("fts_built", "0")])
        conn.execute("COMMIT")
        return True
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


# what a damaged database file raises: SQLite's errors, and, when a flipped bit lands in the
# schema's text, the UnicodeDecodeError of Python's sqlite3 decoding SQLite's message quoting it
_BROKEN = (sqlite3.DatabaseError, UnicodeDecodeError)


def _valid(conn: sqlite3.Connection) -> bool:
    if not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        return False
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('format', 'fts')"))
    except sqlite3.DatabaseError:
        return False
    return (meta.get("format") == schema.FORMAT and meta.get("fts") in ("0", "1")
            and schema.matches(conn, meta["fts"] == "1"))


def _reason(exc: BaseException) -> str:
    """What went wrong, in a line: SQLite quotes the undecodable bytes it found, which say nothing."""
    text = (str(exc) or type(exc).__name__).split(" with text '")[0].splitlines()[0]
    return text if len(text) <= 120 else text[:117] + "..."


def _whole_numbers(text: str) -> list[int] | None:
    """A JSON array of whole numbers ("[1990, 2018]"); None for anything else (a damaged value)."""
    try:
        items = json.loads(text)
    except ValueError:
        return None
    if not isinstance(items, list) or not all(type(item) is int and item >= 0 for item in items):
        return None
    return items

