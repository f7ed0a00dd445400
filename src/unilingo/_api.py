"""Normalizer: segment, detect, translate and merge, for one text or many."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, Union

from ._align import word_alignment
from ._decision import UNVERIFIED_REASON, Action, Rejection, Why
from ._detect import DEFAULT_LOOK_ALIKES, DEFAULT_MIN_CONFIDENCE, Detector, known_languages
from ._errors import ConfigError, InputError, UnilingoError, excerpt, setting
from . import formats
from ._document import INLINE_MARK, Segment, SegmentedText
from ._frontmatter import DEFAULT_KEYS as FRONT_MATTER_KEYS
from ._glossary import Glossary, load_glossary
from ._inline import PlacedSpan, escape_output, fill_terms, in_pieces, made_up_placeholder, needs_alignment, place
from ._merge import Document, SegmentResult, inline_originals, merge
from ._models import ModelTable, load_models
from ._segment import segment
from ._engines import EngineOptions
from ._memory import TranslationMemory
from ._translate import Generation, Translation, Translator
from ._verify import reads_as_original
from ._windows import WINDOW_CHARS, count_line_breaks

# A text, or a (text, format) pair when documents of several formats go together.
Source = Union[str, tuple[str, str]]
# Documents whose segments are translated together: large enough to fill
# batches across documents, small enough to stream without holding a corpus.
_WINDOW_SEGMENTS = 4096
# Records read before their fields are translated together and written out.
_WINDOW_RECORDS = 256
ON_ERROR = ("skip", "fail", "keep")
# The field normalize_records adds to each record: what was done to its fields.
SUMMARY_FIELD = "unilingo"


# Every sentence decodes this many hypotheses at once: a billion spent a minute allocating before the engine failed.
# Beam search gains nothing past a few dozen (opus-mt uses 4).
MAX_BEAMS = 128

class Normalizer:
    """Turns mixed-language documents into ``target``-language ones.

    Models come from a models file (``models``: a path, a loaded ModelTable,
    or None for ``$UNILINGO_MODELS`` or the bundled models.txt) and are loaded
    the first time a document needs them, once. ``also_detect`` are languages
    recognised (and left alone) besides the target and those with a model;
    ``uncertain`` (keep, translate, report) is what happens to segments under
    ``min_confidence``.

    Segments go to the model in batches of at most ``batch_size`` sentences
    and ``batch_tokens`` padded input tokens (None: 32 and 1,536 on a CPU,
    256 and 16,384 on a GPU); ``engine`` picks backend,
    device, quantization and threads, ``generation`` the beam size and output
    cap. Translations are remembered in the translation memory ``cache``: True
    for the user cache folder (``$UNILINGO_CACHE_DIR`` to move it), a path for
    that SQLite file, False for none; it keeps language guesses too.
    ``glossary`` (a TSV file or a Glossary) names terms kept as they are or
    always translated one way, in every language pair into the target.
    ``front_matter_keys`` are the front-matter keys whose values are translated.
    """

    def __init__(
        self,
        target: str = "en",
        models: str | os.PathLike[str] | ModelTable | None = None,
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        also_detect: Iterable[str] = DEFAULT_LOOK_ALIKES,
        uncertain: str = "keep",
        batch_size: int | None = None,
        batch_tokens: int | None = None,
        engine: EngineOptions = EngineOptions(),
        generation: Generation = Generation(),
        cache: bool | str | os.PathLike[str] = True,
        glossary: str | os.PathLike[str] | Glossary | None = None,
        front_matter_keys: Iterable[str] = FRONT_MATTER_KEYS,
    ) -> None:
        if batch_size is not None and batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, got {batch_size}")
        if batch_tokens is not None and batch_tokens < 1:
            raise ConfigError(f"batch tokens must be at least 1, got {batch_tokens}")
        if generation.num_beams is not None and not 1 <= generation.num_beams <= MAX_BEAMS:
            raise ConfigError(f"number of beams must be from 1 to {MAX_BEAMS}, got {generation.num_beams}")
        # NaN or infinity would reach int() in the output cap, at the first batch, as a ValueError.
        if not 0 <= generation.output_ratio < float("inf"):
            raise ConfigError(f"output ratio must be a finite number of at least 0, got {generation.output_ratio}")
        self.models = models if isinstance(models, ModelTable) else load_models(models)
        self.glossary = glossary if isinstance(glossary, Glossary) or glossary is None else load_glossary(glossary)
        self.front_matter_keys = tuple(front_matter_keys)
        self.target = target
        known = set(known_languages())
        # The detector's own check names the code alone; a models-file line is named here, for the user to find it.
        for spec in self.models.specs:
            if spec.target == target and spec.source not in known:
                raise ConfigError(f"{spec.origin}: unknown language {spec.source!r}: use an ISO 639-1 code langid knows, such as 'de'")
        memory = None if cache is False else TranslationMemory(None if cache is True else Path(cache))
        self.detector = Detector(
            target,
            self.models.sources_for(target),
            min_confidence=min_confidence,
            also=also_detect,
            uncertain=uncertain,
            memory=memory,
        )
        self.translator = Translator(
            self.models, engine=engine, generation=generation, batch_size=batch_size, batch_tokens=batch_tokens, memory=memory
        )

    def detect(self, text: str, format: str = "text") -> Document:
        """What would be translated, and why; the document's text is left as it is."""
        parts = self._parts(text, format)
        if parts is not None:
            return self._joined(text, format, [self.detect(part, part_format) for part, part_format in parts])
        segmented = segment(text, format, self.glossary, self.front_matter_keys)
        doc = merge(segmented, self.detector.decide(_readable(segmented.segments)), {}, self.target, {})
        return dataclasses.replace(doc, segments=self._decide_unsegmented(doc.segments))

    def detect_rows(self, text: str, format: str = "text", *, window_chars: int = WINDOW_CHARS) -> Iterator[SegmentResult]:
        """``detect(text, format).segments``, one by one, decided a window at a time: memory follows the window, not the file.

        A document over ``window_chars`` is cut between top-level blocks (see
        ``_windows``); each window is decided as a document of its own, so the
        language most of it is written in is the window's, and the rows carry
        offsets, lines and blocks of the whole document.
        """
        starts = formats.get(format).window_starts(text, window_chars)
        if len(starts) == 1:
            yield from self.detect(text, format).segments
            return
        line = block = group = 0
        for start, end in zip(starts, starts[1:] + [len(text)]):
            window = text[start:end]
            doc = self.detect(window, format)
            for row in doc.segments:
                shifted = row.group + group if row.group >= 0 else row.group
                yield dataclasses.replace(row, start=row.start + start, end=row.end + start, line=row.line + line,
                                          block=row.block + block, group=shifted,
                                          output_start=row.output_start + start, output_end=row.output_end + start)  # fmt: skip
            line += count_line_breaks(window)
            block += len(doc.blocks)
            group += max((row.group for row in doc.segments), default=-1) + 1

    def _decide_unsegmented(self, results: tuple[SegmentResult, ...]) -> tuple[SegmentResult, ...]:
        """The results with the text the segmenter could not split read for its language: German left in place is still German."""
        unsegmented = [result for result in results if result.unsegmented]
        if not unsegmented:
            return results
        readable = [Segment(result.start, result.end, result.text, result.line, result.block, result.group) for result in unsegmented]
        decided = {}
        for result, decision in zip(unsegmented, self.detector.decide(readable)):
            reason, why = result.reason, result.why
            if decision.action == Action.TRANSLATE:
                reason, why = f"{Why.UNPLACEABLE.text} ({decision.reason}): {result.reason}", Why.UNPLACEABLE
            decided[id(result)] = dataclasses.replace(result, lang=decision.lang, confidence=decision.confidence, reason=reason, why=why)
        return tuple(decided.get(id(result), result) for result in results)

    def refresh_inline_originals(self, text: str, where: str = "document", format: str = "markdown") -> str:
        """Markdown or HTML with each block whose inline original was edited by hand translated again from that original.

        A block whose original is unchanged stays as it is, hand edits to the
        translation included: the detector never looks at it again. ``where``
        names the document in errors (an InputError for a damaged original, or
        for an edited HTML original whose new translation could not keep it
        inline).
        """
        if INLINE_MARK not in text:
            return text
        edited = [kept for kept in inline_originals(text, where, format) if kept.edited]
        if not edited:
            return text
        pieces, position = [], 0
        for kept, doc in zip(edited, self.normalize_many([(kept.original, format) for kept in edited])):
            pieces.append(text[position : kept.block_start])
            try:
                pieces.append(doc.with_inline_originals() if doc.translated else doc.text)
            except ValueError as error:
                raise InputError(f"{where}: an inline original edited by hand cannot be translated again inline ({error}): "
                                 f"restore the file and translate it with {setting('keep_original', 'sidecar')}") from None  # fmt: skip
            position = kept.comment_end
        pieces.append(text[position:])
        return "".join(pieces)

    def normalize(self, text: str, format: str = "text") -> Document:
        return next(self.normalize_many([(text, format)]))

    def normalize_many(
        self,
        sources: Iterable[Source],
        format: str = "text",
        *,
        on_translated: Callable[[int], None] | None = None,
        on_failed: Callable[[int, Exception], None] | None = None,
    ) -> Iterator[Document]:
        """Normalized documents, in input order, translating segments of many documents in shared batches.

        ``on_translated`` is called with the number of segments each batch (or the translation memory) finished.
        With ``on_failed``, a document whose translation fails on something other than a UnilingoError
        is passed to it as (its index among ``sources``, the error) and left out; the others are done.
        """
        window: list[SegmentedText] = []
        size = first = 0
        for source in sources:
            text, text_format = (source, format) if isinstance(source, str) else source
            parts = self._parts(text, text_format)
            if parts is not None:
                # A container's parts are translated together and joined back; the documents before it go first.
                yield from self._normalize_window_or_each(window, on_translated, on_failed, first)
                yield from self._normalize_container(text, text_format, parts, on_translated, on_failed, first + len(window))
                first += len(window) + 1
                window, size = [], 0
                continue
            window.append(segment(text, text_format, self.glossary, self.front_matter_keys))
            size += len(window[-1].segments)
            if size >= _WINDOW_SEGMENTS:
                yield from self._normalize_window_or_each(window, on_translated, on_failed, first)
                first += len(window)
                window, size = [], 0
        yield from self._normalize_window_or_each(window, on_translated, on_failed, first)

    def _normalize_window_or_each(self, window, on_translated, on_failed, first: int) -> list[Document]:
        try:
            return list(self._normalize_window(window, on_translated))
        except UnilingoError:
            raise
        except Exception as error:  # a failure on one document's content must not cost the documents batched with it
            if on_failed is None:
                raise
            if len(window) == 1:
                on_failed(first, error)
                return []
            return [doc for offset, one in enumerate(window) for doc in self._normalize_window_or_each([one], on_translated, on_failed, first + offset)]

    def normalize_records(
        self,
        records: Iterable[dict | str | bytes],
        fields: Sequence[str],
        format: str = "text",
        *,
        on_error: str = "skip",
        on_bad_record: Callable[[int, str], None] | None = None,
        source: str | None = None,
    ) -> Iterator[dict | str]:
        """Records with ``fields`` normalized, ``<field>_original`` and a ``unilingo`` summary added.

        ``fields`` is a list of field names, or one name. ``records`` are dicts
        or JSON Lines (str, or bytes in UTF-8); they stream through in
        input order, in windows whose fields share translation batches. A bad
        record (not UTF-8, not JSON, not an object, a field missing or not a
        string or not valid Unicode, a field unilingo adds there already) is
        passed to ``on_bad_record(number, reason)`` (numbers start at 1) and then
        dropped (``on_error="skip"``), passed through unchanged (``"keep"``), or
        raised as an InputError (``"fail"``) that names it as record N, or as
        ``source``:N (a file's name) when given.
        """
        if on_error not in ON_ERROR:
            raise ConfigError(f"unknown on-error policy {on_error!r}: use {', '.join(ON_ERROR)}")
        fields = [fields] if isinstance(fields, str) else list(fields)
        if not fields:
            raise ConfigError("name at least one field to normalize: a string field of the records, such as text")
        _check_fields(fields)
        window: list[tuple[dict | str, bool]] = []
        for number, raw in enumerate(records, start=1):
            record, problem = _parse_record(raw, fields)
            if problem is not None:
                if on_error == "fail":
                    raise InputError(f"record {number}: {problem}" if source is None else f"{source}:{number}: bad record, {problem}")
                if on_bad_record is not None:
                    on_bad_record(number, problem)
                if on_error == "keep":
                    window.append((raw, False))
            else:
                window.append((record, True))
            if len(window) >= _WINDOW_RECORDS:
                yield from self._normalize_records_window(window, fields, format)
                window = []
        yield from self._normalize_records_window(window, fields, format)

    def _normalize_records_window(self, window, fields, format) -> Iterator[dict | str]:
        texts = [record[field] for record, good in window if good for field in fields]
        documents = iter(self.normalize_many(texts, format))
        for record, good in window:
            if not good:
                yield record
                continue
            out = dict(record)
            summary = {}
            for field in fields:
                doc = next(documents)
                out[field] = doc.text
                out[f"{field}_original"] = doc.original
                summary[field] = {
                    "languages": sorted({s.lang for s in doc.segments if s.lang}),
                    "actions": {action.value: sum(s.action == action for s in doc.segments) for action in Action},
                    "models": doc.models,
                }
            out[SUMMARY_FIELD] = summary
            yield out

    def _parts(self, text: str, format: str) -> list[tuple[str, str]] | None:
        """The documents a container (a notebook) holds; None for a document of its own, which is segmented as it is."""
        if not isinstance(text, str):
            hint = ": decode it first" if isinstance(text, (bytes, bytearray)) else ""
            raise TypeError(f"a document is a str, not {type(text).__name__}{hint}")
        return formats.get(format).parts(text)  # an unknown format is a ConfigError before the text is read

    def _normalize_container(self, text: str, format: str, parts, on_translated, on_failed, index: int) -> list[Document]:
        try:
            documents = list(self.normalize_many(parts, on_translated=on_translated))
        except UnilingoError:
            raise
        except Exception as error:  # as any document's, its failure must not cost the documents around it
            if on_failed is None:
                raise
            on_failed(index, error)
            return []
        return [self._joined(text, format, documents)]

    def _joined(self, text: str, format: str, documents: list[Document]) -> Document:
        joined = formats.get(format).join(text, documents)
        return Document(text, joined.text, format, self.target, joined.segments, joined.blocks, joined.models)

    def _normalize_window(self, window: list[SegmentedText], on_translated) -> Iterator[Document]:
        decisions = [self.detector.decide(_readable(segmented.segments)) for segmented in window]
        wanted: dict[str, list[tuple[int, int, str]]] = {}
        for doc_index, (segmented, doc_decisions) in enumerate(zip(window, decisions)):
            for seg_index, (seg, decision) in enumerate(zip(segmented.segments, doc_decisions)):
                if decision.action == Action.TRANSLATE:
                    wanted.setdefault(decision.lang, []).append((doc_index, seg_index, seg.source))
        outputs: list[dict[int, str]] = [{} for _ in window]
        spans: list[dict[int, tuple[PlacedSpan, ...]]] = [{} for _ in window]
        used: list[dict[str, str]] = [{} for _ in window]
        for lang, requests in wanted.items():
            model_name = self.translator.model_name(lang, self.target)
            # Sentences whose markup only alignment can place: decoding may hand back the alignment head at once.
            heads = frozenset(text for doc, seg, text in requests if needs_alignment(window[doc].segments[seg]))
            translations = self.translator.translate(lang, self.target, [text for _, _, text in requests], on_translated, heads)
            with_markup, fallbacks = [], []
            for (doc_index, seg_index, _), translation in zip(requests, translations):
                rejected = _rejection(translation)
                inline = window[doc_index].segments[seg_index].inline
                has_markup = inline is not None and bool(inline.spans)
                if rejected is not None and has_markup:
                    # Rejected as one sentence, its runs between markup may still translate, as they did before.
                    fallbacks.append((doc_index, seg_index, rejected))
                elif rejected is not None:
                    kept = dataclasses.replace(decisions[doc_index][seg_index], action=Action.KEEP, reason=rejected.reason, why=Why.REJECTED)
                    decisions[doc_index][seg_index] = kept
                elif has_markup:
                    with_markup.append((doc_index, seg_index, translation))
                else:
                    filled = fill_terms(window[doc_index].segments[seg_index], translation.text)
                    written = None if filled.output is None else escape_output(filled.output, window[doc_index], seg_index)
                    problem = filled.reason if written is None else _written_problem(window[doc_index], seg_index, written, filled.output)
                    if problem is None:
                        outputs[doc_index][seg_index] = written
                    else:
                        reason = f"{Why.NOT_WRITTEN.text}: {problem}; original kept"
                        kept = dataclasses.replace(decisions[doc_index][seg_index], action=Action.KEEP, reason=reason, why=Why.NOT_WRITTEN)
                        decisions[doc_index][seg_index] = kept
            fallbacks += self._place_markup(lang, window, with_markup, outputs, spans)
            self._translate_between_markup(lang, window, fallbacks, decisions, outputs, spans)
            for doc_index, seg_index in _translated(outputs, requests):
                used[doc_index][lang] = model_name
        for segmented, doc_decisions, doc_outputs, doc_spans, doc_models in zip(window, decisions, outputs, spans, used):
            doc = merge(segmented, doc_decisions, doc_outputs, self.target, doc_models, doc_spans)
            if doc.translated and not reads_as_original(doc.original, doc.text, segmented.format):
                kept = [dataclasses.replace(decision, action=Action.KEEP, reason=UNVERIFIED_REASON, why=Why.NOT_WRITTEN)
                        if index in doc_outputs else decision for index, decision in enumerate(doc_decisions)]  # fmt: skip
                doc = merge(segmented, kept, {}, self.target, {}, {})
            yield doc

    def _place_markup(self, lang, window, requests, outputs, spans) -> list[tuple[int, int, str]]:
        """Carry each sentence's markup onto its translation; those that cannot be carried, with the reason why."""
        alignments: dict[tuple[int, int], list[int] | None] = {}
        forced = []
        special: frozenset[str] | None = None
        for doc, seg, translation in requests:
            segment = window[doc].segments[seg]
            if not needs_alignment(segment):
                continue
            pair = (segment.source, " ".join(translation.text.split()))
            if translation.attention is None:
                forced.append(((doc, seg), pair))
            else:
                special = special or self.translator.special_tokens(lang, self.target)
                alignments[doc, seg] = word_alignment(translation.attention, *pair, special)
        # A remembered translation, or one from a backend whose decoding gives no alignment head, is forced through once more.
        found = self.translator.word_alignments(lang, self.target, [pair for _, pair in forced]) if forced else []
        alignments.update(zip([key for key, _ in forced], found))
        failed = []
        for doc_index, seg_index, translation in requests:
            segmented = window[doc_index]
            text = translation.text
            placed = place(segmented.text, segmented.format, segmented.segments[seg_index], text, alignments.get((doc_index, seg_index)))
            if placed.output is None:
                failed.append((doc_index, seg_index, placed.reason))
            else:
                outputs[doc_index][seg_index] = placed.output
                spans[doc_index][seg_index] = placed.spans
        return failed

    def _translate_between_markup(self, lang, window, failed, decisions, outputs, spans) -> None:
        """The fallback: the runs of plain text between a sentence's markup translated one by one, as before sentences held markup."""
        runs, texts = [], []
        for doc, seg, _ in failed:
            inline = window[doc].segments[seg].inline
            runs += [(doc, seg, run) for run in inline.pieces]
            texts += inline.piece_sources
        translated: dict[tuple[int, int], dict[tuple[int, int], str]] = {}
        for (doc, seg, run), text, translation in zip(runs, texts, self.translator.translate(lang, self.target, texts)):
            if _rejection(translation) is None and made_up_placeholder(text, translation.text) is None:
                translated.setdefault((doc, seg), {})[run] = translation.text
        # Each failure is the model's translation rejected, or why its markup could not be placed on it.
        for doc_index, seg_index, failure in failed:
            segmented = window[doc_index]
            decision = decisions[doc_index][seg_index]
            pieces = translated.get((doc_index, seg_index))
            rejected = isinstance(failure, Rejection)
            if not pieces:
                if rejected:
                    kept = dataclasses.replace(decision, action=Action.KEEP, reason=failure.reason, why=Why.REJECTED)
                else:
                    reason = f"{Why.KEPT_AS_FALLBACK.text}: {failure}"
                    kept = dataclasses.replace(decision, action=Action.KEEP, reason=reason, why=Why.KEPT_AS_FALLBACK)
                decisions[doc_index][seg_index] = kept
                continue
            cause = failure.short if rejected else failure
            output, placed = in_pieces(segmented.text, segmented.format, segmented.segments[seg_index], pieces)
            changed = formats.get(segmented.format).markup_changed(segmented.text, segmented.segments[seg_index], output)
            if changed:
                reason = f"{Why.FALLBACK_CHANGED.text}, {changed}; original kept ({cause})"
                decisions[doc_index][seg_index] = dataclasses.replace(decision, action=Action.KEEP, reason=reason, why=Why.FALLBACK_CHANGED)
                continue
            outputs[doc_index][seg_index], spans[doc_index][seg_index] = output, placed
            reason = f"{decision.reason}; {Why.FALLBACK.text}: {cause}"
            decisions[doc_index][seg_index] = dataclasses.replace(decision, reason=reason, why=Why.FALLBACK)


