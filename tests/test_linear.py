"""Hostile nesting and long runs of markup: segmenting a document and carrying its markup stay near-linear."""

from __future__ import annotations

import gc
import time

import pytest

from unilingo._inline import place
from unilingo._segment import segment

# Each builds a document from a size; four times the size must cost about four times the time, not sixteen.
DOCUMENTS = {
    "nested HTML elements": lambda n: ("html", "<p>" + "<b>" * n + "Die Polizei sucht nach Zeugen." + "</b>" * n + "</p>"),
    "HTML elements in a row": lambda n: ("html", "<p>Die Polizei " + "<b>sucht</b> " * n + "nach Zeugen.</p>"),
    "nested Markdown emphasis": lambda n: ("markdown", "*" * n + "Die Polizei sucht nach Zeugen." + "*" * n + "\n"),
    "Markdown emphasis in a row": lambda n: ("markdown", "Die Polizei " + "*sucht* `x` " * n + "nach Zeugen.\n"),
    "sentences with markup on one line": lambda n: ("markdown", "Der Satz *hier* ist `gut`. " * n + "\n"),
    "sentences with HTML markup on one line": lambda n: ("html", "<p>" + "Der Satz <b>hier</b> ist <code>gut</code>. " * n + "</p>"),
}


def _segment_and_place(format: str, text: str) -> int:
    """Segments the document and carries each sentence's markup onto an identical "translation", word for word."""
    placed = 0
    for seg in segment(text, format, None, ()).segments:
        if seg.inline is not None and seg.inline.spans:
            words = seg.inline.source.split()
            placement = place(text, format, seg, seg.inline.source, list(range(len(words))))
            assert placement.output is not None, placement.reason
            placed += 1
    return placed


def _seconds(format: str, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        started = time.perf_counter()
        assert _segment_and_place(format, text) > 0
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", DOCUMENTS)
def test_time_grows_linearly_with_markup(name):
    small, large = DOCUMENTS[name](1000), DOCUMENTS[name](4000)
    small_seconds, large_seconds = _seconds(*small), _seconds(*large)
    # Linear: about 4 times; quadratic: 16. The allowances absorb a machine busy with other work.
    assert large_seconds < 8 * small_seconds + 2.0, f"{small_seconds:.2f} s, then {large_seconds:.2f} s for four times the input"
