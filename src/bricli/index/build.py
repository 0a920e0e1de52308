"""Fact files to stored rows: what a changed file gave, and what the set of files gives.

Per file: its bytes are hashed (BLAKE2b) and parsed, in worker processes when there is much
to read (PARALLEL_BYTES); its sources, problems and facts are stored, each fact with the
columns filters read, its fields and its record (objects.py), and a checksum. Per set: the
checks across files, the derived values (stored as file 0), the set's order (`items`), its
sources with their registry block, and the years it covers (for TAB on --year). A file's
size, mtime, ctime and inode are a fast path that skips reading it, trusted only when the
file was checked more than TRUST_AFTER_NS after its mtime (a same-second edit is not missed).
Everything runs in one `BEGIN IMMEDIATE` transaction that re-checks freshness once it holds
the lock, so two processes building at once do the work once, and a reader sees all of a
build or none of it.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import signal
import sqlite3
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from bricli import __version__
from bricli.analysis.derive import Derived, derive_all
from bricli.analysis.matching import searchable, span
from bricli.analysis.steps import project_statuses
from bricli.index import codec, schema
from bricli.index.freshness import UNREADABLE, FileState, known_files, set_key, unchanged
from bricli.index.location import digest
from bricli.index.objects import (Decoder, encode_problem, encode_source, model_signature, pack_item,
                                  pack_record, registry_block)
from bricli.load import batches
from bricli.load.assemble import (FileChanged, FileResult, assemble, base_problems, load_file, parse_bytes,
                                  read_bounded)
from bricli.load.discover import display_path
from bricli.model.facts import Fact, Source
from bricli.model.periods import years_covered
from bricli.model.problems import Problem
from bricli.model.wording import source_line

BATCH = 2000  # rows inserted at a time: memory holds a batch, not a file's worth
PARALLEL_BYTES = 2 << 20  # a build with this many bytes to read parses them in worker processes
MAX_WORKERS = 8
NO_FULL_COLLECTION = 2**31 - 1  # the collector's third threshold (a C int) that a build never reaches

Row = tuple[Any, ...]


class FileParts(NamedTuple):
    """What one fact file gives the index (plain values: it crosses from a worker process)."""

    sources: list[str]
    problems: list[str]
    facts: list[Row]  # each: filter values, countries, stored fact (its text), packed record
    # what reading gave, when the file was read in this process: the set's checks take its facts
    # as they are instead of decoding their stored texts (None from a worker: objects do not
    # cross the pipe, texts do, more cheaply)
    read: FileResult | None = None


# --- one file --------------------------------------------------------------------------------


def filter_values(item: Fact | Derived) -> tuple[Row, str]:
    """The filter columns of an item (schema.FILTER_COLUMNS) and its country codes."""
    s = span(item)
    source = item.source_id if isinstance(item, Derived) else item.source.id
    values = (int(isinstance(item, Derived)), item.type, item.topic, *(getattr(item, n, None) for n in schema.FIELD_COLUMNS),
              source, s[0].isoformat() if s else None,
              s[1].isoformat() if s else None, int((s[1] - s[0]).days <= schema.SHORT_DAYS) if s else None)
    return values, " ".join(item.countries)


def stored_row(item: Fact | Derived) -> Row:
    filters, countries = filter_values(item)
    return (*filters, countries, pack_item(item), pack_record(item))


def _file_parts(r: FileResult, name: str, keep: bool = False) -> FileParts:
    return FileParts([encode_source(s) for s in r.sources], [encode_problem(p, name) for p in r.problems],
                     [stored_row(f) for f in r.facts], r if keep else None)


def parse_file(name: str, data: bytes, keep: bool = False) -> FileParts:
    """Read one fact file's bytes. Runs in a worker process on a large build; `keep`: the parts
    also carry what reading gave (read in this process)."""
    return _file_parts(parse_bytes(name, data), name, keep)


# --- a large file, parsed and stored a batch at a time (load/batches.py; issue 19 item 4) ----------

def parse_piece(name: str, doc: bytes, piece: batches.Piece) -> FileParts:
    """One batch of a large file, at its lines in the file. Runs in a worker process on a large build."""
    return _file_parts(batches.read_piece(name, doc, piece), name)


class Batches:
    """A large file's parts, in order, a batch at a time: parsed in the pool's worker processes when
    there is one, a few batches ahead of the one stored, so memory holds a few batches, not the
    file's tree. Iterating raises batches.Unbatchable when the file must be read whole after all
    (`data` is kept for that)."""

    def __init__(self, name: str, data: bytes, pieces: list[batches.Piece], pool: Any, workers: int):
        self.name, self.data, self.pieces, self.pool, self.workers = name, data, pieces, pool, workers

    def __iter__(self) -> Iterator[FileParts]:
        tally = batches.Tally()
        pending: deque[Any] = deque()
        try:
            for piece in self.pieces:
                doc = batches.piece_bytes(self.data, piece)
                if self.pool is None:
                    pending.append(parse_piece(self.name, doc, piece))
                else:
                    pending.append(self.pool.submit(parse_piece, self.name, doc, piece))
                del doc
                while len(pending) > 2 * self.workers or (pending and isinstance(pending[0], FileParts)):
                    yield self._counted(pending.popleft(), tally)
            while pending:
                yield self._counted(pending.popleft(), tally)
        finally:
            for job in pending:
                if not isinstance(job, FileParts):
                    job.cancel()

    @staticmethod
    def _counted(job: Any, tally: batches.Tally) -> FileParts:
        parts: FileParts = job if isinstance(job, FileParts) else job.result()
        tally.add(len(parts.problems))
        return parts


def _batched(tag: tuple[Any, ...], data: bytes | None, pool: Any, workers: int) -> Batches | None:
    """A large file's batches; None for any other (read whole, as always)."""
    pieces = batches.plan(data) if data is not None else None
    return Batches(tag[3], data, pieces, pool, workers) if pieces is not None and data is not None else None

