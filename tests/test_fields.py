"""model/fields.py is the single source of the fact model: the records and the JSON Schema follow it."""

from __future__ import annotations

import dataclasses
import typing

from bricli.model import facts
from bricli.model.fields import FACT_FIELDS, ID_PATTERN, KINDS, RATIO_FIELDS, REGISTRY_FIELDS, SOURCE_REF_FIELDS, STAGES
from bricli.model.schema import SCHEMA_PATH

# fields of the records that are not fields of the file: where the record was read from
NOT_IN_FILES = {"loc"}


def names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)} - NOT_IN_FILES


def test_fact_record_has_exactly_the_fields_of_the_table():
    assert names(facts.Fact) == {f.name for f in FACT_FIELDS}


def test_source_record_has_exactly_the_fields_of_the_table():
    assert names(facts.Source) == {f.name for f in REGISTRY_FIELDS}
    assert names(facts.SourceRef) == set(SOURCE_REF_FIELDS)


def test_required_fields_have_no_default_and_optional_ones_do():
    hints = typing.get_type_hints(facts.Fact)
    by_name = {f.name: f for f in dataclasses.fields(facts.Fact)}
    for spec in FACT_FIELDS:
        field = by_name[spec.name]
        has_default = field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
        if set(spec.required_for) == set(facts_types()):
            assert not has_default, spec.name
        else:
            assert has_default, spec.name
        if spec.kind in ("countries", "texts"):
            assert hints[spec.name] == tuple[str, ...], spec.name
        if spec.kind == "number":
            assert hints[spec.name] == facts.Number | None, spec.name
        if spec.kind == "ratio":
            assert hints[spec.name] == tuple[str, str] | None, spec.name


def facts_types() -> tuple[str, ...]:
    from bricli.model.vocab import FACT_TYPES

    return FACT_TYPES


def test_schema_follows_the_table():
    import json

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    fact = schema["properties"]["facts"]["items"]
    assert set(fact["properties"]) == {f.name for f in FACT_FIELDS}
    source = schema["properties"]["sources"]["items"]
    assert set(source["properties"]) == {f.name for f in REGISTRY_FIELDS}
    assert set(source["required"]) == {f.name for f in REGISTRY_FIELDS if f.required_for}
    assert set(fact["properties"]["source"]["properties"]) == set(SOURCE_REF_FIELDS)
    assert set(fact["properties"]["ratio_of"]["properties"]) == set(RATIO_FIELDS)
    assert fact["properties"]["id"]["pattern"] == ID_PATTERN
    for spec in FACT_FIELDS:
        if spec.kind == "enum":
            assert fact["properties"][spec.name]["enum"] == list(spec.choices), spec.name
    stage_branches = {b["if"]["properties"]["kind"]["const"]: b["then"]["properties"]["stage"]["enum"]
                      for b in fact["allOf"] if "kind" in b["if"]["properties"]}
    assert stage_branches == {k: list(v) for k, v in STAGES.items()}
    for branch in fact["allOf"]:
        if "type" not in branch["if"]["properties"]:
            continue
        t = branch["if"]["properties"]["type"]["const"]
        assert set(branch["then"]["required"]) == {f.name for f in FACT_FIELDS if t in f.required_for}, t
        if KINDS[t]:
            assert branch["then"]["properties"]["kind"]["enum"] == list(KINDS[t]), t
