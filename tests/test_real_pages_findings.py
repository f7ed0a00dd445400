"""What benchmarks/real_pages.py found on real documents, each as the smallest document that shows it.

A stand-in answers in the model's place (as in test_html_hostile.py) with the translation and the word alignment a
model gives for these sentences, so each case is exactly the one the benchmark met, whatever the fixture model says.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURE_MODELS

from unilingo import Normalizer
from unilingo._translate import Translation


class Answering:
    """Every sentence becomes ``output``, its i-th word aligned with word ``alignment[i]`` of the source."""

    def __init__(self, output: str, alignment: list[int]) -> None:
        self.output, self.alignment = output, alignment

    def model_name(self, source, target):
        return "answering"

    def translate(self, source, target, texts, on_translated=None, heads=frozenset()):
        return [Translation(self.output) for _ in texts]

    def word_alignments(self, source, target, pairs):
        return [self.alignment for _ in pairs]


@pytest.fixture
def answering():
    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)

    def normalize(text: str, format: str, output: str, alignment: list[int]):
        normalizer.translator = Answering(output, alignment)
        return normalizer.normalize(text, format)

    return normalize


# Den Täter hat die Polizei gestern gefasst. -> The police caught the culprit yesterday.
OBJECT_FIRST = ("The police caught the culprit yesterday.", [3, 4, 6, 0, 1, 5])


@pytest.mark.parametrize(
    "format, text, expected",
    [
        ("markdown", "Den **Täter** hat die [Polizei](/a) gestern gefasst.\n",
         "The [police](/a) caught the **culprit** yesterday.\n"),
        ("html", '<p>Den <b>Täter</b> hat die <a href="/a">Polizei</a> gestern gefasst.</p>',
         '<p>The <a href="/a">police</a> caught the <b>culprit</b> yesterday.</p>'),
    ],
)  # fmt: skip
def test_a_sentence_whose_markup_the_translation_reorders_is_written(answering, format, text, expected):
    assert answering(text, format, *OBJECT_FIRST).text == expected


@pytest.mark.parametrize(
    "format, original, output, same",
    [
        ("markdown", "Den **Täter** hat die [Polizei](/a).\n", "The [police](/a) caught the **culprit**.\n", True),
        ("markdown", "Den **Täter** hat die [Polizei](/a).\n", "The [police **culprit**](/a).\n", False),
        ("markdown", "Den **Täter** hat die [Polizei](/a).\n", "The [police](/b) caught the **culprit**.\n", False),
        ("markdown", "Eins **a**.\n\nZwei [b](/a).\n", "One [b](/a).\n\nTwo **a**.\n", False),
        ("html", '<p>Den <b>T</b> hat die <a href="/a">P</a>.</p>', '<p>The <a href="/a">P</a> the <b>T</b>.</p>', True),
        ("html", '<p>Den <b>T</b> hat die <a href="/a">P</a>.</p>', '<p>The <a href="/a">P <b>T</b></a>.</p>', False),
        ("html", '<p>Den <b>T</b> hat<br>die <a href="/a">P</a>.</p>', '<p>The <a href="/a">P</a> hat<br>the <b>T</b>.</p>', False),
        ("html", "<p><b>T</b></p><p><i>P</i></p>", "<p><i>P</i></p><p><b>T</b></p>", False),
    ],
)  # fmt: skip
def test_spans_may_change_places_in_a_sentence_but_not_parents(format, original, output, same):
    from unilingo import formats

    assert formats.get(format).reads_as_original(original, output) is same
