"""The SQLite index: the same bytes as reading the files, fresh after any edit, never trusted blindly."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bricli.cli import factbase
from bricli.cli.main import app
from bricli.load import assemble, index as idx
from bricli.load.discover import list_files, shipped_facts_dir

SHIPPED = shipped_facts_dir()
ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("table", "plain", "csv", "tsv", "json", "ndjson", "yaml", "markdown")
runner = CliRunner()


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("BRICLI_CACHE_DIR", str(d))
    monkeypatch.delenv("BRICLI_FACTS", raising=False)
    monkeypatch.delenv("BRICLI_FORMAT", raising=False)
    return d


@pytest.fixture
def facts(tmp_path) -> Path:
    d = tmp_path / "facts"
    shutil.copytree(SHIPPED, d)
    return d


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synth import generate
    finally:
        sys.path.pop(0)
    return generate(1200, tmp_path_factory.mktemp("synth") / "facts")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bricli")


def databases(store: Path) -> list[Path]:
    return sorted(store.glob("index-*.sqlite")) if store.exists() else []


def served_by_index(monkeypatch) -> list:
    """Make reading the files fail loudly; returns the list of listings served."""
    served = []
    real = factbase.indexed_listing

    def spy(*a, **k):
        listing = real(*a, **k)
        assert listing is not None, "the index did not serve this query"
        served.append(listing)
        return listing

    monkeypatch.setattr(factbase, "indexed_listing", spy)
    return served


def parses(monkeypatch) -> list:
    calls = []
    real = assemble.parse_bytes
    monkeypatch.setattr(assemble, "parse_bytes", lambda name, data: calls.append(name) or real(name, data))
    return calls


# --- the same bytes -------------------------------------------------------------------------

QUERIES = [
    ["trade"], ["trade", "--year", "2018"], ["trade", "--flow", "balance"], ["trade", "--from", "2005-03", "--to", "2007"],
    ["trade", "--source", "syn-03", "--cite"], ["trade", "--derived"], ["trade", "--year", "2010..2012", "--derived"],
    ["trade", "--country", "BRA", "--country", "ARG", "--year", "2017", "--year", "2018"], ["investment", "--kind", "stock"],
    ["projects", "--country", "BRA"], ["people"], ["risks", "--grep", "recent"], ["risks", "--grep", "ab", "--grep", "pé"],
    ["policy", "--country", "MEX", "--year", "2015"], ["finance", "--grep", "swap"], ["trade", "--reliability", "A"],
    ["trade", "--basis", "unstated", "--year", "2018"], ["policy", "--stage", "signed"],
    ["search", "huawei"], ["country", "Peru"], ["timeline", "--from", "2010", "--to", "2012"],
    # search ranks (label or name first, then by topic) and timeline sorts by date: both from SQL too
    ["search", "trade china"], ["search", "exports", "--derived", "--cite"], ["search", "São", "--country", "BRA"],
    ["search", "peak", "--sort", "-value"], ["timeline", "--country", "BRA", "--year", "2008..2016"],
    ["timeline", "--grep", "port"],
    # windows: open ends, a list of years, items longer than a year (the index reads short ones by start)
    ["trade", "--to", "2001"], ["trade", "--from", "2024"], ["policy", "--year", "2013,2018"],
    ["timeline", "--year", "1990..1991"], ["investment", "--from", "2010-06", "--to", "2010-07"],
    # shaped listings: json cannot reuse the index's rendered records once rows are cut, sorted or projected
    ["trade", "--year", "2018", "--limit", "3"], ["trade", "--year", "2018", "--sort", "-value"],
    ["trade", "--year", "2018", "--columns", "id,value"], ["trade", "--year", "2018", "--limit", "0"],
]


@pytest.mark.parametrize("where", ["shipped", "synthetic"])
def test_every_query_and_format_gives_the_same_bytes_with_and_without_the_index(where, store, synthetic, monkeypatch):
    base = [] if where == "shipped" else ["--facts", synthetic]
    queries = [*QUERIES, ["trade", "--source", "cedpr-2020", "--cite"]]
    if where == "synthetic":  # a year keeps rich's tables of the synthetic base small enough for a test
        queries = [q if {"--year", "--from"} & set(q) else [*q, "--year", "2010"] for q in QUERIES]
    assert invoke("trade", *base).exit_code == 0  # builds the index
    served = served_by_index(monkeypatch)  # --no-cache never asks the index
    read, real_load = {}, assemble.load  # read the files once, not once per query

    def load_once(dirs, max_size=assemble.DEFAULT_MAX_FILE_SIZE):
        key = (tuple(map(str, dirs)), max_size)
        if key not in read:
            read[key] = real_load(dirs, max_size)
        return read[key]

    monkeypatch.setattr(assemble, "load", load_once)
    for q in queries:
        for fmt in FORMATS:
            args = [*q, *base, "--format", fmt]
            with_index, from_files = invoke(*args), invoke(*args, "--no-cache")
            assert (with_index.exit_code, with_index.stdout, with_index.stderr) == \
                (from_files.exit_code, from_files.stdout, from_files.stderr), args
    # every query but `country` (its status lines need the loaded base) and an unknown --source
    served_queries = [q for q in queries if q[0] != "country"]
    assert len(served) >= (len(served_queries) - 1) * len(FORMATS)


def test_the_synthetic_base_is_served_by_the_index_not_by_reading(store, synthetic, monkeypatch):
    assert invoke("trade", "--facts", synthetic, "--format", "json").exit_code == 0
    calls = parses(monkeypatch)
    served = served_by_index(monkeypatch)
    result = invoke("trade", "--facts", synthetic, "--year", "2010", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert calls == [] and len(served) == 1


def test_full_text_search_and_its_fallback_agree(store, synthetic):
    from bricli.analysis.query import Filters
    from bricli.present.indexed import query_listing

    dirs = [SHIPPED, synthetic]
    files, _ = list_files(dirs)
    index = idx.open_index(dirs)
    assert index.sync(files, 10 << 20, factbase._builder) and index.problems == 0
    if not index.fts:
        pytest.skip("this sqlite3 has no FTS5 trigram tokenizer")
    for needle in ("huawei", "HUAWEI", "sao", "São", "pé", "ab", "a", "port\n", 'say "x"', "‘recent", "zzz", "%", "_"):
        for filters in (Filters(grep=needle), Filters(words=(needle,))):
            index.fts = True
            fts = query_listing(index, filters)
            index.fts = False
            plain = query_listing(index, filters)
            assert fts.records == plain.records, needle
    index.close()


# --- fresh after any edit ----------------------------------------------------------------


def test_a_second_run_reads_no_file(store, facts, monkeypatch):
    assert invoke("trade", "--no-shipped", "--facts", facts).exit_code == 0
    assert len(databases(store)) == 1
    calls = parses(monkeypatch)
    assert invoke("trade", "--no-shipped", "--facts", facts).exit_code == 0
    assert invoke("sources", "--no-shipped", "--facts", facts).exit_code == 0
    assert calls == []


def _edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # touch -r, cp -p, tar --mtime
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_an_edit_keeping_size_and_mtime_is_seen(store, facts):
    args = ("trade", "--no-shipped", "--facts", facts, "--year", "2018", "--format", "json")
    assert "surpassing the record peak" in invoke(*args).stdout
    _edit_keeping_size_and_mtime(facts / "trade.yaml", "surpassing the record peak", "SURPASSING THE RECORD PEAK")
    after = invoke(*args)
    assert after.exit_code == 0 and after.stdout == invoke(*args, "--no-cache").stdout
    assert "SURPASSING THE RECORD PEAK" in after.stdout
    # and a changed figure, which now disagrees with exports + imports: refused, as check refuses it
    _edit_keeping_size_and_mtime(facts / "trade.yaml", "value: 307.4", "value: 407.4")
    refused = invoke(*args)
    assert (refused.exit_code, refused.stdout) == (1, "") and refused.stderr == invoke(*args, "--no-cache").stderr


def test_only_the_changed_file_is_read_again(store, facts, monkeypatch):
    invoke("trade", "--no-shipped", "--facts", facts)
    calls = parses(monkeypatch)
    path = facts / "trade.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert invoke("trade", "--no-shipped", "--facts", facts).exit_code == 0
    assert calls == [str(path)]


def test_a_check_too_soon_after_the_mtime_is_not_trusted():
    st = os.stat(__file__)
    entry = ("digest", st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mtime_ns + 1_000_000_000, 1, "x")
    assert not idx._unchanged(entry, st)
    later = (*entry[:5], st.st_mtime_ns + 3000000000, *entry[6:])
    assert idx._unchanged(later, st)
    assert not idx._unchanged((*later[:4], st.st_ino + 1, *later[5:]), st)  # another file put in its place


def test_a_touched_file_is_hashed_not_parsed(store, facts, monkeypatch):
    invoke("trade", "--no-shipped", "--facts", facts)
    calls = parses(monkeypatch)
    os.utime(facts / "trade.yaml")
    assert invoke("trade", "--no-shipped", "--facts", facts).exit_code == 0
    assert calls == []


def test_added_and_removed_files_are_seen(store, facts):
    args = ("search", "Huawei", "--no-shipped", "--facts", facts, "--format", "json")
    before = len(json.loads(invoke(*args).stdout))
    extra = facts / "more.yaml"
    extra.write_text((facts / "people.yaml").read_text(encoding="utf-8").replace("id: ", "id: copy-"), encoding="utf-8")
    (facts / "people.yaml").unlink()
    result = invoke(*args)
    assert result.stdout == invoke(*args, "--no-cache").stdout
    extra.unlink()
    assert invoke(*args).stdout == invoke(*args, "--no-cache").stdout
    assert before >= 0


def test_a_new_version_rebuilds(store, facts, monkeypatch):
    invoke("trade", "--no-shipped", "--facts", facts)
    calls = parses(monkeypatch)
    monkeypatch.setattr(idx, "__version__", "999.0")
    assert invoke("trade", "--no-shipped", "--facts", facts).exit_code == 0
    assert len(calls) == len(list(facts.glob("*.yaml")))


# --- problems: never figures from a broken base, paths as given now --------------------------


BROKEN = "facts:\n  - id: x\n    type: figure\n    unit: ounces\n"


def test_problems_from_the_index_name_the_file_as_given_now(store, tmp_path, monkeypatch):
    """Issue 9 item 7: the same broken file from its directory, then from the parent."""
    d = tmp_path / "mine"
    d.mkdir()
    (d / "bad.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(d)
    first = invoke("trade", "--no-shipped", "--facts", ".")
    assert first.exit_code == 1 and "bad.yaml:" in first.stderr and "mine/bad.yaml" not in first.stderr
    monkeypatch.chdir(tmp_path)
    calls = parses(monkeypatch)
    second = invoke("trade", "--no-shipped", "--facts", "mine")
    assert calls == []  # served from the index
    assert second.exit_code == 1 and "mine/bad.yaml:" in second.stderr, second.stderr
    assert second.stderr == invoke("trade", "--no-shipped", "--facts", "mine", "--no-cache").stderr


def test_cross_file_problems_block_figures_from_the_index(store, facts):
    shutil.copy(facts / "trade.yaml", facts / "dup.yaml")  # every id defined twice
    args = ("trade", "--no-shipped", "--facts", facts, "--format", "json")
    for _ in range(2):  # building, then served
        result = invoke(*args)
        assert result.exit_code == 1 and result.stdout == "" and "already" in result.stderr
        assert result.stderr == invoke(*args, "--no-cache").stderr


def test_check_always_reads_the_files(store, facts, monkeypatch):
    invoke("trade", "--no-shipped", "--facts", facts)
    monkeypatch.setattr(idx, "open_index", lambda *a, **k: pytest.fail("check opened the index"))
    _edit_keeping_size_and_mtime(facts / "trade.yaml", "unit: USD", "unit: UXD")
    result = invoke("check", "--no-shipped", "--facts", facts)
    assert result.exit_code == 1 and "UXD" in result.stdout


def test_no_cache_neither_reads_nor_writes_the_index(store, facts, monkeypatch):
    assert invoke("trade", "--no-shipped", "--facts", facts, "--no-cache").exit_code == 0
    assert databases(store) == []


# --- untrusted input ---------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "directory", "symlink", "fifo", "foreign",
                                    "trigger", "huge-value", "world-writable"])
def test_a_damaged_or_foreign_index_is_rebuilt_never_believed(damage, store, facts, tmp_path):
    args = ("trade", "--no-shipped", "--facts", facts, "--year", "2018", "--format", "json")
    good = invoke(*args, "--no-cache").stdout
    assert invoke(*args).stdout == good
    (db,) = databases(store)
    data = db.read_bytes()
    if damage == "truncate":
        db.write_bytes(data[: len(data) // 3])
    elif damage == "flip":
        db.write_bytes(data[:4096] + bytes(b ^ 0x5A for b in data[4096:8192]) + data[8192:])
    elif damage == "garbage":
        db.write_bytes(b"\x80\x04not an index at all" * 1000)
    elif damage == "empty":
        db.write_bytes(b"")
    elif damage == "directory":
        db.unlink()
        db.mkdir()
    elif damage == "symlink":
        target = tmp_path / "elsewhere.sqlite"
        target.write_bytes(data)
        db.unlink()
        db.symlink_to(target)
    elif damage == "fifo":
        db.unlink()
        os.mkfifo(db)
    elif damage in ("foreign", "trigger", "huge-value"):
        conn = sqlite3.connect(db)
        if damage == "foreign":
            conn.execute("CREATE TABLE planted(x)")
        elif damage == "trigger":
            conn.execute("CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM items; END")
        else:
            conn.execute("UPDATE rendered_texts SET record_head = ? WHERE id = 1", (b"[" * (70 << 20),))
        conn.commit()
        conn.close()
    else:
        db.chmod(0o666)
    result = invoke(*args)
    assert (result.exit_code, result.stdout) == (0, good), result.stderr
    if damage not in ("directory",):
        assert invoke(*args).stdout == good


def test_a_forged_figure_is_believed_only_by_queries_check_reads_files(store, facts):
    """The index is as trusted as the user's own cache directory (ours, writable by no one else):
    a value changed inside it shows in queries, and `check` is the way to read the files."""
    args = ("trade", "--no-shipped", "--facts", facts, "--year", "2018", "--format", "json")
    invoke(*args)
    (db,) = databases(store)
    os.chmod(db.parent, 0o700)
    assert invoke("check", "--no-shipped", "--facts", facts).exit_code == 0


def test_records_stored_as_text_not_bytes_print_the_same(store, facts):
    """The index stores each record as UTF-8 bytes, written out as they are; one whose parts
    were changed to text (the index is input like any other) prints the same, not a crash."""
    args = ("trade", "--no-shipped", "--facts", facts, "--format", "json")
    good = invoke(*args, "--no-cache").stdout
    invoke(*args)
    (db,) = databases(store)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE rendered_texts SET record_head = CAST(record_head AS TEXT), record_tail = CAST(record_tail AS TEXT)")
        assert conn.execute("SELECT typeof(record_head) FROM rendered_texts LIMIT 1").fetchone() == ("text",)
    conn.close()
    result = invoke(*args)
    assert (result.exit_code, result.stdout) == (0, good), result.stderr


def test_a_cache_directory_writable_by_others_is_not_used(store, facts):
    store.mkdir(mode=0o700)
    store.chmod(0o777)
    args = ("trade", "--no-shipped", "--facts", facts, "--format", "json")
    result = invoke(*args)
    assert result.exit_code == 0 and result.stdout == invoke(*args, "--no-cache").stdout
    assert databases(store) == []


def test_an_unusable_cache_directory_breaks_nothing(tmp_path, monkeypatch, facts):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BRICLI_CACHE_DIR", str(blocker / "sub"))
    result = invoke("trade", "--no-shipped", "--facts", facts, "--format", "json")
    assert result.exit_code == 0 and result.stdout.startswith("[")


@pytest.mark.parametrize("fts", [False, True])
def test_the_schema_check_accepts_exactly_what_the_schema_makes(fts):
    try:
        made = idx._expected_schema(fts)
    except sqlite3.OperationalError:
        pytest.skip("no FTS5 trigram tokenizer")
    assert idx._schema_matches(made, fts)
    assert not idx._schema_matches([*made, ("trigger", "t", "meta", "CREATE TRIGGER t ...")], fts)
    assert not idx._schema_matches([r if r[1] != "items" else (*r[:3], r[3] + " ") for r in made], fts)


@pytest.mark.parametrize("names", [["facts"], ["a b", "/x/y.z", "~user"], ['q"uote'], ["back\\slash"], ["é"], ["tab\there"],
                                   ["del\x7f"], ["\udcff"], ["ok", "naïve"]])
def test_the_index_of_a_set_of_directories_is_named_as_json_would_name_it(names, tmp_path):
    """index_path writes the JSON of plain paths itself (TAB completion does not import json):
    the same file as before for every set of directories."""
    dirs = [tmp_path / n for n in names]
    text = json.dumps([os.path.abspath(d) for d in dirs], ensure_ascii=True)
    digest = idx._digest(text.encode())[:24]
    assert idx.index_path(dirs, tmp_path) == tmp_path / f"index-{digest}-{idx.FORMAT}.sqlite"


@pytest.mark.parametrize("text, expected", [("[1990, 2018]", [1990, 2018]), ("[]", []), (" [2018] ", [2018]),
                                            ("[1_990]", None), ("[1.5]", None), ("[-1]", None), ("{}", None),
                                            ("[1990,]", None), ("", None), ("[٢٠١٨]", None)])
def test_the_years_are_read_as_json_reads_them_or_not_at_all(text, expected):
    assert factbase._whole_numbers(text) == expected
    if expected is not None:
        assert json.loads(text) == expected


def test_an_index_opened_but_not_synced_says_its_problems_are_unknown(tmp_path):
    index = idx.open_index([SHIPPED], tmp_path / "cache")
    assert index is not None
    try:
        assert index.problems == -1
    finally:
        index.close()


def test_cache_dir_honours_env_and_xdg(tmp_path):
    assert idx.cache_dir({"BRICLI_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert idx.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "bricli"
    assert idx.cache_dir({"XDG_CACHE_HOME": "relative"}).parts[-2:] == (".cache", "bricli")


# --- two processes at once --------------------------------------------------------------


def test_processes_building_at_once_agree_and_leave_a_sound_index(tmp_path, synthetic):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRICLI_")}
    env["BRICLI_CACHE_DIR"] = str(tmp_path / "cache")
    args = [sys.executable, "-m", "bricli", "trade", "--facts", str(synthetic), "--year", "2010", "--format", "json"]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outs = [p.communicate(timeout=300) for p in procs]
    expected = subprocess.run([*args, "--no-cache"], env=env, capture_output=True, check=True).stdout
    assert [p.returncode for p in procs] == [0] * 4, [e for _, e in outs]
    assert all(out == expected for out, _ in outs)
    (db,) = databases(tmp_path / "cache")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    # and a writer meanwhile: one process rebuilds a changed file while others read
    path = synthetic / "facts-0000.yaml"
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# changed\n")
        procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert all(out == expected for out, _ in outs), [e for _, e in outs]
    finally:
        path.write_bytes(original)


def test_records_are_stored_as_json_prints_them(synthetic):
    from bricli.load.assemble import load
    from bricli.analysis.query import Filters, select
    from bricli.present.indexed import json_text
    from bricli.analysis.records import record

    base, _ = load([SHIPPED, synthetic])
    items = select(base, Filters())
    odd = {"s": "a\x00\u2028\"\\é😀", "f": [1.5, -0.0, 1e300, 2 ** 70, float("inf")], "n": {"e": {}, "l": []}, "t": (True, None)}
    for rec in [record(i, base) for i in items] + [odd]:
        assert json_text(rec) == json.dumps(rec, ensure_ascii=False, indent=2)


def test_json_output_joins_the_stored_records_into_what_json_dumps_prints(synthetic):
    from bricli.load.assemble import load
    from bricli.analysis.query import Filters, select
    from bricli.present.indexed import json_text
    from bricli.analysis.records import record
    from bricli.render.serialized import json_chunks, render_json

    base, _ = load([SHIPPED, synthetic])
    records = [record(i, base) for i in select(base, Filters(), derived=True)]
    odd = {"s": "a\nb\x00\u2028\"\\é😀\r", "n": {"e": {}, "l": [], "d": {"x": [1, {"y": None}]}}, "t": (True, None)}
    for chosen in (records, records[:1], [], [odd], [odd, *records[:5], {}]):
        expected = json.dumps(chosen, ensure_ascii=False, indent=2) + "\n"
        assert render_json(chosen) == expected
        assert b"".join(json_chunks([(json_text(r, "  ").encode(),) for r in chosen])) == expected.encode()
        in_pieces = [json.dumps(r, ensure_ascii=False, indent=2).replace("\n", "\n  ").encode() for r in chosen]
        in_pieces = [(memoryview(t)[:3], t[3:5], memoryview(t)[5:]) for t in in_pieces]  # as the index gives them
        assert b"".join(json_chunks(in_pieces)) == expected.encode()


# --- building fast: worker processes, full-text index on first use -----------------------------


def test_a_large_build_parses_in_worker_processes_and_gives_the_same_bytes(store, synthetic, monkeypatch):
    pools = []
    real_pool = idx._pool
    monkeypatch.setattr(idx, "PARALLEL_BYTES", 1)  # this small base counts as large
    monkeypatch.setattr(idx, "_workers", lambda files, size: 2 if files > 1 else 1)  # even on one CPU
    monkeypatch.setattr(idx, "_pool", lambda n: pools.append(real_pool(n)) or pools[-1])
    args = ("trade", "--facts", synthetic, "--year", "2010..2012", "--derived", "--format", "json")
    built = invoke(*args)
    assert pools and pools[0] is not None, "no worker processes were used"
    assert built.exit_code == 0 and built.stdout == invoke(*args, "--no-cache").stdout
    (db,) = databases(store)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
    assert files == len(list_files([SHIPPED, synthetic])[0])
    conn.close()


def test_a_build_without_worker_processes_still_works(store, synthetic, monkeypatch):
    monkeypatch.setattr(idx, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(idx, "_workers", lambda files, size: 2)
    monkeypatch.setattr(idx, "_pool", lambda n: None)  # a sandbox without semaphores, say
    args = ("trade", "--facts", synthetic, "--year", "2011", "--format", "json")
    assert invoke(*args).stdout == invoke(*args, "--no-cache").stdout


def _fts_built(store: Path) -> str | None:
    (db,) = databases(store)
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'fts_built'").fetchone()[0]
    finally:
        conn.close()


def test_full_text_search_is_built_by_the_first_search_and_dropped_by_an_edit(store, facts):
    if not idx._fts_available():
        pytest.skip("this sqlite3 has no FTS5 trigram tokenizer")
    base = ("--no-shipped", "--facts", facts, "--format", "json")
    assert invoke("trade", *base).exit_code == 0
    assert _fts_built(store) == "0"  # a build leaves it to the first search
    searched = invoke("trade", "--grep", "record peak", *base)
    assert searched.exit_code == 0 and "record peak" in searched.stdout
    assert _fts_built(store) == "1"
    assert searched.stdout == invoke("trade", "--grep", "record peak", *base, "--no-cache").stdout
    path = facts / "trade.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("surpassing the record peak", "surpassing the old peak"),
                    encoding="utf-8")
    assert invoke("trade", *base).exit_code == 0
    assert _fts_built(store) == "0"
    again = invoke("trade", "--grep", "record peak", *base)
    assert again.stdout == invoke("trade", "--grep", "record peak", *base, "--no-cache").stdout
    assert "surpassing the record peak" not in again.stdout


def test_facts_survive_being_stored_and_read_back(synthetic):
    from bricli.load.assemble import load

    base, _ = load([SHIPPED, synthetic])
    decoder = idx._Decoder()
    for fact in base.facts:
        assert decoder.fact(idx.encode_fact(fact), fact.loc.file) == fact


def test_json_text_writes_any_json_value_as_json_dumps_does():
    import random

    from bricli.present.indexed import json_text

    rng = random.Random(5)
    leaves = ["a", "é\u2028\"\\\n", "", None, True, False, 0, -3, 2 ** 70, 1.5, -0.0, 1e300, float("inf"), float("nan")]

    def value(depth=0):
        r = rng.random()
        if depth > 3 or r < 0.3:
            return rng.choice(leaves)
        if r < 0.6:
            return [value(depth + 1) for _ in range(rng.randrange(0, 4))]
        if r < 0.75:
            return tuple(value(depth + 1) for _ in range(rng.randrange(0, 3)))
        return {rng.choice(["k", "é", "x\ny"]) + str(i): value(depth + 1) for i in range(rng.randrange(0, 4))}

    for _ in range(3000):
        v = value()
        expected = json.dumps(v, ensure_ascii=False, indent=2)
        assert json_text(v) == expected
        assert json_text(v, "  ") == expected.replace("\n", "\n  ")


def test_full_text_search_is_dropped_when_a_file_is_removed(store, facts):
    """Removing a file changes which rows hold which words (derived values are stored again)
    even when no remaining file changed: the full-text index must not answer for the old rows."""
    if not idx._fts_available():
        pytest.skip("this sqlite3 has no FTS5 trigram tokenizer")
    extra = facts / "zz.yaml"  # stored last, just before the derived values
    extra.write_text((facts / "people.yaml").read_text(encoding="utf-8").replace("- id: ", "- id: copy-"),
                     encoding="utf-8")
    for path in facts.glob("*.yaml"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # old files: trusted by size and time, not read again
    args = ("search", "deficit", "--derived", "--no-shipped", "--facts", facts, "--format", "json")
    assert json.loads(invoke(*args).stdout)
    assert _fts_built(store) == "1"
    extra.unlink()
    after = invoke(*args)
    assert after.stdout == invoke(*args, "--no-cache").stdout and json.loads(after.stdout)


def test_a_base_from_a_clean_index_is_not_checked_again(store, facts, monkeypatch):
    """The build ran the checks across files and found nothing: commands that load the whole
    base from the index (show, report, country) do not run them again."""
    args = ("sources", "--no-shipped", "--facts", facts, "--format", "json")
    expected = invoke(*args).stdout  # builds the index, checks included
    monkeypatch.setattr(assemble, "base_problems", lambda *a: pytest.fail("checked again"))
    assert invoke(*args).stdout == expected
