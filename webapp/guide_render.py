"""Render guides and glossary definitions from the parsed corpus, citations turned into links.

The corpus keeps each guide container's Markdown as written
(`GuideSection.source_en` / `source_zh`, lists and links intact) and each
glossary definition's Markdown (`GlossaryEntry.definition_markdown`); they are
rendered here with markdown-it-py. Nothing is read from corpus files, so the
pages always match what the index was built from.

A guide cites units with ordinary links whose target is a unit id
(`[Art. 9](social-assistance-measures/art-9)`). Here those targets become the
unit's page (`/units/social-assistance-measures/art-9`), marked as citations
and titled with the full citation. Raw HTML in the Markdown is not rendered
(html=False) and markdown-it refuses javascript: and similar links.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from markdown_it import MarkdownIt

from indexer.models import Corpus, Guide


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


_MD = _markdown()


@dataclass
class RenderedSection:
    id: str
    heading_en: str
    heading_zh: str
    html_en: str
    html_zh: str
    markdown_en: str = ""  # the section's Markdown as written (for handout downloads)
    markdown_zh: str = ""

    def heading(self, lang: str) -> str:
        return self.heading_zh if lang == "zh" else self.heading_en

    def html(self, lang: str) -> str:
        return self.html_zh if lang == "zh" else self.html_en


def _rewrite_links(tokens, corpus: Corpus, lang: str = "en") -> None:
    for tok in tokens:
        if tok.type != "inline" or not tok.children:
            continue
        for child in tok.children:
            if child.type != "link_open":
                continue
            href = child.attrs.get("href", "")
            unit = corpus.get(href)
            if unit is not None:
                child.attrs["href"] = unit.url
                child.attrs["class"] = "cite"
                child.attrs["title"] = unit.citation_in(lang)
                child.attrs["data-unit"] = unit.id
            elif href.startswith(("http://", "https://")):
                child.attrs["rel"] = "noopener noreferrer"


def render_markdown(source: str, corpus: Corpus, lang: str = "en") -> str:
    """Markdown from the corpus as HTML, unit-id links made citation links."""
    tokens = _MD.parse(source)
    _rewrite_links(tokens, corpus, lang)
    return _MD.renderer.render(tokens, _MD.options, {})


_CACHE: dict[tuple[str, str], Any] = {}
_CACHE_MAX = 128


def _cached(name: str, corpus: Corpus, make: Callable[[], Any]) -> Any:
    """What `make` renders from the corpus, kept per corpus version."""
    key = (name, corpus.hash)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = make()
    return _CACHE[key]


def render_guide(guide: Guide, corpus: Corpus) -> list[RenderedSection]:
    """The guide's sections as HTML, cached per corpus version."""
    return _cached(guide.id, corpus, lambda: [_render_section(section, corpus) for section in guide.sections])


def _render_section(section, corpus: Corpus) -> RenderedSection:
    # The loader always sets source_*; a GuideSection made by hand without it
    # still renders, from its paragraphs.
    source = {lang: getattr(section, f"source_{lang}") or "\n\n".join(getattr(section, f"markdown_{lang}"))
              for lang in ("en", "zh")}
    return RenderedSection(section.id, section.heading_en, section.heading_zh,
                           render_markdown(source["en"], corpus, "en"), render_markdown(source["zh"], corpus, "zh"),
                           source["en"].strip(), source["zh"].strip())


def render_glossary_definitions(corpus: Corpus, lang: str = "en") -> dict[str, tuple[str, str]]:
    """Each glossary entry's definition as (HTML with its citations as links, its language), in `lang`
    where the corpus has it (`definition_markdown_zh`), else in English; entries without Markdown
    left out. Cached per corpus version."""
    def make() -> dict[str, tuple[str, str]]:
        out = {}
        for entry in corpus.glossary:
            own = getattr(entry, f"definition_markdown_{lang}", "") if lang != "en" else ""
            source, shown = (own, lang) if own and own.strip() else (entry.definition_markdown, "en")
            if source.strip():
                out[entry.id] = (render_markdown(source, corpus, shown), shown)
        return out
    return _cached(f"glossary-{lang}", corpus, make)


@dataclass
class RenderedAnswer:
    html: str  # the guide paragraph, citations as links to unit pages
    lang: str
    guide: Guide
    section_id: str
    section_heading: str
    first_cited: Any  # the Unit behind "read the article", or None


def render_answer(answer, corpus: Corpus, lang: str) -> RenderedAnswer | None:
    """The answer passage (indexer/answer.py) for a page in `lang`.

    The engine answers in the question's language; a guide's paragraphs are
    parallel in both languages, so on a page in the other language the same
    paragraph is shown in that language (else it stays as answered).
    """
    if answer is None or answer.guide not in corpus.guides:
        return None
    guide = corpus.guides[answer.guide]
    section = next((s for s in guide.sections if s.id == answer.section), None)
    if section is None:
        return None
    markdown, shown_lang = answer.markdown, answer.lang
    if lang != answer.lang:
        own = getattr(section, f"markdown_{answer.lang}")
        other = getattr(section, f"markdown_{lang}")
        if answer.markdown in own and len(own) == len(other):
            markdown, shown_lang = other[own.index(answer.markdown)], lang
    first = next((corpus.units[c] for c in answer.cites if c in corpus.units), None)
    return RenderedAnswer(render_markdown(markdown, corpus, shown_lang), shown_lang, guide, section.id,
                          section.heading_zh if lang == "zh" else section.heading_en, first)
