"""json and ndjson output of the records, exact and round-trippable (yaml: render/yaml_text.py).

json: ``json.dumps(records, ensure_ascii=False, indent=2)`` plus a final newline.
ndjson: one compact object per line, each line ending in "\\n"; no records -> "".
"""

from __future__ import annotations

import json


def render_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def json_chunks(rendered: list) -> list:
    """render_json's output, UTF-8 encoded, in pieces to be written one after another.
    `rendered` holds each record as it appears there, as the pieces that joined give it: as
    json.dumps(record, ensure_ascii=False, indent=2) renders it, one level further in (every
    line after the first starts with two more spaces), encoded, as the index stores it.
    Nothing is joined: the same bytes without json's pure-Python indenting encoder, and
    without copying megabytes that are only to be written out."""
    if not rendered:
        return [b"[]\n"]
    chunks = [b"[\n  "]
    for pieces in rendered:
        chunks += pieces
        chunks.append(b",\n  ")
    chunks[-1] = b"\n]\n"
    return chunks


def render_ndjson(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
