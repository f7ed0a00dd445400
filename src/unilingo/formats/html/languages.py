"""HTML: an element's ``lang`` is set to the target once its text is translated, and only then."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Sequence

from ..._document import SegmentedText
from .structure import primary_language

if TYPE_CHECKING:
    from ..._decision import Decision


def language_edits(segmented: SegmentedText, decisions: Sequence[Decision], outputs: dict[int, str], target: str) -> list[tuple[int, int, str]]:
    """Each ``lang`` value to set to the target: its element's text has a translated segment and none left untranslated in another language.

    A value already of the target language ("en-GB" for en) stays as it is.
    """
    edits = []
    starts = [segment.start for segment in segmented.segments]
    # Counts up to each segment, so that an element's segments are counted in constant time however many elements nest.
    translated_before, left_before = [0], [0]
    for index in range(len(starts)):
        translated_before.append(translated_before[-1] + (index in outputs))
        left_before.append(left_before[-1] + (index not in outputs and _in_another_language(decisions[index], target)))
    for mark in segmented.marks:
        first = bisect.bisect_left(starts, mark.content_start)
        last = bisect.bisect_left(starts, mark.content_end)
        translated = translated_before[last] > translated_before[first]
        left = left_before[last] > left_before[first]
        written = segmented.text[mark.start : mark.end]
        quote = written[0] if written[:1] in ("'", '"') else ""
        if translated and not left and primary_language(written.strip("'\"")) != target:
            edits.append((mark.start, mark.end, f"{quote}{target}{quote}"))
    return edits


def _in_another_language(decision: Decision, target: str) -> bool:
    # Left as it was (a rejected translation, a language with no model) and read as another language: not the target's.
    return decision.lang not in (None, target)
