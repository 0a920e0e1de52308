"""yaml output of the records, exact and round-trippable.

``yaml.safe_dump`` (block style, keys in record order, unicode kept, lines never
folded; strings holding NEL are double-quoted to work around a PyYAML bug); it
quotes strings that YAML 1.1 would read as something else ("NO", "012", "1:20",
"2019-01-01", "null"), so ``yaml.safe_load`` gives back the same records.
No records -> "[]\\n".
"""

from __future__ import annotations

import functools

import yaml


def render_yaml(records: list[dict]) -> str:
    # width=inf: never fold long strings, so each value stays on one greppable line.
    return yaml.dump(
        records,
        Dumper=_safe_dumper(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=float("inf"),
    )


@functools.cache
def _safe_dumper():
    """yaml.SafeDumper, except that strings holding NEL (U+0085) are double-quoted.

    PyYAML 6 writes NEL raw inside single-quoted scalars, where the loader folds
    it into a space; in double quotes it is escaped as "\\N" and survives.
    """

    class NelSafeDumper(yaml.SafeDumper):
        pass

    def represent_str(dumper, data: str):
        if "\x85" in data:
            return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        return dumper.represent_str(data)

    NelSafeDumper.add_representer(str, represent_str)
    return NelSafeDumper
