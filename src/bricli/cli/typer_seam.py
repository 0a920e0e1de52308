"""Every override of typer's (and its vendored click's) behaviour, and every use of their non-public
internals, in one place.

bricli uses typer's public API everywhere else (typer.Typer, Option, Argument, Context, Exit, Abort,
BadParameter; click's documented Command.main/invoke for cli/main.py's error handler). What it must
still override, why, and the test that fails when typer changes it:

- `Group` (typer.core.TyperGroup): the class `cls=` takes, which cli/main.py's BricliGroup extends
  with the one error handler. Why: typer offers no other hook for errors raised while parsing.
  Test: test_typer_seam (the internal is there), test_help (errors in bricli's words).
- `click_command(app)` (typer.main.get_command): the click command typer builds, for the lazy app,
  the docs and the tests. Test: test_typer_seam.
- `install_light_coercion(command)` and `LightParam` (parameter.type_descriptor,
  parameter._runtime_param, ParameterInfo): simple parameters converted by cli/coerce.py instead of
  typer's pydantic TypeAdapter. Why: building the adapters costs more than all else a query or a
  TAB press does. Test: test_startup (same values and messages as typer's on every parameter kind),
  test_typer_seam (typer still reads the attributes).
- `check_path(...)` (typer._param_types.coerce_cli_path): typer's existence/permission checks for
  a path option, without pydantic. Test: test_typer_seam, test_startup.
- `install_completion_protocol()` (click's ShellComplete, add_completion_class, split_arg_string):
  bricli's own answer to a TAB press for bash, zsh and fish. Why: the scripts in cli/shells.py quote
  multi-word values, keep bricli's order and never import rich. Test: test_completion.
- `plain_argument_help()` (TyperArgument._usage_display_name, display_type_rich): arguments read
  `COUNTRY`, not `COUNTRY <str>` in help nor `{COUNTRY}` in the usage line. Why: typer's notation
  is jargon to a reader. Test: test_typer_seam (both methods still exist and are replaced),
  test_help (no jargon in any help text).
- `click_error(exc)` and `with_command(exc, ctx)` (click's exception classes and message texts):
  what a usage error (unknown option, bad value, missing argument, unknown command) says, in
  bricli's words with a hint. Why: click's wording names internals ("Got unexpected extra
  argument") and gives no "did you mean". Test: test_help (every kind of error, word for word).
- `markdown_reference(app)` (typer.cli.get_docs_for_click): docs/cli.md, as `typer ... utils docs`
  makes it (dev tools only). Test: test_generated.

The pyproject pins typer to TESTED_TYPER; raise both together after running the test suite on the
new typer.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any
from collections.abc import Mapping

import typer
import typer._click as click  # typer 0.29 vendors click: its types, not those of a separately installed click
import typer.main
from typer import BadParameter  # public: the light converter's errors are typer's own
from typer._click.exceptions import (
    BadOptionUsage,
    ClickException,
    MissingParameter,
    NoSuchOption,
    UsageError,
)
from typer._click.shell_completion import ShellComplete, add_completion_class, split_arg_string
from typer.core import TyperGroup

from bricli.cli.coerce import to_bool, to_text
from bricli.model.arguments import MAX_WHOLE_NUMBER, path_argument, whole_number
from typer._param_types import coerce_cli_path
from typer.cli import get_docs_for_click
from typer.core import TyperArgument
from bricli.cli.shells import script

TESTED_TYPER = (0, 29)  # the minor series of typer these internals were checked against

# (module, attribute) of every internal used below; the seam test imports each one
INTERNALS = (
    ("typer.core", "TyperGroup"),
    ("typer.main", "get_command"),
    ("typer._param_types", "coerce_cli_path"),
    ("typer.cli", "get_docs_for_click"),
    ("typer.core", "TyperArgument"),
    ("typer._click.shell_completion", "ShellComplete"),
    ("typer._click.shell_completion", "add_completion_class"),
    ("typer._click.shell_completion", "split_arg_string"),
    ("typer._click.exceptions", "ClickException"),
    ("typer._click.exceptions", "UsageError"),
    ("typer._click.exceptions", "NoSuchOption"),
    ("typer._click.exceptions", "BadOptionUsage"),
    ("typer._click.exceptions", "MissingParameter"),
)

Group = TyperGroup


def click_command(app: typer.Typer) -> click.Command:
    """The click command typer builds from `app` (what `app()` runs)."""
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


class LightParam:
    """Stands in for typer's RuntimeParam (an internal: `param._runtime_param`), same `coerce(value, param,
    ctx)` contract, with cli/coerce.py's converters. Why: typer's own builds a pydantic TypeAdapter, which
    costs more than all else bricli does for a query or a TAB press. Tested: tests/test_startup.py (same
    values and messages as typer's) and tests/test_typer_seam.py (typer still reads `_runtime_param`)."""

    __slots__ = ("kind", "info")

    def __init__(self, kind: str, info: Any) -> None:
        self.kind = kind  # str, int, bool, path, paths, texts
        self.info = info  # typer's ParameterInfo (min, max, path checks)

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        if multi and isinstance(value, str):
            raise BadParameter("Value must be an iterable.", ctx=ctx, param=param)
        try:
            if self.kind == "texts":
                items = value if isinstance(value, (list, tuple)) else [value]
                return [to_text(v) for v in items]
            if self.kind == "paths":
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self._path(v, param, ctx) for v in items]
            if self.kind == "path":
                return self._path(value, param, ctx)
            if self.kind == "int":  # every number: one function, bounds and length checked (issue 24)
                lo, hi = self.info.min, self.info.max
                return whole_number(value, lo=-MAX_WHOLE_NUMBER if lo is None else lo,
                                    hi=MAX_WHOLE_NUMBER if hi is None else hi)
            if self.kind == "bool":
                return to_bool(value)
            return to_text(value)
        except ValueError as exc:
            raise BadParameter(str(exc), ctx=ctx, param=param) from None

    def _path(self, value: Any, param: Any, ctx: Any) -> Path:
        if value in ("", b""):  # Path("") is ".": an empty --facts would read the working directory
            raise ValueError("an empty path")
        if param.name == "facts":  # a fact directory's path is checked by load/discover.list_files: a problem
            return Path(os.fsdecode(value))  # (exit 1) however it was named, --facts or $BRICLI_FACTS
        # every other path: one function (~user, NUL, over-long: a usage error, never a traceback; issue 24),
        # then typer's existence/permission checks, without pydantic
        return check_path(path_argument(value), self.info, param, ctx)


def _give(param: Any) -> bool:
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
    text = value if isinstance(value, str) else os.fspath(value)
    return Path(str(coerce_cli_path(text, info, path_type=None, param=param, ctx=ctx)))


# --- generated files ---------------------------------------------------------


def markdown_reference(app: typer.Typer, name: str, title: str) -> str:
    """The CLI reference in Markdown, as `typer ... utils docs` makes it."""
    command = click_command(app)
    ctx = typer.Context(command)
    ctx.obj = {"TYPER_RICH_MARKUP_MODE": app.rich_markup_mode}
    return str(get_docs_for_click(obj=command, ctx=ctx, name=name, title=title))


# --- completion protocol ---------------------------------------------------------------------

LINE_VAR = "_BRICLI_COMP_LINE"  # bash: the command line up to the cursor
ARGS_VAR = "_TYPER_COMPLETE_ARGS"  # zsh and fish (typer's name, kept for older scripts)
_END = "\x1f"  # a character no one types: marks where the cursor is


def split_line(line: str) -> tuple[list[str], str]:
    """(complete words after the program name, the word being completed) of a command
    line as typed up to the cursor: quotes and backslashes read as the shell does,
    an unclosed quote ("El S) kept open, a trailing unquoted space meaning a new word."""
    words = split_arg_string(line + _END)
    last = words.pop() if words else _END
    return words[1:], last[: -len(_END)] if last.endswith(_END) else ""


def _bash_words(environ: Mapping[str, str]) -> tuple[list[str], str]:
    """Older scripts (typer's) pass COMP_WORDS/COMP_CWORD instead of the line."""
    words = split_arg_string(environ.get("COMP_WORDS", ""))
    cword_text = environ.get("COMP_CWORD", "")
    cword = int(cword_text) if cword_text.isascii() and cword_text.isdigit() else 0  # bash sets a number; never a traceback
    return words[1:cword], words[cword] if cword < len(words) else ""


def completion_args(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str]:
    """(words before the cursor's, the word being completed) of a TAB press, from the
    variables the completion script of `shell` sets."""
    if shell == "bash":
        return split_line(environ[LINE_VAR]) if LINE_VAR in environ else _bash_words(environ)
    return split_line(environ.get(ARGS_VAR, ""))


class _Complete(ShellComplete):
    source_template = ""  # the scripts live in cli/shells.py

    def source_vars(self) -> dict:
        return {}

    def source(self) -> str:
        return script(self.name)

    def get_completion_args(self) -> tuple[list[str], str]:
        return completion_args(self.name, os.environ)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        return "\n".join(self.format_completion(item) for item in self.get_completions(args, incomplete))


def _one_line(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


class BashComplete(_Complete):
    """One raw value per line: the script quotes each one for the word being typed."""

    name = "bash"

    def format_completion(self, item) -> str:
        return _one_line(item.value)


class ZshComplete(_Complete):
    """`value:help` lines for zsh's _describe (a colon in the value escaped)."""

    name = "zsh"

    def format_completion(self, item) -> str:
        value = _one_line(item.value).replace("\\", "\\\\").replace(":", "\\:")
        return f"{value}:{_one_line(item.help)}" if item.help else value


class FishComplete(_Complete):
    """`value<TAB>help` lines, as fish's `complete --arguments` reads them."""

    name = "fish"

    def format_completion(self, item) -> str:
        value = _one_line(item.value)
        return f"{value}\t{_one_line(item.help)}" if item.help else value


def install_completion_protocol() -> None:
    for cls in (BashComplete, ZshComplete, FishComplete):
        add_completion_class(cls, cls.name)


# --- help a person reads ---------------------------------------------------------------------


def plain_argument_help() -> None:
    """Arguments read as their metavar alone: `COUNTRY`, not `COUNTRY <str>` in the help
    nor `{COUNTRY}` in the usage line (typer's notation for "required")."""
    def usage_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    if hasattr(TyperArgument, "_usage_display_name"):
        TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
    TyperArgument.display_type_rich = lambda self, ctx: ""  # type: ignore[method-assign]


# --- usage errors in bricli's words ----------------------------------------------------------

CLOSE_ENOUGH = 0.75  # difflib ratio of option names (without dashes) for a "did you mean"


def suggestion(wrong: str, choices) -> str | None:
    """The one choice close to `wrong`, or None: `--contry` -> `--country`, `--limit` -> None."""
    bare = wrong.lstrip("-").lower()
    scored = [(difflib.SequenceMatcher(None, bare, c.lstrip("-").lower()).ratio(), c) for c in choices]
    scored = [s for s in scored if s[0] >= CLOSE_ENOUGH]
    return max(scored)[1] if scored else None


def _command_path(ctx) -> str:
    return ctx.command_path if ctx is not None else "bricli"


def _help_hint(ctx) -> str:
    return f"see `{_command_path(ctx)} --help`"


def _options_of(ctx) -> list[str]:
    if ctx is None:
        return []
    names = []
    for p in ctx.command.get_params(ctx):
        if getattr(p, "param_type_name", "") == "option" and not getattr(p, "hidden", False):
            names += [o for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]
    return names


def _param_name(param) -> str:
    if param is None:
        return "value"
    if getattr(param, "param_type_name", "") == "argument":
        return getattr(param, "metavar", None) or (param.name or "value").upper()
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs or param.opts)[0]


_PYDANTIC_WORDS = (  # patterns compiled on first use (an error), not on every start
    (r"Input should be a valid integer.*", "expected a whole number"),
    (r"Input should be greater than or equal to (\S+)", r"must be at least \1"),
    (r"Input should be less than or equal to (\S+)", r"must be at most \1"),
    (r"Input should be a valid boolean.*", "expected yes or no"),
)


def _plain(text: str) -> str:
    for pattern, words in _PYDANTIC_WORDS:
        if re.fullmatch(pattern, text.strip()):
            return re.sub(pattern, words, text.strip())
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def click_error(exc: ClickException) -> tuple[str, str]:
    """(what went wrong, how to fix it) for a click exception."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, NoSuchOption):
        close = suggestion(exc.option_name, _options_of(ctx))
        hint = f"did you mean {close}?" if close else f"{_help_hint(ctx)} for its options"
        return f"no such option {exc.option_name}", hint
    if isinstance(exc, MissingParameter):
        name = _param_name(exc.param)
        what = "argument" if getattr(exc.param, "param_type_name", "") == "argument" else "option"
        return f"missing {what} {name}", _example_hint(ctx)
    if isinstance(exc, BadParameter):
        return f"{_param_name(exc.param)}: {_plain(exc.message)}", _help_hint(ctx)
    if isinstance(exc, BadOptionUsage):
        m = re.fullmatch(r"Option '(\S+)' requires an argument\.?", exc.message)
        if m:
            return f"{m.group(1)} needs a value", _value_hint(ctx, m.group(1))
        return _plain(exc.message), _help_hint(ctx)
    if isinstance(exc, UsageError):
        m = re.match(r"No such command '(.+?)'", exc.message)
        if m:
            names = list(getattr(ctx.command, "commands", {})) if ctx is not None else []
            near = difflib.get_close_matches(m.group(1), names, n=1, cutoff=CLOSE_ENOUGH)
            return (f"no such command '{m.group(1)}'",
                    f"did you mean {near[0]}?" if near else "run `bricli --help` for the commands")
        m = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", exc.message)
        if m:
            return f"unexpected argument: {m.group(1)}", _example_hint(ctx)
        return _plain(exc.message), _help_hint(ctx)
    return _plain(exc.format_message()), ""


def _value_hint(ctx, opt: str) -> str:
    for p in ctx.command.get_params(ctx) if ctx is not None else ():
        if opt in getattr(p, "opts", ()) and getattr(p, "metavar", None):
            return f"write {opt} {p.metavar}; see `{_command_path(ctx)} --help`"
    return _help_hint(ctx)


def with_command(exc: ClickException, group_ctx) -> ClickException:
    """Errors raised while parsing a command's options (click's parser) name no
    context; give them the command's, so the hint can point at its help."""
    if getattr(exc, "ctx", None) is None and group_ctx.invoked_subcommand:
        command = group_ctx.command.commands.get(group_ctx.invoked_subcommand)
        if command is not None:
            exc.ctx = type(group_ctx)(command, info_name=group_ctx.invoked_subcommand,  # type: ignore[attr-defined]
                                      parent=group_ctx)
    return exc


def split_suggestion(message: str) -> tuple[str, str]:
    """`unknown country 'X' (did you mean Y?)` -> the message, and the suggestion as a hint."""
    m = re.fullmatch(r"(.*?) \((did you mean .*\?)\)", message, flags=re.DOTALL)
    return (m.group(1), m.group(2)) if m else (message, "")


def _example_hint(ctx) -> str:
    """The command's own example (its help ends with `Example: bricli ...`)."""
    help_text = getattr(ctx.command, "help", "") if ctx is not None else ""
    m = re.search(r"Example: (bricli .+)", help_text or "")
    return f"for example: {m.group(1).strip()}" if m else _help_hint(ctx)
