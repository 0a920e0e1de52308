"""The fact model's vocabulary: topics, types, kinds, units and other enum values.

Plain tuples with no imports, so the command modules can offer them as
choices and completions without loading the model (TAB must stay fast).
"""

TOPICS = ("trade", "investment", "projects", "finance", "people", "policy", "risks")

# A fact's `type` decides which fields it may carry; its `kind` is a subtype
# whose allowed values depend on the type.
KINDS: dict[str, tuple[str, ...]] = {
    "figure": (),
    "event": ("visit", "agreement", "initiative", "meeting", "statement", "crisis", "milestone", "other"),
    "project": (
        "port", "bridge", "railway", "road", "hydropower", "power-plant",
        "transmission", "water-supply", "telecom", "fiber-cable", "other",
    ),
    "arrangement": (
        "swap", "clearing", "loan", "aiib-membership", "membership", "mechanism", "initiative", "other",
    ),
    "policy": (
        "bri-document", "cooperation-plan", "ministerial", "fta",
        "memorandum", "agreement", "framework", "visit", "joint-statement",
        "forum", "statement", "proposal", "principle", "other",
    ),
    "tie": ("education", "language", "media", "tourism", "visa", "flights", "culture", "exchange", "other"),
    "risk": ("political", "economic", "public-security", "external-powers", "perception", "china-side"),
    "actor": ("person", "organization", "government"),
}
# A figure may carry the kind of its topic's items (people: tourism; finance:
# membership), so that `bricli people --kind tourism` finds the visitor numbers too.
FIGURE_KINDS_BY_TOPIC: dict[str, tuple[str, ...]] = {
    "projects": KINDS["project"],
    "finance": KINDS["arrangement"],
    "people": KINDS["tie"],
    "policy": KINDS["policy"],
    "risks": KINDS["risk"],
}
KINDS["figure"] = tuple(sorted({k for ks in FIGURE_KINDS_BY_TOPIC.values() for k in ks}))
FACT_TYPES = tuple(KINDS)

# The step a dated fact records in the history of a document, membership, line
# or project; which stages a fact may carry depends on its `kind`. One fact per
# step, tied to what it is a step of with `about`, so a status is a history.
STAGES: dict[str, tuple[str, ...]] = {
    "bri-document": ("signed", "withdrawn", "declined"),
    "fta": ("negotiating", "signed", "in-force"),
    "aiib-membership": ("prospective-member", "signed", "ratified", "full-member"),
    "swap": ("signed", "renewed", "expanded", "expired"),
    "clearing": ("designated", "launched"),
    "milestone": (
        "announced", "contracted", "started", "progress", "completed", "operating",
        "suspended", "resumed", "cancelled", "arbitration",
    ),
}

UNITS = ("USD", "CNY", "EUR", "BRL", "ARS", "CLP", "MXN", "PEN", "COP", "percent", "count", "people")

SCALES: dict[str, int] = {
    "one": 1,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}

# How the source qualifies a number. `nearly` and `about` are kept apart
# because "nearly 1.3 million" says the true value is a little below.
QUALIFIERS = (
    "exact", "about", "nearly", "more-than", "less-than", "at-least", "at-most", "up-to", "range",
)
LOWER_BOUND_QUALIFIERS = ("more-than", "at-least")
UPPER_BOUND_QUALIFIERS = ("less-than", "at-most", "up-to")
APPROXIMATE_QUALIFIERS = ("about", "nearly")

# Direction of a flow, seen from the first country in `countries`.
DIRECTIONS = ("exports", "imports", "total", "outward", "inward")
MEASURES = ("flow", "stock")
BASES = ("reported", "forecast", "estimate", "target")
# Whose statistics a figure is on: a series never mixes them (China's customs and
# the IMF's Direction of Trade give different totals for the same year).
STAT_BASES = (
    "china-customs", "mofcom", "imf-dots", "eclac", "un-comtrade", "national", "other", "unstated",
)
SECTORS = ("transport", "energy", "telecom", "water", "digital", "finance", "agriculture", "other")
STATUSES = (
    "proposed", "announced", "planned", "contracted", "under-construction",
    "completed", "operating", "suspended", "cancelled", "unknown",
)
# The price basis of an amount: current (nominal) prices, or constant prices of a
# base year (AidData's "Amount (Constant USD 2021)"). Two amounts on different
# bases are never added, compared or drawn in one series.
PRICES = ("nominal", "constant-2021")

# Sources: what sort of document, and how far to trust it.
SOURCE_KINDS = (
    "article", "analysis", "news", "official-statement", "statistics", "report", "dataset", "repost", "other",
)
# A official or primary; B reputable secondary; C repost, blog or aggregator.
RELIABILITY = ("A", "B", "C")
RELIABILITY_RANK = {grade: n for n, grade in enumerate(RELIABILITY)}  # A first; ungraded: len(RELIABILITY)
