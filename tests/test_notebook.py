"""Jupyter notebooks: Markdown cells read out of the JSON and written back with every other byte kept."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from unilingo._errors import InputError
from unilingo.formats.notebook._codec import read_notebook, write_notebook, written_problem

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
ALL = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
REAL = [name for name in ALL if name.startswith(("jupyter-", "nbformat-"))]
# The same notebook written four ways.
WRITTEN_FOUR_WAYS = ["german.ipynb", "ascii-escapes.ipynb", "strings-crlf.ipynb", "compact.ipynb"]
# What a Markdown cell may become: quotes, backslashes, a tab, a control character, a line separator,
# CRLF, a character outside the BMP, non-ASCII, and no newline at the end.
AWKWARD = 'A "quoted" C:\\path\\to\tfile\x01 and\u2028more\r\nlines 🙂 für ü\n\nlast'


def file_text(name: str) -> str:
    return (NOTEBOOKS / name).read_bytes().decode("utf-8")


def markdown_sources(text: str) -> list[str]:
    """The Markdown cells' texts as nbformat reads them."""
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    cells = notebook.cells if notebook.nbformat >= 4 else [cell for sheet in notebook.worksheets for cell in sheet.cells]
    return [cell.source if isinstance(cell.source, str) else "".join(cell.source) for cell in cells if cell.cell_type == "markdown"]


def validated(text: str) -> None:
    nbformat.validate(nbformat.reads(text, as_version=nbformat.NO_CONVERT))


def outside(text: str, notebook, indices) -> list[str]:
    """The pieces of the file between the source values of the cells at ``indices``."""
    pieces, position = [], 0
    for index in sorted(indices):
        pieces.append(text[position : notebook.cells[index].start])
        position = notebook.cells[index].end
    return pieces + [text[position:]]


@pytest.mark.parametrize("name", ALL)
def test_markdown_cells_read_as_nbformat_reads_them_and_write_back_unchanged(name):
    text = file_text(name)
    notebook = read_notebook(text, name)
    assert [cell.text for cell in notebook.cells] == markdown_sources(text)
    assert write_notebook(notebook, {index: cell.text for index, cell in enumerate(notebook.cells)}) == text


@pytest.mark.parametrize("name", ALL)
def test_changed_cells_are_spliced_in_and_every_other_byte_is_kept(name):
    text = file_text(name)
    notebook = read_notebook(text, name)
    sources = {index: AWKWARD + str(index) for index in range(0, len(notebook.cells), 2)}
    written = write_notebook(notebook, sources)
    again = read_notebook(written, name)
    assert outside(written, again, sources) == outside(text, notebook, sources)
    expected = [sources.get(index, cell.text) for index, cell in enumerate(notebook.cells)]
    assert markdown_sources(written) == expected
    assert written_problem(notebook, written, sources, name) is None
    validated(written)


@pytest.mark.parametrize("name", ["german.ipynb", "nbformat-test4.5.ipynb", "jupyter-typesetting-equations.ipynb",
                                  "jupyter-working-with-markdown-cells.ipynb"])  # fmt: skip
def test_a_notebook_nbformat_wrote_is_written_as_nbformat_writes_it_with_the_new_sources(name):
    text = file_text(name)
    assert nbformat.writes(nbformat.reads(text, as_version=4)) + "\n" == text  # nbformat wrote it
    notebook = read_notebook(text, name)
    sources = {index: cell.text.replace("e", "ë") + "\nnew line\n" for index, cell in enumerate(notebook.cells) if cell.text}
    changed = nbformat.reads(text, as_version=4)
    markdown = iter(range(len(notebook.cells)))
    for cell in changed.cells:
        if cell.cell_type == "markdown":
            index = next(markdown)
            cell.source = sources.get(index, cell.source)
    assert write_notebook(notebook, sources) == nbformat.writes(changed) + "\n"


def test_a_file_that_writes_non_ascii_as_escapes_gets_escapes():
    notebook = read_notebook(file_text("ascii-escapes.ipynb"), "ascii-escapes.ipynb")
    assert notebook.ascii_escapes
    written = write_notebook(notebook, {0: "Größe: 🙂\n"})
    assert written.isascii()
    assert '"Gr\\u00f6\\u00dfe: \\ud83d\\ude42\\n"' in written
    assert markdown_sources(written)[0] == "Größe: 🙂\n"


def test_a_file_that_writes_non_ascii_raw_gets_it_raw():
    notebook = read_notebook(file_text("german.ipynb"), "german.ipynb")
    assert not notebook.ascii_escapes
    assert '"Größe: 🙂\\n"' in write_notebook(notebook, {0: "Größe: 🙂\n"})


def test_a_source_stays_a_string_or_a_list_of_lines_as_it_was():
    strings = read_notebook(file_text("strings-crlf.ipynb"), "strings-crlf.ipynb")
    lists = read_notebook(file_text("german.ipynb"), "german.ipynb")
    assert not strings.cells[0].listed and lists.cells[0].listed
    new = "Eins\r\nZwei\n"
    assert '"source": "Eins\\r\\nZwei\\n"' in write_notebook(strings, {0: new})
    assert '"source": [\n    "Eins\\r\\n",\n    "Zwei\\n"\n   ]' in write_notebook(lists, {0: new})


