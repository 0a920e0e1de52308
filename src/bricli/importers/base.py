"""What every importer shares: reading the file, finding columns by name, reading cells,
choosing the countries kept, and the report of skipped rows.

A dataset module defines a `Dataset`: its columns (each with the spellings it is published
under), the sheets it lives in, its source, and `facts(row)`, which turns one row into fact
mappings or raises `BadCell` (the row is skipped, counted and listed).
"""

from __future__ import annotations

import csv
import zipfile

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from bricli.model import countries
from bricli.model.limits import MAX_NUMBER_DIGITS, MAX_TEXT_LENGTH
import openpyxl  # type: ignore[import-untyped]  # noqa: F401  (a dependency: pandas reads .xlsx through it)
import pandas as pd

# a year outside these is a slip in the file (a typo, a number in the wrong column)
FIRST_YEAR, LAST_YEAR = 1950, 2100
HEADER_SEARCH_ROWS = 30  # the header row is looked for among a sheet's first rows (CGIT has a title above it)
MISSING = frozenset(("", "na", "n/a", "nan", "none", "null", "#n/a"))


class ImportFailed(Exception):
    """The file cannot be imported: nothing is written. `message` names the file and what is wrong."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class BadCell(Exception):
    """One row cannot be imported: it is skipped (or, with --strict, the import fails)."""

    def __init__(self, column: str, reason: str):
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


@dataclass(frozen=True)
class SheetColumn:
    key: str  # the importer's own name for it
    names: tuple[str, ...]  # the published spellings; the first is the one documented
    required: bool = True

    @property
    def shown(self) -> str:
        return self.names[0]


def column_key(header: object) -> str:
    """The spelling-free form of a header: `Recipient ISO-3`, `Recipient.ISO-3`, `recipient_iso_3`
    and `RECIPIENT ISO 3` are all `recipientiso3`."""
    return re.sub(r"[^0-9a-z]", "", str(header).casefold())


@dataclass
class Skipped:
    row: int
    reason: str


@dataclass
class SheetRow:
    """One data row: cells by column key, the header as the file spells it, its row number
    (the sheet's, or the CSV record's counting the header row as 1)."""

    number: int
    cells: dict[str, object]
    headers: dict[str, str]
    sheet: str | None = None

    def text(self, key: str) -> str | None:
        return cell_str(self.cells.get(key))

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    def quote(self, key: str) -> str:
        """The cell as the file gives it, with its header: `Commitment Year: 2015`."""
        return f"{self.header(key)}: {self.text(key) or ''}"


@dataclass
class Sheet:
    rows: list[SheetRow]
    sheet: str | None
    absent: list[str] = field(default_factory=list)  # optional columns the file lacks (shown names)


@dataclass
class Scope:
    """Which recipient countries are kept: by default Latin America and the Caribbean (its 33
    countries and the region itself); `codes` those countries alone; `everything` all of them."""

    codes: frozenset[str] = frozenset()
    everything: bool = False

    def keeps(self, code: str | None) -> bool:
        if self.everything:
            return True
        if self.codes:
            return code in self.codes
        return code == "LCN" or code in countries.REGION_MEMBERS

    def describe(self) -> str:
        if self.everything:
            return "all regions"
        if self.codes:
            return ", ".join(sorted(self.codes))
        return "Latin America and the Caribbean"


class Dataset:
    """The interface of one importer. Subclasses set the attributes and define `facts`."""

    name: str = ""  # on the command line: bricli import NAME
    title: str = ""
    prefix: str = ""  # of fact ids and file names
    columns: tuple[SheetColumn, ...] = ()
    source: dict[str, Any] = {}  # noqa: RUF012  (each dataset sets its own)

    def sheets(self, names: list[str], asked: str | None) -> list[str]:
        """The sheets of a workbook to read (asked: --sheet)."""
        raise NotImplementedError

    def start(self, tables: list[Sheet]) -> None:
        """Called once before the rows: a dataset may look at the whole file (a release date)."""

    def facts(self, row: SheetRow, scope: Scope) -> tuple[str, list[dict[str, Any]]] | None:
        """(file group, fact mappings) of one row, None when the row is outside `scope`;
        raises BadCell for a row that cannot be read."""
        raise NotImplementedError

    def sources(self) -> list[dict[str, Any]]:
        return [self.source]


# --- cells -------------------------------------------------------------------


def cell_str(value: object) -> str | None:
    """A cell as text, None when empty (or NA, as R writes a missing value). A whole number read
    from a workbook as 2015.0 is `2015`; other floats keep their shortest exact form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if hasattr(value, "isoformat"):  # a date or datetime cell
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    text = str(value).strip()
    return None if text.casefold() in MISSING else text


