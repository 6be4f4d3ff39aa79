"""The keyword index: Whoosh, BM25F over title, chapter and text fields, in both languages.

Glossary concepts are scored apart, as single terms (concept_index.py).

Queries are built from analysed terms, never parsed as query syntax, so any
text a user types (quotes, colons, AND, a stray *) is a valid question.

Whoosh builds and stores the index; a query is scored here, in numpy, from
Whoosh's posting lists: Whoosh's own matchers score one posting at a time in
Python (71-100 ms a question at 10k chunks, benchmarks/RESULTS.md), where a
term's BM25F contributions are one array, read once and kept (an LRU of
TERM_CACHE terms). The scores are Whoosh's formula on Whoosh's statistics
(quantised field lengths included), so rankings do not change.
"""
from __future__ import annotations

import threading
from array import array
from collections import Counter, OrderedDict
from dataclasses import dataclass
from math import log
from pathlib import Path

import numpy as np

from whoosh import formats
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Or, Term

from .analysis import analyzer_for, index_terms, terms
from .chunking import Chunk
from .paragraph_spans import LANGS, Collector
from .question import Question
from .text_spans import spans_of

# field -> (language, weight). Titles and chapter names are short and
# specific: a match there says more than one in a long text.
FIELDS = {
    "title_en": ("en", 2.0),
    "chapter_en": ("en", 0.7),
    "text_en": ("en", 1.0),
    "title_zh": ("zh", 2.0),
    "chapter_zh": ("zh", 0.7),
    "text_zh": ("zh", 1.0),
    # The same text as single characters, weighted low: it catches what
    # segmentation misses without outvoting whole words.
    "chars_zh": ("zh_chars", 0.3),
}
# The weight of the characters of a question word the index does not hold.
UNKNOWN_WORD_WEIGHT = 1.0
# BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# Fields indexed from another field's text.
SOURCE = {"chars_zh": "text_zh"}
# The fields holding the units' paragraphs (joined, chunking.py).
TEXTS = ("text_en", "text_zh")


class RobertsonBM25F(scoring.BM25F):
    """BM25F with the Robertson-Sparck Jones idf of standard BM25.

    Whoosh's default idf, log(N/(n+1)) + 1, never drops below 1, so words
    found in nearly every passage of this corpus ("social", "assistance")
    keep a full vote and a long article matching only them outranks a short
    one matching the rare word that was asked about. Standard BM25's idf
    tends to zero for such words.
    """

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        return robertson_idf(parent.doc_frequency(fieldname, text), parent.doc_count_all())


def robertson_idf(n: int, total: int) -> float:
    return log(1 + (total - n + 0.5) / (n + 0.5))


def schema() -> Schema:
    fields = {"chunk_id": ID(stored=True, unique=True), "unit_id": ID(stored=True)}
    for name, (lang, _) in FIELDS.items():
        fields[name] = TEXT(analyzer=analyzer_for(lang), phrase=False)
    return Schema(**fields)


@dataclass
class Analysed:
    """What the build's analysis hands on to the concept index, by chunk in
    chunk order: it normalises by the same field lengths and counts
    concepts in the same English terms (analysing the texts again took most
    of its build: the Chinese 60% at 10k chunks, then the English 27% at 100k)."""
    lengths: dict[str, list[int]]  # each analysed field's number of terms
    english: dict[str, list[list[str]]]  # each English field's terms, in order
    # Where the texts' terms are, by language and paragraph (paragraph_spans.py).
    paragraphs: dict[str, Collector]


