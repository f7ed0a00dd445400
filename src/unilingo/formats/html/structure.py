"""HTML: a page's blocks, lines of prose, attribute values people read and ``lang`` marks, read token by token.

Block boundaries, inline phrasing markup, never-translated content and the
attributes people read are as the format describes them (``formats/html``).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from ..._document import HTML_FORMATTING_TAGS, INLINE_MARK, Element, LangMark
from .tokens import HTML_SPACE, Tokens


_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# Content that is code, raw text, or filled in by a script or the reader: never translated.
_NEVER = frozenset(
    "script style pre textarea noscript template svg math iframe object xmp plaintext noembed noframes canvas"
    " audio video select datalist".split()
)
_FORMATTING = frozenset(HTML_FORMATTING_TAGS)
# Phrasing elements copied as they are, content included.
_PROTECTED = frozenset("code kbd samp var tt".split())
# Void phrasing elements: one protected span each.
_INLINE_VOID = frozenset("img input wbr embed".split())
# Start tags that close an open element of these names first (HTML's implied end tags, the common cases).
_CLOSED_BY = {
    "p": frozenset(
        "address article aside blockquote details dialog div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5"
        " h6 header hgroup hr main menu nav ol p pre section table ul".split()
    ),
    "li": frozenset(["li"]),
    "dt": frozenset(["dt", "dd"]),
    "dd": frozenset(["dt", "dd"]),
    "option": frozenset(["option", "optgroup"]),
    "tr": frozenset(["tr"]),
    "td": frozenset(["td", "th", "tr"]),
    "th": frozenset(["td", "th", "tr"]),
}
_ALWAYS_READ = ("title", "aria-label")
_READ_ON = {"alt": ("img", "area", "input"), "placeholder": ("input", "textarea")}
_BUTTON_TYPES = ("button", "submit", "reset")
_META_NAMES = ("description", "og:description", "og:title", "twitter:title", "twitter:description")
# After "<" these start markup to HTML5; text handed over that starts so is markup html.parser gave up on.
_MARKUP_START = re.compile(r"<[A-Za-z!/?]")
_SPACE_RUN = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")


@dataclass(frozen=True)
class Attribute:
    """An attribute value people read: ``start``/``end`` cover it quotes included."""

    name: str
    start: int
    end: int
    value: str  # decoded, whitespace collapsed
    lang: str | None


@dataclass
class Structure:
    lines: list[tuple[int, list[Element]]]  # (block, pieces) per line of prose, in document order
    blocks: list[tuple[int, int]]  # per block: from its first piece that is not whitespace to the end of its last
    attributes: list[Attribute]
    marks: list[LangMark]
    language_starts: list[int]  # where the language in effect changes
    languages: list[str | None]  # what it changes to
    no_inline_original: set[int]  # blocks after which a comment would be text (a title's) or code (an unclosed code element's)
    translated: list[tuple[int, int]]  # blocks followed by their inline original: translated already


def language_at(found: "Structure", offset: int) -> str | None:
    return found.languages[bisect.bisect_right(found.language_starts, offset) - 1]


def primary_language(value: str) -> str | None:
    """The primary subtag of a ``lang`` value ("de-AT" -> "de"); None for an empty or malformed one."""
    primary = value.strip().split("-")[0].split("_")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


@dataclass
class _Open:
    tag: str
    lang: str | None
    never: bool
    mark: int | None  # index of its LangMark


def structure(text: str) -> Structure:
    """The page's lines of prose, blocks, attribute values people read and ``lang`` marks, from its tokens in order."""
    tokens = Tokens(text)
    tokens.read(text)
    events = tokens.events
    reader = _Reader(text)
    for number, (kind, start, tag, payload) in enumerate(events):
        end = events[number + 1][1] if number + 1 < len(events) else len(text)
        if not reader.read(kind, start, end, tag, payload):
            break
    return reader.finish()