# --- end of the large file's batches ----------------------------------------------------------------


def unreadable_parts(path: Path, max_size: int) -> FileParts:
    """A file that could not be read: the problem reading it reports (too big, not a file...)."""
    r = load_file(path, max_size)
    return _file_parts(r, r.path, keep=True)


def _read(path: Path, max_size: int, retry_changed: bool) -> bytes | None:
    try:
        return read_bounded(path, max_size)
    except FileChanged:
        if retry_changed:  # replaced since it was listed (an editor saving it): the engine lists the files again
            raise
        return None
    except Exception:  # too big, not a regular file, unreadable: load_file says which
        return None


# --- the build -----------------------------------------------------------------------------------


class Build:
    """Bring an index up to date with `files` (in this order), in one write transaction."""

    def __init__(self, conn: sqlite3.Connection, fts: bool):
        self.conn = conn
        self.fts = fts
        self.decoder = Decoder()
        self.decoded: dict[int, tuple[list[Fact], list[Source], list[Problem]]] = {}  # files read in this build
        self.pool: Any = None
        self.fts_dropped = False

    def run(self, files: list[Path], max_size: int, progress: Callable[[int, int], None] | None = None,
            retry_changed: bool = False) -> str:
        """Build what is stale; returns the set's key (what readers compare to serve it). With
        `retry_changed`, a file replaced since it was listed stops the build (FileChanged, nothing
        stored) for the caller to list the files again; without, it is a problem of the base."""
        c = self.conn
        collecting, thresholds = gc.isenabled(), gc.get_threshold()
        c.execute("BEGIN IMMEDIATE")
        try:
            self._check_versions()
            stats = []
            for p in files:
                absolute = os.path.abspath(p)
                try:
                    st = os.stat(absolute)
                except (OSError, ValueError):
                    st = None
                stats.append((p, absolute, st))
            known = known_files(c)
            now = time.time_ns()
            digests: list[str] = []
            stale = [(p, a, st) for p, a, st in stats if st is None or not unchanged(known.get(a), st)]
            total = sum(st.st_size for _, _, st in stale if st is not None)

            def reads() -> Iterator[tuple[tuple[Any, ...], bytes | None]]:
                """Each file to parse (read and hashed here), in order, read only when its turn comes."""
                for p, absolute, st in stats:
                    entry = known.get(absolute)
                    if st is not None and unchanged(entry, st):
                        digests.append(entry.digest)  # type: ignore[union-attr]
                        continue
                    data = _read(Path(p), max_size, retry_changed) if st is not None else None
                    found = digest(data) if data is not None else UNREADABLE
                    digests.append(found)
                    if data is not None and entry is not None and entry.digest == found:
                        assert st is not None  # touched, not changed: trusted from now on
                        c.execute("UPDATE files SET size=?, mtime_ns=?, ctime_ns=?, ino=?, checked_ns=? WHERE id=?",
                                  (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, now, entry.id))
                        continue
                    yield (entry, absolute, Path(p), display_path(Path(p)), found, st), data

            workers = _workers(len(stale), total)
            self.pool = _pool(workers) if workers > 1 else None  # kept for the set's derived values too
            # parsing makes and drops many objects, some in cycles: the process that parses collects
            # them as it goes (a worker: _worker_start). This one then only decodes and stores, and
            # what it keeps (the decoded facts) lives to the end of the build: scanning it again
            # and again cost about 1 s at 100,000 facts, and freed nothing. Parsing here, without
            # workers, only the young generations are collected (a file's garbage); what survives
            # them, mostly what is kept, is not scanned again (the build's CPU time about 0.88x).
            # Not gc.freeze(): unfreezing at the end would thaw the caller's frozen objects too
            # (bricli's own run freezes what it imported)
            if self.pool is None:
                gc.set_threshold(thresholds[0], thresholds[1], NO_FULL_COLLECTION)
                gc.enable()
            else:
                gc.disable()
            done = 0
            with contextlib.closing(_parse_all(reads(), self.pool, workers, max_size)) as parsed:
                for (entry, absolute, _path, name, found, st), parts in parsed:
                    self._store_file(entry, absolute, name, found, st, now, parts)
                    done += st.st_size if st is not None else 0
                    if progress:
                        progress(done, total)
            listed = {a for _, a, _ in stats}
            for absolute, entry in known.items():
                if absolute not in listed:
                    self._drop_file(entry.id)
            numbers = dict(c.execute("SELECT path, id FROM files"))  # every listed file has its row by now
            key = set_key([(numbers[a], d) for (_, a, _), d in zip(stats, digests)])
            if c.execute("SELECT value FROM meta WHERE key = 'set'").fetchone() != (key,):
                self._build_set([p for p, _, _ in stats], numbers)
                c.execute("UPDATE meta SET value = ? WHERE key = 'set'", (key,))
            c.execute("COMMIT")
            return key
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
                self.pool = None
            self.decoded.clear()
            gc.set_threshold(*thresholds)
            if collecting:
                gc.enable()
            else:
                gc.disable()

    def _check_versions(self) -> None:
        """Parts stored by another bricli or another fact model are read again."""
        c = self.conn
        meta = dict(c.execute("SELECT key, value FROM meta"))
        model = model_signature()
        if meta.get("version") != __version__ or meta.get("model") != model:
            self._clear(schema.SET_TABLES + schema.FILE_TABLES)
            c.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          [("version", __version__), ("model", model), ("set", ""), ("problems", "-1")])

    def _clear(self, tables: tuple[str, ...]) -> None:
        for table in tables:
            self.conn.execute(f"DELETE FROM {table}")
        if "stored" in tables:
            self._fts_stale()

    def _fts_stale(self) -> None:
        """Stored rows change: the full-text index no longer answers for them (ids are reused)
        until the next search fills it again. Once per build."""
        if self.fts and not self.fts_dropped:
            self.conn.execute("INSERT INTO words(words) VALUES ('delete-all')")
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('fts_built', '0')")
            self.fts_dropped = True

    def _store_file(self, entry: FileState | None, absolute: str, name: str, found: str, st: os.stat_result | None,
                    now: int, parts: FileParts | Batches) -> None:
        c = self.conn
        if entry is not None:
            self._drop_file(entry.id)
        size, mtime, ctime, ino = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if st else (0, 0, 0, 0)
        cur = c.execute(schema.insert_sql("files", ("path", "name", "digest", "size", "mtime_ns", "ctime_ns", "ino",
                                                    "checked_ns")),
                        (absolute, name, found, size, mtime, ctime, ino, now))
        fid = cur.lastrowid
        assert fid is not None
        if isinstance(parts, Batches):  # --- a large file, a batch at a time (issue 19 item 4)
            whole = self._store_batches(fid, name, parts)
            if whole is None:
                return
            parts = whole
        if parts.read is not None:  # read in this process: its facts as they are (decoding cost 0.06x CSafeLoader)
            self.decoded[fid] = (parts.read.facts, parts.read.sources, parts.read.problems)
        else:
            d = self.decoder  # decoded now, while workers parse the next files: the set's checks need them
            facts = [d.fact(row[-2], name) for row in parts.facts]
            self.decoded[fid] = ([f for f in facts if isinstance(f, Fact)],
                                 [d.source(s, name) for s in parts.sources],
                                 [d.problem(p, name) for p in parts.problems])
        self._store_blobs("sources", fid, [codec.pack(s) for s in parts.sources])
        self._store_blobs("problems", fid, [codec.pack(p) for p in parts.problems])
        self._store_rows(fid, parts.facts)

    def _store_batches(self, fid: int, name: str, parts: Batches) -> FileParts | None:
        """Store a large file's batches as they come (issue 19 item 4): the same rows, seq numbers
        and decoded facts as the file read whole. When the batches meet something odd, what they
        stored is taken back and the file is read whole here (its parts returned to store)."""
        d = self.decoder
        facts: list[Fact] = []
        sources: list[Source] = []
        problems: list[Problem] = []
        rows = 0
        try:
            for part in parts:
                facts += [f for f in (d.fact(row[-2], name) for row in part.facts) if isinstance(f, Fact)]
                self._store_blobs("sources", fid, [codec.pack(s) for s in part.sources], first=len(sources))
                self._store_blobs("problems", fid, [codec.pack(p) for p in part.problems], first=len(problems))
                self._store_rows(fid, part.facts, first=rows)
                rows += len(part.facts)
                sources += [d.source(s, name) for s in part.sources]
                problems += [d.problem(p, name) for p in part.problems]
        except batches.Unbatchable:
            for table in ("stored", "sources", "problems"):
                self.conn.execute(f"DELETE FROM {table} WHERE file = ?", (fid,))
            return parse_file(name, parts.data, keep=True)
        parts.data = b""  # all stored: the file's bytes are not kept through the set's checks
        self.decoded[fid] = (facts, sources, problems)
        return None

    def _store_blobs(self, table: str, fid: int, blobs: list[bytes], first: int = 0) -> None:
        self.conn.executemany(schema.insert_sql(table, ("file", "seq", "data", "crc")),
                              ((fid, i, data, codec.crc((fid, i), data)) for i, data in enumerate(blobs, first)))

    def _store_rows(self, fid: int, rows: Iterable[Row], first: int = 0) -> None:
        c = self.conn
        self._fts_stale()
        next_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM stored").fetchone()[0]
        sql = schema.insert_sql("stored", schema.STORED_COLUMNS)
        batch: list[Row] = []
        for seq, row in enumerate(rows, first):  # first: the seq of a large file's batch (issue 19 item 4)
            rid = next_id + seq - first
            batch.append((rid, fid, seq, *row, codec.crc((rid, fid, seq, *row[:-2]), *row[-2:])))
            if len(batch) >= BATCH:
                c.executemany(sql, batch)
                batch.clear()
        c.executemany(sql, batch)

    def _drop_file(self, fid: int) -> None:
        self._fts_stale()
        for table in ("stored", "sources", "problems"):
            self.conn.execute(f"DELETE FROM {table} WHERE file = ?", (fid,))
        self.conn.execute("DELETE FROM files WHERE id = ?", (fid,))

    def _decoded_file(self, fid: int, name: str) -> tuple[list[Fact], list[Source], list[Problem]]:
        if fid in self.decoded:
            return self.decoded[fid]
        d = self.decoder
        facts = [d.fact(data, name) for (data,) in self.conn.execute(
            "SELECT fact FROM stored WHERE file = ? ORDER BY seq", (fid,))]
        blobs = "SELECT data FROM {} WHERE file = ? ORDER BY seq"
        return ([f for f in facts if isinstance(f, Fact)],
                [d.source(data, name) for (data,) in self.conn.execute(blobs.format("sources"), (fid,))],
                [d.problem(data, name) for (data,) in self.conn.execute(blobs.format("problems"), (fid,))])

    def _build_set(self, files: list[Path], ids: dict[str, int]) -> None:
        """The checks across files; when they pass, the derived values, the set's order, its
        sources and the years it covers. `ids`: each file's number, by its absolute path."""
        c = self.conn
        self._clear(schema.SET_TABLES)
        self._set_counts()
        self._drop_file(schema.DERIVED_FILE)
        facts: list[Fact] = []
        source_list: list[Source] = []
        problems: list[Problem] = []
        order = []
        place: dict[str, tuple[int, int]] = {}  # fact id -> (file, seq) of its stored row
        for p in files:
            fid = ids[os.path.abspath(p)]
            order.append(fid)
            file_facts, file_sources, file_problems = self._decoded_file(fid, display_path(Path(p)))
            place.update((f.id, (fid, seq)) for seq, f in enumerate(file_facts))
            facts += file_facts
            source_list += file_sources
            problems += file_problems
        base = assemble(facts, source_list, files, [])
        across = base_problems(base, source_list, problems)
        self._store_blobs("problems", schema.DERIVED_FILE, [codec.pack(encode_problem(p, "")) for p in across])
        c.execute("INSERT OR REPLACE INTO meta VALUES ('problems', ?)", (str(len(problems) + len(across)),))
        if problems or across:
            return
        derived = derive_all(base.facts, lookup=base.facts)
        self._current_statuses(base.facts, place, {sid: src.date for sid, src in base.sources.items()})
        self._store_rows(schema.DERIVED_FILE, _map(_stored_rows, derived, self.pool))
        self._fill_items(order)
        self._set_counts()
        blocks = []
        for s in base.sources.values():
            row = (s.id, s.reliability, source_line(s), codec.pack(encode_source(s)),
                   registry_block(s.title, s.date, s.url))
            blocks.append((*row, codec.crc(row[:3], *row[3:])))
        c.executemany(schema.insert_sql("set_sources", ("id", "reliability", "line", "data", "block", "crc")), blocks)
        c.execute("INSERT OR REPLACE INTO meta VALUES ('years', ?)", (json.dumps(years_covered(base.facts)),))


    def _fill_items(self, order: list[int]) -> None:
        """The set's order (`items`: the facts in the order of the files given, then the derived
        values, numbered from 1) and each item's countries, made inside SQLite from the stored rows;
        an item's checksum is summed by codec.crc over its place and id, as a query sums it."""
        c = self.conn
        for sql in schema.ITEM_INDEXES:
            c.execute(f"DROP INDEX {schema.index_name(sql)}")
        c.execute("CREATE TEMP TABLE IF NOT EXISTS file_order(file INTEGER PRIMARY KEY, pos INTEGER NOT NULL)")
        c.execute("DELETE FROM temp.file_order")
        c.executemany("INSERT INTO temp.file_order VALUES (?, ?)",
                      [(fid, pos) for pos, fid in enumerate(order)] + [(schema.DERIVED_FILE, len(order))])
        c.create_function("bricli_item_crc", 2, _item_crc, deterministic=True)
        try:
            names = ", ".join(schema.FILTER_COLUMNS)
            insert = f"INSERT INTO items({', '.join(schema.ITEM_COLUMNS)}) "
            offset = _id_offset(c, [*order, schema.DERIVED_FILE])
            if offset is not None:  # the rows' ids already run in the set's order: no sort
                c.execute(f"{insert} SELECT id - ?1, id, {names}, bricli_item_crc(id - ?1, id) "
                          "FROM stored ORDER BY id", (offset,))
            else:
                c.execute(f"{insert} SELECT n, id, {names}, bricli_item_crc(n, id) FROM "
                          f"(SELECT row_number() OVER (ORDER BY o.pos, s.seq) AS n, s.id, "
                          f"{', '.join(f's.{n}' for n in schema.FILTER_COLUMNS)} "
                          "FROM stored s JOIN temp.file_order o ON o.file = s.file)")
        finally:
            c.create_function("bricli_item_crc", 2, None)
        # each code of an item's countries (a text of codes one space apart), split in SQL
        c.execute("WITH RECURSIVE split(ord, code, rest) AS ("
                  "SELECT i.ord, NULL, s.countries || ' ' FROM items i JOIN stored s ON s.id = i.item "
                  "WHERE s.countries <> '' "
                  "UNION ALL SELECT ord, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) "
                  "FROM split WHERE rest <> '') "
                  "INSERT OR IGNORE INTO item_countries SELECT code, ord FROM split WHERE code IS NOT NULL")
        c.execute("DROP TABLE temp.file_order")
        for sql in schema.ITEM_INDEXES:
            c.execute(sql)

    def _set_counts(self) -> None:
        """The rows of the set's narrow tables, as the engine compares them before a query
        (engine.Engine.check_counts): a row deleted from them is never read, so no checksum finds it."""
        c = self.conn
        c.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                      [(table, str(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])) for table in schema.COUNTED])

    def _current_statuses(self, facts: list[Fact], place: dict[str, tuple[int, int]], source_dates: dict[str, str]) -> None:
        """A project's status filter column and record say its current status (analysis/steps.py: from
        its latest dated milestone, which may sit in another file); its stored fact keeps the status its
        source states, so the next build decides again from what the files say; the engine gives a
        decoded project the status of its row (engine.current)."""
        c = self.conn
        current = project_statuses(facts, source_dates)
        for f in facts:
            now = current.get(f.id)
            if now is None:
                continue
            fid, seq = place[f.id]
            rid, stored_status, fact_blob = c.execute("SELECT id, status, fact FROM stored WHERE file = ? AND seq = ?",
                                                      (fid, seq)).fetchone()
            if stored_status == now.status:  # a row another build set stays right only while it still is
                continue
            shown = replace(f, status=now.status)
            filters, countries = filter_values(shown)
            record = pack_record(shown)
            c.execute("UPDATE stored SET status = ?, record = ?, crc = ? WHERE id = ?",
                      (now.status, record, codec.crc((rid, fid, seq, *filters, countries), fact_blob, record), rid))


