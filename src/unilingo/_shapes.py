"""What a text's shape says before any language model is asked: words or code, short, a label, a name, a citation."""

from __future__ import annotations

import re
from functools import lru_cache

from ._german import german_noun_or_adjective
from ._lexicon import is_marker_word
from ._wordlists import words

# At most this many words make a segment short: "Ja!", "Verwandte Artikel".
_SHORT_WORDS = 3

# Words a name does not open with, though the look-alikes write them too (so they mark no language): "Alle Orte", "Zum Dashboard".
_NO_NAME_OPENS = frozenset("alle alles zum zu an am im mit bei beim nach neue neuer neues".split())

# A citation's year, its form (a page, a date in brackets, a surname before a comma) and its own words: see looks_like_a_citation.
_CITATION_YEAR = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")
_CITATION_FORM = re.compile(r"\bpp?\.\s*\d|\((?:1[5-9]|20)\d\d[^()]*\)|^\s*[^\W\d_][\w'’-]+, [^\W\d_]")
_CITATION_WORDS = frozenset("p pp et al ed eds vol no hrsg hg s ff f".split())
_LETTERS = re.compile(r"[^\W\d_]+")

# A text of this many words or more, each of this many letters capitalised, is in title case: German
# capitalises its nouns, not its verbs ("Flew") and adjectives.
_TITLE_CASE_WORDS = 4
_TITLE_CASE_LETTERS = 4

# Digits say nothing of a language, yet the n-gram models read them.
_DIGITS = re.compile(r"\d+")

# One token with a call, an identifier joined by "_" or an assignment is code:
# "print(x)", "foo_bar()", "a=b" (English to a German reader of --target de); not a plural in brackets ("Telefonnummer(n)").
_CODE = re.compile(r"[^\W\d_]\((?!(?:e|n|s|en|er)\)(?!\w))|[^\W\d_]_[^\W\d_]|=")

# So is a text with an equals sign that does not end as a sentence does:
# "SELECT name FROM kunden WHERE land = 'DE';" in a list item, "x = y + 1".
# "Hier gilt E = mc²." ends as prose and stays prose.
# The end is looked for after the last equals sign only: looked for after each, 8,000 of them before a full stop
# and 8,000 quotes took 2 s, their number squared.
_SENTENCE_END = re.compile(r"[.!?:][\"'”“»)]*\s*$")

# A run of letters and digits with both in it, or a number and a unit written as units are ("5 km", "3 MB",
# "10 GiB"; not "12 May"), and what is left of a text without such runs that is no word.
# Each is tried only where a run of word characters, or of digits, begins: tried inside one, it fails as it did
# at the run's start, and a run of 20,000 letters beside "a1" took 16 s, its length squared.
_GLUED, _UNIT = r"\d[^\W\d_]|[^\W\d_]\d", r"(?<!\d)\d[\d.,]*\s+(?:[a-z]{1,2}|[A-Z]{1,3}|[A-Z][a-z][A-Z])\b"

_DIGIT_GLUED = re.compile(rf"(?<!\w)\w*(?:{_GLUED})\w*|{_UNIT}")

# Whether there is such a run: the same, without the leading \w* that makes _DIGIT_GLUED slow to fail.
_HAS_DIGIT_GLUED = re.compile(rf"{_GLUED}|{_UNIT}")

_NOT_LETTERS = " \t\n.,;:!?()[]{}/+-–—%×*#'\"“”„«»"


def looks_like_a_citation(text: str) -> bool:
    """Names and a year, cited as references cite them: "Linderman, George C.; Steinerberger, Stefan (2017-06-08).", "Mein Smith 2005, p. 6."

    Every word is capitalised, an initial or a word of the citation itself
    ("p.", "et al."), and there is a year with a page, a date in brackets
    or a surname before a comma.
    """
    if not _CITATION_YEAR.search(text) or not _CITATION_FORM.search(text):
        return False
    return all(word[0].isupper() or word.lower() in _CITATION_WORDS for word in _LETTERS.findall(text))


def is_label(text: str, hits: dict[str, int]) -> bool:
    """A short text with no marker word and no sentence's end: a button, a menu item, a table header."""
    # Words as spaces part them: "Text-to-Speech-Anruf" is one.
    spaced = [token for token in text.split() if any(char.isalpha() for char in token)]
    return len(spaced) <= _SHORT_WORDS and not any(hits.values()) and not text.rstrip().endswith((".", "!", "?"))


def n_gram_text(text: str) -> str:
    """What the n-gram models read: the text without digits, and a heading in English title case in lower case.

    Digits say nothing of a language, yet the n-gram models read them:
    "Artikel 1" came out Luxembourgish and "Artikel 2" German. Capitals on
    every word read as German nouns: "Deutsche Bank Flew and Fell." was
    German to both models, and "deutsche bank flew and fell." is not.
    """
    text = _DIGITS.sub("", text)
    tokens = text.split()
    if len(tokens) >= _TITLE_CASE_WORDS and all(token[0].isupper() for token in tokens if len(token) >= _TITLE_CASE_LETTERS):
        return text.lower()
    return text


@lru_cache(maxsize=1 << 16)  # a document repeats its list items and headings: the megabyte of check has 12,300 segments, 4,900 distinct
def has_words(text: str) -> bool:
    token = text.strip()
    if token and not any(char.isspace() for char in token) and _CODE.search(token):
        return False
    equals = token.rfind("=")
    if equals >= 0 and not _SENTENCE_END.search(token, equals + 1):
        return False
    # "1GiB", "10 GiB", "H5N1": letters glued to digits, or a short one after a number, are a unit or a code
    # ("GiB" is German "gib" to the word lists).
    # Both need a digit, which most text has none of: _DIGITS says so fastest, and this runs for every segment.
    if _DIGITS.search(text) and _HAS_DIGIT_GLUED.search(text) and not _DIGIT_GLUED.sub("", text).strip(_NOT_LETTERS):
        return False
    long_words = 0
    for word in words(text):
        if len(word) >= 3:
            long_words += 1
            if long_words == 2:
                return True
    letters = sum(char.isalpha() for char in text)
    if letters < 2:
        return False
    # "ISBN 978-3-16-148410-0", "H5N1", "v2.0.1": codes, not language.
    visible = sum(not char.isspace() for char in text)
    return letters >= 0.3 * visible


def is_short(text: str) -> bool:
    return len(words(text)) <= _SHORT_WORDS


@lru_cache(maxsize=1 << 16)  # asked up to three times of each segment, by its context, its route and the no-language test
def looks_like_a_name(text: str) -> bool:
    """Two to four capitalised words, no punctuation, no word that marks a language, no German adjective."""
    tokens = text.split(maxsplit=4)  # a sentence is not split whole to learn that it has over four words
    if not 2 <= len(tokens) <= 4:
        return False
    # A lone letter without a full stop is a symbol, no initial: "Ø Antwortzeit".
    if not all(token[0].isupper() and all(char.isalpha() or char in "-'’." for char in token) and len(token) > 1 for token in tokens):
        return False
    lowered = words(text)
    if lowered[0] in _NO_NAME_OPENS:
        return False
    # A German adjective is no name's: "Blockierte Nummern", "Ungültige URL" are labels. Nor a long word
    # German writes, English does not, and German forms as it forms its words: "Oracle Datenbank", "WhatsApp Gruppen".
    return not any(german_noun_or_adjective(word) or is_marker_word(word) for word in lowered)
