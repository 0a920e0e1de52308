"""Text folding shared by search and country matching (stdlib only: on hot paths)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'São' ~ 'sao', 'MÉXICO' ~ 'mexico'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