def build(chunks: list[Chunk], folder: Path) -> Analysed:
    """Index the chunks, one document each, in their order, as one segment.

    The segment is byte for byte what Whoosh's writer makes of
    add_document() for each chunk then commit() (tests/test_build.py), at
    about a third of the time: each text is analysed once, by
    analysis.index_terms, and a term's postings are kept in arrays in memory
    until the segment is written, where Whoosh keeps a tuple a posting,
    spills them to disk in sorted pickled runs and merges the runs back,
    and looks up each posting's field length again as it writes it. The
    segment is written through the writer's own codec objects and its
    commit steps (SegmentWriter internals of whoosh-reloaded 2.7.5, pinned)."""
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), schema())
    writer = ix.writer()
    try:
        return _write(writer, chunks)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _posting_values(field) -> dict:
    """freq -> (weight, value bytes) of a posting, as the field's format's
    word_values() and add_document() (no document or field boosts) give them."""
    fmt = field.format
    if fmt.field_boost != 1.0 or field.column_type or field.vector or field.separate_spelling():
        raise TypeError(f"{field!r}: build() writes only unboosted fields without columns, vectors or spelling")
    if type(fmt) is formats.Frequency:
        return _FrequencyValues()
    if type(fmt) is formats.Existence:
        return {1: (1.0, b"")}
    raise TypeError(f"{field!r}: build() writes only Frequency and Existence formats")


class _FrequencyValues(dict):
    def __missing__(self, freq: int):
        value = self[freq] = (float(freq), pack_uint(freq))
        return value


def _write(writer, chunks: list[Chunk]) -> Analysed:
    schema_ = writer.schema
    names = sorted(schema_.names())  # add_document()'s order
    assert set(names) == {"chunk_id", "unit_id", *FIELDS}
    perdoc = writer.perdocwriter
    # field -> term -> (document numbers, frequencies), each in document order
    postings: dict[str, dict[str, tuple[array, array]]] = {name: {} for name in names}
    lengths: dict[str, list[int]] = {name: [] for name in FIELDS}
    english: dict[str, list[list[str]]] = {name: [] for name, (lang, _) in FIELDS.items() if lang == "en"}
    paragraphs = {lang: Collector() for lang in LANGS}
    fields = {name: schema_[name] for name in names}
    values = {name: _posting_values(fields[name]) for name in names}
    # The texts' spans, in the order the loop below asks for them (segmented ahead, text_spans.py).
    text_spans = spans_of([(FIELDS[name][0], getattr(chunk, name)) for chunk in chunks for name in names
                           if name in TEXTS and getattr(chunk, name) is not None])
    for docnum, chunk in enumerate(chunks):
        perdoc.start_doc(docnum)
        for name in names:
            value = getattr(chunk, "id" if name == "chunk_id" else SOURCE.get(name, name))
            field = fields[name]
            if value is None:  # add_document() skips the field
                if name in FIELDS:
                    lengths[name].append(0)
                if name in english:
                    english[name].append([])
                continue
            if name in TEXTS:  # index_terms(value, lang), with the spans kept by paragraph
                spans = next(text_spans)
                paragraphs[FIELDS[name][0]].add(value, spans)
                found = [term for term, _, _ in spans]
            elif name in FIELDS:
                found = index_terms(value, FIELDS[name][0])
            if name in FIELDS:
                counts = Counter(found)
                length = len(found)
                lengths[name].append(length)
                if name in english:
                    english[name].append(found)
            else:  # the ID fields: the whole value, once
                counts = dict.fromkeys((t.text for t in field.analyzer(value, mode="index") if not t.stopped), 1)
                length = 0
            table = postings[name]
            for term, freq in counts.items():
                entry = table.get(term)
                if entry is None:
                    entry = table[term] = (array("I"), array("I"))
                entry[0].append(docnum)
                entry[1].append(freq)
            perdoc.add_field(name, field, value if field.stored else None, length if field.scorable else 0)
        perdoc.finish_doc()
    text_spans.close()  # its worker processes end now, not when it is collected
    writer.docnum = len(chunks)
    writer._added = bool(chunks)

    # What SegmentWriter.commit() does on a new index, with the postings
    # from the arrays, sorted as its pool sorts them (field, term bytes,
    # document), and the field lengths as its per-document reader gives them
    # back (a byte each: None for 0 and 1).
    if not chunks:
        writer.commit()
        return Analysed(lengths, english, paragraphs)
    perdoc.close()
    fieldwriter = writer.fieldwriter
    for name in names:
        table = postings[name]
        if not table:
            continue
        field, value_of = fields[name], values[name]
        if name in FIELDS:
            stored = [length_to_byte(n) if n else 0 for n in lengths[name]]
            doc_length = [byte_to_length(b) if b else None for b in stored]
        else:
            doc_length = None
        fieldwriter.start_field(name, field)
        for tbytes, term in sorted((term.encode("utf-8"), term) for term in table):
            fieldwriter.start_term(tbytes)
            docnums, freqs = table[term]
            add = fieldwriter.add
            for docnum, freq in zip(docnums, freqs):
                weight, vbytes = value_of[freq]
                add(docnum, weight, vbytes, doc_length[docnum] if doc_length else 0)
            fieldwriter.finish_term()
        fieldwriter.finish_field()
        postings[name] = {}  # freed as written
    fieldwriter.close()
    writer._close_segment()
    writer._assemble_segment()
    writer._commit_toc([writer.get_segment()])
    writer._finish()
    return Analysed(lengths, english, paragraphs)


