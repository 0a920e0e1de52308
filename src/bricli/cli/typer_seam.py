"""Every use of typer's (and its vendored click's) non-public internals, in one place.

bricli uses typer's public API everywhere else. These few hooks exist for
speed and for the generated files; each one degrades to typer's own
behaviour when the internal is missing, and tests/test_typer_seam.py fails
loudly when typer's version leaves the tested range or an internal moves:

- `Group`: the command group class bricli extends (typer.core.TyperGroup).
- `click_command(app)`: the click command typer builds from an app.
- `install_light_coercion(command)`: give simple parameters bricli's own
  converter (cli/coerce.py) instead of typer's pydantic TypeAdapter
  (typer 0.28+: parameter.type_descriptor / parameter._runtime_param).
- `check_path(...)`: typer's existence/permission checks for a path option.
- `plain_completion_help()`: let zsh/fish help texts skip rich
  (typer._completion_classes._sanitize_help_text).
- `completion_script(shell)` and `markdown_reference(app)`: what
  `--show-completion` prints and typer's docs generator (dev tools only).

The pyproject pins typer to TESTED_TYPER; raise both together after running
the test suite on the new typer.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.core import TyperGroup

if TYPE_CHECKING:
    import typer
    # typer 0.29 vendors click: its types, not those of a separately installed click
    import typer._click as click

TESTED_TYPER = (0, 29)  # the minor series of typer these internals were checked against

# (module, attribute) of every internal used below; the seam test imports each one
INTERNALS = (
    ("typer.core", "TyperGroup"),
    ("typer.main", "get_command"),
    ("typer._param_types", "coerce_cli_path"),
    ("typer._completion_classes", "_sanitize_help_text"),
    ("typer._completion_shared", "get_completion_script"),
    ("typer.cli", "get_docs_for_click"),
)

Group = TyperGroup


def click_command(app: typer.Typer) -> click.Command:
    """The click command typer builds from `app` (what `app()` runs)."""
    import typer.main

    return typer.main.get_command(app)


# --- light parameter conversion -------------------------------------------------------------


def param_kind(param: Any) -> str | None:
    """Which of bricli's light converters fits `param`, or None to keep typer's own."""
    desc = getattr(param, "type_descriptor", None)
    if desc is None or getattr(desc, "file_annotation", True) is not None:
        return None
    info = desc.parameter_info
    if info.parser is not None or getattr(info, "clamp", False) or getattr(info, "resolve_path", False):
        return None
    ann = desc.annotation
    if ann is str:
        return "str"
    if ann is bool:
        return "bool"
    if ann is int:
        return "int"
    if ann is Path and info.path_type is None and not info.allow_dash:
        return "path"
    if ann == list[str]:
        return "texts"
    if ann == list[Path] and info.path_type is None and not info.allow_dash:
        return "paths"
    return None


def param_info(param: Any) -> Any:
    """typer's ParameterInfo of a parameter (min, max, path checks)."""
    return param.type_descriptor.parameter_info


def _give(param: Any) -> bool:
    from bricli.cli.coerce import LightParam

    if not hasattr(param, "_runtime_param") or param._runtime_param is not None:
        return False
    kind = param_kind(param)
    if kind is None:
        return False
    param._runtime_param = LightParam(kind, param_info(param))
    return True


def install_light_coercion(command: Any) -> int:
    """Give every simple parameter of `command` (and its subcommands) the light converter.

    Returns how many parameters were given one; 0 when typer has no such
    internals (older typer, which does not use pydantic anyway). Idempotent.
    """
    count = sum(_give(p) for p in getattr(command, "params", ()))
    if "get_help_option" not in vars(command) and hasattr(command, "get_help_option"):
        original = command.get_help_option  # the -h/--help option is made on first use, per command

        def get_help_option(ctx: Any, _original: Any = original) -> Any:
            option = _original(ctx)
            if option is not None:
                _give(option)
            return option

        command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        count += install_light_coercion(sub)
    return count


def check_path(value: Any, info: Any, param: Any, ctx: Any) -> Path:
    """typer's existence/permission checks for a path value (no pydantic)."""
    from typer._param_types import coerce_cli_path

    text = value if isinstance(value, str) else os.fspath(value)
    return Path(str(coerce_cli_path(text, info, path_type=None, param=param, ctx=ctx)))


# --- completion and generated files ---------------------------------------------------------


def plain_completion_help() -> None:
    """zsh and fish show a help text beside each candidate; typer passes it through
    rich to strip markup, importing rich on every TAB press. bricli's help has no
    markup (rich_markup_mode=None), so the text is used as it is."""
    try:
        from typer import _completion_classes
    except ImportError:  # pragma: no cover - another typer layout
        return
    if hasattr(_completion_classes, "_sanitize_help_text"):
        _completion_classes._sanitize_help_text = lambda text: text


def completion_script(prog_name: str, complete_var: str, shell: str) -> str:
    """What `PROG --show-completion SHELL` prints."""
    from typer._completion_shared import get_completion_script

    return str(get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell))


def markdown_reference(app: typer.Typer, name: str, title: str) -> str:
    """The CLI reference in Markdown, as `typer ... utils docs` makes it."""
    import typer as _typer
    from typer.cli import get_docs_for_click

    command = click_command(app)
    ctx = _typer.Context(command)
    ctx.obj = {"TYPER_RICH_MARKUP_MODE": app.rich_markup_mode}
    return str(get_docs_for_click(obj=command, ctx=ctx, name=name, title=title))
