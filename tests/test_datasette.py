"""Datasette out of the box (issue 23): a fresh `bricli export facts.db` served by the README's
one `datasette` command, on a free localhost port, as a real server.

- plain HTTP (urllib): every page answers 200 with no traceback, and Datasette's log has no
  error; runs wherever Datasette is installed;
- a real headless browser (Playwright driving the system's Chromium, never a downloaded one):
  the home page, the facts table (its first row visible without scrolling, no list of column
  descriptions above it, each header's description its tooltip), every configured facet, each
  canned query, a full-text search and a row page, with no error in the page or the log. It
  skips, saying why, where playwright or /usr/bin/chromium is missing.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bricli.cli.writers import fts5_available
from bricli.present.database import CANNED_QUERIES, RECORD_LEAD

from conftest import REPO

ENV = {"BRICLI_FACTS": "", "BRICLI_FORMAT": ""}
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
KNOWN = "trade-2018-total-chn-lcn"
HUAWEI = "project-huawei-5g-bra-mex"
# what Datasette or uvicorn write when something fails (a request's status 4xx/5xx, an exception)
LOG_ERROR = re.compile(r'Traceback|Error|" [45]\d\d ')


def readme_command() -> list[str]:
    """The README's one `datasette` command (section "Beyond the command line"), as words."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (line,) = [ln for ln in readme.splitlines() if ln.startswith("datasette facts.db")]
    return shlex.split(line.split("#")[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class Server:
    def __init__(self, base: str, log: Path, db: Path):
        self.base, self.log, self.db = base, log, db

    def log_errors(self) -> list[str]:
        return [ln for ln in self.log.read_text(encoding="utf-8", errors="replace").splitlines() if LOG_ERROR.search(ln)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh export served by the README's command (plus --port), until the module's tests end."""
    pytest.importorskip("datasette", reason="Datasette is not installed (pip install -e '.[test]')")
    from conftest import invoke

    where = tmp_path_factory.mktemp("datasette")
    here = os.getcwd()
    os.chdir(where)  # as the README runs it: bricli export facts.db, in the directory where datasette then runs
    try:
        result = invoke(["export", "facts.db"], env=ENV)
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.stderr
    words = readme_command()
    assert words[0] == "datasette" and f"datasette {' '.join(words[1:])}" in result.stderr  # what bricli says to run
    port = free_port()
    log = where / "datasette.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "datasette", *words[1:], "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=where, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(base + "/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"datasette did not start:\n{log.read_text(encoding='utf-8', errors='replace')}")
            time.sleep(0.2)
        yield Server(base, log, where / "facts.db")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def pages() -> dict[str, str]:
    """Every page the done-when names, by what it is."""
    out = {"home": "/", "database": "/facts", "facts": "/facts/facts", "sources": "/facts/sources",
           "series": "/facts/series", "row": f"/facts/facts/{KNOWN}", "country_matrix": "/facts/country_matrix"}
    out.update({f"query {name}": f"/facts/{name}" + ("?country=BRA" if name == "country" else "") for name in CANNED_QUERIES})
    out.update({"facet topic": "/facts/facts?topic=trade", "facet country": "/facts/facts?countries__arraycontains=BRA",
                "facet year": "/facts/facts?year=2018", "facet source": "/facts/facts?source_id=cedpr-2020",
                "facet reliability": "/facts/facts?source_reliability=A", "facet type": "/facts/facts?type=figure"})
    if fts5_available():
        out["search"] = "/facts/facts?_search=Huawei"
    return out


# --- plain HTTP -------------------------------------------------------------------------------


def test_every_page_answers_200_with_no_traceback(server):
    got = {name: get(server.base + path) for name, path in pages().items()}
    assert {name: status for name, (status, _) in got.items()} == dict.fromkeys(got, 200)
    for name, (_, text) in got.items():
        assert "Traceback" not in text and "Internal Server Error" not in text, name
    assert server.log_errors() == []
    home = got["home"][1]
    assert "bricli: China–Latin America Belt and Road facts" in home and "creativecommons.org/licenses/by/4.0" in home
    for name, query in CANNED_QUERIES.items():
        assert f'href="facts/{name}' in home and query["title"] in home  # the home page leads to each question
    assert HUAWEI in got.get("search", ("", HUAWEI))[1]


def test_the_facets_and_queries_answer_as_json(server):
    status, text = get(server.base + "/facts/facts.json?_extra=facet_results,suggested_facets&_size=1")
    assert status == 200
    data = json.loads(text)
    assert set(data["facet_results"]) == {"topic", "type", "countries", "year", "source_id", "source_reliability"}
    assert data["suggested_facets"] == []  # --setting suggest_facets off: no date facet on period (2018 as -4707)
    reliability = {r["value"] for r in data["facet_results"]["source_reliability"]["results"]}
    assert reliability >= {"A", "B", "C"}
    status, text = get(server.base + "/facts/trade_by_year.json?_shape=array")
    rows = json.loads(text)
    assert status == 200 and [r["year"] for r in rows] == sorted(r["year"] for r in rows)
    (y2018,) = [r for r in rows if r["year"] == 2018]
    assert y2018["fact"] and y2018["value"] > 0 and y2018["unit"] == "USD"
    status, text = get(server.base + "/facts/country.json?_shape=array&country=brazil")
    assert status == 200 and json.loads(text) and all("BRA" in r["countries"] for r in json.loads(text))
    assert server.log_errors() == []


# --- a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    manager = sync_api.sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # a Chromium that cannot start here: say so, as for a missing one
        manager.stop()
        pytest.skip(f"Chromium at {CHROMIUM} did not start: {exc}")
    try:
        yield browser
    finally:
        browser.close()
        manager.stop()


class Visits:
    """One page that records every error: a script error, a console error, a failed request or a
    response of 400 or more."""

    def __init__(self, browser, base: str):
        self.base = base
        self.errors: list[str] = []
        self.page = browser.new_page(viewport=VIEWPORT)
        self.page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        self.page.on("requestfailed", lambda req: self.errors.append(f"failed: {req.url} {req.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def go(self, path: str):
        response = self.page.goto(path if path.startswith("http") else self.base + path, wait_until="load")
        assert response is not None and response.status == 200, path
        return self.page

    def rows(self):
        return self.page.locator("table.rows-and-columns tbody tr")


def test_datasette_in_a_real_browser(browser, server):  # the browser first: no server started to skip
    v = Visits(browser, server.base)
    page = v.go("/")
    assert page.title().startswith("bricli: China–Latin America Belt and Road facts")
    assert page.get_by_role("link", name="facts", exact=True).count() >= 1
    assert page.locator("footer").get_by_text("CC-BY-4.0").count() == 1

    page = v.go("/facts/facts")
    # the first row where the eye is: not below 2,000 pixels of column descriptions, nor facets
    assert page.locator("dl.column-descriptions").is_hidden()
    first_row = v.rows().first
    box = first_row.bounding_box()
    assert box is not None and box["y"] + min(box["height"], 40) < VIEWPORT["height"], box
    headers = [page.locator(f'th[data-column="{name}"]') for name in RECORD_LEAD]
    assert [h.count() for h in headers] == [1] * len(RECORD_LEAD)
    order = [page.locator("table.rows-and-columns thead th").nth(i).get_attribute("data-column") for i in range(len(RECORD_LEAD))]
    assert order == list(RECORD_LEAD)
    label_help = page.locator('th[data-column="value"]').get_attribute("title")
    assert label_help and label_help.startswith("The number as the source states it")

    # every facet of the metadata, by following its first value
    facets = page.locator(".facet-info")
    names = [facets.nth(i).get_attribute("data-column") for i in range(facets.count())]
    assert sorted(names) == sorted(["topic", "type", "countries", "year", "source_id", "source_reliability"])
    hrefs = {name: page.locator(f'.facet-info[data-column="{name}"] ul li a').first.get_attribute("href") for name in names}
    for name, href in hrefs.items():
        assert href, name
        v.go(href if href.startswith("http") else server.base + href if href.startswith("/") else f"{server.base}/facts/facts{href}")
        assert v.rows().count() >= 1, name

    # each canned query has rows
    for name in CANNED_QUERIES:
        v.go(f"/facts/{name}" + ("?country=BRA" if name == "country" else ""))
        assert v.rows().count() >= 1, name

    # a full-text search from the search box, then a row page from the first result (or of the table)
    page = v.go("/facts/facts?topic=projects")
    if fts5_available():
        page.fill("#_search", "Huawei")
        with page.expect_navigation():
            page.press("#_search", "Enter")
        assert HUAWEI in page.locator("table.rows-and-columns").inner_text()
    with page.expect_navigation():
        v.rows().first.locator("td").first.locator("a").first.click()
    assert re.search(r"/facts/facts/[^/?]+$", page.url), page.url
    assert page.locator("table.rows-and-columns td").count() > 10  # the fact, column by column
    page.close()
    assert v.errors == []
    assert server.log_errors() == []
