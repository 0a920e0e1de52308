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


# What `check` rejects and a JSON Schema can say (issue 23): unknown country codes, and periods
# that are no real date (month 13, 29 February of a common year, open at both ends).
BAD_PERIODS = ["2023-13", "2023-00", "2019-02-29", "2019-04-31", "../..", "2019-1", "0000", "2018/2017-13"]
GOOD_PERIODS = ["2018", "2019-01/2019-11", "2012/..", "../2019", "2020-02-29", "2000-02-29", "2017-12-31"]


@pytest.mark.parametrize("field,value", [("countries", ["CHN", "XXX"]), ("countries", ["chn"]),
                                         *[("period", p) for p in BAD_PERIODS], ("period", 123)])
def test_schema_and_check_both_reject(run, fact_dir, field, value):
    from conftest import figure_yaml

    fact = yaml.safe_load("facts:\n" + figure_yaml("t-1", "1"))
    fact["facts"][0][field] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(fact, build_schema())
    d = fact_dir({"t.yaml": yaml.safe_dump(fact)})
    result = run(["check", "--no-shipped", "--facts", str(d)], env={"BRICLI_FACTS": ""})
    assert result.exit_code != 0, (field, value, result.stdout)


@pytest.mark.parametrize("period", GOOD_PERIODS)
def test_schema_and_check_both_accept(run, fact_dir, period):
    from conftest import figure_yaml

    fact = yaml.safe_load("facts:\n" + figure_yaml("t-1", "1", period=period, countries="[CHN, LCN]"))
    jsonschema.validate(fact, build_schema())
    d = fact_dir({"t.yaml": yaml.safe_dump(fact)})
    result = run(["check", "--no-shipped", "--facts", str(d)], env={"BRICLI_FACTS": ""})
    assert result.exit_code == 0, (period, result.stdout, result.stderr)


def test_the_period_pattern_is_the_parser_on_every_day():
    """Every month and day of common, leap and century years: the pattern accepts what
    model/periods.py parses, and nothing else."""
    import re

    from bricli.model.periods import parse_period

    pattern = re.compile(build_schema()["properties"]["facts"]["items"]["properties"]["period"]["pattern"])
    cases = [f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d is not None else "") for y in (1, 1900, 2000, 2019, 2020, 2100)
             for m in range(14) for d in (None, *range(33))]
    for text in cases + BAD_PERIODS + GOOD_PERIODS:
        try:
            parse_period(text)
            parsed = True
        except ValueError:
            parsed = False
        assert bool(pattern.match(text)) == parsed, text
