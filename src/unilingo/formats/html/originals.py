"""HTML: each translated block followed by a comment holding its original, each ``lang`` set to the target by one holding its old value."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..._document import INLINE_MARK
from ..._errors import InputError
from ..._originals import EditShifts, InlineOriginal, belonging, inline_comment, inline_original, outermost, restore
from ..._sentences import Lines
from .structure import structure

if TYPE_CHECKING:
    from ..._merge import Document

# After an HTML start tag whose lang inline originals set to the target: the value it had, as written.
LANG_MARK = "<!-- unilingo:lang"


def with_inline_originals(document: Document) -> str:
    """Each translated block's original in a comment after it, and each lang set to the target its old value after its tag.

    A ValueError where the translated text lies where a comment is no
    comment (a title, an unclosed code element) or cannot go (an attribute
    value): keep a sidecar there.
    """
    if any(segment.output is not None and segment.attribute for segment in document.segments):
        raise ValueError("a translated attribute value has no place for its original; keep a sidecar")
    changed = sorted({segment.block for segment in document.segments if segment.output is not None})
    found = structure(document.original)
    if set(changed) & found.no_inline_original:
        raise ValueError("a translated title, or a block ending in an unclosed code element, has no place for its original; keep a sidecar")
    outer = outermost(document.segments)
    tag_ends = {mark.start: mark.content_start for mark in found.marks}
    insertions = [(document.blocks[index].end, inline_comment(document.original[document.blocks[index].start : document.blocks[index].end], "\n"))
                  for index in changed]  # fmt: skip
    for start, end, _ in document.languages_set:
        if any(segment.start <= start < segment.end for segment in outer) or start not in tag_ends:
            raise ValueError("a lang set inside a translated sentence has no place for its old value; keep a sidecar")
        if not _keepable(document.original[start:end]):
            raise ValueError("a lang value that restore would not read back from a comment; keep a sidecar")
        insertions.append((tag_ends[start], f"{LANG_MARK} {document.original[start:end]} -->"))
    replaced = [(segment.start, segment.end, segment.output) for segment in outer if segment.output is not None]
    shifts = EditShifts(sorted(replaced + list(document.languages_set)))
    pieces, position = [], 0
    for offset, comment in sorted(insertions):
        at = shifts.to_output(offset)
        pieces += [document.text[position:at], comment]
        position = at
    pieces.append(document.text[position:])
    return "".join(pieces)


def inline_originals(text: str, where: str) -> list[InlineOriginal]:
    """Each comment that follows a block with its original, as the segmenter finds them in the page."""
    lines = Lines(text)
    found = []
    for block_start, comment_end in structure(text).translated:
        comment_start = text.rfind(INLINE_MARK, block_start, comment_end)
        found.append(inline_original(text, block_start, comment_start, comment_end, where, lines.line_of(comment_start)))
    return belonging(text, found, where)


def restore_inline(text: str, where: str, edited: bool) -> str:
    if LANG_MARK in text:
        text = _restore_languages(text, where)
    found = inline_originals(text, where)
    restored = restore(text, found, where, edited)
    _check_read_back(restored, found, where)
    return restored


def _check_read_back(restored: str, found: list[InlineOriginal], where: str) -> None:
    """An InputError unless each original, put back, reads as its block again.

    Each original was its block when written, so the page restored must give
    it back as that block: one that does not (a reader that now starts blocks
    elsewhere, a comment edited to more or less space) would be restored a
    space too many or too few, silently. An original edited by hand and
    restored as it is (``--force``) is the user's, whatever it now reads as.
    """
    blocks = set(structure(restored).blocks)
    shift = 0
    for kept in found:
        start = kept.block_start + shift
        if not kept.edited and (start, start + len(kept.original)) not in blocks:
            raise InputError(f"{where}:{kept.line}: an inline original that would not read as its block once put back; "
                             f"was the file edited? nothing was restored")  # fmt: skip
        shift += len(kept.original) - (kept.comment_end - kept.block_start)


_LANG_COMMENT = re.compile(re.escape(LANG_MARK) + r" ([^>]*?) -->")
# One attribute value as HTML writes it, quoted or not: a kept value edited into more (a second attribute) is refused.
_ATTRIBUTE_VALUE = re.compile(r"\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+")


def _keepable(value: str) -> bool:
    """Whether a lang value, as written, is one attribute value a comment can keep: the only kind restore reads back."""
    return _ATTRIBUTE_VALUE.fullmatch(value) is not None and "--" not in value and ">" not in value


def _restore_languages(text: str, where: str) -> str:
    """The page with each lang that inline originals set to the target back to the value its comment keeps."""
    tags = {mark.content_start: mark for mark in structure(text).marks}
    pieces, position = [], 0
    for comment in _LANG_COMMENT.finditer(text):
        mark = tags.get(comment.start())
        if mark is None:
            line = Lines(text).line_of(comment.start()) + 1
            raise InputError(f"{where}:{line}: a kept lang value that follows no tag with a lang; was the file edited? "
                             f"nothing was restored")  # fmt: skip
        if not _keepable(comment.group(1)):
            line = Lines(text).line_of(comment.start()) + 1
            raise InputError(f"{where}:{line}: a kept lang value that is not one attribute value; was the file edited? "
                             f"nothing was restored")  # fmt: skip
        pieces += [text[position : mark.start], comment.group(1), text[mark.end : comment.start()]]
        position = comment.end()
    pieces.append(text[position:])
    return "".join(pieces)
