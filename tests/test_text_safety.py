"""Text from facts is data, never control (issue 6), through the whole command line.

A fact file may carry rich markup, ESC and C1 sequences and bidi overrides in
its texts, written as YAML double-quoted escapes ("\\e", "\\x9b", "\\u202e"); YAML
refuses the raw characters themselves (see tests/fixtures/bad/raw-control-character.yaml).
Renderer-level property tests live in test_render.py; these check the commands.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": "", "COLUMNS": "400", "NO_COLOR": "1"}
RAW_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

MARKUP = "[/] [red]x[/red] [link=http://evil]y[/link] [bold"
CONTROL = "\x1b[31mRED \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ CSI\x9b2J bidi\u202eabc\u2066z"
LABEL = f"{MARKUP} {CONTROL}"
QUOTE = "=1+2 | <b>x</b> [a](http://e) <script>alert(1)</script>\n# heading"

HOSTILE = r'''sources:
  - id: test-src
    title: "A [bold]source[/bold] \e[2J"
    date: "2020-01"
facts:
  - id: evil-1
    type: figure
    topic: trade
    label: "[/] [red]x[/red] [link=http://evil]y[/link] [bold \e[31mRED \e]8;;http://x\e\\link\e]8;;\e\\ CSI\x9b2J bidi\u202eabc\u2066z"
    countries: [CHN, LCN]
    metric: trade
    direction: total
    value: -5
    unit: USD
    scale: billion
    change_pct: -3.2
    period: "2018"
    note: "@SUM(A1:A9)"
    correction: "\tTAB first"
    source:
      id: test-src
      section: "+cmd|' /C calc'!A0"
      quote: "=1+2 | <b>x</b> [a](http://e) <script>alert(1)</script>\n# heading"
  - id: evil-2
    type: project
    topic: projects
    kind: port
    name: "-2+3"
    label: "\rCR first"
    countries: [BRA]
    source: {id: test-src, section: "=cmd", quote: "-x"}
'''


@pytest.fixture
def hostile(fact_dir):
    d = fact_dir({"evil.yaml": HOSTILE}, with_source=False)
    return ["--no-shipped", "--facts", str(d)]


def test_the_hostile_file_is_valid_and_read_as_written(run, hostile):
    result = run(["check", *hostile], env=ENV)
    assert result.exit_code == 0, result.stdout
    rows = json.loads(run(["trade", *hostile, "-f", "json"], env=ENV).stdout)
    assert rows[0]["label"] == LABEL and rows[0]["source"]["quote"] == QUOTE


@pytest.mark.parametrize("fmt", ["table", "plain"])
@pytest.mark.parametrize("command", [["trade", "--cite"], ["show", "evil-1"], ["search", "red"], ["country", "LCN"],
                                     ["sources"]])
def test_terminal_formats_print_markup_literally_and_escape_control(run, hostile, fmt, command):
    result = run([*command, *hostile, "-f", fmt], env=ENV)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert not RAW_UNSAFE.search(out), "a control or bidi character reached the terminal raw"
    if command[0] == "sources":
        assert "A [bold]source[/bold] \\x1b[2J" in out
        return
    flat = re.sub(r"\s+", " ", out)  # the table may wrap long cells
    for literal in ("[/]", "[red]x[/red]", "[link=http://evil]y[/link]", "[bold"):
        assert literal in flat, literal
    for escape in ("\\x1b[31mRED", "\\x1b]8;;http://x\\x1b", "\\x9b2J", "\\u202eabc", "\\u2066z"):
        assert escape in out.replace("\\\\", "\\"), escape  # plain doubles real backslashes


def test_plain_keeps_one_line_per_record_and_one_field_per_column(run, hostile):
    out = run(["trade", *hostile, "-f", "plain", "--cite", "--no-derived"], env=ENV).stdout
    lines = out.splitlines()
    assert len(lines) == 2
    header, row = (line.split("\t") for line in lines)
    assert len(row) == len(header)
    assert row[header.index("Quote")].startswith("=1+2 | <b>x</b>") and "\\n# heading" in row[header.index("Quote")]


def test_table_with_colour_still_escapes_fact_text(run, hostile, monkeypatch):
    # colour means rich writes its own ESC sequences; none may come from the fact
    from bricli.analysis.query import Filters
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.present.views import topic_view
    from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
    from bricli.render import render

    options = FactBaseOptions([Path(hostile[-1])], True, DEFAULT_MAX_FILE_SIZE, no_cache=True)
    with engine(options) as e:
        text = render(topic_view(e, None, Filters(), cite=True), "table", width=400, color=True)
    own = re.sub(r"\x1b\[[0-9;]*m", "", text)  # SGR colour codes: rich's own
    assert not RAW_UNSAFE.search(own)
    assert "[red]x[/red]" in own


def test_markdown_keeps_its_structure(run, hostile):
    out = run(["trade", *hostile, "-f", "markdown", "--cite", "--no-derived"], env=ENV).stdout
    assert not RAW_UNSAFE.search(out)
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    types = [t.type for t in tokens]
    assert types.count("tr_open") == 2  # header + one row: the quote's newline did not end the row
    cells = [t for t in tokens if t.type == "inline" and tokens[tokens.index(t) - 1].type in ("th_open", "td_open")]
    header_cells = types.count("th_open")
    assert types.count("td_open") == header_cells  # no cell was split or added by "|"
    children = [c for cell in cells for c in (cell.children or [])]
    assert not [c for c in children if c.type in ("link_open", "html_inline", "image")]
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<script>" not in html and "<b>" not in html and "<h1>" not in html and 'href="http://e"' not in html
    texts = ["".join(c.content for c in cell.children if c.type in ("text", "code_inline")) for cell in cells]
    assert any("=1+2 | <b>x</b> [a](http://e) <script>alert(1)</script> # heading" in t for t in texts), texts


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_file(path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:  # keep a CR inside a field
        return fh.read()


def test_csv_file_is_protected_against_formula_injection(run, hostile, tmp_path):
    target = tmp_path / "out.csv"
    result = run(["trade", *hostile, "-f", "csv", "-o", str(target), "--no-derived"], env=ENV)
    assert result.exit_code == 0, result.stderr
    (row,) = read_csv(read_file(target))
    assert row["source.quote"].startswith("'=1+2")
    assert row["source.section"] == "'+cmd|' /C calc'!A0"
    assert row["note"] == "'@SUM(A1:A9)"
    assert row["correction"] == "'\tTAB first"
    # real numbers are left alone, negative ones too
    assert (row["value"], row["change_pct"], row["value_base"]) == ("-5", "-3.2", "-5000000000")
    projects = tmp_path / "projects.csv"
    run(["projects", *hostile, "-f", "csv", "-o", str(projects)], env=ENV)
    (project,) = read_csv(read_file(projects))
    assert project["name"] == "'-2+3" and project["label"] == "'\rCR first"
    assert project["source.section"] == "'=cmd" and project["source.quote"] == "'-x"


def test_tsv_file_is_protected_too(run, hostile, tmp_path):
    target = tmp_path / "out.tsv"
    run(["trade", *hostile, "-f", "tsv", "-o", str(target), "--no-derived"], env=ENV)
    header, row = (line.split("\t") for line in target.read_text(encoding="utf-8").splitlines())
    record = dict(zip(header, row))
    assert record["source.quote"].startswith("'=1+2") and record["value"] == "-5"


def test_csv_on_stdout_is_the_data_unchanged(run, hostile):
    (row,) = read_csv(run(["trade", *hostile, "-f", "csv", "--no-derived"], env=ENV).stdout)
    assert row["source.quote"] == QUOTE and row["label"] == LABEL and row["note"] == "@SUM(A1:A9)"


@pytest.mark.parametrize("fmt", ["json", "ndjson", "yaml"])
def test_machine_formats_round_trip_exactly(run, hostile, fmt):
    out = run(["trade", *hostile, "-f", fmt], env=ENV).stdout
    rows = {"json": json.loads, "yaml": yaml.safe_load,
            "ndjson": lambda t: [json.loads(x) for x in t.splitlines()]}[fmt](out)
    assert rows[0]["label"] == LABEL and rows[0]["source"]["quote"] == QUOTE
    assert rows[0]["value"] == -5 and rows[0]["change_pct"] == -3.2


def test_messages_on_stderr_are_escaped_too(run, fact_dir):
    # a field name is text from the file: it reaches stderr and check's report
    d = fact_dir({"bad.yaml": 'facts:\n  - id: x\n    "\\e]8;;http://evil\\e\\\\\\u202e": 1\n'})
    for command in (["check"], ["trade"]):
        result = run([*command, "--no-shipped", "--facts", str(d)], env=ENV)
        assert result.exit_code == 1
        assert not RAW_UNSAFE.search(result.stdout + result.stderr)
        assert "\\x1b]8;;http://evil\\x1b\\\\u202e" in result.stdout + result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_machine_formats_on_a_terminal_show_control_characters_escaped(hostile):
    """On a terminal a person reads even csv or json: nothing raw; JSON still parses to the same values."""
    from test_process import run_in_pty

    for fmt in ("csv", "json", "tsv", "yaml", "ndjson"):
        out = run_in_pty(["trade", *hostile, "-f", fmt, "--no-derived"], env=ENV)
        assert not RAW_UNSAFE.search(out), fmt
        if fmt == "json":
            assert json.loads(out)[0]["label"] == LABEL


# --- any text at all, from the file to every output ---------------------------------------

def yaml_double_quoted(text: str) -> str:
    """Any text as a YAML double-quoted scalar: printable ASCII as is, everything else escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(lambda t: t.strip())


