"""The human table: a rich Table rendered to a string, never truncating.

Every cell is a rich `Text` built from `terminal_safe` text, so markup such as
"[red]" prints literally and no control character reaches the terminal. Columns
fold (wrap, breaking long words when needed) instead of cropping or adding an
ellipsis, and lines are printed with crop=False: no data is lost at any width.

When the boxed grid (3 cells of border and padding per column) cannot hold the
longest word of every column side by side, the table is drawn without its box:
columns two cells apart (one, when two is still too wide), a rule under the
header, a blank line between rows that wrap (`bricli trade` at 80 columns). When
even that cannot hold them (or leaves
fewer than `MIN_CHARS_PER_COLUMN` per column), a grid would split ids and numbers
mid-word, so each record is printed as a block of "Header: value" lines instead
(values wrap under themselves), with a blank line between records.
"""

from __future__ import annotations

import io
import re

from bricli.present.listing import Column, Listing, display_cell
from bricli.render.sanitize import terminal_safe
import textwrap
from rich.console import Console
from rich.text import Text
from rich import box
from rich.table import Table
from rich.cells import cell_len
from dataclasses import replace

MIN_CHARS_PER_COLUMN = 8
# how wide a breakable column (Column.breakable: source ids) may need to be: a cell this long
# stays on one line, a longer one wraps after a hyphen or, for a longer word, anywhere
BREAKABLE_WORD = 10
_HYPHEN = re.compile(r"(?<=\w-)(?=\w)")
# Below this, rich has no room for even a two-cell (East Asian wide) character
# beside its label and would drop text; narrower requests get this width.
MIN_WIDTH = 10


def _console(width: int, color: bool):
    return Console(
        file=io.StringIO(),
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        legacy_windows=False,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
        _environ={},  # a pure function: ignore COLUMNS, NO_COLOR, FORCE_COLOR, TERM...
    )


def _text(text: str, style: str = ""):
    return Text(terminal_safe(text), style=style)


BOXED = 0  # the frames of a grid, widest first: a box; columns two apart; one apart


def _frame(columns: int, gap: int) -> int:
    """Cells of a table's width that are not its columns' text: boxed (gap BOXED), a border and
    two of padding per column and the closing border; unboxed, `gap` between columns."""
    return 3 * columns + 1 if gap == BOXED else gap * max(columns - 1, 0)


def _grid_table(listing: Listing, bold: str, width: int, gap: int = BOXED):
    longest = _longest_words(listing)
    widths = fit_widths(_natural_widths(listing), longest, width - _frame(len(listing.columns), gap),
                        [c.grow for c in listing.columns])

    # when a row takes several lines, a rule between rows shows where each one ends
    wraps = any(cell_len(terminal_safe(display_cell(row, c.key))) > w
                for row in listing.rows for c, w in zip(listing.columns, widths))
    if gap == BOXED:
        table = Table(box=box.SQUARE, header_style=bold, expand=False, safe_box=True, show_lines=wraps)
    else:  # the box's space between columns (and a padding when two apart); the rule under the header only
        table = Table(box=box.SIMPLE_HEAD, header_style=bold, expand=False, safe_box=True, show_lines=wraps,
                      show_edge=False, pad_edge=False, padding=(0, gap - 1, 0, 0))
    for column, cells in zip(listing.columns, widths):
        table.add_column(
            _text(column.header),
            justify="right" if column.numeric else "left",
            overflow="fold",
            no_wrap=False,
            width=cells,  # decided here: rich's own shrinking can split words or overflow
        )
    for row in listing.rows:
        table.add_row(*(_text(_prose(display_cell(row, c.key), w) if _wraps_at_hyphens(c) else display_cell(row, c.key))
                        for c, w in zip(listing.columns, widths)))
    return table


def _wraps_at_hyphens(column: Column) -> bool:
    return column.grow > 1 or column.hyphens


def _words(text: str, prose: bool) -> list[str]:
    """What a cell may be wrapped between: words, and in prose also after a hyphen."""
    words = text.split()
    return [p for w in words for p in _HYPHEN.split(w)] if prose else words


def _prose(text: str, width: int) -> str:
    """Prose wrapped as textwrap does (also after hyphens: production-|capacity), so rich,
    which breaks only at spaces, need not cut a long compound word at any letter."""
    if len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=True, break_long_words=True)) or text


def _vertical_blocks(listing: Listing, bold: str):
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold", no_wrap=False, style=bold)
    if not listing.rows:  # still say which columns there would be, as a boxed table does
        for column in listing.columns:
            grid.add_row(_text(column.header))
        return grid
    grid.add_column(overflow="fold", no_wrap=False)
    for index, row in enumerate(listing.rows):
        if index:
            grid.add_row(_text(""), _text(""))  # blank line between records
        for column in listing.columns:
            grid.add_row(_text(column.header + ":"), _text(display_cell(row, column.key)))
    return grid


