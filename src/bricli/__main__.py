"""`python -m bricli` runs the command line."""

from bricli.cli.main import run

run()
