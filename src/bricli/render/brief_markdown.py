"""A brief (present/brief.py) as GitHub-flavoured Markdown.

Pure: the same Brief gives the same bytes. Every piece of fact text goes
through the render.markdown escaping helpers, so it can neither add a table
column nor start a block nor pass raw HTML. Figure tables are the topic
commands' `--format markdown` tables (the same Listing, the same
`render_markdown`) with one column added: the footnote reference.

Generated Markdown is limited to what GitHub renders: headings, lists, pipe
tables, footnotes (`[^fact-id]`; fact ids are slugs, valid as labels), and
fenced `mermaid` blocks whose text is built from a whitelist of characters.
"""

from __future__ import annotations

import re
from decimal import Decimal
from collections.abc import Callable

from bricli.model.fields import ID_PATTERN
from bricli.present.brief import Brief, Entry, ItemList, Point, Series
from bricli.present.listing import Column, Listing
from bricli.render.markdown import escape_markdown_cell, escape_markdown_inline, render_markdown

INTRO = (
    "Every figure and item cites its source in a footnote: the source's title, the section and the verbatim "
    "quote. Numbers are as the source states them, with its qualifier (\u201cmore than\u201d, \u201cnearly\u201d) "
    "and period; values bricli computes are marked derived and listed with their formulas under Caveats."
)
DERIVED_NOTE = (
    "Rows of kind \u201cderived\u201d are computed by bricli from stated figures (\u2248: rounded inputs, so "
    "approximate); their formulas are under Caveats."
)
REF_HEADER = "Source"
SLUG = re.compile(ID_PATTERN)  # the one id pattern of the model
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SAFE_URL = re.compile(r"^https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+$")
# Mermaid text: letters, digits, spaces and harmless punctuation only (no quotes,
# brackets, angle brackets, backticks, colons or semicolons that its parser reads).
MERMAID_UNSAFE = re.compile(r"[^\w \-\u2013\u2014.,'%$/()\u00a3\u00a5\u20ac\u2248+]")

FigureListing = Callable[[list], Listing]


def ref(fact_id: str) -> str:
    """A footnote reference. Fact ids are validated slugs; anything else is refused loudly."""
    if not SLUG.match(fact_id):
        raise ValueError(f"fact id {fact_id!r} cannot be a footnote label")
    return f"[^{fact_id}]"


def _cite(escaped: str, fact_id: str) -> str:
    # "...!" followed by "[^id]" would read as an image: keep the "!" literal
    if escaped.endswith("!") and not escaped.endswith("\\!"):
        escaped = escaped[:-1] + "\\!"
    return escaped + ref(fact_id)


def _heading(level: int, text: str) -> str:
    escaped = escape_markdown_inline(text)
    # a trailing run of '#' would be read as the closing sequence and dropped
    escaped = re.sub(r"(#+)$", lambda m: "\\" + m.group(1), escaped)
    return "#" * level + " " + escaped


def with_ref_column(table: str, refs: list[str]) -> str:
    """Append a column of footnote references to a table made by render_markdown.

    The cells before it stay byte for byte what `--format markdown` prints.
    """
    lines = table.rstrip("\n").split("\n")
    header, delimiter, rows = lines[0], lines[1], lines[2:]
    if len(rows) != len(refs):
        raise ValueError("one reference per row")
    cells = [ref(r) for r in refs]
    width = max(3, len(REF_HEADER), *(len(c) for c in cells))
    out = [f"{header} {REF_HEADER.ljust(width)} |", f"{delimiter} {'-' * width} |"]
    out += [f"{row} {cell.ljust(width)} |" for row, cell in zip(rows, cells)]
    return "\n".join(out)


def _table(listing: Listing, refs: list[str]) -> str:
    bare = Listing(records=listing.records, columns=listing.columns, rows=listing.rows, title=None, footer=[])
    return with_ref_column(render_markdown(bare), refs)


def _entry(e: Entry) -> str:
    if e.lead:  # the line starts with "**", so the text needs no block-start escaping
        return _cite(f"**{escape_markdown_cell(e.lead)}**: " + escape_markdown_cell(e.text), e.ref)
    return _cite(escape_markdown_inline(e.text), e.ref)


def _list(item_list: ItemList) -> list[str]:
    lines = []
    for group in item_list.groups:
        if group.title:
            lines.append(f"- {escape_markdown_inline(group.title)}")
            lines += [f"  - {_entry(e)}" for e in group.entries]
        else:
            lines += [f"- {_entry(e)}" for e in group.entries]
    return lines


def _mermaid_text(text: str) -> str:
    return re.sub(r"\s+", " ", MERMAID_UNSAFE.sub(" ", text)).strip() or "value"


def _number(p: Point) -> str:
    return p.number if PLAIN_NUMBER.match(p.number) else format(Decimal(p.number), "f")


def _axis_max(values: list[Decimal]) -> Decimal:
    """A round upper bound (410 -> 500): bars start at zero so differences are not exaggerated."""
    top = max(values)
    if top <= 0:
        return Decimal(0)
    step = Decimal(1).scaleb(top.adjusted())
    return (top / step).to_integral_value(rounding="ROUND_CEILING") * step


