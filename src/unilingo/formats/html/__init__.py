"""HTML: the text and the attribute values people read, found by their exact source offsets.

The page is never rebuilt from a tree. The standard library's tokenizer
(``html.parser`` with ``convert_charrefs=False``) reports where each tag,
text run, character reference and comment starts; only the runs of text and
the attribute values that are translated are replaced, so the doctype,
comments, scripts, entities outside translated text, attribute order and
quoting, whitespace and line endings stay byte for byte.

- The text between two block boundaries (any element that is not inline
  phrasing markup) is a block; ``<br>`` ends a line of it, as a newline does
  in plain text. Inline elements (``a``, ``b``, ``em``, ``span``, ...) are
  carried across the sentence like Markdown's emphasis; ``code``, ``kbd``,
  ``samp``, ``var``, images, inputs and comments inside a sentence are
  protected spans, copied byte for byte.
- Never translated: ``script``, ``style``, ``pre``, ``textarea``,
  ``noscript``, ``template`` and other raw-text or embedded content, and
  anything under ``translate="no"``, ``class="notranslate"`` or
  ``contenteditable``.
- Attributes people read (``title``, ``aria-label``, ``alt``,
  ``placeholder``, the page description, button labels) are segments of
  their own.
- ``lang`` (inherited) is the segment's marked language, a prior for the
  detector; ``LangMark`` records each ``lang`` so that the merger can set it
  to the target once the element's text is translated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..._document import SegmentedText
from ..._glossary import Glossary
from ..._lines import open_reference_before
from ..base import Format
from .escape import escape_attribute, escape_text
from .encoding import check_encoding, check_output_encoding

# The page's structure and what reads it are imported on first use, in each method: a command that reads no HTML
# does not pay for them.

if TYPE_CHECKING:
    from ..._decision import Decision
    from ..._merge import Document
    from ..._originals import InlineOriginal


class Html(Format):
    name = "html"
    title = "HTML"
    suffixes = (".html", ".htm", ".xhtml")
    supports_inline = True

    def segment(self, text: str, glossary: Glossary | None, front_matter_keys: tuple[str, ...]) -> SegmentedText:
        from .segment import segment_html

        return segment_html(text, glossary)

    def check_input(self, text: str, where: str) -> None:
        check_encoding(text, where)

    def check_output(self, text: str, where: str) -> None:
        check_output_encoding(text, where)

    def escape_output(self, output: str, segmented: SegmentedText, index: int) -> str:
        segment = segmented.segments[index]
        if segment.attribute is not None:
            return escape_attribute(output, segment.text)
        return escape_text(output, open_reference_before(segmented.text, segment.start))

    def escape_piece(self, piece: str, text: str, start: int, end: int) -> str:
        return escape_text(piece, open_reference_before(text, start))

    def escape_fragment(self, fragment: str, before: str, after: str, column: int = 0) -> str:
        return escape_text(fragment, before)

    def reads_as_original(self, original: str, output: str) -> bool:
        from .outline import outline

        return outline(original) == outline(output)

    def language_edits(
        self, segmented: SegmentedText, decisions: Sequence[Decision], outputs: dict[int, str], target: str
    ) -> list[tuple[int, int, str]]:
        from . import languages

        return languages.language_edits(segmented, decisions, outputs, target)

    def with_inline_originals(self, document: Document) -> str:
        from . import originals

        return originals.with_inline_originals(document)

    def inline_originals(self, text: str, where: str) -> list[InlineOriginal]:
        from . import originals

        return originals.inline_originals(text, where)

    def restore_inline(self, text: str, where: str, *, edited: bool = False) -> str:
        from . import originals

        return originals.restore_inline(text, where, edited)


HTML = Html()
