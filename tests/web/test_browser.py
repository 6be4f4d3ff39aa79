"""The site in real Chromium (Playwright, Debian's /usr/bin/chromium) on waitress.

Desktop (1280x900) and phone (390x844): ask a question, see cited results,
open an article, copy its citation, switch language, build a two-unit handout
and open its print view (the eligibility check: test_check_browser.py). Screenshots of the main pages go to tests/artifacts/ (ignored
by git) for people to look at.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
A11 = "social-assistance-measures/art-11"
A60 = "social-assistance-measures/art-60"
A11_EN = "Interim Measures for Social Assistance (State Council Decree No. 649, rev. 2019), Art. 11"
A11_ZH = "《社会救助暂行办法》第十一条"


@pytest.fixture(params=list(VIEWPORTS))
def device(request):
    return request.param


@pytest.fixture
def page(browser, live_server, device):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **VIEWPORTS[device])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    problems: list[str] = []
    # Console errors include Content-Security-Policy violations. A failed load is
    # reported with its address by the response listener (a 404 page is expected
    # in one test, so documents are left out).
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: problems.append(f"{r.status} for {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.device = device
    yield page
    context.close()
    assert not problems, problems


def shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.device}.png"), full_page=full_page)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide on a {page.viewport_size['width']}px screen"


def test_ask_a_question_and_see_cited_results(page):
    page.goto("/")
    assert page.locator("input[name=q]").count() == 1
    shot(page, "home")
    no_sideways_scroll(page)
    page.fill("#q", "How do I apply for dibao?")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("li.hit")
    assert hits.count() >= 3
    art11 = page.locator(f'li.hit[data-unit="{A11}"]')
    assert art11.count() == 1
    assert A11_EN in art11.inner_text() and A11_ZH in art11.inner_text()
    assert page.locator("li.hit mark").first.is_visible()
    guides = page.locator("section.guide-hits")
    assert guides.is_visible() and "What this means for you" in guides.inner_text()
    assert page.locator("[data-expansions]").is_visible()
    # guides come before the articles
    assert guides.bounding_box()["y"] < page.locator("section.unit-hits").bounding_box()["y"]
    shot(page, "results")
    no_sideways_scroll(page)


def test_the_more_search_terms_open_and_wrap_on_the_screen(page):
    """Opening "N more" shows every term, wrapped: none off the screen."""
    page.goto("/search?q=有人骗低保怎么举报&lang=zh")
    more = page.locator(".more-terms")
    more.locator("summary").click()
    terms = more.locator(".term")
    assert terms.count() >= 4
    width = page.viewport_size["width"]
    for i in range(terms.count()):
        box = terms.nth(i).bounding_box()
        assert box and box["x"] + box["width"] <= width, f"term {i} ends at {box and box['x'] + box['width']}px"
    no_sideways_scroll(page)
    shot(page, "more-terms-open", full_page=False)


def test_a_question_nothing_answers_says_so(page):
    page.goto("/search?q=" + "what is the weather on mars")
    notice = page.locator("[data-low-confidence]")
    assert notice.is_visible()
    assert "No article clearly answers" in notice.inner_text()
    assert page.locator("section.guide-hits").count() == 0
    assert page.locator(".where-to-ask a[href='/units/social-assistance-measures/art-60']").is_visible()
    shot(page, "results-low-confidence")


def test_open_an_article_and_copy_its_citation(page):
    page.goto("/search?q=How+do+I+apply+for+dibao%3F")
    page.locator(f'li.hit[data-unit="{A11}"] h3 a').click()
    page.wait_for_url(f"**/units/{A11}")
    assert "Art. 11" in page.locator("h1").inner_text()
    zh, en = page.locator("section.text-zh"), page.locator("section.text-en")
    assert zh.is_visible() and en.is_visible()
    assert "unofficial" in page.locator("section.text-en .badge").inner_text().lower()
    zb, eb = zh.bounding_box(), en.bounding_box()
    if page.device == "desktop":
        assert abs(zb["y"] - eb["y"]) < 2 and zb["x"] != eb["x"], "texts should be side by side"
    else:
        assert abs(zb["x"] - eb["x"]) < 2, "texts should be stacked on a phone"
    shot(page, "unit")
    no_sideways_scroll(page)

    button = page.locator(f'.cite-box button[data-copy="{A11_EN}"]')
    assert button.is_visible()
    button.click()
    page.wait_for_selector(".cite-box button.copied")  # the button says "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == A11_EN
    page.locator(f'.cite-box button[data-copy="{A11_ZH}"]').click()
    page.wait_for_selector(f'.cite-box button.copied[data-copy="{A11_ZH}"]')
    assert page.evaluate("navigator.clipboard.readText()") == A11_ZH

    page.locator("a[rel=next]").click()
    page.wait_for_url("**/units/social-assistance-measures/art-12")


def test_switch_language_and_it_persists(page):
    page.goto(f"/units/{A11}")
    page.locator("[data-lang-switch=zh]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/units/{A11}")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "第十一条" in page.locator("h1").inner_text()
    assert "浏览" in page.locator("nav.main-nav").inner_text()
    shot(page, "unit-zh")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "怎么申请低保？" in page.content()
    shot(page, "home-zh")
    page.goto("/search?q=" + "低保怎么申请")
    assert "这对您意味着什么" in page.inner_text("main")
    shot(page, "results-zh")
    no_sideways_scroll(page)
    page.locator("[data-lang-switch=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "search" in page.url


def test_build_a_handout_and_open_its_print_view(page):
    page.goto(f"/units/{A11}")
    add = page.locator(f'.cite-box [data-handout-add="{A11}"]')
    add.click()
    assert add.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-handout-count]").inner_text() == "1"
    page.goto(f"/units/{A60}")
    page.locator(f'.cite-box [data-handout-add="{A60}"]').click()
    assert page.locator("[data-handout-count]").inner_text() == "2"
    page.locator("a[data-handout-link]").click()
    page.wait_for_url(re.compile(r"/handout\?items="))
    assert f"items={A11},{A60}" in page.url
    items = page.locator("article.handout-item")
    assert items.count() == 2
    assert items.nth(0).get_attribute("data-item") == A11
    assert items.nth(1).get_attribute("data-item") == A60
    assert A11_EN in items.nth(0).inner_text() and A11_ZH in items.nth(0).inner_text()
    shot(page, "handout")
    no_sideways_scroll(page)

    # reorder: the list in the URL and in the browser follow
    items.nth(1).locator("a", has_text="Move up").click()
    page.wait_for_url(re.compile(rf"items={re.escape(A60)},{re.escape(A11)}"))
    assert page.evaluate("JSON.parse(localStorage.getItem('policykb.handout'))") == [A60, A11]

    page.locator("a[data-handout-print]").click()
    page.wait_for_url(re.compile(r"/handout/print\?"))
    assert page.locator("article.handout-item").count() == 2
    assert page.locator(".site-header").count() == 0
    shot(page, "handout-print-screen")
    page.emulate_media(media="print")
    assert not page.locator(".print-toolbar").is_visible()
    shot(page, "handout-print")

    # the handout page itself prints without the site's frame
    page.goto(f"/handout?items={A11},{A60}")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".handout-tools").is_visible()
    assert page.locator("article.handout-item").first.is_visible()
    page.emulate_media(media="screen")


def test_the_browser_keeps_the_handout(page):
    page.goto("/guides/minimum-living-security")
    page.locator('[data-handout-add="guides/minimum-living-security"]').first.click()
    page.goto("/handout")  # no list in the URL: the browser's list is opened
    page.wait_for_url(re.compile(r"/handout\?items=guides/minimum-living-security"))
    assert page.locator("article.handout-guide").count() == 1
    # a shared link replaces it, and the previous one can be brought back
    page.goto(f"/handout?items={A60}")
    assert page.locator("[data-handout-replaced]").is_visible()
    page.locator("[data-handout-restore]").click()
    page.wait_for_url(re.compile(r"items=guides/minimum-living-security"))


@pytest.mark.parametrize("path, name", [
    ("/documents/social-assistance-measures", "document"),
    ("/documents/poverty-alleviation-plan", "document-plan"),
    ("/pathways", "pathways"),
    ("/guides", "guides"),
    ("/guides/minimum-living-security", "guide"),
    ("/glossary", "glossary"),
    ("/units/poverty-alleviation-plan/pathway-7", "pathway"),
    ("/no-such-page", "not-found"),
])
def test_main_pages_render_and_fit_the_screen(page, path, name):
    response = page.goto(path)
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator("h1").first.is_visible()
    no_sideways_scroll(page)
    shot(page, name)


# The eligibility check: tests/web/test_check_browser.py


# Accessibility: axe-core on every page type ------------------------------------------

CHECK_RESULT = ("/check/result?receives_dibao=yes&receives_extremely_poor_support=no&age=12&disabled=no"
                "&able_to_work=no&has_income_source=no&has_legal_supporter_able_to_support=no"
                "&sudden_accident_or_illness=yes")
PAGE_TYPES = {
    "home": "/", "results-zh": "/search?q=低保怎么申请&lang=zh", "results-en": "/search?q=How+do+I+apply+for+dibao%3F&lang=en",
    "unit": f"/units/{A11}", "unit-zh": f"/units/social-assistance-measures/art-16?lang=zh",
    "document": "/documents/social-assistance-measures", "browse": "/browse", "pathways": "/pathways",
    "guide": "/guides/minimum-living-security", "guides": "/guides", "glossary": "/glossary?lang=zh",
    "handout": f"/handout?items={A11},{A60}", "handout-print": f"/handout/print?items={A11},{A60}",
    "check-step": "/check", "check-result": CHECK_RESULT, "error": "/no-such-page",
}


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each (rule, impact, first places)."""
    if not AXE.exists():
        pytest.fail(f"the accessibility checks need axe-core at {AXE}: run scripts/install-browser.sh "
                    "(npm ci --prefix tests/web/node)")
    # evaluated, not added as a <script>: the site's Content-Security-Policy refuses inline scripts
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    return result


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_has_no_axe_violations(page, name):
    page.goto(PAGE_TYPES[name])
    assert page.locator("h1").first.is_visible()
    assert axe_violations(page) == [], f"{name} ({PAGE_TYPES[name]})"


