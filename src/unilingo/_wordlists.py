"""wordfreq's word lists, read as wordfreq reads them, and the words of a text as the detector counts them."""

from __future__ import annotations

import gzip
import hashlib
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
    look-up never needs. Unpacked once into the cache folder as plain text
    (see _unpacked_buckets): a fresh process reads a list in half the time.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed: pip install wordfreq")
    path = Path(spec.submodule_search_locations[0]) / "data" / f"small_{lang}.msgpack.gz"
    try:
        packed = path.read_bytes()
    except FileNotFoundError:
        return None
    buckets = _unpacked_buckets(packed, path)
    log_frequencies: dict[str, float] = {}
    for centibels, bucket in enumerate(buckets):
        if bucket:
            log_frequencies.update(dict.fromkeys(bucket, math.log(10 ** (-centibels / 100) + UNSEEN_FREQUENCY)))
    return log_frequencies


# Changes with the unpacked files' layout, so older ones are read anew rather than misread.
_UNPACKED_FORMAT = 1
# An empty word, or one holding one of these, could not be told from its neighbours in the unpacked text (read with universal
# newlines): a list with one is read from wordfreq's file each time.
_SEPARATORS = re.compile(r"\s")


def _unpacked_buckets(packed: bytes, path: Path) -> list[list[str]]:
    """The list's words by centibel: from the cache folder's plain-text copy, unpacked there first if missing or damaged.

    Gzip and msgpack took 12 ms a list; splitting text takes 2. The copy is
    named after the packed file's contents, so environments with the same
    wordfreq share it, and another wordfreq's copies go after a month
    unused. It is only data: its first line says how many buckets and
    words follow, and a copy that disagrees is unpacked again.
    """
    from ._memory import cache_dir, mark_cache_used, unused_for_long, write_cache_file

    name = path.name.split(".")[0]
    unpacked = cache_dir() / f"wordfreq-{_UNPACKED_FORMAT}" / f"{name}-{hashlib.sha256(packed).hexdigest()[:16]}.txt"
    try:
        buckets = _read_unpacked(unpacked.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError):
        buckets = None
    if buckets is not None:
        mark_cache_used(unpacked)
        return buckets
    buckets = _read_packed(packed, path)
    if all(word and not _SEPARATORS.search(word) for bucket in buckets for word in bucket):
        lines = [f"{len(buckets)} {sum(map(len, buckets))}", *(" ".join(bucket) for bucket in buckets)]
        write_cache_file(unpacked, "\n".join(lines).encode("utf-8"))
        for other in unpacked.parent.glob(f"{name}-*.txt"):
            if other != unpacked and unused_for_long(other):
                try:
                    other.unlink()
                except OSError:
                    pass  # removed by another process meanwhile, or not ours to remove
    return buckets


def _read_unpacked(text: str) -> list[list[str]] | None:
    counts, *lines = text.split("\n")
    bucket_count, word_count = (int(count) for count in counts.split(" "))
    buckets = [line.split(" ") if line else [] for line in lines]
    return buckets if len(buckets) == bucket_count and sum(map(len, buckets)) == word_count else None


def _read_packed(packed: bytes, path: Path) -> list[list[str]]:
    import msgpack

    header, *buckets = msgpack.unpackb(gzip.decompress(packed), raw=False)
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise ValueError(f"{path}: not a cBpack word list; unilingo reads wordfreq 3's format")
    return buckets
