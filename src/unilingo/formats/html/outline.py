"""HTML: a translated page must parse as its original does, but for the text that was translated.

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

from ..._document import HTML_FORMATTING_TAGS
from .structure import never_translated, read_attributes

# Attributes whose values the merger itself sets: an element's language, once its text is translated.
_SET_BY_MERGE = frozenset(("lang", "xml:lang"))
_HTML = "http://www.w3.org/1999/xhtml"


def outline(page: str) -> list:
    """The page's tree as html5lib builds it, each run of formatting elements side by side in a fixed order.

    A translation may put a sentence's links and emphasis in another order,
    as its language does; every element must still be there, whole, under
    the same parent.
    """
    stack: list[list] = [[]]
    for token in _tokens(page):
        if token[0] == "StartTag":
            stack.append([token])
        elif token[0] == "EndTag":
            element = stack.pop()
            element.append(token)
            stack[-1].append(element)
        else:
            stack[-1].append(token)
    while len(stack) > 1:
        element = stack.pop()
        stack[-1].append(element)
    return _formatting_in_any_order(stack[0])


def _formatting_in_any_order(items: list) -> list:
    ordered: list = []
    run: list = []
    for item in items:
        item = [item[0], *_formatting_in_any_order(item[1:])] if isinstance(item, list) else item
        if isinstance(item, list) and item[0][1] == _HTML and item[0][2] in HTML_FORMATTING_TAGS:
            run.append(item)
            continue
        ordered += sorted(run, key=repr)
        run = []
        ordered.append(item)
    return ordered + sorted(run, key=repr)


def _tokens(page: str) -> Iterator[tuple]:
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
