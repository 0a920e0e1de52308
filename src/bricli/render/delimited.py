"""csv and tsv output of the records (the machine contract, not the display rows).

Cells come from `flatten.records_to_grid` (see its rules). Text is written as is:
these are data files, so no terminal sanitising happens here.

csv: the standard `csv` module, QUOTE_MINIMAL, and "\\n" as line terminator
(Unix-friendly; a field holding CR or LF is quoted, so `csv.reader` reads it back;
open the text with newline="" as the csv docs say).
tsv: the same cells, TAB-separated, with backslash, TAB, LF and CR escaped as
``\\\\``, ``\\t``, ``\\n``, ``\\r`` so each record is one line.
No records -> empty output (there is no header to print).

csv_safe=True guards against spreadsheet formula injection: a text cell that
starts with ``=``, ``+``, ``-``, ``@``, TAB or CR gets a leading ``'``. Cells from
real numbers (-5, -3.2) are left alone, and so is a text cell that is entirely a
plain decimal number such as "-5" or "+1.5e3": a spreadsheet reads those as
numbers, never as formulas. Header cells follow the same rule.
"""

from __future__ import annotations

import re

from bricli.render.flatten import Cell, records_to_grid

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_formula(text: str, is_number: bool = False) -> str:
    if is_number or not text.startswith(_FORMULA_START) or _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def _text_grid(records: list[dict], csv_safe: bool) -> list[list[str]]:
    header, rows = records_to_grid(records)
    grid: list[list[Cell]] = [[(key, False) for key in header], *rows]
    if csv_safe:
        return [[neutralise_formula(text, is_number) for text, is_number in row] for row in grid]
    return [[text for text, _ in row] for row in grid]


def render_csv(records: list[dict], *, csv_safe: bool = False) -> str:
    if not records:
        return ""
    import csv
    import io

    # The csv module quotes only the characters of its own line terminator, so
    # with "\n" a lone CR in a field would go out unquoted and break reading it
    # back. Write each row with "\r\n" (quotes both CR and LF), then swap the
    # terminator for "\n".
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    lines = []
    for row in _text_grid(records, csv_safe):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def render_tsv(records: list[dict], *, csv_safe: bool = False) -> str:
    if not records:
        return ""
    from bricli.render.sanitize import escape_line_field

    lines = ("\t".join(escape_line_field(text) for text in row) for row in _text_grid(records, csv_safe))
    return "".join(line + "\n" for line in lines)
