"""Inline originals: the comment after each translated block that keeps its original, and the restore.

What every format with inline originals shares: the comment's header (a
checksum of the original, base64 where the original would end the comment),
reading it back, telling an original edited by hand from a damaged one,
refusing copies, and the restore. Where the comments go and how they are
found is the format's (``Format.with_inline_originals``, ``Format.inline_originals``).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ._document import INLINE_MARK
from ._errors import InputError
from ._lines import LINE_BREAK
from ._sentences import Lines

if TYPE_CHECKING:
    from ._merge import SegmentResult

_BASE64_FLAG = "base64"
# The header names the original's checksum, so an original edited by hand is noticed and translated again.
_CHECKSUM = "sha256="
_CHECKSUM_LENGTH = 16


def outermost(segments: Sequence[SegmentResult]) -> list[SegmentResult]:
    found: list[SegmentResult] = []
    for segment in segments:
        if not found or segment.start >= found[-1].end:
            found.append(segment)
    return found

class EditShifts:
    """Replacements of non-overlapping ranges of a text, and where an offset of the original lands in the result."""

    def __init__(self, edits: list[tuple[int, int, str]]) -> None:
        self._edits = edits
        self._ends = [end for _, end, _ in edits]
        self._shifts = []
        total = 0
        for start, end, replacement in edits:
            total += len(replacement) - (end - start)
            self._shifts.append(total)

    def apply(self, text: str) -> str:
        pieces, position = [], 0
        for start, end, replacement in self._edits:
            pieces.append(text[position:start])
            pieces.append(replacement)
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def to_output(self, offset: int) -> int:
        index = bisect.bisect_right(self._ends, offset) - 1
        return offset + (self._shifts[index] if index >= 0 else 0)


class Shifts:
    """Maps an offset in the original to the output, past the replaced segments before it."""

    def __init__(self, segments: Sequence[SegmentResult]) -> None:
        self._ends = [segment.end for segment in segments]
        self._shifts = [segment.output_end - segment.end for segment in segments]

    def to_output(self, offset: int) -> int:
        index = bisect.bisect_right(self._ends, offset) - 1
        return offset + (self._shifts[index] if index >= 0 else 0)


def newline_after(text: str, offset: int) -> str:
    for newline in ("\r\n", "\n", "\r"):
        if text.startswith(newline, offset):
            return newline
    # The block ends the file without a newline: use the file's own.
    for newline in ("\r\n", "\n", "\r"):
        if newline in text:
            return newline
    return "\n"


def inline_comment(original_block: str, newline: str) -> str:
    header = f"{INLINE_MARK} {_CHECKSUM}{sha256_text(original_block)[:_CHECKSUM_LENGTH]}"
    if "-->" in original_block or "--!>" in original_block:
        # The text would end the comment early; base64 keeps it exact.
        body = base64.b64encode(original_block.encode("utf-8")).decode("ascii")
        return f"{header} {_BASE64_FLAG}{newline}{body}{newline}-->"
    return f"{header}{newline}{original_block}{newline}-->"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

def has_inline_originals(text: str) -> bool:
    return INLINE_MARK in text


@dataclass(frozen=True)
class InlineOriginal:
    """A translated block and the comment after it that holds its original."""

    block_start: int
    comment_start: int
    comment_end: int
    original: str
    edited: bool  # the original no longer matches the checksum written with it
    newline: str
    checksum: str | None  # as its header gives it; None in files of older versions
    line: int  # of the comment, from 1


def inline_original(text: str, block_start: int, comment_start: int, comment_end: int, where: str, line: int) -> InlineOriginal:
    original, checksum, newline = _comment_body(text[comment_start:comment_end], where, line)
    edited = checksum is not None and checksum != sha256_text(original)[:_CHECKSUM_LENGTH]
    return InlineOriginal(block_start, comment_start, comment_end, original, edited, newline, checksum, line + 1)


def belonging(text: str, found: list[InlineOriginal], where: str) -> list[InlineOriginal]:
    """``found``, unless a copied inline original makes it unclear which block an original belongs to.

    The same checksum twice is an original written twice: fine where each
    follows the same translated block (a paragraph the page repeats), a copy
    where the blocks differ. Restoring it, or translating it again, would
    put its original in place of some other block's text.
    """
    first_of: dict[str, InlineOriginal] = {}
    for kept in found:
        if kept.checksum is None:
            continue
        first = first_of.setdefault(kept.checksum, kept)
        if text[first.block_start : first.comment_start] != text[kept.block_start : kept.comment_start]:
            raise InputError(f"{where}:{kept.line}: an inline original with the same checksum as the one on line {first.line} "
                             f"follows another block, a copy? unilingo cannot tell which block it belongs to: "
                             f"remove the copy; the file was left as it is")  # fmt: skip
    return found


def restore(text: str, found: list[InlineOriginal], where: str, edited: bool) -> str:
    """``text`` with each block in ``found`` (its format's inline originals) back to its original.

    Every inline original in the text must be one the format places after its
    block; one it cannot place (inside a block nested past the parser's limit,
    say) makes this an InputError rather than a restore that leaves it out.
    An original that no longer matches its checksum is an InputError too,
    unless ``edited`` allows originals edited by hand.
    """
    pieces, position = [], 0
    changed = [kept for kept in found if kept.edited]
    if changed and not edited:
        raise InputError(f"{where}:{changed[0].line}: {len(changed)} inline original(s) no longer match their checksum: "
                         f"edited by hand, or damaged; nothing was restored: 'unilingo fix' translates edited originals "
                         f"again, 'unilingo restore --force' restores them as they are now")  # fmt: skip
    for kept in found:
        pieces.append(text[position : kept.block_start])
        pieces.append(kept.original)
        position = kept.comment_end
    pieces.append(text[position:])
    stray = _stray_marks(text, found)
    if stray:
        raise InputError(
            f"{where}:{Lines(text).line_of(stray[0]) + 1}: {len(stray)} inline original(s) unilingo cannot place after their block; "
            f"nothing was restored: restore those blocks by hand from the comments"
        )
    return "".join(pieces)


def _stray_marks(text: str, found: list[InlineOriginal]) -> list[int]:
    """Where ``text`` holds an inline original's mark outside every one in ``found``: one pass over both, in order."""
    ranges = sorted((kept.block_start, kept.comment_end) for kept in found)
    stray, index = [], 0
    for match in re.finditer(re.escape(INLINE_MARK), text):
        while index < len(ranges) and ranges[index][1] <= match.start():
            index += 1
        if index == len(ranges) or match.start() < ranges[index][0]:
            stray.append(match.start())
    return stray


def _comment_body(comment: str, where: str, line: int) -> tuple[str, str | None, str]:
    """The original in an inline comment, the checksum its header gives (None in older files), and its newline."""
    # The header is written on one line, ended by the newline after the block: the first line break of any kind,
    # whatever other line breaks the original holds ("\n" inside a block followed by a lone "\r").
    found = LINE_BREAK.search(comment)
    header, newline, rest = (comment[: found.start()], found.group(), comment[found.end() :]) if found else (comment, "", "")
    closing = newline + "-->"
    if not rest.endswith("-->") or not (newline + rest).endswith(closing):
        raise InputError(f"{where}:{line + 1}: an inline original without its closing '-->' on a line of its own")
    body = rest[: len(rest) - len(closing)] if len(rest) >= len(closing) else ""
    words = header[len(INLINE_MARK) :].split()
    checksums = [word[len(_CHECKSUM) :] for word in words if word.startswith(_CHECKSUM)]
    if not header.startswith(INLINE_MARK) or any(word != _BASE64_FLAG and not word.startswith(_CHECKSUM) for word in words):
        raise InputError(f"{where}:{line + 1}: unreadable inline original header {header!r}")
    checksum = checksums[0] if checksums else None
    if _BASE64_FLAG in words:
        # No one edits base64 by hand: text that does not decode, or decodes to other text than its checksum's, is damage.
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise InputError(f"{where}:{line + 1}: an inline original in base64 is damaged (not base64 of UTF-8 text); "
                             f"the file was left as it is: restore that block by hand") from None  # fmt: skip
        if checksum is not None and checksum != sha256_text(body)[:_CHECKSUM_LENGTH]:
            raise InputError(f"{where}:{line + 1}: an inline original in base64 does not match its checksum: it is damaged; "
                             f"the file was left as it is: restore that block by hand")  # fmt: skip
    return body, checksum, newline or "\n"
