"""Detector: the language of each segment in its document, and what to do with it.

Each text's own guess comes from ``_scorer.py``; here the document weighs in:
a short segment follows a sure neighbour or the language the document is
surely written in, a page's ``lang`` tips what is in doubt, names and credits
on a page surely in the target language follow the page (``_names.py``),
and the guess becomes a typed decision: translate, keep, skip or uncertain.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import asdict
from functools import cached_property
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

from ._decision import Action, Decision, Why
from ._errors import ConfigError
from ._langid import known_codes, langid_model
from ._lexicon import (
    credit_label,
    credit_languages,
    mostly_unknown_words,
    name_description,
    only_placeholder_words,
    reads_the_same_in,
    tells_apart,
)
from ._names import says_its_language
from ._scorer import SETTLED, Guess, Scorer
from ._shapes import has_words, is_short, looks_like_a_citation, looks_like_a_name
from ._segment import Segment

if TYPE_CHECKING:
    from ._memory import TranslationMemory

UNCERTAIN_POLICIES = ("keep", "translate", "report")
# Languages a German-to-English router confuses with German or English; as
# candidates they are recognised and left alone unless a model is listed.
DEFAULT_LOOK_ALIKES = ("nl", "da", "sv", "nb", "af", "lb", "fr")
# The languages of the bundled models, always candidates: without them a
# target with no model into it ("fr") is the best guess for English and German
# text, and ``check`` passes a German file.
_ALWAYS_RECOGNISED = ("en", "de")
DEFAULT_MIN_CONFIDENCE = 0.5
DETECTOR_NAME = "langid+lingua+words"
# How a reason says the page marked the language (HTML's lang), rather than the detector finding it.
_MARKED_BASIS = "marked lang="

# A short segment's neighbours decide it only if its own guess gives their
# language at least this much.
_CONTEXT_FLOOR = 0.05
# A sentence this sure of its language may decide a short one beside it.
_SURE = 0.9
# The share of a document's sure sentences in one language that makes it the document's language (see _document_language).
_DOCUMENT_SHARE = 0.9
# How strongly the languages a document is surely written in pull its short segments.
_DOCUMENT_PRIOR = 0.5
# A segment's marked language (HTML's ``lang``) weighs this much more than the others: pages mislabel
# quoted and embedded text, so it tips what is in doubt and never outvotes clear words.
_MARKED_PRIOR = 3.0
# Changes when the scorer would guess differently, so remembered guesses are not reused.
_GUESS_VERSION = 14
# "Olaf Scholz" reads as German to n-gram models about as surely as "Li Wei"
# does; real two-word headings ("Verwandte Artikel") score higher.
_NAME_CONFIDENCE = 0.85
# Over all of py3langid's languages, a name's guessed language gets little
# ("Olaf Scholz": German 0.12, "Li Wei" 0.01), a heading's much more
# ("Verwandte Artikel": 0.38, "Weitere Nachrichten" 0.96).
_NAME_EVIDENCE = 0.25


def known_languages() -> list[str]:
    return known_codes(langid_model())


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
        memory: "TranslationMemory | None" = None,
    ) -> None:
        known = self._known = set(known_languages())
        sources = sorted(set(sources) - {target})
        left_alone = set(also) - {target} - set(sources)
        also = sorted(left_alone | (set(_ALWAYS_RECOGNISED) - {target} - set(sources)))
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
        self._scorer = Scorer(self.candidates, sources, target) if len(self.candidates) > 1 else None
        self.memory = memory
        self._also = also
        # What ``check`` flags besides text headed for a model: a language
        # recognised only because it always is, not because the user listed it
        # to be left alone ("de" under --target fr with no model into fr).
        self.not_wanted = sorted(set(also) - left_alone)

    @cached_property
    def _memory_key(self) -> str:
        """What guesses depend on: the candidates, which of them have models, this code and the three libraries.

        Made only when a memory is used: importlib.metadata alone costs 30 ms to import.
        """
        from importlib.metadata import version

        return (
            f"{DETECTOR_NAME} {_GUESS_VERSION} py3langid-{version('py3langid')} lingua-{version('lingua-language-detector')} "
            f"wordfreq-{version('wordfreq')} "
            f"target={self.target} sources={','.join(self.sources)} also={','.join(self._also)}"
        )

    def decide(self, segments: Sequence[Segment]) -> list[Decision]:
        guesses = _with_document_prior(segments, self._guesses([segment.text for segment in segments]))
        guesses = [_with_marked_language(segment.marked, guess) for segment, guess in zip(segments, guesses)]
        line_guesses = self._line_guesses(segments, guesses)
        prose = self._prose_languages(segments, guesses)
        document = _document_language(segments, guesses)
        neighbours = _confident_neighbours(segments, guesses, self.min_confidence)
        in_group = Counter(segment.group for segment in segments)
        return [
            self._marked_without_model(segment.marked)
            or self._route(
                segment.text, guess, self._context(index, segments, guesses, line_guesses, prose, document, neighbours), alone=in_group[segment.group] == 1
            )
            for index, (segment, guess) in enumerate(zip(segments, guesses))
        ]

    def _marked_without_model(self, marked: str | None) -> Decision | None:
        """Text marked as a language that has no model into the target is left alone, whatever it reads as."""
        if marked is None or marked == self.target or marked in self.sources or marked not in self._known:
            return None
        reason = f"{Why.MARKED_NO_MODEL.text} {marked} -> {self.target} ({_MARKED_BASIS}{marked})"
        return Decision(marked, 1.0, Action.SKIP, reason, Why.MARKED_NO_MODEL)

    def _guesses(self, texts: Sequence[str]) -> list[Guess | None]:
        with_words = [index for index, text in enumerate(texts) if has_words(text)]
        guesses: list[Guess | None] = [None] * len(texts)
        if self._scorer is None:
            for index in with_words:
                guesses[index] = Guess(self.target, 1.0, {self.target: 1.0})
            return guesses
        labels = {index: credit_label(texts[index]) for index in with_words}
        described = {index: name_description(texts[index]) for index in with_words if labels[index] is None}
        # A description that reads alike in the target and the sources ("Gültigkeitszeitraum (optional)") says nothing.
        described = {index: text if text and tells_apart(text, [self.target, *self.sources]) else None for index, text in described.items()}
        scored = [labels[index] or described[index] or texts[index] for index in with_words]
        marked = [credit_languages(labels[index]) if labels[index] else () for index in with_words]
        for index, guess in zip(with_words, self._remembered_guesses(scored, marked)):
            label, description = labels[index], described.get(index)
            if label is not None or description is not None:
                basis = f"its label '{label}'" if label is not None else f"its description '{description}'"
                guess = Guess(guess.lang, guess.confidence, guess.probabilities, basis)
            guesses[index] = guess
        return guesses

    def is_finding(self, lang: str | None, action: Action, why: Why) -> bool:
        """Whether ``check`` should fail on a decision: text headed for a model, or surely in a language not wanted.

        The look-alikes of ``also`` are recognised to be left alone, so they
        pass: a Dutch quote in an English page is no finding. A language
        that is no candidate at all ("Grazie mille!" under --target en) is
        not wanted either, unless the page marks it so (``lang="it"``): the
        author meant it. Listed in ``also``, it would pass. Decisions under
        the minimum confidence, names and text of no language never are.
        """
        if action == Action.TRANSLATE or why is Why.UNPLACEABLE:
            return True
        if action != Action.SKIP or not why.without_model:
            return False
        return lang in self.not_wanted or (lang not in self.candidates and why is not Why.MARKED_NO_MODEL)

    def _remembered_guesses(self, texts: list[str], marked: list) -> list[Guess]:
        """The scorer's guesses, from the memory where it has them: a re-run loads no language model."""
        if self.memory is None:
            return self._scorer.guess_many(texts, marked)
        keys = [f"{','.join(codes)}|{text}" for text, codes in zip(texts, marked)]
        known = {key: Guess(**fields) for key, fields in self.memory.lookup_detections(self._memory_key, list(set(keys))).items()}
        missing = [index for index, key in enumerate(keys) if key not in known]
        if missing:
            fresh = self._scorer.guess_many([texts[i] for i in missing], [marked[i] for i in missing])
            new = {keys[index]: guess for index, guess in zip(missing, fresh)}
            self.memory.store_detections(self._memory_key, {key: asdict(guess) for key, guess in new.items()})
            known.update(new)
        return [known[key] for key in keys]

    def _prose_languages(self, segments, guesses) -> dict[int, "_SureSentences"]:
        """For each run of prose, its sentences that are decided beyond doubt."""
        found: dict[int, list[tuple[int, Guess]]] = {}
        for index, (segment, guess) in enumerate(zip(segments, guesses)):
            if guess is not None and guess.confidence >= _SURE:
                found.setdefault(segment.group, []).append((index, guess))
        return {group: _SureSentences.of(sure) for group, sure in found.items()}

    def _line_guesses(self, segments, guesses) -> dict[int, Guess]:
        """A guess for each line that holds an uncertain segment and more text besides."""
        uncertain = {segment.line for segment, guess in zip(segments, guesses) if guess is not None and guess.confidence < self.min_confidence}
        if self._scorer is None or not uncertain:
            return {}
        texts: dict[int, list[str]] = {}
        for segment in segments:
            if segment.line in uncertain:
                texts.setdefault(segment.line, []).append(segment.text)
        wanted = {line for line in uncertain if len(texts[line]) > 1}
        if not wanted:
            return {}
        lines = sorted(wanted)
        joined = [" ".join(texts[line]) for line in lines]
        return dict(zip(lines, self._remembered_guesses(joined, [()] * len(lines))))

    def _context(self, index, segments, guesses, line_guesses, prose, document, confident_neighbours) -> tuple[Guess, str] | None:
        """A confident guess from the segment's sentence, line, block neighbours or document that its own guess allows."""
        own = guesses[index]
        segment = segments[index]
        if own is None or own.basis:
            return None
        if is_short(segment.text):
            # "Ja! Ich heiße Tim.": a short sentence is in the language of the prose around it.
            sure = prose.get(segment.group)
            mates = sure.besides(index, own) if sure is not None else None
            if mates is not None and own.probabilities.get(mates[0], 0.0) >= _CONTEXT_FLOOR:
                lang, confidence = mates
                if lang != own.lang or own.confidence < self.min_confidence:
                    return Guess(lang, confidence, {lang: confidence}), "its sentence's neighbours"
            # "## Artikel 1." in a Swedish declaration, "3.4 Thunderbird" on an English page: a heading whose words
            # the document's language writes as well, or no language writes, is in that language, however surely
            # it reads as German alone.
            # Not away from the target: "News" on a German page is already the target's as it is.
            if (
                document is not None
                and own.lang not in (document.lang, self.target)
                and reads_the_same_in(segment.text, document.lang, own.lang, one_word_of_it=False)
            ):
                return document, "its document"
        # "Maggie Haberman", "Lifehacker", "Exploring ES6 - Axel Rauschmayer (HTML)" on an English page: letters that
        # read German and no word that says so are a name's, a product's or a credit's, however sure the letters are.
        if (
            document is not None
            and document.lang == self.target
            and own.lang in self.sources
            and segment.marked != own.lang
            and not says_its_language(segment.text, own.lang, document.lang)
        ):
            return document, "its document"
        if own.confidence >= self.min_confidence or looks_like_a_name(segment.text):
            return None
        line = line_guesses.get(segment.line)
        if line is not None and line.confidence >= self.min_confidence and own.lang == line.lang:
            return line, "its line"
        neighbours = [guess for guess in confident_neighbours[index] if guess is not None]
        if neighbours and len({guess.lang for guess in neighbours}) == 1:
            lang = neighbours[0].lang
            if own.probabilities.get(lang, 0.0) >= _CONTEXT_FLOOR:
                confidence = min(guess.confidence for guess in neighbours)
                return Guess(lang, confidence, {lang: confidence}), "its neighbours"
        return None

    def _route(self, text: str, guess: Guess | None, context: tuple[Guess, str] | None, *, alone: bool) -> Decision:
        if guess is None:
            return Decision(None, 0.0, Action.SKIP, "no words")
        if self._no_language(text, guess):
            return Decision(None, 0.0, Action.SKIP, "no words of a known language")
        if guess.foreign is not None:
            # Whatever its neighbours are: an Italian phrase in a German paragraph is Italian.
            return Decision(guess.foreign, guess.foreign_confidence, Action.SKIP,
                            f"{Why.NO_MODEL.text} {guess.foreign} -> {self.target} (py3langid over all its languages {guess.foreign_confidence:.2f})", Why.NO_MODEL)  # fmt: skip
        how = f"{DETECTOR_NAME} {guess.confidence:.2f}"
        if looks_like_a_citation(text):
            return Decision(guess.lang, guess.confidence, Action.SKIP, f"looks like a citation ({how})")
        if guess.basis:
            how = f"{DETECTOR_NAME} on {guess.basis} {guess.confidence:.2f}"
        if context is not None:
            guess, where = context
            how = f"{DETECTOR_NAME} on {where} {guess.confidence:.2f}"
        elif looks_like_a_name(text) and (
            guess.confidence < _NAME_CONFIDENCE if guess.name_evidence is None else guess.name_evidence < _NAME_EVIDENCE
        ):
            return Decision(guess.lang, guess.confidence, Action.SKIP, f"looks like a name ({how})")
        lang, confidence = guess.lang, guess.confidence
        if confidence < self.min_confidence and not (self.uncertain == "translate" and lang in self.sources):
            label = f"{Why.UNCERTAIN.text}, reported" if self.uncertain == "report" else Why.UNCERTAIN.text
            return Decision(lang, confidence, Action.SKIP, f"{label}: {how} < {self.min_confidence}", Why.UNCERTAIN)
        if lang == self.target:
            return Decision(lang, confidence, Action.KEEP, f"already {lang} ({how})")
        if lang not in self.sources:
            return Decision(lang, confidence, Action.SKIP, f"{Why.NO_MODEL.text} {lang} -> {self.target} ({how})", Why.NO_MODEL)
        # Only a label, alone in its run of prose: "Sorry." in English prose is a sentence of it, translated with it.
        # Nor a credit line: it is its label's language, and the names after the label are no language's words.
        if alone and not guess.basis and reads_the_same_in(text, self.target, lang):
            return Decision(lang, confidence, Action.KEEP, f"reads the same in {self.target} ({how})")
        return Decision(lang, confidence, Action.TRANSLATE, f"{lang} -> {self.target} ({how})")

    def _no_language(self, text: str, guess: Guess) -> bool:
        """Whether the segment's words are mostly no candidate's, and nothing else says it is a language.

        Decided before its neighbours are asked: "ddd" below a German
        sentence is no more German for it. A credit line is its label's
        language whatever names follow it.
        """
        if self._scorer is None or guess.basis or looks_like_a_name(text):
            return False
        # Placeholder names read as sure English to the n-gram models ("foo bar": 0.996), yet are no language.
        if only_placeholder_words(text):
            return True
        return guess.confidence < SETTLED and mostly_unknown_words(text, self.candidates)


