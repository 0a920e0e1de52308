"""Where an index lives and whether a found file may be trusted.

$BRICLI_CACHE_DIR, else $XDG_CACHE_HOME/bricli, else ~/.cache/bricli; one file
`index-<digest of the directories>-<FORMAT>.sqlite` per set of fact directories. The
directory must be ours and writable by no one else, the file a regular file (never
followed through a symlink) of ours; otherwise bricli builds the index in memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Mapping
from pathlib import Path

from bricli.index.schema import FORMAT

try:  # the fast path of a query and a TAB press: what hashlib.blake2b is, without loading OpenSSL (~3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

ENV_CACHE_DIR = "BRICLI_CACHE_DIR"
MAX_VALUE_LENGTH = 64 << 20  # no single stored value is longer (a fact file is capped well below)
MEMORY = ":memory:"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    base = environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bricli"


def digest(data: bytes) -> str:
    return blake2b(data, digest_size=20).hexdigest()


def index_path(dirs: list[Path], directory: Path) -> Path:
    paths = [os.path.abspath(d) for d in dirs]
    return directory / f"index-{digest(json.dumps(paths).encode())[:24]}-{FORMAT}.sqlite"


def ours(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def usable_directory(directory: Path) -> bool:
    """The cache directory exists (made if need be), is ours and writable by no one else."""
    try:
        if not directory.exists():
            directory.mkdir(parents=True, mode=0o700)
        st = os.stat(directory)
    except (OSError, ValueError):
        return False
    return stat.S_ISDIR(st.st_mode) and ours(st)


def acceptable_file(path: Path) -> bool:
    """A file bricli may open as its index: absent (SQLite creates it), or a regular file of
    ours that no one else may write."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(st.st_mode) and ours(st)


def remove(path: Path) -> None:
    for p in (path, Path(f"{path}-journal")):
        with contextlib.suppress(OSError):  # absent, or a directory put there: connecting then fails, in memory
            os.unlink(p)


# The page size of a new index (an existing one keeps its own). A stored row (a fact's fields as
# text, its compressed record, its filter columns) is about 0.9 KB of synthetic facts and 1.5 KB
# of the shipped ones: a 4 KB page holds two or three and leaves much of itself empty (with 8 KB
# pages the shipped facts' index is 0.82x the size, 100,000 synthetic facts' 0.94x; queries the same)
PAGE_SIZE = 8192


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection with bricli's settings: no trusted schema, cell checks on, never through
    a symlink, a minute's patience with another process's lock."""
    if path == MEMORY:
        conn = sqlite3.connect(MEMORY, isolation_level=None)
    else:
        quoted = str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        conn = sqlite3.connect(f"file:{quoted}?nofollow=1", uri=True, timeout=60, isolation_level=None)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_LENGTH)
    for pragma in ("trusted_schema=OFF", "cell_size_check=ON", "mmap_size=0", "foreign_keys=OFF", "busy_timeout=60000",
                   f"page_size={PAGE_SIZE}"):
        conn.execute(f"PRAGMA {pragma}")
    return conn
