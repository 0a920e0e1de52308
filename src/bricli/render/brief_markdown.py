"""A brief (present/brief/) as GitHub-flavoured Markdown.

Pure: the same Brief gives the same bytes. Every piece of fact text goes
through the render.markdown escaping helpers, so it can neither add a table
column nor start a block nor pass raw HTML. Figure tables of the full brief
are the topic commands' `--format markdown` tables (the same display rows,
laid out as `render_markdown` lays them out) without the id column and with
a Source column of footnote references. Words come from present/brief/words.py.

Generated Markdown is limited to what GitHub renders: headings, lists, pipe
tables, footnotes (`[^fact-id]`; fact ids are slugs, valid as labels), and
fenced `mermaid` blocks whose text is built from a whitelist of characters.
Adjacent footnote marks are separated by REF_SEPARATOR, and a mark after a digit by a space, so
two marks (or a year and a mark) never read as one number ("2025¹³"). A source is named as
`Brief.source_names` names it ("Xinhua, 2025-05-16"); its id is in the footnote.
Footnote definitions follow in order of first reference; the bookkeeping is
a dict, so a brief of many thousand facts renders in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from bricli.model.fields import ID_PATTERN
from bricli.present.brief import words as W
from bricli.present.brief.data import (Brief, Disagreement, Line, Footnote, ItemList, Point, Sentence, Series, SourceInfo,
                                       source_of)
from bricli.present.listing import Listing, display_cell
from bricli.render.markdown import escape_cell as _escape_cell
from bricli.render.markdown import escape_markdown_cell, escape_markdown_inline, pipe_table
from bricli.model.urls import is_link

FOOTNOTE_LABEL = re.compile(ID_PATTERN)  # fact ids (the one id pattern of the model) are valid footnote labels
REF = re.compile(r"\[\^([a-z0-9][a-z0-9.-]*)\]")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SAFE_URL = re.compile(r"^https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+$")
# Mermaid text: letters, digits, spaces and harmless punctuation only (no quotes,
# brackets, angle brackets, backticks, colons or semicolons that its parser reads).
MERMAID_UNSAFE = re.compile(r"[^\w \-\u2013\u2014.,'%$/()\u00a3\u00a5\u20ac\u2248+]")
SPACES = re.compile(r"\s+")
REF_SEPARATOR = ","  # between two footnote marks: "[^a],[^b]" reads as two marks, not "¹³"
CLOSING_HASHES = re.compile(r"(#+)$")

FigureListing = Callable[[list], Listing]


@lru_cache(maxsize=65536)  # each id is cited in a table or list, its footnote, and maybe a disagreement
def ref(fact_id: str) -> str:
    """A footnote reference. Fact ids are validated slugs; anything else is refused loudly."""
    if not FOOTNOTE_LABEL.match(fact_id):
        raise ValueError(f"fact id {fact_id!r} cannot be a footnote label")
    return f"[^{fact_id}]"


class _Writer:
    """What depends on --no-footnotes: references are written, or left out."""

    def __init__(self, footnotes: bool, names: dict[str, str] | None = None):
        self.footnotes = footnotes
        self.names = names or {}

    def name(self, source_id: str) -> str:
        """A source as the brief names it ("Xinhua, 2025-05-16"), escaped for a cell or a line."""
        return escape_markdown_cell(self.names.get(source_id, source_id))

    def refs(self, ids) -> str:
        return REF_SEPARATOR.join(map(ref, ids)) if self.footnotes else ""

    def cite(self, escaped: str, ids) -> str:
        marks = self.refs(ids)
        # "...!" followed by "[^id]" would read as an image: keep the "!" literal
        if marks and escaped.endswith("!") and not escaped.endswith("\\!"):
            escaped = escaped[:-1] + "\\!"
        if marks and escaped[-1:].isdigit():  # "2025" then a mark would read as "2025¹"
            escaped += " "
        return escaped + marks

    def entry(self, e: Line) -> str:
        if e.lead:  # the line starts with "**", so the text needs no block-start escaping
            return self.cite(f"**{escape_markdown_cell(e.lead)}**: " + escape_markdown_cell(e.text), e.refs)
        return self.cite(escape_markdown_inline(e.text), e.refs)

    def entries(self, entries: list[Line], indent: str = "") -> list[str]:
        return [f"{indent}- {self.entry(e)}" for e in entries]


def _heading(level: int, text: str) -> str:
    escaped = escape_markdown_inline(text)
    # a trailing run of '#' would be read as the closing sequence and dropped
    escaped = CLOSING_HASHES.sub(lambda m: "\\" + m.group(1), escaped)
    return "#" * level + " " + escaped


def _listing_table(listing: Listing, ready: tuple[str, list[str]]) -> str:
    """A listing's display columns (the topic commands' `--format markdown` table), plus one ready column."""
    columns = listing.columns
    keys = [c.key for c in columns]
    rows = [[display_cell(row, k) for k in keys] for row in listing.rows]
    right = {i for i, c in enumerate(columns) if c.numeric}
    return pipe_table([c.header for c in columns], rows, right, ready)


def _source_cell(w: _Writer, source_id: str, fact_id: str) -> str:
    return w.cite(w.name(source_id), [fact_id])


def _key_table(brief: Brief, w: _Writer) -> str:
    keys = ("what", "value", "period", "change")
    rows = [[k.what, k.value, k.period, k.change] for k in brief.key_figures]
    ready = (escape_markdown_cell(W.KEY_HEADERS["source"]), [_source_cell(w, k.source, k.ref) for k in brief.key_figures])
    return pipe_table([W.KEY_HEADERS[k] for k in keys], rows, {1, 3}, ready)


@lru_cache(maxsize=4096)  # x-axis labels are periods, the same in many charts
def _mermaid_text(text: str) -> str:
    return SPACES.sub(" ", MERMAID_UNSAFE.sub(" ", text)).strip() or W.VALUE_AXIS


def _number(p: Point) -> str:
    return p.number if PLAIN_NUMBER.match(p.number) else format(Decimal(p.number), "f")


def _axis_max(values: list[Decimal]) -> Decimal:
    """A round upper bound (410 -> 500): bars start at zero so differences are not exaggerated."""
    top = max(values)
    if top <= 0:
        return Decimal(0)
    step = Decimal(1).scaleb(top.adjusted())
    return (top / step).to_integral_value(rounding="ROUND_CEILING") * step


def _chart(s: Series) -> str:
    numbers = [_number(p) for p in s.points]
    values = [Decimal(n) for n in numbers]
    low = min([Decimal(0), *values])
    high = max(_axis_max(values), low + 1)  # never an empty axis
    labels = ", ".join(f'"{_mermaid_text(p.label)}"' for p in s.points)
    return "\n".join([
        "```mermaid",
        "xychart-beta",
        f'    title "{_mermaid_text(s.title)}"',
        f"    x-axis [{labels}]",
        f'    y-axis "{_mermaid_text(s.axis)}" {format(low, "f")} --> {format(high, "f")}',
        f"    bar [{', '.join(numbers)}]",
        "```",
    ])


def _series_blocks(s: Series, w: _Writer) -> list[str]:
    joined = bool(s.basis) or s.source_count > 1  # across sources: each bar's source is in its footnote (or the table)
    if s.basis:
        intro = W.CHART_INTRO_BASIS.format(title=s.title, axis=s.axis, count=s.source_count,
                                           basis=W.STAT_BASIS_NAMES.get(s.basis, s.basis))
    elif joined:
        intro = W.CHART_INTRO_SOURCES.format(title=s.title, axis=s.axis, count=s.source_count)
    else:
        intro = W.CHART_INTRO.format(title=s.title, axis=s.axis, source=w.names.get(s.source, s.source))
    headers = [W.CHART_HEADERS["period"], W.CHART_HEADERS["value"]]
    rows = [[p.period, p.value] for p in s.points]
    ready = None
    if w.footnotes or joined:
        ready = (escape_markdown_cell(W.CHART_HEADERS["source"]),
                 ["" if not p.ref else _source_cell(w, p.source, p.ref) if joined else ref(p.ref)
                  for p in s.points])  # a year without a figure cites nothing
    table = pipe_table(headers, rows, {1}, ready)
    return [escape_markdown_inline(intro), _chart(s), table]


def _list(item_list: ItemList, w: _Writer) -> list[str]:
    lines = []
    for group in item_list.groups:
        if group.title:
            lines.append(f"- {escape_markdown_inline(group.title)}")
            lines += w.entries(group.entries, "  ")
        else:
            lines += w.entries(group.entries)
    return lines


def _disagreement(d: Disagreement, w: _Writer) -> str:
    claims = "; ".join(w.cite(f"{escape_markdown_cell(c.text)} ({w.name(c.source)})", [c.ref])
                       for c in d.claims)
    kind = W.CONFLICT_KINDS.get(d.kind, d.kind)
    return f"- {escape_markdown_inline(d.subject)} ({escape_markdown_cell(kind)}): {claims}"


def _lead(sentences: list[Sentence], w: _Writer) -> str:
    """The lead: one paragraph, each part of a sentence followed by its footnote marks."""
    out: list[str] = []
    for s in sentences:
        first = not out  # the paragraph's first text must not start a block ("1. ", "- ", "#")
        opening = (escape_markdown_inline if first and s.opening else escape_markdown_cell)(s.opening)
        parts = [w.cite((escape_markdown_inline if first and not s.opening and n == 0 else escape_markdown_cell)(p.text),
                        p.refs) for n, p in enumerate(s.parts)]
        out.append(opening + (" " if opening else "") + "; ".join(parts) + ".")
    return " ".join(out)


def _linkable(url: str | None) -> bool:
    """The one URL rule (model/urls.py), and characters Markdown's link syntax reads plainly."""
    return bool(url) and is_link(url) and SAFE_URL.match(url or "") is not None


