"""A learned reader of warnings and additional tags: per-tag logistic regression over windows of the parse.

The cue lists of the content stage recognise the phrasings someone has already seen; this model reads the words
and who does what to whom, learned from labelled passages (``train/train_tags.py`` fits it and writes
``ficlens/models/tag_classifier.json``; scoring here is pure Python).

Features of a sentence (all binary, read from the spaCy parse the content stage already has):

- the lemma of each content word (nouns, verbs, adjectives, adverbs; names excluded), marked ``not_`` when
  negated ("she didn't die" -> ``not_die``; "no blood" -> ``not_blood``), ``hyp_`` when only possible, wished or
  conditional ("would die", "if he died"), ``almost_`` when averted ("almost died");
- lemma pairs along the dependency arcs: subject-verb (``S:pron>die``), verb-object (``O:slit>wrist``), verb
  and the object of its preposition (``P:die>arm``), verb and its clausal complement (``X:want>die``), adjective
  and noun (``A:dead>body``); pronouns read as ``pron``, names as ``name``;
- ``past:`` before the lemma of a verb told as a past behind the story (pluperfect, or under "remember"), so that
  a death recalled weighs apart from a death told;
- every feature again with ``q:`` when it is said inside a quotation, so that a threat or a rumour in dialogue can
  weigh differently from the narration;
- VADER's sentiment of the sentence, in four bins (``V:neg2`` ... ``V:pos2``);
- what the content stage's rules saw in the sentence (``R:death``, ``R+:gore`` when strong), even where too
  little for a finding of their own: the model learns how far to trust each cue in its context.

A window is a run of whole paragraphs of about the size of a training passage.  A window's probability for a tag
is the logistic of the bias plus the weights of its features; the story gets the tag when its best window reaches
the tag's threshold (chosen for precision on held-out stories) and, in a long story, when one window in every 300
sentences does (windows that do not overlap); the evidence is the best window's sentences that carry most of the
weight.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..lexicons import load_json
from ..model import Evidence, Story, TagFinding
from ._valence import valence

MODEL_FILE = "tag_classifier.json"
FEATURES_VERSION = 4  # raise when the features change: train/train_tags.py keys its cache by it
SENTENCES_PER_WINDOW = 300  # as the rules' theme tags (content.SENTENCES_PER_THEME_HIT)

WORDS_FILE = "tag_model_words.json"  # the marks' words and the substances, in lexicons/

_CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_OBJECT_DEPS = {"dobj", "obj", "attr", "oprd"}
_CLAUSE_DEPS = {"xcomp", "ccomp"}


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in load_json(WORDS_FILE).items() if not k.startswith("_")}


def _word(token) -> str:
    """A token as a pair member: pronouns and names generalised, other words by lemma."""
    if token.pos_ == "PRON":
        return "pron"
    if token.pos_ == "PROPN":
        return "name"
    return token.lemma_.lower()


def _negated(token) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in ("no", "neither")):
            return True
    # "without blood": the preposition governs the noun
    head = token.head
    return token.dep_ == "pobj" and head.lower_ == "without"


def _mark(token) -> str:
    """``not_``, ``almost_``, ``hyp_`` or nothing, read from the token's own children and its clause's head."""
    if _negated(token):
        return "not_"
    for child in token.children:
        if child.dep_ == "advmod" and child.lower_ in _words()["averted"]:
            return "almost_"
        if child.dep_ == "aux" and child.lower_ in _words()["modals"]:
            return "hyp_"
        if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
            return "hyp_"
        # the consequence of a condition ("if you touch it, I bury you")
        if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in child.children):
            return "hyp_"
    # a predicate adjective or noun takes the mark of its copula's clause ("he was not dead")
    if token.dep_ in ("acomp", "attr") and token.head.i != token.i and _negated(token.head):
        return "not_"
    return ""


def _recalled(verb) -> bool:
    """A verb told as a past behind the story's present: in the pluperfect ("had died") or remembered
    ("remembered the night his brother killed them")."""
    if any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children):
        return True
    head = verb.head
    hops = 0
    while head.i != verb.i and hops < 3:
        if head.lemma_.lower() in _words()["recall_verbs"]:
            return True
        verb, head = head, head.head
        hops += 1
    return False


def sentence_features(span, dialogue_flags=None, compound: float | None = None) -> set[str]:
    """The feature names of one sentence (a spaCy Span); ``dialogue_flags`` marks tokens inside quotations;
    ``compound``: the sentence's VADER score when the caller has it already."""
    feats: set[str] = set()
    start = span.start
    marks: dict[int, str] = {}

    def mark_of(token) -> str:
        m = marks.get(token.i)
        if m is None:
            m = marks[token.i] = _mark(token)
        return m

    for token in span:
        if token.is_punct or token.is_space or token.like_num:
            continue
        quoted = bool(dialogue_flags and dialogue_flags[token.i - start])
        found = []
        if token.pos_ in _CONTENT_POS and not token.is_stop and token.is_alpha:
            mark = mark_of(token)
            if not mark and token.pos_ == "VERB" and _recalled(token):
                mark = "past:"
            found.append(mark + token.lemma_.lower())
        head = token.head
        if head.i != token.i and head.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            dep = token.dep_
            hw = mark_of(head) + head.lemma_.lower()
            if dep in _SUBJECT_DEPS:
                found.append(f"S:{_word(token)}>{hw}")
            elif dep in _OBJECT_DEPS:
                found.append(f"O:{hw}>{_word(token)}")
            elif dep in _CLAUSE_DEPS:
                found.append(f"X:{hw}>{mark_of(token)}{token.lemma_.lower()}")
            elif dep == "amod" and token.is_alpha:
                found.append(f"A:{mark_of(token)}{token.lemma_.lower()}>{head.lemma_.lower()}")
        if token.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX", "ADJ"):
            verb = head.head
            found.append(f"P:{mark_of(verb)}{verb.lemma_.lower()}>{head.lower_}>{_word(token)}")
        for f in found:
            feats.add(f)
            if quoted:
                feats.add("q:" + f)
    if compound is None:
        compound = valence(span.text)
    for name, low, high in _SENTIMENT_BINS:
        if low <= compound < high:
            feats.add(name)
    return feats


