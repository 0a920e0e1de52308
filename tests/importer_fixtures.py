"""Small files in the published layouts of GCDF 3.0 and the China Global Investment Tracker,
written by the tests (no downloaded data in the repository)."""

from __future__ import annotations

import csv
from pathlib import Path

# GCDF 3.0's published headers (the workbook's sheet GCDF_3.0 and its CSV), in the file's order
# for the columns bricli reads, with a few it does not read between them
GCDF_HEADERS = [
    "AidData Record ID", "Financier Country", "Recipient", "Recipient ISO-3", "Recipient Region",
    "Commitment Year", "Implementation Start Year", "Completion Year", "Title", "Description", "Staff Comments",
    "Status", "Intent", "Flow Type", "Flow Class", "Sector Name", "Infrastructure", "Funding Agencies",
    "Amount (Constant USD 2021)", "Adjusted Amount (Constant USD 2021)", "Recommended For Aggregates",
]


def gcdf_row(rid, recipient, iso3, region, committed, started, completed, title, status, amount,
             recommended="Yes", flow_type="Loan", flow_class="OOF-like", sector="ENERGY", description="",
             funders="China Development Bank (CDB)"):
    return {
        "AidData Record ID": rid, "Financier Country": "China (People's Republic of)", "Recipient": recipient,
        "Recipient ISO-3": iso3, "Recipient Region": region, "Commitment Year": committed,
        "Implementation Start Year": started, "Completion Year": completed, "Title": title,
        "Description": description, "Staff Comments": "", "Status": status, "Intent": "Development",
        "Flow Type": flow_type, "Flow Class": flow_class, "Sector Name": sector, "Infrastructure": "Yes",
        "Funding Agencies": funders, "Amount (Constant USD 2021)": amount,
        "Adjusted Amount (Constant USD 2021)": amount, "Recommended For Aggregates": recommended,
    }


def gcdf_rows():
    """A few dozen records: LAC and other regions, every status, a record not recommended for
    aggregates, missing dates and amounts, a regional record."""
    rows = [
        gcdf_row(38091, "Ecuador", "ECU", "America", 2009, 2010, 2016, "CDB provides $1.68 billion loan for Coca Codo Sinclair Hydroelectric Project",
                 "Completion", 1974285714.29, description="In 2009, China Eximbank signed a loan agreement — \"Coca Codo\" — with Ecuador."),
        gcdf_row(40001, "Peru", "PER", "America", 2015, 2016, None, "Chinese Government grants equipment to Peru", "Implementation",
                 2500000, flow_type="Grant", flow_class="ODA-like", sector="GOVERNMENT AND CIVIL SOCIETY"),
        gcdf_row(40002, "Brazil", "BRA", "America", 2018, None, None, "ICBC pledges loan for port in Brazil", "Pipeline: Pledge",
                 300000000, sector="TRANSPORT AND STORAGE"),
        gcdf_row(40003, "Argentina", "ARG", "America", 2014, None, None, "CDB commits loan for hydropower dams", "Pipeline: Commitment",
                 4714285714, sector="ENERGY"),
        gcdf_row(40004, "Venezuela", "VEN", "America", 2010, 2011, None, "China-Venezuela Joint Fund tranche (umbrella)", "Suspended",
                 5000000000, recommended="No", flow_type="Loan", sector="MULTI-SECTOR"),
        gcdf_row(40005, "Bolivia", "BOL", "America", 2016, None, None, "Loan for road project cancelled", "Cancelled", 600000000,
                 sector="TRANSPORT AND STORAGE"),
        gcdf_row(40006, "Cuba", "CUB", "America", None, None, None, "Donation of rice to Cuba (year unknown)", "Completion", None,
                 flow_type="Grant", flow_class="ODA-like", sector="EMERGENCY RESPONSE"),
        gcdf_row(40007, "Latin America and the Caribbean, regional", "", "America", 2015, None, None,
                 "China-LAC Cooperation Fund capital contribution", "Implementation", 1000000000, recommended="No",
                 flow_type="Equity investment", sector="BANKING AND FINANCIAL SERVICES"),
        gcdf_row(40008, "Angola", "AGO", "Africa", 2004, 2005, 2008, "Eximbank loan for Angolan railway", "Completion", 2000000000,
                 sector="TRANSPORT AND STORAGE"),
        gcdf_row(40009, "Pakistan", "PAK", "Asia", 2017, 2018, None, "CDB loan for power plant in Pakistan", "Implementation", 1500000000),
        gcdf_row(40010, "Jamaica", "JAM", "America", 2013, 2014, 2016, "North-South Highway loan", "Completion", 520000000.5,
                 sector="TRANSPORT AND STORAGE"),
    ]
    for i in range(20):  # more LAC records, a few dozen rows in all
        rows.append(gcdf_row(41000 + i, "Costa Rica" if i % 2 else "Mexico", "CRI" if i % 2 else "MEX", "America",
                             2005 + i % 17, None if i % 3 else 2006 + i % 17, None, f"Record {i} title", "Completion",
                             None if i % 5 == 0 else 1000000 + i, sector="COMMUNICATIONS"))
    return rows


