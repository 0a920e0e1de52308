"""Which footnotes a brief carries: one per item shown, with its source's words, and one per input of a
derived value shown."""

from __future__ import annotations

from bricli.analysis.derive import Derived
from bricli.model.facts import Fact, FactBase
from bricli.present.brief.data import Footnote


def footnotes_for(items, base: FactBase) -> dict[str, Footnote]:
    """One footnote per item shown, and one per input of a derived value shown (it may lie outside the selection)."""
    out: dict[str, Footnote] = {}
    by_id: dict[str, Fact] | None = None

    def title(sid: str) -> str:
        s = base.sources.get(sid)
        return s.title if s else sid

    def url(sid: str) -> str:
        s = base.sources.get(sid)
        return (s.url or "") if s else ""

    def add_fact(f: Fact) -> None:
        if f.id not in out:
            ref = f.source
            out[f.id] = Footnote(f.id, ref.id, title(ref.id), ref.section or "", url(ref.id), ref.quote,
                                 ref.translation or "", f.note or "")

    for i in items:
        if isinstance(i, Derived):
            out[i.id] = Footnote(i.id, i.source_id, title(i.source_id), formula=i.formula, inputs=i.inputs,
                                 note=i.note or "")
            if by_id is None:
                by_id = base.by_id()
            for fid in i.inputs:
                if fid in by_id:
                    add_fact(by_id[fid])
        else:
            add_fact(i)
    return out
