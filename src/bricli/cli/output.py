"""Where output goes and how it looks: the one place that looks at the terminal.

stdout carries data only; messages go to stderr. The default format is a
table on a terminal and plain tab-separated lines otherwise; BRICLI_FORMAT
overrides the default and --format overrides both. NO_COLOR is honoured.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, NamedTuple
from pathlib import Path

from bricli.cli.errors import CliError, UsageError
from bricli.render import FORMATS, render, render_encoded  # each format's module is imported when it is written

if TYPE_CHECKING:  # the listing's module (the index's records) is loaded by a command that emits one, not by --help
    from bricli.present.listing import Listing

ENV_FORMAT = "BRICLI_FORMAT"


class Output(NamedTuple):  # not a dataclass: decorating one costs start-up time on every run
    format: str
    width: int
    color: bool
    tty: bool


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def decide(fmt: str | None, environ=None, stream=None) -> Output:
    """Resolve the output format, width and colour for this run."""
    environ = os.environ if environ is None else environ
    stream = sys.stdout if stream is None else stream
    tty = _isatty(stream)
    chosen = fmt or environ.get(ENV_FORMAT) or ("table" if tty else "plain")
    chosen = chosen.strip().lower()
    if chosen not in FORMATS:
        origin = "--format" if fmt else ENV_FORMAT
        raise UsageError(f"unknown format '{chosen}' (from {origin})", f"use one of: {', '.join(FORMATS)}")
    width = shutil.get_terminal_size((100, 24)).columns if tty or "COLUMNS" in environ else 100
    color = tty and "NO_COLOR" not in environ and environ.get("TERM") != "dumb"
    return Output(chosen, max(width, 10), color, tty)


class StdioError(Exception):
    """Writing to stdout or stderr failed (closed with `>&-`, a full disk, /dev/full, an I/O
    error). `main.run` reports it in one line and exits 1; a reader that went away
    (BrokenPipeError) is not this: it exits 141 quietly."""

    def __init__(self, stream: str, error: OSError):
        super().__init__(f"cannot write to {stream}: {error.strerror or error}")
        self.stream = stream
        self.error = error


class _ClosedFile(io.RawIOBase):
    """Stands in for stdout or stderr when its descriptor was closed (`>&-`): Python would
    set it to None, and a write would fail with an AttributeError, or silently (click)."""

    discard = False  # once reported, writes go nowhere, so the exit is quiet

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.discard:
            return len(data)
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def make_stdio_safe() -> None:
    """Never crash on a character the encoding cannot carry (PYTHONIOENCODING=ascii): escape it.
    A closed stdout or stderr becomes a stream whose writes fail (EBADF), reported like a full one."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        if getattr(sys, name) is None:
            _hold_descriptor(fd)
            setattr(sys, name, io.TextIOWrapper(io.BufferedWriter(_ClosedFile()), encoding="utf-8",
                                                errors="backslashreplace", line_buffering=name == "stderr"))
            continue
        stream = getattr(sys, name)  # (even UTF-8 cannot encode a file name's undecodable byte, '\udcff')
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):  # pragma: no cover - exotic streams
                stream.reconfigure(errors="backslashreplace")


def _hold_descriptor(fd: int) -> None:
    """Put /dev/null on a closed standard descriptor, so no file bricli opens takes its number."""
    try:
        os.fstat(fd)
        return  # open after all (sys.stdout was None for another reason)
    except OSError:
        pass
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    except OSError:  # pragma: no cover - no /dev/null
        pass


def silence(stream) -> None:
    """After a failed or unwanted write: send what is still buffered nowhere, so the final
    flush at exit cannot fail again (no "Exception ignored" from Python)."""
    raw = getattr(getattr(stream, "buffer", None), "raw", None)
    if isinstance(raw, _ClosedFile):
        raw.discard = True
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


def write_data(text: str, *, verbatim: bool = False) -> None:
    """Data to stdout. On a terminal a person reads it, whatever the format (csv, json...):
    control and bidi characters from facts are shown escaped, never sent raw. `verbatim`
    is for text that is already terminal-safe and may hold its own colour codes (the table)."""
    stream = sys.stdout
    if not verbatim and _isatty(stream):
        from bricli.render.sanitize import escape_unsafe

        text = escape_unsafe(text)
    buffer = _utf8_bytes(stream)
    with _writing_stdout():
        if buffer is None:
            stream.write(text)
            stream.flush()
        else:  # encoded as the stream would (its error handler: backslashreplace, make_stdio_safe)
            _write_chunks(stream, buffer, [text.encode("utf-8", stream.errors or "strict")])


