"""The machine contract: one JSON-able record per fact or derived value.

Field names here are a public interface for scripts (documented in the
README, "JSON output"); renaming one breaks users. Numbers are JSON
numbers; `value` is as stated, `value_base` is in whole units (US dollars,
people) so scripts can add and compare.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bricli.analysis.contract import FIELDS
from bricli.analysis.derive import Derived
from bricli.model.facts import Fact, FactBase, Number, Source, SourceRef
from bricli.model.vocab import SCALES
from bricli.model.wording import is_partial, period_label, value_text


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _number(n: Number | None) -> int | float | None:
    return None if n is None else n.as_json()


def _period(item: Fact | Derived) -> tuple[str | None, str | None]:
    if item.period:
        return item.period, "span"
    if item.as_of:
        return item.as_of, "point"
    return None, None


def record(item: Fact | Derived, base: FactBase) -> dict[str, Any]:
    if isinstance(item, Derived):
        return derived_record(item, base)
    f = item
    period, ptype = _period(f)
    src = base.sources.get(f.source.id)
    return {
        "id": f.id,
        "derived": False,
        "type": f.type,
        "topic": f.topic,
        "kind": f.kind,
        "label": f.label,
        "name": f.name,
        "description": f.description,
        "rationale": f.rationale,
        "countries": list(f.countries),
        "period": period,
        "period_type": ptype,
        "period_label": period_label(f) or None,
        "partial": is_partial(f),
        "when": f.when,
        "metric": f.metric,
        "direction": f.direction,
        "measure": f.measure,
        "value": _number(f.value),
        "value_max": _number(f.value_max),
        "unit": f.unit,
        "scale": f.scale if f.value is not None else None,
        "value_base": _num(f.value.decimal * SCALES[f.scale]) if f.value is not None else None,
        "qualifier": f.qualifier if f.value is not None else None,
        "basis": f.basis if f.type == "figure" else None,
        "stat_basis": f.stat_basis if f.type == "figure" else None,
        "prices": f.prices if f.value is not None else None,
        "aggregates": f.aggregates if f.value is not None else None,
        "counted": f.counted,
        "value_text": value_text(f) or None,
        "change_pct": _number(f.change_pct),
        "term_years": _number(f.term_years),
        "sector": f.sector,
        "status": f.status,
        "stage": f.stage,
        "about": f.about,
        "participants": list(f.participants),
        "role": f.role,
        "source": record_source(f.source.id, src, f.source),
        "note": f.note,
        "correction": f.correction,
        "revises": f.revises,
        "formula": None,
        "inputs": [],
    }


def derived_record(d: Derived, base: FactBase) -> dict[str, Any]:
    period, ptype = _period(d)
    src = base.sources.get(d.source_id)
    shown = Decimal(d.value_text)
    rec = dict.fromkeys(FIELDS)
    rec.update({
        "id": d.id,
        "derived": True,
        "type": "derived",
        "topic": d.topic,
        "kind": d.kind,
        "label": d.label,
        "countries": list(d.countries),
        "period": period,
        "period_type": ptype,
        "period_label": period_label(d) or None,
        "partial": is_partial(d),
        "when": d.when,
        "metric": d.metric,
        "direction": d.direction,
        "value": _num(shown),
        "unit": d.unit,
        "scale": d.scale,
        "value_base": _num(shown * SCALES[d.scale]),
        "qualifier": "about" if d.approximate else "exact",
        "basis": "derived",
        "prices": d.prices,
        "value_text": d.display(),
        "participants": [],
        "source": record_source(d.source_id, src),
        "note": d.note,
        "formula": d.formula,
        "inputs": list(d.inputs),
    })
    return rec


def record_source(source_id: str, src: Source | None, ref: SourceRef | None = None, *, standing: bool = False) -> dict[str, Any]:
    """A record's `source` (the one source block of the JSON records): the registry's title, date and url
    of `source_id` (None where the registry lacks it), and the fact's section, quote and translation (`ref`;
    None for a derived value). With `standing`, also who publishes it and how reliable it is (the conflicts'
    records, where who says what matters), in that order: id, title, publisher, date, reliability, url."""
    block: dict[str, Any] = {"id": source_id, "title": src.title if src else None}
    if standing:
        block["publisher"] = src.publisher if src else None
    block["date"] = src.date if src else None
    if standing:
        block["reliability"] = src.reliability if src else None
    block["url"] = src.url if src else None
    block["section"] = ref.section if ref else None
    block["quote"] = ref.quote if ref else None
    block["translation"] = ref.translation if ref else None
    return block


def source_record(s: Source, facts: int) -> dict[str, Any]:
    """One source as `bricli sources` prints it in the machine formats; `facts` counts the facts citing it."""
    return {
        "id": s.id, "title": s.title, "author": s.author, "publisher": s.publisher, "date": s.date,
        "date_estimated": s.date_estimated, "url": s.url, "kind": s.kind, "language": s.language,
        "reliability": s.reliability, "reproduces": s.reproduces, "retrieved": s.retrieved,
        "note": s.note, "facts": facts,
    }
