"""Licence and citation: LICENSE, CITATION.cff, the README and the exports say the same
licences, and `bricli show FACT_ID --cite-as` prints a citation of one fact with its source."""

from __future__ import annotations

import tomllib

import yaml

import bricli
from bricli.present.citation import CODE_LICENSE, DATA_LICENSE, DATA_LICENSE_TEXT

from conftest import REPO

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
KNOWN = "trade-2018-total-chn-lcn"


def test_licence_files_agree():
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == CODE_LICENSE == "MIT"
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["license"] == CODE_LICENSE
    assert cff["version"] == bricli.__version__
    assert cff["title"] and cff["authors"] and cff["message"]
    assert "CC BY 4.0" in cff["message"] and "--cite-as" in cff["message"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Licence and citation" in readme
    assert DATA_LICENSE["path"] in readme and "CC BY 4.0" in readme and "[LICENSE](LICENSE)" in readme
    assert "[CITATION.cff](CITATION.cff)" in readme


def test_cite_as_prints_the_fact_its_source_quote_and_licence(run):
    shown = run(["show", KNOWN, "--format", "json"], env=ENV)
    assert shown.exit_code == 0, shown.stderr
    import json

    (rec,) = json.loads(shown.stdout)
    result = run(["show", KNOWN, "--cite-as"], env=ENV)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert result.stderr == ""
    assert rec["value_text"] in text and rec["label"] in text and rec["period_label"] in text
    assert rec["source"]["title"] in text and rec["source"]["url"] in text and rec["source"]["date"] in text
    assert f"“{rec['source']['quote']}”" in text
    assert f"bricli {bricli.__version__}, fact {KNOWN}" in text
    assert DATA_LICENSE_TEXT in text


def test_cite_as_a_derived_value_names_its_inputs_sources(run):
    import json

    derived = [r for r in json.loads(run(["trade", "--derived", "--format", "json"], env=ENV).stdout) if r["derived"]]
    rec = derived[0]
    result = run(["show", rec["id"], "--cite-as"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert rec["formula"] in result.stdout
    for input_id in rec["inputs"]:
        assert f"Input {input_id}: " in result.stdout


def test_cite_as_to_a_file_and_not_with_another_format(run, tmp_path):
    out = tmp_path / "cite.txt"
    result = run(["show", KNOWN, "--cite-as", "-o", str(out)], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("China")
    refused = run(["show", KNOWN, "--cite-as", "--format", "json"], env=ENV)
    assert refused.exit_code == 2
    assert refused.stdout == "" and "--cite-as" in refused.stderr and "Traceback" not in refused.stderr
    unknown = run(["show", "no-such-fact", "--cite-as"], env=ENV)
    assert unknown.exit_code == 2 and unknown.stdout == ""


def test_datasette_metadata_states_the_data_licence(run, tmp_path):
    import json

    result = run(["export", str(tmp_path / "f.db"), "--topic", "trade"], env=ENV)
    assert result.exit_code == 0, result.stderr
    meta = json.loads((tmp_path / "f.metadata.json").read_text(encoding="utf-8"))
    assert meta["license_url"] == DATA_LICENSE["path"]
    assert DATA_LICENSE["name"] in meta["license"] and "source's terms" in meta["license"]
