"""The corpus as shipped: complete, well formed, and exact."""
from __future__ import annotations

import re

from indexer.numerals import to_chinese

# The chapters of the Interim Measures and the articles each holds (official text).
CHAPTERS = {
    1: (1, 8), 2: (9, 13), 3: (14, 19), 4: (20, 26), 5: (27, 32), 6: (33, 36), 7: (37, 41),
    8: (42, 46), 9: (47, 51), 10: (52, 56), 11: (57, 65), 12: (66, 69), 13: (70, 70),
}
PATHWAYS_ZH = ["产业发展脱贫", "转移就业脱贫", "易地搬迁脱贫", "教育扶贫", "健康扶贫", "生态保护扶贫", "兜底保障", "社会扶贫"]


def measures(corpus):
    return [u for u in corpus.units.values() if u.doc_id == "social-assistance-measures"]


def test_measures_have_70_articles_in_order(corpus):
    articles = measures(corpus)
    assert [u.number for u in articles] == list(range(1, 71))
    assert all(u.kind == "article" and u.id == f"social-assistance-measures/art-{u.number}" for u in articles)


def test_each_chapter_holds_the_right_articles(corpus):
    doc = corpus.documents["social-assistance-measures"]
    assert [c.number for c in doc.chapters] == list(range(1, 14))
    for unit in measures(corpus):
        first, last = CHAPTERS[unit.chapter.number]
        assert first <= unit.number <= last, unit.id
    assert doc.chapters[1].title_zh == "最低生活保障" and doc.chapters[1].title_en


def test_plan_has_8_pathways_in_seed_order(corpus):
    pathways = [u for u in corpus.units.values() if u.doc_id == "poverty-alleviation-plan"]
    assert [u.id for u in pathways] == [f"poverty-alleviation-plan/pathway-{n}" for n in range(1, 9)]
    assert [u.caption_zh for u in pathways] == PATHWAYS_ZH
    assert [u.title_zh for u in pathways] == [f"路径{n}：{name}" for n, name in enumerate(PATHWAYS_ZH, 1)]
    assert all(u.chapter is None and u.status_en == "seed" for u in pathways)
    # The seed's figures are kept: 13 industrial projects, 6 employment actions,
    # 6 health projects, 11 ecological projects and 4 compensation methods.
    text = {u.number: u.text_en for u in pathways}
    assert "13 industrial" in text[1] and "6 employment" in text[2]
    assert "six major health" in text[5] and "11 major ecological" in text[6] and "4 ecological" in text[6]


_CJK = re.compile(r"[\u3400-\u9fff]")


def test_every_unit_has_a_chinese_subject(corpus):
    units = list(corpus.units.values())
    assert len(units) == 78
    for unit in units:
        subject = unit.caption_zh or ""
        # A subject says what the unit is about: Chinese words, not its number again.
        assert _CJK.search(subject) and not re.fullmatch(r"第?[0-9一二三四五六七八九十百]+条?|路径\d+", subject), unit.id
        assert subject != unit.label_zh and subject not in (unit.label_zh or "")
        d = unit.to_dict()
        assert d["title_zh"] == f"{unit.label_zh}：{subject}" and d["caption_zh"] == subject, unit.id
        assert d["title"] == f"{unit.label_en}: {unit.caption}" and d["caption"] == unit.caption, unit.id
        assert d["caption_status"] == ("editorial" if unit.kind == "article" else "document"), unit.id
    # The subjects are distinct: a table of contents of repeated subjects cannot be scanned.
    for attr in ("caption", "caption_zh"):
        subjects = [getattr(u, attr) for u in units]
        assert len(set(subjects)) == len(subjects), attr


def test_article_subjects_say_what_the_article_is_about(corpus):
    # A few read against the official text: each subject's key words are the article's own.
    for n, words in {11: "申请", 16: "特困人员供养", 19: "集中供养", 32: "疾病应急救助", 50: "流浪、乞讨",
                     58: "如实申报", 65: "行政复议", 68: "骗取"}.items():
        unit = corpus.units[f"social-assistance-measures/art-{n}"]
        assert words in unit.caption_zh, (n, unit.caption_zh)
        assert all(w in unit.text_zh for w in words.split("、")), (n, words)


