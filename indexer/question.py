"""The analysed question: everything a search works out from the question's text, once.

Language, index terms per analysis, the glossary concepts it names, the
characters standing in for Chinese words the law never uses, the concept
terms shown to the reader, its intent and the out-of-scope topic it asks
about. Every retriever, the confidence check and the snippet maker read this
object instead of analysing the text again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .analysis import has_cjk, terms
from .expansion import Expander
from .models import GlossaryEntry

# The analyses the keyword index and the coverage check use.
ANALYSES = ("en", "zh", "zh_chars")
# Bounds on a question's work, whatever it says (a 500-character paste, 250
# distinct characters): distinct terms per analysis, kept by idf, glossary
# concepts and stand-in characters. The largest of ~500 real and written
# questions: 19 English terms, 29 Chinese words, 38 characters, 4 concepts,
# 6 stand-ins. The bounds cut 3 of 136 English questions' terms, 1 of 252
# Chinese questions' words and 25 questions' characters, always the
# commonest: hybrid rankings on every set were unchanged by the word bounds
# (also at 12 English terms and at 20 Chinese); 16 characters instead of 24
# moved two real questions a rank (7 -> 8, 3 -> 2; real zh MRR 0.732 ->
# 0.734) and a crafted Chinese question's keyword search from 2.10-2.26x to
# 1.85-2.11x an ordinary one's (README, "Benchmarks").
MAX_TERMS = {"en": 16, "zh": 24, "zh_chars": 16}
MAX_CONCEPTS = 6
MAX_STAND_INS = 8
# A question is analysed and encoded up to this length (English cut between
# words): every stage's cost (jieba, cues, the embedding model) grows with
# the text's length. The longest of those questions: 32 English words (about
# 200 characters), 79 Chinese characters (a token each).
MAX_CHARS = {"en": 240, "zh": 80}
# The multilingual encoder's time grows with a Chinese question's pieces
# (4.9 ms at 14 characters, 8.1 at 48, 10.1 at 80), and it is the slowest
# stage of a hybrid search, so it reads the first 48 only. 6 of ~250 real and
# written Chinese questions are longer; cutting them there left every
# set's hit@5 and MRR unchanged (README, speed).
MAX_ENCODED_CHARS = {"en": MAX_CHARS["en"], "zh": 48}


def _bounded(text: str, lang: str) -> str:
    most = MAX_CHARS[lang]
    if len(text) <= most:
        return text
    cut = text.rfind(" ", 0, most + 1) if lang == "en" else -1  # Chinese has no spaces to cut at
    return text[:cut if cut > 0 else most]


@dataclass(frozen=True)
class Question:
    text: str  # as analysed (Simplified Chinese)
    lang: str  # "zh" when it holds any Chinese character, else "en"
    words: dict[str, tuple[str, ...]]  # analysis -> the question's index terms, in order
    concepts: tuple[GlossaryEntry, ...]
    concept_words: frozenset[str]  # every index term of the concepts' terms: scored by the concept index
    stand_ins: dict[str, str]  # unknown Chinese word -> the character that carries it
    expansions: tuple[str, ...]  # the concepts' terms the question does not contain
    intent: frozenset[str] = frozenset()  # role ids (intents.py)
    scope: object | None = None  # the out-of-scope topic asked about (scope.ScopeTopic)
    marked: dict[str, frozenset[str]] = field(default_factory=dict)  # terms snippets mark, by analysis
    # For the coverage check, in the question's language: its words that name
    # no concept, and each concept's terms as word lists.
    asked: tuple[str, ...] = ()
    concept_lang_words: tuple[tuple[tuple[str, ...], ...], ...] = ()

    @property
    def concept_ids(self) -> list[str]:
        return [entry.id for entry in self.concepts]

    @property
    def concept_terms(self) -> list[list[str]]:
        """Each concept with its terms in both languages."""
        return [entry.terms for entry in self.concepts]


@dataclass(frozen=True)
class Opening:
    """The first part of the analysis: all that encoding the question needs,
    so that the encoding can start while the rest is worked out (engine.py)."""
    text: str  # bounded
    lang: str
    concepts: tuple[GlossaryEntry, ...]

    @property
    def semantic_text(self) -> str:
        """What the embedding model encodes: the question and its concepts'
        English names (every synonym would drown the question's own words);
        the concepts are those of the whole question, even past the cut."""
        return " ".join([self.text[:MAX_ENCODED_CHARS[self.lang]]] + [entry.label_en for entry in self.concepts])


def open_question(text: str, expander: Expander) -> Opening:
    lang = "zh" if has_cjk(text) else "en"
    text = _bounded(text, lang)
    return Opening(text, lang, tuple(expander.matches(text))[:MAX_CONCEPTS])


def concept_words(concepts: list[list[str]]) -> frozenset[str]:
    """Every index term of the concepts' terms, in any analysis."""
    return frozenset().union(*(_term_words(tuple(concept)) for concept in concepts))


@lru_cache(maxsize=1024)
def _term_words(concept_terms: tuple[str, ...]) -> frozenset[str]:
    # A concept has dozens of terms, three analyses each: once per concept, not per question.
    return frozenset(w for term in concept_terms for lang in ANALYSES for w in terms(term, lang))


def analyse(text: str, expander: Expander, keyword_index, intents=None, scope=None) -> Question:
    """The question `text` (already validated and in Simplified characters),
    analysed against the glossary, the keyword index's vocabulary and, when
    given, the corpus's intent and scope maps."""
    return complete(open_question(text, expander), expander, keyword_index, intents, scope)


def complete(opening: Opening, expander: Expander, keyword_index, intents=None, scope=None) -> Question:
    """The rest of analyse(), after open_question()."""
    text, lang, matched = opening.text, opening.lang, opening.concepts
    named = concept_words([entry.terms for entry in matched])
    words = {a: keyword_index.rarest(tuple(terms(text, a)), a, MAX_TERMS[a]) for a in ANALYSES}
    stand_ins = dict(list(keyword_index.stand_ins(words["zh"], named).items())[:MAX_STAND_INS]) if lang == "zh" else {}
    expansions = tuple(expander.expand(text, list(matched)))
    marked = {a: frozenset(w for t in (text,) + expansions for w in terms(t, a)) for a in ("en", "zh")}
    marked["zh_chars"] = frozenset(stand_ins.values())
    intent = intents.intents(text) if intents is not None else frozenset()
    topic = scope.match(text, lambda rest: {entry.id for entry in expander.matches(rest)}) if scope is not None else None
    lang_words = tuple(tuple(tuple(terms(term, lang)) for term in entry.terms) for entry in matched)
    # Only the words of the terms the question holds name a concept: the 脱贫
    # of "种果树来脱贫" is still asked when 乡村旅游 names the concept whose
    # other term 产业发展脱贫 holds it.
    not_held = set(expansions)
    named_here = {w for entry, term_words in zip(matched, lang_words)
                  for term, ws in zip(entry.terms, term_words) if term not in not_held for w in ws}
    asked = tuple(w for w in words[lang] if w not in named_here)
    return Question(text, lang, words, matched, named, stand_ins, expansions, intent, topic, marked, asked, lang_words)
