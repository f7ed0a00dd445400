"""Markdown (CommonMark with tables and strikethrough, and YAML or TOML front matter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._document import Segment, SegmentedText
from ..._frontmatter import find_front_matter, quote
from ..._frontmatter import values as front_values
from ..._frontmatter import written_problem
from ..._glossary import Glossary
from ..._sentences import Lines, assemble, value_inline
from ..._windows import window_starts
from ..base import Format
from .escape import escape_fragment, escape_markdown

# The parser (markdown-it) and what uses it are imported on first use, in each method: a command
# that reads no Markdown does not pay for them (a tenth of `detect` on a short text file was imports).

if TYPE_CHECKING:
    from ..._merge import Document
    from ..._originals import InlineOriginal


class Markdown(Format):
    name = "markdown"
    title = "Markdown"
    suffixes = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
    supports_inline = True

    def segment(self, text: str, glossary: Glossary | None, front_matter_keys: tuple[str, ...]) -> SegmentedText:
        """Each top-level block's sentences, each image's alt text, and the values of ``front_matter_keys`` in the front matter."""
        from .walker import alt_texts, structure

        lines = Lines(text)
        front = find_front_matter(text, lines.starts, lines.ends)
        blocks, runs, translated, unsegmented = structure(text, lines, front)
        header = [
            Segment(value.start, value.end, text[value.start : value.end], value.line, 0, group,
                    value_inline(value.text, glossary, text[value.start : value.end]))
            for group, value in enumerate(front_values(text, front, lines.starts, lines.ends, front_matter_keys) if front else [])
        ]  # fmt: skip
        alts = [alt for elements in runs for alt in alt_texts(text, elements)]
        return assemble(text, self.name, lines, blocks, runs, glossary, header=header, alts=alts,
                        translated=translated, unsegmented=unsegmented, front=front)  # fmt: skip

    def window_starts(self, text: str, size: int) -> list[int]:
        from .windows import block_starts

        return window_starts(text, block_starts, size)

    def escape_output(self, output: str, segmented: SegmentedText, index: int) -> str:
        segment = segmented.segments[index]
        front = segmented.front_matter
        if front is not None and segment.end <= front.end:
            return quote(output, segment.text, front.kind)
        return escape_markdown(output, segmented.text, segment.start, segment.end)

    def escape_piece(self, piece: str, text: str, start: int, end: int) -> str:
        return escape_markdown(piece, text, start, end)

    def escape_fragment(self, fragment: str, before: str, after: str, column: int = 0) -> str:
        return escape_fragment(fragment, before, after)

    def markup_changed(self, text: str, segment: Segment, output: str) -> str | None:
        from . import checks

        return checks.markup_changed(text, segment.start, segment.text, output)

    def written_problem(self, segmented: SegmentedText, index: int, written: str, output: str) -> str | None:
        front = segmented.front_matter
        segment = segmented.segments[index]
        if front is None or segment.end > front.end:
            return None
        return written_problem(segmented.text, front, segment.start, segment.end, written, output)

    def reads_as_original(self, original: str, output: str) -> bool:
        from . import checks

        return list(checks.outline(original)) == list(checks.outline(output))

    def with_inline_originals(self, document: Document) -> str:
        from . import originals

        return originals.with_inline_originals(document)

    def inline_originals(self, text: str, where: str) -> list[InlineOriginal]:
        from . import originals

        return originals.inline_originals(text, where)


MARKDOWN = Markdown()
