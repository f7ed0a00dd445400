"""Segmenter: paragraphs, lines and sentences with exact offsets into the text.

A segment is the unit the detector decides and the translator translates: a
sentence inside one line, holding no markup. In Markdown it is a run of plain
text between inline markup (emphasis, links, code, HTML), so every marker, URL
and link target stays where it was; whatever the parser cannot map back to the
source exactly is left out, and so left untouched; it is listed as a
``Skipped`` span with the reason, so a report never passes over it in silence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

import sentencex
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

FORMATS = ("text", "markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
TEXT_SUFFIXES = (".txt", ".text")

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LF = re.compile("\n")
# Inline markers that keep text away from the detector and the translator.
_OFF = re.compile(r"<!--\s*unilingo:\s*off\s*-->")
_ON = re.compile(r"<!--\s*unilingo:\s*on\s*-->")
IGNORE_LINE_MARKER = "unilingo: ignore"
# A byte-order mark belongs to the file, not to its first sentence: it stays outside every segment.
BOM = "\ufeff"
# Opens the comment that keeps a translated Markdown block's original right after it.
INLINE_MARK = "<!-- unilingo:original"
_URL_OR_EMAIL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"]"
    r"|[\w.+-]+@[\w-]+\.[\w.-]*\w"
)
# Every match holds one of these.
_URL_OR_EMAIL_MARKS = ("://", "www.", "@")
# German rules: on FLORES they find 98% of boundaries in both languages with
# the fewest wrong splits in German (benchmarks/sentence_split.py).
_SENTENCE_RULES = "de"


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    line: int  # 0-based line number of the segment in the document
    block: int  # index of its paragraph (text) or top-level block (Markdown)
    group: int  # index of its run of plain text: the sentences of one piece of prose share it


@dataclass(frozen=True)
class Skipped:
    """Text the segmenter could not split with exact offsets: left as it is, and reported."""

    start: int
    end: int
    line: int
    block: int
    reason: str


NESTING_REASON = "nested deeper than the Markdown parser follows ({limit} levels); left as it is"
UNMAPPABLE_REASON = "inline markup unilingo cannot map to exact offsets; left as it is"


@dataclass(frozen=True)
class Block:
    """A paragraph or top-level Markdown block: whole lines, without the last line ending."""

    start: int
    end: int


@dataclass(frozen=True)
class SegmentedText:
    text: str
    format: str
    blocks: tuple[Block, ...]
    segments: tuple[Segment, ...]
    skipped: tuple[Skipped, ...] = ()


def format_for_path(path: str) -> str | None:
    """The format a file name implies: Markdown, text (a text suffix or none at all), or None for one unilingo does not read."""
    name = path.lower()
    if name.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    if name.endswith(TEXT_SUFFIXES) or not PurePath(name).suffix:
        return "text"
    return None


def segment(text: str, format: str = "text") -> SegmentedText:
    translated: list[tuple[int, int]] = []
    unsegmented: list[tuple[int, int, str]] = []
    lines = _Lines(text)
    if format == "text":
        blocks, spans = _text_structure(text, lines)
    elif format == "markdown":
        blocks, spans, translated, unsegmented = _markdown_structure(text, lines)
    else:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    block_starts = [block.start for block in blocks]
    # A block followed by its inline original is a translation already, perhaps
    # edited by hand since: it is the person's now, never translated again.
    ignored = _ignored_spans(text, lines) + translated
    segments = tuple(
        Segment(start, end, text[start:end], lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, group)
        for group, (run_start, run_end) in enumerate(spans)
        for start, end in _sentences(text, run_start, run_end)
        if not any(ignored_start <= start < ignored_end for ignored_start, ignored_end in ignored)
    )
    skipped = tuple(
        Skipped(start, end, lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, reason)
        for start, end, reason in unsegmented
        if not any(ignored_start <= start < ignored_end for ignored_start, ignored_end in ignored)
    )
    return SegmentedText(text, format, tuple(blocks), segments, skipped)


def _ignored_spans(text: str, lines: "_Lines") -> list[tuple[int, int]]:
    """From each ``<!-- unilingo: off -->`` to the next ``on`` (or the end), and every ``unilingo: ignore`` line."""
    spans = []
    for off in _OFF.finditer(text):
        on = _ON.search(text, off.end())
        spans.append((off.start(), on.end() if on else len(text)))
    position = text.find(IGNORE_LINE_MARKER)
    while position >= 0:
        line = lines.line_of(position)
        spans.append((lines.start(line), lines.end(line)))
        position = text.find(IGNORE_LINE_MARKER, lines.end(line))
    return spans


class _Lines:
    def __init__(self, text: str) -> None:
        self._text = text
        self.starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
        self._ends = [match.start() for match in _NEWLINE.finditer(text)] + [len(text)]

    def __len__(self) -> int:
        return len(self.starts)

    def start(self, number: int) -> int:
        return self.starts[number]

    def end(self, number: int) -> int:
        """Offset of the line's terminator (or of the end of the text)."""
        return self._ends[number]

    def is_blank(self, number: int) -> bool:
        return not self._text[self.starts[number] : self._ends[number]].strip()

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


