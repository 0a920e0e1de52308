"""Writing `bricli export`: an SQLite database with its Datasette metadata beside it, or a
new directory of CSV or Parquet files, one per table. The tables and their descriptions
come from present/database.py; this module only writes them.

Everything goes through bricli.files (atomic, never clobbering without --force, never
through a symlink without it). Only `bricli export` imports this module (with sqlite3, and
pyarrow when installed), so start-up stays cheap.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from bricli.cli.errors import UsageError
from bricli.present.database import Track, untracked
from bricli.present.database import EXPORT_TABLES, SCHEMA_VERSION, TABLE_NAMES, Export, Table
from bricli.files import atomic_create, atomic_create_dir, atomic_write, check_destination
from bricli.render.delimited import neutralise_formula, render_csv

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # the [parquet] extra, not installed: --format parquet says how to add it
    pa = pq = None

EXPORT_FORMATS = ("sqlite", "parquet", "csv-dir")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
DIRECTORY_METADATA = "metadata.json"
DATA_PACKAGE = "datapackage.json"  # Frictionless
PARQUET_HINT = "install the extra: pip install 'bricli[parquet]' (adds pyarrow)"


def format_for(path: Path, fmt: str | None) -> str:
    """--format, else the format the name implies: .db/.sqlite/.sqlite3 -> sqlite,
    .parquet -> parquet, no suffix (a directory name) -> csv-dir."""
    name = path.name
    if not name.strip() or name != name.strip():  # `export ' '` made a directory named " " (issue 24)
        raise UsageError(f"the export name {name!r} is blank or starts or ends with a space",
                         "give a name such as facts.db or facts-csv")
    if name.startswith(".") and name.lower() in {*SQLITE_SUFFIXES, ".parquet"} | {".csv", ".csv-dir"}:
        raise UsageError(f"the export name '{name}' is only an extension (it would be a hidden directory)",
                         f"give a name before it: facts{name}")
    if fmt is not None:
        wanted = fmt.strip().lower()
        wanted = "csv-dir" if wanted == "csv" else wanted  # `--format csv`: a directory of CSV files all the same
        if wanted not in EXPORT_FORMATS:
            raise UsageError(f"--format: unknown export format '{fmt}'", f"use one of: {', '.join(EXPORT_FORMATS)}")
        return wanted
    suffix = path.suffix.lower()
    if suffix in SQLITE_SUFFIXES:
        return "sqlite"
    if suffix == ".parquet":
        return "parquet"
    if not suffix:
        return "csv-dir"
    raise UsageError(f"cannot tell the export format from the name '{path.name}'",
                     f"name it FILE.db (SQLite), DIR.parquet or DIR (CSV files), or give --format {'|'.join(EXPORT_FORMATS)}")


def package_name(path: Path) -> str:
    """The data package's name (lower case letters, digits, - . _) from the directory's: My Facts -> my-facts."""
    return re.sub(r"[^a-z0-9._-]+", "-", path.name.lower()).strip("-.") or "bricli-export"


def metadata_path(path: Path) -> Path:
    """Datasette's metadata beside the database: facts.db -> facts.metadata.json."""
    return path.with_name(f"{path.stem}.metadata.json")


def require_pyarrow() -> None:
    if pa is None:
        raise UsageError("--format parquet needs pyarrow, which is not installed", PARQUET_HINT)


def fts5_available() -> bool:
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


def _json(metadata: dict) -> str:
    return json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"


# -- SQLite ------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_SQLITE_TYPES = {"BOOLEAN": "INTEGER", "DATE": "TEXT", "LIST": "TEXT"}  # a date as ISO text, a list as a JSON array


def _sqlite_row(table: Table, row: tuple) -> tuple:
    """A row as SQLite holds it: a list as a JSON array (Datasette's array facets, json_each),
    a date as ISO 8601 text (YYYY-MM-DD, which SQLite's date functions read)."""
    out = []
    for c, v in zip(table.columns, row):
        if c.type == "LIST":
            v = json.dumps(list(v or ()), ensure_ascii=False)
        elif c.type == "DATE" and v is not None:
            v = v.isoformat()
        out.append(v)
    return tuple(out)


def _create(table: Table) -> list[str]:
    """CREATE TABLE in the SQLite table's order (Datasette shows its columns so: `lead` first), with the
    lookups' columns, which _fill sets after the rows are in."""
    lines = []
    for c in table.sqlite_columns():
        sql_type = _SQLITE_TYPES.get(c.type, c.type)
        lines.append(f"  {_quote(c.name)} {sql_type}{' NOT NULL' if c.not_null else ''}")
    lines.append(f"  PRIMARY KEY ({', '.join(_quote(k) for k in table.primary_key)})")
    for c in table.columns:
        if c.references:
            other, _, column = c.references.rstrip(")").partition("(")
            lines.append(f"  FOREIGN KEY ({_quote(c.name)}) REFERENCES {_quote(other)}({_quote(column)})")
    statements = [f"CREATE TABLE {_quote(table.name)} (\n" + ",\n".join(lines) + "\n)"]
    # what Datasette's "links from other tables" and the usual filters look up
    for c in table.columns:
        if (c.references and c.name != table.primary_key[0]) or c.name == "topic":
            statements.append(f"CREATE INDEX {_quote(f'{table.name}_{c.name}')} ON {_quote(table.name)}({_quote(c.name)})")
    return statements


