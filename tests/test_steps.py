"""One step history (analysis/steps.py) behind `countries`, `country X --status`, `show` and projects
(issue 20, part 4)."""

from __future__ import annotations

import json

import pytest

from bricli.analysis.steps import Step, cell, country_steps, project_status, project_steps
from bricli.present.matrix import short_date


def _json(run, args):
    result = run([*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- the views agree, on the shipped facts ---------------------------------------------------------


@pytest.fixture(scope="module")
def matrix():
    from conftest import invoke

    return {r["country"]: r for r in _json(invoke, ["countries"])}


def test_countries_status_and_show_agree_on_every_step_date_for_every_country(run, matrix):
    shown_ids: dict[str, str | None] = {}
    for code, row in matrix.items():
        steps = _json(run, ["country", code, "--status"]) if row["entries"] else []
        # --status lists each of the matrix row's steps once, on a line of its own or in the `also`
        # of the line that states it as precisely or more, with the same dates, in date order
        entry = {e["fact"]: e for e in row["entries"]}
        assert sorted([s["fact"] for s in steps] + [i for s in steps for i in s["also"]]) == sorted(entry), code
        for s in steps:
            assert (s["period"], s["date_label"], s["stage"]) == \
                (entry[s["fact"]]["period"], entry[s["fact"]]["date_label"], entry[s["fact"]]["stage"]), code
            for i in s["also"]:
                assert entry[i]["stage"] in (s["stage"], None), (code, s["fact"], i)
        by_fact = entry
        for column in ("bri", "aiib", "swap", "clearing", "fta"):
            ids = row[f"{column}_facts"]
            if not ids:
                assert row[column] is None, (code, column)
                continue
            # the cell's date is the short form of a listed step's date, never another one
            dates = [short_date(by_fact[i]["period"]) for i in ids if i in by_fact and by_fact[i]["column"] == column]
            assert dates, (code, column)
            for d in dates:
                assert d in row[column], (code, column, row[column], d)
            for i in ids:
                if i in by_fact:
                    shown_ids[i] = by_fact[i]["period"]
                    # a cell never shows a "by" step a dated one agrees with
                    assert by_fact[i]["agrees_with"] is None, (code, column, i)
    assert len(shown_ids) > 40
    # `show` gives each shown step the same date: its record as show makes it for every one, and
    # through the command for the first of each country (a `show` reads the whole base: seconds each)
    from bricli.load.assemble import load
    from bricli.present.rows import fact_listing
    from conftest import REPO

    base, _ = load([REPO / "facts"])
    facts = base.by_id()
    for fact_id, period in shown_ids.items():
        rec = fact_listing(facts[fact_id], base).records[0]
        assert rec["period"] == period, fact_id
    for row in matrix.values():
        first = next((i for c in ("bri", "aiib", "swap", "clearing", "fta") for i in row[f"{c}_facts"]), None)
        if first is not None:
            assert _json(run, ["show", first])[0]["period"] == shown_ids[first], first


def test_the_issue_cases_of_the_shipped_facts(run, matrix):
    # clearing banks: the dated designation, not the "by end-2018" statement
    assert matrix["ARG"]["clearing"] == "2015-09" and matrix["ARG"]["clearing_facts"] == ["clearing-arg-icbc-2015-09-17"]
    assert matrix["CHL"]["clearing"] == "2015-05"
    # Brazil's AIIB: the furthest step reached; the Senate's approval and the decree state no stage
    assert matrix["BRA"]["aiib"] == "full member by 2022-01"
    bra = {s["fact"]: s for s in _json(run, ["country", "BRA", "--status"])}
    assert bra["aiib-ratified-senate-bra-2020-08-05"]["stage"] is None
    assert bra["aiib-promulgated-bra-2021-09-17"]["stage"] is None
    # Panama signed before it left
    pan = [s["stage"] for s in _json(run, ["country", "PAN", "--status"]) if s["column"] == "bri"]
    assert pan == ["signed", "withdrawn"]  # two facts state the signing of 17 Nov 2017: one line


# The shipped steps that state no stage, each reviewed against its quote: a restart, a sale, a
# memorandum, a parliament's vote, a second financing, a decision never carried out, or a word
# ("joined") that names no one step. Each says why in its `note`. A step whose quote states a step
# ("had signed", "had been established") carries that stage instead.
REVIEWED_WITHOUT_STAGE = {
    "aiib-membership-bra-lcn", "aiib-ratified-senate-bra-2020-08-05", "aiib-promulgated-bra-2021-09-17",
    "clearing-chl-mou-2015-05-25", "clearing-bra-mou-2023-02",
    "project-per-chancay-cosco-60pct-2019-01-13", "project-per-chancay-cosco-60pct-2019-01-23",
    "project-arg-santa-cruz-dams-restart-2026-03-05", "project-pan-margarita-first-cancellation-order-2021-06-23",
    "project-pan-fourth-bridge-addendum-restart-2023-03",
    "project-ecu-coca-codo-eximbank-credit-signed-2010-06-02", "project-pan-fourth-bridge-order-to-proceed-2018-12-04",
    "project-arg-belgrano-started-2016", "project-arg-belgrano-financing-2020-12-16",
    "project-pan-margarita-landbridge-bought-2016-05", "project-pan-margarita-cancelled-2021-06",
    "project-pan-margarita-msc-2022-05", "project-bra-sao-lourenco-assisted-operation-2017",
}


def test_every_shipped_step_states_the_stage_its_quote_supports_or_is_a_reviewed_one():
    from bricli.analysis.steps import column_of
    from bricli.load.assemble import load
    from conftest import REPO

    base, _ = load([REPO / "facts"])
    facts = base.by_id()
    steps = [f for f in facts.values() if column_of(f) is not None or f.kind == "milestone"]
    assert len(steps) > 200
    without = {f.id for f in steps if f.stage is None}
    assert without == REVIEWED_WITHOUT_STAGE
    assert all(facts[i].note for i in without)
    # the CEDPR "by end-2018" statements say what happened: "had signed", "had been established"
    for code in ("bra", "arg", "sur", "chl"):
        assert facts[f"swap-chn-{code}"].stage == "signed"
    for code in ("arg", "chl"):
        assert facts[f"clearing-rmb-{code}"].stage == "designated"


def test_status_lists_steps_in_date_order_across_arrangements(run):
    steps = _json(run, ["country", "BRA", "--status"])
    from bricli.analysis.steps import position

    keys = [position(s["period"]) for s in steps]
    assert keys == sorted(keys)
    assert {s["column"] for s in steps} >= {"bri", "aiib", "swap", "clearing"}


# --- the rule -------------------------------------------------------------------------------------


def _s(column, what, period, fid, **kw):
    return Step(column, what, period, fid, **kw)


def test_a_dated_step_is_preferred_over_a_by_step_that_agrees_with_it():
    from bricli.analysis.steps import _agreeing

    steps = _agreeing([_s("clearing", None, "../2018", "by"), _s("clearing", "designated", "2015-09-17", "dated")])
    by = next(s for s in steps if s.fact_id == "by")
    assert by.agrees_with == "dated"
    assert [s.fact_id for s in cell("clearing", steps)] == ["dated"]
    # a dated step after the bound does not agree with it
    later = _agreeing([_s("clearing", None, "../2018", "by"), _s("clearing", "designated", "2019-01-02", "late")])
    assert next(s for s in later if s.fact_id == "by").agrees_with is None


def test_facts_stating_one_step_are_one_line_at_its_most_precise_date():
    from bricli.analysis.steps import _agreeing, same_steps

    steps = _agreeing([
        _s("fta", "signed", "2009-04", "month"), _s("fta", "signed", "2009-04-28", "day-c", source="c"),
        _s("fta", "signed", "2009-04-28", "day-a", source="a"), _s("fta", "signed", "../2010", "by"),
        _s("fta", "in-force", "2010-03", "in-month"),
    ])
    lines = same_steps(steps, {"a": "A", "c": "C"})
    # the day stands for the month that holds it, and for the "by" step that agrees; of two facts
    # stating the same day, the better graded source's stands (not the first id)
    assert [(s.fact_id, s.also) for s in lines] == [("day-a", ("month", "day-c", "by")), ("in-month", ())]
    assert same_steps(steps)[0].fact_id == "day-a"  # no grades: the ids' order


def test_steps_that_differ_stay_on_lines_of_their_own():
    from bricli.analysis.steps import same_steps

    two_days = [_s("fta", "signed", "2023-05-10", "d10"), _s("fta", "signed", "2023-05-11", "d11"),
                _s("fta", "signed", "2023-05-10/2023-05-11", "both")]
    assert [(s.fact_id, s.also) for s in same_steps(two_days)] == [("d10", ("both",)), ("d11", ())]
    amounts = [_s("swap", "signed", "2013-03-26", "a", detail="CN¥190 billion"),
               _s("swap", "signed", "2013-03", "b", detail="CN¥60 billion"),
               _s("swap", "signed", "2013", "c")]  # no amount: says less, not something else
    assert [(s.fact_id, s.also) for s in same_steps(amounts)] == [("b", ()), ("a", ("c",))]
    stages = [_s("aiib", "signed", "2017-05-13", "s"), _s("aiib", "ratified", "2017-05", "r")]
    assert [s.also for s in same_steps(stages)] == [(), ()]


def test_status_is_one_line_per_step_with_the_facts_that_state_it(run):
    per = [s for s in _json(run, ["country", "PER", "--status"]) if s["column"] == "fta" and s["stage"] == "signed"]
    assert len(per) == 1 and per[0]["date_label"] == "28 Apr 2009" and len(per[0]["also"]) == 3
    assert "fta-per-signed-2009-04" in per[0]["also"]  # April 2009: the same signing, less precise
    result = run(["country", "PER", "--status", "-f", "plain"])
    assert "3 more facts agree" in result.stdout


def test_the_furthest_stage_is_shown_and_a_step_without_stage_never_outranks_one():
    steps = [_s("aiib", "prospective-member", "2015-04", "a"), _s("aiib", None, "2021-09-17", "b"),
             _s("aiib", "ratified", "2020-07", "c")]
    assert [s.fact_id for s in cell("aiib", steps)] == ["c"]
    assert [s.fact_id for s in cell("aiib", [_s("aiib", None, "2021-09-17", "b")])] == ["b"]


def test_a_by_step_stands_at_its_bound(fact_dir):
    from bricli.load.assemble import load

    d = fact_dir({"f.yaml": """\
        facts:
          - id: left
            type: policy
            topic: policy
            kind: bri-document
            stage: withdrawn
            label: left
            countries: [PAN]
            period: "../2025-02-06"
            source: {id: test-src, section: S, quote: q}
          - id: signed
            type: policy
            topic: policy
            kind: bri-document
            stage: signed
            label: signed
            countries: [PAN]
            period: "2017-11-17"
            source: {id: test-src, section: S, quote: q}
        """})
    base, problems = load([d])
    assert problems == []
    assert [s.fact_id for s in country_steps("PAN", base.facts)] == ["signed", "left"]


# --- projects -------------------------------------------------------------------------------------


def _m(stage, period, fid):
    return Step("project", stage, period, fid)


@pytest.mark.parametrize("milestones, stated, expected", [
    ([], "operating", ("operating", None)),
    ([], None, ("unknown", None)),
    ([_m("contracted", "2013-05", "a"), _m("started", "../2017-06-13", "b")], "unknown", ("under-construction", "b")),
    # a month and a day in it: the later stage of the life cycle stands, whatever the order
    ([_m("cancelled", "2025-04", "c"), _m("suspended", "2025-04-24", "s")], "unknown", ("cancelled", "c")),
    ([_m("completed", "2019-08", "t"), _m("operating", "2019-08", "o")], None, ("operating", "o")),
    # a progress report after completion is about output; an arbitration leaves the status
    ([_m("operating", "2016-11", "o"), _m("progress", "2021-12-17", "p"), _m("arbitration", "2025-06", "x")], None,
     ("operating", "o")),
    # progress after a suspension says how far the works got, not that they go on; a resumption does
    ([_m("suspended", "2023-12-18", "s"), _m("progress", "2024-03", "p")], "under-construction", ("suspended", "s")),
    ([_m("suspended", "2020-11", "s"), _m("resumed", "2024-08-27", "r"), _m("progress", "2025-12-18", "p")], None,
     ("under-construction", "p")),
    ([_m("cancelled", "2021-06", "c"), _m("progress", "2022-01", "p")], None, ("cancelled", "c")),
    # undated or stage-less milestones decide nothing
    ([_m("cancelled", None, "c"), _m(None, "2026-03-05", "r")], "contracted", ("contracted", None)),
])
def test_project_status_rule(milestones, stated, expected):
    from bricli.analysis.steps import ordered

    got = project_status(stated, ordered(milestones))
    assert (got.status, got.fact_id) == expected


def test_a_stated_status_further_and_not_older_than_the_milestones_stands():
    ms = (_m("contracted", "2012-11", "a"),)
    assert project_status("operating", ms, "2014").status == "operating"
    assert project_status("operating", ms, "2010").status == "contracted"  # older: the milestone stands
    assert project_status("proposed", (_m("cancelled", "../2025-05-07", "c"),), "2025-05-08").status == "cancelled"


def test_projects_status_cancelled_and_completed_on_the_shipped_facts(run):
    cancelled = [r["id"] for r in _json(run, ["projects", "--status", "cancelled"])]
    assert cancelled == ["project-pan-margarita-port", "project-chl-byd-tsingshan-cathode-plants"]
    completed = {r["id"]: r["status"] for r in _json(run, ["projects", "--status", "completed"])}
    assert set(completed) == {"project-per-chancay-port", "project-bra-belo-monte-uhv-phase1"}
    assert set(completed.values()) == {"completed"}


PROJECT = """\
facts:
  - id: port
    type: project
    topic: projects
    kind: port
    name: A port
    label: A port
    countries: [PAN]
    status: unknown
    source: {id: test-src, section: S, quote: q}
"""
MILESTONE = """\
facts:
  - id: port-{stage}
    type: event
    topic: projects
    kind: milestone
    stage: {stage}
    label: The port {stage}
    countries: [PAN]
    period: "{period}"
    about: port
    source: {{id: test-src, section: S, quote: q}}
"""


def test_a_milestone_in_another_file_decides_the_status_and_an_edit_decides_again(run, fact_dir):
    d = fact_dir({"a-project.yaml": PROJECT, "b-steps.yaml": MILESTONE.format(stage="cancelled", period="2021-06")})
    args = ["--no-shipped", "--facts", str(d)]
    assert [r["id"] for r in _json(run, ["projects", "--status", "cancelled", *args])] == ["port"]
    assert _json(run, ["projects", "--status", "unknown", *args]) == []
    (d / "b-steps.yaml").write_text(MILESTONE.format(stage="started", period="2019-01"), encoding="utf-8")
    assert _json(run, ["projects", "--status", "cancelled", *args]) == []
    rows = _json(run, ["projects", "--status", "under-construction", *args])
    assert [(r["id"], r["status"]) for r in rows] == [("port", "under-construction")]
    (d / "b-steps.yaml").unlink()  # no milestone: the status its source states
    assert [r["id"] for r in _json(run, ["projects", "--status", "unknown", *args])] == ["port"]


def test_show_a_project_lists_its_milestones_with_dates_and_sources(run):
    rec = _json(run, ["show", "project-pan-margarita-port"])[0]
    assert rec["status"] == "cancelled" and rec["status_from"] == "project-pan-margarita-cancelled-2025-04"
    ms = rec["milestones"]
    assert [m["period"] for m in ms][:2] == ["2013-05", "2016-05"]
    assert all(m["source"] for m in ms)
    assert ms[-1]["fact"] == "project-pan-margarita-support-withdrawn-2025-04-24"
    text = run(["show", "project-pan-margarita-port", "-f", "plain"]).stdout
    assert "Apr 2025: cancelled: Panama's Maritime Authority issues the resolution" in text
    assert "source prensa-2025-05-08-margarita-cancelled" in text


def test_project_steps_follow_about():
    from bricli.load.assemble import load
    from conftest import REPO

    base, _ = load([REPO / "facts"])
    steps = project_steps("project-bra-sao-lourenco-water-supply", base.facts)
    assert steps and all(base.by_id()[s.fact_id].about == "project-bra-sao-lourenco-water-supply" for s in steps)


def test_the_projects_listing_says_where_each_project_stands(run):
    """What became of a project, at a glance: `bricli projects` shows the current status beside
    the kind (the Kind column shows what the command's own filters select: --status)."""
    result = run(["projects", "--country", "PAN", "-f", "plain"], env={"BRICLI_FACTS": "", "BRICLI_FORMAT": ""})
    assert result.exit_code == 0, result.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()[1:]}
    assert rows["project-pan-margarita-port"][2] == "port, cancelled"
    assert all("unknown" not in r[2] for r in rows.values())  # no status known: the kind alone
