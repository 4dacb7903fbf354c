"""What an author's note says of who the story is about: pairings ("Pairing: Kakashi/Iruka", "Sam/Rosie, with a bit
of Frodo", "Levi x Reader") and whose eyes it is told through ("Kirishima POV").

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
from ._notes import note_evidence, note_sentences, notes

_NAME = r"[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){0,3}"
_PAIR = re.compile(rf"(?<![\w/&])(?P<a>{_NAME})\s*(?P<sep>/|&|\sx\s)\s*(?P<b>{_NAME})(?![\w/&])")
_POV = re.compile(rf"(?P<a>{_NAME})(?:['’]s)?\s+POV\b|\bPOV:\s*(?P<b>{_NAME})")
READER_NAMES = {"reader", "you", "y/n"}


def _words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[\w'’]+", name.casefold()))


def _name_index(story: Story) -> list[tuple[str, list[frozenset[str]]]]:
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


def _resolve_side(name: str, index, reader: str | None, trailing: bool) -> str | None:
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


def declared_narrator(story: Story) -> str | None:
    """The character a note names as the point of view ("Kirishima POV", "Sakura's POV", "POV: Levi"), when
    the notes name exactly one."""
    index = _name_index(story)
    named = {_resolve_side(m["a"] or m["b"], index, None, trailing=bool(m["a"]))
             for _, note in notes(story) for m in _POV.finditer(note)}
    named.discard(None)
    return named.pop() if len(named) == 1 else None


def declared_pairings(story: Story, reader: str | None = None) -> Iterator[tuple[str, tuple[str, str], Evidence]]:
    """(kind, pair of character ids in sorted order, the note sentence) for each pairing a note declares.
    ``reader`` is the id a second-person story's reader-insert goes by, if it has one."""
    index = _name_index(story)
    for start, end, sentence in note_sentences(story):
        for match in _PAIR.finditer(sentence):
            a = _resolve_side(match["a"], index, reader, trailing=True)
            b = _resolve_side(match["b"], index, reader, trailing=False)
            if a and b and a != b:
                kind = "platonic" if match["sep"] == "&" else "romantic"
                yield kind, tuple(sorted((a, b))), note_evidence(story, start, end)
