"""Which facts a default brief lists as bullets under each topic, and how a bullet reads.

At most BULLETS stated facts per topic (and ALL_BULLETS in all, shared equally by the topics that
have facts) not already shown as a key figure, in the lead or in a chart (nor another source's value
for one of those periods, `stated_key`): first the largest stated figure (money before people before
counts; reported before forecasts, estimates and targets), then the most recent facts (undated last;
none later than the year of its source); with `--country`, facts naming that country alone come before
those naming more countries. Ties: the more reliable source, then file order. With `derived=True`, up
to DERIVED_BULLETS derived values whose inputs are shown follow.

Only facts that belong are candidates (`belongs`): a fact about China and the region or a country of
it (or the `--country`), never China and the world or another country alone; a figure no more than
STALE_YEARS older than the newest figure of its topic (`stale`); a forecast only while its year has no
reported figure (`outdated_forecast`). One fact per real-world thing (`event_keys`): a fact about the
same thing as one already shown or chosen (the same `about`, the same name, an actor and a fact naming
it) is not told again; the most recent (then the most reliable) statement is the one chosen.
"""

from __future__ import annotations

import heapq
from datetime import date

from bricli.analysis.derive import Derived
from bricli.analysis.reconcile import measured_key, year_of
from bricli.model.countries import REGION_MEMBERS
from bricli.model.facts import Fact
from bricli.model.series import series_key, time_key
from bricli.model.text import fold
from bricli.model.wording import change_text, period_text, value_text
from bricli.present.brief import words as W
from bricli.present.brief.data import HOME, REGION, Line
from bricli.present.brief.key_figures import KEY_UNITS, base_value, end_day, unit_rank
from bricli.present.brief.lines import details_of

BULLETS = 3  # per topic
ALL_BULLETS = 7  # in the whole brief: one per topic when all seven are covered (the lead tells the news)
DERIVED_BULLETS = 2
STALE_YEARS = 5  # a figure older than the newest of its topic by more than this is not a bullet
LAC_CODES = frozenset((*REGION_MEMBERS, REGION))


def belongs(f: Fact, asked: str | None) -> bool:
    """A fact about the brief's subject: the `--country` asked for, or the region or one of its countries
    (a fact naming no country is about what its source is about, the region)."""
    if asked and asked != HOME:
        return asked in f.countries
    return not f.countries or any(c in LAC_CODES for c in f.countries)


def figure_year(f: Fact, source_years: dict[str, int]) -> int | None:
    """The year a figure is about, for staleness: its period's last year, never later than its source's
    year (a forecast for 2035 is as recent as its source); undated: the source's year."""
    end = end_day(f)
    source_year = source_years.get(f.source.id)
    if end == date.min:
        return source_year
    return min(end.year, source_year) if source_year is not None else end.year


def stale(f: Fact, newest: int | None, source_years: dict[str, int]) -> bool:
    """A figure older than the newest figure of its topic (`newest`) by more than STALE_YEARS."""
    if not f.is_figure or newest is None:
        return False
    year = figure_year(f, source_years)
    return year is not None and newest - year > STALE_YEARS


def _forecast_key(f: Fact) -> tuple[object, ...]:
    countries = tuple(sorted(f.countries)) if f.direction == "total" else tuple(f.countries)
    return (f.metric, f.direction, countries, f.unit, f.measure, f.counted, f.prices, f.about)


def reported_years(facts: list[Fact]) -> set[tuple[object, ...]]:
    """What reported figures measure, with their years: a forecast of one of them is out of date."""
    out = set()
    for f in facts:
        if f.is_figure and f.basis == "reported" and f.value is not None and (y := year_of(f)) is not None:
            out.add((*_forecast_key(f), y.year))
    return out


def outdated_forecast(f: Fact, reported: set[tuple[object, ...]]) -> bool:
    """A forecast for a year that has a reported figure of the same thing."""
    if f.basis != "forecast" or not f.is_figure:
        return False
    y = year_of(f)
    return y is not None and (*_forecast_key(f), y.year) in reported


