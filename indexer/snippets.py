"""The passage of a unit that matched, with the matched words marked."""
from __future__ import annotations

from functools import lru_cache
from html import escape

from .analysis import analyzer_for, has_cjk

SNIPPET_CHARS = 220


@lru_cache(maxsize=4096)
def _tokens(text: str, lang: str) -> tuple[tuple[str, int, int], ...]:
    # The same paragraphs come up query after query; segmenting them is the
    # costly part of a Chinese snippet.
    return tuple((t.text, t.startchar, t.endchar) for t in analyzer_for(lang)(text, chars=True, removestops=True))


def _spans(text: str, lang: str, wanted: set[str]) -> list[tuple[int, int]]:
    spans = [(start, end) for term, start, end in _tokens(text, lang) if term in wanted]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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


def make_snippet(paragraphs_en: list[str], paragraphs_zh: list[str], query_terms: dict[str, set[str]],
                 question: str) -> tuple[str, str]:
    """(plain text, HTML with <mark>) of the best-matching paragraph.

    The paragraph comes from the question's language when it has matches
    there, else from the other language, else the unit's first paragraph.
    """
    langs = ["zh", "en"] if has_cjk(question) else ["en", "zh"]
    paragraphs = {"en": paragraphs_en, "zh": paragraphs_zh}
    best = None
    for lang in langs:
        for para in paragraphs[lang]:
            spans = _spans(para, lang, query_terms.get(lang, set()))
            if spans and (best is None or len(spans) > len(best[1])):
                best = (para, spans)
        if best:
            break
    if best is None:
        first = (paragraphs[langs[0]] or paragraphs[langs[1]] or [""])[0]
        best = (first, [])
    text, spans = best
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
