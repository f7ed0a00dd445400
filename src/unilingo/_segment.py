"""Segmenter: paragraphs, lines and sentences with exact offsets into the text.

A segment is the unit the detector decides and the translator translates: a
sentence inside one line, whatever inline markup it holds. Its ``inline``
lists that markup: *formatting* spans (emphasis, strong, strikethrough, link
text) whose text is translated and whose markers are carried over, and
*protected* spans (inline code, URLs, e-mail addresses, autolinks, inline
HTML, images, reference-style link labels) copied byte for byte; it also
keeps the runs of plain text between the markup, the fallback when the
markup cannot be carried. Whatever the parser cannot map back to the source
exactly is left out, and so left untouched; it is listed as a ``Skipped``
span with the reason, so a report never passes over it in silence.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING

import sentencex
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from ._frontmatter import DEFAULT_KEYS as FRONT_MATTER_KEYS
from ._frontmatter import FrontMatter, find_front_matter
from ._frontmatter import values as front_values
from ._errors import InputError
from ._glossary import Glossary
from ._lexicon import credit_label

if TYPE_CHECKING:
    from ._html import LangMark

FORMATS = ("text", "markdown", "html")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

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


# HTML's phrasing elements whose text belongs to the sentence around them; their tags are carried to the translation.
HTML_FORMATTING_TAGS = ("a", "abbr", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font", "i", "ins",
                        "mark", "nobr", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "time", "u")  # fmt: skip
# Spans whose text is translated and whose markers are carried to the translated words:
# Markdown's emphasis, strong emphasis, strikethrough and links, and HTML's formatting elements by tag name.
FORMATTING_KINDS = ("em", "strong", "s", "link", *HTML_FORMATTING_TAGS)
# Stand-ins for protected spans in what the model reads: X1, X2, ... (the fixture model learns to copy them).
PLACEHOLDER = "X{number}"
PLACEHOLDER_PATTERN = re.compile(r"X(\d+)")


@dataclass(frozen=True)
class InlineSpan:
    """A piece of inline markup in a sentence.

    ``start``/``end`` cover it in the document, markers included; for a
    formatting span ``inner_start``/``inner_end`` cover its text, for a
    protected one they equal ``start``/``end``. ``source_start``/``source_end``
    are where it lies in what the model reads: its words, or its placeholder.
    """

    kind: str  # em, strong, s, link; or code, url, email, autolink, html, image, reference, glossary
    start: int
    end: int
    inner_start: int
    inner_end: int
    source_start: int
    source_end: int
    replacement: str | None = None  # a glossary term: what it becomes (None: its own bytes)

    @property
    def protected(self) -> bool:
        return self.kind not in FORMATTING_KINDS


@dataclass(frozen=True)
class Inline:
    """A sentence's inline markup and what the model and the detector read of it."""

    source: str  # markers left out, protected spans as placeholders
    plain: str  # for the detector: protected spans left out as well
    spans: tuple[InlineSpan, ...]
    pieces: tuple[tuple[int, int], ...]  # runs of plain text between the markup, split into sentences: the fallback
    piece_sources: tuple[str, ...] = ()  # what the model reads of each piece: its escapes and entities decoded
    # A value's (front matter, attribute, alt text) glossary terms: what X1, X2, ... in ``source`` become. A value
    # is read decoded, so its terms have no document offsets to be spans with.
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    line: int  # 0-based line number of the segment in the document
    block: int  # index of its paragraph (text) or top-level block (Markdown)
    group: int  # index of its line of prose: the sentences of one line share it
    inline: Inline | None = None  # None: plain text, what the model reads is ``text``
    marked: str | None = None  # the language the markup says it is in (HTML's ``lang``): a prior, not a verdict
    attribute: str | None = None  # an HTML attribute value (its name; ``text`` is the value as written, quotes included), or a Markdown image's "alt"

    @property
    def source(self) -> str:
        """What the model reads."""
        return self.inline.source if self.inline is not None else self.text


@dataclass(frozen=True)
class Element:
    """A piece of a line of prose: text, a formatting span's marker, or a protected span."""

    kind: str  # text; char (an escape or entity: it reads as ``plain``); open, close; or a protected kind
    start: int
    end: int
    plain: str = ""  # text and char: what it reads as
    span: str = ""  # open and close: the formatting kind
    replacement: str | None = None  # a glossary term: what it becomes


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
    front_matter: FrontMatter | None = None  # Markdown's YAML or TOML header: its first block, when there is one
    marks: tuple["LangMark", ...] = ()  # HTML: each element's lang, set to the target once its text is translated


