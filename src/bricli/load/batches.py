"""A large fact file read a batch of facts at a time, so that memory follows a batch, not the file.

Read whole, a 200 MB file (a million facts) is a YAML tree of several GB. Above BATCH_BYTES, a file
of the usual layout is cut, without parsing it, at the lines where its `facts:` list starts an
item (`  - ` at the list's indent, at the start of a line): each run of BATCH_FACTS items becomes a
document of its own (`facts:` and those lines), read by `assemble.parse_bytes` as any file is, and
its lines and problems are moved back to where they are in the file. The parts outside the list
(a `sources:` list before or after it) are read alike, first.

The result is the one reading the whole file gives, or nothing: anything this module does not
expect raises `Unbatchable`, and the caller reads the file whole, which gives the exact message.
Expected is: UTF-8 without a byte order mark, `\\n` line ends and no other character YAML counts as
a line break (they would move the line numbers), every line at column 0 either blank, a comment,
`sources:` or `facts:` alone on its line (each at most once), or an item of the list it follows.
A part that gives a YAML problem (a syntax error, an anchor, an alias to an anchor in another
part, a duplicate key), a list entry that is not a mapping, a part without a problem whose facts
are not as many as its items (the cut fell where the file's text does not start an item), or
more problems in all than a file may have (yamlread.MAX_PROBLEMS) is unexpected. A cut inside a
quoted text or a `[...]` that spans lines leaves that text unclosed in the part before it: a
syntax error there, so never a wrong reading.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from bricli.load.assemble import FileResult, parse_bytes
from bricli.load.yamlread import MAX_PROBLEMS

BATCH_BYTES = 8 << 20  # files smaller than this are read whole, as always
BATCH_FACTS = 2000  # items of the facts list in one batch

_COLUMN0 = re.compile(rb"\n[^ \n#]")  # before a line at column 0 that is not blank or a comment (a
# newline first: the search for it is fast; the file's first line is looked at alone)
_KEY_LINE = re.compile(rb"(sources|facts):[ ]*(?:#[^\n]*)?(?:\n|\Z)")
_ITEM = re.compile(rb"-(?:[ \n]|\Z)")
_CONTENT = re.compile(rb"^[ ]*[^ \n#]", re.M)  # a line that is not blank or a comment
_BREAKS = (b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")  # line breaks to YAML 1.1 besides \n


class Unbatchable(Exception):
    """The file is not read in batches (or stopped being): read it whole."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of a file read as a document of its own: bytes start:end, after a `facts:` line
    when `items` is not None (that many items of the facts list), its first line `first_line`."""

    start: int
    end: int
    first_line: int
    items: int | None


def plan(data: bytes, batch: int | None = None) -> list[Piece] | None:
    """The pieces a large file is read in: the parts outside the facts list first, then its items
    in batches. None when the file is small or not of the layout this module expects."""
    if len(data) < BATCH_BYTES or data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    if b"\x00" in data[:65536] or any(b in data for b in _BREAKS):
        return None
    batch = batch or BATCH_FACTS
    facts_at = None  # where the facts list's key line starts, and where its region ends
    region_end = len(data)
    keys: list[bytes] = []
    head = [0] if data[:1] not in b" \n#" else []
    for at in itertools.chain(head, (m.start() + 1 for m in _COLUMN0.finditer(data))):
        if _ITEM.match(data, at):
            if not keys:
                return None  # an item of no list
            continue  # an item of the list above (indent 0)
        key = _KEY_LINE.match(data, at)
        if key is None or key.group(1) in keys:
            return None
        if facts_at is not None and region_end == len(data):
            region_end = at
        keys.append(key.group(1))
        if key.group(1) == b"facts":
            facts_at = at
    if facts_at is None:
        return None
    newline = data.find(b"\n", facts_at, region_end)
    body = newline + 1 if newline >= 0 else region_end
    first = _CONTENT.search(data, body, region_end)
    if first is None:
        return None
    indent = first.end() - 1 - first.start()
    if not _ITEM.match(data, first.end() - 1):
        return None  # the list's first entry is not a block item
    item = re.compile(rb"\n" + b" " * indent + rb"-(?:[ \n]|\Z)")
    cuts = []  # the start of every batch-th item
    items = 0
    for m in item.finditer(data, first.start() - 1, region_end):
        if items % batch == 0:
            cuts.append(m.start() + 1)
        items += 1
    pieces = []
    line_of = _LineCounter(data)
    for start, end in ((0, facts_at), (region_end, len(data))):
        if start == end:
            continue
        if data[start:start + 1] in b" \n#" and _COLUMN0.search(data, start, end) is None:
            if _CONTENT.search(data, start, end):
                return None  # indented text outside a list
            continue  # blank lines and comments only
        pieces.append(Piece(start, end, line_of(start), None))
    for k, cut in enumerate(cuts):
        start = body if k == 0 else cut
        end = cuts[k + 1] if k + 1 < len(cuts) else region_end
        pieces.append(Piece(start, end, line_of(start), min(batch, items - k * batch)))
    return pieces


class _LineCounter:
    """The line (1-based) of byte offsets asked in increasing order, counting each byte once."""

    def __init__(self, data: bytes):
        self.data = data
        self.at = 0
        self.line = 1

    def __call__(self, offset: int) -> int:
        if offset < self.at:  # asked again from the start
            self.at, self.line = 0, 1
        self.line += self.data.count(b"\n", self.at, offset)
        self.at = offset
        return self.line


_HEADER = b"facts:\n"


def piece_bytes(data: bytes, piece: Piece) -> bytes:
    """The document a piece is read as."""
    body = data[piece.start:piece.end]
    return _HEADER + body if piece.items is not None else body


def read_piece(name: str, doc: bytes, piece: Piece) -> FileResult:
    """What one piece holds, at the lines it has in the file; raises Unbatchable for anything the
    whole file's reading might say otherwise."""
    r = parse_bytes(name, doc)
    if any(p.rule == "yaml" for p in r.problems):
        raise Unbatchable("a YAML problem")
    if piece.items is None:
        if r.problems or r.facts:
            raise Unbatchable("a problem outside the facts list")
        shift = piece.first_line - 1
    else:
        if r.sources or any(p.field == "facts" or (p.field or "").startswith("facts[") for p in r.problems):
            raise Unbatchable("an entry of the list that is not a mapping")
        if not r.problems and len(r.facts) != piece.items:
            raise Unbatchable(f"{len(r.facts)} facts in {piece.items} items")
        shift = piece.first_line - 2  # the document's line 2 is the piece's first line
    if len(r.problems) > MAX_PROBLEMS:
        raise Unbatchable("too many problems")
    if shift:
        for loc in [f.loc for f in r.facts] + [s.loc for s in r.sources]:
            if loc is not None and loc.line is not None:
                loc.line += shift
        r.problems = [p if p.line is None else replace(p, line=p.line + shift) for p in r.problems]
    return r


class Tally:
    """The problems of the pieces read so far: past MAX_PROBLEMS, reading whole stops the file
    with a message of its own, so the batches stop too (Unbatchable)."""

    def __init__(self) -> None:
        self.problems = 0

    def add(self, problems: int) -> None:
        self.problems += problems
        if self.problems > MAX_PROBLEMS:
            raise Unbatchable("too many problems")


def read_batches(name: str, data: bytes, pieces: list[Piece]) -> Iterator[FileResult]:
    """Each piece's reading, in order, in this process (the index reads them in worker processes
    when it has some)."""
    tally = Tally()
    for piece in pieces:
        r = read_piece(name, piece_bytes(data, piece), piece)
        tally.add(len(r.problems))
        yield r
