"""bricli from Python (notebooks, scripts): the same records as `--format json`.

    >>> from bricli.api import dataframe
    >>> df = dataframe("trade", year=2018)
    >>> df[["id", "value", "unit", "scale", "value_base", "period"]]
"""

from __future__ import annotations

from pathlib import Path

from bricli.model.problems import FactBaseError


def records(topic: str | None = None, *, facts: list[str | Path] | None = None, no_shipped: bool = False,
            derived: bool = True, **filters) -> list[dict]:
    """Records of the JSON contract (see README), filtered like the CLI:
    year=, date_from=, date_to=, country=, source=, grep=."""
    from bricli.load.discover import fact_dirs
    from bricli.load.assemble import load
    from bricli.analysis.query import Filters, select
    from bricli.present.records import record

    base, problems = load(fact_dirs([str(f) for f in facts] if facts else None, no_shipped=no_shipped))
    if problems:
        raise FactBaseError(problems)
    items = select(base, Filters(topic=topic, **filters), derived=derived)
    return [record(i, base) for i in items]


def dataframe(topic: str | None = None, **kwargs):
    """The records as a pandas DataFrame, nested fields flattened (source.id, source.quote)."""
    import pandas as pd

    return pd.json_normalize(records(topic, **kwargs))