def test_plan_says_its_period_ended(corpus):
    meta = corpus.documents["poverty-alleviation-plan"].meta
    assert "2016-2020" in meta["status_en"] and "remain in force" in meta["status_en"]
    assert "not the full text" in meta["scope_en"]


def test_translation_status(corpus):
    for unit in measures(corpus):
        assert unit.status_zh == "official"
        assert unit.status_en == ("seed" if unit.number in (3, 4) else "unofficial"), unit.id


def test_article_2_shows_the_faithful_translation_and_keeps_the_seed_as_a_note(corpus):
    art2 = corpus.units["social-assistance-measures/art-2"]
    assert "bottom line (a safety net" in art2.text_en and "commensurate with" in art2.text_en
    assert "adheres to the bottom line" not in art2.text_en and "adheres to the bottom line" in art2.note
    assert "Articles 3 and 4" in corpus.documents["social-assistance-measures"].meta["translation_en"]


def test_one_english_term_for_the_medical_security_department(corpus):
    texts = [u.text_en for u in corpus.units.values()]
    texts += [t for g in corpus.guides.values() for s in g.sections for t in s.text_en]
    assert not [t for t in texts if re.search(r"healthcare security|medical insurance (department|bureau)", t, re.I)]
    assert "medical security department" in corpus.units["social-assistance-measures/art-30"].text_en


def test_english_and_chinese_paragraphs_align(corpus):
    for unit in measures(corpus):
        assert len(unit.paragraphs_en) == len(unit.paragraphs_zh), unit.id
        for en, zh in zip(unit.paragraphs_en, unit.paragraphs_zh):
            item_zh = re.match(r"^\(([一二三四五六七])\)", zh)
            if item_zh:
                assert en.startswith(f"({'一二三四五六七'.index(item_zh.group(1)) + 1})"), unit.id


def test_no_markup_left_in_text(corpus):
    for unit in corpus.units.values():
        for text in unit.paragraphs_en + unit.paragraphs_zh:
            assert not re.search(r"<\s*/?\s*[a-z]+\s*>|\s,|\s\.", text), (unit.id, text)


def test_citations(corpus):
    art11 = corpus.units["social-assistance-measures/art-11"]
    assert art11.citation == "Interim Measures for Social Assistance (State Council Decree No. 649, rev. 2019), Art. 11"
    assert art11.citation_zh == "《社会救助暂行办法》第十一条"
    assert art11.url == "/units/social-assistance-measures/art-11"
    p1 = corpus.units["poverty-alleviation-plan/pathway-1"]
    assert "Guo Fa [2016] No. 64" in p1.citation and "Pathway 1" in p1.citation
    assert p1.citation_zh == "《“十三五”脱贫攻坚规划》（国发〔2016〕64号）产业发展脱贫"


def test_guides_cover_every_kind_and_cite_existing_units(corpus):
    slugs = {g.slug for g in corpus.guides.values()}
    assert {"minimum-living-security", "extremely-poor-support", "disaster-relief", "medical-assistance",
            "education-assistance", "housing-assistance", "employment-assistance", "temporary-assistance",
            "applying-and-your-rights"} <= slugs
    for guide in corpus.guides.values():
        assert guide.cites and all(uid in corpus.units for uid in guide.cites), guide.id
        for section in guide.sections:
            assert section.text_en and section.text_zh, (guide.id, section.id)


def test_assistance_guides_answer_the_residents_questions(corpus):
    for slug in ("minimum-living-security", "medical-assistance", "temporary-assistance"):
        sections = [s.id for s in corpus.guides[f"guides/{slug}"].sections]
        assert sections == ["who", "what", "how", "decides", "refused", "duties", "disagree"], slug


