"""Plain output for pipes and grep: a header line, then one TAB-separated line per row.

No title, footer, colour or box drawing. Every field goes through
`escape_line_field` (so a record is always exactly one line and one field per
column) and then `terminal_safe` (so no control character reaches a terminal).
"""

from __future__ import annotations

from bricli.present.listing import Listing, display_cell
from bricli.render.sanitize import escape_line_field, terminal_safe


def _field(text: str) -> str:
    # Escape first: terminal_safe's own escapes contain backslashes that must stay single.
    return terminal_safe(escape_line_field(text))


def render_plain(listing: Listing, header: bool = True) -> str:
    lines = ["\t".join(_field(column.header) for column in listing.columns)] if header else []
    for row in listing.rows:
        lines.append("\t".join(_field(display_cell(row, column.key)) for column in listing.columns))
    return "".join(line + "\n" for line in lines)
