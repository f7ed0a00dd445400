"""The CUDA path: does it translate right, and how fast is it against the CPU on the same machine?

    python benchmarks/gpu.py [--sentences N]

Run on a machine with an NVIDIA GPU. Two parts, through unilingo's own
Translator (the code ``unilingo translate --device cuda`` runs):

1. Exactness: the test fixture model (tests/fixtures/) translates every one of
   its training pairs on CUDA, with each backend and compute type: CTranslate2
   float16 and int8_float16, transformers float16. The fixture was trained
   until every next token leads by 4 logits, so half precision must reproduce
   every pair; a miss is a defect in the CUDA path, not noise. Then its
   markup pairs: translated exactly, and the alignment head (read in forced
   decoding, as inline markup is placed) against the pairs' gold word
   alignments, on CUDA and, as the baseline, on the CPU.
2. Speed: the opus-mt-de-en shape with random weights (opus_shape.py), German
   dev sentences at beam 4, output length fixed to the input's (see
   throughput.py), in target tokens per second: each CUDA configuration with
   unilingo's default batch limits and with GPU-sized ones, and CTranslate2
   int8 on this machine's CPU cores as the baseline of the same run.

Each configuration reports its result or the one-line reason it could not run
(CTranslate2's CUDA build loads cuBLAS 12 at run time: install the gpu extra,
``pip install -e '.[gpu,test]'``, before running this).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from opus_shape import build, dev_text  # noqa: E402

from unilingo import EngineOptions, Generation, load_models  # noqa: E402
from unilingo._cuda import DISTRIBUTION, wheel_libraries  # noqa: E402
from unilingo._translate import (  # noqa: E402
    CUDA_BATCH_SIZE,
    CUDA_BATCH_TOKENS,
    DEFAULT_BATCH_SIZE,
    DEFAULT_BATCH_TOKENS,
    Translator,
)

FIXTURE = ROOT / "tests" / "fixtures"
CUDA_CONFIGS = {
    # name: (backend, quantize)
    "auto": ("auto", None),
    "ctranslate2 float16": ("ctranslate2", None),
    "ctranslate2 int8_float16": ("ctranslate2", "int8"),
    "transformers float16": ("transformers", None),
}
# Batch limits (sentences, padded tokens) worth trying on a GPU: unilingo's own default
# for the device (None), the CPU's, and others around the CUDA default.
BATCHES = {
    "default": (None, None),
    "cpu": (DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS),
    "half": (CUDA_BATCH_SIZE // 2, CUDA_BATCH_TOKENS // 2),
    "double": (CUDA_BATCH_SIZE * 2, CUDA_BATCH_TOKENS * 2),
}


def describe_machine() -> str:
    try:
        gpu = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
    except FileNotFoundError:
        gpu = ""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    try:
        wheel = wheel_libraries()
    except FileNotFoundError as missing:
        wheel = f"{DISTRIBUTION} lacks {missing}"
    cublas = f"cuBLAS 12 from {wheel[-1]}" if isinstance(wheel, list) else (wheel or f"no {DISTRIBUTION} (the gpu extra)")
    return f"GPU: {gpu or 'none found'}; CPU: {cpu} x {os.cpu_count()}; Python {platform.python_version()}; {cublas}"


def translator(models, backend: str, device: str, quantize: str | None, batch: tuple[int, int], generation, cache: Path):
    os.environ["UNILINGO_CACHE_DIR"] = str(cache)  # where CTranslate2's converted copies go
    engine = EngineOptions(backend=backend, device=device, quantize=quantize)
    return Translator(models, engine=engine, generation=generation, batch_size=batch[0], batch_tokens=batch[1], memory=None)


def exactness(cache: Path, only: str | None) -> None:
    with open(FIXTURE / "pairs.de-en.tsv", encoding="utf-8") as pairs:
        rows = [row for row in csv.reader(pairs, delimiter="\t", quoting=csv.QUOTE_NONE) if row and not row[0].startswith("#")]
    sources, targets = [row[0] for row in rows], [row[1] for row in rows]
    models = load_models(FIXTURE / "models.txt")
    print(f"\n## Exactness: fixture model, {len(rows)} training pairs, beam 4, on CUDA")
    print("| configuration | engine | pairs reproduced | first miss |")
    print("| --- | --- | --- | --- |")
    for name, (backend, quantize) in CUDA_CONFIGS.items():
        if only and backend != only:
            continue
        try:
            engine = translator(models, backend, "cuda", quantize, BATCHES["default"], Generation(), cache)
            outputs = engine.translate("de", "en", sources)
        except Exception as error:  # report and go on: one broken configuration must not hide the others
            print(f"| {name} | | did not run | {type(error).__name__}: {str(error).splitlines()[0][:160]} |")
            continue
        misses = [(s, t, o.text) for s, t, o in zip(sources, targets, outputs) if o.text != t]
        first = f"{misses[0][0]!r} -> {misses[0][2]!r}, want {misses[0][1]!r}" if misses else ""
        print(f"| {name} | {engine.choice.describe()} | {len(rows) - len(misses)}/{len(rows)} | {first} |")


def alignment(cache: Path, only: str | None) -> None:
    """The fixture's markup pairs: translated exactly, and each English word aligned with the German word the pair's gold alignment names."""
    rows = [line.split("\t") for line in (FIXTURE / "markup.de-en.tsv").read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [{(int(t), int(s)) for s, t in (link.split("-") for link in links.split())} for _, _, links in rows]
    sources, targets = [row[0] for row in rows], [row[1] for row in rows]
    words = sum(len(target.split()) for target in targets)
    models = load_models(FIXTURE / "models.txt")
    print(f"\n## Alignment: fixture model, {len(rows)} markup pairs ({words} English words), forced decoding")
    print("| configuration | device | translations exact | words on their gold source word |")
    print("| --- | --- | --- | --- |")
    runs = [(name, backend, "cuda", quantize) for name, (backend, quantize) in CUDA_CONFIGS.items() if backend != "auto"]
    runs += [("transformers float32", "transformers", "cpu", None), ("ctranslate2 int8", "ctranslate2", "cpu", None)]
    for name, backend, device, quantize in runs:
        if only and backend != only:
            continue
        try:
            engine = translator(models, backend, device, quantize, BATCHES["default"], Generation(), cache)
            exact = sum(o.text == t for o, t in zip(engine.translate("de", "en", sources), targets))
            aligned = engine.word_alignments("de", "en", list(zip(sources, targets)))
        except Exception as error:
            print(f"| {name} | {device} | did not run: {type(error).__name__}: {str(error).splitlines()[0][:120]} | |")
            continue
        placed = sum((t, s) in links for found, links in zip(aligned, gold) if found for t, s in enumerate(found))
        print(f"| {name} | {device} | {exact}/{len(rows)} | {placed}/{words} |")


def speed(cache: Path, sentences: int, cpu_sentences: int, only: str | None) -> None:
    folder = build()
    models_file = cache / "shape-models.txt"
    models_file.write_text(f"de en {folder}\n", encoding="utf-8")
    models = load_models(models_file)
    german = dev_text("flores200-devtest-first506.deu.txt", "tatoeba.deu-eng.de.txt")[:sentences]
    generation = Generation(num_beams=4, output_ratio=1.0, output_extra=0)
    from transformers import MarianTokenizer

    # Each output runs to its batch's longest input (end of sentence never wins), so
    # the source's pieces are the target tokens every configuration must produce at least.
    source_tokens = [len(ids) for ids in MarianTokenizer.from_pretrained(folder)(german).input_ids]
    print(f"\n## Speed: opus-mt-de-en shape, random weights, beam 4, {len(german)} German dev sentences")
    print("| configuration | device | batch (sentences / tokens) | sentences | target tokens/s (source pieces) | s |")
    print("| --- | --- | --- | --- | --- | --- |")
    runs = [
        (name, backend, "cuda", quantize, batch)
        for name, (backend, quantize) in CUDA_CONFIGS.items()
        for batch in BATCHES
        if backend != "auto" and backend == (only or backend)
    ]
    runs.append(("ctranslate2 int8", "ctranslate2", "cpu", None, "default"))
    for name, backend, device, quantize, batch in runs:
        texts = german if device == "cuda" else german[:cpu_sentences]
        try:
            engine = translator(models, backend, device, quantize, BATCHES[batch], generation, cache)
            engine.translate("de", "en", texts[:8])  # load, convert and warm up outside the clock
            started = time.perf_counter()
            outputs = engine.translate("de", "en", texts)
            seconds = time.perf_counter() - started
        except Exception as error:
            print(f"| {name} | {device} | ({batch}) | did not run: {type(error).__name__}: {str(error).splitlines()[0][:120]} | | |")
            continue
        assert len(outputs) == len(texts)
        rate = sum(source_tokens[: len(texts)]) / seconds
        limits = "{} / {}".format(*engine.batch_limits)
        print(f"| {name} | {device} | {limits} ({batch}) | {len(texts)} | {rate:,.0f} | {seconds:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000, help="German sentences per CUDA configuration")
    parser.add_argument("--cpu-sentences", type=int, default=300, help="German sentences for the CPU baseline")
    parser.add_argument("--exactness-only", action="store_true", help="skip the speed part")
    parser.add_argument("--only", choices=("ctranslate2", "transformers"), help="one backend's CUDA configurations")
    args = parser.parse_args()
    print(describe_machine())
    with tempfile.TemporaryDirectory() as cache:
        exactness(Path(cache), args.only)
        alignment(Path(cache), args.only)
        if not args.exactness_only:
            speed(Path(cache), args.sentences, args.cpu_sentences, args.only)


if __name__ == "__main__":
    main()
