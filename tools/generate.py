"""Generate the committed files that come from the app and the model (dev tool, not shipped).

    python tools/generate.py            # rewrite them all
    python tools/generate.py --check    # exit 1 if any of them is stale

- completions/bricli.{bash,zsh,fish}: what `bricli completion SHELL` prints
  (cli/shells.py). The scripts call bricli back on each TAB press
  (`_BRICLI_COMPLETE=complete_<shell>`), so values come from the installed
  bricli and its facts.
- docs/cli.md: the CLI reference, made by typer's own `typer ... utils docs`
  generator from the commands' help texts.
- src/bricli/schema/facts.schema.json: the JSON Schema of fact files, from
  the field table (tools/schema.py).
- docs/sources.md: the shipped facts' sources by topic and grade, with the
  number of facts each gives (from facts/; rerun after adding facts).

countries.tsv has its own generator (tools/countries.py, needs pycountry).
Tests regenerate these and fail on any difference (tests/test_generated.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/schema.py beside this file

PROG = "bricli"
SHELLS = ("bash", "zsh", "fish")
ROOT = Path(__file__).resolve().parent.parent


def completion_script(shell: str) -> str:
    from bricli.cli.shells import script  # what `bricli completion SHELL` prints

    return script(shell)


def cli_reference() -> str:
    from bricli.cli.main import app
    from bricli.cli.typer_seam import markdown_reference

    text = markdown_reference(app, PROG, "bricli command reference")
    header = "<!-- Generated from the app by `python tools/generate.py`; do not edit by hand. -->\n\n"
    return header + text.strip() + "\n"


GRADES = ("A", "B", "C")
GRADE_NAMES = {"A": "official or primary", "B": "reputable secondary", "C": "repost, blog or aggregator",
               None: "no grade given"}


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def sources_reference(facts_dir: Path) -> str:
    """docs/sources.md: for each topic, the sources its shipped facts cite, grouped by grade
    (A, B, C, then none), each with id, publisher, date and the number of that topic's facts."""
    from bricli.load.assemble import load
    from bricli.model.vocab import TOPICS

    base, problems = load([facts_dir])
    if problems:
        raise SystemExit(f"{facts_dir}: {len(problems)} problem(s) in the fact files, first: {problems[0]}; run bricli check")
    counts: dict[str, dict[str, int]] = {t: {} for t in TOPICS}
    for f in base.facts:
        by_source = counts.setdefault(f.topic, {})
        by_source[f.source.id] = by_source.get(f.source.id, 0) + 1
    cited = {sid for by_source in counts.values() for sid in by_source}
    out = ["<!-- Generated from the shipped facts by `python tools/generate.py`; do not edit by hand. -->", "",
           "# Sources by topic and grade", "",
           f"The {len(base.facts)} shipped facts (`facts/`) cite {len(cited)} sources. Under each topic, its sources "
           "are grouped by grade (`reliability`: " + "; ".join(f"{g} {GRADE_NAMES[g]}" for g in GRADES) +
           "; none: no grade given), each with the number of that topic's facts it gives. A source cited "
           "by several topics is listed under each. `bricli sources` lists them all with titles and URLs; "
           "how to write a source: [facts.md](facts.md).", ""]
    for topic in TOPICS:
        by_source = counts.get(topic, {})
        if not by_source:
            continue
        out += [f"## {topic}", "", f"{len(by_source)} sources, {sum(by_source.values())} facts.", ""]
        for grade in (*GRADES, None):
            ids = sorted((sid for sid in by_source if base.sources[sid].reliability == grade),
                         key=lambda sid: (base.sources[sid].date, sid))
            if not ids:
                continue
            title = f"Grade {grade}: {GRADE_NAMES[grade]}" if grade else "No grade"
            out += [f"### {title} ({len(ids)} sources, {sum(by_source[i] for i in ids)} facts)", "",
                    "| id | publisher | date | facts |", "|---|---|---|---:|"]
            for sid in ids:
                s = base.sources[sid]
                who = ", ".join(x for x in (s.author, s.publisher) if x) or "not stated"
                date = s.date + (" (estimated)" if s.date_estimated else "")
                out.append(f"| `{sid}` | {_cell(who)} | {_cell(date)} | {by_source[sid]} |")
            out.append("")
    unused = sorted(sid for sid in base.sources if sid not in cited)
    if unused:
        out += ["## Registered but not cited", "", "Sources in `facts/` that no shipped fact cites: "
                + ", ".join(f"`{sid}`" for sid in unused) + ".", ""]
    return "\n".join(out).rstrip() + "\n"


def outputs(root: Path) -> dict[Path, str]:
    from schema import render_schema

    files = {root / "completions" / f"{PROG}.{shell}": completion_script(shell) for shell in SHELLS}
    files[root / "docs" / "cli.md"] = cli_reference()
    files[root / "src" / "bricli" / "schema" / "facts.schema.json"] = render_schema()
    files[root / "docs" / "sources.md"] = sources_reference(root / "facts")
    return files


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[argv.index("--root") + 1]) if "--root" in argv else ROOT
    stale = []
    for path, text in outputs(root).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if "--check" not in argv:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if '--check' in argv else 'wrote'}: {path}", file=sys.stderr)
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main())
