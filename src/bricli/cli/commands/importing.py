"""`bricli import gcdf|cgit FILE -o DIR`: a published dataset as a directory of fact files.

The work is in bricli/importers/ (one module per dataset); this is the command line around
it: options, the report on stderr, exit statuses. pandas and openpyxl load only when a
file is read, never for --help or TAB.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bricli.cli.options import CountryOpt
from bricli.cli.errors import CliError, UsageError
from bricli.cli.output import message

DATASET_NAMES = ("gcdf", "cgit")  # importers.DATASETS, without importing it for --help
MAX_LISTED = 50  # skipped rows listed on stderr; the rest are counted


def _datasets(incomplete: str):
    return [d for d in DATASET_NAMES if d.startswith(incomplete.lower())]


def import_(
    dataset: Annotated[str, typer.Argument(help="Which dataset the file is: gcdf (AidData's Global Chinese Development "
                                                "Finance Dataset 3.0) or cgit (AEI's China Global Investment Tracker).",
                                           metavar="DATASET", autocompletion=_datasets, show_default=False)],
    file: Annotated[Path, typer.Argument(help="The downloaded file: the .xlsx workbook or a .csv of its table.",
                                         metavar="FILE", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", show_default=False,
                                         help="The new directory of fact files to write (use it with --facts DIR).")],
    country: CountryOpt = None,
    all_regions: Annotated[bool, typer.Option("--all-regions", help="Keep the records of every country and region, "
                                                                    "not only Latin America and the Caribbean.")] = False,
    sheet: Annotated[Optional[str], typer.Option("--sheet", metavar="NAME", show_default=False,
                                                 help="The workbook's sheet to read. Default: GCDF_3.0 for gcdf; the "
                                                      "investment and construction sheets for cgit.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1, nothing written) when any row cannot be read, "
                                                          "instead of skipping it.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace DIR when it holds an earlier import (and nothing else): "
                                                        "a newer release updates the facts in place.")] = False,
) -> None:
    """Import a published dataset (gcdf or cgit) as fact files.

    Reads AidData's Global Chinese Development Finance Dataset 3.0 (the workbook, its CSV, or the
    geospatial repository's CSV) or AEI's China Global Investment Tracker, keeps the records of Latin
    America and the Caribbean (--country, --all-regions), and writes one directory of YAML fact files
    that bricli check accepts, with the dataset as their one source. Rows that cannot be read are
    skipped and listed on stderr (--strict: fail instead). Written atomically; an existing DIR is
    replaced only with --force.

    Example: bricli import gcdf AidDatasGlobalChineseDevelopmentFinanceDataset_v3.0.xlsx -o gcdf && bricli projects --facts gcdf --country PER
    """
    name = dataset.strip().lower()
    if name not in DATASET_NAMES:
        raise UsageError(f"unknown dataset '{dataset}'", f"use one of: {', '.join(DATASET_NAMES)}")
    if str(output) in ("", "."):
        raise UsageError("-o: give the name of a new directory", "for example: -o gcdf-facts")
    if country and all_regions:
        raise UsageError("--country and --all-regions cannot be combined", "give one of them")
    from bricli.importers import base, dataset as load_dataset, writer

    codes: frozenset[str] = frozenset()
    if country:
        from bricli.model.countries import CountryError, resolve

        try:
            codes = frozenset(resolve(c) for item in country for c in item.split(",") if c.strip())
        except CountryError as exc:
            raise UsageError(f"--country: {exc}", "use an ISO code (BRA) or a name (Brasil)") from None
    scope = base.Scope(codes, all_regions)
    ds = load_dataset(name)
    show = _progress if sys.stderr.isatty() else None
    if show is not None:
        sys.stderr.write(f"bricli import: reading {file} ...")
        sys.stderr.flush()
    try:
        tables = base.read_tables(file, ds, sheet)
        outcome = base.convert(tables, ds, scope, show)
    except base.ImportFailed as exc:
        raise CliError(exc.message, hint=exc.hint) from None
    finally:
        if show is not None:  # the progress line is cleared, whatever follows it
            sys.stderr.write("\r\x1b[K")
    for t in tables:
        if t.absent:
            message(f"bricli import: {file}{f' (sheet {t.sheet})' if t.sheet else ''}: no column "
                    f"{', '.join(repr(a) for a in t.absent)}; left out")
    for s in outcome.skipped[:MAX_LISTED]:
        message(f"bricli import: {file}: {s.reason}")
    if len(outcome.skipped) > MAX_LISTED:
        message(f"bricli import: ... and {len(outcome.skipped) - MAX_LISTED} more rows skipped")
    sheets = ", ".join(t.sheet for t in tables if t.sheet)
    summary = (f"{_n(outcome.rows, 'row')} read from {file}{f' (sheet {sheets})' if sheets else ''}: {outcome.kept:,} kept "
               f"({scope.describe()}), {outcome.outside:,} outside it, {len(outcome.skipped):,} skipped")
    if outcome.skipped and strict:
        message(f"bricli import: {summary}")
        raise CliError(f"{len(outcome.skipped)} row(s) could not be read; nothing written (--strict)",
                       hint="fix those rows, or leave out --strict to skip them")
    message(f"bricli import: {summary}")
    if not outcome.kept:
        message(f"bricli import: no records of {scope.describe()}; nothing written")
        return
    facts = sum(len(v) for v in outcome.files.values())
    texts = {f"{ds.prefix}-sources.yaml": writer.file_text(f"{ds.name}: the dataset's source", "sources",
                                                           [writer.entry(s) for s in ds.sources()])}
    header = f"{ds.name} from {file.name}; re-import with --force to update"
    for fname, entries in writer.layout(ds.prefix, outcome.files).items():
        texts[fname] = writer.file_text(header, "facts", entries)
    try:
        writer.write(output, texts, force)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from None
    message(f"bricli import: wrote {_n(facts, 'fact')} ({_n(outcome.kept, 'record')}) in {_n(len(texts), 'file')} to {output}")
    message(f"bricli import: use them with: bricli projects --facts {output}")


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r\x1b[Kbricli import: {done:,} of {total:,} rows")
    sys.stderr.flush()
