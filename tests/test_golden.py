"""Golden files: mixed documents in, expected output, sidecar and inline originals out.

Regenerate after an intended change with ``UNILINGO_UPDATE_GOLDEN=1 pytest
tests/test_golden.py`` and review the diff before committing it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import html5lib

from unilingo import restore_inline, restore_sidecar
from unilingo._sidecar import sidecar_text

from conftest import FIXTURE_MODELS, INT8_KERNEL_LIMITS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UNILINGO_UPDATE_GOLDEN") == "1"
CASES = [("article.md", "markdown"), ("article.txt", "text"), ("news.html", "html")]
# The news page is the README's HTML example; its expected outputs live here.
SOURCES = {"news.html": Path(__file__).parents[1] / "examples" / "mixed-news.html"}


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
    assert actual == read(path), f"{name} differs from its golden file"


@pytest.fixture(scope="module", params=CASES, ids=[name for name, _ in CASES])
def case(request, normalizer):
    name, format = request.param
    original = read(SOURCES.get(name, GOLDEN / name))
    return name, format, original, normalizer.normalize(original, format)


def test_output(case):
    name, _, _, doc = case
    stem, suffix = name.rsplit(".", 1)
    check_golden(f"{stem}.out.{suffix}", doc.text)


def test_sidecar(case):
    name, _, original, doc = case
    sidecar = sidecar_text(doc)
    check_golden(f"{name}.unilingo.json", sidecar)
    assert restore_sidecar(json.loads(sidecar)) == original


def test_inline_originals_restore_byte_for_byte(normalizer):
    original = read(GOLDEN / "article.md")
    inline = normalizer.normalize(original, "markdown").with_inline_originals()
    check_golden("article.inline.md", inline)
    assert restore_inline(inline) == original


def test_english_lines_are_identical_and_german_lines_replaced(case):
    _, _, original, doc = case
    original_lines = original.splitlines()
    output_lines = doc.text.splitlines()
    assert len(original_lines) == len(output_lines)
    translated_lines = {segment.line for segment in doc.segments if segment.output is not None}
    assert translated_lines
    for number, (before, after) in enumerate(zip(original_lines, output_lines)):
        if number in translated_lines:
            assert before != after
        else:
            assert before == after


def test_every_segment_maps_to_its_place_in_both_texts(case):
    _, _, original, doc = case
    for segment in doc.segments:
        assert original[segment.start : segment.end] == segment.text
        expected = segment.output if segment.output is not None else segment.text
        if segment.output is None:
            # A sentence kept as it is carries the translated attribute values of its tags (HTML).
            for inner in reversed([s for s in doc.segments if segment.start < s.start < segment.end and s.output]):
                expected = expected[: inner.start - segment.start] + inner.output + expected[inner.end - segment.start :]
        assert doc.text[segment.output_start : segment.output_end] == expected


def test_second_run_changes_and_translates_nothing(case, normalizer):
    _, format, _, doc = case
    again = normalizer.normalize(doc.text, format)
    assert again.text == doc.text
    assert again.translated == 0
    if format == "markdown":
        inline = doc.with_inline_originals()
        rerun = normalizer.normalize(inline, format)
        assert rerun.text == inline and rerun.translated == 0


# --- the news page --------------------------------------------------------------------------


def element_tree(page: str) -> list[tuple[int, str, tuple]]:
    """The page as an HTML5 parser builds it: each element's depth, tag and attributes, text left out.

    Attributes that unilingo translates, and ``lang``, which it sets to the target, are left out too.
    """
    translated = {"title", "alt", "aria-label", "placeholder", "content", "value", "lang"}
    found = []

    def walk(element, depth):
        attributes = tuple(sorted((name, value) for name, value in element.attrib.items() if name not in translated))
        found.append((depth, element.tag, attributes))
        for child in element:
            if isinstance(child.tag, str):
                walk(child, depth + 1)

    walk(html5lib.parse(page, namespaceHTMLElements=False), 0)
    return found


@pytest.fixture(scope="module")
def news(normalizer):
    original = read(SOURCES["news.html"])
    return original, normalizer.normalize(original, "html")


def test_the_translated_page_keeps_its_element_tree(news):
    original, doc = news
    assert element_tree(doc.text) == element_tree(original)


def test_the_page_is_english_where_it_was_german_and_untouched_elsewhere(news):
    original, doc = news
    for untouched in ("<!DOCTYPE html>", '"headline": "Die Stadt plant einen neuen Radweg entlang des Flusses."',
                      'content: "Weiterlesen"', "<!-- Kopfbereich: Navigation -->",
                      "<pre><code>Die Stadt plant einen neuen Radweg entlang des Flusses.</code></pre>",
                      '<p translate="no">Stadtwerke Musterstadt GmbH</p>', '=== "akzeptiert"',
                      "By Anna Smith &middot; 25&nbsp;November&nbsp;2026", "&copy; 2026 City News."):  # fmt: skip
        assert original.count(untouched) == doc.text.count(untouched) == 1, untouched
    for translated in ("Related articles", "Source: German Press Agency", "Accept all", "Close",
                       'alt="Photo: Max Mustermann/dpa"', 'value="Manage settings"', "title='Log in'", 'placeholder="Search"',
                       'title="The police are looking for witnesses."', '<li lang="en">Many schools remain closed',
                       'content="The city is planning a new cycle path along the river."',
                       "Click <b>Save</b> to save the file.", "All rights reserved."):  # fmt: skip
        assert translated in doc.text, translated
    # The test model knows only the sentences it was trained on: the German label goes to it all the same.
    (label,) = [segment for segment in doc.segments if "Von KI berichtet" in segment.text]
    assert label.lang == "de" and label.action == "translate"
    assert {segment.lang for segment in doc.segments if segment.action == "keep"} == {"en"}
    assert all(segment.lang == "de" for segment in doc.segments if segment.output is not None)


def test_outputs_are_the_same_with_this_cpus_own_kernels():
    # conftest holds every other test to AVX2's kernels; a user's run, like this one, lets the CPU pick.
    sources = [(str(SOURCES.get(name, GOLDEN / name)), format) for name, format in CASES]
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from unilingo import Normalizer\n"
        f"normalizer = Normalizer('en', {str(FIXTURE_MODELS)!r}, cache=False)\n"
        f"texts = [normalizer.normalize(Path(path).read_bytes().decode('utf-8'), format).text for path, format in {sources!r}]\n"
        "sys.stdout.write(json.dumps(texts))\n"
    )
    env = {name: value for name, value in os.environ.items() if name not in INT8_KERNEL_LIMITS}
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=600)
    assert completed.returncode == 0, completed.stderr
    for (name, _), text in zip(CASES, json.loads(completed.stdout)):
        stem, suffix = name.rsplit(".", 1)
        assert text == read(GOLDEN / f"{stem}.out.{suffix}"), f"{name} differs from its golden file with this CPU's kernels"


# Written once and kept: a reader that later places blocks otherwise (a space or a reference before a block read
# as part of it) would restore this file with a space too many or too few, so the restore must stay exact.
def test_an_html_page_written_with_inline_originals_restores_byte_for_byte(normalizer):
    original = read(GOLDEN / "spaces.html")
    inline = normalizer.normalize(original, "html").with_inline_originals()
    check_golden("spaces.inline.html", inline)
    assert restore_inline(read(GOLDEN / "spaces.inline.html"), format="html") == original
