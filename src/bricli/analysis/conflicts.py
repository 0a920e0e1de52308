"""Where sources disagree: the same thing stated with different values or dates.

Two facts from different sources disagree on a value when they measure the
same thing (metric, flow, countries, unit, measure, basis, time) and the true
values their wording allows do not overlap: 261.2 and 261 agree (261 allows
260.5–261.5), 236.6 and 241.5 do not. A figure's precision is what its digits
allow: a round whole number is rounded to its last non-zero digit ("US$300
billion" allows 250–350, so it does not contradict 307.4; "US$12,000 million"
is "US$12 billion"), a decimal to its last digit. Statistical bases are not part of the
thing: two bases for one year are listed, each fact showing its own.

Two facts disagree on a date when they record the same once-only step
(a signing, a withdrawal, an AIIB step, a clearing bank's designation, a
project's start or completion) and their periods do not overlap: "Nov 2018"
and "2018-11-02" agree. Different events of one step of a project (its
inauguration, its start of commercial operation: `EVENTS`) are different steps. Repeated steps (swap renewals, project progress) are
never compared. Within one source nothing is compared here: the arithmetic
checks speak for a source's own figures.

A project in both the shipped facts and an imported dataset (`DATASET_SOURCES`) is one project
when they match (`dataset_matches`): the same recipient country (the dataset record's, among the
project's countries) and the project's name, folded (case, accents, punctuation and a part in
brackets ignored; at least two words), found word for word in the record's title; a name that
finds two or more records of its country matches none (the records may be tranches of one loan).
A matched record's dated steps are then compared with the project's (the rule above), and its
amount with the project's stated financing (`COMMITMENT_METRICS`, same unit, same year or either
undated): on the same price basis, values that allow no common value disagree; on different bases
(constant 2021 US$ against nominal) they are not compared: `basis_differences` lists them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bricli.model import countries
from bricli.model.facts import Fact
from bricli.model.periods import parse_day, parse_period
from bricli.model.text import fold
from bricli.model.series import Key, bounds, time_key
from bricli.model.wording import period_label
from bricli.model.vocab import LOWER_BOUND_QUALIFIERS, SCALES, UPPER_BOUND_QUALIFIERS

Bounds = tuple[Decimal | None, Decimal | None]  # None: open

# steps that happen once for the thing they belong to; others repeat
ONCE: dict[str, tuple[str, ...]] = {
    "bri-document": ("signed", "withdrawn", "declined"),
    "fta": ("signed", "in-force"),
    "aiib-membership": ("prospective-member", "signed", "ratified", "full-member"),
    "clearing": ("designated", "launched"),
    "milestone": ("announced", "contracted", "started", "completed", "operating", "cancelled", "arbitration"),
}


# imported datasets whose projects are matched to the shipped facts' (importers/gcdf.py's SOURCE_ID)
DATASET_SOURCES = ("aiddata-gcdf-3.0",)
# what a project's stated financing is called: a dataset record's amount is compared with these
COMMITMENT_METRICS = ("development-finance", "development-finance-commitments", "loan-commitments", "loan-signed",
                      "loan-approved", "credit-agreed", "financing-agreed")


@dataclass(frozen=True)
class Conflict:
    subject: str  # what they disagree about, in words: "China–LAC trade, 2011, total"
    kind: str  # "value" or "date"
    facts: tuple[Fact, ...]  # two or more stated facts, each with its own source


def find_conflicts(facts: Iterable[Fact]) -> list[Conflict]:
    """Every disagreement between sources: values first, then dates, each in time order."""
    facts = list(facts)
    matches = dataset_matches(facts)
    out = _value_conflicts(facts) + _dataset_value_conflicts(facts, matches) + _date_conflicts(facts, matches)
    out.sort(key=lambda c: (c.kind != "value", _sort_time(c.facts[0]), c.subject, tuple(f.id for f in c.facts)))
    return out


# --- values --------------------------------------------------------------------


def allowed(f: Fact) -> Bounds:
    """The true values (in base units) the stated figure and its qualifier allow."""
    assert f.value is not None
    k = SCALES[f.scale]
    v = f.value.decimal
    if f.qualifier == "exact":
        # the precision its digits allow: 307.4 is 307.35-307.45; a round 300 (no decimals, trailing
        # zeros) is rounded to its last non-zero digit, 250-350, so "US$12,000 million" is "US$12 billion"
        digits = f.value.text.lstrip("-")
        if "." not in digits and digits.rstrip("0") != digits:
            h = _significant_half_ulp(f.value.text)
            return (v - h) * k, (v + h) * k
        return bounds(f.value, f.scale)  # the rounding of the last stated digit (cached: the arithmetic checks ask too)
    if f.qualifier == "range" and f.value_max is not None:
        lo, hi = v - f.value.half_ulp, f.value_max.decimal + f.value_max.half_ulp
        return lo * k, hi * k
    if f.qualifier in LOWER_BOUND_QUALIFIERS:
        return v * k, None
    if f.qualifier in UPPER_BOUND_QUALIFIERS:
        return None, v * k
    if f.qualifier in ("about", "nearly"):
        # a round "about 500" is rounded to its last non-zero digit: 450-550
        h = _significant_half_ulp(f.value.text)
        return ((v - 2 * h) * k, v * k) if f.qualifier == "nearly" else ((v - h) * k, (v + h) * k)
    h = f.value.half_ulp  # exact: the rounding of the last stated digit
    return (v - h) * k, (v + h) * k


def _significant_half_ulp(text: str) -> Decimal:
    d = Decimal(text.lstrip("-"))
    if "." in text or d == 0:
        return Decimal(1).scaleb(-len(text.partition(".")[2])) / 2
    digits = text.lstrip("-")
    zeros = len(digits) - len(digits.rstrip("0"))
    return Decimal(1).scaleb(zeros) / 2


def _overlap(a: Bounds, b: Bounds) -> bool:
    (a_lo, a_hi), (b_lo, b_hi) = a, b
    lo = a_lo if b_lo is None else b_lo if a_lo is None else max(a_lo, b_lo)
    hi = a_hi if b_hi is None else b_hi if a_hi is None else min(a_hi, b_hi)
    return lo is None or hi is None or lo <= hi


def _flow_key(f: Fact) -> Key:
    """The flow itself: China's exports to LAC and LAC's imports from China are one flow."""
    cs = tuple(f.countries)
    if f.direction in ("exports", "imports") and len(cs) == 2:
        exporter, importer = cs if f.direction == "exports" else cs[::-1]
        return ("flow", exporter, importer)
    if f.direction in (None, "total") and f.metric == "trade":
        return (f.direction, tuple(sorted(cs)))
    return (f.direction, cs)


def _value_key(f: Fact) -> Key | None:
    if f.type != "figure" or f.value is None or f.basis != "reported":
        return None
    t = time_key(f)
    if t is None:
        return None
    return (f.metric, _flow_key(f), f.measure, f.unit, f.counted, f.about, t)


def _grouped(facts: list[Fact], key_of: Callable[[Fact], Key | None]) -> dict[Key, list[Fact]]:
    """Facts by the thing they state (facts without one are left out), in file order."""
    groups: dict[Key, list[Fact]] = defaultdict(list)
    for f in facts:
        key = key_of(f)
        if key is not None:
            groups[key].append(f)
    return groups


def _value_conflicts(facts: list[Fact]) -> list[Conflict]:
    groups = _grouped(facts, _value_key)
    out = []
    for members in groups.values():
        apart = disagreeing(members)
        if len(apart) >= 2:
            apart.sort(key=lambda f: (f.value.decimal * SCALES[f.scale], f.source.id, f.id))  # type: ignore[union-attr]
            out.append(Conflict(value_subject(apart[0]), "value", tuple(apart)))
    return out


def disagreeing(members: list[Fact]) -> list[Fact]:
    """Of figures stating one thing for one time, those whose allowed values meet none of some
    other source's (in the order given); one source alone never disagrees with itself here."""
    if len({f.source.id for f in members}) < 2:
        return []
    stated = [(f, f.source.id, allowed(f)) for f in members if f.value is not None]
    return [
        f for f, source, values in stated
        if any(other != source and not _overlap(values, other_values) for _, other, other_values in stated)
    ]


