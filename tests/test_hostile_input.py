"""Issue 11: what a fuzzer and an attacker found in fact files, fact directories and arguments.

Each test here failed before its fix: a wrong or stale figure printed with exit 0, a
traceback, or a cost out of proportion to the input.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from conftest import figure_yaml, invoke
from bricli.analysis.query import fold

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}


def run(args, **kw):
    return invoke(args, env=ENV, **kw)


def assert_refused(result, *fragments):
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def trade_2018(total: str) -> str:
    return "facts:\n" + "".join([
        figure_yaml("x-2018-exports", "148.79", direction="exports"),
        figure_yaml("x-2018-imports", "158.61", direction="imports"),
        figure_yaml("x-2018-total", total),
    ])


# --- 2. every problem `check` reports blocks figures ---------------------------------------


@pytest.mark.parametrize("command", [["trade"], ["trade", "-f", "json"], ["report"], ["show", "x-2018-total"], ["search", "x"]])
def test_arithmetic_problems_block_listings_and_briefs(fact_dir, command):
    d = fact_dir({"t.yaml": trade_2018("407.4")})
    check = run(["check", "--no-shipped", "--facts", str(d)])
    assert check.exit_code == 1 and "do not add up" in check.stdout
    result = run([*command, "--no-shipped", "--facts", str(d)])
    assert_refused(result, "do not add up", "nothing was printed")
    assert "407.4" not in result.stdout


def test_a_consistent_base_still_lists(fact_dir):
    d = fact_dir({"t.yaml": trade_2018("307.4")})
    result = run(["trade", "--no-shipped", "--facts", str(d), "-f", "json"])
    assert result.exit_code == 0 and {r["value"] for r in json.loads(result.stdout)} >= {307.4}


# --- 3. numbers at the edges ----------------------------------------------------------------


@pytest.mark.parametrize("value,fragment", [
    ("1" * 29, "29 digits"),                       # decimal.InvalidOperation
    ("9" * 4400, "4,400 digits"),                  # int() digit limit
    ("1." + "5" * 400, "401 digits"),              # Infinity in JSON
    ("0." + "0" * 400 + "1", "401 digits"),        # printed as 0.0
    ("1234567890123456", "16 digits"),             # a double cannot hold it
    ("-0", "zero with a minus sign"),              # "−US$0 billion"
    ("-0.00", "zero with a minus sign"),
])
def test_numbers_that_cannot_be_shown_exactly_are_refused(fact_dir, value, fragment):
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("x", value)})
    check = run(["check", "--no-shipped", "--facts", str(d)])
    assert check.exit_code == 1 and fragment in check.stdout, check.stdout
    assert_refused(run(["trade", "--no-shipped", "--facts", str(d)]), fragment)


@pytest.mark.parametrize("value", ["123456789012345", "0.00000000000001", "99999999999999.9", "0"])
def test_accepted_numbers_print_the_same_in_every_format(fact_dir, value):
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("x", value, scale="trillion")})
    base = ["trade", "--no-shipped", "--facts", str(d)]
    (record,) = json.loads(run([*base, "-f", "json"]).stdout)
    assert repr(record["value"]) in (value, value + ".0") or float(value) == record["value"]
    assert json.dumps(record["value_base"]) not in ("Infinity", "NaN")
    from decimal import Decimal

    assert Decimal(str(record["value_base"])) == Decimal(value) * 10 ** 12
    for fmt in ("plain", "csv", "markdown", "yaml", "table"):
        result = run([*base, "-f", fmt])
        assert result.exit_code == 0 and "Traceback" not in result.stderr


def test_a_change_stated_for_year_one_has_no_prior_year(fact_dir):
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("x", "5", period="0001", change="3")})
    assert run(["check", "--no-shipped", "--facts", str(d)]).exit_code == 0
    for command in (["trade"], ["report"]):
        result = run([*command, "--no-shipped", "--facts", str(d)])
        assert result.exit_code == 0, result.stderr


def test_derived_values_of_extreme_figures_do_not_crash(fact_dir):
    # exports in trillions, imports in ones with many decimals: the balance needs 26 places
    text = "facts:\n" + figure_yaml("x-e", "999999999999999", direction="exports", scale="trillion") \
        + figure_yaml("x-m", "0.12345678901234", direction="imports", scale="one", change="-99.9999999999")
    d = fact_dir({"t.yaml": text})
    for command in (["trade", "-f", "json"], ["report"], ["check"]):
        result = run([*command, "--no-shipped", "--facts", str(d)])
        assert result.exit_code == 0, result.stderr  # a valid base: every command answers
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


# --- 4. an unclosed quote or bracket at the end of the file ---------------------------------


@pytest.mark.parametrize("opener", ['"abc', "'abc", "[abc", "{abc"])
@pytest.mark.parametrize("command", [["check"], ["trade"], ["report"]])
def test_unclosed_quote_or_bracket_at_the_end_is_a_problem_not_a_crash(tmp_path, opener, command):
    d = tmp_path / "facts"
    d.mkdir()
    (d / "a.yaml").write_text(f"facts:\n  - id: {opener}\n", encoding="utf-8")
    result = run([*command, "--no-shipped", "--facts", str(d)])
    report = result.stdout if command == ["check"] else result.stderr
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "a.yaml:2: YAML syntax error" in report and "is not closed" in report, report


# --- 10. fact directories -----------------------------------------------------------------


def test_an_empty_facts_path_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "" used to mean: walk the working directory
    result = run(["trade", "--facts", ""])
    assert result.exit_code == 2 and "empty path" in result.stderr


def test_a_symlink_out_of_the_fact_directory_is_not_followed(fact_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$very-secret-hash:19000:0:99999:7:::\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "more.yaml").write_text("facts:\n" + figure_yaml("x", "1"), encoding="utf-8")
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("yy", "2")})
    (d / "shadow.yaml").symlink_to(secret)
    (d / "linked").symlink_to(outside, target_is_directory=True)
    for command in ("check", "trade"):
        result = run([command, "--no-shipped", "--facts", str(d)])
        assert result.exit_code == 1
        text = result.stdout + result.stderr
        assert "very-secret" not in text and "root:" not in text
        assert text.count("symlink leads outside the fact directory; not read") == 2, text


def test_a_symlink_inside_the_fact_directory_is_followed(fact_dir):
    d = fact_dir({})
    (d / ".store").mkdir()  # hidden: read only through the link
    (d / ".store" / "t.yaml").write_text("facts:\n" + figure_yaml("yy", "2"), encoding="utf-8")
    (d / "current").symlink_to(d / ".store", target_is_directory=True)
    result = run(["trade", "--no-shipped", "--facts", str(d), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == ["yy"]


def test_the_walk_is_bounded(tmp_path, monkeypatch):
    from bricli.load import discover

    monkeypatch.setattr(discover, "MAX_WALK_ENTRIES", 50)
    monkeypatch.setattr(discover, "MAX_WALK_DEPTH", 3)
    wide = tmp_path / "wide"
    wide.mkdir()
    for i in range(60):
        (wide / f"f{i:02d}.txt").write_text("x", encoding="utf-8")
    deep = tmp_path / "deep"
    (deep / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)
    (deep / "a" / "b" / "c" / "d" / "e" / "x.yaml").write_text("facts: []\n", encoding="utf-8")
    files, problems = discover.list_files([wide, deep])
    messages = [p.message for p in problems]
    assert files == []
    assert any("more than 50 entries" in m for m in messages), messages
    assert any("more than 3 directory levels" in m for m in messages), messages


def test_the_root_directory_is_refused_quickly(monkeypatch):
    started = time.monotonic()
    result = run(["check", "--no-shipped", "--facts", "/"])
    assert time.monotonic() - started < 20
    assert result.exit_code == 1 and "Traceback" not in result.stdout


def _stat_says_ten_bytes(monkeypatch) -> None:
    """Every fact file's fstat says 10 bytes, whatever it holds (a file that grew, a /proc file)."""
    from bricli.load import assemble

    real_fstat = os.fstat

    class Small:
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 10 if name == "st_size" else getattr(self._st, name)

    monkeypatch.setattr(assemble.os, "fstat", lambda fd: Small(real_fstat(fd)))


