"""What a question asks (its intent) and what each article is for (its roles).

"Who qualifies for dibao", "how do I apply for dibao" and "what happens to
my dibao if I find work" name the same concept and want different articles
(9, 11, 13). corpus/intents.yaml, an editorial file, gives each article the
roles it plays and each role the everyday phrases that ask for it; ranking
favours articles whose role matches the question's intent (engine.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import editorial_data as ed
from .cues import Cues

FILE = "intents.yaml"


@dataclass
class Role:
    id: str
    label_en: str
    label_zh: str
    cues: Cues


@dataclass
class IntentMap:
    roles: dict[str, Role] = field(default_factory=dict)
    unit_roles: dict[str, frozenset[str]] = field(default_factory=dict)
    # Guide section ids (shared across guides: "who", "how"...) to roles.
    section_roles: dict[str, frozenset[str]] = field(default_factory=dict)

    def intents(self, question: str) -> frozenset[str]:
        """The roles the question asks for: those with a cue in it.

        A Chinese cue found only inside a longer cue of another role does not
        count: "不符合条件领低保怎么处罚" asks about a penalty, not about the
        conditions (条件) its words contain.
        """
        found = {rid: role.cues.spans(question) for rid, role in self.roles.items()}
        covers = [(rid, span) for rid, spans in found.items() for span in spans]

        def inside_another(rid: str, span: tuple[int, int]) -> bool:
            return any(other != rid and s[0] <= span[0] and span[1] <= s[1] and s != span for other, s in covers)

        return frozenset(rid for rid, role in self.roles.items()
                         if role.cues.found_en(question) or any(not inside_another(rid, span) for span in found[rid]))

    def of_unit(self, unit_id: str) -> frozenset[str]:
        return self.unit_roles.get(unit_id, frozenset())

    def of_section(self, section_id: str) -> frozenset[str]:
        return self.section_roles.get(section_id, frozenset())


def load_intents(root: Path, unit_ids: set[str], section_ids: set[str], problems: list[str]) -> IntentMap:
    """corpus/intents.yaml, checked against the corpus; no file, no intents."""
    path = root / FILE
    if not path.exists():
        return IntentMap()
    found = ed.Problems()
    data = ed.read_mapping(path, ("roles", "units", "sections"), found)
    roles = {}
    for rid, entry in ed.entries(data, "roles", path, found) if data else []:
        roles[rid] = Role(rid, ed.text(entry, "label_en", path, found), ed.text(entry, "label_zh", path, found),
                          ed.cues(entry, path, found))
    unit_roles = _assignments(data, "units", unit_ids, "unit", set(roles), path, found)
    section_roles = _assignments(data, "sections", section_ids, "guide section", set(roles), path, found)
    for rid in roles:
        if not any(rid in assigned for assigned in unit_roles.values()):
            found.add(path, data["roles"].line_of(rid), f"no unit has the role '{rid}'")
    problems.extend(found)
    return IntentMap(roles, unit_roles, section_roles)


def _assignments(data, key: str, known_ids: set[str], what: str, role_ids: set[str], path: Path,
                 problems: ed.Problems) -> dict[str, frozenset[str]]:
    """data[key]: a mapping of known ids to lists of role ids."""
    section = data.get(key) if data else None
    if not isinstance(section, ed.LocatedDict):
        if data:
            problems.add(path, data.line_of(key), f"'{key}' must map {what} ids to lists of roles")
        return {}
    out = {}
    for item_id, _ in section.items():
        if item_id not in known_ids:
            problems.add(path, section.line_of(item_id), f"'{item_id}' is not a {what} in the corpus")
            continue
        out[item_id] = frozenset(ed.words(section, item_id, path, problems, role_ids, "role"))
    return out
