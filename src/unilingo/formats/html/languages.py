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
    for mark in segmented.marks:
        first = bisect.bisect_left(starts, mark.content_start)
        last = bisect.bisect_left(starts, mark.content_end)
        inside = range(first, last)
        translated = any(index in outputs for index in inside)
        left = any(index not in outputs and _in_another_language(decisions[index], target) for index in inside)
        written = segmented.text[mark.start : mark.end]
        quote = written[0] if written[:1] in ("'", '"') else ""
        if translated and not left and primary_language(written.strip("'\"")) != target:
            edits.append((mark.start, mark.end, f"{quote}{target}{quote}"))
    return edits


def _in_another_language(decision: Decision, target: str) -> bool:
    # Left as it was (a rejected translation, a language with no model) and read as another language: not the target's.
    return decision.lang not in (None, target)
