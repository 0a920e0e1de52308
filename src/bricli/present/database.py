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
- `series`: the series among the exported figures by year (`bricli series SERIES_ID`), the
  figure the choice rule picks for each year.
- `about`: the bricli version and the selection the export holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar

from bricli import __version__
from bricli.analysis.derive import Derived
from bricli.model import countries, vocab
from bricli.present.citation import DATA_LICENSE, QUOTE_TERMS
from bricli.model.facts import Fact, FactBase
from bricli.model.periods import parse_period
from bricli.analysis.conflicts import find_conflicts
from bricli.analysis.matrix import country_matrix
from bricli.analysis.steps import ARRANGEMENTS
from bricli.analysis.contract import FIELDS, SOURCE_FIELDS
from bricli.analysis.records import record, source_record
from bricli.analysis.reconcile import build_series
from bricli.present.matrix import matrix_records
from bricli.present.series import rows_listing
from urllib.parse import quote
import html
import re
from bricli.model.urls import is_link

T = TypeVar("T")


class Track(Protocol):
    """Counts items as they are taken (the CLI's progress bar): gives back the same items."""

    def __call__(self, items: Iterable[T], text: str, total: int) -> Iterable[T]: ...

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
    # SQLite only (what Datasette shows): the columns its table puts first, in this order (Datasette shows a
    # table's columns in their order; the CSV and Parquet files keep `columns`' order), and the columns it adds
    lead: tuple[str, ...] = ()
    lookups: tuple[Lookup, ...] = ()

    def sqlite_columns(self) -> list[TableColumn]:
        """The columns of the SQLite table, in its order: `lead` first, then the others as `columns` has them,
        each lookup after the column it looks up by."""
        every: list[TableColumn] = []
        for c in self.columns:
            every.append(c)
            every += [lk.column for lk in self.lookups if lk.via == c.name]
        first = [next(c for c in every if c.name == name) for name in self.lead]
        return first + [c for c in every if c.name not in self.lead]


@dataclass(frozen=True)
class Lookup:
    """A column the SQLite database adds beside a foreign key, for Datasette to show and facet
    by: `column` holds `other`.`value` of the row whose `key` is this row's `via` (facts'
    source_reliability is the reliability of its source). Not in the CSV or Parquet files, nor in
    the data package: there the two tables are joined by the reader."""

    column: TableColumn
    via: str
    other: str
    key: str
    value: str


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
    "status": "A project's current status: from its latest dated milestone (README, Steps and statuses).",
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


_RELIABILITY = Lookup(
    TableColumn("source_reliability", "TEXT", "Reliability of the source (table sources, column reliability): A official "
                                              "or primary, B reputable secondary, C repost, blog or aggregator; empty when "
                                              "not graded. In the SQLite database only, to facet by.",
                allowed=vocab.RELIABILITY),
    via="source_id", other="sources", key="id", value="reliability",
)
# what a reader of the facts table in Datasette looks at first: what, how much, when, where, says who
RECORD_LEAD = ("id", "label", "value_text", "value", "unit", "scale", "qualifier", "period", "year", "countries",
               "source_id", "source_reliability", "source_title", "topic", "type")


