"""`bricli completion SHELL`: print the shell completion script (see cli/shells.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from bricli.cli.output import write_data
from bricli.cli.shells import SHELLS, script


def _shells(incomplete: str):
    return [s for s in SHELLS if s.startswith(incomplete)]


ShellArg = Annotated[str, typer.Argument(help="bash, zsh or fish.", metavar="SHELL", autocompletion=_shells, show_default=False)]


def completion(shell: ShellArg) -> None:
    """Print the TAB-completion script for bash, zsh or fish.

    bash: eval "$(bricli completion bash)" in ~/.bashrc. zsh: save it as _bricli in a
    directory on $fpath. fish: save it as ~/.config/fish/completions/bricli.fish.

    Example: bricli completion bash
    """
    write_data(script(shell.strip().lower()), verbatim=True)
