"""Arithmetic checks: do stated figures agree with each other within their precision?

Every stated figure is rounded, so each one stands for an interval (307.4 is
[307.35, 307.45]). A rule passes when the interval computed from the inputs
overlaps the interval of the stated result: bricli never flags a
disagreement that rounding alone can explain.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from bricli.model.facts import Fact, Number
from bricli.model.problems import Problem
from bricli.model.series import Interval, bounds, is_exact, prior_pairs, trade_triples, value_of
from bricli.model.wording import decimal_text

HUNDRED = Decimal(100)
Triple = tuple[Fact, Fact, "Fact | None"]  # exports, imports, total (see series.trade_triples)


def _overlap(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _add(a: Interval, b: Interval) -> Interval:
    return a[0] + b[0], a[1] + b[1]


def _div(a: Interval, b: Interval) -> Interval | None:
    if b[0] <= 0:
        return None
    return a[0] / b[1], a[1] / b[0]


def _growth(n: Number | None) -> Interval:
    """A stated change of 18.9% as the factor interval [1.1885, 1.1895]."""
    if n is None:
        raise ValueError("no stated change")  # callers pass figures that state one
    return _growth_of(n.text)


@lru_cache(maxsize=65536)
def _growth_of(text: str) -> Interval:
    lo, hi = bounds(Number(text))
    return 1 + lo / HUNDRED, 1 + hi / HUNDRED


def _fmt(iv: Interval, digits: int = 4) -> str:
    return f"{decimal_text(iv[0], digits)}..{decimal_text(iv[1], digits)}"


def _problem(rule: str, f: Fact, field: str, message: str, hint: str) -> Problem:
    return Problem(rule, f.loc.file, f.loc.line, message, hint, f.id, field)


def check_sums(facts: list[Fact], triples: list[Triple] | None = None) -> list[Problem]:
    """exports + imports = total, for the same source, countries and period."""
    out = []
    for exp, imp, total in trade_triples(facts) if triples is None else triples:
        if total is None:
            continue
        parts = _add(bounds(value_of(exp), exp.scale), bounds(value_of(imp), imp.scale))
        stated = bounds(value_of(total), total.scale)
        if not _overlap(parts, stated):
            out.append(_problem("sum", total, "value",
                                f"exports {exp.id} ({exp.value} {exp.scale}) + imports {imp.id} ({imp.value} {imp.scale}) "
                                f"do not add up to the total {total.value} {total.scale}",
                                "check the three values against the source"))
    return out


def check_shares(facts: list[Fact]) -> list[Problem]:
    """A stated share against the ratio of the two stated figures it names."""
    by_id: dict[str, Fact] | None = None  # built only if some fact states a share
    out = []
    for f in facts:
        if not f.ratio_of or f.value is None:
            continue
        if by_id is None:
            by_id = {g.id: g for g in facts}
        part, whole = (by_id.get(i) for i in f.ratio_of)
        if part is None or whole is None:
            continue  # reported by integrity
        if f.unit != "percent":
            out.append(_problem("share", f, "unit", "a share with ratio_of must be in percent", "set unit: percent"))
            continue
        if not (is_exact(part) and is_exact(whole)) or part.unit != whole.unit:
            out.append(_problem("share", f, "ratio_of",
                                "ratio_of must name two exact figures in the same unit", "name exact figures of the same unit"))
            continue
        ratio = _div(bounds(value_of(part), part.scale), bounds(value_of(whole), whole.scale))
        if ratio is None:
            continue
        computed = (ratio[0] * HUNDRED, ratio[1] * HUNDRED)
        if not _overlap(computed, bounds(f.value)):
            out.append(_problem("share", f, "value",
                                f"stated share {f.value}% but {part.id} / {whole.id} = {_fmt(computed, 2)}%",
                                "check the share and the two figures against the source"))
    return out


def check_growth(facts: list[Fact]) -> list[Problem]:
    """A stated change against the prior period's figure, where the base has it."""
    out = []
    for cur, before in prior_pairs(facts):
        ratio = _div(bounds(value_of(cur), cur.scale), bounds(value_of(before), before.scale))
        if ratio is None:
            continue
        if not _overlap(ratio, _growth(cur.change_pct)):
            computed = ((ratio[0] - 1) * HUNDRED, (ratio[1] - 1) * HUNDRED)
            out.append(_problem("growth", cur, "change_pct",
                                f"stated change {cur.change_pct}% but {before.id} -> {cur.id} gives {_fmt(computed, 2)}%",
                                "check the change and both figures against the source"))
    return out


def check_growth_of_parts(facts: list[Fact], triples: list[Triple] | None = None) -> list[Problem]:
    """Prior-period values implied by the growth rates of exports and imports must add up
    to the one implied by the growth rate of the total."""
    out = []
    for exp, imp, total in trade_triples(facts) if triples is None else triples:
        if total is None or None in (exp.change_pct, imp.change_pct, total.change_pct):
            continue
        implied = [_div(bounds(value_of(f), f.scale), _growth(f.change_pct)) for f in (exp, imp, total)]
        exp_before, imp_before, total_before = implied
        if exp_before is None or imp_before is None or total_before is None:
            continue
        if not _overlap(_add(exp_before, imp_before), total_before):
            out.append(_problem("growth", total, "change_pct",
                                f"the growth rates of {exp.id} and {imp.id} imply a prior-period total that the "
                                f"growth rate of {total.id} ({total.change_pct}%) does not",
                                "check the three growth rates against the source"))
    return out


RULES = {
    "sum": check_sums,
    "share": check_shares,
    "growth": check_growth,
    "growth-of-parts": check_growth_of_parts,
}


def check_arithmetic(facts: list[Fact]) -> list[Problem]:
    """Every rule of RULES. Every command runs this on the whole base, so the figures are
    sorted out once: only exact figures take part, and the trade triples serve two rules."""
    exact = [f for f in facts if is_exact(f)]
    triples = list(trade_triples(exact))
    return [*check_sums(exact, triples), *check_shares(facts), *check_growth(exact), *check_growth_of_parts(exact, triples)]
