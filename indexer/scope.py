"""Near-domain topics these documents do not cover, and where to ask instead.

A question about pensions or medical-insurance reimbursement shares words
with the Measures, so search finds articles for it with some confidence;
the right answer is "not covered here, ask there". corpus/scope.yaml, an
editorial file, lists such topics with the body or law that covers each and
the articles that say where a person can always turn (Art. 60).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import editorial_data as ed
from .cues import Cues

FILE = "scope.yaml"
_TEXTS = ("label_en", "label_zh", "covered_by_en", "covered_by_zh", "ask_en", "ask_zh")


@dataclass
class ScopeTopic:
    id: str
    label_en: str
    label_zh: str
    covered_by_en: str
    covered_by_zh: str
    ask_en: str
    ask_zh: str
    cites: list[str]
    cues: Cues
    # Glossary concepts (by any of their terms) and single glossary terms
    # that, named beside a cue, make the question one of social assistance
    # after all ("医保缴费" is not covered, "低保户医保缴费补贴" is: Art. 29).
    # A term alone where a concept's everyday words would say too much: the
    # 住院 of "住院门槛费" names no assistance, the 医疗救助 of "医保报完了，
    # 医疗救助还能补吗" does.
    unless: frozenset[str]
    unless_terms: Cues = field(default_factory=lambda: Cues([]))

    def in_language(self, lang: str) -> dict:
        pick = (lambda key: getattr(self, f"{key}_zh")) if lang == "zh" else (lambda key: getattr(self, f"{key}_en"))
        return {"id": self.id, "label": pick("label"), "covered_by": pick("covered_by"), "ask": pick("ask"),
                "cites": self.cites}


@dataclass
class ScopeMap:
    topics: list[ScopeTopic] = field(default_factory=list)

    def match(self, question: str, concepts_in: Callable[[str], set[str]]) -> ScopeTopic | None:
        """The first topic the question asks about, unless it also names one of the topic's exceptions.

        concepts_in(text) gives the glossary concepts a text names. An
        exception counts only when named beside the cue, not inside it: the
        "住院" of "异地住院报销" names medical assistance, but the question is
        still one of medical insurance.
        """
        for topic in self.topics:
            if not topic.cues.found(question):
                continue
            beside = topic.cues.without(question)
            if not (topic.unless & concepts_in(beside) or topic.unless_terms.found(beside)):
                return topic
        return None


def load_scope(root: Path, unit_ids: set[str], concept_ids: set[str], concept_terms: dict[str, str],
               problems: list[str]) -> ScopeMap:
    """corpus/scope.yaml, checked against the corpus; no file, no topics.

    concept_terms maps every glossary term (lower case) to its concept: a cue
    that is a glossary term would call a covered concept out of scope.
    """
    path = root / FILE
    if not path.exists():
        return ScopeMap()
    found = ed.Problems()
    data = ed.read_mapping(path, ("topics",), found)
    topics = []
    for tid, entry in ed.entries(data, "topics", path, found) if data else []:
        texts = {key: ed.text(entry, key, path, found) for key in _TEXTS}
        cites = ed.words(entry, "cites", path, found, unit_ids, "unit")
        named = ed.words(entry, "unless", path, found, concept_ids | set(concept_terms),
                         "glossary concept or term") if "unless" in entry else []
        unless = frozenset(n for n in named if n in concept_ids)
        unless_terms = Cues([n for n in named if n not in concept_ids])
        cues = ed.cues(entry, path, found)
        for phrase in cues.phrases:
            if phrase.lower() in concept_terms:
                found.add(path, entry.line_of("cues_zh"),
                          f"the cue '{phrase}' is a term of the glossary concept '{concept_terms[phrase.lower()]}', "
                          "which the corpus covers")
        topics.append(ScopeTopic(tid, **texts, cites=cites, cues=cues, unless=unless, unless_terms=unless_terms))
    problems.extend(found)
    return ScopeMap(topics)
