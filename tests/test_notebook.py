"""Jupyter notebooks: Markdown cells read out of the JSON and written back with every other byte kept."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from click.testing import CliRunner

from conftest import FIXTURE_MODELS, heavy_modules_after
from unilingo._cli import cli as command
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
        (f'{{"nbformat": 4, "cells": [{{"cell_type": "markdown", "source": "{SECRET}\\ud800"}}]}}', "unpaired surrogate"),
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


# --- the notebook format: through the Markdown format, from the API and the CLI --------------------------------


def non_markdown(text: str) -> dict:
    """Everything a notebook holds but its Markdown cells' sources."""
    data = json.loads(text)
    for cells in [data["cells"]] if "cells" in data else [sheet["cells"] for sheet in data["worksheets"]]:
        for cell in cells:
            if cell["cell_type"] == "markdown":
                del cell["source"]
    return data


def string_at(text: str, start: int, end: int) -> str:
    """The text a range of a JSON string holds."""
    return json.loads('"' + text[start:end] + '"')


@pytest.fixture(scope="module")
def translated(normalizer):
    text = file_text("german.ipynb")
    return text, normalizer.normalize(text, "notebook")


def test_a_german_markdown_cell_is_translated_and_everything_else_kept(translated):
    text, doc = translated
    assert doc.format == "notebook" and doc.original == text
    first = markdown_sources(doc.text)[0]
    assert first.startswith("# The key facts in brief\n\nThe city is planning a new cycle path along the river. Admission is free.\n")
    assert non_markdown(doc.text) == non_markdown(text)
    before, after = read_notebook(text, "x"), read_notebook(doc.text, "x")
    changed = [index for index, (old, new) in enumerate(zip(before.cells, after.cells)) if old.text != new.text]
    assert changed == [0, 1, 5]
    assert outside(doc.text, after, changed) == outside(text, before, changed)
    validated(doc.text)


def test_rows_point_into_the_notebook_file_and_its_output(translated):
    text, doc = translated
    rows = [row for row in doc.segments if row.output is not None]
    assert len(rows) == doc.translated >= 8
    for row in rows:
        assert string_at(text, row.start, row.end) == row.text
        assert string_at(doc.text, row.output_start, row.output_end) == row.output
        assert row.line == text.count("\n", 0, row.start)
    assert [row.line + 1 for row in rows][:2] == [8, 10]
    # Sentences share a group where they share a line of prose, never across cells.
    assert len({row.group for row in doc.segments}) == len({(row.group, row.line) for row in doc.segments}) == len({row.line for row in doc.segments}) < len(doc.segments)


def test_a_translated_notebook_translates_nothing_again(translated, normalizer):
    _, doc = translated
    again = normalizer.normalize(doc.text, "notebook")
    assert again.translated == 0 and again.text == doc.text


def test_detect_reads_the_markdown_cells_only(normalizer):
    text = file_text("german.ipynb")
    doc = normalizer.detect(text, "notebook")
    assert doc.text == text and doc.translated == 0
    texts = [row.text for row in doc.segments]
    assert "Die Polizei sucht nach Zeugen." in texts and "Der Eintritt ist frei." in texts
    assert not any("Feuerwehr" in row or "Ursache" in row for row in texts)
    assert {row.lang for row in doc.segments if row.action == "translate"} == {"de"}


@pytest.mark.parametrize("name", WRITTEN_FOUR_WAYS)
def test_each_way_of_writing_a_notebook_is_kept_in_its_translation(name, normalizer):
    text = file_text(name)
    doc = normalizer.normalize(text, "notebook")
    assert "The key facts in brief" in markdown_sources(doc.text)[0]
    assert non_markdown(doc.text) == non_markdown(text)
    assert doc.text.isascii() == text.isascii()
    assert doc.text.count("\r\n") == text.count("\r\n") and doc.text.count("\n") == text.count("\n")
    assert doc.text.endswith("\n") == text.endswith("\n")
    validated(doc.text)


def test_nbformat_3_is_translated_too(normalizer):
    text = file_text("german-v3.ipynb")
    doc = normalizer.normalize(text, "notebook")
    assert markdown_sources(doc.text) == ["The city is planning a new cycle path along the river.\n\nAdmission is free."]
    assert non_markdown(doc.text) == non_markdown(text)


@pytest.mark.parametrize("name", REAL)
def test_a_real_notebook_with_a_german_cell_keeps_everything_else(name, normalizer):
    text = file_text(name)
    notebook = read_notebook(text, name)
    # A real notebook, its first Markdown cell's first line German: the rest (HTML, LaTeX, attachments, outputs) as it is.
    first = notebook.cells[0].text
    german = write_notebook(notebook, {0: "Die Polizei sucht nach Zeugen.\n\n" + first})
    doc = normalizer.normalize(german, "notebook")
    assert markdown_sources(doc.text)[0].startswith("The police are looking for witnesses.\n\n")
    assert non_markdown(doc.text) == non_markdown(text)
    again = read_notebook(doc.text, name)
    assert [cell.text for cell in again.cells[1:]] == [cell.text for cell in notebook.cells[1:]]
    validated(doc.text)


