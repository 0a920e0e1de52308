"""Country and region codes, and matching what a user types to a code.

The table lives in ``countries.tsv`` next to this module: one row per ISO 3166-1
country (alpha-3 ``code``, ``alpha2``, English/Spanish/Portuguese names and
``;``-separated aliases), plus the World Bank region codes LCN, WLD and EUU
(empty ``alpha2``). It is read lazily, once, on first use: this module is
imported on hot paths (validation, shell completion), so it imports nothing
beyond a few cheap stdlib modules; the table is read through the module's own
loader, which reads it from a zip too.

Matching (``resolve``) works on a *key*: the input normalised with
``normalise`` (case-folded, accents stripped, punctuation collapsed) and then
with spaces removed, so ``"EE. UU."``, ``"ee uu"`` and ``"EEUU"`` are the same
key, as are ``"Guinea-Bissau"`` and ``"guinea bissau"``.

Collision rule. One key can name several codes (``"no"`` is Norway's alpha-2;
``"Granada"`` is Spanish for Grenada). Every key the table produces is ranked
by where it comes from, and an exact match takes the best rank::

    0  alpha-3 or region code        BRA, LCN
    1  alpha-2 code                  BR, NO
    2  English name                  Brazil, Niger
    3  Spanish or Portuguese name    Brasil, Níger
    4  alias                         Latin America, EE. UU.

so a code beats a name and an English name beats a Spanish/Portuguese name or
an alias of another country. Two codes sharing a key at the same rank are
reported as ambiguous (the test suite checks that the shipped table has no
such key). Only when no exact match exists, a name or alias of which the input
is a prefix (at least 4 characters of key) resolves, and only if all such
names belong to one code; otherwise the input is ambiguous. An exact match
therefore always wins over prefixes: ``Niger`` is NER although it is also a
prefix of ``Nigeria``.
"""

from __future__ import annotations

import functools
import os

from bricli.model.suggest import close_matches
from bricli.model.text import fold

__all__ = [
    "CountryError",
    "completions",
    "is_known",
    "known_codes",
    "name",
    "names",
    "normalise",
    "resolve",
    "short_name",
]

# Latin America and the Caribbean (LCN): the 33 member states of CELAC, the region
# bricli's facts are about; completion offers them first
REGION_MEMBERS = ("ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CHL", "COL", "CRI", "CUB", "DMA", "DOM",
                  "ECU", "GRD", "GTM", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC", "PAN", "PER",
                  "PRY", "SLV", "SUR", "TTO", "URY", "VCT", "VEN")

_TSV = "countries.tsv"
_MIN_PREFIX = 4          # shortest key that may match as a prefix of a name
_MAX_COMPLETIONS = 50
_MAX_LISTED = 12         # candidates spelled out in an "ambiguous" message
_MAX_SUGGESTIONS = 3

# ranks of an exact match, best first (see the module docstring)
_RANK_CODE, _RANK_ALPHA2, _RANK_EN, _RANK_ESPT, _RANK_ALIAS = range(5)


