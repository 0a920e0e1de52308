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

from typing import Any

import yaml

try:  # the C parser is several times faster; the pure one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
# A hostile file within the size limit can hold millions of aliases or bad
# entries; past this many problems a file is not read further (it already fails).
MAX_PROBLEMS = 100
NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))
_TEXT_TAGS = ("!", "tag:yaml.org,2002:str")
_CONTAINER_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
# the event classes, compared once or more per event: names here rather than yaml's attributes
_SCALAR = yaml.ScalarEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


class Plain(str):
    """A plain (unquoted) scalar, kept as the text the user typed."""

    __slots__ = ()


class YMap(dict[str, object]):
    """A mapping that remembers its line and the line of each key (1-based)."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class YSeq(list[object]):
    """A sequence that remembers its line and the line of each item (1-based)."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class YamlProblem(Exception):
    """A problem found while reading; `fatal` ones stop the file."""

    def __init__(self, line: int | None, message: str, hint: str = "", fatal: bool = False, path: tuple[object, ...] = ()):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        self.fatal = fatal
        self.path = path  # where in the document: ("facts", 0, "unit"); () when unknown or at the top
        self.earlier: list[YamlProblem] = []  # for a fatal one: the problems found before it


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed) or UTF-16 with a BOM. UTF-32, and UTF-16
    without a BOM, are refused by name (not as Latin-1, nor for their zero bytes)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise YamlProblem(1, "the file is UTF-32 (it starts with a UTF-32 byte order mark)", "save the file as UTF-8", True)
    utf8_bom = data.startswith(b"\xef\xbb\xbf")
    wide = _wide_encoding(data[3:] if utf8_bom else data)  # the body's own pattern, after the BOM's 3 bytes
    if wide:
        why = "its ASCII characters are a byte and a zero" if wide.startswith("UTF-16") else "each character is four bytes"
        after = " after a UTF-8 byte order mark" if utf8_bom else ""
        raise YamlProblem(1, f"the file looks like {wide} without a byte order mark{after} ({why})", "save the file as UTF-8", True)
    if utf8_bom:
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


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, told by where the zero bytes fall. UTF-8 text has no
    zero byte; in UTF-16 an ASCII character (a newline, a colon: every YAML file has them)
    is its byte and a zero, in the order that names the byte order, whatever the characters
    around them (CJK, emoji). Up to 64 KB is
    looked at, so a file whose first lines are all CJK is still recognised."""
    head = data[:65536]
    if b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    # UTF-32: every code point is at most 0x10FFFF, so of each four bytes the top one is 0
    # and the next 0, or 1 for an emoji or the like (plane 1), in nearly every group
    groups = len(head) // 4
    if groups:
        le32 = sum(1 for i in range(0, groups * 4, 4) if head[i + 3] == 0 and head[i + 2] <= 1)
        be32 = sum(1 for i in range(0, groups * 4, 4) if head[i] == 0 and head[i + 1] <= 1)
        if le32 > groups * 9 // 10 and le32 > be32:
            return "UTF-32-LE"
        if be32 > groups * 9 // 10:
            return "UTF-32-BE"
    # ASCII characters as UTF-16 code units: (c, 0) little-endian, (0, c) big-endian. A
    # surrogate or CJK unit may hold a zero byte too (U+DE00 of an emoji), never beside ASCII.
    pairs = len(head) // 2 * 2
    le = sum(1 for i in range(0, pairs, 2) if head[i + 1] == 0 and 9 <= head[i] < 0x7F)
    be = sum(1 for i in range(0, pairs, 2) if head[i] == 0 and 9 <= head[i + 1] < 0x7F)
    if le >= 4 and le >= 3 * be:
        return "UTF-16-LE"
    if be >= 4 and be >= 3 * le:
        return "UTF-16-BE"
    return None


def read(text: str) -> tuple[object, list[YamlProblem]]:
    """Parse one YAML document into dict/list/str/Plain/None with line info.

    Returns the document (None for an empty file) and the non-fatal problems;
    raises YamlProblem for a fatal one (syntax error, too deep, too many
    problems), with the problems found before it in its `earlier` list.
    """
    problems: list[YamlProblem] = []
    stack: list[object] = []  # open YMap/YSeq containers
    pending_key: list[object] = []  # for each open YMap: its pending key or _NO_KEY
    slots: list[object] = []  # for each open container: its key or index in its parent (None for the root)
    root: object = None
    documents = 0
    loader = None
    event: Any  # the stubs' Event lacks the attributes of its subclasses
    parent: Any  # the innermost open container
    try:
        loader = _Loader(text)  # in the try: the pure reader refuses a bad character here already
        next_event: Any = loader.get_event  # what yaml.parse does, without its generator: None after the end
        while (event := next_event()) is not None:
            cls = type(event)
            plain = False  # a plain scalar's text is made a Plain only as a value (a key is a str)
            if cls is _SCALAR:
                tag = event.tag
                if tag or event.anchor:
                    _refuse_anchor_tag(event, event.start_mark.line + 1, problems, stack, pending_key, slots)
                if tag and tag not in _TEXT_TAGS:
                    value: object = None  # refused above; never constructed
                elif not event.style and not tag:  # '' (C) or None (pure) = plain
                    value = event.value
                    if value in NULL_WORDS:
                        value = None
                    else:
                        plain = True
                else:
                    value = event.value
            elif cls is _MAPPING_END or cls is _SEQUENCE_END:
                done = stack.pop()
                pending_key.pop()
                slots.pop()
                if not stack:
                    root = done
                continue
            elif cls is _MAPPING_START or cls is _SEQUENCE_START:
                line = event.start_mark.line + 1
                if event.anchor or event.tag:
                    _refuse_anchor_tag(event, line, problems, stack, pending_key, slots)
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(line, f"nesting deeper than {MAX_DEPTH} levels", _DEEP_HINT, True)
                container: YMap | YSeq = YMap(line) if cls is _MAPPING_START else YSeq(line)
                slot = _next_slot(stack, pending_key)
                if stack:
                    _attach(stack, pending_key, container, line, problems, slots)
                stack.append(container)
                pending_key.append(_NO_KEY)
                slots.append(slot)
                continue
            elif cls is yaml.AliasEvent:
                _add(problems, YamlProblem(event.start_mark.line + 1, f"alias *{event.anchor} is not allowed",
                                            "write the value out instead of using anchors and aliases",
                                            path=_path(stack, pending_key, slots)))
                value = None
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(event.start_mark.line + 1, "more than one YAML document in the file", "remove the '---' separator, one document per file", True)
                continue
            else:  # stream and document end events
                continue
            # _attach's common cases inline (a call per scalar is a tenth of reading); a value's
            # line is looked up only where it is kept (a key's, an item's) or reported
            if stack:
                parent = stack[-1]
                key = pending_key[-1]
                if type(parent) is YMap and key is _NO_KEY and value is not None and cls is _SCALAR:
                    key = pending_key[-1] = event.value  # a key (the odd ones, empty or an alias, in _attach): the str read
                    parent.key_lines.setdefault(key, event.start_mark.line + 1)
                    continue
                if plain:
                    value = Plain(value)
                if type(parent) is YSeq:
                    parent.append(value)
                    parent.item_lines.append(event.start_mark.line + 1)
                    continue
                if key is not _NO_KEY and key not in parent:
                    pending_key[-1] = _NO_KEY
                    parent[key] = value
                    continue
                _attach(stack, pending_key, value, event.start_mark.line + 1, problems, slots)
            else:
                root = Plain(value) if plain else value
    except YamlProblem as exc:
        exc.earlier = problems
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        lines = text.splitlines()
        if line and line > len(lines):  # the end of the stream, past the last line (an unclosed quote at the end)
            line = len(lines) or None
        bad_line = lines[line - 1] if line else ""
        fatal = YamlProblem(line, f"YAML syntax error: {exc.problem or exc.context}", _syntax_hint(exc, bad_line), True)
        fatal.earlier = problems
        raise fatal from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file (raw ESC, NUL, ...)
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        fatal = YamlProblem(line, f"character U+{code:04X} is not allowed in a YAML file ({exc.reason})",
                            "remove it, or write it as an escape inside double quotes, e.g. \"\\x1b\"", True)
        fatal.earlier = problems
        raise fatal from None
    except yaml.YAMLError as exc:
        fatal = YamlProblem(None, "YAML error: " + " ".join(str(exc).split()), "", True)
        fatal.earlier = problems
        raise fatal from None
    except RecursionError:
        raise YamlProblem(None, "nesting too deep", _DEEP_HINT, True) from None
    finally:
        if loader is not None:
            loader.dispose()
    return root, problems


_DEEP_HINT = "a fact file is at most a few levels deep"


def _next_slot(stack: list[Any], pending_key: list[object]) -> object:
    """The key or index the next node takes in the innermost open container (None: the root, or a key)."""
    if not stack:
        return None
    if type(stack[-1]) is YSeq:
        return len(stack[-1])
    return None if pending_key[-1] is _NO_KEY else pending_key[-1]


def _path(stack: list[Any], pending_key: list[object], slots: list[object]) -> tuple[object, ...]:
    """Where the next node goes: ("facts", 0, "unit"). `slots` are those of the open containers."""
    return tuple(s for s in (*slots, _next_slot(stack, pending_key)) if s is not None)


def _add(problems: list[YamlProblem], problem: YamlProblem) -> None:
    if len(problems) >= MAX_PROBLEMS:
        raise YamlProblem(problem.line, f"stopped reading this file after {MAX_PROBLEMS} problems",
                          "fix the problems above, then run bricli check again", True)
    problems.append(problem)


def show_tag(tag: str) -> str:
    """A tag as the user wrote it: tag:yaml.org,2002:python/object -> !!python/object."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


