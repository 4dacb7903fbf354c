"""Reading the author's notes and disclaimers, shared by the stages that take what an author declares (warnings,
genre, pairings, whose point of view): the notes' sentences, a note sentence as evidence, and the character a
name in a note means."""

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


# A name as notes write it: up to four capitalised words ("Kirishima", "Hatake Kakashi", "Obi-Wan Kenobi")
NOTE_NAME = r"[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){0,3}"
READER_NAMES = {"reader", "you", "y/n"}


def _words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[\w'’]+", name.casefold()))


def name_index(story: Story) -> list[tuple[str, list[frozenset[str]]]]:
    """Each character's id with the words of each of its names, for ``resolve_note_name``."""
    return [(c.id, [_words(n) for n in (c.name, c.canonical_name, *c.aliases) if n]) for c in story.characters]


def _resolve(name: str, index, reader: str | None) -> str | None:
    """The one character whose names hold every word of ``name`` (an exact name first); None when none or
    several do."""
    words = _words(name)
    if reader and " ".join(sorted(words)) in READER_NAMES:
        return reader
    exact = [cid for cid, names in index if words in names]
    if len(exact) == 1:
        return exact[0]
    covering = [cid for cid, names in index if any(words <= n for n in names)]
    return covering[0] if len(covering) == 1 else None


def resolve_note_name(name: str, index, reader: str | None, trailing: bool) -> str | None:
    """A name as the pattern caught it may carry words before it ("Gentle Sam/Rosie") or after it: the longest
    run of its words, kept at the end next to the separator (``trailing``) or at the start, that names one
    character."""
    parts = name.replace("-", " ").split()
    for size in range(len(parts), 0, -1):
        chosen = parts[-size:] if trailing else parts[:size]
        found = _resolve(" ".join(chosen), index, reader)
        if found:
            return found
    return None
