"""Translation memory: a persistent SQLite cache of translations and language guesses.

A translation is reused only for the same model (id and weights revision or
hash), the same generation settings and the same source text, so a cached
answer is exactly what the model would say again. Several processes may share
one file (WAL journal, a short busy timeout); a cache that is locked too long,
unreadable or corrupt costs speed, never a run: it is reported once as a
warning and translation goes on without it. ``clear`` replaces a file that is
not a usable database with an empty one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ._errors import ConfigError, OutputError

CACHE_DIR_ENV = "UNILINGO_CACHE_DIR"
MEMORY_FILE = "translations.sqlite3"
# How long to wait for another process's write before going on without the
# cache: long enough for another unilingo's short write transactions, short
# enough that a file held locked costs a run about a second, paid once.
DEFAULT_BUSY_TIMEOUT = 1.0
# SQLite refuses more host parameters than this in one statement on old builds.
_LOOKUP_CHUNK = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    looped INTEGER NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS detections (
    detector TEXT NOT NULL,
    source TEXT NOT NULL,
    guess TEXT NOT NULL,
    PRIMARY KEY (detector, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fingerprints (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""

log = logging.getLogger("unilingo")


def cache_dir() -> Path:
    """Where unilingo keeps its translation memory and converted models."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("unilingo", appauthor=False))


def write_cache_file(path: Path, data: bytes) -> None:
    """Write a file of data unilingo derives (py3langid's unpacked model), whole or not at all, or nothing if it cannot.

    Written aside, then renamed, so a process reading meanwhile sees the
    whole file or none; the thread is in the name too, so threads of one
    process writing at once do not write one file together. A cache that
    cannot be written only costs deriving it again.
    """
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
    except OSError:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass


# Derived data is marked used (its time) at most once a day, and another environment's removed after a month unused.
_USED_MARK_SECONDS = 24 * 3600
UNUSED_SECONDS = 30 * 24 * 3600


def mark_cache_used(path: Path) -> None:
    try:
        if time.time() - path.stat().st_mtime > _USED_MARK_SECONDS:
            os.utime(path)
    except OSError:
        pass  # a cache that cannot be written is still read


