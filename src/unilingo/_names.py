"""Names, credits and product names on a page written in one language: what says a segment is in another.

A page surely written in one language holds names, bylines, book credits and
product names that the n-gram models read as German: "Maggie Haberman",
"Lifehacker", "Autos", "[Exploring ES6](…) - Axel Rauschmayer (HTML)". Their
letters say where a name comes from, not what language the page is in, and a
name is no language to translate. So on such a page a segment is another
language only when its words say so: a marker word of that language, a word
that language writes commonly and the page's language not at all, or, for
German, a word German forms and the page's language does not write. Letters
alone, which is all a name or a made-up product name has, are not enough.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ._german import COMPOUND_LINKS, FORMED_NOUN_MIN_LETTERS, GERMAN_PREFIXES, GERMAN_WORD_MAX_LETTERS, german_adjective, german_derivation, german_formation
from ._lexicon import FUNCTION_WORDS
from ._wordlists import LOG_WORD_OF_A_LANGUAGE, STAND_INS, word_log_frequencies, words

# A word that language writes at least this often, and the page's language never, is that language's: "Tisch",
# "Deutsch", "Versand". Rarer ones are as often the names and products its web text mentions ("Perl", "Vimeo",
# "Blumenthal": 1e-6 in German's list, in none of English's).
_COMMON = LOG_WORD_OF_A_LANGUAGE
# A marker word the page's language writes at least this share as often is no sign of the other: "also", "will".
_SHARED_MARKER = math.log(0.1)
# Shorter words are abbreviations and web noise as often as words ("Hol" of "Isabelle/HOL", "Gab" of "Gab.ai").
_MIN_LETTERS = 4
# The parts of a credit: "Tobias Schwarz / Reuters", "Exploring ES6 - Axel Rauschmayer (HTML)", "Scott Chacon, Ben Straub".
_PARTS = re.compile(r"\s+[-–—]\s+|[/,;:()\[\]&|·]")
# Acronyms and codes, not words: "ES6", "HTML", "AUS", "ETFs".
_CODE = re.compile(r"^(?:[A-Z]{1,4}s?|\S*\d\S*)$")
# A name: two to four capitalised words, initials among them ("Daniel D. Von Hoff", "Sen. Dianne Feinstein").
_NAME_WORDS = (2, 4)
# German letters English writes only in names: a word with them is German's ("Kanäle", "Größe").
_GERMAN_LETTERS = re.compile("[äöüß]")
# Pieces of a compound: "Verhaltens-kodex", "Mit-wirken"; a German prefix joins a listed verb ("ab-brechen").
_COMPOUND_PIECE = 4


def says_its_language(text: str, lang: str, page: str) -> bool:
    """Whether ``text``'s words say it is ``lang`` on a page written in ``page``.

    Each part of a credit is read on its own. In a part that is a name (two
    to four capitalised words) the words after the first are the name's own,
    and say German only by a long noun German forms, as the detector's name
    rule reads them ("E-Mail Versand Konfiguration"): "Tobias Schwarz /
    Reuters", "John Ritter" (a listed stem and an adjective's ending) say
    nothing. A marker word says its language in lower case or first ("Alle Kanäle").
    """
    own, other = word_log_frequencies(STAND_INS.get(lang, lang)), word_log_frequencies(STAND_INS.get(page, page))
    if own is None or other is None:
        return False
    german = STAND_INS.get(lang, lang) == "de"
    markers = FUNCTION_WORDS.get(lang, frozenset())
    for part in _PARTS.split(text):
        tokens = [token for token in part.split() if any(char.isalpha() for char in token)]
        name = _NAME_WORDS[0] <= len(tokens) <= _NAME_WORDS[1] and all(token[0].isupper() for token in tokens)
        for position, token in enumerate(tokens):
            if _CODE.match(token.strip(".!?\"'“”„«»")):
                continue
            surname = name and position > 0
            for word in words(token):
                if word in markers and (position == 0 or token[0].islower()) and other.get(word, -math.inf) < own.get(word, -math.inf) + _SHARED_MARKER:
                    return True
                if word in other:
                    continue
                if german and _german_form(word, own, surname):
                    return True
                if not surname and len(word) >= _MIN_LETTERS and (own.get(word, -math.inf) >= _COMMON or (german and _compound(word, own, other))):
                    return True
    return False


def _german_form(word: str, german: Mapping[str, float], surname: bool) -> bool:
    """Whether a word the page's language does not write is German by its form.

    A long word German writes and forms ("Konfiguration") is German even as
    a name's; shorter ones end names as often ("Ritter": ritt-er). Elsewhere
    so are a listed adjective ("Leere"), German's letters ("Kanäle") and
    German's derivations ("Blockierte"); not a stem and an ending German's
    list lacks ("Unmute" is no unmut-e).
    """
    if len(word) >= FORMED_NOUN_MIN_LETTERS and word in german and german_formation(word):
        return True
    if surname:
        return False
    return (word in german and german_adjective(word)) or bool(_GERMAN_LETTERS.search(word)) or german_derivation(word)


def _compound(word: str, own: Mapping[str, float], other: Mapping[str, float]) -> bool:
    """Whether a word is two listed pieces, joined as German joins them, one of them German's alone and common.

    "Verhaltenskodex", "Herzblut", "Mitwirken" (a prefix and a verb German
    writes, however rarely); not "Lifehacker", "Autoblog" or "SystemEngine",
    whose pieces English writes.
    """
    # Each piece is a listed word (27 letters at most) or a prefix: a longer word, a run of letters in a key
    # or a hash, is none, and tried piece by piece it took time growing with its length squared.
    if len(word) > GERMAN_WORD_MAX_LETTERS:
        return False
    for end in range(2, len(word) - _COMPOUND_PIECE + 1):
        first = word[:end]
        prefix = first in GERMAN_PREFIXES
        if not (prefix or (end >= _COMPOUND_PIECE and (first in own or first in other))):
            continue
        for link in COMPOUND_LINKS:
            rest = word[end + len(link) :]
            if not word.startswith(link, end) or len(rest) < _COMPOUND_PIECE or not (rest in own or rest in other):
                continue
            if (prefix and rest not in other) or any(piece not in other and own.get(piece, -math.inf) >= _COMMON for piece in (first, rest)):
                return True
    return False
