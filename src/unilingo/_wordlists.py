"""wordfreq's word lists, read as wordfreq reads them, and the words of a text as the detector counts them."""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|'n\b")


@lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[str, ...]:
    # Cached: the detector asks for a segment's words several times over.
    return tuple(_WORD.findall(text.lower().replace("\u2019", "'")))


# wordfreq has no list for these; they read their nearest neighbour's, and the other opinions separate the two.
STAND_INS = {"lb": "de", "af": "nl"}
# wordfreq's small lists stop at a frequency of 1e-6: a word missing from one is rarer than that there.
UNSEEN_FREQUENCY = 1e-7
# Shorter words ("Nr.", "du") are abbreviations and marker words, which the frequency lists cannot weigh.
FREQUENCY_MIN_LETTERS = 3
# The lists' rarest words are web noise as much as language ("aaa", "ccc" and
# "bim" are there, just under this): a word rarer than this in every list is
# no evidence of a language.
WORD_OF_A_LANGUAGE = 1e-5
# The same, as word_log_frequencies gives frequencies.
LOG_WORD_OF_A_LANGUAGE = math.log(WORD_OF_A_LANGUAGE)


@lru_cache(maxsize=None)
def word_log_frequencies(lang: str) -> dict[str, float] | None:
    """ln(frequency + the unseen one) of each word of wordfreq's small list for ``lang`` (~30,000 words), or None.

    Read from wordfreq's data files in their documented cBpack format (a
    header, then one list of words per centibel below a frequency of 1): the
    wordfreq module itself spends 0.13 s importing language-tag tables that a
    look-up never needs.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed: pip install wordfreq")
    path = Path(spec.submodule_search_locations[0]) / "data" / f"small_{lang}.msgpack.gz"
    if not path.exists():
        return None
    import msgpack

    with gzip.open(path) as handle:
        header, *buckets = msgpack.load(handle, raw=False)
    if header.get("format") != "cB":
        raise ValueError(f"{path}: not a cBpack word list ({header!r}); unilingo reads wordfreq 3's format")
    log_frequencies: dict[str, float] = {}
    for centibels, bucket in enumerate(buckets):
        if bucket:
            log_frequencies.update(dict.fromkeys(bucket, math.log(10 ** (-centibels / 100) + UNSEEN_FREQUENCY)))
    return log_frequencies
