"""Issue 24: "never lose a byte, never run a script". Each item of the issue, with variants."""

from __future__ import annotations

import os

import pytest

from conftest import invoke

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}


def _no_traceback(result, codes=(1, 2)):
    assert result.exit_code in codes, (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr


# --- numbers: one function, bounded --------------------------------------------------------


@pytest.mark.parametrize("command", [["trade"], ["risks"], ["search", "China"], ["timeline"]])
@pytest.mark.parametrize("limit", ["9" * 4301, "9" * 20000, "1" + "0" * 4400, "-" + "9" * 5000, "1e9999", "9" * 16])
def test_huge_limit_is_a_usage_error_in_every_listing(command, limit):
    result = invoke([*command, "--limit", limit, "-f", "json"], env=ENV)
    _no_traceback(result, (2,))
    assert "--limit: expected a whole number" in result.stderr
    assert len(result.stderr) < 400  # the value is clipped, not echoed whole


@pytest.mark.parametrize("size", ["-5", "0", "-0", "9" * 5000, "1.5", "x"])
def test_max_file_size_out_of_bounds_is_refused_on_the_command_line(size):
    result = invoke(["trade", "--max-file-size", size], env=ENV)
    _no_traceback(result, (2,))
    assert "--max-file-size: expected a whole number from 1" in result.stderr


@pytest.mark.parametrize("size", ["1_000_000", "2000000", " 2000000", "2000000.0"])
def test_max_file_size_in_range_is_taken(size):
    assert invoke(["trade", "--max-file-size", size, "-f", "json"], env=ENV).exit_code == 0


@pytest.mark.parametrize("call", [
    {"limit": "9" * 5000}, {"limit": 2**20000}, {"limit": -(2**20000)}, {"limit": 10**16},
    {"year": 2**20000}, {"year": -(2**20000)}, {"year": [2018, 10**5000]}, {"year": "9" * 5000},
    {"max_file_size": 2**20000}, {"max_file_size": "9" * 5000}, {"max_file_size": 0}, {"max_file_size": -5},
])
def test_api_numbers_of_any_size_raise_query_error(call):
    from bricli.api import QueryError, records

    with pytest.raises(QueryError) as info:
        records("trade", **call)
    assert len(str(info.value)) < 300


def test_whole_number_bounds_and_forms():
    from bricli.model.arguments import ArgumentError, whole_number

    assert whole_number("10") == 10 and whole_number(" +1_000 ") == 1000 and whole_number("7.00") == 7
    assert whole_number(5, lo=5, hi=5) == 5
    for bad in ("", " ", "1e3", "1.5", "0x10", "١٢", "1__0", "_1", "1_", "--1", True, 1.0, None, [1], "9" * 41):
        with pytest.raises(ArgumentError):
            whole_number(bad)
    with pytest.raises(ArgumentError):
        whole_number(4, lo=5)
    with pytest.raises(ArgumentError):
        whole_number(2**100000)


# --- paths: one function --------------------------------------------------------------------


BAD_USER = "~no-such-user-bricli-24"


@pytest.mark.parametrize("path", [BAD_USER, BAD_USER + "/facts", "~" + "x" * 300, "a\x00b", "d/" * 3000])
@pytest.mark.parametrize("command", [["trade"], ["check"], ["export", "out.db"], ["sources"]])
def test_a_bad_facts_path_is_a_problem_as_through_the_environment(tmp_path, monkeypatch, path, command):
    monkeypatch.chdir(tmp_path)
    by_option = invoke([*command, "--facts", path], env=ENV)
    by_env = invoke(command, env={**ENV, "BRICLI_FACTS": path.replace("\x00", "")})
    for result in (by_option, by_env):
        _no_traceback(result, (1,))
        assert "fact directory" in result.stdout + result.stderr
        assert len(result.stderr) < 2000
    assert not (tmp_path / "out.db").exists()


@pytest.mark.parametrize("value", [BAD_USER, f"{BAD_USER}/x", "a\x01b"])
def test_bad_bricli_facts_is_a_problem(value):
    result = invoke(["trade"], env={**ENV, "BRICLI_FACTS": value})
    _no_traceback(result, (1,))
    assert "fact directory" in result.stderr


def test_over_long_output_path_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for path in ("x" * 300 + ".json", "d/" * 2100 + "x.json", f"{BAD_USER}/x.json"):
        result = invoke(["trade", "-o", path], env=ENV)
        _no_traceback(result, (2,))


@pytest.mark.parametrize("facts", ["\x00", "a\x00b", BAD_USER, [".", BAD_USER], "x" * 5000, "d/" * 3000])
def test_api_bad_facts_path_raises_query_error(facts):
    from bricli.api import QueryError, records

    with pytest.raises(QueryError):
        records("trade", facts=facts)


def test_path_argument_expands_home_and_refuses_the_rest():
    from bricli.model.arguments import ArgumentError, path_argument

    assert str(path_argument("~/x")) == os.path.join(os.path.expanduser("~"), "x")
    assert str(path_argument(b"abc")) == "abc"
    for bad in ("", "\x00", "a\x00", BAD_USER, "n" * 256, "/" + "a/" * 2049, 5, None):
        with pytest.raises(ArgumentError):
            path_argument(bad)


def test_unreadable_fact_directory_exits_the_same_however_named(tmp_path, monkeypatch):
    """click refused an unreadable --facts with exit 2, while $BRICLI_FACTS gave 1."""
    d = tmp_path / "facts"
    d.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == str(d) else real_access(p, mode, **kw))
    by_option = invoke(["trade", "--no-shipped", "--facts", str(d)], env=ENV)
    by_env = invoke(["trade", "--no-shipped"], env={**ENV, "BRICLI_FACTS": str(d)})
    assert by_option.exit_code == by_env.exit_code == 1, (by_option.stderr, by_env.stderr)


