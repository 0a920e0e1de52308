"""Which stated figures make a terminal chart (`--chart`), as plain data (render/chart.py draws it).

A series is one source, metric, direction, countries, unit, scale, measure and
basis (model/series.py's series key plus direction and scale): the same thing
measured in different periods. Rules:

- stated figures only, never derived values (a chart is for reading what the
  sources say);
- one bar per period: when a source states two figures for one period, the
  first in file order;
- a partial period (2019 Jan–Nov) keeps its own bar, marked partial, beside the
  whole years: it is never drawn as the whole year;
- a qualified value (more than, about, up to) is drawn at the stated number and
  keeps its words; ranges and undated figures are left out (one bar cannot
  show them);
- two or more periods make a series; a single figure is not charted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bricli.model.facts import Fact
from bricli.model.series import series_key, time_key
from bricli.model.wording import CURRENCY_PREFIX, is_partial, period_label, value_text


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


def unit_label(f: Fact) -> str:
    if f.unit in CURRENCY_PREFIX:
        unit = CURRENCY_PREFIX[f.unit]
    elif f.unit == "percent":
        unit = "%"
    elif f.unit == "count":
        unit = f.counted or "count"
    else:
        unit = f.unit or ""
    return " ".join(x for x in (unit, "" if f.scale == "one" else f.scale) if x) or "value"


def _chartable(item) -> bool:
    return (isinstance(item, Fact) and item.is_figure and item.value is not None and item.qualifier != "range"
            and item.aggregates and time_key(item) is not None)


def chart_series(items: list) -> list[ChartSeries]:
    """The series among `items` (facts and derived values, as a listing holds them), in first-seen order."""
    groups: dict[tuple, dict[tuple, Fact]] = {}
    for f in items:
        when = time_key(f) if _chartable(f) else None
        if when is None:
            continue
        periods = groups.setdefault((series_key(f), f.direction, f.scale), {})
        periods.setdefault(when, f)  # one bar per period: the first stated
    out = []
    for periods in groups.values():
        if len(periods) < 2:
            continue
        ordered = [periods[k] for k in sorted(periods, key=lambda k: k[1:])]
        bars = tuple(Bar(period_label(f), f.value.decimal, value_text(f), is_partial(f), f.qualifier != "exact", f.id)
                     for f in ordered if f.value is not None)
        first = ordered[0]
        out.append(ChartSeries(first.label, unit_label(first), first.source.id, bars))
    return out
