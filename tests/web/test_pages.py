"""The HTML pages: home, results, units, documents, pathways, guides, glossary, errors."""
from __future__ import annotations

import re
from html import escape, unescape

import pytest

from indexer.engine import MAX_QUERY_CHARS

ART11 = "social-assistance-measures/art-11"
ART11_EN = "Interim Measures for Social Assistance (State Council Decree No. 649, rev. 2019), Art. 11"
ART11_ZH = "《社会救助暂行办法》第十一条"


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def hrefs(response) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', response.get_data(as_text=True))]


# Home ----------------------------------------------------------------------

def test_home_has_one_search_box_and_examples_for_each_group(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.count('name="q"') == 1
    body = text(r)
    for group in ("For residents", "For social workers", "For trainers"):
        assert group in body
    assert "How do I apply for dibao?" in body
    links = hrefs(r)
    assert "/documents/social-assistance-measures" in links
    assert "/pathways" in links and "/guides" in links and "/glossary" in links
    assert "/units/social-assistance-measures/art-60" in links  # where to ask


def test_home_examples_lead_to_results(client):
    r = client.get("/")
    example = next(h for h in hrefs(r) if h.startswith("/search?q="))
    assert client.get(example).status_code == 200


# Results -------------------------------------------------------------------

def test_results_show_cited_articles_with_marked_snippets(client):
    r = client.get("/search", query_string={"q": "How do I apply for dibao?"})
    assert r.status_code == 200
    body = text(r)
    html = r.get_data(as_text=True)
    assert ART11_EN in body and ART11_ZH in body
    assert f'href="/units/{ART11}"' in html
    assert "<mark>" in html
    assert 'data-copy="' + ART11_EN + '"' in html  # a copy button for each style
    assert "What the law says" in body


def test_results_show_guides_first_as_what_this_means_for_you(client):
    html = client.get("/search?q=dibao").get_data(as_text=True)
    assert "What this means for you" in html
    assert 'href="/guides/minimum-living-security"' in html
    assert html.index("What this means for you") < html.index("What the law says")


def test_results_say_what_the_glossary_added(client):
    html = unescape(client.get("/search?q=dibao").get_data(as_text=True))
    block = html.split("data-expansions", 1)[1].split("</div>", 1)[0]
    assert "Also searched:" in block
    assert ">最低生活保障<" in block and ">minimum living security<" in block
    assert 'href="/glossary#' in block
    assert re.search(r"and \d+ more", block)  # a long list folds away


def test_low_confidence_is_said_plainly_with_nearest_articles_and_where_to_ask(client):
    r = client.get("/search", query_string={"q": "zxqv blorp wibble"})
    assert r.status_code == 200
    body = text(r)
    assert "No article clearly answers this question" in body
    assert "Nearest articles" in body
    assert "What the law says" not in body
    assert "What this means for you" not in body
    assert "township government or sub-district office" in body
    assert "/units/social-assistance-measures/art-60" in hrefs(r)
    # only a few nearest articles, for reference: weak hits are not dressed as answers
    assert 1 <= len(re.findall(r'<li class="hit hit-weak"', r.get_data(as_text=True))) <= 3


def test_confident_results_are_not_labelled_low_confidence(client):
    body = text(client.get("/search?q=How+do+I+apply+for+dibao%3F"))
    assert "No article clearly answers" not in body


@pytest.mark.parametrize("q", ["", "   "])
def test_empty_question_gets_a_friendly_400(client, q):
    r = client.get("/search", query_string={"q": q})
    assert r.status_code == 400
    assert "Please type a question." in text(r)


def test_search_without_q_goes_home(client):
    r = client.get("/search")
    assert r.status_code == 302 and r.headers["Location"].endswith("/")


def test_too_long_question_gets_a_clear_message(client):
    r = client.get("/search", query_string={"q": "a" * (MAX_QUERY_CHARS + 10)})
    assert r.status_code == 400
    body = text(r)
    assert f"{MAX_QUERY_CHARS + 10} characters long" in body
    assert f"{MAX_QUERY_CHARS} characters or fewer" in body
    assert "<mark>" not in r.get_data(as_text=True)


@pytest.mark.parametrize("query", ["q=dibao&k=0", "q=dibao&k=abc", "q=dibao&mode=nonsense"])
def test_bad_options_get_a_friendly_400(client, query):
    r = client.get("/search?" + query)
    assert r.status_code == 400
    assert "This search could not be run" in text(r)


@pytest.mark.parametrize("mode", ["keyword", "semantic"])
def test_search_modes_on_the_html_page(client, mode):
    r = client.get("/search", query_string={"q": "medical assistance", "mode": mode, "k": 5})
    assert r.status_code == 200
    assert len(re.findall(r'<li class="hit', r.get_data(as_text=True))) <= 5


def test_without_an_index_search_page_is_a_503_but_browsing_works(bare_client):
    r = bare_client.get("/search?q=dibao")
    assert r.status_code == 503
    body = text(r)
    assert "Search is not available right now" in body and "policykb build" in body
    for path in ("/", "/browse", f"/units/{ART11}", "/documents/poverty-alleviation-plan",
                 "/pathways", "/guides", "/guides/minimum-living-security", "/glossary",
                 f"/handout?items={ART11}", f"/handout.md?items={ART11}"):
        assert bare_client.get(path).status_code == 200, path


# Units ---------------------------------------------------------------------

def test_every_unit_has_a_page_with_both_citations(client, corpus):
    for uid, unit in corpus.units.items():
        r = client.get(unit.url)
        assert r.status_code == 200, uid
        body = text(r)
        assert unit.citation in body
        assert unit.citation_zh in body
        assert unit.paragraphs_zh[0] in body and unit.paragraphs_en[0] in body


def test_unit_page_shows_texts_side_by_side_with_status(client):
    r = client.get(f"/units/{ART11}")
    html = r.get_data(as_text=True)
    assert 'class="texts texts-2"' in html
    assert 'lang="zh-Hans"' in html
    assert 'data-status="official"' in html and 'data-status="unofficial"' in html
    assert "Unofficial translation" in text(r)
    assert "Chapter 2: Minimum Living Security" in text(r)


def test_seed_translation_is_not_called_unofficial(client, corpus):
    assert corpus.units["social-assistance-measures/art-3"].status_en == "seed"
    html = client.get("/units/social-assistance-measures/art-3").get_data(as_text=True)
    assert 'data-status="seed"' in html and 'data-status="unofficial"' not in html


def test_unit_page_links_neighbours_and_permalink(client):
    html = client.get(f"/units/{ART11}").get_data(as_text=True)
    assert 'rel="prev" href="/units/social-assistance-measures/art-10"' in html
    assert 'rel="next" href="/units/social-assistance-measures/art-12"' in html
    assert "http://localhost/units/social-assistance-measures/art-11" in html
    first = client.get("/units/social-assistance-measures/art-1").get_data(as_text=True)
    last = client.get("/units/social-assistance-measures/art-70").get_data(as_text=True)
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_unit_page_lists_guides_citing_it_and_related_pathways(client, corpus):
    r = client.get("/units/social-assistance-measures/art-9")
    links = hrefs(r)
    for guide in corpus.guides_citing("social-assistance-measures/art-9"):
        assert f"/guides/{guide.slug}" in links
    assert "/units/poverty-alleviation-plan/pathway-7" in links
    assert "Related pathways of the plan" in text(r)


def test_unit_page_has_copy_and_handout_buttons(client):
    html = client.get(f"/units/{ART11}").get_data(as_text=True)
    assert f'data-copy="{ART11_EN}"' in html
    assert f'data-copy="{ART11_ZH}"' in html
    assert f'data-handout-add="{ART11}"' in html


def test_pathway_page_shows_the_plan_status(client):
    body = text(client.get("/units/poverty-alleviation-plan/pathway-3"))
    assert "has ended" in body
    assert "Poverty alleviation through relocation" in body


@pytest.mark.parametrize("path", [
    "/units/social-assistance-measures/art-71",
    "/units/social-assistance-measures/chapter-1",
    "/units/nothing/art-1",
    "/units/social-assistance-measures",
])
def test_unknown_unit_is_a_friendly_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.mimetype == "text/html"
    assert "Go to the home page" in text(r)


def test_guide_id_under_units_redirects_to_the_guide(client):
    r = client.get("/units/guides/minimum-living-security")
    assert r.status_code == 301 and r.headers["Location"].endswith("/guides/minimum-living-security")


# Browsing ------------------------------------------------------------------

def test_browse_lists_documents(client, corpus):
    r = client.get("/browse")
    links = hrefs(r)
    for doc_id in corpus.documents:
        assert f"/documents/{doc_id}" in links
    assert client.get("/documents/").status_code == 302


def test_document_page_is_a_table_of_contents_by_chapter(client, corpus):
    r = client.get("/documents/social-assistance-measures")
    html = r.get_data(as_text=True)
    assert len(re.findall(r'<h3 id="chapter-\d+" class="toc-chapter">', html)) == 13
    links = hrefs(r)
    for uid in corpus.documents["social-assistance-measures"].unit_ids:
        assert f"/units/{uid}" in links
    body = text(r)
    assert "State Council Decree No. 649" in body
    assert "In force" in body
    assert "Chapter 13: Supplementary Provisions" in body


def test_plan_page_shows_status_and_scope_notes(client, corpus):
    r = client.get("/documents/poverty-alleviation-plan")
    body = text(r)
    meta = corpus.documents["poverty-alleviation-plan"].meta
    assert meta["status_en"] in body
    assert meta["scope_en"] in body
    assert "Guo Fa [2016] No. 64" in body


@pytest.mark.parametrize("doc_id", ["social-assistance-measures", "poverty-alleviation-plan"])
def test_document_facts_are_in_the_readers_language(client, corpus, doc_id):
    # Every fact about the document (issuer, number, source, revision) has a Chinese
    # value, and a Chinese reader gets it, not the English one.
    meta = corpus.documents[doc_id].meta
    english_only = [k for k in meta if k.endswith("_en") and f"{k[:-3]}_zh" not in meta]
    assert not english_only, f"{doc_id}: no Chinese value for {english_only}"
    html = client.get(f"/documents/{doc_id}?lang=zh").get_data(as_text=True)
    facts = html[html.index('<aside class="doc-meta"'):]
    facts = facts[:facts.index("</dl>")]  # the facts list; both citations follow it on purpose
    for key in (k for k in meta if k.endswith("_zh") and k[:-3] not in ("title", "citation", "unit_label")):
        shown = html if key[:-3] in ("status", "scope") else facts  # those two are notes above the contents
        assert escape(meta[key]) in shown, key
        assert escape(meta[key[:-3] + "_en"]) not in shown, key


def test_unknown_document_is_a_404(client):
    assert client.get("/documents/nothing").status_code == 404


def test_pathways_page_lists_the_eight_pathways(client, corpus):
    r = client.get("/pathways")
    links = hrefs(r)
    for n in range(1, 9):
        assert f"/units/poverty-alleviation-plan/pathway-{n}" in links
    assert "has ended" in text(r)


def test_guides_list_and_every_guide_page(client, corpus):
    r = client.get("/guides")
    links = hrefs(r)
    assert corpus.guides
    for guide in corpus.guides.values():
        assert f"/guides/{guide.slug}" in links
        page = client.get(f"/guides/{guide.slug}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        page_links = hrefs(page)
        for uid in guide.cites:
            assert f"/units/{uid}" in page_links, (guide.id, uid)
        # unit-id links are rewritten, never left relative
        assert not re.search(r'href="(social-assistance-measures|poverty-alleviation-plan)/', html)
        assert guide.sections[0].heading_en in text(page)


def test_guide_page_renders_markdown_lists_and_other_language(client):
    r = client.get("/guides/minimum-living-security")
    html = r.get_data(as_text=True)
    assert "<ul>" in html or "<ol>" in html
    assert 'class="cite"' in html
    zh = client.get("/guides/minimum-living-security?text=zh")
    assert "谁可以申请" in text(zh)
    assert 'title="《社会救助暂行办法》第九条"' in zh.get_data(as_text=True)


def test_unknown_guide_is_a_404(client):
    assert client.get("/guides/nothing").status_code == 404


def test_glossary_page_lists_every_entry_with_an_anchor(client, corpus):
    r = client.get("/glossary")
    html = r.get_data(as_text=True)
    assert corpus.glossary, "the glossary should not be empty"
    for entry in corpus.glossary:
        assert f'id="{entry.id}"' in html
        assert entry.terms_zh[0] in unescape(html)
        for uid in entry.cites:
            assert f'href="/units/{uid}"' in html
    # definitions carry their citations as links, not as loose labels
    assert 'class="definition"' in html and 'class="cite"' in html.split('class="definition"', 1)[1][:2000]


# Errors --------------------------------------------------------------------

def test_unknown_page_is_a_friendly_html_404(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    body = text(r)
    assert "Page not found" in body and "Traceback" not in body


def test_server_error_is_a_friendly_500_without_a_traceback(engine):
    from webapp import create_app

    app = create_app({"POLICYKB_ENGINE": engine, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.get("/api/boom")
    def api_boom():
        raise RuntimeError("secret internals")

    c = app.test_client()
    r = c.get("/boom")
    assert r.status_code == 500
    assert "Something went wrong" in text(r)
    assert "secret internals" not in text(r) and "Traceback" not in text(r)
    r = c.get("/api/boom")
    assert r.status_code == 500 and r.mimetype == "application/json"
    assert "secret" not in r.get_json()["error"]


def test_static_files_are_served_locally(client):
    for name in ("site.css", "app.js", "favicon.svg"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200, name
        r.close()
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in re.sub(r'href="http://localhost[^"]*"', "", html).split("<body")[0]
    assert not re.search(r'(src|href)="(https?:)?//', html)


# Chinese first, the answer, links between articles (issue 11) ----------------------

def test_chinese_results_open_with_the_answer_in_chinese_with_cited_links(zh_client, corpus):
    html = zh_client.get("/search?q=低保怎么申请").get_data(as_text=True)
    block = re.search(r'<section class="answer".*?</section>', html, re.S)
    assert block, "an answer above the results"
    answer = unescape(block.group(0))
    assert "简要回答" in answer and "编辑整理" in answer
    cites = re.findall(r'<a href="/units/([^"]+)" class="cite"', block.group(0))
    assert cites and all(c in corpus.units for c in cites)
    read = re.search(r'data-answer-read href="/units/([^"]+)"', block.group(0))
    assert read and read.group(1) == cites[0]
    assert re.search(r'data-answer-guide href="/guides/[a-z-]+#[a-z0-9-]+"', block.group(0))
    # the answer comes before the list of articles
    assert html.index('class="answer"') < html.index('class="unit-hits"')
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>", "", block.group(0)).replace("policykb", ""))


def test_the_answer_follows_the_page_language_not_the_question(client):
    html = client.get("/search?q=低保怎么申请&lang=en").get_data(as_text=True)
    block = re.search(r'<section class="answer".*?</section>', html, re.S).group(0)
    assert 'class="answer-text"' in block and 'lang="zh-Hans"' not in block.split("answer-source")[0]
    assert "Short answer" in block


def test_no_answer_when_confidence_is_low(client):
    html = client.get("/search?q=what+is+the+weather+on+mars").get_data(as_text=True)
    assert "data-low-confidence" in html and 'class="answer"' not in html


def test_chinese_pages_list_and_copy_the_chinese_citation_first(zh_client, client):
    zh = zh_client.get(f"/units/{ART11}").get_data(as_text=True)
    copies = re.findall(r'data-copy="([^"]+)"', zh)
    assert copies[0] == ART11_ZH and copies[1] == ART11_EN
    en = client.get(f"/units/{ART11}").get_data(as_text=True)
    assert re.findall(r'data-copy="([^"]+)"', en)[:2] == [ART11_EN, ART11_ZH]
    hit = re.search(r'<li class="hit[^"]*" data-unit="%s".*?</li>' % re.escape(ART11), zh_client.get("/search?q=低保怎么申请").get_data(as_text=True), re.S)
    assert hit.group(0).index(ART11_ZH) < hit.group(0).index(ART11_EN)


def test_chinese_expansion_terms_come_first(zh_client):
    html = zh_client.get("/search?q=低保怎么申请").get_data(as_text=True)
    block = re.search(r"data-expansions>(.*?)</div>", html, re.S).group(1)
    terms = re.findall(r'class="term">([^<]+)<', block)
    cjk = [bool(re.search(r"[\u4e00-\u9fff]", t)) for t in terms]
    assert True in cjk and False in cjk, terms
    assert cjk == sorted(cjk, reverse=True), f"Chinese terms first: {terms}"


def test_unit_page_shows_refers_to_referred_by_and_related(zh_client, corpus):
    html = zh_client.get(f"/units/{ART11}").get_data(as_text=True)
    for marker, heading in (("data-refers-to", "本条引用"), ("data-referred-by", "引用本条的条款")):
        assert marker in html and heading in html
    unit = corpus.units[ART11]
    for uid in getattr(unit, "referred_by", []):
        assert f'data-ref-unit="{uid}"' in html


def test_references_in_the_text_become_links_without_changing_the_words(corpus):
    from webapp.helpers import linked_paragraphs
    target = corpus.units[ART11]
    para = "申请特困人员供养，适用本办法第十一条规定的程序。第十一条<b>"
    (linked,) = linked_paragraphs([para], "zh", [target])
    assert str(linked).count('href="/units/social-assistance-measures/art-11"') == 2
    assert "&lt;b&gt;" in str(linked)  # the text is escaped
    assert re.sub(r"<[^>]+>", "", str(linked)).replace("&lt;", "<").replace("&gt;", ">") == para
    (en,) = linked_paragraphs(["see Article 11 and Article 110"], "en", [target])
    assert str(en).count("<a ") == 1
    assert linked_paragraphs(["第十一条"], "zh", []) == ["第十一条"]  # only what the data lists


def test_document_contents_offer_a_handout_per_chapter(client, corpus):
    html = client.get("/documents/social-assistance-measures").get_data(as_text=True)
    links = re.findall(r'href="/handout\?items=([^"]+)" data-make-handout', html)
    chapters = {u.chapter.id for u in corpus.units.values() if u.doc_id == "social-assistance-measures"}
    assert len(links) == len(chapters)
    assert any(ART11 in link.split(",") for link in links)
    guide = client.get("/guides/minimum-living-security").get_data(as_text=True)
    assert re.search(r'href="/handout\?items=[^"]*social-assistance-measures/art-9[^"]*" data-make-handout', guide)
    assert "data-make-handout" in client.get("/pathways").get_data(as_text=True)
