"""The eligibility check pages and /api/check: POST steps with hidden answers, nothing in URLs, no-store."""
from __future__ import annotations

import logging
import re
import shutil

import pytest

from indexer.config import REPO_ROOT
from webapp import create_app

ELDERLY_ALONE = {"receives_dibao": "no", "household_size": "1", "monthly_income": "0", "local_standard": "900",
                 "property_ok": "yes", "age": "72",
                 "your_situation": ["cannot_work", "no_livelihood", "no_able_supporter"], "circumstances": "none"}
LOW_INCOME_DISABLED = {"receives_dibao": "no", "household_size": "4", "monthly_income": "2000",
                       "local_standard": "800", "property_ok": "yes", "age": "45", "disabled": "no",
                       "circumstances": ["student_compulsory", "unemployed_member", "housing_difficulty"]}


def statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-finding="(\w+)" data-status="(\w+)"', html))


def step_of(html: str) -> str | None:
    found = re.search(r'data-check-step="(\w+)"', html)
    return found.group(1) if found else None


def hidden_of(html: str) -> dict[str, str]:
    form = html[html.index('id="step-form"'):html.index("</form>", html.index('id="step-form"'))]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def walk(client, plan: dict) -> tuple[list[str], str]:
    """Answer each question on screen from the plan, as the browser posts it; the questions asked and the result."""
    html = client.get("/check").get_data(as_text=True)
    asked = []
    while (qid := step_of(html)) is not None:
        asked.append(qid)
        data = {**hidden_of(html), qid: plan[qid]}
        response = client.post("/check", data=data)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        html = response.get_data(as_text=True)
        assert len(asked) <= 12
    return asked, html


def test_the_elderly_person_living_alone(client):
    asked, html = walk(client, ELDERLY_ALONE)
    assert asked == ["receives_dibao", "household_size", "monthly_income", "local_standard", "property_ok", "age",
                     "your_situation", "circumstances"]
    got = statuses(html)
    assert got["extremely_poor_support"] == got["minimum_living_security"] == "likely"
    assert got["medical_assistance"] == "likely" and got["temporary_assistance"] == "depends"
    assert 'data-assumption="elderly_age"' in html and "not a rule of the Measures" in html
    assert "What to do next" in html and "shall set up a single window" in html and "data-together" in html


def test_the_low_income_household_with_a_disabled_member_in_chinese(zh_client):
    asked, html = walk(zh_client, LOW_INCOME_DISABLED)
    assert "disabled" in asked and "your_situation" not in asked
    got = statuses(html)
    assert {k for k, v in got.items() if v == "likely"} == {
        "minimum_living_security", "medical_assistance", "education_assistance", "housing_assistance",
        "employment_assistance"}
    assert "下一步怎么做" in html and "书面向申请人说明理由" in html and "第十一条" in html


def test_back_and_change_are_posts_and_keep_the_answers(client):
    first = client.post("/check", data={"asked": "receives_dibao", "receives_dibao": "no"}).get_data(as_text=True)
    assert step_of(first) == "household_size" and 'data-check-back' in first
    back = client.post("/check", data={"receives_dibao": "no", "asked": "household_size", "change": "receives_dibao"})
    html = back.get_data(as_text=True)
    assert step_of(html) == "receives_dibao" and 'value="no" checked' in html


def test_unknown_standard_is_worked_out_both_ways(client):
    html = client.post("/check", data={**ELDERLY_ALONE, "local_standard": "unknown", "finish": "1"}).get_data(
        as_text=True)
    assert "data-both-ways" in html and "0.00" in html and "Art. 10" in html


def test_a_missing_answer_asks_again(client):
    response = client.post("/check", data={"asked": "receives_dibao"})
    assert response.status_code == 400 and step_of(response.get_data(as_text=True)) == "receives_dibao"
    response = client.post("/check", data={"receives_dibao": "no", "asked": "household_size", "household_size": "0"})
    assert response.status_code == 400 and "whole number from 1 to 30" in response.get_data(as_text=True)