def test_axe_finds_a_violation_when_there_is_one(page):
    """The check can fail: an image without a text alternative is reported."""
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.ico\">')")
    assert any(v.startswith("image-alt") for v in axe_violations(page))


# Three people, in Chinese (issue 11) --------------------------------------------------

@pytest.fixture
def zh_page(browser, live_server, device):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **VIEWPORTS[device])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.device = device
    yield page
    context.close()
    assert not errors, errors


def no_english_words(text: str, allowed=("policykb", "English", "Markdown")) -> None:
    for word in allowed:
        text = text.replace(word, "")
    found = re.findall(r"\b[A-Za-z]{4,}\b", text)
    assert not found, f"English on a Chinese page: {found[:10]}"


def test_a_chinese_resident_asks_reads_the_answer_and_opens_the_article(zh_page):
    page = zh_page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.fill("#q", "低保怎么申请")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    answer = page.locator("section.answer")
    assert answer.is_visible()
    assert answer.bounding_box()["y"] < page.locator("section.unit-hits").bounding_box()["y"]
    assert "编辑整理" in answer.inner_text()
    no_english_words(answer.inner_text())
    no_english_words(page.locator("h1").inner_text() + page.title())
    shot(page, "resident-answer-zh")
    no_sideways_scroll(page)
    read = answer.locator("[data-answer-read]")
    target = read.get_attribute("href")
    read.click()
    page.wait_for_url(f"**{target}")
    assert "第" in page.locator("h1").inner_text()
    assert page.locator("section.text-zh").bounding_box()["y"] <= page.locator("section.text-en").bounding_box()["y"]
    shot(page, "resident-article-zh")
    no_sideways_scroll(page)


