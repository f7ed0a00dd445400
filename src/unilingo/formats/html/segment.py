"""HTML: a page's lines of prose split into sentences, and the attribute values people read, each a segment."""

from __future__ import annotations

import bisect

from ..._document import Block, Element, Segment, SegmentedText
from ..._glossary import Glossary
from ..._sentences import Covered, Lines, ignored_spans, line_sentences, plain_runs, sentences, value_inline
from .structure import language_at, structure


def segment_html(text: str, glossary: Glossary | None = None) -> SegmentedText:
    """The page's lines of prose split into sentences, and the attribute values people read, each a segment."""
    found = structure(text)
    lines = Lines(text)
    block_starts = [start for start, _ in found.blocks]
    segments = []
    group = 0
    for block, elements in found.lines:
        if _balanced(elements):
            found_sentences = line_sentences(text, elements, glossary)
        else:
            # Tags opened in one order and closed in another cannot be carried: the runs of text between them, alone.
            found_sentences = [(start, end, None) for run in plain_runs(elements) for start, end in sentences(text, *run)]
        word_starts = [e.start for e in elements if e.kind == "text" and e.plain.strip()]
        for start, end, inline in found_sentences:
            following = bisect.bisect_left(word_starts, start)
            first_word = word_starts[following] if following < len(word_starts) else start
            segments.append(Segment(start, end, text[start:end], lines.line_of(start), block, group, inline,
                                    language_at(found, first_word)))  # fmt: skip
        group += 1
    for attribute in found.attributes:
        block = max(bisect.bisect_right(block_starts, attribute.start) - 1, 0)
        inline = value_inline(attribute.value, glossary)
        segments.append(Segment(attribute.start, attribute.end, text[attribute.start : attribute.end],
                                lines.line_of(attribute.start), block, group, inline, attribute.lang, attribute.name))  # fmt: skip
        group += 1
    segments.sort(key=lambda segment: (segment.start, -segment.end))
    ignored = Covered(ignored_spans(text, lines) + found.translated)
    kept = tuple(s for s in segments if s.start not in ignored)
    blocks = tuple(Block(start, end) for start, end in found.blocks)
    return SegmentedText(text, "html", blocks, kept, marks=tuple(found.marks))


def _balanced(elements: list[Element]) -> bool:
    opened: list[str] = []
    for element in elements:
        if element.kind == "open":
            opened.append(element.span)
        elif element.kind == "close":
            if not opened or opened.pop() != element.span:
                return False
    return not opened
