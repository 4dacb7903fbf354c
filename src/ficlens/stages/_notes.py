"""Reading the author's notes and disclaimers, shared by the stages that take what an author declares (warnings,
genre, pairings, whose point of view): the notes' sentences, and a note sentence as evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import AUTHOR_NOTE, DISCLAIMER, Evidence, Story, trim_span

# A sentence of a note: up to its mark or a line break ("Warnings: MCD" and "Pairing: A/B" are often lines).
NOTE_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def notes(story: Story) -> Iterator[tuple[int, str]]:
    """(start, text) of each author's note and disclaimer ("Warnings: MCD. I don't own it." is one paratext
    block)."""
    for block in story.blocks:
        if block.kind in (AUTHOR_NOTE, DISCLAIMER):
            yield block.start, story.text[block.start : block.end]


def note_sentences(story: Story) -> Iterator[tuple[int, int, str]]:
    """(start, end, text) of each sentence of the notes, offsets in the story's text."""
    for start, note in notes(story):
        for m in NOTE_SENTENCE.finditer(note):
            yield start + m.start(), start + m.end(), m.group(0)


def note_evidence(story: Story, start: int, end: int) -> Evidence:
    """A note sentence as evidence, without its surrounding blanks."""
    start, end = trim_span(story.text, start, end)
    return Evidence(start, end, story.text[start:end])
