"""Step histories, the one rule behind `countries`, `country X --status`, `show` and projects.

A country's steps: every dated statement of its Belt and Road document, AIIB membership,
swap line, RMB clearing bank and free trade agreement, in date order. A project's steps: its
milestones (events of kind `milestone` whose `about` names the project), in date order.

The rule (README, "Steps and statuses"):

- a step stands at its date; one known only by its end ("by end-2018": some time up to then)
  stands at that end, as the timeline places it; an undated step ("so far") comes last;
- a step without a `stage` is listed without one: bricli never supplies a stage the source
  does not state;
- a step known only "by" a date, or undated, that agrees with a dated one (same arrangement,
  same stage or none, the dated one not after its bound) is listed but never shown in a cell:
  the dated step is preferred (`agrees_with` names it);
- a matrix cell shows the furthest step reached and its date (Belt and Road: signed, then
  left if it was; declined when never signed; AIIB and FTA: the furthest stage; clearing: the
  first designation; swap: the latest step with the last stated amount);
- a project's current status is its latest dated milestone's (STEP_STATUS); a progress report
  means construction under way unless the project is already completed or operating, or stopped
  (suspended, cancelled): a report of how far works got does not say they go on (Santa Cruz's
  dams: 42% "currently", in the article on their halt); `resumed` does; an
  arbitration leaves the status as it was; two milestones whose dates overlap (a month and a
  day in it) are ordered by the project's life cycle. With no dated milestone that has a
  stage, the status is the one the project's own source states; that one also stands when it
  goes further (STATUS_RANK) than the latest milestone's and its source is not dated before
  that milestone (the milestones may stop short of what the project's source says).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from bricli.model.facts import Fact
from bricli.model.periods import parse_period
from bricli.model.vocab import RELIABILITY, RELIABILITY_RANK
from bricli.model.wording import value_text

ARRANGEMENTS = ("bri", "aiib", "swap", "clearing", "fta")  # the matrix's columns (not model/vocab.py's TOPICS)
AIIB_NAME = "Asian Infrastructure Investment Bank"
# how far each stage goes, per arrangement: a cell shows the furthest reached
AIIB_RANK = {"prospective-member": 1, "signed": 2, "ratified": 3, "full-member": 4}
FTA_RANK = {"negotiating": 1, "signed": 2, "in-force": 3}
CLEARING_RANK = {"designated": 1, "launched": 2}
BRI_RANK = {"declined": 1, "signed": 2, "withdrawn": 3}
SWAP_RANK = {"signed": 1, "renewed": 2, "expanded": 3, "expired": 4}
RANKS = {"bri": BRI_RANK, "aiib": AIIB_RANK, "swap": SWAP_RANK, "clearing": CLEARING_RANK, "fta": FTA_RANK}

# a milestone's stage -> the project status it leaves (progress and arbitration: see project_status)
STEP_STATUS = {
    "announced": "announced", "contracted": "contracted", "started": "under-construction",
    "progress": "under-construction", "completed": "completed", "operating": "operating",
    "suspended": "suspended", "resumed": "under-construction", "cancelled": "cancelled",
}
LIFE_CYCLE = ("announced", "contracted", "started", "progress", "completed", "operating", "suspended", "resumed",
              "cancelled")
_PROGRESS_KEEPS = ("completed", "operating", "suspended", "cancelled")  # statuses a progress report leaves as they are


@dataclass(frozen=True)
class Step:
    """One dated statement: 'signed 2017-11-17' from fact X."""

    column: str  # an arrangement (ARRANGEMENTS) or "project"
    what: str | None  # the fact's stage; None when the fact states none
    period: str | None  # as the fact states it: "2017-11-17", "../2018", or None
    fact_id: str
    detail: str | None = None  # an amount, a bank's name, an agreement's name
    detail_fact: str | None = None  # the fact the detail comes from, when not fact_id (an earlier amount)
    agrees_with: str | None = None  # a dated step this "by"/undated one agrees with (then never shown in a cell)
    label: str | None = None  # the fact's label (a project's milestone says what happened)
    source: str | None = None  # the fact's source id
    also: tuple[str, ...] = ()  # other facts stating this same step, folded into it (same_steps)


def position(period: str | None) -> date:
    """Where a step stands: its first day, or for "by" a date ("../2023-10-20") that bound, as
    the timeline places it: it happened at some time up to then, not before every dated step."""
    if not period:
        return date.max
    p = parse_period(period)
    return p.last if p.start is None else p.first


def _end(period: str | None) -> date:
    return parse_period(period).last if period else date.max


def is_bound(period: str | None) -> bool:
    """Known only by its end ("by end-2018") or not dated at all."""
    return period is None or parse_period(period).start is None


def _rank(s: Step) -> int:
    if s.column == "project":
        return LIFE_CYCLE.index(s.what) + 1 if s.what in LIFE_CYCLE else 0
    return RANKS[s.column].get(s.what or "", 0)


def ordered(steps: Iterable[Step]) -> tuple[Step, ...]:
    """Date order: position, then end, then arrangement, then how far the stage goes, then id."""
    col = {c: n for n, c in enumerate((*ARRANGEMENTS, "project"))}
    return tuple(sorted(steps, key=lambda s: (position(s.period), _end(s.period), col[s.column], _rank(s), s.fact_id)))


def _is_aiib(f: Fact) -> bool:
    if f.kind == "aiib-membership":
        return True
    return f.kind == "membership" and (AIIB_NAME in (f.name or "") or AIIB_NAME in f.participants)


def _amount(f: Fact) -> str | None:
    term = f"{f.term_years} years" if f.term_years is not None else ""
    return ", ".join(x for x in (value_text(f), term) if x) or None


def column_of(f: Fact) -> str | None:
    """The arrangement a fact is a step of, or None."""
    if f.type == "figure":
        return None
    if f.kind == "bri-document":
        return "bri"
    if _is_aiib(f):
        return "aiib"
    if f.kind in ("swap", "clearing", "fta"):
        return f.kind
    return None


def _step(f: Fact, column: str) -> Step:
    if column == "swap":
        detail = _amount(f)
    elif column == "clearing":
        detail = f.name if f.name and "clearing" not in f.name.lower() else None
    elif column in ("bri", "fta"):
        detail = f.name
    else:
        detail = None
    return Step(column, f.stage, f.period or f.as_of, f.id, detail, label=f.label, source=f.source.id)


def _agreeing(steps: list[Step]) -> list[Step]:
    """Mark each "by"/undated step that a dated step of the same arrangement agrees with."""
    dated = [s for s in steps if not is_bound(s.period)]
    out = []
    for s in steps:
        if is_bound(s.period):
            bound = _end(s.period)
            match = [d for d in dated if d.column == s.column and (s.what is None or d.what == s.what)
                     and position(d.period) <= bound]
            if match:
                s = replace(s, agrees_with=ordered(match)[0].fact_id)
        out.append(s)
    return out


def country_steps(code: str, facts: Iterable[Fact]) -> tuple[Step, ...]:
    """Every step of `code`'s arrangements, in date order."""
    found = []
    for f in facts:
        if code not in f.countries:
            continue
        column = column_of(f)
        if column is not None:
            found.append(_step(f, column))
    return ordered(_agreeing(found))


