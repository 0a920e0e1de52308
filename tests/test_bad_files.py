"""Bad fact files: each is refused with exit 1 and one clear line per problem.

The corpus lives in tests/fixtures/bad/ (one file, or one directory, per
rejection); cases that would be huge or need the file system's help (deep
nesting, an oversize file, a symlink loop, BOMs) are generated here.

For every case, both `bricli check` and a listing command (`bricli trade`):
exit 1; name the file, the line where it is knowable, the field path and the
fact id where they are knowable; give a hint ("fix: ..."); print no traceback;
and, for the listing command, print nothing at all on stdout. The hostile
cases also run in a subprocess under an address-space limit, timed and
measured (2 s, 200 MB).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bricli.model.limits import DEFAULT_MAX_FILE_SIZE
from conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "bad"
BRICLI = [sys.executable, "-m", "bricli"]
ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": "", "NO_COLOR": "1"}
TIME_LIMIT = 2.0  # seconds, per run (issue 6)
MEMORY_LIMIT_MB = 200  # peak resident set (issue 6)


@dataclass(frozen=True)
class Case:
    name: str  # a file or directory in tests/fixtures/bad/
    line: int | None  # line of the (first) problem, None when no line applies
    fragments: tuple[str, ...]  # in the message of the (first) problem
    field: str | None = None  # field path, as printed after "field "
    fact_id: str | None = None
    problems: int = 1  # how many problem lines
    extra: tuple[str, ...] = ()  # in the report somewhere (the other problems)


FACT = "trade-2018-total"
CASES = [
    Case("duplicate-key.yaml", 16, ("duplicate key 'unit'", "first at line 15"), "unit", FACT),
    Case("anchor-alias.yaml", 12, ("anchor &m is not allowed",), "metric", FACT, problems=2,
         extra=(":13: fact trade-2018-total: field description: alias *m is not allowed",)),
    Case("alias-bomb.yaml", 2, ("anchor &a is not allowed",), "a", None, problems=91,
         extra=("alias *h is not allowed",)),
    Case("self-alias.yaml", 1, ("anchor &loop is not allowed",), "facts", None, problems=3,
         extra=(":2: field facts[0]: alias *loop is not allowed",)),
    Case("python-tag.yaml", 10, ("tag !!python/object/apply:os.system is not allowed", "never constructs"), "label", FACT,
         problems=2),
    Case("impossible-date.yaml", 17, ("'2019-02-30' is not a real date",), "period", FACT),
    Case("tab-indent.yaml", 15, ("tab",), None, None),
    Case("country-no.yaml", 11, ("unquoted NO is read by YAML 1.1 as a boolean", "Norway is NOR"), "countries[1]", FACT),
    Case("boolean-text.yaml", 10, ("unquoted yes is read by YAML 1.1 as a boolean", 'quote it: "yes"'), "label", FACT,
         problems=2, extra=(":20: fact trade-2018-total: field source.section: unquoted on is read by YAML 1.1 as a boolean",)),
    Case("sexagesimal.yaml", 14, ("unquoted 1:20 is read by YAML 1.1 as a sexagesimal number",), "value", FACT),
    Case("leading-zero.yaml", 14, ("unquoted 012 is read by YAML 1.1 as an octal number",), "value", FACT),
    Case("unknown-field.yaml", 14, ("unknown field 'vlaue'", "did you mean 'value'?"), "vlaue", FACT),
    Case("quoted-number.yaml", 14, ("expected a number, found '307.4'", "without quotes"), "value", FACT),
    Case("countries-not-a-list.yaml", 11, ("expected a list of country codes", "'BRA'"), "countries", FACT),
    Case("missing-field.yaml", 7, ("missing required field 'label'",), "label", FACT),
    Case("unknown-enum.yaml", 15, ("'dollars' is not a valid unit", "USD"), "unit", FACT),
    Case("unknown-country.yaml", 11, ("unknown country code 'XYZ'",), "countries[1]", FACT),
    Case("unknown-source.yaml", 7, ("source 'no-such-source' is not in any sources list",), "source.id", FACT),
    Case("empty.yaml", 1, ("the file is empty",)),
    Case("list-of-scalars.yaml", 1, ("expected a mapping with 'sources' and/or 'facts', found a list",)),
    Case("two-documents.yaml", 22, ("more than one YAML document",)),
    Case("invalid-utf8.yaml", 10, ("not valid UTF-8", "0xff"), None, None),
    Case("latin1.yaml", 10, ("not valid UTF-8", "0xe3"), None, None),
    Case("raw-control-character.yaml", 10, ("character U+001B is not allowed",), None, None),
    Case("three-problems.yaml", 11, ("unknown country code 'XYZ'",), "countries[1]", FACT, problems=3,
         extra=(":15: fact trade-2018-total: field unit: 'dollars' is not a valid unit",
                ":16: fact trade-2018-total: field scale: 'billions' is not a valid scale")),
    Case("duplicate-ids", 7, ("fact id 'trade-2018-total' is already used at", "a.yaml:7"), "id", FACT),
    Case("no-yaml", None, ("no .yaml or .yml files in this directory",)),
]


def facts_from(case_path: Path, tmp_path: Path) -> Path:
    """A fresh fact directory holding only this case."""
    d = tmp_path / "facts"
    if case_path.is_dir():
        shutil.copytree(case_path, d)
    else:
        d.mkdir()
        shutil.copy(case_path, d / case_path.name)
    return d


def problem_lines(stderr: str) -> list[str]:
    """The problem lines of a run (not the summary that starts with 'bricli', nor its hint)."""
    return [line for line in stderr.splitlines() if line and not line.startswith(("bricli", "hint: "))]


def assert_refused(stdout: str, stderr: str, code: int, *, file: str, line: int | None, fragments, field=None,
                   fact_id=None, problems=None, extra=(), command="check"):
    out = stdout + stderr
    assert code == 1, out
    assert "Traceback" not in out and "Exception ignored" not in out, out
    if command == "check":
        lines = problem_lines(stdout)  # check's report goes to stdout, its summary to stderr
        assert "problem(s)" in stderr
    else:
        assert stdout == "", "a listing command printed data from a broken fact base"
        lines = problem_lines(stderr)
        assert "nothing was printed" in stderr
    assert lines, out
    first = lines[0]
    where = f"{file}:{line}:" if line else f"{file}:"
    assert where in first, first
    for fragment in fragments:
        assert fragment in first, first
    if fact_id:
        assert f"fact {fact_id}" in first, first
    if field:
        assert f"field {field}:" in first, first
    assert "(fix: " in first, "every problem says how to fix it"
    for text in extra:
        assert any(text in x for x in lines), (text, lines)
    if problems is not None:
        assert len(lines) == problems, lines
    for x in lines:  # one problem, one line: names its file, says how to fix it
        assert file in x and "(fix: " in x, x


def test_every_fixture_has_a_case():
    names = {c.name for c in CASES}
    assert {p.name for p in FIXTURES.iterdir()} == names


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("command", ["check", "trade"])
def test_bad_file_is_refused(case, command, tmp_path):
    d = facts_from(FIXTURES / case.name, tmp_path)
    started = time.monotonic()
    result = invoke([command, "--no-shipped", "--facts", str(d)], env=ENV)
    elapsed = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    file = {"duplicate-ids": "b.yaml", "no-yaml": "facts"}.get(case.name, case.name)  # "facts": the copied directory
    assert_refused(result.stdout, result.stderr, result.exit_code, file=file, line=case.line, fragments=case.fragments,
                   field=case.field, fact_id=case.fact_id, problems=case.problems, extra=case.extra, command=command)
    assert elapsed < TIME_LIMIT


def test_check_json_names_file_line_field_and_fact(tmp_path):
    import json

    d = facts_from(FIXTURES / "duplicate-key.yaml", tmp_path)
    result = invoke(["check", "--no-shipped", "--facts", str(d), "--format", "json"], env=ENV)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    (problem,) = doc["problems"]
    assert problem["file"].endswith("duplicate-key.yaml")
    assert (problem["line"], problem["field"], problem["fact_id"], problem["rule"]) == (16, "unit", FACT, "yaml")
    assert problem["hint"]


def test_all_problems_of_all_files_in_one_run(tmp_path):
    d = tmp_path / "facts"
    d.mkdir()
    for name in ("three-problems.yaml", "unknown-field.yaml", "empty.yaml", "tab-indent.yaml"):
        shutil.copy(FIXTURES / name, d / name)
    result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 1
    lines = problem_lines(result.stdout)
    # 3 + 1 + 1 + 1, and the source id that two of the files both define
    assert len(lines) == 7, lines
    assert sum("source id 'test-src' is already defined" in x for x in lines) == 1
    assert "7 problem(s)" in result.stderr


# --- hostile files: in a subprocess, under a memory limit, timed and measured ----------


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_limited(args: list[str], cwd: Path | None = None, env: dict | None = None):
    """Run bricli in a child with 1 GiB of address space; return (code, stdout, stderr, CPU seconds, peak MB).

    CPU time, not wall time: the cost of refusing a file is what matters, and a busy machine
    (CI, parallel work) stretches wall time without making bricli any slower."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(BRICLI + args, stdout=out, stderr=err, cwd=cwd,
                                env={**os.environ, **ENV, **(env or {})}, preexec_fn=_limit_memory)  # noqa: PLW1509 (no threads here)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, unlike RUSAGE_CHILDREN
        seconds = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    return proc.returncode, *text, seconds, usage.ru_maxrss / 1024


