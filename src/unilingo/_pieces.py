"""MarianMT tokenization with sentencepiece and the model's vocab.json alone, no transformers.

It reproduces what transformers' ``MarianTokenizer`` does for a model with one
vocabulary shared by source and target (every opus-mt model unilingo lists):
the text is cut at the tokenizer's added tokens (``</s>``, ``<unk>``,
``<pad>`` written literally), a leading ``>>xx<<`` language code is kept as
one token, the rest goes through ``source.spm`` (``target.spm`` for targets),
a piece missing from ``vocab.json`` becomes ``<unk>``, and ``</s>`` ends
every sequence. The class offers the part of ``MarianTokenizer``'s interface
the CTranslate2 engine uses, so the engine reads the same either way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ._errors import setting

_WORD_START = "\u2581"  # SentencePiece's mark for a space before a piece


@dataclass(frozen=True)
class Encoded:
    input_ids: list[list[int]]


class SentencePieceTokenizer:
    def __init__(self, folder: str | Path) -> None:
        import sentencepiece

        folder = Path(folder)
        config = _json(folder / "tokenizer_config.json", required=False)
        if config.get("separate_vocabs"):
            raise ValueError(f"{folder} has separate source and target vocabularies, which the CTranslate2 backend does not read: use {setting('backend', 'transformers')}")  # fmt: skip
        self.vocab: dict[str, int] = _json(folder / "vocab.json", required=True)
        self.unk_token = config.get("unk_token") or "<unk>"
        self.eos_token = config.get("eos_token") or "</s>"
        self.pad_token = config.get("pad_token") or "<pad>"
        if self.unk_token not in self.vocab:
            raise ValueError(f"{folder / 'vocab.json'} has no {self.unk_token} token")
        extra = config.get("additional_special_tokens") or list(config.get("extra_special_tokens") or [])
        self.all_special_tokens = list(dict.fromkeys([self.eos_token, self.unk_token, self.pad_token, *extra]))
        # Tokens the tokenizer added on top of vocab.json, each with its id; a literal one in a text stays whole.
        self.added = {entry["content"]: int(index) for index, entry in (config.get("added_tokens_decoder") or {}).items()}
        self._id_to_token = {index: token for token, index in self.vocab.items()}
        self._id_to_token.update({index: token for token, index in self.added.items()})
        splitters = sorted({*self.added, *self.all_special_tokens}, key=len, reverse=True)
        self._split = re.compile("(" + "|".join(map(re.escape, splitters)) + ")")
        self.model_max_length = int(config.get("model_max_length") or 512)
        try:
            self._source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
            self._target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        except (OSError, RuntimeError) as error:
            raise ValueError(f"cannot read the SentencePiece models in {folder}: {error}") from None

    def __call__(self, text: Sequence[str] | None = None, text_target: Sequence[str] | None = None) -> Encoded:
        """Token ids of each text, with ``</s>`` at the end: of sources, or with ``text_target`` of targets."""
        texts, model = (text, self._source) if text_target is None else (text_target, self._target)
        return Encoded([self._ids(item, model) for item in texts or ()])

    def vocabulary(self) -> list[str]:
        """Every token, in the order of its id."""
        tokens = {**self.vocab, **self.added}
        return [token for token, _ in sorted(tokens.items(), key=lambda item: item[1])]

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        return [self._id_to_token.get(index, self.unk_token) for index in ids]

    def convert_tokens_to_string(self, tokens: Sequence[str]) -> str:
        # As MarianTokenizer: special tokens are kept, each followed by a space, between decoded runs.
        special = set(self.all_special_tokens)
        text, run = "", []
        for token in tokens:
            if token in special:
                text += self._target.decode_pieces(run) + token + " "
                run = []
            else:
                run.append(token)
        text += self._target.decode_pieces(run)
        return text.replace(_WORD_START, " ").strip()

    def _ids(self, text: str, model) -> list[int]:
        ids = []
        for chunk in self._split.split(text):
            if not chunk:
                continue
            if chunk in self.added or chunk in self.all_special_tokens:
                ids.append(self._id(chunk))
                continue
            end = chunk.find("<<") if chunk.startswith(">>") else -1
            if end != -1:
                ids.append(self._id(chunk[: end + 2]))
                chunk = chunk[end + 2 :]
            ids.extend(self._id(piece) for piece in model.encode(chunk, out_type=str))
        ids.append(self._id(self.eos_token))
        return ids

    def _id(self, token: str) -> int:
        if token in self.added:
            return self.added[token]
        return self.vocab.get(token, self.vocab[self.unk_token])


def _json(path: Path, required: bool) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if required:
            raise ValueError(f"{path} is missing") from None
        return {}
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {path}: {error}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{path} is not a JSON object")
    return value
