"""Markdown: each translated top-level block followed by an HTML comment holding its original, and found again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._document import INLINE_MARK
from ..._errors import InputError
from ..._frontmatter import find_front_matter
from ..._originals import InlineOriginal, Shifts, belonging, inline_comment, inline_original, newline_after, outermost
from ..._sentences import Lines
from .walker import parse_view, parser

if TYPE_CHECKING:
    from ..._merge import Document


def with_inline_originals(document: Document) -> str:
    changed = sorted({segment.block for segment in document.segments if segment.output is not None})
    shifts = Shifts(outermost(document.segments))  # an image's alt text in a sentence moves with the sentence
    pieces, position = [], 0
    for index in changed:
        block = document.blocks[index]
        end = shifts.to_output(block.end)
        newline = newline_after(document.original, block.end)
        pieces.append(document.text[position:end])
        pieces.append(newline + inline_comment(document.original[block.start : block.end], newline))
        position = end
    pieces.append(document.text[position:])
    return "".join(pieces)


def inline_originals(text: str, where: str) -> list[InlineOriginal]:
    lines = Lines(text)
    # The front matter is no token of the parser's, yet a block: its original comes right after it.
    front = find_front_matter(text, lines.starts, lines.ends)
    view = parse_view(text, front)
    top_level = [token for token in parser().parse(view) if token.level == 0 and token.map and token.nesting >= 0]
    found = []
    for previous, token in zip([None, *top_level], top_level):
        if token.type != "html_block" or not token.content.startswith(INLINE_MARK):
            continue
        first, stop = token.map
        if previous is None and front is not None and front.stop_line == first:
            block_start = 0
        elif previous is None or previous.map[1] != first:
            raise InputError(f"{where}:{first + 1}: an inline original that does not follow its block; was the file edited?")
        else:
            block_start = lines.start(previous.map[0])
        if previous is not None and previous.type == "html_block" and previous.content.startswith(INLINE_MARK):
            raise InputError(f"{where}:{first + 1}: an inline original that follows another one instead of its block, "
                             f"a copy? unilingo cannot tell which block it belongs to: remove the copy; the file was left as it is")  # fmt: skip
        comment_start, comment_end = lines.start(first), lines.end(stop - 1)
        found.append(inline_original(text, block_start, comment_start, comment_end, where, first))
    return belonging(text, found, where)