def _stand_ins(reader, words: tuple[str, ...], skip: frozenset[str]) -> dict[str, str]:
    """word -> character, for the question's Chinese words that no Chinese
    word field holds and that come down to one character (骗, 要罚 -> 罚)."""
    out = {}
    for word in words:
        if word in skip or any(reader.doc_frequency(name, word) for name, (lang, _) in FIELDS.items() if lang == "zh"):
            continue
        chars = terms(word, "zh_chars")
        if len(chars) == 1 and chars[0] not in skip:
            out[word] = chars[0]
    return out


# Terms whose posting arrays are kept (a few MB at 10k chunks; at most
# 12 bytes a posting).
TERM_CACHE = 512


class _Frequencies:
    """doc_frequency() from the index's cache, where a reader's is asked for."""

    def __init__(self, lookup):
        self.doc_frequency = lookup


def _leaf_postings(reader, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, term frequencies) of a term in one segment, read a
    block at a time. Whoosh's matchers give them one posting at a time; its
    W3 codec's blocks (whoosh-reloaded 2.7, pinned) hold them as arrays."""
    matcher = reader.postings(field, term)
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int32))
        weights.append(np.asarray(matcher._weights, dtype=np.float64))
        matcher._next_block()
    return np.concatenate(ids), np.concatenate(weights)


