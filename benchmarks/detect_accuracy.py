"""How well does the detector route segments? Real text from ../shared/data/langid-dev/.

Prints one table: for each detector, the share of segments routed right in
each set, and its speed. "Routed right" means: German is sent to the de->en
model; English is not sent to any model (kept, or skipped and so left as it
is); a look-alike language (Dutch, Danish, ...) is not sent to the German
model; text with no language is not sent to any model.

    python benchmarks/detect_accuracy.py [--data DIR] [--quick]

Sets:
  short        Tatoeba sentences of at most 25 characters, one segment alone
  sentences    FLORES devtest sentences, one segment alone
  paragraphs   FLORES sentences of one article (same URL) joined, decided alone
  look-alikes  FLORES nld/dan/swe/nob/afr/ltz/fra and Tatoeba nld: share NOT sent to de->en
  mixed        Markdown documents built from the above (English articles with German
               paragraphs, headings, captions with credit lines, list items and code
               blocks): share of lines whose every segment is routed right
  no language  code, URLs, numbers, dates, lone names, punctuation: share not sent to a model
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from collections import defaultdict
from itertools import groupby
from pathlib import Path

from unilingo import ModelTable
from unilingo._detect import Detector
from unilingo._models import parse_models
from unilingo._segment import segment

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "langid-dev"
LOOK_ALIKES = {"nld": "Dutch", "dan": "Danish", "swe": "Swedish", "nob": "Norwegian", "afr": "Afrikaans",
               "ltz": "Luxembourgish", "fra": "French"}  # fmt: skip
# Made-up credit lines of the kind news pages carry under an image.
NAMES = ["Max Mustermann", "Sanae Takaichi", "Anna Schmidt", "Jean Dupont", "Li Wei", "Olu Adeyemi",
         "Maria Rossi", "John Smith", "Ayşe Yılmaz", "Pedro Alves", "Kenji Sato", "Eva Novák"]  # fmt: skip
AGENCIES = ["dpa", "AFP", "Reuters", "AP", "epa", "picture alliance", "Getty Images", "imago"]
GERMAN_CREDITS = ["Foto: {name}/{agency}", "Bild: {name}/{agency}", "Quelle: {agency}", "Foto: {agency}",
                  "Fotos: {name}", "Bildquelle: {name}/{agency}", "Archivbild: {agency}"]  # fmt: skip
ENGLISH_CREDITS = ["Photo: {name}/{agency}", "Image: {agency}", "Source: {agency}", "Photograph: {name}",
                   "Picture: {name}/{agency}", "Credit: {agency}"]  # fmt: skip
NO_LANGUAGE = [
    "2024", "12:30", "3.5 %", "1,000,000 €", "+49 30 1234567", "2024-11-25", "25.11.2024", "11/25/2024",
    "https://example.com/nachrichten/artikel-123", "www.example.de", "info@example.com", "Sanae Takaichi",
    "Olaf Scholz", "Emmanuel Macron", "Joe Biden", "Angela Merkel", "Li Wei", "...", "—", "→", "© 2024",
    "v1.2.3", "ISBN 978-3-16-148410-0", "x = y + 1", "print(x)", "foo_bar()", "#1", "No. 5", "Nr. 5",
]  # fmt: skip
CODE_BLOCKS = [
    "```python\ndef lade_daten(pfad):\n    return open(pfad).read()\n```",
    "```bash\ncurl -s https://example.com/api?sprache=de | jq .titel\n```",
    "    SELECT name, stadt FROM kunden WHERE land = 'DE';",
]


def read(data: Path, name: str) -> list[str]:
    return [line.rstrip("\n") for line in (data / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def flores(data: Path, lang: str) -> list[str]:
    return read(data, f"flores200-devtest-first506.{lang}.txt")


def flores_articles(data: Path, lang: str) -> list[list[str]]:
    with open(data / "flores200-devtest-first506.metadata.tsv", encoding="utf-8") as handle:
        urls = [row[0] for row in csv.reader(handle, delimiter="\t")][1:]
    return [[line for _, line in group] for _, group in groupby(zip(urls, flores(data, lang)), key=lambda p: p[0])]


# --- detectors under test -----------------------------------------------------


class PlainLangid:
    """langid over all its 97 languages, one segment at a time: the baseline."""

    name = "langid, 97 languages"

    def __init__(self) -> None:
        from langid.langid import LanguageIdentifier, model

        self.identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)

    def routes(self, text: str, format: str = "text") -> list[tuple[str, str | None]]:
        out = []
        for seg in segment(text, format).segments:
            lang = self.identifier.classify(seg.text)[0]
            out.append((seg.text, lang if lang != "en" else None))
        return out


class Unilingo:
    def __init__(self, name: str, table: ModelTable, **options) -> None:
        self.name = name
        self.detector = Detector("en", table.sources_for("en"), **options)

    def routes(self, text: str, format: str = "text") -> list[tuple[str, str | None]]:
        segments = segment(text, format).segments
        decisions = self.detector.decide(segments)
        return [(s.text, d.lang if d.action == "translate" else None) for s, d in zip(segments, decisions)]


# --- sets -----------------------------------------------------------------------


def share(hits: int, total: int) -> str:
    return f"{100 * hits / total:.2f}%" if total else "-"


def routed_alone(detector, texts: list[str], want: str | None) -> tuple[int, int, list[str]]:
    misses = []
    for text in texts:
        routes = detector.routes(text)
        if not routes or any(route != want for _, route in routes):
            misses.append(text)
    return len(texts) - len(misses), len(texts), misses


def not_to_german(detector, texts: list[str]) -> tuple[int, int, list[str]]:
    misses = [text for text in texts if any(route == "de" for _, route in detector.routes(text))]
    return len(texts) - len(misses), len(texts), misses


def not_translated(detector, texts: list[str]) -> tuple[int, int, list[str]]:
    misses = [text for text in texts if any(route is not None for _, route in detector.routes(text))]
    return len(texts) - len(misses), len(texts), misses


def mixed_documents(data: Path, seed: int = 7) -> list[tuple[str, list[str | None]]]:
    """English articles with German parts; for each document the expected route of every line."""
    rng = random.Random(seed)
    english, german = flores_articles(data, "eng"), flores_articles(data, "deu")
    short_de = [s for s in read(data, "tatoeba.deu-eng.de.txt") if len(s) <= 25]
    short_en = [s for s in read(data, "tatoeba.deu-eng.en.txt") if len(s) <= 25]
    documents = []
    for index, (article_en, article_de) in enumerate(zip(english, german)):
        lines: list[tuple[str, str | None | bool]] = []  # (line, route); False: a line with no segments

        def add(block: list[tuple[str, str | None | bool]]) -> None:
            if lines:
                lines.append(("", False))
            lines.extend(block)

        heading_de = rng.random() < 0.3
        add([("# " + rng.choice(short_de if heading_de else short_en), "de" if heading_de else None)])
        # The article's sentences, in English, with one paragraph in German.
        german_at = rng.randrange(len(article_en))
        for number, (sentence_en, sentence_de) in enumerate(zip(article_en, article_de)):
            add([(sentence_de, "de")] if number == german_at else [(sentence_en, None)])
        credit = rng.choice(GERMAN_CREDITS if rng.random() < 0.7 else ENGLISH_CREDITS)
        credit_is_german = credit in GERMAN_CREDITS
        credit = credit.format(name=rng.choice(NAMES), agency=rng.choice(AGENCIES))
        add([(rng.choice(short_en), None), (credit, "de" if credit_is_german else None)])
        items = [("- " + rng.choice(short_en), None) for _ in range(3)]
        items.insert(rng.randrange(4), ("- " + rng.choice(short_de), "de"))
        add(items)
        if index % 3 == 0:
            add([(line, False) for line in rng.choice(CODE_BLOCKS).splitlines()])
        documents.append(("\n".join(line for line, _ in lines) + "\n", [route for _, route in lines]))
    return documents


def mixed_lines(detector, documents) -> tuple[int, int, list[str]]:
    hits = total = 0
    misses = []
    for text, wanted in documents:
        segments = segment(text, "markdown").segments
        routes = detector.routes(text, "markdown")
        by_line = defaultdict(list)
        for seg, (_, route) in zip(segments, routes):
            by_line[seg.line].append(route)
        lines = text.split("\n")
        for number, want in enumerate(wanted):
            got = by_line.get(number, [])
            if want is False:
                ok = all(route is None for route in got)
                if not lines[number].strip():
                    continue
            else:
                ok = bool(got) and all(route == want for route in got)
            total += 1
            hits += ok
            if not ok:
                misses.append(lines[number])
    return hits, total, misses


def speed(detector, texts: list[str], repeat: int) -> float:
    segments = [seg for text in texts for seg in segment(text, "text").segments]
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        if isinstance(detector, Unilingo):
            detector.detector.decide(segments)
        else:
            for seg in segments:
                detector.identifier.classify(seg.text)
        timings.append(time.perf_counter() - started)
    return len(segments) / statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true", help="a fifth of each set")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses per set and detector")
    args = parser.parse_args()
    step = 5 if args.quick else 1
    data = args.data

    de_short = [s for s in read(data, "tatoeba.deu-eng.de.txt") if len(s) <= 25][::step]
    en_short = [s for s in read(data, "tatoeba.deu-eng.en.txt") if len(s) <= 25][::step]
    de_sentences, en_sentences = flores(data, "deu")[::step], flores(data, "eng")[::step]
    de_paragraphs = [" ".join(a) for a in flores_articles(data, "deu")][::step]
    en_paragraphs = [" ".join(a) for a in flores_articles(data, "eng")][::step]
    look_alikes = {code: flores(data, code)[::step] for code in LOOK_ALIKES}
    look_alikes["nld (Tatoeba)"] = read(data, "tatoeba.deu-nld.nl.txt")[::step]
    documents = mixed_documents(data)[::step]

    de_en = parse_models("de en opus-mt-de-en", base=Path("/"))
    with_nl = parse_models("de en opus-mt-de-en\nnl en opus-mt-nl-en", base=Path("/"))
    detectors = [
        PlainLangid(),
        Unilingo("unilingo, models de-en", de_en),
        Unilingo("unilingo, models de-en + nl-en", with_nl),
    ]
    rows = [
        ("short de <=25 chars", lambda d: routed_alone(d, de_short, "de")),
        ("short en <=25 chars", lambda d: routed_alone(d, en_short, None)),
        ("FLORES sentences de", lambda d: routed_alone(d, de_sentences, "de")),
        ("FLORES sentences en", lambda d: routed_alone(d, en_sentences, None)),
        ("FLORES paragraphs de", lambda d: routed_alone(d, de_paragraphs, "de")),
        ("FLORES paragraphs en", lambda d: routed_alone(d, en_paragraphs, None)),
    ]
    rows += [(f"{name} not to de->en", lambda d, c=code: not_to_german(d, look_alikes[c]))
             for code, name in [*LOOK_ALIKES.items(), ("nld (Tatoeba)", "Dutch (Tatoeba)")]]  # fmt: skip
    rows += [
        ("Dutch FLORES to nl->en", lambda d: routed_alone(d, look_alikes["nld"], "nl")),
        ("mixed documents, lines", lambda d: mixed_lines(d, documents)),
        ("no language, untranslated", lambda d: not_translated(d, NO_LANGUAGE)),
    ]

    results = {}
    for detector in detectors:
        for label, measure in rows:
            results[detector.name, label] = measure(detector)
    width = max(len(label) for label, _ in rows) + 2
    print(f"{'set':<{width}}" + "".join(f"{d.name:>32}" for d in detectors))
    for label, _ in rows:
        cells = []
        for detector in detectors:
            hits, total, _ = results[detector.name, label]
            cells.append(f"{share(hits, total)} of {total}")
        print(f"{label:<{width}}" + "".join(f"{cell:>32}" for cell in cells))
    mixed_short = de_short[:500] + en_short[:500]
    print(f"{'segments/s, one core':<{width}}" + "".join(f"{speed(d, mixed_short, 3):>32,.0f}" for d in detectors))
    if args.misses:
        for (name, label), (_, _, misses) in results.items():
            if misses:
                print(f"\n{name} / {label}: {misses[: args.misses]}")


if __name__ == "__main__":
    main()