def test_a_fact_file_is_read_with_a_size_bound(tmp_path, monkeypatch):
    """stat says small, the read is not: a growing file, a /proc file."""
    from bricli.load import assemble

    d = tmp_path / "facts"
    d.mkdir()
    path = d / "a.yaml"
    path.write_text("facts: []\n" + "#" * 5000 + "\n", encoding="utf-8")
    _stat_says_ten_bytes(monkeypatch)
    result = assemble.load_file(path, max_size=1000)
    assert [p.message for p in result.problems] == ["file is more than 1,000 bytes, over the limit of 1,000 bytes"]


def test_a_limit_of_terabytes_is_not_allocated_and_a_file_longer_than_stat_says_is_read_whole(tmp_path, monkeypatch):
    """`--max-file-size 15709605039014` was a MemoryError (the read asked for the whole limit at
    once); a file that stat says is short is still read to its end when it fits the limit."""
    from bricli.load import assemble

    result = run(["trade", "--max-file-size", "15709605039014", "--year", "2018", "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout), result.stderr
    path = tmp_path / "a.yaml"
    text = "facts: []\n" + "#" * (3 * assemble.READ_STEP) + "\n"
    path.write_text(text, encoding="utf-8")
    _stat_says_ten_bytes(monkeypatch)
    assert assemble.read_bounded(path, 10**15) == text.encode()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_fact_file_is_refused_without_blocking(tmp_path):
    d = tmp_path / "facts"
    d.mkdir()
    os.mkfifo(d / "pipe.yaml")
    from bricli.load.assemble import load_file

    started = time.monotonic()
    result = load_file(d / "pipe.yaml")
    assert time.monotonic() - started < 5
    assert [p.message for p in result.problems] == ["not a regular file; not read"]
    result = run(["check", "--no-shipped", "--facts", str(d)])
    assert result.exit_code == 1 and "not a regular file" in result.stdout


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any directory")
def test_an_unreadable_fact_directory_is_exit_1_however_named(tmp_path):
    locked = tmp_path / "locked"
    (locked / "sub").mkdir(parents=True)
    locked.chmod(0)
    try:
        by_option = run(["trade", "--no-shipped", "--facts", str(locked / "sub")])
        by_env = invoke(["trade", "--no-shipped"], env={**ENV, "BRICLI_FACTS": str(locked / "sub")})
        assert by_option.exit_code == by_env.exit_code == 1
        assert "Usage" not in by_option.stderr
    finally:
        locked.chmod(0o755)


def test_an_unreadable_fact_directory_is_a_problem_even_as_root(tmp_path, monkeypatch):
    """The same refusal whichever way the directory is named, simulated so root sees it too."""
    from bricli.load import discover

    locked = tmp_path / "locked"
    locked.mkdir()
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if str(path).startswith(str(locked)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(discover.os, "stat", stat)
    by_option = run(["trade", "--no-shipped", "--facts", str(locked)])
    by_env = invoke(["trade", "--no-shipped"], env={**ENV, "BRICLI_FACTS": str(locked)})
    for result in (by_option, by_env):
        assert result.exit_code == 1, result.stderr
        assert "cannot read fact directory: Permission denied" in result.stderr


def test_a_facts_path_too_long_is_a_problem(tmp_path):
    result = run(["trade", "--no-shipped", "--facts", "a" * 10_000])
    assert result.exit_code == 1 and "too long (10,000 bytes" in result.stderr
    assert len(result.stderr) < 1000  # the path is shortened in the message


# --- 11. cost bounds ------------------------------------------------------------------------


def test_a_thousand_unknown_country_codes_stay_under_the_cap_and_cheap(fact_dir):
    codes = ", ".join(f"Q{i:04d}" for i in range(1000))
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("x", "1", countries=f"[{codes}]")})
    started = time.monotonic()
    result = run(["check", "--no-shipped", "--facts", str(d)])
    assert time.monotonic() - started < 3
    lines = result.stdout.splitlines()
    assert len(lines) == 101 and "stopped checking this file after 100 problems" in lines[-1]


def test_suggestions_among_many_choices_are_cheap():
    from bricli.model.suggest import close_matches

    ids = [f"trade-{i}-total-chn-lcn" for i in range(50_000)]
    started = time.monotonic()
    assert close_matches("trade-4999-totl-chn-lcn", ids, n=3, cutoff=0.5)
    assert close_matches("x" * 1_000_000, ids) == []
    assert time.monotonic() - started < 2


def test_a_megabyte_label_is_refused_by_the_validator(fact_dir):
    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("x", "1").replace('label: "x"', 'label: "' + "word " * 200_000 + '"')})
    started = time.monotonic()
    result = run(["trade", "--no-shipped", "--facts", str(d), "-f", "table"])
    assert time.monotonic() - started < 5
    assert_refused(result, "over the limit of 10,000")