def write_encoded(chunks: list) -> None:
    """UTF-8 data, in pieces (bytes), to stdout: written as they are when stdout writes UTF-8
    (piped json of the records the index stores); else decoded and written as write_data
    writes text."""
    stream = sys.stdout
    buffer = _utf8_bytes(stream)
    if buffer is None or _isatty(stream):
        write_data(b"".join(chunks).decode())
        return
    with _writing_stdout():
        _write_chunks(stream, buffer, chunks)


@contextlib.contextmanager
def _writing_stdout():
    """A failed write to stdout becomes StdioError; a reader gone (BrokenPipeError) stays itself."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StdioError("stdout", exc) from None


WRITE_BATCH = 1 << 16  # bytes joined per write: memory the allocator reuses, and few system calls


def _write_chunks(stream, buffer, chunks: list) -> None:
    """Write `chunks` to `buffer` (the byte stream under `stream`) a batch at a time, never
    joined whole: megabytes of fresh memory cost more than writing them."""
    stream.flush()  # text written before goes first
    batch: list = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= WRITE_BATCH:
            _write_all(buffer, b"".join(batch))
            batch.clear()
            size = 0
    _write_all(buffer, b"".join(batch))
    buffer.flush()


def _utf8_bytes(stream):
    """The byte stream under `stream` when text reaches it UTF-8 encoded and untranslated
    (newlines are "\\n"); else None, and text goes through the text stream."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None or os.linesep != "\n":
        return None
    try:
        return buffer if codecs.lookup(stream.encoding).name == "utf-8" else None
    except (AttributeError, TypeError, LookupError):
        return None


def _write_all(buffer, data: bytes) -> None:
    """Write all of `data`. A reader that leaves mid-write makes Python's buffered write return
    short, without an error (the EPIPE is lost): writing the rest raises BrokenPipeError, so
    the exit status says the output was cut (141), not 0."""
    view = memoryview(data)
    while view:
        view = view[buffer.write(view):]


def message(text: str) -> None:
    """A message for people: stderr, control characters escaped."""
    from bricli.render.sanitize import terminal_safe

    try:
        sys.stderr.write(terminal_safe(text) + "\n")
        sys.stderr.flush()
    except OSError as exc:
        raise StdioError("stderr", exc) from None


# -o FILE: the format its extension names, unless --format says otherwise
EXTENSIONS = {".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson", ".csv": "csv", ".tsv": "tsv", ".yaml": "yaml",
              ".yml": "yaml", ".md": "markdown", ".markdown": "markdown", ".txt": "plain"}


def format_for_file(path: Path) -> str | None:
    """The format a file name asks for; None when it has no extension (then $BRICLI_FORMAT or plain)."""
    suffix = path.suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if not suffix:
        return None
    names = " ".join(EXTENSIONS)
    raise UsageError(f"unknown file extension '{suffix}' for -o", f"give --format, or a name ending in one of: {names}")


def pager_command(environ) -> str | None:
    """The pager as git picks one: $BRICLI_PAGER, else $PAGER, else `less`; empty or `cat` is none."""
    for name in ("BRICLI_PAGER", "PAGER"):
        if name in environ:
            cmd = environ[name].strip()
            return None if cmd in ("", "cat") else cmd
    return "less"


def page(text: str, environ=None) -> bool:
    """Show `text` through the pager; False when there is none to run (then the caller prints it)."""
    import shlex  # a TAB press loads it, `--help` and a query do not

    environ = os.environ if environ is None else environ
    cmd = pager_command(environ)
    if cmd is None:
        return False
    try:
        program = shlex.split(cmd)[0]
    except (ValueError, IndexError):
        return False
    if shutil.which(program) is None:
        return False
    env = dict(environ)
    env.setdefault("LESS", "FRX")  # as git: quit if one screen, keep colours, leave the text on screen
    env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE, env=env, encoding="utf-8", errors="backslashreplace")
    except OSError:
        return False
    try:
        assert proc.stdin is not None
        proc.stdin.write(text)
        proc.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early: nothing is wrong
        pass
    while True:
        try:
            proc.wait()
            return True
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less ignores it); wait for it to end
            continue


class Display(NamedTuple):  # as Output
    """How a listing is shown, from the output options of a command."""

    ids: bool = False  # --ids: fact ids in terminal tables
    header: bool = True  # --no-header turns it off (plain, csv, tsv)
    pager: bool = True  # --no-pager turns it off
    columns: tuple[str, ...] = ()
    sort: str | None = None
    limit: int | None = None


