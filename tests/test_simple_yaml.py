"""The quick reader of a fact file's common shape (load/simple_yaml.py) gives exactly the tree
libyaml's events give (yamlread.read), or leaves the file to that reader: compared on every shipped
file, on generated documents and on mutated ones."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bricli.load.simple_yaml import read_simple
from bricli.load.yamlread import Plain, YamlProblem, YMap, YSeq, read

SHIPPED = Path(__file__).resolve().parents[1] / "facts"


def same(a: object, b: object) -> bool:
    """Equal trees: the same types (Plain or str), values, keys in order, and lines."""
    if type(a) is not type(b):
        return False
    if isinstance(a, YMap):
        assert isinstance(b, YMap)
        return (a.line == b.line and a.key_lines == b.key_lines and list(a) == list(b)
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, YSeq):
        assert isinstance(b, YSeq)
        return (a.line == b.line and a.item_lines == b.item_lines and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    return a == b


def agrees(text: str) -> bool:
    """Whether the quick reader took `text`; when it did, libyaml's reader gives the same tree and
    no problem (the test fails otherwise)."""
    quick = read_simple(text)
    if quick is None:
        return False
    try:
        root, problems = read(text)
    except YamlProblem as exc:  # pragma: no cover - the failure this test is for
        pytest.fail(f"the quick reader took a document libyaml refuses ({exc.message}):\n{text}")
    assert problems == [] and quick[1] == [], text
    assert same(quick[0], root), text
    return True


def test_every_shipped_file_is_read_as_libyaml_reads_it():
    files = sorted(SHIPPED.glob("*.yaml"))
    assert files
    taken = [f.name for f in files if agrees(f.read_text(encoding="utf-8"))]
    # every shipped file has the common shape (escapes, flow lists and mappings included). A file
    # of another shape is read right, by libyaml, only slower: the house style keeps them all in it
    assert taken == [f.name for f in files], "a shipped file is not of the common shape (load/simple_yaml.py)"


@pytest.mark.parametrize("text", [
    "facts:\n- id: a\n  countries:\n  - CHN\n  - BRA\n  label: x\n",  # lists at the column of their key
    "facts:\n  - id: a\n    source:\n      id: s\n      quote: \"q\"\n\n  - id: b\n",
    "a:\n   b:\n    c: d\n",  # a nested mapping indented by any amount (here 3, then 1)
    "# a comment\n\na: 1\n  # an indented comment\nb: -12.5\nc: .5\nd: null\nf:\ng: ''\nh: \"\"\n",
    'q: "tab\\t nl\\n quote\\" back\\\\ e\\u00e9 x\\x41 big\\U0001F600 nul\\0 sp\\  nel\\N nbsp\\_ ls\\L ps\\P bell\\a esc\\e"\n',
    "r: {part: a-b, whole: 'c d'}\nl: [CHN, \"B, R\", 'x', 1.5, null]\ne: []\n",
    "w: China and Latin America - 2018 / US+ 1.5\nt: true\nn: no\n",
    "",
    "# only a comment\n",
    "a: b\n" * 1 + "c: \"São Paulo – “quoted” 😀\"\n",
])
def test_documents_of_the_common_shape_are_taken(text):
    assert agrees(text)


@pytest.mark.parametrize("text", [
    "a:\tb\n", "a: b\r\n", "a: b\x85\n", "a: \"x\u2028y\"\n", "a: \"x\ufeffy\"\n",  # characters YAML reads its own way
    "a: &x b\nc: *x\n", "a: !!str b\n", "a: |\n  block\n", "a: >\n  folded\n",  # anchors, tags, block scalars
    "a: plain text\n  running on\n", "a: \"quoted text\n  running on\"\n",  # scalars over lines
    "a: b # a comment after a value\n", "a: b \n", "---\na: b\n", "a: b\n...\n",
    "a: b\na: c\n", "null: x\n", "a: {x: 1, x: 2}\n", "a: {null: 1}\n",  # what the reader reports
    'a: "\\ud800"\n', 'a: "\\U00110000"\n', 'a: "\\/"\n', 'a: "\\q"\n',  # escapes libyaml refuses (or reads its way)
    "k" * 200 + ": v\n",  # a key longer than the quick reader takes
    "- a\n- b\n", "just text\n", "a: b\n  c: d\n", "a: b\n  - c\n", "a:\n- b\n c: d\n",
    "a: ~\n", "a: [b, [c]]\n", "a: [ b ]\n", "a: [b,c]\n", "a: 'it''s'\n", "a: São\n", "a: 1:20\n", "a: x#y\n",
    "a:\n" + "".join(" " * n + f"k{n}:\n" for n in range(1, 20)) + " " * 20 + "z: 1\n",  # deeper than it takes
])
def test_anything_else_is_left_to_libyaml(text):
    assert read_simple(text) is None


_CHARS = list("abcXYZ019 .-_/+") * 6 + list(":#'\"\\[]{},&*!|>?%@`~=é€😀\u00a0") + [
    "\\n", "\\\"", "\\u00e9", "\\x41", "\\t", "\\ ", "\\N", "\\ud800", "\\U0010FFFF", "\\U00110000", "''", ": ", " #"]


def _generated(rng: random.Random) -> str:
    """A document of nested mappings and lists, at varied indents, with varied scalars."""
    out: list[str] = []

    def scalar() -> str:
        w = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 6)))
        r = rng.random()
        if r < 0.35:
            return f'"{w}"'
        if r < 0.5:
            return f"'{w}'"
        if r < 0.6:
            return rng.choice(["null", "~", "Null", "NULL", "", "true", "no", "-5", "-.5", ".5", "1:20", "012", "- x", "-x"])
        return w

    def mapping(depth: int, indent: int, first: str | None = None) -> None:
        keys = rng.sample(["id", "type", "quote", "a", "b", "source", "countries", "null", "x_y", "K9"], rng.randint(1, 4))
        if rng.random() < 0.05:
            keys.append(keys[0])
        for n, key in enumerate(keys):
            prefix = first if n == 0 and first is not None else " " * indent
            if rng.random() < 0.05:
                out.append(" " * rng.randint(0, indent + 2) + "# c")
            if rng.random() < 0.05:
                out.append("")
            r = rng.random()
            if r < 0.55 or depth > 4:
                out.append(f"{prefix}{key}: {scalar()}")
            elif r < 0.65:
                out.append(f"{prefix}{key}: [" + ", ".join(scalar() for _ in range(rng.randint(0, 3))) + "]")
            elif r < 0.7:
                pairs = rng.sample(["a", "b", "c", "null"], rng.randint(1, 3))
                out.append(f"{prefix}{key}: {{" + ", ".join(f"{k}: {scalar()}" for k in pairs) + "}")
            elif r < 0.75:
                out.append(f"{prefix}{key}:")
            else:
                out.append(f"{prefix}{key}:")
                if rng.random() < 0.5:
                    mapping(depth + 1, indent + rng.choice([1, 2, 2, 4]))
                else:
                    sequence(depth + 1, indent + rng.choice([0, 2, 2, 3]))

    def sequence(depth: int, indent: int) -> None:
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.6:
                mapping(depth + 1, indent + 2, first=" " * indent + "- ")
            else:
                out.append(" " * indent + "- " + scalar())

    mapping(0, 0)
    return "\n".join(out) + rng.choice(["", "\n", "\n\n"])


def test_generated_documents_read_alike():
    rng = random.Random(19)
    taken = sum(agrees(_generated(rng)) for _ in range(2500))
    assert taken > 300  # enough of them were of the common shape for the comparison to mean something


def test_mutated_shipped_files_read_alike():
    rng = random.Random(7)
    texts = [f.read_text(encoding="utf-8") for f in sorted(SHIPPED.glob("*.yaml"))]
    pieces = ["#", ":", ": ", "-", "- ", '"', "'", "\\", " ", "  ", "\t", "[", "]", "{", "}", ",", ", ", "&a ", "*a", "!",
              "|", ">", "?", "%", "@", "`", "\\n", '\\"', "\\u00e9", "\\ud800", "\\x41", "\\N", "\\/", "\\q", "null", "~",
              "é", "\u2028", "\x85", "\ufeff", "\r", "---", "\n", "key: v\n", "  - x\n"]
    taken = 0
    for _ in range(1500):
        lines = rng.choice(texts).split("\n")
        start = rng.randrange(max(1, len(lines) - 40))
        lines = ["facts:", *lines[start:start + rng.randint(5, 40)]]
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(lines))
            line, op = lines[k], rng.random()
            if op < 0.5:
                at = rng.randrange(len(line) + 1)
                lines[k] = line[:at] + rng.choice(pieces) + line[at:]
            elif op < 0.65:
                lines[k] = " " * rng.randint(1, 3) + line
            elif op < 0.75:
                lines[k] = line[rng.randint(1, 3):]
            elif op < 0.85:
                lines.insert(k, line)
            else:
                lines[k] = line[:rng.randrange(len(line) + 1)]
        taken += agrees("\n".join(lines) + "\n")
    assert taken > 20


def test_the_quick_reader_makes_plain_texts_and_nulls_as_the_reader_does():
    root, problems = read_simple('a: 307.4\nb: "307.4"\nc: null\nd: "null"\ne: [x, "y", null]\n')  # type: ignore[misc]
    assert problems == []
    assert isinstance(root, YMap)
    assert type(root["a"]) is Plain and type(root["b"]) is str and root["c"] is None and root["d"] == "null"
    assert [type(v) for v in root["e"]] == [Plain, str, type(None)]


def test_a_fact_file_of_the_common_shape_is_read_without_libyaml(monkeypatch):
    """The wiring (load/assemble.py): libyaml's reader is not called for such a file, and the file
    gives the same facts, sources and problems (none) as through it."""
    from bricli.load import assemble

    data = (SHIPPED / "trade.yaml").read_bytes()
    with monkeypatch.context() as m:
        m.setattr(assemble, "read_simple", lambda text: None)
        through_libyaml = assemble.parse_bytes("trade.yaml", data)
    monkeypatch.setattr(assemble, "read", lambda text: pytest.fail("libyaml's reader was called"))
    quick = assemble.parse_bytes("trade.yaml", data)
    assert quick == through_libyaml and quick.facts and not quick.problems
