"""AO3 downloads (HTML, and the EPUB that AO3 makes from the same HTML with Calibre).

The layout follows otwarchive's ``app/views/downloads/`` templates:

- ``div#preface``: ``p.message`` (title, "Posted originally on the Archive of Our Own at URL"), then
  ``div.meta`` with ``dl.tags`` (``dt`` "Rating:", "Archive Warning(s):", "Category/Categories:",
  "Fandom(s):", "Relationship(s):", "Character(s):", "Additional Tags:", "Language:", "Series:",
  "Collections:", "Stats:"), the ``h1`` title, ``div.byline`` ("by" and the author links), and
  ``<p>Summary</p>``/``<p>Notes</p>`` each followed by a ``blockquote.userstuff``;
- ``div#chapters``: for a one-chapter work, a ``div.userstuff`` with the text; otherwise, per chapter,
  ``div.meta.group`` (``h2.heading`` "Chapter 3: Title", "Chapter Summary"/"Chapter Notes" labels and
  blockquotes), ``div.userstuff`` (the chapter), ``div.meta#endnotesN`` (chapter end notes);
- ``div#afterword``: ``div#endnotes`` ("End Notes" and a blockquote), related works, a "please comment"
  message.

A work page saved from a browser (``div#workskin``) is read too, from otwarchive's ``works/_meta``,
``works/_work_header_notes`` and ``chapters/_chapter`` views: ``dl.work.meta`` holds the same labels and
tags, ``div.preface.group`` the title (``h2.title``), byline, summary and notes modules, each
``div.chapter`` a ``div.chapter.preface.group`` (``h3.title``, notes), the ``div.userstuff`` text (after an
``h3.landmark`` "Chapter Text"), and a second preface group with the chapter's ``div.end.notes``;
``div.afterword`` has the work's end notes.  Only what is inside ``#workskin`` can become text: the
site's menus, kudos and comments around it never do.

The Story text is the title line, the work's notes, then per chapter its heading, notes, body and end
notes, then the work's end notes.  Everything else (the tag list, byline, summary, messages) goes into
``metadata`` only.  Calibre splits the EPUB at each chapter and copies the wrapping ``div`` s, so the walk
below goes by markers in document order rather than by one fixed nesting.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from ..model import AUTHOR_NOTE, CHAPTER_HEADING, TITLE, Story
from .html import TextBuilder, clean_inline, element_text

# dt label (lower case, without the colon) -> metadata key
TAG_FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "archive_warnings",
    "archive warnings": "archive_warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tag": "additional_tags",
    "additional tags": "additional_tags",
    "language": "language",
    "series": "series",
    "collection": "collections",
    "collections": "collections",
    "stats": "stats",
}
_CHAPTER_HEADING = re.compile(r"chapter\s+(\d+)\s*(?::\s*(.*))?", re.IGNORECASE | re.DOTALL)
_STAT = re.compile(r"([A-Za-z]+):\s*(\S+)")
_SERIES_PART = re.compile(r"part\s+(\d+)\s+of\s*$", re.IGNORECASE)
_WORK_URL = re.compile(r"/works/(\d+)/?$")
_CHAPTER_ENDNOTES_ID = re.compile(r"endnotes(\d+)")
_NUMBERED = re.compile(r"[-0-9]+$")


def has_class(tag: Tag, name: str) -> bool:
    """Whether ``tag`` has AO3's class ``name``, also as Calibre renames it when it flattens the CSS of
    the EPUB ("heading" -> "heading1", "userstuff" -> "userstuff2")."""
    return any(token == name or _NUMBERED.sub("", token) == name for token in tag.get("class") or [])


def _find(node: Tag, name: str | list[str], cls: str) -> Tag | None:
    return node.find(lambda tag: tag.name in ([name] if isinstance(name, str) else name) and has_class(tag, cls))


def _label(tag: Tag) -> str:
    return clean_inline(tag).rstrip(":").strip().lower()


def _has_ao3_labels(dl: Tag) -> bool:
    """At least three of AO3's tag labels among the <dt>s."""
    return len({_label(dt) for dt in dl.find_all("dt")} & TAG_FIELDS.keys()) >= 3


def _tag_dl(root: Tag) -> Tag | None:
    """The download preface's tag list.  (The work page's ``dl.work.meta`` has the same labels; it
    belongs to :func:`read_work_page`.)"""
    return next((dl for dl in root.find_all("dl") if not has_class(dl, "work") and _has_ao3_labels(dl)), None)


def is_ao3(*roots: Tag) -> bool:
    """Whether the document is an AO3 download: the preface's tag list is there."""
    return any(_tag_dl(root) is not None for root in roots)


