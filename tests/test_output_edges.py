"""Issue 11: where output goes wrong — a full or closed stdout/stderr, odd -o targets, Ctrl-C at start-up.

Closed and full streams exist only for a real process, so those tests run `python -m bricli`.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import invoke
from bricli.files import WriteRefused, atomic_write

BRICLI = [sys.executable, "-m", "bricli"]
BASE_ENV = {k: v for k, v in os.environ.items() if k not in ("BRICLI_FACTS", "BRICLI_FORMAT", "COLUMNS", "NO_COLOR")}
ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
HAS_DEV_FULL = Path("/dev/full").exists()


def bricli(args, *, stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=()):
    """Run bricli with some standard descriptors closed (`>&-`)."""

    def close():
        for fd in close_fds:
            os.close(fd)

    return subprocess.run([*BRICLI, *args], stdout=stdout, stderr=stderr, env=BASE_ENV, timeout=60,
                          preexec_fn=close if close_fds else None)


# --- 5. a stdout or stderr that cannot be written ------------------------------------------

COMMANDS = [["--version"], ["--help"], ["trade", "--help"], ["schema"], ["trade"], ["report"]]


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_stdout_is_one_line_and_exit_1(args):
    with open("/dev/full", "wb") as full:
        proc = bricli(args, stdout=full)
    assert proc.returncode == 1
    assert proc.stderr.decode() == "bricli: cannot write to stdout: No space left on device\n"


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor in the child")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_one_line_and_exit_1(args):
    proc = bricli(args, stdout=None, close_fds=(1,))
    assert proc.returncode == 1
    assert proc.stderr.decode() == "bricli: cannot write to stdout: Bad file descriptor\n"


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
def test_a_full_or_closed_stderr_is_exit_1_without_noise(tmp_path):
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "a.yaml").write_text("facts: [\n", encoding="utf-8")  # problems are told on stderr
    with open("/dev/full", "wb") as full:
        proc = bricli(["trade", "--no-shipped", "--facts", str(facts)], stderr=full)
    assert proc.returncode == 1 and proc.stdout == b""
    proc = bricli(["trade", "--no-shipped", "--facts", str(facts)], stderr=None, close_fds=(2,))
    assert proc.returncode == 1 and proc.stdout == b""
    with open("/dev/full", "wb") as full:  # both at once: nothing can be said, the status says it
        proc = bricli(["--version"], stdout=full, stderr=None, close_fds=(2,))
    assert proc.returncode == 1


def test_output_still_works_with_a_closed_stdout_when_written_to_a_file(tmp_path):
    out = tmp_path / "t.csv"
    proc = bricli(["trade", "-f", "csv", "-o", str(out)], stdout=None, close_fds=(1,))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("id,")


# --- 7. Ctrl-C while bricli is starting ------------------------------------------------------


@pytest.mark.parametrize("module", ["bricli.cli.main", "bricli.cli.output", "typer", "bricli.cli.commands", "yaml", "rich"])
def test_ctrl_c_while_a_module_is_imported_is_quiet(module):
    """A real SIGINT while bricli imports a module, from its first start-up import to the
    lazy ones of the command: exit 130, one line, no traceback."""
    code = (
        "import os, signal, sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name == {module!r}:\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['bricli', 'trade', '-f', 'table', '--no-cache']\n"  # a warm cache imports no yaml
        "from bricli.cli.entry import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=BASE_ENV, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "bricli: interrupted\n"
    assert proc.stdout == ""


# --- 6 and 9. -o targets ----------------------------------------------------------------------


def test_a_self_looping_symlink_is_refused_even_with_force(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for force in (False, True):
        with pytest.raises(WriteRefused, match="symlink loop" if force else "symlink"):
            atomic_write(loop, "x", force=force)
    result = invoke(["trade", "-o", str(loop), "--force"], env=ENV)
    assert result.exit_code == 1 and "symlink loop" in result.stderr


@pytest.mark.parametrize("length", [245, 250, 255])
def test_the_longest_file_names_can_be_written(tmp_path, length):
    target = tmp_path / ("b" * length)
    atomic_write(target, "x")
    assert target.read_text(encoding="utf-8") == "x"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    for force in (False, True):
        if force:
            reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
        atomic_write(fifo, "through the pipe\n", force=force)
        assert reader.communicate(timeout=10)[0] == b"through the pipe\n"
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_null_is_written_into(tmp_path):
    # without --force: an old bricli refused it as an existing file; never risk the real one with --force
    result = invoke(["trade", "-o", os.devnull], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    link = tmp_path / "null-link"
    link.symlink_to(os.devnull)
    atomic_write(link, "x")  # a stream through a link: written into, as `>` would
    assert link.is_symlink()


def test_a_character_device_with_force_stays_a_device(tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # our own /dev/null, in a scratch directory
    except (PermissionError, AttributeError, OSError):
        pytest.skip("needs root to make a device node")
    result = invoke(["trade", "-o", str(node), "--force"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_other_non_regular_targets_are_refused(tmp_path):
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(WriteRefused, match="not a regular file"):
            atomic_write(path, "x", force=True)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_a_hard_linked_file_is_not_split(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text("old", encoding="utf-8")
    os.link(first, tmp_path / "b.txt")
    with pytest.raises(WriteRefused, match="2 hard links"):
        atomic_write(first, "new", force=True)
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "old" == first.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "chown"), reason="needs owners")
def test_force_keeps_the_owner_of_a_file_or_refuses(tmp_path):
    target = tmp_path / "theirs.txt"
    target.write_text("old", encoding="utf-8")
    other = 65534  # nobody
    try:
        os.chown(target, other, other)
    except PermissionError:  # not root: the file cannot be given away; a file of ours keeps its owner
        atomic_write(target, "new", force=True)
        assert target.stat().st_uid == os.geteuid()
        return
    atomic_write(target, "new", force=True)  # root: replaced, with the owner kept
    assert (target.stat().st_uid, target.stat().st_gid) == (other, other)
    assert target.read_text(encoding="utf-8") == "new"


def test_force_refuses_when_the_owner_cannot_be_kept(tmp_path, monkeypatch):
    target = tmp_path / "theirs.txt"
    target.write_text("old", encoding="utf-8")
    real_stat = os.stat

    def chown(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    class Theirs:
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 4242 if name == "st_uid" else getattr(self._st, name)

    monkeypatch.setattr(os, "chown", chown)
    def theirs(p, **kw):  # the target belongs to user 4242; everything else is as it is
        st = real_stat(p, **kw)
        return Theirs(st) if Path(p).name == "theirs.txt" else st

    monkeypatch.setattr("bricli.files.os.lstat", lambda p: theirs(p, follow_symlinks=False))
    monkeypatch.setattr("bricli.files.os.stat", theirs)
    with pytest.raises(WriteRefused, match="belongs to another user"):
        atomic_write(target, "new", force=True)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["theirs.txt"]


# --- the display rows are read only when printed ---------------------------------------------


@pytest.mark.parametrize("env_format", [None, "json"])
def test_machine_formats_never_read_the_display_rows(tmp_path, monkeypatch, capsys, env_format):
    """Display rows are made from decoded facts: the machine formats print the stored records,
    so emit must never read a row for them, whatever --limit and --sort say (--columns rebuilds
    the rows from the records)."""
    import json

    from bricli.cli.output import Display, emit
    from bricli.present.listing import Column, Listing
    from bricli.present.listing import Pending

    monkeypatch.delenv("BRICLI_FORMAT", raising=False)
    if env_format:
        monkeypatch.setenv("BRICLI_FORMAT", env_format)
    texts = [b'{\n    "id": "a",\n    "value": 1\n  }', b'{\n    "id": "b",\n    "value": 2\n  }']
    displays = [Display(), Display(limit=1), Display(sort="-value"), Display(columns=("id",))]
    for fmt in ("json", "ndjson", "yaml", "csv", "tsv"):
        for name in (None, f"x.{fmt}"):
            for display in displays:
                read = []

                def row(text, read=read):
                    read.append(text)
                    return {"id": json.loads(text)["id"]}

                listing = Listing(records=Pending(texts, json.loads), columns=[Column("id", "ID")],
                                  rows=Pending(texts, row), json_records=[(t,) for t in texts], fields=("id", "value"))
                output = None if name is None else tmp_path / name
                emit(listing, fmt, output, True, display=display)
                assert read == [], (fmt, name, display)
    capsys.readouterr()


def test_a_long_build_shows_progress_only_on_a_terminal(monkeypatch):
    """Issue 19 item 11: a bar on stderr when it is a terminal and the build is long; nothing piped."""
    import io

    from bricli.cli import progress

    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert progress.build_progress() is None

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stderr", Tty())
    bar = progress.build_progress()
    assert bar is not None
    bar(10, 1000)  # a short build: no bar at all
    assert bar.bar is None
    bar(0, progress.PROGRESS_BYTES)
    assert bar.bar is not None
    bar.close()
    assert bar.bar is None


def test_a_large_export_and_brief_show_their_stages_only_on_a_terminal(monkeypatch, tmp_path):
    """Issue 19 item 11: an export or a brief of many facts shows a bar through its stages on a
    terminal's stderr; a small one, or one whose stderr is not a terminal, shows nothing."""
    from bricli.cli import progress

    stages: list[str] = []
    real_stage = progress.Stages.stage

    def spy(self, text, total=None):
        if self.shown:
            stages.append(text)
        real_stage(self, text, total)

    monkeypatch.setattr(progress.Stages, "stage", spy)
    monkeypatch.setattr(progress, "_progress", lambda *columns: _NullBar())
    def run(*args):
        return invoke(list(args), env=ENV)

    monkeypatch.setattr(progress, "stderr_is_terminal", lambda: False)
    assert run("export", str(tmp_path / "a.db")).exit_code == 0
    assert stages == []  # not a terminal: nothing

    monkeypatch.setattr(progress, "stderr_is_terminal", lambda: True)
    assert run("export", str(tmp_path / "b.db")).exit_code == 0
    assert stages == []  # the shipped facts are too few to need a bar

    monkeypatch.setattr(progress, "PROGRESS_FACTS", 1)
    assert run("export", str(tmp_path / "c.db")).exit_code == 0
    assert stages[0] == "reading the facts from the index" and "making the table rows" in stages
    assert "writing table facts" in stages
    stages.clear()
    result = run("report")
    assert result.exit_code == 0 and result.stdout.startswith("# ")
    assert stages == ["reading the facts from the index", "choosing what the brief says", "writing the brief"]


class _NullBar:
    """Stands in for rich's Progress: counts what would be drawn."""

    def add_task(self, text, total=None):
        return text

    def remove_task(self, task):
        pass

    def update(self, task, completed=0):
        pass

    def stop(self):
        pass


def test_stages_count_every_item_and_leave_the_terminal_clean(monkeypatch):
    from bricli.cli import progress

    monkeypatch.setattr(progress, "stderr_is_terminal", lambda: True)
    with progress.Stages() as stages:
        stages.expect(progress.PROGRESS_FACTS)
        assert list(stages.track(range(1000), "counting", 1000)) == list(range(1000))
        assert stages.bar is not None
    assert stages.bar is None  # stopped on leaving, also after an error
