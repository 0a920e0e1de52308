"""Exit statuses, documented in the README ("Exit codes and errors")."""

OK = 0
DATA_ERROR = 1  # the fact base has problems, `check` found some, or a file could not be written
USAGE = 2  # bad option or value (unknown country, unknown fact id, bad format)
INTERRUPTED = 130  # Ctrl-C
BROKEN_PIPE = 141  # the reader of stdout went away (e.g. `| head -1`); nothing is printed
