"""Fact mappings to YAML fact files, put in place as one new directory, atomically.

Every string is written double-quoted with JSON-style escapes (valid YAML, never read as a
boolean, a date or a number by YAML 1.1), numbers as their digits, booleans as true/false.
The directory is built beside its destination and renamed into place whole (files.py): a
failure leaves no half-written directory, and an existing one is replaced only with
--force and only when every file in it was written by `bricli import`.
"""

from __future__ import annotations

import re
from json.encoder import encode_basestring  # JSON's string escapes (C): a valid YAML double-quoted scalar
from pathlib import Path
from typing import Any

from bricli.files import atomic_create_dir

MARK = "# Written by bricli import"
MAX_FILE_BYTES = 1_500_000  # under the 2 MB a fact file may hold (--max-file-size)
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


class Digits(str):
    """Digits to write unquoted: a stated number."""


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def scalar(value: object) -> str:
    kind = type(value)
    if kind is str:  # the common case first: 80,000 facts have a million of them
        return _ESCAPE.sub(_escape, encode_basestring(value))  # type: ignore[arg-type]
    if kind is Digits:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is list or kind is tuple:
        return "[" + ", ".join([scalar(v) for v in value]) + "]"  # type: ignore[attr-defined]
    return _ESCAPE.sub(_escape, encode_basestring(str(value)))


def _mapping(item: dict[str, Any], indent: str) -> list[str]:
    lines = []
    for key, value in item.items():
        if value is None:
            continue
        if type(value) is dict:
            lines.append(f"{indent}{key}:")
            lines.extend(_mapping(value, indent + "  "))
        else:
            lines.append(f"{indent}{key}: {scalar(value)}")
    return lines


def entry(item: dict[str, Any]) -> str:
    """One list entry (`  - id: ...`), with its fields under it."""
    lines = _mapping(item, "    ")
    lines[0] = "  - " + lines[0][4:]
    return "\n".join(lines) + "\n"


def file_text(header: str, key: str, entries: list[str]) -> str:
    return f"{MARK} {header}\n{key}:\n" + "\n".join(entries)


def layout(prefix: str, groups: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """File name -> its fact entries: one file per group (a country), split in parts under
    MAX_FILE_BYTES; groups and names in sorted order, so the same input gives the same files."""
    files: dict[str, list[str]] = {}
    for group in sorted(groups):
        part, size, name = 1, 0, f"{prefix}-{group}.yaml"
        for fact in groups[group]:
            text = entry(fact)
            if size and size + len(text.encode()) > MAX_FILE_BYTES:
                part += 1
                size, name = 0, f"{prefix}-{group}-{part}.yaml"
            files.setdefault(name, []).append(text)
            size += len(text.encode())
    return files


def written_by_import(directory: Path) -> bool:
    """True when every entry of `directory` is a fact file `bricli import` wrote (or it is empty):
    only such a directory is replaced, with --force."""
    for child in directory.iterdir():
        if child.is_symlink() or not child.is_file() or child.suffix != ".yaml":
            return False
        with open(child, "rb") as fh:
            if fh.read(len(MARK)) != MARK.encode():
                return False
    return True


def write(directory: Path, texts: dict[str, str], force: bool) -> None:
    def build(tmp: Path) -> None:
        for name, text in texts.items():
            (tmp / name).write_text(text, encoding="utf-8")

    atomic_create_dir(directory, build, force=force, replaceable=written_by_import)
