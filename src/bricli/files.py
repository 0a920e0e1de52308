"""Writing files safely: atomically, never clobbering by surprise.

Used for reports, listings (-o), `bricli export` and the cache. A destination that exists, or
is a symlink, is refused unless `force`; the text goes to a temporary file in
the same directory, is flushed to disk, then renamed over the destination,
so a reader never sees half a file and a failure leaves the old one intact.
Without `force` the new file is linked into place, which fails if a file
appeared meanwhile, so even a race never clobbers one.
A replaced file keeps its permission bits, owner and group (or is not
replaced); a hard-linked file is not replaced (its other names would keep the
old text). A FIFO or character device is written into, as `>` would, and so is the
file behind stdout or stderr (`-o /dev/stdout >> log.txt` appends to log.txt): never replaced.
Temporary files are named `.NAME.XXXXXXXX.bricli-tmp`; one of those (or of the older
`.NAME.XXXXXXXX.tmp`) left behind by a killed run for more than a day is removed by the next
write into its directory. Every failure is a WriteRefused naming the file (shortened).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".bricli-tmp"
OLD_SUFFIX = ".bricli-old"
STALE_AFTER = 24 * 3600  # seconds: a temporary file this old belongs to no running bricli
# bricli's temporary names: .NAME.XXXXXXXX.bricli-tmp (and -old); .NAME.XXXXXXXX.tmp/.old before issue 24
_OURS = re.compile(r"\..*\.[A-Za-z0-9_]{8}(\.bricli-tmp|\.bricli-old|\.tmp|\.old)")
_SHOWN_PATH = 200


class WriteRefused(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def shown(path: Path | str) -> str:
    """A path for a message: one of thousands of characters shortened in the middle."""
    text = os.fspath(path)
    text = text if isinstance(text, str) else os.fsdecode(text)
    return text if len(text) <= _SHOWN_PATH else text[: _SHOWN_PATH // 2] + "…" + text[-_SHOWN_PATH // 2 :]


def _failed(path: Path | str, exc: OSError) -> WriteRefused:
    """An OSError while writing `path`, as the one message every writer gives."""
    if exc.errno == errno.ENAMETOOLONG:
        size = len(os.fsencode(Path(path).name))
        what = f"its name is too long ({size:,} bytes)" if size > 255 else "its path is too long"
        return WriteRefused(f"cannot write {shown(path)}: {what}", "give a shorter name")
    if exc.errno == errno.ELOOP:
        return WriteRefused(f"cannot write {shown(path)}: a symlink loop", "remove the link, or give another file name")
    return WriteRefused(f"cannot write {shown(path)}: {exc.strerror or exc}")


def check_destination(path: Path, *, force: bool = False) -> Path:
    """Refuse a destination atomic_create would refuse (see _destination; also a pipe or
    device, which only atomic_write's text can go into, and a missing directory); return
    the path to write (a link's target with `force`). Callers writing several files check
    them all before writing any."""
    path = Path(path)
    try:
        if _behind_stdio(path) is not None:
            raise WriteRefused(f"{shown(path)} is the file stdout or stderr writes to; only text output is written into it",
                               "give a file name")
        target, existing = _destination(path, force)
        if existing is not None and _is_stream(existing.st_mode):
            raise WriteRefused(f"{shown(path)} is a pipe or a device; only text output is written into one", "give a file name")
        if not target.parent.is_dir():
            raise WriteRefused(f"directory {shown(target.parent)} does not exist", "create it first")
        if existing is None:  # a name too long fails here, before anything is written (export's metadata)
            with contextlib.suppress(FileNotFoundError):
                os.lstat(target)
    except OSError as exc:
        raise _failed(path, exc) from None
    if existing is not None and existing.st_nlink > 1:
        raise WriteRefused(f"{shown(path)} has {existing.st_nlink} hard links; replacing it would leave the others with the old text",
                           "write to a new name, or remove the other links first")
    return target


def atomic_write(path: Path, data: str | bytes, *, force: bool = False, encoding: str = "utf-8") -> None:
    # any character the text cannot carry (a file name's undecodable byte) is written escaped, never a crash
    payload = data.encode(encoding, "backslashreplace") if isinstance(data, str) else data
    try:
        fd = _behind_stdio(Path(path))
        if fd is not None:  # -o /dev/stdout >> log.txt: appended to log.txt, as `>` would, never replaced
            _write_fd(fd, payload)
            return
        target, existing = _destination(Path(path), force)
        if existing is not None and _is_stream(existing.st_mode):
            _write_into(target, payload)
            return
    except OSError as exc:
        raise _failed(path, exc) from None

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
    try:
        _create(path, target, build, force)
    except OSError as exc:
        raise _failed(path, exc) from None


def _create(path: Path, target: Path, build: Callable[[Path], None], force: bool) -> None:
    existing = None
    with contextlib.suppress(FileNotFoundError):
        existing = os.stat(target)
    directory = target.parent
    remove_stale(directory)
    tmp = _temp_file(directory, target.name)
    try:
        build(Path(tmp))
        _fsync_file(tmp)
        if existing is not None:
            # owner first: chown clears setuid and setgid, which chmod then sets again
            _keep_owner(tmp, existing, path)
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
        else:  # the temporary file is 0600; a new file gets the usual umask-based mode
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


def _temp_name(directory: Path, name: str, suffix: str) -> str:
    """A new name beside the destination, short whatever the destination's length (a
    255-byte name is valid, a longer one not), and relative when the directory is: no
    absolute path is made, so a working directory deeper than PATH_MAX still works."""
    short = os.fsencode(name)[:32].decode("utf-8", "ignore") or "x"  # never half a character
    return os.path.join(directory, f".{short}.{secrets.token_hex(4)}{suffix}")


def _temp_file(directory: Path, name: str) -> str:
    for _ in range(100):
        tmp = _temp_name(directory, name, TEMP_SUFFIX)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(directory))  # pragma: no cover


def _temp_dir(directory: Path, name: str, suffix: str) -> Path:
    for _ in range(100):
        tmp = _temp_name(directory, name, suffix)
        try:
            os.mkdir(tmp, 0o700)
        except FileExistsError:
            continue
        return Path(tmp)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(directory))  # pragma: no cover


def remove_stale(directory: Path, now: float | None = None) -> int:
    """Remove bricli's own temporary files and directories (by their name) left in
    `directory` more than a day ago by a run that was killed (SIGKILL, a power cut);
    returns how many. Only entries of this user; never follows a link; errors ignored."""
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    for entry in entries:
        if not _OURS.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if now - info.st_mtime < STALE_AFTER or (uid is not None and info.st_uid != uid):
                continue
            if stat.S_ISREG(info.st_mode):
                os.unlink(entry.path)
            elif stat.S_ISDIR(info.st_mode) and entry.name.endswith((TEMP_SUFFIX, OLD_SUFFIX)):
                shutil.rmtree(entry.path)  # only the new names: a directory .x.12345678.tmp may be someone's
            else:
                continue
            removed += 1
        except OSError:
            continue
    return removed


def _behind_stdio(path: Path) -> int | None:
    """The descriptor (1 or 2) whose regular file `path` is (/dev/stdout, /proc/self/fd/1 or
    the file's own name, with stdout redirected to it); None otherwise."""
    try:
        here = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(here.st_mode):
        return None
    for fd in (1, 2):
        try:
            there = os.fstat(fd)
        except OSError:
            continue
        if (there.st_dev, there.st_ino) == (here.st_dev, here.st_ino):
            return fd
    return None


def _write_fd(fd: int, payload: bytes) -> None:
    stream = sys.stdout if fd == 1 else sys.stderr
    with contextlib.suppress(Exception):
        stream.flush()
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


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
                raise WriteRefused(f"{shown(path)} is a symlink loop", "remove the link, or give another file name") from None
            existing = None  # a dangling link: with force, the file it names is created
        if existing is not None and _is_stream(existing.st_mode):
            return path, existing
        if not force:
            raise WriteRefused(f"{shown(path)} is a symlink; not writing through it", "use --force to replace the link's target")
        target = Path(os.path.realpath(path))
    if existing is None:
        return target, None
    if stat.S_ISDIR(existing.st_mode):
        raise WriteRefused(f"{shown(path)} is a directory", "give a file name")
    if _is_stream(existing.st_mode):
        return target, existing
    if not stat.S_ISREG(existing.st_mode):
        raise WriteRefused(f"{shown(path)} is not a regular file (a socket or a block device); not writing to it", "give a file name")
    if not force:
        raise WriteRefused(f"{shown(path)} already exists; not overwriting it", "use --force to replace it")
    return target, existing


def _is_stream(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _write_into(target: Path, payload: bytes) -> None:
    """As `> target`: a reader (or the device) gets the bytes; nothing to rename or sync."""
    with open(target, "wb", buffering=0) as fh:
        view = memoryview(payload)
        while view:
            view = view[fh.write(view):]


def _keep_owner(tmp: str, existing: os.stat_result, shown_as: Path) -> None:
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
        raise WriteRefused(f"{shown_as} belongs to another user or group; replacing it would change its owner",
                           "write to another file, or run as its owner") from None


def atomic_create_dir(path: Path, build: Callable[[Path], None], *, force: bool = False,
                      replaceable: Callable[[Path], bool] = lambda _: False) -> None:
    """A new directory of files, put in place whole: `build(tmp)` fills an empty directory
    beside the destination, which is then renamed to it. An existing directory is replaced
    only with `force` and only when `replaceable(it)` (say, it holds an earlier export and
    nothing else), so --force never deletes a directory of other files. A symlink is
    refused without `force`; with it, the link's target is replaced (a loop is refused)."""
    path = Path(path)
    try:
        _create_dir(path, build, force, replaceable)
    except OSError as exc:
        raise _failed(path, exc) from None


def _create_dir(path: Path, build: Callable[[Path], None], force: bool, replaceable: Callable[[Path], bool]) -> None:
    target = path
    try:
        here: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        here = None
    if here is not None and stat.S_ISLNK(here.st_mode):
        if not force:
            raise WriteRefused(f"{shown(path)} is a symlink; not writing through it", "use --force to replace the link's target")
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise WriteRefused(f"{shown(path)} is a symlink loop", "remove the link, or give another directory name") from None
        target = Path(os.path.realpath(path))
    exists = os.path.lexists(target)
    if exists and not target.is_dir():
        raise WriteRefused(f"{shown(path)} exists and is not a directory", "give the name of a new directory")
    if exists and not force:
        raise WriteRefused(f"{shown(path)} already exists; not overwriting it", "use --force to replace it")
    if exists and not replaceable(target):
        raise WriteRefused(f"{shown(path)} holds files bricli did not write; not replacing it",
                           "give the name of a new directory, or empty this one yourself")
    directory = target.parent
    if not directory.is_dir():
        raise WriteRefused(f"directory {shown(directory)} does not exist", "create it first")
    remove_stale(directory)
    tmp = _temp_dir(directory, target.name, TEMP_SUFFIX)
    old = None
    try:
        build(tmp)
        for child in tmp.iterdir():
            _fsync_file(child)
        os.chmod(tmp, 0o777 & ~_umask())  # made 0700
        _sync_directory(tmp)
        if exists:
            old = _temp_dir(directory, target.name, OLD_SUFFIX)
            os.rename(target, old / "x")
        try:
            os.rename(tmp, target)
        except OSError:  # a file or a non-empty directory appeared meanwhile: never clobbered
            if old is not None:
                os.rename(old / "x", target)
            raise WriteRefused(f"{shown(path)} already exists; not overwriting it", "use --force to replace it") from None
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


def _link_new(tmp: str, target: Path, path_: Path) -> None:
    """Put tmp in place only if target still does not exist: a file that appeared since
    the check above is never clobbered (link fails where replace would overwrite)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise WriteRefused(f"{shown(path_)} already exists; not overwriting it", "use --force to replace it") from None
    except OSError:  # no hard links here (some network or FAT file systems): the check above must do
        if os.path.lexists(target):
            raise WriteRefused(f"{shown(path_)} already exists; not overwriting it", "use --force to replace it") from None
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
