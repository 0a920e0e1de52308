"""Generate a synthetic fact base of N valid facts, for the benchmark.

The facts are varied the way a user's own base would be: every fact type,
twenty sources, thirty-three countries, twenty-four years, spans and points,
exact and qualified figures, projects with participants, risks with
rationales. Trade figures form consistent series (total = exports + imports,
stated growth matches the previous year), so `bricli check` passes and the
derived values (balances, implied priors) are computed as for real data.

    python bench/synth.py 10000 bench/_work/facts-10k
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal
from pathlib import Path

FACTS_PER_FILE = 500

COUNTRIES = ("ARG", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "SLV", "GTM", "HND", "JAM",
             "MEX", "NIC", "PAN", "PRY", "PER", "URY", "VEN", "TTO", "GUY", "SUR", "BRB", "BHS", "ATG",
             "DMA", "GRD", "KNA", "LCA", "VCT", "BLZ", "HTI")
NAMES = {"ARG": "Argentina", "BOL": "Bolivia", "BRA": "Brazil", "CHL": "Chile", "COL": "Colombia",
         "CRI": "Costa Rica", "CUB": "Cuba", "DOM": "the Dominican Republic", "ECU": "Ecuador",
         "SLV": "El Salvador", "GTM": "Guatemala", "HND": "Honduras", "JAM": "Jamaica", "MEX": "Mexico",
         "NIC": "Nicaragua", "PAN": "Panama", "PRY": "Paraguay", "PER": "Peru", "URY": "Uruguay",
         "VEN": "Venezuela", "TTO": "Trinidad and Tobago", "GUY": "Guyana", "SUR": "Suriname",
         "BRB": "Barbados", "BHS": "the Bahamas", "ATG": "Antigua and Barbuda", "DMA": "Dominica",
         "GRD": "Grenada", "KNA": "Saint Kitts and Nevis", "LCA": "Saint Lucia",
         "VCT": "Saint Vincent and the Grenadines", "BLZ": "Belize", "HTI": "Haiti"}
PUBLISHERS = ("ECLAC", "MOFCOM", "General Administration of Customs of China", "Inter-American Development Bank",
              "Boston University Global Development Policy Center", "Red ALC-China", "IMF Direction of Trade Statistics",
              "World Bank", "Ministry of Foreign Affairs of the PRC", "CEPAL Observatorio", "Dialogo Chino",
              "AidData", "Rhodium Group", "UNCTAD", "OECD Development Centre", "Xinhua", "CGTN", "El País",
              "Folha de S.Paulo", "La Nación")
COMPANIES = ("China Harbour Engineering", "PowerChina", "China Railway Construction Corporation", "State Grid",
             "China Three Gorges", "Huawei", "ZTE", "COSCO Shipping", "China Communications Construction",
             "Sinohydro", "China Development Bank", "Export-Import Bank of China", "CITIC Construction",
             "China Energy Engineering", "Gezhouba Group")
PROJECT_KINDS = {"transport": ("port", "bridge", "railway", "road"), "energy": ("hydropower", "power-plant", "transmission"),
                 "water": ("water-supply",), "telecom": ("telecom", "fiber-cable"), "digital": ("telecom",)}
STATUSES = ("proposed", "announced", "planned", "contracted", "under-construction", "completed", "operating", "unknown")
YEARS = range(2000, 2024)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def num(d: Decimal, places: int) -> str:
    return f"{d:.{places}f}"


class Gen:
    def __init__(self, n: int, seed: int = 2020):
        self.n = n
        self.r = random.Random(seed)
        self.sources = [f"syn-{i:02d}" for i in range(len(PUBLISHERS))]
        self.facts: list[dict] = []

    # --- sources ----------------------------------------------------------

    def sources_yaml(self) -> str:
        out = ["sources:"]
        for i, (sid, pub) in enumerate(zip(self.sources, PUBLISHERS)):
            out += [f"  - id: {q(sid)}",
                    f"    title: {q(f'{pub}: China and Latin America, statistics and notes, edition {2015 + i % 9}')}",
                    f"    date: {q(f'{2015 + i % 9}-{1 + i % 12:02d}')}",
                    f"    publisher: {q(pub)}",
                    f"    url: {q(f'https://example.org/{sid}/china-lac')}",
                    f"    kind: {q('dataset' if i % 3 == 0 else 'report')}",
                    f"    language: {q('es' if i % 4 == 1 else 'en')}"]
            if i % 5 == 0:
                out.append("    date_estimated: true")
                out.append(f"    note: {q('The publication date is estimated from the latest figures it reports.')}")
            out.append("")
        return "\n".join(out) + "\n"

    def ref(self, sid: str, section: str, quote: str) -> dict:
        ref = {"id": sid, "section": section, "quote": quote}
        if self.sources.index(sid) % 4 == 1:  # the Spanish-language sources: a quote needs its translation
            ref["translation"] = quote
        return {"source": ref}

    # --- trade series: consistent totals and growth ----------------------------

    def trade(self, budget: int) -> None:
        r = self.r
        made = 0
        for sid in self.sources:
            for c in COUNTRIES:
                exp = Decimal(r.randint(200, 90000)) / 100
                imp = Decimal(r.randint(200, 90000)) / 100
                prev = None
                for y in YEARS:
                    if made + 3 > budget:
                        return
                    exp = (exp * Decimal(r.uniform(0.8, 1.3))).quantize(Decimal("0.01"))
                    imp = (imp * Decimal(r.uniform(0.8, 1.3))).quantize(Decimal("0.01"))
                    tot = exp + imp
                    cur = {"exports": exp, "imports": imp, "total": tot}
                    for direction, value in cur.items():
                        fid = f"{sid}-trade-{y}-{direction}-chn-{c.lower()}"
                        verb = {"exports": f"China's exports to {NAMES[c]}", "imports": f"China's imports from {NAMES[c]}",
                                "total": f"China–{NAMES[c]} trade volume"}[direction]
                        fact = {"id": fid, "type": "figure", "topic": "trade", "label": verb, "countries": ["CHN", c],
                                "metric": "trade", "direction": direction, "value": num(value, 2), "unit": "USD",
                                "scale": "million", "qualifier": "exact", "period": str(y)}
                        text = f"In {y}, {verb[0].lower() + verb[1:]} reached US${num(value, 2)} million"
                        if prev and prev[direction] > 0:
                            change = ((value / prev[direction] - 1) * 100).quantize(Decimal("0.1"))
                            change = abs(change) if change.is_zero() else change  # "-0.0" is refused: zero has no sign
                            fact["change_pct"] = num(change, 1)
                            text += f", {'up' if change >= 0 else 'down'} {abs(change)} percent year-on-year"
                        if r.random() < 0.1:
                            fact["note"] = "Customs data; re-exports through Hong Kong are not included."
                        fact.update(self.ref(sid, f"Trade with {NAMES[c]}", text + "."))
                        self.facts.append(fact)
                        made += 1
                    prev = cur
                    # a partial year now and then (the first months of a year)
                    if r.random() < 0.08 and made < budget:
                        m = r.randint(3, 11)
                        v = (tot * m / 12 * Decimal(r.uniform(0.9, 1.1))).quantize(Decimal("0.1"))
                        fid = f"{sid}-trade-{y}m1-{m}-total-chn-{c.lower()}"
                        self.facts.append({
                            "id": fid, "type": "figure", "topic": "trade",
                            "label": f"China–{NAMES[c]} trade volume, {y} Jan–{MONTHS[m - 1]}",
                            "countries": ["CHN", c], "metric": "trade", "direction": "total", "value": num(v, 1),
                            "unit": "USD", "scale": "million", "qualifier": r.choice(("about", "more-than", "nearly")),
                            "period": f"{y}-01/{y}-{m:02d}",
                            **self.ref(sid, f"Trade with {NAMES[c]}", f"In the first {m} months of {y}, trade reached about US${v} million."),
                        })
                        made += 1

    # --- everything else --------------------------------------------------------

    def other(self, i: int) -> dict:
        r = self.r
        sid = r.choice(self.sources)
        c = r.choice(COUNTRIES)
        y = r.choice(YEARS)
        kind = r.random()
        if kind < 0.18:  # investment figure
            stock = r.random() < 0.4
            v = Decimal(r.randint(10, 500000)) / 10
            qual = r.choice(("exact", "exact", "about", "more-than", "nearly", "at-least"))
            fact = {"id": f"{sid}-fdi-{i}", "type": "figure", "topic": "investment",
                    "label": f"China's direct investment {'stock' if stock else 'flow'} in {NAMES[c]}",
                    "countries": ["CHN", c], "metric": "fdi", "direction": r.choice(("outward", "inward")),
                    "measure": "stock" if stock else "flow", "value": num(v, 1), "unit": "USD", "scale": "million",
                    "qualifier": qual, "basis": r.choice(("reported", "reported", "estimate"))}
            if stock:
                fact["as_of"] = f"{y}-12-31"
            else:
                fact["period"] = str(y)
            quote = f"By {y}, Chinese direct investment in {NAMES[c]} was {qual.replace('-', ' ')} US${v} million."
            return {**fact, **self.ref(sid, "Investment", quote)}
        if kind < 0.40:  # project
            sector = r.choice(tuple(PROJECT_KINDS))
            pkind = r.choice(PROJECT_KINDS[sector])
            company = r.choice(COMPANIES)
            name = f"{r.choice(('Norte', 'Sur', 'Pacífico', 'Atlántico', 'Central', 'Andino', 'Caribe'))} {pkind.replace('-', ' ')} {i}"
            fact = {"id": f"{sid}-project-{i}", "type": "project", "topic": "projects", "kind": pkind, "name": name,
                    "label": f"{pkind.replace('-', ' ').capitalize()} in {NAMES[c]} built by {company}",
                    "countries": [c, "CHN"], "sector": sector, "status": r.choice(STATUSES),
                    "participants": [company, r.choice(COMPANIES)] if r.random() < 0.5 else [company]}
            if r.random() < 0.7:
                fact["period"] = f"{y}/{y + r.randint(1, 6)}" if r.random() < 0.5 else f"{y}/.."
            else:
                fact["when"] = "currently"
            return {**fact, **self.ref(sid, "Infrastructure", f"{company} is building the {name} in {NAMES[c]}.")}
        if kind < 0.50:  # financial arrangement
            akind = r.choice(("swap", "clearing", "membership", "mechanism", "initiative", "other"))
            fact = {"id": f"{sid}-finance-{i}", "type": "arrangement", "topic": "finance", "kind": akind,
                    "name": f"China–{NAMES[c]} {akind} arrangement",
                    "label": f"{akind.capitalize()} arrangement between China and {NAMES[c]}",
                    "countries": ["CHN", c], "as_of": f"{y}-{r.randint(1, 12):02d}", "sector": "finance"}
            return {**fact, **self.ref(sid, "Finance", f"In {y} China and {NAMES[c]} agreed a {akind} arrangement.")}
        if kind < 0.60:  # people-to-people tie, sometimes a count
            if r.random() < 0.4:
                v = r.randint(2, 900)
                fact = {"id": f"{sid}-visitors-{i}", "type": "figure", "topic": "people",
                        "label": f"Chinese visitors to {NAMES[c]}", "countries": ["CHN", c], "metric": "visitors",
                        "value": str(v), "unit": "people", "scale": "thousand",
                        "qualifier": r.choice(("nearly", "about", "more-than")), "period": str(y),
                        "counted": "arrivals of Chinese tourists"}
                return {**fact, **self.ref(sid, "Tourism", f"Nearly {v},000 Chinese tourists visited {NAMES[c]} in {y}.")}
            tkind = r.choice(("education", "language", "media", "tourism", "visa", "flights", "culture", "exchange", "other"))
            fact = {"id": f"{sid}-tie-{i}", "type": "tie", "topic": "people", "kind": tkind,
                    "label": f"{tkind.capitalize()} ties between China and {NAMES[c]}",
                    "countries": ["CHN", c], "period": f"{y}-{r.randint(1, 12):02d}"}
            return {**fact, **self.ref(sid, "People-to-people exchanges", f"In {y}, China and {NAMES[c]} expanded {tkind} exchanges.")}
        if kind < 0.78:  # policy or event
            if r.random() < 0.6:
                pkind = r.choice(("memorandum", "agreement", "framework", "visit", "joint-statement", "forum", "statement", "proposal", "principle", "other"))
                fact = {"id": f"{sid}-policy-{i}", "type": "policy", "topic": "policy", "kind": pkind,
                        "label": f"China and {NAMES[c]}: {pkind.replace('-', ' ')}",
                        "countries": ["CHN", c], "period": f"{y}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"}
                if r.random() < 0.3:
                    fact["name"] = f"China–{NAMES[c]} {pkind.replace('-', ' ')} of {y}"
                return {**fact, **self.ref(sid, "Policy coordination", f"In {y} China and {NAMES[c]} signed a {pkind.replace('-', ' ')}.")}
            ekind = r.choice(("visit", "agreement", "initiative", "meeting", "statement", "crisis", "other"))
            fact = {"id": f"{sid}-event-{i}", "type": "event", "topic": r.choice(("policy", "trade", "finance")),
                    "kind": ekind, "label": f"{ekind.capitalize()} involving China and {NAMES[c]}",
                    "countries": [c, "CHN"], "period": f"{y}-{r.randint(1, 12):02d}"}
            return {**fact, **self.ref(sid, "Chronology", f"A {ekind} between China and {NAMES[c]} took place in {y}.")}
        if kind < 0.95:  # risk
            cat = r.choice(("political", "economic", "public-security", "external-powers", "perception", "china-side"))
            fact = {"id": f"{sid}-risk-{i}", "type": "risk", "topic": "risks", "kind": cat,
                    "label": f"{cat.replace('-', ' ').capitalize()} risk for Chinese projects in {NAMES[c]}",
                    "description": f"Changes of government and {cat.replace('-', ' ')} pressures in {NAMES[c]} can delay or cancel agreed projects.",
                    "rationale": "Electoral cycles are short and contracts signed by one government are reviewed by the next.",
                    "countries": [c]}
            if r.random() < 0.5:
                fact["when"] = "in recent years"
            return {**fact, **self.ref(sid, "Risks", f"Projects in {NAMES[c]} face {cat.replace('-', ' ')} risks, as ‘recent years’ show.")}
        akind = r.choice(("person", "organization", "government"))
        fact = {"id": f"{sid}-actor-{i}", "type": "actor", "topic": "policy", "kind": akind,
                "name": f"{r.choice(('Ana', 'Luis', 'Wang', 'Li', 'María', 'João'))} {r.choice(('Pérez', 'Silva', 'Zhang', 'Chen', 'Gómez'))}",
                "label": f"Official of {NAMES[c]} in charge of relations with China", "role": f"Minister of Foreign Trade of {NAMES[c]}",
                "countries": [c]}
        return {**fact, **self.ref(sid, "Actors", f"The minister of {NAMES[c]} met Chinese counterparts.")}

    def build(self) -> None:
        self.trade(int(self.n * 0.45))
        i = 0
        while len(self.facts) < self.n:
            self.facts.append(self.other(i))
            i += 1


def fact_yaml(f: dict) -> str:
    lines = []
    for k, v in f.items():
        lead = "  - " if not lines else "    "
        if k == "source":
            lines.append(f"{lead}source:")
            lines += [f"      {sk}: {q(sv)}" for sk, sv in v.items()]
        elif isinstance(v, list):
            lines.append(f"{lead}{k}: [{', '.join(x if k == 'countries' else q(x) for x in v)}]")
        elif k in ("value", "change_pct", "type", "topic", "kind", "direction", "unit", "scale", "qualifier",
                   "metric", "measure", "basis", "sector", "status") or (k == "id"):
            lines.append(f"{lead}{k}: {v}")
        elif v is True:
            lines.append(f"{lead}{k}: true")
        else:
            lines.append(f"{lead}{k}: {q(v)}")
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 2020) -> Path:
    """Write n facts (plus a sources file) under `out`, replacing what was there."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    g = Gen(n, seed)
    g.build()
    (out / "sources.yaml").write_text(g.sources_yaml(), encoding="utf-8")
    for k in range(0, len(g.facts), FACTS_PER_FILE):
        chunk = g.facts[k : k + FACTS_PER_FILE]
        body = "facts:\n" + "\n".join(fact_yaml(f) for f in chunk)
        (out / f"facts-{k // FACTS_PER_FILE:04d}.yaml").write_text(body, encoding="utf-8")
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent / "_work" / f"facts-{n}"
    print(generate(n, target))
