"""The core the cluster adapters share: one Normalizer per worker process, and pandas batches through it.

Spark and Ray run user code in long-lived worker processes and hand it pandas
DataFrames. Loading a model costs seconds and hundreds of MB, so the Normalizer
is built once per process from picklable settings and kept here, in an
importable module: a cache in a function defined in the driver script is
pickled with it and starts empty in every task (measured: 8 model loads for 8
partitions). ``normalize_frame`` gives a batch ``normalize_records``'s answer:
fields normalized, ``<field>_original`` and a ``unilingo`` summary added, bad
rows skipped, kept or raised by ``on_error``.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from ._api import ON_ERROR, SUMMARY_FIELD, Normalizer
from ._engines import EngineOptions
from ._errors import ConfigError
from ._memory import cache_dir
from ._settings import NORMALIZER_KEYWORDS

log = logging.getLogger("unilingo")

# Set to a folder, each worker process writes <pid>.json there after every batch:
# how many Normalizers and models it loaded, rows done, peak memory.
STATS_ENV = "UNILINGO_WORKER_STATS"

_normalizers: dict[str, Normalizer] = {}
_stats = {"normalizers": 0, "batches": 0, "rows": 0, "bad_rows": 0}
# Held open for the life of the process: its lock is what makes a translation memory file this process's own.
_memory_lock = None


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its Normalizer: ``Normalizer``'s keyword arguments, picklable.

    ``cache`` True (the default) gives each worker process a translation
    memory file of its own on its local disk (``worker-N.sqlite`` in the cache
    folder), reused by the next process that takes slot N, so workers never
    wait on each other's writes; a path shares one file, False is none.
    """

    normalizer: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_keywords(cls, keywords: dict[str, Any], threads: int | None = None) -> "Settings":
        """Settings from ``Normalizer``'s keyword arguments; ``threads`` fills the engine's if it has none."""
        unknown = sorted(set(keywords) - set(NORMALIZER_KEYWORDS))
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}: use Normalizer's keyword arguments ({', '.join(sorted(NORMALIZER_KEYWORDS))})")
        # A path object's repr would make the same file two settings, and two Normalizers.
        keywords = {name: os.fspath(given) if isinstance(given, os.PathLike) else given for name, given in keywords.items()}
        engine = keywords.get("engine", EngineOptions())
        if threads is not None and engine.threads is None:
            keywords["engine"] = replace(engine, threads=threads)
        return cls(keywords)

    def key(self) -> str:
        return json.dumps(self.normalizer, sort_keys=True, default=repr)




def normalizer(settings: Settings) -> Normalizer:
    """This process's Normalizer for ``settings``, built the first time they are asked for."""
    key = settings.key()
    if key not in _normalizers:
        keywords = dict(settings.normalizer)
        if keywords.get("cache", True) is True:
            keywords["cache"] = _worker_memory_path()
        _normalizers[key] = Normalizer(**keywords)
        _stats["normalizers"] += 1
    return _normalizers[key]


def output_columns(columns: Sequence[str], fields: Sequence[str]) -> list[str]:
    """The columns of a normalized frame: the input's, then ``<field>_original`` for each field, then the summary."""
    missing = [name for name in fields if name not in columns]
    if missing:
        raise ConfigError(f"no column {missing[0]!r} to normalize: the columns are {', '.join(map(str, columns))}")
    # Spark keeps both of a join's same-named columns: each row's field would be two values, none of them a string.
    doubled = [name for name in fields if columns.count(name) > 1]
    if doubled:
        raise ConfigError(f"{columns.count(doubled[0])} columns are named {doubled[0]!r}: rename or drop all but the one to normalize")
    added = [f"{name}_original" for name in fields] + [SUMMARY_FIELD]
    taken = [name for name in added if name in columns]
    if taken:
        raise ConfigError(f"column {taken[0]!r} exists already: rename it, or normalize the original column instead")
    return list(columns) + added


