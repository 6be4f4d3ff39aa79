"""Turn a corpus Markdown file into a flat list of blocks with line numbers.

markdown-it-py does the parsing; this module only keeps what the corpus
format uses (front matter, headings, ::: containers, paragraphs, list items
and their links), so the corpus loader never looks at raw text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

CONTAINERS = ("zh", "en", "note", "related")


@dataclass
class Paragraph:
    raw: str  # the Markdown source, exactly as written
    text: str  # plain text: links reduced to their label
    links: list[str]
    line: int
    in_list: bool = False


@dataclass
class Block:
    kind: str  # "front_matter" | "heading" | "container" | "paragraph"
    line: int
    text: str = ""  # front matter source, heading text
    level: int = 0  # heading level
    name: str = ""  # container name
    params: str = ""  # the words after the container name
    source: str = ""  # a container's Markdown between its fences, as written
    paragraphs: list[Paragraph] = field(default_factory=list)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    return md


_MD = _markdown()


def _paragraph(inline, line: int, in_list: bool) -> Paragraph:
    links, parts = [], []
    for child in inline.children or []:
        if child.type == "link_open":
            links.append(child.attrs.get("href", ""))
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return Paragraph(inline.content, "".join(parts), links, line, in_list)


def parse_blocks(source: str) -> list[Block]:
    tokens = _MD.parse(source)
    lines = source.splitlines()
    blocks: list[Block] = []
    container: Block | None = None
    list_depth = 0
    for i, tok in enumerate(tokens):
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type == "front_matter":
            blocks.append(Block("front_matter", line, text=tok.content))
        elif tok.type == "heading_open":
            blocks.append(Block("heading", line, text=tokens[i + 1].content.strip(), level=int(tok.tag[1])))
        elif tok.type.startswith("container_") and tok.type.endswith("_open"):
            name, _, params = tok.info.strip().partition(" ")
            # map[1] is the closing fence's line (or the end of an unclosed container).
            inner = "\n".join(lines[tok.map[0] + 1:tok.map[1]]).strip("\n") if tok.map else ""
            container = Block("container", line, name=name, params=params.strip(), source=inner)
            blocks.append(container)
        elif tok.type.startswith("container_") and tok.type.endswith("_close"):
            container = None
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif tok.type == "paragraph_open":
            para = _paragraph(tokens[i + 1], line, list_depth > 0)
            if container is not None:
                container.paragraphs.append(para)
            else:
                blocks.append(Block("paragraph", line, text=para.text, paragraphs=[para]))
    return blocks