def _chart(s: Series) -> list[str]:
    values = [Decimal(_number(p)) for p in s.points]
    low = min([Decimal(0), *values])
    high = max(_axis_max(values), low + 1)  # never an empty axis
    labels = ", ".join(f'"{_mermaid_text(p.label)}"' for p in s.points)
    return [
        "```mermaid",
        "xychart-beta",
        f'    title "{_mermaid_text(s.title)}"',
        f"    x-axis [{labels}]",
        f'    y-axis "{_mermaid_text(s.axis)}" {format(low, "f")} --> {format(high, "f")}',
        f"    bar [{', '.join(_number(p) for p in s.points)}]",
        "```",
    ]


def _series_table(s: Series) -> str:
    listing = Listing(
        records=[{} for _ in s.points],
        columns=[Column("period", "Period"), Column("value", "Value", numeric=True)],
        rows=[{"period": p.period, "value": p.value} for p in s.points],
    )
    return _table(listing, [p.ref for p in s.points])


def _source_line(src) -> str:
    title = escape_markdown_cell(src.title)
    if src.url and SAFE_URL.match(src.url):
        title = f"[{title}]({src.url})"
    elif src.url:
        title += ", " + escape_markdown_cell(src.url)
    date = f" ({escape_markdown_cell(src.date)})" if src.date else ""
    return f"{escape_markdown_cell(src.id)}: {title}{date}"


def _footnote(fn, cited: list[str], known: dict) -> str:
    if fn.formula:
        text = "Computed by bricli, not stated in the source: " + escape_markdown_cell(fn.formula) + "."
        inputs = [i for i in fn.inputs if i in known]
        if inputs:
            text += " Inputs: " + ", ".join(ref(i) for i in inputs) + "."
            cited += [i for i in inputs if i not in cited]
        if fn.note:
            text += " Note: " + escape_markdown_cell(fn.note) + "."
        return f"{ref(fn.id)}: {text}"
    text = escape_markdown_inline(fn.source_title)
    if fn.section:
        text += f", section \u201c{escape_markdown_cell(fn.section)}\u201d"
    text += f": \u201c{escape_markdown_cell(fn.quote)}\u201d"
    if fn.note:
        text += " Note: " + escape_markdown_cell(fn.note)
    return f"{ref(fn.id)}: {text}"


def render_brief(brief: Brief, figure_listing: FigureListing) -> str:
    """The brief as Markdown. `figure_listing(items)` builds the topic commands' Listing for figure rows."""
    blocks: list[str] = [_heading(1, brief.title)]
    if brief.date:
        blocks.append("Date: " + escape_markdown_cell(brief.date))
    blocks.append(INTRO)
    scope = brief.scope
    blocks.append("\n".join([
        "- Selection: " + escape_markdown_cell(scope.selection),
        "- Fact directories: " + escape_markdown_cell(", ".join(scope.dirs)),
        "- Sources: " + ("; ".join(_source_line(s) for s in scope.sources) if scope.sources else "none (no fact matches)"),
    ]))

    blocks += [_heading(2, "Key figures"), escape_markdown_inline(brief.key_note)]
    if brief.key_figures:
        blocks.append("\n".join(f"- {_entry(e)}" for e in brief.key_figures))
    else:
        blocks.append("No stated figure in this selection qualifies.")

    for section in brief.sections:
        blocks.append(_heading(2, section.title))
        if not (section.figures or section.lists):
            blocks.append("No facts on this topic match the selection.")
            continue
        if section.figures:
            blocks.append(_heading(3, "Figures"))
            blocks.append(_table(figure_listing(section.figures), [i.id for i in section.figures]))
            if any(getattr(i, "type", "") == "derived" for i in section.figures):
                blocks.append(DERIVED_NOTE)
        if section.series:
            blocks.append(_heading(3, "Series"))
            for s in section.series:
                intro = f"{escape_markdown_inline(s.title)} ({escape_markdown_cell(s.axis)}), stated values; the same data follow as a table."
                if s.note:
                    intro += " " + escape_markdown_cell(s.note)
                blocks += [intro, "\n".join(_chart(s)), _series_table(s)]
        for item_list in section.lists:
            blocks += [_heading(3, item_list.heading), "\n".join(_list(item_list))]

    blocks.append(_heading(2, "Caveats"))
    if brief.caveats:
        for item_list in brief.caveats:
            blocks += [_heading(3, item_list.heading), "\n".join(_list(item_list))]
    else:
        blocks.append("None in this selection.")

    body = "\n\n".join(blocks) + "\n"
    # Footnote definitions in order of first reference (GitHub numbers them that way too).
    cited: list[str] = []
    for m in re.finditer(r"\[\^([a-z0-9][a-z0-9.-]*)\]", body):
        if m.group(1) not in cited and m.group(1) in brief.footnotes:
            cited.append(m.group(1))
    notes = []
    i = 0
    while i < len(cited):  # a derived value's footnote cites its inputs, which may add to `cited`
        notes.append(_footnote(brief.footnotes[cited[i]], cited, brief.footnotes))
        i += 1
    if notes:
        body += "\n" + "\n\n".join(notes) + "\n"
    return body
