"""`bricli check`: validate the fact base and report every problem."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
from bricli.cli.options import FactsOpt, MaxFileSizeOpt, NoShippedOpt
from bricli.cli import exits
from bricli.cli.errors import UsageError
from bricli.cli.output import message, write_data

CHECK_FORMATS = ("text", "json")


def check(
    facts: FactsOpt = None,
    no_shipped: NoShippedOpt = False,
    max_file_size: MaxFileSizeOpt = DEFAULT_MAX_FILE_SIZE,
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="text (one problem per line) or json. Default: $BRICLI_FORMAT when it is json, else text.",
                                                  metavar="FORMAT", show_default=False)] = None,
) -> None:
    """Check the fact files: schema, ids and references, and arithmetic.

    Lists every problem with its file, line, fact id and field, and how to fix
    it. Always reads the files themselves (never the cache). Exit 0 when clean,
    1 when any problem is found. Where two sources disagree (different values
    or dates for the same thing) a note says so: that is information, not a
    problem (see bricli conflicts).

    Example: bricli check --facts ./my-facts
    """
    from bricli.cli.factbase import FactBaseOptions, load_base

    if format is None:  # $BRICLI_FORMAT as for listings; a listing-only format (csv, table) means text here
        format = "json" if os.environ.get("BRICLI_FORMAT", "").strip().lower() == "json" else "text"
    format = format.strip().lower()
    if format not in CHECK_FORMATS:
        raise UsageError(f"unknown format '{format}' for check", "use text or json")
    base, problems = load_base(FactBaseOptions(facts, no_shipped, max_file_size), check=True)  # arithmetic included
    disagreements = []
    if not problems:
        from bricli.analysis.conflicts import find_conflicts

        disagreements = find_conflicts(base.facts)  # between sources: explained, never a problem
    problems.sort(key=lambda p: (p.rule == "limit", p.file, p.line or 0))  # stable: a file's problems in reading order; the cap's line last
    if format == "json":
        import json

        doc = {
            "ok": not problems,
            "files": len(base.files),
            "facts": len(base.facts),
            "sources": len(base.sources),
            "problems": [p.as_dict() for p in problems],
            "disagreements": [{"subject": c.subject, "kind": c.kind, "facts": [f.id for f in c.facts]} for c in disagreements],
        }
        write_data(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        from bricli.render.sanitize import terminal_safe

        write_data("".join(terminal_safe(str(p)) + "\n" for p in problems))
        for c in disagreements:  # informational, on stderr: stdout stays the list of problems
            message(terminal_safe(f"bricli check: note: sources disagree on {c.subject}: {_sides(c)} (see bricli conflicts)"))
    summary = f"{len(base.facts)} facts, {len(base.sources)} sources, {len(base.files)} files"
    if problems:
        message(f"bricli check: {len(problems)} problem(s) ({summary})")
        raise typer.Exit(exits.DATA_ERROR)
    noted = f"; {len(disagreements)} disagreement(s) between sources, shown by bricli conflicts" if disagreements else ""
    message(f"bricli check: ok ({summary}{noted})")


def _sides(conflict) -> str:
    from bricli.model.wording import period_text, value_text

    says = (value_text if conflict.kind == "value" else period_text)
    return " vs ".join(f"{says(f)} ({f.source.id}, {f.id})" for f in conflict.facts)
