"""Close matches for "did you mean ...?", at a cost bounded whatever the input.

difflib compares the word with every choice, each comparison growing with
both lengths: a 1 MB typo, or a typo among 50,000 fact ids, would take
seconds. So a word longer than MAX_SUGGEST_WORD gets no suggestion, and of
more than MAX_SUGGEST_CANDIDATES choices only those of about the word's length
and sharing the longest prefix with it are compared (at most that many).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bricli.model.limits import MAX_SUGGEST_CANDIDATES, MAX_SUGGEST_WORD


def close_matches(word: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    if not word or len(word) > MAX_SUGGEST_WORD:
        return []
    pool = list(choices)
    if len(pool) > MAX_SUGGEST_CANDIDATES:
        pool = [c for c in pool if abs(len(c) - len(word)) <= max(3, len(word) // 4)]
    prefix = 1
    while len(pool) > MAX_SUGGEST_CANDIDATES and prefix <= len(word):
        narrower = [c for c in pool if c.startswith(word[:prefix])]
        if not narrower:
            break
        pool, prefix = narrower, prefix + 1
    return difflib.get_close_matches(word, pool[:MAX_SUGGEST_CANDIDATES], n=n, cutoff=cutoff)