def display_from(kw: dict) -> Display:
    """The Display of a command's keyword arguments (options it lacks keep their defaults)."""
    from bricli.present.request import build_shape

    shape = build_shape(kw.get("columns"), kw.get("sort"), kw.get("limit"))
    return Display(ids=kw.get("ids", False), header=not kw.get("no_header", False), pager=not kw.get("no_pager", False),
                   columns=shape.columns, sort=shape.sort, limit=shape.limit)


def query_limit(display: Display) -> int | None:
    """How many rows the query need fetch: --limit, unless --sort must see every row first."""
    return None if display.sort else display.limit




def output_for(fmt: str | None, output: Path | None) -> Output:
    """The format (width, colour) emit writes in: -o FILE's extension names it, and a file is
    never a box-drawn table unless asked for; on stdout, as `decide` says."""
    if output is None:
        return decide(fmt)
    chosen = fmt or format_for_file(output)
    if chosen is None:
        chosen = decide(None).format
        chosen = "plain" if chosen == "table" else chosen
    return decide(chosen)


def emit(listing: Listing, fmt: str | None, output: Path | None, force: bool, empty_message: str = "no facts match",
         display: Display | None = None) -> None:
    """Render and write: stdout by default (through the pager on a terminal when longer
    than the screen), or atomically to -o FILE."""
    from bricli.present.listing import for_terminal, shaped  # the listing's code: only a command that emits one

    display = display or Display()
    listing = shaped(listing, display.columns, display.sort, display.limit)
    out = output_for(fmt, output)
    if output is not None:
        text = render(listing, out.format, width=out.width, color=False, csv_safe=True, header=display.header)
        write_file(output, text, force)
        message(f"bricli: wrote {listing.count()} record(s) to {output}")
        return
    if not out.tty:  # piped: json of stored records goes out as the bytes they are
        encoded = render_encoded(listing, out.format)
        if encoded is not None:
            write_encoded(encoded)
            return
    if out.format == "table" and not listing.records:  # in this order: other formats may never decode the records
        message(f"bricli: {empty_message}")
        return
    if out.format == "table":
        listing = for_terminal(listing, ids=display.ids)
    text = render(listing, out.format, width=out.width, color=out.color, header=display.header)
    if out.tty and display.pager and text.count("\n") >= shutil.get_terminal_size((80, 24)).lines:
        from bricli.render.sanitize import escape_unsafe

        if page(text if out.format == "table" else escape_unsafe(text)):
            return
    write_data(text, verbatim=out.format == "table")


def write_file(output, text: str, force: bool) -> None:
    """Write `text` to -o FILE atomically. A refusal (WriteRefused: symlink, directory,
    existing file) reaches the error handler in cli/main.py as it is."""
    from bricli.files import atomic_write, shown  # the writing code: only -o FILE loads it

    try:
        atomic_write(output, text, force=force)
    except OSError as exc:
        raise CliError(f"cannot write {shown(output)}: {exc.strerror or exc}") from None


CHART_WIDTH = (40, 100)  # narrowest and widest chart drawn; piped, 80 columns


def can_show(stream, text: str) -> bool:
    """Whether `stream`'s encoding has every character of `text` (block characters for charts)."""
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def emit_chart(items: list, fmt: str | None, output: Path | None, sources: dict | None = None) -> None:
    """`--chart`: bars for people, on stdout whether or not it is a terminal (it was asked
    for). It replaces the listing, so it does not combine with --format or -o. One chart
    per series across sources (`sources`: the registry the choice rule reads)."""
    from bricli.present.chart import chart_series

    _chart_alone(fmt, output)
    series = chart_series(items, sources)
    if not series:
        message("bricli: nothing to chart: no figure is stated for two or more years among these facts")
        return
    _draw(series)


def emit_series_chart(series, fmt: str | None, output: Path | None) -> None:
    """`bricli series ID --chart`: one series, a line per year."""
    _chart_alone(fmt, output)
    _draw([series])


def _chart_alone(fmt: str | None, output: Path | None) -> None:
    if fmt or output is not None:
        raise UsageError("--chart draws bars on the terminal; it does not combine with --format or -o",
                         "drop --chart to get the data, or --format/-o to get the chart")


def _draw(series: list) -> None:
    from bricli.render.chart import EIGHTHS, FULL, NEGATIVE, render_chart

    tty = _isatty(sys.stdout)
    width = shutil.get_terminal_size((80, 24)).columns if tty or "COLUMNS" in os.environ else 80
    width = min(max(width, CHART_WIDTH[0]), CHART_WIDTH[1])
    unicode = can_show(sys.stdout, EIGHTHS.strip() + FULL + NEGATIVE + "–")
    write_data(render_chart(series, width=width, unicode=unicode))
