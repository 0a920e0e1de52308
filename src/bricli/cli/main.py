"""The `bricli` application: commands, the version flag, and the one error handler.

Command modules are cheap to import (heavy libraries load inside the
command bodies), so `bricli --help` and TAB completion stay fast.
"""

from __future__ import annotations

import os
import sys
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


app = typer.Typer(
    name="bricli",
    cls=BricliGroup,
    help="Facts and figures of China-Latin America Belt and Road cooperation, each with its source.\n\n"
    "Example: bricli trade --year 2018",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"bricli {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", help="Print the version and exit.", callback=_show_version, is_eager=True),
    ] = None,
) -> None:
    """Facts and figures of China-Latin America Belt and Road cooperation, each with its source.

    Example: bricli trade --year 2018
    """


from bricli.cli.commands import register  # noqa: E402  (commands need `app` defined first)

register(app)


def run() -> None:
    """Console-script entry point."""
    from bricli.cli.output import make_stdio_safe

    make_stdio_safe()
    try:
        app(prog_name="bricli")
    except KeyboardInterrupt:
        sys.stderr.write("bricli: interrupted\n")
        sys.exit(exits.INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(exits.BROKEN_PIPE)
