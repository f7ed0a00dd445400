"""Merger: the single-language document, with the original kept beside it or inside it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

from . import formats
from ._decision import Action, Decision, Why
from ._document import Block, SegmentedText
from ._inline import PlacedSpan
from ._errors import InputError
from ._originals import EditShifts, InlineOriginal, has_inline_originals, sha256_text


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
    action: Action
    reason: str  # for people; what it rests on is ``why``
    why: Why
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
        return self.output is None and self.why in (Why.REJECTED, Why.KEPT_AS_FALLBACK)

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
            implied = Action.TRANSLATE if segment.output is not None else Action.KEEP if segment.lang == self.target else Action.SKIP
            extra: dict[str, object] = {}
            if segment.action != implied:
                extra = {"action": segment.action, "reason": segment.reason}
            elif segment.action == Action.SKIP or segment.why.markup_not_carried:
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
        """The output with each translated block followed by its original in an HTML comment.

        A ValueError for formats without inline originals, where the format
        has no place for one (an HTML title or attribute value), and where
        the output would not restore exactly: keep a sidecar for those. It
        is restored at once and compared, as a block can read otherwise once
        translated (a parser nests it past its limit; HTML starts a block
        after a lone space before a reference, and at the space before a
        word), and a comment put back at another place would lose or add a
        character, unseen by any later check.
        """
        written_as = formats.get(self.format)
        text = written_as.with_inline_originals(self)
        # Originals kept inline by an earlier run come back too, as they would in a real restore, edited ones as they are.
        try:
            expected = written_as.restore_inline(self.original, "document", edited=True) if has_inline_originals(self.original) else self.original
            exact = written_as.restore_inline(text, "document", edited=True) == expected
        except InputError:
            exact = False
        if not exact:
            raise ValueError("this output would not give its original back exactly from inline originals: keep a sidecar")
        return text


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

    A segment may lie inside another one's markup (an HTML attribute value in
    a tag of a sentence), and the format may edit beside the translations
    (``Format.language_edits``: HTML sets an element's ``lang`` to the target
    once its text is translated): such edits go into the enclosing sentence's
    output where its tag landed there.
    """
    segments = segmented.segments
    edits = formats.get(segmented.format).language_edits(segmented, decisions, outputs, target)
    landing = _Landing(segments, outputs, dict(placed or {}), edits)
    results = [landing.result(index, decision) for index, decision in zip(range(len(segments)), decisions)]
    for skip in segmented.skipped:
        start = landing.shifts.to_output(skip.start)
        results.append(
            SegmentResult(skip.start, skip.end, segmented.text[skip.start : skip.end], skip.line, skip.block, -1, None, 0.0,
                          Action.SKIP, skip.reason, Why.UNSEGMENTED, start, start + skip.end - skip.start)
        )  # fmt: skip
    results.sort(key=lambda result: (result.start, -result.end))
    output_text = landing.shifts.apply(segmented.text)
    return Document(segmented.text, output_text, segmented.format, target, tuple(results), segmented.blocks, models, tuple(edits))


