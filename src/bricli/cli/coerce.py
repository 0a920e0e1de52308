"""Coerce bricli's command-line values without importing pydantic.

typer 0.28+ converts every parameter value through a pydantic TypeAdapter,
built on first use. Importing pydantic and building the adapters costs more
than everything else bricli does for `bricli trade --help`, a query or a TAB
press. bricli's parameters are all simple — text, an integer (maybe with a
range), a flag, a path, a list of paths — so for exactly those this module
installs a light converter with typer's rules and error messages; any other
kind of parameter (or a typer without these internals) keeps typer's own.

Parity with typer's conversion is checked in tests/test_startup.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# pydantic's wording, which typer shows after "Invalid value for '--year':"
NOT_INT = "Input should be a valid integer, unable to parse string as an integer"


_INT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")


def _int(text) -> int:
    """An integer as pydantic's lax mode reads one: '2018', ' 2018', '2_018', '2018.0'."""
    if isinstance(text, bool):
        raise ValueError(NOT_INT)
    if isinstance(text, int):
        return text
    s = str(text).strip()
    if not _INT.fullmatch(s):
        raise ValueError(NOT_INT)
    return int(s.split(".")[0])


def _text(value) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeError:
            return value.decode("utf-8", "replace")
    return str(value)


class LightParam:
    """Stands in for typer's RuntimeParam: same `coerce(value, param, ctx)` contract."""

    __slots__ = ("kind", "info")

    def __init__(self, kind: str, info) -> None:
        self.kind = kind  # str, int, bool, path, paths, texts
        self.info = info  # typer's ParameterInfo (min, max, path checks)

    def coerce(self, value, param, ctx):
        from typer._click.exceptions import BadParameter

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
            if self.kind == "int":
                n = _int(value)
                lo, hi = self.info.min, self.info.max
                if lo is not None and n < lo:
                    raise ValueError(f"Input should be greater than or equal to {lo}")
                if hi is not None and n > hi:
                    raise ValueError(f"Input should be less than or equal to {hi}")
                return n
            if self.kind == "bool":
                return _bool(value)
            return _text(value)
        except ValueError as exc:
            raise BadParameter(str(exc), ctx=ctx, param=param) from None

    def _path(self, value, param, ctx) -> Path:
        from typer._param_types import coerce_cli_path  # typer's existence/permission checks, no pydantic

        return Path(coerce_cli_path(os.fspath(value) if not isinstance(value, str) else value,
                                    self.info, path_type=None, param=param, ctx=ctx))


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


def _kind(param) -> str | None:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or getattr(desc, "file_annotation", True) is not None:
        return None
    info = desc.parameter_info
    if info.parser is not None or getattr(info, "clamp", False) or getattr(info, "resolve_path", False):
        return None
    ann = desc.annotation
    if ann is str:
        return "str"
    if ann is bool:
        return "bool"
    if ann is int:
        return "int"
    if ann is Path and info.path_type is None and not info.allow_dash:
        return "path"
    if ann == list[str]:
        return "texts"
    if ann == list[Path] and info.path_type is None and not info.allow_dash:
        return "paths"
    return None


def _give(param) -> bool:
    if not hasattr(param, "_runtime_param") or param._runtime_param is not None:
        return False
    kind = _kind(param)
    if kind is None:
        return False
    param._runtime_param = LightParam(kind, param.type_descriptor.parameter_info)
    return True


def install(command) -> int:
    """Give every simple parameter of `command` (and its subcommands) the light converter.

    Returns how many parameters were given one; 0 when typer has no such
    internals (older typer, which does not use pydantic anyway). Idempotent.
    """
    count = sum(_give(p) for p in getattr(command, "params", ()))
    if "get_help_option" in vars(command) or not hasattr(command, "get_help_option"):
        pass  # already wrapped
    else:  # the -h/--help option is made on first use, per command
        original = command.get_help_option

        def get_help_option(ctx, _original=original):
            option = _original(ctx)
            if option is not None:
                _give(option)
            return option

        command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        count += install(sub)
    return count