class CountryError(ValueError):
    """An input that names no country or region, or more than one.

    ``suggestions`` holds ``(code, English name)`` pairs: close matches for an
    unknown input, the candidates for an ambiguous one.
    """

    def __init__(self, message: str, suggestions: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.suggestions: list[tuple[str, str]] = list(suggestions or ())


def normalise(text: str) -> str:
    """Case-fold, strip accents, turn ``&`` into ``and`` and collapse every run
    of punctuation or whitespace into one space: ``" Côte d'Ivoire "`` ->
    ``"cote d ivoire"``."""
    out: list[str] = []
    gap = False
    for ch in fold(text.replace("&", " and ")):
        if ch.isalnum():
            if gap and out:
                out.append(" ")
            gap = False
            out.append(ch)
        else:
            gap = True
    return "".join(out)


def _key(text: str) -> str:
    return normalise(text).replace(" ", "")


class _Row:
    __slots__ = ("code", "alpha2", "en", "es", "pt", "aliases")

    def __init__(self, code: str, alpha2: str, en: str, es: str, pt: str, aliases: tuple[str, ...]) -> None:
        self.code, self.alpha2, self.en, self.es, self.pt, self.aliases = code, alpha2, en, es, pt, aliases


class _Table:
    __slots__ = ("rows", "exact", "names")

    def __init__(self, rows: dict[str, _Row]) -> None:
        self.rows = rows
        # key -> (rank, codes at that rank)
        self.exact: dict[str, tuple[int, tuple[str, ...]]] = {}
        # (key, code) for every name and alias, for prefix matching
        self.names: list[tuple[str, str]] = []
        seen_names: set[tuple[str, str]] = set()
        for row in rows.values():
            entries = [(row.code, _RANK_CODE), (row.alpha2, _RANK_ALPHA2), (row.en, _RANK_EN),
                       (row.es, _RANK_ESPT), (row.pt, _RANK_ESPT)]
            entries += [(alias, _RANK_ALIAS) for alias in row.aliases]
            for text, rank in entries:
                key = _key(text) if text else ""
                if not key:
                    continue
                old = self.exact.get(key)
                if old is None or rank < old[0]:
                    self.exact[key] = (rank, (row.code,))
                elif rank == old[0] and row.code not in old[1]:
                    self.exact[key] = (rank, old[1] + (row.code,))
                if rank >= _RANK_EN and (key, row.code) not in seen_names:
                    seen_names.add((key, row.code))
                    self.names.append((key, row.code))


def _read_tsv() -> str:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), _TSV)
    data: bytes = __loader__.get_data(path)  # type: ignore[name-defined]  # a file, or a member of a zip
    return data.decode("utf-8")


@functools.cache
def _load() -> _Table:
    """The rows with their matching index (for resolve and completions)."""
    return _Table(_rows())


@functools.cache
def _rows() -> dict[str, _Row]:
    """The rows alone: enough for codes and names, without building the index."""
    lines = _read_tsv().splitlines()
    header = lines[0].split("\t")
    if header != ["code", "alpha2", "en", "es", "pt", "aliases"]:
        raise RuntimeError(f"{_TSV}: unexpected header {header!r}")
    rows: dict[str, _Row] = {}
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 6:
            raise RuntimeError(f"{_TSV}:{lineno}: expected 6 tab-separated fields, got {len(fields)}")
        code, alpha2, en, es, pt, aliases = (f.strip() for f in fields)
        if code in rows:
            raise RuntimeError(f"{_TSV}:{lineno}: duplicate code {code}")
        rows[code] = _Row(code, alpha2, en, es or en, pt or en,
                          tuple(a.strip() for a in aliases.split(";") if a.strip()))
    return rows


def known_codes() -> frozenset[str]:
    """Every alpha-3 country code and region code in the table."""
    return frozenset(_rows())


def is_known(code: str) -> bool:
    """Whether ``code`` is exactly (upper-case) a known alpha-3 or region code."""
    return isinstance(code, str) and code in _rows()


def name(code: str) -> str:
    """The English name of ``code``, or ``code`` itself when it is unknown."""
    row = _rows().get(code)
    return row.en if row is not None else code


def names(code: str) -> tuple[str, str, str, str] | None:
    """``(alpha2, English, Spanish, Portuguese)`` names of ``code`` (alpha2 is empty for
    a region), or None when it is unknown."""
    row = _rows().get(code)
    return None if row is None else (row.alpha2, row.en, row.es, row.pt)


# names for narrow tables, where the English name is long
_SHORT = {"LCN": "LAC", "EUU": "EU", "USA": "US", "GBR": "UK", "VCT": "St Vincent", "DOM": "Dominican Rep.",
          "KNA": "St Kitts and Nevis", "ATG": "Antigua", "TTO": "Trinidad & Tobago"}


def short_name(code: str) -> str:
    """A short English name for tables: 'LAC' (Latin America and the Caribbean) for LCN, else the English name."""
    return _SHORT.get(code) or name(code)


