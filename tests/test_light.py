"""The torch-free CTranslate2 path: tokenizer, checkpoint readers and converter against transformers' own.

transformers and torch stay in the test extra only to be compared with here.
"""

from __future__ import annotations

import filecmp
import json
import os
import pickle
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURE_MODEL, FIXTURE_MODELS, FIXTURES, read_pairs
from unilingo import ModelError, load_models
from unilingo._checkpoint import read_torch_zip
from unilingo._convert import convert_marian
from unilingo._engines import EngineOptions, open_engine
from unilingo._pieces import SentencePieceTokenizer
from unilingo._translate import Translator

MARKUP = [line.split("\t")[:2] for line in (FIXTURES / "markup.de-en.tsv").read_text(encoding="utf-8").splitlines() if line]
TRICKY = [
    "", " ", "  zwei  Leerzeichen  ", "\t\n", "12.345,67 € 1/2 3:0", "?!...;:«»„“”–—", "Ünïcödé ß ẞ 🙂 ☃ 𝔘 \u200b",
    "literal </s> and <unk><pad> tokens", ">>de<< a language code", ">>xx<<", "mid >>en<< code", "</s>>>de<<x",
    "Niemand wurde verletzt. " * 40,
]
# Helsinki-NLP/opus-mt-de-en's config.json (the architecture), its widths scaled down eightfold for the test's speed;
# the vocabulary is the fixture's, whose tokenizer files the model is paired with.
OPUS_SHAPE = {
    "activation_function": "swish", "d_model": 64, "encoder_layers": 6, "decoder_layers": 6,
    "encoder_attention_heads": 8, "decoder_attention_heads": 8, "encoder_ffn_dim": 256, "decoder_ffn_dim": 256,
    "max_position_embeddings": 512, "scale_embedding": True, "share_encoder_decoder_embeddings": True,
    "static_position_embeddings": True, "normalize_before": False, "normalize_embedding": False,
    "add_final_layer_norm": False, "eos_token_id": 0, "forced_eos_token_id": 0, "bos_token_id": 0,
}  # fmt: skip


def _marian_tokenizer(folder=FIXTURE_MODEL):
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(str(folder))


def test_token_ids_and_pieces_equal_marian_tokenizers():
    reference, ours = _marian_tokenizer(), SentencePieceTokenizer(FIXTURE_MODEL)
    sources = [de for de, _ in read_pairs()] + [de for de, _ in MARKUP] + TRICKY
    targets = [en for _, en in read_pairs()] + [en for _, en in MARKUP] + TRICKY
    assert ours(sources).input_ids == reference(sources).input_ids
    assert ours(text_target=targets).input_ids == reference(text_target=targets).input_ids
    for ids in reference(sources).input_ids + reference(text_target=targets).input_ids:
        pieces = reference.convert_ids_to_tokens(ids)
        assert ours.convert_ids_to_tokens(ids) == pieces
        assert ours.convert_tokens_to_string(pieces) == reference.convert_tokens_to_string(pieces)
    assert ours.all_special_tokens == reference.all_special_tokens
    assert ours.model_max_length == reference.model_max_length == 40
    assert any(1 in ids[:-1] for ids in ours(TRICKY).input_ids)  # some tricky inputs do meet <unk>


def _transformers_converted(folder: Path, output: Path, quantization: str | None) -> Path:
    from ctranslate2.converters import TransformersConverter

    TransformersConverter(str(folder)).convert(str(output), quantization=quantization)
    return output


def _translations(converted: Path, folder: Path, sources: list[str]) -> list[list[str]]:
    import ctranslate2

    tokenizer = SentencePieceTokenizer(folder)
    translator = ctranslate2.Translator(str(converted), compute_type="default", intra_threads=1)
    pieces = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(sources).input_ids]
    return [result.hypotheses[0] for result in translator.translate_batch(pieces, beam_size=4, max_decoding_length=40)]


