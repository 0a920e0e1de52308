"""The console-script entry point: Ctrl-C is handled even while bricli is still starting.

Importing typer and the commands takes tens of milliseconds; an interrupt
then would otherwise end in a traceback instead of a quiet exit 130.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from bricli.cli.main import run
    except KeyboardInterrupt:
        sys.stderr.write("bricli: interrupted\n")
        sys.exit(130)
    run()
