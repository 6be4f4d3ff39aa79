"""The concept index: each glossary concept scored as one term, BM25F, per chunk.

A question that names a concept (dibao, 低保, minimum living allowance) is
matched on all of the concept's terms. Scoring those terms one by one, as
ordinary words, counts a concept several times over (a text using three
synonyms, a term of three words) and gives a concept found in half the
corpus the weight of a rare word, so a question that mentions dibao only as
context was pulled into the dibao chapter. Here a concept is a single term,
as Lucene's SynonymQuery treats synonyms: its frequency in a chunk is the
number of places any of its terms occurs, its document frequency the number
of chunks where one does, and the fields are combined before saturation
(Robertson and Zaragoza's BM25F). A concept used everywhere then weighs as
little as any common word, and a rare one as much as a rare word.

The scores depend only on the corpus, so they are computed when the index is
built and stored with it.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np

from . import keyword_index
from .analysis import has_cjk, tokens
from .chunking import Chunk
from .models import GlossaryEntry

FILE = "concepts.json"
K1, B = keyword_index.K1, keyword_index.B
# The keyword index's word fields and their weights (not its character field).
FIELDS = {name: weight for name, (lang, weight) in keyword_index.FIELDS.items() if lang in ("en", "zh")}


def _count_sequences(words: list[str], vocabulary: set[str], by_first: dict[str, list[list[str]]]) -> int:
    """Occurrences of any of the word sequences (by their first word, each
    list longest first), not overlapping, the first from the left first.
    Only the places of the sequences' first words are tried, found by
    list.index: trying every word took 45% of the concept index's build."""
    starts = []
    for first in by_first:
        if first in vocabulary:
            i = words.index(first)
            while True:
                starts.append(i)
                try:
                    i = words.index(first, i + 1)
                except ValueError:
                    break
    count = free = 0
    for i in sorted(starts):
        if i >= free:
            match = next((s for s in by_first[words[i]] if words[i:i + len(s)] == s), None)
            if match is not None:
                count += 1
                free = i + len(match)
    return count


def _holding(index: dict[str, set[int]], parts: list) -> set[int]:
    """The texts that hold every one of the parts (words or characters), by an inverted index."""
    found = [index.get(p, set()) for p in set(parts)]
    return set.intersection(*found) if found else set()


class OccurrenceCounter:
    """How often a concept occurs in a field's text."""

    def __init__(self, entry: GlossaryEntry):
        self._en = [words for words in (tokens(t, "en") for t in entry.terms_en) if words]
        self._en_sets = [set(words) for words in self._en]
        self._by_first: dict[str, list[list[str]]] = {}
        for words in sorted(self._en, key=len, reverse=True):
            self._by_first.setdefault(words[0], []).append(words)
        zh = sorted((t for t in entry.terms_zh if has_cjk(t)), key=len, reverse=True)
        self._zh_terms = zh
        # Chinese terms are matched in the raw text, longest first (最低生活保障金
        # before 最低生活保障), since segmentation may split them differently.
        self._zh = re.compile("|".join(map(re.escape, zh))) if zh else None

    def __call__(self, field: str, text: str) -> int:
        if field.endswith("_zh"):
            return self.in_text(text)
        words = tokens(text, "en")
        return self.in_words(words, set(words))

    def in_text(self, text: str) -> int:
        return len(self._zh.findall(text)) if self._zh else 0

    def in_words(self, words: list[str], vocabulary: set[str]) -> int:
        # Most texts lack some word of every term: a set test spares the scan.
        if not any(term <= vocabulary for term in self._en_sets):
            return 0
        return _count_sequences(words, vocabulary, self._by_first)

    def candidates(self, field: str, index: dict[str, set[int]]) -> list[int]:
        """The texts of a field (by number, in order) that can hold the concept:
        every word of one of its English terms, or every character of one of
        its Chinese terms (index: word or character -> the texts holding it)."""
        terms = [list(t) for t in self._zh_terms] if field.endswith("_zh") else self._en
        return sorted(set().union(*(_holding(index, t) for t in terms)))


