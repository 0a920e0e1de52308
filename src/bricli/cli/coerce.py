"""Coerce bricli's command-line values without importing pydantic.

typer 0.28+ converts every parameter value through a pydantic TypeAdapter,
built on first use. Importing pydantic and building the adapters costs more
than everything else bricli does for `bricli trade --help`, a query or a TAB
press. bricli's parameters are all simple — text, an integer (maybe with a
range), a flag, a path, a list of paths — so for exactly those this module
gives a light converter with typer's rules and error messages (installed by
cli/typer_seam.py, which picks the parameters); any other kind of parameter
(or a typer without these internals) keeps typer's own.

Parity with typer's conversion is checked in tests/test_startup.py. Two
refusals are bricli's own: an empty path (`--facts ""` would otherwise read
the working directory) and text with bytes the locale could not decode
(`--title $'T\xff'`), which no output could carry as given.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_UNDECODED = "[\udc80-\udcff]"  # how Python keeps argument bytes it could not decode


def _text(value) -> str:
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


class LightParam:
    """Stands in for typer's RuntimeParam: same `coerce(value, param, ctx)` contract."""

    __slots__ = ("kind", "info")

    def __init__(self, kind: str, info) -> None:
        self.kind = kind  # str, int, bool, path, paths, texts
        self.info = info  # typer's ParameterInfo (min, max, path checks)

    def coerce(self, value, param, ctx):
        from typer import BadParameter

        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        if multi and isinstance(value, str):
            raise BadParameter("Value must be an iterable.", ctx=ctx, param=param)
        try:
            if self.kind == "texts":
                items = value if isinstance(value, (list, tuple)) else [value]
                return [_text(v) for v in items]
            if self.kind == "paths":
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self._path(v, param, ctx) for v in items]
            if self.kind == "path":
                return self._path(value, param, ctx)
            if self.kind == "int":  # every number: one function, bounds and length checked (issue 24)
                from bricli.model.arguments import MAX_WHOLE_NUMBER, whole_number

                lo, hi = self.info.min, self.info.max
                return whole_number(value, lo=-MAX_WHOLE_NUMBER if lo is None else lo, hi=MAX_WHOLE_NUMBER if hi is None else hi)
            if self.kind == "bool":
                return _bool(value)
            return _text(value)
        except ValueError as exc:
            raise BadParameter(str(exc), ctx=ctx, param=param) from None

    def _path(self, value, param, ctx) -> Path:
        from bricli.cli.typer_seam import check_path  # typer's existence/permission checks, no pydantic

        from bricli.model.arguments import path_argument

        if value in ("", b""):  # Path("") is ".": an empty --facts would read the working directory
            raise ValueError("an empty path")
        if param.name == "facts":  # a fact directory's path is checked by load/discover.list_files: a problem
            return Path(os.fsdecode(value))  # (exit 1) however it was named, --facts or $BRICLI_FACTS
        # every other path: one function (~user, NUL, over-long: a usage error, never a traceback; issue 24)
        return check_path(path_argument(value), self.info, param, ctx)


_TRUE = frozenset(("1", "true", "t", "yes", "y", "on"))
_FALSE = frozenset(("0", "false", "f", "no", "n", "off", ""))


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError("Input should be a valid boolean, unable to interpret input")