def _fill(con: sqlite3.Connection, export: Export, fts: bool, track: Track) -> None:
    con.execute("PRAGMA journal_mode=OFF")  # a temporary file, discarded on any failure
    con.execute("PRAGMA synchronous=OFF")  # files.atomic_create syncs the finished file
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    for table in EXPORT_TABLES:
        for statement in _create(table):
            con.execute(statement)
        marks = ", ".join("?" * len(table.columns))
        names = ", ".join(_quote(c.name) for c in table.columns)  # the rows' order, not the table's
        rows = export.rows[table.name]
        con.executemany(f"INSERT INTO {_quote(table.name)} ({names}) VALUES ({marks})",
                        [_sqlite_row(table, row) for row in track(rows, f"writing table {table.name}", len(rows))])
        for lk in table.lookups:  # the other table is written first (EXPORT_TABLES' order)
            con.execute(f"UPDATE {_quote(table.name)} SET {_quote(lk.column.name)} = (SELECT {_quote(lk.value)} FROM "
                        f"{_quote(lk.other)} WHERE {_quote(lk.other)}.{_quote(lk.key)} = {_quote(table.name)}.{_quote(lk.via)})")
        if fts and table.search:
            fts_name = _quote(f"{table.name}_fts")
            columns = ", ".join(_quote(c) for c in table.search)
            # content="table": Datasette finds the index by this clause; diacritics removed
            # so that Peru finds Perú, as bricli's --grep does
            con.execute(f'CREATE VIRTUAL TABLE {fts_name} USING fts5({columns}, content="{table.name}", '
                        "tokenize='unicode61 remove_diacritics 2')")
            con.execute(f"INSERT INTO {fts_name}({fts_name}) VALUES ('rebuild')")
    broken = con.execute("PRAGMA foreign_key_check").fetchall()
    if broken:  # present/database.py adds every referenced row; this would be a bug there
        raise RuntimeError(f"export: {len(broken)} broken reference(s), first {broken[0]}")
    con.commit()


def write_sqlite(path: Path, export: Export, metadata: dict, force: bool, fts: bool, track: Track = untracked) -> Path:
    """The database at `path` and Datasette's metadata beside it; returns the metadata's path.
    Both destinations are checked before either is written; `track` counts the rows written."""
    meta_path = metadata_path(path)
    check_destination(path, force=force)
    check_destination(meta_path, force=force)

    def build(tmp: Path) -> None:
        # built in memory and written as bytes: SQLite opens a file by its absolute path,
        # which fails under a working directory deeper than PATH_MAX (issue 24)
        try:
            con = sqlite3.connect(":memory:")
            try:
                _fill(con, export, fts, track)
                data = con.serialize()
            finally:
                con.close()
        except sqlite3.Error as exc:  # out of memory, say: reported like any failed write (exit 1)
            raise OSError(str(exc)) from exc
        with open(tmp, "wb") as fh:
            fh.write(data)

    atomic_create(path, build, force=force)
    atomic_write(meta_path, _json(metadata), force=force)
    return meta_path


# -- directories of CSV or Parquet files ---------------------------------------------------


def _is_earlier_export(directory: Path) -> bool:
    """Only a directory holding nothing but files an export writes may be replaced (--force)."""
    ours = {DIRECTORY_METADATA, DATA_PACKAGE} | {f"{t}.{ext}" for t in TABLE_NAMES for ext in ("csv", "parquet")}
    return all(p.name in ours and p.is_file() and not p.is_symlink() for p in directory.iterdir())


def _csv(table: Table, rows: list[tuple]) -> str:
    """As `--format csv -o FILE` writes: csv module, "\\n" line ends, true/false, and text
    that a spreadsheet would run as a formula prefixed with '."""
    names = [c.name for c in table.columns]
    if not rows:
        return ",".join(neutralise_formula(n) for n in names) + "\n"
    return render_csv([dict(zip(names, row)) for row in rows], csv_safe=True)


def _parquet(table: Table, rows: list[tuple], where: Path) -> None:
    types = {"TEXT": pa.string(), "INTEGER": pa.int64(), "REAL": pa.float64(), "BOOLEAN": pa.bool_(),
             "DATE": pa.date32(), "LIST": pa.list_(pa.string())}
    schema = pa.schema([pa.field(c.name, types[c.type], nullable=not c.not_null,
                                 metadata={"description": c.description}) for c in table.columns],
                       metadata={"description": table.description})
    columns = list(zip(*rows)) if rows else [()] * len(table.columns)
    def cell(c, v):
        if c.type == "LIST":
            return list(v or ())  # an empty list, never null: a list column reads the same in every row
        return None if v is None else float(v) if c.type == "REAL" else v

    arrays = [pa.array([cell(c, v) for v in values], type=types[c.type]) for c, values in zip(table.columns, columns)]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), where)


def write_directory(path: Path, fmt: str, export: Export, metadata: dict, package: dict, force: bool,
                    track: Track = untracked) -> None:
    """One file per table (TABLE.csv or TABLE.parquet), metadata.json and datapackage.json (`package`) in a new
    directory; `track` counts the tables written."""
    def build(tmp: Path) -> None:
        for table in track(EXPORT_TABLES, "writing the tables", len(EXPORT_TABLES)):
            rows = export.rows[table.name]
            if fmt == "parquet":
                _parquet(table, rows, tmp / f"{table.name}.parquet")
            else:
                (tmp / f"{table.name}.csv").write_text(_csv(table, rows), encoding="utf-8", newline="")
        # a name's undecodable byte (\udcff) is written escaped, as atomic_write does, never a crash
        (tmp / DIRECTORY_METADATA).write_bytes(_json(metadata).encode("utf-8", "backslashreplace"))
        (tmp / DATA_PACKAGE).write_bytes(_json(package).encode("utf-8", "backslashreplace"))

    atomic_create_dir(path, build, force=force, replaceable=_is_earlier_export)
