"""Where the JSON Schema of fact files ships (printed by `bricli schema`).

The file is generated from the field table in fields.py by `python tools/generate.py`
(tools/schema.py) and committed; a test fails when it is out of date.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "facts.schema.json"
