"""FanFiction.net and FictionPress chapter pages saved from a browser.

The story is the ``div#storytext``; everything else on the page (menus, reviews, the chapter selector,
adverts) is site chrome and never becomes text.  From ``div#profile_top`` come the title (its ``<b>``),
the author (the ``/u/`` link), the summary (a ``div``) and the grey info line, "Rated: Fiction T -
English - Romance - Kakashi H., Iruka U. - Chapters: 5 - Words: 12,345 - ... - Published: 5/2/2014 -
id: 1234567", read for its rating, language and "Key: value" figures.  The chapter shown comes from
the selected option of ``#chap_select`` ("3. The Bridge").
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import Tag

from ..model import CHAPTER_HEADING, TITLE, Story
from .html import TextBuilder, clean_inline, element_text

_FIGURE = re.compile(r"^([A-Za-z]+):\s*(.+)$")
_CHAPTER_OPTION = re.compile(r"^(\d+)\.\s*(.*)$")


def story_text(body: Tag) -> Tag | None:
    return body.find(id="storytext")


def _info(line: str, metadata: dict[str, Any]) -> None:
    stats: dict[str, Any] = {}
    unlabelled: list[str] = []
    for item in (part.strip() for part in line.split(" - ")):
        match = _FIGURE.match(item)
        if not match:
            unlabelled.append(item)
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "rated":
            metadata["rating"] = value
        elif value.replace(",", "").isdigit():
            stats[key] = int(value.replace(",", ""))
        else:
            stats[key] = value
    if unlabelled:
        metadata["language"] = unlabelled[0]  # the site always puts the language first after the rating
    if stats:
        metadata["stats"] = stats


def read(body: Tag, text_root: Tag, source: str | None, page_title: str | None) -> Story:
    metadata: dict[str, Any] = {"title": None, "authors": []}
    profile = body.find(id="profile_top")
    if profile is not None:
        bold = profile.find("b")
        metadata["title"] = (clean_inline(bold) or None) if bold is not None else None
        metadata["authors"] = [
            clean_inline(a) for a in profile.find_all("a", href=re.compile(r"^(?:https?://[^/]+)?/u/\d+"))
        ]
        for div in profile.find_all("div", recursive=False):
            summary = element_text(div)
            if summary:
                metadata["summary"] = summary
                break
        info = next((span for span in profile.find_all("span") if "Rated:" in clean_inline(span)), None)
        if info is not None:
            _info(clean_inline(info), metadata)
    metadata["title"] = metadata["title"] or page_title
    builder = TextBuilder()
    if metadata["title"]:
        builder.paragraph(metadata["title"], TITLE)
    selector = body.find("select", id="chap_select")
    chosen = selector.find("option", selected=True) if selector is not None else None
    if chosen is not None:
        heading = clean_inline(chosen)
        match = _CHAPTER_OPTION.match(heading)
        if match:
            metadata["chapter_number"] = int(match.group(1))
        metadata["chapter_titles"] = [heading]
        builder.paragraph(heading, CHAPTER_HEADING)
    builder.feed(text_root, headings=False)
    return Story(text=builder.text, source=source, format="html", metadata=metadata, preset_blocks=builder.blocks)
