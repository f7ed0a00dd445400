"""Issue 20: German interface labels by how German forms its words, each decided alone as a stray label on an English page.

The strings are written for these tests (a file manager's, a drawing app's
and a calculator's labels), none from ui-dev's held-out projects.
"""

import pytest

from unilingo._detect import Detector
from unilingo._german import german_adjective, german_not_in, german_word
from unilingo._segment import segment


@pytest.fixture(scope="module")
def detector():
    return Detector("en", ["de"])


def route_alone(detector, text):
    (decision,) = detector.decide(segment(text, "text").segments)
    return (decision.lang if decision.action == "translate" else None), decision.reason


# Words no small list holds, German by their form: learned nouns in "-ie", the letter no other language writes ("ß"),
# participles, infinitives of English verbs, German plurals of English nouns, inflected Latinate adjectives.
@pytest.mark.parametrize(
    "text",
    ["Technologie", "Topologie", "Überlagern", "Glühfaden", "Zoomen", "Scrollen", "Lobbys", "Steigend", "Absteigend", "Gepunktet",
     "Angeheftet", "Zoombare Bilder", "Inverser Sinus", "Reeller Teil", "Unbenanntes Dokument", "Optionale Felder",
     "Modulare Bauweise", "Gespeicherte Suchen", "Hebräisch"],
)  # fmt: skip
def test_german_labels_by_form_go_to_the_german_model(detector, text):
    lang, reason = route_alone(detector, text)
    assert lang == "de", reason


# A German word that a look-alike's letters suggest is not that look-alike's when its list lacks the word.
@pytest.mark.parametrize("text", ["Primärfarbe", "Gravitationskonstante", "Kompressionsmethode"])
def test_german_compounds_are_no_look_alikes_words(detector, text):
    lang, reason = route_alone(detector, text)
    assert lang == "de", reason


# English words these forms could be mistaken for: an English word and "end", English agent nouns in "-er",
# English words written solid, English plurals in "-ies", a web word German's list holds and the look-alikes' do not.
@pytest.mark.parametrize(
    "text",
    ["Backend", "Frontend", "Weekend", "Legend", "Dialer", "Dealer", "Spyware", "Toolbar", "Sidebar", "Modular", "Hobbies",
     "Scifi", "Gadget", "Budget", "Scroll", "Zoom in", "Optional fields", "Sort order", "Fast mode", "Export error", "Tags",
     "Pause"],
)  # fmt: skip
def test_english_and_same_letter_labels_go_to_no_model(detector, text):
    lang, reason = route_alone(detector, text)
    assert lang is None, reason


@pytest.mark.parametrize(
    "word, german",
    [("biometrie", True), ("größenraster", True), ("länge", True), ("zoomen", True), ("lobbys", True), ("steigend", True),
     ("gepunktet", True), ("angeheftet", True), ("zoombare", True), ("optionale", True), ("reeller", True),
     ("mär", False), ("backend", False), ("frontend", False), ("dialer", False), ("spyware", False), ("toolbar", False),
     ("gadget", False)],
)  # fmt: skip
def test_german_by_form(word, german):
    assert german_word(word) is german


@pytest.mark.parametrize(
    "word, adjective",
    [("optionale", True), ("reeller", True), ("inverser", True), ("unbenanntes", True), ("dialer", False), ("spyware", False), ("modular", False)],
)  # fmt: skip
def test_inflected_adjectives_are_no_names_words(word, adjective):
    assert german_adjective(word) is adjective


def test_words_german_forms_count_against_a_look_alike_only_when_its_list_lacks_them():
    assert german_not_in("Primärfarbe", "sv") == 1
    # Swedish writes "nummer" too; "Scifi" German's web list merely holds; "-lingen" ends Danish words as well as
    # a German town's name.
    assert german_not_in("Nummer", "sv") == 0
    assert german_not_in("Scifi", "sv") == 0
    assert german_not_in("Medlemsforsamlingen", "da") == 0
    assert german_not_in("Scifi", "en") == 1
    assert german_not_in("Primärfarbe", "de") == 0
