"""The fact model's field table: every field a fact file may hold, with its kind and documentation.

This module is the single source of truth for the fact format. The validator
(`load/decode.py`), the JSON Schema (`tools/schema.py`), the fact records
(`model/facts.py`, checked by tests/test_fields.py) and the user documentation
(`docs/facts.md`) all follow the tables below, so a new field or enum value is
added here first.
"""

from __future__ import annotations

from dataclasses import dataclass

from bricli.model.vocab import APPROXIMATE_QUALIFIERS, BASES, DIRECTIONS, FACT_TYPES, KINDS, LOWER_BOUND_QUALIFIERS, MEASURES, PRICES, QUALIFIERS, RELIABILITY, SCALES, SECTORS, SOURCE_KINDS, STAGES, STAT_BASES, STATUSES, TOPICS, UNITS, UPPER_BOUND_QUALIFIERS  # noqa: F401  (re-exported: the model's vocabulary)

# The one pattern of ids (facts, sources) and other slugs: validator and schema both use it.
ID_PATTERN = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"

# --- field table -------------------------------------------------------------
# value kinds understood by the validator and the schema generator:
#   text      a non-empty string
#   slug      lowercase letters, digits, '-' and '.'
#   number    a decimal number, kept with the digits as written
#   enum      one of `choices`
#   countries a list of country or region codes
#   texts     a list of non-empty strings
#   period    an ISO 8601 period: 2018, 2019-11, 2019-01/2019-11, 2012/..
#   point     an ISO 8601 date of year, month or day precision
#   source    a mapping {id, section, quote, translation}
#   ratio     a mapping {part, whole} of fact ids
#   bool      true or false


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    doc: str
    choices: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # fact types that may carry it; () = every type
    required_for: tuple[str, ...] = ()  # fact types that must carry it


ALL = FACT_TYPES
AMOUNT_TYPES = ("figure", "arrangement")
STAGE_TYPES = tuple(t for t in FACT_TYPES if set(KINDS[t]) & set(STAGES))

