"""Text analysis shared by indexing, querying and snippets.

English: Whoosh's stemming analyzer. Chinese: jieba in search mode, which
yields both long words and their parts (最低生活保障 -> 最低, 生活, 保障,
最低生活保障), so a question need not use the law's exact compounds.
"""
from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache

import jieba
from whoosh.analysis import STOP_WORDS, LowercaseFilter, StemmingAnalyzer, StopFilter, Token, Tokenizer

jieba.setLogLevel(logging.WARNING)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORDISH = re.compile(r"\w", re.UNICODE)

# Function words of everyday questions: they carry no topic and would only
# add noise to BM25 (the statutory text rarely uses them).
ZH_STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 么 和 与 及 或 是 在 有 没有 我 我们 你 你们 他 她 他们 它 这 那 哪 哪些 哪里 什么 怎么 怎样 如何 "
    "谁 为什么 能 能否 可以 可不可以 会 要 需要 应该 该 就 都 也 还 又 被 把 给 对 向 从 到 由 吗 多少 几 个 一个 请问 "
    "家里 自己 现在 已经 如果 因为 所以 但是 而且 等 之 其 以 为 上 下 中 后 前 时 不 没 有没有 是否 "
    "再 还要 还能 一点 一下 一些 能不能 怎么办 "
    "想 想问 想知道 去 说 啥 像 里 才 很 真的 到底 得 什么样 只要 不然 总会 最 对于 只有 嘛 算是 但 让 先 可 叫 听 听说 "
    "跟 着 呀 哦 呗 咋 咋样 怎么样 这个 那个 这样 那样 这种 那种 一直 总是 经常 比较 非常 您好 你好 谢谢 麻烦 知道 "
    "还是 或者 啦 嗯 您 咱 咱们 俺 你家 这笔 "
    # How questions are framed ("what is the policy on...", "the relevant rules"): the
    # law uses these words everywhere, so matching them only finds filler.
    "政策 规定 相关 有关 情况 问题 咨询 具体 一般 实施".split()
)


# Whoosh's stop words plus the words every question is made of.
EN_STOPWORDS = STOP_WORDS | frozenset(
    "how what who whom whose where which why do does did done i me my mine our ours am was were been being "
    "there their they them he she his her its any some all than then so such about into would should could "
    "shall must get gets got".split()
)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


class _SpanTokenizer(Tokenizer):
    """A Whoosh tokenizer over (text, start, end) spans that a subclass finds."""

    def spans(self, value: str):
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (text, start, end) in enumerate(self.spans(value), start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class JiebaTokenizer(_SpanTokenizer):
    """jieba's search-mode segmentation, without punctuation and spaces."""

    def spans(self, value):
        for word, start, end in jieba.tokenize(value, mode="search"):
            if _WORDISH.search(word) and not word.isspace():
                yield word.strip(), start, end


class CharTokenizer(_SpanTokenizer):
    """Single Chinese characters: a fallback for words jieba segments
    differently in a question than in the law (骗 in 骗低保 and 骗取)."""

    def spans(self, value):
        for match in _CJK.finditer(value):
            yield match.group(), match.start(), match.end()


# Characters that carry no topic on their own.
ZH_STOP_CHARS = frozenset("的了吗呢吧啊么和与及或是在有我你他她它这那哪什怎谁能会要就都也还又被把给对向从到由几个请不没之其以为上下中后前时等")


def signature() -> str:
    """What the index's terms depend on besides the texts: the stop lists
    and the segmenter's version. An index built under another is stale (a
    question's words would be cut differently from the texts')."""
    parts = [" ".join(sorted(ZH_STOPWORDS)), "".join(sorted(ZH_STOP_CHARS)), " ".join(sorted(EN_STOPWORDS)),
             getattr(jieba, "__version__", "?")]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def chinese_char_analyzer():
    return CharTokenizer() | StopFilter(stoplist=ZH_STOP_CHARS, minsize=1)


@lru_cache(maxsize=1)
def english_analyzer():
    return StemmingAnalyzer(stoplist=EN_STOPWORDS, minsize=2)


@lru_cache(maxsize=1)
def chinese_analyzer():
    return JiebaTokenizer() | LowercaseFilter() | StopFilter(stoplist=ZH_STOPWORDS, minsize=1)


def analyzer_for(lang: str):
    if lang == "zh_chars":
        return chinese_char_analyzer()
    return chinese_analyzer() if lang == "zh" else english_analyzer()


def terms(text: str, lang: str) -> list[str]:
    """The index terms of a text, in order, without duplicates."""
    return list(dict.fromkeys(_tokens(text, lang)))


def tokens(text: str, lang: str) -> list[str]:
    """The index terms of a text, in order, each time it occurs."""
    return list(_tokens(text, lang))


@lru_cache(maxsize=8192)
def _tokens(text: str, lang: str) -> tuple[str, ...]:
    # Glossary terms and unit texts are analysed again on every query; jieba
    # is the costly part of a Chinese search.
    if lang == "en":
        return tuple(term for term, _, _ in english_spans(text))
    if lang == "zh":
        return tuple(term for term, _, _ in chinese_spans(text))
    return tuple(t.text for t in analyzer_for(lang)(text))


def index_terms(text: str, lang: str) -> list[str]:
    """The terms analyzer_for(lang) yields for a text, each time it occurs,
    uncached: what the index build analyses (each text once, so a cache
    would only fill up). The same steps as the analyzers' chains, without
    one Whoosh token object a word and a generator a filter (the build
    analyses every text of the corpus; tests/test_build.py checks the
    terms against the analyzers')."""
    if lang == "en":
        return [term for term, _, _ in english_spans(text)]
    if lang == "zh_chars":
        return [c for c in _CJK.findall(text) if c not in ZH_STOP_CHARS]
    return [term for term, _, _ in chinese_spans(text)]


def chinese_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """(term, start, end) of each term chinese_analyzer() yields: the steps
    of its chain (JiebaTokenizer | LowercaseFilter | StopFilter) without a
    Whoosh token a word and a generator a filter. The spans are the words as
    jieba cut them, before stripping (as the tokenizer gives them)."""
    out = []
    for word, start, end in jieba.tokenize(text, mode="search"):
        if _WORDISH.search(word) and not word.isspace():
            term = word.strip().lower()
            if term and term not in ZH_STOPWORDS:
                out.append((term, start, end))
    return tuple(out)


def english_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """(term, start, end) of each English word that is not a stop word: what
    english_analyzer() yields, found by its own tokenizer's pattern, with each
    word's term looked up once (its filters take one token at a time, so a
    word's term does not depend on the words around it). About 2.5x faster
    than running the analyzer's chain of Whoosh tokens on every text."""
    pattern = english_analyzer().items[0].expression
    found = ((english_term(m.group()), m.start(), m.end()) for m in pattern.finditer(text))
    return tuple(span for span in found if span[0] is not None)


@lru_cache(maxsize=65536)
def english_term(word: str) -> str | None:
    """The term of one word the tokenizer found (None for a stop word)."""
    return next((t.text for t in english_analyzer()(word)), None)
