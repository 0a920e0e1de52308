"""The shipped facts from web pages (issue 10): every one can be traced back to its page.

The quotes themselves were re-found in stored copies of the pages when the facts were
written (each source's `retrieved` says so); tests cannot reach those copies, so this file
checks the structure a reader needs to find the quote again and judge the source.
"""

from __future__ import annotations

import pytest

from bricli.load.assemble import load
from bricli.load.discover import fact_dirs
from bricli.model.facts import FactBase

ARTICLE_SOURCE = "cedpr-2020"


@pytest.fixture(scope="module")
def base() -> FactBase:
    b, problems = load(fact_dirs(None, environ={}))
    assert problems == []
    return b


@pytest.fixture(scope="module")
def web_facts(base):
    return [f for f in base.facts if f.source.id != ARTICLE_SOURCE]


def test_there_are_web_facts_on_every_topic(web_facts):
    topics = {f.topic for f in web_facts}
    assert {"trade", "policy", "finance", "investment", "projects"} <= topics


def test_every_web_source_can_be_found_and_judged(base, web_facts):
    used = {f.source.id for f in web_facts}
    bad = []
    for sid in sorted(used):
        s = base.sources[sid]
        if not (s.url and s.url.startswith(("http://", "https://"))):
            bad.append((sid, "url"))
        for field in ("language", "kind", "reliability", "retrieved", "publisher"):
            if not getattr(s, field):
                bad.append((sid, field))
    assert bad == []


def test_a_repost_says_what_it_reproduces(base, web_facts):
    reposts = {f.source.id for f in web_facts if base.sources[f.source.id].kind == "repost"}
    assert reposts, "the pack has reposts"
    assert sorted(sid for sid in reposts if not base.sources[sid].reproduces) == []


def test_every_web_fact_has_a_clean_quote(web_facts):
    bad = [f.id for f in web_facts if not f.source.quote.strip() or f.source.quote != f.source.quote.strip()]
    assert bad == []


def test_a_quote_not_in_english_has_a_translation_and_english_has_none(base, web_facts):
    missing = [f.id for f in web_facts if base.sources[f.source.id].language != "en" and not f.source.translation]
    extra = [f.id for f in web_facts if base.sources[f.source.id].language == "en" and f.source.translation]
    assert (missing, extra) == ([], [])


def test_steps_of_a_history_name_what_they_are_a_step_of(base, web_facts):
    """Project milestones are tied to a project; withdrawals and renewals to the first step."""
    by_id = base.by_id()
    loose = [f.id for f in web_facts if f.kind == "milestone" and not f.about]
    loose += [f.id for f in web_facts if f.stage in ("withdrawn", "renewed", "expanded") and not f.about]
    assert loose == []
    wrong = [f.id for f in web_facts if f.kind == "milestone" and by_id[f.about].type != "project"]
    assert wrong == []


# Hand-checked against the quotes: partial periods stay partial.
PARTIAL = {
    "trade-2003m1-11-total-chn-lcn-customs": "2003-01/2003-11",
    "trade-2016h1-total-chn-lcn-mofcom": "2016-01/2016-06",
    "trade-2017m1-8-total-chn-lcn-mofcom": "2017-01/2017-08",
    "trade-2017m1-11-total-chn-lcn-customs": "2017-01/2017-11",
    "trade-2018m1-9-total-chn-lcn-mofcom": "2018-01/2018-09",
    "trade-2021h1-total-chn-lcn-customs": "2021-01/2021-06",
    "trade-2022m1-7-total-chn-lcn-ip": "2022-01/2022-07",
    "trade-2024m1-9-total-chn-lcn-linjian": "2024-01/2024-09",
    "trade-2025q1-total-chn-lcn-mofcom": "2025-01/2025-03",
    "fdi-2021m1-5-chn-lcn-mofcom": "2021-01/2021-05",
}


@pytest.mark.parametrize("fact_id", sorted(PARTIAL))
def test_partial_periods_stay_partial(base, fact_id):
    assert base.by_id()[fact_id].period == PARTIAL[fact_id]


def test_figures_on_two_statistical_bases_for_one_year_stand_side_by_side(web_facts):
    """2011: IMF Direction of Trade and a Chinese official's figure are both kept."""
    y2011 = {f.stat_basis for f in web_facts if f.metric == "trade" and f.direction == "total" and f.period == "2011"}
    assert {"imf-dots", "unstated"} <= y2011


# Amounts in a local currency, once kept in notes because the model had no unit for them:
# now values, with the digits and qualifier the fact's own quote states.
LOCAL_CURRENCY_AMOUNTS = {
    "swap-bra-2025-term": ("157", "BRL", "billion", "up-to", "R$ 157 bilhões"),
    "project-bra-jupia-concession-2015-11-amount": ("13.8", "BRL", "billion", "exact", "R$ 13,8 bilhões"),
}


@pytest.mark.parametrize("fact_id", sorted(LOCAL_CURRENCY_AMOUNTS))
def test_local_currency_amounts_are_values_as_their_quotes_state_them(base, fact_id):
    value, unit, scale, qualifier, stated = LOCAL_CURRENCY_AMOUNTS[fact_id]
    f = base.by_id()[fact_id]
    assert (f.value.text, f.unit, f.scale, f.qualifier) == (value, unit, scale, qualifier)
    assert stated in f.source.quote


def test_a_swap_keeps_its_yuan_amount_and_the_other_currency_in_its_note(base):
    # the two sides of one line are one amount in two currencies, not two figures
    for fact_id, yuan, other_side in (("swap-bra-signed-2013-03", "190", "600億"),
                                      ("swap-chl-signed-2015-05-25", "22", "22000亿"),
                                      ("swap-arg-renewed-2017-07", "70", "175 billion Argentine pesos")):
        f = base.by_id()[fact_id]
        assert (f.value.text, f.unit) == (yuan, "CNY"), fact_id
        assert other_side in f.source.quote and other_side in f.note, fact_id


def test_no_note_calls_a_carried_currency_an_unknown_unit(base):
    stale = [f.id for f in base.facts if f.note and "not a unit bricli carries" in f.note
             and any(w in f.note for w in ("BRL", "reais", "pesos"))]
    assert stale == []
