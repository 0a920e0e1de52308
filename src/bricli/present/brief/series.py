"""Which charts a brief draws: every stated series in the full brief, the trade chart and the other
key series in the default one; and a chart's data (`make_series`).

Charts: stated figures only, one source, one basis, one unit and scale per chart, comparable periods
(whole years, the same months of each year, or points in time); a series of whole years may end with
one later partial year, marked partial. Two or more points make a chart. The default brief charts the
trade series: total trade between China and the focus area by year on one named statistical basis
across sources (`basis_series`, the basis with most years), else the single-source series with most
points; and any other key-figure series with at least OTHER_CHART_POINTS points.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bricli.analysis.query import dated_span
from bricli.model.facts import Fact
from bricli.model.series import series_key, time_key, value_of
from bricli.model.vocab import SCALES, STAT_BASES
from bricli.model.wording import QUALIFIER_WORDS, is_partial, period_label, period_text, unit_label, value_text
from bricli.present.brief import words as W
from bricli.present.brief.data import HOME, Point, Series
from bricli.present.brief.key_figures import MONEY, end_day
from bricli.present.chart import WHOLE_YEAR, SeriesFacts, shape_of

OTHER_CHART_POINTS = 3
# statistical bases that name one compiler: a chart may join several sources on one of them
# (not "national", "other" or "unstated", which may hide several)
NAMED_BASES = tuple(b for b in STAT_BASES if b not in ("national", "other", "unstated"))


def _exponent(scale: str) -> int:
    return len(str(SCALES[scale])) - 1  # SCALES are powers of ten


def make_series(members: list[Fact], partial: Fact | None, basis: str = "") -> Series:
    """A chart's data. With `basis` the members come from several sources on that statistical basis:
    the chart is titled after the latest one, and its bars are drawn in the latest one's scale
    (216,600 million is a bar of 216.6 billion; the table below keeps each value as stated)."""
    scale = members[-1].scale if basis else members[0].scale
    points, bounded = [], []
    for f in members:
        label = period_label(f)
        if f is partial:
            label += f" ({W.CHART_PARTIAL_MARK})"
        word = QUALIFIER_WORDS.get(f.qualifier, "")
        if word:
            label += f" ({word})"
            bounded.append(f"{period_label(f)}: {value_text(f)}")
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
                  points, bounded, basis=basis, source_count=len(sources))


def basis_series(figures: list[Fact], prefer) -> list[tuple[Series, list[Fact]]]:
    """Series by year joined across sources on one named statistical basis: the figures of each year whose
    series key matches but for the source; of several for one year, the preferred (`preferred`). A series
    of whole years may end with one later partial year, as in `stated_series`."""
    years: dict[tuple[object, ...], dict[object, list[Fact]]] = {}
    parts: dict[tuple[object, ...], list[Fact]] = {}
    for f in figures:
        if f.stat_basis not in NAMED_BASES or f.value is None or f.qualifier == "range":
            continue
        f_shape = shape_of(f)
        if f_shape is None:
            continue
        what: tuple[object, ...] = (series_key(f)[1:], f.direction, f.counted)
        if f_shape == WHOLE_YEAR:
            years.setdefault(what, {}).setdefault(time_key(f), []).append(f)
        elif f_shape[0] == "span" and f_shape[5] == 0:
            parts.setdefault(what, []).append(f)
    out = []
    for what in years:
        by_year = years[what]
        members = sorted((min(stated, key=prefer) for stated in by_year.values()), key=dated_span)
        partial = None
        after = dated_span(members[-1])[1]
        later = [f for f in parts.get(what, ()) if dated_span(f)[0] > after]
        if later:
            last = max(dated_span(f) for f in later)
            partial = min((f for f in later if dated_span(f) == last), key=prefer)
            members.append(partial)
        if len(members) < 2:
            continue
        out.append((make_series(members, partial, basis=members[0].stat_basis), members))
    return out


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

        joined = [s for s in basis_series(figures, prefer) if trade_total(s[1]) and s[1][0].basis == "reported"]
        if joined:
            def coverage(s) -> tuple[int, int, date, str]:
                whole = [f for f in s[1] if not is_partial(f)]
                return (len(whole), sum(f.qualifier == "exact" for f in s[1]), end_day(s[1][-1]), s[0].basis)
            out.append(max(joined, key=coverage))
        else:
            trade = [s for s in all_series if trade_total(s[0])] or all_series
            if trade:  # one source each: the chart's source is its first fact's
                trade_chart, partial = max(trade, key=lambda s: (len(s[0]), end_day(s[0][-1]), s[0][0].source.id))
                out.append((make_series(trade_chart, partial), trade_chart))
    key_series = {(series_key(f), f.direction) for f in key}
    for members, partial in all_series:
        if members is not trade_chart and len(members) >= OTHER_CHART_POINTS and \
                (series_key(members[0]), members[0].direction) in key_series:
            out.append((make_series(members, partial), members))
    return out

