"""Errors a user can cause, each with the exit code the CLI documents."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # check found text to translate; fix changed files
    USAGE = 2
    INPUT = 3
    MODEL = 4
    OUTPUT = 5


class UnilingoError(Exception):
    """Base class: the message is one line that names the thing and the fix."""

    exit_code = ExitCode.USAGE


class ConfigError(UnilingoError):
    """Bad option value, unknown language, or a bad models file line."""

    exit_code = ExitCode.USAGE


class InputError(UnilingoError):
    """A file that is missing, unreadable, not UTF-8, or has nothing to restore."""

    exit_code = ExitCode.INPUT


class ModelError(UnilingoError):
    """A model that cannot be found, downloaded or loaded."""

    exit_code = ExitCode.MODEL


class OutputError(UnilingoError):
    """An output that cannot be written."""

    exit_code = ExitCode.OUTPUT


# The most characters of a file's content that an error message shows.
EXCERPT_CHARS = 40


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A piece of untrusted content as an error may show it: quoted, control characters escaped, cut short.

    A file named by a configuration file may be anything (a secret, the
    environment); an error that repeated it whole would copy it into logs.
    """
    shown = repr(text[:limit])
    return shown + "..." if len(text) > limit else shown
