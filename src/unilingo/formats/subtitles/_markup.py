"""A cue's text as tokens: text, styling tags, protected markup and (WebVTT) character references.

SubRip's ``<i>``, ``<b>``, ``<u>``, ``<s>`` and ``<font ...>`` and WebVTT's
``<i>``, ``<b>``, ``<u>``, ``<c.class>``, ``<v Speaker>``, ``<lang xx>`` and
``<ruby>`` are formatting when they open and close in the same cue: their
text is translated and their tags carried. Anything else that is markup is
protected, copied byte for byte: a tag left open or closed without opening,
WebVTT's timestamp tags and ruby text, unknown WebVTT tags, SubRip's ASS
override codes (``{\\an8}``).
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

# The tag names that are formatting, by format; their kinds are the lowercase names.
SRT_FORMATTING = ("i", "b", "u", "s", "font")
VTT_FORMATTING = ("i", "b", "u", "c", "v", "lang", "ruby")
SRT_TAG = re.compile(r"<(/?)(i|b|u|s|font)(?:[ \t][^<>\r\n]*)?>|\{\\[^{}\r\n]*\}", re.IGNORECASE)
# A WebVTT tag: its name, classes, annotation; or a timestamp tag.
_VTT_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:\.[^\s.<>&]+)*(?:[ \t][^<>\r\n]*)?>|<\d[\d:.]*>")
# A tag or a character reference, one pass over the text.
_VTT_MARKUP = re.compile(_VTT_TAG.pattern + r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_RT_END = re.compile(r"</rt\s*>|</ruby\s*>", re.IGNORECASE)


class Token(NamedTuple):
    kind: str  # text; char (reads as ``reads``); open, close; protected
    start: int
    end: int
    reads: str = ""  # text and char: what the model reads
    tag: str = ""  # open and close: the formatting kind; protected: its kind


def tokens(text: str, start: int, end: int, vtt: bool) -> list[Token]:
    """The tokens of ``text[start:end]``, one cue's text (or one line of it), tags paired within it."""
    found: list[Token] = []
    position = start
    for match in (_VTT_MARKUP if vtt else SRT_TAG).finditer(text, start, end):
        if match.start() < position:
            continue  # inside ruby text, taken whole
        _text(text, position, match.start(), found)
        if match.group().startswith("&"):
            decoded = html.unescape(match.group())
            found.append(Token("char", *match.span(), decoded) if decoded != match.group() else Token("text", *match.span(), decoded))
            position = match.end()
        else:
            position = _tag(text, match, end, vtt, found)
    _text(text, position, end, found)
    return _paired(_joined(found))


def _tag(text: str, tag: re.Match, end: int, vtt: bool, found: list[Token]) -> int:
    """The tag's token (ruby text whole, with its tags); where the text after it starts."""
    written = tag.group()
    if written.startswith("{") or written[1:2].isdigit():
        found.append(Token("protected", *tag.span(), tag="html"))
        return tag.end()
    name = tag.group(2).lower()
    if vtt and name == "rt" and not tag.group(1):
        # Ruby text reads a word aloud (furigana): not to be translated apart from its base.
        closing = _RT_END.search(text, tag.end(), end)
        stop = closing.end() if closing is not None and closing.group().lower().startswith("</rt") else (closing.start() if closing else end)
        found.append(Token("protected", tag.start(), stop, tag="html"))
        return stop
    formatting = VTT_FORMATTING if vtt else SRT_FORMATTING
    if name not in formatting:
        found.append(Token("protected", *tag.span(), tag="html"))
    else:
        found.append(Token("close" if tag.group(1) else "open", *tag.span(), tag=name))
    return tag.end()


def _text(text: str, start: int, end: int, found: list[Token]) -> None:
    """Text, each line break inside it (with the spaces around it) one character that reads as a space."""
    position = start
    for match in re.finditer(r"[ \t]*(?:\r\n|\r|\n)[ \t]*", text[start:end]):
        at, until = start + match.start(), start + match.end()
        if at > position:
            found.append(Token("text", position, at, text[position:at]))
        found.append(Token("char", at, until, " "))
        position = until
    if end > position:
        found.append(Token("text", position, end, text[position:end]))


def _joined(found: list[Token]) -> list[Token]:
    """Neighbouring text tokens as one."""
    joined: list[Token] = []
    for token in found:
        if token.kind == "text" and joined and joined[-1].kind == "text" and joined[-1].end == token.start:
            joined[-1] = Token("text", joined[-1].start, token.end, joined[-1].reads + token.reads)
        else:
            joined.append(token)
    return joined


def _paired(found: list[Token]) -> list[Token]:
    """The tokens with every tag that does not open and close in order made protected."""
    stack: list[int] = []
    unpaired: set[int] = set()
    for index, token in enumerate(found):
        if token.kind == "open":
            stack.append(index)
        elif token.kind == "close":
            if stack and found[stack[-1]].tag == token.tag:
                stack.pop()
            else:
                unpaired.add(index)
    unpaired.update(stack)
    return [Token("protected", token.start, token.end, tag="html") if index in unpaired else token
            for index, token in enumerate(found)]  # fmt: skip


def visible(tokens_: list[Token]) -> str:
    """What a reader sees of the tokens: their text, no tags."""
    return "".join(token.reads for token in tokens_ if token.kind in ("text", "char"))
