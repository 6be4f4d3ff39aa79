"""Find the articles an article's official Chinese text refers to ("适用本办法第十一条规定").

Only references into the same document count ("本办法第X条", lists and ranges
"第X条至第Y条"); paragraph references ("前款", "前两款") stay within the
article and are not links.
"""
from __future__ import annotations

import re

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_NUM = "[零〇一二三四五六七八九十百]+"
# "本办法" then one or more "第X条", joined by 至 (a range) or 、/和/及/或者 (a list).
_RUN = re.compile(rf"本办法((?:第{_NUM}条(?:至|、|和|及|或者)?)+)")
_ONE = re.compile(rf"第({_NUM})条(至)?")


def from_chinese(numeral: str) -> int:
    """十一 -> 11, 二十 -> 20, 一百零一 -> 101: the article-number forms numerals.to_chinese writes."""
    total, digit = 0, 0
    for ch in numeral.replace("〇", "零"):
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _DIGITS[ch]
    return total + digit


def article_references(text: str) -> list[int]:
    """The article numbers `text` refers to, in order of first mention."""
    found: list[int] = []
    for run in _RUN.finditer(text):
        start = None
        for match in _ONE.finditer(run.group(1)):
            n = from_chinese(match.group(1))
            found += list(range(start + 1, n + 1)) if start is not None else [n]
            start = n if match.group(2) else None
    return list(dict.fromkeys(found))
