"""Reading helpers shared by the relationships, network, arc and motifs stages.

The body is parsed once per paragraph with spaCy and kept in ``ctx.cache["docs"]`` (paragraph index -> Doc),
the same convention as the narrative and content stages, so a full analysis parses each paragraph once.
Mentions and quotes are looked up by offset with bisect, so the stages stay linear in the story's length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable

from ..model import Mention, Paragraph, Quote, Story
from ..nlp import parse

DOCS_KEY = "docs"
SENTENCES_KEY = "body_sentences"

_BLANK_LINES = re.compile(r"\n\s*\n")


def body_paragraphs(story: Story) -> list[Paragraph]:
    """``story.paragraphs``; on a bare Story (no structure stage: no blocks), the whole text split on blank
    lines."""
    if story.paragraphs or story.blocks:
        return story.paragraphs  # a structured story with no body paragraphs has no body to read
    regions = [(0, len(story.text))]
    paragraphs: list[Paragraph] = []
    for start, end in regions:
        for m in re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*$)", story.text[start:end], re.S):
            paragraphs.append(Paragraph(start + m.start(), start + m.end()))
    story.paragraphs = paragraphs
    return paragraphs


def paragraph_docs(story: Story, ctx, indices: Iterable[int] | None = None) -> dict[int, object]:
    """A Doc per body paragraph index (all of them, or only ``indices``), parsed once and cached."""
    paragraphs = body_paragraphs(story)
    docs = ctx.cache.setdefault(DOCS_KEY, {})
    wanted = range(len(paragraphs)) if indices is None else indices
    missing = [i for i in wanted if i not in docs]
    if missing:
        texts = (story.text[paragraphs[i].start : paragraphs[i].end] for i in missing)
        for i, doc in zip(missing, parse(ctx.nlp, texts, batch_size=64)):
            docs[i] = doc
    return docs


@dataclass
class Sentence:
    """One body sentence: its story span, its paragraph, and the spaCy span (token.idx + base = story offset)."""

    start: int
    end: int
    paragraph: int
    span: object
    base: int

    def offset(self, token) -> int:
        return self.base + token.idx


def body_sentences(story: Story, ctx) -> list[Sentence]:
    """Every body sentence in order (computed once per analysis)."""
    cached = ctx.cache.get(SENTENCES_KEY)
    if cached is not None:
        return cached
    paragraphs = body_paragraphs(story)
    docs = paragraph_docs(story, ctx)
    sentences = []
    for pi, paragraph in enumerate(paragraphs):
        for sent in docs[pi].sents:
            if sent.text.strip():
                sentences.append(
                    Sentence(paragraph.start + sent.start_char, paragraph.start + sent.end_char, pi, sent, paragraph.start)
                )
    ctx.cache[SENTENCES_KEY] = sentences
    return sentences


class MentionIndex:
    """Character mentions (those resolved to a character) sorted by offset."""

    def __init__(self, mentions: Iterable[Mention]):
        self.mentions = sorted((m for m in mentions if m.character), key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]

    def within(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            out.append(self.mentions[i])
            i += 1
        return out

    def at(self, start: int, end: int) -> Mention | None:
        """The mention overlapping [start, end), if any."""
        i = bisect.bisect_right(self.starts, start) - 1
        for j in (i, i + 1):
            if 0 <= j < len(self.mentions):
                m = self.mentions[j]
                if m.start < end and start < m.end:
                    return m
        return None

    def overlaps(self, start: int, end: int) -> bool:
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        # A long mention may start well before; look back a little.
        for j in range(max(i - 3, 0), len(self.mentions)):
            m = self.mentions[j]
            if m.start >= end:
                break
            if m.end > start:
                return True
        return False


class QuoteIndex:
    """Quotations sorted by offset: which quote (if any) covers an offset."""

    def __init__(self, quotes: Iterable[Quote]):
        self.quotes = sorted(quotes, key=lambda q: q.start)
        self.starts = [q.start for q in self.quotes]

    def covering(self, offset: int) -> Quote | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.quotes[i].end:
            return self.quotes[i]
        return None

    def within(self, start: int, end: int) -> list[Quote]:
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        out = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            if self.quotes[i].end > start:
                out.append(self.quotes[i])
            i += 1
        return out


def tag_name(story: Story, character_id: str) -> str:
    """The name a tag uses: the fandom pack's or user list's canonical name, else the display name."""
    character = story.character(character_id)
    if character is None:
        return character_id
    return character.canonical_name or character.name
