"""Pages built from the corpus as parsed: editorial links between pathways and
articles, the plan's status, and guides and glossary rendered from the Markdown
the corpus carries (no file is read again at request time)."""
from __future__ import annotations

import re
import shutil
from html import unescape

import pytest

from indexer.corpus import load_corpus
from webapp import create_app

PLAN = "poverty-alleviation-plan"
MEASURES = "social-assistance-measures"


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def related_block(html: str) -> str:
    match = re.search(r'<section class="related"[^>]*data-related>(.*?)</section>', html, re.S)
    assert match, "no related section"
    return match.group(1)


# Editorial links -------------------------------------------------------------

def test_every_pathway_with_links_lists_its_articles_and_back(client, corpus):
    linked = [u for u in corpus.units.values() if u.kind == "pathway" and u.related]
    assert len(linked) >= 5, "the corpus links most pathways to articles"
    for pathway in linked:
        html = client.get(pathway.url).get_data(as_text=True)
        block = unescape(related_block(html))
        assert "Related articles of the Measures (editorial link, not text of either document)" in block
        for aid in pathway.related:
            assert f'href="/units/{aid}"' in block, (pathway.id, aid)
            back = unescape(related_block(client.get(f"/units/{aid}").get_data(as_text=True)))
            assert "Related pathways of the plan (editorial link, not text of either document)" in back
            assert f'href="{pathway.url}"' in back, (aid, pathway.id)


def test_related_lists_follow_the_corpus_links_not_guides(client, corpus):
    """Exactly the editorial links, in document order; no section where there are none."""
    for uid, unit in corpus.units.items():
        html = client.get(unit.url).get_data(as_text=True)
        shown = re.findall(r'data-related-unit="([^"]+)"', html)
        # Articles of the same document first (editorial related articles), then the other document's units.
        same = [u for u in corpus.units if u in set(unit.related) and corpus.units[u].doc_id == unit.doc_id]
        other = [u for u in corpus.units if u in set(unit.related) and corpus.units[u].doc_id != unit.doc_id]
        assert shown == same + other, uid
        assert ("data-related>" in html) == bool(other) and ("data-related-same>" in html) == bool(same), uid


def test_pathway_employment_links_to_employment_assistance(client):
    html = client.get(f"/units/{PLAN}/pathway-2").get_data(as_text=True)
    block = related_block(html)
    for n in range(42, 47):
        assert f'data-related-unit="{MEASURES}/art-{n}"' in block


def test_related_heading_in_chinese(zh_client):
    body = text(zh_client.get(f"/units/{PLAN}/pathway-7"))
    assert "相关条文（编辑关联，非文件原文）" in body
    assert "第九条" in body
    body = text(zh_client.get(f"/units/{MEASURES}/art-9"))
    assert "相关脱贫路径（编辑关联，非文件原文）" in body


def test_pathways_page_shows_each_pathways_articles(client, corpus):
    html = client.get("/pathways").get_data(as_text=True)
    for pathway in (u for u in corpus.units.values() if u.kind == "pathway"):
        card = re.search(rf'<li class="pathway-card" data-unit="{pathway.id}">(.*?)</li>\s*(?=<li|</ol>)', html, re.S)
        assert card, pathway.id
        for aid in pathway.related:
            assert f'href="/units/{aid}"' in card.group(1)
        assert ("data-related" in card.group(1)) == bool(pathway.related)


def test_api_unit_carries_related(client, corpus):
    data = client.get(f"/api/units/{PLAN}/pathway-5").get_json()
    assert data["related"] == corpus.units[f"{PLAN}/pathway-5"].related
    assert f"{MEASURES}/art-28" in data["related"]


# The plan's status -------------------------------------------------------------

@pytest.mark.parametrize("n", range(1, 9))
def test_every_pathway_page_says_the_plan_has_ended_and_the_measures_remain(client, zh_client, corpus, n):
    meta = corpus.documents[PLAN].meta
    r = client.get(f"/units/{PLAN}/pathway-{n}")
    html = r.get_data(as_text=True)
    notice = unescape(re.search(r'<div class="notice notice-status" data-doc-status>(.*?)</div>', html, re.S).group(1))
    assert meta["status_en"] in notice
    assert "2016-2020" in notice and "remain in force" in notice
    assert f'href="/documents/{MEASURES}"' in notice
    assert meta["status_zh"] in text(zh_client.get(f"/units/{PLAN}/pathway-{n}"))


def test_plan_document_page_says_it_has_ended(client, zh_client, corpus):
    meta = corpus.documents[PLAN].meta
    html = client.get(f"/documents/{PLAN}").get_data(as_text=True)
    notice = unescape(re.search(r'data-doc-status>(.*?)</div>', html, re.S).group(1))
    assert meta["status_en"] in notice and f'href="/documents/{MEASURES}"' in notice
    assert meta["status_zh"] in text(zh_client.get(f"/documents/{PLAN}"))


