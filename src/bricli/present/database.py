"""The fact base as the tables of a database (`bricli export`): the schema, documented
column by column, and the rows, built from the JSON records (`records.py`, the one record
format). Pure: no sqlite3, no files; cli/writers.py writes what this describes, and the
Datasette metadata comes from the same descriptions.

Tables (the README's "Beyond the command line" shows them in use):

- `facts`: one row per stated fact; its columns are the JSON contract's fields, nested
  `source.x` written `source_x` (so `source_quote` is the verbatim quote beside each fact)
  and lists joined with ";" as in `--format csv`; plus `selected` (see `build_tables`).
- `derived`: the values bricli computes, with the same columns (formula and inputs filled),
  so `SELECT * FROM facts UNION ALL SELECT * FROM derived` reads like `--format json`.
- `derived_inputs`: which facts each derived value was computed from, in formula order.
- `sources`: every source of the fact base, as `bricli sources --format json` gives it.
- `countries`: the countries and regions the exported rows name (code and names);
  `fact_countries` and `derived_countries` link rows to them, in their stated order.
- `about`: the bricli version and the selection the export holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bricli import __version__
from bricli.analysis.derive import Derived
from bricli.model import countries
from bricli.model.facts import Fact, FactBase
from bricli.present.records import FIELDS, SOURCE_FIELDS, record, source_record

SCHEMA_VERSION = 1  # PRAGMA user_version of the SQLite file; raised when a column changes meaning


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # TEXT, INTEGER, REAL or BOOLEAN (1/0 in SQLite, true/false in CSV)
    description: str
    references: str | None = None  # "table(column)": a foreign key
    not_null: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    label: str | None = None  # the column that names a row (Datasette's label_column)
    search: tuple[str, ...] = ()  # columns of its full-text index, when SQLite has FTS5
    facets: tuple[str, ...] = ()  # columns Datasette offers as facets


# -- the record's columns --------------------------------------------------------------

_RECORD_TEXT = {
    "id": "Fact id; a derived value's is derived.<kind>.<input id>.",
    "derived": "1 for a value bricli computed (table derived), 0 for a stated fact.",
    "type": "figure, event, project, arrangement, policy, tie, risk, actor, or derived.",
    "topic": "trade, investment, projects, finance, people, policy or risks.",
    "kind": "Subtype: risk category, project type, arrangement kind; balance, implied-prior or share for derived values.",
    "label": "What the row is about, in a few words.",
    "name": "Name of a project, arrangement or actor.",
    "description": "Longer text from the fact file.",
    "rationale": "Why the source says so (risks, policies).",
    "countries": "ISO 3166-1 alpha-3 codes (or LCN, WLD, EUU regions), joined with ';'; for a directional figure the first is the reporter. One row each in fact_countries / derived_countries.",
    "period": "ISO 8601 period (2018, 2019-01/2019-11, 2012/..) or point (2017-12-31).",
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
    "term_years": "Term of an arrangement (a swap line), in years as stated.",
    "stage": "The step a fact records (signed, withdrawn, full-member, renewed, completed ...).",
    "about": "The fact (project, document, membership) this step belongs to.",
    "counted": "What a count counts.",
    "value_text": "The value as a person reads it, qualifier and unit included: more than US$410 billion.",
    "change_pct": "Stated change over the prior period, in percent.",
    "sector": "Sector of a project.",
    "status": "Status of a project as the source states it.",
    "participants": "Participants of a project or arrangement, joined with ';'.",
    "role": "Role of an actor.",
    "source_id": "The source the row rests on (table sources).",
    "source_title": "Title of that source.",
    "source_date": "Date of that source, as the registry gives it (table sources says whether it is estimated).",
    "source_url": "Address of that source, when it has one.",
    "source_section": "Section of the source the quote is from.",
    "source_translation": "English translation of a quote in another language (the quote itself stays verbatim).",
    "source_quote": "The verbatim sentence of the source the fact rests on (OCR slips included); empty for derived values, whose inputs carry theirs.",
    "note": "Caveat from the fact file, or how a derived value was made.",
    "correction": "A correction of the source text.",
    "revises": "The fact this one updates.",
    "formula": "For a derived value: how it was computed.",
    "inputs": "For a derived value: the ids of the facts it was computed from, joined with ';' (one row each in derived_inputs).",
}
_BOOLEAN = {"derived", "partial"}
_REAL = {"value", "value_max", "value_base", "change_pct", "term_years"}


SOURCE_PARTS = SOURCE_FIELDS  # a record's `source`, one column each


def record_columns() -> list[str]:
    """The record's fields as column names: `source` becomes source_id .. source_quote."""
    out: list[str] = []
    for name in FIELDS:
        out += [f"source_{part}" for part in SOURCE_PARTS] if name == "source" else [name]
    return out


