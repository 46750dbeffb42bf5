"""Turns the Markdown page bodies under portal/content/ into StreamField data.

The format is documented in portal/content/README.md.
"""

import re
import uuid
from pathlib import Path

import markdown
import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"
HEADING = re.compile(r"^(#{2,4})\s+(.*)$")
FENCE_OPEN = re.compile(r"^:::(\w+)\s*(.*)$")
FENCE_CLOSE = ":::"
LINK_ITEM = re.compile(r"^\s*[-*]\s+\[(?P<text>[^\]]+)\]\((?P<url>[^)]+)\)\s*$")


class ContentError(ValueError):
    """The content files are malformed; the message names the file and line."""


def to_html(text):
    return markdown.markdown(text.strip(), extensions=["sane_lists"]) if text.strip() else ""


def _block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _table(lines, where):
    rows = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
            continue
        rows.append(cells)
    if not rows:
        raise ContentError(f"{where}: empty table")
    return {
        "data": rows,
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "",
    }


def _fenced(kind, argument, lines, where):
    text = "\n".join(lines)
    if kind == "inset":
        return _block("inset", {"text": to_html(text)})
    if kind == "warning":
        return _block("warning", {"text": " ".join(text.split())})
    if kind == "details":
        return _block("details", {"summary": argument, "content": to_html(text)})
    if kind == "quote":
        return _block("quote", {"quote": text.strip(), "attribution": argument})
    if kind == "table":
        return _block("table", {"caption": argument, "table": _table(lines, where)})
    if kind == "links":
        links = []
        for line in lines:
            if not line.strip():
                continue
            match = LINK_ITEM.match(line)
            if not match:
                raise ContentError(f"{where}: a links block holds only '- [text](url)' lines, not {line!r}")
            links.append({"text": match["text"], "page": None, "url": match["url"]})
        return _block("links", {"heading": argument, "links": links})
    raise ContentError(f"{where}: unknown block ':::{kind}'")


def markdown_to_stream(source, name="<string>"):
    """Parse one Markdown body into a list of raw StreamField blocks."""
    blocks, prose = [], []
    lines = source.splitlines()

    def flush_prose():
        html = to_html("\n".join(prose))
        if html:
            blocks.append(_block("paragraph", html))
        prose.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        heading = HEADING.match(line)
        fence = FENCE_OPEN.match(line)
        if heading:
            flush_prose()
            level = f"h{len(heading.group(1))}"
            blocks.append(_block("heading", {"text": heading.group(2).strip(), "level": level}))
        elif fence:
            flush_prose()
            start = index
            inner = []
            index += 1
            while index < len(lines) and lines[index].strip() != FENCE_CLOSE:
                inner.append(lines[index])
                index += 1
            if index == len(lines):
                raise ContentError(f"{name}:{start + 1}: ':::{fence.group(1)}' is never closed")
            blocks.append(_fenced(fence.group(1), fence.group(2).strip(), inner, f"{name}:{start + 1}"))
        else:
            prose.append(line)
        index += 1
    flush_prose()
    return blocks


def load_body(relative_path):
    path = CONTENT_DIR / "pages" / relative_path
    if not path.is_file():
        raise ContentError(f"missing page body {path.relative_to(CONTENT_DIR)}")
    return markdown_to_stream(path.read_text(encoding="utf-8"), str(path.relative_to(CONTENT_DIR)))


def load_site_tree():
    return yaml.safe_load((CONTENT_DIR / "site.yaml").read_text(encoding="utf-8"))


def load_question_sets():
    return [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((CONTENT_DIR / "questions").glob("*.yaml"))
    ]


def load_demo(name):
    """Demonstration data (``content/demo/<name>.yaml``), for seed_demo only."""
    return yaml.safe_load((CONTENT_DIR / "demo" / f"{name}.yaml").read_text(encoding="utf-8"))


def load_knowledge_checks():
    """{training page slug: {"pass_mark", "questions"}} from knowledge_checks/*.yaml."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((CONTENT_DIR / "knowledge_checks").glob("*.yaml"))
    }
