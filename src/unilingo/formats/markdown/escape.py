"""Markdown: model output is text, so it must land in Markdown as text.

A translation spliced in unescaped can open a list ("1. Bundesliga"), a
heading, a quote, emphasis ("*wichtig*"), a link or raw HTML, and so change
the document's structure. Each character is escaped only where CommonMark (with
tables and strikethrough, as the segmenter parses) could read it as markup at
the place the segment sits, so ordinary sentences land byte for byte as the
model wrote them.
"""

from __future__ import annotations

import re

from ..._lines import HEADING_OPENING, line_before, line_start, opening_markers_end


# What may stand before the first text of a line: indentation, quote markers,
# list markers and an ATX heading's opening sequence.
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)]|#{1,6})[ \t]))*[ \t]*")
# First characters that open a block (or a setext underline, thematic break or fence) at the start of a line.
_BLOCK_STARTERS = frozenset("#>-+*=_~")
_ORDERED_MARKER = re.compile(r"\d{1,9}(?=[.)](?:[ \t]|$))")
# Escaped wherever they are: a backslash escapes what follows it (or breaks the
# line at its end), brackets make links (and "![" images), a pipe splits a table row.
_ALWAYS = frozenset("\\[]|")
# A backslash does not stop a backtick from closing a code span that an
# unmatched backtick before it opened, nor a '>' from closing a tag or autolink
# that an unmatched '<' opened; a character reference does.
_BACKTICK = "&#96;"
_GREATER = "&gt;"
# Python-Markdown (MkDocs) and Markdown.pl have no "\<" escape: there "\<script>"
# is a backslash and a live tag. A character reference is text to every Markdown.
_LESS = "&lt;"
# "{...}" sets attributes ("{: onclick=...}") on the heading, paragraph or link it ends or follows to
# Python-Markdown's attr_list, kramdown and Pandoc, and "{{ }}", "{% %}" run as Liquid in Jekyll and as
# shortcodes in Hugo, which read the file before any Markdown escape: a character reference is text to all.
_BRACE = "&#123;"
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A reference without its ";" that ends the output: the next sentence's translation, written right after it, may finish it.
_OPEN_REFERENCE = re.compile(r"&#?[0-9A-Za-z]*")
# An autolink, raw HTML, an HTML comment or processing instruction starts with one of these after "<".
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_LINE_BREAK = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


def escape_markdown(output: str, text: str, start: int, end: int) -> str:
    """``output`` escaped to render as exactly its own characters in place of ``text[start:end]``.

    Whitespace around it goes (the segment had none, and a space next to an
    emphasis marker unmakes it), and a line break inside it becomes a space,
    since a segment lies within one line.
    """
    output = _LINE_BREAK.sub(" ", output).strip()
    return escape_fragment(output, line_before(text, start), text[end : end + 1])


def escape_fragment(fragment: str, before: str, after: str) -> str:
    """A piece of translated text escaped to render as its own characters between markup.

    ``before`` is everything on its line before it (the document's line
    prefix, then what the sentence has put out so far), ``after`` the
    character that follows it ("" at the end of the text). Unlike
    ``escape_markdown`` its spaces stay: they separate it from the markers
    around it.
    """
    prefix = before[max(before.rfind("\n"), before.rfind("\r")) + 1 :]
    in_tag = prefix.rfind("<") > prefix.rfind(">")
    escaped = _escape_inline(fragment, before[-1:] or "\n", after or "\n", HEADING_OPENING.match(prefix) is not None, in_tag)
    if _CONTAINER_PREFIX.fullmatch(prefix):
        escaped = _escape_line_start(escaped)
    return escaped


def starts_line(text: str, start: int) -> bool:
    """Whether only indentation and container markers (quotes, list items, a heading's) stand before ``start`` on its line."""
    line = line_start(text, start)
    # A character that no marker uses before ``start`` settles it without reading the markers again for each sentence.
    return start <= opening_markers_end(text, line) and _CONTAINER_PREFIX.fullmatch(text, line, start) is not None


def _escape_line_start(output: str) -> str:
    """Keep the first text of a line from starting a block there."""
    if output[:1] in _BLOCK_STARTERS:
        return "\\" + output
    marker = _ORDERED_MARKER.match(output)
    if marker:
        return f"{output[: marker.end()]}\\{output[marker.end() :]}"
    return output


def _escape_inline(output: str, before: str, after: str, in_heading: bool, in_tag: bool) -> str:
    padded = f"{before}{output}{after}"
    last_brace = padded.rfind("}")
    pieces = []
    for position, char in enumerate(output, start=1):
        if char == "`":
            pieces.append(_BACKTICK)
        elif char == "{":
            pieces.append(_BRACE if position < last_brace else char)
        elif char == ">" and in_tag:
            pieces.append(_GREATER)
        elif char == "<" and _TAG_START.match(padded, position):
            pieces.append(_LESS)
        else:
            pieces.append(f"\\{char}" if _needs_escape(padded, position, in_heading) else char)
    return "".join(pieces)


def _needs_escape(padded: str, position: int, in_heading: bool) -> bool:
    """Whether ``padded[position]`` could be read as markup; ``padded`` is the output between its neighbours."""
    char = padded[position]
    if char in _ALWAYS:
        return True
    if char in "*_":
        return _may_delimit(padded, position)
    if char == "~":
        return "~" in (padded[position - 1], padded[position + 1])
    if char == "&":
        return _ENTITY.match(padded, position) is not None or _OPEN_REFERENCE.fullmatch(padded, position, len(padded) - 1) is not None
    return char == "#" and in_heading and _may_close_heading(padded, position)


def _may_delimit(padded: str, position: int) -> bool:
    """Whether the run of '*' or '_' holding ``padded[position]`` could open or close emphasis.

    It cannot when it has whitespace on both sides, nor, for '_', letters or
    digits on both sides (inside a word); anywhere else it is escaped.
    """
    char = padded[position]
    first = position
    while padded[first - 1] == char and first - 1 > 0:
        first -= 1
    last = position
    while padded[last + 1] == char and last + 1 < len(padded) - 1:
        last += 1
    left, right = padded[first - 1], padded[last + 1]
    if left.isspace() and right.isspace():
        return False
    return not (char == "_" and left.isalnum() and right.isalnum())


def _may_close_heading(padded: str, position: int) -> bool:
    """Whether this '#' is in a run that ends the output after a space: an ATX heading would drop it."""
    first = position
    while padded[first - 1] == "#" and first - 1 > 0:
        first -= 1
    return padded[position:-1].strip("#") == "" and padded[first - 1].isspace()
