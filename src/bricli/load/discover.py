"""Find fact directories, read their files, and assemble a FactBase.

Which directories: `--facts DIR` (repeatable), else BRICLI_FACTS
(os.pathsep-separated), and the shipped facts unless `no_shipped`. User
directories extend the shipped facts by default so a user's own sources sit
beside the article's; `--no-shipped` makes them replace it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bricli.model.problems import Problem

ENV_FACTS = "BRICLI_FACTS"
SUFFIXES = (".yaml", ".yml")


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
    seen = {d.resolve() for d in dirs}
    for d in user:
        p = Path(d).expanduser()
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            dirs.append(p)
    return dirs



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
