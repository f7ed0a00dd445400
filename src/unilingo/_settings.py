"""The settings schema: each setting once, and the views the CLI, configuration files, Normalizer and Spark/Ray take.

A setting says its name, kind of value, default, allowed values, help text,
command-line flags, configuration-file key, the commands that take it and the
Normalizer keyword it feeds. The click options, the configuration keys and
their validation, the keywords the cluster adapters accept and the Normalizer
a command builds all come from ``SETTINGS``, so they cannot drift apart.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from ._api import Normalizer
from ._detect import DEFAULT_LOOK_ALIKES, DEFAULT_MIN_CONFIDENCE, UNCERTAIN_POLICIES
from ._engines import BACKENDS, DEVICES, QUANTIZATIONS, TRANSFORMERS_BEAM_TOKENS, EngineOptions
from ._files import KEEP_ORIGINAL
from ._frontmatter import DEFAULT_KEYS as FRONT_MATTER_KEYS
from ._memory import CACHE_DIR_ENV
from ._models import MODELS_ENV
from . import formats
from ._translate import CUDA_BATCH_SIZE, CUDA_BATCH_TOKENS, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS, Generation


class Kind(enum.Enum):
    """What a value is; the command line and configuration files each read it their way."""

    LANGUAGE = "language code"
    FILE = "file"
    CHOICE = "choice"
    CONFIDENCE = "number between 0 and 1"
    COUNT = "whole number, at least 1"
    FLAG = "flag"
    # A list: comma-separated on the command line, a TOML array in a configuration file.
    LANGUAGES = "list of language codes"
    STRINGS = "list of strings"


class Group(enum.Enum):
    """Where a setting's option stands among a command's own options, in --help."""

    DETECTION = "detection"
    ORIGINAL = "original"
    TRANSLATION = "translation"
    FILES = "files"  # configuration files only: which files a command takes


DETECTING = ("translate", "detect", "check", "fix")
TRANSLATING = ("translate", "fix")
LISTS = (Kind.LANGUAGES, Kind.STRINGS)


@dataclass(frozen=True)
class Setting:
    name: str  # its key in a settings dict, and the command-line option's parameter name
    kind: Kind
    help: str
    group: Group
    commands: tuple[str, ...]
    flags: tuple[str, ...] = ()  # none: a configuration file sets it, the command line cannot
    default: Any = None
    choices: tuple[str, ...] = ()
    show_default: bool = False
    env: str | None = None  # an environment variable the command line reads it from
    config_key: str | None = None
    keyword: str | None = None  # the Normalizer keyword it is, or is part of (engine, generation, cache)
    command_defaults: tuple[tuple[str, Any], ...] = ()  # (command, default) where a command has its own

    def default_for(self, command: str) -> Any:
        return dict(self.command_defaults).get(command, self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting("target", Kind.LANGUAGE, "Language to normalize to.", Group.DETECTION, DETECTING,
            flags=("--target", "-t"), default="en", show_default=True, config_key="target", keyword="target"),
    Setting("models", Kind.FILE, f"Models file ('source target model' per line). [default: ${MODELS_ENV} or the bundled models.txt]",
            Group.DETECTION, DETECTING, flags=("--models",), env=MODELS_ENV, config_key="models", keyword="models"),
    Setting("glossary", Kind.FILE,
            "TSV of terms: 'term<TAB>translation', or a term alone to keep it as it is (whole words, case-sensitive).",
            Group.DETECTION, DETECTING, flags=("--glossary",), config_key="glossary", keyword="glossary"),
    Setting("front_matter_keys", Kind.STRINGS, "Comma-separated front-matter keys whose values are translated (Markdown).",
            Group.DETECTION, DETECTING, flags=("--front-matter-keys",), default=FRONT_MATTER_KEYS, show_default=True,
            config_key="front-matter-keys", keyword="front_matter_keys"),
    Setting("format", Kind.CHOICE, "Document format; auto goes by file extension (standard input is text).",
            Group.DETECTION, DETECTING, flags=("--format",), default="auto", choices=("auto", *formats.names()), show_default=True),
    Setting("min_confidence", Kind.CONFIDENCE, "Segments the detector is less sure of are uncertain (see --uncertain).",
            Group.DETECTION, DETECTING, flags=("--min-confidence",), default=DEFAULT_MIN_CONFIDENCE, show_default=True,
            config_key="min-confidence", keyword="min_confidence"),
    Setting("uncertain", Kind.CHOICE, "Uncertain segments: keep them as they are, translate them by the best guess, "
            "or keep them and list them on standard error.", Group.DETECTION, DETECTING, flags=("--uncertain",),
            default="keep", choices=UNCERTAIN_POLICIES, show_default=True, config_key="uncertain", keyword="uncertain"),
    Setting("also_detect", Kind.LANGUAGES, "Languages to recognise besides the target and those with a model, so that they are "
            "left alone rather than mistaken for one with a model; comma-separated, '' for none.", Group.DETECTION, DETECTING,
            flags=("--also-detect",), default=DEFAULT_LOOK_ALIKES, show_default=True, config_key="also-detect", keyword="also_detect"),
    Setting("cache_path", Kind.FILE, "Translation memory (translations and language guesses). "
            f"[default: translations.sqlite3 in the user cache folder or ${CACHE_DIR_ENV}]", Group.DETECTION, DETECTING,
            flags=("--cache",), keyword="cache"),
    Setting("no_cache", Kind.FLAG, "Neither read nor write the translation memory.", Group.DETECTION, DETECTING,
            flags=("--no-cache",), default=False, keyword="cache"),
    Setting("keep_original", Kind.CHOICE, "sidecar: NAME.unilingo.json beside the output; inline: an HTML comment after each translated "
            "Markdown or HTML block (other files, and HTML whose translated text lies in a title or an attribute, "
            "fall back to a sidecar); none: keep nothing.", Group.ORIGINAL, TRANSLATING, flags=("--keep-original",),
            default="sidecar", choices=KEEP_ORIGINAL, show_default=True, config_key="keep-original",
            # fix works in place, where a sidecar beside every page would be clutter.
            command_defaults=(("fix", "inline"),)),
    Setting("batch_size", Kind.COUNT, f"Most sentences in one model call. [default: {DEFAULT_BATCH_SIZE} on a CPU, {CUDA_BATCH_SIZE} on a GPU]",
            Group.TRANSLATION, TRANSLATING, flags=("--batch-size",), keyword="batch_size"),
    Setting("batch_tokens", Kind.COUNT, "Most padded input tokens in one model call (transformers on a CPU: also at most "
            f"{TRANSFORMERS_BEAM_TOKENS} divided by the beams). [default: {DEFAULT_BATCH_TOKENS} on a CPU, {CUDA_BATCH_TOKENS} on a GPU]",
            Group.TRANSLATION, TRANSLATING, flags=("--batch-tokens",), keyword="batch_tokens"),
    Setting("beams", Kind.COUNT, "Beam size, at most 128. [default: the model's own, 4 for opus-mt]", Group.TRANSLATION, TRANSLATING,
            flags=("--beams",), keyword="generation"),
    Setting("backend", Kind.CHOICE, "auto: ctranslate2 when installed (pip install 'unilingo[fast]'), else transformers.",
            Group.TRANSLATION, TRANSLATING, flags=("--backend",), default="auto", choices=BACKENDS, show_default=True, keyword="engine"),
    Setting("device", Kind.CHOICE, "auto: CUDA when a CUDA device is present (float16), else CPU.", Group.TRANSLATION, TRANSLATING,
            flags=("--device",), default="auto", choices=DEVICES, show_default=True, keyword="engine"),
    Setting("quantize", Kind.CHOICE, "int8 weights on CPU. [default: int8 for ctranslate2, none for transformers]",
            Group.TRANSLATION, TRANSLATING, flags=("--quantize",), choices=QUANTIZATIONS, keyword="engine"),
    Setting("threads", Kind.COUNT, "CPU threads; CTranslate2 runs them as parallel workers where a batch has work for several. [default: every core available]", Group.TRANSLATION, TRANSLATING,
            flags=("--threads",), keyword="engine"),
    Setting("exclude", Kind.STRINGS, "Globs, relative to the configuration file, of files left out.", Group.FILES, DETECTING,
            config_key="exclude"),
)  # fmt: skip

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
# Configuration keys in the order the reference and the "known keys" message list them: the file's own, then detection's.
_CONFIG_ORDER = ("target", "models", "exclude", "keep-original", "min-confidence", "uncertain", "also-detect", "glossary", "front-matter-keys")
CONFIG_KEYS: dict[str, Setting] = {key: setting for key in _CONFIG_ORDER for setting in SETTINGS if setting.config_key == key}


def options_of(command: str, group: Group) -> list[Setting]:
    """The settings ``command`` takes on its command line from ``group``, in --help order."""
    return [setting for setting in SETTINGS if setting.group is group and command in setting.commands and setting.flags]


def value(values: Mapping[str, Any], name: str) -> Any:
    """A setting's value in ``values``, or its default where a command does not take it."""
    return values.get(name, BY_NAME[name].default)


