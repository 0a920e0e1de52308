"""The command-line interface: the typer app and its one error handler, options, output decisions, completion, commands. Imports every package before it; typer internals only in typer_seam.py."""
