"""Tests for bricli.render: golden output per format, no data loss, terminal safety, round trips.

Golden files live in tests/golden/render/; regenerate them after an intended
change with BRICLI_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import string
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bricli.render import FORMATS, render, yaml_text
from bricli.present.listing import Column, Listing
from bricli.render.markdown import (
    _INLINE_ESCAPES,
    _LINK_TRIGGER,
    _URL_RUN,
    _escape_plain,
    _escape_text,
    escape_markdown_cell,
    escape_markdown_inline,
    join_lines,
)
from bricli.render.sanitize import terminal_safe

GOLDEN = Path(__file__).parent / "golden" / "render"
BOX_DRAWING = re.compile("[\u2500-\u257f]")
# what must never reach a terminal raw: C0 except TAB/LF, DEL, C1, bidi controls
RAW_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# BRICLI_HYPOTHESIS_EXAMPLES=2000 for a thorough run; the default keeps the file fast.
PROPERTY = settings(
    max_examples=int(os.environ.get("BRICLI_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def sample_listing() -> Listing:
    records = [
        {
            "id": "trade-2019",
            "claim": "China–LAC trade reached USD 314.8 billion",
            "value": 314.8,
            "source": {"id": "cedpr-2020", "section": "Trade"},
            "countries": ["CN", "LAC"],
            "estimated": False,
            "note": None,
        },
        {
            "id": "loan-ve",
            "claim": 'Loans | "oil-for-loans" <deal> & [more]',
            "value": -5,
            "source": {"id": "cedpr-2020"},
            "countries": [],
            "estimated": True,
            "note": "=HYPERLINK(\"x\")",
        },
    ]
    columns = [Column("id", "ID"), Column("claim", "Claim"), Column("value", "Value (bn)", numeric=True)]
    rows = [{"id": r["id"], "claim": r["claim"], "value": f"{r['value']:,}"} for r in records]
    return Listing(
        records=records,
        columns=columns,
        rows=rows,
        title="Trade facts",
        footer=["Source: cedpr-2020 — China-Latin America Belt and Road Cooperation (c. 2020-01)"],
    )


def listing_of(cells: list[list[str]], headers: list[str] | None = None, **kw) -> Listing:
    """A listing whose display rows and records both hold `cells`."""
    ncols = max((len(r) for r in cells), default=len(headers or []))
    headers = headers or [f"H{i}" for i in range(ncols)]
    columns = [Column(f"c{i}", h) for i, h in enumerate(headers)]
    rows = [{f"c{i}": v for i, v in enumerate(r)} for r in cells]
    return Listing(records=[dict(r) for r in rows], columns=columns, rows=rows, **kw)


# --- golden output ------------------------------------------------------------

GOLDEN_CASES = [(fmt, {}) for fmt in FORMATS] + [
    ("table", {"width": 40}),
    ("table", {"width": 20}),
    ("table", {"width": 60, "color": True}),
    ("csv", {"csv_safe": True}),
]


@pytest.mark.parametrize("fmt,kw", GOLDEN_CASES, ids=lambda v: v if isinstance(v, str) else "-".join(f"{k}{x}" for k, x in v.items()))
def test_golden(fmt, kw):
    name = "-".join([fmt, *(f"{k}{v}" for k, v in kw.items())]) + ".txt"
    got = render(sample_listing(), fmt, **kw)
    path = GOLDEN / name
    if os.environ.get("BRICLI_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8", newline="")
    assert got == path.read_bytes().decode("utf-8")


def test_inline_expectations():
    listing = sample_listing()
    assert render(listing, "plain") == (
        "ID\tClaim\tValue (bn)\n"
        "trade-2019\tChina–LAC trade reached USD 314.8 billion\t314.8\n"
        'loan-ve\tLoans | "oil-for-loans" <deal> & [more]\t-5\n'
    )
    assert render(listing, "ndjson").splitlines()[1].startswith('{"id":"loan-ve","claim":"Loans | ')
    assert render(listing, "csv").splitlines()[0] == "id,claim,value,source.id,source.section,countries,estimated,note"
    assert render(listing, "csv").splitlines()[1] == (
        "trade-2019,China–LAC trade reached USD 314.8 billion,314.8,cedpr-2020,Trade,CN;LAC,false,"
    )
    assert render(listing, "markdown").splitlines()[3] == (
        "| loan-ve    | Loans \\| \"oil-for-loans\" &lt;deal&gt; &amp; \\[more\\] |           -5 |"
    )


def test_unknown_format():
    with pytest.raises(ValueError, match="choose one of"):
        render(sample_listing(), "xml")


def test_empty_listing():
    empty = Listing(records=[], columns=[Column("a", "A"), Column("b", "B")], rows=[])
    assert render(empty, "json") == "[]\n"
    assert render(empty, "ndjson") == ""
    assert render(empty, "yaml") == "[]\n"
    assert render(empty, "csv") == ""
    assert render(empty, "tsv") == ""
    assert render(empty, "plain") == "A\tB\n"
    assert render(empty, "markdown") == "| A   | B   |\n|-----|-----|\n"
    assert "A" in render(empty, "table")


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, bricli.render; print(sorted(m for m in ('rich','tabulate','yaml','json','csv','dataclasses') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": "src"}, cwd=Path(__file__).parents[1])
    assert out.stdout.strip() == "[]"


# --- table: no truncation, markup literal -------------------------------------

WORDY = [
    ["trade-2019", "bilateral trade grew strongly during the decade", "314.8"],
    ["loan-ve", "oil backed loans from policy banks to Caracas", "-5"],
    ["port-chancay", "deep water port north of Lima", "3,600"],
]


@pytest.mark.parametrize("width", [20, 40, 200])
def test_table_loses_no_words(width):
    listing = listing_of(WORDY, ["ID", "Claim", "Value"], title="Facts", footer=["Source: cedpr-2020"])
    out = render(listing, "table", width=width)
    assert "…" not in out
    for word in {w for row in WORDY for cell in row for w in cell.split()} | {"Facts", "cedpr-2020"}:
        assert word in out, (word, out)
    assert all(len(line) <= width for line in out.splitlines())


@pytest.mark.parametrize("width", [20, 40, 200])
def test_table_keeps_every_character_of_long_words(width):
    url = "https://example.org/" + "x" * 90 + "/end"
    listing = listing_of([[url, "短" * 30, "ok"]])
    out = render(listing, "table", width=width)
    assert "…" not in out
    assert not Counter(url + "短" * 30 + "ok") - Counter(out)


def test_vertical_layout_when_narrow():
    out = render(listing_of(WORDY, ["ID", "Claim", "Value"]), "table", width=20)
    assert not BOX_DRAWING.search(out)
    assert out.splitlines()[0].startswith("ID:")
    assert "" in out.splitlines()  # blank line between records


def test_markup_prints_literally():
    texts = ["[/]", "[red]x[/red]", "[link=http://x]y[/link]", ":smile:", "[bold"]
    listing = listing_of([texts], headers=["[b]H[/b]", "[/]", "[i]", "x", "y"], title="[red]T", footer=["[/red]"])
    for color in (False, True):
        out = render(listing, "table", width=200, color=color)
        for t in [*texts, "[b]H[/b]", "[red]T", "[/red]"]:
            assert t in out


@pytest.mark.parametrize("fmt", ["table", "plain"])
def test_terminal_controls_are_escaped(fmt):
    evil = ["\x1b[31mred", "csi\x9b2J", "bidi\u202eevil", "bell\x07", "del\x7f"]
    listing = listing_of([evil], headers=["\x1b]0;title\x07", "b", "c", "d", "e"], title="\x1b[2J", footer=["\u2066x"])
    out = render(listing, fmt, width=200)
    assert not RAW_UNSAFE.search(out)
    for escape in ["\\x1b[31mred", "\\x9b", "\\u202e", "\\x07", "\\x7f"]:
        assert escape in out


def test_color_table_has_ansi_only_from_rich():
    out = render(listing_of([["\x1b[31m"]]), "table", width=40, color=True)
    assert "\x1b[" in out  # rich's styling
    assert "\\x1b[31m" in out  # the data, escaped
    assert "\x1b[31m" not in out.replace("\\x1b[31m", "")


# --- plain ----------------------------------------------------------------------


def test_plain_one_line_per_row_and_no_boxes():
    cells = [["a\nb", "c\td", "e\\f"], ["g\r\nh", "", "i"]]
    out = render(listing_of(cells, title="T", footer=["F"]), "plain")
    lines = out.split("\n")[:-1]
    assert len(lines) == len(cells) + 1
    assert lines[1] == "a\\nb\tc\\td\te\\\\f"
    assert lines[2] == "g\\r\\nh\t\ti"
    assert not BOX_DRAWING.search(out) and "…" not in out and "T" not in out and "F" not in out


# --- markdown -------------------------------------------------------------------

MD = MarkdownIt("commonmark").enable("table")


def markdown_rows(source: str) -> list[list[tuple[list[str], str]]]:
    """Each table row as a list of cells; a cell is (inline token types, text)."""
    rows, cells, tokens = [], None, MD.parse(source)
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            cells = []
        elif tok.type in ("th_open", "td_open"):
            inline = tokens[i + 1]  # markdown-it always follows th_open/td_open with an inline token
            children = inline.children or []
            cells.append(([c.type for c in children], "".join(c.content for c in children)))
        elif tok.type == "tr_close":
            rows.append(cells)
    return rows


def expected_cell(text: str) -> str:
    # The documented lossy steps: newlines -> space, controls -> visible escapes, ends stripped.
    return terminal_safe(join_lines(text)).strip()


def test_markdown_escapes_everything_inline():
    nasty = "<b>x</b> *em* _u_ `code` [l](http://x) ![i](y) &copy; a|b \\| ~~s~~ $m$ line1\nline2"
    rows = markdown_rows(render(listing_of([[nasty, "x"]]), "markdown"))
    assert [len(r) for r in rows] == [2, 2]
    types, text = rows[1][0]
    assert set(types) == {"text", "code_inline"}  # the bare URL is a code span, so it is not autolinked
    assert text == nasty.replace("\n", " ")
    assert "<" not in render(listing_of([[nasty]]), "markdown")


def test_markdown_footer_and_inline_helpers():
    out = render(listing_of([["a"]], footer=["Source: x", "- not a list", "1. nor this", "=="]), "markdown")
    html = MD.render(out)
    assert "<li>" not in html and "<h1>" not in html and "<ol>" not in html
    assert "Source: x<br />\n- not a list<br />\n1. nor this<br />\n==</p>" in html
    assert escape_markdown_inline("# title") == "\\# title"
    assert escape_markdown_inline("12) x") == "12\\) x"
    assert escape_markdown_cell("  a|b\n") == "a\\|b"


# Text for markdown properties: anything, including controls and markdown syntax.
any_text = st.text(max_size=40)
markdownish = st.text(alphabet=string.printable + "äé中\u00a0\u3000—", max_size=40)


@PROPERTY
@given(st.lists(st.lists(st.one_of(any_text, markdownish), min_size=3, max_size=3), max_size=4),
       st.lists(st.one_of(any_text, markdownish), min_size=3, max_size=3))
def test_markdown_table_shape_and_round_trip(cells, headers):
    listing = listing_of(cells, headers)
    rows = markdown_rows(render(listing, "markdown"))
    assert len(rows) == len(cells) + 1
    for got, want in zip(rows, [headers, *cells]):
        assert len(got) == len(headers)
        for (types, text), original in zip(got, want):
            assert set(types) <= {"text", "code_inline"}
            assert text.strip() == expected_cell(original)


@PROPERTY
@given(st.lists(st.one_of(any_text, markdownish), min_size=1, max_size=5))
def test_markdown_inline_round_trip(lines):
    escaped = [e for e in map(escape_markdown_inline, lines) if e]
    tokens = MD.parse("\\\n".join(escaped))
    assert [t.type for t in tokens if t.type != "inline"] == (["paragraph_open", "paragraph_close"] if escaped else [])
    if escaped:
        children = tokens[1].children
        assert {c.type for c in children} <= {"text", "code_inline", "hardbreak"}
        texts = "".join(c.content if c.type != "hardbreak" else "\n" for c in children).split("\n")
        assert [t.strip() for t in texts] == [e for e in map(expected_cell, lines) if e]


# What GitHub turns into a link or a notification in text (not in code spans):
# scheme://, www., an e-mail address, @user.
GITHUB_LINK = re.compile(r"[A-Za-z]://|www\.|@[A-Za-z0-9]", re.IGNORECASE)
linkish = st.lists(st.sampled_from(["https://x.org/a_b?c=1&d=2", "www.example.com", "@octocat", "a@b.org", "mailto:x@y.z",
                                    "|", "`", " ", "\\", "<", "(", ")", ".", "x", "é", "\n"]), max_size=8).map("".join)


@PROPERTY
@given(st.one_of(linkish, markdownish))
def test_markdown_never_links_or_mentions(text):
    """Issue 11: a URL or @mention in a quote must not become a link or a ping when pasted into GitHub."""
    for source in (render(listing_of([[text, "x"]]), "markdown"), escape_markdown_inline(text) or "x"):
        tokens = MD.parse(source)
        texts = [c.content for t in tokens if t.type == "inline" for c in (t.children or []) if c.type == "text"]
        assert not any(GITHUB_LINK.search(x) for x in texts), (text, source)
    rows = markdown_rows(render(listing_of([[text, "x"]]), "markdown"))
    assert rows[1][0][1].strip() == expected_cell(text)  # the same characters, read back


def test_markdown_bare_url_and_mention_become_code_spans():
    assert escape_markdown_cell("see https://x.org/a. Thanks @team!") == "see `https://x.org/a.` Thanks `@team!`"
    assert escape_markdown_cell("mail info@example.org or www.example.org") == "mail `info@example.org` or `www.example.org`"
    assert escape_markdown_cell("a @ b: 5$") == "a @ b: 5\\$"  # nothing to link: only the usual escapes


def _escape_text_by_runs(text: str) -> str:
    """The escaping rule 4 and 5 spelled out run by run (what `_escape_text` did before its quick path)."""
    table = str.maketrans(_INLINE_ESCAPES)
    out, end = [], 0
    for run in _URL_RUN.finditer(text):
        out.append(text[end:run.start()].translate(table))
        word = run.group()
        out.append(f"`{word}`" if _LINK_TRIGGER.search(word) else word.translate(table))
        end = run.end()
    return "".join(out) + text[end:].translate(table)


@PROPERTY
@given(st.one_of(linkish, markdownish, st.text(max_size=40),
                 st.text(alphabet="wW.:/@aK\u212a\u0130\u017f|&<>\\`$ ", max_size=20)))
def test_markdown_quick_escaping_equals_the_rule(text):
    """Speed (issue 14): the str.replace chain and the test for a link trigger before the run-by-run
    scan give the same text as the rule applied run by run."""
    assert _escape_plain(text) == text.translate(str.maketrans(_INLINE_ESCAPES))
    assert _escape_text(text) == _escape_text_by_runs(text)


@pytest.mark.parametrize("headers,rows,right", [
    (["What", "Value"], [["a", "1"], ["bbb", "22"]], {1}),
    (["What", "Value", ""], [], {1}),  # no rows: tabulate aligns nothing, no colons in the rule
    (["", "中文"], [["São Lourenço | x", ""], ["😀 e\u0301", "−9.82"]], {0}),
    (["1.50", "0012"], [["0012", "1.50"]], set()),  # text, never numbers
])
def test_markdown_table_is_tabulates_pipe_layout(headers, rows, right):
    """One Markdown table writer (pipe_table) for --format markdown and the briefs, laid out as tabulate's
    "pipe" format, byte for byte."""
    from tabulate import tabulate

    from bricli.render.markdown import pipe_table

    expected = tabulate([[escape_markdown_cell(c) for c in row] for row in rows],
                        headers=[escape_markdown_cell(h) for h in headers], tablefmt="pipe", disable_numparse=True,
                        colalign=["right" if i in right else "left" for i in range(len(headers))])
    assert pipe_table(headers, rows, right) == expected


# --- machine formats ---------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text())
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
records_strategy = st.lists(st.dictionaries(st.text(max_size=8), json_values, max_size=4), max_size=4)


@PROPERTY
@given(records_strategy)
def test_json_and_ndjson_round_trip(records):
    listing = Listing(records=records, columns=[], rows=[])
    assert json.loads(render(listing, "json")) == records
    out = render(listing, "ndjson")
    assert [json.loads(line) for line in out.split("\n")[:-1]] == records
    assert out.count("\n") == len(records)


@PROPERTY
@given(records_strategy)
def test_yaml_round_trip(records):
    assert yaml.safe_load(render(Listing(records=records, columns=[], rows=[]), "yaml")) == records


def test_yaml_keeps_lookalike_strings():
    lookalikes = ["NO", "yes", "On", "off", "y", "1:20", "012", "0x1F", "1_000", "2019-01-01", "null", "~", "", "1e3", ".inf", "3.0"]
    records = [{"v": s} for s in lookalikes]
    assert yaml.safe_load(render(Listing(records=records, columns=[], rows=[]), "yaml")) == records


def test_yaml_never_folds_and_reads_back_text_beyond_the_basic_plane():
    """libyaml's emitter (4x quicker than PyYAML's own) escapes characters beyond U+FFFF (an
    emoji); either way the text loads back the same, and a long value stays on one line."""
    long = " ".join(["word"] * 300)
    records = [{"v": long}, {"v": "a😀b"}, {"v": "line\u2028para\u2029end"}, {"v": "nel\x85x"}]
    out = render(Listing(records=records, columns=[], rows=[]), "yaml")
    assert yaml.safe_load(out) == records
    assert f"- v: {long}\n" in out
    if hasattr(yaml, "CSafeDumper"):
        assert yaml_text._BASE is yaml.CSafeDumper


def test_yaml_is_the_text_of_pythons_own_emitter_for_text_of_the_basic_plane():
    """libyaml and PyYAML's own emitter write the same text, except for characters beyond U+FFFF."""
    class Pure(yaml.SafeDumper):
        pass

    Pure.add_representer(str, lambda d, data: d.represent_scalar("tag:yaml.org,2002:str", data, style='"')
                         if "\x85" in data else d.represent_str(data))
    tricky = ["NO", "012", "1:20", "2019-01-01", "null", "~", "", " lead", "trail ", "a: b", "#x", "- x", "'q'", '"d"',
              "a\nb", "a\n\nb\n", "\tt", "x\r\ny", "nel\x85", "\u2028ls", "ps\u2029", "\ufeffbom", "esc\x1b[31m",
              "\x00\x07\x7f\x9b", "é中\ufffe\uffff", "{a}", "[b]", "*c", "&d", "!e", "|f", ">g", "%h", "@i", "`j", "---", "..."]
    records = [{"v": t, "l": [t, None, 1.5, True]} for t in tricky]
    pure = yaml.dump(records, Dumper=Pure, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=yaml_text.NEVER_FOLD)
    assert render(Listing(records=records, columns=[], rows=[]), "yaml") == pure


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@PROPERTY
@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.text(max_size=20), max_size=3), min_size=1, max_size=4))
def test_csv_and_tsv_round_trip(records):
    listing = Listing(records=records, columns=[], rows=[])
    grid = read_csv(render(listing, "csv"))
    header = grid[0] if grid else []
    assert [{k: v for k, v in zip(header, row) if k in r} for r, row in zip(records, grid[1:])] == records
    assert all(row.count("") >= len(header) - len(r) for r, row in zip(records, grid[1:]))
    tsv = render(listing, "tsv")
    assert tsv.count("\n") == len(records) + 1


