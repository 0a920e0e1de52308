"""Lending is findable (issue 21): the shipped facts answer `search loans`, `search préstamos`
and `finance --kind loan`, and the policy-bank lending series carries the `loan` kind."""

from __future__ import annotations

import json

import pytest

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}


def ids(run, *args: str) -> list[str]:
    result = run([*args, "-f", "json"], env=ENV)
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


def test_loan_is_a_finance_kind(run):
    result = run(["finance", "--help"], env=ENV)
    assert "loan" in result.stdout


@pytest.mark.parametrize("expected", [
    "loans-chn-lcn-2016-dialogue-gegi-2017",         # the yearly series by release
    "loans-chn-bra-2023-dialogue-gdp-2024",          # and by country
    "dev-finance-2020-new-commitments-chn-lcn-bu",   # the 2020 "no new commitments" year, now under finance
])
def test_finance_kind_loan_lists_policy_bank_lending(run, expected):
    assert expected in ids(run, "finance", "--kind", "loan")


def test_search_loans_finds_policy_bank_lending(run):
    found = ids(run, "search", "loans")
    assert {"loans-chn-lcn-2016-dialogue-gegi-2017", "loans-chn-lcn-2018-dialogue-gdp-2019",
            "loans-chn-bra-2023-dialogue-gdp-2024"} <= set(found)


def test_search_prestamos_finds_the_spanish_quotes(run):
    # accents folded: 'préstamos' and 'prestamos' find the same facts
    for word in ("préstamos", "prestamos"):
        found = ids(run, "search", word)
        assert {"loans-chn-lcn-2013-dialogue-2015", "loans-chn-lcn-since-2005-dialogue-2015"} <= set(found)


def test_search_lending_finds_something_on_finance(run):
    rows = json.loads(run(["search", "lending", "-f", "json"], env=ENV).stdout)
    assert any(r["topic"] == "finance" for r in rows)


def test_the_2020_no_new_commitments_fact_is_filed_under_finance(run):
    assert "dev-finance-2020-new-commitments-chn-lcn-bu" in ids(run, "finance")
    assert "dev-finance-2020-new-commitments-chn-lcn-bu" not in ids(run, "risks")
