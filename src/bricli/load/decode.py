"""Turn the raw YAML tree of one file into Sources and Facts, collecting problems.

Checks here are those one file can answer alone: shape, field names, types,
enum values, period syntax. Cross-file checks (unique ids, references,
arithmetic) live in `checks/references.py` and `checks/arithmetic.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar, cast

from bricli.model import countries
from bricli.model.fields import FACT_FIELDS, FILE_KEYS, ID_PATTERN, RATIO_FIELDS, REGISTRY_FIELDS, SOURCE_REF_FIELDS, SOURCE_REF_REQUIRED, FieldSpec
from bricli.model.vocab import FIGURE_KINDS_BY_TOPIC, KINDS, STAGES
from bricli.model.facts import Fact, Location, Number, Source, SourceRef
from bricli.model.limits import MAX_NUMBER_DIGITS, MAX_TEXT_LENGTH
from bricli.model.urls import url_problem
from bricli.model.suggest import close_matches
from bricli.model.periods import parse_day, parse_period
from bricli.model.problems import Problem
from bricli.load.yamlread import MAX_PROBLEMS, Plain, YMap, YSeq

SLUG = re.compile(ID_PATTERN)
_TEXT_KINDS = frozenset(("text", "slug", "url", "enum"))  # the kinds convert's last branch reads
_REQUIRED = {t: tuple(f.name for f in FACT_FIELDS if t in f.required_for) for t in KINDS}  # each type's required fields
T = TypeVar("T")
_SURROGATE = re.compile("[\ud800-\udfff]")
NUMBER = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")

# Plain scalars that YAML 1.1 (PyYAML, many editors) would not read as text.
_YAML11 = (
    ("a boolean", re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N)$")),
    ("a sexagesimal number", re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")),
    ("an octal number", re.compile(r"^[-+]?0[0-9_]+$")),
    ("a hexadecimal or binary number", re.compile(r"^[-+]?0[xXbB][0-9a-fA-F_]+$")),
    ("a date", re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?$")),
    ("a special float", re.compile(r"^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$")),
)


_ANY_YAML11 = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _YAML11))  # one match for most texts


def yaml11_reading(text: str) -> str | None:
    """What YAML 1.1 would turn this unquoted text into, if not text."""
    if not _ANY_YAML11.match(text):
        return None
    for what, pattern in _YAML11:
        if pattern.match(text):
            return what
    return None


def _clip(text: str) -> str:
    return text[:37] + "..." if len(text) > 40 else text


def _show(value: object) -> str:
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YSeq):
        return "a list"
    if value is None:
        return "nothing (empty)"
    return f"{'unquoted ' if isinstance(value, Plain) else ''}'{_clip(str(value))}'"


class FileValidator:
    """Validates one file's tree; `problems` collects everything found."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    # --- reporting ---------------------------------------------------------

    def problem(self, line: int | None, message: str, hint: str = "", fact_id: str | None = None, field: str | None = None,
                rule: str = "schema") -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany(line)
        self.problems.append(Problem(rule, self.file, line, message, hint, fact_id, field))

    # --- top level ---------------------------------------------------------

    def run(self, root: object) -> tuple[list[Source], list[Fact]]:
        try:
            return self._run(root)
        except _TooMany as stop:  # a file this broken already fails; do not spend time and memory on the rest
            self.problems.append(Problem("schema", self.file, stop.line, f"stopped checking this file after {MAX_PROBLEMS} problems",
                                         "fix the problems above, then run bricli check again"))
            return [], []

    def _run(self, root: object) -> tuple[list[Source], list[Fact]]:
        if root is None:
            self.problem(1, "the file is empty", "add a 'facts:' list, or remove the file")
            return [], []
        if not isinstance(root, YMap):
            self.problem(getattr(root, "line", 1), f"expected a mapping with 'sources' and/or 'facts', found {_show(root)}",
                         "start the file with 'facts:' and list the facts under it")
            return [], []
        for key in root:
            if key not in FILE_KEYS:
                self.problem(root.key_lines.get(key), f"unknown top-level key '{key}'", _suggest(key, FILE_KEYS, "use 'sources' or 'facts'"), field=key)
        sources = [s for s in self._items(root, "sources", self.source) if s]
        facts = [f for f in self._items(root, "facts", self.fact) if f]
        if "sources" not in root and "facts" not in root:
            self.problem(root.line, "no 'facts' or 'sources' list", "add a 'facts:' list")
        return sources, facts

    def _items(self, root: YMap, key: str, build: Callable[[YMap], T]) -> Iterator[T]:
        if key not in root:
            return
        items = root[key]
        if items is None:
            return
        if not isinstance(items, YSeq):
            self.problem(root.key_lines.get(key), f"'{key}' must be a list, found {_show(items)}", f"write each entry under '{key}:' as '- ...'", field=key)
            return
        for i, (item, line) in enumerate(zip(items, items.item_lines)):
            if not isinstance(item, YMap):
                self.problem(line, f"each entry of '{key}' must be a mapping, found {_show(item)}", "write 'id: ...' and the other fields under '- '", field=f"{key}[{i}]")
                continue
            yield build(item)

    # --- sources -----------------------------------------------------------

    def source(self, item: YMap) -> Source | None:
        sid = _plain_id(item)
        values = self._fields(item, REGISTRY_FIELDS, "source", sid)
        if any(values.get(f.name) is None for f in REGISTRY_FIELDS if f.required_for):
            return None
        return Source(loc=Location(self.file, item.line), **values)

    # --- facts -------------------------------------------------------------

    def fact(self, item: YMap) -> Fact | None:
        before = len(self.problems)
        fact = self._fact(item)
        if fact is None and len(self.problems) == before:  # never drop a fact silently
            self.problem(item.line, "this fact could not be read", "check its fields against docs/facts.md", _plain_id(item))
        return fact

    def _fact(self, item: YMap) -> Fact | None:
        fid = _plain_id(item)
        ftype = item.get("type")
        ftype = ftype if isinstance(ftype, str) and ftype in KINDS else None
        values = self._fields(item, FACT_FIELDS, ftype, fid)
        ok = ftype is not None and all(values.get(name) is not None for name in _REQUIRED[ftype])
        # judged on what is written: an invalid period is reported once, not also as missing
        if ftype == "figure" and not any(item.get(k) is not None for k in ("period", "as_of", "when")):
            self.problem(item.line, "a figure needs a time: 'period', 'as_of' or 'when'",
                         "add period: \"2018\", as_of: \"2017-12-31\" or when: \"so far\"", fid, "period")
            ok = False
        if values.get("period") and values.get("as_of"):
            self.problem(item.key_lines.get("as_of"), "give 'period' or 'as_of', not both",
                         "use period for flows over a time span, as_of for stocks", fid, "as_of")
            ok = False
        kind = values.get("kind")
        allowed = KINDS.get(ftype or "", ())
        if ftype == "figure":  # a figure takes the kinds of its topic's items
            allowed = FIGURE_KINDS_BY_TOPIC.get(values.get("topic") or "", ())
        if ftype and kind and kind not in allowed:
            what = f"a figure of topic {values.get('topic')}" if ftype == "figure" else ftype
            self.problem(item.key_lines.get("kind"), f"kind '{kind}' is not a kind of {what}",
                         _suggest(kind, allowed, f"one of: {', '.join(allowed)}" if allowed else "remove it"), fid, "kind")
            ok = False
        stage = values.get("stage")
        if kind and stage and stage not in STAGES.get(kind, ()):
            allowed = STAGES.get(kind, ())
            hint = (_suggest(stage, allowed, f"one of: {', '.join(allowed)}") if allowed
                    else f"stages are for kinds: {', '.join(STAGES)}")
            self.problem(item.key_lines.get("stage"), f"stage '{stage}' is not a stage of kind '{kind}'", hint, fid, "stage")
            ok = False
        if stage and not kind:
            self.problem(item.key_lines.get("stage"), "'stage' needs a 'kind'", f"kinds with stages: {', '.join(STAGES)}", fid, "stage")
            ok = False
        if values.get("value") is not None and values.get("unit") is None and ftype != "figure":
            self.problem(item.key_lines.get("value"), "an amount needs its 'unit'", "add unit: USD (or CNY ...) and scale", fid, "unit")
            ok = False
        if values.get("qualifier") == "range" and values.get("value_max") is None:
            self.problem(item.line, "qualifier 'range' needs 'value_max'", "add value_max: <upper end>", fid, "value_max")
            ok = False
        if values.get("value_max") is not None and values.get("qualifier") != "range":
            self.problem(item.key_lines.get("value_max"), "'value_max' is only for qualifier 'range'", "set qualifier: range, or remove value_max", fid, "value_max")
            ok = False
        if not ok:
            return None
        values = {k: v for k, v in values.items() if v is not None}
        return Fact(loc=Location(self.file, item.line), **values)

    # --- fields ------------------------------------------------------------

    def _fields(self, item: YMap, specs: tuple[FieldSpec, ...], ftype: str | None, fid: str | None) -> dict[str, Any]:
        plan = _plan(specs)
        names = plan.names
        misspelt = set()  # fields a typo stands for: reported once, as the typo ("did you mean 'value'?")
        if not names.issuperset(item):
            what = "source" if ftype == "source" else "fact"
            for key in item:
                if key not in names:
                    misspelt.update(close_matches(key, names, n=1, cutoff=0.6))
                    self.problem(item.key_lines.get(key), f"unknown field '{key}'",
                                 _suggest(key, tuple(names), f"see docs/facts.md for the fields of a {what}"), fid, key)
        memos = plan.memos
        values: dict[str, Any] = {}
        key_lines = item.key_lines
        for i in plan.visit(ftype, item):
            spec = specs[i]
            name = spec.name
            if name not in item:  # a required one (the others are not visited)
                if name not in misspelt:
                    self.problem(item.line, f"missing required field '{name}'", f"add '{name}: ...' ({spec.doc})", fid, name)
                continue
            line = key_lines.get(name, item.line)
            if spec.types and ftype not in (None, "source") and ftype not in spec.types:
                self.problem(line, f"field '{name}' does not belong on a {ftype}",
                             f"it is for: {', '.join(spec.types)}; remove it or change 'type'", fid, name)
                continue
            raw = item[name]
            if raw is None and ftype not in spec.required_for:
                continue
            memo = memos[i]
            if memo is not None:  # a closed choice, a period, countries: a base repeats a few values thousands of times
                seen = _memo_key(raw)
                got = memo.get(seen) if seen is not None else None
                if got is not None:
                    values[name] = got
                    continue
                before = len(self.problems)
                got = values[name] = self.convert(spec, raw, line, fid, name)
                if seen is not None and got is not None and len(self.problems) == before and len(memo) < _MEMO_SIZE:
                    memo[seen] = got  # what convert gives for this value, without a problem: always the same
                continue
            values[name] = self.convert(spec, raw, line, fid, name)
        return values

    def convert(self, spec: FieldSpec, raw: object, line: int, fid: str | None, path: str) -> Any:
        kind = spec.kind
        if kind in _TEXT_KINDS:  # most fields: first
            return self._text_kind(spec, raw, line, fid, path)
        if kind == "number":
            return self._number(raw, line, fid, path)
        if kind == "bool":
            if isinstance(raw, Plain) and raw in ("true", "false"):
                return raw == "true"
            return self._bad(line, "true or false", raw, "write true or false, unquoted", fid, path)
        if kind == "countries":
            return self._countries(raw, line, fid, path)
        if kind == "texts":
            if not isinstance(raw, YSeq):
                return self._bad(line, "a list of texts", raw, "write [\"a\", \"b\"] or one '- item' per line", fid, path)
            out = [self._text(v, ln, fid, f"{path}[{i}]") for i, (v, ln) in enumerate(zip(raw, raw.item_lines))]
            return None if None in out else tuple(out)
        if kind == "source":
            return self._mapping(raw, line, fid, path, SOURCE_REF_FIELDS, _source_ref, required=SOURCE_REF_REQUIRED)
        if kind == "ratio":
            got = self._mapping(raw, line, fid, path, RATIO_FIELDS, dict, slug=True)
            return (got["part"], got["whole"]) if got else None
        if kind in ("period", "point"):
            text = raw if isinstance(raw, str) else None
            if text is None:
                return self._bad(line, "a date or period such as \"2018\" or \"2019-01/2019-11\"", raw, "quote it: \"2018\"", fid, path)
            try:
                (parse_period if kind == "period" else parse_day)(str(text))
            except ValueError as exc:
                hint = "use YYYY, YYYY-MM, YYYY-MM-DD" + (", or START/END with '..' for an open end" if kind == "period" else "")
                self.problem(line, str(exc), hint, fid, path)
                return None
            return str(text)
        return self._text_kind(spec, raw, line, fid, path)

    def _text_kind(self, spec: FieldSpec, raw: object, line: int, fid: str | None, path: str) -> str | None:
        """A text, slug, url or enum field."""
        kind = spec.kind
        text = self._text(raw, line, fid, path)
        if text is None:
            return None
        if kind == "slug" and not SLUG.match(text):
            self.problem(line, f"'{text}' is not a valid id", "use lowercase letters, digits, '-' and '.', e.g. trade-2018-total", fid, path)
            return None
        if kind == "url":
            why = url_problem(text)
            if why:  # javascript:, data:, file: ... never reach a link (issue 24)
                self.problem(line, f"'{_clip(text)}' is not a web address: {why}", "give the http:// or https:// address of the source, or leave url out", fid, path)
                return None
        if kind == "enum" and spec.choices and text not in spec.choices:
            self.problem(line, f"'{text}' is not a valid {spec.name}", _suggest(text, spec.choices, f"one of: {', '.join(spec.choices)}"), fid, path)
            return None
        return text

    def _text(self, raw: object, line: int, fid: str | None, path: str) -> str | None:
        cls = type(raw)  # the common case first: a text that passes every check below
        if cls is str or cls is Plain:
            text = cast(str, raw)
            if ((cls is str or not _ANY_YAML11.match(text)) and len(text) <= MAX_TEXT_LENGTH and text.strip()
                    and not _SURROGATE.search(text)):
                return str(text)
        if not isinstance(raw, str):
            return self._bad(line, "text", raw, "write the text, quoted if it contains ': ' or starts with a symbol", fid, path)
        if isinstance(raw, Plain):
            reading = yaml11_reading(raw)
            if reading:
                self.problem(line, f"unquoted {raw} is read by YAML 1.1 as {reading}",
                             f"quote it: \"{raw}\"", fid, path)
                return None
        if not raw.strip():
            return self._bad(line, "non-empty text", raw, "fill it in or remove the field", fid, path)
        if len(raw) > MAX_TEXT_LENGTH:
            self.problem(line, f"text of {len(raw):,} characters, over the limit of {MAX_TEXT_LENGTH:,}",
                         "quote the sentence or paragraph the figure rests on, not the whole document", fid, path)
            return None
        bad = _SURROGATE.search(raw)
        if bad:  # only a "\udcff" escape makes one: no output could carry it
            self.problem(line, f"\\u{ord(bad.group()):04x} is half of a surrogate pair, not a character",
                         "write the character itself, or \\U and its full code in double quotes: \"\\U0001F600\"", fid, path)
            return None
        return str(raw)

    def _number(self, raw: object, line: int, fid: str | None, path: str) -> Number | None:
        if isinstance(raw, Plain) and NUMBER.match(raw):
            digits = len(raw.lstrip("-").removeprefix("0.").replace(".", ""))
            if digits > MAX_NUMBER_DIGITS:
                self.problem(line, f"a number of {digits:,} digits; bricli keeps at most {MAX_NUMBER_DIGITS} so that every "
                             "format shows it exactly", "state it as the source rounds it, or in another scale "
                             "(1234.5 million, not 1234500000)", fid, path)
                return None
            if raw.startswith("-") and not raw.strip("-0."):
                self.problem(line, f"'{raw}' is zero with a minus sign", "write 0 without a sign", fid, path)
                return None
            return Number(str(raw))
        if isinstance(raw, Plain):
            reading = yaml11_reading(raw)
            if reading:
                self.problem(line, f"unquoted {raw} is read by YAML 1.1 as {reading}",
                             "write the number as plain digits with a decimal point, e.g. 12 or 307.4", fid, path)
                return None
            hint = "write the number as plain digits with a decimal point, e.g. 307.4"
            if "," in raw:
                hint = "use a point for decimals and no thousands separators: 1234.5"
            return self._bad(line, "a number", raw, hint, fid, path)
        return self._bad(line, "a number", raw, "write the number without quotes, e.g. value: 307.4", fid, path)

    def _countries(self, raw: object, line: int, fid: str | None, path: str) -> tuple[str, ...] | None:
        if not isinstance(raw, YSeq):
            return self._bad(line, "a list of country codes", raw, "write [CHN, BRA]", fid, path)
        out: list[str | None] = []
        for i, (code, ln) in enumerate(zip(raw, raw.item_lines)):
            sub = f"{path}[{i}]"
            if isinstance(code, Plain) and yaml11_reading(code):
                self.problem(ln, f"unquoted {code} is read by YAML 1.1 as {yaml11_reading(code)}",
                             "use the 3-letter code (Norway is NOR), quoted if needed", fid, sub)
                out.append(None)
                continue
            if not isinstance(code, str):
                out.append(self._bad(ln, "a country code", code, "write a 3-letter ISO code such as BRA", fid, sub))
                continue
            if not countries.is_known(code):
                self.problem(ln, f"unknown country code '{_clip(str(code))}'", _country_hint(str(code)), fid, sub, rule="unknown-country")
                out.append(None)
                continue
            out.append(str(code))
        return None if None in out else tuple(c for c in out if c is not None)

    def _mapping(self, raw: object, line: int, fid: str | None, path: str, keys: tuple[str, ...],
                 build: Callable[[dict[str, str | None]], T], slug: bool = False,
                 required: tuple[str, ...] | None = None) -> T | None:
        if not isinstance(raw, YMap):
            return self._bad(line, f"a mapping with {', '.join(keys)}", raw, f"write {path}: {{{': ..., '.join(keys)}: ...}}", fid, path)
        ok = True
        values: dict[str, str | None] = {}
        for key in raw:
            if key not in keys:
                self.problem(raw.key_lines.get(key), f"unknown field '{key}' in {path}", _suggest(key, keys, f"fields are: {', '.join(keys)}"), fid, f"{path}.{key}")
                ok = False
        for key in keys:
            sub = f"{path}.{key}"
            if key not in raw or raw[key] is None:
                if required is not None and key not in required:
                    values[key] = None
                    continue
                self.problem(raw.line, f"missing '{key}' in {path}", f"add {key}: ...", fid, sub)
                ok = False
                continue
            text = self._text(raw[key], raw.key_lines.get(key, line), fid, sub)
            if text is not None and slug and not SLUG.match(text):
                self.problem(raw.key_lines.get(key, line), f"'{text}' is not a valid id", "use a fact id", fid, sub)
                text = None
            if text is None:
                ok = False
            else:
                values[key] = text
        return build(values) if ok else None

    def _bad(self, line: int | None, expected: str, found: object, hint: str, fid: str | None, path: str) -> None:
        self.problem(line, f"expected {expected}, found {_show(found)}", hint, fid, path)
        return None