def _record_table(name: str, description: str) -> Table:
    return Table(
        name, description, (*(_record_column(c, name) for c in record_columns()), _SELECTED), ("id",), label="label",
        search=("label", "name", "description", "source_quote", "note") if name == "facts" else ("label", "formula", "note"),
        facets=("topic", "type", "array:countries", "year", "source_id", "source_reliability") if name == "facts"
        else ("topic", "kind", "array:countries", "year"),
        lead=RECORD_LEAD, lookups=(_RELIABILITY,),
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
        "series", "The series among the exported figures (bricli series SERIES_ID): one figure over time across sources, "
                  "one row per series and year of its span, the figure the choice rule picks (README: Series by year), "
                  "and how many other facts give a value for that year. Years without a figure have no value.",
        (TableColumn("series", "TEXT", "Series id: what is measured, joined (trade-total-chn-lcn-usd).", not_null=True),
         TableColumn("label", "TEXT", "What the series measures.", not_null=True),
         TableColumn("year", "INTEGER", "The calendar year.", not_null=True),
         TableColumn("period", "TEXT", "How the chosen figure's period reads (2019 Jan–Nov for a partial year)."),
         TableColumn("value", "REAL", "The chosen figure in the series' unit and scale (451,591 million is 451.591 "
                                      "billion); empty for a year without a figure."),
         TableColumn("unit", "TEXT", "Unit of value (USD, percent ...).", allowed=vocab.UNITS),
         TableColumn("scale", "TEXT", "Multiplier of value (the series' scale: billion ...).", allowed=tuple(vocab.SCALES)),
         TableColumn("value_text", "TEXT", "The chosen figure as its source states it."),
         TableColumn("qualifier", "TEXT", "How the source qualifies the number (exact, about, more-than ...).",
                     allowed=vocab.QUALIFIERS),
         TableColumn("partial", "BOOLEAN", "1 when the chosen figure covers only part of the year."),
         TableColumn("stat_basis", "TEXT", "Whose statistics the chosen figure is on.", allowed=vocab.STAT_BASES),
         TableColumn("off_basis", "BOOLEAN", "1 when the chosen figure is not on the series' main statistical basis."),
         TableColumn("prices", "TEXT", "Price basis of the value: nominal, or constant-2021 (a dataset's constant "
                                       "2021 US dollars, never added to nominal amounts).", allowed=vocab.PRICES),
         TableColumn("derived", "BOOLEAN", "1 when the value is computed by bricli (an imported dataset's sum of its "
                                           "records for the year), not stated by a source."),
         TableColumn("records", "INTEGER", "For a derived sum: how many of the dataset's records it adds; else empty."),
         TableColumn("source", "TEXT", "The chosen figure's source (table sources).", "sources(id)"),
         TableColumn("publisher", "TEXT", "Publisher (or author) of that source."),
         TableColumn("fact", "TEXT", "The chosen fact (table facts).", "facts(id)"),
         TableColumn("others", "INTEGER", "How many other exported facts give a value for the year.", not_null=True),
         TableColumn("disagree", "BOOLEAN", "1 when those facts' values allow no common value (see table conflicts).",
                     not_null=True)),
        ("series", "year"), label="label", facets=("series", "disagree"),
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


def record_cells(rec: dict) -> tuple:
    """A record (the JSON contract) as the cells of `record_columns()`: `source` one cell per part,
    the period's dates after period_type; lists stay lists (cli/writers.py writes them as each
    format holds a list). `bricli.api.dataframe` makes its rows of facts with it too."""
    out: list[object] = []
    for name in FIELDS:
        value = rec[name]
        if name == "source":
            out += [value[part] for part in SOURCE_PARTS]
        else:
            out.append(value)
        if name == _PERIOD_AFTER:
            out += period_dates(rec["period"])
    return tuple(out)


def _cells(rec: dict, selected: bool) -> tuple:
    """A record as the row of table facts or derived."""
    return (*record_cells(rec), selected)


def _links(owner: str, items: list[tuple[str, tuple[str, ...]]]) -> list[tuple]:
    return [(owner_id, pos, other) for owner_id, others in items for pos, other in enumerate(others, start=1)]


def untracked(items: Iterable[T], text: str, total: int) -> Iterable[T]:
    return items


def build_tables(items: list[Fact | Derived], base: FactBase, selection: str = "all facts",
                 track: Track = untracked) -> Export:
    """The rows for `items` (a selection, in query order). Facts outside it that a selected
    row refers to (a derived value's inputs, a fact another revises or is a step of) are added with
    selected = 0, so every foreign key resolves and every derived value can be redone.
    `track` counts the facts as their rows are made (the CLI's progress bar)."""
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
    series_columns = [c.name for c in table("series").columns]
    series_rows = []
    for s in build_series([f for f in facts if f.id in chosen and f.type == "figure"], base.sources):
        for rec in rows_listing(s, s.rows(), base.sources).records:  # as bricli series SERIES_ID --format json
            rec["label"] = s.label
            series_rows.append(tuple(rec[name] for name in series_columns))
    return Export({
        "sources": source_rows,
        "countries": country_rows,
        "facts": [_cells(record(f, base), f.id in chosen) for f in track(facts, "making the table rows", len(facts))],
        "fact_countries": _links("facts", [(f.id, f.countries) for f in facts]),
        "derived": [_cells(record(d, base), True) for d in derived],
        "derived_countries": _links("derived", [(d.id, d.countries) for d in derived]),
        "derived_inputs": _links("derived", [(d.id, d.inputs) for d in derived]),
        "conflicts": [(n, pos, f.id, c.subject, c.kind) for n, c in conflicts for pos, f in enumerate(c.facts, 1)],
        "country_matrix": [tuple(r[name] for name in matrix_columns) for r in matrix],
        "series": series_rows,
        "about": [("bricli_version", __version__), ("schema_version", str(SCHEMA_VERSION)), ("selection", selection)],
    })


# -- Datasette ------------------------------------------------------------------------


# Datasette 0.65 prints a table's column descriptions as a list above the table (on the facts table,
# 2,000 pixels before the first row) and also gives each column header its description (data-column-description,
# shown in the column's menu). The list is hidden and each header's description made its tooltip: CSS and a
# line of script carried in the metadata itself (data: URLs), so the one `datasette` command needs nothing else.
# The facets are made narrower (the six of the facts table side by side in a 1,280-pixel window), each value on
# one line (a source's long title cut with an ellipsis), so that the first row starts within the first screen.
DATASETTE_CSS = ("dl.column-descriptions{display:none}"
                 "th[data-column-description]{cursor:help}"
                 ".facet-info{width:195px;margin-right:10px}"
                 ".facet-info li{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}")
DATASETTE_JS = ('document.addEventListener("DOMContentLoaded",function(){'
                'document.querySelectorAll("th[data-column-description]").forEach(function(th){'
                'th.title=th.getAttribute("data-column-description")})});')
FACET_SIZE = 5  # values shown per facet above the table ("..." leads to the rest)
TRADE_SERIES = "trade-total-chn-lcn-usd"  # analysis/reconcile.py series_id of China–LAC total trade in US dollars

CANNED_QUERIES: dict[str, dict[str, str]] = {  # the questions people ask of the data, as Datasette's canned queries
    "trade_by_year": {
        "title": "China–Latin America trade by year",
        "description": "Total trade in goods between China and Latin America and the Caribbean, one row per year: the "
                       "figure bricli's choice rule picks among the sources (as bricli series " + TRADE_SERIES + "), "
                       "its source, and how many other facts give a value (disagree: 1 where they differ).",
        "sql": "SELECT year, value, unit, scale, value_text, period, stat_basis, source, publisher, fact, others, disagree\n"
               "FROM series WHERE series = '" + TRADE_SERIES + "' ORDER BY year",
    },
    "country": {
        "title": "Everything about a country",
        "description": "Every fact that names the country (ISO code such as BRA, or its English, Spanish or Portuguese "
                       "name), by topic and date.",
        "sql": "SELECT f.id, f.label, f.value_text, f.period, f.topic, f.type, f.countries, f.source_id, "
               "f.source_reliability, f.source_quote\n"
               "FROM facts AS f\n"
               "WHERE f.id IN (SELECT fc.fact_id FROM fact_countries AS fc JOIN countries AS c ON c.code = fc.country\n"
               "  WHERE c.code = upper(trim(:country)) OR lower(trim(:country)) IN (lower(c.name_en), lower(c.name_es), "
               "lower(c.name_pt)))\n"
               "ORDER BY f.topic, f.period_start, f.id",
    },
    "disagreements": {
        "title": "Where sources disagree",
        "description": "Different figures (beyond rounding) or dates for the same thing, side by side (as bricli "
                       "conflicts lists them): one row per fact of each disagreement, with its source and quote.",
        "sql": "SELECT c.conflict, c.subject, c.disagreement, f.value_text, f.period, f.source_id, f.source_reliability, "
               "c.fact_id, f.source_quote\n"
               "FROM conflicts AS c JOIN facts AS f ON f.id = c.fact_id\n"
               "ORDER BY c.conflict, c.position",
    },
}


def _data_url(media_type: str, text: str) -> str:
    return f"data:{media_type},{quote(text, safe='')}"


def datasette_metadata(database: str, base: FactBase, selection: str, fts: bool, export: Export | None = None) -> dict:
    """Datasette's metadata (`datasette FILE.db -m FILE.metadata.json`) for a database
    named `database` (Datasette names it after the file: facts.db is "facts"): a home page that
    says what the data is and where to start, titles, descriptions of every table and column (as
    each column header's tooltip, not a list above the table), where the facts come from and their
    licence, full-text search, facets, and the canned queries (CANNED_QUERIES). Units vary row by
    row (column unit), so they are described, not declared as Datasette's per-column `units`.
    `export`: the rows written, for the number of sources they cite (default: the base's)."""
    sources = list(base.sources.values())
    count = export.count("sources") if export is not None else len(sources)
    about_sources = sources[0].title if len(sources) == 1 else f"{count} source{'' if count == 1 else 's'} (table sources)"
    tables: dict[str, dict] = {}
    for t in EXPORT_TABLES:
        meta: dict = {"description": t.description, "columns": {c.name: c.description for c in t.sqlite_columns()}}
        if t.label:
            meta["label_column"] = t.label
        if t.search and fts:
            meta["fts_table"] = f"{t.name}_fts"
            meta["fts_pk"] = "rowid"
        if t.facets:
            meta["facets"] = [{"array": f.removeprefix("array:")} if f.startswith("array:") else f for f in t.facets]
            meta["facet_size"] = FACET_SIZE
        tables[t.name] = meta
    description = (
        "Facts and figures of China–Latin America Belt and Road cooperation exported by bricli "
        f"{__version__} ({selection}). Every number is as its source states it (unit, period, qualifier) "
        "with the verbatim quote it rests on (facts.source_quote); values bricli computed are in table "
        "derived, each with its formula and inputs."
    )
    licence = f"{DATA_LICENSE['title']} ({DATA_LICENSE['name']}): bricli's compilation; {QUOTE_TERMS} (table sources)"
    # links from the home page (/), relative so that a base_url keeps working; only for a name Datasette
    # writes as it is in a URL (others are tilde-encoded: the tables are listed below the text all the same)
    linkable = re.fullmatch(r"[A-Za-z0-9_-]+", database) is not None
    esc = html.escape

    def link(path: str, text: str) -> str:
        return f'<a href="{esc(database)}/{esc(path)}">{esc(text)}</a>' if linkable else f"<strong>{esc(text)}</strong>"

    asks = ", ".join(link(name + ("?country=BRA" if name == "country" else ""), q["title"])
                     for name, q in CANNED_QUERIES.items())
    description_html = "".join((
        f"<p>{esc(description)}</p>",
        "<ul>",
        f"<li>{link('facts', 'facts')}: one row per fact: what, how much, when, which countries, which source "
        "(and its reliability), the source's own words. Facets by topic, type, country, year, source and "
        "reliability; full-text search; point at a column's name for what it holds.</li>",
        f"<li>Questions: {asks}.</li>",
        f"<li>{link('series', 'series')}: each figure over time, the figure chosen for each year; "
        f"{link('conflicts', 'conflicts')}: where sources disagree; {link('country_matrix', 'country_matrix')}: "
        "Belt and Road, AIIB, swap lines, clearing banks and free trade agreements by country.</li>",
        f"<li>{link('sources', 'sources')}: what the facts rest on, each with a link to read it and its "
        "reliability (A official or primary, B reputable secondary, C repost, blog or aggregator).</li>",
        "</ul>",
    ))  # Datasette adds the licence and the source below it, and in the footer of every page
    meta_all: dict = {
        "title": "bricli: China–Latin America Belt and Road facts",
        "description": description,
        "description_html": description_html,
        "license": licence,
        "license_url": DATA_LICENSE["path"],
        "source": about_sources,
        "extra_css_urls": [_data_url("text/css", DATASETTE_CSS)],
        "extra_js_urls": [_data_url("text/javascript", DATASETTE_JS)],
        "databases": {database: {
            "description": "Tables: " + ", ".join(TABLE_NAMES) + ". Canned queries: "
                           + ", ".join(q["title"] for q in CANNED_QUERIES.values()) + ".",
            "tables": tables,
            "queries": CANNED_QUERIES,
        }},
    }
    if len(sources) == 1:
        if is_link(sources[0].url):  # Datasette makes it a link: http(s) only (issue 24)
            meta_all["source_url"] = sources[0].url
    elif linkable:  # the footer of every page links to the table of sources (a path from the server's root)
        meta_all["source_url"] = f"/{database}/sources"
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
