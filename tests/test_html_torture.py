"""HTML torture: inputs of the html5lib tokenizer suite, a German sentence added, every non-text byte kept.

fixtures/html5lib-subset.json holds a few hundred of the suite's ~6,800
inputs (every .test file, and every input benchmarks/html_torture.py ever saw
fail); that benchmark runs the whole suite. Each input becomes documents with
the sentence after it, before it, in attributes around it, and (where the
suite tokenizes it in another state) after the tag that opens that state.

Every document is checked without a model: every segment gets a stand-in
translation full of characters that must be escaped (the runs between a
sentence's markup each replaced, as the fallback does), merged as normalize
merges. A third of them also go through the fixture model, rerun included.
"""

from __future__ import annotations

import collections
import html
import json
import re
import unicodedata
from pathlib import Path

import html5lib
import pytest

from unilingo import restore_sidecar
from unilingo._decision import Action, Decision
from unilingo._errors import InputError
from unilingo._inline import escape_output, in_pieces
from unilingo._merge import merge, restore_inline
from unilingo._segment import segment

SUBSET = Path(__file__).parent / "fixtures" / "html5lib-subset.json"
SENTENCE = "Die Stadt plant einen neuen Radweg entlang des Flusses."
TARGET = "en"
# What the stand-in translation puts in every segment: each character here means markup somewhere in HTML.
STAND_IN = "Übersetzt: <b>a & b</b> \"c\" 'd' &amp; -->"
# The tokenizer states the suite runs some inputs in, and the element that opens each (the test's lastStartTag first).
STATE_TAGS = {
    "RCDATA state": "title",
    "RAWTEXT state": "style",
    "Script data state": "script",
    "PLAINTEXT state": "plaintext",
    "CDATA section state": "svg><![CDATA[",
}
_SURROGATE = re.compile("[\ud800-\udfff]")
# The whole document, comments and doctype before <html> included (html5lib.parse gives <html> alone).
_HTML5 = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree", fullTree=True), namespaceHTMLElements=False)


def state_tag(test: dict) -> str | None:
    states = [state for state in test.get("initialStates", []) if state != "Data state"]
    return (test.get("lastStartTag") or STATE_TAGS[states[0]]) if states else None


def documents(text: str, tag: str | None) -> dict[str, str]:
    """The documents made of one input, by placement of the German sentence."""
    docs = {
        "after": f"{text}<p>{SENTENCE}</p>",
        "before": f"<p>{SENTENCE}</p>{text}",
        # The input's own text is marked German here, so the model translates it too.
        "attribute": f'<div lang="de" title="{SENTENCE}"><img alt="{SENTENCE}">{text}</div>',
    }
    if tag:
        docs["state"] = f"<{tag}>{text}<p>{SENTENCE}</p>"
    return docs


# --- the invariants ---------------------------------------------------------


def check_bytes(doc, marks) -> str | None:
    """None when every character outside the outermost translated segments is unchanged, but lang values set to the target."""
    outermost = []
    for seg in sorted(doc.segments, key=lambda s: (s.start, -s.end)):
        # An attribute value inside a translated sentence's tag moves with the sentence.
        if seg.output is not None and not (outermost and seg.start < outermost[-1].end):
            outermost.append(seg)
    previous_end = previous_out = 0
    for seg in [*outermost, None]:
        start = len(doc.original) if seg is None else seg.start
        out_start = len(doc.text) if seg is None else seg.output_start
        before, after = doc.original[previous_end:start], doc.text[previous_out:out_start]
        if before != after and not _lang_edits_only(doc.original, previous_end, start, after, marks):
            return f"gap {previous_end}:{start} {before[:60]!r} became {after[:60]!r}"
        if seg is not None:
            previous_end, previous_out = seg.end, seg.output_end
    return None


def _lang_edits_only(original: str, start: int, end: int, after: str, marks) -> bool:
    """Whether ``after`` is original[start:end] with some lang values (quotes kept) replaced by the target."""
    pattern, position = [], start
    for mark in marks:
        if start <= mark.start and mark.end <= end:
            quote = original[mark.start] if original[mark.start] in "'\"" else ""
            kept = re.escape(original[mark.start : mark.end])
            pattern += [re.escape(original[position : mark.start]), f"(?:{kept}|{quote}{TARGET}{quote})"]
            position = mark.end
    pattern.append(re.escape(original[position:end]))
    return re.fullmatch("".join(pattern), after, re.DOTALL) is not None


