"""A fact, source, problem or derived value to its stored form and back.

A fact is stored as the JSON array of its fields in the dataclass's order (a stated number
as its text, its source reference as that reference's fields, its location as the line
alone), as UTF-8 text (codec.pack); the field names are kept in the index's meta ("model") and
compared before anything is decoded. Values are JSON, never marshal or pickle: the index
is input like any other, and anything that does not decode is `Damaged`.
"""

from __future__ import annotations

import json
from dataclasses import fields
from json.encoder import encode_basestring as _string  # the C function json.dumps uses (ensure_ascii=False)
from decimal import Decimal
from operator import attrgetter
from typing import Any

from bricli.analysis.derive import Derived
from bricli.analysis.records import record
from bricli.index import codec
from bricli.index.codec import IN_LIST, REGISTRY, Damaged, pack, unpack
from bricli.model.facts import Fact, FactBase, Location, Number, Source, SourceRef
from bricli.model.problems import Problem


def model_signature() -> str:
    return ";".join(",".join(f.name for f in fields(c)) for c in (Fact, SourceRef, Source, Problem, Derived))


SHARED_FIELDS = ("type", "topic", "kind", "countries", "period", "as_of", "when", "metric", "direction", "measure",
                 "unit", "counted", "scale", "qualifier", "basis", "stat_basis", "sector", "status", "stage", "participants")
_FACT_FIELDS = fields(Fact)
_NAMES = [f.name for f in _FACT_FIELDS]
_GET = attrgetter(*_NAMES)
_GET_REF = attrgetter(*(f.name for f in fields(SourceRef)))
_NUMBERS = [i for i, f in enumerate(_FACT_FIELDS) if "Number" in str(f.type)]
_TUPLES = [i for i, f in enumerate(_FACT_FIELDS) if str(f.type).startswith("tuple")]
_SOURCE = _NAMES.index("source")
_LOC = _NAMES.index("loc")
# fields whose values repeat across facts: decoded facts share one copy of each (half the memory)
_SHARED = [_NAMES.index(n) for n in SHARED_FIELDS if n in _NAMES]
_SOURCE_NAMES = [f.name for f in fields(Source)]
_PROBLEM_NAMES = [f.name for f in fields(Problem)]
_DERIVED_NAMES = [f.name for f in fields(Derived)]


# json.dumps(value, ensure_ascii=False) makes a JSONEncoder and a C encoder per call, which cost
# as much as encoding a fact's row: the C encoder it makes, made once (rows cannot hold a cycle,
# so no markers); json.dumps where there is no C encoder.
_ROW_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)  # None without json's C accelerator
if _ROW_ENCODER is not None:
    _ROW_ENCODER = _ROW_ENCODER(None, None, _string, None, ":", ",", False, False, True)


def _dumps(value: list[Any]) -> str:
    """Compact JSON (no spaces: rows are stored as text, and every byte is kept)."""
    if _ROW_ENCODER is None:  # pragma: no cover - an interpreter without json's C accelerator
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return "".join(_ROW_ENCODER(value, 0))
    except TypeError:  # a value json cannot write: json.dumps's own message
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode_fact(f: Fact) -> str:
    row = list(_GET(f))
    row[_SOURCE] = _GET_REF(row[_SOURCE])
    row[_LOC] = row[_LOC].line
    for i in _NUMBERS:
        if row[i] is not None:
            row[i] = row[i].text
    return _dumps(row)


def encode_derived(d: Derived) -> str:
    return _dumps([str(v) if isinstance(v, Decimal) else v for v in (getattr(d, n) for n in _DERIVED_NAMES)])


def encode_source(s: Source) -> str:
    return _dumps([(s.loc.line if s.loc else None) if n == "loc" else getattr(s, n) for n in _SOURCE_NAMES])


def encode_problem(p: Problem, name: str) -> str:
    return _dumps([None if n == "file" and p.file == name else getattr(p, n) for n in _PROBLEM_NAMES])


class Decoder:
    """Rebuilds what the index stores, files named as given now. One per build or query, so
    decoded facts share repeated values."""

    def __init__(self) -> None:
        self.memo: dict[Any, Any] = {}

    def _row(self, data: bytes | str, size: int) -> list[Any]:
        """The JSON array stored (bytes) or just encoded (text, during a build)."""
        try:
            row = json.loads(data if isinstance(data, str) else unpack(data))
        except (ValueError, UnicodeDecodeError) as exc:
            raise Damaged(f"a stored value cannot be read: {exc}") from None
        if not isinstance(row, list) or len(row) != size:
            raise Damaged("a stored value has the wrong shape")
        return row

    def fact(self, data: bytes | str, name: str) -> Fact | Derived:
        """A fact (or, in file 0, a derived value) from its stored bytes (or, during a build, a
        fact's text as encode_fact gave it)."""
        try:
            if isinstance(data, bytes) and data[:1] == b"D":
                return self._derived(data[1:])
            row = self._row(data, len(_NAMES))
            for i in _NUMBERS:
                text = row[i]
                if text is not None:
                    if type(text) is not str:
                        raise Damaged("a stored number is not text")
                    row[i] = Number(text)
            for i in _TUPLES:
                if row[i] is not None:
                    row[i] = tuple(row[i])
            memo = self.memo
            for i in _SHARED:
                v = row[i]
                if v is not None:
                    row[i] = memo.setdefault(v, v)
            ref = row[_SOURCE]
            if isinstance(ref, list) and ref:
                ref[0] = memo.setdefault(ref[0], ref[0])  # the source id
            row[_SOURCE] = SourceRef(*ref)
            row[_LOC] = Location(name, row[_LOC])
            return Fact(*row)
        except Damaged:
            raise
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise Damaged(f"a stored fact cannot be decoded: {exc}") from None

    def _derived(self, data: bytes) -> Derived:
        values = dict(zip(_DERIVED_NAMES, self._row(data, len(_DERIVED_NAMES))))
        values["value"] = Decimal(values["value"])
        for name in ("inputs", "countries"):
            values[name] = tuple(values[name])
        return Derived(**values)

    def source(self, data: bytes | str, name: str) -> Source:
        values: dict[str, Any] = dict(zip(_SOURCE_NAMES, self._row(data, len(_SOURCE_NAMES))))
        values["loc"] = Location(name, values["loc"])
        try:
            return Source(**values)
        except TypeError as exc:
            raise Damaged(str(exc)) from None

    def problem(self, data: bytes | str, name: str) -> Problem:
        values: dict[str, Any] = dict(zip(_PROBLEM_NAMES, self._row(data, len(_PROBLEM_NAMES))))
        if values["file"] is None:
            values["file"] = name
        try:
            return Problem(**values)
        except TypeError as exc:
            raise Damaged(str(exc)) from None


def pack_item(item: Fact | Derived) -> bytes:
    """The stored `fact` of a fact or derived value (a derived value is marked by a leading D)."""
    if isinstance(item, Derived):
        return b"D" + pack(encode_derived(item))
    return pack(encode_fact(item))


_UNREGISTERED = FactBase([], {}, [], [])


def registry_block(title: str | None, date: str | None, url: str | None) -> bytes:
    """The registry's part of a record's source block, exactly as json_text renders it there."""
    return ",\n".join(f'{IN_LIST}    "{k}": ' + ("null" if v is None else _string(v))
                      for k, v in zip(REGISTRY, (title, date, url))).encode()


def pack_record(item: Fact | Derived) -> bytes:
    """json output's text of the item, its source's registry block left null (see codec)."""
    return codec.compress_record(json_text(record(item, _UNREGISTERED), IN_LIST))


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
