"""Typed decisions: code decides by a segment's action and kind, never by reading its reason; the reasons read as before."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import FIXTURE_MODELS

from unilingo._decision import EMPTY_REASON, FALLBACK_REASON, LOOP_REASON, SURROGATE_REASON, UNVERIFIED_REASON, Action, Rejection, Why
from unilingo._detect import Detector
from unilingo._findings import listed_uncertain
from unilingo._segment import segment
from unilingo._translate import Translation

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "unilingo"
# What a program could learn from a string by reading it.
_READING_METHODS = {"startswith", "endswith", "find", "rfind", "index", "rindex", "count", "partition", "rpartition",
                    "split", "rsplit", "removeprefix", "removesuffix", "__contains__"}  # fmt: skip
_READING_FUNCTIONS = {"match", "search", "fullmatch", "findall", "finditer", "split", "sub"}


def _is_reason(node: ast.AST) -> bool:
    """A name or attribute that holds a reason, or its words: ``reason``, ``segment.reason``, ``NO_MODEL_REASON``."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return "reason" in name.lower()


def reason_readings(source: str) -> list[str]:
    """Each place in ``source`` that decides by what a reason says: compares it, searches it, slices it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            against_none = any(isinstance(operand, ast.Constant) and operand.value is None for operand in operands)
            if not against_none and any(_is_reason(operand) for operand in operands):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            on_reason = method in _READING_METHODS and _is_reason(node.func.value)
            with_reason = method in _READING_METHODS | _READING_FUNCTIONS and any(_is_reason(arg) for arg in node.args)
            if on_reason or with_reason:
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Subscript) and _is_reason(node.value):
            found.append(ast.unparse(node))
    return found


def test_no_module_decides_by_reading_a_reason():
    found = [
        f"{path.relative_to(PACKAGE)}: {reading}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for reading in reason_readings(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "uncertain == 'report' and segment.reason.startswith(UNCERTAIN_REASON)",
        "self.output is None and self.reason.startswith((REJECTED_MARK, KEPT_REASON))",
        "FALLBACK_MARK in segment.reason",
        "rejected = reason in _REJECTED",
        "why = reason.partition(';')[0]",
        "f'({_MARKED_BASIS}' not in reason",
        "text.startswith(NO_MODEL_REASON)",
        "re.match(pattern, decision.reason)",
        "reason[:9] == 'uncertain'",
    ],
)
def test_the_check_finds_the_readings_that_decided_before(source):
    """What the modules did before the kinds: each is caught, so the check above cannot pass by seeing nothing."""
    assert reason_readings(source) != []


@pytest.mark.parametrize("source", ["Placement(None, reason=why)", "if placed.reason is None: pass", "log(f'{segment.reason}')"])
def test_the_check_lets_a_reason_be_written(source):
    assert reason_readings(source) == []


# The reasons' fixed words as they were written before the kinds: sidecars, reports and warnings say them.
@pytest.mark.parametrize(
    "why, text",
    [
        (Why.UNCERTAIN, "uncertain"),
        (Why.NO_MODEL, "no model for"),
        (Why.MARKED_NO_MODEL, "no model for"),
        (Why.UNPLACEABLE, "would be translated but cannot be placed"),
        (Why.REJECTED, "translation rejected"),
        (Why.NOT_WRITTEN, "translation not written"),
        (Why.FALLBACK, "markup not carried across the sentence, so it was translated between its markup as before"),
        (Why.KEPT_AS_FALLBACK, "markup not carried across the sentence, and no run between it translated; original kept"),
        (Why.FALLBACK_CHANGED, "markup not carried across the sentence, nor between it: translated between its markup"),
        (Why.TAG_LOST, "its tag did not come through the translation of the sentence around it"),
        (Why.DETECTED, ""),
        (Why.UNSEGMENTED, ""),
    ],
)
def test_each_kind_says_the_words_its_reasons_said(why, text):
    assert why.text == text


def test_whole_reasons_are_the_ones_written_before():
    assert LOOP_REASON == "translation rejected: the model's output repeats itself or runs to its length cap; original kept"
    assert EMPTY_REASON == "translation rejected: the model's output is empty; original kept"
    assert SURROGATE_REASON == ("translation rejected: the model's output holds a lone surrogate, which is not valid Unicode; "
                                "original kept")  # fmt: skip
    assert UNVERIFIED_REASON == "translation not written: the document with it would not parse as the original does; document kept"
    assert FALLBACK_REASON == Why.FALLBACK.text
    assert [rejection.short for rejection in Rejection] == [reason.partition(";")[0] for reason in (LOOP_REASON, EMPTY_REASON, SURROGATE_REASON)]


def test_kinds_that_begin_alike_stay_apart():
    assert Why.NO_MODEL is not Why.MARKED_NO_MODEL and Why.DETECTED is not Why.UNSEGMENTED
    assert len(set(Why)) == len(Why.__members__)
    assert {why for why in Why if why.without_model} == {Why.NO_MODEL, Why.MARKED_NO_MODEL}
    assert {why for why in Why if why.markup_not_carried} == {Why.FALLBACK, Why.KEPT_AS_FALLBACK, Why.FALLBACK_CHANGED}


def test_actions_are_the_words_json_and_lines_carry():
    assert [str(action) for action in Action] == ["translate", "keep", "skip"]
    assert json.dumps({"action": Action.SKIP}) == '{"action": "skip"}'
    assert f"{Action.KEEP} de" == "keep de" and Action.TRANSLATE == "translate"


@pytest.fixture(scope="module")
def detector():
    return Detector("en", ["de"])


def test_no_model_kinds_say_whether_check_finds_them(detector):
    page = '<p lang="it">Die Stadt plant einen neuen Radweg.</p><p>Grazie mille!</p>'
    marked, read = detector.decide(segment(page, "html").segments)
    assert (marked.action, marked.why, marked.reason) == (Action.SKIP, Why.MARKED_NO_MODEL, "no model for it -> en (marked lang=it)")
    assert (read.action, read.why, read.lang) == (Action.SKIP, Why.NO_MODEL, "it")
    # The author meant Italian where the page says so; read as Italian, it is surely no language wanted.
    assert not detector.is_finding(marked.lang, marked.action, marked.why)
    assert detector.is_finding(read.lang, read.action, read.why)


def test_an_uncertain_decision_is_listed_by_its_kind():
    from unilingo import Normalizer

    strict = Normalizer("en", FIXTURE_MODELS, min_confidence=1.0, uncertain="report", cache=False)
    [result] = strict.detect("Verwandte Artikel\n").segments
    assert result.why is Why.UNCERTAIN and result.reason.startswith("uncertain, reported: ")
    assert listed_uncertain(result, "report") and not listed_uncertain(result, "keep")
    assert not strict.detector.is_finding(result.lang, result.action, result.why)


def test_unsegmented_text_is_its_own_kind_until_it_would_be_translated(normalizer):
    german = "Die Polizei sucht nach Zeugen."
    deep = "\n".join([f"- {german}"] + ["  " * depth + "- x" for depth in range(1, 10)]) + f"\n\n{german}\n"
    unsegmented = [result for result in normalizer.detect(deep, "markdown").segments if result.unsegmented]
    assert unsegmented and all(result.why is Why.UNPLACEABLE for result in unsegmented)
    assert all(normalizer.detector.is_finding(result.lang, result.action, result.why) for result in unsegmented)
    english = deep.replace(german, "The police are looking for witnesses.")
    kept = [result for result in normalizer.detect(english, "markdown").segments if result.unsegmented]
    assert kept and all(result.why is Why.UNSEGMENTED for result in kept)


def test_a_rejected_translation_is_rejected_by_its_kind(monkeypatch):
    from unilingo import Normalizer

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    monkeypatch.setattr(normalizer.translator, "translate", lambda source, target, texts, *args: [Translation("", looped=True)] * len(texts))
    [plain] = normalizer.normalize("Die Polizei sucht nach Zeugen.\n").segments
    assert (plain.why, plain.reason, plain.rejected) == (Why.REJECTED, Rejection.LOOP.reason, True)
    [marked] = normalizer.normalize("Die Polizei sucht *nach* Zeugen.\n", "markdown").segments
    assert (marked.why, marked.reason, marked.rejected) == (Why.REJECTED, Rejection.LOOP.reason, True)


def test_a_sentence_translated_between_its_markup_keeps_its_reason_in_the_sidecar(normalizer):
    doc = normalizer.normalize("Das ist *ja* gut.\n", "markdown")
    [sentence] = doc.segments
    assert sentence.why is Why.FALLBACK and sentence.action == Action.TRANSLATE and not sentence.rejected
    assert doc.sidecar()["segments"][0][-1]["reason"] == sentence.reason


def test_every_reason_begins_with_its_kinds_words(normalizer):
    page = ('<p lang="it">Die Stadt plant einen neuen Radweg.</p><p>Grazie mille!</p><p>Die Polizei sucht nach Zeugen.</p>'
            '<p>The police are looking for witnesses.</p><p>Olaf Scholz</p><p>12345</p>')  # fmt: skip
    results = normalizer.detect(page, "html").segments
    assert {result.why for result in results} == {Why.MARKED_NO_MODEL, Why.NO_MODEL, Why.DETECTED}
    assert all(result.reason.startswith(result.why.text) for result in results)
