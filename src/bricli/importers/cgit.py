"""The American Enterprise Institute's China Global Investment Tracker (CGIT).

Read from the tracker's workbook: the investment sheet and the construction sheet (their table
starts a few rows down, under a title; the header row is found by its column names), or one of
them saved as CSV. Each transaction becomes one figure: the amount in US$ million as stated
(nominal), China and the host country, the Chinese investor and the transaction party as
participants, the period its year and month, and the Belt and Road flag, sector, share size
and greenfield mark in the note. Investments are topic investment (direction outward),
construction contracts topic projects.

The tracker has no record ids: a fact's id is a hash of the transaction's year, month,
investor, party, country and sector (not its amount, so a corrected amount in a newer release
updates the same fact); transactions identical in those get -2, -3 in file order.
"""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any

from bricli.importers.base import BadCell, SheetColumn, Dataset, ImportFailed, SheetRow, Scope, cell_amount, column_key, country_code, one_line, year
from bricli.importers.writer import Digits

SOURCE_ID = "aei-cgit"
MONTH_NAMES = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"), start=1)}
# the tracker's spellings bricli's country table does not know
COUNTRY_ALIASES = {"trinidadtobago": "TTO", "stvincent": "VCT", "stlucia": "LCA", "stkitts": "KNA", "antigua": "ATG",
                   "britain": "GBR", "uae": "ARE", "drc": "COD", "southkorea": "KOR"}
# the tracker's regions outside Latin America and the Caribbean: a country name bricli does not
# know in one of these is simply outside the default scope, not a row to report
OTHER_REGIONS = {"eastasia", "westasia", "europe", "usa", "northamerica", "australia", "subsaharanafrica",
                 "arabmiddleeastandnorthafrica"}

COLUMNS = (
    SheetColumn("year", ("Year",)),
    SheetColumn("month", ("Month",), required=False),
    SheetColumn("investor", ("Investor", "Chinese Entity")),
    SheetColumn("quantity", ("Quantity in Millions",)),
    SheetColumn("share", ("Share Size",), required=False),
    SheetColumn("party", ("Transaction Party",), required=False),
    SheetColumn("sector", ("Sector",), required=False),
    SheetColumn("subsector", ("Subsector",), required=False),
    SheetColumn("country", ("Country",)),
    SheetColumn("region", ("Region",), required=False),
    SheetColumn("bri", ("BRI",), required=False),
    SheetColumn("greenfield", ("Greenfield",), required=False),
)

SOURCE: dict[str, Any] = {
    "id": SOURCE_ID,
    "title": "China Global Investment Tracker",
    "author": "Derek Scissors",
    "publisher": "American Enterprise Institute",
    "url": "https://www.aei.org/china-global-investment-tracker/",
    "kind": "dataset",
    "language": "en",
    "reliability": "B",
}
NOTE = ("Chinese investment and construction transactions of US$100 million or more since 2005, in US$ million as "
        "the tracker states them (nominal). Free for public use with citation: China Global Investment Tracker, "
        "American Enterprise Institute, https://www.aei.org/china-global-investment-tracker/. "
        "Imported with bricli import cgit.")


