"""Normalizer: segment, detect, translate and merge, for one text or many."""

from __future__ import annotations

import os
from typing import Callable, Iterable, Iterator, Union

from ._detect import DEFAULT_LOOK_ALIKES, DEFAULT_MIN_CONFIDENCE, Detector
from ._errors import ConfigError
from ._merge import Document, merge
from ._models import ModelTable, load_models
from ._segment import FORMATS, SegmentedText, segment
from ._translate import DEFAULT_BATCH_SIZE, Translator

# A text, or a (text, format) pair when documents of several formats go together.
Source = Union[str, tuple[str, str]]
# Documents whose segments are translated together: large enough to fill
# batches across documents, small enough to stream without holding a corpus.
_WINDOW_SEGMENTS = 4096


class Normalizer:
    """Turns mixed-language documents into ``target``-language ones.

    Models come from a models file (``models``: a path, a loaded ModelTable,
    or None for ``$UNILINGO_MODELS`` or the bundled models.txt) and are loaded
    the first time a document needs them, once. ``also_detect`` are languages
    recognised (and left alone) besides the target and those with a model;
    ``uncertain`` (keep, translate, report) is what happens to segments under
    ``min_confidence``.
    """

    def __init__(
        self,
        target: str = "en",
        models: str | os.PathLike[str] | ModelTable | None = None,
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        also_detect: Iterable[str] = DEFAULT_LOOK_ALIKES,
        uncertain: str = "keep",
        batch_size: int = DEFAULT_BATCH_SIZE,
        num_beams: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, got {batch_size}")
        if num_beams is not None and num_beams < 1:
            raise ConfigError(f"number of beams must be at least 1, got {num_beams}")
        self.models = models if isinstance(models, ModelTable) else load_models(models)
        self.target = target
        self.detector = Detector(
            target, self.models.sources_for(target), min_confidence=min_confidence, also=also_detect, uncertain=uncertain
        )
        self.translator = Translator(self.models, batch_size=batch_size, num_beams=num_beams)

    def detect(self, text: str, format: str = "text") -> Document:
        """What would be translated, and why; the document's text is left as it is."""
        segmented = _segment(text, format)
        return merge(segmented, self.detector.decide(segmented.segments), {}, self.target, {})

    def normalize(self, text: str, format: str = "text") -> Document:
        return next(self.normalize_many([(text, format)]))

    def normalize_many(
        self,
        sources: Iterable[Source],
        format: str = "text",
        *,
        on_translated: Callable[[int], None] | None = None,
    ) -> Iterator[Document]:
        """Normalized documents, in input order, translating segments of many documents in shared batches.

        ``on_translated`` is called with the number of segments each finished batch held.
        """
        window: list[SegmentedText] = []
        size = 0
        for source in sources:
            text, text_format = (source, format) if isinstance(source, str) else source
            window.append(_segment(text, text_format))
            size += len(window[-1].segments)
            if size >= _WINDOW_SEGMENTS:
                yield from self._normalize_window(window, on_translated)
                window, size = [], 0
        yield from self._normalize_window(window, on_translated)

    def _normalize_window(self, window: list[SegmentedText], on_translated) -> Iterator[Document]:
        decisions = [self.detector.decide(segmented.segments) for segmented in window]
        wanted: dict[str, list[tuple[int, int, str]]] = {}
        for doc_index, (segmented, doc_decisions) in enumerate(zip(window, decisions)):
            for seg_index, (seg, decision) in enumerate(zip(segmented.segments, doc_decisions)):
                if decision.action == "translate":
                    wanted.setdefault(decision.lang, []).append((doc_index, seg_index, seg.text))
        outputs: list[dict[int, str]] = [{} for _ in window]
        used: list[dict[str, str]] = [{} for _ in window]
        for lang, requests in wanted.items():
            model_name = self.translator.load(lang, self.target).spec.name
            translations = self.translator.translate(lang, self.target, [text for _, _, text in requests], on_translated)
            for (doc_index, seg_index, _), translation in zip(requests, translations):
                outputs[doc_index][seg_index] = translation
                used[doc_index][lang] = model_name
        for segmented, doc_decisions, doc_outputs, doc_models in zip(window, decisions, outputs, used):
            yield merge(segmented, doc_decisions, doc_outputs, self.target, doc_models)


def _segment(text: str, format: str) -> SegmentedText:
    if format not in FORMATS:
        raise ConfigError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    return segment(text, format)
