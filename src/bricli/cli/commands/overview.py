"""What plain `bricli` prints: the topics with how many facts each has, and three examples.

Counting reads the fact base through the cache (as a TAB press does), so it
costs a few milliseconds once the cache is warm and never imports a renderer.
"""

from __future__ import annotations

from bricli.cli.errors import CliError
from bricli.cli.output import message, write_data
from bricli.model.limits import DEFAULT_MAX_FILE_SIZE

EXAMPLES = (
    "bricli trade --year 2018",
    "bricli country Brasil",
    "bricli show trade-2018-total-chn-lcn",
)


def topic_counts() -> dict[str, int] | None:
    """Stated facts per topic in the default fact directories, or None when they cannot be read."""
    from bricli.cli.factbase import FactBaseOptions, engine
    from bricli.model.problems import FactBaseError

    try:
        with engine(FactBaseOptions(None, False, DEFAULT_MAX_FILE_SIZE)) as e:
            return e.topic_counts()
    except (FactBaseError, CliError):
        return None


def overview_text(counts: dict[str, int] | None) -> str:
    from bricli.cli.commands.topics import TOPIC_COMMANDS

    lines = ["bricli: facts and figures of China-Latin America Belt and Road cooperation,",
             "each number with its source, period, qualifier and verbatim quote.", "", "Topics:"]
    for topic, spec in TOPIC_COMMANDS.items():
        count = "?" if counts is None else str(counts.get(topic, 0))
        what = spec["help"].split(":")[0].rstrip(".")
        lines.append(f"  {topic:<11}{count:>4} facts  {what}")
    lines += ["", "Examples:"] + [f"  {e}" for e in EXAMPLES]
    lines += ["", "Every command: bricli --help.  One command: bricli COMMAND --help."]
    return "\n".join(lines) + "\n"


def overview() -> None:
    counts = topic_counts()
    write_data(overview_text(counts), verbatim=True)
    if counts is None:
        message("bricli: the fact files have problems, so the counts are missing")
        message("hint: run `bricli check` for the full report")
