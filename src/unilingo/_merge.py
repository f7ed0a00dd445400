"""Merger: the single-language document, with the original kept beside it or inside it."""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import Sequence

from ._detect import Decision
from ._errors import InputError
from ._frontmatter import find_front_matter
from ._html import primary_language, structure
from ._inline import PlacedSpan
from ._segment import INLINE_MARK, Block, SegmentedText, _Lines, _parse_view, _parser

SIDECAR_SUFFIX = ".unilingo.json"
# In the reason of a sentence translated between its markup because the markup could not be carried.
FALLBACK_MARK = "markup not carried"
# A sentence whose inline markup cannot be carried onto its translation; the reason why follows.
FALLBACK_REASON = f"{FALLBACK_MARK} across the sentence, so it was translated between its markup as before"
KEPT_REASON = f"{FALLBACK_MARK} across the sentence, and no run between it translated; original kept"
# How the reason of a segment whose translation was rejected (a runaway, nothing) begins.
REJECTED_MARK = "translation rejected"
_BASE64_FLAG = "base64"
# After an HTML start tag whose lang inline originals set to the target: the value it had, as written.
LANG_MARK = "<!-- unilingo:lang"
# The header names the original's checksum, so an original edited by hand is noticed and translated again.
_CHECKSUM = "sha256="
_CHECKSUM_LENGTH = 16


@dataclass(frozen=True)
class SegmentResult:
    start: int
    end: int
    text: str
    line: int
    block: int
    group: int
    lang: str | None
    confidence: float
    action: str
    reason: str
    output_start: int
    output_end: int
    output: str | None = None  # the translation, for translated segments only
    spans: tuple[SpanResult, ...] = ()  # the inline markup the sentence holds
    attribute: str | None = None  # the attribute whose value this is (HTML), "alt" for a Markdown image's alt text; None: text

    @property
    def unsegmented(self) -> bool:
        """Text the segmenter could not split, skipped as a whole (see ``reason``)."""
        return self.group < 0

    @property
    def rejected(self) -> bool:
        """Text headed for a model that kept it as it was: the model's translation was rejected (see ``reason``)."""
        return self.output is None and self.reason.startswith((REJECTED_MARK, KEPT_REASON))

    def to_json(self) -> dict:
        # Built directly (not dataclasses.asdict, a fifth of a `detect --json` run); same keys, same order.
        record = {
            "start": self.start, "end": self.end, "text": self.text, "line": self.line, "block": self.block,
            "group": self.group, "lang": self.lang, "confidence": round(self.confidence, 4), "action": self.action,
            "reason": self.reason, "output_start": self.output_start, "output_end": self.output_end,
        }
        if self.output is not None:
            record["output"] = self.output
        if self.spans:
            record["spans"] = tuple(
                {"kind": s.kind, "start": s.start, "end": s.end, "output_start": s.output_start, "output_end": s.output_end}
                for s in self.spans
            )
        if self.attribute is not None:
            record["attribute"] = self.attribute
        return record


@dataclass(frozen=True)
class SpanResult:
    """A piece of inline markup in a segment: where it is in the original and in the output."""

    kind: str  # em, strong, s, link (formatting); code, url, email, autolink, html, image, reference (protected)
    start: int
    end: int
    output_start: int
    output_end: int