@settings(max_examples=int(os.environ.get("BRICLI_HYPOTHESIS_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(label=ANY_TEXT, quote=ANY_TEXT)
def test_any_text_in_a_fact_file_comes_out_exact_in_json_and_safe_on_a_terminal(run, tmp_path_factory, label, quote):
    d = tmp_path_factory.mktemp("facts")
    text = HOSTILE.split("  - id: evil-2")[0]
    text = text.replace(text.split("label: ", 1)[1].split("\n", 1)[0], yaml_double_quoted(label), 1)
    text = text.replace(text.split("      quote: ", 1)[1].split("\n", 1)[0], yaml_double_quoted(quote), 1)
    (d / "any.yaml").write_text(text, encoding="utf-8")
    args = ["trade", "--no-shipped", "--facts", str(d), "--no-derived", "--cite"]
    (row,) = json.loads(run([*args, "-f", "json"], env=ENV).stdout)
    assert (row["label"], row["source"]["quote"]) == (label, quote)
    for fmt in ("plain", "table", "markdown"):
        result = run([*args, "-f", fmt], env=ENV)
        assert result.exit_code == 0 and not RAW_UNSAFE.search(result.stdout), fmt
    plain = run([*args, "-f", "plain"], env=ENV).stdout.split("\n")
    assert len(plain) == 3 and plain[2] == ""  # header, one record, final newline: nothing split the line
