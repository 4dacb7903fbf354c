"""Stage 'attribution': who speaks each quotation, to whom, and how sure we are.

A sieve, most certain evidence first:

1. explicit: a speech tag naming the speaker next to the quotation or between its parts, in either order
   and with adverbs ("said Iruka quietly", "Iruka asked finally", "the stern Iruka-sensei said",
   `Iruka said, "..."`);
2. the same speaker for the other quotations of a paragraph that has one tagged quotation;
3. anaphoric: "he said softly", "said the old man": the one the turn before called by name (or by a titled
   name only they fit) if of that gender, else the most salient character of that gender who is not
   addressed in the quotation; "I said" is the narrator;
4. implicit: the paragraph's acting character ("Kakashi nodded." beside the quotation), then turn-taking
   in a conversation (A, B, A, B), with vocatives ("Kakashi-sensei?"; "Oh, mother, ..." for the one the
   narration calls someone's mother) ruling out the one addressed, and a titled family name called out
   ("..., Miss Bennet, ...") ruling out everyone of that family it could mean;
5. otherwise no speaker, confidence 0.

Steps 3-4 are decided by a learned ranker over candidate speakers (``attribution_rank``: boosted trees
shipped as JSON in ``ficlens/models/``, fitted by ``train/train_ranker.py`` on the PDNC training novels and
the hand-labelled fan fiction of ``bench/``) when the package carries one and the story has no first-person
narrator (with ``NARRATOR_RANKED`` the narrator is one more candidate, named first by the replies to "I said"
lines); the hand rules above decide otherwise.  A line alone in its paragraph goes neither to the one who
asked a question just before it nor to the one a tag names in the paragraph after it, while anyone else may
speak it; an A-B-A echo of the turn after next does not hold for someone not yet in the scene when a third
person speaks between or when that turn opens on narration with no one in it, someone arriving
(``_options``).  ``USE_RANKER = False`` forces the hand rules.  With the ranker, each
conversation is decoded as a whole: the ``BEAM`` likeliest speaker sequences are read on side by side, each
quotation's candidates scored knowing who its sequence made speak the turns before, and the likeliest
sequence wins when the conversation ends; a tagged line makes a sequence that gave its speaker the turn just
before pay for it (``ANCHORS_WEIGH``).  ``RANK_PASSES`` > 1 reads again, knowing the speakers ahead.

Addressees are the vocatives inside the quotation, else the other participant of the exchange.  A
first-person narrator is named after the name others address them by, where the text shows one.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .. import lexicons
from ..model import Character, Mention, Quote, Story
from . import characters as characters_stage
from . import attribution_rank as ranker
from . import quotes as quotes_stage
from ._pov import character_named, declared_pov, pov_sections
from .attribution_voice import Voices
from .characters_text import (
    ADDRESS_PREPOSITIONS,
    QUOTE_CHARS,
    SENTENCE_END,
    QuoteMask,
    Token,
    agent_verbs,
    body_paragraphs,
    gives_own_name,
    nominal_marks,
    nominals,
    pronoun_gender,
    pronouns,
    role_nouns,
    speech_nouns,
    speech_verbs,
    stopwords as name_stopwords,
    tokens,
)

EXPLICIT, ANAPHORIC, IMPLICIT, VOCATIVE, NONE = "explicit", "anaphoric", "implicit", "vocative", "none"
CONFIDENCE = {"explicit": 0.95, "paragraph": 0.85, "anaphoric": 0.8, "narrator": 0.9, "acting": 0.7,
              "alternation": 0.6, "ranked": 0.5, "paragraph_pronoun": 0.8, "name_given": 0.8}
PREPOSITIONS = {"to", "at", "in", "with", "of", "for", "from", "by", "toward", "towards", "on", "upon", "about",
                "after", "behind", "beside", "like", "than", "into", "over", "under", "near", "and", "as", "onto",
                "across", "through", "against", "beneath", "below", "above", "along", "around", "among", "inside",
                "outside", "past", "within"}
TAG_WINDOW = 8  # word tokens from the quotation within which a speech verb makes a tag
# When a list, _resolve appends (quote, candidate features) to it: how train/train_ranker.py collects data.
COLLECT: list | None = None
# Use the shipped ranker (when there is one) for quotations no tag names; False: hand rules only.
USE_RANKER = True
# Passes of the ranker over the quotations no tag names; each after the first knows the one before's speakers.
RANK_PASSES = 1
# Stories told by a first-person narrator are read by the ranker too, the narrator one more candidate whose "I"
# in narration counts as a name (False: the hand rules decide them).
NARRATOR_RANKED = True
# Speaker sequences kept while reading a conversation with the ranker (1: each quotation decided on its own).
BEAM = 4
# Candidates of each quotation a sequence is extended with.
BEAM_BRANCH = 3
# Sequences less likely than the best by more than this (natural log) are dropped.
BEAM_MARGIN = 2.0
# A quotation a tag decides still weighs the speaker sequences read so far: one that made the tagged speaker
# speak the turn just before pays the log-probability the ranker gives them after it (see _anchor_logp).
ANCHORS_WEIGH = True


def body_parts() -> frozenset[str]:
    return lexicons.load_words("body_parts.txt")


def tag_phrases() -> frozenset[str]:
    return lexicons.load_words("tag_phrases.txt")


@dataclass
class Subject:
    """Who a tag or a sentence names as its subject, before resolution."""

    character: str | None = None  # a named character
    gender: str | None = None  # for pronouns and descriptions: M, F, N, I (first person)
    kind: str = "name"  # name | pronoun | nominal
    start: int = 0
    end: int = 0
    text: str = ""

    def __post_init__(self):
        self.text = " ".join(self.text.split())  # "the\nlad" broken over a line is "the lad"


@dataclass
class QuoteInfo:
    quote: Quote
    paragraph: int
    scene: int = 0  # a scene break ends a conversation: turns are read within the scene
    tag: Subject | None = None
    acting: Subject | None = None
    vocatives: list[str] = field(default_factory=list)
    approached: list[str] = field(default_factory=list)  # "he said to Naruto", "she ran at Naruto": not the speaker
    title_called: list[str] = field(default_factory=list)  # "..., Miss Schlegel,": no Miss Schlegel speaks it
    corrected_to: str | None = None  # '"Hokage-sama," he corrected': the name the speaker says is theirs
    to_self: bool = False  # '"...," he said to himself': its one addressee is its speaker
    speaker: str | None = None
    method: str = NONE
    rule: str = ""
    confidence: float = 0.0

    def called(self) -> list[str]:
        """Whom the line calls: its vocatives, and its titled call where that fits one person only."""
        return self.vocatives + (self.title_called if len(self.title_called) == 1 else [])

    def ruled_out(self) -> set[str]:
        """Who does not speak the line: whom it calls, whom its tag approaches, and whom its titled call fits."""
        return set(self.vocatives) | set(self.approached) | set(self.title_called)


def run(story: Story, ctx) -> None:
    if not story.quotes:
        return
    collected_from = len(COLLECT) if COLLECT is not None else 0
    cache = ctx.cache.get(characters_stage.CACHE_KEY)
    if cache is None:
        paragraphs = body_paragraphs(story)
        mask = QuoteMask(story)
        toks_by_par = [tokens(story.text, s, e, mask) for s, e in paragraphs]
        narrator = None
        reader = False
    else:
        paragraphs, toks_by_par, mask, narrator = (cache["paragraphs"], cache["tokens"], cache["mask"],
                                                   cache["narrator"])
        reader = cache.get("reader", False)  # the narrator is the reader of a story told to "you"
    gender_of = {c.id: c.gender for c in story.characters}
    names = [m for m in story.mentions if m.kind in ("name", "vocative") and m.character]
    par_starts = [s for s, _ in paragraphs]
    # who is in the scene: names in the narration and names called out; a name inside a line ("Naruto told him")
    # is someone talked about, often far away
    salience_names = [m for m in names if m.kind == "vocative" or not mask.inside(m.start)]
    if narrator and NARRATOR_RANKED:
        # The first-person narrator is one more character: "I" in narration names them as a name would ("I
        # said" is a tag naming them, "I nodded." beside a quotation makes them act).  For salience they count
        # once a paragraph (their first I, me or my), as a third-person novel names its lead, not at each
        # pronoun: else they would outweigh everyone.
        # told to "you", outside the lines' parts: '"I don't know," you say. "He might be."' has its tag inside
        # the outer span ("I said" there is read as a pronoun tag)
        outside = mask.inside if reader else mask.inside_outer
        own = [m for m in story.mentions if m.character == narrator and m.kind == "pronoun"
               and not outside(m.start)]
        salience_names = list(salience_names)
        seen_paragraphs = set()
        for m in own:
            p = bisect.bisect_right(par_starts, m.start) - 1
            if p not in seen_paragraphs:
                seen_paragraphs.add(p)
                salience_names.append(m)
        salience_names.sort(key=lambda m: m.start)
        subject = ("you", "You") if reader else ("I",)
        names = sorted(names + [m for m in own if m.text in subject], key=lambda m: m.start)
    name_starts = [m.start for m in names]

    kin_called = _KinCalled(story)
    scene_starts = [s.start for s in story.scenes]
    scene_of_par = [bisect.bisect_right(scene_starts, s) - 1 for s in par_starts]
    infos: list[QuoteInfo] = []
    for q in sorted(story.quotes, key=lambda q: q.start):
        p = max(bisect.bisect_right(par_starts, q.start) - 1, 0)
        infos.append(QuoteInfo(q, p, scene_of_par[p] if p < len(scene_of_par) else 0))
    by_par: dict[int, list[QuoteInfo]] = defaultdict(list)
    for info in infos:
        by_par[info.paragraph].append(info)

    for info in infos:
        q = info.quote
        info.vocatives = _vocatives(q, names, name_starts)
        info.title_called = _title_called(story, q, names, name_starts)
        siblings = by_par[info.paragraph]
        toks = toks_by_par[info.paragraph] if info.paragraph < len(toks_by_par) else []
        prev_toks = toks_by_par[info.paragraph - 1] if 0 < info.paragraph <= len(toks_by_par) else []
        info.tag = _find_tag(story.text, q, siblings, toks, prev_toks, names, name_starts)
        if info.tag is not None and info.tag.kind == "nominal" and info.tag.character is None:
            # '"...," her husband said.': the characters stage may know whose husband
            info.tag.character = characters_stage.description_character(story, info.tag.start, info.tag.end)
        info.acting = _acting(story.text, q, siblings, toks, names, name_starts)
        if info.tag is not None and info.tag.character is None:
            info.approached = _approached_in_tag(info.tag, toks, names, name_starts)
        kin = kin_called(q)
        if kin is not None and kin not in info.vocatives and not (info.tag is not None and info.tag.character == kin):
            info.vocatives.append(kin)

    _nicknames_by_approach(story, infos)
    known = {c.id for c in story.characters}
    _role_characters(story, infos, _introduced_unnamed(toks_by_par), _epithet_holders(story, ctx.options.roster))
    gender_of.update({c.id: c.gender for c in story.characters})
    # the tags that name a role ("said the man", "the attendant said") name them in the narration as a name
    # would: they are in the scene, and count towards how often the story names them
    roles = {c.id for c in story.characters} - known
    if roles:
        salience_names = sorted(salience_names + [m for m in story.mentions if m.character in roles],
                                key=lambda m: m.start)

    # 1. explicit name tags; 2. the rest of their paragraph.
    for info in infos:
        if info.tag and info.tag.character and info.tag.character not in info.vocatives:
            _set(info, info.tag.character, EXPLICIT, "explicit")
        elif info.tag and info.tag.gender == "I" and narrator:
            _set(info, narrator, ANAPHORIC, "narrator")
    for par, items in by_par.items():
        tagged = {i.speaker for i in items if i.speaker}
        if len(tagged) == 1:
            speaker = next(iter(tagged))
            for i in items:
                if i.tag is not None and i.tag.gender in ("M", "F") and gender_of.get(speaker) not in (None, i.tag.gender):
                    continue  # 'Margaret said, "...?" he said, "Thank you,"': a tag of its own names someone else
                if i.speaker is None and speaker not in i.vocatives:
                    _set(i, speaker, IMPLICIT, "paragraph")
    # 3. '"What's your name, kid?" / "Konohamaru, sir."': a name that answers the question is its owner's, and
    # so is one the line gives as its speaker's own ("I'm Uzumaki Naruto!")
    given_names: list[str | None] = []  # per quotation, the name it gives in answer (read again for a narrator)
    for n, info in enumerate(infos):
        given = _name_given(story.text, infos, n, names, name_starts)
        given_names.append(given)
        named = given if given is not None or info.speaker is not None else \
            _own_name_in_line(story.text, info.quote, names, name_starts)
        if named is not None and info.speaker in (None, named):
            info.vocatives = [v for v in info.vocatives if v != named]
            if info.speaker is None:
                _set(info, named, IMPLICIT, "name_given")
        elif _corrects_a_name(story, info):  # no call to anyone: the name joins whoever is found to speak it
            info.corrected_to, info.vocatives = info.vocatives[0], []

    narrator_named = None
    others: set[str] = set()  # what the narration tells of others and of the narrator, to name the narrator by
    self_named: Counter = Counter()
    in_narration: set[str] = set()
    if narrator:
        others = _beside_the_narrator(toks_by_par, names, name_starts) - {narrator}
        self_named = Counter({c: k for c, k in _self_named(story.text, infos, narrator, names, mask, given_names).items()
                              if c not in others and c != narrator})
        in_narration = {m.character for m in names if m.kind == "name" and not mask.inside_outer(m.start)}
    told_in_turns = pov_sections(story) if narrator else []
    for info in infos:
        for start, end, character in told_in_turns:
            if start <= info.quote.start < end and character.id in info.vocatives:
                info.vocatives.append(narrator)  # "Sakura-chan, ..." in Sakura's POV is spoken to the "I"
    if narrator and NARRATOR_RANKED and not told_in_turns and not reader:
        # the name others call the narrator by, read from the replies to the lines "I said" tags, before the
        # ranker reads the rest: "Oh, Rudolf, ..." is then spoken to the narrator, not by them
        narrator_named = _name_narrator(story, infos, narrator, others, in_narration, self_named)
        if narrator_named:
            for info in infos:
                for subject in (info.tag, info.acting):
                    if subject is not None and subject.character == narrator:
                        subject.character = narrator_named
            narrator = narrator_named

    # how each character talks, from the lines tags name them for (and the rest of those lines' paragraphs)
    voices = Voices([i.quote.text for i in infos], [(i.speaker, i.quote.text) for i in infos
                                                     if i.speaker and i.rule in ("explicit", "paragraph")])

    # 3-4. in story order, with salience from the names and the speakers so far.
    narration_names: dict[int, set[str]] = defaultdict(set)
    narrated: list[Mention] = []  # names in narration, in story order
    spoken_to: dict[int, list[str]] = defaultdict(list)  # "said Mr. Brandon to Harriet", "Edward turned to Lucy"
    for m in names:
        if not mask.inside(m.start):  # the narration between a quotation's parts too ('"Hmm." Kakashi sighed. "..."')
            narration_names[bisect.bisect_right(par_starts, m.start) - 1].add(m.character)
            if m.kind != "pronoun":  # the narrator's "I", at nearly every clause, would be the last named always
                narrated.append(m)
                before = story.text[max(0, m.start - 12) : m.start].split()
                if before and before[-1].lower() in ADDRESS_PREPOSITIONS \
                        and story.text[m.end : m.end + 2] not in ("'s", "\u2019s"):  # not "went to Harriet's"
                    spoken_to[bisect.bisect_right(par_starts, m.start) - 1].append(m.character)
    narrated_starts = [m.start for m in narrated]
    if narrator:  # "I" in a paragraph's narration names the narrator there
        for p, toks in enumerate(toks_by_par):
            if any(t.text == "I" and not t.in_quote for t in toks):
                narration_names[p].add(narrator)
    total = max(1, len(salience_names))
    share = {c: n / total for c, n in Counter(m.character for m in salience_names).items()}
    if narrator in share and len(share) > 1:
        # told in the first person, the narrator is in nearly every paragraph: no more frequent than the lead
        # of a novel told in the third person, as far as the ranker knows
        share[narrator] = min(share[narrator], max(v for c, v in share.items() if c != narrator))
    prev_par_subject = _paragraph_subjects(story.text, toks_by_par, names, name_starts, by_par)
    tagged_after = [(i.speaker if i.rule in ("explicit", "narrator") else None) for i in infos]
    open_turns = {n for n, info in enumerate(infos) if info.speaker is None}
    # With the ranker, a second pass decides each open quotation again, now knowing who the first pass said
    # speaks in the turns after it (a conversation read both ways, not one quotation at a time).
    ranking = COLLECT is not None or (USE_RANKER and _ranks_narrator(narrator) and ranker.trained() is not None)
    passes = RANK_PASSES if ranking else 1

    def context_for(n: int, info: QuoteInfo, pass_no: int) -> dict:
        after = _turns_after(infos, n)
        # the paragraph before, unless a scene break lies between
        prev_par = info.paragraph - 1 if info.paragraph > 0 and scene_of_par[info.paragraph - 1] == info.scene else -1
        own_start = par_starts[info.paragraph] if info.paragraph < len(par_starts) else 0
        lo = par_starts[prev_par] if prev_par >= 0 else own_start  # where "just before the quotation" begins
        return {
            "gender_of": gender_of,
            "narrator": narrator,
            "names_in_par": narration_names.get(info.paragraph, set()),
            "names_in_prev_par": narration_names.get(prev_par, set()),
            "named_inside": {m.character for m in names[bisect.bisect_left(name_starts, info.quote.start)
                                                         : bisect.bisect_left(name_starts, info.quote.end)]
                             if m.kind == "name" and mask.inside(m.start)},
            "next_speakers": [tagged_after[k] for k in after] + [None] * (2 - len(after)),
            "next_tagged_adjacent": tagged_after[after[0]] if after and infos[after[0]].paragraph == info.paragraph + 1
            else None,
            # who speaks the next two turns as decided so far (tags; in the second pass, the first's)
            "next_turns": [infos[k].speaker for k in after] + [None] * (2 - len(after)),
            "next2_arrives": len(after) > 1 and _opens_on_no_one(infos[after[1]], toks_by_par, par_starts, name_starts),
            "next_acting": infos[after[0]].acting.character if after and infos[after[0]].acting is not None else None,
            "mention_share": share,
            "prev_vocatives": _turn_vocatives(by_par, infos, n),
            "next_vocatives": [v for i in by_par[infos[after[0]].paragraph] for v in i.vocatives] if after else [],
            "bare": info.tag is None and info.acting is None and len(by_par[info.paragraph]) == 1,
            "prev_par_subject": prev_par_subject.get(prev_par),
            "beat_answered": _beat_answered(infos, n, scene_of_par, prev_par_subject),
            "narrated_last": _last_narrated(info, narrated, narrated_starts, lo, gender_of),
            "subjects_before_in_par": _subjects_before_in_par(info, narrated, narrated_starts, par_starts,
                                                              toks_by_par[info.paragraph]
                                                              if info.paragraph < len(toks_by_par) else []),
            "narration_subjects": _narration_subjects(info, narrated, narrated_starts, par_starts, toks_by_par,
                                                      gender_of, prev_par >= 0),
            "tagged_back": _nearest_tagged(infos, by_par, n, -1),
            "tagged_ahead": _nearest_tagged(infos, by_par, n, 1),
            "final_pass": pass_no == passes - 1,
            "voice": lambda c, n=n, text=info.quote.text: voices.score(n, text, c),
        }

    for pass_no in range(passes):
        if ranking and BEAM > 1:
            _decode_beam(infos, open_turns, by_par, _Salience(salience_names, gender_of, scene_starts), gender_of,
                         narrator, lambda n, info: context_for(n, info, pass_no), pass_no == passes - 1)
            continue
        salience = _Salience(salience_names, gender_of, scene_starts)
        for n, info in enumerate(infos):
            salience.advance(info.quote.start)
            if n in open_turns:
                _set(info, None, NONE, "")
                info.confidence = 0.0
                context = context_for(n, info, pass_no)
                _resolve(info, infos, n, by_par, salience, gender_of, narrator, context)
            if info.speaker:
                salience.spoke(info.speaker, info.quote.start)

    moves_from = _ids_now(story) if COLLECT is not None else None
    _names_answered(story, infos, narrator)
    _addressees(infos, by_par, spoken_to, narrated, narrated_starts, par_starts, story.text)
    if told_in_turns:
        _narrators_by_pov(story, infos, narrator, told_in_turns)
    elif narrator and not narrator_named and not reader:
        _name_narrator(story, infos, narrator, others, in_narration, self_named)
    for info in infos:
        q = info.quote
        q.speaker = info.speaker
        # once the narrator took a name, "Forehead" and "Sakura" in one line are one addressee
        q.addressees = [info.speaker] if info.to_self else list(dict.fromkeys(a for a in q.addressees
                                                                             if a != info.speaker))
        q.method = info.method if info.speaker else NONE
        q.confidence = (info.confidence if info.rule == "ranked" else CONFIDENCE.get(info.rule, 0.0)) if info.speaker else 0.0
    counts = Counter(i.speaker for i in infos if i.speaker)
    for c in story.characters:
        c.quotes = counts.get(c.id, 0)
    _renumber(story)
    if moves_from is not None:
        _collected_follow(story, *moves_from, collected_from)


def _epithet_holders(story: Story, roster) -> dict[str, str]:
    """Epithet ("blond") -> the one character of this story whose character-list entry gives it."""
    # by the list's own name: "Gaara (Naruto)" is shown as "Gaara"
    present = {c.canonical_name or c.name: c.id for c in story.characters}
    holders: dict[str, set[str]] = defaultdict(set)
    for entry in roster or ():
        if entry.name in present:
            for epithet in entry.epithets:
                holders[epithet].add(present[entry.name])
    return {e: ids.pop() for e, ids in holders.items() if len(ids) == 1}


def _role_characters(story: Story, infos: list[QuoteInfo], introduced: list[tuple[int, str]],
                     epithets: dict[str, str]) -> None:
    """A role that speaks but is never named ("said the proprietor") becomes a character of that name,
    so that a reader sees who spoke; descriptions of named people ("the old man") stay pronoun-like, unless
    the narration brought that someone in unnamed just before ("a tall man stepped out of the trees").  An
    epithet the character list gives one character of the story ("said the blond") is that character."""
    by_name = {c.name.lower(): c for c in story.characters}
    by_head: dict[str, list[Character]] = defaultdict(list)  # "detective" -> the roles it heads, last used last
    last_heard: dict[str, tuple[int, Character]] = {}  # head noun -> (offset, role) of the last role tag
    introduced_at = [offset for offset, _ in introduced]
    mentioned: set[int] = set()  # tag offsets already made mentions: two quotations of a paragraph share its tag

    def mention(tag: Subject) -> bool:
        if tag.start in mentioned:
            return False
        mentioned.add(tag.start)
        story.mentions.append(Mention(tag.start, tag.end, story.text[tag.start : tag.end], tag.character, "nominal"))
        return True

    for info in infos:
        tag = info.tag
        if tag is not None and tag.kind in ("nominal", "role") and tag.character is None \
                and tag.text.lower().startswith("the ") and tag.text.lower()[4:] in epithets:
            tag.character = epithets[tag.text.lower()[4:]]
            tag.kind = "role"
            mention(tag)
            continue
        if tag is not None and tag.kind == "nominal" and tag.character is None and tag.text.lower().startswith("the "):
            # '"I'll show you," said a little girl. ... "That is Perfetta," said the girl.': the definite
            # description takes up the someone the text brought in a little before
            head = tag.text.lower().split()[-1]
            heard = last_heard.get(head)
            if heard is None or tag.start - heard[0] >= ROLE_ECHO_CHARS:
                heard = _stranger(story, tag, head, introduced, introduced_at, by_name)
            if heard is not None and tag.start - heard[0] < ROLE_ECHO_CHARS:
                tag.character = heard[1].id
                tag.kind = "role"
                if mention(tag):
                    heard[1].mentions += 1
                last_heard[head] = (tag.start, heard[1])
            continue
        if tag is None or tag.kind != "role" or tag.character:
            continue
        name = tag.text
        words = name.lower().split()
        head = words[-1]
        character = by_name.get(name.lower())
        if character is None and words[0] == "the" and len(words) == 2 and by_head.get(head):
            # "the passenger" after "the genial passenger": the role the text described more fully, the one
            # of several last heard ("the junior detective" after "the detective" is someone of its own)
            character = by_head[head][-1]
            if name not in character.aliases:
                character.aliases.append(name)
        if character is None:
            gender = tag.gender if tag.gender in ("M", "F") else None
            character = Character(id=f"r{len(by_name) + 1}", name=name, aliases=[], gender=gender)
            story.characters.append(character)
            by_name[name.lower()] = character
        tag.character = character.id
        if mention(tag):
            character.mentions += 1
        if words[0] == "the":
            if character in by_head[head]:
                by_head[head].remove(character)
            by_head[head].append(character)
        last_heard[head] = (tag.start, character)
    story.mentions.sort(key=lambda m: m.start)


def _stranger(story: Story, tag: Subject, head: str, introduced: list[tuple[int, str]], introduced_at: list[int],
              by_name: dict[str, Character]) -> tuple[int, Character] | None:
    """'A tall man stepped out of the trees. ... "You there," said the man.': the someone the narration brought
    in by an indefinite description of the same noun, at most ROLE_ECHO_CHARS before the tag, becomes a character
    named as the tag names them; None when there is no such someone."""
    i = bisect.bisect_left(introduced_at, tag.start) - 1
    while i >= 0 and tag.start - introduced[i][0] < ROLE_ECHO_CHARS:
        if introduced[i][1] == head:
            name = tag.text[0].lower() + tag.text[1:]
            character = Character(id=f"r{len(by_name) + 1}", name=name, aliases=[],
                                  gender=tag.gender if tag.gender in ("M", "F") else None)
            story.characters.append(character)
            # keyed by where they came in: another stranger of the same description is someone else
            by_name[f"{name.lower()}@{introduced[i][0]}"] = character
            return introduced[i][0], character
        i -= 1
    return None


def _introduced_unnamed(toks_by_par: list[list[Token]]) -> list[tuple[int, str]]:
    """Someone the narration brings in by an indefinite description of a noun said of anyone ("a tall man
    stepped out", "there was a girl at the gate"): (offset, noun), in story order.  Not a predicate ("he was
    a quiet man"), which describes someone already there."""
    generic = {w for w, mark in nominal_marks().items() if mark == "generic"}
    out = []
    for toks in toks_by_par:
        for j, tok in enumerate(toks):
            if tok.in_quote or tok.lower not in ("a", "an"):
                continue
            before = toks[j - 1].lower if j else ""
            if before in NOT_INTRODUCING and not (before in BE_FORMS and j > 1 and toks[j - 2].lower == "there"):
                continue
            k = j + 1
            while k < len(toks) and k <= j + 3 and toks[k].text.isalpha() and toks[k].text.islower() \
                    and toks[k].lower not in generic and not toks[k].in_quote:
                k += 1
            if k < len(toks) and toks[k].lower in generic and not toks[k].in_quote \
                    and not (k + 1 < len(toks) and toks[k + 1].lower in nominals()):
                out.append((toks[k].start, toks[k].lower))
    return out


BE_FORMS = frozenset({"is", "was", "are", "were", "be", "been", "being", "seemed", "became", "become", "remained"})
# words before "a man" that make it a description of someone already there ("he was a quiet man", "like a man")
NOT_INTRODUCING = BE_FORMS | {"as", "like", "such", "what", "quite", "rather", "of", "than", "'s", "’s"}
ROLE_ECHO_CHARS = 3000  # "said the girl" takes up "said a little girl" this many characters before it at most


def _renumber(story: Story) -> None:
    """Ids c1, c2... by mentions, most first, after characters were added or merged here."""
    story.characters.sort(key=lambda c: (-c.mentions, -c.quotes, c.name))
    new = {c.id: f"c{i}" for i, c in enumerate(story.characters, 1)}
    if all(k == v for k, v in new.items()):
        return
    for c in story.characters:
        c.id = new[c.id]
    for m in story.mentions:
        m.character = new.get(m.character, m.character)
    for q in story.quotes:
        q.speaker = new.get(q.speaker, q.speaker) if q.speaker else None
        q.addressees = [new.get(a, a) for a in q.addressees]


def _ids_now(story: Story) -> tuple[dict[int, str], dict[int, str]]:
    """Who each character object and each mention is now, before names merge and ids move (``_collected_follow``)."""
    return {id(c): c.id for c in story.characters}, {id(m): m.character for m in story.mentions}


def _collected_follow(story: Story, character_ids: dict[int, str], mention_ids: dict[int, str], start: int) -> None:
    """Training collection keys each candidate by its id at the time of ranking; the merges and the renumbering
    after it would make train/train_ranker.py label the candidate by whoever holds that id at the end.  Rewrite
    the keys to the final ids: a character that merged into another is found by where its mentions went (a
    merged candidate whose new self is also a candidate keeps that one's row; one with no mentions is dropped)."""
    final = {character_ids[id(c)]: c.id for c in story.characters if id(c) in character_ids}
    went: dict[str, Counter] = defaultdict(Counter)
    for m in story.mentions:
        old = mention_ids.get(id(m))
        if old is not None and old not in final and m.character:
            went[old][m.character] += 1
    merged = {old: where.most_common(1)[0][0] for old, where in went.items()}
    for k, (quote, features) in enumerate(COLLECT[start:], start):
        rows = {final[old]: row for old, row in features.items() if old in final}
        for old, row in features.items():
            if old in merged:
                rows.setdefault(merged[old], row)
        COLLECT[k] = (quote, rows)


def _paragraph_subjects(text, toks_by_par, names, name_starts, by_par) -> dict[int, str]:
    """For each paragraph without quotations: the named subject of its last sentence, if any."""
    out = {}
    for p, toks in enumerate(toks_by_par):
        if p in by_par or not toks:
            continue
        seg = _last_sentence([t for t in toks if not t.in_quote and t.text not in QUOTE_CHARS])
        if seg and seg[0].is_word():
            subj, _ = _subject_at(text, seg, 0, names, name_starts)
            if subj is not None and subj.character:
                out[p] = subj.character
    return out


def _beat_answered(infos: list[QuoteInfo], n: int, scene_of_par: list[int], subjects: dict[int, str]) -> str | None:
    """Whose beat the previous turn answered: the named subject of the narration paragraph just before it, when
    that turn is the paragraph just before this quotation ("Sasuke looked up." / "Don't start," Naruto said. /
    "Start what?" is Sasuke's reply)."""
    turns = _turns_before(infos, n)
    if not turns or turns[0].paragraph != infos[n].paragraph - 1:
        return None
    beat = turns[0].paragraph - 1
    if beat < 0 or beat >= len(scene_of_par) or scene_of_par[beat] != infos[n].scene:
        return None
    return subjects.get(beat)


def _turn_vocatives(by_par, infos, n) -> list[str]:
    """Who was addressed by name anywhere in the previous turn (its whole paragraph)."""
    turns = _turns_before(infos, n)
    return [v for i in by_par[turns[0].paragraph] for v in i.vocatives] if turns else []


def _set(info: QuoteInfo, speaker: str, method: str, rule: str) -> None:
    info.speaker, info.method, info.rule = speaker, method, rule


# -- reading the text around a quotation ---------------------------------------------------------------


def _vocatives(q: Quote, names: list[Mention], name_starts: list[int]) -> list[str]:
    out = []
    i = bisect.bisect_left(name_starts, q.start)
    while i < len(names) and names[i].start < q.end:
        if names[i].kind == "vocative" and names[i].character not in out:
            out.append(names[i].character)
        i += 1
    return out


class _KinCalled:
    """'"Oh, mother, what rubbish you talk!"': whom a line calls by a word for kin (lexicons/kin_calls.txt). Of the
    characters the narration calls someone's mother ("her mother", "Lucy's mother", as the characters stage
    resolved them), the one it named last, within KIN_CALL_WINDOW characters before the line."""

    def __init__(self, story: Story):
        self.kin_of = dict(e.partition(":")[::2] for e in lexicons.load_words("kin_calls.txt"))
        holders: dict[str, set[str]] = defaultdict(set)
        for m in story.mentions:
            words = m.text.lower().split()
            if m.kind == "nominal" and m.character and len(words) > 1 and words[-1] in self.kin_of:
                holders[self.kin_of[words[-1]]].add(m.character)
        self.holders = holders
        holding = set().union(*holders.values())
        self.named_at: dict[str, list[int]] = defaultdict(list)
        for m in story.mentions:
            if m.character in holding:
                self.named_at[m.character].append(m.start)
        for starts in self.named_at.values():
            starts.sort()
        words = "|".join(sorted(self.kin_of, key=len, reverse=True))
        # called: opening the line or a clause, or after "oh"/"dear", and closing a phrase ("Is mummy coming" is not)
        self.call = re.compile(
            rf"(?:^|[,;:!?\u2014\u2013]|\b(?:oh|ah|dear|o))\s*({words})\s*(?=[,;:.!?\u2014\u2013]|$)", re.IGNORECASE)

    def __call__(self, q: Quote) -> str | None:
        if not self.holders:
            return None
        for match in self.call.finditer(q.text):
            last = {}
            for c in self.holders.get(self.kin_of[match.group(1).lower()], ()):
                i = bisect.bisect_left(self.named_at[c], q.start)
                if i:
                    last[c] = self.named_at[c][i - 1]
            if last:
                who = max(last, key=last.get)
                if q.start - last[who] <= KIN_CALL_WINDOW:
                    return who
        return None


KIN_CALL_WINDOW = 5000  # characters: a mother named further back is not surely the one in the scene


def _title_called(story: Story, q: Quote, names: list[Mention], name_starts: list[int]) -> list[str]:
    """'"Tell me, though, Miss Schlegel, do you..."': a title and family name called out, which the characters stage
    left to no one because others share the name (Margaret and Helen are both Miss Schlegel), still says that no one
    of that family whom the title fits speaks the line.  Only those of the title's sex: a wife calls her husband
    "Mr. Bennet"."""
    titles = characters_stage.honorifics()["titles"]
    out: list[str] = []
    i = bisect.bisect_left(name_starts, q.start)
    while i < len(names) and names[i].start < q.end:
        m = names[i]
        i += 1
        words = m.text.split()
        sex = titles.get(words[0].lower().rstrip(".")) if len(words) == 2 else None
        if m.kind != "name" or sex not in ("M", "F"):
            continue
        before = story.text[max(q.start, m.start - 3) : m.start].rstrip()
        after = story.text[m.end : m.end + 1]
        if not (before.endswith(",") or m.start - q.start <= 1) or after not in (",", "!", "?", ".", *QUOTE_CHARS):
            continue  # called out: opening the line or after a comma, and ending a phrase
        family = words[1].lower()
        out.extend(c.id for c in story.characters if c.gender == sex and c.id not in out
                   and family in {w.lower() for n in [c.name, *c.aliases] for w in n.split()})
    return out


def _narration_tokens(toks: list[Token], start: int, end: int) -> list[Token]:
    lo = bisect.bisect_left([t.start for t in toks], start) if toks else 0
    out = []
    for t in toks[lo:]:
        if t.start >= end:
            break
        if not t.in_quote and t.text not in QUOTE_CHARS:
            out.append(t)
    return out


def _nicknames_by_approach(story: Story, infos: list[QuoteInfo]) -> None:
    """A name the lines call out ("Boss!") but the narration never says is whom the lines that call it go to by
    their tags ('"Boss!" he yelled, and ran straight at Naruto'), where they all go to one person: the nickname
    joins that person's aliases, and its uses become theirs."""
    narrated = {m.character for m in story.mentions if m.kind != "vocative"}
    goes_to: dict[str, Counter] = defaultdict(Counter)
    for info in infos:
        for v in info.vocatives:
            if v not in narrated:
                goes_to[v].update(a for a in info.approached if a != v)
    _join_called_names(story, infos, goes_to)


def _names_answered(story: Story, infos: list[QuoteInfo], narrator: str | None) -> None:
    """A name the lines call out but the narration never says ("Sorry, Hokage-sama.") is the one who spoke the
    turn before, where every line that calls it answers the same person: it joins them, with the lines it was
    given.  A word for kin that opens a conversation calls the one who answers it ('"Nii-san, you promised!"' /
    'Itachi did not look up. "Another time."': ``kin_address.txt``).  A title said to whoever holds it is no one
    of its own.  A line that only corrects what its speaker was called ('"Hokage-sama," he corrected') gives the
    speaker's own name.  (What the narrator is called is read later, with more evidence: ``_name_narrator``,
    ``_narrators_by_pov``.)"""
    narrated = {m.character for m in story.mentions if m.kind != "vocative"}
    kin_words = lexicons.load_words("kin_address.txt")
    kin = {c.id for c in story.characters if c.name.lower() in kin_words}
    answers: dict[str, Counter] = defaultdict(Counter)
    for n, info in enumerate(infos):
        turns = _turns_before(infos, n)
        if turns:
            answered = turns[0].speaker
        else:  # an opening line: the one called answers it
            after = _turns_after(infos, n)
            answered = infos[after[0]].speaker if after else None
        # a name corrected joins its speaker, unless the narration says it (then it is someone of its own)
        if info.corrected_to and info.speaker not in (None, info.corrected_to) and info.corrected_to not in narrated:
            answers[info.corrected_to][info.speaker] += 1
        for v in info.vocatives:
            # only a word for kin is surely no one's own name when it opens a conversation: an opening "Usul,"
            # may be said to someone the story never names, and the answer then comes from whoever stands by
            if v not in narrated and (turns or v in kin) and answered not in (None, v, info.speaker, narrator):
                answers[v][answered] += 1
    _join_called_names(story, infos, answers)


def _corrects_a_name(story: Story, info: QuoteInfo) -> bool:
    """Whether the line is nothing but one name, and its tag a correction ('"Hokage-sama," he corrected')."""
    q = info.quote
    tag = re.split(r"[.!?;\n]", story.text[q.end:q.end + 60], maxsplit=1)[0]
    if len(info.vocatives) != 1 or not any(w in lexicons.load_words("correction_verbs.txt")
                                           for w in tag.lower().split()[:4]):
        return False
    called = [m for m in story.mentions if m.character == info.vocatives[0] and q.start <= m.start < q.end]
    return len(called) == 1 and WORD_RUNS.findall(q.text) == WORD_RUNS.findall(called[0].text)


WORD_RUNS = re.compile(r"[\w'-]+")


def _join_called_names(story: Story, infos: list[QuoteInfo], joins: dict[str, Counter]) -> None:
    """Each name called (a key of ``joins``) whose evidence points to one character only joins that character:
    its mentions, the lines that call it and the lines it was given become theirs."""
    by_id = {c.id: c for c in story.characters}
    for nickname, targets in joins.items():
        called, target = by_id.get(nickname), by_id.get(next(iter(targets))) if len(targets) == 1 else None
        if called is None or target is None or {called.gender, target.gender} >= {"M", "F"}:
            continue
        del by_id[nickname]
        for m in story.mentions:
            if m.character == nickname:
                m.character = target.id
        for info in infos:
            info.vocatives = list(dict.fromkeys(target.id if v == nickname else v for v in info.vocatives))
            if info.speaker == nickname:
                info.speaker = target.id
        target.mentions += called.mentions
        target.aliases = sorted(set(target.aliases) | {called.name})
        story.characters = [c for c in story.characters if c.id != nickname]


def _approached_in_tag(tag: Subject, toks: list[Token], names, name_starts) -> list[str]:
    """The characters the rest of a pronoun tag's sentence speaks, turns or goes to ('"Boss!" he yelled, and
    ran straight at Naruto', 'she whispered to Sakura'): whoever "he" is, not they."""
    out = []
    for k in range(bisect.bisect_left(toks, tag.end, key=lambda t: t.start), len(toks)):
        t = toks[k]
        if t.in_quote or t.text in QUOTE_CHARS or t.text in SENTENCE_END:
            break
        m = _mention_at(t, names, name_starts)
        if m is not None and m.start == t.start and k and toks[k - 1].lower in ADDRESS_PREPOSITIONS \
                and m.character not in out:
            out.append(m.character)
    return out


def _mention_at(tok: Token, names, name_starts) -> Mention | None:
    i = bisect.bisect_right(name_starts, tok.start) - 1
    if i >= 0 and names[i].start <= tok.start < names[i].end:
        return names[i]
    return None


def _subject_at(text: str, toks: list[Token], j: int, names, name_starts) -> tuple[Subject | None, int]:
    """The person phrase that starts at toks[j] (a name, a pronoun, "the old man"), and the index after it."""
    tok = toks[j]
    m = _mention_at(tok, names, name_starts)
    if m is not None:
        k = j
        while k < len(toks) and toks[k].start < m.end:
            k += 1
        if m.text.endswith(("'s", "’s")) or (k < len(toks) and _possessive_s(toks, k)):
            # "Margaret's young man said": not Margaret, but someone described by her
            n = k + (0 if m.text.endswith(("'s", "’s")) else 1)
            for h in range(n, min(n + 3, len(toks))):
                if not (toks[h].is_word() and toks[h].text.islower()):
                    break
                if toks[h].lower in nominals() and (h + 1 >= len(toks) or toks[h + 1].lower not in nominals()):
                    return Subject(None, nominals()[toks[h].lower] or "?", "nominal", tok.start, toks[h].end,
                                   text[tok.start : toks[h].end]), h + 1
                if toks[h].lower in body_parts() and h + 1 < len(toks) and toks[h + 1].is_word() \
                        and toks[h + 1].text.islower():
                    # "Kakashi's visible eye curved into a smile": the part acts for its owner
                    return Subject(m.character, None, "name", m.start, m.end, m.text), h + 1
            return None, k
        return Subject(m.character, None, "name", m.start, m.end, m.text), k
    lw = tok.lower
    g = pronoun_gender(lw)
    if tok.text[:1].isupper() and lw.rstrip(".") in characters_stage.honorifics()["titles"] \
            and not (j + 1 < len(toks) and toks[j + 1].text[:1].isupper()):
        # "laughed Mademoiselle": a title alone, as the text calls the one character whose names hold it
        holder = _title_holder(tok.text, names)
        if holder is not None:
            return Subject(holder, None, "name", tok.start, tok.end, tok.text), j + 1
    if j + 1 < len(toks) and _is_tag_verb(toks, j + 1, speech_verbs()) and _unknown_name(toks, j) \
            and lw not in role_nouns() and (j == 0 or not toks[j - 1].is_word()) \
            and (toks[j + 1].lower.endswith("ed") or toks[j + 1].lower in IRREGULAR_PASTS | {"said"}):
        # "Two began in a low voice,": a capitalised word not marked as a name, right before its speech verb
        return _word_as_name(tok, names), j + 1
    if tok.text[:1].isupper() and lw in role_nouns() and j + 1 < len(toks) and _is_tag_verb(toks, j + 1, speech_verbs()):
        # "Nanny said,": a post used as a name, right before its speech verb
        return Subject(None, nominals()[lw], "role", tok.start, tok.end, lw), j + 1
    if lw in ("he", "she", "i", "they"):
        return Subject(None, g, "pronoun", tok.start, tok.end, tok.text), j + 1
    if lw in ("the", "his", "her", "their", "my", "a", "an", "that", "this"):
        # a short description: determiner, up to three modifiers, a person noun; may end in a name
        k = j + 1
        o = k + 2
        while lw == "the" and o < len(toks) and o <= k + 4 and toks[o].text.islower() \
                and toks[o].lower in ("old", "young", "little", "poor", "dear"):
            o += 1  # "the voice of old Mr. Emerson"
        if lw == "the" and o < len(toks) and toks[k].lower == "voice" and toks[k + 1].lower == "of" \
                and _mention_at(toks[o], names, name_starts) is not None:
            # "exclaimed the voice of old Mr. Emerson": the one whose voice it is (the phrase, not "of", is
            # what a preposition before it would govern)
            owner, after_owner = _subject_at(text, toks, o, names, name_starts)
            if owner is not None:
                owner.start = tok.start
            return owner, after_owner
        while k < len(toks) and k <= j + 4 and toks[k].is_word():
            if toks[k].lower in PREPOSITIONS and toks[k].lower not in ("of", "and"):
                break  # "said the parlourmaid to Leonard": the description ends before a preposition
            inner = _mention_at(toks[k], names, name_starts)
            if lw in ("a", "an") and k == j + 1 and toks[k].text[:1].isupper() and toks[k].text.isalpha() \
                    and toks[k].lower not in characters_stage.honorifics()["titles"] \
                    and (inner is None or (inner.start == toks[k].start and inner.end == toks[k].end)):
                # "a Canary called out": one of that kind, someone new -- not the Canary named before
                return Subject(None, None, "role", tok.start, toks[k].end, text[tok.start : toks[k].end]), k + 1
            if inner is not None:
                return _subject_at(text, toks, k, names, name_starts)
            noun = toks[k].lower
            if lw == "the" and noun in role_nouns() and (k + 1 >= len(toks) or toks[k + 1].lower not in nominals()):
                # "said the waiter": a trade whose holder the novel seldom names is a character of its own
                return Subject(None, nominals()[noun], "role", tok.start, toks[k].end, _role_name(toks[j + 1 : k + 1])), k + 1
            if noun in nominals() and k + 1 < len(toks) and toks[k + 1].text[:1].isupper() and toks[k + 1].text.isalpha() \
                    and toks[k + 1].lower not in name_stopwords() and lw in ("the", "a", "an") \
                    and (lw != "the" or noun in ("young", "old", "elder", "younger")
                         or _mention_at(toks[k + 1], names, name_starts) is None) \
                    and toks[k + 1].lower.rstrip(".") not in characters_stage.honorifics()["titles"]:
                # "cried a young Lucas" (one of the Lucases), "said the young Crab" (a name the cast does not
                # hold): a describing word before a capitalised noun -- someone of that name or kind, a role
                return Subject(None, nominals()[noun], "role", tok.start, toks[k + 1].end,
                               text[tok.start : toks[k + 1].end]), k + 2
            if noun in nominals() and (k + 1 >= len(toks) or toks[k + 1].lower not in nominals()):
                return Subject(None, nominals()[noun] or "?", "nominal", tok.start, toks[k].end,
                               text[tok.start : toks[k].end]), k + 1
            k += 1
        if lw == "the":
            # "said the proprietor", "the senior detective said": a role the text never names
            k = j + 1
            while k < len(toks) and k <= j + 3 and toks[k].is_word() and toks[k].text.isalpha() \
                    and toks[k].text.islower() and not toks[k].lower.endswith("ly") and toks[k].lower not in PREPOSITIONS \
                    and toks[k].lower not in speech_verbs() and toks[k].lower not in ("who", "whose", "which", "that") \
                    and toks[k].lower not in NOT_ROLE_WORDS and toks[k].lower not in DETERMINERS:
                k += 1
            if k < len(toks) and k <= j + 3 and toks[k].is_word() and toks[k].text[:1].isupper() \
                    and toks[k].text.replace("-", "").isalpha() \
                    and toks[k].lower not in name_stopwords() \
                    and not (k + 1 < len(toks) and toks[k + 1].is_word() and toks[k + 1].text.islower()
                             and toks[k + 1].lower not in PREPOSITIONS  # "said the Countess from the end of the table"
                             and not toks[k + 1].lower.endswith("ly")  # "said the Professor quietly"
                             and not (_is_tag_verb(toks, k + 1, speech_verbs())  # "The Frog-Footman repeated"
                                      and (toks[k + 1].lower.endswith(("d", "s")) or toks[k + 1].lower in IRREGULAR_PASTS))):
                # "said the vindictive Professor", "said the hopeless Inspector": a title heads the description;
                # the one character whose names hold that word ("Inspector Ratcliffe"), else a role
                holder = _title_holder(toks[k].text, names)
                if holder is not None:
                    return Subject(holder, None, "name", tok.start, toks[k].end, text[tok.start : toks[k].end]), k + 1
                return Subject(None, None, "role", tok.start, toks[k].end, _role_name(toks[j + 1 : k + 1])), k + 1
            if k > j + 1 and not (k < len(toks) and toks[k].lower in DETERMINERS):  # not "the painter bit his lip"
                head = toks[k - 1].lower
                if not (head.endswith(("ing", "ed", "s")) or head in name_stopwords() or pronoun_gender(head)):
                    if k + 2 < len(toks) and toks[k].lower == "of" and toks[k + 1].lower == "the" \
                            and toks[k + 2].is_word() and toks[k + 2].text.islower() \
                            and (k + 3 >= len(toks) or not toks[k + 3].is_word()):
                        # "said the reader of the paper": the role with what it is of
                        return Subject(None, None, "role", tok.start, toks[k + 2].end, _role_name(toks[j + 1 : k + 3])), k + 3
                    return Subject(None, None, "role", tok.start, toks[k - 1].end, _role_name(toks[j + 1 : k])), k
    return None, j + 1


def _unknown_name(toks: list[Token], j: int) -> bool:
    """toks[j] reads as a name the characters stage did not list: capitalised, no common or function word, no
    title, and no capitalised word after it (which would make it part of a longer name)."""
    tok = toks[j]
    if not (tok.text[:1].isupper() and tok.text.isalpha() and len(tok.text) > 1):
        return False
    lw = tok.lower
    if lw in name_stopwords() or lw in characters_stage.honorifics()["titles"] or pronoun_gender(lw) or lw in speech_verbs():
        return False
    return not (j + 1 < len(toks) and toks[j + 1].text[:1].isupper())


def _word_as_name(tok: Token, names: list[Mention]) -> Subject:
    """A capitalised word in a tag that no mention covers: the character named with it elsewhere ("Old Horace"
    for Horace Talbot), else someone the cast lacks, a role of that name ("Two" of the cards)."""
    holder = _title_holder(tok.text, names)
    if holder is not None:
        return Subject(holder, None, "name", tok.start, tok.end, tok.text)
    return Subject(None, None, "role", tok.start, tok.end, tok.text)


def _role_name(words: list[Token]) -> str:
    """"the senior detective", "the genial passenger": a role is named as the text describes it, its describing
    words kept (they tell two detectives apart); "said the detective" later goes to the one last speaking."""
    return "the " + " ".join(t.text for t in words)


def _possessive_s(toks: list[Token], k: int) -> bool:
    """toks[k] is the possessive ending of the word before: "'s", or a lone "s" where a transcription lost the
    apostrophe ("Margaret s young man")."""
    return toks[k].text in ("'s", "’s") or (toks[k].text == "s" and k > 0 and toks[k].start - toks[k - 1].end <= 1)


_TITLE_HOLDERS: dict[int, tuple[list, dict[str, Counter]]] = {}
TITLE_HOLDER_SHARE = 0.8  # a title goes to the character that holds at least this share of its mentions


def _title_holder(word: str, names: list[Mention]) -> str | None:
    """The character whose names contain ``word`` ("Inspector" in "Inspector Ratcliffe"): the only one, or the
    one named with it far more often than any other ("Mademoiselle" for Mademoiselle Reisz, not for the
    Mademoiselle Duvigne mentioned once)."""
    cached = _TITLE_HOLDERS.get(id(names))
    if cached is None or cached[0] is not names:
        holders: dict[str, Counter] = defaultdict(Counter)
        for m in names:
            for w in m.text.replace(".", " ").split():
                holders[w][m.character] += 1
        _TITLE_HOLDERS.clear()
        _TITLE_HOLDERS[id(names)] = cached = (names, holders)
    found = cached[1].get(word)
    if not found:
        return None
    best, count = found.most_common(1)[0]
    return best if count >= TITLE_HOLDER_SHARE * sum(found.values()) else None


def _find_tag(text, q: Quote, siblings, toks, prev_toks, names, name_starts) -> Subject | None:
    """The subject of a speech tag right after the quotation, between its parts, or right before it."""
    subj = _find_tag_subject(text, q, siblings, toks, prev_toks, names, name_starts)
    if subj is not None and subj.kind == "nominal" and subj.text.lower().startswith(("a ", "an ")):
        # "said an earnest girl", "a page came to say": an indefinite description brings in someone new,
        # a speaker of their own, not one of the people named so far
        return Subject(None, subj.gender if subj.gender in ("M", "F") else None, "role", subj.start, subj.end,
                       subj.text[0].lower() + subj.text[1:])
    return subj


def _find_tag_subject(text, q: Quote, siblings, toks, prev_toks, names, name_starts) -> Subject | None:
    verbs = speech_verbs()
    nxt = [s.quote.start for s in siblings if s.quote.start >= q.end]
    after_end = min(nxt) if nxt else (toks[-1].end if toks else q.end)
    # between parts of an interrupted quotation, then after it
    gaps = [(a.end, b.start) for a, b in zip(q.parts, q.parts[1:])] + [(q.end, after_end)]
    ends_sentence = [text[a.start : a.end].rstrip(" \n'\"”’").endswith((".", "!", "?")) for a in q.parts]
    for n_gap, (start, end) in enumerate(gaps):
        seg = _narration_tokens(toks, start, end)
        semicolon = next((n for n, t in enumerate(seg[:-1]) if t.text == ";"), None)
        if semicolon is not None and n_gap == len(gaps) - 1 and nxt:
            # '"...," was Mary's reasoning; and Elizabeth's reply was, "...": the clause after the semicolon
            # belongs to the next quotation
            seg = seg[:semicolon]
        opens_next = bool(seg) and seg[-1].text in (",", ":") and seg[0].is_word() \
            and not _is_tag_verb(seg, 0, verbs) and _first_sentence(seg) is seg \
            and not text[q.parts[n_gap].start : q.parts[n_gap].end].rstrip().endswith(",") \
            and not (_tag_verb_near_start(seg, verbs, 3)
                     and sum(1 for i, t in enumerate(seg) if t.is_word() and _is_tag_verb(seg, i, verbs)) > 1)
        # (a quotation that ends with a comma is followed by its own tag; so is one whose narration opens
        # with a tag and later tags the next quotation: '"Stupid things!" Alice began ..., for the White
        # Rabbit cried out, "Silence!"')
        if n_gap == len(gaps) - 1 and nxt and opens_next:
            # 'Milly said, "..." Babs said, "..."': a tag that opens the next quotation is not this one's
            continue
        if n_gap < len(gaps) - 1 and opens_next and ends_sentence[n_gap]:
            # the same, kept as one quotation: 'Ginny said, "Pass the toast." Ron said, "Get it yourself."'
            before = _tag_before(text, q, siblings, toks, prev_toks, names, name_starts, verbs)
            if before is not None:
                return before
        seg = _first_sentence(seg)
        inverted = _inverted_tag(text, seg, text[q.parts[n_gap].start : q.parts[n_gap].end], verbs, names, name_starts)
        if inverted is not None:
            return inverted
        if n_gap == len(gaps) - 1 and len(gaps) == 1 and not _tag_verb_near_start(seg, verbs, 3):
            # 'Marianne exclaimed, "It is he!" and was hastening to meet him, when Elinor cried out': a tag
            # right before the quotation beats a speech verb some words into the narration after it
            before = _tag_before(text, q, siblings, toks, prev_toks, names, name_starts, verbs, strong=True)
            if before is not None:
                return before
        subj = _tag_in(text, seg, verbs, names, name_starts, after=True) or _possessive_tag(seg[:6], names, name_starts)
        if subj and subj.kind == "pronoun" and n_gap == 0 and seg and seg[0].text[:1].isupper() \
                and text[q.parts[0].start : q.parts[0].end].rstrip()[-1:] in (".", "!", "?"):
            # 'the Queen said severely "Who is this?" She said it to the Knave': a sentence after a finished
            # line that speaks of it again with a pronoun; a tag right before the line names its speaker
            before = _tag_before(text, q, siblings, toks, prev_toks, names, name_starts, verbs, strong=True)
            if before is not None and before.kind == "name":
                return before
        if subj:
            return subj
    return _tag_before(text, q, siblings, toks, prev_toks, names, name_starts, verbs)


def _inverted_tag(text, seg: list[Token], said: str, verbs, names, name_starts) -> Subject | None:
    """'"Yes, indeed," nodded Evie', '"Poor girl!" exploded Mr. Emerson': a past-tense verb right after the
    quotation with a name after it is a speech tag whatever the verb, since English inverts subject and verb
    after a quotation only in a tag.  (Verbs of the lexicon are read by ``_tag_in``.)"""
    said = said.rstrip(" '\"\u201d\u2019")
    if len(seg) > 2 and seg[0].lower == "according" and seg[1].lower == "to":
        m = _mention_at(seg[2], names, name_starts)  # '"staring most rudely," according to Mrs. Munt'
        if m is not None:
            return Subject(m.character, None, "name", m.start, m.end, m.text)
    f = 1 if seg and seg[0].lower in ("came", "burst", "broke", "escaped", "issued", "fell") else 0
    if f + 1 < len(seg) and seg[f].lower == "from":
        # '"A dangerous theory!" came from Sir Thomas's tight lips', 'the kindest "Good morning!" from Captain
        # Harville': the one the words came from
        g = f + 2 if seg[f + 1].lower == "the" and f + 2 < len(seg) else f + 1
        m = _mention_at(seg[g], names, name_starts)
        if m is not None:
            return Subject(m.character, None, "name", m.start, m.end, m.text)
    if len(seg) < 2 or not said or said[-1] not in ",!?-\u2014\u2013\u2026":
        return None
    verb = seg[0]
    if not (verb.is_word() and verb.text.islower() and verb.lower.endswith("ed") and len(verb.lower) > 4) \
            or _is_tag_verb(seg, 0, verbs):
        return None
    j = 1
    while j < len(seg) and _adverb(seg[j], names, name_starts):
        j += 1  # "nodded Evie" / "said coldly Evie" is rare, but "laughed softly Mme. X" occurs
    if j >= len(seg) or _mention_at(seg[j], names, name_starts) is None:
        return None
    subj, k = _subject_at(text, seg, j, names, name_starts)
    if subj is None or subj.kind != "name":
        return None
    # the name ends the clause: "nodded Evie, a little contemptuously", not "passed Evie the salt"
    if k < len(seg) and seg[k].is_word() and not (seg[k].text.islower() and (seg[k].lower.endswith("ly")
                                                                             or seg[k].lower in MANNER_OPENERS
                                                                             or seg[k].lower in PREPOSITIONS)):
        return None
    return subj


def _tag_verb_near_start(seg: list[Token], verbs, window: int) -> bool:
    words = [i for i, t in enumerate(seg) if t.is_word()]
    return any(_is_tag_verb(seg, i, verbs) for i in words[:window])


def _tag_before(text, q: Quote, siblings, toks, prev_toks, names, name_starts, verbs, strong=False) -> Subject | None:
    """The tag in the narration just before the quotation (or ending the paragraph before).  ``strong``: only
    a tag whose speech verb is among the last words and that ends with a comma, colon or dash."""
    prev = [s.quote.end for s in siblings if s.quote.end <= q.start]
    before_start = max(prev) if prev else (toks[0].start if toks else q.start)
    seg = _narration_tokens(toks, before_start, q.start)
    if prev and seg and seg[0].is_word() and _is_tag_verb(seg, 0, verbs) \
            and not any(t.text == ";" or _ends_sentence(seg, i) for i, t in enumerate(seg[:-1])):
        before_q = max((s.quote for s in siblings if s.quote.end <= q.start), key=lambda s: s.end)
        if text[before_q.parts[-1].start : before_q.parts[-1].end].rstrip().endswith(",") \
                and not quotes_stage.tags_two_speakers(text[before_q.end : q.start]):
            # '"Well," said Mr. Bennet, when Elizabeth had read the note aloud, "if ...': the tag of the
            # sentence both pieces belong to
            subj = _tag_in(text, seg, verbs, names, name_starts, after=True)
            if subj:
                return subj
    from_prev = False
    if not seg and not prev and prev_toks and prev_toks[-1].text not in QUOTE_CHARS and not prev_toks[-1].in_quote:
        # the tag ends the paragraph before: 'Mr. Darcy replied with great intrepidity,' / "..."
        seg = [t for t in prev_toks if not t.in_quote and t.text not in QUOTE_CHARS]
        from_prev = True
    if strong:
        seg = _last_sentence(seg)
        owner = _possessive_noun_at_end(seg, names, name_starts) if seg and seg[-1].text in (",", ":") else None
        if owner is not None:
            return owner
        bare = len(seg) >= 2 and seg[-1].is_word() and _tag_verb_near_end(seg, verbs, 2)  # 'the Queen said severely "..."'
        if not bare and (len(seg) < 2 or seg[-1].text not in (",", ":", ";", "—", "–", "-") or not _tag_verb_near_end(seg, verbs, 4)):
            return None
        return _tag_in(text, seg, verbs, names, name_starts, after=False)
    seg = _last_sentence(seg)
    if seg and seg[-1].text in (",", ":", "—", "–", "-", ";"):
        owner = _possessive_noun_at_end(seg, names, name_starts)
        if owner is not None:
            return owner  # 'echoed Denham's private exclamation, "..."': whose words, not the sentence's subject
        subj = _tag_in(text, seg, verbs, names, name_starts, after=False)
        if subj:
            return subj
    elif seg and seg[-1].is_word() and _tag_verb_near_end(seg, verbs, BARE_TAG_WORDS):
        # a tag run into the quotation with no mark between ('Bull said' / "..."; a dash lost in transcription)
        subj = _tag_in(text, seg, verbs, names, name_starts, after=False)
        if subj:
            return subj
    elif seg and seg[-1].text == "." and (not from_prev or _ends_with_narration(prev_toks)) \
            and _closing_tag_sentence(seg[:-1], verbs):
        # a sentence of its own announces the speech: 'Mrs. Hurst began again.' / "..."; the tag sentence
        # of a paragraph that has its own quotation is that quotation's
        subj = _tag_in(text, seg[:-1], verbs, names, name_starts, after=False)
        if subj and subj.kind == "name":
            return subj
    if seg and (seg[-1].text in (",", ":", "—", "–", "-", ";") or seg[-1].lower in ("was", "were", "of")):
        return _possessive_tag(seg[-8:], names, name_starts, last=True)
    return None


BARE_TAG_WORDS = 6  # a tag with no mark before the quotation has its verb among the last this many words
# Words that may follow the verb of a tag that is a whole sentence ("Sir William thus began.", "X went on.")
ANNOUNCING_TAIL = {"again", "thus", "then", "first", "on", "at", "once", "last", "length", "in", "reply", "return",
                   "aloud", "abruptly", "instantly", "suddenly", "presently", "directly", "immediately", "afresh",
                   "herself", "himself", "speaking", "talking", "scolding"}


def _ends_with_narration(toks: list[Token]) -> bool:
    """A paragraph with no quotation, or whose last quotation ends its sentence with a period, so that the
    narration after it is a sentence of its own ('"...exercise."--A short pause followed, and Mrs. Hurst
    began again.'), not that quotation's tag ('"Goodness!" William interjected.')."""
    said = [t for t in toks if t.in_quote and t.text not in QUOTE_CHARS]
    return not said or said[-1].text == "."


def _tag_verb_near_end(seg: list[Token], verbs, window: int) -> bool:
    words = [i for i, t in enumerate(seg) if t.is_word()]
    if any(_is_tag_verb(seg, i, verbs) and not _negated(seg, i) for i in words[-window:]):
        return True
    # "Gogol said, with the absolute simplicity of a child", "said in a small and quiet voice", "cried out, like a
    # man waking from sleep": a manner phrase after the verb (and its particle), a comma before it or none
    for i in words[-3 * window : -window]:
        if _is_tag_verb(seg, i, verbs) and not _negated(seg, i):
            rest = seg[i + 1 :]
            if rest and rest[0].lower in ("out", "up"):
                rest = rest[1:]
            if rest and rest[0].text == ",":
                rest = rest[1:]
            if rest and rest[0].lower in MANNER_OPENERS and not any(t.text in (",", ";", ":") for t in rest[1:]):
                return True
    return False


MANNER_OPENERS = {"with", "in", "without", "like", "as", "after", "through", "half", "almost", "quite"}


def _closing_tag_sentence(seg: list[Token], verbs) -> bool:
    """Whether a sentence ends with its speech verb and at most a few words of manner or time
    ("began again", "thus began", "went on", "interposed"), so that it announces the quotation that follows;
    "said nothing", "answered the letter" do not."""
    words = [i for i, t in enumerate(seg) if t.is_word()]
    if len(words) < 2:
        return False
    for back, i in enumerate(reversed(words)):
        if back > 3:
            return False
        if _is_tag_verb(seg, i, verbs):
            if _negated(seg, i):
                return False
            head = i - 1
            if i + 1 < len(seg) and f"{seg[i].lower} {seg[i + 1].lower}" in tag_phrases():
                i += 1  # "went on", "broke in": the particle is part of the verb
            elif seg[i].lower not in verbs:
                return False  # "went home": only the phrase "went on" is a tag
            while head >= 0 and seg[head].is_word() and (seg[head].lower.endswith("ly") or seg[head].lower in ANNOUNCING_TAIL
                                                          or seg[head].lower in ("and", "then", "but")):
                head -= 1
            if head >= 0 and seg[head].is_word() and seg[head].text.islower() and not pronoun_gender(seg[head].lower):
                return False  # "the following natural remark": a noun, not a verb
            tail = [t for t in seg[i + 1 :] if t.is_word()]
            if tail and tail[0].lower in ("him", "her", "them", "me", "us"):
                tail = tail[1:]  # "Mary interrupted him.": the one spoken to
            if 3 <= len(tail) <= 4 and tail[0].lower in ("with", "to") \
                    and tail[1].lower in ("a", "an", "the", "his", "her", "their", "its", "my", "your"):
                tail = []  # "interposed with an amendment.", "went on with his sentence."
            return all(t.lower in ANNOUNCING_TAIL or t.lower.endswith("ly") for t in tail)
    return False


def _possessive_tag(seg: list[Token], names, name_starts, last: bool = False) -> Subject | None:
    """"Mary's reply was, ...", "... was Kit's first question": a name's possessive before a noun of speech;
    with ``last``, the one nearest the end (the tag before a quotation)."""
    if last:
        for j in range(len(seg) - 1, -1, -1):
            subj = _possessive_tag(seg[j:], names, name_starts)
            if subj is not None:
                return subj
        return None
    for j, t in enumerate(seg):
        m = _mention_at(t, names, name_starts)
        if m is None:
            if t.lower in ("his", "her") and any(seg[n].lower in speech_nouns() for n in range(j + 1, min(j + 3, len(seg)))):
                # '"...," was her answer': a pronoun tag
                return Subject(None, "M" if t.lower == "his" else "F", "pronoun", t.start, t.end, t.text)
            continue
        k = j
        while k < len(seg) and seg[k].start < m.end:
            k += 1
        if k < len(seg) and _possessive_s(seg, k):
            k += 1
        elif not m.text.endswith(("'s", "’s")):
            continue
        for n in range(k, min(k + 3, len(seg))):
            if seg[n].lower in speech_nouns() or (seg[n].lower.endswith("ing") and seg[n].lower in speech_verbs()):
                # "Mary's reply was", "Sir Thomas's saying with authority,"
                return Subject(m.character, None, "name", m.start, m.end, m.text)
            if not seg[n].is_word():
                break
    return None


def _possessive_noun_at_end(seg: list[Token], names, name_starts) -> Subject | None:
    """A name's possessive and a noun of speech ending the narration before a quotation: "Denham's private
    exclamation,", "Mary's reply:" -- up to two describing words between."""
    i = len(seg) - 2
    if i > 2 and seg[i].lower in ("was", "were"):
        i -= 1  # "Mary's answer was,"
    if i < 2 or seg[i].lower not in speech_nouns():
        return None
    i -= 1
    for _ in range(3):
        if i < 1:
            return None
        if _possessive_s(seg, i):
            m = _mention_at(seg[i - 1], names, name_starts)
            return Subject(m.character, None, "name", m.start, m.end, m.text) if m is not None else None
        if not (seg[i].is_word() and seg[i].text.islower()):
            return None
        i -= 1
    return None


def _ends_sentence(seg: list[Token], i: int) -> bool:
    """A sentence end, not the period of "Mrs." or of an initial ("J. Smith")."""
    if seg[i].text not in SENTENCE_END:
        return False
    if seg[i].text == "." and i > 0:
        prev = seg[i - 1].text
        if prev.lower() in characters_stage.honorifics()["titles"] or (len(prev) == 1 and prev.isupper()):
            return False
    return True


def _first_sentence(seg: list[Token]) -> list[Token]:
    for i in range(1, len(seg)):
        if _ends_sentence(seg, i):
            return seg[:i]
    return seg


def _last_sentence(seg: list[Token]) -> list[Token]:
    for i in range(len(seg) - 2, -1, -1):
        if _ends_sentence(seg, i):
            return seg[i + 1 :]
    return seg


def _is_tag_verb(seg: list[Token], i: int, verbs) -> bool:
    w = seg[i].lower
    if w in verbs or w in tag_phrases():
        return True
    return i + 1 < len(seg) and f"{w} {seg[i + 1].lower}" in tag_phrases()


IRREGULAR_PASTS = {"spoke", "began", "told", "sang", "broke", "went", "put", "cut", "struck", "burst", "swore", "wrote"}
DETERMINERS = {"a", "an", "the", "his", "her", "their", "my", "your", "our", "its", "this", "that", "one", "no"}


def _noun_use(seg: list[Token], i: int, verbs) -> bool:
    """"with a faint smile", "her low answer": a word that can be a speech verb is a noun after a determiner
    (an adjective between allowed)."""
    if i >= 1 and (seg[i - 1].lower in DETERMINERS or _possessive_s(seg, i - 1)):
        return True
    if seg[i].lower.endswith(("d", "s", "ing")) or seg[i].lower in IRREGULAR_PASTS:
        return False  # "the proprietor resumed", "her husband said": a noun subject, then its verb
    return i >= 2 and seg[i - 2].lower in DETERMINERS and seg[i - 1].is_word() and seg[i - 1].text.islower() \
        and seg[i - 1].lower not in verbs and not seg[i - 1].lower.endswith("ly") \
        and seg[i - 1].lower not in PREPOSITIONS and seg[i - 1].lower not in ("or", "but", "then", "thus")


def _tag_in(text, seg: list[Token], verbs, names, name_starts, after: bool) -> Subject | None:
    words = [i for i, t in enumerate(seg) if t.is_word()]
    verb_positions = [i for i in words if _is_tag_verb(seg, i, verbs) and not _negated(seg, i)
                      and not _noun_use(seg, i, verbs)]
    if not verb_positions and not after and words and seg[words[-1]].lower in speech_nouns() \
            and all(not t.is_word() for t in seg[words[-1] + 1 :]):
        # 'Lady Russell ... made only this cautious reply:--': a noun of speech ending the narration before the
        # quotation stands for the verb; the subject of its clause speaks
        verb_positions = [words[-1]]
    if not verb_positions:
        return None
    v = verb_positions[0] if after else verb_positions[-1]
    if after and words.index(v) > TAG_WINDOW:
        return None
    if v >= 2 and seg[v].lower.endswith("ing") and _possessive_s(seg, v - 1):
        # "which began with Mary's saying, in a tone of great exultation--": whose saying it is
        m = _mention_at(seg[v - 2], names, name_starts)
        if m is not None:
            return Subject(m.character, None, "name", m.start, m.end, m.text)
    if v >= 1 and seg[v].lower.endswith("ing") and seg[v - 1].text.endswith(("'s", "’s")):
        m = _mention_at(seg[v - 1], names, name_starts)  # "Gregory's shouting": the token holds the "'s"
        if m is not None:
            return Subject(m.character, None, "name", m.start, m.end, m.text)
    if v + 2 < len(seg) and seg[v + 1].lower == "by" and seg[v].lower.endswith("ed"):
        # the passive: "when thus accosted by Miss Bingley,", '"Thank God!" was uttered by Captain Wentworth'
        agent, _ = _subject_at(text, seg, v + 2, names, name_starts)
        if agent is not None and agent.kind == "name":
            return agent
    # Subjects before the verb: the one right before it (adverbs between allowed), else the first one
    # not governed by a preposition.
    found: list[tuple[int, Subject]] = []
    clause_subjects: list[tuple[int, Subject]] = []
    j = 0
    while j < v:
        subj, k = _subject_at(text, seg, j, names, name_starts)
        if subj is not None and k <= v:
            at = next((n for n in range(j, k) if seg[n].start == subj.start), j)  # "At the moment Mr. X": X is free
            if not after and at > 1 and seg[at - 1].lower == "the" and subj.kind == "name":
                at -= 1  # "turning to the Heron as he spoke,": the article belongs to the name
            governed = at > 0 and seg[at - 1].lower in PREPOSITIONS \
                and not (not after and seg[at - 1].lower in ("and", "for") and at > 1 and seg[at - 2].text in (",", ";")) \
                and not (not after and seg[at - 1].lower == "and" and not any(end == at - 1 for end, _ in found))
            # ("and" joins two subjects, "Tom and Mary said"; after anything else it opens a clause: "when the
            # concert was over and Margaret said")
            found.append((k, subj if not governed else None))
            if not governed or seg[at - 1].lower == "and":
                clause_subjects.append((k, subj))  # "and Margaret, sighing, said": "and" governs nothing
        j = max(k, j + 1)
    words_before = [t for t in seg[:v] if t.is_word()]
    if len(words_before) >= 2 and words_before[-1].lower == "who":
        # "he looked at Ben, who said,": the one the relative clause is about
        w = seg.index(words_before[-1])
        if w >= 2 and seg[w - 1].text == ",":
            m = _mention_at(seg[w - 2], names, name_starts)
            if m is not None:
                return Subject(m.character, None, "name", m.start, m.end, m.text)
    relative = _relative_clause_subject(seg, v, clause_subjects, names, name_starts)
    if relative is not None:
        return relative
    if not after:
        described = _subject_with_relative_clause(text, seg, v, clause_subjects, names, name_starts)
        if described is not None:
            return described
    aside = _subject_before_aside(seg, clause_subjects, v)
    if aside is not None:
        return aside
    if found:
        k, subj = found[-1]
        between = [t for t in seg[k:v] if t.is_word()]
        if subj is not None and all(_adverb(t, names, name_starts) or t.lower in ("then", "finally", "also", "again", "still", "just")
                                    for t in between):
            if not _object_like(seg, subj):
                return subj
            # "Mr. Crawford, approaching Julia, said": Julia is the object of the participle
            earlier = [s for _, s in found[:-1] if s is not None and s.kind != "role" and not _object_like(seg, s)]
            return earlier[-1] if earlier else subj
        if not after:
            # "Fanny had passed the servants, when Lady Bertram came ...; and falling on her neck, said":
            # the subject of the last clause that has one -- not of a clause inside the sentence ("Mr. Collins
            # ..., and when she ceased speaking, replied thus"; "Elizabeth saw what he was doing, and ... said")
            starts = [s for _, s in found if s is not None and (s.kind != "role" or _trade(s)) and not _object_like(seg, s)]
            semicolon = max((t.start for t in seg[:v] if t.text == ";"), default=None)
            if semicolon is not None and any(s.start > semicolon for s in starts):
                # "Mr. Yates ... exclaimed against his tameness; and the day came at last, when Mr. Rushworth
                # turned to her, and said": the clause after the semicolon has a subject of its own
                starts = [s for s in starts if s.start > semicolon]
            main = [s for s in starts if not _in_subordinate_clause(seg, s, v)]
            if main or starts:
                return (main or starts)[-1]
        firsts = [s for _, s in found if s is not None and s.kind != "role"]
        if firsts and not after:
            return firsts[0]
        if firsts and after and v - found[0][0] < 6:
            return firsts[0]
    # Inverted: verb, then subject ("said Iruka quietly", "asked the old man", "broke in old Isaac").
    j = v + 1
    limit = v + 3
    if j < len(seg) and f"{seg[v].lower} {seg[j].lower}" in tag_phrases():
        j += 1
        limit += 1
    while j < len(seg) and j <= limit:
        if _adverb(seg[j], names, name_starts) or seg[j].text == "," or seg[j].lower in ("old", "young", "little"):
            j += 1
            continue
        subj, _ = _subject_at(text, seg, j, names, name_starts)
        if subj is None and seg[j].lower in ("a", "an"):
            return _indefinite_role(seg, j)  # "said an official in a dazed manner": someone new
        if subj is None and _unknown_name(seg, j):
            return _word_as_name(seg[j], names)  # "said Two", "cried Old Horace": a name the stage did not mark
        if subj is None and seg[j].lower in role_nouns() and seg[j].text.islower() \
                and (j + 1 >= len(seg) or not seg[j + 1].is_word()):
            # "said nanny": a post used as a name
            return Subject(None, nominals()[seg[j].lower], "role", seg[j].start, seg[j].end, seg[j].lower)
        if subj is None and seg[j].text.islower() and seg[j].lower not in PREPOSITIONS \
                and not seg[j].lower.endswith("ing"):
            # "said dour Major Callendar": a describing word or two before the name (not "it continued,
            # turning to Alice": a participle and its object)
            for k in (j + 1, j + 2):
                if k < len(seg) and _mention_at(seg[k], names, name_starts) is not None:
                    return _subject_at(text, seg, k, names, name_starts)[0]
                if k < len(seg) and seg[k].lower in PREPOSITIONS:
                    break
        return subj
    return None


def _indefinite_role(seg: list[Token], j: int) -> Subject | None:
    """"an official", "a tall stranger": an article, up to two describing words and a noun ending the phrase (a
    punctuation mark, a preposition or an adverb after it) -- someone the text brings in unnamed."""
    after_phrase = PREPOSITIONS | MANNER_OPENERS | {"in", "who", "whose", "that", "from", "across", "opposite"}
    k = j + 1
    while k < len(seg) and k <= j + 3 and seg[k].is_word() and seg[k].text.isalpha() and seg[k].text.islower() \
            and seg[k].lower not in after_phrase and not seg[k].lower.endswith("ly") and seg[k].lower not in speech_verbs():
        k += 1
    if k == j + 1 or any(t.lower in speech_nouns() for t in seg[j + 1 : k + 4]):
        return None  # "said a voice", "said a firm, child's voice": someone in the scene, not someone new
    if k < len(seg) and seg[k].is_word() and not (seg[k].lower in after_phrase or seg[k].lower.endswith("ly")):
        return None
    words = seg[j : k]
    return Subject(None, None, "role", words[0].start, words[-1].end, " ".join(t.text for t in words))


def _trade(subj: Subject) -> bool:
    """A role headed by a person noun of the lexicon ("the junior detective") or a capitalised one ("an old
    Crab"), not any noun after "the" ("the gate")."""
    head = subj.text.split()[-1]
    return subj.kind == "role" and (head.lower() in role_nouns() or head.lower() in nominals() or head[:1].isupper())


def _relative_clause_subject(seg: list[Token], v: int, clause_subjects, names, name_starts) -> Subject | None:
    """'a long argument with the Lory, who at last turned sulky, and would only say,': the speech verb ends a
    relative clause (", who ...") with no subject of its own after "who"; its speaker is the name the clause is
    about -- the last name before the last ", who" of the sentence."""
    w = next((n for n in range(v - 1, 1, -1) if seg[n].lower == "who" and seg[n - 1].text == ","), None)
    if w is None or any(t.text in (";", ":") for t in seg[w:v]):
        return None
    if any(s.start > seg[w].start for _, s in clause_subjects if s is not None):
        return None  # "who, when she had finished, said": a subject inside the clause; other rules read it
    m = _mention_at(seg[w - 2], names, name_starts)
    return Subject(m.character, None, "name", m.start, m.end, m.text) if m is not None else None


def _subject_with_relative_clause(text, seg: list[Token], v: int, clause_subjects, names, name_starts) -> Subject | None:
    """'Fanny, who was sitting ... opposite Miss Crawford, and who had been listening, now looked at him, and
    said': a name opening the sentence with a relative clause after it is the subject of the main verbs; names
    inside the clause (up to the last comma before the speech verb) are not, a name after it may be."""
    i = 0
    while i < len(seg) and seg[i].lower in ("and", "but", "then", "so"):
        i += 1
    if i >= len(seg):
        return None
    subj, k = _subject_at(text, seg, i, names, name_starts)
    if subj is None or not (subj.kind == "name" or _trade(subj)) or k + 1 >= v or seg[k].text != "," \
            or seg[k + 1].lower not in ("who", "whose"):
        return None
    last_comma = max((n for n in range(k + 1, v) if seg[n].text == ","), default=None)
    if last_comma is None or any(t.text == ";" for t in seg[k:v]):
        return None
    if any(s is not None and s.start > seg[last_comma].start and not _object_like(seg, s) for _, s in clause_subjects):
        return None  # "Fanny, who was tired, sat down, and Edmund said,": a subject after the clause
    return subj


PARTICLE_WORDS = {"out", "up", "down", "off", "over", "round", "away", "back", "aside", "had"}
# Adverbs without -ly that follow "said the valet" and are no part of the role ("said the valet somewhat affably")
NOT_ROLE_WORDS = {"somewhat", "rather", "again", "then", "now", "too", "still", "quite", "very", "instead", "once",
                  "also", "even", "just", "almost", "aloud", "abroad", "indoors", "outside", "here", "there", "not"}
# Words that open a clause inside the sentence, whose subject is not the subject of the speech verb
SUBORDINATORS = {"when", "while", "whilst", "as", "after", "before", "till", "until", "though", "although", "if",
                 "since", "because", "what", "that", "how", "why", "where", "whether", "whom", "which", "whose"}


def _in_subordinate_clause(seg: list[Token], subj: Subject, v: int) -> bool:
    """"when she ceased speaking, replied": the subject follows a subordinating word, and a comma closes that
    clause before the verb; not "when Mary eagerly interrupted her by exclaiming" (one clause) nor "when Lady
    Bertram came ...; and ... said" (after a semicolon, a clause of its own)."""
    i = next((n for n, t in enumerate(seg) if t.start == subj.start), None)
    if not i:
        return False
    between = [t.text for t in seg[i:v]]
    return seg[i - 1].lower in SUBORDINATORS and "," in between and ";" not in between


def _adverb(tok: Token, names, name_starts) -> bool:
    """"quietly", "Presently" -- but not Milly, Polly or Sally, whose names end the same way."""
    return tok.lower.endswith("ly") and _mention_at(tok, names, name_starts) is None
# Words that open a clause set off by commas between a subject and its verb ("Mrs Smith, sighing, said")
ASIDE_OPENERS = {"with", "without", "after", "before", "in", "on", "at", "as", "who", "whose", "still", "now",
                 "then", "though", "although", "when", "while", "having", "being", "not", "for", "by", "from",
                 "half", "once", "too", "almost", "quite", "rather", "very", "all"}


def _subject_before_aside(seg: list[Token], found, v: int) -> Subject | None:
    """"Mrs Smith, sighing over it as she unlocked it, said": the subject before a clause set off by commas
    that runs up to the verb, not the pronoun inside that clause."""
    c = v - 1
    while c >= 0 and seg[c].is_word() and (seg[c].lower.endswith("ly") or seg[c].lower in ("then", "again", "still")):
        c -= 1  # ", then quietly said"
    if c < 0 or seg[c].text != ",":
        return None
    best = None
    for k, subj in found:
        if subj is None or (subj.kind == "role" and not _trade(subj)) or k >= c or seg[k].text != ",":
            continue
        if any(t.text == ";" for t in seg[k:c]) or any(n > k and s.kind == "name" and not _object_like(seg, s)
                                                       for n, s in found if n <= c):
            continue  # "Mrs. Bennet, with great civility, begged ...; but Lady Catherine ..., said": a new clause
        o = k + 1
        while o < c and seg[o].is_word() and seg[o].lower.endswith("ly"):
            o += 1  # "Mrs. Dashwood, accidentally taking up a volume, exclaimed"
        opener = seg[o].lower
        if not (opener in ASIDE_OPENERS or (opener.endswith(("ing", "ed")) and len(opener) > 4)):
            continue
        if _object_like(seg, subj):
            continue
        best = subj
    return best


def _negated(seg: list[Token], i: int) -> bool:
    """"The Mouse did not answer": a speech verb that says nobody spoke."""
    prev = [t.lower for t in seg[max(0, i - 2) : i] if t.is_word()]
    if prev and prev[-1] == "help":
        return False  # "could not help saying": said it all the same
    return any(w in ("not", "never") or w.endswith(("n't", "n’t")) for w in prev)


def _object_like(seg: list[Token], subj: Subject) -> bool:
    """Whether the phrase follows a verb or particle ("approaching Julia", "taking out the letter")."""
    i = next((n for n, t in enumerate(seg) if t.start == subj.start), None)
    if not i:
        return False
    prev = seg[i - 1]
    if not prev.is_word() or not prev.text.islower():
        return False
    if i >= 2 and seg[i - 2].lower == "to" and prev.lower not in PREPOSITIONS:
        return True  # "a plan which was to take Mr. Crawford away": the object of an infinitive
    w = prev.lower
    if w in ("did", "does", "do", "would", "could", "should", "will", "can", "might", "must", "shall"):
        return False  # "more than once did Mr. Bennet say": the subject after an auxiliary, inverted
    return (w.endswith(("ing", "ed")) and len(w) > 4) or w in PARTICLE_WORDS or w in agent_verbs() or w in speech_verbs()


def _acting(text, q: Quote, siblings, toks, names, name_starts) -> Subject | None:
    """The character acting in the narration of the quotation's paragraph: the subject of the sentence just
    before it or just after it ("Kakashi nodded." / "Iruka did not look up.")."""
    nxt = [s.quote.start for s in siblings if s.quote.start >= q.end]
    after_end = min(nxt) if nxt else (toks[-1].end if toks else q.end)
    prev = [s.quote.end for s in siblings if s.quote.end <= q.start]
    before_start = max(prev) if prev else (toks[0].start if toks else q.start)
    candidates = []
    before = _last_sentence(_narration_tokens(toks, before_start, q.start))
    after = _first_sentence(_narration_tokens(toks, q.end, after_end))
    # '"Hmm." Kakashi closed his book. "Then I suppose I did."': the narration between the parts acts first
    between = [_first_sentence(_narration_tokens(toks, a.end, b.start)) for a, b in zip(q.parts, q.parts[1:])]
    for seg in (*between, before, after):
        if seg and seg[0].is_word():
            j = 0
            while j < len(seg) and seg[j].lower in ("then", "and", "but", "so", "finally", "still", "even", "yet",
                                                    "now", "presently", "suddenly", "instead", "at", "last"):
                j += 1
            if j < len(seg):
                subj, k = _subject_at(text, seg, j, names, name_starts)
                if subj is not None and subj.kind != "nominal" or (subj is not None and subj.gender in ("M", "F")):
                    candidates.append(subj)
    return candidates[0] if candidates else None


# -- salience and resolution ---------------------------------------------------------------------------


class _Salience:
    """Recent characters, newest last: named in narration, or speaking.  Those of the current scene rank above
    all earlier ones: who spoke before a scene break has often left."""

    KEEP = 64  # events kept: the longest window any reader looks at is 40

    def __init__(self, names: list[Mention], gender_of: dict[str, str | None], scene_starts: list[int]):
        self.names = names
        self.gender_of = gender_of
        self.scene_starts = scene_starts
        self.scene_start = 0  # where the scene of the last offset advanced to begins
        self.i = 0
        self.recent: list[tuple[int, str, str]] = []  # (offset, character, how)

    def copy(self) -> "_Salience":
        other = _Salience(self.names, self.gender_of, self.scene_starts)
        other.i = self.i
        other.scene_start = self.scene_start
        other.recent = self.recent[-self.KEEP:]
        return other

    def advance(self, offset: int) -> None:
        k = bisect.bisect_right(self.scene_starts, offset) - 1
        self.scene_start = self.scene_starts[k] if k >= 0 else 0
        while self.i < len(self.names) and self.names[self.i].start < offset:
            m = self.names[self.i]
            self.recent.append((m.start, m.character, m.kind))
            self.i += 1
        if len(self.recent) > 2 * self.KEEP:
            del self.recent[: -self.KEEP]

    def spoke(self, character: str, offset: int) -> None:
        self.recent.append((offset, character, "speaker"))

    def ranked(self, window: int = 40) -> list[str]:
        here, before = [], []
        for offset, c, _ in reversed(self.recent[-window:]):
            if c not in here and c not in before:
                (here if offset >= self.scene_start else before).append(c)
        return here + before

    def in_scene(self) -> set[str]:
        """Who the current scene has named or heard speak so far (within the events kept)."""
        return {c for offset, c, _ in self.recent[-self.KEEP:] if offset >= self.scene_start}

    def compatible(self, gender: str | None, exclude: set[str], window: int = 40) -> list[str]:
        """Characters that fit the gender, most recent first; those whose gender is known come first."""
        known, unknown = [], []
        for c in self.ranked(window):
            if c in exclude:
                continue
            g = self.gender_of.get(c)
            if gender in ("M", "F") and g not in (gender, None):
                continue
            (unknown if gender in ("M", "F") and g is None else known).append(c)
        return known + unknown


def _turns_before(infos: list[QuoteInfo], n: int, max_gap: int = 2) -> list[QuoteInfo]:
    """The previous turns of the conversation this quotation belongs to (one per paragraph, newest first)."""
    out = []
    par = infos[n].paragraph
    for m in range(n - 1, -1, -1):
        info = infos[m]
        if info.paragraph == par:
            continue
        if par - info.paragraph > max_gap or info.scene != infos[n].scene:
            break
        if out and out[-1].paragraph == info.paragraph:
            continue
        out.append(info)
        par = info.paragraph
        if len(out) >= 3:
            break
    return out


def _last_narrated(info: QuoteInfo, narrated: list[Mention], starts: list[int], lo: int, gender_of) -> dict:
    """The characters last named in the narration before the quotation, from ``lo`` (this paragraph or the one
    before): the last of all ("any"), and the last of each gender ("M", "F"), for "he said" and "she turned"."""
    out: dict = {}
    i = bisect.bisect_left(starts, info.quote.start) - 1
    while i >= 0 and narrated[i].start >= lo and len(out) < 3:
        c = narrated[i].character
        if c not in info.vocatives:
            out.setdefault("any", c)
            g = gender_of.get(c)
            if g in ("M", "F"):
                out.setdefault(g, c)
        i -= 1
    return out


def _subjects_before_in_par(info: QuoteInfo, narrated: list[Mention], starts: list[int], par_starts: list[int],
                            toks: list[Token]) -> tuple[set[str], set[str | None]]:
    """What the narration of this paragraph before the quotation makes act: the characters named where a
    clause starts ("Ralph warmed his hands, while Mary took up her stocking."), not as objects ("with Jock")
    or possessors ("Charles's door"); and the genders of person nouns there ("a coloured archdeacon sat")."""
    lo = par_starts[info.paragraph] if info.paragraph < len(par_starts) else 0
    before = [t for t in toks if t.end <= info.quote.start and not t.in_quote]
    named = set(_clause_subjects(toks, lo, info.quote.start, narrated, starts))
    determiners = {"a", "an", "the", "his", "her", "their", "its", "my", "our", "your"}
    described = set()
    for k in range(1, len(before)):
        word = before[k].lower
        if word not in nominals() or not (before[k - 1].lower in determiners
                                          or before[k - 1].text.endswith(("'s", "’s"))):
            continue
        following = before[k + 1] if k + 1 < len(before) else None
        if (nominals()[word] is None and word not in role_nouns() and following is not None
                and following.text.isalpha() and following.text.islower() and not following.text.endswith("ed")):
            continue  # "Arthur's old spaniel": a describing word before some other noun, not a person
        described.add(nominals()[word])
    return named, described


def _clause_subjects(toks: list[Token], lo: int, hi: int, narrated: list[Mention], starts: list[int]) -> list[str]:
    """The characters the narration in [lo, hi) names where a clause starts ("Elizabeth was chiefly struck with
    his deference for Lady Catherine": Elizabeth, not Lady Catherine), in story order."""
    before = [t for t in toks if lo <= t.start and t.end <= hi and not t.in_quote]
    if not before:
        return []
    index = {t.start: k for k, t in enumerate(before)}
    openers = lexicons.load_words("clause_openers.txt")
    out = []
    for m in narrated[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]:
        k = index.get(m.start)
        if k is None:
            continue
        prev = before[k - 1] if k > 0 else None
        if prev is not None and prev.is_word() and prev.lower not in openers:
            continue
        end = next((j for j in range(k, len(before)) if before[j].end >= m.end), k)
        if end + 1 < len(before) and before[end + 1].lower in ("'s", "’s", "s") or before[end].text.endswith(("'s", "’s")):
            continue
        out.append(m.character)
    return out


def _narration_subjects(info: QuoteInfo, narrated, starts, par_starts, toks_by_par, gender_of,
                        with_prev_par: bool = True) -> dict:
    """The last character the narration made the subject of a clause, in the paragraph before the quotation's
    (unless ``with_prev_par`` is False: a scene break between) and in its own before it: of all ("any") and of
    each gender ("M", "F"), for '... "...," said she.'"""
    out: dict = {}
    p = info.paragraph
    subjects = []
    if with_prev_par and 0 < p <= len(toks_by_par):
        subjects += _clause_subjects(toks_by_par[p - 1], par_starts[p - 1], info.quote.start, narrated, starts)
    if p < len(toks_by_par):
        subjects += _clause_subjects(toks_by_par[p], par_starts[p], info.quote.start, narrated, starts)
    for c in reversed(subjects):
        if c in info.vocatives:
            continue
        out.setdefault("any", c)
        g = gender_of.get(c)
        if g in ("M", "F"):
            out.setdefault(g, c)
    return out


def _nearest_tagged(infos: list[QuoteInfo], by_par, n: int, step: int, max_turns: int = 8,
                    max_gap: int = 2) -> tuple[int, str] | None:
    """(turns away, speaker) of the nearest turn of this conversation, before (step -1) or after (+1), whose
    speaker a tag names: in an exchange of two, an even number of turns away is the same speaker."""
    par = infos[n].paragraph
    turns = 0
    m = n + step
    while 0 <= m < len(infos) and turns < max_turns:
        p = infos[m].paragraph
        if p != par:
            if abs(p - par) > max_gap or infos[m].scene != infos[n].scene:
                return None
            turns += 1
            par = p
            tagged = [i.speaker for i in by_par[p] if i.rule in ("explicit", "narrator") and i.speaker]
            if tagged:
                return turns, tagged[0]
        m += step
    return None


def _opens_on_no_one(info: QuoteInfo, toks_by_par, par_starts: list[int], name_starts: list[int]) -> bool:
    """The quotation's paragraph opens with narration that names no one, not even by a pronoun ('Below, the door
    scraped, and heavy boots came up the steps. "Anyone up there?"'): whoever speaks is arriving."""
    lo = par_starts[info.paragraph] if info.paragraph < len(par_starts) else 0
    before = [t for t in (toks_by_par[info.paragraph] if info.paragraph < len(toks_by_par) else [])
              if t.end <= info.quote.start and not t.in_quote and t.text[:1].isalpha()]
    if len(before) < 4 or bisect.bisect_left(name_starts, lo) < bisect.bisect_left(name_starts, info.quote.start):
        return False
    return not any(t.lower in _person_pronouns() for t in before)


@lru_cache(maxsize=1)
def _person_pronouns() -> frozenset[str]:
    return frozenset().union(*pronouns().values())


def _turns_after(infos: list[QuoteInfo], n: int, max_gap: int = 2) -> list[int]:
    """Indices of the next two turns (first quotation of each following paragraph) of the conversation."""
    out: list[int] = []
    par = infos[n].paragraph
    for m in range(n + 1, len(infos)):
        if infos[m].paragraph == par:
            continue
        if infos[m].paragraph - par > max_gap or infos[m].scene != infos[n].scene:
            break
        out.append(m)
        par = infos[m].paragraph
        if len(out) == 2:
            break
    return out


def _resolve(info: QuoteInfo, infos, n, by_par, salience: _Salience, gender_of, narrator, context) -> None:
    """Decide one quotation on its own (the best of ``_options``)."""
    options = _options(info, infos, n, by_par, salience, gender_of, narrator, context, 1)
    if options:
        speaker, method, rule, confidence, _, features = options[0]
        _set(info, speaker, method, rule) if speaker else _set(info, None, NONE, "")
        info.confidence = confidence if speaker else 0.0
        if COLLECT is not None and features is not None and context.get("final_pass", True):
            COLLECT.append((info.quote, features))


def _options(info: QuoteInfo, infos, n, by_par, salience: _Salience, gender_of, narrator, context,
             width: int) -> list[tuple]:
    """Who may speak the quotation, best first: (speaker, method, rule, confidence, log-probability among the
    ranker's candidates, candidate features or None).  A rule that decides gives one option; the ranker up to
    ``width``; none when nothing fits."""
    option = _decided(info, infos, n, by_par, salience, gender_of, narrator, context)
    model = ranker.trained() if (USE_RANKER and _ranks_narrator(narrator)) else None
    exclude = info.ruled_out()
    if option is not None:
        if ANCHORS_WEIGH and width > 1 and option[0] and model is not None:  # a pronoun tag a rule decided
            turns = _turns_before(infos, n)
            if turns and turns[0].speaker == option[0]:  # only a sequence that gave them the turn before pays
                features = ranker.candidate_features(info, turns, salience, exclude, context)
                option = option[:4] + (_anchor_logp(features, option[0], model), option[5])
        return [option]
    turns = _turns_before(infos, n)
    features = ranker.candidate_features(info, turns, salience, exclude, context)
    if model is None:  # collecting the first round's features, with no ranker yet
        return [NO_ONE[:-1] + (features,)]
    ranked = ranker.rank(features, model)
    if not ranked:
        return [NO_ONE[:-1] + (features,)]
    method = ANAPHORIC if (info.tag is not None and info.tag.character is None) else IMPLICIT
    probabilities = [ranker.probability(score) for _, score in ranked]
    total = sum(probabilities)
    options = [(c, method, "ranked", round(p, 3), math.log(max(p, 1e-12) / total), features)
               for (c, _), p in zip(ranked, probabilities)]
    tag_gender = info.tag.gender if (info.tag is not None and info.tag.character is None) else None
    if tag_gender in ("M", "F"):
        # "she said": never one known to be a man, when anyone else is a candidate.  The likelihoods stay those
        # of all the candidates, so that a sequence the tag rules out costs the beam what the ranker thought.
        options = [o for o in options if gender_of.get(o[0]) in (tag_gender, None)] or options
    if context.get("bare") and turns and turns[0].paragraph == info.paragraph - 1 \
            and by_par[turns[0].paragraph][-1].quote.text.rstrip().endswith("?"):
        # '"Going somewhere?" Mom asked.' / '"Just getting some air."': a line alone in its paragraph right after
        # a question answers it (on the PDNC training novels the asker speaks it in 6 of 490 such lines)
        options = [o for o in options if o[0] != turns[0].speaker] or options
    # '"I can't sit down."' / 'Eliza poked her head in.' / '"Places," Priya said.': the A-B-A of a turn after next
    # fails when a third person speaks between, and Priya is not in the scene yet (on the PDNC training novels 8 of
    # 44 such candidates speak the line; too few for the ranker to learn)
    # '"It'll miss us."' / '"It never misses us."' / 'Below, heavy boots came up the steps. "Anyone up there?"': nor
    # when that turn opens on narration in which no one acts yet, someone arriving
    options = [o for o in options if not ((features[o[0]].get("next2_past_third") or context.get("next2_arrives"))
                                          and not features[o[0]].get("in_scene")
                                          and (features[o[0]].get("next2_speaker") or features[o[0]].get("next2_turn")))
               ] or options
    if context.get("bare") and context.get("next_tagged_adjacent"):
        # '"Just getting some air."' / 'Dad snorted. "Through the window?"': nor is it the one a tag names in
        # the paragraph right after (19 of 1,763 such lines on the PDNC training novels)
        options = [o for o in options if o[0] != context["next_tagged_adjacent"]] or options
    return options[:width]


def _decided(info: QuoteInfo, infos, n, by_par, salience: _Salience, gender_of, narrator, context):
    """The option a rule decides, or None to let the ranker choose (the option's speaker is None when the hand
    rules find no one)."""
    exclude = info.ruled_out()
    turns = _turns_before(infos, n)
    prev_speaker = turns[0].speaker if turns else None
    if info.tag is not None and info.tag.character is None and info.tag.gender == "I" and narrator:
        return (narrator, ANAPHORIC, "narrator", CONFIDENCE["narrator"], 0.0, None)
    if info.tag is not None and info.tag.character is None and info.tag.kind == "pronoun" and info.tag.gender in ("M", "F"):
        # 'Ralph warmed his hands while Mary took up her stocking. "..." he observed.': the paragraph has just
        # named one character of the pronoun's gender, and the pronoun points back to them (before the rule
        # below: 'Coran swept in behind him. "...!" he announced' is Coran's though the turn before called Keith)
        named, described = context.get("subjects_before_in_par", (set(), set()))
        fits = {c for c in named if gender_of.get(c) == info.tag.gender}
        if len(fits) == 1 and not fits & exclude and not described & {info.tag.gender, None}:
            return (fits.pop(), ANAPHORIC, "paragraph_pronoun", CONFIDENCE["paragraph_pronoun"], 0.0, None)
    if info.tag is not None and info.tag.character is None and info.tag.gender in ("M", "F") and turns:
        # '"Naruto?" ... "Stay after class."' / '"Yes, sensei," he muttered.': the one just addressed answers
        g = info.tag.gender
        vocatives = [v for i in by_par[turns[0].paragraph] for v in i.called()]
        addressed = [v for v in vocatives if v not in exclude and v != prev_speaker and gender_of.get(v) == g]
        if addressed:
            return (addressed[0], ANAPHORIC, "anaphoric", CONFIDENCE["anaphoric"], 0.0, None)
    if COLLECT is not None or (USE_RANKER and _ranks_narrator(narrator) and ranker.trained() is not None):
        return None
    if info.tag is not None and info.tag.character is None:
        g = info.tag.gender
        if g == "I":
            if narrator:
                return (narrator, ANAPHORIC, "narrator", CONFIDENCE["narrator"], 0.0, None)
            return NO_ONE
        # "he said": the alternation candidate if it fits, else the most salient fitting character.
        options = salience.compatible(g, exclude)
        addressed_before = [v for v in (turns[0].vocatives if turns else []) if v in options and v != prev_speaker
                            and (g not in ("M", "F") or gender_of.get(v) == g)]
        if addressed_before:  # '"Well, Miss Morland," said he.' / '"Very agreeable," she replied.'
            return (addressed_before[0], ANAPHORIC, "anaphoric", CONFIDENCE["anaphoric"], 0.0, None)
        alt = turns[1].speaker if len(turns) > 1 else None
        if alt and alt in options and alt != prev_speaker and (g not in ("M", "F") or gender_of.get(alt) == g):
            return (alt, ANAPHORIC, "anaphoric", CONFIDENCE["anaphoric"], 0.0, None)
        if options:
            pick = options[0]
            if pick == prev_speaker and len(options) > 1 and info.acting is None:
                pick = options[1]
            return (pick, ANAPHORIC, "anaphoric", CONFIDENCE["anaphoric"], 0.0, None)
    if info.acting is not None:
        a = info.acting
        if a.character and a.character not in exclude:
            return (a.character, IMPLICIT, "acting", CONFIDENCE["acting"], 0.0, None)
        if a.character is None and a.gender == "I" and narrator:
            return (narrator, IMPLICIT, "acting", CONFIDENCE["acting"], 0.0, None)
        if a.character is None and a.gender in ("M", "F"):
            options = salience.compatible(a.gender, exclude)
            if options:
                return (options[0], IMPLICIT, "acting", CONFIDENCE["acting"], 0.0, None)
    ranked = ranker.rank_with(ranker.candidate_features(info, turns, salience, exclude, context), ranker.HAND_WEIGHTS)
    if ranked:
        return (ranked[0][0], IMPLICIT, "alternation", CONFIDENCE["alternation"], 0.0, None)
    return NO_ONE


NO_ONE = (None, NONE, "", 0.0, 0.0, None)


def _ranks_narrator(narrator: str | None) -> bool:
    """Whether the ranker decides a story with this narrator (None: none)."""
    return narrator is None or NARRATOR_RANKED


@dataclass
class _Path:
    """One reading of the open quotations of a conversation so far: its last decision and the one before."""

    logp: float
    salience: _Salience
    parent: "_Path | None" = None
    n: int = -1  # the quotation decided last
    option: tuple = NO_ONE


def _decode_beam(infos: list[QuoteInfo], open_turns: set[int], by_par, salience: _Salience, gender_of, narrator,
                 context_for, final_pass: bool) -> None:
    """Decide the open quotations in story order, keeping the ``BEAM`` likeliest speaker sequences of each
    conversation (log-probabilities of the ranker's choices, each scored knowing the turns the sequence gave
    before it), so a wrong guess early in an exchange does not shift every later turn by one.  A conversation
    ends where two paragraphs pass without a quotation; its best sequence is then written."""
    beam = [_Path(0.0, salience)]
    last_par = None

    def commit(path: _Path) -> None:
        chosen = []
        while path is not None and path.n >= 0:
            chosen.append(path)
            path = path.parent
        for step in reversed(chosen):
            _apply(infos[step.n], step.option)
            if COLLECT is not None and final_pass and step.option[5] is not None:
                COLLECT.append((infos[step.n].quote, step.option[5]))

    for n, info in enumerate(infos):
        if last_par is not None and info.paragraph - last_par > 2 and (len(beam) > 1 or beam[0].n >= 0):
            best = max(beam, key=lambda p: p.logp)
            commit(best)
            beam = [_Path(0.0, best.salience)]
        last_par = info.paragraph
        for path in beam:
            path.salience.advance(info.quote.start)
        if n not in open_turns:
            if info.speaker:
                model = ranker.trained() if ANCHORS_WEIGH and len(beam) > 1 else None
                if model is not None:
                    context = None
                    for path in beam:
                        _restore(infos, path, info.paragraph)
                        turns = _turns_before(infos, n)
                        if turns and turns[0].speaker == info.speaker:  # only such a sequence pays
                            context = context or context_for(n, info)
                            features = ranker.candidate_features(info, turns, path.salience, set(info.vocatives),
                                                                 context)
                            path.logp += _anchor_logp(features, info.speaker, model)
                    beam.sort(key=lambda p: -p.logp)
                for path in beam:
                    path.salience.spoke(info.speaker, info.quote.start)
            continue
        grown = []
        context = None
        for path in beam:
            _restore(infos, path, info.paragraph)
            _set(info, None, NONE, "")
            if context is None:  # the context does not depend on earlier speakers
                context = context_for(n, info)
            options = _options(info, infos, n, by_par, path.salience, gender_of, narrator, context, BEAM_BRANCH)
            for option in options or [NO_ONE]:
                salience_after = path.salience.copy() if len(beam) > 1 or len(options) > 1 else path.salience
                if option[0]:
                    salience_after.spoke(option[0], info.quote.start)
                grown.append(_Path(path.logp + option[4], salience_after, path, n, option))
        grown.sort(key=lambda p: -p.logp)
        # the likeliest few, less any far less likely than the best (not worth reading on)
        beam = [path for path in grown[:BEAM] if path.logp >= grown[0].logp - BEAM_MARGIN]
    best = max(beam, key=lambda p: p.logp)
    commit(best)


def _anchor_logp(features: dict, speaker: str, model) -> float:
    """What a speaker sequence pays for a tagged quotation's ``speaker``: where the sequence made them speak the
    turn just before, the log-probability ``model`` gives them among the candidates (that of a 1% chance when
    they are none); else nothing.  (Charging every sequence so rewards those that gave the tagged speaker more
    lines before, who then looks likelier: "rich get richer".)  Nor does a sequence pay where the tagged line's
    own narration shows its speaker acting ('Sasuke went back to his kunai. "Forget it," he muttered'): a new
    beat of the one who spoke last is how such a second turn is written."""
    own = features.get(speaker, {})
    if not own.get("prev") or own.get("acting"):
        return 0.0
    ranked = ranker.rank(features, model)
    probabilities = {c: ranker.probability(score) for c, score in ranked}
    if speaker not in probabilities:
        return math.log(0.01)
    return math.log(max(probabilities[speaker], 1e-12) / sum(probabilities.values()))


def _apply(info: QuoteInfo, option: tuple) -> None:
    speaker, method, rule, confidence = option[:4]
    if speaker:
        _set(info, speaker, method, rule)
        info.confidence = confidence
    else:
        _set(info, None, NONE, "")
        info.confidence = 0.0


def _restore(infos: list[QuoteInfo], path: _Path, paragraph: int, reach: int = 8) -> None:
    """Write the speakers ``path`` gave the quotations of the last ``reach`` paragraphs, which the features of
    the next quotation read."""
    while path is not None and path.n >= 0 and infos[path.n].paragraph >= paragraph - reach:
        _apply(infos[path.n], path.option)
        path = path.parent


def _addressees(infos: list[QuoteInfo], by_par, spoken_to: dict[int, list[str]], narrated: list[Mention],
                narrated_starts: list[int], par_starts: list[int], story_text: str) -> None:
    """Whom each quotation is spoken to: its speaker alone when said "to himself"; those it addresses by name;
    else whom its paragraph's narration says it is said to ("said Tom to Mary", "Tom turned to Mary"); else the
    one who spoke the turn before, or the turn after; else the other one the narration names last before it (or
    first after it), nearby."""
    for n, info in enumerate(infos):
        q = info.quote
        if info.speaker and _said_to_self(q, story_text):
            info.to_self = True
            continue
        addressees = [v for v in info.vocatives if v != info.speaker]
        if not addressees and info.speaker:
            addressees = [c for c in spoken_to.get(info.paragraph, ()) if c != info.speaker][:1]
        if not addressees and info.speaker:
            turns = _turns_before(infos, n)
            if turns and turns[0].speaker and turns[0].speaker != info.speaker:
                addressees = [turns[0].speaker]
            else:
                for m in range(n + 1, min(n + 4, len(infos))):
                    nxt = infos[m]
                    if nxt.paragraph == info.paragraph:
                        continue
                    if nxt.paragraph - info.paragraph > 2:
                        break
                    if nxt.speaker and nxt.speaker != info.speaker:
                        addressees = [nxt.speaker]
                    break
        if not addressees and info.speaker:
            # the other one the narration names last before the line (this paragraph or the one before), else next
            lo = bisect.bisect_left(narrated_starts, par_starts[max(0, info.paragraph - 1)])
            at = bisect.bisect_left(narrated_starts, q.start)
            hi = bisect.bisect_left(narrated_starts, par_starts[info.paragraph + 1]
                                    if info.paragraph + 1 < len(par_starts) else len(story_text))
            before = [m.character for m in narrated[lo:at] if m.character != info.speaker]
            after = [m.character for m in narrated[at:hi] if m.character != info.speaker]
            addressees = before[-1:] or after[:1]
        q.addressees = addressees


TO_ONESELF = re.compile(r"\bto\s+(?:him|her|my|your|them|one)sel(?:f|ves)\b", re.IGNORECASE)
TAG_CLAUSE_END = re.compile(r"[.!?;\n\"\u201c\u201d]")


def _said_to_self(q: Quote, story_text: str) -> bool:
    """'"Thank goodness!" exclaimed Mr. Beebe to himself': the narration touching the quotation (between its parts,
    or its clause just after or just before it) says the line is said to oneself."""
    touching = [story_text[a.end + 1 : b.start - 1] for a, b in zip(q.parts, q.parts[1:])]
    after = story_text[q.end : q.end + 80]
    touching.append(after[: m.start()] if (m := TAG_CLAUSE_END.search(after)) else after)
    before = story_text[max(0, q.start - 80) : q.start]
    touching.append(before[max((m.end() for m in TAG_CLAUSE_END.finditer(before)), default=0) :])
    return any(TO_ONESELF.search(piece) for piece in touching)


FIRST_PERSON = {"I", "me", "my", "myself"}


def _beside_the_narrator(toks_by_par: list[list[Token]], names: list[Mention], name_starts: list[int]) -> set[str]:
    """The characters the narration makes the subject of a clause, at least twice, in a sentence that says I, me
    or my ("Polina stopped and looked at me"): told in the first person, those are other people."""
    openers = lexicons.load_words("clause_openers.txt")
    seen: Counter = Counter()
    for toks in toks_by_par:
        narration = [t for t in toks if not t.in_quote and t.text not in QUOTE_CHARS]
        start = 0
        for i in range(len(narration)):
            if i + 1 < len(narration) and not _ends_sentence(narration, i):
                continue
            sentence, start = narration[start : i + 1], i + 1
            if not any(t.text in FIRST_PERSON for t in sentence):
                continue
            for k, t in enumerate(sentence):
                m = _mention_at(t, names, name_starts)
                if m is None or m.kind != "name" or m.start != t.start:
                    continue
                before = sentence[k - 1] if k else None
                after = next((u for u in sentence[k + 1 :] if u.start >= m.end), None)
                if (before is None or not before.is_word() or before.lower in openers) \
                        and after is not None and after.is_word() and after.text.islower():
                    seen[m.character] += 1  # "Polina stopped", not "my dear Watson" nor "I beg you, Watson."
    return {c for c, n in seen.items() if n >= 2}


def _self_named(text: str, infos: list[QuoteInfo], narrator: str, names: list[Mention], mask,
                given_names: list[str | None]) -> Counter:
    """The names a first-person narrator gives themselves ("My name is Hinata", "I called myself Pip"), in the
    narration or in the lines "I said" tags, with how often; ``given_names`` are the names each quotation gives
    in answer to a question (``_name_given``)."""
    own_lines = [(i.quote.start, i.quote.end) for i in infos if i.speaker == narrator]
    found: Counter = Counter()
    for n, (info, given) in enumerate(zip(infos, given_names)):
        # '"Tell me your name, boy." / "Naruto," I said.': a line of the narrator's, or one no tag gives anyone,
        # that opens with a name just after someone else asked for it
        if given and info.speaker in (narrator, None, given) and not any(
                infos[k].speaker == narrator for k in (n - 1, n - 2) if k >= 0 and _asks_a_name(infos[k].quote.text)):
            found[given] += 1
    for m in names:
        if m.kind != "name" or not m.character or m.text.endswith(("'s", "’s")) \
                or text[m.end : m.end + 2] in ("'s", "’s"):
            continue
        if not gives_own_name(text, m.start):
            continue
        if not mask.inside_outer(m.start) or any(a <= m.start < b for a, b in own_lines):
            found[m.character] += 1
    return found


def _name_given(text: str, infos: list[QuoteInfo], n: int, names: list[Mention], name_starts: list[int]) -> str | None:
    """The character whose name opens quotation n just after one of the two lines before asked for a name
    ('"Tell us your name!" ... "Pip, sir."'), or None; not the asker's own ('"Your name?" "Iruka, really."')."""
    askers = [infos[k].speaker for k in (n - 1, n - 2) if k >= 0 and (
        _asks_a_name(infos[k].quote.text) or (k > 0 and infos[k - 1].rule == "name_given"
                                              and _passes_the_introductions_on(infos[k].quote.text)))]
    if not askers:
        return None
    q = infos[n].quote
    i = bisect.bisect_left(name_starts, q.start)
    if i < len(names) and names[i].character and names[i].start < q.end and names[i].character not in askers \
            and not any(ch.isalnum() for ch in text[q.start : names[i].start]) \
            and text[names[i].end : names[i].end + 2] not in ("'s", "’s"):
        return names[i].character
    return None


def _passes_the_introductions_on(line: str) -> bool:
    """Whether the whole line is one that asks the next one's name in a round of introductions ("And you?")."""
    words = " ".join("".join(ch for ch in line.lower() if ch.isalnum() or ch in " ?.").split())
    return words in lexicons.load_words("name_questions_passed.txt")


def _own_name_in_line(text: str, quote: Quote, names: list[Mention], name_starts: list[int]) -> str | None:
    """The character whose name the line gives as its speaker's own ("Me? I'm Hatake Kakashi.", "My name is
    Haruno Sakura"), or None.  Not read for a first-person narrator's name: anyone may say it."""
    i = bisect.bisect_left(name_starts, quote.start)
    while i < len(names) and names[i].start < quote.end:
        m = names[i]
        if m.kind == "name" and m.character and text[m.end : m.end + 2] not in ("'s", "’s") \
                and gives_own_name(text, m.start):
            return m.character
        i += 1
    return None


def _asks_a_name(line: str) -> bool:
    """Whether a line asks the one it speaks to for their name ("Tell us your name!", "Who are you?"), or ends on
    a title left open for it ("I'm sorry, Miss...?", "Thank you, Mr. --?")."""
    words = " ".join(line.lower().replace("\u2019", "'").split())
    if any(phrase in words for phrase in lexicons.load_words("name_questions.txt")):
        return True
    open_title = TITLE_LEFT_OPEN.search(words)
    return open_title is not None and open_title.group(1) in _surname_titles()


TITLE_LEFT_OPEN = re.compile(r"\b([a-z]+)\.?\s*(?:\.{2,}|\u2026|\u2014|\u2013|--?)\s*\?\W*$")


@lru_cache(maxsize=1)
def _surname_titles() -> frozenset[str]:
    """Titles a family name follows ("Miss", "Mr.", "Captain"): not kin ("Mother--?") nor one said alone to
    anyone of that rank ("My lord--?")."""
    h = characters_stage.honorifics()
    alone = set(h["first_name_titles"]) - {"miss", "mademoiselle", "mlle", "signorina", "mis"}
    return frozenset(set(h["titles"]) - set(h["kinship_titles"]) - alone)


def _name_narrator(story: Story, infos: list[QuoteInfo], narrator: str, others: set[str], narrated: set[str],
                   self_named: Counter) -> str | None:
    """Give the first-person narrator the name they give themselves (``self_named``), else the one the author's
    notes name as the point of view, else the name the others call them by (vocatives in replies to them, else
    in any lines, if the narration, which holds the names in ``narrated``, never uses it), never one of
    ``others``; the character they became, or None."""
    if self_named:
        return _merge_narrator(story, infos, narrator, self_named.most_common(1)[0][0])
    declared = declared_pov(story)
    if declared:  # "Natsume's POV" in the header: the author says who "I" is
        character = character_named(story, declared)
        if character is not None and character.id != narrator:
            return _merge_narrator(story, infos, narrator, character.id)
    votes: Counter = Counter()
    for n, info in enumerate(infos):
        if info.speaker == narrator:
            continue
        near = [infos[m] for m in (n - 1, n + 1) if 0 <= m < len(infos)]
        if any(x.speaker == narrator for x in near):
            for v in info.vocatives:
                if v != info.speaker and v not in others:
                    votes[v] += 1
    if votes:
        best, count = votes.most_common(1)[0]
        if count >= 2 and count >= 0.25 * sum(votes.values()):
            return _merge_narrator(story, infos, narrator, best)
    # else the one the lines address by name most, whom the narration never names: told in the first person,
    # the narration says "I" for the narrator ("Well, Watson, ...", and no "Watson" outside the quotations)
    addressed = Counter(v for info in infos if not (info.speaker == narrator and info.rule in ("explicit", "narrator"))
                        for v in info.vocatives if v != info.speaker and v not in others and v not in narrated)
    if addressed:
        best, count = addressed.most_common(1)[0]
        if count >= 2 and count >= 0.5 * sum(addressed.values()):
            return _merge_narrator(story, infos, narrator, best)
    return None


def _narrators_by_pov(story: Story, infos: list[QuoteInfo], narrator: str,
                      sections: list[tuple[int, int, Character]]) -> None:
    """In each point-of-view section the narrator is the character its line names: their lines, their "I" and
    the lines spoken to them.  The unnamed narrator stays only for an "I" outside every section."""
    def owner(offset: int) -> Character | None:
        return next((c for start, end, c in sections if start <= offset < end), None)

    for info in infos:
        here = owner(info.quote.start)
        if here is None:
            continue
        if info.speaker == narrator:
            info.speaker = here.id
        info.quote.addressees = [here.id if a == narrator else a for a in info.quote.addressees
                                 if a != here.id or info.speaker != here.id]
    for m in story.mentions:
        here = owner(m.start) if m.character == narrator else None
        if here is not None:
            m.character = here.id
            here.mentions += 1
            if "I" not in here.aliases:
                here.aliases.append("I")
    narr = story.character(narrator)
    if narr is not None:
        narr.mentions = sum(1 for m in story.mentions if m.character == narrator)
        if not narr.mentions and not any(i.speaker == narrator for i in infos):
            story.characters = [c for c in story.characters if c.id != narrator]


def _merge_narrator(story: Story, infos: list[QuoteInfo], narrator: str, best: str) -> str:
    """The narrator becomes the character ``best``: their lines, mentions and "I"."""
    for info in infos:
        if info.speaker == narrator:
            info.speaker = best
        info.vocatives = [best if v == narrator else v for v in info.vocatives]
    for m in story.mentions:
        if m.character == narrator:
            m.character = best
    target = story.character(best)
    narr = story.character(narrator)
    if target and narr:
        target.mentions += narr.mentions
        target.aliases = sorted(set(target.aliases) | {"I"})
        story.characters = [c for c in story.characters if c.id != narrator]
    for info in infos:
        info.quote.addressees = [best if a == narrator else a for a in info.quote.addressees]
    return best
