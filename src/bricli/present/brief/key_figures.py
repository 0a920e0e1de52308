"""Which key figures a brief shows, and of two statements of one thing which one (`preferred`).

Key figures: stated, reported figures (no forecast, estimate or target) about China and the focus
area (the region, `LCN`, or the `--country` given) and nothing else, in money, people or counts, not
the exports/imports components of a total. A series is what is measured (metric, direction,
countries in order, unit, measure, basis), whichever source states it; its latest value is shown (of
one calendar year, the figure analysis/reconcile.py chooses, as `bricli series` and the charts do; of
another period, `preferred`: exact before qualified, then the more reliable source, then the source
dated last), and when that is a partial period the latest whole one beside it. At most KEY_PER_TOPIC series
per topic: the latest, then money (US dollars before other currencies) before people before counts,
then the largest; at most KEY_ROWS rows in all (the series whose latest value is oldest go first).
"""

from __future__ import annotations

from datetime import date

from bricli.analysis.matching import span
from bricli.analysis.reconcile import build_series
from bricli.model.facts import Fact, Source
from bricli.model.series import series_key
from bricli.model.vocab import RELIABILITY, RELIABILITY_RANK, SCALES, TOPICS
from bricli.model.wording import CURRENCY_PREFIX, change_text, is_partial, period_text, value_text
from bricli.present.brief.data import HOME, KeyFigure

KEY_PER_TOPIC = 2
KEY_ROWS = 8  # rows of the key figures table (a partial period and its whole one are two)
MONEY = tuple(CURRENCY_PREFIX)  # every currency the model knows; US dollars rank first (see unit_rank)
KEY_UNITS = (*MONEY, "people", "count")


def end_day(f: Fact) -> date:
    """How recent a fact is: the end of its period (an open end: its start); undated: never."""
    s = span(f)
    if s is None:
        return date.min
    return s[1] if s[1] != date.max else s[0]


def unit_rank(f: Fact) -> int:
    """Money before people before counts; US dollars before other currencies (amounts in two
    currencies are not compared by size)."""
    if f.unit == "USD":
        return 0
    return 1 if f.unit in MONEY else 2 if f.unit == "people" else 3 if f.unit == "count" else 4


def base_value(f: Fact):
    return f.value.decimal * SCALES[f.scale] if f.value is not None else 0


def reliability_rank(sources: dict[str, Source]):
    """A fact's source reliability as a rank: A first, then B, C, ungraded (smaller is more reliable)."""
    def grade(f: Fact) -> int:
        s = sources.get(f.source.id)
        return RELIABILITY_RANK.get(s.reliability or "", len(RELIABILITY)) if s else len(RELIABILITY)
    return grade


def preferred(sources: dict[str, Source]):
    """Of two statements of the same thing for the same period, which to show: an exact value before a
    qualified one, then the more reliable source (A, B, C, ungraded), then the source dated last (then its id).
    Returns a sort key: the smallest is preferred."""
    dated = {sid: n for n, sid in enumerate(sorted(sources, key=lambda i: (sources[i].date, i)))}

    def key(f: Fact) -> tuple[int, int, int]:
        s = sources.get(f.source.id)
        grade = RELIABILITY_RANK.get(s.reliability or "", len(RELIABILITY)) if s else len(RELIABILITY)
        return (0 if f.qualifier == "exact" else 1, grade, -dated.get(f.source.id, -1))
    return key


def key_facts(facts: list[Fact], focus: str, order: dict[str, int], prefer,
              sources: dict[str, Source] | None = None) -> list[Fact]:
    pair = {HOME, focus}
    series: dict[tuple, list[Fact]] = {}
    for f in facts:
        # stated, reported values only: a forecast, an estimate or a target is never a key figure
        if not (f.is_figure and f.value is not None and f.unit in KEY_UNITS and f.basis == "reported" and f.aggregates):
            continue
        if len(f.countries) != 2 or set(f.countries) != pair or f.direction in ("exports", "imports"):
            continue
        key = (f.topic, f.metric, f.direction, f.countries, f.unit, f.measure, f.basis, f.counted)
        series.setdefault(key, []).append(f)
    # of one year, the figure `bricli series` chooses (the rule of analysis/reconcile.py), when `sources` are given
    position: dict[str, int] = {}
    if sources is not None:
        for s in build_series([f for members in series.values() for f in members], sources):
            for ranked in s.by_year.values():
                position.update((f.id, n) for n, f in enumerate(ranked))

    def latest_of(members: list[Fact]) -> Fact:
        """The latest period (its end, then its start); of one period, the preferred statement."""
        def when(f: Fact) -> tuple[int, int]:
            s = span(f)
            return (-end_day(f).toordinal(), -(s[0] if s else date.min).toordinal())
        return min(members, key=lambda f: (when(f), position.get(f.id, 0), prefer(f)))

    heads: list[tuple[Fact, Fact | None]] = []
    for members in series.values():
        latest = latest_of(members)
        whole = None
        if is_partial(latest):
            wholes = [f for f in members if span(f) and not is_partial(f)]
            whole = latest_of(wholes) if wholes else None
        heads.append((latest, whole))
    per_topic: dict[str, list[tuple[Fact, Fact | None]]] = {}
    for head in heads:
        per_topic.setdefault(head[0].topic, []).append(head)
    def rank(h: tuple[Fact, Fact | None]) -> tuple[int, int, object, int]:
        """The latest first, then money before people before counts, then the largest."""
        return (-end_day(h[0]).toordinal(), unit_rank(h[0]), -base_value(h[0]), order[h[0].id])

    chosen = [h for topic in TOPICS for h in sorted(per_topic.get(topic, []), key=rank)[:KEY_PER_TOPIC]]
    while sum(1 + (whole is not None) for _, whole in chosen) > KEY_ROWS and len(chosen) > 1:
        chosen.remove(max(chosen, key=rank))  # too many rows: the series whose latest value is oldest goes
    return [f for latest, whole in chosen for f in (whole, latest) if f is not None]


def key_rows(key: list[Fact]) -> list[KeyFigure]:
    rows = []
    for f in key:
        what = f.label
        for other in key:  # a partial period beside its whole one: the shorter, period-free label for both
            if other is not f and other.label != what and what.startswith(other.label) and \
                    series_key(other)[1:] == series_key(f)[1:]:
                what = other.label
        rows.append(KeyFigure(what, value_text(f), period_text(f), change_text(f.change_pct), f.source.id, f.id))
    return rows

