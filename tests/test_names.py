"""Names, credits and product names on an English page (issue 24, item 7): no language to translate.

Each string has the shape of one that benchmarks/real_pages.py found sent to the German model on an English page:
a byline, a site or product name, a link that is one capitalised word, a book credit, a heading naming a person.
German beside them on the same page still goes to the German model.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURE_MODELS

from unilingo import Normalizer
from unilingo._detect import Detector
from unilingo._names import says_its_language
from unilingo._segment import segment

ENGLISH_PAGE = (
    "The mail client stores its settings in a profile folder, and every account keeps its own configuration there.\n\n"
    "The program checks for updates once a day and asks before it installs them.\n\n{}\n\n"
    "More text follows here, and it is written in English as well.\n"
)
ENGLISH_HTML = (
    '<html lang="en"><body><p>The mail client stores its settings in a profile folder, and every account keeps its own '
    "configuration there.</p><p>The program checks for updates once a day and asks before it installs them.</p>{}"
    "<p>More text follows here, and it is written in English as well.</p></body></html>"
)


@pytest.fixture(scope="module")
def detector():
    return Detector("en", ["de"])


def decisions_on_the_page(detector, page: str, block: str, format: str) -> dict:
    parsed = segment(page.format(block), format)
    return {s.text: d for s, d in zip(parsed.segments, detector.decide(parsed.segments)) if s.text in block}


@pytest.mark.parametrize(
    "block",
    ["Jonas Wehrmann", "By Greta Hollenbaum", "Pixelhacker", "Newsland", "Sportsnation", "Smartwatches", "Unmute", "Homepage",
     "[Autos](https://example.org/autos)", "## Prolog", "- [Fortran](#fortran)",
     "- [Practical Lisp](https://example.org/lisp) - Heinrich Vogelsang, Dieter Kramer (HTML, PDF)",
     "## Albert Einstein was born in Germany."],
)  # fmt: skip
def test_names_and_products_on_an_english_page_stay_as_they_are(detector, block):
    (decision,) = decisions_on_the_page(detector, ENGLISH_PAGE, block, "markdown").values()
    assert decision.action == "keep" and "on its document" in decision.reason, decision.reason


@pytest.mark.parametrize(
    "block",
    ["- [Mitmachen](CONTRIBUTING-de.md)", "- [Deutsch](README-de.md)", "## Alle Dateien", "## Leere Liste", "## Kein Zugriff",
     "## Ungültige Eingabe", "Tresorraum", "Drucken", "## E-Mail Versand Konfiguration"],
)  # fmt: skip
def test_german_on_an_english_page_still_goes_to_the_german_model(detector, block):
    (decision,) = decisions_on_the_page(detector, ENGLISH_PAGE, block, "markdown").values()
    assert decision.action == "translate" and decision.lang == "de", decision.reason


@pytest.mark.parametrize(
    "block, action",
    [('<p class="byline"><a href="/authors/jonas">Jonas Wehrmann</a></p>', "keep"),
     ('<nav><a href="https://pixelhacker.example/">Pixelhacker</a></nav>', "keep"),
     # The page marks it German: the author's word, not its letters.
     ('<nav><a lang="de" href="/de/">Newsland</a></nav>', "translate")],
)  # fmt: skip
def test_an_html_page_keeps_names_unless_it_marks_them_german(block, action):
    rows = Normalizer("en", FIXTURE_MODELS, cache=False).detect(ENGLISH_HTML.format(block), "html").segments
    found = [row for row in rows if row.text in block]
    assert [row.action for row in found] == [action], [row.reason for row in found]


def test_a_name_alone_is_decided_as_before(detector):
    """Only a page's language keeps a name: alone, nothing says which language it is in, and the label rules decide."""
    (decision,) = detector.decide(segment("Pixelhacker", "text").segments)
    assert decision.action == "translate", decision.reason


@pytest.mark.parametrize(
    "text, says",
    [("Tobias Kessler / AFP", False), ("Lena Kessler, Jonas Wehrmann", False), ("Learning Go - Annika Brandstetter (PDF)", False),
     ("ES6 in Depth (HTML)", False), ("Daniel K. Von Berg", False), ("Alle Kanäle", True), ("Leere Warteschlange", True),
     ("Verhaltensregeln", True), ("Mitwirken", True), ("Ich bin müde.", True), ("Bitte warten", True)],
)  # fmt: skip
def test_what_says_german_on_an_english_page(text, says):
    assert says_its_language(text, "de", "en") is says


def test_a_long_run_of_letters_is_no_german_adjective_and_no_crash():
    # "un" is stripped one at a time: a run of them once recursed past Python's limit.
    from unilingo._german import german_adjective
    from unilingo._shapes import looks_like_a_name

    assert not german_adjective("un" * 3000 + "e")
    assert looks_like_a_name("Foo " + "Ununun" * 1000) in (True, False)
