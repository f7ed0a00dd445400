"""Files: which inputs go to which outputs, reading UTF-8 strictly, writing atomically."""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import contextmanager, nullcontext
from glob import escape as glob_escape
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

from . import formats
from ._errors import ConfigError, InputError, OutputError, printable
from ._merge import Document, SegmentResult
from ._originals import has_inline_originals, sha256_text
from ._sidecar import json_text, landed, parse, restore_sidecar, sidecar_path

log = logging.getLogger("unilingo")

KEEP_ORIGINAL = ("sidecar", "inline", "none")
STDIO = "-"


@dataclass(frozen=True)
class Job:
    source: Path | None  # None: standard input
    output: Path | None  # None: standard output
    format: str
    label: str  # as a line on the terminal shows it: control characters escaped

    @property
    def name(self) -> str:
        """The input's name as it is, for a JSON report, whose own quoting escapes what it must."""
        return self.label if self.source is None else str(self.source)


def plan(paths: Sequence[str], output_dir: str | None, format: str = "auto", *, writes: bool = True) -> list[Job]:
    """One job per input document; folders are walked for Markdown and text files.

    With ``writes=False`` (detect, check) no job has an output.
    """
    if format != "auto" and format not in formats.names():
        raise ConfigError(f"unknown format {format!r}: use auto, {', '.join(formats.names())}")
    out = None if output_dir in (None, STDIO) else Path(output_dir)
    if out is not None and out.exists() and not out.is_dir():
        raise ConfigError(f"-o {output_dir} is a file: -o takes an output folder (standard output: leave -o out)")
    jobs: list[Job] = []
    for raw in paths:
        if raw == STDIO:
            if out is not None:
                raise ConfigError("standard input goes to standard output, not to -o: redirect it (> FILE) or leave -o out")
            jobs.append(Job(None, None, "text" if format == "auto" else format, "<stdin>"))
            continue
        path = Path(raw)
        if path.is_dir():
            if not writes:
                jobs.extend(_job(file, None, format) for file in _documents_under(path, None))
                continue
            if out is None:
                raise ConfigError(f"{raw} is a folder: give an output folder with -o OUT")
            if out.resolve() == path.resolve():
                raise ConfigError(f"-o {output_dir} is the input folder {raw}: unilingo never writes over its input; choose another output folder")
            for file in _documents_under(path, out):
                jobs.append(_job(file, out / file.relative_to(path), format))
        elif path.exists():
            if format == "auto" and formats.for_path(path.name) is None:
                raise ConfigError(
                    f"{raw}: unilingo does not read {path.suffix} files ({formats.suffixes_described()}); "
                    f"'--format text' translates it as plain text"
                )
            jobs.append(_job(path, None if out is None else out / path.name, format))
        else:
            # Reported when its turn comes, as an input that cannot be read is: the rest of the batch is done.
            jobs.append(_job(path, None if out is None else out / path.name, format))
    if not writes:
        return jobs
    if sum(job.output is None for job in jobs) > 1:
        raise ConfigError("several inputs would all go to standard output: give an output folder with -o OUT")
    seen: dict[Path, str] = {}
    for job in jobs:
        if job.output is None:
            continue
        # A link to a folder inside -o (left by an earlier checkout or run) would carry outputs and sidecars
        # out of it: over files elsewhere, or over other inputs.
        if not _inside(job.output.parent, out.resolve()):
            raise ConfigError(f"-o would write {job.label} to {job.output}, through a link out of {output_dir}: "
                              f"remove the link or choose another output folder")  # fmt: skip
        target = job.output.resolve()
        if job.source is not None and job.source.resolve() == target:
            raise ConfigError(f"-o would write {job.label} over itself: choose another output folder")
        if target in seen:
            raise ConfigError(f"{seen[target]} and {job.label} would both be written to {job.output}")
        seen[target] = job.label
    return jobs


def _job(path: Path, output: Path | None, format: str) -> Job:
    if format == "auto":
        known = formats.for_path(path.name)
        # Only a missing input reaches here with a suffix unilingo does not read: its job reports it missing.
        format = known.name if known is not None else "text"
    return Job(path, output, format, printable(str(path)))


def _documents_under(folder: Path, out: Path | None) -> list[Path]:
    """Markdown, HTML and text files below ``folder``, hidden ones and ``out`` left out; links are not followed into folders.

    Nor to a file outside ``folder``: a tree is data, and a link in it
    ("notes.md" to ~/.ssh/id_rsa) must not carry another file's contents into
    a report or an output folder. Named on the command line, such a file is read.
    """
    out = out.resolve() if out is not None else None
    root = folder.resolve()
    found = []
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        here = Path(directory)
        if out is not None and _inside(here, out):
            subfolders.clear()
            continue
        for name in sorted(files):
            file = here / name
            if name.startswith(".") or not name.lower().endswith(formats.suffixes()):
                continue
            # A link that loops or leads nowhere is not a document; reading it would fail later.
            if file.is_symlink():
                if not _resolves(file):
                    continue
                if not _inside(file, root):
                    log.warning("skipped %s: a link to a file outside %s (name it as an input to read it)", file, folder)
                    continue
            if out is None or not _inside(file, out):
                found.append(file)
    return sorted(found)


