"""Find fact directories, read their files, and assemble a FactBase.

Which directories: `--facts DIR` (repeatable), else BRICLI_FACTS
(os.pathsep-separated), and the shipped facts unless `no_shipped`. User
directories extend the shipped facts by default so a user's own sources sit
beside the article's; `--no-shipped` makes them replace it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .model import FactBase, Fact, Source
from .limits import DEFAULT_MAX_FILE_SIZE
from .problems import Problem

# The YAML reader and the validator (and PyYAML) load only when a file is
# actually parsed: a run served from the cache never imports them.

ENV_FACTS = "BRICLI_FACTS"
SUFFIXES = (".yaml", ".yml")


def shipped_facts_dir() -> Path:
    """The facts that ship with bricli: inside the installed package, or the repo's facts/."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "facts"
    if installed.is_dir():
        return installed
    return here.parent.parent / "facts"  # running from a source checkout (editable install)


def fact_dirs(cli_dirs: list[str] | None, environ: dict | None = None, no_shipped: bool = False) -> list[Path]:
    environ = os.environ if environ is None else environ
    user = list(cli_dirs or [])
    if not user and environ.get(ENV_FACTS):
        user = [d for d in environ[ENV_FACTS].split(os.pathsep) if d]
    dirs = [] if no_shipped else [shipped_facts_dir()]
    seen = {d.resolve() for d in dirs}
    for d in user:
        p = Path(d).expanduser()
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            dirs.append(p)
    return dirs


@dataclass(slots=True)
class FileResult:
    """What one file holds once read and validated; cacheable as a unit."""

    path: str
    sources: list[Source] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def list_files(dirs: list[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for d in dirs:
        if not d.exists():
            why = "is a broken link" if d.is_symlink() else "does not exist"
            problems.append(Problem("io", str(d), None, f"fact directory {why}", "check the path given to --facts or BRICLI_FACTS"))
            continue
        if not d.is_dir():
            problems.append(Problem("io", str(d), None, "not a directory", "give a directory of .yaml files to --facts"))
            continue
        found = _walk(d, problems)
        if not found:
            problems.append(Problem("io", str(d), None, "no .yaml or .yml files in this directory", "add fact files, or remove it from --facts / BRICLI_FACTS"))
        files.extend(found)
    return files, problems


def _walk(top: Path, problems: list[Problem]) -> list[Path]:
    """All fact files under top, sorted; symlinked directories followed once, loops reported."""
    out: list[Path] = []
    visited: set[Path] = set()

    def visit(d: Path) -> None:
        real = d.resolve()
        if real in visited:
            problems.append(Problem("io", str(d), None, "symlink loop: this directory leads back to one already read", "remove the link"))
            return
        visited.add(real)
        try:
            entries = sorted(d.iterdir())
        except OSError as exc:
            problems.append(Problem("io", str(d), None, f"cannot list directory: {exc.strerror}", "check permissions"))
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                e.stat()
            except OSError as exc:
                if e.is_symlink():
                    problems.append(Problem("io", str(e), None, f"broken or looping symlink ({exc.strerror})", "fix or remove the link"))
                continue
            if e.is_dir():
                visit(e)
            elif e.suffix.lower() in SUFFIXES and e.is_file():
                out.append(e)

    visit(top)
    return out


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def load_file(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> FileResult:
    from .validate import FileValidator
    from .yamlread import YamlProblem, decode, read

    name = display_path(path)
    result = FileResult(name)
    try:
        size = path.stat().st_size
        if size > max_size:
            result.problems.append(Problem("io", name, None, f"file is {size:,} bytes, over the limit of {max_size:,}",
                                           "split it, or raise the limit with --max-file-size"))
            return result
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem("io", name, None, f"cannot read file: {exc.strerror}", "check the path and permissions"))
        return result
    try:
        root, yaml_problems = read(decode(data))
    except YamlProblem as p:
        result.problems.extend(_yaml_problem(name, q) for q in [*p.earlier, p])
        return result
    result.problems.extend(_yaml_problem(name, p, root) for p in yaml_problems)
    validator = FileValidator(name)
    result.sources, result.facts = validator.run(root)
    result.problems.extend(validator.problems)
    return result


def _yaml_problem(name: str, p, root: object = None) -> Problem:
    """A reader's problem (yamlread.YamlProblem), with the fact id and the field path where the tree tells them."""
    from .yamlread import YMap, YSeq

    path, fact_id = p.path, None
    if len(path) > 2 and path[0] == "facts" and isinstance(root, YMap):
        items = root.get("facts")
        item = items[path[1]] if isinstance(items, YSeq) and isinstance(path[1], int) and path[1] < len(items) else None
        ident = item.get("id") if isinstance(item, YMap) else None
        if isinstance(ident, str) and ident:
            fact_id, path = str(ident), path[2:]  # fields of a fact are named as in the validator: unit, source.quote
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".") or None
    return Problem("yaml", name, p.line, p.message, p.hint, fact_id, field)


def load(dirs: list[Path], max_size: int = DEFAULT_MAX_FILE_SIZE, reader=load_file) -> tuple[FactBase, list[Problem]]:
    """Read every file; return the base and all problems (file-level and cross-file)."""
    from .integrity import check_integrity

    files, problems = list_files(dirs)
    facts: list[Fact] = []
    sources: dict[str, Source] = {}
    source_list: list[Source] = []
    for path in files:
        r = reader(path, max_size)
        problems.extend(r.problems)
        facts.extend(r.facts)
        source_list.extend(r.sources)
    for s in source_list:
        sources.setdefault(s.id, s)
    base = FactBase(facts, sources, [str(f) for f in files], [str(d) for d in dirs])
    problems.extend(check_integrity(base, source_list))
    return base, problems
