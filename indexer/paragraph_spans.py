"""Where each Chinese index term of a paragraph is, kept from the build.

A snippet marks the question's words in a paragraph; for Chinese that
means segmenting the paragraph with jieba, about 0.4 ms for a paragraph of
this corpus and most of a snippet's cost. The keyword build segments every
chunk's Chinese text anyway: the spans it found are kept here, by
paragraph, so that a snippet costs the same at any corpus size (at 10k
chunks most paragraphs a query shows are new to the snippet cache).
"""
from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_right
from pathlib import Path

import numpy as np

FOLDER = "spans-zh"
# How a chunk's text joins its unit's paragraphs (chunking.py). jieba cuts
# at any character that is not part of a word, so the spans of a joined text
# are those of each paragraph, shifted (tests/test_paragraph_spans.py).
JOIN = "\n\n"


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


class Collector:
    """The build's side: fed each chunk's Chinese text with the (start, end)
    spans of its terms, keeps them by paragraph (a lead-in repeated in
    several chunks once)."""

    def __init__(self):
        self._spans: dict[int, array] = {}

    def add(self, text: str, spans) -> None:
        pieces = text.split(JOIN)
        keys = [_key(piece) for piece in pieces]
        if all(key in self._spans for key in keys):  # lead-ins, and a unit's only chunk seen as a guide's
            return
        if len(pieces) == 1:  # most chunks: one paragraph
            self._spans[keys[0]] = array("i", [at for _, start, end in spans for at in (start, end)])
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

    def write(self, build: Path) -> None:
        folder = build / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._spans)
        bounds = np.zeros(len(keys) + 1, dtype=np.int64)
        bounds[1:] = np.cumsum([len(self._spans[k]) // 2 for k in keys])
        offsets = np.zeros((int(bounds[-1]), 2), dtype=np.int32)
        for k, lo, hi in zip(keys, bounds[:-1], bounds[1:]):
            offsets[lo:hi] = np.frombuffer(self._spans[k], dtype=np.int32).reshape(-1, 2)
        np.save(folder / "keys.npy", np.array(keys, dtype=np.uint64))
        np.save(folder / "bounds.npy", bounds)
        np.save(folder / "offsets.npy", offsets)


class ParagraphSpans:
    """The query's side: a paragraph's terms and their spans, if the build kept them."""

    def __init__(self, build: Path):
        folder = build / FOLDER
        # Mapped, not read: at 100k chunks the offsets are tens of MB, of which a query touches a few rows.
        self._keys = np.load(folder / "keys.npy", mmap_mode="r")
        self._bounds = np.load(folder / "bounds.npy", mmap_mode="r")
        self._offsets = np.load(folder / "offsets.npy", mmap_mode="r")
        if (self._keys.ndim != 1 or len(self._bounds) != len(self._keys) + 1
                or self._offsets.ndim != 2 or self._offsets.shape[1] != 2
                or (len(self._bounds) and int(self._bounds[-1]) != len(self._offsets))):
            raise ValueError(f"the arrays in {folder} do not agree")

    def where(self, text: str) -> dict[str, tuple[tuple[int, int], ...]] | None:
        """term -> its (start, end) spans in the paragraph `text`, as
        analysis.chinese_spans finds them; None for a text the build did not see."""
        key = _key(text)
        i = int(np.searchsorted(self._keys, np.uint64(key)))
        if i == len(self._keys) or int(self._keys[i]) != key:
            return None
        found: dict[str, list[tuple[int, int]]] = {}
        for start, end in self._offsets[self._bounds[i]:self._bounds[i + 1]].tolist():
            found.setdefault(text[start:end].strip().lower(), []).append((start, end))
        return {term: tuple(spans) for term, spans in found.items()}
