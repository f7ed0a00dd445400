"""Front matter: the values of a few keys of a Markdown file's YAML (``---``) or TOML (``+++``) header.

Only top-level keys on the allow-list, with a one-line value that is a string
(YAML plain, double- or single-quoted; TOML basic or literal), are segments;
a translation goes back at the value's exact offsets, quoted as the original
was where that is safe, else double-quoted with escapes. Every other byte of
the front matter, and every other key (``slug``, ``tags``, ``aliases``,
``url``, ...), stays as it is. A translation is written only when the front
matter parsed again says exactly it for that key and the same as before for
every other key.
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
# Words a YAML 1.1 or 1.2 parser reads as a boolean or null, in any case: never written plain.
_YAML_WORDS = frozenset(("true", "false", "yes", "no", "on", "off", "y", "n", "null"))
# Characters a YAML or TOML string may not hold as they are (controls, line separators, non-characters, surrogates):
# written as escapes, which only a double-quoted value has.
_NEEDS_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


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
        # An indented line after it continues a YAML value: the value is not this line's alone.
        if front.kind == "yaml" and _continued(text, number + 1, front.stop_line - 1, line_starts, line_ends):
            continue
        decoded = _decode(match.group(2), front.kind)
        if decoded is not None and decoded[1].strip():
            length, said = decoded
            found.append(Value(match.start(2), match.start(2) + length, said, number))
    return found


def _continued(text: str, number: int, closing: int, line_starts: list[int], line_ends: list[int]) -> bool:
    """Whether the first line from ``number`` on that is not blank is indented, before the ``closing`` line."""
    for line in range(number, closing):
        content = text[line_starts[line] : line_ends[line]]
        if content.strip():
            return content[0] in " \t"
    return False


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
    escapes = _NEEDS_ESCAPE.search(output) is not None
    if original.startswith("'") and not escapes and (kind == "yaml" or "'" not in output):
        return "'" + (output.replace("'", "''") if kind == "yaml" else output) + "'"
    if kind == "yaml" and not original.startswith(("'", '"')) and not escapes and _plain_is_string(output):
        return output
    return _double_quoted(output)


def _plain_is_string(output: str) -> bool:
    """Whether ``output`` written plain is a YAML string that says it: a letter first, no syntax, no other type."""
    return (output[:1].isalpha() and output.lower() not in _YAML_WORDS
            and ": " not in output and " #" not in output and not output.endswith(":"))  # fmt: skip


def _double_quoted(output: str) -> str:
    """A double-quoted value, YAML or TOML, that says ``output``: JSON's escapes are valid in both, as are \\u and \\U."""
    return _NEEDS_ESCAPE.sub(_escape, json.dumps(output, ensure_ascii=False))


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def written_problem(text: str, front: FrontMatter, start: int, end: int, written: str, output: str) -> str | None:
    """Why ``written`` in place of ``text[start:end]`` would not make the front matter say ``output`` there and nothing else new.

    None when the front matter, parsed again, gives exactly ``output`` (its
    whitespace collapsed, as ``quote`` writes it) for that value's key and
    the same as before for every other key.
    """
    body_start = text.index("\n") + 1
    body_end = text.rfind("\n", 0, front.end) + 1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    entry = (_YAML_ENTRY if front.kind == "yaml" else _TOML_ENTRY).match(text, line_start, line_end if line_end >= 0 else len(text))
    if entry is None:
        return "its key could not be found again"
    key, intended = entry.group(1), " ".join(output.split())
    read = _yaml_entries if front.kind == "yaml" else _toml_entries
    kind = front.kind.upper()
    try:
        old = read(text[body_start:body_end])
    except ImportError:
        # No parser to ask (tomllib before Python 3.11): quote's careful writing stands alone.
        return None
    except Exception as error:  # each parser raises its own errors, and RecursionError on deep nesting
        return f"the front matter does not parse as {kind} ({type(error).__name__}), so what it would say cannot be checked"
    try:
        new = read(text[body_start:start] + written + text[end:body_end])
    except Exception as error:
        return f"the front matter would no longer parse as {kind} ({type(error).__name__})"
    if [value for name, value in new if name == key] != [("str", intended)]:
        return f"the {kind} parser would not read it back as the string written"
    if [entry for entry in old if entry[0] != key] != [entry for entry in new if entry[0] != key]:
        return f"it would change other {kind} keys"
    return None


def _yaml_entries(body: str) -> list[tuple]:
    """Each top-level key, in order, with its value as (type, what it says), as a YAML parser resolves them, no objects built.

    A list, not a dict: parsers disagree on a key written twice, so a second one counts as a change.
    """
    import yaml

    root = yaml.compose(body, Loader=yaml.SafeLoader)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("not a mapping")
    entries = [(_yaml_node(key), _yaml_node(value)) for key, value in root.value]
    return [(key[1] if key[0] == "str" else key, value) for key, value in entries]


def _yaml_node(node) -> tuple:
    tag = node.tag.rsplit(":", 1)[-1]
    if isinstance(node.value, str):
        return tag, node.value
    if node.value and isinstance(node.value[0], tuple):
        return tag, tuple((_yaml_node(key), _yaml_node(value)) for key, value in node.value)
    return tag, tuple(_yaml_node(item) for item in node.value)


def _toml_entries(body: str) -> list[tuple]:
    import tomllib

    return [(key, ("str", value) if isinstance(value, str) else (type(value).__name__, repr(value))) for key, value in tomllib.loads(body).items()]
