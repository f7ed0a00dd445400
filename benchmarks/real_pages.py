"""Real pages: unilingo over a few hundred public web pages and documentation files nobody here wrote.

Build the corpus first (see benchmarks/real_pages_corpus.py), then, with the test extra and the fixture models:

    python benchmarks/real_pages.py --corpus /tmp/real-pages [--translator stand-in|fixture|both] [--misses N]
    python benchmarks/real_pages.py --corpus /tmp/real-pages --detect-only [--misses N]

Every document is normalized into English through the public API, once with a stand-in translator (every sentence
becomes one fixed English sentence, its placeholders kept in order, aligned word for word in order, so markup placement
is exercised without the rejections a tiny model causes) and once with the fixture model (tests/fixtures/models.txt).
Per corpus family and in all it counts:

- traceback: documents where anything but unilingo's documented errors was raised
- kept whole: documents whose translations unilingo's own check after merging threw away, every one of them
- changed: documents whose html5lib tree or markdown-it tokens (and front matter keys) changed beyond translated
  text and the order of inline elements inside a block; reordered: those where only that order changed
- lost: elements (HTML elements; Markdown links, emphasis, code, images, raw HTML...) fewer after than before
- restore: documents whose sidecar, or inline originals where they can be written, do not give the original back
- German left: segments of the output the detector still sends to the German model
- to model: on English families, the share of segments the detector sends to a model

``--detect-only`` only decides each document, as ``check`` does, and counts per family the segments sent to a model:
on the English families that is the "to model" share above, in a minute rather than a quarter of an hour; on the
German ones, how much of their German still goes (English in them goes nowhere).

A document that is not UTF-8 is read in the charset its page declares, else as Latin-1 (counted as "recoded").
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))
import conftest  # noqa: E402  (offline hub settings and the fixture models, as the tests run)

from real_pages_checks import first_difference, restore_difference, shape  # noqa: E402
from real_pages_corpus import read_manifest  # noqa: E402

from unilingo import Normalizer, UnilingoError, restore_inline, restore_sidecar  # noqa: E402
from unilingo._api import UNVERIFIED_REASON  # noqa: E402
from unilingo._translate import Translation  # noqa: E402

SENTENCE = "The committee will review the proposal in detail next week."
_PLACEHOLDER = re.compile(r"\bX\d+\b")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
CHECKS = ("traceback", "kept whole", "changed", "reordered", "lost", "restore", "german left", "to model")


class StandIn:
    """A stand-in for the model: one fixed English sentence per text, the text's placeholders (code, URLs, terms)
    among its words where they were in the text, each word aligned with the source word as far into its text."""

    def model_name(self, source, target):
        return "stand-in"

    def translate(self, source, target, texts, on_translated=None, heads=frozenset()):
        return [Translation(_answer(text)) for text in texts]

    def word_alignments(self, source, target, pairs):
        return [_in_order(text.split(), translation.split()) for text, translation in pairs]


def _answer(text: str) -> str:
    words, answer = text.split(), SENTENCE.split()
    placed = [(len(answer) * i // len(words), p) for i, word in enumerate(words) for p in _PLACEHOLDER.findall(word)]
    for at, placeholder in reversed(placed):
        answer.insert(at, placeholder)
    return " ".join(answer)


def _in_order(source: list[str], target: list[str]) -> list[int] | None:
    if not source or not target:
        return None
    holding = {p: i for i, word in enumerate(source) for p in _PLACEHOLDER.findall(word)}
    return [holding.get(word, i * len(source) // len(target)) for i, word in enumerate(target)]


@dataclass
class Outcome:
    """One document's results: per check how many (documents count 1), and an example of each failure."""

    counts: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def fail(self, check: str, example: str, count: int = 1) -> None:
        self.counts[check] += count
        self.examples.setdefault(check, example)


