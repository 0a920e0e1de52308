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


@pytest.mark.parametrize("path", [BAD_USER, BAD_USER + "/facts", "~" + "x" * 300])
@pytest.mark.parametrize("command", [["trade"], ["check"], ["export", "out.db"], ["sources"]])
def test_unknown_user_in_facts_is_a_usage_error(tmp_path, monkeypatch, path, command):
    monkeypatch.chdir(tmp_path)
    result = invoke([*command, "--facts", path], env=ENV)
    _no_traceback(result, (2,))
    assert "--facts" in result.stderr
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
