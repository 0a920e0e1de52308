"""`bricli schema`: print the JSON Schema of fact files, for editors."""

from __future__ import annotations

from bricli.cli.output import write_data


def schema() -> None:
    """Print the JSON Schema of fact files (for a YAML language server in your editor).

    Example: bricli schema > facts.schema.json
    """
    from bricli.model.schema import SCHEMA_PATH

    write_data(SCHEMA_PATH.read_text(encoding="utf-8"))