def _record_column(name: str, table_name: str) -> Column:
    sql_type = "BOOLEAN" if name in _BOOLEAN else "REAL" if name in _REAL else "TEXT"
    own = "facts(id)" if table_name == "facts" else None
    references = {"source_id": "sources(id)", "revises": own, "about": own}.get(name)
    return Column(name, sql_type, _RECORD_TEXT[name], references, not_null=name in ("id", "derived", "type", "topic", "label"))


_SELECTED = Column(
    "selected", "BOOLEAN",
    "1: the row matches the export's selection; 0: a fact outside it, included because a selected row "
    "uses it (a derived value's input, a revised fact), so every reference resolves.",
    not_null=True,
)


def _record_table(name: str, description: str) -> Table:
    return Table(
        name, description, (*(_record_column(c, name) for c in record_columns()), _SELECTED), ("id",), label="label",
        search=("label", "name", "description", "source_quote", "note") if name == "facts" else ("label", "formula", "note"),
        facets=("topic", "type", "source_id", "unit") if name == "facts" else ("topic", "kind"),
    )


def _link_table(name: str, description: str, owner: str, other: Column) -> Table:
    owner_id = f"{owner.rstrip('s')}_id"
    return Table(
        name, description,
        (Column(owner_id, "TEXT", f"The row of {owner}.", f"{owner}(id)", not_null=True),
         Column("position", "INTEGER", "Order in that row's list, from 1.", not_null=True),
         other),
        (owner_id, "position"),
    )


TABLES: tuple[Table, ...] = (
    Table(
        "sources", "Every source of the fact base: what the facts rest on.",
        (
            Column("id", "TEXT", "Source id, as facts cite it.", not_null=True),
            Column("title", "TEXT", "Title of the source.", not_null=True),
            Column("author", "TEXT", "Author."),
            Column("publisher", "TEXT", "Publisher."),
            Column("date", "TEXT", "Publication date (YYYY, YYYY-MM or YYYY-MM-DD).", not_null=True),
            Column("date_estimated", "BOOLEAN", "1 when the date is an estimate (the source states none)."),
            Column("url", "TEXT", "Where to read the source (a link in Datasette)."),
            Column("kind", "TEXT", "Kind of source (article, report, dataset, ...)."),
            Column("language", "TEXT", "Language of the source (and of its quotes)."),
            Column("note", "TEXT", "Note on the source."),
            Column("facts", "INTEGER", "How many rows of table facts rest on this source."),
        ),
        ("id",), label="title",
    ),
    Table(
        "countries", "The countries and regions the exported rows name.",
        (
            Column("code", "TEXT", "ISO 3166-1 alpha-3 code, or LCN (Latin America and the Caribbean), WLD (world), EUU (European Union).", not_null=True),
            Column("alpha2", "TEXT", "ISO 3166-1 alpha-2 code (empty for a region)."),
            Column("name_en", "TEXT", "English name."),
            Column("name_es", "TEXT", "Spanish name."),
            Column("name_pt", "TEXT", "Portuguese name."),
        ),
        ("code",), label="name_en",
    ),
    _record_table("facts", "One row per fact as its source states it: value, unit, period, qualifier, and the verbatim quote (source_quote)."),
    _link_table("fact_countries", "The countries each fact names, in its order (the first is a directional figure's reporter).", "facts",
                Column("country", "TEXT", "A country or region (table countries).", "countries(code)", not_null=True)),
    _record_table("derived", "Values bricli computes from stated facts (balances, implied prior values, shares), each with its formula; "
                  "table derived_inputs links each to the facts it was computed from."),
    _link_table("derived_countries", "The countries each derived value names, in its order.", "derived",
                Column("country", "TEXT", "A country or region (table countries).", "countries(code)", not_null=True)),
    _link_table("derived_inputs", "The facts each derived value was computed from, in the order of its formula.", "derived",
                Column("fact_id", "TEXT", "An input fact (table facts).", "facts(id)", not_null=True)),
    Table(
        "about", "What this export holds: the bricli version and the selection.",
        (Column("key", "TEXT", "bricli_version, schema_version or selection.", not_null=True),
         Column("value", "TEXT", "Its value.")),
        ("key",),
    ),
)
TABLE_NAMES = tuple(t.name for t in TABLES)