@dataclass(frozen=True)
class Document:
    """A normalized (or only detected) document: ``text`` is the output."""

    original: str
    text: str
    format: str
    target: str
    segments: tuple[SegmentResult, ...]
    blocks: tuple[Block, ...]
    models: dict[str, str]  # source language -> model name, for the languages translated
    languages_set: tuple[tuple[int, int, str], ...] = ()  # HTML: each lang value set to the target, as (start, end, new value)

    @property
    def translated(self) -> int:
        return sum(segment.output is not None for segment in self.segments)

    def sidecar(self) -> dict[str, object]:
        """The original and what was done to each segment, without what follows from them.

        Each segment is ``[gap, length, lang, confidence]``, its translation
        after that if it has one, and last ``{"action", "reason", "spans"}``
        where it is worth the bytes: ``spans`` lists a translated sentence's
        inline markup as ``[kind, start, length, output start, output
        length]``, offsets from the start of the segment and of its output. ``gap`` counts the characters since the previous
        segment's end: a few digits, where offsets into a large file take
        seven. The action is the one the row implies (translate with a
        translation, keep in the target language, skip otherwise) unless
        given; the reason is given for a skip or another action, because the
        reason for a plain keep or translate only restates the language and
        confidence.
        """
        segments: list[list[object]] = []
        end = 0
        for segment in self.segments:
            row: list[object] = [segment.start - end, segment.end - segment.start, segment.lang, round(segment.confidence, 4)]
            if segment.output is not None:
                row.append(segment.output)
            implied = "translate" if segment.output is not None else "keep" if segment.lang == self.target else "skip"
            extra: dict[str, object] = {}
            if segment.action != implied:
                extra = {"action": segment.action, "reason": segment.reason}
            elif segment.action == "skip" or FALLBACK_MARK in segment.reason:
                extra = {"reason": segment.reason}
            if segment.spans and segment.output is not None:
                # Relative to the segment, like the rows; a segment left as it was keeps its spans where they were.
                extra["spans"] = [
                    [span.kind, span.start - segment.start, span.end - span.start,
                     span.output_start - segment.output_start, span.output_end - span.output_start]
                    for span in segment.spans
                ]  # fmt: skip
            if extra:
                row.append(extra)
            segments.append(row)
            end = segment.end
        return {
            "unilingo": 2,
            "format": self.format,
            "target": self.target,
            "models": self.models,
            "original_sha256": sha256_text(self.original),
            "output_sha256": sha256_text(self.text),
            "original": self.original,
            "segments": segments,
        }

    def with_inline_originals(self) -> str:
        """The output with each translated Markdown or HTML block followed by its original in an HTML comment.

        A ValueError for other formats, and for HTML whose translated text
        lies where a comment is no comment (a title) or cannot go (an
        attribute value): keep a sidecar for those.
        """
        if self.format == "html":
            return self._html_with_inline_originals()
        if self.format != "markdown":
            raise ValueError("inline originals need Markdown or HTML; keep a sidecar for other formats")
        changed = sorted({segment.block for segment in self.segments if segment.output is not None})
        shifts = _Shifts(_outermost(self.segments))  # an image's alt text in a sentence moves with the sentence
        pieces, position = [], 0
        for index in changed:
            block = self.blocks[index]
            end = shifts.to_output(block.end)
            newline = _newline_after(self.original, block.end)
            pieces.append(self.text[position:end])
            pieces.append(newline + inline_comment(self.original[block.start : block.end], newline))
            position = end
        pieces.append(self.text[position:])
        return "".join(pieces)

    def _html_with_inline_originals(self) -> str:
        """Each translated block's original in a comment after it, and each lang set to the target its old value after its tag."""
        if any(segment.output is not None and segment.attribute for segment in self.segments):
            raise ValueError("a translated attribute value has no place for its original; keep a sidecar")
        changed = sorted({segment.block for segment in self.segments if segment.output is not None})
        found = structure(self.original)
        if set(changed) & found.no_inline_original:
            raise ValueError("a translated title has no place for its original; keep a sidecar")
        outermost = _outermost(self.segments)
        tag_ends = {mark.start: mark.content_start for mark in found.marks}
        insertions = [(self.blocks[index].end, inline_comment(self.original[self.blocks[index].start : self.blocks[index].end], "\n"))
                      for index in changed]  # fmt: skip
        for start, end, _ in self.languages_set:
            if any(segment.start <= start < segment.end for segment in outermost) or start not in tag_ends:
                raise ValueError("a lang set inside a translated sentence has no place for its old value; keep a sidecar")
            if "--" in self.original[start:end] or ">" in self.original[start:end]:
                raise ValueError("a lang value that would end a comment; keep a sidecar")
            insertions.append((tag_ends[start], f"{LANG_MARK} {self.original[start:end]} -->"))
        replaced = [(segment.start, segment.end, segment.output) for segment in outermost if segment.output is not None]
        shifts = _EditShifts(sorted(replaced + list(self.languages_set)))
        pieces, position = [], 0
        for offset, comment in sorted(insertions):
            at = shifts.to_output(offset)
            pieces += [self.text[position:at], comment]
            position = at
        pieces.append(self.text[position:])
        return "".join(pieces)