class _Reader:
    """The structure so far, one token at a time: the open elements, the line of prose and the block being read."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found = Structure([], [], [], [], [0], [None], set(), [])
        self.stack: list[_Open] = []
        self.line: list[Element] = []
        self.block_index = 0
        self.in_block = False
        self.title_depth = 0
        self.protecting: tuple[str, int, int] | None = None  # (tag, start, depth) of a protected inline element being copied
        self.opaque_until = 0  # the end of a tag html.parser gave up on and handed over as text ("<a\x00>")

    def read(self, kind: str, start: int, end: int, tag: str, payload) -> bool:
        """Take the token from ``start`` to ``end``; False once nothing after it is read (the rest is left alone)."""
        if start < self.opaque_until:
            if kind != "data" or end <= self.opaque_until:
                return True
            kind, payload, start = "data", self.text[self.opaque_until : end], self.opaque_until
        if self.protecting is not None and self._protected(kind, start, end, tag, payload):
            return True
        if kind == "data":
            self._data(start, end, payload)
        elif kind == "ref":
            self._reference(start, end, payload)
        elif kind == "comment":
            self._comment(start, end)
        elif kind in ("other", "raw"):
            self.end_block()
        elif kind == "stop":
            self.end_block()
            return False
        elif kind == "start":
            self._start(start, end, tag, payload)
        elif kind == "end":
            self._end(start, end, tag)
        return True

    def finish(self) -> Structure:
        if self.protecting is not None:
            self._unclosed(self.protecting[1], len(self.text))
        self.end_block()
        return self.found

    def lang_now(self) -> str | None:
        return self.stack[-1].lang if self.stack else None

    def never_now(self) -> bool:
        return bool(self.stack) and self.stack[-1].never

    def end_line(self) -> None:
        if self.line:
            self.found.lines.append((self.block_index, self.line))
        self.line = []

    def end_block(self) -> None:
        self.end_line()
        if self.in_block:
            self.block_index += 1
        self.in_block = False

    def add(self, piece: Element) -> None:
        if piece.kind == "html" and not self.in_block:
            return  # a comment or image between blocks belongs to none
        self.line.append(piece)
        if not _solid(piece):
            return
        blocks = self.found.blocks
        if self.in_block:
            blocks[-1] = (blocks[-1][0], piece.end)
        else:
            blocks.append((piece.start, piece.end))
            self.in_block = True
        if self.title_depth:
            self.found.no_inline_original.add(self.block_index)

    def pop_through(self, tag: str, at: int) -> None:
        stack, found = self.stack, self.found
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].tag == tag:
                for closed in stack[depth:]:
                    if closed.mark is not None:
                        mark = found.marks[closed.mark]
                        found.marks[closed.mark] = LangMark(mark.start, mark.end, mark.content_start, at)
                del stack[depth:]
                found.language_starts.append(at)
                found.languages.append(self.lang_now())
                return

    def _protected(self, kind: str, start: int, end: int, tag: str, payload) -> bool:
        """Whether the token belongs to the protected element being copied (and is taken so); False once a block boundary ends it."""
        name, opened, depth = self.protecting
        if kind == "start" and tag == name and not payload[2]:
            self.protecting = (name, opened, depth + 1)
            return True
        if kind == "end" and tag == name:
            self.protecting = (name, opened, depth - 1) if depth > 1 else None
            if self.protecting is None:
                self.add(Element("code", opened, end))
            return True
        if kind not in ("start", "end") or _phrasing(tag):
            return True
        # A block boundary ends what an unclosed protected element holds, as far as sentences go.
        self.protecting = None
        self._unclosed(opened, start)
        return False

    def _unclosed(self, opened: int, end: int) -> None:
        """A protected element left open ends the block: a comment after it would be its content, read as code."""
        self.add(Element("code", opened, end))
        self.found.no_inline_original.add(self.block_index)

    def _data(self, start: int, end: int, payload: str) -> None:
        if self.never_now():
            return
        text = self.text
        stop = start + len(payload)
        if _MARKUP_START.match(payload):
            # A tag html.parser gave up on: HTML5 reads one there, up to its '>'.
            self.end_block()
            closing = text.find(">", start)
            self.opaque_until = len(text) if closing < 0 else closing + 1
        elif _MARKUP_START.search(payload) or not text.startswith(payload, start):
            # Text that is not the source's own, or holds what reads as a tag (RCDATA, to newer
            # versions of html.parser): left as it is.
            self.end_block()
        else:
            for piece in _text_pieces(text, start, stop):
                self.add(piece)
            if stop < end:
                self.add(Element("html", stop, end))  # bytes the tokenizer passed over ("</>"): not text

    def _reference(self, start: int, end: int, payload: str) -> None:
        if self.never_now():
            return
        text = self.text
        stop = start + len(payload) + text.startswith(";", start + len(payload))
        if not text.startswith(payload, start):
            self.end_block()
            return
        written = text[start:stop]
        decoded = html.unescape(written)
        if decoded == written:
            self.add(Element("text", start, stop, written))
        else:
            self.add(Element("char", start, stop, " " if decoded.isspace() else decoded))
        if stop < end:
            self.add(Element("html", stop, end))

    def _comment(self, start: int, end: int) -> None:
        if self.text.startswith(INLINE_MARK, start):
            if self.in_block:
                self.found.translated.append((self.found.blocks[-1][0], end))
            self.end_block()
        elif self.in_block and not self.never_now():
            self.add(Element("html", start, end))

    def _start(self, start: int, end: int, tag: str, payload) -> None:
        raw, attrs, closed, spans, agreed = payload
        while self.stack and tag in _CLOSED_BY.get(self.stack[-1].tag, ()):
            self.pop_through(self.stack[-1].tag, start)
        names: dict[str, str | None] = {}
        for name, value in attrs:
            names.setdefault(name, value)  # the first of repeated attributes is the one that counts
        own_lang = names.get("lang", names.get("xml:lang"))
        lang = primary_language(own_lang) if own_lang is not None else self.lang_now()
        inherited_never = self.never_now()
        # Attributes html.parser reads otherwise than HTML5 may hide what HTML5 reads as markup: nothing inside is touched.
        never = inherited_never or not agreed or never_translated(tag, names)
        if not never:
            self.found.attributes.extend(_attributes(self.text, spans, tag, names, lang))
        void = closed or tag in _VOID
        if tag == "br":
            self.end_line()
        elif inherited_never:
            pass
        elif tag in _INLINE_VOID:
            self.add(Element("html", start, end))
        elif tag in _PROTECTED or (never and _phrasing(tag)):
            if not void:
                self.protecting = (tag, start, 1)
                return
            self.add(Element("code", start, end))
        elif tag in _FORMATTING:
            self.add(Element("open", start, end, span=tag))
        elif not _phrasing(tag):
            self.end_block()
        if tag == "title" and not void:
            self.title_depth += 1
        if not void:
            self._open(tag, lang, never, own_lang is not None and not never, spans, end)

    def _open(self, tag: str, lang: str | None, never: bool, marked: bool, spans, end: int) -> None:
        """An element opens at ``end``; a ``lang`` it sets itself (``marked``) is recorded to be set to the target later."""
        mark = None
        span = _attribute_span(spans, "lang") or _attribute_span(spans, "xml:lang") if marked else None
        if span is not None:
            self.found.marks.append(LangMark(span[0], span[1], end, len(self.text)))
            mark = len(self.found.marks) - 1
        self.stack.append(_Open(tag, lang, never, mark))
        self.found.language_starts.append(end)
        self.found.languages.append(lang)

    def _end(self, start: int, end: int, tag: str) -> None:
        if tag == "br":
            self.end_line()  # "</br>" is read as "<br>"
        elif tag in _FORMATTING and not self.never_now():
            self.add(Element("close", start, end, span=tag))
        elif not _phrasing(tag):
            self.end_block()
        if tag == "title" and self.title_depth:
            self.title_depth -= 1
        self.pop_through(tag, start)



def _solid(piece: Element) -> bool:
    """Whether a piece makes a block: anything but HTML's whitespace, which _text_pieces splits text on.

    Text read apart from what follows it ("\x0b" before "&") and with it (before its translation) must start the
    block alike, or an inline original is restored without it.
    """
    return piece.kind not in ("text", "char") or bool(piece.plain.strip(HTML_SPACE))


def _phrasing(tag: str) -> bool:
    return tag in _FORMATTING or tag in _PROTECTED or tag in _INLINE_VOID or tag == "br"


def never_translated(tag: str, names: dict[str, str | None]) -> bool:
    """Whether an element's content is never translated: code, raw text, embedded content, or marked so."""
    if tag in _NEVER:
        return True
    if (names.get("translate") or "").strip().lower() == "no":
        return True
    if "notranslate" in (names.get("class") or "").split():
        return True
    return "contenteditable" in names and (names["contenteditable"] or "").strip().lower() != "false"