def _text_structure(text: str, lines: _Lines) -> tuple[list[Block], list[tuple[int, int]]]:
    blocks: list[Block] = []
    runs: list[tuple[int, int]] = []
    in_block = False
    for number in range(len(lines)):
        # str.strip() also removes non-breaking spaces, so such lines are blank.
        if lines.is_blank(number):
            in_block = False
            continue
        start = lines.start(number) + (number == 0 and text.startswith(BOM))
        if in_block:
            blocks[-1] = Block(blocks[-1].start, lines.end(number))
        else:
            blocks.append(Block(start, lines.end(number)))
            in_block = True
        runs.append((start, lines.end(number)))
    return blocks, runs


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of one run, URLs cut out, each trimmed and holding a letter or digit."""
    pieces, position = [], start
    # The pattern costs 60 ms a megabyte where nothing can match; these finds, almost nothing.
    if any(text.find(mark, start, end) >= 0 for mark in _URL_OR_EMAIL_MARKS):
        for match in _URL_OR_EMAIL.finditer(text, start, end):
            pieces.append((position, match.start()))
            position = match.end()
    pieces.append((position, end))

    spans = []
    for piece_start, piece_end in pieces:
        piece = text[piece_start:piece_end]
        cursor = 0
        for sentence in _split_sentences(piece):
            sentence = sentence.strip()
            found = piece.find(sentence, cursor) if sentence else -1
            if found < 0:
                continue
            cursor = found + len(sentence)
            if any(char.isalnum() for char in sentence):
                spans.append((piece_start + found, piece_start + cursor))
    return spans


@lru_cache(maxsize=65536)
def _split_sentences(piece: str) -> tuple[str, ...]:
    if not piece.strip():
        return ()
    return tuple(sentencex.segment(_SENTENCE_RULES, piece))


# --- Markdown ---------------------------------------------------------------


class _Unmappable(Exception):
    """Inline markup the walker cannot place exactly: leave that block alone."""


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Without text_join, every text token is a verbatim slice of the source.
    parser.disable("text_join")
    return parser


def _parse_view(text: str) -> str:
    """The text as the parser should see it, character for character the same length.

    markdown-it turns CRLF into LF, which would shift offsets: a CR becomes a
    space (trailing, harmless) or a newline. Front matter becomes blank lines,
    and a byte-order mark a space (a block may start after up to three).
    """
    view = text.replace("\r\n", " \n").replace("\r", "\n")
    if view.startswith(BOM):
        view = " " + view[1:]
    lines = view.split("\n")
    if lines and lines[0].rstrip() == "---":
        for number in range(1, len(lines)):
            if lines[number].rstrip() in ("---", "..."):
                cut = sum(len(line) + 1 for line in lines[: number + 1])
                view = re.sub(r"[^\n]", " ", view[:cut]) + view[cut:]
                break
    return view


def _markdown_structure(
    text: str, text_lines: _Lines
) -> tuple[list[Block], list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Top-level blocks, runs of prose, the blocks that have their inline original after them, and what cannot be segmented."""
    view = _parse_view(text)
    # Same line starts as the text; the ends differ only where a CR became a space.
    lines = _Lines(view) if "\r" in text else text_lines
    blocks: list[Block] = []
    runs: list[tuple[int, int]] = []
    translated: list[tuple[int, int]] = []
    unsegmented: list[tuple[int, int, str]] = []
    previous_stop = None
    in_table_cell = False
    parser = _parser()
    max_nesting = parser.options["maxNesting"]
    for token in parser.parse(view):
        if token.level == 0 and token.map and token.nesting >= 0:
            first, stop = token.map
            if token.type == "html_block" and token.content.startswith(INLINE_MARK) and blocks and previous_stop == first:
                translated.append((blocks[-1].start, blocks[-1].end))
            previous_stop = stop
            last = stop - 1
            while last > first and text_lines.is_blank(last):
                last -= 1
            blocks.append(Block(text_lines.start(first), text_lines.end(last)))
        if token.type in ("th_open", "td_open"):
            in_table_cell = True
        elif token.type in ("th_close", "td_close"):
            in_table_cell = False
        elif token.type == "inline" and token.map:
            try:
                runs.extend(_inline_runs(token, view, lines, in_table_cell))
            except _Unmappable:
                unsegmented.append((*_line_span(text, text_lines, *token.map), UNMAPPABLE_REASON))
        elif token.type in _CONTAINERS and token.level + 1 >= max_nesting and token.map:
            # The parser skips a container's content at its nesting limit: none of it becomes a token.
            unsegmented.append((*_line_span(text, text_lines, *token.map), NESTING_REASON.format(limit=max_nesting)))
    return blocks, runs, translated, unsegmented