def test_text_that_is_no_notebook_is_an_input_error_from_the_api(normalizer):
    with pytest.raises(InputError, match="^notebook is not valid JSON"):
        normalizer.normalize("Die Polizei sucht nach Zeugen.", "notebook")
    with pytest.raises(InputError, match="^notebook is JSON but not a Jupyter notebook"):
        normalizer.detect("[]", "notebook")


def cli(*args):
    return CliRunner().invoke(command, [str(arg) for arg in args], env={"UNILINGO_MODELS": str(FIXTURE_MODELS)})


def test_translate_check_fix_and_restore_from_the_command_line(tmp_path):
    book = tmp_path / "book.ipynb"
    original = (NOTEBOOKS / "german.ipynb").read_bytes()
    book.write_bytes(original)
    found = cli("check", book)
    assert found.exit_code == 1, found.output
    assert f'{book}:8:8: de (1.00) "Das Wichtigste in Kürze"' in found.stdout
    out = tmp_path / "out"
    translated = cli("translate", book, "-o", out, "--keep-original", "inline")
    assert translated.exit_code == 0, translated.output
    assert "The key facts in brief" in markdown_sources((out / "book.ipynb").read_text(encoding="utf-8"))[0]
    sidecar = json.loads((out / "book.ipynb.unilingo.json").read_text(encoding="utf-8"))  # no inline originals in JSON
    assert sidecar["format"] == "notebook"
    assert cli("check", out / "book.ipynb").exit_code == 0
    fixed = cli("fix", book)
    assert fixed.exit_code == 1, fixed.output
    assert book.read_bytes() == (out / "book.ipynb").read_bytes()
    restored = cli("restore", book)
    assert restored.exit_code == 0, restored.output
    assert book.read_bytes() == original and not (tmp_path / "book.ipynb.unilingo.json").exists()


def test_a_folder_walk_finds_notebooks_and_detect_reports_them(tmp_path):
    (tmp_path / "docs").mkdir()
    shutil.copy(NOTEBOOKS / "german.ipynb", tmp_path / "docs" / "book.ipynb")
    detected = cli("detect", tmp_path / "docs", "--json")
    assert detected.exit_code == 0, detected.output
    [report] = json.loads(detected.stdout)
    assert report["path"].endswith("book.ipynb")
    text = file_text("german.ipynb")
    said = [string_at(text, row["start"], row["end"]) for row in report["segments"] if row["action"] == "translate"]
    assert "Die Polizei sucht nach Zeugen." in said and "Der Eintritt ist frei." in said


def test_a_broken_notebook_is_one_line_and_exit_3(tmp_path):
    book = tmp_path / "book.ipynb"
    book.write_text('{"cells": [', encoding="utf-8")
    result = cli("check", book)
    assert result.exit_code == 3, result.output
    assert result.stderr == f"unilingo: error: {book} is not valid JSON (line 1), so not a Jupyter notebook: save it again from Jupyter\n"


def test_the_hooks_are_given_notebooks():
    from identify.identify import tags_from_filename

    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        assert set(hook["types"]) <= tags_from_filename("book.ipynb")
        assert re.search(hook["files"], "notebooks/book.ipynb")


def test_real_notebooks_translated_as_a_folder_restore_byte_for_byte(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for name in REAL:
        notebook = read_notebook(file_text(name), name)
        (docs / name).write_text(write_notebook(notebook, {0: "Der Eintritt ist frei.\n\n" + notebook.cells[0].text}), encoding="utf-8", newline="")
    translated = cli("translate", docs, "-o", out)
    assert translated.exit_code == 0, translated.output
    for name in REAL:
        written = (out / name).read_text(encoding="utf-8")
        assert markdown_sources(written)[0].startswith("Admission is free.\n\n")
        validated(written)
    restored = cli("restore", out)
    assert restored.exit_code == 0, restored.output
    assert {path.name: path.read_bytes() for path in out.iterdir()} == {path.name: path.read_bytes() for path in docs.iterdir()}


def test_check_on_a_notebook_loads_no_translation_stack():
    assert heavy_modules_after(["check", NOTEBOOKS / "jupyter-typesetting-equations.ipynb", "--models", FIXTURE_MODELS]) == []


def test_an_escaped_backslash_before_u_is_no_escape_style():
    plain = "".join(char if char.isascii() else "?" for char in file_text("german.ipynb"))
    assert not read_notebook(plain.replace('"# Das', '"C:\\\\u00fc # Das'), "x").ascii_escapes  # a backslash, then u00fc
    assert read_notebook(plain.replace('"# Das', '"C:\\\\\\u00fc # Das'), "x").ascii_escapes  # a backslash, then ü


@pytest.mark.parametrize("where", ["code", "markdown"])
def test_a_notebook_holding_a_lone_surrogate_is_an_input_error(normalizer, where):
    # A code cell is no part to translate: the sidecar's checksum of the whole notebook raised UnicodeEncodeError.
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "Die Polizei sucht nach Zeugen."},
             {"cell_type": where, "metadata": {}, "source": "x = '\udc80'", **({"outputs": [], "execution_count": None} if where == "code" else {})}]  # fmt: skip
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, ensure_ascii=False)
    with pytest.raises(InputError, match="lone surrogate"):
        normalizer.normalize(text, "notebook")