def _work_meta_dl(root: Tag) -> Tag | None:
    return next((dl for dl in root.find_all("dl") if has_class(dl, "work") and _has_ao3_labels(dl)), None)


def work_page(root: Tag) -> Tag | None:
    """The ``#workskin`` of an AO3 work page saved from a browser (with its ``dl.work.meta``), or None."""
    skin = root.find(id="workskin")
    if skin is None or _work_meta_dl(root) is None:
        return None
    return skin


def empty_metadata() -> dict[str, Any]:
    """Every AO3 field, present even when the work leaves it blank (lists empty, the rest None)."""
    return {
        "title": None,
        "authors": [],
        "rating": None,
        "archive_warnings": [],
        "categories": [],
        "fandoms": [],
        "relationships": [],
        "characters": [],
        "additional_tags": [],
        "language": None,
        "series": [],
        "collections": [],
        "stats": {},
        "summary": None,
        "notes": None,
        "end_notes": None,
        "chapter_titles": [],
        "chapter_number": None,
        "chapter_info": [],
        "source_url": None,
        "work_id": None,
    }


def _tag_values(dd: Tag) -> list[str]:
    links = [clean_inline(a) for a in dd.find_all("a")]
    if links:
        return [link for link in links if link]
    # AO3 forbids commas inside tags, so a comma always separates two tags.
    return [part.strip() for part in clean_inline(dd).split(",") if part.strip()]


def _stats(dd: Tag) -> dict[str, Any]:
    stats: dict[str, Any] = {}
    for key, value in _STAT.findall(clean_inline(dd)):
        key = key.lower()
        if key in ("words", "comments", "kudos", "bookmarks", "hits") and value.replace(",", "").isdigit():
            stats[key] = int(value.replace(",", ""))
        else:
            stats[key] = value
    return stats


def _series(dd: Tag) -> list[dict[str, Any]]:
    """'Part 2 of <a>Series</a>, Part 1 of <a>Other</a>' -> [{title, part, url}, ...]."""
    series = []
    for link in dd.find_all("a"):
        before = link.previous_sibling
        part = _SERIES_PART.search(str(before)) if isinstance(before, NavigableString) else None
        number = int(part.group(1)) if part else None
        series.append({"title": clean_inline(link), "part": number, "url": link.get("href")})
    return series


def parse_tags(dl: Tag, metadata: dict[str, Any]) -> None:
    for dt in dl.find_all("dt"):
        key = TAG_FIELDS.get(_label(dt))
        dd = dt.find_next_sibling("dd")
        if key is None or dd is None:
            continue
        if key == "stats":
            metadata["stats"] = _stats(dd)
        elif key == "series":
            metadata["series"] = _series(dd)
        elif key in ("rating", "language"):
            values = _tag_values(dd) if key == "rating" else [clean_inline(dd)]
            metadata[key] = ", ".join(values) or None
        else:
            metadata[key] = _tag_values(dd)


def _authors(byline: Tag) -> list[str]:
    links = [clean_inline(a) for a in byline.find_all("a")]
    if links:
        return [link for link in links if link]
    text = re.sub(r"^\s*by\s+", "", clean_inline(byline), flags=re.IGNORECASE)
    return [name.strip() for name in text.split(",") if name.strip()]


def _labelled_blockquotes(container: Tag) -> list[tuple[str, Tag]]:
    """(label, blockquote) pairs: AO3 puts <p>Summary</p>, <p>Notes</p>... right before each blockquote.
    Blockquotes inside a note (the author's own) are part of that note, not labelled parts."""
    pairs = []
    for quote in container.find_all("blockquote"):
        outer = quote.find_parent("blockquote")
        if outer is not None and container in outer.parents:
            continue
        label_tag = quote.find_previous_sibling("p")
        pairs.append((_label(label_tag) if label_tag else "", quote))
    return pairs


