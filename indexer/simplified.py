"""Traditional Chinese questions read as Simplified, like the texts.

The Measures are in Simplified characters; a question typed in Traditional
(低保金是國家為保障貧困人口…) would share no word with them. OpenCC's
Traditional-to-Simplified conversion, with its dictionaries in the package,
keeps what is already Simplified as it is.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import opencc

from .analysis import has_cjk

_local = threading.local()


def _converter() -> "opencc.OpenCC":
    # One converter per thread: the C++ object is not documented as thread-safe.
    if not hasattr(_local, "converter"):
        _local.converter = opencc.OpenCC("t2s")
    return _local.converter


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    return _converter().convert(text) if has_cjk(text) else text
