"""`bricli report`: the Markdown brief (one page by default, `--full` the complete record).

Two briefs are kept as golden files: the default brief (tests/golden/report/default.md)
and the full brief of one topic (tests/golden/report/full-trade.md, `report trade --full`).
After an intended change to the brief (or to the shipped facts or their wording),
regenerate them deliberately and review the diff before committing:

    BRICLI_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py -k golden

Never regenerate it just to make a failing test pass.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from bricli.cli.main import app
from bricli.model.limits import DEFAULT_MAX_FILE_SIZE

REPO = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).parent / "golden" / "report"
LINT_CONFIG = REPO / ".pymarkdown.json"


def _article_base() -> Path:
    """The shipped article's facts alone (the briefs here were designed and reviewed on them).

    Issue 10 added the web sources' facts (facts/*_web.yaml) and issue 21 more (facts/*_wave3.yaml)
    to the shipped base; the brief's behaviour is tested on the article so that growing the base
    does not rewrite every expectation. tests/test_web_facts.py and test_shipped_facts.py cover the whole base; the
    tests under "the shipped facts" below hold the default brief on the whole base to the
    word budget, a title without forecast years and a trade chart on one statistical basis.
    A file belongs to the article when every fact in it cites the article and it registers no
    sources of its own: web facts also come in files named for their wave (facts/*_wave3.yaml).
    """
    d = Path(tempfile.mkdtemp(prefix="bricli-article-"))
    for f in sorted((REPO / "facts").glob("*.yaml")):
        if f.name == "sources.yaml":
            text = f.read_text(encoding="utf-8")
            first, _, rest = text.partition("\n  - id:")
            second = rest.find("\n  - id:")
            (d / f.name).write_text(first + "\n  - id:" + (rest if second == -1 else rest[:second]) + "\n", encoding="utf-8")
        elif _is_article_file(f):
            shutil.copy(f, d / f.name)
    return d


def _is_article_file(f: Path) -> bool:
    data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
    facts = data.get("facts") or []
    return not data.get("sources") and bool(facts) and all(x["source"]["id"] == "cedpr-2020" for x in facts)


ARTICLE_BASE = _article_base()
ENV = {"BRICLI_FACTS": str(ARTICLE_BASE), "BRICLI_FORMAT": "", "NO_COLOR": "1"}
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
    if args and args[0] in ("report", *TOPICS) and "--no-shipped" not in args:
        args = [*args, "--no-shipped"]  # the article's facts, from BRICLI_FACTS
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


def words(md: str) -> int:
    """The word count of a brief's body: footnote definitions, Mermaid code and footnote marks left out;
    a word is a run of non-blank characters with a letter or digit (table rules and pipes are not words)."""
    body = md.split("\n[^", 1)[0]
    body = re.sub(r"```mermaid\n.*?```", "", body, flags=re.S)
    body = REF.sub("", body)
    return sum(1 for w in body.split() if re.search(r"\w", w))


def check_footnotes(md: str) -> tuple[set[str], list[str]]:
    """Every reference is defined, every definition referenced, none defined twice; returns (cited, defined)."""
    body, _, notes = md.partition("\n[^")
    notes = "[^" + notes if notes else ""
    defined = DEFINITION.findall(notes)
    assert len(defined) == len(set(defined))
    cited = set(REF.findall(body))
    assert set(defined) == cited | set(REF.findall(re.sub(DEFINITION, "", notes)))
    return cited, defined


def key_rows(md: str) -> list[list[str]]:
    (table, *_) = tables(section(md, "Key figures"))
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in table[2:]]


@pytest.fixture(scope="module")
def default_brief() -> str:
    return brief()


@pytest.fixture(scope="module")
def full_brief() -> str:
    return brief("--full", "--derived")


# --- golden files ----------------------------------------------------------------


@pytest.mark.parametrize("name,args", [("default.md", []), ("full-trade.md", ["trade", "--full"])])
def test_brief_matches_golden(name, args):
    md = brief(*args)
    golden = GOLDEN_DIR / name
    if os.environ.get("BRICLI_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(md, encoding="utf-8", newline="")
    assert md == golden.read_text(encoding="utf-8"), \
        "the brief changed: review it, then regenerate with BRICLI_UPDATE_GOLDEN=1 (see the module docstring)"


# --- the default brief: one page ------------------------------------------------


def test_default_brief_is_one_page(default_brief):
    assert words(default_brief) <= 600
    assert words(brief("--derived")) <= 700


def test_layout_in_order(default_brief):
    heads = re.findall(r"^## (.+)$", default_brief, re.M)
    assert heads == ["Key figures", "Trade", "Investment", "Infrastructure projects", "Finance",
                     "People-to-people ties", "Policy coordination", "Risks", "Caveats"]
    first = default_brief.split("\n", 1)[0]
    assert first == "# China and Latin America and the Caribbean: all topics, 2008–2019"
    assert ("Source: [China-Latin America Belt and Road Cooperation](https://cedpr.org/research/globalization/02312002-2)"
            " (cedpr.org, c. 2020-01).") in default_brief  # its publisher (here the site) and date, never its id
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", default_brief.split("\n## ")[0]), "no date unless --date"
    for internal in ("Fact directories", "(shipped)", "Selection:", "No stated figure", "qualifies"):
        assert internal not in default_brief


def test_title_says_topics_country_and_period():
    assert brief("trade", "investment").startswith("# China and Latin America and the Caribbean: trade and investment, 2017–2019\n")
    assert brief("trade", "--year", "2018").startswith("# China and Latin America and the Caribbean: trade, 2018\n")
    assert brief("--country", "Brasil").startswith("# China and Brazil: all topics, ")
    assert brief("--title", "Mine").startswith("# Mine\n")


def test_key_figures_latest_of_each_series_with_period_qualifier_change_and_source(default_brief):
    rows = key_rows(default_brief)
    assert ["China–Latin America trade volume", "US\\$307.4 billion", "2018", "+18.9%",
            "cedpr.org, c. 2020-01 [^trade-2018-total-chn-lcn]"] in rows
    # the latest is partial, so the latest whole year stays beside it
    assert ["China–Latin America trade volume", "US\\$286.83 billion", "2019 Jan–Nov (partial)", "+1.8%",
            "cedpr.org, c. 2020-01 [^trade-2019m1-11-total-chn-lcn]"] in rows
    values = [r[1] for r in rows]
    assert "more than US\\$410 billion" in values and "nearly 1.3 million" in values
    assert "US\\$386.89 billion" not in values  # end-2017 stock: not the latest of its series
    key = section(default_brief, "Key figures")
    for absent in ("exports-chn-lcn", "share", "derived", "chn-wld"):
        assert absent not in key
    # at most KEY_PER_TOPIC series per topic (a partial period's whole one beside it is not another series)
    assert len(rows) <= 2 * len(TOPICS) + 1


def test_trade_chart_over_the_years_with_the_same_data_as_a_table(default_brief):
    trade = section(default_brief, "Trade")
    charts = re.findall(r"```mermaid\n(.*?)```", default_brief, re.S)
    assert len(charts) == 1 and charts[0] in trade
    assert 'x-axis ["2018", "2019 Jan–Nov (partial)"]' in charts[0]
    assert "bar [307.4, 286.83]" in charts[0]
    table = tables(trade.split("```", 2)[2])[0]
    assert [c.strip() for c in table[0].split("|")[1:-1]] == ["Period", "Value", "Source"]
    assert "| 2019 Jan–Nov (partial) | US\\$286.83 billion | [^trade-2019m1-11-total-chn-lcn] |" in trade


def test_a_handful_of_bullets_per_topic(default_brief):
    for title in ("Trade", "Investment", "Infrastructure projects", "Finance", "People-to-people ties",
                  "Policy coordination", "Risks"):
        bullets = re.findall(r"^- ", section(default_brief, title), re.M)
        assert 1 <= len(bullets) <= 3, title


def test_every_number_and_item_is_footnoted(default_brief):
    check_footnotes(default_brief)
    body = default_brief.split("\n[^")[0]
    for line in body.split("\n"):
        if line.startswith("- ") or (line.startswith("| ") and not line.startswith("| Period") and
                                     not line.startswith("| Figure")):
            assert REF.search(line), line
    assert ("[^fdi-2017-flow-chn-lcn]: China-Latin America Belt and Road Cooperation (cedpr-2020), "
            "section “Upgrading trade ties”: "
            "“In 2017, China invested \\$14.08 billion in the region, which accounted for 8.9 percent of its total FDL”"
            in default_brief)


def test_caveats_once_each_for_what_is_shown(default_brief):
    cav = section(default_brief, "Caveats")
    lines = [line for line in cav.split("\n") if line.startswith("- ")]
    texts = [REF.sub("", line) for line in lines]
    assert len(texts) == len(set(texts))
    assert "- 2019 Jan–Nov is part of a year, never the whole year.[^trade-2019m1-11-total-chn-lcn]" in cav
    assert "- “more than”: a lower bound, not an exact figure.[^fdi-2019m11-stock-chn-lcn]" in cav
    shown = set(REF.findall(default_brief.split("## Caveats")[0]))
    assert set(REF.findall(cav)) <= shown  # only caveats of what the brief shows
    assert "derived" not in cav


def test_derived_values_only_on_request(default_brief):
    assert "derived" not in default_brief.split("\n[^")[0]
    assert "derived" not in brief("trade", "--full")
    with_derived = brief("--derived")
    assert "(derived)**" in with_derived and "Values marked derived are computed by bricli" in with_derived
    check_footnotes(with_derived)
    assert "Computed by bricli, not stated in the source:" in with_derived


def test_no_footnotes_is_a_plain_summary(default_brief):
    for args in ([], ["--full", "--derived"]):
        md = brief("--no-footnotes", *args)
        assert "[^" not in md
        assert "cedpr.org, c. 2020-01" in md  # sources are still named
        assert all(len(set(rows)) == 1 for rows in table_shapes(md))
        assert lint(md) == []
    assert words(brief("--no-footnotes")) <= words(default_brief)


def test_bullets_follow_the_rules(tmp_path):
    """Largest stated figure first, then the most recent; never more than three; key figures not repeated."""
    facts = "".join(figure(f"t-{y}", str(100 + y - 2000), str(y)) for y in range(2000, 2019))
    facts += figure("t-world", "4000", "2016").replace("[CHN, LCN]", "[CHN, WLD]").replace("Trade 2016", "World trade")
    facts += figure("t-bra", "150", "2015").replace("[CHN, LCN]", "[CHN, BRA]").replace("Trade 2015", "Brazil trade")
    facts += figure("t-bra-old", "160", "2012").replace("[CHN, LCN]", "[CHN, BRA]").replace("Trade 2012", "Old trade")
    for n in range(20):
        facts += textwrap.dedent(f"""\
        - id: ev-{n:02d}
          type: event
          topic: trade
          label: "Event {n}"
          countries: [CHN, LCN]
          period: "{2000 + n}"
          source: {{id: test-src, section: "S", quote: "q"}}
        """)
    md = brief("--facts", str(write_facts(tmp_path / "f", facts)), "--no-shipped")
    trade = section(md, "Trade")
    bullets = re.findall(r"^- (.*)$", trade, re.M)
    assert len(bullets) == 3
    # the largest figure about the region or a country of it: never China and the world (issue 25), nor a
    # figure more than five years older than the newest of its topic (2012 against 2018)
    assert bullets[0].startswith("**US\\$150 billion**: Brazil trade"), bullets
    assert "World trade" not in md and "Old trade" not in trade
    assert "Event 19" in bullets[1] and "Event 18" in bullets[2]
    assert "[^t-2018]" not in "\n".join(bullets)  # the key figure and the charted years are not repeated
    (chart,) = re.findall(r"```mermaid\n(.*?)```", md, re.S)
    # the trade series over its last ten years (DEFAULT_CHART_YEARS): one page has no room for decades
    assert '"2009"' in chart and '"2018"' in chart and '"2008"' not in chart
    assert words(md) <= 600


def test_amounts_in_two_currencies_are_not_compared_by_size(tmp_path):
    # the same year: the latest comes first, and of one year US dollars before other currencies
    facts = figure("f-usd", "10", "2019") + figure("f-brl", "190", "2019").replace("unit: USD", "unit: BRL") \
        .replace("metric: trade", "metric: swap")
    md = brief("--facts", str(write_facts(tmp_path / "f", facts)), "--no-shipped", "--full")
    rows = key_rows(md)
    assert [r[1] for r in rows] == ["US\\$10 billion", "R\\$190 billion"]  # US dollars first, before a larger amount in reais


def test_country_asked_for_comes_first(tmp_path):
    facts = ""
    for n, countries in enumerate(["[CHN, BRA, ARG]", "[BRA]", "[CHN, BRA, PER]", "[CHN, BRA]"]):
        facts += textwrap.dedent(f"""\
        - id: ev-{n}
          type: event
          topic: policy
          label: "Event {n}"
          countries: {countries}
          period: "201{n}"
          source: {{id: test-src, section: "S", quote: "q"}}
        """)
    md = brief("--facts", str(write_facts(tmp_path / "f", facts)), "--no-shipped", "--country", "BRA")
    bullets = re.findall(r"^- (.*)$", section(md, "Policy coordination"), re.M)
    assert [b.split("(")[0].strip() for b in bullets] == ["Event 3", "Event 1", "Event 2"]


def test_key_figures_scale_with_many_sources(tmp_path):
    sources = "sources:\n" + "".join(f'  - id: src-{n}\n    title: "Source {n}"\n    date: "20{10 + n}"\n'
                                      for n in range(5))
    facts = ""
    for n in range(5):
        for y in range(2010, 2015 + n):
            facts += figure(f"t-{n}-{y}", str(y - 2000 + n), str(y)).replace("test-src", f"src-{n}")
    md = brief("--facts", str(write_facts(tmp_path / "f", facts, sources)), "--no-shipped")
    rows = key_rows(md)
    assert len(rows) == 1 and rows[0][2] == "2018" and "Source 4, 2014" in rows[0][4]  # the latest, whichever source
    assert len(re.findall(r"```mermaid", md)) == 1  # one chart: one source per chart, the longest series
    assert "Sources: 5, each named where cited." in md
    # the sources disagree on many years: the CONFLICTS_SHOWN most recent disagreements, the rest counted
    from bricli.present.brief.build import CONFLICTS_SHOWN as shown

    full = brief("--facts", str(tmp_path / "f"), "--no-shipped", "--full")
    every = re.findall(r"^- China–LAC trade, (\d+)", section(full, "Where sources disagree"), re.M)
    assert len(every) > shown
    disagree = section(md, "Where sources disagree")
    assert re.findall(r"^- China–LAC trade, (\d+)", disagree, re.M) == sorted(every, reverse=True)[:shown]
    assert f"{len(every) - shown} more in the full brief (`--full`)." in disagree


def test_many_sources_are_counted_not_listed(tmp_path):
    sources = "sources:\n" + "".join(f'  - id: src-{n}\n    title: "Source {n}"\n    date: "2020"\n' for n in range(5))
    facts = "".join(textwrap.dedent(f"""\
        - id: ev-{n}
          type: event
          topic: {topic}
          label: "Event {n}"
          countries: [CHN, LCN]
          source: {{id: src-{n}, section: "S", quote: "q"}}
        """) for n, topic in enumerate(TOPICS[:5]))
    md = brief("--facts", str(write_facts(tmp_path / "f", facts, sources)), "--no-shipped")
    assert "Sources: 5, each named where cited." in md
    assert md.startswith("# China and Latin America and the Caribbean: all topics\n")  # nothing dated: no period
    full = brief("--facts", str(write_facts(tmp_path / "f", facts, sources)), "--no-shipped", "--full")
    assert "Source 0 (Source 0, 2020); Source 1 (Source 1, 2020)" in full  # the full brief lists them all


def test_where_sources_disagree(monkeypatch, tmp_path):
    from bricli.analysis import conflicts
    from bricli.analysis.conflicts import Conflict

    sources = SOURCES + '  - id: other-src\n    title: "Another source"\n    date: "2021"\n'
    facts = figure("a-2018", "307.4", "2018") + figure("b-2018", "310", "2018").replace("test-src", "other-src")

    def fake(found):
        found = list(found)
        pair = tuple(f for f in found if f.id in ("a-2018", "b-2018"))
        return [Conflict("Trade volume, 2018", "value", pair)]

    monkeypatch.setattr(conflicts, "find_conflicts", fake)
    d = write_facts(tmp_path / "f", facts, sources)
    for args in ([], ["--full"]):
        md = brief("--facts", str(d), "--no-shipped", *args)
        part = section(md, "Where sources disagree")
        assert ("- Trade volume, 2018 (different values): US\\$307.4 billion (A test source, 2020-01)[^a-2018]; "
                "US\\$310 billion (Another source, 2021)[^b-2018]") in part  # each source by name and date
        check_footnotes(md)
        assert lint(md) == []
    monkeypatch.setattr(conflicts, "find_conflicts", lambda found: [])
    assert "Where sources disagree" not in brief("--facts", str(d), "--no-shipped")


def test_footnote_gives_the_translation_when_the_source_reference_has_one():
    from bricli.present.brief.data import Footnote
    from bricli.render.brief_markdown import _footnote

    fn = Footnote("x-1", "s", "Un título", section="Comercio", quote="El comercio creció", translation="Trade grew")
    assert _footnote(fn, {}, {}) == ("[^x-1]: Un título (s), section “Comercio”: “El comercio creció” "
                                     "In English: “Trade grew”")  # the source's id stays in the footnote
    no_section = Footnote("x-2", "s", "T", url="https://example.org/a", quote="q")
    assert _footnote(no_section, {}, {}) == "[^x-2]: T (s), <https://example.org/a>: “q”"


def test_a_quote_not_in_english_has_its_translation_in_the_footnote(tmp_path):
    sources = 'sources:\n  - id: es-src\n    title: "Una fuente"\n    date: "2021"\n    language: es\n' \
              '    kind: news\n    url: "https://example.org/nota"\n'
    fact = textwrap.dedent("""\
        - id: ev-es
          type: event
          topic: trade
          label: "Trade grew"
          countries: [CHN, LCN]
          period: "2020"
          source: {id: es-src, quote: "El comercio creció", translation: "Trade grew"}
        """)
    md = brief("--facts", str(write_facts(tmp_path / "f", fact, sources)), "--no-shipped")
    assert "[^ev-es]: Una fuente (es-src), <https://example.org/nota>: “El comercio creció” In English: “Trade grew”" in md
    check_footnotes(md)
    assert lint(md) == []


def test_all_english_wording_lives_in_one_module(monkeypatch):
    from bricli.present.brief import words as W

    monkeypatch.setattr(W, "KEY_FIGURES", "Cifras clave")
    monkeypatch.setattr(W, "CAVEATS", "Advertencias")
    monkeypatch.setattr(W, "TOPIC_TITLES", {**W.TOPIC_TITLES, "trade": "Comercio"})
    monkeypatch.setattr(W, "TITLE", "China y {focus}: {topics}, {period}")
    monkeypatch.setattr(W, "INTRO", "Cifras tal como las dan sus fuentes.")
    md = brief("trade")
    assert md.startswith("# China y Latin America and the Caribbean: trade, 2018–2019\n\nCifras tal como")
    assert re.findall(r"^## (.+)$", md, re.M) == ["Cifras clave", "Comercio", "Advertencias"]


# --- the full brief: the complete record, without repetitions ---------------------


def test_full_brief_holds_every_fact_of_the_selection(full_brief):
    from bricli.analysis.query import Filters
    from bricli.cli.factbase import FactBaseOptions, select_items

    options = FactBaseOptions([ARTICLE_BASE], True, DEFAULT_MAX_FILE_SIZE, True)
    cited, _ = check_footnotes(full_brief)
    assert {i.id for i in select_items(options, Filters())} <= cited
    assert "[^derived.balance.trade-2018-exports-chn-lcn]: Computed by bricli, not stated in the source: 148.79 − 158.61" \
           in full_brief


def test_full_brief_without_repetitions(full_brief):
    body = full_brief.split("\n[^")[0]
    # no id column: footnote marks suffice
    for table in tables(body):
        assert not table[0].startswith("| ID ")
    # a derived formula is written once, in its footnote
    assert full_brief.count("148.79 − 158.61") == 1
    # names are not repeated in their own descriptions
    assert "Container port on Margarita Island:" not in full_brief
    assert "- Container port on Panama's Margarita Island (Panama; status: unknown)[^project-pan-margarita-port]" \
           in full_brief
    # no period written twice
    assert "(June 2019) (Jun 2019)" not in full_brief and "(August 2018) (Aug 2018)" not in full_brief
    # no internal wording
    for internal in ("Fact directories", "(shipped)", "No stated figure in this selection qualifies", "Selection:"):
        assert internal not in full_brief


def test_full_brief_groups_risks_by_country(full_brief):
    risks = section(full_brief, "Risks").split("### Risks by country")[1].split("###")[0]
    groups = re.split(r"^- ", risks, flags=re.M)
    by_country = {g.split("\n", 1)[0]: g for g in groups if g.strip()}
    # a risk naming two countries appears under each
    refugees = "[^risk-security-venezuelan-refugees]"
    assert refugees in by_country["Venezuela"] and refugees in by_country["Colombia"]
    assert "  - Political: " in by_country["Peru"]


def test_full_brief_charts_and_tables(full_brief):
    charts = re.findall(r"```mermaid\n(.*?)```", full_brief, re.S)
    # stocks at end-2017 and Nov 2019: 2018 is a year without a figure, an empty bar (true time, issue 25)
    assert any('x-axis ["end-2017", "2018 (no figure)", "by Nov 2019 (more than)"]' in c and "bar [386.89, 0, 410]" in c
               for c in charts)
    assert any('x-axis ["2018", "2019 Jan–Nov (partial)"]' in c for c in charts)
    shapes = table_shapes(full_brief)
    assert len(shapes) == len(tables(full_brief)) >= 8
    for rows in shapes:
        assert len(set(rows)) == 1, rows


@pytest.mark.parametrize("args", [[], ["--full", "--derived"], ["--derived"], ["--country", "Brasil"],
                                  ["--year", "2018", "--full"]])
def test_lint_clean_rectangular_and_footnotes_complete(args):
    md = brief(*args)
    assert lint(md) == []
    assert all(len(set(rows)) == 1 for rows in table_shapes(md))
    check_footnotes(md)


# --- the same table as `bricli TOPIC --format markdown` -------------------------


def without_first_column(line: str) -> str:
    return "|" + line.split("|", 2)[2]


@pytest.mark.parametrize("topic,args", [("trade", ["--year", "2018"]), ("investment", ["--year", "2017"])])
def test_topic_markdown_gives_the_same_table(topic, args):
    listing = run([topic, *args, "--derived", "--format", "markdown"])
    assert listing.exit_code == 0
    (expected,) = tables(listing.stdout)
    title = {"trade": "Trade", "investment": "Investment"}[topic]
    got = tables(section(brief(topic, *args, "--full", "--derived"), title))[0]
    assert len(got) == len(expected)
    for ours, theirs in zip(got, expected):
        # the brief leaves out the id column and adds one, the footnote reference; the rest is the same
        theirs = without_first_column(theirs)
        assert ours.startswith(theirs) and re.fullmatch(r"( (\[\^[a-z0-9.-]+\]|Source) +|:-+)\|", ours[len(theirs):])


@pytest.mark.parametrize("cells", [
    [["a", "1"], ["bbb", "22"]],
    [["", ""], ["", ""]],
    [["São Lourenço | x", "US$1 billion"], ["中国–拉美 trade", "≈ 6.65%"], ["<b>*x*</b>", "−9.82"]],
])
def test_brief_tables_are_laid_out_as_the_listings(cells):
    from bricli.present.listing import Column, Listing
    from bricli.render.markdown import pipe_table
    from bricli.render.markdown import render_markdown

    listing = Listing(records=[], columns=[Column("a", "What"), Column("b", "Value", numeric=True)],
                      rows=[{"a": a, "b": b} for a, b in cells])
    assert pipe_table(["What", "Value"], cells, {1}) + "\n" == render_markdown(listing)


def test_brief_rows_are_the_listing_rows_without_the_narrow_forms():
    """Speed (issue 14): the brief asks display_row for the Markdown columns only."""
    from bricli.analysis.query import Filters
    from bricli.cli.factbase import FactBaseOptions, select_items
    from bricli.present.rows import display_row
    from bricli.present.options import KIND_COLUMN

    items = select_items(FactBaseOptions([ARTICLE_BASE], True, DEFAULT_MAX_FILE_SIZE, True), Filters(), derived=True)
    assert any(type(i).__name__ == "Derived" for i in items)
    narrow = ("countries_short", "value_short", "amount_short")
    for item in items:
        for cite in (False, True):
            full = display_row(item, cite, KIND_COLUMN.get(item.topic))
            assert set(narrow) <= set(full)
            wide = display_row(item, cite, KIND_COLUMN.get(item.topic), narrow=False)
            assert wide == {k: v for k, v in full.items() if k not in narrow}


# --- charts --------------------------------------------------------------------


def test_chart_of_a_series_then_the_same_data_as_a_table(tmp_path):
    facts = (
        figure("t-2016", "100", "2016", extra="change_pct: 25")  # implies a derived 2015: never charted
        + figure("t-2018", "130.5", "2018")
        + figure("t-2017", "120", "2017")
        + figure("t-2019m1-11", "125", "2019-01/2019-11")  # a later part of a year closes the series, marked
        + figure("t-2018-exp", "60", "2018", direction="exports")  # one period only: no chart
    )
    d = write_facts(tmp_path / "f", facts)
    md = brief("--facts", str(d), "--no-shipped", "--full", "--derived")
    charts = re.findall(r"```mermaid\n(.*?)```", md, re.S)
    assert charts == [
        "xychart-beta\n"
        '    title "Trade 2016"\n'
        '    x-axis ["2016", "2017", "2018", "2019 Jan–Nov (partial)"]\n'
        '    y-axis "US$ billion" 0 --> 200\n'
        "    bar [100, 120, 130.5, 125]\n"
    ]
    after = md.split("```mermaid", 1)[1].split("```\n\n", 1)[1]
    table = after.split("\n\n", 1)[0].split("\n")
    assert [c.strip() for c in table[0].split("|")[1:-1]] == ["Period", "Value", "Source"]
    assert [row.split("|")[1].strip() for row in table[2:]] == ["2016", "2017", "2018", "2019 Jan–Nov (partial)"]
    assert [row.split("|")[3].strip() for row in table[2:]] == ["[^t-2016]", "[^t-2017]", "[^t-2018]", "[^t-2019m1-11]"]
    assert "derived.prior.t-2016" in md and "2015" not in charts[0]
    assert table_shapes(md) and all(len(set(rows)) == 1 for rows in table_shapes(md))
    assert lint(md) == []


def test_trade_chart_is_the_series_by_the_choice_rule(tmp_path):
    """One bar a year across sources by the choice rule of `bricli series` (issue 20): the main basis (most
    years) first, exact before a bound on the same basis, then the more reliable source; bars in one
    scale, each footnoted to its own fact."""
    sources = ("sources:\n"
               + "".join(f'  - id: {sid}\n    title: "Source {sid}"\n    date: "{d}"\n    reliability: {g}\n'
                         for sid, d, g in (("cus-a", "2022", "A"), ("cus-b", "2023", "B"), ("cus-c", "2024", "C"),
                                           ("mof", "2024", "A"), ("blog", "2024", "C"))))
    def on(fid, value, year, src, basis, extra=""):
        return figure(fid, value, year, extra=f"stat_basis: {basis}\n{extra}").replace("test-src", src)
    facts = (
        on("c-2020", "200000", "2020", "cus-a", "china-customs", "scale: million").replace("  scale: billion\n", "", 1)
        + on("c-2021-more", "250", "2021", "cus-c", "china-customs", "qualifier: more-than")
        + on("c-2021", "251.5", "2021", "cus-b", "china-customs")  # exact: preferred to the later "more than"
        + on("c-2022-b", "300", "2022", "cus-b", "china-customs")
        + on("c-2022-c", "300", "2022", "cus-c", "china-customs")  # B before C
        + on("m-2021", "260", "2021", "mof", "mofcom") + on("m-2022", "310", "2022", "mof", "mofcom")
        + on("c-2035", "700", "2035", "cus-c", "china-customs", "basis: forecast")  # not a reported year
        + "".join(on(f"u-{y}", "300", str(y), "blog", "unstated", "qualifier: more-than") for y in range(2015, 2020))
    )
    md = brief("--facts", str(write_facts(tmp_path / "f", facts, sources)), "--no-shipped")
    (chart,) = re.findall(r"```mermaid\n(.*?)```", md, re.S)
    assert '"2019 (more than)", "2020", "2021", "2022"]' in chart and "bar [300, 300, 300, 300, 300, 200, 251.5, 300]" in chart
    trade = section(md, "Trade")
    assert "one figure a year from 3 sources (the rule of bricli series)" in trade
    assert "US\\$200,000 million | Source cus-a, 2022 [^c-2020]" in trade  # the table keeps the value as stated
    chart_table = trade.split("\n- ")[0]
    assert "[^c-2021]" in chart_table and "[^c-2022-b]" in chart_table
    assert "[^c-2022-c]" not in trade and "[^c-2021-more]" not in trade  # nor repeated as bullets
    assert "Source cus-b, 2023" in brief("--facts", str(tmp_path / "f"), "--no-shipped", "--no-footnotes")  # sources named
    assert md.startswith("# China and Latin America and the Caribbean: all topics, 2015–2022\n")  # not 2035
    assert "(forecast)" not in section(md, "Key figures")
    check_footnotes(md)
    assert lint(md) == []


def test_charts_show_every_year_of_their_span_a_gap_as_a_gap(tmp_path):
    """Charts with true time (issue 25): every year of the span, a year without a figure an empty bar labelled
    so and a table row that says so (never evenly spaced jumps); a closing partial year stays marked partial.
    `trade --chart` and `bricli series ID --chart` follow the same rule."""
    facts = (figure("g-2015", "100", "2015") + figure("g-2016", "110", "2016") + figure("g-2019", "150.5", "2019")
             + figure("g-2021", "170", "2021") + figure("g-2022q1", "40", "2022-01/2022-03"))
    d = write_facts(tmp_path / "f", facts)
    for args in ([], ["--full"]):
        md = brief("--facts", str(d), "--no-shipped", *args)
        (chart,) = re.findall(r"```mermaid\n(.*?)```", md, re.S)
        assert ('x-axis ["2015", "2016", "2017 (no figure)", "2018 (no figure)", "2019", "2020 (no figure)", "2021", '
                '"2022 Jan–Mar (partial)"]') in chart
        assert "bar [100, 110, 0, 0, 150.5, 0, 170, 40]" in chart
        after = md.split("```mermaid", 1)[1].split("```\n\n", 1)[1]
        table = after.split("\n\n", 1)[0].split("\n")
        cells = [[c.strip() for c in row.split("|")[1:-1]] for row in table[2:]]
        assert [c[0] for c in cells] == ["2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022 Jan–Mar (partial)"]
        assert [c[1] for c in cells][2:4] == ["no figure", "no figure"] and cells[5][1] == "no figure"
        assert [REF.findall(c[2]) for c in cells] == [["g-2015"], ["g-2016"], [], [], ["g-2019"], [], ["g-2021"],
                                                      ["g-2022q1"]]  # a gap cites nothing
        check_footnotes(md)
        assert all(len(set(rows)) == 1 for rows in table_shapes(md))
        assert lint(md) == []
    for args in (["trade", "--chart"], ["series", "trade-total-chn-lcn-usd", "--chart"]):
        result = run([*args, "--facts", str(d), "--no-shipped"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.stderr
        years = re.findall(r"^  (\d{4})", result.stdout, re.M)
        assert years == [str(y) for y in range(2015, 2023)], result.stdout
        assert len(re.findall(r"no figure", result.stdout)) == 3
        assert re.search(r"2022 Jan–Mar \*", result.stdout)


def test_sources_are_cited_by_publisher_and_date():
    """Sources by name (issue 25): the publisher's short name and the source's date, never the id."""
    from bricli.model.facts import Source
    from bricli.present.brief.opening import cited_as

    def src(**kw) -> Source:
        return Source(**{"id": "x-id", "title": "A title", "date": "2025-05-16", **kw})

    assert cited_as(src(publisher="Xinhua (新华网), reposted by xilu.com")) == "Xinhua, 2025-05-16"
    assert cited_as(src(publisher="Xinhua News Agency / China.org.cn")) == "Xinhua News Agency, 2025-05-16"
    assert cited_as(src(publisher="墨西哥华文时报 (Mexico Huawen Times)")) == "Mexico Huawen Times, 2025-05-16"
    assert cited_as(src(publisher="Paul, Weiss (client news, on a mirror host)")) == "Paul, Weiss, 2025-05-16"
    assert cited_as(src(publisher="La Tercera (Chile)", date="2014-07", date_estimated=True)) == "La Tercera, c. 2014-07"
    assert cited_as(src(author="Margaret Myers; Rebecca Ray", date="2023")) == "Margaret Myers, 2023"
    assert cited_as(src(url="https://www.cedpr.org/research/x")) == "cedpr.org, 2025-05-16"  # no publisher: the site
    assert cited_as(src()) == "A title, 2025-05-16"
    assert cited_as(None, "unknown-id") == "unknown-id"


def test_disagreements_about_what_the_page_shows(tmp_path):
    """The default brief lists the disagreements about a figure it shows; others are counted, never listed."""
    sources = SOURCES + '  - id: other-src\n    title: "Another source"\n    date: "2021"\n    publisher: "Other"\n'
    old = figure("a-2005", "50", "2005") + figure("b-2005", "80", "2005").replace("test-src", "other-src")
    shown = "".join(figure(f"a-{y}", str(100 + y - 2010), str(y)) for y in range(2010, 2021))
    d = write_facts(tmp_path / "f", old + shown, sources)
    md = brief("--facts", str(d), "--no-shipped")
    assert "2005" not in section(md, "Trade")  # the chart's last ten years
    assert section(md, "Where sources disagree").split("\n", 2)[2].strip() == \
        "None about the figures shown; 1 in the full brief (`--full`)."
    assert "[^b-2005]" not in md
    full = brief("--facts", str(d), "--no-shipped", "--full")
    assert "(Other, 2021)[^b-2005]" in section(full, "Where sources disagree")
    d2 = write_facts(tmp_path / "g", old + shown + figure("b-2020", "999", "2020").replace("test-src", "other-src"), sources)
    part = section(brief("--facts", str(d2), "--no-shipped"), "Where sources disagree")
    assert "(Other, 2021)[^b-2020]" in part and "[^b-2005]" not in part and "1 more in the full brief" in part


# --- the shipped facts ------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    """The default brief on every shipped fact (the article and the web sources) and the facts themselves."""
    from bricli.cli.factbase import FactBaseOptions, require_base

    result = CliRunner().invoke(app, ["report"], env={**ENV, "BRICLI_FACTS": ""}, prog_name="bricli")
    assert result.exit_code == 0, result.stderr
    base = require_base(FactBaseOptions(None, False, DEFAULT_MAX_FILE_SIZE))
    return result.stdout, base


def test_default_brief_on_the_shipped_facts_is_one_page(shipped):
    md, _ = shipped
    assert words(md) <= 650  # the budget of issue 25 (footnotes aside), on the whole shipped base of wave 3
    check_footnotes(md)
    assert all(len(set(rows)) == 1 for rows in table_shapes(md))
    assert lint(md) == []


def test_shipped_brief_names_sources_and_keeps_footnote_marks_apart(shipped):
    """Sources by name, ids in the footnotes only; two marks, or a digit and a mark, never run together (issue 25)."""
    md, base = shipped
    body, _, notes = md.partition("\n[^")
    assert "][^" not in md and not re.search(r"\d\[\^", body)
    text = REF.sub("", body)
    cited = {base.by_id()[fid].source.id for fid in REF.findall(body) if fid in base.by_id()}
    assert len(cited) >= 10
    for sid in cited:
        assert sid not in text, sid  # named by publisher and date
        assert f"({sid})" in notes, sid  # the id stays in the footnote
    assert "Mexico Huawen Times, 2025-05-14 [^" in section(md, "Key figures")


def test_shipped_brief_title_covers_reported_years(shipped):
    md, base = shipped
    last = int(re.match(r"# .*, \d{4}–(\d{4})\n", md).group(1))
    assert last <= max(int(s.date[:4]) for s in base.sources.values())  # a forecast for 2035 is not covered


def test_shipped_key_figures_are_reported_values_about_china_and_the_region(shipped):
    md, base = shipped
    by_id = base.by_id()
    refs = REF.findall(section(md, "Key figures"))
    assert refs
    for fid in refs:
        f = by_id[fid]
        assert f.basis == "reported" and set(f.countries) == {"CHN", "LCN"}, fid
    assert not re.search(r"\((forecast|target|estimate)\)", section(md, "Key figures"))


def test_shipped_trade_chart_is_the_series_bricli_series_gives(shipped):
    """The brief's trade chart, `trade --chart` and `bricli series` show the same figure for each year (issue 20)."""
    import json

    md, _ = shipped
    trade = section(md, "Trade")
    (chart,) = re.findall(r"```mermaid\n(.*?)```", trade, re.S)
    bars = re.search(r"bar \[(.*)\]", chart).group(1).split(", ")
    table = tables(trade.split("```", 2)[2])[0]
    refs = [REF.findall(row)[:1] for row in table[2:]]  # a year without a figure (an empty bar) cites nothing
    cited = [r[0] for r in refs if r]
    assert len(refs) == len(bars) and len(cited) == len(set(cited)) >= 3  # one footnote per bar, each its own fact
    result = CliRunner().invoke(app, ["series", "trade-total-chn-lcn-usd", "--format", "json"],
                                env={**ENV, "BRICLI_FACTS": ""}, prog_name="bricli")
    rows = json.loads(result.stdout)
    last = max(r["year"] for r in rows if r["fact"])
    # the default brief charts the series' last ten years (present/brief/series.py, DEFAULT_CHART_YEARS), every one
    first = min(r["year"] for r in rows if r["fact"] and r["year"] > last - 10)
    chosen = [[r["fact"]] if r["fact"] else [] for r in rows if first <= r["year"] <= last]
    assert refs == chosen
    assert "451.591" in bars



def shipped_brief(*args) -> str:
    result = CliRunner().invoke(app, ["report", *args], env={**ENV, "BRICLI_FACTS": ""}, prog_name="bricli")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def lead_of(md: str) -> str:
    """The lead paragraph: the text between the opening lines and the first section."""
    head = md.split("\n## ", 1)[0]
    return head.split("\n\n")[-1].strip()


def bullet_refs(md: str) -> list[str]:
    """The fact ids cited by the topic sections' bullets (not the key figures, charts, disagreements, caveats)."""
    out = []
    for title in ("Trade", "Investment", "Infrastructure projects", "Finance", "People-to-people ties",
                  "Policy coordination", "Risks"):
        if f"\n## {title}\n" in md:
            for line in section(md, title).split("\n"):
                if line.startswith("- "):
                    out += REF.findall(line)
    return out


def test_shipped_lead_names_the_policy_events_of_the_period(shipped):
    """Issue 25: the all-topics brief names Panama's 2025 withdrawal and Brazil's 2024 decision, each footnoted,
    in a lead under the title, with the latest whole-year trade figure of the chart's series and its change."""
    md, _ = shipped
    lead = lead_of(md)
    assert "Panama withdrew from the Belt and Road (by 6 Feb 2025)[^bri-withdrawn-pan-2025-02]" in lead
    assert "Brazil decided not to join the Belt and Road (by 30 Oct 2024)[^bri-declined-bra-2024-10]" in lead
    assert lead.index("Panama") < lead.index("Brazil decided")  # newest first
    # the latest whole year of the series the chart draws (the rule of bricli series), with its stated change
    assert lead.startswith("China–Latin America trade (MOFCOM): US\\$518.47 billion in 2024, +6.0% on a year earlier"
                           "[^trade-2024-total-chn-lcn-mofcom]. ")
    check_footnotes(md)
    assert len(re.findall(r"(?<=[.])( |$)", REF.sub("", lead))) <= 3  # two or three sentences


def test_shipped_bullets_belong(shipped):
    """No world-trade bullet, no forecast for a year with a reported figure, no event told twice (issue 25)."""
    from bricli.analysis.reconcile import year_of
    from bricli.model.countries import REGION_MEMBERS
    from bricli.present.brief.bullets import event_keys

    md, base = shipped
    by_id = base.by_id()
    refs = bullet_refs(md)
    assert refs
    assert "[^trade-2018-total-chn-wld]" not in md and "World" not in md.split("\n[^")[0]
    lac = {*REGION_MEMBERS, "LCN"}
    for fid in refs:
        f = by_id[fid]
        assert not f.countries or set(f.countries) & lac, fid  # China and the region or a country of it
    reported = {(f.metric, f.direction, tuple(sorted(f.countries)), f.unit, y.year) for f in base.facts
                if f.type == "figure" and f.basis == "reported" and (y := year_of(f)) is not None}
    body_refs = set(REF.findall(md.split("\n[^")[0]))
    for fid in body_refs:
        f = by_id.get(fid)
        if f is not None and f.basis == "forecast" and (y := year_of(f)) is not None:
            assert (f.metric, f.direction, tuple(sorted(f.countries)), f.unit, y.year) not in reported, fid
    told: dict[str, str] = {}
    for fid in [*REF.findall(lead_of(md)), *refs]:
        for k in event_keys(by_id[fid]):
            assert told.setdefault(k, fid) == fid, (k, told[k], fid)
    assert not ({"swap-bra-signed-2025-05-13", "swap-bra-2025-term"} <= body_refs)  # the Brazil swap once
    assert words(md) <= 650


def test_shipped_trade_briefs_use_the_series_rule():
    """`report trade --year 2018..2019` leads with US$307.4 billion (not a lower bound from a low-grade page);
    `report trade --year 2000..2024` shows one 2024 value of the China–LAC total, the one bricli series picks."""
    md = shipped_brief("trade", "--year", "2018..2019")
    assert lead_of(md).startswith("China–Latin America trade volume: US\\$307.4 billion in 2018, +18.9% on a year "
                                  "earlier[^trade-2018-total-chn-lcn].")
    md = shipped_brief("trade", "--year", "2000..2024")
    body = md.split("\n[^")[0]
    cited_2024 = {r for r in REF.findall(body) if r.startswith("trade-2024-total-chn-lcn")}
    assert cited_2024 == {"trade-2024-total-chn-lcn-mofcom"}, cited_2024


def test_shipped_lead_of_a_topic_without_a_chart():
    """Every brief has a lead: without a chart, the latest whole-year exact reported amount about China and the
    region (a flow over a year, not a stock at a date); a policy brief leads with its steps."""
    assert lead_of(shipped_brief("investment")) == ("China's direct investment flow to Latin America, 2024 (MOFCOM): "
                                                   "US\\$14.71 billion[^fdi-2024-flow-chn-lcn-mofcom].")
    assert lead_of(shipped_brief("policy")).startswith("Latest policy steps, newest first: Colombia signed a Belt and "
                                                       "Road cooperation document (14 May 2025)[^bri-signed-col-2025-05-14]; ")


def test_shipped_country_brief_opens_with_its_numbers_steps_and_projects():
    """Issue 25 part 5: `report --country BRA` opens with the bilateral figures, then Brazil's steps with China in
    date order, then its projects with their status; the swap, Belo Monte and CEBRI are each told once."""
    from bricli.cli.factbase import FactBaseOptions, require_base
    from bricli.present.brief.key_figures import end_day

    md = shipped_brief("--country", "BRA")
    heads = re.findall(r"^## (.+)$", md, re.M)
    assert heads[:4] == ["Key figures", "Steps with China", "Projects", "Trade"]
    assert "| Brazil's trade with China" in section(md, "Key figures")
    by_id = require_base(FactBaseOptions(None, False, DEFAULT_MAX_FILE_SIZE)).by_id()
    steps = [REF.findall(line)[0] for line in section(md, "Steps with China").split("\n") if line.startswith("- ")]
    assert "bri-declined-bra-2024-10" in steps and "swap-bra-signed-2025-05-13" in steps
    assert [end_day(by_id[s]) for s in steps] == sorted(end_day(by_id[s]) for s in steps)  # date order
    projects = [line for line in section(md, "Projects").split("\n") if line.startswith("- ")]
    assert projects and all("status: " in line for line in projects)
    body = md.split("\n[^")[0]
    for thing in ("swap-bra-2025-term", "actor-brazilian-center-international-relations"):
        assert f"[^{thing}]" not in body, thing  # told already (the swap's signing, the risk naming it)
    # a project's current status cites the milestone it comes from, on the project's line, and nowhere else
    milestone = "[^project-bra-belo-monte-phase2-operating-2019-08]"
    assert body.count(milestone) == 1 and milestone in section(md, "Projects")
    assert "(status: operating)[^project-bra-belo-monte-uhv-phase2]," + milestone in section(md, "Projects")
    assert body.count("Belo Monte second") <= 1 and body.count("Brazilian Center for International Relations") == 1
    check_footnotes(md)
    assert lint(md) == []


STEP = """\
- id: {fid}
  type: {ftype}
  topic: {topic}
  kind: {kind}
  stage: {stage}
  label: "{label}"
  countries: [CHN, {country}]
  period: "{period}"
  source: {{id: {source}, section: "S", quote: "q"}}
"""


def test_lead_rule(tmp_path):
    """The lead: the latest whole-year exact figure of the chart's series with a change computed by bricli (said
    so, both facts footnoted) when none is stated; the four latest policy steps, newest first, one per event
    (of two statements, the more reliable source)."""
    sources = SOURCES + '  - id: good-src\n    title: "Good"\n    date: "2025"\n    reliability: A\n'
    facts = figure("t-2022", "200", "2022") + figure("t-2023", "210", "2023") + figure("t-2024m6", "150", "2024-01/2024-06")
    steps = [("s-1", "bri-document", "signed", "PAN", "2017-11-17", "test-src"),
             ("s-2", "fta", "in-force", "ECU", "2024-05-01", "test-src"),
             ("s-2b", "fta", "in-force", "ECU", "2024-05-31", "good-src"),  # the same event, a better source
             ("s-3", "bri-document", "declined", "BRA", "2024-10-30", "test-src"),
             ("s-4", "bri-document", "withdrawn", "PAN", "2025-02-06", "test-src"),
             ("s-5", "swap", "signed", "BRA", "2025-05-13", "test-src"),
             ("s-6", "fta", "negotiating", "HND", "2025-06-01", "test-src")]  # not a signing, leaving or entry into force
    facts += "".join(STEP.format(fid=i, kind=k, stage=st, label=f"Step {i}", country=c, period=p, source=src,
                                 ftype="arrangement" if k == "swap" else "policy",
                                 topic="finance" if k == "swap" else "policy")
                     for i, k, st, c, p, src in steps)
    md = brief("--facts", str(write_facts(tmp_path / "f", facts, sources)), "--no-shipped")
    lead = lead_of(md)
    assert lead.startswith("Trade 2023: US\\$210 billion, +5.0% on US\\$200 billion in 2022 "
                           "(change computed by bricli)[^t-2023],[^t-2022]. "), lead
    assert lead.endswith("Latest policy steps, newest first: Brazil signed a currency swap with China (13 May 2025)[^s-5]; "
                         "Panama withdrew from the Belt and Road (6 Feb 2025)[^s-4]; Brazil decided not to join the Belt "
                         "and Road (30 Oct 2024)[^s-3]; Ecuador's free trade agreement with China entered into force "
                         "(31 May 2024)[^s-2b]."), lead
    check_footnotes(md)
    assert lint(md) == []


def test_stale_figures_and_outdated_forecasts_are_not_bullets(tmp_path):
    """A figure more than five years older than the newest of its topic, and a forecast for a year that has a
    reported figure, are never bullets; a forecast for a year without one may be."""
    def gdp(fid, value, year, basis, country="ARG"):
        return textwrap.dedent(f"""\
        - id: {fid}
          type: figure
          topic: risks
          label: "Growth {fid}"
          metric: gdp-growth
          countries: [{country}]
          value: {value}
          unit: percent
          period: "{year}"
          basis: {basis}
          source: {{id: test-src, section: "S", quote: "q"}}
        """)
    facts = gdp("f-2019", "9", 2019, "forecast") + gdp("r-2019", "1", 2019, "reported") + gdp("old-2012", "8", 2012, "reported")
    facts += gdp("f-2020", "2", 2020, "forecast", "BRA")
    md = brief("--facts", str(write_facts(tmp_path / "f", facts)), "--no-shipped", "risks")
    refs = bullet_refs(md)
    assert "f-2019" not in refs and "old-2012" not in refs
    assert "f-2020" in refs and "r-2019" in refs


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
    url: "https://example.org/x)](javascript:alert(1)"
"""
# (a javascript: url is refused by check since issue 24: tests/test_harden.py; this one is
# http(s) but holds Markdown's link syntax, which a brief must not turn into a second link)


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


def test_hostile_text_in_the_full_brief(tmp_path):
    d = write_facts(tmp_path / "evil", HOSTILE_FACTS, HOSTILE_SOURCES)
    md = brief("--facts", str(d), "--no-shipped", "--full", "--derived")
    assert "<script" not in md and "<b>" not in md
    for table in tables(md):
        assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) == 1
    assert all(len(set(rows)) == 1 for rows in table_shapes(md))
    check_footnotes(md)
    assert lint(md) == []


def test_hostile_text_in_footnotes_is_escaped(hostile_brief):
    note = next(line for line in hostile_brief.split("\n") if line.startswith("[^evil-figure]:"))
    assert "\\[x\\](javascript:alert(1))" in note and "&lt;script&gt;" in note and "new line" in note


# --- options -----------------------------------------------------------------------


def test_topics_in_topic_order_and_unknown_topic():
    md = brief("risks", "TRADE", "trade")
    assert re.findall(r"^## (.+)$", md, re.M) == ["Key figures", "Trade", "Risks", "Caveats"]
    assert md.startswith("# China and Latin America and the Caribbean: trade and risks, ")
    bad = run(["report", "trade", "weather"])
    assert bad.exit_code == 2
    assert "unknown topic 'weather'" in bad.stderr and ", ".join(TOPICS) in bad.stderr
    assert bad.stdout == ""


def test_country_filter():
    md = brief("--country", "Brasil")
    assert md.startswith("# China and Brazil: all topics, ")
    assert "[^swap-chn-arg]" not in md and "[^trade-2018-total-chn-lcn]" not in md
    assert "## Key figures" not in md  # no stated figure about China and Brazil alone
    assert all(len(set(rows)) == 1 for rows in table_shapes(md))
    full = brief("--country", "Brasil", "--full")
    assert "[^swap-chn-bra]" in full and "[^swap-chn-arg]" not in full


def test_year_filter():
    md = brief("--year", "2018", "--full", "--derived")
    assert "Only facts touching 2018." in md
    body = md.split("\n[^")[0]
    assert "[^trade-2018-total-chn-lcn]" in body and "[^fdi-2017-flow-chn-lcn]" not in body
    assert "[^trade-2019m1-11-total-chn-lcn]" not in body
    # Jan–Nov 2018, implied by the 2019 growth rate, touches 2018: shown as derived, its input cited in its note
    assert "[^derived.prior.trade-2019m1-11-total-chn-lcn]" in body
    assert "Inputs: [^trade-2019m1-11-total-chn-lcn]" in md
    assert run(["report", "--year", "2018", "--from", "2017"]).exit_code == 2
    check_footnotes(md)


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
    for opt in ("--country", "--year", "--from", "--to", "--title", "--date", "--full", "--derived", "--no-footnotes",
                "--output", "--force", "--facts", "--no-shipped", "--max-file-size", "--no-cache"):
        assert opt in out
