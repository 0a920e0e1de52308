"""Load the fact base for a command, from the directories its options name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bricli.model.facts import FactBase


def load_base(facts: list[Path] | None, no_shipped: bool, max_file_size: int, no_cache: bool = False, *, check: bool = False):
    """Return (base, problems). Ordinary commands refuse a base with problems
    (FactBaseError, exit 1) rather than print figures from a partly read base."""
    from bricli.load.discover import fact_dirs
    from bricli.load.assemble import load
    from bricli.model.problems import FactBaseError
    from bricli.cli.errors import UsageError

    dirs = fact_dirs([str(f) for f in facts] if facts else None, no_shipped=no_shipped)
    if not dirs:
        raise UsageError("no fact directories: --no-shipped needs --facts DIR or $BRICLI_FACTS")
    reader = None
    if not (check or no_cache):
        from bricli.load.cache import cached_reader

        reader = cached_reader()
    base, problems = load(dirs, max_file_size, reader) if reader else load(dirs, max_file_size)
    if problems and not check:
        raise FactBaseError(problems)
    return base, problems


def require_base(facts, no_shipped, max_file_size, no_cache=False) -> FactBase:
    return load_base(facts, no_shipped, max_file_size, no_cache)[0]
