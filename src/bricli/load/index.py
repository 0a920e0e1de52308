"""The index: one SQLite database per set of fact directories, so a query reads only what it returns.

It holds, per fact file, what reading and validating the file gave (facts,
sources, problems) and each fact rendered as listings show it (`rendered`:
machine record, display row, quote, words to search, a column for every
filter); for the whole set of files, the derived values (rendered likewise,
as file 0), which facts make up the set and in what order (`items`), and
whether the checks across files pass. What is built is handed in by the
caller (present/indexed.py): this module knows the storage, not the wording.

- Where: $BRICLI_CACHE_DIR, else $XDG_CACHE_HOME/bricli, else ~/.cache/bricli;
  one file `index-<digest of the directories>-<FORMAT>.sqlite` per set.
- Freshness: a file's part is keyed on a hash of the bytes read (BLAKE2b).
  Its size, mtime, ctime and inode are a fast path that skips reading it,
  trusted only when the part was checked more than TRUST_AFTER_NS after the
  file's mtime (an edit in the same second as the check is not missed). A
  changed file re-reads that file only; the set-level part is keyed on every
  file's hash, in order, and on bricli's version.
- Speed of a build: files are parsed and rendered in worker processes when
  there is much to read (PARALLEL_BYTES), while this process stores what they
  return; the full-text index (FTS5) is built by the first query that searches
  words, not by every build.
- Trust: the database is input like any other. The directory must be ours
  and writable by no one else (otherwise no index: the files are read); the
  file must be a regular file (not a symlink: `nofollow`), ours, not
  writable by others and under MAX_INDEX_SIZE; values are capped in length;
  its schema must be exactly ours (`trusted_schema` off), else it is
  deleted and rebuilt, as is a corrupt one. Values are JSON, never
  marshal/pickle.
- Concurrency: SQLite's locking. Every build runs in one `BEGIN IMMEDIATE`
  transaction and re-checks freshness once it holds the lock, so two
  processes building at once do the work once and never see half of it.
- The index writes only through SQLite (no file of its own to replace).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from pathlib import Path

from bricli import __version__

TYPE_CHECKING = False  # not `from typing import ...` at run time: typing is not on every path
if TYPE_CHECKING:
    import json
    from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
    from typing import Any, Protocol, TypeVar

    T = TypeVar("T", bound=tuple[Any, ...])

    from bricli.model.facts import Fact, Source
    from bricli.model.problems import Problem

    Row = tuple[Any, ...]
    # each fact (or derived value) as stored: its narrow row for filters (after id, file and seq;
    # its country codes last, space-separated) and its texts (after id: the encoded fact, the
    # record, where its source block goes, folded label and name, display row, Kind cell, quote,
    # search words)
    Rendered = Iterable[tuple[Row, Row]]
    FileParts = tuple[list[str], list[str], list[tuple[Row, Row]]]  # sources, problems, facts rendered
    BuildSet = Callable[["Index", list[Path]], tuple[int, Rendered, Iterable[Row], dict[str, str]]]

    class Builder(Protocol):
        """What the index is built with (present/indexed.py): per file, and per set of files."""

        def parse_file(self, name: str, data: bytes) -> FileParts: ...
        def build_set(self, index: Index, files: list[Path]) -> tuple[int, Rendered, Iterable[Row], dict[str, str]]: ...


class _JsonOnFirstUse:
    """Stands for the json module until first used, then puts the module in its place.
    Values are JSON, but opening and checking the index needs none: a TAB press on
    --year opens it, and importing json costs about as much as that whole check."""

    def __getattr__(self, name: str) -> object:
        import json as module

        globals()["json"] = module
        return getattr(module, name)


if not TYPE_CHECKING:
    json = _JsonOnFirstUse()

ENV_CACHE_DIR = "BRICLI_CACHE_DIR"
FORMAT = "13"  # bump when the schema or the encoding of a value changes
TRUST_AFTER_NS = 2_000_000_000  # a check this soon after the file's mtime may miss a same-second edit
MAX_INDEX_SIZE = 4 << 30
MAX_VALUE_LENGTH = 64 << 20  # no single stored value is longer (a fact file is capped well below)
BATCH = 2000
# a build with this many bytes of files to read parses them in worker processes, one per CPU
PARALLEL_BYTES = 2 << 20
MAX_WORKERS = 8

SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # one row per fact file; `name` is how problems named the file when it was read
    "CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, name TEXT NOT NULL, digest TEXT NOT NULL, "
    "size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, "
    "checked_ns INTEGER NOT NULL)",
    "CREATE TABLE sources(file INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY(file, seq)) WITHOUT ROWID",
    "CREATE TABLE problems(file INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY(file, seq)) WITHOUT ROWID",
    # each fact as listings show it, in two tables: what filters read (narrow, so scanning it
    # reads little) and its texts (the record, UTF-8, in two parts: its source's title, date
    # and url, which may come from another file, go between them per set). `data` is the fact
    # itself, encoded, for the checks across files. File 0 holds the derived values.
    "CREATE TABLE rendered(id INTEGER PRIMARY KEY, file INTEGER NOT NULL, seq INTEGER NOT NULL, fact TEXT NOT NULL, "
    "derived INTEGER NOT NULL, type TEXT, topic TEXT, kind TEXT, direction TEXT, measure TEXT, sector TEXT, status TEXT, "
    "stage TEXT, stat_basis TEXT, source TEXT, first TEXT, last TEXT, short INTEGER, countries TEXT NOT NULL)",
    "CREATE INDEX rendered_file ON rendered(file, seq)",
    "CREATE TABLE rendered_texts(id INTEGER PRIMARY KEY, data TEXT, record_head BLOB NOT NULL, record_tail BLOB NOT NULL, "
    "title TEXT NOT NULL, display TEXT NOT NULL, kind_own TEXT NOT NULL, quote TEXT NOT NULL, search TEXT NOT NULL)",
    # the set: facts in file order, then derived values; filled only when the base has no problem.
    # What filters read is copied here, narrow; a query fetches the rendered text only of the rows it returns.
    "CREATE TABLE items(ord INTEGER PRIMARY KEY, item INTEGER NOT NULL, derived INTEGER NOT NULL, type TEXT, topic TEXT, "
    "kind TEXT, direction TEXT, measure TEXT, sector TEXT, status TEXT, stage TEXT, stat_basis TEXT, source TEXT, "
    "first TEXT, last TEXT, short INTEGER)",
    # `short`: the item spans at most SHORT_DAYS, so it overlaps a window only if it starts at most that
    # long before it: a window query reads a narrow range of `first` (and the few long items apart)
    "CREATE INDEX items_topic ON items(topic, short, first, last, derived)",
    "CREATE INDEX items_source ON items(source)",
    "CREATE INDEX items_first ON items(short, first, last)",
    "CREATE INDEX items_kind ON items(kind)",
    "CREATE TABLE item_countries(code TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY(code, ord)) WITHOUT ROWID",
    # `block`: the source's title, date and url as its facts' records hold them
    "CREATE TABLE set_sources(id TEXT PRIMARY KEY, line TEXT NOT NULL, reliability TEXT, block TEXT NOT NULL) WITHOUT ROWID",
)
FILE_TABLES = ("files", "sources", "problems", "rendered", "rendered_texts")
SET_TABLES = ("items", "item_countries", "set_sources")
DERIVED_FILE = 0  # the file number of derived values in `rendered`: they belong to the set, not to a file
FTS = ("CREATE VIRTUAL TABLE items_fts USING fts5(search, content='rendered_texts', content_rowid='id', "
       "tokenize='trigram case_sensitive 1')")


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    base = environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bricli"


def _digest(data: bytes) -> str:
    try:
        from _blake2 import blake2b  # what hashlib.blake2b is, without loading OpenSSL (~3 ms)
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    return blake2b(data, digest_size=20).hexdigest()


def index_path(dirs: list[Path], directory: Path) -> Path:
    paths = [os.path.abspath(d) for d in dirs]
    if all(p.isascii() and p.isprintable() and '"' not in p and "\\" not in p for p in paths):
        names = '["' + '", "'.join(paths) + '"]'  # json.dumps of these, byte for byte, without json
    else:
        names = json.dumps(paths, ensure_ascii=True)
    return directory / f"index-{_digest(names.encode())[:24]}-{FORMAT}.sqlite"


def _ours(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def open_index(dirs: list[Path], directory: Path | None = None) -> Index | None:
    """The index of `dirs`, opened and checked; None when no index can be used safely
    (a directory that is not ours, an odd environment): the caller reads the files."""
    try:
        directory = directory or cache_dir()
        if not directory.exists():
            directory.mkdir(parents=True, mode=0o700)
        st = os.stat(directory)
        if not (stat.S_ISDIR(st.st_mode) and _ours(st)):
            return None
        path = index_path(dirs, directory)
        for _attempt in range(2):
            if not _acceptable_file(path):
                _remove(path)
            conn = _connect(path)
            try:
                if _prepare(conn):
                    return Index(conn, path)
            except sqlite3.DatabaseError:
                pass
            conn.close()
            _remove(path)  # corrupt or foreign: start afresh
        return None
    except Exception:
        return None


def _acceptable_file(path: Path) -> bool:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True  # SQLite creates it
    return stat.S_ISREG(st.st_mode) and _ours(st) and st.st_size <= MAX_INDEX_SIZE


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-journal")):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)


def _connect(path: Path) -> sqlite3.Connection:
    quoted = str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    conn = sqlite3.connect(f"file:{quoted}?nofollow=1", uri=True, timeout=60, isolation_level=None)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_LENGTH)
    for pragma in ("trusted_schema=OFF", "cell_size_check=ON", "mmap_size=0", "foreign_keys=OFF", "busy_timeout=60000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _expected_schema(fts: bool) -> list[Row]:
    """sqlite_master of a database made by SCHEMA (and FTS), to compare a found one against."""
    mem = sqlite3.connect(":memory:")
    for sql in SCHEMA + ((FTS,) if fts else ()):
        mem.execute(sql)
    rows = sorted(mem.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"), key=repr)
    mem.close()
    return rows


def _fts_available() -> bool:
    try:
        _expected_schema(True)
        return True
    except sqlite3.OperationalError:
        return False


def _prepare(conn: sqlite3.Connection) -> bool:
    """True when conn holds our schema (creating it in an empty database)."""
    meta = _valid_meta(conn)
    if meta is not None:
        return True
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _valid_meta(conn) is not None:  # another process made it meanwhile
            conn.execute("COMMIT")
            return True
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            conn.execute("ROLLBACK")
            return False  # something else lives here
        fts = _fts_available()
        for sql in SCHEMA + ((FTS,) if fts else ()):
            conn.execute(sql)
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("format", FORMAT), ("version", __version__), ("fts", "1" if fts else "0"), ("set", ""),
                          ("problems", "-1"), ("fts_built", "0")])
        conn.execute("COMMIT")
        return True
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _valid_meta(conn: sqlite3.Connection) -> dict[str, str] | None:
    """The meta table when the schema is exactly ours, else None."""
    found = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"), key=repr)
    if not found:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.DatabaseError:
        return None
    if meta.get("format") != FORMAT or meta.get("fts") not in ("0", "1"):
        return None
    if not _schema_matches(found, meta["fts"] == "1"):
        return None
    return meta


def _own_objects(fts: bool) -> dict[str, tuple[str, str]]:
    """name -> (type, sql) of what SCHEMA (and FTS) create, as sqlite_master records them."""
    out = {}
    for sql in SCHEMA + ((FTS,) if fts else ()):
        words = sql.split("(")[0].split()  # CREATE [VIRTUAL] TABLE|INDEX name ...
        name = words[3] if words[1] == "VIRTUAL" else words[2]
        out[name] = ("index" if words[1] == "INDEX" else "table", sql)
    return out


FTS_SHADOWS = ("items_fts_config", "items_fts_data", "items_fts_docsize", "items_fts_idx")
AUTOINDEXES = ("sqlite_autoindex_files_1",)


def _schema_matches(found: list[Row], fts: bool) -> bool:
    """Exactly our tables and indexes, each as we create it: no trigger, view or table of
    someone else's. (Cheaper than building the schema in memory to compare, which a test does.)"""
    own = _own_objects(fts)
    expected = len(own) + len(AUTOINDEXES) + (len(FTS_SHADOWS) if fts else 0)
    if len(found) != expected:
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
    return len({row[1] for row in found}) == expected


