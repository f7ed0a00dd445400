"""Cues into segments: a sentence that runs across cues is one segment.

Consecutive cues are one segment while a cue's text ends mid-sentence (a
word, a comma; or an ellipsis the next cue picks up) and the next follows
within ``MAX_GAP_MS``, up to ``MAX_CUES`` cues. What the model reads is the
cue texts joined by spaces, each line break inside a cue read as a space.
Each cue after the first is a formatting span of kind ``cue`` whose opening
marker is the exact text between it and the cue before (line ending, blank
line, number, timing line): the word alignment puts that separator before
the first translated word of the cue, so the translation is split back over
the same cues; without alignment each cue is translated alone (the runs
between markup). A cue whose lines are a dialogue ("- Hallo?" / "- Ja.") is
one segment per line, never joined.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..._glossary import Glossary
from ..._document import PLACEHOLDER, Block, Inline, InlineSpan, Segment, Skipped
from ._cues import Cue, Parsed
from ._markup import Token, tokens, visible

# Cues further apart than this are two sentences, whatever their punctuation says.
MAX_GAP_MS = 3000
# A sentence longer than this many cues is cut: segments stay short enough to translate and align.
MAX_CUES = 6
CUE_KIND = "cue"
NOT_A_CUE = "not a subtitle cue (no timing line); left as it is"
_DASH = re.compile(r"[-\u2013\u2014][ \t]*")
# Characters after which a cue's text runs on into the next cue's.
_RUNS_ON = ",;"
_ELLIPSIS = ("...", "\u2026")


@dataclass(frozen=True)
class Part:
    """One cue's text, or one line of a dialogue cue: what of it is translated."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    cue: Cue
    dialogue: bool


def segments(text: str, parsed: Parsed, glossary: Glossary | None) -> tuple[tuple[Block, ...], tuple[Segment, ...], tuple[Skipped, ...]]:
    line_starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
    blocks = tuple(Block(block.start, block.end) for block in parsed.blocks)
    skipped = tuple(
        Skipped(block.start, block.end, block.first_line, index, NOT_A_CUE)
        for index, block in enumerate(parsed.blocks)
        if block.cue is None and not _kept_block(text, parsed, index)
    )
    found = []
    for group, unit in enumerate(_units(_parts(text, parsed))):
        start, end = unit[0].start, unit[-1].end
        line = bisect.bisect_right(line_starts, start) - 1
        found.append(Segment(start, end, text[start:end], line, unit[0].cue.block, group, _inline(text, unit, glossary)))
    return blocks, tuple(found), skipped


def _kept_block(text: str, parsed: Parsed, index: int) -> bool:
    """WebVTT's header and its NOTE, STYLE and REGION blocks: never cues, never reported."""
    if not parsed.vtt:
        return False
    first = text[parsed.blocks[index].start :]
    return index == 0 or first.startswith(("NOTE", "STYLE", "REGION"))


def _parts(text: str, parsed: Parsed) -> list[Part]:
    parts = []
    for cue in parsed.cues:
        if not cue.text:
            continue
        lines = [text[line.start : line.end] for line in cue.text]
        if len(lines) > 1 and any(_DASH.match(line.lstrip()) for line in lines[1:]):
            found = [_part(text, line.start, line.end, cue, parsed.vtt, True) for line in cue.text]
        else:
            found = [_part(text, cue.text[0].start, cue.text[-1].end, cue, parsed.vtt, False)]
        parts += [part for part in found if part is not None]
    return parts


def _part(text: str, start: int, end: int, cue: Cue, vtt: bool, dialogue: bool) -> Part | None:
    """The tokens of ``text[start:end]`` with the markup and spaces at its edges left out; None without words."""
    found = tokens(text, start, end, vtt)
    first, last = 0, len(found)
    while first < last and (found[first].kind == "protected" or _blank(found[first])):
        first += 1
    while last > first and (found[last - 1].kind == "protected" or _blank(found[last - 1])):
        last -= 1
    found = found[first:last]
    if dialogue and found and found[0].kind == "text" and (dash := _DASH.match(found[0].reads.lstrip())) is not None:
        first = found[0]
        cut = len(first.reads) - len(first.reads.lstrip()) + dash.end()
        found[0] = Token("text", first.start + cut, first.end, first.reads[cut:])
    found = _trimmed(found)
    if not any(char.isalnum() for char in visible(found)):
        return None
    return Part(found[0].start, found[-1].end, tuple(found), cue, dialogue)


def _blank(token: Token) -> bool:
    return token.kind in ("text", "char") and not token.reads.strip()


def _trimmed(found: list[Token]) -> list[Token]:
    """The tokens without the spaces and line breaks at their edges."""
    first, last = 0, len(found)
    while first < last and _blank(found[first]):
        first += 1
    while last > first and _blank(found[last - 1]):
        last -= 1
    found = found[first:last]
    if found and found[0].kind == "text":
        first = found[0]
        lead = len(first.reads) - len(first.reads.lstrip())
        found[0] = Token("text", first.start + lead, first.end, first.reads[lead:])
    if found and found[-1].kind == "text":
        last = found[-1]
        kept = last.reads.rstrip()
        found[-1] = Token("text", last.start, last.start + len(kept), kept)
    return found


