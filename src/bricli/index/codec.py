"""Stored bytes: the checksum every row carries, compression, and records as json output
writes them. Light on purpose (no fact model): a query whose output is the stored records
never decodes a fact. `crc` covers a row's stored bytes and its filter columns, so a
changed byte anywhere in a row is found when the row is read (`Damaged`)."""

from __future__ import annotations

import json
import zlib
from json.encoder import encode_basestring as _string  # the C function json.dumps uses (ensure_ascii=False)

ZLIB_LEVEL = 6


class Damaged(Exception):
    """A stored row failed its checksum or could not be decoded: the index is not to be trusted."""


def crc(*parts: object) -> int:
    """CRC32 of a row: its bytes and the text of its other values, in order."""
    value = 0
    for part in parts:
        data = part if isinstance(part, bytes) else ("\x00" if part is None else str(part)).encode()
        value = zlib.crc32(b"\x1f", zlib.crc32(data, value))
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
# be another file's, and are put in per set (`source_block`).

IN_LIST = "  "
SOURCE_KEY = f'\n{IN_LIST}  "source": {{\n'.encode()
REGISTRY = ("title", "date", "url")


def source_block(title: str | None, date: str | None, url: str | None) -> bytes:
    """The registry's part of a record's source block, exactly as json_text renders it there."""
    return ",\n".join(f'{IN_LIST}    "{k}": ' + ("null" if v is None else _string(v))
                      for k, v in zip(REGISTRY, (title, date, url))).encode()


NULL_BLOCK = source_block(None, None, None)


def record_parts(data: bytes) -> tuple[bytes, bytes]:
    """A stored record as the text before and after its registry block."""
    text = unpack(data)
    at = text.find(NULL_BLOCK, text.find(SOURCE_KEY))
    if at < 0 or text.find(SOURCE_KEY) < 0:
        raise Damaged("a stored record has no source block")
    return text[:at], text[at + len(NULL_BLOCK):]


def json_text(value: object, indent: str = "") -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), byte for byte (a test checks), for the
    values a record holds, as it appears nested at `indent`; several times faster, since json's
    indenting encoder is pure Python and a build renders every record of the base."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = _KEYS.get(inner)
        if keys is None:
            keys = _KEYS[inner] = {}
        parts = []
        for k, v in value.items():
            head = keys.get(k)
            if head is None:
                head = keys[k] = f"{inner}{_string(str(k))}: "
            kind = type(v)  # the common values of a record written here, without a call each
            if kind is str:
                parts.append(head + _string(v))
            elif v is None:
                parts.append(head + "null")
            elif kind is bool:
                parts.append(head + ("true" if v else "false"))
            elif kind is list and not v:
                parts.append(head + "[]")
            else:
                parts.append(head + json_text(v, inner))
        return "{\n" + ",\n".join(parts) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(type(v) is str for v in value):  # country codes, participants, inputs
            return "[\n" + inner + f",\n{inner}".join(map(_string, value)) + f"\n{indent}]"
        return "[\n" + ",\n".join(inner + json_text(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)  # anything else: as json would, or its TypeError


_KEYS: dict[str, dict[object, str]] = {}  # indent -> key -> its rendered '  "key": ' (records repeat keys)


def _float(x: float) -> str:
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    return float.__repr__(x)