def dotted(header: str) -> str:
    """The geospatial repository's spelling: `AidData.Record.ID`, `Amount.(Constant.USD.2021)`."""
    return header.replace(" ", ".")


def write_csv(path: Path, headers, rows, rename=lambda h: h) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([rename(h) for h in headers])
        for r in rows:
            w.writerow(["NA" if rename is dotted and r.get(h) in (None, "") else ("" if r.get(h) is None else r.get(h))
                        for h in headers])
    return path


def write_gcdf_xlsx(path: Path, rows, sheet="GCDF_3.0") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Read Me"
    first.append(["AidData's Global Chinese Development Finance Dataset, Version 3.0"])
    ws = book.create_sheet(sheet)
    ws.append(GCDF_HEADERS)
    for r in rows:
        ws.append([r.get(h) for h in GCDF_HEADERS])
    book.save(path)
    return path


CGIT_HEADERS = ["Year", "Month", "Investor", "Quantity in Millions", "Share Size", "Transaction Party", "Sector",
                "Subsector", "Country", "Region", "BRI", "Greenfield"]


def cgit_rows(kind="investment"):
    if kind == "investment":
        return [
            [2010, "May", "Sinopec", 7100, "40%", "Repsol Brasil", "Energy", "Oil", "Brazil", "South America", None, None],
            [2016, "January", "China Three Gorges", 1200, "100%", "Duke Energy", "Energy", "Hydro", "Brazil", "South America", None, None],
            [2018, "December", "State Grid", 2200, "100%", "CPFL", "Energy", "Alternative", "Brazil", "South America", 1, None],
            [2019, "April", "China Molybdenum", 500, "", "", "Metals", "Copper", "Peru", "South America", 1, "G"],
            [2017, "June", "CNPC", 300, "", "", "Energy", "Oil", "Trinidad-Tobago", "South America", 1, None],
            [2015, "March", "Alibaba", 1000, "", "", "Technology", "", "USA", "USA", None, None],
            [2014, "July", "Sinochem", 150, "", "", "Chemicals", "", "Britain", "Europe", None, None],
        ]
    return [
        [2012, "March", "PowerChina", 1500, "", "", "Energy", "Hydro", "Ecuador", "South America", None, None],
        [2019, "August", "China Harbour", 400, "", "", "Transport", "Shipping", "Jamaica", "North America", 1, None],
        [2018, "June", "CRCC", 600, "", "", "Transport", "Autos", "Pakistan", "West Asia", 1, None],
    ]


def write_cgit_xlsx(path: Path, sheets=("Dataset 1", "Dataset 2")) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in sheets:
        ws = book.create_sheet(name)
        ws.append(["China Global Investment Tracker"])
        ws.append(["Copyright American Enterprise Institute. Free for public use with citation."])
        ws.append([])
        ws.append([])
        ws.append(CGIT_HEADERS)
        for r in cgit_rows("construction" if "2" in name or "onstr" in name else "investment"):
            ws.append(r)
    book.save(path)
    return path
