"""A translation as it must land in a cue: escaped, and wrapped into short lines.

Model output is text. In WebVTT ``&``, ``<`` and ``>`` become character
references; SubRip has none, so an arrow ``-->`` (or ``--->``) becomes ``->`` there (a
line holding it would read as a timing line), and a translation that holds
what reads as a SubRip tag is refused by ``markup_changed``. Line breaks in
the output become spaces, so no blank line ends a cue early, and the text is
wrapped again into lines of at most ``LINE_WIDTH`` characters, two lines
balanced where they fit. No line is made of digits alone (a cue number) or
starts with a dash (a dialogue line).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..._errors import InputError
from ..._document import Segment
from ..._lines import LINE_BREAK, line_start
from ._cues import parse
from ._markup import SRT_TAG, tokens

# The usual limit of characters per subtitle line (Netflix, BBC, EBU guidelines).
LINE_WIDTH = 42
# Two line endings with nothing but spaces between them (a CRLF is one ending, never two).
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)")
# An arrow of two or more dashes: "-->" replaced inside "--->" would leave "-->" again.
_ARROW = re.compile(r"-{2,}>")
# What an HTML parser would read as a tag (or comment, doctype, processing instruction).
_HTML_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
_TAG_OR_ENTITY = re.compile(r"<[^<>]*>|\{\\[^{}]*\}|&[#A-Za-z0-9]+;")


def newline_of(text: str, position: int) -> str:
    """The line ending after ``position`` (the one before it at the end of the text): what a wrapped line ends with."""
    found = LINE_BREAK.search(text, position) or LINE_BREAK.search(text)
    return found.group() if found else "\n"


def escape(output: str, vtt: bool) -> str:
    """The output as text of a cue, on one line: read as exactly these characters."""
    flat = " ".join(output.split())
    if vtt:
        return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ARROW.sub("->", flat)


def wrapped(escaped: str, newline: str, column: int = 0, whole: bool = True) -> str:
    """``escaped`` (one line) in lines of at most ``LINE_WIDTH`` characters, the first starting at ``column``.

    A whole cue's text in two lines is balanced (the longer line as short as
    it can be); otherwise each line takes as many words as fit. A word longer
    than a line has a line of its own.
    """
    words = escaped.split(" ")
    # Only text that two lines can hold is balanced: a few dozen words, so trying every cut stays cheap.
    if whole and column == 0 and LINE_WIDTH < _width(escaped) <= 2 * LINE_WIDTH + 1:
        halves = _balanced(words)
        if halves is not None:
            return newline.join(halves)
    lines: list[list[str]] = [[]]
    width = column
    for word in words:
        size = _width(word)
        needed = width + (1 if lines[-1] else 0) + size
        if needed > LINE_WIDTH and (lines[-1] or width) and _may_start_line(word):
            lines.append([])
            needed = size
        lines[-1].append(word)
        width = needed
    # An empty first line: the line so far was full, so the text starts on the next one.
    return newline.join(" ".join(line) for line in lines)


def fragment(characters: str, column: int, at_line_end: bool, vtt: bool, newline: str) -> str:
    """Part of a cue's text between its markup, escaped and wrapped on from ``column``.

    A space at its edges stays one space, but at the start or end of a line.
    """
    body = escape(characters, vtt)
    lead = characters[:1].isspace() and column > 0
    trail = characters[-1:].isspace() and not at_line_end
    if not body:
        return " " if (lead or trail) and column and not at_line_end else ""
    lines = wrapped(body, newline, column + lead, whole=column == 0 and at_line_end)
    if lines.startswith(newline):
        lead = False
    return (" " if lead else "") + lines + (" " if trail else "")


def _balanced(words: list[str]) -> list[str] | None:
    """The two lines, each within the limit, whose longer one is shortest; None when two lines cannot hold the words."""
    best = None
    for cut in range(1, len(words)):
        if not _may_start_line(words[cut]):
            continue
        top, bottom = " ".join(words[:cut]), " ".join(words[cut:])
        longer = max(_width(top), _width(bottom))
        if longer <= LINE_WIDTH and (best is None or longer < best[0]):
            best = (longer, [top, bottom])
    return best[1] if best is not None else None


def _may_start_line(word: str) -> bool:
    """Whether a line may start with ``word``: not one a reader (or a parser) takes for a cue number or a speaker's dash."""
    shown = _TAG_OR_ENTITY.sub("", word)
    return bool(shown) and not shown.isdigit() and shown[0] not in "-\u2013\u2014"


