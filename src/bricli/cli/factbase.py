"""The fact base of a command: the engine (index/) over the directories its options name.
Every command selects facts through it; --no-cache builds the same index in memory.

On the fast path (cli/entry.py: the index query, and TAB on --year): what the engine returns
is named for the type checker only, so a TAB press loads neither the filters nor the fact model."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bricli.cli.errors import UsageError
from bricli.cli.output import message
from bricli.cli.progress import build_progress
from bricli.index.engine import Engine
from bricli.load.discover import fact_dirs
from bricli.model.limits import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from bricli.analysis.query import Filters
    from bricli.model.facts import FactBase
    from bricli.model.problems import Problem


class FactBaseOptions(NamedTuple):
    """Which facts a command reads: --facts, --no-shipped, --max-file-size, --no-cache."""

    facts: list[Path] | None
    no_shipped: bool
    max_file_size: int
    no_cache: bool = False

    @classmethod
    def of(cls, kw: dict) -> FactBaseOptions:
        """From a command's keyword arguments (the one place they are looked up by name)."""
        return cls(kw["facts"], kw["no_shipped"], kw["max_file_size"], kw.get("no_cache", False))


def _dirs(options: FactBaseOptions) -> list[Path]:
    dirs = fact_dirs([str(f) for f in options.facts] if options.facts else None, no_shipped=options.no_shipped)
    if not dirs:
        raise UsageError("no fact directories: --no-shipped needs --facts DIR or $BRICLI_FACTS")
    return dirs


@contextlib.contextmanager
def engine(options: FactBaseOptions, *, check: bool = False) -> Iterator[Engine]:
    """The engine of these facts, refusing a base with problems (FactBaseError, exit 1) unless
    `check`: nothing is printed from a base `bricli check` would refuse. `check` reads the
    files themselves (an index in memory), never a cache. What the engine noticed (a damaged
    index, rebuilt) goes to stderr."""
    bar = build_progress()
    try:
        opened = Engine.open(_dirs(options), options.max_file_size, no_cache=options.no_cache or check, progress=bar,
                             notify=message)
    finally:
        if bar is not None:
            bar.close()  # also when the build stops early (Ctrl-C): the terminal is left clean
    with opened as e:
        if not check:
            e.require_clean()
        yield e


def load_base(options: FactBaseOptions, *, check: bool = False) -> tuple[FactBase, list[Problem]]:
    """(base, problems); ordinary commands refuse a base with problems (FactBaseError, exit 1)."""
    with engine(options, check=check) as e:
        return e.base(), e.problems()


def require_base(options: FactBaseOptions) -> FactBase:
    return load_base(options)[0]


def select_items(options: FactBaseOptions, filters: Filters, *, derived: bool = False, order: str = "set") -> list:
    """The items `filters` select, decoded (for charts and views that compute on them)."""
    with engine(options) as e:
        return e.select(filters, derived=derived, order=order).items()


def indexed_years() -> list[int] | None:
    """Years the default fact base covers, from the index (for TAB); None when it cannot say."""
    dirs = fact_dirs(None)
    if not dirs:
        return None
    try:
        with Engine.open(dirs, DEFAULT_MAX_FILE_SIZE) as e:
            return e.years()
    except Exception:  # TAB never fails loudly
        return None
