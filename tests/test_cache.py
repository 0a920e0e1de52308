"""The cache of parsed fact files: used while a file is unchanged, never trusted otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bricli.load import cache, assemble as load
from bricli.load.assemble import load_file
from bricli.load.discover import shipped_facts_dir

SHIPPED = shipped_facts_dir()


@pytest.fixture
def facts(tmp_path) -> Path:
    d = tmp_path / "facts"
    shutil.copytree(SHIPPED, d)
    return d


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.bin")) if directory.exists() else []


def no_parsing(monkeypatch):
    def refuse(path, max_size=0):
        raise AssertionError(f"parsed {path} instead of using the cache")

    monkeypatch.setattr(cache, "load_file", refuse)


def test_cache_dir_honours_env_and_xdg(tmp_path):
    assert cache.cache_dir({"BRICLI_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "bricli"
    assert cache.cache_dir({"XDG_CACHE_HOME": "relative"}).parts[-2:] == (".cache", "bricli")


def test_hit_gives_what_parsing_gives(facts, tmp_path, monkeypatch):
    store = tmp_path / "cache"
    reader = cache.cached_reader(store)
    path = facts / "trade.yaml"
    first = reader(path)
    assert len(entries(store)) == 1
    no_parsing(monkeypatch)
    again = cache.cached_reader(store)(path)
    assert again == first == load_file(path)
    assert again.facts and again.facts[0].loc.file == str(path)


def test_whole_base_from_the_cache_equals_the_base_from_files(facts, tmp_path):
    store = tmp_path / "cache"
    plain = load.load([facts])
    load.load([facts], reader=cache.cached_reader(store))
    assert len(entries(store)) == len(list(facts.glob("*.yaml")))
    assert load.load([facts], reader=cache.cached_reader(store)) == plain


def test_problems_are_cached_too(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "bad.yaml").write_text("facts:\n  - id: x\n    type: figure\n    unit: ounces\n", encoding="utf-8")
    store = tmp_path / "cache"
    first = cache.cached_reader(store)(d / "bad.yaml")
    assert first.problems
    assert cache.cached_reader(store)(d / "bad.yaml").problems == first.problems


def test_stale_after_modification(facts, tmp_path):
    store = tmp_path / "cache"
    path = facts / "trade.yaml"
    before = cache.cached_reader(store)(path)
    text = path.read_text(encoding="utf-8").replace("US$307.4 billion", "US$307.4 billion!", 1)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even with an old mtime, the size differs
    after = cache.cached_reader(store)(path)
    assert after == load_file(path) != before


def test_same_size_new_mtime_is_stale(facts, tmp_path):
    store = tmp_path / "cache"
    path = facts / "trade.yaml"
    cache.cached_reader(store)(path)
    text = path.read_text(encoding="utf-8").replace("value: 307.4", "value: 307.5", 1)
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    got = cache.cached_reader(store)(path)
    assert got.facts[0].value.text == "307.5"


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "directory"])
def test_corrupt_entry_is_ignored_and_rebuilt(facts, tmp_path, damage):
    store = tmp_path / "cache"
    path = facts / "trade.yaml"
    good = cache.cached_reader(store)(path)
    (entry,) = entries(store)
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "garbage":
        entry.write_bytes(b"\x80\x04not a cache at all" * 100)
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        entry.unlink()
        entry.mkdir()
    assert cache.cached_reader(store)(path) == good
    if damage != "directory":
        assert cache.cached_reader(store)(path) == good


def test_valid_checksum_but_wrong_content_is_not_trusted(facts, tmp_path):
    import marshal
    import zlib

    store = tmp_path / "cache"
    path = facts / "trade.yaml"
    good = cache.cached_reader(store)(path)
    (entry,) = entries(store)
    payload = marshal.dumps(("not", "the", "right", "shape", 1))
    entry.write_bytes(cache.MAGIC + zlib.crc32(payload).to_bytes(4, "big") + len(payload).to_bytes(8, "big") + payload)
    assert cache.cached_reader(store)(path) == good


def test_version_change_invalidates(facts, tmp_path, monkeypatch):
    store = tmp_path / "cache"
    path = facts / "trade.yaml"
    cache.cached_reader(store)(path)
    calls = []
    real = cache.load_file
    monkeypatch.setattr(cache, "load_file", lambda p, m=0: calls.append(p) or real(p, m))
    monkeypatch.setattr(cache, "__version__", "999.0")
    cache.cached_reader(store)(path)
    assert calls == [path]
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + "+next")
    cache.cached_reader(store)(path)
    assert calls == [path, path]


def test_unwritable_cache_dir_does_not_break_anything(facts, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    reader = cache.cached_reader(blocker / "bricli")
    assert reader(facts / "trade.yaml") == load_file(facts / "trade.yaml")


# --- through the command line ----------------------------------------------------------------


def bricli(*args, cache_dir: Path, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRICLI_")}
    env["BRICLI_CACHE_DIR"] = str(cache_dir)
    return subprocess.run([sys.executable, "-m", "bricli", *args], env=env, capture_output=True, text=True, check=check)


def test_commands_fill_and_use_the_cache_and_no_cache_stays_out(facts, tmp_path):
    store = tmp_path / "cache"
    out = bricli("trade", "--year", "2018", "--format", "json", "--no-shipped", "--facts", str(facts), "--no-cache", cache_dir=store)
    assert entries(store) == []
    again = bricli("trade", "--year", "2018", "--format", "json", "--no-shipped", "--facts", str(facts), cache_dir=store)
    assert len(entries(store)) == len(list(facts.glob("*.yaml")))
    cached = bricli("trade", "--year", "2018", "--format", "json", "--no-shipped", "--facts", str(facts), cache_dir=store)
    assert out.stdout == again.stdout == cached.stdout


def test_check_never_uses_the_cache(facts, tmp_path):
    store = tmp_path / "cache"
    bricli("trade", "--no-shipped", "--facts", str(facts), cache_dir=store)
    before = {p: p.read_bytes() for p in entries(store)}
    # a poisoned entry that a cache-reading check would believe: the file itself is broken
    path = facts / "trade.yaml"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("unit: USD", "unit: UXD", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = bricli("check", "--no-shipped", "--facts", str(facts), cache_dir=store, check=False)
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert result.returncode == 1 and "UXD" in result.stdout
    assert {p: p.read_bytes() for p in entries(store)} == before  # check wrote nothing either


def test_unwritable_cache_dir_on_the_command_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = bricli("trade", "--year", "2018", "--format", "json", cache_dir=blocker / "sub")
    assert result.returncode == 0 and result.stdout.startswith("[") and result.stderr == ""
