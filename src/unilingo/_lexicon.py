"""Words that mark one language among its look-alikes.

Short segments ("Ich bin müde.", "I'm rich.", "Impressum") give character
n-gram models too little to go on; their function words, and the words of web
page chrome, do not. Each list holds frequent words of one language that are
rare or absent in the others that could be confused with it: words German or
English share with another candidate ("die" in German and Afrikaans, "was" in
German, Dutch and English, "du" in German, French and the Scandinavian
languages, "an", "is", "den", "mit", "hier", "am", "kontakt", "artikel") are
left out on purpose. Two guard languages may share a word ("et" in French
and Luxembourgish): either way the segment stays away from the German model.
German words that Luxembourgish writes as German does ("dass") mark both.

For short text whose route the other opinions leave open, every word counts:
how often each language writes it, from wordfreq's lists of the ~30,000 most
frequent words per language.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Sequence

from ._german import GERMAN_FORM, german_word
from ._wordlists import FREQUENCY_MIN_LETTERS, LOG_WORD_OF_A_LANGUAGE, STAND_INS, UNSEEN_FREQUENCY, word_log_frequencies, words

# German marker words that Luxembourgish writes too, in German spelling: each
# twice or more in the tuning part's Luxembourgish text (1 in 300 of its
# words, against 1 in 54 of German's; "Ech hoffen, dass du komme kanns.").
# Luxembourgish borrows German spellings and German never writes Luxembourgish,
# so these count for both: they tell German from the other languages, not
# from Luxembourgish.
_GERMAN_IN_LUXEMBOURGISH = frozenset("hat zur dass muss ob wieder".split())

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        """ich wir ihr sie bin bist ist sind hat hast habe haben hatte hatten wird wirst werden wurde
        nicht kein keine keinen keinem keiner und aber auch noch schon sehr nur doch nein mich dich
        ihm ihn uns euch sich mein meine meinen dein deine seine ihre unser unsere das des
        ein eine einen einem einer für auf von vom zur über unter zwischen gegen
        ohne durch wer warum weil dass wenn ob jetzt heute immer nie nichts etwas viel gerne kannst
        können muss müssen will willst sollte darf möchte geht gibt tut macht sagt dies diese
        dieser dieses diesen jeder jede jedes wieder ab bitte danke
        impressum datenschutz datenschutzerklärung startseite anmelden abmelden registrieren suche teilen
        kommentare kommentar weiterlesen mehr zurück weiter schließen akzeptieren ablehnen einstellungen
        anzeige werbung verwandte nachrichten meldungen lesen erfahren abonnieren seite""".split()
    ),
    "en": frozenset(
        """the and of to it that this with for you he she they i me my your his their our are were be been
        have has had do does did don't doesn't didn't isn't aren't wasn't weren't i'm i've i'll i'd it's
        he's she's that's what's there's let's can't won't you're we're they're not what who where why
        how when which there will would could should from by about into very just only also some any
        one if or but than then out up now too please thank thanks every these those them him her
        home search share comments login sign subscribe read more privacy policy settings accept
        close next previous advertisement related""".split()
    ),
    "nl": frozenset(
        """ik jij je wij zij ze het een niet geen van voor zijn ben bent heb hebt heeft hebben hoe waar
        waarom deze dit maar ook nog naar bij uit worden wordt werd moet zal zou graag veel heel mij mijn
        jouw jullie hun ons onze wel erg bedankt alsjeblieft alstublieft goedenacht goedemorgen
        goedemiddag welterusten dank zeer""".split()
    ),
    "af": frozenset(
        """ek jy hy sy hulle julle nie baie vir daardie hierdie 'n nou sodat wees""".split()
    ),
    "lb": frozenset(
        """ech hien hatt ass sinn hunn huet hues gouf ginn gëtt net keen kee vun fir mat ze d' dës
        dëst dësen och awer wann wéi eng engem enger eis säin seng sech iwwer ënner duerch virun hei elo
        ëmmer näischt eppes vill gutt wëll dierf mer gëschter datt e u vu hu keng deen déi dee
        et si hie ouni mam ka dat wärend dacks eist senger sengem hirem hirer mäin mäi dësem dëser iech
        géif goufen wéinst heescht hutt wou meng mengen menger mengem schonn muer gesot kanns
        mech dech sidd scho geet gär""".split()
    )
    | _GERMAN_IN_LUXEMBOURGISH,
    "da": frozenset("""jeg ikke og af til på med som hvad hvor hvorfor meget også fra efter eller når ud hvis""".split()),
    "nb": frozenset("""jeg ikke og av til på med som hva hvor hvorfor mye også fra etter eller når ut hvis""".split()),
    "sv": frozenset("""jag inte och är av till på med som vad varför mycket också från efter eller när ut om""".split()),
    "fr": frozenset(
        """je tu il elle nous vous ils elles le la les une et est suis sont avec pour pas ne que qui dans
        sur ce cette mais ou très aussi au aux été être avoir ai avez ont sa ses leur mon ma mes ton ta
        tes lui""".split()
    ),
}

