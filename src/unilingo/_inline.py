"""Inline markup across a translated sentence.

The model reads a sentence with its markers left out and each protected span
(inline code, URL, e-mail address, autolink, inline HTML, image, reference
link, glossary term) as a placeholder ``X1``, ``X2``, ... Afterwards every
placeholder must come back exactly once and is replaced by the span's
original bytes; every formatting span (emphasis, strong, strikethrough, link
text) goes on the contiguous run of whole words that the model's alignment
points at, its markers copied from the original. Spans must nest in the
translation as they nest in the original, and the sentence, parsed again,
must hold the same inline markup (token types and nesting depths, code, HTML
and link targets; in any order, since translation reorders words). A sentence that fails any check gets a reason instead, and the
caller translates it the old way, between its markup.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import formats
from ._document import PLACEHOLDER_PATTERN, InlineSpan, Segment, SegmentedText
from ._lines import MARKER_CHARS, line_before, line_start, open_reference_before
from .formats import Format

NAMES = {
    "em": "emphasis",
    "strong": "strong emphasis",
    "s": "strikethrough",
    "link": "link",
    "code": "inline code",
    "url": "URL",
    "email": "e-mail address",
    "autolink": "autolink",
    "html": "inline HTML",
    "image": "image",
    "reference": "reference link",
    "glossary": "glossary term",
    "cue": "cue",  # a subtitle cue of a sentence that runs across cues
}


def _name(kind: str) -> str:
    return NAMES.get(kind) or f"<{kind}> element"


_WORD = re.compile(r"\S+")
# A placeholder that is not part of a longer word or number.
_PLACEHOLDER = re.compile(r"(?<![0-9A-Za-z])" + PLACEHOLDER_PATTERN.pattern + r"(?![0-9])")


@dataclass(frozen=True)
class PlacedSpan:
    kind: str
    start: int  # in the original document
    end: int
    output_start: int  # in the sentence's output
    output_end: int


@dataclass(frozen=True)
class Placement:
    output: str | None  # the sentence as it goes into the document; None when its markup cannot be carried
    spans: tuple[PlacedSpan, ...] = ()
    reason: str = ""  # why not, when ``output`` is None


class _Failed(Exception):
    pass


def needs_alignment(segment: Segment) -> bool:
    """Whether a formatting span covers less than the whole sentence, so that only alignment can place it."""
    inline = segment.inline
    if inline is None:
        return False
    words = _words(inline.source)
    return any(not span.protected and len(_covered(words, span)) < len(words) for span in inline.spans)


def place(text: str, format: str, segment: Segment, translation: str, alignment: list[int] | None) -> Placement:
    """``translation`` (of ``segment.source``) with the sentence's markup carried over, or the reason it cannot be."""
    try:
        return _place(text, formats.get(format), segment, " ".join(translation.split()), alignment)
    except _Failed as failure:
        return Placement(None, (), str(failure))


def in_pieces(
    text: str, format: str, segment: Segment, translations: dict[tuple[int, int], str]
) -> tuple[str, tuple[PlacedSpan, ...]]:
    """The sentence with each run between its markup replaced by that run's translation, as before sentences held markup.

    Also where each span of its markup, copied as it was, landed in that output.
    """
    assert segment.inline is not None
    written_as = formats.get(format)
    terms = [(span.start, span.end) for span in segment.inline.spans if span.replacement is not None]
    replaced = {span.start: span.replacement for span in segment.inline.spans if span.replacement is not None}
    line = _line_to(text, segment.start)
    pieces, position, length = [], segment.start, 0
    copied: list[tuple[int, int, int]] = []  # (start, end, where in the output) of each run copied as it was
    for start, end in sorted([*segment.inline.pieces, *terms]):
        copied.append((position, start, length))
        pieces.append(text[position:start])
        line.add(text[position:start])
        length += start - position
        translated = replaced.get(start) if (start, end) in terms else translations.get((start, end))
        if translated is None:
            translated = text[start:end]
        elif (start, end) in terms:
            translated = written_as.escape_fragment(translated, line.stand_in(), text[end : end + 1], line.column)
        else:
            translated = written_as.escape_piece(translated, text, start, end)
        pieces.append(translated)
        line.add(translated)
        length += len(translated)
        position = end
    copied.append((position, segment.end, length))
    pieces.append(text[position : segment.end])

    copied_starts = [start for start, _, _ in copied]

    def landed(offset: int) -> int | None:
        # The first copied run that holds the offset (runs are in order and may touch).
        index = bisect.bisect_left(copied_starts, offset)
        for start, end, at in copied[max(index - 1, 0) : index + 1]:
            if start <= offset <= end:
                return at + offset - start
        return None

    spans = []
    for span in segment.inline.spans:
        start, end = landed(span.start), landed(span.end)
        if span.replacement is None and start is not None and end is not None:
            spans.append(PlacedSpan(span.kind, span.start, span.end, start, end))
    return "".join(pieces), tuple(spans)


