"""Jupyter notebooks as text: the Markdown cells read out of the JSON, and written back by splicing.

A notebook is written back with every character outside the changed cells'
sources as it was: code, outputs, attachments, metadata and the file's own
layout. A changed source is written as the file writes strings (a list of
lines or one string; non-ASCII raw, as nbformat writes it, or as ``\\u``
escapes where the file uses those), and the written notebook is read again
and compared with the original before it is handed back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Mapping

from ..._errors import InputError
from ._scan import Path, RepeatedKey, value_spans

# Markdown cells, and in nbformat 3 the cells of each worksheet; heading cells (3 only) are left as they are.
_MARKDOWN = "markdown"
# A line and its end: only CR and LF end a line (see _source_value).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# What an escape of a character outside ASCII looks like; it is one where an even number of backslashes precedes it.
_NON_ASCII_ESCAPE = re.compile(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})")


@dataclass(frozen=True)
class Piece:
    """One JSON string of a cell's source: where it lies in the file (quotes included) and the text it holds."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class MarkdownCell:
    number: int  # the cell's place among all the notebook's cells, from 0
    start: int  # the source value in the file: a string, or a list of strings
    end: int
    pieces: tuple[Piece, ...]
    listed: bool  # the source is a list of lines, as nbformat writes it
    # What the lines are joined with: nothing, or in nbformat 3 a newline where the first line has no line end.
    joiner: str = ""

    @property
    def text(self) -> str:
        return self.joiner.join(piece.text for piece in self.pieces)


@dataclass(frozen=True)
class Notebook:
    text: str  # the file, as read
    cells: tuple[MarkdownCell, ...]
    ascii_escapes: bool  # non-ASCII characters are written as \u escapes


def read_notebook(text: str, where: str) -> Notebook:
    """The notebook's Markdown cells; an InputError naming ``where`` for JSON that is no notebook."""
    data = _parse(text, where)
    cells_at = _cell_lists(data, where)
    markdown: dict[Path, int] = {}
    number = 0
    for path, cells in cells_at:
        for index, cell in enumerate(cells):
            if not isinstance(cell, dict):
                raise InputError(f"{where}: cell {number + 1} is not a JSON object: it is not a notebook Jupyter reads")
            if cell.get("cell_type") == _MARKDOWN:
                _check_source(cell.get("source"), number, where)
                markdown[path + (index, "source")] = number
            number += 1
    try:
        spans = value_spans(text, lambda path: path in markdown or path[:-1] in markdown)
    except RepeatedKey:
        raise InputError(f"{where}: an object in it names one key twice, which Jupyter never writes: "
                         f"save it again from Jupyter") from None  # fmt: skip
    lines: dict[Path, list[Piece]] = {}
    for path, (start, end) in sorted(spans.items(), key=lambda item: item[1]):
        if path not in markdown:
            lines.setdefault(path[:-1], []).append(Piece(start, end, json.loads(text[start:end])))
    found = []
    for path, number in markdown.items():
        start, end = spans[path]
        listed = text[start] == "["
        pieces = lines.get(path, []) if listed else [Piece(start, end, json.loads(text[start:end]))]
        # nbformat 3 reads lines written without their ends (an old writer's) joined with newlines.
        joiner = "\n" if path[0] == "worksheets" and pieces and not pieces[0].text.endswith(("\n", "\r")) else ""
        found.append(MarkdownCell(number, start, end, tuple(pieces), listed, joiner))
    found.sort(key=lambda cell: cell.start)
    return Notebook(text, tuple(found), _writes_escapes(text))


def write_notebook(notebook: Notebook, sources: Mapping[int, str]) -> str:
    """The notebook with the Markdown cells at ``sources``' indices (into ``notebook.cells``) holding their new text."""
    pieces, position = [], 0
    for index in sorted(sources):
        cell = notebook.cells[index]
        if sources[index] == cell.text:
            continue
        pieces += [notebook.text[position : cell.start], _source_value(notebook, cell, sources[index])]
        position = cell.end
    pieces.append(notebook.text[position:])
    return "".join(pieces)


