"""Verifier: a translated document must parse as its original does, but for the text that was translated.

Each format says what parsing the same means (``Format.reads_as_original``):
Markdown reads both again with its CommonMark parser, HTML with html5lib;
plain text has no markup to change.
"""

from __future__ import annotations

from . import formats


def reads_as_original(original: str, output: str, format: str) -> bool:
    """Whether ``output`` parses to the same document as ``original`` apart from translated text and attribute values."""
    return formats.get(format).reads_as_original(original, output)