# --- 13. text -------------------------------------------------------------------------------


def test_dotless_i_and_lone_accents_in_grep(run):
    assert fold("Işık") == fold("ISIK") == "isik"
    dotless = run(["search", "ıntegratıon", "-f", "json"], env=ENV)
    assert dotless.exit_code == 0 and json.loads(dotless.stdout)  # "integration" is in the shipped facts
    for needle in ("\u0301", "", " "):
        result = run(["trade", "--grep", needle], env=ENV)
        assert result.exit_code == 2 and "nothing to search for" in result.stderr, result.stderr


@pytest.mark.parametrize("data,fragment", [
    ("facts: []\n".encode("utf-16-le"), "looks like UTF-16-LE without a byte order mark"),
    ("facts: [São]\n".encode("utf-16-be"), "looks like UTF-16-BE without a byte order mark"),
    ("facts: []\n".encode("utf-32"), "the file is UTF-32"),
    ("facts: []\n".encode("utf-32-le"), "looks like UTF-32-LE"),
])
def test_wide_encodings_are_named(tmp_path, data, fragment):
    d = tmp_path / "facts"
    d.mkdir()
    (d / "a.yaml").write_bytes(data)
    result = run(["check", "--no-shipped", "--facts", str(d)])
    assert result.exit_code == 1 and fragment in result.stdout, result.stdout
    assert "Latin-1" not in result.stdout and "U+0000" not in result.stdout


