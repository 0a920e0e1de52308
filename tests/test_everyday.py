"""Everyday use: tables that fit 80 columns, choosing rows and columns, filters that find
the numbers, search that ranks, and the output details scripts rely on (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from bricli.analysis.contract import FIELDS

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
BOX = {chr(c) for c in range(0x2500, 0x2580)}


def out(run, *args, env=None):
    result = run(list(args), env={**ENV, **(env or {})})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def rows(run, *args):
    return json.loads(out(run, *args, "-f", "json"))


def ids(run, *args):
    return [r["id"] for r in rows(run, *args)]


# --- 1. tables that fit ------------------------------------------------------------------


@pytest.mark.parametrize("topic", ["trade", "investment", "finance", "people", "policy", "projects", "risks"])
def test_topic_listings_are_tables_at_80_columns(run, topic):
    text = out(run, topic, "-f", "table", env={"COLUMNS": "80"})
    assert BOX & set(text), "a grid, not a list of records"
    assert "\nWhat:" not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_trade_with_derived_values_still_fits(run):
    text = out(run, "trade", "--derived", "-f", "table", env={"COLUMNS": "80"})
    assert BOX & set(text) and max(len(line) for line in text.splitlines()) <= 80


def test_a_partner_country_s_own_statistics_are_named_short_in_the_kind_column(run):
    # "(national)" is one word too wide for the 80-column trade table; "(partner)" fits
    text = out(run, "trade", "--basis", "national", "-f", "table", env={"COLUMNS": "80"})
    assert "(partner)" in text and "(national)" not in text
    assert BOX & set(text) and max(len(line) for line in text.splitlines()) <= 80


def test_fact_ids_only_with_ids_in_terminal_tables(run):
    table = out(run, "trade", "--year", "2018", "-f", "table", env={"COLUMNS": "200"})
    assert "trade-2018-total-chn-lcn" not in table and "ID" not in table.split("\n")[1]
    assert "trade-2018-total-chn-lcn" in out(run, "trade", "--year", "2018", "--ids", "-f", "table", env={"COLUMNS": "200"})
    for fmt in ("plain", "csv", "tsv", "json", "ndjson", "yaml", "markdown"):
        assert "trade-2018-total-chn-lcn" in out(run, "trade", "--year", "2018", "-f", fmt), fmt


def test_countries_by_name_in_tables_and_by_code_elsewhere(run):
    table = out(run, "trade", "--year", "2018", "-f", "table", env={"COLUMNS": "200"})
    assert "China, LAC" in table and "CHN, LCN" not in table
    assert rows(run, "trade", "--year", "2018")[0]["countries"] == ["CHN", "LCN"]
    assert "CHN, LCN" in out(run, "trade", "--year", "2018", "-f", "plain")


def test_money_on_one_line_with_the_stated_digits_and_qualifier(run):
    table = out(run, "investment", "-f", "table", env={"COLUMNS": "80"})
    # the amount stays on one line; its qualifier is kept, on that line or just above it
    lines = table.splitlines()
    (at,) = [i for i, line in enumerate(lines) if "US$410 bn" in line]
    assert "more than US$410 bn" in lines[at] or "more than" in lines[at - 1]
    assert "US$386.89 bn" in table
    trade = out(run, "trade", "-f", "table", env={"COLUMNS": "80"})
    assert "US$307.4 bn" in trade and "US$4.62 tn" in trade
    # machine formats keep the full words
    assert {r["value_text"] for r in rows(run, "investment")} >= {"more than US$410 billion"}


def test_kind_column_means_what_the_commands_filter_selects(run):
    text = out(run, "people", "--kind", "tourism", "-f", "plain")
    kinds = {line.split("\t")[2] for line in text.splitlines()[1:]}
    assert kinds == {"tourism"}, "ties and figures alike show their kind of tie"
    trade = out(run, "trade", "--flow", "exports,imports", "-f", "plain")
    flows = {line.split("\t")[2] for line in trade.splitlines()[1:]}
    assert {f.split(" (")[0] for f in flows} == {"exports", "imports"}  # "exports (customs)": and whose statistics


def test_pager_command_as_git_picks_it():
    from bricli.cli.output import pager_command

    assert pager_command({}) == "less"
    assert pager_command({"PAGER": "more"}) == "more"
    assert pager_command({"PAGER": "more", "BRICLI_PAGER": "most"}) == "most"
    assert pager_command({"BRICLI_PAGER": ""}) is None and pager_command({"PAGER": "cat"}) is None


def test_page_hands_the_text_to_the_pager_with_less_options(tmp_path):
    from bricli.cli.output import page

    target = tmp_path / "paged"
    assert page("hello\n", {"PATH": os.environ["PATH"], "BRICLI_PAGER": f"sh -c 'echo $LESS; cat' > {target}"})
    assert target.read_text() == "FRX\nhello\n"
    assert not page("x", {"PATH": os.environ["PATH"], "BRICLI_PAGER": "no-such-pager-here"})


def _in_pty(args, env):
    import pty

    master, slave = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("BRICLI_FACTS", "BRICLI_FORMAT")}
    proc = subprocess.Popen([sys.executable, "-m", "bricli", *args], stdout=slave, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env={**base, **env})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_long_output_on_a_terminal_is_paged_unless_no_pager_or_piped(tmp_path):
    marker = tmp_path / "paged"
    env = {"BRICLI_PAGER": f"cat > {marker}", "LINES": "10", "COLUMNS": "100"}
    _in_pty(["policy"], env)
    assert marker.exists() and "Policy" in marker.read_text()
    marker.unlink()
    shown = _in_pty(["policy", "--no-pager"], env)
    assert not marker.exists() and "Policy" in shown
    piped = subprocess.run([sys.executable, "-m", "bricli", "policy"], capture_output=True, text=True,
                           env={**os.environ, **env}, timeout=30)
    assert piped.returncode == 0 and not marker.exists() and piped.stdout


# --- 2. rows and columns -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "ndjson", "yaml", "csv", "tsv", "plain", "markdown", "table"])
def test_columns_in_every_format(run, fmt):
    text = out(run, "trade", "--year", "2018", "--columns", "id,value,source.url", "-f", fmt, env={"COLUMNS": "200"})
    assert "trade-2018-total-chn-lcn" in text and "307.4" in text and "https://cedpr.org" in text
    assert "China–Latin America trade volume" not in text  # the label was not asked for


def test_columns_keep_the_order_given_and_machine_keys(run):
    (first, *_) = rows(run, "trade", "--year", "2018", "--columns", "value,id")
    assert list(first) == ["value", "id"]


def test_unknown_column_or_sort_field_exits_2_with_the_list(run):
    for args in (["--columns", "id,nope"], ["--sort", "-nope"]):
        result = run(["trade", *args], env=ENV)
        assert result.exit_code == 2
        assert "unknown field 'nope'" in result.stderr and "value_base" in result.stderr


def test_sort_by_value_compares_sizes_and_is_stable(run):
    values = [r["value_base"] for r in rows(run, "trade", "--sort", "-value", "--flow", "total")]
    assert values == sorted(values, reverse=True)
    assert rows(run, "trade", "--sort", "-value", "--limit", "1")[0]["id"] == "trade-2018-total-chn-wld"  # 4.62 tn
    # stable: equal keys keep file order; empty values last
    periods = [r["period"] for r in rows(run, "trade", "--sort", "period")]
    assert periods == sorted(p for p in periods if p) + [None] * periods.count(None)
    found = rows(run, "search", "a")
    by_type = ids(run, "search", "a", "--sort", "type")
    for kind in {r["type"] for r in found}:  # within equal keys, the order as listed without --sort
        assert [i for i in by_type if i in {r["id"] for r in found if r["type"] == kind}] == \
            [r["id"] for r in found if r["type"] == kind]


def test_limit(run):
    assert len(rows(run, "policy", "--limit", "3")) == 3
    assert rows(run, "policy", "--limit", "0") == []
    result = run(["policy", "--limit", "-1"], env=ENV)
    assert result.exit_code == 2 and "--limit" in result.stderr


def test_no_header(run):
    for fmt in ("plain", "csv", "tsv"):
        with_header = out(run, "trade", "--year", "2018", "-f", fmt).splitlines()
        without = out(run, "trade", "--year", "2018", "-f", fmt, "--no-header").splitlines()
        assert without == with_header[1:], fmt


def test_comma_lists_and_repeated_options_mean_any_of(run):
    both = set(ids(run, "projects", "--country", "BRA,PAN"))
    assert both == set(ids(run, "projects", "--country", "BRA", "--country", "PAN"))
    assert both == set(ids(run, "projects", "--country", "BRA")) | set(ids(run, "projects", "--country", "PAN"))
    assert set(ids(run, "projects", "--country", "BRA")) < both
    flows = {r["direction"] for r in rows(run, "trade", "--flow", "exports", "--flow", "imports")}
    assert flows == {"exports", "imports"}


def test_year_ranges(run):
    span = set(ids(run, "timeline", "--year", "2017..2018"))
    assert span == set(ids(run, "timeline", "--year", "2017")) | set(ids(run, "timeline", "--year", "2018"))
    assert set(ids(run, "timeline", "--year", "2017,2018")) == span
    assert set(ids(run, "timeline", "--year", "2018..")) == set(ids(run, "timeline", "--from", "2018"))
    for bad in ("2019..2017", "20x8", "99"):
        result = run(["trade", "--year", bad], env=ENV)
        assert result.exit_code == 2 and "--year" in result.stderr, bad


@pytest.mark.parametrize("command", [["trade"], ["country", "BRA"], ["timeline"], ["search", "trade"], ["report"]])
def test_year_with_from_or_to_is_refused_everywhere(run, command):
    result = run([*command, "--year", "2018", "--from", "2018"], env=ENV)
    assert result.exit_code == 2 and "--year and --from/--to cannot be combined" in result.stderr


# --- 3. filters find the numbers ---------------------------------------------------------


def test_kind_filters_select_figures_of_that_kind(run):
    tourism = {r["id"]: r for r in rows(run, "people", "--kind", "tourism")}
    figures = {r["metric"] for r in tourism.values() if r["type"] == "figure"}
    assert {"tourist-destinations", "visitors"} <= figures
    assert any(r["value"] == 24 for r in tourism.values())
    memoranda = rows(run, "policy", "--kind", "memorandum")
    assert any(r["type"] == "figure" and r["metric"] == "bri-memoranda" for r in memoranda)
    membership = rows(run, "finance", "--kind", "membership")
    assert any(r["type"] == "figure" and r["metric"] == "aiib-members" for r in membership)


def test_a_figure_kind_must_be_one_of_its_topics(run, fact_dir):
    from conftest import figure_yaml

    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("t", "1", extra="kind: tourism")})
    result = run(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 1 and "kind 'tourism' is not a kind of a figure of topic trade" in result.stdout


# --- 5. search ranks ---------------------------------------------------------------------


def test_search_requires_every_word_and_ranks_labels_first(run):
    both = rows(run, "search", "trade volume")
    assert both and all("trade" in json.dumps(r).lower() and "volume" in json.dumps(r).lower() for r in both)
    assert len(both) < len(rows(run, "search", "trade"))
    in_label = ["trade" in r["label"].lower() and "volume" in r["label"].lower() for r in both]
    assert in_label == sorted(in_label, reverse=True), "label matches before quote-only matches"
    assert not in_label[-1] or all(in_label)
    every = ids(run, "search", "bank", "--derived")
    assert len(every) == len(set(every))


def test_search_accents_and_case(run):
    assert ids(run, "search", "SAO LOURENCO") == ids(run, "search", "são lourenço")


# --- 6. output details -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_empty_csv_and_tsv_still_have_their_header(run, fmt):
    text = out(run, "trade", "--year", "1950", "-f", fmt)
    (header,) = text.splitlines()
    names = next(csv.reader(io.StringIO(header), delimiter="," if fmt == "csv" else "\t"))
    full = next(csv.reader(io.StringIO(out(run, "trade", "-f", fmt)), delimiter="," if fmt == "csv" else "\t"))
    assert names == full and names[0] == "id" and "source.quote" in names


def test_empty_csv_with_columns_has_those_columns(run):
    assert out(run, "trade", "--year", "1950", "--columns", "id,value", "-f", "csv") == "id,value\n"


@pytest.mark.parametrize("name,check", [
    ("out.json", lambda t: json.loads(t)[0]["id"]),
    ("out.ndjson", lambda t: json.loads(t.splitlines()[0])["id"]),
    ("out.csv", lambda t: t.startswith("id,derived,")),
    ("out.tsv", lambda t: t.startswith("id\tderived\t")),
    ("out.yaml", lambda t: t.startswith("- id:")),
    ("out.yml", lambda t: t.startswith("- id:")),
    ("out.md", lambda t: t.startswith("| ID")),
    ("out.txt", lambda t: t.startswith("ID\tWhat\t")),
])
def test_output_file_extension_picks_the_format(run, tmp_path, name, check):
    target = tmp_path / name
    out(run, "trade", "--year", "2018", "-o", str(target))
    assert check(target.read_text(encoding="utf-8"))


def test_format_option_wins_over_the_extension_and_unknown_extensions_are_refused(run, tmp_path):
    target = tmp_path / "out.txt"
    out(run, "trade", "--year", "2018", "-f", "json", "-o", str(target))
    assert json.loads(target.read_text())
    result = run(["trade", "-o", str(tmp_path / "out.xlsx")], env=ENV)
    assert result.exit_code == 2 and ".xlsx" in result.stderr and ".csv" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_check_honours_bricli_format(run):
    doc = json.loads(out(run, "check", env={"BRICLI_FORMAT": "json"}))
    assert doc["ok"] is True
    assert out(run, "check", env={"BRICLI_FORMAT": "csv"}) == ""  # text: one line per problem, none here
    assert json.loads(out(run, "check", "-f", "json", env={"BRICLI_FORMAT": "text"}))["ok"] is True


def test_show_includes_the_sources_url_and_date(run):
    text = out(run, "show", "trade-2018-total-chn-lcn", "-f", "plain")
    assert "source.url\thttps://cedpr.org/" in text and "source.date\t2020-01 (estimated)" in text
    (record,) = rows(run, "show", "trade-2018-total-chn-lcn")
    assert record["source"]["url"].startswith("https://") and record["source"]["date"] == "2020-01"


def test_json_null_and_empty_lists_as_the_readme_says(run):
    for r in rows(run, "timeline") + rows(run, "trade", "--derived") + rows(run, "country", "BRA", "--derived"):
        assert list(r) == list(FIELDS)
        for key, value in r.items():
            if key in ("countries", "participants", "inputs"):
                assert isinstance(value, list), key
            elif key in ("derived", "partial"):
                assert isinstance(value, bool), key
            else:
                assert value not in ([], ""), (r["id"], key)


def test_kind_column_across_topics_names_the_type_first(run):
    lines = out(run, "country", "BRA", "--derived", "-f", "plain").splitlines()
    header = lines[0].split("\t")
    kind, = (i for i, h in enumerate(header) if h == "Kind")
    types = [r["type"] for r in rows(run, "country", "BRA", "--derived")]
    for line, typ in zip(lines[1:], types, strict=True):
        cell = line.split("\t")[kind]
        assert cell == typ or cell.startswith(f"{typ}: "), (cell, typ)


def test_output_file_without_extension_uses_bricli_format_or_plain(run, tmp_path):
    out(run, "trade", "--year", "2018", "-o", str(tmp_path / "a"))
    assert (tmp_path / "a").read_text(encoding="utf-8").startswith("ID\tWhat\t")
    out(run, "trade", "--year", "2018", "-o", str(tmp_path / "b"), env={"BRICLI_FORMAT": "json"})
    assert json.loads((tmp_path / "b").read_text(encoding="utf-8"))


def test_wrapped_rows_are_ruled_apart(run):
    wide = out(run, "trade", "--year", "2018", "-f", "table", env={"COLUMNS": "200"})
    assert sum(line.startswith("├") for line in wide.splitlines()) == 1, "one line per row: no rules needed"
    narrow = out(run, "trade", "--year", "2018", "-f", "table", env={"COLUMNS": "100"})
    count = len(rows(run, "trade", "--year", "2018"))
    assert count > 1 and sum(line.startswith("├") for line in narrow.splitlines()) == count  # header rule + between rows
    # at 80 columns the box gives way to the Source column: a rule under the header, a blank line between rows
    lines = out(run, "trade", "--year", "2018", "-f", "table", env={"COLUMNS": "80"}).splitlines()
    table = lines[:next(i for i, line in enumerate(lines) if line.startswith("Source "))]
    assert sum(set(line) == {"─"} for line in table) == 1
    assert sum(line == "" for line in table) == count  # and one before the sources under it
    assert table[-1] == "" and table[-2] != ""
    assert table[1].split() == ["What", "Kind", "Countries", "Period", "Value", "Change", "Source"]
