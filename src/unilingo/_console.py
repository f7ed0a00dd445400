"""What the command line prints beside its results: errors, a progress bar, failures, warnings and segment lines."""

from __future__ import annotations

import functools
import json
import logging
import re
import sys
from typing import Iterable, Iterator

import click

from ._errors import ExitCode, UnilingoError, printable
from ._findings import listed_uncertain
from ._lines import line_start
from ._settings import BY_NAME


def reports_errors(command):
    """One line on stderr and the documented exit code instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UnilingoError as error:
            click.echo(f"unilingo: error: {error.shown(as_option)}", err=True)
            sys.exit(int(error.exit_code))
        except KeyboardInterrupt:
            click.echo("unilingo: interrupted", err=True)
            sys.exit(130)

    return wrapper


def as_option(name: str, value: str | None) -> str:
    """A setting an error advises, as the command line gives it: its option and the value."""
    setting = BY_NAME.get(name)
    flag = setting.flags[0] if setting is not None and setting.flags else f"--{name.replace('_', '-')}"
    return f"{flag} {'FILE' if value is None else value}"


class EchoHandler(logging.Handler):
    """Library warnings (a busy translation memory, ...) as one 'unilingo: warning:' line each."""

    def emit(self, record: logging.LogRecord) -> None:
        # Escaped here, for every warning: they name files and models that an untrusted tree's names and models file gave.
        click.echo(f"unilingo: {record.levelname.lower()}: {printable(record.getMessage())}", err=True)


class Failures:
    """Inputs of a batch that failed: each reported on one line as it happens, the rest done, the exit code at the end."""

    def __init__(self, progress: "Progress | None" = None) -> None:
        self.progress = progress
        self.errors: list[UnilingoError] = []

    def add(self, error: UnilingoError) -> None:
        self.errors.append(error)
        line = f"unilingo: error: {error.shown(as_option)}"
        if self.progress is not None:
            self.progress.echo(line)
        else:
            click.echo(line, err=True)

    def exit_if_any(self, inputs: int) -> None:
        """Exit with the first failure's code when any input failed."""
        if self.errors:
            if inputs > 1:
                click.echo(f"unilingo: {len(self.errors)} of {inputs} inputs failed; the others are done", err=True)
            sys.exit(int(self.errors[0].exit_code))


class Progress:
    """A progress bar of files or records on standard error, when it is a terminal; lines printed above it."""

    def __init__(self, total: int | None, unit: str, enabled: bool) -> None:
        self.bar = None
        self.segments = 0
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False, desc="unilingo")

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.update()

    def segments_done(self, count: int) -> None:
        self.segments += count
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.segments} segments translated", refresh=True)

    def echo(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def report_problems(progress: "Progress", label: str, doc) -> int:
    """Warn of each segment left untranslated for a reason of unilingo's; how many the model's translation was rejected for."""
    for segment in doc.segments:
        if segment.unsegmented:
            progress.echo(f"unilingo: warning: {position(label, doc.original, segment)}: not translated: {segment.reason}")
    rejected = [segment for segment in doc.segments if segment.rejected]
    for segment in rejected:
        progress.echo(f"unilingo: warning: {position(label, doc.original, segment)}: not translated: {segment.reason}: "
                      f"{quoted(segment.text)}")  # fmt: skip
    return len(rejected)


def report_uncertain(progress: "Progress", label: str, doc, uncertain: str) -> None:
    for segment in doc.segments:
        if listed_uncertain(segment, uncertain):
            progress.echo(segment_line(label, doc.original, segment))


def finish(summary: str | None, code: ExitCode) -> None:
    """Say how a run that went through ended, and exit with its code unless that is success."""
    if summary is not None:
        click.echo(f"unilingo: {summary}", err=True)
    if code != ExitCode.OK:
        sys.exit(int(code))


def position(label: str, text: str, segment) -> str:
    column = segment.start - line_start(text, segment.start, "\n") + 1
    return f"{label}:{segment.line + 1}:{column}"


def segment_line(label: str, text: str, segment) -> str:
    """``path:line:col: action lang (confidence) "text": reason``, as compilers and linters print."""
    return (
        f"{position(label, text, segment)}: {segment.action} {segment.lang or '--'} "
        f"({segment.confidence:.2f}) {quoted(segment.text)}: {segment.reason}"
    )


def quoted(text: str) -> str:
    """A segment's text as a line shows it: in JSON's quotes, no control character left, C1 ones (which JSON leaves) included."""
    return printable(json.dumps(text, ensure_ascii=False))


def json_reports(reports: Iterable[tuple[str, str, Iterable[dict]]]) -> Iterator[str]:
    """A JSON array of ``{"path", "target", "segments"}``, one object per report and one line per segment, piece by piece.

    Each report is (path, target, its segments' rows); the rows may come one
    at a time from a large file, so the report is never held whole. A row is
    encoded without indentation: only then does ``json`` use its C encoder,
    and an indented row took a fifth of a ``detect --json`` run.
    """
    opened = False
    for path, target, rows in reports:
        yield ("[\n " if not opened else ",\n ") + _encoded({"path": path, "target": target})[:-1] + ', "segments": ['
        opened = True
        first = True
        for row in rows:
            yield ("\n  " if first else ",\n  ") + _encoded(row)
            first = False
        yield "]}" if first else "\n ]}"
    yield "\n]" if opened else "[]"


# JSON escapes C0 controls itself but writes DEL and the C1 ones (U+009B CSI) as they are, which a terminal obeys:
# as \u escapes they read back the same.
_C1 = re.compile("[\x7f-\x9f]")


def _encoded(value) -> str:
    return _C1.sub(lambda found: f"\\u{ord(found.group()):04x}", _encode(value))


# One encoder for every row: json.dumps with any option builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode
