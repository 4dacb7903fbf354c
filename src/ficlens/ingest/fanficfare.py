"""EPUBs made by FanFicFare (the common way to save stories from FanFiction.net, AO3 and many other sites).

FanFicFare marks each page by a class on ``<body>`` (its ``writers/writer_epub.py`` templates):
``fff_titlepage`` (``<h3><a>Title</a> by <a>Author</a></h3>`` then ``<b>Label:</b> value<br/>`` lines,
or a table of the same), ``fff_tocpage`` (the table of contents), ``fff_chapter`` (``h3.fff_chapter_title``
and the chapter), ``fff_logpage`` (the update log) and ``fff_coverpage``.  The title page goes into
``metadata``, with the field names of the AO3 reader where the meaning is the same; the contents, log
and cover pages are not story and are skipped.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import Tag

from .html import clean_inline, element_text

SKIPPED_PAGES = {"fff_tocpage", "fff_logpage", "fff_coverpage"}
TITLE_PAGE = "fff_titlepage"

# title-page label (lower case) -> (metadata key, how the value is kept)
LABELS = {
    "category": ("fandoms", "list"),
    "fandoms": ("fandoms", "list"),
    "genre": ("genres", "list"),
    "language": ("language", "text"),
    "characters": ("characters", "list"),
    "relationships": ("relationships", "list"),
    "rating": ("rating", "text"),
    "warnings": ("archive_warnings", "list"),
    "extra tags": ("additional_tags", "list"),
    "freeform tags": ("additional_tags", "list"),
    "additional tags": ("additional_tags", "list"),
    "summary": ("summary", "block"),
    "story url": ("source_url", "text"),
    "series": ("series", "series"),
    "status": ("stats", "status"),
    "published": ("stats", "published"),
    "updated": ("stats", "updated"),
    "packaged": ("stats", "packaged"),
    "chapters": ("stats", "chapters"),
    "words": ("stats", "words"),
}
_SERIES = re.compile(r"(.*?)\s*\[(\d+)\]\s*$")


def page_kind(body: Tag) -> str | None:
    """The FanFicFare page class of a spine document's body ('fff_titlepage'...), or None."""
    for name in body.get("class") or []:
        if name.startswith("fff_"):
            return name
    return None


def _value_after(label: Tag) -> Tag | str:
    """What follows a ``<b>Label:</b>``: the siblings up to the next <br> or <b>, or the next table cell."""
    parts: list[str] = []
    for sibling in label.next_siblings:
        if isinstance(sibling, Tag) and sibling.name in ("br", "b"):
            break
        parts.append(str(sibling))
    value = "".join(parts)
    if value.strip():
        return value
    cell = label.find_parent("td")
    following = cell.find_next_sibling("td") if cell is not None else None
    return following if following is not None else ""


def read_title_page(body: Tag) -> dict[str, Any]:
    from .html import parse

    metadata: dict[str, Any] = {}
    heading = body.find("h3")
    if heading is not None:
        links = heading.find_all("a")
        if links:
            metadata["title"] = clean_inline(links[0]) or None
            metadata["authors"] = [clean_inline(a) for a in links[1:] if clean_inline(a)]
        else:
            title, _, author = clean_inline(heading).rpartition(" by ")
            metadata["title"] = title or clean_inline(heading)
            metadata["authors"] = [author] if title and author else []
    stats: dict[str, Any] = {}
    other: dict[str, str] = {}
    for label_tag in body.find_all("b"):
        label = clean_inline(label_tag)
        if not label.endswith(":"):
            continue
        label = label[:-1].strip()
        value = _value_after(label_tag)
        element = value if isinstance(value, Tag) else parse(f"<div>{value}</div>").div
        text = clean_inline(element) if element is not None else ""
        if not text:
            continue
        key, kind = LABELS.get(label.lower(), (None, None))
        if key is None:
            other[label] = text
        elif kind == "list":
            metadata[key] = [item.strip() for item in text.split(",") if item.strip()]
        elif kind == "text":
            metadata[key] = text
        elif kind == "block":
            metadata[key] = element_text(element) or text
        elif kind == "series":
            match = _SERIES.match(text)
            title, part = (match.group(1), int(match.group(2))) if match else (text, None)
            metadata[key] = [{"title": title, "part": part, "url": None}]
        elif kind == "words" and text.replace(",", "").isdigit():
            stats["words"] = int(text.replace(",", ""))
        else:
            stats[kind] = text
    if stats:
        metadata["stats"] = stats
    if other:
        metadata["title_page"] = other
    return metadata


def is_link_list(body: Tag) -> bool:
    """A table of contents: several links and, headings aside, almost no text outside them."""
    links = body.find_all("a")
    if len(links) < 3:
        return False

    def size(tag: Tag) -> int:
        return len("".join(clean_inline(tag).split()))

    total = size(body) - sum(size(h) for h in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]))
    return total > 0 and sum(size(a) for a in links) >= 0.8 * total

