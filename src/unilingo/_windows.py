"""Windows: where a large document may be cut so that each piece segments as it does inside the whole.

``detect`` and ``check`` decide a large file window by window, so that their
memory follows the window, not the file. Plain text is cut at a paragraph's
first line. Markdown is cut only where CommonMark's own block parser, run over
the window and some text after it, starts a new top-level block after a blank
line: never inside a fence, an HTML block, a list or a quote, since what
starts a top-level block depends only on the lines before it. Neither is cut
inside a ``unilingo: off`` region, before a comment (an inline original
belongs to the block before it) or before what could read as front matter.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from markdown_it import MarkdownIt

from ._frontmatter import find_front_matter
from ._segment import _Lines, _parse_view, _parser

# Documents up to this size are decided whole; larger ones in windows of about this size.
WINDOW_CHARS = 2_000_000

# Lines as the segmenter counts them: only CR, LF and CRLF end one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_OFF = re.compile(r"<!--\s*unilingo:\s*off\s*-->")
_ON = re.compile(r"<!--\s*unilingo:\s*on\s*-->")
# A window starting with one of these would read it as front matter, or part an inline original from its block.
_NEVER_FIRST = ("---", "+++", "<!--")


def window_starts(text: str, markdown: bool, size: int = WINDOW_CHARS) -> list[int]:
    """Offsets where windows of ``text`` start: 0, then a cut once a window has reached ``size`` characters.

    A document without a place to cut is one window.
    """
    starts = [0]
    if len(text) <= size:
        return starts
    off = [(found.start(), _on_after(text, found.end())) for found in _OFF.finditer(text)]
    while True:
        cut = _next_cut(text, starts[-1], size, markdown, off)
        if cut is None:
            return starts
        starts.append(cut)


def _next_cut(text: str, start: int, size: int, markdown: bool, off: list[tuple[int, int]]) -> int | None:
    """The first allowed cut at least ``size`` characters after ``start``, reading ever more text until one turns up."""
    reach = size + max(size // 4, 4096)
    while True:
        chunk_end = _line_start(text, start + reach) if start + reach < len(text) else len(text)
        lines = _lines_from(text, start, chunk_end) if not markdown else _block_starts(text, start, chunk_end)
        for offset, blank_before in lines:
            if offset >= start + size and blank_before and _may_start_window(text, offset, off):
                return offset
        if chunk_end == len(text):
            return None
        reach *= 2


def _lines_from(text: str, start: int, end: int) -> Iterator[tuple[int, bool]]:
    """Each line start in ``text[start:end]`` but the first, and whether a blank line (non-breaking spaces too) comes before it."""
    blank_before = None
    for found in _LINE.finditer(text, start, end):
        if not found.group():
            return
        if blank_before is not None:
            yield found.start(), blank_before
        blank_before = not found.group().strip()


def _block_starts(text: str, start: int, end: int) -> Iterator[tuple[int, bool]]:
    """Where CommonMark starts top-level blocks in ``text[start:end]``, but in its last line, and whether a blank line comes before."""
    chunk = text[start:end]
    chunk_lines = _Lines(chunk)
    front = find_front_matter(chunk, chunk_lines.starts, chunk_lines.ends) if start == 0 else None
    last = len(chunk_lines) - 1
    for token in _block_parser().parse(_parse_view(chunk, front)):
        if token.level or token.map is None or not 0 < token.map[0] < last:
            continue
        number = token.map[0]
        previous = chunk[chunk_lines.start(number - 1) : chunk_lines.end(number - 1)]
        yield start + chunk_lines.start(number), not previous.strip(" \t")


def _may_start_window(text: str, offset: int, off: list[tuple[int, int]]) -> bool:
    return not text.startswith(_NEVER_FIRST, offset) and not any(region_start < offset < region_end for region_start, region_end in off)


def _on_after(text: str, position: int) -> int:
    on = _ON.search(text, position)
    return on.end() if on else len(text)


def _line_start(text: str, position: int) -> int:
    """The start of the line after the one holding ``position``."""
    found = _LINE_BREAK.search(text, position)
    return found.end() if found else len(text)


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """The segmenter's parser, blocks only: where blocks start, without reading their text."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable(["inline", "text_join"])


def count_line_breaks(text: str) -> int:
    """How many lines a window adds to the ones before it: its line ends, as the segmenter counts them."""
    return sum(1 for _ in _LINE_BREAK.finditer(text))