class _Landing:
    """Where each output lands: edits inside a translated sentence go into its output, the rest replace their own characters."""

    def __init__(self, segments, outputs: dict[int, str], placed: dict[int, tuple[PlacedSpan, ...]], edits) -> None:
        self.segments, self.outputs, self.placed = segments, outputs, placed
        self.outer_of = _enclosing(segments, [start for start, _, _ in edits])
        self.replacements: dict[int, str] = {}
        self.inner_at: dict[int, tuple[int, int]] = {}  # inner segment -> where its output lies in its sentence's output
        inner_edits: dict[int, list[tuple[int, int, str, int | None]]] = {}
        top: list[tuple[int, int, str, int | None]] = []
        for (start, end, replacement), owner in zip(edits, self.outer_of[len(segments) :]):
            item = (start, end, replacement, None)
            (inner_edits.setdefault(owner, []) if owner is not None and owner in outputs else top).append(item)
        for index, segment in enumerate(segments):
            owner = self.outer_of[index]
            if owner is not None and owner in outputs:
                inner_edits.setdefault(owner, []).append((segment.start, segment.end, outputs.get(index, segment.text), index))
            elif index in outputs:
                top.append((segment.start, segment.end, outputs[index], index))
        for owner, items in inner_edits.items():
            self.replacements[owner], found, placed[owner] = _with_inner_edits(segments[owner], outputs[owner], placed.get(owner, ()), items)
            self.inner_at.update(found)
        top.sort(key=lambda item: item[0])
        self.shifts = EditShifts([(start, end, self.replacements.get(index, replacement)) for start, end, replacement, index in top])

    def result(self, index: int, decision: Decision) -> SegmentResult:
        segment = self.segments[index]
        output = self.outputs.get(index)
        owner = self.outer_of[index]
        if owner is not None and owner in self.outputs:
            relative_start, relative_end = self.inner_at.get(index, (None, None))
            base = self.shifts.to_output(self.segments[owner].start)
            if relative_start is None:
                # Its tag did not come through the sentence's translation: left out of the output with it.
                if output is not None:
                    decision = Decision(decision.lang, decision.confidence, Action.KEEP, f"{decision.reason}; {Why.TAG_LOST.text}", Why.TAG_LOST)
                output = None
                relative_start = relative_end = 0
            output_start, output_end = base + relative_start, base + relative_end
        else:
            output_start = self.shifts.to_output(segment.start)
            # A segment left as it is may still hold edits (translated attribute values in its tags).
            if output is not None:
                # What lands in the document: with the edits inside its tags, so the row stands for its place.
                output = self.replacements.get(index, output)
            output_end = self.shifts.to_output(segment.end) if output is None else output_start + len(output)
        return SegmentResult(segment.start, segment.end, segment.text, segment.line, segment.block, segment.group,
                             decision.lang, decision.confidence, decision.action, decision.reason, decision.why,
                             output_start, output_end, output, self._spans(index, output, output_start), segment.attribute)  # fmt: skip

    def _spans(self, index: int, output: str | None, output_start: int) -> tuple[SpanResult, ...]:
        """The segment's inline markup where it landed: as placed in its output, or where it was when kept."""
        segment = self.segments[index]
        if index in self.placed:
            return tuple(SpanResult(p.kind, p.start, p.end, output_start + p.output_start, output_start + p.output_end)
                         for p in self.placed[index])  # fmt: skip
        if output is None and segment.inline is not None:
            return tuple(SpanResult(s.kind, s.start, s.end, self.shifts.to_output(s.start), self.shifts.to_output(s.end))
                         for s in segment.inline.spans)  # fmt: skip
        return ()


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
    holders = _holders([(span.start, marker_ends.get(span.start, span.end)) for span in placed], [(start, end) for start, end, _, _ in items])
    located = [
        (placed[holder].output_start + start - placed[holder].start, end - start, replacement, index)
        for (start, end, replacement, index), holder in zip(items, holders)
        if holder is not None
    ]
    located.sort(key=lambda item: item[0])
    pieces, cursor, delta = [], 0, 0
    found = {}
    positions, shifts = [], [0]  # shifts[k]: what the first k edits add to the length
    for position, length, replacement, index in located:
        pieces.append(output[cursor:position])
        pieces.append(replacement)
        cursor = position + length
        if index is not None:
            found[index] = (position + delta, position + delta + len(replacement))
        delta += len(replacement) - length
        positions.append(position)
        shifts.append(delta)

    def moved_by_edits(offset: int) -> int:
        # The edits do not overlap, so those before an offset are the ones that start before it.
        return offset + shifts[bisect.bisect_left(positions, offset)]

    moved = [PlacedSpan(p.kind, p.start, p.end, moved_by_edits(p.output_start), moved_by_edits(p.output_end)) for p in placed]
    pieces.append(output[cursor:])
    return "".join(pieces), found, tuple(moved)


def _holders(spans: list[tuple[int, int]], edits: list[tuple[int, int]]) -> list[int | None]:
    """For each edit (start, end), the last of the spans (start, end) that holds it, if any.

    Sweeps the edits by start, adding the spans that start at or before each,
    with the latest of them (a maximum in a Fenwick tree) found per span end:
    testing every span for every edit is quadratic in a sentence of many tags.
    """
    reaches = sorted({-end for _, end in spans})  # the span ends, furthest first
    latest = [-1] * (len(reaches) + 1)  # a Fenwick tree over them: the latest span added that reaches as far as one
    by_start = sorted(range(len(spans)), key=lambda number: spans[number][0])
    holders: list[int | None] = [None] * len(edits)
    added = 0
    for edit in sorted(range(len(edits)), key=lambda number: edits[number][0]):
        start, end = edits[edit]
        while added < len(by_start) and spans[by_start[added]][0] <= start:
            number = by_start[added]
            slot = bisect.bisect_left(reaches, -spans[number][1]) + 1
            while slot <= len(reaches):
                latest[slot] = max(latest[slot], number)
                slot += slot & -slot
            added += 1
        slot, holder = bisect.bisect_right(reaches, -end), -1
        while slot > 0:
            holder = max(holder, latest[slot])
            slot -= slot & -slot
        holders[edit] = holder if holder >= 0 else None
    return holders



def inline_originals(text: str, where: str = "document", format: str = "markdown") -> list[InlineOriginal]:
    """The inline originals written into ``text``, each after its block."""
    return formats.get(format).inline_originals(text, where)


def restore_inline(text: str, where: str = "document", format: str = "markdown", *, edited: bool = False) -> str:
    """The original Markdown or HTML, from a document written with inline originals.

    Every inline original in the text must be one the parser places after its
    block; one it cannot place (inside a block nested past the parser's limit,
    say) makes this an InputError rather than a restore that leaves it out.
    An original that no longer matches its checksum is an InputError too,
    unless ``edited`` allows originals edited by hand.
    """
    return formats.get(format).restore_inline(text, where, edited=edited)
