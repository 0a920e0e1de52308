"""`python -m bricli` runs the command line."""

from bricli.cli.entry import main

main()
