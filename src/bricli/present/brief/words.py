"""Every English word of a brief (the other modules of present/brief/ decide, render/brief_markdown.py lays out).

A brief in another language is this module translated: the same names, the
same placeholders. Nothing here decides what a brief shows. Values, periods
and qualifiers come from model/wording.py (shared with the listings).
"""

from __future__ import annotations

# --- title and opening lines ---------------------------------------------------

TITLE = "China and {focus}: {topics}, {period}"  # {period} may be empty: TITLE_NO_PERIOD then
TITLE_NO_PERIOD = "China and {focus}: {topics}"
ALL_TOPICS = "all topics"
AND = " and "
INTRO = "Figures as their sources state them; each footnote quotes the source."
INTRO_NO_FOOTNOTES = "Figures as their sources state them."
INTRO_DERIVED = " Values marked derived are computed by bricli from stated figures."
DATE_LINE = "Date: {date}"
SOURCE_LINE = "Source: {sources}."
SOURCES_LINE = "Sources: {sources}."
MANY_SOURCES = "{count}, each named where cited"
SOURCE_ESTIMATED = "estimated"
CITED_SOURCE = "{who}, {date}"  # a source where the brief cites it: "Xinhua, 2025-05-16"
SOURCE_DATE_ESTIMATED = "c. {date}"  # the registry marks the source's date estimated
FILTERS_LINE = "Only facts {filters}."
FILTER_YEAR = "touching {year}"
FILTER_RANGE = "from {start} to {end}"
FILTER_START = "the start"
FILTER_END = "the end"
FILTER_SOURCE = "from source {source}"
FILTER_TEXT = "mentioning \u201c{text}\u201d"
NOTHING_MATCHES = "No facts match the selection."

# --- the lead (present/brief/lead.py) ----------------------------------------------------

LEAD_FIGURE = "{what}: {value} in {year}"
LEAD_FIGURE_DATED = "{what}: {value}"  # the label says the year
LEAD_STATED_CHANGE = ", {change} on a year earlier"
LEAD_COMPUTED_CHANGE = ", {change} on {previous} in {year} (change computed by bricli)"
LEAD_STEPS_OPENING = "Latest policy steps, newest first:"
STEP_WORDS = {  # (kind, stage): a step in words; {country}: the countries other than China
    ("bri-document", "signed"): "{country} signed a Belt and Road cooperation document",
    ("bri-document", "withdrawn"): "{country} withdrew from the Belt and Road",
    ("bri-document", "declined"): "{country} decided not to join the Belt and Road",
    ("fta", "negotiating"): "{country} and China negotiated a free trade agreement",
    ("fta", "signed"): "{country} signed a free trade agreement with China",
    ("fta", "in-force"): "{country}'s free trade agreement with China entered into force",
    ("aiib-membership", "prospective-member"): "{country} was accepted as a prospective AIIB member",
    ("aiib-membership", "signed"): "{country} signed the AIIB's Articles of Agreement",
    ("aiib-membership", "ratified"): "{country} ratified its AIIB membership",
    ("aiib-membership", "full-member"): "{country} became a full AIIB member",
    ("swap", "signed"): "{country} signed a currency swap with China",
    ("swap", "renewed"): "{country} renewed its currency swap with China",
    ("swap", "expanded"): "{country} expanded its currency swap with China",
    ("swap", "expired"): "{country}'s currency swap with China expired",
}
COUNTRY_STEPS_HEADING = "Steps with China"
COUNTRY_PROJECTS_HEADING = "Projects"

# --- sections ---------------------------------------------------------------------

KEY_FIGURES = "Key figures"
KEY_HEADERS = {"what": "Figure", "value": "Value", "period": "Period", "change": "Year-on-year change",
               "source": "Source"}
TOPIC_TITLES = {
    "trade": "Trade", "investment": "Investment", "projects": "Infrastructure projects", "finance": "Finance",
    "people": "People-to-people ties", "policy": "Policy coordination", "risks": "Risks",
}
TOPIC_NAMES = {  # in a title: "China and Brazil: trade and investment, 2018"
    "trade": "trade", "investment": "investment", "projects": "infrastructure projects", "finance": "finance",
    "people": "people-to-people ties", "policy": "policy coordination", "risks": "risks",
}
FIGURES = "Figures"
SERIES = "Series"
DISAGREE = "Where sources disagree"
DISAGREE_MORE = "{count} more in the full brief (`--full`)."
DISAGREE_ELSEWHERE = "None about the figures shown; {count} in the full brief (`--full`)."
CONFLICT_KINDS = {"value": "different values", "date": "different dates"}
CAVEATS = "Caveats"
DERIVED_MARK = "derived"

