"""Shared test helpers: run the CLI in-process, and write small fact directories."""

from __future__ import annotations

import functools
import os
import sys
import textwrap
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from bricli.cli.main import app

# Tests never page: a test on a pseudo-terminal would otherwise wait in `less`.
# (Tests of the pager set BRICLI_PAGER themselves.)
os.environ["BRICLI_PAGER"] = ""

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))  # the dev tools (generate, schema, countries) are tested too
ARTICLE = REPO.parent / "shared" / "sources" / "china-latin-america-bri-cooperation.txt"



def synthetic_facts(n: int, directory: Path) -> Path:
    """n valid synthetic facts written by the benchmark's generator (bench/synth.py) into directory."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import generate
    finally:
        sys.path.pop(0)
    return generate(n, directory)


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """An empty index cache of the test's own, and no fact directories or format from the environment."""
    d = tmp_path / "cache"
    monkeypatch.setenv("BRICLI_CACHE_DIR", str(d))
    monkeypatch.delenv("BRICLI_FACTS", raising=False)
    monkeypatch.delenv("BRICLI_FORMAT", raising=False)
    return d


SOURCES_YAML = """\
sources:
  - id: test-src
    title: "A test source"
    date: "2020-01"
"""


# typer builds the app's click command, all its commands, on every CliRunner.invoke (about 35 ms
# of an in-process run of 45); bricli's entry point builds only the command being run. The tests
# build it once: typer.testing's own name for typer.main.get_command, cached per app (were typer to
# rename it, the tests would only be slower).
typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]


def invoke(args, env=None, input=None):
    """Run bricli in-process; stdout and stderr kept apart."""
    runner = CliRunner()
    return runner.invoke(app, args, env=env, input=input, prog_name="bricli")


@pytest.fixture
def run():
    return invoke


@pytest.fixture
def fact_dir(tmp_path):
    """Write {name: yaml text} into a fresh directory (with a test source unless given) and return it."""

    def make(files: dict[str, str], with_source: bool = True) -> Path:
        d = tmp_path / f"facts{len(list(tmp_path.iterdir()))}"
        d.mkdir()
        if with_source:
            (d / "00-sources.yaml").write_text(SOURCES_YAML, encoding="utf-8")
        for name, text in files.items():
            (d / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return d

    return make


def figure_yaml(id: str, value: str, *, direction: str = "total", period: str = "2018", change: str | None = None,
                metric: str = "trade", unit: str = "USD", scale: str = "billion", countries: str = "[CHN, LCN]",
                extra: str = "") -> str:
    """One figure fact as YAML list item text (indented for a `facts:` list)."""
    lines = [
        f"  - id: {id}",
        "    type: figure",
        "    topic: trade",
        f"    label: \"{id}\"",
        f"    metric: {metric}",
        f"    direction: {direction}",
        f"    countries: {countries}",
        f"    value: {value}",
        f"    unit: {unit}",
        f"    scale: {scale}",
        f"    period: \"{period}\"",
    ]
    if change is not None:
        lines.append(f"    change_pct: {change}")
    lines.append("    source: {id: test-src, section: \"S\", quote: \"q\"}")
    if extra:
        lines.extend("    " + x for x in extra.strip().splitlines())
    return "\n".join(lines) + "\n"


def pytest_configure(config):
    """Commands cache parsed facts: every test (in-process or a subprocess, even one whose
    environment was copied at import) uses a scratch cache, never ~/.cache/bricli."""
    import os
    import tempfile

    config._bricli_cache = tempfile.mkdtemp(prefix="bricli-test-cache-")
    os.environ["BRICLI_CACHE_DIR"] = config._bricli_cache


def pytest_unconfigure(config):
    import shutil

    if getattr(config, "_bricli_cache", None):
        shutil.rmtree(config._bricli_cache, ignore_errors=True)
