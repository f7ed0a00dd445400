import pytest

from unilingo import ConfigError
from unilingo._detect import Detector
from unilingo._segment import segment


@pytest.fixture(scope="module")
def detector():
    return Detector("en", ["de"])


def decide_alone(detector, text):
    (decision,) = detector.decide(segment(text, "text").segments)
    return decision


# Each row is a real case from mixed web content; the action is what must happen.
@pytest.mark.parametrize(
    "text, lang, action",
    [
        ("Die Polizei sucht nach Zeugen.", "de", "translate"),
        ("Wir verwenden Cookies, um Ihnen das beste Erlebnis auf unserer Website zu bieten.", "de", "translate"),
        ("Quelle: Deutsche Presse-Agentur", "de", "translate"),
        ("Verwandte Artikel", "de", "translate"),
        ("Einstellungen verwalten", "de", "translate"),
        ("Lesen Sie auch:", "de", "translate"),
        ("The mayor opened the new bridge on Monday.", "en", "keep"),
        ("Traffic in the city centre will be diverted until Friday.", "en", "keep"),
        ("Manage settings", "en", "keep"),
        ("Related articles", "en", "keep"),
    ],
)
def test_language_and_action(detector, text, lang, action):
    decision = decide_alone(detector, text)
    assert (decision.lang, decision.action) == (lang, action), decision.reason


@pytest.mark.parametrize("text", ["2024", "12:30", "3.5 %", "x", "1,000,000 €"])
def test_no_words_is_skipped(detector, text):
    decision = decide_alone(detector, text)
    assert (decision.lang, decision.action, decision.reason) == (None, "skip", "no words")


@pytest.mark.parametrize("text", ["Kontakt", "Berlin", "Impressum"])
def test_no_evidence_is_skipped_as_uncertain(detector, text):
    decision = decide_alone(detector, text)
    assert decision.action == "skip"
    assert decision.reason.startswith("uncertain")


def test_a_line_confirms_a_weak_guess(detector):
    line = segment("**Bild:** Die Polizei sucht nach Zeugen.", "markdown")
    assert [s.text for s in line.segments] == ["Bild:", "Die Polizei sucht nach Zeugen."]
    alone = decide_alone(detector, "Bild:")
    in_line = detector.decide(line.segments)[0]
    assert (alone.lang, alone.action) == ("de", "skip")
    assert (in_line.lang, in_line.action) == ("de", "translate")
    assert "its line" in in_line.reason


def test_a_line_never_overturns_a_guess(detector):
    row = segment("| 12 May | Die Veranstaltung findet im Rathaus statt. |\n|---|---|\n", "markdown")
    decisions = detector.decide(row.segments)
    assert [s.text for s in row.segments] == ["12 May", "Die Veranstaltung findet im Rathaus statt."]
    assert decisions[0].action != "translate"
    assert decisions[1].action == "translate"


def test_german_credit_under_english_caption_is_routed_alone(detector):
    paragraph = "A crowd gathers on the new bridge at sunset.\nQuelle: Deutsche Presse-Agentur\n"
    decisions = detector.decide(segment(paragraph, "text").segments)
    assert [d.action for d in decisions] == ["keep", "translate"]


def test_language_without_model_is_never_translated():
    detector = Detector("de", [])
    decision = decide_alone(detector, "The police are looking for witnesses.")
    assert decision.action == "keep" and decision.lang == "de"


def test_min_confidence_one_skips_everything_short_of_certainty():
    strict = Detector("en", ["de"], min_confidence=1.0)
    assert decide_alone(strict, "Verwandte Artikel").action == "skip"


@pytest.mark.parametrize("target, sources", [("xx", ["de"]), ("en", ["qq"])])
def test_unknown_language_is_a_config_error(target, sources):
    with pytest.raises(ConfigError, match="unknown language"):
        Detector(target, sources)