def event_keys(f: Fact) -> frozenset[str]:
    """What real-world thing a fact tells of: what it is `about` (or itself), its name,
    the actor it names. Two facts sharing a key tell of one thing."""
    if f.is_figure:  # a figure tells of what it is about, if anything (its series is `stated_key`'s)
        return frozenset({"about:" + f.about}) if f.about else frozenset()
    keys = {"about:" + (f.about or f.id)}
    if f.name:
        keys.add("name:" + fold(f.name))
    if f.type == "actor":
        keys.add("actor:" + fold(f.name or f.label))
    else:
        keys.update("actor:" + fold(p) for p in f.participants)
    return frozenset(keys)


def bullet(f: Fact, focus: str) -> Line:
    """A short line: the label alone (the name is in the full brief), what else it concerns, when."""
    details = details_of(f, focus)
    if f.change_pct is not None:
        details.append(change_text(f.change_pct))
    lead = value_text(f) if f.is_figure and f.value is not None else ""
    return Line((f.id,), f.label + (f" ({'; '.join(details)})" if details else ""), lead=lead)


def derived_bullet(d: Derived) -> Line:
    details = [x for x in (period_text(d), d.note if d.kind == "balance" else "") if x]
    text = d.label + (f" ({'; '.join(details)})" if details else "")
    return Line((d.id,), text, lead=f"{d.display()} ({W.DERIVED_MARK})")



def charted_key(f: Fact) -> tuple[object, ...] | None:
    """What a figure measures and its year, whatever the source and statistical basis (the chart's series
    joins them, one figure a year): another statement of a charted year is not a bullet."""
    key = measured_key(f)
    y = year_of(f)
    return None if key is None or y is None else (key, y.year)


def stated_key(f: Fact) -> tuple[object, ...]:
    """What a figure states, whichever source states it: another source's value for a year charted or
    shown as a key figure is not a bullet of its own (where they differ, the conflicts say so)."""
    return (series_key(f)[1:], f.direction, f.counted, time_key(f))


def pick_bullets(candidates: list[Fact], asked: str | None, order: dict[str, int], most: int,
                 source_years: dict[str, int], told: set[str] | None = None, grade=None) -> list[Fact]:
    """`told`: the event keys of what is already shown (updated with the bullets chosen); `grade`: a
    fact's source reliability rank (smaller is more reliable)."""
    told = set() if told is None else told
    chosen: list[Fact] = []
    figures = [f for f in candidates if f.is_figure and f.value is not None and f.unit in KEY_UNITS
               and not (event_keys(f) & told)]
    if figures and most:
        # a reported value before a forecast, estimate or target (often the largest number, never a result)
        chosen.append(min(figures, key=lambda f: (f.basis != "reported", unit_rank(f), -base_value(f), order[f.id])))
        told.update(event_keys(chosen[0]))

    def rank(f: Fact):
        alone = 0 if asked is None or tuple(f.countries) in ((asked,), (HOME, asked), (asked, HOME)) else 1
        end = end_day(f)
        if f.source.id in source_years and end.year > source_years[f.source.id]:
            end = date(source_years[f.source.id], 12, 31)  # a forecast for 2035 is as recent as its source
        return (alone, -end.toordinal(), grade(f) if grade else 0, order[f.id])

    first = list(chosen)
    for window in (4 * (most + 1), len(candidates)):  # sorted(...)[:n] without sorting all, unless many are told
        chosen = list(first)
        seen = set(told)
        ranked = heapq.nsmallest(window, candidates, key=rank)
        for f in ranked:
            if len(chosen) >= most:
                break
            keys = event_keys(f)
            if f not in chosen and not (keys & seen):
                chosen.append(f)
                seen.update(keys)
        if len(chosen) >= most or len(ranked) == len(candidates):
            break
    told.update(seen)
    return chosen