def test_pathways_page_says_the_plan_has_ended(client, corpus):
    html = client.get("/pathways").get_data(as_text=True)
    notice = unescape(re.search(r'data-doc-status>(.*?)</div>', html, re.S).group(1))
    assert corpus.documents[PLAN].meta["status_en"] in notice and f'href="/documents/{MEASURES}"' in notice


def test_articles_show_in_force_without_the_plan_notice(client):
    html = client.get(f"/units/{MEASURES}/art-9").get_data(as_text=True)
    assert "notice-status" not in html
    assert "In force" in text(client.get(f"/units/{MEASURES}/art-9"))


# Guides and glossary from the corpus fields -------------------------------------

@pytest.fixture
def fileless_client(corpus_copy):
    """The site on a corpus whose files are gone after loading: pages must not read them."""
    loaded = load_corpus(corpus_copy)
    shutil.rmtree(corpus_copy)
    app = create_app({"TESTING": True, "POLICYKB_CORPUS": loaded, "POLICYKB_OPEN_ENGINE": False,
                      "POLICYKB_CORPUS_DIR": corpus_copy})
    return app.test_client()


def test_guides_render_lists_and_citations_without_reading_files(fileless_client, corpus):
    for guide in corpus.guides.values():
        r = fileless_client.get(f"/guides/{guide.slug}")
        assert r.status_code == 200, guide.id
        html = r.get_data(as_text=True)
        items = sum(len(re.findall(r"^\s*(?:[-*+]|\d+[.)]) ", s.source_en, re.M)) for s in guide.sections)
        assert html.count("<li>") >= items, guide.id  # list markers survive
        for uid in guide.cites:
            assert 'class="cite" title=' in html and f'href="/units/{uid}"' in html, (guide.id, uid)
        zh = fileless_client.get(f"/guides/{guide.slug}?text=zh").get_data(as_text=True)
        assert unescape(guide.sections[0].heading_zh) in unescape(zh)


def _squeezed(html: str) -> str:
    """The text of some HTML, without tags or any whitespace."""
    return "".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def test_guides_render_every_paragraph_in_both_languages(fileless_client, corpus):
    """Each paragraph and list item the loader parsed, the last of a section
    included, is on the page (compared as text, tags and whitespace aside)."""
    for guide in corpus.guides.values():
        for lang, query in (("en", ""), ("zh", "?text=zh")):
            page = _squeezed(fileless_client.get(f"/guides/{guide.slug}{query}").get_data(as_text=True))
            for section in guide.sections:
                for para in getattr(section, f"text_{lang}"):
                    assert _squeezed(para) in page, (guide.id, section.id, lang, para)


def test_guide_list_items_render_as_list_items(client, corpus):
    section = corpus.guides["guides/minimum-living-security"].sections[0]
    first_item = next(line[2:] for line in section.source_en.splitlines() if line.startswith("- "))
    words = first_item.split(" [")[0][:40]  # the item's text before its citation link
    html = unescape(client.get("/guides/minimum-living-security").get_data(as_text=True))
    assert re.search(r"<li>" + re.escape(words), html)


def test_glossary_definitions_link_citations_without_reading_files(fileless_client, corpus):
    html = fileless_client.get("/glossary").get_data(as_text=True)
    for entry in corpus.glossary:
        block = re.search(rf'<div class="glossary-entry" id="{re.escape(entry.id)}">(.*?)</div>\s*(?=<div class="glossary-entry"|</dl>)',
                          html, re.S)
        assert block, entry.id
        definition = re.search(r'<div class="definition" lang="en"[^>]*>(.*?)</div>', block.group(1), re.S)
        assert definition, entry.id
        for uid in entry.cites:
            assert f'href="/units/{uid}"' in definition.group(1), (entry.id, uid)
        assert "](social-assistance-measures/" not in definition.group(1)


def test_handout_markdown_keeps_guide_lists(client):
    body = client.get("/handout.md?items=guides/minimum-living-security").get_data(as_text=True)
    assert "\n- " in body
    assert "(http://localhost/units/social-assistance-measures/art-9)" in body


def test_unofficial_chinese_of_a_pathway_is_not_called_authentic(client):
    page = client.get("/units/poverty-alleviation-plan/pathway-5").get_data(as_text=True)
    assert "not the plan&#39;s official text" in page or "not the plan's official text" in page
    assert "only the Chinese text is authentic" not in page
    article = client.get("/units/social-assistance-measures/art-11").get_data(as_text=True)
    assert "only the Chinese text is authentic" in article
