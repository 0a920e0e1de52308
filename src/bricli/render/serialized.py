"""json, ndjson and yaml output of the records, exact and round-trippable.

json: ``json.dumps(records, ensure_ascii=False, indent=2)`` plus a final newline.
ndjson: one compact object per line, each line ending in "\\n"; no records -> "".
yaml: ``yaml.safe_dump`` (block style, keys in record order, unicode kept, lines
never folded; strings holding NEL are double-quoted to work around a PyYAML bug); it
quotes strings that YAML 1.1 would read as something else ("NO", "012", "1:20",
"2019-01-01", "null"), so ``yaml.safe_load`` gives back the same records.
No records -> "[]\\n".
"""

from __future__ import annotations

import functools


def render_json(records: list[dict]) -> str:
    import json

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
    import json

    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def render_yaml(records: list[dict]) -> str:
    import yaml

    # width=inf: never fold long strings, so each value stays on one greppable line.
    return yaml.dump(
        records,
        Dumper=_safe_dumper(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=float("inf"),
    )


@functools.cache
def _safe_dumper():
    """yaml.SafeDumper, except that strings holding NEL (U+0085) are double-quoted.

    PyYAML 6 writes NEL raw inside single-quoted scalars, where the loader folds
    it into a space; in double quotes it is escaped as "\\N" and survives.
    """
    import yaml

    class NelSafeDumper(yaml.SafeDumper):
        pass

    def represent_str(dumper, data: str):
        if "\x85" in data:
            return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        return dumper.represent_str(data)

    NelSafeDumper.add_representer(str, represent_str)
    return NelSafeDumper
