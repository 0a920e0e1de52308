"""Output renderers: pure functions from a `Listing` to text. Imports model/ and present/ only.

Importing this package is nearly free: each format's module, and the heavy
library it needs (rich, yaml, json, csv), is imported only when that
format is rendered.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: typing alone costs ~8 ms to import
if TYPE_CHECKING:
    from bricli.present.listing import Column, Listing

__all__ = ["FORMATS", "Column", "Listing", "render", "render_encoded"]

FORMATS = ("table", "plain", "csv", "tsv", "json", "ndjson", "yaml", "markdown")


def render(listing: Listing, fmt: str, *, width: int = 100, color: bool = False, csv_safe: bool = False,
           header: bool = True) -> str:
    """Render `listing` in format `fmt` (one of FORMATS).

    table/plain/markdown print the display `columns`/`rows`; csv/tsv/json/ndjson/yaml
    print the `records`. `width` and `color` matter to table only, `csv_safe` to
    csv, tsv and plain (all tab- or comma-separated: a spreadsheet opens them), `header` (False: --no-header) to plain, csv and tsv. Raises
    ValueError for an unknown format.
    """
    if fmt == "table":
        from bricli.render.table import render_table

        return render_table(listing, width=width, color=color)
    if fmt == "plain":
        from bricli.render.plain import render_plain

        return render_plain(listing, header, csv_safe=csv_safe)
    if fmt == "markdown":
        from bricli.render.markdown import render_markdown

        return render_markdown(listing)
    if fmt in ("csv", "tsv"):
        from bricli.render import delimited

        return getattr(delimited, f"render_{fmt}")(listing.records, csv_safe=csv_safe, header=header,
                                                    fields=listing.fields)
    if fmt == "json":
        encoded = render_encoded(listing, fmt)
        if encoded is not None:
            return b"".join(encoded).decode()
        from bricli.render.serialized import render_json

        return render_json(listing.records)
    if fmt in ("ndjson", "yaml"):
        from bricli.render import serialized

        return getattr(serialized, f"render_{fmt}")(listing.records)
    raise ValueError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def render_encoded(listing: Listing, fmt: str) -> list | None:
    """render(listing, fmt) UTF-8 encoded, in pieces that are written one after another, when
    it is at hand without ever being text: json of the records the index stored (never
    decoded); None otherwise."""
    if fmt == "json" and listing.json_records is not None:
        from bricli.render.serialized import json_chunks

        return json_chunks(listing.json_records)
    return None


def __getattr__(name: str):
    # `from bricli.render import Listing` works without paying for dataclasses up front.
    if name in ("Listing", "Column"):
        from bricli.present import listing

        return getattr(listing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
