"""Front matter: the values of a few keys of a Markdown file's YAML (``---``) or TOML (``+++``) header.

Only top-level keys on the allow-list, with a one-line value that is a string
(YAML plain, double- or single-quoted; TOML basic or literal), are segments;
a translation goes back at the value's exact offsets, quoted as the original
was where that is safe, else double-quoted. Every other byte of the front
matter, and every other key (``slug``, ``tags``, ``aliases``, ``url``, ...),
stays as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

DEFAULT_KEYS = ("title", "description", "summary", "linkTitle", "sidebar_label")
_OPENING = {"---": "yaml", "+++": "toml"}
_CLOSING = {"yaml": ("---", "..."), "toml": ("+++",)}
_YAML_ENTRY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]+(\S.*?)[ \t]*$")
_TOML_ENTRY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*=[ \t]*(\S.*?)[ \t]*$")
# A plain YAML scalar may not start with these, nor hold ': ' or ' #', nor read as another type.
_YAML_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_YAML_OTHER_TYPES = re.compile(r"(?i:true|false|yes|no|on|off|y|n|null|~)|[-+]?(\.?\d[\d._eE+-]*|\.inf|\.nan)")


@dataclass(frozen=True)
class FrontMatter:
    """The header at the very top of a file: its opening marker is at offset 0, on line 0."""

    kind: str  # yaml or toml
    end: int  # the end of the closing marker's line, its line ending left out
    stop_line: int  # the line after the closing marker


@dataclass(frozen=True)
class Value:
    start: int  # the value as written, quotes included
    end: int
    text: str  # what it says
    line: int


def find_front_matter(text: str, line_starts: list[int], line_ends: list[int]) -> FrontMatter | None:
    """The front matter at the very top of ``text``, if it is closed (after a byte-order mark it is text, as to the parser)."""
    opening = text[line_starts[0] : line_ends[0]].rstrip()
    kind = _OPENING.get(opening)
    if kind is None:
        return None
    for number in range(1, len(line_starts)):
        if text[line_starts[number] : line_ends[number]].rstrip() in _CLOSING[kind]:
            return FrontMatter(kind, line_ends[number], number + 1)
    return None


def values(text: str, front: FrontMatter, line_starts: list[int], line_ends: list[int], keys: tuple[str, ...]) -> list[Value]:
    """The string values of the allowed top-level keys, one per line, with their offsets."""
    entry = _YAML_ENTRY if front.kind == "yaml" else _TOML_ENTRY
    found = []
    for number in range(1, front.stop_line - 1):
        start = line_starts[number]
        match = entry.match(text, start, line_ends[number])
        if match is None or match.group(1) not in keys:
            continue
        decoded = _decode(match.group(2), front.kind)
        if decoded is not None and decoded[1].strip():
            length, said = decoded
            found.append(Value(match.start(2), match.start(2) + length, said, number))
    return found


def _decode(written: str, kind: str) -> tuple[int, str] | None:
    """How many characters the string value takes and what it says; None for anything else."""
    if written.startswith('"') and not written.startswith('"""'):
        match = re.match(r'"(?:[^"\\]|\\.)*"', written)
        try:
            said = json.loads(match.group()) if match else None
        except ValueError:  # an escape JSON does not share with YAML or TOML: left as it is
            return None
        return (match.end(), said) if match and _only_comment(written[match.end() :]) else None
    if written.startswith("'") and not written.startswith("'''"):
        match = re.match(r"'(?:[^']|'')*'" if kind == "yaml" else r"'[^']*'", written)
        if match is None or not _only_comment(written[match.end() :]):
            return None
        inner = match.group()[1:-1]
        return match.end(), inner.replace("''", "'") if kind == "yaml" else inner
    if kind == "toml" or written[0] in _YAML_INDICATORS:
        return None
    plain = written.split(" #", 1)[0].rstrip()
    if ": " in plain or plain.endswith(":") or _YAML_OTHER_TYPES.fullmatch(plain):
        return None
    return len(plain), plain


def _only_comment(rest: str) -> bool:
    rest = rest.strip()
    return not rest or rest.startswith("#")


def quote(output: str, original: str, kind: str) -> str:
    """``output`` written as the value ``original`` was, where that keeps it a string that says ``output``."""
    output = " ".join(output.split())
    double = json.dumps(output, ensure_ascii=False)
    if original.startswith("'") and (kind == "yaml" or "'" not in output):
        return "'" + (output.replace("'", "''") if kind == "yaml" else output) + "'"
    if original.startswith(("'", '"')) or kind == "toml":
        return double
    safe = (output[0] not in _YAML_INDICATORS and ": " not in output and " #" not in output
            and not output.endswith(":") and not _YAML_OTHER_TYPES.fullmatch(output))  # fmt: skip
    return output if safe else double
