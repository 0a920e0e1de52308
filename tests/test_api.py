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
    assert row["source_id"] == "cedpr-2020"


def test_a_broken_base_raises_with_every_problem(tmp_path):
    (tmp_path / "bad.yaml").write_text("facts:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(FactBaseError) as info:
        records(facts=[tmp_path], no_shipped=True)
    assert len(info.value.problems) >= 4


# --- parity with the command line (issue 12, item 10; issue 11, item 12) -----------------

from bricli.api import QueryError, options  # noqa: E402
from bricli.cli.main import app  # noqa: E402
from bricli.model.vocab import TOPICS  # noqa: E402
from bricli.present.options import PRESENTATION_ONLY  # noqa: E402


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


# --- every listing and view from Python (issue 23, part 5) --------------------------------

import bricli.api as api  # noqa: E402
from bricli.present.options import VIEW_OPTIONS  # noqa: E402

SERIES_ID = "trade-total-chn-lcn-usd"
PLAIN_ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}


@pytest.mark.parametrize("view", list(VIEW_OPTIONS))
def test_each_view_takes_exactly_its_commands_options(view):
    assert set(options(view)) == _cli_options(view)


VIEW_CALLS = [
    (lambda: api.search("Huawei"), ["search", "Huawei"]),
    (lambda: api.search("port", country="PER", derived=True, sort="-period", limit=3),
     ["search", "port", "--country", "PER", "--derived", "--sort", "-period", "--limit", "3"]),
    (lambda: api.timeline(date_from=2018, date_to="2019"), ["timeline", "--from", "2018", "--to", "2019"]),
    (lambda: api.timeline(country="PAN", grep="memorandum"), ["timeline", "--country", "PAN", "--grep", "memorandum"]),
    (lambda: [api.show("trade-2018-total-chn-lcn")], ["show", "trade-2018-total-chn-lcn"]),
    (api.sources, ["sources"]),
    (lambda: api.sources(sort="-facts", limit=3, columns="id,reliability,facts"),
     ["sources", "--sort", "-facts", "--limit", "3", "--columns", "id,reliability,facts"]),
    (api.conflicts, ["conflicts"]),
    (lambda: api.conflicts(year=2011, kind="value"), ["conflicts", "--year", "2011", "--kind", "value"]),
    (lambda: api.conflicts(kind="date", columns=["conflict", "source.quote"]),
     ["conflicts", "--kind", "date", "--columns", "conflict,source.quote"]),
    (api.countries, ["countries"]),
    (lambda: api.country("Brasil"), ["country", "Brasil"]),
    (lambda: api.country("BRA", year="2015..2020", derived=True), ["country", "BRA", "--year", "2015..2020", "--derived"]),
    (lambda: api.country("PAN", status=True), ["country", "PAN", "--status"]),
    (api.series, ["series"]),
    (lambda: api.series("trade", "investment"), ["series", "trade", "investment"]),
    (lambda: api.series(SERIES_ID, year="2010..2015"), ["series", SERIES_ID, "--year", "2010..2015"]),
    (lambda: api.series(SERIES_ID, alternates=True, basis="china-customs"),
     ["series", SERIES_ID, "--alternates", "--basis", "china-customs"]),
]


@pytest.mark.parametrize("call,args", VIEW_CALLS, ids=[" ".join(a) for _, a in VIEW_CALLS])
def test_each_view_gives_what_its_command_prints_as_json(run, call, args):
    cli = run([*args, "-f", "json"], env=PLAIN_ENV)
    assert cli.exit_code == 0, cli.stderr
    expected = json.loads(cli.stdout)
    assert expected, "a parity test on nothing proves nothing"
    assert call() == expected


VIEW_ERRORS = [
    (lambda: api.search("   "), ["search", "   "]),
    (lambda: api.show("trade-2018-total-chn-lcx"), ["show", "trade-2018-total-chn-lcx"]),
    (lambda: api.country("Narnia"), ["country", "Narnia"]),
    (lambda: api.country("BRA", year="20x8"), ["country", "BRA", "--year", "20x8"]),
    (lambda: api.timeline(year=2018, date_from="2018"), ["timeline", "--year", "2018", "--from", "2018"]),
    (lambda: api.conflicts(kind="sideways"), ["conflicts", "--kind", "sideways"]),
    (lambda: api.conflicts(columns="conflict,nope"), ["conflicts", "--columns", "conflict,nope"]),
    (lambda: api.sources(sort="nope"), ["sources", "--sort", "nope"]),
    (lambda: api.series("trade", SERIES_ID), ["series", "trade", SERIES_ID]),
    (lambda: api.series("a-b", "c-d"), ["series", "a-b", "c-d"]),
    (lambda: api.series("trade-total-chn-lcn-usx"), ["series", "trade-total-chn-lcn-usx"]),
    (lambda: api.series(basis="nobody"), ["series", "--basis", "nobody"]),
    (lambda: api.series(alternates=True), ["series", "--alternates"]),
]


