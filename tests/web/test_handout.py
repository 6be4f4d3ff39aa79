"""Trainer handouts: in the URL, in order, full text and citations, print view, Markdown."""
from __future__ import annotations

import re
from html import unescape

import pytest

from webapp.helpers import MAX_HANDOUT_ITEMS, parse_items

A11 = "social-assistance-measures/art-11"
A60 = "social-assistance-measures/art-60"
P3 = "poverty-alleviation-plan/pathway-3"
GUIDE = "guides/minimum-living-security"


def body(r) -> str:
    return unescape(r.get_data(as_text=True))


def test_handout_lists_items_in_order_with_full_text_and_citations(client, corpus):
    r = client.get(f"/handout?items={A60},{A11},{P3}")
    assert r.status_code == 200
    text = body(r)
    positions = [text.index(f'data-item="{uid}"') for uid in (A60, A11, P3)]
    assert positions == sorted(positions)
    for uid in (A60, A11, P3):
        unit = corpus.units[uid]
        assert unit.citation in text and unit.citation_zh in text
        for para in unit.paragraphs_zh + unit.paragraphs_en:
            assert para in text
    assert "3 items" in text


def test_handout_with_a_guide(client, corpus):
    text = body(client.get(f"/handout?items={GUIDE},{A11}"))
    guide = corpus.guides[GUIDE]
    assert guide.sections[0].heading_en in text and guide.sections[0].heading_zh in text
    assert f'href="/units/{guide.cites[0]}"' in text
    assert text.index(f'data-item="{GUIDE}"') < text.index(f'data-item="{A11}"')


def test_handout_accepts_repeated_parameters_and_drops_duplicates(client):
    text = body(client.get(f"/handout?items={A11}&items={A60},{A11}"))
    assert text.count('class="handout-item ') == 2
    assert f'data-items="{A11},{A60}"' in text


def test_handout_reports_unknown_ids(client):
    text = body(client.get(f"/handout?items={A11},social-assistance-measures/art-99,../../etc/passwd"))
    assert "Not found, left out" in text
    assert "social-assistance-measures/art-99" in text
    assert text.count('class="handout-item ') == 1


def test_handout_edit_links_move_and_remove(client):
    text = body(client.get(f"/handout?items={A11},{A60}"))
    assert f'/handout?items={A60},{A11}' in text  # move
    assert f'/handout?items={A60}"' in text  # remove the first
    assert f'data-handout-set="{A60},{A11}"' in text


def test_handout_texts_option_keeps_one_language(client, corpus):
    unit = corpus.units[A11]
    zh = body(client.get(f"/handout?items={A11}&texts=zh"))
    assert unit.paragraphs_zh[0] in zh and unit.paragraphs_en[0] not in zh
    en = body(client.get(f"/handout?items={A11}&texts=en"))
    assert unit.paragraphs_en[0] in en and unit.paragraphs_zh[0] not in en
    both = body(client.get(f"/handout?items={A11}&texts=bogus"))
    assert unit.paragraphs_en[0] in both and unit.paragraphs_zh[0] in both


def test_handout_title_is_kept_and_escaped(client):
    r = client.get("/handout", query_string={"items": A11, "title": "Class 3 <b>dibao</b>"})
    html = r.get_data(as_text=True)
    assert "Class 3 &lt;b&gt;dibao&lt;/b&gt;" in html
    assert "<b>dibao</b>" not in html
    assert "title=Class+3+%3Cb%3Edibao%3C/b%3E" in html  # carried into print and Markdown links


def test_empty_handout(client):
    for path in ("/handout", "/handout?items="):
        r = client.get(path)
        assert r.status_code == 200
        assert "Your handout is empty." in body(r)
    assert 'data-has-items="no"' in client.get("/handout").get_data(as_text=True)
    assert 'data-has-items="yes"' in client.get("/handout?items=").get_data(as_text=True)


def test_print_view_has_the_content_and_no_site_chrome(client, corpus):
    r = client.get(f"/handout/print?items={A11},{A60}&title=Week+2")
    assert r.status_code == 200
    text = body(r)
    assert "Week 2" in text
    assert corpus.units[A11].citation in text and corpus.units[A60].paragraphs_zh[0] in text
    assert 'class="site-header"' not in text and 'class="main-nav"' not in text
    assert "data-print" in text
    assert "Move up" not in text and "Remove" not in text


