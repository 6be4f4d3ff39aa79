"""The eligibility result as text: Markdown (download, and the command line's output) in either language."""
from __future__ import annotations

from .eligibility import DEPENDS, LIKELY, UNLIKELY, Finding, Result, cite_label, spell

WORDS = {
    "en": {"title": "Eligibility check under the Interim Measures for Social Assistance", "date": "Date",
           LIKELY: "May apply", DEPENDS: "May apply, depending on answers not given or on a local rule",
           UNLIKELY: "Probably does not apply", "met": "Met", "open": "Open", "unmet": "Not met",
           "local": "a local rule decides", "receive": "What you may receive", "steps": "What to do next",
           "assume": "Assumption", "both": "If you do not know the local standard", "together": "Receiving several kinds",
           "answers": "Your answers", "notice": "Please note", "none": "(none)",
           "above": "if it is above {amount} yuan", "not_above": "if it is {amount} yuan or less"},
    "zh": {"title": "社会救助资格初步检查（依据《社会救助暂行办法》）", "date": "日期",
           LIKELY: "可能适用", DEPENDS: "可能适用，取决于未回答的问题或者地方规定", UNLIKELY: "可能不适用",
           "met": "符合", "open": "待定", "unmet": "不符合", "local": "由地方规定决定",
           "receive": "可能获得", "steps": "下一步怎么做", "assume": "假定", "both": "不知道当地标准时",
           "together": "同时获得多项救助", "answers": "您的回答", "notice": "请注意", "none": "（无）",
           "above": "标准高于{amount}元时", "not_above": "标准不高于{amount}元时"},
}
MARK = {True: "met", None: "open", False: "unmet"}


def _text(obj, lang: str) -> str:
    return obj.text_zh if lang == "zh" else obj.text_en


def _cited(obj, lang: str) -> str:
    label = cite_label(obj.cites, lang)
    return f"{_text(obj, lang)}（{label}）" if lang == "zh" else f"{_text(obj, lang)} ({label})"


def _name(f: Finding, lang: str) -> str:
    return f.rule.name_zh if lang == "zh" else f.rule.name_en


def _finding(f: Finding, lang: str, w: dict) -> list[str]:
    out = [f"### {_name(f, lang)}", ""]
    for r in f.reasons:
        note = w["local"] if r.local else ""
        out.append(f"- {w[MARK[r.value]]}: {_cited(r.named.item, lang)}{' — ' + note if note else ''}")
    out += [f"- {w['assume']}: {_cited(a.item, lang)}" for a in f.assumptions]
    if f.status == UNLIKELY:
        return out + [""]
    out += ["", f"**{w['receive']}**", ""] + [f"- {_cited(i, lang)}" for i in f.rule.receive]
    out += ["", f"**{w['steps']}**", ""] + [f"- [ ] {_cited(i, lang)}" for i in f.steps]
    return out + [""]


def _both_ways(result: Result, lang: str, w: dict) -> list[str]:
    out = []
    for b in result.both_ways:
        amount = f"{b.amount:.2f}"
        for key, ways in (("above", b.above), ("not_above", b.not_above)):
            names = [_name(result.get(rid), lang) for rid, status in ways.items() if status == LIKELY]
            out.append(f"- {w[key].format(amount=amount)}: {'、'.join(names) if lang == 'zh' else ', '.join(names) or w['none']}")
    return [f"## {w['both']}", "", _cited(result.rs.questions["local_standard"], lang) if result.both_ways else "",
            "", *out, ""] if out else []


def markdown(result: Result, lang: str, day: str) -> str:
    """The whole result with its citations and the date, as Markdown."""
    w = WORDS[lang]
    out = [f"# {w['title']}", "", f"{w['date']}: {day}", ""]
    for status in (LIKELY, DEPENDS, UNLIKELY):
        out += [f"## {w[status]}", ""]
        group = result.group(status)
        out += [line for f in group for line in _finding(f, lang, w)] or [w["none"], ""]
    out += _both_ways(result, lang, w)
    if result.together:
        out += [f"## {w['together']}", ""] + [f"- {_cited(i, lang)}" for i in result.together] + [""]
    out += [f"## {w['answers']}", ""]
    out += [f"- {_text(result.rs.questions[q], lang)} {spell(v)}" for q, v in result.answers.items()] or [w["none"]]
    out += ["", f"## {w['notice']}", "", _cited(result.rs.notice, lang), ""]
    return "\n".join(out)
