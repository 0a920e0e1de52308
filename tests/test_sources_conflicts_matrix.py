"""Facts from many sources: the new fields, where sources disagree, and the regional matrix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "conflicts"
BASE_ARGS = ["--no-shipped", "--facts", str(FIXTURE)]


@pytest.fixture(scope="module")
def base():
    from bricli.load.assemble import load

    b, problems = load([FIXTURE])
    assert problems == []
    return b


def _json(run, args):
    result = run([*args, *BASE_ARGS, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- the model -------------------------------------------------------------------


def test_new_source_and_reference_fields_are_read(base):
    src = base.sources["blog-repost-2025"]
    assert (src.kind, src.reliability, src.reproduces) == ("repost", "C", "Reuters, 6 Feb 2025")
    assert base.sources["mofcom-2012"].retrieved == "stored copy of the page, checked 2026-11-28"
    f = base.by_id()["bri-signed-pan-efe"]
    assert f.source.section is None and f.source.translation == "joined the Belt and Road"
    swap = base.by_id()["swap-chl-2020"]
    assert (swap.value.text, swap.unit, swap.stage, swap.about) == ("50", "CNY", "expanded", "swap-chl-2015")
    assert base.by_id()["trade-2011-total-imf"].stat_basis == "imf-dots"
    assert base.by_id()["trade-2012-total-imf"].stat_basis == "unstated"  # the default


SOURCE = """\
sources:
  - id: web-es
    title: "Una página"
    date: "2020"
    url: "https://example.org"
    kind: news
    language: es
    reliability: B
  - id: an-article
    title: "An article"
    date: "2020"
    kind: article
    language: en