_PLAIN = re.compile(r"^[+]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def cell_amount(row: SheetRow, key: str) -> tuple[str, bool] | None:
    """The amount in a cell as digits (`1234567.89`), and whether it was rounded to whole units to fit
    bricli's 15 digits; None when the cell is empty; BadCell when it is not a number."""
    raw = row.text(key)
    if raw is None:
        return None
    text = raw.replace("$", "").strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        raise BadCell(row.header(key), f"'{_clip(raw)}' is not a number")
    try:
        d = Decimal(text.lstrip("+"))
    except InvalidOperation:
        raise BadCell(row.header(key), f"'{_clip(raw)}' is not a number") from None
    digits = text.lstrip("+").replace(".", "").lstrip("0") or "0"
    rounded = False
    if len(digits) > MAX_NUMBER_DIGITS:
        d = d.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        rounded = True
        if len(str(d)) > MAX_NUMBER_DIGITS:
            raise BadCell(row.header(key), f"'{_clip(raw)}' has more than {MAX_NUMBER_DIGITS} digits")
        return str(d), rounded
    out = text.lstrip("+")
    if out.startswith("."):
        out = "0" + out
    if out.endswith("."):
        out = out[:-1]
    if "." not in out:
        out = out.lstrip("0") or "0"
    return out, rounded


def year(row: SheetRow, key: str) -> int | None:
    """A year cell (2015, 2015.0, "2015"); None when empty; BadCell when not a year in range."""
    raw = row.text(key)
    if raw is None:
        return None
    m = re.fullmatch(r"(\d{1,4})(?:\.0+)?", raw)
    if m is None:
        raise BadCell(row.header(key), f"'{_clip(raw)}' is not a year")
    y = int(m.group(1))
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise BadCell(row.header(key), f"year {y} is out of range ({FIRST_YEAR}–{LAST_YEAR})")
    return y


def one_line(text: str) -> str:
    return clip_text(" ".join(text.split()))


def clip_text(text: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """Text within bricli's limit for a text field: a longer one is cut, ending in '…'."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def country_code(text: str | None) -> str | None:
    """An ISO alpha-3 code or a country's name (English, Spanish, Portuguese) as bricli knows it."""
    if not text:
        return None
    code = text.strip().upper()
    if len(code) == 3 and countries.is_known(code):
        return code
    try:
        return countries.resolve(text)
    except countries.CountryError:
        return None


# --- reading -------------------------------------------------------------------


def read_tables(path: Path, dataset: Dataset, sheet: str | None) -> list[Sheet]:
    """Every table of the file the dataset reads: a workbook's sheets, or the CSV."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ImportFailed(f"{path} is a directory", "give the dataset's file (.xlsx or .csv)")
        size = path.stat().st_size
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file", "give the path of the downloaded file") from None
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror or exc}") from None
    if size == 0:
        raise ImportFailed(f"{path} is empty (0 bytes)", "download the file again")
    if magic.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_workbook(path, dataset, sheet)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailed(f"{path} is an old Excel 97–2003 workbook (.xls)", "save it as .xlsx or CSV and import that")
    if sheet is not None:
        raise ImportFailed(f"--sheet {sheet}: {path} is not a workbook but a text file", "leave out --sheet for a CSV file")
    return [_table(path, _read_csv(path), dataset, None)]


def _read_workbook(path: Path, dataset: Dataset, sheet: str | None) -> list[Sheet]:
    damaged = ImportFailed(f"{path} is not a readable Excel workbook (truncated or damaged)",
                           "download the file again, or export the sheet as CSV")
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        raise damaged from None
    except Exception:  # openpyxl raises its own kinds for a broken part
        raise damaged from None
    with book:
        names = [str(n) for n in book.sheet_names]
        tables = []
        for name in dataset.sheets(names, sheet):
            try:
                frame = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
            except Exception:
                raise damaged from None
            tables.append(_table(path, frame.values.tolist(), dataset, name))
    return tables


def _read_csv(path: Path) -> list[list[object]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            grid = cast("list[list[object]]", list(csv.reader(fh, strict=True)))
    except UnicodeDecodeError as exc:
        with open(path, "rb") as raw:
            data = raw.read()
        try:
            data.decode("utf-8-sig")
            line = 1
        except UnicodeDecodeError as bad:
            line = data[: bad.start].count(b"\n") + 1
        del exc
        raise ImportFailed(f"{path}:{line}: not UTF-8 text (and not a workbook)",
                           "give the dataset's .xlsx or its UTF-8 CSV") from None
    except csv.Error as exc:
        raise ImportFailed(f"{path} is not a readable CSV table: {exc}", "give the dataset's .xlsx or CSV") from None
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror or exc}") from None
    if any("\x00" in cell for row in grid[:HEADER_SEARCH_ROWS] for cell in row if isinstance(cell, str)):
        raise ImportFailed(f"{path} is not a CSV table (it holds NUL bytes)", "give the dataset's .xlsx or CSV")
    return grid


def _table(path: Path, grid: list[list[object]], dataset: Dataset, sheet: str | None) -> Sheet:
    where = f"{path} (sheet {sheet})" if sheet else str(path)
    if not any(any(cell_str(c) is not None for c in r) for r in grid):
        raise ImportFailed(f"{where} holds no rows", f"give the {dataset.title} file as published")
    wanted = {column_key(n): c for c in dataset.columns for n in c.names}
    required = [c for c in dataset.columns if c.required]
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    for i, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        spelt: dict[str, str] = {}
        for j, cell in enumerate(cells):
            col = wanted.get(column_key(cell)) if cell is not None else None
            if col is not None and col.key not in found:
                found[col.key] = j
                spelt[col.key] = str(cell).strip()
        hits = sum(1 for c in required if c.key in found)
        if best is None or hits > best[0]:
            best = (hits, i, found, spelt)
        if hits == len(required):
            break
    assert best is not None
    hits, head, found, spelt = best
    missing = [c.shown for c in required if c.key not in found]
    if missing:
        raise ImportFailed(f"{where} is not the {dataset.title}: column{'s' if len(missing) > 1 else ''} "
                           f"{', '.join(repr(m) for m in missing)} not found",
                           "columns are matched by name in any spelling (spaces, dots, snake_case); "
                           "see the README's table of columns")
    rows = []
    for i in range(head + 1, len(grid)):
        cells = grid[i]
        values = {key: (cells[j] if j < len(cells) else None) for key, j in found.items()}
        if all(cell_str(v) is None for v in values.values()):
            continue  # a blank line, or a note under the table
        rows.append(SheetRow(i + 1, values, spelt, sheet))
    absent = [c.shown for c in dataset.columns if not c.required and c.key not in found]
    return Sheet(rows, sheet, absent)


@dataclass
class Outcome:
    files: dict[str, list[dict[str, Any]]]  # file group -> facts, in row order
    rows: int = 0
    kept: int = 0
    outside: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def convert(tables: list[Sheet], dataset: Dataset, scope: Scope,
            progress: Callable[[int, int], None] | None = None) -> Outcome:
    dataset.start(tables)
    out = Outcome(files={})
    total = sum(len(t.rows) for t in tables)
    for row in _rows(tables):
        out.rows += 1
        if progress is not None and out.rows % 1000 == 0:
            progress(out.rows, total)
        try:
            got = dataset.facts(row, scope)
        except BadCell as bad:
            where = f"sheet {row.sheet}, row {row.number}" if row.sheet else f"row {row.number}"
            out.skipped.append(Skipped(row.number, f"{where}: {bad.column}: {bad.reason}"))
            continue
        if got is None:
            out.outside += 1
            continue
        group, facts = got
        out.kept += 1
        out.files.setdefault(group, []).extend(facts)
    if progress is not None:
        progress(out.rows, total)
    return out


def _rows(tables: list[Sheet]) -> Iterator[SheetRow]:
    for t in tables:
        yield from t.rows