def _shown(steps: list[Step]) -> list[Step]:
    """What may stand in a cell: steps no dated step agrees with."""
    return [s for s in steps if s.agrees_with is None]


def _span_days(period: str) -> int:
    p = parse_period(period)
    return (p.last - p.first).days


def _within(inner: Step, outer: Step) -> bool:
    """`outer` says what `inner` says, no more precisely: same arrangement, stage and detail (or
    none stated), its dates holding all of inner's (April 2009 holds 28 April 2009)."""
    if (inner.column, inner.what) != (outer.column, outer.what) or outer.detail not in (None, inner.detail):
        return False
    a, b = parse_period(inner.period or ""), parse_period(outer.period or "")
    return b.first <= a.first and a.last <= b.last


def same_steps(steps: Iterable[Step], grades: Mapping[str, str | None] | None = None) -> tuple[Step, ...]:
    """One step per thing stated, in date order, each with `also`: the facts that state the same
    step, folded into it. A dated step takes in those whose dates hold its own (same stage and
    detail: the month of its day), so it is the most precise of them, and of equally precise
    ones the best graded source's (`grades`: source id -> reliability); a "by"/undated one goes
    to the dated step it agrees with. Steps that differ (two days, two amounts) stay apart:
    sources that disagree are listed side by side."""
    steps = list(steps)
    grade = grades or {}

    def preferred(s: Step) -> tuple[int, date, int, str]:
        rank = RELIABILITY_RANK.get(grade.get(s.source or "") or "", len(RELIABILITY))
        return _span_days(s.period or ""), position(s.period), rank, s.fact_id

    dated = sorted((s for s in steps if not is_bound(s.period)), key=preferred)
    kept: list[Step] = []
    home_of: dict[str, str] = {}  # a dated step's id -> the id of the step it is folded into (or its own)
    folded: dict[str, list[Step]] = {}
    for s in dated:
        home = next((k for k in kept if _within(k, s)), None)
        if home is None:
            kept.append(s)
            home_of[s.fact_id] = s.fact_id
        else:
            home_of[s.fact_id] = home.fact_id
            folded.setdefault(home.fact_id, []).append(s)
    for s in steps:
        if not is_bound(s.period):
            continue
        if s.agrees_with in home_of:
            folded.setdefault(home_of[s.agrees_with], []).append(s)
        else:
            kept.append(s)
    return ordered(replace(k, also=tuple(o.fact_id for o in ordered(folded.get(k.fact_id, ()))))
                   for k in kept)