# --- facts as JSON arrays: plain values only, rebuilt into the model's classes here ---------------
# A fact is the list of its fields in the dataclass's order: a stated number as {"number": text},
# its source reference as the list of that reference's fields, its location as the line alone.
# The field names are stored with the data (meta "model") and compared before decoding.


def model_signature() -> str:
    from dataclasses import fields

    from bricli.model.facts import Fact, Source, SourceRef
    from bricli.model.problems import Problem

    return ";".join(",".join(f.name for f in fields(c)) for c in (Fact, SourceRef, Source, Problem))


_NAMES: dict[str, tuple[str, ...]] = {}


def _names(obj: object) -> tuple[str, ...]:
    """The dataclass's field names, looked up once per class (fields() is slow per call)."""
    key = type(obj).__name__
    if key not in _NAMES:
        from dataclasses import fields

        _NAMES[key] = tuple(f.name for f in fields(obj))  # type: ignore[arg-type]
    return _NAMES[key]


SHARED_FIELDS = ("type", "topic", "kind", "countries", "period", "as_of", "when", "metric", "direction", "measure",
                 "unit", "counted", "scale", "qualifier", "basis", "stat_basis", "sector", "status", "stage", "participants")


class _FactShape:
    """Where a Fact's fields sit in its stored array: a stated number (stored as {"number": text}),
    a tuple (a JSON array), its source reference (the reference's fields) and its location
    (the line alone). Worked out once from the dataclass, so encoding and decoding a fact
    touch only those fields (both run once per fact on a cold build)."""

    def __init__(self) -> None:
        from dataclasses import fields
        from operator import attrgetter

        from bricli.model.facts import Fact, SourceRef

        names = [f.name for f in fields(Fact)]
        self.size = len(names)
        self.get = attrgetter(*names)
        self.get_ref = attrgetter(*(f.name for f in fields(SourceRef)))
        self.numbers = [i for i, f in enumerate(fields(Fact)) if "Number" in str(f.type)]
        self.tuples = [i for i, f in enumerate(fields(Fact)) if str(f.type).startswith("tuple")]
        self.source = names.index("source")
        self.loc = names.index("loc")
        # fields whose values repeat across facts (vocabulary, periods, country lists): decoded
        # facts share one copy of each value, which halves the memory a large base takes
        self.shared = [names.index(n) for n in SHARED_FIELDS if n in names]