class _SureSentences(NamedTuple):
    """A run of prose's sure sentences, summed up once: their languages, and the two least sure of them.

    Each short segment asks for the others than itself: listed anew for
    each, a run of 8,000 segments took 1.5 s, its length squared.
    """

    languages: Counter
    least_sure: list[tuple[float, int]]

    @classmethod
    def of(cls, sure: list[tuple[int, Guess]]) -> "_SureSentences":
        return cls(Counter(guess.lang for _, guess in sure), heapq.nsmallest(2, ((guess.confidence, index) for index, guess in sure)))

    def besides(self, index: int, own: Guess) -> tuple[str, float] | None:
        """The one language of the sure sentences other than segment ``index`` and the least sure one's confidence, if one."""
        languages = self.languages
        if own.confidence >= _SURE:  # the segment is one of them
            languages = languages.copy()
            languages[own.lang] -= 1
        present = [lang for lang, count in languages.items() if count > 0]
        if len(present) != 1:
            return None
        return present[0], next(confidence for confidence, other in self.least_sure if other != index)


def _confident_neighbours(segments, guesses, threshold: float) -> list[tuple[Guess | None, Guess | None]]:
    """For each segment, the nearest guess at least ``threshold`` sure before it and after it in its block.

    Found in one pass each way: walked from each uncertain segment, a block of
    8,000 of them took 7 s, its length squared.
    """
    nearest: list[list[Guess | None]] = [[None, None] for _ in segments]
    for side, order in ((0, range(len(segments))), (1, range(len(segments) - 1, -1, -1))):
        block, last = None, None
        for position in order:
            if segments[position].block != block:
                block, last = segments[position].block, None
            nearest[position][side] = last
            guess = guesses[position]
            if guess is not None and guess.confidence >= threshold:
                last = guess
    return [(before, after) for before, after in nearest]