facts:
"""


def _event(id, extra):
    return (f"  - id: {id}\n    type: policy\n    topic: policy\n    label: \"{id}\"\n    countries: [CHN, PAN]\n"
            + "".join(f"    {line}\n" for line in extra))


@pytest.mark.parametrize(
    "lines, message",
    [
        (["kind: memorandum", "stage: signed", "source: {id: web-es, quote: q, translation: t}"], "is not a stage of kind 'memorandum'"),
        (["kind: bri-document", "stage: renewed", "source: {id: web-es, quote: q, translation: t}"], "is not a stage of kind 'bri-document'"),
        (["kind: bri-document", "source: {id: web-es, quote: q}"], "has no English translation"),
        (["kind: bri-document", "source: {id: an-article, quote: q}"], "located by section"),
        (["kind: bri-document", "about: no-such-fact", "source: {id: web-es, quote: q, translation: t}"], "about names fact 'no-such-fact'"),
        (["kind: bri-document", "source: {id: web-es, section: S}"], "missing 'quote'"),
    ],
)
def test_new_rules_are_checked(run, fact_dir, lines, message):
    d = fact_dir({"f.yaml": SOURCE + _event("x", lines)}, with_source=False)
    result = run(["check", "--no-shipped", "--facts", str(d)])
    assert result.exit_code == 1
    assert message in result.stdout


def test_a_web_page_quote_needs_no_section_and_an_amount_needs_a_unit(run, fact_dir):
    ok = SOURCE + _event("x", ["kind: bri-document", "stage: withdrawn", "period: \"2025-02-06\"",
                                "source: {id: web-es, quote: q, translation: t}"])
    assert run(["check", "--no-shipped", "--facts", str(fact_dir({"f.yaml": ok}, with_source=False))]).exit_code == 0
    amount = SOURCE + (
        "  - id: s\n    type: arrangement\n    topic: finance\n    kind: swap\n    label: s\n    value: 3\n"
        "    source: {id: web-es, quote: q, translation: t}\n")
    result = run(["check", "--no-shipped", "--facts", str(fact_dir({"f.yaml": amount}, with_source=False))])
    assert result.exit_code == 1 and "needs its 'unit'" in result.stdout


def test_a_series_never_mixes_statistical_bases(base):
    from bricli.model.series import series_key

    facts = base.by_id()
    assert series_key(facts["trade-2011-total-imf"]) != series_key(facts["trade-2011-total-mofcom"])


# --- conflicts -------------------------------------------------------------------


def test_find_conflicts_lists_value_and_date_disagreements(base):
    from bricli.analysis.conflicts import Conflict, find_conflicts

    found = find_conflicts(base.facts)
    assert [(c.subject, c.kind, tuple(f.id for f in c.facts)) for c in found] == [
        ("China–LAC trade, 2011, total", "value", ("trade-2011-total-imf", "trade-2011-total-mofcom")),
        ("Panama: Belt and Road document signed, date", "date", ("bri-signed-pan-mire", "bri-signed-pan-efe")),
    ]
    assert all(isinstance(c, Conflict) for c in found)
    assert find_conflicts(reversed(base.facts)) == found  # deterministic whatever the input order


def test_rounding_qualifiers_and_one_source_are_not_disagreements(base):
    from dataclasses import replace

    from bricli.analysis.conflicts import find_conflicts
    from bricli.model.facts import Number, SourceRef

    facts = base.by_id()
    # 261 and 261.2 agree after rounding (that pair is in the fixture and not listed above)
    a = facts["trade-2011-total-mofcom"]
    more_than = replace(facts["trade-2011-total-imf"], value=Number("200"), qualifier="more-than")
    assert find_conflicts([a, more_than]) == []
    about = replace(facts["trade-2011-total-imf"], value=Number("240"), qualifier="about")  # 235-245
    assert find_conflicts([a, about]) == []
    same_source = replace(facts["trade-2011-total-imf"], source=SourceRef("mofcom-2012", None, "q"))
    assert find_conflicts([a, same_source]) == []


@pytest.mark.parametrize("text", ["261", "261.2", "-3.05", "0", "0.0", "7.000"])
@pytest.mark.parametrize("scale", ["one", "thousand", "billion"])
def test_an_exact_figure_allows_half_a_unit_of_its_last_digit(base, text, scale):
    """Speed (issue 14): `allowed` takes an exact figure's bounds from model/series (cached), the same
    values as half a unit in the last stated place times the scale."""
    from dataclasses import replace

    from bricli.analysis.conflicts import allowed
    from bricli.model.facts import Number
    from bricli.model.vocab import SCALES

    f = replace(base.by_id()["trade-2011-total-mofcom"], value=Number(text), scale=scale, qualifier="exact")
    v, h, k = f.value.decimal, f.value.half_ulp, SCALES[scale]
    assert allowed(f) == ((v - h) * k, (v + h) * k)


def test_overlap_of_bounds_open_or_not():
    from decimal import Decimal

    from bricli.analysis.conflicts import _overlap

    one, two, three = Decimal(1), Decimal(2), Decimal(3)
    assert _overlap((one, two), (two, three)) and not _overlap((one, two), (three, None))
    assert _overlap((None, two), (one, None)) and not _overlap((None, one), (two, three))
    assert _overlap((None, None), (one, one)) and not _overlap((None, None), (three, one))  # (3, 1) holds nothing


def test_mirror_flows_are_one_flow(base):
    from dataclasses import replace

    from bricli.analysis.conflicts import find_conflicts
    from bricli.model.facts import Number

    facts = base.by_id()
    cn_imports = replace(facts["trade-2011-total-mofcom"], id="a", direction="imports", value=Number("119"))
    lac_exports = replace(facts["trade-2011-total-imf"], id="b", direction="exports", countries=("LCN", "CHN"),
                          value=Number("118.2"))
    [c] = find_conflicts([cn_imports, lac_exports])
    assert c.subject == "LAC → China trade, 2011, exports"


def test_repeated_steps_are_never_date_conflicts(base):
    from dataclasses import replace

    from bricli.analysis.conflicts import find_conflicts

    swap = base.by_id()["swap-chl-2015"]
    renewal = replace(swap, id="r", period="2018-05", source=replace(swap.source, id="imf-latin-trade-2012"))
    assert find_conflicts([swap, renewal]) == []


def test_conflicts_command_json_matches_the_readme(run):
    from bricli.present.conflicts import FIELDS

    rows = _json(run, ["conflicts"])
    assert [r["conflict"] for r in rows] == [1, 1, 2, 2]
    assert all(list(r) == list(FIELDS) for r in rows)
    assert rows[0]["stat_basis"] == "imf-dots" and rows[0]["source"]["reliability"] == "B"
    assert rows[2]["source"]["translation"] == "signed the memorandum"
    assert _documented("## Conflicts between sources") == set(FIELDS)


@pytest.mark.parametrize(
    "args, conflicts",
    [
        (["--year", "2011"], [1]),
        (["--country", "Panamá"], [1]),
        (["--kind", "date"], [1]),
        (["--source", "efe-2018-pan"], [1]),
        (["--year", "2012"], []),
    ],
)
def test_conflicts_filters(run, args, conflicts):
    rows = _json(run, ["conflicts", *args])
    assert sorted({r["conflict"] for r in rows}) == conflicts


def test_reliability_filter_keeps_sources_graded_that_or_better(run):
    ids = [r["id"] for r in _json(run, ["policy", "--reliability", "A"])]
    assert ids == ["bri-signed-pan-mire"]
    graded_b = [r["id"] for r in _json(run, ["policy", "--reliability", "b"])]
    assert "bri-withdrawn-pan" not in graded_b and len(graded_b) == 4  # the repost (C) is left out
    bad = run(["policy", *BASE_ARGS, "--reliability", "D"])
    assert bad.exit_code == 2 and "use A, B or C" in bad.stderr


def test_trade_shows_each_figure_with_its_statistical_basis(run):
    result = run(["trade", "--year", "2011", *BASE_ARGS, "-f", "plain"])
    assert "total (MOFCOM)" in result.stdout and "total (IMF)" in result.stdout
    assert [r["id"] for r in _json(run, ["trade", "--basis", "imf-dots"])] == ["trade-2011-total-imf"]


def test_conflicts_table_fits_80_columns(run):
    result = run(["conflicts", *BASE_ARGS, "-f", "table", "--cite"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_check_explains_disagreements_and_passes(run):
    result = run(["check", *BASE_ARGS])
    assert result.exit_code == 0 and result.stdout == ""
    assert "sources disagree on China–LAC trade, 2011, total" in result.stderr
    doc = json.loads(run(["check", *BASE_ARGS, "--format", "json"]).stdout)
    assert doc["ok"] is True and doc["problems"] == []
    assert [d["kind"] for d in doc["disagreements"]] == ["value", "date"]


def test_check_still_applies_arithmetic_within_one_source(run, fact_dir):
    from conftest import figure_yaml

    d = fact_dir({"t.yaml": "facts:\n" + figure_yaml("e", "100", direction="exports") + figure_yaml("i", "50", direction="imports")
                  + figure_yaml("t", "200")})
    assert run(["check", "--no-shipped", "--facts", str(d)]).exit_code == 1


# --- the matrix ------------------------------------------------------------------


def test_countries_json_traces_every_cell_to_facts(run, base):
    from bricli.present.matrix import FIELDS

    rows = {r["country"]: r for r in _json(run, ["countries"])}
    assert len(rows) == 33
    pan, chl, bra = rows["PAN"], rows["CHL"], rows["BRA"]
    assert pan["bri"] == "2017-11, left 2025-02"
    assert pan["bri_facts"] == ["bri-signed-pan-mire", "bri-withdrawn-pan"]
    assert bra["bri"] == "declined 2024-10"
    assert chl["aiib"] == "full member 2021" and chl["aiib_facts"] == ["aiib-full-chl"]
    assert chl["swap"] == "CN¥50 bn, 2020-07"
    assert chl["clearing"] == "2015-05" and chl["fta"] == "in force 2006-10"
    assert rows["ATG"]["bri"] is None and rows["ATG"]["facts"] == 0
    ids = set(base.by_id())
    for r in rows.values():
        assert list(r) == list(FIELDS)
        for key in ("bri", "aiib", "swap", "clearing", "fta"):
            assert (r[key] is None) == (r[f"{key}_facts"] == [])
            assert set(r[f"{key}_facts"]) <= ids
        assert {e["fact"] for e in r["entries"]} <= ids
    assert _documented("## The regional matrix") == set(FIELDS)


def test_countries_table_fits_80_columns(run):
    result = run(["countries", *BASE_ARGS, "-f", "table"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "2017-11," in result.stdout


def test_countries_table_names_the_countries_and_is_an_80_column_grid(run):
    # the shipped facts: the widest names (St Kitts and Nevis, Trinidad & Tobago) and amounts
    result = run(["countries", "-f", "table"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("┌") and lines[3].startswith("│ Country")
    assert max(len(line) for line in lines) <= 80
    first = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert {"Antigua", "Argentina", "Brazil", "Bahamas"} <= set(first)
    assert not {"ATG", "ARG", "KNA", "VCT"} & set(first)
    assert any("CN¥130 bn," in line for line in lines)  # an amount stays on one line
    # every other format keeps the code (and JSON the English name)
    assert "KNA" in run(["countries", "-f", "plain"]).stdout
    rows = {r["country"]: r for r in json.loads(run(["countries", "-f", "json"]).stdout)}
    assert rows["VCT"]["name"] == "Saint Vincent and the Grenadines"


def test_a_swap_cell_names_the_fact_its_amount_comes_from(run):
    rows = {r["country"]: r for r in json.loads(run(["countries", "-f", "json"]).stdout)}
    bra = rows["BRA"]
    assert bra["swap"] == "up to R$157 bn, 5 years, 2025-05"
    assert bra["swap_facts"] == ["swap-bra-signed-2025-05-13", "swap-bra-2025-term"]


def test_country_status_lines_by_a_spanish_name(run):
    table = " ".join(run(["country", "Brasil", "-f", "table"], env={"COLUMNS": "80"}).stdout.split())
    # a "by end-2018" step stands at its bound, after the dated March 2013 signing; its quote says
    # "had signed", so the fact states `stage: signed` and the step shows it
    assert ("Swap line: signed Mar 2013 (up to CN¥190 billion, 3 years) [swap-bra-signed-2013-03]; "
            "signed by end-2018 [swap-chn-bra]") in table
    assert "signed 13 May 2025 (up to R$157 billion, 5 years) [swap-bra-2025-term]" in table


def test_country_gains_its_dated_status(run):
    rows = _json(run, ["country", "PAN", "--status"])
    assert [(r["column"], r["stage"], r["period"], r["fact"]) for r in rows] == [
        ("bri", "signed", "2017-11-17", "bri-signed-pan-mire"),
        ("bri", "signed", "2018-12", "bri-signed-pan-efe"),
        ("bri", "withdrawn", "2025-02-06", "bri-withdrawn-pan"),
    ]
    table = run(["country", "PAN", *BASE_ARGS, "-f", "table"]).stdout
    assert "Belt and Road: signed 17 Nov 2017 [bri-signed-pan-mire]" in " ".join(table.split())
    plain = run(["country", "PAN", *BASE_ARGS, "-f", "json"]).stdout
    assert [r["id"] for r in json.loads(plain)] == ["bri-signed-pan-mire", "bri-signed-pan-efe", "bri-withdrawn-pan"]


def test_by_end_of_year_is_a_bound_in_the_shipped_article_facts(run):
    rows = {r["id"]: r for r in json.loads(run(["finance", "-f", "json", "--kind", "swap"]).stdout)}
    assert rows["swap-chn-bra"]["period"] == "../2018" and rows["swap-chn-bra"]["period_label"] == "by end-2018"


def _documented(heading: str) -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n#", 1)[0]
    out: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            out.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return out


def test_timeline_puts_a_by_end_of_year_step_at_its_bound(run):
    rows = json.loads(run(["timeline", "--country", "ARG", "-f", "json"]).stdout)
    periods = [r["period"] for r in rows]
    assert "../2018" in periods
    assert periods.index("../2018") > periods.index("2018")  # at end-2018, not before every dated fact


def test_one_source_block_for_facts_and_conflicts(base):
    """A conflict record's `source` is a fact record's `source` (records.record_source) with the publisher and
    reliability added, in the README's order."""
    from bricli.analysis.conflicts import find_conflicts
    from bricli.present.conflicts import conflict_records
    from bricli.analysis.records import record

    found = find_conflicts(list(base.facts))
    assert found
    by_id = base.by_id()
    for rec in conflict_records(found, base):
        fact_source = record(by_id[rec["id"]], base)["source"]
        src = base.sources[rec["source"]["id"]]
        assert list(rec["source"]) == ["id", "title", "publisher", "date", "reliability", "url", "section", "quote",
                                       "translation"]
        assert rec["source"] == {**fact_source, "publisher": src.publisher, "reliability": src.reliability}