def check_restore(doc) -> tuple[str | None, bool]:
    """(problem, whether inline originals could be written): the sidecar through JSON, and inline originals, give the original."""
    if restore_sidecar(json.loads(json.dumps(doc.sidecar()))) != doc.original:
        return "sidecar restore differs", False
    if not doc.translated:
        return None, False
    try:
        inline = doc.with_inline_originals()
    except ValueError:
        return None, False  # a translated attribute, title or block ending in unclosed code: the sidecar is the way, as documented
    try:
        restored = restore_inline(inline, format="html")
    except InputError as error:
        return f"inline originals written that restore cannot place: {error}", True
    return (None if restored == doc.original else "inline restore differs"), True


def tree(text: str, ignored: frozenset[str]):
    """html5lib's element tree as nested tuples: tags, attributes but ``ignored``, comments and doctypes with their text."""

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else "#comment"
        attributes = tuple(sorted((k, v) for k, v in element.attrib.items() if k not in ignored))
        own = element.text if tag in ("#comment", "<!DOCTYPE>") else None
        return (tag, attributes, own, tuple(walk(child) for child in element))

    return walk(_HTML5.parse(text))


def check_structure(doc) -> str | None:
    ignored = frozenset({"lang"} | {seg.attribute for seg in doc.segments if seg.output is not None and seg.attribute})
    return None if tree(doc.original, ignored) == tree(doc.text, ignored) else "html5lib's element tree differs"


def _squeeze(text: str) -> str:
    """Text without whitespace, controls, noncharacters and U+FFFD.

    html5lib turns NUL into U+FFFD or drops it, where unilingo's tokenizer
    keeps it; spacing is not compared, only the order of the visible characters.
    """
    return "".join(c for c in text if not c.isspace() and c != "\ufffd" and unicodedata.category(c)[0] != "C")


def html5lib_reading(text: str) -> tuple[str, dict[str, list[str]]]:
    """All the text html5lib reads, squeezed and joined, and each attribute's values by name, squeezed."""
    pieces, values = [], collections.defaultdict(list)
    for element in _HTML5.parse(text).iter():
        if isinstance(element.tag, str) and element.tag != "<!DOCTYPE>":
            pieces.append(element.text or "")
            for name, value in element.attrib.items():
                values[name].append(_squeeze(value))
        pieces.append(element.tail or "")
    return _squeeze("".join(pieces)), values


def check_text(doc, segmented) -> str | None:
    """None when what was translated is what html5lib reads as text (or as that attribute's value).

    Markup the tokenizer passed over as text (an unclosed tag, a comment
    HTML5 does not end where html.parser does) must not reach the model.
    """
    sources = {(s.start, s.end): s for s in segmented.segments}
    reading, values = html5lib_reading(doc.original)
    for seg in doc.segments:
        if seg.output is None:
            continue
        source = sources[seg.start, seg.end]
        if seg.attribute:
            if _squeeze(source.inline.plain) not in values.get(seg.attribute, []):
                return f"attribute {seg.attribute} {source.inline.plain[:60]!r} is no value html5lib reads"
            continue
        runs = source.inline.pieces if source.inline is not None and source.inline.spans else [(seg.start, seg.end)]
        for start, end in runs:
            run = html.unescape(doc.original[start:end])
            if _squeeze(run) not in reading:
                return f"{run[:60]!r} is not text to html5lib"
    return None


def check_rerun(doc, again, known_outputs: frozenset[str]) -> str | None:
    """None when the rerun translates nothing outside the first run's translations; nothing at all when those were known sentences."""
    translated = [(s.output_start, s.output_end) for s in doc.segments if s.output is not None]
    expected_none = all(s.output in known_outputs for s in doc.segments if s.output is not None)
    for seg in again.segments:
        if seg.output is None:
            continue
        if expected_none:
            return f"rerun translated {seg.text[:60]!r}"
        if not any(low <= seg.start and seg.end <= high for low, high in translated):
            return f"rerun translated {seg.text[:60]!r}, outside the first run's translations"
    return None


