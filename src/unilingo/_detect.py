"""Detector: the language of each segment, and what to do with it.

Opinions combined in log space over one candidate set (the target, the
languages with a model, English and German, and look-alike guard languages):

- py3langid (character n-grams, naive Bayes; langid's maintained fork,
  whose retrained model knows Luxembourgish), weight 0.75;
- lingua's fast trigram models, weight 1.0;
- distinctive function words (``_lexicon.py``), 4.0 per word: what settles
  "Ich bin Bäcker." or "I'm rich." when n-grams cannot;
- for short segments that the others leave possibly headed for a model, how
  often each language writes their words (wordfreq's lists, weight 1.0):
  "I'm transgender." reads German to both n-gram models, but its words are
  English. Names are what word lists cannot weigh ("Scholz" is frequent in
  German news), so two to four capitalised words get, instead of them and
  of py3langid over the candidates, py3langid over all its languages (139):
  a name's letters spread thin there ("Olaf Scholz": German 0.12), a
  heading's words do not ("Verwandte Artikel": 0.38). lingua's full models,
  which did this before, stalled a fresh process 1.5 s on one core.

A segment with four or more marker words of one language and none of another,
or of nothing but marker words of one language, is decided by them alone,
since nothing the n-gram models say could outweigh them. That, word lists
that load in 10 ms a language where lingua's full models took 0.8 s for all,
and py3langid scored without numpy (``_langid.py``)
are what keep ``check`` of a megabyte of English under a second.

Text whose words are mostly neither marker words nor frequent words of any
candidate ("aaa", "bar baz bim") is no language, whatever the n-gram models
make of it, unless they are sure of it (a German compound too rare for the
word lists) or it looks like a name.

Languages the user can act on (the target and every language with a model)
get a prior of 2.0: in a content repository they are far likelier than a
look-alike. Weights and threshold were tuned on ../shared/data/langid-dev/
with benchmarks/detect_accuracy.py, now on its tuning part only, so that its
held-out part says whether they hold; the README has both figures.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from ._decision import Action, Decision, Why
from ._errors import ConfigError
from ._langid import LangidScorer, known_codes, langid_model
from ._german import german_derivation_or_compound, german_not_in, german_noun_or_adjective, german_word
from ._names import says_its_language
from ._lexicon import (
    FUNCTION_WORDS,
    credit_label,
    credit_languages,
    function_word_hits,
    mostly_unknown_words,
    name_description,
    only_placeholder_words,
    own_and_shared_markers,
    reads_the_same_in,
    tells_apart,
    word_frequency_scores,
)
from ._wordlists import words
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

_LANGID_WEIGHT = 0.75
_LINGUA_WEIGHT = 1.0
_FUNCTION_WORD_WEIGHT = 4.0
_WORD_FREQUENCY_WEIGHT = 1.0
_ACTIONABLE_PRIOR = 2.0
_FLOOR = 1e-4
# A label (see _is_label) with a word German writes: in a German or English interface a button is far likelier
# German or English than a look-alike's, and its letters are too few for the n-gram models to tell them apart
# ("Kalender": Danish 0.57, "Gruppen": uncertain). Chosen on ui-dev's tuning part: 2.0 (the sentences' prior)
# leaves 229 of its 2,253 short German labels misrouted, 3.0 195, 4.0 174, 5.0 with twice the English misses.
_LABEL_PRIOR = 4.0
# And each of its words that German writes and a language's list does not hold at all counts this much against
# that language: English labels borrow no German, German ones borrow English ("Heartbeat-Intervall", "Board
# klonen"); a look-alike's labels are its own words, whatever their letters read as ("Primärfarbe": Swedish 0.58).
_NOT_THEIRS_WEIGHT = 8.0
# lingua has no model for these; it calls them by their nearest neighbour, so
# its vote for the neighbour counts for both and the other opinions decide.
_LINGUA_STAND_INS = {"lb": "de"}
# A short segment's neighbours decide it only if its own guess gives their
# language at least this much.
_CONTEXT_FLOOR = 0.05
# At most this many words make a segment short: "Ja!", "Verwandte Artikel".
_SHORT_WORDS = 3
# A sentence this sure of its language may decide a short one beside it.
_SURE = 0.9
# A longer text that lingua's fast models and the marker words alone give the
# target this surely is not looked at further.
_SETTLED = 0.99
# lingua's fast models are as good as its full ones on texts this long (its documentation says so; the dev set agrees).
_FAST_MODELS_SUFFICE = 120
# The share of a document's sure sentences in one language that makes it the document's language (see _document_language).
_DOCUMENT_SHARE = 0.9
# How strongly the languages a document is surely written in pull its short segments.
_DOCUMENT_PRIOR = 0.5
# A segment's marked language (HTML's ``lang``) weighs this much more than the others: pages mislabel
# quoted and embedded text, so it tips what is in doubt and never outvotes clear words.
_MARKED_PRIOR = 3.0
# Text headed for a model or kept as the target, whose words are mostly not
# that language's, is another language when py3langid over all its languages gives one that
# is no candidate at least this much and the model's language under the
# second. Of the tuning part's German, English (--target de) and Dutch (an
# nl->en model listed) headed for their models, 23 texts get that far; the
# closest to the line: "Rubbish!" (Oromo 0.94, English 0.0012) and "Daarna
# zong Lakkha Singh de bhajans." (Scottish Gaelic 0.91, Dutch 0.0002).
# "Grazie mille!" is Italian, 0.99.
_FOREIGN_SURE = 0.95
_FOREIGN_SOURCE_AT_MOST = 0.001
# Changes when the scorer would guess differently, so remembered guesses are not reused.
_GUESS_VERSION = 14
# A segment with this many marker words of one language and none of another
# is decided by them alone: 4 words x 4.0 outweigh all that langid and lingua
# together say against a language's own function words short of both ruling
# it out (1.75 x ln 10^4 = 16.1, plus the prior, 2.0). So is a segment of
# nothing but marker words of one language ("Impressum", "Ich bin"): too
# short for the n-gram models, which read "Impressum" as French.
_DECISIVE_WORDS = 4
# "Olaf Scholz" reads as German to n-gram models about as surely as "Li Wei"
# does; real two-word headings ("Verwandte Artikel") score higher.
_NAME_CONFIDENCE = 0.85
# Over all of py3langid's languages, a name's guessed language gets little
# ("Olaf Scholz": German 0.12, "Li Wei" 0.01), a heading's much more
# ("Verwandte Artikel": 0.38, "Weitere Nachrichten" 0.96).
_NAME_EVIDENCE = 0.25
# Words a name does not open with, though the look-alikes write them too (so they mark no language): "Alle Orte", "Zum Dashboard".
_NO_NAME_OPENS = frozenset("alle alles zum zu an am im mit bei beim nach neue neuer neues".split())
# See _looks_like_a_citation.
_CITATION_YEAR = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")
_CITATION_FORM = re.compile(r"\bpp?\.\s*\d|\((?:1[5-9]|20)\d\d[^()]*\)|^\s*[^\W\d_][\w'’-]+, [^\W\d_]")
_CITATION_WORDS = frozenset("p pp et al ed eds vol no hrsg hg s ff f".split())
_LETTERS = re.compile(r"[^\W\d_]+")
# A text of this many words or more, each of this many letters capitalised, is in title case: German
# capitalises its nouns, not its verbs ("Flew") and adjectives.
_TITLE_CASE_WORDS = 4
_TITLE_CASE_LETTERS = 4
# Digits say nothing of a language, yet the n-gram models read them.
_DIGITS = re.compile(r"\d+")
# One token with a call, an identifier joined by "_" or an assignment is code:
# "print(x)", "foo_bar()", "a=b" (English to a German reader of --target de); not a plural in brackets ("Telefonnummer(n)").
_CODE = re.compile(r"[^\W\d_]\((?!(?:e|n|s|en|er)\)(?!\w))|[^\W\d_]_[^\W\d_]|=")
# So is a text with an equals sign that does not end as a sentence does:
# "SELECT name FROM kunden WHERE land = 'DE';" in a list item, "x = y + 1".
# "Hier gilt E = mc²." ends as prose and stays prose.
_CODE_STATEMENT = re.compile(r"=(?!.*[.!?:][\"'”“»)]*\s*$)", re.DOTALL)
# A run of letters and digits with both in it, or a number and a unit written as units are ("5 km", "3 MB",
# "10 GiB"; not "12 May"), and what is left of a text without such runs that is no word.
_GLUED, _UNIT = r"\d[^\W\d_]|[^\W\d_]\d", r"\d[\d.,]*\s+(?:[a-z]{1,2}|[A-Z]{1,3}|[A-Z][a-z][A-Z])\b"
_DIGIT_GLUED = re.compile(rf"\w*(?:{_GLUED})\w*|{_UNIT}")
# Whether there is such a run: the same, without the leading \w* that makes _DIGIT_GLUED slow to fail.
_HAS_DIGIT_GLUED = re.compile(rf"{_GLUED}|{_UNIT}")
_NOT_LETTERS = " \t\n.,;:!?()[]{}/+-–—%×*#'\"“”„«»"
# Most texts mark no language: one shared empty set, not 12,000 new ones for a megabyte.
_UNMARKED: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Guess:
    lang: str
    confidence: float
    probabilities: dict[str, float]
    basis: str = ""  # what the guess rests on when it is not the segment's whole text
    name_evidence: float | None = None  # for a text that looks like a name: see _NAME_EVIDENCE
    # A language no candidate is, that py3langid over all its languages reads the text as: see _FOREIGN_SURE.
    foreign: str | None = None
    foreign_confidence: float = 0.0

    def reweighed(self, weights: dict[str, float]) -> "_Guess":
        """The guess over the same languages in proportion to ``weights``; what else it holds stays."""
        total = sum(weights.values())
        probabilities = {lang: weight / total for lang, weight in weights.items()}
        best = max(probabilities, key=probabilities.__getitem__)
        # Not dataclasses.replace: this runs for every short segment, and replace costs twice as much.
        return _Guess(best, probabilities[best], probabilities, self.basis, self.name_evidence, self.foreign, self.foreign_confidence)


def known_languages() -> list[str]:
    return known_codes(langid_model())


class _Scorer:
    def __init__(self, candidates: Sequence[str], sources: Iterable[str], target: str) -> None:
        from lingua import Language

        self._langid = LangidScorer(langid_model(), candidates)
        self.candidates = self._langid.languages
        self.target = target
        lingua_codes = {language.iso_code_639_1.name.lower(): language for language in Language.all()}
        languages = {lingua_codes[code] for code in candidates if code in lingua_codes}
        languages |= {lingua_codes[_LINGUA_STAND_INS[code]] for code in candidates if code in _LINGUA_STAND_INS}
        self._lingua_languages = languages
        self._lingua_code = {language: code for code, language in lingua_codes.items()}
        self._lingua_fast = self._lingua_detector()
        self._sources = set(sources)
        self._langid_all: LangidScorer | None = None
        # A guess from marker words alone depends on their counts only, and a
        # document's settled sentences share a few: "the" x 2 and "of" x 3 is
        # the same guess wherever it occurs.
        self._by_markers: dict[tuple[int, ...], _Guess] = {}
        actionable = {target, *sources}
        self._prior = {code: _ACTIONABLE_PRIOR if code in actionable else 0.0 for code in self.candidates}
        self._label_prior = {code: _LABEL_PRIOR if code in actionable else 0.0 for code in self.candidates}

    def guess_many(self, texts: Sequence[str], marked: Sequence[Iterable[str]] | None = None) -> list[_Guess]:
        """Guesses for many texts (each distinct one scored once), cheapest opinion first.

        ``marked`` languages count one marker word more for their text.
        Marker words alone settle most sentences. A text under 120
        characters that py3langid puts beyond doubt in the language of all
        its marker words is settled next, and a longer one that lingua's fast
        trigram models and the marker words put surely in the target
        language. The rest get both, and a text under 120 characters that
        may be headed for a model, unless the n-gram models and its marker
        words agree on that model, gets its words' frequencies, or, if it
        looks like a name, py3langid over all its languages instead of the
        candidates (see _NAME_EVIDENCE). lingua runs over each stage's texts
        at once, on every core.
        """
        marked = marked or [()] * len(texts)
        keys = [(text, frozenset(codes) if codes else _UNMARKED) for text, codes in zip(texts, marked)]
        distinct = list(dict.fromkeys(keys))
        scored = dict(zip(distinct, self._guess_distinct([text for text, _ in distinct], [codes for _, codes in distinct])))
        return [scored[key] for key in keys]

    def _guess_distinct(self, texts: Sequence[str], marked: Sequence[frozenset[str]]) -> list[_Guess]:
        hits = [function_word_hits(text, self.candidates) for text in texts]
        for text_hits, codes in zip(hits, marked):
            for code in codes:
                if code in text_hits:
                    text_hits[code] += 1
        guesses: list[_Guess | None] = [None] * len(texts)
        undecided = []
        for index, text_hits in enumerate(hits):
            if settled_by_markers(texts[index], text_hits, self.candidates):
                counts = tuple(text_hits.values())
                guess = self._by_markers.get(counts)
                if guess is None:
                    guess = self._by_markers[counts] = self._combine({}, {}, text_hits)
                guesses[index] = guess
            else:
                undecided.append(index)
        letters = {index: _n_gram_text(texts[index]) for index in undecided}
        # py3langid costs a fifth of lingua's fast models on a short text:
        # asked first there, with the marker words it settles most.
        langid: dict[int, dict[str, float]] = {}
        rest = []
        for index in undecided:
            if len(texts[index]) < _FAST_MODELS_SUFFICE:
                langid[index] = self._langid_probabilities(letters[index])
                guess = self._combine(langid[index], {}, hits[index])
                if _agreed(guess, hits[index], texts[index], self.candidates):
                    guesses[index] = guess
                    continue
            rest.append(index)
        fast = self._lingua_batch(self._lingua_fast, [letters[i] for i in rest])
        full = []
        for index, lingua in zip(rest, fast):
            guess = self._combine({}, lingua, hits[index])
            if guess.lang == self.target and guess.confidence >= _SETTLED and not _is_short(texts[index]):
                guesses[index] = self._with_foreign_language(guess, letters[index])
            else:
                full.append((index, lingua))
        for index, _ in full:
            if index not in langid:
                langid[index] = self._langid_probabilities(letters[index])
        names = []
        actionable = {*self._sources, self.target}
        for index, lingua in full:
            guesses[index] = guess = self._combine(langid[index], lingua, hits[index])
            if not (len(texts[index]) >= _FAST_MODELS_SUFFICE or self._surely_left_alone(guess, texts[index]) or self._surely_headed(guess, hits[index], texts[index])):
                if _looks_like_a_name(texts[index]):
                    names.append((index, lingua))
                    continue
                frequencies = word_frequency_scores(texts[index], self.candidates)
                label = _is_label(texts[index], hits[index]) and any(map(german_word, words(texts[index])))
                not_theirs = {code: german_not_in(texts[index], code) for code in self.candidates} if label else {}
                guesses[index] = guess = self._combine(langid[index], lingua, hits[index], frequencies, label=label, not_theirs=not_theirs)
            if guess.lang in actionable and not _agreed(guess, hits[index], texts[index], self.candidates):
                guesses[index] = self._with_foreign_language(guess, letters[index])
        for index, lingua in names:
            # Without langid among the candidates: a name's letters say where
            # the name comes from, which it reads surely ("Angela Merkel":
            # German, 0.93). Over all its languages it spreads a name thin.
            guess = self._combine({}, lingua, hits[index])
            everywhere = self._langid_everywhere(texts[index])
            guesses[index] = _Guess(guess.lang, guess.confidence, guess.probabilities, name_evidence=everywhere.get(guess.lang, 0.0))
        return guesses  # type: ignore[return-value]

    def _with_foreign_language(self, guess: _Guess, text: str) -> _Guess:
        """The guess, marked with the language py3langid over all its languages surely reads, if no candidate is it.

        Asked only of text headed for a model or kept as the target that the
        marker words and py3langid do not settle together, and whose words
        are mostly not that language's: "Grazie mille!" is closest to German
        among the candidates, and Italian to py3langid over all it knows;
        "Muchas gracias por todo." is surely English to lingua's fast models
        among the candidates; "God is omniscient." is Latin to py3langid, but
        its words are English ones. A word German forms ("Ukrainisch",
        "Prozentsatz") is German's, though German's list lacks it.
        """
        if not mostly_unknown_words(text, [guess.lang], german_by_form=False):
            return guess
        if guess.lang == "de" and any(map(german_derivation_or_compound, words(text))):
            return guess
        everywhere = self._langid_everywhere(text)
        top = max(everywhere, key=everywhere.__getitem__)
        if top in self.candidates or everywhere[top] < _FOREIGN_SURE or everywhere.get(guess.lang, 0.0) >= _FOREIGN_SOURCE_AT_MOST:
            return guess
        return replace(guess, foreign=top, foreign_confidence=everywhere[top])

    def _langid_everywhere(self, text: str) -> dict[str, float]:
        """py3langid's probabilities of a text over every language it knows."""
        if self._langid_all is None:
            # Built on first need: every language column, mapped (a few ms; read, they took 0.05-0.1 s).
            self._langid_all = LangidScorer(langid_model(), langid_model().languages)
        return _softmax(dict(zip(self._langid_all.languages, self._langid_all.log_probabilities(text))))

    def _surely_headed(self, guess: _Guess, hits: dict[str, int], text: str) -> bool:
        """Whether the n-gram models and the marker words agree, beyond doubt, on a language with a model.

        "Ich habe Hunger." is German by every opinion; the full models are for
        texts whose words say otherwise or nothing ("I'm transgender.").
        """
        return guess.lang in self._sources and _agreed(guess, hits, text, self.candidates)

    def _surely_left_alone(self, guess: _Guess, text: str) -> bool:
        """Whether a guess leaves a text out of every model's reach beyond doubt.

        A second opinion could then only say which language it is left alone
        in: "I'm hungry." at 0.95 English and 0.04 Dutch stays as it is either
        way. A text headed for a model always gets one: false alarms of the
        n-gram models ("I'm transgender." as German) are what the word
        frequencies catch.
        """
        if sum(guess.probabilities.get(code, 0.0) for code in self._sources) > 1.0 - _SETTLED:
            return False
        # Unless the text's words are mostly not that language's: "Bluttest-Skandal Uniklinik Heidelberg" reads
        # Norwegian to both n-gram models (German 0.01), and its words are German. Nor is English with a word
        # German writes and English does not ("Komplexes Argument"), while German has a model.
        if "de" in self._sources and guess.lang == "en" and german_not_in(text, "en"):
            return False
        return not mostly_unknown_words(text, [guess.lang], german_by_form=False)

    def _langid_probabilities(self, text: str) -> dict[str, float]:
        return _softmax(dict(zip(self.candidates, self._langid.log_probabilities(text))))

    def _combine(
        self, langid: dict[str, float], lingua: dict[str, float], hits: dict[str, int], frequencies: dict[str, float] | None = None,
        *, label: bool = False, not_theirs: dict[str, int] | None = None,
    ) -> _Guess:
        """Opinions added in log space.

        An opinion left out (empty) would add the same to every language and
        change no probability, so it is skipped: most texts are decided on
        one or two opinions. A ``label`` gets the labels' prior (see
        _LABEL_PRIOR), and ``not_theirs`` words count against each language.
        """
        prior = self._label_prior if label else self._prior
        scores = {code: _FUNCTION_WORD_WEIGHT * hits[code] + prior[code] for code in self.candidates}
        for code, count in (not_theirs or {}).items():
            scores[code] -= _NOT_THEIRS_WEIGHT * count
        if langid:
            for code in scores:
                scores[code] += _LANGID_WEIGHT * math.log(langid[code] + _FLOOR)
        if lingua:
            uniform = 1.0 / len(self.candidates)
            for code in scores:
                scores[code] += _LINGUA_WEIGHT * math.log(lingua.get(code, lingua.get(_LINGUA_STAND_INS.get(code, ""), uniform)) + _FLOOR)
        if frequencies:
            for code in scores:
                scores[code] += _WORD_FREQUENCY_WEIGHT * frequencies[code]
        probabilities = _softmax(scores)
        best = max(probabilities, key=probabilities.__getitem__)
        return _Guess(best, probabilities[best], probabilities)

    def _lingua_detector(self):
        from lingua import LanguageDetectorBuilder

        if len(self._lingua_languages) < 2:
            return None
        return LanguageDetectorBuilder.from_languages(*self._lingua_languages).with_low_accuracy_mode().build()

    def _lingua_batch(self, detector, texts: Sequence[str]) -> list[dict[str, float]]:
        if detector is None or not texts:
            return [{} for _ in texts]
        if len(texts) == 1:
            rows = [detector.compute_language_confidence_values(texts[0])]
        else:
            rows = detector.compute_language_confidence_values_in_parallel(list(texts))
        return [{self._lingua_code[value.language]: value.value for value in row} for row in rows]


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
        self._scorer = _Scorer(self.candidates, sources, target) if len(self.candidates) > 1 else None
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
        in_group = Counter(segment.group for segment in segments)
        return [
            self._marked_without_model(segment.marked)
            or self._route(
                segment.text, guess, self._context(index, segments, guesses, line_guesses, prose, document), alone=in_group[segment.group] == 1
            )
            for index, (segment, guess) in enumerate(zip(segments, guesses))
        ]

    def _marked_without_model(self, marked: str | None) -> Decision | None:
        """Text marked as a language that has no model into the target is left alone, whatever it reads as."""
        if marked is None or marked == self.target or marked in self.sources or marked not in self._known:
            return None
        reason = f"{Why.MARKED_NO_MODEL.text} {marked} -> {self.target} ({_MARKED_BASIS}{marked})"
        return Decision(marked, 1.0, Action.SKIP, reason, Why.MARKED_NO_MODEL)

    def _guesses(self, texts: Sequence[str]) -> list[_Guess | None]:
        with_words = [index for index, text in enumerate(texts) if _has_words(text)]
        guesses: list[_Guess | None] = [None] * len(texts)
        if self._scorer is None:
            for index in with_words:
                guesses[index] = _Guess(self.target, 1.0, {self.target: 1.0})
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
                guess = _Guess(guess.lang, guess.confidence, guess.probabilities, basis)
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

    def _remembered_guesses(self, texts: list[str], marked: list) -> list[_Guess]:
        """The scorer's guesses, from the memory where it has them: a re-run loads no language model."""
        if self.memory is None:
            return self._scorer.guess_many(texts, marked)
        keys = [f"{','.join(codes)}|{text}" for text, codes in zip(texts, marked)]
        known = {key: _Guess(**fields) for key, fields in self.memory.lookup_detections(self._memory_key, list(set(keys))).items()}
        missing = [index for index, key in enumerate(keys) if key not in known]
        if missing:
            fresh = self._scorer.guess_many([texts[i] for i in missing], [marked[i] for i in missing])
            new = {keys[index]: guess for index, guess in zip(missing, fresh)}
            self.memory.store_detections(self._memory_key, {key: asdict(guess) for key, guess in new.items()})
            known.update(new)
        return [known[key] for key in keys]

    def _prose_languages(self, segments, guesses) -> dict[int, list[tuple[int, _Guess]]]:
        """For each run of prose, its sentences that are decided beyond doubt."""
        found: dict[int, list[tuple[int, _Guess]]] = {}
        for index, (segment, guess) in enumerate(zip(segments, guesses)):
            if guess is not None and guess.confidence >= _SURE:
                found.setdefault(segment.group, []).append((index, guess))
        return found

    def _line_guesses(self, segments, guesses) -> dict[int, _Guess]:
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

    def _context(self, index, segments, guesses, line_guesses, prose, document) -> tuple[_Guess, str] | None:
        """A confident guess from the segment's sentence, line, block neighbours or document that its own guess allows."""
        own = guesses[index]
        segment = segments[index]
        if own is None or own.basis:
            return None
        if _is_short(segment.text):
            # "Ja! Ich heiße Tim.": a short sentence is in the language of the prose around it.
            mates = [guess for other, guess in prose.get(segment.group, []) if other != index]
            if mates and len({mate.lang for mate in mates}) == 1 and own.probabilities.get(mates[0].lang, 0.0) >= _CONTEXT_FLOOR:
                lang = mates[0].lang
                if lang != own.lang or own.confidence < self.min_confidence:
                    confidence = min(mate.confidence for mate in mates)
                    return _Guess(lang, confidence, {lang: confidence}), "its sentence's neighbours"
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

    def _route(self, text: str, guess: _Guess | None, context: tuple[_Guess, str] | None, *, alone: bool) -> Decision:
        if guess is None:
            return Decision(None, 0.0, Action.SKIP, "no words")
        if self._no_language(text, guess):
            return Decision(None, 0.0, Action.SKIP, "no words of a known language")
        if guess.foreign is not None:
            # Whatever its neighbours are: an Italian phrase in a German paragraph is Italian.
            return Decision(guess.foreign, guess.foreign_confidence, Action.SKIP,
                            f"{Why.NO_MODEL.text} {guess.foreign} -> {self.target} (py3langid over all its languages {guess.foreign_confidence:.2f})", Why.NO_MODEL)  # fmt: skip
        how = f"{DETECTOR_NAME} {guess.confidence:.2f}"
        if _looks_like_a_citation(text):
            return Decision(guess.lang, guess.confidence, "skip", f"looks like a citation ({how})")
        if guess.basis:
            how = f"{DETECTOR_NAME} on {guess.basis} {guess.confidence:.2f}"
        if context is not None:
            guess, where = context
            how = f"{DETECTOR_NAME} on {where} {guess.confidence:.2f}"
        elif _looks_like_a_name(text) and (
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

    def _no_language(self, text: str, guess: _Guess) -> bool:
        """Whether the segment's words are mostly no candidate's, and nothing else says it is a language.

        Decided before its neighbours are asked: "ddd" below a German
        sentence is no more German for it. A credit line is its label's
        language whatever names follow it.
        """
        if self._scorer is None or guess.basis or _looks_like_a_name(text):
            return False
        # Placeholder names read as sure English to the n-gram models ("foo bar": 0.996), yet are no language.
        if only_placeholder_words(text):
            return True
        return guess.confidence < _SETTLED and mostly_unknown_words(text, self.candidates)


def _confident_neighbour(segments, guesses, index: int, step: int, threshold: float) -> _Guess | None:
    block = segments[index].block
    position = index + step
    while 0 <= position < len(segments) and segments[position].block == block:
        guess = guesses[position]
        if guess is not None and guess.confidence >= threshold:
            return guess
        position += step
    return None


def _document_language(segments, guesses: Sequence[_Guess | None]) -> _Guess | None:
    """The language nine in ten of a document's sure sentences (not short ones) are in, when there are two or more.

    Nine in ten, not all: an Afrikaans declaration has a sentence or two that read surely Dutch.
    """
    sure = [guess for segment, guess in zip(segments, guesses) if guess is not None and guess.confidence >= _SURE and not _is_short(segment.text)]
    if len(sure) < 2:
        return None
    lang, count = Counter(guess.lang for guess in sure).most_common(1)[0]
    if count < _DOCUMENT_SHARE * len(sure):
        return None
    confidence = min(guess.confidence for guess in sure if guess.lang == lang)
    return _Guess(lang, confidence, {lang: confidence})


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
        nudged.append(guess.reweighed({lang: p * (1 + sure.get(lang, 0)) ** _DOCUMENT_PRIOR for lang, p in guess.probabilities.items()}))
    return nudged


def _with_marked_language(marked: str | None, guess: _Guess | None) -> _Guess | None:
    if marked is None or guess is None or marked not in guess.probabilities:
        return guess
    return guess.reweighed({lang: p * (_MARKED_PRIOR if lang == marked else 1.0) for lang, p in guess.probabilities.items()})


def settled_by_markers(text: str, hits: dict[str, int], candidates: Sequence[str]) -> bool:
    """Whether marker words alone decide a text: those of one language, at least four or every word.

    A word two candidates write alike ("dass": German and Luxembourgish)
    does not stand in the way when the text's other marker words are all
    of one language: "Ich weiß, dass er heute nicht zu uns kommt." is settled German.
    """
    present = [code for code, count in hits.items() if count]
    if not present:
        return False
    if len(present) == 1:
        lead = present[0]
    else:
        alone = [code for code, count in own_and_shared_markers(text, candidates)[0].items() if count]
        if len(alone) != 1 or not _only_shared_besides(alone[0], hits, text, candidates):
            return False
        lead = alone[0]
    return hits[lead] >= min(_DECISIVE_WORDS, len(words(text)))


def _agreed(guess: _Guess, hits: dict[str, int], text: str, candidates: Sequence[str]) -> bool:
    """Whether a guess is beyond doubt and the text's marker words are all of its language, or shared with it."""
    return guess.confidence >= _SETTLED and hits[guess.lang] > 0 and _only_shared_besides(guess.lang, hits, text, candidates)


def _only_shared_besides(lang: str, hits: dict[str, int], text: str, candidates: Sequence[str]) -> bool:
    """Whether the text's marker words of other languages than ``lang`` are all words ``lang`` shares with them."""
    others = [code for code, count in hits.items() if count and code != lang]
    if not others:
        return True
    shared = own_and_shared_markers(text, candidates)[1][lang]
    return all(hits[code] <= shared for code in others)


def _looks_like_a_citation(text: str) -> bool:
    """Names and a year, cited as references cite them: "Linderman, George C.; Steinerberger, Stefan (2017-06-08).", "Mein Smith 2005, p. 6."

    Every word is capitalised, an initial or a word of the citation itself
    ("p.", "et al."), and there is a year with a page, a date in brackets
    or a surname before a comma.
    """
    if not _CITATION_YEAR.search(text) or not _CITATION_FORM.search(text):
        return False
    return all(word[0].isupper() or word.lower() in _CITATION_WORDS for word in _LETTERS.findall(text))


def _is_label(text: str, hits: dict[str, int]) -> bool:
    """A short text with no marker word and no sentence's end: a button, a menu item, a table header."""
    # Words as spaces part them: "Text-to-Speech-Anruf" is one.
    spaced = [token for token in text.split() if any(char.isalpha() for char in token)]
    return len(spaced) <= _SHORT_WORDS and not any(hits.values()) and not text.rstrip().endswith((".", "!", "?"))


def _n_gram_text(text: str) -> str:
    """What the n-gram models read: the text without digits, and a heading in English title case in lower case.

    Digits say nothing of a language, yet the n-gram models read them:
    "Artikel 1" came out Luxembourgish and "Artikel 2" German. Capitals on
    every word read as German nouns: "Deutsche Bank Flew and Fell." was
    German to both models, and "deutsche bank flew and fell." is not.
    """
    text = _DIGITS.sub("", text)
    tokens = text.split()
    if len(tokens) >= _TITLE_CASE_WORDS and all(token[0].isupper() for token in tokens if len(token) >= _TITLE_CASE_LETTERS):
        return text.lower()
    return text


@lru_cache(maxsize=1 << 16)  # a document repeats its list items and headings: the megabyte of check has 12,300 segments, 4,900 distinct
def _has_words(text: str) -> bool:
    token = text.strip()
    if token and not any(char.isspace() for char in token) and _CODE.search(token):
        return False
    if _CODE_STATEMENT.search(token):
        return False
    # "1GiB", "10 GiB", "H5N1": letters glued to digits, or a short one after a number, are a unit or a code
    # ("GiB" is German "gib" to the word lists).
    # Both need a digit, which most text has none of: _DIGITS says so fastest, and this runs for every segment.
    if _DIGITS.search(text) and _HAS_DIGIT_GLUED.search(text) and not _DIGIT_GLUED.sub("", text).strip(_NOT_LETTERS):
        return False
    long_words = 0
    for word in words(text):
        if len(word) >= 3:
            long_words += 1
            if long_words == 2:
                return True
    letters = sum(char.isalpha() for char in text)
    if letters < 2:
        return False
    # "ISBN 978-3-16-148410-0", "H5N1", "v2.0.1": codes, not language.
    visible = sum(not char.isspace() for char in text)
    return letters >= 0.3 * visible


def _is_short(text: str) -> bool:
    return len(words(text)) <= _SHORT_WORDS


@lru_cache(maxsize=1 << 16)  # asked up to three times of each segment, by its context, its route and the no-language test
def _looks_like_a_name(text: str) -> bool:
    """Two to four capitalised words, no punctuation, no word that marks a language, no German adjective."""
    tokens = text.split(maxsplit=4)  # a sentence is not split whole to learn that it has over four words
    if not 2 <= len(tokens) <= 4:
        return False
    # A lone letter without a full stop is a symbol, no initial: "Ø Antwortzeit".
    if not all(token[0].isupper() and all(char.isalpha() or char in "-'’." for char in token) and len(token) > 1 for token in tokens):
        return False
    lowered = words(text)
    if lowered[0] in _NO_NAME_OPENS:
        return False
    # A German adjective is no name's: "Blockierte Nummern", "Ungültige URL" are labels. Nor a long word
    # German writes, English does not, and German forms as it forms its words: "Oracle Datenbank", "WhatsApp Gruppen".
    return not any(german_noun_or_adjective(word) or any(word in marker_words for marker_words in FUNCTION_WORDS.values()) for word in lowered)
