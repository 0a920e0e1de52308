"""Each package imports only the packages before it (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "bricli"
ORDER = ["files", "model", "checks", "load", "analysis", "index", "present", "render", "importers", "cli"]
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
    assert "files.py → model/ → checks/ → load/ → analysis/ → index/ → present/ → render/ → importers/ → cli/, api.py" in note


# Names defined at the top of more than one module on purpose, each with the same meaning in all.
SAME_MEANING = {
    "DATASET": "a dataset module's Dataset (importers/): the interface each importer fills in",
    "SOURCE": "a dataset module's registered source (importers/)",
    "SOURCE_ID": "a dataset module's source id (importers/)",
    "FIELDS": "a listing's record fields, one tuple per listing module (records, conflicts, matrix)",
    "COLUMNS": "a listing's display columns, one list per listing module",
    "T": "a TypeVar",
    "HUNDRED": "Decimal(100)",
    "INTERRUPTED": "exit status 130; cli/entry.py repeats it before cli/exits.py is imported",
    "EXPORT_FORMATS": "bricli export's formats; cli/commands/export.py repeats them for --help and TAB without cli/writers.py",
}


def test_no_two_meanings_for_one_name():
    """No two top-level functions, classes or public constants of src/bricli share a name (`TOPICS` was the
    topics, the topic commands and the matrix's columns): a reader who knows a name knows what it means."""
    where: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            else:
                continue
            for name in names:
                if not name.startswith("_") and name not in ("TYPE_CHECKING", "__all__"):
                    where.setdefault(name, []).append(str(path.relative_to(PACKAGE)))
    shared = {name: paths for name, paths in where.items() if len(paths) > 1 and name not in SAME_MEANING}
    assert shared == {}


def test_repeated_constants_agree():
    from bricli.cli import writers
    from bricli.cli.commands import export

    assert export.EXPORT_FORMATS == writers.EXPORT_FORMATS


# --- imports that tell the truth (issue 19 item 7) ------------------------------------------------

# The one fast path (declared in cli/entry.py's docstring): the only modules that may import inside a
# function or under `if TYPE_CHECKING:`, each for the reason given. Everywhere else a module's header
# lists everything it depends on. tests/test_startup.py guards what the fast path keeps out.
FAST_PATH = {
    "cli/entry.py": "entry: Ctrl-C is handled before anything else is imported",
    "cli/main.py": "command dispatch: the command being run, the root options' work, the error handler's reports",
    "cli/commands/": "command dispatch: a command's module (its options: --help and TAB) when it is named, "
                     "and what its body runs only when it runs",
    "cli/complete.py": "completion: a TAB press imports what its one kind of value needs",
    "cli/factbase.py": "the index query (and TAB on --year): what the engine returns, named for the type checker only",
    "cli/progress.py": "the index query: rich's progress bar only when a build (or a long export or brief) shows one",
    "cli/output.py": "the byte writer: the renderer, pager or chart of what is written",
    "render/__init__.py": "the byte writer: each format's module when that format is written",
    "present/listing.py": "the byte writer: display rows (the fact model's wording) only when a format reads them",
    "index/engine.py": "the index query: the build and the fact model only when something is built or decoded",
    "analysis/query.py": "the index query: the periods parser (and the fact model) only for --from/--to",
}


def _late_imports(path: Path) -> list[str]:
    """Imports inside a function, and `if TYPE_CHECKING:` blocks, of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [f"{inner.lineno}: {ast.unparse(inner)}" for inner in ast.walk(node)
                      if isinstance(inner, (ast.Import, ast.ImportFrom))]
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found.append(f"{node.lineno}: if {ast.unparse(node.test)}:")
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TYPE_CHECKING" for t in node.targets):
            found.append(f"{node.lineno}: a local TYPE_CHECKING stand-in")
    return found


def test_imports_are_at_the_top_outside_the_fast_path():
    bad = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in FAST_PATH or name.startswith(tuple(k for k in FAST_PATH if k.endswith("/"))):
            continue
        if late := _late_imports(path):
            bad[name] = late
    assert bad == {}


def test_the_fast_path_is_declared_where_it_is_listed():
    entry = (PACKAGE / "cli" / "entry.py").read_text(encoding="utf-8")
    for name in FAST_PATH:
        assert (PACKAGE / name).is_dir() if name.endswith("/") else (PACKAGE / name).is_file(), name
        assert f"`{name}`" in entry, f"cli/entry.py's docstring does not name {name}"



def _late_modules(path: Path) -> list[tuple[int, str]]:
    """The modules a fast-path module imports inside its functions (`from pkg import mod` names pkg.mod)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found += [(inner.lineno, a.name) for a in inner.names]
                elif isinstance(inner, ast.ImportFrom) and inner.module:
                    where = PACKAGE.parent / inner.module.replace(".", "/")
                    modules = [f"{inner.module}.{a.name}" for a in inner.names if (where / f"{a.name}.py").is_file()]
                    found += [(inner.lineno, m) for m in modules or [inner.module]]
    return found


def test_the_fast_path_defers_only_what_some_run_keeps_out():
    """A late import in the fast path must keep something out: a module that every run loads anyway
    (`bricli trade --help`, and a TAB press on an option of `trade` and of `series`) is imported at the
    top, where the header says so."""
    import os
    import subprocess
    import sys

    probe = ("import atexit, sys; atexit.register(lambda: sys.__stderr__.write('@@' + ' '.join(sys.modules)))\n"
             "sys.argv = ['bricli', *sys.argv[1:]]\nfrom bricli.cli.main import run\nrun()")
    plain = {k: v for k, v in os.environ.items() if not k.startswith(("_BRICLI", "_TYPER", "COMP_"))}
    runs = [(["trade", "--help"], {}, "--format")]
    runs += [([], {"_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": f"bricli {command} {option[:4]}", "COMP_CWORD": "2"},
              option) for command, option in (("trade", "--format"), ("series", "--basis"))]
    loaded: set[str] = set()
    for args, env, shown in runs:  # each loads only its own command's module
        proc = subprocess.run([sys.executable, "-c", probe, *args], env={**plain, **env}, capture_output=True, text=True,
                              timeout=60)
        assert shown in proc.stdout.split()
        mods = set(proc.stderr.rpartition("@@")[2].split())
        loaded = (loaded & mods) if loaded else mods
    assert "bricli.cli.output" in loaded and "bricli.cli.commands.topics" not in loaded
    needless = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "cli/entry.py":  # imports nothing before Ctrl-C is handled (its docstring says why)
            continue
        if not (name in FAST_PATH or name.startswith(tuple(k for k in FAST_PATH if k.endswith("/")))):
            continue
        if late := [f"{line}: {module}" for line, module in _late_modules(path) if module in loaded]:
            needless[name] = late
    assert needless == {}
