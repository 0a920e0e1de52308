"""`bricli import gcdf|cgit FILE -o DIR`: published layouts in, check-clean fact files out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from importer_fixtures import (CGIT_HEADERS, GCDF_HEADERS, cgit_rows, dotted, gcdf_row, gcdf_rows, write_cgit_xlsx,
                               write_csv, write_gcdf_xlsx)

pytest.importorskip("openpyxl")


def facts_in(directory: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(directory.glob("*.yaml")):
        for f in yaml.safe_load(path.read_text(encoding="utf-8")).get("facts") or []:
            assert f["id"] not in out
            out[f["id"]] = f
    return out


def texts(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.iterdir())}


def no_traceback(result):
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


LAYOUTS = {
    "xlsx": lambda d: write_gcdf_xlsx(d / "AidDatasGlobalChineseDevelopmentFinanceDataset_v3.0.xlsx", gcdf_rows()),
    "csv": lambda d: write_csv(d / "gcdf.csv", GCDF_HEADERS, gcdf_rows()),
    "dotted-csv": lambda d: write_csv(d / "final_input.csv", GCDF_HEADERS, gcdf_rows(), dotted),
}


@pytest.fixture(scope="module")
def gcdf_imports(tmp_path_factory):
    """Each published layout imported once (the tests below read the results)."""
    from conftest import invoke

    d = tmp_path_factory.mktemp("gcdf")
    out = {}
    for name, write in LAYOUTS.items():
        src = write(d)
        result = invoke(["import", "gcdf", str(src), "-o", str(d / f"out-{name}")])
        assert result.exit_code == 0, result.stderr
        out[name] = (d / f"out-{name}", result)
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_gcdf_layout_gives_check_clean_facts(layout, gcdf_imports, run):
    out, result = gcdf_imports[layout]
    assert "31 rows read" in result.stderr and "29 kept (Latin America and the Caribbean), 2 outside it, 0 skipped" in result.stderr
    assert result.stdout == ""
    check = run(["check", "--facts", str(out), "--no-shipped", "--format", "json"])
    assert check.exit_code == 0, check.stdout
    assert json.loads(check.stdout)["ok"] is True
    with_shipped = run(["check", "--facts", str(out)])
    assert with_shipped.exit_code == 0, with_shipped.stdout


def test_the_three_layouts_give_the_same_facts(gcdf_imports):
    def body(directory):  # the first line names the file imported
        return {n: t.split("\n", 1)[1] for n, t in texts(directory).items()}

    first = body(gcdf_imports["xlsx"][0])
    assert body(gcdf_imports["csv"][0]) == first
    # the geospatial CSV: the same facts; a cell's quote keeps the header as that file spells it
    geo = facts_in(gcdf_imports["dotted-csv"][0])
    assert geo["gcdf-38091.started"]["source"]["quote"] == "Implementation.Start.Year: 2010"
    assert geo["gcdf-38091.amount"]["source"]["quote"] == "Amount.(Constant.USD.2021): 1974285714.29"

    def undotted(facts):
        for f in facts.values():
            head, sep, cell = f["source"]["quote"].partition(": ")
            if sep and "." in head and "\n" not in head:
                f["source"]["quote"] = head.replace(".", " ") + sep + cell
        return facts

    assert undotted(geo) == facts_in(gcdf_imports["xlsx"][0])


def test_gcdf_ids_amounts_statuses_and_milestones(gcdf_imports):
    out = gcdf_imports["xlsx"][0]
    facts = facts_in(out)
    raw = (out / "gcdf-ecu.yaml").read_text(encoding="utf-8")
    assert "value: 1974285714.29\n" in raw  # the digits as the file gives them
    amount = facts["gcdf-38091.amount"]
    assert (amount["unit"], amount["scale"], amount["prices"], amount["period"], amount["topic"]) == \
        ("USD", "one", "constant-2021", "2009", "finance")
    assert "aggregates" not in amount and "constant 2021" in amount["label"]
    project = facts["gcdf-38091"]
    assert project["countries"] == ["CHN", "ECU"] and project["status"] == "completed" and project["sector"] == "energy"
    assert project["source"]["section"] == "AidData Record ID 38091"
    assert project["source"]["quote"].startswith("CDB provides $1.68 billion loan for Coca Codo Sinclair Hydroelectric Project\n\n"
                                                 "In 2009, China Eximbank signed")
    assert "https://china.aiddata.org/projects/38091" in project["note"]
    steps = {k: (facts[f"gcdf-38091.{k}"]["stage"], facts[f"gcdf-38091.{k}"]["period"]) for k in ("committed", "started", "completed")}
    assert steps == {"committed": ("contracted", "2009"), "started": ("started", "2010"), "completed": ("completed", "2016")}
    assert all(facts[f"gcdf-38091.{k}"]["about"] == "gcdf-38091" for k in steps)
    # every status
    assert {rid: facts[f"gcdf-{rid}"]["status"] for rid in (40001, 40002, 40003, 40004, 40005, 40006)} == {
        40001: "under-construction", 40002: "announced", 40003: "contracted", 40004: "suspended", 40005: "cancelled",
        40006: "completed"}
    assert facts["gcdf-40002.committed"]["stage"] == "announced"  # a pledge's year
    # not recommended for aggregates: kept, marked
    assert facts["gcdf-40004.amount"]["aggregates"] is False and "not recommend" in facts["gcdf-40004.amount"]["note"]
    # no dates, no amount: the project alone
    assert [i for i in facts if i.startswith("gcdf-40006")] == ["gcdf-40006"]
    assert "gcdf-41000.amount" not in facts and "gcdf-41000.started" in facts and "gcdf-41001.started" not in facts
    # the regional record names the region; a large amount with cents keeps them
    assert facts["gcdf-40007"]["countries"] == ["CHN", "LCN"]
    assert "value: 520000000.5\n" in (out / "gcdf-jam.yaml").read_text(encoding="utf-8")
    # outside the region: not imported
    assert "gcdf-40008" not in facts and "gcdf-40009" not in facts
    sources = yaml.safe_load((out / "gcdf-sources.yaml").read_text(encoding="utf-8"))["sources"]
    assert [s["id"] for s in sources] == ["aiddata-gcdf-3.0"]
    assert "ODC-By 1.0" in sources[0]["note"] and "Version 3.0" in sources[0]["title"]


def test_country_and_all_regions_choose_the_records(tmp_path, run):
    src = write_csv(tmp_path / "g.csv", GCDF_HEADERS, gcdf_rows())
    assert run(["import", "gcdf", str(src), "-o", str(tmp_path / "all"), "--all-regions"]).exit_code == 0
    every = facts_in(tmp_path / "all")
    assert "gcdf-40008" in every and every["gcdf-40008"]["countries"] == ["CHN", "AGO"] and "gcdf-40009.amount" in every
    result = run(["import", "gcdf", str(src), "-o", str(tmp_path / "peru"), "--country", "Perú"])
    assert result.exit_code == 0, result.stderr
    assert {i.split(".")[0] for i in facts_in(tmp_path / "peru")} == {"gcdf-40001"}
    both = run(["import", "gcdf", str(src), "-o", str(tmp_path / "x"), "--country", "PER", "--all-regions"])
    assert both.exit_code == 2 and "cannot be combined" in both.stderr
    assert not (tmp_path / "x").exists()


def test_importing_twice_gives_the_same_files_and_never_overwrites_without_force(tmp_path, run):
    src = write_gcdf_xlsx(tmp_path / "g.xlsx", gcdf_rows())
    for out in ("a", "b"):
        assert run(["import", "gcdf", str(src), "-o", str(tmp_path / out)]).exit_code == 0
    assert texts(tmp_path / "a") == texts(tmp_path / "b")
    again = run(["import", "gcdf", str(src), "-o", str(tmp_path / "a")])
    assert again.exit_code == 1 and "already exists" in again.stderr and "--force" in again.stderr
    assert run(["import", "gcdf", str(src), "-o", str(tmp_path / "a"), "--force"]).exit_code == 0
    assert texts(tmp_path / "a") == texts(tmp_path / "b")


def test_a_newer_release_updates_facts_in_place(tmp_path, run):
    rows = gcdf_rows()
    src = write_csv(tmp_path / "v3.csv", GCDF_HEADERS, rows)
    assert run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")]).exit_code == 0
    rows[0]["Amount (Constant USD 2021)"] = 1980000000
    rows[0]["Completion Year"] = 2017
    newer = write_csv(tmp_path / "v3.1.csv", GCDF_HEADERS, rows)
    assert run(["import", "gcdf", str(newer), "-o", str(tmp_path / "out"), "--force"]).exit_code == 0
    facts = facts_in(tmp_path / "out")
    assert [i for i in facts if i.startswith("gcdf-38091")] == [
        "gcdf-38091", "gcdf-38091.amount", "gcdf-38091.committed", "gcdf-38091.started", "gcdf-38091.completed"]
    assert facts["gcdf-38091.completed"]["period"] == "2017"
    assert "value: 1980000000\n" in (tmp_path / "out" / "gcdf-ecu.yaml").read_text(encoding="utf-8")


def test_force_never_replaces_a_directory_of_other_files(tmp_path, run):
    src = write_csv(tmp_path / "g.csv", GCDF_HEADERS, gcdf_rows())
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.yaml").write_text("facts: []\n", encoding="utf-8")
    result = run(["import", "gcdf", str(src), "-o", str(mine), "--force"])
    assert result.exit_code == 1 and "did not write" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.yaml"]


def test_imported_facts_join_the_other_commands(gcdf_imports, run):
    out = str(gcdf_imports["xlsx"][0])
    base = ["--facts", out, "--format", "json"]
    projects = json.loads(run(["projects", "--country", "ECU", *base]).stdout)
    assert "gcdf-38091" in {r["id"] for r in projects}
    finance = json.loads(run(["finance", *base]).stdout)
    assert "gcdf-38091.amount" in {r["id"] for r in finance}
    assert {r["value"] for r in finance if r["id"] == "gcdf-38091.amount"} == {1974285714.29}
    timeline = json.loads(run(["timeline", "--country", "ECU", "--year", "2016", *base]).stdout)
    assert "gcdf-38091.completed" in {r["id"] for r in timeline}
    assert "gcdf-38091" in {r["id"] for r in json.loads(run(["search", "Coca Codo Sinclair", *base]).stdout)}
    assert run(["country", "ECU", "--facts", out]).exit_code == 0
    countries = json.loads(run(["countries", *base]).stdout)
    shipped = json.loads(run(["countries", "--format", "json"]).stdout)
    ecu = next(r["facts"] for r in countries if r["country"] == "ECU") - next(r["facts"] for r in shipped if r["country"] == "ECU")
    assert ecu == 5  # record 38091: the project, its amount and three milestones
    assert run(["show", "gcdf-40004.amount", "--facts", out]).exit_code == 0
    assert run(["report", "--facts", out]).exit_code == 0
    assert run(["conflicts", "--facts", out]).exit_code == 0
    export = run(["export", str(Path(out).parent / "facts.db"), "--facts", out])
    assert export.exit_code == 0, export.stderr
    sources = json.loads(run(["sources", *base]).stdout)
    assert [s["facts"] for s in sources if s["id"] == "aiddata-gcdf-3.0"] == [len(facts_in(Path(out)))]


def test_not_recommended_and_constant_price_amounts_are_never_summed_or_charted(fact_dir, run):
    def fig(i, year, extra=""):
        return f"""\
  - id: f{i}
    type: figure
    topic: finance
    label: "Lending to Peru"
    metric: development-finance
    countries: [CHN, PER]
    value: {100 + i}
    unit: USD
    scale: million
    period: "{year}"
{extra}    source: {{id: test-src, section: "S", quote: "q"}}
"""
    plain = fact_dir({"f.yaml": "facts:\n" + fig(1, 2015) + fig(2, 2016)})
    assert "Lending to Peru" in run(["finance", "--facts", str(plain), "--no-shipped", "--chart"]).stdout
    held_back = fact_dir({"f.yaml": "facts:\n" + fig(1, 2015) + fig(2, 2016, "    aggregates: false\n")})
    chart = run(["finance", "--facts", str(held_back), "--no-shipped", "--chart"])
    assert chart.exit_code == 0 and "Lending to Peru" not in chart.stdout
    mixed = fact_dir({"f.yaml": "facts:\n" + fig(1, 2015) + fig(2, 2016, "    prices: constant-2021\n")})
    chart = run(["finance", "--facts", str(mixed), "--no-shipped", "--chart"])
    assert chart.exit_code == 0 and "Lending to Peru" not in chart.stdout


def test_a_held_back_figure_never_enters_arithmetic():
    from bricli.model.facts import Fact, Location, Number, SourceRef
    from bricli.model.series import is_exact

    f = Fact(id="x", type="figure", topic="trade", label="x", source=SourceRef("s", None, "q"), loc=Location("f"),
             value=Number("1"), unit="USD", period="2018")
    assert is_exact(f)
    f.aggregates = False
    assert not is_exact(f)


# --- CGIT ---------------------------------------------------------------------


def test_cgit_workbook_gives_one_fact_per_transaction(tmp_path, run):
    src = write_cgit_xlsx(tmp_path / "China-Global-Investment-Tracker.xlsx")
    result = run(["import", "cgit", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "10 rows read" in result.stderr and "7 kept" in result.stderr and "3 outside it, 0 skipped" in result.stderr
    assert run(["check", "--facts", str(tmp_path / "out"), "--no-shipped"]).exit_code == 0
    facts = list(facts_in(tmp_path / "out").values())
    assert len(facts) == 7
    sinopec = next(f for f in facts if "Sinopec" in f["label"])
    assert sinopec["id"].startswith("cgit-inv-") and sinopec["topic"] == "investment" and sinopec["direction"] == "outward"
    assert (sinopec["unit"], sinopec["scale"], sinopec["period"], sinopec["countries"]) == ("USD", "million", "2010-05", ["CHN", "BRA"])
    assert sinopec["participants"] == ["Sinopec", "Repsol Brasil"] and "prices" not in sinopec
    assert "value: 7100\n" in (tmp_path / "out" / "cgit-bra.yaml").read_text(encoding="utf-8")
    grid = next(f for f in facts if "State Grid" in f["label"])
    assert "(Belt and Road)" in grid["label"] and "Belt and Road: yes" in grid["note"]
    assert "Belt and Road: no" in sinopec["note"]
    harbour = next(f for f in facts if "China Harbour" in f["label"])
    assert harbour["id"].startswith("cgit-con-") and harbour["topic"] == "projects" and harbour["countries"] == ["CHN", "JAM"]
    assert [f["countries"][1] for f in facts if "CNPC" in f["label"]] == ["TTO"]
    again = run(["import", "cgit", str(src), "-o", str(tmp_path / "again")])
    assert again.exit_code == 0 and texts(tmp_path / "out") == texts(tmp_path / "again")


def test_cgit_csv_with_a_title_above_the_header(tmp_path, run):
    path = tmp_path / "cgit.csv"
    lines = ["China Global Investment Tracker,,", "", ",".join(CGIT_HEADERS)]
    lines += [",".join("" if c is None else str(c) for c in r) for r in cgit_rows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["import", "cgit", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert len(facts_in(tmp_path / "out")) == 5


def test_cgit_unknown_country_in_the_region_is_listed(tmp_path, run):
    path = tmp_path / "cgit.csv"
    rows = [*cgit_rows(), [2019, "May", "X Corp", 200, "", "", "Energy", "", "Atlantis", "South America", None, None]]
    write_csv(path, CGIT_HEADERS, [dict(zip(CGIT_HEADERS, r)) for r in rows])
    result = run(["import", "cgit", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "row 9: Country: 'Atlantis' is not a country bricli knows" in result.stderr


# --- bad input ------------------------------------------------------------------


def test_missing_columns_are_named(tmp_path, run):
    path = write_csv(tmp_path / "other.csv", ["AidData Record ID", "Title", "Amount"], [{"AidData Record ID": 1, "Title": "t"}])
    result = run(["import", "gcdf", str(path), "-o", str(tmp_path / "out")])
    no_traceback(result)
    assert result.exit_code == 1
    assert "is not the GCDF 3.0 dataset (AidData): columns 'Recommended For Aggregates', 'Recipient', 'Recipient ISO-3', " \
           "'Commitment Year', 'Status', 'Amount (Constant USD 2021)' not found" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_workbook_without_the_sheet(tmp_path, run):
    src = write_gcdf_xlsx(tmp_path / "g.xlsx", gcdf_rows(), sheet="Data")
    result = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")])
    no_traceback(result)
    assert result.exit_code == 1
    assert "the workbook has no sheet 'GCDF_3.0' (its sheets: Read Me, Data)" in result.stderr
    assert "--sheet" in result.stderr
    ok = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out"), "--sheet", "Data"])
    assert ok.exit_code == 0, ok.stderr
    wrong = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out2"), "--sheet", "Read Me"])
    assert wrong.exit_code == 1 and "(sheet Read Me) is not the GCDF 3.0 dataset" in wrong.stderr


def test_empty_files(tmp_path, run):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = run(["import", "gcdf", str(empty), "-o", str(tmp_path / "out")])
    no_traceback(result)
    assert result.exit_code == 1 and f"bricli: {empty} is empty (0 bytes)" in result.stderr
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n", encoding="utf-8")
    result = run(["import", "gcdf", str(blank), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "holds no rows" in result.stderr
    header_only = write_csv(tmp_path / "header.csv", GCDF_HEADERS, [])
    result = run(["import", "gcdf", str(header_only), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0 and "0 rows read" in result.stderr and "nothing written" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cut", [0.5, 0.05])
def test_a_truncated_workbook(tmp_path, run, cut):
    whole = write_gcdf_xlsx(tmp_path / "whole.xlsx", gcdf_rows()).read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(whole[: int(len(whole) * cut)])
    result = run(["import", "gcdf", str(broken), "-o", str(tmp_path / "out")])
    no_traceback(result)
    assert result.exit_code == 1
    assert f"bricli: {broken} is not a readable Excel workbook (truncated or damaged)" in result.stderr
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_missing_file_and_other_kinds_of_file(tmp_path, run):
    result = run(["import", "gcdf", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "nope.xlsx: no such file" in result.stderr
    result = run(["import", "gcdf", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "is a directory" in result.stderr
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(",".join(GCDF_HEADERS).encode() + b"\n1,S\xe3o Paulo\n")
    result = run(["import", "gcdf", str(latin), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "latin1.csv:2: not UTF-8 text" in result.stderr
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    result = run(["import", "gcdf", str(xls), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "old Excel 97–2003 workbook" in result.stderr
    result = run(["import", "aiddata", str(xls), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "unknown dataset 'aiddata'" in result.stderr and "gcdf, cgit" in result.stderr


def bad_rows():
    rows = gcdf_rows()
    rows[1]["Amount (Constant USD 2021)"] = "12,5 million"  # row 3
    rows[2]["Commitment Year"] = 3015  # row 4
    rows[3]["Implementation Start Year"] = "soon"  # row 5
    rows[4]["Recommended For Aggregates"] = "Maybe"  # row 6
    rows.append(dict(rows[0]))  # row 33: record 38091 again
    return rows


def test_bad_rows_are_skipped_counted_and_listed(tmp_path, run):
    src = write_csv(tmp_path / "g.csv", GCDF_HEADERS, bad_rows())
    result = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")])
    no_traceback(result)
    assert result.exit_code == 0
    for line in ("row 3: Amount (Constant USD 2021): '12,5 million' is not a number",
                 "row 4: Commitment Year: year 3015 is out of range (1950–2100)",
                 "row 5: Implementation Start Year: 'soon' is not a year",
                 "row 6: Recommended For Aggregates: 'Maybe' is not Yes or No",
                 "row 33: AidData Record ID: record 38091 appears twice; the first is kept"):
        assert f"bricli import: {src}: {line}\n" in result.stderr
    assert "32 rows read" in result.stderr and "25 kept" in result.stderr and "5 skipped" in result.stderr
    facts = facts_in(tmp_path / "out")
    assert "gcdf-40001" not in facts and "gcdf-38091" in facts
    assert run(["check", "--facts", str(tmp_path / "out"), "--no-shipped"]).exit_code == 0


def test_strict_fails_on_a_bad_row_and_writes_nothing(tmp_path, run):
    src = write_csv(tmp_path / "g.csv", GCDF_HEADERS, bad_rows())
    result = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out"), "--strict"])
    no_traceback(result)
    assert result.exit_code == 1
    assert "row 3: Amount (Constant USD 2021): '12,5 million' is not a number" in result.stderr
    assert "bricli: 5 row(s) could not be read; nothing written (--strict)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_dotted_headers_with_na_cells(tmp_path, run):
    rows = [gcdf_row(1, "Peru", "PER", "America", 2015, None, None, "A title", "Implementation", None)]
    src = write_csv(tmp_path / "geo.csv", GCDF_HEADERS, rows, dotted)
    assert "NA" in src.read_text(encoding="utf-8")
    result = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert sorted(facts_in(tmp_path / "out")) == ["gcdf-1", "gcdf-1.committed"]


def test_an_amount_with_more_digits_than_a_figure_holds(tmp_path, run):
    """A workbook's float (1974285714.2857143) has 17 digits: rounded to whole dollars, and said so."""
    rows = [gcdf_row(9, "Peru", "PER", "America", 2015, None, None, "t", "Implementation", "1974285714.2857143")]
    src = write_csv(tmp_path / "g.csv", GCDF_HEADERS, rows)
    assert run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")]).exit_code == 0
    assert "value: 1974285714\n" in (tmp_path / "out" / "gcdf-per.yaml").read_text(encoding="utf-8")
    facts = facts_in(tmp_path / "out")
    assert "Rounded to whole dollars" in facts["gcdf-9.amount"]["note"]
    assert facts["gcdf-9.amount"]["source"]["quote"] == "Amount (Constant USD 2021): 1974285714.2857143"


