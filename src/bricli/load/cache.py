"""Cache of parsed and validated fact files: one entry per fact file.

Reading a fact file means parsing YAML event by event and validating every
field; for a large base that is most of a command's time. The cache keeps,
for each file, what `load.load_file` made of it (sources, facts and the
problems found in that file alone) and hands it back while the file is
unchanged. Cross-file checks (unique ids, references) still run on every
load, and `bricli check` never uses the cache.

- Where: $BRICLI_CACHE_DIR, else $XDG_CACHE_HOME/bricli, else ~/.cache/bricli.
- Key: the file's absolute path, size and mtime_ns, bricli's version and this
  module's FORMAT (which includes the field lists of the model); any
  difference makes the entry stale, and it is rebuilt from the file.
- Trust: an entry is a header, a CRC-32 and a `marshal` payload of plain
  values (strings, numbers, tuples) rebuilt into the model's classes here;
  nothing in it can name a class or run code. An entry that is truncated,
  corrupt, from another version or not what is expected is ignored (every
  exception on reading it is caught) and rewritten.
- Writes are atomic (temporary file, then rename) and failures to write are
  silent: a cache that cannot be written never breaks a command.
"""

from __future__ import annotations

import marshal
import os
import zlib
from dataclasses import fields
from pathlib import Path

from bricli import __version__
from bricli.load.assemble import DEFAULT_MAX_FILE_SIZE, FileResult, load_file
from bricli.load.discover import display_path
from bricli.model.fields import FACT_FIELDS
from bricli.model.facts import Fact, Location, Number, Source, SourceRef
from bricli.model.problems import Problem

ENV_CACHE_DIR = "BRICLI_CACHE_DIR"
MAGIC = b"BRICLI-CACHE\n"
_FACT_NAMES = tuple(f.name for f in fields(Fact))
_SOURCE_NAMES = tuple(f.name for f in fields(Source))
_PROBLEM_NAMES = tuple(f.name for f in fields(Problem))
_REF_NAMES = tuple(f.name for f in fields(SourceRef))
# bump the number when the encoding changes; the field lists make a model change invalidate entries too
FORMAT = f"1|{','.join(_FACT_NAMES)}|{','.join(_SOURCE_NAMES)}|{','.join(_PROBLEM_NAMES)}|{','.join(_REF_NAMES)}"

_NUMBER_AT = tuple(i for i, n in enumerate(_FACT_NAMES) if n in {s.name for s in FACT_FIELDS if s.kind == "number"})
_SOURCE_AT = _FACT_NAMES.index("source")
_LOC_AT = _FACT_NAMES.index("loc")
_SRC_LOC_AT = _SOURCE_NAMES.index("loc")


def cache_dir(environ=None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    base = environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bricli"


def cached_reader(directory: Path | None = None):
    """A reader with the same contract as load.load_file; None means no cache."""
    try:
        return _Reader(directory or cache_dir())
    except Exception:  # pragma: no cover - no home directory, odd environment
        return None


class _Reader:
    def __init__(self, directory: Path):
        self.directory = directory
        self.writable = True  # until a write fails: then stop trying for this run

    def __call__(self, path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> FileResult:
        try:
            absolute = os.path.abspath(path)
            st = os.stat(absolute)
        except (OSError, ValueError):
            return load_file(path, max_size)  # load_file reports the problem
        if st.st_size > max_size:
            return load_file(path, max_size)  # the limit is reported, never cached
        key = (absolute, st.st_size, st.st_mtime_ns, __version__, FORMAT)
        entry = self.directory / (_digest(absolute) + ".bin")
        result = _read_entry(entry, key, display_path(path))  # named as load_file names it
        if result is not None:
            return result
        result = load_file(path, max_size)
        if self.writable and not any(p.rule == "io" for p in result.problems):
            self.writable = _write_entry(self.directory, entry, key, result)
        return result


def _digest(text: str) -> str:
    """Entry name for a path. Not a security boundary: the full key is stored in the
    entry and compared on reading, so a collision only costs a re-parse. (zlib is
    already loaded for the checksum; hashlib would add an import to every run.)"""
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


# --- encoding: plain values only ------------------------------------------------


def _encode(key: tuple, r: FileResult) -> bytes:
    facts = []
    for f in r.facts:
        row = [getattr(f, n) for n in _FACT_NAMES]
        for i in _NUMBER_AT:
            if row[i] is not None:
                row[i] = row[i].text
        s = row[_SOURCE_AT]
        row[_SOURCE_AT] = tuple(getattr(s, n) for n in _REF_NAMES)
        row[_LOC_AT] = row[_LOC_AT].line
        facts.append(tuple(row))
    sources = []
    for s in r.sources:
        row = [getattr(s, n) for n in _SOURCE_NAMES]
        loc = row[_SRC_LOC_AT]
        row[_SRC_LOC_AT] = loc.line if loc is not None else None
        sources.append(tuple(row))
    problems = tuple(tuple(getattr(p, n) for n in _PROBLEM_NAMES) for p in r.problems)
    return marshal.dumps((key, tuple(sources), tuple(facts), problems))


def _decode(payload: bytes, key: tuple, name: str) -> FileResult | None:
    stored_key, sources, facts, problems = marshal.loads(payload)
    if stored_key != key:
        return None
    result = FileResult(name)
    out_sources = result.sources
    for row in sources:
        row = list(row)
        line = row[_SRC_LOC_AT]
        row[_SRC_LOC_AT] = Location(name, line) if line is not None else None
        out_sources.append(Source(*row))
    out_facts = result.facts
    number_at, source_at, loc_at = _NUMBER_AT, _SOURCE_AT, _LOC_AT
    for row in facts:
        row = list(row)
        for i in number_at:
            if row[i] is not None:
                row[i] = Number(row[i])
        row[source_at] = SourceRef(*row[source_at])
        row[loc_at] = Location(name, row[loc_at])
        out_facts.append(Fact(*row))
    result.problems.extend(Problem(*row) for row in problems)
    return result


def _read_entry(entry: Path, key: tuple, name: str) -> FileResult | None:
    try:
        with open(entry, "rb") as fh:
            data = fh.read()
        head = len(MAGIC)
        if not data.startswith(MAGIC) or len(data) < head + 12:
            return None
        crc = int.from_bytes(data[head : head + 4], "big")
        size = int.from_bytes(data[head + 4 : head + 12], "big")
        payload = data[head + 12 :]
        if len(payload) != size or zlib.crc32(payload) != crc:
            return None
        return _decode(payload, key, name)
    except Exception:  # missing, unreadable, truncated, corrupt, another format: rebuild, never trust
        return None


def _write_entry(directory: Path, entry: Path, key: tuple, result: FileResult) -> bool:
    """Write atomically; False (and silence) when the cache cannot be written."""
    import tempfile

    tmp = None
    try:
        payload = _encode(key, result)
        data = MAGIC + zlib.crc32(payload).to_bytes(4, "big") + len(payload).to_bytes(8, "big") + payload
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, entry)
        return True
    except Exception:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
