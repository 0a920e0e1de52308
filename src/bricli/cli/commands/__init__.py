"""One module per command (the topic commands share one); `register` adds them in help order."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import typer


# the module defining each command: `bricli NAME ...` imports that one alone (see register)
MODULES = {
    **dict.fromkeys(("trade", "investment", "projects", "finance", "people", "policy", "risks"), "topics"),
    **dict.fromkeys(("country", "timeline", "search", "show", "sources"), "views"),
    "series": "series", "conflicts": "compare", "countries": "compare", "report": "report", "export": "export", "import": "importing", "check": "check",
    "schema": "schema", "completion": "completion",
}


def commands(module: str | None = None) -> Iterator[tuple[str, Callable[..., Any]]]:
    """(name, function) of every command, in help order; with `module`, of those it defines."""
    if module in (None, "topics"):
        from bricli.cli.commands import topics

        yield from topics.topic_commands()
    if module in (None, "views"):
        from bricli.cli.commands import views

        yield from views.view_commands()
    if module in (None, "series"):
        from bricli.cli.commands import series

        yield from series.series_commands()
    if module in (None, "compare"):
        from bricli.cli.commands import compare

        yield from compare.compare_commands()
    if module in (None, "report"):
        from bricli.cli.commands import report

        yield "report", report.report
    if module in (None, "export"):
        from bricli.cli.commands import export

        yield "export", export.export
    if module in (None, "importing"):
        from bricli.cli.commands import importing

        yield "import", importing.import_
    if module in (None, "check"):
        from bricli.cli.commands import check

        yield "check", check.check
    if module in (None, "schema"):
        from bricli.cli.commands import schema

        yield "schema", schema.schema
    if module in (None, "completion"):
        from bricli.cli.commands import completion

        yield "completion", completion.completion


def stub(command: Callable[..., Any]) -> Callable[..., None]:
    """A stand-in with the command's name and help and no parameters: enough for
    `bricli --help` and for completing a command name, cheap for typer to build."""

    def stand_in() -> None:  # pragma: no cover - never run: the command being run is built in full
        raise RuntimeError(f"{command.__name__} was not built")

    stand_in.__name__ = stand_in.__qualname__ = command.__name__
    stand_in.__doc__ = command.__doc__
    return stand_in


def register(app: typer.Typer, running: str | None = None, *, lazy: bool = False) -> None:
    """Add every command to `app`; with `lazy`, all but `running` as stubs, and when `running`
    names a command, that command alone: nothing in `bricli trade ...` (its run, its help,
    its usage errors, a TAB press after its name) looks at the others, whose modules
    and stubs cost start-up time."""
    if lazy and running in MODULES:
        for name, command in commands(MODULES[running]):
            if name == running:
                app.command(name, short_help=summary(command))(command)
        return
    for name, command in commands():
        # short_help: the first paragraph, whole (click would cut it at 45 characters with "...")
        app.command(name, short_help=summary(command))(stub(command) if lazy and name != running else command)


def summary(command: Callable[..., Any]) -> str:
    return (inspect.getdoc(command) or "").split("\n\n")[0].replace("\n", " ")
