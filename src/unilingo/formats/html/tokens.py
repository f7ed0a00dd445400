"""HTML: where each token of a page starts, read as HTML5 reads it, with the standard library's tokenizer."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

_COMMENT_END = re.compile(r"--!?>")
# The keywords html.parser reads a marked section ("<![CDATA[", "<![if") by, as its _scan_name matches them.
_MARKED_SECTION = re.compile(r"(?:temp|cdata|ignore|include|rcdata|if|else|endif)(?![-_.a-zA-Z0-9])", re.IGNORECASE)


class Tokens(HTMLParser):
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

    def parse_marked_section(self, i, report=True):
        # html.parser knows only SGML's keywords after "<![" and fails an assertion on anything else ("<![C>", "<![ ");
        # HTML5 reads those as a bogus comment up to the first ">".
        if _MARKED_SECTION.match(self.rawdata, i + 3):
            return super().parse_marked_section(i, report)
        return self.parse_bogus_comment(i, report)

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
# HTML's whitespace. Python's (str.strip, str.split) takes more ("\x0b", U+00A0, U+2028), which HTML shows as text.
HTML_SPACE = "\t\n\f\r "
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