def test_undecodable_argument_bytes_are_a_usage_error():
    result = run(["report", "--title", "T\udcff"])
    assert result.exit_code == 2 and "byte 0xff" in result.stderr


@pytest.mark.parametrize("option", ["--country", "--source", "--year"])
def test_an_empty_filter_value_is_refused_not_ignored(run, option):
    """`--country ""` (an unset shell variable) must not quietly mean "no filter"."""
    result = run(["trade", option, "", "-f", "json"], env=ENV)
    assert result.exit_code == 2 and result.stdout == "", result.stdout


def test_fold_drops_marks_as_a_character_by_character_fold_would():
    """fold() looks only at non-ASCII stretches for marks; the result is the plain definition's."""
    import random
    import unicodedata

    from bricli.model.text import _BASE_LETTERS

    def plain(text: str) -> str:
        if text.isascii():
            return text.lower()
        decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_BASE_LETTERS))
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    rng = random.Random(14)
    samples = ["São Paulo", "MÉXICO", "a\u0301\u0302b", "中国与拉美", "ﬁ ½ Ⅻ", "\x00\x7f\x80é", "Ｆｕｌｌ", "\u0301", ""]
    samples += ["".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(40)) for _ in range(3000)]
    for text in samples:
        assert fold(text) == plain(text), repr(text)