def _outermost(segments: Sequence[SegmentResult]) -> list[SegmentResult]:
    found: list[SegmentResult] = []
    for segment in segments:
        if not found or segment.start >= found[-1].end:
            found.append(segment)
    return found


def merge(
    segmented: SegmentedText,
    decisions: Sequence[Decision],
    outputs: dict[int, str],
    target: str,
    models: dict[str, str],
    placed: dict[int, tuple[PlacedSpan, ...]] | None = None,
) -> Document:
    """Replace the segments that have an output; every other character stays as it was.

    What the segmenter could not split is listed among the segments as a skip
    with its reason, so that nothing is passed over in silence. ``placed``
    gives, per segment whose markup was carried over, where each span landed
    in its output; a segment kept as it was keeps its spans where they were.

    In HTML a segment may lie inside another one's markup (an attribute value
    in a tag of a sentence), and an element's ``lang`` is set to the target
    once its text is translated: such edits go into the enclosing sentence's
    output where its tag landed there.
    """
    placed = dict(placed or {})
    original = segmented.text
    segments = segmented.segments
    edits = _edits(segmented, decisions, outputs, target)
    outer_of = _enclosing(segments, [start for start, _, _ in edits])
    # Edits inside a translated sentence go into its output; the rest replace their own characters.
    replacements: dict[int, str] = {}
    inner_edits: dict[int, list[tuple[int, int, str, int | None]]] = {}
    top: list[tuple[int, int, str, int | None]] = []
    for (start, end, replacement), owner in zip(edits, outer_of[len(segments) :]):
        item = (start, end, replacement, None)
        (inner_edits.setdefault(owner, []) if owner is not None and owner in outputs else top).append(item)
    for index, segment in enumerate(segments):
        owner = outer_of[index]
        if owner is not None and owner in outputs:
            inner_edits.setdefault(owner, []).append((segment.start, segment.end, outputs.get(index, segment.text), index))
        elif index in outputs:
            top.append((segment.start, segment.end, outputs[index], index))
    inner_at: dict[int, tuple[int, int]] = {}  # inner segment -> where its output lies in its sentence's output
    for owner, items in inner_edits.items():
        replacements[owner], found, placed[owner] = _with_inner_edits(segments[owner], outputs[owner], placed.get(owner, ()), items)
        inner_at.update(found)
    top.sort(key=lambda item: item[0])
    shifts = _EditShifts([(start, end, replacements.get(index, replacement)) for start, end, replacement, index in top])
    output_text = shifts.apply(original)
    results = []
    for index, (segment, decision) in enumerate(zip(segments, decisions)):
        output = outputs.get(index)
        owner = outer_of[index]
        if owner is not None and owner in outputs:
            relative_start, relative_end = inner_at.get(index, (None, None))
            base = shifts.to_output(segments[owner].start)
            if relative_start is None:
                # Its tag did not come through the sentence's translation: left out of the output with it.
                if output is not None:
                    decision = Decision(decision.lang, decision.confidence, "keep", f"{decision.reason}; {_INSIDE_REASON}")
                output = None
                relative_start = relative_end = 0
            output_start, output_end = base + relative_start, base + relative_end
        else:
            output_start = shifts.to_output(segment.start)
            # A segment left as it is may still hold edits (translated attribute values in its tags).
            if output is not None:
                # What lands in the document: with the edits inside its tags, so the row stands for its place.
                output = replacements.get(index, output)
            output_end = shifts.to_output(segment.end) if output is None else output_start + len(output)
        if index in placed:
            spans = tuple(SpanResult(p.kind, p.start, p.end, output_start + p.output_start, output_start + p.output_end)
                          for p in placed[index])  # fmt: skip
        elif output is None and segment.inline is not None:
            spans = tuple(SpanResult(s.kind, s.start, s.end, shifts.to_output(s.start), shifts.to_output(s.end))
                          for s in segment.inline.spans)  # fmt: skip
        else:
            spans = ()
        results.append(
            SegmentResult(segment.start, segment.end, segment.text, segment.line, segment.block, segment.group,
                          decision.lang, decision.confidence, decision.action, decision.reason,
                          output_start, output_end, output, spans, segment.attribute)
        )  # fmt: skip
    for skip in segmented.skipped:
        start = shifts.to_output(skip.start)
        results.append(
            SegmentResult(skip.start, skip.end, original[skip.start : skip.end], skip.line, skip.block, -1, None, 0.0,
                          "skip", skip.reason, start, start + skip.end - skip.start)
        )  # fmt: skip
    results.sort(key=lambda result: (result.start, -result.end))
    return Document(original, output_text, segmented.format, target, tuple(results), segmented.blocks, models, tuple(edits))


