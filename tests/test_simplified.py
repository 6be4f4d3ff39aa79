"""Questions typed in Traditional characters are searched as Simplified."""
from __future__ import annotations

from indexer.simplified import to_simplified


def test_traditional_becomes_simplified_and_simplified_stays():
    assert to_simplified("低保金是國家為保障貧困人口的基本生活") == "低保金是国家为保障贫困人口的基本生活"
    assert to_simplified("最低生活保障家庭申请临时救助") == "最低生活保障家庭申请临时救助"
    assert to_simplified("How do I apply?") == "How do I apply?"


def test_a_traditional_question_ranks_as_its_simplified_form_and_is_echoed_as_asked(engine):
    traditional = "申請最低生活保障要準備什麼材料"
    simplified = to_simplified(traditional)
    assert simplified != traditional
    a = engine.search(traditional, k=10)
    b = engine.search(simplified, k=10)
    assert [h.unit.id for h in a.hits] == [h.unit.id for h in b.hits]
    assert a.query == traditional
