"""Detector: the language of each segment, and what to do with it.

Three opinions, combined in log space over one candidate set (the target, the
languages with a model, and look-alike guard languages):

- langid (character n-grams, naive Bayes), weight 0.5;
- lingua (n-grams up to five characters; best of the two on short text), weight 1.0;
- distinctive function words (``_lexicon.py``), 4.0 per word: what settles
  "Ich bin Bäcker." or "I'm rich." when n-grams cannot.

Languages the user can act on (the target and every language with a model)
get a prior of 2.0: in a content repository they are far likelier than a
look-alike. Weights and threshold were tuned on ../shared/data/langid-dev/
with benchmarks/detect_accuracy.py; the README has the figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ._errors import ConfigError
from ._lexicon import FUNCTION_WORDS, credit_label, credit_languages, function_word_hits, words
from ._segment import Segment

ACTIONS = ("translate", "keep", "skip")
UNCERTAIN_POLICIES = ("keep", "translate", "report")
# Languages a German-to-English router confuses with German or English; as
# candidates they are recognised and left alone unless a model is listed.
DEFAULT_LOOK_ALIKES = ("nl", "da", "sv", "nb", "af", "lb", "fr")
DEFAULT_MIN_CONFIDENCE = 0.5
DETECTOR_NAME = "langid+lingua+words"
# Every decision left uncertain has a reason starting so; --uncertain report lists them by it.
UNCERTAIN_REASON = "uncertain"

_LANGID_WEIGHT = 0.5
_LINGUA_WEIGHT = 1.0
_FUNCTION_WORD_WEIGHT = 4.0
_ACTIONABLE_PRIOR = 2.0
_FLOOR = 1e-4
# lingua has no model for these; it calls them by their nearest neighbour, so
# its vote for the neighbour counts for both and the other opinions decide.
_LINGUA_STAND_INS = {"lb": "de"}
# A short segment's neighbours decide it only if its own guess gives their
# language at least this much.
_CONTEXT_FLOOR = 0.05
# At most this many words make a segment short: "Hallo!", "Verwandte Artikel".
_SHORT_WORDS = 3
# A sentence this sure of its language may decide a short one beside it.
_SURE = 0.9
# How strongly the languages a document is surely written in pull its short segments.
_DOCUMENT_PRIOR = 0.5
# "Olaf Scholz" reads as German to n-gram models about as surely as "Li Wei"
# does; real two-word headings ("Verwandte Artikel") score higher.
_NAME_CONFIDENCE = 0.85


@dataclass(frozen=True)
class Decision:
    lang: str | None
    confidence: float
    action: str  # one of ACTIONS
    reason: str


@dataclass(frozen=True)
class _Guess:
    lang: str
    confidence: float
    probabilities: dict[str, float]
    basis: str = ""  # what the guess rests on when it is not the segment's whole text


@lru_cache(maxsize=1)
def _full_langid():
    from langid.langid import LanguageIdentifier, model

    return LanguageIdentifier.from_modelstring(model, norm_probs=True)


def known_languages() -> list[str]:
    return sorted(_full_langid().nb_classes)


class _Scorer:
    def __init__(self, candidates: Sequence[str], actionable: Iterable[str]) -> None:
        from langid.langid import LanguageIdentifier
        from lingua import LanguageDetectorBuilder, Language

        full = _full_langid()
        # A new identifier over the shared arrays: restricting it leaves the cached one whole.
        self._langid = LanguageIdentifier(
            full.nb_ptc, full.nb_pc, full.nb_numfeats, full.nb_classes, full.tk_nextmove, full.tk_output, True
        )
        self._langid.set_languages(list(candidates))
        self.candidates = list(self._langid.nb_classes)
        lingua_codes = {language.iso_code_639_1.name.lower(): language for language in Language.all()}
        languages = {lingua_codes[code] for code in candidates if code in lingua_codes}
        languages |= {lingua_codes[_LINGUA_STAND_INS[code]] for code in candidates if code in _LINGUA_STAND_INS}
        self._lingua = LanguageDetectorBuilder.from_languages(*languages).build() if len(languages) > 1 else None
        self._lingua_code = {language: code for code, language in lingua_codes.items()}
        actionable = set(actionable)
        self._prior = {code: _ACTIONABLE_PRIOR if code in actionable else 0.0 for code in self.candidates}

    def guess(self, text: str, marked: Iterable[str] = ()) -> _Guess:
        """The combined guess; ``marked`` languages count one marker word more."""
        log_probs = self._langid.nb_classprobs(self._langid.instance2fv(text))
        langid = _softmax(dict(zip(self.candidates, map(float, log_probs))))
        lingua = self._lingua_probabilities(text)
        hits = function_word_hits(text, self.candidates)
        for code in marked:
            if code in hits:
                hits[code] += 1
        uniform = 1.0 / len(self.candidates)
        scores = {}
        for code in self.candidates:
            lingua_p = lingua.get(code, lingua.get(_LINGUA_STAND_INS.get(code, ""), uniform))
            scores[code] = (
                _LANGID_WEIGHT * math.log(langid[code] + _FLOOR)
                + _LINGUA_WEIGHT * math.log(lingua_p + _FLOOR)
                + _FUNCTION_WORD_WEIGHT * hits[code]
                + self._prior[code]
            )
        probabilities = _softmax(scores)
        best = max(probabilities, key=probabilities.__getitem__)
        return _Guess(best, probabilities[best], probabilities)

    def _lingua_probabilities(self, text: str) -> dict[str, float]:
        if self._lingua is None:
            return {}
        values = self._lingua.compute_language_confidence_values(text)
        return {self._lingua_code[value.language]: value.value for value in values}


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exps = {key: math.exp(value - top) for key, value in scores.items()}
    total = sum(exps.values())
    return {key: value / total for key, value in exps.items()}


class Detector:
    """Decides each segment: translate it, keep it (already the target), or skip it.

    ``sources`` are the languages with a model to the target; ``also`` adds
    candidate languages that are recognised but, without a model, skipped.
    Segments too short to decide alone are decided by their line or their
    neighbours in the same block when those agree with the segment's own
    guess. ``uncertain`` says what happens to a segment still under
    ``min_confidence``: ``keep`` and ``report`` leave it as it is (``report``
    also marks it for the caller to list), ``translate`` sends it to its best
    guess's model.
    """

    def __init__(
        self,
        target: str,
        sources: Iterable[str],
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        also: Iterable[str] = DEFAULT_LOOK_ALIKES,
        uncertain: str = "keep",
    ) -> None:
        known = set(known_languages())
        sources = sorted(set(sources) - {target})
        also = sorted(set(also) - {target} - set(sources))
        for code in [target, *sources, *also]:
            if code not in known:
                raise ConfigError(f"unknown language {code!r}: use an ISO 639-1 code langid knows, such as 'en' or 'de'")
        if not 0.0 <= min_confidence <= 1.0:
            raise ConfigError(f"minimum confidence must be between 0 and 1, got {min_confidence}")
        if uncertain not in UNCERTAIN_POLICIES:
            raise ConfigError(f"unknown policy for uncertain segments {uncertain!r}: use {', '.join(UNCERTAIN_POLICIES)}")
        self.target = target
        self.sources = sources
        self.min_confidence = min_confidence
        self.uncertain = uncertain
        self.candidates = sorted({target, *sources, *also})
        self._scorer = _Scorer(self.candidates, [target, *sources]) if len(self.candidates) > 1 else None

    def decide(self, segments: Sequence[Segment]) -> list[Decision]:
        guesses = _with_document_prior(segments, [self._guess(segment.text) for segment in segments])
        line_guesses = self._line_guesses(segments, guesses)
        prose = self._prose_languages(segments, guesses)
        return [
            self._route(segment.text, guess, self._context(index, segments, guesses, line_guesses, prose))
            for index, (segment, guess) in enumerate(zip(segments, guesses))
        ]

    def _guess(self, text: str) -> _Guess | None:
        if not _has_words(text):
            return None
        if self._scorer is None:
            return _Guess(self.target, 1.0, {self.target: 1.0})
        label = credit_label(text)
        if label is not None:
            guess = self._scorer.guess(label, marked=credit_languages(label))
            return _Guess(guess.lang, guess.confidence, guess.probabilities, f"its label '{label}'")
        return self._scorer.guess(text)

    def _prose_languages(self, segments, guesses) -> dict[int, list[tuple[int, _Guess]]]:
        """For each run of prose, its sentences that are decided beyond doubt."""
        found: dict[int, list[tuple[int, _Guess]]] = {}
        for index, (segment, guess) in enumerate(zip(segments, guesses)):
            if guess is not None and guess.confidence >= _SURE:
                found.setdefault(segment.group, []).append((index, guess))
        return found

    def _line_guesses(self, segments, guesses) -> dict[int, _Guess]:
        """A guess for each line that holds an uncertain segment and more text besides."""
        texts: dict[int, list[str]] = {}
        for segment in segments:
            texts.setdefault(segment.line, []).append(segment.text)
        wanted = {
            segment.line
            for segment, guess in zip(segments, guesses)
            if guess is not None and guess.confidence < self.min_confidence and len(texts[segment.line]) > 1
        }
        return {line: self._scorer.guess(" ".join(texts[line])) for line in wanted if self._scorer is not None}

    def _context(self, index, segments, guesses, line_guesses, prose) -> tuple[_Guess, str] | None:
        """A confident guess from the segment's sentence, line or block neighbours that its own guess allows."""
        own = guesses[index]
        segment = segments[index]
        if own is None or own.basis:
            return None
        if _is_short(segment.text):
            # "Hallo! Ich heiße Tim.": a short sentence is in the language of the prose around it.
            mates = [guess for other, guess in prose.get(segment.group, []) if other != index]
            if mates and len({mate.lang for mate in mates}) == 1 and own.probabilities.get(mates[0].lang, 0.0) >= _CONTEXT_FLOOR:
                lang = mates[0].lang
                if lang != own.lang or own.confidence < self.min_confidence:
                    confidence = min(mate.confidence for mate in mates)
                    return _Guess(lang, confidence, {lang: confidence}), "its sentence's neighbours"
        if own.confidence >= self.min_confidence or _looks_like_a_name(segment.text):
            return None
        line = line_guesses.get(segment.line)
        if line is not None and line.confidence >= self.min_confidence and own.lang == line.lang:
            return line, "its line"
        before = _confident_neighbour(segments, guesses, index, -1, self.min_confidence)
        after = _confident_neighbour(segments, guesses, index, +1, self.min_confidence)
        neighbours = [guess for guess in (before, after) if guess is not None]
        if neighbours and len({guess.lang for guess in neighbours}) == 1:
            lang = neighbours[0].lang
            if own.probabilities.get(lang, 0.0) >= _CONTEXT_FLOOR:
                confidence = min(guess.confidence for guess in neighbours)
                return _Guess(lang, confidence, {lang: confidence}), "its neighbours"
        return None

    def _route(self, text: str, guess: _Guess | None, context: tuple[_Guess, str] | None) -> Decision:
        if guess is None:
            return Decision(None, 0.0, "skip", "no words")
        how = f"{DETECTOR_NAME} {guess.confidence:.2f}"
        if guess.basis:
            how = f"{DETECTOR_NAME} on {guess.basis} {guess.confidence:.2f}"
        if context is not None:
            guess, where = context
            how = f"{DETECTOR_NAME} on {where} {guess.confidence:.2f}"
        elif guess.confidence < _NAME_CONFIDENCE and _looks_like_a_name(text):
            return Decision(guess.lang, guess.confidence, "skip", f"looks like a name ({how})")
        lang, confidence = guess.lang, guess.confidence
        if confidence < self.min_confidence and not (self.uncertain == "translate" and lang in self.sources):
            label = f"{UNCERTAIN_REASON}, reported" if self.uncertain == "report" else UNCERTAIN_REASON
            return Decision(lang, confidence, "skip", f"{label}: {how} < {self.min_confidence}")
        if lang == self.target:
            return Decision(lang, confidence, "keep", f"already {lang} ({how})")
        if lang not in self.sources:
            return Decision(lang, confidence, "skip", f"no model for {lang} -> {self.target} ({how})")
        return Decision(lang, confidence, "translate", f"{lang} -> {self.target} ({how})")


