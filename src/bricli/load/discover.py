"""Find fact directories, read their files, and assemble a FactBase.

Which directories: `--facts DIR` (repeatable), else BRICLI_FACTS
(os.pathsep-separated), and the shipped facts unless `no_shipped`. User
directories extend the shipped facts by default so a user's own sources sit
beside the article's; `--no-shipped` makes them replace it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from bricli.model.arguments import ArgumentError, path_argument
from bricli.model.limits import MAX_FACT_FILES, MAX_SHOWN_PATH, MAX_WALK_DEPTH, MAX_WALK_ENTRIES
from bricli.model.problems import Problem

ENV_FACTS = "BRICLI_FACTS"
SUFFIXES = (".yaml", ".yml")


def _problem(rule: str, file: str, line: int | None, message: str, hint: str = "") -> Problem:
    return Problem(rule, file, line, message, hint)


def shipped_facts_dir() -> Path:
    """The facts that ship with bricli: inside the installed package, or the repo's facts/."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "facts"
    if installed.is_dir():
        return installed
    return here.parent.parent / "facts"  # running from a source checkout (editable install)



def fact_dirs(cli_dirs: list[str] | None, environ: Mapping[str, str] | None = None, no_shipped: bool = False) -> list[Path]:
    if environ is None:
        environ = os.environ
    user = list(cli_dirs or [])
    if not user and environ.get(ENV_FACTS):
        user = [d for d in environ[ENV_FACTS].split(os.pathsep) if d]
    dirs = [] if no_shipped else [shipped_facts_dir()]
    seen = {os.path.realpath(d) for d in dirs}
    for d in user:
        try:
            p = path_argument(d)  # ~ expanded; ~nouser, NUL, over-long: kept as given, reported by list_files
            key = os.path.realpath(p)  # a path unreadable or too long for realpath is reported by list_files too
        except (ArgumentError, OSError):
            p, key = Path(d), d
        if key not in seen:
            seen.add(key)
            dirs.append(p)
    return dirs



def list_files(dirs: list[Path]) -> tuple[list[Path], list[Problem]]:
    _LISTED.clear()
    files: list[Path] = []
    problems: list[Problem] = []
    for d in dirs:
        try:
            path_argument(os.fspath(d))
        except ArgumentError as exc:  # ~nouser, NUL, over-long (issue 24): a problem, never a traceback
            problems.append(_problem("io", shown_path(d), None, f"fact directory: {exc.message}",
                                     exc.hint or "check the path given to --facts or BRICLI_FACTS"))
            continue
        try:
            is_dir = stat.S_ISDIR(os.stat(d).st_mode)  # a symlinked fact directory is followed: the user named it
        except OSError as exc:
            problems.append(_problem("io", shown_path(d), None, _missing(d, exc), "check the path given to --facts or BRICLI_FACTS"))
            continue
        if not is_dir:
            problems.append(_problem("io", shown_path(d), None, "not a directory", "give a directory of .yaml files to --facts"))
            continue
        before = len(problems)
        found = _walk(d, problems)
        if not found and len(problems) == before:
            problems.append(_problem("io", shown_path(d), None, "no .yaml or .yml files in this directory", "add fact files, or remove it from --facts / BRICLI_FACTS"))
        files.extend(found)
    return files, problems


