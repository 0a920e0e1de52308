"""Output renderers: pure functions from a `Listing` to text. Imports model/ and present/ only.

Part of the fast path's byte writer (cli/entry.py): importing this package is
nearly free (the formats' names, for --help and TAB), and each format's module,
with the library it needs (rich, yaml, json, csv), is imported only when that
format is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the listing's module (the index, json) is the caller's to import, not a TAB press's
    from bricli.present.listing import Listing

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
    if fmt == "ndjson":
        from bricli.render.serialized import render_ndjson

        return render_ndjson(listing.records)
    if fmt == "yaml":
        from bricli.render.yaml_text import render_yaml

        return render_yaml(listing.records)
    raise ValueError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def render_encoded(listing: Listing, fmt: str) -> list | None:
    """render(listing, fmt) UTF-8 encoded, in pieces that are written one after another, when
    it is at hand without ever being text: json of the records the index stored (never
    decoded); None otherwise."""
    if fmt == "json" and listing.json_records is not None:
        from bricli.render.serialized import json_chunks

        return json_chunks(listing.json_records)
    return None