# VADER's compound score of the sentence, binned: how sad or warm the sentence sounds, whatever its words.
_SENTIMENT_BINS = (("V:neg2", -1.01, -0.5), ("V:neg1", -0.5, -0.1), ("V:pos1", 0.1, 0.5), ("V:pos2", 0.5, 1.01))


def rule_features(rule_hits: dict, sentence_count: int) -> list[set[str]]:
    """Per sentence, what the content stage's cue and parse rules saw in it, strong or weak, whether or not
    the story reached a finding: ``R:gore``, ``R+:gore`` (strength at least 0.45), ``R:Suicide:mentioned``."""
    out: list[set[str]] = [set() for _ in range(sentence_count)]
    for key, by_sentence in rule_hits.items():
        for hit in by_sentence.values():
            i = hit.sentence.index
            if 0 <= i < sentence_count:
                out[i].add(f"R:{key}")
                if hit.strength >= 0.45:
                    out[i].add(f"R+:{key}")
                if hit.detail in ("depicted", "mentioned"):
                    out[i].add(f"R:{key}:{hit.detail}")
    return out


def windows(paragraph_of: list[int], sentence_count: int, size: int) -> list[tuple[int, int]]:
    """Runs of whole paragraphs of at least ``size`` sentences (fewer at the end), one starting at each paragraph:
    (first sentence, last sentence + 1).  ``paragraph_of`` gives each sentence's paragraph, in order.  A paragraph
    longer than ``2 * size`` sentences (a wall of text) is cut into pieces of ``size``, so that no window is much
    larger than a training passage."""
    starts = []
    long_paragraph = False
    for i in range(sentence_count):
        if i == 0 or paragraph_of[i] != paragraph_of[i - 1]:
            starts.append(i)
            long_paragraph = _paragraph_length(paragraph_of, i) > 2 * size
        elif long_paragraph and i - starts[-1] >= size:
            starts.append(i)
    out = []
    for n, first in enumerate(starts):
        end = first
        k = n
        while end - first < size and k < len(starts):
            k += 1
            end = starts[k] if k < len(starts) else sentence_count
        out.append((first, end))
        if end == sentence_count:
            break
    return out


