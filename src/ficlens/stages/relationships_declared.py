"""What an author's note says of who the story is about: its pairings ("Pairing: Kakashi/Iruka", "Sam/Rosie, with a
bit of Frodo", "Levi x Reader").  Whose eyes a note says it is told through ("Kirishima POV") is read in ``_pov``.

An author's own pairing tag is the strongest evidence a reader can be shown, so the relationships stage takes
it, with the note's sentence as evidence, when both names are characters of the body (a pairing of people the
story never shows is not read).  Romantic "A/B" and "A x B", platonic "A & B", as AO3 writes them.  Ship
portmanteaus ("Kiribaku") and pairs joined by "and" ("Ten and Donna, best mates") are not read: the first needs
fandom knowledge, the second is too often a list of the cast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Evidence, Story
from ._notes import NOTE_NAME, name_index, note_evidence, note_sentences, resolve_note_name

_PAIR = re.compile(rf"(?<![\w/&])(?P<a>{NOTE_NAME})\s*(?P<sep>/|&|\sx\s)\s*(?P<b>{NOTE_NAME})(?![\w/&])")


def declared_pairings(story: Story, reader: str | None = None) -> Iterator[tuple[str, tuple[str, str], Evidence]]:
    """(kind, pair of character ids in sorted order, the note sentence) for each pairing a note declares.
    ``reader`` is the id a second-person story's reader-insert goes by, if it has one."""
    index = name_index(story)
    for start, end, sentence in note_sentences(story):
        for match in _PAIR.finditer(sentence):
            a = resolve_note_name(match["a"], index, reader, trailing=True)
            b = resolve_note_name(match["b"], index, reader, trailing=False)
            if a and b and a != b:
                kind = "platonic" if match["sep"] == "&" else "romantic"
                yield kind, tuple(sorted((a, b))), note_evidence(story, start, end)
