"""Ranked answers: keyword and semantic retrieval, fused, over an opened index."""
from __future__ import annotations

import heapq
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

from . import config
from .analysis import ZH_STOP_CHARS, has_cjk, signature as analysis_signature, terms
from .answer import Answer, Answers
from .build import CHUNKS, CORPUS_SNAPSHOT, ROWS
from .chunking import Chunk
from .concept_index import ConceptIndex
from .corpus import corpus_hash, load_corpus
from .embeddings import ModelUnavailable, get_embedder
from .multilingual import NAME as MULTILINGUAL, get_multilingual
from .paragraph_spans import ParagraphSpans, Spans, term_spans
from .expansion import Expander
from .index_store import (REBUILD_HINT, IndexCorrupt, IndexProblem, IndexStale, current_build,
                          current_name, read_manifest)
from .keyword_index import KeywordIndex
from .models import Unit
from .question import Opening, Question, complete, open_question
from .result_cache import RESULTS
from .simplified import to_simplified
from .snippets import make_snippet
from .threads import configure_threads
from .vector_index import VectorIndex

log = logging.getLogger(__name__)

MODES = ("hybrid", "keyword", "semantic")
MAX_QUERY_CHARS = 500
MAX_K = 50
# Reciprocal Rank Fusion constant (Cormack et al. 2009): 60 damps the head of
# each list so that agreement between the two rankings counts most.
RRF_K = 60
# Fusion weights by the question's language. A Chinese question's semantic
# ranking comes from the multilingual model over the Chinese view
# (multilingual.py); swept at 0, 0.3, 0.6 and 1 on the real questions, 0.6
# was best on their held-out part (README, "How ranking works").
FUSION_WEIGHTS = {
    "en": {"keyword": 1.0, "semantic": 1.0},
    "zh": {"keyword": 1.0, "semantic": 0.6},
}
# How deep each retriever looks before fusion.
CANDIDATES = 60
# How many chunks the keyword search takes from Whoosh and from the concept
# index before joining the two scores.
KEYWORD_POOL = 4 * CANDIDATES
# A concept the question names is what it is about: it weighs as two of the
# question's words (measured at 1, 1.5, 2, 3: 2 was best or level on every set,
# README "How ranking works").
CONCEPT_WEIGHT = 2.0
# Question intent (intents.py) as a third ranking in hybrid fusion: the
# fused candidates whose role is what the question asks, in fused order.
INTENT_POOL = 30
INTENT_WEIGHT = 0.2
GUIDES_SHOWN = 2
# How much of a guide paragraph's score carries over to the units it cites.
GUIDE_CARRY = 0.8
# Below these the best answer is a guess. Measured on the three question sets
# and 16 off-topic questions (README, "How ranking works"): in-domain English
# questions' best cosine is >= 0.31 (all but one >= 0.40), off-topic ones
# <= 0.23; in-domain Chinese questions' coverage is >= 0.11 but for 1 of 43,
# off-topic ones 0 but for 1 of 8.
CONFIDENT_COSINE = 0.30
CONFIDENT_COVERAGE = 0.10
# A Chinese question with low coverage is still answered when the
# multilingual model finds a passage this close: coverage alone flagged
# answerable questions told as stories, in words the law never uses. Midway
# between the highest cosine of an unanswerable (0.44) and the lowest of an
# answerable question (0.52) among those coverage flagged on the real set's
# dev part (README, "Low confidence"); off-topic questions are <= 0.25.
CONFIDENT_ZH_COSINE = 0.48
# Asked once at start-up (warm_up), one per language.
WARM_UP_QUESTIONS = ("低保怎么申请", "how do I apply for dibao")

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="policykb-encode")

__all__ = ["SearchEngine", "SearchResponse", "Hit", "QueryError", "IndexProblem", "MODES", "MAX_QUERY_CHARS"]


class QueryError(ValueError):
    """The question or its options are not acceptable; the message says why."""


