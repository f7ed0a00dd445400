"""The formats unilingo reads, one module or folder each, and how to find one by name or file name.

A format registers by being listed in ``FORMATS`` below: it subclasses
``Format`` (``formats/base.py``) and lives in its own module or folder,
importing only the shared model below the formats (``_document``,
``_sentences``, ``_originals``). Nothing outside this package compares
format names: it asks the format.
"""

from __future__ import annotations

from pathlib import PurePath

from .._errors import ConfigError
from .base import Format
from .html import HTML
from .markdown import MARKDOWN
from .notebook import NOTEBOOK
from .subtitles import SRT, VTT
from .text import TEXT

# In the order --format and messages list them.
FORMATS: tuple[Format, ...] = (TEXT, MARKDOWN, HTML, SRT, VTT, NOTEBOOK)
_BY_NAME = {format.name: format for format in FORMATS}

__all__ = ["FORMATS", "Format", "for_path", "get", "inline_names", "names", "suffixes", "suffixes_described"]


def names() -> tuple[str, ...]:
    return tuple(_BY_NAME)


def inline_names() -> tuple[str, ...]:
    """The formats whose originals can be kept inline."""
    return tuple(format.name for format in FORMATS if format.supports_inline)


def get(name: str) -> Format:
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown format {name!r}: use one of {', '.join(names())}") from None


def for_path(path: str) -> Format | None:
    """The format a file name implies (text: a text suffix or none at all), or None for one unilingo does not read."""
    name = path.lower()
    for format in FORMATS:
        if name.endswith(format.suffixes):
            return format
    if not PurePath(name).suffix:
        return next((format for format in FORMATS if format.takes_unsuffixed), None)
    return None


def suffixes() -> tuple[str, ...]:
    """Every suffix of every format: what a folder walk reads."""
    return tuple(suffix for format in FORMATS for suffix in format.suffixes)


def suffixes_described() -> str:
    """Each format's suffixes, for a message; the one that takes unsuffixed names last."""
    return "; ".join(
        f"{format.name}: {' '.join(format.suffixes)}" + (" or no suffix" if format.takes_unsuffixed else "")
        for format in sorted(FORMATS, key=lambda format: format.takes_unsuffixed)
    )