def test_snake_case_headers(tmp_path, run):
    """Headers as R's janitor::clean_names writes them: recipient_iso_3, amount_constant_usd_2021."""
    import re

    def snake(header):
        return re.sub(r"[^0-9a-z]+", "_", header.lower()).strip("_")

    assert snake("Amount (Constant USD 2021)") == "amount_constant_usd_2021"
    src = write_csv(tmp_path / "clean.csv", GCDF_HEADERS, gcdf_rows(), snake)
    result = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    facts = facts_in(tmp_path / "out")
    assert facts["gcdf-38091.amount"]["source"]["quote"] == "amount_constant_usd_2021: 1974285714.29"
    assert len(facts) == 94


def test_text_that_yaml_would_misread_stays_text(tmp_path, run):
    rows = [gcdf_row(7, "Peru", "PER", "America", 2015, None, None, "NO", "Implementation", 5,
                     description="yes: 1:20 # not a comment\ttab \x85 next line \u2028 [x] {y} 'z' \\ back"),
            gcdf_row(8, "Peru", "PER", "America", 2015, None, None, "x" * 9_000, "Implementation", 5, description="y" * 2_000)]
    src = write_csv(tmp_path / "g.csv", GCDF_HEADERS, rows)
    assert run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")]).exit_code == 0
    assert run(["check", "--facts", str(tmp_path / "out"), "--no-shipped"]).exit_code == 0
    facts = facts_in(tmp_path / "out")
    assert facts["gcdf-7"]["label"] == "NO"
    assert facts["gcdf-7"]["source"]["quote"] == "NO\n\nyes: 1:20 # not a comment\ttab \x85 next line \u2028 [x] {y} 'z' \\ back"
    assert len(facts["gcdf-8"]["source"]["quote"]) == 10_000 and "cut at 10,000" in facts["gcdf-8"]["note"]


