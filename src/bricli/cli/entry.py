"""The console-script entry point: Ctrl-C is handled even while bricli is still starting.

Importing typer and the commands takes tens of milliseconds. An interrupt
then would surface wherever Python happens to be — in the middle of an
import, or inside one of importlib's callbacks, which reports it and carries
on — so until the app is ready a Ctrl-C ends bricli at once: there is nothing
to clean up yet. `main.run` then turns it back into KeyboardInterrupt, which
lets a half-written output file be removed.
(Python's own start-up, before this module runs, is out of bricli's hands.)

The fast path. Everywhere in bricli a module imports what it depends on at its top,
except on the one path every run and every TAB press takes, where a module imports some
things only when they are needed (each such import says why), so that `bricli --help`,
a TAB press and `bricli trade --year 2018 --format json` stay within their start-up goals
(README, Benchmarks; tests/test_startup.py guards what they keep out):

- entry: `cli/entry.py` (this module);
- command dispatch: `cli/main.py` (the command being run, the root options' work, the
  error handler's reports) and `cli/commands/` (a command's module when it is named; what
  its body runs, when it runs);
- completion: `cli/complete.py`;
- the index query: `index/engine.py` (the build and the fact model only when something is
  built or decoded), `analysis/query.py` (the periods parser only for --from/--to),
  `cli/factbase.py` and `cli/progress.py` (rich only for a bar);
- the byte writer: `cli/output.py`, `render/__init__.py` (each format's module when written)
  and `present/listing.py` (the facts' wording only when a format reads display rows).

tests/test_layers.py lists these modules and fails on an import inside a function, or an
`if TYPE_CHECKING:`, anywhere else, and on a
late import here of a module that every run loads anyway (those go at the top).
"""

from __future__ import annotations

import os

try:  # the C module: `import signal` would first load enum, milliseconds in which Ctrl-C is not handled yet
    import _signal as signal  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - not CPython
    import signal

INTERRUPTED = 130  # as cli/exits.py, which is not imported yet


def exit_interrupted(signum=None, frame=None) -> None:
    """Say so and leave at once: exit 130, no traceback, no cleanup needed."""
    try:  # noqa: SIM105  (contextlib is not loaded yet: this module imports nothing it can avoid)
        os.write(2, b"bricli: interrupted\n")
    except OSError:  # stderr closed or full: the exit status still says it
        pass
    os._exit(INTERRUPTED)


def main() -> None:
    try:  # noqa: SIM105  (as above)
        signal.signal(signal.SIGINT, exit_interrupted)
    except (ValueError, OSError):  # pragma: no cover - not the main thread, or no signals here
        pass

    import gc

    gc.disable()  # a run is short and its objects die by reference counting: no collection (run() says more)
    try:
        from bricli.cli.main import run
    except KeyboardInterrupt:  # raised by an import hook or a test: same answer
        exit_interrupted()
    run()
