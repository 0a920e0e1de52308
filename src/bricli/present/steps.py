"""A project's milestones under `bricli show PROJECT`: each with its date, stage and source, and
which one decides the project's current status (analysis/steps.py, README "Steps and statuses").

Machine record (README, "show"): the project's record with two more fields, `status_from` (the
milestone that decides `status`, null when the status is as the project's source states it) and
`milestones` (each: fact, stage, period, date_label, label, source), oldest first.
"""

from __future__ import annotations

from bricli.analysis.steps import project_status, project_steps
from bricli.model.facts import Fact, FactBase
from bricli.model.wording import source_line
from bricli.present.listing import Listing
from bricli.present.matrix import long_date


def with_milestones(listing: Listing, project: Fact, base: FactBase) -> Listing:
    """`listing` (show's field/value rows of `project`) with its milestones and the status they give."""
    steps = project_steps(project.id, base.facts)
    stated_on = base.sources[project.source.id].date if project.source.id in base.sources else None
    by_id = base.by_id()
    stated = by_id[project.id].status if project.id in by_id else project.status
    status = project_status(stated, steps, stated_on)
    rec = dict(listing.records[0])
    rec["status_from"] = status.fact_id
    rec["milestones"] = [{"fact": s.fact_id, "stage": s.what, "period": s.period,
                          "date_label": long_date(s.period) or None, "label": s.label, "source": s.source}
                         for s in steps]
    rows = list(listing.rows)
    how = (f"from milestone {status.fact_id}" if status.fact_id
           else ("as the project's source states it" if steps else "as the project's source states it (no milestone)"))
    at = next((n for n, r in enumerate(rows) if r["field"] == "status"), len(rows) - 1)
    rows.insert(at + 1, {"field": "status_from", "value": how})
    for s in steps:
        when = long_date(s.period) or "undated"
        rows.append({"field": "milestone", "value": f"{when}: {s.what or 'no stage stated'}: {s.label} [{s.fact_id}; "
                                                     f"source {s.source}]"})
    footer = list(listing.footer)
    for sid in dict.fromkeys(s.source for s in steps):
        src = base.sources.get(sid or "")
        if src is not None and source_line(src) not in footer:
            footer.append(source_line(src))
    return Listing(records=[rec], columns=listing.columns, rows=rows, title=listing.title, footer=footer)