# --- writing files: never lose a byte ---------------------------------------------------------

import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

BRICLI = [sys.executable, "-m", "bricli"]
PROC_ENV = {k: v for k, v in os.environ.items() if k not in ("BRICLI_FACTS", "BRICLI_FORMAT")}


def _run(args, cwd, stdout=subprocess.PIPE):
    return subprocess.run([*BRICLI, *args], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True,
                          env=PROC_ENV, timeout=120)


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout")
@pytest.mark.parametrize("name", ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/1", "log.txt"])
@pytest.mark.parametrize("force", [True, False])
def test_output_to_the_file_behind_stdout_appends_never_replaces(tmp_path, name, force):
    if not os.path.exists(name.replace("self", str(os.getpid()))) and name != "log.txt":
        pytest.skip(f"no {name}")
    log = tmp_path / "log.txt"
    log.write_text("line1\nline2\n", encoding="utf-8")
    inode = log.stat().st_ino
    for _ in range(2):
        with open(log, "a", encoding="utf-8") as out:
            result = _run(["trade", "-o", name, "-f", "csv", *(["--force"] if force else [])], tmp_path, stdout=out)
        assert result.returncode == 0, result.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("line1\nline2\nid,") and text.count("\nid,") == 2
    assert log.stat().st_ino == inode  # written into, not replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt"]


def test_export_to_the_file_behind_stdout_is_refused(tmp_path):
    log = tmp_path / "log.db"
    log.write_text("keep\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as out:
        result = _run(["export", "/dev/stdout", "--format", "sqlite", "--force"], tmp_path, stdout=out)
    assert result.returncode == 1 and "stdout" in result.stderr
    assert log.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="giving a file to another owner needs root")
@pytest.mark.parametrize("mode", [0o6755, 0o4755, 0o2755, 0o2775, 0o4700])
@pytest.mark.parametrize("owner", [(1000, 1000), (0, 1000), (1000, 0)])
def test_force_keeps_setuid_and_setgid_of_another_owner(tmp_path, monkeypatch, mode, owner):
    monkeypatch.chdir(tmp_path)
    for name, args in (("out.csv", ["trade", "-o", "out.csv"]), ("out.db", ["export", "out.db"])):
        target = tmp_path / name
        target.write_text("old\n", encoding="utf-8")
        os.chown(target, *owner)
        os.chmod(target, mode)
        if name == "out.db":
            (tmp_path / "out.metadata.json").unlink(missing_ok=True)
        result = invoke([*args, "--force"], env=ENV)
        assert result.exit_code == 0, result.stderr
        info = target.stat()
        assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (mode, *owner)


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then), follow_symlinks=False)


