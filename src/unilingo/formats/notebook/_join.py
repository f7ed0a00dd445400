"""A notebook's Markdown cells, each normalized as a Markdown document, joined back into one notebook document.

The joined document's rows are the cells' rows with their offsets moved
into the notebook file (and the written notebook): a report or ``check``
points at the line and column of the .ipynb file where the sentence is
written, JSON escapes and all.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from typing import TYPE_CHECKING, Sequence

from ..._decision import Action, Why
from ..._sentences import Lines
from ..base import Joined
from ._codec import MarkdownCell, Notebook, read_notebook, write_notebook, written_problem

if TYPE_CHECKING:
    from ..._merge import Document, SegmentResult

# The notebook could not be written as it must read: no cell's translation is worth a damaged notebook.
UNVERIFIED_REASON = f"{Why.NOT_WRITTEN.text}: the notebook with it would not read as the original does; notebook kept"
# One escape in a JSON string: a surrogate pair written as two escapes is one character.
_ESCAPE = re.compile(r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.DOTALL)


def joined(notebook: Notebook, parts: Sequence[Document], where: str) -> Joined:
    """The notebook's output and rows: ``parts`` are its Markdown cells' documents, in order."""
    sources = {index: part.text for index, part in enumerate(parts) if part.text != part.original}
    written = write_notebook(notebook, sources) if sources else notebook.text
    kept = bool(sources) and written_problem(notebook, written, sources, where) is not None
    if kept:
        written = notebook.text
    after = read_notebook(written, where) if sources and not kept else notebook
    lines = Lines(notebook.text)
    rows: list[SegmentResult] = []
    blocks = []
    groups = 0
    for cell, cell_after, part in zip(notebook.cells, after.cells, parts):
        into_original, into_output = _Offsets(notebook.text, cell), _Offsets(written, cell_after)
        for row in part.segments:
            moved = _moved(row, into_original, into_output, lines, len(blocks), groups)
            rows.append(_kept(moved) if kept and moved.output is not None else moved)
        blocks += [dataclasses.replace(block, start=into_original(block.start), end=into_original(block.end, True)) for block in part.blocks]
        groups += 1 + max((row.group for row in part.segments), default=-1)
    models = {lang: model for part in parts if not kept for lang, model in part.models.items()}
    return Joined(written, tuple(rows), tuple(blocks), models)


def _moved(row: SegmentResult, into_original: _Offsets, into_output: _Offsets, lines: Lines, blocks: int, groups: int) -> SegmentResult:
    start = into_original(row.start)
    spans = tuple(dataclasses.replace(span, start=into_original(span.start), end=into_original(span.end, True),
                                      output_start=into_output(span.output_start), output_end=into_output(span.output_end, True))
                  for span in row.spans)  # fmt: skip
    return dataclasses.replace(
        row, start=start, end=into_original(row.end, True), line=lines.line_of(start), block=row.block + blocks,
        group=row.group + groups if row.group >= 0 else row.group, output_start=into_output(row.output_start),
        output_end=into_output(row.output_end, True), spans=spans,
    )  # fmt: skip


def _kept(row: SegmentResult) -> SegmentResult:
    """A translated row as it is when the notebook is kept: no output, where it was."""
    spans = tuple(dataclasses.replace(span, output_start=span.start, output_end=span.end) for span in row.spans)
    return dataclasses.replace(row, action=Action.KEEP, why=Why.NOT_WRITTEN, reason=UNVERIFIED_REASON, output=None, output_start=row.start,
                               output_end=row.end, spans=spans)  # fmt: skip


class _Offsets:
    """Maps an offset in a cell's Markdown text to the notebook file, through the JSON strings that hold it."""

    def __init__(self, file: str, cell: MarkdownCell) -> None:
        self._file = file
        self._cell = cell
        self._starts = []
        position = 0
        for index, piece in enumerate(cell.pieces):
            position += len(cell.joiner) if index else 0
            self._starts.append(position)
            position += len(piece.text)
        self._escapes: dict[int, tuple[list[int], list[int]]] = {}

    def __call__(self, offset: int, end: bool = False) -> int:
        """Where ``offset`` lies in the file; an ``end`` offset at a line's end stays on that line."""
        if not self._cell.pieces:
            return self._cell.start
        index = max((bisect.bisect_left if end else bisect.bisect_right)(self._starts, offset) - 1, 0)
        piece = self._cell.pieces[index]
        within = min(offset - self._starts[index], len(piece.text))  # past it: the newline nbformat 3 joins lines with
        decoded, extra = self._escapes_of(index)
        before = bisect.bisect_left(decoded, within)
        return piece.start + 1 + within + (extra[before - 1] if before else 0)

    def _escapes_of(self, index: int) -> tuple[list[int], list[int]]:
        """Each escape in a piece: its offset in the decoded text and the raw characters gained up to and including it."""
        if index not in self._escapes:
            piece = self._cell.pieces[index]
            decoded, extra, gained = [], [], 0
            for match in _ESCAPE.finditer(self._file, piece.start + 1, piece.end - 1):
                decoded.append(match.start() - piece.start - 1 - gained)
                gained += len(match.group()) - 1
                extra.append(gained)
            self._escapes[index] = (decoded, extra)
        return self._escapes[index]