# "du" next to a verb in -st is German only ("Bist du da?", "du hilfst"):
# Luxembourgish says "bass du", the Scandinavian languages "du er/är". It
# counts as two marker words: both n-gram models read "Du spinnst!" as Norwegian.
_GERMAN_SECOND_PERSON = re.compile(r"\b\w+st du\b|\bdu \w+st\b")
# Luxembourgish ends that verb in -s ("du kachs", "bass du", "kanns du"),
# and it counts as two marker words as German's does: py3langid reads "Du
# kachs." as German. German words in -s that stand beside "du" ("was du",
# "dass du", "du das", "du letztes", "du niemals") are not verbs.
_LUXEMBOURGISH_SECOND_PERSON = re.compile(r"\b(\w+s) du\b|\bdu (\w+s)\b")
_GERMAN_WORDS_IN_S = frozenset("das was es uns dies alles aus bis als etwas nichts los des ins ans eins bereits".split())
_GERMAN_ENDINGS_IN_S = ("tes", "mals")
# Luxembourgish "Dir" and "Mir" are subjects ("Dir hutt Recht.", "Mir wunnen
# am Ausland."), German "dir" and "mir" datives that rarely open a sentence:
# none of the tuning part's 6,805 German sentences (Tatoeba and FLORES)
# starts with either, 32 of its 683 Luxembourgish ones do.
_LUXEMBOURGISH_SUBJECT = re.compile(r"^\W*[dm]ir\s+\w")
# Letters German does not write together and Luxembourgish does: "wéi", "Päerd", "gläichfalls". Not before
# German's "-isch": "europäisch", "Hebräisch" join "ä" and "i" across the ending.
_LUXEMBOURGISH_SPELLING = re.compile(r"ë|éi|ä(?:e|i(?!sch))")


# The label of an image credit or source line, by language: such a line is
# decided by its label, as what follows is names that n-gram models misread.
CREDIT_LABELS: dict[str, frozenset[str]] = {
    "de": frozenset("foto fotos bild bilder quelle quellen bildquelle archivbild grafik".split()),
    "en": frozenset("photo photos image images picture source sources credit photograph graphic".split()),
    "nl": frozenset("beeld bron".split()),
    "fr": frozenset("crédit".split()),
}
_CREDIT = re.compile(r"^\s*([^\W\d_]+)\s*:\s*\S")


def credit_label(text: str) -> str | None:
    """The label of a credit line such as "Foto: Max Mustermann/dpa", if it is one."""
    match = _CREDIT.match(text)
    if match and any(match.group(1).lower() in labels for labels in CREDIT_LABELS.values()):
        return match.group(1)
    return None


# A name and, in brackets, what it is: "Heinemann (publisher)", "Mercury (planet)", as reference pages link them.
_DESCRIBED = re.compile(r"^\s*([^()]+?) \(([^()]+)\)\s*$")
_DESCRIBED_NAME_MAX_WORDS = 4


