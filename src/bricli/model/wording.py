"""How facts read to people: "more than US$410 billion", "2019 Jan–Nov", "end-2017".

The digits are always the stated ones (Number.text), never reformatted, so
what bricli prints can be found in the source.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from functools import lru_cache

from bricli.model.facts import Fact, FactLike, Number, Source
from bricli.model.periods import parse_day, parse_period, point_label

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "nearly": "nearly",
    "more-than": "more than",
    "less-than": "less than",
    "at-least": "at least",
    "at-most": "at most",
    "up-to": "up to",
    "range": "",
}
CURRENCY_PREFIX = {"USD": "US$", "CNY": "CN¥", "EUR": "€", "BRL": "R$", "ARS": "ARS ", "CLP": "CLP ", "MXN": "MXN ", "PEN": "PEN ", "COP": "COP "}
# for tables at 80 columns: "US$307.4 bn" (the digits stay exactly the stated ones)
SHORT_SCALE = {"thousand": "thousand", "million": "mn", "billion": "bn", "trillion": "tn"}


def group_thousands(digits: str) -> str:
    """33188 -> 33,188 (as the source prints it); decimals and ranges untouched otherwise."""
    if "–" not in digits:  # one number, as nearly every figure states
        return _grouped(digits)
    return "–".join(_grouped(p) for p in digits.split("–"))


def _grouped(number: str) -> str:
    whole, dot, frac = number.partition(".")
    if len(whole) < 4 or not whole.isdigit():
        return number
    return f"{int(whole):,}{dot}{frac}"


def amount(text: str, unit: str | None, scale: str, counted: str | None = None, short: bool = False) -> str:
    """One number with its unit and scale: US$148.79 billion, 6.7%, 1.3 million, 33,188 enterprises
    (`short`: US$148.79 bn)."""
    negative = text.startswith("-")
    digits = group_thousands(text.lstrip("-"))
    scale_word = "" if scale == "one" else f" {SHORT_SCALE.get(scale, scale) if short else scale}"
    if unit in CURRENCY_PREFIX:
        out = f"{CURRENCY_PREFIX[unit]}{digits}{scale_word}"
    elif unit == "percent":
        out = f"{digits}%{'' if scale == 'one' else scale_word}"
    else:
        out = f"{digits}{scale_word}"
        if counted:
            out += f" {counted}"
    return f"−{out}" if negative else out


def value_text(f: Fact, short: bool = False, amount_only: bool = False) -> str:
    """The value as the source states it, qualifier first (`short`: bn, mn, tn for the scale;
    `amount_only`: the number and its unit alone, "US$410 bn": what a table keeps on one line,
    while the qualifier may wrap above it)."""
    if f.value is None:
        return ""
    digits = f.value.text
    if f.qualifier == "range" and f.value_max is not None:
        digits = f"{digits}–{f.value_max.text}"
    text = amount(digits, f.unit, f.scale, None if amount_only else f.counted, short)
    if amount_only:
        return text
    word = QUALIFIER_WORDS.get(f.qualifier, "")
    if word:
        text = f"{word} {text}"
    if f.basis != "reported":
        text += f" ({f.basis})"
    return text


def unit_label(f: Fact, scale: str | None = None) -> str:
    """What a chart's axis counts, in the words `amount` uses: "US$ billion", "%", "Confucius
    Institutes" (what is counted), "people"; in `scale` when the chart is drawn in another scale than
    the fact's own. The one unit label of `--chart` and the brief's charts."""
    if f.unit in CURRENCY_PREFIX:
        unit = CURRENCY_PREFIX[f.unit]
    elif f.unit == "percent":
        unit = "%"
    elif f.unit == "count":
        unit = f.counted or "count"
    else:
        unit = f.unit or ""
    scale = scale or f.scale
    return " ".join(x for x in (unit, "" if scale == "one" else scale) if x) or "value"


def change_text(n: Number | None) -> str:
    if n is None:
        return ""
    d = n.decimal
    sign = "+" if d > 0 else ("−" if d < 0 else "±")
    return f"{sign}{n.text.lstrip('-')}%"


def period_label(f: FactLike) -> str:
    """'2018', '2019 Jan–Nov', 'end-2017', 'by Nov 2019', or the source's own words."""
    if f.period:
        return _period_words(f.period)
    if f.as_of:
        return _point_words(f.as_of)
    return f.when or ""


# a base repeats a few hundred period strings across thousands of facts, each labelled several times
@lru_cache(maxsize=65536)
def _period_words(period: str) -> str:
    return parse_period(period).label()


@lru_cache(maxsize=65536)
def _point_words(as_of: str) -> str:
    return point_label(parse_day(as_of))


def is_partial(f: FactLike) -> bool:
    """A figure over part of a year (Jan-Nov 2019): never to be read as the whole year."""
    return f.type in ("figure", "derived") and bool(f.period) and _partial_period(f.period)


@lru_cache(maxsize=65536)
def _partial_period(text: str) -> bool:
    # a base repeats a few hundred period strings across thousands of facts
    return parse_period(text).is_partial


def period_text(f: FactLike) -> str:
    label = period_label(f)
    return f"{label} (partial)" if is_partial(f) else label


def kind_text(f: Fact) -> str:
    """What sort of row this is, the same way for every row: "figure: exports",
    "figure: tourism", "tie: media", "project: port, operating"."""
    if f.type == "figure":
        detail = f.kind or " ".join(x for x in (f.direction, f.measure) if x) or f.metric or ""
        if f.stat_basis != "unstated":  # whose statistics: "figure: total (mofcom)"
            detail += f" ({f.stat_basis})"
    else:
        detail = ", ".join(x for x in (f.kind, f.status, f.stage) if x)
    return f"{f.type}: {detail}" if detail else f.type


def source_line(s: Source) -> str:
    date = s.date + (" (estimated)" if s.date_estimated else "")
    who = ", ".join(x for x in (s.author, s.publisher) if x)
    parts = [f"{s.id}: \u201c{s.title}\u201d", who, date, s.url or ""]
    return "Source " + ", ".join(p for p in parts if p)


def decimal_text(d: Decimal, places: int) -> str:
    """A computed number shown to `places` decimals (derived values only)."""
    q = Decimal(1).scaleb(-places)
    with localcontext() as ctx:  # enough digits for any quantity the limits allow, never InvalidOperation
        ctx.prec = max(ctx.prec, d.adjusted() + places + 2)
        return format(d.quantize(q), "f")
