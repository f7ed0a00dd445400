"""Backends that run a MarianMT model: transformers (float32 or int8) and CTranslate2.

Everything heavy is imported inside the functions that load a model, so a run
whose translations all come from the translation memory imports none of it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ._align import Attention
from ._cuda import load_cublas
from ._errors import ConfigError, ModelError, setting

BACKENDS = ("auto", "transformers", "ctranslate2")
DEVICES = ("auto", "cpu", "cuda")
QUANTIZATIONS = ("none", "int8")
_FAST_EXTRA = "pip install 'unilingo[fast]'"
# transformers' beam search holds logits, scores and caches for every
# hypothesis: at beam 4 on opus-mt-de-en, 32 sentences of 45 tokens peak at
# 1.5 GB, 16 at 1.05 GB and run only 13% slower (float32; int8 is faster at
# 16). Padded input tokens times beams are kept under this, near 16 of them.
TRANSFORMERS_BEAM_TOKENS = 3072
# Sentences times beams that CTranslate2 decodes together on a CPU, at most.
# Each step scores every hypothesis over the whole vocabulary (58,101 words
# for opus-mt-de-en), so a job's size trades the matrix products' efficiency
# against those scores' cache footprint. On the quick throughput corpus at beam
# 4 on a 2-core AMD EPYC shared with other work, two one-thread workers on
# jobs of 16 were the fastest or near it in most of ten measurements at load
# averages 2-12 (summed over four benchmark runs: 35.3 s, against 40.6 s for
# jobs of 8 and 41.6 s for whole batches on one worker of two threads); the
# single measurements spread up to twofold with the load.
CPU_JOB_HYPOTHESES = 64


@dataclass(frozen=True)
class EngineOptions:
    """How to run models. ``None`` and ``"auto"`` pick what is best for this machine.

    ``backend`` auto is CTranslate2 when it is installed (``unilingo[fast]``),
    else transformers; ``device`` auto is CUDA when a CUDA device is present;
    ``quantize`` None is int8 for CTranslate2 on CPU (float16 on CUDA) and
    none for transformers; ``threads`` None is every core this process may use.
    """

    backend: str = "auto"
    device: str = "auto"
    quantize: str | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("backend", self.backend, BACKENDS),
            ("device", self.device, DEVICES),
            ("quantize", self.quantize or "none", QUANTIZATIONS),
        ):
            if value not in allowed:
                raise ConfigError(f"unknown {name} {value!r}: use one of {', '.join(allowed)}")
        if self.threads is not None and self.threads < 1:
            raise ConfigError(f"threads must be at least 1, got {self.threads}")

    def resolve(self) -> "EngineChoice":
        backend = self.backend
        if backend == "auto":
            backend = "ctranslate2" if _installed("ctranslate2") else "transformers"
        elif backend == "ctranslate2" and not _installed("ctranslate2"):
            raise ModelError(f"the ctranslate2 backend is not installed: {_FAST_EXTRA}, or use {setting('backend', 'transformers')}")
        device, note = self.device, ""
        if backend == "ctranslate2" and device != "cpu" and _cuda_present(backend):
            # Loaded here, before CTranslate2 runs: it opens cuBLAS only at its first matrix product.
            missing = load_cublas()
            if missing and self.backend == "auto" and _installed("transformers"):
                # torch's CUDA builds carry their own cuBLAS, so transformers can still use the GPU.
                backend, note = "transformers", f"CTranslate2 cannot use the GPU: {missing}"
            elif missing and device == "cuda":
                raise ModelError(f"CTranslate2 cannot use the GPU: {missing}; or use {setting('backend', 'transformers')} or {setting('device', 'cpu')}")
            elif missing:
                device, note = "cpu", f"CTranslate2 cannot use the GPU: {missing}"
        if device == "auto":
            device = "cuda" if _cuda_present(backend) else "cpu"
        elif device == "cuda" and not _cuda_present(backend):
            raise ModelError(f"no CUDA device is available to this process: use {setting('device', 'cpu')}")
        if device == "cuda":
            if backend == "transformers" and self.quantize == "int8":
                fix = f"{note}; use {setting('quantize', 'none')}" if note else f"on CUDA use {setting('backend', 'ctranslate2')}"
                raise ConfigError(f"{setting('quantize', 'int8')} with transformers is for CPUs; {fix}")
            compute = "int8_float16" if self.quantize == "int8" else "float16"
        elif self.quantize is None:
            compute = "int8" if backend == "ctranslate2" else "float32"
        else:
            compute = "int8" if self.quantize == "int8" else "float32"
        return EngineChoice(backend, device, compute, self.threads or usable_cores(), note)


@dataclass(frozen=True)
class EngineChoice:
    backend: str
    device: str
    compute: str  # float32, int8, float16 or int8_float16
    threads: int
    note: str = ""  # why auto chose other than it would have, e.g. a CUDA library missing

    def describe(self) -> str:
        threads = f", {self.threads} threads" if self.device == "cpu" else ""
        return f"{self.backend} {self.compute} on {self.device}{threads}" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class Generated:
    text: str
    tokens: tuple[str, ...]  # the output's pieces, special tokens left out
    attention: Attention | None = None  # the alignment head over the source, where asked for and the backend has it for free


@dataclass(frozen=True)
class CpuWorkers:
    """How CTranslate2 spreads one call over a CPU's threads: jobs of a few sentences, run side by side."""

    workers: int  # CTranslate2's inter_threads
    threads_each: int  # its intra_threads

    @classmethod
    def plan(cls, threads: int, call_sentences: int, beams: int) -> "CpuWorkers":
        """As many workers as a full call's jobs keep busy, at most one a thread, the threads shared among them."""
        workers = max(1, min(threads, -(-call_sentences // job_sentences(beams))))
        return cls(workers, max(1, threads // workers))

    def describe(self) -> str:
        return f"{self.workers} worker{'s' * (self.workers > 1)} x {self.threads_each} thread{'s' * (self.threads_each > 1)}"


def job_sentences(beams: int) -> int:
    """Sentences CTranslate2 decodes together on a CPU at ``beams`` (its max_batch_size)."""
    return max(1, CPU_JOB_HYPOTHESES // max(1, beams))


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _cuda_present(backend: str) -> bool:
    # Without an NVIDIA driver there is no CUDA device; knowing that without
    # importing torch keeps runs answered from the translation memory fast.
    if os.name == "posix" and not Path("/proc/driver/nvidia").exists() and not Path("/dev/nvidia0").exists():
        return False
    if backend == "ctranslate2":
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    import torch

    return torch.cuda.is_available()


class Engine:
    """A loaded model and its tokenizer, behind one interface for every backend."""

    choice: EngineChoice
    tokenizer: Any
    max_input_tokens: int
    # Most padded input tokens times beams in one call, where memory needs a
    # bound beyond the caller's batch limits; None: no bound of its own.
    max_beam_tokens: int | None = None
    # How CTranslate2 spreads calls over a CPU; None: each call runs whole.
    workers: CpuWorkers | None = None

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(list(texts)).input_ids]

    def target_token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens of each text as the decoder reads it, forced as a translation (end-of-sentence token included)."""
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(text_target=list(texts)).input_ids]

    def generate(self, texts: Sequence[str], num_beams: int, max_new_tokens: int, attention: Sequence[bool] = ()) -> list[Generated]:
        """Translations; for the texts ``attention`` marks, the alignment head too where decoding gives it at no cost (CTranslate2)."""
        raise NotImplementedError

    def attention(self, sources: Sequence[str], targets: Sequence[str]) -> list[Attention]:
        """The alignment head (first head, last decoder layer) with each target forced as the translation of its source."""
        raise NotImplementedError

    def _pieces(self, sources: Sequence[str], targets: Sequence[str]) -> tuple[list[list[str]], list[list[str]]]:
        source_pieces = [self.tokenizer.convert_ids_to_tokens(ids) for ids in self.tokenizer(list(sources)).input_ids]
        # Without the end-of-sentence token: the weights that place a word are those of its own pieces.
        target_pieces = [self.tokenizer.convert_ids_to_tokens(ids)[:-1] for ids in self.tokenizer(text_target=list(targets)).input_ids]
        return source_pieces, target_pieces


class TransformersEngine(Engine):
    def __init__(self, folder: str, choice: EngineChoice) -> None:
        import torch
        from transformers import MarianMTModel

        self.choice = choice
        # The bound keeps beam search near 1 GB of RAM; on a GPU the CUDA batch limits are the bound.
        self.max_beam_tokens = TRANSFORMERS_BEAM_TOKENS if choice.device == "cpu" else None
        self.tokenizer = _tokenizer(folder)
        model = MarianMTModel.from_pretrained(folder, local_files_only=True, trust_remote_code=False).eval()
        if choice.device == "cpu":
            torch.set_num_threads(choice.threads)
        if choice.compute == "int8":
            with warnings.catch_warnings():
                # torch points eager quantization users at torchao; the API still works and needs nothing more.
                warnings.simplefilter("ignore")
                # In place, so the float32 copies of the quantized layers are freed at once.
                torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
        elif choice.compute == "float16":
            model = model.half()
        self.model = model.to(choice.device)
        self._attention_implementation = model.config._attn_implementation
        self.max_input_tokens = _input_limit(self.tokenizer, folder)
        # One call at a time: attention() switches the whole model's attention implementation while it runs.
        self._in_use = threading.Lock()

    def generate(self, texts: Sequence[str], num_beams: int, max_new_tokens: int, attention: Sequence[bool] = ()) -> list[Generated]:
        # Beam search hands back each step's attention for every hypothesis; one forced pass afterwards is simpler and cheap.
        import torch

        batch = self.tokenizer(list(texts), return_tensors="pt", padding=True).to(self.choice.device)
        with self._in_use, torch.inference_mode():
            output_ids = self.model.generate(**batch, num_beams=num_beams, max_new_tokens=max_new_tokens)
        special = set(self.tokenizer.all_special_ids)
        results = []
        for row in output_ids.tolist():
            ids = [token for token in row if token not in special]
            results.append(Generated(self.tokenizer.decode(ids), tuple(self.tokenizer.convert_ids_to_tokens(ids))))
        return results

    def attention(self, sources: Sequence[str], targets: Sequence[str]) -> list[Attention]:
        import torch

        source_pieces, target_pieces = self._pieces(sources, targets)
        batch = self.tokenizer(list(sources), text_target=list(targets), return_tensors="pt", padding=True).to(self.choice.device)
        labels = batch.pop("labels")
        start = torch.full_like(labels[:, :1], self.model.config.decoder_start_token_id)
        with self._in_use:
            # Only the eager implementation returns attention weights; the fast one stays for generate.
            self.model.set_attn_implementation("eager")
            try:
                with torch.inference_mode():
                    # The encoder-decoder without its output projection: logits over the whole vocabulary at every
                    # position would cost more than the rest of the pass.
                    result = self.model.model(**batch, decoder_input_ids=torch.cat([start, labels[:, :-1]], dim=1), output_attentions=True)
            finally:
                self.model.set_attn_implementation(self._attention_implementation)
        head = result.cross_attentions[-1][:, 0].float().cpu()
        return [
            Attention(tuple(src), tuple(tgt), tuple(tuple(row[: len(src)].tolist()) for row in head[i, : len(tgt)]))
            for i, (src, tgt) in enumerate(zip(source_pieces, target_pieces))
        ]


class CTranslate2Engine(Engine):
    def __init__(self, folder: str, choice: EngineChoice, converted: Path, workers: CpuWorkers | None = None) -> None:
        import ctranslate2

        from ._pieces import SentencePieceTokenizer

        self.choice = choice
        # sentencepiece and vocab.json alone: this backend needs neither transformers nor torch.
        self.tokenizer = SentencePieceTokenizer(folder)
        if not (converted / "model.bin").exists():
            _convert(folder, converted, "int8" if "int8" in choice.compute else None)
        # On a GPU one worker takes each call whole.
        self.workers = workers if choice.device == "cpu" else None
        inter, intra = (self.workers.workers, self.workers.threads_each) if self.workers else (1, choice.threads)
        try:
            self.translator = ctranslate2.Translator(
                str(converted), device=choice.device, compute_type=choice.compute, intra_threads=intra, inter_threads=inter
            )
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"CTranslate2 cannot load {converted}: {error}; delete that folder to convert again") from None
        self.max_input_tokens = _input_limit(self.tokenizer, folder)

    def generate(self, texts: Sequence[str], num_beams: int, max_new_tokens: int, attention: Sequence[bool] = ()) -> list[Generated]:
        pieces = [self.tokenizer.convert_ids_to_tokens(ids) for ids in self.tokenizer(list(texts)).input_ids]
        wanted = list(attention) + [False] * (len(pieces) - len(attention))
        # The best hypothesis's alignment head costs nothing measurable here (2.6 s against 2.8 s
        # for 16 sentences on the opus-mt shape), where forcing the output through again costs 40%.
        results = self.translator.translate_batch(
            pieces, beam_size=num_beams, max_decoding_length=max_new_tokens, max_batch_size=self._job(pieces, num_beams),
            return_attention=any(wanted),
        )  # fmt: skip
        special = set(self.tokenizer.all_special_tokens)
        outputs = []
        for source, result, head in zip(pieces, results, wanted):
            hypothesis = result.hypotheses[0]
            tokens = tuple(token for token in hypothesis if token not in special)
            found = None
            # The batch decodes with attention for all; only the sentences that asked pay to read it out.
            if head:
                rows = [row for token, row in zip(hypothesis, result.attention[0]) if token not in special]
                found = Attention(tuple(source), tokens, tuple(tuple(row) for row in rows))
            outputs.append(Generated(self.tokenizer.convert_tokens_to_string(list(tokens)), tokens, found))
        return outputs

    def attention(self, sources: Sequence[str], targets: Sequence[str]) -> list[Attention]:
        source_pieces, target_pieces = self._pieces(sources, targets)
        # Forced decoding of the given translation; CTranslate2 returns the alignment head by default.
        results = self.translator.translate_batch(
            source_pieces, target_prefix=target_pieces, beam_size=1, return_attention=True,
            max_decoding_length=max(map(len, target_pieces)) + 1, max_batch_size=self._job(source_pieces, 1),
        )  # fmt: skip
        return [
            Attention(tuple(src), tuple(tgt), tuple(tuple(row) for row in result.attention[0][: len(tgt)]))
            for src, tgt, result in zip(source_pieces, target_pieces, results)
        ]

    def _job(self, pieces: Sequence, beams: int) -> int:
        # CTranslate2 cuts a call into jobs of this many sentences and hands them to its workers:
        # shared out evenly, so that no worker is left with a short last job while the others wait.
        if not self.workers:
            return len(pieces)
        return min(job_sentences(beams), -(-len(pieces) // self.workers.workers))


def open_engine(folder: str, choice: EngineChoice, converted: Path, workers: CpuWorkers | None = None) -> Engine:
    """The model in ``folder`` loaded on ``choice``; ``converted`` is where CTranslate2 keeps its copy, ``workers`` how it uses a CPU."""
    if choice.backend == "ctranslate2":
        if not _installed("sentencepiece"):
            raise ModelError(f"the ctranslate2 backend needs sentencepiece, which is not installed: {_FAST_EXTRA}")
        return CTranslate2Engine(folder, choice, converted, workers)
    try:
        import transformers
    except ImportError:
        extra = "pip install 'unilingo[translate]' (on a CPU-only machine, torch's CPU build first: see the README)"
        if _installed("ctranslate2"):
            raise ModelError(f"the transformers backend is not installed: {extra}, or use {setting('backend', 'ctranslate2')}") from None
        raise ModelError(
            f"translating needs a model backend and none is installed: {_FAST_EXTRA} (CTranslate2, no torch), "
            f"or for the transformers backend {extra}"
        ) from None
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return TransformersEngine(folder, choice)


def default_beams(folder: str) -> int:
    """The model's own beam size (4 for opus-mt), read without loading it."""
    return int(_json(Path(folder) / "generation_config.json").get("num_beams") or 1)


def _input_limit(tokenizer, folder: str) -> int:
    """The most input tokens the model takes: its tokenizer's limit or its position embeddings, the smaller."""
    return min(tokenizer.model_max_length, _json(Path(folder) / "config.json").get("max_position_embeddings", 512))


def _tokenizer(folder: str):
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(folder, local_files_only=True)


def _convert(folder: str, converted: Path, quantization: str | None) -> None:
    """Convert once, into a temporary folder renamed into place, so a killed run leaves no half model."""
    from ._convert import convert_marian

    partial = converted.with_name(converted.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        # Inside the try: a cache folder that is a file or read-only is a folder unilingo cannot write, not a bad model.
        partial.parent.mkdir(parents=True, exist_ok=True)
        convert_marian(folder, partial, quantization)
        os.replace(partial, converted)
    except OSError as error:
        if (converted / "model.bin").exists():  # another process finished first
            return
        raise ModelError(f"cannot write the CTranslate2 model to {converted}: {error}") from None
    except Exception as error:  # the converter raises ValueError, RuntimeError, ...
        raise ModelError(f"cannot convert {folder} for CTranslate2: {error}") from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
