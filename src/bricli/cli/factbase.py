"""Load the fact base for a command, from the directories its options name: through the
index (load/index.py) unless --no-cache, reading the files when it cannot serve them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bricli.model.facts import FactBase


def _dirs(facts: list[Path] | None, no_shipped: bool) -> list[Path]:
    from bricli.load.discover import fact_dirs
    from bricli.cli.errors import UsageError

    dirs = fact_dirs([str(f) for f in facts] if facts else None, no_shipped=no_shipped)
    if not dirs:
        raise UsageError("no fact directories: --no-shipped needs --facts DIR or $BRICLI_FACTS")
    return dirs


def _synced_index(dirs: list[Path], files: list[Path], max_file_size: int):
    """The index of these files, up to date; None when it cannot serve them."""
    from bricli.load.index import open_index

    index = open_index(dirs)
    if index is None:
        return None
    try:
        if index.sync(files, max_file_size, _builder):
            return index
    except Exception:  # a corrupt or unwritable index never breaks a command: the files are read
        pass
    index.close()
    return None


def _builder():
    """What builds the index (imported only when something is to be built)."""
    from bricli.present import indexed

    return indexed


def load_base(facts: list[Path] | None, no_shipped: bool, max_file_size: int, no_cache: bool = False, *, check: bool = False):
    """Return (base, problems). Ordinary commands refuse a base with problems
    (FactBaseError, exit 1) rather than print figures from a partly read base."""
    from bricli.load.assemble import load
    from bricli.model.problems import FactBaseError

    dirs = _dirs(facts, no_shipped)
    loaded = None if check or no_cache else load_from_index(dirs, max_file_size)
    base, problems = loaded or load(dirs, max_file_size)
    if problems and not check:
        raise FactBaseError(problems)
    return base, problems


def load_from_index(dirs: list[Path], max_file_size: int):
    """(base, problems) as `load` gives them, from the index; None to read the files."""
    from bricli.load.assemble import assemble, base_problems
    from bricli.load.discover import list_files

    files, problems = list_files(dirs)
    if problems:
        return None  # a missing directory and the like: reading reports it
    index = _synced_index(dirs, files, max_file_size)
    if index is None:
        return None
    try:
        facts, source_list, problems = index.load(files)
    except Exception:
        return None
    finally:
        index.close()
    base = assemble(facts, source_list, files, dirs)
    if index.problems == 0:  # the checks across files passed when the index was built: not run again
        return base, problems
    return base, problems + base_problems(base, source_list, problems)


def require_base(facts, no_shipped, max_file_size, no_cache=False) -> FactBase:
    return load_base(facts, no_shipped, max_file_size, no_cache)[0]


def query_listing(kw: dict, filters, *, derived: bool, title: str | None, cite: bool = False,
                  topic: str | None = None):
    """A topic command's listing of what `filters` select: served by the index when it can,
    else by select + build_listing; the same bytes either way."""
    if not kw["no_cache"]:
        listing = indexed_listing(kw, filters, derived=derived, title=title, cite=cite, topic=topic)
        if listing is not None:
            return listing
    from bricli.analysis.query import select
    from bricli.present.listing import build_listing

    base = require_base(kw["facts"], kw["no_shipped"], kw["max_file_size"], kw["no_cache"])
    return build_listing(select(base, filters, derived=derived), base, cite=cite, title=title, topic=topic)


def indexed_listing(kw, filters, **how):
    """The listing `filters` select, from the index (present/indexed.query_listing, `how` its
    options); None when the index cannot serve it."""
    from bricli.load.discover import list_files

    dirs = _dirs(kw["facts"], kw["no_shipped"])
    files, problems = list_files(dirs)
    if problems:
        return None
    index = _synced_index(dirs, files, kw["max_file_size"])
    if index is None:
        return None
    try:
        if index.problems != 0:
            return None  # reading reports the problems (FactBaseError), with today's paths
        from bricli.cli.output import display_from, prints_rows
        from bricli.present.indexed import query_listing as from_index

        # the display texts are fetched only when the output will print them
        return from_index(index, filters, rows=prints_rows(kw["format"], kw["output"], display_from(kw)), **how)
    except Exception as exc:
        from bricli.model.errors import QueryError

        if isinstance(exc, QueryError):
            raise
        return None
    finally:
        index.close()


def indexed_years() -> list[int] | None:
    """Years the default fact base covers, from the index (for TAB); None when it cannot say."""
    from bricli.load.discover import fact_dirs, list_files
    from bricli.model.limits import DEFAULT_MAX_FILE_SIZE

    dirs = fact_dirs(None)
    files, problems = list_files(dirs)
    if problems or not dirs:
        return None
    index = _synced_index(dirs, files, DEFAULT_MAX_FILE_SIZE)
    if index is None:
        return None
    try:
        years = index.meta("years") if index.problems == 0 else None
        return _whole_numbers(years) if years else None
    except Exception:
        return None
    finally:
        index.close()


def _whole_numbers(text: str) -> list[int] | None:
    """A JSON array of whole numbers ("[1990, 2018]", as build_set stores the years), read
    without importing json (a TAB press); None for anything else."""
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    items = [item.strip() for item in text[1:-1].split(",")] if text[1:-1].strip() else []
    if not all(item.isascii() and item.isdigit() for item in items):
        return None
    return [int(item) for item in items]
