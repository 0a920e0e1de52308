"""A small property-based fuzzer of fact files (issue 11).

Mutations of the shipped trade facts — a character deleted, inserted or replaced
by one YAML cares about, a line doubled or dropped, the file cut short, a number
changed — go through `check` and a listing. Whatever the mutation:
- never a traceback: exit 0 or 1, nothing else;
- never a figure from a base with problems: when `check` exits 1, the listing exits 1
  with nothing on stdout; when `check` passes, so does the listing.

The command-line numbers and paths (issue 24) are fuzzed too: whatever is given to
--limit, --max-file-size, --year, --facts, -o or `export` (and to the API's limit, year,
max_file_size and facts), the result is an exit of 0, 1 or 2 (a QueryError in the API),
one short message, never a traceback, never a file outside the working directory.

Bounded to a few seconds by default; BRICLI_FUZZ_EXAMPLES=2000 for a long run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import invoke

FACTS = Path(__file__).resolve().parent.parent / "facts"
TRADE = (FACTS / "trade.yaml").read_bytes()
ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
FUZZ = settings(
    max_examples=int(os.environ.get("BRICLI_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# What the fuzzer of the issue found crashes with: quotes and brackets left open,
# structure characters, numbers at the edges, encodings, controls.
SPECIAL = [b'"', b"'", b"[", b"{", b"]", b"}", b":", b": ", b"- ", b"#", b"\t", b"\n", b"&a ", b"*a", b"!!python/none ",
           b"-", b"0", b"9" * 40, b".", b"-0", b"0001", b"\xc3\xa9", b"\xff", b"\x00", b"\x1b[31m", b"\xef\xbb\xbf",
           b"@user https://x.org ", b"\\u0301", b"NO", b"1:20", b"~", b"|", b">"]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(TRADE)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "line", "cut", "number"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(SPECIAL))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif kind == "replace":
            data[at : at + 1] = draw(st.sampled_from(SPECIAL))
        elif kind == "line":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i + 1] = [] if draw(st.booleans()) else [lines[i], lines[i]]
            data = bytearray(b"\n".join(lines))
        elif kind == "cut":
            del data[at:]
            if draw(st.booleans()):
                data += b"\n"
        else:  # a stated number, changed: arithmetic must then catch it or it must still agree
            start = bytes(data).find(b"value: ", at)
            if start >= 0:
                end = bytes(data).find(b"\n", start)
                data[start + 7 : end] = draw(st.sampled_from([b"407.4", b"0", b"-1", b"1e5", b"99999999999999999", b"0.0000000000000001"]))
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_fact_files_never_crash_nor_print_figures_from_a_broken_base(tmp_path_factory, data):
    d = tmp_path_factory.mktemp("fuzz")
    shutil.copy(FACTS / "sources.yaml", d / "sources.yaml")
    (d / "trade.yaml").write_bytes(data)
    base = ["--no-shipped", "--facts", str(d)]

    check = invoke(["check", *base, "--format", "json"], env=ENV)
    assert check.exit_code in (0, 1), (check.exit_code, check.stderr, check.exception)
    assert check.exception is None or isinstance(check.exception, SystemExit), repr(check.exception)
    report = json.loads(check.stdout)
    assert report["ok"] == (check.exit_code == 0)

    for command in (["trade", "-f", "json"], ["trade", "-f", "markdown"], ["report", "trade"]):
        listing = invoke([*command, *base, "--no-cache"], env=ENV)
        assert listing.exception is None or isinstance(listing.exception, SystemExit), repr(listing.exception)
        if check.exit_code == 1:
            assert listing.exit_code == 1, (command, report["problems"][:3])
            assert listing.stdout == ""
            assert "nothing was printed" in listing.stderr
        else:
            assert listing.exit_code == 0, (command, listing.stderr)
    if check.exit_code == 0:
        rows = json.loads(invoke(["trade", "-f", "json", *base, "--no-cache"], env=ENV).stdout)
        for row in rows:  # every number a JSON reader takes back as the same finite value
            assert row["value"] is None or json.dumps(row["value"]) not in ("Infinity", "-Infinity", "NaN")


# --- the command line's numbers and paths (issue 24) -----------------------------------------------

NUMBER_PIECES = ["0", "1", "9", "-", "+", "_", ".", " ", "e", "x", "\u0661", "\uff11", "9" * 20, "9" * 4301, "0" * 50, "\x00", ","]
numbers = st.one_of(
    st.lists(st.sampled_from(NUMBER_PIECES), min_size=0, max_size=6).map("".join),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=12),
)


@FUZZ
@given(option=st.sampled_from(["--limit", "--max-file-size", "--year"]), value=numbers)
def test_command_line_numbers_never_crash(option, value):
    if "\x00" in value:  # an argument cannot hold NUL: the OS refuses it before bricli runs
        value = value.replace("\x00", "")
    result = invoke(["trade", option, value, "-f", "json"], env=ENV)
    allowed = (0, 1, 2) if option == "--max-file-size" else (0, 2)  # 1: a limit the fact files are over
    assert result.exit_code in allowed, (option, value[:50], result.exit_code, result.stderr[-300:])
    assert result.exit_code != 1 or "over the limit" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1 or len(result.stderr) < 1000
    if result.exit_code == 0:
        json.loads(result.stdout)


@FUZZ
@given(name=st.sampled_from(["limit", "year", "max_file_size"]),
       value=st.one_of(numbers, st.integers(), st.sampled_from([2**20000, -(2**20000), 10**15, True, 1.5, None, [2018], ["9" * 5000]])))
def test_api_numbers_never_crash(name, value):
    from bricli.api import FactBaseError, QueryError, records

    try:
        records("trade", **{name: value})
    except QueryError as exc:
        assert len(str(exc)) < 1000
    except FactBaseError:  # a --max-file-size the shipped files are over
        assert name == "max_file_size"


PATH_PIECES = ["a", "b.json", "x.db", "~", "~nouser-fuzz", "~root", " ", ".", "..", "/", "\x00", "\udcff", "é", "n" * 255,
               "n" * 256, "d/" * 50, ".db", ".parquet", "*", "\n", "-", "--", "\u202e"]
paths = st.lists(st.sampled_from(PATH_PIECES), min_size=1, max_size=5).map("".join)


def _relative(text: str) -> str:
    """Written paths stay inside the test's directory: no absolute path, no way up, no home."""
    text = text.replace("..", "_").lstrip("/~")
    return text or "empty"


@FUZZ
@given(path=paths, how=st.sampled_from(["facts", "env", "output", "export"]))
def test_command_line_paths_never_crash(tmp_path_factory, path, how):
    d = tmp_path_factory.mktemp("paths")
    here = os.getcwd()
    os.chdir(d)
    try:
        if how == "facts":  # not / nor ..: a big tree is walked in seconds, once is enough (test_hostile_input)
            result = invoke(["trade", "--no-shipped", "--facts", path.replace("..", "_").lstrip("/") or "."], env=ENV)
        elif how == "env":
            result = invoke(["trade", "--no-shipped"], env={**ENV, "BRICLI_FACTS": path.replace("\x00", "").replace("..", "_").lstrip("/") or "."})
        elif how == "output":
            result = invoke(["trade", "-o", _relative(path), "-f", "json"], env=ENV)
        else:
            result = invoke(["export", _relative(path), "--format", "csv-dir"], env=ENV)
    finally:
        os.chdir(here)
    assert result.exit_code in (0, 1, 2), (how, path[:80], result.exit_code, result.stderr[-300:])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert len(result.stderr.splitlines()) <= 1_010  # at most 1,000 problems and a line that counts the rest


@FUZZ
@given(facts=st.one_of(paths, st.lists(paths, max_size=3), st.integers(), st.none()))
def test_api_fact_paths_never_crash(tmp_path_factory, facts):
    from bricli.api import FactBaseError, QueryError, records

    named = [facts] if isinstance(facts, str) else facts if isinstance(facts, list) else []
    if any(f.startswith("/") for f in named):
        return  # the root directory is walked in seconds: once is enough (test_hostile_input)
    # in a directory of its own: "." in the checkout would walk the benchmark's bases (bench/_work)
    with contextlib.chdir(tmp_path_factory.mktemp("api-paths")), contextlib.suppress(QueryError, FactBaseError):
        records("trade", facts=facts, no_shipped=True)
