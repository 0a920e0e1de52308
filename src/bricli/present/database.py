"""The fact base as the tables of a database (`bricli export`): the schema, documented
column by column, and the rows, built from the JSON records (`records.py`, the one record
format). Pure: no sqlite3, no files; cli/writers.py writes what this describes, and the
Datasette metadata and the data package's schemas come from the same descriptions.

Tables (the README's "Beyond the command line" shows them in use):

- `facts`: one row per stated fact; its columns are the JSON contract's fields, nested
  `source.x` written `source_x` (so `source_quote` is the verbatim quote beside each fact),
  lists as lists (a JSON array in SQLite, a list in Parquet, joined with ";" in CSV), and
  the period as dates (`period_start`, `period_end`, `year`); plus `selected` (see `build_tables`).
- `derived`: the values bricli computes, with the same columns (formula and inputs filled),
  so `SELECT * FROM facts UNION ALL SELECT * FROM derived` reads like `--format json`.
- `derived_inputs`: which facts each derived value was computed from, in formula order.
- `sources`: the sources the rows cite, as `bricli sources --format json` gives them (and
  their dates as dates).
- `countries`: the countries and regions the exported rows name (code and names);
  `fact_countries` and `derived_countries` link rows to them, in their stated order.
- `conflicts`: the disagreements between sources that selected facts are part of.
- `country_matrix`: the regional matrix (`bricli countries`) of the exported facts.
- `about`: the bricli version and the selection the export holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bricli import __version__
from bricli.analysis.derive import Derived
from bricli.model import countries, vocab
from bricli.present.citation import DATA_LICENSE, QUOTE_TERMS
from bricli.model.facts import Fact, FactBase
from bricli.model.periods import parse_period
from bricli.analysis.conflicts import find_conflicts
from bricli.analysis.matrix import ARRANGEMENTS, country_matrix
from bricli.analysis.records import FIELDS, SOURCE_FIELDS, record, source_record
from bricli.present.matrix import matrix_records

SCHEMA_VERSION = 2  # PRAGMA user_version of the SQLite file; raised when a column changes meaning


@dataclass(frozen=True)
class TableColumn:
    name: str
    type: str  # TEXT, INTEGER, REAL, BOOLEAN (1/0 in SQLite, true/false in CSV), DATE (ISO 8601 YYYY-MM-DD text in
    # SQLite and CSV, date32 in Parquet) or LIST (of text: a JSON array in SQLite, a list in Parquet, joined with ";" in CSV)
    description: str
    references: str | None = None  # "table(column)": a foreign key
    not_null: bool = False
    allowed: tuple[str, ...] = ()  # the values it may hold (the fact files' vocabulary); () any


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[TableColumn, ...]
    primary_key: tuple[str, ...]
    label: str | None = None  # the column that names a row (Datasette's label_column)
    search: tuple[str, ...] = ()  # columns of its full-text index, when SQLite has FTS5
    facets: tuple[str, ...] = ()  # columns Datasette offers as facets; "array:countries" faceted by each item of a list


# -- the record's columns --------------------------------------------------------------

_RECORD_TEXT = {
    "id": "Fact id; a derived value's is derived.<kind>.<input id> (a dataset's sum by year: derived.sum.<series id>.<year>).",
    "derived": "1 for a value bricli computed (table derived), 0 for a stated fact.",
    "type": "figure, event, project, arrangement, policy, tie, risk, actor, or derived.",
    "topic": "trade, investment, projects, finance, people, policy or risks.",
    "kind": "Subtype: risk category, project type, arrangement kind; balance, implied-prior, share or sum for derived values.",
    "label": "What the row is about, in a few words.",
    "name": "Name of a project, arrangement or actor.",
    "description": "Longer text from the fact file.",
    "rationale": "Why the source says so (risks, policies).",
    "countries": "ISO 3166-1 alpha-3 codes (or LCN, WLD, EUU regions), a list (a JSON array in SQLite, joined with ';' in CSV); for a directional figure the first is the reporter. One row each in fact_countries / derived_countries.",
    "period": "ISO 8601 period (2018, 2019-01/2019-11, 2012/..) or point (2017-12-31), as text: not a date (a bare year is no day); for dates use period_start, period_end and year.",
    "period_type": "span (a period) or point (a stock measured at a moment).",
    "period_label": "How the period reads: 2019 Jan–Nov, end-2017, so far.",
    "partial": "1 for a figure covering only part of a year: never the whole year.",
    "when": "The source's own words for an imprecise time.",
    "metric": "What a figure measures (trade, fdi, ...).",
    "direction": "exports, imports, total, outward, inward, or balance (derived).",
    "measure": "flow (one period) or stock (accumulated).",
    "value": "The number as the source states it, in the row's unit and scale (148.79 with scale billion and unit USD is US$148.79 billion).",
    "value_max": "Upper end of a stated range, in the same unit and scale.",
    "unit": "Unit of value, value_max and value_base: a currency (ISO 4217: USD, CNY, EUR, BRL ...), percent, count or people.",
    "scale": "Multiplier of value: one, thousand, million, billion or trillion.",
    "value_base": "value × scale in whole units of the row's unit (US dollars, people), for adding and comparing rows of one unit.",
    "qualifier": "exact, about, nearly, more-than, less-than, at-least, at-most, up-to or range: how the source qualifies the number.",
    "basis": "reported, forecast, estimate, target, or derived.",
    "stat_basis": "Whose statistics a figure is on (china-customs, mofcom, imf-dots, eclac, un-comtrade, national, other, unstated); figures on different bases are never combined.",
    "prices": "Price basis of the amount: nominal (current prices, as sources state them) or constant-2021 (constant 2021 prices, as AidData states its amounts); amounts on different bases are never added, compared or drawn in one series. Empty for a row without an amount.",
    "aggregates": "0 when the source advises against counting the amount in totals (AidData's Recommended For Aggregates: No): listed, but left out of every sum, series and chart bricli makes; 1 otherwise; empty for a row without an amount and for derived values.",
    "term_years": "Term of an arrangement (a swap line), in years as stated.",
    "stage": "The step a fact records (signed, withdrawn, full-member, renewed, completed ...).",
    "about": "The fact (project, document, membership) this step belongs to.",
    "counted": "What a count counts.",
    "value_text": "The value as a person reads it, qualifier and unit included: more than US$410 billion.",
    "change_pct": "Stated change over the prior period, in percent.",
    "sector": "Sector of a project.",
    "status": "Status of a project as the source states it.",
    "participants": "Participants of a project or arrangement, a list (a JSON array in SQLite, joined with ';' in CSV).",
    "role": "Role of an actor.",
    "source_id": "The source the row rests on (table sources).",
    "source_title": "Title of that source.",
    "source_date": "Date of that source as the registry gives it (YYYY, YYYY-MM or YYYY-MM-DD), as text: not a date (table sources has it as dates, and says whether it is estimated).",
    "source_url": "Address of that source, when it has one.",
    "source_section": "Section of the source the quote is from.",
    "source_translation": "English translation of a quote in another language (the quote itself stays verbatim).",
    "source_quote": "The verbatim sentence of the source the fact rests on (OCR slips included); empty for derived values, whose inputs carry theirs.",
    "note": "Caveat from the fact file, or how a derived value was made.",
    "correction": "A correction of the source text.",
    "revises": "The fact this one updates.",
    "formula": "For a derived value: how it was computed.",
    "inputs": "For a derived value: the ids of the facts it was computed from, a list (a JSON array in SQLite, joined with ';' in CSV; one row each in derived_inputs).",
}
_BOOLEAN = {"derived", "partial", "aggregates"}
_LIST = {"countries", "participants", "inputs"}
_REAL = {"value", "value_max", "value_base", "change_pct", "term_years"}


SOURCE_PARTS = SOURCE_FIELDS  # a record's `source`, one column each


# the period as dates, after period_type: what Datasette, pandas and DuckDB can facet, filter and plot by
PERIOD_COLUMNS = (
    TableColumn("period_start", "DATE", "First day of the period (of a point: the first day it can be; 2019-01/2019-11 "
                                        "starts 2019-01-01); empty when open at the start or undated."),
    TableColumn("period_end", "DATE", "Last day of the period (of a point: the last day it can be; 2019-01/2019-11 ends "
                                      "2019-11-30); empty when open at the end or undated."),
    TableColumn("year", "INTEGER", "The calendar year the period (or point) lies in; empty when it spans more than one "
                                   "year, is open or undated. A partial year (2019-01/2019-11) has its year: see partial."),
)
_PERIOD_AFTER = "period_type"


def record_columns() -> list[str]:
    """The record's fields as column names: `source` becomes source_id .. source_quote, and
    period_start, period_end and year follow period_type."""
    out: list[str] = []
    for name in FIELDS:
        out += [f"source_{part}" for part in SOURCE_PARTS] if name == "source" else [name]
        if name == _PERIOD_AFTER:
            out += [c.name for c in PERIOD_COLUMNS]
    return out


def _allowed(name: str, table_name: str) -> tuple[str, ...]:
    """The vocabulary of a record column (model/vocab.py), as the data package declares it."""
    stated = table_name == "facts"
    return {
        "type": vocab.FACT_TYPES if stated else ("derived",),
        "topic": vocab.TOPICS,
        "period_type": ("span", "point"),
        "direction": vocab.DIRECTIONS if stated else (*vocab.DIRECTIONS, "balance"),
        "measure": vocab.MEASURES,
        "unit": vocab.UNITS,
        "scale": tuple(vocab.SCALES),
        "qualifier": vocab.QUALIFIERS,
        "basis": vocab.BASES if stated else ("derived",),
        "stat_basis": vocab.STAT_BASES,
        "prices": vocab.PRICES,
        "sector": vocab.SECTORS if stated else (),
        "status": vocab.STATUSES if stated else (),
    }.get(name, ())


def _record_column(name: str, table_name: str) -> TableColumn:
    extra = next((c for c in PERIOD_COLUMNS if c.name == name), None)
    if extra is not None:
        return extra
    sql_type = "BOOLEAN" if name in _BOOLEAN else "REAL" if name in _REAL else "LIST" if name in _LIST else "TEXT"
    own = "facts(id)" if table_name == "facts" else None
    references = {"source_id": "sources(id)", "revises": own, "about": own}.get(name)
    return TableColumn(name, sql_type, _RECORD_TEXT[name], references, not_null=name in ("id", "derived", "type", "topic", "label"),
                       allowed=_allowed(name, table_name))


_SELECTED = TableColumn(
    "selected", "BOOLEAN",
    "1: the row matches the export's selection; 0: a fact outside it, included because a selected row "
    "uses it (a derived value's input, a revised fact), so every reference resolves.",
    not_null=True,
)


def _record_table(name: str, description: str) -> Table:
    return Table(
        name, description, (*(_record_column(c, name) for c in record_columns()), _SELECTED), ("id",), label="label",
        search=("label", "name", "description", "source_quote", "note") if name == "facts" else ("label", "formula", "note"),
        facets=("topic", "type", "array:countries", "year", "source_id", "unit") if name == "facts"
        else ("topic", "kind", "array:countries", "year"),
    )


def _link_table(name: str, description: str, owner: str, other: TableColumn) -> Table:
    owner_id = f"{owner.rstrip('s')}_id"
    return Table(
        name, description,
        (TableColumn(owner_id, "TEXT", f"The row of {owner}.", f"{owner}(id)", not_null=True),
         TableColumn("position", "INTEGER", "Order in that row's list, from 1.", not_null=True),
         other),
        (owner_id, "position"),
    )


MATRIX_CELLS = (  # the matrix's cells (analysis/matrix.py ARRANGEMENTS), as the README's "The regional matrix" reads them
    ("bri", "Belt and Road: the first stated signing of a Belt and Road document, 'left' and the date of a withdrawal, "
            "or 'declined' and its date"),
    ("aiib", "AIIB: the furthest membership step (prospective, signed, ratified, full member) and its date"),
    ("swap", "Swap line: the last stated amount and the latest step's date"),
    ("clearing", "Clearing: the date an RMB clearing bank was designated"),
    ("fta", "FTA: the furthest step of a free trade agreement (talks, signed, in force) and its date"),
)



def _matrix_cells() -> list[TableColumn]:
    out = []
    for arrangement, what in MATRIX_CELLS:
        out.append(TableColumn(arrangement, "TEXT", f"{what}; empty when no exported fact says anything."))
        out.append(TableColumn(f"{arrangement}_facts", "LIST", f"Ids of the facts the {arrangement} cell rests on (a list: "
                                                               "a JSON array in SQLite, joined with ';' in CSV)."))
    return out


EXPORT_TABLES: tuple[Table, ...] = (
    Table(
        "sources", "The sources the exported rows cite, "
                   "as bricli sources --format json gives them: what the facts rest on, and how reliable each is.",
        (
            TableColumn("id", "TEXT", "Source id, as facts cite it.", not_null=True),
            TableColumn("title", "TEXT", "Title of the source.", not_null=True),
            TableColumn("author", "TEXT", "Author."),
            TableColumn("publisher", "TEXT", "Publisher."),
            TableColumn("date", "TEXT", "Publication date as the registry gives it (YYYY, YYYY-MM or YYYY-MM-DD), as text: "
                                        "not a date (a bare year is no day); see date_start, date_end.", not_null=True),
            TableColumn("date_start", "DATE", "First day the publication date can be (date 2019 → 2019-01-01)."),
            TableColumn("date_end", "DATE", "Last day the publication date can be (date 2019 → 2019-12-31)."),
            TableColumn("date_estimated", "BOOLEAN", "1 when the date is an estimate (the source states none)."),
            TableColumn("url", "TEXT", "Where to read the source (a link in Datasette)."),
            TableColumn("kind", "TEXT", "Kind of source (article, report, dataset, news, repost ...).",
                        allowed=vocab.SOURCE_KINDS),
            TableColumn("language", "TEXT", "Language of the source (and of its quotes): ISO 639-1 (en, es, pt, zh ...)."),
            TableColumn("reliability", "TEXT", "How far the source can be relied on: A official or primary, B reputable "
                                               "secondary, C repost, blog or aggregator; empty when not graded.",
                        allowed=vocab.RELIABILITY),
            TableColumn("reproduces", "TEXT", "The original a repost or a summary reproduces."),
            TableColumn("retrieved", "TEXT", "When and how the source was retrieved."),
            TableColumn("note", "TEXT", "Note on the source."),
            TableColumn("facts", "INTEGER", "How many rows of table facts rest on this source.", not_null=True),
        ),
        ("id",), label="title", facets=("reliability", "kind", "language"),
    ),
    Table(
        "countries", "The countries and regions the exported rows name, and the CELAC states of table country_matrix.",
        (
            TableColumn("code", "TEXT", "ISO 3166-1 alpha-3 code, or LCN (Latin America and the Caribbean), WLD (world), EUU (European Union).", not_null=True),
            TableColumn("alpha2", "TEXT", "ISO 3166-1 alpha-2 code (empty for a region)."),
            TableColumn("name_en", "TEXT", "English name."),
            TableColumn("name_es", "TEXT", "Spanish name."),
            TableColumn("name_pt", "TEXT", "Portuguese name."),
        ),
        ("code",), label="name_en",
    ),
    _record_table("facts", "One row per fact as its source states it: value, unit, period, qualifier, and the verbatim quote (source_quote)."),
    _link_table("fact_countries", "The countries each fact names, in its order (the first is a directional figure's reporter).", "facts",
                TableColumn("country", "TEXT", "A country or region (table countries).", "countries(code)", not_null=True)),
    _record_table("derived", "Values bricli computes from stated facts (balances, implied prior values, shares), each with its formula; "
                  "table derived_inputs links each to the facts it was computed from."),
    _link_table("derived_countries", "The countries each derived value names, in its order.", "derived",
                TableColumn("country", "TEXT", "A country or region (table countries).", "countries(code)", not_null=True)),
    _link_table("derived_inputs", "The facts each derived value was computed from, in the order of its formula.", "derived",
                TableColumn("fact_id", "TEXT", "An input fact (table facts).", "facts(id)", not_null=True)),
    Table(
        "conflicts", "Where sources disagree (as bricli conflicts lists it): one row per fact of each disagreement that a "
                     "selected fact is part of; the other facts of it are exported too.",
        (TableColumn("conflict", "INTEGER", "Number of the disagreement (1, 2, ..., as bricli conflicts numbers them "
                                            "for the whole fact base); its facts share it.", not_null=True),
         TableColumn("position", "INTEGER", "Order of the fact in the disagreement, from 1.", not_null=True),
         TableColumn("fact_id", "TEXT", "A fact of the disagreement (table facts: its value or date, its source).",
                     "facts(id)", not_null=True),
         TableColumn("subject", "TEXT", "What they disagree about: China–LAC trade, 2011, total.", not_null=True),
         TableColumn("disagreement", "TEXT", "value (different figures beyond rounding) or date (different dates for "
                                             "one once-only step).", not_null=True, allowed=("value", "date"))),
        ("conflict", "position"), label="subject", facets=("disagreement",),
    ),
    Table(
        "country_matrix", "The regional matrix (bricli countries) of the exported facts: one row per CELAC state, its Belt "
                          "and Road document, AIIB status, swap line, RMB clearing bank and free trade agreement.",
        (TableColumn("country", "TEXT", "ISO 3166-1 alpha-3 code (table countries).", "countries(code)", not_null=True),
         TableColumn("name", "TEXT", "English name.", not_null=True),
         *_matrix_cells(),
         TableColumn("facts", "INTEGER", "How many exported facts name the country.", not_null=True)),
        ("country",), label="name",
    ),
    Table(
        "about", "What this export holds: the bricli version and the selection.",
        (TableColumn("key", "TEXT", "bricli_version, schema_version or selection.", not_null=True),
         TableColumn("value", "TEXT", "Its value.")),
        ("key",),
    ),
)
TABLE_NAMES = tuple(t.name for t in EXPORT_TABLES)
assert tuple(a for a, _ in MATRIX_CELLS) == ARRANGEMENTS


def table(name: str) -> Table:
    return next(t for t in EXPORT_TABLES if t.name == name)


# -- rows ------------------------------------------------------------------------------


@dataclass
class Export:
    """The rows of each table, in the column order of EXPORT_TABLES."""

    rows: dict[str, list[tuple]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def period_dates(text: str | None) -> tuple[date | None, date | None, int | None]:
    """An ISO period or point as (first day, last day, its calendar year): 2019-01/2019-11 is
    (2019-01-01, 2019-11-30, 2019); 2012/.. is (2012-01-01, None, None); 2013/2018 has no year."""
    if not text:
        return None, None, None
    try:
        p = parse_period(text)
    except ValueError:  # `check` rejects it; an export does not guess
        return None, None, None
    first = p.start.first if p.start else None
    last = p.end.last if p.end else None
    year = first.year if first and last and first.year == last.year else None
    return first, last, year


def _cells(rec: dict, selected: bool) -> tuple:
    """A record as the row of table facts or derived; lists stay lists (cli/writers.py writes
    them as each format holds a list)."""
    out: list[object] = []
    for name in FIELDS:
        value = rec[name]
        if name == "source":
            out += [value[part] for part in SOURCE_PARTS]
        else:
            out.append(value)
        if name == _PERIOD_AFTER:
            out += period_dates(rec["period"])
    out.append(selected)
    return tuple(out)


def _links(owner: str, items: list[tuple[str, tuple[str, ...]]]) -> list[tuple]:
    return [(owner_id, pos, other) for owner_id, others in items for pos, other in enumerate(others, start=1)]


def build_tables(items: list[Fact | Derived], base: FactBase, selection: str = "all facts") -> Export:
    """The rows for `items` (a selection, in query order). Facts outside it that a selected
    row refers to (a derived value's inputs, a fact another revises or is a step of) are added with
    selected = 0, so every foreign key resolves and every derived value can be redone."""
    by_id = base.by_id()
    chosen = {i.id for i in items if isinstance(i, Fact)}
    derived = [i for i in items if isinstance(i, Derived)]
    wanted = set(chosen)
    def refs(f: Fact) -> list[str]:
        return [r for r in (f.revises, f.about) if r]

    conflicts = [(n, c) for n, c in enumerate(find_conflicts(base.facts), 1) if any(f.id in chosen for f in c.facts)]
    pending = ([ref for d in derived for ref in d.inputs] + [r for fid in chosen for r in refs(by_id[fid])]
               + [f.id for _, c in conflicts for f in c.facts])
    while pending:
        fid = pending.pop()
        if fid in wanted or fid not in by_id:
            continue
        wanted.add(fid)
        pending += refs(by_id[fid])
    facts = [f for f in base.facts if f.id in wanted]  # file order, as listings print them

    matrix = matrix_records(country_matrix(facts))
    named = {c for f in facts for c in f.countries} | {c for d in derived for c in d.countries} | {r["country"] for r in matrix}
    country_rows = []
    for code in sorted(named):
        known = countries.names(code)
        country_rows.append((code, *(known or ("", code, code, code))))

    cites: dict[str, int] = {}
    for f in facts:
        cites[f.source.id] = cites.get(f.source.id, 0) + 1
    cited = set(cites) | {d.source_id for d in derived}
    source_rows = []
    for sid, src in base.sources.items():
        if sid not in cited:  # only the sources the export's rows rest on
            continue
        rec = source_record(src, cites.get(sid, 0))
        rec["date_start"], rec["date_end"], _ = period_dates(src.date)
        source_rows.append(tuple(rec[c.name] for c in table("sources").columns))

    matrix_columns = [c.name for c in table("country_matrix").columns]
    return Export({
        "sources": source_rows,
        "countries": country_rows,
        "facts": [_cells(record(f, base), f.id in chosen) for f in facts],
        "fact_countries": _links("facts", [(f.id, f.countries) for f in facts]),
        "derived": [_cells(record(d, base), True) for d in derived],
        "derived_countries": _links("derived", [(d.id, d.countries) for d in derived]),
        "derived_inputs": _links("derived", [(d.id, d.inputs) for d in derived]),
        "conflicts": [(n, pos, f.id, c.subject, c.kind) for n, c in conflicts for pos, f in enumerate(c.facts, 1)],
        "country_matrix": [tuple(r[name] for name in matrix_columns) for r in matrix],
        "about": [("bricli_version", __version__), ("schema_version", str(SCHEMA_VERSION)), ("selection", selection)],
    })


# -- Datasette ------------------------------------------------------------------------


def datasette_metadata(database: str, base: FactBase, selection: str, fts: bool) -> dict:
    """Datasette's metadata (`datasette FILE.db -m FILE.metadata.json`) for a database
    named `database` (Datasette names it after the file: facts.db is "facts"): titles,
    descriptions of every table and column, where the facts come from, full-text search
    and facets. Units vary row by row (column unit), so they are described, not declared
    as Datasette's per-column `units`."""
    sources = list(base.sources.values())
    about_sources = sources[0].title if len(sources) == 1 else f"{len(sources)} sources (table sources)"
    tables: dict[str, dict] = {}
    for t in EXPORT_TABLES:
        meta: dict = {"description": t.description, "columns": {c.name: c.description for c in t.columns}}
        if t.label:
            meta["label_column"] = t.label
        if t.search and fts:
            meta["fts_table"] = f"{t.name}_fts"
            meta["fts_pk"] = "rowid"
        if t.facets:
            meta["facets"] = [{"array": f.removeprefix("array:")} if f.startswith("array:") else f for f in t.facets]
        tables[t.name] = meta
    meta_all: dict = {
        "title": "bricli: China–Latin America Belt and Road facts",
        "description": (
            "Facts and figures of China–Latin America Belt and Road cooperation exported by bricli "
            f"{__version__} ({selection}). Every number is as its source states it (unit, period, qualifier) "
            "with the verbatim quote it rests on (facts.source_quote); values bricli computed are in table "
            "derived, each with its formula and inputs."
        ),
        "license": f"{DATA_LICENSE['title']} ({DATA_LICENSE['name']}): bricli's compilation; {QUOTE_TERMS} (table sources)",
        "license_url": DATA_LICENSE["path"],
        "source": about_sources,
        "databases": {database: {"description": "Tables: " + ", ".join(TABLE_NAMES) + ".", "tables": tables}},
    }
    from bricli.model.urls import is_link

    if len(sources) == 1 and is_link(sources[0].url):  # Datasette makes it a link: http(s) only (issue 24)
        meta_all["source_url"] = sources[0].url
    return meta_all


# -- the Frictionless data package --------------------------------------------------------

_PACKAGE_TYPES = {"TEXT": "string", "INTEGER": "integer", "REAL": "number", "BOOLEAN": "boolean", "DATE": "date", "LIST": "list"}


def _package_field(c: TableColumn, fmt: str) -> dict:
    out: dict = {"name": c.name, "type": _PACKAGE_TYPES[c.type], "description": c.description}
    if c.type == "BOOLEAN":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]  # as the CSV writes them
    if c.type == "LIST":
        out["itemType"] = "string"
        if fmt == "csv":
            out["delimiter"] = ";"
    constraints: dict = {}
    if c.not_null:
        constraints["required"] = True
    if c.allowed:
        constraints["enum"] = list(c.allowed)
    if constraints:
        out["constraints"] = constraints
    return out


