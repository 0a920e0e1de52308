"""`bricli series` (issue 20 part 1), topic charts by series (part 2) and disagreements that are
real (part 5): the one choice rule of analysis/reconcile.py, on the shipped facts and on small ones."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conftest import figure_yaml

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
BOX = {chr(c) for c in range(0x2500, 0x2580)}
TOTAL = "trade-total-chn-lcn-usd"

SOURCES = """\
sources:
  - id: old-a
    title: "Old, graded A"
    date: "2010"
    reliability: A
  - id: new-a
    title: "New, graded A"
    date: "2020"
    reliability: A
  - id: new-c
    title: "New, graded C"
    date: "2021"
    reliability: C
"""


def out(run, *args, env=None):
    result = run(list(args), env={**ENV, **(env or {})})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def records(run, *args):
    return json.loads(out(run, *args, "-f", "json"))


def fig(id, value, source, period="2018", extra="", scale="billion"):
    text = figure_yaml(id, value, period=period, scale=scale, extra=extra)
    return text.replace("source: {id: test-src", f"source: {{id: {source}")


def base(fact_dir, *facts):
    return fact_dir({"01.yaml": SOURCES + "facts:\n" + "".join(facts)}, with_source=False)


def chosen(run, d, *args):
    rows = records(run, "series", TOTAL, "--facts", str(d), "--no-shipped", *args)
    return {r["year"]: r for r in rows}


# --- the shipped facts -----------------------------------------------------------------------


def test_series_lists_the_china_lac_total_trade_series(run):
    listed = {r["series"]: r for r in records(run, "series", "trade")}
    total = listed[TOTAL]
    assert total["direction"] == "total" and total["countries"] == ["CHN", "LCN"] and total["unit"] == "USD"
    assert total["periods"] >= 20 and total["sources"] > 10
    assert set(total) == {"series", "label", "metric", "direction", "countries", "unit", "scale", "measure",
                          "counted", "basis", "main_basis", "prices", "derived", "first", "last", "periods", "sources", "disagreements"}


def test_total_trade_by_year_2000_to_2024_one_row_per_year_each_with_its_source(run):
    rows = records(run, "series", TOTAL, "--year", "2000..2024")
    assert [r["year"] for r in rows] == list(range(2000, 2025))
    for r in rows:
        if r["value"] is None:  # a year without a figure is a row that says so
            assert r["source"] is None and r["fact"] is None
        else:
            assert r["source"] and r["fact"] and "publisher" in r  # None where the source names none (cedpr-2020)
    y2021 = next(r for r in rows if r["year"] == 2021)
    assert y2021["value"] == 451.591 and y2021["qualifier"] == "exact" and y2021["scale"] == "billion"
    assert any(r["value"] is None for r in rows)


def test_the_2021_trade_chart_bar_is_the_exact_figure_not_a_bound(run):
    text = out(run, "trade", "--chart", "--year", "2021")
    assert "more than US$300 billion" not in text


def test_trade_chart_draws_one_chart_per_series_across_sources(run):
    text = out(run, "trade", "--chart", "--flow", "total", "--country", "LCN", "--year", "2000..2024")
    titles = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert sum(t.startswith("China–Latin America trade (US$ billion; ") for t in titles) == 1
    assert "  2004" in text and "no figure" in text  # a gap is a gap: a line per year


def test_series_table_fits_80_columns(run):
    for args in ((), ("trade",), (TOTAL, "--year", "2000..2024"), (TOTAL, "--alternates", "--year", "2021")):
        text = out(run, "series", *args, "-f", "table", env={"COLUMNS": "80"})
        assert BOX & set(text) and max(len(line) for line in text.splitlines()) <= 80


def test_series_every_format(run):
    for fmt in ("csv", "tsv", "ndjson", "yaml", "markdown", "plain"):
        assert "2021" in out(run, "series", TOTAL, "--year", "2021", "-f", fmt)


def test_series_chart_time_axis_is_proportional_to_the_years(run):
    text = out(run, "series", TOTAL, "--year", "2003..2007", "--chart")
    lines = [line for line in text.splitlines() if line.startswith("  20")]
    assert [line.split()[0] for line in lines] == ["2003", "2004", "2005", "2006", "2007"]
    assert lines[1].endswith("no figure")


def test_an_unknown_series_id_is_a_usage_error(run):
    result = run(["series", "trade-total-chn-lcn-usdx"], env=ENV)
    assert result.exit_code == 2 and "trade-total-chn-lcn-usd" in result.stderr and not result.stdout


def test_alternates_and_chart_need_one_series(run):
    assert run(["series", "--alternates"], env=ENV).exit_code == 2
    assert run(["series", "trade", "--chart"], env=ENV).exit_code == 2


# --- the choice rule, each step --------------------------------------------------------------


def test_whole_year_before_partial(run, fact_dir):
    d = base(fact_dir, fig("part", "300", "new-a", period="2018-01/2018-11"), fig("whole", "290", "old-a"),
             fig("other", "10", "old-a", period="2017"))
    assert chosen(run, d)[2018]["fact"] == "whole"


def test_exact_before_a_bound_of_the_same_source(run, fact_dir):
    d = base(fact_dir, fig("bound", "300", "new-a", extra="qualifier: more-than"), fig("exact", "451.6", "new-a"),
             fig("other", "10", "old-a", period="2017"))
    row = chosen(run, d)[2018]
    assert row["fact"] == "exact" and row["value"] == 451.6


def test_a_precise_figure_before_a_round_one_or_a_bound_it_refines(run, fact_dir):
    """307.4 (graded C) before a speech's round 300 or "more than 300" (graded A): it agrees with them
    and says more; on another named basis it does not displace the round one."""
    d = base(fact_dir, fig("round", "300", "new-a"), fig("bound", "300", "old-a", extra="qualifier: more-than"),
             fig("precise", "307.4", "new-c"), fig("other", "10", "old-a", period="2017"))
    assert chosen(run, d)[2018]["fact"] == "precise"
    d = base(fact_dir, fig("round", "300", "new-a", extra="stat_basis: mofcom"),
             fig("precise", "307.4", "new-c", extra="stat_basis: china-customs"),
             fig("m-2017", "10", "old-a", period="2017", extra="stat_basis: mofcom"))
    assert chosen(run, d)[2018]["fact"] == "round"  # MOFCOM, the main basis, keeps its own figure


def test_main_basis_first_and_other_bases_marked(run, fact_dir):
    d = base(fact_dir,
             fig("m-2015", "0.5", "old-a", period="2015", extra="stat_basis: mofcom"),
             fig("m-2016", "1", "old-a", period="2016", extra="stat_basis: mofcom"),
             fig("m-2017", "2", "old-a", period="2017", extra="stat_basis: mofcom"),
             fig("c-2017", "2.1", "new-a", period="2017", extra="stat_basis: china-customs"),
             fig("c-2018", "3", "new-a", period="2018", extra="stat_basis: china-customs"))
    rows = chosen(run, d)
    assert rows[2017]["fact"] == "m-2017" and rows[2017]["off_basis"] is False
    assert rows[2018]["fact"] == "c-2018" and rows[2018]["off_basis"] is True
    only = chosen(run, d, "--basis", "china-customs")
    assert only[2017]["fact"] == "c-2017" and set(only) == {2017, 2018}


def test_more_reliable_source_then_most_recent(run, fact_dir):
    d = base(fact_dir, fig("c", "5", "new-c"), fig("old", "5.1", "old-a"), fig("new", "5.2", "new-a"),
             fig("other", "10", "old-a", period="2017"))
    assert chosen(run, d)[2018]["fact"] == "new"
    d = base(fact_dir, fig("c", "5", "new-c"), fig("old", "5.1", "old-a"), fig("other", "10", "old-a", period="2017"))
    assert chosen(run, d)[2018]["fact"] == "old"


def test_values_are_given_in_the_series_scale_and_alternates_list_every_fact(run, fact_dir):
    d = base(fact_dir, fig("mn", "451591", "new-a", scale="million"), fig("bn", "451.6", "old-a"),
             fig("other", "10", "old-a", period="2017"))
    rows = records(run, "series", TOTAL, "--facts", str(d), "--no-shipped", "--alternates", "--year", "2018")
    assert [(r["fact"], r["rank"], r["chosen"]) for r in rows] == [("mn", 1, True), ("bn", 2, False)]
    assert rows[0]["value"] == 451.591 and rows[0]["others"] == 1 and rows[0]["disagree"] is False


def test_reconcile_value_in_scale_is_exact():
    from bricli.analysis.reconcile import in_scale
    from bricli.model.facts import Fact, Location, Number, SourceRef

    f = Fact("x", "figure", "trade", "x", SourceRef("s", None, "q"), Location("f"), value=Number("451591"),
             unit="USD", scale="million", period="2021")
    assert in_scale(f, "billion") == Decimal("451.591")


# --- disagreements that are real (part 5) -----------------------------------------------------


def _conflicts(run, d):
    return records(run, "conflicts", "--facts", str(d), "--no-shipped")


def test_a_round_figure_does_not_contradict_the_exact_one_it_rounds_to(run, fact_dir):
    d = base(fact_dir, fig("speech", "300", "new-a"), fig("exact", "307.4", "old-a"))
    assert _conflicts(run, d) == []
    d = base(fact_dir, fig("speech", "300", "new-a"), fig("far", "361.4", "old-a"))
    assert {r["id"] for r in _conflicts(run, d)} == {"speech", "far"}


def test_twelve_thousand_million_equals_twelve_billion(run, fact_dir):
    d = base(fact_dir, fig("mn", "12000", "new-a", scale="million"), fig("bn", "12", "old-a"))
    assert _conflicts(run, d) == []
    d = base(fact_dir, fig("mn", "12000", "new-a", scale="million"), fig("bn", "12.6", "old-a"))
    assert len(_conflicts(run, d)) == 2


MILESTONES = """\
  - id: plant
    type: project
    topic: projects
    kind: water-supply
    name: "Plant"
    label: "Plant"
    countries: [BRA]
    source: {{id: old-a, section: "S", quote: "q"}}
  - id: m1
    type: event
    topic: projects
    kind: milestone
    stage: operating
    label: "{first}"
    countries: [BRA]
    period: "2018-04-03"
    about: plant
    source: {{id: old-a, section: "S", quote: "q"}}
  - id: m2
    type: event
    topic: projects
    kind: milestone
    stage: operating
    label: "{second}"
    countries: [BRA]
    period: "2018-07"
    about: plant
    source: {{id: new-a, section: "S", quote: "q"}}
