"""Horizontal bar charts for the terminal: a pure function of chart series (present/chart.py).

    China–Latin America trade volume (US$ billion; source cedpr-2020)
      2018            ████████████████████████████████████  US$307.4 billion
      2019 Jan–Nov *  █████████████████████████████████▋    US$286.83 billion
      * partial period: part of the year, not the whole year

Bars start at zero and are scaled to the largest value of their series, in
eighths of a cell with block characters, or whole cells of `#` when the
terminal cannot show blocks (`unicode=False`). A partial period is marked `*`,
a value the source qualifies (more than, about) `~`, each explained under its
series. Text from facts is made terminal-safe and kept on one line.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bricli.present.chart import ChartSeries
from bricli.render.sanitize import terminal_safe
import textwrap

EIGHTHS = " ▏▎▍▌▋▊▉"  # a cell filled 0/8 .. 7/8 from the left
FULL, NEGATIVE = "█", "▒"
ASCII_FULL, ASCII_NEGATIVE = "#", "-"
PARTIAL_MARK, QUALIFIED_MARK = "*", "~"
MIN_BAR = 10  # fewer cells than this beside the labels: bars go on lines of their own
_ASCII_TEXT = str.maketrans({"–": "-", "—": "-", "−": "-", "…": "...", "’": "'", "“": '"', "”": '"'})


def _one_line(text: str, unicode: bool) -> str:
    text = terminal_safe(re.sub(r"\s+", " ", text).strip())
    return text if unicode else text.translate(_ASCII_TEXT)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False) or [""]


def bar(value: Decimal, top: Decimal, cells: int, unicode: bool = True) -> str:
    """`value` as a bar of at most `cells` cells, `top` filling them all. A non-zero value
    shows at least a sliver, so it is never mistaken for zero."""
    if top <= 0 or value == 0:
        return ""
    eighths = int((abs(value) / top * cells * 8).to_integral_value())
    eighths = max(eighths, 1)
    if not unicode:
        return (ASCII_NEGATIVE if value < 0 else ASCII_FULL) * max(round(eighths / 8), 1)
    if value < 0:
        return NEGATIVE * max(round(eighths / 8), 1)
    full, rest = divmod(eighths, 8)
    return FULL * full + (EIGHTHS[rest] if rest else "")


def render_chart(series: list[ChartSeries], *, width: int = 80, unicode: bool = True) -> str:
    """Every series as a titled block of bars, one line per period, no line wider than `width`.

    Nothing stated is ever cut: periods and values are printed whole. When they leave
    fewer than MIN_BAR cells for the bars, each bar goes on a line of its own under
    its period and value."""
    blocks = []
    for s in series:
        whose = f"source {s.source_id}" if s.source_id or not s.sources else f"{len(s.sources)} sources"
        lines = _wrap(_one_line(f"{s.title} ({s.unit}; {whose})", unicode), width)
        labels = []
        for b in s.bars:
            marks = (PARTIAL_MARK if b.partial else "") + (QUALIFIED_MARK if b.qualified else "")
            labels.append(_one_line(b.period, unicode) + (f" {marks}" if marks else ""))
        texts = [_one_line(b.text, unicode) for b in s.bars]
        label_w = max(len(x) for x in labels)
        cells = width - 2 - label_w - 2 - 2 - max(len(x) for x in texts)
        stacked = cells < MIN_BAR
        if stacked:
            cells = width - 4
        top = max((abs(b.value) for b in s.bars if b.value is not None), default=Decimal(0))
        for b, label, text in zip(s.bars, labels, texts):
            drawn = "" if b.value is None else bar(b.value, top, cells, unicode)
            if stacked:
                lines += [*_wrap(f"{label}  {text}", width, "  "), f"    {drawn}".rstrip()]
            else:
                lines.append(f"  {label:<{label_w}}  {drawn:<{cells}}  {text}".rstrip())
        if any(b.partial for b in s.bars):
            lines += _wrap(f"{PARTIAL_MARK} partial period: part of the year, not the whole year", width, "  ")
        if any(b.qualified for b in s.bars):
            lines += _wrap(f"{QUALIFIED_MARK} the source qualifies the number (drawn as stated)", width, "  ")
        if not s.source_id and s.sources:
            lines += _wrap(_one_line("sources: " + ", ".join(s.sources), unicode), width, "  ")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""
