"""Stage 'content': AO3 archive warnings, additional tags and a rating estimate, each with its evidence.

Every finding cites the sentences behind it (spans into ``story.text``) and carries a confidence.  Cue words
come from data files (``lexicons/warning_cues.json``, ``tag_cues.json``, ``cue_filters.json``,
``profanity.json``); whether a cue counts is read from the parse (:mod:`.content_cues`): negation,
modality, averted outcomes, figures of speech, who the subject is, dialogue versus narration, and a past only
mentioned versus an event depicted.  Precision comes first: a tag without a convincing sentence is not emitted.

Tag spellings follow AO3's canonical tags.  Alcohol and drugs are two tags ("Alcohol Abuse", "Drug Abuse")
because readers filter on them separately; abuse is one tag, "Abuse", with ``detail`` "child" or "domestic" when
the sentences that say who abuses whom (a father, a husband...) all agree.  Suicide, Self-Harm and Torture
carry ``detail`` "depicted" (told as it happens, in narration) or "mentioned" (in dialogue, or a past told as
background).

Much of what readers are warned about is told without its name, so some findings are read from signs that only
count together, over a scene or the story: self-harm from marks on the arms, a blade kept and sleeves pulled
down in the heat; suicide from a death with a note left and an emptied pill bottle; torture from a captive, a
question pressed and pain inflicted again and again; abuse from the bruise explained away and the fear beside
it; mourning from tears after a death, a burial, a place laid too many; a death from a chest that "didn't rise
again" or a hand gone slack and no pulse.  Each sign is a sentence, and the sentences are the evidence.

Confidence: each evidence sentence has a strength (how plainly it says the thing); a tag's confidence is
1 - prod(1 - strength) over its sentences, and it is emitted at EMIT_AT (warnings: MCD 0.8, Rape/Non-Con 0.7,
Underage 0.65; Graphic Depictions Of Violence needs violence and gore told within a few sentences of each
other).  Mood tags (Angst, Fluff, Humor, Hurt/Comfort) come from the density of cue sentences, with VADER's
sentiment deciding whether a cue sentence is sad or warm, and cite their strongest sentences.  Read after
everything else, :mod:`.content_mood` adds what the comic beats of a light story show (Humor, Fluff, Friendship;
a comedy's mock grief dropped) and the moods the author's notes declare.

Last, a learned reader (:mod:`.content_model`, a logistic regression per tag over the parse, trained on labelled
passages) adds the tags it is confident of that the cue lists missed, citing its own sentences; where it agrees
with a rule finding, that finding keeps its evidence and gains confidence.  And what the author's notes declare
("Warnings: major character death, self-harm", :mod:`.content_declared`) is emitted with the note as evidence.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..lexicons import load_json
from ..model import Evidence, Rating, Story, TagFinding
from ._prefiltered import PrefilteredPattern
from .content_cues import CueReader, compile_phrases
from .content_declared import DECLARED_CONFIDENCE, declared_warnings, mentioned_only
from .content_model import combine as combine_with_model
from .content_mood import add_mood
from .content_parse import Sentence, story_sentences

# AO3 archive warnings, in AO3's words.
GRAPHIC_VIOLENCE = "Graphic Depictions Of Violence"
MAJOR_CHARACTER_DEATH = "Major Character Death"
RAPE = "Rape/Non-Con"
UNDERAGE = "Underage"
WARNING_ORDER = (GRAPHIC_VIOLENCE, MAJOR_CHARACTER_DEATH, RAPE, UNDERAGE)

# Additional tags (AO3 canonical spellings).
SUICIDE = "Suicide"
SUICIDAL_THOUGHTS = "Suicidal Thoughts"
SELF_HARM = "Self-Harm"
ALCOHOL = "Alcohol Abuse"
DRUGS = "Drug Abuse"
GORE = "Blood and Gore"
TORTURE = "Torture"
ABUSE = "Abuse"
CHILD_ABUSE = "Child Abuse"
DOMESTIC_ABUSE = "Domestic Abuse"
WAR = "War"
GRIEF = "Grief/Mourning"
GUILT = "Guilt"
ANGST = "Angst"
HURT_COMFORT = "Hurt/Comfort"
FLUFF = "Fluff"
HUMOR = "Humor"
ROMANCE = "Romance"
FRIENDSHIP = "Friendship"
TAG_ORDER = (
    SUICIDE,
    SUICIDAL_THOUGHTS,
    SELF_HARM,
    ALCOHOL,
    DRUGS,
    GORE,
    TORTURE,
    ABUSE,
    WAR,
    GRIEF,
    GUILT,
    ANGST,
    HURT_COMFORT,
    FLUFF,
    HUMOR,
    ROMANCE,
    FRIENDSHIP,
)

# A tag is emitted when the evidence combined (1 - prod(1 - strength)) reaches this confidence.
EMIT_AT = 0.6
MAX_EVIDENCE = 5
# Violence and gore at most this many sentences apart make a graphic depiction.
GRAPHIC_WINDOW = 4
# Theme tags (war, grief, guilt, romance, friendship) need one evidence sentence per this many sentences of
# story (at least their usual minimum), so that a long novel does not collect a theme from scattered words.
SENTENCES_PER_THEME_HIT = 300
# Signs read together (of self-harm, abuse, a chosen death) must fall within this many sentences of each other,
# so that a novel does not assemble them from scattered chapters.
SIGN_WINDOW = 40
# Comfort counts for Hurt/Comfort when it comes at most this many sentences after a hurt.
COMFORT_WINDOW = 16

DEPICTED, MENTIONED = "depicted", "mentioned"


@dataclass
class Hit:
    sentence: Sentence
    strength: float
    detail: str | None = None


class Hits:
    """Evidence gathered per tag: the strongest hit per sentence."""

    def __init__(self):
        self.by_tag: dict[str, dict[int, Hit]] = defaultdict(dict)

    def add(self, tag: str, sentence: Sentence, strength: float, detail: str | None = None) -> None:
        current = self.by_tag[tag].get(sentence.index)
        if current is None or strength > current.strength:
            self.by_tag[tag][sentence.index] = Hit(sentence, strength, detail)

    def of(self, tag: str, detail: str | None = None) -> list[Hit]:
        hits = list(self.by_tag.get(tag, {}).values())
        return [h for h in hits if detail is None or h.detail == detail]

    def confidence(self, tag: str, detail: str | None = None) -> float:
        return combined([h.strength for h in self.of(tag, detail)])


def combined(strengths) -> float:
    remaining = 1.0
    for s in strengths:
        remaining *= 1.0 - s
    return round(min(0.99, 1.0 - remaining), 3)


@lru_cache(maxsize=1)
def _warning_cues() -> dict:
    return load_json("warning_cues.json")


@lru_cache(maxsize=1)
def _tag_cues() -> dict:
    return load_json("tag_cues.json")


@lru_cache(maxsize=1)
def _profanity() -> dict:
    return load_json("profanity.json")


def _phrases(items) -> PrefilteredPattern | None:
    return compile_phrases(tuple(items))


def _words(items) -> PrefilteredPattern | None:
    return _compiled_words(tuple(items))


def _any_word(items) -> PrefilteredPattern:
    """Any of the words or phrases, matched literally between word boundaries."""
    return _word_alternation(tuple(items))


@lru_cache(maxsize=None)
def _word_alternation(words: tuple[str, ...]) -> PrefilteredPattern:
    return PrefilteredPattern(re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))


@lru_cache(maxsize=None)
def _compiled_words(words: tuple[str, ...]) -> PrefilteredPattern | None:
    # Escaping once per word list, not once per sentence: this ran 1.7 million times on a novel.
    return compile_phrases(tuple(re.escape(w) for w in words))


def _lemma(token) -> str:
    return token.lemma_.lower()


def _has_child(token, deps, words=None) -> bool:
    return any(c.dep_ in deps and (words is None or c.lower_ in words) for c in token.children)


# -- death, killing, violence, gore ----------------------------------------------------------------------


def _death_events(reader: CueReader, s: Sentence):
    """(cue token, victim token) for every death the sentence names."""
    cues = _warning_cues()["death"]
    death_lists = [cues[k] for k in ("die_verbs", "pass_verbs", "kill_verbs", "dead_adjectives", "death_nouns")]
    for t in s.with_lemma(*death_lists):  # each kind below needs its lemma in one of these
        lemma = _lemma(t)
        victim = None
        if t.pos_ == "VERB" and lemma in cues["die_verbs"] and t.tag_ != "VBG":
            if any(c.dep_ in ("mark", "det", "compound") for c in t.children):
                # a clause of its own ("until the phone dies", misparsed with "phone" as a compound): its subject
                # is its own, never the main clause's "I"
                victim = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            else:
                victim = reader.subject(t)
        elif t.pos_ == "VERB" and lemma in cues["pass_verbs"] and _has_child(t, ("prt",), cues["pass_particles"]):
            victim = reader.subject(t)
        elif t.pos_ == "VERB" and lemma in cues["kill_verbs"]:
            passive = [c for c in t.children if c.dep_ == "nsubjpass"]
            objects = [c for c in t.children if c.dep_ == "dobj"]
            victim = passive[0] if passive else (objects[0] if objects else None)
            if victim is not None and reader.is_reflexive(victim):
                continue  # a suicide: read by the suicide detector
        elif lemma in cues["dead_adjectives"] and t.dep_ in ("acomp", "attr", "oprd"):
            if t.dep_ == "oprd":
                objects = [c for c in t.head.children if c.dep_ == "dobj"]
                victim = objects[0] if objects else None
            else:
                victim = reader.subject(t.head)
        elif t.pos_ == "NOUN" and lemma in cues["death_nouns"]:
            owners = [c for c in t.children if c.dep_ == "poss"]
            of = [
                g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
            ]
            victim = owners[0] if owners else (of[0] if of else None)
        if victim is not None:
            yield (t, ""), victim
    vital = set(cues["vital_nouns"])
    for token, text in reader.phrase_tokens(s, _phrases(cues["last_breath_phrases"])):
        if _revived(reader, s, cues):
            break
        verb = token.head if token.dep_ in ("aux", "auxpass", "neg") else token if token.pos_ in ("VERB", "AUX") else token.head
        victim = reader.subject(verb) or token
        if victim.lemma_.lower() in vital or victim.lower_ in vital:
            # "his chest didn't rise again", "the light left his eyes": the owner of the body part dies.
            owners = [c for c in victim.children if c.dep_ == "poss"]
            owners += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
                       for g in [g] + [x for x in g.children if x.dep_ == "poss"] if g.dep_ == "poss"]
            victim = owners[0] if owners else victim
        if not reader.is_person(s, victim):
            # "...but there was no one behind them": the person is the one the sentence is about.
            victim = next((t for t in s.tokens if t.dep_ == "poss" and t.lower_ in ("his", "her", "their")), victim)
        yield (token, text), victim
    for token, text in reader.phrase_tokens(s, _phrases(cues["weak_phrases"])):
        # "She was gone before the medics came", "his hand went slack": a death only beside another sign of it.
        verb = token.head if token.dep_ in ("aux", "auxpass", "neg", "det") else token if token.pos_ in ("VERB", "AUX") else token.head
        victim = reader.subject(verb) or token
        if not reader.is_person(s, victim):
            victim = next((t for t in s.tokens if t.dep_ == "poss" and t.lower_ in ("his", "her", "their")), victim)
        yield (token, "weak:" + text), victim
    yield from _laid_to_rest(reader, s, cues)
    yield from _last_stop(reader, s, cues)
    yield from _body_found(reader, s, cues)
    yield from _vital_stops(reader, s, cues)
    yield from _lost_person(reader, s, cues)
    for token, text in reader.phrase_tokens(s, _phrases(cues["remains_phrases"])):
        # "got my arms under what was left of him": a body, weak alone ("the research ate what was left of him").
        owner = next((g for g in token.doc[token.i : token.i + 8] if g.dep_ == "pobj"), None)
        if owner is not None:
            yield (token, "weak:remains"), owner
    for token, text in reader.phrase_tokens(s, _phrases(cues["counterfactual_alive_phrases"])):
        # "She'd be alive if she'd kept it": said of someone who is dead.
        verb = token.head if token.dep_ == "aux" else token
        victim = reader.subject(verb)
        if victim is not None:
            yield (verb, "counterfactual"), victim
    for t in s.with_lemma(cues["burial_verbs"]):
        # "We buried her on a Thursday": someone lays a person in the ground.
        if t.pos_ != "VERB":
            continue
        if _lemma(t) == "burn":
            # A pyre is a burial only of the dead: "burned the bodies", "burned what they could of the dead".
            if reader.subject(t) is None or not reader.is_person(s, reader.subject(t)):
                continue
            if any(
                g.lower_ in cues["burn_objects"] or g.lemma_.lower() in cues["burn_objects"]
                for c in t.children
                if c.dep_ in ("dobj", "prep", "nsubjpass")
                for g in c.subtree
            ):
                yield (t, "burial"), t  # the dead are no one person: mourning, not a death of its own
                continue
            # "They burned him on the beach at dusk, as was the custom. The pyre smoked": one person's funeral
            burned = [c for c in t.children if c.dep_ == "dobj" and reader.is_person(s, c) and not reader.is_reflexive(c)]
            if burned and _pyre_told(reader, s):
                many = burned[0].lower_ in ("them", "they") or burned[0].tag_ in ("NNS", "NNPS")
                yield (t, "burial"), t if many else burned[0]  # "burned them all": the dead, mourned, no one death
            continue
        passive = [c for c in t.children if c.dep_ == "nsubjpass"]
        objects = [c for c in t.children if c.dep_ == "dobj"]
        victim = passive[0] if passive else (objects[0] if objects else None)
        agent = reader.subject(t)
        if victim is None or reader.is_reflexive(victim) or victim.lower_ in ("it", "them") and not passive:
            continue
        if not passive and not reader.is_person(s, agent):
            continue  # "a rock slide buried Naruto": buried alive, perhaps, not laid to rest
        where = {g.lemma_.lower() for c in t.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"}
        if where & set(cues["burial_not_under"]):
            continue
        yield (t, "burial"), victim


def _pyre_told(reader: CueReader, s: Sentence) -> bool:
    """A pyre, ashes or the custom of a funeral told in this sentence or the few after it, in the same scene."""
    cues = _warning_cues()["death"]
    after = [n for n in reader.sentences[s.index : s.index + 1 + cues["pyre_window"]] if n.scene == s.scene]
    return any(n.with_lemma(cues["pyre_words"]) for n in after)


def _laid_to_rest(reader: CueReader, s: Sentence, cues: dict):
    """A person in the coffin or the ground: "Maes Hughes is in the box", "he's in there", "lowered her into the
    grave".  A box, the ground or "there" is a coffin only where a funeral is told in the scene just before."""
    for t in s.with_lemma(cues["laid_in_verbs_subject"], cues["laid_in_verbs_object"]):
        lemma = _lemma(t)
        if lemma in cues["laid_in_verbs_subject"]:
            if any(
                c.dep_ in ("advcl", "xcomp", "conj") and c.pos_ == "VERB" or c.dep_ == "prep" and c.lower_ == "with"
                for c in t.children
            ):
                continue  # "Sam was in the box, digging", "in the box with a torch": there to work, not laid to rest
            people = [c for c in t.children if c.dep_ == "nsubj"]
        elif lemma in cues["laid_in_verbs_object"] and t.pos_ == "VERB":
            people = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        else:
            continue
        places = [
            g
            for c in t.children
            if c.dep_ in ("prep", "advmod") and c.lower_ in ("in", "into", "inside", "there")
            for g in ([c] if c.lower_ == "there" else [x for x in c.children if x.dep_ in ("pobj", "advmod")])
        ]
        for place in places:
            word = place.lemma_.lower()
            funeral_place = word in cues["laid_in_places_funeral"] and _funeral_before(reader, s, cues)
            if word in cues["laid_in_places"] or funeral_place:
                for person in people:
                    if person.lower_ in ("i", "we", "you") or reader.is_reflexive(person):
                        continue
                    if reader.is_person(s, person):
                        yield (t, "laid_in"), person
                break