def test_csv_flattening_rules():
    records = [{"n": 1, "f": -3.25, "b": True, "none": None, "s": {"id": "x", "d": {"e": 1}}, "l": ["a", 2, None]}, {"z": "late"}]
    assert read_csv(render(Listing(records, [], []), "csv")) == [
        ["n", "f", "b", "none", "s.id", "s.d.e", "l", "z"],
        ["1", "-3.25", "true", "", "x", "1", "a;2;", ""],
        ["", "", "", "", "", "", "", "late"],
    ]
    assert render(Listing([{"big": 12345678901234567890, "e": 1e20}], [], []), "csv") == "big,e\n12345678901234567890,1e+20\n"


def test_csv_safe():
    records = [{"t1": "=1+1", "t2": "+x", "t3": "-x", "t4": "@x", "t5": "\tx", "n1": -5, "n2": -3.2, "s": "-5", "ok": "a=b"}]
    listing = Listing(records, [], [])
    row = read_csv(render(listing, "csv", csv_safe=True))[1]
    assert row == ["'=1+1", "'+x", "'-x", "'@x", "'\tx", "-5", "-3.2", "-5", "a=b"]
    assert read_csv(render(listing, "csv"))[1][0] == "=1+1"  # off by default: data stays exact
    assert render(listing, "tsv", csv_safe=True).splitlines()[1].split("\t")[:5] == ["'=1+1", "'+x", "'-x", "'@x", "'\\tx"]


