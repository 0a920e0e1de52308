"""The one reading of every number and every path given to bricli, on the command line
or through `bricli.api` (issue 24).

`whole_number` parses `--limit`, `--max-file-size`, a year, ...: bounds checked, the
text's length checked before Python's int() sees it (which refuses more than 4,300
digits with a bare ValueError), so any input ends in one clear message.
`path_argument` turns a path as typed (`~/facts`, `~user/facts`) into a Path, and
refuses what no file system call should see: a NUL byte, a `~user` that names no
user, a path or a name longer than the system takes.

Both raise ArgumentError (a ValueError) with a message that names no option: the
caller adds its own (`--limit: ...`, a Problem for $BRICLI_FACTS, a QueryError in the API).
Cheap to import: the CLI's value conversion uses it on every run.
"""

from __future__ import annotations

import os
from pathlib import Path

# The largest whole number bricli takes anywhere: 15 digits, as for a stated figure.
MAX_WHOLE_NUMBER = 10**15 - 1
# Longer texts are not numbers bricli could take, whatever their value: refused before int().
_MAX_NUMBER_TEXT = 40
# Linux's PATH_MAX and NAME_MAX; other systems' are no larger in practice.
MAX_PATH_BYTES = 4096
MAX_NAME_BYTES = 255
_SHOWN = 40


class ArgumentError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def clip(value: object, width: int = _SHOWN) -> str:
    """A value for a message, never thousands of characters long (no int() of a huge int)."""
    if isinstance(value, int) and not isinstance(value, bool):
        bits = value.bit_length()
        if bits > 160:  # str() of a huge int is refused past 4,300 digits, and slow before
            return f"a {'negative ' if value < 0 else ''}number of about {int(bits * 0.30103):,} digits"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= width else f"{text[: width - 1]}… ({len(text):,} characters)"


def whole_number(value: object, *, lo: int = 0, hi: int = MAX_WHOLE_NUMBER) -> int:
    """A whole number from lo to hi: an int (not a bool), or text such as '10', ' 10', '+10',
    '1_000' or '10.0' (the forms typer took before). Anything else is an ArgumentError."""
    expected = f"expected a whole number from {lo:,} to {hi:,}"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ArgumentError(f"{expected}, not {type(value).__name__} {clip(value)}")
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        digits = text.lstrip("+-").replace("_", "")
        whole, dot, zeros = digits.partition(".")
        if (not text or len(text) > _MAX_NUMBER_TEXT or not whole.isascii() or not whole.isdigit()
                or (dot and (not zeros or zeros.strip("0"))) or "__" in text or text.lstrip("+-").startswith("_")
                or text.endswith("_") or (text[:1] in "+-" and text[1:2] in "+-")):
            raise ArgumentError(f"{expected}, not '{clip(value)}'")
        number = int(whole) * (-1 if text.startswith("-") else 1)
    if not lo <= number <= hi:
        huge = isinstance(value, int) and value.bit_length() > 160
        raise ArgumentError(f"{expected}, not {clip(value) if huge else repr(clip(value) if isinstance(value, str) else str(value))}")
    return number


def path_argument(value: object) -> Path:
    """A path as typed: `~` and `~user` expanded; NUL, an unknown user, an over-long path
    or name refused with an ArgumentError (never the RuntimeError or ValueError that
    expanduser and every file system call would raise)."""
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if not isinstance(value, (str, os.PathLike)):
        raise ArgumentError(f"expected a path, not {type(value).__name__} {clip(value)}")
    text = os.fspath(value)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text:
        raise ArgumentError("an empty path", "give a path")
    if "\x00" in text:
        shown = clip(text.replace("\x00", "\\0"))
        raise ArgumentError(f"a path with a NUL character: '{shown}'", "give a path without NUL")
    if text.startswith("~"):
        user = text[1:].split(os.sep, 1)[0]
        try:
            expanded = os.path.expanduser(text)
        except (RuntimeError, KeyError, OSError):  # no home directory to be had
            expanded = text
        if expanded.startswith("~"):
            who = f"no user '{clip(user)}'" if user else "no home directory"
            raise ArgumentError(f"cannot expand '{clip(text)}': {who}", "give the directory's full path")
        text = expanded
    size = len(os.fsencode(text)) if _encodable(text) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_PATH_BYTES:
        raise ArgumentError(f"the path is too long ({size:,} bytes; at most {MAX_PATH_BYTES:,})", "give a shorter path")
    for part in Path(text).parts:
        part_size = len(part.encode("utf-8", "surrogateescape")) if _encodable(part) else len(part)
        if part_size > MAX_NAME_BYTES:
            raise ArgumentError(f"a name in the path is too long ({part_size:,} bytes; at most {MAX_NAME_BYTES})",
                                f"shorten '{clip(part)}'")
    return Path(text)


def _encodable(text: str) -> bool:
    try:
        os.fsencode(text)
        return True
    except UnicodeError:
        return False
