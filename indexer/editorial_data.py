"""Checks shared by the editorial YAML files of corpus/ (intents, scope).

Each check records a problem as `file:line: problem` and returns a usable
value, so that a file's every problem is reported at once (as the Markdown
corpus is: corpus.py).
"""
from __future__ import annotations

from pathlib import Path

from .cues import Cues
from .located_yaml import LocatedDict, LocatedList, YamlProblem, load_located


class Problems(list):
    def add(self, path: Path, line: int, message: str) -> None:
        self.append(f"{path}:{line}: {message}")


def read_mapping(path: Path, expected: tuple[str, ...], problems: Problems) -> LocatedDict:
    """The file's top-level mapping with only the expected keys; empty when unreadable."""
    try:
        data = load_located(path)
    except YamlProblem as exc:
        problems.add(path, exc.line, str(exc))
        return LocatedDict()
    except OSError as exc:
        problems.add(path, 1, f"cannot read ({exc.strerror or exc})")
        return LocatedDict()
    if not isinstance(data, LocatedDict):
        problems.add(path, 1, f"expected a mapping with the keys {', '.join(expected)}")
        return LocatedDict()
    for key in data:
        if key not in expected:
            problems.add(path, data.line_of(key), f"unknown key '{key}' (expected {', '.join(expected)})")
    return data


def entries(data: LocatedDict, key: str, path: Path, problems: Problems) -> list[tuple[str, LocatedDict]]:
    """The (id, mapping) pairs under data[key]."""
    section = data.get(key)
    if not isinstance(section, LocatedDict):
        problems.add(path, data.line_of(key), f"'{key}' must be a mapping of ids to entries")
        return []
    out = []
    for entry_id, entry in section.items():
        if not isinstance(entry, LocatedDict):
            problems.add(path, section.line_of(entry_id), f"'{entry_id}' must be a mapping")
            continue
        out.append((str(entry_id), entry))
    return out


def text(entry: LocatedDict, key: str, path: Path, problems: Problems) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(path, entry.line_of(key), f"'{key}' must be non-empty text")
        return ""
    return value.strip()


def words(entry: LocatedDict, key: str, path: Path, problems: Problems, known: set[str] | None = None,
          what: str = "item") -> list[str]:
    """A non-empty list of strings; with `known`, each must be one of them."""
    value = entry.get(key)
    if not isinstance(value, LocatedList) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(path, entry.line_of(key), f"'{key}' must be a non-empty list of words")
        return []
    out = []
    for i, item in enumerate(value):
        if known is not None and item not in known:
            problems.add(path, value.line_of(i), f"unknown {what} '{item}'")
        elif item in out:
            problems.add(path, value.line_of(i), f"'{item}' is listed twice")
        else:
            out.append(item.strip())
    return out


def cues(entry: LocatedDict, path: Path, problems: Problems) -> Cues:
    """The entry's cue phrases in both languages (keys cues_zh, cues_en), both required."""
    phrases = words(entry, "cues_zh", path, problems) + words(entry, "cues_en", path, problems)
    found = Cues(phrases)
    for phrase in found.unmatchable():
        problems.add(path, entry.line_of("cues_en"), f"the cue '{phrase}' has no word and can never match")
    return found
