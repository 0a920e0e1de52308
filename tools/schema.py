"""The JSON Schema of fact files, generated from the field table in model/fields.py (dev tool).

The generated file is committed at src/bricli/schema/facts.schema.json and
shipped in the wheel; a test fails when it is out of date. Regenerate with
`python tools/generate.py` (or print it: `python tools/schema.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bricli.model.fields import FACT_FIELDS, ID_PATTERN, KINDS, RATIO_FIELDS, REGISTRY_FIELDS, SOURCE_REF_FIELDS, SOURCE_REF_REQUIRED, STAGES, FieldSpec
from bricli.model.countries import known_codes
from bricli.model.vocab import FACT_TYPES

# A real date at year, month or day precision, as model/periods.py parse_day takes it: year 0001-9999,
# month 01-12, a day the month has (29 February in leap years only). What no pattern can say, `check`
# still says: a period that ends before it starts.
_YEAR = r"(?!0000)\d{4}"
_LEAP = r"(\d\d(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
_MONTH_DAY = r"((0[13578]|1[02])(-(0[1-9]|[12]\d|3[01]))?|(0[469]|11)(-(0[1-9]|[12]\d|30))?|02(-(0[1-9]|1\d|2[0-8]))?)"
_DAY = rf"({_YEAR}(-{_MONTH_DAY})?|{_LEAP}-02-29)"
_DATE = rf"^{_DAY}$"
_PERIOD = rf"^({_DAY}(/({_DAY}|\.\.))?|\.\./{_DAY})$"  # a date, START/END, START/.. or ../END (never ../..)
_YEAR_NUMBER = {"minimum": 1000, "maximum": 9999}  # an unquoted 2018 (YAML reads a number): four digits
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
        # the codes of model/countries.tsv (ISO 3166-1 alpha-3, and the regions LCN, WLD, EUU ...)
        "countries": {"type": "array", "items": {"type": "string", "enum": sorted(known_codes())}},
        "texts": {"type": "array", "items": text},
        "period": {"type": ["string", "integer"], "pattern": _PERIOD, **_YEAR_NUMBER},
        "point": {"type": ["string", "integer"], "pattern": _DATE, **_YEAR_NUMBER},
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
                    "properties": {f.name: _field_schema(f) for f in REGISTRY_FIELDS},
                    "required": [f.name for f in REGISTRY_FIELDS if f.required_for],
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
