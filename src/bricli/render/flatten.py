"""Flatten JSON-like records into a grid of text cells for csv and tsv.

Rules (the csv/tsv contract):
- nested dict keys are joined with "." (``{"source": {"id": "x"}}`` -> ``source.id``);
  an empty dict becomes one empty cell under its own key;
- a list becomes one cell, its items joined with ";" (an item that is itself a
  dict or list is written as compact JSON);
- None -> empty cell; bool -> ``true``/``false``; int/float -> ``str()`` (no
  thousands separators, no units);
- the header is the union of all keys in first-seen order; a record lacking a
  key gets an empty cell.
"""

from __future__ import annotations

from typing import Any

# A grid cell keeps whether it came from a real number, because csv_safe must
# leave numbers alone even when they start with "-".
Cell = tuple[str, bool]  # (text, is_number)


def scalar_text(value: Any) -> Cell:
    if value is None:
        return "", False
    if isinstance(value, bool):  # before int: bool is an int subclass
        return ("true" if value else "false"), False
    if isinstance(value, (int, float)):
        return str(value), True
    if isinstance(value, (dict, list, tuple)):
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":")), False
    return str(value), False


def flatten_record(record: dict, prefix: str = "") -> dict[str, Cell]:
    flat: dict[str, Cell] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten_record(value, name + "."))
        elif isinstance(value, dict):
            flat[name] = ("", False)
        elif isinstance(value, (list, tuple)):
            flat[name] = (";".join(scalar_text(item)[0] for item in value), False)
        else:
            flat[name] = scalar_text(value)
    return flat


def records_to_grid(records: list[dict]) -> tuple[list[str], list[list[Cell]]]:
    """Return (header, rows); every row has exactly len(header) cells."""
    flat_records = [flatten_record(record) for record in records]
    header: dict[str, None] = {}  # an ordered set
    for flat in flat_records:
        header.update(dict.fromkeys(flat))
    keys = list(header)
    rows = [[flat.get(key, ("", False)) for key in keys] for flat in flat_records]
    return keys, rows
