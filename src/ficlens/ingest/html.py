"""HTML to readable text, with the regions whose role the markup already tells (shared by HTML and EPUB).

The text is built in reading order: one paragraph per block element (``<p>``, ``<div>``, ``<li>``,
headings...), paragraphs separated by a blank line, ``<br>`` as a line break, whitespace collapsed
as a browser would.  Nothing is executed and nothing that is story text is dropped: only the
contents of ``script``, ``style``, ``head``, ``nav`` and the like are left out.  A bare ``<hr>`` becomes
the line ``* * *``, and a paragraph made only of symbols (``***``, ``~~~``, ``• • •``) keeps its own
text; both are preset scene breaks.  Lettered separators (``-x-``, ``oOo``) are left to the structure
stage, which knows them.
"""

from __future__ import annotations

import re
import warnings
from contextlib import contextmanager
from typing import Iterable, Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString, Script, Stylesheet, TemplateString

from ..errors import InputError
from ..model import CHAPTER_HEADING, SCENE_BREAK, TITLE, Block, Story
from .text import title_heading

SKIPPED_TAGS = frozenset(
    "script style head nav noscript template iframe object embed svg math audio video canvas "
    "button select option input textarea title meta link base rt rp".split()
)
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup html li main ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split()
)
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3}
SCENE_BREAK_LINE = "* * *"

_COLLAPSIBLE = re.compile(r"[ \t\n\r\f\xa0]+")
_SPACES = re.compile(r"[ \t\xa0]+")
# No letters, digits or quote marks (underscores are symbols here: "___" is a break).
_SYMBOLS_ONLY = re.compile(r"(?:[^\w\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u300c\u300d]|_){1,40}")
_BEAT_ONLY = re.compile(r"[.\u2026?!\s]+")


