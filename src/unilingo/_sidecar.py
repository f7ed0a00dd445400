"""Sidecars: the JSON file beside an output that keeps its original and what was done to it, run after run.

The record itself is the document's (``Document.sidecar``); this is where it
goes, how it is written and read back, and which of its runs describes the
file as it is now.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import InputError
from ._originals import sha256_text

if TYPE_CHECKING:
    from ._merge import Document

SIDECAR_SUFFIX = ".unilingo.json"


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def sidecar_text(doc: Document) -> str:
    return json_text(doc.sidecar())


def json_text(record: dict) -> str:
    return _json_fields(record) + "\n"


def _json_fields(record: dict) -> str:
    # A field a line and a segment a line keep diffs readable; indenting every
    # value of every segment was most of a sidecar 7 times its input's size.
    fields = []
    for key, value in record.items():
        if key == "segments" and isinstance(value, list) and value:
            text = "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in value) + "\n]"
        elif key == "previous" and isinstance(value, dict):
            text = _json_fields(value)
        else:
            text = json.dumps(value, ensure_ascii=False)
        fields.append(f"{json.dumps(key, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(fields) + "\n}"


def _damage(record) -> str | None:
    """What makes a parsed sidecar unusable before anything is written from it; None when nothing does.

    Walked without recursion: a sidecar is untrusted, and its nesting is whatever the JSON parser allowed.
    """
    if not isinstance(record, dict):
        return f"it is a JSON {type(record).__name__}, not an object"
    run = record.get("previous")
    while run is not None:
        if not isinstance(run, dict):
            return f"an earlier run's record ('previous') is a JSON {type(run).__name__}, not an object"
        run = run.get("previous")
    values = [record]
    while values:
        value = values.pop()
        if isinstance(value, dict):
            values.extend(value.keys())
            values.extend(value.values())
        elif isinstance(value, list):
            values.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                return f"it holds a lone surrogate (U+{ord(value[error.start]):04X}), which is not valid Unicode"
    return None


def parse(text: str, sidecar: Path) -> dict:
    """A sidecar's record, read from its ``text``; an InputError for one damaged."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{sidecar} is not valid JSON (line {error.lineno}): it was damaged") from None
    except RecursionError:
        raise InputError(f"{sidecar} nests deeper than a unilingo sidecar ever does: it was damaged") from None
    problem = _damage(record)
    if problem is not None:
        raise InputError(f"{sidecar} is damaged: {problem}")
    return record


def landed(record: dict, current: str | None, sidecar: Path) -> dict | None:
    """The newest record of a sidecar that describes the file as it is now (``current``; None: unknown).

    The sidecar is written before its output. A run killed between the two
    leaves a record whose output never landed: the file is still that
    record's original, so the record holds nothing the file does not, and
    the one before it (None: none) is the one that applies.
    """
    if current is None or not isinstance(record, dict):
        return record  # not a JSON object: refused where its original is read
    digest = sha256_text(current)
    while isinstance(record, dict) and record.get("output_sha256") != digest and record.get("original_sha256") == digest:
        record = record.get("previous")
    if record is not None and not isinstance(record, dict):
        raise InputError(f"{sidecar} is damaged: a record in it is not a JSON object")
    return record


def restore_sidecar(sidecar: dict, where: str = "sidecar") -> str:
    original = sidecar.get("original") if isinstance(sidecar, dict) else None
    if not isinstance(original, str):
        raise InputError(f"{where} has no 'original' text: it was not written by unilingo")
    if sidecar.get("original_sha256") not in (None, sha256_text(original)):
        raise InputError(f"{where} is damaged: its original does not match its checksum")
    return original
