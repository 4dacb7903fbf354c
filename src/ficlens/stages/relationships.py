"""Stage 'relationships': which pairs the story is about, romantic (``A/B``) or platonic (``A & B``).

Evidence is sentence by sentence.  A sentence supports a pair when it holds a cue (``lexicons/
relationship_cues.json``: a kiss, "I love you", "something more", boyfriend; teacher, teammates, best friend...)
that is not negated, refused, a near miss, hypothetical or only attempted ("leaned in to kiss her") (read from
the dependency parse), and both characters
take part in the cue's clause: named, referred to by a resolved pronoun, or - inside a quotation - as the
speaker ("I", "we") and the addressee ("you").  A quotation that calls someone "X-sensei" (or -nii, -nee...)
is platonic evidence for its speaker and X.

Per pair, each sentence adds the weight of its strongest cue of each kind.  Beside the cues, each pair counts
the lines either speaks to the other and the body paragraphs they share (both named, or one named and the
other speaking there; a he/she does not count, since a pronoun resolved to the wrong person would make a side
character central).

A pair is romantic when its romantic score reaches ``ROMANTIC_MIN`` (one kiss or confession, or two weaker
cues) and the two speak to each other, share ``MIN_TOGETHER`` paragraphs or have two romantic sentences (a
married couple named in passing is not the story), the pair is not family (two sentences or more calling them
kin, and at least half as many as the romantic ones), and the score is at least half of each partner's best
romantic score (in a novel every talk of marriage touches the heroine; her own romance stands out).  Kin -
by those sentences, or one of the two called by a kinship word ("Obaachan", "Mom") - who kiss and say "I love
you" are platonic on that evidence.  A kiss on the forehead, the cheek or the hair counts half.  Platonic
otherwise when its platonic score reaches ``PLATONIC_MIN`` over at least ``PLATONIC_MIN_SENTENCES`` sentences
(a friend or a teacher named once is not what a story is about).

With no bond named, a pair is platonic by interaction when the story is about the two of them: both are main
characters (present in at least ``MAIN_SHARE`` of the paragraphs of the most present one), each named by the
narration (outside quotations) in at least ``MIN_NARRATED`` paragraphs (a first-person narrator and the reader
excepted: a vendor named once, who got every stallholder's line from attribution, is not), they exchange at
least ``INTERACTION_MIN_LINES`` lines and share ``MIN_TOGETHER`` paragraph, and their exchange (lines + shared
paragraphs + ``SCENE_BONUS`` for each further scene shared) is at least ``DOMINANT_SHARE`` of the story's strongest.  Its evidence is then the lines between
them and the narration that names the two alone; its confidence at most ``INTERACTION_MAX_CONFIDENCE``.  Such
a pair is dropped when one of the two is in the story's romance (the third person in a love scene talks to
both lovers; the story is about the lovers), and by interaction alone a character is in one pair (the pair
sharing more paragraphs first, then the one whose less-narrated member the narration names more often -
attribution may hand one person's lines to another, the narration does not - then the story's two most present
characters).  A side character (a butler, a nurse, a waitress with a few
lines) is therefore paired only on cue evidence.

Nobody a tag cannot name is paired: an unnamed first-person narrator ("X/the narrator" names nobody a reader
could filter on, and AO3 writers tag such stories by the other character or "Original Character"; we leave the
pair out rather than guess), a description ("the unit"), a word of address taken for a name ("Dude",
``address_words`` in the cue file).  A narrator whom only the other characters call by a name ("Mara," he said),
a name that is never in the narration, is tagged by that name: the pairs of that name and of the narrator are
one; so is a narrator whose name the characters stage kept among its aliases.

At most ``MAX_RELATIONSHIPS`` pairs are kept, the best supported first.

Tags use ``Character.canonical_name`` when a fandom pack or character list supplied one, else the display
name at its fullest (an alias that extends it: "Cass", once "Detective Cass Moreno" -> "Cass Moreno") without a
leading title ("Captain Ines Ortega" -> "Ines Ortega"), with an AO3 disambiguator dropped while
the two names stay distinct ("Castiel & Dean Winchester", not "Castiel (Supernatural) & Dean Winchester"), and
list the two names in alphabetical order (case-insensitive): "Hatake Kakashi/Umino Iruka".

In a second-person story (``story.narrative.pov == "second"``) the "you" of the narration is the reader-insert:
a participant with the id ``"reader"`` (no Character has it), named "Reader" and written last, as AO3 does
("Dean Winchester/Reader"); unaddressed lines count as spoken to the reader, and an unattributed line spoken
to someone as the reader's; the reader is present in every paragraph whose narration says "you".
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .. import lexicons
from ..model import SCENE_BREAK, Evidence, Relationship, Story
from ._body import MentionIndex, QuoteIndex, Sentence, body_paragraphs, body_sentences, tag_name
from .relationships_declared import declared_narrator, declared_pairings

ROMANTIC_MIN = 2.0
ROMANTIC_SHARE = 0.5  # of each partner's strongest romantic evidence
MAX_RELATIONSHIPS = 8
# "A & B" by interaction: two main characters (each present in at least MAIN_SHARE of the paragraphs of the
# story's most present character) whose interaction (lines exchanged + paragraphs shared) is at least
# DOMINANT_SHARE of the story's strongest, with at least INTERACTION_MIN_LINES lines between them (see the
# module docstring).
MAIN_SHARE = 0.4
DOMINANT_SHARE = 0.6
INTERACTION_MIN_LINES = 3
INTERACTION_MAX_CONFIDENCE = 0.6
# Paragraphs two characters must share (both named or speaking there) to be together in the story, not only
# joined by lines that attribution gave them: a romance beyond a couple named in passing, an exchange that is
# a scene and not a string of misattributed voices.  One is enough: stories that give each line its own
# paragraph often name the two together once.
MIN_TOGETHER = 1
# Paragraphs whose narration must name each of a pair by interaction (the narrator and the reader excepted).
MIN_NARRATED = 2
SCENE_BONUS = 2
NARRATOR_NAME = "the narrator"
# A name opening with one of these is a description ("the unit", "his mother"), not a name; a story written
# all in lower case still names "bakugou".
DESCRIPTION_OPENERS = {"the", "a", "an", "this", "that", "his", "her", "my", "your", "our", "their", "its"}
VOCATIVE_FOLLOWERS = {",", "?", "!", ".", "\u201d", '"'}  # the characters stage's name for an unnamed first-person narrator
PLATONIC_MIN = 2.5
PLATONIC_MIN_SENTENCES = 2
MAX_EVIDENCE = 5
DECLARED_SCORE = 6.0  # an author's "A/B" weighs as three kisses: confidence about 0.88 before any line
SOFT_KISS_FACTOR = 0.5
SOFT_KISS_WINDOW = 6  # words after the kiss that may name where it lands
FIRST_PERSON = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"}
SECOND_PERSON = {"you", "your", "yours", "yourself", "yourselves"}
READER = "reader"  # the reader-insert of a second-person story: a participant, not a Character
SPEAKER_AND_LISTENER = {"you", "your", "yours", "we", "us", "our", "ours"}
PLURAL = {"they", "them", "their", "theirs", "themselves", "each", "both", "together"}
THIRD_PERSON = {"he", "him", "his", "himself", "she", "her", "hers", "herself"}
SECOND_PERSON_WORD = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass
class Cue:
    kind: str  # romantic | platonic
    weight: float
    anchor: int  # story offset of the cue's first character
    token: object  # the spaCy token the cue sits on
    physical: bool = False
    relational: bool = False  # a noun naming one side of a relation: teacher, boyfriend, mother
    gender: str | None = None  # of the person a relational noun names (mother: F)
    family: bool = False  # kin: sister, father...
    by_address: bool = False  # read as a word of address ("daddy", "sister mine"): speaker and listener
    phrase: bool = False  # matched by a phrase ("something more", "as a date"), not by a single word
    occasion: bool = False  # a wedding, a marriage: anyone's, so only the people its clause names


@dataclass
class PairEvidence:
    scores: dict[str, float] = field(default_factory=lambda: {"romantic": 0.0, "platonic": 0.0})
    evidence: dict[str, list[Evidence]] = field(default_factory=lambda: {"romantic": [], "platonic": []})
    seen: dict[str, set[int]] = field(default_factory=lambda: {"romantic": set(), "platonic": set()})
    kin: set[int] = field(default_factory=set)  # sentences naming them family to each other
    lines: int = 0  # quotations either speaks to the other
    exchanges: list[Evidence] = field(default_factory=list)  # those quotations
    together: set[int] = field(default_factory=set)  # body paragraphs where both are present
    scenes: set[int] = field(default_factory=set)  # scenes where both are present
    shared: list[Evidence] = field(default_factory=list)  # narration sentences naming both
    declared: str | None = None  # the kind an author's note declares ("Sam/Rosie"), which the text need not repeat

    def interaction(self) -> int:
        """Lines exchanged + paragraphs shared + SCENE_BONUS for each further scene shared: two people in
        every scene of a long story are what it is about more than a pair that talks in one."""
        return self.lines + len(self.together) + SCENE_BONUS * max(len(self.scenes) - 1, 0)

    def merge(self, other: "PairEvidence") -> None:
        for kind in ("romantic", "platonic"):
            self.scores[kind] += other.scores[kind]
            self.evidence[kind] = sorted(self.evidence[kind] + other.evidence[kind], key=lambda e: e.start)
            self.seen[kind] |= other.seen[kind]
        self.kin |= other.kin
        self.lines += other.lines
        self.exchanges = sorted(self.exchanges + other.exchanges, key=lambda e: e.start)
        self.together |= other.together
        self.scenes |= other.scenes
        self.shared = sorted(self.shared + other.shared, key=lambda e: e.start)

    def add(self, kind: str, weight: float, sentence: Sentence, text: str) -> None:
        """Count one sentence once per kind, with the weight of its strongest cue."""
        if sentence.start in self.seen[kind]:
            return
        self.seen[kind].add(sentence.start)
        self.scores[kind] += weight
        self.evidence[kind].append(Evidence(sentence.start, sentence.end, text))


@lru_cache(maxsize=1)
def cues() -> dict:
    data = lexicons.load_json("relationship_cues.json")
    compiled = {}
    for kind in ("romantic", "platonic"):
        compiled[kind] = {
            "lemmas": data[kind]["lemmas"],
            "phrases": [(re.compile(p), w) for p, w in data[kind]["phrases"].items()],
        }
    compiled["vocatives"] = data["platonic"].get("vocative_suffixes", {})
    for key in ("family_nouns", "negators", "refusal_verbs", "near_miss_adverbs", "hypothetical_marks",
                "unrealised_marks", "address_words", "attempt_verbs", "soft_kiss_places", "kinship_names"):
        compiled[key] = set(data.get(key, []))
    return compiled


# -- reading one cue ------------------------------------------------------------------------------------------

def find_cues(sentence: Sentence) -> list[Cue]:
    data = cues()
    found: list[Cue] = []
    for token in sentence.span:
        lemma = token.lemma_.lower()
        for kind in ("romantic", "platonic"):
            entry = data[kind]["lemmas"].get(lemma)
            if entry and token.pos_ in entry["pos"]:
                found.append(
                    Cue(kind, entry["weight"], sentence.offset(token), token, entry.get("physical", False),
                        entry.get("relational", False), entry.get("gender"), entry.get("family", False),
                        occasion=entry.get("occasion", False))
                )
    lowered = sentence.span.text.lower()
    for kind in ("romantic", "platonic"):
        for pattern, weight in data[kind]["phrases"]:
            for m in pattern.finditer(lowered):
                token = _token_at(sentence, m.start())
                if token is None:
                    continue
                # "best friends", "old friend": the relation sits on the noun the phrase modifies.
                head_entry = data[kind]["lemmas"].get(token.head.lemma_.lower(), {})
                if token.dep_ in ("amod", "compound") and head_entry.get("relational"):
                    found.append(Cue(kind, weight, sentence.start + m.start(), token.head, relational=True,
                                     gender=head_entry.get("gender"), family=head_entry.get("family", False)))
                else:
                    found.append(Cue(kind, weight, sentence.start + m.start(), token, phrase=True))
    return found


def _token_at(sentence: Sentence, char_in_sentence: int):
    target = sentence.span.start_char + char_in_sentence
    for token in sentence.span:
        if token.idx <= target < token.idx + max(len(token.text), 1):
            return token
    return None


def _on_a_soft_place(token) -> bool:
    """'a kiss on the forehead', 'kissed her cheek', 'kissed the top of his head': the next few words name
    a place a parent or a friend kisses too."""
    soft = cues()["soft_kiss_places"]
    doc = token.doc
    following = doc[token.i + 1 : min(token.i + 1 + SOFT_KISS_WINDOW, token.sent.end)]
    return any(t.lemma_.lower() in soft for t in following)


def clause_head(token):
    """The verb that governs the token's clause (the token itself when it is a verb)."""
    head = token
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head


