"""Queries: deriving only from facts in scope gives exactly what deriving from everything would."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from bricli.analysis.derive import Derived
from bricli.load.discover import fact_dirs
from bricli.load.assemble import load
from bricli.analysis.query import Filters, select, span

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import synth


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    out = synth.generate(1500, tmp_path_factory.mktemp("synth"))
    b, problems = load(fact_dirs([str(out)], environ={}))
    assert problems == []
    return b


def _reference(base, year=None, country=None, source=None):
    """Derived values from the whole base, filtered afterwards: the slow, obvious way."""
    out = []
    for d in select(base, Filters(), derived=True):
        if not isinstance(d, Derived):
            continue
        if country and country not in d.countries:
            continue
        if source and d.source_id != source:
            continue
        if year is not None:
            s = span(d)
            if s is None or s[0] > date(year, 12, 31) or s[1] < date(year, 1, 1):
                continue
        out.append(d.id)
    return sorted(out)


@pytest.mark.parametrize("year,country,source", [
    (2018, None, None), (2005, None, None), (2023, None, None), (2000, None, None),
    (None, "BRA", None), (2010, "MEX", None), (None, None, "syn-03"), (2015, "ARG", "syn-07"),
])
def test_scoped_derivation_matches_deriving_everything(base, year, country, source):
    got = sorted(d.id for d in select(base, Filters(year=year, country=country, source=source), derived=True)
                 if isinstance(d, Derived))
    assert got == _reference(base, year, country, source)


def test_synthetic_base_has_derived_values(base):
    kinds = {d.kind for d in select(base, Filters(), derived=True) if isinstance(d, Derived)}
    assert {"balance", "implied-prior"} <= kinds
