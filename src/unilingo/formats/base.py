"""What a format is to the rest of unilingo: one object that segments its documents and writes translations into them.

A format subclasses ``Format``, overrides what it needs and is listed in
``unilingo.formats``. The defaults fit plain text: nothing to check, nothing
to escape, no markup to verify, no inline originals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Sequence

from .._originals import restore

if TYPE_CHECKING:
    from .._decision import Decision
    from .._document import Block, Segment, SegmentedText
    from .._glossary import Glossary
    from .._merge import Document, SegmentResult
    from .._originals import InlineOriginal


class Joined(NamedTuple):
    """A container's output, with its parts' rows and blocks moved into the container's text (see ``Format.join``)."""

    text: str
    segments: tuple[SegmentResult, ...]
    blocks: tuple[Block, ...]
    models: dict[str, str]


class Format:
    name: str = ""  # as --format, sidecars and reports give it
    title: str = ""  # as messages name it
    suffixes: tuple[str, ...] = ()  # lower case, with the dot
    takes_unsuffixed: bool = False  # whether a file name without a suffix is of this format
    supports_inline: bool = False  # whether its originals can be kept inline (--keep-original inline)

    def segment(self, text: str, glossary: Glossary | None, front_matter_keys: tuple[str, ...]) -> SegmentedText:
        """The text's blocks and sentences; ``glossary`` terms become protected spans. ``text`` is valid Unicode."""
        raise NotImplementedError

    def parts(self, text: str) -> list[tuple[str, str]] | None:
        """For a container (a notebook): the documents in it, as (text, format name); None for a document of its own."""
        return None

    def join(self, text: str, documents: Sequence[Document]) -> Joined:
        """For a container: its output with ``documents``, its parts normalized in the order ``parts`` gave them."""
        raise NotImplementedError

    def check_input(self, text: str, where: str) -> None:
        """An InputError when unilingo cannot read ``text`` as this format says it must be read."""

    def check_output(self, text: str, where: str) -> None:
        """An OutputError when ``text``, about to be written, would not read as written."""

    def escape_output(self, output: str, segmented: SegmentedText, index: int) -> str:
        """The model's output for segment ``index`` (a sentence without markup, or a value; stripped), as it must be spliced into the text."""
        return output

    def escape_piece(self, piece: str, text: str, start: int, end: int) -> str:
        """A translated run between a sentence's markup, as it must replace ``text[start:end]``."""
        return piece

    def escape_fragment(self, fragment: str, before: str, after: str, column: int = 0) -> str:
        """Translated words or a glossary term between markers, as they must land after ``before`` and before ``after``.

        ``before`` holds what its line reads before it (a short stand-in, after
        the line ending before it), ``after`` the character that follows it (""
        at the end of the text), ``column`` how many characters its line holds
        before it (for a format that wraps lines).
        A glossary is as untrusted as a model: its terms are escaped too.
        """
        return fragment

    def markup_changed(self, text: str, segment: Segment, output: str) -> str | None:
        """How ``output``, the sentence as it goes into the document, would change its markup; None when it keeps it."""
        return None

    def written_problem(self, segmented: SegmentedText, index: int, written: str, output: str) -> str | None:
        """Why segment ``index`` written as ``written`` would not say ``output`` or would change what is around it; None when fine."""
        return None

    def window_starts(self, text: str, size: int) -> list[int]:
        """Where ``text`` may be cut into windows of about ``size`` characters that segment as they do in the whole (see ``_windows``).

        Default: never cut; the document is one window.
        """
        return [0]

    def reads_as_original(self, original: str, output: str) -> bool:
        """Whether ``output`` parses to the same document as ``original`` apart from translated text and values."""
        return True

    def language_edits(
        self, segmented: SegmentedText, decisions: Sequence[Decision], outputs: dict[int, str], target: str
    ) -> list[tuple[int, int, str]]:
        """Edits beside the translations, as sorted (start, end, replacement): where the document says its language."""
        return []

    def with_inline_originals(self, document: Document) -> str:
        """The output with each translated block followed by its original; a ValueError where that cannot be done exactly."""
        raise ValueError("inline originals need Markdown or HTML; keep a sidecar for other formats")

    def inline_originals(self, text: str, where: str) -> list[InlineOriginal]:
        """The inline originals written into ``text``, each after its block; an InputError for one out of place."""
        return []

    def restore_inline(self, text: str, where: str, *, edited: bool = False) -> str:
        """The original document, from one written with inline originals (see ``_originals.restore``)."""
        return restore(text, self.inline_originals(text, where), where, edited)
