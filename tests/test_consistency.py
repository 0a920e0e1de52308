"""Arithmetic rules of `bricli check`: each catches a planted inconsistency, and
forgives what rounding alone explains (a figure stated as 307.4 stands for [307.35, 307.45])."""

from __future__ import annotations

import json

import pytest

from bricli.checks.arithmetic import RULES, check_arithmetic
from bricli.load.discover import fact_dirs
from bricli.load.assemble import load

from conftest import figure_yaml

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}


def check(run, d):
    """Run `bricli check --format json` on one directory; return (exit code, problems)."""
    result = run(["check", "--no-shipped", "--facts", str(d), "--format", "json"], env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout)["problems"]


def trade_2018(exports="148.79", imports="158.61", total="307.4", *, changes=(None, None, None)) -> str:
    ex, im, to = changes
    return ("facts:\n"
            + figure_yaml("x-2018-exports", exports, direction="exports", change=ex)
            + figure_yaml("x-2018-imports", imports, direction="imports", change=im)
            + figure_yaml("x-2018-total", total, direction="total", change=to))


def share_facts(share: str, part="307.4", whole="4623") -> str:
    return ("facts:\n"
            + figure_yaml("x-2018-total", part)
            + figure_yaml("x-2018-world", whole, countries="[CHN, WLD]")
            + f"""\
  - id: x-2018-share
    type: figure
    topic: trade
    label: "Share of the region in China's trade"
    metric: trade-share
    direction: total
    countries: [CHN, LCN]
    value: {share}
    unit: percent
    period: "2018"
    ratio_of: {{part: x-2018-total, whole: x-2018-world}}
    source: {{id: test-src, section: "S", quote: "q"}}
""")


def test_every_rule_is_tested():
    # a new rule in consistency.RULES needs a planted case here
    assert set(RULES) == {"sum", "share", "growth", "growth-of-parts"}


# --- sum: exports + imports = total ---------------------------------------------------


def test_sum_holds_exactly(run, fact_dir):
    assert check(run, fact_dir({"t.yaml": trade_2018()})) == (0, [])  # 148.79 + 158.61 = 307.40


@pytest.mark.parametrize("exports,imports,total", [
    ("148.8", "158.6", "307.4"),  # parts rounded to one decimal
    ("148.79", "158.61", "307"),  # total rounded to a whole billion: [306.5, 307.5]
    ("148.794", "158.614", "307.4"),  # more digits than the total: 307.408 is within 307.4's rounding
    ("149", "159", "307.4"),  # [148.5, 149.5] + [158.5, 159.5] = [307, 309] reaches 307.4
])
def test_sum_within_rounding_passes(run, fact_dir, exports, imports, total):
    assert check(run, fact_dir({"t.yaml": trade_2018(exports, imports, total)})) == (0, [])


@pytest.mark.parametrize("total", ["310", "307.2", "307.5", "3074"])
def test_sum_that_does_not_add_up_is_caught(run, fact_dir, total):
    d = fact_dir({"t.yaml": trade_2018(total=total)})
    code, problems = check(run, d)
    assert code == 1
    (p,) = problems
    assert (p["rule"], p["fact_id"], p["field"]) == ("sum", "x-2018-total", "value")
    assert p["file"].endswith("t.yaml") and p["line"] == 2 + 2 * 12  # the third fact of 12 lines each
    assert "x-2018-exports" in p["message"] and "x-2018-imports" in p["message"] and total in p["message"]
    assert p["hint"]


