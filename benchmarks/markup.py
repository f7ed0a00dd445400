"""Inline markup: sentences sent whole, fallbacks and their reasons, protected spans, structure, alignment time.

Two runs, each printed as a table per kind of markup:

- *dev text*: Markdown documents built from the German FLORES dev sentences
  (``../shared/data/langid-dev``) with markup put on words the way
  documentation does (links on nouns, bold on words, inline code, URLs,
  e-mail addresses) and YAML front matter, translated by the model with the
  real opus-mt-de-en shape and random weights (``opus_shape.py``). Random
  weights never copy a placeholder, so every sentence with a protected span
  falls back here: what this run measures is routing, restoration, structure
  and the time alignment costs, not placement.
- *fixture*: the test model's markup pairs (``tests/fixtures/markup.de-en.tsv``)
  with bold or a link on each word that has one aligned English word, and
  inline code and URLs where the pairs have placeholders; the model learned
  their word alignment, so placement is judged: a span must land on the
  English word its German word aligns with.

Placement quality with the real opus-mt weights is not measured here: they
cannot be downloaded on this machine.

    python benchmarks/markup.py [--docs 40]
"""

from __future__ import annotations

import argparse
import collections
import platform
import random
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from opus_shape import DEV, build  # noqa: E402

from unilingo import Normalizer  # noqa: E402
from unilingo._align import word_alignment  # noqa: E402
from unilingo._decision import Action, Why  # noqa: E402
from unilingo._engines import EngineOptions  # noqa: E402
from unilingo._inline import needs_alignment  # noqa: E402
from unilingo._models import parse_models  # noqa: E402
from unilingo._segment import segment  # noqa: E402
from unilingo.formats.markdown.walker import parser as _parser  # noqa: E402
from unilingo._translate import Generation, Translator  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
KINDS = ("strong", "link", "code", "url", "email")
_TEXT = ("text", "text_special", "softbreak", "hardbreak")


