"""`bricli report`: the Markdown brief.

The full default brief is kept as a golden file, tests/golden/report/default.md.
After an intended change to the brief (or to the shipped facts or their wording),
regenerate it deliberately and review the diff before committing:

    BRICLI_REGEN_GOLDEN=1 python -m pytest tests/test_report.py -k golden

Never regenerate it just to make a failing test pass.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from bricli.cli.main import app
from bricli.model.limits import DEFAULT_MAX_FILE_SIZE

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "report" / "default.md"
LINT_CONFIG = REPO / ".pymarkdown.json"
ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": "", "NO_COLOR": "1"}
TOPICS = ("trade", "investment", "projects", "finance", "people", "policy", "risks")
REF = re.compile(r"\[\^([a-z0-9][a-z0-9.-]*)\]")
DEFINITION = re.compile(r"^\[\^([a-z0-9][a-z0-9.-]*)\]:", re.M)

SOURCES = """\
sources:
  - id: test-src
    title: "A test source"
    date: "2020-01"
"""


def run(args, env=None):
    return CliRunner().invoke(app, args, env={**ENV, **(env or {})}, prog_name="bricli")


def brief(*args) -> str:
    result = run(["report", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def write_facts(directory: Path, facts_yaml: str, sources_yaml: str = SOURCES) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "00-sources.yaml").write_text(sources_yaml, encoding="utf-8")
    (directory / "facts.yaml").write_text("facts:\n" + textwrap.dedent(facts_yaml), encoding="utf-8")
    return directory


def figure(fid: str, value: str, period: str, *, direction: str = "total", extra: str = "") -> str:
    lines = [
        f"- id: {fid}", "  type: figure", "  topic: trade", f"  label: \"Trade {period}\"", "  metric: trade",
        f"  direction: {direction}", "  countries: [CHN, LCN]", f"  value: {value}", "  unit: USD", "  scale: billion",
        f"  period: \"{period}\"", "  source: {id: test-src, section: \"S\", quote: \"q\"}",
    ]
    return "\n".join(lines + ["  " + x for x in extra.strip().splitlines() if x]) + "\n"


def section(md: str, title: str) -> str:
    """The text of one `## title` section, up to the next level-2 heading or the footnotes."""
    start = md.index(f"\n## {title}\n")
    rest = md[start + 1:]
    ends = [i for i in (rest.find("\n## ", 1), rest.find("\n[^")) if i != -1]
    return rest[: min(ends)] if ends else rest


def tables(md: str) -> list[list[str]]:
    out, current = [], []
    for line in md.split("\n"):
        if line.startswith("|"):
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def table_shapes(md: str) -> list[list[int]]:
    """Cells per row of every table, as markdown-it (GFM tables) parses them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    shapes, rows, cells = [], None, 0
    for tok in tokens:
        if tok.type == "table_open":
            rows = []
        elif tok.type == "tr_open":
            cells = 0
        elif tok.type in ("th_open", "td_open"):
            cells += 1
        elif tok.type == "tr_close":
            rows.append(cells)
        elif tok.type == "table_close":
            shapes.append(rows)
    return shapes


def lint(md: str) -> list[str]:
    from pymarkdown.api import PyMarkdownApi

    result = PyMarkdownApi().configuration_file_path(str(LINT_CONFIG)).scan_string(md)
    return [f"{f.line_number}:{f.column_number} {f.rule_id} {f.rule_description} {f.extra_error_information}"
            for f in result.scan_failures]


@pytest.fixture(scope="module")
def default_brief() -> str:
    return brief()


# --- the default brief ---------------------------------------------------------


