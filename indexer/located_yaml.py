"""YAML that remembers where each value was written, for file:line problems.

Editorial data files (intents, scope) are YAML a person edits; a problem in
one must name the line to fix, which plain yaml.safe_load forgets.
"""
from __future__ import annotations

from pathlib import Path

import yaml
import yaml.constructor


class LocatedDict(dict):
    """A mapping with the line (1-based) of itself and of each key."""
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A sequence with the line of itself and of each item."""
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlProblem(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


_constructor = yaml.constructor.SafeConstructor()


def _convert(node: yaml.Node):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LocatedDict()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node)
            if not isinstance(key, (str, int)):
                raise YamlProblem(key_node.start_mark.line + 1, "a key must be a plain word")
            if key in out:
                raise YamlProblem(key_node.start_mark.line + 1, f"'{key}' is given twice")
            out[key] = _convert(value_node)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LocatedList(_convert(item) for item in node.value)
        out.line, out.item_lines = line, [item.start_mark.line + 1 for item in node.value]
        return out
    return _constructor.construct_object(node, deep=True)


def load_located(path: Path):
    """The file's YAML as LocatedDict / LocatedList / plain values.

    Raises YamlProblem (with the line) for text that is not valid UTF-8 or
    not valid YAML; OSError when the file cannot be read.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(raw[:exc.start].count(b"\n") + 1, "not valid UTF-8") from exc
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlProblem(mark.line + 1 if mark else 1, f"not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    return _convert(node) if node is not None else None
