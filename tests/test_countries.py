"""Tests for the country/region code table and name matching."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bricli.model import countries
from bricli.model.countries import CountryError, completions, is_known, known_codes, name, normalise, resolve

TSV = Path(countries.__file__).with_name("countries.tsv")

CELAC = (
    "ATG ARG BHS BRB BLZ BOL BRA CHL COL CRI CUB DMA DOM ECU SLV GRD GTM "
    "GUY HTI HND JAM MEX NIC PAN PRY PER KNA LCA VCT SUR TTO URY VEN"
).split()

REGIONS = {"LCN", "WLD", "EUU"}


def _rows() -> list[dict[str, str]]:
    lines = TSV.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line]


# --- the table ----------------------------------------------------------------


def test_header():
    first = TSV.read_text(encoding="utf-8").splitlines()[0]
    assert first == "code\talpha2\ten\tes\tpt\taliases"


def test_rows_well_formed():
    rows = _rows()
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate codes"
    for r in rows:
        assert len(r["code"]) == 3 and r["code"].isascii() and r["code"].isalpha() and r["code"].isupper(), r
        assert r["en"].strip(), r
        for field in ("en", "es", "pt"):
            assert r[field] == r[field].strip() and ";" not in r[field], r
        if r["code"] in REGIONS:
            assert r["alpha2"] == ""
        else:
            assert len(r["alpha2"]) == 2 and r["alpha2"].isascii() and r["alpha2"].isupper(), r
    alpha2 = [r["alpha2"] for r in rows if r["alpha2"]]
    assert len(alpha2) == len(set(alpha2)), "duplicate alpha-2 codes"


def test_all_iso_countries_and_regions():
    rows = _rows()
    assert len([r for r in rows if r["code"] not in REGIONS]) == 249
    assert REGIONS <= {r["code"] for r in rows}
    assert known_codes() == frozenset(r["code"] for r in rows)


def test_celac_countries_have_spanish_and_portuguese_names():
    by_code = {r["code"]: r for r in _rows()}
    assert len(CELAC) == 33
    for code in CELAC:
        row = by_code[code]
        assert row["es"] and row["pt"], code


@pytest.mark.parametrize(
    ("code", "en", "es", "pt"),
    [
        ("BRA", "Brazil", "Brasil", "Brasil"),
        ("MEX", "Mexico", "México", "México"),
        ("PER", "Peru", "Perú", "Peru"),
        ("HTI", "Haiti", "Haití", "Haiti"),
        ("CHN", "China", "China", "China"),
        ("USA", "United States", "Estados Unidos", "Estados Unidos"),
        ("ESP", "Spain", "España", "Espanha"),
        ("DEU", "Germany", "Alemania", "Alemanha"),
        ("LCN", "Latin America and the Caribbean", "América Latina y el Caribe", "América Latina e Caribe"),
        ("EUU", "European Union", "Unión Europea", "União Europeia"),
    ],
)
def test_some_names(code, en, es, pt):
    row = {r["code"]: r for r in _rows()}[code]
    assert (row["en"], row["es"], row["pt"]) == (en, es, pt)


def test_no_key_names_two_codes_at_the_same_rank():
    # The collision rule ranks keys (code > alpha-2 > English > es/pt > alias);
    # keys shared at one rank would be ambiguous, and the table has none.
    table = countries._load()
    clashes = {key: codes for key, (_, codes) in table.exact.items() if len(codes) > 1}
    assert clashes == {}


def test_every_name_and_alias_resolves_to_its_own_code():
    for r in _rows():
        texts = [r["en"], r["es"], r["pt"], *filter(None, r["aliases"].split(";"))]
        if r["alpha2"]:
            texts.append(r["alpha2"])
        for text in texts:
            assert resolve(text) == r["code"], (text, r["code"])


# --- lookups ------------------------------------------------------------------


def test_is_known_and_name():
    assert is_known("BRA") and is_known("LCN") and is_known("WLD") and is_known("EUU")
    assert not is_known("bra") and not is_known("BR") and not is_known("XXX") and not is_known("")
    assert name("BRA") == "Brazil"
    assert name("KOR") == "South Korea"
    assert name("XYZ") == "XYZ"


def test_normalise():
    assert normalise("  Côte d'Ivoire ") == "cote d ivoire"
    assert normalise("EE. UU.") == "ee uu"
    assert normalise("Guinea-Bissau") == "guinea bissau"
    assert normalise("Trinidad & Tobago") == "trinidad and tobago"
    assert normalise("SÃO  TOMÉ") == "sao tome"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BRA", "BRA"),
        ("bra", "BRA"),
        ("br", "BRA"),
        ("BR", "BRA"),
        ("Brasil", "BRA"),
        ("brazil", "BRA"),
        ("  Brazil  ", "BRA"),
        ("mexico", "MEX"),
        ("México", "MEX"),
        ("MÉXICO", "MEX"),
        ("Perú", "PER"),
        ("peru", "PER"),
        ("Estados Unidos", "USA"),
        ("EE. UU.", "USA"),
        ("EEUU", "USA"),
        ("United States of America", "USA"),
        ("us", "USA"),
        ("china", "CHN"),
        ("República Dominicana", "DOM"),
        ("republica  dominicana", "DOM"),
        ("Haiti", "HTI"),
        ("Haití", "HTI"),
        ("Latin America", "LCN"),
        ("América Latina", "LCN"),
        ("latinoamerica", "LCN"),
        ("LAC", "LCN"),
        ("LCN", "LCN"),
        ("lcn", "LCN"),
        ("world", "WLD"),
        ("Mundo", "WLD"),
        ("EU", "EUU"),
        ("Unión Europea", "EUU"),
        ("Sao Tome", "STP"),
        ("São Tomé e Príncipe", "STP"),
        ("Argen", "ARG"),
        ("Niger", "NER"),
        ("níger", "NER"),
        ("Nigeria", "NGA"),
        ("no", "NOR"),
        ("Guinea", "GIN"),
        ("Guinea Bissau", "GNB"),
        ("Dominica", "DMA"),
        ("Congo", "COG"),
        ("DR Congo", "COD"),
        ("Cote d'Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("El Salvador", "SLV"),
        ("UK", "GBR"),
        ("Great Britain", "GBR"),
        ("PRC", "CHN"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Trinidad & Tobago", "TTO"),
        ("St Lucia", "LCA"),
        ("Granada", "GRD"),
    ],
)
def test_resolve(text, code):
    assert resolve(text) == code


def test_unknown_suggests_close_match():
    with pytest.raises(CountryError) as info:
        resolve("Brazl")
    message = str(info.value)
    assert message.startswith("unknown country or region 'Brazl'")
    assert "did you mean Brazil (BRA)" in message
    assert ("BRA", "Brazil") in info.value.suggestions


def test_unknown_without_suggestion():
    with pytest.raises(CountryError) as info:
        resolve("qqqqqqq")
    assert str(info.value) == "unknown country or region 'qqqqqqq'"
    assert info.value.suggestions == []


@pytest.mark.parametrize("text", ["", "   ", "--"])
def test_empty_or_blank(text):
    with pytest.raises(CountryError):
        resolve(text)


def test_country_error_is_value_error():
    assert issubclass(CountryError, ValueError)


def test_ambiguous_prefix_lists_candidates():
    with pytest.raises(CountryError) as info:
        resolve("guin")
    message = str(info.value)
    assert message.startswith("ambiguous country 'guin': ")
    assert "Guinea (GIN)" in message and "Guinea-Bissau (GNB)" in message
    assert "Equatorial Guinea (GNQ)" in message
    assert [code for code, _ in info.value.suggestions] == ["GIN", "GNB", "GNQ"]


def test_prefix_of_niger_and_nigeria_is_ambiguous():
    with pytest.raises(CountryError) as info:
        resolve("nige")
    assert {code for code, _ in info.value.suggestions} == {"NER", "NGA"}


def test_short_prefix_does_not_match():
    # three characters are a code or nothing: "arg" is the code ARG, "bol" BOL,
    # but "ven" is no code and too short to be a prefix of Venezuela.
    assert resolve("arg") == "ARG"
    with pytest.raises(CountryError):
        resolve("vez")


# --- completion ---------------------------------------------------------------


def test_completions_codes_first():
    got = completions("bra")
    values = [value for value, _ in got]
    assert ("BRA", "Brazil") in got
    assert values.index("BRA") < values.index("Brazil")
    assert "Brasil" in values


def test_completions_accent_and_case_insensitive():
    values = [value for value, _ in completions("MÉX")]
    assert "MEX" in values and "México" in values
    values = [value for value, _ in completions("peru")]
    assert "Peru" in values


def test_completions_bounded_and_stable():
    everything = completions("")
    assert 0 < len(everything) <= 50
    assert everything == completions("")
    assert completions("zzzz") == []


# --- laziness -----------------------------------------------------------------


def test_import_does_not_read_table():
    # A fresh interpreter: importing the module must not read the TSV;
    # the first lookup reads it, once, through the module's own loader (a file, or a zip's member).
    src = Path(countries.__file__).resolve().parents[2]
    code = (
        "import sys\n"
        "import bricli.model.countries as c\n"
        "read = []\n"
        "real_get_data = c.__loader__.get_data\n"
        "c.__loader__.get_data = lambda path: read.append(path) or real_get_data(path)\n"
        "assert c._load.cache_info().currsize == 0\n"
        "assert c.is_known('BRA') and c.resolve('brasil') == 'BRA'\n"
        "assert c.name('MEX') == 'Mexico' and c.resolve('BR') == 'BRA'\n"
        "assert len([p for p in read if p.endswith('countries.tsv')]) == 1, read\n"
        "assert c._load.cache_info().currsize == 1\n"
        "print('ok')\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_table_is_what_tools_countries_py_makes():
    """countries.tsv = pycountry's ISO 3166-1 names + tools/countries-overlay.tsv (python tools/countries.py)."""
    pytest.importorskip("pycountry", reason="pycountry is a dev-time dependency (pip install -e '.[dev]')")
    import countries as generator  # tools/countries.py

    assert TSV.read_text(encoding="utf-8") == generator.build(), "countries.tsv is stale: run python tools/countries.py"