def german_sentences() -> list[str]:
    return [line for line in (DEV / "flores200-devtest-first506.deu.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def with_markup(sentence: str, rng: random.Random, number: int) -> str:
    """The sentence with one or two pieces of documentation-style markup on its words."""
    words = sentence.split(" ")
    inner = range(1, max(1, len(words) - 1))
    kinds = rng.sample(KINDS, 2 if len(words) > 6 else 1)
    for kind in kinds:
        index = rng.choice(inner) if inner else 0
        word = words[index]
        if not word[:1].isalpha() or any(mark in word for mark in "*[`@:/"):
            continue
        core = word.rstrip(".,;:!?")
        tail = word[len(core) :]
        if kind == "strong":
            words[index] = f"**{core}**{tail}"
        elif kind == "link" and core[:1].isupper():
            words[index] = f"[{core}](https://example.com/{number}/{index}){tail}"
        elif kind == "code":
            words[index] = f"`{core.lower()}.conf`{tail}"
        elif kind == "url":
            words[index] = f"{word} (https://example.org/{number}?q={index})"
        elif kind == "email":
            words[index] = f"{word} (info{number}@example.org)"
    return " ".join(words)


def dev_corpus(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    sentences = german_sentences()
    documents = []
    for number in range(count):
        chosen = [sentences[(number * 11 + k) % len(sentences)] for k in range(6)]
        marked = [with_markup(sentence, rng, number) for sentence in chosen]
        front = f'---\ntitle: "{chosen[0][:40]}"\nslug: doc-{number}\ntags: [a, b]\n---\n\n'
        body = f"# {marked[0]}\n\n{' '.join(marked[1:3])}\n\n- {marked[3]}\n- {marked[4]}\n\n> {marked[5]}\n"
        documents.append(front + body)
    return documents


def fixture_corpus() -> tuple[list[str], list[tuple[str, str] | None]]:
    """Documents of single sentences: markup on words whose alignment the fixture learned, with the expected translation
    and its marker; and sentences with protected spans (None: judged by the protected-span count)."""
    documents, expected = [], []
    for line in (FIXTURES / "markup.de-en.tsv").read_text(encoding="utf-8").splitlines():
        source, target, links = line.split("\t")
        if "X1" in source:
            # Protected spans where the model learned placeholders: inline code, then a URL.
            documents.append(source.replace("X1", "`pip install foo`").replace("X2", "https://example.com/a?b=c") + "\n")
            expected.append(None)
            continue
        if len(source.split()) < 3:
            continue
        pairs = [tuple(map(int, link.split("-"))) for link in links.split()]
        source_words, target_words = source.split(), target.split()
        for s, t in pairs:
            if sum(1 for a, _ in pairs if a == s) != 1 or sum(1 for _, b in pairs if b == t) != 1:
                continue
            for open_, close in (("**", "**"), ("[", "](https://example.com)")):
                marked = _mark(source_words, s, open_, close)
                documents.append(" ".join(marked) + "\n")
                expected.append((" ".join(_mark(target_words, t, open_, close)) + "\n", open_))
    return documents, expected


def _mark(words: list[str], index: int, opening: str, closing: str) -> list[str]:
    marked = list(words)
    core = marked[index].rstrip(".,;:!?")
    marked[index] = f"{opening}{core}{closing}{marked[index][len(core):]}"
    return marked


def structure(markdown: str) -> list[object]:
    shape: list[object] = []
    for token in _parser().parse(markdown):
        shape.append((token.type, token.level))
        if token.type == "inline":
            shape.append(sorted((child.type, child.level) for child in token.children or () if child.type not in _TEXT))
    return shape


def front_matter(markdown: str) -> str:
    match = re.match(r"---\n.*?\n---\n", markdown, re.S)
    return match.group() if match else ""


def alignment_cost(models, sources: list[str], backend: str, repeats: int = 3) -> tuple[float, float, int]:
    """Seconds to translate ``sources``, seconds alignment adds, and the output tokens: as the pipeline aligns on ``backend``.

    CTranslate2 hands back the alignment head with the beam search's best
    hypothesis, so the cost is that of asking for it (and reading it into
    words); transformers forces each translation through the model once more.
    CTranslate2's figures are the best of ``repeats`` runs, as is transformers'
    alignment (others share this machine); transformers' translation is timed once.
    """
    # Random weights never end a sentence: each output is as long as its input, as real translations roughly are.
    translator = Translator(models, engine=EngineOptions(backend, quantize="int8"), memory=None,
                            generation=Generation(output_ratio=1.0, output_extra=1))  # fmt: skip
    engine = translator.load("de", "en")
    special = translator.special_tokens("de", "en")
    translator.translate("de", "en", sources[:2])  # warm up

    def best(run) -> float:
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            run()
            times.append(time.perf_counter() - began)
        return min(times)

    began = time.perf_counter()
    plain = translator.translate("de", "en", sources)
    once = time.perf_counter() - began
    tokens = sum(engine.token_counts([t.text for t in plain]))
    pairs = [(source, " ".join(t.text.split())) for source, t in zip(sources, plain)]
    if backend == "ctranslate2":

        def with_heads() -> None:
            for (source, output), translation in zip(pairs, translator.translate("de", "en", sources, attention=frozenset(sources))):
                word_alignment(translation.attention, source, output, special)

        translating = best(lambda: translator.translate("de", "en", sources))
        return translating, best(with_heads) - translating, tokens
    # transformers' beam search is slow enough to be timed once.
    return once, best(lambda: translator.word_alignments("de", "en", pairs)), tokens


def report(title: str, documents: list[str], docs) -> None:
    holding = collections.Counter()
    whole = collections.Counter()
    fallback = collections.Counter()
    reasons = collections.Counter()
    protected_total = protected_same = 0
    for source, doc in zip(documents, docs):
        markup = {seg.start: seg.inline.spans for seg in segment(source, "markdown").segments if seg.inline and seg.inline.spans}
        for result in doc.segments:
            spans = markup.get(result.start, ())
            if not spans or result.action == Action.SKIP:
                continue
            carried = result.output is not None and not result.why.markup_not_carried
            if not carried:
                reasons[_why(result.reason)] += 1
            for kind in {span.kind for span in spans}:
                holding[kind] += 1
                whole[kind] += carried
                fallback[kind] += not carried
            landed = result.output if result.output is not None else result.text
            for span in spans:
                if span.protected:
                    piece = source[span.start : span.end]
                    protected_total += 1
                    protected_same += landed.count(piece) == result.text.count(piece)
    same_structure = sum(structure(doc.text) == structure(source) and front_matter(doc.text) == front_matter(source)
                         for source, doc in zip(documents, docs))  # fmt: skip
    print(f"\n{title}: {len(documents)} documents")
    print("| kind | sentences holding it | markup carried, sent as one sentence | fallback or kept |")
    print("| --- | ---: | ---: | ---: |")
    for kind in sorted(holding):
        print(f"| {kind} | {holding[kind]} | {whole[kind] / holding[kind]:.0%} | {fallback[kind] / holding[kind]:.0%} |")
    print("\nfallback and keep reasons: " + ("; ".join(f"{reason} ({n})" for reason, n in reasons.most_common()) or "none"))
    print(f"protected spans back byte-identical: {protected_same}/{protected_total}")
    print(f"documents with unchanged block and inline structure and front matter: {same_structure}/{len(documents)}")


def _why(reason: str) -> str:
    """A reason without the detector's part and the placeholder's number, to tally for people."""
    marker = f"{Why.FALLBACK.text}: "
    reason = reason.split(marker)[-1] if marker in reason else reason
    return re.sub(r" \(placeholder X\d+\)", "", reason)


def placement(docs, expected) -> None:
    judged = [(doc, want) for doc, want in zip(docs, expected) if want is not None]
    right = sum(doc.text == text for doc, (text, _) in judged)
    by_marker = collections.Counter(marker for _, (_, marker) in judged)
    right_by = collections.Counter(marker for doc, (text, marker) in judged if doc.text == text)
    print(f"placement on the aligned English word: {right}/{len(judged)} "
          + ", ".join(f"{'bold' if m == '**' else 'link'} {right_by[m]}/{by_marker[m]}" for m in by_marker))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10, help="dev-text documents, six sentences each [default: 10]")
    parser.add_argument("--timed", type=int, default=24, help="sentences whose alignment is timed [default: 24]")
    args = parser.parse_args()
    cpu = subprocess.run("lscpu | grep 'Model name'", shell=True, capture_output=True, text=True).stdout.split(":")[-1].strip()
    print(f"CPU: {cpu or platform.processor()}; beam 4, translation memory off")

    documents = dev_corpus(args.docs)
    models = parse_models(f"de en {build()}\n", base=HERE)
    normalizer = Normalizer("en", models, engine=EngineOptions("ctranslate2"), cache=False)
    docs = list(normalizer.normalize_many([(document, "markdown") for document in documents]))
    report("dev text, opus-mt shape with random weights, CTranslate2 int8", documents, docs)
    aligned = [seg.source for document in documents for seg in segment(document, "markdown").segments
               if needs_alignment(seg)][: args.timed]  # fmt: skip
    print(f"\ntime alignment adds, {len(aligned)} sentences whose markup needs it, opus-mt shape, int8:")
    print("| backend | translating s | aligning s | share | ms per translated token, translating / aligning |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for backend in ("ctranslate2", "transformers"):
        translating, aligning, tokens = alignment_cost(models, aligned, backend)
        print(f"| {backend} | {translating:.2f} | {aligning:.2f} | {aligning / translating:.1%} | "
              f"{1000 * translating / tokens:.2f} / {1000 * aligning / tokens:.2f} |")

    documents, expected = fixture_corpus()
    normalizer = Normalizer("en", FIXTURES / "models.txt", engine=EngineOptions("ctranslate2"), cache=False)
    docs = list(normalizer.normalize_many([(document, "markdown") for document in documents]))
    report("fixture model, its markup pairs, CTranslate2 int8", documents, docs)
    placement(docs, expected)


if __name__ == "__main__":
    main()
