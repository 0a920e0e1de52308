"""Files bricli writes (-o, reports, the cache): atomic, never clobbering by surprise, nothing left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bricli.files import WriteRefused, atomic_write

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


# --- atomic_write -----------------------------------------------------------------------


def test_new_file_is_written_with_the_usual_mode(tmp_path):
    target = tmp_path / "out.txt"
    old = os.umask(0o022)
    try:
        atomic_write(target, "hello\n")
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "hello\n"
    assert mode(target) == 0o644  # not mkstemp's 0600
    assert leftovers(tmp_path) == []


def test_bytes_are_written_as_they_are(tmp_path):
    atomic_write(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"


def test_existing_file_is_not_clobbered_without_force(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(WriteRefused) as info:
        atomic_write(target, "new")
    assert "already exists" in info.value.message and "--force" in info.value.hint
    assert target.read_text(encoding="utf-8") == "precious"
    atomic_write(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("bits", [0o600, 0o640, 0o444, 0o755])
def test_replaced_file_keeps_its_mode(tmp_path, bits):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(bits)
    atomic_write(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert mode(target) == bits


def test_symlink_is_refused_without_force(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("target", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(WriteRefused) as info:
        atomic_write(link, "new")
    assert "symlink" in info.value.message
    assert real.read_text(encoding="utf-8") == "target" and link.is_symlink()


def test_dangling_symlink_is_refused_without_force(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "elsewhere" / "x.txt")
    with pytest.raises(WriteRefused):
        atomic_write(link, "new")
    assert not (tmp_path / "elsewhere").exists()


def test_symlink_with_force_replaces_the_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("target", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write(link, "new", force=True)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new" and mode(real) == 0o600


def test_directory_and_missing_directory_are_refused(tmp_path):
    with pytest.raises(WriteRefused, match="is a directory"):
        atomic_write(tmp_path, "x", force=True)
    with pytest.raises(WriteRefused, match="does not exist"):
        atomic_write(tmp_path / "no" / "such" / "out.txt", "x")


@pytest.mark.parametrize("failing", ["replace", "fsync", "chmod"])
@pytest.mark.parametrize("existing", [True, False])
def test_nothing_is_left_behind_when_the_write_fails(tmp_path, monkeypatch, failing, existing):
    target = tmp_path / "out.txt"
    if existing:
        target.write_text("old", encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(WriteRefused, match=r"out\.txt: No space left on device"):  # named (issue 24)
        atomic_write(target, "new" * 1000, force=True)
    monkeypatch.undo()
    assert leftovers(tmp_path) == []
    if existing:
        assert target.read_text(encoding="utf-8") == "old"  # the old file is intact
    else:
        assert not target.exists()


@pytest.mark.parametrize("force,final_step", [(False, "link"), (True, "replace")])
def test_nothing_is_left_behind_on_ctrl_c(tmp_path, monkeypatch, force, final_step):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, final_step, interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "out.txt", "new", force=force)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory_fails_cleanly(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(WriteRefused, match="Permission denied"):
            atomic_write(ro / "out.txt", "x")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


# --- -o on the command line -------------------------------------------------------------


def test_output_option_writes_the_file_and_nothing_on_stdout(run, tmp_path):
    target = tmp_path / "trade.json"
    result = run(["trade", "--year", "2018", "-f", "json", "-o", str(target)], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote" in result.stderr and str(target) in result.stderr
    import json

    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(
        run(["trade", "--year", "2018", "-f", "json"], env=ENV).stdout)
    assert leftovers(tmp_path) == []


def test_output_option_default_format_is_plain_not_a_box_table(run, tmp_path):
    target = tmp_path / "trade.txt"
    assert run(["trade", "-o", str(target)], env=ENV).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("ID\tWhat\t")


def test_output_option_refuses_to_clobber_then_force_replaces_keeping_the_mode(run, tmp_path):
    target = tmp_path / "trade.csv"
    target.write_text("precious", encoding="utf-8")
    target.chmod(0o600)
    refused = run(["trade", "-f", "csv", "-o", str(target)], env=ENV)
    assert refused.exit_code == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert target.read_text(encoding="utf-8") == "precious"
    forced = run(["trade", "-f", "csv", "-o", str(target), "--force"], env=ENV)
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("id,derived,")
    assert mode(target) == 0o600
    assert leftovers(tmp_path) == []


def test_output_option_refuses_a_symlink(run, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("precious", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(real)
    result = run(["trade", "-f", "csv", "-o", str(tmp_path / "link.csv")], env=ENV)
    assert result.exit_code == 1 and "symlink" in result.stderr
    assert real.read_text(encoding="utf-8") == "precious"


def test_output_option_into_a_missing_directory_exits_1(run, tmp_path):
    result = run(["trade", "-o", str(tmp_path / "nope" / "out.txt")], env=ENV)
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_option_writes_nothing_from_a_broken_fact_base(run, tmp_path):
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "bad.yaml").write_text("facts:\n  - id: x\n", encoding="utf-8")
    target = tmp_path / "out.txt"
    result = run(["trade", "--facts", str(facts), "-o", str(target)], env=ENV)
    assert result.exit_code == 1
    assert not target.exists() and leftovers(tmp_path) == []


def test_output_option_when_the_disk_is_full(run, tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run(["trade", "-o", str(target), "--force"], env=ENV)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "old" and leftovers(tmp_path) == []


def test_a_file_that_appears_during_the_write_is_not_clobbered(tmp_path, monkeypatch):
    """The existence check and the final step are not one operation; the final step
    itself refuses to overwrite when --force is not given."""
    import bricli.files as files

    target = tmp_path / "brief.md"
    real_link = os.link

    def racing_link(src, dst):
        Path(dst).write_text("written by someone else meanwhile", encoding="utf-8")
        return real_link(src, dst)

    monkeypatch.setattr(files.os, "link", racing_link)
    with pytest.raises(files.WriteRefused):
        files.atomic_write(target, "mine")
    assert target.read_text(encoding="utf-8") == "written by someone else meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]  # no temporary file left