_SHAPE: list[_FactShape] = []


def _shape() -> _FactShape:
    if not _SHAPE:
        _SHAPE.append(_FactShape())
    return _SHAPE[0]


def encode_fact(f: Fact) -> str:
    shape = _shape()
    row = list(shape.get(f))
    row[shape.source] = shape.get_ref(row[shape.source])
    row[shape.loc] = row[shape.loc].line
    for i in shape.numbers:
        if row[i] is not None:
            row[i] = {"number": row[i].text}
    return json.dumps(row, ensure_ascii=False)


def encode_source(s: Source) -> str:
    return json.dumps([(s.loc.line if s.loc else None) if n == "loc" else getattr(s, n) for n in _names(s)],
                      ensure_ascii=False)


def encode_problem(p: Problem, name: str) -> str:
    return json.dumps([None if n == "file" and p.file == name else getattr(p, n) for n in _names(p)],
                      ensure_ascii=False)


class _Decoder:
    """Rebuilds facts, sources and problems of one file, named as given now."""

    def __init__(self) -> None:
        from dataclasses import fields

        from bricli.model.facts import Fact, Location, Number, Source, SourceRef
        from bricli.model.problems import Problem

        self.Fact, self.Location, self.Number, self.Source, self.SourceRef, self.Problem = \
            Fact, Location, Number, Source, SourceRef, Problem
        self.memo: dict[Any, Any] = {}  # one copy of each repeated value (see SHARED_FIELDS)
        self.source_names = [f.name for f in fields(Source)]
        self.problem_names = [f.name for f in fields(Problem)]

    def fact(self, data: str, name: str) -> Fact:
        shape = _shape()
        row = json.loads(data)
        if not isinstance(row, list) or len(row) != shape.size:
            raise ValueError("not a fact")
        for i in shape.numbers:
            if row[i] is not None:
                row[i] = self.Number(str(row[i]["number"]))
        for i in shape.tuples:
            if row[i] is not None:
                row[i] = tuple(row[i])
        memo = self.memo
        for i in shape.shared:
            v = row[i]
            if v is not None:
                row[i] = memo.setdefault(v, v)
        ref = row[shape.source]
        if isinstance(ref, list) and ref:
            ref[0] = memo.setdefault(ref[0], ref[0])  # the source id
        row[shape.source] = self.SourceRef(*ref)
        row[shape.loc] = self.Location(name, row[shape.loc])
        return self.Fact(*row)

    def source(self, data: str, name: str) -> Source:
        row = json.loads(data)
        if len(row) != len(self.source_names):
            raise ValueError("not a source")
        values: dict[str, Any] = dict(zip(self.source_names, row))
        values["loc"] = self.Location(name, values["loc"])
        return self.Source(**values)

    def problem(self, data: str, name: str) -> Problem:
        row = json.loads(data)
        if len(row) != len(self.problem_names):
            raise ValueError("not a problem")
        values: dict[str, Any] = dict(zip(self.problem_names, row))
        if values["file"] is None:
            values["file"] = name
        return self.Problem(**values)


