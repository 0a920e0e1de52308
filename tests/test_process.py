"""bricli as a process: pipes, Ctrl-C, narrow encodings and locales, narrow terminals, no terminal.

These run the real command in a subprocess (`python -m bricli`), as a shell would.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BRICLI = [sys.executable, "-m", "bricli"]
BASE_ENV = {k: v for k, v in os.environ.items() if k not in ("BRICLI_FACTS", "BRICLI_FORMAT", "COLUMNS", "NO_COLOR")}
BOX = re.compile("[\u2500-\u257f]")


def bricli(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*BRICLI, *args], capture_output=True, text=True, encoding="utf-8", errors="replace",
                          env={**BASE_ENV, **(env or {})}, timeout=30, **kw)


def assert_quiet(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr and "Error" not in stderr, stderr


# --- pipes ------------------------------------------------------------------------------


def test_reader_gone_before_any_output_exits_141_quietly():
    for args in (["trade"], ["timeline", "--cite", "-f", "json"], ["show", "trade-2018-total-chn-lcn"], ["sources"]):
        proc = subprocess.Popen([*BRICLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BASE_ENV)
        proc.stdout.close()  # like `| true`: nobody will read
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.wait(timeout=30) == 141, err
        assert err == ""


def test_pipe_into_head_ends_quietly():
    # the output (~90 kB) is larger than a pipe's buffer, so head leaves while bricli is writing
    proc = subprocess.run(f"{sys.executable} -m bricli search a --cite | head -1; echo \"status=${{PIPESTATUS[0]}}\"",
                          shell=True, executable="/bin/bash", capture_output=True, text=True, env=BASE_ENV, timeout=30)
    out_lines = proc.stdout.splitlines()
    assert out_lines[0].startswith("Topic\tID\t")
    # 141 when the write fails; 0 when the kernel took the whole write before head left
    assert out_lines[-1] in ("status=141", "status=0")
    assert_quiet(proc.stderr)
    assert proc.stderr == ""


def test_reader_gone_in_the_middle_of_a_write_exits_141():
    """Python's buffered write returns short, without an error, when the reader leaves during a
    large write: bricli writes the rest, so the status says the output was cut (it said 0)."""
    for args in (["search", "a", "--cite"], ["search", "a", "--cite", "-f", "json"]):  # text; json's stored bytes
        proc = subprocess.Popen([*BRICLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BASE_ENV)
        first = os.read(proc.stdout.fileno(), 100)  # of far more than a pipe's buffer holds (190 kB, 850 kB)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert first and proc.wait(timeout=30) == 141, (args, err)
        assert err == ""


# --- Ctrl-C -----------------------------------------------------------------------------


def _big_fact_dir(d: Path, n: int) -> Path:
    d.mkdir()
    items = "".join(f"""\
  - id: f-{i}
    type: figure
    topic: trade
    label: "Figure number {i}"
    countries: [CHN, BRA]
    metric: trade
    direction: total
    value: {i}.5
    unit: USD
    scale: million
    period: "{1990 + i % 30}"
    source: {{id: test-src, section: "S", quote: "q {i}"}}