@pytest.mark.parametrize("command", [["trade", "-o", "out.json"], ["export", "out.db"], ["export", "out-csv"]])
def test_stale_temporary_files_are_removed_by_the_next_write(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    stale = [".out.db.ab1_cdef.tmp", ".out.json.k2n9xq0z.tmp", ".x.0123abcd.bricli-tmp", ".out-csv.u7w8e9r0.old"]
    for name in stale:
        (tmp_path / name).write_bytes(b"x" * 100)
        _age(tmp_path / name, 2)
    old_dir = tmp_path / ".out-csv.0a1b2c3d.bricli-tmp"
    old_dir.mkdir()
    (old_dir / "facts.csv").write_text("x", encoding="utf-8")
    _age(old_dir, 3)
    kept = [".fresh.db.abcdefgh.tmp", ".notes.tmp", "keep.abcdefgh.tmp", ".x.abcdefgh.tmp.bak"]
    for name in kept:
        (tmp_path / name).write_text("mine", encoding="utf-8")
    _age(tmp_path / ".notes.tmp", 5)
    _age(tmp_path / "keep.abcdefgh.tmp", 5)
    _age(tmp_path / ".x.abcdefgh.tmp.bak", 5)
    someones_dir = tmp_path / ".project.abcdefgh.tmp"  # an old-style name, but a directory: not ours to remove
    someones_dir.mkdir()
    _age(someones_dir, 5)
    result = invoke(command, env=ENV)
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert not names & {*stale, old_dir.name}
    assert set(kept) | {someones_dir.name} <= names


def test_remove_stale_keeps_recent_and_foreign_files(tmp_path):
    from bricli.files import remove_stale

    recent = tmp_path / ".a.12345678.bricli-tmp"
    recent.write_text("x", encoding="utf-8")
    link = tmp_path / ".b.12345678.bricli-tmp"
    link.symlink_to(recent)
    _age(link, 3)
    assert remove_stale(tmp_path) == 0
    assert remove_stale(tmp_path, now=time.time() + 2 * 86400) == 1 and not recent.exists() and link.is_symlink()
    assert remove_stale(tmp_path / "missing") == 0


@pytest.mark.parametrize("size", [246, 250, 255])
def test_long_valid_names_are_written(tmp_path, monkeypatch, size):
    monkeypatch.chdir(tmp_path)
    for args, name in ((["trade", "-o"], "j" * (size - 5) + ".json"), (["export"], "c" * size),
                       (["export", "--format", "csv-dir"], "d" * (size - 4) + ".dir")):
        result = invoke([*args, name], env=ENV)
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / name).exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.parametrize("size", [246, 250, 255])
def test_a_db_whose_metadata_name_is_too_long_names_the_metadata(tmp_path, monkeypatch, size):
    monkeypatch.chdir(tmp_path)
    name = "b" * (size - 3) + ".db"
    result = invoke(["export", name], env=ENV)
    assert result.exit_code == 1
    assert ".metadata.json: its name is too long" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # checked before either file is written


@pytest.mark.parametrize("args", [["export", "loop", "--force"], ["export", "loop"], ["export", "loop", "--format", "csv-dir", "--force"],
                                  ["export", "loop.db", "--force"], ["trade", "-o", "loop.json", "--force"], ["trade", "-o", "loop.json"]])
