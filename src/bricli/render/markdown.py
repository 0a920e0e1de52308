"""GitHub-flavoured Markdown output, and the escaping helpers the report generator reuses.

`escape_markdown_cell` makes any text a literal table cell: what a Markdown
renderer shows is the original text, and the cell can never split, merge or
add a column. Rules, in order:
1. CR LF, CR and LF each become one space (a table row is one line; no raw
   ``<br>``: no HTML passes through);
2. `terminal_safe`: control and bidi characters become visible escapes
   (``\\x1b``, ``\\u202e``);
3. leading and trailing whitespace is stripped (Markdown would drop it anyway);
4. ``\\`` and the punctuation that can start Markdown syntax inside a line
   (`` | [ ] ` * _ ~ $ ``) get a backslash; ``&``, ``<``, ``>`` become
   ``&amp;``, ``&lt;``, ``&gt;`` (no entity, autolink or HTML can form).
Not neutralised: GitHub's bare-URL autolinks, ``:emoji:`` shortcodes and
``@mentions`` (the text still reads the same).

`escape_markdown_inline` applies the same rules to text used as a whole line
(a list item or a paragraph line), and also escapes what would start a block
at the beginning of the line: ``-``, ``+``, ``#``, ``=`` (setext underline),
``:`` (table delimiter row) and an ordered-list marker such as ``1.`` or ``1)``
(``>``, ``*``, ``_``, ``|`` and backticks are already escaped everywhere).
"""

from __future__ import annotations

import re
import unicodedata

from bricli.render.listing import Listing, display_cell
from bricli.render.sanitize import terminal_safe

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BACKSLASHED = "\\|[]`*_~$"
_INLINE_ESCAPES = str.maketrans(
    {**{ch: "\\" + ch for ch in _BACKSLASHED}, "&": "&amp;", "<": "&lt;", ">": "&gt;"}
)
_BLOCK_START = re.compile(r"[-+#=:]|(\d{1,9})([.)])")


def join_lines(text: str) -> str:
    """The documented newline rule: CR LF, CR and LF each become one space."""
    return _LINE_BREAK.sub(" ", text)


def escape_markdown_cell(text: str) -> str:
    return terminal_safe(join_lines(text)).strip().translate(_INLINE_ESCAPES)


def escape_markdown_inline(text: str) -> str:
    escaped = escape_markdown_cell(text)
    marker = _BLOCK_START.match(escaped)
    if marker is None:
        return escaped
    if marker.group(1):  # "1." -> "1\." : the digits stay, the list marker goes
        return f"{marker.group(1)}\\{marker.group(2)}{escaped[marker.end():]}"
    return "\\" + escaped


def _display_width(text: str) -> int:
    # Enough for padding source columns: wide East Asian characters take two
    # cells, combining marks none. Markdown renderers ignore padding anyway.
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _display_width(text))
    return fill + text if right else text + fill


def render_markdown(listing: Listing) -> str:
    """A GFM pipe table of the display columns, then the footer as one paragraph.

    The title is left to callers (they choose the heading level). Numeric
    columns are right-aligned. No columns -> no table, only the footer.
    """
    columns = listing.columns
    blocks: list[str] = []
    if columns:
        grid = [[escape_markdown_cell(c.header) for c in columns]]
        grid += [[escape_markdown_cell(display_cell(row, c.key)) for c in columns] for row in listing.rows]
        # at least 3 wide so the delimiter row "---" fits
        widths = [max(3, *(_display_width(row[i]) for row in grid)) for i in range(len(columns))]
        rights = [c.numeric for c in columns]

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(_pad(t, w, r) for t, w, r in zip(cells, widths, rights)) + " |"

        delimiter = ["-" * (w - 1) + ":" if r else "-" * w for w, r in zip(widths, rights)]
        table = [line(grid[0]), "| " + " | ".join(delimiter) + " |"]
        table += [line(row) for row in grid[1:]]
        blocks.append("\n".join(table))
    footer = [escape_markdown_inline(text) for text in listing.footer]
    footer = [text for text in footer if text]  # an empty line would end the paragraph
    if footer:
        # A trailing backslash is a hard line break: one paragraph, one line per footer entry.
        blocks.append("\\\n".join(footer))
    return "\n\n".join(blocks) + "\n" if blocks else ""
