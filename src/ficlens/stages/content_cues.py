"""Reading a cue through the parse, for the content stage.

A cue word counts only where the sentence says it happened: not negated ("she didn't die", "nobody was
hurt"), not hypothetical ("he could have died", "if she died", "she leaned in to kiss him"), not averted
("he almost died", "...but the medics saved him"), not a figure of speech ("I'd kill for coffee", "the noise
died down"), and with a person where a person is needed ("the plant died" is no death).  Whether it is
depicted or only mentioned depends on dialogue versus narration and on a past told as background ("her mother
had died years ago").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from functools import lru_cache

from ..lexicons import load_json
from ..model import Story
from ._prefiltered import PrefilteredPattern
from .content_parse import Sentence

# Dependency relations through which a cue inherits the polarity and modality of the verb above it.
_CLIMB = {
    "dobj",
    "pobj",
    "prep",
    "amod",
    "compound",
    "nsubj",
    "nsubjpass",
    "attr",
    "acomp",
    "xcomp",
    "ccomp",
    "aux",
    "auxpass",
    "poss",
    "det",
    "npadvmod",
    "advmod",
    "oprd",
    "dative",
    "appos",
    "agent",
    "prt",
    "nmod",
    "pcomp",
    "acl",
}
_MAX_CLIMB = 6
# A clause these words open states a fact whatever the verb above it says ("doesn't say how he died").
_WH_PRESUPPOSED = {"how", "when", "where", "why"}


@lru_cache(maxsize=1)
def filters() -> dict:
    data = load_json("cue_filters.json")
    return {
        **{
            k: set(v)
            for k, v in data.items()
            if isinstance(v, list) and k not in ("idioms", "background_patterns", "recent_past_patterns")
        },
        "idioms": [PrefilteredPattern(re.compile(p)) for p in data["idioms"]],
        "averting_re": _phrases_re(data["averting_phrases"]),
        "background_re": _phrases_re(data["background_phrases"]),
        "background_patterns_re": PrefilteredPattern(
            re.compile("|".join(f"(?:{p})" for p in data["background_patterns"]))
        ),
        "recent_past_re": re.compile("|".join(f"(?:{p})" for p in data["recent_past_patterns"])),
        "unreal_re": _phrases_re(data["unreal_context"]),
    }


def _phrases_re(phrases) -> PrefilteredPattern:
    longest_first = sorted(phrases, key=len, reverse=True)
    return PrefilteredPattern(re.compile(r"\b(?:" + "|".join(re.escape(p) for p in longest_first) + r")\b"))


@lru_cache(maxsize=None)
def compile_phrases(phrases: tuple[str, ...]) -> PrefilteredPattern | None:
    """A list of regular expressions (data) as one pattern over lower-cased text, whole words."""
    if not phrases:
        return None
    return PrefilteredPattern(re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in phrases) + r")(?![\w-])"))


def _clause_chain(token):
    """The token and the words above it whose negation or modality it inherits, up to the clause's verb.

    A clause under a factive verb keeps its own polarity: in "nobody saw him die" he still dies."""
    factive = filters()["factive_heads"]
    node = token
    yield node
    for _ in range(_MAX_CLIMB):
        if node.head.i == node.i or node.dep_ not in _CLIMB:
            return
        if node.dep_ in ("ccomp", "xcomp") and node.head.lemma_.lower() in factive:
            return
        if node.dep_ in ("ccomp", "advcl") and any(c.tag_ == "WRB" and c.lower_ in _WH_PRESUPPOSED for c in node.children):
            return  # "doesn't say how he died": the clause under "how", "when" is taken as true
        node = node.head
        yield node


def _clause_head(token):
    """The verb whose clause the token stands in (the token itself when it is a verb)."""
    node = token
    # compare indices, never "is": spaCy makes a new Token at every read, so the root's head is never "it"
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


class CueReader:
    """Per-analysis helper: the story, its sentences, and the characters behind the words."""

    def __init__(self, story: Story, sentences: list[Sentence]):
        self.story = story
        self.sentences = sentences
        self.f = filters()
        self._idioms: dict[int, list[tuple[int, int]]] = {}
        self._lower: dict[int, str] = {}
        mentions = sorted((m for m in story.mentions if m.character), key=lambda m: m.start)
        self._mention_starts = [m.start for m in mentions]
        self._mentions = mentions
        counts = Counter({c.id: c.mentions for c in story.characters})
        ranked = [c for c, _ in counts.most_common()]
        # Main characters: the three most mentioned (if mentioned more than once), and anyone mentioned
        # at least a quarter as often as the most mentioned.
        top = counts[ranked[0]] if ranked else 0
        self.central = {c for c in ranked[:3] if counts[c] >= 2} | {c for c in ranked if counts[c] >= max(3, top / 4)}
        self.present_story = story.narrative.tense == "present"
        # where each character's tagged lines of dialogue begin: someone who speaks after "dying" did not die
        self._tagged_lines: dict[str, list[tuple[int, bool]]] = defaultdict(list)  # (start, named in its tag)
        # characters whose death the story has already undone (they spoke after it), filled in reading order
        self.returned_from_death: set[str] = set()
        for q in story.quotes:
            if q.speaker and q.method in ("explicit", "anaphoric"):
                self._tagged_lines[q.speaker].append((q.start, q.method == "explicit"))

    # -- text of a sentence ---------------------------------------------------------------------
    def lower(self, sentence: Sentence) -> str:
        text = self._lower.get(sentence.index)
        if text is None:
            text = self.story.text[sentence.start : sentence.end].lower().replace("’", "'")
            self._lower[sentence.index] = text
        return text

    def idiom_spans(self, sentence: Sentence) -> list[tuple[int, int]]:
        spans = self._idioms.get(sentence.index)
        if spans is None:
            text = self.lower(sentence)
            spans = [(m.start(), m.end()) for p in self.f["idioms"] for m in p.finditer(text)]
            self._idioms[sentence.index] = spans
        return spans

    def in_idiom(self, sentence: Sentence, token) -> bool:
        offset = sentence.offset(token) - sentence.start
        return any(s <= offset < e for s, e in self.idiom_spans(sentence))

    def token_at(self, sentence: Sentence, offset: int):
        """The token of ``sentence`` covering the sentence-relative character ``offset``."""
        for token in sentence.tokens:
            rel = sentence.offset(token) - sentence.start
            if rel <= offset < rel + len(token.text) or rel > offset:
                return token
        return sentence.tokens[-1]

    def phrase_tokens(self, sentence: Sentence, pattern: PrefilteredPattern | None):
        """(token at the start of each match, matched text) for a phrase pattern."""
        if pattern is None:
            return []
        text = self.lower(sentence)
        return [(self.token_at(sentence, m.start()), m.group(0)) for m in pattern.finditer(text)]

    # -- polarity, modality, outcome ------------------------------------------------------------
    def negated(self, token) -> bool:
        f = self.f
        for node in _clause_chain(token):
            for child in node.children:
                if child.dep_ == "neg":
                    return True
                if child.lower_ in f["negators"] and child.dep_ in ("advmod", "det", "preconj", "neg"):
                    return True
                if child.dep_ in ("nsubj", "nsubjpass", "dobj") and (
                    child.lower_ in f["negative_subjects"]
                    and child.lower_ != "one"
                    or any(g.dep_ == "det" and g.lower_ in f["negative_determiners"] for g in child.children)
                ):
                    return True
                if child.dep_ == "prep" and child.lower_ == "without":
                    return True
            if node.lower_ in f["negative_determiners"] and node.dep_ in ("det", "nsubj", "nsubjpass"):
                return True
        return False

    def hypothetical(self, token, sentence: Sentence) -> bool:
        f = self.f
        if self.lower(sentence).rstrip().rstrip("\"'”’").endswith("?"):
            return True
        for node in _clause_chain(token):
            if node.pos_ in ("VERB", "AUX", "ADJ"):
                for child in node.children:
                    if child.dep_ == "aux" and child.lower_ in f["modals"]:
                        if not (child.lower_ in ("could", "can") and node.lemma_ in f["modal_perception_verbs"]):
                            return True
                    if child.dep_ == "mark" and child.lower_ in f["conditional_marks"]:
                        return True
                    if child.dep_ == "aux" and child.lower_ == "to" and node.dep_ != "ROOT":
                        return True  # an infinitive: intended, not done ("turned to kiss him")
                if node.dep_ in ("xcomp", "ccomp", "advcl") and node.head.lemma_ in f["intention_heads"]:
                    perceived = node.head.lemma_ in f["modal_perception_verbs"] and any(
                        c.dep_ in ("nsubj", "nsubjpass") for c in node.children
                    )
                    if not perceived:  # "felt the blade go in" is an event perceived, not one intended
                        return True
        return False

    def unreal(self, sentence: Sentence) -> bool:
        """The sentence is about a dream, an illusion, a film, a pretence: what happens there is not the story's."""
        return bool(self.f["unreal_re"].search(self.lower(sentence)))

    def unreal_for(self, sentence: Sentence, token) -> bool:
        """The unreal word (a dream, a film, a game) governs the cue's own clause ("in the dream he died", "he
        dreamed that he died"), not a clause beside it ("he took his own life ..., and you went to watch a
        film")."""
        if not self.unreal(sentence):
            return False
        own = _clause_head(token)
        ancestors = {a.i for a in own.ancestors} | {own.i}
        for match in self.f["unreal_re"].finditer(self.lower(sentence)):
            word = self.token_at(sentence, match.start())
            if _clause_head(word).i in ancestors:
                return True
        return False

    def averted(self, sentence: Sentence, token) -> bool:
        f = self.f
        for node in _clause_chain(token):
            if any(c.lower_ in f["averting_adverbs"] for c in node.children if c.dep_ == "advmod"):
                return True
        if f["averting_re"].search(self.lower(sentence)):
            return True
        following = self.next_in_paragraph(sentence)
        return bool(following and f["averting_re"].search(self.lower(following)))

    def next_in_paragraph(self, sentence: Sentence) -> Sentence | None:
        i = sentence.index + 1
        if i < len(self.sentences) and self.sentences[i].paragraph == sentence.paragraph:
            return self.sentences[i]
        return None

    def background_phrase(self, sentence: Sentence) -> bool:
        """The sentence places itself in the past of the story: 'years ago', 'as a child', 'since'..."""
        text = self.lower(sentence)
        return bool(self.f["background_re"].search(text) or self.f["background_patterns_re"].search(text))

    def remote_past_phrase(self, sentence: Sentence) -> bool:
        """A background phrase that places the sentence more than a few weeks back: 'years ago', 'as a child',
        not 'nine days ago', 'last week'."""
        text = self.f["recent_past_re"].sub(" ", self.lower(sentence))
        return bool(self.f["background_re"].search(text) or self.f["background_patterns_re"].search(text))

    def pluperfect(self, token) -> bool:
        verb = token if token.pos_ in ("VERB", "AUX") else token.head
        for node in (verb, verb.head):
            if (
                any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in node.children)
                and node.tag_ == "VBN"
            ):
                return True
        return False

    def background(self, sentence: Sentence, token) -> bool:
        """A past told as background to the story's present: pluperfect, 'years ago', 'as a child'..."""
        if self.background_phrase(sentence) or self.pluperfect(token):
            return True
        verb = token if token.pos_ in ("VERB", "AUX") else token.head
        if any(c.lower_ == "late" and c.dep_ == "amod" for c in token.children):
            return True  # "her late husband"
        if self.present_story and verb.tag_ == "VBD":
            return True  # simple past in a present-tense narration reports what happened before
        return False

    # -- who ------------------------------------------------------------------------------------
    def subject(self, verb):
        node = verb
        for _ in range(4):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return child
            if node.dep_ in ("conj", "xcomp", "advcl") and node.head.i != node.i:
                node = node.head
            else:
                return None
        return None

    def character_of(self, sentence: Sentence, token) -> str | None:
        start = sentence.offset(token)
        i = bisect.bisect_right(self._mention_starts, start) - 1
        while i >= 0 and self._mentions[i].start > start - 200:
            m = self._mentions[i]
            if m.start <= start < m.end:
                return m.character
            i -= 1
        return None

    def is_person(self, sentence: Sentence, token) -> bool:
        if token is None:
            return False
        f = self.f
        lower = token.lower_
        if lower in ("it", "this", "that", "something", "everything", "nothing"):
            return False
        if lower in f["person_pronouns"] or token.ent_type_ == "PERSON" or token.pos_ == "PROPN":
            return True
        if token.lemma_.lower() in f["person_nouns"] or lower in f["person_nouns"]:
            return True
        return self.character_of(sentence, token) is not None

    def named_central(self, sentence: Sentence, token) -> tuple[bool, str | None]:
        """(is this a main character?, character id) for a victim or agent token."""
        character = self.character_of(sentence, token)
        if character is None:
            for child in token.children:
                if child.dep_ in ("compound", "appos"):  # not "poss": Sakura's grandmother is not Sakura
                    character = character or self.character_of(sentence, child)
        if character is not None:
            return character in self.central or not self.central, character
        if token.pos_ == "PROPN" or token.ent_type_ == "PERSON":
            # A name the characters stage did not link: a name the story repeats is a main character.
            return len(re.findall(rf"\b{re.escape(token.text)}\b", self.story.text)) >= 2, None
        return False, None

    def speaks_after(self, character: str | None, sentence: Sentence) -> bool:
        """The character has a line of dialogue, named by its speech tag, after this sentence."""
        if character is None:
            return False
        # A line tagged by a pronoun counts only in the same scene: across a scene break "he asked" is often someone
        # else (a guard at a gate), and the misread tag would raise the dead.
        scene_end = next((s.end for s in reversed(self.sentences) if s.scene == sentence.scene), sentence.end)
        return any(
            start >= sentence.end and (named or start < scene_end)
            for start, named in self._tagged_lines.get(character, ())
        )

    def is_reflexive(self, token) -> bool:
        return token.lower_ in self.f["reflexive_pronouns"]
