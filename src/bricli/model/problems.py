"""Problems found in fact files: one record each, all of them reported."""

from __future__ import annotations

from typing import Any

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str  # yaml, schema, duplicate-id, unknown-source, unknown-country, reference, sum, share, growth, io
    file: str
    line: int | None
    message: str  # what was expected and what was found
    hint: str = ""  # how to fix it
    fact_id: str | None = None
    field: str | None = None  # path such as source.quote or countries[1]

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.fact_id:
            parts.append(f"fact {self.fact_id}")
        if self.field:
            parts.append(f"field {self.field}")
        text = ": ".join(parts) + f": {self.message}"
        return f"{text} (fix: {self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class FactBaseError(Exception):
    """The fact base cannot be used: it has problems. Carries all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the fact files")
        self.problems = problems


class QueryError(ValueError):
    """A filter value that cannot be used; `hint` says what would work.

    Defined here (a light module) and re-exported by `query`, so the CLI's
    error handler can catch it without importing the query engine."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint
