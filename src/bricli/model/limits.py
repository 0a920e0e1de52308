"""Limits that keep a hostile or mistaken fact file cheap to refuse.

At 2 MB even a pathological file (millions of tiny list items) parses in
about a second and under 100 MB; a hand-written fact file is far smaller
(the shipped facts total 150 KB). `--max-file-size` raises the limit.
"""

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
