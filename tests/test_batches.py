"""A large fact file is parsed and stored a batch of facts at a time (load/batches.py, issue 19
item 4), and gives exactly what reading it whole gives: the same facts, problems, lines, rows.

The files here are small; the thresholds are lowered so that they count as large
(`BATCH_BYTES`) and are cut every few facts (`BATCH_FACTS`).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from conftest import synthetic_facts
from typer.testing import CliRunner

from bricli.cli.main import app
from bricli.index import build
from bricli.load import batches
from bricli.load.assemble import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bricli")


@pytest.fixture(scope="module")
def small_files(tmp_path_factory) -> Path:
    """1,200 synthetic facts in the benchmark's layout: a sources file and files of 500 facts."""
    return synthetic_facts(1200, tmp_path_factory.mktemp("small") / "facts")


def one_file_text(small: Path, sources_last: bool = False) -> str:
    """The same facts in one file: the sources list first (or last), then every fact."""
    sources = (small / "sources.yaml").read_text(encoding="utf-8")
    items = "".join((f.read_text(encoding="utf-8").removeprefix("facts:\n") + "\n")
                    for f in sorted(small.glob("facts-*.yaml")))
    facts = "# every fact\nfacts:\n" + items
    return facts + "\n" + sources if sources_last else sources + "\n" + facts


_WHOLE: list[str] = []
_PIECES: list[str] = []
_REAL_FILE, _REAL_PIECE = build.parse_file, batches.read_piece


def _parse_file(name, data, keep=False):  # module-level, so a worker process can be handed it (pickled by name)
    _WHOLE.append(name)
    return _REAL_FILE(name, data, keep)


def _read_piece(name, doc, piece):
    _PIECES.append(name)
    return _REAL_PIECE(name, doc, piece)


@pytest.fixture
def batched(monkeypatch):
    """Every file counts as large and is cut every 100 facts; returns the names of the files the
    build read whole (parse_file) and of each batch it read (read_piece), in this process (what
    worker processes read is not seen here)."""
    monkeypatch.setattr(batches, "BATCH_BYTES", 1)
    monkeypatch.setattr(batches, "BATCH_FACTS", 100)
    _WHOLE.clear()
    _PIECES.clear()
    monkeypatch.setattr(build, "parse_file", _parse_file)
    monkeypatch.setattr(batches, "read_piece", _read_piece)
    return _WHOLE, _PIECES


def whole_reading(monkeypatch) -> None:
    monkeypatch.setattr(batches, "BATCH_BYTES", 1 << 60)


def read_in_batches(data: bytes, size: int = 100):
    pieces = batches.plan(data, size)
    assert pieces is not None
    facts, sources, problems = [], [], []
    for r in batches.read_batches("big.yaml", data, pieces):
        facts += r.facts
        sources += r.sources
        problems += r.problems
    return facts, sources, problems, pieces


# --- the reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sources_last", [False, True])
def test_a_file_read_in_batches_gives_what_reading_it_whole_gives(small_files, monkeypatch, sources_last):
    monkeypatch.setattr(batches, "BATCH_BYTES", 1)
    data = one_file_text(small_files, sources_last).encode()
    facts, sources, problems, pieces = read_in_batches(data)
    assert len(pieces) == 13  # the sources, then 12 batches of 100 facts
    whole = parse_bytes("big.yaml", data)
    assert not whole.problems and not problems
    assert (facts, sources) == (whole.facts, whole.sources)  # every field, the lines of each fact and source
    assert len(facts) == 1200 and len(sources) == 20


