"""The two errors every command may raise about its data, in a module that costs nothing
to import: the CLI's error handler catches them on every run."""

from __future__ import annotations


class FactBaseError(Exception):
    """The fact base cannot be used: it has problems. Carries all of them."""

    def __init__(self, problems: list):  # type: ignore[type-arg]  # list[Problem]: not imported, to stay cheap
        super().__init__(f"{len(problems)} problem(s) in the fact files")
        self.problems = problems


class QueryError(ValueError):
    """A filter value that cannot be used; `hint` says what would work."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint
