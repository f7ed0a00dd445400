"""Golden files: mixed documents in, expected output, sidecar and inline originals out.

Regenerate after an intended change with ``UNILINGO_UPDATE_GOLDEN=1 pytest
tests/test_golden.py`` and review the diff before committing it.
"""

import json
import os
from pathlib import Path

import pytest

from unilingo import restore_inline, restore_sidecar
from unilingo._files import sidecar_text

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UNILINGO_UPDATE_GOLDEN") == "1"
CASES = [("article.md", "markdown"), ("article.txt", "text")]


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
    original = read(GOLDEN / name)
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
