"""Read fact files and assemble a FactBase, with every problem found on the way."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bricli.checks.arithmetic import check_arithmetic
from bricli.checks.references import check_integrity
from bricli.model.facts import FactBase, Fact, Source
from bricli.model.limits import DEFAULT_MAX_FILE_SIZE, MAX_TOTAL_PROBLEMS
from bricli.model.problems import Problem
from bricli.load.decode import FileValidator
from bricli.load.discover import display_path, list_files, listed_file, shown_path
from bricli.load.simple_yaml import read_simple
from bricli.load.yamlread import YamlProblem, YMap, YSeq, decode, read

# A run served from the index never imports this module: the YAML reader, the validator and
# PyYAML load only when files are parsed (the index's build) or the base is read whole.


@dataclass(slots=True)
class FileResult:
    """What one file holds once read and validated; cacheable as a unit."""
    path: str
    sources: list[Source] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_file(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> FileResult:
    name = display_path(path)
    result = FileResult(name)
    try:
        data = read_bounded(path, max_size)
    except OSError as exc:
        result.problems.append(Problem("io", name, None, f"cannot read file: {exc.strerror or exc}", "check the path and permissions"))
        return result
    except _TooBig as exc:
        result.problems.append(Problem("io", name, None, f"file is {exc.size}, over the limit of {max_size:,} bytes",
                                       "split it, or raise the limit with --max-file-size"))
        return result
    except _NotRegular:
        result.problems.append(Problem("io", name, None, "not a regular file; not read", "a fact file is an ordinary file"))
        return result
    except _Changed:
        result.problems.append(Problem("io", name, None, "the file was replaced or made a symlink while it was read; not read",
                                       "run the command again"))
        return result
    return parse_bytes(name, data)


def parse_bytes(name: str, data: bytes) -> FileResult:
    """What the bytes of one fact file hold, problems included; `name` is how problems name the file."""
    result = FileResult(name)
    try:
        text = decode(data)
        root, yaml_problems = read_simple(text) or read(text)  # most files: the quick reader of their common shape
    except YamlProblem as p:
        result.problems.extend(_yaml_problem(name, q) for q in [*p.earlier, p])
        return result
    result.problems.extend(_yaml_problem(name, p, root) for p in yaml_problems)
    validator = FileValidator(name)
    result.sources, result.facts = validator.run(root)
    result.problems.extend(validator.problems)
    return result


class _TooBig(Exception):
    def __init__(self, size: str):
        super().__init__(size)
        self.size = size


class _NotRegular(Exception):
    pass


class _Changed(Exception):
    """The file is not the one the walk listed (replaced, or made a symlink, meanwhile)."""


FileChanged = _Changed  # what the index's build catches to list the files again and retry


READ_STEP = 1 << 20  # bytes read at a time once a file turns out longer than stat said


def read_bounded(path: Path, max_size: int) -> bytes:
    """The file's bytes, never more than max_size + 1 read: what stat says is not trusted
    (a /proc file says 0 bytes, a file may grow while read). Opened without blocking, so a
    FIFO or a device is refused instead of waiting forever."""
    listed = listed_file(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:  # opened once, refusing a symlink: what is read is what the walk checked (issue 24)
        fd = os.open(listed[2] if listed else path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _Changed from None
        raise
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if listed is not None and (st.st_dev, st.st_ino) != listed[:2]:
            raise _Changed
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular
        if st.st_size > max_size:
            raise _TooBig(f"{st.st_size:,} bytes")
        # read in steps, not `read(max_size + 1)`: that allocates the whole limit up front (a
        # --max-file-size of terabytes was a MemoryError); the first step is what stat says and one
        # byte more, so a file that grew (or a /proc file, which says 0) is read on
        parts, left, step = [], max_size + 1, st.st_size + 1
        while left > 0:
            chunk = fh.read(min(left, max(step, READ_STEP)))
            if not chunk:
                break
            parts.append(chunk)
            left -= len(chunk)
            step = READ_STEP
        data = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(data) > max_size:
        raise _TooBig(f"more than {max_size:,} bytes")
    return data


def _yaml_problem(name: str, p: YamlProblem, root: object = None) -> Problem:
    """A reader's problem (yamlread.YamlProblem), with the fact id and the field path where the tree tells them."""
    path, fact_id = p.path, None
    if len(path) > 2 and path[0] == "facts" and isinstance(root, YMap):
        items = root.get("facts")
        item = items[path[1]] if isinstance(items, YSeq) and isinstance(path[1], int) and path[1] < len(items) else None
        ident = item.get("id") if isinstance(item, YMap) else None
        if isinstance(ident, str) and ident:
            fact_id, path = str(ident), path[2:]  # fields of a fact are named as in the validator: unit, source.quote
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".") or None
    return Problem("yaml", name, p.line, p.message, p.hint, fact_id, field)


def load(dirs: list[Path], max_size: int = DEFAULT_MAX_FILE_SIZE,
         reader: Callable[[Path, int], FileResult] = load_file) -> tuple[FactBase, list[Problem]]:
    """Read every file; return the base and all problems: file-level, cross-file and, on a
    base that is otherwise clean, arithmetic. Every problem `check` reports comes from here
    (and the index runs the same `base_problems`), so every command that refuses a base with
    problems refuses the same ones."""
    files, problems = list_files(dirs)
    facts: list[Fact] = []
    source_list: list[Source] = []
    unread = 0
    for i, path in enumerate(files):
        if len(problems) >= MAX_TOTAL_PROBLEMS:  # enough to fix first: the rest is not read (issue 24)
            unread = len(files) - i
            break
        r = reader(path, max_size)
        problems.extend(r.problems)
        facts.extend(r.facts)
        source_list.extend(r.sources)
    base = assemble(facts, source_list, files, dirs)
    if len(problems) < MAX_TOTAL_PROBLEMS:
        problems.extend(base_problems(base, source_list, problems))
    return base, cap_problems(problems, unread, str(dirs[-1]) if dirs else "")  # the last: the one the user named


def cap_problems(problems: list[Problem], unread: int = 0, where: str = "") -> list[Problem]:
    """At most MAX_TOTAL_PROBLEMS problems, then one that says how many were left out."""
    left = len(problems) - MAX_TOTAL_PROBLEMS
    if left <= 0 and not unread:
        return problems
    parts = [f"{left:,} more problem(s) not shown"] if left > 0 else []
    if unread:
        parts.append(f"{unread:,} fact file(s) not read")
    limit = Problem("limit", shown_path(where) or "bricli", None, f"stopped at {MAX_TOTAL_PROBLEMS:,} problems: " + ", ".join(parts),
                    "correct these, then run again")
    return [*problems[:MAX_TOTAL_PROBLEMS], limit]


def assemble(facts: list[Fact], source_list: list[Source], files: list[Path], dirs: list[Path]) -> FactBase:
    sources: dict[str, Source] = {}
    for s in source_list:
        sources.setdefault(s.id, s)
    return FactBase(facts, sources, [str(f) for f in files], [str(d) for d in dirs])


def base_problems(base: FactBase, source_list: list[Source], earlier: list[Problem]) -> list[Problem]:
    """The checks of the whole base (across files), given the problems found so far: the
    index runs the same ones. Arithmetic only means something on a base that parsed cleanly."""
    problems = check_integrity(base, source_list)
    if not earlier and not problems:
        problems = check_arithmetic(base.facts)
    return problems
