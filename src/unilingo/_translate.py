"""Translator: MarianMT models through transformers, loaded lazily and once."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ._errors import ModelError
from ._models import ModelSpec, ModelTable

DEFAULT_BATCH_SIZE = 16
# Where an over-long input may be cut, best first; the last resort is any space.
_SPLIT_POINTS = (re.compile(r"(?<=[;:])\s+"), re.compile(r"(?<=,)\s+"), re.compile(r"\s+[–—-]\s+"), re.compile(r"\s+"))


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().upper() in ("1", "ON", "YES", "TRUE")


@dataclass
class LoadedModel:
    spec: ModelSpec
    tokenizer: Any
    model: Any
    max_input_tokens: int


class Translator:
    """Translates batches of segments with the models of a ModelTable.

    A model is loaded the first time its language pair is asked for and kept
    for the life of the Translator.
    """

    def __init__(self, table: ModelTable, *, batch_size: int = DEFAULT_BATCH_SIZE, num_beams: int | None = None):
        self.table = table
        self.batch_size = batch_size
        self.num_beams = num_beams
        self._loaded: dict[tuple[str, str], LoadedModel] = {}

    def translate(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None = None,
    ) -> list[str]:
        """Translations of ``texts`` in order; duplicates are translated once."""
        if not texts:
            return []
        loaded = self.load(source, target)
        unique = list(dict.fromkeys(texts))
        pieces_of = {text: _fit(text, loaded) for text in unique}
        pieces = list(dict.fromkeys(piece for text in unique for piece in pieces_of[text]))
        translated = dict(zip(pieces, self._generate(loaded, pieces, on_batch)))
        return [" ".join(translated[piece] for piece in pieces_of[text]) for text in texts]

    def load(self, source: str, target: str) -> LoadedModel:
        key = (source, target)
        if key not in self._loaded:
            spec = self.table.find(source, target)
            if spec is None:
                raise ModelError(f"no model for {source} -> {target} in {self.table.path}: add a line '{source} {target} MODEL'")
            self._loaded[key] = _load(spec, self.table.path)
        return self._loaded[key]

    def _generate(self, loaded: LoadedModel, pieces: list[str], on_batch: Callable[[int], None] | None) -> list[str]:
        import torch

        tokenizer, model = loaded.tokenizer, loaded.model
        lengths = [len(ids) for ids in tokenizer(pieces).input_ids]
        # Longest first, so a batch pads little and the first batch shows the peak memory.
        order = sorted(range(len(pieces)), key=lambda index: -lengths[index])
        outputs: list[str] = [""] * len(pieces)
        for first in range(0, len(order), self.batch_size):
            indices = order[first : first + self.batch_size]
            batch = tokenizer([pieces[i] for i in indices], return_tensors="pt", padding=True)
            longest = max(lengths[i] for i in indices)
            options: dict[str, Any] = {"max_new_tokens": _output_budget(longest, model)}
            if self.num_beams is not None:
                options["num_beams"] = self.num_beams
            with torch.inference_mode():
                generated = model.generate(**batch, **options)
            for index, text in zip(indices, tokenizer.batch_decode(generated, skip_special_tokens=True)):
                outputs[index] = text
            if on_batch is not None:
                on_batch(len(indices))
        return outputs


def _output_budget(input_tokens: int, model: Any) -> int:
    # Translations run longer than their source, but not 3x; the cap stops a
    # looping decoder without cutting a real sentence.
    ceiling = model.generation_config.max_length or 512
    return max(8, min(ceiling, 3 * input_tokens + 10))


def _fit(text: str, loaded: LoadedModel) -> list[str]:
    """``text`` cut at the best available boundaries into pieces the model can take whole."""

    def token_count(piece: str) -> int:
        return len(loaded.tokenizer(piece).input_ids)

    if token_count(text) <= loaded.max_input_tokens:
        return [text]
    for pattern in _SPLIT_POINTS:
        cuts = [match for match in pattern.finditer(text) if 0 < match.start() and match.end() < len(text)]
        if cuts:
            middle = min(cuts, key=lambda match: abs(match.start() - len(text) / 2))
            return _fit(text[: middle.start()], loaded) + _fit(text[middle.end() :], loaded)
    # One unbroken word longer than the model's limit: halve it rather than drop any of it.
    half = len(text) // 2
    return _fit(text[:half], loaded) + _fit(text[half:], loaded)


def _load(spec: ModelSpec, models_path: str) -> LoadedModel:
    try:
        import transformers
    except ImportError:
        raise ModelError(
            "translating needs the translation stack, which is not installed: "
            "pip install 'unilingo[translate]' (on a CPU-only machine, pip install torch==2.13.0 first)"
        ) from None
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    if spec.is_local:
        if not Path(spec.location).is_dir():
            raise ModelError(
                f"model folder {spec.location} for {spec.source} -> {spec.target} does not exist "
                f"({spec.origin}): fix the path in {models_path}"
            )
        folder = spec.location
    else:
        folder = cached_snapshot(spec) or download(spec)
    return _from_pretrained(folder, spec)


def cached_snapshot(spec: ModelSpec) -> str | None:
    """The folder of a hub model in the Hugging Face cache, if it is there."""
    from huggingface_hub import snapshot_download

    try:
        return snapshot_download(spec.location, local_files_only=True)
    except Exception:  # LocalEntryNotFoundError and kin: not cached
        return None


def download(spec: ModelSpec) -> str:
    """Fetch a hub model into the Hugging Face cache; its snapshot folder."""
    if hub_offline():
        raise ModelError(_not_available(spec, "HF_HUB_OFFLINE is set"))
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
    return (
        f"model {spec.name} ({spec.source} -> {spec.target}) is not in the Hugging Face cache and "
        f"cannot be downloaded: {why}; run 'unilingo models download' on a machine with internet "
        f"access and copy its Hugging Face cache here, or change {spec.origin} to a local folder"
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _from_pretrained(folder: str, spec: ModelSpec) -> LoadedModel:
    from transformers import MarianMTModel, MarianTokenizer

    try:
        tokenizer = MarianTokenizer.from_pretrained(folder, local_files_only=True)
        model = MarianMTModel.from_pretrained(folder, local_files_only=True, trust_remote_code=False).eval()
    except Exception as error:  # transformers raises OSError, ValueError, safetensors errors...
        raise ModelError(f"cannot load model {spec.name} ({spec.origin}): {_first_line(error)}") from None
    limit = min(tokenizer.model_max_length, model.config.max_position_embeddings)
    return LoadedModel(spec, tokenizer, model, max_input_tokens=limit)