def value_subject(f: Fact) -> str:
    """'China–LAC trade, 2011, total', 'China → LAC trade, 2018, exports'."""
    key = _flow_key(f)
    if key[0] == "flow":
        who = f"{_short(str(key[1]))} → {_short(str(key[2]))}"
        what = "exports"
    else:
        who = "–".join(_short(c) for c in f.countries)
        what = f.direction or f.measure or ""
    metric = (f.counted or f.metric or "").replace("-", " ")
    parts = [f"{who} {metric}".strip(), _time_words(f), what]
    return ", ".join(p for p in parts if p)


# --- dates ---------------------------------------------------------------------


def _date_key(f: Fact) -> Key | None:
    if f.type == "figure" or not f.kind or not f.period:
        return None
    stages = ONCE.get(f.kind)
    if stages is None:
        return None
    stage = f.stage or ("signed" if f.kind == "bri-document" else None)
    if stage not in stages:
        return None
    if f.kind == "milestone" and not f.about:
        return None  # a project's step is only comparable when tied to its project
    name = f.name if f.kind == "fta" else (event_of(f) if f.kind == "milestone" else None)
    who = f.about if f.kind == "milestone" else tuple(sorted(f.countries))
    return (f.kind, stage, who, name)


# the events of one step of a project that its label may name: an inauguration and the start of
# commercial operation are both "operating", and are two events, each with its own date
EVENTS = (
    ("inauguration", ("inaugura",)),  # inaugurates, inauguration, inaugurado, inauguração
    ("commercial operation", ("commercial operation", "operacao comercial", "operacion comercial")),
)