def test_progress_goes_to_a_terminal_only(tmp_path, run):
    rows = [gcdf_row(i, "Peru", "PER", "America", 2015, None, None, f"t{i}", "Completion", 5) for i in range(1, 2500)]
    src = write_csv(tmp_path / "g.csv", GCDF_HEADERS, rows)
    result = run(["import", "gcdf", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0 and "\r" not in result.stderr and "of 2,499 rows" not in result.stderr


def test_progress_on_a_terminal(tmp_path, monkeypatch, capsys):
    from bricli.cli.commands import importing

    importing._progress(1000, 21000)
    assert capsys.readouterr().err == "\r\x1b[Kbricli import: 1,000 of 21,000 rows"


# --- the dataset's sums by year (derived), issue 22 -------------------------------------------------------------

GCDF_SUM = "gcdf-commitments-chn-lcn-usd-constant-2021"


def test_gcdf_commitments_by_year_are_a_derived_series(gcdf_imports, run):
    out = str(gcdf_imports["csv"][0])
    listed = json.loads(run(["series", "--facts", out, "--format", "json"]).stdout)
    total = next(s for s in listed if s["series"] == GCDF_SUM)
    assert total["label"] == "GCDF commitments to Latin America and the Caribbean by year"
    assert (total["derived"], total["basis"], total["prices"], total["unit"]) == (True, "derived", "constant-2021", "USD")
    assert all(s["derived"] is False for s in listed if s["series"] != GCDF_SUM)
    rows = {r["year"]: r for r in json.loads(run(["series", GCDF_SUM, "--facts", out, "--format", "json"]).stdout)}
    # 2009: record 38091 (Ecuador) and 41004 (Mexico), both recommended
    assert rows[2009]["value"] == 1975285718.29 and rows[2009]["records"] == 2
    assert rows[2009]["derived"] is True and rows[2009]["fact"] == f"derived.sum.{GCDF_SUM}.2009"
    assert rows[2009]["value_text"] == "US$1,975,285,718.29 (constant 2021 prices)"
    # 2010: only Venezuela's umbrella record, not recommended for aggregates: no value
    assert rows[2010]["value"] is None and rows[2010]["records"] is None
    # 2015: Peru's grant; the regional fund's contribution (not recommended) is left out
    assert rows[2015]["value"] == 2500000 and rows[2015]["records"] == 1
    # the records behind a year, and the table saying derived
    alternates = json.loads(run(["series", GCDF_SUM, "--facts", out, "--year", "2009", "--alternates",
                                 "--format", "json"]).stdout)
    assert [(r["rank"], r["fact"], r["derived"]) for r in alternates] == [
        (1, f"derived.sum.{GCDF_SUM}.2009", True), (2, "gcdf-38091.amount", False), (3, "gcdf-41004.amount", False)]
    table = run(["series", GCDF_SUM, "--facts", out, "--format", "table"]).stdout
    assert "derived: the sum of 2 records" in table and "--alternates" in table
    csv_text = run(["series", GCDF_SUM, "--facts", out, "--format", "csv"]).stdout
    assert csv_text.splitlines()[0].split(",")[11:14] == ["prices", "derived", "records"]


def test_gcdf_sum_chart_says_derived_and_counts_the_records(gcdf_imports, run):
    chart = run(["series", GCDF_SUM, "--facts", str(gcdf_imports["csv"][0]), "--chart"])
    assert chart.exit_code == 0, chart.stderr
    text = " ".join(chart.stdout.split())
    assert "derived" in text and "US$1,975,285,718.29 (2 records)" in text and "2010 no records" in text


def test_gcdf_sums_only_latin_america_and_never_pose_as_stated_facts(tmp_path, run):
    src = write_csv(tmp_path / "gcdf.csv", GCDF_HEADERS, gcdf_rows())
    out = tmp_path / "all"
    assert run(["import", "gcdf", str(src), "-o", str(out), "--all-regions"]).exit_code == 0
    rows = {r["year"]: r for r in json.loads(run(["series", GCDF_SUM, "--facts", str(out), "--format", "json"]).stdout)}
    assert 2004 not in rows  # Angola's railway is not Latin America's
    assert rows[2017]["value"] == 1000012  # Pakistan's power plant (2017) is left out
    # the sums are derived values: listed with --derived, with their inputs; never among the stated facts
    finance = json.loads(run(["finance", "--facts", str(out), "--no-shipped", "--derived", "--format", "json"]).stdout)
    sums = [r for r in finance if r["kind"] == "sum"]
    assert sums and all(r["derived"] is True and r["type"] == "derived" and r["inputs"] for r in sums)
    stated = json.loads(run(["finance", "--facts", str(out), "--no-shipped", "--format", "json"]).stdout)
    assert not [r for r in stated if r["derived"]]
    check = json.loads(run(["check", "--facts", str(out), "--no-shipped", "--format", "json"]).stdout)
    assert check["ok"] is True and check["facts"] == len(facts_in(out))


# --- a project in both the shipped facts and the dataset, issue 22 ---------------------------------------------

def _coca_codo(fact_dir, loan: str, done: str = "2016-11-18", name: str = "Coca Codo Sinclair Hydroelectric Project"):
    return fact_dir({"f.yaml": f"""\
facts:
  - id: p-coca
    type: project
    topic: projects
    label: "Coca Codo Sinclair hydroelectric plant"
    name: "{name}"
    countries: [ECU]
    source: {{id: test-src, section: "S", quote: "q"}}
  - id: p-coca-loan
    type: figure
    topic: finance
    label: "Eximbank loan for Coca Codo Sinclair"
    metric: loan-signed
    countries: [ECU, CHN]
{loan}    unit: USD
    period: "2009"
    about: p-coca
    source: {{id: test-src, section: "S", quote: "q"}}
  - id: p-coca-done
    type: event
    topic: projects
    kind: milestone
    stage: completed
    label: "Coca Codo Sinclair completed"
    countries: [ECU]
    period: "{done}"
    about: p-coca
    source: {{id: test-src, section: "S", quote: "q"}}
"""})


def _conflicts(run, *dirs, extra=()):
    args = ["conflicts", "--country", "ECU", "--format", "json", *extra]
    for d in dirs:
        args += ["--facts", str(d)]
    result = run(args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_a_project_in_the_shipped_facts_and_the_dataset_disagrees_on_its_dates(gcdf_imports, fact_dir, run):
    out = gcdf_imports["csv"][0]
    # the record says completed in 2016: 18 Nov 2016 agrees, 2017 does not
    agree, _ = _conflicts(run, _coca_codo(fact_dir, "    value: 1.68\n    scale: billion\n"), out)
    assert not [r for r in agree if "gcdf" in r["id"]]
    late, _ = _conflicts(run, _coca_codo(fact_dir, "    value: 1.68\n    scale: billion\n", done="2017-03"), out)
    pair = {r["id"]: r for r in late if r["subject"] == "Coca Codo Sinclair Hydroelectric Project: completed, date"}
    assert set(pair) == {"p-coca-done", "gcdf-38091.completed"}
    assert {r["source"]["id"] for r in pair.values()} == {"test-src", "aiddata-gcdf-3.0"}
    # a name that is not in the record's title matches nothing
    other, _ = _conflicts(run, _coca_codo(fact_dir, "    value: 1.68\n    scale: billion\n", done="2017-03",
                                          name="Coca Codo dam"), out)
    assert not [r for r in other if "gcdf" in r["id"]]


def test_constant_and_nominal_amounts_are_a_different_basis_not_a_disagreement(gcdf_imports, fact_dir, run):
    out = gcdf_imports["csv"][0]
    found, stderr = _conflicts(run, _coca_codo(fact_dir, "    value: 1.68\n    scale: billion\n"), out)
    assert not [r for r in found if r["disagreement"] == "value" and "gcdf" in r["id"]]
    assert "not compared, a different price basis rather than a disagreement" in stderr
    assert "US$1.68 billion nominal (test-src, p-coca-loan)" in stderr and "gcdf-38091.amount" in stderr


def test_amounts_on_one_basis_follow_the_disagreement_rule(gcdf_imports, fact_dir, run):
    out = gcdf_imports["csv"][0]
    constant = "    prices: constant-2021\n"
    # US$2.1 billion (2.05-2.15) and the record's 1,974,285,714.29 disagree ...
    found, stderr = _conflicts(run, _coca_codo(fact_dir, f"    value: 2.1\n    scale: billion\n{constant}"), out)
    values = [r for r in found if r["disagreement"] == "value"]
    assert {r["id"] for r in values} == {"p-coca-loan", "gcdf-38091.amount"}
    assert values[0]["subject"] == "Coca Codo Sinclair Hydroelectric Project: amount, Ecuador"
    assert "price basis" not in stderr
    # ... a round US$2 billion (1.5-2.5) does not contradict the exact figure
    found, _ = _conflicts(run, _coca_codo(fact_dir, f"    value: 2\n    scale: billion\n{constant}"), out)
    assert not [r for r in found if r["disagreement"] == "value" and "gcdf" in r["id"]]


def test_the_analysis_knows_the_importers_source_ids():
    from bricli.analysis.conflicts import DATASET_SOURCES
    from bricli.analysis.derive import DATASET_SUMS
    from bricli.importers.gcdf import SOURCE_ID

    assert DATASET_SOURCES == (SOURCE_ID,)
    assert [s.source_id for s in DATASET_SUMS] == [SOURCE_ID]


def test_prices_and_aggregates_reach_the_exports(gcdf_imports, run, tmp_path):
    import csv
    import sqlite3

    out = str(gcdf_imports["csv"][0])
    db = tmp_path / "facts.db"
    result = run(["export", str(db), "--facts", out])
    assert result.exit_code == 0, result.stderr
    con = sqlite3.connect(db)
    rows = {i: (p, a) for i, p, a in con.execute("SELECT id, prices, aggregates FROM facts")}
    assert rows["gcdf-40004.amount"] == ("constant-2021", 0)  # not recommended for aggregates
    assert rows["gcdf-38091.amount"] == ("constant-2021", 1)
    assert rows["gcdf-38091"] == (None, None)  # a project states no amount
    assert rows["trade-2018-total-chn-lcn"] == ("nominal", 1)
    sums = con.execute("SELECT id, prices, aggregates, value FROM derived WHERE kind = 'sum'").fetchall()
    assert (f"derived.sum.{GCDF_SUM}.2009", "constant-2021", None, 1975285718.29) in sums
    con.close()
    directory = tmp_path / "csv"
    assert run(["export", str(directory), "--facts", out, "--format", "csv"]).exit_code == 0
    with open(directory / "facts.csv", newline="", encoding="utf-8") as fh:
        by_id = {r["id"]: r for r in csv.DictReader(fh)}
    assert (by_id["gcdf-40004.amount"]["prices"], by_id["gcdf-40004.amount"]["aggregates"]) == ("constant-2021", "false")
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "facts" for f in r["schema"]["fields"]}
    assert fields["prices"]["constraints"]["enum"] == ["nominal", "constant-2021"] and "constant 2021" in fields["prices"]["description"]
    assert fields["aggregates"]["type"] == "boolean" and "Recommended For Aggregates" in fields["aggregates"]["description"]


def test_the_readme_documents_every_series_field():
    from bricli.present.series import ALTERNATE_FIELDS, ROW_FIELDS, SERIES_FIELDS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    part = readme.split("`bricli series --format json` gives", 1)[1].split("`bricli sources --format json`", 1)[0]
    assert [f for f in dict.fromkeys(SERIES_FIELDS + ROW_FIELDS + ALTERNATE_FIELDS) if f"`{f}`" not in part] == []
