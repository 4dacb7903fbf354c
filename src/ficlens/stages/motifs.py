"""Stage 'motifs': recurring concrete objects and images, and every flower read in the language of flowers.

Flowers (``story.motifs.flowers``): the names in ``lexicons/flowers.json`` (Greenaway's *Language of Flowers*,
1884, with colour variants) are matched on the body, the longest name first, so "three red roses" is the red
rose and a bare "roses" the generic rose.  A match is dropped when it is not a flower:

* it overlaps a character mention ("Sakura" the person, in Naruto), or is capitalised mid-sentence, or opens a
  sentence as a singular proper noun ("Rose said");
* the parse makes it a verb or an adjective ("she rose from her chair", "violet eyes"), or a colour word
  modifying something that is no part of a flower ("a lilac dress"), or it is hyphenated onto another word
  ("lily-white", "rose-tinted");
* it is an iris in a sentence about eyes.

Giver and recipient (character ids) come from the parse where the sentence says so: "X gave/handed/sent/
brought Y the roses", "... the roses to/for Y", "roses from X", "Y took the flowers from X", "X's roses".
Flowers named together in one sentence share what is found for any of them; when the sentence says nothing,
the bouquet's next change of hands within ``LOOK_AHEAD_PARAGRAPHS`` paragraphs ("He took the flowers") or a
line thanking someone for them ("Thank you. For the roses.") tells.

Objects (``story.motifs.objects``): spaCy noun lemmas in the body, without abstract and generic nouns,
people, time words and body parts (``lexicons/motif_stopwords.txt``), abstract suffixes (-tion, -ness, -ity...),
or character names; those that recur (at least ``MIN_COUNT`` times, ``MIN_COUNT_LONG`` in stories over
``LONG_STORY_WORDS`` words), the ``MAX_OBJECTS`` most frequent, each with all its occurrences.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from .. import lexicons
from ..model import FlowerMention, Motif, Motifs, Span, Story
from ._body import MentionIndex, QuoteIndex, body_paragraphs, paragraph_docs

MIN_COUNT = 2
MIN_COUNT_LONG = 3
LONG_STORY_WORDS = 5000
MAX_OBJECTS = 15
ABSTRACT_SUFFIXES = ("tion", "sion", "ness", "ity", "ment", "ship", "hood", "ism", "ance", "ence", "ency", "ancy",
                     "dom", "ality", "ology")


@lru_cache(maxsize=1)
def flower_lexicon():
    data = lexicons.load_json("flowers.json")
    by_name = {}
    for entry in data["flowers"]:
        for name in entry["names"]:
            by_name.setdefault(name, entry)
    checks = {k: set(v) for k, v in data["checks"].items()}
    giving = {k: set(v) for k, v in data["giving"].items() if isinstance(v, list)}
    return FlowerNames(by_name), by_name, checks, giving


class FlowerNames:
    """Finds the lexicon's flower names as whole words, longest name first where several fit.

    One alternation of all 800 names, tried at every word start, was a twentieth of a novel's analysis.  So
    each word start tries only the names whose first letter matches its own (case aside): the same matches
    as the one alternation, since no other name can match there."""

    def __init__(self, names):
        self.names = sorted(names, key=len, reverse=True)
        self.by_first_char: dict[str, re.Pattern | None] = {}

    def _names_starting(self, char: str) -> re.Pattern | None:
        found = self.by_first_char.get(char, False)
        if found is False:
            fits = [n for n in self.names if re.fullmatch(re.escape(n[0]), char, re.IGNORECASE)]
            alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]") for n in fits)
            found = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w]|-\w)", re.IGNORECASE) if fits else None
            self.by_first_char[char] = found
        return found

    def finditer(self, text: str, start: int, end: int):
        """Non-overlapping matches in text[start:end], left to right (as ``re.finditer`` gives them)."""
        after = start
        for word in _WORD_START.finditer(text, start, end):
            at = word.start()
            if at < after:
                continue
            names = self._names_starting(text[at])
            m = names.match(text, at, end) if names is not None else None
            if m:
                after = m.end()
                yield m


_WORD_START = re.compile(r"(?<![\w-])\w")


def _normal(surface: str) -> str:
    return re.sub(r"\s+", " ", surface.lower().replace("’", "'"))


# -- flowers --------------------------------------------------------------------------------------------------

LOOK_AHEAD_PARAGRAPHS = 3
NOUN_ROLES = ("nsubj", "nsubjpass", "dobj", "pobj", "dative", "attr", "appos", "conj", "ROOT")


def find_flowers(story: Story, ctx) -> list[FlowerMention]:
    pattern, by_name, checks, _ = flower_lexicon()
    paragraphs = body_paragraphs(story)
    candidates = defaultdict(list)
    for pi, paragraph in enumerate(paragraphs):
        for m in pattern.finditer(story.text, paragraph.start, paragraph.end):
            candidates[pi].append(m)
    if not candidates:
        return []
    docs = paragraph_docs(story, ctx, sorted(candidates))
    mentions = MentionIndex(story.mentions)
    quotes = QuoteIndex(story.quotes)
    found: list[FlowerMention] = []
    groups = []  # (paragraph index, sentence, [(FlowerMention, token)]) in story order
    for pi, matches in sorted(candidates.items()):
        doc, base = docs[pi], paragraphs[pi].start
        by_sentence = {}
        for m in matches:
            tokens = doc.char_span(m.start() - base, m.end() - base, alignment_mode="expand")
            if tokens is None or not len(tokens):
                continue
            if mentions.overlaps(m.start(), m.end()) or not _is_flower(m.group(0), tokens, checks):
                continue
            entry = by_name[_normal(m.group(0))]
            flower = FlowerMention(m.start(), m.end(), entry["flower"], entry["meaning"], m.group(0))
            found.append(flower)
            sent = tokens.sent
            if sent.start not in by_sentence:
                by_sentence[sent.start] = (pi, sent, [])
                groups.append(by_sentence[sent.start])
            by_sentence[sent.start][2].append((flower, tokens[-1]))
    for n, (pi, sent, members) in enumerate(groups):
        base = paragraphs[pi].start
        own = [giver_and_recipient(token, base, mentions) for _, token in members]
        # What one flower of the sentence says stands for those whose own parse says nothing.
        giver = next((g for g, _ in own if g), None)
        recipient = next((r for _, r in own if r), None)
        if giver is None or recipient is None:
            g, r = _exchange_in(sent, base, mentions, {t.i for _, t in members})
            giver, recipient = giver or g, recipient or r
        if giver is None or recipient is None:
            # The bouquet changes hands a little later: "He took the flowers."
            stop = (groups[n + 1][0], groups[n + 1][1].start) if n + 1 < len(groups) else None
            g, r = _exchange_after(story, ctx, pi, sent, stop, mentions)
            giver, recipient = giver or g, recipient or r
        if giver is None and recipient is None:
            giver, recipient = _thanked(quotes, members[0][0].start)
        for (flower, _), (g, r) in zip(members, own):
            flower.giver, flower.recipient = g or giver, r or recipient
            if flower.giver == flower.recipient:
                flower.recipient = None
    return found


def _thanked(quotes: QuoteIndex, offset: int) -> tuple[str | None, str | None]:
    """"Thank you. For the roses." - the addressee gave them, the speaker received them."""
    _, _, _, giving = flower_lexicon()
    quote = quotes.covering(offset)
    if quote is not None and quote.speaker and quote.addressees and quote.addressees[0] != quote.speaker:
        if set(re.findall(r"[\w-]+", quote.text.lower())) & giving["thanks_words"]:
            return quote.addressees[0], quote.speaker
    return None, None


def _bouquet_word(token, flower_tokens: set[int]) -> bool:
    _, _, _, giving = flower_lexicon()
    return token.i in flower_tokens or (token.pos_ == "NOUN" and token.lemma_.lower() in giving["containers"])


def _exchange_in(sent, base, mentions, flower_tokens: set[int]) -> tuple[str | None, str | None]:
    """A giving or receiving verb in the sentence whose object is the bouquet ("brought out a bunch of
    flowers: three red roses...")."""
    giver = recipient = None
    for token in sent:
        if _bouquet_word(token, flower_tokens) and token.dep_ in ("dobj", "nsubjpass", "pobj"):
            g, r = giver_and_recipient(token, base, mentions)
            giver, recipient = giver or g, recipient or r
    return giver, recipient


def _exchange_after(story, ctx, pi, sent, stop, mentions) -> tuple[str | None, str | None]:
    """The first giving or taking of a bouquet in the sentences after ``sent`` (up to
    ``LOOK_AHEAD_PARAGRAPHS`` paragraphs on, and never past the next flowers named)."""
    paragraphs = body_paragraphs(story)
    last = min(len(paragraphs), pi + 1 + LOOK_AHEAD_PARAGRAPHS)
    docs = paragraph_docs(story, ctx, range(pi, last))
    for qi in range(pi, last):
        doc, base = docs[qi], paragraphs[qi].start
        for s in doc.sents:
            if qi == pi and s.start <= sent.start:
                continue
            if stop is not None and (qi, s.start) >= stop:
                return None, None  # the next flowers' own story
            g, r = _exchange_in(s, base, mentions, set())
            if g or r:
                return g, r
    return None, None


def _is_flower(surface: str, tokens, checks) -> bool:
    head = tokens[-1]
    first = tokens[0]
    if surface[0].isupper():
        at_start = first.is_sent_start or all(t.is_punct for t in first.doc[first.sent.start : first.i])
        if not at_start or first.tag_ == "NNP" or first.ent_type_ == "PERSON":
            return False
    if head.pos_ in ("VERB", "AUX"):
        return False  # "she rose from her chair"
    if len(tokens) == 1 and head.lower_ in checks["colour_words"] and head.dep_ not in NOUN_ROLES:
        # A colour word used as a colour: "violet eyes", "a lilac dress" - but "the rose garden" is roses.
        if head.head.lemma_.lower() not in checks["flower_context_nouns"]:
            return False
    if head.lemma_.lower() == "iris" and any(t.lower_ in checks["eye_words"] for t in head.sent):
        return False
    return True


def giver_and_recipient(token, base: int, mentions: MentionIndex) -> tuple[str | None, str | None]:
    """Read who gives the flower at ``token`` to whom, as character ids."""
    _, _, _, giving = flower_lexicon()

    def who(t) -> str | None:
        mention = mentions.at(base + t.idx, base + t.idx + len(t.text))
        return mention.character if mention else None

    def prep_objects(node, preps):
        return [g for c in node.children if c.dep_ in ("prep", "agent") and c.lower_ in preps
                for g in c.children if g.dep_ == "pobj"]

    giver = recipient = None
    # Look through "a bouquet of", "a sprig of", and lists ("roses, forget-me-nots and a carnation").
    node = token
    while True:
        for g in prep_objects(node, giving["giver_preps"]):
            giver = giver or who(g)
        for c in node.children:
            if c.dep_ == "poss":
                giver = giver or who(c)
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in ("conj", "appos"):
            node = head
            continue
        # "a bouquet of white lilies": through "of" only to a container, never "the odour of laurel".
        if node.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in giving["containers"]:
            node = head.head
            continue
        if head.pos_ == "NOUN" and head.lemma_.lower() in giving["containers"] and node.dep_ == "compound":
            node = head
            continue
        break
    verb = node.head if node.dep_ in ("dobj", "nsubjpass", "dative", "pobj", "attr", "oprd") else None
    if verb is not None and verb.dep_ == "prep":
        verb = None
    if verb is None:
        return giver, recipient
    lemma = verb.lemma_.lower()
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects and verb.dep_ == "conj":  # "Kakashi smiled and handed him the roses"
        subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
    if lemma in giving["give_verbs"]:
        if node.dep_ == "nsubjpass":
            for g in prep_objects(verb, {"by"}):
                giver = giver or who(g)
        else:
            for s in subjects:
                giver = giver or who(s)
        for c in verb.children:
            if c.dep_ in ("dative", "iobj") and c.pos_ != "ADP":
                recipient = recipient or who(c)
        for c in node.children:  # "sent Kakashi yellow roses", parsed as a modifier of the roses
            if c.dep_ in ("nmod", "compound") and c.pos_ == "PROPN" and c.i < node.i:
                recipient = recipient or who(c)
        for g in prep_objects(verb, giving["recipient_preps"]):
            recipient = recipient or who(g)
    elif lemma in giving["receive_verbs"]:
        for s in subjects:
            recipient = recipient or who(s)
        for g in prep_objects(verb, giving["giver_preps"]):
            giver = giver or who(g)
    if giver == recipient:
        recipient = None
    return giver, recipient


# -- objects --------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return lexicons.load_words("motif_stopwords.txt")


def is_object_noun(token) -> bool:
    lemma = token.lemma_.lower()
    return (
        token.pos_ == "NOUN"
        and token.is_alpha
        and len(lemma) > 2
        and lemma not in _stopwords()
        and not lemma.endswith(ABSTRACT_SUFFIXES)
    )


def find_objects(story: Story, ctx) -> list[Motif]:
    paragraphs = body_paragraphs(story)
    docs = paragraph_docs(story, ctx)
    mentions = MentionIndex(story.mentions)
    occurrences: dict[str, list[Span]] = defaultdict(list)
    words = 0
    for pi, paragraph in enumerate(paragraphs):
        for token in docs[pi]:
            words += token.is_alpha
            if not is_object_noun(token):
                continue
            start = paragraph.start + token.idx
            if mentions.overlaps(start, start + len(token.text)):
                continue
            occurrences[token.lemma_.lower()].append(Span(start, start + len(token.text)))
    least = MIN_COUNT_LONG if words > LONG_STORY_WORDS else MIN_COUNT
    ranked = sorted(
        ((lemma, spans) for lemma, spans in occurrences.items() if len(spans) >= least),
        key=lambda item: (-len(item[1]), item[1][0].start),
    )
    return [Motif(lemma, len(spans), spans) for lemma, spans in ranked[:MAX_OBJECTS]]


def run(story: Story, ctx) -> None:
    story.motifs = Motifs(flowers=find_flowers(story, ctx), objects=find_objects(story, ctx))