def test_markdown_download(client, corpus):
    r = client.get(f"/handout.md?items={A11},{GUIDE}&title=Week+2")
    assert r.status_code == 200
    assert r.mimetype == "text/markdown"
    assert "charset=utf-8" in r.headers["Content-Type"]
    assert "attachment" in r.headers["Content-Disposition"]
    md = r.get_data(as_text=True)
    assert md.startswith("# Week 2\n")
    unit = corpus.units[A11]
    assert f"## 1. {unit.label_en}: {unit.caption}" in md
    assert f"> {unit.citation}" in md and unit.citation_zh in md
    assert unit.paragraphs_zh[0] in md
    assert "http://localhost/units/social-assistance-measures/art-11" in md
    assert "## 2. Guide" not in md and "## 2. " in md
    # guide citations become absolute links
    assert "](http://localhost/units/social-assistance-measures/art-9)" in md
    assert "](social-assistance-measures/" not in md


def test_markdown_escapes_markup_in_statutory_text():
    from webapp.views.handout import _md_text

    assert _md_text("1. a *b* [c](d) <e>") == "1\\. a \\*b\\* \\[c\\](d) \\<e\\>"


def test_markdown_in_chinese(zh_client, corpus):
    md = zh_client.get(f"/handout.md?items={A11}").get_data(as_text=True)
    assert md.startswith("# 社会救助：条文与指南")
    assert "## 1. 第十一条" in md and "第二章 最低生活保障" in md


def test_handout_is_capped(client):
    ids = ",".join(f"social-assistance-measures/art-{n}" for n in range(1, 61))
    text = body(client.get(f"/handout?items={ids}"))
    assert text.count('class="handout-item ') == MAX_HANDOUT_ITEMS
    assert f"at most {MAX_HANDOUT_ITEMS} items" in text


@pytest.mark.parametrize("raw, expected", [
    ([""], []),
    ([f"{A11}, {A60} ,{A11}"], [A11, A60]),
    ([A11, f"{A60},"], [A11, A60]),
])
def test_parse_items(raw, expected):
    assert parse_items(raw) == expected


def test_results_and_guides_offer_add_to_handout(client):
    html = client.get("/search?q=dibao").get_data(as_text=True)
    assert 'data-handout-add="social-assistance-measures/' in html
    assert 'data-handout-add="guides/' in html
    assert f'data-handout-add="{GUIDE}"' in client.get("/guides/minimum-living-security").get_data(as_text=True)


def test_intro_notes_and_questions_are_kept_escaped_and_follow_reordering(client):
    q = ("/handout?items=" + f"{A11},{A60}" + "&title=低保培训&intro=第一行%0A<script>x</script>"
         "&questions=谁来审批？%0A多久公示？" + f"&note.{A11}=重点讲公示")
    r = client.get(q)
    html = r.get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    text = unescape(html)
    assert "重点讲公示" in text and "讨论题" not in text or "Discussion questions" in text
    assert re.search(r"<li>谁来审批？</li>\s*<li>多久公示？</li>", text)
    # moving an item keeps the note, the intro and the questions in the link
    move = re.search(r'href="(/handout\?[^"]+)" data-handout-set="%s,%s"' % (A60, A11), html)
    assert move
    moved = body(client.get(unescape(move.group(1))))
    assert "重点讲公示" in moved and "多久公示？" in moved and "第一行" in moved
    printed = body(client.get(q.replace("/handout?", "/handout/print?")))
    assert "重点讲公示" in printed and "谁来审批？" in printed
    header = printed.split('<header class="handout-header">', 1)[1].split("</header>")[0]
    assert "低保培训" in header and "/handout" not in header and "http" not in header  # no raw URL
    md = client.get(q.replace("/handout?", "/handout.md?")).get_data(as_text=True)
    assert "重点讲公示" in md and "1. 谁来审批？" in md and "\\<script\\>" in md


def test_download_is_named_after_the_title(client):
    r = client.get(f"/handout.md?items={A11}&title=低保培训：第1讲/入门")
    cd = r.headers["Content-Disposition"]
    assert cd.startswith('attachment; filename="policykb-handout.md"; filename*=UTF-8\'\'')
    from urllib.parse import unquote
    assert unquote(cd.split("''", 1)[1]) == "低保培训：第1讲-入门.md"
    r = client.get(f"/handout.md?items={A11}&title=Dibao%20training%20%22one%22")
    assert 'filename="Dibao-training-one.md"' in r.headers["Content-Disposition"]


def test_order_as_in_the_documents(client, corpus):
    html = client.get(f"/handout?items={A60},{P3},{A11}").get_data(as_text=True)
    link = re.search(r'data-handout-set="([^"]+)" data-handout-order-document', html)
    in_corpus = [uid for uid in corpus.units if uid in (A60, P3, A11)]
    assert link and link.group(1).split(",") == in_corpus
    assert in_corpus.index(A11) < in_corpus.index(A60)


def test_adding_works_without_javascript(client):
    html = client.get(f"/units/{A11}").get_data(as_text=True)
    assert re.search(r'class="btn btn-small btn-secondary no-js-only" href="/handout\?items=%s"' % re.escape(A11), html)
