"""Help a person reads: the overview of plain `bricli`, help texts without type jargon,
summaries not cut off, and one style for every error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bricli.cli.commands.overview import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent


def commands():
    import typer.main

    from bricli.cli.main import app

    return typer.main.get_command(app).commands


# --- the overview ------------------------------------------------------------------------------


def test_bricli_alone_prints_the_overview_and_exits_0(run):
    from bricli.api import records

    result = run([])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for topic in ("trade", "investment", "projects", "finance", "people", "policy", "risks"):
        stated = [r for r in records(topic) if not r["derived"]]
        assert re.search(rf"^  {topic} +{len(stated)} facts ", out, re.MULTILINE), (topic, len(stated), out)
    assert [line.strip() for line in out.splitlines() if line.startswith("  bricli ")] == list(EXAMPLES)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert result.stderr == ""


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_overview_examples_run(example, run):
    result = run(example.split()[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()


def test_the_overview_survives_broken_facts(run, fact_dir):
    broken = fact_dir({"bad.yaml": "facts:\n  - id: x\n    vlaue: 3\n"})
    result = run([], env={"BRICLI_FACTS": str(broken)})
    assert result.exit_code == 0
    assert "trade         ? facts" in result.stdout
    assert "hint: run `bricli check`" in result.stderr


# --- help texts --------------------------------------------------------------------------------

JARGON = ("<str>", "list[str]", "<int>", "<path>", "{COUNTRY}", "{FACT_ID}", "{TEXT}", "{SHELL}", "os.pathsep")


@pytest.mark.parametrize("name", [None, *commands()])
def test_help_has_no_type_jargon(name, run):
    result = run(([name] if name else []) + ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    for word in JARGON:
        assert word not in result.stdout, (name, word)


def test_cli_reference_has_no_type_jargon():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for word in JARGON:
        assert word not in text, word


def test_command_summaries_are_whole(run):
    """click cuts a summary at 45 characters with '...'; bricli's are whole, wrapped if need be."""
    out = run(["--help"], env={"COLUMNS": "80"}).stdout
    listing = " ".join(out.split("Commands:")[1].split())
    assert "..." not in listing
    for name, command in commands().items():
        first = " ".join(command.help.split("\n\n")[0].split())
        assert f"{name} {first}" in listing, name


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, what, hint", [
    (["trade", "--contry", "BRA"], "no such option --contry", "did you mean --country?"),
    (["trade", "--width", "3"], "no such option --width", "see `bricli trade --help` for its options"),
    (["--bogus"], "no such option --bogus", "see `bricli --help` for its options"),
    (["trade", "--year", "abc"], "--year: 'abc' is not a year between 1000 and 9999 or a range of them",
     "use a year (2018), a range (2015..2024, 2015.., ..2024) or a comma list of them"),
    (["trade", "--year", "99"], "--year: '99' is not a year between 1000 and 9999 or a range of them",
     "use a year (2018), a range"),
    (["trade", "--year"], "--year needs a value", "write --year YEAR; see `bricli trade --help`"),
    (["trade", "extra"], "unexpected argument: extra", "for example: bricli trade --year 2018 --flow exports"),
    (["show"], "missing argument FACT_ID", "for example: bricli show trade-2018-total-chn-lcn"),
    (["trad"], "no such command 'trad'", "did you mean trade?"),
    (["xyzzy"], "no such command 'xyzzy'", "run `bricli --help` for the commands"),
    (["trade", "--flow", "sideways"], "--flow: unknown value 'sideways'", "use one of: exports, imports, total, balance"),
    (["trade", "--format", "xml"], "unknown format 'xml' (from --format)", "use one of:"),
    (["trade", "--country", "Brazl"], "unknown country or region 'Brazl'", "did you mean Brazil (BRA)?"),
    (["completion", "tcsh"], "no completion for shell 'tcsh'", "use one of: bash, zsh, fish"),
])
def test_one_error_style(args, what, hint, run):
    result = run(args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"bricli: {what}"
    assert lines[1].startswith(f"hint: {hint}")
    assert len(lines) == 2
    assert result.stdout == ""


def test_no_suggestion_for_an_unrelated_option(run):
    for wrong in ("--width", "--zzz", "--lmit-rows"):
        assert "did you mean" not in run(["trade", wrong]).stderr, wrong
    assert "did you mean --limit?" in run(["trade", "--lmt"]).stderr  # close now that --limit exists


def test_fact_base_problems_end_with_a_hint(run, fact_dir):
    broken = fact_dir({"bad.yaml": "facts:\n  - id: x\n    vlaue: 3\n"})
    result = run(["trade", "--facts", str(broken)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"bricli: \d+ problem\(s\) in the fact files; nothing was printed", lines[-2])
    assert lines[-1] == "hint: run `bricli check` for the full report"


def test_errors_in_a_real_process_read_the_same():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "bricli", "trade", "--contry", "BRA"], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert proc.stderr == "bricli: no such option --contry\nhint: did you mean --country?\n"


def test_readme_error_examples_are_what_bricli_prints(run):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("Every error reads the same", 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    for example in section.split("$ bricli ")[1:]:
        command, *expected = example.strip("\n").split("\n")
        result = run(command.split())
        assert result.stderr.splitlines() == expected, command
