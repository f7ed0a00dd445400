"""Glossary: terms that are never translated, or always translated one way.

A glossary is a TSV file: ``term<TAB>translation`` makes every occurrence of
the term become that translation, a term alone keeps it as it is (product
names, people, code identifiers). Terms match whole words, case-sensitively;
where two overlap, the longer wins. Blank lines and lines starting with ``#``
are skipped. A term is a protected span: the model reads a placeholder in its
place, and the term (or its translation) comes back in its place, escaped
for where it lands as model output is: a glossary is untrusted, too. Terms
are found in the text people read, never in URLs, code or link targets, and
in the values of attributes, alt texts and front matter as well.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ._errors import ConfigError
from ._models import MIB, read_settings_file, settings_lines

# Far above any real glossary: a bound on what a wrong or hostile path makes unilingo read.
GLOSSARY_LIMIT = 16 * MIB


# A term is matched where a text token starts: a run of word characters, or one other character.
_TOKEN = re.compile(r"\w+|\W", re.DOTALL)
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, str]  # term -> what it becomes (itself: kept as it is)
    # Each term under its first token, longest first: a lookup per token of the text, however many terms there are.
    index: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, terms: dict[str, str]) -> "Glossary":
        index: dict[str, list[str]] = {}
        for term in sorted(terms, key=len, reverse=True):
            index.setdefault(_TOKEN.match(term).group(), []).append(term)
        return cls(dict(terms), {first: tuple(found) for first, found in index.items()})

    def matches(self, text: str, start: int, end: int, before: str | None = None, after: str | None = None) -> list[tuple[int, int, str]]:
        """Each term in ``text[start:end]`` as a whole word: its offsets and what it becomes.

        ``before`` and ``after`` are the characters read next to the range
        (markup between them left out; "" for none); by default, those of ``text``.
        """
        if not self.index:
            return []
        before = text[start - 1 : start] if before is None else before
        after = text[end : end + 1] if after is None else after
        found = []
        position = start
        for token in _TOKEN.finditer(text, start, end):
            at = token.start()
            if at < position or _is_word(text[at - 1] if at > start else before):
                continue
            for term in self.index.get(token.group(), ()):
                stop = at + len(term)
                if stop <= end and text.startswith(term, at) and not _is_word(text[stop] if stop < end else after):
                    found.append((at, stop, self.terms[term]))
                    position = stop
                    break
        return found


def _is_word(char: str) -> bool:
    return _WORD_CHAR.match(char) is not None


def load_glossary(path: str | os.PathLike[str]) -> Glossary:
    text = read_settings_file(path, "glossary", GLOSSARY_LIMIT)
    terms: dict[str, str] = {}
    for number, line in enumerate(settings_lines(text), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        term, _, translation = line.partition("\t")
        if not term.strip() or term != term.strip() or "\t" in translation:
            raise ConfigError(f"{path}:{number}: expected 'term', or 'term<TAB>translation', without spaces around the term")
        terms[term] = translation.strip() or term
    return Glossary.of(terms)
