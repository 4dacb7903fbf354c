"""Mood tags the cue-density rules of :mod:`.content` miss, read from the parse after everything else.

Humor: a light story (no warning, no sorrow or hurt found) that talks, with comic beats in it: someone laughs
(in narration, not negated), a line is shouted in capitals or stressed in italics, a line ends in an exclamation,
a reply echoes the line before it ("A sword." after "He died. Of... a sword."), and the comic narration the humor
cue list already knows ("said mildly").  Each beat is a sentence, and the beats are the evidence.  The beats are
counted against the story's length, so that a long novel needs its jokes throughout.

Comedy: a story told in many such beats with no warning and no trigger tag is a comedy: its funeral is a mock one
and its war a game of dodgeball, so its Grief/Mourning, War, Angst and Hurt/Comfort findings are dropped.

Fluff: a light comedy, seldom sad, with the warm sentences of the fluff cue list at a lower density than a story
needs without its jokes.

Friendship: a comic story told among three or more speakers, with no love story in it (no romance found, and the
romance cues weak), is friends joking together; it cites the beats in which two or more of them appear.

Declared in the author's notes, cited from the note (a new finding, or the note cited first in one found):
Humor, Fluff and Hurt/Comfort named as the genre ("Pure crack.", "A silly little thing", "pure fluff", "Jiang
Cheng whump"); Romance, a pairing written with a slash ("Enjolras/Grantaire"); Friendship, a story called a
friendship ("Clint & Natasha, friendship only", "Merlin & Arthur, gen").

These rules never enter the hits the learned reader reads, and touch no warning nor trigger tag, so the warnings
are exactly what they were.  Cue words and settings: ``lexicons/mood_cues.json``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons import load_json
from ..model import Evidence, Story, TagFinding
from ._notes import note_evidence, note_sentences
from .content_cues import CueReader
from .content_parse import Sentence

HUMOR = "Humor"
FLUFF = "Fluff"
FRIENDSHIP = "Friendship"
ROMANCE = "Romance"
MAX_EVIDENCE = 5

# A word or phrase stressed between asterisks or underscores, the plain-text italics of fan fiction.
_STRESSED = re.compile(r"(?<![\w*_])[*_][A-Za-z][^*_\n]{0,40}[*_](?![\w*_])")
# Closing quotation marks and spaces after a line's last mark.
_CLOSING = "\"”’' "


@lru_cache(maxsize=1)
def _cues() -> dict:
    return load_json("mood_cues.json")


def comic_beats(story: Story, sentences: list[Sentence], reader: CueReader) -> dict[int, str]:
    """Sentence index -> the kind of comic beat it holds (laugh, shout, stress, echo, exclaim)."""
    cues = _cues()["humor"]
    laughs = set(cues["laugh_lemmas"])
    not_shouts = set(cues["shout_exclusions"])
    beats: dict[int, str] = {}
    previous = None
    for s in sentences:
        text = story.text[s.start : s.end]
        talks = any(s.dialogue)
        for t in s.tokens:
            if t.lemma_.lower() in laughs and t.pos_ == "VERB" and not s.in_dialogue(t):
                if not (reader.negated(t) or reader.hypothetical(t, s)):
                    beats[s.index] = "laugh"  # "Luffy laughed so hard he fell off the figurehead"
                    break
        else:
            if any(
                s.in_dialogue(t) and t.is_alpha and len(t.text) >= 3 and t.text.isupper() and t.lower_ not in not_shouts
                for t in s.tokens
            ):
                beats[s.index] = "shout"  # "DOCTOR! SOMEONE CALL A DOCTOR!"
            elif talks and _STRESSED.search(text):
                beats[s.index] = "stress"  # "You're smiling with your *whole head*."
            elif previous is not None and s.is_dialogue and previous.is_dialogue and _echoes(s, previous, cues):
                beats[s.index] = "echo"  # "A sword." after "Died. Of... a sword."
            elif s.is_dialogue and text.rstrip(_CLOSING).endswith("!"):
                beats[s.index] = "exclaim"
        previous = s
    return beats


def _echoes(s: Sentence, previous: Sentence, cues: dict) -> bool:
    """A short line made only of words of the line before it: the deadpan repeat."""
    words = [t.lower_ for t in s.tokens if t.is_alpha]
    before = {t.lower_ for t in previous.tokens if t.is_alpha}
    return 1 <= len(words) <= cues["echo_max_words"] and all(w in before for w in words)


def _light(warnings: list[TagFinding], tags: list[TagFinding], allowed: frozenset[str] = frozenset()) -> bool:
    heavy = set(_cues()["light_story"]["heavy_tags"]) - allowed
    return not warnings and not any(f.tag in heavy for f in tags)


# A pairing written with an ampersand between two names ("Clint Barton & Natasha Romanoff").
_AMPERSAND_PAIRING = re.compile(r"\b[A-Z][\w'-]*\s*&\s*[A-Z]")


def _negated_before(sentence: str, at: int, negations) -> bool:
    return any(w in negations for w in re.findall(r"[\w']+", sentence[:at].lower())[-3:])


def declared_genre(story: Story) -> dict[str, list[Evidence]]:
    """Mood tags the author's notes name as the story's genre, each with the note sentences that name it."""
    cues = _cues()["declared_genre"]
    excepted = re.compile("|".join(cues["except"]), re.IGNORECASE)
    found: dict[str, list[Evidence]] = {}
    for start, end, sentence in note_sentences(story):
        for tag, patterns in cues["tags"].items():
            for pattern in patterns:
                mark = re.search(pattern, sentence.strip(), re.IGNORECASE)
                if mark is None:
                    continue
                lead = len(sentence) - len(sentence.lstrip())
                at = mark.start() + lead
                if _negated_before(sentence, at, cues["negations"]):
                    continue
                if any(e.start() <= at < e.end() for e in excepted.finditer(sentence)):
                    continue  # "my terrible sense of humour": the author's, not the story's
                evidence = note_evidence(story, start, end)
                if evidence not in found.setdefault(tag, []):
                    found[tag].append(evidence)
                break
    return {tag: ev for tag, ev in found.items() if ev}


# "Enjolras/Grantaire", "Fenris/Male Hawke", "Hangman/Reader": capitalised names (not all capitals) either side.
_SLASH_PAIRING = re.compile(r"(?<![\w/])([A-Z][a-z][\w'-]*(?: [A-Z][a-z][\w'-]*)?)/([A-Z][a-z][\w'-]*(?: [A-Z][a-z][\w'-]*)?)(?![\w/])")


def declared_romance(story: Story) -> list[Evidence]:
    """The note sentences that declare a romantic pairing with a slash."""
    cues = _cues()["declared_pairing"]
    otherwise = re.compile(r"\b(?:" + "|".join(map(re.escape, cues["not_romance"] + cues["ownership"])) + r")\b", re.IGNORECASE)
    found = []
    for start, end, sentence in note_sentences(story):
        if not _SLASH_PAIRING.search(sentence) or otherwise.search(sentence):
            continue
        found.append(note_evidence(story, start, end))
    return found


def declared_friendship(story: Story) -> list[Evidence]:
    """The note sentences in which the author calls the story a friendship."""
    cues = _cues()["declared_friendship"]
    words = re.compile(r"\b(?:" + "|".join(map(re.escape, cues["words"])) + r")\b", re.IGNORECASE)
    pairing_words = re.compile(r"\b(?:" + "|".join(map(re.escape, cues["pairing_words"])) + r")\b", re.IGNORECASE)
    romance = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, cues["romance_words"])) + r")(?![\w-])", re.IGNORECASE)
    found = []
    for start, end, sentence in note_sentences(story):
        mark = words.search(sentence) or (_AMPERSAND_PAIRING.search(sentence) and pairing_words.search(sentence))
        if not mark or romance.search(sentence):
            continue  # "can be read as pre-slash or gen": the author leaves it open
        if _negated_before(sentence, mark.start(), cues["negations"]):
            continue  # "no friendship fic this time"
        found.append(note_evidence(story, start, end))
    return found


def _evidence(story: Story, chosen: list[Sentence]) -> list[Evidence]:
    return [Evidence(s.start, s.end, story.text[s.start : s.end]) for s in chosen[:MAX_EVIDENCE]]


def _people_in(reader: CueReader, s: Sentence) -> set[str]:
    """The characters a sentence names (by the characters stage, or by a proper name)."""
    return {reader.character_of(s, t) or t.text for t in s.tokens if t.pos_ == "PROPN" or reader.character_of(s, t)}


def add_mood(
    story: Story,
    sentences: list[Sentence],
    reader: CueReader,
    humor_cue_sentences: list[Sentence],
    fluff_cue_sentences: list[Sentence],
    romance_confidence: float,
    warnings: list[TagFinding],
    tags: list[TagFinding],
) -> None:
    """Add Humor, Fluff and Friendship findings (in place) where the comic beats of a light story show them (in a
    comedy, dropping the mood findings its jokes imitate, such as a mock funeral's grief), then what the author's
    notes declare: a new finding, or the note cited first in an existing one."""
    cues = _cues()
    declared = declared_genre(story)
    friendship = declared_friendship(story)
    if friendship:
        declared[FRIENDSHIP] = friendship
    romance = declared_romance(story)
    if romance:
        declared[ROMANCE] = romance
        romance_confidence = 1.0  # a love story by the author's word: its jokes are no friendship
    if sentences:
        _by_beats(story, sentences, reader, humor_cue_sentences, fluff_cue_sentences, romance_confidence, warnings, tags)
    for tag, evidence in declared.items():
        source = {FRIENDSHIP: "declared_friendship", ROMANCE: "declared_pairing"}.get(tag, "declared_genre")
        confidence = cues[source]["confidence"]
        existing = next((x for x in tags if x.tag == tag), None)
        if existing is None:
            tags.append(TagFinding(tag=tag, confidence=confidence, evidence=evidence))
        else:
            existing.confidence = max(existing.confidence, confidence)
            existing.evidence = (evidence + [e for e in existing.evidence if e not in evidence])[:MAX_EVIDENCE]


def _by_beats(
    story: Story,
    sentences: list[Sentence],
    reader: CueReader,
    humor_cue_sentences: list[Sentence],
    fluff_cue_sentences: list[Sentence],
    romance_confidence: float,
    warnings: list[TagFinding],
    tags: list[TagFinding],
) -> None:
    cues = _cues()
    c, h, f = cues["comic_story"], cues["humor"], cues["friendship"]
    n = len(sentences)
    talk = sum(1 for s in sentences if any(s.dialogue)) / n
    beats = comic_beats(story, sentences, reader)
    for s in humor_cue_sentences:
        beats.setdefault(s.index, "comic narration")
    comedy = (
        not warnings
        and not any(x.tag in c["trigger_tags"] for x in tags)
        and len(beats) >= max(c["min_beats"], c["min_beat_share"] * n)  # a long novel needs its jokes throughout
        and talk >= c["min_dialogue_share"]
    )
    if comedy:
        tags[:] = [x for x in tags if x.tag not in c["mock_tags"]]
    found = {x.tag for x in tags}
    light = _light(warnings, tags)
    # Friends may joke while one of them is hurt; the comic story keeps its friendship then.
    ensemble = HUMOR in found or light
    if not ensemble or not _light(warnings, tags, frozenset(f["allowed_beside"])):
        return
    if talk < h["min_dialogue_share"] or len(beats) < max(h["min_beats"], h["min_beat_share"] * n):
        return
    # The comic narration and the laughs first: they say the joke landed; then the repeats, shouts and stresses.
    rank = {"comic narration": 0, "laugh": 1, "echo": 2, "shout": 3, "stress": 4, "exclaim": 5}
    ordered = [sentences[i] for i in sorted(beats, key=lambda i: (rank[beats[i]], i))]
    if HUMOR not in found:
        if not light:
            return
        cited = sorted(ordered[:MAX_EVIDENCE], key=lambda s: s.index)
        tags.append(TagFinding(tag=HUMOR, confidence=h["confidence"], evidence=_evidence(story, cited)))
    w = cues["fluff"]
    sad = sum(1 for s in sentences if s.valence <= -0.3) / n
    if (
        light
        and FLUFF not in found
        and len(fluff_cue_sentences) >= w["min_sentences"]
        and len(fluff_cue_sentences) / n >= w["min_density"]
        and sad <= w["max_negative_share"]
    ):
        tags.append(TagFinding(tag=FLUFF, confidence=w["confidence"], evidence=_evidence(story, fluff_cue_sentences)))
    if FRIENDSHIP in found or ROMANCE in found or romance_confidence >= f["max_romance_confidence"]:
        return
    if len({q.speaker for q in story.quotes if q.speaker}) < f["min_speakers"]:
        return
    # the beats in which two or more of them appear first
    together = [s for s in ordered if len(_people_in(reader, s)) >= 2]
    together += [s for s in ordered if s not in together]
    cited = sorted(together[:MAX_EVIDENCE], key=lambda s: s.index)
    tags.append(TagFinding(tag=FRIENDSHIP, confidence=f["confidence"], evidence=_evidence(story, cited)))
