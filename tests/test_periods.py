"""Periods and points read the way the source states them; partial stays partial."""

from __future__ import annotations

import pytest

from bricli.model.periods import parse_day, parse_period, point_label, prior


@pytest.mark.parametrize("text,label,partial", [
    ("2018", "2018", False),
    ("2019-01/2019-11", "2019 Jan–Nov", True),
    ("2018-01/2018-12", "2018", False),
    ("2019-10", "Oct 2019", True),
    ("2012/..", "since 2012", False),
    ("../2019", "by end-2019", False),
    ("../2018-12-31", "by end-2018", False),
    ("../2019-11", "by Nov 2019", False),
    ("2015/2019", "2015–2019", False),
])
def test_period_labels(text, label, partial):
    p = parse_period(text)
    assert p.label() == label
    assert p.is_partial is partial


@pytest.mark.parametrize("text,label", [("2017-12-31", "end-2017"), ("2019-11", "by Nov 2019"), ("2019-11-05", "as of 5 Nov 2019")])
def test_point_labels(text, label):
    assert point_label(parse_day(text)) == label


@pytest.mark.parametrize("bad", ["2019-02-30", "2019-13", "19", "2019/2018", "../..", "2019-1-5", "abc"])
def test_impossible_or_malformed_periods_are_refused(bad):
    with pytest.raises(ValueError):
        parse_period(bad)


def test_prior_period_is_the_same_span_a_year_earlier():
    assert prior(parse_period("2018")).text == "2017"
    assert prior(parse_period("2019-01/2019-11")).text == "2018-01/2018-11"
    assert prior(parse_period("2020-02-29")).text == "2019-02-28"
    assert prior(parse_period("2012/..")) is None


def test_years_covered_spans_periods_and_points_but_not_open_ends():
    from types import SimpleNamespace as F

    from bricli.model.periods import years_covered

    facts = [F(period="2019-01/2019-11", as_of=None), F(period="2015/2016", as_of=None),
             F(period="2012/..", as_of=None), F(period=None, as_of="2017-12-31"), F(period=None, as_of=None)]
    assert years_covered(facts) == [2015, 2016, 2017, 2019]