"""


@pytest.mark.parametrize("first, second, conflict", [
    ("Sabesp inaugurates the plant", "Plant in commercial operation since July 2018", False),
    ("Plant starts operating", "Plant operating", True),
])
def test_inauguration_and_commercial_operation_are_different_steps(run, fact_dir, first, second, conflict):
    d = fact_dir({"01.yaml": SOURCES + "facts:\n" + MILESTONES.format(first=first, second=second)}, with_source=False)
    assert bool(_conflicts(run, d)) is conflict


def test_series_table_names_the_series_its_main_basis_and_the_sources_of_the_rows_shown(run):
    text = out(run, "series", TOTAL, "--year", "2021", "-f", "table", env={"COLUMNS": "80"})
    assert text.startswith("China–Latin America trade (US$ billion), by year")
    assert f"Series {TOTAL}: China–Latin America trade. Main statistical basis: " in " ".join(text.split())
    assert "Source jornada-2022-01-24-trade-2021:" in text and "Source sela-" not in text  # the chosen row's source only
    listed = out(run, "series", "trade", "-f", "table", env={"COLUMNS": "80"})
    assert listed.startswith("Series (bricli series SERIES_ID for one by year)") and "│ Series ID" in listed


def test_exact_before_a_bound_on_the_same_named_basis(run, fact_dir):
    """MOFCOM's exact 102.6 (an older source) before MOFCOM's later "more than 100"."""
    d = base(fact_dir, fig("bound", "100", "new-a", extra="qualifier: more-than\nstat_basis: mofcom"),
             fig("exact", "102.6", "old-a", extra="stat_basis: mofcom"), fig("other", "10", "old-a", period="2017"))
    assert chosen(run, d)[2018]["fact"] == "exact"
    # on no named basis too: the exact figure refines the bound it agrees with (rule 2)
    d = base(fact_dir, fig("bound", "100", "new-a", extra="qualifier: more-than"),
             fig("exact", "102.6", "old-a"), fig("other", "10", "old-a", period="2017"))
    assert chosen(run, d)[2018]["fact"] == "exact"
    # a bound the exact figure does not satisfy is no refinement: the later steps decide (the more recent source)
    d = base(fact_dir, fig("bound", "110", "new-a", extra="qualifier: more-than"),
             fig("exact", "102.6", "old-a"), fig("other", "10", "old-a", period="2017"))
    assert chosen(run, d)[2018]["fact"] == "bound"


def test_year_range_shows_rows_but_never_changes_a_choice(run, fact_dir):
    d = base(fact_dir,
             fig("m-2015", "1", "old-a", period="2015", extra="stat_basis: mofcom"),
             fig("m-2016", "1", "old-a", period="2016", extra="stat_basis: mofcom"),
             fig("m-2018", "3", "old-a", period="2018", extra="stat_basis: mofcom"),
             fig("c-2018", "3.1", "new-a", period="2018", extra="stat_basis: china-customs"),
             fig("c-2019", "4", "new-a", period="2019", extra="stat_basis: china-customs"))
    assert chosen(run, d)[2018]["fact"] == "m-2018"
    assert chosen(run, d, "--year", "2018..2019")[2018]["fact"] == "m-2018"
    assert list(chosen(run, d, "--year", "2017..2020")) == [2017, 2018, 2019, 2020]
    assert chosen(run, d, "--year", "2017..2020")[2020]["value"] is None


def test_a_stock_is_read_at_its_latest_point_of_the_year_and_is_never_partial(run, fact_dir):
    def stock(id, value, as_of, source):
        return fig(id, value, source, extra=f"as_of: \"{as_of}\"").replace('    period: "2018"\n', "")

    d = base(fact_dir, stock("jun", "380", "2017-06", "new-a"), stock("end", "386.89", "2017-12-31", "old-a"),
             stock("nov", "410", "2019-11", "old-a"))
    rows = chosen(run, d)
    assert rows[2017]["fact"] == "end" and rows[2019]["partial"] is False and rows[2018]["value"] is None
