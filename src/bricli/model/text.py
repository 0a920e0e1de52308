"""Text folding shared by search and country matching (stdlib only: on hot paths)."""

from __future__ import annotations

import re
import unicodedata


# Letters that read as a base letter with a mark but do not decompose into one:
# a Turkish dotless ı folds like i (as dotted İ already does), ø like o, ...
_BASE_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'São' ~ 'sao', 'MÉXICO' ~ 'mexico', 'Işık' ~ 'isik'."""
    if text.isascii():  # the common case, and the same result: nothing to map, decompose or drop
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_BASE_LETTERS))
    # marks are never ASCII: only the non-ASCII stretches are looked at, character by character
    return _NON_ASCII.sub(_unmarked, decomposed)


def _unmarked(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if not unicodedata.combining(c))


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