def _units(parts: list[Part]) -> list[list[Part]]:
    """The parts grouped into segments: a cue that ends mid-sentence runs on into the next."""
    units: list[list[Part]] = []
    for part in parts:
        if units and len(units[-1]) < MAX_CUES and _runs_on(units[-1][-1], part):
            units[-1].append(part)
        else:
            units.append([part])
    return units


def _runs_on(before: Part, after: Part) -> bool:
    if before.dialogue or after.dialogue or before.cue is after.cue:
        return False
    gap = after.cue.begins - before.cue.ends
    if after.cue.begins < before.cue.begins or gap > MAX_GAP_MS:
        return False
    ending, opening = visible(list(before.tokens)).rstrip(), visible(list(after.tokens)).lstrip()
    if ending.endswith(_ELLIPSIS):
        return opening.startswith(_ELLIPSIS) or opening[:1].islower()
    return ending[-1:].isalnum() or ending[-1:] in _RUNS_ON


def _inline(text: str, unit: list[Part], glossary: Glossary | None) -> Inline | None:
    """What the model and the detector read of the unit, its markup and cue boundaries as spans; None when that is its text."""
    built = _Built()
    for index, part in enumerate(unit):
        if index:
            built.boundary(unit[index - 1].end, part.start)
        for token in _with_terms(text, list(part.tokens), glossary):
            built.add(token)
    built.finish(unit[-1].end)
    source = "".join(built.source)
    if not built.spans and source == text[unit[0].start : unit[-1].end]:
        return None
    spans = tuple(sorted(built.spans, key=lambda span: (span.start, -span.end)))
    pieces = tuple((start, end) for start, end, _ in built.pieces)
    return Inline(source, " ".join("".join(built.plain).split()), spans, pieces, tuple(reads for *_, reads in built.pieces))


class _Built:
    """The model's source, the spans and the runs of text between markup, built token by token."""

    def __init__(self) -> None:
        self.source: list[str] = []
        self.plain: list[str] = []
        self.length = 0
        self.spans: list[InlineSpan] = []
        self.pieces: list[tuple[int, int, str]] = []
        self._run: list[Token] = []
        self._opened: list[tuple[Token, int]] = []
        self._cue: tuple[int, int, int] | None = None  # the open cue span: start, inner start, source start
        self._placeholders = 0

    def add(self, token: Token) -> None:
        if token.kind in ("text", "char"):
            self._append(token.reads, token.reads)
            self._run.append(token)
            return
        self._end_run()
        if token.kind == "open":
            self._opened.append((token, self.length))
        elif token.kind == "close":
            opening, at = self._opened.pop()
            self.spans.append(InlineSpan(token.tag, opening.start, token.end, opening.end, token.start, at, self.length))
        else:
            self._placeholders += 1
            placeholder = PLACEHOLDER.format(number=self._placeholders)
            replacement = token.reads if token.tag == "glossary" else None
            self.spans.append(InlineSpan(token.tag, token.start, token.end, token.start, token.end,
                                         self.length, self.length + len(placeholder), replacement))  # fmt: skip
            self._append(placeholder, " ")

    def boundary(self, end: int, start: int) -> None:
        """Between two cues: the text from the end of one's words to the start of the next's."""
        self._end_run()
        self._close_cue(end)
        self._append(" ", " ")
        self._cue = (end, start, self.length)

    def finish(self, end: int) -> None:
        self._end_run()
        self._close_cue(end)

    def _close_cue(self, end: int) -> None:
        if self._cue is not None:
            start, inner_start, source_start = self._cue
            self.spans.append(InlineSpan(CUE_KIND, start, end, inner_start, end, source_start, self.length))

    def _append(self, source: str, plain: str) -> None:
        self.source.append(source)
        self.plain.append(plain)
        self.length += len(source)

    def _end_run(self) -> None:
        """The run of text so far as a piece to translate alone, its spaces at the edges left out."""
        run, self._run = _trimmed(self._run), []
        reads = "".join(token.reads for token in run)
        if any(char.isalnum() for char in reads):
            self.pieces.append((run[0].start, run[-1].end, reads))


def _with_terms(text: str, found: list[Token], glossary: Glossary | None) -> list[Token]:
    """The tokens with each glossary term in their text a protected token of its own."""
    if glossary is None or not glossary.terms:
        return found
    result = []
    for token in found:
        matches = glossary.matches(text, token.start, token.end) if token.kind == "text" else []
        position = token.start
        for start, end, replacement in matches:
            if start > position:
                result.append(Token("text", position, start, text[position:start]))
            result.append(Token("protected", start, end, replacement, "glossary"))
            position = end
        if matches and position < token.end:
            result.append(Token("text", position, token.end, text[position : token.end]))
        if not matches:
            result.append(token)
    return result
