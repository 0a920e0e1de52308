"""bricli: facts on China-Latin America Belt and Road cooperation, each with its source."""

import importlib

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """`import bricli; bricli.api.series()`: the Python API is loaded the first time it is named,
    so `import bricli` (and every command's start-up) stays as light as it was."""
    if name == "api":
        return importlib.import_module("bricli.api")
    raise AttributeError(f"module 'bricli' has no attribute {name!r}")
