"""Questions asked of a loaded fact base: selecting facts (query) and the values bricli derives. Imports model/, checks/ and load/."""

from __future__ import annotations

from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13

    from bricli.analysis.derive import Derived


def is_derived(item: object) -> TypeIs[Derived]:
    """isinstance(item, Derived), without importing `derive` before it is needed: a query
    the index serves makes no derived value, and derive (with the periods and wording
    it needs) costs ~4 ms to import."""
    return isinstance(item, _derived_type())


@cache
def _derived_type() -> type[Derived]:
    from bricli.analysis.derive import Derived

    return Derived
