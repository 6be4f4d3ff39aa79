"""Finding editorial cue phrases in a question.

English phrases match on stemmed words in order ("applied" finds "apply"),
Chinese ones as substrings, the way glossary terms match (expansion.py).
Unlike index terms, cue words keep stop words: "who can" and "where" are
what an intent is made of.
"""
from __future__ import annotations

import re
from functools import lru_cache

from whoosh.lang.porter import stem

from .analysis import has_cjk

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _WORD.findall(text.lower()))


def contains(seq, sub) -> bool:
    """Whether the word sequence `sub` occurs in `seq`, in order and adjacent."""
    n = len(sub)
    # Most phrases fail on their first word: a C-level membership test spares the scan.
    return n > 0 and sub[0] in seq and any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every (start, end) span of `phrase` in `text`, overlapping ones included."""
    out = []
    at = text.find(phrase)
    while at >= 0:
        out.append((at, at + len(phrase)))
        at = text.find(phrase, at + 1)
    return out


class Cues:
    """A named list of phrases in either language."""

    def __init__(self, phrases: list[str]):
        self.phrases = list(phrases)
        self._zh = [p.lower() for p in phrases if has_cjk(p)]
        self._en = [(p, _words(p)) for p in phrases if not has_cjk(p)]
        # By first word: a question is compared only with the phrases that start
        # with one of its words (most questions, Chinese ones all, have none).
        self._en_by_first: dict[str, list[int]] = {}
        for i, (_, ws) in enumerate(self._en):
            if ws:
                self._en_by_first.setdefault(ws[0], []).append(i)

    def found(self, question: str) -> list[str]:
        """The phrases the question contains."""
        lowered = question.lower()
        return [p for p in self._zh if p in lowered] + self.found_en(question)

    def found_en(self, question: str) -> list[str]:
        """The English phrases the question contains."""
        words = _words(question)
        candidates = sorted({i for w in set(words) for i in self._en_by_first.get(w, ())})
        return [self._en[i][0] for i in candidates if contains(words, self._en[i][1])]

    def spans(self, question: str) -> list[tuple[int, int]]:
        """Where the Chinese phrases occur in the question, as (start, end) character spans."""
        lowered = question.lower()
        # The C-level test first: a question holds a few of some thousand phrases.
        return [span for phrase in self._zh if phrase in lowered for span in occurrences(lowered, phrase)]

    def without(self, question: str) -> str:
        """The question with the phrases it contains blanked out (English ones where written as in the list)."""
        chars = list(question)
        english = [m.span() for p, _ in self._en for m in re.finditer(re.escape(p), question, re.IGNORECASE)]
        for start, end in self.spans(question) + english:  # found in the question as asked, overlaps and all
            chars[start:end] = " " * (end - start)
        return "".join(chars)

    def unmatchable(self) -> list[str]:
        """English phrases without a single word: they could never match."""
        return [p for p, ws in self._en if not ws]