def test_a_chinese_social_worker_copies_the_chinese_citation_and_follows_references(zh_page):
    page = zh_page
    page.goto("/search?q=" + "特困人员怎么申请")
    hit = page.locator("li.hit").first
    hit.locator("h3 a").click()
    page.wait_for_load_state()
    first_copy = page.locator(".cite-box button[data-copy]").first
    zh_citation = first_copy.get_attribute("data-copy")
    assert zh_citation.startswith("《社会救助暂行办法》"), zh_citation
    first_copy.click()
    page.wait_for_selector(".cite-box button.copied")
    assert page.evaluate("navigator.clipboard.readText()") == zh_citation
    assert page.locator("[data-refers-to]").is_visible() and "本条引用" in page.locator("[data-refers-to]").inner_text()
    assert page.locator("[data-referred-by]").is_visible()
    shot(page, "worker-unit-zh")
    no_sideways_scroll(page)
    page.goto("/units/social-assistance-measures/art-16")
    refs = page.locator("[data-refers-to] a[data-ref-unit], section.text-zh a.ref")
    if refs.count():  # the corpus lists Art. 16's reference to Art. 11
        refs.first.click()
        page.wait_for_url("**/units/social-assistance-measures/art-*")
    else:
        pytest.fail("Art. 16 says 适用本办法第十一条规定 but its page links to no article it refers to: "
                    "the corpus needs Unit.refers_to")