def format_for_path(path: str) -> str | None:
    """The format a file name implies: Markdown, text (a text suffix or none at all), or None for one unilingo does not read."""
    name = path.lower()
    if name.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES) or not PurePath(name).suffix:
        return "text"
    return None


def segment(
    text: str, format: str = "text", glossary: Glossary | None = None, front_matter_keys: tuple[str, ...] = FRONT_MATTER_KEYS
) -> SegmentedText:
    """The text's blocks and sentences; ``glossary`` terms become protected spans.

    In Markdown, the values of ``front_matter_keys`` in the front matter are
    segments of their own, one per value.
    """
    _check_unicode(text)
    translated: list[tuple[int, int]] = []
    unsegmented: list[tuple[int, int, str]] = []
    lines = _Lines(text)
    front = None
    if format == "text":
        blocks, spans = _text_structure(text, lines)
    elif format == "markdown":
        front = find_front_matter(text, lines.starts, lines.ends)
        blocks, spans, translated, unsegmented = _markdown_structure(text, lines, front)
    elif format == "html":
        from ._html import segment_html

        return segment_html(text, glossary)
    else:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    block_starts = [block.start for block in blocks]
    # A block followed by its inline original is a translation already, perhaps
    # edited by hand since: it is the person's now, never translated again.
    ignored = _ignored_spans(text, lines) + translated
    header = [
        Segment(value.start, value.end, text[value.start : value.end], value.line, 0, group,
                value_inline(value.text, glossary, text[value.start : value.end]))
        for group, value in enumerate(front_values(text, front, lines.starts, lines.ends, front_matter_keys) if front else [])
    ]  # fmt: skip
    found = header + [
        Segment(start, end, text[start:end], lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, group, inline)
        for group, elements in enumerate(spans, start=len(header))
        for start, end, inline in _line_sentences(text, elements, glossary)
    ]
    # An image's alt text, alone on its line or inside a sentence, is a segment of its own group, as an
    # HTML attribute value is: not decided by the sentences around it.
    alts = [alt for elements in spans for alt in _alt_texts(text, elements)]
    found += [Segment(start, end, text[start:end], lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, group,
                      value_inline(text[start:end], glossary, text[start:end]), attribute="alt")
              for group, (start, end) in enumerate(alts, start=len(header) + len(spans))]  # fmt: skip
    found.sort(key=lambda segment: (segment.start, -segment.end))
    segments = tuple(
        segment
        for segment in found
        if not any(ignored_start <= segment.start < ignored_end for ignored_start, ignored_end in ignored)
    )
    skipped = tuple(
        Skipped(start, end, lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, reason)
        for start, end, reason in unsegmented
        if not any(ignored_start <= start < ignored_end for ignored_start, ignored_end in ignored)
    )
    return SegmentedText(text, format, tuple(blocks), segments, skipped, front)


def value_inline(value: str, glossary: Glossary | None, written: str | None = None) -> Inline | None:
    """What the model and the detector read of a value: its glossary terms as placeholders, and left out.

    None when that is the value ``written`` as it is. A value that already
    holds what reads as a placeholder gets no terms: they could not be told apart.
    """
    found = glossary.matches(value, 0, len(value), "", "") if glossary is not None and not PLACEHOLDER_PATTERN.search(value) else []
    if not found:
        return None if value == written else Inline(value, value, (), ())
    source, plain, position = [], [], 0
    for number, (start, end, _) in enumerate(found, start=1):
        source += [value[position:start], PLACEHOLDER.format(number=number)]
        plain.append(value[position:start])
        position = end
    source.append(value[position:])
    plain.append(value[position:])
    return Inline("".join(source), " ".join(" ".join(plain).split()), (), (), terms=tuple(replacement for _, _, replacement in found))


