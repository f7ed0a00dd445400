"""The models file: which MarianMT model translates which language pair."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ._errors import ConfigError, InputError, excerpt, setting
from ._lines import LINE_BREAK

MODELS_ENV = "UNILINGO_MODELS"
MIB = 1 << 20
# Far above any real models file: a bound on what a wrong or hostile path makes unilingo read.
MODELS_FILE_LIMIT = MIB
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
# A hub id is "name" or "owner/name"; anything that looks like a path is a folder.
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")
# Kept in step with the engine's --quantize choices; not imported, so reading a models file stays light.
_QUANTIZATIONS = ("none", "int8")


@dataclass(frozen=True)
class ModelSpec:
    source: str
    target: str
    name: str  # as written in the models file
    location: str  # the hub id, or the folder's absolute path
    is_local: bool
    origin: str  # "models.txt:3", for error messages that point at the line
    quantize: str | None = None  # "quantize=none|int8" on its line: the model's own default, which --quantize overrides


@dataclass(frozen=True)
class ModelTable:
    specs: tuple[ModelSpec, ...]
    path: str

    def find(self, source: str, target: str) -> ModelSpec | None:
        for spec in self.specs:
            if spec.source == source and spec.target == target:
                return spec
        return None

    def sources_for(self, target: str) -> list[str]:
        return sorted({spec.source for spec in self.specs if spec.target == target})


def default_models_path() -> str:
    """``$UNILINGO_MODELS`` if set, else the models.txt shipped with unilingo."""
    from_env = os.environ.get(MODELS_ENV)
    if from_env:
        return from_env
    return str(resources.files("unilingo").joinpath("models.txt"))


def load_models(path: str | os.PathLike[str] | None = None, *, within: Path | None = None) -> ModelTable:
    """The models file at ``path``; with ``within``, one a file of an untrusted tree named, whose model folders must lie there."""
    path = os.fspath(path) if path is not None else default_models_path()
    text = read_settings_file(path, "models file", MODELS_FILE_LIMIT, f": pass {setting('models')} or set {MODELS_ENV}")
    return parse_models(text, base=Path(path).resolve().parent, path=path, within=within)


def settings_lines(text: str) -> list[str]:
    """The lines of a settings file as an editor numbers them.

    str.splitlines also ends a line at a form feed, U+2028 and other
    separators: a glossary term holding one became two terms, silently, and
    every later error named the wrong line.
    """
    return LINE_BREAK.split(text)


def parse_models(text: str, *, base: Path, path: str = "<models>", within: Path | None = None) -> ModelTable:
    specs: list[ModelSpec] = []
    for number, raw in enumerate(settings_lines(text), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        origin = f"{path}:{number}"
        fields = line.split()
        # A folder path with a space reads as more fields: said as such, not as a bad quantize= or line.
        if len(fields) > 3 and "=" not in fields[3] and fields[2].startswith((".", "/", "~")):
            raise ConfigError(
                f"{origin}: the model {excerpt(' '.join(fields[2:]))} holds a space, which separates fields: "
                f"rename its folder, or link to it from a path without one"
            )
        if len(fields) not in (3, 4) or (len(fields) == 4 and not _LANGUAGE_CODE.match(fields[0])):
            raise ConfigError(
                f"{origin}: expected 'source target model' (e.g. 'de en Helsinki-NLP/opus-mt-de-en'), got {excerpt(line)}"
            )
        source, target, name = fields[:3]
        quantize = None
        if len(fields) == 4:
            option, _, quantize = fields[3].partition("=")
            if option != "quantize" or quantize not in _QUANTIZATIONS:
                raise ConfigError(f"{origin}: the fourth field must be quantize={' or quantize='.join(_QUANTIZATIONS)}, got {excerpt(fields[3])}")
        for code in (source, target):
            if not _LANGUAGE_CODE.match(code):
                raise ConfigError(f"{origin}: {excerpt(code)} is not a language code; use ISO 639-1 codes such as 'de'")
        if source == target:
            raise ConfigError(f"{origin}: source and target are both {source!r}")
        if any(spec.source == source and spec.target == target for spec in specs):
            raise ConfigError(f"{origin}: a second model for {source} -> {target}; keep one line per pair")
        spec = _spec(source, target, name, base, origin)
        # Checked on the resolved path, links and ".." followed, and said alike whether or not it exists there.
        if within is not None and spec.is_local and not Path(spec.location).is_relative_to(within):
            raise ConfigError(
                f"{origin}: the model folder {excerpt(name)} is outside {within}: a models file that a configuration "
                f"file names may only name model folders in that configuration's folder or below; give one elsewhere "
                f"with {setting('models')}"
            )
        specs.append(dataclasses.replace(spec, quantize=quantize))
    return ModelTable(tuple(specs), path)


def _spec(source: str, target: str, name: str, base: Path, origin: str) -> ModelSpec:
    looks_like_path = name.startswith((".", "/", "~")) or name.count("/") > 1
    try:
        folder = (base / Path(name).expanduser()).resolve()
        is_folder = folder.is_dir()
    except ValueError:  # a NUL, which no file system takes
        raise ConfigError(f"{origin}: {excerpt(name)} cannot be a model folder: it holds a NUL character") from None
    except OSError as error:  # is_dir passes over only "no such file"; a name too long or a folder denied raise
        raise ConfigError(f"{origin}: {excerpt(name)} cannot be a model folder: {error.strerror}") from None
    if looks_like_path or is_folder or not _HUB_ID.match(name):
        return ModelSpec(source, target, name, str(folder), True, origin)
    return ModelSpec(source, target, name, name, False, origin)


def read_settings_file(path: str | os.PathLike[str], what: str, limit: int, hint: str = "") -> str:
    """A file of settings (models, glossary, configuration) as text; an InputError naming ``what`` if it cannot be read.

    Only a regular file of at most ``limit`` bytes is read: a path from a
    configuration file may name a FIFO (which would hang the run), a device
    such as /dev/zero (which would fill memory) or a /proc file (whose size
    its metadata does not tell). A byte-order mark is not part of the first line.
    """
    try:
        # Without blocking: opening a FIFO for reading would wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist{hint}") from None
    except OSError as error:
        raise InputError(f"cannot read {what} {path}: {error.strerror}") from None
    except ValueError:  # a NUL in the name, which os.open refuses before the file system sees it
        raise InputError(f"cannot read {what} {path}: a file name cannot hold a NUL character") from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        # Checked before fdopen, which refuses a folder's descriptor with an OSError of its own.
        os.close(descriptor)
        raise InputError(f"{what} {path} is not a regular file{hint}")
    with os.fdopen(descriptor, "rb") as handle:
        if status.st_size > limit:
            raise InputError(f"{what} {path} is larger than {_size(limit)}; is it the right file?")
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise InputError(f"cannot read {what} {path}: {error.strerror}") from None
    if len(data) != status.st_size:
        raise InputError(f"{what} {path} is not a regular file (its size is not what it holds){hint}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{what} {path} is not UTF-8 (byte {error.start + 1}); save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def _size(limit: int) -> str:
    return f"{limit / MIB:g} MiB" if limit >= MIB else f"{limit} bytes"