def test_a_tampered_form_is_a_clear_400(client):
    response = client.post("/check", data={"receives_dibao": "<script>x</script>", "colour": "red", "asked": "age"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "colour" in html and "<script>x" not in html


def test_answers_in_an_address_are_ignored(client):
    for path in ("/check?receives_dibao=yes&age=72", "/check/result?receives_dibao=yes"):
        html = client.get(path).get_data(as_text=True)
        assert "data-ignored-link" in html and step_of(html) == "receives_dibao"


def test_no_page_of_the_check_puts_answers_in_a_link(client):
    _, html = walk(client, ELDERLY_ALONE)
    for link in re.findall(r'(?:href|action|formaction)="([^"]*)"', html):
        assert "?" not in link or "age=" not in link, link
    forms = re.findall(r'<form[^>]*action="/check[^"]*"[^>]*>', html)
    assert forms and all('method="post"' in f for f in forms)


def test_download_print_and_adviser_view(client):
    data = {**ELDERLY_ALONE}
    md = client.post("/check/download", data=data)
    assert md.headers["Content-Disposition"].startswith("attachment") and md.mimetype == "text/markdown"
    text = md.get_data(as_text=True)
    assert text.startswith("# Eligibility check") and "Date: " in text and "- [ ] " in text and "(Art. 16, 17)" not in text
    assert "(Arts. 16, 17)" in text
    printed = client.post("/check/print", data=data)
    assert printed.status_code == 200 and "data-check-print-view" in printed.get_data(as_text=True)
    adviser = client.get("/check/adviser").get_data(as_text=True)
    assert adviser.count('<fieldset class="question"') == 11  # every question
    result = client.post("/check", data={"adviser": "1", "receives_dibao": "yes", "age": "40", "disabled": "no",
                                         "circumstances": "unemployed_member"}).get_data(as_text=True)
    assert statuses(result)["employment_assistance"] == "likely"


def test_every_check_response_is_no_store_and_nothing_is_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    for response in (client.get("/check"), client.post("/check", data=ELDERLY_ALONE),
                     client.post("/api/check", json={"age": 72}), client.get("/check/adviser")):
        assert response.headers["Cache-Control"] == "no-store"
    assert "72" not in caplog.text and "no_livelihood" not in caplog.text


def test_api_takes_a_json_body(client):
    response = client.post("/api/check", json={"receives_dibao": True, "household_size": 3, "age": 40,
                                                "disabled": False, "circumstances": ["unemployed_member"]})
    data = response.get_json()
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert {f["id"] for f in data["likely"]} >= {"minimum_living_security", "employment_assistance"}
    assert data["next_question"] is None and data["citations"]["social-assistance-measures/art-42"]["label_en"]


@pytest.mark.parametrize("body, part", [
    ({"age": 200}, "age: answer a whole number"), ({"colour": 1}, "colour: unknown question"),
    ("not json", "POST a JSON object"), ([1, 2], "POST a JSON object")])
def test_api_refuses_bad_bodies_with_a_reason(client, body, part):
    response = client.post("/api/check", json=body) if not isinstance(body, str) else client.post(
        "/api/check", data=body, content_type="application/json")
    assert response.status_code == 400 and part in response.get_json()["error"]


def test_api_refuses_answers_in_the_address(client):
    response = client.get("/api/check?age=72&receives_dibao=no")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert "POST them as a JSON object" in response.get_json()["error"]


def test_a_broken_rules_file_is_a_503_not_a_traceback(tmp_path, monkeypatch, engine):
    root = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", root)
    path = root / "eligibility" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("art-13]", "art-99]", 1), encoding="utf-8")
    monkeypatch.setenv("POLICYKB_CORPUS_DIR", str(root))
    client = create_app({"TESTING": True, "POLICYKB_ENGINE": engine}).test_client()
    page = client.get("/check")
    assert page.status_code == 503 and "policykb check" in page.get_data(as_text=True)
    api = client.post("/api/check", json={})
    assert api.status_code == 503 and "eligibility rules cannot be read" in api.get_json()["error"]
