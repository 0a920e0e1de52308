"""The views that read the fact base itself, not only the index's stored records: a country's
profile, one fact (`show`), the sources registry, the disagreements, the regional matrix,
the series. Called by the CLI's commands and `bricli.api`, as present/views.py."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from bricli.analysis.conflicts import basis_differences, find_conflicts
from bricli.analysis.derive import Derived
from bricli.analysis.matrix import country_matrix, status_of
from bricli.analysis.query import Filters
from bricli.analysis.reconcile import FigureSeries, build_series, sum_series
from bricli.analysis.records import record, source_record
from bricli.index.engine import Engine
from bricli.model import countries
from bricli.model.errors import QueryError
from bricli.model.facts import Fact, FactBase, Source
from bricli.model.suggest import close_matches
from bricli.model.wording import value_text
from bricli.present.chart import ChartSeries, series_chart, sum_chart
from bricli.present.citation import citation
from bricli.present.conflicts import conflicts_listing
from bricli.present.listing import Listing, selection_listing
from bricli.present.matrix import matrix_listing, status_lines, status_listing
from bricli.present.rows import fact_listing, sources_listing
from bricli.present.series import bilateral, latest_lines, rows_listing, series_listing, sum_rows_listing
from bricli.present.steps import with_milestones
from bricli.present.views import series_request


def country_view(e: Engine, code: str, filters: Filters, *, derived: bool = False, status: bool = False,
                 limit: int | None = None, cite: bool = False) -> Listing:
    """`bricli country CODE`: its facts by topic, opened (table and markdown) by its latest figures
    and its matrix row's steps; with `status`, those steps alone, one record each. `filters` carry
    the country."""
    row = status_of(code, e.base().facts)
    if status:
        return status_listing(row, {sid: s.reliability for sid, s in e.sources().items()})
    selection = e.select(filters, derived=derived, order="topic", limit=limit)
    listing = selection_listing(selection, cite=cite, title=f"{countries.name(code)} ({code})", topic_column=True)
    listing.group_by = "topic"  # at a terminal, a table per topic: each fits 80 columns where all together do not
    # the profile opens with its numbers, then its steps (the matrix row, dated), then the facts (table, markdown)
    numbers = latest_figures(e, filters, code)
    steps = status_lines(row)
    if numbers:
        listing.preface += ["Latest figures (the choice of bricli series):"] + [f"  {line}" for line in numbers]
    if steps:
        listing.preface += ["Steps:"] + [f"  {line}" for line in steps]
    return listing


def latest_figures(e: Engine, filters: Filters, code: str) -> list[str]:
    """The latest figure of each series between China and the country, among the facts the
    filters select, as `bricli series` chooses it."""

    sources = e.sources()
    figures = [f for f in e.select(replace(filters, types=("figure",))).items() if isinstance(f, Fact)]
    series = bilateral(build_series(figures, sources), code)
    # an answer, not a pile: the series over several years lead; one-off figures (a deal's price,
    # a single partial year) are counted, with the command that lists them
    lasting = [s for s in series if len(s.by_year) > 1] or series[:OPENING_SERIES]
    lines = latest_lines(lasting, sources)
    if len(series) > len(lasting):
        more = len(series) - len(lasting)
        lines.append(f"and {more} more series of one year each: bricli series --country {code}")
    return lines


OPENING_SERIES = 3  # a profile whose series all have one year shows this many


class FoundFact(NamedTuple):
    item: Fact | Derived
    base: FactBase
    by_id: dict


def find_fact(e: Engine, fact_id) -> FoundFact:
    """`bricli show FACT_ID`: the fact (or derived value) of that id, or a QueryError with the closest ids."""
    if not isinstance(fact_id, str):
        raise QueryError(f"FACT_ID: expected a fact id, not {type(fact_id).__name__} {fact_id!r}",
                         "see the ID column of any listing (--ids), or `bricli search`")
    # the whole base first: its facts are decoded once, and the selection of the derived values
    # (the only items the base lacks) shares the engine's decoded objects. Selecting every item
    # and then reading the base decoded each fact twice (100,000 facts: twice the time, 414 MB)
    base = e.base()
    by_id: dict[str, Fact | Derived] = {f.id: f for f in base.facts}
    by_id.update((d.id, d) for d in e.select(Filters(types=("derived",)), derived=True).items())
    item = by_id.get(fact_id)
    if item is None:
        close = close_matches(fact_id, by_id, n=3, cutoff=0.5)
        hint = ("did you mean " + ", ".join(close) + "?") if close else "see the ID column of any listing (--ids), or `bricli search`"
        raise QueryError(f"no fact with id '{fact_id}'", hint)
    return FoundFact(item, base, by_id)


def show_view(found: FoundFact) -> Listing:
    """`bricli show FACT_ID`: one record, shown as field/value rows; a project's also with its
    milestones, dated and sourced, and the status they give."""
    listing = fact_listing(found.item, found.base)
    if isinstance(found.item, Fact) and found.item.type == "project":
        listing = with_milestones(listing, found.item, found.base)
    return listing


def fact_citation(found: FoundFact) -> str:
    """`bricli show FACT_ID --cite-as`: how to cite the fact, with its source (a derived value: its inputs')."""
    base = found.base
    rec = record(found.item, base)
    sources = {sid: source_record(src, 0) for sid, src in base.sources.items()}
    inputs = [record(found.by_id[i], base) for i in rec["inputs"] if i in found.by_id]
    return citation(rec, sources, inputs)


def sources_view(e: Engine) -> Listing:
    """`bricli sources`: the registry, with how many facts rest on each source."""
    return sources_listing(e.base())


def conflicts_view(e: Engine, filters: Filters, *, kind: str | None = None, cite: bool = False) -> Listing:
    """`bricli conflicts`: the disagreements any of whose facts `filters` select (--source X: X's)."""
    base = e.base()
    matching = {f.id for f in e.items(filters)}
    found = [c for c in find_conflicts(base.facts)
             if any(f.id in matching for f in c.facts) and (kind is None or c.kind == kind)]
    return conflicts_listing(found, base, cite=cite)


NOTES_SHOWN = 20  # amounts on different price bases said one by one; the rest counted


def price_basis_notes(e: Engine, filters: Filters, kind: str | None = None) -> list[str]:
    """What `bricli conflicts` says beside its listing: a dataset's record and its shipped project's
    financing on different price bases (constant 2021 US$ against nominal) are not compared, and
    not a disagreement either; each such pair the filters touch, in a sentence."""
    if kind not in (None, "value"):
        return []

    def says(f: Fact) -> str:
        return f"{value_text(f)} {(f.prices or '').replace('-', ' ')} ({f.source.id}, {f.id})"

    matching = {f.id for f in e.items(filters)}
    notes = [b for b in basis_differences(e.base().facts) if b.dataset.id in matching or b.stated.id in matching]
    lines = [f"not compared, a different price basis rather than a disagreement: {b.project}: "
             f"{says(b.stated)} vs {says(b.dataset)}" for b in notes[:NOTES_SHOWN]]
    if len(notes) > NOTES_SHOWN:
        lines.append(f"... and {len(notes) - NOTES_SHOWN} more amounts on different price bases")
    return lines


def matrix_view(e: Engine) -> Listing:
    """`bricli countries`: the regional matrix."""
    return matrix_listing(country_matrix(e.base().facts))


class SeriesView(NamedTuple):
    """`bricli series`: the listing (of the series, or of one series by year: `one`), or with --chart
    one series' chart over the years asked."""
    listing: Listing | None
    chart: ChartSeries | None = None
    one: bool = False


def series_view(e: Engine, names, filters: Filters, *, basis=None, alternates: bool = False, chart: bool = False) -> SeriesView:
    """The series among the facts `filters` select (of `names`' topics), or the one series `names`
    gives by id, by year: its facts over every year (the choice of a year never depends on
    --year), its rows over the years --year asks. An imported dataset's sums by year (derived
    values, never a stated figure) are series too, listed first."""

    topics, wanted, basis = series_request(names, basis, alternates, chart)
    windows = filters.year
    if wanted:
        filters = replace(filters, year=())
    filters = replace(filters, types=("figure",), fields={**filters.fields, **({"stat_basis": (basis,)} if basis else {})})
    items: list = []
    wanted_topics: list[str | None] = [*topics] or [None]
    for topic in wanted_topics:  # stated figures, and the dataset sums (derived: never a stated figure)
        items += e.select(replace(filters, topic=topic), derived=True).items()
    sources = e.sources()
    sums = sum_series(items)
    series = build_series([f for f in items if isinstance(f, Fact)], sources)
    if wanted is None:

        return SeriesView(series_listing(series, sums))
    total = next((t for t in sums if t.id == wanted.lower()), None)
    if total is not None:
        first, last = _span(windows, total.first, total.last)
        if chart:

            return SeriesView(None, sum_chart(total, first, last))

        inputs: dict[str, Fact] = {}
        if alternates:  # the records each year adds, listed under its sum
            ids = {i for d in total.by_year.values() for i in d.inputs}
            inputs = {f.id: f for f in e.select(Filters(source=(total.spec.source_id,), types=("figure",))).items()
                      if isinstance(f, Fact) and f.id in ids}
        return SeriesView(sum_rows_listing(total, first, last, sources, alternates=alternates, inputs=inputs), one=True)
    found = [s for s in series if s.id == wanted.lower()]
    if not found:

        close = close_matches(wanted.lower(), [s.id for s in series] + [t.id for t in sums])
        raise QueryError(f"no series '{wanted}' among the selected facts",
                         (f"did you mean {close[0]}? " if close else "") + "bricli series lists the series ids")
    s = found[0]
    first, last = _span(windows, s.first, s.last)
    if chart:

        return SeriesView(None, series_chart(s, first, last))
    return SeriesView(_rows(s, first, last, sources, alternates), one=True)


def _rows(s: FigureSeries, first: int, last: int, sources: dict[str, Source], alternates: bool) -> Listing:

    return rows_listing(s, s.rows(first, last), sources, alternates=alternates)


def _span(windows, first: int, last: int) -> tuple[int, int]:
    """The years --year asks for (open ends: the series' own), as one span from the earliest to the latest."""
    if not windows:
        return first, last
    lo = min(w[0] for w in windows)
    hi = max(w[1] for w in windows)
    return (first if lo == 1000 else lo), (last if hi == 9999 else hi)
