"""Topic commands and views, in every format, for people and for scripts."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from bricli.analysis.contract import FIELDS
from bricli.render import FORMATS

TOPICS = ("trade", "investment", "projects", "finance", "people", "policy", "risks")
ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
BOX = {chr(c) for c in range(0x2500, 0x2580)}


def parse(fmt: str, text: str):
    """Parse machine output back into a list of rows."""
    if fmt == "json":
        return json.loads(text)
    if fmt == "ndjson":
        return [json.loads(line) for line in text.splitlines()]
    if fmt == "yaml":
        return yaml.safe_load(text)
    if fmt in ("csv", "tsv"):
        return list(csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
    if fmt == "plain":
        lines = text.splitlines()
        return [dict(zip(lines[0].split("\t"), line.split("\t"))) for line in lines[1:]]
    return text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", [[t] for t in TOPICS] + [["country", "BRA"], ["timeline"], ["search", "bank"], ["sources"],
                                                             ["show", "trade-2018-total-chn-lcn"]])
def test_every_command_in_every_format(run, command, fmt):
    result = run([*command, "--format", fmt], env=ENV)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.strip(), f"{command} {fmt} printed nothing"
    rows = parse(fmt, out)
    if fmt not in ("table", "markdown"):
        assert len(rows) >= 1
    if fmt != "table":
        assert not (set(out) & BOX), "box drawing outside the table format"
    assert "…" not in out


def test_json_contract_fields_and_types(run):
    result = run(["trade", "--format", "json"], env=ENV)
    rows = json.loads(result.stdout)
    for row in rows:
        assert tuple(row) == FIELDS
        assert isinstance(row["derived"], bool)
        if row["type"] in ("figure", "derived"):
            assert isinstance(row["value"], (int, float)) and isinstance(row["value_base"], (int, float))
        else:
            assert row["value"] is None and row["value_base"] is None
        assert isinstance(row["countries"], list) and all(len(c) == 3 for c in row["countries"])
        assert set(row["source"]) == {"id", "title", "date", "url", "section", "quote", "translation"}
        if row["derived"]:
            assert row["formula"] and row["inputs"]
        else:
            assert row["source"]["quote"]


def test_json_value_as_stated_and_in_base_units(run):
    rows = json.loads(run(["show", "trade-2018-exports-chn-lcn", "-f", "json"], env=ENV).stdout)
    (row,) = rows
    assert row["value"] == 148.79 and row["scale"] == "billion" and row["unit"] == "USD"
    assert row["value_base"] == 148_790_000_000
    assert row["period"] == "2018" and row["period_type"] == "span"
    assert row["value_text"] == "US$148.79 billion"


def test_periods_in_iso_8601(run):
    rows = {r["id"]: r for r in json.loads(run(["investment", "-f", "json"], env=ENV).stdout)}
    assert rows["fdi-2017-stock-chn-lcn"]["period"] == "2017-12-31"
    assert rows["fdi-2017-stock-chn-lcn"]["period_label"] == "end-2017"
    assert rows["fdi-2019m11-stock-chn-lcn"]["period"] == "2019-11"
    assert rows["fdi-2019m11-stock-chn-lcn"]["period_label"] == "by Nov 2019"
    assert rows["fdi-2019m11-stock-chn-lcn"]["value_text"] == "more than US$410 billion"


def test_values_read_the_way_the_source_states_them(run):
    rows = {r["id"]: r for r in json.loads(run(["people", "-f", "json"], env=ENV).stdout)}
    assert rows["people-2017-visitors-chn-lcn"]["value_text"] == "nearly 1.3 million"
    trade = {r["id"]: r for r in json.loads(run(["trade", "-f", "json"], env=ENV).stdout)}
    partial = trade["trade-2019m1-11-total-chn-lcn"]
    assert partial["period"] == "2019-01/2019-11" and partial["partial"] is True
    assert partial["period_label"] == "2019 Jan–Nov"


def test_year_filter_includes_partial_periods_and_marks_them(run):
    out = run(["trade", "--year", "2019", "-f", "plain"], env=ENV).stdout
    rows = parse("plain", out)
    partial = [r for r in rows if r["ID"] == "trade-2019m1-11-total-chn-lcn"]
    assert partial and partial[0]["Period"] == "2019 Jan–Nov (partial)"
    assert all("2018" not in r["Period"] or "Jan–Nov" in r["Period"] for r in rows)


def test_flow_filter(run):
    rows = json.loads(run(["trade", "--flow", "exports", "--no-derived", "-f", "json"], env=ENV).stdout)
    assert rows and all(r["direction"] == "exports" for r in rows)
    bad = run(["trade", "--flow", "sideways"], env=ENV)
    assert bad.exit_code == 2 and "exports" in bad.stderr


def test_cite_adds_the_verbatim_quote(run):
    rows = parse("plain", run(["trade", "--year", "2018", "--cite", "-f", "plain"], env=ENV).stdout)
    quotes = {r["ID"]: r["Quote"] for r in rows}
    assert "Chinas exports to the Latin American region amounted to $148.79 billion" in quotes["trade-2018-exports-chn-lcn"]


def test_piped_default_is_plain_tab_separated(run):
    out = run(["trade"], env=ENV).stdout
    assert out.splitlines()[0].split("\t")[:3] == ["ID", "What", "Kind"]
    assert not (set(out) & BOX)


def test_bricli_format_env_and_option_precedence(run):
    assert run(["sources"], env={**ENV, "BRICLI_FORMAT": "json"}).stdout.startswith("[")
    out = run(["sources", "-f", "csv"], env={**ENV, "BRICLI_FORMAT": "json"}).stdout
    assert out.startswith("id,")
    bad = run(["sources"], env={**ENV, "BRICLI_FORMAT": "xml"})
    assert bad.exit_code == 2 and "BRICLI_FORMAT" in bad.stderr


def test_no_match_machine_formats_print_empty_result(run):
    result = run(["trade", "--year", "1950", "-f", "json"], env=ENV)
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    result = run(["trade", "--year", "1950", "-f", "ndjson"], env=ENV)
    assert result.exit_code == 0 and result.stdout == ""
    result = run(["trade", "--year", "1950", "-f", "table"], env=ENV)
    assert result.exit_code == 0 and result.stdout == "" and "no trade facts match" in result.stderr


@pytest.mark.parametrize("text,code", [
    ("BRA", "BRA"), ("br", "BRA"), ("Brasil", "BRA"), ("brazil", "BRA"),
    ("mexico", "MEX"), ("México", "MEX"), ("Perú", "PER"), ("peru", "PER"), ("Panamá", "PAN"),
])
def test_country_matching(run, text, code):
    rows = json.loads(run(["risks", "--country", text, "-f", "json"], env=ENV).stdout) + json.loads(
        run(["projects", "--country", text, "-f", "json"], env=ENV).stdout)
    assert rows and all(code in r["countries"] for r in rows)


def test_unknown_country_exits_2_with_suggestion(run):
    result = run(["trade", "--country", "Brazl"], env=ENV)
    assert result.exit_code == 2
    assert "Brazil (BRA)" in result.stderr


def test_unknown_source_and_fact_id_exit_2(run):
    assert run(["trade", "--source", "nope"], env=ENV).exit_code == 2
    result = run(["show", "trade-2018-total"], env=ENV)
    assert result.exit_code == 2 and "trade-2018-total-chn-lcn" in result.stderr


def test_country_view_groups_by_topic(run):
    rows = parse("plain", run(["country", "Brasil", "-f", "plain"], env=ENV).stdout)
    topics = [r["Topic"] for r in rows]
    order = ["trade", "investment", "projects", "finance", "people", "policy", "risks"]
    assert topics == sorted(topics, key=order.index)
    assert {"projects", "finance", "policy", "risks"} <= set(topics)


def test_timeline_is_in_time_order(run):
    rows = json.loads(run(["timeline", "--from", "2014", "--to", "2019", "-f", "json"], env=ENV).stdout)
    from bricli.model.periods import parse_period

    # a step known only as "by end-2018" (open start) stands at its bound
    starts = [(p.last if p.start is None else p.first) for p in (parse_period(r["period"]) for r in rows)]
    assert starts == sorted(starts)
    assert any(r["id"] == "policy-1-3-6-framework" for r in rows)


def test_search_spans_topics_and_ignores_accents(run):
    rows = json.loads(run(["search", "sao lourenco", "-f", "json"], env=ENV).stdout)
    assert "project-bra-sao-lourenco-water-supply" in [r["id"] for r in rows]
    # the article spells it 'Sâo'; the web sources' facts name it in their labels
    assert all(any(n in (r["source"]["quote"] + r["label"]) for n in ("São Lourenço", "Sâo Lourenço")) for r in rows)


def test_sources_count_facts(run):
    rows = {r["id"]: r for r in json.loads(run(["sources", "-f", "json"], env=ENV).stdout)}
    row = rows["cedpr-2020"]
    assert row["date_estimated"] is True and row["facts"] > 150
    assert len(rows) > 100 and all(r["facts"] >= 1 for r in rows.values())


def test_every_command_has_help_with_an_example(run):
    from bricli.cli.main import app
    from bricli.cli.typer_seam import click_command

    group = click_command(app)
    for name, command in group.commands.items():
        assert command.help and "Example:" in command.help, name
        assert run([name, "--help"]).exit_code == 0


def test_readme_documents_every_json_field():
    """The README's JSON contract names exactly the fields bricli prints (renaming one breaks scripts)."""
    import re

    from conftest import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### JSON contract", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            documented.update(re.findall(r"`([a-z_]+)`", first_cell))
    assert documented == set(FIELDS)
