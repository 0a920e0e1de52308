"""Which charts a brief draws: every stated series in the full brief, the trade chart and the other
key series in the default one; and a chart's data (`make_series`).

Charts: the series of present/chart.py's `stated_series` (the one builder: analysis/reconcile.py's series,
across sources, one figure a year by the choice rule; a last partial year is marked partial). Two or more
years make a chart. A chart has one bar per year of its span, like `--chart` (the time axis is
proportional to the years): a year without a figure is an empty bar labelled "(no figure)" and a
table row that says so, never left out. The default brief charts the trade series (total trade between China and the focus
area by year, the series with most years; its last DEFAULT_CHART_YEARS years) and any other
key-figure series with at least OTHER_CHART_POINTS points.
"""

from __future__ import annotations

from decimal import Decimal

from bricli.model.facts import Fact
from bricli.analysis.reconcile import measured_key, year_of
from bricli.model.series import value_of
from bricli.model.vocab import SCALES
from bricli.model.wording import QUALIFIER_WORDS, period_label, period_text, unit_label, value_text
from bricli.present.brief import words as W
from bricli.present.brief.data import HOME, Point, Series
from bricli.present.brief.key_figures import MONEY, end_day
from bricli.present.chart import SeriesFacts

OTHER_CHART_POINTS = 3
DEFAULT_CHART_YEARS = 10  # the default brief's trade chart: its last ten years (the full brief, `bricli series`: all)


def _exponent(scale: str) -> int:
    return len(str(SCALES[scale])) - 1  # SCALES are powers of ten


def make_series(members: list[Fact], partial: Fact | None, basis: str = "") -> Series:
    """A chart's data. With `basis` the members come from several sources on that statistical basis:
    the chart is titled after the latest one, and its bars are drawn in the latest one's scale
    (216,600 million is a bar of 216.6 billion; the table below keeps each value as stated)."""
    scale = members[-1].scale if basis else members[0].scale
    points = []
    before: int | None = None  # the year of the bar before
    for f in members:
        y = year_of(f)
        if y is not None:
            if before is not None:
                points += [_gap(year) for year in range(before + 1, y.year)]  # every year of the span: a gap is a gap
            before = y.year
        label = period_label(f)
        if f is partial:
            label += f" ({W.CHART_PARTIAL_MARK})"
        word = QUALIFIER_WORDS.get(f.qualifier, "")
        if word:  # the bar is drawn at the stated number; the table below gives the source's words
            label += f" ({word})"
        if f.basis != "reported":
            label += f" ({f.basis})"
        number = value_of(f).text
        if f.scale != scale:  # the same value, the decimal point moved: nothing is rounded
            number = format(Decimal(number).scaleb(_exponent(f.scale) - _exponent(scale)).normalize(), "f")
        points.append(Point(label, period_text(f), number, value_text(f), f.id, f.source.id))
    if basis:
        title = members[-1].label
    else:
        title = min((f.label for f in members), key=len)
        if not all(f.label.startswith(title) for f in members):
            title = members[0].label
    sources = {f.source.id for f in members}
    return Series(title, unit_label(members[-1] if basis else members[0], scale), members[0].source.id if len(sources) == 1 else "",
                  points, basis=basis, source_count=len(sources))


def _gap(year: int) -> Point:
    """A year of the span without a figure: an empty bar labelled so, and a table row that says so."""
    return Point(f"{year} ({W.CHART_NO_FIGURE})", str(year), "0", W.CHART_NO_FIGURE, "")


def _recent(members: list[Fact]) -> list[Fact]:
    """The members of the last DEFAULT_CHART_YEARS years of a series (one page has no room for decades)."""
    years = [y.year if (y := year_of(f)) else None for f in members]
    last = max((y for y in years if y is not None), default=None)
    if last is None:
        return members
    return [f for f, y in zip(members, years) if y is not None and y > last - DEFAULT_CHART_YEARS]


def default_charts(topic: str, all_series: list[SeriesFacts], figures: list[Fact], key: list[Fact], focus: str,
                    prefer) -> list[tuple[Series, list[Fact]]]:
    """The trade chart and other key series with enough points (charts made of these alone).

    The trade chart is total trade with the focus area by year, on the named statistical basis with the most
    years (then the most exact values, then the latest); without one, the single-source series with most points."""
    out = []
    trade_chart: list[Fact] | None = None  # of all_series
    if topic == "trade":
        def trade_total(members: list[Fact]) -> bool:
            f = members[0]
            return f.direction == "total" and set(f.countries) == {HOME, focus} and f.unit in MONEY

        # the series `trade --chart` and `bricli series` show: across sources, each year by the choice rule
        trade = [s for s in all_series if trade_total(s[0]) and s[0][0].basis == "reported"] or all_series
        if trade:
            trade_chart, partial = max(trade, key=lambda s: (len(s[0]), end_day(s[0][-1]), s[0][0].source.id))
            shown = _recent(trade_chart)
            out.append((make_series(shown, partial if partial in shown else None), trade_chart))
    key_series = {measured_key(f) for f in key} - {None}  # what is measured, whatever the source
    for members, partial in all_series:
        if members is not trade_chart and len(members) >= OTHER_CHART_POINTS and \
                measured_key(members[0]) in key_series:
            out.append((make_series(members, partial), members))
    return out

