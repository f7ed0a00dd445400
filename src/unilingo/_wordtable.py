"""A word list as a hash table in a file, mapped: a fresh process looks words up without building a dict of them.

Building wordfreq's seven small lists into dicts (215,000 words) took a
fresh ``detect`` 80-90 ms, whatever they were read from, while a run looks
up a few thousand words. The table is mapped, not read: a look-up hashes
the word (CRC-32 of its UTF-8, the same in every process), probes the slots
and compares the bytes, and each word's answer is kept for the next ask.

The file is data written by unilingo into its cache folder, read back
checked: a header of sizes that must add up to the file's length, and
probes that stop at an empty slot, at a slot that names no word, or after
every slot. Damaged values can only give a wrong answer, never an error or
an endless loop.
"""

from __future__ import annotations

import mmap
import zlib
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

# "ulw" and the layout's number, in the writer's byte order: a file of another layout, or from a machine of the
# other byte order (a shared home folder), does not match.
_MAGIC = 0x756C7702
_HEADER_BYTES = 4 * 4  # magic, words, slots, bytes of words: unsigned 32-bit, as the tables' other numbers
# A word asked for again is answered from memory; bounded, as the detector's other per-text caches are.
_ANSWERS_KEPT = 1 << 16
_UNASKED = object()


class WordTable(Mapping[str, float]):
    """A word list's values by word, looked up in a mapped file (see the module's docstring)."""

    def __init__(self, mapped: mmap.mmap, words: int, slots: int, values: Sequence[float]) -> None:
        self._mapped = mapped
        view = memoryview(mapped)
        at = _HEADER_BYTES
        self._slots = view[at : at + 4 * slots].cast("I")
        at += 4 * slots
        self._ends = view[at : at + 4 * words].cast("I")  # where each word's bytes end; the first starts at 0
        at += 4 * words
        self._value_index = view[at : at + 2 * words].cast("H")
        at += 2 * words
        self._words_at = at
        self._words = words
        self._mask = slots - 1
        self._values = values
        self._answers: dict[str, float | None] = {}

    @classmethod
    def mapped(cls, path: Path, values: Sequence[float]) -> WordTable | None:
        """The table in ``path``, or None if it is missing or not a whole table of this layout."""
        try:
            with open(path, "rb") as handle:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, unreadable, or empty
            return None
        if len(mapped) < _HEADER_BYTES:
            return None
        magic, words, slots, word_bytes = array("I", mapped[:_HEADER_BYTES])
        whole = _HEADER_BYTES + 4 * slots + 6 * words + word_bytes
        if magic != _MAGIC or slots & (slots - 1) or slots <= words or len(mapped) != whole:
            return None
        return cls(mapped, words, slots, values)

    def get(self, word: str, default=None):  # type: ignore[override]
        answer = self._answers.get(word, _UNASKED)
        if answer is _UNASKED:
            answer = self._find(word)
            if len(self._answers) >= _ANSWERS_KEPT:
                self._answers.clear()
            self._answers[word] = answer
        return default if answer is None else answer

    def __getitem__(self, word: str) -> float:
        answer = self.get(word)
        if answer is None:
            raise KeyError(word)
        return answer

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        return self._words

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._mapped[self._words_at + start : self._words_at + end].decode("utf-8", errors="replace")
            start = end

    def _find(self, word: str) -> float | None:
        encoded = word.encode("utf-8", errors="surrogatepass")
        slots, ends, mapped, base = self._slots, self._ends, self._mapped, self._words_at
        at = zlib.crc32(encoded) & self._mask
        for _ in range(self._mask + 1):
            entry = slots[at]
            if not entry or entry > self._words:
                return None
            index = entry - 1
            start = ends[index - 1] if index else 0
            if mapped[base + start : base + ends[index]] == encoded:
                value_index = self._value_index[index]
                return self._values[value_index] if value_index < len(self._values) else None
            at = (at + 1) & self._mask
        return None


def table_bytes(value_index_of: dict[str, int]) -> bytes:
    """The file of a table of ``value_index_of``'s words, each with the index of its value; words in its order."""
    words = list(value_index_of)
    encoded = [word.encode("utf-8", errors="surrogatepass") for word in words]
    slots_count = 1 << max(4, (2 * len(words)).bit_length())  # at most half full: a miss ends after a probe or two
    mask = slots_count - 1
    slots = array("I", bytes(4 * slots_count))
    for index, word in enumerate(encoded):
        at = zlib.crc32(word) & mask
        while slots[at]:
            at = (at + 1) & mask
        slots[at] = index + 1
    ends, end = array("I"), 0
    for word in encoded:
        end += len(word)
        ends.append(end)
    value_indexes = array("H", value_index_of.values())
    header = array("I", [_MAGIC, len(words), slots_count, end])
    return b"".join(part.tobytes() for part in (header, slots, ends, value_indexes)) + b"".join(encoded)