@dataclass
class Hit:
    unit: Unit
    score: float
    snippet: str
    snippet_html: str

    def to_dict(self) -> dict:
        return {**self.unit.to_dict(), "score": round(self.score, 6), "snippet": self.snippet_html}


@dataclass
class SearchResponse:
    query: str
    mode: str
    k: int
    hits: list[Hit]
    guides: list[Hit]
    expansions: list[str] = field(default_factory=list)
    low_confidence: bool = False
    answer: Answer | None = None
    # The question's intent (role ids) and, for a topic these documents do
    # not cover, where to ask instead (scope.ScopeTopic.in_language).
    intents: frozenset[str] = frozenset()
    not_covered: dict | None = None

    def to_dict(self) -> dict:
        return {
            "query": self.query, "mode": self.mode, "k": self.k,
            "results": [h.to_dict() for h in self.hits],
            "guides": [h.to_dict() for h in self.guides],
            "answer": self.answer.to_dict() if self.answer else None,
            "expanded_with": self.expansions,
            "intents": sorted(self.intents),
            "not_covered": self.not_covered,
            "low_confidence": self.low_confidence,
        }


def validate(query, k, mode) -> tuple[str, int, str]:
    if not isinstance(query, str) or not query.strip():
        raise QueryError("the question is empty")
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the question is too long: at most {MAX_QUERY_CHARS} characters, got {len(query)}")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be a whole number from 1 to {MAX_K}")
    if mode not in MODES:
        raise QueryError(f"unknown mode '{mode}': use one of {', '.join(MODES)}")
    return query, k, mode


def _unit_ranking(scored: list[tuple[Chunk, float]]) -> list[tuple[str, float]]:
    """Fold chunk scores into units, best first.

    A unit scores as its best chunk. A guide paragraph also lends its score,
    times GUIDE_CARRY, to the units it cites, shared out by the square root of
    their number: a paragraph listing eight kinds of help is about none of
    them in particular.
    """
    best: dict[str, float] = {}

    def offer(unit_id: str, score: float) -> None:
        if score > best.get(unit_id, float("-inf")):
            best[unit_id] = score
    for chunk, score in scored:
        offer(chunk.unit_id, score)
        for cited in chunk.cites:
            offer(cited, score * GUIDE_CARRY / len(chunk.cites) ** 0.5)
    return sorted(best.items(), key=lambda kv: -kv[1])