# Blocks whose content the parser tokenizes one nesting level deeper.
_CONTAINERS = ("list_item_open", "blockquote_open")


def _line_span(text: str, lines: _Lines, first: int, stop: int) -> tuple[int, int]:
    """From the first non-blank character of line ``first`` to the last one before line ``stop``."""
    start, end = lines.start(first), lines.end(stop - 1)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _inline_runs(token, view: str, lines: _Lines, in_table_cell: bool) -> list[tuple[int, int]]:
    content: str = token.content
    line_offsets = _content_line_offsets(content, token.map[0], view, lines, in_table_cell)
    content_line_starts = [0] + [match.end() for match in _LF.finditer(content)]
    runs = []
    for run_start, run_end in _walk_inline(token.children or [], content):
        line = bisect.bisect_right(content_line_starts, run_start) - 1
        shift = line_offsets[line] - content_line_starts[line]
        start, end = run_start + shift, run_end + shift
        if view[start:end] != content[run_start:run_end]:
            raise _Unmappable
        runs.append((start, end))
    return runs


def _content_line_offsets(content: str, first_line: int, view: str, lines: _Lines, in_table_cell: bool) -> list[int]:
    """For each line of an inline token's content, the offset of its first character in the view."""
    offsets = []
    for index, content_line in enumerate(content.split("\n")):
        number = first_line + index
        source_line = view[lines.start(number) : lines.end(number)]
        stripped = content_line.strip()
        lead = len(content_line) - len(content_line.lstrip())
        found = _locate(source_line, stripped, in_table_cell) if stripped else lead
        if found < 0:
            raise _Unmappable
        offsets.append(lines.start(number) + found - lead)
    return offsets


def _locate(source_line: str, needle: str, in_table_cell: bool) -> int:
    # Paragraph and heading text runs to the end of its line, after any list,
    # quote or heading marker; anchoring at the end keeps "1. 1" from matching
    # the marker. Table cells (several per line) must be unique on their line.
    if not in_table_cell:
        anchored = len(source_line.rstrip()) - len(needle)
        if anchored >= 0 and source_line.startswith(needle, anchored):
            return anchored
    found = source_line.find(needle)
    return found if found >= 0 and source_line.count(needle) == 1 else -1


def _walk_inline(children, content: str) -> list[tuple[int, int]]:
    """Spans of plain text in ``content``, split at every piece of inline markup."""
    runs: list[tuple[int, int]] = []
    cursor = 0
    in_autolink = False

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
            if in_autolink:
                continue
            if runs and runs[-1][1] == found:
                runs[-1] = (runs[-1][0], cursor)
            else:
                runs.append((found, cursor))
            continue
        # Any other token ends the current run: start a new one after it.
        runs.append((cursor, cursor))
        if kind in ("softbreak", "hardbreak"):
            advance("\n")
        elif kind == "text_special":
            advance(child.markup)
        elif kind == "code_inline":
            advance(child.markup)
            advance(child.markup)
        elif kind == "html_inline":
            advance(child.content)
        elif kind in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
            advance(child.markup)
        elif kind == "link_open":
            in_autolink = child.markup == "autolink"
            advance("<" if in_autolink else "[")
        elif kind == "link_close":
            if in_autolink:
                advance(">")
                in_autolink = False
            else:
                cursor = _skip_link_tail(content, cursor)
        elif kind == "image":
            opening = advance("![")
            cursor = _skip_link_tail(content, _matching_bracket(content, opening + 1))
        else:
            raise _Unmappable
    return [(start, end) for start, end in runs if end > start]


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