def _first_of(steps: list[Step], what: str) -> Step | None:
    hits = [s for s in steps if s.what == what]
    return ordered(hits)[0] if hits else None


def _furthest(steps: list[Step]) -> tuple[Step, ...]:
    """The furthest stage reached, at its first date; a step with no stage only when none has one."""
    top = max(_rank(s) for s in steps)
    return (ordered([s for s in steps if _rank(s) == top])[0],)


def _bri(steps: list[Step]) -> tuple[Step, ...]:
    shown = [s for s in (_first_of(steps, "signed"), _first_of(steps, "withdrawn")) if s]
    if not shown:
        shown = [s for s in (_first_of(steps, "declined"),) if s]
    return tuple(shown) or _furthest(steps)


def _latest(steps: list[Step]) -> tuple[Step, ...]:
    """The latest step, with the last stated amount when it states none."""
    latest = ordered(steps)[-1]
    if latest.detail is None:
        with_amount = [s for s in ordered(steps) if s.detail]
        if with_amount:
            src = with_amount[-1]
            latest = replace(latest, detail=src.detail, detail_fact=src.fact_id)
    return (latest,)


def _first_designation(steps: list[Step]) -> tuple[Step, ...]:
    pick = [s for s in steps if s.what == "designated"] or steps
    return (ordered(pick)[0],)


def cell(column: str, steps: Iterable[Step]) -> tuple[Step, ...]:
    """What a matrix cell shows of `column`'s steps (every step of that arrangement given)."""
    mine = [s for s in steps if s.column == column]
    candidates = _shown(mine) or mine
    if not candidates:
        return ()
    if column == "bri":
        return _bri(candidates)
    if column == "swap":
        return _latest(candidates)
    if column == "clearing":
        return _first_designation(candidates)
    return _furthest(candidates)


# --- projects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectStatus:
    status: str  # one of model.vocab.STATUSES
    fact_id: str | None  # the milestone that decides it; None when as the project's source states it


def project_steps(project_id: str, facts: Iterable[Fact]) -> tuple[Step, ...]:
    """A project's milestones (events of kind `milestone` whose `about` names it), in date order."""
    return ordered(Step("project", f.stage, f.period or f.as_of, f.id, label=f.label, source=f.source.id)
                   for f in facts if f.about == project_id and f.kind == "milestone")


def _overlap(a: str, b: str) -> bool:
    pa, pb = parse_period(a), parse_period(b)
    return not (pa.last < pb.first or pb.last < pa.first) if pa.start and pb.start else False


# how far a status goes (the stated status of a project outranks its milestones only when further)
STATUS_RANK = {"proposed": 1, "announced": 2, "planned": 3, "contracted": 4, "under-construction": 5,
               "completed": 6, "operating": 7, "suspended": 8, "cancelled": 9}


def project_status(stated: str | None, steps: Iterable[Step], stated_on: str | None = None) -> ProjectStatus:
    """The current status from the latest dated milestone (see the module's rule); `stated` (as the
    project's source states it, on `stated_on`, that source's date) stands when no milestone decides,
    or when it goes further than the latest milestone and its source is not dated before it."""
    status: str | None = None
    decided: Step | None = None
    for s in steps:
        if s.period is None or s.what not in STEP_STATUS:
            continue  # undated, no stage, or an arbitration: the status stays
        new = STEP_STATUS[s.what]
        if s.what == "progress" and status in _PROGRESS_KEEPS:
            continue  # a report on a finished project (its output) or on how far stopped works got restarts nothing
        if decided is not None and decided.period and _overlap(decided.period, s.period) and _rank(s) < _rank(decided):
            continue  # same time, as far as the dates tell: the later stage of the life cycle stands
        status, decided = new, s
    if decided is None or status is None:
        return ProjectStatus(stated or "unknown", None)
    if (stated in STATUS_RANK and stated_on and STATUS_RANK[stated] > STATUS_RANK[status]
            and position(stated_on) >= position(decided.period)):
        return ProjectStatus(stated, None)
    return ProjectStatus(status, decided.fact_id)


def project_statuses(facts: Iterable[Fact], source_dates: dict[str, str] | None = None) -> dict[str, ProjectStatus]:
    """Every project's current status, by project id (`source_dates`: source id -> its date)."""
    facts = list(facts)
    dates = source_dates or {}
    milestones: dict[str, list[Fact]] = {}
    for f in facts:
        if f.kind == "milestone" and f.about:
            milestones.setdefault(f.about, []).append(f)
    return {f.id: project_status(f.status, project_steps(f.id, milestones.get(f.id, ())), dates.get(f.source.id))
            for f in facts if f.type == "project"}