def _label(code: str) -> str:
    return f"{name(code)} ({code})"


def _ambiguous(text: str, codes: list[str]) -> CountryError:
    codes = sorted(codes)
    listed = ", ".join(_label(c) for c in codes[:_MAX_LISTED])
    if len(codes) > _MAX_LISTED:
        listed += f", ... ({len(codes) - _MAX_LISTED} more)"
    return CountryError(f"ambiguous country '{text}': {listed}", [(c, name(c)) for c in codes])


def _unknown(text: str, key: str) -> CountryError:
    suggestions: list[str] = []
    if key:
        table = _load()
        keys = [k for k, (rank, _) in table.exact.items() if rank != _RANK_ALPHA2]
        for match in close_matches(key, keys, n=10, cutoff=0.75):
            for code in table.exact[match][1]:
                if code not in suggestions:
                    suggestions.append(code)
        del suggestions[_MAX_SUGGESTIONS:]
    message = f"unknown country or region '{text}'"
    if suggestions:
        labels = [_label(c) for c in suggestions]
        hint = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        message += f" (did you mean {hint}?)"
    return CountryError(message, [(c, name(c)) for c in suggestions])


def resolve(text: str) -> str:
    """Turn what a user typed into a code.

    Accepts alpha-3 and alpha-2 codes in any case, and English, Spanish and
    Portuguese names and aliases regardless of case, accents and punctuation;
    failing an exact match, an unambiguous prefix of a name (at least 4
    characters). Raises ``CountryError`` for unknown, ambiguous or empty input.
    """
    raw = text.strip() if isinstance(text, str) else ""
    if not raw:
        raise CountryError("empty country or region")
    key = _key(raw)
    table = _load()
    hit = table.exact.get(key)
    if hit is not None:
        codes = hit[1]
        if len(codes) == 1:
            return codes[0]
        raise _ambiguous(raw, list(codes))
    if len(key) >= _MIN_PREFIX:
        prefixed = sorted({code for k, code in table.names if k.startswith(key)})
        if len(prefixed) == 1:
            return prefixed[0]
        if prefixed:
            raise _ambiguous(raw, prefixed)
    raise _unknown(raw, key)


def completions(incomplete: str) -> list[tuple[str, str]]:
    """``(value, help)`` pairs for shell completion of a country argument.

    With nothing typed: LCN, the region's 33 countries, then CHN. Otherwise codes
    starting with ``incomplete`` come first (help: the English name), then
    English, Spanish and Portuguese names starting with it, ignoring case,
    accents and punctuation (help: the code for an English name, "English name
    (CODE)" otherwise). Both groups are sorted; at most 50 pairs.
    """
    table = _load()
    key = _key(incomplete or "")
    if not key:  # nothing typed yet: the region, its countries, China
        return [(code, table.rows[code].en) for code in ("LCN", *REGION_MEMBERS, "CHN") if code in table.rows]
    upper = key.upper()
    out: list[tuple[str, str]] = [(code, row.en) for code, row in sorted(table.rows.items())
                                  if code.startswith(upper)]
    if len(out) >= _MAX_COMPLETIONS:
        return out[:_MAX_COMPLETIONS]
    # One spelling per (name key, code): "Mexico" and "México" differ only in
    # accents, so offer the one that literally starts with what was typed
    # (ignoring case), else the first of English, Spanish, Portuguese.
    typed = (incomplete or "").strip().casefold()
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for code, row in sorted(table.rows.items()):
        for value in (row.en, row.es, row.pt):
            value_key = _key(value)
            if not value_key.startswith(key):
                continue
            slot = (value_key, code)
            pair = (value, code if value == row.en else _label(code))
            if slot not in found or (typed and value.casefold().startswith(typed)
                                     and not found[slot][0].casefold().startswith(typed)):
                found[slot] = pair
    out.extend(sorted(found.values(), key=lambda pair: (normalise(pair[0]), pair[0])))
    return out[:_MAX_COMPLETIONS]