def concept_scores(chunks: list[Chunk], glossary: list[GlossaryEntry],
                   analysed: keyword_index.Analysed | None = None) -> dict[str, dict[str, float]]:
    """concept id -> {chunk id: BM25F score}, for the chunks that hold the concept.

    `analysed`: the chunks' field lengths and English terms, as
    keyword_index.build returns them; without them the texts are analysed here."""
    n = len(chunks)
    # Each text analysed once, not once per concept: English as (words, their
    # set), Chinese as it is.
    texts = {f: [getattr(c, f) for c in chunks] for f in FIELDS}
    if analysed is not None:
        if any(len(v) != n for v in (*analysed.lengths.values(), *analysed.english.values())):
            raise ValueError("the analysis is not of these chunks")
        words = analysed.english
    else:
        words = {f: [tokens(t, "en") for t in texts[f]] for f in FIELDS if f.endswith("_en")}
    english = {f: [(w, set(w)) for w in words[f]] for f in FIELDS if f.endswith("_en")}
    lengths = {f: [len(w) for w, _ in english[f]] if f in english
               else analysed.lengths[f] if analysed is not None else [len(tokens(t, "zh")) for t in texts[f]]
               for f in FIELDS}
    average = {f: (sum(v) / n if n else 0.0) or 1.0 for f, v in lengths.items()}
    # Which texts hold each word (English) or character (Chinese): a concept
    # is counted only in the texts that can hold it. Trying every concept on
    # every text took most of the build of 100k chunks.
    holding = {}
    for f in FIELDS:
        holding[f] = {}
        for i, parts in enumerate([vocabulary for _, vocabulary in english[f]] if f in english else texts[f]):
            for part in set(parts):
                holding[f].setdefault(part, set()).add(i)
    out = {}
    for entry in glossary:
        count = OccurrenceCounter(entry)
        weighted = [0.0] * n  # the fields' frequencies, each weighted and length-normalised, summed
        for f, weight in FIELDS.items():
            for i in count.candidates(f, holding[f]):
                tf = count.in_words(*english[f][i]) if f in english else count.in_text(texts[f][i])
                if tf:
                    weighted[i] += weight * tf / (1 - B + B * lengths[f][i] / average[f])
        df = sum(1 for t in weighted if t)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        out[entry.id] = {chunks[i].id: idf * t * (K1 + 1) / (t + K1) for i, t in enumerate(weighted) if t}
    return out


def build(chunks: list[Chunk], glossary: list[GlossaryEntry], folder: Path,
          analysed: keyword_index.Analysed | None = None) -> None:
    scores = concept_scores(chunks, glossary, analysed)
    (folder / FILE).write_text(json.dumps(scores, ensure_ascii=False), encoding="utf-8")


class ConceptIndex:
    """The stored scores as arrays per concept: chunk numbers (in the order
    of the stored chunk list) and scores, so a question's concepts are summed
    and ranked in numpy, and joined with the keyword candidates by lookup."""

    def __init__(self, folder: Path, chunk_ids: list[str]):
        stored: dict[str, dict[str, float]] = json.loads((folder / FILE).read_text(encoding="utf-8"))
        self._ids = chunk_ids
        position = {chunk_id: n for n, chunk_id in enumerate(chunk_ids)}
        self._arrays = {cid: (np.fromiter((position[c] for c in scores), dtype=np.int64, count=len(scores)),
                              np.fromiter(scores.values(), dtype=np.float64, count=len(scores)))
                        for cid, scores in stored.items()}
        self._by_chunk = {cid: dict(scores) for cid, scores in stored.items()}

    def __contains__(self, concept_id: str) -> bool:
        return concept_id in self._arrays

    def best(self, concept_ids: list[str], limit: int) -> list[str]:
        """The chunk ids of the `limit` chunks with the highest summed score,
        in the order the concepts list them (first concept first)."""
        found = [self._arrays[cid] for cid in concept_ids if cid in self._arrays]
        if not found:
            return []
        total = np.zeros(len(self._ids))
        for positions, scores in found:
            total[positions] += scores
        candidates = np.flatnonzero(total)
        if len(candidates) > limit:
            candidates = candidates[np.argpartition(-total[candidates], limit - 1)[:limit]]
        chosen = set(candidates.tolist())
        ordered = dict.fromkeys(int(p) for positions, _ in found for p in positions if p in chosen)
        return [self._ids[p] for p in ordered]

    def scores(self, concept_ids: list[str], chunk_ids) -> dict[str, float]:
        """Each of the chunks' summed score for the concepts, for those that hold one."""
        out: dict[str, float] = {}
        for cid in concept_ids:
            by_chunk = self._by_chunk.get(cid, {})
            for chunk_id in chunk_ids:
                score = by_chunk.get(chunk_id)
                if score is not None:
                    out[chunk_id] = out.get(chunk_id, 0.0) + score
        return out
