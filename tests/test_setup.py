"""The README's set-up is what CI runs: its commands, verbatim, in .ci/run (which runs them in a
clean clone with the system Python, as on a fresh Debian or Ubuntu)."""

from __future__ import annotations

import re

from conftest import REPO


def _blocks(section: str) -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    body = readme.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [[line for line in block.splitlines() if line.strip()] for block in re.findall(r"```sh\n(.*?)```", body, re.S)]


def test_the_readme_set_up_is_two_commands_each_in_a_virtual_environment():
    """One command installs and runs bricli's main job, one installs and runs the tests."""
    setup, tests = _blocks("Set-up")
    assert len(setup) == 1 and len(tests) == 1
    assert setup[0].startswith("python3 -m venv ") and setup[0].endswith("bricli trade --year 2018")
    assert tests[0].startswith("python3 -m venv ") and tests[0].endswith("python -m pytest")
    assert not any(re.match(r"^(sudo )?pip3? install", line) for line in setup + tests)  # never a bare pip
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pipx install ." in readme and "externally-managed-environment" in readme


def test_ci_runs_the_readme_set_up_and_test_command_verbatim():
    ci = [line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    setup, tests = _blocks("Set-up")
    for line in setup:
        assert line in ci, line
    assert "git clone --quiet . \"$clone\"" in ci  # a clean clone: only what is committed
    assert tests[-1] in ci