def test_a_trainer_builds_a_handout_from_a_chapter_with_notes_questions_and_prints(zh_page):
    page = zh_page
    page.goto("/documents/social-assistance-measures")
    page.locator("a[data-make-handout]").nth(1).click()  # chapter 2: minimum living security
    page.wait_for_url(re.compile(r"/handout\?items="))
    items = page.locator("article.handout-item")
    n = items.count()
    assert n >= 3
    first_id = items.nth(0).get_attribute("data-item")
    page.fill("input[name=title]", "低保政策培训：申请与审批")
    page.fill("textarea[name=intro]", "本讲义供乡镇社会救助经办人员培训使用。")
    page.fill("textarea[name=questions]", "低保由谁审批？\n家庭收入怎么核查？")
    page.locator("article.handout-item").nth(0).locator("textarea").fill("先讲低保的对象。")
    with page.expect_navigation():
        page.locator("[data-handout-save]").click()
    assert "先讲低保的对象。" in page.locator("article.handout-item").nth(0).inner_text()
    assert "家庭收入怎么核查？" in page.locator("[data-handout-questions]").inner_text()
    # reorder by hand: the first item moves down and keeps its note
    page.locator("article.handout-item").nth(0).locator("a", has_text="下移").click()
    page.wait_for_load_state()
    assert page.locator("article.handout-item").nth(1).get_attribute("data-item") == first_id
    assert "先讲低保的对象。" in page.locator("article.handout-item").nth(1).inner_text()
    shot(page, "trainer-handout-zh")
    no_sideways_scroll(page)
    page.locator("a[data-handout-print]").click()
    page.wait_for_url(re.compile(r"/handout/print\?"))
    header = page.locator(".handout-header").inner_text()
    assert "低保政策培训" in header and "http" not in header
    assert page.locator("article.handout-item").count() == n
    page.emulate_media(media="print")
    assert not page.locator(".print-toolbar").is_visible()
    shot(page, "trainer-print-zh")
    no_sideways_scroll(page)
