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
5. a bare URL (``https://…``, ``www.…``), an e-mail address or an ``@mention``
   becomes a code span (`` `@user` ``): the same characters, in a code font,
   which GitHub neither turns into a link nor a notification (a backslash
   before ``@`` or ``:`` would not stop GitHub's mention and autolink passes).
Not neutralised: ``:emoji:`` shortcodes and ``#123`` issue references (the
text still reads the same).

`escape_markdown_inline` applies the same rules to text used as a whole line
(a list item or a paragraph line), and also escapes what would start a block
at the beginning of the line: ``-``, ``+``, ``#``, ``=`` (setext underline),
``:`` (table delimiter row) and an ordered-list marker such as ``1.`` or ``1)``
(``>``, ``*``, ``_``, ``|`` and backticks are already escaped everywhere).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from bricli.present.listing import Listing, display_cell
from bricli.render.sanitize import terminal_safe

try:
    import wcwidth
except ImportError:  # optional, as for tabulate: then a cell's width is its length
    wcwidth = None  # type: ignore[assignment]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Rule 4, applied in this order by str.replace (much faster than str.translate on long non-ASCII
# text): the backslash first, "&" before the entities that bring one.
_INLINE_ESCAPES = {
    "\\": "\\\\", **{ch: "\\" + ch for ch in "|[]`*_~$"}, "&": "&amp;", "<": "&lt;", ">": "&gt;",
}
_BLOCK_START = re.compile(r"[-+#=:]|(\d{1,9})([.)])")


def join_lines(text: str) -> str:
    """The documented newline rule: CR LF, CR and LF each become one space."""
    if "\n" not in text and "\r" not in text:  # most text: no regex to run
        return text
    return _LINE_BREAK.sub(" ", text)


# A run of the characters a URL, an e-mail address or an @mention is made of (no
# space, backtick, pipe, backslash or angle bracket); one that holds a link trigger
# becomes a code span, which GitHub neither autolinks nor reads as a mention.
_URL_RUN = re.compile(r"[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+")
_LINK_TRIGGER = re.compile(r"[A-Za-z]://|@[A-Za-z0-9]|www\.", re.IGNORECASE)


_ESCAPE_STEPS = tuple(_INLINE_ESCAPES.items())
_TO_ESCAPE = re.compile("[" + re.escape("".join(_INLINE_ESCAPES)) + "]")


def _escape_plain(text: str) -> str:
    """Every character of _INLINE_ESCAPES escaped, as `str.translate` would."""
    if _TO_ESCAPE.search(text) is None:  # most text: one scan instead of one per character
        return text
    for char, escaped in _ESCAPE_STEPS:
        if char in text:
            text = text.replace(char, escaped)
    return text


def _may_link(text: str) -> bool:
    """False when _LINK_TRIGGER cannot match (most text): cheap substring tests before the regex.
    Under IGNORECASE only "W" and "w" match "w", so "www." in the lowered text is a superset."""
    return ("://" in text or "@" in text or "www." in text.lower()) and _LINK_TRIGGER.search(text) is not None


def _escape_text(text: str) -> str:
    if not _may_link(text):  # no run can hold a link trigger: escape the text whole
        return _escape_plain(text)
    out: list[str] = []
    end = 0
    for run in _URL_RUN.finditer(text):
        out.append(_escape_plain(text[end:run.start()]))
        word = run.group()
        out.append(f"`{word}`" if _LINK_TRIGGER.search(word) else _escape_plain(word))
        end = run.end()
    out.append(_escape_plain(text[end:]))
    return "".join(out)


def escape_markdown_cell(text: str) -> str:
    return _escape_text(terminal_safe(join_lines(text)).strip())


def escape_markdown_inline(text: str) -> str:
    escaped = escape_markdown_cell(text)
    marker = _BLOCK_START.match(escaped)
    if marker is None:
        return escaped
    if marker.group(1):  # "1." -> "1\." : the digits stay, the list marker goes
        return f"{marker.group(1)}\\{marker.group(2)}{escaped[marker.end():]}"
    return "\\" + escaped


# table cells repeat (periods, kinds, countries, empty cells): escape each distinct text once
escape_cell = lru_cache(maxsize=65536)(escape_markdown_cell)


@cache
def _width_function() -> Callable[[str], int]:
    """How tabulate measures a cell (display width when wcwidth is installed), so the tables match its own.
    One function (and one cache of widths) for every table of a run."""
    if wcwidth is None:
        return len
    wide = lru_cache(maxsize=65536)(wcwidth.wcswidth)
    return lambda text: len(text) if text.isascii() else wide(text)


def pipe_table(headers: list[str], rows: list[list[str]], right: set[int], ready: tuple[str, list[str]] | None = None,
               escaped: bool = False) -> str:
    """A GFM pipe table, the one Markdown table writer (`--format markdown` and the briefs): laid out as
    tabulate's "pipe" format lays it out, byte for byte, at a fraction of its cost (a full brief on a large
    base has thousands of tables and tens of thousands of rows). Columns in `right` are right-aligned.

    Cells are escaped here unless `escaped`; `ready` is one more column of ready Markdown (footnote references).
    """
    esc = (lambda t: t) if escaped else escape_cell
    # column by column: each column's width, then its cells padded to it
    columns = [[escape_cell(h), *(esc(r[i]) for r in rows)] for i, h in enumerate(headers)]
    if ready is not None:
        header, cells = ready
        if len(cells) != len(rows):
            raise ValueError("one cell per row")
        columns.append([header, *cells])
    width = _width_function()
    padded, rule = [], []
    for i, column in enumerate(columns):
        sizes = [width(c) for c in column]
        w = max(sizes[0] + 2, max(sizes[1:], default=0))  # the header's rule is at least two dashes longer than the header
        if len(column) == 1:  # no rows: tabulate aligns nothing, and its rule has no colons
            padded.append([c + " " * (w - size) for c, size in zip(column, sizes)])
            rule.append("-" * (w + 2))
        elif i in right:
            padded.append([" " * (w - size) + c for c, size in zip(column, sizes)])
            rule.append("-" * (w + 1) + ":")
        else:
            padded.append([c + " " * (w - size) for c, size in zip(column, sizes)])
            rule.append(":" + "-" * (w + 1))
    lines = ["| " + " | ".join(row) + " |" for row in zip(*padded)]
    lines.insert(1, "|" + "|".join(rule) + "|")
    return "\n".join(lines)


def render_markdown(listing: Listing) -> str:
    """The preface as one paragraph, a GFM pipe table of the display columns, then the footer
    as one paragraph.

    The title is left to callers (they choose the heading level). Numeric
    columns are right-aligned. No columns -> no table, only the footer.
    """
    columns = listing.columns
    blocks: list[str] = []
    preface = [text for text in (escape_markdown_inline(line) for line in listing.preface) if text]
    if preface:  # one paragraph, a line each, as the footer
        blocks.append("\\\n".join(preface))
    if columns:
        rows = [[display_cell(row, c.key) for c in columns] for row in listing.rows]
        blocks.append(pipe_table([c.header for c in columns], rows, {i for i, c in enumerate(columns) if c.numeric}))
    footer = [escape_markdown_inline(text) for text in listing.footer]
    footer = [text for text in footer if text]  # an empty line would end the paragraph
    if footer:
        # A trailing backslash is a hard line break: one paragraph, one line per footer entry.
        blocks.append("\\\n".join(footer))
    return "\n\n".join(blocks) + "\n" if blocks else ""
