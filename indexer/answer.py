"""The passage that answers a question: a guide paragraph above the results.

Guides say in plain words what the cited articles say, so the answer is a
guide paragraph in the question's language that cites one of the best
results: which of those paragraphs is chosen depends on how much of the
question it covers, whether its section is what the question asks (intent)
and how high the articles it cites rank.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .models import Corpus

# Only paragraphs citing one of the first few results: an answer that
# disagrees with the list below it would mislead.
CITES_WITHIN = 3
INTENT_BONUS = 0.3
RANK_BONUS = 0.3
# A paragraph whose every citation is among the results is about them; one
# that also cites other units ("the same procedure as dibao") is about those.
FOCUS_BONUS = 0.3
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


@dataclass
class Answer:
    text: str  # plain text, citation links removed
    markdown: str  # the paragraph as written, citation links to unit ids
    cites: list[str]
    guide: str
    section: str
    score: float
    lang: str

    def to_dict(self) -> dict:
        return {"text": self.text, "cites": self.cites, "guide": self.guide, "score": round(self.score, 4)}


def plain(markdown: str, unit_ids) -> str:
    """The paragraph without its citation links (other links keep their words)."""
    text = _LINK.sub(lambda m: "" if m.group(2) in unit_ids else m.group(1), markdown)
    return " ".join(text.split()).replace(" 。", "。").strip()


@dataclass(frozen=True)
class _Paragraph:
    guide: str
    section: str
    markdown: str
    cites: tuple[str, ...]
    text: str  # plain()
    read_as: str  # the paragraph under its guide's and section's headings


class Answers:
    """The guide paragraphs of a corpus that cite a unit, by language and unit,
    in guide order: a question's candidates are those citing one of its best
    results, found without reading every paragraph of every guide."""

    def __init__(self, corpus: Corpus):
        self._corpus = corpus
        self._paragraphs: dict[str, list[_Paragraph]] = {}
        self._citing: dict[str, dict[str, list[int]]] = {}
        for lang in ("en", "zh"):
            paragraphs, citing = [], {}
            for guide in corpus.guides.values():
                for section in guide.sections:
                    markdowns = section.markdown_zh if lang == "zh" else section.markdown_en
                    cites_each = section.cites_zh if lang == "zh" else section.cites_en
                    # A paragraph is read under its guide's and section's headings
                    # ("最低生活保障（低保）" / "怎么申请"), which say what it is about.
                    headings = (f"{guide.title_zh} {section.heading_zh}" if lang == "zh"
                                else f"{guide.title_en} {section.heading_en}")
                    for markdown, cites in zip(markdowns, cites_each):
                        text = plain(markdown, corpus.units)
                        for uid in dict.fromkeys(cites):
                            citing.setdefault(uid, []).append(len(paragraphs))
                        paragraphs.append(_Paragraph(guide.id, section.id, markdown, tuple(cites), text,
                                                     f"{headings} {text}"))
            self._paragraphs[lang], self._citing[lang] = paragraphs, citing

    def choose(self, lang: str, ranked_ids: list[str], intents: frozenset[str],
               coverage: Callable[[str], float]) -> Answer | None:
        """The best guide paragraph in `lang` for a question whose results are `ranked_ids`.

        coverage(text) is the share of what the question asks about that the
        text contains (engine.py); a paragraph covering none of it is no answer.
        """
        top = ranked_ids[:CITES_WITHIN]
        paragraphs, citing = self._paragraphs[lang], self._citing[lang]
        best: Answer | None = None
        for i in sorted({i for uid in top for i in citing.get(uid, ())}):
            p = paragraphs[i]
            covered = coverage(p.read_as)
            if covered <= 0:
                continue
            ranks = [top.index(uid) for uid in p.cites if uid in top]
            on_intent = bool(self._corpus.intents.of_section(p.section) & intents)
            score = (covered + INTENT_BONUS * on_intent + RANK_BONUS / (1 + min(ranks))
                     + FOCUS_BONUS * len(ranks) / len(p.cites))
            if best is None or score > best.score:
                best = Answer(p.text, p.markdown, list(p.cites), p.guide, p.section, score, lang)
        return best