def _text_pieces(text: str, start: int, end: int) -> list[Element]:
    """A run of text, each run of whitespace that renders as one space read as one space."""
    pieces = []
    position = start
    for match in _SPACE_RUN.finditer(text, start, end):
        if match.start() > position:
            pieces.append(Element("text", position, match.start(), text[position : match.start()]))
        pieces.append(Element("char", match.start(), match.end(), " "))
        position = match.end()
    if position < end:
        pieces.append(Element("text", position, end, text[position:end]))
    return pieces


def _attribute_span(spans: tuple[tuple[str, int, int], ...], wanted: str) -> tuple[int, int] | None:
    return next(((start, end) for name, start, end in spans if name == wanted), None)


def read_attributes(tag: str, names: dict[str, str | None]) -> list[str]:
    """The attributes of this tag whose values people read, and so are translated."""
    wanted = [name for name in _ALWAYS_READ if name in names]
    wanted += [name for name, tags in _READ_ON.items() if name in names and tag in tags]
    kind = (names.get("type") or "").lower()
    # A named submit button sends its value with the form: "action=Löschen" is what the server reads, not a label.
    if tag == "input" and kind in _BUTTON_TYPES and "value" in names and not (kind == "submit" and "name" in names):
        wanted.append("value")
    # A meta with http-equiv is an instruction to the browser (a refresh's "0;url=..."), whatever name it also has.
    if tag == "meta" and "content" in names and "http-equiv" not in names and (names.get("name") or names.get("property") or "").lower() in _META_NAMES:
        wanted.append("content")
    return wanted


def _attributes(text: str, spans: tuple[tuple[str, int, int], ...], tag: str, names: dict[str, str | None], lang: str | None) -> list[Attribute]:
    wanted = read_attributes(tag, names)
    if not wanted:
        return []
    found = []
    seen = set()
    for name, value_start, value_end in spans:
        if name not in wanted or name in seen:
            continue
        seen.add(name)
        written = text[value_start:value_end]
        inner = written[1:-1] if written[:1] in "'\"" and len(written) >= 2 and written[-1] == written[0] else written
        value = html.unescape(inner)
        # The tokenizer's own reading must agree, or the offsets are not the value's.
        if value != names.get(name) or not any(char.isalnum() for char in value):
            continue
        found.append(Attribute(name, value_start, value_end, " ".join(value.split()), lang))
    return found
