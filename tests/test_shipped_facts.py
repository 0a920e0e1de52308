"""The shipped facts: they pass `bricli check`, and every quote is really in the article."""

from __future__ import annotations

import re

import pytest

from bricli.load.discover import fact_dirs
from bricli.load.assemble import load
from bricli.model.facts import FactBase

from conftest import ARTICLE

ARTICLE_SOURCE = "cedpr-2020"  # web sources' quotes are checked against their stored pages, not here


@pytest.fixture(scope="module")
def base() -> FactBase:
    b, problems = load(fact_dirs(None, environ={}))
    assert problems == []
    return b


def test_check_passes_on_shipped_facts(run):
    result = run(["check"], env={"BRICLI_FACTS": ""})
    assert result.exit_code == 0, result.output
    assert "ok" in result.stderr


def test_check_json_reports_counts(run):
    import json

    result = run(["check", "--format", "json"], env={"BRICLI_FACTS": ""})
    doc = json.loads(result.stdout)
    assert doc["ok"] is True and doc["problems"] == []
    # the article plus the web sources of issue 10
    assert doc["facts"] > 150 and doc["sources"] > 100


@pytest.mark.skipif(not ARTICLE.exists(), reason="the source article is in ../shared/sources")
def test_every_quote_is_verbatim_in_the_article(base):
    article = ARTICLE.read_text(encoding="utf-8")
    missing = [f.id for f in base.facts if f.source.id == ARTICLE_SOURCE and f.source.quote not in article]
    assert missing == []


@pytest.mark.skipif(not ARTICLE.exists(), reason="the source article is in ../shared/sources")
def test_every_section_is_a_heading_of_the_article(base):
    lines = {line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines()}
    assert sorted({f.source.section for f in base.facts if f.source.id == ARTICLE_SOURCE} - lines) == []


def test_every_stated_number_appears_in_its_quote_or_is_corrected(base):
    """A value whose digits are not in the quote must say why (an OCR correction or a note)."""
    unexplained = []
    for f in base.facts:
        for n in (f.value, f.change_pct):
            if n is None:
                continue
            digits = n.text.lstrip("-")
            said = f.source.quote + "\n" + (f.source.translation or "")
            in_quote = re.search(rf"(?<![\d.]){re.escape(digits)}(?![\d])", said.replace(",", ""))
            if not in_quote and not (f.correction or f.note):
                unexplained.append((f.id, digits))
    assert unexplained == []


def test_every_web_source_says_where_its_quotes_were_found(base):
    """Each web source names its page, kind, language and grade, and where its quotes were re-found."""
    incomplete = [
        (s.id, name)
        for s in base.sources.values() if s.id != ARTICLE_SOURCE
        for name in ("url", "kind", "language", "reliability", "retrieved")
        if not getattr(s, name)
    ]
    assert incomplete == []


def test_every_shipped_source_is_graded(base):
    """`--reliability` leaves ungraded sources out, so an ungraded source hides its facts."""
    assert sorted(s.id for s in base.sources.values() if not s.reliability) == []


def test_the_article_is_graded_as_a_repost(base):
    """Author and publisher unstated, a copy on a web site: C by the README's rule, saying what it reproduces."""
    article = base.sources[ARTICLE_SOURCE]
    assert (article.reliability, bool(article.reproduces)) == ("C", True)


def test_a_repost_is_graded_as_a_repost(base):
    """README: `C` repost, blog or aggregator; an official text seen only on a repost site is `C` too."""
    assert sorted(s.id for s in base.sources.values() if s.kind == "repost" and s.reliability != "C") == []


# Hand-checked against the article: value, unit, scale, qualifier, period.
ARTICLE_FIGURES = {
    "trade-2018-total-chn-lcn": ("307.4", "USD", "billion", "exact", "2018", "18.9"),
    "trade-2018-exports-chn-lcn": ("148.79", "USD", "billion", "exact", "2018", "13.7"),
    "trade-2018-imports-chn-lcn": ("158.61", "USD", "billion", "exact", "2018", "24.1"),
    "trade-2019m1-11-total-chn-lcn": ("286.83", "USD", "billion", "exact", "2019-01/2019-11", "1.8"),
    "trade-2019m1-11-exports-chn-lcn": ("136.48", "USD", "billion", "exact", "2019-01/2019-11", "0.2"),
    "trade-2019m1-11-imports-chn-lcn": ("150.35", "USD", "billion", "exact", "2019-01/2019-11", "3.4"),
    "trade-2018-total-chn-wld": ("4.62", "USD", "trillion", "exact", "2018", "12.6"),
    "trade-2018-share-lcn-in-chn-total": ("6.7", "percent", "one", "exact", "2018", None),
    "fdi-2017-flow-chn-lcn": ("14.08", "USD", "billion", "exact", "2017", None),
    "fdi-2017-stock-chn-lcn": ("386.89", "USD", "billion", "exact", "2017-12-31", None),
    "fdi-2019m11-stock-chn-lcn": ("410", "USD", "billion", "more-than", "2019-11", None),
    "fdi-stock-lcn-chn": ("220", "USD", "billion", "more-than", None, None),
    "enterprises-lcn-in-chn": ("33188", "count", "one", "exact", None, None),
    "people-2017-visitors-chn-lcn": ("1.3", "people", "million", "nearly", "2017", None),
    "people-confucius-institutes-lcn": ("44", "count", "one", "exact", None, None),
    "people-confucius-classrooms-lcn": ("12", "count", "one", "exact", None, None),
    "people-tourist-destination-countries": ("24", "count", "one", "exact", None, None),
    "policy-bri-mou-countries": ("19", "count", "one", "exact", None, None),
}


@pytest.mark.parametrize("fact_id", sorted(ARTICLE_FIGURES))
def test_headline_figures_match_the_article(base, fact_id):
    f = base.by_id()[fact_id]
    value, unit, scale, qualifier, period, change = ARTICLE_FIGURES[fact_id]
    assert (f.value.text, f.unit, f.scale, f.qualifier) == (value, unit, scale, qualifier)
    assert (f.period or f.as_of) == period
    assert (f.change_pct.text if f.change_pct else None) == change


def test_the_partial_year_is_never_the_whole_year(base):
    for f in base.facts:
        if "eleven months" in f.source.quote and f.type == "figure":
            year = (f.period or "")[:4]
            assert f.period == f"{year}-01/{year}-11", f.id
            if f.source.id == "cedpr-2020":
                assert year == "2019", f.id