def test_a_problem_in_a_late_batch_is_at_its_line_in_the_file(small_files, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_BYTES", 1)
    text = one_file_text(small_files)
    at = [m.start() for m in re.finditer(r"countries: \[", text)][1150]  # the 1,151st fact: the 12th batch
    text = text[:at] + "countries: [XXA, " + text[at + len("countries: ["):]
    value = [m.start() for m in re.finditer(r"    value: ", text)][-5]  # among the last facts
    text = text[:value] + "    value: 1,5\n    x_extra: 1\n" + text[text.index("\n", value) + 1:]
    data = text.encode()
    facts, sources, problems, _ = read_in_batches(data)
    whole = parse_bytes("big.yaml", data)
    assert problems == whole.problems and (facts, sources) == (whole.facts, whole.sources)
    lines = {p.field.split("[")[0]: p.line for p in problems if p.field}
    assert lines["countries"] == text.count("\n", 0, at) + 1
    assert lines["value"] == text.count("\n", 0, value) + 1
    assert lines["x_extra"] == lines["value"] + 1


@pytest.mark.parametrize("edit", [
    ("    type:", "    type: figure\n    type:", 1150),  # a duplicate key
    ("    label:", "    label: &a\n    note:", 120),  # an anchor
    ("    label:", "    note: *a\n    label:", 1150),  # an alias of an anchor in another batch
    ("  - id:", "  - 12\n  - id:", 1150),  # an entry that is not a mapping
    ("    label:", "    note: \"two lines,\n  - id: the second looks like an item\"\n    label:", 499),
])
def test_what_only_the_whole_file_can_tell_stops_the_batches(small_files, monkeypatch, edit):
    monkeypatch.setattr(batches, "BATCH_BYTES", 1)
    text = one_file_text(small_files)
    old, new, n = edit
    if "*a" in new:
        text, _, _ = _edit(text, "    label:", "    label: &a\n    note:", 120)
    text, _, _ = _edit(text, old, new, n)
    data = text.encode()
    pieces = batches.plan(data, 1 if "two lines" in new else 100)  # every item a batch: a cut inside the text
    assert pieces is not None
    with pytest.raises(batches.Unbatchable):
        for _ in batches.read_batches("big.yaml", data, pieces):
            pass


def _edit(text: str, old: str, new: str, n: int) -> tuple[str, int, int]:
    at = [m.start() for m in re.finditer(re.escape(old), text)][n]
    return text[:at] + new + text[at + len(old):], at, n


def test_more_problems_than_a_file_may_have_stop_the_batches(small_files, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_BYTES", 1)
    text = one_file_text(small_files).replace("    qualifier: exact\n", "    qualifier: exact\n    odd: 1\n")
    data = text.encode()
    assert 100 < text.count("odd: 1") and max(text.count("odd: 1", 0, p.end) for p in batches.plan(data, 100) or []) > 0
    with pytest.raises(batches.Unbatchable):
        for _ in batches.read_batches("big.yaml", data, batches.plan(data, 100) or []):
            pass


@pytest.mark.parametrize("change", [
    lambda t: t.replace("facts:\n", "facts: \n", 1).replace("sources:", "facts:", 1),  # facts twice
    lambda t: t.replace("sources:", "---\nsources:", 1),  # a document marker
    lambda t: t.replace("\n", "\r\n"),  # CRLF: the lines are counted otherwise
    lambda t: "\ufeff" + t,  # a byte order mark
    lambda t: t.replace("sources:", "extra: 1\nsources:", 1),  # another top-level key
    lambda t: t.replace("# every fact\nfacts:\n", "facts: [\n", 1),  # not a block list
    lambda t: t.replace("label:", "label: \u2028", 1),  # a line break of YAML 1.1 inside a text
])
def test_a_file_of_another_layout_is_read_whole(small_files, monkeypatch, change):
    monkeypatch.setattr(batches, "BATCH_BYTES", 1)
    data = change(one_file_text(small_files)).encode()
    assert batches.plan(data, 100) is None


def test_a_small_file_is_read_whole(small_files):
    assert batches.plan(one_file_text(small_files).encode()) is None  # 600 KB, under BATCH_BYTES


# --- the index -----------------------------------------------------------------------------------------

COMMANDS = [("trade", "--derived"), ("investment",), ("projects",), ("finance",), ("people",), ("policy",), ("risks",)]


def test_a_large_file_gives_the_output_of_the_same_facts_in_small_files(small_files, store, batched, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    (big / "all.yaml").write_text(one_file_text(small_files), encoding="utf-8")
    whole, pieces = batched
    for command in COMMANDS:
        one = invoke(*command, "--facts", big, "--format", "json")
        many = invoke(*command, "--facts", small_files, "--format", "json")
        assert one.exit_code == 0 and (one.stdout, one.stderr) == (many.stdout, many.stderr), command
    assert sum(name.endswith("all.yaml") for name in pieces) == 13  # the sources, then 12 batches of 100 facts
    assert not [name for name in whole if name.endswith("all.yaml")]  # never read whole


TABLES = ("stored", "sources", "problems", "items", "item_countries", "set_sources")


def dump(store: Path) -> dict[str, list[tuple]]:
    (db,) = sorted(store.glob("index-*.sqlite"))
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
    finally:
        conn.close()


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("broken", [False, True])
def test_the_index_of_a_large_file_is_the_index_of_it_read_whole(small_files, store, batched, monkeypatch, tmp_path,
                                                                 workers, broken):
    """Row for row, checksums included; with worker processes too; and when a late batch meets a
    duplicate key, the batches stored are taken back and the file is read whole."""
    if workers > 1:
        monkeypatch.setattr(build, "PARALLEL_BYTES", 1)
        monkeypatch.setattr(build, "_workers", lambda files, size: 2 if files > 1 else 1)
    big = tmp_path / "big"
    big.mkdir()
    text = one_file_text(small_files)
    if broken:
        text, _, _ = _edit(text, "    type:", "    type: figure\n    type:", 1150)
    (big / "all.yaml").write_text(text, encoding="utf-8")
    args = ("trade", "--derived", "--format", "json", "--facts", big)
    first = invoke(*args)
    batched_index = dump(store)
    whole, pieces = batched
    assert pieces or workers > 1
    assert any(name.endswith("all.yaml") for name in whole) == broken
    whole_reading(monkeypatch)
    monkeypatch.setenv("BRICLI_CACHE_DIR", str(tmp_path / "cache2"))
    again = invoke(*args)
    assert (first.exit_code, first.stdout, first.stderr) == (again.exit_code, again.stdout, again.stderr)
    assert first.exit_code == (1 if broken else 0)
    assert batched_index == dump(tmp_path / "cache2")


def test_bricli_check_names_the_line_of_a_problem_in_a_late_batch(small_files, store, batched, monkeypatch, tmp_path):
    """The message a user reads for a problem in the 12th batch: its file, line and field, as read whole."""
    big = tmp_path / "big"
    big.mkdir()
    text = one_file_text(small_files)
    text, at, _ = _edit(text, "countries: [", "countries: [XXA, ", 1150)
    (big / "all.yaml").write_text(text, encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    batched_run = invoke("check", "--facts", big, "--no-shipped")
    whole, pieces = batched
    assert sum(name.endswith("all.yaml") for name in pieces) == 13 and not whole
    whole_reading(monkeypatch)
    whole_run = invoke("check", "--facts", big, "--no-shipped")
    assert (batched_run.exit_code, batched_run.stdout, batched_run.stderr) == (whole_run.exit_code, whole_run.stdout,
                                                                              whole_run.stderr)
    assert batched_run.exit_code == 1
    assert f"all.yaml:{line}" in batched_run.stdout and "XXA" in batched_run.stdout, batched_run.stdout


def test_one_large_file_alone_is_parsed_by_every_cpu(monkeypatch):
    """A single file read in batches has its batches parsed in worker processes (measured: a
    49 MB file alone, cold, 0.58x the wall time at the same CPU time); a single small file, and
    a small base, are read in this process."""
    monkeypatch.setattr(build.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert build._workers(1, batches.BATCH_BYTES) == 4
    assert build._workers(1, batches.BATCH_BYTES - 1) == 1
    assert build._workers(3, build.PARALLEL_BYTES) == 3
    assert build._workers(3, build.PARALLEL_BYTES - 1) == 1