def stand_in(text: str):
    """(Document, SegmentedText): every segment translated to STAND_IN, merged the way normalize merges a model's output."""
    segmented = segment(text, "html")
    outputs, placed = {}, {}
    for index, seg in enumerate(segmented.segments):
        if seg.inline is not None and seg.inline.spans:
            # Markup carried across as the fallback carries it: each run between it translated alone.
            runs = {run: STAND_IN for run in seg.inline.pieces}
            outputs[index], placed[index] = in_pieces(text, "html", seg, runs)
        else:
            outputs[index] = escape_output(STAND_IN, segmented, index)
    decisions = [Decision("de", 1.0, Action.TRANSLATE, "stand-in") for _ in segmented.segments]
    return merge(segmented, decisions, outputs, TARGET, {"de": "stand-in"}, placed), segmented


def problems_of(doc, segmented) -> dict[str, str]:
    """{check: problem} for each check but rerun that the document fails."""
    found = {"bytes": check_bytes(doc, segmented.marks), "restore": check_restore(doc)[0]}
    found.update(structure=check_structure(doc), text=check_text(doc, segmented))
    return {check: problem for check, problem in found.items() if problem}


# --- the tests ---------------------------------------------------------------


def _subset() -> dict:
    return json.loads(SUBSET.read_text(encoding="utf-8"))


def _cases(model: bool, *fields: str):
    """``fields`` (text, placement) of every vendored input's documents, those through the model only with model=True.

    Inputs holding lone surrogates have a test of their own.
    """
    cases = []
    for test in _subset()["tests"]:
        if (model and not test.get("model")) or _SURROGATE.search(test["input"]):
            continue
        for placement, text in documents(test["input"], test.get("state_tag")).items():
            values = {"text": text, "placement": placement}
            cases.append(pytest.param(*(values[field] for field in fields), id=f"{test['file']}-{test['index']}-{placement}"))
    return cases


def test_the_subset_covers_every_file_of_the_suite():
    subset = _subset()
    assert "MIT" in subset["licence"] and subset["commit"]
    files = collections.Counter(test["file"] for test in subset["tests"])
    assert set(files) == set(subset["files"]), "every .test file has inputs here"
    assert 200 <= sum(files.values()) <= 500
    assert any(test.get("model") for test in subset["tests"])


@pytest.mark.parametrize("text", _cases(False, "text"))
def test_stand_in_translation_keeps_every_other_byte_and_the_tree(text):
    doc, segmented = stand_in(text)
    assert problems_of(doc, segmented) == {}


@pytest.fixture(scope="module")
def fixture_model(normalizer):
    pairs = [line.split("\t") for line in (Path(__file__).parent / "fixtures/pairs.de-en.tsv").read_text(encoding="utf-8").splitlines() if line]
    return normalizer, frozenset(english for _, english in pairs)


@pytest.mark.parametrize("text, placement", _cases(True, "text", "placement"))
def test_model_translation_keeps_every_other_byte_and_reruns_to_nothing_new(text, placement, fixture_model):
    normalizer, known_outputs = fixture_model
    doc = normalizer.normalize(text, "html")
    if placement in ("before", "attribute"):
        # The sentence (or the attributes) come before the input, which cannot hide them: the model path is really taken.
        assert doc.translated
    segmented = segment(text, "html")
    found = problems_of(doc, segmented)
    rerun = check_rerun(doc, normalizer.normalize(doc.text, "html"), known_outputs)
    assert {**found, **({"rerun": rerun} if rerun else {})} == {}


@pytest.mark.parametrize(
    "test", [t for t in _subset()["tests"] if _SURROGATE.search(t["input"])], ids=lambda t: f"{t['file']}-{t['index']}"
)
def test_text_that_is_not_valid_unicode_is_an_input_error(test, normalizer):
    # A lone surrogate reaches unilingo only through the API (no UTF-8 file holds one) and could be neither
    # written out, checksummed nor kept in a sidecar: refused as a file that is not UTF-8 is refused.
    for text in documents(test["input"], test.get("state_tag")).values():
        with pytest.raises(InputError):
            normalizer.normalize(text, "html")