def test_default_brief_matches_golden(default_brief):
    if os.environ.get("BRICLI_REGEN_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(default_brief, encoding="utf-8", newline="")
    assert default_brief == GOLDEN.read_text(encoding="utf-8"), \
        "the brief changed: review it, then regenerate with BRICLI_REGEN_GOLDEN=1 (see the module docstring)"


def test_layout_in_order(default_brief):
    heads = re.findall(r"^## (.+)$", default_brief, re.M)
    assert heads == ["Key figures", "Trade", "Investment", "Infrastructure projects", "Finance",
                     "People-to-people ties", "Policy coordination", "Risks", "Caveats"]
    first = default_brief.split("\n", 1)[0]
    assert first == "# China–Latin America Belt and Road cooperation: brief"
    assert "Selection: all topics; no filters" in default_brief
    assert "Fact directories: facts (shipped)" in default_brief
    assert "cedpr-2020: [China-Latin America Belt and Road Cooperation](https://cedpr.org/" in default_brief
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", default_brief.split("\n## ")[0]), "no date unless --date"


def test_key_figures_state_period_and_qualifier(default_brief):
    key = section(default_brief, "Key figures")
    assert "- **US\\$307.4 billion**: China–Latin America trade volume, 2018 (+18.9% on a year earlier)" \
           "[^trade-2018-total-chn-lcn]" in key
    # the latest is partial, so the latest whole year stays beside it
    assert "2019 Jan–Nov (partial)" in key and "[^trade-2019m1-11-total-chn-lcn]" in key
    assert "**more than US\\$410 billion**" in key and "by Nov 2019" in key
    assert "**nearly 1.3 million**" in key
    # components, shares and derived values stay in their sections
    for absent in ("exports-chn-lcn", "share", "derived.", "chn-wld"):
        assert absent not in key


def test_parses_and_every_row_has_its_header_cells(default_brief):
    shapes = table_shapes(default_brief)
    assert len(shapes) == len(tables(default_brief)) >= 8
    for rows in shapes:
        assert len(set(rows)) == 1, rows


def test_lint_clean(default_brief):
    assert lint(default_brief) == []


def test_every_fact_and_derived_value_is_cited_and_defined(default_brief):
    from bricli.cli.factbase import require_base
    from bricli.analysis.query import Filters, select

    base = require_base(None, False, DEFAULT_MAX_FILE_SIZE, True)
    body, _, notes = default_brief.partition("\n[^")
    cited = set(REF.findall(body))
    assert {i.id for i in select(base, Filters())} <= cited
    defined = DEFINITION.findall("[^" + notes)
    assert len(defined) == len(set(defined))
    assert set(defined) == cited | set(REF.findall(notes))  # inputs of derived values are cited in their notes
    # footnotes give source title, section and the verbatim (escaped) quote
    assert ("[^fdi-2017-flow-chn-lcn]: China-Latin America Belt and Road Cooperation, section “Upgrading trade ties”: "
            "“In 2017, China invested \\$14.08 billion in the region, which accounted for 8.9 percent of its total FDL”"
            in default_brief)
    assert "[^derived.balance.trade-2018-exports-chn-lcn]: Computed by bricli, not stated in the source: 148.79 − 158.61" \
           in default_brief


def test_caveats(default_brief):
    cav = section(default_brief, "Caveats")
    for heading in ("Partial periods", "Approximate and bounded values", "Figures without a date", "Derived values",
                    "Corrections of the source text"):
        assert f"### {heading}" in cav
    assert "2019 Jan–Nov (partial), part of the year, not the whole year[^trade-2019m1-11-total-chn-lcn]" in cav
    assert "more than US\\$410 billion; a lower bound[^fdi-2019m11-stock-chn-lcn]" in cav
    assert "= 148.79 − 158.61 (trade-2018-exports-chn-lcn − trade-2018-imports-chn-lcn)" in cav
    assert "The source prints \\$15O.35 billion; the letter O is read as the digit 0." in cav


def test_risks_grouped_by_category_then_country(default_brief):
    risks = section(default_brief, "Risks")
    cats = re.findall(r"^### (.+ risks)$", risks, re.M)
    assert cats == ["Political risks", "Economic risks", "Public-security risks", "External-power risks",
                    "Perception risks", "China-side risks"]
    political = risks.split("### Political risks")[1].split("###")[0]
    assert "- Peru\n  - Peru: intensifying dispute" in political


def test_shipped_series_are_stated_and_comparable_only(default_brief):
    charts = re.findall(r"```mermaid\n(.*?)```", default_brief, re.S)
    # FDI stock: end-2017 and Nov 2019. Trade 2018 vs Jan–Nov 2019 is not a series (whole vs part of a year).
    assert len(charts) == 1
    assert 'x-axis ["end-2017", "by Nov 2019 (more than)"]' in charts[0]
    assert "bar [386.89, 410]" in charts[0]


# --- the same table as `bricli TOPIC --format markdown` -------------------------


@pytest.mark.parametrize("topic,args", [("trade", ["--year", "2018"]), ("investment", ["--year", "2017"])])
def test_topic_markdown_gives_the_same_table(topic, args):
    listing = run([topic, *args, "--format", "markdown"])
    assert listing.exit_code == 0
    (expected,) = tables(listing.stdout)
    title = {"trade": "Trade", "investment": "Investment"}[topic]
    got = tables(section(brief(topic, *args), title))[0]
    assert len(got) == len(expected)
    for ours, theirs in zip(got, expected):
        # the brief adds one column, the footnote reference; the rest is byte for byte the same
        assert ours.startswith(theirs) and re.fullmatch(r" (\[\^[a-z0-9.-]+\]|Source|-+) +\|", ours[len(theirs):])


def test_same_table_without_filters(tmp_path):
    d = write_facts(tmp_path / "f", figure("t-2017", "1.5", "2017") + figure("t-2018", "2", "2018", extra="change_pct: 33.3"))
    args = ["--facts", str(d), "--no-shipped"]
    (expected,) = tables(run(["trade", *args, "-f", "markdown"]).stdout)
    got = tables(section(brief("trade", *args), "Trade"))[0]
    assert [line[: len(t)] for line, t in zip(got, expected)] == expected


# --- charts --------------------------------------------------------------------


def test_chart_of_a_series_then_the_same_data_as_a_table(tmp_path):
    facts = (
        figure("t-2016", "100", "2016", extra="change_pct: 25")  # implies a derived 2015: never charted
        + figure("t-2018", "130.5", "2018")
        + figure("t-2017", "120", "2017")
        + figure("t-2019m1-11", "125", "2019-01/2019-11")  # part of a year: not beside whole years
        + figure("t-2018-exp", "60", "2018", direction="exports")  # one period only: no chart
    )
    d = write_facts(tmp_path / "f", facts)
    md = brief("--facts", str(d), "--no-shipped")
    charts = re.findall(r"```mermaid\n(.*?)```", md, re.S)
    assert charts == [
        "xychart-beta\n"
        '    title "Trade 2016"\n'
        '    x-axis ["2016", "2017", "2018"]\n'
        '    y-axis "US$ billion" 0 --> 200\n'
        "    bar [100, 120, 130.5]\n"
    ]
    after = md.split("```mermaid", 1)[1].split("```\n\n", 1)[1]
    table = after.split("\n\n", 1)[0].split("\n")
    assert [c.strip() for c in table[0].split("|")[1:-1]] == ["Period", "Value", "Source"]
    assert [row.split("|")[1].strip() for row in table[2:]] == ["2016", "2017", "2018"]
    assert [row.split("|")[3].strip() for row in table[2:]] == ["[^t-2016]", "[^t-2017]", "[^t-2018]"]
    assert "derived.prior.t-2016" in md and "2015" not in charts[0]
    assert table_shapes(md) and all(len(set(rows)) == 1 for rows in table_shapes(md))
    assert lint(md) == []


# --- hostile fact text -------------------------------------------------------------

HOSTILE = 'pipe | here\\nnew line <script>alert(1)</script> [x](javascript:alert(1)) `tick` **b** # h &amp; <b>x</b>'
HOSTILE_FACTS = f"""\
- id: evil-figure
  type: figure
  topic: trade
  label: "{HOSTILE}"
  metric: trade
  direction: total
  countries: [CHN, LCN]
  value: 5
  unit: count
  counted: "{HOSTILE}"
  qualifier: about
  period: "2018"
  note: "{HOSTILE}"
  correction: "{HOSTILE}"
  source: {{id: evil-src, section: "{HOSTILE}", quote: "{HOSTILE}"}}
- id: evil-figure-2
  type: figure
  topic: trade
  label: "{HOSTILE}"
  metric: trade
  direction: total
  countries: [CHN, LCN]
  value: 7
  unit: count
  counted: "{HOSTILE}"
  period: "2019"
  source: {{id: evil-src, section: "S", quote: "q"}}
- id: evil-project
  type: project
  topic: projects
  kind: port
  name: "- {HOSTILE}"
  label: "1. {HOSTILE}"
  countries: [BRA]
  source: {{id: evil-src, section: "S", quote: "{HOSTILE}"}}
- id: evil-risk
  type: risk
  topic: risks
  kind: political
  label: "# {HOSTILE}!"
  countries: [PER]
  source: {{id: evil-src, section: "S", quote: "q"}}
"""
HOSTILE_SOURCES = f"""\
sources:
  - id: evil-src
    title: "{HOSTILE}"
    date: "2020"
    url: "javascript:alert(1)"
"""


@pytest.fixture
def hostile_brief(tmp_path) -> str:
    d = write_facts(tmp_path / "evil", HOSTILE_FACTS, HOSTILE_SOURCES)
    return brief("--facts", str(d), "--no-shipped", "--title", "Brief <script>x</script> | #")


def test_hostile_text_keeps_tables_and_blocks_intact(hostile_brief):
    md = hostile_brief
    assert "<script" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md and "\\|" in md and "\\`tick\\`" in md
    for rows in table_shapes(md):
        assert len(set(rows)) == 1, rows
    for table in tables(md):  # one line per row: a newline in a fact never splits a row
        assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) == 1
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    kinds = {t.type for t in tokens}
    assert "html_block" not in kinds
    inline = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert not [c for c in inline if c.type in ("html_inline", "code_inline", "strong_open") and "tick" in (c.content or "")]
    links = [c.attrGet("href") for c in inline if c.type == "link_open"]
    assert all(h.startswith("https://") for h in links), links  # no javascript: link, from the URL or the text
    headings = [t for t in tokens if t.type == "heading_open"]
    assert [h.tag for h in headings].count("h1") == 1  # "# ..." in a fact never makes a heading
    chart = md.split("```mermaid\n")[1].split("```")[0]
    assert "xychart-beta" in chart and "`" not in chart
    for text in re.findall(r'"([^"\n]*)"', chart):  # Mermaid text: no markup of its own
        assert not set(text) & set("<>[]{}:;&#|\\"), text
    assert lint(md) == []


