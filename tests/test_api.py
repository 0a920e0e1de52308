"""The Python API gives the same records as --format json, and a DataFrame for notebooks."""

from __future__ import annotations

import json

import pytest

from bricli.api import dataframe, records
from bricli.model.problems import FactBaseError


def test_records_match_the_json_output(run):
    cli = json.loads(run(["trade", "--year", "2018", "-f", "json"], env={"BRICLI_FACTS": ""}).stdout)
    assert records("trade", year=2018) == cli


def test_dataframe_flattens_and_keeps_numbers():
    df = dataframe("trade", year=2018, derived=False)
    row = df.set_index("id").loc["trade-2018-exports-chn-lcn"]
    assert row["value"] == 148.79 and row["value_base"] == 148_790_000_000
    assert row["source.id"] == "cedpr-2020"


def test_a_broken_base_raises_with_every_problem(tmp_path):
    (tmp_path / "bad.yaml").write_text("facts:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(FactBaseError) as info:
        records(facts=[tmp_path], no_shipped=True)
    assert len(info.value.problems) >= 4