def _last_stop(reader: CueReader, s: Sentence, cues: dict):
    """"Then he stopped coughing, and then he stopped": a bare "stop" (nothing stopped, nowhere stopped at) after
    the same person stopped breathing, coughing, shaking, in this sentence or the one before."""
    before = ([reader.sentences[s.index - 1]] if s.index > 0 else []) + [s]
    stopped = {}  # subject -> the vital thing they stopped doing
    for n in before:
        for t in n.with_lemma(("stop",)):
            if t.pos_ == "VERB":
                doing = [c for c in t.children if c.dep_ in ("xcomp", "dobj") and _lemma(c) in cues["last_stop_after"]]
                subject = reader.subject(t)
                if doing and subject is not None:
                    stopped.setdefault(subject.lower_, t)
    for t in s.with_lemma(("stop",)):
        if t.pos_ != "VERB" or s.in_dialogue(t):
            continue
        if any(c.dep_ in ("xcomp", "dobj", "ccomp", "prep", "prt", "advcl", "npadvmod", "acomp") for c in t.children):
            continue
        subject = reader.subject(t)
        earlier = stopped.get(subject.lower_) if subject is not None else None
        if earlier is not None and earlier.i != t.i and (earlier.doc is not t.doc or earlier.i < t.i):
            yield (t, ""), subject


def _vital_stops(reader: CueReader, s: Sentence, cues: dict):
    """A person's heart, pulse or breath that stops, in any tense and order of words: "His breath stops before mine
    does", "her heartbeat faltered, slowed, and stopped", "Sirius's pulse had ceased".  Not a fright or a held
    breath ("her heart stopped for a second", "his breath stopped in his throat", "my heart stopped when I saw
    it"), nor the narrator's own ("my"), nor one that starts again in the sentences after."""
    vital = set(cues["vital_stop_subjects"])
    for verb in s.tokens:
        # "His breath stops": the tagger may call the verb a noun; its subject says what it is
        misread = verb.pos_ == "NOUN" and (
            verb.dep_ in ("conj", "ROOT", "ccomp") or any(c.dep_ == "nsubj" for c in verb.children)
        )
        if not (verb.pos_ == "VERB" or misread) or _lemma(verb) not in cues["vital_stop_verbs"]:
            continue
        if _lemma(verb) in ("go", "fall") and not any(
            c.dep_ == "acomp" and c.lower_ in cues["vital_stop_states"] for c in verb.children
        ):
            continue
        head = verb
        while head.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in head.children):
            head = head.head  # "flutters under her fingers, slows, and stops": the first verb's subject
        subjects = [c for c in head.children if c.dep_ == "nsubj" and c.lemma_.lower() in vital]
        if not subjects:
            continue
        owners = [c for c in subjects[0].children if c.dep_ == "poss" and c.lower_ not in ("my", "our", "your")]
        if not owners:
            continue
        words = {w.lower_ for w in verb.subtree if w.i != subjects[0].i} - {w.lower_ for w in subjects[0].subtree}
        startled = any(
            c.dep_ == "advcl"
            and any(m.dep_ in ("mark", "advmod") and m.lower_ in ("when", "as", "whenever") for m in c.children)
            for c in verb.children
        )
        if words & set(cues["vital_stop_brief"]) or startled:
            continue  # "for a second", "in her throat", "when she saw it": a fright, not a death
        if _lemma(head.head) in ("feel", "sense") and _owned_by(owners[0], reader.subject(head.head)):
            continue  # "felt his heart go quiet in a way it hadn't in weeks": a calm he feels in himself
        if _revived(reader, s, cues):
            continue
        yield (verb, ""), owners[0]


def _revived(reader: CueReader, s: Sentence, cues: dict) -> bool:
    """A heart that stops and, within a few sentences of the scene, is started again (compressions, paddles)."""
    after = [n for n in reader.sentences[s.index + 1 : s.index + 5] if n.scene == s.scene]
    return any(_phrases(cues["vital_restart_phrases"]).search(reader.lower(n)) for n in [s] + after)


def _body_found(reader: CueReader, s: Sentence, cues: dict):
    """"When Armin found his body", "they recovered Lucy's body": the owner of the body is dead.  Not "found his
    body warm against hers" (the body is the subject of a clause), nor "her hands found his body"."""
    for t in s.with_lemma(cues["body_found_verbs"]):
        if t.pos_ != "VERB":
            continue
        finder = reader.subject(t)
        bodies = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in cues["body_nouns"]]
        for body in bodies:
            if body.dep_ == "dobj" and (finder is None or finder.lemma_.lower() in cues["body_finder_not"]):
                continue  # "her hands found his body in the dark"
            owners = [c for c in body.children if c.dep_ == "poss" and not reader.is_reflexive(c)]
            if not owners or owners[0].lower_ in ("my", "our", "your", "its"):
                continue
            if finder is None or owners[0].lower_ != finder.lower_:
                yield (t, ""), owners[0]


def _lost_person(reader: CueReader, s: Sentence, cues: dict):
    """"We lost Sal on the third night": a person lost by those around them; weak alone ("we lost him in the
    crowd" is excluded, "lost track of him" has no person as object)."""
    for t in s.with_lemma(("lose",)):
        if t.pos_ != "VERB":
            continue
        subject = reader.subject(t)
        if subject is None or subject.lower_ not in cues["lost_subjects"]:
            continue
        if any(c.dep_ == "prep" and c.lower_ in cues["lost_not_preps"] for c in t.children):
            continue
        for person in (c for c in t.children if c.dep_ == "dobj"):
            named = person.pos_ == "PROPN" or reader.character_of(s, person) is not None
            if named and not reader.is_reflexive(person):
                yield (t, "weak:lost"), person


def _funeral_before(reader: CueReader, s: Sentence, cues: dict) -> bool:
    """A funeral, coffin or grave named in this sentence or the few before it, in the same scene."""
    words = set(cues["funeral_words"])
    for i in range(max(0, s.index - cues["funeral_window"]), s.index + 1):
        other = reader.sentences[i]
        if other.scene == s.scene and any(t.lower_ in words or t.lemma_.lower() in words for t in other.tokens):
            return True
    return False


def _reported(reader: CueReader, s: Sentence, token) -> bool:
    """The cue stands in a clause that a narrated verb of saying reports ("Paimon explains ... that the god is
    dead", "she told me he had died"): someone's words, weighed as dialogue."""
    verbs = set(_warning_cues()["death"]["report_verbs"])

    def someone_else_says(verb) -> bool:
        # "as I have said", "I say": the narrator's own words are the narration
        subject = reader.subject(verb)
        said_aside = any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
        return not said_aside and not (subject is not None and subject.lower_ in ("i", "we"))

    ancestors = [token] + list(token.ancestors)
    for a in ancestors:
        # the clause is what is said ("told me that he had died"), not an event beside the saying ("said nothing
        # as she died")
        head = a.head
        if a.dep_ == "ccomp" and _lemma(head) in verbs and head.pos_ in ("VERB", "AUX") and not s.in_dialogue(head):
            if someone_else_says(head):
                return True
    for a in ancestors:
        for c in a.children:
            aside = c.dep_ in ("parataxis", "advcl") and _lemma(c) in verbs
            if aside and not s.in_dialogue(c) and someone_else_says(c):
                return True
    return False