def test_sum_problem_in_text_form_names_file_line_fact_and_field(run, fact_dir):
    d = fact_dir({"t.yaml": trade_2018(total="310")})
    result = run(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert "t.yaml:26: fact x-2018-total: field value: exports x-2018-exports" in line and "(fix: " in line
    assert "1 problem(s)" in result.stderr


def test_sum_is_not_checked_across_sources(run, fact_dir):
    other = """\
sources:
  - id: other-src
    title: "Another source"
    date: "2021"
"""
    text = trade_2018(total="310")
    text = text.replace("id: x-2018-total", "id: x-2018-total-other").replace(
        "source: {id: test-src", "source: {id: other-src")  # every fact now from other-src...
    text = text.replace("source: {id: other-src", "source: {id: test-src", 2)  # ...but the first two
    assert check(run, fact_dir({"s.yaml": other, "t.yaml": text})) == (0, [])


# --- share: a stated share against the ratio of two stated figures ---------------------


def test_share_that_matches_passes(run, fact_dir):
    assert check(run, fact_dir({"t.yaml": share_facts("6.6")})) == (0, [])  # 307.4 / 4623 = 6.649 %


@pytest.mark.parametrize("share", ["6.65", "7"])  # rounding: 6.65 is [6.645, 6.655]; 7 is [6.5, 7.5]
def test_share_within_rounding_passes(run, fact_dir, share):
    assert check(run, fact_dir({"t.yaml": share_facts(share)})) == (0, [])


@pytest.mark.parametrize("share", ["7.6", "6.5", "66.5"])
def test_share_that_does_not_match_is_caught(run, fact_dir, share):
    code, problems = check(run, fact_dir({"t.yaml": share_facts(share)}))
    assert code == 1
    (p,) = problems
    assert (p["rule"], p["fact_id"], p["field"]) == ("share", "x-2018-share", "value")
    assert f"stated share {share}%" in p["message"] and "x-2018-total / x-2018-world" in p["message"]


def test_share_must_be_a_percent_of_exact_figures(run, fact_dir):
    text = share_facts("6.6").replace("id: x-2018-world\n", "id: x-2018-world\n    qualifier: about\n")
    code, problems = check(run, fact_dir({"t.yaml": text}))
    assert code == 1 and [(p["rule"], p["field"]) for p in problems] == [("share", "ratio_of")]


# --- growth: a stated change against the prior period's figure ---------------------------


def two_years(prior: str, change: str, *, prior_period="2017", period="2018") -> str:
    return ("facts:\n"
            + figure_yaml("x-prior-total", prior, period=prior_period)
            + figure_yaml("x-2018-total", "307.4", period=period, change=change))


@pytest.mark.parametrize("prior", ["258.5", "258.6", "258.4"])  # 307.4 / 258.5 = +18.92 %
def test_growth_within_rounding_passes(run, fact_dir, prior):
    assert check(run, fact_dir({"t.yaml": two_years(prior, "18.9")})) == (0, [])


@pytest.mark.parametrize("prior,change", [("280", "18.9"), ("258.5", "19.9"), ("258.5", "-18.9")])
def test_growth_that_does_not_match_the_prior_period_is_caught(run, fact_dir, prior, change):
    code, problems = check(run, fact_dir({"t.yaml": two_years(prior, change)}))
    assert code == 1
    (p,) = problems
    assert (p["rule"], p["fact_id"], p["field"]) == ("growth", "x-2018-total", "change_pct")
    assert f"stated change {change}%" in p["message"] and "x-prior-total -> x-2018-total" in p["message"]


def test_growth_of_a_partial_year_is_checked_against_the_same_months(run, fact_dir):
    # Jan-Nov 2019 against Jan-Nov 2018, not against the whole of 2018
    good = two_years("258.5", "18.9", prior_period="2018-01/2018-11", period="2019-01/2019-11")
    assert check(run, fact_dir({"t.yaml": good})) == (0, [])
    bad = two_years("280", "18.9", prior_period="2018-01/2018-11", period="2019-01/2019-11")
    assert [p["rule"] for p in check(run, fact_dir({"t.yaml": bad}))[1]] == ["growth"]
    whole_year = two_years("280", "18.9", prior_period="2018", period="2019-01/2019-11")
    assert check(run, fact_dir({"t.yaml": whole_year})) == (0, [])  # no like-for-like prior: nothing to check


def test_growth_without_a_prior_figure_is_not_checked(run, fact_dir):
    text = "facts:\n" + figure_yaml("x-2018-total", "307.4", change="95")
    assert check(run, fact_dir({"t.yaml": text})) == (0, [])


# --- growth of parts: the growth rates of exports, imports and total must agree ----------


def test_growth_of_parts_that_agree_pass(run, fact_dir):
    # the shipped 2018 figures: +13.7 %, +24.1 %, +18.9 %
    assert check(run, fact_dir({"t.yaml": trade_2018(changes=("13.7", "24.1", "18.9"))})) == (0, [])


@pytest.mark.parametrize("changes", [("13.7", "24.1", "25"), ("3.7", "24.1", "18.9"), ("13.7", "-24.1", "18.9")])
def test_growth_of_parts_that_disagree_is_caught(run, fact_dir, changes):
    code, problems = check(run, fact_dir({"t.yaml": trade_2018(changes=changes)}))
    assert code == 1
    (p,) = problems
    assert (p["rule"], p["fact_id"], p["field"]) == ("growth", "x-2018-total", "change_pct")
    assert "imply a prior-period total" in p["message"]


# --- all together, and the shipped facts -----------------------------------------------


def test_every_planted_inconsistency_is_reported_in_one_run(run, fact_dir):
    d = fact_dir({
        "a.yaml": trade_2018(total="310"),
        "b.yaml": share_facts("7.6").replace("x-2018-", "y-2018-"),
        "c.yaml": two_years("280", "18.9").replace("x-", "z-"),
    })
    code, problems = check(run, d)
    assert code == 1
    assert sorted(p["rule"] for p in problems) == ["growth", "share", "sum"]


def test_arithmetic_is_not_run_on_a_base_with_other_problems(run, fact_dir):
    # a sum that does not add up, and a typo: only the typo is reported until it is fixed
    d = fact_dir({"t.yaml": trade_2018(total="310").replace("unit: USD", "unit: USDD", 1)})
    code, problems = check(run, d)
    assert code == 1 and [p["rule"] for p in problems] == ["schema"]


def test_shipped_facts_pass_every_rule(run):
    base, problems = load(fact_dirs(None, environ={}))
    assert problems == []
    assert check_arithmetic(base.facts) == []
    result = run(["check"], env=ENV)
    assert result.exit_code == 0, result.stdout
