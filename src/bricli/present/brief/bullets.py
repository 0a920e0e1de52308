"""Which facts a default brief lists as bullets under each topic, and how a bullet reads.

At most BULLETS stated facts per topic (and ALL_BULLETS in all, shared equally by the topics that
have facts) not already shown as a key figure or in a chart (nor another source's value for one of
those periods, `stated_key`): first the largest stated figure (money before people before counts;
reported before forecasts, estimates and targets), then the most recent facts (undated last; none
later than the year of its source); with `--country`, facts naming that country alone come before
those naming more countries. Ties keep file order. With `derived=True`, up to DERIVED_BULLETS derived
values whose inputs are shown follow.
"""

from __future__ import annotations

import heapq
from datetime import date

from bricli.analysis.derive import Derived
from bricli.model.facts import Fact
from bricli.model.series import series_key, time_key
from bricli.model.wording import change_text, period_text, value_text
from bricli.present.brief import words as W
from bricli.present.brief.data import HOME, Line
from bricli.present.brief.key_figures import KEY_UNITS, base_value, end_day, unit_rank
from bricli.present.brief.lines import details_of

BULLETS = 3  # per topic
ALL_BULLETS = 14  # in the whole brief: two per topic when all seven are covered
DERIVED_BULLETS = 2


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



def stated_key(f: Fact) -> tuple[object, ...]:
    """What a figure states, whichever source states it: another source's value for a year charted or
    shown as a key figure is not a bullet of its own (where they differ, the conflicts say so)."""
    return (series_key(f)[1:], f.direction, f.counted, time_key(f))


def pick_bullets(candidates: list[Fact], asked: str | None, order: dict[str, int], most: int,
             source_years: dict[str, int]) -> list[Fact]:
    chosen: list[Fact] = []
    figures = [f for f in candidates if f.is_figure and f.value is not None and f.unit in KEY_UNITS]
    if figures and most:
        # a reported value before a forecast, estimate or target (often the largest number, never a result)
        chosen.append(min(figures, key=lambda f: (f.basis != "reported", unit_rank(f), -base_value(f), order[f.id])))

    def rank(f: Fact):
        alone = 0 if asked is None or tuple(f.countries) in ((asked,), (HOME, asked), (asked, HOME)) else 1
        end = end_day(f)
        if f.source.id in source_years and end.year > source_years[f.source.id]:
            end = date(source_years[f.source.id], 12, 31)  # a forecast for 2035 is as recent as its source
        return (alone, -end.toordinal(), order[f.id])

    for f in heapq.nsmallest(most + len(chosen), candidates, key=rank):  # sorted(...)[:n], without sorting all
        if len(chosen) >= most:
            break
        if f not in chosen:
            chosen.append(f)
    return chosen

