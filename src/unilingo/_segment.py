"""Segmenter: a document's blocks and sentences with exact offsets, as its format reads them.

A segment is the unit the detector decides and the translator translates: a
sentence inside one line, whatever inline markup it holds (see
``_document.Segment``). Each format finds its lines of prose
(``unilingo.formats``); ``_sentences`` splits them into sentences.
"""

from __future__ import annotations

from . import formats
from ._document import Segment, SegmentedText
from ._frontmatter import DEFAULT_KEYS as FRONT_MATTER_KEYS
from ._glossary import Glossary
from ._sentences import check_unicode

# The detector takes the segment type from the segmenter.
__all__ = ["Segment", "format_for_path", "segment"]


def format_for_path(path: str) -> str | None:
    """The format a file name implies: Markdown, text (a text suffix or none at all), or None for one unilingo does not read."""
    found = formats.for_path(path)
    return None if found is None else found.name


def segment(
    text: str, format: str = "text", glossary: Glossary | None = None, front_matter_keys: tuple[str, ...] = FRONT_MATTER_KEYS
) -> SegmentedText:
    """The text's blocks and sentences; ``glossary`` terms become protected spans.

    In Markdown, the values of ``front_matter_keys`` in the front matter are
    segments of their own, one per value.
    """
    check_unicode(text)
    if format not in formats.names():
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(formats.names())}")
    return formats.get(format).segment(text, glossary, front_matter_keys)
