"""What goes into a Markdown brief, as plain data (rendered by render/brief_markdown.py).

Two briefs from the same selection (the index's, so a number in a brief is
always the number `bricli TOPIC` prints):

- the default brief, one page: a lead, key figures, a handful of bullets per topic,
  the trade chart, where sources disagree, the caveats of what is shown;
- the full brief (`--full`): every fact of the selection, in tables and lists.

Derived values appear only with `derived=True`. Each module decides one part
(the rules are documented in the README, "Briefs", and in each module):

- `build`: the sections, what the default brief shows beside the full one, the disagreements listed;
- `lead`: the lead under the title, and a one-country brief's steps and projects;
- `key_figures`: the key figures table, and which of two statements of one thing is shown;
- `bullets`: the default brief's bullets; `lines`: how one fact reads as a line;
- `series`: the charts; `lists`: the full brief's lists;
- `caveats`, `footnotes`, `opening` (title, filters and sources lines);
- `data`: the brief as plain data; `words`: every English word of it.
"""

from __future__ import annotations

from bricli.present.brief.build import build_brief

__all__ = ["build_brief"]