# --- every format, arbitrary text ----------------------------------------------------


@PROPERTY
@given(
    st.lists(st.lists(st.text(max_size=30), min_size=2, max_size=2), max_size=3),
    st.lists(st.text(max_size=10), min_size=2, max_size=2),
    st.text(max_size=20),
    st.lists(st.text(max_size=20), max_size=2),
    st.integers(min_value=1, max_value=120),
    st.booleans(),
)
def test_any_text_renders_safely_in_every_format(cells, headers, title, footer, width, csv_safe):
    listing = listing_of(cells, headers, title=title, footer=footer)
    for fmt in FORMATS:
        out = render(listing, fmt, width=width, csv_safe=csv_safe)
        assert isinstance(out, str)
    assert not RAW_UNSAFE.search(render(listing, "table", width=width))
    # with colour, the only raw ESC bytes are rich's own SGR sequences
    coloured = re.sub(r"\x1b\[[0-9;]*m", "", render(listing, "table", width=width, color=True))
    assert not RAW_UNSAFE.search(coloured)
    plain = render(listing, "plain")
    assert not RAW_UNSAFE.search(plain)
    assert len(plain.split("\n")) == len(cells) + 2 and plain.endswith("\n")


# words without whitespace or box characters, including wide and combining ones
word_text = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " äé中文日本語\u0301", max_size=40)


