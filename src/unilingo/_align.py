"""Aligner: which source word each translated word comes from, read off the model's alignment head.

The opus-mt models are Marian ``transformer-align`` models: guided alignment
trained the first cross-attention head of the last decoder layer to point at
the source token each target token translates. CTranslate2 returns that head
with ``return_attention=True``; transformers returns it among its
cross-attentions. As bergamot-translator does, each target token is aligned
with its strongest source token, and a word takes the alignment of its most
confident token, so a word is never split between two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

# SentencePiece marks a word start with this.
WORD_START = "\u2581"


@dataclass(frozen=True)
class Attention:
    """One sentence pair as the model saw it: pieces on both sides, and per target piece its weights over the source pieces."""

    source_pieces: tuple[str, ...]  # the end-of-sentence token included, where the model has one
    target_pieces: tuple[str, ...]
    weights: tuple[tuple[float, ...], ...]


def word_of_pieces(pieces: Sequence[str]) -> list[int]:
    """The whitespace word each piece belongs to; a piece starting with U+2581 starts one."""
    words, word = [], -1
    for piece in pieces:
        if piece.startswith(WORD_START) or word < 0:
            word += 1
        words.append(word)
    return words


def word_alignment(attention: Attention, source: str, target: str, special: frozenset[str]) -> list[int] | None:
    """For each whitespace word of ``target``, the whitespace word of ``source`` it aligns with.

    None when the pieces do not map onto the words of the texts (a tokenizer
    that normalizes spacing, say): then nothing can be placed by alignment.
    """
    source_columns = [i for i, piece in enumerate(attention.source_pieces) if piece not in special]
    source_words = word_of_pieces([attention.source_pieces[i] for i in source_columns])
    target_rows = [i for i, piece in enumerate(attention.target_pieces) if piece not in special]
    target_words = word_of_pieces([attention.target_pieces[i] for i in target_rows])
    if (source_words[-1] + 1 if source_words else 0) != len(source.split()):
        return None
    if (target_words[-1] + 1 if target_words else 0) != len(target.split()) or len(attention.weights) < len(attention.target_pieces):
        return None
    best: dict[int, tuple[float, int]] = {}  # target word -> (weight, source word) of its most confident piece
    for row, word in zip(target_rows, target_words):
        weights = attention.weights[row]
        column = max(range(len(source_columns)), key=lambda k: weights[source_columns[k]])
        weight = weights[source_columns[column]]
        if word not in best or weight > best[word][0]:
            best[word] = (weight, source_words[column])
    return [best[word][1] for word in range(len(target.split()))]