BENEFIT_GUIDES = ("minimum-living-security", "extremely-poor-support", "medical-assistance", "education-assistance",
                  "housing-assistance", "employment-assistance", "temporary-assistance", "disaster-relief")


def test_each_benefit_guide_says_your_duties_and_what_to_do_if_you_disagree(corpus):
    a = "social-assistance-measures/art-"
    for slug in BENEFIT_GUIDES:
        sections = {s.id: s for s in corpus.guides[f"guides/{slug}"].sections}
        assert {f"{a}58", f"{a}13", f"{a}68"} == set(sections["duties"].cites), slug
        assert {f"{a}63", f"{a}65", f"{a}66"} == set(sections["disagree"].cites), slug
        # Art. 66 is cited for its item (1), a qualifying application not accepted, and for nothing else.
        art66 = [t for t, c in zip(sections["disagree"].text_zh, sections["disagree"].cites_zh) if f"{a}66" in c]
        assert art66 and all("不予受理" in t for t in art66), slug


def test_guides_say_must_where_the_law_says_shall(corpus):
    # 应当 is a duty: an English paraphrase of Arts. 17, 21, 31 or 60 that says "should" weakens it.
    a = "social-assistance-measures/art-"
    for guide in corpus.guides.values():
        for section in guide.sections:
            for text, cited in zip(section.text_en, section.cites_en):
                if {f"{a}17", f"{a}21", f"{a}31", f"{a}60"} & set(cited):
                    assert not re.search(r"\bshould\b", text), (guide.id, text)
    disaster = " ".join(t for s in corpus.guides["guides/disaster-relief"].sections for t in s.text_en + s.text_zh)
    assert "frequent or likely to occur" in disaster and "多发、易发" in disaster


def test_the_overview_guide_says_how_to_apply_and_appeal_and_lists_vagrants_and_emergency_care(corpus):
    cites = set(corpus.guides["guides/how-social-assistance-works"].cites)
    assert {f"social-assistance-measures/art-{n}" for n in (60, 65, 50, 51, 32)} <= cites


def test_glossary_links_dibao_terms(corpus):
    entries = {e.id: e for e in corpus.glossary}
    dibao = next(e for e in corpus.glossary if "低保" in e.terms_zh)
    assert "最低生活保障" in dibao.terms_zh and any("minimum living" in t for t in dibao.terms_en)
    assert all(e.terms_en and e.terms_zh for e in entries.values())


def test_chinese_numerals():
    assert [to_chinese(n) for n in (1, 10, 11, 20, 21, 70, 100, 101, 110)] == \
        ["一", "十", "十一", "二十", "二十一", "七十", "一百", "一百零一", "一百一十"]


def test_pathways_link_to_articles_both_ways(corpus):
    health = corpus.units["poverty-alleviation-plan/pathway-5"]
    assert health.related == [f"social-assistance-measures/art-{n}" for n in range(27, 33)]
    assert corpus.units["social-assistance-measures/art-28"].related == ["poverty-alleviation-plan/pathway-5"]
    basic = corpus.units["poverty-alleviation-plan/pathway-7"].related
    assert "social-assistance-measures/art-9" in basic and "social-assistance-measures/art-14" in basic
    assert corpus.units["poverty-alleviation-plan/pathway-8"].related[0] == "social-assistance-measures/art-52"
    # Industry, relocation and ecology have no counterpart in the Measures.
    assert all(not corpus.units[f"poverty-alleviation-plan/pathway-{n}"].related for n in (1, 3, 6))


def test_references_in_the_official_text_link_both_ways(corpus):
    a = "social-assistance-measures/art-"
    # Art. 16: 特困人员供养的审批程序适用本办法第十一条规定 -- the only article that cites another by number.
    assert corpus.units[f"{a}16"].refers_to == [f"{a}11"]
    assert corpus.units[f"{a}11"].referred_by == [f"{a}16"]
    # Art. 3's 前两款 points at its own paragraphs, not at another article.
    assert corpus.units[f"{a}3"].refers_to == []
    linked = {u.id for u in corpus.units.values() if u.refers_to or u.referred_by}
    assert linked == {f"{a}11", f"{a}16"}
    assert corpus.units[f"{a}16"].to_dict()["refers_to"] == [f"{a}11"]


