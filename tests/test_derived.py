"""Derived values, checked by hand against the article, and always labelled."""

from __future__ import annotations

import json

from conftest import figure_yaml

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}


def derived_rows(run, *args):
    rows = json.loads(run([*args, "-f", "json"], env=ENV).stdout)
    return {r["id"]: r for r in rows if r["derived"]}


def test_2018_trade_balance_is_in_the_regions_favour(run):
    rows = derived_rows(run, "trade", "--year", "2018", "--flow", "balance")
    (row,) = rows.values()
    # 148.79 - 158.61 = -9.82 billion: China's deficit, the region's surplus
    assert row["value"] == -9.82 and row["value_base"] == -9_820_000_000
    assert row["unit"] == "USD" and row["scale"] == "billion" and row["period"] == "2018"
    assert row["inputs"] == ["trade-2018-exports-chn-lcn", "trade-2018-imports-chn-lcn"]
    assert "148.79 − 158.61" in row["formula"]
    assert row["label"].startswith("China's trade deficit with Latin America")  # reads as what it is
    assert row["value_text"] == "US$9.82 billion" and row["note"] == "China buys more than it sells"
    assert row["type"] == "derived" and row["basis"] == "derived"


def test_a_balance_reads_as_deficit_or_surplus_in_the_table(run):
    out = run(["trade", "--year", "2018", "--flow", "balance", "-f", "table"], env={**ENV, "COLUMNS": "120"}).stdout
    assert "China's trade deficit with Latin America" in out and "US$9.82 bn" in out and "−US$" not in out


def test_2019_partial_balance_stays_partial(run):
    rows = derived_rows(run, "trade", "--year", "2019", "--flow", "balance")
    row = rows["derived.balance.trade-2019m1-11-exports-chn-lcn"]
    assert row["value"] == -13.87  # 136.48 - 150.35
    assert row["period"] == "2019-01/2019-11" and row["partial"] is True


def test_implied_prior_period_from_stated_growth(run):
    rows = derived_rows(run, "trade", "--derived")
    prior = rows["derived.prior.trade-2018-total-chn-lcn"]
    # 307.4 / 1.189 = 258.536...
    assert prior["value"] == 258.5 and prior["period"] == "2017" and prior["qualifier"] == "about"
    assert prior["value_text"].startswith("≈")
    jan_nov = rows["derived.prior.trade-2019m1-11-total-chn-lcn"]
    assert jan_nov["period"] == "2018-01/2018-11"  # same months of the year before, not 2018


def test_share_computed_from_two_stated_figures(run):
    rows = derived_rows(run, "trade", "--derived")
    share = rows["derived.share.trade-2018-share-lcn-in-chn-total"]
    assert share["value"] == 6.65  # 307.4 / 4620 * 100 = 6.6537
    assert share["note"] == "the source states 6.7%"


def test_listings_show_stated_facts_unless_derived_is_asked_for(run):
    for command in (["trade"], ["country", "BRA"], ["search", "trade"]):
        rows = json.loads(run([*command, "-f", "json"], env=ENV).stdout)
        assert rows and not any(r["derived"] for r in rows), command
    rows = json.loads(run(["trade", "--derived", "-f", "json"], env=ENV).stdout)
    assert {r["kind"] for r in rows if r["derived"]} == {"balance", "implied-prior", "share"}
    # --no-derived is kept, hidden, as a no-op for old scripts
    assert json.loads(run(["trade", "--no-derived", "-f", "json"], env=ENV).stdout) == json.loads(run(["trade", "-f", "json"], env=ENV).stdout)


def test_flow_balance_needs_no_derived_flag(run):
    rows = json.loads(run(["trade", "--flow", "balance", "-f", "json"], env=ENV).stdout)
    assert rows and all(r["kind"] == "balance" and r["derived"] for r in rows)


def test_no_implied_prior_where_the_prior_period_is_stated(run, fact_dir):
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("t-2017", "100", period="2017", change="25")
                  + figure_yaml("t-2018", "110", period="2018", extra="change_pct: 10")
                  + figure_yaml("t-2019", "121", period="2019", extra="change_pct: 10")})
    rows = json.loads(run(["trade", "--no-shipped", "--facts", str(d), "--derived", "-f", "json"], env=ENV).stdout)
    priors = [r for r in rows if r["kind"] == "implied-prior"]
    # 2017 and 2018 are stated, so neither is implied; 2016 is not, so it is
    assert [(p["id"], p["period"], p["value"]) for p in priors] == [("derived.prior.t-2017", "2016", 80)]


def test_table_labels_derived_rows(run):
    out = run(["trade", "--year", "2018", "--derived", "-f", "table"], env={**ENV, "COLUMNS": "200"}).stdout
    assert "derived balance" in out and "computed by bricli" in out


def test_never_combines_sources_or_inexact_figures(run, fact_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "s.yaml").write_text('sources:\n  - {id: other-src, title: "Other", date: "2021"}\n', encoding="utf-8")
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("e", "10", direction="exports")
                  + figure_yaml("i", "4", direction="imports").replace("test-src", "other-src")
                  + figure_yaml("e2", "10", direction="exports", period="2017", extra="qualifier: about")
                  + figure_yaml("i2", "4", direction="imports", period="2017")})
    result = run(["trade", "--no-shipped", "--facts", str(d), "--facts", str(other), "--derived", "-f", "json"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert not [r for r in json.loads(result.stdout) if r["derived"]]


def test_disagreeing_sources_stand_side_by_side(run, fact_dir, tmp_path):
    """A newer edition's figure for the same metric and period never replaces the older one."""
    d = fact_dir({
        "s2.yaml": 'sources:\n  - {id: newer-src, title: "Newer edition", date: "2023"}\n',
        "t.yaml": "facts:\n" + figure_yaml("old-total", "307.4")
        + figure_yaml("new-total", "308.1", extra="revises: old-total").replace("test-src", "newer-src"),
    })
    rows = json.loads(run(["trade", "--no-shipped", "--facts", str(d), "-f", "json"], env=ENV).stdout)
    by_id = {r["id"]: r for r in rows}
    assert by_id["old-total"]["value"] == 307.4 and by_id["old-total"]["source"]["id"] == "test-src"
    assert by_id["new-total"]["value"] == 308.1 and by_id["new-total"]["revises"] == "old-total"


def test_balance_across_scales_keeps_every_stated_digit(run, fact_dir):
    """1 billion of exports and 500 million of imports: 0.5 billion, not a rounded 0 or 1."""
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("e", "1", direction="exports")
                  + figure_yaml("i", "500", direction="imports", scale="million")})
    rows = json.loads(run(["trade", "--no-shipped", "--facts", str(d), "--flow", "balance", "-f", "json"], env=ENV).stdout)
    (row,) = rows
    assert row["value"] == 0.5 and row["scale"] == "billion" and row["value_base"] == 500_000_000


def test_small_computed_shares_keep_significant_digits(run, fact_dir):
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("part", "1.23")
                  + figure_yaml("whole", "10", scale="trillion", countries="[CHN, WLD]")
                  + figure_yaml("share", "0.0123", unit="percent", scale="one", metric="trade-share",
                                extra="ratio_of: {part: part, whole: whole}")})
    rows = json.loads(run(["trade", "--no-shipped", "--facts", str(d), "--derived", "-f", "json"], env=ENV).stdout)
    (share,) = [r for r in rows if r["kind"] == "share"]
    assert share["value"] == 0.0123  # 1.23 billion / 10 trillion × 100, not a rounded 0.01
