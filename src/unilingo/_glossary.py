"""Glossary: terms that are never translated, or always translated one way.

A glossary is a TSV file: ``term<TAB>translation`` makes every occurrence of
the term become that translation, a term alone keeps it as it is (product
names, people, code identifiers). Terms match whole words, case-sensitively;
where two overlap, the longer wins. Blank lines and lines starting with ``#``
are skipped. A term is a protected span: the model reads a placeholder in its
place, and the term (or its translation) comes back byte for byte.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ._errors import ConfigError
from ._models import MIB, read_settings_file

# Far above any real glossary: a bound on what a wrong or hostile path makes unilingo read.
GLOSSARY_LIMIT = 16 * MIB


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, str]  # term -> what it becomes (itself: kept as it is)
    pattern: re.Pattern[str] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, terms: dict[str, str]) -> "Glossary":
        if not terms:
            return cls({}, None)
        alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
        return cls(dict(terms), re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"))

    def matches(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """Each term in ``text[start:end]``: its offsets and what it becomes."""
        if self.pattern is None:
            return []
        return [(match.start(), match.end(), self.terms[match.group()]) for match in self.pattern.finditer(text, start, end)]


def load_glossary(path: str | os.PathLike[str]) -> Glossary:
    text = read_settings_file(path, "glossary", GLOSSARY_LIMIT)
    terms: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        term, _, translation = line.partition("\t")
        if not term.strip() or term != term.strip() or "\t" in translation:
            raise ConfigError(f"{path}:{number}: expected 'term', or 'term<TAB>translation', without spaces around the term")
        terms[term] = translation.strip() or term
    return Glossary.of(terms)