def parse(markup: bytes | str) -> BeautifulSoup:
    """Parse HTML/XHTML with lxml's HTML parser (encoding from BOM, <meta charset> or detection)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4's "looks like a filename/URL/XML" advice
        return BeautifulSoup(markup, "lxml")


def is_symbol_line(text: str) -> bool:
    """A short paragraph of symbols only, such as ``***``, ``~~~`` or ``• • •`` (no letters, digits or
    quote marks; a bare "…", "?" or "!" is a beat of silence or surprise, not a break)."""
    text = text.strip()
    return bool(text) and bool(_SYMBOLS_ONLY.fullmatch(text)) and not _BEAT_ONLY.fullmatch(text)


class TextBuilder:
    """Accumulates paragraphs into one text and records preset blocks with their offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self._inline: list[str] = []
        self._preformatted = 0
        self._inline_preformatted = False  # the paragraph being built keeps its spacing (<pre>)
        self._region: list[int] | None = None  # [start, end] of the paragraphs in the open region
        self.heading_levels: list[tuple[Block, int]] = []  # each preset heading block with its <hN> level

    # -- output ---------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts[:] = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def paragraph(self, text: str, kind: str | None = None) -> tuple[int, int] | None:
        """Append one paragraph (already clean) and, outside a region, a preset block of ``kind``."""
        self.flush()
        text = text.strip("\n")
        if not text.strip():
            return None
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        if self._region is not None:
            if self._region[0] < 0:
                self._region[0] = start
            self._region[1] = self._length
        elif kind is not None:
            self.blocks.append(Block(start=start, end=self._length, kind=kind))
        return start, self._length

    @contextmanager
    def region(self, kind: str) -> Iterator[None]:
        """Everything added inside is one preset block of ``kind`` (inner presets are not kept)."""
        self.flush()
        outer, self._region = self._region, [-1, -1]
        try:
            yield
            self.flush()
        finally:
            start, end = self._region
            self._region = outer
        if start >= 0:
            if outer is not None:
                outer[0] = start if outer[0] < 0 else outer[0]
                outer[1] = end
            else:
                self.blocks.append(Block(start=start, end=end, kind=kind))

    # -- walking the tree -------------------------------------------------------------------------
    def feed(self, root: Tag, *, headings: bool = True) -> None:
        """Add the readable text of ``root`` (and its descendants) in document order.

        With ``headings``, ``<h1>``-``<h3>`` become preset chapter headings.  The walk is iterative, so
        deeply nested markup cannot exhaust the stack.
        """
        stack: list[tuple[object, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self._leave(node, headings)
                continue
            if isinstance(node, NavigableString):
                if not isinstance(node, (PreformattedString, Script, Stylesheet, TemplateString)):
                    self._text(str(node))
                continue
            if not isinstance(node, Tag):
                continue
            name = (node.name or "").lower()
            if name in SKIPPED_TAGS and node is not root:
                continue
            if name == "br":
                self._inline.append("\n")
                continue
            if name == "hr":
                self.paragraph(SCENE_BREAK_LINE, SCENE_BREAK)
                continue
            if name in BLOCK_TAGS:
                self.flush()
            if name == "pre":
                self._preformatted += 1
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        self.flush()

    def _leave(self, node: Tag, headings: bool) -> None:
        name = (node.name or "").lower()
        if name == "pre":
            self._preformatted -= 1
        if name in BLOCK_TAGS:
            if headings and name in HEADING_LEVELS:
                blocks_before = len(self.blocks)
                self.flush(CHAPTER_HEADING)
                if len(self.blocks) > blocks_before:
                    self.heading_levels.append((self.blocks[-1], HEADING_LEVELS[name]))
            else:
                self.flush()

    def _text(self, text: str) -> None:
        if self._preformatted:
            self._inline_preformatted = True
            self._inline.append(text.replace("\r\n", "\n").replace("\xa0", " "))
        else:
            self._inline.append(_COLLAPSIBLE.sub(" ", text))

    def flush(self, kind: str | None = None) -> None:
        """End the paragraph being built.  Symbol-only paragraphs are preset scene breaks."""
        if not self._inline:
            return
        raw = "".join(self._inline)
        self._inline = []
        if self._inline_preformatted:
            self._inline_preformatted = False
            lines = [line.rstrip() for line in raw.split("\n")]
        else:
            lines = [_SPACES.sub(" ", line).strip() for line in raw.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
        if not text:
            return
        if kind is None and "\n" not in text and is_symbol_line(text):
            kind = SCENE_BREAK
        self.paragraph(text, kind)


def element_text(element: Tag) -> str:
    """The readable text of one element, paragraphs separated by a blank line (for metadata fields)."""
    builder = TextBuilder()
    builder.feed(element, headings=False)
    return builder.text


def clean_inline(element: Tag | None) -> str:
    """An element's text on one line: inline markup joined as written ("<a>Chapter 1</a>: Needle" ->
    "Chapter 1: Needle"), block elements separated by a space, whitespace collapsed."""
    if element is None:
        return ""
    return " ".join(element_text(element).split())


def page_title(soup: BeautifulSoup) -> str | None:
    title = soup.find("title")
    text = " ".join(title.get_text().split()) if title else ""
    return text or None


def feed_with_title(builder: TextBuilder, roots: Iterable[Tag], known_title: str | None) -> list[str]:
    """Feed generic documents; settle which heading is the title.  Returns the chapter heading texts."""
    first_heading = len(builder.heading_levels)
    for root in roots:
        builder.feed(root, headings=True)
    text = builder.text
    headings = builder.heading_levels[first_heading:]
    pairs = [(level, text[block.start : block.end]) for block, level in headings]
    title_index = title_heading(pairs, known_title)
    if title_index is not None:
        headings[title_index][0].kind = TITLE
    return [heading for i, (_, heading) in enumerate(pairs) if i != title_index]


def read_html(markup: bytes | str, name: str, source: str | None) -> Story:
    """Read an HTML document: an AO3 download or work page, a FanFiction.net page, or generic HTML."""
    from . import ao3, ffnet  # they build on this module

    soup = parse(markup)
    encoding = getattr(soup, "original_encoding", None)
    body = soup.body or soup
    skin = ao3.work_page(body)
    if skin is not None:
        story = ao3.read_work_page(body, skin, source)
    elif ao3.is_ao3(body):
        story = ao3.read([body], source, format="ao3-html")
    elif (story_root := ffnet.story_text(body)) is not None:
        story = ffnet.read(body, story_root, source, page_title(soup))
    else:
        builder = TextBuilder()
        title = page_title(soup)
        chapter_titles = feed_with_title(builder, [body], title)
        text = builder.text
        if title is None:
            title = next((text[b.start : b.end] for b in builder.blocks if b.kind == TITLE), None)
        story = Story(text=text, source=source, format="html", preset_blocks=builder.blocks)
        if title:
            story.metadata["title"] = title
        if chapter_titles:
            story.metadata["chapter_titles"] = chapter_titles
    if not story.text.strip():
        raise InputError(f"{name} has no readable text")
    if encoding:
        story.metadata["encoding"] = encoding
    return story