def test_a_by_date_does_not_hide_an_earlier_dated_signing(run, fact_dir):
    """'Signed by Oct 2023' is a bound, not a date before 2018: the cell shows the first stated
    date (2018), and the bound follows it in the country's steps, as the timeline orders them."""
    doc = """\
        facts:
          - id: bri-slv-by
            type: policy
            topic: policy
            kind: bri-document
            stage: signed
            label: "signed by Oct 2023"
            countries: [CHN, SLV]
            period: "../2023-10-20"
            source: {id: test-src, quote: "q"}
          - id: bri-slv-2018
            type: policy
            topic: policy
            kind: bri-document
            stage: signed
            label: "signed in 2018"
            countries: [CHN, SLV]
            period: "2018"
            source: {id: test-src, quote: "q"}
          - id: bri-dom-by
            type: policy
            topic: policy
            kind: bri-document
            stage: signed
            label: "signed by Nov 2018"
            countries: [CHN, DOM]
            period: "../2018-11"
            source: {id: test-src, quote: "q"}
        """
    args = ["--no-shipped", "--facts", str(fact_dir({"b.yaml": doc})), "-f", "json"]
    rows = {r["country"]: r for r in json.loads(run(["countries", *args]).stdout)}
    assert rows["SLV"]["bri"] == "2018" and rows["SLV"]["bri_facts"] == ["bri-slv-2018"]
    assert rows["DOM"]["bri"] == "by 2018-11"  # a bound alone still shows, as a bound
    steps = json.loads(run(["country", "SLV", "--status", *args]).stdout)
    # one signing, stated twice: one line, the "by" statement in its `also`
    assert [(s["fact"], s["also"]) for s in steps] == [("bri-slv-2018", ["bri-slv-by"])]


