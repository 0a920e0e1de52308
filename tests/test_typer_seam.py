"""Fails loudly when typer leaves the tested range or moves an internal that cli/typer_seam.py uses."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import typer

from bricli.cli import typer_seam

ROOT = Path(__file__).resolve().parent.parent


def test_typer_is_the_tested_series():
    major, minor = (int(x) for x in typer.__version__.split(".")[:2])
    assert (major, minor) == typer_seam.TESTED_TYPER, (
        f"typer {typer.__version__} is not the tested {typer_seam.TESTED_TYPER}: check cli/typer_seam.py's "
        "internals against it, then raise TESTED_TYPER and the pin in pyproject.toml together")


def test_pyproject_pins_the_tested_series():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    major, minor = typer_seam.TESTED_TYPER
    assert f'"typer>={major}.{minor},<{major}.{minor + 1}"' in text


@pytest.mark.parametrize("module, name", typer_seam.INTERNALS)
def test_internal_is_still_there(module, name):
    assert hasattr(importlib.import_module(module), name), f"typer moved {module}.{name}: update cli/typer_seam.py"


def test_parameters_still_carry_what_the_seam_reads():
    from bricli.cli.main import app

    command = typer_seam.click_command(app)
    params = {p.name: p for p in command.commands["trade"].params}
    year, size = params["year"], params["max_file_size"]
    assert hasattr(year, "_runtime_param") and hasattr(year, "type_descriptor")
    assert typer_seam.param_kind(year) == "texts"  # --year 2018 --year 2015..2017: any of
    assert typer_seam.param_kind(size) == "int"
    assert typer_seam.install_light_coercion(command) > 0


def test_bad_parameter_is_public():
    assert "typer import BadParameter" in Path(typer_seam.__file__).read_text(encoding="utf-8")


def test_no_module_but_the_seam_touches_typer_internals():
    private = re.compile(r"\btyper\.(_\w+|main|core|cli)\b|from typer\.(_\w+|main|core|cli) import")
    offenders = [p.name for p in (ROOT / "src" / "bricli").rglob("*.py")
                 if p.name != "typer_seam.py" and private.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_argument_help_override_still_replaces_typers():
    """plain_argument_help replaces two methods of typer's argument class; if typer renames them, the
    replacement would silently do nothing and `{COUNTRY}` / `COUNTRY <str>` would come back."""
    from typer.core import TyperArgument

    assert callable(getattr(TyperArgument, "_usage_display_name", None))
    assert callable(getattr(TyperArgument, "display_type_rich", None))
    typer_seam.plain_argument_help()
    assert TyperArgument._usage_display_name.__module__ == typer_seam.__name__
    assert TyperArgument.display_type_rich.__module__ == typer_seam.__name__


def test_the_light_converter_is_what_typer_calls():
    """install_light_coercion works only while typer converts a value through `param._runtime_param.coerce`."""
    from bricli.cli.main import app

    command = typer_seam.click_command(app)
    typer_seam.install_light_coercion(command)
    year = {p.name: p for p in command.commands["trade"].params}["year"]
    assert isinstance(year._runtime_param, typer_seam.LightParam)
    calls = []

    class Spy(typer_seam.LightParam):
        __slots__ = ()

        def coerce(self, value, param, ctx):
            calls.append(value)
            return super().coerce(value, param, ctx)

    year._runtime_param = Spy(year._runtime_param.kind, year._runtime_param.info)
    assert year.process_value(typer.Context(command), ["2018"]) == ["2018"]
    assert calls == [["2018"]]


def test_no_module_but_the_seam_overrides_typer_parameters():
    private = re.compile(r"_runtime_param|type_descriptor|parameter_info|\bTyperGroup\b|\bTyperArgument\b")
    offenders = [p.name for p in (ROOT / "src" / "bricli").rglob("*.py")
                 if p.name != "typer_seam.py" and private.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