def _check_unicode(text: str) -> None:
    """Text that cannot be written as UTF-8 (a lone surrogate, from a bad decode) cannot be translated, checksummed or kept."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"the text holds a lone surrogate (U+{ord(text[error.start]):04X}) at offset {error.start}, which is not "
            f"valid Unicode: decode the input with errors='replace' or mend it at its source"
        ) from None


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
        self.ends = [match.start() for match in _NEWLINE.finditer(text)] + [len(text)]

    def __len__(self) -> int:
        return len(self.starts)

    def start(self, number: int) -> int:
        return self.starts[number]

    def end(self, number: int) -> int:
        """Offset of the line's terminator (or of the end of the text)."""
        return self.ends[number]

    def is_blank(self, number: int) -> bool:
        return not self._text[self.starts[number] : self.ends[number]].strip()

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


def _text_structure(text: str, lines: _Lines) -> tuple[list[Block], list[list[Element]]]:
    blocks: list[Block] = []
    runs: list[list[Element]] = []
    in_block = False
    for number in range(len(lines)):
        # str.strip() also removes non-breaking spaces, so such lines are blank.
        if lines.is_blank(number):
            in_block = False
            continue
        start = lines.start(number) + (number == 0 and text.startswith(BOM))
        element = Element("text", start, lines.end(number), text[start : lines.end(number)])
        if in_block:
            blocks[-1] = Block(blocks[-1].start, lines.end(number))
            indented = start + len(element.plain) - len(element.plain.lstrip())
            if _continues(runs[-1][-1], text, lines.end(number - 1), indented):
                # A sentence wrapped over two lines is one sentence: the line break reads as a space.
                runs[-1] += [Element("char", lines.end(number - 1), indented, " "),
                             Element("text", indented, element.end, text[indented : element.end])]  # fmt: skip
                continue
        else:
            blocks.append(Block(start, lines.end(number)))
            in_block = True
        runs.append([element])
    return blocks, runs


def _line_sentences(text: str, elements: list[Element], glossary: Glossary | None = None) -> list[tuple[int, int, Inline | None]]:
    """The sentences of one line of prose, each with the inline markup it holds."""
    if glossary is not None and glossary.terms:
        # URLs first: a term inside one is part of the URL, never a term.
        elements = _with_terms(text, _with_urls(text, elements), glossary)
    runs = _plain_runs(elements)
    pieces = [piece for run_start, run_end in runs for piece in _sentences(text, run_start, run_end)]
    plain_line = len(runs) == len(elements) == 1 or all(element.kind == "text" for element in elements)
    if plain_line and not any(text.find(mark, run[0], run[1]) >= 0 for run in runs for mark in _URL_OR_EMAIL_MARKS):
        return [(start, end, None) for start, end in pieces]
    if all(element.kind == "image" or (element.kind == "text" and not element.plain.strip()) for element in elements):
        return []  # a line of nothing but images: their alt texts are segments of their own
    line = _Line.build(text, _with_urls(text, elements))
    if line is None:
        # Markers opened on one line and closed on another: the runs between markup, as they are.
        return [(start, end, None) for start, end in pieces]
    sentences = line.sentences()
    previous_ends = [0] + [end for _, end in sentences]
    return [sentence for (start, end), after in zip(sentences, previous_ends) if (sentence := line.segment(text, start, end, after))]


def _alt_texts(text: str, elements: list[Element]) -> list[tuple[int, int]]:
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


def _with_terms(text: str, elements: list[Element], glossary: Glossary) -> list[Element]:
    """The elements with each glossary term in plain text made a protected span of its own."""
    result = []
    for index, element in enumerate(elements):
        found = glossary.matches(text, element.start, element.end, *_read_around(elements, index)) if element.kind == "text" else []
        position = element.start
        for start, end, replacement in found:
            if start > position:
                result.append(Element("text", position, start, text[position:start]))
            result.append(Element("glossary", start, end, replacement=replacement))
            position = end
        if position < element.end:
            result.append(element if position == element.start else Element("text", position, element.end, text[position : element.end]))
    return result


def _read_around(elements: list[Element], index: int) -> tuple[str, str]:
    """The characters read just before and after ``elements[index]``: markers read as nothing, other markup as a space.

    So a term is a whole word as the reader sees it: "Fire" is no term in "**Fire**fox", nor "Firefox" in "Firefox\\_x".
    """
    sides = []
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(elements) and elements[position].kind in ("open", "close"):
            position += step
        neighbour = elements[position] if 0 <= position < len(elements) else None
        read = neighbour.plain if neighbour is not None and neighbour.kind in ("text", "char") else " "
        sides.append((read[-1:] if step < 0 else read[:1]) or " ")
    return sides[0], sides[1]