def _confident_neighbour(segments, guesses, index: int, step: int, threshold: float) -> _Guess | None:
    block = segments[index].block
    position = index + step
    while 0 <= position < len(segments) and segments[position].block == block:
        guess = guesses[position]
        if guess is not None and guess.confidence >= threshold:
            return guess
        position += step
    return None


def _with_document_prior(segments, guesses: list[_Guess | None]) -> list[_Guess | None]:
    """Short guesses nudged towards the languages the document is surely written in.

    A "Foto:" credit could be German or Dutch; in an article whose other
    paragraphs are surely German or English and never Dutch, it is German.
    """
    sure: dict[str, int] = {}
    for guess in guesses:
        if guess is not None and guess.confidence >= _SURE:
            sure[guess.lang] = sure.get(guess.lang, 0) + 1
    if not sure:
        return guesses
    nudged = []
    for segment, guess in zip(segments, guesses):
        if guess is None or not (guess.basis or _is_short(segment.text)):
            nudged.append(guess)
            continue
        weights = {lang: p * (1 + sure.get(lang, 0)) ** _DOCUMENT_PRIOR for lang, p in guess.probabilities.items()}
        total = sum(weights.values())
        probabilities = {lang: weight / total for lang, weight in weights.items()}
        best = max(probabilities, key=probabilities.__getitem__)
        nudged.append(_Guess(best, probabilities[best], probabilities, guess.basis))
    return nudged


def _has_words(text: str) -> bool:
    letters = sum(char.isalpha() for char in text)
    if letters < 2:
        return False
    # "ISBN 978-3-16-148410-0", "H5N1", "v2.0.1": codes, not language.
    visible = sum(not char.isspace() for char in text)
    return letters >= 0.3 * visible or sum(len(word) >= 3 for word in words(text)) >= 2


def _is_short(text: str) -> bool:
    return len(words(text)) <= _SHORT_WORDS


def _looks_like_a_name(text: str) -> bool:
    """Two to four capitalised words, no punctuation, no word that marks a language."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 4:
        return False
    if not all(token[0].isupper() and all(char.isalpha() or char in "-'’." for char in token) for token in tokens):
        return False
    lowered = words(text)
    return not any(word in marker_words for word in lowered for marker_words in FUNCTION_WORDS.values())