# --- charts -------------------------------------------------------------------------

CHART_INTRO = "{title}, {axis}, as stated by {source}."
CHART_INTRO_BASIS = "{title}, {axis}, {basis} statistics as stated by {count} sources, one a year."
CHART_INTRO_SOURCES = "{title}, {axis}: one figure a year from {count} sources (the rule of bricli series)."
STAT_BASIS_NAMES = {"china-customs": "China customs", "mofcom": "MOFCOM", "imf-dots": "IMF Direction of Trade",
                    "eclac": "ECLAC", "un-comtrade": "UN Comtrade"}
CHART_HEADERS = {"period": "Period", "value": "Value", "source": "Source"}
CHART_PARTIAL_MARK = "partial"
CHART_NO_FIGURE = "no figure"  # a year of a chart's span without a figure: its bar's label and its table row
VALUE_AXIS = "value"  # a chart title or axis with nothing Mermaid can show

# --- lists (the full brief) ----------------------------------------------------------------

LIST_TITLES = {
    "event": "Developments", "project": "Projects", "arrangement": "Arrangements", "policy": "Policy steps",
    "tie": "Ties", "risk": "Risks by country", "actor": "Actors named",
}
KIND_TITLES = {
    "memorandum": "Memoranda", "agreement": "Agreements", "framework": "Frameworks", "visit": "Visits",
    "joint-statement": "Joint statements", "forum": "Forums", "statement": "Statements", "proposal": "Proposals",
    "principle": "Principles", "other": "Other", "swap": "Currency swaps", "clearing": "Clearing banks",
    "membership": "Memberships", "mechanism": "Mechanisms", "initiative": "Initiatives", "meeting": "Meetings",
    "crisis": "Crises", "port": "Ports", "bridge": "Bridges", "railway": "Railways", "road": "Roads",
    "hydropower": "Hydropower", "power-plant": "Power plants", "transmission": "Transmission",
    "water-supply": "Water supply", "telecom": "Telecom", "fiber-cable": "Fibre-optic cables",
    "education": "Education", "language": "Language", "media": "Media", "tourism": "Tourism", "visa": "Visas",
    "flights": "Flights", "culture": "Culture", "exchange": "Exchanges", "person": "People",
    "organization": "Organizations", "government": "Governments",
}
RISK_KINDS = {
    "political": "political", "economic": "economic", "public-security": "public security",
    "external-powers": "external powers", "perception": "perception", "china-side": "China side",
}
NO_COUNTRY = "No country named"
STATUS = "status: {status}"
OTHER = "Other"

# --- caveats --------------------------------------------------------------------------------

CAVEAT_PARTIAL = "{period} is part of a year, never the whole year."
CAVEAT_BOUND = "\u201c{word}\u201d: {what}, not an exact figure."
BOUND_WHAT = {"lower": "a lower bound", "upper": "an upper bound", "approximate": "approximate", "range": "a range"}
CAVEAT_BASIS = {"forecast": "Forecasts, not reported figures.", "estimate": "Estimates, not reported figures.",
                "target": "Targets, not reported figures."}
CAVEAT_UNDATED = "Figures dated only in words ({words}) hold at the source's own date."
CAVEAT_DERIVED = ("Values marked derived are computed by bricli from stated figures of one source "
                  "(\u2248: from rounded figures, so approximate); each footnote gives the formula and inputs.")
CAVEAT_CORRECTION = "{correction}"  # the correction names what it corrects

# --- footnotes --------------------------------------------------------------------------------

FOOTNOTE_SECTION = "section \u201c{section}\u201d"
FOOTNOTE_TRANSLATION = "In English: \u201c{translation}\u201d"
FOOTNOTE_NOTE = "Note: {note}"
FOOTNOTE_DERIVED = "Computed by bricli, not stated in the source: {formula}."
FOOTNOTE_INPUTS = "Inputs: {inputs}."
