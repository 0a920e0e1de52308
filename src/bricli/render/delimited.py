"""csv and tsv output of the records (the machine contract, not the display rows).

Cells come from `flatten.records_to_grid` (see its rules). Text is written as is:
these are data files, so no terminal sanitising happens here.

csv: the standard `csv` module, QUOTE_MINIMAL, and "\\n" as line terminator
(Unix-friendly; a field holding CR or LF is quoted, so `csv.reader` reads it back;
open the text with newline="" as the csv docs say).
tsv: the same cells, TAB-separated, with backslash, TAB, LF and CR escaped as
``\\\\``, ``\\t``, ``\\n``, ``\\r`` so each record is one line.
No records -> the header line alone (from the listing's fields), so a reader still sees the columns.
`header=False` (--no-header) leaves the header line out.

csv_safe=True guards against spreadsheet formula injection: a text cell that
starts with ``=``, ``+``, ``-``, ``@``, TAB or CR gets a leading ``'``. Cells from
real numbers (-5, -3.2) are left alone, and so is a text cell that is entirely a
plain decimal number such as "-5" or "+1.5e3": a spreadsheet reads those as
numbers, never as formulas. Header cells follow the same rule.
"""

from __future__ import annotations

import re

from typing import Any
import json
import csv
import io
from bricli.render.sanitize import escape_line_field

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")



# --- flattening records into a grid ---------------------------------------
# Flatten JSON-like records into a grid of text cells for csv and tsv.
#
# Rules (the csv/tsv contract):
# - nested dict keys are joined with "." (``{"source": {"id": "x"}}`` -> ``source.id``);
#   an empty dict becomes one empty cell under its own key;
# - a list becomes one cell, its items joined with ";" (an item that is itself a
#   dict or list is written as compact JSON);
# - None -> empty cell; bool -> ``true``/``false``; int/float -> ``str()`` (no
#   thousands separators, no units);
# - the header is the union of all keys in first-seen order; a record lacking a
#   key gets an empty cell.

# A grid cell keeps whether it came from a real number, because csv_safe must
# leave numbers alone even when they start with "-".
CellText = tuple[str, bool]  # (text, is_number)


def scalar_text(value: Any) -> CellText:
    if value is None:
        return "", False
    if isinstance(value, bool):  # before int: bool is an int subclass
        return ("true" if value else "false"), False
    if isinstance(value, (int, float)):
        return str(value), True
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")), False
    return str(value), False


def flatten_record(record: dict, prefix: str = "") -> dict[str, CellText]:
    flat: dict[str, CellText] = {}
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


def records_to_grid(records: list[dict], fields: tuple[str, ...] = ()) -> tuple[list[str], list[list[CellText]]]:
    """Return (header, rows); every row has exactly len(header) cells. With no records the
    header comes from `fields` (a nested field such as `source` stands for its `source.*`)."""
    flat_records = [flatten_record(record) for record in records]
    header: dict[str, None] = {}  # an ordered set
    if not records:
        parts = {f: [g for g in fields if g.startswith(f + ".")] for f in fields}
        for f in fields:  # as flattening a record would order them: source.* where source is
            header.update(dict.fromkeys(parts[f] or [f]))
    for flat in flat_records:
        header.update(dict.fromkeys(flat))
    keys = list(header)
    rows = [[flat.get(key, ("", False)) for key in keys] for flat in flat_records]
    return keys, rows


def neutralise_formula(text: str, is_number: bool = False) -> str:
    if is_number or not text.startswith(_FORMULA_START) or _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def _text_grid(records: list[dict], csv_safe: bool, header: bool, fields: tuple[str, ...]) -> list[list[str]]:
    keys, rows = records_to_grid(records, fields)
    grid: list[list[CellText]] = ([[(key, False) for key in keys]] if header and (keys or records) else []) + rows
    if csv_safe:
        return [[neutralise_formula(text, is_number) for text, is_number in row] for row in grid]
    return [[text for text, _ in row] for row in grid]


def render_csv(records: list[dict], *, csv_safe: bool = False, header: bool = True, fields: tuple[str, ...] = ()) -> str:
    # The csv module quotes only the characters of its own line terminator, so
    # with "\n" a lone CR in a field would go out unquoted and break reading it
    # back. Write each row with "\r\n" (quotes both CR and LF), then swap the
    # terminator for "\n".
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    lines = []
    for row in _text_grid(records, csv_safe, header, fields):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def render_tsv(records: list[dict], *, csv_safe: bool = False, header: bool = True, fields: tuple[str, ...] = ()) -> str:
    lines = ("\t".join(escape_line_field(text) for text in row) for row in _text_grid(records, csv_safe, header, fields))
    return "".join(line + "\n" for line in lines)
