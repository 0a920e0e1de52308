"""Series (analysis/reconcile.py) as listings: the list of series, and one series by year.

Machine records (a public contract, documented in the README, "JSON contract"):
`SERIES_FIELDS` for the list, `ROW_FIELDS` for one series (with --alternates,
`ALTERNATE_FIELDS`: one record per fact behind each year, the chosen one first).
"""

from __future__ import annotations

from bricli.analysis.reconcile import YearRow, FigureSeries, in_scale, year_of
from bricli.model.facts import Fact, Source
from bricli.present.listing import Column, Listing

SERIES_FIELDS = ("series", "label", "metric", "direction", "countries", "unit", "scale", "measure", "counted",
                 "basis", "main_basis", "first", "last", "periods", "sources", "disagreements")
ROW_FIELDS = ("series", "year", "period", "value", "unit", "scale", "value_text", "qualifier", "partial",
              "stat_basis", "off_basis", "source", "publisher", "fact", "others", "disagree")
ALTERNATE_FIELDS = ("series", "year", "rank", "chosen", "period", "value", "unit", "scale", "value_text", "qualifier",
                    "partial", "stat_basis", "off_basis", "source", "publisher", "fact", "others", "disagree")

OFF_BASIS_MARK = "*"
DISAGREE_MARK = "≠"


def series_listing(series: list[FigureSeries]) -> Listing:
    records, rows = [], []
    for s in series:
        rec = {
            "series": s.id, "label": s.label, "metric": s.metric, "direction": s.direction,
            "countries": list(s.countries), "unit": s.unit, "scale": s.scale, "measure": s.measure,
            "counted": s.counted, "basis": s.basis, "main_basis": s.main_basis, "first": s.first, "last": s.last,
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
    from bricli.model.wording import period_label, value_text

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
        "source": f.source.id if f is not None else None,
        "publisher": _publisher(sources, f.source.id) if f is not None else None,
        "fact": f.id if f is not None else None,
        "others": row.others, "disagree": row.disagree,
    })
    return rec


def rows_listing(s: FigureSeries, rows: list[YearRow], sources: dict[str, Source], alternates: bool = False) -> Listing:
    from bricli.model.wording import period_label, source_line, unit_label, value_text

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


def bilateral(series: list[FigureSeries], code: str) -> list[FigureSeries]:
    """The series between China and the country `code` alone (its trade with China, China's
    loans to it...), in the order given."""
    return [s for s in series if set(s.countries) == {"CHN", code} and code != "CHN"]


def latest_lines(series: list[FigureSeries], sources: dict[str, Source]) -> list[str]:
    """Each series' latest figure by the series rule (FigureSeries.row: the fact chosen for its
    last year), one line each, for the top of a country's profile: what, the value as its source
    states it, the period (and basis), the source id, then how many years and sources the series
    has and the command that shows every year. The series with most years first."""
    from bricli.model.wording import period_text, value_text

    lines = []
    for s in sorted(series, key=lambda s: -len(s.by_year)):  # (stable: first seen first among equals)
        f = s.row(s.last).chosen
        if f is None:  # pragma: no cover - a series' last year has a figure by construction
            continue
        basis = f" ({f.stat_basis})" if f.stat_basis != "unstated" else ""
        years = str(s.first) if s.first == s.last else f"{s.first}–{s.last}"
        n, count = len(s.by_year), len(s.sources())
        lines.append(f"{s.label}: {value_text(f)}, {period_text(f)}{basis} [{f.source.id}]; "
                     f"{n} year{'s' if n != 1 else ''} {years}, {count} source{'s' if count != 1 else ''}: "
                     f"bricli series {s.id}")
    return lines
