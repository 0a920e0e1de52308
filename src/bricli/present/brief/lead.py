"""The lead of a brief (two or three sentences under the title, each made of stated facts and footnoted),
and what a one-country brief shows before its topics: the country's steps with China and its projects.

The lead (README, "Briefs"):

1. the main series (the brief's trade chart, or its first chart: analysis/reconcile.py's series, one
   figure a year by the rule of `bricli series`): the latest year whose chosen figure is a whole-year,
   exact, reported value, with the change the fact states on a year earlier; without one, the change
   bricli computes from the year before when that year's chosen figure is exact and from the same
   source or the same named statistical basis (said to be computed by bricli, both facts footnoted);
   otherwise no change;
2. the policy steps of the selection (a Belt and Road document, a free trade agreement, AIIB
   membership or a currency swap signed, left, declined or entering into force), one per event (the
   same kind, step, countries and year; of several statements, the most reliable source, then the
   most precise date, then the latest), the LEAD_STEPS most recent, newest first.

Without a chart, the sentence is about the latest whole-year, exact, reported amount of money about
China and the focus area alone (of one year: US dollars first, then the largest), with its stated change.

A one-country brief (`--country`, the default brief) then lists, after its key figures (its bilateral
figures), the country's dated steps (every stage of those four kinds, one per event) in date order
and its projects (at most PROJECTS_LISTED, the most recent first) with their current status (analysis/steps).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from bricli.analysis.matching import span
from bricli.analysis.reconcile import year_of
from bricli.analysis.steps import project_statuses
from bricli.model import countries
from bricli.model.facts import Fact, Source
from bricli.model.vocab import SCALES
from bricli.model.wording import change_text, decimal_text, period_text, value_text
from bricli.present.brief import words as W
from bricli.present.brief.bullets import belongs
from bricli.present.brief.data import HOME, ItemList, Line, LineGroup, Sentence
from bricli.present.brief.key_figures import MONEY, base_value, end_day
from bricli.present.brief.lines import entry_of

LEAD_STEPS = 4  # policy steps named in the lead
LEAD_STAGES = ("signed", "withdrawn", "declined", "in-force")
BRIEF_STEP_KINDS = ("bri-document", "fta", "aiib-membership", "swap")  # the steps of a country with China
PROJECTS_LISTED = 10  # a one-country brief lists at most this many projects (the full brief: all)


def figure_sentence(members: list[Fact]) -> Sentence | None:
    """The latest whole-year exact reported figure of a series (its members, one a year, oldest first)
    and its change on a year earlier (stated, or computed by bricli); None when there is none."""
    by_year = {y.year: f for f in members if (y := year_of(f)) is not None}
    for year in sorted(by_year, reverse=True):
        f = by_year[year]
        y = year_of(f)
        if y is None or y.partial or f.qualifier != "exact" or f.basis != "reported" or f.value is None:
            continue
        # the figure's own label (what its source says it is); the year unless the label says it
        pattern = W.LEAD_FIGURE_DATED if str(year) in f.label else W.LEAD_FIGURE
        text = pattern.format(what=f.label, value=value_text(f), year=year)
        refs: tuple[str, ...] = (f.id,)
        if f.change_pct is not None:
            text += W.LEAD_STATED_CHANGE.format(change=change_text(f.change_pct))
        else:
            before = by_year.get(year - 1)
            change = _computed_change(f, before) if before is not None else None
            if change is not None and before is not None:
                text += W.LEAD_COMPUTED_CHANGE.format(change=change, previous=value_text(before), year=year - 1)
                refs = (f.id, before.id)
        return Sentence((Line(refs, text),))
    return None


def whole_year_sentence(facts: list[Fact], focus: str) -> Sentence | None:
    """Without a chart: the latest whole-year (a calendar year's period, not a point in time), exact, reported
    amount of money about China and `focus` alone, US dollars first, then the largest; its stated change."""
    best: tuple[object, ...] | None = None
    chosen: Fact | None = None
    for f in facts:
        if not (f.is_figure and f.period and f.value is not None and f.qualifier == "exact" and f.basis == "reported"
                and f.unit in MONEY and set(f.countries) == {HOME, focus} and len(f.countries) == 2):
            continue
        y = year_of(f)
        if y is None or y.partial:
            continue
        rank = (y.year, f.unit == "USD", base_value(f))
        if best is None or rank > best:
            best, chosen = rank, f
    return figure_sentence([chosen]) if chosen is not None else None


def _computed_change(f: Fact, before: Fact) -> str | None:
    """The change from `before` to `f` in per cent, one decimal, when both are exact, reported, whole-year
    and comparable (the same source, or the same named statistical basis); None otherwise."""
    y = year_of(before)
    if y is None or y.partial or before.qualifier != "exact" or before.basis != "reported" or before.value is None:
        return None
    same = before.source.id == f.source.id or (f.stat_basis != "unstated" and before.stat_basis == f.stat_basis)
    if not same or f.value is None or f.unit != before.unit:
        return None
    old = before.value.decimal * SCALES[before.scale]
    new = f.value.decimal * SCALES[f.scale]
    if old <= 0:
        return None
    pct = (new - old) / old * Decimal(100)
    text = decimal_text(pct, 1)
    sign = "+" if pct > 0 else ("\u2212" if pct < 0 else "\u00b1")
    return f"{sign}{text.lstrip('-')}%"


def step_text(f: Fact) -> str:
    """A step in words: "Panama withdrew from the Belt and Road (by 6 Feb 2025)"; the fact's label when
    the kind and stage have no words of their own or it names not one country besides China."""
    others = [c for c in f.countries if c != HOME]
    pattern = W.STEP_WORDS.get((f.kind or "", f.stage or ""))
    text = pattern.format(country=countries.name(others[0])) if pattern and len(others) == 1 else f.label
    when = period_text(f)
    return f"{text} ({when})" if when else text


def _step_event(f: Fact) -> tuple[object, ...]:
    s = span(f)
    return (f.kind, f.stage, tuple(sorted(c for c in f.countries if c != HOME)), end_day(f).year if s else None)


def _statement_rank(f: Fact, grade) -> tuple[int, int, int]:
    """Of two statements of one step: the more reliable source, then the more precise date (1 May 2024 before
    May 2024), then the later one."""
    s = span(f)
    days = (s[1] - s[0]).days if s and date.min < s[0] and s[1] < date.max else 1 << 30
    return (grade(f), days, -end_day(f).toordinal())


def dated_step_facts(facts: list[Fact], stages: tuple[str, ...] | None, grade) -> list[Fact]:
    """The dated steps among `facts` (of BRIEF_STEP_KINDS, at one of `stages` or any), one per event, oldest first."""
    events: dict[tuple[object, ...], Fact] = {}
    for f in facts:
        if f.kind not in BRIEF_STEP_KINDS or not f.stage or (stages is not None and f.stage not in stages):
            continue
        if span(f) is None:
            continue
        key = _step_event(f)
        other = events.get(key)
        if other is None or _statement_rank(f, grade) < _statement_rank(other, grade):
            events[key] = f
    return sorted(events.values(), key=lambda f: (end_day(f), f.id))


def steps_sentence(facts: list[Fact], asked: str | None, grade) -> tuple[Sentence | None, list[Fact]]:
    """The LEAD_STEPS most recent policy steps about the brief's subject (`belongs`), newest first (None when
    there are none), and those facts."""
    steps = dated_step_facts([f for f in facts if belongs(f, asked)], LEAD_STAGES, grade)[::-1][:LEAD_STEPS]
    if not steps:
        return None, []
    return Sentence(tuple(Line((f.id,), step_text(f)) for f in steps), W.LEAD_STEPS_OPENING), steps


def country_lists(facts: list[Fact], focus: str, grade, sources: dict[str, Source]) -> tuple[list[ItemList], list[Fact]]:
    """A one-country brief's steps in date order and its projects with their current status (from
    their latest dated milestone, as `bricli projects` and `show` give it), and the facts shown."""
    out: list[ItemList] = []
    steps = dated_step_facts(facts, None, grade)
    if steps:
        out.append(ItemList(W.COUNTRY_STEPS_HEADING, [LineGroup("", [Line((f.id,), step_text(f)) for f in steps])]))
    # a project's fact already says its current status (the index decides it); which milestone it
    # comes from is worked out again here, to cite it beside the project
    current = project_statuses(facts, {sid: src.date for sid, src in sources.items()})
    projects = [f for f in facts if f.type == "project"]
    projects = sorted(projects, key=lambda f: (-end_day(f).toordinal(), f.id))[:PROJECTS_LISTED]
    by_id = {f.id: f for f in facts}
    deciding = {f.id: by_id[m] for f in projects if (m := current[f.id].fact_id) in by_id}  # cited beside the project
    lines = []
    for f in projects:
        line = entry_of(f, focus)
        lines.append(replace(line, refs=(*line.refs, deciding[f.id].id)) if f.id in deciding else line)
    if projects:
        out.append(ItemList(W.COUNTRY_PROJECTS_HEADING, [LineGroup("", lines)]))
    return out, steps + projects + list(deciding.values())