def _document_language(segments, guesses: Sequence[Guess | None]) -> Guess | None:
    """The language nine in ten of a document's sure sentences (not short ones) are in, when there are two or more.

    Nine in ten, not all: an Afrikaans declaration has a sentence or two that read surely Dutch.
    """
    sure = [guess for segment, guess in zip(segments, guesses) if guess is not None and guess.confidence >= _SURE and not is_short(segment.text)]
    if len(sure) < 2:
        return None
    lang, count = Counter(guess.lang for guess in sure).most_common(1)[0]
    if count < _DOCUMENT_SHARE * len(sure):
        return None
    confidence = min(guess.confidence for guess in sure if guess.lang == lang)
    return Guess(lang, confidence, {lang: confidence})


def _with_document_prior(segments, guesses: list[Guess | None]) -> list[Guess | None]:
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
        if guess is None or not (guess.basis or is_short(segment.text)):
            nudged.append(guess)
            continue
        nudged.append(guess.reweighed({lang: p * (1 + sure.get(lang, 0)) ** _DOCUMENT_PRIOR for lang, p in guess.probabilities.items()}))
    return nudged


def _with_marked_language(marked: str | None, guess: Guess | None) -> Guess | None:
    if marked is None or guess is None or marked not in guess.probabilities:
        return guess
    return guess.reweighed({lang: p * (_MARKED_PRIOR if lang == marked else 1.0) for lang, p in guess.probabilities.items()})


