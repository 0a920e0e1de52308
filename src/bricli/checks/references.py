"""Cross-file checks: ids unique, every reference points at something real."""

from __future__ import annotations

from bricli.model.facts import Fact, FactBase, Location, Source
from bricli.model.fields import SECTIONED_SOURCE_KINDS
from bricli.model.problems import Problem


def check_integrity(base: FactBase, sources: list[Source]) -> list[Problem]:
    problems: list[Problem] = []
    first_source: dict[str, Source] = {}
    for s in sources:
        if s.id in first_source:
            other = first_source[s.id]
            loc = s.loc or Location("?")  # decoded sources always know where they were read
            problems.append(Problem("duplicate-id", loc.file, loc.line, f"source id '{s.id}' is already defined at {other.loc}",
                                    "give each source its own id", None, "id"))
        else:
            first_source[s.id] = s

    first_fact: dict[str, Fact] = {}
    for f in base.facts:
        if f.id in first_fact:
            other_fact = first_fact[f.id]
            problems.append(Problem("duplicate-id", f.loc.file, f.loc.line, f"fact id '{f.id}' is already used at {other_fact.loc}",
                                    "fact ids are unique across all files: rename one (a newer figure gets its own id, with revises:)", f.id, "id"))
        else:
            first_fact[f.id] = f

    for f in base.facts:
        src = base.sources.get(f.source.id)
        if src is None:
            problems.append(Problem("unknown-source", f.loc.file, f.loc.line, f"source '{f.source.id}' is not in any sources list",
                                    "add it to a 'sources:' list, or fix the id", f.id, "source.id"))
        else:
            problems += _locator_problems(f, src)
        refs = []
        if f.ratio_of:
            refs += [("ratio_of.part", f.ratio_of[0]), ("ratio_of.whole", f.ratio_of[1])]
        if f.revises:
            refs.append(("revises", f.revises))
        if f.about:
            refs.append(("about", f.about))
        for field, ref in refs:
            if ref not in first_fact:
                problems.append(Problem("reference", f.loc.file, f.loc.line, f"{field} names fact '{ref}', which does not exist",
                                        "use the id of a fact in the base", f.id, field))
            elif ref == f.id:
                problems.append(Problem("reference", f.loc.file, f.loc.line, f"{field} names the fact itself",
                                        "name another fact", f.id, field))
    return problems


def _locator_problems(f: Fact, src: Source) -> list[Problem]:
    """A quote must be findable: by section in a sectioned article, and readable in English."""
    out = []
    if f.source.section is None and src.kind in SECTIONED_SOURCE_KINDS:
        out.append(Problem("missing-section", f.loc.file, f.loc.line,
                           f"source '{src.id}' is an {src.kind}: its quotes are located by section",
                           "add section: <the heading the quote is under>", f.id, "source.section"))
    if src.language and src.language != "en" and f.source.translation is None:
        out.append(Problem("missing-translation", f.loc.file, f.loc.line,
                           f"the quote is in '{src.language}' and has no English translation",
                           "add translation: <English translation> under source (the quote stays verbatim)", f.id, "source.translation"))
    return out
