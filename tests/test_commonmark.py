"""Every CommonMark spec example, with a German sentence added, survives normalization.

The examples (tests/fixtures/commonmark/, spec 0.31.2 as shipped in the
markdown-it-py sdist) are the edge cases of Markdown syntax: the German line
must be translated, nothing else may change the document's structure, and both
ways of keeping the original must give the document back byte for byte.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from unilingo import Document, restore_inline, restore_sidecar
from unilingo._decision import LOOP_REASON

SPEC = Path(__file__).parent / "fixtures" / "commonmark" / "spec-0.31.2.json"
GERMAN = "Die Polizei sucht nach Zeugen."
ENGLISH = "The police are looking for witnesses."
PLACEMENTS = ("append", "prepend")

_EXAMPLES: list[dict] = json.loads(SPEC.read_text(encoding="utf-8"))["examples"]


def structure(markdown: str) -> list[tuple]:
    """Block and inline token types, tags and nesting: what renders, less the words."""
    return [_shape(token) for token in _renderer().parse(markdown)]


def _shape(token: Token) -> tuple:
    children = tuple(_shape(child) for child in token.children or () if child.type != "text")
    return token.type, token.tag, token.nesting, token.level, children


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def with_german(markdown: str, placement: str) -> str:
    if placement == "append":
        return f"{markdown}\n\n{GERMAN}\n"
    return f"{GERMAN}\n\n{markdown}"


@pytest.fixture(scope="module")
def normalized(normalizer) -> dict[tuple[int, str], Document]:
    keys = [(example["example"], placement) for example in _EXAMPLES for placement in PLACEMENTS]
    sources = [(with_german(example["markdown"], placement), "markdown") for example in _EXAMPLES for placement in PLACEMENTS]
    return dict(zip(keys, normalizer.normalize_many(sources)))


def _params() -> list:
    return [pytest.param(example, id=f"{example['example']}-{example['section']}") for example in _EXAMPLES]


@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("example", _params())
def test_example_round_trips_with_its_structure(normalized, example: dict, placement: str) -> None:
    doc = normalized[example["example"], placement]
    source = with_german(example["markdown"], placement)
    assert restore_sidecar(doc.sidecar()) == source
    assert restore_inline(doc.with_inline_originals()) == source
    assert structure(doc.text) == structure(source)
    for segment in doc.segments:
        expected = segment.text if segment.output is None else segment.output
        assert doc.text[segment.output_start : segment.output_end] == expected


@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("example", _params())
def test_only_the_added_sentence_is_translated(normalized, example: dict, placement: str) -> None:
    doc = normalized[example["example"], placement]
    # Placeholder words ("ccc", "bar *baz bim") are no language and stay as they are too.
    # An unclosed fence or HTML block before it holds the sentence as code, never translated.
    is_prose = any(GERMAN in token.content for token in _renderer().parse(doc.original) if token.type == "inline")
    # Routed to the model, whatever the model then said: a rejected (looping) translation is kept, but was routed.
    routed = {segment.text for segment in doc.segments if segment.action == "translate" or segment.reason == LOOP_REASON}
    assert routed == ({GERMAN} if is_prose else set())
    assert {s.text: s.output for s in doc.segments if s.output is not None} == ({GERMAN: ENGLISH} if is_prose else {})
