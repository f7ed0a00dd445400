"""SubRip (.srt) and WebVTT (.vtt) files as blocks and cues with exact offsets.

A cue is its identifier or number line (optional), its timing line (WebVTT
cue settings after the timings) and its text lines; WebVTT's header and its
NOTE, STYLE and REGION blocks are blocks that are never cues. Offsets are
into the text as it was read, so every byte outside a cue's text is copied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ..._errors import InputError, excerpt
from ..._lines import LINE_BREAK

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
# SubRip writes a comma before the milliseconds, but players read a dot too, and some files add coordinates.
SRT_TIMING = re.compile(rf"[ \t]*{_TIME}[ \t]*-->[ \t]*{_TIME}(?:[ \t].*)?")
# WebVTT: hours optional, a dot, exactly three digits of milliseconds; cue settings follow the timings.
VTT_TIMING = re.compile(r"[ \t]*(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})[ \t]+-->[ \t]+(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})(?:[ \t].*)?")
_VTT_HEADER = re.compile(r"\ufeff?WEBVTT(?:[ \t\r\n]|$)")
_VTT_BLOCKS = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")


class Line(NamedTuple):
    start: int
    end: int  # where its line ending starts
    next: int  # where the next line starts


@dataclass(frozen=True)
class Cue:
    block: int  # index of its block
    timing: Line
    text: tuple[Line, ...]  # its text lines; may be none
    begins: int  # its timings in milliseconds
    ends: int


@dataclass(frozen=True)
class Block:
    """Lines between blank lines: a cue, or a WebVTT header, NOTE, STYLE or REGION block, or text that is no cue."""

    start: int
    end: int  # without its last line ending
    first_line: int
    cue: Cue | None


@dataclass(frozen=True)
class Parsed:
    vtt: bool
    blocks: tuple[Block, ...]

    @property
    def cues(self) -> list[Cue]:
        return [block.cue for block in self.blocks if block.cue is not None]


def parse(text: str, vtt: bool) -> Parsed:
    """The file's blocks; an InputError naming the first line that makes it no subtitle file."""
    lines = _lines(text)
    if vtt and not _VTT_HEADER.match(text):
        raise InputError(f"not a WebVTT file: it must start with a 'WEBVTT' line, not {excerpt(text[lines[0].start:lines[0].end])}; "
                         f"add that line or give the right --format")  # fmt: skip
    blocks: list[Block] = []
    number = 0
    while number < len(lines):
        if _blank(text, lines[number]):
            number += 1
            continue
        first = number
        # A WebVTT cue's text ends at a blank line or at a line that holds "-->" (the next cue's timings).
        number += 1
        while number < len(lines) and not _blank(text, lines[number]) and not (vtt and _ends_cue(text, lines, first, number)):
            number += 1
        block_lines = lines[first:number]
        header = vtt and not blocks
        cue = None if header or (vtt and _VTT_BLOCKS.match(_at(text, block_lines[0]))) else _cue(text, block_lines, len(blocks), vtt)
        if cue is None and not vtt and not blocks:
            raise InputError(f"not a SubRip file: line {first + 1} ({excerpt(_at(text, block_lines[0]))}) is no cue number or "
                             f"'00:00:01,000 --> 00:00:02,000' timing line; mend it or give the right --format")  # fmt: skip
        blocks.append(Block(block_lines[0].start, block_lines[-1].end, first, cue))
    return Parsed(vtt, tuple(blocks))


def _cue(text: str, lines: list[Line], block: int, vtt: bool) -> Cue | None:
    """The block as a cue: an optional identifier line, a timing line, text lines; None when it is none."""
    pattern = VTT_TIMING if vtt else SRT_TIMING
    for offset in (0, 1):
        if offset < len(lines):
            timing = pattern.fullmatch(_at(text, lines[offset]))
            if timing is not None:
                if offset == 1 and "-->" in _at(text, lines[0]):
                    return None  # an identifier may not hold "-->"
                return Cue(block, lines[offset], tuple(lines[offset + 1 :]), *_milliseconds(timing.groups()))
    return None


def _milliseconds(groups: tuple[str | None, ...]) -> tuple[int, int]:
    def value(hours: str | None, minutes: str, seconds: str, fraction: str) -> int:
        return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(fraction.ljust(3, "0"))

    return value(*groups[:4]), value(*groups[4:8])


def _ends_cue(text: str, lines: list[Line], first: int, number: int) -> bool:
    """Whether line ``number`` is the next cue's timing line rather than this block's second line (after an identifier)."""
    return "-->" in _at(text, lines[number]) and (number > first + 1 or "-->" in _at(text, lines[first]))


def _lines(text: str) -> list[Line]:
    found, position = [], 0
    for match in LINE_BREAK.finditer(text):
        found.append(Line(position, match.start(), match.end()))
        position = match.end()
    found.append(Line(position, len(text), len(text)))
    return found


def _at(text: str, line: Line) -> str:
    return text[line.start : line.end].lstrip("\ufeff")


def _blank(text: str, line: Line) -> bool:
    return not text[line.start : line.end].strip(" \t\ufeff")