def _paragraph_length(paragraph_of: list[int], first: int) -> int:
    """Sentences from ``first`` to the end of its paragraph."""
    end = first
    while end < len(paragraph_of) and paragraph_of[end] == paragraph_of[first]:
        end += 1
    return end - first


@dataclass
class TagScore:
    tag: str
    probability: float  # of the best window
    window: tuple[int, int]  # its sentences (first, last + 1)
    evidence: list[int]  # sentence indices, strongest first
    windows_over: int = 0  # windows at or over the tag's threshold that do not overlap each other


class TagModel:
    """Weights per tag, indexed by feature for fast scoring of many windows."""

    def __init__(self, data: dict):
        self.tags: list[str] = data["tags"]
        self.bias = [data["bias"][t] for t in self.tags]
        self.thresholds = {t: data["thresholds"].get(t) for t in self.tags}
        self.window_sentences: int = data.get("window_sentences", 6)
        self.normalise: bool = data.get("normalise", False)
        # a long story needs one confident window per this many sentences: a novel has thousands of windows,
        # and one of them reading like a passage about abuse is not a story about abuse
        self.sentences_per_window: int = data.get("sentences_per_window", SENTENCES_PER_WINDOW)
        self.by_feature: dict[str, list[tuple[int, float]]] = {}
        for ti, tag in enumerate(self.tags):
            for feature, weight in data["weights"][tag].items():
                self.by_feature.setdefault(feature, []).append((ti, weight))

    def margins(self, feats) -> list[float]:
        totals = [0.0] * len(self.tags)
        for f in feats:
            for ti, w in self.by_feature.get(f, ()):
                totals[ti] += w
        # features weigh 1/sqrt(n) each (unit length), so that a longer window does not score higher by length
        scale = 1.0 / math.sqrt(len(feats)) if self.normalise and feats else 1.0
        return [b + t * scale for b, t in zip(self.bias, totals)]

    def probabilities(self, feats) -> dict[str, float]:
        return {t: _sigmoid(m) for t, m in zip(self.tags, self.margins(feats))}

    def score_story(self, sentence_feats: list[set[str]], paragraph_of: list[int]) -> dict[str, TagScore]:
        """Each tag's best window over the story and the sentences that carry it."""
        best: dict[int, tuple[float, tuple[int, int]]] = {}
        # threshold margins: a window counts for a tag when its margin reaches the tag's threshold
        over_at = [_logit(self.thresholds[t]) if self.thresholds[t] is not None else math.inf for t in self.tags]
        over = [0] * len(self.tags)
        free_from = [0] * len(self.tags)  # the first sentence not inside a window already counted
        for first, end in windows(paragraph_of, len(sentence_feats), self.window_sentences):
            feats = set().union(*sentence_feats[first:end])
            for ti, m in enumerate(self.margins(feats)):
                if ti not in best or m > best[ti][0]:
                    best[ti] = (m, (first, end))
                if m >= over_at[ti] and first >= free_from[ti]:
                    over[ti] += 1
                    free_from[ti] = end
        out = {}
        for ti, (m, (first, end)) in best.items():
            # a sentence's share of the window's weight for this tag: the sum of its own features' weights
            window_feats = set().union(*sentence_feats[first:end])
            weight = {f: w for f in window_feats for t, w in self.by_feature.get(f, ()) if t == ti}
            shares = []
            for i in range(first, end):
                shares.append((sum(weight.get(f, 0.0) for f in sentence_feats[i]), i))
            shares.sort(reverse=True)
            evidence = [i for s, i in shares if s > 0][:2]
            out[self.tags[ti]] = TagScore(self.tags[ti], _sigmoid(m), (first, end), evidence, over[ti])
        return out