def _resolves(path: Path) -> bool:
    try:
        return path.resolve(strict=True).is_file()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return False


def _inside(path: Path, folder: Path) -> bool:
    resolved = path.resolve()
    return resolved == folder or folder in resolved.parents


def decode(data: bytes, label: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _looks_binary(data):
            raise InputError(f"{label} looks like a binary file, not text: leave it out of the inputs") from None
        raise InputError(
            f"{label} is not UTF-8 (byte {error.start} is {data[error.start]:#04x}): "
            f"convert it first, for example with 'iconv -f latin1 -t utf-8'"
        ) from None
    return text


# Image, PDF and archive signatures: files that often sit beside documents under a text-like name.
_BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    return b"\0" in head or head.startswith(_BINARY_SIGNATURES)


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
        _remove_stale_temporaries(path)
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=_temporary_prefix(path, os.getpid()), suffix=".tmp", delete=False)
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


def _temporary_prefix(path: Path, pid: int) -> str:
    # The writer's process id is in the name, so a later run can tell a killed writer's file from a live one's.
    return f".{path.name}.{pid}."


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of ``path`` left by writers that were killed before their rename."""
    prefix = f".{path.name}."
    for leftover in path.parent.glob(f"{glob_escape(prefix)}*.tmp"):
        pid = leftover.name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Write all of ``data`` or nothing."""
    with atomic_open(path) as handle:
        handle.write(data)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def rendered(doc: Document, keep_original: str) -> str:
    """The output text, with inline originals when asked for and possible (Markdown, HTML)."""
    return (keep_original == "inline" and with_inline_originals(doc)) or doc.text


def with_inline_originals(doc: Document) -> str | None:
    """The output with its originals inline, or None where they cannot be kept inline exactly (or its format has none).

    A block the parser cannot place its comment after (nested past its
    limit, say) gets a sidecar instead, as plain text always does: see
    Document.with_inline_originals.
    """
    if not formats.get(doc.format).supports_inline:
        return None
    if not doc.translated:
        return doc.text
    try:
        return doc.with_inline_originals()
    except (InputError, ValueError):
        return None


def _read_sidecar(sidecar: Path) -> dict:
    # unilingo writes a sidecar as a file, never a link; a link in a tree ("a.md.unilingo.json" to
    # ~/.docker/config.json) would make its target an original to restore, or an earlier run that fix copies into the tree.
    if sidecar.is_symlink():
        raise InputError(f"{sidecar} is a link, not a sidecar unilingo wrote: remove it; nothing was written")
    return parse(read_text(sidecar), sidecar)


def write_document(doc: Document, output: Path, keep_original: str, *, in_place: bool = False, read: str | None = None) -> None:
    """Write the output and keep the original as asked.

    In place (``fix``), an existing sidecar holds the original of an earlier
    run: the new sidecar keeps it under "previous", so nothing is ever lost,
    and the original is kept in a sidecar again, whatever ``keep_original`` asks.
    ``read`` is the file as this run read it: a file another run changed
    since is not written over (an OutputError), as its change would be lost.
    """
    if keep_original not in KEEP_ORIGINAL:
        raise ConfigError(f"unknown --keep-original {keep_original!r}: use one of {', '.join(KEEP_ORIGINAL)}")
    sidecar = sidecar_path(output)
    # A file whose original an earlier run kept in a sidecar keeps it there: inline originals
    # added beside it would describe a file the sidecar no longer matches, and restore would refuse it.
    keeps_sidecar = in_place and keep_original != "none" and sidecar.exists()
    inline = with_inline_originals(doc) if keep_original == "inline" and not keeps_sidecar else None
    formats.get(doc.format).check_output(inline or doc.text, str(output))
    with _locked(output.parent) if in_place else nullcontext():
        current = read_text(output) if in_place and output.exists() else None
        if read is not None and current != read:
            raise OutputError(f"cannot write {output}: it changed while unilingo translated it (another 'unilingo fix'?); "
                              f"it was left as it is: run fix again")  # fmt: skip
        if keep_original == "sidecar" or keeps_sidecar or (keep_original == "inline" and inline is None):
            record = doc.sidecar()
            # The sidecar goes first, so the original is never lost; one whose output never landed is left out.
            earlier = landed(_read_sidecar(sidecar), current, sidecar) if in_place and sidecar.exists() else None
            if earlier is not None:
                record["previous"] = earlier
            write_atomic(sidecar, json_text(record).encode("utf-8"))
        elif sidecar.exists() and not in_place:
            # A sidecar from an earlier run would describe some other output.
            sidecar.unlink()
        write_atomic(output, (inline or doc.text).encode("utf-8"))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Other unilingo processes wait to write a file and its sidecar in ``folder``: each writes both, or checks both, alone."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; each write is still atomic
        fcntl = None
    if fcntl is None or not folder.is_dir():  # no folder: nothing in it to write or restore, as the caller then says
        yield
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
        fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError as error:
        raise OutputError(f"cannot write in {folder}: {error.strerror or error}") from None
    try:
        yield
    finally:
        os.close(handle)  # releases the lock, as the end of a killed process does


