"""Errors the CLI maps to exit codes in one place (`main.run`)."""

from __future__ import annotations

from bricli.cli import exits


class CliError(Exception):
    """A failure to report on stderr as `bricli: message`, then exit with `code`."""

    def __init__(self, message: str, code: int = exits.DATA_ERROR, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint


class UsageError(CliError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message, exits.USAGE, hint)
