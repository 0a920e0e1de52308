"""AidData's Global Chinese Development Finance Dataset, Version 3.0 (GCDF 3.0).

Read from the Excel workbook (sheet `GCDF_3.0`), the same table as CSV, or the geocoded CSV of
AidData's geospatial repository (headers with dots: `AidData.Record.ID`). Each record becomes:

- a project (`gcdf-ID`, topic projects): title as label and name, recipient and China, sector,
  status (AidData's stage mapped to bricli's statuses), the title and description as the quote;
- its amount (`gcdf-ID.amount`, topic finance), in constant 2021 US dollars (`prices:
  constant-2021`), `aggregates: false` when AidData does not recommend it for aggregates;
- its dated steps as milestones (`gcdf-ID.committed`, `.started`, `.completed`), `about` the project.
"""

from __future__ import annotations

from typing import Any

from bricli.importers.base import BadCell, SheetColumn, Dataset, ImportFailed, SheetRow, Scope, cell_amount, clip_text, column_key, country_code, one_line, year
from bricli.importers.writer import Digits

SOURCE_ID = "aiddata-gcdf-3.0"
SHEET = "GCDF_3.0"
RECORD_URL = "https://china.aiddata.org/projects/{}"

COLUMNS = (
    SheetColumn("record", ("AidData Record ID",)),
    SheetColumn("recommended", ("Recommended For Aggregates",)),
    SheetColumn("recipient", ("Recipient",)),
    SheetColumn("iso3", ("Recipient ISO-3", "Recipient ISO3")),
    SheetColumn("region", ("Recipient Region",), required=False),
    SheetColumn("committed", ("Commitment Year",)),
    SheetColumn("started", ("Implementation Start Year",), required=False),
    SheetColumn("completed", ("Completion Year",), required=False),
    SheetColumn("title", ("Title",)),
    SheetColumn("description", ("Description",), required=False),
    SheetColumn("status", ("Status",)),
    SheetColumn("intent", ("Intent",), required=False),
    SheetColumn("flow_type", ("Flow Type",), required=False),
    SheetColumn("flow_class", ("Flow Class",), required=False),
    SheetColumn("sector", ("Sector Name",), required=False),
    SheetColumn("amount", ("Amount (Constant USD 2021)",)),
    SheetColumn("funders", ("Funding Agencies",), required=False),
)

# AidData's status (its stage of the project cycle) -> bricli's project status
GCDF_STATUSES = {
    "pledge": "announced",  # "Pipeline: Pledge"
    "commitment": "contracted",  # "Pipeline: Commitment"
    "implementation": "under-construction",
    "completion": "completed",
    "suspended": "suspended",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}
# AidData's sector (OECD CRS names) -> bricli's sector; the rest is `other`, AidData's name in the note
SECTOR_NAMES = {
    "transportandstorage": "transport",
    "energy": "energy",
    "communications": "telecom",
    "watersupplyandsanitation": "water",
    "bankingandfinancialservices": "finance",
    "agricultureforestryfishing": "agriculture",
}
LAC_REGIONS = {"america", "americas", "latinamericaandthecaribbean", "latinamerica", "caribbean"}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}

SOURCE: dict[str, Any] = {
    "id": SOURCE_ID,
    "title": "AidData's Global Chinese Development Finance Dataset, Version 3.0",
    "publisher": "AidData, a research lab at William & Mary",
    "date": "2023-11-06",
    "url": "https://www.aiddata.org/data/aiddatas-global-chinese-development-finance-dataset-version-3-0",
    "kind": "dataset",
    "language": "en",
    "reliability": "B",
    "note": "GCDF 3.0: 20,985 projects in 165 countries, commitment years 2000–2021, amounts in constant 2021 US "
            "dollars. Licence: Open Data Commons Attribution License (ODC-By 1.0). Cite as: Custer, S., Dreher, A., "
            "Elston, T.B., Escobar, B., Fedorochko, R., Fuchs, A., Ghose, S., Lin, J., Malik, A., Parks, B.C., Solomon, "
            "K., Strange, A., Tierney, M.J., Vlasto, L., Walsh, K., Wang, F., Zaleski, L., and Zhang, S. 2023. Tracking "
            "Chinese Development Finance: An Application of AidData's TUFF 3.0 Methodology. Williamsburg, VA: AidData "
            "at William & Mary. Each fact's section is its AidData Record ID; the record's page is "
            "https://china.aiddata.org/projects/<ID>. Imported with bricli import gcdf.",
}


