"""HTML: pages are read and written as UTF-8; one that declares another encoding is refused, unless it is ASCII alone."""

from __future__ import annotations

import re

from ..._errors import InputError, OutputError

# Where a page declares its encoding: a meta charset or http-equiv content type, in its first 1,024 bytes.
_DECLARED = re.compile(r"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.()-]+)""", re.IGNORECASE)
_UTF8 = ("utf-8", "utf8", "unicode-1-1-utf-8")


def check_encoding(text: str, label: str) -> None:
    """A page that declares an encoding other than UTF-8 is an input error, unless it is ASCII alone in an encoding that reads ASCII as ASCII.

    The translation is written in UTF-8; ASCII reads the same in both.
    """
    found = _DECLARED.search(text, 0, 1024)
    if found and found.group(1).lower() not in _UTF8 and not (text.isascii() and _ascii_compatible(found.group(1))):
        raise InputError(
            f"{label} declares its encoding as {found.group(1)}, and unilingo reads and writes UTF-8: convert it "
            f"(for example 'iconv -f {found.group(1)} -t utf-8') and declare <meta charset=\"utf-8\">"
        )


def check_output_encoding(text: str, label: str) -> None:
    """A page read as ASCII under another declared encoding must be written as ASCII too, or it would not read as written."""
    found = _DECLARED.search(text, 0, 1024)
    if found and found.group(1).lower() not in _UTF8 and not text.isascii():
        raise OutputError(
            f"{label}: the translation holds characters other than ASCII, and the page declares its encoding as "
            f"{found.group(1)}: convert the page to UTF-8 (for example 'iconv -f {found.group(1)} -t utf-8'), "
            f"declare <meta charset=\"utf-8\"> and translate it again"
        )


def _ascii_compatible(encoding: str) -> bool:
    try:
        return _ASCII.encode(encoding) == _ASCII.encode("ascii")
    except (LookupError, UnicodeError):
        return False


_ASCII = "".join(map(chr, range(128)))
