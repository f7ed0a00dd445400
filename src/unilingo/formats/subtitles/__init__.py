"""Subtitles: SubRip (.srt) and WebVTT (.vtt), cue text translated, everything else kept.

Numbers, identifiers, timing lines and cue settings, WebVTT's header and
its NOTE, STYLE and REGION blocks are never touched; styling tags are
carried to the translated words; a sentence that runs across cues is
translated as one and split back over the same cues by word alignment
(``_segments``); each cue's translation is wrapped into lines of at most 42
characters (``_wrap``). Neither format has a place for an original that no
player shows (SubRip has no comments; a WebVTT NOTE cannot hold a timing
line), so the original is kept in a sidecar.
"""

from __future__ import annotations

from ..._document import Segment, SegmentedText
from ..._errors import InputError
from ..._glossary import Glossary
from ..base import Format

# The cue parser and the rewrapping are imported on first use, in each method: a command that reads no subtitles
# does not pay for them.


class Subtitles(Format):
    supports_inline = False

    def __init__(self, name: str, title: str, suffix: str, vtt: bool) -> None:
        self.name, self.title, self.suffixes, self.vtt = name, title, (suffix,), vtt

    def segment(self, text: str, glossary: Glossary | None, front_matter_keys: tuple[str, ...]) -> SegmentedText:
        from ._cues import parse
        from ._segments import segments

        blocks, found, skipped = segments(text, parse(text, self.vtt), glossary)
        return SegmentedText(text, self.name, blocks, found, skipped)

    def check_input(self, text: str, where: str) -> None:
        from ._cues import parse

        try:
            parse(text, self.vtt)
        except InputError as error:
            raise InputError(f"{where}: {error}") from None

    def escape_output(self, output: str, segmented: SegmentedText, index: int) -> str:
        segment = segmented.segments[index]
        return self._wrapped(output, segmented.text, segment.start, segment.end)

    def escape_piece(self, piece: str, text: str, start: int, end: int) -> str:
        return self._wrapped(piece.strip(), text, start, end)

    def escape_fragment(self, fragment_: str, before: str, after: str, column: int = 0) -> str:
        from ._wrap import fragment

        newline = "\r\n" if "\r\n" in before else "\r" if "\r" in before else "\n"
        return fragment(fragment_, column, after[:1] in ("", "\r", "\n"), self.vtt, newline)

    def markup_changed(self, text: str, segment: Segment, output: str) -> str | None:
        from ._wrap import markup_changed

        return markup_changed(text, segment, output, self.vtt)

    def written_problem(self, segmented: SegmentedText, index: int, written: str, output: str) -> str | None:
        # A segment without tags takes the model's output whole: SubRip has no escapes, so a tag in it would be read.
        return self.markup_changed(segmented.text, segmented.segments[index], written)

    def reads_as_original(self, original: str, output: str) -> bool:
        from ._wrap import same_cues

        return same_cues(original, output, self.vtt)

    def _wrapped(self, output: str, text: str, start: int, end: int) -> str:
        from ._wrap import column_before, fragment, newline_of

        at_line_end = text[end : end + 1] in ("", "\r", "\n")
        return fragment(output, column_before(text, start), at_line_end, self.vtt, newline_of(text, start))


SRT = Subtitles("srt", "SubRip", ".srt", vtt=False)
VTT = Subtitles("vtt", "WebVTT", ".vtt", vtt=True)

__all__ = ["SRT", "VTT", "Subtitles"]
