"""One module per command (the topic commands share one); `register` adds them in help order."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import typer


def commands() -> Iterator[tuple[str, Callable[..., Any]]]:
    from bricli.cli.commands import check, compare, completion, export, report, schema, topics, views

    yield from topics.topic_commands()
    yield from views.view_commands()
    yield from compare.compare_commands()
    yield "report", report.report
    yield "export", export.export
    yield "check", check.check
    yield "schema", schema.schema
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
    """Add every command to `app`; with `lazy`, all but `running` as stubs."""
    for name, command in commands():
        # short_help: the first paragraph, whole (click would cut it at 45 characters with "...")
        app.command(name, short_help=summary(command))(stub(command) if lazy and name != running else command)


def summary(command: Callable[..., Any]) -> str:
    return (inspect.getdoc(command) or "").split("\n\n")[0].replace("\n", " ")
