"""Plain output for pipes and grep: a header line, then one TAB-separated line per row.

No title, footer, colour or box drawing. Every field goes through
`escape_line_field` (so a record is always exactly one line and one field per
column) and then `terminal_safe` (so no control character reaches a terminal).
"""

from __future__ import annotations

import re

from bricli.present.listing import Listing, display_cell
from bricli.render.sanitize import escape_line_field, terminal_safe
from bricli.render.delimited import neutralise_formula


def _field(text: str) -> str:
    # Escape first: terminal_safe's own escapes contain backslashes that must stay single.
    return terminal_safe(escape_line_field(text))


def render_plain(listing: Listing, header: bool = True, *, csv_safe: bool = False) -> str:
    """With csv_safe (`-o FILE.txt`: a spreadsheet opens tab-separated text too), a cell a
    spreadsheet would run as a formula gets a leading ', as in csv and tsv; a figure such
    as +18.9% or -3 is left alone."""
    field = _safe_field if csv_safe else _field
    lines = ["\t".join(field(column.header) for column in listing.columns)] if header else []
    for row in listing.rows:
        lines.append("\t".join(field(display_cell(row, column.key)) for column in listing.columns))
    return "".join(line + "\n" for line in lines)


_FIGURE = re.compile(r"[+\-\u2212]?[0-9][0-9,.]*%?")


def _safe_field(text: str) -> str:
    return _field(text if _FIGURE.fullmatch(text) else neutralise_formula(text))
