"""HTML: the text and the attribute values people read, replaced at their exact offsets (see ``page``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..._document import SegmentedText
from ..._glossary import Glossary
from ..base import Format
from . import originals
from .escape import escape_attribute, escape_text
from .outline import outline
from .page import check_encoding, check_output_encoding, segment_html

if TYPE_CHECKING:
    from ..._detect import Decision
    from ..._merge import Document
    from ..._originals import InlineOriginal


class Html(Format):
    name = "html"
    title = "HTML"
    suffixes = (".html", ".htm", ".xhtml")
    supports_inline = True

    def segment(self, text: str, glossary: Glossary | None, front_matter_keys: tuple[str, ...]) -> SegmentedText:
        return segment_html(text, glossary)

    def check_input(self, text: str, where: str) -> None:
        check_encoding(text, where)

    def check_output(self, text: str, where: str) -> None:
        check_output_encoding(text, where)

    def escape_output(self, output: str, segmented: SegmentedText, index: int) -> str:
        segment = segmented.segments[index]
        return escape_text(output) if segment.attribute is None else escape_attribute(output, segment.text)

    def escape_piece(self, piece: str, text: str, start: int, end: int) -> str:
        return escape_text(piece)

    def escape_fragment(self, fragment: str, before: str, after: str, column: int = 0) -> str:
        return escape_text(fragment)

    def reads_as_original(self, original: str, output: str) -> bool:
        return list(outline(original)) == list(outline(output))

    def language_edits(
        self, segmented: SegmentedText, decisions: Sequence[Decision], outputs: dict[int, str], target: str
    ) -> list[tuple[int, int, str]]:
        return originals.language_edits(segmented, decisions, outputs, target)

    def with_inline_originals(self, document: Document) -> str:
        return originals.with_inline_originals(document)

    def inline_originals(self, text: str, where: str) -> list[InlineOriginal]:
        return originals.inline_originals(text, where)

    def restore_inline(self, text: str, where: str, *, edited: bool = False) -> str:
        return originals.restore_inline(text, where, edited)


HTML = Html()
