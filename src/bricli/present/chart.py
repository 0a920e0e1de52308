"""Which stated figures make a chart series (`stated_series`: the one builder, for `--chart` and the
brief's charts), and a terminal chart (`--chart`) as plain data (render/chart.py draws it).

A chart series is a series of analysis/reconcile.py: one thing measured, by year, across
sources, each year's figure chosen by the one rule written there (and in the README). Rules:

- stated figures only, never derived values (a chart is for reading what the
  sources say);
- one bar per year, from the series' first year with a figure to its last: a
  year without a figure is a bar-less line that says so (the time axis is
  proportional to the years: a gap is a gap);
- a partial year (2019 Jan–Nov) is drawn marked partial, never as the whole year;
- a qualified value (more than, about, up to) is drawn at the stated number and
  keeps its words; ranges and undated figures are left out (one bar cannot
  show them);
- two or more years with a figure make a series; a single figure is not charted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bricli.analysis.reconcile import FigureSeries, SumSeries, build_series, in_scale, year_of
from bricli.model.facts import Fact, Source
from bricli.model.wording import period_label, unit_label, value_text


@dataclass(frozen=True)
class Bar:
    period: str  # as it reads: "2018", "2019 Jan–Nov", "end-2017"
    value: Decimal | None  # the stated number, in the series' unit and scale; None: no figure this year
    text: str  # the value as the source states it: "more than US$410 billion"; "no figure"
    partial: bool  # covers part of a year
    qualified: bool  # the source qualifies the number (more than, about, ...)
    fact_id: str


@dataclass(frozen=True)
class ChartSeries:
    title: str  # the label of its latest chosen figure
    unit: str  # "US$ billion", "%", "Confucius Institutes"
    source_id: str  # its one source, or "" when several ("sources" names them)
    bars: tuple[Bar, ...]
    sources: tuple[str, ...] = ()  # the sources of its bars, in order of first use




SeriesFacts = tuple[list[Fact], Fact | None]  # a series' chosen facts in year order, and its closing partial year


def stated_series(figures: list[Fact], sources: dict[str, Source] | None = None) -> list[SeriesFacts]:
    """Every chartable series of stated figures (reconcile.build_series: across sources, each year's figure by
    the one rule), in first-seen order: the chosen facts in year order, and the last of them when it is a
    partial year (or None). `chart_series` and the brief's `make_series` make one a chart."""
    out = []
    for s in _chartable(figures, sources):
        members = [s.by_year[y][0] for y in sorted(s.by_year)]
        last = year_of(members[-1])
        out.append((members, members[-1] if last is not None and last.partial else None))
    return out


def _chartable(figures: list, sources: dict[str, Source] | None) -> list[FigureSeries]:
    stated = [f for f in figures if isinstance(f, Fact) and f.is_figure]
    return [s for s in build_series(stated, sources or {}) if len(s.by_year) >= 2]


def series_chart(s: FigureSeries, first: int | None = None, last: int | None = None) -> ChartSeries:
    """One series as a chart: a bar per year from `first` to `last` (default: its own span)."""
    bars = []
    for row in s.rows(first, last):
        f = row.chosen
        if f is None:
            bars.append(Bar(str(row.year), None, "no figure", False, False, ""))
            continue
        bars.append(Bar(period_label(f), in_scale(f, s.scale), value_text(f), row.partial, f.qualifier != "exact", f.id))
    lo, hi = (s.first if first is None else first), (s.last if last is None else last)
    used = tuple(dict.fromkeys(s.by_year[y][0].source.id for y in sorted(s.by_year) if lo <= y <= hi))
    return ChartSeries(s.label, unit_label(s.facts[0], s.scale), used[0] if len(used) == 1 else "", tuple(bars), used)


def sum_chart(t: SumSeries, first: int | None = None, last: int | None = None) -> ChartSeries:
    """A dataset's sums by year as a chart (`bricli series ID --chart`): bars in billions, each labelled
    with the exact sum and how many records it adds; the title says the values are derived."""
    bars = []
    lo, hi = (t.first if first is None else first), (t.last if last is None else last)
    for year in range(lo, hi + 1):
        d = t.by_year.get(year)
        if d is None:
            bars.append(Bar(str(year), None, "no records", False, False, ""))
            continue
        n = len(d.inputs)
        text = f"{d.display(short=True, amount_only=True).split(' (')[0]} ({n:,} record{'' if n == 1 else 's'})"
        bars.append(Bar(str(year), d.value / 10**9, text, False, False, d.id))
    return ChartSeries(f"{t.label}, derived: the sums of its records recommended for aggregates",
                       "US$, constant 2021 prices", t.spec.source_id, tuple(bars), (t.spec.source_id,))


def chart_series(items: list, sources: dict[str, Source] | None = None) -> list[ChartSeries]:
    """The series among `items` (facts and derived values, as a listing holds them), in first-seen order."""
    return [series_chart(s) for s in _chartable(items, sources)]