def table(name: str) -> Table:
    return next(t for t in TABLES if t.name == name)


# -- rows ------------------------------------------------------------------------------


@dataclass
class Export:
    """The rows of each table, in the column order of TABLES."""

    rows: dict[str, list[tuple]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def _cells(rec: dict, selected: bool) -> tuple:
    out: list[object] = []
    for name in FIELDS:
        value = rec[name]
        if name == "source":
            out += [value[part] for part in SOURCE_PARTS]
        elif isinstance(value, list):
            out.append(";".join(value) if value else None)
        else:
            out.append(value)
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

    pending = [ref for d in derived for ref in d.inputs] + [r for fid in chosen for r in refs(by_id[fid])]
    while pending:
        fid = pending.pop()
        if fid in wanted or fid not in by_id:
            continue
        wanted.add(fid)
        pending += refs(by_id[fid])
    facts = [f for f in base.facts if f.id in wanted]  # file order, as listings print them

    named = {c for f in facts for c in f.countries} | {c for d in derived for c in d.countries}
    country_rows = []
    for code in sorted(named):
        known = countries.names(code)
        country_rows.append((code, *(known or ("", code, code, code))))

    cites: dict[str, int] = {}
    for f in facts:
        cites[f.source.id] = cites.get(f.source.id, 0) + 1
    source_rows = []
    for sid, src in base.sources.items():
        rec = source_record(src, cites.get(sid, 0))
        source_rows.append(tuple(rec[c.name] for c in table("sources").columns))

    return Export({
        "sources": source_rows,
        "countries": country_rows,
        "facts": [_cells(record(f, base), f.id in chosen) for f in facts],
        "fact_countries": _links("facts", [(f.id, f.countries) for f in facts]),
        "derived": [_cells(record(d, base), True) for d in derived],
        "derived_countries": _links("derived", [(d.id, d.countries) for d in derived]),
        "derived_inputs": _links("derived", [(d.id, d.inputs) for d in derived]),
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
    for t in TABLES:
        meta: dict = {"description": t.description, "columns": {c.name: c.description for c in t.columns}}
        if t.label:
            meta["label_column"] = t.label
        if t.search and fts:
            meta["fts_table"] = f"{t.name}_fts"
            meta["fts_pk"] = "rowid"
        if t.facets:
            meta["facets"] = list(t.facets)
        tables[t.name] = meta
    meta_all: dict = {
        "title": "bricli: China–Latin America Belt and Road facts",
        "description": (
            "Facts and figures of China–Latin America Belt and Road cooperation exported by bricli "
            f"{__version__} ({selection}). Every number is as its source states it (unit, period, qualifier) "
            "with the verbatim quote it rests on (facts.source_quote); values bricli computed are in table "
            "derived, each with its formula and inputs."
        ),
        "license": "Quotes and figures remain under their sources' terms (table sources).",
        "source": about_sources,
        "databases": {database: {"description": "Tables: " + ", ".join(TABLE_NAMES) + ".", "tables": tables}},
    }
    from bricli.model.urls import is_link

    if len(sources) == 1 and is_link(sources[0].url):  # Datasette makes it a link: http(s) only (issue 24)
        meta_all["source_url"] = sources[0].url
    return meta_all