def escape_output(output: str, segmented: SegmentedText, index: int) -> str:
    """The model's output for segment ``index``, as it must be spliced into ``segmented.text``.

    Without whitespace at its ends, as no segment has any: written, the
    model's would be read back as the block's own (an inline original
    restored with it) or stray into the layout around the segment.
    """
    return formats.get(segmented.format).escape_output(output.strip(), segmented, index)


def fill_terms(segment: Segment, output: str) -> Placement:
    """A value's translation with each glossary placeholder replaced by what its term becomes, or why it cannot be.

    Escaped afterwards with the whole value, for where the value lands.
    """
    terms = segment.inline.terms if segment.inline is not None else ()
    if not terms:
        invented = made_up_placeholder(segment.source, output)
        return Placement(output) if invented is None else Placement(None, (), f"the model made up a placeholder ({invented})")
    found = [int(match.group(1)) for match in _PLACEHOLDER.finditer(output)]
    for number in range(1, len(terms) + 1):
        if found.count(number) != 1:
            how = "did not come back from the model" if number not in found else "came back more than once"
            return Placement(None, (), f"the glossary term {how} (placeholder X{number})")
    if len(found) != len(terms):
        return Placement(None, (), f"the model made up a placeholder ({next(f'X{n}' for n in found if not 1 <= n <= len(terms))})")
    return Placement(_PLACEHOLDER.sub(lambda match: terms[int(match.group(1)) - 1], output))


def made_up_placeholder(source: str, output: str) -> str | None:
    """A placeholder in ``output`` that ``source`` does not hold: the model's own, standing for nothing."""
    held = set(_PLACEHOLDER.findall(source))
    return next((match.group() for match in _PLACEHOLDER.finditer(output) if match.group(1) not in held), None)


def _place(text: str, format: Format, segment: Segment, output: str, alignment: list[int] | None) -> Placement:
    inline = segment.inline
    assert inline is not None
    protected = [span for span in inline.spans if span.protected]
    formatting = [span for span in inline.spans if not span.protected]
    if len(_PLACEHOLDER.findall(inline.source)) != len(protected):
        raise _Failed("the sentence holds text that reads as a placeholder (X1, X2, ...)")
    found = {}
    for match in _PLACEHOLDER.finditer(output):
        number = int(match.group(1))
        if not 1 <= number <= len(protected):
            raise _Failed(f"the model made up a placeholder ({match.group()})")
        if number in found:
            raise _Failed(f"the model repeated the {_name(protected[number - 1].kind)} (placeholder {match.group()})")
        found[number] = match.span()
    for number, span in enumerate(protected, start=1):
        if number not in found:
            raise _Failed(f"the {_name(span.kind)} did not come back from the model (placeholder X{number})")

    words = _words(output)
    source_words = _words(inline.source)
    aligned = None
    ranges: dict[InlineSpan, tuple[int, int]] = {}
    for span in formatting:
        covered = _covered(source_words, span)
        if len(covered) == len(source_words):
            ranges[span] = (0, len(words) - 1)
            continue
        if alignment is None or len(alignment) != len(words):
            raise _Failed(f"no word alignment to place the {_name(span.kind)} with")
        if aligned is None:
            aligned = _AlignedWords(alignment, len(source_words), [_has_word(output[slice(*word)]) for word in words])
        hits = aligned.within(covered)
        if hits is None:
            raise _Failed(f"no translated word aligns with the {_name(span.kind)} text")
        ranges[span] = hits
    _check_nesting(formatting, ranges)
    _check_protected(formatting, ranges, protected, [_word_at(words, found[number][0]) for number in range(1, len(protected) + 1)])

    items = _items(text, output, words, ranges, protected, found, len(inline.source))
    composed, spans = _compose(text, format, segment, items)
    # At the start of a line, a protected span moved there could open a block (inline HTML such as '<?php').
    changed = format.markup_changed(text, segment, composed)
    if changed:
        raise _Failed(changed.replace("the sentence", "the translated sentence", 1))
    return Placement(composed, spans)


