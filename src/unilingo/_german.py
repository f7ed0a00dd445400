"""German by form: words wordfreq's small German list holds rarely or not at all, known by how German builds them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache

from ._wordlists import FREQUENCY_MIN_LETTERS, LOG_WORD_OF_A_LANGUAGE, STAND_INS, UNSEEN_FREQUENCY, word_log_frequencies, words

# German spreads a word's frequency over its inflections and compounds, so
# everyday interface words sit under WORD_OF_A_LANGUAGE in wordfreq's small
# German list ("Abbrechen" 6.2e-6, "Pfad" 6.8e-6) or are not in it at all
# ("Startdatum", "Authentifizierung"). The list's web noise is three letters
# ("aaa", "bim"): a longer word it holds at all is a German word.
_LISTED_GERMAN_MIN_LETTERS = 4
GERMAN_FORM = math.log(1e-6 + UNSEEN_FREQUENCY)
# Pieces a compound is split into: every piece but the last of at least four
# letters, so that "notcode" (not+code) and "github" (git+hub) stay no
# language; the last, the compound's head, of at least three ("Bildtyp").
_COMPOUND_PIECE_MIN_LETTERS = 4
# Longer pieces, and words, are none German writes ("Authentifizierungs" is 18 letters, "Rindfleischetikettierung" 24):
# a run of letters in a key or a hash is split in at most this many ways at each step.
_COMPOUND_PIECE_MAX_LETTERS = 24
GERMAN_WORD_MAX_LETTERS = 64
_COMPOUND_HEAD_MIN_LETTERS = 3
# What German writes between two pieces ("Verbindung-s-typ", "Protone-n-masse").
COMPOUND_LINKS = ("", "s", "es", "n", "en", "er", "e")
# Verb prefixes that join a listed verb ("aus-schneiden", "ent-packen"): shorter than a piece, German all the same.
GERMAN_PREFIXES = frozenset("ab an auf aus be ein ent er ver zer vor nach um zu mit über unter weg".split())
# Endings German derives words with and English does not: "-ierung", "-isch", "-keit".
# Three letters before them at least: the ending alone is no word.
# And the learned nouns German (and Dutch, never English: "-metry", "-logy") ends in "-ie": "Biometrie", "Technologie";
# and adjectives in "-bar" inflected ("Zoombare"), as English's "Toolbar" and "Sidebar" never are.
_GERMAN_SUFFIX = re.compile(
    r"...(?:ier(?:en|ung(?:en|s)?|bar|te?)|isch(?:e[nmrs]?)?|ungs?|ungen|keit|heit|schaft|ismus|ität|(?:metr|log|gra(?:f|ph)|nom|soph)ien?|bare[nmrs]?)$"
)
# Endings German inflects with: "Blockierte", "Benutzerdefiniertes" are listed or compounds without them.
# Not "-s": English plurals end so ("Gigabytes", "Kilobits").
_GERMAN_INFLECTIONS = ("e", "en", "er", "es", "em", "n")
# German web text is full of English ("time" 2.3e-5 there), so a compound's
# head must be at least a fifth as frequent in German as in English: "name",
# "token", "container" (0.2-0.7) head German compounds ("Absendername"),
# "bits", "host", "date", "time" (0.01-0.12) English ones ("Kilobits", "DateTime").
_GERMAN_HEAD = math.log(0.2)
# And no rarer than the words that are language (see WORD_OF_A_LANGUAGE): the list's rarest are web noise
# ("quot", HTML's &quot;, makes "Blockquote" blockquot-e).
_HEAD_OF_A_LANGUAGE = LOG_WORD_OF_A_LANGUAGE


@lru_cache(maxsize=1 << 16)
def german_word(token: str) -> bool:
    """Whether a lower-case word is German by form: listed at all, a German derivation, or a compound with a German head.

    Evidence that a word is German, not that it is not: "Dateiname",
    "Ausschneiden", "Authentifizierung", "Benutzerdefinierter",
    "Exponentialfunktion", which wordfreq's small list has under 1e-5 or
    not at all. A compound is German by its last piece, its head (see _GERMAN_HEAD).
    """
    listed = word_log_frequencies("de")
    if listed is not None and len(token) >= _LISTED_GERMAN_MIN_LETTERS and token in listed:
        return True
    return german_formation(token)


@lru_cache(maxsize=1 << 16)
def german_formation(token: str, by_head: bool = True) -> bool:
    """Whether a lower-case word is formed as German forms words: a derivation, an inflected listed stem, a compound.

    Unlike a word German's list merely holds, which may be a name German
    news writes often ("Scholz"), this is how German's common words are built:
    "Orte", "Gruppen", "Datenbank", "Uniklinik". Without ``by_head``, a
    German head alone does not make a compound German: asked of words a
    look-alike may have formed, whose endings German's list holds as names
    ("plenarforsamlingen": Danish, "Lingen" a German town).
    """
    listed, english = word_log_frequencies("de"), word_log_frequencies("en")
    if listed is None or english is None or len(token) > GERMAN_WORD_MAX_LETTERS:
        return False
    if _GERMAN_SUFFIX.search(token):
        return True
    if token not in english and (
        _german_letters(token) or _german_verb_form(token, listed, english) or _german_plural_of_english(token, english) or _latinate_adjective(token, english)
    ):
        return True
    stems = [token[: -len(ending)] for ending in _GERMAN_INFLECTIONS if token.endswith(ending)]
    # A stem English writes more often is English's, unless German writes the inflected word and English does not:
    # "Docker" is no "Dock-er", "Globales" is "global-es".
    inflected_german = token in listed and token not in english
    if any(len(stem) >= _LISTED_GERMAN_MIN_LETTERS and stem in listed and (inflected_german or listed[stem] >= english.get(stem, -math.inf)) for stem in stems):
        return True
    # A German head alone makes a compound German, whatever precedes it ("Binär-datei", "Sortier-optionen"); so
    # does a German first piece and its link, whatever follows ("Zugriffs-token", "Wert-präfix").
    if by_head and any(token[start:] in listed and token[start:] not in english for start in range(_GERMAN_ONLY_HEAD_FROM, len(token) - _GERMAN_ONLY_HEAD_MIN_LETTERS + 1)):
        return True
    if any(
        token[:end] in listed and token[:end] not in english and token.startswith(link, end) and len(token) - end - len(link) >= _COMPOUND_PIECE_MIN_LETTERS
        for end in range(_GERMAN_ONLY_HEAD_MIN_LETTERS, len(token) - _COMPOUND_PIECE_MIN_LETTERS)
        for link in COMPOUND_LINKS
    ):
        return True
    return any(_german_compound(stem) for stem in [token, *stems])


# "ß" is a letter no other language writes. Not the umlauts: Swedish writes "ä" and "ö" ("kungör", which its
# small list lacks), Turkish, Hungarian, Estonian and languages py3langid does not know write "ü" ("mesüra":
# Ao Naga). Four letters at least: "Fuß" is German's list's, or an abbreviation's.
_GERMAN_LETTERS_MIN_LETTERS = 4


def _german_letters(token: str) -> bool:
    return len(token) >= _GERMAN_LETTERS_MIN_LETTERS and "ß" in token


# A present participle ("steigend", "laufende": a listed infinitive and "-d") and an infinitive German makes of an
# English verb ("zoomen", "scrollen"), neither of which English writes. Not an English word and "end":
# "Backend" is no "backen-d", nor "Frontend" "fronten-d".
_PARTICIPLE_ENDINGS = ("d", "de", "der", "des", "dem", "den")
_ENGLISH_VERB_MIN_LETTERS = 4


def _german_verb_form(token: str, listed: Mapping[str, float], english: Mapping[str, float]) -> bool:
    for ending in _PARTICIPLE_ENDINGS:
        infinitive = token[: -len(ending)]
        if token.endswith(ending) and infinitive.endswith("en") and infinitive in listed and listed[infinitive] >= english.get(infinitive, -math.inf):
            return not (ending == "d" and token[:-3] in english)
    if token.endswith("en") and len(token) - 2 >= _ENGLISH_VERB_MIN_LETTERS and token[:-2] in english:
        return True
    # A past participle: "ge", a stem either list holds, "-t" or "-et" ("gepunktet", "gescrollt"), after a prefix
    # that parts from its verb ("an-ge-heftet") or none, and inflected as an adjective or not ("gespeicherte").
    participle = _PAST_PARTICIPLE.match(token)
    return participle is not None and (participle["prefix"] in GERMAN_PREFIXES or not participle["prefix"]) and (
        participle["stem"] in listed or participle["stem"] in english
    )


_PAST_PARTICIPLE = re.compile(r"(?P<prefix>\w*?)ge(?P<stem>\w{3,}?)e?t(?:e|er|es|em|en)?$")


# German writes the plural of an English noun in "-y" with "-s" ("Proxys", "Hobbys"), English with "-ies".
_CONSONANT_Y_PLURAL = re.compile(r"[^aeiouy]ys$")


def _german_plural_of_english(token: str, english: Mapping[str, float]) -> bool:
    return bool(_CONSONANT_Y_PLURAL.search(token)) and token[:-1] in english


# An adjective German takes from Latin and inflects: "Optionale", "Modulare", "Reeller", "Inverser", "Negatives".
# English writes the stems ("optional", "modular"), never them inflected so, though it ends nouns of its verbs in
# "-er" ("Dialer" is "dial-er") and joins its words so ("Spyware", "Middleware": an English word of three letters
# at least, then one of four: "ale" and "are" end "Optionale" and "Modulare").
_LATINATE_ADJECTIVE = re.compile(r"..(?:al|ar|är|ell|iv|ös|vers)(?:e|er|es|em)$")
_ENGLISH_HEAD_MIN_LETTERS = 4


def _latinate_adjective(token: str, english: Mapping[str, float]) -> bool:
    if token in english or not _LATINATE_ADJECTIVE.search(token) or (token.endswith("er") and token[:-2] in english):
        return False
    return not any(token[:end] in english and token[end:] in english for end in range(FREQUENCY_MIN_LETTERS, len(token) - _ENGLISH_HEAD_MIN_LETTERS + 1))


# Shorter words German forms are names' endings as often ("Sanae": "sana-e").
FORMED_NOUN_MIN_LETTERS = 7


def german_noun_or_adjective(word: str) -> bool:
    """Whether a lower-case word is an inflected German adjective, or a long word German writes, English does not, and German forms."""
    return german_adjective(word) or (
        len(word) >= FORMED_NOUN_MIN_LETTERS and word in (word_log_frequencies("de") or ()) and word not in (word_log_frequencies("en") or ()) and german_formation(word)
    )


def german_not_in(text: str, lang: str) -> int:
    """How many words of ``text`` German writes (see german_word) and ``lang``'s list does not hold at all.

    English interface text borrows no German, German borrows English freely:
    "Heartbeat-Intervall", "Globales Timeout", "Board klonen" are German. A
    look-alike's label is written in its own words, so a word German forms
    (german_formation) and its list lacks counts against it: "Primärfarbe"
    is no Swedish word, though its letters read Swedish. Not a word German's
    list merely holds: it holds the web's English too ("Scifi"), which the
    look-alikes' lists may lack.
    """
    theirs, listed = word_log_frequencies(STAND_INS.get(lang, lang)), word_log_frequencies("de")
    if theirs is None or listed is None or lang == "de":
        return 0
    if lang != "en":
        return sum(len(token) >= FREQUENCY_MIN_LETTERS and token not in theirs and german_formation(token, by_head=False) for token in words(text))
    return sum(
        len(token) >= FREQUENCY_MIN_LETTERS and token not in theirs and (token in listed or german_word(token))
        for token in (word.casefold() for word in words(text))
    )


@lru_cache(maxsize=1 << 16)
def german_derivation_or_compound(token: str) -> bool:
    """Whether a lower-case word ends as German derives words ("Ukrainisch") or is a German compound ("Prozentsatz").

    Stricter than german_formation: an inflection alone does not count, as
    foreign words end so too ("mille": "mill-e").
    """
    if word_log_frequencies("de") is None or word_log_frequencies("en") is None or len(token) > GERMAN_WORD_MAX_LETTERS:
        return False
    return german_derivation(token) or _german_compound(token)


def german_derivation(token: str) -> bool:
    """Whether a lower-case word ends as German derives words and English does not: "Konfigurierung", "Möglichkeit"."""
    return bool(_GERMAN_SUFFIX.search(token))


# A word German's list holds and English's does not, of five letters at least, after three letters at least:
# "Datei", "Optionen", "Sekunden" end German compounds; "notcode" and "github" end in English words.
_GERMAN_ONLY_HEAD_MIN_LETTERS = 5
_GERMAN_ONLY_HEAD_FROM = 3


# An adjective German inflects: a listed stem ("blockiert-e", "ungültig-es",
# "vollständig-er") or one German derives adjectives with ("sonstig-e",
# "numerisch-e"), and a case ending. Not "-en": names end so ("Jensen", "Karsten").
_ADJECTIVE_ENDINGS = ("e", "er", "es", "em")
_GERMAN_ADJECTIVE = re.compile(r"...(?:ig|lich|isch|iert)(?:e|er|es|em|en)$")


@lru_cache(maxsize=1 << 16)
def german_adjective(token: str) -> bool:
    """Whether a lower-case word is an inflected German adjective: "Blockierte Nummern" is no name."""
    listed, english = word_log_frequencies("de"), word_log_frequencies("en")
    # Bounded as german_formation is: "Unununun…" would recurse once per "un", past Python's limit.
    if listed is None or english is None or len(token) > GERMAN_WORD_MAX_LETTERS:
        return False
    if _GERMAN_ADJECTIVE.search(token) or _latinate_adjective(token, english):
        return True
    # German negates adjectives with "un-": "Unbenanntes Dokument", "Ungültige Eingabe".
    if token.startswith("un") and token not in english and german_adjective(token[2:]):
        return True
    for ending in _ADJECTIVE_ENDINGS:
        stem = token[: -len(ending)]
        if token.endswith(ending) and len(stem) >= _LISTED_GERMAN_MIN_LETTERS and stem in listed and listed[stem] >= english.get(stem, -math.inf):
            return True
    return False


# Cached by ending: "einen" x 8 can be split so many ways that, unremembered, one word took 1.5 s.
@lru_cache(maxsize=1 << 16)
def _german_compound(token: str, german_before: bool = False) -> bool:
    """Whether ``token`` is pieces of German or English (or a verb prefix) linked as German links them.

    Its head, the last piece, must be German enough (_GERMAN_HEAD), and one
    piece at least as frequent in German as in English: "Startdatum" and
    "Absendername" are German, "Timezone" and "Filename" English. Called
    only once both lists are known to exist.
    """
    listed, english = word_log_frequencies("de") or {}, word_log_frequencies("en") or {}
    for end in range(2, min(len(token) - _COMPOUND_HEAD_MIN_LETTERS, _COMPOUND_PIECE_MAX_LETTERS) + 1):
        first = token[:end]
        if not (first in GERMAN_PREFIXES or (end >= _COMPOUND_PIECE_MIN_LETTERS and (first in listed or first in english))):
            continue
        german = german_before or first in GERMAN_PREFIXES or listed.get(first, -math.inf) >= english.get(first, -math.inf)
        for link in COMPOUND_LINKS:
            rest = token[end + len(link) :]
            if not token.startswith(link, end) or len(rest) < _COMPOUND_HEAD_MIN_LETTERS:
                continue
            if rest in listed:
                in_english = english.get(rest, -math.inf)
                if listed[rest] >= _HEAD_OF_A_LANGUAGE and listed[rest] >= in_english + _GERMAN_HEAD and (german or listed[rest] >= in_english):
                    return True
            if _german_compound(rest, german):
                return True
    return False