def test_the_files_line_ends_and_layout_are_kept_in_a_changed_list():
    crlf = read_notebook(file_text("german.ipynb").replace("\n", "\r\n"), "crlf.ipynb")  # the layout's newlines, not the escaped ones
    assert '"source": [\r\n    "a\\n",\r\n    "b\\n",\r\n    "c"\r\n   ]' in write_notebook(crlf, {0: "a\nb\nc"})
    compact = read_notebook(file_text("compact.ipynb"), "compact.ipynb")
    assert '"source":["a\\n","b"]' in write_notebook(compact, {0: "a\nb"})
    one_line = read_notebook(file_text("german.ipynb").replace('[\n    "This notebook', '[ "This notebook'), "x.ipynb")
    assert '"source": [ "a\\n", "b"\n   ]' in write_notebook(one_line, {4: "a\nb"})


def test_lines_that_did_not_change_keep_their_bytes():
    text = file_text("german.ipynb").replace('"\\n",', '"\\u000a",', 1)  # the first cell's blank line, escaped otherwise
    notebook = read_notebook(text, "x.ipynb")
    first = notebook.cells[0].text.split("\n", 1)
    written = write_notebook(notebook, {0: "# Changed\n" + first[1]})
    assert '"# Changed\\n",\n    "\\u000a",' in written


def test_empty_sources_can_be_written():
    notebook = read_notebook(file_text("german.ipynb"), "german.ipynb")
    empty = [index for index, cell in enumerate(notebook.cells) if not cell.text]
    assert len(empty) == 2
    written = write_notebook(notebook, {index: "Text\n" for index in empty})
    assert [markdown_sources(written)[index] for index in empty] == ["Text\n", "Text\n"]
    validated(written)


def test_code_raw_cells_outputs_and_attachments_are_never_read_as_markdown():
    notebook = read_notebook(file_text("german.ipynb"), "german.ipynb")
    texts = " ".join(cell.text for cell in notebook.cells)
    assert "Ursache des Brandes" not in texts  # code source and output
    assert "Feuerwehr" not in texts  # raw cell
    assert "iVBORw0KGgo" not in texts  # attachment
    assert [cell.number for cell in notebook.cells] == [0, 3, 4, 5, 6, 7]


def test_nbformat_3_reads_its_markdown_cells_only():
    notebook = read_notebook(file_text("german-v3.ipynb"), "german-v3.ipynb")
    assert [cell.text for cell in notebook.cells] == ["Die Stadt plant einen neuen Radweg entlang des Flusses.\n\nDer Eintritt ist frei."]
    assert notebook.cells[0].number == 1


def test_the_verifier_finds_a_change_outside_the_markdown_cells():
    text = file_text("german.ipynb")
    notebook = read_notebook(text, "german.ipynb")
    written = write_notebook(notebook, {0: "Changed"})
    assert written_problem(notebook, written, {0: "Changed"}, "x") is None
    assert "outside" in written_problem(notebook, written.replace("Einsatzkräften", "Einsatzkraeften"), {0: "Changed"}, "x")
    assert "new text" in written_problem(notebook, written, {0: "Other"}, "x")
    assert "new text" in written_problem(notebook, written, {}, "x")
    assert "does not read" in written_problem(notebook, written[:-3], {0: "Changed"}, "x")


SECRET = "geheimes-passwort-123"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"cells": [' + f'"{SECRET}"', "is not valid JSON (line 1)"),
        (f'["{SECRET}"]', "not a Jupyter notebook"),
        (f'{{"cells": [], "x": "{SECRET}"}}', "not a Jupyter notebook"),
        (f'{{"nbformat": true, "cells": ["{SECRET}"]}}', "not a Jupyter notebook"),
        (f'{{"nbformat": 2, "worksheets": ["{SECRET}"]}}', "nbformat 2, which unilingo does not read"),
        (f'{{"nbformat": 4, "cells": "{SECRET}"}}', "has no list of cells"),
        (f'{{"nbformat": 3, "worksheets": [{{"cells": 1}}], "x": "{SECRET}"}}', "has no list of cells"),
        (f'{{"nbformat": 4, "cells": ["{SECRET}"]}}', "cell 1 is not a JSON object"),
        (f'{{"nbformat": 4, "cells": [{{"cell_type": "markdown", "source": ["{SECRET}", 1]}}]}}', "source is not text"),
        (f'{{"nbformat": 4, "cells": [{{"cell_type": "markdown", "source": "{SECRET}", "source": "b"}}]}}', "names one key twice"),
        (f'{{"nbformat": 4, "nbformat": 4, "cells": [], "x": "{SECRET}"}}', "names one key twice"),
        (f'{{"nbformat": 4, "cells": [], "x": NaN, "y": "{SECRET}"}}', "is not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "nests deeper"),
    ],
)
def test_json_that_is_no_notebook_is_one_line_naming_the_file_without_its_content(content, says):
    with pytest.raises(InputError) as raised:
        read_notebook(content, "dir/book.ipynb")
    message = str(raised.value)
    assert message.startswith("dir/book.ipynb") and says in message
    assert "\n" not in message and SECRET not in message


def test_deep_nesting_outside_the_cells_is_read_without_recursion():
    data = json.loads(file_text("german.ipynb"))
    data["metadata"]["deep"] = json.loads("[" * 900 + "]" * 900)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    notebook = read_notebook(text, "deep.ipynb")
    written = write_notebook(notebook, {0: "Changed"})
    assert written_problem(notebook, written, {0: "Changed"}, "deep.ipynb") is None