def test_hostile_text_in_footnotes_is_escaped(hostile_brief):
    note = next(line for line in hostile_brief.split("\n") if line.startswith("[^evil-figure]:"))
    assert "\\[x\\](javascript:alert(1))" in note and "&lt;script&gt;" in note and "new line" in note


# --- options -----------------------------------------------------------------------


def test_topics_in_topic_order_and_unknown_topic():
    md = brief("risks", "TRADE", "trade")
    assert re.findall(r"^## (.+)$", md, re.M) == ["Key figures", "Trade", "Risks", "Caveats"]
    assert "Selection: topics trade, risks" in md
    bad = run(["report", "trade", "weather"])
    assert bad.exit_code == 2
    assert "unknown topic 'weather'" in bad.stderr and ", ".join(TOPICS) in bad.stderr
    assert bad.stdout == ""


def test_country_filter():
    md = brief("--country", "Brasil")
    assert "Selection: all topics; country Brazil (BRA)" in md
    assert "[^swap-chn-bra]" in md and "[^swap-chn-arg]" not in md
    assert "[^trade-2018-total-chn-lcn]" not in md
    assert "No stated figure in this selection qualifies." in md
    assert all(len(set(rows)) == 1 for rows in table_shapes(md))


def test_year_filter():
    md = brief("--year", "2018")
    assert "year 2018 (periods touching it, partial ones included)" in md
    body = md.split("\n[^")[0]
    assert "[^trade-2018-total-chn-lcn]" in body and "[^fdi-2017-flow-chn-lcn]" not in body
    assert "[^trade-2019m1-11-total-chn-lcn]" not in body
    # Jan–Nov 2018, implied by the 2019 growth rate, touches 2018: shown as derived, its input cited in its note
    assert "[^derived.prior.trade-2019m1-11-total-chn-lcn]" in body
    assert "Inputs: [^trade-2019m1-11-total-chn-lcn]" in md
    assert run(["report", "--year", "2018", "--from", "2017"]).exit_code == 2