def _deep_flow(tmp: Path) -> str:
    return "facts: " + "[" * 100_000 + "]" * 100_000 + "\n"


def _deep_block(tmp: Path) -> str:
    # 200 levels of block mappings: well under the size limit, far over any real fact file
    return "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x\n"


def _deep_mapping(tmp: Path) -> str:
    return "facts: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n"


def _wide_alias_bomb(tmp: Path) -> str:
    # billions of laughs are refused before expansion; this one is wide instead: aliases up to the size limit
    text = "a: &a lol\nb:\n" + "  - *a\n" * (DEFAULT_MAX_FILE_SIZE // 7 - 4)
    assert len(text) <= DEFAULT_MAX_FILE_SIZE
    return text


HOSTILE = {
    # name: (text or generator, line, message fragment)
    "alias-bomb.yaml": (None, 2, "anchor &a is not allowed"),
    "self-alias.yaml": (None, 1, "anchor &loop is not allowed"),
    "deep-flow.yaml": (_deep_flow, 1, "nesting"),
    "deep-block.yaml": (_deep_block, 65, "nesting deeper than 64 levels"),
    "deep-mapping.yaml": (_deep_mapping, 1, "nesting deeper than 64 levels"),
    "wide-alias-bomb.yaml": (_wide_alias_bomb, 1, "anchor &a is not allowed"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_quickly_and_in_little_memory(name, tmp_path):
    make, line, fragment = HOSTILE[name]
    d = tmp_path / "facts"
    d.mkdir()
    if make is None:
        shutil.copy(FIXTURES / name, d / name)
    else:
        (d / name).write_text(make(tmp_path), encoding="utf-8")
    code, out, err, seconds, peak_mb = run_limited(["trade", "--no-shipped", "--facts", str(d)])
    assert_refused(out, err, code, file=name, line=line, fragments=(fragment,), command="trade")
    assert seconds < TIME_LIMIT, f"{seconds:.2f} s"
    assert peak_mb < MEMORY_LIMIT_MB, f"{peak_mb:.0f} MB"


def test_a_file_with_too_many_problems_stops_with_a_note(tmp_path):
    d = tmp_path / "facts"
    d.mkdir()
    (d / "many.yaml").write_text(_wide_alias_bomb(tmp_path)[:2000], encoding="utf-8")
    result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    lines = problem_lines(result.stdout)
    assert result.exit_code == 1
    assert len(lines) == 101 and "stopped reading this file after 100 problems" in lines[-1]


def test_python_tag_is_never_executed(tmp_path, monkeypatch):
    # The payload is live: an unsafe loader would run it and create the marker file...
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "bricli-was-here"
    text = (FIXTURES / "python-tag.yaml").read_text(encoding="utf-8")
    yaml.unsafe_load(text)
    assert marker.exists()
    marker.unlink()
    # ...bricli refuses the tag and constructs nothing, in every command that reads facts.
    d = facts_from(FIXTURES / "python-tag.yaml", tmp_path)
    for command in (["check"], ["trade"], ["search", "x"], ["sources"]):
        code, out, err, _, _ = run_limited([*command, "--no-shipped", "--facts", str(d)], cwd=tmp_path)
        assert code == 1 and "tag !!python/object/apply:os.system is not allowed" in out + err
        assert not marker.exists()


# --- size limit ------------------------------------------------------------------------


def test_file_over_the_default_size_limit_is_refused_unread(tmp_path):
    d = tmp_path / "facts"
    d.mkdir()
    big = d / "big.yaml"
    with big.open("wb") as fh:  # sparse: the limit + 1 byte, which cost nothing to write
        fh.truncate(DEFAULT_MAX_FILE_SIZE + 1)
    code, out, err, seconds, peak_mb = run_limited(["trade", "--no-shipped", "--facts", str(d)])
    assert_refused(out, err, code, file="big.yaml", line=None,
                   fragments=(f"file is {DEFAULT_MAX_FILE_SIZE + 1:,} bytes, over the limit of {DEFAULT_MAX_FILE_SIZE:,}", "--max-file-size"), command="trade")
    assert seconds < TIME_LIMIT and peak_mb < MEMORY_LIMIT_MB


def test_max_file_size_option_lowers_and_raises_the_limit(tmp_path):
    d = facts_from(FIXTURES / "unknown-field.yaml", tmp_path)
    (d / "unknown-field.yaml").write_text(
        (FIXTURES / "unknown-field.yaml").read_text(encoding="utf-8").replace("vlaue", "value"), encoding="utf-8")
    size = (d / "unknown-field.yaml").stat().st_size
    low = invoke(["check", "--no-shipped", "--facts", str(d), "--max-file-size", str(size - 1)], env=ENV)
    assert low.exit_code == 1 and "over the limit" in low.stdout and "--max-file-size" in low.stdout
    ok = invoke(["check", "--no-shipped", "--facts", str(d), "--max-file-size", str(size)], env=ENV)
    assert ok.exit_code == 0, ok.stdout


# --- directories -----------------------------------------------------------------------


def test_fact_directory_that_does_not_exist(tmp_path):
    missing = tmp_path / "no-such-dir"
    for command in ("check", "trade"):
        result = invoke([command, "--no-shipped", "--facts", str(missing)], env=ENV)
        assert_refused(result.stdout, result.stderr, result.exit_code, file="no-such-dir", line=None,
                       fragments=("fact directory does not exist", "--facts"), command=command)


def test_symlink_loop_is_reported_not_followed_forever(tmp_path):
    d = tmp_path / "facts"
    sub = d / "sub"
    sub.mkdir(parents=True)
    shutil.copy(FIXTURES / "unknown-field.yaml", d / "ok.yaml")
    (d / "ok.yaml").write_text((d / "ok.yaml").read_text(encoding="utf-8").replace("vlaue", "value"), encoding="utf-8")
    (sub / "back").symlink_to(d, target_is_directory=True)  # facts/sub/back -> facts
    (d / "a.yaml").symlink_to(d / "b.yaml")  # a file loop: a.yaml -> b.yaml -> a.yaml
    (d / "b.yaml").symlink_to(d / "a.yaml")
    for command in ("check", "trade"):
        started = time.monotonic()
        result = invoke([command, "--no-shipped", "--facts", str(d)], env=ENV)
        assert time.monotonic() - started < TIME_LIMIT
        assert result.exit_code == 1
        report = result.stdout if command == "check" else result.stderr
        assert "Traceback" not in report
        lines = problem_lines(report)
        assert any("back" in x and "symlink loop" in x for x in lines), lines
        assert any("a.yaml" in x and "looping symlink" in x for x in lines), lines
        assert any("b.yaml" in x and "looping symlink" in x for x in lines), lines
        assert len(lines) == 3, lines  # the real file is read once, not once per way to reach it


# --- encodings that must be accepted ----------------------------------------------------


@pytest.mark.parametrize("encoding,bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_byte_order_marks_are_accepted(encoding, bom, tmp_path):
    text = (FIXTURES / "unknown-field.yaml").read_text(encoding="utf-8").replace("vlaue", "value")
    text = text.replace("China–Latin America trade volume", "Comércio São Paulo–Pequim")
    d = tmp_path / "facts"
    d.mkdir()
    (d / "bom.yaml").write_bytes(bom + text.encode(encoding))
    check = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert check.exit_code == 0, check.stdout
    listing = invoke(["trade", "--no-shipped", "--facts", str(d), "--format", "json"], env=ENV)
    assert listing.exit_code == 0
    import json

    assert json.loads(listing.stdout)[0]["label"] == "Comércio São Paulo–Pequim"


def test_utf16_without_a_bom_is_refused(tmp_path):
    d = tmp_path / "facts"
    d.mkdir()
    (d / "nobom.yaml").write_bytes("facts: []\n".encode("utf-16-le"))
    result = invoke(["check", "--no-shipped", "--facts", str(d)], env=ENV)
    assert result.exit_code == 1 and "Traceback" not in result.stdout
    assert "nobom.yaml" in result.stdout and "(fix: " in result.stdout
