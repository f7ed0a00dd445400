"""Where values lie in a JSON text: the character ranges of the values at chosen paths.

The parser (``json.loads``) says what a notebook holds but not where; writing
a cell back by splicing needs where. The scan is iterative, so a file nested
as deep as the parser allows cannot exhaust the stack, and it refuses a key
repeated in one object: the parser keeps the last copy, a splice could land
in the copy no reader sees.
"""

from __future__ import annotations

import re
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from typing import Callable

Path = tuple  # keys (str) and list indices (int) from the top
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"t": 4, "f": 5, "n": 4}  # true, false, null


class RepeatedKey(ValueError):
    """An object names a key twice; ``path`` is where."""

    def __init__(self, path: Path) -> None:
        super().__init__("a key repeated in one object")
        self.path = path


class _Frame:
    __slots__ = ("path", "start", "keys", "count")

    def __init__(self, path: Path, start: int, is_object: bool) -> None:
        self.path = path
        self.start = start
        self.keys: set[str] | None = set() if is_object else None
        self.count = 0


def value_spans(text: str, wanted: Callable[[Path], bool]) -> dict[Path, tuple[int, int]]:
    """For each path ``wanted`` accepts, the range its value covers in ``text`` (a valid JSON text)."""
    found: dict[Path, tuple[int, int]] = {}
    stack: list[_Frame] = []
    position = _skip(text, 0)
    path: Path = ()
    while True:
        char = text[position]
        if char in "{[":
            stack.append(_Frame(path, position, char == "{"))
            position = _skip(text, position + 1)
            opened = text[position] not in "}]"
        else:
            end = _scalar_end(text, position)
            if wanted(path):
                found[path] = (position, end)
            position, opened = end, False
        if not opened:
            position = _close(text, position, stack, found, wanted)
            if not stack:
                return found
        path, position = _member(text, position, stack[-1])


def _member(text: str, position: int, frame: _Frame) -> tuple[Path, int]:
    """The path of the next member of ``frame``'s container, which starts at ``position``, and where its value starts."""
    if frame.keys is None:
        path = frame.path + (frame.count,)
    else:
        key, position = scanstring(text, position + 1)
        if key in frame.keys:
            raise RepeatedKey(frame.path + (key,))
        frame.keys.add(key)
        path = frame.path + (key,)
        position = _skip(text, _skip(text, position) + 1)  # past the colon
    frame.count += 1
    return path, position


def _close(text: str, position: int, stack: list[_Frame], found: dict, wanted) -> int:
    """Past the closing brackets after a value, to the start of the next member (or the end)."""
    while True:
        position = _skip(text, position)
        if not stack:
            return position
        if text[position] == ",":
            return _skip(text, position + 1)
        frame = stack.pop()
        position += 1
        if wanted(frame.path):
            found[frame.path] = (frame.start, position)


def _scalar_end(text: str, position: int) -> int:
    char = text[position]
    if char == '"':
        return scanstring(text, position + 1)[1]
    if char in _LITERALS:
        return position + _LITERALS[char]
    return NUMBER_RE.match(text, position).end()


def _skip(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()