def check_call(columns: Sequence[str], fields: Sequence[str], on_error: str, settings: dict[str, Any]) -> list[str]:
    """``fields`` as a list, once a call's mistakes have failed on the driver rather than on every worker."""
    if isinstance(fields, str):
        raise ConfigError(f"fields is a list of column names: fields=[{fields!r}]")
    if not fields:
        raise ConfigError("name at least one field to normalize, e.g. fields=['body']")
    if on_error not in ON_ERROR:
        raise ConfigError(f"unknown on-error policy {on_error!r}: use {', '.join(ON_ERROR)}")
    output_columns(columns, fields)
    Settings.from_keywords(settings)
    return list(fields)


def normalize_frame(frame, fields: Sequence[str], settings: Settings, format: str = "text", on_error: str = "skip"):
    """``frame`` (a pandas DataFrame) with ``fields`` normalized as ``Normalizer.normalize_records`` does.

    Other columns keep their values and types; a bad row (a field null or not
    a string) is dropped (``skip``), kept with the added columns null
    (``keep``), or raised as an InputError (``fail``).
    """
    import pandas

    columns = output_columns(list(frame.columns), fields)
    rows = [{name: _plain(frame[name].iloc[i]) for name in fields} for i in range(len(frame))]
    bad: list[int] = []

    def reported(number: int, reason: str) -> None:
        bad.append(number - 1)
        log.warning("unilingo: row %d of a batch of %d: %s", number, len(frame), reason)

    results = list(normalizer(settings).normalize_records(rows, fields, format, on_error=on_error, on_bad_record=reported))
    bad_rows = set(bad)
    kept = [i for i in range(len(frame)) if on_error == "keep" or i not in bad_rows]
    out = frame.iloc[kept].reset_index(drop=True).copy()
    done = [result if i not in bad_rows else None for i, result in zip(kept, results)]
    for name in fields:
        out[name] = [result[name] if result else frame[name].iloc[i] for i, result in zip(kept, done)]
        out[f"{name}_original"] = pandas.Series([result[f"{name}_original"] if result else None for result in done], dtype=object)
    out[SUMMARY_FIELD] = pandas.Series([result[SUMMARY_FIELD] if result else None for result in done], dtype=object)
    _count(len(frame), len(bad_rows))
    return out[columns]


def normalize_frames(frames: Iterator, fields: Sequence[str], settings: Settings, format: str, on_error: str) -> Iterator:
    for frame in frames:
        yield normalize_frame(frame, fields, settings, format, on_error)


def process_stats() -> dict[str, Any]:
    """This process's counts: Normalizers built, models loaded, the most threads one uses, batches and rows done, peak memory in MB."""
    models = sum(len(n.translator.loaded_models) for n in _normalizers.values())
    threads = max((n.translator.choice.threads for n in _normalizers.values() if n.translator.loaded_models), default=0)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak_kb / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {"pid": os.getpid(), **_stats, "models_loaded": models, "threads": threads, "peak_rss_mb": round(peak_mb, 1)}


def _count(rows: int, bad_rows: int) -> None:
    _stats["batches"] += 1
    _stats["rows"] += rows
    _stats["bad_rows"] += bad_rows
    folder = os.environ.get(STATS_ENV)
    if folder:
        path = Path(folder) / f"{os.getpid()}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(process_stats()), encoding="utf-8")


def _plain(value):
    # pandas hands missing strings over as None, NaN or pandas.NA: all are "not a string".
    return value if isinstance(value, str) else None


def _worker_memory_path() -> Path:
    """The first ``worker-N.sqlite`` in the cache folder no other live process holds."""
    global _memory_lock
    if _memory_lock is not None:
        return Path(_memory_lock.name).with_suffix(".sqlite")
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; a file per process
        return folder / f"worker-{os.getpid()}.sqlite"
    slot = 0
    while True:
        lock = open(folder / f"worker-{slot}.lock", "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            slot += 1
            continue
        _memory_lock = lock
        return folder / f"worker-{slot}.sqlite"