def name_description(text: str) -> str | None:
    """The lower-case description after a capitalised name ("publisher" of "Heinemann (publisher)"), if there is one.

    The name's letters say where the name comes from, the description what
    language the text is in: "Heinemann" reads German to both n-gram models.
    """
    match = _DESCRIBED.match(text)
    if match is None:
        return None
    name, description = match.group(1).split(), match.group(2)
    if len(name) > _DESCRIBED_NAME_MAX_WORDS or not all(word[0].isupper() for word in name) or not description[0].islower():
        return None
    if not any(len(word) >= FREQUENCY_MIN_LETTERS for word in words(description)):
        return None
    return description


# A word this many times as frequent in one language's list as in each other's tells them apart.
_TELLS_APART = math.log(5.0)


def tells_apart(text: str, languages: Sequence[str]) -> bool:
    """Whether a word of ``text`` is far more frequent in one of ``languages`` than in the others.

    "publisher" is (English, 6 times German's); "optional" (2 times) is not.
    """
    lists = [word_log_frequencies(STAND_INS.get(lang, lang)) for lang in languages]
    if len(lists) < 2 or any(listed is None for listed in lists):
        return False
    unseen = math.log(UNSEEN_FREQUENCY)
    for token in words(text):
        found = sorted((listed.get(token, unseen) for listed in lists), reverse=True)  # type: ignore[union-attr]
        if found[0] >= LOG_WORD_OF_A_LANGUAGE and found[0] - found[1] >= _TELLS_APART:
            return True
    return False


def credit_languages(label: str) -> list[str]:
    return [lang for lang, labels in CREDIT_LABELS.items() if label.lower() in labels]


# Words joined by hyphens are one word: the "E" of "E-Mail" is no Luxembourgish article, nor "an" of "An-/Abwesenheit" German.
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