""" for i in range(n))
    path = d / "big.yaml"
    path.write_text(f'sources:\n  - id: test-src\n    title: "T"\n    date: "2020-01"\nfacts:\n{items}', encoding="utf-8")
    return path


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs /proc to see when bricli is busy")
def test_ctrl_c_exits_130_without_a_traceback(tmp_path):
    big = _big_fact_dir(tmp_path / "facts", 25_000)  # ~7 MB: seconds of parsing
    size = big.stat().st_size
    proc = subprocess.Popen([*BRICLI, "trade", "--no-shipped", "--max-file-size", "50000000", "--facts", str(big.parent)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BASE_ENV)
    deadline = time.monotonic() + 20
    # busy = it has read the fact file (more bytes than all of Python's imports), so it is parsing
    while time.monotonic() < deadline and proc.poll() is None:
        rchar = int(dict(line.split(": ") for line in Path(f"/proc/{proc.pid}/io").read_text().splitlines())["rchar"])
        if rchar > size:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "bricli finished before it could be interrupted"
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert out == b""
    assert_quiet(err.decode())


# --- encodings and locales ----------------------------------------------------------------


@pytest.mark.parametrize("env", [
    {"LC_ALL": "C"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},  # a real ASCII stdout
    {"PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "latin-1"},
], ids=["LC_ALL=C", "LC_ALL=C-no-utf8-mode", "PYTHONIOENCODING=ascii", "PYTHONIOENCODING=latin-1"])
@pytest.mark.parametrize("fmt", ["plain", "table", "json", "csv", "markdown"])
def test_narrow_encodings_escape_instead_of_crashing(env, fmt):
    proc = subprocess.run([*BRICLI, "show", "project-bra-sao-lourenco-water-supply", "-f", fmt],
                          capture_output=True, env={**BASE_ENV, "COLUMNS": "200", **env}, timeout=30)
    err = proc.stderr.decode("ascii", "replace")
    assert proc.returncode == 0, err
    assert_quiet(err)
    out = proc.stdout
    # either the characters themselves (UTF-8 or Latin-1 output) or visible escapes; never "S?o"
    forms = ["São Lourenço".encode(), "São Lourenço".encode("latin-1"), rb"S\xe3o Louren\xe7o"]
    assert any(form in out for form in forms), out[:400]
    assert b"S?o" not in out


@pytest.mark.parametrize("env", [{}, {"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"},
                                 {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}],
                         ids=["utf-8", "ascii", "latin-1", "C-no-utf8-mode"])
def test_json_of_the_stored_records_is_written_as_the_files_would_give_it_in_any_encoding(env):
    """Piped json from the index is written as the stored UTF-8 bytes; in another encoding it
    is the text, escaped where the encoding cannot carry it, as without the index."""
    args = [*BRICLI, "projects", "--country", "Brasil", "-f", "json"]
    run = {"capture_output": True, "env": {**BASE_ENV, **env}, "timeout": 30}
    indexed, read = subprocess.run(args, **run), subprocess.run([*args, "--no-cache"], **run)
    assert indexed.returncode == read.returncode == 0, indexed.stderr
    assert indexed.stdout == read.stdout
    if not env:
        assert "São".encode() in indexed.stdout


def test_messages_in_a_narrow_encoding_are_escaped_too():
    proc = subprocess.run([*BRICLI, "trade", "--country", "Pérouu"], capture_output=True,
                          env={**BASE_ENV, "PYTHONIOENCODING": "ascii"}, timeout=30)
    assert proc.returncode == 2
    err = proc.stderr.decode("ascii")  # pure ASCII: it would raise otherwise
    assert "P\\xe9rouu" in err and "Peru" in err
    assert_quiet(err)


# --- width and terminals ------------------------------------------------------------------


def test_narrow_table_loses_no_data():
    """COLUMNS=20: a vertical layout that wraps and folds, never crops or adds '…'."""
    table = bricli("trade", "--cite", "--ids", "-f", "table", env={"COLUMNS": "20"})
    assert table.returncode == 0, table.stderr
    assert "…" not in table.stdout and "..." not in table.stdout
    lines = table.stdout.splitlines()
    assert max(len(line) for line in lines) <= 20
    first = next(i for i, line in enumerate(lines) if line.startswith("ID:"))
    offset = len(lines[first]) - len(lines[first][3:].lstrip())  # where the value column starts
    values = "".join(line[offset:] for line in lines[first:])
    # every cell of every row, in order, with nothing missing: the value column spells them out
    # what a terminal shows: short country names, "US$307.4 bn" (see present.listing.for_terminal)
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.present.views import topic_view
    from bricli.present.listing import for_terminal
    from bricli.present.request import build_filters

    options = FactBaseOptions(None, False, 2 * 1024 * 1024, no_cache=True)
    with engine(options) as e:
        shown = for_terminal(topic_view(e, "trade", build_filters("trade"), cite=True), ids=True)
        rows = [[row.get(c.key, "") for c in shown.columns] for row in shown.rows]
    expected = "".join(cell for row in rows for cell in row)
    squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731  (wrapping only moves whitespace)
    assert squeeze(values).startswith(squeeze(expected))
    labels = squeeze("".join(line[:offset] for line in lines[first:]))
    assert labels.count("Countries:") == len(rows) and labels.count("Quote:") == len(rows)


def test_no_terminal_means_plain_output():
    proc = bricli("trade", "--year", "2018")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0] == "ID\tWhat\tKind\tCountries\tPeriod\tValue\tChange"
    assert all(line.count("\t") == 6 for line in lines)
    assert not BOX.search(proc.stdout) and "\x1b" not in proc.stdout


def run_in_pty(args: list[str], env: dict | None = None) -> str:
    """Run bricli with stdout on a pseudo-terminal; return what it printed there."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([*BRICLI, *args], stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env={**BASE_ENV, **(env or {})})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child has closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=30) == 0, err
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_means_a_table():
    out = run_in_pty(["trade", "--year", "2018", "--ids"], env={"COLUMNS": "300", "NO_COLOR": "1"})
    assert BOX.search(out) and "trade-2018-total-chn-lcn" in out
    assert "\x1b" not in out  # NO_COLOR
    coloured = run_in_pty(["trade", "--year", "2018"], env={"COLUMNS": "300", "TERM": "xterm"})
    assert "\x1b[" in coloured
    assert not re.search("\x1b(?!\\[[0-9;]*m)", coloured), "only colour codes, nothing else"


def test_ctrl_c_while_still_starting_is_quiet_too():
    """An interrupt during the imports (before typer is ready) still exits 130 without a traceback."""
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'bricli.cli.main':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from bricli.cli.entry import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=BASE_ENV, timeout=30)
    assert proc.returncode == 130
    assert proc.stderr == "bricli: interrupted\n"