def _missing(d: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "fact directory is a broken link" if os.path.islink(d) else "fact directory does not exist"
    if exc.errno == errno.ENAMETOOLONG:
        return f"fact directory path is too long ({len(str(d)):,} characters)"
    if exc.errno == errno.ELOOP:
        return "fact directory is a symlink loop"
    return f"cannot read fact directory: {exc.strerror or exc}"


# What the last walk listed: path as listed -> (device, inode, the path to open: a link's
# target inside the fact directory). assemble.read_bounded opens that path refusing a
# symlink (O_NOFOLLOW) and reads it only if it is still that device and inode (issue 24).
_LISTED: dict[str, tuple[int, int, str]] = {}


def listed_file(path: Path | str) -> tuple[int, int, str] | None:
    """(device, inode, path to open) of a fact file as the walk found it; None if not listed."""
    return _LISTED.get(str(path))


class _Stop(Exception):
    """The walk went past a limit: stop it (the problem is already recorded)."""


def _walk(top: Path, problems: list[Problem]) -> list[Path]:
    """All fact files under top, sorted. Symlinks are followed only while they stay inside
    top (a link to a file elsewhere, /etc/shadow say, is reported, never read); a
    directory reached twice is a loop, reported once. The walk is bounded in depth, in
    directory entries looked at and in files found (model/limits.py)."""
    out: list[Path] = []
    try:
        root = top.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        problems.append(_problem("io", shown_path(top), None, f"cannot resolve fact directory: {getattr(exc, 'strerror', None) or exc}", "check the path"))
        return out
    visited: set[Path] = set()
    seen = 0

    def visit(d: Path, real: Path, depth: int, above: frozenset[Path]) -> None:
        nonlocal seen
        if real in above:
            problems.append(_problem("io", shown_path(d), None, "symlink loop: this directory leads back to one it is inside", "remove the link"))
            return
        if real in visited:  # a second name for a directory already read (subl -> sub): its files are read once
            return
        visited.add(real)
        if depth > MAX_WALK_DEPTH:
            problems.append(_problem("io", shown_path(d), None, f"more than {MAX_WALK_DEPTH} directory levels below {shown_path(top)}; not read",
                                    "keep fact files a few levels deep, or name the deep directory with --facts"))
            return
        try:
            with os.scandir(d) as it:
                entries = sorted((e.name, e.is_symlink(), e.is_dir(follow_symlinks=False), e.is_file(follow_symlinks=False)) for e in it)
        except OSError as exc:
            problems.append(_problem("io", shown_path(d), None, f"cannot list directory: {exc.strerror or exc}", "check permissions"))
            return
        real_text = str(real)
        for name, is_link, is_dir, is_file in entries:
            if name.startswith("."):
                continue
            seen += 1
            if seen > MAX_WALK_ENTRIES:
                problems.append(_problem("io", shown_path(top), None, f"more than {MAX_WALK_ENTRIES:,} entries under this directory; stopped reading",
                                        "point --facts at the directory that holds the fact files"))
                raise _Stop
            path = d / name
            # a file's real path as text (a Path more per file was a third of listing 200 files)
            target: Path | str = os.path.join(real_text, name)
            if is_link:
                try:
                    target = path.resolve(strict=True)
                    mode = os.stat(target).st_mode
                except (OSError, RuntimeError) as exc:
                    problems.append(_problem("io", shown_path(path), None, f"broken or looping symlink ({getattr(exc, 'strerror', None) or 'loop'})", "fix or remove the link"))
                    continue
                if not target.is_relative_to(root):
                    if stat.S_ISDIR(mode) or name.lower().endswith(SUFFIXES):
                        problems.append(_problem("io", shown_path(path), None, "symlink leads outside the fact directory; not read",
                                                "copy the file into the fact directory, or name its directory with --facts"))
                    continue
                is_dir, is_file = stat.S_ISDIR(mode), stat.S_ISREG(mode)
            if is_dir:
                visit(path, Path(target), depth + 1, above | {real})
            elif name.lower().endswith(SUFFIXES):
                if not is_file:
                    problems.append(_problem("io", shown_path(path), None, "not a regular file; not read", "a fact file is an ordinary file"))
                    continue
                try:  # the file that is read must be this one (assemble.read_bounded checks device and inode)
                    st = os.lstat(target)
                except OSError:
                    st = None
                if st is None or not stat.S_ISREG(st.st_mode):
                    problems.append(_problem("io", shown_path(path), None, "the file changed while the directory was read; not read",
                                            "run the command again"))
                    continue
                _LISTED[str(path)] = (st.st_dev, st.st_ino, os.fspath(target))
                out.append(path)
                if len(out) > MAX_FACT_FILES:
                    problems.append(_problem("io", shown_path(top), None, f"more than {MAX_FACT_FILES:,} fact files; stopped reading",
                                            "point --facts at the directory that holds the fact files"))
                    raise _Stop

    with contextlib.suppress(_Stop):
        visit(top, root, 0, frozenset())
    return out


def shown_path(path: Path | str) -> str:
    """A path for a message: one absurdly long (thousands of characters) is shortened in the middle."""
    text = str(path).replace("\x00", "\\0")
    return text if len(text) <= MAX_SHOWN_PATH else text[: MAX_SHOWN_PATH // 2] + "…" + text[-MAX_SHOWN_PATH // 2 :]


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
