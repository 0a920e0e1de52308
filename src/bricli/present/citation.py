"""Licences and citations: what bricli's code and fact files are licensed under (one place,
for the README, CITATION.cff, the Datasette metadata and the data package to agree with), and
`bricli show FACT_ID --cite-as`: a citation of one fact with its source.

Pure: text from the JSON records, no files.
"""

from __future__ import annotations

from typing import Any

from bricli import __version__

CODE_LICENSE = "MIT"  # LICENSE, pyproject.toml
DATA_LICENSE = {  # the fact files: bricli's own compilation (selection, structure, labels, notes)
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
QUOTE_TERMS = "each verbatim quote (and figure as its source states it) remains under its source's terms"
DATA_LICENSE_TEXT = (f"Fact files: bricli's compilation, {DATA_LICENSE['title']} ({DATA_LICENSE['name']}, "
                     f"{DATA_LICENSE['path']}); {QUOTE_TERMS}. Code: {CODE_LICENSE}.")


def _source_text(src: dict[str, Any], registry: dict[str, Any] | None) -> str:
    """Author/publisher. "Title". Date. Section. URL (retrieved ...)."""
    reg = registry or {}
    who = reg.get("author") or reg.get("publisher")
    parts = [f"{who}." if who else None, f"“{src['title'] or src['id']}”."]
    if reg.get("author") and reg.get("publisher"):
        parts.append(f"{reg['publisher']},")
    if src.get("date"):
        parts.append(f"{src['date']}{' (date estimated)' if reg.get('date_estimated') else ''}.")
    if src.get("section"):
        parts.append(f"Section: {src['section']}.")
    if src.get("url"):
        parts.append(src["url"] + (f" ({reg['retrieved']})" if reg.get("retrieved") else "") + ".")
    return " ".join(p for p in parts if p)


def citation(rec: dict[str, Any], sources: dict[str, dict[str, Any]], inputs: list[dict[str, Any]] | None = None) -> str:
    """A citation of one record (the JSON contract's fields) and of its source (`sources`: the
    records of `bricli sources --format json`, by id). A derived value cites the facts it was
    computed from (`inputs`, their records), each with its source."""
    what = rec["label"]
    if rec.get("value_text"):
        what += f": {rec['value_text']}"
    if rec.get("period_label"):
        what += f" ({rec['period_label']})"
    lines = [what + "."]
    if rec["derived"]:
        lines.append(f"Computed by bricli: {rec['formula']}.")
        for inp in inputs or []:
            lines.append(f"Input {inp['id']}: " + _source_text(inp["source"], sources.get(inp["source"]["id"])))
    else:
        lines.append("Source: " + _source_text(rec["source"], sources.get(rec["source"]["id"])))
        if rec["source"].get("quote"):
            lines.append(f"Quote: “{rec['source']['quote']}”")
        if rec["source"].get("translation"):
            lines.append(f"Translation: “{rec['source']['translation']}”")
    lines.append(f"Cite as: bricli {__version__}, fact {rec['id']}. {DATA_LICENSE_TEXT}")
    return "\n".join(lines) + "\n"