class _Reader:
    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.metadata = empty_metadata()
        self.title_emitted = False
        self.message_title: str | None = None
        self.page = False  # reading a work page saved from a browser, not a download

    # -- the parts -----------------------------------------------------------------------------
    def message(self, node: Tag) -> None:
        for link in node.find_all("a"):
            match = _WORK_URL.search(link.get("href") or "")
            if match and self.metadata["source_url"] is None:
                self.metadata["source_url"] = link.get("href")
                self.metadata["work_id"] = int(match.group(1))
        bold = node.find("b")
        if bold is not None and self.message_title is None:
            self.message_title = clean_inline(bold) or None

    def preface(self, node: Tag) -> None:
        for message in node.find_all(lambda tag: tag.name == "p" and has_class(tag, "message")):
            self.message(message)
        dl = _tag_dl(node)
        if dl is not None:
            parse_tags(dl, self.metadata)
        heading = node.find("h1")
        title = clean_inline(heading) if heading else ""
        self.metadata["title"] = title or self.message_title or self.metadata["title"]
        if self.metadata["title"] and not self.title_emitted:
            self.builder.paragraph(self.metadata["title"], TITLE)
            self.title_emitted = True
        byline = _find(node, ["div", "p", "h3"], "byline")
        if byline is not None:
            self.metadata["authors"] = _authors(byline)
        for label, quote in _labelled_blockquotes(node):
            if label == "summary":
                self.metadata["summary"] = element_text(quote) or None
            elif label == "notes":
                self.metadata["notes"] = self._note(quote)

    def chapter_header(self, node: Tag) -> None:
        heading_tag = _find(node, "h2", "heading") or node.find(["h2", "h3"])
        chapter = self._chapter(clean_inline(heading_tag) if heading_tag else "")
        for label, quote in _labelled_blockquotes(node):
            if label in ("chapter summary", "summary"):
                chapter["summary"] = element_text(quote) or None
            elif label in ("chapter notes", "notes"):
                chapter["notes"] = self._note(quote)

    def _chapter(self, heading: str) -> dict[str, Any]:
        """Record a chapter from its heading ("Chapter 3: The Bridge") and put the heading in the text."""
        chapter: dict[str, Any] = {
            "number": len(self.metadata["chapter_info"]) + 1,
            "title": heading or None,
            "heading": heading or None,
            "summary": None,
            "notes": None,
            "end_notes": None,
        }
        match = _CHAPTER_HEADING.fullmatch(heading)
        if match:
            chapter["number"] = int(match.group(1))
            chapter["title"] = (match.group(2) or "").strip() or None
        self.metadata["chapter_info"].append(chapter)
        if heading:
            self.metadata["chapter_titles"].append(heading)
            self.builder.paragraph(heading, CHAPTER_HEADING)
        return chapter

    def end_notes(self, node: Tag, chapter_number: int | None) -> None:
        quote = node.find("blockquote") or node
        text = self._note(quote)
        if chapter_number is None:
            self.metadata["end_notes"] = text
            return
        for chapter in self.metadata["chapter_info"]:
            if chapter["number"] == chapter_number:
                chapter["end_notes"] = text
                return
        if self.metadata["chapter_info"]:
            self.metadata["chapter_info"][-1]["end_notes"] = text

    def afterword(self, node: Tag) -> None:
        endnotes = node.find(id="endnotes")
        if endnotes is not None:
            self.end_notes(endnotes, None)
            return
        for label, quote in _labelled_blockquotes(node):
            if label == "end notes":
                self.end_notes(quote, None)

    # -- the work page's parts (saved from a browser) --------------------------------------------
    def page_preface(self, node: Tag) -> None:
        heading = _find(node, "h2", "title") or node.find("h2")
        title = clean_inline(heading) if heading else ""
        if title:
            self.metadata["title"] = title
            if not self.title_emitted:
                self.builder.paragraph(title, TITLE)
                self.title_emitted = True
        byline = _find(node, ["h3", "div", "p"], "byline")
        if byline is not None:
            self.metadata["authors"] = _authors(byline)
        summary = _module_quote(node, "summary")
        if summary is not None:
            self.metadata["summary"] = element_text(summary) or None
        notes = _module_quote(node, "notes", end=False)
        if notes is not None:
            self.metadata["notes"] = self._note(notes)

    def page_chapter_preface(self, node: Tag) -> None:
        end_notes = _module_quote(node, "notes", end=True)
        if end_notes is not None and _find(node, "h3", "title") is None:
            chapter_number = len(self.metadata["chapter_info"]) or None
            self.end_notes(end_notes, chapter_number)
            return
        heading_tag = _find(node, "h3", "title") or node.find(["h2", "h3"])
        chapter = self._chapter(clean_inline(heading_tag) if heading_tag else "")
        summary = _module_quote(node, "summary")
        if summary is not None:
            chapter["summary"] = element_text(summary) or None
        notes = _module_quote(node, "notes", end=False)
        if notes is not None:
            chapter["notes"] = self._note(notes)
        if end_notes is not None:
            chapter["end_notes"] = self._note(end_notes)

    def page_afterword(self, node: Tag) -> None:
        quote = _module_quote(node, "notes", end=True)
        if quote is not None:
            self.end_notes(quote, None)

    def _note(self, quote: Tag) -> str | None:
        with self.builder.region(AUTHOR_NOTE):
            self.builder.feed(quote, headings=False)
        return element_text(quote) or None

    # -- the walk ------------------------------------------------------------------------------
    def _page_part(self, node: Tag):
        if node.name == "div" and has_class(node, "preface"):
            if has_class(node, "afterword"):
                return self.page_afterword
            if has_class(node, "chapter"):
                return self.page_chapter_preface
            return self.page_preface
        if node.name == "h3" and has_class(node, "landmark"):
            return lambda n: None  # "Chapter Text", a heading for screen readers
        return None

    def _part(self, node: Tag):
        """The handler of an AO3 part, or None when ``node`` is not one."""
        if self.page:
            return self._page_part(node)
        node_id = node.get("id") or ""
        if node_id == "preface":
            return self.preface
        if node_id == "afterword":
            return self.afterword
        if node_id == "endnotes":
            return lambda n: self.end_notes(n, None)
        chapter_endnotes = _CHAPTER_ENDNOTES_ID.fullmatch(node_id)
        if chapter_endnotes:
            return lambda n: self.end_notes(n, int(chapter_endnotes.group(1)))
        if node.name == "dl" and has_class(node, "tags"):
            return lambda n: parse_tags(n, self.metadata)
        if node.name == "div" and node.find("dl", recursive=False) is not None and _tag_dl(node) is not None:
            return self.preface  # the preface's div.meta, when div#preface lost its id
        if node.name == "div" and has_class(node, "meta"):
            if has_class(node, "group") or node.find("h2") is not None:
                return self.chapter_header
        if node.name == "p" and has_class(node, "message"):
            return self.message
        if has_class(node, "endnote-link") or (node.name == "h2" and has_class(node, "toc-heading")):
            return lambda n: None
        return None

    def walk(self, roots: Iterable[Tag]) -> None:
        roots = list(roots)
        # The elements that contain an AO3 part, found in one pass (a search per element is quadratic).
        holders: set[int] = set()
        for root in roots:
            for tag in root.find_all(True):
                if self._part(tag) is not None:
                    for ancestor in tag.parents:
                        if id(ancestor) in holders:
                            break
                        holders.add(id(ancestor))
        stack: list[object] = list(reversed(roots))
        while stack:
            node = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, PreformattedString) and node.strip():
                    self.builder.paragraph(" ".join(node.split()))
                continue
            if not isinstance(node, Tag) or node.name in ("script", "style", "head", "title"):
                continue
            handler = self._part(node)
            if handler is not None:
                handler(node)
            elif id(node) in holders:
                stack.extend(reversed(node.contents))
            else:
                self.builder.feed(node, headings=False)  # the story itself

    def finish(self) -> None:
        metadata = self.metadata
        metadata["title"] = metadata["title"] or self.message_title
        chapters = metadata["chapter_info"]
        if len(chapters) == 1:
            metadata["chapter_number"] = chapters[0]["number"]
        elif not chapters and str(metadata["stats"].get("chapters", "")).startswith("1/"):
            metadata["chapter_number"] = 1