def _longest_words(listing: Listing) -> list[int]:
    out = []
    for column in listing.columns:
        texts = [column.header] + [display_cell(row, column.key) for row in listing.rows]
        longest = max((cell_len(terminal_safe(w)) for t in texts for w in _words(t, _wraps_at_hyphens(column))), default=1)
        if column.breakable:  # whole when it is short ("cedpr-2020" on one line), else broken
            longest = min(max([longest] + [cell_len(terminal_safe(t)) for t in texts]), BREAKABLE_WORD)
        if column.keep:  # a leading part that must stay on one line counts as one word
            longest = max([longest] + [cell_len(terminal_safe(display_cell(row, column.keep))) for row in listing.rows])
        out.append(longest)
    return out


def _natural_widths(listing: Listing) -> list[int]:
    return [max(cell_len(terminal_safe(t)) for t in [c.header] + [display_cell(r, c.key) for r in listing.rows])
            for c in listing.columns]


def fit_widths(natural: list[int], minimum: list[int], available: int, grow: list[int] | None = None) -> list[int]:
    """Column widths that fit `available` cells: each column gets its natural width
    capped at a common level (times its `grow`), but never less than its longest
    word. The cap is the highest level that fits, so narrow columns keep their
    width and wide ones wrap, prose columns (grow > 1) least."""
    minimum = [min(m, n) for m, n in zip(minimum, natural)]
    grow = grow or [1] * len(natural)
    if sum(natural) <= available:
        return list(natural)

    def level(i: int, cap: int) -> int:
        return max(minimum[i], min(natural[i], cap * grow[i]))

    def total(cap: int) -> int:
        return sum(level(i, cap) for i in range(len(natural)))

    lo, hi = 0, max(natural)
    while lo < hi:  # highest cap whose total fits
        mid = (lo + hi + 1) // 2
        if total(mid) <= available:
            lo = mid
        else:
            hi = mid - 1
    widths = [level(i, lo) for i in range(len(natural))]
    spare = available - sum(widths)
    for i, (w, n) in enumerate(zip(widths, natural)):  # hand out what rounding left over
        if spare <= 0:
            break
        extra = min(n - w, spare)
        widths[i] += extra
        spare -= extra
    return widths


def use_vertical_layout(width: int, column_count: int, longest_words: list[int] | None = None,
                        gap: int = 1) -> bool:
    """Whether a grid (of frame `gap`; by default the narrowest) cannot be drawn at `width`
    without splitting words."""
    if column_count > 0 and width / column_count < MIN_CHARS_PER_COLUMN:
        return True
    # a grid needs every column's longest word plus its frame (borders, padding)
    return longest_words is not None and sum(longest_words) + _frame(column_count, gap) > width


def _parts(listing: Listing) -> list[tuple[str | None, Listing]]:
    """The table whole, or with `group_by` one part per value of that column, in the order
    the rows come, each headed by its value and without that column (a country's trade,
    then its investment...): each part is as wide as its own rows need, so a profile whose
    columns together are too wide for 80 cells is a set of tables still."""
    key = listing.group_by
    if key is None or not any(c.key == key for c in listing.columns):
        return [(None, listing)]
    groups: dict[str, list[dict]] = {}
    for row in listing.rows:
        groups.setdefault(display_cell(row, key), []).append(row)
    columns = [c for c in listing.columns if c.key != key]
    parts: list[tuple[str | None, Listing]] = []
    for value, rows in groups.items():
        shown = [c for c in columns if any(display_cell(r, c.key) for r in rows)] or columns
        parts.append((value.capitalize(), replace(listing, columns=shown, rows=rows, group_by=None)))
    return parts


def _print_table(console, listing: Listing, bold: str, width: int) -> bool:
    """One table: boxed when it fits, else columns two or one apart, else a block of lines per
    record. Whether it ends with a border."""
    longest = _longest_words(listing)
    vertical = use_vertical_layout(width, len(listing.columns), longest)
    gap = next((g for g in (BOXED, 2) if not use_vertical_layout(width, len(listing.columns), longest, g)), 1)
    if listing.columns:
        body = _vertical_blocks(listing, bold) if vertical else _grid_table(listing, bold, width, gap)
        console.print(body, crop=False)
    return not vertical and gap == BOXED


def render_table(listing: Listing, *, width: int = 100, color: bool = False) -> str:
    width = max(width, MIN_WIDTH)
    console = _console(width, color)
    bold = "bold" if color else ""
    if listing.title:
        console.print(_text(listing.title, bold), overflow="fold", crop=False)
    for line in listing.preface:  # an indented line wraps two further in (a list of items)
        indent = len(line) - len(line.lstrip(" "))
        if indent:
            line = textwrap.fill(line, width, subsequent_indent=" " * (indent + 2), break_long_words=False,
                                 break_on_hyphens=False)
        console.print(_text(line), overflow="fold", crop=False)
    framed = True  # the last thing printed ends with a border: the footer may follow at once
    for heading, part in _parts(listing):
        if heading is not None:
            console.print(_text(heading, bold), overflow="fold", crop=False)
        framed = _print_table(console, part, bold, width)
        if heading is not None:
            console.print()  # a blank line before the next part's heading
            framed = True
    if not framed and listing.rows and listing.footer:
        console.print()  # without a closing border, the footer would read as part of the last record
    for line in listing.footer:
        console.print(_text(line), overflow="fold", crop=False)
    output = console.file.getvalue()
    return "".join(line.rstrip() + "\n" for line in output.splitlines())
