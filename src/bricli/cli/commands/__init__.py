"""One module per command (the topic commands share one); `register` adds them in help order."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from bricli.cli.commands import check, report, schema, topics, views

    for name, command in (*topics.topic_commands(), *views.view_commands()):
        app.command(name)(command)
    app.command("report")(report.report)
    app.command("check")(check.check)
    app.command("schema")(schema.schema)
