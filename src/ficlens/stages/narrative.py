"""Stage 'narrative': how the story is told.

Tense of the narration (dialogue excluded) from the finite verbs of each narration sentence, with the
sentences that slip out of the dominant tense; point of view from the narration's pronouns (and reader-insert
placeholders such as "(Y/N)"); the focal character of each scene; word counts, dialogue share, reading time,
and the same figures per chapter.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from functools import lru_cache

from ..lexicons import load_json, load_words
from ..model import Evidence, Story
from .characters_text import reader_insert_markers
from .content_parse import Sentence, body_paragraphs, dialogue_index, story_sentences
from ._pov import character_named, declared_pov, pov_sections

# Brysbaert (2019, J. Memory and Language, "How many words do we read per minute?"), a meta-analysis of 190
# studies: adults read English silently at about 238 words per minute (non-fiction; ~260 for fiction).  We use
# the lower figure so that the estimate errs on the side of a longer read.
WORDS_PER_MINUTE = 238

PAST, PRESENT, MIXED = "past", "present", "mixed"
FIRST, SECOND, THIRD = "first", "second", "third"

# A story is "mixed" only when the minority tense is substantial: this share of the tensed narration
# sentences outside flashback scenes, or of all of them when whole chapters are told in the other tense.
MIXED_SHARE = 0.3
MIXED_MIN_SENTENCES = 3
# A scene is a flashback scene when at least this share of its tensed sentences is in the other tense.
FLASHBACK_SCENE_SHARE = 0.75
# Person of the narration: pronouns per narration sentence needed to call it first or second person.
POV_MIN_RATE = 0.15

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return load_json("narrative.json")


# -- tense ---------------------------------------------------------------------------------------------


def _token_tense(token) -> str | None:
    """past | present | None for one finite verb (or modal)."""
    lex = _lexicon()
    tag = token.tag_
    if tag == "VBD":
        return PAST
    if tag in ("VBP", "VBZ"):
        return PRESENT
    if tag == "MD":
        lower = token.lower_
        if any(s.dep_ == "aux" and s.lower_ == "have" for s in token.head.children):
            return None  # "it may have been": a guess about the past, in either tense
        if lower in lex["present_modals"]:
            return PRESENT
        return None  # would/could/might: future-in-the-past or conditional, fits either tense
    return None


def _is_pluperfect(token) -> bool:
    """'had' as the auxiliary of a past participle ("she had left")."""
    return token.lemma_ == "have" and token.tag_ == "VBD" and token.dep_ == "aux" and token.head.tag_ == "VBN"


def sentence_tense(sentence: Sentence) -> tuple[str | None, bool]:
    """(tense of the sentence's narration, whether its governing verb is pluperfect).

    The governing verb is the narration's first finite verb.  Not the one nearest the root of the parse: in the
    present-tense stories of fan fiction the parser often heads a clause with the verb of an absolute phrase
    ("He's sitting on the log, hat pushed back"); read that way, the present-tense development stories gained 40
    slips and lost 13."""
    for token in sentence.narration_tokens:
        tense = _token_tense(token)
        if tense is not None:
            break
    else:
        return None, False
    pluperfect = _is_pluperfect(token) or any(_is_pluperfect(c) for c in token.children)
    return tense, pluperfect


def _has_time_shift(sentence: Sentence) -> bool:
    lex = _lexicon()
    lower = " ".join(t.lower_ for t in sentence.narration_tokens)
    words = set(lower.split())
    if words & set(lex["time_shift_words"]):
        return True
    return any(f" {p} " in f" {lower} " for p in lex["time_shift_phrases"])


def _is_present_aside(sentence: Sentence) -> bool:
    """A present-tense sentence a past-tense narration may contain on purpose: a question or exclamation
    in the narration (direct thought), the narrator's own frame ("I remember..."), a generic truth."""
    lex = _lexicon()
    text = sentence.span.text.strip()
    if text.rstrip("\"'”’").endswith(("?", "!")):
        return True
    generic_adverbs = set(lex["generic_adverbs"])
    for token in sentence.narration_tokens:
        if token.dep_ == "advmod" and token.lower_ in generic_adverbs and token.head.tag_ in ("VBP", "VBZ"):
            return True  # "An appreciative listener is always stimulating."
        if (
            token.lower_ in ("i", "we")
            and token.dep_ == "nsubj"
            and any(c.tag_ == "MD" and c.lower_ in lex["narrator_frame_modals"] for c in token.head.children)
        ):
            return True  # the narrator's present: "I shall never forget her."
        if token.dep_ in ("nsubj", "expl") and token.head.tag_ in ("VBP", "VBZ"):
            if token.lower_ in ("i", "we") and token.head.lemma_ in lex["narrator_frame_verbs"]:
                return True
            if token.dep_ == "expl":  # "There is a kind of silence that..."
                return True
            phrase = " ".join(t.lower_ for t in token.subtree)
            if phrase in lex["generic_subjects"] or token.lower_ in lex["generic_subjects"]:
                return True
    return False


def _tense_summary(tensed: list[tuple[Sentence, str, bool]]) -> tuple[str | None, set[int]]:
    """(tense, scenes that are flashbacks in the other tense) for a list of tensed sentences."""
    counts = Counter(t for _, t, _ in tensed)
    if not counts:
        return None, set()
    dominant = PAST if counts[PAST] >= counts[PRESENT] else PRESENT
    minority = PRESENT if dominant == PAST else PAST
    by_scene: dict[int, Counter] = defaultdict(Counter)
    for s, t, _ in tensed:
        by_scene[s.scene][t] += 1
    flashback_scenes = {
        scene
        for scene, c in by_scene.items()
        if c[minority] >= 2 and c[minority] / (c[minority] + c[dominant]) >= FLASHBACK_SCENE_SHARE
    }
    rest = Counter(t for s, t, _ in tensed if s.scene not in flashback_scenes)
    rest_total = rest[PAST] + rest[PRESENT]
    mixed = bool(rest_total) and rest[minority] >= MIXED_MIN_SENTENCES and rest[minority] / rest_total >= MIXED_SHARE
    # Whole chapters told in the other tense make a mixed story too (a flashback scene does not).
    by_chapter: dict[int, Counter] = defaultdict(Counter)
    for s, t, _ in tensed:
        by_chapter[s.chapter][t] += 1
    other_chapters = sum(c[minority] for c in by_chapter.values() if c[minority] > c[dominant])
    total = counts[PAST] + counts[PRESENT]
    if len(by_chapter) > 1 and other_chapters >= MIXED_MIN_SENTENCES and other_chapters / total >= MIXED_SHARE:
        mixed = True
    return (MIXED if mixed else dominant), flashback_scenes


def _dominant(tensed) -> str | None:
    counts = Counter(t for _, t, _ in tensed)
    if not counts:
        return None
    return PAST if counts[PAST] >= counts[PRESENT] else PRESENT


def _recalls(sentence: Sentence) -> bool:
    """A present-tense sentence that opens a memory ("You think about the last time...")."""
    memory = set(_lexicon()["memory_verbs"])
    return any(t.lemma_.lower() in memory for t in sentence.narration_tokens)


def _present_perfect(sentence: Sentence) -> bool:
    return any(
        t.lemma_ == "have" and t.tag_ in ("VBP", "VBZ") and t.dep_ == "aux" and t.head.tag_ == "VBN"
        for t in sentence.narration_tokens
    )


def tense_slips(story: Story, tensed: list[tuple[Sentence, str, bool]], pov: str | None = None) -> list[Evidence]:
    dominant = _dominant(tensed)
    if dominant is None:
        return []
    _, flashback_scenes = _tense_summary(tensed)
    slips = []
    # A present-tense narration may look back: a memory opened by "had", "years ago" or "she remembers"
    # goes on in the simple past until the narration comes back to the present.
    looking_back = False
    previous_scene = None
    for sentence, tense, pluperfect in tensed:
        if sentence.scene != previous_scene:
            looking_back, previous_scene = False, sentence.scene
        if tense == PRESENT and dominant == PAST:
            looking_back = False
        if tense == dominant or sentence.scene in flashback_scenes:
            if dominant == PRESENT:
                looking_back = _recalls(sentence) or (looking_back and tense == PAST)
            continue
        if tense == PAST and (pluperfect or _has_time_shift(sentence) or looking_back):
            looking_back = True
            continue
        if tense == PRESENT and _is_present_aside(sentence):
            continue
        if tense == PRESENT and pov == FIRST and _present_perfect(sentence):
            continue  # the narrator's present: "He has been sober for eleven years now."
        slips.append(Evidence(sentence.start, sentence.end, story.text[sentence.start : sentence.end]))
    return slips


# -- point of view ---------------------------------------------------------------------------------------


def point_of_view(story: Story, sentences: list[Sentence], index) -> str | None:
    """first | second | third from the narration's pronouns; reader-insert placeholders count as "you"."""
    lex = _lexicon()
    first_words = set(lex["first_person"])
    second_words = set(lex["second_person"])
    narration = [s for s in sentences if s.has_narration]
    if not narration:
        return None
    first = second = markers = 0
    for s in narration:
        for token in s.narration_tokens:
            lower = token.lower_
            if lower in first_words and not (lower == "us" and token.text == "US"):
                first += 1
            elif lower in second_words:
                second += 1
        for m in reader_insert_markers(story.text[s.start : s.end]):
            if not index.contains(s.start + m.start()):
                markers += 1
    second += markers
    n = len(narration)
    if first > second and first / n >= POV_MIN_RATE:
        return FIRST
    if second >= first and (second / n >= POV_MIN_RATE or markers):
        return SECOND
    return THIRD


# -- focal characters ------------------------------------------------------------------------------------


def _narrator(story: Story, sentences: list[Sentence], index) -> str | None:
    """The character the first-person pronouns of the narration point to, when the characters stage named one."""
    singular = set(_lexicon()["first_person_singular"])
    counts = Counter(
        m.character
        for m in story.mentions
        if m.character and m.text.lower() in singular and not index.contains(m.start)
    )
    if not counts:
        return None
    character, n = counts.most_common(1)[0]
    return character if n >= 2 else None


def _scene_narrators(story: Story, sentences: list[Sentence], index) -> dict[int, str]:
    """Scene -> the character its first-person narration's "I" points to, where that differs by scene (a story
    told in turns, "Sakura's POV" then "Naruto's POV", whose "I" the attribution stage gave to each)."""
    singular = set(_lexicon()["first_person_singular"])
    starts = [s.start for s in sentences]
    counts: dict[int, Counter] = defaultdict(Counter)
    for m in story.mentions:
        if m.character and m.text.lower() in singular and not index.contains(m.start):
            i = bisect.bisect_right(starts, m.start) - 1
            if i >= 0:
                counts[sentences[i].scene][m.character] += 1
    return {scene: c.most_common(1)[0][0] for scene, c in counts.items()}


def focal_characters(story: Story, ctx, sentences: list[Sentence], pov: str | None) -> list[str]:
    """Set Scene.focal_character for every scene and return the story's main focal characters (ids)."""
    index = dialogue_index(story, ctx)
    perception = load_words("perception_verbs.txt")
    scene_words: Counter = Counter()
    for s in sentences:
        scene_words[s.scene] += len(_WORD.findall(story.text[s.start : s.end]))
    narrator = _narrator(story, sentences, index) if pov == FIRST else None
    scene_narrators = _scene_narrators(story, sentences, index) if narrator is not None else {}

    # Which sentence holds each offset (for the parse of a mention's tokens).
    starts = [s.start for s in sentences]

    scores: dict[int, Counter] = defaultdict(Counter)
    for m in story.mentions:
        if not m.character or index.contains(m.start):
            continue
        i = bisect.bisect_right(starts, m.start) - 1
        if i < 0 or m.start >= sentences[i].end:
            continue
        sentence = sentences[i]
        weight = 1.0
        for token in sentence.span:
            offset = sentence.offset(token)
            if m.start <= offset < m.end and token.dep_ in ("nsubj", "nsubjpass"):
                head = token.head
                if head.lemma_.lower() in perception or (
                    head.dep_ in ("xcomp", "ccomp", "conj") and head.head.lemma_.lower() in perception
                ):
                    weight += 3.0  # the one who sees, feels, thinks
                else:
                    weight += 0.5  # the one who acts
                break
        scores[sentence.scene][m.character] += weight

    focal_by_scene: dict[int, str | None] = {}
    scene_ids = range(len(story.scenes)) if story.scenes else sorted(scene_words)
    for scene in scene_ids:
        if pov == SECOND:
            focal_by_scene[scene] = None  # the narration follows "you", the reader, who is no character
            continue
        if narrator is not None:
            focal_by_scene[scene] = scene_narrators.get(scene, narrator)
            continue
        ranked = scores.get(scene, Counter()).most_common(2)
        if not ranked or ranked[0][1] < 2:
            focal_by_scene[scene] = None
        elif len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            focal_by_scene[scene] = None  # a tie: the narration does not favour one mind
        else:
            focal_by_scene[scene] = ranked[0][0]
    if pov != SECOND:
        # a point-of-view line ("Sakura's POV") says whose eyes the scenes after it look through; with none,
        # the one the author's notes declare ("A/N: Kakashi POV") looks through all of them
        sections = pov_sections(story, create=False)
        declared = declared_pov(story) if not sections and narrator is None else None
        declared_character = character_named(story, declared, create=False) if declared else None
        if declared_character is not None:
            sections = [(0, len(story.text), declared_character)]
        for start, end, character in sections:
            for scene, span in enumerate(story.scenes):
                if start <= span.start < end:
                    focal_by_scene[scene] = character.id
    for scene, character in focal_by_scene.items():
        if 0 <= scene < len(story.scenes):
            story.scenes[scene].focal_character = character

    weight_by_character: Counter = Counter()
    for scene, character in focal_by_scene.items():
        if character:
            weight_by_character[character] += scene_words.get(scene, 0) or 1
    total = sum(scene_words.values()) or 1
    return [c for c, w in weight_by_character.most_common() if w / total >= 0.2]


# -- counts ----------------------------------------------------------------------------------------------


def _word_counts(story: Story, paragraphs, index) -> list[tuple[int, int, int]]:
    """(chapter, words, dialogue words) per paragraph."""
    rows = []
    for p in paragraphs:
        words = dialogue = 0
        for m in _WORD.finditer(story.text, p.start, p.end):
            words += 1
            if index.contains(m.start()):
                dialogue += 1
        rows.append((getattr(p, "chapter", 0), words, dialogue))
    return rows


def run(story: Story, ctx) -> None:
    paragraphs = body_paragraphs(story)
    if not paragraphs:
        return
    sentences = story_sentences(story, ctx)
    index = dialogue_index(story, ctx)
    narrative = story.narrative

    tensed = []
    for s in sentences:
        tense, pluperfect = sentence_tense(s)
        if tense:
            tensed.append((s, tense, pluperfect))
    narrative.tense, _ = _tense_summary(tensed)
    narrative.pov = point_of_view(story, sentences, index)
    narrative.tense_slips = tense_slips(story, tensed, narrative.pov)
    narrative.focal_characters = focal_characters(story, ctx, sentences, narrative.pov)

    rows = _word_counts(story, paragraphs, index)
    narrative.words = sum(r[1] for r in rows)
    narrative.dialogue_words = sum(r[2] for r in rows)
    narrative.dialogue_share = round(narrative.dialogue_words / narrative.words, 3) if narrative.words else 0.0
    narrative.reading_minutes = round(narrative.words / WORDS_PER_MINUTE, 1)

    chapter_rows: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for chapter, words, dialogue in rows:
        chapter_rows[chapter][0] += words
        chapter_rows[chapter][1] += dialogue
    narrative.chapters = []
    for chapter in sorted(chapter_rows):
        words, dialogue = chapter_rows[chapter]
        chapter_sentences = [s for s in sentences if s.chapter == chapter]
        info = story.chapters[chapter] if 0 <= chapter < len(story.chapters) else None
        narrative.chapters.append(
            {
                "chapter": chapter,
                "number": info.number if info else None,
                "title": info.title if info else None,
                "words": words,
                "dialogue_share": round(dialogue / words, 3) if words else 0.0,
                "tense": _tense_summary([t for t in tensed if t[0].chapter == chapter])[0],
                "pov": point_of_view(story, chapter_sentences, index),
            }
        )