def _assert_same_model(folder: Path, tmp_path: Path, quantization: str | None) -> None:
    expected = _transformers_converted(folder, tmp_path / f"transformers-{quantization}", quantization)
    ours = tmp_path / f"ours-{quantization}"
    convert_marian(folder, ours, quantization)
    assert sorted(path.name for path in ours.iterdir()) == sorted(path.name for path in expected.iterdir())
    for path in expected.iterdir():
        assert filecmp.cmp(path, ours / path.name, shallow=False), path.name
    sources = [de for de, _ in read_pairs()] + [de for de, _ in MARKUP]
    assert _translations(ours, folder, sources) == _translations(expected, folder, sources)


def _as_pytorch_bin(folder: Path, into: Path) -> Path:
    """The model in ``folder`` saved as transformers' older checkpoints are: a pytorch_model.bin, no safetensors."""
    import torch
    from transformers import MarianMTModel

    shutil.copytree(folder, into)
    (into / "model.safetensors").unlink()
    torch.save(MarianMTModel.from_pretrained(str(folder)).state_dict(), into / "pytorch_model.bin")
    return into


@pytest.mark.parametrize("checkpoint", ["model.safetensors", "pytorch_model.bin"])
@pytest.mark.parametrize("quantization", [None, "int8"])
def test_the_fixture_converts_to_the_same_model_as_transformers_converter(checkpoint, quantization, tmp_path):
    folder = FIXTURE_MODEL if checkpoint == "model.safetensors" else _as_pytorch_bin(FIXTURE_MODEL, tmp_path / "bin")
    _assert_same_model(folder, tmp_path, quantization)


def test_a_random_model_of_opus_mt_shape_converts_to_the_same_model(tmp_path):
    import torch
    from transformers import MarianConfig, MarianMTModel

    vocab = json.loads((FIXTURE_MODEL / "vocab.json").read_text(encoding="utf-8"))
    pad = len(vocab) - 1
    config = MarianConfig(**OPUS_SHAPE, vocab_size=len(vocab), decoder_vocab_size=len(vocab), pad_token_id=pad,
                          decoder_start_token_id=pad)  # fmt: skip
    torch.manual_seed(22)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()
        # Real models carry zeros here; random values check that a bias reaches the projection as it should.
        model.final_logits_bias.normal_()
    folder = tmp_path / "opus-shape"
    model.save_pretrained(str(folder))
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        shutil.copy(FIXTURE_MODEL / name, folder / name)
    _assert_same_model(folder, tmp_path, "int8")
    _assert_same_model(_as_pytorch_bin(folder, tmp_path / "opus-shape-bin"), tmp_path / "bin", None)


def _torch_zip(tmp_path: Path, payload: bytes) -> Path:
    path = tmp_path / "pytorch_model.bin"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", payload)
        archive.writestr("archive/data/0", struct.pack("<4f", 1, 2, 3, 4))
    return path


def _text(value: str) -> bytes:
    return b"X" + struct.pack("<I", len(value)) + value.encode()


def _tensor_pickle(offset: int, size: tuple[int, ...], stride: tuple[int, ...]) -> bytes:
    """{"weight": a tensor over storage 0 (4 floats)}, in the opcodes torch.save writes, without torch."""
    storage = b"(" + _text("storage") + b"ctorch\nFloatStorage\n" + _text("0") + _text("cpu") + b"K\x04tQ"
    numbers = lambda values: b"(" + b"".join(b"K" + bytes([n]) for n in values) + b"t"  # noqa: E731
    call = b"(" + storage + b"K" + bytes([offset]) + numbers(size) + numbers(stride) + b"\x89Nt"
    return b"\x80\x02}" + _text("weight") + b"ctorch._utils\n_rebuild_tensor_v2\n" + call + b"Rs."


def test_a_torch_checkpoint_is_read_without_torch(tmp_path):
    # A transposed view, as a checkpoint may hold: storage 1 2 3 4 read column by column.
    weight = read_torch_zip(_torch_zip(tmp_path, _tensor_pickle(0, (2, 2), (1, 2))))["weight"]
    assert weight.dtype == "float32" and weight.tolist() == [[1, 3], [2, 4]]


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > evil",))


