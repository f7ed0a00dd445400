"""Configuration files: ``.unilingo.toml`` or ``[tool.unilingo]`` in ``pyproject.toml``.

The nearest one above a file applies to it, as with most linters: a content
repository keeps its target language, models file and exclusions in one place,
and command-line options override them (``configured``). Its keys and their
checks come from the settings schema.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator

from ._detect import known_languages
from ._errors import ConfigError, InputError, excerpt
from ._models import MIB, load_models, read_settings_file
from ._settings import CONFIG_KEYS, Kind, Setting

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILE = ".unilingo.toml"
PYPROJECT = "pyproject.toml"
# Far above any real pyproject.toml: a bound on what a hostile tree makes unilingo read.
CONFIG_LIMIT = MIB


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a non-empty string")
    return value


def _file(value: Any) -> str:
    value = _string(value)
    # No file system takes one, and pathlib raises a bare ValueError on it.
    if "\0" in value:
        raise ValueError("a file name cannot hold a NUL character")
    return value


def _language(value: Any) -> str:
    value = _string(value)
    if not (2 <= len(value) <= 3 and value.isalpha() and value.islower()):
        raise ValueError(f"{excerpt(value)} is not a language code such as 'en'")
    # Checked here too, so that the error names this file and key: the detector's own check names neither.
    if value not in known_languages():
        raise ValueError(f"{excerpt(value)} is not a language unilingo knows; use an ISO 639-1 code such as 'en' or 'de'")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("expected a list of strings")
    return tuple(value)


def _languages(value: Any) -> tuple[str, ...]:
    return tuple(_language(item) for item in _strings(value))


def _confidence(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError("expected a number between 0 and 1")
    return float(value)


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return value

    return check


# How a configuration file's value of each kind is checked and read.
_READERS: dict[Kind, Callable[[Setting], Callable[[Any], Any]]] = {
    Kind.LANGUAGE: lambda setting: _language,
    Kind.FILE: lambda setting: _file,
    Kind.CHOICE: lambda setting: _choice(setting.choices),
    Kind.CONFIDENCE: lambda setting: _confidence,
    Kind.LANGUAGES: lambda setting: _languages,
    Kind.STRINGS: lambda setting: _strings,
}
# key in the file -> (setting name, validator)
_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    key: (setting.name, _READERS[setting.kind](setting)) for key, setting in CONFIG_KEYS.items()
}
# Settings that name a file: it must lie in the configuration file's folder or below, else be given with its option.
_PATH_KEYS = {key: (setting.name, setting.flags[0]) for key, setting in CONFIG_KEYS.items() if setting.kind is Kind.FILE}


@dataclass(frozen=True)
class Config:
    """The settings of one configuration file (``path`` None: no file, no settings)."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "defaults"

    def excludes(self, file: Path) -> bool:
        """Whether an ``exclude`` glob (relative to the configuration's folder) matches ``file``."""
        if self.path is None or not self.values.get("exclude"):
            return False
        try:
            relative = file.resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return False
        return any(
            fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern.rstrip("/") + "/*")
            for pattern in self.values["exclude"]
        )


def config_for(path: Path | None) -> Config:
    """The configuration that applies to a file (None: standard input, found from the working folder)."""
    folder = Path.cwd() if path is None else path.resolve().parent
    return _config_in(folder)


@lru_cache(maxsize=None)
def _config_in(folder: Path) -> Config:
    for directory in (folder, *folder.parents):
        found = _read(directory / CONFIG_FILE, table_path=())
        if found is None:
            found = _read(directory / PYPROJECT, table_path=("tool", "unilingo"))
        if found is not None:
            return found
    return Config()


def _read(path: Path, table_path: tuple[str, ...]) -> Config | None:
    if not path.is_file():
        return None
    # A tree's configuration file may be a link to any file (~/.aws/config): read, its keys would be echoed in errors.
    if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve()):
        raise ConfigError(
            f"{path} is a link to a file outside its folder: a configuration file is read only from the tree it lies in; "
            "put the file itself there"
        )
    try:
        data = tomllib.loads(read_settings_file(path, "configuration file", CONFIG_LIMIT))
    except InputError as error:
        raise ConfigError(str(error)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively: a hostile tree's file may nest past the stack
        raise ConfigError(f"{path} nests deeper than a configuration file ever does") from None
    table: Any = data
    for key in table_path:
        table = table.get(key) if isinstance(table, dict) else None
    if table is None:
        return None  # a pyproject.toml without [tool.unilingo]: keep looking upward
    where = f"{path} [{'.'.join(table_path)}]" if table_path else str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of settings")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{where}: unknown key {excerpt(key)}; known keys: {', '.join(_KEYS)}")
        name, validate = _KEYS[key]
        try:
            values[name] = validate(value)
        except ValueError as error:
            raise ConfigError(f"{where}: bad value for {key!r}: {error}") from None
    for key, (name, option) in _PATH_KEYS.items():
        if name in values:
            values[name] = _inside(path.parent, values[name], f"{where}: {key!r}", option)
    return Config(path, values)


def _inside(folder: Path, named: str, what: str, option: str) -> str:
    """The file a configuration file names, resolved; a ConfigError unless it lies inside the configuration's folder.

    Any folder of a tree unilingo reads may hold a configuration file, so one
    from an untrusted tree must not make unilingo read a file elsewhere
    (/proc/self/environ, a key in the home folder): relative paths, ".." and
    symbolic links are followed to where they lead before the check.
    """
    root = folder.resolve()
    resolved = (root / named).resolve()
    if not resolved.is_relative_to(root):
        raise ConfigError(
            f"{what} names {excerpt(named)}, which is outside {root}: a configuration file may only name files in its "
            f"own folder or below; give a file elsewhere with {option}"
        )
    return str(resolved)


def configured(jobs: Iterable, options: dict[str, Any], given: Collection[str]) -> Iterator[tuple[dict[str, Any], list]]:
    """Jobs grouped by the settings that apply to them: the nearest configuration file's under the options ``given``.

    An option in ``given`` (on the command line or through the environment)
    wins over the file; the others take the file's value where it has one.
    Files matched by the file's ``exclude`` globs are left out.
    """
    groups: dict[Path | None, tuple[Config, list]] = {}
    for job in jobs:
        config = config_for(job.source)
        if job.source is not None and config.excludes(job.source):
            continue
        groups.setdefault(config.path, (config, []))[1].append(job)
    for config, grouped in groups.values():
        settings = dict(options)
        for name, value in config.values.items():
            if name in settings and name not in given:
                settings[name] = value
        if "models" in config.values and "models" not in given:
            # Read only where it applies (a models file the command line replaces is never opened), and held to
            # the configuration's folder: the model folders it names must lie there too. The table read is the one
            # used: the Normalizer reading the file again would skip that check, and read it twice.
            settings["models"] = load_models(config.values["models"], within=config.path.parent.resolve())
        yield settings, grouped