def rrf(rankings: list[tuple[list[tuple[str, float]], float]]) -> list[tuple[str, float]]:
    """Weighted Reciprocal Rank Fusion of (ranking, weight) pairs."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, (unit_id, _) in enumerate(ranking, 1):
            fused[unit_id] = fused.get(unit_id, 0.0) + weight / (RRF_K + rank)
    return sorted(fused.items(), key=lambda kv: -kv[1])


class SearchEngine:
    def __init__(self, index_root: Path, build: Path, manifest: dict, corpus_root: Path | None):
        self.index_root = index_root
        self.corpus_root = corpus_root
        self.build = build
        self.build_name = current_name(index_root)
        self.manifest = manifest
        snapshot = build / CORPUS_SNAPSHOT
        try:
            self.corpus = load_corpus(snapshot)
            self.chunks = [Chunk(**c) for c in json.loads((build / CHUNKS).read_text(encoding="utf-8"))]
            self._chunk_by_id = {c.id: c for c in self.chunks}
            # view -> the chunk of each vector row
            self.rows = json.loads((build / ROWS).read_text(encoding="utf-8"))
            self.keyword = KeywordIndex(build / "keyword")
            self.concepts = ConceptIndex(build, [c.id for c in self.chunks])
            self.paragraph_spans = ParagraphSpans(build)
            self.vectors = {view: VectorIndex(build, view) for view in manifest.get("views", [])}
        except Exception as exc:  # OSError, JSON, corpus, FAISS and Whoosh's own types for damaged files
            raise IndexCorrupt(f"the index in {build} is damaged ({exc.__class__.__name__}: {exc}): {REBUILD_HINT}") from exc
        if (set(self.vectors) != set(self.rows) or "en" not in self.vectors
                or any(self.vectors[v].size != len(self.rows[v]) for v in self.vectors)
                or self.keyword.doc_count != len(self.chunks)
                or any(entry.id not in self.concepts for entry in self.corpus.glossary)):
            raise IndexCorrupt(f"the index in {build} is incomplete (vectors, keyword, concepts and chunks "
                               f"do not agree): {REBUILD_HINT}")
        model_name, _ = config.model_spec()
        if manifest.get("model") != model_name:
            raise IndexStale(
                f"the index was built with the model '{manifest.get('model')}', but the configured model is "
                f"'{model_name}': {REBUILD_HINT} (or set POLICYKB_MODEL back)"
            )
        if manifest.get("analysis") != analysis_signature():
            raise IndexStale(f"the index's words were cut with other stop lists or another jieba than this "
                             f"version of policykb uses: {REBUILD_HINT}")
        try:
            self.embedder = get_embedder(threads=1)  # one question is too small to split (threads.py)
        except ModelUnavailable as exc:
            raise IndexProblem(str(exc)) from exc
        built_with = (manifest.get("runtime"), manifest.get("export_sha256"))
        if built_with != (self.embedder.runtime, self.embedder.export_hash):
            raise IndexStale(
                f"the index was encoded on {built_with[0]} (export {str(built_with[1])[:12]}), but queries would be "
                f"encoded on {self.embedder.runtime} (export {str(self.embedder.export_hash)[:12]}): {REBUILD_HINT}"
            )
        # Chinese questions are encoded by the model that embedded the Chinese view.
        self.zh_embedder = None
        if "zh" in self.vectors:
            if manifest.get("view_models", {}).get("zh") != MULTILINGUAL:
                raise IndexStale(f"the index's Chinese view was not embedded with {MULTILINGUAL}: {REBUILD_HINT}")
            self.zh_embedder = get_multilingual(threads=1)
        if self.embedder.dimension != self.vectors["en"].dimension:
            raise IndexStale(f"the model's dimension {self.embedder.dimension} differs from the index's "
                             f"{self.vectors['en'].dimension}: {REBUILD_HINT}")
        # Set when the corpus folder changed after this index was built.
        self.stale_reason = None
        if corpus_root is not None and corpus_root.is_dir() and corpus_hash(corpus_root) != manifest.get("corpus_hash"):
            self.stale_reason = f"the corpus in {corpus_root} changed after this index was built: {REBUILD_HINT}"
        self.expander = Expander(self.corpus.glossary)
        self.answers = Answers(self.corpus)
        self.results = RESULTS
        self._unusable_build: str | None = None

    @classmethod
    def open(cls, index_dir: Path | str | None = None, corpus_dir: Path | str | None = None) -> "SearchEngine":
        configure_threads()
        index_root = Path(index_dir or config.index_dir())
        build = current_build(index_root)
        manifest = read_manifest(build)
        corpus_root = Path(corpus_dir) if corpus_dir else config.corpus_dir()
        return cls(index_root, build, manifest, corpus_root)

    def refresh(self) -> "SearchEngine":
        """The engine for the current build: self, or a new one if a rebuild was swapped in.

        A new build that cannot be opened is tried once: the site stays on the
        build it has rather than re-opening a bad one on every request.
        """
        name = current_name(self.index_root)
        if name is None or name in (self.build_name, self._unusable_build):
            return self
        build = (self.index_root / name).resolve()  # the build `name` names, even if `current` moves again
        try:
            fresh = SearchEngine(self.index_root, build, read_manifest(build), self.corpus_root)
        except IndexProblem as exc:
            log.warning("keeping the index in use; the new one cannot be opened: %s", exc)
            self._unusable_build = name
            return self
        fresh.build_name = name
        return fresh

    # -- retrieval -------------------------------------------------------

    def _keyword(self, question: Question) -> list[tuple[str, float]]:
        """BM25F of the question's own words, plus each concept it names, scored
        as one term (concept_index.py): a concept counts as one of its words."""
        # Bounded at any corpus size: the best KEYWORD_POOL chunks by the words
        # and by the concepts, each scored on both.
        named = self.concepts.best(question.concept_ids, KEYWORD_POOL)
        scores = self.keyword.search(question, KEYWORD_POOL, also=named)
        joined = list(scores) + [chunk_id for chunk_id in named if chunk_id not in scores]
        for chunk_id, score in self.concepts.scores(question.concept_ids, joined).items():
            scores[chunk_id] = scores.get(chunk_id, 0.0) + CONCEPT_WEIGHT * score
        best = heapq.nlargest(CANDIDATES, scores.items(), key=lambda kv: kv[1])
        return _unit_ranking([(self._chunk_by_id[cid], s) for cid, s in best])

    def _semantic(self, opening: Opening) -> list[tuple[str, float]]:
        """A Chinese question searches the Chinese view with the multilingual
        model; any other, the English view with the default model."""
        view, embedder = ("zh", self.zh_embedder) if opening.lang == "zh" and self.zh_embedder else ("en", self.embedder)
        vector = embedder.encode([opening.semantic_text])[0]
        return _unit_ranking([(self.chunks[self.rows[view][row]], score)
                              for row, score in self.vectors[view].search(vector, CANDIDATES)])

    def warm_up(self) -> None:
        """One question per language, past the result cache: jieba's dictionary (about half a second)
        and the encoders' first runs are loaded at start-up, not by the first person to ask."""
        for question in WARM_UP_QUESTIONS:
            self._search(question, 10, "hybrid")

    def search(self, query: str, k: int = 10, mode: str = "hybrid") -> SearchResponse:
        """The answer, from the result cache when this build gave it lately
        (callers must not change a response: it may be shared)."""
        asked, k, mode = validate(query, k, mode)
        # The build's folder and build time name it (another index folder may hold a build of the same name).
        key = (asked, k, mode, str(self.build), self.manifest.get("build_time"))
        response = self.results.get(key)
        if response is None:
            response = self._search(asked, k, mode)
            self.results.put(key, response)
        return response

    def _search(self, asked: str, k: int, mode: str) -> SearchResponse:
        # Analysed once, as Simplified; answered as asked.
        opening = open_question(to_simplified(asked), self.expander)
        weights = FUSION_WEIGHTS[opening.lang]
        use_keyword = mode in ("hybrid", "keyword")
        use_semantic = mode == "semantic" or (mode == "hybrid" and weights["semantic"] > 0)

        def analysed() -> tuple[Question, list | None]:
            question = complete(opening, self.expander, self.keyword, self.corpus.intents, self.corpus.scope)
            return question, self._keyword(question) if use_keyword else None

        rankings = {}
        if use_semantic:
            # The rest of the analysis and the keyword search (pure Python) run
            # on another thread while this one encodes the question (ONNX
            # Runtime or torch, which release the GIL): the answer costs the
            # slower of the two, not their sum. This way round the other
            # thread gets the GIL as soon as the encoder lets it go; the other
            # way round the encoding waited for the Python work to block.
            pending = _POOL.submit(analysed)
            rankings["semantic"] = self._semantic(opening)
            question, by_keyword = pending.result()
        else:
            question, by_keyword = analysed()
        if by_keyword is not None:
            rankings = {"keyword": by_keyword, **rankings}
        lang, intents = question.lang, question.intent
        if mode == "hybrid":
            ranked = rrf([(rankings[name], weights[name]) for name in rankings])
            if intents:
                ranked = rrf([(rankings[name], weights[name]) for name in rankings]
                             + [(self._on_intent(ranked, intents), INTENT_WEIGHT)])
        else:
            ranked = rankings[mode]
        hits, guides = [], []
        for unit_id, score in ranked:
            unit = self.corpus.get(unit_id)
            bucket = hits if unit.is_citable else guides
            if len(bucket) < (k if unit.is_citable else GUIDES_SHOWN):
                plain, html = make_snippet(unit.paragraphs_en, unit.paragraphs_zh, question,
                                           self.paragraph_spans.where)
                bucket.append(Hit(unit, score, plain, html))
        topic = question.scope
        low = not hits or topic is not None or self._low_confidence(question, rankings, hits[0])
        answer = None if low else self.answers.choose(
            lang, [h.unit.id for h in hits], intents, lambda text: self._text_coverage(question, [text]))
        return SearchResponse(asked, mode, k, hits, [] if low else guides, list(question.expansions), low, answer,
                              intents, topic.in_language(lang) if topic else None)

    def _on_intent(self, ranked: list[tuple[str, float]], intents: frozenset[str]) -> list[tuple[str, float]]:
        """The fused candidates whose role is one the question asks for, best first."""
        return [(uid, score) for uid, score in ranked[:INTENT_POOL] if self.corpus.intents.of_unit(uid) & intents]

    def _low_confidence(self, question: Question, rankings: dict, top: Hit) -> bool:
        """True when nothing matched well enough to be called an answer.

        An English question is judged by the model: the best cosine
        similarity. A Chinese question, and any keyword-only search, is judged
        by how much of what the question asks about the best hit contains,
        unless the multilingual model found a close passage (the English
        model cannot vouch for one: its cosines are as high for "明天天气怎么样"
        as for a real question). Thresholds: README, "How ranking works".
        """
        semantic = rankings.get("semantic")
        if semantic and question.lang == "en":
            return semantic[0][1] < CONFIDENT_COSINE
        if semantic and self.zh_embedder is not None and semantic[0][1] >= CONFIDENT_ZH_COSINE:
            return False
        return self._coverage(question, top.unit.id) < CONFIDENT_COVERAGE

    def _coverage(self, question: Question, unit_id: str) -> float:
        """The share of what the question asks about that the unit contains:
        each of its words, and each concept it names (any of the concept's
        terms, whole). A word the law never uses counts through the character
        that stands in for it, as in search (keyword_index.py)."""
        unit = self.corpus.get(unit_id)
        return self._text_coverage(question, [unit.title, unit.title_zh or ""] + unit.paragraphs_en + unit.paragraphs_zh)

    def _text_coverage(self, question: Question, parts: list[str]) -> float:
        """_coverage of any texts: a unit's, or a guide paragraph's (answer.py)."""
        have = self._has_term(question, parts)
        covered = sum(have(question.stand_ins.get(w, w)) for w in question.asked)
        for words in question.concept_lang_words:  # covered when the texts hold any of its terms whole
            covered += any(ws and all(have(w) for w in ws) for ws in words)
        total = len(question.asked) + len(question.concept_lang_words)
        return covered / total if total else 0.0

    def _has_term(self, question: Question, parts: list[str]) -> Callable[[str], bool]:
        """Whether any of the texts holds a term (or, for a stand-in, the character).

        English terms are stems, so every text is analysed (a paragraph's
        terms come from the build's spans). A Chinese term is part of a text
        as written, so only a text holding it is segmented, from the build's
        spans where it kept them: the English paragraphs of an article, or
        the one of its paragraphs a question's word is not in, are never cut
        by jieba for a Chinese question.
        """
        if question.lang != "zh":
            have = set().union(*(self._terms_of(part, question.lang) for part in parts))
            return have.__contains__
        lowered = [part.lower() for part in parts]
        cut: dict[int, set[str]] = {}

        def has(term: str) -> bool:
            # A question with stand-ins counts the texts' characters as terms too (zh_chars).
            as_char = bool(question.stand_ins) and len(term) == 1 and has_cjk(term) and term not in ZH_STOP_CHARS
            for i, text in enumerate(lowered):
                if term not in text:
                    continue
                if as_char:
                    return True
                if i not in cut:
                    cut[i] = self._terms_of(parts[i], "zh")
                if term in cut[i]:
                    return True
            return False
        return has

    def _terms_of(self, text: str, lang: str) -> Spans:
        """The index terms of a text (term -> spans; paragraph_spans.term_spans)."""
        return term_spans(text, lang, self.paragraph_spans.where)
