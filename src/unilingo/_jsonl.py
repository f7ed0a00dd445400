"""JSON Lines in and out: an input's lines as text (bytes where not UTF-8), records written back one per line."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from ._errors import InputError


def lines(source: Path | None) -> Iterator[str | bytes]:
    """The lines of ``source`` (None: standard input), without their ends."""
    # Standard input is read, never closed; a file is closed when the records end.
    stream = nullcontext(sys.stdin.buffer) if source is None else _open_input(source)
    with stream as read:
        for line in read:
            try:
                yield line.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                # A bad record like any other: normalize_records reports it, and passes it through byte for byte on --on-error keep.
                yield line.rstrip(b"\r\n")


def _open_input(path: Path):
    try:
        return open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


# Valid in a JSON string, but line ends to readers that split on Unicode's (Python's str.splitlines, some JSON Lines
# tools): a model may write them, and a record must stay one line to every reader. json.dumps escapes the rest.
_UNICODE_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def write_records(records: Iterable[dict | str | bytes], handle: BinaryIO, on_written: Callable[[], None]) -> None:
    """Each record as one line of ``handle``, as it comes; ``on_written`` after each."""
    for record in records:
        if isinstance(record, bytes):
            handle.write(record + b"\n")
        else:
            line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False).translate(_UNICODE_LINE_BREAKS)
            try:
                data = (line + "\n").encode("utf-8")
            except UnicodeEncodeError:
                # A field left alone may hold a lone surrogate (a JSON escape like \ud800): escaped, it goes out as it came in.
                data = (json.dumps(record) + "\n").encode("utf-8")
            handle.write(data)
        on_written()
