"""Abuse findings of issue 14: the Host header, CR/LF in redirects, Markdown titles, caching of questions."""
from __future__ import annotations

import re

import pytest

UNIT = "/units/social-assistance-measures/art-11"
HANDOUT = "/handout?items=social-assistance-measures/art-11"
HANDOUT_MD = "/handout.md?items=social-assistance-measures/art-11"
GUIDE = "/guides/minimum-living-security"
HTML_ROUTES = ["/", UNIT, GUIDE, HANDOUT, HANDOUT_MD, "/handout/print?items=social-assistance-measures/art-11",
               "/search?q=dibao", "/glossary", "/no-such-page", "/api/search?q=dibao", "/healthz"]
BAD_HOSTS = ["x" * 5000, "bad host", "a\x00b", "[::1", "évil.example", "a/b", "a\r\nb", "%", "evil.example:abc"]


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("path", HTML_ROUTES)
def test_a_malformed_host_header_is_a_400_never_a_500(client, host, path):
    r = client.get(path, environ_overrides={"HTTP_HOST": host})
    assert r.status_code == 400, (r.status_code, r.get_data(as_text=True)[:200])
    assert "Traceback" not in r.get_data(as_text=True)
    assert r.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", [UNIT, GUIDE, HANDOUT, HANDOUT_MD])
def test_an_untrusted_host_never_reaches_a_link(client, path):
    r = client.get(path, environ_overrides={"HTTP_HOST": "evil.example"})
    assert r.status_code == 200
    assert "evil.example" not in r.get_data(as_text=True)


def test_a_trusted_host_or_a_configured_base_url_makes_absolute_links(app, monkeypatch):
    client = app.test_client()
    assert "http://localhost/units/social-assistance-measures/art-11" in client.get(UNIT).get_data(as_text=True)
    monkeypatch.setenv("POLICYKB_TRUSTED_HOSTS", "kb.example.org")
    page = client.get(UNIT, environ_overrides={"HTTP_HOST": "kb.example.org"}).get_data(as_text=True)
    assert "http://kb.example.org/units/social-assistance-measures/art-11" in page
    app.config["POLICYKB_BASE_URL"] = "https://policykb.example.org/"
    md = client.get(HANDOUT_MD, environ_overrides={"HTTP_HOST": "evil.example"}).get_data(as_text=True)
    assert "<https://policykb.example.org/units/social-assistance-measures/art-11>" in md
    assert "evil.example" not in md


@pytest.mark.parametrize("nxt", ["/a\r\nSet-Cookie: x=1", "/a\nb", "/a\rb", "/\x00", "/a\x7f"])
def test_control_characters_in_next_never_split_the_redirect(client, nxt):
    r = client.get("/lang/zh", query_string={"next": nxt})
    assert r.status_code == 302
    assert r.headers["Location"] == "/"
    assert "x=1" not in str(r.headers)


@pytest.mark.parametrize("title", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "[x](javascript:1)",
                                   "*bold* _em_ `code` # heading"])
def test_the_markdown_handout_escapes_its_title(client, title):
    md = client.get("/handout.md", query_string={"items": "social-assistance-measures/art-11", "title": title}).get_data(as_text=True)
    first = md.splitlines()[0]
    assert first.startswith("# ")
    assert not re.search(r"(?<!\\)<(img|script)", md), "raw HTML in the Markdown"
    # Every character that Markdown would read as markup is backslash-escaped.
    for ch in "<>[]*_`#":
        if ch in title:
            assert "\\" + ch in first, (ch, first)


@pytest.mark.parametrize("path", ["/search?q=dibao", "/api/search?q=dibao", "/search?q="])
def test_question_urls_are_never_cached(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_pages_without_a_question_stay_cacheable(client):
    assert "no-store" not in client.get("/static/site.css").headers.get("Cache-Control", "")