def is_unrealised(token) -> bool:
    """Negated, refused, nearly, hypothetical or only attempted: the cue did not happen."""
    data = cues()
    chain = [token]
    node = token
    # Climb to the clause head, and on through "refused to kiss" (xcomp) chains.
    while node.head.i != node.i and (node.pos_ not in ("VERB", "AUX") or node.dep_ in ("xcomp", "pcomp")):
        node = node.head
        chain.append(node)
    # "leaned in to kiss her", "tried to kiss him": an attempt, which the next sentence may refuse.
    if token.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children) and (
        token.dep_ in ("xcomp", "advcl") and token.head.lemma_.lower() in data["attempt_verbs"]
    ):
        return True
    for node in chain:
        if node.i != token.i and node.lemma_.lower() in data["refusal_verbs"]:
            return True
        if node.lemma_.lower() in data["negators"]:
            return True
        for child in node.children:
            lemma = child.lemma_.lower()
            if child.dep_ == "neg" or (child.dep_ in ("det", "advmod") and lemma in data["negators"]):
                return True
            if child.dep_ == "advmod" and lemma in data["near_miss_adverbs"]:
                return True
            if child.dep_ == "mark" and lemma in data["hypothetical_marks"]:
                return True
            if child.dep_ == "mark" and lemma in data["unrealised_marks"] and any(
                c.dep_ == "aux" and c.tag_ == "MD" for c in node.children
            ):
                return True
    return False


