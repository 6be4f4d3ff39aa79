"""The eligibility check in real Chromium: both languages, desktop and phone, JavaScript on and off.

Two people walk it: the elderly person living alone and the low-income
household with a disabled member. Every step is a POST (the address stays
/check); with JavaScript the browser's Back button goes back a question
without a resubmission warning, without it the page's own Back button does.
Screenshots go to tests/artifacts/ (ignored by git).
"""
from __future__ import annotations

import pytest

from .test_browser import VIEWPORTS, axe_violations, no_sideways_scroll, shot

pytestmark = pytest.mark.browser

ELDERLY_ALONE = {"receives_dibao": "no", "household_size": "1", "monthly_income": "0", "local_standard": "900",
                 "property_ok": "yes", "age": "72",
                 "your_situation": ["cannot_work", "no_livelihood", "no_able_supporter"], "circumstances": []}
LOW_INCOME_DISABLED = {"receives_dibao": "no", "household_size": "4", "monthly_income": "2000",
                       "local_standard": "800", "property_ok": "yes", "age": "45", "disabled": "no",
                       "circumstances": ["student_compulsory", "unemployed_member", "housing_difficulty"]}
PEOPLE = {"elderly-alone": (ELDERLY_ALONE, "extremely_poor_support"),
          "low-income-disabled": (LOW_INCOME_DISABLED, "employment_assistance")}


@pytest.fixture(params=[(d, lang, js) for d in VIEWPORTS for lang in ("zh", "en") for js in (True, False)],
                ids=lambda p: f"{p[0]}-{p[1]}-{'js' if p[2] else 'nojs'}")
def check_page(request, browser, live_server):
    device, lang, js = request.param
    context = browser.new_context(base_url=live_server.url, locale="zh-CN" if lang == "zh" else "en-GB",
                                  java_script_enabled=js, **VIEWPORTS[device])
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.device = f"{device}-{lang}-{'js' if js else 'nojs'}"
    page.js, page.lang = js, lang
    yield page
    context.close()
    assert not problems, problems


def on_screen(page) -> str | None:
    form = page.locator("form.check-form")
    return form.get_attribute("data-check-step") if form.count() else None


def answer(page, plan: dict) -> str | None:
    """Answer the question on screen as a person would and submit; None at the result."""
    qid = on_screen(page)
    if qid is None:
        return None
    value = plan[qid]
    if isinstance(value, list):
        for option in value:
            page.locator(f'label.choice:has(input[value="{option}"])').click()
    elif page.locator("input.number-input").count():
        page.locator("input.number-input").fill(value)
    else:
        page.locator(f'label.choice:has(input[value="{value}"])').click()
    submit(page, "form.check-form button[data-next]")
    return qid


def submit(page, selector: str) -> None:
    before = page.locator("[data-check-page]").first.inner_html() if page.js else None
    if page.js:  # the page updates in place
        page.locator(selector).click()
        page.wait_for_function("before => { const p = document.querySelector('[data-check-page]');"
                               " return p && p.innerHTML !== before; }", arg=before)
    else:
        with page.expect_navigation():
            page.locator(selector).click()


@pytest.mark.parametrize("person", list(PEOPLE))
def test_walk_the_check(check_page, person):
    page = check_page
    plan, expected = PEOPLE[person]
    page.goto("/check")
    assert page.locator("h1").first.inner_text() == ("看看您可能获得哪些救助" if page.lang == "zh"
                                                      else "Check what help you may get")
    if person == "elderly-alone":
        shot(page, "check-start")
    asked = []
    while (qid := answer(page, plan)) is not None:
        asked.append(qid)
        assert page.url.endswith("/check"), page.url  # answers never in the address
        if qid == "household_size" and person == "elderly-alone":
            shot(page, "check-step")
            no_sideways_scroll(page)
        assert len(asked) <= 12
    finding = page.locator(f"#{expected}")
    assert finding.get_attribute("data-status") == "likely"
    assert ("下一步怎么做" if page.lang == "zh" else "What to do next") in finding.inner_text()
    if person == "elderly-alone":
        assert page.locator('#extremely_poor_support [data-assumption="elderly_age"]').is_visible()
    no_sideways_scroll(page)
    shot(page, f"check-result-{person}")
    shot(page, f"check-result-top-{person}", full_page=False)  # what a person sees first
    finding.locator("h4").nth(1).scroll_into_view_if_needed()
    shot(page, f"check-result-steps-{person}", full_page=False)
    if page.js:  # axe-core needs JavaScript; the result page, reached by POST, is checked here
        assert not axe_violations(page)


def test_back_goes_back_a_question_without_a_resubmission_warning(check_page):
    page = check_page
    page.goto("/check")
    answer(page, ELDERLY_ALONE)
    answer(page, ELDERLY_ALONE)
    assert on_screen(page) == "monthly_income"
    if page.js:  # the browser's own Back button
        page.go_back()
        page.wait_for_function("() => document.querySelector('form.check-form')"
                               ".getAttribute('data-check-step') === 'household_size'")
        assert page.locator('input[name="household_size"]').count() == 1
        page.go_back()
        page.wait_for_function("() => document.querySelector('form.check-form')"
                               ".getAttribute('data-check-step') === 'receives_dibao'")
        page.go_forward()
        page.wait_for_function("() => document.querySelector('form.check-form')"
                               ".getAttribute('data-check-step') === 'household_size'")
    else:  # the page's Back button, a POST carrying the answers
        submit(page, "button[data-check-back]")
        assert on_screen(page) == "household_size"
        assert page.locator("input.number-input").input_value() == "1"
        shot(page, "check-back")


def test_the_adviser_view_fills_one_page(check_page):
    page = check_page
    page.goto("/check/adviser")
    assert page.locator("fieldset.question").count() == 11
    shot(page, "check-adviser")
    no_sideways_scroll(page)
    for qid, value in ELDERLY_ALONE.items():
        box = page.locator(f'fieldset[data-question="{qid}"]')
        for option in value if isinstance(value, list) else [value]:
            if box.locator("input.number-input").count():
                box.locator("input.number-input").fill(option)
            else:
                box.locator(f'label.choice:has(input[value="{option}"])').click()
    with page.expect_navigation():
        page.locator("button[data-adviser-submit]").click()
    assert page.url.endswith("/check")
    assert page.locator("#extremely_poor_support").get_attribute("data-status") == "likely"
