"""Large documents are decided window by window: each window segments as it does inside the whole."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from unilingo import formats
from unilingo._windows import count_line_breaks


def segment(text: str, format: str):
    return formats.get(format).segment(text, None, ())


def window_starts(text: str, markdown: bool, size: int) -> list[int]:
    return formats.get("markdown" if markdown else "text").window_starts(text, size)

SPEC = Path(__file__).parent / "fixtures" / "commonmark" / "spec-0.31.2.json"
# A link reference defined in one window and used in another is read as text there; see docs/performance.md.
_DEFINES_REFERENCE = re.compile(r"\]:")


def _examples() -> list[str]:
    examples = json.loads(SPEC.read_text(encoding="utf-8"))["examples"]
    return [example["markdown"] for example in examples if not _DEFINES_REFERENCE.search(example["markdown"])]


def _mixed_documents(count: int, seed: int) -> list[str]:
    """CommonMark's spec examples shuffled together with German and English prose between them."""
    examples = _examples()
    rng = random.Random(seed)
    prose = ["Der Hund schläft im Garten.", "The dog sleeps in the garden.", "Wir sehen uns morgen früh wieder.\r\n",
             "An  indented line\n  that continues.", "\u00a0\u00a0", "<!-- unilingo: off -->\n\nDas bleibt.\n\n<!-- unilingo: on -->"]  # fmt: skip
    return ["\n".join(rng.choice(examples) if rng.random() < 0.7 else rng.choice(prose) for _ in range(16)) for _ in range(count)]


def _rows(segmented, shift: int = 0) -> list[tuple[int, int, str]]:
    return [(found.start + shift, found.end + shift, found.text) for found in segmented.segments]


@pytest.mark.parametrize("format", ["markdown", "text"])
def test_windows_segment_as_the_whole_does(format):
    cut = 0
    for number, text in enumerate(_mixed_documents(150, seed=7)):
        size = 5 + number % 200
        starts = window_starts(text, format == "markdown", size)
        cut += len(starts) - 1
        pieces = []
        for start, end in zip(starts, starts[1:] + [len(text)]):
            pieces += _rows(segment(text[start:end], format), start)
        assert pieces == _rows(segment(text, format)), (starts, text)
    assert cut > 300  # the documents were cut, not decided whole


@pytest.mark.parametrize(
    "text, first_lines",
    [
        ("Absatz eins.\n\n```\ncode\n\nmehr Code\n```\n\nAbsatz zwei.\n", ["Absatz eins.", "```", "Absatz zwei."]),
        ("Absatz.\n\n<pre>\nx\n\ny\n</pre>\n\nEnde.\n", ["Absatz.", "<pre>", "Ende."]),
        ("Absatz.\n\n<!--\nx\n\ny\n-->\n\nEnde.\n", ["Absatz.", "Ende."]),
        ("- eins\n\n- zwei\n\n  weiter\n\nEnde.\n", ["- eins", "Ende."]),
        ("---\ntitle: Titel\n---\n\nText.\n\n---\n\nMehr.\n", ["---", "Text.", "Mehr."]),
        ("Absatz.\n\n    code\n\n    mehr\n\nEnde.\n", ["Absatz.", "    code", "Ende."]),
        ("<!-- unilingo: off -->\n\nAus.\n\n<!-- unilingo: on -->\n\nAn.\n", ["<!-- unilingo: off -->", "An."]),
        ("Zeile\n\u00a0\nweiter\n\nEnde.\n", ["Zeile", "Ende."]),
    ],
)
def test_cuts_only_between_top_level_blocks(text, first_lines):
    # Cut wherever allowed (size 1): never inside a fence, an HTML block, a list, an off region or front matter.
    starts = window_starts(text, True, 1)
    assert [text[start:].split("\n")[0] for start in starts] == first_lines


def test_plain_text_cuts_at_paragraphs_and_reads_non_breaking_spaces_as_blank():
    text = "Eins.\n\u00a0\nZwei.\n\n  Drei.\n"
    assert [text[start:].split("\n")[0] for start in window_starts(text, False, 1)] == ["Eins.", "Zwei.", "  Drei."]


def test_a_small_document_is_one_window():
    assert formats.get("markdown").window_starts("Eins.\n\nZwei.\n", 1_000_000) == [0]
    assert formats.get("html").window_starts("<p>Eins.</p>\n\n<p>Zwei.</p>\n", 1) == [0]


def test_line_breaks_count_as_the_segmenter_counts_them():
    assert count_line_breaks("a\r\nb\rc\nd\u2028e\x0bf") == 3


def test_detect_rows_equal_detect_on_the_whole(normalizer):
    text = "".join(
        f"## Abschnitt {number}\n\nDer Ausschuss hat am Dienstag den neuen Haushalt besprochen.\r\n"
        f"The committee met on Tuesday to discuss the *new* budget.\n\n- eins\n- zwei\n\n"
        for number in range(60)
    )
    whole = normalizer.detect(text, "markdown").segments
    windowed = list(normalizer.detect_rows(text, "markdown", window_chars=500))
    assert len(window_starts(text, True, 500)) > 10
    keys = ("start", "end", "text", "line", "lang", "action", "output_start", "output_end")
    assert [tuple(getattr(row, key) for key in keys) for row in windowed] == [tuple(getattr(row, key) for key in keys) for row in whole]
    assert [row.block for row in windowed] == [row.block for row in whole]