def _module_quote(node: Tag, module: str, *, end: bool | None = None) -> Tag | None:
    """The blockquote of a work page's ``div.<module>.module`` (``end``: only, or never, ``div.end.notes``)."""
    for div in node.find_all("div"):
        if not (has_class(div, module) and has_class(div, "module")):
            continue
        if end is not None and has_class(div, "end") != end:
            continue
        quote = div.find("blockquote")
        if quote is not None:
            return quote
    return None


def read_work_page(body: Tag, skin: Tag, source: str | None) -> Story:
    """Read an AO3 work page saved from a browser: metadata from ``dl.work.meta``, text from ``#workskin``."""
    reader = _Reader()
    reader.page = True
    dl = _work_meta_dl(body)
    if dl is not None:
        parse_tags(dl, reader.metadata)
    reader.walk([skin])
    reader.finish()
    return Story(
        text=reader.builder.text,
        source=source,
        format="ao3-html",
        metadata=reader.metadata,
        preset_blocks=reader.builder.blocks,
    )


def read(
    roots: list[Tag],
    source: str | None,
    *,
    format: str,
    fallback: dict[str, Any] | None = None,
) -> Story:
    """Read an AO3 download whose documents' bodies are ``roots`` (one for HTML, the spine for EPUB)."""
    reader = _Reader()
    reader.walk(roots)
    reader.finish()
    for key, value in (fallback or {}).items():
        if not reader.metadata.get(key):
            reader.metadata[key] = value
    return Story(
        text=reader.builder.text,
        source=source,
        format=format,
        metadata=reader.metadata,
        preset_blocks=reader.builder.blocks,
    )
