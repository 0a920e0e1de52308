"""Series (analysis/reconcile.py) as listings: the list of series, and one series by year.

Machine records (a public contract, documented in the README, "JSON contract"):
`SERIES_FIELDS` for the list, `ROW_FIELDS` for one series (with --alternates,
`ALTERNATE_FIELDS`: one record per fact behind each year, the chosen one first).
A dataset's sum by year (`SumSeries`) has the same fields: `derived` true, each year's
`fact` the derived value's id and `records` how many records it adds (with --alternates,
the sum first, then the records it adds).
"""

from __future__ import annotations

from bricli.analysis.reconcile import FigureSeries, SumSeries, YearRow, in_scale, year_of
from bricli.model.facts import Fact, Source
from bricli.present.listing import Column, Listing
from bricli.model.wording import period_label, period_text, source_line, unit_label, value_text

SERIES_FIELDS = ("series", "label", "metric", "direction", "countries", "unit", "scale", "measure", "counted",
                 "basis", "main_basis", "prices", "derived", "first", "last", "periods", "sources", "disagreements")
ROW_FIELDS = ("series", "year", "period", "value", "unit", "scale", "value_text", "qualifier", "partial",
              "stat_basis", "off_basis", "prices", "derived", "records", "source", "publisher", "fact", "others", "disagree")
ALTERNATE_FIELDS = ("series", "year", "rank", "chosen", "period", "value", "unit", "scale", "value_text", "qualifier",
                    "partial", "stat_basis", "off_basis", "prices", "derived", "records", "source", "publisher", "fact",
                    "others", "disagree")
SUM_NOTE = ("Derived: each year's value is the sum bricli computes of the dataset's records recommended for aggregates "
            "(constant 2021 US dollars, never added to nominal amounts), not a figure the dataset states; "
            "{records} lists a year's records.")

OFF_BASIS_MARK = "*"
DISAGREE_MARK = "≠"


def series_listing(series: list[FigureSeries], sums: list[SumSeries] = ()) -> Listing:  # type: ignore[assignment]
    records, rows = [], []
    for t in sums:  # a dataset's sums first: a base with a dataset lists each of its records' amounts too
        spec, any_sum = t.spec, next(iter(t.by_year.values()))
        records.append({
            "series": t.id, "label": t.label, "metric": spec.metric, "direction": None,
            "countries": list(any_sum.countries), "unit": any_sum.unit, "scale": any_sum.scale, "measure": "flow",
            "counted": None, "basis": "derived", "main_basis": None, "prices": spec.prices, "derived": True,
            "first": t.first, "last": t.last, "periods": len(t.by_year), "sources": 1, "disagreements": 0,
        })
        rows.append({
            "series": t.id, "label": f"{t.label} (derived: sums of {t.records():,} records)",
            "years": str(t.first) if t.first == t.last else f"{t.first}–{t.last}",
            "periods": str(len(t.by_year)), "sources": "1", "disagreements": "0",
        })
    for s in series:
        rec = {
            "series": s.id, "label": s.label, "metric": s.metric, "direction": s.direction,
            "countries": list(s.countries), "unit": s.unit, "scale": s.scale, "measure": s.measure,
            "counted": s.counted, "basis": s.basis, "main_basis": s.main_basis, "prices": s.prices, "derived": False,
            "first": s.first, "last": s.last,
            "periods": len(s.by_year), "sources": len(s.sources()), "disagreements": s.disagreements(),
        }
        records.append(rec)
        rows.append({
            "series": s.id, "label": s.label,
            "years": str(s.first) if s.first == s.last else f"{s.first}–{s.last}",
            "periods": str(len(s.by_year)), "sources": str(len(s.sources())),
            "disagreements": str(s.disagreements()),
        })
    columns = [Column("series", "Series ID", hyphens=True), Column("label", "What", grow=2), Column("years", "Years"),
               Column("periods", "Values", numeric=True), Column("sources", "Sources", numeric=True),
               Column("disagreements", "Disagree", numeric=True)]
    return Listing(records=records, columns=columns, rows=rows, title="Series (bricli series SERIES_ID for one by year)",
                   fields=SERIES_FIELDS)