def event_of(f: Fact) -> str | None:
    """The event a milestone's label names (EVENTS), or None: only facts naming the same event
    (or both none) are compared."""
    text = fold(f.label)
    for event, words in EVENTS:
        if any(w in text for w in words):
            return event
    return None


def _date_conflicts(facts: list[Fact], matches: dict[str, str] | None = None) -> list[Conflict]:
    alias = matches or {}

    def key_of(f: Fact) -> Key | None:  # a matched dataset record's steps are its project's
        key = _date_key(f)
        if key is not None and f.about in alias:
            key = (*key[:2], alias[f.about], *key[3:])
        return key

    groups = _grouped(facts, key_of)
    by_id: dict[str, Fact] = {}  # for a milestone's project name: made when first needed
    out = []
    for key, members in groups.items():
        spans = {f.id: parse_period(f.period or "..") for f in members}  # every member has a period (_date_key)
        disagreeing = [
            f for f in members
            if any(g.source.id != f.source.id and not spans[f.id].touches(spans[g.id].first, spans[g.id].last)
                   for g in members)
        ]
        if len(disagreeing) >= 2:
            disagreeing.sort(key=lambda f: (spans[f.id].first, spans[f.id].last, f.source.id, f.id))
            if not by_id:
                by_id.update((f.id, f) for f in facts)
            out.append(Conflict(_date_subject(disagreeing[0], key, by_id), "date", tuple(disagreeing)))
    return out


def _date_subject(f: Fact, key: Key, by_id: dict[str, Fact]) -> str:
    kind, stage = str(key[0]), str(key[1])
    if kind == "milestone":  # the project the key names (a matched dataset record's is the shipped project)
        target = by_id.get(str(key[2]))
        thing = (target.name or target.label) if target else key[2]
        return f"{thing}: {stage}, date"
    others = [c for c in f.countries if c != "CHN"] or list(f.countries)
    who = ", ".join(_short(c) for c in others)
    what = {
        "bri-document": "Belt and Road document",
        "fta": f.name or "free trade agreement",
        "aiib-membership": "AIIB membership",
        "clearing": "RMB clearing bank",
    }.get(kind, kind)
    return f"{who}: {what} {stage}, date"


# --- a project in both the shipped facts and a dataset -----------------------------------