def test_a_symlink_loop_as_destination_is_refused(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    os.symlink("loop", "loop")
    os.symlink("loop.db", "loop.db")
    os.symlink("loop.json", "loop.json")
    result = invoke(args, env=ENV)
    _no_traceback(result, (1, 2))
    assert "loop" in result.stderr


@pytest.mark.parametrize("name", [" ", "   ", " facts", "facts ", ".db", ".sqlite", ".parquet", ".csv", "."])
def test_blank_or_extension_only_export_names_are_refused(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    result = invoke(["export", name], env=ENV)
    _no_traceback(result, (2,))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, suffix", [(["trade", "-o"], ".json"), (["export"], ".db"), (["export"], "")])
def test_write_errors_shorten_a_long_path(tmp_path, args, suffix):
    path = str(tmp_path / "missing") + "/" + "/".join(["p" * 200] * 15) + "/out" + suffix
    result = invoke([*args, path], env=ENV)
    _no_traceback(result, (1,))
    assert len(result.stderr) < 600 and "…" in result.stderr


def test_output_and_export_work_under_a_working_directory_deeper_than_path_max(tmp_path):
    deep = tmp_path
    here = os.getcwd()
    try:
        os.chdir(tmp_path)
        for _ in range(22):  # 22 × 201 bytes: past Linux's PATH_MAX of 4096
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
            deep = deep / ("d" * 200)
        for args in (["trade", "-o", "x.json"], ["export", "x.db"], ["export", "x-csv"], ["export", "x.db", "--force"]):
            result = subprocess.run([*BRICLI, *args], capture_output=True, text=True,
                                    env=PROC_ENV, timeout=120)
            assert result.returncode == 0, (args, result.stderr)
        assert sorted(os.listdir(".")) == ["x-csv", "x.db", "x.json", "x.metadata.json"]
    finally:
        os.chdir(here)


# --- a reader that left: 141 for help and version too --------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"], ["-V"], ["trade", "--help"], ["export", "--help"],
                                  ["check", "-h"], ["--show-completion", "bash"], ["schema"], ["trade", "-f", "json"]])
