"""Make text safe to print on a terminal, and escape fields for one-line-per-record output.

A fact is untrusted text: an ESC or CSI byte in it could recolour, move the
cursor or rewrite the terminal title, and a bidi override could make a line read
differently from its bytes. `terminal_safe` turns every such character into a
visible escape (``\\x1b``, ``\\u202e``) instead of deleting it, so that nothing
is hidden from the reader.
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF (layout, not commands), DEL, C1 controls,
# bidi embeddings/overrides/isolates/marks, and LINE/PARAGRAPH SEPARATOR
# (str.splitlines and some terminals break lines on them, which would split a
# record in plain output).
# Also the invisible format characters (issue 24): soft hyphen, combining grapheme joiner,
# Mongolian vowel separator, zero-width space, non-joiner and joiner, word joiner and the
# invisible operators, the byte order mark, interlinear annotation marks and the tag
# characters, which can hide text or make two different texts look the same.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def _visible_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal_safe(text: str) -> str:
    """Replace terminal control and bidi characters with visible escapes.

    TAB and LF are kept: they only lay text out. Backslashes are not escaped,
    so the escapes are for reading, not for decoding (use plain output for that).
    """
    return _UNSAFE.sub(_visible_escape, text)


def escape_unsafe(text: str) -> str:
    """Like `terminal_safe`, but every escape is ``\\uXXXX``: inside a JSON string that is
    the same character, so JSON shown on a terminal still parses to the same values."""
    return _UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    """\\uXXXX, and a surrogate pair past the BMP (a tag character): JSON reads it back the same."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


_LINE_FIELD_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escape_line_field(text: str) -> str:
    """Escape backslash, TAB, LF and CR so a field never splits a line or a column.

    Backslash is escaped too, so the escaping is reversible (as in PostgreSQL's
    text COPY format and `cut`-friendly TSV).
    """
    return text.translate(_LINE_FIELD_ESCAPES)