def _check_nesting(formatting: list[InlineSpan], ranges: dict[InlineSpan, tuple[int, int]]) -> None:
    """Each span's words inside those of every span it lies in, and apart from those of every span it does not overlap.

    Spans nest in the original (their markers pair up), so it is enough to
    compare each span with its parent and with its siblings, which keeps long
    sentences with many spans near-linear.
    """
    root: list[InlineSpan] = []
    children: dict[InlineSpan | None, list[InlineSpan]] = {None: root}
    open_spans: list[InlineSpan] = []
    for span in sorted(formatting, key=lambda span: (span.start, -span.end)):
        while open_spans and not (span.end <= open_spans[-1].end and span.start >= open_spans[-1].start):
            open_spans.pop()
        parent = open_spans[-1] if open_spans else None
        if parent is not None:
            (outer_first, outer_last), (first, last) = ranges[parent], ranges[span]
            if not (outer_first <= first and last <= outer_last):
                raise _Failed(f"the {_name(parent.kind)} and the {_name(span.kind)} would cross or share words")
        children.setdefault(parent, []).append(span)
        children[span] = []
        open_spans.append(span)
    for siblings in children.values():
        by_words = sorted(siblings, key=lambda span: ranges[span])
        for left, right in zip(by_words, by_words[1:]):
            if ranges[left][1] >= ranges[right][0]:
                raise _Failed(f"the {_name(left.kind)} and the {_name(right.kind)} would cross or share words")


def _check_protected(formatting: list[InlineSpan], ranges: dict[InlineSpan, tuple[int, int]],
                     protected: list[InlineSpan], word_of: list[int]) -> None:  # fmt: skip
    """Each protected span inside a formatting span in the translation exactly when it was in the original.

    Protected spans lie in document order, so those inside a span are a run of
    them: the run's words must all fall in the span's words, and as many
    protected spans as the run holds may fall there.
    """
    starts = [item.start for item in protected]
    ends = [item.end for item in protected]
    landed = sorted(word_of)
    extremes = _Extremes(word_of)
    for span in formatting:
        first, last = ranges[span]
        low, high = bisect.bisect_left(starts, span.inner_start), bisect.bisect_right(ends, span.inner_end)
        inside = max(high - low, 0)
        landed_inside = bisect.bisect_right(landed, last) - bisect.bisect_left(landed, first)
        if inside == landed_inside and (not inside or (first <= extremes.low(low, high) and extremes.high(low, high) <= last)):
            continue
        for item, word in zip(protected, word_of):
            inside = span.inner_start <= item.start and item.end <= span.inner_end
            if inside != (first <= word <= last):
                side = "out of" if inside else "into"
                raise _Failed(f"the {_name(item.kind)} would move {side} the {_name(span.kind)}")


