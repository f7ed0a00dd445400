"""Translator: MarianMT models run in token-budget batches, with a translation memory in front."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ._align import Attention, word_alignment
from ._engines import CpuWorkers, Engine, EngineChoice, EngineOptions, default_beams, open_engine
from ._errors import ModelError, UnilingoError, setting
from ._memory import TranslationMemory, cache_dir, sha256_of
from ._models import MODELS_ENV, ModelSpec, ModelTable

# Sentences per batch at most, and padded input tokens per batch at most: on
# two CPU cores beam-4 throughput stops growing past about this size
# (benchmarks/throughput.py; peak RSS 800 MB with CTranslate2, 1.4 GB with
# transformers float32).
DEFAULT_BATCH_SIZE = 32
DEFAULT_BATCH_TOKENS = 1536
# On a GPU larger batches pay: with the CPU limits an H200 ran transformers
# float16 at beam 4 slower than CTranslate2 int8 on 16 CPU cores
# (benchmarks/gpu.py); the opus-mt size needs a few GB at these limits.
CUDA_BATCH_SIZE = 256
CUDA_BATCH_TOKENS = 16384
# Where an over-long input may be cut, best first; the last resort is any space.
_SPLIT_POINTS = (re.compile(r"(?<=[;:])\s+"), re.compile(r"(?<=,)\s+"), re.compile(r"\s+[–—-]\s+"), re.compile(r"\s+"))
# A piece of 1-4 tokens said this many times in a row is a decoder stuck in a loop.
_LOOP_REPEATS = 4
_WEIGHT_FILES = ("*.safetensors", "*.bin", "*.spm", "vocab.json")
# One model load at a time in the whole process: transformers builds a model on
# torch's meta device by patching torch itself, so two loads at once (any two
# Translators with the transformers backend) broke each other with "meta
# tensors" errors, and every load after them too.
_LOADING = threading.Lock()

log = logging.getLogger("unilingo")


# transformers' own switch counts too: users of it expect it to keep every download away.
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def offline_variable() -> str | None:
    """The variable that says not to reach the hub, if one is set."""
    return next((name for name in OFFLINE_VARIABLES if os.environ.get(name, "").strip().upper() in ("1", "ON", "YES", "TRUE")), None)


@dataclass(frozen=True)
class Generation:
    """Decoding settings; part of the translation memory's key.

    ``num_beams`` None is the model's own (4 for opus-mt). The output may run
    to ``output_ratio`` times the longest input of its batch plus
    ``output_extra`` tokens: translations run longer than their source, never
    three times as long, so the cap stops a looping decoder without cutting a
    real sentence.
    """

    num_beams: int | None = None
    output_ratio: float = 3.0
    output_extra: int = 10

    def budget(self, input_tokens: int, ceiling: int) -> int:
        return max(1, min(ceiling, int(self.output_ratio * input_tokens) + self.output_extra))


@dataclass(frozen=True)
class Translation:
    text: str
    looped: bool = False  # the output repeated itself or ran to its cap; callers keep the original
    attention: Attention | None = None  # the alignment head, where asked for and decoding gave it (never remembered)


@dataclass(frozen=True)
class _Resolved:
    spec: ModelSpec
    folder: str
    revision: str  # the hub commit, or a hash of the local files
    beams: int
    memory_key: str
    choice: EngineChoice  # the engine's, with the model's own quantization where the user named none


class Translator:
    """Translates segments with the models of a ModelTable.

    A model's folder is found (and downloaded once if need be) the first time
    its language pair is asked for; the model itself is loaded only when the
    translation memory (``memory``; None for no memory) lacks a translation.
    """

    def __init__(
        self,
        table: ModelTable,
        *,
        engine: EngineOptions = EngineOptions(),
        generation: Generation = Generation(),
        batch_size: int | None = None,
        batch_tokens: int | None = None,
        memory: TranslationMemory | None = None,
    ) -> None:
        self.table = table
        self.engine_options = engine
        self.generation = generation
        self._batch_size = batch_size
        self._batch_tokens = batch_tokens
        self.memory = memory
        self._choice: EngineChoice | None = None
        self._resolved: dict[tuple[str, str], _Resolved] = {}
        self._engines: dict[tuple[str, str], Engine] = {}
        # Threads sharing this Translator find, download and fingerprint a model once.
        self._resolving = threading.RLock()

    @property
    def choice(self) -> EngineChoice:
        with self._resolving:
            if self._choice is None:
                self._choice = self.engine_options.resolve()
            return self._choice

    @property
    def batch_limits(self) -> tuple[int, int]:
        """Most sentences and padded input tokens per model call: as given, else the device's defaults."""
        cuda = self.choice.device == "cuda"
        return (
            self._batch_size or (CUDA_BATCH_SIZE if cuda else DEFAULT_BATCH_SIZE),
            self._batch_tokens or (CUDA_BATCH_TOKENS if cuda else DEFAULT_BATCH_TOKENS),
        )

    @property
    def loaded_models(self) -> tuple[tuple[str, str], ...]:
        """The (source, target) pairs whose model this Translator has loaded."""
        return tuple(self._engines)

    def model_name(self, source: str, target: str) -> str:
        return self._spec(source, target).name

    def translate(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None = None,
        attention: frozenset[str] = frozenset(),
    ) -> list[Translation]:
        """Translations of ``texts`` in order; each distinct text is translated once, ever, per model and settings.

        A fresh translation of a text in ``attention`` carries the alignment
        head where decoding gives it for free (CTranslate2).
        """
        if not texts:
            return []
        resolved = self.resolve(source, target)
        unique = list(dict.fromkeys(texts))
        known: dict[str, Translation] = {}
        if self.memory is not None:
            remembered = self.memory.lookup(resolved.memory_key, unique)
            known = {text: Translation(output, looped) for text, (output, looped) in remembered.items()}
        if known and on_batch is not None:
            on_batch(sum(1 for text in texts if text in known))
        missing = [text for text in unique if text not in known]
        if missing:
            fresh = self._translate_fresh(resolved, missing, texts, on_batch, attention)
            if self.memory is not None:
                self.memory.store(resolved.memory_key, {text: (t.text, t.looped) for text, t in fresh.items()})
            known.update(fresh)
        return [known[text] for text in texts]

    def special_tokens(self, source: str, target: str) -> frozenset[str]:
        return frozenset(self.load(source, target).tokenizer.all_special_tokens)

    def word_alignments(self, source: str, target: str, pairs: Sequence[tuple[str, str]]) -> list[list[int] | None]:
        """For each (text, translation) pair, the word of the text each word of the translation aligns with.

        Read off the model's alignment head with the translation forced. Not
        remembered: forcing a known translation through the model costs a
        fraction of finding it, and a remembered translation needs it too.
        A pair longer than the model takes is aligned piece by piece, as it
        was translated; None where that cannot be done, so the caller falls
        back rather than fails.
        """
        if not pairs:
            return []
        engine = self.load(source, target)
        limit = engine.max_input_tokens
        source_lengths = engine.token_counts([text for text, _ in pairs])
        target_lengths = engine.target_token_counts([translation for _, translation in pairs])
        lengths = [max(counts) for counts in zip(source_lengths, target_lengths)]
        whole = [i for i, length in enumerate(lengths) if length <= limit]
        results: list[list[int] | None] = [None] * len(pairs)
        found = self._forced_alignments(source, target, engine, [pairs[i] for i in whole], [lengths[i] for i in whole])
        for index, alignment in zip(whole, found):
            results[index] = alignment
        for index, length in enumerate(lengths):
            if length > limit:
                results[index] = self._aligned_in_pieces(source, target, engine, *pairs[index])
        return results

    def _forced_alignments(self, source, target, engine: Engine, pairs, lengths) -> list[list[int] | None]:
        special = self.special_tokens(source, target)
        results: list[list[int] | None] = [None] * len(pairs)
        max_sentences, max_tokens = self.batch_limits
        for batch in token_batches(lengths, max_sentences, max_tokens):
            for index, attention in zip(batch, self._attention(engine, [pairs[i] for i in batch])):
                results[index] = None if attention is None else word_alignment(attention, *pairs[index], special)
        return results

    def _attention(self, engine: Engine, pairs) -> list[Attention | None]:
        # An alignment only places markup, and a sentence without one is still translated between its
        # markup: a pair the backend cannot take costs that sentence its alignment, never the document.
        try:
            return engine.attention([text for text, _ in pairs], [translation for _, translation in pairs])
        except (RuntimeError, IndexError, ValueError) as error:
            if len(pairs) > 1:
                return [found for pair in pairs for found in self._attention(engine, [pair])]
            log.warning("no word alignment for %r: %s", pairs[0][0][:80], _first_line(error))
            return [None]

    def _aligned_in_pieces(self, source: str, target: str, engine: Engine, text: str, translation: str) -> list[int] | None:
        """The alignment of an over-long ``text``, pieced together from its pieces' own, where ``translation`` is theirs joined."""
        pieces = _fit(text, engine)
        if len(pieces) < 2 or sum(len(piece.split()) for piece in pieces) != len(text.split()):
            return None  # cut inside a word: the pieces' words are not the text's
        parts = [" ".join(part.text.split()) for part in self.translate(source, target, pieces)]
        if " ".join(parts) != " ".join(translation.split()):
            return None  # a translation made otherwise (remembered from other settings, say): its pieces are unknown
        pairs = list(zip(pieces, parts))
        lengths = [max(counts) for counts in zip(engine.token_counts(pieces), engine.target_token_counts(parts))]
        if max(lengths) > engine.max_input_tokens:
            return None
        alignment: list[int] = []
        offset = 0
        for (piece, _), found in zip(pairs, self._forced_alignments(source, target, engine, pairs, lengths)):
            if found is None:
                return None
            alignment += [offset + word for word in found]
            offset += len(piece.split())
        return alignment

    def resolve(self, source: str, target: str) -> _Resolved:
        """Where a pair's model is and what identifies it, without loading it."""
        key = (source, target)
        with self._resolving:
            if key not in self._resolved:
                self._resolved[key] = self._find(source, target)
            return self._resolved[key]

    def _find(self, source: str, target: str) -> _Resolved:
        spec = self._spec(source, target)
        folder = _local_folder(spec) if spec.is_local else (cached_snapshot(spec) or download(spec))
        revision = self._fingerprint(Path(folder)) if spec.is_local else Path(folder).name
        generation = self.generation
        beams = generation.num_beams or default_beams(folder)
        choice = self.choice
        if spec.quantize is not None and self.engine_options.quantize is None:
            choice = dataclasses.replace(self.engine_options, quantize=spec.quantize).resolve()
        memory_key = (
            f"{spec.location}@{revision} {choice.backend}/{choice.compute} "
            f"beams={beams} cap={generation.output_ratio:g}x+{generation.output_extra}"
        )
        return _Resolved(spec, folder, revision, beams, memory_key, choice)

    def load(self, source: str, target: str) -> Engine:
        key = (source, target)
        engine = self._engines.get(key)
        if engine is not None:
            return engine
        resolved = self.resolve(source, target)
        with _LOADING:
            if key not in self._engines:
                # On the calling thread: made on a thread that then ended, a
                # CTranslate2 model decoded the same batches 5-7x slower on the
                # busy 2-core machine (139-165 s against 20-34 s, made on a thread
                # kept alive as fast as on the caller's).
                self._engines[key] = self._open(resolved)
        return self._engines[key]

    @staticmethod
    def converted_folder(resolved: _Resolved) -> Path:
        """Where CTranslate2 keeps its copy of ``resolved``'s model, converted for its compute type."""
        return cache_dir() / "ctranslate2" / f"{_safe(resolved.spec.location)}-{resolved.revision[:16]}-{resolved.choice.compute}"

    def _open(self, resolved: _Resolved) -> Engine:
        # Before the translation stack is imported (seconds), so damaged weights are reported at once.
        damaged = damaged_weights(Path(resolved.folder))
        if damaged:
            fix = ("replace the model folder with a good copy" if resolved.spec.is_local
                   else f"delete {resolved.folder} and run 'unilingo models download'")  # fmt: skip
            raise ModelError(f"model {resolved.spec.name} ({resolved.spec.origin}) has a damaged weights file: {damaged}; {fix}")
        choice = resolved.choice
        try:
            workers = CpuWorkers.plan(choice.threads, self.batch_limits[0], resolved.beams)
            engine = open_engine(resolved.folder, choice, self.converted_folder(resolved), workers)
        except UnilingoError:
            raise
        except Exception as error:  # transformers raises OSError, ValueError, safetensors errors...
            raise ModelError(f"cannot load model {resolved.spec.name} ({resolved.spec.origin}): {_first_line(error)}") from None
        how = f"{choice.describe()}: {workers.describe()}" if engine.workers else choice.describe()
        # A note is auto choosing other than it would have (CTranslate2 kept off the GPU): said, with its fix.
        (log.warning if choice.note else log.info)("loaded %s (%s)", resolved.spec.name, how)
        return engine

    def _spec(self, source: str, target: str) -> ModelSpec:
        spec = self.table.find(source, target)
        if spec is None:
            raise ModelError(f"no model for {source} -> {target} in {self.table.path}: add a line '{source} {target} MODEL'")
        return spec

    def _fingerprint(self, folder: Path) -> str:
        files = sorted(path for pattern in _WEIGHT_FILES for path in folder.glob(pattern) if path.is_file())
        digest = self.memory.file_sha256 if self.memory is not None else sha256_of
        combined = hashlib.sha256()
        for path in files:
            combined.update(f"{path.name}:{digest(path)}\n".encode())
        return combined.hexdigest()

    def _translate_fresh(self, resolved, missing, texts, on_batch, attention=frozenset()) -> dict[str, Translation]:
        engine = self.load(resolved.spec.source, resolved.spec.target)
        # Each text is tokenized once here; only the few over the model's limit are cut and counted again.
        lengths = dict(zip(missing, engine.token_counts(missing)))
        pieces_of = {text: [text] if lengths[text] <= engine.max_input_tokens else _fit(text, engine) for text in missing}
        owners: dict[str, list[str]] = {}
        for text in missing:
            for piece in pieces_of[text]:
                owners.setdefault(piece, []).append(text)
        pieces = list(owners)
        cut = [piece for piece in pieces if piece not in lengths]
        lengths.update(zip(cut, engine.token_counts(cut)))
        waiting = {text: len(pieces_of[text]) for text in missing}
        occurrences = {text: 0 for text in missing}
        for text in texts:
            if text in occurrences:
                occurrences[text] += 1

        def finished(batch: list[int]) -> None:
            done = 0
            for index in batch:
                for text in owners[pieces[index]]:
                    waiting[text] -= 1
                    done += occurrences[text] if waiting[text] == 0 else 0
            if on_batch is not None and done:
                on_batch(done)

        wanted = [piece in attention for piece in pieces]
        outputs = self._generate(engine, resolved.beams, pieces, [lengths[piece] for piece in pieces], finished, wanted)
        by_piece = dict(zip(pieces, outputs))
        translations = {}
        for text in missing:
            parts = [by_piece[piece] for piece in pieces_of[text]]
            # A text cut into pieces has no one alignment head: it is aligned afterwards, if at all.
            head = parts[0].attention if len(parts) == 1 else None
            translations[text] = Translation(" ".join(part.text for part in parts), any(part.looped for part in parts), head)
        return translations

    def _generate(
        self, engine: Engine, beams: int, pieces: list[str], lengths: list[int], finished: Callable[[list[int]], None],
        wanted: list[bool],
    ) -> list[Translation]:  # fmt: skip
        outputs: list[Translation] = [Translation("")] * len(pieces)
        max_sentences, max_tokens = self.batch_limits
        if engine.max_beam_tokens is not None:
            max_tokens = max(1, min(max_tokens, engine.max_beam_tokens // beams))
        for batch in token_batches(lengths, max_sentences, max_tokens):
            budget = self.generation.budget(max(lengths[i] for i in batch), engine.max_input_tokens)
            heads = [wanted[i] for i in batch]
            for index, generated in zip(batch, engine.generate([pieces[i] for i in batch], beams, budget, heads)):
                outputs[index] = Translation(generated.text, runaway(generated.tokens, budget, pieces[index]), generated.attention)
            finished(batch)
        return outputs


def damaged_weights(folder: Path) -> str | None:
    """What is wrong with a safetensors file in ``folder``, read from its header alone; None when nothing is."""
    for path in sorted(folder.glob("*.safetensors")):
        try:
            size = path.stat().st_size
            with open(path, "rb") as handle:
                header_size = int.from_bytes(handle.read(8), "little")
                if size < 8 or header_size > size - 8:
                    return f"{path.name} is cut short or not a safetensors file"
                header = json.loads(handle.read(header_size))
            data_end = max((entry["data_offsets"][1] for name, entry in header.items() if name != "__metadata__"), default=0)
        except (OSError, ValueError, TypeError, KeyError, IndexError) as error:
            return f"{path.name} cannot be read ({type(error).__name__}: {error})"
        if data_end > size - 8 - header_size:
            return f"{path.name} is cut short: its header names more data than the file holds"
    return None


def token_batches(lengths: Sequence[int], max_sentences: int, max_tokens: int) -> list[list[int]]:
    """Indices cut into batches, longest first, each within ``max_sentences`` and ``max_tokens`` padded tokens.

    Sorting by length keeps padding low; the first batch is the one with the
    longest inputs, so a run that would exhaust memory fails at once.
    """
    batches: list[list[int]] = []
    batch: list[int] = []
    for index in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        longest = lengths[batch[0]] if batch else lengths[index]
        if batch and (len(batch) >= max_sentences or (len(batch) + 1) * longest > max_tokens):
            batches.append(batch)
            batch = []
        batch.append(index)
    if batch:
        batches.append(batch)
    return batches


def runaway(tokens: Sequence[str], budget: int, source: str) -> bool:
    """Whether an output looks like a decoder stuck in a loop rather than a translation."""
    # Used up its budget: the last place may be the end token a decoder is forced to emit there.
    if len(tokens) >= budget - 1:
        return True
    compact_source = "".join(source.split())
    for size in range(1, 5):
        run = 0  # positions in a row whose token equals the one ``size`` before it
        for position in range(size, len(tokens)):
            run = run + 1 if tokens[position] == tokens[position - size] else 0
            if run // size + 1 >= _LOOP_REPEATS:
                unit = _text_of(tokens[position - size + 1 : position + 1])
                # Unless the source says it as often itself ("ha ha ha ha", "0 0 0 0").
                if unit * _LOOP_REPEATS not in compact_source:
                    return True
    return False


def _text_of(tokens: Sequence[str]) -> str:
    # SentencePiece marks a word start with U+2581; compare without spaces.
    return "".join(tokens).replace("\u2581", "")


def _fit(text: str, engine: Engine) -> list[str]:
    """``text`` cut at the best available boundaries into pieces the model can take whole."""
    if engine.token_counts([text])[0] <= engine.max_input_tokens:
        return [text]
    for pattern in _SPLIT_POINTS:
        cuts = [match for match in pattern.finditer(text) if 0 < match.start() and match.end() < len(text)]
        if cuts:
            middle = min(cuts, key=lambda match: abs(match.start() - len(text) / 2))
            return _fit(text[: middle.start()], engine) + _fit(text[middle.end() :], engine)
    # One unbroken word longer than the model's limit: halve it rather than drop any of it.
    half = len(text) // 2
    return _fit(text[:half], engine) + _fit(text[half:], engine)


# What a MarianMT model saved with save_pretrained holds besides its weights. Without one, each backend failed in
# its own words: transformers "expected str, bytes or os.PathLike object, not NoneType" for a missing vocabulary.
_MODEL_FILES = ("config.json", "vocab.json", "source.spm", "target.spm")


def _local_folder(spec: ModelSpec) -> str:
    folder = Path(spec.location)
    if not folder.is_dir():
        raise ModelError(
            f"model folder {spec.location} for {spec.source} -> {spec.target} does not exist ({spec.origin}): fix the path"
        )
    missing = [name for name in _MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(
            f"cannot load model {spec.name} ({spec.origin}): {spec.location} has no {missing[0]}; give a MarianMT "
            f"model saved with save_pretrained (config.json, vocab.json, source.spm, target.spm, weights)"
        )
    return spec.location


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "--", name).strip("-")


def cached_snapshot(spec: ModelSpec) -> str | None:
    """The folder of a hub model in the Hugging Face cache, if it is there."""
    from huggingface_hub import snapshot_download

    try:
        return snapshot_download(spec.location, local_files_only=True)
    except Exception:  # LocalEntryNotFoundError and kin: not cached
        return None


def download(spec: ModelSpec) -> str:
    """Fetch a hub model into the Hugging Face cache; its snapshot folder."""
    offline = offline_variable()
    if offline:
        raise ModelError(_not_available(spec, f"{offline} is set"))
    unreachable = _hub_unreachable()
    if unreachable:
        raise ModelError(_not_available(spec, f"the hub cannot be reached ({unreachable})"))
    from huggingface_hub import list_repo_files, snapshot_download

    try:
        # opus-mt repositories hold the weights in several formats; fetch one.
        files = list_repo_files(spec.location)
        weights = "*.safetensors" if any(name.endswith(".safetensors") for name in files) else "pytorch_model.bin"
        return snapshot_download(spec.location, allow_patterns=["*.json", "*.spm", weights])
    except Exception as error:  # huggingface_hub raises HTTP, OS and its own errors
        raise ModelError(f"cannot download {spec.name} ({spec.origin}): {_first_line(error)}") from None


def _hub_unreachable() -> str | None:
    """Why the hub cannot be reached, found with one short connection attempt.

    huggingface_hub retries a failed connection five times with back-off; on a
    machine without network that is half a minute of noise before the error.
    """
    import socket
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    endpoint = urlsplit(constants.ENDPOINT)
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        socket.create_connection((endpoint.hostname, port), timeout=5).close()
    except OSError as error:
        return f"{endpoint.hostname}:{port}: {error.strerror or error}"
    return None


def _not_available(spec: ModelSpec, why: str) -> str:
    # The bundled models file lives inside the installed package: point at one of the user's own instead.
    return (
        f"model {spec.name} ({spec.source} -> {spec.target}, {spec.origin}) is not in the Hugging Face cache and "
        f"cannot be downloaded: {why}; run 'unilingo models download' on a machine with internet "
        f"access and copy its Hugging Face cache here, or use a models file of your own whose line "
        f"'{spec.source} {spec.target} FOLDER' names a local folder ({setting('models')} or {MODELS_ENV}=FILE)"
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