def _logit(p: float) -> float:
    if p >= 1.0:
        return math.inf
    if p <= 0.0:
        return -math.inf
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    if x < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


@lru_cache(maxsize=1)
def load_model() -> TagModel | None:
    """The shipped model, or None when the package has none (the rules then work alone)."""
    try:
        text = resources.files("ficlens").joinpath("models", MODEL_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    return TagModel(json.loads(text))


# -- combining with the rule findings --------------------------------------------------------------------

ARCHIVE_WARNINGS = ("Graphic Depictions Of Violence", "Major Character Death", "Rape/Non-Con", "Underage")
SUBSTANCES = "Alcohol or Drug Abuse"  # one tag in the training data; the content stage names the substance
ALCOHOL, DRUGS = "Alcohol Abuse", "Drug Abuse"


def _substance_tag(sentences, first: int, end: int) -> str:
    kinds = _words()
    lemmas = [t.lemma_.lower() for s in sentences[first:end] for t in s.tokens]
    alcohol = sum(1 for lemma in lemmas if lemma in kinds["alcohol"])
    drugs = sum(1 for lemma in lemmas if lemma in kinds["drugs"])
    return DRUGS if drugs > alcohol else ALCOHOL


def _told_as(sentence) -> str:
    """depicted, or mentioned when said in dialogue or told in the pluperfect (a past recalled)."""
    if sentence.is_dialogue:
        return "mentioned"
    if any(t.tag_ == "VBN" and any(c.lower_ == "had" and c.dep_ == "aux" for c in t.children) for t in sentence.tokens):
        return "mentioned"
    return "depicted"


def story_features(sentences, rule_hits: dict | None) -> list[set[str]]:
    """Every sentence's features: its parse and sentiment, and what the rules saw in it."""
    feats = [sentence_features(s.span, s.dialogue, s.valence) for s in sentences]
    if rule_hits:
        for f, r in zip(feats, rule_features(rule_hits, len(sentences))):
            f |= r
    return feats


def combine(
    story: Story, sentences, warnings: list[TagFinding], tags: list[TagFinding], rule_hits: dict | None = None
) -> None:
    """Add the model's confident tags to the rule findings (in place).  A tag both find keeps the rule's
    evidence and gains confidence; a tag only the model finds cites the sentences of its best window that carry
    the weight."""
    model = load_model()
    if model is None or not sentences:
        return
    feats = story_features(sentences, rule_hits)
    scores = model.score_story(feats, [s.paragraph for s in sentences])
    for tag, score in scores.items():
        threshold = model.thresholds.get(tag)
        if threshold is None or score.probability < threshold:
            continue
        if score.windows_over < max(1, math.ceil(len(sentences) / model.sentences_per_window)):
            continue
        name = tag
        if tag == SUBSTANCES:
            ruled = [f.tag for f in tags if f.tag in (ALCOHOL, DRUGS)]
            # the rule's substance when it named one, else the one the window's words speak of
            name = ruled[0] if ruled else _substance_tag(sentences, *score.window)
        found = warnings if tag in ARCHIVE_WARNINGS else tags
        evidence = [
            Evidence(sentences[i].start, sentences[i].end, story.text[sentences[i].start : sentences[i].end])
            for i in sorted(score.evidence)
        ]
        existing = next((f for f in found if f.tag == name), None)
        if existing is not None:  # the rule keeps its own evidence; the agreement raises its confidence
            existing.confidence = round(min(0.99, 1 - (1 - existing.confidence) * (1 - score.probability)), 3)
            continue
        if not evidence:
            continue
        detail = _told_as(sentences[score.evidence[0]]) if tag in ("Suicide", "Self-Harm", "Torture") else None
        found.append(TagFinding(tag=name, confidence=round(score.probability, 3), evidence=evidence, detail=detail))
    warnings.sort(key=lambda f: ARCHIVE_WARNINGS.index(f.tag) if f.tag in ARCHIVE_WARNINGS else 99)
