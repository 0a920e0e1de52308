"""The machine contract's field names: the keys of a fact's record (analysis/records.py builds
it), in the order json prints them, and those of its source block. A public interface for
scripts (the README, "JSON output"): renaming one breaks users. Kept apart from records.py,
which needs the fact model, so that a listing of stored records names its fields without it."""

from __future__ import annotations

FIELDS = (
    "id", "derived", "type", "topic", "kind", "label", "name", "description", "rationale", "countries",
    "period", "period_type", "period_label", "partial", "when",
    "metric", "direction", "measure", "value", "value_max", "unit", "scale", "value_base", "qualifier",
    "basis", "stat_basis", "prices", "aggregates", "counted", "value_text", "change_pct", "term_years",
    "sector", "status", "stage", "about", "participants", "role",
    "source", "note", "correction", "revises", "formula", "inputs",
)

SOURCE_FIELDS = ("id", "title", "date", "url", "section", "quote", "translation")
