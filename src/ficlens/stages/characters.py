"""Stage 'characters': find who the story names, gather their names into characters, resolve pronouns.

How it works, in order:

1. Scan the body for capitalised name sequences, with their titles ("Mr.", "Lady") and honorific suffixes
   ("-sensei", "-kun"), noting for each occurrence what surrounds it (speech verb, action verb, "in"/"the",
   vocative position inside a quotation).  A sentence's first word that the text also writes in lower case
   is left out of the name after it ("Poor Tom", "Give Meg my love").
2. Keep a name when the text shows it behaving as a person (a title or honorific, the subject of a speech
   or action verb, addressed in a quotation, "Cressida is crying", "Georgi puts his phone away") more than as
   a place or a thing ("in Konoha", "the Academy"); not a word capitalised only where sentences open
   ("Good-bye"), a family ("the Wilcoxes"), a sound ("NOOO"), or a place taken in through a name part ("New
   York" beside a York).  An ordinary word the text also writes with an honorific is a name there ("Park" of
   "Park-seonsaengnim").  A name with no cue either way ("Watari had it ready") is a person when spaCy's
   recogniser says so around it (``characters_ner``).
3. Cluster the names: a full name takes its parts in either order ("Hatake Kakashi", "Kakashi Hatake",
   "Kakashi", "Hatake"); titled surnames stay apart ("Mr. Bennet", "Mrs. Bennet", "Miss Bennet") and a
   first name that fits two full names stays apart too, unless the text uses one of them far more ("Tom"
   is Tom Bertram beside one Tom Oliver).  "Miss Elizabeth", "Sir Walter" join their full names; "the
   Colonel" joins the one colonel; a bare surname goes to the family's one "Mr."; a titled name joins the
   one full name it fits unless the two are named in one sentence ("Mr. Emerson and George"); a familiar
   form joins its given name ("Lizzy", lexicons/nicknames.txt); an epithet ("the Tinker") joins the name the
   replies beside its lines call it by.  With a roster, mentions map onto it first.
4. Gender from titles, honorifics, the name's own words ("shook her head") and the pronouns that follow a
   name (not an object, "saw him"); pronoun mentions linked to the most recent character of the same
   gender; a first-person narrator when the narration says "I".
5. Kin descriptions in narration ("her husband", "Anne's sister") become nominal mentions of the person the
   text names beside them, named so before, or that the family names settle (``description_character``);
   so are descriptions ("the old gentleman", "the doctor") the narration puts in apposition with a name
   ("Mr. Brownlow, the old gentleman,") or says beside one person's name far more than anyone's.

The result is ``story.characters`` (ids ``c1``, ``c2``... by mentions, most first) and ``story.mentions``.
What attribution needs (tokens, mentions per paragraph, genders, the narrator) goes to ``ctx.cache``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from functools import lru_cache
from dataclasses import dataclass, field

from .. import lexicons
from . import characters_ner
from ..model import Character, Mention, Story
from ..roster import ROSTER_FROM_THE_WORK, RosterEntry, canon_character, common_given_names
from .characters_text import (
    ADDRESS_PREPOSITIONS,
    CLOSING_QUOTES,
    OPENING_QUOTES,
    QUOTE_CHARS,
    SENTENCE_END,
    QuoteMask,
    Token,
    address_verbs,
    agent_verbs,
    calling_nouns,
    clause_openers,
    epithet_stopwords,
    nominal_marks,
    body_paragraphs,
    given_name_genders,
    gives_own_name,
    patronymic_gender,
    place_heads,
    honorifics,
    is_familiar_form,
    nicknames,
    nominals,
    normalise_name,
    pronoun_gender,
    role_nouns,
    pronouns,
    reader_insert_markers,
    speech_verbs,
    split_honorific,
    stopwords,
    strip_possessive,
    tokens,
)

CACHE_KEY = "characters"
PARTICLES = {"de", "van", "von", "du", "le", "la", "di", "da", "del", "der", "den", "ten", "ter", "al", "bin", "no"}
PLACE_PREPOSITIONS = {"in", "at", "from", "to", "into", "near", "toward", "towards", "through", "across",
                      "around", "outside", "inside", "within", "via", "of", "onto", "over", "reach", "under", "beneath",
                      "above", "below", "beyond"}
DETERMINERS = {"the", "a", "an", "this", "that", "every", "each", "our", "their", "its"}
NARRATOR_NAME = "the narrator"
CONTRACTION_TAILS = {"you", "ye", "ee", "t", "ll", "re", "ve", "m", "d", "em", "all"}


@dataclass
class NameOcc:
    """One occurrence of a candidate name in the body."""

    start: int
    end: int
    words: tuple[str, ...]  # name words, honorific and possessive removed
    title: str | None  # lower-case title without period
    suffix: str | None
    paragraph: int
    token_index: int  # index of the first name token in the paragraph's tokens
    in_quote: bool
    determiner: bool = False  # "the Hatter"
    vocative: bool = False
    person: float = 0.0  # evidence that this occurrence is a person
    place: float = 0.0  # evidence that it is a place or a thing
    speech: bool = False  # subject of a speech verb
    particle: str | None = None  # "De" of "De Griers", kept for display, not for matching
    initial: bool = False  # at the start of a sentence or a quotation, where any word is capitalised
    kin: str | None = None  # a kin word written small before the name: "aunt" of "my aunt Bertram"

    @property
    def key(self) -> tuple[str, ...]:
        return (("the",) if self.determiner else ()) + self.words


@dataclass
class Cluster:
    keys: set = field(default_factory=set)
    forms: Counter = field(default_factory=Counter)  # surface forms (title kept, honorific dropped)
    occurrences: list = field(default_factory=list)
    gender_votes: Counter = field(default_factory=Counter)
    roster: RosterEntry | None = None
    familiar: set = field(default_factory=set)  # familiar forms joined to this given name ("Lizzy")


def _title_of(word: str) -> str | None:
    w = word.lower().rstrip(".'’")  # "Mis' Jones"
    return w if w in honorifics()["titles"] else None


def _is_name_word(tok: Token) -> bool:
    if not tok.is_word():
        return False
    word, _ = strip_possessive(tok.text)
    word, suffix = split_honorific(word)
    if suffix and word[:1].isupper() and word.isalpha() and len(word) > 1 and word.lower() not in speech_verbs():
        return True  # "Honey-senpai": a stop-word the text calls someone by, with an honorific
    if _serial_name(word):
        return True  # "2B", "9S", "A2": an android's or a clone's designation
    if not tok.text[0].isupper() or (len(word) < 2 and word != "I"):
        return False
    if word.isupper() and len(word) > 1 and not word.isalpha():
        return False
    head, _, tail = word.lower().replace("’", "'").partition("'")  # "I'm", "Don't"
    if tail in CONTRACTION_TAILS and word.replace("’", "'").split("'")[-1].islower():
        return False  # "D'you", "Y'all" (but "D'Artagnan", "O'Brien" are names)
    if word.lower() in speech_verbs():  # "Said Helen, ..."
        return False
    return word.lower() not in stopwords() and head not in stopwords() and not any(ch.isdigit() for ch in word)


def _without_vocative_particle(word: str, cap_counts: Counter) -> str:
    """"Yoongi-ya", "Jimin-ah" said in a line: the name without the Korean vocative particle, where the story
    also writes the name alone ("Seo-ah", a given name, stays whole)."""
    head, _, particle = word.rpartition("-")
    if head and particle.lower() in honorifics()["vocative_particles"] and cap_counts[head]:
        return head
    return word


def _serial_name(word: str) -> bool:
    """A designation of two to four capitals and digits, with both ("2B", "9S", "A2", "21O")."""
    return 2 <= len(word) <= 4 and word.isalnum() and word.isupper() and any(ch.isdigit() for ch in word) \
        and any(ch.isalpha() for ch in word)


def _adverb_like(word: str) -> bool:
    """An -ly word no given-name list knows ("Eventually", "Gingerly"; not "Emily", "Kelly"): a sentence opener
    even where the story never writes it in lower case."""
    w = word.lower()
    return w.endswith("ly") and not _given_name(w)


def _plural_like(word: str) -> bool:
    """A word shaped like a plural noun that no given-name list knows ("Soldiers", "Villagers"; not "James")."""
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s")) and not _given_name(w)


def _given_name(lower_word: str) -> bool:
    return lower_word in given_name_genders() or lower_word in common_given_names()


def _titled_word(tok: Token) -> bool:
    """A capitalised word that is no name alone but is one after a title: "Mrs. Hill", "President Sunday"
    (not a pronoun, a title or a speech verb: "Sir, I...", "Mr. Said")."""
    if not tok.is_word() or not tok.text[0].isupper() or not tok.text.isalpha():
        return False
    w = tok.lower
    return len(w) >= 3 and pronoun_gender(w) is None and _title_of(w) is None and w not in speech_verbs() \
        and not tok.text.isupper()


def _position(toks: list[Token], j: int, text: str) -> str:
    """'initial' (sentence start), 'afterquote' (after a closing quote: tag position), or 'mid'."""
    if j == 0:
        return "initial"
    prev = toks[j - 1]
    if prev.text in SENTENCE_END or prev.text in ":;(—–":
        return "initial"
    if prev.text in QUOTE_CHARS:
        closing = prev.text in CLOSING_QUOTES or (
            prev.text not in OPENING_QUOTES and prev.end < toks[j].start  # straight quote then a space
        )
        if not closing:
            return "initial"
        before = toks[j - 2].text if j >= 2 else ""
        return "afterquote" if before in "!?.…" else "mid"
    return "mid"


# after a name that opens a line: '," said she, "speaks' -- the line goes on after its tag with the name's verb
# (not '," the porter said, "your taxi is here"', a call)
SUBJECT_RESUMED = re.compile(r',\s*["\u201d\u2019\']\s[^"\u201c\u201d\n]{1,80}?[,:]\s*["\u201c\u2018\']\s*([a-z]+)')
NOT_A_VERB = frozenset({"this", "thus", "yours", "ours", "theirs", "hers", "perhaps", "unless"})
MODALS = frozenset({"will", "can", "should", "shall", "may", "might", "must", "does"})


def _resumed_as_subject(text: str, end: int) -> bool:
    """Whether the line that a name at ``end`` opens goes on, after its tag, with that name's verb."""
    m = SUBJECT_RESUMED.match(text, end)
    if not m:
        return False
    word = m.group(1)
    return word in AFTER_A_PERSON or word in MODALS \
        or (word.endswith(("s", "ed")) and word not in NOT_A_VERB and len(word) > 2)


HELD_LETTER = re.compile(r"(\w)\1\1", re.I)  # a letter three times over: "Byeee", "NOOO"
BEING = frozenset({"is", "was"})
NEGATED = frozenset({"doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "isn't", "wasn't", "hasn't",
                     "hadn't"})
OTHER_PREPOSITIONS = frozenset({"on", "with", "for", "by", "about", "like", "under", "behind", "beside", "against"})
OWN_PRONOUNS = frozenset({"his", "her", "him", "himself", "herself"})
CLAUSE_REACH = 5  # words after a name within which "his"/"her" still belongs to its clause


def _acts_as_a_person(toks: list[Token], m: int) -> bool:
    """What follows a name at ``toks[m]`` shows a person doing something, in ways no verb list holds and
    present-tense fan fiction writes all the time: "X is/was -ing" ("Cressida is crying"); "X doesn't/can't..."
    ("Anselm doesn't look up"); a verb and, in the few words of its clause, "his"/"her" ("Georgi puts his phone
    away", "Pollux counting pipes under his breath"); ", who" ("Lafayette, who does nothing quietly")."""
    if m >= len(toks):
        return False
    first = toks[m]
    if first.text == "," and m + 1 < len(toks) and toks[m + 1].lower == "who":
        return True
    if not first.text.islower() or not first.is_word():
        return False
    if first.lower in BEING and m + 1 < len(toks) and toks[m + 1].lower.endswith("ing") \
            and toks[m + 1].text.islower() and len(toks[m + 1].text) > 4:
        return True
    if first.lower.replace("\u2019", "'") in NEGATED and m + 1 < len(toks) and toks[m + 1].text.islower():
        return True  # "Anselm doesn't look up"
    if not first.lower.endswith(("s", "ed")) or first.lower.endswith(("ss", "us", "is")):
        return False  # a verb, in the present or the past: not "Hot blood ran over her wrist"
    if first.lower in clause_openers() or first.lower in PLACE_PREPOSITIONS or first.lower in OTHER_PREPOSITIONS:
        return False  # "Snot and tears running into his beard", "Ahead of her": no verb after the word
    for t in toks[m + 1 : m + 1 + CLAUSE_REACH]:
        if not t.is_word() or t.in_quote:
            return False
        if t.lower in OWN_PRONOUNS:
            return True
    return False


def _addressed_after_verb(toks: list[Token], first: int, verbs) -> bool:
    """Whether the "to" before toks[first] follows a speech verb or one of lexicons/address_verbs.txt, perhaps
    with the speaker's name between ("said Mr. Brandon to", "turned to")."""
    k = first - 2
    while k >= 0 and first - k <= 5 and (toks[k].is_cap() or toks[k].text == "."):
        k -= 1  # back over "Mr. Brandon"
    return k >= 0 and (toks[k].lower in verbs or toks[k].lower in address_verbs())


def _tag_named_words(text: str, toks_by_par) -> frozenset[str]:
    """Ordinary words that are someone's name here: capitalised right beside a quotation's speech verb at
    least twice ('"Three years," said Good.', '"Fine," Will said.'), or once where the narration also writes it
    before a surname inside a sentence ("That was how Will Solace found me"), where a word names who speaks (not
    after a quotation that ends its sentence: '"Go." So said, she left.')."""
    verbs = speech_verbs()
    found: Counter = Counter()
    before_a_name: Counter = Counter()
    for toks in toks_by_par:
        for i, tok in enumerate(toks):
            if tok.in_quote or not tok.text[:1].isupper() or not tok.text.isalpha() or tok.lower not in stopwords() \
                    or pronoun_gender(tok.lower) is not None or _title_of(tok.text):
                continue
            inverted = i >= 2 and toks[i - 1].lower in verbs and toks[i - 2].text in QUOTE_CHARS
            plain = i >= 1 and toks[i - 1].text in QUOTE_CHARS and i + 1 < len(toks) and toks[i + 1].lower in verbs \
                and _char_before(text, toks[i - 1].start) in (",", "?", "!", "-", "—", "–")
            if inverted or plain:
                found[tok.text] += 1
            after = toks[i + 1] if i + 1 < len(toks) else None
            if i >= 1 and toks[i - 1].text.isalpha() and toks[i - 1].text.islower() and tok.lower not in DETERMINERS \
                    and after is not None and after.text[:1].isupper() and after.text.isalpha() \
                    and after.start == tok.end + 1 and after.lower not in stopwords() and not _title_of(after.text):
                before_a_name[tok.text] += 1
    return frozenset(w for w, k in found.items() if k >= 2 or before_a_name[w])


def _verb_named_words(text: str, toks_by_par, lower_counts: Counter) -> frozenset[str]:
    """Speech verbs that are someone's name here ("Howl" of Howl's Moving Castle): written capitalised inside a
    sentence of the narration at least twice ("from Howl.", "on Howl's shoulder") and never in lower case."""
    verbs = speech_verbs()
    found: Counter = Counter()
    for toks in toks_by_par:
        for i, tok in enumerate(toks):
            if tok.in_quote or not tok.text[:1].isupper():
                continue
            word = strip_possessive(tok.text)[0]
            if word.isalpha() and word.lower() in verbs and not lower_counts[word.lower()] \
                    and _position(toks, i, text) == "mid":
                found[word] += 1
    return frozenset(w for w, k in found.items() if k >= 2)


def _char_before(text: str, offset: int) -> str:
    """The last character before ``offset`` that is not white space ("" at the start)."""
    k = offset - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return text[k] if k >= 0 else ""


def _kin_named_words(toks_by_par) -> frozenset[str]:
    """Kin words the narration uses as a name at least twice ("Mom laughed.", "told Dad"; lexicons/kin_names.txt):
    capitalised, with no "my" or "the" before them and no name after ("Aunt May", "Father Brown" are titles)."""
    kin = _kin_names()
    owners = {"my", "his", "her", "their", "our", "your", "the", "a", "an"}
    found: Counter = Counter()
    for toks in toks_by_par:
        for i, tok in enumerate(toks):
            if tok.in_quote or tok.lower not in kin or not tok.text[:1].isupper() or tok.text.isupper():
                continue
            if i > 0 and (toks[i - 1].lower in owners or toks[i - 1].text.endswith(("'s", "’s"))):
                continue
            if i + 1 < len(toks) and toks[i + 1].text[:1].isupper() and toks[i + 1].is_word():
                continue
            found[tok.text] += 1
    return frozenset(w for w, k in found.items() if k >= 2)