def test_a_closed_pipe_exits_141_for_help_and_version_too(args):
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| true` that has already exited
    try:
        result = subprocess.run([*BRICLI, *args], stdout=write_end, stderr=subprocess.PIPE, text=True, env=PROC_ENV, timeout=60)
    finally:
        os.close(write_end)
    assert result.returncode == 141, (result.returncode, result.stderr)
    assert result.stderr == ""


# --- one rule for URLs -----------------------------------------------------------------------

BAD_URLS = ["javascript:alert(document.domain)//https://example.org", "JaVaScRiPt:alert(1)", "data:text/html,<script>1</script>",
            "vbscript:msgbox(1)", "file:///etc/passwd", "//example.org/x", "example.org", "https://", "http:/example.org",
            "https://exa mple.org", "https://example.org/\u202egnp.exe", "https://example.org/\u200b", "ftp://example.org",
            " https://example.org", "https://example.org/\"onmouseover=\"x", "https://<b>/", "https://@/x", "https://:80/"]
GOOD_URLS = ["http://example.org", "https://example.org/a?b=c&d=e#f", "HTTPS://EXAMPLE.ORG/", "https://es.wikipedia.org/wiki/Perú",
             "https://user@example.org:8080/x", "http://[::1]:8001/"]


def _source_file(d: Path, url: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "s.yaml").write_text(
        "sources:\n  - id: test-src\n    title: \"A test source\"\n    date: \"2020-01\"\n"
        f"    url: {json_quote(url)}\n"
        "facts:\n  - id: trade-x\n    type: figure\n    topic: trade\n    label: \"x\"\n    metric: trade\n    direction: total\n"
        "    countries: [CHN, LCN]\n    value: 5\n    unit: USD\n    scale: billion\n    period: \"2018\"\n"
        "    source: {id: test-src, section: \"S\", quote: \"q\"}\n", encoding="utf-8")
    return d


def json_quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=True)


@pytest.mark.parametrize("url", BAD_URLS)
def test_check_refuses_every_url_but_http_and_https(tmp_path, url):
    d = _source_file(tmp_path / "f", url)
    result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 1 and "field url" in result.stdout, result.stdout
    exported = invoke(["export", str(tmp_path / "x.db"), "--no-shipped", "--facts", str(d)], env=ENV)
    assert exported.exit_code == 1 and not (tmp_path / "x.metadata.json").exists()


@pytest.mark.parametrize("url", GOOD_URLS)
def test_check_takes_http_and_https_urls(tmp_path, url):
    d = _source_file(tmp_path / "f", url)
    result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("url", BAD_URLS)
def test_outputs_that_make_links_link_only_http_and_https(url):
    """Even from a base that bypassed check: the metadata and the brief make no link of it."""
    from bricli.model.facts import FactBase, Source
    from bricli.present.brief.data import SourceInfo
    from bricli.present.database import datasette_metadata
    from bricli.render import brief_markdown

    base = FactBase([], {"s": Source("s", "T", "2020", url=url)}, [], [])
    assert "source_url" not in datasette_metadata("facts", base, "all facts", False)
    text = brief_markdown._source_text(SourceInfo("s", "T", "2020", url))
    assert "](" not in text
    assert "<" not in brief_markdown._where("T", "", url)


@pytest.mark.parametrize("url", [u for u in GOOD_URLS if "(" not in u])
def test_http_urls_are_still_linked(url):
    from bricli.model.facts import FactBase, Source
    from bricli.present.database import datasette_metadata

    base = FactBase([], {"s": Source("s", "T", "2020", url=url)}, [], [])
    assert datasette_metadata("facts", base, "all facts", False)["source_url"] == url


# --- fact files: opened once, refusing symlinks, the file the walk listed ------------------------

SECRET = "TOP-SECRET-LINE-24"


def _fact_dir_and_secret(tmp_path: Path) -> tuple[Path, Path]:
    d = _source_file(tmp_path / "facts", "https://example.org")
    outside = tmp_path / "outside.yaml"
    outside.write_text(f"sources:\n  - id: \"{SECRET}\"\n", encoding="utf-8")  # a bad id: its message would quote it
    return d, outside


@pytest.mark.parametrize("swap", ["symlink", "other-file", "symlink-to-inside-copy"])
def test_a_file_swapped_after_the_walk_is_not_read(tmp_path, swap):
    from bricli.load.assemble import load_file
    from bricli.load.discover import list_files

    d, outside = _fact_dir_and_secret(tmp_path)
    files, problems = list_files([d])
    assert problems == [] and files == [d / "s.yaml"]
    target, spare = d / "s.yaml", d / ".spare"
    if swap == "symlink":
        spare.symlink_to(outside)
    elif swap == "other-file":
        spare.write_text(outside.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        (d / "copy").write_text(outside.read_text(encoding="utf-8"), encoding="utf-8")
        spare.symlink_to(d / "copy")
    os.replace(spare, target)
    result = load_file(files[0])
    text = " ".join(str(p) for p in result.problems)
    assert SECRET not in text and "replaced or made a symlink" in text


def test_a_symlink_given_directly_is_not_followed(tmp_path):
    from bricli.load.assemble import load_file

    _, outside = _fact_dir_and_secret(tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(outside)
    assert SECRET not in " ".join(str(p) for p in load_file(link).problems)


def test_a_file_swapping_with_a_symlink_never_shows_the_outside_file(tmp_path):
    import threading

    d, outside = _fact_dir_and_secret(tmp_path)
    good = (d / "s.yaml").read_bytes()
    stop = threading.Event()

    def swapper():
        spare_link, spare_file = d / ".link", d / ".file"
        while not stop.is_set():
            spare_link.unlink(missing_ok=True)
            spare_link.symlink_to(outside)
            os.replace(spare_link, d / "s.yaml")
            spare_file.write_bytes(good)
            os.replace(spare_file, d / "s.yaml")

    thread = threading.Thread(target=swapper, daemon=True)
    thread.start()
    try:
        for _ in range(60):
            result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
            assert SECRET not in result.stdout + result.stderr
            assert result.exit_code in (0, 1)
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("link", ["subl", "a-link", "zz"])
def test_a_symlink_to_a_sibling_directory_is_no_loop(tmp_path, link):
    d = _source_file(tmp_path / "facts", "https://example.org")
    sub = d / "sub"
    sub.mkdir()
    (sub / "t.yaml").write_text("facts:\n" + (d / "s.yaml").read_text(encoding="utf-8").split("facts:\n")[1].replace("trade-x", "trade-y"),
                                encoding="utf-8")
    (d / link).symlink_to("sub")
    result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "loop" not in result.stdout + result.stderr


def test_a_real_loop_is_still_reported(tmp_path):
    d = _source_file(tmp_path / "facts", "https://example.org")
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to("..")
    result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 1 and "symlink loop" in result.stdout


# --- problems capped in total ----------------------------------------------------------------


def _many_bad_files(d: Path, files: int, per_file: int) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        items = "".join(f"  - id: BAD_{i}_{j}\n" for j in range(per_file))
        (d / f"f{i:04d}.yaml").write_text("sources:\n" + items, encoding="utf-8")
    return d


@pytest.mark.parametrize("files, per_file", [(40, 60), (1200, 1), (11, 100)])
def test_problems_are_capped_in_total_with_a_count_of_the_rest(tmp_path, files, per_file):
    from bricli.model.limits import MAX_TOTAL_PROBLEMS

    d = _many_bad_files(tmp_path / "bad", files, per_file)
    check = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    lines = check.stdout.splitlines()
    assert check.exit_code == 1 and len(lines) <= MAX_TOTAL_PROBLEMS + 1
    assert "stopped at 1,000 problems" in lines[-1] and ("not shown" in lines[-1] or "not read" in lines[-1])
    listing = invoke(["trade", "--no-shipped", "--facts", str(d), "--no-cache"], env=ENV)
    assert listing.exit_code == 1 and len(listing.stderr.splitlines()) <= MAX_TOTAL_PROBLEMS + 3
    as_json = invoke(["check", "--no-shipped", "--facts", str(d), "-f", "json"], env=ENV)
    import json

    assert len(json.loads(as_json.stdout)["problems"]) == MAX_TOTAL_PROBLEMS + 1


def test_fewer_problems_than_the_cap_are_all_shown(tmp_path):
    d = _many_bad_files(tmp_path / "bad", 5, 10)
    check = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert check.exit_code == 1 and "stopped at" not in check.stdout
    assert check.stdout.count("BAD_") >= 50


def test_cap_problems_counts_what_it_leaves_out():
    from bricli.load.assemble import cap_problems
    from bricli.model.problems import Problem

    many = [Problem("schema", "f", i, "x") for i in range(2500)]
    capped = cap_problems(many, 3, "dir")
    assert len(capped) == 1001 and "1,500 more problem(s) not shown, 3 fact file(s) not read" in capped[-1].message
    assert cap_problems(many[:10]) == many[:10]


# --- invisible characters, formula injection in plain -o ------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u2060", "\u2062", "\u180e", "\u034f", "\U000e0041", "\U000e007f"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_format_characters_are_escaped_for_the_terminal(char):
    from bricli.render.sanitize import escape_unsafe, terminal_safe

    text = f"Bra{char}zil"
    shown = terminal_safe(text)
    assert char not in shown and "Bra\\" in shown
    import json

    assert json.loads('"' + escape_unsafe(text) + '"') == text  # JSON on a terminal still reads back the same


@pytest.mark.parametrize("char", ["\u200b", "\u00ad", "\U000e0041"])
def test_invisible_characters_in_a_fact_never_reach_the_terminal_unescaped(tmp_path, char):
    d = _source_file(tmp_path / "f", "https://example.org")
    text = (d / "s.yaml").read_text(encoding="utf-8").replace('label: "x"', f'label: "Bra{char}zil"')
    (d / "s.yaml").write_text(text, encoding="utf-8")
    for fmt in ("plain", "table"):
        result = invoke(["trade", "--no-shipped", "--facts", str(d), "-f", fmt, "--no-cache"], env=ENV)
        assert result.exit_code == 0 and char not in result.stdout and "Bra" in result.stdout


@pytest.mark.parametrize("label", ["=HYPERLINK(\\\"http://x\\\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"])
def test_plain_written_with_o_is_protected_against_formulas(tmp_path, monkeypatch, label):
    monkeypatch.chdir(tmp_path)
    d = _source_file(tmp_path / "f", "https://example.org")
    text = (d / "s.yaml").read_text(encoding="utf-8").replace('label: "x"', f'label: "{label}"')
    (d / "s.yaml").write_text(text, encoding="utf-8")
    for args in (["-o", "x.txt", "--force"], ["-f", "plain", "-o", "x.out", "--force"]):
        result = invoke(["trade", "--no-shipped", "--facts", str(d), *args], env=ENV)
        assert result.exit_code == 0, result.stderr
        written = (tmp_path / args[-2]).read_text(encoding="utf-8")
        cells = [c for line in written.splitlines()[1:] for c in line.split("\t")]
        assert not any(c.startswith(("=", "+", "@")) for c in cells), cells
    stdout = invoke(["trade", "--no-shipped", "--facts", str(d), "-f", "plain"], env=ENV)
    assert label.replace("\\\"", '"') in stdout.stdout  # stdout is left exactly as the data is


def test_plain_o_leaves_figures_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["trade", "--year", "2018", "-o", "x.txt"], env=ENV)
    assert result.exit_code == 0
    written = (tmp_path / "x.txt").read_text(encoding="utf-8")
    assert "\t+18.9%" in written and "'+" not in written


# --- encodings: UTF-16 without a BOM whatever its first characters ------------------------------

_YAML = "facts:\n  - id: x\n    label: \"{}\"\n"


@pytest.mark.parametrize("first", ["中文注释", "😀😀😀😀" * 200, "中文" * 3000, "ŁĀĂ", ""])
@pytest.mark.parametrize("codec, name", [("utf-16-le", "UTF-16-LE"), ("utf-16-be", "UTF-16-BE"),
                                         ("utf-32-le", "UTF-32-LE"), ("utf-32-be", "UTF-32-BE")])
def test_wide_encodings_without_bom_are_named_whatever_comes_first(first, codec, name):
    from bricli.load.yamlread import YamlProblem, decode

    data = ("# " + first + "\n" + _YAML.format(first)).encode(codec)
    with pytest.raises(YamlProblem) as info:
        decode(data)
    assert f"looks like {name} without a byte order mark" in str(info.value)
    with pytest.raises(YamlProblem) as info:
        decode(b"\xef\xbb\xbf" + data)
    assert f"looks like {name} without a byte order mark after a UTF-8 byte order mark" in str(info.value)


@pytest.mark.parametrize("text", ["中文注释: x\n", "😀: x\n", "São: x\n", "facts: []\n"])
def test_utf8_and_utf16_with_bom_still_read(text):
    from bricli.load.yamlread import decode

    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("utf-16")) == text


@pytest.mark.parametrize("fmt", ["csv-dir", "sqlite"])
def test_an_export_name_with_an_undecodable_byte_is_written(tmp_path, monkeypatch, fmt):
    """Found by the fuzzer: the directory's metadata.json could not encode the name."""
    monkeypatch.chdir(tmp_path)
    name = "x\udcff" + (".db" if fmt == "sqlite" else "")
    result = invoke(["export", name, "--format", fmt], env=ENV)
    assert result.exit_code == 0, (result.stderr, result.exception)


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM")
@pytest.mark.parametrize("target", ["x.db", "x-csv", "x.json"])
def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path, target):
    import signal

    child = f"""
import sys, time
import bricli.cli.writers as w, bricli.files as f
def slow(*a, **k):
    sys.stderr.write("ready\\n"); sys.stderr.flush(); time.sleep(60)
w._fill = slow; w._csv = slow
_orig = f._fsync_file
f._fsync_file = lambda p: (slow() if str(p).endswith('.bricli-tmp') else _orig(p))
sys.argv = ["bricli", *{(["trade", "-o", target] if target.endswith(".json") else ["export", target])!r}]
from bricli.cli.main import run
run()
"""
    proc = subprocess.Popen([sys.executable, "-c", child], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=PROC_ENV)
    try:
        assert proc.stderr.readline() == "ready\n"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