def _rejection(translation: Translation) -> Rejection | None:
    """Why a model's output cannot stand in for its source, or None when it can."""
    if translation.looped:
        return Rejection.LOOP
    if not translation.text.strip():
        return Rejection.EMPTY
    if _lone_surrogate(translation.text) is not None:
        return Rejection.SURROGATE
    return None


def _written_problem(segmented: SegmentedText, index: int, written: str, output: str) -> str | None:
    """Why a value written as ``written`` would not say ``output``, or change another key (front matter); None when it says just that."""
    return formats.get(segmented.format).written_problem(segmented, index, written, output)


def _translated(outputs: list[dict[int, str]], requests: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The requests that got an output."""
    return [(doc_index, seg_index) for doc_index, seg_index, _ in requests if seg_index in outputs[doc_index]]


def _readable(segments: Sequence[Segment]) -> list[Segment]:
    """The segments as the detector should read them: their words, without markup or protected spans."""
    return [segment if segment.inline is None else dataclasses.replace(segment, text=segment.inline.plain) for segment in segments]


class _NotWrittenBackAsRead(ValueError):
    """JSON that Python would write back otherwise: a number as Infinity or NaN, which JSON readers refuse, or a
    name given twice, of which only the last value would be kept."""


def _finite_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotWrittenBackAsRead(f"the number {excerpt(text)} is beyond a double and would be written back as Infinity, which is not JSON")
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict:
    record = dict(pairs)
    if len(record) < len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise _NotWrittenBackAsRead(f"the name {excerpt(name)} is given twice in one object; only its last value would be kept")
            seen.add(name)
    return record


def _not_json(name: str) -> float:
    raise _NotWrittenBackAsRead(f"not JSON ({name} is Python's, not JSON's)")


def _parse_record(raw: dict | str | bytes, fields: Sequence[str]) -> tuple[dict | None, str | None]:
    record = raw
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return None, f"not UTF-8 (byte {error.start + 1} is {raw[error.start]:#04x})"
    if isinstance(raw, str):
        try:
            record = json.loads(raw, parse_float=_finite_number, parse_constant=_not_json, object_pairs_hook=_object)
        except json.JSONDecodeError as error:
            return None, f"not JSON ({error.msg} at column {error.colno})"
        except _NotWrittenBackAsRead as error:
            return None, str(error)
        except ValueError:  # valid JSON that Python declines to convert, a denial-of-service guard
            return None, f"a number of more than {sys.get_int_max_str_digits()} digits, more than Python reads"
        except RecursionError:
            return None, "nested deeper than Python's JSON reader follows"
    if not isinstance(record, dict):
        return None, f"not a JSON object but {type(record).__name__}"
    for field in fields:
        if field not in record:
            return None, f"no field {field!r}"
        if not isinstance(record[field], str):
            return None, f"field {field!r} is {type(record[field]).__name__}, not a string"
        surrogate = _lone_surrogate(record[field])
        if surrogate is not None:
            return None, f"field {field!r} holds a lone surrogate (U+{ord(surrogate):04X}), which is not valid Unicode"
    # Overwritten, what was there would be lost without a trace.
    taken = [name for name in _added_fields(fields) if name in record]
    if taken:
        return None, f"it has a field {taken[0]!r} already, which unilingo would overwrite: rename that field first"
    return record, None


def _added_fields(fields: Sequence[str]) -> list[str]:
    return [f"{field}_original" for field in fields] + [SUMMARY_FIELD]


def _check_fields(fields: Sequence[str]) -> None:
    """Refuse fields whose outputs would land on one another: one of them would be lost."""
    seen = set()
    for field in fields:
        if not isinstance(field, str):
            raise ConfigError(f"a field name is a string, not {type(field).__name__}")
        if field in seen:
            raise ConfigError(f"field {field!r} is named twice: name each field once")
        seen.add(field)
    for field in fields:
        added = f"{field}_original"
        if added in seen:
            raise ConfigError(f"fields {field!r} and {added!r} cannot be normalized together: the original of {field!r} goes to {added!r}")
    if SUMMARY_FIELD in seen:
        raise ConfigError(f"field {SUMMARY_FIELD!r} cannot be normalized: unilingo writes its summary there; rename it first")


def _lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` (what a JSON escape like \\ud800 decodes to), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return text[error.start]
    return None
