"""Progress on stderr for long work: a cold build of a large base, a large export, a long
brief (issue 19, item 11). rich's bar, shown only when stderr is a terminal and the work is
large; nothing at all otherwise, so pipes, logs and CI output stay as they were. rich is
imported only when a bar is shown."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

PROGRESS_BYTES = 8 << 20  # a build reading less than this is quick: no bar
PROGRESS_FACTS = 20_000  # an export or a brief of fewer facts takes a second or two: no bar


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced, or closed
        return False


def _progress(*columns: Any) -> Any:
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    bar.start()
    return bar


class BuildBar:
    """The index build's bar, in bytes read (the engine calls it with done and total)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_BYTES:
            return
        if self.bar is None:
            from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn

            self.bar = _progress(TextColumn("bricli: reading the fact files"), BarColumn(), DownloadColumn(),
                                 TimeRemainingColumn())
            self.task = self.bar.add_task("build", total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def build_progress() -> BuildBar | None:
    """A bar for the index's build when stderr is a terminal; nothing when it is not."""
    return BuildBar() if stderr_is_terminal() else None


class Stages:
    """A bar through the stages of one long command (an export, a brief): each stage a line
    that says what is being done, counting items where the stage knows how many.

    It shows nothing unless stderr is a terminal and `expect(size)` was told of at least
    PROGRESS_FACTS facts; its methods are otherwise no-ops, so a command calls them the same
    way whatever the case. Used as a context manager, it always leaves the terminal clean
    (also on Ctrl-C or an error)."""

    def __init__(self) -> None:
        self.shown = False
        self.bar: Any = None
        self.task: Any = None

    def expect(self, size: int) -> None:
        """The number of facts the command works on, known once the index is open."""
        self.shown = size >= PROGRESS_FACTS and stderr_is_terminal()

    def stage(self, text: str, total: int | None = None) -> None:
        """Start a stage: `total` items to count (a bar), or None (a pulse: no count known)."""
        if not self.shown:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

            self.bar = _progress(TextColumn("bricli: {task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn())
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(text, total=total)

    def track(self, items: Iterable[T], text: str, total: int) -> Iterator[T]:
        """`items`, counted in a new stage as they are taken."""
        if not self.shown:
            yield from items
            return
        self.stage(text, total)
        step = max(1, total // 200)  # a redraw per item would cost more than the work
        for n, item in enumerate(items, 1):
            if n % step == 0:
                self.bar.update(self.task, completed=n)
            yield item
        self.bar.update(self.task, completed=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
