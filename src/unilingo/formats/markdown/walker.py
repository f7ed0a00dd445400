"""Markdown: the CommonMark walker that finds each line of prose and its inline markup at exact offsets.

Whatever the parser cannot map back to the source exactly is left out, and
so left untouched; it is listed as unsegmented with the reason, so a report
never passes over it in silence.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from ..._document import BOM, INLINE_MARK, Block, Element
from ..._frontmatter import FrontMatter
from ..._sentences import Lines, continues

_LF = re.compile("\n")
NESTING_REASON = "nested deeper than the Markdown parser follows ({limit} levels); left as it is"
UNMAPPABLE_REASON = "inline markup unilingo cannot map to exact offsets; left as it is"


def alt_texts(text: str, elements: list[Element]) -> list[tuple[int, int]]:
    """The alt text of each image among ``elements``, as a segment of its own.

    Only plain alt text: markup in it renders as plain text, so a
    translation could not keep it. An image inside a sentence is a
    protected span of that sentence, and its alt text a segment inside it.
    """
    found = []
    for element in elements:
        if element.kind != "image":
            continue
        start, end = element.start + 2, _matching_bracket(text, element.start + 1)
        alt = text[start:end]
        # Nor one over a line break: in a quote or list item its lines carry the container's prefix.
        if alt.strip() and not any(char in alt for char in _ALT_MARKUP + "\n\r") and any(char.isalnum() for char in alt):
            found.append((start + len(alt) - len(alt.lstrip()), end - (len(alt) - len(alt.rstrip()))))
    return found


# Characters that may be markup in an image's alt text.
_ALT_MARKUP = "*_`[]<>\\&!~"




class _Unmappable(Exception):
    """Inline markup the walker cannot place exactly: leave that block alone."""


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough, as the walker, the escaper and the checks read Markdown."""
    markdown = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Without text_join, every text token is a verbatim slice of the source.
    markdown.disable("text_join")
    return markdown


def parse_view(text: str, front: FrontMatter | None) -> str:
    """The text as the parser should see it, character for character the same length.

    markdown-it turns CRLF into LF, which would shift offsets: a CR becomes a
    space (trailing, harmless) or a newline. The front matter becomes blank
    lines, and a byte-order mark a space (a block may start after up to three).
    """
    view = text.replace("\r\n", " \n").replace("\r", "\n")
    if view.startswith(BOM):
        view = " " + view[1:]
    if front is not None:
        view = re.sub(r"[^\n]", " ", view[: front.end]) + view[front.end :]
    return view


