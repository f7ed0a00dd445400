"""wordfreq's word lists, read as wordfreq reads them, and the words of a text as the detector counts them."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import math
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from ._wordtable import WordTable, table_bytes

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
def word_log_frequencies(lang: str) -> Mapping[str, float] | None:
    """ln(frequency + the unseen one) of each word of wordfreq's small list for ``lang`` (~30,000 words), or None.

    Read from wordfreq's data files in their documented cBpack format (a
    header, then one list of words per centibel below a frequency of 1): the
    wordfreq module itself spends 0.13 s importing language-tag tables that a
    look-up never needs. Written once into the cache folder as a table that
    is mapped, not read (see _wordtable); a dict where it cannot be written.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed: pip install wordfreq")
    path = Path(spec.submodule_search_locations[0]) / "data" / f"small_{lang}.msgpack.gz"
    try:
        packed = path.read_bytes()
    except FileNotFoundError:
        return None
    from ._memory import cache_dir, mark_cache_used, unused_for_long, write_cache_file

    name = path.name.split(".")[0]
    table_path = cache_dir() / "wordfreq-tables" / f"{name}-{hashlib.sha256(packed).hexdigest()[:16]}.bin"
    table = WordTable.mapped(table_path, _log_frequencies())
    if table is not None:
        mark_cache_used(table_path)
        return table
    centibels = _centibels(packed, path)
    if _writable(table_path.parent):
        write_cache_file(table_path, table_bytes(centibels))
        for other in table_path.parent.glob(f"{name}-*.bin"):
            if other != table_path and unused_for_long(other):
                try:
                    other.unlink()
                except OSError:
                    pass  # removed by another process meanwhile, or not ours to remove
        table = WordTable.mapped(table_path, _log_frequencies())
        if table is not None:
            return table
    values = _log_frequencies()
    return {word: values[index] for word, index in centibels.items()}


def _writable(folder: Path) -> bool:
    # A cache that cannot be written gets no table built for it each run: the words go into a dict, as they would anyway.
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _centibels(packed: bytes, path: Path) -> dict[str, int]:
    """Each word's centibels below a frequency of 1: the index of its bucket, the last one where a word is in two."""
    import msgpack

    header, *buckets = msgpack.unpackb(gzip.decompress(packed), raw=False)
    if not isinstance(header, dict) or header.get("format") != "cB" or len(buckets) > len(_log_frequencies()):
        raise ValueError(f"{path}: not a cBpack word list; unilingo reads wordfreq 3's format")
    centibels: dict[str, int] = {}
    for index, bucket in enumerate(buckets):
        centibels.update(dict.fromkeys(bucket, index))
    return centibels


@lru_cache(maxsize=1)
def _log_frequencies() -> list[float]:
    """ln(frequency + the unseen one) of a word in each bucket: wordfreq's lists have 600 (a frequency down to 1e-6)."""
    return [math.log(10 ** (-centibels / 100) + UNSEEN_FREQUENCY) for centibels in range(1000)]