def _source_text(src: SourceInfo, w: _Writer | None = None) -> str:
    title = escape_markdown_cell(src.title)
    if _linkable(src.url):
        title = f"[{title}]({src.url})"
    elif src.url:
        title += ", " + escape_markdown_cell(src.url)
    return f"{title} ({(w or _Writer(True)).name(src.id)})"  # its publisher and date; the id is in the footnotes


def _opening(brief: Brief, w: _Writer) -> str:
    lines = [W.INTRO if w.footnotes else W.INTRO_NO_FOOTNOTES]
    if brief.derived:
        lines[0] += W.INTRO_DERIVED
    if brief.sources:
        listed = "; ".join(_source_text(s, w) for s in brief.sources)
        lines.append((W.SOURCE_LINE if len(brief.sources) == 1 else W.SOURCES_LINE).format(sources=listed))
    elif brief.source_count:
        lines.append(W.SOURCES_LINE.format(sources=W.MANY_SOURCES.format(count=brief.source_count)))
    if brief.filters:
        lines.append(escape_markdown_inline(W.FILTERS_LINE.format(filters=brief.filters)))
    return "\n".join(lines)


@lru_cache(maxsize=4096)  # many facts cite one section of one source
def _where(title: str, section: str, url: str, source_id: str = "") -> str:
    where = escape_markdown_inline(title)
    if source_id and source_id != title:  # the source's id (`bricli sources`, `--source`), named nowhere else
        where += f" ({escape_markdown_cell(source_id)})"
    if section:
        where += ", " + W.FOOTNOTE_SECTION.format(section=escape_markdown_cell(section))
    elif url:
        where += ", " + (f"<{url}>" if _linkable(url) else escape_markdown_cell(url))
    return where


