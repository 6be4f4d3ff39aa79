"""Chinese numerals for article labels (第十一条)."""

_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """1..999 in the form used for article numbers: 十一, 二十, 一百零一."""
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        # 十一, not 一十一, when it stands first.
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out