def _honorific_named_words(toks_by_par) -> frozenset[str]:
    """Ordinary words the text also writes with a name's honorific ("Park-seonsaengnim", "Honey-senpai"): a
    name here, so "Park Eunhee came in" keeps its family name (not words of two letters: "In" of a name cut
    at its hyphen)."""
    found = set()
    for toks in toks_by_par:
        for tok in toks:
            if "-" not in tok.text:
                continue  # most tokens: no honorific to split off
            word, suffix = split_honorific(strip_possessive(tok.text)[0])
            if suffix and len(word) > 2 and word.isalpha() and word[0].isupper() and word.lower() in stopwords():
                found.add(word)
    return frozenset(found)


def _scan(text: str, paragraphs, toks_by_par, lower_counts: Counter | None = None,
          cap_counts: Counter | None = None, tag_named: frozenset[str] = frozenset(),
          word_named: frozenset[str] = frozenset()) -> list[NameOcc]:
    """Every capitalised name sequence (with title and honorific) in the body, with its context.

    ``lower_counts`` (how often each word is written in lower case) lets a sentence's first word that is an
    ordinary word ("Poor Fanny", "Give Meg my love", "Whether Helen...") be left out of the name after it.
    ``tag_named`` are ordinary words that are names here (``_tag_named_words``), except where a sentence opens
    ("Will you come?"); ``word_named`` kin words and speech verbs that are (``_kin_named_words``: "Mom laughed.";
    ``_verb_named_words``: "Howl looked up"; ``_honorific_named_words``: "Park Eunhee" beside "Park-seonsaengnim"),
    anywhere, with or without a possessive."""
    lower_counts = lower_counts if lower_counts is not None else Counter()
    cap_counts = cap_counts if cap_counts is not None else Counter()
    occs: list[NameOcc] = []
    verbs = speech_verbs()
    agents = agent_verbs()
    for p, toks in enumerate(toks_by_par):
        j = 0
        n = len(toks)

        def name_word(i: int) -> bool:
            return _is_name_word(toks[i]) or strip_possessive(toks[i].text)[0] in word_named \
                or (toks[i].text in tag_named and _position(toks, i, text) != "initial")

        while j < n:
            tok = toks[j]
            title = None
            title_particle = None
            k = j
            if tok.is_word() and tok.text[0].isupper() and _title_of(tok.text):
                nxt = k + 1
                if nxt < n and toks[nxt].text == ".":
                    # "Mr. Hill", but "...posthumously Brigadier General. Shot in a phone booth": the sentence ended
                    nxt = nxt + 1 if _title_of(tok.text) in honorifics()["abbreviated_titles"] else n
                if nxt + 1 < n and toks[nxt].text in PARTICLES and _is_name_word(toks[nxt + 1]) \
                        and not _title_of(toks[nxt + 1].text):  # not "the Marquis de St. Eustache"
                    title_particle = toks[nxt].text  # "Professor de Worms", "Madame de Supplice"
                    nxt += 1
                # "Mrs. Hill" but not "...the Colonel. And": a period after a full word ends its sentence
                if nxt < n and (_is_name_word(toks[nxt]) or (_titled_word(toks[nxt]) and (
                        nxt == k + 1 or len(tok.text) <= 3))):
                    title = _title_of(tok.text)
                    k = nxt
            bare_title = k == j and _title_of(tok.text) and not (j > 0 and toks[j - 1].lower == "the")
            if not (name_word(k) or (title and _titled_word(toks[k]))) or bare_title:
                # "the General" may be a person; "Mrs" alone is not
                j += 1
                continue
            words = []
            suffix = None
            possessive = False
            m = k
            while m < n:
                t = toks[m]
                if len(words) >= 2 and lower_counts[strip_possessive(t.text)[0].lower()] >= 2:
                    break  # "Lucy Honeychurch Drive Out": a heading in title case goes on past the name
                if (name_word(m) or (title and m == k and _titled_word(t))) \
                        and not (words and _title_of(t.text) and m + 1 < n and toks[m + 1].text == "."):
                    word, poss = strip_possessive(t.text)
                    word, suf = split_honorific(word)
                    if suf is None and t.in_quote:
                        word = _without_vocative_particle(word, cap_counts)
                    if word.isupper() and len(word) > 1 and cap_counts[word.capitalize()]:
                        word = word.capitalize()  # "HELEN" in a letter's heading is Helen
                    words.append(word)
                    m += 1
                    if poss or suf:
                        suffix, possessive = suf, poss
                        break
                    continue
                if words and t.lower in PARTICLES and m + 1 < n and _is_name_word(toks[m + 1]) and toks[m].text.islower():
                    words.append(t.text)
                    m += 1
                    continue
                break
            if not words:
                j += 1
                continue
            while not title and len(words) > 1 and (lower_counts[words[0].lower()] or _adverb_like(words[0])) \
                    and _position(toks, k, text) == "initial" and words[1][0].isupper():
                words = words[1:]  # capitalised only because it starts the sentence ("Eventually Tifa laughs")
                k += 1
                tok = toks[k]
            particle = title_particle
            if len(words) > 1 and words[0].lower() in PARTICLES:  # "De Griers" is Griers of the family De
                particle, words = words[0], words[1:]
            elif not title and k > 0 and toks[k - 1].lower in PARTICLES and toks[k - 1].text.islower() \
                    and toks[k - 1].end + 1 == tok.start and (k < 2 or toks[k - 2].lower not in PARTICLES):
                particle = toks[k - 1].text  # "de Griers"
            first = j if title else k
            start, end = toks[first].start, toks[m - 1].end
            prev = toks[first - 1].lower if first > 0 else ""
            nxt_tok = toks[m] if m < n else None
            nxt = nxt_tok.lower if nxt_tok else ""
            if nxt.endswith("ly") and m + 1 < n:  # "Iruka quietly said"
                nxt2 = toks[m + 1].lower
                nxt = nxt2 if (nxt2 in verbs or nxt2 in agents) else nxt
            occ = NameOcc(start, end, tuple(words), title, suffix, p, k, tok.in_quote)
            occ.particle = particle
            occ.initial = _position(toks, k, text) == "initial"
            occ.determiner = prev in ("the",) and not title
            if not title and first > 0 and toks[first - 1].text.islower() and prev in honorifics()["kinship_titles"]:
                occ.kin = prev
            pos = _position(toks, first, text)
            if title or suffix:
                occ.person += 2
            elif any(patronymic_gender(w) for w in words[1:]):
                occ.person += 2  # "Nadia Ivanovna": a father's name made a middle name is a person's
            if nxt in verbs:
                occ.person += 2
                occ.speech = True
            elif nxt in agents or (nxt.endswith("ed") and len(nxt) > 4 and nxt_tok is not None and nxt_tok.text.islower()):
                occ.person += 1
            elif (pos == "initial" and len(words) >= 2 and not occ.determiner and not occ.in_quote
                  and len(nxt) > 3 and nxt.endswith("s")
                  and not nxt.endswith(("ss", "us", "is", "'s", "’s")) and nxt_tok.text.islower()):
                occ.person += 1  # "Marisol Vega runs it on her own": a full name as a present-tense subject
            elif not (occ.in_quote or occ.determiner or possessive or prev in PLACE_PREPOSITIONS
                      or (pos == "initial" and lower_counts[words[0].lower()])) and _acts_as_a_person(toks, m):
                # "Cressida is crying", "Georgi puts his phone away", "Lafayette, who" (not "Hot blood ran over
                # her", a word the text also writes in lower case)
                occ.person += 1
            if prev in verbs and first > 0 and not toks[first - 1].in_quote:
                occ.person += 2
                occ.speech = True
            elif occ.determiner and first > 1 and toks[first - 2].lower in verbs:  # "said the Caterpillar"
                occ.person += 2
                occ.speech = True
            if possessive:
                occ.person += 0.5
            if prev in ADDRESS_PREPOSITIONS and not occ.in_quote and _addressed_after_verb(toks, first, verbs):
                occ.person += 1  # "said Mr. Brandon to Mary", "turned to Mary": someone spoken to, not a place
            elif prev in PLACE_PREPOSITIONS and not possessive:  # "next to Bucky's", "the back of Bucky's neck"
                occ.place += 1
            if not possessive and gives_own_name(text, start):
                occ.person += 2  # "My name is Hyuuga Hinata", "I'm Kakashi": a name given as one's own
            if prev in DETERMINERS and not title and not (
                    prev in ("that", "this") and nxt_tok is not None and nxt_tok.text.islower()):
                occ.place += 1  # "the Academy", not "a frequency that Bucky can feel"
            if occ.in_quote:
                after = nxt_tok.text if nxt_tok else ""
                before = toks[first - 1].text if first > 0 else ""
                after2 = toks[m + 1] if m + 1 < n else None
                # '"...for pity's sake. Hatake, get off the desk."': a name that opens a sentence of the line,
                # a comma and a word in lower case after it (not "Sakura, Ino and Hinata are coming")
                opens_sentence = before in SENTENCE_END and first > 0 and toks[first - 1].in_quote \
                    and after == "," and after2 is not None and after2.text.islower() and after2.lower != "and"
                if title:
                    # "Mr. Yang," opening a line or ", Miss Park." closing a sentence; not "Mr. Collins," said
                    # she, "speaks highly" (the line's subject) nor "Her daughter, Miss de Bourgh, will"
                    called = (before in QUOTE_CHARS and pos == "initial" and after in (",", "!", "?")
                              and not _resumed_as_subject(text, end)) \
                        or (before == "," and (after in ("!", "?", ".", "…") or after in QUOTE_CHARS))
                else:
                    called = opens_sentence or (before == "," or (before in QUOTE_CHARS and pos == "initial")) and (
                        after in (",", "!", "?", ".", "…") or after in QUOTE_CHARS or not after)
                if called:
                    occ.vocative = True
                    # a line of one word and a full stop ('"Sparring."', '"Genma."') answers or echoes more
                    # often than it calls someone
                    alone = before in QUOTE_CHARS and after == "." and (after2 is None or after2.text in QUOTE_CHARS)
                    if not title:  # a title already makes it a person
                        occ.person += 1 if (before == "," or suffix or opens_sentence) else 0.25 if alone else 0.5
            occs.append(occ)
            j = m if m > j else j + 1
    return occs




