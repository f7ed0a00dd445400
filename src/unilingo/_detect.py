"""Detector: the language of each segment, and what to do with it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ._errors import ConfigError
from ._segment import Segment

ACTIONS = ("translate", "keep", "skip")
# With two candidates langid answers about 0.66 when a text gives it no
# evidence at all (its prior); 0.7 is the least it needs to have seen something.
DEFAULT_MIN_CONFIDENCE = 0.7


@dataclass(frozen=True)
class Decision:
    lang: str | None
    confidence: float
    action: str  # one of ACTIONS
    reason: str


@lru_cache(maxsize=1)
def _full_identifier():
    from langid.langid import LanguageIdentifier, model

    return LanguageIdentifier.from_modelstring(model, norm_probs=True)


def known_languages() -> list[str]:
    return sorted(_full_identifier().nb_classes)


def _restricted_identifier(languages: Sequence[str]):
    from langid.langid import LanguageIdentifier

    full = _full_identifier()
    # A new identifier over the same arrays, so restricting it leaves the shared one whole.
    identifier = LanguageIdentifier(
        full.nb_ptc, full.nb_pc, full.nb_numfeats, full.nb_classes, full.tk_nextmove, full.tk_output, norm_probs=True
    )
    identifier.set_languages(list(languages))
    return identifier


class Detector:
    """langid restricted to the target and the languages that have a model.

    Segments are decided one by one; one that alone is too uncertain (a short
    heading, a two-word button) is decided by the whole line it sits on when
    the line agrees with its own best guess.
    """

    def __init__(
        self,
        target: str,
        sources: Iterable[str],
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> None:
        known = set(known_languages())
        sources = sorted(set(sources) - {target})
        for code in [target, *sources]:
            if code not in known:
                raise ConfigError(f"unknown language {code!r}: use an ISO 639-1 code langid knows, such as 'en' or 'de'")
        if not 0.0 <= min_confidence <= 1.0:
            raise ConfigError(f"--min-confidence must be between 0 and 1, got {min_confidence}")
        self.target = target
        self.sources = sources
        self.min_confidence = min_confidence
        self.candidates = sorted({target, *sources})
        self._identifier = _restricted_identifier(self.candidates) if len(self.candidates) > 1 else None

    def decide(self, segments: Sequence[Segment]) -> list[Decision]:
        texts_by_line: dict[int, list[str]] = defaultdict(list)
        for segment in segments:
            texts_by_line[segment.line].append(segment.text)
        line_texts = {line: " ".join(texts) for line, texts in texts_by_line.items()}
        return [self._decide(segment.text, line_texts[segment.line]) for segment in segments]

    def _decide(self, text: str, line_text: str) -> Decision:
        if sum(char.isalpha() for char in text) < 2:
            return Decision(None, 0.0, "skip", "no words")
        lang, confidence = self._classify(text)
        how = f"langid {confidence:.2f}"
        if confidence < self.min_confidence and line_text != text:
            # The line may confirm a weak guess but never overturn it: a table
            # row or a link list can hold cells of both languages.
            line_lang, line_confidence = self._classify(line_text)
            if line_lang == lang and line_confidence >= self.min_confidence:
                confidence = line_confidence
                how = f"langid on its line {confidence:.2f}"
        if confidence < self.min_confidence:
            return Decision(lang, confidence, "skip", f"uncertain: langid {lang} {confidence:.2f} < {self.min_confidence}")
        if lang == self.target:
            return Decision(lang, confidence, "keep", f"already {lang} ({how})")
        return Decision(lang, confidence, "translate", f"{lang} -> {self.target} ({how})")

    def _classify(self, text: str) -> tuple[str, float]:
        if self._identifier is None:
            return self.target, 1.0
        lang, confidence = self._identifier.classify(text)
        return lang, float(confidence)
