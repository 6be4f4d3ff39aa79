"""Render a guide's Markdown to HTML with markdown-it-py, citations turned into links.

A guide cites units with ordinary links whose target is a unit id
(`[Art. 9](social-assistance-measures/art-9)`). Here those targets become the
unit's page (`/units/social-assistance-measures/art-9`), marked as citations
and titled with the full citation. Raw HTML in a guide is not rendered
(html=False) and markdown-it refuses javascript: and similar links.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from indexer.models import Corpus, Guide

SEP = "·"


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(front_matter_plugin)
    for name in ("en", "zh"):
        md.use(container_plugin, name=name)
    return md


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
                child.attrs["title"] = (unit.citation_zh if lang == "zh" and unit.citation_zh else unit.citation)
                child.attrs["data-unit"] = unit.id
            elif href.startswith(("http://", "https://")):
                child.attrs["rel"] = "noopener noreferrer"


def _source_path(guide: Guide, corpus_dir: Path) -> Path:
    path = Path(guide.source)
    if path.is_file():
        return path
    return corpus_dir / "guides" / f"{guide.slug}.md"


_CACHE: dict[tuple[str, str, str], list[RenderedSection]] = {}
_CACHE_MAX = 128


def render_guide(guide: Guide, corpus: Corpus, corpus_dir: Path) -> list[RenderedSection]:
    """The guide's sections as HTML, cached per corpus version."""
    key = (guide.id, corpus.hash, str(corpus_dir))
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = _render(guide, corpus, Path(corpus_dir))
    return _CACHE[key]


def _render(guide: Guide, corpus: Corpus, corpus_dir: Path) -> list[RenderedSection]:
    try:
        source = _source_path(guide, corpus_dir).read_text(encoding="utf-8")
    except OSError:
        return _render_from_paragraphs(guide, corpus)
    if not _file_matches(guide, source):
        # The file changed after the corpus was loaded: show what the index holds.
        return _render_from_paragraphs(guide, corpus)
    tokens = _MD.parse(source)
    lines = source.splitlines()
    sections: list[RenderedSection] = []
    current: RenderedSection | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and tok.tag == "h2":
            parts = [p.strip() for p in tokens[i + 1].content.split(SEP)]
            parts += [""] * (3 - len(parts))
            current = RenderedSection(parts[0], parts[1], parts[2] or parts[1], "", "")
            sections.append(current)
            i += 3
            continue
        if tok.type in ("container_en_open", "container_zh_open") and current is not None:
            lang = tok.type.split("_")[1]
            close = f"container_{lang}_close"
            j = i + 1
            depth = 0
            while j < len(tokens):
                if tokens[j].type == tok.type:
                    depth += 1
                elif tokens[j].type == close:
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            _rewrite_links(tokens[i + 1:j], corpus, lang)
            html = _MD.renderer.render(tokens[i + 1:j], _MD.options, {})
            setattr(current, f"html_{lang}", html)
            if tok.map:
                raw = "\n".join(lines[tok.map[0] + 1:tok.map[1] - 1]).strip()
                setattr(current, f"markdown_{lang}", raw)
            i = j + 1
            continue
        i += 1
    if len(sections) != len(guide.sections):
        return _render_from_paragraphs(guide, corpus)
    return sections


def _file_matches(guide: Guide, source: str) -> bool:
    return all(raw in source for section in guide.sections
               for raw in section.markdown_en + section.markdown_zh)


def _render_from_paragraphs(guide: Guide, corpus: Corpus) -> list[RenderedSection]:
    """Fallback when the guide's file cannot be read: each stored paragraph on its own."""
    out = []
    for section in guide.sections:
        html = {}
        for lang, paras in (("en", section.markdown_en), ("zh", section.markdown_zh)):
            tokens = _MD.parse("\n\n".join(paras))
            _rewrite_links(tokens, corpus, lang)
            html[lang] = _MD.renderer.render(tokens, _MD.options, {})
        out.append(RenderedSection(section.id, section.heading_en, section.heading_zh, html["en"], html["zh"],
                                   "\n\n".join(section.markdown_en), "\n\n".join(section.markdown_zh)))
    return out


def render_glossary_definitions(corpus: Corpus) -> dict[str, str]:
    """Each glossary entry's definition as HTML with its citations as links.

    The corpus keeps a definition as plain text (links reduced to their
    labels); the Markdown is read back from glossary.md. An entry whose
    Markdown no longer matches the loaded text (the file changed since) is
    left out, and the page shows the plain text instead.
    """
    out: dict[str, str] = {}
    sources = {entry.source.rsplit(":", 1)[0] for entry in corpus.glossary}
    expected = {entry.id: " ".join(entry.definition_en.split()) for entry in corpus.glossary}
    for source in sources:
        try:
            tokens = _MD.parse(Path(source).read_text(encoding="utf-8"))
        except OSError:
            continue
        current, depth, parts, texts = None, 0, {}, {}
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open" and tok.tag == "h2":
                current = tokens[i + 1].content.split(SEP)[0].strip()
                parts.setdefault(current, [])
                texts.setdefault(current, [])
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif tok.type == "paragraph_open" and depth == 0 and current is not None:
                inline = tokens[i + 1]
                texts[current].append("".join(c.content for c in inline.children or []
                                              if c.type in ("text", "code_inline", "softbreak")))
                _rewrite_links([inline], corpus)
                parts[current].append(_MD.renderer.render(tokens[i:i + 3], _MD.options, {}))
        for entry_id, html in parts.items():
            if entry_id in expected and " ".join(" ".join(texts[entry_id]).split()) == expected[entry_id]:
                out[entry_id] = "".join(html)
    return out
