"""The engine's filters keep exactly what they say: each SQL filter of index/query.py against
the slow, obvious reading of the same words over every item of a synthetic base."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from bricli.analysis.derive import Derived, derive_all
from bricli.analysis.matching import searchable, span
from bricli.analysis.query import Filters
from bricli.index.engine import Engine
from bricli.load.discover import fact_dirs
from bricli.model.text import fold

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import synth


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    out = synth.generate(1500, tmp_path_factory.mktemp("synth"))
    with Engine.open(fact_dirs([str(out)], environ={}), 10 << 20, no_cache=True) as e:
        assert e.problems() == []
        yield e


@pytest.fixture(scope="module")
def everything(engine):
    base = engine.base()
    return base.facts + derive_all(base.facts, lookup=base.facts), base


def _reference(everything, *, topic=None, year=None, country=None, source=None, word=None, derived=True,
               fields=None, reliability=None):
    """The items these filters keep, read the obvious way, in the set's order."""
    items, base = everything
    out = []
    for item in items:
        is_derived = isinstance(item, Derived)
        if is_derived and not derived:
            continue
        if topic and item.topic != topic:
            continue
        if country and country not in item.countries:
            continue
        sid = item.source_id if is_derived else item.source.id
        if source and sid != source:
            continue
        if reliability and not (base.sources[sid].reliability and base.sources[sid].reliability <= reliability):
            continue
        if year is not None:
            s = span(item)
            if s is None or s[0] > date(year, 12, 31) or s[1] < date(year, 1, 1):
                continue
        if fields and any(getattr(item, k, None) not in v for k, v in fields.items()):
            continue
        if word and fold(word) not in searchable(item):
            continue
        out.append(item.id)
    return out


CASES = [
    {"year": 2018}, {"year": 2005}, {"year": 2000}, {"country": "BRA"}, {"year": 2010, "country": "MEX"},
    {"source": "syn-03"}, {"year": 2015, "country": "ARG", "source": "syn-07"}, {"topic": "trade", "year": 2012},
    {"topic": "trade", "fields": {"direction": ("exports",)}}, {"topic": "investment", "fields": {"measure": ("stock",)}},
    {"word": "port"}, {"word": "pé"}, {"topic": "risks", "word": "ab"}, {"reliability": "A"}, {"reliability": "B", "year": 2019},
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: " ".join(f"{k}={v}" for k, v in c.items()))
@pytest.mark.parametrize("derived", [True, False])
def test_every_filter_keeps_what_it_names(engine, everything, case, derived):
    kw = dict(case)
    word = kw.pop("word", None)
    fields = kw.pop("fields", {})
    filters = Filters(topic=kw.get("topic"), year=kw.get("year"), country=kw.get("country"), source=kw.get("source"),
                      grep=word, reliability=kw.get("reliability"), fields=fields)
    got = [i.id for i in engine.select(filters, derived=derived).items()]
    expected = _reference(everything, word=word, fields=fields, derived=derived, **kw)
    # the set's order: facts as the files list them, then derived values (as derive_all makes them)
    assert got == expected


def test_a_limit_takes_the_first_rows_of_the_same_order(engine):
    every = [i.id for i in engine.select(Filters(topic="trade")).items()]
    assert [i.id for i in engine.select(Filters(topic="trade"), limit=7).items()] == every[:7]
    assert engine.select(Filters(topic="trade"), limit=0).hits == []


def test_synthetic_base_has_derived_values(engine):
    kinds = {d.kind for d in engine.select(Filters(), derived=True).items() if isinstance(d, Derived)}
    assert {"balance", "implied-prior"} <= kinds
