"""Writing files safely: atomically, never clobbering by surprise.

Used for reports, exports (-o) and the cache. A destination that exists, or
is a symlink, is refused unless `force`; the text goes to a temporary file in
the same directory, is flushed to disk, then renamed over the destination,
so a reader never sees half a file and a failure leaves the old one intact.
Without `force` the new file is linked into place, which fails if a file
appeared meanwhile, so even a race never clobbers one.
A replaced file keeps its permission bits.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class WriteRefused(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def atomic_write(path: Path, data: str | bytes, *, force: bool = False, encoding: str = "utf-8") -> None:
    path = Path(path)
    if path.is_symlink() and not force:
        raise WriteRefused(f"{path} is a symlink; not writing through it", "use --force to replace the link's target")
    if path.exists() and path.is_dir():
        raise WriteRefused(f"{path} is a directory", "give a file name")
    if path.exists() and not force:
        raise WriteRefused(f"{path} already exists; not overwriting it", "use --force to replace it")
    target = path.resolve() if path.is_symlink() else path
    directory = target.parent
    if not directory.is_dir():
        raise WriteRefused(f"directory {directory} does not exist", "create it first")
    mode = None
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(target.stat().st_mode)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:  # mkstemp makes 0600; a new file gets the usual umask-based mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if force:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target, path)
        _sync_directory(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _link_new(tmp: str, target: Path, shown: Path) -> None:
    """Put tmp in place only if target still does not exist: a file that appeared since
    the check above is never clobbered (link fails where replace would overwrite)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise WriteRefused(f"{shown} already exists; not overwriting it", "use --force to replace it") from None
    except OSError:  # no hard links here (some network or FAT file systems): the check above must do
        if os.path.lexists(target):
            raise WriteRefused(f"{shown} already exists; not overwriting it", "use --force to replace it") from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