def _id_offset(conn: sqlite3.Connection, order: list[int]) -> int | None:
    """When the stored rows of the files in `order`, taken file by file in that order and each
    file's by seq, have ids that run on without a gap, and no other file has rows (as after a
    cold build, which stores the files in this order and the derived values last): what to take
    from a row's id to number it in the set from 1. Otherwise None."""
    ranges = {fid: (low, high, n) for fid, low, high, n in
              conn.execute("SELECT file, min(id), max(id), count(*) FROM stored GROUP BY file")}
    if len(set(order)) != len(order) or not ranges.keys() <= set(order):
        return None
    first = following = None
    for fid in order:
        if fid not in ranges:
            continue  # a file without facts
        low, high, n = ranges[fid]  # a file's ids follow its seq (_store_rows): a run without gaps is in order
        if high - low + 1 != n or (following is not None and low != following):
            return None
        first = low if first is None else first
        following = high + 1
    return None if first is None else first - 1


def _item_crc(ord_: int, item: int) -> int:
    return codec.crc((ord_, item))


def _stored_rows(items: list[Derived]) -> list[Row]:
    return [stored_row(d) for d in items]


def fill_words(conn: sqlite3.Connection) -> None:
    """The full-text index of every stored row's searchable text (the first search builds it)."""
    d = Decoder()
    names = dict(conn.execute("SELECT id, name FROM files"))
    conn.executemany("INSERT INTO words(rowid, text) VALUES (?, ?)",
                     ((rid, searchable(d.fact(data, names.get(fid, "")))) for rid, fid, data in
                      conn.execute("SELECT id, file, fact FROM stored")))


