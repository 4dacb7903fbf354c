"""The story body read once into sentences, with dialogue marked: shared by the narrative and content stages.

Each body paragraph is parsed once with spaCy (``ctx.cache["docs"]``: a Doc per paragraph index, shared with
any other stage that parses paragraphs; parsed without the entity recognizer, so ``doc.ents`` is empty); each
sentence knows which of its tokens lie inside a quotation, so a stage can look at the narration alone or at the
dialogue alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..model import Paragraph, Story

DOCS_KEY = "docs"  # paragraph index -> spaCy Doc of that paragraph's text
SENTENCES_KEY = "content_sentences"

_QUOTE_MARKS = "\"'“”‘’«»「」『』"
_BLANK_LINES = re.compile(r"\n\s*\n")
# Only used when no quotes stage has written story.quotes: straight or curly double quotes in one paragraph.
_FALLBACK_QUOTE = re.compile(r"\"[^\"\n]*(?:\"|$)|“[^”\n]*(?:”|$)", re.M)


def body_paragraphs(story: Story) -> list[Paragraph]:
    """The story's body paragraphs; when no structure stage has run, the body blocks (or the whole text)
    split on blank lines, so that these stages still work on a bare Story."""
    if story.paragraphs:
        return story.paragraphs
    regions = [(b.start, b.end) for b in story.body_blocks()] or [(0, len(story.text))]
    paragraphs = []
    for start, end in regions:
        cursor = start
        for piece in _BLANK_LINES.split(story.text[start:end]):
            offset = story.text.index(piece, cursor) if piece else cursor
            cursor = offset + len(piece)
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                paragraphs.append(Paragraph(offset + lead, offset + lead + len(stripped)))
    return paragraphs


def dialogue_intervals(story: Story, paragraphs: list[Paragraph]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of dialogue in story offsets."""
    if story.quotes:
        # An utterance interrupted by a speech tag spans the tag too; its parts are the spoken words only.
        spans = []
        for q in story.quotes:
            for part in q.parts or [q]:
                start, end = part.start, part.end
                while start > 0 and story.text[start - 1] in _QUOTE_MARKS:
                    start -= 1
                while end < len(story.text) and story.text[end] in _QUOTE_MARKS:
                    end += 1
                spans.append((start, end))
    else:
        spans = []
        for p in paragraphs:
            for m in _FALLBACK_QUOTE.finditer(story.text, p.start, p.end):
                spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class DialogueIndex:
    """Answers 'is this offset inside a quotation?' in log time."""

    def __init__(self, intervals: list[tuple[int, int]]):
        self.intervals = intervals
        self.starts = [s for s, _ in intervals]

    def contains(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.intervals[i][1]

    def overlap(self, start: int, end: int) -> int:
        """Characters of [start, end) inside dialogue."""
        total = 0
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        while i < len(self.intervals) and self.intervals[i][0] < end:
            s, e = self.intervals[i]
            total += max(0, min(e, end) - max(s, start))
            i += 1
        return total


@dataclass
class Sentence:
    """One sentence of body text: its span in the story, its spaCy span, and which tokens are dialogue."""

    index: int
    start: int
    end: int
    paragraph: int  # index into the body paragraph list
    chapter: int
    scene: int
    span: object  # spacy.tokens.Span
    base: int  # story offset of the paragraph (token.idx + base = story offset)
    dialogue: list[bool] = field(default_factory=list)  # per token of span, True inside a quotation

    def in_dialogue(self, token) -> bool:
        return self.dialogue[token.i - self.span.start]

    @property
    def narration_tokens(self) -> list:
        return [t for t, d in zip(self.span, self.dialogue) if not d]

    @property
    def is_dialogue(self) -> bool:
        """Wholly (or nearly wholly) inside quotation marks."""
        words = [d for t, d in zip(self.span, self.dialogue) if not (t.is_punct or t.is_space)]
        return bool(words) and all(words)

    @property
    def has_narration(self) -> bool:
        return any(not d and not (t.is_punct or t.is_space) for t, d in zip(self.span, self.dialogue))

    def offset(self, token) -> int:
        return self.base + token.idx


def paragraph_docs(story: Story, ctx, paragraphs: list[Paragraph]) -> dict[int, object]:
    """A Doc per paragraph index, parsed once (nlp.pipe) and kept in ``ctx.cache["docs"]``."""
    docs = ctx.cache.setdefault(DOCS_KEY, {})
    missing = [i for i in range(len(paragraphs)) if i not in docs]
    if missing:
        texts = (story.text[paragraphs[i].start : paragraphs[i].end] for i in missing)
        # Named entities are not needed here (names come from the characters stage, PROPN from the tagger)
        # and the recognizer is half of the parsing time.
        for i, doc in zip(missing, ctx.nlp.pipe(texts, batch_size=64, disable=["ner"])):
            docs[i] = doc
    return docs


def story_sentences(story: Story, ctx) -> list[Sentence]:
    """Every body sentence, in order (computed once per analysis)."""
    cached = ctx.cache.get(SENTENCES_KEY)
    if cached is not None:
        return cached
    paragraphs = body_paragraphs(story)
    docs = paragraph_docs(story, ctx, paragraphs)
    index = DialogueIndex(dialogue_intervals(story, paragraphs))
    sentences: list[Sentence] = []
    for pi, paragraph in enumerate(paragraphs):
        doc = docs[pi]
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            start = paragraph.start + sent.start_char
            end = paragraph.start + sent.end_char
            flags = [index.contains(paragraph.start + t.idx) for t in sent]
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=start,
                    end=end,
                    paragraph=pi,
                    chapter=getattr(paragraph, "chapter", 0),
                    scene=getattr(paragraph, "scene", 0),
                    span=sent,
                    base=paragraph.start,
                    dialogue=flags,
                )
            )
    ctx.cache[SENTENCES_KEY] = sentences
    ctx.cache["content_dialogue_index"] = index
    return sentences


def dialogue_index(story: Story, ctx) -> DialogueIndex:
    story_sentences(story, ctx)
    return ctx.cache["content_dialogue_index"]
