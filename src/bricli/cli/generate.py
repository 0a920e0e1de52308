"""Generate the committed files that come from the app itself.

    python -m bricli.cli.generate            # rewrite completions/ and docs/cli.md
    python -m bricli.cli.generate --check    # exit 1 if any of them is stale

- completions/bricli.{bash,zsh,fish}: what `bricli --show-completion` prints
  for each shell. The scripts call bricli back on each TAB press
  (`_BRICLI_COMPLETE=complete_<shell>`), so values come from the installed
  bricli and its facts.
- docs/cli.md: the CLI reference, made by typer's own `typer ... utils docs`
  generator from the commands' help texts.

Tests regenerate both and fail on any difference (tests/test_generated.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

PROG = "bricli"
COMPLETE_VAR = "_BRICLI_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def completion_script(shell: str) -> str:
    from typer._completion_shared import get_completion_script  # what --show-completion prints

    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell).rstrip("\n") + "\n"


def cli_reference() -> str:
    import typer
    import typer.main
    from typer.cli import get_docs_for_click

    from bricli.cli.main import app

    command = typer.main.get_command(app)
    ctx = typer.Context(command)
    ctx.obj = {"TYPER_RICH_MARKUP_MODE": app.rich_markup_mode}
    text = get_docs_for_click(obj=command, ctx=ctx, name=PROG, title="bricli command reference")
    header = ("<!-- Generated from the app by `python -m bricli.cli.generate`; do not edit by hand. -->\n\n")
    return header + text.strip() + "\n"


def outputs(root: Path) -> dict[Path, str]:
    files = {root / "completions" / f"{PROG}.{shell}": completion_script(shell) for shell in SHELLS}
    files[root / "docs" / "cli.md"] = cli_reference()
    return files


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[argv.index("--root") + 1]) if "--root" in argv else Path.cwd()
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
