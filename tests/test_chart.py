"""--chart: stated series as horizontal bars on the terminal (present/chart.py, render/chart.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

from conftest import figure_yaml

from bricli.present.chart import Bar, ChartSeries, chart_series
from bricli.render.chart import render_chart


def base_items(facts_dir=None):
    from bricli.analysis.query import Filters
    from bricli.cli.factbase import FactBaseOptions, select_items

    options = FactBaseOptions([facts_dir] if facts_dir else None, bool(facts_dir), 2_000_000, True)
    return select_items(options, Filters(topic="trade"), derived=True)


# --- which figures make a series ----------------------------------------------------------------


def test_shipped_trade_series_are_one_per_thing_measured_across_sources():
    all_series = chart_series(base_items())
    # one chart for China–LAC total trade, every source's figures by the choice rule (analysis/reconcile.py)
    totals = [s for s in all_series if s.title == "China–Latin America trade"]
    assert len(totals) == 1
    total = totals[0]
    assert total.unit == "US$ billion" and total.source_id == "" and len(total.sources) > 10
    by_period = {b.period: b for b in total.bars}
    assert by_period["2021"].value == Decimal("451.591") and not by_period["2021"].qualified
    years = [int(b.period[:4]) for b in total.bars]
    assert years == list(range(years[0], years[-1] + 1))  # a bar (or a gap) for every year
    assert any(b.value is None and b.text == "no figure" for b in total.bars)
    ids = [b.fact_id for s in all_series for b in s.bars]
    assert not any(i.startswith("derived.") for i in ids)  # balances are in the listing, never in the chart


SERIES = "".join([
    figure_yaml("t-2016", "100", period="2016"),
    figure_yaml("t-2017", "120", period="2017", extra="qualifier: more-than"),
    figure_yaml("t-2017-again", "121", period="2017"),  # exact, same source: chosen over the bound
    figure_yaml("t-2015", "90", period="2015"),  # out of order in the file: bars go by period
    figure_yaml("t-2018-range", "130", period="2018", extra="qualifier: range\nvalue_max: 140"),  # a range: left out
    figure_yaml("t-2018-m", "125000", period="2018", scale="million"),  # another scale: drawn in the series' scale
    figure_yaml("e-2016", "50", period="2016", direction="exports"),  # one period only: not charted
])


def test_series_rules(fact_dir):
    d = fact_dir({"t.yaml": "facts:\n" + SERIES})
    series = chart_series(base_items(d))
    assert len(series) == 1
    bars = series[0].bars
    assert [b.fact_id for b in bars] == ["t-2015", "t-2016", "t-2017-again", "t-2018-m"]
    assert [b.qualified for b in bars] == [False, False, False, False]
    assert bars[3].text == "US$125,000 million" and bars[3].value == Decimal("125")


def test_one_builder_with_the_brief_a_year_per_bar_partial_years_marked(fact_dir):
    """--chart and the brief's charts share stated_series: a bar per year; a year known only from part
    of it is drawn marked partial, never as the whole year."""
    d = fact_dir({"t.yaml": "facts:\n" + "".join([
        figure_yaml("t-2016", "100", period="2016"),
        figure_yaml("t-2015-h1", "40", period="2015-01/2015-06"),
        figure_yaml("t-2017", "120", period="2017"),
        figure_yaml("t-2018-part", "110", period="2018-01/2018-11"),
    ])})
    series = chart_series(base_items(d))
    assert [[b.fact_id for b in s.bars] for s in series] == [["t-2015-h1", "t-2016", "t-2017", "t-2018-part"]]
    assert [b.partial for b in series[0].bars] == [True, False, False, True]
    assert series[0].bars[0].period == "2015 Jan–Jun"


# --- drawing -----------------------------------------------------------------------------------


def sample(title="Trade", periods=(("2017", "100", False, False), ("2018", "50", False, True), ("2019 Jan–Nov", "25", True, False))):
    bars = tuple(Bar(p, Decimal(v), f"US${v} billion", partial, qualified, f"id-{p}") for p, v, partial, qualified in periods)
    return ChartSeries(title, "US$ billion", "src", bars)


def test_bars_are_proportional_and_fit_80_columns():
    text = render_chart([sample()], width=80)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    row = {line.split()[0]: line for line in lines if line.startswith("  20")}
    full = row["2017"].count("█")
    assert row["2018"].count("█") == full // 2
    assert full > 40
    assert "2019 Jan–Nov *" in text and "* partial period" in text
    assert "2018 ~" in text and "~ the source qualifies" in text


def test_ascii_fallback():
    text = render_chart([sample()], width=80, unicode=False)
    assert text.isascii()
    assert "####" in text and "2019 Jan-Nov *" in text


def test_narrow_terminal_never_cuts_a_value():
    text = render_chart([sample(periods=(("by Nov 2019", "410", False, True), ("end-2017", "386.89", False, False)))],
                        width=40)
    assert "US$410 billion" in text and "US$386.89 billion" in text and "by Nov 2019 ~" in text
    assert all(len(line) <= 40 for line in text.splitlines())


def test_text_from_facts_cannot_drive_the_terminal():
    text = render_chart([sample(title="Evil\x1b[31m [red]title[/red]\nnext\u202e")], width=80)
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[31m [red]title[/red] next\\u202e" in text


def test_negative_values_are_drawn_apart():
    text = render_chart([sample(periods=(("2017", "10", False, False), ("2018", "-5", False, False)))], width=80)
    assert "▒" in text


# --- the command ---------------------------------------------------------------------------------


def test_trade_chart(run):
    result = run(["trade", "--chart"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "China–Latin America trade (US$ billion; " in out and " sources)" in out
    assert "US$451,591 million" in out and "  2004" in out
    assert "balance" not in out.lower()  # derived values are never charted
    assert all(len(line) <= 80 for line in out.splitlines())


def test_chart_with_a_format_or_file_is_a_usage_error(run, tmp_path):
    for extra in (["--format", "json"], ["-o", str(tmp_path / "x.txt")]):
        result = run(["trade", "--chart", *extra])
        assert result.exit_code == 2
        assert result.stderr.startswith("bricli: --chart draws bars on the terminal")


def test_nothing_to_chart_says_so(run):
    # risk perceptions carry no figures (the risks topic as a whole now has a vessel-count series)
    result = run(["risks", "--category", "perception", "--chart"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "nothing to chart" in result.stderr


def test_country_chart(run):
    result = run(["country", "LCN", "--chart"])
    assert result.exit_code == 0 and "China's exports to Latin America" in result.stdout


def test_chart_on_a_terminal_that_cannot_show_blocks():
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRICLI_FORMAT")}
    env.update(PYTHONIOENCODING="ascii", COLUMNS="80")
    proc = subprocess.run([sys.executable, "-m", "bricli", "trade", "--chart"], env=env, capture_output=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("ascii")
    assert "#####" in out and "2019 Jan-Nov *" in out


def test_readme_chart_example_is_what_bricli_prints(run):
    from conftest import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    example = text.split("$ bricli trade --chart\n", 1)[1].split("```", 1)[0]
    printed = run(["trade", "--chart"], env={"COLUMNS": "80"}).stdout
    assert printed.startswith(example)
