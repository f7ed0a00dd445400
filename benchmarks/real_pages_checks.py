"""The checks of benchmarks/real_pages.py, read with parsers of their own rather than unilingo's verifier.

HTML is read with html5lib, as a browser builds it (the tests' ``html5_shape``: elements, attribute names and
values other than those people read, comments, raw text). Markdown is read with a markdown-it of this module's
own (CommonMark with tables and strikethrough, as the documentation says unilingo reads it), its front matter
with PyYAML or tomllib. A translation may change text and the order of the inline elements inside one block (a
sentence's words, and so its links and emphasis, move); anything else is a changed tree.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt

from test_html_hostile import html5_shape

# Phrasing elements a translated sentence may carry in another order.
INLINE = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em font i img ins kbd mark q s samp small span strong sub sup time u var wbr"
    .split()
)  # fmt: skip
_TEXT = frozenset(("text", "text_special", "softbreak"))
_VERBATIM = frozenset(("code_inline", "code_block", "fence", "html_block", "html_inline"))
_FRONT = re.compile(r"\A(---|\+\+\+)\r?\n(.*?\r?\n)\1\r?\n", re.DOTALL)
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Shape:
    """A document as its parser reads it: every token in order, the same with each block's inline tokens as a bag, and
    the elements it holds."""

    exact: tuple
    relaxed: tuple
    elements: Counter


def shape(text: str, format: str) -> Shape:
    return _html_shape(text) if format == "html" else _markdown_shape(text)


def _html_shape(page: str) -> Shape:
    tokens = html5_shape(page)
    relaxed, run = [], []
    for token in tokens:
        if token[0] in ("StartTag", "EmptyTag", "EndTag") and token[2] in INLINE:
            run.append(token)
            continue
        relaxed += [tuple(sorted(run, key=repr)), token]
        run = []
    relaxed.append(tuple(sorted(run, key=repr)))
    elements = Counter(token[2] for token in tokens if token[0] in ("StartTag", "EmptyTag"))
    return Shape(tuple(tokens), tuple(relaxed), elements)


def _markdown_shape(text: str) -> Shape:
    found = _FRONT.match(text)
    body = text if found is None else "\n" * found.group(0).count("\n") + text[found.end() :]
    exact, relaxed, elements = [("front matter", _front_matter_keys(found))], [], Counter()
    relaxed.append(exact[0])
    for token in _MARKDOWN.parse(body):
        own = _token(token)
        children = [shape for child in token.children or () if (shape := _token(child)) is not None]
        exact += [own, *children]
        relaxed += [own, tuple(sorted(children, key=repr))]
        elements.update(kind for kind, _, nesting, *_ in [own, *children] if nesting >= 0 and kind != "inline")
    return Shape(tuple(exact), tuple(relaxed), elements)


def _token(token) -> tuple | None:
    if token.type in _TEXT:
        return None
    content = token.content if token.type in _VERBATIM else None
    attributes = tuple(sorted((key, value) for key, value in token.attrs.items() if key != "alt"))
    return token.type, token.tag, token.nesting, token.markup, token.info, content, attributes


def _front_matter_keys(found: re.Match | None) -> tuple | str | None:
    """The front matter's keys in order, each with whether its value is a string; its text where it does not parse."""
    if found is None:
        return None
    try:
        data = yaml.safe_load(found.group(2)) if found.group(1) == "---" else tomllib.loads(found.group(2))
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return found.group(0)
    if not isinstance(data, dict):
        return repr(data)
    return tuple((str(key), isinstance(value, str) or repr(value)) for key, value in data.items())


def first_difference(before: tuple, after: tuple) -> str:
    """Where two token sequences part, as the two tokens there."""
    for index, (old, new) in enumerate(zip(before, after)):
        if old != new:
            return f"token {index}: {_short(old)} -> {_short(new)}"
    return f"{len(before)} tokens -> {len(after)}"


def _short(token) -> str:
    return repr(token)[:160]


def restore_difference(original: str, restored: str) -> str:
    """Where a restored text first differs from the original, with a little of each."""
    at = next((i for i, (a, b) in enumerate(zip(original, restored)) if a != b), min(len(original), len(restored)))
    return f"at {at}: {original[max(at - 30, 0) : at + 50]!r} -> {restored[max(at - 30, 0) : at + 50]!r}"
