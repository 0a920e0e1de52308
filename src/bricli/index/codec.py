"""Stored bytes: the checksum every row carries, compression, and records as json output
writes them. Light on purpose (no fact model): a query whose output is the stored records
never decodes a fact. `crc` covers a row's stored bytes and its filter columns, so a
changed byte anywhere in a row is found when the row is read (`Damaged`)."""

from __future__ import annotations

import zlib

ZLIB_LEVEL = 6


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
    return zlib.compress(text.encode(), ZLIB_LEVEL)


def unpack(data: object) -> bytes:
    if not isinstance(data, bytes):
        raise Damaged("a stored value is not bytes")
    try:
        return zlib.decompress(data)
    except zlib.error as exc:
        raise Damaged(str(exc)) from None


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
    text = unpack(data)
    # from the end: the source block is near it, and strings in a record are escaped, so the
    # key's text (with its newlines) is found once at most
    key = text.rfind(SOURCE_KEY)
    at = text.find(NULL_BLOCK, key) if key >= 0 else -1
    if at < 0:
        raise Damaged("a stored record has no source block")
    return text[:at], text[at + len(NULL_BLOCK):]
