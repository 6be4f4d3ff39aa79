"""The eligibility check pages and /api/check, with the Flask test client.

The questionnaire is driven here as a browser without JavaScript drives it:
read the step's GET form (its hidden fields and the question's inputs), fill
in one answer, submit, follow the redirect. Nothing else carries state.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import eligibility as el

PREFIX = "/units/"
LOCAL = [10, 15, 29, 35, 39, 49]


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def plain(response) -> str:
    """The page's main text, tags removed, spaces collapsed."""
    html = response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


class StepForm(HTMLParser):
    """The check's step form as a browser sees it."""

    def __init__(self, html: str):
        super().__init__()
        self.action = None
        self.method = None
        self.hidden: list[tuple[str, str]] = []
        self.radios: dict[str, list[str]] = {}
        self.number: str | None = None
        self.buttons: list[tuple[str | None, str | None]] = []
        self.checked: dict[str, str] = {}
        self.step = None
        self._in = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "data-check-step" in a:
            self._in, self.action, self.method, self.step = True, a["action"], a["method"], a["data-check-step"]
        if not self._in:
            return
        if tag == "input" and a.get("type") == "hidden":
            self.hidden.append((a["name"], a["value"]))
        elif tag == "input" and a.get("type") == "radio":
            self.radios.setdefault(a["name"], []).append(a["value"])
            if "checked" in a:
                self.checked[a["name"]] = a["value"]
        elif tag == "input" and a.get("type") == "number":
            self.number = a["name"]
        elif tag == "button":
            self.buttons.append((a.get("name"), a.get("value")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in = False

    def submit(self, answer: str | None) -> str:
        """The address the browser goes to with `answer` (None: press "I don't know" / choose it)."""
        fields = list(self.hidden)
        if self.number:
            fields.append((self.number, "" if answer is None else answer))
            if answer is None:
                fields += [(n, v) for n, v in self.buttons if n == "unknown"]
        elif answer is not None:
            fields.append((self.step, answer))
        elif self.radios:
            fields.append((self.step, "unknown"))
        return f"{self.action}?{urlencode(fields)}"


def follow(client, url: str, limit: int = 5):
    for _ in range(limit):
        r = client.get(url)
        if r.status_code not in (301, 302, 303):
            return r, url
        url = r.headers["Location"]
    raise AssertionError(f"too many redirects from {url}")


def walk(client, plan: dict[str, str], default: str | None = None):
    """Answer the questionnaire from /check: plan[qid], else `default` (None: "I don't know"; a yes/no
    default gives 40 to the age and the first choice to a choice question).

    Returns (asked question ids, final response, final URL).
    """
    r, url = follow(client, "/check")
    asked = []
    while True:
        assert r.status_code == 200, (url, r.status_code)
        form = StepForm(r.get_data(as_text=True))
        if form.step is None:
            return asked, r, url
        assert form.method == "get" and form.action == "/check"
        # The step asks exactly what the rules say still matters.
        answers = dict(parse_qsl(urlsplit(url).query))
        expected = el.next_question(answers)
        assert expected is not None and form.step == expected.id, (answers, form.step)
        asked.append(form.step)
        answer = plan.get(form.step, default)
        if form.step not in plan and answer is not None and expected.kind != el.YESNO:
            answer = "40" if expected.kind == el.NUMBER else expected.choices[0].value
        r, url = follow(client, form.submit(answer))


def expected_next(answers: dict[str, str]) -> el.Question | None:
    """What the rules ask next once the answers that no longer matter are dropped (in question order)."""
    typed, kept = el.parse_answers(answers), {}
    for q in el.QUESTIONS:
        if q.id in typed and el.is_relevant(q.id, kept):
            kept[q.id] = typed[q.id]
    return el.next_question(kept)


def answers_in(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def links(response) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', response.get_data(as_text=True))]


def finding_html(response, rule_id: str) -> str:
    html = response.get_data(as_text=True)
    m = re.search(rf'<article class="finding[^"]*" id="{rule_id}"[^>]*>(.*?)</article>', html, re.S)
    assert m, rule_id
    return m.group(1)


def status_of(response, rule_id: str) -> str:
    html = response.get_data(as_text=True)
    return re.search(rf'id="{rule_id}" data-finding="{rule_id}" data-status="(\w+)"', html).group(1)


# Getting there ------------------------------------------------------------------

def test_home_and_nav_link_to_the_check(client, zh_client):
    r = client.get("/")
    assert "Check what help you may get" in text(r)
    assert re.search(r'<a class="btn btn-primary" href="/check" data-check-start>Start the check</a>', r.get_data(as_text=True))
    nav = re.search(r'<nav class="main-nav".*?</nav>', client.get("/glossary").get_data(as_text=True), re.S).group(0)
    assert 'href="/check"' in nav and "Check help" in nav
    zh = text(zh_client.get("/"))
    assert "看看您可能获得哪些救助" in zh and "救助自查" in zh


def test_start_page_explains_and_asks_the_first_question(client):
    r = client.get("/check")
    assert r.status_code == 200
    body = plain(r)
    assert "Check what help you may get" in body
    assert "I don't know" in body and "Nothing is stored on our server" in body
    assert "county civil affairs department decides" in body
    form = StepForm(r.get_data(as_text=True))
    assert form.step == el.QUESTIONS[0].id
    assert form.method == "get" and form.action == "/check"
    assert form.radios[form.step] == ["yes", "no", "unknown"]
    assert form.hidden == [("asked", form.step)]
    assert el.QUESTIONS[0].text_en in body
    assert 'href="/units/social-assistance-measures/art-9"' in r.get_data(as_text=True)  # why we ask


def test_check_pages_store_nothing_and_leak_nothing(client):
    asked, r, url = walk(client, {"receives_dibao": "yes"}, default="no")
    for path in ("/check", "/check?receives_dibao=no", url, "/check?age=abc&asked=age", "/check?x=1",
                 "/api/check?receives_dibao=yes"):
        resp = client.get(path)
        assert "Set-Cookie" not in resp.headers, path
        assert resp.headers["Cache-Control"] == "no-store", path
        assert resp.headers["Referrer-Policy"] == "no-referrer", path
        assert "Content-Security-Policy" in resp.headers
    assert '<meta name="robots" content="noindex">' in r.get_data(as_text=True)
    assert "<script>" not in r.get_data(as_text=True)  # no inline script, as everywhere


@pytest.mark.parametrize("path", ["/check", "/check?receives_dibao=no&receives_extremely_poor_support=no",
                                  "/check/result?receives_dibao=yes", "/check?receives_dibao=maybe"])
def test_no_inline_script_or_style_on_check_pages(client, path):
    html = client.get(path).get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag, tag
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


# Every step, every answer ---------------------------------------------------------

def _options(q: el.Question) -> list[str | None]:
    if q.kind == el.YESNO:
        return ["yes", "no", None]
    if q.kind == el.NUMBER:
        return ["0", "15", "16", "59", "60", str(q.maximum), None]
    return [c.value for c in q.choices] + [None]


def test_every_question_and_every_answer_leads_to_the_right_next_page(client):
    """Walk with "I don't know" (which keeps every question relevant) to reach each question; at
    each, give every possible answer and check the page that follows."""
    r, url = follow(client, "/check")
    seen = []
    while True:
        form = StepForm(r.get_data(as_text=True))
        if form.step is None:
            break
        q = el.QUESTIONS_BY_ID[form.step]
        seen.append(q.id)
        before = answers_in(url)
        for option in _options(q):
            nxt, nxt_url = follow(client, form.submit(option))
            assert nxt.status_code == 200, (q.id, option)
            expected = expected_next({**before, q.id: "unknown" if option is None else option})
            step = StepForm(nxt.get_data(as_text=True)).step
            if expected is None:
                assert urlsplit(nxt_url).path == "/check/result", (q.id, option)
            else:
                assert step == expected.id, (q.id, option, step, expected.id)
            assert answers_in(nxt_url)[q.id] == ("unknown" if option is None else option)
        r, url = follow(client, form.submit(None))
    assert seen == [q.id for q in el.QUESTIONS], "every question can be reached"
    assert urlsplit(url).path == "/check/result"


# Situations -----------------------------------------------------------------------

UNDER_16 = {"receives_dibao": "no", "income_below_local_standard": "yes", "property_within_local_rules": "yes",
            "receives_extremely_poor_support": "no", "age": "12", "disabled": "no", "able_to_work": "no",
            "has_income_source": "no", "has_legal_supporter_able_to_support": "no",
            "has_children_or_students": "yes", "child_in_compulsory_school": "yes"}


def test_a_child_under_16_with_no_one_to_support_them(client):
    asked, r, url = walk(client, UNDER_16, default="no")
    assert urlsplit(url).path == "/check/result"
    assert status_of(r, "extremely_poor_support") == "likely"
    block = unescape(finding_html(r, "extremely_poor_support"))
    assert "A minor under 16" in block and "you are 12" in block
    assert 'href="/units/social-assistance-measures/art-14"' in block
    assert status_of(r, "education_assistance") == "likely"
    assert "refused_jobs_three_times" not in asked and "unemployed" not in asked  # cannot work: not asked


def test_sixteen_is_not_under_16(client):
    plan = dict(UNDER_16, age="16")
    asked, r, url = walk(client, plan, default="no")
    assert status_of(r, "extremely_poor_support") == "unlikely"
    assert "you are 16: not under 16" in unescape(finding_html(r, "extremely_poor_support"))


def test_a_dibao_family_with_sudden_expenses(client):
    plan = {"receives_dibao": "yes", "receives_extremely_poor_support": "no", "age": "40", "disabled": "no",
            "able_to_work": "yes", "unemployed": "no", "essential_expenses_exceed_capacity": "yes"}
    asked, r, url = walk(client, plan, default="no")
    assert "income_below_local_standard" not in asked  # already receives it: not asked
    assert "essential_expenses_exceed_capacity" in asked
    assert "serious_illness" not in asked
    assert status_of(r, "temporary_assistance") == "likely"
    block = unescape(finding_html(r, "temporary_assistance"))
    assert "necessary living expenses suddenly rose" in block
    assert "Art. 47 names a sudden rise in necessary expenses only for minimum living security families" in block
    for n in (47, 48, 49):
        assert f'href="/units/social-assistance-measures/art-{n}"' in block
    assert "What you may receive" in block and "Where to apply" in block and "Who decides" in block
    assert status_of(r, "minimum_living_security") == "likely"
    assert status_of(r, "medical_assistance") == "likely"


def test_sudden_expenses_are_not_asked_of_a_family_that_cannot_get_dibao(client):
    asked, r, url = walk(client, {"receives_dibao": "no", "income_below_local_standard": "no"}, default="no")
    assert "essential_expenses_exceed_capacity" not in asked
    assert "property_within_local_rules" not in asked
    assert status_of(r, "minimum_living_security") == "unlikely"
    assert "you said it is not below" in unescape(finding_html(r, "minimum_living_security"))


def test_three_refused_jobs_warn_about_the_allowance(client):
    plan = {"receives_dibao": "yes", "receives_extremely_poor_support": "no", "age": "35", "able_to_work": "yes",
            "unemployed": "yes", "refused_jobs_three_times": "yes"}
    asked, r, url = walk(client, plan, default="no")
    block = unescape(finding_html(r, "employment_assistance"))
    assert status_of(r, "employment_assistance") == "likely"
    assert "data-warning" in block and "reduce or stop" in block
    assert 'href="/units/social-assistance-measures/art-45"' in block


@pytest.mark.parametrize("form, housing", [("dispersed", "likely"), ("centralised", "unlikely")])
def test_dispersed_support_and_housing(client, form, housing):
    plan = {"receives_dibao": "no", "income_below_local_standard": "no", "receives_extremely_poor_support": "yes",
            "extremely_poor_support_form": form, "housing_difficulty": "yes", "lives_in_town": "no"}
    asked, r, url = walk(client, plan, default="no")
    assert "age" not in asked  # already supported: the categories no longer matter
    assert status_of(r, "housing_assistance") == housing
    if housing == "likely":
        assert "Rural families apply" in unescape(finding_html(r, "housing_assistance"))


def test_a_disaster_that_destroyed_the_home(client):
    asked, r, url = walk(client, {"natural_disaster": "yes", "home_badly_damaged_by_disaster": "yes"}, default="no")
    assert status_of(r, "disaster_relief") == "likely"
    block = unescape(finding_html(r, "disaster_relief"))
    assert "transitional resettlement" in block and 'href="/units/social-assistance-measures/art-25"' in block


def test_homeless_person(client):
    asked, r, url = walk(client, {"homeless_or_begging": "yes"}, default="no")
    assert status_of(r, "vagrant_beggar_assistance") == "likely"
    assert "assistance management agency" in unescape(finding_html(r, "vagrant_beggar_assistance"))


def test_dont_know_answers_lead_to_depends_with_links_to_answer(client):
    asked, r, url = walk(client, {}, default=None)
    assert len(asked) == len(el.QUESTIONS)
    assert "May apply, depending on answers you did not give" in text(r)
    assert status_of(r, "minimum_living_security") == "depends"
    block = finding_html(r, "minimum_living_security")
    targets = re.findall(r'<a href="([^"]+)" data-answer-link="([a-z_]+)"', block)
    assert [q for _, q in targets] == ["income_below_local_standard", "property_within_local_rules"]
    page = client.get(unescape(targets[0][0]))
    form = StepForm(page.get_data(as_text=True))
    assert form.step == "income_below_local_standard" and form.checked == {"income_below_local_standard": "unknown"}
    # a local rule, not an answer, leaves "other persons in special difficulty" open
    assert "A local rule decides this, not an answer." in unescape(finding_html(r, "medical_assistance")) or \
        "serious_illness" in finding_html(r, "medical_assistance")


def test_result_lists_why_what_where_who_and_the_notice(client):
    plan = {"receives_dibao": "yes", "receives_extremely_poor_support": "no", "age": "40", "able_to_work": "yes",
            "unemployed": "yes"}
    asked, r, url = walk(client, plan, default="no")
    body = plain(r)
    for heading in ("May apply to you", "Probably does not apply", "Why", "What you may receive", "Where to apply",
                    "Who decides", "Please note", "Your answers"):
        assert heading in body, heading
    notice = re.search(r'data-check-decision>(.*?)</div>', r.get_data(as_text=True), re.S).group(1)
    assert "county civil affairs department decides" in unescape(notice)
    for n in LOCAL:
        assert f'href="/units/social-assistance-measures/art-{n}"' in notice
    assert el.NOTICE.en in body
    # every finding links its articles and, where there is one, its guide
    for f in el.check(el.Situation.from_answers(answers_in(url))).findings:
        block = finding_html(r, f.id)
        for uid in f.rule.articles:
            assert f'href="/units/{uid}"' in block
        if f.rule.guide:
            assert f'href="/{f.rule.guide}"' in block


def test_every_citation_on_a_result_page_resolves(client):
    asked, r, url = walk(client, UNDER_16, default=None)
    cited = {h for h in links(r) if h.startswith(PREFIX)}
    assert len(cited) > 20
    for href in sorted(cited):
        assert client.get(href).status_code == 200, href
    for href in {h for h in links(r) if h.startswith("/guides/")}:
        assert client.get(href).status_code == 200, href


def test_every_article_the_rules_can_cite_is_in_the_corpus(corpus):
    for uid in el.all_cited_ids():
        assert uid in corpus.units, uid


# Going back and changing ------------------------------------------------------------

def test_back_goes_to_the_previous_question_with_its_answer_chosen(client):
    r = client.get("/check?receives_dibao=no&income_below_local_standard=yes")
    form = StepForm(r.get_data(as_text=True))
    assert form.step == "property_within_local_rules"
    back = unescape(re.search(r'<a class="back-link" href="([^"]+)"', r.get_data(as_text=True)).group(1))
    assert back == "/check?receives_dibao=no&income_below_local_standard=yes&change=income_below_local_standard"
    page = client.get(back)
    assert page.status_code == 200
    again = StepForm(page.get_data(as_text=True))
    assert again.step == "income_below_local_standard"
    assert again.checked == {"income_below_local_standard": "yes"}
    assert ("income_below_local_standard", "yes") not in again.hidden
    assert "Change your answer" in text(page)
    # choosing another answer drops the answers that no longer matter
    r2, url = follow(client, again.submit("no"))
    assert answers_in(url) == {"receives_dibao": "no", "income_below_local_standard": "no"}
    assert StepForm(r2.get_data(as_text=True)).step == "receives_extremely_poor_support"


def test_first_question_has_no_back_link(client):
    assert "back-link" not in client.get("/check").get_data(as_text=True)


def test_change_an_answer_from_the_result(client):
    asked, r, url = walk(client, {"receives_dibao": "no", "income_below_local_standard": "no"}, default="no")
    assert "able_to_work" not in asked and "essential_expenses_exceed_capacity" not in asked
    html = r.get_data(as_text=True)
    change = unescape(re.search(r'data-answer="receives_dibao">.*?<a class="change-link" href="([^"]+)"', html, re.S).group(1))
    page = client.get(change)
    form = StepForm(page.get_data(as_text=True))
    assert form.step == "receives_dibao" and form.checked == {"receives_dibao": "no"}
    r2, url2 = follow(client, form.submit("yes"))
    kept = answers_in(url2)
    # the income question no longer matters once dibao is received; the other answers are kept
    assert kept["receives_dibao"] == "yes" and "income_below_local_standard" not in kept
    assert kept["natural_disaster"] == "no" and kept["age"] == "40"
    # questions that now matter for a dibao family are asked before the result comes back
    assert StepForm(r2.get_data(as_text=True)).step == "able_to_work"
    asked_now = []
    while (step := StepForm(r2.get_data(as_text=True))).step:
        asked_now.append(step.step)
        r2, url2 = follow(client, step.submit("no"))
    assert asked_now == ["able_to_work", "housing_difficulty", "essential_expenses_exceed_capacity"]
    assert urlsplit(url2).path == "/check/result"


def test_change_of_a_question_that_no_longer_matters_is_ignored(client):
    r = client.get("/check?receives_dibao=yes&change=income_below_local_standard")
    assert r.status_code == 303 and r.headers["Location"] == "/check?receives_dibao=yes"


def test_skip_to_the_result_counts_the_rest_as_unknown(client):
    r = client.get("/check?receives_dibao=no&income_below_local_standard=yes")
    skip = unescape(re.search(r'<a href="([^"]+)" data-check-skip>', r.get_data(as_text=True)).group(1))
    assert skip == "/check/result?receives_dibao=no&income_below_local_standard=yes"
    result = client.get(skip)
    assert result.status_code == 200
    body = plain(result)
    assert "You asked for the result before the end" in body
    assert 'href="/check?receives_dibao=no&amp;income_below_local_standard=yes"' in result.get_data(as_text=True)
    assert status_of(result, "minimum_living_security") == "depends"


def test_start_again_links_to_a_blank_check(client):
    r = client.get("/check?receives_dibao=no")
    assert re.search(r'<a href="/check" data-check-restart>', r.get_data(as_text=True))


# The address ----------------------------------------------------------------------

@pytest.mark.parametrize("given, canonical", [
    ("/check?receives_dibao=no&asked=receives_dibao", "/check?receives_dibao=no"),
    ("/check?receives_dibao=%E5%90%A6", "/check?receives_dibao=no"),  # 否
    ("/check?receives_dibao=0", "/check?receives_dibao=no"),
    ("/check?receives_dibao=Don%27t+know", "/check?receives_dibao=unknown"),
    ("/check?receives_extremely_poor_support=no&receives_dibao=yes",
     "/check?receives_dibao=yes&receives_extremely_poor_support=no"),
    ("/check?receives_dibao=yes&income_below_local_standard=yes", "/check?receives_dibao=yes"),  # moot answer dropped
    ("/check?receives_dibao=no&receives_extremely_poor_support=no&age=&unknown=age&asked=age",
     "/check?receives_dibao=no&receives_extremely_poor_support=no&age=unknown"),
    ("/check?lang=zh", "/check"),
])
def test_submissions_redirect_to_one_canonical_address(client, given, canonical):
    r = client.get(given)
    assert r.status_code == 303
    assert r.headers["Location"] == canonical


def test_a_finished_questionnaire_goes_to_the_result(client):
    answers = {}
    while (q := el.next_question(answers)):
        answers[q.id] = None
    query = urlencode({k: "unknown" for k in answers})
    r = client.get(f"/check?{query}")
    assert r.status_code == 303 and r.headers["Location"] == f"/check/result?{query}"


def test_number_question_has_a_dont_know_button(client):
    r = client.get("/check?receives_dibao=no&income_below_local_standard=no&receives_extremely_poor_support=no")
    html = r.get_data(as_text=True)
    form = StepForm(html)
    assert form.step == "age" and form.number == "age"
    assert ("unknown", "age") in form.buttons
    assert 'formnovalidate' in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize("value", ["", "200", "-1", "abc", "12.5"])
def test_a_bad_age_just_typed_is_explained_on_the_same_question(client, value):
    base = "receives_dibao=no&income_below_local_standard=no&receives_extremely_poor_support=no"
    r = client.get(f"/check?{base}&age={value}&asked=age")
    assert r.status_code == 400
    form = StepForm(r.get_data(as_text=True))
    assert form.step == "age"
    assert form.hidden[:3] == [("receives_dibao", "no"), ("income_below_local_standard", "no"),
                               ("receives_extremely_poor_support", "no")]
    body = plain(r)
    assert ("Please choose an answer" in body) if value == "" else (f"“{value}” is not a whole number from 0 to 150" in body)


def test_submitting_without_an_answer_asks_again(client, zh_client):
    r = client.get("/check?receives_dibao=no&asked=income_below_local_standard")
    assert r.status_code == 400
    assert StepForm(r.get_data(as_text=True)).step == "income_below_local_standard"
    assert "Please choose an answer, or “I don't know”." in plain(r)
    assert "请选择一个回答" in plain(zh_client.get("/check?receives_dibao=no&asked=income_below_local_standard"))


@pytest.mark.parametrize("path", ["/check", "/check/result"])
@pytest.mark.parametrize("query, says", [
    ("favourite_colour=blue", "“favourite_colour” is not one of the questions."),
    ("receives_dibao=maybe", "“maybe” is not an answer to “Does your family already receive minimum living security (dibao)?”: it should be yes, no or unknown."),
    ("receives_dibao=", "it should be yes, no or unknown"),
    ("receives_dibao=no&receives_extremely_poor_support=no&age=200", "it should be a whole number from 0 to 150, or unknown"),
    ("receives_extremely_poor_support=yes&extremely_poor_support_form=palace", "it should be one of dispersed, centralised, or unknown"),
    ("receives_dibao=yes&receives_dibao=no", "is given more than once"),
    ("receives_dibao=yes&unknown=nothing", "“nothing” is not one of the questions."),
    ("receives_dibao=yes&change=nothing", "“nothing” is not one of the questions."),
    ("receives_dibao=yes&asked=nothing", "“nothing” is not one of the questions."),
])
def test_tampered_addresses_are_a_clear_400(client, path, query, says):
    r = client.get(f"{path}?{query}")
    assert r.status_code == 400
    assert r.mimetype == "text/html"
    body = plain(r)
    assert "The answers in this link could not be read" in body
    assert says in body
    assert re.search(r'<a class="btn btn-primary" href="/check">Start again</a>', r.get_data(as_text=True))
    assert "Traceback" not in body


def test_many_problems_are_summed_up(client):
    query = "&".join(f"bogus{i}=1" for i in range(20))
    body = plain(client.get(f"/check?{query}"))
    assert body.count("is not one of the questions") == 8
    assert "and 12 more" in body


def test_a_400_in_chinese(zh_client):
    r = zh_client.get("/check?receives_dibao=maybe")
    assert r.status_code == 400
    body = plain(r)
    assert "无法读取此链接中的回答" in body
    assert "“maybe”不是“您家是否已经享受最低生活保障（低保）？”的有效回答" in body
    assert "重新开始" in body


HOSTILE = '<script>alert("x")</script>'


@pytest.mark.parametrize("query", [
    {"receives_dibao": HOSTILE},
    {HOSTILE: "yes"},
    {"receives_dibao": "no", "unknown": HOSTILE},
    {"receives_dibao": "no", "receives_extremely_poor_support": "no", "age": HOSTILE, "asked": "age"},
    {"receives_extremely_poor_support": "yes", "extremely_poor_support_form": '"><img src=x onerror=alert(1)>',
     "asked": "extremely_poor_support_form"},
])
def test_hostile_values_are_escaped(client, zh_client, query):
    for c in (client, zh_client):
        for path in ("/check", "/check/result"):
            r = c.get(path, query_string=query)
            assert r.status_code in (303, 400), (path, query)
            html = r.get_data(as_text=True)
            assert "<script>alert" not in html and "<img src=x" not in html
            if r.status_code == 400:
                assert "&lt;" in html or "&#34;" in html or "&quot;" in html


def test_a_very_long_value_is_cut_short_in_the_message(client):
    r = client.get("/check", query_string={"receives_dibao": "x" * 5000})
    assert r.status_code == 400
    problems = re.search(r"<ul class=\"problems\" data-problems>(.*?)</ul>", r.get_data(as_text=True), re.S).group(1)
    assert "x" * 59 + "…" in problems and "x" * 61 not in problems


# Both languages ----------------------------------------------------------------------

def test_the_questionnaire_in_chinese(zh_client):
    r = zh_client.get("/check")
    body = plain(r)
    assert '<html lang="zh-Hans"' in r.get_data(as_text=True)
    assert "看看您可能获得哪些救助" in body and el.QUESTIONS[0].text_zh in body
    assert "是" in body and "否" in body and "不知道" in body and "下一题" in body
    assert "第九条" in body
    step = plain(zh_client.get("/check?receives_dibao=no&income_below_local_standard=no&receives_extremely_poor_support=no"))
    assert el.QUESTIONS_BY_ID["age"].text_zh in step and "填写0到150之间的整数。" in step


def test_the_result_in_chinese(zh_client):
    asked, r, url = walk(zh_client, UNDER_16, default="no")
    body = plain(r)
    for words in ("您可能获得的救助", "可能适用", "可能不适用", "理由", "可能获得", "向哪里申请", "由谁决定", "请注意",
                  "您的回答", "未满16周岁的未成年人", "您12岁", "第十四条", el.NOTICE.zh):
        assert words in body, words
    assert not re.search(r">\s*check\.[a-z_]+\s*<", r.get_data(as_text=True))


def test_language_switch_keeps_the_answers(client):
    r = client.get("/check?receives_dibao=no")
    link = unescape(re.search(r'href="(/lang/zh\?[^"]+)"', r.get_data(as_text=True)).group(1))
    switched = client.get(link)
    assert switched.headers["Location"] == "/check?receives_dibao=no"


# JSON ----------------------------------------------------------------------------------

def test_api_check_returns_the_rules_result(client):
    query = {"receives_dibao": "yes", "essential_expenses_exceed_capacity": "是", "age": "40"}
    r = client.get("/api/check", query_string=query)
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert "Set-Cookie" not in r.headers
    data = r.get_json()
    assert data == el.check(el.Situation.from_answers(query)).to_dict()
    assert {f["id"] for f in data["likely"]} >= {"minimum_living_security", "temporary_assistance"}
    for uid, c in data["citations"].items():
        assert client.get(c["url"]).status_code == 200, uid


def test_api_check_with_no_answers_is_all_depends(client):
    data = client.get("/api/check").get_json()
    assert not data["likely"] and len(data["depends"]) == len(el.RULES)
    assert data["notice"]["text_en"] == el.NOTICE.en


def test_api_check_ignores_lang(client):
    assert client.get("/api/check?receives_dibao=yes&lang=zh").get_json() == \
        client.get("/api/check?receives_dibao=yes").get_json()


@pytest.mark.parametrize("query, question", [
    ("age=200", "age"),
    ("age=old", "age"),
    ("receives_dibao=maybe", "receives_dibao"),
    ("extremely_poor_support_form=palace", "extremely_poor_support_form"),
    ("favourite_colour=blue", "favourite_colour"),
    ("age=10&age=11", "age"),
])
def test_api_check_bad_answers_are_400_json(client, query, question):
    r = client.get(f"/api/check?{query}")
    assert r.status_code == 400 and r.mimetype == "application/json"
    data = r.get_json()
    assert data["error"] and data["question"] == question


def test_the_result_links_to_its_json(client):
    r = client.get("/check/result?receives_dibao=yes")
    link = unescape(re.search(r'<a href="([^"]+)" data-check-json>', r.get_data(as_text=True)).group(1))
    assert link == "/api/check?receives_dibao=yes"
    assert client.get(link).status_code == 200


# Any address at all ------------------------------------------------------------------

_KEYS = st.sampled_from([q.id for q in el.QUESTIONS] + ["asked", "unknown", "change", "lang", "x", "<b>"])
_VALUES = st.one_of(st.sampled_from(["yes", "no", "unknown", "是", "否", "?", "", "0", "16", "60", "151", "-3",
                                     "dispersed", "centralised", "age", "receives_dibao"]),
                    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.tuples(_KEYS, _VALUES), max_size=12))
def test_any_address_gets_a_page_never_a_crash(session_app, query):
    client = session_app.test_client()
    for path in ("/check", "/check/result"):
        r = client.get(path, query_string=query)
        assert r.status_code in (200, 303, 400), (path, query, r.status_code)
        if r.status_code == 303:
            # the canonical address it sends you to is itself a page, not another redirect
            again = client.get(r.headers["Location"])
            assert again.status_code in (200, 303), (query, r.headers["Location"])
            if again.status_code == 303:
                assert urlsplit(again.headers["Location"]).path == "/check/result"
        html = r.get_data(as_text=True)
        assert "<b>" not in html.split("<main", 1)[-1]
    api = client.get("/api/check", query_string=query)
    assert api.status_code in (200, 400) and api.mimetype == "application/json"
