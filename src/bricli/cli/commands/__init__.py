"""One module per command; `register` adds them all to the app in help order."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from . import check, schema

    app.command("check")(check.check)
    app.command("schema")(schema.schema)
