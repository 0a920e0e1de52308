"""`bricli export`: the fact base as an SQLite database (with Datasette metadata), or as
CSV / Parquet files; opened here with sqlite3, and with DuckDB, pandas and Datasette
when they are installed (those tests skip otherwise)."""

from __future__ import annotations

import asyncio
import html
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from bricli.cli.writers import fts5_available
from bricli.present.database import EXPORT_TABLES, record_columns
from bricli.analysis.contract import FIELDS

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
TOPICS = ("trade", "investment", "projects", "finance", "people", "policy", "risks")
KNOWN = "trade-2018-total-chn-lcn"
HUAWEI = "project-huawei-5g-bra-mex"


needs_fts5 = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")


def listing(run, *args) -> list[dict]:
    result = run([*args, "--format", "json"], env=ENV)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def everything(run) -> list[dict]:
    """What the topic commands print, all seven, derived values included (as the export has
    them unless --no-derived): the whole base as --format json gives it."""
    return [rec for topic in TOPICS for rec in listing(run, topic, "--derived")]


def as_columns(rec: dict) -> dict:
    """A JSON record as the SQLite export's columns: source.x -> source_x, lists as JSON arrays."""
    out = {}
    for name, value in rec.items():
        if name == "source":
            out.update({f"source_{k}": v for k, v in value.items()})
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def rows(db: Path, sql: str, *params) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The shipped facts exported once as facts.db (read-only for the tests that share it)."""
    from conftest import invoke

    where = tmp_path_factory.mktemp("export") / "facts.db"
    result = invoke(["export", str(where)], env=ENV)
    assert result.exit_code == 0, result.stderr
    return where, result


# --- the SQLite database ------------------------------------------------------------------


def test_export_writes_the_database_and_its_metadata_and_says_how_to_browse(exported):
    db, result = exported
    assert result.stdout == ""
    assert db.is_file() and db.with_name("facts.metadata.json").is_file()
    assert "datasette" in result.stderr and "facts.metadata.json" in result.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == ["facts.db", "facts.metadata.json"]  # no temporary left


def test_every_row_is_the_json_record_column_for_column(exported, run):
    """Stated facts in `facts`, derived values in `derived`: together exactly what the topic
    commands print as JSON, every field equal."""
    db, _ = exported
    expected = {rec["id"]: as_columns(rec) for rec in everything(run)}
    got = {r["id"]: r for r in rows(db, "SELECT * FROM facts UNION ALL SELECT * FROM derived")}
    assert len(got) == len(expected)
    assert got.keys() == expected.keys()
    for fid, want in expected.items():
        row = got[fid]
        assert row.pop("selected") == 1
        for name, value in want.items():
            if isinstance(value, bool):
                value = int(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and row[name] is not None:
                assert float(row[name]) == float(value), (fid, name)
            else:
                assert row[name] == value, (fid, name)
    counts = rows(db, "SELECT (SELECT count(*) FROM facts) AS f, (SELECT count(*) FROM derived) AS d")[0]
    assert counts["f"] == sum(1 for r in expected.values() if not r["derived"])
    assert counts["d"] == sum(1 for r in expected.values() if r["derived"]) > 0


def test_the_quote_is_beside_each_fact(exported):
    db, _ = exported
    (row,) = rows(db, "SELECT value, unit, scale, period, qualifier, source_quote FROM facts WHERE id = ?", KNOWN)
    assert row["value"] == 307.4 and row["unit"] == "USD" and row["scale"] == "billion" and row["period"] == "2018"
    assert "US$307.4 billion" in row["source_quote"]
    assert rows(db, "SELECT id FROM facts WHERE source_quote IS NULL OR source_quote = ''") == []


def test_foreign_keys_are_declared_and_all_resolve(exported):
    db, _ = exported
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        declared = {(t, r[3], r[2]) for t in ("facts", "derived", "fact_countries", "derived_inputs", "derived_countries")
                    for r in con.execute(f"PRAGMA foreign_key_list({t})")}
        assert con.execute("PRAGMA user_version").fetchone()[0] >= 1
    finally:
        con.close()
    assert {("facts", "source_id", "sources"), ("facts", "revises", "facts"), ("derived", "source_id", "sources"),
            ("fact_countries", "fact_id", "facts"), ("fact_countries", "country", "countries"),
            ("derived_inputs", "derived_id", "derived"), ("derived_inputs", "fact_id", "facts"),
            ("derived_countries", "country", "countries")} <= declared


def test_derived_values_link_to_their_input_facts(exported):
    db, _ = exported
    linked = rows(db, "SELECT d.id, d.formula, d.inputs, group_concat(i.fact_id, ';') AS linked "
                      "FROM derived d JOIN derived_inputs i ON i.derived_id = d.id GROUP BY d.id")
    assert linked and all(r["formula"] for r in linked)
    for r in linked:
        assert r["linked"].split(";") == json.loads(r["inputs"])
    balance = rows(db, "SELECT f.direction FROM derived_inputs i JOIN facts f ON f.id = i.fact_id "
                       "WHERE i.derived_id = 'derived.balance.trade-2018-exports-chn-lcn' ORDER BY i.position")
    assert [r["direction"] for r in balance] == ["exports", "imports"]


def test_sources_and_countries_have_their_names(exported, run):
    db, _ = exported
    sources = rows(db, "SELECT * FROM sources")
    listed = listing(run, "sources")
    # every field of `bricli sources --format json` (the grades included), booleans as 1/0
    assert [{k: s[k] for k in listed[0]} for s in sources] == [
        {k: int(v) if isinstance(v, bool) else v for k, v in s.items()} for s in listed]
    assert {s["reliability"] for s in sources} >= {"A", "B", "C"}
    (brazil,) = rows(db, "SELECT * FROM countries WHERE code = 'BRA'")
    assert brazil == {"code": "BRA", "alpha2": "BR", "name_en": "Brazil", "name_es": "Brasil", "name_pt": "Brasil"}
    named = rows(db, "SELECT DISTINCT country FROM fact_countries UNION SELECT country FROM derived_countries "
                     "UNION SELECT country FROM country_matrix")
    assert {r["country"] for r in named} == {r["code"] for r in rows(db, "SELECT code FROM countries")}
    about = {r["key"]: r["value"] for r in rows(db, "SELECT * FROM about")}
    assert about["selection"] == "all facts" and about["bricli_version"]


@needs_fts5
@pytest.mark.parametrize("query,fact", [("Huawei", HUAWEI), ("Perú", "risk-political-peru"), ("307.4", KNOWN)])
def test_full_text_search_finds_a_known_fact(exported, query, fact):
    db, _ = exported
    if not rows(db, "SELECT id FROM facts WHERE id = ?", fact):
        pytest.skip(f"{fact} is not in the shipped facts any more")
    found = rows(db, "SELECT facts.id FROM facts_fts JOIN facts ON facts.rowid = facts_fts.rowid "
                     "WHERE facts_fts MATCH ?", f'"{query}"')
    assert fact in {r["id"] for r in found}


def test_a_selection_holds_what_the_listing_prints_plus_the_facts_it_refers_to(run, tmp_path):
    db = tmp_path / "trade.db"
    result = run(["export", str(db), "--topic", "trade", "--year", "2007"], env=ENV)
    assert result.exit_code == 0, result.stderr
    listed = listing(run, "trade", "--year", "2007", "--derived")
    selected = {r["id"] for r in rows(db, "SELECT id FROM facts WHERE selected")}
    assert selected == {r["id"] for r in listed if not r["derived"]}
    derived = rows(db, "SELECT id, inputs FROM derived")
    assert {r["id"] for r in derived} == {r["id"] for r in listed if r["derived"]}
    # an input of a selected derived value outside the selection is there, marked selected = 0
    # and so are the other facts of a disagreement a selected fact is part of
    context = {r["id"] for r in rows(db, "SELECT id FROM facts WHERE NOT selected")}
    inputs = {i for r in derived for i in json.loads(r["inputs"])}
    disagreeing = {r["fact_id"] for r in rows(db, "SELECT fact_id FROM conflicts")}
    assert disagreeing & selected
    assert context == (inputs | disagreeing) - selected
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    assert dict(rows(db, "SELECT key, value FROM about WHERE key = 'selection'")[0])["value"] == "--topic trade --year 2007"


def test_no_derived_and_an_empty_selection(run, tmp_path):
    db = tmp_path / "none.db"
    result = run(["export", str(db), "--grep", "no such text anywhere"], env=ENV)
    assert result.exit_code == 0
    assert "no facts match" in result.stderr
    assert rows(db, "SELECT count(*) AS n FROM facts")[0]["n"] == 0
    plain = tmp_path / "plain.db"
    assert run(["export", str(plain), "--no-derived"], env=ENV).exit_code == 0
    assert rows(plain, "SELECT count(*) AS n FROM derived")[0]["n"] == 0


HOSTILE = """\
facts:
  - id: odd-text
    type: event
    topic: policy
    kind: other
    label: "Quotes ' \\" ; -- and ); DROP TABLE facts; -- =SUM(A1) \\u202e\\x1b[31m red"
    countries: [BRA]
    period: "2018"
    source: {id: test-src, section: "S", quote: "Line one\\nline two, ünïcödé, 中文, \\"quoted\\""}
"""


def test_any_text_round_trips_exactly(run, fact_dir, tmp_path):
    d = fact_dir({"odd.yaml": HOSTILE})
    db = tmp_path / "odd.db"
    args = ["--facts", str(d), "--no-shipped"]
    result = run(["export", str(db), *args], env=ENV)
    assert result.exit_code == 0, result.stderr
    (want,) = listing(run, "policy", *args)
    (got,) = rows(db, "SELECT label, source_quote FROM facts")
    assert got == {"label": want["label"], "source_quote": want["source"]["quote"]}
    assert {r["name"] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")} >= {"facts", "sources"}


# --- writing safely -----------------------------------------------------------------------


def test_an_existing_database_or_metadata_file_is_kept_without_force(run, tmp_path):
    db = tmp_path / "facts.db"
    db.write_text("precious", encoding="utf-8")
    refused = run(["export", str(db)], env=ENV)
    assert refused.exit_code == 1 and "already exists" in refused.stderr and "--force" in refused.stderr
    assert db.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "facts.metadata.json").exists()

    other = tmp_path / "other.db"
    (tmp_path / "other.metadata.json").write_text("{}", encoding="utf-8")
    refused = run(["export", str(other)], env=ENV)
    assert refused.exit_code == 1 and "other.metadata.json" in refused.stderr
    assert not other.exists()  # both are checked before either is written

    forced = run(["export", str(db), "--force"], env=ENV)
    assert forced.exit_code == 0, forced.stderr
    assert rows(db, "SELECT count(*) AS n FROM facts")[0]["n"] > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_symlink_is_not_written_through_without_force(run, tmp_path):
    real = tmp_path / "real.db"
    real.write_text("precious", encoding="utf-8")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    result = run(["export", str(link)], env=ENV)
    assert result.exit_code == 1 and "symlink" in result.stderr
    assert real.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize("args,needle", [
    (["x.txt"], "cannot tell the export format"),
    (["x.db", "--format", "excel"], "unknown export format"),
    (["x.db", "--topic", "weather"], "unknown topic"),
    (["x.db", "--country", "Atlantis"], "Atlantis"),
])
def test_usage_errors_exit_2_and_write_nothing(run, tmp_path, args, needle):
    result = run(["export", str(tmp_path / args[0]), *args[1:]], env=ENV)
    assert result.exit_code == 2
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_format_follows_the_name_unless_given(tmp_path):
    from bricli.cli.writers import format_for

    assert format_for(Path("a.db"), None) == format_for(Path("a.SQLite3"), None) == "sqlite"
    assert format_for(Path("a.parquet"), None) == "parquet"
    assert format_for(Path("out"), None) == "csv-dir"
    assert format_for(Path("out"), "SQLITE") == "sqlite"


def test_parquet_without_pyarrow_exits_2_with_the_extra_to_install(tmp_path):
    """A fresh interpreter in which `import pyarrow` fails (cli/writers.py imports it at its top)."""
    import os
    import subprocess

    code = ("import sys; sys.modules['pyarrow'] = None; sys.argv = ['bricli', *sys.argv[1:]]; "
            "from bricli.cli.main import run; run()")
    out = tmp_path / "out"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BRICLI_")}
    environ.update(ENV, BRICLI_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-c", code, "export", str(out), "--format", "parquet"], env=environ,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "pyarrow" in proc.stderr and "bricli[parquet]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_pyarrow_is_only_an_extra():
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.lower().startswith("pyarrow")]
    assert [d for d in project["optional-dependencies"]["parquet"] if d.lower().startswith("pyarrow")]


# --- CSV and Parquet directories ----------------------------------------------------------


def test_csv_dir_has_one_file_per_table(run, tmp_path, exported):
    import csv

    out = tmp_path / "facts"
    result = run(["export", str(out)], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t.name}.csv" for t in EXPORT_TABLES] + ["metadata.json", "datapackage.json"])
    db, _ = exported
    for table in EXPORT_TABLES:
        with open(out / f"{table.name}.csv", encoding="utf-8", newline="") as fh:
            read = list(csv.reader(fh))
        assert read[0] == [c.name for c in table.columns]
        assert len(read) - 1 == rows(db, f"SELECT count(*) AS n FROM {table.name}")[0]["n"]
    assert [p.name for p in tmp_path.iterdir()] == ["facts"]  # no temporary directory left


def test_a_directory_is_replaced_only_with_force_and_only_an_earlier_export(run, tmp_path):
    out = tmp_path / "out"
    assert run(["export", str(out), "--format", "csv-dir"], env=ENV).exit_code == 0
    again = run(["export", str(out), "--format", "csv-dir"], env=ENV)
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert run(["export", str(out), "--format", "csv-dir", "--force"], env=ENV).exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused = run(["export", str(out), "--format", "csv-dir", "--force"], env=ENV)
    assert refused.exit_code == 1 and "did not write" in refused.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_parquet_opens_in_pandas_and_duckdb(run, tmp_path, exported):
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    out = tmp_path / "facts.parquet"
    result = run(["export", str(out)], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert (out / "facts.parquet").is_file()
    db, _ = exported
    facts = pd.read_parquet(out / "facts.parquet")
    assert len(facts) == rows(db, "SELECT count(*) AS n FROM facts")[0]["n"]
    assert facts["derived"].dtype == bool and facts["value"].dtype == "float64"
    known = facts.set_index("id").loc[KNOWN]
    assert known["value"] == 307.4 and "US$307.4 billion" in known["source_quote"]
    duckdb = pytest.importorskip("duckdb")
    derived = duckdb.sql(f"SELECT count(*) FROM '{out / 'derived.parquet'}'").fetchall()[0][0]
    assert derived == rows(db, "SELECT count(*) AS n FROM derived")[0]["n"]


def test_duckdb_and_pandas_read_the_export(run, tmp_path, exported):
    """The README's one-liners: pandas on the SQLite file, DuckDB on the CSV files (DuckDB's
    own SQLite reader is an extension it downloads, so not in a test without network)."""
    pd = pytest.importorskip("pandas")
    db, _ = exported
    con = sqlite3.connect(db)
    try:
        frame = pd.read_sql("SELECT * FROM facts WHERE topic = 'trade'", con)
    finally:
        con.close()
    assert KNOWN in set(frame["id"])
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "csv"
    assert run(["export", str(out)], env=ENV).exit_code == 0
    got = duckdb.sql(f"SELECT value, source_quote FROM read_csv('{out / 'facts.csv'}') WHERE id = '{KNOWN}'").fetchall()[0]
    assert got[0] == 307.4 and "US$307.4 billion" in got[1]


# --- Datasette ------------------------------------------------------------------------------


def test_metadata_describes_every_table_and_column(exported):
    db, _ = exported
    meta = json.loads(db.with_name("facts.metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] and meta["description"] and meta["license"] and meta["source"]
    tables = meta["databases"]["facts"]["tables"]
    con = sqlite3.connect(db)
    try:
        for table in EXPORT_TABLES:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({table.name})")]
            assert set(tables[table.name]["columns"]) == set(columns)
            assert all(tables[table.name]["columns"].values())
            assert tables[table.name]["description"]
    finally:
        con.close()
    assert tables["facts"]["label_column"] == "label"


def test_the_record_columns_are_the_json_contract():
    dates = ("period_start", "period_end", "year")
    assert [c for c in record_columns() if not c.startswith("source_") and c not in dates] == [f for f in FIELDS if f != "source"]
    facts = next(t for t in EXPORT_TABLES if t.name == "facts")
    assert [c.name for c in facts.columns] == [*record_columns(), "selected"]


def test_datasette_shows_the_pages_and_the_quote_of_a_fact(exported):
    datasette_app = pytest.importorskip("datasette.app")
    db, _ = exported
    meta = json.loads(db.with_name("facts.metadata.json").read_text(encoding="utf-8"))
    (quote,) = rows(db, "SELECT source_quote FROM facts WHERE id = ?", KNOWN)
    derived = rows(db, "SELECT id, formula FROM derived ORDER BY id LIMIT 1")[0]
    urls = [r["url"] for r in rows(db, "SELECT url FROM sources WHERE url IS NOT NULL")]

    async def pages():
        ds = datasette_app.Datasette([str(db)], metadata=meta)
        out = {}
        for path in ("/", "/facts", "/facts/facts", "/facts/sources?_size=max", "/facts/derived", "/facts/countries",
                     f"/facts/facts/{KNOWN}", f"/facts/derived/{derived['id']}", "/facts/facts?_search=Huawei"):
            response = await ds.client.get(path)
            out[path] = (response.status_code, response.text)
        return out

    got = asyncio.run(pages())
    assert {path: status for path, (status, _) in got.items()} == dict.fromkeys(got, 200)
    assert meta["title"] in got["/"][1]
    row_page = got[f"/facts/facts/{KNOWN}"][1]
    assert quote["source_quote"] in html.unescape(row_page)
    assert "China-Latin America Belt and Road Cooperation" in html.unescape(row_page)  # the source, by its title
    assert derived["formula"] in html.unescape(got[f"/facts/derived/{derived['id']}"][1])
    for url in urls:  # sources link to where they can be read (all on one page: _size=max)
        assert f'href="{html.escape(url)}"' in got["/facts/sources?_size=max"][1]
    if fts5_available():
        searched = got["/facts/facts?_search=Huawei"][1]
        assert HUAWEI in searched and KNOWN not in searched


# --- files.atomic_create and atomic_create_dir ----------------------------------------------


def test_a_failing_build_leaves_nothing_and_keeps_what_was_there(tmp_path):
    from bricli.files import WriteRefused, atomic_create, atomic_create_dir

    def fail(tmp: Path) -> None:
        (tmp / "half.csv").write_text("x", encoding="utf-8") if tmp.is_dir() else tmp.write_text("x", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(WriteRefused, match=r"new\.db: No space left"):  # named, as every write failure (issue 24)
        atomic_create(tmp_path / "new.db", fail)
    old = tmp_path / "old"
    old.mkdir()
    (old / "facts.csv").write_text("earlier", encoding="utf-8")
    with pytest.raises(WriteRefused):
        atomic_create_dir(old, fail, force=True, replaceable=lambda _: True)
    with pytest.raises(KeyboardInterrupt):
        atomic_create_dir(tmp_path / "new", lambda tmp: (_ for _ in ()).throw(KeyboardInterrupt))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]
    assert [p.name for p in old.iterdir()] == ["facts.csv"] and (old / "facts.csv").read_text(encoding="utf-8") == "earlier"


def test_a_directory_keeps_the_usual_mode_and_a_file_in_the_way_is_refused(tmp_path):
    import os
    import stat

    from bricli.files import WriteRefused, atomic_create_dir

    old = os.umask(0o022)
    try:
        atomic_create_dir(tmp_path / "out", lambda tmp: (tmp / "a.csv").write_text("a", encoding="utf-8"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    (tmp_path / "file").write_text("precious", encoding="utf-8")
    with pytest.raises(WriteRefused, match="not a directory"):
        atomic_create_dir(tmp_path / "file", lambda tmp: None, force=True, replaceable=lambda _: True)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "out")
    with pytest.raises(WriteRefused, match="symlink"):
        atomic_create_dir(link, lambda tmp: None)
    assert (tmp_path / "file").read_text(encoding="utf-8") == "precious"


def test_a_failed_database_write_exits_1_and_leaves_nothing(run, tmp_path, monkeypatch):
    import bricli.cli.writers as writers

    def full_disk(con, export, fts, track):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(writers, "_fill", full_disk)
    result = run(["export", str(tmp_path / "facts.db")], env=ENV)
    assert result.exit_code == 1 and "disk is full" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_selected_step_brings_the_fact_it_is_a_step_of(run, tmp_path):
    """`about` is a foreign key like `revises`: a step selected alone (Panama's withdrawal)
    brings the signing it belongs to, marked selected = 0, so the key resolves."""
    facts = Path(__file__).parent / "fixtures" / "conflicts"
    db = tmp_path / "steps.db"
    result = run(["export", str(db), "--no-shipped", "--facts", str(facts), "--topic", "policy", "--year", "2025"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert {r["id"] for r in rows(db, "SELECT id FROM facts WHERE selected")} == {"bri-withdrawn-pan"}
    assert {r["id"] for r in rows(db, "SELECT id FROM facts WHERE NOT selected")} == {"bri-signed-pan-mire"}
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


# --- typed columns (issue 23): dates, lists, every source field, conflicts and the matrix ------------


def test_the_period_as_dates_and_a_year(exported):
    db, _ = exported
    (known,) = rows(db, "SELECT period, period_start, period_end, year, typeof(year) AS t FROM facts WHERE id = ?", KNOWN)
    assert known == {"period": "2018", "period_start": "2018-01-01", "period_end": "2018-12-31", "year": 2018, "t": "integer"}
    partial = rows(db, "SELECT period_start, period_end, year, partial FROM facts WHERE period = '2019-01/2019-11'")
    assert partial and all(r == {"period_start": "2019-01-01", "period_end": "2019-11-30", "year": 2019, "partial": 1}
                           for r in partial)
    # every date is one SQLite reads as itself (never a Julian day); open ends and multi-year spans have no year
    assert rows(db, "SELECT id FROM facts WHERE date(period_start) IS NOT period_start OR date(period_end) IS NOT period_end "
                    "UNION ALL SELECT id FROM derived WHERE date(period_start) IS NOT period_start") == []
    assert rows(db, "SELECT id FROM facts WHERE period IS NOT NULL AND period_start IS NULL AND period_end IS NULL") == []
    spans = rows(db, "SELECT period, year FROM facts WHERE period LIKE '%/%' "
                     "AND substr(period, 1, 4) != substr(period, instr(period, '/') + 1, 4)")
    assert spans and all(r["year"] is None for r in spans)
    assert rows(db, "SELECT id FROM sources WHERE date(date_start) IS NOT date_start OR date_end < date_start") == []


def test_lists_are_json_arrays_and_datasette_facets_them(exported):
    datasette_app = pytest.importorskip("datasette.app")
    db, _ = exported
    (known,) = rows(db, "SELECT countries FROM facts WHERE id = ?", KNOWN)
    assert json.loads(known["countries"]) == ["CHN", "LCN"]
    brazil = rows(db, "SELECT count(*) AS n FROM facts, json_each(facts.countries) WHERE json_each.value = 'BRA'")[0]["n"]
    assert brazil == rows(db, "SELECT count(*) AS n FROM fact_countries WHERE country = 'BRA'")[0]["n"] > 0
    meta = json.loads(db.with_name("facts.metadata.json").read_text(encoding="utf-8"))
    assert {"array": "countries"} in meta["databases"]["facts"]["tables"]["facts"]["facets"]

    async def pages():
        # as the export tells people to run it: facets from the metadata, none suggested
        ds = datasette_app.Datasette([str(db)], metadata=meta, settings={"suggest_facets": False})
        out = {}
        for path in ("/facts/facts.json?_facet_array=countries&_extra=facet_results",
                     "/facts/facts.json?_extra=facet_results,suggested_facets",
                     "/facts/sources.json?_extra=facet_results,suggested_facets"):
            response = await ds.client.get(path)
            out[path] = (response.status_code, response.json())
        return out

    got = asyncio.run(pages())
    assert all(status == 200 for status, _ in got.values()), got
    facets = got["/facts/facts.json?_extra=facet_results,suggested_facets"][1]
    by_country = {r["value"]: r["count"] for r in facets["facet_results"]["countries"]["results"]}
    assert by_country["BRA"] == brazil  # one count per country, not per combination
    assert {"topic", "year", "source_id"} <= set(facets["facet_results"])
    assert facets["suggested_facets"] == []  # no date facet on period or source_date (2018 read as -4707-06-03)
    sources = got["/facts/sources.json?_extra=facet_results,suggested_facets"][1]
    assert {r["value"] for r in sources["facet_results"]["reliability"]["results"]} >= {"A", "B", "C"}


def test_a_selection_exports_only_the_sources_it_cites(run, tmp_path):
    db = tmp_path / "few.db"
    result = run(["export", str(db), "--topic", "trade", "--year", "2018"], env=ENV)
    assert result.exit_code == 0, result.stderr
    cited = {r["source_id"] for r in rows(db, "SELECT source_id FROM facts UNION SELECT source_id FROM derived")}
    exported = {r["id"]: r["facts"] for r in rows(db, "SELECT id, facts FROM sources")}
    assert set(exported) == cited
    assert len(exported) < len(listing(run, "sources"))
    counted = {r["source_id"]: r["n"] for r in rows(db, "SELECT source_id, count(*) AS n FROM facts GROUP BY source_id")}
    assert {k: v for k, v in exported.items() if v} == counted


def test_conflicts_and_the_matrix_are_tables(exported, run):
    db, _ = exported
    listed = listing(run, "conflicts")
    got = rows(db, "SELECT conflict, fact_id, subject, disagreement FROM conflicts ORDER BY conflict, position")
    assert got == [{"conflict": r["conflict"], "fact_id": r["id"], "subject": r["subject"],
                    "disagreement": r["disagreement"]} for r in listed]
    matrix = listing(run, "countries")
    table = rows(db, "SELECT * FROM country_matrix")
    assert len(table) == len(matrix) == 33
    for want, row in zip(matrix, table):
        for name, value in want.items():
            if name == "entries":
                continue
            assert (json.loads(row[name]) if name.endswith("_facts") else row[name]) == value, (want["country"], name)


def test_parquet_types_dates_lists_and_says_it_wrote_a_directory(run, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    out = tmp_path / "facts.parquet"
    result = run(["export", str(out), "--topic", "trade"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert out.is_dir() and "is a new directory" in result.stderr and str(out / "facts.parquet") in result.stderr
    facts = pq.read_table(out / "facts.parquet")
    assert facts.schema.field("countries").type == pa.list_(pa.string())
    assert facts.schema.field("period_start").type == pa.date32() and facts.schema.field("year").type == pa.int64()
    assert facts.schema.field("change_pct").type == pa.float64()
    row = facts.filter(pa.compute.equal(facts["id"], KNOWN)).to_pylist()[0]
    assert row["countries"] == ["CHN", "LCN"] and row["year"] == 2018 and str(row["period_end"]) == "2018-12-31"
    sources = pq.read_table(out / "sources.parquet")
    assert {"reliability", "reproduces", "retrieved", "date_start"} <= set(sources.column_names)


# --- the Frictionless data package ------------------------------------------------------------


def test_a_csv_export_is_a_valid_data_package(run, tmp_path):
    frictionless = pytest.importorskip("frictionless", reason="pip install frictionless (the test extra)")
    from bricli.present.citation import DATA_LICENSE

    out = tmp_path / "Trade 2018"
    result = run(["export", str(out), "--format", "csv", "--topic", "trade", "--year", "2018"], env=ENV)
    assert result.exit_code == 0, result.stderr
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "trade-2018" and package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == DATA_LICENSE["name"] and package["licenses"][0]["path"] == DATA_LICENSE["path"]
    sources = [r["title"] for r in csv_rows(out / "sources.csv")]
    assert [s["title"] for s in package["sources"]] == sources and sources
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {t.name for t in EXPORT_TABLES}
    facts = resources["facts"]["schema"]
    types = {f["name"]: f for f in facts["fields"]}
    assert facts["primaryKey"] == ["id"]
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["id"]}} in facts["foreignKeys"]
    assert {"fields": ["revises"], "reference": {"resource": "", "fields": ["id"]}} in facts["foreignKeys"]
    assert types["change_pct"]["type"] == "number" and types["year"]["type"] == "integer"
    assert types["period_start"]["type"] == "date" and types["countries"]["type"] == "list"
    assert types["period"]["type"] == "string" and types["partial"]["type"] == "boolean"
    assert "trade" in types["topic"]["constraints"]["enum"] and types["id"]["constraints"]["required"]
    assert all(f["description"] for f in facts["fields"])
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    # and it checks: a value outside the vocabulary, a source that is not there
    text = (out / "facts.csv").read_text(encoding="utf-8")
    first = csv_rows(out / "facts.csv")[0]
    (out / "facts.csv").write_text(text.replace(f",{first['source_id']},", ",no-such-source,", 1), encoding="utf-8")
    broken = frictionless.validate(str(out / "datapackage.json"))
    assert not broken.valid and ["foreign-key"] in broken.flatten(["type"])


def test_a_parquet_export_has_a_data_package_too(run, tmp_path):
    pytest.importorskip("pyarrow")
    frictionless = pytest.importorskip("frictionless", reason="pip install frictionless (the test extra)")
    out = tmp_path / "p"
    assert run(["export", str(out), "--format", "parquet", "--topic", "risks"], env=ENV).exit_code == 0
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == [f"{t.name}.parquet" for t in EXPORT_TABLES]
    assert all(r["format"] == "parquet" for r in package["resources"])
    # the descriptor; frictionless 5 reads Parquet list columns as numpy arrays, so the rows are checked as CSV above
    assert frictionless.Package.validate_descriptor(package).valid


def csv_rows(path: Path) -> list[dict]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- Datasette out of the box (issue 23 part 2; served for real in tests/test_datasette.py) ----------


def test_the_sqlite_facts_table_leads_with_the_useful_columns_and_the_files_keep_the_contracts_order(exported, run, tmp_path):
    from bricli.present.database import RECORD_LEAD

    db, _ = exported
    con = sqlite3.connect(db)
    try:
        for name in ("facts", "derived"):
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({name})")]
            assert columns[:len(RECORD_LEAD)] == list(RECORD_LEAD)
            assert sorted(columns) == sorted([*record_columns(), "source_reliability", "selected"])
    finally:
        con.close()
    result = run(["export", str(tmp_path / "csv"), "--topic", "trade"], env=ENV)
    assert result.exit_code == 0, result.stderr
    header = (tmp_path / "csv" / "facts.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [*record_columns(), "selected"]  # no lookup column in the files: their readers join sources


def test_each_fact_has_its_sources_reliability_to_facet_by(exported):
    db, _ = exported
    mismatched = rows(db, "SELECT f.id FROM facts AS f JOIN sources AS s ON s.id = f.source_id "
                          "WHERE f.source_reliability IS NOT s.reliability")
    assert mismatched == []
    assert {r["source_reliability"] for r in rows(db, "SELECT DISTINCT source_reliability FROM facts")} >= {"A", "B", "C"}
    (known,) = rows(db, "SELECT f.source_reliability, s.reliability FROM facts f JOIN sources s ON s.id = f.source_id "
                        "WHERE f.id = ?", KNOWN)
    assert known["source_reliability"] == known["reliability"]


def test_the_series_table_is_bricli_series_by_year(exported, run):
    from bricli.present.database import TRADE_SERIES

    db, _ = exported
    want = listing(run, "series", TRADE_SERIES)
    got = rows(db, "SELECT * FROM series WHERE series = ? ORDER BY year", TRADE_SERIES)
    assert len(got) == len(want) > 20
    for g, w in zip(got, want):
        assert g.pop("label") == "China–Latin America trade"
        assert g == {k: (int(v) if isinstance(v, bool) else v) for k, v in w.items()}, w["year"]
    ids = {r["series"] for r in listing(run, "series")}
    assert {r["series"] for r in rows(db, "SELECT DISTINCT series FROM series")} == ids
    assert rows(db, "SELECT year FROM series WHERE fact IS NOT NULL AND fact NOT IN (SELECT id FROM facts)") == []


def test_the_metadata_has_the_canned_queries_facets_and_no_wall_of_column_descriptions(exported):
    from urllib.parse import unquote

    from bricli.present.database import CANNED_QUERIES

    db, _ = exported
    meta = json.loads(db.with_name("facts.metadata.json").read_text(encoding="utf-8"))
    database = meta["databases"]["facts"]
    assert database["queries"] == CANNED_QUERIES
    con = sqlite3.connect(db)
    try:
        for name, query in CANNED_QUERIES.items():  # each runs on the export (the country one with a name)
            assert con.execute(query["sql"], {"country": "Brazil"} if name == "country" else {}).fetchall(), name
        assert con.execute(CANNED_QUERIES["country"]["sql"], {"country": "bra"}).fetchall()
    finally:
        con.close()
    facts = database["tables"]["facts"]
    assert facts["facets"] == ["topic", "type", {"array": "countries"}, "year", "source_id", "source_reliability"]
    css = unquote(meta["extra_css_urls"][0].removeprefix("data:text/css,"))
    assert "dl.column-descriptions{display:none}" in css
    assert "data-column-description" in unquote(meta["extra_js_urls"][0])
    assert 'href="facts/trade_by_year"' in meta["description_html"] and meta["source_url"] == "/facts/sources"


def test_the_home_page_text_is_escaped_and_links_only_a_plain_database_name(tmp_path):
    from bricli.model.facts import FactBase, Source
    from bricli.present.database import datasette_metadata

    base = FactBase([], {"s": Source("s", "T", "2020"), "t": Source("t", "U", "2021")}, [], [])
    meta = datasette_metadata("facts", base, "--grep <script>alert(1)</script>", False)
    assert "<script>" not in meta["description_html"] and "&lt;script&gt;" in meta["description_html"]
    odd = datasette_metadata("my facts.v2", base, "all facts", False)
    assert "href=" not in odd["description_html"] and "source_url" not in odd
