"""ruff and mypy pass (configured in pyproject.toml), so the README's test command covers them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff():
    result = run_tool("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy():
    result = run_tool("mypy")  # files and strictness per package: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_lint_tools_pinned(tool):
    """The test extra pins ruff and mypy to one exact version each, so a release cannot break CI."""
    import tomllib

    test_extra = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]["test"]
    pins = [r for r in test_extra if r.split("=")[0].split(">")[0].split("<")[0].strip() == tool]
    assert len(pins) == 1 and pins[0].startswith(f"{tool}==") and "," not in pins[0], pins