@pytest.mark.parametrize("call,args", VIEW_ERRORS, ids=[" ".join(a) for _, a in VIEW_ERRORS])
def test_each_view_refuses_what_its_command_refuses_with_the_same_message(run, call, args):
    with pytest.raises(QueryError) as info:
        call()
    cli = run(args, env=PLAIN_ENV)
    assert cli.exit_code == 2
    assert f"bricli: {info.value}" in cli.stderr and info.value.hint in cli.stderr


@pytest.mark.parametrize("call", [
    lambda: api.sources(grep="x"), lambda: api.countries(year=2018), lambda: api.show("x", limit=1),
    lambda: api.search("x", grep="y"), lambda: api.country("BRA", country="PER"), lambda: api.timeline(derived=True),
    lambda: api.conflicts(flow="exports"), lambda: api.series(status=True), lambda: api.country("BRA", status="yes"),
    lambda: api.show(5), lambda: api.search(["a"]), lambda: api.country(None), lambda: api.series(SERIES_ID, alternates=1),
    lambda: api.dataframe("search"), lambda: api.dataframe("sources", "x"), lambda: api.dataframe("show", "x", cite_as=True),
])
def test_options_and_arguments_a_view_lacks_are_refused(call):
    with pytest.raises(QueryError):
        call()


