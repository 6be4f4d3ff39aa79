"""Where each index term of a paragraph is, kept from the build.

A snippet marks the question's words in a paragraph, and the coverage check
asks which of them a text holds; both need the paragraph's terms. Chinese
means segmenting with jieba, about 0.4 ms for a paragraph of this corpus;
English, about 50 us of tokenizing and stemming. The keyword build analyses
every chunk's text anyway: the spans it found are kept here, by paragraph,
so that these costs do not grow with the corpus (at 10k chunks most
paragraphs a query shows are new to any cache).
"""
from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_right
from pathlib import Path
from typing import Callable

import numpy as np

from .analysis import chinese_spans, english_spans, english_term

FOLDER = "spans"
LANGS = ("en", "zh")
# How a chunk's text joins its unit's paragraphs (chunking.py). The
# analyzers cut at any character that is not part of a word, so the spans
# of a joined text are those of each paragraph, shifted
# (tests/test_paragraph_spans.py).
JOIN = "\n\n"
# A span's term from the text it covers: the word as the analyzer yields it.
_TERM: dict[str, Callable[[str], str | None]] = {"zh": lambda word: word.strip().lower(), "en": english_term}


def flat_offsets(spans) -> array:
    """The (term, start, end) spans' start and end offsets, in one array: start, end, start, end..."""
    return array("i", [at for _, start, end in spans for at in (start, end)])


def term_of(lang: str) -> Callable[[str], str | None]:
    """The term of a span's text in an analysis ("zh" or "en")."""
    return _TERM[lang]


Spans = dict[str, tuple[tuple[int, int], ...]]  # term -> its (start, end) spans in a text
Known = Callable[[str, str], "Spans | None"]  # ParagraphSpans.where


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


class Collector:
    """The build's side: fed each chunk's text in one language with the
    (term, start, end) spans of its terms, keeps the spans by paragraph (a
    lead-in repeated in several chunks once)."""

    def __init__(self):
        self._spans: dict[int, array] = {}

    def add(self, text: str, spans) -> None:
        pieces = text.split(JOIN)
        keys = [_key(piece) for piece in pieces]
        if all(key in self._spans for key in keys):  # lead-ins, and repeated texts
            return
        if len(pieces) == 1:  # most chunks: one paragraph
            self._spans[keys[0]] = flat_offsets(spans)
            return
        starts, at = [], 0
        for piece in pieces:
            starts.append(at)
            at += len(piece) + len(JOIN)
        found = [array("i") for _ in pieces]
        for _, start, end in spans:
            i = bisect_right(starts, start) - 1
            found[i].extend((start - starts[i], end - starts[i]))
        for key, offsets in zip(keys, found):
            self._spans.setdefault(key, offsets)

    def write(self, folder: Path, lang: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._spans)
        bounds = np.zeros(len(keys) + 1, dtype=np.int64)
        bounds[1:] = np.cumsum([len(self._spans[k]) // 2 for k in keys])
        offsets = np.zeros((int(bounds[-1]), 2), dtype=np.int32)
        for k, lo, hi in zip(keys, bounds[:-1], bounds[1:]):
            offsets[lo:hi] = np.frombuffer(self._spans[k], dtype=np.int32).reshape(-1, 2)
        np.save(folder / f"{lang}-keys.npy", np.array(keys, dtype=np.uint64))
        np.save(folder / f"{lang}-bounds.npy", bounds)
        np.save(folder / f"{lang}-offsets.npy", offsets)


def write(collectors: dict[str, Collector], build: Path) -> None:
    for lang, collector in collectors.items():
        collector.write(build / FOLDER, lang)


class _Kept:
    def __init__(self, folder: Path, lang: str):
        # The offsets are mapped, not read: at 100k chunks they are a hundred MB or so, of which a query
        # touches a few rows. Plain ndarray views: numpy's memmap subclass costs microseconds a slice.
        self.keys = np.load(folder / f"{lang}-keys.npy")
        self.bounds = np.load(folder / f"{lang}-bounds.npy").tolist()
        self.offsets = np.load(folder / f"{lang}-offsets.npy", mmap_mode="r").view(np.ndarray)
        if (self.keys.ndim != 1 or len(self.bounds) != len(self.keys) + 1
                or self.offsets.ndim != 2 or self.offsets.shape[1] != 2
                or self.bounds[-1] != len(self.offsets)):
            raise ValueError(f"the {lang} arrays in {folder} do not agree")


class ParagraphSpans:
    """The query's side: a paragraph's terms and their spans, if the build kept them."""

    def __init__(self, build: Path):
        self._kept = {lang: _Kept(build / FOLDER, lang) for lang in LANGS}

    def where(self, text: str, lang: str) -> Spans | None:
        """term -> its (start, end) spans in the paragraph `text`, as the
        analysis of `lang` finds them; None for a text the build did not see."""
        kept = self._kept.get(lang)
        if kept is None:
            return None
        key = _key(text)
        i = int(np.searchsorted(kept.keys, np.uint64(key)))
        if i == len(kept.keys) or int(kept.keys[i]) != key:
            return None
        term = term_of(lang)
        found: dict[str, list[tuple[int, int]]] = {}
        for start, end in kept.offsets[kept.bounds[i]:kept.bounds[i + 1]].tolist():
            found.setdefault(term(text[start:end]), []).append((start, end))
        return {term: tuple(spans) for term, spans in found.items()}


# Texts whose terms are kept once found, for the whole process (a text's
# terms depend only on the analysis, not on the build): every paragraph and
# title of this corpus in both analyses (about 2,000), the first ones seen of
# a far larger one.
KEPT = 4096
_found: dict[tuple[str, str], Spans] = {}


def cached(text: str, lang: str) -> Spans | None:
    """term_spans() of a text already worked out, else None."""
    return _found.get((text, lang))


def term_spans(text: str, lang: str, known: Known | None = None) -> Spans:
    """Where each index term of the text occurs: kept from before, from the
    build (known), else analysed; snippets and the coverage check share them."""
    spans = _found.get((text, lang))
    if spans is None:
        spans = known(text, lang) if known is not None else None
        if spans is None:
            found: dict[str, list[tuple[int, int]]] = {}
            for term, start, end in (english_spans(text) if lang == "en" else chinese_spans(text)):
                found.setdefault(term, []).append((start, end))
            spans = {term: tuple(at) for term, at in found.items()}
        if len(_found) < KEPT:
            _found[text, lang] = spans
    return spans
