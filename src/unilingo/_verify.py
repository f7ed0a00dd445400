"""Verifier: a translated document must parse as its original does, but for the text that was translated.

Markdown is read again with the segmenter's own CommonMark parser: every
block and inline token, its tag, markup, link and image attributes, and the
content of code, fences and raw HTML must be as they were; only text (and the
line breaks inside a sentence, which a translation joins) may differ.

HTML:
The segmenter reads a page with ``html.parser`` measured against HTML5's
tokenizer rules; this check reads both the original and the output with
html5lib, a complete HTML5 parser, and compares what a browser would build:
every element, its namespace and place in the tree, every attribute name and
every value that is not one people read, every comment and doctype, and all
text inside script, style, raw text and never-translated elements. Where the
two parsers could have disagreed about what is text, a translation that
landed in markup shows up here, and the page is kept as it was.
"""

from __future__ import annotations

from typing import Iterator

from ._frontmatter import find_front_matter
from ._html import never_translated, read_attributes
from ._segment import _Lines, _parse_view, _parser

# Attributes whose values the merger itself sets: an element's language, once its text is translated.
_SET_BY_MERGE = frozenset(("lang", "xml:lang"))
_HTML = "http://www.w3.org/1999/xhtml"


# Tokens whose content is copied, never translated.
_VERBATIM = frozenset(("code_inline", "code_block", "fence", "html_block", "html_inline"))
# What a translation may change: its words, escapes and references, and the line breaks inside a sentence.
_TEXT = frozenset(("text", "text_special", "softbreak"))


def reads_as_original(original: str, output: str, format: str) -> bool:
    """Whether ``output`` parses to the same document as ``original`` apart from translated text and attribute values."""
    outline = _html_outline if format == "html" else _markdown_outline if format == "markdown" else None
    return outline is None or list(outline(original)) == list(outline(output))


def _markdown_outline(text: str) -> Iterator[tuple]:
    lines = _Lines(text)
    view = _parse_view(text, find_front_matter(text, lines.starts, lines.ends))
    for token in _parser().parse(view):
        yield from _token_outline(token)


def _token_outline(token) -> Iterator[tuple]:
    if token.type in _TEXT:
        return
    content = token.content if token.type in _VERBATIM else None
    # An image's alt attribute is its translated description's text.
    attributes = tuple(sorted((key, value) for key, value in token.attrs.items() if key != "alt"))
    yield token.type, token.tag, token.nesting, token.markup, token.info, content, attributes
    for child in token.children or ():
        yield from _token_outline(child)


def _html_outline(page: str) -> Iterator[tuple]:
    import html5lib
    from html5lib import treebuilders

    parser = html5lib.HTMLParser(tree=treebuilders.getTreeBuilder("etree", fullTree=True))
    walker = html5lib.getTreeWalker("etree")
    # Depth inside content that is never translated, where even the text must come through unchanged.
    frozen_depth = 0
    for token in walker(parser.parse(page)):
        kind = token["type"]
        if kind in ("StartTag", "EmptyTag"):
            namespace, name = token["namespace"], token["name"]
            names = {key: value for (attribute_namespace, key), value in token["data"].items() if attribute_namespace is None}
            read = set(read_attributes(name, names)) | _SET_BY_MERGE if namespace == _HTML else _SET_BY_MERGE
            attributes = tuple((key, None if key[1] in read and key[0] is None else value) for key, value in token["data"].items())
            yield kind, namespace, name, attributes
            if kind == "StartTag" and (frozen_depth or namespace != _HTML or never_translated(name, names)):
                frozen_depth += 1
        elif kind == "EndTag":
            yield kind, token["namespace"], token["name"]
            frozen_depth = max(frozen_depth - 1, 0)
        elif kind in ("Characters", "SpaceCharacters"):
            if frozen_depth:
                yield "Text", token["data"]
        else:
            yield kind, tuple(sorted((key, value) for key, value in token.items() if key != "type"))