class _Plan:
    """What `_fields` needs of a field table, worked out once: its names, each one's place,
    and per fact type the places of the fields it requires."""

    def __init__(self, specs: tuple[FieldSpec, ...]) -> None:
        self.specs = specs
        self.names = frozenset(s.name for s in specs)
        self.position = {s.name: i for i, s in enumerate(specs)}
        # per field of a kind whose values repeat: _memo_key(value) -> what convert made of it
        self.memos: list[dict[object, Any] | None] = [{} if s.kind in _MEMO_KINDS else None for s in specs]
        self._required: dict[str | None, frozenset[int]] = {}
        self._visits: dict[tuple[str | None, tuple[str, ...]], list[int]] = {}

    def visit(self, ftype: str | None, item: YMap) -> list[int]:
        """The places of the specs to visit, in order: those written and those required (the
        others do nothing), so the same problems come in the same order as going through every
        spec, for a dozen of fifty. Remembered per type and keys written (a base repeats a few)."""
        key = (ftype, tuple(item))
        found = self._visits.get(key)
        if found is None:
            position = self.position
            places = set(self.required(ftype))
            places.update(position[k] for k in item if k in position)
            found = sorted(places)
            if len(self._visits) < _MEMO_SIZE:
                self._visits[key] = found
        return found

    def required(self, ftype: str | None) -> frozenset[int]:
        """The places of the fields `ftype` must have (with an unknown type: those every type needs)."""
        found = self._required.get(ftype)
        if found is None:
            every = set(KINDS)
            found = self._required[ftype] = frozenset(
                i for i, s in enumerate(self.specs)
                if ftype in s.required_for or (ftype is None and set(s.required_for) >= every))
        return found


