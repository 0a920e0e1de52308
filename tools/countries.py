"""Generate src/bricli/model/countries.tsv from pycountry (ISO 3166-1 and its translations) plus an overlay.

    pip install -e ".[dev]"                 # pycountry is a dev-time dependency only
    python tools/countries.py               # rewrite countries.tsv
    python tools/countries.py --check       # exit 1 if it is stale

pycountry gives the codes and the English, Spanish and Portuguese names
(its iso3166-1 translations). bricli's table says some names the way people
and sources write them ("Bolivia", not "Bolivia, Plurinational State of";
"Caribbean Netherlands") and adds aliases and the World Bank region codes
(LCN, WLD, EUU): those hand-maintained parts live in tools/countries-overlay.tsv
(same columns; a non-empty cell replaces pycountry's; a row whose code ISO
does not know is appended as it is). Shipped bricli reads only the generated
file: no pycountry at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TSV = ROOT / "src" / "bricli" / "model" / "countries.tsv"
OVERLAY = Path(__file__).resolve().parent / "countries-overlay.tsv"
HEADER = ("code", "alpha2", "en", "es", "pt", "aliases")


def iso_rows() -> dict[str, list[str]]:
    """code -> [code, alpha2, en, es, pt, aliases] as pycountry has them."""
    import gettext

    import pycountry

    es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    pt = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["pt"])
    rows = {}
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        en = getattr(c, "common_name", None) or c.name
        rows[c.alpha_3] = [c.alpha_3, c.alpha_2, en, es.gettext(c.name), pt.gettext(c.name), ""]
    return rows


def read_overlay(path: Path = OVERLAY) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if tuple(lines[0].split("\t")) != HEADER:
        raise SystemExit(f"{path}: unexpected header")
    return [line.split("\t") for line in lines[1:] if line.strip()]


def build() -> str:
    rows = iso_rows()
    extra = []
    for cells in read_overlay():
        row = rows.get(cells[0])
        if row is None:
            extra.append(cells)
            continue
        for i, cell in enumerate(cells[1:], start=1):
            if cell:
                row[i] = cell
    lines = ["\t".join(HEADER)] + ["\t".join(r) for r in (*rows.values(), *extra)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = build()
    if TSV.read_text(encoding="utf-8") == text:
        return 0
    if "--check" in argv:
        print(f"stale: {TSV}", file=sys.stderr)
        return 1
    TSV.write_text(text, encoding="utf-8")
    print(f"wrote: {TSV}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
