"""Each package imports only the packages before it (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "bricli"
ORDER = ["files", "model", "checks", "load", "analysis", "present", "render", "importers", "cli"]
RANK = {**{name: i for i, name in enumerate(ORDER)}, "api": len(ORDER) - 1, "__main__": len(ORDER), "__init__": 0}


def imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bricli."):
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("bricli."):
                    yield node.lineno, alias.name


def test_no_package_imports_a_later_one():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert me in RANK, f"{me}: a new top-level module or package; place it in ORDER"
        for line, module in imports(path):
            other = module.split(".")[1]
            if RANK[other] > RANK[me]:
                bad.append(f"{path.relative_to(PACKAGE)}:{line}: {me} imports {module}")
    assert bad == []


def test_the_architecture_note_shows_the_same_order():
    note = (PACKAGE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "files.py → model/ → checks/ → load/ → analysis/ → present/ → render/ → importers/ → cli/, api.py" in note
