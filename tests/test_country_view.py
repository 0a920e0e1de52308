"""Issue 20, parts 3 and 6: a source on every row of a terminal table (and only the sources of
the rows shown under it); `country` opens with its latest figures, by the series rule, then its
steps; a topic asked about a country with no figure of its own points to the region-wide ones."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from bricli.present.listing import short_source_ids

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": "", "COLUMNS": "80"}


def out(run, *args, env=None):
    result = run(list(args), env={**ENV, **(env or {})})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def source_lines(text: str) -> list[str]:
    return [line.split(":")[0].removeprefix("Source ") for line in text.splitlines() if line.startswith("Source ")]


# --- 3. a source on every row -----------------------------------------------------------------


def test_short_source_ids_are_the_id_to_its_year_and_never_shared():
    ids = ["cedpr-2020", "ferozo-2020-telam-cera-argentina-china-deficit", "xinhua-2019-05-13-youth-forum",
           "xinhua-2019-06-01-other", "embamex-china-relacion-economica", "247news-2023-eclac-trade",
           "dialogue-maplists-finance-database", "dialogue-2013-07-finance-database", "xinhua-2019"]
    short = short_source_ids([*ids, "cedpr-2020"])
    assert short["cedpr-2020"] == "cedpr-2020"
    assert short["ferozo-2020-telam-cera-argentina-china-deficit"] == "ferozo-2020"
    assert short["247news-2023-eclac-trade"] == "247news-2023"
    assert short["embamex-china-relacion-economica"] == "embamex-china-relacion-economica"  # no year: whole
    assert short["xinhua-2019-05-13-youth-forum"] == "xinhua-2019-05"  # two of one year: longer
    assert short["xinhua-2019-06-01-other"] == "xinhua-2019-06"
    assert short["xinhua-2019"] == "xinhua-2019"
    assert len(set(short.values())) == len(short) == len(set(ids))
    assert all(sid.startswith(s) for sid, s in short.items())


def test_every_row_of_the_table_names_its_source_at_80_columns(run):
    text = out(run, "trade", "--year", "2018", "-f", "table")
    lines = text.splitlines()
    assert lines[1].split()[-1] == "Source"
    assert max(len(line) for line in lines) <= 80 and "…" not in text
    assert "\nWhat:" not in text, "a table, not records"
    records = json.loads(out(run, "trade", "--year", "2018", "-f", "json"))
    short = short_source_ids(r["source"]["id"] for r in records)
    table = lines[:next(i for i, line in enumerate(lines) if line.startswith("Source "))]
    assert table[-1] == "", "a blank line between an unboxed table and the sources under it"
    table = table[:-1]
    at = table[1].index("Source")
    cells, cell = [], ""
    for line in [*table[3:], ""]:  # rows are a blank line apart; a cell may wrap over lines
        if not line:
            cells.append(cell)
            cell = ""
        else:
            cell += line[at:].strip()
    assert cells == [short[r["source"]["id"]] for r in records]  # row by row, its own source
    assert "US$307.4 bn" in text


@pytest.mark.parametrize("args", [["trade", "--year", "2018"], ["timeline"], ["search", "trade"], ["country", "BRA"],
                                  ["investment"], ["projects"], ["conflicts"], ["trade", "--sort", "-value"]])
def test_the_sources_under_the_table_are_those_of_the_rows_shown(run, args):
    shown = json.loads(out(run, *args, "--limit", "2", "-f", "json"))
    expected = list(dict.fromkeys(r["source"]["id"] for r in shown))
    text = out(run, *args, "--limit", "2", "-f", "table")
    assert source_lines(text) == expected
    assert source_lines(out(run, *args, "--limit", "2", "-f", "markdown").replace("\\", "")) == expected


@pytest.mark.parametrize("args", [["conflicts"], ["sources"], ["timeline"], ["search", "trade"]])
def test_listings_with_long_ids_stay_tables_at_80_columns(run, args):
    text = out(run, *args, "--limit", "5", "-f", "table")
    assert "\nSource:" not in text and "\nID:" not in text and "\n#:" not in text, "a grid, not records"
    assert max(len(line) for line in text.splitlines()) <= 80 and "…" not in text
    assert "Source" in text.splitlines()[1] + text.splitlines()[2] or args == ["sources"]


def test_the_source_column_is_the_tables_alone(run):
    assert out(run, "trade", "--year", "2018", "-f", "plain").splitlines()[0].split("\t") == \
        ["ID", "What", "Kind", "Countries", "Period", "Value", "Change"]
    assert "Source" not in out(run, "trade", "--year", "2018", "-f", "markdown").splitlines()[0]
    # --columns shows exactly the fields named, in a table too
    header = out(run, "trade", "--year", "2018", "--columns", "id,value", "-f", "table").splitlines()[2]
    assert [word for word in header.split() if word != "│"] == ["id", "value"]


@pytest.mark.skipif(shutil.which("script") is None or sys.platform != "linux", reason="needs util-linux script")
def test_trade_in_a_real_80_column_terminal_is_a_table_with_sources(tmp_path):
    env = {**os.environ, "COLUMNS": "80", "LINES": "500", "BRICLI_FACTS": "", "BRICLI_FORMAT": "", "NO_COLOR": "1",
           "BRICLI_CACHE_DIR": str(tmp_path)}
    bricli = f"{sys.executable} -m bricli" if shutil.which("bricli") is None else shutil.which("bricli")
    done = subprocess.run(["script", "-qec", f"stty cols 80 rows 500; {bricli} trade --year 2018 --no-pager", "/dev/null"],
                          env=env, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    text = done.stdout.decode("utf-8").replace("\r", "")
    assert done.returncode == 0, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "Trade" and lines[1].split()[-1] == "Source"
    assert max(len(line) for line in lines) <= 80 and "…" not in text
    assert "US$307.4 bn" in text and "\nWhat:" not in text


# --- 6. country opens with its numbers --------------------------------------------------------


def test_country_opens_with_its_latest_figures_then_its_steps(run):
    text = out(run, "country", "BRA", "-f", "table")
    lines = text.splitlines()
    assert lines[0] == "Brazil (BRA)"
    assert lines[1].startswith("Latest figures")
    steps = lines.index("Steps:")
    table = next(i for i, line in enumerate(lines) if line.startswith(("┌", "Topic")))
    assert 1 < steps < table
    preface = "\n".join(lines[:steps])
    # the series rule's choice for the series' last year: the same as `bricli series` prints
    series = json.loads(out(run, "series", "trade-total-bra-chn-usd", "-f", "json"))
    latest = [r for r in series if r["value"] is not None][-1]
    flat = " ".join(preface.split())  # (wrapped lines joined)
    # each line is the chosen fact's own words: its label, its value as stated, its period
    line = re.search(r"Brazil's trade with China[^:]*: (.*?)bricli series trade-total-bra-chn-usd\b", flat).group(1)
    assert f"{latest['value_text']}, {latest['period']}" in line and f"[{latest['source']}]" in line
    # machine formats are the facts alone
    assert out(run, "country", "BRA", "-f", "plain").startswith("Topic\t")


@pytest.mark.parametrize("code", ["BRA", "MEX", "CHL", "ARG", "PER"])
def test_each_country_with_bilateral_trade_opens_with_it(run, code):
    lines = out(run, "country", code, "--limit", "1", "-f", "table").splitlines()
    assert lines[1].startswith("Latest figures")
    end = next(i for i, line in enumerate(lines) if line == "Steps:" or line[:1] in ("┌", "T"))  # steps, or the table
    opening = " ".join(" ".join(lines[:end]).split())
    assert "bricli series trade-total-" in opening


def test_the_opening_leads_with_series_of_several_years_and_counts_the_others(run):
    """Answers, not piles: one-off figures (a deal's price, one partial year) do not crowd the opening."""
    text = out(run, "country", "BRA", "-f", "table")
    opening = " ".join(text.split("Steps:")[0].split())
    assert "bricli series trade-total-bra-chn-usd" in opening
    assert "acquisition-price-outward-flow-chn-bra-brl" not in opening  # one year, one source
    assert re.search(r"and \d+ more series of one year each: bricli series --country BRA", opening)


def test_a_country_without_bilateral_figures_has_no_latest_figures(run):
    assert "Latest figures" not in out(run, "country", "BRA", "--year", "1950", "-f", "table") + "x"


def test_a_topic_without_the_countrys_figures_points_to_the_region_wide_ones(run):
    result = run(["trade", "--country", "HTI", "--year", "2018", "-f", "plain"], env=ENV)
    assert result.exit_code == 0
    assert result.stdout == "ID\tWhat\tKind\tCountries\tPeriod\tValue\tChange\n"  # stdout: the data, none
    assert "no trade figure names Haiti" in result.stderr
    assert "bricli trade --country LCN --year 2018" in result.stderr
    assert json.loads(out(run, "trade", "--country", "LCN", "--year", "2018", "-f", "json"))  # and it finds them
    quiet = run(["trade", "--country", "BRA", "-f", "plain"], env=ENV)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert run(["trade", "--country", "LCN", "--year", "1950", "-f", "plain"], env=ENV).stderr == ""


TOPIC_HEADINGS = ("Trade", "Investment", "Projects", "Finance", "People", "Policy", "Risks")


@pytest.mark.parametrize("code", ["BRA", "ARG", "PAN"])
def test_a_country_at_80_columns_is_a_table_per_topic_each_with_its_sources(run, code):
    """Issue 20 part 3: `country` stays a table at 80 columns. Its columns together (topic, what, kind,
    countries, period, value, change, source) are too wide for 80 cells, so a terminal shows a table per
    topic under the topic's name, each without the Topic column and as wide as its own rows need."""
    from rich.cells import cell_len

    lines = out(run, "country", code, "-f", "table").splitlines()
    headings = [line for line in lines if line in TOPIC_HEADINGS]
    assert len(headings) >= 4 and len(headings) == len(set(headings))
    assert not any(line.startswith(("What:", "Topic:")) for line in lines)  # never the block-per-record fallback
    assert max(cell_len(line) for line in lines) <= 80
    for i, line in enumerate(lines):
        if line in headings:
            header = lines[i + 1].strip("┌┐─┬ ") or lines[i + 2]
            assert "Source" in header and "Topic" not in header and "What" in header, (line, header)
    # the machine formats and Markdown keep the one table, with its Topic column
    assert out(run, "country", code, "-f", "plain").startswith("Topic\t")
    assert "| Topic " in out(run, "country", code, "-f", "markdown")


def test_a_countrys_steps_at_80_columns_are_a_table_with_a_source_column(run):
    """`country X --status` at a terminal: every step names its source, and the table stays a table
    (a long fact id wraps after its hyphens)."""
    from rich.cells import cell_len

    for code in ("BRA", "ARG", "PAN"):
        lines = out(run, "country", code, "--status", "-f", "table").splitlines()
        header = next(line for line in lines if "Step" in line)
        assert "Source" in header and "Fact ID" in header
        assert not any(line.startswith("What:") for line in lines)
        assert max(cell_len(line) for line in lines) <= 80
