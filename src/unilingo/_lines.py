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
# What may stand before an ATX heading's text: indentation, quote and list markers, then its opening sequence.
HEADING_OPENING = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)*#{1,6}[ \t]")
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
    in. Up to the line's first character that no marker uses the stand-in is
    the line itself. Past it, it keeps of the markers only a heading's "# "
    where they open one (nothing after that character can be a marker), then
    that character, the line's last angle bracket and that reference or last
    character.
    """
    start = line_start(text, offset)
    markers_end = opening_markers_end(text, start)
    if offset <= markers_end + 1:
        return text[start:offset]
    heading = "# " if _opens_heading(text, start) else ""
    return heading + text[markers_end] + _last_bracket(text, start, offset) + (open_reference_before(text, offset, start) or text[offset - 1])


@lru_cache(maxsize=16)
def opening_markers_end(text: str, line_start: int) -> int:
    """Where the run of marker characters that opens the line starting at ``line_start`` ends.

    Kept per line: that run may be a megabyte of "> " before thousands of sentences.
    """
    return _MARKER_RUN.match(text, line_start).end()


@lru_cache(maxsize=16)
def _opens_heading(text: str, line_start: int) -> bool:
    return HEADING_OPENING.match(text, line_start, opening_markers_end(text, line_start)) is not None


def _last_bracket(text: str, start: int, end: int) -> str:
    bracket = last_of(text, "<>", start, end)
    return text[bracket] if bracket >= 0 else ""


_REFERENCE_NAME_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Longer than any entity's name (CounterClockwiseContourIntegral): a longer run is a numeric reference's digits or no name.
_NAME_SHOWN = 32


def open_reference_before(text: str, offset: int, start: int = 0) -> str:
    """The HTML character reference without its ";" that ends at ``offset`` ("&#xf", "&nbsp", "&#"), or "" where none does.

    Such a reference goes on into the letters, digits or ";" written after it.
    A name longer than any entity's (a numeric reference's digits, which HTML
    reads however many) is cut to its last characters: it reads as open all
    the same.
    """
    at = _name_start(text, offset, start)
    for lead in ("&#", "&"):
        if at - start >= len(lead) and text.startswith(lead, at - len(lead)):
            return lead + text[max(at, offset - _NAME_SHOWN) : offset]
    return ""


def _name_start(text: str, offset: int, start: int) -> int:
    """Where the run of reference-name characters that ends at ``offset`` starts, not before ``start``."""
    at = offset
    near = max(start, offset - _NAME_SHOWN)
    while at > near and text[at - 1] in _REFERENCE_NAME_CHARS:
        at -= 1
    if at > near or near == start:
        return at
    # A run longer than a name: a letter or digit before each of thousands of sentences would be walked back over each time.
    starts = _long_name_runs(text)
    return max(start, starts[bisect.bisect_right(starts, offset - 1) - 1])


@lru_cache(maxsize=16)
def _long_name_runs(text: str) -> list[int]:
    """The start of each run of reference-name characters as long as ``_NAME_SHOWN`` or longer."""
    return [match.start() for match in re.finditer(r"(?<![0-9A-Za-z])[0-9A-Za-z]{%d,}" % _NAME_SHOWN, text)]


@lru_cache(maxsize=16)
def _offsets_of(text: str, chars: str) -> list[int]:
    return [match.start() for match in re.finditer("[" + re.escape(chars) + "]", text)]