@pytest.mark.parametrize("call", [
    lambda d: api.search("x", facts=d, no_shipped=True), lambda d: api.timeline(facts=d, no_shipped=True),
    lambda d: api.show("x", facts=d, no_shipped=True), lambda d: api.sources(facts=d, no_shipped=True),
    lambda d: api.conflicts(facts=d, no_shipped=True), lambda d: api.countries(facts=d, no_shipped=True),
    lambda d: api.country("BRA", facts=d, no_shipped=True), lambda d: api.series(facts=d, no_shipped=True),
    lambda d: api.dataframe("countries", facts=d, no_shipped=True),
])
def test_every_view_refuses_a_base_with_problems(tmp_path, call):
    (tmp_path / "bad.yaml").write_text("facts:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(FactBaseError):
        call(tmp_path)


def test_show_cite_as_gives_the_citation_the_command_prints(run):
    cli = run(["show", "trade-2018-total-chn-lcn", "--cite-as"], env=PLAIN_ENV)
    assert cli.exit_code == 0, cli.stderr
    assert api.show("trade-2018-total-chn-lcn", cite_as=True) == cli.stdout


# --- dataframe: the export's column names, full or empty -------------------------------------

def _export_header(run, tmp_path, table: str) -> list[str]:
    import csv

    out = tmp_path / "export"
    cli = run(["export", str(out), "--format", "csv", "--year", "2018"], env=PLAIN_ENV)
    assert cli.exit_code == 0, cli.stderr
    with open(out / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def test_a_dataframe_of_facts_has_the_columns_of_the_exports_facts_csv(run, tmp_path):
    """Issue 23: the API said source.quote where the export says source_quote; now the export's names, in its order."""
    header = _export_header(run, tmp_path, "facts")
    assert header[-1] == "selected"  # the export's own: whether a row matches its selection
    for frame in (dataframe("trade", year=2018), dataframe("trade", year=2018, derived=True), dataframe("search", "Huawei"),
                  dataframe("timeline", year=2018), dataframe("country", "BRA"), dataframe("show", "trade-2018-total-chn-lcn")):
        assert list(frame.columns) == header[:-1]
    df = dataframe("trade", year=2018).set_index("id")
    row = df.loc["trade-2018-exports-chn-lcn"]
    assert row["source_quote"] and row["source_id"] == "cedpr-2020" and row["year"] == 2018
    assert str(row["period_start"]) == "2018-01-01" and str(row["period_end"]) == "2018-12-31"
    assert str(df["year"].dtype) == "Int64"  # an integer column, empty where a period spans years
    assert row["countries"] == ["CHN", "LCN"]


def test_a_dataframe_of_sources_has_the_columns_of_the_exports_sources(run, tmp_path):
    header = _export_header(run, tmp_path, "sources")
    columns = list(dataframe("sources").columns)
    assert set(columns) <= set(header) and set(header) - set(columns) == {"date_start", "date_end"}


VIEW_FRAMES = [  # (view, args, options matching nothing, their csv command)
    ("trade", (), {"year": 1900}, ["trade"]),
    ("search", ("Huawei",), {"year": 1900}, ["search", "Huawei"]),
    ("timeline", (), {"grep": "zzqxq"}, ["timeline"]),  # (a fact open at the start is in any year)
    ("country", ("BRA",), {"grep": "zzqxq"}, ["country", "BRA"]),
    ("conflicts", (), {"grep": "zzqxq"}, ["conflicts"]),
    ("series", (), {"grep": "zzqxq"}, ["series"]),
    ("series", ("trade",), {"grep": "zzqxq"}, ["series", "trade"]),
]


@pytest.mark.parametrize("view,args,nothing,command", VIEW_FRAMES)
def test_an_empty_dataframe_of_any_view_has_the_columns_of_a_full_one(view, args, nothing, command):
    full = dataframe(view, *args)
    empty = dataframe(view, *args, **nothing)
    assert len(full) and len(empty) == 0
    assert list(empty.columns) == list(full.columns)


@pytest.mark.parametrize("view,args,command", [
    ("sources", (), ["sources"]), ("conflicts", (), ["conflicts"]), ("countries", (), ["countries"]),
    ("country", ("PAN",), ["country", "PAN", "--status"]), ("series", (), ["series"]),
    ("series", (SERIES_ID,), ["series", SERIES_ID]), ("series", (SERIES_ID,), ["series", SERIES_ID, "--alternates"]),
])
def test_a_views_dataframe_has_its_csv_header_with_nested_names_as_the_export_writes_them(run, view, args, command):
    import csv
    import io

    cli = run([*command, "-f", "csv"], env=PLAIN_ENV)
    assert cli.exit_code == 0, cli.stderr
    header = next(csv.reader(io.StringIO(cli.stdout)))
    extra = {"status": True} if "--status" in command else {"alternates": True} if "--alternates" in command else {}
    assert list(dataframe(view, *args, **extra).columns) == [h.replace(".", "_") for h in header]


def test_an_empty_listing_of_a_view_still_has_its_csv_header_and_columns(run):
    """With nothing matching, `bricli conflicts -f csv` printed nothing and `--columns` refused every field."""
    cli = run(["conflicts", "--grep", "zzqxq", "-f", "csv"], env=PLAIN_ENV)
    assert cli.exit_code == 0 and cli.stdout.startswith("conflict,subject,disagreement,id,")
    cli = run(["conflicts", "--grep", "zzqxq", "--columns", "conflict,source.id", "-f", "csv"], env=PLAIN_ENV)
    assert cli.exit_code == 0 and cli.stdout == "conflict,source.id\n"
    assert api.conflicts(grep="zzqxq", columns="conflict,source.id") == []
    assert list(dataframe("conflicts", grep="zzqxq", columns="conflict,source.id").columns) == ["conflict", "source_id"]


def test_the_api_never_imports_the_cli():
    """bricli.api imports what its functions run at its top (pandas too), but no part of the command line."""
    import subprocess
    import sys

    code = ("import sys, bricli.api; print(sorted(m for m in sys.modules if m.startswith(('bricli.cli', 'typer', 'click'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_readme_example_runs_from_the_command_line():
    import subprocess
    import sys

    code = f"import bricli.api as b; print(b.series('{SERIES_ID}', year=2018)[0]['value'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**__import__("os").environ,
                                                                                          "BRICLI_FACTS": ""})
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) > 0


def test_import_bricli_reaches_the_api_without_loading_it_first():
    """Issue 23: `python -c "import bricli; ..."` reaches every view; `import bricli` alone stays light."""
    import subprocess
    import sys

    code = ("import sys, bricli; light = 'bricli.api' not in sys.modules; "
            f"print(light, bricli.api.series('{SERIES_ID}', year=2018)[0]['value'] > 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**__import__("os").environ,
                                                                                          "BRICLI_FACTS": ""})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]


def test_a_bad_series_request_is_refused_before_the_base_is_read(run, tmp_path):
    """A usage error (exit 2) names what was asked wrong, whatever the fact files hold."""
    (tmp_path / "bad.yaml").write_text("facts:\n  - id: x\n", encoding="utf-8")
    for call, args in [(lambda: api.series(basis="nobody", facts=tmp_path, no_shipped=True), ["--basis", "nobody"]),
                       (lambda: api.series(alternates=True, facts=tmp_path, no_shipped=True), ["--alternates"])]:
        with pytest.raises(QueryError):
            call()
        cli = run(["series", *args, "--facts", str(tmp_path), "--no-shipped"], env=PLAIN_ENV)
        assert cli.exit_code == 2, cli.stderr
