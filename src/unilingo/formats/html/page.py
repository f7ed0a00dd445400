"""HTML: the text and the attribute values people read, found by their exact source offsets.

The page is never rebuilt from a tree. The standard library's tokenizer
(``html.parser`` with ``convert_charrefs=False``) reports where each tag,
text run, character reference and comment starts; only the runs of text and
the attribute values that are translated are replaced, so the doctype,
comments, scripts, entities outside translated text, attribute order and
quoting, whitespace and line endings stay byte for byte.

- The text between two block boundaries (any element that is not inline
  phrasing markup) is a block; ``<br>`` ends a line of it, as a newline does
  in plain text. Inline elements (``a``, ``b``, ``em``, ``span``, ...) are
  carried across the sentence like Markdown's emphasis; ``code``, ``kbd``,
  ``samp``, ``var``, images, inputs and comments inside a sentence are
  protected spans, copied byte for byte.
- Never translated: ``script``, ``style``, ``pre``, ``textarea``,
  ``noscript``, ``template`` and other raw-text or embedded content, and
  anything under ``translate="no"``, ``class="notranslate"`` or
  ``contenteditable``.
- Attributes people read (``title``, ``aria-label``, ``alt``,
  ``placeholder``, the page description, button labels) are segments of
  their own.
- ``lang`` (inherited) is the segment's marked language, a prior for the
  detector; ``LangMark`` records each ``lang`` so that the merger can set it
  to the target once the element's text is translated.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..._document import HTML_FORMATTING_TAGS, INLINE_MARK, Block, Element, LangMark, Segment, SegmentedText
from ..._errors import InputError, OutputError
from ..._glossary import Glossary
from ..._sentences import Lines, ignored_spans, line_sentences, plain_runs, sentences, value_inline


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
_COMMENT_END = re.compile(r"--!?>")
# After "<" these start markup to HTML5; text handed over that starts so is markup html.parser gave up on.
_MARKUP_START = re.compile(r"<[A-Za-z!/?]")
_SPACE_RUN = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")
# Where a page declares its encoding: a meta charset or http-equiv content type, in its first 1,024 bytes.
_DECLARED = re.compile(r"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.()-]+)""", re.IGNORECASE)
_UTF8 = ("utf-8", "utf8", "unicode-1-1-utf-8")


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
    no_inline_original: set[int]  # blocks where a comment would be text (a title's)
    translated: list[tuple[int, int]]  # blocks followed by their inline original: translated already


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


def language_at(found: "Structure", offset: int) -> str | None:
    return found.languages[bisect.bisect_right(found.language_starts, offset) - 1]


def primary_language(value: str) -> str | None:
    """The primary subtag of a ``lang`` value ("de-AT" -> "de"); None for an empty or malformed one."""
    primary = value.strip().split("-")[0].split("_")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


