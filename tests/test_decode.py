"""One test per rule of the fact validator (load/decode.py), the reference checks
(checks/references.py) and the share checks (checks/arithmetic.py), and a parity
test: the JSON Schema and the validator accept and refuse the same documents."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from bricli.checks.arithmetic import check_shares
from bricli.load.assemble import load, load_file
from bricli.model.schema import SCHEMA_PATH

SOURCE = {"id": "test-src", "title": "A test source", "date": "2020-01"}


def figure(**changes) -> dict:
    fact = {"id": "trade-2018", "type": "figure", "topic": "trade", "label": "Trade 2018", "metric": "trade",
            "direction": "total", "countries": ["CHN", "LCN"], "value": 307.4, "unit": "USD", "scale": "billion",
            "period": "2018", "source": {"id": "test-src", "section": "S", "quote": "q"}}
    fact.update(changes)
    return {k: v for k, v in fact.items() if v is not DROP}


def project(**changes) -> dict:
    fact = {"id": "port-x", "type": "project", "topic": "projects", "label": "A port", "name": "Port X",
            "kind": "port", "source": {"id": "test-src", "section": "S", "quote": "q"}}
    fact.update(changes)
    return {k: v for k, v in fact.items() if v is not DROP}


DROP = object()


def doc(*facts: dict) -> dict:
    return {"sources": [dict(SOURCE)], "facts": list(facts)}


def problems_of(document: dict, tmp_path: Path) -> list:
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_file(path).problems


def base_problems(document: dict, tmp_path: Path) -> list:
    d = tmp_path / "facts"
    d.mkdir(exist_ok=True)
    (d / "facts.yaml").write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load([d])[1]


def only(problems: list, field: str | None, fragment: str) -> None:
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].field == field and fragment in problems[0].message, str(problems[0])


def test_a_good_figure_and_project_pass(tmp_path):
    assert problems_of(doc(figure(), project()), tmp_path) == []


# --- one test per rule ---------------------------------------------------------------------


def test_period_and_as_of_together(tmp_path):
    only(problems_of(doc(figure(as_of="2018-12-31")), tmp_path), "as_of", "not both")


def test_figure_without_a_time(tmp_path):
    only(problems_of(doc(figure(period=DROP)), tmp_path), "period", "needs a time")


def test_kind_not_allowed_for_the_type(tmp_path):
    only(problems_of(doc(project(kind="swap")), tmp_path), "kind", "not a kind of project")


def test_unknown_kind(tmp_path):
    only(problems_of(doc(project(kind="spaceport")), tmp_path), "kind", "not a valid kind")


def test_range_needs_value_max(tmp_path):
    only(problems_of(doc(figure(qualifier="range")), tmp_path), "value_max", "needs 'value_max'")


def test_value_max_only_with_range(tmp_path):
    only(problems_of(doc(figure(value_max=310)), tmp_path), "value_max", "only for qualifier 'range'")


def test_a_range_with_value_max_passes(tmp_path):
    assert problems_of(doc(figure(qualifier="range", value_max=310)), tmp_path) == []


def test_field_on_the_wrong_type(tmp_path):
    only(problems_of(doc(project(unit="USD")), tmp_path), "unit", "does not belong on a project")


def test_missing_required_field(tmp_path):
    only(problems_of(doc(figure(unit=DROP)), tmp_path), "unit", "missing required field 'unit'")


def test_unknown_field_with_a_suggestion(tmp_path):
    problems = problems_of(doc(figure(vaule=1)), tmp_path)
    assert any(p.field == "vaule" and "unknown field" in p.message for p in problems)


def test_unknown_type(tmp_path):
    problems = problems_of(doc(figure(type="figurine")), tmp_path)
    assert any(p.field == "type" and "not a valid type" in p.message for p in problems)


@pytest.mark.parametrize("source, field, fragment", [
    ("test-src", "source", "expected a mapping"),
    ({"id": "test-src", "section": "S"}, "source.quote", "missing 'quote'"),
    ({"id": "test-src", "section": "S", "quote": "q", "page": 3}, "source.page", "unknown field 'page'"),
])
def test_malformed_source_mapping(tmp_path, source, field, fragment):
    only(problems_of(doc(figure(source=source)), tmp_path), field, fragment)


@pytest.mark.parametrize("ratio, field, fragment", [
    (["a", "b"], "ratio_of", "expected a mapping"),
    ({"part": "a"}, "ratio_of.whole", "missing 'whole'"),
    ({"part": "Not An Id", "whole": "b"}, "ratio_of.part", "not a valid id"),
])
def test_malformed_ratio_mapping(tmp_path, ratio, field, fragment):
    only(problems_of(doc(figure(ratio_of=ratio, unit="percent", scale="one")), tmp_path), field, fragment)


def test_bad_id(tmp_path):
    only(problems_of(doc(figure(id="Trade 2018")), tmp_path), "id", "not a valid id")


def test_bad_period(tmp_path):
    only(problems_of(doc(figure(period="2019-13")), tmp_path), "period", "")


def test_period_ending_before_it_starts(tmp_path):
    only(problems_of(doc(figure(period="2019/2018")), tmp_path), "period", "ends before it starts")


def test_unknown_country(tmp_path):
    only(problems_of(doc(figure(countries=["CHN", "XXX"])), tmp_path), "countries[1]", "unknown country code")


def test_quoted_number(tmp_path):
    only(problems_of(doc(figure(value="307.4")), tmp_path), "value", "expected a number")


def test_reference_to_a_missing_fact(tmp_path):
    only(base_problems(doc(figure(revises="trade-2017")), tmp_path), "revises", "does not exist")


def test_reference_to_itself(tmp_path):
    only(base_problems(doc(figure(revises="trade-2018")), tmp_path), "revises", "the fact itself")


def test_reference_to_an_unknown_source(tmp_path):
    only(base_problems(doc(figure(source={"id": "nowhere", "section": "S", "quote": "q"})), tmp_path),
         "source.id", "not in any sources list")


def test_duplicate_fact_id(tmp_path):
    problems = base_problems(doc(figure(), figure()), tmp_path)
    assert [p.rule for p in problems] == ["duplicate-id"]


# --- shares (checks/arithmetic.py) -----------------------------------------------------------


def share_facts(tmp_path: Path, **changes):
    part = figure(id="part", value=40, direction="exports", period="2018")
    whole = figure(id="whole", value=100, direction="total", period="2018")
    share = figure(id="share", value=40, unit="percent", scale="one", metric="share", direction=DROP,
                   ratio_of={"part": "part", "whole": "whole"})
    share.update(changes)
    d = tmp_path / "shares"
    d.mkdir()
    (d / "f.yaml").write_text(yaml.safe_dump(doc(part, whole, share), sort_keys=False), encoding="utf-8")
    base, problems = load([d])
    shares = check_shares(base.facts)
    assert problems == shares  # load reports the arithmetic too (issue 11: it blocks figures)
    return shares


def test_share_that_adds_up(tmp_path):
    assert share_facts(tmp_path) == []


def test_share_must_be_in_percent(tmp_path):
    (p,) = share_facts(tmp_path, unit="count")
    assert p.field == "unit" and "in percent" in p.message


def test_share_of_inexact_figures(tmp_path):
    # the part is stated "about": ratio_of must name exact figures
    d = tmp_path / "inexact"
    d.mkdir()
    part = figure(id="part", value=40, direction="exports", qualifier="about")
    whole = figure(id="whole", value=100)
    share = figure(id="share", value=40, unit="percent", scale="one", metric="share", direction=DROP,
                   ratio_of={"part": "part", "whole": "whole"})
    (d / "f.yaml").write_text(yaml.safe_dump(doc(part, whole, share), sort_keys=False), encoding="utf-8")
    base, _ = load([d])
    (p,) = check_shares(base.facts)
    assert p.field == "ratio_of" and "exact figures" in p.message


def test_share_that_does_not_add_up(tmp_path):
    (p,) = share_facts(tmp_path, value=45)
    assert p.field == "value" and "stated share 45%" in p.message


# --- parity: the JSON Schema and the validator agree --------------------------------------------


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


PARITY = {
    "good figure": doc(figure()),
    "good project": doc(project()),
    "good range": doc(figure(qualifier="range", value_max=310)),
    "good as_of": doc(figure(period=DROP, as_of="2017-12-31", measure="stock")),
    "good when": doc(figure(period=DROP, when="so far")),
    "unknown field": doc(figure(vaule=1)),
    "missing required": doc(figure(unit=DROP)),
    "kind for another type": doc(project(kind="swap")),
    "field on wrong type": doc(project(unit="USD")),
    "bad enum": doc(figure(unit="yen")),
    "bad id": doc(figure(id="Trade 2018")),
    "bad period syntax": doc(figure(period="18")),
    "quoted number": doc(figure(value="307.4")),
    "source not a mapping": doc(figure(source="test-src")),
    "source missing quote": doc(figure(source={"id": "test-src", "section": "S"})),
    "ratio extra key": doc(figure(ratio_of={"part": "a", "whole": "b", "of": "c"})),
    "unknown top-level key": {**doc(figure()), "notes": []},
    "source without title": {"sources": [{"id": "s", "date": "2020"}]},
    "countries not a list": doc(figure(countries="CHN")),
    "empty label": doc(figure(label="")),
    # the schema lists countries.tsv's codes and spells out real dates (issue 23)
    "unknown country": doc(figure(countries=["CHN", "XXX"])),
    "impossible month": doc(figure(period="2019-13")),
    "month 00": doc(figure(period="2019-00")),
    "29 February of a common year": doc(figure(period="2019-02-29")),
}

# What only the validator can tell (the schema describes shape, not meaning):
# rules across fields or files, and values whose pattern is right but meaning wrong.
VALIDATOR_ONLY = {
    "period and as_of": doc(figure(as_of="2018-12-31")),
    "figure without a time": doc(figure(period=DROP)),
    "range without value_max": doc(figure(qualifier="range")),
    "value_max without range": doc(figure(value_max=310)),
}


@pytest.mark.parametrize("name", sorted(PARITY))
def test_schema_and_validator_agree(name, tmp_path):
    import jsonschema

    document = copy.deepcopy(PARITY[name])
    schema_ok = not list(jsonschema.Draft202012Validator(_schema()).iter_errors(document))
    validator_ok = problems_of(document, tmp_path) == []
    assert schema_ok == validator_ok, (name, schema_ok, validator_ok)


@pytest.mark.parametrize("name", sorted(VALIDATOR_ONLY))
def test_what_only_the_validator_refuses(name, tmp_path):
    import jsonschema

    document = copy.deepcopy(VALIDATOR_ONLY[name])
    assert not list(jsonschema.Draft202012Validator(_schema()).iter_errors(document)), name
    assert problems_of(document, tmp_path) != [], name


def test_the_one_yaml11_check_says_what_the_separate_patterns_say():
    """yaml11_reading first tries one combined pattern; it must find exactly what the patterns do."""
    import random

    from bricli.load import decode

    rng = random.Random(11)
    alphabet = "0123456789_:.-+xXbBeEyYnNtrufalsoTRUEFALSONinfaN \tT\n"
    samples = ["yes", "NO", "1:20", "012", "0x1F", "2018-01-01", "2018-1-1 10:00", ".inf", "-.NaN", "on", "y", "0b101",
               "1_000", "12", "1.5", "2018", "abc", "no\n"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(20000)]

    def separately(text):
        return next((what for what, pattern in decode._YAML11 if pattern.match(text)), None)

    for text in samples:
        assert decode.yaml11_reading(text) == separately(text), repr(text)


def test_a_value_seen_before_is_checked_again_where_it_is_wrong(tmp_path):
    # the validator remembers what a repeated value converts to; a value it refused, or the same
    # text written otherwise (plain, not quoted), is still checked in every fact
    path = tmp_path / "facts.yaml"
    fact = ("  - {{id: f-{n}, type: figure, topic: trade, label: L, metric: trade, direction: {direction}, "
            "countries: {countries}, value: 1, unit: USD, scale: billion, period: \"2018\", "
            "source: {{id: test-src, section: S, quote: q}}}}\n")
    path.write_text("sources:\n  - {id: test-src, title: T, date: \"2020-01\"}\nfacts:\n" + "".join(
        fact.format(n=n, direction=direction, countries=countries) for n, (direction, countries) in enumerate([
            ("total", "[CHN, BRA]"), ("totl", "[CHN, BRA]"), ("totl", "[CHN, BRA]"),
            ("total", '["CHN", "NO"]'), ("total", "[CHN, NO]"), ("total", '["CHN", "NO"]')])), encoding="utf-8")
    problems = load_file(path).problems
    assert [(p.fact_id, p.field) for p in problems] == [
        ("f-1", "direction"), ("f-2", "direction"), ("f-3", "countries[1]"), ("f-4", "countries[1]"),
        ("f-5", "countries[1]")], [str(p) for p in problems]
    assert "YAML 1.1" in problems[3].message and "YAML 1.1" not in problems[2].message
