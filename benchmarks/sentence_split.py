"""Which sentence splitter suits German and English web text?

Joins consecutive FLORES devtest sentences of one article (same URL) into a
paragraph and counts how often a splitter gives back exactly the original
sentences, per language and per rule set. Reads ../shared/data/langid-dev/.

    python benchmarks/sentence_split.py [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import time
from itertools import groupby
from pathlib import Path

import pysbd
import sentencex

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "langid-dev"


def paragraphs(data: Path, lang: str) -> list[list[str]]:
    lines = (data / f"flores200-devtest-first506.{lang}.txt").read_text(encoding="utf-8").splitlines()
    with open(data / "flores200-devtest-first506.metadata.tsv", encoding="utf-8") as handle:
        urls = [row[0] for row in csv.reader(handle, delimiter="\t")][1:]
    grouped = groupby(zip(urls, lines), key=lambda pair: pair[0])
    return [[line for _, line in group] for _, group in grouped]


def splitters():
    for rules in ("de", "en"):
        segmenter = pysbd.Segmenter(language=rules, clean=False)
        yield f"pysbd ({rules} rules)", lambda text, s=segmenter: [x.strip() for x in s.segment(text)]
        yield f"sentencex ({rules} rules)", lambda text, r=rules: [x.strip() for x in sentencex.segment(r, text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    # A FLORES line may hold two sentences, so an extra split is not always
    # wrong; a missed line boundary always is (it glues two sentences).
    print(f"{'splitter':<24} {'text':<5} {'boundaries found':>16} {'extra splits':>13} {'sentences/s':>12}")
    for name, split in splitters():
        for lang in ("deu", "eng"):
            paras = paragraphs(args.data, lang)
            found = expected = extra = 0
            started = time.perf_counter()
            for para in paras:
                want = set(boundaries(para))
                got = set(boundaries(split(" ".join(para))))
                expected += len(want)
                found += len(want & got)
                extra += len(got - want)
            elapsed = time.perf_counter() - started
            sentences = sum(len(p) for p in paras)
            print(
                f"{name:<24} {lang:<5} {found / expected:>16.1%} {extra:>13} {sentences / elapsed:>12,.0f}"
            )


def boundaries(sentences: list[str]) -> list[int]:
    """Character offsets, ignoring spaces, where one sentence ends and the next starts."""
    offsets, position = [], 0
    for sentence in sentences[:-1]:
        position += len(sentence.replace(" ", ""))
        offsets.append(position)
    return offsets


if __name__ == "__main__":
    main()