def _publisher(sources: dict[str, Source], sid: str) -> str | None:
    s = sources.get(sid)
    return (s.publisher or s.author) if s else None


def _number(d) -> int | float | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() and "." not in format(d, "f") else float(format(d, "f"))


def _record(s: FigureSeries, row: YearRow, f: Fact | None, sources: dict[str, Source], rank: int | None, alternates: bool) -> dict:
    rec: dict = {"series": s.id, "year": row.year}
    if alternates:
        rec["rank"] = rank
        rec["chosen"] = rank == 1
    y = year_of(f) if f is not None else None
    rec.update({
        "period": period_label(f) if f is not None else None,
        "value": _number(in_scale(f, s.scale)) if f is not None else None,
        "unit": s.unit, "scale": s.scale,
        "value_text": value_text(f) if f is not None else None,
        "qualifier": f.qualifier if f is not None else None,
        "partial": bool(y and y.partial) if f is not None else None,
        "stat_basis": f.stat_basis if f is not None else None,
        "off_basis": (f.stat_basis != s.main_basis) if f is not None else None,
        "prices": f.prices if f is not None else None,
        "derived": False,
        "records": None,
        "source": f.source.id if f is not None else None,
        "publisher": _publisher(sources, f.source.id) if f is not None else None,
        "fact": f.id if f is not None else None,
        "others": row.others, "disagree": row.disagree,
    })
    return rec


def rows_listing(s: FigureSeries, rows: list[YearRow], sources: dict[str, Source], alternates: bool = False) -> Listing:
    records, display = [], []
    used: list[str] = []
    for row in rows:
        facts: list[Fact | None] = list(row.facts) if alternates and row.facts else [row.chosen]
        for n, f in enumerate(facts, 1):
            records.append(_record(s, row, f, sources, n if f is not None else None, alternates))
            if f is None:
                display.append({"year": str(row.year), "value": "", "stated": "no figure", "basis": "", "source": "",
                                "others": "", "rank": ""})
                continue
            if f.source.id not in used:
                used.append(f.source.id)
            stated = value_text(f, short=True)
            label = period_label(f)
            if label != str(row.year):
                stated += f" ({label})"
            basis = f.stat_basis + (f" {OFF_BASIS_MARK}" if f.stat_basis != s.main_basis else "")
            others = str(row.others) + (f" {DISAGREE_MARK}" if row.disagree else "") if n == 1 else ""
            display.append({"year": str(row.year) if n == 1 else "", "value": format(in_scale(f, s.scale), "f"),
                            "stated": stated, "basis": basis, "source": f.source.id, "others": others,
                            "rank": str(n)})
    unit = unit_label(s.facts[0], s.scale)
    columns = [Column("year", "Year"), *([Column("rank", "#", numeric=True)] if alternates else []),
               Column("value", unit, numeric=True), Column("stated", "As stated", keep=None),
               Column("basis", "Basis"), Column("source", "Source", hyphens=True), Column("others", "Others")]
    footer = [f"Series {s.id}: {s.label}. Main statistical basis: {s.main_basis}; "
              f"{OFF_BASIS_MARK} another basis; Others: how many other facts give a value for the year, "
              f"{DISAGREE_MARK} where they disagree."]
    footer += [source_line(sources[sid]) for sid in used if sid in sources]
    return Listing(records=records, columns=columns, rows=display, title=f"{s.label} ({unit}), by year",
                   footer=footer, fields=ALTERNATE_FIELDS if alternates else ROW_FIELDS)


def sum_records_hint(t: SumSeries) -> str:
    return f"bricli series {t.id} --alternates --year YEAR"


