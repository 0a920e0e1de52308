"""Writing files safely: atomically, never clobbering by surprise.

Used for reports, listings (-o), `bricli export` and the cache. A destination that exists, or
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
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


class WriteRefused(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def check_destination(path: Path, *, force: bool = False) -> Path:
    """Refuse a destination atomic_write would refuse (a symlink or existing file without
    `force`, a directory, a missing directory); return the path to write (a link's target
    with `force`). Callers writing several files check them all before writing any."""
    path = Path(path)
    if path.is_symlink() and not force:
        raise WriteRefused(f"{path} is a symlink; not writing through it", "use --force to replace the link's target")
    if path.exists() and path.is_dir():
        raise WriteRefused(f"{path} is a directory", "give a file name")
    if path.exists() and not force:
        raise WriteRefused(f"{path} already exists; not overwriting it", "use --force to replace it")
    target = path.resolve() if path.is_symlink() else path
    if not target.parent.is_dir():
        raise WriteRefused(f"directory {target.parent} does not exist", "create it first")
    return target


def atomic_write(path: Path, data: str | bytes, *, force: bool = False, encoding: str = "utf-8") -> None:
    payload = data.encode(encoding) if isinstance(data, str) else data

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(payload)

    atomic_create(path, write, force=force)


def atomic_create(path: Path, build: Callable[[Path], None], *, force: bool = False) -> None:
    """atomic_write for content another library writes to a path (an SQLite database):
    `build(tmp)` fills a new empty file in the destination's directory, which then goes
    into place exactly as atomic_write's text does."""
    path = Path(path)
    target = check_destination(path, force=force)
    directory = target.parent
    mode = None
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(target.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        os.close(fd)
        build(Path(tmp))
        _fsync_file(tmp)
        if mode is not None:
            os.chmod(tmp, mode)
        else:  # mkstemp makes 0600; a new file gets the usual umask-based mode
            os.chmod(tmp, 0o666 & ~_umask())
        if force:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target, path)
        _sync_directory(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_create_dir(path: Path, build: Callable[[Path], None], *, force: bool = False,
                      replaceable: Callable[[Path], bool] = lambda _: False) -> None:
    """A new directory of files, put in place whole: `build(tmp)` fills an empty directory
    beside the destination, which is then renamed to it. An existing directory is replaced
    only with `force` and only when `replaceable(it)` (say, it holds an earlier export and
    nothing else), so --force never deletes a directory of other files. A symlink is
    refused without `force`; with it, the link's target is replaced."""
    path = Path(path)
    if path.is_symlink() and not force:
        raise WriteRefused(f"{path} is a symlink; not writing through it", "use --force to replace the link's target")
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_dir():
        raise WriteRefused(f"{path} exists and is not a directory", "give the name of a new directory")
    if target.exists() and not force:
        raise WriteRefused(f"{path} already exists; not overwriting it", "use --force to replace it")
    if target.exists() and not replaceable(target):
        raise WriteRefused(f"{path} holds files bricli did not write; not replacing it",
                           "give the name of a new directory, or empty this one yourself")
    directory = target.parent
    if not directory.is_dir():
        raise WriteRefused(f"directory {directory} does not exist", "create it first")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory))
    old = None
    try:
        build(tmp)
        for child in tmp.iterdir():
            _fsync_file(child)
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
        _sync_directory(tmp)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=directory))
            os.rename(target, old / "x")
        try:
            os.rename(tmp, target)
        except OSError:  # a file or a non-empty directory appeared meanwhile: never clobbered
            if old is not None:
                os.rename(old / "x", target)
            raise WriteRefused(f"{path} already exists; not overwriting it", "use --force to replace it") from None
        _sync_directory(directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _fsync_file(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