def test_title_and_date():
    md = brief("--title", "Trade note #", "--date", "2024-05-01")
    assert md.startswith("# Trade note \\#\n\nDate: 2024-05-01\n\n")
    bad = run(["report", "--date", "May 2024"])
    assert bad.exit_code == 2 and "--date" in bad.stderr


def test_deterministic(default_brief):
    assert brief() == default_brief


# --- writing -----------------------------------------------------------------------


def test_output_file_and_overwrite(tmp_path, default_brief):
    out = tmp_path / "brief.md"
    first = run(["report", "-o", str(out)])
    assert first.exit_code == 0 and first.stdout == ""
    assert out.read_text(encoding="utf-8") == default_brief
    out.write_text("keep me", encoding="utf-8")
    refused = run(["report", "-o", str(out)])
    assert refused.exit_code == 1 and "already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = run(["report", "trade", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# China")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_symlink_refused(tmp_path):
    target = tmp_path / "target.md"
    target.write_text("target", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    refused = run(["report", "-o", str(link)])
    assert refused.exit_code == 1 and "symlink" in refused.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "target"


def test_write_failures_leave_nothing_behind(tmp_path):
    as_dir = tmp_path / "brief.md"
    as_dir.mkdir()
    result = run(["report", "-o", str(as_dir), "--force"])
    assert result.exit_code == 1 and "directory" in result.stderr
    assert as_dir.is_dir() and list(as_dir.iterdir()) == []
    assert run(["report", "-o", str(tmp_path / "missing" / "brief.md")]).exit_code == 1
    if os.geteuid() == 0:  # root writes anywhere: the permission case cannot be shown
        return
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = run(["report", "-o", str(locked / "brief.md")])
        assert result.exit_code == 1 and "cannot write" in result.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "locked"]


def test_help_lists_the_options():
    out = run(["report", "--help"]).stdout
    for opt in ("--country", "--year", "--from", "--to", "--title", "--date", "--output", "--force", "--facts",
                "--no-shipped", "--max-file-size", "--no-cache"):
        assert opt in out