class Gcdf(Dataset):
    name = "gcdf"
    title = "GCDF 3.0 dataset (AidData)"
    prefix = "gcdf"
    columns = COLUMNS
    source = SOURCE

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def sheets(self, names: list[str], asked: str | None) -> list[str]:
        want = asked or SHEET
        if want in names:
            return [want]
        if asked is None and len(names) == 1:
            return names
        raise ImportFailed(f"the workbook has no sheet '{want}' (its sheets: {', '.join(names)})",
                           "AidData's workbook keeps the records in sheet GCDF_3.0; name another with --sheet")

    def start(self, tables) -> None:
        self.seen = set()

    def facts(self, row: SheetRow, scope: Scope) -> tuple[str, list[dict[str, Any]]] | None:
        rid = row.text("record")
        if rid is None:
            raise BadCell(row.header("record"), "no record id")
        if rid.endswith(".0") and rid[:-2].isdigit():
            rid = rid[:-2]
        if not rid.isdigit():
            raise BadCell(row.header("record"), f"'{rid[:40]}' is not a record id (a whole number)")
        rid = str(int(rid))
        code = self._recipient(row)
        if not scope.keeps(code):
            return None
        if rid in self.seen:
            raise BadCell(row.header("record"), f"record {rid} appears twice; the first is kept")
        # every cell is read (and may fail) before anything is produced
        value = cell_amount(row, "amount")
        when: dict[str, int | None] = {step: year(row, step) for step in ("committed", "started", "completed") if step in row.cells}
        recommended = self._recommended(row)
        self.seen.add(rid)

        pid = f"gcdf-{rid}"
        title = row.text("title") or f"AidData record {rid}"
        label = one_line(title)
        cn = ["CHN"] + ([code] if code else [])
        section = f"AidData Record ID {rid}"
        status_text = row.text("status")
        status = GCDF_STATUSES.get(column_key((status_text or "").split(":")[-1]), "unknown")
        sector_text = row.text("sector")
        facts: list[dict[str, Any]] = []

        details = [f"status '{status_text}'" if status_text else "status not stated"]
        for key, what in (("flow_type", "flow type"), ("flow_class", "flow class"), ("sector", "sector"), ("intent", "intent")):
            if row.text(key):
                details.append(f"{what} '{row.text(key)}'")
        if code is None:
            details.append(f"recipient '{row.text('recipient') or ''}'")
        description = row.text("description")
        quote = title if not description else f"{title}\n\n{description}"
        cut = len(quote) > 10_000
        project: dict[str, Any] = {
            "id": pid, "type": "project", "topic": "projects", "label": label, "name": label,
            "countries": cn, "sector": SECTOR_NAMES.get(column_key(sector_text or ""), "other" if sector_text else None),
            "status": status,
            "participants": _agencies(row.text("funders")),
            "note": clip_text(f"AidData GCDF 3.0 record {rid}: {', '.join(details)}."
                         + (" The quote is cut at 10,000 characters." if cut else "")
                         + f" Record page: {RECORD_URL.format(rid)}"),
            "source": {"id": SOURCE_ID, "section": section, "quote": clip_text(quote)},
        }
        facts.append(project)

        if value is not None:
            digits, rounded = value
            flow = row.text("flow_type") or "Official finance"
            notes = ["Constant 2021 US dollars (AidData's 'Amount (Constant USD 2021)'), not nominal dollars."]
            if rounded:
                notes.append("Rounded to whole dollars (the file gives more digits than a figure holds).")
            if not recommended:
                notes.append("AidData does not recommend this record for aggregates: bricli leaves it out of "
                             "every sum, series and chart.")
            year_ = when.get("committed")
            facts.append({
                "id": f"{pid}.amount", "type": "figure", "topic": "finance",
                "label": one_line(f"{flow} commitment (constant 2021 US$): {title}"), "metric": "development-finance", "measure": "flow",
                "countries": cn, "value": Digits(digits), "unit": "USD", "scale": "one",
                "prices": "constant-2021", "aggregates": False if not recommended else None,
                "period": str(year_) if year_ else None, "when": None if year_ else "commitment year not stated",
                "about": pid, "note": " ".join(notes),
                "source": {"id": SOURCE_ID, "section": section, "quote": row.quote("amount")},
            })

        steps = (("committed", "announced" if status == "announced" else "contracted",
                  "pledged" if status == "announced" else "committed"),
                 ("started", "started", "implementation starts"), ("completed", "completed", "completed"))
        for key, stage, word in steps:
            y = when.get(key)
            if y is None:
                continue
            facts.append({
                "id": f"{pid}.{key}", "type": "event", "topic": "projects", "kind": "milestone", "stage": stage,
                "label": one_line(f"{label}: {word}"), "countries": cn, "period": str(y), "about": pid,
                "source": {"id": SOURCE_ID, "section": section, "quote": row.quote(key)},
            })
        return (code or "regional").lower(), facts

    def _recipient(self, row: SheetRow) -> str | None:
        code = country_code(row.text("iso3"))
        if code:
            return code
        name = row.text("recipient") or ""
        region = column_key(row.text("region") or "")
        if region in LAC_REGIONS or ("regional" in name.casefold() and ("america" in name.casefold() or "caribbean" in name.casefold())):
            return "LCN"
        return country_code(name) if name and "regional" not in name.casefold() else None

    def _recommended(self, row: SheetRow) -> bool:
        text = row.text("recommended")
        if text is None:
            return False  # not said: kept out of sums, the safe side
        key = text.strip().casefold()
        if key in YES:
            return True
        if key in NO:
            return False
        raise BadCell(row.header("recommended"), f"'{text[:40]}' is not Yes or No")


def _agencies(text: str | None) -> list[str] | None:
    if not text:
        return None
    names = [one_line(n) for n in text.split("|") if n.strip()]
    return list(dict.fromkeys(names)) or None


DATASET = Gcdf()
