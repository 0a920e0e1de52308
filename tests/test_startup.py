"""Start-up budget: --help, --version and TAB completion import nothing heavy.

Each case runs bricli in a fresh interpreter and lists the modules it ended
with; the figures themselves are measured by bench/run.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "tabulate", "rich", "pydantic", "pydantic_core", "pyarrow", "openpyxl")
HEAVY_AND_DATA = (*HEAVY, "yaml", "bricli.load.assemble", "bricli.analysis.query")

PROBE = """
import atexit, sys
sys.argv = ["bricli", *sys.argv[1:]]
atexit.register(lambda: sys.__stderr__.write("\\n@@MODULES@@" + " ".join(sorted(sys.modules))))
from bricli.cli.main import run
run()
"""


def run_probe(args, tmp_path, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("_BRICLI", "_TYPER", "COMP_", "BRICLI_"))}
    environ.update(BRICLI_CACHE_DIR=str(tmp_path / "cache"), **env)
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=environ, capture_output=True, text=True, timeout=60)
    stderr, _, mods = proc.stderr.rpartition("@@MODULES@@")
    return proc, stderr, set(mods.split())


def heavy_in(mods, names):
    return sorted(m for m in mods if m.split(".")[0] in names or m in names)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["trade", "--help"], ["country", "--help"], ["check", "--help"],
                                  ["show", "--help"], ["export", "--help"], ["import", "--help"], ["--version"]],
                         ids=" ".join)
def test_help_and_version_import_nothing_heavy(args, tmp_path):
    proc, _, mods = run_probe(args, tmp_path)
    assert proc.returncode == 0
    assert heavy_in(mods, HEAVY_AND_DATA) == []


COMPLETIONS = {
    "bash-option": {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --fo", "COMP_CWORD": "2"},
    "bash-format": {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --format j", "COMP_CWORD": "3"},
    "bash-line-country": {"_BRICLI_COMPLETE": "complete_bash", "_BRICLI_COMP_LINE": 'bricli trade --country "El S'},
    "bash-region-first": {"_BRICLI_COMPLETE": "complete_bash", "_BRICLI_COMP_LINE": "bricli trade --country "},
    "zsh-commands": {"_BRICLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "bricli "},
    "bash-import-dataset": {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli import g", "COMP_CWORD": "2"},
    "fish-countries": {"_BRICLI_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                       "_TYPER_COMPLETE_ARGS": "bricli trade --country Bra"},
}


@pytest.mark.parametrize("name", COMPLETIONS)
def test_completion_imports_nothing_heavy(name, tmp_path):
    proc, _, mods = run_probe([], tmp_path, **COMPLETIONS[name])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert heavy_in(mods, HEAVY_AND_DATA) == []


def test_value_completion_from_the_facts_imports_no_renderer(tmp_path):
    """--year needs the fact base (YAML, or the cache), but never pandas, rich or tabulate."""
    env = {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --year ", "COMP_CWORD": "3"}
    run_probe([], tmp_path, **env)  # fills the cache
    proc, _, mods = run_probe([], tmp_path, **env)
    assert "2018" in proc.stdout.split()
    assert heavy_in(mods, HEAVY) == []
    derived = {"_BRICLI_COMPLETE": "complete_bash", "_BRICLI_COMP_LINE": "bricli show derived.bal"}
    proc, _, mods = run_probe([], tmp_path, **derived)
    assert "derived.balance.trade-2018-exports-chn-lcn" in proc.stdout.split()
    assert heavy_in(mods, HEAVY) == []


OTHER_COMMANDS = tuple(f"bricli.cli.commands.{m}" for m in ("views", "compare", "report", "export", "check", "schema"))


def test_year_completion_from_the_index_imports_little(tmp_path):
    """A TAB press on --year opens the index: no fact model (its values are not decoded), no
    other command's module. (json and the small Problem class of the file listing are imported
    at their users' tops: about 3 ms, within the TAB goal; README, Benchmarks.)"""
    env = {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade --year ", "COMP_CWORD": "3"}
    run_probe([], tmp_path, **env)  # fills the cache
    proc, _, mods = run_probe([], tmp_path, **env)
    assert "2018" in proc.stdout.split()
    assert heavy_in(mods, (*HEAVY_AND_DATA, "bricli.model.facts", "bricli.model.periods", *OTHER_COMMANDS)) == []


def test_a_query_the_index_serves_imports_no_fact_model(tmp_path):
    """The index holds rendered records: a query it serves builds no Fact, Source or derived
    value (no dates parsed, no amounts worded) and imports neither the parser nor the other
    commands. (The file listing imports the Problem class it reports with: one small module.)"""
    args = ["trade", "--year", "2018", "--format", "json"]
    run_probe(args, tmp_path)  # fills the cache
    proc, _, mods = run_probe(args, tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)
    model = ("facts", "periods", "series", "wording")
    assert heavy_in(mods, (*HEAVY, "yaml", "bricli.load.assemble", "bricli.analysis.derive",
                           *(f"bricli.model.{m}" for m in model), *OTHER_COMMANDS)) == []


def test_the_overview_imports_no_renderer(tmp_path):
    """Plain `bricli` counts the facts (through the cache), but loads no pandas, rich or tabulate."""
    run_probe([], tmp_path)  # fills the cache
    proc, _, mods = run_probe([], tmp_path)
    assert proc.returncode == 0 and "trade" in proc.stdout
    assert heavy_in(mods, (*HEAVY, "yaml")) == []


def test_a_query_imports_no_pandas_or_pydantic(tmp_path):
    proc, _, mods = run_probe(["trade", "--year", "2018", "--format", "json"], tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)
    assert heavy_in(mods, ("pandas", "numpy", "pydantic", "tabulate", "rich")) == []


# --- bricli's own value conversion agrees with typer's -------------------------------------------


def test_light_coercion_matches_typer():
    """cli/coerce.py stands in for typer's pydantic-based conversion; both must agree."""
    pytest.importorskip("pydantic")
    import typer
    from typer import BadParameter
    from typer._coercion import build_runtime_param  # typer's own converter, to compare with

    from bricli.cli.main import app
    from bricli.cli.typer_seam import LightParam, click_command, param_info, param_kind

    command = click_command(app)
    ctx = typer.Context(command)
    trade = command.commands["trade"]
    samples = {
        "year": ["2018", " 2018", "2018.0", "2_018", "abc", "5", "99999", "", "2018.5", "1e3", "-2018", "+2018", "2018.", "2018.00", "٢٠١٨", "nan"],
        "max_file_size": ["10", "0", "-1", "1.5", "x", "10485760"],
        "country": ["BRA", "", " México "],
        "output": ["out.json", ".", "/"],
        "facts": [("a", "b"), ()],
        "cite": [True, False, "yes", "0"],
    }
    params = {p.name: p for p in trade.params}
    for name, values in samples.items():
        param = params[name]
        light = LightParam(param_kind(param), param_info(param))
        typer_param = build_runtime_param(param.type_descriptor)
        for value in values:
            outcomes = []
            for impl in (light, typer_param):
                try:
                    outcomes.append(("ok", impl.coerce(value, param=param, ctx=ctx)))
                except BadParameter as exc:
                    outcomes.append(("error", exc.message))
            if param_kind(param) == "int":  # numbers: the same outcome, bricli's own clearer message (issue 24)
                assert outcomes[0][0] == outcomes[1][0] and (outcomes[0][0] == "error" or outcomes[0] == outcomes[1]), (name, value)
                continue
            assert outcomes[0] == outcomes[1], (name, value)
    report = {p.name: p for p in command.commands["report"].params} if "report" in command.commands else {}
    for _name, param in report.items():
        kind = param_kind(param)
        if kind in ("texts", "str"):
            light = LightParam(kind, param_info(param))
            typer_param = build_runtime_param(param.type_descriptor)
            for value in (("trade", "risks"), "x", ()):
                if (kind == "str") != isinstance(value, str):
                    continue
                assert light.coerce(value, param=param, ctx=ctx) == typer_param.coerce(value, param=param, ctx=ctx)


def test_every_parameter_gets_the_light_converter():
    from bricli.cli.main import app
    from bricli.cli.typer_seam import click_command, install_light_coercion

    command = click_command(app)
    install_light_coercion(command)

    def walk(cmd):
        for p in cmd.params:
            yield cmd.name, p
        for sub in getattr(cmd, "commands", {}).values():
            yield from walk(sub)

    left = [(c, p.name) for c, p in walk(command) if getattr(p, "_runtime_param", 0) is None]
    assert left == []
