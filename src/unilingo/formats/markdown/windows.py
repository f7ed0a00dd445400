"""Where a large Markdown document may be cut: where CommonMark's own block parser starts a top-level block.

What starts a top-level block depends only on the lines before it, so a cut
there is never inside a fence, an HTML block, a list or a quote, whatever the
text after the window holds.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from markdown_it import MarkdownIt

from ..._frontmatter import find_front_matter
from ..._sentences import Lines
from .walker import parse_view


def block_starts(text: str, start: int, end: int) -> Iterator[tuple[int, bool]]:
    """Where CommonMark starts top-level blocks in ``text[start:end]``, but in its last line, and whether a blank line comes before."""
    chunk = text[start:end]
    chunk_lines = Lines(chunk)
    front = find_front_matter(chunk, chunk_lines.starts, chunk_lines.ends) if start == 0 else None
    last = len(chunk_lines) - 1
    for token in _block_parser().parse(parse_view(chunk, front)):
        if token.level or token.map is None or not 0 < token.map[0] < last:
            continue
        number = token.map[0]
        previous = chunk[chunk_lines.start(number - 1) : chunk_lines.end(number - 1)]
        yield start + chunk_lines.start(number), not previous.strip(" \t")


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """The segmenter's parser, blocks only: where blocks start, without reading their text."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable(["inline", "text_join"])
