"""Scorer: what one text alone says of its language, as probabilities over the candidates.

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
mapped from tables in the cache (``_wordtable.py``) where lingua's full
models took 0.8 s for all, and py3langid scored without numpy (``_langid.py``)
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
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from ._german import german_derivation_or_compound, german_not_in, german_word
from ._langid import LangidScorer, langid_model
from ._lexicon import function_word_hits, mostly_unknown_words, own_and_shared_markers, word_frequency_scores
from ._shapes import is_label, is_short, looks_like_a_name, n_gram_text
from ._wordlists import words

# The opinions' weights, the actionable languages' prior and the probability floor (see the module's docstring).
_LANGID_WEIGHT = 0.75
_LINGUA_WEIGHT = 1.0
_FUNCTION_WORD_WEIGHT = 4.0
_WORD_FREQUENCY_WEIGHT = 1.0
_ACTIONABLE_PRIOR = 2.0
_FLOOR = 1e-4

# A label (see is_label) with a word German writes: in a German or English interface a button is far likelier
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

# A longer text that lingua's fast models and the marker words alone give the
# target this surely is not looked at further.
SETTLED = 0.99

# lingua's fast models are as good as its full ones on texts this long (its documentation says so; the dev set agrees).
_FAST_MODELS_SUFFICE = 120

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

# A segment with this many marker words of one language and none of another
# is decided by them alone: 4 words x 4.0 outweigh all that langid and lingua
# together say against a language's own function words short of both ruling
# it out (1.75 x ln 10^4 = 16.1, plus the prior, 2.0). So is a segment of
# nothing but marker words of one language ("Impressum", "Ich bin"): too
# short for the n-gram models, which read "Impressum" as French.
_DECISIVE_WORDS = 4

# Most texts mark no language: one shared empty set, not 12,000 new ones for a megabyte.
_UNMARKED: frozenset[str] = frozenset()

# How many guesses from marker-word counts a Scorer remembers (see Scorer._by_markers).
_MARKER_GUESSES_KEPT = 1 << 16


@dataclass(frozen=True)
class Guess:
    lang: str
    confidence: float
    probabilities: dict[str, float]
    basis: str = ""  # what the guess rests on when it is not the segment's whole text
    name_evidence: float | None = None  # for a text that looks like a name: see _detect._NAME_EVIDENCE
    # A language no candidate is, that py3langid over all its languages reads the text as: see _FOREIGN_SURE.
    foreign: str | None = None
    foreign_confidence: float = 0.0

    def reweighed(self, weights: dict[str, float]) -> "Guess":
        """The guess over the same languages in proportion to ``weights``; what else it holds stays."""
        total = sum(weights.values())
        probabilities = {lang: weight / total for lang, weight in weights.items()}
        best = max(probabilities, key=probabilities.__getitem__)
        # Not dataclasses.replace: this runs for every short segment, and replace costs twice as much.
        return Guess(best, probabilities[best], probabilities, self.basis, self.name_evidence, self.foreign, self.foreign_confidence)


class Scorer:
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
        self._by_markers: dict[tuple[int, ...], Guess] = {}
        actionable = {target, *sources}
        self._prior = {code: _ACTIONABLE_PRIOR if code in actionable else 0.0 for code in self.candidates}
        self._label_prior = {code: _LABEL_PRIOR if code in actionable else 0.0 for code in self.candidates}

    def guess_many(self, texts: Sequence[str], marked: Sequence[Iterable[str]] | None = None) -> list[Guess]:
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
        candidates (see _detect._NAME_EVIDENCE). lingua runs over each stage's texts
        at once, on every core.
        """
        marked = marked or [()] * len(texts)
        keys = [(text, frozenset(codes) if codes else _UNMARKED) for text, codes in zip(texts, marked)]
        distinct = list(dict.fromkeys(keys))
        scored = dict(zip(distinct, self._guess_distinct([text for text, _ in distinct], [codes for _, codes in distinct])))
        return [scored[key] for key in keys]

    def _guess_distinct(self, texts: Sequence[str], marked: Sequence[frozenset[str]]) -> list[Guess]:
        hits = [function_word_hits(text, self.candidates) for text in texts]
        for text_hits, codes in zip(hits, marked):
            for code in codes:
                if code in text_hits:
                    text_hits[code] += 1
        guesses: list[Guess | None] = [None] * len(texts)
        undecided = []
        for index, text_hits in enumerate(hits):
            if settled_by_markers(texts[index], text_hits, self.candidates):
                counts = tuple(text_hits.values())
                guess = self._by_markers.get(counts)
                if guess is None:
                    # A Scorer lives as long as its Normalizer, over any number of documents: the remembered counts
                    # are bounded as the per-text caches are.
                    if len(self._by_markers) >= _MARKER_GUESSES_KEPT:
                        self._by_markers.clear()
                    guess = self._by_markers[counts] = self._combine({}, {}, text_hits)
                guesses[index] = guess
            else:
                undecided.append(index)
        letters = {index: n_gram_text(texts[index]) for index in undecided}
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
            if guess.lang == self.target and guess.confidence >= SETTLED and not is_short(texts[index]):
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
                if looks_like_a_name(texts[index]):
                    names.append((index, lingua))
                    continue
                frequencies = word_frequency_scores(texts[index], self.candidates)
                label = is_label(texts[index], hits[index]) and any(map(german_word, words(texts[index])))
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
            guesses[index] = Guess(guess.lang, guess.confidence, guess.probabilities, name_evidence=everywhere.get(guess.lang, 0.0))
        return guesses  # type: ignore[return-value]

    def _with_foreign_language(self, guess: Guess, text: str) -> Guess:
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

    def _surely_headed(self, guess: Guess, hits: dict[str, int], text: str) -> bool:
        """Whether the n-gram models and the marker words agree, beyond doubt, on a language with a model.

        "Ich habe Hunger." is German by every opinion; the full models are for
        texts whose words say otherwise or nothing ("I'm transgender.").
        """
        return guess.lang in self._sources and _agreed(guess, hits, text, self.candidates)

    def _surely_left_alone(self, guess: Guess, text: str) -> bool:
        """Whether a guess leaves a text out of every model's reach beyond doubt.

        A second opinion could then only say which language it is left alone
        in: "I'm hungry." at 0.95 English and 0.04 Dutch stays as it is either
        way. A text headed for a model always gets one: false alarms of the
        n-gram models ("I'm transgender." as German) are what the word
        frequencies catch.
        """
        if sum(guess.probabilities.get(code, 0.0) for code in self._sources) > 1.0 - SETTLED:
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
    ) -> Guess:
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
        return Guess(best, probabilities[best], probabilities)

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
        own, shared = own_and_shared_markers(text, candidates)
        alone = [code for code, count in own.items() if count]
        if len(alone) != 1 or not _shared_with(alone[0], hits, shared):
            return False
        lead = alone[0]
    return hits[lead] >= min(_DECISIVE_WORDS, len(words(text)))


def _agreed(guess: Guess, hits: dict[str, int], text: str, candidates: Sequence[str]) -> bool:
    """Whether a guess is beyond doubt and the text's marker words are all of its language, or shared with it."""
    return guess.confidence >= SETTLED and hits[guess.lang] > 0 and _only_shared_besides(guess.lang, hits, text, candidates)


def _only_shared_besides(lang: str, hits: dict[str, int], text: str, candidates: Sequence[str]) -> bool:
    """Whether the text's marker words of other languages than ``lang`` are all words ``lang`` shares with them."""
    if not any(count and code != lang for code, count in hits.items()):
        return True
    return _shared_with(lang, hits, own_and_shared_markers(text, candidates)[1])


def _shared_with(lang: str, hits: dict[str, int], shared: dict[str, int]) -> bool:
    """Whether each other language's marker words are no more than those ``lang`` shares (``shared``, per language)."""
    return all(hits[code] <= shared[lang] for code, count in hits.items() if count and code != lang)
