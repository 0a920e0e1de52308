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


def outputs(root: Path) -> dict[Path, str]:
    from schema import render_schema

    files = {root / "completions" / f"{PROG}.{shell}": completion_script(shell) for shell in SHELLS}
    files[root / "docs" / "cli.md"] = cli_reference()
    files[root / "src" / "bricli" / "schema" / "facts.schema.json"] = render_schema()
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
