"""Decisions: what is done with each segment (``Action``) and what that rests on (``Why``).

Code decides by the action and the kind; the ``reason`` beside them is for
people, made from the kind's fixed words and the details, and never read
back. Sidecars and reports store the action and the reason text as they
always did; nothing rebuilds a segment's result from them (``restore``
reads only the original and the checksums), so no kind is recovered from
stored text anywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Action(enum.StrEnum):
    """A str, so that JSON, sidecars and printed lines carry the same words as before."""

    TRANSLATE = "translate"
    KEEP = "keep"
    SKIP = "skip"


# How the reason of a sentence begins whose inline markup could not go across it whole.
_NOT_CARRIED = "markup not carried across the sentence"


class Why(enum.Enum):
    """What a decision rests on, as far as anything decides by it; ``text`` is how its reason says so.

    A kind whose reason has no fixed words (the detector's reading, the
    format's own reason for what it could not split) has an empty ``text``;
    the words of ``FALLBACK`` and ``TAG_LOST`` follow the detector's reason
    rather than begin one.
    """

    text: str

    def __new__(cls, text: str) -> Why:
        # Numbered, so that two kinds whose reasons begin alike stay two kinds.
        member = object.__new__(cls)
        member._value_ = len(cls.__members__)
        member.text = text
        return member

    # The language read and what it gives: headed for a model, already the target, a name, no words.
    DETECTED = ""
    # Under the minimum confidence; ``--uncertain report`` lists these.
    UNCERTAIN = "uncertain"
    # Read as a language with no model into the target.
    NO_MODEL = "no model for"
    # Marked as such a language by the page (HTML's lang): the author meant it, so check lets it pass.
    MARKED_NO_MODEL = "no model for"
    # Text the format could not split; its reason is the format's.
    UNSEGMENTED = ""
    # Such text that would be translated were it split: check fails on it.
    UNPLACEABLE = "would be translated but cannot be placed"
    # The model's output cannot stand in for the source (see ``Rejection``).
    REJECTED = "translation rejected"
    # A translation that would not say what the model said where it lands, or would break the document.
    NOT_WRITTEN = "translation not written"
    # Translated between its markup, as before sentences held markup; the reason why follows.
    FALLBACK = f"{_NOT_CARRIED}, so it was translated between its markup as before"
    # Nor could any run between its markup be translated.
    KEPT_AS_FALLBACK = f"{_NOT_CARRIED}, and no run between it translated; original kept"
    # Translated between its markup, the markup read otherwise.
    FALLBACK_CHANGED = f"{_NOT_CARRIED}, nor between it: translated between its markup"
    # An attribute value or lang inside a tag that the translation of the sentence around it dropped.
    TAG_LOST = "its tag did not come through the translation of the sentence around it"

    @property
    def without_model(self) -> bool:
        """Left alone for want of a model into the target, read or marked as that language."""
        return self in (Why.NO_MODEL, Why.MARKED_NO_MODEL)

    @property
    def markup_not_carried(self) -> bool:
        """A sentence whose markup could not go across its translation whole; sidecars keep its reason."""
        return self in (Why.FALLBACK, Why.KEPT_AS_FALLBACK, Why.FALLBACK_CHANGED)


class Rejection(enum.Enum):
    """Why a model's output cannot stand in for its source: the segment keeps its original."""

    LOOP = "the model's output repeats itself or runs to its length cap"
    # Nothing to put in the sentence's place: an empty replacement could also leave markup around it dangling.
    EMPTY = "the model's output is empty"
    # Not valid Unicode, it could be neither written as UTF-8 nor checksummed.
    SURROGATE = "the model's output holds a lone surrogate, which is not valid Unicode"

    @property
    def short(self) -> str:
        """The rejection as a fallback's reason quotes it."""
        return f"{Why.REJECTED.text}: {self.value}"

    @property
    def reason(self) -> str:
        return f"{self.short}; original kept"


# Reasons with no details, whole, as callers compare a segment's reason to them.
LOOP_REASON = Rejection.LOOP.reason
EMPTY_REASON = Rejection.EMPTY.reason
SURROGATE_REASON = Rejection.SURROGATE.reason
FALLBACK_REASON = Why.FALLBACK.text
# The translated document's markup would read otherwise than the original's: no translation is worth that.
UNVERIFIED_REASON = f"{Why.NOT_WRITTEN.text}: the document with it would not parse as the original does; document kept"


@dataclass(frozen=True)
class Decision:
    """What to do with one segment: its language, how sure, the action and what it rests on."""

    lang: str | None
    confidence: float
    action: Action
    reason: str  # for people: what sidecars, reports and warnings show
    why: Why = Why.DETECTED
