"""Which stated figures make a chart series (`stated_series`: the one builder, for `--chart` and the
brief's charts), and a terminal chart (`--chart`) as plain data (render/chart.py draws it).

A series is one source, metric, direction, countries, unit, scale, measure,
basis and what is counted (model/series.py's series key plus direction, scale
and counted), over comparable periods: the same thing measured in different
periods. Rules:

- stated figures only, never derived values (a chart is for reading what the
  sources say);
- one bar per period: when a source states two figures for one period, the
  first in file order;
- comparable periods only (`shape_of`): whole years with whole years, the same
  months of each year together, points in time together; open periods ("since
  2012") with none;
- a partial year (2019 Jan–Nov) later than a series of whole years closes it
  with its own bar, marked partial: it is never drawn as the whole year;
- a qualified value (more than, about, up to) is drawn at the stated number and
  keeps its words; ranges and undated figures are left out (one bar cannot
  show them);
- two or more periods make a series; a single figure is not charted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bricli.analysis.query import dated_span
from bricli.model.facts import Fact
from bricli.model.periods import parse_period
from bricli.model.series import series_key, time_key, value_of
from bricli.model.wording import is_partial, period_label, unit_label, value_text


@dataclass(frozen=True)
class Bar:
    period: str  # as it reads: "2018", "2019 Jan–Nov", "end-2017"
    value: Decimal  # the stated number, in the series' unit and scale
    text: str  # the value as the source states it: "more than US$410 billion"
    partial: bool  # covers part of a year
    qualified: bool  # the source qualifies the number (more than, about, ...)
    fact_id: str


@dataclass(frozen=True)
class ChartSeries:
    title: str  # the label of its earliest figure
    unit: str  # "US$ billion", "%", "Confucius Institutes"
    source_id: str
    bars: tuple[Bar, ...]


def shape_of(f: Fact) -> tuple[object, ...] | None:
    """Which periods are comparable: whole years with whole years, Jan–Nov with Jan–Nov, points with points.
    An open period ("since 2012") is comparable with none."""
    if f.period:
        return _period_shape(f.period)
    if f.as_of:
        return ("point",)
    return None


@lru_cache(maxsize=65536)  # a base repeats a few hundred period strings across thousands of facts
def _period_shape(period: str) -> tuple[object, ...] | None:
    p = parse_period(period)
    if p.start is None or p.end is None:
        return None
    first, last = p.first, p.last
    return ("span", first.month, first.day, last.month, last.day, last.year - first.year)


WHOLE_YEAR = ("span", 1, 1, 12, 31, 0)


SeriesFacts = tuple[list[Fact], Fact | None]  # a series' facts in time order, and the partial year among them


def stated_series(figures: list[Fact]) -> list[SeriesFacts]:
    """Every chartable series of stated figures, in first-seen (file) order: its facts, and the later
    partial year that closes a series of whole years (or None). `chart_series` and the brief's `make_series` make one a chart."""
    # (what is measured, direction, scale, what is counted, period shape) -> one fact per period
    groups: dict[tuple[tuple[object, ...], str | None, str, str | None, tuple[object, ...]], dict[object, Fact]] = {}
    for f in figures:
        f_shape = shape_of(f)
        if f_shape is None or f.qualifier == "range" or f.value is None or not f.aggregates:
            continue  # (a record its dataset does not recommend for aggregates is never part of a series)
        by_time = groups.setdefault((series_key(f), f.direction, f.scale, f.counted, f_shape), {})
        by_time.setdefault(time_key(f), f)  # one value per period: the first stated
    # parts of one year (Jan–Nov), by series: the latest may close a series of whole years
    part_years: dict[tuple[object, ...], list[Fact]] = {}
    for (skey, direction, scale, counted, shape), by_time in groups.items():
        if shape != WHOLE_YEAR and shape[0] == "span" and shape[5] == 0:
            part_years.setdefault((skey, direction, scale, counted), []).extend(by_time.values())
    out = []
    for (skey, direction, scale, counted, shape), by_time in groups.items():
        members = sorted(by_time.values(), key=dated_span)
        partial = None
        if shape == WHOLE_YEAR:
            after = dated_span(members[-1])[1]
            later = [f for f in part_years.get((skey, direction, scale, counted), ()) if dated_span(f)[0] > after]
            if later:
                partial = max(later, key=dated_span)
                members = [*members, partial]
        if len(members) < 2:
            continue
        out.append((members, partial))
    return out


def chart_series(items: list) -> list[ChartSeries]:
    """The series among `items` (facts and derived values, as a listing holds them), in first-seen order."""
    out = []
    for members, _ in stated_series([i for i in items if isinstance(i, Fact) and i.is_figure]):
        bars = tuple(Bar(period_label(f), value_of(f).decimal, value_text(f), is_partial(f), f.qualifier != "exact", f.id)
                     for f in members)
        first = members[0]
        out.append(ChartSeries(first.label, unit_label(first), first.source.id, bars))
    return out