def structure(
    text: str, text_lines: Lines, front: FrontMatter | None
) -> tuple[list[Block], list[list[Element]], list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Top-level blocks, lines of prose, the blocks that have their inline original after them, and what cannot be segmented."""
    view = parse_view(text, front)
    # Same line starts as the text; the ends differ only where a CR became a space.
    lines = Lines(view) if "\r" in text else text_lines
    blocks: list[Block] = [Block(0, front.end)] if front else []
    runs: list[list[Element]] = []
    translated: list[tuple[int, int]] = []
    unsegmented: list[tuple[int, int, str]] = []
    previous_stop = front.stop_line if front else None
    cell: int | None = None  # the column of the table cell being read, if any
    column = -1
    markdown = parser()
    max_nesting = markdown.options["maxNesting"]
    for token in markdown.parse(view):
        if token.level == 0 and token.map and token.nesting >= 0:
            first, stop = token.map
            if token.type == "html_block" and token.content.startswith(INLINE_MARK) and blocks and previous_stop == first:
                translated.append((blocks[-1].start, blocks[-1].end))
            previous_stop = stop
            last = stop - 1
            while last > first and text_lines.is_blank(last):
                last -= 1
            blocks.append(Block(text_lines.start(first), text_lines.end(last)))
        if token.type == "tr_open":
            column = -1
        elif token.type in ("th_open", "td_open"):
            column += 1
            cell = column
        elif token.type in ("th_close", "td_close"):
            cell = None
        elif token.type == "inline" and token.map:
            try:
                runs.extend(_inline_lines(token, view, lines, cell))
            except _Unmappable:
                unsegmented.append((*_line_span(text, text_lines, *token.map), UNMAPPABLE_REASON))
        elif token.type in _CONTAINERS and token.level + 1 >= max_nesting and token.map:
            # The parser skips a container's content at its nesting limit: none of it becomes a token.
            unsegmented.append((*_line_span(text, text_lines, *token.map), NESTING_REASON.format(limit=max_nesting)))
    return blocks, runs, translated, unsegmented


# Blocks whose content the parser tokenizes one nesting level deeper.
_CONTAINERS = ("list_item_open", "blockquote_open")


def _line_span(text: str, lines: Lines, first: int, stop: int) -> tuple[int, int]:
    """From the first non-blank character of line ``first`` to the last one before line ``stop``."""
    start, end = lines.start(first), lines.end(stop - 1)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _inline_lines(token, view: str, lines: Lines, cell: int | None) -> list[list[Element]]:
    """The token's prose, line by line, in document offsets.

    A piece of markup that runs over a line break (a code span, a link's
    title, an image, inline HTML) is copied as it is, so a sentence wrapped
    inside it runs on over the break, as it does over a plain one; any other
    break between the lines of a token ends a line of prose.
    """
    content: str = token.content
    line_offsets = _content_line_offsets(content, token.map[0], view, lines, cell)
    content_line_starts = [0] + [match.end() for match in _LF.finditer(content)]
    result: list[list[Element]] = []
    current: list[Element] = []
    for element in _walk_inline(token.children or [], content):
        if element is not None and element.kind == "softbreak":
            line = bisect.bisect_right(content_line_starts, element.start) - 1
            start, end = element.start + line_offsets[line] - content_line_starts[line], line_offsets[line + 1]
            while view[end : end + 1] in (" ", "\t"):
                end += 1
            if current and continues(current[-1], view, start, end):
                current.append(Element("char", start, end, " "))
                continue
            element = None
        if element is not None:
            first = bisect.bisect_right(content_line_starts, element.start) - 1
            last = bisect.bisect_right(content_line_starts, max(element.start, element.end - 1)) - 1
            if first != last and element.kind in _COPIED_ACROSS_LINES:
                current.append(_across_lines(element, content, content_line_starts, line_offsets, view, first, last))
                continue
        if element is None or first != last:
            if current:
                result.append(current)
            current = []
            continue
        shift = line_offsets[first] - content_line_starts[first]
        start, end = element.start + shift, element.end + shift
        if view[start:end] != content[element.start : element.end]:
            raise _Unmappable
        # Not dataclasses.replace: this runs for each inline element of a document, and replace costs four times as much.
        current.append(Element(element.kind, start, end, element.plain, element.span, element.replacement))
    if current:
        result.append(current)
    return result


# Markup that is copied as it is, whatever lines it runs over: in the source its
# lines carry a quote's or list item's prefix, which it keeps.
_COPIED_ACROSS_LINES = frozenset({"code", "close", "image", "html"})


def _across_lines(element: Element, content: str, content_line_starts: list[int], line_offsets: list[int], view: str, first: int, last: int) -> Element:
    """``element``, which runs from content line ``first`` to ``last``, in document offsets; each of its lines checked."""
    for line in range(first, last + 1):
        piece_start = max(element.start, content_line_starts[line])
        piece_end = min(element.end, content_line_starts[line + 1] - 1) if line < last else element.end
        at = line_offsets[line] + piece_start - content_line_starts[line]
        if view[at : at + piece_end - piece_start] != content[piece_start:piece_end]:
            raise _Unmappable
    start = element.start + line_offsets[first] - content_line_starts[first]
    end = element.end + line_offsets[last] - content_line_starts[last]
    return Element(element.kind, start, end, element.plain, element.span, element.replacement)



def _content_line_offsets(content: str, first_line: int, view: str, lines: Lines, cell: int | None) -> list[int]:
    """For each line of an inline token's content, the offset of its first character in the view."""
    offsets = []
    for index, content_line in enumerate(content.split("\n")):
        number = first_line + index
        source_line = view[lines.start(number) : lines.end(number)]
        stripped = content_line.strip()
        lead = len(content_line) - len(content_line.lstrip())
        found = _locate(source_line, stripped, cell) if stripped else lead
        if found < 0:
            raise _Unmappable
        offsets.append(lines.start(number) + found - lead)
    return offsets


def _locate(source_line: str, needle: str, cell: int | None) -> int:
    # Paragraph and heading text runs to the end of its line, after any list,
    # quote or heading marker; anchoring at the end keeps "1. 1" from matching
    # the marker. A table cell is found by its column, so that a row of equal
    # cells maps too; else it must be unique on its line.
    if cell is None:
        anchored = len(source_line.rstrip()) - len(needle)
        if anchored >= 0 and source_line.startswith(needle, anchored):
            return anchored
    else:
        cells = _table_cells(source_line)
        if cell < len(cells):
            start, end = cells[cell]
            raw = source_line[start:end]
            if raw.strip() == needle:
                return start + len(raw) - len(raw.lstrip())
    found = source_line.find(needle)
    return found if found >= 0 and source_line.count(needle) == 1 else -1


def _table_cells(row: str) -> list[tuple[int, int]]:
    """Each cell of a table row as (start, end) in ``row``, split at its unescaped pipes as the parser splits it."""
    pipes = [match.end() - 1 for match in re.finditer(r"(?<!\\)(?:\\\\)*\|", row)]
    start, end = len(row) - len(row.lstrip()), len(row.rstrip())
    if pipes and pipes[0] == start:
        start, pipes = start + 1, pipes[1:]
    if pipes and pipes[-1] == end - 1:
        end, pipes = end - 1, pipes[:-1]
    bounds = [start - 1, *pipes, end]
    return [(low + 1, high) for low, high in zip(bounds, bounds[1:])]


def _walk_inline(children, content: str) -> list[Element | None]:
    """The inline tokens as elements in ``content`` offsets; None for a line break."""
    elements: list[Element | None] = []
    cursor = 0
    autolink = -1  # where the autolink being walked opened, or -1

    def advance(needle: str) -> int:
        nonlocal cursor
        found = content.find(needle, cursor)
        if found < 0:
            raise _Unmappable
        cursor = found + len(needle)
        return found

    for child in children:
        kind = child.type
        if kind == "text":
            if not child.content:
                continue
            found = advance(child.content)
            if autolink < 0:
                elements.append(Element("text", found, cursor, child.content))
        elif kind == "softbreak":
            before = cursor
            advance("\n")
            elements.append(Element("softbreak", before, cursor))
        elif kind == "hardbreak":
            advance("\n")
            elements.append(None)
        elif kind == "text_special":
            found = advance(child.markup)
            elements.append(Element("char", found, cursor, child.content))
        elif kind == "code_inline":
            found = advance(child.markup)
            advance(child.markup)
            elements.append(Element("code", found, cursor))
        elif kind == "html_inline":
            found = advance(child.content)
            elements.append(Element("html", found, cursor))
        elif kind in _EMPHASIS:
            found = advance(child.markup)
            elements.append(Element("open" if kind.endswith("_open") else "close", found, cursor, span=_EMPHASIS[kind]))
        elif kind == "link_open":
            if child.markup == "autolink":
                autolink = advance("<")
            else:
                elements.append(Element("open", advance("["), cursor, span="link"))
        elif kind == "link_close":
            if autolink >= 0:
                advance(">")
                elements.append(Element("autolink", autolink, cursor))
                autolink = -1
                continue
            tail = cursor
            cursor = _skip_link_tail(content, cursor)
            elements.append(Element("close", tail, cursor, span="link"))
            _protect_label_links(elements, content)
        elif kind == "image":
            opening = advance("![")
            cursor = _skip_link_tail(content, _matching_bracket(content, opening + 1))
            elements.append(Element("image", opening, cursor))
        else:
            raise _Unmappable
    return elements


_EMPHASIS = {
    f"{name}_{side}": name for name in ("em", "strong", "s") for side in ("open", "close")
}


def _protect_label_links(elements: list[Element | None], content: str) -> None:
    """A link whose text is its reference label (``[text]``, ``[text][]``), or has no text, is copied as it is.

    Translating such a text would break the link, and an empty one has no words to carry its markers.
    """
    close = elements[-1]
    depth = 0
    for index in range(len(elements) - 1, -1, -1):
        element = elements[index]
        if element is not None and element.kind == "close" and element.span == "link":
            depth += 1
        elif element is not None and element.kind == "open" and element.span == "link":
            depth -= 1
            if depth == 0:
                break
    else:
        raise _Unmappable
    inside = elements[index + 1 : -1]
    tail = content[close.start : close.end]
    if tail in ("]", "][]") or not any(e is not None and e.kind in ("text", "char") for e in inside):
        if any(e is None for e in inside):
            return  # its markers end up on different lines, which keep to the runs between markup
        elements[index:] = [Element("reference", elements[index].start, close.end)]


def _matching_bracket(content: str, opening: int) -> int:
    depth = 0
    position = opening
    while position < len(content):
        char = content[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise _Unmappable


def _skip_link_tail(content: str, position: int) -> int:
    """From the ']' closing a link text, past '(dest "title")', '[label]' or nothing."""
    if not content.startswith("]", position):
        raise _Unmappable
    position += 1
    if content.startswith("[", position):
        closing = content.find("]", position)
        if closing < 0:
            raise _Unmappable
        return closing + 1
    if not content.startswith("(", position):
        return position
    limit = len(content)
    position = _skip_space(content, position + 1)
    destination = parseLinkDestination(content, position, limit)
    if destination.ok:
        position = _skip_space(content, destination.pos)
        title = parseLinkTitle(content, position, limit)
        if title.ok:
            position = _skip_space(content, title.pos)
    if not content.startswith(")", position):
        raise _Unmappable
    return position + 1


def _skip_space(content: str, position: int) -> int:
    while position < len(content) and content[position] in " \t\n":
        position += 1
    return position
