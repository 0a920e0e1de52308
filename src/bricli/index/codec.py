"""Stored bytes: the checksum every row carries, rows' JSON texts, and records as json output
writes them (compressed). Light on purpose (no fact model): a query whose output is the stored
records never decodes a fact. `crc` covers a row's stored bytes and its filter columns, so a
changed byte anywhere in a row is found when the row is read (`Damaged`). Records are
compressed against a preset dictionary (`RECORD_DICT`: the keys every record repeats), which
makes them smaller and quicker to decompress."""

from __future__ import annotations

import zlib

# How records are compressed. Each is small (one to a few KB) and compressed on its own, so what
# costs is the work per stream, not searching: a 4 KB window (a record and RECORD_DICT fit in it)
# and a small hash table make the state to set up 16 times smaller than zlib's default. Fixed
# Huffman codes (Z_FIXED): a stream this small costs more to decode for its table of dynamic codes
# than for its data, so with fixed codes the records a query prints decompress in 0.45x the time
# (an index of 100,000 facts 3% larger); level 3 then compresses about 12% quicker than 5, for 2%
# more bytes.
# Any zlib stream decompresses with the default settings, so reading does not depend on these,
# and an index written with others reads the same.
ZLIB_LEVEL = 3
WINDOW_BITS = 12
MEM_LEVEL = 4
STRATEGY = zlib.Z_FIXED


class Damaged(Exception):
    """A stored row failed its checksum or could not be decoded: the index is not to be trusted."""


crc32 = zlib.crc32  # every checksum's sum (query.py sums a row's inline, with this one)


def crc(values: tuple[object, ...], *blobs: bytes) -> int:
    """CRC32 of a row: the repr of its plain values (ints, texts, nulls: a changed type shows
    too), then its stored bytes. One C call each, so checking a query's rows costs little."""
    value = crc32(repr(values).encode())
    for blob in blobs:
        if not isinstance(blob, bytes):
            raise Damaged("a stored value is not bytes")
        value = crc32(blob, value)
    return value


def pack(text: str) -> bytes:
    """A row's JSON text (a fact's fields, a source, a problem) as stored: its UTF-8 bytes, not
    compressed. Compressing a fact's fields cost about 15 us a fact at any zlib level (most of it
    per byte), a tenth of a cold build's CPU time; stored plain, the index of 100,000 synthetic
    facts is 2.64x their YAML, the shipped facts' 2.68x (the goal: at most 3x; 8 KB pages, see
    location.PAGE_SIZE), and reading a fact costs less."""
    return text.encode()


def unpack(data: object) -> str:
    """A stored row's text: strict UTF-8 (anything else is Damaged)."""
    if not isinstance(data, bytes):
        raise Damaged("a stored value is not bytes")
    try:
        return data.decode()
    except UnicodeDecodeError as exc:
        raise Damaged(str(exc)) from None


# A record's text as zlib sees it before the record itself: its keys in their order at their
# indentation, and values many records share. Part of the stored form: a change needs a new
# schema.FORMAT (a record compressed against another dictionary does not decompress).
RECORD_DICT = "".join((
    '"basis": "reported",\n    "qualifier": "exact",\n    "unit": "USD",\n    "scale": "million",\n',
    '    "prices": "nominal",\n    "aggregates": true,\n    "aggregates": false,\n',
    '    "period_type": "point",\n    "stat_basis": "unstated",\n    "basis": "derived",\n',
    '    "direction": "exports",\n    "direction": "imports",\n    "metric": "trade",\n',
    '    "type": "event",\n    "type": "project",\n    "type": "policy",\n    "countries": [\n',
    '      "BRA",\n      "ARG",\n      "MEX",\n      "CHL",\n      "PER",\n',
    '    "derived": true,\n    "inputs": [\n      "trade-',
    '{\n    "id": "trade-",\n    "derived": false,\n    "type": "figure",\n    "topic": "trade",\n',
    '    "kind": null,\n    "label": null,\n    "name": null,\n    "description": null,\n',
    '    "rationale": null,\n    "countries": [\n      "CHN",\n      "LCN"\n    ],\n',
    '    "period": null,\n    "period_type": "span",\n    "period_label": null,\n',
    '    "partial": false,\n    "when": null,\n    "metric": null,\n    "direction": "total",\n',
    '    "measure": null,\n    "value": null,\n    "value_max": null,\n    "unit": null,\n',
    '    "scale": "billion",\n    "value_base": null,\n    "qualifier": null,\n    "basis": null,\n',
    '    "stat_basis": null,\n    "prices": null,\n    "aggregates": null,\n    "counted": null,\n',
    '    "value_text": "US$",\n    "change_pct": null,\n',
    '    "term_years": null,\n    "sector": null,\n    "status": null,\n    "stage": null,\n',
    '    "about": null,\n    "participants": [],\n    "role": null,\n    "source": {\n',
    '      "id": null,\n      "title": null,\n      "date": null,\n      "url": null,\n',
    '      "section": null,\n      "quote": null,\n      "translation": null\n    },\n',
    '    "note": null,\n    "correction": null,\n    "revises": null,\n    "formula": null,\n',
    '    "inputs": []\n  }',
)).encode()


_PRIMED = zlib.compressobj(ZLIB_LEVEL, zlib.DEFLATED, WINDOW_BITS, MEM_LEVEL, STRATEGY, RECORD_DICT)


def compress_record(text: str) -> bytes:
    """A record's text, compressed against RECORD_DICT (a copy of a compressor primed with it once:
    setting the dictionary up per record cost as much as compressing the record)."""
    z = _PRIMED.copy()
    return z.compress(text.encode()) + z.flush()


def decompress_record(data: object) -> bytes:
    """A stored record's text: its whole stream, decompressed against RECORD_DICT (a stream cut
    short, or with bytes after its end, is Damaged)."""
    if not isinstance(data, bytes):
        raise Damaged("a stored value is not bytes")
    z = zlib.decompressobj(15, RECORD_DICT)
    try:
        text = z.decompress(data)
    except zlib.error as exc:
        raise Damaged(str(exc)) from None
    if not z.eof or z.unused_data:
        raise Damaged("a stored record is cut short or runs on")
    return text


# --- records: json output's text of an item, stored once ------------------------------------
# A record is stored as json output shows it, one level in (an item of the top-level list),
# with its source's title, date and url null: they come from the sources registry, which may
# be another file's, and are put in per set (`registry_block`).

IN_LIST = "  "
SOURCE_KEY = f'\n{IN_LIST}  "source": {{\n'.encode()
REGISTRY = ("title", "date", "url")


# the registry block of a source the set does not know (objects.registry_block of three nulls)
NULL_BLOCK = ",\n".join(f'{IN_LIST}    "{k}": null' for k in REGISTRY).encode()


def record_parts(data: bytes) -> tuple[bytes, bytes]:
    """A stored record as the text before and after its registry block."""
    text = decompress_record(data)
    # from the end: the source block is near it, and strings in a record are escaped, so the
    # key's text (with its newlines) is found once at most
    key = text.rfind(SOURCE_KEY)
    at = text.find(NULL_BLOCK, key) if key >= 0 else -1
    if at < 0:
        raise Damaged("a stored record has no source block")
    return text[:at], text[at + len(NULL_BLOCK):]