class _Extremes:
    """The least and greatest of a list's values over any run of it, each in constant time (a sparse table)."""

    def __init__(self, values: list[int]) -> None:
        self._lows, self._highs = [list(values)], [list(values)]
        width = 1
        while 2 * width <= len(values):
            lows, highs = self._lows[-1], self._highs[-1]
            self._lows.append([min(lows[i], lows[i + width]) for i in range(len(lows) - width)])
            self._highs.append([max(highs[i], highs[i + width]) for i in range(len(highs) - width)])
            width *= 2

    def low(self, start: int, stop: int) -> int:
        level = (stop - start).bit_length() - 1
        return min(self._lows[level][start], self._lows[level][stop - (1 << level)])

    def high(self, start: int, stop: int) -> int:
        level = (stop - start).bit_length() - 1
        return max(self._highs[level][start], self._highs[level][stop - (1 << level)])


class _AlignedWords:
    """Which translated words the alignment ties to a run of source words: the first and the last of them."""

    def __init__(self, alignment: list[int], source_length: int, has_word: list[bool]) -> None:
        first = [len(alignment)] * source_length
        last = [-1] * source_length
        for index, (source, counts) in enumerate(zip(alignment, has_word)):
            if counts and 0 <= source < source_length:
                first[source] = min(first[source], index)
                last[source] = index
        self._first, self._last = _Extremes(first), _Extremes(last)

    def within(self, sources: range) -> tuple[int, int] | None:
        if not sources:
            return None
        last = self._last.high(sources.start, sources.stop)
        return None if last < 0 else (self._first.low(sources.start, sources.stop), last)


def _items(text, output, words, ranges, protected, found, source_length) -> list[tuple[str, str, InlineSpan | None]]:
    """The output in order as (role, characters, span): text, opening and closing markers, protected spans."""
    events: list[tuple[tuple, str, str, InlineSpan]] = []
    for span, (first, last) in ranges.items():
        # Only its first and last character: slicing the whole text of every nested span would be quadratic.
        inner_first = text[span.inner_start : min(span.inner_start + 1, span.inner_end)]
        inner_last = text[max(span.inner_end - 1, span.inner_start) : span.inner_end]
        start, end = words[first][0], words[last][1]
        # A marker goes around the words, not the punctuation next to them, unless the original did so too;
        # markup around the whole sentence stays around the whole of it.
        whole = span.source_start == 0 and span.source_end >= source_length
        if inner_first.isalnum() and not whole:
            while start < end - 1 and not output[start].isalnum():
                start += 1
        if inner_last.isalnum() and not whole:
            while end > start + 1 and not output[end - 1].isalnum():
                end -= 1
        # At one place, closing markers come first, the inner one first; opening ones outer first.
        events.append(((start, 1, span.start, -span.end), "open", text[span.start : span.inner_start], span))
        events.append(((end, 0, -span.start, span.end), "close", text[span.inner_end : span.end], span))
    events.sort(key=lambda event: event[0])
    placeholders = {found[number][0]: (found[number][1], span) for number, span in enumerate(protected, start=1)}
    cuts = sorted({0, len(output)} | {key[0] for key, *_ in events} | set(placeholders) | {end for end, _ in placeholders.values()})
    items: list[tuple[str, str, InlineSpan | None]] = []
    pending = iter(events)
    event = next(pending, None)
    for position, following in zip(cuts, cuts[1:] + [None]):
        while event is not None and event[0][0] == position:
            items.append((event[1], event[2], event[3]))
            event = next(pending, None)
        if following is None:
            break
        if position in placeholders:
            span = placeholders[position][1]
            items.append(("protected", text[span.start : span.end] if span.replacement is None else span.replacement, span))
        elif following > position:
            items.append(("text", output[position:following], None))
    return items