@PROPERTY
@given(st.lists(st.lists(word_text, min_size=3, max_size=3), max_size=3), st.integers(min_value=1, max_value=160))
def test_table_never_drops_a_character(cells, width):
    listing = listing_of(cells, ["Alpha", "Beta", "Gamma"], title="T", footer=["F"])
    out = render(listing, "table", width=width)
    assert "…" not in out
    wanted = Counter("".join(c for row in cells for c in row) + "AlphaBetaGammaTF")
    del wanted[" "]
    assert not wanted - Counter(out)


def test_fit_widths_caps_wide_columns_and_keeps_words_whole():
    from bricli.render.table import fit_widths

    assert fit_widths([10, 20], [3, 5], 40) == [10, 20]  # fits: natural widths
    assert fit_widths([45, 73, 30, 9], [45, 18, 13, 9], 107) == [45, 27, 26, 9]
    assert sum(fit_widths([45, 73, 30, 9], [45, 18, 13, 9], 107)) == 107
    assert fit_widths([50, 50], [40, 40], 60) == [40, 40]  # words win over width: the caller goes vertical


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160, 200])
def test_grid_tables_never_exceed_the_width(width):
    from bricli.render.table import render_table

    listing = Listing(
        records=[{}] * 3,
        columns=[Column("id", "ID"), Column("what", "What"), Column("kind", "Kind"), Column("v", "Value", numeric=True)],
        rows=[{"id": "project-bra-belo-monte-uhv-phase2", "what": "Second phase of the Belo Monte ultra-high-voltage power project in Brazil " * 2,
               "kind": "project: transmission, unknown", "v": "US$1 billion"}] * 3,
    )
    out = render_table(listing, width=width)
    assert max(len(line) for line in out.splitlines()) <= width
    assert "ultra-high-voltage" in out  # words are not split when the grid is used


def test_a_pending_field_is_decoded_only_when_read_and_json_prints_the_stored_texts():
    """The index hands listings their records as stored JSON: json output joins the texts as
    they are, and nothing decodes them unless a format (or --sort, --columns) reads them."""
    from bricli.present.listing import Pending

    decoded = []

    def decode(text):
        decoded.append(text)
        return json.loads(text)

    texts = [b'{\n    "id": "a",\n    "value": 1\n  }', b'{\n    "id": "b",\n    "value": 2\n  }']  # as in the list
    listing = Listing(records=Pending(texts, decode), columns=[Column("id", "ID")],
                      rows=Pending(texts, lambda t: {"id": json.loads(t)["id"]}), json_records=[(t,) for t in texts])
    assert listing.count() == 2 and decoded == []
    assert render(listing, "json") == json.dumps([json.loads(t) for t in texts], ensure_ascii=False, indent=2) + "\n"
    assert decoded == []
    assert render(listing, "csv").splitlines() == ["id,value", "a,1", "b,2"]
    assert len(decoded) == 2
    assert [r["id"] for r in listing.records] == ["a", "b"]
    assert len(decoded) == 2  # decoded once, then kept