def _accepted_keys(occs: list[NameOcc], lower_counts: Counter, cap_counts: Counter,
                   tag_named: frozenset[str] = frozenset(), vote=None) -> set:
    """The name keys that are people.  ``vote`` (undecided key -> its occurrences, to the keys that are
    people) decides the names no rule accepts or rejects."""
    by_key: dict[tuple, list[NameOcc]] = defaultdict(list)
    for o in occs:
        by_key[o.key].append(o)
    accepted = set()
    undecided: dict[tuple, list[NameOcc]] = {}
    # "Lavender Town", "Privet Drive", "Seirin High": a place, unless a title or honorific makes it someone's name
    places = {key for key, items in by_key.items() if len(key) >= 2 and key[-1].lower() in place_heads()
              and not any(o.title or o.suffix for o in items)}
    for key, items in by_key.items():
        person = sum(o.person for o in items)
        place = sum(o.place for o in items)
        strong = any(o.title or o.suffix for o in items)
        if key[0] == "the" and key[-1].endswith("s") and cap_counts[key[-1][:-1]] > 0:
            continue  # "the Tilneys": a family
        if any(HELD_LETTER.search(w) for w in key):
            continue  # "yells NOOO", "WHAAAT": a sound
        if key in places:
            continue
        if key[0] == "the":
            # "the Hatter", "the Queen": a person only when it speaks; "the Colonel" also when one person in
            # the text holds that title ("Colonel Brandon"): that is who it is.
            if sum(o.speech for o in items) >= 2 or (len(key) == 2 and _title_holder_key(key[1], occs)):
                accepted.add(key)
            continue
        if len(key) == 1 and key[0].endswith("s") and any(
                cap_counts[stem] >= max(2, cap_counts[key[0]] // 4) for stem in (key[0][:-1], key[0][:-2])
                if stem.endswith(("s", "x", "ch", "sh")) or stem == key[0][:-1]):
            continue  # "Hindus", "Indians": a people; "the Miss Bertrams", "the Wilcoxes": a family, not a person
        common = [w for w in key if lower_counts[w.lower()] > max(1, cap_counts[w] // 3) and w not in tag_named]
        if common and not strong:
            continue
        if len(key) == 1 and not strong and lower_counts[key[0].lower()] and all(o.initial for o in items) \
                and not any(o.speech for o in items):
            continue  # "Good-bye," "Suppose...": a word written in lower case elsewhere, capitalised only to open
        if len(key) == 1 and not strong and key[0].endswith("s") and lower_counts[key[0][:-1].lower()] >= 2 \
                and all(o.initial for o in items):
            continue  # "Likes, dislikes, dreams.": the verb the text writes "like", opening a sentence
        if len(key) == 1 and not strong and all(o.initial for o in items) and not any(o.speech for o in items):
            if _adverb_like(key[0]):
                continue  # "Wretchedly did he stand", '"Sadly, my phone died"': an adverb opening a sentence
            if _plural_like(key[0]):
                undecided[key] = items  # "Soldiers filled the square", or "Marcus ran": the recogniser knows
                continue

        if strong or (person >= 1 and person > place):
            accepted.add(key)
        elif len(key) == 2 and key[0].lower() in common_given_names() and not place \
                and not lower_counts[key[0].lower()] and cap_counts[key[1]] >= 3 and not key[1].isupper():
            # "Harry Sandys": a common given name and a word never written in lower case, said again alone
            accepted.add(key)
        elif place <= person:
            undecided[key] = items
    if vote is not None:
        accepted |= vote(undecided)
    # A full name with a known person's name in it is a person ("Hatake Kakashi" once "Kakashi" is), and
    # so are the parts of an accepted full name ("Hatake").
    # Not where the name is mostly a place ("to New York", "at Howards End"); "to" and "of" come before
    # people too ("to Ralph Denham"), so only a clear lead counts.
    def placelike(key):
        place, person = sum(o.place for o in by_key[key]), sum(o.person for o in by_key[key])
        return place >= 3 and place > 3 * person + 1

    singles = {k[0] for k in accepted if len(k) == 1}
    surely = {k[0] for k in accepted if len(k) == 1 and sum(o.person for o in by_key[k]) >= 3}
    for key in by_key:
        if len(key) > 1 and key[0] != "the" and key not in accepted and key not in places \
                and any(w in singles for w in key if w[0].isupper()) \
                and (not placelike(key) or any(w in surely for w in key)):  # "New York" of a stray "York"
            accepted.add(key)
    parts = {w for k in accepted if len(k) > 1 and k[0] != "the" for w in k if not lower_counts[w.lower()]}
    for key in by_key:
        if len(key) == 1 and key[0] in parts and key not in accepted and not placelike(key):
            accepted.add(key)
    return accepted


class _Clusters:
    def __init__(self):
        self.clusters: list[Cluster] = []
        self.by_key: dict[tuple, Cluster] = {}

    def new(self, keys) -> Cluster:
        c = Cluster()
        self.clusters.append(c)
        for k in keys:
            c.keys.add(k)
            self.by_key[k] = c
        return c


def _cluster_free(occs: list[NameOcc], keys: set) -> dict[tuple, Cluster]:
    """Cluster name keys into characters without a roster (see the module docstring)."""
    cl = _Clusters()
    counts = Counter(o.key for o in occs)
    bare_counts = Counter(o.key for o in occs if len(o.key) == 1 and not o.title)  # "Beaver", not "Mrs Beaver"
    titled_keys = Counter()
    for o in occs:
        if o.title and o.key in keys:
            titled_keys[(o.title, o.key)] += 1
    full_keys = sorted((k for k in keys if len(k) >= 2 and k[0] != "the"), key=lambda k: -counts[k])
    # Full names: the same words in either order are one person.
    by_wordset: dict[frozenset, Cluster] = {}
    for k in full_keys:
        ws = frozenset(k)
        if ws in by_wordset:
            by_wordset[ws].keys.add(k)
            cl.by_key[k] = by_wordset[ws]
        else:
            by_wordset[ws] = cl.new([k])
    # Which single words belong to which full-name clusters (by any part, either order).
    word_owners: dict[str, set[int]] = defaultdict(set)
    first_owners: dict[str, set[int]] = defaultdict(set)
    for ws, c in by_wordset.items():
        for k in c.keys:
            for w in k:
                word_owners[w].add(id(c))
            first_owners[k[0]].add(id(c))
    cluster_by_id = {id(c): c for c in by_wordset.values()}
    # Surnames that carry a title somewhere ("Mr. Bennet"): bare, they are ambiguous within a family.
    titled_surnames: dict[str, set[str]] = defaultdict(set)
    as_first, as_later = Counter(), Counter()
    for k in full_keys:
        as_first[k[0]] += counts[k]
        for w in k[1:]:
            as_later[w] += counts[k]
    surname_words = {w for w in as_later if as_later[w] >= as_first[w]}
    first_name_titles = set(honorifics()["first_name_titles"])
    for (title, key) in titled_keys:
        if len(key) == 1 and not (title in first_name_titles and key[0] in first_owners
                                  and key[0] not in surname_words):  # "Miss Katharine" is a first name
            titled_surnames[key[0]].add(title)
    for k in sorted((k for k in keys if len(k) == 1), key=lambda k: -counts[k]):
        w = k[0]
        owners = word_owners.get(w, set())
        sharers = first_owners.get(w, ())
        if w in titled_surnames and len(owners) != 1 and not (
                w not in surname_words and _family_company(sharers, cluster_by_id, occs, w) is not None):
            cl.new([k])  # ("Mrs Charles", Mary, is Charles Musgrove's wife: "Charles" is still his given name)
            continue
        if len(owners) == 1 and w in titled_surnames and w not in as_later \
                and sum(n for (_, key), n in titled_keys.items() if key == k) > as_first[w]:
            # "Fitzwilliam": twice Darcy's given name, twenty times Colonel Fitzwilliam's surname
            cl.new([k])
            continue
        if len(owners) == 1:
            c = cluster_by_id[next(iter(owners))]
        elif len(sharers) == 1:
            c = cluster_by_id[next(iter(sharers))]
        else:  # several full names share the given name: the first of these choices that finds one
            choices = (
                # "Tom" beside 13 "Tom Bertram" and one "Tom Oliver" is Tom Bertram
                lambda: _dominant(sharers, cluster_by_id, counts, w),
                # "John" beside "John Beaver" (called "Beaver") and "John Andrew" (called "John") is John Andrew
                lambda: _first_name_user(sharers, cluster_by_id, bare_counts, w),
                # "Charles" among the Musgroves (Mary, Louisa Musgrove) is Charles Musgrove, not Charles Hayter
                lambda: _family_company(sharers, cluster_by_id, occs, w),
                # "Margaret" beside "Margaret Schlegel" (of Helen Schlegel's family) and a misread "Margaret Oniton"
                lambda: _of_a_family(sharers, cluster_by_id, titled_surnames, w),
            )
            c = next((found for found in (choose() for choose in choices) if found is not None), None)
        if c is None:
            cl.new([k])
        else:
            c.keys.add(k)
            cl.by_key[k] = c
    # "the Rabbit" is "the White Rabbit" when that is the one longer epithet with the same head
    epithets = sorted((k for k in keys if k[0] == "the"), key=len, reverse=True)
    for k in epithets:
        if k in cl.by_key:
            continue
        longer = [e for e in epithets if len(e) > len(k) and e[-(len(k) - 1):] == k[1:]]
        if len(longer) == 1 and longer[0] in cl.by_key:
            cl.by_key[longer[0]].keys.add(k)
            cl.by_key[k] = cl.by_key[longer[0]]
        else:
            cl.new([k])
    for k in keys:
        if k not in cl.by_key:
            cl.new([k])
    # Titled occurrences of a bare surname form their own cluster per title: "Mr. Bennet" and "Mrs. Bennet"
    # are two people, and neither is "Jane Bennet".
    titled_clusters: dict[tuple[str, tuple], Cluster] = {}
    assignment: dict[int, Cluster] = {}
    untitled_full = Counter(o.key for o in occs if len(o.key) > 1 and (not o.title or _title_class(o.title) != "mrs"))
    for i, o in enumerate(occs):
        if o.key not in keys:
            continue
        base = cl.by_key[o.key]
        if o.title and len(o.key) == 1:
            w = o.key[0]
            owners = first_owners.get(w, set())
            if owners and o.title in first_name_titles and w not in surname_words:
                # "Miss Elizabeth" -> Elizabeth Bennet; "Sir Walter" -> Sir Walter Elliot, the one Walter
                # titled so (not Sir Walter Scott, named once), or the Walter the text names far more
                same_title = {cid for cid in owners if any(
                    (o.title, k) in titled_keys for k in cluster_by_id[cid].keys if len(k) > 1)}
                owner = (next(iter(owners)) if len(owners) == 1 else next(iter(same_title)) if len(same_title) == 1
                         else id(_dominant(owners, cluster_by_id, counts, w)) if _dominant(owners, cluster_by_id, counts, w)
                         else None)
                if owner is not None:
                    assignment[i] = cluster_by_id[owner]
                    continue
            if o.title in first_name_titles and w not in surname_words and w not in titled_surnames \
                    and cl.by_key.get(o.key) is not None and cl.by_key[o.key].keys:
                assignment[i] = cl.by_key[o.key]  # "Lady Brenda" is Brenda, whom the text never gives a surname
                continue
            tkey = (_title_class(o.title), o.key)
            if tkey not in titled_clusters:
                titled_clusters[tkey] = cl.new([])
            assignment[i] = titled_clusters[tkey]
        elif o.title and _title_class(o.title) == "mrs" and len(o.key) > 1 and untitled_full[o.key]:
            # "Mrs. John Dashwood", "Mrs Charles Musgrove": the wife of the man of that name
            tkey = ("mrs", o.key)
            if tkey not in titled_clusters:
                titled_clusters[tkey] = cl.new([])
            assignment[i] = titled_clusters[tkey]
        else:
            assignment[i] = base
    # A bare surname with no first name of its own: the one "Mr. X" if there is exactly one such (unless
    # one holder of a rank is called so far more often), else the one full name with that surname.
    title_uses = Counter((_title_class(o.title), o.key) for o in occs if o.title and len(o.key) == 1)
    for i, o in enumerate(occs):
        c = assignment.get(i)
        if c is None or o.title or len(o.key) != 1:
            continue
        if c.keys == {o.key} and o.key[0] in titled_surnames:
            titled = [(cls, tc) for (cls, key), tc in titled_clusters.items() if key == o.key]
            male = [tc for cls, tc in titled if cls == "mr"] or \
                [tc for cls, tc in titled if honorifics()["titles"].get(cls) != "F"]  # "Captain Harville"
            ranked = [(title_uses[(cls, o.key)], tc) for cls, tc in titled if _is_rank(cls)]
            if len(male) == 1 and len(ranked) == 1 and \
                    ranked[0][0] >= 3 * title_uses[("mr", o.key)]:
                male = [ranked[0][1]]  # "Ratcliffe" is Inspector Ratcliffe, once "Mr. Ratcliffe" as a civilian
            owners = word_owners.get(o.key[0], set())
            kin_sex = honorifics()["titles"].get(o.kin) if o.kin else None
            same_sex = [(cls, tc) for cls, tc in titled if honorifics()["titles"].get(cls) == kin_sex]
            if len(same_sex) > 1:  # the one so called ("Aunt Norris"), else the married one ("Lady Bertram")
                same_sex = [x for x in same_sex if x[0] == o.kin] or \
                    [x for x in same_sex if x[0] in WIFE_TITLES or x[0] == "mr"]
            same_sex = [tc for _, tc in same_sex]
            if kin_sex and len(same_sex) == 1:
                assignment[i] = same_sex[0]  # "aunt Bertram" is Lady Bertram, not her son Mr. Bertram
            elif len(male) == 1:
                assignment[i] = male[0]
            elif len(titled) == 1:  # "Norris" is Mrs. Norris when she is the only titled Norris
                assignment[i] = titled[0][1]
            elif len(owners) == 1:
                assignment[i] = cluster_by_id[next(iter(owners))]
    # "the Colonel" is the one Colonel of the text; "the Admiral" the one named with that title around it
    # (most of those uses, within TITLE_NOUN_WINDOW), else the one so named nearest: a text may name another
    # Admiral in passing.
    titled_at: dict[str, list[tuple[int, int]]] = defaultdict(list)  # title class -> (offset, cluster id)
    for i, o in enumerate(occs):
        if o.title and i in assignment:
            titled_at[_title_class(o.title)].append((o.start, id(assignment[i])))
    clusters_by_id = {id(c): c for c in assignment.values()}
    for i, o in enumerate(occs):
        if i not in assignment or not o.determiner or len(o.words) != 1 or not _title_of(o.words[0]):
            continue
        uses = titled_at.get(_title_class(o.words[0].lower()))
        if not uses:
            continue
        holders = Counter(c for at, c in uses if abs(at - o.start) <= TITLE_NOUN_WINDOW)
        if not holders:  # far from every titled name: the one named nearest
            holders = Counter([min(uses, key=lambda u: abs(u[0] - o.start))[1]])
        top, n = holders.most_common(1)[0]
        if n >= 0.8 * sum(holders.values()):
            assignment[i] = clusters_by_id[top]
    return assignment


def _title_holder_key(word: str, occs: list[NameOcc]) -> tuple | None:
    """The name of the one person the text gives the title ``word`` ("Colonel" -> ("Brandon",)), when one
    name has at least 80% of that title's uses; None otherwise."""
    cls = _title_class(word.lower().rstrip("."))
    if _title_of(word) is None:
        return None
    holders = Counter(o.words for o in occs if o.title and _title_class(o.title) == cls)
    if not holders:
        return None
    top, n = holders.most_common(1)[0]
    return top if n >= 0.8 * sum(holders.values()) else None


def _dominant(owner_ids, cluster_by_id: dict, counts: Counter, first: str) -> Cluster | None:
    """Of the full names with the first name ``first``, the one the text uses at least four times as often
    as all the others together (and at least three times); None when no one name dominates."""
    if not owner_ids:
        return None
    used = sorted(((sum(counts[k] for k in cluster_by_id[i].keys if len(k) > 1 and k[0] == first), i)
                   for i in owner_ids), reverse=True)
    top, rest = used[0][0], sum(n for n, _ in used[1:])
    return cluster_by_id[used[0][1]] if top >= 3 and top >= 4 * rest else None


def _first_name_user(owner_ids, cluster_by_id: dict, bare_counts: Counter, first: str) -> Cluster | None:
    """Of the full names with the first name ``first``, the one person the narration does not call by the bare
    surname, when every other one is called so at least half as often as ``first`` is said alone: a narrator
    calls a person by one name, so a bare "John" beside "Beaver" (John Beaver) is the other John.  None when
    that does not single one out."""
    if len(owner_ids) < 2:
        return None
    alone = bare_counts[(first,)]
    free = []
    for i in owner_ids:
        surnames = {k[-1] for k in cluster_by_id[i].keys if len(k) > 1 and k[0] == first and k[-1] != first}
        if not any(bare_counts[(s,)] >= max(5, 0.5 * alone) for s in surnames):
            free.append(i)
    return cluster_by_id[free[0]] if len(free) == 1 else None




def _family_company(owner_ids, cluster_by_id: dict, occs: list[NameOcc], first: str) -> Cluster | None:
    """Of the full names with the first name ``first``, the one whose family (its surname, in any name) the
    narration names in the paragraphs where ``first`` is said alone, at least three times as often as the
    others' families and in at least five such paragraphs; None when no family keeps that company."""
    if len(owner_ids) < 2:
        return None
    surname_of = {}
    for i in owner_ids:
        names = {k[-1] for k in cluster_by_id[i].keys if len(k) > 1 and k[0] == first and k[-1] != first}
        if len(names) != 1:
            return None
        surname_of[i] = names.pop()
    if len(set(surname_of.values())) != len(surname_of):
        return None
    words_by_par: dict[int, set[str]] = defaultdict(set)
    alone: set[int] = set()
    for o in occs:
        if o.in_quote:
            continue
        if o.words == (first,) and not o.title:
            alone.add(o.paragraph)
        elif o.words != (first,):
            words_by_par[o.paragraph].update(o.words)
    company = Counter({i: sum(1 for p in alone if s in words_by_par[p]) for i, s in surname_of.items()})
    ranked = company.most_common()
    top, n = ranked[0]
    rest = sum(m for _, m in ranked[1:])
    return cluster_by_id[top] if n >= 5 and n >= 3 * rest else None


def _of_a_family(owner_ids, cluster_by_id: dict, titled_surnames: dict, first: str) -> Cluster | None:
    """Of the full names with the first name ``first``, the one whose surname is a family's: another person's
    full name ends in it or the text puts a title before it ("Miss Schlegel"), when no other one's is (a
    place read after a name, "on Margaret Oniton was destined", is no family); None otherwise."""
    if len(owner_ids) < 2:
        return None
    surname_owners: dict[str, set[int]] = defaultdict(set)
    for c in cluster_by_id.values():  # (only for a first name several full names share: seldom)
        for k in c.keys:
            if len(k) > 1:
                surname_owners[k[-1]].add(id(c))
    family = []
    for i in owner_ids:
        surnames = {k[-1] for k in cluster_by_id[i].keys if len(k) > 1 and k[0] == first and k[-1] != first}
        if any(s in titled_surnames or len(surname_owners[s]) > 1 for s in surnames):
            family.append(i)
    return cluster_by_id[family[0]] if len(family) == 1 else None


def _merge_titled_into_full_names(clusters: dict[int, Cluster], assignment: dict[int, Cluster],
                                  toks_by_par=None, misses: frozenset = frozenset()) -> None:
    """"Miss Quested" is "Adela Quested" when she is the only Quested with a full name and her gender fits
    the title; "Mrs Beaver" stays apart from "John Beaver"; and "Mr. Emerson" stays apart from "George
    Emerson" when the narration names both in one sentence ("Mr. Emerson and George"): two people.  (Not
    for "Miss": "Miss Crawford" beside "Mary" is the narrator's formal and familiar name for one woman.)"""
    sentence_of = _sentence_index(toks_by_par or [])
    full_by_surname: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters.values():
        if c.roster is not None:
            continue
        surnames = {k[-1] for k in c.keys if len(k) >= 2 and k[0] != "the"}
        for s in surnames:
            full_by_surname[s].append(c)
    titled_by_surname: dict[tuple[str, str | None], list[Cluster]] = defaultdict(list)
    for c in clusters.values():
        titled_occs = [o for o in c.occurrences if o.title]
        if c.roster is None and not c.keys and titled_occs and all(
                o.title or o.determiner or o.words == (titled_occs[0].words[-1],)
                for o in c.occurrences):  # "Crawford" of "Mr. Crawford", "the Colonel" of "Colonel Brandon"
            o = titled_occs[0]
            titled_by_surname[(o.words[-1], _title_class(o.title))].append(c)
    moved: dict[int, Cluster] = {}
    for (surname, title_class), titled in titled_by_surname.items():
        if len(titled) != 1:
            continue
        # a rank that shows no sex ("Captain Wentworth"): the sex the text gives its holder, and only into a full
        # name the text gives that rank too ("Captain Frederick Wentworth"; Admiral Crawford is not Henry)
        rank = honorifics()["titles"].get(title_class) is None
        title_gender = _gender(titled[0]) if rank else honorifics()["titles"].get(title_class)
        fulls = [f for f in full_by_surname.get(surname, []) if _gender(f) in (title_gender, None)]
        if title_gender is None:
            continue
        if title_class == "mrs" and (surname, "miss") in titled_by_surname:
            continue  # a "Miss Hilbery" beside "Mrs. Hilbery": the full name is the daughter's, if either's
        full, t = (fulls[0] if fulls else None), titled[0]
        if title_class == "miss":
            # "Miss Morland" is the one woman of the family with a full name (not Mrs. Morland, her mother)
            # ... and only when no other full name of the family could be hers ("Miss Schlegel" beside
            # Helen Schlegel and a Margaret Schlegel of unknown gender is not settled)
            full = fulls[0] if len(fulls) == 1 and _gender(fulls[0]) == "F" else None
            if full is not None and _called_miss_and_given_name(full) and (
                    surname + "s" in misses or surname + "es" in misses
                    or _named_together(full, t, sentence_of, titled_only=False)):
                # "Miss Lucy" (Miss Lucy Steele) is a younger daughter: "Miss Steele" alone is her eldest sister,
                # where the text speaks of several ("the Miss Steeles") or names the two together (the only
                # daughter may be "Miss Lucy" to the servants)
                full = None
            if full is None and len(fulls) > 1:
                # "Miss Bennet" beside "Miss Elizabeth", "Miss Lydia": the title with the family name alone is
                # the eldest daughter's, the one sister the text never calls "Miss" and her given name; a married
                # woman of the name is no "Miss" ("Mrs. Rushworth"); one of unknown sex may be
                plain = [f for f in fulls if _gender(f) in ("F", None) and not any(
                    o.title and _title_class(o.title) == "miss" and len(o.words) == 1 for o in f.occurrences)
                    and not _unmarried_and_married(f, titled[0])]
                full = plain[0] if len(plain) == 1 and _gender(plain[0]) == "F" else None
        elif title_gender == "M" and len([f for f in fulls if _male(f)]) == 1:
            # "Mr. Crawford" is Henry Crawford, the one man of the name, beside his sister Mary Crawford
            full = next(f for f in fulls if _male(f))
        elif title_gender == "M" and title_class == "mr":
            # "Mr. Bertram" is Tom, the eldest son: not his father, "Sir Thomas", and not the younger brother
            # the text calls "Mr." and his given name ("Mr. Edmund Bertram")
            plain = [f for f in fulls if _male(f) and not any(
                o.title and (_title_class(o.title) != "mr" or len(o.words) >= 1 and o.words[0] in _first_names(f))
                for o in f.occurrences)]
            full = plain[0] if len(plain) == 1 and len([f for f in fulls if _male(f)]) > 1 else None
        elif len(full_by_surname.get(surname, [])) != 1 or (full is not None and _gender(full) != title_gender):
            full = None
        if full is None or (title_class != "miss" and _named_together(full, t, sentence_of)):
            continue
        if _unmarried_and_married(full, t):
            continue  # "Miss De Bourgh" is not Lady Catherine de Bourgh; "Mrs. Beebe" is not Miss Minnie Beebe
        if rank and not any(o.title and _title_class(o.title) == title_class for o in full.occurrences):
            continue
        _absorb(full, t)
        moved[id(t)] = full
    _reassign(assignment, moved)




def _merge_kin_names_into_titled(clusters: dict[int, Cluster], assignment: dict[int, Cluster], toks_by_par) -> None:
    """"Aunt Juley", as her nieces call her in their speech, is "Mrs. Munt", as the narration calls her: the one
    person named with a title and her surname alone, of the kin word's sex, whom the narration names beside the
    lines that say "Aunt Juley" (that paragraph or the next or last) in at least five of them and half as often
    again as any other such person, and never in one sentence with "Aunt Juley" herself."""
    kin_titles = set(honorifics()["kin_given_name_titles"])
    sentence_of = _sentence_index(toks_by_par or [])
    live = [c for c in clusters.values() if c.occurrences]
    named_in_narration: dict[int, Counter] = defaultdict(Counter)
    for c in live:
        for o in c.occurrences:
            if not o.in_quote:
                named_in_narration[o.paragraph][id(c)] += 1

    def titled_surname_sex(c: Cluster) -> str | None:
        classes = {_title_class(o.title) for o in c.occurrences if o.title}
        if c.keys or len(classes) != 1 or any(len(o.words) != 1 for o in c.occurrences) or \
                sum(1 for o in c.occurrences if o.title) < 0.8 * len(c.occurrences):
            return None
        cls = classes.pop()
        return None if cls in kin_titles else honorifics()["titles"].get(cls)

    moved: dict[int, Cluster] = {}
    for kin in live:
        kin_occs = [o for o in kin.occurrences if o.title and _title_class(o.title) in kin_titles]
        if len(kin_occs) < 0.6 * len(kin.occurrences) or any(len(o.words) != 1 for o in kin_occs):
            continue
        sex = honorifics()["titles"].get(_title_class(kin_occs[0].title))
        if sex is None:
            continue
        near: Counter = Counter()
        for o in kin.occurrences:
            if o.in_quote:
                for p in (o.paragraph - 1, o.paragraph, o.paragraph + 1):
                    near.update(named_in_narration.get(p, Counter()).keys())
        by_id = {id(c): c for c in live}
        ranked = [(n, by_id[i]) for i, n in near.most_common()
                  if i != id(kin) and i not in moved and titled_surname_sex(by_id[i]) == sex]
        if not ranked:
            continue
        n, titled = ranked[0]
        if n < 5 or (len(ranked) > 1 and n < 1.5 * ranked[1][0]) or \
                _named_together(kin, titled, sentence_of, titled_only=False):
            continue
        _absorb(titled, kin)
        moved[id(kin)] = titled
    _reassign(assignment, moved)


def _called_miss_and_given_name(c: Cluster) -> bool:
    """Called "Miss" and her given name alone ("Miss Lucy"), as only a younger daughter is, at least twice."""
    return sum(1 for o in c.occurrences if o.title and _title_class(o.title) == "miss" and len(o.words) == 1
               and not o.determiner) >= 2


WIFE_TITLES = {"mrs", "lady", "signora", "frau", "senora", "duchess", "countess", "baroness", "marquise"}


def _unmarried_and_married(a: Cluster, b: Cluster) -> bool:
    """One of the two is a "Miss" and the other a married woman ("Mrs.", "Lady"): mother and daughter, not one."""
    def classes(c):
        return {_title_class(o.title) for o in c.occurrences if o.title}
    ca, cb = classes(a), classes(b)
    return bool(("miss" in ca and cb & WIFE_TITLES) or ("miss" in cb and ca & WIFE_TITLES))


EPITHET_MIN_APPOSITIONS = 2  # "Jobling, the Tinker," at least this often, and never another name so


def _merge_epithets_into_addressed(clusters: dict[int, Cluster], assignment: dict[int, Cluster], text: str) -> None:
    """A person the narration calls only by an epithet ("the Tinker", a name key with "the") is the named person
    the narration puts it in apposition with ("Jobling, the Tinker," / "the Tinker, Jobling,"), at least
    EPITHET_MIN_APPOSITIONS times and with no one else; or else the one whom the lines in the paragraphs before
    and after its narrated uses address by name ("Jobling, ..."), in at least CALLING_MIN_REPLIES of those
    paragraphs and three times as many as anyone else (as for "the painter", _calling_mentions).  Its names join
    that person's, who keeps their own name for display."""
    addressed: dict[int, set[int]] = defaultdict(set)  # paragraph -> clusters addressed by name in it
    by_id = {id(c): c for c in clusters.values()}
    placed = sorted((o.start, o.end, id(c)) for c in clusters.values() for o in c.occurrences)
    starts = [a for a, _, _ in placed]
    for c in clusters.values():
        for o in c.occurrences:
            if o.vocative:
                addressed[o.paragraph].add(id(c))
    moved: dict[int, Cluster] = {}
    for c in list(clusters.values()):
        if not c.occurrences or not all(o.determiner for o in c.occurrences):
            continue
        apposed: Counter = Counter()
        for o in c.occurrences:
            if o.in_quote:
                continue
            i = bisect.bisect_left(starts, o.start)
            before = placed[i - 1] if i > 0 else None
            after = placed[i + 1] if i + 1 < len(placed) else None
            if before is not None and re.fullmatch(r",\s+the\s+", text[before[1] : o.start]) \
                    and re.match(r"\s*[,.;]", text[o.end : o.end + 2]) and not re.match(r",\s*(and|or)\b", text[o.end : o.end + 6]):
                apposed[before[2]] += 1  # "Jobling, the Tinker, ..."
            if after is not None and re.fullmatch(r",\s+", text[o.end : after[0]]) \
                    and re.match(r"\s*[,.;]", text[after[1] : after[1] + 2]) \
                    and not re.match(r",\s*(and|or)\b", text[after[1] : after[1] + 6]):
                apposed[after[2]] += 1  # "the Tinker, Jobling, ..."
        apposed.pop(id(c), None)
        target = None
        if len(apposed) == 1 and sum(apposed.values()) >= EPITHET_MIN_APPOSITIONS:
            target = by_id[next(iter(apposed))]
        pars = {o.paragraph for o in c.occurrences if not o.in_quote}
        if target is None and len(pars) >= CALLING_MIN_USES:
            near: Counter = Counter()
            for p in pars:
                near.update((addressed[p - 1] | addressed[p + 1]) - {id(c)})
            ranked = near.most_common(2)
            if ranked:
                top, n = ranked[0]
                second = ranked[1][1] if len(ranked) > 1 else 0
                if n >= CALLING_MIN_REPLIES and n >= 3 * second:
                    target = by_id[top]
        if target is None or id(target) in moved or not target.occurrences \
                or all(o.determiner for o in target.occurrences) or {_gender(c), _gender(target)} >= {"M", "F"}:
            continue
        _absorb(target, c)
        moved[id(c)] = target
    _reassign(assignment, moved)


def _absorb(into: Cluster, other: Cluster) -> None:
    """Move ``other``'s occurrences, forms and gender votes into ``into``; ``other`` is left empty."""
    into.occurrences.extend(other.occurrences)
    into.forms.update(other.forms)
    into.gender_votes.update(other.gender_votes)
    other.occurrences = []


def _reassign(assignment: dict[int, Cluster], moved: dict[int, Cluster]) -> None:
    """Point each occurrence of a cluster that was absorbed (``moved``: id -> absorber) at its absorber."""
    for i, c in list(assignment.items()):
        if id(c) in moved:
            assignment[i] = moved[id(c)]


def _first_names(c: Cluster, bare: bool = False) -> Counter:
    """The given names a cluster goes by: "Elizabeth" of "Elizabeth", "Elizabeth Bennet", "Miss Elizabeth"
    (with ``bare``, only where no title comes before it)."""
    first_titles = set(honorifics()["first_name_titles"])
    out = Counter()
    for o in c.occurrences:
        if o.determiner or (o.title and (bare or o.title not in first_titles or len(o.words) > 1)):
            continue
        out[o.words[0]] += 1
    return out


def _surnames(c: Cluster) -> set[str]:
    return {o.words[-1] for o in c.occurrences if len(o.words) > 1 and not o.determiner}


def _merge_nicknames(clusters: dict[int, Cluster], assignment: dict[int, Cluster], toks_by_par) -> None:
    """"Lizzy" (or "Eliza") is Elizabeth when the story has one Elizabeth, the two are never named in one
    sentence of narration, no other surname comes with the familiar form, and their genders agree."""
    sentence_of = _sentence_index(toks_by_par)
    live = [c for c in clusters.values() if c.roster is None and c.occurrences]
    by_first: dict[str, list[Cluster]] = defaultdict(list)
    for c in live:  # a given name said bare: "Lady Catherine" alone is no Catherine that "Kitty" could be
        for name, n in _first_names(c, bare=True).items():
            if n >= 2 and n >= 0.2 * len(c.occurrences):
                by_first[name.lower()].append(c)
    # a given name said (nearly) only after its title ("Lord Henry"): the one a familiar form said only in
    # quotations ("Harry") may be, as the other people call him
    by_titled_first: dict[str, list[Cluster]] = defaultdict(list)
    for c in live:
        for name, n in _first_names(c).items():
            if n >= 5 and n >= 0.5 * len(c.occurrences) and _first_names(c, bare=True)[name] <= 0.1 * n:
                by_titled_first[name.lower()].append(c)
    tags_in = Counter(o.paragraph for c in live for o in c.occurrences if o.speech and not o.in_quote)
    moved: dict[int, Cluster] = {}
    for c in sorted(live, key=lambda c: len(c.occurrences)):
        firsts = _first_names(c)
        if not firsts or any(o.title and o.title not in honorifics()["first_name_titles"] for o in c.occurrences):
            continue
        familiar = firsts.most_common(1)[0][0]
        givens = nicknames().get(familiar.lower())
        if not givens or firsts[familiar] < 0.8 * sum(firsts.values()):
            continue
        targets = {id(t): t for g in givens for t in by_first.get(g, []) if t is not c and id(t) not in moved}
        if not targets and sum(o.in_quote for o in c.occurrences) >= 0.9 * len(c.occurrences):
            targets = {id(t): t for g in givens for t in by_titled_first.get(g, [])
                       if t is not c and id(t) not in moved}
        if not targets and not any(by_first.get(g) or by_titled_first.get(g) for g in givens):
            # no one goes by the given name itself: "Kit" is "Kitty", the longer familiar form of Catherine
            targets = {id(t): t for f in _other_familiar_forms(familiar.lower(), givens) for t in by_first.get(f, [])
                       if t is not c and id(t) not in moved and len(t.occurrences) >= len(c.occurrences)}
        if len(targets) != 1:
            continue
        target = next(iter(targets.values()))
        if not _surnames(c) - {familiar} <= _surnames(target):  # "Mistah Frank" gives Frank no surname
            continue
        if {_gender(c), _gender(target)} == {"M", "F"} or _named_together(target, c, sentence_of, titled_only=False):
            continue
        if _speaks_of(target, c, tags_in):
            continue
        _absorb(target, c)
        target.familiar.add(familiar)
        moved[id(c)] = target
    _reassign(assignment, moved)




def _other_familiar_forms(familiar: str, givens) -> set[str]:
    """The other familiar forms of the given names ``familiar`` stands for that are the same word shortened or
    lengthened ("kit" -> "kitty"; not "molly" -> "polly", two women as often as one)."""
    return {f for f, gs in nicknames().items() if f != familiar and gs & set(givens)
            and (f.startswith(familiar) or familiar.startswith(f))}


def _speaks_of(speaker: Cluster, other: Cluster, tags_in: Counter) -> bool:
    """``speaker``, the one speaker a paragraph's narration tags, says ``other``'s name in it ("'the son of
    Madge,' said Margaret"): people seldom name themselves, so the two are different people."""
    tagged = {o.paragraph for o in speaker.occurrences if o.speech and not o.in_quote and tags_in[o.paragraph] == 1}
    # more than once, and not a stray line among many ("Lizzy" said once by a mis-tagged Elizabeth)
    hits = sum(1 for o in other.occurrences if o.in_quote and not o.vocative and o.paragraph in tagged)
    return hits >= 2 and hits >= 0.1 * len(other.occurrences)


def _bare_surnames_to_mr(clusters: dict[int, Cluster], assignment: dict[int, Cluster], occs: list[NameOcc]) -> bool:
    """A bare surname ("Bingley") that went to the one full name of the family ("Caroline Bingley") is the
    family's one "Mr." ("Mr. Bingley") when that full name is not known to be a man: narrators call men, far
    more than women, by their bare surnames."""
    mr_of: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters.values():
        if c.roster is None and not c.keys and c.occurrences:
            if {_title_class(o.title) for o in c.occurrences if o.title} == {"mr"}:
                mr_of[c.occurrences[0].words[-1]].append(c)
    index_of = {id(o): i for i, o in enumerate(occs)}
    moved_any = False
    for c in list(clusters.values()):
        if c.roster is not None or not c.keys or _gender(c) == "M":
            continue
        for surname in {k[-1] for k in c.keys if len(k) > 1 and k[0] != "the"}:
            bare = [o for o in c.occurrences if o.words == (surname,) and not o.title and not o.determiner]
            if not bare or len(mr_of.get(surname, ())) != 1:
                continue
            mr = mr_of[surname][0]
            moved = {id(o) for o in bare}
            c.occurrences = [o for o in c.occurrences if id(o) not in moved]
            mr.occurrences.extend(bare)
            c.forms[surname] -= len(bare)
            mr.forms[surname] += len(bare)
            c.forms += Counter()  # drop a form no longer used
            for o in bare:
                assignment[index_of[id(o)]] = mr
            moved_any = True
    return moved_any


def _sentence_index(toks_by_par):
    """(paragraph, token index) -> (paragraph, sentence number), sentences ended by . ! ? in narration."""
    cuts = []
    for toks in toks_by_par:
        ends = [i for i, t in enumerate(toks) if t.text in SENTENCE_END and not t.in_quote
                and not (t.text == "." and i and _title_of(toks[i - 1].text))]  # "Mr." ends no sentence
        cuts.append(ends)
    return lambda p, i: (p, bisect.bisect_left(cuts[p], i)) if p < len(cuts) else (p, 0)


def _named_together(full: Cluster, titled: Cluster, sentence_of, titled_only: bool = True) -> bool:
    """The titled name ("Mr. Emerson") and the full name's person named in the narration of one sentence, in
    two sentences or more and in at least 1 in 25 of the titled name's sentences: two people, not one.  Only
    for a cluster named mostly with its title (a bare surname, "Rodney", is the narrator's name for one)."""
    if titled_only and sum(1 for o in titled.occurrences if o.title) < 0.5 * len(titled.occurrences):
        return False

    def sentences(c):
        return {sentence_of(o.paragraph, o.token_index) for o in c.occurrences if not o.in_quote}
    titled_sentences = sentences(titled)
    shared = len(sentences(full) & titled_sentences)
    return shared >= 2 and shared >= 0.04 * len(titled_sentences)


def _male(c: Cluster) -> bool:
    """Known to be a man: by pronouns, or by a man's title somewhere in the cluster ("Sir Henry")."""
    titles = honorifics()["titles"]
    return _gender(c) == "M" or (_gender(c) is None and any(titles.get(o.title) == "M" for o in c.occurrences))


def _title_class(title: str) -> str:
    """Titles that name the same role for one surname: "Mr"/"Mister" are one, "Mrs"/"Missus" one."""
    return {"mister": "mr", "missus": "mrs", "monsieur": "mr", "madame": "mrs", "mme": "mrs", "mlle": "miss",
            "mademoiselle": "miss", "capt": "captain", "col": "colonel", "gen": "general", "lt": "lieutenant",
            "sgt": "sergeant", "prof": "professor", "rev": "reverend", "doctor": "dr"}.get(title, title)


def _form(text: str, o: NameOcc) -> str:
    """A display form of one occurrence: title kept, honorific and possessive dropped."""
    words = list(o.words)
    if o.particle:  # "De Griers" begins a name; "Professor de Worms" as written
        words = [o.particle if o.title else o.particle[0].upper() + o.particle[1:]] + words
    if o.determiner:
        words = ["the"] + words
    if o.title:
        title_word = text[o.start : o.end].split()[0]
        words = [title_word] + words
    return " ".join(words)


def _roster_index(roster: list[RosterEntry]) -> dict[str, set[int]]:
    index: dict[str, set[int]] = defaultdict(set)
    for i, entry in enumerate(roster):
        for name in [entry.name, *entry.aliases]:
            norm = normalise_name(name)
            if not norm:
                continue
            index[norm].add(i)
            parts = norm.split()
            if len(parts) == 2:
                index[" ".join(reversed(parts))].add(i)
    return index


def _roster_assign(text: str, occs: list[NameOcc], roster: list[RosterEntry],
                   lower_counts: Counter | None = None) -> dict[int, int]:
    """Occurrence index -> roster index, where a form of the occurrence names exactly one entry.  One word of a
    full name alone ("Fair" of "Zack Fair") does not, where it opens a sentence and the text also writes it in
    lower case ("Fair enough")."""
    lower_counts = lower_counts or Counter()
    index = _roster_index(roster)
    # Parts of full names ("Poirot" of "Hercule Poirot"), where they point to one entry only.
    parts: dict[str, set[int]] = defaultdict(set)
    titles = honorifics()["titles"]
    for norm, entries in index.items():
        words = norm.split()
        if len(words) > 1:
            for w in words:
                if w not in titles and w not in PARTICLES:
                    parts[w].update(entries)
    out = {}
    for i, o in enumerate(occs):
        forms = [normalise_name(_form(text, o)), normalise_name(" ".join(o.words))]
        if o.determiner:
            forms.insert(0, normalise_name("the " + " ".join(o.words)))
        for form in forms:
            hits = index.get(form)
            if hits and len(hits) == 1:
                out[i] = next(iter(hits))
                break
        else:
            if len(o.words) == 1 and not o.determiner and not (o.initial and lower_counts[o.words[0].lower()]) \
                    and not _before_a_place_word(text, o.end):
                hits = parts.get(normalise_name(o.words[0]))
                if hits and len(hits) == 1 and normalise_name(o.words[0]) not in index:
                    entry = next(iter(hits))
                    gender = titles.get(o.title) if o.title else None
                    if gender is None or roster[entry].gender in (None, gender):
                        out[i] = entry
    return out


PLACE_WORD_AFTER = re.compile(r"\s+([A-Z][a-z]+)\b")


def _before_a_place_word(text: str, end: int) -> bool:
    """True where a capitalised place's head noun follows ("Maple Street"): the word before is a place's name."""
    m = PLACE_WORD_AFTER.match(text, end)
    return m is not None and m.group(1).lower() in place_heads()


def _fandom_only(ctx) -> bool:
    """True when the roster is only a fandom pack, or the one the fandom stage made of a detected pack and the
    work's own character tags (then characters it lacks may still be listed); a user's list is the whole cast."""
    from ..roster import load_fandom

    if ctx.cache.get(ROSTER_FROM_THE_WORK):
        return True
    if not ctx.options.fandom:
        return False
    try:
        pack = {e.name.lower() for e in load_fandom(ctx.options.fandom)}
    except Exception:
        return False
    return all(e.name.lower() in pack for e in ctx.options.roster or [])


def run(story: Story, ctx) -> None:
    text = story.text
    paragraphs = body_paragraphs(story)
    mask = QuoteMask(story)
    toks_by_par = [tokens(text, s, e, mask) for s, e in paragraphs]
    lower_counts: Counter = Counter()
    cap_counts: Counter = Counter()
    for toks in toks_by_par:
        for t in toks:
            if t.is_word():
                if t.text[0].isupper() or (t.text[0].isdigit() and _serial_name(strip_possessive(t.text)[0])):
                    cap_counts[strip_possessive(t.text)[0]] += 1
                else:
                    lower_counts[t.lower] += 1
    tag_named = _tag_named_words(text, toks_by_par)
    word_named = _kin_named_words(toks_by_par) | _verb_named_words(text, toks_by_par, lower_counts) \
        | _honorific_named_words(toks_by_par)
    occs = _scan(text, paragraphs, toks_by_par, lower_counts, cap_counts, tag_named, word_named)
    roster = ctx.options.roster
    keys = _accepted_keys(occs, lower_counts, cap_counts, tag_named | word_named,
                          lambda undecided: characters_ner.persons(text, undecided, paragraphs, ctx.nlp)
                          if undecided else set())

    # occurrence index -> cluster
    assignment: dict[int, Cluster] = {}
    if roster:
        by_entry: dict[int, Cluster] = {}
        for i, r in _roster_assign(text, occs, roster, lower_counts).items():
            if r not in by_entry:
                by_entry[r] = Cluster(roster=roster[r])
            assignment[i] = by_entry[r]
        if _fandom_only(ctx):
            rest = [o for i, o in enumerate(occs) if i not in assignment]
            free = _cluster_free(rest, keys)
            rest_index = [i for i in range(len(occs)) if i not in assignment]
            for j, c in free.items():
                assignment[rest_index[j]] = c
    else:
        assignment = _cluster_free(occs, keys)

    clusters: dict[int, Cluster] = {}
    for i, c in assignment.items():
        o = occs[i]
        c.occurrences.append(o)
        c.forms[_form(text, o)] += 1
        clusters[id(c)] = c
    _gender_votes(occs, assignment, toks_by_par)
    if _bare_surnames_to_mr(clusters, assignment, occs):
        _gender_votes(occs, assignment, toks_by_par)  # the votes of the moved surnames go with them
    misses = frozenset(o.words[-1] for o in occs if o.title and _title_class(o.title) == "miss")  # "Miss Steeles"
    _merge_titled_into_full_names(clusters, assignment, toks_by_par, misses)
    _merge_nicknames(clusters, assignment, toks_by_par)
    _merge_kin_names_into_titled(clusters, assignment, toks_by_par)
    if not roster:
        _merge_epithets_into_addressed(clusters, assignment, text)
    pack_names = _pack_names(ctx)
    ordered = [c for c in clusters.values() if c.occurrences]
    characters: list[Character] = []
    role_spans: dict[int, list[tuple[int, int]]] = {}
    for c in ordered:
        name = _display_name(c)
        if c.roster is not None and c.roster.name in pack_names:
            name = _without_disambiguator(name)
        characters.append(Character(id="", name=name, aliases=[], gender=_gender(c)))
    cluster_of_char = {id(ch): c for ch, c in zip(characters, ordered)}

    named_at = {occs[i].start for i in assignment}
    by_lower = {ch.name.lower(): ch for ch in characters}
    char_of_occ_cluster = {id(c): ch for ch, c in zip(characters, ordered)}
    name_ending = {occs[i].end: char_of_occ_cluster.get(id(c)) for i, c in assignment.items()}
    name_starting = {occs[i].start: char_of_occ_cluster.get(id(c)) for i, c in assignment.items()}
    apposed_nouns = _apposition_nouns(toks_by_par, name_ending, name_starting)
    epithets: dict[int, set[str]] = defaultdict(set)  # "the beadle" for Mr. Crumble
    for name, gender, spans, standalone in _role_epithets(toks_by_par, named_at, apposed_nouns):
        # "said Mr. Buttons, the chairman,": the role is the name beside it
        character = _apposed(text, spans, name_ending, name_starting)
        if character is None and not standalone:
            continue  # "the beadle", said of Mr. Crumble once and tagged once: an epithet only beside its name
        if character is not None and character.name.lower() != name.lower():
            epithets[id(character)].add(name)
        character = character or by_lower.get(name.lower())  # "Nanny" the name scan kept at a sentence's start
        if character is None:
            character = Character(id="", name=name, aliases=[], gender=gender)
            characters.append(character)
        role_spans.setdefault(id(character), []).extend(spans)

    vocative_spans: dict[int, list[tuple[int, int]]] = {}
    for name, gender, spans, vocatives in _territorial_holders(toks_by_par, named_at):
        character = by_lower.get(name.lower())
        if character is None:
            character = Character(id="", name=name, aliases=[], gender=gender)
            characters.append(character)
        role_spans.setdefault(id(character), []).extend(spans)
        vocative_spans[id(character)] = vocatives

    narrator = _narrator(toks_by_par)
    reader = None if narrator else _reader(text, paragraphs, toks_by_par)
    narrator_char = None
    if narrator:
        narrator_char = Character(id="", name=NARRATOR_NAME, aliases=["I"], gender=None)
        characters.append(narrator_char)
    elif reader:
        # a story told to "you", the reader put into it: "you say" names them as "I said" names a narrator
        narrator_char = Character(id="", name=reader, aliases=["you"], gender=None)
        characters.append(narrator_char)

    # Mentions: names, then pronouns linked by recency.
    char_of_cluster = {id(c): ch for ch, c in zip(characters, ordered)}
    # "Miss Bennet" among Jane, Elizabeth and Mr. Bennet: which one a titled call means, the text does not say
    clusters_of_word = Counter(w for w, _ in {(w, id(c)) for i, c in assignment.items() for w in occs[i].key})
    mentions: list[Mention] = []
    for i, c in assignment.items():
        o = occs[i]
        called = o.vocative and not (o.title and len(o.key) == 1 and clusters_of_word[o.key[0]] > 1)
        mentions.append(Mention(o.start, o.end, text[o.start : o.end], char_of_cluster[id(c)].id or str(id(c)),
                                "vocative" if called else "name"))
    # temporary ids: python ids of Character objects, replaced below
    tmp_id = {}
    for ch in characters:
        tmp_id[id(ch)] = f"tmp{id(ch)}"
    for m, (i, c) in zip(mentions, assignment.items()):
        m.character = tmp_id[id(char_of_cluster[id(c)])]
    for ch in characters:
        for a, b in role_spans.get(id(ch), ()):
            mentions.append(Mention(a, b, text[a:b], tmp_id[id(ch)], "name"))
        for a, b in vocative_spans.get(id(ch), ()):
            mentions.append(Mention(a, b, text[a:b], tmp_id[id(ch)], "vocative"))
    mentions.sort(key=lambda m: m.start)
    gender_of = {tmp_id[id(ch)]: ch.gender for ch in characters}
    mentions.extend(_pronoun_mentions(text, toks_by_par, mentions, gender_of,
                                      tmp_id[id(narrator_char)] if narrator_char else None,
                                      READER_WORDS if reader else NARRATOR_WORDS))
    if reader:  # each "Y/N", a mention of the reader (called out when inside a line)
        mentions.extend(Mention(m.start(), m.end(), m.group(0), tmp_id[id(narrator_char)],
                                "vocative" if mask.inside(m.start()) else "name")
                        for m in _reader_names(text, paragraphs))
    mentions.sort(key=lambda m: m.start)
    families = {tmp_id[id(ch)]: _family_names(cluster_of_char[id(ch)]) for ch in characters if id(ch) in cluster_of_char}
    mentions.extend(_kin_mentions(text, toks_by_par, mentions, gender_of, families, mask))
    mentions.sort(key=lambda m: m.start)
    mentions.extend(_calling_mentions(toks_by_par, paragraphs, mentions, text))
    mentions.sort(key=lambda m: m.start)
    mentions.extend(_role_holder_mentions(toks_by_par, mentions, gender_of, text))
    titled = sorted((occs[i].start, _title_class(occs[i].title), tmp_id[id(char_of_cluster[id(c)])])
                    for i, c in assignment.items() if occs[i].title)
    mentions.extend(_title_noun_mentions(toks_by_par, titled, {m.start for m in mentions if m.kind == "nominal"}, text))
    mentions.sort(key=lambda m: m.start)

    counts = Counter(m.character for m in mentions)
    characters.sort(key=lambda ch: (-counts[tmp_id[id(ch)]], ch.name))
    new_id = {}
    for n, ch in enumerate(characters, 1):
        new_id[tmp_id[id(ch)]] = f"c{n}"
        ch.id = f"c{n}"
        ch.mentions = counts[tmp_id[id(ch)]]
        c = cluster_of_char.get(id(ch))
        if c is not None:
            ch.aliases = sorted({f for f in c.forms if f != ch.name} | _honorific_forms(text, c, ch.name)
                                | epithets[id(ch)])
            if c.roster is not None:
                ch.canonical_name = c.roster.name
    for m in mentions:
        m.character = new_id.get(m.character)
    story.characters = characters
    story.mentions = mentions
    ctx.cache[CACHE_KEY] = {
        "paragraphs": paragraphs,
        "tokens": toks_by_par,
        "mask": mask,
        "narrator": narrator_char.id if narrator_char else None,
        "reader": bool(reader),
    }


def _apposed(text: str, spans, name_ending: dict, name_starting: dict) -> Character | None:
    """The one character a role's uses stand in apposition to ("Mr. Buttons, the chairman", "the chairman,
    Mr. Buttons"), when some do and all of those name the same one; None otherwise."""
    found = set()
    for a, b in spans:
        before = text[max(0, a - 3) : a]
        for gap in (", ", ","):
            if before.endswith(gap) and name_ending.get(a - len(gap)) is not None:
                found.add(id(name_ending[a - len(gap)]))
                holder = name_ending[a - len(gap)]
            if text[b : b + len(gap)] == gap and name_starting.get(b + len(gap)) is not None:
                found.add(id(name_starting[b + len(gap)]))
                holder = name_starting[b + len(gap)]
    return holder if len(found) == 1 else None


ROLE_MIN_USES = 4  # narrated uses of "the detective" before the role is taken for one person of the story
ROLE_MIN_TAGS = 2  # ... of which this many beside a speech verb ("said the detective", "the detective asked")
EPITHET_END = {",", ".", ";", ":", "!", "?", ")"}
# "at the bar, Jock said", "one of the men by the bar said": a noun after these is no one's epithet
NOT_BEFORE_EPITHET = PLACE_PREPOSITIONS | {"by", "with", "for", "on", "upon", "behind", "beside", "under", "about",
                                           "after", "like", "than", "against", "among", "beyond"}


def _apposition_nouns(toks_by_par, name_ending: dict, name_starting: dict) -> set[str]:
    """Lower-case nouns the narration sets beside a name as what that person is: "Mr. Crumble, the beadle,",
    "the undertaker, Mr. Pike." (any word, not only the trades of nominals.txt; not "the eldest", "the man")."""
    skip = epithet_stopwords()
    found = set()
    for toks in toks_by_par:
        for n in range(2, len(toks) - 2):
            t, the = toks[n], toks[n - 1]
            if t.in_quote or the.lower != "the" or not (t.text.isalpha() and t.text.islower()) or t.lower in skip \
                    or toks[n + 1].text not in EPITHET_END or toks[n - 2].lower in NOT_BEFORE_EPITHET:
                continue
            after_name = toks[n - 2].text == "," and name_ending.get(toks[n - 2].start) is not None
            before_name = toks[n + 1].text == "," and name_starting.get(toks[n + 2].start) is not None
            if after_name or before_name:
                found.add(t.lower)
    return found


def _beside_quotation_tag(toks: list[Token], n: int, verbs) -> bool:
    """Whether "the <noun>" ending at toks[n] is the subject of a speech tag at a quotation: '," said the
    beadle', '," the beadle said', 'the beadle said, "' (not "ordered the carriage", "told the truth")."""
    def quotation_at(k: int) -> bool:
        return 0 <= k < len(toks) and (toks[k].in_quote or toks[k].text in QUOTE_CHARS)

    if n >= 3 and toks[n - 2].lower in verbs and (quotation_at(n - 3) or
                                                  (toks[n - 3].text == "," and quotation_at(n - 4))):
        return True
    after_preposition = n >= 2 and toks[n - 2].lower in NOT_BEFORE_EPITHET
    if n + 1 < len(toks) and toks[n + 1].lower in verbs and not after_preposition:
        return quotation_at(n - 2) or quotation_at(n - 3) or quotation_at(n + 2) or quotation_at(n + 3)
    return False


def _role_epithets(toks_by_par, named_at: set[int], apposed: set[str] = frozenset()
                   ) -> list[tuple[str, str | None, list[tuple[int, int]], bool]]:
    """A trade the narration keeps for one unnamed person ("the detective", "the landlady": a role noun of
    lexicons/nominals.txt, said with "the" at least ROLE_MIN_USES times and beside a speech verb at least
    ROLE_MIN_TAGS times), or any noun the narration sets beside a name (``apposed``: "Mr. Crumble, the
    beadle") and uses once in a speech tag: its name ("the detective"), the gender the noun shows, the spans
    of its uses in narration ("the detective examined the room"), so that attribution counts it among the
    people present, and whether it is a person of its own when no name stands beside it (the trade's counts
    were met)."""
    roles = role_nouns()
    verbs = speech_verbs()
    uses: dict[str, list[tuple[int, int]]] = defaultdict(list)
    tagged: Counter = Counter()
    told: dict[str, Counter] = defaultdict(Counter)
    for toks in toks_by_par:
        for n in range(len(toks)):
            t = toks[n]
            if t.in_quote or t.start in named_at or (n and toks[n - 1].in_quote and toks[n - 1].is_word()):
                continue
            if t.lower not in roles and not (t.lower in apposed and n and toks[n - 1].lower == "the"):
                continue
            nxt = toks[n + 1] if n + 1 < len(toks) else None
            if nxt is not None and nxt.is_word() and (nxt.text[:1].isupper() or nxt.lower in nominals()):
                continue  # "the detective Ratcliffe", "the policeman's": a name or another noun follows
            prev = toks[n - 1] if n else None
            if prev is not None and prev.lower == "the" and t.text.islower():
                name, start, before = "the " + t.lower, prev.start, toks[n - 2].lower if n >= 2 else ""
            elif prev is None or not prev.is_word() or (prev.text.islower() and prev.lower not in NOT_BARE_ROLE):
                # "said nanny", "Nanny sniffed": the trade said bare, as a name
                name, start, before = t.lower.capitalize(), t.start, prev.lower if prev is not None else ""
            else:
                continue
            uses[name].append((start, t.end))
            if t.lower in roles and (before in verbs or (nxt is not None and nxt.lower in verbs)):
                tagged[name] += 1
            elif t.lower not in roles and _beside_quotation_tag(toks, n, verbs):
                tagged[name] += 1  # any other noun speaks only in a tag at a quotation: '," said the beadle'
            for k in range(n + 1, min(n + 12, len(toks))):  # "the waiter ... he": the next he/she of the sentence
                if toks[k].text in SENTENCE_END or toks[k].lower in roles:
                    break
                g = pronoun_gender(toks[k].text) if not toks[k].in_quote else None
                if g in ("M", "F") and toks[k].lower in ("he", "she", "his", "himself", "herself"):
                    told[name][g] += 1
                    break
    out = []
    for name, spans in sorted(uses.items()):
        noun = name.split()[-1].lower()
        standalone = noun in roles and len(spans) >= ROLE_MIN_USES and tagged[name] >= ROLE_MIN_TAGS
        if not standalone and not (noun in apposed and tagged[name]):
            continue
        gender = nominals().get(name.split()[-1].lower())
        if gender is None and told[name]:
            (g, n), total = told[name].most_common(1)[0], sum(told[name].values())
            gender = g if n >= 2 and n >= 0.75 * total else None  # a trade of either sex: its pronouns tell
        out.append((name, gender, spans, standalone))
    return out


TERRITORIAL_GAP = 6000  # characters from a title holder's last mention within which "the duchess" is still she


def _territorial_holders(toks_by_par, named_at: set[int]):
    """"The Duchess of Harley" (a title of honorifics.json "territorial_titles" with "of" and a capitalised
    place) is a person; "the duchess" after it, in narration, is the holder of that title the text brought in
    last, and so is "Duchess" said alone between commas in a quotation ("Let me get you some orchids,
    Duchess").  A use within TERRITORIAL_GAP of the last one, a line's ("I like the duchess") counted, is still
    the holder's.  Yields (name, gender, spans of the name and its later uses, spans of the vocatives)."""
    titles = set(honorifics()["territorial_titles"])
    genders = honorifics()["titles"]
    holders: list[tuple[int, str, str]] = []  # (offset, title, name) in text order
    later: list[tuple[int, int, str, bool | str]] = []  # (start, end, title, vocative or "talk")
    for toks in toks_by_par:
        for n, t in enumerate(toks):
            if t.lower not in titles or not t.is_word():
                continue
            prev = toks[n - 1] if n else None
            nxt = toks[n + 1] if n + 1 < len(toks) else None
            after = toks[n + 2] if n + 2 < len(toks) else None
            if t.text[0].isupper() and nxt is not None and nxt.lower == "of" and after is not None \
                    and after.text[:1].isupper() and after.text.isalpha() and not t.in_quote:
                start = prev.start if prev is not None and prev.lower == "the" else t.start
                holders.append((start, t.lower, f"{t.text} of {after.text}"))
                later.append((start, after.end, t.lower, False))
            elif prev is not None and prev.lower == "the" and t.start not in named_at \
                    and (nxt is None or nxt.lower != "of"):
                # talked of in a line ("I like the duchess"), she is still in the story: that keeps her title
                # hers, though only the narration's uses are mentions of her
                later.append((prev.start, t.end, t.lower, "talk" if t.in_quote else False))
            elif t.in_quote and t.text[0].isupper() and prev is not None and prev.text == "," \
                    and (nxt is None or not nxt.is_word()):
                later.append((t.start, t.end, t.lower, True))
    if not holders:
        return []
    holder_starts = defaultdict(list)
    for start, title, name in holders:
        holder_starts[title].append((start, name))
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    vocatives: dict[str, list[tuple[int, int]]] = defaultdict(list)
    title_of_name = {name: title for _, title, name in holders}
    last_seen: dict[str, int] = {}
    for start, end, title, vocative in sorted(later):
        before = [name for s, name in holder_starts.get(title, []) if s <= start]
        # within a scene or two of the holder's last mention: "the duke" long after the Duke of Milan of a
        # history lesson is someone else
        if before and start - last_seen.get(before[-1], start) <= TERRITORIAL_GAP:
            if vocative != "talk":
                (vocatives if vocative else spans)[before[-1]].append((start, end))
            last_seen[before[-1]] = start
    # only a holder the text goes on to call by the title alone: a duke of a history lesson or the title of a
    # play ("The Duchess of Malfi") is no one who takes part
    intro = {s for s, _, _ in holders}
    return [(name, genders.get(title_of_name[name]), spans[name], vocatives[name]) for name in title_of_name
            if vocatives[name] or any(a not in intro for a, _ in spans[name])]


TITLE_NOUN_WINDOW = 20000  # characters after a titled name ("Professor Joshi") within which "the professor" is him
# words after "the general"/"the major" that leave it a person: a verb, not a noun it describes ("the general opinion")
AFTER_A_PERSON = frozenset({"was", "had", "is", "has", "would", "could", "did", "who", "and", "himself", "herself"})


def _title_noun_mentions(toks_by_par, titled: list[tuple[int, str, str]], taken: set[int], text: str) -> list[Mention]:
    """"The professor", "the doctor" in narration (a title of honorifics.json "rank_titles" written small after
    "the") is the one the text last named with that title ("Professor Joshi", "Dr. Rahim"), at most
    TITLE_NOUN_WINDOW characters before; ``titled`` holds (offset, title class, character) of each titled name.
    Spans in ``taken`` (resolved by another rule) stay as they are."""
    ranks = set(honorifics()["rank_titles"])
    adjectival = set(honorifics()["rank_titles_adjectival"])
    if not titled:
        return []
    offsets = [o for o, _, _ in titled]
    verbs = speech_verbs() | agent_verbs() | AFTER_A_PERSON
    out = []
    for toks in toks_by_par:
        for n in range(1, len(toks)):
            t, the = toks[n], toks[n - 1]
            word, _ = strip_possessive(t.text)
            if t.in_quote or the.lower != "the" or the.start in taken or not word.islower() or word not in ranks:
                continue
            nxt = toks[n + 1] if n + 1 < len(toks) else None
            if nxt is not None and nxt.is_word() and (nxt.text[:1].isupper() or nxt.lower == "of" or (
                    word in adjectival and nxt.lower not in verbs)):
                continue  # "the doctor Mr. Oakes", "the captain of the ship", "the major part"
            cls = _title_class(word)
            i = bisect.bisect_left(offsets, the.start)
            holder = next((who for at, c, who in reversed(titled[max(0, i - 200) : i])
                           if c == cls and the.start - at <= TITLE_NOUN_WINDOW), None)
            if holder is not None:
                # a name, as "the duchess" of a territorial title is: the one person the title holds
                out.append(Mention(the.start, t.end, text[the.start : t.end], holder, "name"))
    return out


# words that make the noun after them no bare name: determiners, possessives, describing words
NOT_BARE_ROLE = DETERMINERS | {"a", "an", "his", "her", "my", "your", "whose", "some", "any", "no", "another", "old",
                               "young", "new", "little", "good", "poor", "dear", "head", "under", "other", "one",
                               "of", "same", "first", "second", "last", "every"}


def _pack_names(ctx) -> set[str]:
    """Names of the chosen fandom pack's characters (their canonical AO3 tags)."""
    from ..roster import load_fandom

    if not ctx.options.fandom:
        return set()
    try:
        return {e.name for e in load_fandom(ctx.options.fandom)}
    except Exception:
        return set()


def _without_disambiguator(name: str) -> str:
    """"Castiel (Supernatural)" -> "Castiel": AO3 tags a name with its fandom where names clash; a reader
    of one story needs only the name (``canonical_name`` keeps the tag)."""
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", name)
    return bare or name


def _honorific_forms(text: str, c: Cluster, name: str) -> set[str]:
    """Surface forms with honorifics ("Kakashi-sensei", "A-Ning") as aliases, so a reader sees every name used."""
    out = set()
    for o in c.occurrences:
        surface = text[o.start : o.end]
        surface, _ = strip_possessive(surface)
        if (o.suffix or is_familiar_form(surface)) and surface != name:
            out.add(surface)
    return out


def _display_name(c: Cluster) -> str:
    if c.roster is not None:
        return c.roster.name
    # A full name (given and family name, no title) when the text ever gives one: it is the name every reader
    # knows the person by ("Henry Crawford", not "Mr. Crawford"; "Tom Bertram", not "Tom"); else the most
    # frequent form a reader would use, where a bare title-less surname loses to a fuller form of equal use.
    alone = Counter(o.words[0] for o in c.occurrences if len(o.words) == 1 and not o.determiner)
    total = sum(c.forms.values())
    # "Mr. Beachfield Davis" is one more use of the full name "Beachfield Davis" (not "Lady Catherine de
    # Bourgh", whose title goes with her given name), when the full name is not rare beside the given name or the
    # text says it with the title again and again ("Mr. Robert Ferrars", four times beside 29 "Robert")
    with_titled = Counter(c.forms)
    for f, n in c.forms.items():
        words = f.split()
        full_name = " ".join(words[1:])
        if len(words) >= 3 and _title_of(words[0]) is not None and full_name in c.forms \
                and _title_of(words[0]) not in honorifics()["first_name_titles"] \
                and (c.forms[full_name] + n >= 0.5 * alone[words[1]] or n >= 3):
            with_titled[full_name] += n
    full = [(f, n) for f, n in with_titled.items() if len(f.split()) >= 2 and f[0].isupper() and n >= 2
            and len(f.split()[0]) >= 3 and _title_of(f.split()[0]) is None and alone[f.split()[0]]
            and n >= 0.1 * alone[f.split()[0]] and n >= 0.04 * total]
    if full:
        return max(full, key=lambda kv: (kv[1], len(kv[0].split()), kv[0]))[0]
    # a name before a description ("Colonel Saunders", not "the Colonel"), and the given name before a
    # familiar form of it ("Elizabeth", not "Lizzy")
    forms = [(f, n) for f, n in c.forms.items() if not f.startswith("the ") and f.split()[-1] not in c.familiar] \
        or list(c.forms.items())
    best = max(forms, key=lambda kv: (kv[1], len(kv[0].split()), kv[0]))[0]
    if len(best.split()) == 1:
        # a bare surname gives way to the surname with a rank ("Inspector Ratcliffe", not "Ratcliffe"): the rank
        # is the holder's alone, where "Mr." may be any man of the family
        titled = [(f, n) for f, n in forms if len(f.split()) == 2 and f.split()[1] == best
                  and _title_of(f.split()[0]) is not None and n >= 2
                  and _is_rank(_title_of(f.split()[0]))]
        if titled:
            return max(titled, key=lambda kv: (kv[1], kv[0]))[0]
    return best




def _is_rank(title: str) -> bool:
    """A title that shows no sex and goes with a surname ("Inspector", "Colonel"), not kin ("Cousin")."""
    cls = _title_class(title)
    return honorifics()["titles"].get(cls) is None and cls not in honorifics()["first_name_titles"] \
        and cls not in honorifics()["kinship_titles"]


def _canon_gender(c: Cluster) -> str | None:
    """The gender the bundled fandom packs give this character's distinctive name, when they agree, and when
    the character's other names are that canon person's too ("Riza Hawkeye" is not Marvel's Hawkeye)."""
    words = {word for form in c.forms for word in form.split() if not _title_of(word)}
    genders = set()
    for word in words:
        canon = canon_character(word)
        if canon is not None and words <= {w for name in (canon.name, *canon.aliases) for w in name.split()}:
            genders.add(canon.gender)
    genders.discard(None)
    return genders.pop() if len(genders) == 1 else None


def _gender(c: Cluster) -> str | None:
    if c.roster is not None and c.roster.gender:
        return c.roster.gender
    votes = c.gender_votes
    canon = _canon_gender(c)
    other = "F" if canon == "M" else "M"
    if canon in ("M", "F") and other not in _title_sexes(c):  # "Miss Lee" is not Naruto's Rock Lee
        # "Hinata" is a woman in every Naruto story, unless the text's own words for her say otherwise twice
        # (a genderbend); the next he/she after a name in a two-person scene is no evidence against canon
        if not (votes["own:" + other] >= 2 and votes["own:" + other] > votes["own:" + canon]):
            return canon
    # a title of one sex on every titled use ("Miss Watson"), or a given name of one sex ("Edward"): the next
    # he/she after the name is often someone else's, and outweighs neither unless the name's own words do
    prior = _title_gender(c) or _patronymic_gender(c) or _given_name_gender(c) or _kin_name_gender(c)
    if prior is not None:
        other = "F" if prior == "M" else "M"
        if not (votes["own:" + other] >= 2 and votes["own:" + other] > votes["own:" + prior]):
            return prior
    total = votes["M"] + votes["F"]
    if total == 0:
        return _given_name_gender(c)
    share = 0.6 if total >= 15 else 0.7  # many weak votes (the next he/she) may be trusted at a lower share
    for g, other in (("M", "F"), ("F", "M")):
        # "shook her head", "found herself": the name's own words, never (or seldom) contradicted, outweigh
        # the next pronoun
        own, own_other = votes["own:" + g], votes["own:" + other]
        if own and (not own_other or (own >= 3 and own >= 3 * own_other)) and votes[g] >= 0.4 * total:
            return g
    for g, other in (("M", "F"), ("F", "M")):
        if votes[g] >= 2 and votes[g] >= share * total:
            return g
        # a much-named person beside one of the other sex: the next pronoun is often the other's, but
        # still more often their own
        if total >= 30 and votes[g] >= 1.35 * votes[other]:
            return g
    if total == 1:
        return max(("M", "F"), key=lambda g: votes[g])
    # mixed pronouns after the name: the sex of the given name, when they lean that way or are even
    named = _given_name_gender(c)
    if named is not None and votes[named] >= votes["F" if named == "M" else "M"]:
        return named
    return None




def _title_sexes(c: Cluster) -> set[str | None]:
    """The sexes the cluster's titled uses show ("Miss", "Mrs.", "Sir"; None for "Dr.", "Captain")."""
    return {honorifics()["titles"].get(o.title) for o in c.occurrences if o.title}


def _title_gender(c: Cluster) -> str | None:
    """The sex every titled use of the cluster shows, when it has such uses and they agree."""
    genders = _title_sexes(c)
    return genders.pop() if len(genders) == 1 and genders != {None} else None


def _patronymic_gender(c: Cluster) -> str | None:
    """The sex of the cluster's patronymic ("Alexei Ivanovich", "Polina Alexandrovna"), when its names have one
    and all that do agree."""
    genders = {patronymic_gender(w) for o in c.occurrences for w in o.words[1:]} - {None}
    return genders.pop() if len(genders) == 1 else None


def _given_name_gender(c: Cluster) -> str | None:
    """The sex English fiction gives the cluster's given name ("Marjorie", "Albert"), when its own text tells
    nothing: its untitled first words, all of one sex in lexicons/given_name_genders.txt."""
    firsts = {o.words[0].lower() for o in c.occurrences if not o.title and not o.determiner}
    genders = {given_name_genders().get(w) for w in firsts}
    return genders.pop() if len(genders) == 1 else None


OWN_NOUNS = {"head", "eyes", "eyebrows", "brows", "brow", "shoulders", "lips", "face", "voice", "mind", "breath",
             "chin", "own", "throat", "teeth", "temper", "seat", "way"}


def _own_gender(toks: list[Token], j: int) -> str | None:
    """"Brenda shook her head", "Tony found himself": the name's own possessive or reflexive, in the few words
    of its clause after it."""
    for n in range(j, min(j + 5, len(toks))):
        t = toks[n]
        if t.in_quote or not t.is_word():
            return None
        w = t.lower
        if w in ("himself", "herself"):
            return "M" if w == "himself" else "F"
        if w in ("his", "her") and n + 1 < len(toks) and toks[n + 1].lower in OWN_NOUNS and n > j:
            return "M" if w == "his" else "F"
    return None


TOLD_PRONOUNS = {w: g for g, ws in (("M", ("he", "him", "his", "himself")), ("F", ("she", "her", "herself")))
                 for base in ws for w in (base, base.capitalize())}
OBJECT_FOLLOWERS = {"to", "and", "or", "with", "in", "at", "a", "an", "the", "that", "for", "on", "of", "by",
                    "from", "as", "up", "down", "out", "away", "back", "again", "too", "so", "if", "when", "into"}


def _object_pronoun(toks: list[Token], i: int) -> bool:
    """"him", or "her" not followed by a noun of hers ("saw her.", "gave her the book", "told her that")."""
    if toks[i].lower == "him":
        return True
    if toks[i].lower != "her":
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is None or not nxt.is_word() or nxt.lower in OBJECT_FOLLOWERS or nxt.text[0].isupper()


@lru_cache(maxsize=1)
def _kin_names() -> dict[str, str]:
    """Kin word used as a name -> the sex it shows (lexicons/kin_names.txt)."""
    entries = (e.partition(":") for e in lexicons.load_words("kin_names.txt"))
    return {word.strip(): sex.strip().upper() for word, _, sex in entries}


def _kin_name_gender(c: Cluster) -> str | None:
    """The sex a kin word used as a name shows ("Mom", "Grandpa")."""
    words = {o.words[0].lower() for o in c.occurrences if len(o.words) == 1}
    found = {_kin_names().get(w) for w in words}
    return found.pop() if len(found) == 1 and None not in found else None


def _gender_votes(occs, assignment, toks_by_par) -> None:
    """Each cluster's gender votes afresh: titles and honorifics (3 each), then pronouns."""
    for c in assignment.values():
        c.gender_votes.clear()
    for i, c in assignment.items():
        o = occs[i]
        gender = honorifics()["titles"].get(o.title) if o.title else None
        if o.suffix:
            gender = honorifics()["suffixes"].get(o.suffix) or gender
        if gender:
            c.gender_votes[gender] += 3
    _pronoun_gender_votes(occs, assignment, toks_by_par)


def _pronoun_gender_votes(occs, assignment, toks_by_par) -> None:
    """A name in narration followed (before any other name) by he/she votes for that gender."""
    starts_by_par: dict[int, list[int]] = defaultdict(list)
    for o in occs:
        starts_by_par[o.paragraph].append(o.start)
    for i, c in assignment.items():
        o = occs[i]
        if o.in_quote:
            continue
        toks = toks_by_par[o.paragraph]
        own = _own_gender(toks, o.token_index + len(o.words))
        if own:
            c.gender_votes[own] += 3
            c.gender_votes["own:" + own] += 1
        others = starts_by_par[o.paragraph]
        nxt_name = others[bisect.bisect_right(others, o.start)] if bisect.bisect_right(others, o.start) < len(others) else 10**12
        other_seen = None
        for n in range(o.token_index + 1, min(o.token_index + 25, len(toks))):
            t = toks[n]
            if t.start >= nxt_name:
                break
            if t.in_quote:
                continue
            if t.text in SENTENCE_END:
                # "Neji whispered. He smiled": a next sentence that opens with he/she goes on with the name
                after = toks[n + 1] if n + 1 < len(toks) else None
                if after is not None and not after.in_quote and after.lower in ("he", "she") and after.start < nxt_name \
                        and pronoun_gender(after.text) != other_seen:  # not "Ottilie offers him the bag. He takes one"
                    c.gender_votes[pronoun_gender(after.text)] += 1
                break
            g = pronoun_gender(t.text)
            if g in ("M", "F"):
                # "Marianne saw him": an object is someone else, and so are the he/his of that gender after it
                # ("Hinata caught him before he fell and held his head in her lap")
                if _object_pronoun(toks, n) or g == other_seen:
                    if other_seen is None:
                        c.gender_votes["obj:" + g] += 1
                    other_seen = g
                    continue
                c.gender_votes[g] += 1
                break
    # In a story told almost all in one gender's pronouns (two men, say), the object after a name is of that
    # gender too, and so, most likely, is the name: that is the gender of a name nothing else tells.
    told = Counter(TOLD_PRONOUNS[t.text] for toks in toks_by_par for t in toks
                   if t.text in TOLD_PRONOUNS and not t.in_quote)
    for g, other in (("M", "F"), ("F", "M")):
        if told[g] >= 0.85 * (told[g] + told[other]) and told[g] >= 2:
            for c in assignment.values():
                if not c.gender_votes["M"] and not c.gender_votes["F"] and c.gender_votes["obj:" + g] \
                        and not c.gender_votes["obj:" + other]:
                    c.gender_votes[g] += 1
    # A paragraph whose narration names one person and uses pronouns of one gender: that person's gender.
    named: dict[int, set[int]] = defaultdict(set)
    cluster_by_id = {}
    for i, c in assignment.items():
        if not occs[i].in_quote:
            named[occs[i].paragraph].add(id(c))
            cluster_by_id[id(c)] = c
    for p, ids in named.items():
        if len(ids) != 1:
            continue
        genders = {pronoun_gender(t.text) for t in toks_by_par[p] if not t.in_quote and t.lower in ("he", "she", "him", "his", "her")}
        if len(genders) == 1:
            cluster_by_id[next(iter(ids))].gender_votes[genders.pop()] += 1


def _narrator(toks_by_par) -> bool:
    """First-person narration: "I", "me", "my" outside quotations, often enough beside he/she."""
    first = third = 0
    firsts = pronouns()["first"]
    for toks in toks_by_par:
        for t in toks:
            if t.in_quote or not t.is_word():
                continue
            lw = t.lower
            if lw in firsts:
                first += 1
            elif lw in ("he", "she", "him", "her", "his"):
                third += 1
    return first >= 3 and first >= 0.5 * third


NARRATOR_WORDS = frozenset({"i", "me", "my"})  # a first-person narrator's words in narration
READER_WORDS = frozenset({"you", "your", "yourself"})  # the reader's, in a story told to "you"
READER_NAMES = frozenset({"y/n", "f/n", "y/f/n", "n/n"})  # placeholders for the reader's name ("Y/N")


def _reader_names(text: str, paragraphs) -> list[re.Match]:
    """The placeholders for the reader's name ("Y/N", "(y/n)") in the body, not in the notes ("Y/N = your
    name")."""
    starts = [s for s, _ in paragraphs]
    out = []
    for m in reader_insert_markers(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < paragraphs[i][1] and m.group(0).strip("()[]{}").lower() in READER_NAMES:
            out.append(m)
    return out


def _reader(text: str, paragraphs, toks_by_par) -> str | None:
    """The name of the reader a second-person story puts into it, or None: narration that says "you" at least
    five times, more than "I" and not much less than he and she; named as its placeholder ("Y/N") when it has
    one, else "the reader"."""
    second = first = third = 0
    for toks in toks_by_par:
        for t in toks:
            if t.in_quote or not t.is_word():
                continue
            if t.lower in READER_WORDS:
                second += 1
            elif t.lower in pronouns()["first"]:
                first += 1
            elif t.lower in ("he", "she", "him", "her", "his"):
                third += 1
    if second < 5 or second <= first or second < 0.5 * third:
        return None
    named = _reader_names(text, paragraphs)
    return named[0].group(0).strip("()[]{}") if named else "the reader"


def _pronoun_mentions(text, toks_by_par, name_mentions, gender_of, narrator_id,
                      narrator_words: frozenset[str] = NARRATOR_WORDS) -> list[Mention]:
    """He/she in narration -> the most recently named character of that gender; "I" (or, told to the reader,
    "you") -> the narrator."""
    out = []
    starts = [m.start for m in name_mentions]
    last_by_gender: dict[str, str] = {}
    mi = 0
    for toks in toks_by_par:
        for t in toks:
            while mi < len(name_mentions) and name_mentions[mi].start <= t.start:
                m = name_mentions[mi]
                g = gender_of.get(m.character)
                if g in ("M", "F") and m.kind == "name":
                    last_by_gender[g] = m.character
                mi += 1
            if t.in_quote or not t.is_word():
                continue
            g = pronoun_gender(t.text)
            if g in ("M", "F") and g in last_by_gender and t.lower in ("he", "she", "him", "his", "her"):
                out.append(Mention(t.start, t.end, t.text, last_by_gender[g], "pronoun"))
            elif narrator_id and t.lower in narrator_words:
                out.append(Mention(t.start, t.end, t.text, narrator_id, "pronoun"))
    del starts
    return out


# Kin nouns that a possessive ties to one person ("her husband", "Anne's sister"): the relation, and the
# gender the noun shows.
KIN = {"husband": ("spouse", "M"), "wife": ("spouse", "F"), "father": ("parent", "M"), "mother": ("parent", "F"),
       "papa": ("parent", "M"), "mamma": ("parent", "F"), "mama": ("parent", "F"), "dad": ("parent", "M"),
       "mum": ("parent", "F"), "mom": ("parent", "F"), "son": ("child", "M"), "daughter": ("child", "F"),
       "brother": ("sibling", "M"), "sister": ("sibling", "F"), "uncle": ("elder", "M"), "aunt": ("elder", "F")}
MARRIED_TITLES = {"M": {"mr", "sir", "lord", "monsieur", "signor", "herr", "count", "baron", "duke", "colonel",
                        "captain", "admiral", "general", "major", "dr", "doctor", "reverend", "professor"},
                  "F": {"mrs", "lady", "madame", "signora", "frau", "countess", "baroness", "duchess"}}


@dataclass
class Family:
    surnames: set  # family names the character goes by ("Bennet" of "Mr. Bennet", "Elizabeth Bennet")
    titles: set  # title classes used with those names ("mr")
    first_named: bool  # named by a given name too ("Elizabeth")


def _family_names(c: Cluster) -> Family:
    surnames, titles, first_named = set(), set(), False
    first_titles = set(honorifics()["first_name_titles"])
    # given names: first words of full names, and common given names the cluster also goes by bare
    givens = {o.words[0] for o in c.occurrences if len(o.words) > 1 and not o.determiner} | {
        o.words[0] for o in c.occurrences if len(o.words) == 1 and not o.title and not o.determiner
        and o.words[0].lower() in given_name_genders()}
    for o in c.occurrences:
        if o.determiner:
            continue
        if o.title and (len(o.words) > 1 or o.title not in first_titles):
            if len(o.words) > 1 or o.words[0] not in givens:  # "Mr. Philip" is Philip's given name
                surnames.add(o.words[-1])
            titles.add(_title_class(o.title))
        elif len(o.words) > 1:
            surnames.add(o.words[-1])
            first_named = True
        else:
            first_named = first_named or bool(o.title)
    return Family(surnames, titles, first_named)


def _kin_by_family(possessor: str, kin: str, gender_of: dict, families: dict) -> str | None:
    """Who "her husband", "his mother" is when the family names settle it: the one other person of the
    possessor's family name with a title that fits (Mrs. Bennet's husband is Mr. Bennet); None if not one."""
    relation, gender = KIN[kin]
    own = families.get(possessor)
    if own is None or not own.surnames or relation == "elder":
        return None
    # A married woman's family name is her husband's: it tells her husband, not her father or sister; an
    # unmarried one's tells her father and sister, not her husband-to-be.
    married_woman = bool(own.titles & MARRIED_TITLES["F"])
    if (relation == "spouse" and gender == "M") != married_woman:
        return None
    found = set()
    for cid, fam in families.items():
        if cid == possessor or gender_of.get(cid) not in (gender, None) or not (fam.surnames & own.surnames):
            continue
        if relation in ("spouse", "parent"):
            titled = fam.titles & MARRIED_TITLES[gender]
            if titled and (relation == "parent" or gender_of.get(cid) == gender or titled & {"mr", "mrs"}):
                found.add(cid)
        elif fam.first_named and gender_of.get(cid) == gender and not (fam.titles & MARRIED_TITLES[gender]):
            found.add(cid)
    return found.pop() if len(found) == 1 else None


def _narrated_owner(narrated: list[Mention], starts: list[int], gender_of: dict, offset: int, gender: str):
    """The character the narration last named or called he/she, before ``offset``, of ``gender``: whose
    "his"/"her" it is.  Names inside quotations are left out ('"...let us return to Mr. Bingley." "...," cried his wife': Mr. Bennet's
    wife, not Mr. Bingley's)."""
    i = bisect.bisect_left(starts, offset) - 1
    while i >= 0 and offset - narrated[i].start < 3000:
        if gender_of.get(narrated[i].character) == gender:
            return narrated[i].character
        i -= 1
    return None


def _addressed_before_tag(toks: list[Token], j: int, vocatives: list[Mention], starts: list[int], gender_of: dict,
                         gender: str) -> str | None:
    """Whose "his"/"her" toks[j] is in a speech tag right after a quotation that calls someone of that sex by
    name ('"How could you do it, Frank?" gasped his brother'): the one the quotation addresses last, of whom
    the speaker is kin; None when toks[j] is no such tag's or the quotation calls no one so."""
    if j < 2 or toks[j - 1].lower not in speech_verbs() or toks[j - 2].text not in QUOTE_CHARS:
        return None
    q = j - 3  # back over the quotation's words to where it opens
    while q >= 0 and toks[q].in_quote:
        q -= 1
    opened = toks[q + 1].start if q + 1 < j - 2 else toks[j - 2].start
    i = bisect.bisect_left(starts, toks[j - 2].start) - 1
    if i >= 0 and starts[i] >= opened and gender_of.get(vocatives[i].character) == gender:
        return vocatives[i].character
    return None


def _kin_mentions(text, toks_by_par, mentions, gender_of, families, mask=None) -> list[Mention]:
    """"her husband", "his mother", "Anne's sister" in narration, as mentions of the person they are: the one
    the text names beside it ("her husband, Mr. Pontellier", "his sister Mary"), the one it named so for the
    same person before, or the one the family names settle (see _kin_by_family)."""
    by_start = {m.start: m for m in mentions}
    name_by_end = {m.end: m for m in mentions if m.kind in ("name", "vocative")}
    known: dict[tuple[str, str], str] = {}  # (possessor, kin) -> character, as the text said it
    narrated = [m for m in mentions if m.kind in ("name", "pronoun") and m.character
                and (mask is None or not mask.inside(m.start))]
    narrated_starts = [m.start for m in narrated]
    vocatives = [m for m in mentions if m.kind == "vocative" and m.character]
    vocative_starts = [m.start for m in vocatives]
    par_starts = []
    for toks in toks_by_par:  # each paragraph's first offset (an empty one takes its predecessor's)
        par_starts.append(toks[0].start if toks else (par_starts[-1] if par_starts else 0))
    unresolved: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    out = []
    for p, toks in enumerate(toks_by_par):
        for n in range(1, len(toks)):
            t = toks[n]
            if t.in_quote or t.lower not in KIN or not t.text.islower():
                continue
            prev = toks[n - 1]
            if prev.lower in ("his", "her"):
                owner = by_start.get(prev.start)
                if owner is not None and mask is not None:
                    who = _narrated_owner(narrated, narrated_starts, gender_of, prev.start,
                                          "M" if prev.lower == "his" else "F")
                    owner = Mention(owner.start, owner.end, owner.text, who, owner.kind) if who else owner
                called = _addressed_before_tag(toks, n - 1, vocatives, vocative_starts, gender_of,
                                               "M" if prev.lower == "his" else "F")
                if owner is not None and called is not None:
                    owner = Mention(owner.start, owner.end, owner.text, called, owner.kind)
            else:
                owner = name_by_end.get(prev.end) if prev.text.endswith(("'s", "’s")) else None
            if owner is None or not owner.character:
                continue
            possessor, kin = owner.character, t.lower
            # "her husband, Mr. Pontellier" / "his sister Mary": the name right after
            k = n + 1 + (n + 1 < len(toks) and toks[n + 1].text == ",")
            named = by_start.get(toks[k].start) if k < len(toks) else None
            if named is not None and k > n + 1:
                # after a comma, only a name the commas close off: not "the interview with her father,
                # Denham made no comment", where the name opens the next clause
                e = k
                while e < len(toks) and toks[e].start < named.end:
                    e += 1
                if e < len(toks) and toks[e].lower not in APPOSITION_CLOSERS:
                    named = None
            target = None
            if named is not None and named.kind == "name" and named.character != possessor \
                    and gender_of.get(named.character) in (KIN[kin][1], None):
                target = named.character
                known[(possessor, kin)] = target
            else:
                target = known.get((possessor, kin)) or _kin_by_family(possessor, kin, gender_of, families)
            if target is not None and target != possessor:
                out.append(Mention(prev.start, t.end, text[prev.start : t.end], target, "nominal"))
            elif target is None:
                unresolved[(possessor, kin)].append((p, prev.start, t.end))
    # Still unresolved: the one person of the kin's sex the narration names near most of that phrase's uses
    # ("said her mother" in scenes that name Mrs. Dashwood, and no other woman as often)
    name_pars: dict[int, set[str]] = defaultdict(set)
    for m in narrated:
        if m.kind == "name":
            name_pars[bisect.bisect_right(par_starts, m.start) - 1].add(m.character)
    found: dict[tuple[str, str], str] = {}
    # women first: "her uncle" is then the man of "her aunt"'s family name (not Mr. Darcy, named near as often)
    for (possessor, kin), uses in sorted(unresolved.items(), key=lambda kv: KIN[kv[0][1]][1] != "F"):
        relation, gender = KIN[kin]
        if relation not in ("parent", "elder", "spouse"):
            continue  # a sister or a son is named by a given name, like everyone near the possessor
        # a parent, aunt or spouse is one the narration names with a title of that standing ("Mrs. Dashwood",
        # "Aunt Juley"), and of the possessor's family when the possessor has a family name
        fitting = MARRIED_TITLES[gender] | ({"aunt", "auntie"} if gender == "F" else {"uncle"})
        own = families.get(possessor)
        if relation == "parent" and own and own.titles & MARRIED_TITLES["F"]:
            continue  # a married woman's family name is her husband's: it tells nothing of her parents

        def kin_surnames(possessor, kin):
            """A man's kin is of the family of the possessor or of the woman who is the same kin to them."""
            names = set(own.surnames) if own else set()
            woman = found.get((possessor, FEMALE_COUNTERPART.get(kin, "")))
            return names | (families[woman].surnames if woman in families else set())
        near = Counter()
        for p, _, _ in uses:
            near.update({c for q in range(p - KIN_WINDOW, p + KIN_WINDOW + 1) for c in name_pars.get(q, ())
                         if c != possessor and gender_of.get(c) == gender and c in families
                         and families[c].titles & fitting
                         and (relation == "elder" or not (own and own.surnames) or families[c].surnames & own.surnames)
                         and (gender == "F" or families[c].surnames & kin_surnames(possessor, kin))})
        ranked = near.most_common(2)
        if not ranked:
            continue
        top, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if n >= 3 and n >= 0.3 * len(uses) and n >= 1.5 * second:
            found[(possessor, kin)] = top
            out.extend(Mention(a, b, text[a:b], top, "nominal") for _, a, b in uses)
    # Still unresolved, a parent, aunt or uncle ("said her mother" of Kitty, whom the text gives no family name;
    # "her uncle" of Elizabeth, whose uncle has another): the one person the text's other uses of that kin word
    # mostly turned out to be, in a story about one family ("her mother" is Mrs. Bennet for every daughter)
    resolved_as: dict[str, Counter] = defaultdict(Counter)
    for m in out:
        resolved_as[m.text.split()[-1].lower()][m.character] += 1
    for (possessor, kin), uses in unresolved.items():
        if (possessor, kin) in found or KIN[kin][0] not in ("parent", "elder"):
            continue
        ranked = resolved_as[kin].most_common(2)
        if not ranked:
            continue
        top, n = ranked[0]
        if top != possessor and n >= KIN_DOMINANT_USES and n >= KIN_DOMINANT_SHARE * sum(resolved_as[kin].values()):
            out.extend(Mention(a, b, text[a:b], top, "nominal") for _, a, b in uses)
    return out


CALLING_MIN_USES = 5  # narrated uses of "the painter", at least, before it is taken for one named person
CALLING_MIN_REPLIES = 5  # ... and the replies beside them that name that person as they speak to them


def _calling_mentions(toks_by_par, paragraphs, mentions: list[Mention], text: str) -> list[Mention]:
    """"The painter" (a calling of lexicons/nominals.txt) in narration is the named person whom the lines in
    the paragraphs before and after its uses address by name ("Basil, ..."), in at least CALLING_MIN_REPLIES of
    them and three times as many as anyone else: each narrated use becomes a mention of that person, so that
    '"...," said the painter' is theirs."""
    callings = calling_nouns()
    uses: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for p, toks in enumerate(toks_by_par):
        for n in range(1, len(toks)):
            t = toks[n]
            if t.in_quote or t.lower not in callings or not t.text.islower() or toks[n - 1].lower != "the":
                continue
            nxt = toks[n + 1] if n + 1 < len(toks) else None
            if nxt is not None and nxt.is_word() and (nxt.text[:1].isupper() or nxt.lower in nominals()):
                continue  # "the painter Hallward", "the painter's": a name or another noun follows
            uses[t.lower].append((p, toks[n - 1].start, t.end))
    if not uses:
        return []
    par_starts = [s for s, _ in paragraphs]
    addressed: dict[int, set[str]] = defaultdict(set)
    for m in mentions:
        if m.kind == "vocative" and m.character:
            addressed[bisect.bisect_right(par_starts, m.start) - 1].add(m.character)
    out: list[Mention] = []
    for noun, spans in uses.items():
        if len(spans) < CALLING_MIN_USES:
            continue
        near: Counter = Counter()
        for p, _, _ in spans:
            near.update(addressed.get(p - 1, set()) | addressed.get(p + 1, set()))
        ranked = near.most_common(2)
        if not ranked:
            continue
        top, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if n >= CALLING_MIN_REPLIES and n >= 3 * second:
            out.extend(Mention(a, b, text[a:b], top, "nominal") for _, a, b in spans)
    return out


ROLE_HOLDER_WINDOW = 20000  # characters either side of an apposition within which "the doctor" is its person
APPOSITION_CLOSERS = {",", ".", ";", "!", "?", "who", "whom", "whose"}
# ... and after "a"/"an", where the text brings someone in ("Mr. Oakes, a doctor of the town,")
INTRODUCTION_CLOSERS = APPOSITION_CLOSERS | {"of", "with", "in", "from", "that"}


def _description_at(toks: list[Token], n: int) -> int | None:
    """The index of the person noun that heads the description "the old gentleman" / "an old gentleman"
    opening at toks[n] (the determiner): up to two small describing words, then a noun of
    lexicons/nominals.txt that no other such noun follows; None when there is none."""
    if toks[n].lower not in ("the", "a", "an"):
        return None
    for h in range(n + 1, min(n + 4, len(toks))):
        t = toks[h]
        if not (t.is_word() and t.text.isalpha() and t.text.islower()):
            return None
        if t.lower in nominals() and nominal_marks().get(t.lower) not in ("vague", "role") and t.lower not in KIN \
                and not (h + 1 < len(toks) and toks[h + 1].lower in nominals() and toks[h + 1].text.islower()):
            return h
    return None


def _role_holder_mentions(toks_by_par, mentions: list[Mention], gender_of: dict, text: str) -> list[Mention]:
    """"The old gentleman", "the doctor" in narration, as the named person the narration puts them in
    apposition with ("Mr. Brownlow, the old gentleman," / "the doctor, Mr. Losberne," / "the boy, who was
    Freddy," / "Rose, a young girl of..."): each use of that description within ROLE_HOLDER_WINDOW characters
    of such an apposition becomes a mention of the person of the nearest one (of the sex the noun shows), so
    that '"...," said the doctor' is theirs.  Spans another rule resolved stay as they are."""
    by_end = {m.end: m for m in mentions if m.kind == "name" and m.character}
    by_start = {m.start: m for m in mentions if m.kind == "name" and m.character}
    taken = {m.start for m in mentions if m.kind == "nominal"}
    evidence: dict[str, list[tuple[int, str]]] = defaultdict(list)  # description -> (offset, character)
    uses: dict[str, list[tuple[int, int]]] = defaultdict(list)
    subjects: dict[str, list[int]] = defaultdict(list)  # offsets of the uses that open a clause or follow "said"
    for toks in toks_by_par:
        for n in range(len(toks)):
            if toks[n].in_quote:
                continue
            h = _description_at(toks, n)
            if h is None:
                continue
            phrase = " ".join(t.lower for t in toks[n + 1 : h + 1])
            wanted = nominals()[toks[h].lower]
            closer = toks[h + 1].lower if h + 1 < len(toks) else "."
            holder = None
            closers = APPOSITION_CLOSERS if toks[n].lower == "the" else INTRODUCTION_CLOSERS
            listed = closer == "," and h + 2 < len(toks) and toks[h + 2].lower in ("and", "or")
            if n >= 2 and toks[n - 1].text == "," and closer in closers and not listed:
                holder = by_end.get(toks[n - 2].end)  # "Mr. Brownlow, the old gentleman," (not "Tom, the doctor, and")
            if holder is None and closer == "," and h + 2 < len(toks) and toks[n].lower == "the":
                named = by_start.get(toks[h + 2].start)  # "the doctor, Mr. Losberne,"
                if named is not None:
                    k = h + 2
                    while k < len(toks) and toks[k].start < named.end:
                        k += 1
                    if k >= len(toks) or (toks[k].lower in APPOSITION_CLOSERS
                                          and not (k + 1 < len(toks) and toks[k + 1].lower in ("and", "or"))):
                        holder = named
            named_after = holder is None and closer == "," and h + 4 < len(toks) and toks[n].lower == "the" \
                and toks[h + 2].lower == "who" and toks[h + 3].lower in ("was", "is")
            if named_after:
                holder = by_start.get(toks[h + 4].start)  # "said the boy, who was Freddy, Lucy's brother"
            if holder is not None and gender_of.get(holder.character) in ((wanted, None) if wanted else ("M", "F", None)):
                evidence[phrase].append((toks[n].start, holder.character))
                if named_after:  # the description is itself a use of that person's, as the tag it is in reads it
                    uses[phrase].append((toks[n].start, toks[h].end))
            elif toks[n].lower == "the" and not (h + 1 < len(toks) and toks[h + 1].text[:1].isupper()):
                uses[phrase].append((toks[n].start, toks[h].end))
                prev = toks[n - 1] if n else None
                if prev is None or prev.text in SENTENCE_END or prev.text in QUOTE_CHARS or prev.lower in speech_verbs() \
                        or (prev.text.islower() and prev.lower in clause_openers()):
                    # "The old man looked up", "said the old man", "for the lady answered"
                    subjects[phrase].append(toks[n].start)
    out = []
    named_in = None
    for phrase, spans in uses.items():
        found = sorted(evidence.get(phrase, ()))
        if not found:
            if nominal_marks().get(phrase.split()[-1]) == "generic" and " " not in phrase:
                continue  # "the man" beside the one named is as often someone he meets: only "the old man"
            if named_in is None:
                named_in = _narrated_names(toks_by_par, mentions)
            holders = _described_beside(phrase, subjects[phrase], [a for a, _ in spans], toks_by_par, named_in,
                                        gender_of)
            out.extend(Mention(a, b, text[a:b], holders[a], "nominal") for a, b in spans
                       if a in holders and a not in taken)
            continue
        offsets = [o for o, _ in found]
        for a, b in spans:
            if a in taken:
                continue
            i = bisect.bisect_left(offsets, a)
            near = [found[j] for j in (i - 1, i) if 0 <= j < len(found) and abs(found[j][0] - a) <= ROLE_HOLDER_WINDOW]
            if near:
                _, who = min(near, key=lambda e: abs(e[0] - a))
                out.append(Mention(a, b, text[a:b], who, "nominal"))
    return out


def _narrated_names(toks_by_par, mentions: list[Mention]) -> dict[int, list[tuple[int, str]]]:
    """Paragraph -> the (offset, character) of each name the narration (not a quotation) says in it."""
    par_starts = [toks[0].start if toks else -1 for toks in toks_by_par]
    quoted = {t.start for toks in toks_by_par for t in toks if t.in_quote}
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for m in mentions:
        if m.kind == "name" and m.character and m.start not in quoted:
            p = bisect.bisect_right(par_starts, m.start) - 1
            if p >= 0:
                out[p].append((m.start, m.character))
    return out


DESCRIBED_MIN_USES = 3  # uses of "the old man" named beside one person, at least, before it is taken for them
DESCRIBED_SHARE = 0.5  # ... and this share of its uses nearby, and twice anyone else's
DESCRIBED_LIFT = 3  # ... and this many times as often as they are named beside any paragraph
DESCRIBED_WINDOW = 30000  # characters either side of a use whose uses vote on it: a novel's "old gentleman" may
# be one man in its first half and another in its second


def _described_beside(phrase: str, subjects: list[int], uses, toks_by_par, named_in: dict, gender_of: dict) -> dict:
    """Who each use of a description ("the old man", at offsets ``uses``) is, named and described in the same
    breath: of its uses as a subject within DESCRIBED_WINDOW (``subjects``: "The old man looked up", "said the
    old man"; not "to know the young man", said of someone the paragraph's named person thinks of), the
    narration names that person, of the sex the noun shows, earlier in the paragraph of the use (or, with no one
    named there, in the paragraph before) for at least DESCRIBED_MIN_USES and DESCRIBED_SHARE of them and twice
    as many as anyone else, and DESCRIBED_LIFT times as often as beside any paragraph.  ``named_in``: paragraph
    -> the (offset, character) of the names the narration says there.  Uses of no one such person are left
    out."""
    wanted = nominals()[phrase.split()[-1]]
    fits = (wanted,) if wanted else ("M", "F")
    par_starts = [toks[0].start if toks else -1 for toks in toks_by_par]
    beside: list[tuple[int, set]] = []
    for a in subjects:
        p = bisect.bisect_right(par_starts, a) - 1
        here = {who for at, who in named_in.get(p, ()) if at < a and gender_of.get(who) in fits}
        if not here and p > 0:
            here = {who for _, who in named_in.get(p - 1, ()) if gender_of.get(who) in fits}
        beside.append((a, here))
    base_rate: dict[str, float] = {}
    out = {}
    for a in uses:
        near = [here for o, here in beside if abs(o - a) <= DESCRIBED_WINDOW]
        votes = Counter(who for here in near for who in here)
        ranked = votes.most_common(2)
        if not ranked:
            continue
        top, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if n < DESCRIBED_MIN_USES or n < DESCRIBED_SHARE * len(near) or n < 2 * second:
            continue
        if top not in base_rate:  # not the hero the narration names everywhere
            pars = {p for p, found in named_in.items() if any(who == top for _, who in found)}
            base_rate[top] = len(pars | {p + 1 for p in pars}) / max(1, len(toks_by_par))
        if n / len(near) >= DESCRIBED_LIFT * base_rate[top]:
            out[a] = top
    return out


KIN_DOMINANT_USES = 5  # resolved uses of a kin word, at least, before its unresolved ones may follow them
KIN_DOMINANT_SHARE = 0.75  # ... of which the one person holds this share


FEMALE_COUNTERPART = {"uncle": "aunt", "father": "mother", "papa": "mamma", "dad": "mum", "husband": ""}
KIN_WINDOW = 2  # paragraphs either side


def description_character(story: Story, start: int, end: int) -> str | None:
    """The character a description in narration ("her husband", "Anne's sister") was resolved to by this
    stage, for the span [start, end) of a speech-tag subject; None when it was not resolved.  Attribution can
    call this for a tag like '"...," her husband said.' whose subject names no one."""
    for m in story.mentions:
        if m.kind == "nominal" and m.start < end and start < m.end and m.character:
            return m.character
    return None