@lru_cache(maxsize=1 << 16)
def marker_tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` that may be marker words: all but the pieces of hyphenated compounds."""
    if "-" not in text:
        return words(text)
    return words(_HYPHENATED.sub(" ", text))


def _languages_of_words() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang, marker_words in FUNCTION_WORDS.items():
        for word in marker_words:
            index.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


# Each marker word and the languages it marks: one lookup per word, not one per word and language.
_LANGUAGES_OF = _languages_of_words()


def is_marker_word(word: str) -> bool:
    """Whether a lower-case word marks any language (is in any of FUNCTION_WORDS' lists)."""
    return word in _LANGUAGES_OF


def function_word_hits(text: str, languages) -> dict[str, int]:
    tokens = marker_tokens(text)
    hits = dict.fromkeys(languages, 0)
    # Most words mark no language: map and filter skip them without a Python step each.
    for langs in filter(None, map(_LANGUAGES_OF.get, tokens)):
        for lang in langs:
            if lang in hits:
                hits[lang] += 1
    # The patterns below cost more than the look-ups above; most texts hold no "du" and none of those letters.
    lowered = text.lower()
    second_person = "du" in tokens
    if "de" in hits and second_person:
        hits["de"] += 2 * len(_GERMAN_SECOND_PERSON.findall(lowered))
    if "lb" in hits:
        if _LUXEMBOURGISH_SPELLING.search(lowered):
            hits["lb"] += sum(bool(_LUXEMBOURGISH_SPELLING.search(token)) for token in tokens)
        for pair in _LUXEMBOURGISH_SECOND_PERSON.findall(lowered) if second_person else ():
            verb = pair[0] or pair[1]
            if not verb.endswith(("st", *_GERMAN_ENDINGS_IN_S)) and verb not in _GERMAN_WORDS_IN_S and verb not in FUNCTION_WORDS["de"]:
                hits["lb"] += 2
        hits["lb"] += bool(_LUXEMBOURGISH_SUBJECT.match(lowered))
    return hits


def own_and_shared_markers(text: str, languages) -> tuple[dict[str, int], dict[str, int]]:
    """Per language, the marker words in ``text`` that mark no other of ``languages``, and those that do."""
    chosen = set(languages)
    own = dict.fromkeys(languages, 0)
    shared = dict.fromkeys(languages, 0)
    for langs in filter(None, map(_LANGUAGES_OF.get, marker_tokens(text))):
        marked = [lang for lang in langs if lang in chosen]
        counts = own if len(marked) == 1 else shared
        for lang in marked:
            counts[lang] += 1
    return own, shared


# A language reading its neighbour's list writes the neighbour's long words less often than the neighbour does:
# each found there counts this share of its frequency. Without it "Telefonnummer" read as Luxembourgish (0.96),
# whose own spelling is "Telefonsnummer": the n-gram models alone decided between two languages the list could
# not tell apart. Shorter words the two write alike ("dir", "mat", "kommt", "Artikel"), so they count in full: with
# seven letters, "## Artikel 1." alone in a Swedish or Dutch declaration went to the German model.
_STAND_IN_SHARE = math.log(0.05)
_STAND_IN_LONG_WORD = 8


def word_frequency_scores(text: str, languages: Sequence[str]) -> dict[str, float]:
    """For each language, the log-likelihood of ``text``'s words under its word frequencies.

    Empty (no opinion) for text without a word of three letters. A language
    with no list, not even a neighbour's, gets the others' mean: no opinion
    about it either way.
    """
    tokens = [token.casefold() for token in words(text)]
    if not any(len(token) >= FREQUENCY_MIN_LETTERS for token in tokens):
        return {}
    unseen = math.log(UNSEEN_FREQUENCY)
    scores = {}
    for lang in languages:
        log_frequencies = word_log_frequencies(STAND_INS.get(lang, lang))
        if log_frequencies is not None:
            scores[lang] = sum(log_frequencies.get(token, unseen) for token in tokens)
            if lang in STAND_INS:
                scores[lang] += _STAND_IN_SHARE * sum(len(token) >= _STAND_IN_LONG_WORD and token in log_frequencies for token in tokens)
    if "de" in scores:
        # A German compound or derivation missing from the list is as frequent as the list's rarest words, in German
        # alone: Luxembourgish reads German's list for want of its own, not German's word formation.
        german = word_log_frequencies("de")
        scores["de"] += sum(GERMAN_FORM - unseen for token in tokens if token not in german and german_word(token))
    if not scores:
        return {}
    neutral = sum(scores.values()) / len(scores)
    return {lang: scores.get(lang, neutral) for lang in languages}


# Programmers' and typesetters' placeholder names. Some are words of a language too ("bar", "fred", "sit"),
# so a text of nothing but these is no language when at least one of them is no word of any.
_PLACEHOLDER_WORDS_OF_A_LANGUAGE = frozenset("bar fred waldo thud sit dolor amet".split())
_PLACEHOLDER_WORDS = _PLACEHOLDER_WORDS_OF_A_LANGUAGE | frozenset(
    "foo baz qux quux quuz corge grault garply plugh xyzzy lorem ipsum hoge fuga piyo".split()
)


def only_placeholder_words(text: str) -> bool:
    """Whether ``text`` is nothing but placeholder names ("foo bar", "lorem ipsum dolor sit amet")."""
    # words() are lower case already, and every placeholder is ASCII, whose lower case is its case fold.
    tokens = words(text)
    return bool(tokens) and _PLACEHOLDER_WORDS.issuperset(tokens) and not _PLACEHOLDER_WORDS_OF_A_LANGUAGE.issuperset(tokens)


def mostly_unknown_words(text: str, languages: Sequence[str], *, german_by_form: bool = True) -> bool:
    """Whether ``text`` has no marker word and most of its words are frequent in none of ``languages``.

    "aaa", "notcode", "bar baz bim": placeholders, which the n-gram models
    give some language anyway. False when a language has no list, not even a
    neighbour's: its words cannot be told from none. With ``german_by_form``,
    a word German by form (german_word) is German's wherever German's list is
    read (German itself, or Luxembourgish standing in); without, only
    frequent words count: German's web list holds foreign words too
    ("grazie" 1.3e-6), and a phrase of them may be another language.
    """
    tokens = [token.casefold() for token in words(text)]
    # "Du spinnst!": a marker of any length, or "du" with its verb, is language enough.
    if all(len(token) < FREQUENCY_MIN_LETTERS for token in tokens) or any(function_word_hits(text, languages).values()):
        return False
    lists = []
    for lang in languages:
        log_frequencies = word_log_frequencies(STAND_INS.get(lang, lang))
        if log_frequencies is None:
            return False
        lists.append(log_frequencies)
    floor = LOG_WORD_OF_A_LANGUAGE
    german = german_by_form and any(STAND_INS.get(lang, lang) == "de" for lang in languages)
    frequent = [
        any(log_frequencies.get(token, floor - 1.0) >= floor for log_frequencies in lists) or (german and german_word(token))
        for token in tokens
    ]
    # A short word is no evidence against a language, but a frequent one is for it: "Er rennt." With
    # ``german_by_form``, nor is a word no list holds at all, a name or a term ("Uptime-Kuma-Versionsnummer",
    # "MQTT-WebSocket-Pfad"): the lists' rare words are ("aaa", "bim"). A text with no frequent word is none the
    # less no language, and a placeholder name counts against it ("bar baz bim"). Without ``german_by_form``, a
    # word no list holds is another language's: "Buongiorno a tutti."
    counted = [
        is_frequent
        for token, is_frequent in zip(tokens, frequent)
        if is_frequent
        or (len(token) >= FREQUENCY_MIN_LETTERS and (not german_by_form or token in _PLACEHOLDER_WORDS or any(token in log_frequencies for log_frequencies in lists)))
    ]
    return not any(counted) or 2 * sum(counted) < len(counted)


# A word another language writes at least this share as often as the guessed one reads the same to its readers:
# "Pause", "Videos", "Tags" and "Server" are English words too. Of the tuning
# part's German labels headed for the model, a share of 0.01 keeps 12 ("Klein",
# "Mai", "Grad"), 0.1 keeps 3 ("Muster", "Online", "Offline").
_READS_THE_SAME = math.log(0.1)
# Or a word of three letters or more, no marker word of the other, that the language writes this often, however
# much more often the other does: "Tag" (English 2.8e-5, a twentieth of German's) reads the same, "Klein"
# (5.2e-6) and "Mai" (3.5e-6) do not, nor "im" and "von", which English web text writes often. English only:
# German web text writes English words commonly ("good", "love"), English web text German ones rarely.
_COMMON_WORD = math.log(1e-5)
# At most this many words: a longer text of such words is a sentence, and its n-grams are evidence enough.
_READS_THE_SAME_MAX_WORDS = 3


def reads_the_same_in(text: str, lang: str, other: str, *, one_word_of_it: bool = True) -> bool:
    """Whether ``text``'s words are all ``lang``'s as well as ``other``'s, or no language's, one at least ``lang``'s.

    "Pause", "Video-Bitrate", "Okay", "Stop!": a label the target language
    writes as it is is left so, since the guess between the two is a coin
    toss and a translation would change what needs no change ("Tag" -> "Day").
    A word ``lang`` writes counts if it is in its list at all and at least a
    tenth as frequent there as in ``other``'s, or common there (1e-5); a word neither list holds
    and not German by form ("Bitrate", "PushDeer") says nothing either way.
    Without ``one_word_of_it``, a text of such words alone reads the same too.
    """
    tokens = words(text)
    if not 0 < len(tokens) <= _READS_THE_SAME_MAX_WORDS:
        return False
    home = word_log_frequencies(STAND_INS.get(lang, lang))
    away = word_log_frequencies(STAND_INS.get(other, other))
    if home is None or away is None:
        return False
    germans = {code for code in (lang, other) if STAND_INS.get(code, code) == "de"}
    shared = 0
    for token in tokens:
        if token in home:
            common = lang == "en" and home[token] >= _COMMON_WORD and len(token) >= FREQUENCY_MIN_LETTERS and token not in FUNCTION_WORDS.get(other, ())
            if home[token] < away.get(token, -math.inf) + _READS_THE_SAME and not common:
                return False
            shared += 1
        elif token in away or (germans and german_word(token)):
            return False
    return shared > 0 or not one_word_of_it