_WORDS = re.compile(r"[a-z0-9]+")
_BRACKETS = re.compile(r"\([^)]*\)")


def _words(text: str) -> str:
    """' north south highway ': folded, a part in brackets dropped, words between single spaces."""
    return " " + " ".join(_WORDS.findall(fold(_BRACKETS.sub(" ", text)))) + " "


def dataset_matches(facts: list[Fact]) -> dict[str, str]:
    """Each dataset project (its id) that is a shipped project, to that project's id (the rule in the
    module's docstring)."""
    records: dict[str, list[tuple[str, str]]] = defaultdict(list)  # country -> (record id, title words)
    projects = []
    for f in facts:
        if f.type != "project":
            continue
        if f.source.id in DATASET_SOURCES:
            others = [c for c in f.countries if c != "CHN"]
            if len(others) == 1:
                records[others[0]].append((f.id, _words(f.label)))
        else:
            projects.append(f)
    if not records:
        return {}
    found: dict[str, list[str]] = defaultdict(list)  # record id -> shipped projects naming it
    for p in projects:
        name = _words(p.name or p.label)
        if name.count(" ") < 3:  # one word ("Metro") names too many things
            continue
        hits = [rid for c in dict.fromkeys(p.countries) if c != "CHN" for rid, title in records.get(c, ()) if name in title]
        if len(hits) == 1:
            found[hits[0]].append(p.id)
    return {rid: ps[0] for rid, ps in found.items() if len(ps) == 1}


@dataclass(frozen=True)
class BasisDifference:
    """A matched dataset record's amount and its project's stated financing on different price bases:
    not compared (constant 2021 US$ is not nominal)."""

    project: str  # the shipped project's name
    dataset: Fact
    stated: Fact


def _amount_pairs(facts: list[Fact], matches: dict[str, str]) -> list[tuple[str, Fact, Fact]]:
    """(project name, dataset amount, stated financing) for every matched record, same unit, comparable years."""
    if not matches:
        return []
    by_id = {f.id: f for f in facts if f.type == "project"}
    about: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.type == "figure" and f.about and f.value is not None and f.basis == "reported":
            about[f.about].append(f)
    out = []
    for rid, pid in matches.items():
        project = by_id[pid]
        for d in about.get(rid, ()):
            for s in about.get(pid, ()):
                if s.metric not in COMMITMENT_METRICS or s.unit != d.unit or s.source.id == d.source.id:
                    continue
                dy, sy = _first_year(d), _first_year(s)
                if dy is not None and sy is not None and dy != sy:
                    continue
                out.append((project.name or project.label, d, s))
    return out


def _first_year(f: Fact) -> int | None:
    if f.period:
        try:
            p = parse_period(f.period)
        except ValueError:
            return None
        return p.first.year if p.start is not None else None
    return parse_day(f.as_of).first.year if f.as_of else None


def _dataset_value_conflicts(facts: list[Fact], matches: dict[str, str]) -> list[Conflict]:
    out = []
    for name, d, s in _amount_pairs(facts, matches):
        if d.prices == s.prices and not _overlap(allowed(d), allowed(s)):
            out.append(Conflict(f"{name}: amount, {countries.name(_recipient(d))}", "value", (s, d)))
    return out


def basis_differences(facts: Iterable[Fact]) -> list[BasisDifference]:
    """The amounts of matched dataset records that are not compared with their project's stated financing
    because the two are on different price bases."""
    facts = list(facts)
    return [BasisDifference(name, d, s) for name, d, s in _amount_pairs(facts, dataset_matches(facts))
            if d.prices != s.prices]


def _recipient(f: Fact) -> str:
    return next((c for c in f.countries if c != "CHN"), "CHN")


# --- wording -------------------------------------------------------------------


def _short(code: str) -> str:
    return "LAC" if code == "LCN" else countries.name(code)


def _time_words(f: Fact) -> str:
    return period_label(f)


def _sort_time(f: Fact) -> date:
    if f.period:
        return parse_period(f.period).first
    if f.as_of:
        return parse_day(f.as_of).first
    return date.min