# -- who takes part -------------------------------------------------------------------------------------------

class Participants:
    def __init__(self, story: Story):
        self.mentions = MentionIndex(story.mentions)
        self.quotes = QuoteIndex(story.quotes)
        self.genders = {c.id: c.gender for c in story.characters}
        self.paragraphs = body_paragraphs(story)
        self.reader_insert = is_reader_insert(story)
        present = presence(story, self)
        most = max((len(v) for v in present.values()), default=0)
        self.main = {c for c, v in present.items() if len(v) >= MAIN_SHARE * most}

    def character_at(self, sentence: Sentence, token) -> str | None:
        start = sentence.offset(token)
        mention = self.mentions.at(start, start + len(token.text))
        if mention:
            return mention.character
        if self.is_reader(sentence, token):
            return READER
        return None

    def is_reader(self, sentence: Sentence, token) -> bool:
        """In a second-person story, "you" in the narration is the reader-insert."""
        return (
            self.reader_insert
            and token.lower_ in SECOND_PERSON
            and self.quotes.covering(sentence.offset(token)) is None
        )

    def in_name(self, sentence: Sentence, token) -> bool:
        """The token is part of a name ("Kakashi-sensei"): honorifics are read as vocatives instead."""
        start = sentence.offset(token)
        mention = self.mentions.at(start, start + len(token.text))
        return mention is not None and mention.kind != "pronoun" and mention.text.lower() != token.lower_

    def of_relation(self, sentence: Sentence, cue: Cue) -> list[str]:
        """Who a relational noun relates: its possessor and the person it names ("Naruto's teacher" said of
        Iruka), or, without a possessor, the people it names ("Naruto and Sasuke were teammates"); [] when
        it relates someone to no character ("his mother")."""
        noun = cue.token
        quote = self.quotes.covering(sentence.offset(noun))
        speaker = [quote.speaker] if quote is not None and quote.speaker else []
        listeners = [a for a in quote.addressees if a != quote.speaker] if speaker else []  # not "to himself"
        possessors = [c for c in noun.children if c.dep_ == "poss"]
        possessors += [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                       if g.dep_ == "pobj"]
        referents = [noun] + [c for c in noun.children if c.dep_ in ("appos", "compound")]
        if noun.dep_ == "appos":
            referents.append(noun.head)
        if noun.dep_ == "attr":
            referents += [c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if noun.dep_ in ("nsubj", "nsubjpass"):
            referents += [c for c in noun.head.children if c.dep_ == "attr"]
        referents += [c for r in list(referents) for c in r.conjuncts]
        named = [self.character_at(sentence, t) for t in referents]
        if any(t.lower_ in ("we", "us") for t in referents):
            named += speaker + listeners  # "We have been friends for years," said to the other
        if any(t.lower_ in ("i", "me") for t in referents):
            named += speaker  # "I'm really your mom."
        if any(t.lower_ == "you" for t in referents):
            named += listeners  # "You're really my mom?"
        if not possessors:
            if speaker and not any(c.dep_ == "det" for c in noun.children) and (
                noun.i == noun.sent.start or noun.nbor(-1).is_punct
            ):
                named += speaker + listeners  # "I am sorry, brother mine."
                cue.by_address = True
            # "Naruto and Sasuke were teammates": the noun relates the people it names to each other.
            named = [c for c in dict.fromkeys(named) if c]
            if len(named) < 2 and noun.tag_ == "NNS" and not speaker:
                # "Kyo caught Yuki's wrist, and the two cousins stood locked together": the two the sentence names.
                named = self._ranked(self.mentions.within(sentence.start, sentence.end), cue.anchor)
            return named[:2] if len(named) >= 2 else []
        owners = []
        for t in possessors:
            if t.lower_ in ("my", "our") and speaker:
                owners += speaker
            elif t.lower_ in ("your",) and listeners:
                owners += listeners
            else:
                owners.append(self.character_at(sentence, t))
        owners = [c for c in owners if c]
        if not owners:
            return []
        named = [c for c in dict.fromkeys(named) if c and c not in owners]
        if not named:
            # "He screamed his brother's name": the other one about, if only one other is about and fits.
            named = [c for c in self._only_two_nearby(sentence, owners[:1]) if c != owners[0]]
            named = [c for c in named if cue.gender is None or self.genders.get(c) in (cue.gender, None)]
            if any(t.lower_ == "your" for t in possessors):
                named = [c for c in named if c not in speaker]  # "Your dad teach you that?": not the speaker
        return [owners[0], named[0]] if named else []

    def of_cue(self, sentence: Sentence, cue: Cue) -> list[str]:
        """The (at most two) characters a cue is about, nearest to the cue first."""
        if cue.relational:
            return self.of_relation(sentence, cue)
        head = clause_head(cue.token)
        if head.dep_ in ("xcomp", "ccomp", "advcl") and head.head.i != head.i and not cue.occasion:
            head = head.head  # "Kakashi wanted to kiss him": the subject sits on the governing verb
        start = sentence.offset(head.left_edge)
        end = sentence.offset(head.right_edge) + len(head.right_edge.text)
        people = self._arguments(sentence, head)
        people += [c for c in self._ranked(self.mentions.within(start, end), cue.anchor) if c not in people]
        if READER not in people and any(self.is_reader(sentence, t) for t in head.subtree):
            people.append(READER)
        quote = self.quotes.covering(cue.anchor)
        self._add_speakers(people, quote, list(head.subtree))
        if cue.occasion and len(set(people)) < 2:
            return []  # "I love a wedding," Donna told Theo: whose wedding, the clause does not say
        if len(set(people)) < 2:
            people += [c for c in self._ranked(self.mentions.within(sentence.start, sentence.end), cue.anchor)
                       if c not in people]
            self._add_speakers(people, quote, list(sentence.span))
        if len(set(people)) == 1:
            other = self._antecedent(sentence, head, people[0])
            if other:
                people.append(other)
        if (len(set(people)) < 2 and quote is not None and quote.speaker and set(people) <= {quote.speaker}
                and len(quote.addressees) == 1 and cue.kind == "romantic" and not cue.physical
                and (cue.phrase or {t.lower_ for t in sentence.span} & SPEAKER_AND_LISTENER)):
            # "I'd like it to be something more," "As a date," "Will you marry me?" said to one person: speaker
            # and listener. A word alone about someone else's romance ("I love a wedding.") ties nobody.
            people = [quote.speaker, quote.addressees[0]]
        if len(set(people)) < 2 and (cue.token.pos_ == "NOUN" or {t.lower_ for t in head.subtree} & PLURAL):
            people = self._only_two_nearby(sentence, people)
        people = self._about(sentence, people[:2])
        return people[:2] if len(set(people[:2])) == 2 else []

    def _about(self, sentence: Sentence, people: list[str]) -> list[str]:
        """A partner reached only through a he/she who has not been named, nor spoken or been spoken to, in
        this paragraph or the two before is likely a pronoun resolved to the wrong person: when exactly one
        other main character is about, it is theirs ("took her face in his hands, and kissed her", the "her" given
        to a suitor who left the scene long ago)."""
        if len(set(people)) != 2 or READER in people:
            return people
        start = self.paragraphs[max(sentence.paragraph - 2, 0)].start if self.paragraphs else sentence.start
        about = {m.character for m in self.mentions.within(start, sentence.end) if m.kind != "pronoun"}
        for quote in self.quotes.within(start, sentence.end):
            about.update(c for c in [quote.speaker, *quote.addressees] if c)
        absent = [c for c in people if c not in about]
        others = [c for c in about if c not in people and c in self.main]
        if len(absent) == 1 and len(others) == 1:
            return [others[0] if c == absent[0] else c for c in people]
        return people

    def _arguments(self, sentence: Sentence, head) -> list[str]:
        """Characters filling the verb's roles (subject, objects, "with"/"to" objects), in text order; a verb
        joined to another ("He laughed, and kissed me") or governed by one shares its subject."""
        tokens = []
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass", "dobj", "dative", "iobj", "attr"):
                tokens.append(child)
            elif child.dep_ in ("prep", "agent"):
                tokens.extend(g for g in child.children if g.dep_ == "pobj")
        if not any(t.dep_ in ("nsubj", "nsubjpass") for t in tokens) and head.dep_ in ("conj", "xcomp"):
            tokens.extend(c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass"))
        if head.dep_ == "relcl" and any(t.lower_ in ("who", "that", "whom") for t in tokens):
            tokens.append(head.head)  # "Priya and Jonno, who were married now"
        tokens += [c for t in list(tokens) for c in t.conjuncts]
        found = [self.character_at(sentence, t) for t in sorted(tokens, key=lambda t: t.i)]
        return list(dict.fromkeys(c for c in found if c))

    def _only_two_nearby(self, sentence: Sentence, people: list[str]) -> list[str]:
        """"The kiss was brief and cool with rain", "they kissed": when only two people are about (this
        paragraph and the one before it in the same scene), it is theirs."""
        index = max(sentence.paragraph - 1, 0)
        if self.paragraphs and self.paragraphs[index].scene != self.paragraphs[sentence.paragraph].scene:
            index = sentence.paragraph  # the scene before a break is another time and place
        start = self.paragraphs[index].start if self.paragraphs else sentence.start
        around = {m.character for m in self.mentions.within(start, sentence.end)}
        for quote in self.quotes.within(start, sentence.end):
            around.update(c for c in [quote.speaker, *quote.addressees] if c)
        around.update(people)
        return sorted(around) if len(around) == 2 else people

    @staticmethod
    def _add_speakers(people: list[str], quote, tokens) -> None:
        """Inside a quotation, "I"/"we" is its speaker and "you" its addressees."""
        if quote is None or not quote.speaker:
            return
        words = {t.lower_ for t in tokens}
        if words & FIRST_PERSON and quote.speaker not in people:
            people.append(quote.speaker)
        if words & SECOND_PERSON:
            people.extend(a for a in quote.addressees if a not in people)

    @staticmethod
    def _ranked(mentions, anchor: int) -> list[str]:
        order = sorted(mentions, key=lambda m: abs(m.start - anchor))
        return list(dict.fromkeys(m.character for m in order))

    def _antecedent(self, sentence: Sentence, head, known: str) -> str | None:
        """'Iruka kissed him' with 'him' unresolved: the most recent other character of a fitting gender."""
        pronouns = []
        for t in head.subtree:
            if t.lower_ not in THIRD_PERSON:
                continue
            mention = self.mentions.at(sentence.offset(t), sentence.offset(t) + len(t))
            # "Iruka kissed him": a plain object pronoun never means the clause's own subject, whatever
            # an earlier stage resolved it to.
            if mention is None or (mention.character == known and t.dep_ in ("dobj", "dative", "pobj")
                                   and not t.lower_.endswith("self")):
                pronouns.append(t)
        if not pronouns:
            return None
        wanted = "F" if pronouns[0].lower_ in {"she", "her", "hers", "herself"} else "M"
        earlier = self.mentions.within(max(0, sentence.start - 1500), sentence.start)
        for mention in reversed(earlier):
            gender = self.genders.get(mention.character)
            if mention.character != known and gender in (wanted, None):
                return mention.character
        return None


# -- the stage ------------------------------------------------------------------------------------------------

def collect(story: Story, ctx) -> dict[tuple[str, str], PairEvidence]:
    pairs: dict[tuple[str, str], PairEvidence] = defaultdict(PairEvidence)
    known = {c.id for c in story.characters}
    participants = Participants(story)
    participants.sentences = body_sentences(story, ctx)
    if participants.reader_insert:
        known.add(READER)
    if len(known) < 2:
        return pairs
    data = cues()
    for sentence in participants.sentences:
        text = story.text[sentence.start : sentence.end]
        best: dict[tuple[tuple[str, str], str], float] = {}
        for cue in find_cues(sentence):
            if is_unrealised(cue.token) or participants.in_name(sentence, cue.token):
                continue
            people = participants.of_cue(sentence, cue)
            if len(people) != 2 or not set(people) <= known:
                continue
            kind = cue.kind
            if kind == "romantic" and cue.physical:
                clause = clause_head(cue.token)
                if any(t.lemma_.lower() in data["family_nouns"] for t in clause.subtree):
                    continue  # "kissed her mother goodbye"
            weight = cue.weight
            if kind == "romantic" and cue.physical and _on_a_soft_place(cue.token):
                weight *= SOFT_KISS_FACTOR  # a kiss on the forehead or the cheek: kin and friends give those too
            key = (tuple(sorted(people)), kind)
            best[key] = max(best.get(key, 0.0), weight)
            if cue.family and not cue.by_address:
                # A kin word of address ("Is Mummy coming, daddy?") leans on attribution, which may have
                # given a child's line to the mother: it supports the pair but does not make them kin.
                pairs[key[0]].kin.add(sentence.start)
        for (pair, kind), weight in best.items():
            pairs[pair].add(kind, weight, sentence, text)
        _vocatives(story, sentence, text, participants, pairs, known)
    for quote in story.quotes:
        addressees = quote.addressees
        speaker = quote.speaker
        if participants.reader_insert:
            # In a reader-insert the unattributed voice answering is the reader's, and the unaddressed
            # lines are spoken to the reader.
            if speaker is None and addressees:
                speaker = READER
            elif speaker and not addressees:
                addressees = [READER]
        for addressee in addressees:
            if speaker and addressee != speaker and {speaker, addressee} <= known:
                evidence = pairs[tuple(sorted((speaker, addressee)))]
                evidence.lines += 1
                evidence.exchanges.append(Evidence(quote.start, quote.end, story.text[quote.start : quote.end]))
    _co_presence(story, participants, pairs)
    return pairs


def narrator_ids(story: Story) -> set[str]:
    """The first-person narrator, named or not (the characters stage gives it the alias "I")."""
    return {c.id for c in story.characters if c.name == NARRATOR_NAME or "I" in c.aliases}


def presence(story: Story, participants: "Participants") -> dict[str, set[int]]:
    """The body paragraphs each character is present in: named, or speaking.  Pronouns count only for a
    first-person narrator ("I"): a he/she resolved to the wrong person would make a side character central,
    and whoever a pronoun means is usually named or speaking in the same paragraph anyway."""
    paragraphs = participants.paragraphs
    starts = [p.start for p in paragraphs]
    narrators = narrator_ids(story)

    def paragraph_of(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < paragraphs[i].end else None

    present: dict[str, set[int]] = defaultdict(set)
    for mention in participants.mentions.mentions:
        if mention.kind == "pronoun" and mention.character not in narrators:
            continue
        i = paragraph_of(mention.start)
        if i is not None:
            present[mention.character].add(i)
    for quote in story.quotes:
        i = paragraph_of(quote.start)
        if i is not None and quote.speaker:
            present[quote.speaker].add(i)
    if participants.reader_insert:
        # The reader-insert is wherever the narration says "you".
        for i, paragraph in enumerate(paragraphs):
            for m in SECOND_PERSON_WORD.finditer(story.text, paragraph.start, paragraph.end):
                if participants.quotes.covering(m.start()) is None:
                    present[READER].add(i)
                    break
    return present


def narrated_paragraphs(story: Story, participants: "Participants") -> dict[str, set[int]]:
    """The body paragraphs whose narration names each character (names outside quotations): a person the
    story is about is named by the narrator, not only in the lines that attribution gave them."""
    paragraphs = participants.paragraphs
    starts = [p.start for p in paragraphs]
    out: dict[str, set[int]] = defaultdict(set)
    for mention in participants.mentions.mentions:
        if mention.kind == "pronoun" or participants.quotes.covering(mention.start) is not None:
            continue
        i = bisect.bisect_right(starts, mention.start) - 1
        if i >= 0 and mention.start < paragraphs[i].end:
            out[mention.character].add(i)
    return out


def _scene_of_paragraphs(story: Story, paragraphs) -> list[int]:
    breaks = sorted(b.start for b in story.blocks if b.kind == SCENE_BREAK)
    return [bisect.bisect_right(breaks, p.start) for p in paragraphs]


def _co_presence(story: Story, participants: "Participants", pairs) -> None:
    """Paragraphs and scenes two characters share, and the narration sentences that name both."""
    present = presence(story, participants)
    scene_of = _scene_of_paragraphs(story, participants.paragraphs)
    people = sorted(c for c in present if len(present[c]) >= 2)
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            together = present[a] & present[b]
            if together:
                evidence = pairs[tuple(sorted((a, b)))]
                evidence.together = together
                evidence.scenes = {scene_of[p] for p in together}
    for sentence in participants.sentences:
        if participants.quotes.covering(sentence.start) is not None:
            continue
        named = {m.character for m in participants.mentions.within(sentence.start, sentence.end)}
        if len(named) == 2:
            pair = tuple(sorted(named))
            if pair in pairs:
                pairs[pair].shared.append(Evidence(sentence.start, sentence.end,
                                                   story.text[sentence.start : sentence.end]))


def _vocatives(story, sentence, text, participants, pairs, known) -> None:
    """'Iruka-sensei!' said by Naruto: platonic evidence for Naruto & Iruka."""
    suffixes = cues()["vocatives"]
    for mention in participants.mentions.within(sentence.start, sentence.end):
        surface = mention.text.lower()
        for suffix, weight in suffixes.items():
            if surface.endswith("-" + suffix):
                quote = participants.quotes.covering(mention.start)
                if quote and quote.speaker and quote.speaker != mention.character and quote.speaker in known:
                    pairs[tuple(sorted((quote.speaker, mention.character)))].add("platonic", weight, sentence, text)
                break


def confidence(score: float, lines: int) -> float:
    return round(min(0.99, 1 - 0.5 ** (score / 2) + min(0.1, 0.01 * lines)), 3)


def is_reader_insert(story: Story) -> bool:
    return story.narrative.pov == "second"


def _title_words() -> set[str]:
    return set(lexicons.load_json("honorifics.json")["titles"])


def _bare_name(name: str) -> str:
    """A display name without a leading title ("Captain Ines Ortega" -> "Ines Ortega") when a full name
    remains; a tag names the person, not the rank."""
    words = name.split()
    if len(words) >= 3 and words[0].rstrip(".").lower() in _title_words():
        return " ".join(words[1:])
    return name


def _without_title(name: str) -> list[str]:
    words = name.split()
    if len(words) >= 2 and words[0].rstrip(".").lower() in _title_words():
        return words[1:]
    return words


def _full_name(character) -> str:
    """The fullest proper name the story gives the character ("Cass" called "Detective Cass Moreno" once:
    "Cass Moreno"; "Sir Aldric", once "Sir Aldric Vane": "Aldric Vane"), as AO3 tags write full names; the
    display name without a title when two words or more remain, else the display name."""
    core = _without_title(character.name)
    best, best_length = _bare_name(character.name), len(core)
    for alias in character.aliases:
        alias_words = _without_title(alias)
        if (
            best_length < len(alias_words) <= 4
            and all(w in alias_words for w in core)
            and all(w[:1].isupper() for w in alias_words)
        ):
            best, best_length = " ".join(alias_words), len(alias_words)
    return best


def tag_names(story: Story, pair: tuple[str, str], names_for: dict[str, str] | None = None) -> dict[str, str]:
    """The names a relationship tag uses: canonical names from a pack or list, else display names without a
    title; an AO3 disambiguator ("Castiel (Supernatural)") is dropped when the two names stay distinct, as
    AO3's relationship tags write "Castiel/Dean Winchester"."""
    names = {}
    for c in pair:
        if c == READER:
            names[c] = "Reader"
            continue
        if names_for and c in names_for:
            names[c] = names_for[c]
            continue
        character = story.character(c)
        names[c] = tag_name(story, c) if character is None or character.canonical_name else _full_name(character)
    stripped = {c: DISAMBIGUATOR.sub("", n) or n for c, n in names.items()}
    if len({n.casefold() for n in stripped.values()}) == len(stripped):
        names = stripped
    return names


def relationship_tag(story: Story, pair: tuple[str, str], kind: str,
                     names_for: dict[str, str] | None = None) -> tuple[list[str], str]:
    # Alphabetical by tag name, the reader last as AO3 writes it ("Dean Winchester/Reader").
    names = tag_names(story, pair, names_for)
    ordered = sorted(pair, key=lambda c: (c == READER, names[c].casefold()))
    return ordered, ("/" if kind == "romantic" else " & ").join(names[c] for c in ordered)


def narrator_name(story: Story) -> tuple[str, str] | None:
    """(narrator id, id of the character that is the narrator's name) when a first-person narrator left unnamed
    by the characters stage is called by a name that the narration never uses: "Mara," he said, and "Mara" is
    never in the narration nor anyone else the narrator talks about."""
    narrator = next((c for c in story.characters if c.name == NARRATOR_NAME), None)
    if narrator is None:
        return None
    quotes = QuoteIndex(story.quotes)
    candidates = []
    by_character: dict[str, list] = defaultdict(list)
    for mention in story.mentions:
        if mention.character and mention.character != narrator.id:
            by_character[mention.character].append(mention)
    for character, mentions in by_character.items():
        named = [m for m in mentions if m.kind != "pronoun"]
        if not named or len(named) != len(mentions):
            continue
        # Every mention a vocative inside a quotation (never the narration), at least one in someone else's line.
        ok = all(
            quotes.covering(m.start) is not None
            and (m.kind == "vocative" or story.text[m.end : m.end + 1] in VOCATIVE_FOLLOWERS)
            for m in named
        ) and any(quotes.covering(m.start).speaker not in (None, narrator.id) for m in named)
        if ok:
            candidates.append(character)
    if len(candidates) != 1:
        # "Kirishima POV" in the note: the narrator even where the narration names him as others do.
        candidates = [c for c in [declared_narrator(story)] if c and c != narrator.id]
    return (narrator.id, candidates[0]) if len(candidates) == 1 else None


def _kin_by_name(story: Story, character_id: str) -> bool:
    """A character called by a kinship word ("Obaachan", "Grandma", "Mom"): a relative of the one whose story
    it is, never a romance."""
    character = story.character(character_id)
    if character is None or character.canonical_name:
        return False
    return character.name.casefold().replace("-", "") in cues()["kinship_names"]


def _narrator_alias(character) -> str | None:
    """A proper name among an unnamed narrator's aliases, if the characters stage recorded one."""
    if character.name != NARRATOR_NAME:
        return None
    for alias in character.aliases:
        words = alias.split()
        if words and alias.casefold() not in FIRST_PERSON and all(w[:1].isupper() for w in words):
            return alias
    return None


def _untaggable(story: Story, narrator: str | None) -> set[str]:
    """Characters no tag can name: an unnamed narrator (a reader cannot filter on "the narrator"), a
    description rather than a name ("the unit"), a word of address taken for a name ("Dude")."""
    address = set(cues()["address_words"])
    out = set()
    for c in story.characters:
        if c.canonical_name:
            continue
        if c.name == NARRATOR_NAME:
            if c.id != narrator:
                out.add(c.id)
        elif (c.name.split() or [""])[0] in DESCRIPTION_OPENERS or c.name.casefold() in address:
            out.add(c.id)
    return out


def _renamed(pairs: dict[tuple[str, str], PairEvidence], old: str, new: str) -> dict[tuple[str, str], PairEvidence]:
    """The pairs with ``old`` read as ``new`` (two people found to be one), their evidence merged."""
    merged: dict[tuple[str, str], PairEvidence] = defaultdict(PairEvidence)
    for pair, evidence in pairs.items():
        renamed = tuple(sorted(new if c == old else c for c in pair))
        if renamed[0] != renamed[1]:
            merged[renamed].merge(evidence)
    return merged


def _reader_character(story: Story) -> str | None:
    """The character the characters stage made of the reader of a story told to "you" ("Y/N"), if any."""
    if not is_reader_insert(story):
        return None
    return next((c.id for c in story.characters if "you" in c.aliases), None)


def run(story: Story, ctx) -> None:
    pairs = collect(story, ctx)
    reader_character = _reader_character(story)
    if reader_character:
        pairs = _renamed(pairs, reader_character, READER)  # "Y/N" is the reader-insert, tagged "Reader"
    named_narrator = narrator_name(story)
    names_for: dict[str, str] = {}
    if named_narrator:
        narrator, name_character = named_narrator
        names_for[narrator] = story.character(name_character).name
        pairs = _renamed(pairs, name_character, narrator)
    for c in story.characters:
        # A narrator the characters stage knows a name for ("My name is Theo", kept as an alias).
        alias = _narrator_alias(c)
        if alias and c.id not in names_for:
            names_for[c.id] = alias
    for kind, pair, note in declared_pairings(story, READER if is_reader_insert(story) else None):
        if named_narrator:  # the narrator's name, declared, is the narrator
            pair = tuple(sorted(named_narrator[0] if c == named_narrator[1] else c for c in pair))
        evidence = pairs.setdefault(pair, PairEvidence())
        if evidence.declared is None:
            evidence.declared = kind
            evidence.evidence[kind].insert(0, note)
    excluded = _untaggable(story, named_narrator[0] if named_narrator else None) - set(names_for)
    pairs = {p: e for p, e in pairs.items() if not set(p) & excluded}
    participants = Participants(story)
    present = presence(story, participants)
    if named_narrator:
        present[named_narrator[0]] |= present.pop(named_narrator[1], set())
    if reader_character:
        present[READER] |= present.pop(reader_character, set())
    most_present = max((len(v) for c, v in present.items() if c not in excluded), default=0)
    main = {c for c, v in present.items() if c not in excluded and len(v) >= MAIN_SHARE * most_present}
    narrated = narrated_paragraphs(story, participants)
    narrators = narrator_ids(story) | {READER}
    # The strongest exchange among those that could be one: main characters, enough lines, a shared scene.
    strongest = max((e.interaction() for p, e in pairs.items() if set(p) <= main
                     and all(len(narrated.get(c, ())) >= MIN_NARRATED or c in narrators for c in p)
                     and e.lines >= INTERACTION_MIN_LINES and len(e.together) >= MIN_TOGETHER), default=0)
    ranked = sorted(main, key=lambda c: (-len(present[c]), c))
    central_two = set(ranked[:2])
    # Each character's strongest romantic evidence: a pairing must come near it (in a novel every sentence
    # about a marriage touches the heroine; only her own romance counts).
    best_romance: dict[str, float] = defaultdict(float)
    for pair, evidence in pairs.items():
        for c in pair:
            best_romance[c] = max(best_romance[c], evidence.scores["romantic"])
    found = []
    for pair, evidence in pairs.items():
        kind = None
        romantic = evidence.scores["romantic"]
        family = (len(evidence.kin) >= 2 and len(evidence.kin) >= len(evidence.evidence["romantic"]) / 2) or any(
            _kin_by_name(story, c) for c in pair)
        if evidence.declared:
            kind = evidence.declared
        elif (
            romantic >= ROMANTIC_MIN
            and (evidence.lines or len(evidence.evidence["romantic"]) >= 2 or len(evidence.together) >= MIN_TOGETHER)
            and not family
            and all(romantic >= ROMANTIC_SHARE * best_romance[c] for c in pair)
        ):
            kind = "romantic"
        elif family and romantic >= ROMANTIC_MIN and (evidence.lines or len(evidence.together) >= MIN_TOGETHER):
            # Kin who kiss and say "I love you": family affection, tagged "A & B" on that evidence.
            evidence.scores["platonic"] += romantic
            evidence.evidence["platonic"] = sorted(evidence.evidence["platonic"] + evidence.evidence["romantic"],
                                                   key=lambda e: e.start)
            kind = "platonic"
        elif (evidence.scores["platonic"] >= PLATONIC_MIN
              and len(evidence.evidence["platonic"]) >= PLATONIC_MIN_SENTENCES):
            kind = "platonic"
        elif (evidence.kin and set(pair) <= main and evidence.lines >= INTERACTION_MIN_LINES
              and len(evidence.together) >= MIN_TOGETHER):
            kind = "platonic"  # kin the narration names once ("the two cousins"), and lines between them
        by_interaction = False
        if kind is not None:
            score = evidence.scores[kind] + (DECLARED_SCORE if evidence.declared else 0.0)
            chosen = evidence.evidence[kind][:MAX_EVIDENCE]
            conf = confidence(score, evidence.lines)
        elif (
            set(pair) <= main
            and all(len(narrated.get(c, ())) >= MIN_NARRATED or c in narrators for c in pair)
            and evidence.lines >= INTERACTION_MIN_LINES
            and len(evidence.together) >= MIN_TOGETHER
            and evidence.interaction() >= DOMINANT_SHARE * strongest
        ):
            # The story's dominant exchange between two of its main characters: what it is about even when
            # no sentence names the bond.
            kind, score, by_interaction = "platonic", 0.0, True
            candidates = evidence.evidence["platonic"] + evidence.shared[:2] + evidence.exchanges
            # One entry per span (a sentence may be both a weak cue and the narration naming the two).
            chosen = sorted({e.start: e for e in reversed(candidates)}.values(), key=candidates.index)[:MAX_EVIDENCE]
            chosen.sort(key=lambda e: e.start)
            conf = round(min(INTERACTION_MAX_CONFIDENCE, 0.2 + 0.01 * evidence.interaction()), 3)
        else:
            continue
        characters, tag = relationship_tag(story, pair, kind, names_for)
        relationship = Relationship(characters=characters, kind=kind, tag=tag, confidence=conf, evidence=chosen)
        found.append((score + 0.1 * evidence.interaction(), relationship, by_interaction))
    # A story with a romance is about it: a third character's exchange with one of the lovers, with no bond
    # named, is the scene they share, not a pairing.
    lovers = {c for _, r, _ in found if r.kind == "romantic" for c in r.characters}
    found = [(w, r, i) for w, r, i in found if not (i and lovers & set(r.characters))]
    # By interaction alone a character is in one pair: the pair sharing more paragraphs first, then the pair
    # whose less-narrated member the narration names more often (attribution may hand one person's lines to
    # another; the narration does not), then the two most present characters.
    def standing(item):
        relationship = item[1]
        evidence = pairs[tuple(sorted(relationship.characters))]
        named_by_narrator = min(len(narrated.get(c, ())) for c in relationship.characters)
        return (-len(evidence.together), -named_by_narrator, set(relationship.characters) != central_two,
                -evidence.lines)

    paired: set[str] = set()
    kept = []
    for item in sorted((x for x in found if x[2]), key=standing):
        if not paired & set(item[1].characters):
            paired.update(item[1].characters)
            kept.append(item)
    found = [(w, r) for w, r, i in found if not i or any(r is k[1] for k in kept)]
    found.sort(key=lambda item: (-item[0], item[1].tag))
    story.tags.relationships = [r for _, r in found[:MAX_RELATIONSHIPS]]