def _compose(text: str, format: Format, segment: Segment, items) -> tuple[str, tuple[PlacedSpan, ...]]:
    line = _line_to(text, segment.start)
    after_sentence = text[segment.end : segment.end + 1]
    pieces: list[str] = []
    opened: dict[InlineSpan, int] = {}
    spans: list[PlacedSpan] = []
    length = 0
    for index, (role, characters, span) in enumerate(items):
        # Translated words, and a glossary term, are escaped for where they land; markers and other spans are copied.
        if role == "text" or (role == "protected" and span.replacement is not None):
            following = items[index + 1][1][:1] if index + 1 < len(items) else after_sentence
            characters = format.escape_fragment(characters, line.stand_in(), following, line.column)
        if role == "open":
            opened[span] = length
        pieces.append(characters)
        line.add(characters)
        length += len(characters)
        if role == "close":
            spans.append(PlacedSpan(span.kind, span.start, span.end, opened[span], length))
        elif role == "protected":
            spans.append(PlacedSpan(span.kind, span.start, span.end, length - len(characters), length))
    spans.sort(key=lambda placed: (placed.start, -placed.end))
    return "".join(pieces), tuple(spans)


class _LineSoFar:
    """What escape_fragment reads of the line before a fragment, in a stand-in that stays short.

    It reads the line's leading markers, whether a "<" follows the last ">",
    and the last character. Passing the whole line instead would make a long
    sentence with many spans quadratic. The stand-in keeps the line up to its
    first character that no marker uses, then the last angle bracket and the
    last character, which answer those questions as the whole line does.
    It starts with the line's line ending (CRLF whole), and ``column`` counts
    the line's characters.
    """

    def __init__(self, start: str) -> None:
        self.column = 0
        self._line_break = ""
        self._opening: list[str] = []
        self._opened = False  # the opening holds a character outside markers: nothing after it can be a marker
        self._bracket = ""
        self._last = ""
        self.add(start)

    def add(self, piece: str) -> None:
        cut = max(piece.rfind("\n"), piece.rfind("\r"))
        if cut >= 0:
            ending = _line_ending_before(piece, cut + 1)
            self._line_break, self._opening, self._opened, self._bracket, self._last = ending, [], False, "", ""
            self.column = 0
            piece = piece[cut + 1 :]
        self.column += len(piece)
        if not piece:
            return
        if not self._opened:
            for char in piece:
                self._opening.append(char)
                if char not in MARKER_CHARS:
                    self._opened = True
                    break
        opening_bracket, closing_bracket = piece.rfind("<"), piece.rfind(">")
        if max(opening_bracket, closing_bracket) >= 0:
            self._bracket = "<" if opening_bracket > closing_bracket else ">"
        self._last = open_reference_before(self._last + piece, len(self._last) + len(piece)) or piece[-1]

    def stand_in(self) -> str:
        if not self._opened:
            return self._line_break + "".join(self._opening)
        return self._line_break + "".join(self._opening) + self._bracket + self._last


def _line_to(text: str, offset: int) -> _LineSoFar:
    """The line before ``offset``, from a stand-in: the line itself may be a megabyte of sentences."""
    start = line_start(text, offset)
    # From the line ending before the line: a format that wraps lines writes its own.
    line = _LineSoFar(_line_ending_before(text, start) + line_before(text, offset))
    line.column = offset - start
    return line


def _line_ending_before(text: str, line_start: int) -> str:
    """The line ending that ends just before ``line_start`` ("" at the start of the text)."""
    if line_start >= 2 and text.startswith("\r\n", line_start - 2):
        return "\r\n"
    return text[line_start - 1 : line_start] if line_start else ""


def _words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _WORD.finditer(text)]


def _covered(words: list[tuple[int, int]], span: InlineSpan) -> range:
    """The words the span touches, which follow one another."""
    first = bisect.bisect_right(words, span.source_start, key=lambda word: word[1])
    stop = bisect.bisect_left(words, span.source_end, key=lambda word: word[0])
    return range(first, max(stop, first))


def _word_at(words: list[tuple[int, int]], position: int) -> int:
    return bisect.bisect_right(words, position, key=lambda word: word[0]) - 1


def _has_word(word: str) -> bool:
    return any(char.isalnum() for char in word)
