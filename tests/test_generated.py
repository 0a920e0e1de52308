"""Files generated from the app and the facts (shell completion, CLI reference, schema, sources list) are current; help is complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import generate  # tools/generate.py (on sys.path through conftest)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("relative", ["completions/bricli.bash", "completions/bricli.zsh", "completions/bricli.fish", "docs/cli.md",
                                      "src/bricli/schema/facts.schema.json", "docs/sources.md"])
def test_generated_file_is_current(relative):
    wanted = generate.outputs(ROOT)[ROOT / relative]
    path = ROOT / relative
    assert path.exists(), f"{relative} is missing: run python tools/generate.py"
    assert path.read_text(encoding="utf-8") == wanted, f"{relative} is stale: run python tools/generate.py"


def test_generator_check_mode_runs_as_a_script():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "generate.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_sources_reference_groups_each_topics_sources_by_grade(tmp_path):
    (tmp_path / "f.yaml").write_text("""\
sources:
  - {id: gov, title: "Official", date: "2020-01", publisher: "Min|istry", reliability: A}
  - {id: blog, title: "A blog", date: "2019", date_estimated: true, reliability: C}
  - {id: plain, title: "No grade", date: "2018"}
  - {id: idle, title: "Never cited", date: "2017"}
facts:
  - {id: t1, type: event, topic: trade, label: "one", source: {id: gov, quote: "q"}}
  - {id: t2, type: event, topic: trade, label: "two", source: {id: gov, quote: "q"}}
  - {id: t3, type: event, topic: trade, label: "three", source: {id: blog, quote: "q"}}
  - {id: p1, type: event, topic: policy, label: "four", source: {id: plain, quote: "q"}}
  - {id: p2, type: event, topic: policy, label: "five", source: {id: gov, quote: "q"}}
""", encoding="utf-8")
    text = generate.sources_reference(tmp_path)
    trade = text[text.index("## trade"):text.index("## policy")]
    policy = text[text.index("## policy"):text.index("## Registered")]
    assert "2 sources, 3 facts." in trade
    assert trade.index("### Grade A") < trade.index("### Grade C")
    assert "| `gov` | Min\\|istry | 2020-01 | 2 |" in trade  # this topic's count; a pipe escaped
    assert "| `blog` | not stated | 2019 (estimated) | 1 |" in trade
    assert "Grade B" not in trade and "No grade" not in trade  # empty groups left out
    assert "| `gov` | Min\\|istry | 2020-01 | 1 |" in policy
    assert "### No grade (1 sources, 1 facts)" in policy and "| `plain` |" in policy
    assert "## investment" not in text  # a topic without facts is left out
    assert "`idle`" in text[text.index("## Registered"):]
    assert "The 5 shipped facts (`facts/`) cite 3 sources." in text


def test_completion_scripts_are_what_show_completion_prints():
    env = dict(os.environ, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    for shell in generate.SHELLS:
        out = subprocess.run([sys.executable, "-m", "bricli", "--show-completion", shell], env=env,
                             capture_output=True, text=True, check=True).stdout
        assert out.strip() == generate.completion_script(shell).strip()


def commands():
    from bricli.cli.main import app
    from bricli.cli.typer_seam import click_command

    return click_command(app).commands


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in commands().items():
        assert command.help and "Example: bricli " + name in command.help, name
        assert f"`bricli {name}" in readme, f"{name} is not in README.md"
        assert f"## `bricli {name}`" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


# --- value completion through typer's protocol ---------------------------------------------


def complete(line: str, tmp_path: Path, shell: str = "bash") -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRICLI_", "_BRICLI", "_TYPER"))}
    env["BRICLI_CACHE_DIR"] = str(tmp_path / "cache")
    words = line.split(" ")
    if shell == "bash":
        env.update(_BRICLI_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env.update(_BRICLI_COMPLETE="complete_fish", _TYPER_COMPLETE_FISH_ACTION="get-args", _TYPER_COMPLETE_ARGS=line)
    out = subprocess.run([sys.executable, "-m", "bricli"], env=env, capture_output=True, text=True, timeout=60)
    # python -m bricli names itself __main__.py; the protocol only needs the words
    return [x.split("\t")[0] for x in out.stdout.splitlines() if x]


@pytest.mark.parametrize("line, expected", [
    ("bricli tr", {"trade"}),
    ("bricli trade --fo", {"--format"}),
    ("bricli trade --format j", {"json"}),
    ("bricli trade --country BR", {"BRA", "BRB", "BRN"}),
    ("bricli trade --country Bras", {"Brasil"}),
    ("bricli trade --country Méx", {"México"}),
    ("bricli trade --country bra", {"bra", "brasil", "brazil"}),  # offered in the case typed
    ("bricli trade --country per", {"per", "peru"}),
    ("bricli trade --year 201", {"2018", "2019"}),
    ("bricli projects --sector ener", {"energy"}),
    ("bricli projects --status under", {"under-construction"}),
    ("bricli risks --category pol", {"political"}),
    ("bricli finance --kind sw", {"swap"}),
    ("bricli trade --source ced", {"cedpr-2020"}),
    ("bricli show trade-2018-", {"trade-2018-total-chn-lcn", "trade-2018-exports-chn-lcn"}),
    ("bricli country Arg", {"Argentina"}),
])
def test_values_complete(line, expected, tmp_path):
    got = set(complete(line, tmp_path))
    assert expected <= got, (line, sorted(got)[:20])


def test_fish_gets_help_beside_values(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRICLI_", "_BRICLI", "_TYPER"))}
    env.update(BRICLI_CACHE_DIR=str(tmp_path / "c"), _BRICLI_COMPLETE="complete_fish", _TYPER_COMPLETE_FISH_ACTION="get-args",
               _TYPER_COMPLETE_ARGS="bricli trade --source ced")
    out = subprocess.run([sys.executable, "-m", "bricli"], env=env, capture_output=True, text=True).stdout
    assert "cedpr-2020\tChina-Latin America Belt and Road Cooperation" in out
