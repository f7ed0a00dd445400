"""Files: which inputs go to which outputs, reading UTF-8 strictly, writing atomically."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

from ._errors import ConfigError, InputError, OutputError
from ._merge import SIDECAR_SUFFIX, Document, has_inline_originals, restore_inline, restore_sidecar
from ._segment import FORMATS, MARKDOWN_SUFFIXES, format_for_path

TEXT_SUFFIXES = (".txt", ".text")
KEEP_ORIGINAL = ("sidecar", "inline", "none")
STDIO = "-"


@dataclass(frozen=True)
class Job:
    source: Path | None  # None: standard input
    output: Path | None  # None: standard output
    format: str
    label: str


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def plan(paths: Sequence[str], output_dir: str | None, format: str = "auto", *, writes: bool = True) -> list[Job]:
    """One job per input document; folders are walked for Markdown and text files.

    With ``writes=False`` (detect, check) no job has an output.
    """
    if format != "auto" and format not in FORMATS:
        raise ConfigError(f"unknown format {format!r}: use auto, {', '.join(FORMATS)}")
    out = None if output_dir in (None, STDIO) else Path(output_dir)
    jobs: list[Job] = []
    for raw in paths:
        if raw == STDIO:
            jobs.append(Job(None, None, "text" if format == "auto" else format, "<stdin>"))
            continue
        path = Path(raw)
        if path.is_dir():
            if not writes:
                jobs.extend(_job(file, None, format) for file in _documents_under(path, None))
                continue
            if out is None:
                raise ConfigError(f"{raw} is a folder: give an output folder with -o OUT")
            for file in _documents_under(path, out):
                jobs.append(_job(file, out / file.relative_to(path), format))
        elif path.exists():
            jobs.append(_job(path, None if out is None else out / path.name, format))
        else:
            raise InputError(f"{raw} does not exist")
    if not writes:
        return jobs
    if sum(job.output is None for job in jobs) > 1:
        raise ConfigError("several inputs would all go to standard output: give an output folder with -o OUT")
    seen: dict[Path, str] = {}
    for job in jobs:
        if job.output is None:
            continue
        target = job.output.resolve()
        if job.source is not None and job.source.resolve() == target:
            raise ConfigError(f"-o would write {job.label} over itself: choose another output folder")
        if target in seen:
            raise ConfigError(f"{seen[target]} and {job.label} would both be written to {job.output}")
        seen[target] = job.label
    return jobs


def _job(path: Path, output: Path | None, format: str) -> Job:
    return Job(path, output, format_for_path(path.name) if format == "auto" else format, str(path))


def _documents_under(folder: Path, out: Path | None) -> list[Path]:
    out = out.resolve() if out is not None else None
    found = []
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if out is not None and (out == file.resolve() or out in file.resolve().parents):
            continue
        if file.is_file() and file.name.lower().endswith(MARKDOWN_SUFFIXES + TEXT_SUFFIXES):
            found.append(file)
    return found


def decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{label} is not UTF-8 (byte {error.start} is {data[error.start]:#04x}): "
            f"convert it first, for example with 'iconv -f latin1 -t utf-8'"
        ) from None


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    return decode(data, str(path))


@contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` complete, or not at all: a temporary file beside it, then a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except OSError as error:
        os.unlink(handle.name)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        os.unlink(handle.name)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write all of ``data`` or nothing."""
    with atomic_open(path) as handle:
        handle.write(data)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def rendered(doc: Document, keep_original: str) -> str:
    """The output text, with inline originals when asked for and possible (Markdown)."""
    if keep_original == "inline" and doc.format == "markdown" and doc.translated:
        return doc.with_inline_originals()
    return doc.text


def sidecar_text(doc: Document) -> str:
    return _json_text(doc.sidecar())


def _json_text(record: dict) -> str:
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


def _read_sidecar(sidecar: Path) -> dict:
    try:
        return json.loads(read_text(sidecar))
    except json.JSONDecodeError as error:
        raise InputError(f"{sidecar} is not valid JSON (line {error.lineno}): it was damaged") from None


def write_document(doc: Document, output: Path, keep_original: str, *, in_place: bool = False) -> None:
    """Write the output and keep the original as asked.

    In place (``fix``), an existing sidecar holds the original of an earlier
    run: the new sidecar keeps it under "previous", so nothing is ever lost.
    """
    if keep_original not in KEEP_ORIGINAL:
        raise ConfigError(f"unknown --keep-original {keep_original!r}: use one of {', '.join(KEEP_ORIGINAL)}")
    sidecar = sidecar_path(output)
    uses_sidecar = keep_original == "sidecar" or (keep_original == "inline" and doc.format != "markdown")
    if uses_sidecar:
        record = doc.sidecar()
        if in_place and sidecar.exists():
            record["previous"] = _read_sidecar(sidecar)
        write_atomic(sidecar, _json_text(record).encode("utf-8"))
    elif sidecar.exists() and not in_place:
        # A sidecar from an earlier run would describe some other output.
        sidecar.unlink()
    write_atomic(output, rendered(doc, keep_original).encode("utf-8"))


def report_record(doc: Document, label: str, *, with_output: bool) -> dict:
    keys = ("start", "end", "lang", "confidence", "action", "reason") + (("output",) if with_output else ())
    segments = [{key: value for key, value in segment.to_json().items() if key in keys} for segment in doc.segments]
    return {"path": label, "target": doc.target, "segments": segments}


def original_of(path: Path) -> tuple[str, Path | None, dict | None]:
    """The original behind a unilingo output, its sidecar (if any), and that sidecar's previous record."""
    sidecar = sidecar_path(path)
    if sidecar.exists():
        data = _read_sidecar(sidecar)
        return restore_sidecar(data, str(sidecar)), sidecar, data.get("previous")
    text = read_text(path)
    if has_inline_originals(text):
        return restore_inline(text, str(path)), None, None
    raise InputError(f"nothing to restore: {path} has no sidecar {sidecar.name} and no inline originals")


def restore_in_place(path: Path) -> None:
    """The file becomes its original again; its sidecar steps back to the run before, or goes."""
    original, sidecar, previous = original_of(path)
    write_atomic(path, original.encode("utf-8"))
    if sidecar is not None:
        if previous is not None:
            write_atomic(sidecar, _json_text(previous).encode("utf-8"))
        else:
            sidecar.unlink()