def report_record(doc: Document, label: str, *, with_output: bool) -> dict:
    return {"path": label, "target": doc.target, "segments": [report_row(segment, with_output=with_output) for segment in doc.segments]}


def report_row(segment: SegmentResult, *, with_output: bool) -> dict:
    """A segment as a JSON report lists it."""
    # A translation's report also lists each sentence's inline spans, where they were and where they landed;
    # an HTML attribute value names its attribute.
    keys = _DETECT_KEYS + (("output", "spans") if with_output else ())
    return {key: value for key, value in segment.to_json().items() if key in keys}


_DETECT_KEYS = ("start", "end", "attribute", "lang", "confidence", "action", "reason")


def original_of(path: Path, format: str = "auto", *, edited: bool = False) -> tuple[str, Path | None, dict | None]:
    """The original behind a unilingo output, its sidecar's path and record (None for inline originals).

    Inline originals are read as ``format`` (auto: by the file's suffix);
    ``edited`` allows originals edited by hand since they were written.
    """
    sidecar = sidecar_path(path)
    if sidecar.exists():
        data = _read_sidecar(sidecar)
        if path.exists():
            current = read_text(path)
            data = landed(data, current, sidecar)
            if data is None:
                # No output of the runs it describes ever landed: the file is still its own original.
                return current, sidecar, None
        return restore_sidecar(data, str(sidecar)), sidecar, data
    text = read_text(path)
    if has_inline_originals(text):
        return _inline_format(path, format).restore_inline(text, str(path), edited=edited), None, None
    raise NothingToRestore(f"nothing to restore: {path} has no sidecar {sidecar.name} and no inline originals")


class NothingToRestore(InputError):
    """A file with neither a sidecar nor inline originals: unilingo never changed it, or its original is lost."""


def _inline_format(path: Path, format: str) -> formats.Format:
    found = formats.for_path(path.name) if format == "auto" else formats.get(format)
    if found is None or not found.supports_inline:
        # Read as the wrong format, the comments would land after other blocks, or nowhere.
        inline = [formats.get(name) for name in formats.inline_names()]
        raise ConfigError(f"{path}: unilingo cannot tell from its name whether its inline originals are in "
                          f"{' or '.join(each.title for each in inline)}: "
                          f"give {' or '.join('--format ' + each.name for each in inline)}, as it was translated with")  # fmt: skip
    return found


def restorable_under(folder: Path) -> list[Path]:
    """The unilingo outputs below ``folder``: documents with a sidecar or inline originals (unreadable ones are no outputs)."""
    found = []
    for file in _documents_under(folder, None):
        try:
            if sidecar_path(file).exists() or has_inline_originals(read_text(file)):
                found.append(file)
        except InputError:
            continue
    return found


EDITED_SUFFIX = ".edited"


def restore_in_place(path: Path, *, force: bool = False, format: str = "auto") -> Path | None:
    """The file becomes its original again; its sidecar steps back to the run before, or goes.

    An output edited since its sidecar was written, or whose inline originals
    were edited, is refused, since restoring would lose the edit or give back
    what unilingo never read; with ``force`` the edited file is kept as
    ``NAME.edited`` (returned) first.
    """
    with _locked(path.parent):
        return _restore_in_place(path, force, format)


def _restore_in_place(path: Path, force: bool, format: str) -> Path | None:
    try:
        original, sidecar, record = original_of(path, format)
    except InputError:
        if not force:
            raise
        # Only edited inline originals are forgiven; any other reason fails again here.
        original, sidecar, record = original_of(path, format, edited=True)
        kept = path.with_name(path.name + EDITED_SUFFIX)
        write_atomic(kept, read_text(path).encode("utf-8"))
        write_atomic(path, original.encode("utf-8"))
        return kept
    kept = None
    if sidecar is not None and record is None:
        sidecar.unlink()
        return None
    if sidecar is not None:
        current = read_text(path)
        written = record.get("output_sha256")
        if written is not None and written != sha256_text(current):
            kept = path.with_name(path.name + EDITED_SUFFIX)
            if not force:
                raise InputError(
                    f"{path} was edited after unilingo wrote it, and restoring would lose the edit: "
                    f"'unilingo restore --force {path}' keeps the edited file as {kept.name}"
                )
            write_atomic(kept, current.encode("utf-8"))
    write_atomic(path, original.encode("utf-8"))
    if sidecar is not None:
        if record.get("previous") is not None:
            write_atomic(sidecar, json_text(record["previous"]).encode("utf-8"))
        else:
            sidecar.unlink()
    return kept