def test_reference_parser_reads_lists_and_ranges():
    from indexer.references import article_references
    assert article_references("适用本办法第十一条规定") == [11]
    assert article_references("依照本办法第九条至第十二条、第十四条和本办法第二十条的规定；前款") == [9, 10, 11, 12, 14, 20]
    assert article_references("依照前两款规定；《宪法》第五条") == []


def test_editorial_related_articles_link_both_ways(corpus):
    a = "social-assistance-measures/art-"
    for group in ((9, 10, 11, 12, 13), (47, 48, 49), (58, 68), (63, 64, 65, 66)):
        for n in group:
            related = corpus.units[f"{a}{n}"].related
            assert {f"{a}{m}" for m in group if m != n} <= set(related), n
            assert f"{a}{n}" not in related
    assert corpus.units[f"{a}9"].to_dict()["related"][-1] == "poverty-alleviation-plan/pathway-7"


def test_no_glossary_term_belongs_to_two_concepts(corpus):
    seen: dict[str, str] = {}
    for entry in corpus.glossary:
        for term in entry.terms:
            assert seen.setdefault(term.casefold(), entry.id) == entry.id, (term, seen[term.casefold()], entry.id)


def test_every_concept_is_defined_in_both_languages_from_its_cited_units(corpus):
    for entry in corpus.glossary:
        assert entry.definition_en and _CJK.search(entry.definition_zh), entry.id
        assert entry.to_dict()["definition_zh"] == entry.definition_zh
        # The definition rests on the text: a cited unit's official words hold a term or the concept's label.
        words = entry.terms_zh + re.split(r"[、，]", entry.label_zh)
        assert any(w in corpus.units[uid].text_zh for uid in entry.cites for w in words), entry.id


def test_glossary_concepts_the_bilingual_review_corrected(corpus):
    concept = {t: e.id for e in corpus.glossary for t in e.terms_zh}
    # 专款专用 is the rule (Art. 5) that misappropriation breaks, not a word for it.
    assert "专款专用" not in concept
    # Home support is a form of support, not an institution; an old people's home is not the law's institution.
    assert concept["分散供养"] == concept["集中供养"] == "support-forms"
    assert "养老院" not in concept and "福利院" not in concept
    # Only Art. 14 sets the age 16; 救急难 is a principle (Art. 2); the standard is not the benefit (Arts. 9-10).
    assert "未满16周岁" not in concept
    assert concept["救急难"] == "principles" and concept["临时补助"] == "temporary-assistance"
    assert concept["低保标准"] == concept["最低生活保障标准"] == "dibao-standard" != concept["低保"]
    assert concept["核对"] == "information-check" and concept["核查"] == "regular-checks"
    assert concept["公示"] == "public-notice" and concept["公布"] == "publication"
    assert "骗保" not in concept  # insurance fraud, not obtaining assistance by fraud
    assert not any("hardship" in t for e in corpus.glossary if e.id == "extremely-poor" for t in e.terms_en)
    wubao = next(e for e in corpus.glossary if e.id == "extremely-poor")
    assert "former" in wubao.definition_en and "过去" in wubao.definition_zh
    # Everyday words, each under the concept it means.
    for term, cid in {"困难补助": "social-assistance", "救济金": "social-assistance", "孤儿": "orphans",
                      "流浪乞讨": "vagrants-beggars", "流浪汉": "vagrants-beggars", "特困": "extremely-poor",
                      "三无人员": "extremely-poor", "吃低保": "dibao", "看病报销": "medical-assistance",
                      "房子塌了": "housing-rebuild", "房子倒了": "housing-rebuild"}.items():
        assert concept.get(term) == cid, term
