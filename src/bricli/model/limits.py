"""Limits that keep a hostile or mistaken fact file cheap to refuse.

At 2 MB even a pathological file (millions of tiny list items) parses in
about a second and under 100 MB; a hand-written fact file is far smaller
(the shipped facts total 150 KB). `--max-file-size` raises the limit.
"""

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024

# A stated number has at most this many digits (a leading "0." not counted):
# a double holds 15 significant decimal digits exactly, so every format,
# JSON included, shows such a number with its stated value; no source states more.
MAX_NUMBER_DIGITS = 15

# A fact directory is walked at most this deep, looking at most at this many
# entries and taking at most this many fact files: `--facts /` is refused in
# well under a second instead of reading the whole filesystem. (The benchmark's
# 100,000 facts are 200 files.)
MAX_WALK_DEPTH = 16
MAX_WALK_ENTRIES = 50_000
MAX_FACT_FILES = 10_000

# A path longer than this is shortened in the middle when a message shows it.
MAX_SHOWN_PATH = 200

# "Did you mean ...?" compares at most this many choices, and no word longer
# than this (model/suggest.py): a suggestion costs milliseconds, not seconds.
MAX_SUGGEST_CANDIDATES = 2_000
MAX_SUGGEST_WORD = 100

# A text field (label, quote, note, ...) holds at most this many characters: a
# verbatim quote is a sentence or a paragraph, and a table of a megabyte-long
# cell takes seconds to draw.
MAX_TEXT_LENGTH = 10_000

# Problems reported at most, in all (a file stops at 100 of its own, load/yamlread.py):
# `--facts /` gives a thousand lines and a count of what was left out, not twenty thousand.
MAX_TOTAL_PROBLEMS = 1_000