def _footnote(fn: Footnote, cited: dict[str, None], known: dict[str, Footnote]) -> str:
    if fn.formula:
        parts = [W.FOOTNOTE_DERIVED.format(formula=escape_markdown_cell(fn.formula))]
        inputs = [i for i in fn.inputs if i in known]
        if inputs:
            parts.append(W.FOOTNOTE_INPUTS.format(inputs=", ".join(ref(i) for i in inputs)))
            for i in inputs:
                cited.setdefault(i)
        if fn.note:
            parts.append(W.FOOTNOTE_NOTE.format(note=escape_markdown_cell(fn.note)) + ".")
        return f"{ref(fn.id)}: {' '.join(parts)}"
    text = f"{_where(fn.source_title, fn.section, fn.url, fn.source_id)}: \u201c{_escape_cell(fn.quote)}\u201d"  # one sentence often backs several facts
    if fn.translation:
        text += " " + W.FOOTNOTE_TRANSLATION.format(translation=escape_markdown_cell(fn.translation))
    if fn.note:
        text += " " + W.FOOTNOTE_NOTE.format(note=_escape_cell(fn.note))
    return f"{ref(fn.id)}: {text}"


def render_brief(brief: Brief, figure_listing: FigureListing, *, footnotes: bool = True) -> str:
    """The brief as Markdown. `figure_listing(items)` builds the topic commands' Listing for figure rows."""
    w = _Writer(footnotes, brief.source_names)
    blocks: list[str] = [_heading(1, brief.title)]
    if brief.date:
        blocks.append(W.DATE_LINE.format(date=escape_markdown_cell(brief.date)))
    blocks.append(_opening(brief, w))
    if brief.lead:
        blocks.append(_lead(brief.lead, w))

    if brief.key_figures:
        blocks += [_heading(2, W.KEY_FIGURES), _key_table(brief, w)]
    for item_list in brief.country_lists:
        blocks += [_heading(2, item_list.heading), "\n".join(_list(item_list, w))]

    for section in brief.sections:
        if section.empty:
            continue
        blocks.append(_heading(2, section.title))
        if section.figures:
            listing = figure_listing(section.figures)
            listing = Listing(records=[], columns=[c for c in listing.columns if c.key != "id"], rows=listing.rows)
            if w.footnotes:
                cells = [ref(i.id) for i in section.figures]
            else:
                cells = [w.name(source_of(i)) for i in section.figures]
            if brief.full:
                blocks.append(_heading(3, W.FIGURES))
            blocks.append(_listing_table(listing, (escape_markdown_cell(W.KEY_HEADERS["source"]), cells)))
        if section.series and brief.full:
            blocks.append(_heading(3, W.SERIES))
        for s in section.series:
            blocks += _series_blocks(s, w)
        if section.bullets:
            blocks.append("\n".join(w.entries(section.bullets)))
        for item_list in section.lists:
            blocks += [_heading(3, item_list.heading), "\n".join(_list(item_list, w))]

    if brief.disagreements:
        lines = [_disagreement(d, w) for d in brief.disagreements]
        blocks += [_heading(2, W.DISAGREE), "\n".join(lines)]
        if brief.more_disagreements:
            blocks.append(W.DISAGREE_MORE.format(count=brief.more_disagreements))
    elif brief.more_disagreements:  # none about what the page shows: say where the others are
        blocks += [_heading(2, W.DISAGREE), W.DISAGREE_ELSEWHERE.format(count=brief.more_disagreements)]
    if brief.caveats:
        blocks += [_heading(2, W.CAVEATS), "\n".join(w.entries(brief.caveats))]
    if all(s.empty for s in brief.sections) and not brief.key_figures:
        blocks.append(W.NOTHING_MATCHES)

    body = "\n\n".join(blocks) + "\n"
    blocks.clear()  # a full brief on a large base is tens of megabytes: keep one copy at a time
    if not footnotes:
        return body
    # Footnote definitions in order of first reference (GitHub numbers them that way too).
    cited = {fid: None for fid in dict.fromkeys(REF.findall(body)) if fid in brief.footnotes}
    notes = []
    done: set[str] = set()
    while len(done) < len(cited):  # a derived value's footnote cites its inputs, which may add to `cited`
        for fid in [c for c in cited if c not in done]:
            done.add(fid)
            notes.append(_footnote(brief.footnotes[fid], cited, brief.footnotes))
    if not notes:
        return body
    notes_text = "\n\n".join(notes)
    notes.clear()
    return "".join((body, "\n", notes_text, "\n"))
