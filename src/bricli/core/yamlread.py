"""A strict YAML reader for fact files.

PyYAML's loaders follow YAML 1.1 and change data behind the user's back:
`NO` becomes False, `1:20` becomes 80, `012` becomes 10, a repeated key
silently wins, and aliases can expand without bound. Fact files are user
input, so this reader builds the document itself from the parser's events
(libyaml's C parser when available) and decides nothing about types: plain
scalars stay text, marked `Plain`, and the validator interprets them per
field. Along the way it refuses what YAML would mangle or what could hurt:
duplicate keys, anchors and aliases, explicit tags, deep nesting, several
documents in one file.
"""

from __future__ import annotations

import yaml

try:  # the C parser is several times faster; the pure one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))
_TEXT_TAGS = ("!", "tag:yaml.org,2002:str")
_CONTAINER_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class Plain(str):
    """A plain (unquoted) scalar, kept as the text the user typed."""

    __slots__ = ()


class YMap(dict):
    """A mapping that remembers its line and the line of each key (1-based)."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class YSeq(list):
    """A sequence that remembers its line and the line of each item (1-based)."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class YamlProblem(Exception):
    """A problem found while reading; `fatal` ones stop the file."""

    def __init__(self, line: int | None, message: str, hint: str = "", fatal: bool = False):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        self.fatal = fatal


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed) or UTF-16 with a BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise YamlProblem(None, f"not valid UTF-16 ({exc.reason})", "save the file as UTF-8", True) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise YamlProblem(
            line,
            f"not valid UTF-8 (byte 0x{bad} at line {line})",
            "save the file as UTF-8 (it looks like Latin-1 or another legacy encoding)",
            True,
        ) from None


def read(text: str) -> tuple[object, list[YamlProblem]]:
    """Parse one YAML document into dict/list/str/Plain/None with line info.

    Returns the document (None for an empty file) and the non-fatal problems;
    raises YamlProblem for a fatal one (syntax error, too deep).
    """
    problems: list[YamlProblem] = []
    stack: list[object] = []  # open YMap/YSeq containers
    pending_key: list[object] = []  # for each open YMap: its pending key or _NO_KEY
    root: object = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            cls = type(event)
            if cls is yaml.ScalarEvent:
                line = event.start_mark.line + 1
                _refuse_anchor_tag(event, line, problems)
                if event.tag and event.tag not in _TEXT_TAGS:
                    value: object = None  # refused above; never constructed
                elif not event.style and not event.tag:  # '' (C) or None (pure) = plain
                    value = None if event.value in NULL_WORDS else Plain(event.value)
                else:
                    value = event.value
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                line = event.start_mark.line + 1
                _refuse_anchor_tag(event, line, problems)
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(line, f"nesting deeper than {MAX_DEPTH} levels", "a fact file is at most a few levels deep", True)
                container: YMap | YSeq = YMap(line) if cls is yaml.MappingStartEvent else YSeq(line)
                if stack:
                    _attach(stack, pending_key, container, line, problems)
                stack.append(container)
                pending_key.append(_NO_KEY)
                continue
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                done = stack.pop()
                pending_key.pop()
                if not stack:
                    root = done
                continue
            elif cls is yaml.AliasEvent:
                line = event.start_mark.line + 1
                problems.append(YamlProblem(line, f"alias *{event.anchor} is not allowed", "write the value out instead of using anchors and aliases"))
                value = None
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(event.start_mark.line + 1, "more than one YAML document in the file", "remove the '---' separator, one document per file", True)
                continue
            else:  # stream and document end events
                continue
            if stack:
                _attach(stack, pending_key, value, line, problems)
            else:
                root = value
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        bad_line = text.splitlines()[line - 1] if line and line <= text.count("\n") + 1 else ""
        raise YamlProblem(line, f"YAML syntax error: {exc.problem or exc.context}", _syntax_hint(exc, bad_line), True) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}", "", True) from None
    except RecursionError:
        raise YamlProblem(None, "nesting too deep", "a fact file is at most a few levels deep", True) from None
    return root, problems


class _NoKey:
    __slots__ = ()


_NO_KEY = _NoKey()


def _attach(stack, pending_key, value, line, problems) -> None:
    parent = stack[-1]
    if type(parent) is YSeq:
        parent.append(value)
        parent.item_lines.append(line)
        return
    key = pending_key[-1]
    if key is _NO_KEY:
        if isinstance(value, (YMap, YSeq)):
            problems.append(YamlProblem(line, "a mapping or list cannot be a key", "keys are plain names such as 'value'"))
            value = f"<complex key at line {line}>"
        elif value is None:
            value = ""
        pending_key[-1] = str(value)
        parent.key_lines.setdefault(str(value), line)
        return
    pending_key[-1] = _NO_KEY
    if key in parent:
        first = parent.key_lines.get(key)
        problems.append(YamlProblem(line, f"duplicate key '{key}' (first at line {first})", "keep one of them: YAML would silently keep only the last"))
        return
    parent[key] = value


def _refuse_anchor_tag(event, line: int, problems: list[YamlProblem]) -> None:
    if event.anchor:
        problems.append(YamlProblem(line, f"anchor &{event.anchor} is not allowed", "write values out instead of using anchors and aliases"))
    tag = event.tag
    if tag and tag not in _TEXT_TAGS and tag not in _CONTAINER_TAGS:
        problems.append(YamlProblem(line, f"tag {tag} is not allowed", "remove the tag; bricli never constructs objects from tags"))


def _syntax_hint(exc: yaml.MarkedYAMLError, bad_line: str) -> str:
    text = str(exc)
    if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in text:
        return "quote the text: it contains ': '"
    if "found undefined alias" in text or "found undefined anchor" in text:
        return "anchors and aliases are not allowed"
    return "check the indentation and quoting around this line"