class Index:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.fts = False
        self.decoded: dict[int, tuple[list[Fact], list[Source], list[Problem]]] = {}  # files read in this build
        self._decoder: _Decoder | None = None
        self.problems = -1  # problems of the base (per file and across files) once synced; -1 unknown
        self.pool: Any = None  # worker processes of a large build, while it runs
        self.fts_dropped = False  # this build has already dropped the full-text index

    def map(self, fn: Callable[[list[Any]], list[Any]], items: list[Any], chunk: int = 1000) -> Iterator[Any]:
        """fn over chunks of items, results in order: in the build's worker processes when it
        has them (a large build), else here."""
        chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
        results = self.pool.map(fn, chunks) if self.pool is not None else map(fn, chunks)
        return (result for part in results for result in part)

    @property
    def decoder(self) -> _Decoder:
        """One decoder for a build, so decoded facts share repeated values across files."""
        if self._decoder is None:
            self._decoder = _Decoder()
        return self._decoder

    def close(self) -> None:
        self.conn.close()

    # --- freshness ---------------------------------------------------------------

    def sync(self, files: list[Path], max_size: int, builder: Callable[[], Builder]) -> bool:
        """Bring the index up to date with `files` (in this order). False when it cannot
        serve them: a file missing, unreadable or over max_size (reading the files
        reports that). `builder()` gives what parses a file and builds the set (called
        only when something is to be built, so a fresh index imports neither)."""
        stats = []
        for p in files:
            try:
                absolute = os.path.abspath(p)
                st = os.stat(absolute)
            except (OSError, ValueError):
                return False
            if st.st_size > max_size or not stat.S_ISREG(st.st_mode):
                return False
            stats.append((p, absolute, st))
        meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        self.fts = meta.get("fts") == "1"
        known = self._files()
        if (meta.get("version") == __version__ and all(_unchanged(known.get(a), st) for _, a, st in stats)
                and meta.get("set") == _set_key(known[a][0] for _, a, _ in stats)):
            self.problems = int(meta.get("problems", "-1"))
            return True
        return self._update(stats, max_size, builder())

    def _files(self) -> dict[str, Row]:
        return {row[0]: row[1:] for row in self.conn.execute(
            "SELECT path, digest, size, mtime_ns, ctime_ns, ino, checked_ns, id, name FROM files")}

    def _update(self, stats: list[tuple[Path, str, os.stat_result]], max_size: int, builder: Builder) -> bool:
        from bricli.load.discover import display_path

        import gc

        c = self.conn
        self.fts_dropped = False
        collecting = gc.isenabled()
        gc.enable()  # parsing makes and drops many objects: collect them as it goes
        c.execute("BEGIN IMMEDIATE")
        try:
            if c.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] != __version__:
                self._clear(SET_TABLES + FILE_TABLES)
                c.execute("UPDATE meta SET value = ? WHERE key = 'version'", (__version__,))
                c.execute("UPDATE meta SET value = '' WHERE key = 'set'")
            model = model_signature()
            if c.execute("SELECT value FROM meta WHERE key = 'model'").fetchone() != (model,):
                self._clear(SET_TABLES + FILE_TABLES)  # parts of another model: read again
                c.execute("UPDATE meta SET value = '' WHERE key = 'set'")
                c.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (model,))
            known = self._files()
            now = time.time_ns()
            digests: list[str] = []
            stale = [(p, a, st) for p, a, st in stats if not _unchanged(known.get(a), st)]

            def reads() -> Iterator[tuple[tuple[Row | None, str, str, str, os.stat_result], bytes]]:
                """Each file to parse (read and hashed here), in order; a file is read only when
                its turn comes, so memory holds the few files in flight, not all of them."""
                for p, absolute, st in stats:
                    entry = known.get(absolute)
                    if entry is not None and _unchanged(entry, st):
                        digests.append(entry[0])
                        continue
                    data = _read(absolute, max_size)
                    if data is None:
                        raise _Unreadable
                    digest = _digest(data)
                    digests.append(digest)
                    if entry is not None and entry[0] == digest:  # touched, not changed: trust it from now on
                        c.execute("UPDATE files SET size=?, mtime_ns=?, ctime_ns=?, ino=?, checked_ns=? WHERE id=?",
                                  (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, now, entry[6]))
                        continue
                    yield (entry, absolute, display_path(Path(p)), digest, st), data

            workers = _workers(len(stale), sum(st.st_size for _, _, st in stale))
            self.pool = _pool(workers) if workers > 1 else None  # kept for the set's derived values too
            try:
                with contextlib.closing(_parse_all(builder.parse_file, reads(), self.pool, workers)) as parsed:
                    for (entry, absolute, name, digest, st), parts in parsed:
                        self._store_file(entry, absolute, name, digest, st, now, parts)
            except _Unreadable:
                c.execute("ROLLBACK")
                return False
            listed = {a for _, a, _ in stats}
            for absolute, entry in known.items():
                if absolute not in listed:
                    self._drop_file(entry[6])
            key = _set_key(digests)
            meta = dict(c.execute("SELECT key, value FROM meta"))
            if meta.get("set") != key:
                problems = self._build_set([p for p, _, _ in stats], builder.build_set)
                c.execute("UPDATE meta SET value = ? WHERE key = 'set'", (key,))
                c.execute("UPDATE meta SET value = ? WHERE key = 'problems'", (str(problems),))
                self.problems = problems
            else:
                self.problems = int(meta.get("problems", "-1"))
            c.execute("COMMIT")
            return True
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
                self.pool = None
            self.decoded.clear()
            self._decoder = None
            if not collecting:
                gc.disable()

    def _clear(self, tables: tuple[str, ...]) -> None:
        for table in tables:
            self.conn.execute(f"DELETE FROM {table}")
        if "rendered" in tables:
            self._fts_stale()

    # --- full-text search: built by the first query that needs it ------------------
    # Its words are most of what a build would write, and most runs never search
    # words; until it is built, a search reads every row's text (instr), as without FTS5.

    def _fts_stale(self) -> None:
        """Rows of `rendered_texts` change: the full-text index no longer answers for them
        (ids are reused), until the next search builds it again. Once per build."""
        if self.fts and not self.fts_dropped:
            self.conn.execute("INSERT INTO items_fts(items_fts) VALUES ('delete-all')")
            self.conn.execute("UPDATE meta SET value = '0' WHERE key = 'fts_built'")
            self.fts_dropped = True

    def full_text(self) -> bool:
        """Whether full-text search can serve a query now, building it if need be."""
        if not self.fts:
            return False
        c = self.conn
        if c.execute("SELECT value FROM meta WHERE key = 'fts_built'").fetchone() == ("1",):
            return True
        try:
            c.execute("BEGIN IMMEDIATE")
            if c.execute("SELECT value FROM meta WHERE key = 'fts_built'").fetchone() != ("1",):
                c.execute("INSERT INTO items_fts(items_fts) VALUES ('rebuild')")
                c.execute("UPDATE meta SET value = '1' WHERE key = 'fts_built'")
            c.execute("COMMIT")
            return True
        except sqlite3.Error:  # locked for too long, read-only: the query reads the rows instead
            if c.in_transaction:
                c.execute("ROLLBACK")
            return False

    def _store_file(self, entry: Row | None, absolute: str, name: str, digest: str, st: os.stat_result, now: int,
                    parts: FileParts) -> None:
        c = self.conn
        if entry is not None:
            self._drop_file(entry[6])
        cur = c.execute("INSERT INTO files(path, name, digest, size, mtime_ns, ctime_ns, ino, checked_ns) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (absolute, name, digest, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, now))
        fid = cur.lastrowid
        assert fid is not None
        sources, problems, rendered = parts
        d = self.decoder  # decoded now, while workers parse the next files: the set's checks need them
        self.decoded[fid] = ([d.fact(texts[0], name) for _, texts in rendered], [d.source(data, name) for data in sources],
                             [d.problem(data, name) for data in problems])
        c.executemany("INSERT INTO sources VALUES (?, ?, ?)", ((fid, i, data) for i, data in enumerate(sources)))
        c.executemany("INSERT INTO problems VALUES (?, ?, ?)", ((fid, i, data) for i, data in enumerate(problems)))
        self._store_rendered(fid, rendered)

    def _store_rendered(self, fid: int, rendered: Rendered) -> None:
        c = self.conn
        self._fts_stale()
        next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM rendered").fetchone()[0]
        keys: list[Row] = []
        texts: list[Row] = []
        for seq, (narrow, words) in enumerate(rendered):
            keys.append((next_id + seq, fid, seq, *narrow))
            texts.append((next_id + seq, *words))
            if len(keys) >= BATCH:  # in batches: memory holds a batch of rendered text, not all of it
                self._insert_rendered(keys, texts)
        self._insert_rendered(keys, texts)

    def _insert_rendered(self, keys: list[Row], texts: list[Row]) -> None:
        self.conn.executemany(f"INSERT INTO rendered VALUES ({', '.join('?' * 19)})", keys)
        self.conn.executemany(f"INSERT INTO rendered_texts VALUES ({', '.join('?' * 9)})", texts)
        keys.clear()
        texts.clear()

    def _drop_rendered(self, fid: int) -> None:
        c = self.conn
        self._fts_stale()
        c.execute("DELETE FROM rendered_texts WHERE id IN (SELECT id FROM rendered WHERE file = ?)", (fid,))
        c.execute("DELETE FROM rendered WHERE file = ?", (fid,))

    def _drop_file(self, fid: int) -> None:
        self._drop_rendered(fid)
        for table in ("sources", "problems"):
            self.conn.execute(f"DELETE FROM {table} WHERE file = ?", (fid,))
        self.conn.execute("DELETE FROM files WHERE id = ?", (fid,))

    def _build_set(self, files: list[Path], build_set: BuildSet) -> int:
        c = self.conn
        self._clear(SET_TABLES)
        self._drop_rendered(DERIVED_FILE)
        problems, derived, sources, extra = build_set(self, files)
        c.execute("DELETE FROM meta WHERE key LIKE 'set.%'")
        c.executemany("INSERT INTO meta VALUES (?, ?)", ((f"set.{k}", v) for k, v in extra.items()))
        if not problems:
            self._store_rendered(DERIVED_FILE, derived)
            # facts in the order of the files given, then the derived values
            c.execute("CREATE TEMP TABLE IF NOT EXISTS file_order(file INTEGER PRIMARY KEY, pos INTEGER NOT NULL)")
            c.execute("DELETE FROM temp.file_order")
            ids = {row[0]: row[1] for row in c.execute("SELECT path, id FROM files")}
            c.executemany("INSERT INTO temp.file_order VALUES (?, ?)",
                          [(ids[os.path.abspath(p)], pos) for pos, p in enumerate(files)] + [(DERIVED_FILE, len(files))])
            # ord is numbered in the order rows are inserted (the table is empty): the ORDER BY's
            c.execute("INSERT INTO items(item, derived, type, topic, kind, direction, measure, sector, status, stage, "
                      "stat_basis, source, first, last, short) SELECT r.id, r.derived, r.type, r.topic, r.kind, r.direction, "
                      "r.measure, r.sector, r.status, r.stage, r.stat_basis, r.source, r.first, r.last, r.short "
                      "FROM rendered r JOIN temp.file_order o ON o.file = r.file ORDER BY o.pos, r.seq")
            c.executemany("INSERT OR IGNORE INTO item_countries VALUES (?, ?)",
                          ((code, ord_) for ord_, codes in c.cursor().execute(
                              "SELECT i.ord, r.countries FROM items i JOIN rendered r ON r.id = i.item "
                              "WHERE r.countries != ''") for code in codes.split(" ")))
            c.executemany("INSERT INTO set_sources VALUES (?, ?, ?, ?)", sources)
            c.execute("DROP TABLE temp.file_order")
        return problems


    # --- reading ------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A value the set-level builder stored (`extra` of build_set)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (f"set.{key}",)).fetchone()
        return row[0] if row else None

    def load(self, files: list[Path]) -> tuple[list[Fact], list[Source], list[Problem]]:
        """(facts, sources in file order, per-file problems) as reading the files gives
        them, each named by the path as given now."""
        from bricli.load.discover import display_path

        if self.conn.execute("SELECT value FROM meta WHERE key = 'model'").fetchone() != (model_signature(),):
            raise ValueError("the index holds another model's facts")
        d = self.decoder
        facts: list[Fact] = []
        sources: list[Source] = []
        problems: list[Problem] = []
        ids = {row[0]: row[1] for row in self.conn.execute("SELECT path, id FROM files")}
        for p in files:
            fid = ids[os.path.abspath(p)]
            name = display_path(Path(p))
            if fid in self.decoded:  # read in this build
                facts.extend(self.decoded[fid][0])
                sources.extend(self.decoded[fid][1])
                problems.extend(self.decoded[fid][2])
                continue
            rows = "SELECT data FROM {} WHERE file = ? ORDER BY seq"
            facts.extend(d.fact(data, name) for (data,) in self.conn.execute(
                "SELECT t.data FROM rendered r JOIN rendered_texts t ON t.id = r.id WHERE r.file = ? ORDER BY r.seq", (fid,)))
            sources.extend(d.source(data, name) for (data,) in self.conn.execute(rows.format("sources"), (fid,)))
            problems.extend(d.problem(data, name) for (data,) in self.conn.execute(rows.format("problems"), (fid,)))
        return facts, sources, problems


class _Unreadable(Exception):
    """A file could not be read while building: reading the files reports why."""


def _parse_all(parse_file: Callable[[str, bytes], FileParts], jobs: Iterator[tuple[T, bytes]],
               pool: Any, workers: int) -> Generator[tuple[T, FileParts], None, None]:
    """(tag, parse_file(name, data)) of each (tag, data) job, tag[2] being the name, in order.
    In the pool's worker processes when there is one: parsing YAML is most of a cold build, and
    one process uses one CPU. Jobs are taken a few ahead of the results given, so memory
    holds a few files at a time."""
    if pool is None:
        for tag, data in jobs:
            yield tag, parse_file(tag[2], data)
        return
    from collections import deque

    pending: deque[Any] = deque()
    try:
        for tag, data in jobs:
            pending.append((tag, pool.submit(parse_file, tag[2], data)))
            del data
            if len(pending) > 2 * workers:  # a few files ahead: enough to keep every worker busy
                tag, future = pending.popleft()
                yield tag, future.result()
        while pending:
            tag, future = pending.popleft()
            yield tag, future.result()
    finally:
        for _, future in pending:  # stopped early (an unreadable file, Ctrl-C): nothing more to parse
            future.cancel()


def _workers(files: int, size: int) -> int:
    """How many processes parse `files` files of `size` bytes in all (1: this one)."""
    if files < 2 or size < PARALLEL_BYTES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))  # the CPUs this process may use, not all the machine has
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_WORKERS, files)


def _pool(workers: int) -> Any:
    """A process pool, or None where processes cannot be made (no working semaphores in a
    sandbox, say): the caller then parses in this process."""
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: a worker starts with bricli already imported (spawn would import it again)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start)
    except (ImportError, NotImplementedError, OSError, ValueError):
        return None


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: it stops the build and the workers with it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _unchanged(entry: Row | None, st: os.stat_result) -> bool:
    """The fast path: the file looks exactly as when its content was last checked,
    and that check was late enough after its last modification to have seen it."""
    return (entry is not None and entry[1] == st.st_size and entry[2] == st.st_mtime_ns and entry[3] == st.st_ctime_ns
            and entry[4] == st.st_ino and entry[5] - st.st_mtime_ns > TRUST_AFTER_NS)


def _set_key(digests: Iterable[str]) -> str:
    return " ".join([__version__, FORMAT, *digests])  # compared whole: a few KB even for hundreds of files


def _read(path: str, max_size: int) -> bytes | None:
    """The file's bytes, never more than max_size (a file growing meanwhile is not read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_size + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_size:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