def test_an_fta_under_negotiation_reads_talks(run, fact_dir):
    doc = """\
        facts:
          - id: fta-hnd-talks
            type: policy
            topic: policy
            kind: fta
            stage: negotiating
            label: "FTA talks launched"
            countries: [CHN, HND]
            period: "2023-07-04"
            source: {id: test-src, quote: "q"}
        """
    args = ["--no-shipped", "--facts", str(fact_dir({"f.yaml": doc})), "-f", "json"]
    rows = {r["country"]: r for r in json.loads(run(["countries", *args]).stdout)}
    assert rows["HND"]["fta"] == "talks 2023-07" and rows["HND"]["fta_facts"] == ["fta-hnd-talks"]


def test_a_by_bound_is_not_the_latest_swap_step(run, fact_dir):
    """A swap 'signed by end-2018' (a bound) does not replace the dated March 2015 signing as the
    latest step the cell shows."""
    doc = """\
        facts:
          - id: swap-sur-2015
            type: arrangement
            topic: finance
            kind: swap
            stage: signed
            label: "swap signed"
            countries: [CHN, SUR]
            period: "2015-03"
            source: {id: test-src, quote: "q"}
          - id: swap-sur-by-2018
            type: arrangement
            topic: finance
            kind: swap
            label: "swap exists by 2018"
            countries: [CHN, SUR]
            period: "../2018"
            source: {id: test-src, quote: "q"}
        """
    args = ["--no-shipped", "--facts", str(fact_dir({"s.yaml": doc})), "-f", "json"]
    rows = {r["country"]: r for r in json.loads(run(["countries", *args]).stdout)}
    assert rows["SUR"]["swap"] == "2015-03" and rows["SUR"]["swap_facts"] == ["swap-sur-2015"]