# An attribute value or lang inside a tag that the sentence's translation did not carry.
_INSIDE_REASON = "its tag did not come through the translation of the sentence around it"


def _edits(segmented: SegmentedText, decisions: Sequence[Decision], outputs: dict[int, str], target: str) -> list[tuple[int, int, str]]:
    """Each ``lang`` value to set to the target: its element's text has a translated segment and none left untranslated in another language.

    A value already of the target language ("en-GB" for en) stays as it is.
    """
    edits = []
    starts = [segment.start for segment in segmented.segments]
    for mark in segmented.marks:
        first = bisect.bisect_left(starts, mark.content_start)
        last = bisect.bisect_left(starts, mark.content_end)
        inside = range(first, last)
        translated = any(index in outputs for index in inside)
        left = any(index not in outputs and _in_another_language(decisions[index], target) for index in inside)
        written = segmented.text[mark.start : mark.end]
        quote = written[0] if written[:1] in ("'", '"') else ""
        if translated and not left and primary_language(written.strip("'\"")) != target:
            edits.append((mark.start, mark.end, f"{quote}{target}{quote}"))
    return edits


def _in_another_language(decision: Decision, target: str) -> bool:
    # Left as it was (a rejected translation, a language with no model) and read as another language: not the target's.
    return decision.lang not in (None, target)


def _enclosing(segments, edit_starts: list[int]) -> list[int | None]:
    """For each segment, then each edit: the segment whose characters hold it, if any."""
    owners: list[int | None] = []
    outer = None
    for index, segment in enumerate(segments):
        if outer is not None and segment.start < segments[outer].end:
            owners.append(outer)
        else:
            owners.append(None)
            outer = index
    tops = [index for index, owner in enumerate(owners) if owner is None]
    top_starts = [segments[index].start for index in tops]
    for start in edit_starts:
        position = bisect.bisect_right(top_starts, start) - 1
        owner = tops[position] if position >= 0 else None
        owners.append(owner if owner is not None and start < segments[owner].end else None)
    return owners