class _Tokens(HTMLParser):
    """Where each token starts; a token runs to the start of the next one.

    Where ``html.parser`` and HTML5 read a page differently, the page is read
    as HTML5 does or, where that would take a tokenizer of our own, the rest
    of it is left alone: comments end at ``-->`` or ``--!>`` (``<!-->`` and
    ``<!--->`` are empty comments), an ``&`` or ``&#`` that starts no
    reference is text and the page goes on after it, and markup left open at
    the end of the page (a comment, a doctype, a tag, a script) runs to the end.

    Tags are measured as HTML5 reads them (``_html5_tag``): a start tag whose
    end or attributes ``html.parser`` reads otherwise (Unicode whitespace, a
    stray quote) stops the reading there, and an end tag runs to the ``>``
    that HTML5 ends it at, past quoted attribute values. The content of a raw
    text element (script data with its escaped states, RAWTEXT, RCDATA,
    plaintext) is one opaque token up to the end tag that HTML5 ends it at,
    whatever ``html.parser`` would have made of it; only a title whose text
    holds no ``<`` is read as text, since it is shown and translated.
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.events: list[tuple[str, int, str, object]] = []

    def read(self, text: str) -> None:
        # feed() waits for more input at an unfinished construct; close() would hand the rest over as text.
        self.feed(text)
        while self.rawdata:
            rest = self.rawdata
            # It may only have stopped after handing over an unfinished "&#" as text.
            self.feed("")
            if self.rawdata != rest:
                continue
            if self.cdata_elem is not None or not rest.startswith("&"):
                self.events.append(("other", self._at(), "", None))
                return
            length = 2 if rest.startswith("&#") else 1
            self.handle_data(rest[:length])
            self.updatepos(0, length)
            self.rawdata = rest[length:]

    def parse_comment(self, i, report=True):
        rawdata = self.rawdata
        body = i + 4
        if rawdata.startswith(">", body):
            end, close = body, body + 1
        elif rawdata.startswith("->", body):
            end, close = body, body + 2
        else:
            found = _COMMENT_END.search(rawdata, body)
            if found is None:
                return -1
            end, close = found.span()
        if report:
            self.handle_comment(rawdata[body:end])
        return close

    def parse_starttag(self, i):
        rawdata = self.rawdata
        at = self._at()
        reported = len(self.events)
        close = super().parse_starttag(i)
        # html.parser's own raw-text modes differ from HTML5's and between Python versions: ours replace them.
        self.clear_cdata_mode()
        if close < 0:
            return close
        tag = _html5_tag(rawdata, i + 1)
        event = self.events[reported] if len(self.events) == reported + 1 else None
        if tag is not None and event is not None and event[0] == "data" and not tag.attributes and tag.name not in _RAW_TEXT:
            # A tag html.parser gave up on ("<a" then a NUL) and handed over as text: a tag of no meaning here to HTML5.
            del self.events[reported:]
            self.events.append(("other", at, "", None))
            return tag.end
        if tag is None or event is None or event[0] != "start" or tag.end != close or tag.name != event[2]:
            # The two readings differ on where this tag ends or what it is: nothing from here on is touched.
            del self.events[reported:]
            self.events.append(("stop", at, "", None))
            return len(rawdata)
        raw, attrs, closed = event[3]
        agreed = [(name, value) for name, value in attrs] == [(name, _decoded(rawdata, start, end)) for name, start, end in tag.attributes]
        spans = tuple((name, at + start - i, at + end - i) for name, start, end in tag.attributes if start >= 0)
        self.events[reported] = ("start", at, event[2], (raw, attrs, closed, spans, agreed))
        kind = _RAW_TEXT.get(tag.name)
        if kind is None:
            return close
        content_end = _raw_text_end(rawdata, close, tag.name, kind)
        if tag.name == "title" and "<" not in rawdata[close:content_end]:
            return close
        self.events.append(("raw", at + close - i, tag.name, None))
        return content_end

    def parse_endtag(self, i):
        rawdata = self.rawdata
        if i + 2 >= len(rawdata):
            return -1
        first = rawdata[i + 2]
        if first == ">":
            return i + 3  # "</>" is nothing to HTML5
        if not (first.isascii() and first.isalpha()):
            return self.parse_bogus_comment(i)
        tag = _html5_tag(rawdata, i + 2)
        if tag is None:
            return -1
        self.handle_endtag(tag.name)
        return tag.end

    def _at(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", self._at(), tag, (self.get_starttag_text(), attrs, False)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", self._at(), tag, (self.get_starttag_text(), attrs, True)))

    def handle_endtag(self, tag):
        self.events.append(("end", self._at(), tag, None))

    def handle_data(self, data):
        self.events.append(("data", self._at(), "", data))

    def handle_entityref(self, name):
        self.events.append(("ref", self._at(), "", "&" + name))

    def handle_charref(self, name):
        self.events.append(("ref", self._at(), "", "&#" + name))

    def handle_comment(self, data):
        self.events.append(("comment", self._at(), "", data))

    def handle_decl(self, decl):
        self.events.append(("other", self._at(), "", None))

    def handle_pi(self, data):
        self.events.append(("other", self._at(), "", None))

    def unknown_decl(self, data):
        self.events.append(("other", self._at(), "", None))


# How HTML5 reads the content of each raw text element (the tokenizer state its start tag switches to).
_RAW_TEXT = {
    "script": "script",
    **dict.fromkeys(("style", "xmp", "iframe", "noembed", "noframes", "noscript"), "rawtext"),
    **dict.fromkeys(("textarea", "title"), "rcdata"),
    "plaintext": "plaintext",
}
_HTML5_SPACE = "\t\n\f\r "
_TAG_NAME_END = re.compile(r"[\t\n\f\r />]")
_UNQUOTED_END = re.compile(r"[\t\n\f\r >]")
_ATTRIBUTE_NAME_END = re.compile(r"[\t\n\f\r />=]")
_NOT_SPACE = re.compile(r"[^\t\n\f\r ]")


@dataclass(frozen=True)
class _Tag:
    """A tag as HTML5 tokenizes it: its lower-case name, the offset after its '>', and (name, value start, value end) of
    each attribute, quotes included; -1 for both where an attribute has no value."""

    name: str
    end: int
    attributes: tuple[tuple[str, int, int], ...]


def _html5_tag(text: str, position: int) -> _Tag | None:
    """The tag whose name starts at ``position`` (after "<" or "</"), read by HTML5's tag and attribute states; None
    where the page ends inside it."""
    found = _TAG_NAME_END.search(text, position)
    if found is None:
        return None
    name = text[position : found.start()].lower().replace("\x00", "\ufffd")
    at = found.start()
    attributes: list[tuple[str, int, int]] = []
    while True:
        space = _NOT_SPACE.search(text, at)
        if space is None:
            return None
        at = space.start()
        char = text[at]
        if char == ">":
            return _Tag(name, at + 1, tuple(attributes))
        if char == "/":
            at += 1
            continue
        # An attribute name; its first character may be '=' (a parse error HTML5 reads as a name).
        found = _ATTRIBUTE_NAME_END.search(text, at + 1)
        if found is None:
            return None
        attribute = text[at : found.start()].lower()
        space = _NOT_SPACE.search(text, found.start())
        if space is None:
            return None
        at = space.start()
        if text[at] != "=":
            attributes.append((attribute, -1, -1))
            continue
        space = _NOT_SPACE.search(text, at + 1)
        if space is None:
            return None
        at = space.start()
        char = text[at]
        if char in "\"'":
            closing = text.find(char, at + 1)
            if closing < 0:
                return None
            attributes.append((attribute, at, closing + 1))
            at = closing + 1
        elif char == ">":
            attributes.append((attribute, at, at))
        else:
            found = _UNQUOTED_END.search(text, at)
            if found is None:
                return None
            attributes.append((attribute, at, found.start()))
            at = found.start()


def _decoded(text: str, start: int, end: int) -> str | None:
    """An attribute value as html.parser reports it: quotes off, references decoded; None for no value."""
    if start < 0:
        return None
    written = text[start:end]
    if written[:1] in ("'", '"'):
        written = written[1:-1]
    return html.unescape(written)


def _raw_text_end(text: str, start: int, name: str, kind: str) -> int:
    """Where the end tag that HTML5 ends a raw text element's content at starts; the page's end if none does."""
    if kind == "plaintext":
        return len(text)
    end_tag = re.compile(r"</" + re.escape(name) + r"(?=[\t\n\f\r />])", re.IGNORECASE)
    if kind != "script":
        found = end_tag.search(text, start)
        return len(text) if found is None else found.start()
    return _script_data_end(text, start, end_tag)


_SCRIPT_ESCAPE = re.compile(r"<!--|</script(?=[\t\n\f\r />])", re.IGNORECASE)
_ESCAPED_STOP = re.compile(r"-->|</script(?=[\t\n\f\r />])|<script(?=[\t\n\f\r />])", re.IGNORECASE)
_DOUBLE_ESCAPED_STOP = re.compile(r"-->|</script(?=[\t\n\f\r />])", re.IGNORECASE)


def _script_data_end(text: str, start: int, end_tag: re.Pattern) -> int:
    """HTML5's script data states: after "<!--" a "<script" makes "</script>" no end until "-->" comes.

    Only the transitions that decide where the script ends are followed: in
    script data, "<!--" escapes and "</script" ends; escaped, "-->" unescapes,
    "</script" ends and "<script" double-escapes; double-escaped, "-->" goes back
    to script data and "</script" to escaped. The dashes of "<!--" also count
    towards a "-->" right after it ("<!-->"), as the spec's dash states do.
    """
    at = start
    while True:
        found = _SCRIPT_ESCAPE.search(text, at)
        if found is None:
            return len(text)
        if found.group().startswith("</"):
            return found.start()
        # Escaped, the dashes of "<!--" already seen.
        at = found.end() - 2
        while True:
            found = _ESCAPED_STOP.search(text, at)
            if found is None:
                return len(text)
            token = found.group().lower()
            if token == "-->":
                at = found.end()
                break
            if token.startswith("</"):
                return found.start()
            at = found.end()
            found = _DOUBLE_ESCAPED_STOP.search(text, at)
            if found is None:
                return len(text)
            at = found.end()
            if found.group() == "-->":
                break


@dataclass
class _Open:
    tag: str
    lang: str | None
    never: bool
    mark: int | None  # index of its LangMark


def structure(text: str) -> Structure:
    tokens = _Tokens(text)
    tokens.read(text)
    events = tokens.events
    found = Structure([], [], [], [], [0], [None], set(), [])
    stack: list[_Open] = []
    line: list[Element] = []
    block_index = 0
    in_block = False
    title_depth = 0
    protecting: tuple[str, int, int] | None = None  # (tag, start, depth) of a protected inline element being copied

    def lang_now() -> str | None:
        return stack[-1].lang if stack else None

    def never_now() -> bool:
        return bool(stack) and stack[-1].never

    def end_line() -> None:
        nonlocal line
        if line:
            found.lines.append((block_index, line))
        line = []

    def end_block() -> None:
        nonlocal block_index, in_block
        end_line()
        if in_block:
            block_index += 1
        in_block = False

    def add(piece: Element) -> None:
        nonlocal in_block
        if piece.kind == "html" and not in_block:
            return  # a comment or image between blocks belongs to none
        line.append(piece)
        if not _solid(piece):
            return
        if in_block:
            found.blocks[-1] = (found.blocks[-1][0], piece.end)
        else:
            found.blocks.append((piece.start, piece.end))
            in_block = True
        if title_depth:
            found.no_inline_original.add(block_index)

    def pop_through(tag: str, at: int) -> None:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].tag == tag:
                for closed in stack[depth:]:
                    if closed.mark is not None:
                        mark = found.marks[closed.mark]
                        found.marks[closed.mark] = LangMark(mark.start, mark.end, mark.content_start, at)
                del stack[depth:]
                found.language_starts.append(at)
                found.languages.append(lang_now())
                return

    opaque_until = 0  # the end of a tag html.parser gave up on and handed over as text ("<a\x00>")
    for number, (kind, start, tag, payload) in enumerate(events):
        end = events[number + 1][1] if number + 1 < len(events) else len(text)
        if start < opaque_until:
            if kind != "data" or end <= opaque_until:
                continue
            kind, payload, start = "data", text[opaque_until:end], opaque_until
        if protecting is not None:
            name, opened, depth = protecting
            if kind == "start" and tag == name and not payload[2]:
                protecting = (name, opened, depth + 1)
                continue
            if kind == "end" and tag == name:
                protecting = (name, opened, depth - 1) if depth > 1 else None
                if protecting is None:
                    add(Element("code", opened, end))
                continue
            if kind not in ("start", "end") or _phrasing(tag):
                continue
            # A block boundary ends what an unclosed protected element holds, as far as sentences go.
            protecting = None
            add(Element("code", opened, start))
        if kind == "data":
            if never_now():
                continue
            stop = start + len(payload)
            if _MARKUP_START.match(payload):
                # A tag html.parser gave up on: HTML5 reads one there, up to its '>'.
                end_block()
                closing = text.find(">", start)
                opaque_until = len(text) if closing < 0 else closing + 1
            elif _MARKUP_START.search(payload) or not text.startswith(payload, start):
                # Text that is not the source's own, or holds what reads as a tag (RCDATA, to newer
                # versions of html.parser): left as it is.
                end_block()
            else:
                for piece in _text_pieces(text, start, stop):
                    add(piece)
                if stop < end:
                    add(Element("html", stop, end))  # bytes the tokenizer passed over ("</>"): not text
        elif kind == "ref":
            if never_now():
                continue
            stop = start + len(payload) + text.startswith(";", start + len(payload))
            if not text.startswith(payload, start):
                end_block()
                continue
            written = text[start:stop]
            decoded = html.unescape(written)
            if decoded == written:
                add(Element("text", start, stop, written))
            else:
                add(Element("char", start, stop, " " if decoded.isspace() else decoded))
            if stop < end:
                add(Element("html", stop, end))
        elif kind == "comment":
            if text.startswith(INLINE_MARK, start):
                if in_block:
                    found.translated.append((found.blocks[-1][0], end))
                end_block()
            elif in_block and not never_now():
                add(Element("html", start, end))
        elif kind in ("other", "raw"):
            end_block()
        elif kind == "stop":
            end_block()
            break
        elif kind == "start":
            raw, attrs, closed, spans, agreed = payload
            while stack and tag in _CLOSED_BY.get(stack[-1].tag, ()):
                pop_through(stack[-1].tag, start)
            names: dict[str, str | None] = {}
            for name, value in attrs:
                names.setdefault(name, value)  # the first of repeated attributes is the one that counts
            own_lang = names.get("lang", names.get("xml:lang"))
            lang = primary_language(own_lang) if own_lang is not None else lang_now()
            inherited_never = never_now()
            # Attributes html.parser reads otherwise than HTML5 may hide what HTML5 reads as markup: nothing inside is touched.
            never = inherited_never or not agreed or never_translated(tag, names)
            if not never:
                found.attributes.extend(_attributes(text, spans, tag, names, lang))
            void = closed or tag in _VOID
            if tag == "br":
                end_line()
            elif inherited_never:
                pass
            elif tag in _INLINE_VOID:
                add(Element("html", start, end))
            elif tag in _PROTECTED or (never and _phrasing(tag)):
                if void:
                    add(Element("code", start, end))
                else:
                    protecting = (tag, start, 1)
                    continue
            elif tag in _FORMATTING:
                add(Element("open", start, end, span=tag))
            elif not _phrasing(tag):
                end_block()
            if tag == "title" and not void:
                title_depth += 1
            if not void:
                mark = None
                span = None if own_lang is None or never else _attribute_span(spans, "lang") or _attribute_span(spans, "xml:lang")
                if span is not None:
                    found.marks.append(LangMark(span[0], span[1], end, len(text)))
                    mark = len(found.marks) - 1
                stack.append(_Open(tag, lang, never, mark))
                found.language_starts.append(end)
                found.languages.append(lang)
        elif kind == "end":
            if tag == "br":
                end_line()  # "</br>" is read as "<br>"
            elif tag in _FORMATTING and not never_now():
                add(Element("close", start, end, span=tag))
            elif not _phrasing(tag):
                end_block()
            if tag == "title" and title_depth:
                title_depth -= 1
            pop_through(tag, start)
    if protecting is not None:
        add(Element("code", protecting[1], len(text)))
    end_block()
    return found


def _solid(piece: Element) -> bool:
    """Whether a piece makes a block: anything but whitespace."""
    return piece.kind not in ("text", "char") or bool(piece.plain.strip())


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
    if tag == "input" and (names.get("type") or "").lower() in _BUTTON_TYPES and "value" in names:
        wanted.append("value")
    if tag == "meta" and "content" in names and (names.get("name") or names.get("property") or "").lower() in _META_NAMES:
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


def segment_html(text: str, glossary: Glossary | None = None) -> SegmentedText:
    """The page's lines of prose split into sentences, and the attribute values people read, each a segment."""
    found = structure(text)
    lines = Lines(text)
    block_starts = [start for start, _ in found.blocks]
    segments = []
    group = 0
    for block, elements in found.lines:
        if _balanced(elements):
            found_sentences = line_sentences(text, elements, glossary)
        else:
            # Tags opened in one order and closed in another cannot be carried: the runs of text between them, alone.
            found_sentences = [(start, end, None) for run in plain_runs(elements) for start, end in sentences(text, *run)]
        word_starts = [e.start for e in elements if e.kind == "text" and e.plain.strip()]
        for start, end, inline in found_sentences:
            following = bisect.bisect_left(word_starts, start)
            first_word = word_starts[following] if following < len(word_starts) else start
            segments.append(Segment(start, end, text[start:end], lines.line_of(start), block, group, inline,
                                    language_at(found, first_word)))  # fmt: skip
        group += 1
    for attribute in found.attributes:
        block = max(bisect.bisect_right(block_starts, attribute.start) - 1, 0)
        inline = value_inline(attribute.value, glossary)
        segments.append(Segment(attribute.start, attribute.end, text[attribute.start : attribute.end],
                                lines.line_of(attribute.start), block, group, inline, attribute.lang, attribute.name))  # fmt: skip
        group += 1
    segments.sort(key=lambda segment: (segment.start, -segment.end))
    ignored = ignored_spans(text, lines) + found.translated
    kept = tuple(s for s in segments if not any(low <= s.start < high for low, high in ignored))
    blocks = tuple(Block(start, end) for start, end in found.blocks)
    return SegmentedText(text, "html", blocks, kept, marks=tuple(found.marks))


def _balanced(elements: list[Element]) -> bool:
    opened: list[str] = []
    for element in elements:
        if element.kind == "open":
            opened.append(element.span)
        elif element.kind == "close":
            if not opened or opened.pop() != element.span:
                return False
    return not opened
