"""Importers: published datasets turned into ordinary fact files (`bricli import`).

One module per dataset (`gcdf`, `cgit`), each a `Dataset` (see `base.py`): the columns it
needs, how a row becomes facts, and the one source the facts rest on. What they share is
in `base.py` (reading a workbook or CSV, finding columns by name whatever their spelling,
cells to numbers and years, the Latin America and Caribbean filter) and `writer.py`
(YAML fact files, written as one new directory, atomically). A new dataset is a new module
listed in DATASETS, and a test.

This stage comes after render/ and before cli/ (tests/test_layers.py); it imports
`files.py` and `model/`, and pandas (a slow command's: `bricli import` alone imports this package).
"""

from __future__ import annotations

from bricli.importers import cgit, gcdf
from bricli.importers.base import Dataset

# name on the command line -> its Dataset (cli/commands/importing.py repeats the names for --help and TAB)
DATASETS: dict[str, Dataset] = {
    "gcdf": gcdf.DATASET,
    "cgit": cgit.DATASET,
}


def dataset(name: str) -> Dataset:
    return DATASETS[name]
