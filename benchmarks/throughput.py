"""How fast does unilingo translate a corpus, against the naive way? The opus-mt-de-en shape, real text.

    python benchmarks/throughput.py [--quick] [--docs N] [--engine-only] [--repeats N]

Builds (once) a model with the real Helsinki-NLP/opus-mt-de-en shape and
seeded random weights (``opus_shape.py``), writes a corpus of Markdown news
documents from the real text in ../shared/data/langid-dev/ (English FLORES
articles carrying a German FLORES article's paragraph, German Tatoeba teasers
and a German image credit), and translates it:

- naive: what most scripts do, one transformers ``generate`` per paragraph
  that plain langid calls German, batch of one, no sorting;
- unilingo through its Python API (segment, detect, translate, merge, write)
  with each backend: transformers float32, transformers int8 (torch dynamic
  quantization), CTranslate2 int8 (``auto``, the default when installed).

Random weights never end a sentence on their own, so every configuration is
given the same output length: as many target tokens as the source has (the
model's end-of-sentence logit is pushed down; unilingo runs with an output cap
of 1.0 x input, the naive loop with min = max new tokens). "Target tokens" are
therefore the source tokens of the German text, the same count for every row.

Each configuration runs in its own process (its peak RSS is its own, read
from VmHWM); the default one also reports its pipeline overhead (wall time
outside getting the models and outside the model's own calls). Getting the
models is, once per process: finding the translation model, hashing its
weights once for the translation memory and loading it, and the detector's
language models (py3langid's, wordfreq's lists, lingua's). Then the raw
engine: CTranslate2's own ``translate_batch`` given the sentences the default
run gave its engine, pre-tokenized, at the best of a small grid of thread
splits and batchings (``run_raw``). The default run and the raw engine run
in turn ``--repeats`` times, each process with the affinity this one has;
the best of each is kept, and unilingo end to end is printed as a share of
the raw engine's speed. The default run's translation memory then serves a
cached re-run. Last,
``unilingo check`` over 1 MB of English Markdown, interpreter start
included: cold (``--no-cache``) and checked again with its language guesses
remembered; ``check_1mb_s`` is the cold one. The last line printed is one
JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from itertools import groupby
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from opus_shape import DEV, build  # noqa: E402

CACHE = HERE / ".build" / "cache"
HEAVY = ("torch", "transformers", "ctranslate2", "sentencepiece")
CREDITS = ["Foto: {name}/dpa", "Bild: {name}/AFP", "Quelle: Reuters"]
NAMES = ["Anna Schmidt", "Max Mustermann", "Eva Novák", "Li Wei"]
CONFIGS = {
    # name: (backend, quantize, beams)
    "naive beam 4": ("naive", None, 4),
    "transformers fp32 beam 4": ("transformers", "none", 4),
    "transformers int8 beam 4": ("transformers", "int8", 4),
    "ctranslate2 int8 beam 4": ("ctranslate2", "int8", 4),
    "naive greedy": ("naive", None, 1),
    "transformers fp32 greedy": ("transformers", "none", 1),
    "transformers int8 greedy": ("transformers", "int8", 1),
    "ctranslate2 int8 greedy": ("ctranslate2", "int8", 1),
}
DEFAULT = "default (auto) beam 4"
RAW = "raw CTranslate2 beam 4"
SUMMARY_ROWS = {
    "naive_beam4_tok_s": "naive beam 4",
    "transformers_beam4_tok_s": "transformers fp32 beam 4",
    "transformers_int8_beam4_tok_s": "transformers int8 beam 4",
    "ctranslate2_int8_beam4_tok_s": "ctranslate2 int8 beam 4",
    "transformers_greedy_tok_s": "transformers fp32 greedy",
    "ctranslate2_int8_greedy_tok_s": "ctranslate2 int8 greedy",
    "default_beam4_tok_s": DEFAULT,
    "raw_ctranslate2_beam4_tok_s": RAW,
}
# Sentences per batch tried for the raw engine, besides unilingo's own batches (at most 32).
RAW_BATCH_SIZES = (4, 8, 16)
# The grid's row for what unilingo's engine does: its own thread split and jobs, one call per batch in turn.
OWN_SETTING = "unilingo's setting"


def lines(name: str) -> list[str]:
    return [line for line in (DEV / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def articles(lang: str) -> list[list[str]]:
    with open(DEV / "flores200-devtest-first506.metadata.tsv", encoding="utf-8") as handle:
        urls = [row[0] for row in csv.reader(handle, delimiter="\t")][1:]
    sentences = lines(f"flores200-devtest-first506.{lang}.txt")
    return [[s for _, s in group] for _, group in groupby(zip(urls, sentences), key=lambda pair: pair[0])]


def write_corpus(folder: Path, count: int, seed: int = 11) -> None:
    """English articles, each with German inside it, as a news site's page would carry."""
    rng = random.Random(seed)
    english, german = articles("eng"), articles("deu")
    teasers = [line for line in lines("tatoeba.deu-eng.de.txt") if 15 <= len(line) <= 60]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        article = english[number % len(english)]
        other = german[(number * 7 + 3) % len(german)]
        half = max(1, len(article) // 2)
        parts = [f"# {article[0]}", " ".join(article[1:half]) or article[0],
                 f"![]({number}.jpg)\n{rng.choice(CREDITS).format(name=rng.choice(NAMES))}",
                 " ".join(other[:3]), " ".join(article[half:]) or article[-1],
                 "## Verwandte Artikel", "\n".join(f"- {rng.choice(teasers)}" for _ in range(3))]  # fmt: skip
        (folder / f"doc{number:04}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def english_megabyte(path: Path, seed: int = 5) -> None:
    rng = random.Random(seed)
    sentences = lines("flores200-devtest-first506.eng.txt")
    short = [line for line in lines("tatoeba.deu-eng.en.txt") if len(line) <= 60]
    blocks, size = [], 0
    while size < 1_000_000:
        block = (f"## {rng.choice(short)}\n\n{' '.join(rng.sample(sentences, 3))}\n\n"
                 f"- {rng.choice(short)}\n- {rng.choice(short)}\n\n")  # fmt: skip
        blocks.append(block)
        size += len(block.encode("utf-8"))
    path.write_text("".join(blocks), encoding="utf-8")


# --- workers: one configuration in one process -------------------------------------


def run_naive(corpus: Path, model: Path, beams: int) -> dict:
    import langid
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    started = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(model)
    marian = MarianMTModel.from_pretrained(model).eval()
    loaded = time.perf_counter()
    out = Path(tempfile.mkdtemp(prefix="naive-"))
    for path in sorted(corpus.glob("*.md")):
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        translated = []
        for paragraph in paragraphs:
            if langid.classify(paragraph)[0] != "de":
                translated.append(paragraph)
                continue
            batch = tokenizer([paragraph], return_tensors="pt", truncation=True)
            length = batch["input_ids"].shape[1] - 1
            with torch.no_grad():
                ids = marian.generate(**batch, num_beams=beams, max_new_tokens=length, min_new_tokens=length)
            translated.append(tokenizer.decode(ids[0], skip_special_tokens=True))
        (out / path.name).write_text("\n\n".join(translated), encoding="utf-8")
    return {"wall": time.perf_counter() - started, "load": loaded - started}


def run_unilingo(corpus: Path, models: Path, backend: str, quantize: str | None, beams: int, cache: str | None,
                 record: str | None = None) -> dict:  # fmt: skip
    from functools import lru_cache

    from lingua import LanguageDetectorBuilder

    from unilingo import Normalizer, _detect, _german, _lexicon, _scorer
    from unilingo._engines import Engine, EngineOptions
    from unilingo._files import write_document
    from unilingo._translate import Generation, Translator

    model_time, load_time, detector_load = [0.0], [0.0], [0.0]

    def timed(function, bucket):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                bucket[0] += time.perf_counter() - began

        return wrapper

    # The model's own work: its calls and the tokenizer's. Getting the model
    # is counted apart: finding it and hashing its weights for the memory's
    # key (resolve, once per model file: the memory remembers the hash), and
    # loading it (_open).
    calls: list[dict] = []

    def recorded(generate):
        # What the engine was asked, call by call, for the raw engine to be given the same work.
        def wrapper(self, texts, num_beams, max_new_tokens, attention=()):
            calls.append({"texts": list(texts), "beams": num_beams, "max_new_tokens": max_new_tokens,
                          "attention": any(attention)})  # fmt: skip
            return generate(self, texts, num_beams, max_new_tokens, attention)

        return wrapper

    for cls in Engine.__subclasses__():
        cls.generate = timed(recorded(cls.generate), model_time)
    Engine.token_counts = timed(Engine.token_counts, model_time)
    Translator.resolve = timed(Translator.resolve, load_time)
    Translator._open = timed(Translator._open, load_time)

    # The detector's language models are got once too: py3langid's model and
    # wordfreq's lists (each timed when first read, not when found in
    # unilingo's cache of them), and lingua's models. lingua loads these at its
    # first call, process-wide; they are loaded here as the detector is made,
    # the same models once, so that the first call is timed as the pipeline's
    # work like every other.
    _detect.langid_model = _scorer.langid_model = lru_cache(maxsize=1)(timed(_detect.langid_model.__wrapped__, detector_load))
    _german.word_log_frequencies = _lexicon.word_log_frequencies = lru_cache(maxsize=None)(
        timed(_lexicon.word_log_frequencies.__wrapped__, detector_load))  # fmt: skip
    made = _scorer.Scorer.__init__

    def scorer_with_lingua_loaded(self, *args, **kwargs):
        made(self, *args, **kwargs)
        if self._lingua_fast is not None:
            began = time.perf_counter()
            LanguageDetectorBuilder.from_languages(*self._lingua_languages).with_low_accuracy_mode().with_preloaded_language_models().build()
            detector_load[0] += time.perf_counter() - began

    _scorer.Scorer.__init__ = scorer_with_lingua_loaded

    started = time.perf_counter()
    normalizer = Normalizer(
        "en",
        models,
        engine=EngineOptions(backend=backend, quantize=quantize),
        # Random weights never stop: give every configuration exactly its input's length.
        generation=Generation(num_beams=beams, output_ratio=1.0, output_extra=0),
        cache=cache if cache else False,
    )
    out = Path(tempfile.mkdtemp(prefix="unilingo-"))
    paths = sorted(corpus.glob("*.md"))
    sources = ((path.read_text(encoding="utf-8"), "markdown") for path in paths)
    translated = 0
    for path, doc in zip(paths, normalizer.normalize_many(sources)):
        write_document(doc, out / path.name, "sidecar")
        translated += sum(segment.action == "translate" or segment.rejected for segment in doc.segments)
    wall = time.perf_counter() - started
    if record:
        Path(record).write_text(json.dumps(calls), encoding="utf-8")
    return {
        "wall": wall,
        "load": load_time[0] + detector_load[0],
        "detector_load": detector_load[0],
        "model": model_time[0],
        "engine": engine_setting(normalizer.translator),
        "segments": translated,
        "heavy_imported": [name for name in HEAVY if name in sys.modules],
    }


def engine_setting(translator) -> str:
    from unilingo._engines import CPU_JOB_HYPOTHESES

    engines = list(translator._engines.values())
    if not engines:
        return "none loaded"
    workers = engines[0].workers
    return translator.choice.describe() + (f": {workers.describe()}, jobs of at most {CPU_JOB_HYPOTHESES} hypotheses" if workers else "")


def run_raw(calls_file: Path, models: Path) -> dict:
    """CTranslate2's own translate_batch on the sentences the default run gave it, pre-tokenized, at its best setting.

    Each thread split of this process's cores (inter x intra) is tried with
    each batching: the default run's own batches replayed, and each of them
    cut into smaller ones of a fixed size. Random weights decode every
    sentence to its cap, so each sentence keeps the cap unilingo's batch gave
    it: every setting decodes the same tokens as the default run. Batches are
    submitted asynchronously, so inter_threads > 1 runs them side by side.
    One more row does what unilingo's engine does (``OWN_SETTING``): its
    batches one call at a time, each cut into jobs for its workers.
    """
    import ctranslate2

    from unilingo import EngineOptions, load_models
    from unilingo._engines import CpuWorkers, job_sentences, usable_cores
    from unilingo._pieces import SentencePieceTokenizer
    from unilingo._translate import Translator

    translator = Translator(load_models(models), engine=EngineOptions(), memory=None)
    resolved = translator.resolve("de", "en")
    tokenizer = SentencePieceTokenizer(resolved.folder)

    def pieces(texts: list[str]) -> list[list[str]]:
        return [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(texts).input_ids]

    calls = json.loads(calls_file.read_text(encoding="utf-8"))
    beams = calls[0]["beams"]
    batchings = {"unilingo's": [(pieces(c["texts"]), c["max_new_tokens"], c["attention"]) for c in calls]}
    for size in RAW_BATCH_SIZES:
        # Cut within each of unilingo's batches: every sentence keeps the output length it had there.
        batchings[str(size)] = [(batch[i : i + size], length, attention) for batch, length, attention in batchings["unilingo's"]
                                for i in range(0, len(batch), size)]  # fmt: skip
    cores = usable_cores()
    own = CpuWorkers.plan(cores, translator.batch_limits[0], beams)
    splits = sorted({(1, cores), (cores, 1), (2, max(1, cores // 2)), (own.workers, own.threads_each)})
    timings, load = [], 0.0
    for inter, intra in splits:
        began = time.perf_counter()
        engine = ctranslate2.Translator(str(translator.converted_folder(resolved)), device="cpu",
                                        compute_type=resolved.choice.compute, inter_threads=inter, intra_threads=intra)  # fmt: skip
        load = max(load, time.perf_counter() - began)
        engine.translate_batch(batchings["unilingo's"][-1][0][:2], beam_size=beams, max_decoding_length=4)  # warm up
        for name, batches in batchings.items():
            began = time.perf_counter()
            pending = [engine.translate_batch(batch, beam_size=beams, max_decoding_length=length, max_batch_size=len(batch),
                                              return_attention=attention, asynchronous=True)
                       for batch, length, attention in batches]  # fmt: skip
            for results in pending:
                for result in results:
                    result.result()
            timings.append((time.perf_counter() - began, f"inter {inter} x intra {intra}, {name} batches"))
        if (inter, intra) == (own.workers, own.threads_each):
            began = time.perf_counter()
            for batch, length, attention in batchings["unilingo's"]:
                job = min(job_sentences(beams), -(-len(batch) // own.workers))  # as CTranslate2Engine._job shares a call out
                engine.translate_batch(batch, beam_size=beams, max_decoding_length=length, max_batch_size=job,
                                       return_attention=attention)  # fmt: skip
            timings.append((time.perf_counter() - began, f"{OWN_SETTING}: inter {inter} x intra {intra}, "
                            f"calls shared out in jobs of at most {job_sentences(beams)}"))  # fmt: skip
        del engine
    best, setting = min(timings)
    return {"wall": best + load, "load": load, "setting": setting, "grid": sorted(timings)}


def best_raw(raws: list[dict]) -> dict:
    """Each setting's best time over the repeats; the best setting's, with its repeat's load."""
    best: dict[str, tuple[float, float]] = {}
    for raw in raws:
        for seconds, setting in raw["grid"]:
            best[setting] = min(best.get(setting, (seconds, raw["load"])), (seconds, raw["load"]))
    grid = sorted((seconds, setting) for setting, (seconds, _) in best.items())
    seconds, setting = grid[0]
    load = best[setting][1]
    return {"wall": seconds + load, "load": load, "setting": setting, "grid": grid, "peak_rss_mb": max(raw["peak_rss_mb"] for raw in raws)}


def worker(args) -> None:
    spec = json.loads(args.worker)
    if spec["backend"] == "naive":
        result = run_naive(Path(spec["corpus"]), Path(spec["model"]), spec["beams"])
    elif spec["backend"] == "raw":
        result = run_raw(Path(spec["calls"]), Path(spec["models"]))
    else:
        result = run_unilingo(Path(spec["corpus"]), Path(spec["models"]), spec["backend"], spec["quantize"], spec["beams"],
                              spec.get("cache"), spec.get("record"))  # fmt: skip
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def peak_rss_mb() -> float:
    """This process's own peak RSS. Not getrusage: after fork and exec, ru_maxrss still counts the parent's pages."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status: peak RSS needs Linux")


def in_process(spec: dict, env: dict) -> dict:
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)], capture_output=True, text=True, env=env)
    if completed.returncode != 0:
        sys.exit(f"{spec} failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - started
    return result


def timed_run(command: list[str], env: dict) -> float:
    began = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env)
    return time.perf_counter() - began


def check_times(work: Path, models: Path, env: dict) -> tuple[float, float]:
    """``unilingo check`` over 1 MB of English Markdown, best of 3: cold, and again with its guesses remembered."""
    check_file = work / "english-1mb.md"
    english_megabyte(check_file)
    check = [sys.executable, "-m", "unilingo", "check", str(check_file), "--models", str(models)]
    # Cold: no remembered language guesses (--no-cache); langid's model is unpacked once per installation, before.
    check_cold = min(timed_run([*check, "--no-cache"], env) for _ in range(3))
    # Warm: the same file checked again, its guesses remembered, as pre-commit does all day.
    memory_check = [*check, "--cache", str(work / "check.sqlite3")]
    timed_run(memory_check, env)
    return check_cold, min(timed_run(memory_check, env) for _ in range(3))


def source_tokens(corpus: Path, model: Path, models: Path) -> tuple[int, int]:
    """The German segments unilingo translates and their token count: every row's target tokens."""
    from transformers import MarianTokenizer

    from unilingo import Normalizer

    tokenizer = MarianTokenizer.from_pretrained(model)
    normalizer = Normalizer("en", models, cache=False)
    texts = [segment.text for path in sorted(corpus.glob("*.md"))
             for segment in normalizer.detect(path.read_text(encoding="utf-8"), "markdown").segments
             if segment.action == "translate"]  # fmt: skip
    return len(texts), sum(len(ids) - 1 for ids in tokenizer(texts).input_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus: under 3 minutes")
    parser.add_argument("--docs", type=int, help="documents in the corpus [default: 48, --quick 8]")
    parser.add_argument("--engine-only", action="store_true",
                        help="only the default run, the raw engine and the cached re-run: no comparison rows, no check")
    parser.add_argument("--repeats", type=int, default=3, help="default runs and raw engine runs, in turn; best of each [default: 3]")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    # Byte-compile unilingo as pip install does: an editable checkout, run
    # with PYTHONDONTWRITEBYTECODE set, would compile every module on every start.
    compileall.compile_dir(importlib.util.find_spec("unilingo").submodule_search_locations[0], quiet=1)
    model = build()
    docs = args.docs or (8 if args.quick else 48)
    work = Path(tempfile.mkdtemp(prefix="unilingo-bench-"))
    corpus = work / "corpus"
    write_corpus(corpus, docs)
    models = work / "models.txt"
    models.write_text(f"de en {model}\n", encoding="utf-8")
    env = dict(os.environ, UNILINGO_CACHE_DIR=str(CACHE), TOKENIZERS_PARALLELISM="false")
    os.environ.update(env)
    segments, tokens = source_tokens(corpus, model, models)
    print(f"corpus: {docs} documents, {sum(p.stat().st_size for p in corpus.glob('*.md')) / 1024:.0f} KiB, "
          f"{segments} German segments, {tokens} source tokens = target tokens per configuration", flush=True)  # fmt: skip

    # Convert for CTranslate2 and unpack langid once, outside every timing.
    in_process({"corpus": str(corpus), "models": str(models), "backend": "ctranslate2", "quantize": "int8", "beams": 1,
                "model": str(model)}, env)  # fmt: skip

    results = {}
    for name, (backend, quantize, beams) in {} if args.engine_only else CONFIGS.items():
        spec = {"corpus": str(corpus), "models": str(models), "model": str(model), "backend": backend,
                "quantize": quantize, "beams": beams}  # fmt: skip
        results[name] = in_process(spec, env)
        print(f"  {name}: {results[name]['wall']:.1f} s", flush=True)
    calls = work / "calls.json"
    default_spec = {"corpus": str(corpus), "models": str(models), "model": str(model), "backend": "auto",
                    "quantize": None, "beams": 4}  # fmt: skip
    firsts, raws = [], []
    for repeat in range(args.repeats):
        # Each with a new translation memory, so each translates everything; the engine alone on the same
        # sentences right after, in turn, so that both see the machine's load alike. Best of the repeats.
        spec = {**default_spec, "cache": str(work / f"memory-{repeat}.sqlite3")}
        firsts.append((in_process({**spec, "record": str(calls)}, env), spec))
        raws.append(in_process({"models": str(models), "backend": "raw", "calls": str(calls)}, env))
        print(f"  repeat {repeat + 1}: unilingo {firsts[-1][0]['wall'] - firsts[-1][0]['load']:.1f} s, "
              f"raw engine {min(raws[-1]['grid'])[0]:.1f} s", flush=True)  # fmt: skip
    results[DEFAULT], spec = min(firsts, key=lambda pair: pair[0]["wall"] - pair[0]["load"])
    results[RAW] = best_raw(raws)
    rerun = in_process(spec, env)

    check_cold, check_warm = (None, None) if args.engine_only else check_times(work, models, env)

    report(results, rerun, docs, tokens, check_cold, check_warm)

def report(results: dict, rerun: dict, docs: int, tokens: int, check_cold: float | None, check_warm: float | None) -> None:
    """The table, the shares and the summary line."""
    print()
    # Throughput leaves out the one-off model load (its own column), the same for every row.
    print(f"{'configuration':<28}{'load s':>8}{'run s':>8}{'docs/s':>9}{'target tok/s':>14}{'in model s':>12}{'peak RSS MB':>13}")
    for name, result in results.items():
        run = result["wall"] - result["load"]
        model_s = f"{result['model']:.1f}" if "model" in result else "-"
        print(f"{name:<28}{result['load']:>8.1f}{run:>8.1f}{docs / run:>9.2f}{tokens / run:>14.0f}"
              f"{model_s:>12}{result['peak_rss_mb']:>13.0f}")  # fmt: skip
    first, raw = results[DEFAULT], results[RAW]
    overhead = first["wall"] - first["load"] - first["model"]
    overhead_pct = 100 * overhead / first["wall"]
    speedup = first["wall"] / rerun["wall"]
    tok_s = {name: tokens / (result["wall"] - result["load"]) for name, result in results.items()}
    print()
    print(f"default configuration: {first['engine']}")
    if "naive beam 4" in tok_s:
        print(f"{tok_s[DEFAULT] / tok_s['naive beam 4']:.1f}x the naive baseline at beam 4; ctranslate2 int8 / transformers fp32 "
              f"at beam 4: {tok_s['ctranslate2 int8 beam 4'] / tok_s['transformers fp32 beam 4']:.1f}x")  # fmt: skip
    print(f"pipeline overhead (wall - getting the models - model calls) of the default run: {overhead:.2f} s = {overhead_pct:.1f}%; "
          f"getting the models {first['load']:.2f} s, {first['detector_load']:.2f} s of it the detector's")  # fmt: skip
    share = 100 * tok_s[DEFAULT] / tok_s[RAW]
    own = next(seconds for seconds, setting in raw["grid"] if setting.startswith(OWN_SETTING))
    print(f"raw CTranslate2 translate_batch on the default run's sentences, pre-tokenized, best of "
          f"{len(raw['grid'])} settings: {raw['setting']}; unilingo end to end is {share:.0f}% of its speed, "
          f"the raw engine at unilingo's own setting {100 * (raw['wall'] - raw['load']) / own:.0f}%")  # fmt: skip
    for seconds, setting in raw["grid"]:
        print(f"  {seconds:6.2f} s  {setting}")
    print(f"cached re-run: {rerun['wall']:.2f} s vs {first['wall']:.1f} s = {speedup:.0f}x; "
          f"model loaded: {rerun['engine']}; heavy modules imported: {rerun['heavy_imported'] or 'none'}")
    if check_cold is not None:
        print(f"unilingo check, 1 MB of English Markdown, interpreter start included (best of 3): "
              f"{check_cold:.2f} s cold, {check_warm:.2f} s checked again with its guesses remembered")
    summary = {key: round(tok_s[name], 1) for key, name in SUMMARY_ROWS.items() if name in tok_s}
    summary.update({
        "share_of_raw_engine_pct": round(share, 1),
        "raw_own_setting_share_pct": round(100 * (raw["wall"] - raw["load"]) / own, 1),
        "overhead_pct": round(overhead_pct, 2),
        "cached_rerun_speedup": round(speedup, 1),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for name, r in results.items() if not name.startswith("naive") and name != RAW)),
    })  # fmt: skip
    if check_cold is not None:
        summary["check_1mb_s"] = round(check_cold, 3)
    print(json.dumps(summary))



if __name__ == "__main__":
    main()
