"""The document model every stage shares: segments, their inline markup, blocks and what was skipped.

Formats produce it (``unilingo.formats``), the detector reads it, the
translator and the merger turn it into output. It knows no format: a
format's kinds of markup are names here, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._frontmatter import FrontMatter

# A byte-order mark belongs to the file, not to its first sentence: it stays outside every segment.
BOM = "\ufeff"
# Opens the comment that keeps a translated block's original right after it.
INLINE_MARK = "<!-- unilingo:original"

# HTML's phrasing elements whose text belongs to the sentence around them; their tags are carried to the translation.
HTML_FORMATTING_TAGS = ("a", "abbr", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font", "i", "ins",
                        "mark", "nobr", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "time", "u")  # fmt: skip
# Spans whose text is translated and whose markers are carried to the translated words:
# Markdown's emphasis, strong emphasis, strikethrough and links, and HTML's formatting elements by tag name.
# Subtitles' own: WebVTT's class, voice, language and ruby spans, and a cue of a sentence that runs across cues.
SUBTITLE_FORMATTING_KINDS = ("c", "v", "lang", "ruby", "cue")
FORMATTING_KINDS = ("em", "strong", "s", "link", *HTML_FORMATTING_TAGS, *SUBTITLE_FORMATTING_KINDS)
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


@dataclass(frozen=True)
class Block:
    """A paragraph or top-level Markdown block: whole lines, without the last line ending."""

    start: int
    end: int



@dataclass(frozen=True)
class LangMark:
    """An element's ``lang`` value and the content it applies to."""

    start: int
    end: int
    content_start: int
    content_end: int


@dataclass(frozen=True)
class SegmentedText:
    text: str
    format: str
    blocks: tuple[Block, ...]
    segments: tuple[Segment, ...]
    skipped: tuple[Skipped, ...] = ()
    front_matter: FrontMatter | None = None  # Markdown's YAML or TOML header: its first block, when there is one
    marks: tuple[LangMark, ...] = ()  # HTML: each element's lang, set to the target once its text is translated
