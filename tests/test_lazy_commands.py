"""`bricli COMMAND` builds COMMAND alone; with no command named yet, every command is a stub that keeps help and completion the same."""

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
    assert list(commands) == ["trade"]
    assert commands["trade"].params


@pytest.mark.parametrize("running", [None, "trad", "--help"])
def test_without_a_known_command_every_command_is_a_stub(running):
    commands = click_command(make_app(running, lazy=True)).commands
    assert list(commands) == list(click_command(app).commands)
    assert [name for name, c in commands.items() if c.params] == []


def test_every_command_says_where_it_is_defined():
    """commands.MODULES names the one module each command's `bricli NAME` imports."""
    from bricli.cli.commands import MODULES, commands

    every = [name for name, _ in commands()]
    assert sorted(MODULES) == sorted(every)
    for module in set(MODULES.values()):
        assert [name for name, _ in commands(module)] == [n for n in every if MODULES[n] == module]


@pytest.mark.parametrize("args", [["--help"], [], ["trade", "--help"], ["report", "--help"], ["show", "--help"],
                                  ["countries", "--help"], ["trade", "--yeer", "2018"], ["show"], ["trade", "extra"]])
def test_help_and_usage_errors_are_the_same(args):
    running = next((a for a in args if not a.startswith("-")), None)
    assert output(make_app(running, lazy=True), args) == output(app, args)


def test_an_unknown_command_reads_the_same():
    assert output(make_app("trad", lazy=True), ["trad"]) == output(app, ["trad"])


@pytest.mark.parametrize("argv, environ, expected", [
    (["trade", "--year", "2018"], {}, "trade"),
    (["--help"], {}, None),
    (["-V"], {}, None),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --fo", "COMP_CWORD": "2"}, "trade"),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli tr", "COMP_CWORD": "1"}, None),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --year 2018", "COMP_CWORD": "1"}, None),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --year 2018", "COMP_CWORD": "x"}, None),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "_BRICLI_COMP_LINE": "bricli countr"}, None),
    ([], {"_BRICLI_COMPLETE": "complete_bash", "_BRICLI_COMP_LINE": "bricli country "}, "country"),
    ([], {"_BRICLI_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "bricli show trade-"}, "show"),
    ([], {"_BRICLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "bricli"}, None),
    ([], {"_BRICLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "bricli countr"}, None),
])
def test_command_being_run(argv, environ, expected):
    assert command_being_run(argv, environ) == expected
