"""The keyword index: Whoosh, BM25F over title, chapter and text fields, in both languages.

Glossary concepts are scored apart, as single terms (concept_index.py).

Queries are built from analysed terms, never parsed as query syntax, so any
text a user types (quotes, colons, AND, a stray *) is a valid question.
"""
from __future__ import annotations

from math import log
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Or, Term

from .analysis import analyzer_for, terms
from .chunking import Chunk
from .question import Question

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
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return log(1 + (total - n + 0.5) / (n + 0.5))


def schema() -> Schema:
    fields = {"chunk_id": ID(stored=True, unique=True), "unit_id": ID(stored=True)}
    for name, (lang, _) in FIELDS.items():
        fields[name] = TEXT(analyzer=analyzer_for(lang), phrase=False)
    return Schema(**fields)


def build(chunks: list[Chunk], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), schema())
    writer = ix.writer()
    for chunk in chunks:
        writer.add_document(chunk_id=chunk.id, unit_id=chunk.unit_id,
                            **{name: getattr(chunk, SOURCE.get(name, name)) for name in FIELDS})
    writer.commit()


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


class KeywordIndex:
    def __init__(self, folder: Path):
        self._ix = whoosh_index.open_dir(str(folder))
        self._weighting = RobertsonBM25F(B=B, K1=K1)
        self.doc_count = self._ix.doc_count()

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

    def stand_ins(self, words: tuple[str, ...], skip: frozenset[str]) -> dict[str, str]:
        """The characters that stand in for the question's unknown Chinese
        words (see _stand_in_clauses), by word."""
        with self._ix.reader() as reader:
            return _stand_ins(reader, words, skip)

    def query(self, reader, question: Question):
        """The question's own terms and the characters standing in for its
        unknown words (see stand_ins)."""
        clauses = self._clauses(reader, question) + self._stand_in_clauses(reader, set(question.stand_ins.values()))
        return Or(clauses) if clauses else None

    def search(self, question: Question) -> dict[str, float]:
        """BM25F score of every chunk that matches, by chunk id."""
        # Whoosh searchers are not safe to share across threads; a fresh one per
        # query is cheap (the index segments stay open).
        with self._ix.searcher(weighting=self._weighting) as searcher:
            q = self.query(searcher.reader(), question)
            if q is None:
                return {}
            return {hit["chunk_id"]: hit.score for hit in searcher.search(q, limit=None)}
