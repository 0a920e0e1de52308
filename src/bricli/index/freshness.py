"""Whether the index holds the fact files as they are now, without reading them.

A file's part is keyed on a hash of its bytes; its size, mtime, ctime and inode are a fast
path that skips reading it, trusted only when the part was checked more than TRUST_AFTER_NS
after the file's mtime (an edit in the same second as the check is not missed). The set is
keyed on every file's number and hash, in order, and on bricli's version and the index format.
"""

from __future__ import annotations

import os
import sqlite3
from typing import NamedTuple

from bricli import __version__
from bricli.index.schema import FORMAT

TRUST_AFTER_NS = 2_000_000_000  # a check this soon after the file's mtime may miss a same-second edit
UNREADABLE = "-"  # the digest of a file that could not be read: never trusted, read again next time


class FileState(NamedTuple):
    id: int
    digest: str
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    checked_ns: int


def known_files(conn: sqlite3.Connection) -> dict[str, FileState]:
    return {row[0]: FileState(*row[1:]) for row in conn.execute(
        "SELECT path, id, digest, size, mtime_ns, ctime_ns, ino, checked_ns FROM files")}


def unchanged(entry: FileState | None, st: os.stat_result | None) -> bool:
    """The fast path: the file looks exactly as when its content was last checked,
    and that check was late enough after its last modification to have seen it."""
    return (entry is not None and st is not None and entry.digest != UNREADABLE and entry.size == st.st_size
            and entry.mtime_ns == st.st_mtime_ns and entry.ctime_ns == st.st_ctime_ns and entry.ino == st.st_ino
            and entry.checked_ns - st.st_mtime_ns > TRUST_AFTER_NS)


def set_key(files: list[tuple[int, str]]) -> str:
    """The set's key from (file number, digest) of each file, in order: a file renamed in place has
    the same bytes and a new number, and its rows new ids, so the set is numbered again."""
    return " ".join([__version__, FORMAT, *(f"{fid}:{digest}" for fid, digest in files)])  # a few KB for hundreds of files


def stat_files(absolute: list[str]) -> list[os.stat_result | None]:
    out: list[os.stat_result | None] = []
    for a in absolute:
        try:
            out.append(os.stat(a))
        except (OSError, ValueError):
            out.append(None)
    return out


def is_fresh(conn: sqlite3.Connection, absolute: list[str], stats: list[os.stat_result | None]) -> bool:
    """The index holds exactly these files' contents as its set (read inside the caller's transaction)."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('version', 'set')"))
    if meta.get("version") != __version__:
        return False
    known = known_files(conn)
    if not all(unchanged(known.get(a), st) for a, st in zip(absolute, stats)):
        return False
    return meta.get("set") == set_key([(known[a].id, known[a].digest) for a in absolute])
