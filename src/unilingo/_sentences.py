"""Sentences: lines of prose split into sentences with exact offsets, whatever format they came from.

A format turns its document into lines of prose, each a list of ``Element``
pieces (text, escapes, formatting markers, protected spans); this module
splits them into sentences, each with the inline markup it holds, and
assembles the ``SegmentedText``. It is shared by every format and knows none.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import sentencex

from ._document import PLACEHOLDER, PLACEHOLDER_PATTERN, Block, Element, Inline, InlineSpan, Segment, SegmentedText, Skipped
from ._errors import InputError
from ._frontmatter import FrontMatter
from ._glossary import Glossary
from ._lexicon import credit_label
from ._lines import LINE_BREAK, line_start
from ._windows import off_regions

# Inline markers that keep text away from the detector and the translator (``unilingo: off`` and ``on``: see ``_windows``).
IGNORE_LINE_MARKER = "unilingo: ignore"
_URL_OR_EMAIL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"]"
    r"|[\w.+-]+@[\w-]+\.[\w.-]*\w"
)
# Every match holds one of these.
_URL_OR_EMAIL_MARKS = ("://", "www.", "@")
# German rules: on FLORES they find 98% of boundaries in both languages with
# the fewest wrong splits in German (benchmarks/sentence_split.py).
_SENTENCE_RULES = "de"


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


def check_unicode(text: str) -> None:
    """Text that cannot be written as UTF-8 (a lone surrogate, from a bad decode) cannot be translated, checksummed or kept."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"the text holds a lone surrogate (U+{ord(text[error.start]):04X}) at offset {error.start}, which is not "
            f"valid Unicode: decode the input with errors='replace' or mend it at its source"
        ) from None


def ignored_spans(text: str, lines: "Lines") -> list[tuple[int, int]]:
    """From each ``<!-- unilingo: off -->`` to the next ``on`` (or the end), and every ``unilingo: ignore`` line."""
    spans = list(zip(*off_regions(text)))
    position = text.find(IGNORE_LINE_MARKER)
    while position >= 0:
        line = lines.line_of(position)
        spans.append((lines.start(line), lines.end(line)))
        position = text.find(IGNORE_LINE_MARKER, lines.end(line))
    return spans


class Covered:
    """Whether an offset lies in any of some spans (``start <= offset < end``; they may overlap), by bisection."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(itertools.accumulate((end for _, end in ordered), max))

    def __contains__(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._reach[index]


class Lines:
    def __init__(self, text: str) -> None:
        self._text = text
        self.starts = [0] + [match.end() for match in LINE_BREAK.finditer(text)]
        self.ends = [match.start() for match in LINE_BREAK.finditer(text)] + [len(text)]

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


def line_sentences(text: str, elements: list[Element], glossary: Glossary | None = None) -> list[tuple[int, int, Inline | None]]:
    """The sentences of one line of prose, each with the inline markup it holds."""
    if glossary is not None and glossary.terms:
        # URLs first: a term inside one is part of the URL, never a term.
        elements = _with_terms(text, _with_urls(text, elements), glossary)
    runs = plain_runs(elements)
    pieces = [piece for run_start, run_end in runs for piece in sentences(text, run_start, run_end)]
    plain_line = len(runs) == len(elements) == 1 or all(element.kind == "text" for element in elements)
    if plain_line and not any(text.find(mark, run[0], run[1]) >= 0 for run in runs for mark in _URL_OR_EMAIL_MARKS):
        return [(start, end, None) for start, end in pieces]
    if all(element.kind == "image" or (element.kind == "text" and not element.plain.strip()) for element in elements):
        return []  # a line of nothing but images: their alt texts are segments of their own
    line = _Line.build(text, _with_urls(text, elements))
    if line is None:
        # Markers opened on one line and closed on another: the runs between markup, as they are.
        return [(start, end, None) for start, end in pieces]
    found = line.sentences()
    previous_ends = [0] + [end for _, end in found]
    return [sentence for (start, end), after in zip(found, previous_ends) if (sentence := line.segment(text, start, end, after))]


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


def plain_runs(elements: list[Element]) -> list[tuple[int, int]]:
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


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
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



def continues(last: Element, text: str, line_end: int, next_start: int) -> bool:
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
    previous = text[line_start(text, line_end) : line_end].strip()
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


def assemble(
    text: str,
    format: str,
    lines: Lines,
    blocks: Sequence[Block],
    runs: Sequence[list[Element]],
    glossary: Glossary | None,
    *,
    header: Sequence[Segment] = (),
    alts: Sequence[tuple[int, int]] = (),
    translated: Sequence[tuple[int, int]] = (),
    unsegmented: Sequence[tuple[int, int, str]] = (),
    front: FrontMatter | None = None,
) -> SegmentedText:
    """The document's segments: ``header`` (groups 0, 1, ...), the sentences of each line of prose, then each alt text.

    ``translated`` lists blocks followed by their inline original: a
    translation already, perhaps edited by hand since, it is the person's
    now and never translated again, as is what the ignore markers cover.
    ``unsegmented`` is what the format could not split, with the reason.
    """
    block_starts = [block.start for block in blocks]
    ignored = Covered(ignored_spans(text, lines) + list(translated))
    found = list(header) + [
        Segment(start, end, text[start:end], lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, group, inline)
        for group, elements in enumerate(runs, start=len(header))
        for start, end, inline in line_sentences(text, elements, glossary)
    ]
    # An image's alt text, alone on its line or inside a sentence, is a segment of its own group, as an
    # HTML attribute value is: not decided by the sentences around it.
    found += [Segment(start, end, text[start:end], lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, group,
                      value_inline(text[start:end], glossary, text[start:end]), attribute="alt")
              for group, (start, end) in enumerate(alts, start=len(header) + len(runs))]  # fmt: skip
    found.sort(key=lambda segment: (segment.start, -segment.end))
    segments = tuple(
        segment
        for segment in found
        if segment.start not in ignored
    )
    skipped = tuple(
        Skipped(start, end, lines.line_of(start), bisect.bisect_right(block_starts, start) - 1, reason)
        for start, end, reason in unsegmented
        if start not in ignored
    )
    return SegmentedText(text, format, tuple(blocks), segments, skipped, front)
