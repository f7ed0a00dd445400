"""A MarianMT checkpoint converted to CTranslate2 without torch or transformers.

CTranslate2's own TransformersConverter loads the model with transformers (so
with torch) only to read its weights; this fills the same Transformer
specification from the arrays of ``_checkpoint``, weight for weight as its
MarianMT loader (ctranslate2/converters/transformers.py, MarianMTLoader and
BartLoader) does, so the converted model is the same.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from ._checkpoint import read_weights
from ._errors import setting
from ._pieces import SentencePieceTokenizer

# transformers' activation names, as CTranslate2's converter maps them.
_ACTIVATIONS = {"gelu": "GELU", "gelu_fast": "GELUTanh", "gelu_new": "GELUTanh", "gelu_python": "GELU",
                "gelu_pytorch_tanh": "GELUTanh", "quick_gelu": "GELUSigmoid", "relu": "RELU", "silu": "SWISH",
                "swish": "SWISH"}  # fmt: skip


def convert_marian(folder: str | Path, output_dir: str | Path, quantization: str | None) -> None:
    """Write the CTranslate2 model of the MarianMT model in ``folder`` to ``output_dir``, which must not exist."""
    folder = Path(folder)
    spec = _marian_spec(folder)
    spec.validate()
    spec.optimize(quantization=quantization)
    Path(output_dir).mkdir(parents=True)
    spec.save(str(output_dir))


def _marian_spec(folder: Path):
    # Where torch is installed, this import loads it (CTranslate2's specs accept torch tensors too); unused here.
    from ctranslate2.specs import common_spec, transformer_spec

    config = _config(folder)
    weights = _Weights(read_weights(folder), folder, config)
    tokenizer = SentencePieceTokenizer(folder)
    activation = config["activation_function"]
    if activation not in _ACTIVATIONS:
        raise ValueError(f"{folder}: CTranslate2 has no activation {activation!r}")
    spec = transformer_spec.TransformerSpec.from_config(
        (config["encoder_layers"], config["decoder_layers"]),
        config["encoder_attention_heads"],
        pre_norm=False,
        activation=getattr(common_spec.Activation, _ACTIVATIONS[activation]),
        layernorm_embedding=False,
    )
    # One matrix, as transformers ties them: source and target embeddings (a shared vocabulary, checked in
    # _config), and the output projection unless the config unties it.
    embeddings = weights.first("model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight")  # fmt: skip
    _common(spec.encoder, config, embeddings, weights.dtype)
    spec.decoder.start_from_zero_embedding = True
    _common(spec.decoder, config, embeddings, weights.dtype)
    for index, layer in enumerate(spec.encoder.layer):
        prefix = f"model.encoder.layers.{index}."
        _attention(layer.self_attention, weights, prefix + "self_attn.", self_attention=True)
        _layer_norm(layer.self_attention.layer_norm, weights, prefix + "self_attn_layer_norm.")
        _feed_forward(layer.ffn, weights, prefix)
    for index, layer in enumerate(spec.decoder.layer):
        prefix = f"model.decoder.layers.{index}."
        _attention(layer.self_attention, weights, prefix + "self_attn.", self_attention=True)
        _layer_norm(layer.self_attention.layer_norm, weights, prefix + "self_attn_layer_norm.")
        _attention(layer.attention, weights, prefix + "encoder_attn.", self_attention=False)
        _layer_norm(layer.attention.layer_norm, weights, prefix + "encoder_attn_layer_norm.")
        _feed_forward(layer.ffn, weights, prefix)
    spec.decoder.projection.weight = embeddings if config["tie_word_embeddings"] else weights.first("lm_head.weight")
    bias = weights.optional("final_logits_bias")
    if bias is not None and bias.any():
        spec.decoder.projection.bias = bias.reshape(-1)
    _remove_pad_row(spec)

    spec.config.eos_token = tokenizer.eos_token
    spec.config.unk_token = tokenizer.unk_token
    # The decoder starts from a zero embedding, whatever its start token.
    spec.config.decoder_start_token = tokenizer.eos_token
    tokens = tokenizer.vocabulary()[: config["vocab_size"]]
    # The pad token only gives transformers that zero embedding; CTranslate2 drops it so it is never generated.
    if tokens[-1] == "<pad>":
        tokens.pop()
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    return spec


class _Weights:
    def __init__(self, tensors: dict[str, np.ndarray], folder: Path, config: dict) -> None:
        # transformers loads the weights in the config's dtype (float32 unless it says float16), as then converted.
        dtype = np.dtype("float16" if (config.get("dtype") or config.get("torch_dtype")) == "float16" else "float32")
        self._tensors = {name: array.astype(dtype) if array.dtype.kind == "f" and array.dtype != dtype else array
                         for name, array in tensors.items()}  # fmt: skip
        self._folder, self.dtype = folder, dtype

    def first(self, *names: str) -> np.ndarray:
        """The first of ``names`` the checkpoint holds."""
        for name in names:
            if name in self._tensors:
                return self._tensors[name]
        raise ValueError(f"{self._folder}: the checkpoint has no tensor {names[0]}")

    def optional(self, name: str) -> np.ndarray | None:
        return self._tensors.get(name)


def _config(folder: Path) -> dict:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {folder / 'config.json'}: {error}") from None
    if config.get("model_type") != "marian":
        raise ValueError(f"{folder} is not a MarianMT model (model_type {config.get('model_type')!r})")
    if not config.get("share_encoder_decoder_embeddings", True):
        raise ValueError(f"{folder} has separate source and target embeddings, which the CTranslate2 backend does not read: use {setting('backend', 'transformers')}")  # fmt: skip
    # MarianConfig's defaults, for configs that leave them out.
    defaults = {"encoder_layers": 12, "decoder_layers": 12, "encoder_attention_heads": 16, "d_model": 1024,
                "max_position_embeddings": 1024, "scale_embedding": False, "vocab_size": 58101,
                "activation_function": "gelu", "tie_word_embeddings": True}  # fmt: skip
    return {**defaults, **config}


def _common(spec, config: dict, embeddings: np.ndarray, dtype: np.dtype) -> None:
    spec.scale_embeddings = math.sqrt(config["d_model"]) if config["scale_embedding"] else 1.0
    spec.position_encodings.encodings = _sinusoids(config["max_position_embeddings"], config["d_model"]).astype(dtype)
    target = spec.embeddings[0] if isinstance(spec.embeddings, list) else spec.embeddings
    target.weight = embeddings


def _sinusoids(positions: int, dim: int) -> np.ndarray:
    """Marian's position encodings, computed (never stored) as transformers' MarianSinusoidalPositionalEmbedding does."""
    angles = np.array([[pos / np.power(10000, 2 * (j // 2) / dim) for j in range(dim)] for pos in range(positions)])
    half = dim // 2 if dim % 2 == 0 else dim // 2 + 1
    out = np.empty((positions, dim), np.float32)
    out[:, :half] = np.sin(angles[:, 0::2])
    out[:, half:] = np.cos(angles[:, 1::2])
    return out


def _linear(spec, weights: _Weights, prefix: str) -> None:
    spec.weight = weights.first(prefix + "weight")
    spec.bias = weights.first(prefix + "bias")


def _layer_norm(spec, weights: _Weights, prefix: str) -> None:
    spec.gamma = weights.first(prefix + "weight")
    spec.beta = weights.first(prefix + "bias")


def _feed_forward(spec, weights: _Weights, prefix: str) -> None:
    _linear(spec.linear_0, weights, prefix + "fc1.")
    _linear(spec.linear_1, weights, prefix + "fc2.")
    _layer_norm(spec.layer_norm, weights, prefix + "final_layer_norm.")


def _attention(spec, weights: _Weights, prefix: str, self_attention: bool) -> None:
    # Queries, keys and values in one matrix for self-attention; queries apart from keys and values for cross-attention.
    parts = [(weights.first(f"{prefix}{name}.weight"), weights.first(f"{prefix}{name}.bias")) for name in ("q_proj", "k_proj", "v_proj")]  # fmt: skip
    groups = [parts] if self_attention else [parts[:1], parts[1:]]
    for linear, group in zip(spec.linear, groups):
        linear.weight = np.concatenate([weight for weight, _ in group])
        linear.bias = np.concatenate([bias for _, bias in group])
    _linear(spec.linear[-1], weights, prefix + "out_proj.")


def _remove_pad_row(spec) -> None:
    """Drop the pad token's row from embeddings and projection, as the vocabulary drops the token."""
    vocabulary = spec.encoder.embeddings[0].weight.shape[0] - 1
    for layer in (spec.encoder.embeddings[0], spec.decoder.embeddings, spec.decoder.projection):
        if layer.weight.shape[0] == vocabulary + 1:
            layer.weight = layer.weight[:-1]
        bias = getattr(layer, "bias", None)  # the projection's, if the checkpoint gives one
        if isinstance(bias, np.ndarray) and bias.shape[0] == vocabulary + 1:
            layer.bias = bias[:-1]