def _plain_runs(elements: list[Element]) -> list[tuple[int, int]]:
    """Runs of plain text between the markup (escapes and entities end them, too)."""
    runs: list[tuple[int, int]] = []
    for element in elements:
        if element.kind != "text":
            continue
        if runs and runs[-1][1] == element.start:
            runs[-1] = (runs[-1][0], element.end)
        else:
            runs.append((element.start, element.end))
    return runs


def _with_urls(text: str, elements: list[Element]) -> list[Element]:
    """The elements with each URL and e-mail address in plain text made a protected span of its own."""
    result = []
    for element in elements:
        if element.kind != "text" or not any(text.find(mark, element.start, element.end) >= 0 for mark in _URL_OR_EMAIL_MARKS):
            result.append(element)
            continue
        position = element.start
        for match in _URL_OR_EMAIL.finditer(text, element.start, element.end):
            if match.start() > position:
                result.append(Element("text", position, match.start(), text[position : match.start()]))
            result.append(Element("email" if "@" in match.group() and "://" not in match.group() else "url", *match.span()))
            position = match.end()
        if position < element.end:
            result.append(Element("text", position, element.end, text[position : element.end]))
    return result


@dataclass
class _Formatting:
    opening: Element
    closing: Element
    plain_start: int
    plain_end: int