class KeywordIndex:
    def __init__(self, folder: Path):
        self._ix = whoosh_index.open_dir(str(folder))
        self._weighting = RobertsonBM25F(B=B, K1=K1)
        self.doc_count = self._ix.doc_count()
        with self._ix.reader() as reader:
            # Document number -> chunk id, read once: a search then reads no stored fields.
            self._chunk_ids = [""] * reader.doc_count_all()
            for docnum, fields in reader.iter_docs():
                self._chunk_ids[docnum] = fields["chunk_id"]
            # Each field's length per document, as Whoosh stores it (quantised to a byte).
            self._lengths = {name: np.array([reader.doc_field_length(d, name, 1) for d in range(len(self._chunk_ids))],
                                            dtype=np.float64) for name in FIELDS}
            self._average = {name: reader.field_length(name) / (reader.doc_count_all() or 1) or 1 for name in FIELDS}
            # Every term's document frequency, read once from the lexicon: a
            # question's terms are looked up in several fields, several times
            # (which terms to keep, stand-ins, clauses, idf), and a new term
            # cost a Whoosh lookup (about 7 us) each time; a 250-character
            # question makes a few hundred (benchmarks/adversarial.py).
            self._df = {}
            for name in FIELDS:
                from_bytes = reader.schema[name].from_bytes
                self._df[name] = {from_bytes(text): info.doc_frequency() for text, info in reader.iter_field(name)}
        self._docnums = {chunk_id: n for n, chunk_id in enumerate(self._chunk_ids)}
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()

    def _frequency(self, field: str, term: str) -> int:
        return self._df[field].get(term, 0)

    def _thread_reader(self):
        """This thread's reader, opened once (opening one costs about 1 ms):
        Whoosh readers seek in shared files and are not safe across threads."""
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._local.reader = self._ix.reader()
        return reader

    def _term_scores(self, reader, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F score) of a term in a field: Whoosh's
        BM25FScorer, on arrays. `reader` is the calling thread's own."""
        key = (field, term)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        leaves = [(leaf, base) for leaf, base in reader.leaf_readers() if leaf.doc_frequency(field, term)]
        parts = [_leaf_postings(leaf, field, term) for leaf, _ in leaves]
        docnums = np.concatenate([ids + base for (ids, _), (_, base) in zip(parts, leaves)])
        tf = np.concatenate([w for _, w in parts])
        idf = robertson_idf(self._frequency(field, term), reader.doc_count_all())
        fl = self._lengths[field][docnums]
        scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / self._average[field])))
        with self._lock:
            self._cache[key] = (docnums, scores)
            if len(self._cache) > TERM_CACHE:
                self._cache.popitem(last=False)
        return docnums, scores

    @staticmethod
    def _clauses(reader, question: Question) -> list[Term]:
        """One clause per field and term, for the terms the field holds at all,
        less those that name a glossary concept (the concept index scores
        those, once per concept)."""
        return [Term(name, term, boost=field_weight)
                for name, (lang, field_weight) in FIELDS.items() for term in question.words[lang]
                if term not in question.concept_words and reader.doc_frequency(name, term)]

    @staticmethod
    def _stand_in_clauses(reader, chars: set[str]) -> list[Term]:
        """A Chinese question word the law never uses that comes down to one
        character (骗 in 骗低保, 罚 in 要罚) is carried by that character at a
        whole word's weight: everyday Chinese often says with one character what
        the law says with two (骗取, 罚款). Longer unknown words (医保, 报完)
        keep the characters' low default weight: two common characters apart
        prove little. These clauses add to that default weight."""
        return [Term("chars_zh", c, boost=UNKNOWN_WORD_WEIGHT - FIELDS["chars_zh"][1])
                for c in sorted(chars) if reader.doc_frequency("chars_zh", c)]

    def rarest(self, words: tuple[str, ...], lang: str, limit: int) -> tuple[str, ...]:
        """At most `limit` of the words, in their order: those with the highest
        idf (the lowest document frequency in the analysis's fields), then
        those no field holds. Only the first 2 x limit are looked up, so even
        the lookups are bounded."""
        words = words[:2 * limit]
        if len(words) <= limit:
            return words
        fields = [name for name, (field_lang, _) in FIELDS.items() if field_lang == lang]
        df = {w: min((n for n in (self._frequency(f, w) for f in fields) if n), default=0) for w in words}
        kept = set(sorted(words, key=lambda w: (df[w] == 0, df[w]))[:limit])
        return tuple(w for w in words if w in kept)

    def stand_ins(self, words: tuple[str, ...], skip: frozenset[str]) -> dict[str, str]:
        """The characters that stand in for the question's unknown Chinese
        words (see _stand_in_clauses), by word."""
        return _stand_ins(_Frequencies(self._frequency), words, skip)

    def query(self, reader, question: Question):
        """The question's own terms and the characters standing in for its
        unknown words (see stand_ins)."""
        clauses = self._clauses(reader, question) + self._stand_in_clauses(reader, set(question.stand_ins.values()))
        return Or(clauses) if clauses else None

    def search(self, question: Question, limit: int, also=()) -> dict[str, float]:
        """BM25F scores by chunk id: the best `limit` chunks, best first (ties
        by index order, as Whoosh), then those of the chunks in `also` that
        match but are not among them."""
        reader = self._thread_reader()
        q = self.query(_Frequencies(self._frequency), question)
        if q is None:
            return {}
        total = np.zeros(len(self._chunk_ids))
        for clause in q.subqueries:
            docnums, scores = self._term_scores(reader, clause.fieldname, clause.text)
            total[docnums] += scores * clause.boost
        matched = np.flatnonzero(total)
        if len(matched) > limit:
            matched = matched[np.argpartition(-total[matched], limit - 1)[:limit]]
        top = matched[np.lexsort((matched, -total[matched]))]
        out = {self._chunk_ids[n]: float(total[n]) for n in top}
        for chunk_id in also:
            n = self._docnums[chunk_id]
            if chunk_id not in out and total[n]:
                out[chunk_id] = float(total[n])
        return out