def sum_rows_listing(t: SumSeries, first: int, last: int, sources: dict[str, Source], alternates: bool = False,
                     inputs: dict[str, Fact] | None = None) -> Listing:
    """A dataset's sum by year: one row per year from `first` to `last` (a year without records says so);
    with `alternates`, each sum followed by the records it adds (`inputs`: them by id)."""
    records: list[dict] = []
    display: list[dict] = []
    blank = dict.fromkeys(ALTERNATE_FIELDS if alternates else ROW_FIELDS)
    publisher = _publisher(sources, t.spec.source_id)
    for year in range(first, last + 1):
        d = t.by_year.get(year)
        rec = {**blank, "series": t.id, "year": year, "unit": "USD", "scale": "one", "prices": t.spec.prices,
               "derived": True, "others": 0, "disagree": False}
        if d is None:
            records.append(rec)
            display.append({"year": str(year), "value": "", "stated": "no records", "basis": "", "source": "",
                            "others": "", "rank": ""})
            continue
        n = len(d.inputs)
        rec.update({"period": str(year), "value": _number(d.value), "value_text": d.display(), "qualifier": "exact",
                    "partial": False, "off_basis": False, "records": n, "source": d.source_id,
                    "publisher": publisher, "fact": d.id})
        if alternates:
            rec.update({"rank": 1, "chosen": True})
        records.append(rec)
        display.append({"year": str(year), "value": d.value_text, "stated": f"derived: the sum of {n:,} "
                        f"record{'' if n == 1 else 's'}", "basis": "derived", "source": d.source_id, "others": "",
                        "rank": "1"})
        if not alternates:
            continue
        for rank, fid in enumerate(d.inputs, 2):
            f = (inputs or {}).get(fid)
            if f is None:
                continue
            records.append({**blank, "series": t.id, "year": year, "rank": rank, "chosen": False,
                            "period": str(year), "value": _number(in_scale(f, "one")), "unit": f.unit,
                            "scale": "one", "value_text": value_text(f), "qualifier": f.qualifier, "partial": False,
                            "stat_basis": f.stat_basis, "off_basis": False, "prices": f.prices, "derived": False,
                            "source": f.source.id, "publisher": publisher, "fact": f.id, "others": 0,
                            "disagree": False})
            display.append({"year": "", "value": format(in_scale(f, "one"), "f"), "stated": f.label,
                            "basis": "record", "source": f.source.id, "others": "", "rank": str(rank)})
    columns = [Column("year", "Year"), *([Column("rank", "#", numeric=True)] if alternates else []),
               Column("value", "US$, constant 2021 prices", numeric=True), Column("stated", "What", keep=None),
               Column("basis", "Basis"), Column("source", "Source", hyphens=True)]

    footer = [f"Series {t.id}: {t.label}. " + SUM_NOTE.format(records=sum_records_hint(t))]
    if t.spec.source_id in sources:
        footer.append(source_line(sources[t.spec.source_id]))
    return Listing(records=records, columns=columns, rows=display,
                   title=f"{t.label} (US$, constant 2021 prices; derived)", footer=footer,
                   fields=ALTERNATE_FIELDS if alternates else ROW_FIELDS)


def bilateral(series: list[FigureSeries], code: str) -> list[FigureSeries]:
    """The series between China and the country `code` alone (its trade with China, China's
    loans to it...), in the order given."""
    return [s for s in series if set(s.countries) == {"CHN", code} and code != "CHN"]


def latest_lines(series: list[FigureSeries], sources: dict[str, Source]) -> list[str]:
    """Each series' latest figure by the series rule (FigureSeries.row: the fact chosen for its
    last year), one line each, for the top of a country's profile: that fact's own label (the
    series' shortest label may be another fact's, about another year), the value as its source
    states it, the period (and basis), the source id, then how many years and sources the series
    has and the command that shows every year. The series with most years first."""
    lines = []
    for s in sorted(series, key=lambda s: -len(s.by_year)):  # (stable: first seen first among equals)
        f = s.row(s.last).chosen
        if f is None:  # pragma: no cover - a series' last year has a figure by construction
            continue
        basis = f" ({f.stat_basis})" if f.stat_basis != "unstated" else ""
        years = str(s.first) if s.first == s.last else f"{s.first}–{s.last}"
        n, count = len(s.by_year), len(s.sources())
        lines.append(f"{f.label}: {value_text(f)}, {period_text(f)}{basis} [{f.source.id}]; "
                     f"{n} year{'s' if n != 1 else ''} {years}, {count} source{'s' if count != 1 else ''}: "
                     f"bricli series {s.id}")
    return lines