_PLANS: dict[int, _Plan] = {}
_MEMO_KINDS = frozenset(("enum", "period", "point", "countries"))
_MEMO_SIZE = 4096  # values remembered per field: any base's closed choices, and its periods mostly
_TEXTS = frozenset((str, Plain))


def _memo_key(raw: object) -> object:
    """What convert's result depends on: a text and whether it is plain; a list of texts, each
    with that (None: not remembered)."""
    cls = type(raw)
    if cls is Plain or cls is str:
        return (cls is Plain, raw)
    if cls is YSeq:
        types = tuple(map(type, cast("YSeq", raw)))
        if _TEXTS.issuperset(types):
            return (types, tuple(cast("YSeq", raw)))
    return None


def _plan(specs: tuple[FieldSpec, ...]) -> _Plan:
    plan = _PLANS.get(id(specs))
    if plan is None or plan.specs is not specs:
        plan = _PLANS[id(specs)] = _Plan(specs)
    return plan


class _TooMany(Exception):
    def __init__(self, line: int | None) -> None:
        super().__init__(line)
        self.line = line


def _source_ref(v: dict[str, str | None]) -> SourceRef:
    """Built only when the required keys (id, quote) are there."""
    return SourceRef(id=v["id"] or "", section=v["section"], quote=v["quote"] or "", translation=v["translation"])


def _plain_id(item: YMap) -> str | None:
    value = item.get("id")
    return str(value) if isinstance(value, str) and value else None


@lru_cache(maxsize=1024)  # a base repeats its typos: each is looked up once
def _country_hint(code: str) -> str:
    try:
        guess = countries.resolve(code)
        return f"did you mean {guess} ({countries.name(guess)})?"
    except countries.CountryError as exc:
        if exc.suggestions:
            return "did you mean " + ", ".join(f"{c} ({n})" for c, n in exc.suggestions[:3]) + "?"
    return "use an ISO 3166-1 alpha-3 code, or LCN, WLD, EUU"


def _suggest(word: str, choices: Iterable[str], fallback: str) -> str:
    close = close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else fallback

