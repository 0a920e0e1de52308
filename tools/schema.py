"""The JSON Schema of fact files, generated from the field table in model/fields.py (dev tool).

The generated file is committed at src/bricli/schema/facts.schema.json and
shipped in the wheel; a test fails when it is out of date. Regenerate with
`python tools/generate.py` (or print it: `python tools/schema.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bricli.model.fields import FACT_FIELDS, ID_PATTERN, KINDS, RATIO_FIELDS, SOURCE_FIELDS, SOURCE_REF_FIELDS, SOURCE_REF_REQUIRED, STAGES, FieldSpec
from bricli.model.vocab import FACT_TYPES

_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_PERIOD = r"^(\d{4}(-\d{2}(-\d{2})?)?|\.\.)(/(\d{4}(-\d{2}(-\d{2})?)?|\.\.))?$"
_SLUG = ID_PATTERN


def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "string", "minLength": 1}
    kinds = {
        "text": text,
        "slug": {"type": "string", "pattern": _SLUG},
        "url": {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\"'<>`\\]+$"},
        # YAML editors read an unquoted 307.4 as a number; bricli keeps its digits
        "number": {"type": "number"},
        "bool": {"type": "boolean"},
        "enum": {"type": "string", "enum": list(spec.choices)},
        "countries": {"type": "array", "items": {"type": "string", "pattern": r"^[A-Z]{3}$"}},
        "texts": {"type": "array", "items": text},
        "period": {"type": ["string", "integer"], "pattern": _PERIOD},
        "point": {"type": ["string", "integer"], "pattern": _DATE},
        "source": _object(SOURCE_REF_FIELDS, text, SOURCE_REF_REQUIRED),
        "ratio": _object(RATIO_FIELDS, {"type": "string", "pattern": _SLUG}),
    }
    out = dict(kinds[spec.kind])
    out["description"] = spec.doc
    return out


def _object(keys: Iterable[str], value_schema: dict[str, Any], required: Iterable[str] | None = None) -> dict[str, Any]:
    keys = list(keys)
    return {
        "type": "object",
        "properties": {k: dict(value_schema) for k in keys},
        "required": list(keys if required is None else required),
        "additionalProperties": False,
    }


def _fact_schema() -> dict[str, Any]:
    props = {f.name: _field_schema(f) for f in FACT_FIELDS}
    # per type: which fields are required, which are forbidden, which kinds allowed
    branches = []
    for t in FACT_TYPES:
        required = [f.name for f in FACT_FIELDS if t in f.required_for]
        forbidden = [f.name for f in FACT_FIELDS if f.types and t not in f.types]
        then: dict[str, Any] = {"required": required}
        if forbidden:
            then["not"] = {"anyOf": [{"required": [name]} for name in forbidden]}
        if KINDS[t]:
            then["properties"] = {"kind": {"enum": list(KINDS[t])}}
        branches.append({"if": {"properties": {"type": {"const": t}}, "required": ["type"]}, "then": then})
    for kind, stages in STAGES.items():  # which stages a kind allows
        branches.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                         "then": {"properties": {"stage": {"enum": list(stages)}}}})
    return {
        "type": "object",
        "properties": props,
        "required": ["id", "type", "topic", "label", "source"],
        "additionalProperties": False,
        "allOf": branches,
    }


def build_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "bricli fact file",
        "description": "A bricli fact file: optional lists of sources and facts. See docs/facts.md.",
        "type": "object",
        "properties": {
            "sources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {f.name: _field_schema(f) for f in SOURCE_FIELDS},
                    "required": [f.name for f in SOURCE_FIELDS if f.required_for],
                    "additionalProperties": False,
                },
            },
            "facts": {"type": "array", "items": _fact_schema()},
        },
        "additionalProperties": False,
    }


def render_schema() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_schema())
