"""The keyword index: Whoosh, BM25F over title, chapter and text fields, in both languages.

Queries are built from analysed terms, never parsed as query syntax, so any
text a user types (quotes, colons, AND, a stray *) is a valid question.
"""
from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Or, Term

from .analysis import chinese_analyzer, english_analyzer, terms
from .chunking import Chunk

# field -> (language, weight). Titles and chapter names are short and
# specific: a match there says more than one in a long text.
FIELDS = {
    "title_en": ("en", 2.0),
    "chapter_en": ("en", 0.7),
    "text_en": ("en", 1.0),
    "title_zh": ("zh", 2.0),
    "chapter_zh": ("zh", 0.7),
    "text_zh": ("zh", 1.0),
}


def schema() -> Schema:
    fields = {"chunk_id": ID(stored=True, unique=True), "unit_id": ID(stored=True)}
    for name, (lang, weight) in FIELDS.items():
        analyzer = chinese_analyzer() if lang == "zh" else english_analyzer()
        fields[name] = TEXT(analyzer=analyzer, field_boost=weight, phrase=False)
    return Schema(**fields)


def build(chunks: list[Chunk], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), schema())
    writer = ix.writer()
    for chunk in chunks:
        writer.add_document(chunk_id=chunk.id, unit_id=chunk.unit_id,
                            **{name: getattr(chunk, name) for name in FIELDS})
    writer.commit()


class KeywordIndex:
    def __init__(self, folder: Path):
        self._ix = whoosh_index.open_dir(str(folder))
        self._weighting = scoring.BM25F(B=0.75, K1=1.2)
        self.doc_count = self._ix.doc_count()

    def query(self, weighted_texts: list[tuple[str, float]]) -> Or | None:
        """One OR query over every field, from texts with a weight each (the question, expansions)."""
        clauses, seen = [], set()
        for text, weight in weighted_texts:
            for name, (lang, _) in FIELDS.items():
                for term in terms(text, lang):
                    if (name, term) not in seen:
                        seen.add((name, term))
                        clauses.append(Term(name, term, boost=weight))
        return Or(clauses) if clauses else None

    def search(self, weighted_texts: list[tuple[str, float]], limit: int) -> list[tuple[str, str, float]]:
        """(chunk id, unit id, BM25F score), best first."""
        q = self.query(weighted_texts)
        if q is None:
            return []
        # Whoosh searchers are not safe to share across threads; a fresh one per
        # query is cheap (the index segments stay open).
        with self._ix.searcher(weighting=self._weighting) as searcher:
            return [(hit["chunk_id"], hit["unit_id"], hit.score) for hit in searcher.search(q, limit=limit)]
