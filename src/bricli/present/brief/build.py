"""A brief put together: which topics and sections, what the default brief shows beside the full one,
which disagreements between sources it lists (the others decide the parts).

Disagreements: the full brief lists them all; the default one at most CONFLICTS_SHOWN of those about what
it shows (a key figure, a chart's bar, a bullet), the most recent first, and counts the others."""

from __future__ import annotations


from bricli.analysis import conflicts as conflict_view
from bricli.analysis.derive import Derived
from bricli.analysis.derive import Item
from bricli.analysis.query import Filters, many, resolve_country
from bricli.model.facts import Fact, FactBase
from bricli.model.vocab import TOPICS
from bricli.model.wording import period_text, value_text
from bricli.present.brief import words as W
from bricli.present.brief.bullets import (ALL_BULLETS, BULLETS, DERIVED_BULLETS, belongs, bullet, charted_key, derived_bullet,
                                          event_keys, figure_year, outdated_forecast, pick_bullets, reported_years,
                                          stale, stated_key)
from bricli.present.brief.caveats import caveats_for
from bricli.present.brief.data import HOME, REGION, Brief, Claim, Disagreement, ItemList, Section, Sentence
from bricli.present.brief.footnotes import footnotes_for
from bricli.present.brief.key_figures import end_day, key_facts, key_rows, preferred, reliability_rank
from bricli.present.brief.lead import country_lists, figure_sentence, steps_sentence, whole_year_sentence
from bricli.present.brief.lists import lists_for
from bricli.present.brief.opening import brief_title, cited_as, filters_text, source_years_of, sources_cited
from bricli.present.brief.series import default_charts, make_series
from bricli.present.chart import stated_series

CONFLICTS_SHOWN = 3  # in the default brief; the full brief lists them all
SOURCES_LISTED = 3  # more sources than this: "N sources" (each is named where cited)


