"""The `bricli` application: commands, the version flag, and the one error handler.

Command modules are cheap to import (heavy libraries load inside the
command bodies), so `bricli --help` and TAB completion stay fast.

No `from __future__ import annotations` here: typer reads the annotations of
the root callback and of its option callbacks on every run, and evaluating
them as strings (each `Annotated[..., typer.Option(...)]` twice) cost ~0.8 ms.
"""

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Mapping
from typing import Annotated, Optional

import typer

from bricli import __version__
from bricli.cli import exits, typer_seam
from bricli.cli.commands import register
from bricli.cli.entry import exit_interrupted
from bricli.cli.errors import CliError
from bricli.cli.output import StdioError, make_stdio_safe, message, silence, write_data
from bricli.cli.shells import SHELLS, install, script


class BricliGroup(typer_seam.Group):
    """Maps bricli's errors to exit codes and messages on stderr, for every command."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        typer_seam.install_light_coercion(self)  # before any value is parsed: keeps pydantic out (see coerce.py)
        typer_seam.install_completion_protocol()  # TAB presses are answered by bricli's own classes
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer_seam.ClickException as exc:  # unknown option, bad value, missing argument...
            what, hint = typer_seam.click_error(exc)
            report_error(what, hint)
            rv = exits.USAGE if isinstance(exc, typer_seam.UsageError) else exc.exit_code
        except typer.Abort:  # public: Ctrl-C while typer prompts or reads
            report_error("interrupted", "")
            rv = exits.INTERRUPTED
        except CliError as exc:  # from an eager root option (--show-completion SHELL), before any command
            report_error(exc.message, exc.hint)
            rv = exc.code
        except SystemExit:
            # click ends a broken pipe (`bricli --help | true`) with a silent exit 1, having
            # wrapped stdout and stderr to swallow the rest: that is bricli's 141 (issue 24)
            if type(sys.stdout).__name__ != "PacifyFlushWrapper":
                raise
            _silence(sys.stdout)
            rv = exits.BROKEN_PIPE
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else exits.OK)

    def invoke(self, ctx):
        # not at the top: `bricli --help` alone never needs the model's errors (`COMMAND --help` does)
        from bricli.model.errors import FactBaseError, QueryError

        def fail(text: str, hint: str, code: int):
            report_error(text, hint)
            return typer.Exit(code)

        try:
            return super().invoke(ctx)
        except typer_seam.ClickException as exc:
            raise typer_seam.with_command(exc, ctx) from None
        except CliError as exc:
            raise fail(exc.message, exc.hint, exc.code) from None
        except QueryError as exc:
            what, suggested = typer_seam.split_suggestion(str(exc))
            raise fail(what, exc.hint or suggested, exits.USAGE) from None
        except FactBaseError as exc:
            from bricli.load.assemble import cap_problems  # the loader: only a base with problems gets here

            for p in cap_problems(list(exc.problems)):  # at most MAX_TOTAL_PROBLEMS lines, however they came
                message(str(p))
            report_error(f"{len(exc.problems)} problem(s) in the fact files; nothing was printed",
                         "run `bricli check` for the full report")
            raise typer.Exit(exits.DATA_ERROR) from None
        except BrokenPipeError:
            _silence(sys.stdout)
            raise typer.Exit(exits.BROKEN_PIPE) from None
        except Exception as exc:
            files = sys.modules.get("bricli.files")  # write-only code: loaded only by a command that writes
            if files is not None and isinstance(exc, files.WriteRefused):
                raise fail(exc.message, exc.hint, exits.DATA_ERROR) from None
            raise


def report_error(what: str, hint: str) -> None:
    """Every error bricli reports reads the same: `bricli: what went wrong`, then `hint: how to fix`."""
    message(f"bricli: {what}")
    if hint:
        message(f"hint: {hint}")


def _silence(stream) -> None:
    silence(stream)


def _show_version(value: bool) -> None:
    if value:
        write_data(f"bricli {__version__}\n")
        raise typer.Exit()


def _show_completion(value: Optional[str]) -> None:
    if value is not None:
        sys.stdout.write(script(value.strip().lower()))
        raise typer.Exit()


def _install_completion(value: Optional[str]) -> None:
    if value is not None:
        path = install(value.strip().lower())
        message(f"bricli: {value} completion installed in {path}; it works in new shells")
        raise typer.Exit()


def _shells(incomplete: str):
    return [s for s in SHELLS if s.startswith(incomplete)]


def _root(
    ctx: typer.Context,
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", help="Print the version and exit.", callback=_show_version, is_eager=True),
    ] = None,
    show_completion: Annotated[
        Optional[str],
        typer.Option("--show-completion", metavar="SHELL", help="Print the completion script for SHELL (bash, zsh or fish).",
                     callback=_show_completion, is_eager=True, autocompletion=_shells, show_default=False),
    ] = None,
    install_completion: Annotated[
        Optional[str],
        typer.Option("--install-completion", metavar="SHELL",
                     help="Install completion for SHELL (bash, zsh or fish) in your home directory.",
                     callback=_install_completion, is_eager=True, autocompletion=_shells, show_default=False),
    ] = None,
) -> None:
    """Facts and figures of China-Latin America Belt and Road cooperation, each with its source.

    Example: bricli trade --year 2018
    """
    if ctx.invoked_subcommand is None:  # plain `bricli`: a short overview instead of a usage error
        from bricli.cli.commands.overview import overview  # the command dispatch: the fact base, only here

        overview()


def make_app(running: str | None = None, *, lazy: bool = False) -> typer.Typer:
    """The application. With `lazy`, the command `running` alone when it names one, else
    every command as a stub with its name and help (see commands.register), so that
    `bricli trade ...` neither imports nor converts the other commands."""
    typer_seam.plain_argument_help()
    application = typer.Typer(
        name="bricli",
        cls=BricliGroup,
        help="Facts and figures of China-Latin America Belt and Road cooperation, each with its source.\n\n"
        "Example: bricli trade --year 2018",
        add_completion=False,  # bricli's own --show-completion/--install-completion SHELL (cli/shells.py)
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    application.callback(invoke_without_command=True)(_root)
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
    press the words come from the shell's variables instead of argv, and only the words
    before the cursor's count: in `bricli countr<TAB>` no command is chosen yet."""
    if environ.get("_BRICLI_COMPLETE"):
        words = typer_seam.completion_args(environ["_BRICLI_COMPLETE"].rpartition("_")[2], environ)[0]
    else:
        words = argv
    return next((w for w in words if not w.startswith("-")), None)


