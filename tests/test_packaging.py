"""The wheel works on its own: built, installed in a fresh virtual environment, run outside the repo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import bricli

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("hatchling", reason="building the wheel needs hatchling (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--quiet", "--wheel-dir", str(out), str(ROOT)], check=True, timeout=120,
                   env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
    (found,) = out.glob("bricli-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with bricli from the wheel; its dependencies (typer, PyYAML, ...) are this
    environment's, reached through a .pth line (no network, and this environment's editable
    bricli stays invisible: a path added by a .pth file does not run the .pth files in it)."""
    import sysconfig

    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    # this environment's pip installs into the new venv's site-packages
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", site,
                    str(wheel)], check=True, timeout=120, env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
    # console script: what pip writes for [project.scripts] bricli = "bricli.cli.main:run"
    script = bindir / "bricli"
    script.write_text(f"#!{py}\nimport sys\nfrom bricli.cli.main import run\nsys.exit(run())\n")
    script.chmod(0o755)
    return bindir


def test_wheel_holds_facts_schema_and_entry_point(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "bricli/schema/facts.schema.json" in names
    shipped = sorted(p.name for p in (ROOT / "facts").glob("*.yaml"))
    assert sorted(n.split("/")[-1] for n in names if n.startswith("bricli/facts/") and n.endswith(".yaml")) == shipped
    for shell in ("bash", "zsh", "fish"):  # the completion scripts travel too, as generated
        shipped_script = zipfile.ZipFile(wheel).read(f"bricli/completions/bricli.{shell}").decode()
        assert shipped_script == (ROOT / "completions" / f"bricli.{shell}").read_text(encoding="utf-8")
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "bricli = bricli.cli.entry:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def run(bindir: Path, *args, cwd: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRICLI_") and k != "PYTHONPATH"}
    env["BRICLI_CACHE_DIR"] = str(cwd / "cache")
    return subprocess.run([str(bindir / "bricli"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_installed_bricli_works_outside_the_repo(installed, tmp_path):
    where = run(installed, "--version", cwd=tmp_path)
    assert where.returncode == 0 and where.stdout == f"bricli {bricli.__version__}\n"
    probe = subprocess.run([str(installed / "python"), "-c", "import bricli, sys; print(bricli.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert str(ROOT) not in probe.stdout, "the test must run the installed copy, not the checkout"
    trade = run(installed, "trade", "--year", "2018", "--format", "json", cwd=tmp_path)
    assert trade.returncode == 0, trade.stderr
    ids = {row["id"] for row in json.loads(trade.stdout)}
    assert "trade-2018-total-chn-lcn" in ids
    plain = run(installed, "trade", "--year", "2018", cwd=tmp_path)
    assert plain.returncode == 0 and "307.4" in plain.stdout
    check = run(installed, "check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "bricli check: ok" in check.stderr
    schema = run(installed, "schema", cwd=tmp_path)
    assert json.loads(schema.stdout)
    completion = run(installed, "completion", "zsh", cwd=tmp_path)
    assert completion.returncode == 0 and completion.stdout.startswith("#compdef bricli")


def test_wheel_ships_py_typed_and_no_dev_tools(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "bricli/py.typed" in names
    assert not [n for n in names if n.endswith("generate.py")]
    assert not [n for n in names if n.startswith("tools/")]
