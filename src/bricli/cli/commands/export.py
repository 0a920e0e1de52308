"""`bricli export FILE`: the fact base (or a selection) as an SQLite database for
Datasette, or as CSV or Parquet files, for DuckDB and pandas.

present/database.py designs the tables; cli/writers.py writes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bricli.model.vocab import TOPICS
from bricli.cli.build import BASE, FILTERS, make_command, param
from bricli.cli.errors import CliError, UsageError
from bricli.cli.output import message

EXPORT_FORMATS = ("sqlite", "parquet", "csv-dir")  # cli/writers.py EXPORT_FORMATS, without importing it for --help


def _formats(incomplete: str):
    return [f for f in EXPORT_FORMATS if f.startswith(incomplete.lower())]


def _topics(incomplete: str):
    return [t for t in TOPICS if t.startswith(incomplete.lower())]


FileArg = Annotated[
    Path,
    typer.Argument(help="The database to write (FILE.db), or the new directory for csv-dir and parquet.",
                   metavar="FILE", show_default=False),
]
ExportFormatOpt = Annotated[
    Optional[str],
    typer.Option("--format", "-f", metavar="FORMAT", autocompletion=_formats, show_default=False,
                 help="sqlite (one file, with full-text search and Datasette metadata beside it), parquet or csv-dir "
                      "(csv for short: a new directory with one file per table and datapackage.json, their schema). Default: from the name: .db, .sqlite, .sqlite3 → sqlite; "
                      ".parquet → parquet; no suffix → csv-dir."),
]
TopicOpt = Annotated[
    Optional[str],
    typer.Option("--topic", metavar="TOPIC", autocompletion=_topics, show_default=False,
                 help=f"Only facts of this topic ({', '.join(TOPICS)})."),
]
ExportForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace an existing file (and its metadata file), a symlink's target, or an earlier "
                                 "export directory."),
]
ExportNoDerivedOpt = Annotated[bool, typer.Option("--no-derived", help="Leave out the values computed by bricli (table derived stays empty).")]

_SELECTION_OPTIONS = (("topic", "--topic"), ("country", "--country"), ("year", "--year"), ("date_from", "--from"),
                      ("date_to", "--to"), ("source", "--source"), ("grep", "--grep"))


def selection_text(kw: dict) -> str:
    """The options that chose the rows, as typed: recorded in the export (table about)."""
    def typed(value) -> str:  # a repeatable option holds a list: --year 2018 --year 2019 is 2018,2019
        return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)

    words = [f"{flag} {typed(kw[name])}" for name, flag in _SELECTION_OPTIONS if kw.get(name) not in (None, [], ())]
    if kw.get("no_derived"):
        words.append("--no-derived")
    return " ".join(words) if words else "all facts"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def export_body(**kw) -> None:
    from bricli.present.request import filters_from
    from bricli.cli import writers
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.cli.progress import Stages
    from bricli.present.database import build_tables, data_package, datasette_metadata

    path: Path = kw["file"]
    fmt = writers.format_for(path, kw["format"])
    if fmt == "parquet":
        writers.require_pyarrow()  # before reading anything: exit 2 with the extra to install
    topic = kw["topic"]
    if topic is not None:
        topic = topic.strip().lower()
        if topic not in TOPICS:
            raise UsageError(f"--topic: unknown topic '{kw['topic']}'", f"use one of: {', '.join(TOPICS)}")

    with Stages() as progress:
        with engine(FactBaseOptions.of(kw)) as e:
            progress.expect(sum(e.topic_counts().values()))
            progress.stage("reading the facts from the index")
            base = e.base()
            items = e.items(filters_from(kw, topic=topic), derived=not kw["no_derived"])
        selection = selection_text(kw)
        export = build_tables(items, base, selection, track=progress.track)
        fts = fmt == "sqlite" and writers.fts5_available()
        name = path.stem if fmt == "sqlite" else path.name
        metadata = datasette_metadata(name, base, selection, fts, export)
        try:
            if fmt == "sqlite":
                meta_path = writers.write_sqlite(path, export, metadata, kw["force"], fts, track=progress.track)
            else:
                package = data_package(writers.package_name(path), export, fmt, selection)
                writers.write_directory(path, fmt, export, metadata, package, kw["force"], track=progress.track)
        except OSError as exc:
            from bricli.files import shown

            raise CliError(f"cannot write {shown(path)}: {exc.strerror or exc}") from None

    if not items:
        message("bricli: no facts match; the export holds empty tables")
    selected = sum(1 for row in export.rows["facts"] if row[-1])  # `selected` is the last column
    extra = export.count("facts") - selected
    message(f"bricli: wrote {_count(selected, 'fact')}{f' (and {extra} they refer to)' if extra else ''}, "
            f"{_count(export.count('derived'), 'derived value')} and {_count(export.count('sources'), 'source')} to {path}")
    if fmt != "sqlite":  # a directory, even when named like a file (facts.parquet): say so, and what is in it
        ext = "parquet" if fmt == "parquet" else "csv"
        message(f"bricli: {path} is a new directory: one {ext.upper() if ext == 'csv' else 'Parquet'} file per table "
                f"({path / ('facts.' + ext)}, {path / ('sources.' + ext)}, ...) and datapackage.json, their schema")
    if fmt == "sqlite":
        if not fts:
            message("bricli: this Python's SQLite has no FTS5; the export has no full-text search")
        # facets come from the metadata; Datasette's own suggestions would offer date facets on the ISO text
        # columns (period, source_date), where SQLite's date() reads a bare year 2018 as a Julian day
        message(f"bricli: browse it with: datasette {path} -m {meta_path} --setting suggest_facets off")


export = make_command(
    "export",
    "Export the facts (or a selection) as an SQLite database for Datasette, or as Parquet or CSV files.\n\n"
    "Tables: facts (with the verbatim quote of each, and the period as dates), derived (with formula and inputs), "
    "the sources they cite (with their reliability), countries, conflicts between sources, the country matrix, "
    "and the links between them, with foreign keys and full-text search. A CSV or Parquet directory carries "
    "datapackage.json (a Frictionless data package: every table's schema, the licences). For sqlite, Datasette's metadata "
    "(titles, descriptions, units, source links) is written beside the database as FILE.metadata.json. "
    "Written atomically; an existing file is replaced only with --force.\n\n"
    "Example: bricli export facts.db && datasette facts.db -m facts.metadata.json --setting suggest_facets off",
    [
        param("file", FileArg),
        param("format", ExportFormatOpt, None),
        param("topic", TopicOpt, None),
        *FILTERS,
        param("no_derived", ExportNoDerivedOpt, False),
        param("force", ExportForceOpt, False),
        *BASE,
    ],
    export_body,
)