def data_package(name: str, export: Export, fmt: str, selection: str) -> dict:
    """`datapackage.json` (Frictionless Data Package, tabular) of a CSV or Parquet export
    directory: every table as a resource with its schema (types, descriptions, primary and
    foreign keys, allowed values), the licences, and the sources the rows cite."""
    ext = "csv" if fmt == "csv-dir" else "parquet"
    resources = []
    for t in EXPORT_TABLES:
        schema: dict = {"fields": [_package_field(c, ext) for c in t.columns], "primaryKey": list(t.primary_key)}
        if ext == "csv":
            schema["missingValues"] = [""]
        keys = []
        for c in t.columns:
            if c.references:
                other, _, column = c.references.rstrip(")").partition("(")
                keys.append({"fields": [c.name], "reference": {"resource": "" if other == t.name else other, "fields": [column]}})
        if keys:
            schema["foreignKeys"] = keys
        resource: dict = {"name": t.name, "path": f"{t.name}.{ext}", "profile": "tabular-data-resource",
                          "description": t.description, "format": ext, "schema": schema}
        if ext == "csv":
            resource.update({"mediatype": "text/csv", "encoding": "utf-8",
                             "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True,
                                         "header": True}})
        else:
            resource["mediatype"] = "application/vnd.apache.parquet"
        resources.append(resource)
    columns = [c.name for c in table("sources").columns]
    sources = [dict(zip(columns, row)) for row in export.rows["sources"]]
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": "bricli: China–Latin America Belt and Road facts",
        "description": (
            f"Facts and figures of China–Latin America Belt and Road cooperation exported by bricli {__version__} "
            f"({selection}): every number as its source states it, with the verbatim quote it rests on "
            "(facts.source_quote); values bricli computed are in resource derived, each with its formula and inputs."),
        "version": __version__,
        "licenses": [{**DATA_LICENSE, "title": f"{DATA_LICENSE['title']}: bricli's compilation; {QUOTE_TERMS}"}],
        "sources": [{"title": s["title"], **({"path": s["url"]} if s["url"] else {})} for s in sources],
        "keywords": ["China", "Latin America and the Caribbean", "Belt and Road Initiative", "trade", "investment"],
        "resources": resources,
    }
