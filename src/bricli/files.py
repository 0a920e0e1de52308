"""Writing files safely: atomically, never clobbering by surprise.

Used for reports, listings (-o), `bricli export` and the cache. A destination that exists, or
is a symlink, is refused unless `force`; the text goes to a temporary file in
the same directory, is flushed to disk, then renamed over the destination,
so a reader never sees half a file and a failure leaves the old one intact.
Without `force` the new file is linked into place, which fails if a file
appeared meanwhile, so even a race never clobbers one.
A replaced file keeps its permission bits, owner and group (or is not
replaced); a hard-linked file is not replaced (its other names would keep the
old text). A FIFO or character device is written into, as `>` would.
"""

from __future__ import annotations

import contextlib
import errno
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
    """Refuse a destination atomic_create would refuse (see _destination; also a pipe or
    device, which only atomic_write's text can go into, and a missing directory); return
    the path to write (a link's target with `force`). Callers writing several files check
    them all before writing any."""
    path = Path(path)
    target, existing = _destination(path, force)
    if existing is not None and _is_stream(existing.st_mode):
        raise WriteRefused(f"{path} is a pipe or a device; only text output is written into one", "give a file name")
    if not target.parent.is_dir():
        raise WriteRefused(f"directory {target.parent} does not exist", "create it first")
    if existing is not None and existing.st_nlink > 1:
        raise WriteRefused(f"{path} has {existing.st_nlink} hard links; replacing it would leave the others with the old text",
                           "write to a new name, or remove the other links first")
    return target


def atomic_write(path: Path, data: str | bytes, *, force: bool = False, encoding: str = "utf-8") -> None:
    # any character the text cannot carry (a file name's undecodable byte) is written escaped, never a crash
    payload = data.encode(encoding, "backslashreplace") if isinstance(data, str) else data
    target, existing = _destination(Path(path), force)
    if existing is not None and _is_stream(existing.st_mode):
        _write_into(target, payload)
        return

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
    existing = None
    with contextlib.suppress(FileNotFoundError):
        existing = os.stat(target)
    directory = target.parent
    # the temporary name is short whatever the target's length (a 255-byte name is valid, a longer one not)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:32]}.", suffix=".tmp", dir=directory)
    try:
        os.close(fd)
        build(Path(tmp))
        _fsync_file(tmp)
        if existing is not None:
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
            _keep_owner(tmp, existing, path)
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


def _destination(path: Path, force: bool) -> tuple[Path, os.stat_result | None]:
    """Where to write and what is there now (None: nothing). Refuses what must not be replaced:
    a directory, a symlink or an existing file without `force`, a socket or block device, a
    symlink loop. A FIFO or character device (a pipe, a terminal, /dev/null) is written
    into as the shell's `>` would, even through a symlink (/dev/stdout): nothing is replaced."""
    try:
        here = os.lstat(path)
    except FileNotFoundError:
        return path, None
    target: Path = path
    existing: os.stat_result | None = here
    if stat.S_ISLNK(here.st_mode):
        try:
            existing = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise WriteRefused(f"{path} is a symlink loop", "remove the link, or give another file name") from None
            existing = None  # a dangling link: with force, the file it names is created
        if existing is not None and _is_stream(existing.st_mode):
            return path, existing
        if not force:
            raise WriteRefused(f"{path} is a symlink; not writing through it", "use --force to replace the link's target")
        target = Path(os.path.realpath(path))
    if existing is None:
        return target, None
    if stat.S_ISDIR(existing.st_mode):
        raise WriteRefused(f"{path} is a directory", "give a file name")
    if _is_stream(existing.st_mode):
        return target, existing
    if not stat.S_ISREG(existing.st_mode):
        raise WriteRefused(f"{path} is not a regular file (a socket or a block device); not writing to it", "give a file name")
    if not force:
        raise WriteRefused(f"{path} already exists; not overwriting it", "use --force to replace it")
    return target, existing


def _is_stream(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _write_into(target: Path, payload: bytes) -> None:
    """As `> target`: a reader (or the device) gets the bytes; nothing to rename or sync."""
    with open(target, "wb", buffering=0) as fh:
        view = memoryview(payload)
        while view:
            view = view[fh.write(view):]


def _keep_owner(tmp: str, existing: os.stat_result, shown: Path) -> None:
    """A replaced file keeps its owner and group; if that is not possible (it belongs to
    another user and bricli is not root), it is not replaced."""
    if not hasattr(os, "chown"):  # pragma: no cover - Windows: no owners to keep
        return
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (existing.st_uid, existing.st_gid):
        return
    try:
        os.chown(tmp, existing.st_uid, existing.st_gid)
    except OSError:
        raise WriteRefused(f"{shown} belongs to another user or group; replacing it would change its owner",
                           "write to another file, or run as its owner") from None


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
