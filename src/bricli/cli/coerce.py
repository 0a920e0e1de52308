"""Coerce bricli's command-line values without importing pydantic.

typer 0.28+ converts every parameter value through a pydantic TypeAdapter,
built on first use. Importing pydantic and building the adapters costs more
than everything else bricli does for `bricli trade --help`, a query or a TAB
press. bricli's parameters are all simple — text, an integer (maybe with a
range), a flag, a path, a list of paths — so for exactly those this module
gives light converters with typer's rules and error messages: plain functions
from a value to an int, a text or a flag, raising ValueError with pydantic's
words. cli/typer_seam.py's LightParam hands them to typer (it picks the
parameters and wraps errors in typer.BadParameter); any other kind of
parameter (or a typer without these internals) keeps typer's own.

Parity with typer's conversion is checked in tests/test_startup.py. Two
refusals are bricli's own: an empty path (`--facts ""` would otherwise read
the working directory) and text with bytes the locale could not decode
(`--title $'T\xff'`), which no output could carry as given.
"""

from __future__ import annotations

import re

_UNDECODED = "[\udc80-\udcff]"  # how Python keeps argument bytes it could not decode


def to_text(value) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeError:
            return value.decode("utf-8", "replace")
    text = str(value)
    bad = re.search(_UNDECODED, text)
    if bad:  # it could be written nowhere (stdout, a file) without guessing what it meant
        byte = ord(bad.group()) - 0xDC00
        raise ValueError(f"not valid text in this locale (byte 0x{byte:02x}); check the terminal's encoding")
    return text


_TRUE = frozenset(("1", "true", "t", "yes", "y", "on"))
_FALSE = frozenset(("0", "false", "f", "no", "n", "off", ""))


def to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError("Input should be a valid boolean, unable to interpret input")