def run() -> None:
    """Console-script entry point (after `entry.main`): every way out ends here, with one
    line on stderr at most and a documented exit status, never a traceback.

    Output is flushed here, inside the handlers, so that a stdout that is full or closed
    (`>/dev/full`, `>&-`) is reported even for `--help` and `--version`, whose text
    typer and bricli leave in Python's buffer."""
    # A run allocates many objects that live until it ends (imports, the app, a loaded
    # base): collecting them is wasted work. The cyclic collector stays off; what is
    # loaded so far is frozen in case something turns it back on. Building the index
    # (load/index.py) turns it on while it parses, to stay within its memory bounds.
    gc.disable()
    gc.freeze()
    make_stdio_safe()
    interrupted = _catch_interrupts(signal)
    try:
        try:
            make_app(command_being_run(sys.argv[1:], os.environ), lazy=True)(prog_name="bricli")
            code = exits.OK
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (exits.OK if exc.code is None else exits.DATA_ERROR)
        if interrupted:  # a Ctrl-C that typer turned into exit 130, or Python swallowed in a callback
            raise KeyboardInterrupt
        sys.stdout.flush()
    except KeyboardInterrupt:
        _silence(sys.stdout)
        exit_interrupted()
    except BrokenPipeError:
        _silence(sys.stdout)
        code = exits.BROKEN_PIPE
    except StdioError as exc:
        code = _cannot_write(exc.stream, exc.error)
    except OSError as exc:
        if exc.filename is not None:  # a file, not a standard stream: a bug, show it in full
            raise
        code = _cannot_write("stdout", exc)  # typer's own output: help, usage
    sys.exit(code)


def _catch_interrupts(signal) -> list:
    """Ctrl-C raises KeyboardInterrupt again (entry.main had it end the process at once),
    so an output file being written is removed; the list notes that it happened even
    if Python swallows the exception (it does inside weakref callbacks of imports)."""
    seen: list = []

    def handler(signum, frame):
        if seen:  # a second Ctrl-C while the first is handled
            exit_interrupted()
        seen.append(signum)
        raise KeyboardInterrupt

    def unraisable(info, _default=sys.unraisablehook):
        if not (info.exc_type and issubclass(info.exc_type, KeyboardInterrupt)):
            _default(info)

    def terminated(signum, frame):  # SIGTERM: the file being written is removed, as on Ctrl-C (issue 24)
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError, OSError):  # not the main thread
        signal.signal(signal.SIGINT, handler)
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGTERM, terminated)
    sys.unraisablehook = unraisable
    return seen


def _cannot_write(stream: str, error: OSError) -> int:
    """One line on stderr (when stderr is what failed, nothing can be said), exit 1."""
    silence(sys.stdout if stream == "stdout" else sys.stderr)
    if stream == "stdout":
        try:
            sys.stderr.write(f"bricli: cannot write to stdout: {error.strerror or error}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            silence(sys.stderr)
    return exits.DATA_ERROR