def test_a_pickle_that_names_any_other_global_is_refused_before_it_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"not a readable PyTorch checkpoint: it names (posix|os|nt)\.system"):
        read_torch_zip(_torch_zip(tmp_path, pickle.dumps({"weight": _Evil()})))
    assert not (tmp_path / "evil").exists()


def test_a_tensor_reaching_past_its_storage_is_refused(tmp_path):
    with pytest.raises(ValueError, match="reaches past the end of its storage"):
        read_torch_zip(_torch_zip(tmp_path, _tensor_pickle(2, (4,), (1,))))


_BLOCKED_RUN = """
import importlib.abc, json, sys

class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers"):
            raise ImportError(f"{name} is blocked")
        return None

sys.meta_path.insert(0, Blocked())
from unilingo import load_models
from unilingo._engines import EngineOptions
from unilingo._translate import Translator

request = json.loads(sys.stdin.read())
translator = Translator(load_models(request["models"]), engine=EngineOptions(), memory=None)
texts = [t.text for t in translator.translate("de", "en", request["sources"])]
alignments = translator.word_alignments("de", "en", request["pairs"])
print(json.dumps({"backend": translator.choice.backend, "texts": texts, "alignments": alignments,
                  "imported": sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers"})}))
"""


def test_ctranslate2_translates_and_aligns_with_torch_and_transformers_unimportable(tmp_path):
    pairs = read_pairs()
    request = {"models": str(FIXTURE_MODELS), "sources": [de for de, _ in pairs], "pairs": MARKUP}
    # A cache of its own: the model is converted in the blocked process, not found converted.
    env = {**os.environ, "UNILINGO_CACHE_DIR": str(tmp_path)}
    completed = subprocess.run([sys.executable, "-c", _BLOCKED_RUN], input=json.dumps(request), capture_output=True,
                               text=True, env=env, timeout=300)  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["backend"] == "ctranslate2" and result["imported"] == []
    assert list((tmp_path / "ctranslate2").glob("*/model.bin"))
    assert result["texts"] == [en for _, en in pairs]
    # The same alignments as with transformers' tokenizer and converter in this process.
    with_stack = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("ctranslate2"), memory=None)
    assert result["alignments"] == with_stack.word_alignments("de", "en", [tuple(pair) for pair in MARKUP])
    assert all(result["alignments"])


def test_auto_picks_ctranslate2_without_transformers_and_names_both_extras_when_neither_is_there(monkeypatch):
    missing = {"transformers", "torch"}
    monkeypatch.setattr("unilingo._engines._installed", lambda module: module not in missing)
    assert EngineOptions().resolve().backend == "ctranslate2"
    # Without cuBLAS 12 on a GPU machine, auto stays with CTranslate2 on the CPU when transformers is not there.
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    monkeypatch.setattr("unilingo._engines.load_cublas", lambda: "libcublas.so.12 (cuBLAS of CUDA 12) is missing")
    on_cpu = EngineOptions().resolve()
    assert (on_cpu.backend, on_cpu.device) == ("ctranslate2", "cpu") and "libcublas.so.12" in on_cpu.describe()
    missing.add("ctranslate2")
    monkeypatch.setitem(sys.modules, "transformers", None)
    choice = EngineOptions(device="cpu").resolve()
    assert choice.backend == "transformers"
    with pytest.raises(ModelError, match=r"none is installed: pip install 'unilingo\[fast\]'.*'unilingo\[translate\]'"):
        open_engine(str(FIXTURE_MODEL), choice, Path("/nowhere"))


def test_a_model_without_weights_or_not_marian_is_named(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, folder)
    (folder / "model.safetensors").unlink()
    with pytest.raises(ValueError, match="neither model.safetensors nor pytorch_model.bin"):
        convert_marian(folder, tmp_path / "out", None)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "model_type": "bart"}))
    with pytest.raises(ValueError, match="not a MarianMT model"):
        convert_marian(folder, tmp_path / "out", None)

