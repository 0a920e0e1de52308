"""Write a synthetic CSV in the layout of AidData's GCDF 3.0 (the real one has 20,985 rows), to time
`bricli import gcdf` on a file of that size:

    python bench/gcdf_synth.py 21000 bench/_work/gcdf-21k.csv
    time bricli import gcdf bench/_work/gcdf-21k.csv -o bench/_work/gcdf-out --force
    time bricli import gcdf bench/_work/gcdf-21k.csv -o bench/_work/gcdf-all --all-regions --force

Records are spread over recipients roughly as in the real file (about one in twelve in Latin
America and the Caribbean), with every status, titles and descriptions of realistic length
(a few hundred to a few thousand characters), missing dates and amounts, and one in five
records not recommended for aggregates.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

HEADERS = [
    "AidData Record ID", "Financier Country", "Recipient", "Recipient ISO-3", "Recipient Region",
    "Commitment Year", "Implementation Start Year", "Completion Year", "Title", "Description", "Staff Comments",
    "Status", "Intent", "Flow Type", "Flow Class", "Sector Name", "Infrastructure", "Funding Agencies",
    "Amount (Constant USD 2021)", "Adjusted Amount (Constant USD 2021)", "Recommended For Aggregates",
]
LAC = [("Argentina", "ARG"), ("Bolivia", "BOL"), ("Brazil", "BRA"), ("Ecuador", "ECU"), ("Peru", "PER"),
       ("Venezuela", "VEN"), ("Jamaica", "JAM"), ("Cuba", "CUB"), ("Costa Rica", "CRI"), ("Guyana", "GUY")]
OTHER = [("Pakistan", "PAK", "Asia"), ("Angola", "AGO", "Africa"), ("Kenya", "KEN", "Africa"),
         ("Indonesia", "IDN", "Asia"), ("Cambodia", "KHM", "Asia"), ("Serbia", "SRB", "Europe"),
         ("Egypt", "EGY", "Middle East"), ("Fiji", "FJI", "Oceania")]
STATUSES = ["Completion", "Implementation", "Pipeline: Commitment", "Pipeline: Pledge", "Suspended", "Cancelled"]
SECTORS = ["ENERGY", "TRANSPORT AND STORAGE", "COMMUNICATIONS", "HEALTH", "EDUCATION", "WATER SUPPLY AND SANITATION"]
WORDS = ("loan agreement project construction government ministry bank financing tranche power road railway "
         "port hospital school equipment contract signed implementation phase completed disbursed").split()


def main(n: int, out: Path) -> None:
    rng = random.Random(22)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for i in range(n):
            if rng.random() < 0.085:
                name, iso = rng.choice(LAC)
                region = "America"
            else:
                name, iso, region = rng.choice(OTHER)
            committed = rng.randint(2000, 2021)
            started = committed + rng.randint(0, 3) if rng.random() < 0.6 else ""
            completed = (started or committed) + rng.randint(1, 5) if rng.random() < 0.4 else ""
            title = f"China Eximbank provides loan for {' '.join(rng.choices(WORDS, k=rng.randint(4, 14)))} in {name}"
            description = " ".join(rng.choices(WORDS, k=rng.randint(40, 600)))
            amount = "" if rng.random() < 0.1 else f"{rng.uniform(1e5, 5e9):.2f}"
            w.writerow([
                10000 + i, "China (People's Republic of)", name, iso, region, committed, started, completed, title,
                description, "", rng.choice(STATUSES), "Development", rng.choice(["Loan", "Grant"]),
                rng.choice(["OOF-like", "ODA-like", "Vague (Official Finance)"]), rng.choice(SECTORS), "Yes",
                "Export-Import Bank of China (China Eximbank)", amount, amount,
                "Yes" if rng.random() < 0.8 else "No",
            ])


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