def unused_for_long(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > UNUSED_SECONDS
    except OSError:
        return False  # gone already, or not ours to judge


def default_memory_path() -> Path:
    return cache_dir() / MEMORY_FILE


@dataclass(frozen=True)
class MemoryStats:
    path: str
    entries: int
    size_bytes: int
    models: dict[str, int]  # model key -> entries
    exists: bool = True  # False: no memory file at this path (nothing remembered there yet, or a mistyped path)


@dataclass(frozen=True)
class Cleared:
    removed: int  # translations forgotten
    recreated: bool  # the file was not a usable database and was replaced by an empty one
    existed: bool = True  # False: there was no memory file at this path to clear


class TranslationMemory:
    """Cached translations in one SQLite file, opened on first use; threads may share it."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.path = Path(path) if path is not None else default_memory_path()
        # sqlite3 and pathlib raise a bare ValueError on it, at the first lookup; only Python can pass one.
        if "\0" in str(self.path):
            raise ConfigError(f"translation memory {self.path}: a file name cannot hold a NUL character")
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None
        self._broken = False
        # One connection, used by one thread at a time: SQLite serializes a file's writers anyway.
        self._lock = threading.RLock()

    def lookup(self, model: str, sources: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """The cached ``(output, looped)`` of ``sources`` under ``model``; misses are left out."""
        rows = self._rows("SELECT source, output, looped FROM translations WHERE model = ?", model, list(sources))
        return {source: (output, bool(looped)) for source, output, looped in rows}

    def lookup_detections(self, detector: str, sources: Sequence[str]) -> dict[str, dict]:
        """Remembered language guesses (JSON objects) of ``sources`` by ``detector``."""
        rows = self._rows("SELECT source, guess FROM detections WHERE detector = ?", detector, list(sources))
        return {source: json.loads(guess) for source, guess in rows}

    def _rows(self, query: str, key: str, sources: list[str]) -> list[tuple]:
        """``query``'s rows for ``key`` and each of ``sources``, asked in chunks; as many as could be read."""
        found: list[tuple] = []
        for first in range(0, len(sources), _LOOKUP_CHUNK):
            chunk = sources[first : first + _LOOKUP_CHUNK]
            sql = f"{query} AND source IN ({','.join('?' * len(chunk))})"
            rows = self._run("read", lambda db: db.execute(sql, [key, *chunk]).fetchall())
            if rows is None:
                break
            found.extend(rows)
        return found

    def store_detections(self, detector: str, guesses: dict[str, dict]) -> None:
        rows = [(detector, source, json.dumps(guess)) for source, guess in guesses.items()]

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO detections VALUES (?, ?, ?)", rows)

        if rows:
            self._run("write", write)

    def store(self, model: str, translations: dict[str, tuple[str, bool]]) -> None:
        now = time.time()
        # SQLite cannot take a lone surrogate; such an output is rejected by the caller anyway.
        rows = [(model, source, output, int(looped), now) for source, (output, looped) in translations.items() if _encodable(output)]

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)", rows)

        if rows:
            self._run("write", write)

    def file_sha256(self, path: Path) -> str:
        """The SHA-256 of a file, remembered while its size and modification time stay the same."""
        stat = path.stat()
        key = str(path.resolve())
        row = self._run(
            "read",
            lambda db: db.execute(
                "SELECT sha256 FROM fingerprints WHERE path = ? AND size = ? AND mtime_ns = ?",
                (key, stat.st_size, stat.st_mtime_ns),
            ).fetchone(),
        )
        if row:
            return row[0]
        digest = sha256_of(path)

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.execute(
                    "INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?)", (key, stat.st_size, stat.st_mtime_ns, digest)
                )

        self._run("write", write)
        return digest

    def stats(self) -> MemoryStats:
        if not self.path.exists():
            return MemoryStats(str(self.path), 0, 0, {}, exists=False)
        rows = self._run("read", lambda db: db.execute("SELECT model, COUNT(*) FROM translations GROUP BY model").fetchall())
        models = dict(rows or [])
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return MemoryStats(str(self.path), sum(models.values()), size, models)

    def clear(self) -> Cleared:
        """Forget every translation; a file that is not a usable SQLite database is replaced by an empty one.

        Raises OutputError when the file is locked by another process or cannot be written.
        """
        with self._lock:
            return self._clear()

    def _clear(self) -> Cleared:
        if not self.path.exists():
            return Cleared(0, recreated=False, existed=False)
        try:
            db = self._connect()
            with db:
                count = db.execute("DELETE FROM translations").rowcount
                db.execute("DELETE FROM detections")
                db.execute("DELETE FROM fingerprints")
            db.execute("VACUUM")
            return Cleared(count, recreated=False)
        except sqlite3.DatabaseError as error:
            if not _is_damage(error):
                raise self._cannot_clear(error) from error
        self.close()
        try:
            # A stale journal or WAL beside the new file would be replayed into it.
            for suffix in ("", "-wal", "-shm", "-journal"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            self._connect()
        except (sqlite3.DatabaseError, OSError) as error:
            raise self._cannot_clear(error) from error
        self._broken = False
        return Cleared(0, recreated=True)

    def _cannot_clear(self, error: Exception) -> OutputError:
        if _is_busy(error):
            return OutputError(f"{self.path}: in use by another process ({error}); clear it when that one is done")
        return OutputError(f"{self.path}: cannot clear the translation memory ({error})")

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _run(self, what: str, action):
        with self._lock:
            if self._broken:
                return None
            try:
                return action(self._connect())
            except (sqlite3.DatabaseError, OSError) as error:
                self._give_up(what, error)
            return None

    def _give_up(self, what: str, error: Exception) -> None:
        # Also when the file is only busy: whoever holds it may hold it all run
        # long, and waiting the busy timeout on every operation is what made a
        # locked cache cost minutes.
        self._broken = True
        self.close()
        if _is_busy(error):
            log.warning("translation memory %s is busy (%s): could not %s it; going on without it", self.path, error, what)
            return
        log.warning(
            "translation memory %s cannot be used (%s); going on without it. "
            "Run 'unilingo cache clear' or delete the file to start a new one",
            self.path,
            error,
        )

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Made in whichever thread comes first, used by others under the lock.
            connection = sqlite3.connect(self.path, timeout=self.busy_timeout, check_same_thread=False)
            try:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA synchronous = NORMAL")
                connection.executescript(_SCHEMA)
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_busy(error: Exception) -> bool:
    """Another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED); the file itself may be fine."""
    return isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error))


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """The file is not an SQLite database or a damaged one (SQLITE_NOTADB, SQLITE_CORRUPT).

    The sqlite3 module raises those as plain DatabaseError; its subclasses are
    about the situation (locks, permissions, a full disk), not the file.
    """
    return type(error) is sqlite3.DatabaseError


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
