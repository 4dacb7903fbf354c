"""Names the characters stage's rules leave undecided, put to spaCy's named-entity recogniser.

The rules accept a capitalised name when the text shows a person around it (a title, a speech tag, a verb of
agency, being spoken to); they reject words written in lower case elsewhere, families and places.  Between the
two lie names the rules have no cue for: "Georgi puts his phone away", "Watari had it ready", "Gracia can't
answer her", told in the present tense or with verbs no list holds.  A reader sees people there, and so does
``en_core_web_sm``'s recogniser, which learned from context rather than from a list.  It is a vote, not the
answer: it runs only on those undecided names, on a few sentences around each, so that a novel pays for a few
hundred short windows, not for a full pass (the stage otherwise never loads spaCy's pipeline).
"""

from __future__ import annotations

import re

from ..nlp import parse

# entity labels that say "not a person" (a place, an organisation, a thing with a name)
NOT_PERSON = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})
OWNED = re.compile(r"\b(?:his|her|my|your|their|our|its)\s+$")  # "his Switch", "her Corsa": a thing someone has
SAMPLES = 4  # occurrences of one name put to the recogniser
WINDOW = 160  # characters of context on either side, cut back to sentence ends
_SENTENCE_END = re.compile(r"[.!?…]['\"\u201d\u2019]?\s+|\n")


def window(text: str, lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    """The sentences around ``text[start:end]`` within ``text[lo:hi]`` (its paragraph), at most WINDOW
    characters either side."""
    left = max(lo, start - WINDOW)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, left, start)]
    left = ends[-1] if ends else left
    right = min(hi, end + WINDOW)
    m = _SENTENCE_END.search(text, end, right)
    return left, (m.end() if m else right)


def persons(text: str, undecided: dict[tuple, list], paragraphs: list[tuple[int, int]], nlp) -> set[tuple]:
    """The keys of ``undecided`` (name key -> its occurrences, each with ``start``, ``end``, ``in_quote`` and
    the index of its paragraph among ``paragraphs``, (start, end) spans) that the recogniser tags PERSON in at
    least half of their sampled occurrences and more often than anything else."""
    votes: dict[tuple, list[int]] = {}  # key -> [person, not a person, sampled]
    asked: list[tuple[tuple, int, int, int, int]] = []  # (key, window start and end, name start and end in it)
    for key, items in undecided.items():
        if any(len(w) > 1 and w.isupper() for w in key) or all(o.in_quote for o in items):
            continue  # "LISTENED": a shout; "Chu," "Ja," "Wah," open lines as names do
        tally = votes[key] = [0, 0, 0]
        step = max(1, len(items) // SAMPLES)
        for o in items[::step][:SAMPLES]:
            tally[2] += 1
            if OWNED.search(text, max(0, o.start - 8), o.start):
                tally[1] += 1  # "his Switch": no need to ask
                continue
            lo, hi = paragraphs[o.paragraph]
            left, right = window(text, lo, hi, o.start, o.end)
            asked.append((key, left, right, o.start - left, o.end - left))
    only_ner = [name for name in nlp.pipe_names if name != "ner"]
    docs = parse(nlp, (text[left:right] for _, left, right, _, _ in asked), batch_size=64, disable=only_ner)
    for (key, _, _, start, end), doc in zip(asked, docs):
        labels = {e.label_ for e in doc.ents if e.start_char < end and e.end_char > start}
        if "PERSON" in labels:
            votes[key][0] += 1
        elif labels & NOT_PERSON:
            votes[key][1] += 1
    return {key for key, (person, other, sampled) in votes.items() if person > other and 2 * person >= sampled}
