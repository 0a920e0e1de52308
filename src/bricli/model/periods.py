"""Periods and points in time, in ISO 8601 form, and how they read to people.

A period is what a flow figure covers: a year ("2018"), a month, a day, or
an interval ("2019-01/2019-11", "2012/.."). A point (`as_of`) is when a
stock or running total was measured ("2017-12-31" reads "end-2017").
Partial years stay partial: "2019-01/2019-11" never reads as "2019".
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from dataclasses import dataclass
from collections.abc import Iterable
from datetime import date

from bricli.model.facts import FactLike

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
OPEN = ".."


@dataclass(frozen=True, slots=True)
class Day:
    """A date at year, month or day precision, with its first and last day."""

    text: str
    year: int
    month: int | None
    day: int | None

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


# Parsed values are immutable and a base repeats the same few periods many
# times (queries parse them per fact), so both parsers remember recent answers.
@lru_cache(maxsize=65536)
def parse_day(text: str) -> Day:
    """'2019', '2019-11' or '2019-11-05'; raises ValueError with a readable reason."""
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    try:
        if month == 0 or day == 0:  # 2023-00 is no month (not the whole year 2023)
            raise ValueError
        date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None
    return Day(text, year, month or None, day or None)


@dataclass(frozen=True, slots=True)
class Period:
    text: str
    start: Day | None  # None: open start ("../2019")
    end: Day | None  # None: open end ("2012/..")

    @property
    def first(self) -> date:
        return self.start.first if self.start else date.min

    @property
    def last(self) -> date:
        return self.end.last if self.end else date.max

    @property
    def is_interval(self) -> bool:
        return "/" in self.text

    @property
    def is_partial(self) -> bool:
        """True when it does not cover whole calendar years (Jan-Nov 2019, a month)."""
        if self.start is None or self.end is None:
            return False
        first, last = self.first, self.last
        return not (first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31)

    def touches(self, first: date, last: date) -> bool:
        return self.first <= last and self.last >= first

    def label(self) -> str:
        if not self.is_interval:
            return day_label(self.start)  # type: ignore[arg-type]
        s, e = self.start, self.end
        if s is None:  # happened at some time up to the end: a bound, not a date
            end_of_year = e.month in (None, 12) and e.day in (None, 31)  # type: ignore[union-attr]
            return f"by end-{e.year}" if end_of_year else f"by {day_label(e)}"  # type: ignore[union-attr, arg-type]
        if e is None:
            return f"since {day_label(s)}"
        if s.year == e.year and s.month and e.month and not s.day and not e.day:
            if s.month == 1 and e.month == 12:
                return str(s.year)
            return f"{s.year} {MONTHS[s.month - 1]}–{MONTHS[e.month - 1]}"
        if not s.month and not e.month:
            return f"{s.year}–{e.year}"
        return f"{day_label(s)} – {day_label(e)}"


@lru_cache(maxsize=65536)
def parse_period(text: str) -> Period:
    if "/" not in text:
        d = parse_day(text)
        return Period(text, d, d)
    left, _, right = text.partition("/")
    start = None if left == OPEN else parse_day(left)
    end = None if right == OPEN else parse_day(right)
    if start is None and end is None:
        raise ValueError(f"'{text}' is open at both ends")
    if start and end and start.first > end.last:
        raise ValueError(f"'{text}' ends before it starts")
    return Period(text, start, end)


def day_label(d: Day) -> str:
    if d.day:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"  # type: ignore[operator]  # a day always has a month
    if d.month:
        return f"{MONTHS[d.month - 1]} {d.year}"
    return str(d.year)


def point_label(d: Day) -> str:
    """How a point in time reads: 'end-2017', 'by Nov 2019', 'as of 5 Nov 2019'."""
    if d.month == 12 and d.day == 31:
        return f"end-{d.year}"
    if d.day:
        return f"as of {day_label(d)}"
    if d.month:
        return f"by {day_label(d)}"
    return f"in {d.year}"


def prior(p: Period) -> Period | None:
    """The same span one year earlier: 2018 for 2018's figure, Jan-Nov 2018 for Jan-Nov 2019."""
    if p.start is None or p.end is None or p.start.year <= 1:  # there is no year 0
        return None
    return parse_period(_shift(p.text, p.start, p.end))


def _shift(text: str, s: Day, e: Day) -> str:
    def back(d: Day) -> str:
        if d.month == 2 and d.day == 29:
            return f"{d.year - 1:04d}-02-28"
        return f"{d.year - 1:04d}" + d.text[4:]

    return back(s) if "/" not in text else f"{back(s)}/{back(e)}"


def years_covered(facts: Iterable[FactLike]) -> list[int]:
    """Every calendar year some fact's period or point touches (open ends left out)."""
    years: set[int] = set()
    for f in facts:
        try:
            if f.period:
                p = parse_period(f.period)
                if p.start is None or p.end is None:
                    continue
                years.update(range(p.start.year, p.end.year + 1))
            elif f.as_of:
                years.add(parse_day(f.as_of).year)
        except ValueError:
            continue
    return sorted(years)
