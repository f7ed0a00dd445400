"""Windows: where a large document may be cut so that each piece segments as it does inside the whole.

``detect`` and ``check`` decide a large file window by window, so that their
memory follows the window, not the file. A format says where its blocks may
start (``BlockStarts``: plain text at any paragraph, see ``paragraph_starts``);
a cut goes only after a blank line, never inside a ``unilingo: off`` region,
before a comment (an inline original belongs to the block before it) or before
what could read as front matter.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterator

from ._lines import LINE_BREAK

# A format's block starts in text[start:end] after its first line: (offset, whether a blank line comes before).
BlockStarts = Callable[[str, int, int], Iterator[tuple[int, bool]]]

# Documents up to this size are decided whole; larger ones in windows of about this size.
WINDOW_CHARS = 1_000_000

# Lines as the segmenter counts them: only CR, LF and CRLF end one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_OFF = re.compile(r"<!--\s*unilingo:\s*off\s*-->")
_ON = re.compile(r"<!--\s*unilingo:\s*on\s*-->")
# A window starting with one of these would read it as front matter, or part an inline original from its block.
_NEVER_FIRST = ("---", "+++", "<!--")


def window_starts(text: str, block_starts: BlockStarts, size: int = WINDOW_CHARS) -> list[int]:
    """Offsets where windows of ``text`` start: 0, then a cut once a window has reached ``size`` characters.

    A document without a place to cut is one window.
    """
    starts = [0]
    if len(text) <= size:
        return starts
    off = off_regions(text)
    while True:
        cut = _next_cut(text, starts[-1], size, block_starts, off)
        if cut is None:
            return starts
        starts.append(cut)


def _next_cut(text: str, start: int, size: int, block_starts: BlockStarts, off: tuple[list[int], list[int]]) -> int | None:
    """The first allowed cut at least ``size`` characters after ``start``, reading ever more text until one turns up."""
    reach = size + max(size // 4, 4096)
    while True:
        chunk_end = _next_line_start(text, start + reach) if start + reach < len(text) else len(text)
        for offset, blank_before in block_starts(text, start, chunk_end):
            if offset >= start + size and blank_before and _may_start_window(text, offset, off):
                return offset
        if chunk_end == len(text):
            return None
        reach *= 2


def paragraph_starts(text: str, start: int, end: int) -> Iterator[tuple[int, bool]]:
    """Plain text's block starts: each line start in ``text[start:end]`` but the first; a line of non-breaking spaces is blank."""
    blank_before = None
    for found in _LINE.finditer(text, start, end):
        if not found.group():
            return
        if blank_before is not None:
            yield found.start(), blank_before
        blank_before = not found.group().strip()


def _may_start_window(text: str, offset: int, off: tuple[list[int], list[int]]) -> bool:
    if text.startswith(_NEVER_FIRST, offset):
        return False
    # The regions' ends never fall as their starts rise, so the last region starting before the offset reaches furthest.
    starts, ends = off
    index = bisect.bisect_left(starts, offset) - 1
    return index < 0 or offset >= ends[index]


def off_regions(text: str) -> tuple[list[int], list[int]]:
    """Each ``unilingo: off`` region's start, and its end: the end of the first ``on`` after it (or of the text)."""
    ons = list(_ON.finditer(text))
    on_starts = [on.start() for on in ons]
    starts, ends = [], []
    for found in _OFF.finditer(text):
        following = bisect.bisect_left(on_starts, found.end())
        starts.append(found.start())
        ends.append(ons[following].end() if following < len(ons) else len(text))
    return starts, ends


def _next_line_start(text: str, position: int) -> int:
    """The start of the line after the one holding ``position``."""
    found = LINE_BREAK.search(text, position)
    return found.end() if found else len(text)


def count_line_breaks(text: str) -> int:
    """How many lines a window adds to the ones before it: its line ends, as the segmenter counts them."""
    return sum(1 for _ in LINE_BREAK.finditer(text))