def read_document(path: Path) -> tuple[str, bool]:
    """The document's text, and whether it had to be recoded from another charset than UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        declared = _CHARSET.search(data[:4096])
        try:
            return data.decode(declared.group(1).decode("ascii") if declared else "latin-1"), True
        except (LookupError, UnicodeDecodeError):
            return data.decode("latin-1"), True


def check(normalizer: Normalizer, format: str, text: str, english: bool) -> Outcome:
    outcome = Outcome()
    try:
        doc = normalizer.normalize(text, format)
    except UnilingoError:
        return outcome
    except Exception:  # noqa: BLE001  (counting what escapes is the point)
        outcome.fail("traceback", _traceback())
        return outcome
    outcome.counts["translated"] += doc.translated > 0
    unverified = [s.text for s in doc.segments if s.reason == UNVERIFIED_REASON]
    if unverified:
        outcome.fail("kept whole", f"{len(unverified)} translations dropped, as {unverified[0][:100]!r}")
    if doc.translated:
        _check_structure(outcome, format, text, doc.text)
        _check_restore(outcome, doc, format, text)
    try:
        left = [s.text for s in normalizer.detect(doc.text, format).segments if s.action == "translate" and s.lang == "de"]
        if left:
            outcome.fail("german left", " | ".join(t[:80] for t in left[:3]), len(left))
        before = normalizer.detect(text, format).segments if english else doc.segments
        outcome.counts["segments"] += len(before)
        sent = [s.text for s in before if s.action == "translate"] if english else []
        if sent:
            outcome.fail("to model", " | ".join(t[:80] for t in sent[:3]), len(sent))
    except UnilingoError:
        pass
    except Exception:  # noqa: BLE001
        outcome.fail("traceback", "detect: " + _traceback())
    return outcome


def _check_structure(outcome: Outcome, format: str, text: str, output: str) -> None:
    before, after = shape(text, format), shape(output, format)
    if before.exact != after.exact:
        if before.relaxed == after.relaxed:
            outcome.fail("reordered", first_difference(before.exact, after.exact))
        else:
            outcome.fail("changed", first_difference(before.relaxed, after.relaxed))
    lost = before.elements - after.elements
    if lost:
        outcome.fail("lost", ", ".join(f"{name} x{count}" for name, count in lost.most_common(5)), sum(lost.values()))


def _check_restore(outcome: Outcome, doc, format: str, text: str) -> None:
    try:
        restored = restore_sidecar(doc.sidecar())
        if restored != text:
            outcome.fail("restore", "sidecar " + restore_difference(text, restored))
            return
        try:
            inline = doc.with_inline_originals()
        except ValueError:
            return  # no place for inline originals: a sidecar is the way, and it restored
        restored = restore_inline(inline, format=format)
        if restored != text:
            outcome.fail("restore", "inline " + restore_difference(text, restored))
    except UnilingoError as error:
        outcome.fail("restore", f"refused: {error}"[:200])
    except Exception:  # noqa: BLE001
        outcome.fail("traceback", "restore: " + _traceback())


def _traceback() -> str:
    kind, error, trace = sys.exc_info()
    where = traceback.extract_tb(trace)[-1]
    return f"{kind.__name__}: {str(error)[:160]} ({Path(where.filename).name}:{where.lineno})"


def run(corpus: Path, translator: str, families: set[str] | None) -> tuple[dict, dict, float]:
    normalizer = Normalizer("en", conftest.FIXTURE_MODELS, cache=False)
    if translator == "stand-in":
        normalizer.translator = StandIn()
    totals: dict[str, Counter] = defaultdict(Counter)
    misses: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    started = time.perf_counter()
    for entry, path in _documents(corpus, families):
        text, recoded = read_document(path)
        format = "html" if entry.family.startswith("html") else "markdown"
        outcome = check(normalizer, format, text, english=entry.family.endswith("-en"))
        counts = totals[entry.family]
        counts.update(documents=1, recoded=recoded, **outcome.counts)
        for name, example in outcome.examples.items():
            counts[name + " docs"] += 1
            misses[entry.family][name].append(f"{entry.repo}:{entry.path}: {example}")
    return totals, misses, time.perf_counter() - started


def detect_only(corpus: Path, families: set[str] | None) -> tuple[dict, dict, float]:
    """Per family: documents, segments and segments sent to a model, with every one sent as a miss."""
    normalizer = Normalizer("en", conftest.FIXTURE_MODELS, cache=False)
    totals: dict[str, Counter] = defaultdict(Counter)
    sent: dict[str, list[str]] = defaultdict(list)
    started = time.perf_counter()
    for entry, path in _documents(corpus, families):
        text, _ = read_document(path)
        format = "html" if entry.family.startswith("html") else "markdown"
        try:
            segments = normalizer.detect(text, format).segments
        except UnilingoError:
            continue
        to_model = [s.text for s in segments if s.action == "translate"]
        totals[entry.family].update(documents=1, segments=len(segments), **{"to model": len(to_model)})
        sent[entry.family].extend(f"{entry.repo}:{entry.path}: {t[:100]!r}" for t in to_model)
    return totals, sent, time.perf_counter() - started


def _documents(corpus: Path, families: set[str] | None):
    for entry in read_manifest():
        if families and entry.family not in families:
            continue
        path = corpus / entry.relative
        if not path.is_file():
            sys.exit(f"real_pages: {path} is missing: build the corpus with benchmarks/real_pages_corpus.py")
        yield entry, path


def print_detect_only(totals: dict[str, Counter], sent: dict[str, list[str]], seconds: float, count: int) -> None:
    print(f"\ndetect only: {seconds:.0f} s")
    print(f"{'family':<10}{'docs':>10}{'segments':>10}{'to model':>10}{'share':>10}")
    for family, counts in sorted(totals.items()):
        share = f"{100 * counts['to model'] / counts['segments']:.2f}%" if counts["segments"] else "-"
        print(f"{family:<10}{counts['documents']:>10}{counts['segments']:>10}{counts['to model']:>10}{share:>10}")
    english = [counts for family, counts in totals.items() if family.endswith("-en")]
    segments, to_model = sum(c["segments"] for c in english), sum(c["to model"] for c in english)
    if segments:
        print(f"{'English':<10}{sum(c['documents'] for c in english):>10}{segments:>10}{to_model:>10}{100 * to_model / segments:>9.2f}%")
    for family, examples in sorted(sent.items()):
        for example in examples[:count]:
            print(f"  {family} to model: {example}")


def print_table(translator: str, totals: dict[str, Counter], seconds: float) -> None:
    print(f"\n{translator}: {seconds:.0f} s")
    header = ["family", "docs", "recoded", "translated", "segments", "traceback", "kept whole", "changed", "reordered",
              "lost", "restore", "German left", "to model"]  # fmt: skip
    print("".join(f"{name:>12}" if i else f"{name:<10}" for i, name in enumerate(header)))
    rows = sorted(totals.items())
    everything = sum((counts for _, counts in rows), Counter())
    for family, counts in [*rows, ("all", everything)]:
        english = sum(c["segments"] for f, c in rows if f.endswith("-en")) if family == "all" else counts["segments"]
        share = f"{100 * counts['to model'] / english:.2f}%" if (family == "all" or family.endswith("-en")) and english else "-"
        cells = [counts["documents"], counts["recoded"], counts["translated"], counts["segments"], counts["traceback docs"],
                 counts["kept whole docs"], counts["changed docs"], counts["reordered docs"],
                 f"{counts['lost']}/{counts['lost docs']}", counts["restore docs"], f"{counts['german left']}/{counts['german left docs']}", share]  # fmt: skip
        print(f"{family:<10}" + "".join(f"{cell:>12}" for cell in cells))
    print("lost and German left: elements or segments / documents; to model: share of English families' segments")


def print_misses(misses: dict, count: int) -> None:
    for family, checks in sorted(misses.items()):
        for name in CHECKS:
            for example in checks.get(name, [])[:count]:
                print(f"  {family} {name}: {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="the folder benchmarks/real_pages_corpus.py built")
    parser.add_argument("--translator", choices=("stand-in", "fixture", "both"), default="both")
    parser.add_argument("--family", action="append", help="only this family (html-en, html-de, md-en, md-de); repeatable")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="print N examples of each failure")
    parser.add_argument("--detect-only", action="store_true", help="only decide each document and count what goes to a model")
    args = parser.parse_args()
    if args.detect_only:
        print_detect_only(*detect_only(args.corpus, set(args.family or ())), args.misses)
        return
    for translator in ("stand-in", "fixture") if args.translator == "both" else (args.translator,):
        totals, misses, seconds = run(args.corpus, translator, set(args.family or ()))
        print_table(translator, totals, seconds)
        print_misses(misses, args.misses)


if __name__ == "__main__":
    main()