def _with_inner_edits(segment, output: str, placed: tuple[PlacedSpan, ...], items) -> tuple[str, dict, tuple]:
    """A sentence's output with the edits inside its tags made where those tags landed.

    Returns the output, where each inner segment's output lies in it, and the
    sentence's spans moved by the edits.
    """
    # Edits lie in a formatting span's opening marker (a tag's attributes) or anywhere in a protected span (an image).
    marker_ends = {span.start: span.end if span.protected else span.inner_start for span in segment.inline.spans} if segment.inline else {}
    located = []
    for start, end, replacement, index in items:
        position = None
        for span in placed:
            marker_end = marker_ends.get(span.start, span.end)
            if span.start <= start and end <= marker_end:
                position = span.output_start + start - span.start
        if position is not None:
            located.append((position, end - start, replacement, index))
    located.sort(key=lambda item: item[0])
    pieces, cursor, delta = [], 0, 0
    found = {}
    moved = list(placed)
    for position, length, replacement, index in located:
        pieces.append(output[cursor:position])
        pieces.append(replacement)
        cursor = position + length
        if index is not None:
            found[index] = (position + delta, position + delta + len(replacement))
        change = len(replacement) - length
        moved = [
            PlacedSpan(p.kind, p.start, p.end, p.output_start + (change if p.output_start > position + delta else 0),
                       p.output_end + (change if p.output_end > position + delta else 0))
            for p in moved
        ]  # fmt: skip
        delta += change
    pieces.append(output[cursor:])
    return "".join(pieces), found, tuple(moved)


class _EditShifts:
    """Replacements of non-overlapping ranges of a text, and where an offset of the original lands in the result."""

    def __init__(self, edits: list[tuple[int, int, str]]) -> None:
        self._edits = edits
        self._ends = [end for _, end, _ in edits]
        self._shifts = []
        total = 0
        for start, end, replacement in edits:
            total += len(replacement) - (end - start)
            self._shifts.append(total)

    def apply(self, text: str) -> str:
        pieces, position = [], 0
        for start, end, replacement in self._edits:
            pieces.append(text[position:start])
            pieces.append(replacement)
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def to_output(self, offset: int) -> int:
        index = bisect.bisect_right(self._ends, offset) - 1
        return offset + (self._shifts[index] if index >= 0 else 0)


class _Shifts:
    """Maps an offset in the original to the output, past the replaced segments before it."""

    def __init__(self, segments: Sequence[SegmentResult]) -> None:
        self._ends = [segment.end for segment in segments]
        self._shifts = [segment.output_end - segment.end for segment in segments]

    def to_output(self, offset: int) -> int:
        index = bisect.bisect_right(self._ends, offset) - 1
        return offset + (self._shifts[index] if index >= 0 else 0)


def _newline_after(text: str, offset: int) -> str:
    for newline in ("\r\n", "\n", "\r"):
        if text.startswith(newline, offset):
            return newline
    # The block ends the file without a newline: use the file's own.
    for newline in ("\r\n", "\n", "\r"):
        if newline in text:
            return newline
    return "\n"


def inline_comment(original_block: str, newline: str) -> str:
    header = f"{INLINE_MARK} {_CHECKSUM}{sha256_text(original_block)[:_CHECKSUM_LENGTH]}"
    if "-->" in original_block or "--!>" in original_block:
        # The text would end the comment early; base64 keeps it exact.
        body = base64.b64encode(original_block.encode("utf-8")).decode("ascii")
        return f"{header} {_BASE64_FLAG}{newline}{body}{newline}-->"
    return f"{header}{newline}{original_block}{newline}-->"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- restore ----------------------------------------------------------------


def has_inline_originals(text: str) -> bool:
    return INLINE_MARK in text


def restore_sidecar(sidecar: dict, where: str = "sidecar") -> str:
    original = sidecar.get("original") if isinstance(sidecar, dict) else None
    if not isinstance(original, str):
        raise InputError(f"{where} has no 'original' text: it was not written by unilingo")
    if sidecar.get("original_sha256") not in (None, sha256_text(original)):
        raise InputError(f"{where} is damaged: its original does not match its checksum")
    return original


