"""`bricli COMMAND` builds only COMMAND in full; the others are stubs that keep help and completion the same."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bricli.cli.main import app, command_being_run, make_app
from bricli.cli.typer_seam import click_command


def output(application, args):
    result = CliRunner().invoke(application, args, prog_name="bricli")
    return result.exit_code, result.stdout


def test_only_the_command_being_run_is_built():
    commands = click_command(make_app("trade", lazy=True)).commands
    assert commands["trade"].params
    assert [name for name, c in commands.items() if c.params] == ["trade"]
    assert list(commands) == list(click_command(app).commands)


@pytest.mark.parametrize("args", [["--help"], [], ["trade", "--help"], ["report", "--help"], ["show", "--help"]])
def test_help_is_the_same(args):
    running = next((a for a in args if not a.startswith("-")), None)
    assert output(make_app(running, lazy=True), args) == output(app, args)


def test_an_unknown_command_reads_the_same():
    assert output(make_app("trad", lazy=True), ["trad"]) == output(app, ["trad"])


@pytest.mark.parametrize("argv, environ, expected", [
    (["trade", "--year", "2018"], {}, "trade"),
    (["--help"], {}, None),
    (["-V"], {}, None),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --fo", "COMP_CWORD": "2"}, "trade"),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli tr", "COMP_CWORD": "1"}, "tr"),
    ([], {"_BRICLI_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "bricli show trade-"}, "show"),
    ([], {"_BRICLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "bricli"}, None),
])
def test_command_being_run(argv, environ, expected):
    assert command_being_run(argv, environ) == expected
