"""The common shape of a fact file, read without the YAML parser.

Nearly every fact file is written the same way: block mappings and lists by indentation, one
`key: value` a line, values double-quoted ("...", with YAML's escapes), single-quoted or plain
words and numbers, and short flow lists and mappings such as `[CHN, BRA]`. For such a file
`read_simple` builds the very tree `yamlread.read` builds from libyaml's events (the same YMap,
YSeq, Plain and str values, the same lines) in about half the time: libyaml makes a Python object
for every event, with two marks, and that is most of reading. Anything else, however valid, is
not guessed at: a line outside this shape (a block scalar, a text over several lines, a comment
after a value, a tab, an anchor, a tag, a duplicate key, an escape libyaml refuses, a character
YAML reads as a line break...) makes it return None, and the file is read by `yamlread.read`,
which also reports every problem. Every shipped file has this shape; a test compares the two
readers on each of them and on thousands of generated and mutated documents.
"""

from __future__ import annotations

import re

from bricli.load.yamlread import NULL_WORDS, Plain, YamlProblem, YMap, YSeq

# A document holding any character outside these is left to libyaml: tabs, CR, control
# characters, NEL, the line and paragraph separators (YAML reads those as line breaks) and the BOM.
_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")

_KEY = r"[A-Za-z_][A-Za-z0-9_]{0,127}"  # short: YAML limits an implicit key to 1,024 characters
# a plain scalar: words of letters, digits and . _ / + - (starting with a letter or digit, or with
# "-" or "." before a digit), one space apart: none of YAML's indicators, no ": " or " #", no
# trailing space. In a flow list, one word.
_FLOW_PLAIN = r"(?:[A-Za-z0-9]|[-.](?=[0-9]))[A-Za-z0-9._/+-]*"
_PLAIN = rf"{_FLOW_PLAIN}(?: [A-Za-z0-9._/+-]+)*"
# double quotes: the text between them, with YAML's escapes (each as libyaml reads it, below)
_ESCAPE = r"""\\(?:[0abtnvfre "\\N_LP]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"""
_DOUBLE = rf'"[^"\\]*(?:{_ESCAPE}[^"\\]*)*"'  # unrolled: a character at a time made matching a line 1.35x slower
_SINGLE = r"'[^']*'"  # no '' (a quote written twice)
_ITEM = rf"(?:{_DOUBLE}|{_SINGLE}|{_FLOW_PLAIN})"
_FLOW_MAP = rf"\{{{_KEY}: {_ITEM}(?:, {_KEY}: {_ITEM})*\}}"  # {part: a, whole: b}
_VALUE = rf"(?:{_DOUBLE}|{_SINGLE}|\[(?:{_ITEM}(?:, {_ITEM})*)?\]|{_FLOW_MAP}|{_PLAIN})"

# one line: (indent)(dash)(key)(value) | (indent)(dash)(value) | blank or comment
_LINE = re.compile(rf"( *)(- )?(?:({_KEY}):(?: ({_VALUE}))?|({_VALUE}))|( *)(?:#.*)?")
_FLOW_ITEMS = re.compile(rf"{_DOUBLE}|{_SINGLE}|{_FLOW_PLAIN}")
_FLOW_PAIRS = re.compile(rf"({_KEY}): ({_ITEM})")
_ESCAPES = re.compile(_ESCAPE)
_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
            " ": " ", '"': '"', "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_MAX_DEPTH = 16  # deeper than any fact file: left to the reader that says so


class _NotSimple(Exception):
    """Something libyaml decides (an escape it refuses, a duplicate key): the file is left to it."""