def _width(text: str) -> int:
    """Characters a viewer sees: tags and character references count as what they show (a reference, one)."""
    return len(_TAG_OR_ENTITY.sub(lambda match: "" if match.group()[0] in "<{" else "&", text))


def column_before(text: str, position: int) -> int:
    """How many characters a viewer sees on the line before ``position``, or ``LINE_WIDTH + 1`` for any more.

    Wrapping treats every column past the limit alike (the next word starts a
    new line), so a cue line of a megabyte is not measured again from its
    start for each piece of text between its tags.
    """
    start = line_start(text, position)
    if position >= _line_full(text, start):
        return LINE_WIDTH + 1
    return _width(text[start:position])


@lru_cache(maxsize=16)
def _line_full(text: str, start: int) -> int:
    """Where the line from ``start`` first holds more than LINE_WIDTH characters a viewer sees (past its end if never)."""
    end = LINE_BREAK.search(text, start)
    end = len(text) if end is None else end.start()
    seen, cursor = 0, start
    # Read as _width reads a slice of the line: a tag or reference counts as what it shows.
    for found in _TAG_OR_ENTITY.finditer(text, start, end):
        if seen + found.start() - cursor > LINE_WIDTH:
            return cursor + LINE_WIDTH - seen + 1
        seen += found.start() - cursor + (found.group()[0] == "&")
        if seen > LINE_WIDTH:
            return found.end()
        cursor = found.end()
    return cursor + LINE_WIDTH - seen + 1 if seen + end - cursor > LINE_WIDTH else len(text) + 1


def markup_changed(text: str, segment: Segment, output: str, vtt: bool) -> str | None:
    """How ``output``, the segment as it goes into the file, would change its cues; None when it keeps them.

    The separators between cues (timing lines and numbers) must come back in
    their order, each cue must keep some words and no blank line, and the tags
    must be those of the original, in any order.
    """
    separators = [text[span.start : span.inner_start] for span in (segment.inline.spans if segment.inline else ()) if span.kind == "cue"]
    texts = _cue_texts(output, separators)
    if texts is None:
        return "the cues would come back in another order"
    if sum(piece.count("-->") for piece in texts):
        return "the translation would hold a timing line"
    if any(not any(char.isalnum() for char in piece) for piece in texts):
        return "a cue would be left without words"
    if any(_BLANK_LINE.search(piece) for piece in texts):
        return "the translation would end a cue early (a blank line)"
    if _tags("".join(_cue_texts(segment.text, separators) or ()), vtt) != _tags("".join(texts), vtt):
        return "the translation would hold other subtitle tags"
    return None


def _cue_texts(output: str, separators: list[str]) -> list[str] | None:
    """The text of each cue in ``output``, split at the separators in their order; None when they are not all there in order."""
    texts, position = [], 0
    for separator in separators:
        found = output.find(separator, position)
        if found < 0:
            return None
        texts.append(output[position:found])
        position = found + len(separator)
    texts.append(output[position:])
    return texts


def _tags(text: str, vtt: bool) -> list[str]:
    found = [text[token.start : token.end] for token in tokens(text, 0, len(text), vtt) if token.kind not in ("text", "char")]
    if not vtt:
        # Players and web pages that show SubRip read HTML in it ("<img src=x onerror=...>"), not only SubRip's own tags.
        found += [tag.group() for tag in _HTML_TAG.finditer(text) if not SRT_TAG.fullmatch(tag.group())]
    return sorted(found)


def same_cues(original: str, output: str, vtt: bool) -> bool:
    """Whether ``output`` reads as the same blocks and cues as ``original``: numbers, identifiers, timings and settings, and every other block."""
    try:
        before, after = parse(original, vtt), parse(output, vtt)
    except InputError:
        return False
    if len(before.blocks) != len(after.blocks):
        return False
    return all(_outline(original, one) == _outline(output, other) for one, other in zip(before.blocks, after.blocks))


def _outline(text: str, block) -> tuple[bool, str]:
    """A block as a translation must keep it: a cue up to its text, anything else whole."""
    cue = block.cue
    if cue is None:
        return False, text[block.start : block.end]
    return True, text[block.start : cue.text[0].start if cue.text else block.end]