@dataclass(frozen=True)
class InlineOriginal:
    """A translated block and the comment after it that holds its original."""

    block_start: int
    comment_start: int
    comment_end: int
    original: str
    edited: bool  # the original no longer matches the checksum written with it
    newline: str
    checksum: str | None  # as its header gives it; None in files of older versions
    line: int  # of the comment, from 1


def inline_originals(text: str, where: str = "document", format: str = "markdown") -> list[InlineOriginal]:
    if format == "html":
        return _html_inline_originals(text, where)
    lines = _Lines(text)
    # The front matter is no token of the parser's, yet a block: its original comes right after it.
    front = find_front_matter(text, lines.starts, lines.ends)
    view = _parse_view(text, front)
    top_level = [token for token in _parser().parse(view) if token.level == 0 and token.map and token.nesting >= 0]
    found = []
    for previous, token in zip([None, *top_level], top_level):
        if token.type != "html_block" or not token.content.startswith(INLINE_MARK):
            continue
        first, stop = token.map
        if previous is None and front is not None and front.stop_line == first:
            block_start = 0
        elif previous is None or previous.map[1] != first:
            raise InputError(f"{where}:{first + 1}: an inline original that does not follow its block; was the file edited?")
        else:
            block_start = lines.start(previous.map[0])
        if previous is not None and previous.type == "html_block" and previous.content.startswith(INLINE_MARK):
            raise InputError(f"{where}:{first + 1}: an inline original that follows another one instead of its block, "
                             f"a copy? unilingo cannot tell which block it belongs to: remove the copy; the file was left as it is")  # fmt: skip
        comment_start, comment_end = lines.start(first), lines.end(stop - 1)
        found.append(_inline_original(text, block_start, comment_start, comment_end, where, first))
    return _belonging(text, found, where)


def _html_inline_originals(text: str, where: str) -> list[InlineOriginal]:
    """Each comment that follows a block with its original, as the segmenter finds them in the page."""
    lines = _Lines(text)
    found = []
    for block_start, comment_end in structure(text).translated:
        comment_start = text.rfind(INLINE_MARK, block_start, comment_end)
        found.append(_inline_original(text, block_start, comment_start, comment_end, where, lines.line_of(comment_start)))
    return _belonging(text, found, where)


def _inline_original(text: str, block_start: int, comment_start: int, comment_end: int, where: str, line: int) -> InlineOriginal:
    original, checksum, newline = _comment_body(text[comment_start:comment_end], where, line)
    edited = checksum is not None and checksum != sha256_text(original)[:_CHECKSUM_LENGTH]
    return InlineOriginal(block_start, comment_start, comment_end, original, edited, newline, checksum, line + 1)


def _belonging(text: str, found: list[InlineOriginal], where: str) -> list[InlineOriginal]:
    """``found``, unless a copied inline original makes it unclear which block an original belongs to.

    The same checksum twice is an original written twice: fine where each
    follows the same translated block (a paragraph the page repeats), a copy
    where the blocks differ. Restoring it, or translating it again, would
    put its original in place of some other block's text.
    """
    first_of: dict[str, InlineOriginal] = {}
    for kept in found:
        if kept.checksum is None:
            continue
        first = first_of.setdefault(kept.checksum, kept)
        if text[first.block_start : first.comment_start] != text[kept.block_start : kept.comment_start]:
            raise InputError(f"{where}:{kept.line}: an inline original with the same checksum as the one on line {first.line} "
                             f"follows another block, a copy? unilingo cannot tell which block it belongs to: "
                             f"remove the copy; the file was left as it is")  # fmt: skip
    return found


_LANG_COMMENT = re.compile(re.escape(LANG_MARK) + r" ([^>]*?) -->")


