"""The interface in English and Chinese: complete strings, a switch that persists."""
from __future__ import annotations

import re
import string
from html import unescape
from pathlib import Path

import pytest

from webapp import i18n

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
PAGES = ["/", "/search?q=dibao", "/search?q=zxqv+blorp", "/browse", "/documents/social-assistance-measures",
         "/documents/poverty-alleviation-plan", "/pathways", "/guides", "/guides/minimum-living-security",
         "/glossary", "/units/social-assistance-measures/art-11", "/units/poverty-alleviation-plan/pathway-7",
         "/handout", "/handout?items=social-assistance-measures/art-11,guides/disaster-relief",
         "/handout/print?items=social-assistance-measures/art-11", "/no-such-page",
         "/check", "/check?receives_dibao=no", "/check?receives_dibao=no&change=receives_dibao",
         "/check/result?receives_dibao=yes"]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_both_languages_with_the_same_placeholders():
    for key, values in i18n.STRINGS.items():
        assert set(values) == {"en", "zh"}, key
        assert values["en"].strip() and values["zh"].strip(), key
        if key != "unit.chapter":  # Chinese uses Chinese numerals ({cn}) where English uses {n}
            assert fields(values["en"]) == fields(values["zh"]), key


def test_every_example_group_has_questions_in_both_languages():
    for group, by_lang in i18n.EXAMPLES.items():
        assert len(by_lang["en"]) >= 2 and len(by_lang["zh"]) >= 2, group
        assert all(re.search(r"[\u4e00-\u9fff]", q) for q in by_lang["zh"])


def test_every_key_a_template_uses_exists():
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""_\('([a-z0-9_.]+)'(?! ~)""", path.read_text(encoding="utf-8")))
    # keys the templates build from a prefix
    used |= {f"mode.{m}" for m in ("hybrid", "keyword", "semantic")}
    used |= {f"handout.texts_{t}" for t in ("both", "zh", "en")}
    assert used, "no keys found: the pattern is wrong"
    missing = sorted(k for k in used if k not in i18n.STRINGS)
    assert not missing


@pytest.mark.parametrize("path", PAGES)
def test_every_page_reads_in_both_languages(client, zh_client, path):
    en = client.get(path)
    zh = zh_client.get(path)
    assert en.status_code == zh.status_code and en.status_code in (200, 404), path
    en_html, zh_html = en.get_data(as_text=True), zh.get_data(as_text=True)
    assert '<html lang="en"' in en_html
    assert '<html lang="zh-Hans"' in zh_html
    # The interface is translated: no key leaks through, and the frame reads in the language.
    for html in (en_html, zh_html):
        assert not re.search(r">\s*[a-z]+\.[a-z_0-9]+\s*<", html), path
    if "print" not in path:
        assert "Browse" in en_html and "浏览" in zh_html
        assert "Browse</a>" not in zh_html


def test_language_switch_sets_a_cookie_and_returns_to_the_page(client):
    r = client.get("/lang/zh?next=/units/social-assistance-measures/art-11")
    assert r.status_code == 302
    assert r.headers["Location"] == "/units/social-assistance-measures/art-11"
    cookie = r.headers["Set-Cookie"]
    assert "lang=zh" in cookie and "Max-Age=" in cookie and "SameSite=Lax" in cookie
    page = client.get("/units/social-assistance-measures/art-11")
    assert '<html lang="zh-Hans"' in page.get_data(as_text=True)
    assert "引用格式" in unescape(page.get_data(as_text=True))
    client.get("/lang/en?next=/")
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_language_links_keep_the_page_and_its_query(client):
    html = unescape(client.get("/search?q=dibao&lang=en").get_data(as_text=True))
    link = re.search(r'href="(/lang/zh\?[^"]+)"', html).group(1)
    r = client.get(link)
    assert r.headers["Location"] == "/search?q=dibao"


def test_lang_query_parameter_works_and_persists(client):
    r = client.get("/?lang=zh")
    assert '<html lang="zh-Hans"' in r.get_data(as_text=True)
    assert "lang=zh" in r.headers["Set-Cookie"]
    assert '<html lang="zh-Hans"' in client.get("/browse").get_data(as_text=True)


def test_accept_language_chooses_the_first_visit_language(client):
    html = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="zh-Hans"' in html
    html = client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="en"' in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "evil"])
def test_language_switch_never_redirects_off_site(client, target):
    r = client.get("/lang/zh", query_string={"next": target})
    assert r.status_code == 302
    assert r.headers["Location"] == "/"


def test_unknown_language_is_a_404(client):
    assert client.get("/lang/fr").status_code == 404


def test_chinese_interface_uses_chinese_citations_and_chapter_numerals(zh_client):
    body = unescape(zh_client.get("/units/social-assistance-measures/art-11").get_data(as_text=True))
    assert "第十一条" in body
    assert "第二章 最低生活保障" in body
    assert "非官方译文" in body and "官方文本" in body


def test_chinese_home_shows_chinese_examples(zh_client):
    body = unescape(zh_client.get("/").get_data(as_text=True))
    for question in i18n.EXAMPLES["residents"]["zh"]:
        assert question in body
    assert "居民" in body and "社会工作者" in body and "培训讲师" in body


def test_chinese_results_page(zh_client):
    body = unescape(zh_client.get("/search", query_string={"q": "低保怎么申请"}).get_data(as_text=True))
    assert "这对您意味着什么" in body
    assert "《社会救助暂行办法》第十一条" in body
    assert "同时搜索了" in body


def test_translate_falls_back_and_fills_placeholders():
    assert i18n.translate("results.count", "zh", n=3) == "共3条，最相关的在前。"
    assert i18n.translate("no.such.key", "zh") == "no.such.key"
    assert i18n.normalise_lang("zh-CN") == "zh" and i18n.normalise_lang("EN") == "en"
    assert i18n.normalise_lang("fr") is None