class _Line:
    """A line of prose as the sentence splitter reads it: markers left out, each protected span one placeholder."""

    # What a protected span reads as while the line is split into sentences.
    _STAND_IN = "X0"

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []  # per character, its first and last offset in the document
        self.ends: list[int] = []
        self.protected: dict[int, Element] = {}  # by where its stand-in starts
        self.formatting: list[_Formatting] = []
        # For finding a sentence's markup by bisection: positions and spans in order of where they start.
        self.stand_in_positions: list[int] = []
        self.by_start: list[_Formatting] = []
        self.formatting_starts: list[int] = []

    @classmethod
    def build(cls, text: str, elements: list[Element]) -> "_Line | None":
        line = cls()
        open_spans: list[tuple[Element, int]] = []
        for element in elements:
            if element.kind == "open":
                open_spans.append((element, len(line.chars)))
            elif element.kind == "close":
                if not open_spans or open_spans[-1][0].span != element.span:
                    return None
                opening, plain_start = open_spans.pop()
                if line._has_text(plain_start):
                    line.formatting.append(_Formatting(opening, element, plain_start, len(line.chars)))
                else:
                    line._protect_from(plain_start, Element("html", opening.start, element.end))
            elif element.kind == "text":
                line.chars.extend(element.plain)
                line.starts.extend(range(element.start, element.start + len(element.plain)))
                line.ends.extend(range(element.start + 1, element.start + len(element.plain) + 1))
            elif element.kind == "char":
                line.chars.extend(element.plain)
                line.starts.extend((element.start,) * len(element.plain))
                line.ends.extend((element.end,) * len(element.plain))
            else:
                line.protected[len(line.chars)] = element
                line.chars.extend(cls._STAND_IN)
                line.starts.extend((element.start,) * len(cls._STAND_IN))
                line.ends.extend((element.end,) * len(cls._STAND_IN))
        if open_spans:
            return None
        line.stand_in_positions = sorted(line.protected)
        line.by_start = sorted(line.formatting, key=lambda f: f.plain_start)
        line.formatting_starts = [f.plain_start for f in line.by_start]
        return line

    def _has_text(self, start: int) -> bool:
        """Whether the line's characters from ``start`` on hold a letter or digit outside protected spans."""
        stand_ins = {position + offset for position in self.protected if position >= start for offset in range(len(self._STAND_IN))}
        return any(char.isalnum() for position, char in enumerate(self.chars[start:], start) if position not in stand_ins)

    def _protect_from(self, start: int, element: Element) -> None:
        # An element without text (an icon, a caret, an empty link) has no words to carry its
        # markers: it is copied whole, as one protected span, so that it comes back exactly once.
        self.protected = {position: inner for position, inner in self.protected.items() if position < start}
        self.formatting = [f for f in self.formatting if f.plain_start < start]
        del self.chars[start:], self.starts[start:], self.ends[start:]
        self.protected[start] = element
        self.chars.extend(self._STAND_IN)
        self.starts.extend((element.start,) * len(self._STAND_IN))
        self.ends.extend((element.end,) * len(self._STAND_IN))

    def sentences(self) -> list[tuple[int, int]]:
        """Sentences in offsets of the line's characters, joined where a span would cross their boundary."""
        found = _sentence_offsets("".join(self.chars))
        ranges = [(f.plain_start, f.plain_end) for f in self.formatting]
        ranges += [(start, start + len(self._STAND_IN)) for start in self.protected]
        ranges.sort()
        lows = [low for low, _ in ranges]
        # The furthest any of the first n ranges reaches, so that a boundary is checked in log time, not against every span.
        reach = list(itertools.accumulate((high for _, high in ranges), max))
        joined: list[tuple[int, int]] = []
        for start, end in found:
            starting_before = bisect.bisect_left(lows, joined[-1][1]) if joined else 0
            if starting_before and reach[starting_before - 1] > start:
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
        return joined

    def segment(self, text: str, start: int, end: int, after: int) -> tuple[int, int, Inline | None] | None:
        """The sentence ``start``-``end`` of the line: its offsets in the document and its markup; None without words.

        ``after`` is where the sentence before it (from ``sentences``) ends, or 0: no span
        reaches across that end, so only spans starting after it can reach into this sentence.
        """
        positions = self.stand_in_positions
        stand_ins = positions[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)]
        chunks = []  # the text between stand-ins
        cursor = start
        for position in stand_ins:
            chunks.append("".join(self.chars[cursor:position]))
            cursor = position + len(self._STAND_IN)
        chunks.append("".join(self.chars[cursor:end]))
        if not any(char.isalnum() for chunk in chunks for char in chunk):
            return None
        starts = self.formatting_starts
        nearby = self.by_start[bisect.bisect_left(starts, after) : bisect.bisect_left(starts, end)]
        formatting = [f for f in nearby if f.plain_end > start]
        first = min([self.starts[start]] + [f.opening.start for f in formatting])
        last = max([self.ends[end - 1]] + [f.closing.end for f in formatting])
        source: list[str] = [chunks[0]]
        spans: list[InlineSpan] = []
        growth = [0]  # after each stand-in: how much longer the source is than the line's characters
        for number, position in enumerate(stand_ins, start=1):
            element = self.protected[position]
            placeholder = PLACEHOLDER.format(number=number)
            at = position - start + growth[-1]
            spans.append(InlineSpan(element.kind, element.start, element.end, element.start, element.end,
                                    at, at + len(placeholder), element.replacement))  # fmt: skip
            source += [placeholder, chunks[number]]
            growth.append(growth[-1] + len(placeholder) - len(self._STAND_IN))

        def to_source(position: int) -> int:
            # Formatting boundaries never fall inside a stand-in.
            return position - start + growth[bisect.bisect_left(stand_ins, position)]

        for f in formatting:
            at, until = to_source(max(f.plain_start, start)), to_source(min(f.plain_end, end))
            spans.append(InlineSpan(f.opening.span, f.opening.start, f.closing.end, f.opening.end, f.closing.start, at, until))
        source_text = "".join(source)
        if not spans and text[first:last] == source_text:
            return first, last, None
        spans.sort(key=lambda span: (span.start, -span.end))
        own_pieces = self._pieces(start, end)
        return first, last, Inline(source_text, " ".join("".join(chunks).split()), tuple(spans),
                                   tuple((a, b) for a, b, _ in own_pieces), tuple(read for *_, read in own_pieces))  # fmt: skip

    def _pieces(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The sentences of each run of text between the markup of characters ``start``-``end``, as (start, end, what they read as).

        An escape or a character reference is part of its run: "M&auml;rz" is
        one word to translate, never "M" and "rz".
        """
        positions = self.stand_in_positions
        # Only the stand-ins that reach into the sentence: all of them, for every sentence, would be quadratic.
        near = positions[bisect.bisect_left(positions, start - len(self._STAND_IN)) : bisect.bisect_left(positions, end)]
        stand_ins = {position + offset for position in near for offset in range(len(self._STAND_IN))}
        runs: list[list[int]] = []
        for index in range(start, end):
            if index in stand_ins:
                continue
            # Characters of one element share their offsets; the next element starts where the last ended.
            joined = runs and runs[-1][-1] == index - 1 and (
                self.starts[index] == self.ends[index - 1] or self.starts[index] == self.starts[index - 1]
            )
            if joined:
                runs[-1].append(index)
            else:
                runs.append([index])
        found = []
        for run in runs:
            reads = "".join(self.chars[index] for index in run)
            for low, high in _sentence_offsets(reads):
                if any(char.isalnum() for char in reads[low:high]):
                    found.append((self.starts[run[low]], self.ends[run[high - 1]], reads[low:high]))
        return found


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
        for start_in_piece, end_in_piece in _sentence_offsets(piece):
            if any(char.isalnum() for char in piece[start_in_piece:end_in_piece]):
                spans.append((piece_start + start_in_piece, piece_start + end_in_piece))
    return spans


def _sentence_offsets(text: str) -> list[tuple[int, int]]:
    """Each sentence of ``text`` as (start, end), the whitespace around it left out."""
    found: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _split_sentences(text):
        sentence = sentence.strip()
        position = text.find(sentence, cursor) if sentence else -1
        if position < 0:
            continue
        cursor = position + len(sentence)
        found.append((position, cursor))
    return found


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


def _parse_view(text: str, front: FrontMatter | None) -> str:
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


def _markdown_structure(
    text: str, text_lines: _Lines, front: FrontMatter | None
) -> tuple[list[Block], list[list[Element]], list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Top-level blocks, lines of prose, the blocks that have their inline original after them, and what cannot be segmented."""
    view = _parse_view(text, front)
    # Same line starts as the text; the ends differ only where a CR became a space.
    lines = _Lines(view) if "\r" in text else text_lines
    blocks: list[Block] = [Block(0, front.end)] if front else []
    runs: list[list[Element]] = []
    translated: list[tuple[int, int]] = []
    unsegmented: list[tuple[int, int, str]] = []
    previous_stop = front.stop_line if front else None
    cell: int | None = None  # the column of the table cell being read, if any
    column = -1
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


def _line_span(text: str, lines: _Lines, first: int, stop: int) -> tuple[int, int]:
    """From the first non-blank character of line ``first`` to the last one before line ``stop``."""
    start, end = lines.start(first), lines.end(stop - 1)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _inline_lines(token, view: str, lines: _Lines, cell: int | None) -> list[list[Element]]:
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
            if current and _continues(current[-1], view, start, end):
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
        current.append(dataclasses.replace(element, start=start, end=end))
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
    return dataclasses.replace(element, start=start, end=end)


def _continues(last: Element, text: str, line_end: int, next_start: int) -> bool:
    """Whether a sentence runs on from a line that ends in ``last`` (at ``line_end``) into the line starting at ``next_start``.

    Only where the line ends mid-sentence (a word, a comma) and the next one
    starts with a word, and neither is a credit line ("Foto: …"): a line that
    ends a sentence, an image or markup, and a caption's credit keep to
    themselves, as they did when every line was decided alone.
    """
    tail = last.plain.rstrip()[-1:] if last.kind == "text" else ""
    if not tail or not (tail.isalnum() or tail in _RUNS_ON):
        return False
    following = text[next_start : _line_end(text, next_start)].strip()
    if not following[:1].isalnum() or credit_label(following) is not None:
        return False
    newline = text.rfind("\n", 0, line_end)
    previous = text[max(newline, text.rfind("\r", newline + 1, line_end)) + 1 : line_end].strip()
    # Wrapped prose fills its lines; a short line is a list, a menu, a verse or an address, each line its own.
    return len(previous.split()) >= _WRAPPED_WORDS and credit_label(previous.lstrip("#>*-+ \t")) is None


def _line_end(text: str, position: int) -> int:
    # Each search stops at the next newline: a search to the end of a megabyte per line would be quadratic.
    newline = text.find("\n", position)
    newline = len(text) if newline < 0 else newline
    carriage = text.find("\r", position, newline)
    return newline if carriage < 0 else carriage


# The fewest words of a line that a sentence runs on from.
_WRAPPED_WORDS = 5
# What a line may end with and still run on into the next: a comma, a semicolon, a hyphen or dash.
_RUNS_ON = ",;-\u2013\u2014"


def _content_line_offsets(content: str, first_line: int, view: str, lines: _Lines, cell: int | None) -> list[int]:
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