def build_brief(base: FactBase, selected: list[Item], topics: tuple[str, ...], filters: Filters, *,
                full: bool = False, derived: bool = False, title: str | None = None, date: str | None = None) -> Brief:
    """The brief of the `selected` items (what the index selects for `filters`, in file order,
    derived values last) for `topics` (all when empty), in topic order."""
    wanted = [t for t in TOPICS if not topics or t in topics]
    by_topic: dict[str, list[Item]] = {t: [] for t in wanted}
    for i in selected:
        if i.topic in by_topic:
            by_topic[i.topic].append(i)
    items = [i for t in wanted for i in by_topic[t]]
    facts = [i for i in items if isinstance(i, Fact)]
    codes = [resolve_country(c) for c in many(filters.country)]
    asked = codes[0] if len(codes) == 1 else None  # several countries: key figures about the region
    focus = asked if asked and asked != HOME else REGION
    order = {f.id: n for n, f in enumerate(facts)}
    prefer = preferred(base.sources)
    source_years = source_years_of(base)

    grade = reliability_rank(base.sources)

    key = key_facts(facts, focus, order, prefer, base.sources)
    speaking = max(1, sum(1 for t in wanted if any(isinstance(i, Fact) for i in by_topic[t])))  # topics with facts
    shown: dict[str, Item] = {f.id: f for f in key}
    lead: list[Sentence] = []
    steps, step_facts = steps_sentence(facts, asked, grade)
    shown.update((f.id, f) for f in step_facts)
    country_items: list[ItemList] = []
    if not full and asked and asked != HOME:  # a one-country brief: its steps and projects before its topics
        country_items, country_facts = country_lists(facts, focus, grade, base.sources)
        shown.update((f.id, f) for f in country_facts)
    told = {k for f in shown.values() if isinstance(f, Fact) for k in event_keys(f)}
    reported = reported_years(facts) if not full else set()
    main: list[Fact] | None = None  # the lead's series: the first chart's members
    sections = []
    for t in wanted:
        topic_items = by_topic[t]
        topic_facts = [i for i in topic_items if isinstance(i, Fact)]
        figures = [f for f in topic_facts if f.is_figure]
        section = Section(t, W.TOPIC_TITLES.get(t, t.capitalize()))
        all_series = stated_series(figures, base.sources)
        if full:
            section.figures = [i for i in topic_items if _is_figure(i)]
            section.series = [make_series(members, partial) for members, partial in all_series]
            section.lists = lists_for(t, [f for f in topic_facts if not f.is_figure])
            shown.update((i.id, i) for i in topic_items)
            if main is None and figures:
                charts = default_charts(t, all_series, figures, key, focus, prefer)
                main = charts[0][1] if charts else None
        else:
            charts = default_charts(t, all_series, figures, key, focus, prefer)
            section.series = [s for s, _ in charts]
            if main is None and charts:
                main = charts[0][1]
            for chart, members in charts:  # what is drawn (the default trade chart: its last years), not all
                drawn = {p.ref for p in chart.points}
                shown.update((f.id, f) for f in members if f.id in drawn)
            said = {stated_key(f) for f in shown.values() if isinstance(f, Fact) and f.is_figure}
            charted = {charted_key(f) for _, members in charts for f in members} - {None}
            years = [y for f in figures if (y := figure_year(f, source_years)) is not None]
            newest = max(years, default=None)
            left = [f for f in topic_facts if f.id not in shown
                    and not (f.is_figure and (stated_key(f) in said or charted_key(f) in charted))
                    and belongs(f, asked) and not stale(f, newest, source_years) and not outdated_forecast(f, reported)]
            chosen = pick_bullets(left, asked, order, min(BULLETS, ALL_BULLETS // speaking), source_years,
                                  told, grade)
            shown.update((f.id, f) for f in chosen)
            section.bullets = [bullet(f, focus) for f in chosen]
            if derived:
                extra = [d for d in topic_items if isinstance(d, Derived) and all(i in shown for i in d.inputs)]
                extra = extra[:DERIVED_BULLETS]
                shown.update((d.id, d) for d in extra)
                section.bullets += [derived_bullet(d) for d in extra]
        sections.append(section)

    found = conflict_view.find_conflicts(facts)
    if not full:  # only those about what is shown, the most recent first (the others: `--full`)
        found = sorted(found, key=lambda c: (not any(f.id in shown for f in c.facts),
                                             -max(end_day(f) for f in c.facts).toordinal()))
    listed = found if full else [c for c in found if any(f.id in shown for f in c.facts)][:CONFLICTS_SHOWN]
    disagreements = [_disagreement(c) for c in listed]
    for c in listed:
        shown.update((f.id, f) for f in c.facts)

    said_figure = figure_sentence(main) if main is not None else whole_year_sentence(facts, focus)
    if said_figure is not None:
        lead.append(said_figure)
    if steps is not None:
        lead.append(steps)

    cited_sources = sources_cited(base, shown.values())
    return Brief(
        title=title or brief_title(wanted, focus, items, filters, source_years),
        date=date,
        full=full,
        derived=derived,
        sources=cited_sources if full or len(cited_sources) <= SOURCES_LISTED else [],
        source_count=len(cited_sources),
        filters=filters_text(filters),
        key_figures=key_rows(key),
        sections=sections,
        disagreements=disagreements,
        more_disagreements=len(found) - len(listed),
        caveats=caveats_for(list(shown.values()) if not full else items),
        footnotes=footnotes_for(shown.values(), base),
        lead=lead,
        country_lists=country_items,
        source_names={s.id: cited_as(base.sources.get(s.id), s.id) for s in cited_sources},
    )


def _is_figure(item: Item) -> bool:
    return isinstance(item, Derived) or item.type == "figure"


def _disagreement(c) -> Disagreement:
    claims = []
    for f in c.facts:
        text = value_text(f) if c.kind == "value" and f.value is not None else period_text(f)
        claims.append(Claim(text, f.source.id, f.id))
    return Disagreement(c.subject, c.kind, tuple(claims))