def _unescaped(m: re.Match[str]) -> str:
    code = m.group()[1:]
    if len(code) == 1:
        return _ESCAPED[code]
    value = int(code[1:], 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:  # libyaml refuses these: let it say so
        raise _NotSimple
    return chr(value)


def _scalar(text: str) -> object:
    """A value as yamlread.read makes it: quoted, the text between the quotes (its escapes read);
    plain, a Plain (or None for a null word)."""
    first = text[0]
    if first == '"':
        inner = text[1:-1]
        return _ESCAPES.sub(_unescaped, inner) if "\\" in inner else inner
    if first == "'":
        return text[1:-1]
    return None if text in NULL_WORDS else Plain(text)


def _value(text: str, line: int) -> object:
    first = text[0]
    if first == "[":
        seq = YSeq(line)
        for item in _FLOW_ITEMS.findall(text, 1, len(text) - 1):
            seq.append(_scalar(item))
            seq.item_lines.append(line)
        return seq
    if first == "{":
        mapping = YMap(line)
        for key, item in _FLOW_PAIRS.findall(text, 1, len(text) - 1):
            if key in mapping or key in NULL_WORDS:
                raise _NotSimple
            mapping[key] = _scalar(item)
            mapping.key_lines[key] = line
        return mapping
    return _scalar(text)


def read_simple(text: str) -> tuple[object, list[YamlProblem]] | None:
    """The document and its (no) problems, as yamlread.read gives them, or None when the text is
    not of the simple shape (then yamlread.read must read it)."""
    if _UNSAFE.search(text) is not None:
        return None
    try:
        return _read(text)
    except _NotSimple:
        return None


def _read(text: str) -> tuple[object, list[YamlProblem]] | None:
    # open containers, innermost last: (container, the column of its keys or dashes)
    stack: list[tuple[YMap | YSeq, int]] = []
    pending: tuple[YMap, str, int] | None = None  # a key whose value is on the lines below: (mapping, key, its column)
    root: YMap | None = None
    current: YMap | None = None  # the innermost open mapping when it is the innermost container
    at = -1  # the column of its keys
    match = _LINE.fullmatch
    null_words = NULL_WORDS
    for number, line in enumerate(text.split("\n"), 1):
        m = match(line)
        if m is None:
            return None
        indent, dash, key, value, item, blank = m.groups()
        if blank is not None:  # an empty line, or a comment
            continue
        column = len(indent)
        if dash is None and pending is None and column == at and current is not None and key is not None:
            mapping = current  # most lines: the next key of the mapping being read
        else:
            if dash is None and key is None:  # a value alone on its line (a plain text running on, say)
                return None
            if pending is not None:  # the value of a key is below it: this line opens it (a list may
                # sit at its key's column, a mapping further in), or the value is null
                opens = column > pending[2] if dash is None else column >= pending[2]
                below = (YMap(number) if dash is None else YSeq(number)) if opens else None
                pending[0][pending[1]] = below
                if below is not None:
                    stack.append((below, column))
                pending = None
            # close what this line's column ends: deeper containers, and a list at this column
            # when the line is a key (its list is over)
            while stack and (stack[-1][1] > column or (dash is None and stack[-1][1] == column
                                                       and type(stack[-1][0]) is YSeq)):
                stack.pop()
            if root is None and dash is None and column == 0 and not stack:
                root = YMap(number)
                stack.append((root, 0))
            top = stack[-1][0] if stack else None
            if type(top) is not (YMap if dash is None else YSeq) or stack[-1][1] != column or len(stack) > _MAX_DEPTH:
                return None
            if dash is None:  # key: value
                assert isinstance(top, YMap)
                mapping = current = top
                at = column
            else:  # - key: value, or - value
                assert isinstance(top, YSeq)
                top.item_lines.append(number)
                current, at = None, -1
                if key is None:  # - value
                    top.append(_value(item, number))
                    continue
                mapping = current = YMap(number)
                top.append(mapping)
                at = column = column + 2
                stack.append((mapping, column))
        if key in mapping or key in null_words:
            return None  # a duplicate key, or a key YAML reads as null: the reader reports them
        mapping.key_lines[key] = number
        if value is None:
            pending = (mapping, key, column)
            mapping[key] = None  # taken now: a duplicate below is found; set again when its value comes
            current, at = None, -1  # what comes next decides (a mapping or a list under the key, or null)
        elif value[0] == '"' and "\\" not in value:  # _value's commonest cases, inline (a call a line costs)
            mapping[key] = value[1:-1]
        elif value[0] in "\"'[{":
            mapping[key] = _value(value, number)
        else:
            mapping[key] = None if value in null_words else Plain(value)
    return root, []  # no root: blank lines and comments only, an empty document (every other line makes one)
