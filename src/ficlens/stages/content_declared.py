"""Warnings the author declares: "Warnings: major character death, suicide." in an author's note.

An author's own warning is the strongest evidence a reader can be shown, so a tag it names is emitted with the
note's sentence as evidence (and raises a finding the story's own sentences already gave).  Only notes (and disclaimers) that
speak of warnings are read, and a phrase with a negation before it in its clause ("no character death") is not a
warning.  The phrases are data: ``lexicons/declared_warnings.json``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons import load_json
from ..model import Evidence, Story
from ._notes import NOTE_SENTENCE, note_evidence, notes

DECLARED_CONFIDENCE = 0.9
# A clause ends at a sentence mark, a colon, a semicolon, a line break or "but".
_CLAUSE_END = re.compile(r"[.;:!?\n]|\bbut\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = load_json("declared_warnings.json")
    return {
        "marks": re.compile("|".join(data["warning_marks"]), re.IGNORECASE),
        "negations": set(data["negations"]),
        "mentioned": re.compile(data["mentioned_marks"], re.IGNORECASE),
        "tags": {tag: re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)
                 for tag, phrases in data["tags"].items()},
    }


def _negated(note: str, at: int) -> bool:
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(note, 0, at)), default=0)
    words = re.findall(r"[\w'’]+", note[clause_start:at].lower())[-6:]
    return any(w.replace("’", "'") in _lexicon()["negations"] for w in words)


def mentioned_only(evidence: list[Evidence]) -> bool:
    """Every declaring sentence says the thing is only mentioned ("mentions of a past suicide")."""
    return all(_lexicon()["mentioned"].search(e.text) for e in evidence)


def declared_warnings(story: Story) -> dict[str, list[Evidence]]:
    """Each tag the author's notes declare, with the note sentences that declare it."""
    lexicon = _lexicon()
    found: dict[str, list[Evidence]] = {}
    for block_start, note in notes(story):
        if not lexicon["marks"].search(note):
            continue
        for tag, pattern in lexicon["tags"].items():
            for match in pattern.finditer(note):
                if _negated(note, match.start()):
                    continue
                sentence = next(s for s in NOTE_SENTENCE.finditer(note) if s.start() <= match.start() < s.end())
                evidence = note_evidence(story, block_start + sentence.start(), block_start + sentence.end())
                if evidence not in found.setdefault(tag, []):
                    found[tag].append(evidence)
    return found