FACT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "slug", "Stable unique id, cited as [^id] in briefs.", required_for=ALL),
    FieldSpec("type", "enum", "What sort of fact this is.", FACT_TYPES, required_for=ALL),
    FieldSpec("topic", "enum", "Which topic command lists it.", TOPICS, required_for=ALL),
    FieldSpec("label", "text", "Short English description, one line.", required_for=ALL),
    FieldSpec("description", "text", "Longer description: what it is, or what the risk is."),
    FieldSpec("rationale", "text", "Why, as the source argues it (risks, motivations)."),
    FieldSpec("kind", "enum", "Subtype; allowed values depend on `type` (a figure takes the kinds of its topic: people tourism, finance membership).",
              tuple(sorted({k for ks in KINDS.values() for k in ks})),
              types=tuple(t for t in FACT_TYPES if KINDS[t]), required_for=("risk",)),
    FieldSpec("countries", "countries", "Countries or regions concerned (ISO 3166-1 alpha-3, LCN, WLD, EUU); "
              "for a directional figure the first is the reporter."),
    FieldSpec("period", "period", "When: a year, a month, a day or an interval (partial periods stay partial)."),
    FieldSpec("as_of", "point", "Point in time for stocks and running totals: end-2017 is 2017-12-31."),
    FieldSpec("when", "text", "The source's own words for an imprecise time: 'so far', 'currently'."),
    # figures (an arrangement may state an amount too: a swap line's size)
    FieldSpec("metric", "slug", "What is measured, e.g. trade, fdi, visitors.", types=("figure",), required_for=("figure",)),
    FieldSpec("direction", "enum", "Direction of a flow, seen from the first country.", DIRECTIONS, types=("figure",)),
    FieldSpec("measure", "enum", "flow (over a period) or stock (accumulated).", MEASURES, types=("figure",)),
    FieldSpec("value", "number", "The number exactly as the source states it (for an arrangement: its amount).",
              types=AMOUNT_TYPES, required_for=("figure",)),
    FieldSpec("value_max", "number", "Upper end when qualifier is range.", types=AMOUNT_TYPES),
    FieldSpec("unit", "enum", "Unit of the value.", UNITS, types=AMOUNT_TYPES, required_for=("figure",)),
    FieldSpec("counted", "text", "What a count counts, e.g. 'Confucius Institutes'.", types=("figure",)),
    FieldSpec("scale", "enum", "Multiplier of the value; default one.", tuple(SCALES), types=AMOUNT_TYPES),
    FieldSpec("qualifier", "enum", "How the source qualifies the number; default exact.", QUALIFIERS, types=AMOUNT_TYPES),
    FieldSpec("prices", "enum", "Price basis of the amount: nominal (current prices, the default) or constant-2021 "
              "(constant 2021 prices, as AidData states its amounts); amounts on different bases are never added "
              "or drawn in one series.", PRICES, types=AMOUNT_TYPES),
    FieldSpec("aggregates", "bool", "false when the source advises against counting the amount in totals (AidData's "
              "'Recommended For Aggregates: No'): kept and shown, but left out of every sum, series and chart "
              "bricli makes. Default true.", types=AMOUNT_TYPES),
    FieldSpec("change_pct", "number", "Stated change over the prior period, in percent.", types=("figure",)),
    FieldSpec("basis", "enum", "reported (default), forecast, estimate or target.", BASES, types=("figure",)),
    FieldSpec("stat_basis", "enum", "Whose statistics the figure is on (china-customs, imf-dots ...); default unstated. "
              "A series never mixes them.", STAT_BASES, types=("figure",)),
    FieldSpec("ratio_of", "ratio", "For a stated share: the fact ids of the part and the whole.", types=("figure",)),
    FieldSpec("term_years", "number", "Term of an arrangement (a swap line) in years, as stated.", types=("arrangement",)),
    # projects and other named things
    FieldSpec("name", "text", "Proper name of a project, arrangement, framework or actor.",
              types=("project", "arrangement", "policy", "actor", "event", "tie"), required_for=("project", "actor")),
    FieldSpec("sector", "enum", "Sector of a project.", SECTORS, types=("project", "arrangement")),
    FieldSpec("status", "enum", "Status of a project as the source states it.", STATUSES, types=("project",)),
    FieldSpec("stage", "enum", "The step this fact records (signed, withdrawn, full-member, renewed, completed ...); "
              "allowed values depend on `kind`.", tuple(dict.fromkeys(s for ss in STAGES.values() for s in ss)),
              types=STAGE_TYPES),
    FieldSpec("about", "slug", "Id of the fact this one is a step of (a project, a document, a membership)."),
    FieldSpec("participants", "texts", "Companies, banks, governments or people taking part, as named."),
    FieldSpec("role", "text", "Role of an actor, e.g. 'Executive Secretary of ECLAC'.", types=("actor",)),
    # provenance and caveats
    FieldSpec("source", "source", "Where the fact comes from: {id, section, quote, translation}.", required_for=ALL),
    FieldSpec("note", "text", "Caveat for readers."),
    FieldSpec("correction", "text", "What was corrected from the source text (OCR slips) and why."),
    FieldSpec("revises", "slug", "Id of an earlier fact (another source or edition) this one updates."),
)
FACT_FIELD_NAMES = tuple(f.name for f in FACT_FIELDS)

SOURCE_REF_FIELDS = ("id", "section", "quote", "translation")
# section may be left out where the source is a web page (its url locates the quote);
# checks/references.py still asks for it when the source is a sectioned article
SOURCE_REF_REQUIRED = ("id", "quote")
SECTIONED_SOURCE_KINDS = ("article",)
RATIO_FIELDS = ("part", "whole")

# the fields of an entry of a file's `sources:` registry (a JSON record's `source` keys are analysis/records.py's)
REGISTRY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "slug", "Source id that facts refer to.", required_for=("source",)),
    FieldSpec("title", "text", "Title of the document.", required_for=("source",)),
    FieldSpec("author", "text", "Author, when known."),
    FieldSpec("publisher", "text", "Publisher, when known."),
    FieldSpec("date", "point", "Publication date (year, month or day).", required_for=("source",)),
    FieldSpec("date_estimated", "bool", "true when the date is our estimate, not stated by the source."),
    FieldSpec("url", "url", "Where a copy is found: an http:// or https:// address."),
    FieldSpec("kind", "enum", "What sort of document it is.", SOURCE_KINDS),
    FieldSpec("language", "slug", "ISO 639-1 code of the document's language: en, es, pt, zh."),
    FieldSpec("reliability", "enum", "A official or primary, B reputable secondary, C repost, blog or aggregator.", RELIABILITY),
    FieldSpec("reproduces", "text", "For a repost: what it reproduces (the original outlet or author, or a source id)."),
    FieldSpec("retrieved", "text", "Where and when the quotes were found again, e.g. 'stored copy of the page, checked 2026-11-28'."),
    FieldSpec("note", "text", "Anything a reader should know about the source."),
)
REGISTRY_FIELD_NAMES = tuple(f.name for f in REGISTRY_FIELDS)

FILE_KEYS = ("sources", "facts")
