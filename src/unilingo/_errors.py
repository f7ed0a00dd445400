"""Errors a user can cause, each with the exit code the CLI documents."""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Callable

# A setting an error advises is written ``setting("backend", "transformers")`` into its message, and shown where
# the error lands: as the option on the command line ("--backend transformers"), as the keyword in Python
# (backend='transformers'). NUL marks it: no file name or shown excerpt holds one.
_SETTING = re.compile("\0([a-z_]+)(?:=([^\0]*))?\0")


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

    def __str__(self) -> str:
        return self.shown(as_keyword)

    def shown(self, show_setting: Callable[[str, str | None], str]) -> str:
        """The message, each setting it advises shown by ``show_setting(name, value)`` (value None: a file)."""
        return printable(_SETTING.sub(lambda found: show_setting(found.group(1), found.group(2)), super().__str__()))


def setting(name: str, value: str | None = None) -> str:
    """A setting (and the value to give it; None: a file's path) as an error message advises it."""
    return f"\0{name}\0" if value is None else f"\0{name}={value}\0"


def as_keyword(name: str, value: str | None) -> str:
    """A setting as Python code gives it: Normalizer's keyword, or EngineOptions' field of that name."""
    return f"{name}=PATH" if value is None else f"{name}={value!r}"


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


# C0 and C1 controls and DEL: what a terminal may act on (ESC starts a sequence that can retitle the window,
# rewrite the screen or, in some terminals, run commands; a newline starts a forged line of a report).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with each control character escaped as Python writes it (``\\x1b``), for a line on a terminal.

    A file's name is as untrusted as its contents: a tree may hold one named
    with escape sequences or a newline, and a line naming it must show it, not obey it.
    """
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)
