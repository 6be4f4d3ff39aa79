"""Reading text files as UTF-8, with the line of a bad byte: `file:line: not valid UTF-8`."""
from __future__ import annotations

from pathlib import Path


class NotUtf8(ValueError):
    def __init__(self, path: Path | str, line: int, problem: str = "not valid UTF-8"):
        self.path, self.line, self.problem = str(path), line, problem
        super().__init__(f"{path}:{line}: {problem}")


def read_utf8(path: Path | str) -> str:
    """The file's text; a byte-order mark is dropped; an invalid byte or a NUL raises NotUtf8 with its line."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(path, raw[:exc.start].count(b"\n") + 1) from exc
    nul = text.find("\0")
    if nul >= 0:
        raise NotUtf8(path, text.count("\n", 0, nul) + 1, "contains a NUL byte")
    return text