def _death_undone(reader: CueReader, sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that say a death was faked or is not real after all ("You faked your own death")."""
    pattern = _phrases(_warning_cues()["death"]["undone_phrases"])
    found = []
    for s in sentences:
        for token, text in reader.phrase_tokens(s, pattern):
            if _says_negation(text) or not reader.negated(token):
                found.append(s)
                break
    return found


def _time_bound(cue) -> bool:
    """"Will hate himself until the day he dies": the death is the far end of a span of time (a relative clause
    of "day", "moment"... under "until", "till", "to"), not an event of the story."""
    cues = _warning_cues()["death"]
    verb = cue if cue.pos_ in ("VERB", "AUX") else cue.head
    if verb.dep_ not in ("relcl", "acl"):
        return False
    noun = verb.head
    return (
        noun.lemma_.lower() in cues["time_bound_nouns"]
        and noun.dep_ == "pobj"
        and noun.head.lower_ in cues["time_bound_preps"]
    )


def _bound_to_own_subject(reader: CueReader, s: Sentence, cue, victim) -> bool:
    """"Kelsier killed him": an object pronoun that is not reflexive never names the verb's own subject, so a
    reading of "him" as Kelsier is a misreading, and the victim is someone the story has not named here."""
    if victim.dep_ != "dobj" or victim.pos_ != "PRON" or reader.is_reflexive(victim):
        return False
    agent = reader.subject(cue)
    if agent is None:
        return False
    victim_character = reader.character_of(s, victim)
    return victim_character is not None and victim_character == reader.named_central(s, agent)[1]


def detect_death(reader: CueReader, s: Sentence, hits: Hits) -> None:
    for (cue, text), victim in _death_events(reader, s):
        counterfactual = text == "counterfactual"  # "she'd be alive if...": its modal is the point
        if reader.in_idiom(s, cue) or (reader.hypothetical(cue, s) and not counterfactual):
            continue
        if _time_bound(cue):
            continue
        if not _says_negation(text) and reader.negated(cue):
            continue  # a phrase that holds its own negation ("didn't rise again") is read as it is
        if text == "burial":
            hits.add(GRIEF, s, 0.45, DEPICTED)  # a burial is mourning told on the page
        weak = text.startswith("weak:")
        if not reader.is_person(s, victim) or reader.averted(s, cue) or reader.unreal(s):
            continue
        if victim.lemma_.lower() in _warning_cues()["death"]["inanimate_victims"]:
            continue  # "I sit there until the phone dies"
        dialogue = s.in_dialogue(cue) or counterfactual or _reported(reader, s, cue)
        background = reader.background(s, cue)
        central, character = reader.named_central(s, victim)
        misbound = _bound_to_own_subject(reader, s, cue, victim)
        if misbound:
            central, character = False, None
        if reader.speaks_after(character, s):
            # "Loki is dead." and, a scene later, Loki protests: a death faked or undone; and a character who has
            # come back once (a death on stage, in a game, a respawn) does not die the next time either
            reader.returned_from_death.add(character)
            continue
        if character is not None and character in reader.returned_from_death:
            continue
        if not weak:
            hits.add(GRIEF, s, 0.3, MENTIONED)
        resolved = reader.character_of(s, victim) is not None and not misbound
        named = victim.pos_ == "PROPN" or resolved
        if background:
            if (central or named) and not dialogue and reader.pluperfect(cue) and not reader.background_phrase(s):
                # "By the time Sakura arrived, Naruto had died.": perhaps the story's own past, perhaps not.
                hits.add(MAJOR_CHARACTER_DEATH, s, 0.6 if central else 0.5)
            continue
        if not dialogue and weak:
            hits.add("death_sign", s, 0.3)
            if central:
                hits.add(MAJOR_CHARACTER_DEATH, s, 0.55)
        elif not dialogue:
            hits.add("death", s, 0.5)
            if _lemma(cue) in _warning_cues()["death"]["kill_verbs"] and text != "burial":  # a pyre is no blow
                hits.add("violence", s, 0.45)
            if central:
                hits.add(MAJOR_CHARACTER_DEATH, s, 0.85)
            elif named:
                hits.add(MAJOR_CHARACTER_DEATH, s, 0.5)  # named, but seldom: a main character only if mourned
            elif victim.lower_ in ("he", "she", "they", "i", "you", "him", "her", "them", "his", "their") and not resolved:
                hits.add(MAJOR_CHARACTER_DEATH, s, 0.55)  # an unresolved pronoun: likely, not certain
        elif central:
            hits.add(MAJOR_CHARACTER_DEATH, s, 0.45)  # announced in dialogue ("Kakashi is dead.")


def _owned_by(owner, agent) -> bool:
    """The possessive names the agent: "his" for "he" or for a named man, "her" for "she"..."""
    if agent is None:
        return False
    if owner.lower_ == _POSSESSIVE_OF.get(agent.lower_):
        return True
    return agent.pos_ == "PROPN" and owner.lower_ in ("his", "her", "their")


def detect_violence(reader: CueReader, s: Sentence, hits: Hits) -> None:
    cues = _warning_cues()["violence"]
    body = set(cues["injury_body_nouns"])
    weapons = set(cues["weapon_nouns"])
    for t in s.with_lemma(cues["violent_verbs"]):
        if t.pos_ != "VERB" or s.in_dialogue(t):
            continue
        patients = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        # "slashed his throat", "a blade in his gut": a body part belonging to a person.
        patients += [
            g for c in t.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj" and g.lower_ in body
        ]
        hurt = False
        agent = reader.subject(t)
        for p in patients:
            if reader.is_reflexive(p):
                continue
            owners = [c for c in p.children if c.dep_ == "poss"]
            if p.lower_ in body and owners:
                # "shot his hand out", "cracked her knuckles": the agent's own hand moved, no one hurt
                hurt = hurt or not (p.dep_ == "dobj" and _owned_by(owners[0], agent))
            elif reader.is_person(s, p) and p.dep_ in ("dobj", "nsubjpass"):
                hurt = True
        if not hurt or reader.in_idiom(s, t) or reader.negated(t) or reader.hypothetical(t, s):
            continue
        if _lemma(t) == "burn" and _pyre_told(reader, s):
            continue  # "burned him on the beach ... the pyre": a funeral, not a blow
        passive = any(c.dep_ == "nsubjpass" for c in t.children)
        if not passive and (agent is None or not (reader.is_person(s, agent) or agent.lemma_.lower() in weapons)):
            continue  # "an idea struck me", "it hit her": no one does violence here
        hits.add("violence", s, 0.35)


_PERSON_FORMS = {
    form: key
    for key, forms in {
        "he": ("he", "him", "his", "himself"),
        "she": ("she", "her", "hers", "herself"),
        "they": ("they", "them", "their", "themselves"),
        "you": ("you", "your", "yourself"),
        "i": ("i", "me", "my", "myself"),
    }.items()
    for form in forms
}


def _owner(token):
    """The possessor of a body part ("her little finger", "Anselm's thumb"), or None."""
    return next((c for c in token.children if c.dep_ == "poss"), None) if token is not None else None


def _person_key(reader: CueReader, s: Sentence, token) -> str | None:
    """Who a token names, as far as the words tell: a pronoun's person ("he" for "his"), a name as the pronoun its
    character takes when the characters stage knows it ("Mira" -> "she"), else the name; otherwise None."""
    if token is None:
        return None
    if token.lower_ in _PERSON_FORMS:
        return _PERSON_FORMS[token.lower_]
    if token.pos_ != "PROPN":
        return None
    character = reader.character_of(s, token)
    gender = next((c.gender for c in reader.story.characters if c.id == character), None) if character else None
    return {"F": "she", "M": "he"}.get(gender, token.lower_)


def _same_person_possible(a: str | None, b: str | None) -> bool:
    """Two persons the words leave possibly the same: not two different pronouns, nor two different names."""
    if a is None or b is None or a == b:
        return True
    pronouns = set(_PERSON_FORMS.values())
    return not ((a in pronouns and b in pronouns) or (a not in pronouns and b not in pronouns))


def _may_be_bound(struck: str | None, bound: set[str], bound_pronouns: set[str]) -> bool:
    """The one struck may be the one bound: unknown, the same pronoun where the binding gives one, or a name and a
    person the words leave possibly the same."""
    if struck is None:
        return True
    if struck in _PERSON_FORMS.values() and bound_pronouns:
        return struck in bound_pronouns
    return any(_same_person_possible(struck, k) for k in bound)


def _restrained(reader: CueReader, s: Sentence) -> set[str]:
    """Who a captive sentence binds: "tied his wrists" -> "he", "They tied the Englishman" -> nobody known."""
    verbs = set(_warning_cues()["torture"]["restraint_verbs"])
    keys = set()
    for t in s.with_lemma(verbs):
        for c in t.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                keys.add(_person_key(reader, s, c) or _person_key(reader, s, _owner(c)))
        # "tied Mira to the shaft, her hands behind her": the pronoun that goes with the name
        keys |= {_PERSON_FORMS[g.lower_] for g in t.subtree if g.dep_ == "poss" and g.lower_ in _PERSON_FORMS}
    return keys - {None}


def detect_weapon_hit(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """A weapon or a blow that lands in a body: "the kunai went through his eye", "the second arrow took him in
    the chest", "felt the senbon go in under his jaw", "took the nearest man at the knees"."""
    cues = _warning_cues()["violence"]
    weapons, body = set(cues["weapon_nouns"]), set(cues["injury_body_nouns"]) - set(cues["hit_not_body"])
    # "The thief's knife came out of nowhere. She saw it go into the guard's side": "it" is the weapon named
    # in this sentence or the one before.
    before = ([reader.sentences[s.index - 1]] if s.index > 0 else []) + [s]
    things = [  # the nouns "it" may stand for, last first: no person, no body part
        t
        for n in before
        for t in n.tokens
        if t.pos_ == "NOUN" and t.lemma_.lower() not in body and not reader.is_person(n, t)
    ]
    for t in s.with_lemma(cues["hit_verbs"]):
        if t.pos_ != "VERB" or s.in_dialogue(t):
            continue
        subject = reader.subject(t)
        it_thing = None  # what "it" stands for, when it is a thing named just before
        if subject is not None and subject.lower_ == "it":
            referent = [x for x in things if x.doc is not subject.doc or x.i < subject.i]
            it_thing = referent[-1] if referent else None
        it_weapon = it_thing is not None and it_thing.lemma_.lower() in weapons
        by_weapon = subject is not None and (subject.lemma_.lower() in weapons or it_weapon)
        objects = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass") and reader.is_person(s, c)]
        places = [
            g
            for c in t.children
            if c.dep_ in ("prep", "advmod", "prt") and c.lower_ in cues["hit_preps"]
            for g in list(c.children) + [x for y in c.children if y.dep_ == "prep" for x in y.children]
            if g.dep_ == "pobj" and g.lower_ in body
        ]
        if not places or not (by_weapon or objects):
            continue
        by_weapon = by_weapon or (
            subject is not None and subject.lower_ in cues["anaphoric_subjects"] and bool(objects) and it_thing is None
        )  # "the second caught him in the throat"; not "It" after "threw a bread roll at the director"
        if not by_weapon and not (subject is not None and reader.is_person(s, subject)) and subject is not None:
            continue  # "the idea took him in the gut"?  a blow needs a weapon or someone behind it
        if reader.negated(t) or reader.hypothetical(t, s) or reader.in_idiom(s, t) or _nearly(reader, t):
            continue
        hits.add("violence", s, 0.35)
        struck = objects[0] if objects else _owner(places[0])
        # pain inflicted on the one struck: a torture only beside a captive (_by_parse)
        hits.add("torture_blow", s, 0.3, _person_key(reader, s, struck))


def _nearly(reader: CueReader, token) -> bool:
    """'almost', 'nearly', 'barely' on the verb: the blow did not land.  (The whole averting check would read
    'the sword caught him' as someone catching him.)"""
    adverbs = reader.f["averting_adverbs"]
    return any(c.dep_ == "advmod" and c.lower_ in adverbs for c in token.children)


def detect_weapon_strike(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """A blade driven into, through or across a body (a person's or a beast's): "drove the sword through
    its mouth", "brought the blade down across its spine"."""
    cues = _warning_cues()["violence"]
    weapons = set(cues["weapon_nouns"])
    # a hammer brought down on a thumb, a toe, a kneecap: any part of a body a blow can break
    body = set(cues["injury_body_nouns"]) | set(cues["breakable_body"]) | set(_warning_cues()["torture"]["pain_body"])
    body |= set(cues["struck_body"])
    for t in s.with_lemma(cues["weapon_verbs"]):
        if t.pos_ != "VERB" or s.in_dialogue(t):
            continue
        # "took a small steel mallet out of the case and brought it down on her little finger": "it" is the weapon
        # named in this sentence or the one before
        nearby = [s] + ([reader.sentences[s.index - 1]] if s.index > 0 else [])
        named = any(x.lemma_.lower() in weapons and x.pos_ == "NOUN" for n in nearby for x in n.tokens)
        armed = [
            c for c in t.children if c.dep_ == "dobj" and (c.lemma_.lower() in weapons or named and c.lower_ == "it")
        ]
        if not armed:
            continue
        down = any(c.dep_ in ("prt", "advmod") and c.lower_ == "down" for c in t.children)
        directions = set(cues["weapon_directions"]) | ({"on", "onto", "upon"} if down else set())
        targets = [
            g
            for c in t.children
            if c.dep_ == "prep" and c.lower_ in directions
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if not any(g.lower_ in body or reader.is_person(s, g) for g in targets):
            continue
        if not (reader.negated(t) or reader.hypothetical(t, s) or reader.in_idiom(s, t)):
            hits.add("violence", s, 0.35)
            struck = next((g if reader.is_person(s, g) else _owner(g) for g in targets), None)
            hits.add("torture_blow", s, 0.3, _person_key(reader, s, struck))  # as in detect_weapon_hit


def detect_severing(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """A part of a body cut, chopped, sawn or bitten off, or an eye or tongue put out, by someone: "cut off the
    smallest one with a short knife" (the fingers spread just before), "his ear was sliced off".  A blow and a
    severe wound at once; not "cut off the crusts", "took off his boots", nor a call "cut off"."""
    cues = _warning_cues()["violence"]
    body = set(cues["injury_body_nouns"]) | set(cues["breakable_body"]) | set(cues["struck_body"])
    body |= set(cues["severed_body"])
    nearby = [s] + ([reader.sentences[s.index - 1]] if s.index > 0 else [])
    body_named = any(n.with_lemma(body) for n in nearby)
    for verb in s.with_lemma(cues["sever_verbs"]):
        if verb.pos_ != "VERB" or s.in_dialogue(verb):
            continue
        # "off" a particle ("sliced it off"), not a place left ("took his hand off her shoulder")
        particles = {c.lower_ for c in verb.children if c.dep_ in ("prt", "advmod", "prep") and not list(c.children)}
        parts = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        # "cut off the smallest one": "one" or "it" stands for the finger named just before
        part = next(
            (c for c in parts if c.lemma_.lower() in body or (body_named and c.lower_ in ("one", "it", "them"))),
            None,
        )
        if part is None:
            continue
        if not ("off" in particles or "out" in particles and part.lemma_.lower() in cues["put_out_body"]):
            continue
        agent = reader.subject(verb)
        if _owned_by(_owner(part) or part, agent):
            continue  # his own hand taken off something
        if agent is not None and agent.dep_ == "nsubj" and not (
            reader.is_person(s, agent) or agent.lemma_.lower() in cues["weapon_nouns"]
        ):
            continue
        if reader.negated(verb) or reader.hypothetical(verb, s) or reader.unreal(s) or _nearly(reader, verb):
            continue
        hits.add("violence", s, 0.35)
        hits.add("wound", s, 0.5)
        hits.add("torture_blow", s, 0.3, _person_key(reader, s, _owner(part)))


def detect_gore(reader: CueReader, s: Sentence, hits: Hits) -> None:
    cues = _warning_cues()["gore"]
    blood_verbs = set(cues["blood_verbs"])
    for t in s.tokens:
        if s.in_dialogue(t):
            continue
        lemma, lower = _lemma(t), t.lower_
        strength = 0.0
        if t.pos_ == "NOUN" and (lemma in cues["gore_nouns"] or lower in cues["gore_nouns"]):
            if lower == "guts" and _lemma(t.head) == "have":
                continue  # "had the guts to": courage
            strength = 0.5
        elif lower in cues["gore_adjectives"] and t.dep_ in ("amod", "acomp", "oprd", "conj"):
            strength = 0.4
        elif lemma in cues["blood_nouns"] or (
            lower in cues["red_nouns"] and t.pos_ in ("NOUN", "ADJ") and t.dep_ in ("nsubj", "attr", "nsubjpass", "acomp")
            and not any(w.lower_ in cues["blush_words"] or w.lemma_.lower() in cues["blush_words"] for w in s.tokens)
        ):
            # "blood sprayed", "a pool of blood", "throat and blood sprayed" (a parse that hangs the verb on a sibling)
            related = (
                [t.head, t.head.head]
                + list(t.children)
                + list(t.head.children)
                + [g for c in t.children for g in c.children]
            )
            if any(_lemma(r) in blood_verbs for r in related):
                strength = 0.4
        if strength and not (reader.in_idiom(s, t) or reader.negated(t) or reader.hypothetical(t, s)):
            hits.add("gore", s, strength)
    for token, _ in reader.phrase_tokens(s, _phrases(_warning_cues()["violence"]["severe_injury_phrases"])):
        if not (s.in_dialogue(token) or reader.negated(token) or reader.hypothetical(token, s)):
            hits.add("gore", s, 0.45)  # a hand lost to an axe
            hits.add("violence", s, 0.35)
    for token, _ in reader.phrase_tokens(s, _phrases(_warning_cues()["violence"]["injury_phrases"])):
        if not (s.in_dialogue(token) or reader.negated(token) or reader.hypothetical(token, s)):
            hits.add("gore", s, 0.3)  # a bone broken or a body opened: graphic beside a blow, not gore alone
            hits.add("violence", s, 0.35)
    for token, _ in reader.phrase_tokens(s, _phrases(cues["minor_blood_phrases"])):
        if not (s.in_dialogue(token) or reader.negated(token) or reader.hypothetical(token, s)):
            hits.add("gore", s, 0.3)  # a taste of copper, a bloody lip: blood, not yet gore
    for t in s.with_lemma(("bleed",)):
        # "bleeding freely down his wrist", "bled heavily onto the stones": blood told with its measure.
        if t.pos_ != "VERB" or s.in_dialogue(t):
            continue
        subject = reader.subject(t)
        if subject is not None and subject.lemma_.lower() in cues["bleeding_not_subjects"]:
            continue  # "the colours bled down the wet page"
        if subject is not None and subject.lower_ in cues["bleeding_minor_subjects"]:
            continue  # "her nose was bleeding freely" in a boxing bout: a nosebleed, not gore
        measured = any(
            c.dep_ in ("advmod", "prt") and c.lower_ in cues["bleeding_adverbs"]
            or c.dep_ == "prep" and c.lower_ in cues["bleeding_preps"]
            for c in t.children
        )
        unsaid = reader.negated(t) or reader.hypothetical(t, s) or reader.in_idiom(s, t) or reader.unreal(s)
        if measured and not unsaid:
            hits.add("gore", s, 0.4)
    lit = bool(s.with_lemma(cues["red_light_words"]))
    for token, text in reader.phrase_tokens(s, _phrases(cues["blood_phrases"])):
        if lit and not re.search(r"blood|bone|gut|skull|throat|belly|chest|stomach", text):
            continue  # "the water below ran red with" the setting sun
        if not (s.in_dialogue(token) or reader.negated(token) or reader.hypothetical(token, s)):
            hits.add("gore", s, 0.45)


def detect_torture(reader: CueReader, s: Sentence, hits: Hits) -> None:
    cues = _warning_cues()["torture"]
    for t in s.tokens:
        if t.lower_ not in cues["torture_words"] and _lemma(t) != "torture":
            continue
        if t.pos_ == "NOUN" and t.dep_ in ("attr", "acomp") and not reader.is_person(s, reader.subject(t.head)):
            continue  # "waiting was torture": a figure of speech
        if t.pos_ == "VERB" and not any(c.dep_ in ("dobj", "nsubjpass") and reader.is_person(s, c) for c in t.children):
            continue  # "hair tortured into curls": torture is done to a person
        if s.in_dialogue(t) or reader.in_idiom(s, t) or reader.negated(t) or reader.hypothetical(t, s):
            continue
        hits.add(
            TORTURE, s, 0.4 if reader.background(s, t) else 0.6, MENTIONED if reader.background(s, t) else DEPICTED
        )
    for token, _ in reader.phrase_tokens(s, _phrases(cues["method_phrases"])):
        if not (s.in_dialogue(token) or reader.negated(token) or reader.hypothetical(token, s)):
            hits.add(TORTURE, s, 0.45, DEPICTED)
            hits.add("torture_method", s, 0.45)
    for token, _ in reader.phrase_tokens(s, _phrases(cues["wounding_method_phrases"])):
        if not (s.in_dialogue(token) or reader.negated(token) or reader.hypothetical(token, s) or reader.unreal(s)):
            hits.add(TORTURE, s, 0.45, DEPICTED)
            hits.add("torture_method", s, 0.45)
            hits.add("wound", s, 0.45)
            hits.add("violence", s, 0.35)


def detect_captivity(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """The three parts of an interrogation under torture, each a sentence cue: a captive (strapped to a chair,
    in a cell), a question pressed (interrogation, 'Where is...', the question again), and pain inflicted (a
    finger broken, needles, current).  Read together per scene in _torture_by_scene."""
    cues = _warning_cues()["torture"]
    for token, _ in reader.phrase_tokens(s, _phrases(cues["release_phrases"])):
        if not (reader.negated(token) or reader.hypothetical(token, s) or s.in_dialogue(token)):
            hits.add("torture_release", s, 0.3)
    for key in ("captive_phrases", "question_phrases", "pain_phrases"):
        for token, text in reader.phrase_tokens(s, _phrases(cues[key])):
            if reader.unreal(s) or reader.hypothetical(token, s) and key == "pain_phrases":
                continue
            if key == "pain_phrases" and not _says_negation(text) and reader.negated(token):
                continue
            hits.add("torture_" + key.split("_")[0], s, 0.3)


def _torture_by_scene(hits: Hits) -> None:
    """A captive, questioned, and hurt again and again in one scene is torture, though the word is never said."""
    cues = _warning_cues()["torture"]
    pain, captive, question = hits.of("torture_pain"), hits.of("torture_captive"), hits.of("torture_question")
    for scene in {h.sentence.scene for h in pain}:
        # The pain told again and again, and the captive and the question near it, in one scene.
        in_scene = _clustered([h for h in pain if h.sentence.scene == scene], cues["window"])
        if not in_scene:
            continue
        first, last = in_scene[0].sentence.index - cues["window"], in_scene[-1].sentence.index + cues["window"]
        held = [h for h in captive if h.sentence.scene == scene and first <= h.sentence.index <= last]
        asked = [h for h in question if h.sentence.scene == scene and first <= h.sentence.index <= last]
        if len({h.sentence.index for h in in_scene}) >= cues["min_pain"] and held and asked:
            for h in in_scene + held[:1] + asked[:1]:
                hits.add(TORTURE, h.sentence, 0.35, DEPICTED)


def _method_on_a_captive(hits: Hits) -> None:
    """A method of torture (skin flayed in strips, a hot iron pressed to the flesh) used where someone is held
    captive (tied to the table, strapped down) a few sentences before or after, in the same chapter, or before it
    and set free only after it: the captive is the one tortured, and the two sentences together are torture
    though neither says the word."""
    window = _warning_cues()["torture"]["window"]
    for method in hits.of("torture_method"):
        i, chapter = method.sentence.index, method.sentence.chapter
        # still held: a captive before the method and the release after it, however far apart
        released = any(h.sentence.chapter == chapter and h.sentence.index > i for h in hits.of("torture_release"))
        held = [
            h for h in hits.of("torture_captive")
            if h.sentence.chapter == chapter and (abs(h.sentence.index - i) <= window or released and h.sentence.index < i)
        ]
        if held:
            nearest = min(held, key=lambda h: abs(h.sentence.index - method.sentence.index))
            hits.add(TORTURE, nearest.sentence, 0.35, DEPICTED)


def detect_rape(reader: CueReader, s: Sentence, hits: Hits) -> None:
    cues = _warning_cues()["rape"]
    found = [t for t in s.tokens if t.lower_ in cues["rape_words"]]
    found += [t for t, _ in reader.phrase_tokens(s, _phrases(cues["phrases"]))]
    if any(t.lower_ in cues["sexual_context_words"] for t in s.tokens):
        found += [t for t, _ in reader.phrase_tokens(s, _phrases(cues["context_phrases"]))]
    for t in found:
        if s.in_dialogue(t) or reader.negated(t) or reader.hypothetical(t, s):
            continue
        if reader.background(s, t):
            hits.add("rape_mentioned", s, 0.5)
        else:
            hits.add(RAPE, s, 0.75)


def detect_underage(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """Only with a sexual act and a stated age under 18 in the same narration sentence."""
    cues = _warning_cues()["underage"]
    ages = "|".join(cues["minor_ages"])
    age_re = _phrases(
        [p.replace("(?:AGE)", f"(?:{ages})").replace("\\b", "") for p in cues["age_patterns"]]
        + [re.escape(w) for w in cues["minor_words"]]
    )
    sexual = reader.phrase_tokens(s, _phrases(cues["sexual_phrases"]))
    if not sexual or not age_re.search(reader.lower(s)):
        return
    if all(s.in_dialogue(t) or reader.negated(t) or reader.hypothetical(t, s) for t, _ in sexual):
        return
    hits.add(UNDERAGE, s, 0.7)


# -- additional tags with an act: suicide, self-harm, substances, abuse ----------------------------------


def _attempted(token) -> bool:
    heads = set(_tag_cues()["suicide"]["attempt_heads"])
    node = token
    for _ in range(3):
        if node.dep_ in ("xcomp", "ccomp") and _lemma(node.head) in heads:
            return True
        node = node.head
    return False


def _act(reader: CueReader, s: Sentence, token, tag: str, thoughts_tag: str | None, hits: Hits) -> None:
    """File an act (suicide, self-harm) as depicted, mentioned, or (wanted, averted) as thoughts."""
    if reader.negated(token) or reader.in_idiom(s, token):
        return
    if reader.unreal_for(s, token):
        return
    if not _attempted(token) and reader.hypothetical(token, s):
        if thoughts_tag and not s.in_dialogue(token):
            hits.add(thoughts_tag, s, 0.6)
        return
    if reader.averted(s, token):
        if thoughts_tag:
            hits.add(thoughts_tag, s, 0.5)
        return
    subject = reader.subject(token) if token.pos_ in ("VERB", "AUX") else None
    if s.in_dialogue(token) or reader.background(s, token):
        hits.add(tag, s, 0.6, MENTIONED)
        if tag == SUICIDE:
            hits.add(GRIEF, s, 0.3, MENTIONED)
            if not s.in_dialogue(token) and not reader.remote_past_phrase(s):
                # told in narration as the story's recent past ("He took his own life on a Tuesday in March"),
                # not "when she was six": a main character's death, in full only beside mourning
                _suicide_death(reader, s, token, subject, hits, 0.6)
    else:
        hits.add(tag, s, 0.8, DEPICTED)
        if tag == SUICIDE:
            _suicide_death(reader, s, token, subject, hits, 0.85)


def _suicide_death(reader: CueReader, s: Sentence, token, subject, hits: Hits, central_strength: float) -> None:
    """The death a suicide is: a main character's (named, or a pronoun the characters stage left unresolved, as
    for a death in detect_death)."""
    if subject is None or _attempted(token):
        return
    if reader.named_central(s, subject)[0]:
        hits.add(GRIEF, s, 0.3, MENTIONED)
        hits.add(MAJOR_CHARACTER_DEATH, s, central_strength)  # a main character takes their own life
    elif subject.lower_ in ("he", "she", "they") and reader.character_of(s, subject) is None:
        hits.add(MAJOR_CHARACTER_DEATH, s, 0.55)


def _self_throws(reader: CueReader, s: Sentence, cues: dict):
    """Verbs of a person throwing themselves to their death: "cast himself upon the sword", "threw herself off
    the bridge", "flung himself under the train" (not "threw himself into his work", "onto the bed" nor "in
    front of the cart")."""
    targets = {prep: set(words) for preps, words in cues["self_throw_targets"].items() for prep in preps.split()}
    # "upon it": the weapon named in this sentence or the one before it
    nearby = [s] + ([reader.sentences[s.index - 1]] if s.index > 0 else [])
    weapon_named = any(n.with_lemma(cues["self_throw_weapons"]) for n in nearby)
    for verb in s.with_lemma(cues["self_throw_verbs"]):
        if verb.pos_ != "VERB":
            continue
        if not any(c.dep_ == "dobj" and reader.is_reflexive(c) for c in verb.children):
            continue
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in targets):
            goals = {g.lemma_.lower() for g in prep.subtree if g.dep_ == "pobj"} & targets[prep.lower_]
            if goals - {"it"} or (goals and weapon_named):
                yield verb
                break


def _self_weapon(reader: CueReader, s: Sentence, cues: dict):
    """Verbs of a person setting a weapon to their own throat, head or heart: "laid it against her own throat",
    "put the gun to his head" (not "held the knife to her throat", someone else's; not a hand to his chest)."""
    weapons = set(cues["self_weapon_nouns"])
    nearby = [s] + ([reader.sentences[s.index - 1]] if s.index > 0 else [])
    named = any(n.with_lemma(weapons) for n in nearby)
    for verb in s.with_lemma(cues["self_weapon_verbs"]):
        if verb.pos_ != "VERB":
            continue
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        armed = any(o.lemma_.lower() in weapons for o in objects) or (named and any(o.lower_ == "it" for o in objects))
        if not armed:
            continue
        part = _own_body_part(reader, s, verb, set(cues["self_weapon_body"]))
        against = ("to", "against", "into", "at", "under", "across", "on")
        if part is not None and part.dep_ == "pobj" and part.head.lower_ in against:
            yield verb


_FORMS_OF = {
    "he": {"he", "him", "his", "himself"},
    "she": {"she", "her", "hers", "herself"},
    "they": {"they", "them", "their", "themselves", "themself"},
    "i": {"i", "me", "my", "myself"},
}


def _suicide_by_own_hand(hits: Hits) -> None:
    """A weapon set to one's own throat and, within a few sentences of the scene, the death: a suicide shown."""
    window = _tag_cues()["suicide"]["self_weapon_window"]
    deaths = hits.of("death") + hits.of("death_sign") + hits.of(MAJOR_CHARACTER_DEATH)
    for h in hits.of("suicide_weapon"):
        # the death is told of the same person: "she" and "her", or the same name
        same = _FORMS_OF.get(h.detail, {h.detail})
        after = [
            d for d in deaths
            if d.sentence.scene == h.sentence.scene and 0 <= d.sentence.index - h.sentence.index <= window
            and any(t.lower_ in same for t in d.sentence.tokens)
        ]
        if after:
            hits.add(SUICIDE, h.sentence, 0.5, DEPICTED)
            hits.add(SUICIDE, after[0].sentence, 0.5, DEPICTED)


def _as_prescribed(reader: CueReader, s: Sentence, text: str) -> bool:
    """Pills in a sentence that tells a regimen ("a handful of pills every morning with his porridge, two for his
    heart"): medication taken as prescribed, no sign of abuse or of an overdose."""
    if not re.search(r"pill|tablet|capsule", text) or "popp" in text:
        return False
    return bool(_phrases(_tag_cues()["drugs"]["regimen_phrases"]).search(reader.lower(s)))


def detect_suicide(reader: CueReader, s: Sentence, hits: Hits) -> None:
    cues = _tag_cues()["suicide"]
    for t in s.tokens:
        lemma = _lemma(t)
        if t.pos_ == "VERB" and lemma in cues["reflexive_verbs"]:
            if any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children):
                continue  # "you were shot yourself": an emphatic reflexive on a passive
            if any(c.dep_ == "dobj" and reader.is_reflexive(c) for c in t.children):
                _act(reader, s, t, SUICIDE, SUICIDAL_THOUGHTS, hits)
        elif lemma in cues["nouns"]:
            if _lemma(t.head) in ("commit", "attempt") or t.head.dep_ == "ROOT" and t.dep_ in ("dobj", "nsubj"):
                _act(reader, s, t.head if t.head.pos_ == "VERB" else t, SUICIDE, SUICIDAL_THOUGHTS, hits)
            elif _lemma(t.head) in cues["speculation_heads"] or (
                t.head.dep_ == "prep" and _lemma(t.head.head) in cues["speculation_heads"]
            ):
                continue  # "the possibility of suicide", "a theory of suicide": not said to have happened
            elif not (reader.negated(t) or reader.in_idiom(s, t) or reader.hypothetical(t, s)):
                hits.add(SUICIDE, s, 0.6, MENTIONED)
    for token, _ in reader.phrase_tokens(s, _phrases(cues["phrases"])):
        _act(reader, s, token, SUICIDE, SUICIDAL_THOUGHTS, hits)
    for verb in _self_throws(reader, s, cues):
        _act(reader, s, verb, SUICIDE, SUICIDAL_THOUGHTS, hits)
    for verb in _self_weapon(reader, s, cues):
        if not (reader.negated(verb) or reader.hypothetical(verb, s) or reader.unreal(s) or s.in_dialogue(verb)):
            # a suicide only beside this person's death (_suicide_by_own_hand); the detail says who
            hits.add("suicide_weapon", s, 0.3, reader.subject(verb).lower_)
    serious = {t.i for t, _ in reader.phrase_tokens(s, _phrases(cues["serious_thought_phrases"]))}
    found = reader.phrase_tokens(s, _phrases(cues["thought_phrases"]))
    found += reader.phrase_tokens(s, _phrases(cues["serious_thought_phrases"]))
    for token, text in found:
        intrinsic_negation = "n't" in text or " not " in f" {text} " or "never" in text
        if (not intrinsic_negation and reader.negated(token)) or reader.in_idiom(s, token):
            continue
        offset = reader.lower(s).find(text)
        if any(a <= offset + len(text) and offset <= b for a, b in reader.idiom_spans(s)):
            continue
        # Said aloud, "I want to die" is often a figure of speech; "it'd be easier if I didn't wake up" is not.
        in_dialogue = 0.5 if token.i in serious else 0.35
        hits.add(SUICIDAL_THOUGHTS, s, in_dialogue if s.in_dialogue(token) else 0.6)
    for token, text in reader.phrase_tokens(s, _phrases(cues["weak_thought_phrases"])):
        if (_says_negation(text) or not reader.negated(token)) and not reader.in_idiom(s, token):
            hits.add(SUICIDAL_THOUGHTS, s, 0.2 if s.in_dialogue(token) else 0.3)
    for token, text in reader.phrase_tokens(s, _phrases(cues["note_phrases"])):
        # The signs that a death was chosen: a note, an emptied pill bottle, belongings given away.  Read
        # against the rest of the story in _suicide_by_signs.
        if _as_prescribed(reader, s, text):
            continue
        if not (reader.hypothetical(token, s) or reader.unreal(s)):
            hits.add("suicide_sign", s, 0.35, MENTIONED if s.in_dialogue(token) or reader.background(s, token) else DEPICTED)


def _medication_named(reader: CueReader, s: Sentence, back: int) -> bool:
    meds = set(_tag_cues()["suicide"]["medication_nouns"])
    earlier = reader.sentences[max(0, s.index - back) : s.index + 1]
    return any(t.lemma_.lower() in meds or t.lower_ in meds for n in earlier for t in n.tokens)


def _is_medication(token, meds: set[str]) -> bool:
    return token.lemma_.lower() in meds or token.lower_ in meds


def detect_overdose(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """Pills swallowed in a quantity (a handful, all of them, the whole bottle, a few at a time till none are left),
    pills saved up, and the treatment of an overdose (a stomach pumped).  An overdose is read as a suicide attempt
    only beside another sign of one, in _suicide_by_overdose: alone it may be an accident or a habit."""
    cues = _tag_cues()["suicide"]
    meds = set(cues["medication_nouns"])
    quantity = set(cues["overdose_quantity"])
    for verb in s.tokens:
        if verb.pos_ != "VERB":
            continue
        lemma = _lemma(verb)
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if lemma in cues["hoard_verbs"] and objects:
            # "saved some of each", "I'd been saving them for weeks: her sleeping tablets"
            named = any(_is_medication(t, meds) for o in objects for t in o.subtree) or (
                any(o.lower_ in cues["overdose_pronouns"] + ["some", "one", "each"] for o in objects)
                and any(_is_medication(t, meds) for t in s.tokens)
            )
            if named and not (reader.negated(verb) or reader.hypothetical(verb, s) or reader.unreal(s)):
                hits.add("suicide_sign", s, 0.35, MENTIONED if s.in_dialogue(verb) else DEPICTED)
            continue
        if lemma not in cues["overdose_verbs"] or not objects:
            continue
        obj = objects[0]
        obj_words = {t.lower_ for t in obj.subtree} | {t.lemma_.lower() for t in obj.subtree}
        named = any(_is_medication(t, meds) for t in obj.subtree)
        if not named and obj.lower_ in cues["overdose_pronouns"]:
            named = _medication_named(reader, s, 20)  # "swallowed them": the tablets told of before
        if not named:
            continue
        verb_words = {t.lower_ for t in verb.subtree}
        every_day = {"every", "each"} & verb_words and verb_words & {"morning", "night", "day", "evening"}
        if verb_words & set(cues["overdose_routine"]) or every_day:
            continue  # "a handful of pills every morning with breakfast": a regimen
        many = bool(obj_words & quantity) or obj.lemma_.lower() in quantity
        # one after another: "a handful at a time", "a few at a time", "until they were gone"
        several = {"few", "handful", "two", "three", "several", "couple"}
        many = many or ("at" in verb_words and "time" in verb_words and bool(verb_words & several))
        many = many or bool(verb_words & set(cues["overdose_manner"]))  # "in handfuls", "by the fistful"
        many = many or ("until" in verb_words and bool(verb_words & set(cues["overdose_until"])))
        following = reader.sentences[s.index + 1] if s.index + 1 < len(reader.sentences) else None
        if not many and following is not None and following.paragraph == s.paragraph:
            many = any(t.lower_ in cues["overdose_next_quantity"] for t in following.tokens)  # "There were a great many."
        if not many:
            continue
        if reader.negated(verb) or reader.hypothetical(verb, s) or reader.unreal(s) or reader.averted(s, verb):
            continue
        detail = MENTIONED if s.in_dialogue(verb) or reader.background(s, verb) else DEPICTED
        hits.add("overdose", s, 0.5, detail)
    for token, _ in reader.phrase_tokens(s, _phrases(cues["overdose_treatment_phrases"])):
        if not (reader.negated(token) or reader.hypothetical(token, s)):
            hits.add("overdose_treated", s, 0.3)
    if any(t.lower_ in cues["overdose_accident"] for t in s.tokens):
        hits.add("overdose_accident", s, 0.0)


def _suicide_by_overdose(hits: Hits) -> None:
    """Pills taken in a quantity, beside a sign that it was meant (suicidal thoughts in the story, pills saved up, a
    note) or the emergency that follows one (a stomach pumped), with no accident told within a few sentences: a
    suicide attempt."""
    accidents = [h.sentence.index for h in hits.of("overdose_accident")]
    thoughts = hits.confidence(SUICIDAL_THOUGHTS) >= EMIT_AT - 0.1
    for h in hits.of("overdose"):
        at = h.sentence.index
        if any(abs(a - at) <= 4 for a in accidents):
            continue
        near = [
            g for g in hits.of("suicide_sign") + hits.of("overdose_treated")
            if abs(g.sentence.index - at) <= SIGN_WINDOW and g.sentence.index != at
        ]
        if not (near or thoughts):
            continue
        hits.add(SUICIDE, h.sentence, 0.5, h.detail)
        for g in near[:2]:
            hits.add(SUICIDE, g.sentence, 0.3, h.detail)
        if thoughts and not near:
            hits.add(SUICIDE, hits.of(SUICIDAL_THOUGHTS)[0].sentence, 0.3, h.detail)


def detect_self_harm(reader: CueReader, s: Sentence, hits: Hits) -> None:
    cues = _tag_cues()["self_harm"]
    for t in s.tokens:
        if t.pos_ == "VERB" and _lemma(t) in cues["reflexive_verbs"]:
            if not any(c.dep_ == "dobj" and reader.is_reflexive(c) for c in t.children):
                continue
            accident = any(c.dep_ == "prep" and c.lower_ in ("on", "while") for c in t.children)
            if accident or any(w in reader.lower(s) for w in ("accident", "shaving", "by mistake")):
                continue
            _act(reader, s, t, SELF_HARM, None, hits)
    text = reader.lower(s)
    for noun in cues["nouns"]:
        if noun in text:
            token = reader.token_at(s, text.index(noun))
            if not reader.negated(token):
                hits.add(
                    SELF_HARM, s, 0.6, MENTIONED if s.in_dialogue(token) or reader.background(s, token) else DEPICTED
                )
    razors = [  # not the "shoulder blade"
        t for t in s.tokens if t.lower_ in cues["razor_words"] and not (t.i > 0 and t.nbor(-1).lower_ in cues["razor_not_after"])
    ]
    bodies = [t for t in s.tokens if t.lower_ in cues["body_words"]]
    if any(abs(r.i - b.i) <= 6 for r in razors for b in bodies):
        razor = razors[0]
        if not (s.in_dialogue(razor) or reader.negated(razor) or reader.hypothetical(razor, s)):
            hits.add(SELF_HARM, s, 0.45, DEPICTED)
    for token, _ in reader.phrase_tokens(s, _phrases(cues["phrases"])):
        if not reader.negated(token):
            hits.add(SELF_HARM, s, 0.6, MENTIONED if reader.background(s, token) else DEPICTED)
    if reader.phrase_tokens(s, _words(cues["deliberate_markers"])):
        # "'You're hurting yourself,' he said quietly, 'on purpose.'": said plainly, not asked nor denied.
        for verb in s.with_lemma(cues["deliberate_verbs"]):
            if verb.pos_ != "VERB":
                continue
            if not any(c.dep_ == "dobj" and reader.is_reflexive(c) for c in verb.children):
                continue
            unsaid = reader.negated(verb) or reader.hypothetical(verb, s) or reader.in_idiom(s, verb)
            if not (unsaid or _asked(s, verb)):
                told = MENTIONED if s.in_dialogue(verb) or reader.background(s, verb) else DEPICTED
                hits.add(SELF_HARM, s, 0.6, told)
    # Self-harm told by its marks, its tools and its hiding, read together in _self_harm_by_signs.
    for key, strength in (("mark_phrases", 0.35), ("tool_phrases", 0.5), ("hide_phrases", 0.2)):
        for token, _ in reader.phrase_tokens(s, _phrases(cues[key])):
            if reader.hypothetical(token, s) or reader.unreal(s):
                continue
            detail = MENTIONED if reader.background(s, token) else DEPICTED
            hits.add("self_harm_" + key.split("_")[0], s, strength, detail)


def _asked(s: Sentence, token) -> bool:
    """The words from ``token`` to the end of its quotation (or of the narration it stands in) end in a question
    mark: '"Did you hurt yourself on purpose?" his mate asked'."""
    inside = s.in_dialogue(token)
    for t in s.tokens[token.i - s.span.start :]:
        if s.in_dialogue(t) != inside:
            return False
        if t.text == "?":
            return True
    return False


_CONTAINERS = ("bottle", "empties", "cans")


def _pill_bottles(reader: CueReader, s: Sentence, text: str) -> bool:
    """A cue that is only a container ("the empty bottles") where medication, not drink, is what the sentences
    before speak of: pill bottles."""
    if not any(c in text for c in _CONTAINERS):
        return False
    drinks = (set(_tag_cues()["alcohol"]["weak_words"]) - {"bottle", "cans", "shots"}) | {"drink", "drank", "drinking"}
    earlier = reader.sentences[max(0, s.index - 20) : s.index + 1]
    if any(t.lower_ in drinks or t.lemma_.lower() in drinks for n in earlier for t in n.tokens):
        return False
    return _medication_named(reader, s, 20) or any(t.lower_ == "taken" for t in s.tokens)


def detect_substances(reader: CueReader, s: Sentence, hits: Hits) -> None:
    tags = _tag_cues()
    for tag, key in ((ALCOHOL, "alcohol"), (DRUGS, "drugs")):
        cues = tags[key]
        strong = [
            t
            for t in s.tokens
            if t.lower_ in cues["strong_words"] and not (t.i > 0 and t.nbor(-1).lower_ in ("non", "-", "non-"))
        ]  # "non-alcoholic" is the opposite
        strong_found = [(t, "") for t in strong] + reader.phrase_tokens(s, _phrases(cues["strong_phrases"]))
        for t, text in strong_found:
            if (not _says_negation(text) and reader.negated(t)) or reader.hypothetical(t, s) or reader.in_idiom(s, t):
                continue
            if tag == ALCOHOL and _pill_bottles(reader, s, text):
                continue
            if tag == DRUGS and _as_prescribed(reader, s, text):
                continue
            # said aloud it may be talk ("you're drunk again"), unless the drinker says it of themselves ("I
            # haven't gone a single day without a drink")
            verb = t.head if t.dep_ in ("aux", "auxpass", "neg") or t.pos_ not in ("VERB", "AUX") else t
            own_word = reader.subject(verb) is not None and reader.subject(verb).lower_ in ("i", "we")
            hits.add(tag, s, 0.6 if not s.in_dialogue(t) or own_word else 0.45)
        for t, text in reader.phrase_tokens(s, _phrases(cues.get("medium_phrases", ()))):
            # The habits of it (another pull from the bottle, a row of empties): only several together count.
            if s.in_dialogue(t) or (not _says_negation(text) and reader.negated(t)) or reader.hypothetical(t, s):
                continue
            hits.add(tag + " habit", s, 0.3)
        for t in s.tokens:
            if t.lower_ in cues.get("weak_words", ()) and not s.in_dialogue(t):
                if not (reader.negated(t) or reader.hypothetical(t, s) or reader.in_idiom(s, t)):
                    hits.add(tag, s, 0.12)


def detect_abuse(reader: CueReader, s: Sentence, hits: Hits) -> None:
    cues = _tag_cues()["abuse"]
    text = reader.lower(s)
    child = _any_word(cues["child_words"]).search(text) is not None
    domestic = _any_word(cues["domestic_words"]).search(text) is not None
    kind = "child" if child and not domestic else "domestic" if domestic and not child else None
    for key in ("signs", "excuse_signs"):
        for token, text in reader.phrase_tokens(s, _phrases(cues[key])):
            # A sign may be asked ("Did he do that?") or hold its own negation ("He's not always like this").
            if _says_negation(text) or not reader.negated(token):
                hits.add("abuse_sign" if key == "signs" else "abuse_excuse", s, cues["sign_strength"], kind)
    for t in s.tokens:
        if t.lower_ in cues["words"]:
            before = t.nbor(-1).lower_ if t.i > t.sent.start else ""
            # A noun keeps its meaning under a modal ("the abuse would stop"): only negation cancels it.
            if before in cues["not_after"] or reader.negated(t) or (t.pos_ != "NOUN" and reader.hypothetical(t, s)):
                continue
            if not _abuse_of_a_person(reader, s, t, kind):
                continue  # "abused her stupidity", "his abuse of the house": insult, misuse
            hits.add(ABUSE, s, 0.45 if s.in_dialogue(t) else 0.6, kind)
        elif t.pos_ == "VERB" and _lemma(t) in cues["hit_verbs"] and not s.in_dialogue(t):
            agent = reader.subject(t)
            patient = next((c for c in t.children if c.dep_ == "dobj"), None)
            if agent is None or patient is None or not reader.is_person(s, patient):
                continue
            agent_words = {agent.lemma_.lower()} | {c.lemma_.lower() for c in agent.children}
            who = (
                "child"
                if agent_words & set(cues["child_words"])
                else "domestic"
                if agent_words & set(cues["domestic_words"])
                else None
            )
            habitual = _any_word(cues["habit_phrases"]).search(text) is not None
            if reader.negated(t) or reader.hypothetical(t, s):
                continue
            if who and habitual:
                hits.add(ABUSE, s, 0.5, who)
            elif reader.is_person(s, agent) and not reader.is_reflexive(patient):
                hits.add("abuse_blow", s, 0.3, who or kind)  # counts only beside the signs of abuse


def _abuse_of_a_person(reader: CueReader, s: Sentence, token, kind: str | None) -> bool:
    """The verb abuses a person; the noun or adjective belongs to a person or the sentence says who."""
    if token.pos_ == "VERB":
        return any(c.dep_ in ("dobj", "nsubjpass") and reader.is_person(s, c) for c in token.children)
    if token.dep_ == "amod":
        return reader.is_person(s, token.head)  # "her abusive husband"
    of = [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ in ("of", "from")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if of:
        return all(reader.is_person(s, g) for g in of)
    return kind is not None or token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")


# -- setting and feeling -----------------------------------------------------------------------------


def detect_sentence_cues(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """War, grief, guilt, romance and friendship: cue words and phrases that are not negated or hypothetical."""
    tags = _tag_cues()

    def clean(token, allow_dialogue=True):
        if not allow_dialogue and s.in_dialogue(token):
            return False
        return not (reader.negated(token) or reader.hypothetical(token, s) or reader.in_idiom(s, token))

    war = tags["war"]
    war_words = {
        text
        for t, text in reader.phrase_tokens(s, _words(war["nouns"]))
        if (t.pos_ in ("NOUN", "PROPN", "ADJ") or " " in text) and clean(t)
    }
    if war_words:
        hits.add(WAR, s, 0.25, "|".join(sorted(war_words)))
    grief = tags["grief"]
    for t, _ in reader.phrase_tokens(s, _words(grief["words"])) + reader.phrase_tokens(
        s, _phrases(grief["grave_phrases"])
    ):
        grave = next((g for g in t.doc[t.i : t.i + 3] if g.lower_ in ("grave", "graves")), None)
        if grave is not None and grave.pos_ != "NOUN":
            continue  # "his grave face": the adjective
        if clean(t):
            hits.add(GRIEF, s, 0.45, DEPICTED)
    for t, _ in reader.phrase_tokens(s, _phrases(grief["weak_phrases"])):
        if not s.in_dialogue(t) and not reader.hypothetical(t, s):
            hits.add(GRIEF, s, 0.3, DEPICTED)  # an empty chair: mourning only beside other signs of it
    guilt = tags["guilt"]
    for t, text in reader.phrase_tokens(s, _words(guilt["words"])) + reader.phrase_tokens(
        s, _phrases(guilt["phrases"])
    ):
        if clean(t):
            weak = text in guilt["weak"]
            hits.add(GUILT, s, 0.2 if weak else 0.4)
    romance = tags["romance"]
    text = reader.lower(s)
    refused = _phrases(romance["kiss_refusal_phrases"])
    family = _phrases(romance["kiss_family_phrases"])
    following = reader.next_in_paragraph(s)
    for t in s.tokens:
        if _lemma(t) not in romance["kiss_lemmas"] and not t.lower_.startswith("kiss"):
            continue
        if refused.search(text) or (following and refused.search(reader.lower(following))) or family.search(text):
            continue
        if not clean(t):
            continue
        after = {x.lower_ for x in t.doc[t.i + 1 : t.i + 5]}
        kin = {x.lower_ for x in s.tokens} & set(romance["kin_words"])
        if after & set(romance["tender_kiss_places"]) and kin:
            hits.add(ROMANCE, s, 0.25, "kiss")  # a grandmother's kiss on the forehead
            continue
        hits.add(ROMANCE, s, romance["kiss_strength"] if not s.in_dialogue(t) else 0.2, "kiss")
    for t, _ in reader.phrase_tokens(s, _phrases(romance["phrases"])):
        if clean(t):
            hits.add(ROMANCE, s, romance["phrase_strength"])
    friendship = tags["friendship"]
    for t, _ in reader.phrase_tokens(s, _words(friendship["words"])) + reader.phrase_tokens(
        s, _phrases(friendship["phrases"])
    ):
        if clean(t):
            hits.add(FRIENDSHIP, s, friendship["strength"])
    for t in s.tokens:
        # "Bro, I think I inhaled some": friends calling each other so, in dialogue.
        if t.lower_ in friendship["vocatives"] and s.in_dialogue(t) and t.dep_ in ("npadvmod", "ROOT", "intj", "appos", "dep"):
            hits.add(FRIENDSHIP, s, friendship["vocative_strength"])
    for t, _ in reader.phrase_tokens(s, _phrases(friendship["strong_phrases"])):
        if clean(t):
            hits.add(FRIENDSHIP, s, 0.6)  # "they had been friends since they were six"


def _cue_words(s: Sentence, pattern, lemmas, reader: CueReader) -> list[str]:
    """The cue words and phrases a sentence holds (lemmas and matched text)."""
    found = [lemma for lemma in s.lemmas if lemma in lemmas]
    return found + [text for _, text in reader.phrase_tokens(s, pattern)]


def _says_negation(text: str) -> bool:
    """A cue phrase that holds its own negation ("could not breathe", "didn't let go")."""
    return bool(re.search(r"n't\b|\bnot\b|\bnever\b|\bno\b", text))


def _mood(sentences: list[Sentence], story: Story, hits: Hits, reader: CueReader, warnings: set[str]) -> None:
    """Angst, Fluff, Humor, Hurt/Comfort: cue density combined with sentiment, still citing sentences."""
    tags = _tag_cues()
    n = len(sentences) or 1
    angst_re, fluff_re = _words(tags["angst"]["words"]), _words(tags["fluff"]["words"])
    humor_re = compile_phrases(tuple([re.escape(w) for w in tags["humor"]["words"]] + tags["humor"]["phrases"]))
    hurt_re = _words(tags["hurt_comfort"]["hurt_words"])
    comfort_re = compile_phrases(
        tuple([re.escape(w) for w in tags["hurt_comfort"]["comfort_words"]] + tags["hurt_comfort"]["comfort_phrases"])
    )
    angst_strong_re = _phrases(tags["angst"]["strong_phrases"])  # distress told plainly ("her face was wet")
    angst, fluff, humor, hurt, comfort = [], [], [], [], []
    negative = 0  # sentences VADER finds clearly negative, for the story's overall mood

    def present(s, pattern, words=frozenset()) -> bool:
        """A cue (a word in any inflection, or a phrase) that is neither negated nor hypothetical."""
        found = [(t, "") for t in s.with_lemma(words)]
        found += reader.phrase_tokens(s, pattern)
        return any(
            _says_negation(text) or not (reader.negated(t) or reader.hypothetical(t, s)) for t, text in found
        )

    lemmas = {name: frozenset(w for w in tags[name]["words"] if " " not in w) for name in ("angst", "fluff", "humor")}

    for s in sentences:
        is_angst, is_fluff = present(s, angst_re, lemmas["angst"]), present(s, fluff_re, lemmas["fluff"])
        compound = s.valence
        negative += compound <= -0.3
        if is_angst and compound <= tags["angst"]["max_compound"] or present(s, angst_strong_re):
            angst.append((compound, s))
        if is_fluff and compound >= tags["fluff"]["min_compound"]:
            fluff.append((-compound, s))
        if present(s, humor_re, lemmas["humor"]):
            humor.append((0, s))
        if present(s, hurt_re):
            hurt.append(s)
        if present(s, comfort_re) and hurt and 0 <= s.index - hurt[-1].index <= COMFORT_WINDOW:
            comfort.append(s)  # comfort that answers a hurt told in this sentence or a few before

    heavy = bool(warnings & {MAJOR_CHARACTER_DEATH, GRAPHIC_VIOLENCE, RAPE}) or any(
        hits.confidence(t) >= EMIT_AT for t in (SUICIDE, GRIEF, SELF_HARM, TORTURE, ABUSE)
    )
    # A story about a sorrow (thoughts of dying, self-harm, grief, abuse, addiction, guilt) needs fewer
    # sentences of distress to be angst than one that is only sad in places.
    sorrowful = hits.confidence(SUICIDAL_THOUGHTS) >= EMIT_AT - 0.1 or any(
        hits.confidence(t) >= EMIT_AT for t in (SUICIDE, SELF_HARM, GRIEF, ABUSE, ALCOHOL, DRUGS, GUILT)
    )
    a = tags["angst"]
    density = len(angst) / n
    if sorrowful and len(angst) >= a["sorrow_min_sentences"] and density >= a["min_density"] / a["sorrow_density_divisor"]:
        density = max(density, a["min_density"])
    if len(angst) >= a["min_sentences"] and (
        density >= a["min_density"] or (heavy and density >= a["min_density"] / 2)
    ) or sorrowful and len(angst) >= a["sorrow_min_sentences"] and density >= a["min_density"]:
        for compound, s in sorted(angst, key=lambda x: x[0])[:MAX_EVIDENCE]:
            hits.add(ANGST, s, min(0.95, 0.5 + density * 2))
    h = tags["humor"]
    density = len(humor) / n
    # Banter: comic narration ("said mildly", "for reasons no one could establish") in a story that talks,
    # beyond laughter alone, which fluff and romance have too.
    laughs = set(h["laugh_words"])
    comic = [s for _, s in humor if any(w not in laughs for w in _cue_words(s, humor_re, lemmas["humor"], reader))]
    talk = sum(1 for s in sentences if any(s.dialogue)) / n
    banter = (
        not heavy
        and len(humor) >= h["banter_min_sentences"]
        and len(comic) >= h["banter_min_comic"]
        and talk >= h["banter_min_dialogue_share"]
    )
    if len(humor) >= h["min_sentences"] and density >= h["min_density"] or banter:
        for _, s in humor[:MAX_EVIDENCE]:
            hits.add(HUMOR, s, min(0.9, 0.4 + max(density, h["min_density"])))
    f = tags["fluff"]
    density = len(fluff) / n
    calm = negative / n <= f["max_negative_share"]
    light = hits.confidence(ROMANCE) >= EMIT_AT  # a happy love story is fluff with fewer soft words
    if not heavy and calm and not hits.of(ANGST) and (
        len(fluff) >= f["min_sentences"] and density >= f["min_density"]
        or light and len(fluff) >= f["with_romance_min_sentences"]
    ):
        for _, s in sorted(fluff, key=lambda x: x[0])[:MAX_EVIDENCE]:
            hits.add(FLUFF, s, min(0.95, 0.45 + max(density, f["min_density"])))
    for name, found in (("angst", [x for _, x in angst]), ("fluff", [x for _, x in fluff]), ("humor", [x for _, x in humor]), ("hurt", hurt), ("comfort", comfort)):
        for x in found:
            hits.add("mood_" + name, x, 0.0)  # kept for inspection, never emitted
    hc = tags["hurt_comfort"]
    scale = max(1, math.ceil(n / SENTENCES_PER_THEME_HIT))
    # Two comforting sentences after a hurt, or one after a hurt told over two sentences.
    enough_comfort = len(comfort) >= hc["min_comfort"] * scale or (len(hurt) >= 2 * scale and len(comfort) >= scale)
    # Care that ends in the death of the one cared for is not hurt/comfort: the story's last word is the death.
    deaths = [h.sentence.index for h in hits.of(MAJOR_CHARACTER_DEATH)] if MAJOR_CHARACTER_DEATH in warnings else []
    ends_in_death = bool(deaths and comfort) and max(deaths) >= max(c.index for c in comfort) - 2
    if len(hurt) >= hc["min_hurt"] and enough_comfort and not ends_in_death:
        confidence = min(0.9, 0.45 + 0.05 * (len(hurt) + len(comfort)))
        for s in list({x.index: x for x in hurt[:2] + comfort[:3]}.values()):
            hits.add(HURT_COMFORT, s, confidence)


# -- assembling ------------------------------------------------------------------------------------------


def _evidence(story: Story, hit_list: list[Hit]) -> list[Evidence]:
    strongest: dict[int, Hit] = {}
    for h in hit_list:
        if h.sentence.index not in strongest or h.strength > strongest[h.sentence.index].strength:
            strongest[h.sentence.index] = h
    best = sorted(strongest.values(), key=lambda h: (-h.strength, h.sentence.start))[:MAX_EVIDENCE]
    return [
        Evidence(h.sentence.start, h.sentence.end, story.text[h.sentence.start : h.sentence.end])
        for h in sorted(best, key=lambda h: h.sentence.start)
    ]


def _finding(
    story: Story, tag: str, hit_list: list[Hit], confidence: float | None = None, detail: str | None = None
) -> TagFinding:
    if confidence is None:
        strongest: dict[int, float] = {}
        for h in hit_list:
            strongest[h.sentence.index] = max(h.strength, strongest.get(h.sentence.index, 0.0))
        confidence = combined(strongest.values())
    return TagFinding(tag=tag, confidence=round(confidence, 3), evidence=_evidence(story, hit_list), detail=detail)


def _warnings(story: Story, hits: Hits) -> list[TagFinding]:
    found = []
    # Graphic: violence and its blood or gore told together, in one scene and a few sentences apart.
    # A wound (a stabbing, a bone broken) counts as gore for the warning, not for the Blood and Gore tag.
    violence, gore = hits.of("violence"), hits.of("gore") + hits.of("wound")
    scene_hits = []
    for v in violence:
        near = [
            g
            for g in gore
            if g.sentence.scene == v.sentence.scene and abs(g.sentence.index - v.sentence.index) <= GRAPHIC_WINDOW
        ]
        if near:
            scene_hits.append(v)
            scene_hits.extend(near)
    # Torture told with its injuries: the blows of an interrogation and their blood in one scene.
    torture = [h for h in hits.of(TORTURE) if h.detail == DEPICTED]
    tortured = False
    if hits.confidence(TORTURE) >= EMIT_AT:
        for scene in {h.sentence.scene for h in torture}:
            blood = [h for h in gore if h.sentence.scene == scene]
            blows = [h for h in violence if h.sentence.scene == scene]
            if blood and blows and len({h.sentence.index for h in blood + blows}) >= 2:
                scene_hits.extend(blows + blood)
                tortured = True
    # Or a fight told blow by blow: two or more blows in one scene, with blood or a death in that scene.
    for scene in {h.sentence.scene for h in violence}:
        blows = [h for h in violence if h.sentence.scene == scene]
        after = [h for h in gore + hits.of("death") if h.sentence.scene == scene]
        if len({h.sentence.index for h in blows}) >= 2 and after:
            if len({h.sentence.index for h in blows + after}) >= 3:
                scene_hits.extend(blows + after)
    # A bloody nose after a sparring match is not graphic: the blood must be more than a trickle somewhere in
    # the scenes cited (a pool, a wound opened, bone), or a death be among them.
    cited_scenes = {h.sentence.scene for h in scene_hits}
    severe = [
        h for h in gore + hits.of("death") if h.sentence.scene in cited_scenes and (h.strength >= 0.45 or h in hits.of("death"))
    ]
    heavy_blood = [h for h in gore if h.sentence.scene in cited_scenes and h.strength >= 0.4]
    graphic = tortured or bool(severe) or len({h.sentence.index for h in heavy_blood}) >= 2
    if (
        graphic
        and len({h.sentence.index for h in scene_hits}) >= 2
        and len({h.sentence.index for h in scene_hits if h in violence}) >= 1
    ):
        found.append(_finding(story, GRAPHIC_VIOLENCE, scene_hits))
    death = hits.of(MAJOR_CHARACTER_DEATH)
    mourning = [h for h in hits.of(GRIEF) if h.detail == DEPICTED]
    if death and mourning and 0.5 <= hits.confidence(MAJOR_CHARACTER_DEATH) < 0.8:
        # A main character's death told in passing ("had been killed") and then mourned: a funeral, a grave.
        # Kept apart from a death hit in the same sentence ("We buried her"), so that the two add up.
        hits.by_tag[MAJOR_CHARACTER_DEATH][("mourned", mourning[0].sentence.index)] = Hit(mourning[0].sentence, 0.6)
    for tag, threshold in ((MAJOR_CHARACTER_DEATH, 0.8), (RAPE, 0.7), (UNDERAGE, 0.65)):
        if hits.confidence(tag) >= threshold:
            found.append(_finding(story, tag, hits.of(tag), confidence=hits.confidence(tag)))
    return sorted(found, key=lambda f: WARNING_ORDER.index(f.tag))


# -- read through the parse: who does what to whom --------------------------------------------------------

_POSSESSIVE_OF = {"i": "my", "he": "his", "she": "her", "they": "their", "you": "your", "we": "our"}


def _under_another_verb(token, verb) -> bool:
    """``token`` belongs to another predicate inside ``verb``'s subtree: "hit the guy ... and felt the recoil up his
    own shoulder" hits no shoulder."""
    node = token.head
    while node.i != verb.i and node.head.i != node.i:
        if node.pos_ in ("VERB", "AUX") and node.dep_ in ("conj", "ccomp", "advcl", "relcl", "xcomp", "parataxis"):
            return True
        node = node.head
    return False


def _own_body_part(reader: CueReader, s: Sentence, verb, body: set[str]):
    """A body part of the verb's own subject, reached as its object or through a preposition ("cut her own arm",
    "the skin above her wrist", "under my own thigh"), or None."""
    subject = reader.subject(verb)
    if subject is None or not reader.is_person(s, subject):
        return None
    expected = _POSSESSIVE_OF.get(subject.lower_)
    for node in verb.subtree:
        if node.lemma_.lower() not in body or node.i == verb.i or _under_another_verb(node, verb):
            continue
        owners = [c for c in node.children if c.dep_ == "poss"]
        for inner in node.subtree:  # "the skin above her wrist"
            if inner.i != node.i and inner.lemma_.lower() in body:
                owners += [c for c in inner.children if c.dep_ == "poss"]
        own = any(c.lower_ == "own" for c in node.children) or any(
            c.lower_ == "own" for o in owners for c in o.head.children
        )
        for owner in owners:
            if own or owner.lower_ == expected or (
                subject.pos_ == "PROPN" and owner.lower_ in ("his", "her", "their")
            ):
                return node
    return None


def detect_by_parse(reader: CueReader, s: Sentence, hits: Hits) -> None:
    """Self-harm, suicidal thoughts, torture and abuse read from the dependency parse rather than fixed phrases:
    the lemma sets in tag_cues.json "parse" and warning_cues.json "torture" name the acts; the parse says who
    does them to whom."""
    cues = _tag_cues()["parse"]
    torture = _warning_cues()["torture"]
    text = reader.lower(s)
    accident = _any_word(cues["accident_words"]).search(text) is not None
    body, tools = set(cues["self_harm_body"]), set(cues["self_harm_tools"])
    kin = set(cues["kin_agents"])
    # Suicidal thoughts: "everyone would be better off without her", in narration or thought.
    for token, _ in reader.phrase_tokens(s, _phrases(cues["burden_phrases"])):
        # Negation read on the verb only: the "without" of the phrase is no negation of it.
        if not (s.in_dialogue(token) or any(c.dep_ == "neg" for c in token.head.children) or reader.in_idiom(s, token)):
            hits.add(SUICIDAL_THOUGHTS, s, 0.6)
    # Pain done "again and again", "once more": the repetition of torture.
    for token, _ in reader.phrase_tokens(s, _words(torture["repeat_words"])):
        if not (s.in_dialogue(token) or reader.unreal(s)):
            hits.add("torture_repeat", s, 0.3)
    # A gash across a cheek, a stab wound: a wound on the page.
    for token, _ in reader.phrase_tokens(s, _words(_warning_cues()["violence"]["wound_nouns"])):
        if not (s.in_dialogue(token) or reader.negated(token) or reader.hypothetical(token, s) or reader.unreal(s)):
            hits.add("wound", s, 0.45)
    # Fear of a parent or partner in the house ("froze when she heard her father's key"): a sign of abuse.
    # Read in _by_parse: the parent or partner may be named in the sentence before ("listened for her husband's
    # key. She froze when she heard it.").
    if any(not s.in_dialogue(t) for t in s.with_lemma(kin)):
        hits.add("abuse_kin_mention", s, 0.1)
    for t in s.tokens:
        if (t.lemma_.lower() in cues["fear_words"] or t.lower_ in cues["fear_words"]) and not s.in_dialogue(t):
            if not (reader.negated(t) or reader.hypothetical(t, s) or reader.in_idiom(s, t)):
                hits.add("abuse_fear_word", s, 0.4)
                break

    def clean(t) -> bool:  # asked only of cue verbs: the negation climb is the costliest check, most verbs no cue
        return not (reader.negated(t) or reader.in_idiom(s, t) or reader.unreal(s))

    for t in s.tokens:
        if t.pos_ not in ("VERB", "AUX") or s.in_dialogue(t):
            continue
        lemma = _lemma(t)
        # Thinking about ending it, planning to end things (not "ending it with Tom": a break-up).
        if (lemma in cues["think_verbs"] or lemma in cues["desire_verbs"]) and clean(t) and reader.is_person(s, reader.subject(t)):
            for c in t.subtree:
                # The ending is what is thought of ("thinking about ending it"), not a clause beside it.
                close = c.head.i == t.i or (c.head.dep_ == "prep" and c.head.head.i == t.i)
                if close and _lemma(c) in cues["ending_verbs"] and not reader.negated(c) and not any(
                    g.dep_ == "prep" and g.lower_ == "with" for g in c.children
                ):
                    if any(g.dep_ == "dobj" and g.lemma_.lower() in cues["ending_objects"] for g in c.children):
                        hits.add(SUICIDAL_THOUGHTS, s, 0.6)
        # Thinking about the pills, the bridge: a plan, weak alone.
        if lemma in cues["think_verbs"] and clean(t) and reader.is_person(s, reader.subject(t)):
            if any(n.lemma_.lower() in cues["method_nouns"] or n.lower_ in cues["method_nouns"] for n in t.subtree if n.dep_ == "pobj"):
                hits.add(SUICIDAL_THOUGHTS, s, cues["method_strength"])
        # Violence with its wound: a person stabbed, shot or slashed by another, or a bone of theirs broken
        # ("stabbed Piotr in the stomach", "Harlan's nose broke"): graphic on its own, as a pool of blood is.
        violence = _warning_cues()["violence"]
        if lemma in violence["wounding_verbs"] and clean(t) and not reader.hypothetical(t, s) and not _nearly(reader, t):
            agent = reader.subject(t)
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
            patients = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            hurt = any(
                (reader.is_person(s, p) and not reader.is_reflexive(p))
                or (
                    p.lower_ in violence["injury_body_nouns"]
                    and any(g.dep_ == "poss" and not (p.dep_ == "dobj" and _owned_by(g, agent)) for g in p.children)
                )
                for p in patients
            )  # not "shot his hand out": the agent's own hand
            if hurt and (passive or (agent is not None and reader.is_person(s, agent))):
                hits.add("violence", s, 0.35)
                hits.add("wound", s, 0.45)
        if lemma in violence["breaking_verbs"] and clean(t) and not reader.hypothetical(t, s):
            broken = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
            if any(
                c.lemma_.lower() in violence["breakable_body"] and any(g.dep_ == "poss" for g in c.children)
                for c in broken
            ):
                hits.add("wound", s, 0.45)
        # Self-harm: a person cutting or burning their own body, or a tool pressed to it, not by accident.
        if lemma in cues["self_harm_verbs"] or lemma in cues["self_harm_tool_verbs"]:
            part = _own_body_part(reader, s, t, body)
            # For "press", "hold", "drag": the tool is what is moved (a blade, or "it") and the body its target,
            # not "put his hand on John's back" nor "shoulder blades".
            objects = [c for c in t.children if c.dep_ == "dobj"]
            tool = any(
                o.lemma_.lower() in tools and not any(c.dep_ == "compound" for c in o.children) or o.lower_ == "it"
                for o in objects
            ) and not any(o.lemma_.lower() in body for o in objects)
            if part is not None and lemma in cues["self_harm_tool_verbs"] and part.dep_ != "pobj":
                part = None
            if part is not None and lemma in cues["self_harm_mild_verbs"] and not _any_word(
                    cues["injury_words"]).search(text):
                part = None  # "scratching his stomach" as he yawns
            if part is not None and (lemma in cues["self_harm_verbs"] or tool) and clean(t) and not accident:
                if not reader.hypothetical(t, s):
                    hits.add(SELF_HARM, s, 0.6, MENTIONED if reader.background(s, t) else DEPICTED)
            if lemma in cues["self_harm_tool_verbs"] and tool and not accident and clean(t):
                if any(c.dep_ == "dobj" and reader.is_reflexive(c) for c in t.children) or any(
                    n.dep_ == "pobj" and n.lemma_.lower() in body for n in t.subtree
                ):
                    hits.add("self_harm_tool", s, 0.5, DEPICTED)
        # Suicidal thoughts: wanting to die, wishing not to wake, not to be here.
        if (lemma in cues["desire_verbs"] or t.lower_ in cues["desire_verbs"]) and not reader.negated(t) and not reader.in_idiom(s, t):
            subject = reader.subject(t)
            if subject is not None and reader.is_person(s, subject) and subject.lower_ not in ("you", "we"):
                for c in t.subtree:
                    if c.i == t.i or c.pos_ not in ("VERB", "AUX"):
                        continue
                    # What is wished is the verb's complement ("wanted to die", "hoped he would not wake"), not
                    # a clause beside it ("longed to visit them before I die").
                    wished = c.head.i == t.i and c.dep_ in ("xcomp", "ccomp") or (
                        c.dep_ == "conj" and c.head.head.i == t.i and c.head.dep_ in ("xcomp", "ccomp")
                    )
                    if not wished:
                        continue
                    wish = _lemma(c)
                    own = reader.subject(c)
                    if own is not None and own.i != subject.i and own.lower_ != subject.lower_ and not (
                        subject.pos_ == "PROPN" and own.lower_ in ("he", "she", "they")
                    ):
                        continue  # "she hoped the baby would not wake": someone else's sleep
                    if any(g.dep_ == "prep" for g in c.children):
                        continue  # "wanted to disappear under the table": embarrassment, not death
                    if wish in cues["death_wish_verbs"] and not reader.negated(c):
                        hits.add(SUICIDAL_THOUGHTS, s, 0.6)
                    elif wish in cues["negated_living_verbs"] and reader.negated(c) and (
                        wish == "wake" or any(w.lower_ in cues["negated_living_here"] for w in c.children)
                    ):
                        hits.add(SUICIDAL_THOUGHTS, s, 0.6)
        # A parent or partner as the subject: "he" a few sentences on may be them.
        for c in t.children:
            if c.dep_ == "nsubj" and c.lemma_.lower() in kin:
                hits.add("abuse_kin_subject", s, 0.1, c.lemma_.lower())
        # Torture, its parts read through the parse: a person restrained, asked, and hurt.
        if lemma in torture["restraint_verbs"] and clean(t):
            held = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            if any(reader.is_person(s, c) or any(g.dep_ == "poss" for g in c.children) for c in held):
                hits.add("torture_captive", s, 0.3)
        if lemma in torture["question_verbs"] and clean(t) and reader.is_person(s, reader.subject(t)):
            hits.add("torture_question", s, 0.3)
        if lemma in torture["pain_verbs"] and clean(t) and not reader.hypothetical(t, s):
            agent = reader.subject(t)
            objects = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            # Or a hot blade "pressed to the boy's back": a body part of someone's as the verb's target.
            objects += [
                g for c in t.children if c.dep_ == "prep" for g in c.children
                if g.dep_ == "pobj" and g.lemma_.lower() in torture["pain_body"] and any(x.dep_ == "poss" and not reader.is_reflexive(x) for x in g.children)
            ]
            hurt = any(
                o.lemma_.lower() in torture["pain_body"] and any(g.dep_ == "poss" or g.dep_ == "prep" for g in o.children)
                or (reader.is_person(s, o) and not reader.is_reflexive(o))
                for o in objects
            )
            if hurt and (agent is None or reader.is_person(s, agent)):
                hits.add("torture_pain_parse", s, 0.3)
        if lemma in torture["extraction_verbs"] and clean(t) and not reader.hypothetical(t, s):
            taken = [c for c in t.children if c.dep_ == "dobj"]
            if any(c.dep_ == "agent" for c in t.children):  # "torn out by the guard", not "torn off on the rock"
                taken += [c for c in t.children if c.dep_ == "nsubjpass"]
            extracted = set(torture["extraction_body"])
            nails = [c for c in taken if c.lemma_.lower() in extracted or c.lower_ in extracted]
            if nails:
                hits.add("torture_blow", s, 0.3, _person_key(reader, s, _owner(nails[0])))  # "He takes the next nail."
        if lemma in torture["scream_verbs"] and clean(t) and reader.is_person(s, reader.subject(t)):
            hits.add("torture_pain_parse", s, 0.3)
        # Abuse: a parent or partner hitting, shoving or locking in a person of the house.
        if lemma in cues["abuse_verbs"] and clean(t) and not reader.hypothetical(t, s):
            agent = reader.subject(t)
            agent_words = set()
            if agent is not None:
                agent_words = {agent.lemma_.lower()} | {c.lemma_.lower() for c in agent.children}
            patient = next((c for c in t.children if c.dep_ in ("dobj", "nsubjpass")), None)
            passive_kin = any(
                g.lemma_.lower() in kin for c in t.children if c.dep_ == "agent" for g in c.children
            )
            # A parent or partner doing it, or a person doing it to their own mother, wife, child.
            kin_patient = patient is not None and (
                patient.lemma_.lower() in cues["kin_patients"]
                and any(g.dep_ == "poss" for g in patient.children)
                and agent is not None
                and reader.is_person(s, agent)
            )
            armed = any(w.lemma_.lower() in _warning_cues()["violence"]["weapon_nouns"] for w in s.tokens)
            if (
                patient is not None
                and agent is not None
                and not armed  # a sword or a gun in hand: a fight, not the house
                and agent.lower_ in ("he", "she")
                and not (agent_words & kin or passive_kin or kin_patient)
                and (reader.is_person(s, patient) and not reader.is_reflexive(patient))
            ):
                hits.add("abuse_pronoun_blow", s, cues["abuse_strength"], agent.lower_)
            if patient is not None and (agent_words & kin or passive_kin or kin_patient) and (
                reader.is_person(s, patient) or any(g.dep_ == "poss" for g in patient.children)
            ):
                hits.add("abuse_kin_blow", s, cues["abuse_strength"], "child" if (agent_words & set(_tag_cues()["abuse"]["child_words"])) else "domestic")


def _by_parse(hits: Hits, reader: CueReader) -> None:
    """Torture: parse-read pain again and again beside a captive and a question; abuse: blows by a parent or
    partner told in more than one sentence."""
    torture = _warning_cues()["torture"]
    # pain inflicted: what the torture cues read, and any blow or wound the violence cues read in the scene
    inflicted = {h.sentence.index: h for h in hits.of("violence")}
    inflicted.update({h.sentence.index: h for h in hits.of("torture_blow") + hits.of("torture_pain_parse")})
    for scene in {h.sentence.scene for h in hits.of("torture_pain_parse") + hits.of("torture_blow")}:
        in_scene = [h for h in inflicted.values() if h.sentence.scene == scene]
        if not in_scene:
            continue
        # blows on someone other than the captive (the rescuer's blade "takes him at the neck" while "you" are
        # tied to the post) are no pain inflicted on the captive
        bound = {
            k for h in hits.of("torture_captive")
            if h.sentence.chapter == in_scene[0].sentence.chapter for k in _restrained(reader, h.sentence)
        }
        bound_pronouns = bound & set(_PERSON_FORMS.values())
        if bound:
            in_scene = [h for h in in_scene if _may_be_bound(h.detail, bound, bound_pronouns)]
        pain = _clustered(in_scene, torture["window"])
        if not pain:
            continue
        first, last = pain[0].sentence.index - torture["window"], pain[-1].sentence.index + torture["window"]
        near = lambda tag: [  # noqa: E731
            h for h in hits.of(tag) if h.sentence.scene == scene and first <= h.sentence.index <= last
        ]
        asked, repeated = near("torture_question"), near("torture_repeat")
        if len({h.sentence.index for h in asked}) >= 2:
            repeated = repeated or asked  # the question asked again after each blow is the repetition
        cared = _phrases(torture["care_phrases"])
        if any(cared.search(h.sentence.span.text.lower()) for h in pain + asked):
            continue  # a thumb numbed before the nail comes off, a stretcher: care, not cruelty
        # a captive stays bound across a scene break: "Her wrists are bound behind the backrest with wire. * * *
        # Yesterday it was the fingers."
        held = [
            h for h in hits.of("torture_captive")
            if h.sentence.chapter == pain[0].sentence.chapter and first - torture["window"] <= h.sentence.index <= last
        ]
        n_pain = len({h.sentence.index for h in pain})
        # Questioned and hurt three times, or hurt "again and again" though nothing is asked.
        if held and (asked and n_pain >= torture["min_pain"] + 1 or repeated and n_pain >= torture["min_pain"]):
            for h in pain + held[:1] + (asked or repeated)[:1]:
                hits.add(TORTURE, h.sentence, 0.35, DEPICTED)
            for h in pain:
                hits.add("violence", h.sentence, 0.35)
    cues = _tag_cues()["parse"]
    # "He slapped her" a few sentences after "her stepdad came home": the pronoun is the parent or partner.
    for h in hits.of("abuse_pronoun_blow"):
        before = [
            k
            for k in hits.of("abuse_kin_subject")
            if k.sentence.scene == h.sentence.scene and 0 <= h.sentence.index - k.sentence.index <= cues["kin_pronoun_window"]
        ]
        if before and h.sentence.index not in hits.by_tag["abuse_kin_blow"]:
            hits.add("abuse_kin_blow", h.sentence, h.strength, None)
    mentions = {h.sentence.index: h.sentence.scene for h in hits.of("abuse_kin_mention")}
    for h in hits.of("abuse_fear_word"):
        i = h.sentence.index
        if mentions.get(i) == h.sentence.scene or mentions.get(i - 1) == h.sentence.scene:
            hits.add("abuse_fear", h.sentence, 0.4)
    blows = _clustered(hits.of("abuse_kin_blow"))
    if len({h.sentence.index for h in blows}) >= cues["abuse_min_sentences"]:
        for h in blows:
            hits.add(ABUSE, h.sentence, h.strength, h.detail)
    elif blows:
        # One blow by a parent or partner, and fear of them told nearby.
        fear = [h for h in hits.of("abuse_fear") if abs(h.sentence.index - blows[0].sentence.index) <= SIGN_WINDOW]
        if fear:
            for h in blows + fear[:2]:
                hits.add(ABUSE, h.sentence, h.strength, blows[0].detail)


def _clustered(hit_list: list[Hit], window: int = SIGN_WINDOW) -> list[Hit]:
    """The hits within the ``window`` sentences that hold the strongest combination of them."""
    ordered = sorted(hit_list, key=lambda h: h.sentence.index)
    best, best_score = [], -1.0
    for i, first in enumerate(ordered):
        group = [h for h in ordered[i:] if h.sentence.index - first.sentence.index < window]
        score = combined(h.strength for h in group)
        if score > best_score:
            best, best_score = group, score
    return best


def _abuse_by_signs(hits: Hits) -> None:
    """Abuse told by its signs (the bruise explained away, 'he's not always like this', learning not to shout
    back): the signs together, and a blow between the people of the house when the signs are there."""
    cues = _tag_cues()["abuse"]
    signs = _clustered(list({h.sentence.index: h for h in hits.of("abuse_excuse") + hits.of("abuse_sign")}.values()))
    if not any(h in hits.of("abuse_sign") for h in signs):
        return  # apologies and excuses ("he was so sorry") say abuse only beside a bruise, a flinch, a fear
    if len(signs) < cues["min_sign_sentences_for_blows"]:
        signs = signs if combined(h.strength for h in signs) >= EMIT_AT else []
        for h in signs:
            hits.add(ABUSE, h.sentence, h.strength, h.detail)
        return
    first, last = signs[0].sentence.index, signs[-1].sentence.index
    blows = [h for h in hits.of("abuse_blow") if first - SIGN_WINDOW <= h.sentence.index <= last + SIGN_WINDOW]
    for h in signs + blows:
        hits.add(ABUSE, h.sentence, h.strength, h.detail)


def _mourned_on_the_page(sentences: list[Sentence], reader: CueReader, hits: Hits) -> None:
    """Tears in the sentences after a death told in narration ("Aragorn bent his head over him and wept") are
    mourning for it."""
    cues = _tag_cues()["grief"]
    deaths = [h for h in hits.of("death")]
    if not deaths:
        return
    crying = set(cues["crying_words"])
    for d in deaths:
        for s in sentences[d.sentence.index + 1 : d.sentence.index + 1 + cues["crying_window"]]:
            if s.scene != d.sentence.scene:
                break
            for t in s.tokens:
                if (t.lemma_.lower() in crying or t.lower_ in crying) and not s.in_dialogue(t):
                    if not (reader.negated(t) or reader.hypothetical(t, s)):
                        hits.add(GRIEF, s, 0.45, DEPICTED)
                        break


def _self_harm_by_signs(hits: Hits) -> None:
    """Marks on the body (neat lines on a forearm), a blade kept or pressed to the skin, and the hiding of it
    (sleeves pulled over the hands in the heat): together, and with at least one mark or tool, self-harm."""
    signs = _clustered(hits.of("self_harm_mark") + hits.of("self_harm_tool") + hits.of("self_harm_hide"))
    marks = [h for h in signs if h in hits.of("self_harm_mark") + hits.of("self_harm_tool")]
    if marks and combined(h.strength for h in signs) >= EMIT_AT:
        for h in signs:
            hits.add(SELF_HARM, h.sentence, h.strength, h.detail)


def _suicide_by_signs(hits: Hits) -> None:
    """A death with the signs that it was chosen (a note left, an emptied pill bottle, things given away) is a
    suicide; in a story of suicidal thoughts, the same signs about someone else are a suicide mentioned."""
    signs = _clustered(hits.of("suicide_sign"))
    if len(signs) < 2 or hits.confidence(SUICIDE) >= EMIT_AT:
        return
    first, last = signs[0].sentence.index, signs[-1].sentence.index
    deaths = [
        h
        for h in hits.of("death") + hits.of(MAJOR_CHARACTER_DEATH)
        if first - SIGN_WINDOW <= h.sentence.index <= last + SIGN_WINDOW
    ]
    if deaths:
        detail = DEPICTED if any(h.detail == DEPICTED for h in signs) else MENTIONED
        for h in signs + deaths[:1]:
            hits.add(SUICIDE, h.sentence, 0.45, detail)
    elif hits.confidence(SUICIDAL_THOUGHTS) >= EMIT_AT - 0.1:
        for h in signs:
            hits.add(SUICIDE, h.sentence, 0.45, MENTIONED)


def _tags(story: Story, hits: Hits, n_sentences: int) -> list[TagFinding]:
    found = []
    for tag in (SUICIDE, SELF_HARM, TORTURE):
        hit_list = hits.of(tag)
        if combined(h.strength for h in hit_list) >= EMIT_AT:
            detail = DEPICTED if any(h.detail == DEPICTED for h in hit_list) else MENTIONED
            found.append(_finding(story, tag, hit_list, detail=detail))
    if hits.confidence(SUICIDAL_THOUGHTS) >= EMIT_AT - 0.1:
        found.append(_finding(story, SUICIDAL_THOUGHTS, hits.of(SUICIDAL_THOUGHTS)))
    theme_hits = max(1, math.ceil(n_sentences / SENTENCES_PER_THEME_HIT))
    for tag in (ALCOHOL, DRUGS):
        if any(h.strength >= 0.45 for h in hits.of(tag)):
            # The habits (another pull, a row of empties) add to a plain sign of abuse, never make one: a party
            # has them too.
            for h in hits.of(tag + " habit"):
                hits.add(tag, h.sentence, h.strength)
        if hits.confidence(tag) >= EMIT_AT:
            found.append(_finding(story, tag, hits.of(tag)))
    for tag in (GUILT, ROMANCE, FRIENDSHIP):
        if hits.confidence(tag) >= EMIT_AT and len(hits.of(tag)) >= theme_hits:
            found.append(_finding(story, tag, hits.of(tag)))
    if hits.confidence("gore") >= EMIT_AT:
        found.append(_finding(story, GORE, hits.of("gore")))
    abuse = hits.of(ABUSE)
    if combined(h.strength for h in abuse) >= EMIT_AT and len(abuse) >= theme_hits:
        kinds = {h.detail for h in abuse} - {None}
        # One tag readers filter on, "Abuse"; who abuses whom, where the sentences agree, is its detail.
        found.append(_finding(story, ABUSE, abuse, detail=kinds.pop() if len(kinds) == 1 else None))
    war = hits.of(WAR)
    war_cfg = _tag_cues()["war"]
    war_words = {w for h in war for w in h.detail.split("|")}
    # Or a war told in its own plain words twice ("the third bombing this week", "the bombing stops"): a core word
    # in lower case, so not a title ("Star Wars", "post-Civil War") nor a battle's name.
    core_re = _words(war_cfg["core"])
    told_twice = [h for h in war if core_re.search(h.sentence.span.text)]
    if (
        len(war) >= max(war_cfg["min_sentences"], theme_hits)
        and len(war_words) >= war_cfg["min_distinct"]
        and war_words & set(war_cfg["core"])  # soldiers alone may be guards; a war needs war or battle
    ) or len(told_twice) >= max(war_cfg["min_core_sentences"], theme_hits):
        found.append(_finding(story, WAR, war, confidence=min(0.95, 0.4 + 0.1 * len(war))))
    grief = hits.of(GRIEF)
    if len(grief) >= theme_hits and (
        combined(h.strength for h in grief) >= EMIT_AT and any(h.strength >= 0.45 for h in grief) or len(grief) >= 3
    ):
        found.append(_finding(story, GRIEF, grief))
    for tag in (ANGST, HURT_COMFORT, FLUFF, HUMOR):
        hit_list = hits.of(tag)
        if hit_list:
            found.append(_finding(story, tag, hit_list, confidence=max(h.strength for h in hit_list)))
    order = {t: i for i, t in enumerate(TAG_ORDER + (CHILD_ABUSE, DOMESTIC_ABUSE))}
    found.sort(key=lambda f: order.get(f.tag if f.tag not in (CHILD_ABUSE, DOMESTIC_ABUSE) else ABUSE, 99))
    return found


# -- rating ----------------------------------------------------------------------------------------------


def _count_terms(text: str, terms) -> int:
    pattern = _words(terms)
    return len(pattern.findall(text)) if pattern else 0


def estimate_rating(
    story: Story, sentences: list[Sentence], warnings: list[TagFinding], tags: list[TagFinding], hits: Hits
) -> Rating:
    prof = _profanity()
    body = " ".join(story.text[s.start : s.end] for s in sentences).lower().replace("’", "'")
    strong = _count_terms(body, prof["strong"])
    moderate = _count_terms(body, prof["moderate"])
    explicit_re, mild_re = _phrases(prof["sexual_explicit"]), _phrases(prof["sexual_mild"])
    explicit_sentences = [s for s in sentences if explicit_re.search(story.text[s.start : s.end].lower())]
    mild_sentences = [s for s in sentences if mild_re.search(story.text[s.start : s.end].lower())]
    found = {w.tag: w for w in warnings} | {t.tag: t for t in tags}

    def quote(finding_or_sentence) -> str:
        if isinstance(finding_or_sentence, TagFinding):
            text = finding_or_sentence.evidence[0].text if finding_or_sentence.evidence else ""
        else:
            text = story.text[finding_or_sentence.start : finding_or_sentence.end]
        text = " ".join(text.split())
        return f'"{text[:117]}..."' if len(text) > 120 else f'"{text}"'

    explicit, mature, teen = [], [], []
    if len(explicit_sentences) >= prof["explicit_for_explicit"]:
        explicit.append(
            f"explicit sexual content ({len(explicit_sentences)} sentences): {quote(explicit_sentences[0])}"
        )
    elif explicit_sentences:
        mature.append(f"sexual content: {quote(explicit_sentences[0])}")
    elif len(mild_sentences) >= 2:
        mature.append(f"sexual content: {quote(mild_sentences[0])}")
    elif mild_sentences:
        teen.append(f"sexual references: {quote(mild_sentences[0])}")
    for tag, label in (
        (GRAPHIC_VIOLENCE, "graphic violence"),
        (RAPE, "rape/non-con"),
        (UNDERAGE, "underage sexual content"),
        (TORTURE, "torture"),
        (GORE, "blood and gore"),
    ):
        if tag in found:
            mature.append(f"{label}: {quote(found[tag])}")
    if SUICIDE in found and found[SUICIDE].detail == DEPICTED:
        mature.append(f"suicide depicted: {quote(found[SUICIDE])}")
    if strong >= prof["strong_for_mature"] or moderate >= prof["moderate_for_mature"]:
        mature.append(f"pervasive strong language ({strong + moderate} swear words)")
    elif strong >= prof["strong_for_teen"] or moderate >= prof["moderate_for_teen"]:
        teen.append(f"strong language ({strong + moderate} swear words)")
    for tag, label in (
        (MAJOR_CHARACTER_DEATH, "a main character dies"),
        (SUICIDE, "suicide mentioned"),
        (SUICIDAL_THOUGHTS, "suicidal thoughts"),
        (SELF_HARM, "self-harm"),
        (ALCOHOL, "alcohol abuse"),
        (DRUGS, "drug abuse"),
        (ABUSE, "abuse"),
        (CHILD_ABUSE, "child abuse"),
        (DOMESTIC_ABUSE, "domestic abuse"),
        (WAR, "war"),
    ):
        if tag in found and not (tag == SUICIDE and found[tag].detail == DEPICTED):
            teen.append(f"{label}: {quote(found[tag])}")
    if hits.of("rape_mentioned") and RAPE not in found:
        teen.append(f"rape mentioned: {quote(hits.of('rape_mentioned')[0].sentence)}")
    deaths = hits.of("death")
    if deaths and MAJOR_CHARACTER_DEATH not in found:
        teen.append(f"a death: {quote(sorted(deaths, key=lambda h: h.sentence.start)[0].sentence)}")
    violence = hits.of("violence")
    if violence and GRAPHIC_VIOLENCE not in found:
        teen.append(f"violence: {quote(sorted(violence, key=lambda h: h.sentence.start)[0].sentence)}")
    if explicit:
        return Rating("Explicit", explicit + mature + teen)
    if mature:
        return Rating("Mature", mature + teen)
    if teen:
        return Rating("Teen And Up Audiences", teen)
    return Rating("General Audiences", ["no violence, sexual content, strong language or distressing themes found"])


# -- characters tag --------------------------------------------------------------------------------------


def main_characters(story: Story) -> list[str]:
    """Display names of the main characters, most prominent first (mentions plus lines of dialogue)."""
    scored = []
    for c in story.characters:
        name = c.canonical_name or c.name
        if not name or not name[0].isupper() or name.lower() in ("i", "me", "you", "he", "she", "they", "narrator"):
            continue
        scored.append((c.mentions + 2 * c.quotes, name))
    if not scored:
        return []
    scored.sort(key=lambda x: -x[0])
    top = scored[0][0]
    names = []
    for score, name in scored:
        if score >= max(3, 0.15 * top) and name not in names:
            names.append(name)
    return names[:10]


@lru_cache(maxsize=1)
def _reader_backing() -> dict:
    data = load_json("reader_backing.json")
    return {
        SUICIDAL_THOUGHTS: _phrases(data[SUICIDAL_THOUGHTS]),
        "inflicted_by_another": set(data[SELF_HARM]["inflicted_by_another"]),
    }


def _ideation_sentences(reader: CueReader) -> list[Sentence]:
    """Sentences that tell the ease or the rest of not being there ("how restful it would be to simply stop",
    "looking forward to not waking up"), not negated unless the phrase holds its own negation."""
    found = []
    for s in reader.sentences:
        for token, text in reader.phrase_tokens(s, _reader_backing()[SUICIDAL_THOUGHTS]):
            if _says_negation(text) or not reader.negated(token):
                found.append(s)
                break
    return found


def _planned_then_done(reader: CueReader, hits: Hits) -> None:
    """A way of ending imagined in a sentence of ideation ("He could just slide forward", "It would be so easy to
    step off") and then done, in the narration, by the same person a few sentences later ("He slides forward."):
    a suicide attempt shown, though no word names it."""
    data = load_json("reader_backing.json")
    common, window = set(data["planned_act_not_verbs"]), data["planned_act_window"]
    for plan in _ideation_sentences(reader):
        imagined = {
            (_lemma(t), (reader.subject(t).lower_ if reader.subject(t) is not None else None))
            for t in plan.tokens
            if t.pos_ == "VERB" and _lemma(t) not in common and reader.hypothetical(t, plan) and not plan.in_dialogue(t)
        }
        imagined = {(verb, who) for verb, who in imagined if who is not None}
        if not imagined:
            continue
        for later in reader.sentences[plan.index + 1 : plan.index + 1 + window]:
            for t in later.tokens:
                subject = reader.subject(t) if t.pos_ == "VERB" else None
                if subject is None or (_lemma(t), subject.lower_) not in imagined or later.in_dialogue(t):
                    continue
                if reader.negated(t) or reader.hypothetical(t, later) or reader.unreal(later):
                    continue
                hits.add(SUICIDE, later, 0.6, DEPICTED)
                hits.add(SUICIDAL_THOUGHTS, plan, 0.6)
                return


def _reader_only_backed(story: Story, reader: CueReader, hits: Hits, tags: list[TagFinding], ruled: set[str]) -> None:
    """A tag the learned reader found alone is emitted only with a sentence that says it: suicidal thoughts need a
    sentence of ideation (cited first), and self-harm is dropped where its evidence sits in a scene of captivity
    and inflicted pain (another's hand: torture, not self-harm)."""
    backing = _reader_backing()
    for finding in list(tags):
        if finding.tag in ruled:
            continue
        if finding.tag == SUICIDAL_THOUGHTS:
            said = _ideation_sentences(reader)
            if not said:
                tags.remove(finding)
                continue
            cited = [Evidence(s.start, s.end, story.text[s.start : s.end]) for s in said[:2]]
            finding.evidence = (cited + [e for e in finding.evidence if e not in cited])[:MAX_EVIDENCE]
        elif finding.tag == SELF_HARM:
            cited = {s.scene for s in reader.sentences for e in finding.evidence if s.start <= e.start < s.end}
            inflicted = {
                h.sentence.scene for key in backing["inflicted_by_another"] for h in hits.by_tag.get(key, {}).values()
            }
            if cited & inflicted:
                tags.remove(finding)


def _graphic_torture(story: Story, hits: Hits, warnings: list[TagFinding], tags: list[TagFinding]) -> None:
    """Torture shown on the page (found by the rules or the reader) with its injuries told in two sentences or
    more (a nail taken, cuts opened, blood pooled under the chains) is a graphic depiction of violence."""
    if any(w.tag == GRAPHIC_VIOLENCE for w in warnings):
        return
    if not any(t.tag == TORTURE and t.detail != MENTIONED for t in tags):
        return
    injuries = hits.of("gore") + hits.of("wound")
    # a blow in a sentence of injury, or in a scene where the injuries are told ("hits him in the mouth with the
    # whip handle" in the scene whose blood runs faster with each stroke)
    scenes = {i.sentence.scene for i in injuries}
    blows = [h for h in hits.of("violence") if h.sentence.scene in scenes]
    if len({h.sentence.index for h in injuries}) >= 2 and blows:
        warnings.insert(0, _finding(story, GRAPHIC_VIOLENCE, injuries + blows))


def _add_declared(story: Story, warnings: list[TagFinding], tags: list[TagFinding]) -> None:
    """The warnings the author's notes declare: a new finding, or the note cited first in an existing one."""
    for tag, evidence in declared_warnings(story).items():
        found = warnings if tag in WARNING_ORDER else tags
        existing = next((f for f in found if f.tag == tag), None)
        if existing is None:
            detail = "mentioned" if tag == "Suicide" and mentioned_only(evidence) else None
            found.append(TagFinding(tag=tag, confidence=DECLARED_CONFIDENCE, evidence=evidence, detail=detail))
        else:
            existing.confidence = max(existing.confidence, DECLARED_CONFIDENCE)
            existing.evidence = (evidence + [e for e in existing.evidence if e not in evidence])[:MAX_EVIDENCE]
    warnings.sort(key=lambda f: WARNING_ORDER.index(f.tag))


def run(story: Story, ctx) -> None:
    sentences = story_sentences(story, ctx)
    story.tags.characters = main_characters(story)
    if not sentences:
        return
    reader = CueReader(story, sentences)
    hits = Hits()
    for s in sentences:
        detect_death(reader, s, hits)
        detect_violence(reader, s, hits)
        detect_weapon_strike(reader, s, hits)
        detect_weapon_hit(reader, s, hits)
        detect_severing(reader, s, hits)
        detect_gore(reader, s, hits)
        detect_torture(reader, s, hits)
        detect_captivity(reader, s, hits)
        detect_rape(reader, s, hits)
        detect_underage(reader, s, hits)
        detect_suicide(reader, s, hits)
        detect_overdose(reader, s, hits)
        detect_self_harm(reader, s, hits)
        detect_substances(reader, s, hits)
        detect_abuse(reader, s, hits)
        detect_sentence_cues(reader, s, hits)
        detect_by_parse(reader, s, hits)
    # What no single sentence says: acts told by their signs, read over the scene or the story.
    _mourned_on_the_page(sentences, reader, hits)
    _self_harm_by_signs(hits)
    _abuse_by_signs(hits)
    _torture_by_scene(hits)
    _method_on_a_captive(hits)
    _by_parse(hits, reader)
    _suicide_by_signs(hits)
    _suicide_by_overdose(hits)
    _suicide_by_own_hand(hits)
    _planned_then_done(reader, hits)
    undone = _death_undone(reader, sentences)
    if undone:
        for key in (MAJOR_CHARACTER_DEATH, "death"):
            hits.by_tag.pop(key, None)  # a death faked is no character death, funeral or not
    warnings = _warnings(story, hits)
    _mood(sentences, story, hits, reader, {w.tag for w in warnings})
    tags = _tags(story, hits, len(sentences))
    # The learned reader adds what the cue lists have never seen; agreement raises the rule's confidence.
    ruled = {f.tag for f in warnings + tags}
    combine_with_model(story, sentences, warnings, tags, hits.by_tag)
    _reader_only_backed(story, reader, hits, tags, ruled)
    if undone:
        warnings[:] = [w for w in warnings if w.tag != MAJOR_CHARACTER_DEATH]
    _graphic_torture(story, hits, warnings, tags)
    _add_declared(story, warnings, tags)
    # Humor, fluff and friendship told by comic beats, and the moods the notes declare: read last, with every
    # warning known, and outside the hits the learned reader reads (content_mood).
    humor_cues = [h.sentence for h in sorted(hits.of("mood_humor"), key=lambda h: h.sentence.index)]
    fluff_cues = [h.sentence for h in sorted(hits.of("mood_fluff"), key=lambda h: h.sentence.index)]
    add_mood(story, sentences, reader, humor_cues, fluff_cues, hits.confidence(ROMANCE), warnings, tags)
    ctx.cache["content_rule_hits"] = hits.by_tag  # for train/train_tags.py, which reads the rules' sentences too
    order = {t: i for i, t in enumerate(TAG_ORDER)}
    tags.sort(key=lambda f: order.get(f.tag, 99))
    story.warnings = warnings
    story.tags.freeform = tags
    story.rating = estimate_rating(story, sentences, warnings, tags, hits)