def test_the_clearing_cell_is_the_designation_by_its_stated_date(run, fact_dir):
    """README: the date an RMB clearing bank was designated. A memorandum on clearing arrangements
    'by 7 Feb 2023' and a designation dated only 'by 21 Feb 2023' give way to the dated designation."""
    doc = """\
        facts:
          - id: clr-mou
            type: arrangement
            topic: finance
            kind: clearing
            label: "memorandum"
            countries: [CHN, BRA]
            period: "../2023-02-07"
            source: {id: test-src, quote: "q"}
          - id: clr-by
            type: arrangement
            topic: finance
            kind: clearing
            stage: designated
            label: "designated, by the story's date"
            countries: [CHN, BRA]
            period: "../2023-02-21"
            source: {id: test-src, quote: "q"}
          - id: clr-day
            type: arrangement
            topic: finance
            kind: clearing
            stage: designated
            label: "designated on the day"
            countries: [CHN, BRA]
            period: "2023-02-21"
            source: {id: test-src, quote: "q"}
          - id: clr-mou-only
            type: arrangement
            topic: finance
            kind: clearing
            label: "memorandum only"
            countries: [CHN, CHL]
            period: "2015-05-25"
            source: {id: test-src, quote: "q"}
        """
    args = ["--no-shipped", "--facts", str(fact_dir({"c.yaml": doc})), "-f", "json"]
    rows = {r["country"]: r for r in json.loads(run(["countries", *args]).stdout)}
    assert rows["BRA"]["clearing"] == "2023-02" and rows["BRA"]["clearing_facts"] == ["clr-day"]
    assert rows["CHL"]["clearing"] == "2015-05" and rows["CHL"]["clearing_facts"] == ["clr-mou-only"]


@pytest.mark.parametrize("text, low, high", [("1200000", "1150000", "1250000"), ("300", "250", "350"),
                                             ("-300", "-350", "-250"), ("2290", "2285", "2295")])
def test_a_round_whole_number_is_rounded_at_its_last_non_zero_digit(base, text, low, high):
    """Issue 20: a round figure's precision is what its digits allow (300 is 250-350)."""
    from dataclasses import replace
    from decimal import Decimal

    from bricli.analysis.conflicts import allowed
    from bricli.model.facts import Number

    f = replace(base.by_id()["trade-2011-total-mofcom"], value=Number(text), scale="one", qualifier="exact")
    assert allowed(f) == (Decimal(low), Decimal(high))