class _NoKey:
    __slots__ = ()


_NO_KEY = _NoKey()


def _attach(stack: list[Any], pending_key: list[object], value: object, line: int,
            problems: list[YamlProblem], slots: list[object]) -> None:
    parent = stack[-1]
    if type(parent) is YSeq:
        parent.append(value)
        parent.item_lines.append(line)
        return
    key = pending_key[-1]
    if key is _NO_KEY:
        if isinstance(value, (YMap, YSeq)):
            _add(problems, YamlProblem(line, "a mapping or list cannot be a key", "keys are plain names such as 'value'"))
            value = f"<complex key at line {line}>"
        elif value is None:
            value = ""
        pending_key[-1] = str(value)
        parent.key_lines.setdefault(str(value), line)
        return
    if key in parent:
        first = parent.key_lines.get(key)
        _add(problems, YamlProblem(line, f"duplicate key '{key}' (first at line {first})", "keep one of them: YAML would silently keep only the last",
                                    path=_path(stack, pending_key, slots)))
        pending_key[-1] = _NO_KEY
        return
    pending_key[-1] = _NO_KEY
    parent[key] = value


def _refuse_anchor_tag(event: Any, line: int, problems: list[YamlProblem], stack: list[Any], pending_key: list[object],
                       slots: list[object]) -> None:
    if event.anchor:
        _add(problems, YamlProblem(line, f"anchor &{event.anchor} is not allowed", "write values out instead of using anchors and aliases",
                                    path=_path(stack, pending_key, slots)))
    tag = event.tag
    if tag and tag not in _TEXT_TAGS and tag not in _CONTAINER_TAGS:
        _add(problems, YamlProblem(line, f"tag {show_tag(tag)} is not allowed", "remove the tag; bricli never constructs objects from tags",
                                    path=_path(stack, pending_key, slots)))


def _syntax_hint(exc: yaml.MarkedYAMLError, bad_line: str) -> str:
    text = str(exc)
    if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in text:
        return "quote the text: it contains ': '"
    if "found undefined alias" in text or "found undefined anchor" in text:
        return "anchors and aliases are not allowed"
    if "maximum nesting depth" in text:
        return _DEEP_HINT
    if "end of stream" in text or "expected ',' or" in text:
        return "a quote, '[' or '{' is not closed: close it, or quote the whole text"
    return "check the indentation and quoting around this line"
