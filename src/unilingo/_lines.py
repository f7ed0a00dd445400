"""Where the line holding an offset starts, and what of it comes before the offset, found without reading the line.

A minified page, a one-line Markdown file or a subtitle cue line can be a
megabyte long and hold thousands of sentences: searching back from each of
them to the start of its line would be quadratic. A search back stops after
a short way; one that would go further bisects the offsets of the characters
sought, found once per text.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

# A line ending: CRLF, a lone CR or LF.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The characters of a line's container and heading markers (block quotes, list items, headings).
MARKER_CHARS = frozenset(" \t>-+*#0123456789.)")
_MARKER_RUN = re.compile("[" + re.escape("".join(sorted(MARKER_CHARS))) + "]*")
# Most lines are shorter: their texts never need an index.
_SEARCHED_BACK = 4096


def last_of(text: str, chars: str, start: int, end: int) -> int:
    """The offset of the last of ``chars`` in ``text[start:end]``, or -1."""
    near = max(start, end - _SEARCHED_BACK)
    found = max(text.rfind(char, near, end) for char in chars)
    if found >= 0 or near == start:
        return found
    offsets = _offsets_of(text, chars)
    index = bisect.bisect_left(offsets, end) - 1
    return offsets[index] if index >= 0 and offsets[index] >= start else -1


def line_start(text: str, offset: int, breaks: str = "\n\r") -> int:
    """Where the line holding ``offset`` starts: just after the last of ``breaks`` before it (by default a lone CR too)."""
    return last_of(text, breaks, 0, offset) + 1


def line_before(text: str, offset: int) -> str:
    """A short stand-in for the line before ``offset``, which answers what escaping asks of it as the whole line does.

    Escaping reads the line's leading markers, whether a "<" follows its last
    ">", and its last character, or the reference without its ";" it ends
    in. The stand-in keeps the line up to its first character that no marker
    uses, then its last angle bracket and that reference or last character.
    """
    start = line_start(text, offset)
    opening_end = _MARKER_RUN.match(text, start, offset).end() + 1
    if opening_end >= offset:
        return text[start:offset]
    bracket = last_of(text, "<>", start, offset)
    return text[start:opening_end] + (text[bracket] if bracket >= 0 else "") + (open_reference_before(text, offset, start) or text[offset - 1])


_REFERENCE_NAME_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def open_reference_before(text: str, offset: int, start: int = 0) -> str:
    """The HTML character reference without its ";" that ends at ``offset`` ("&#xf", "&nbsp", "&#"), or "" where none does.

    Such a reference goes on into the letters, digits or ";" written after it.
    """
    at = offset
    while at > start and text[at - 1] in _REFERENCE_NAME_CHARS:
        at -= 1
    for lead in ("&#", "&"):
        if at - start >= len(lead) and text.startswith(lead, at - len(lead)):
            return text[at - len(lead) : offset]
    return ""


@lru_cache(maxsize=16)
def _offsets_of(text: str, chars: str) -> list[int]:
    return [match.start() for match in re.finditer("[" + re.escape(chars) + "]", text)]
