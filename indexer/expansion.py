"""Query expansion with the corpus glossary.

A question that names a concept in any of its terms (dibao, minimum living
allowance, 低保, 最低生活保障) is also searched with the concept's other
terms, in both languages. English terms match on stemmed words, so plurals
and case do not matter; Chinese terms match as substrings.
"""
from __future__ import annotations

from .analysis import has_cjk, tokens
from .cues import contains as _contains, occurrences
from .models import GlossaryEntry


class Expander:
    def __init__(self, glossary: list[GlossaryEntry]):
        self._entries = [
            (entry, [tokens(t, "en") for t in entry.terms_en], [t for t in entry.terms_zh if has_cjk(t)])
            for entry in glossary
        ]
        # The entries with an English term starting with a word: only those can match a question holding it.
        self._by_first_word: dict[str, set[int]] = {}
        for i, (_, en_terms, _) in enumerate(self._entries):
            for t in en_terms:
                if t:
                    self._by_first_word.setdefault(t[0], set()).add(i)

    def matches(self, question: str) -> list[GlossaryEntry]:
        words = tokens(question, "en")
        lowered = question.lower()
        english = {i for w in set(words) for i in self._by_first_word.get(w, ())}
        chinese = _chinese_matches(lowered, self._entries)
        return [
            entry for i, (entry, en_terms, _) in enumerate(self._entries)
            if i in chinese or (i in english and any(_contains(words, t) for t in en_terms))
        ]

    def expand(self, question: str, matched: list[GlossaryEntry]) -> list[str]:
        """What to tell the reader: the matched concepts' terms the question does not contain."""
        words = tokens(question, "en")
        lowered = question.lower()
        extra: list[str] = []
        for entry in matched:
            for term in entry.terms_en:
                if not _contains(words, tokens(term, "en")) and term not in extra:
                    extra.append(term)
            for term in entry.terms_zh:
                if term.lower() not in lowered and term not in extra:
                    extra.append(term)
        return extra


def _chinese_matches(lowered: str, entries) -> set[int]:
    """The entries a Chinese term of which the question holds, longest match
    first: a term found only inside another concept's longer term is not
    named (the 特困 of 特困生, a poor student, is not 特困人员; the 儿童 of
    留守儿童 is that concept's, not minors' at large)."""
    spans = [(start, end, i) for i, (_, _, zh_terms) in enumerate(entries)
             for term in zh_terms if term in lowered for start, end in occurrences(lowered, term)]
    return {i for start, end, i in spans
            if not any(j != i and s <= start and end <= e and e - s > end - start for s, e, j in spans)}
