"""A MarianMT model with the real Helsinki-NLP/opus-mt-de-en shape and random weights.

The real weights cannot be downloaded here, but speed depends only on the
shape: the same layers, widths and 58,101-way output projection cost the same
per token whatever the weights hold. This builds, once, into
``benchmarks/.build/opus-mt-de-en-shape/``:

- ``config.json`` / ``generation_config.json`` / tokenizer settings copied
  from ``../shared/reference/opus-mt-de-en/``;
- a SentencePiece model trained on the German and English dev text (the real
  vocabulary is 58,101 pieces; the pieces the dev text cannot support are
  filled with placeholders so the embedding and output shapes stay real);
- seeded random weights, with the end-of-sentence logit pushed down so every
  configuration decodes exactly the output length it is given.

    python benchmarks/opus_shape.py      # prints the folder, building it if needed
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
REFERENCE = SHARED / "reference" / "opus-mt-de-en"
DEV = SHARED / "data" / "langid-dev"
FOLDER = HERE / ".build" / "opus-mt-de-en-shape"
SEED = 20261125
SPM_PIECES = 16000
REFERENCE_FILES = ("config.json", "generation_config.json", "special_tokens_map.json", "tokenizer_config.json")


def dev_text(*names: str) -> list[str]:
    return [line for name in names for line in (DEV / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def build(folder: Path = FOLDER) -> Path:
    """The model folder, built if it is not there yet."""
    if (folder / "model.safetensors").exists():
        return folder
    import sentencepiece
    import torch
    from transformers import MarianConfig, MarianMTModel

    work = folder.with_name(folder.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in REFERENCE_FILES:
        shutil.copy(REFERENCE / name, work / name)
    config = MarianConfig.from_pretrained(work)

    sentences = dev_text(
        "tatoeba.deu-eng.de.txt", "tatoeba.deu-eng.en.txt",
        "flores200-devtest-first506.deu.txt", "flores200-devtest-first506.eng.txt",
    )  # fmt: skip
    spm = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=spm,
        model_type="unigram",
        vocab_size=SPM_PIECES,
        hard_vocab_limit=False,
        character_coverage=1.0,
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        num_threads=2,
        minloglevel=2,
    )
    (work / "source.spm").write_bytes(spm.getvalue())
    (work / "target.spm").write_bytes(spm.getvalue())
    processor = sentencepiece.SentencePieceProcessor(model_proto=spm.getvalue())
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in (processor.id_to_piece(i) for i in range(processor.get_piece_size())):
        vocab.setdefault(piece, len(vocab))
    pad = config.pad_token_id
    for filler in range(len(vocab), pad):
        vocab[f"<unused{filler}>"] = filler
    vocab["<pad>"] = pad
    assert len(vocab) == config.vocab_size, (len(vocab), config.vocab_size)
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        # No sentence ever ends early: each engine decodes exactly its length budget.
        model.final_logits_bias[0, config.eos_token_id] = -1e4
    model.save_pretrained(work)
    shutil.rmtree(folder, ignore_errors=True)
    work.rename(folder)
    return folder


if __name__ == "__main__":
    if not REFERENCE.is_dir():
        sys.exit(f"{REFERENCE} is missing: the benchmarks need ../shared/ beside the checkout")
    print(build())