class Cgit(Dataset):
    name = "cgit"
    title = "China Global Investment Tracker (AEI)"
    prefix = "cgit"
    columns = COLUMNS

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.latest = 0

    def sheets(self, names: list[str], asked: str | None) -> list[str]:
        if asked is not None:
            if asked not in names:
                raise ImportFailed(f"the workbook has no sheet '{asked}' (its sheets: {', '.join(names)})",
                                   "give one of its sheets with --sheet")
            return [asked]
        chosen = [n for n in names if _kind(n) is not None]
        if not chosen:
            raise ImportFailed(f"the workbook has no investment or construction sheet (its sheets: {', '.join(names)})",
                               "the tracker keeps them in sheets named Dataset 1 and Dataset 2 (or Investments and "
                               "Construction); name one with --sheet")
        return chosen

    def start(self, tables) -> None:
        self.ids = {}
        self.latest = 0
        for t in tables:
            for row in t.rows:
                with contextlib.suppress(BadCell):
                    self.latest = max(self.latest, year(row, "year") or 0)

    def sources(self) -> list[dict[str, Any]]:
        # the release is not in the file: dated by its latest transaction, and said so
        return [{**SOURCE, "date": str(self.latest or 2005), "date_estimated": True,
                 "note": NOTE + " The date is the year of the latest transaction in the imported file."}]

    def facts(self, row: SheetRow, scope: Scope) -> tuple[str, list[dict[str, Any]]] | None:
        country = row.text("country")
        code = _country(country)
        if code is None:
            if not scope.everything and column_key(row.text("region") or "") in OTHER_REGIONS:
                return None
            raise BadCell(row.header("country"), f"'{(country or '')[:40]}' is not a country bricli knows")
        if not scope.keeps(code):
            return None
        y = year(row, "year")
        if y is None:
            raise BadCell(row.header("year"), "no year")
        month = _month(row)
        value = cell_amount(row, "quantity")
        if value is None:
            raise BadCell(row.header("quantity"), "no amount")
        investor = row.text("investor") or ""
        construction = _kind(row.sheet or "") == "construction"
        what = "construction" if construction else "investment"
        key = "|".join(column_key(row.text(k) or "") for k in ("year", "month", "investor", "party", "country", "sector", "subsector"))
        base = f"cgit-{'con' if construction else 'inv'}-{hashlib.sha1(f'{what}|{key}'.encode()).hexdigest()[:10]}"
        n = self.ids[base] = self.ids.get(base, 0) + 1
        fid = base if n == 1 else f"{base}-{n}"

        sector = " / ".join(t for t in (row.text("sector"), row.text("subsector")) if t)
        bri = column_key(row.text("bri") or "") in {"1", "yes", "y", "true", "bri"}
        details = [f"Belt and Road: {'yes' if bri else 'no'} (the tracker's BRI column: '{row.text('bri') or ''}')"]
        for k, word in (("sector", "sector"), ("subsector", "subsector"), ("share", "share size"),
                        ("greenfield", "greenfield"), ("region", "region")):
            if row.text(k):
                details.append(f"{word} '{row.text(k)}'")
        digits, _ = value
        cells = [row.quote(k) for k in ("year", "month", "investor", "quantity", "share", "party", "sector", "subsector",
                                        "country", "region", "bri", "greenfield") if k in row.cells]
        fact: dict[str, Any] = {
            "id": fid, "type": "figure", "topic": "projects" if construction else "investment",
            "label": one_line(f"{investor} {'construction contract' if construction else 'investment'} in {country}"
                              + (f": {sector}" if sector else "") + (" (Belt and Road)" if bri else "")),
            "metric": "construction-contracts" if construction else "investment",
            "direction": None if construction else "outward", "measure": "flow",
            "countries": ["CHN", code], "value": Digits(digits), "unit": "USD", "scale": "million",
            "period": f"{y}-{month:02d}" if month else str(y),
            "participants": [p for p in dict.fromkeys((investor, row.text("party") or "")) if p] or None,
            "note": one_line(f"China Global Investment Tracker, {what} sheet: {'; '.join(details)}."),
            "source": {"id": SOURCE_ID, "section": f"{row.sheet or 'table'}, row {row.number}", "quote": one_line("; ".join(cells))},
        }
        return code.lower(), [fact]


def _kind(sheet: str) -> str | None:
    key = column_key(sheet)
    if "construct" in key or key == "dataset2":
        return "construction"
    if "invest" in key or key == "dataset1":
        return "investment"
    return None


def _country(text: str | None) -> str | None:
    if not text:
        return None
    return COUNTRY_ALIASES.get(column_key(text)) or country_code(text)


def _month(row: SheetRow) -> int | None:
    text = row.text("month")
    if text is None:
        return None
    key = text.strip().casefold().rstrip(".")
    if key.isdigit() and 1 <= int(key) <= 12:
        return int(key)
    for name, number in MONTH_NAMES.items():
        if len(key) >= 3 and name.startswith(key):
            return number
    raise BadCell(row.header("month"), f"'{text[:40]}' is not a month")


DATASET = Cgit()