# --- worker processes ------------------------------------------------------------------------------


def _parse_all(jobs: Iterator[tuple[tuple[Any, ...], bytes | None]], pool: Any, workers: int,
               max_size: int) -> Generator[tuple[tuple[Any, ...], FileParts | Batches], None, None]:
    """(tag, parts) of each job (tag[2] the path, tag[3] the name), in order: in the pool's
    worker processes when there is one (parsing YAML is most of a cold build, and one process
    uses one CPU), a few files ahead of the results given, so memory holds a few files."""
    def here(tag: tuple[Any, ...], data: bytes | None) -> FileParts:
        return parse_file(tag[3], data, keep=True) if data is not None else unreadable_parts(tag[2], max_size)

    if pool is None:
        for tag, data in jobs:
            yield tag, _batched(tag, data, None, 1) or here(tag, data)  # _batched: a large file (issue 19 item 4)
        return
    pending: deque[Any] = deque()
    try:
        for tag, data in jobs:
            big = _batched(tag, data, pool, workers)  # a large file, parsed a batch at a time (issue 19 item 4)
            if big is not None:
                pending.append((tag, big))
            elif data is None:
                pending.append((tag, here(tag, data)))
            else:
                pending.append((tag, pool.submit(parse_file, tag[3], data)))
            del data, big
            while len(pending) > 2 * workers or (pending and isinstance(pending[0][1], (FileParts, Batches))):
                tag, job = pending.popleft()
                yield tag, job if isinstance(job, (FileParts, Batches)) else job.result()
        while pending:
            tag, job = pending.popleft()
            yield tag, job if isinstance(job, (FileParts, Batches)) else job.result()
    finally:
        for _, job in pending:  # stopped early (Ctrl-C): nothing more to parse
            if not isinstance(job, (FileParts, Batches)):
                job.cancel()


def _map(fn: Callable[[list[Any]], list[Any]], items: list[Any], pool: Any, chunk: int = 1000) -> Iterator[Any]:
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    results = pool.map(fn, chunks) if pool is not None else map(fn, chunks)
    return (result for part in results for result in part)


def _workers(files: int, size: int) -> int:
    """How many processes parse `files` files of `size` bytes in all (1: this one). One file
    large enough to be read in batches (load/batches.py) has its batches parsed in parallel."""
    one_large = files == 1 and size >= batches.BATCH_BYTES
    if size < PARALLEL_BYTES or (files < 2 and not one_large):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))  # the CPUs this process may use, not all the machine has
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_WORKERS, MAX_WORKERS if one_large else files)


def _pool(workers: int) -> Any:
    """A process pool, or None where processes cannot be made (no working semaphores in a
    sandbox): the build then parses in this process."""
    try:
        # fork: a worker starts with bricli already imported (spawn would import it again)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start)
    except (ImportError, NotImplementedError, OSError, ValueError):
        return None


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: it stops the build and the workers with it. A worker
    parses: it collects the cycles parsing leaves as it goes (the parent may run without)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()

