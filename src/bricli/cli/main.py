"""The `bricli` application: commands, the version flag, and the one error handler.

Command modules are cheap to import (heavy libraries load inside the
command bodies), so `bricli --help` and TAB completion stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Annotated, Optional

import typer

from bricli import __version__
from bricli.cli import exits, typer_seam


class BricliGroup(typer_seam.Group):
    """Maps bricli's errors to exit codes and messages on stderr, for every command."""

    def main(self, *args, **kwargs):
        typer_seam.install_light_coercion(self)  # before any value is parsed: keeps pydantic out (see coerce.py)
        if os.environ.get("_BRICLI_COMPLETE", "").endswith(("_zsh", "_fish")):
            typer_seam.plain_completion_help()
        return super().main(*args, **kwargs)

    def invoke(self, ctx):
        # light modules only: this runs for `bricli COMMAND --help` too
        from bricli.files import WriteRefused
        from bricli.model.problems import FactBaseError, QueryError
        from bricli.cli.errors import CliError
        from bricli.cli.output import message

        def fail(text: str, hint: str, code: int):
            message(f"bricli: {text}")
            if hint:
                message(f"  hint: {hint}")
            return typer.Exit(code)

        try:
            return super().invoke(ctx)
        except CliError as exc:
            raise fail(exc.message, exc.hint, exc.code) from None
        except WriteRefused as exc:
            raise fail(exc.message, exc.hint, exits.DATA_ERROR) from None
        except QueryError as exc:
            raise fail(str(exc), exc.hint, exits.USAGE) from None
        except FactBaseError as exc:
            for p in exc.problems:
                message(str(p))
            message(f"bricli: {len(exc.problems)} problem(s) in the fact files; nothing was printed. Run `bricli check` for the full report.")
            raise typer.Exit(exits.DATA_ERROR) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(exits.BROKEN_PIPE) from None


def _silence_stdout() -> None:
    """The reader went away: point stdout at /dev/null so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"bricli {__version__}\n")
        raise typer.Exit()


def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", help="Print the version and exit.", callback=_show_version, is_eager=True),
    ] = None,
) -> None:
    """Facts and figures of China-Latin America Belt and Road cooperation, each with its source.

    Example: bricli trade --year 2018
    """


def make_app(running: str | None = None, *, lazy: bool = False) -> typer.Typer:
    """The application. With `lazy`, only the command `running` is built in full; the
    others are stubs with the same name and help (see commands.register), so
    `bricli trade ...` does not convert every command's parameters."""
    from bricli.cli.commands import register

    application = typer.Typer(
        name="bricli",
        cls=BricliGroup,
        help="Facts and figures of China-Latin America Belt and Road cooperation, each with its source.\n\n"
        "Example: bricli trade --year 2018",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    application.callback()(_root)
    register(application, running if lazy else None, lazy=lazy)
    return application


def __getattr__(name: str) -> typer.Typer:
    """`app`: every command in full (tests, docs, Python callers), made on first use so
    that `run` builds only its lazy one."""
    if name != "app":
        raise AttributeError(name)
    full = globals()["app"] = make_app()
    return full


def command_being_run(argv: list[str], environ: Mapping[str, str]) -> str | None:
    """The first word that is not an option: the command name, if one was typed. On a TAB
    press the words come from the shell's variables instead of argv."""
    if environ.get("_BRICLI_COMPLETE"):
        line = environ.get("COMP_WORDS") if environ["_BRICLI_COMPLETE"].endswith("_bash") else None
        words = (line if line is not None else environ.get("_TYPER_COMPLETE_ARGS", "")).split()[1:]
    else:
        words = argv
    return next((w for w in words if not w.startswith("-")), None)


def run() -> None:
    """Console-script entry point."""
    from bricli.cli.output import make_stdio_safe

    make_stdio_safe()
    try:
        make_app(command_being_run(sys.argv[1:], os.environ), lazy=True)(prog_name="bricli")
    except KeyboardInterrupt:
        sys.stderr.write("bricli: interrupted\n")
        sys.exit(exits.INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(exits.BROKEN_PIPE)
