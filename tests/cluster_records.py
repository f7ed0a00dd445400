"""Records the Spark and Ray tests normalize, and the single-process answer they must equal."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import FIXTURE_MODELS, read_pairs

from unilingo import Normalizer

FIELDS = ["body"]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# The runnable examples are imported by the tests that check them.
sys.path.insert(0, str(EXAMPLES))


def records(count: int = 40) -> list[dict]:
    """German, English and mixed bodies from the fixture's pairs, with a title column that is left alone."""
    pairs = read_pairs()
    rows = []
    for number in range(count):
        german, english = pairs[number % len(pairs)]
        body = (german, english, f"{english}\n\n{german}")[number % 3]
        rows.append({"id": number, "title": f"Item {number}", "body": body})
    return rows


def single_process(rows: list[dict], cache, on_error: str = "skip") -> list[dict]:
    normalizer = Normalizer("en", FIXTURE_MODELS, cache=cache)
    return list(normalizer.normalize_records(rows, FIELDS, on_error=on_error))
