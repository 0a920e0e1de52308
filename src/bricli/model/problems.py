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


from bricli.model.errors import FactBaseError as FactBaseError, QueryError as QueryError  # noqa: E402  (re-exported; defined there to stay cheap)
