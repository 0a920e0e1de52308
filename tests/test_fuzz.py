"""A small property-based fuzzer of fact files (issue 11).

Mutations of the shipped trade facts — a character deleted, inserted or replaced
by one YAML cares about, a line doubled or dropped, the file cut short, a number
changed — go through `check` and a listing. Whatever the mutation:
- never a traceback: exit 0 or 1, nothing else;
- never a figure from a base with problems: when `check` exits 1, the listing exits 1
  with nothing on stdout; when `check` passes, so does the listing.

Bounded to a few seconds by default; BRICLI_FUZZ_EXAMPLES=2000 for a long run.
"""

from __future__ import annotations

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
