"""The Python API gives the same records as --format json, and a DataFrame for notebooks."""

from __future__ import annotations

import json

import pytest

from bricli.api import dataframe, records
from bricli.model.problems import FactBaseError


def test_records_match_the_json_output(run):
    cli = json.loads(run(["trade", "--year", "2018", "-f", "json"], env={"BRICLI_FACTS": ""}).stdout)
    assert records("trade", year=2018) == cli


def test_dataframe_flattens_and_keeps_numbers():
    df = dataframe("trade", year=2018, derived=False)
    row = df.set_index("id").loc["trade-2018-exports-chn-lcn"]
    assert row["value"] == 148.79 and row["value_base"] == 148_790_000_000
    assert row["source.id"] == "cedpr-2020"


def test_a_broken_base_raises_with_every_problem(tmp_path):
    (tmp_path / "bad.yaml").write_text("facts:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(FactBaseError) as info:
        records(facts=[tmp_path], no_shipped=True)
    assert len(info.value.problems) >= 4


# --- parity with the command line (issue 12, item 10; issue 11, item 12) -----------------

from bricli.api import QueryError, options  # noqa: E402
from bricli.cli.main import app  # noqa: E402
from bricli.model.vocab import TOPICS  # noqa: E402
from bricli.present.request import PRESENTATION_ONLY  # noqa: E402


def _cli_options(topic: str) -> set[str]:
    """The parameter names of `bricli TOPIC`, read from the command itself."""
    import typer.main

    group = typer.main.get_command(app)
    command = group.commands[topic]
    return {p.name for p in command.params if p.param_type_name == "option"} - set(PRESENTATION_ONLY)


@pytest.mark.parametrize("topic", TOPICS)
def test_the_api_takes_exactly_the_commands_options(topic):
    assert set(options(topic)) == _cli_options(topic)
    assert set(PRESENTATION_ONLY) <= {p.name for p in __import__("typer").main.get_command(app).commands[topic].params}


@pytest.mark.parametrize("call,args", [
    ({"topic": "trade", "flow": "exports", "year": "2018"}, ["trade", "--flow", "exports", "--year", "2018"]),
    ({"topic": "trade", "flow": ["exports", "imports"], "year": 2018}, ["trade", "--flow", "exports,imports", "--year", "2018"]),
    ({"topic": "trade", "year": "2015..2018", "derived": True}, ["trade", "--year", "2015..2018", "--derived"]),
    ({"topic": "people", "kind": "tourism"}, ["people", "--kind", "tourism"]),
    ({"topic": "investment", "kind": "stock", "direction": "outward"}, ["investment", "--kind", "stock", "--direction", "outward"]),
    ({"topic": "projects", "country": "BRA,PAN", "sort": "-period", "limit": 2}, ["projects", "--country", "BRA,PAN", "--sort", "-period", "--limit", "2"]),
    ({"topic": "trade", "columns": "id,value", "date_from": 2018, "date_to": "2018-12"},
     ["trade", "--columns", "id,value", "--from", "2018", "--to", "2018-12"]),
    ({"topic": "risks", "category": ["political"], "country": ["Perú"], "grep": "election"},
     ["risks", "--category", "political", "--country", "Perú", "--grep", "election"]),
])
def test_the_api_gives_what_the_command_prints(run, call, args):
    cli = run([*args, "-f", "json"], env={"BRICLI_FACTS": "", "BRICLI_FORMAT": ""})
    assert cli.exit_code == 0, cli.stderr
    assert records(**call) == json.loads(cli.stdout)


@pytest.mark.parametrize("call,args", [
    ({"topic": "trades"}, None),
    ({"topic": "investment", "flow": "total"}, None),
    ({"topic": "trade", "flow": "sideways"}, ["trade", "--flow", "sideways"]),
    ({"topic": "trade", "country": "Narnia"}, ["trade", "--country", "Narnia"]),
    ({"topic": "trade", "year": "20x8"}, ["trade", "--year", "20x8"]),
    ({"topic": "trade", "year": 2018, "date_from": "2018"}, ["trade", "--year", "2018", "--from", "2018"]),
    ({"topic": "trade", "date_from": "2019-13"}, ["trade", "--from", "2019-13"]),
    ({"topic": "trade", "columns": "id,nope"}, ["trade", "--columns", "id,nope"]),
    ({"topic": "trade", "sort": "nope"}, ["trade", "--sort", "nope"]),
    ({"topic": "trade", "limit": -1}, ["trade", "--limit", "-1"]),
    ({"topic": "trade", "source": "nope"}, ["trade", "--source", "nope"]),
])
def test_the_api_refuses_what_the_command_refuses_with_the_same_message(run, call, args):
    with pytest.raises(QueryError) as info:
        records(**call)
    assert isinstance(info.value, ValueError) and str(info.value)
    if args:
        cli = run(args, env={"BRICLI_FACTS": "", "BRICLI_FORMAT": ""})
        assert cli.exit_code == 2
        assert f"bricli: {info.value}" in cli.stderr and info.value.hint in cli.stderr


@pytest.mark.parametrize("call", [
    {"grep": 5}, {"year": True}, {"year": 2018.0}, {"country": 7}, {"source": {"cedpr-2020"}},
    {"date_from": 2019.5}, {"date_to": True}, {"derived": "yes"}, {"limit": "ten"}, {"columns": 5},
    {"facts": 5}, {"facts": [""]}, {"no_shipped": 1}, {"max_file_size": True}, {"sort": 3},
])
def test_bad_types_are_refused_at_the_boundary(call):
    with pytest.raises(QueryError) as info:
        records("trade", **call)
    name = next(iter(call))
    assert name.replace("_", "-").replace("date-from", "from").replace("date-to", "to") in str(info.value)


def test_a_single_directory_and_an_int_year_are_read_as_meant(tmp_path):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "s.yaml").write_text('sources:\n  - {id: s, title: "S", date: "2020"}\n', encoding="utf-8")
    (d / "f.yaml").write_text(
        "facts:\n  - {id: f-2019, type: figure, topic: trade, label: L, metric: trade, direction: total, countries: [CHN, LCN],"
        " value: 1, unit: USD, scale: billion, period: '2019', source: {id: s, section: S, quote: q}}\n", encoding="utf-8")
    assert [r["id"] for r in records("trade", facts=str(d), no_shipped=True)] == ["f-2019"]
    assert [r["id"] for r in records("trade", facts=d, no_shipped=True, date_from=2019)] == ["f-2019"]
    assert records("trade", facts=d, no_shipped=True, date_from=2020) == []


def test_an_empty_dataframe_has_the_columns_of_a_full_one():
    """Issue 23: dataframe("trade", year=1900) has the columns (df["value"] works), the same as when rows match."""
    full = dataframe("trade", year=2018)
    empty = dataframe("trade", year=1900)
    assert len(empty) == 0 and list(empty.columns) == list(full.columns)
    assert list(empty["value"]) == []
    assert list(dataframe("trade", year=1900, columns=["id", "value"]).columns) == ["id", "value"]
