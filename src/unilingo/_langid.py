"""py3langid's model, scored in plain Python over the detector's few candidate languages.

py3langid (a maintained fork of langid with a retrained model of 142
languages, Luxembourgish among them) is a naive Bayes classifier over byte
n-grams: a text's n-grams are found by walking a byte automaton, and each
language's score is its prior plus the log-probabilities of those n-grams,
each weighted by log(1 + its count). py3langid scores with numpy over all
100,053 features; importing the two costs more than ``check`` of a megabyte
spends scoring, since a short text has a few dozen features. Here the model
is unpacked once per installation into plain arrays (no numpy needed to read
them back), one file per language so that only the candidates' are mapped, and
a text is scored as a sparse sum over its own features, exactly as
py3langid scores it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import mmap
import re
import shutil
import threading
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Iterable

from ._errors import ModelError
from ._memory import cache_dir, mark_cache_used, unused_for_long, write_cache_file

# Changes with the unpacked files' layout, so older ones are unpacked again rather than misread.
_FORMAT = 4
# py3langid says "no" for Norwegian (Bokmål); lingua, wordfreq and the look-alike list say "nb".
_CODES = {"no": "nb"}
# py3langid's label for text of no language: never a candidate.
_NO_LANGUAGE = "zxx"


@dataclass(frozen=True)
class LangidModel:
    folder: Path
    languages: tuple[str, ...]  # one per column; a few appear twice (two scripts)
    log_priors: tuple[float, ...]
    features: int  # each column's length
    next_state: array | memoryview  # (row of the state << 8) + byte -> state
    row_of_state: array | memoryview
    feature_of_state: array | memoryview  # the n-gram that ends where a state is entered, or -1

    def column(self, index: int) -> array | memoryview:
        """Log-probabilities of every feature for one language column, mapped from its file.

        Mapped, not read: a text touches a few dozen of its 100,053 values,
        and reading all 139 columns for the first name took 0.05 s.
        """
        path = self.folder / f"column-{index}.f32"
        column = _mapped_whole(path, "f", self.features)
        if column is None:  # not written yet, or damaged
            _unpack_columns(self.folder)
            column = _mapped_whole(path, "f", self.features)
        if column is None:  # a cache that cannot be written: from py3langid's own file, every time
            return array("f", _load_packed()[0][:, index].astype("float32").tobytes())
        return column


@lru_cache(maxsize=1)
def langid_model() -> LangidModel:
    """py3langid's model, unpacked once per installation into the cache folder.

    py3langid ships it LZMA-packed for numpy (0.8 s to read); the unpacked
    automaton (39 MB) and each language column (0.4 MB) are mapped into
    memory rather than read, which costs nothing until a text walks them.
    """
    folder = _cache_folder()
    try:
        languages, log_priors, features, typecodes, lengths = _read_header(folder / _HEADER)
        automaton = [_mapped_whole(folder / name, typecode, length) for name, typecode, length in zip(_AUTOMATON, typecodes, lengths)]
        if None not in automaton:
            mark_cache_used(folder)
            return LangidModel(folder, languages, log_priors, features, *automaton)
    except (OSError, KeyError, TypeError, ValueError):
        pass  # not written yet, or damaged: unpack again
    return _unpack(folder)


# The model's languages, priors, column length and the automaton's array types and lengths, as JSON: a cache folder
# is only data, and a pickle read from it would run whatever code it was made to run. The automaton's arrays hold
# states and features, so only integer types: a float's value would fail the walk with a TypeError.
_HEADER = "model.json"
_TYPECODES = frozenset("bBhHiIlLqQ")


def _read_header(path: Path) -> tuple[tuple[str, ...], tuple[float, ...], int, tuple[str, ...], tuple[int, ...]]:
    header = json.loads(path.read_text(encoding="utf-8"))
    languages, log_priors, typecodes = tuple(header["languages"]), tuple(header["log_priors"]), tuple(header["typecodes"])
    features, lengths = header["features"], tuple(header["lengths"])
    if not (
        languages and len(languages) == len(log_priors) and all(isinstance(code, str) for code in languages)
        and all(isinstance(prior, float) and math.isfinite(prior) for prior in log_priors) and len(typecodes) == len(_AUTOMATON) and set(typecodes) <= _TYPECODES
        and len(lengths) == len(_AUTOMATON) and all(isinstance(length, int) for length in (features, *lengths))
    ):  # fmt: skip
        raise ValueError(f"{path}: not a header unilingo wrote")
    return languages, log_priors, features, typecodes, lengths


_AUTOMATON = ("next_state.bin", "row_of_state.bin", "feature_of_state.bin")


def _mapped_whole(path: Path, typecode: str, length: int) -> memoryview | None:
    """The file mapped as ``length`` values, or None if it is missing or of another size.

    A file cut short (a full disk, a copied cache) would otherwise map
    without complaint and fail scoring with an IndexError.
    """
    try:
        with open(path, "rb") as handle:
            values = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)).cast(typecode)
    except (OSError, TypeError, ValueError):  # missing, empty, or not a whole number of values
        return None
    return values if len(values) == length else None


@lru_cache(maxsize=1)
def _load_packed():
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    return load_model(MODEL_DIR / MODEL_FILE)


def _unpack(folder: Path) -> LangidModel:
    ptc, pc, classes, next_state, row_of_state, feature_of_state = _load_packed()
    features = array("i", feature_of_state)
    languages = tuple(_CODES.get(code, code) for code in classes)
    log_priors = tuple(float(prior) for prior in pc)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    automaton = (next_state, row_of_state, features)
    for name, values in zip(_AUTOMATON, automaton):
        write_cache_file(folder / name, values.tobytes())
    _write_columns(folder, ptc)
    header = {
        "languages": languages, "log_priors": log_priors, "features": ptc.shape[0],
        "typecodes": [values.typecode for values in automaton], "lengths": [len(values) for values in automaton],
    }  # fmt: skip
    write_cache_file(folder / _HEADER, json.dumps(header).encode("utf-8"))
    if (folder / _HEADER).exists():
        _load_packed.cache_clear()  # every column is on disk: no need to hold numpy's copy
        _remove_older_unpackings(folder)
    return LangidModel(folder, languages, log_priors, ptc.shape[0], next_state, row_of_state, features)


def _remove_older_unpackings(kept: Path) -> None:
    """Unpackings no installation uses any more (about 90 MB each), and langid's pickles before them.

    Another py3langid's unpacking may belong to another environment sharing
    the cache (a pre-commit hook's and a project's): removed while in use, the
    two would unpack again in turn, a second each run. So only those of this
    model in another layout, and any not used for a month (unused_for_long), go.
    """
    digest = kept.name.split("-")[1]
    for stale in [*kept.parent.glob("py3langid-*-arrays-*"), *kept.parent.glob("langid-*.pickle")]:
        if stale == kept:
            continue
        if stale.name.startswith(f"py3langid-{digest}-") or not _CURRENT_NAME.fullmatch(stale.name) or unused_for_long(stale):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


_CURRENT_NAME = re.compile(r"py3langid-[0-9a-f]{16}-arrays-\d+")


def _unpack_columns(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    _write_columns(folder, _load_packed()[0])


def _write_columns(folder: Path, ptc) -> None:
    for index in range(ptc.shape[1]):
        write_cache_file(folder / f"column-{index}.f32", ptc[:, index].astype("float32").tobytes())


def _cache_folder() -> Path:
    """Named after the contents of py3langid's model file, so environments with the same py3langid share one unpacking.

    Its contents, not its time: every install writes the file anew. Hashed
    in 4 ms, where importlib.metadata, for py3langid's version, costs 30 ms
    to import.
    """
    spec = importlib.util.find_spec("py3langid")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("py3langid is not installed: pip install py3langid")
    with open(Path(spec.submodule_search_locations[0]) / "data" / "model.npz.xz", "rb") as packed:
        digest = hashlib.file_digest(packed, "sha256").hexdigest()[:16]
    return cache_dir() / f"py3langid-{digest}-arrays-{_FORMAT}"


def known_codes(model: LangidModel) -> list[str]:
    return sorted(set(model.languages) - {_NO_LANGUAGE})


class LangidScorer:
    """py3langid's log-probabilities of a text for some of its languages, in the model's order."""

    def __init__(self, model: LangidModel, languages: Iterable[str]) -> None:
        wanted = set(languages) - {_NO_LANGUAGE}
        first = {}
        for index, code in enumerate(model.languages):
            first.setdefault(code, index)  # a language written in two scripts: its first column
        self._indexes = sorted(index for code, index in first.items() if code in wanted)
        self.languages = [model.languages[index] for index in self._indexes]
        self._map(model)

    def _map(self, model: LangidModel) -> None:
        self._model = model
        self._log_priors = [model.log_priors[index] for index in self._indexes]
        # One tuple, swapped whole: a thread scoring while another maps the model anew walks one unpacking's
        # arrays, never some of each.
        self._arrays = (model.next_state, model.row_of_state, model.feature_of_state, [model.column(index) for index in self._indexes])

    def log_probabilities(self, text: str) -> list[float]:
        # As py3langid prepares a text: all capitals lowered, composed (NFC), UTF-8.
        if text.isupper():
            text = text.lower()
        encoded = unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")
        arrays = self._arrays
        # A cache file of the right length whose values were altered (a flipped bit, a disk error, another
        # process writing into it) sends the walk out of an array, or makes a sum NaN or infinite: caught here,
        # once per text, rather than checked for every byte. Mended outside the handler, so that an error it
        # raises does not carry the IndexError along.
        try:
            totals = self._totals(encoded, arrays)
        except IndexError:
            pass
        else:
            if math.isfinite(sum(totals)):
                return totals
        return self._totals_unpacked_again(encoded, arrays)

    def _totals(self, encoded: bytes, arrays: tuple) -> list[float]:
        next_state, row_of_state, feature_of_state, columns = arrays
        state = 0
        counts: dict[int, int] = {}
        for byte in encoded:
            state = next_state[(row_of_state[state] << 8) + byte]
            feature = feature_of_state[state]
            if feature >= 0:
                counts[feature] = counts.get(feature, 0) + 1
        if not counts:
            return list(self._log_priors)
        # py3langid weighs a feature seen n times by log(1 + n), and most of a
        # text's features are seen once or twice: the features are grouped by
        # that count, and per group one C call gathers a column's values and
        # one sums them, weighted once. A quarter less time than weighing each
        # feature; the sums differ from py3langid's in the last digits only.
        by_count: dict[int, list[int]] = {}
        for feature, times in counts.items():
            by_count.setdefault(times, []).append(feature)
        totals = list(self._log_priors)
        for times, features in by_count.items():
            weight = math.log1p(times)
            if len(features) == 1:
                feature = features[0]
                totals = [total + weight * column[feature] for total, column in zip(totals, columns)]
            else:
                gather = itemgetter(*features)
                totals = [total + weight * sum(gather(column)) for total, column in zip(totals, columns)]
        return totals

    def _totals_unpacked_again(self, encoded: bytes, damaged: tuple) -> list[float]:
        """The text scored anew on a model unpacked again, the damaged one's files replaced.

        Replaced by renaming (write_cache_file), so other threads and
        processes still walking the damaged files keep valid mappings.
        """
        with _UNPACKING_AGAIN:
            if self._arrays is damaged:  # not yet mapped anew by another thread
                self._map(_unpacked_again(self._model))
        try:
            totals = self._totals(encoded, self._arrays)
            if math.isfinite(sum(totals)):
                return totals
        except IndexError:
            pass
        # `unilingo cache clear` empties the translation memory only, so the fix named is the folder's removal.
        raise ModelError(
            f"{self._model.folder}: py3langid's model unpacked there is damaged, and unpacking it again did not mend it "
            "(a folder unilingo cannot write?): delete that folder, and unilingo unpacks the model anew"
        )


# One unpacking again at a time: two threads that find the model damaged at once would write the same 90 MB twice.
_UNPACKING_AGAIN = threading.Lock()


def _unpacked_again(damaged: LangidModel) -> LangidModel:
    """The model with its files written anew, unless another scorer has done so since ``damaged`` was mapped."""
    if langid_model() is damaged:
        _unpack(damaged.folder)
        langid_model.cache_clear()  # the next call maps the files just written
    return langid_model()
