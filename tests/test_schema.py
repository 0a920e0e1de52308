"""The published JSON Schema: generated from the model, current, and true to the shipped facts."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from bricli.load.discover import shipped_facts_dir
from bricli.model.schema import SCHEMA_PATH
from schema import build_schema, render_schema  # tools/schema.py


def test_committed_schema_is_current():
    # regenerate with: python tools/generate.py
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema()


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(build_schema())


@pytest.mark.parametrize("path", sorted(shipped_facts_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_facts_validate_against_the_schema(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(doc, build_schema())


def test_schema_rejects_what_bricli_rejects():
    bad = {"facts": [{"id": "x", "type": "figure", "topic": "trade", "label": "x", "vlaue": 1,
                      "source": {"id": "s", "section": "s", "quote": "q"}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, build_schema())


def test_schema_command_prints_it(run):
    result = run(["schema"])
    assert result.exit_code == 0 and json.loads(result.stdout)["title"] == "bricli fact file"
