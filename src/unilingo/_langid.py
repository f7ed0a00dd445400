"""langid's model, scored in plain Python over the detector's few candidate languages.

langid is a naive Bayes classifier over byte n-grams: a text's n-grams are
found by walking a byte automaton, and each language's score is its prior
plus the summed log-probabilities of those n-grams. The langid module scores
with numpy over all 7,480 features; importing the two costs 0.15 s, more than
``check`` of a megabyte spends scoring, since only a few hundred texts a
megabyte reach langid and each has a few hundred features. Here the model is
unpacked once per installation into plain arrays (no numpy needed to read
them back) and a text is scored as a sparse sum over its own features.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable


# Changes with LangidModel's fields, so an older unpacked file is unpacked again rather than misread.
_FORMAT = 1


@dataclass(frozen=True)
class LangidModel:
    languages: tuple[str, ...]
    log_priors: array  # one per language
    log_probabilities: array  # feature-major: feature * len(languages) + language
    next_state: array  # the automaton: (state << 8) + byte -> state
    features_of_state: dict[int, tuple[int, ...]]  # the n-grams that end where a state is entered


@lru_cache(maxsize=1)
def langid_model() -> LangidModel:
    """langid's model, unpacked once per installation into the cache folder.

    langid ships it base64- and bz2-packed, which costs a second to unpack;
    the unpacked arrays load in milliseconds.
    """
    unpacked = _cache_file()
    try:
        with open(unpacked, "rb") as handle:
            model = pickle.load(handle)
        if isinstance(model, LangidModel):
            return model
    except (OSError, EOFError, pickle.UnpicklingError, TypeError, ValueError, AttributeError):
        pass  # not written yet, or by another version: unpack again
    model = _unpack()
    partial = unpacked.with_name(f"{unpacked.name}.{os.getpid()}.partial")
    try:
        unpacked.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, unpacked)
    except OSError:
        partial.unlink(missing_ok=True)  # a read-only cache only costs the second again
    return model


def _unpack() -> LangidModel:
    from langid.langid import LanguageIdentifier, model

    identifier = LanguageIdentifier.from_modelstring(model)
    return LangidModel(
        tuple(identifier.nb_classes),
        array("d", identifier.nb_pc.astype("float64").tobytes()),
        array("f", identifier.nb_ptc.astype("float32").tobytes()),
        array(identifier.tk_nextmove.typecode, identifier.tk_nextmove),
        {int(state): tuple(map(int, features)) for state, features in identifier.tk_output.items() if features},
    )


def _cache_file() -> Path:
    """Named after langid's model file as installed, so another langid unpacks its own.

    Its size and time rather than langid's version: importlib.metadata alone
    costs 30 ms to import, and finding the file imports nothing.
    """
    from ._memory import cache_dir

    spec = importlib.util.find_spec("langid")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("langid is not installed: pip install langid")
    packed = (Path(spec.submodule_search_locations[0]) / "langid.py").stat()
    return cache_dir() / f"langid-{packed.st_size}-{packed.st_mtime_ns}-arrays-{_FORMAT}.pickle"


class LangidScorer:
    """langid's log-probabilities of a text for some of its languages, in the model's order."""

    def __init__(self, model: LangidModel, languages: Iterable[str]) -> None:
        wanted = set(languages)
        indexes = [index for index, code in enumerate(model.languages) if code in wanted]
        count = len(model.languages)
        self.languages = [model.languages[index] for index in indexes]
        self._log_priors = [model.log_priors[index] for index in indexes]
        self._columns = [model.log_probabilities[index::count] for index in indexes]
        self._next_state = model.next_state
        self._features_of_state = model.features_of_state

    def log_probabilities(self, text: str) -> list[float]:
        next_state, state = self._next_state, 0
        visits: dict[int, int] = {}
        for byte in text.encode("utf-8"):
            state = next_state[(state << 8) + byte]
            visits[state] = visits.get(state, 0) + 1
        counts: dict[int, int] = {}
        for state, times in visits.items():
            for feature in self._features_of_state.get(state, ()):
                counts[feature] = counts.get(feature, 0) + times
        return [
            prior + sum(times * column[feature] for feature, times in counts.items())
            for prior, column in zip(self._log_priors, self._columns)
        ]