def _restore_languages(text: str, where: str) -> str:
    """The page with each lang that inline originals set to the target back to the value its comment keeps."""
    tags = {mark.content_start: mark for mark in structure(text).marks}
    pieces, position = [], 0
    for comment in _LANG_COMMENT.finditer(text):
        mark = tags.get(comment.start())
        if mark is None:
            line = _Lines(text).line_of(comment.start()) + 1
            raise InputError(f"{where}:{line}: a kept lang value that follows no tag with a lang; was the file edited? "
                             f"nothing was restored")  # fmt: skip
        pieces += [text[position : mark.start], comment.group(1), text[mark.end : comment.start()]]
        position = comment.end()
    pieces.append(text[position:])
    return "".join(pieces)


def restore_inline(text: str, where: str = "document", format: str = "markdown", *, edited: bool = False) -> str:
    """The original Markdown or HTML, from a document written with inline originals.

    Every inline original in the text must be one the parser places after its
    block; one it cannot place (inside a block nested past the parser's limit,
    say) makes this an InputError rather than a restore that leaves it out.
    An original that no longer matches its checksum is an InputError too,
    unless ``edited`` allows originals edited by hand.
    """
    if format == "html" and LANG_MARK in text:
        text = _restore_languages(text, where)
    pieces, position = [], 0
    found = inline_originals(text, where, format)
    changed = [kept for kept in found if kept.edited]
    if changed and not edited:
        raise InputError(f"{where}:{changed[0].line}: {len(changed)} inline original(s) no longer match their checksum: "
                         f"edited by hand, or damaged; nothing was restored: 'unilingo fix' translates edited originals "
                         f"again, 'unilingo restore --force' restores them as they are now")  # fmt: skip
    for kept in found:
        pieces.append(text[position : kept.block_start])
        pieces.append(kept.original)
        position = kept.comment_end
    pieces.append(text[position:])
    lines = _Lines(text)
    stray = [
        lines.line_of(match.start()) + 1
        for match in re.finditer(re.escape(INLINE_MARK), text)
        if not any(kept.block_start <= match.start() < kept.comment_end for kept in found)
    ]
    if stray:
        raise InputError(
            f"{where}:{stray[0]}: {len(stray)} inline original(s) unilingo cannot place after their block; "
            f"nothing was restored: restore those blocks by hand from the comments"
        )
    return "".join(pieces)


def _comment_body(comment: str, where: str, line: int) -> tuple[str, str | None, str]:
    """The original in an inline comment, the checksum its header gives (None in older files), and its newline."""
    header, newline, rest = comment.partition("\n")
    if header.endswith("\r"):
        header, newline = header[:-1], "\r\n"
    elif not newline and "\r" in comment:
        header, newline, rest = comment.partition("\r")
    closing = newline + "-->"
    if not rest.endswith("-->") or not (newline + rest).endswith(closing):
        raise InputError(f"{where}:{line + 1}: an inline original without its closing '-->' on a line of its own")
    body = rest[: len(rest) - len(closing)] if len(rest) >= len(closing) else ""
    words = header[len(INLINE_MARK) :].split()
    checksums = [word[len(_CHECKSUM) :] for word in words if word.startswith(_CHECKSUM)]
    if not header.startswith(INLINE_MARK) or any(word != _BASE64_FLAG and not word.startswith(_CHECKSUM) for word in words):
        raise InputError(f"{where}:{line + 1}: unreadable inline original header {header!r}")
    checksum = checksums[0] if checksums else None
    if _BASE64_FLAG in words:
        # No one edits base64 by hand: text that does not decode, or decodes to other text than its checksum's, is damage.
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise InputError(f"{where}:{line + 1}: an inline original in base64 is damaged (not base64 of UTF-8 text); "
                             f"the file was left as it is: restore that block by hand") from None  # fmt: skip
        if checksum is not None and checksum != sha256_text(body)[:_CHECKSUM_LENGTH]:
            raise InputError(f"{where}:{line + 1}: an inline original in base64 does not match its checksum: it is damaged; "
                             f"the file was left as it is: restore that block by hand")  # fmt: skip
    return body, checksum, newline or "\n"