def _source_value(notebook: Notebook, cell: MarkdownCell, text: str) -> str:
    if not cell.listed:
        return _string(text, notebook.ascii_escapes)
    # A source as its lines, ends kept, as nbformat writes it; each element that did not change keeps its bytes.
    # Only CR and LF end a line: a reader of nbformat 3 joins lines as they are only when the first ends in one.
    file = notebook.text
    opening, between, closing = _list_layout(file, cell)
    elements = []
    for index, line in enumerate(_LINE.findall(text)):
        kept = cell.pieces[index] if index < len(cell.pieces) else None
        elements.append(file[kept.start : kept.end] if kept is not None and kept.text == line else _string(line, notebook.ascii_escapes))
    return "[" + opening + between.join(elements) + closing + "]" if elements else "[]"


def _list_layout(file: str, cell: MarkdownCell) -> tuple[str, str, str]:
    """What a list of lines holds before its first element, between two, and after its last, as the file writes it."""
    if not cell.pieces:
        return "", ", ", ""
    first, last = cell.pieces[0], cell.pieces[-1]
    opening = file[cell.start + 1 : first.start]
    between = file[first.end : cell.pieces[1].start] if len(cell.pieces) > 1 else "," + opening
    return opening, between, file[last.end : cell.end - 1]


def _writes_escapes(text: str) -> bool:
    """Whether the file writes characters outside ASCII as escapes: it holds none raw, and at least one escaped."""
    if not text.isascii():
        return False
    for match in _NON_ASCII_ESCAPE.finditer(text):
        before = match.start()
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (match.start() - before) % 2 == 0:
            return True
    return False


def _string(text: str, ascii_escapes: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_escapes)


def written_problem(notebook: Notebook, written: str, sources: Mapping[int, str], where: str) -> str | None:
    """Why ``written`` is not ``notebook`` with just those sources changed; None when it is exactly that."""
    try:
        again = read_notebook(written, where)
    except InputError:
        return "the written notebook does not read as a notebook"
    if [cell.number for cell in again.cells] != [cell.number for cell in notebook.cells]:
        return "the written notebook's Markdown cells moved"
    expected = [sources.get(index, cell.text) for index, cell in enumerate(notebook.cells)]
    if [cell.text for cell in again.cells] != expected:
        return "a written Markdown cell does not read as its new text"
    if _without_markdown(json.loads(notebook.text)) != _without_markdown(json.loads(written)):
        return "the written notebook differs outside its Markdown cells"
    return None


def _without_markdown(data: dict) -> dict:
    for _, cells in _cell_lists(data, ""):
        for cell in cells:
            if cell.get("cell_type") == _MARKDOWN:
                cell["source"] = None
    return data


def _parse(text: str, where: str) -> dict:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError) as error:
        line = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise InputError(f"{where} is not valid JSON{line}, so not a Jupyter notebook: save it again from Jupyter") from None
    except RecursionError:
        raise InputError(f"{where} nests deeper than a Jupyter notebook ever does: it is no notebook unilingo reads") from None
    if not isinstance(data, dict) or type(data.get("nbformat")) is not int:
        raise InputError(f"{where} is JSON but not a Jupyter notebook (no 'nbformat' version): "
                         f"give notebooks (.ipynb) only, or '--format text'")  # fmt: skip
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _cell_lists(data: dict, where: str) -> list[tuple[Path, list]]:
    """Each list of cells with its path: the notebook's (nbformat 4), or each worksheet's (nbformat 3)."""
    version = data["nbformat"]
    if version >= 4:
        found = [(("cells",), data.get("cells"))]
    elif version == 3 and isinstance(data.get("worksheets", []), list):
        found = [(("worksheets", index, "cells"), sheet.get("cells", []) if isinstance(sheet, dict) else None)
                 for index, sheet in enumerate(data.get("worksheets", []))]  # fmt: skip
    else:
        raise InputError(f"{where} is a notebook of nbformat {version}, which unilingo does not read: "
                         f"open and save it in Jupyter to bring it to nbformat 4")  # fmt: skip
    if any(not isinstance(cells, list) for _, cells in found):
        raise InputError(f"{where} has no list of cells: it is not a notebook Jupyter reads")
    return found


def _check_source(source: object, number: int, where: str) -> None:
    if not isinstance(source, str) and not (isinstance(source, list) and all(isinstance(line, str) for line in source)):
        raise InputError(f"{where}: Markdown cell {number + 1}'s source is not text (a string or a list of strings): "
                         f"it is not a notebook Jupyter reads")  # fmt: skip
    try:
        "".join(source).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{where}: Markdown cell {number + 1} holds an unpaired surrogate escape (\\ud800 to \\udfff), "
                         f"which is not valid Unicode: mend it in Jupyter") from None  # fmt: skip