def as_list(given: str | Iterable[str]) -> tuple[str, ...]:
    """A list setting as a tuple: the command line gives a comma-separated string, a configuration file a list."""
    items = given.split(",") if isinstance(given, str) else given
    return tuple(item.strip() for item in items if item.strip())


def _cache(values: Mapping[str, Any]) -> bool | str:
    return False if value(values, "no_cache") else (value(values, "cache_path") or True)


def _engine(values: Mapping[str, Any]) -> EngineOptions:
    return EngineOptions(value(values, "backend"), value(values, "device"), value(values, "quantize"), value(values, "threads"))


def _generation(values: Mapping[str, Any]) -> Generation:
    return Generation(num_beams=value(values, "beams"))


# Normalizer keywords that several settings make together.
_COMPOSED: dict[str, Callable[[Mapping[str, Any]], Any]] = {"cache": _cache, "engine": _engine, "generation": _generation}

# Every keyword of Normalizer(): what the Spark and Ray adapters accept, too.
NORMALIZER_KEYWORDS: tuple[str, ...] = tuple(dict.fromkeys(setting.keyword for setting in SETTINGS if setting.keyword))
# The settings a Normalizer depends on: two commands' values that agree on these may share one.
NORMALIZER_SETTINGS: tuple[str, ...] = tuple(setting.name for setting in SETTINGS if setting.keyword)


def normalizer_keywords(values: Mapping[str, Any]) -> dict[str, Any]:
    """``Normalizer``'s keyword arguments for the settings ``values`` (a command's, after configuration files)."""
    keywords: dict[str, Any] = {}
    for keyword in NORMALIZER_KEYWORDS:
        if keyword in _COMPOSED:
            keywords[keyword] = _COMPOSED[keyword](values)
        else:
            given = value(values, keyword)
            keywords[keyword] = as_list(given) if BY_NAME[keyword].kind in LISTS else given
    return keywords


class Normalizers:
    """One Normalizer per distinct settings, so the files of a run that share them load each model once."""

    def __init__(self) -> None:
        self._made: dict[tuple, Normalizer] = {}
        self._lock = threading.Lock()

    def get(self, values: Mapping[str, Any]) -> Normalizer:
        key = tuple((name, values.get(name)) for name in NORMALIZER_SETTINGS)
        with self._lock:
            if key not in self._made:
                self._made[key] = Normalizer(**normalizer_keywords(values))
            return self._made[key]

