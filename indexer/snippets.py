"""The passage of a unit that matched, with the matched words marked."""
from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from .paragraph_spans import Known, cached, term_spans
from .question import Question

SNIPPET_CHARS = 220


def _spans(text: str, lang: str, wanted: frozenset[str], chars: re.Pattern | None,
           known: Known | None) -> tuple[int, list[tuple[int, int]]]:
    """How many of the wanted terms the text holds, and where they are
    (merged spans); in Chinese also the single characters that stand in for
    words the law never uses (骗 inside 骗取). A Chinese word of one
    character is marked only as a stand-in: the 人 or 年 of a question marks
    nothing in particular."""
    spans: list[tuple[int, int]] = []
    where = cached(text, lang)
    # A Chinese word is part of the text as written (lower-cased): a text not
    # segmented yet that holds none of the wanted words is not segmented at all.
    if where is None:
        lowered = text.lower() if lang == "zh" else ""
        if lang != "zh" or any(word in lowered for word in wanted):
            where = term_spans(text, lang, known)
    # The terms both hold, found in C: a question marks some fifty terms (its
    # concepts' synonyms), of which a paragraph holds a few.
    held = (where.keys() & wanted) if where else set()
    if lang == "zh":
        held = {word for word in held if len(word) > 1}
    for word in held:
        spans.extend(where[word])
    distinct = len(held)
    if lang == "zh" and chars is not None:
        found = list(chars.finditer(text))
        spans += [m.span() for m in found]
        distinct += len({m.group() for m in found})
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return distinct, merged


@lru_cache(maxsize=256)
def _stand_in_pattern(chars: frozenset[str]) -> re.Pattern | None:
    return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") if chars else None


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    if len(text) <= SNIPPET_CHARS:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - SNIPPET_CHARS // 4, len(text) - SNIPPET_CHARS))
    end = start + SNIPPET_CHARS
    # Cut between words, not inside one (Chinese has no spaces: any place will do).
    if start > 0 and text[start - 1].isalnum() and text[start].isascii():
        space = text.find(" ", start, first if first > start else end)
        start = space + 1 if space != -1 else start
    if end < len(text) and text[end - 1].isalnum() and text[end].isascii():
        space = text.rfind(" ", max(start, first), end)
        end = space if space != -1 else end
    return start, end


def make_snippet(paragraphs_en: list[str], paragraphs_zh: list[str], question: Question,
                 known: Known | None = None) -> tuple[str, str]:
    """(plain text, HTML with <mark>) of the best-matching paragraph.

    known(paragraph, lang) gives a paragraph's term spans where the index
    build kept them (paragraph_spans.py), else None.

    The paragraph is in the question's language: the one holding most of
    the question's different terms there, else the counterpart of the best
    match in the other language (the texts are aligned paragraph by
    paragraph), else the first. Only a unit with no text in the question's
    language shows the other language.
    """
    langs = ["zh", "en"] if question.lang == "zh" else ["en", "zh"]
    paragraphs = {"en": paragraphs_en, "zh": paragraphs_zh}
    query_terms = question.marked
    chars = _stand_in_pattern(query_terms.get("zh_chars", frozenset()))
    best = {}
    for lang in langs:
        if best:  # the question's own language matched: the other is not looked at
            break
        for i, para in enumerate(paragraphs[lang]):
            distinct, spans = _spans(para, lang, query_terms.get(lang, frozenset()), chars, known)
            # Most of the question's different terms, then most matches: the
            # paragraph saying 救助 four times is not the one about 失火.
            if spans and (lang not in best or (distinct, len(spans)) > best[lang][3]):
                best[lang] = (i, para, spans, (distinct, len(spans)))
    own, other = langs
    if own in best:
        _, text, spans, _ = best[own]
    elif not paragraphs[own]:
        _, text, spans, _ = best.get(other, (0, (paragraphs[other] or [""])[0], [], None))
    elif other in best and len(paragraphs[own]) == len(paragraphs[other]):
        text, spans = paragraphs[own][best[other][0]], []
    else:
        text, spans = paragraphs[own][0], []
    start, end = _window(text, spans)
    html, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        html.append(escape(text[cursor:s]))
        html.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    html.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + text[start:end] + suffix, prefix + "".join(html) + suffix
