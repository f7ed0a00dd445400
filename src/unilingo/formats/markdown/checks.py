"""Markdown: a translated sentence, and a translated document, must parse into the markup the original held."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from ..._frontmatter import find_front_matter
from ..._sentences import Lines
from .escape import starts_line
from .walker import parse_view, parser

# Inline tokens whose kind and nesting the translation must keep; text is what changes.
_TEXT_TOKENS = ("text", "text_special", "softbreak", "hardbreak")
# Tokens whose content is copied, never translated.
_VERBATIM = frozenset(("code_inline", "code_block", "fence", "html_block", "html_inline"))
# What a translation may change: its words, escapes and references, and the line breaks inside a sentence.
_TEXT = frozenset(("text", "text_special", "softbreak"))


def markup_changed(text: str, start: int, original: str, output: str) -> str | None:
    """How ``output``, in place of the sentence ``original`` at ``start``, would change its markup; None when it keeps it.

    Runs translated one by one may put a marker between letters or next to
    punctuation, where Markdown reads it otherwise (a literal ``**``, ``_``).
    """
    if _signature(output) != _signature(original):
        return "the sentence would parse into other inline markup"
    if starts_line(text, start) and _blocks(output) != _blocks(original):
        return "the sentence would start another kind of block"
    return None


@lru_cache(maxsize=4096)
def _signature(sentence: str) -> tuple[tuple[str, int, str, str], ...]:
    """The sentence's inline markup, in any order (translation may reorder it), each piece with its nesting depth."""
    tokens = parser().parseInline(sentence)[0].children or []
    return tuple(sorted(
        (token.type, token.level, token.content if token.type in ("code_inline", "html_inline") else "",
         str(token.attrs.get("href") or token.attrs.get("src") or ""))
        for token in tokens
        if token.type not in _TEXT_TOKENS
    ))  # fmt: skip


@lru_cache(maxsize=4096)
def _blocks(sentence: str) -> tuple[tuple[str, int], ...]:
    return tuple((token.type, token.level) for token in parser().parse(sentence) if token.type != "inline")


def outline(text: str) -> Iterator[tuple]:
    """Every block and inline token, its tag, markup, link and image attributes, and the content of code and raw HTML.

    Only text (and the line breaks inside a sentence, which a translation
    joins) is left out: two documents with the same outline differ in their
    translated text alone.
    """
    lines = Lines(text)
    view = parse_view(text, find_front_matter(text, lines.starts, lines.ends))
    for token in parser().parse(view):
        yield from _token_outline(token)


def _token_outline(token) -> Iterator[tuple]:
    if token.type in _TEXT:
        return
    content = token.content if token.type in _VERBATIM else None
    # An image's alt attribute is its translated description's text.
    attributes = tuple(sorted((key, value) for key, value in token.attrs.items() if key != "alt"))
    yield token.type, token.tag, token.nesting, token.markup, token.info, content, attributes
    yield from _spans_in_any_order(token.children or ())


def _spans_in_any_order(children) -> Iterator[tuple]:
    """A sentence's inline markup, each outermost span (with what it holds) as one item, in a fixed order.

    A translation may put a sentence's links, emphasis and code in another
    order, as its language does ("Den **Täter** hat die [Polizei] ..." ->
    "The [police] caught the **culprit** ..."); every span must still be
    there, whole, with what it held.
    """
    spans: list[tuple] = []
    current: list[tuple] = []
    depth = 0
    for child in children:
        current += _token_outline(child)
        depth += child.nesting
        if depth == 0 and current:
            spans.append(tuple(current))
            current = []
    yield from sorted(spans, key=repr)
    yield from current
