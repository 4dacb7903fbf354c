"""The story body read once into sentences, with dialogue marked: shared by the narrative and content stages.

Each body paragraph is parsed once with spaCy (``ctx.cache["docs"]``: a Doc per paragraph index, shared with
any other stage that parses paragraphs; parsed without the entity recognizer, so ``doc.ents`` is empty); each
sentence knows which of its tokens lie inside a quotation, so a stage can look at the narration alone or at the
dialogue alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from ..model import Paragraph, Story
from ..nlp import parse
from ._valence import valence

DOCS_KEY = "docs"  # paragraph index -> spaCy Doc of that paragraph's text
SENTENCES_KEY = "content_sentences"

_QUOTE_MARKS = "\"'“”‘’«»「」『』"
_BLANK_LINES = re.compile(r"\n\s*\n")
# Only used when no quotes stage has written story.quotes: straight or curly double quotes in one paragraph.
_FALLBACK_QUOTE = re.compile(r"\"[^\"\n]*(?:\"|$)|“[^”\n]*(?:”|$)", re.M)


def body_paragraphs(story: Story) -> list[Paragraph]:
    """The story's body paragraphs; when no structure stage has run, the body blocks (or the whole text)
    split on blank lines, so that these stages still work on a bare Story."""
    if story.paragraphs:
        return story.paragraphs
    regions = [(b.start, b.end) for b in story.body_blocks()] or [(0, len(story.text))]
    paragraphs = []
    for start, end in regions:
        cursor = start
        for piece in _BLANK_LINES.split(story.text[start:end]):
            offset = story.text.index(piece, cursor) if piece else cursor
            cursor = offset + len(piece)
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                paragraphs.append(Paragraph(offset + lead, offset + lead + len(stripped)))
    return paragraphs


def dialogue_intervals(story: Story, paragraphs: list[Paragraph]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of dialogue in story offsets."""
    if story.quotes:
        # An utterance interrupted by a speech tag spans the tag too; its parts are the spoken words only.
        spans = []
        for q in story.quotes:
            for part in q.parts or [q]:
                start, end = part.start, part.end
                while start > 0 and story.text[start - 1] in _QUOTE_MARKS:
                    start -= 1
                while end < len(story.text) and story.text[end] in _QUOTE_MARKS:
                    end += 1
                spans.append((start, end))
    else:
        spans = []
        for p in paragraphs:
            for m in _FALLBACK_QUOTE.finditer(story.text, p.start, p.end):
                spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class DialogueIndex:
    """Answers 'is this offset inside a quotation?' in log time."""

    def __init__(self, intervals: list[tuple[int, int]]):
        self.intervals = intervals
        self.starts = [s for s, _ in intervals]

    def contains(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.intervals[i][1]

    def overlap(self, start: int, end: int) -> int:
        """Characters of [start, end) inside dialogue."""
        total = 0
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        while i < len(self.intervals) and self.intervals[i][0] < end:
            s, e = self.intervals[i]
            total += max(0, min(e, end) - max(s, start))
            i += 1
        return total


@dataclass
class Sentence:
    """One sentence of body text: its span in the story, its spaCy span, and which tokens are dialogue."""

    index: int
    start: int
    end: int
    paragraph: int  # index into the body paragraph list
    chapter: int
    scene: int
    span: object  # spacy.tokens.Span
    base: int  # story offset of the paragraph (token.idx + base = story offset)
    dialogue: list[bool] = field(default_factory=list)  # per token of span, True inside a quotation

    @cached_property
    def tokens(self) -> list:
        """The span's tokens as a list, made once: the detectors each walk every sentence, and a spaCy Span
        builds a new Token object at every step of every walk."""
        return list(self.span)

    @cached_property
    def lemmas(self) -> list[str]:
        """Each token's lemma, lower-cased, read once: a spaCy token makes a new string at every attribute read,
        and the detectors each look for their cue lemmas in every sentence."""
        return [t.lemma_.lower() for t in self.tokens]

    @cached_property
    def lemma_set(self) -> frozenset[str]:
        return frozenset(self.lemmas)

    def with_lemma(self, *cue_lists) -> list:
        """The tokens, in order, whose lower-cased lemma is in any of ``cue_lists`` (lists of cue words, most
        of which no sentence holds: the sentence's own few lemmas are looked up in them, not the other way)."""
        found = set()
        for cues in cue_lists:
            found |= self.lemma_set.intersection(cues)
        if not found:
            return []
        return [t for t, lemma in zip(self.tokens, self.lemmas) if lemma in found]

    @cached_property
    def valence(self) -> float:
        """VADER's compound score of the sentence, computed once for the stages that read it."""
        return valence(self.span.text)

    def in_dialogue(self, token) -> bool:
        return self.dialogue[token.i - self.span.start]

    @property
    def narration_tokens(self) -> list:
        return [t for t, d in zip(self.tokens, self.dialogue) if not d]

    @property
    def is_dialogue(self) -> bool:
        """Wholly (or nearly wholly) inside quotation marks."""
        words = [d for t, d in zip(self.tokens, self.dialogue) if not (t.is_punct or t.is_space)]
        return bool(words) and all(words)

    @property
    def has_narration(self) -> bool:
        return any(not d and not (t.is_punct or t.is_space) for t, d in zip(self.tokens, self.dialogue))

    def offset(self, token) -> int:
        return self.base + token.idx


class _FastAttributeRuler:
    """The model's attribute ruler (tag -> POS/morph maps and word exceptions), applied with numpy over many
    Docs at once: spaCy's Matcher tries every one of its ~180 patterns at every token, one Doc at a time, which
    cost a fifth of the parse. Same results: the patterns are applied in the ruler's order, later ones winning.
    Built only when every pattern is of a kind handled here; otherwise the model's own ruler runs."""

    def __init__(self, ruler, strings):
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        self.strings = strings
        self.read_attrs = [LOWER, TAG, DEP, IS_SPACE]
        self.columns = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
        self.rules = []  # (token specs, index, attrs) in the ruler's order
        for entry in ruler.patterns:
            index = entry["index"]
            for pattern in entry["patterns"]:
                specs = [self._compile(token) for token in pattern]
                if not -len(specs) <= index < len(specs):
                    raise ValueError("pattern index out of range")
                self.rules.append((specs, index % len(specs), dict(entry["attrs"])))

    def _compile(self, token: dict):
        checks = []
        for key, value in token.items():
            if key not in self.columns:
                raise ValueError(key)
            column = self.columns[key]
            if key == "IS_SPACE":
                if not isinstance(value, bool):
                    raise ValueError(key)
                checks.append((column, "eq", int(value)))
            elif isinstance(value, str):
                checks.append((column, "eq", self.strings.add(value)))
            elif isinstance(value, dict) and len(value) == 1:
                (op, arg), = value.items()
                if op in ("IN", "NOT_IN"):
                    checks.append((column, op, [self.strings.add(v) for v in arg]))
                elif op == "REGEX" and key == "LOWER":
                    checks.append((column, op, re.compile(arg)))
                else:
                    raise ValueError(op)
            else:
                raise ValueError(key)
        return checks

    def __call__(self, docs: list) -> None:
        import numpy

        from spacy.attrs import LEMMA, MORPH, POS

        if not docs:
            return
        arrays = [doc.to_array(self.read_attrs) for doc in docs]
        table = numpy.concatenate(arrays) if len(arrays) > 1 else arrays[0]
        n = len(table)
        if n == 0:
            return
        doc_of = numpy.repeat(numpy.arange(len(docs)), [len(a) for a in arrays])
        regex_cache: dict = {}
        unique_lower = None

        def mask_of(checks):
            nonlocal unique_lower
            mask = numpy.ones(n, dtype=bool)
            for column, op, arg in checks:
                values = table[:, column]
                if op == "eq":
                    mask &= values == arg
                elif op == "IN":
                    mask &= numpy.isin(values, arg)
                elif op == "NOT_IN":
                    mask &= ~numpy.isin(values, arg)
                else:  # REGEX on the lower-case form, as the Matcher does (re.search)
                    if arg not in regex_cache:
                        if unique_lower is None:
                            unique_lower = numpy.unique(table[:, 0])
                        hits = [h for h in unique_lower.tolist() if arg.search(self.strings[h])]
                        regex_cache[arg] = numpy.isin(values, hits)
                    mask &= regex_cache[arg]
            return mask

        # Final value per token of each attribute the rules set (None: left as it was).
        out = {}
        for specs, index, attrs in self.rules:
            length = len(specs)
            if length > n:
                continue
            match = mask_of(specs[0])[: n - length + 1].copy()
            for k in range(1, length):
                match &= mask_of(specs[k])[k : n - length + 1 + k]
                match &= doc_of[k : n - length + 1 + k] == doc_of[: n - length + 1]
            positions = numpy.nonzero(match)[0] + index
            if not len(positions):
                continue
            for name, value in attrs.items():
                values, is_set = out.setdefault(name, (numpy.zeros(n, dtype=numpy.uint64), numpy.zeros(n, dtype=bool)))
                values[positions] = numpy.uint64(self._value_id(name, value))
                is_set[positions] = True
        write = [(name, attr) for name, attr in (("POS", POS), ("MORPH", MORPH), ("LEMMA", LEMMA)) if name in out]
        other = [name for name in out if name not in ("POS", "MORPH", "LEMMA")]
        ids = [out[name] for name, _ in write]
        start = 0
        for doc, array in zip(docs, arrays):
            end = start + len(array)
            if write:
                current = doc.to_array([attr for _, attr in write]).astype(numpy.uint64)
                if current.ndim == 1:
                    current = current.reshape(-1, 1)
                changed = False
                for j, (values, is_set) in enumerate(ids):
                    set_here = is_set[start:end]
                    if set_here.any():
                        current[set_here, j] = values[start:end][set_here]
                        changed = True
                if changed:
                    doc.from_array([attr for _, attr in write], current)
            for name in other:  # TAG/DEP of whitespace tokens: rare, set one by one
                values, is_set = out[name]
                for i in numpy.nonzero(is_set[start:end])[0].tolist():
                    setattr(doc[i], name.lower() + "_", self.strings[int(values[start + i])])
            start = end

    def _value_id(self, name: str, value) -> int:
        if name == "POS":
            from spacy.parts_of_speech import IDS

            return IDS[value]
        if name == "MORPH":
            return self.strings.add(str(value))
        return self.strings.add(value)


class _CachedLemmatizer:
    """The model's rule lemmatizer, applied once per distinct (word, POS, morphology): spaCy's own caches the
    lemma lists but still walks every token in Python, a seventh of the parse.  Same lemmas: the rule and lookup
    lemmatizers read nothing of a token but its text, POS and morphology."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self.lemma_of: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc) -> None:
        import numpy

        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        table = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(-1, 4).tolist()
        overwrite = self.lemmatizer.overwrite
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(table):
            if lemma and not overwrite:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = self.lemma_of.get(key)
            if found is None:
                found = self.lemma_of[key] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(found)
        if lemmas:
            doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))


def _lemmatizer(nlp):
    """The cached lemmatizer for ``nlp``'s rule or lookup lemmatizer, or the model's own for any other kind."""
    cached = getattr(nlp, "_ficlens_lemmatizer", None)
    if cached is None:
        own = nlp.get_pipe("lemmatizer")
        mode = getattr(own, "mode", None)
        cached = _CachedLemmatizer(own) if mode in ("rule", "lookup") else own
        if mode == "rule":
            _index_as_sets(own)
        try:
            nlp._ficlens_lemmatizer = cached
        except AttributeError:
            pass
    return cached


def _index_as_sets(lemmatizer) -> None:
    """The rule lemmatizer's word index as sets.  The English model keeps each part of speech's known words as a
    list (57,000 nouns) and asks ``form in index`` of every new word form: a tenth of a millisecond each, half a
    second of a novel.  A set answers the same, at once."""
    table = lemmatizer.lookups.get_table("lemma_index", None)
    if table is None:
        return
    for key in list(table.keys()):
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])


def _fast_ruler(nlp):
    """The numpy attribute ruler for ``nlp``, or None when its pipeline is not tagger... attribute_ruler,
    lemmatizer (optionally ner) with patterns of the kinds handled."""
    cached = getattr(nlp, "_ficlens_fast_ruler", False)
    if cached is not False:
        return cached
    ruler = None
    names = [n for n in nlp.pipe_names if n != "ner"]
    if names[-2:] == ["attribute_ruler", "lemmatizer"]:
        try:
            ruler = _FastAttributeRuler(nlp.get_pipe("attribute_ruler"), nlp.vocab.strings)
        except (ValueError, KeyError, TypeError):
            ruler = None
    try:
        nlp._ficlens_fast_ruler = ruler
    except AttributeError:
        pass
    return ruler


def paragraph_docs(story: Story, ctx, paragraphs: list[Paragraph]) -> dict[int, object]:
    """A Doc per paragraph index, parsed once (nlp.pipe) and kept in ``ctx.cache["docs"]``."""
    docs = ctx.cache.setdefault(DOCS_KEY, {})
    missing = [i for i in range(len(paragraphs)) if i not in docs]
    if missing:
        nlp = ctx.nlp
        texts = (story.text[paragraphs[i].start : paragraphs[i].end] for i in missing)
        # Named entities are not needed here (names come from the characters stage, PROPN from the tagger)
        # and the recognizer is half of the parsing time.
        ruler = _fast_ruler(nlp)
        if ruler is None:
            for i, doc in zip(missing, parse(nlp, texts, batch_size=64, disable=["ner"])):
                docs[i] = doc
            return docs
        parsed = parse(nlp, texts, batch_size=64, disable=["ner", "attribute_ruler", "lemmatizer"])
        ruler(parsed)
        lemmatizer = _lemmatizer(nlp)
        for i, doc in zip(missing, parsed):
            lemmatizer(doc)
            docs[i] = doc
    return docs


def story_sentences(story: Story, ctx) -> list[Sentence]:
    """Every body sentence, in order (computed once per analysis)."""
    cached = ctx.cache.get(SENTENCES_KEY)
    if cached is not None:
        return cached
    paragraphs = body_paragraphs(story)
    docs = paragraph_docs(story, ctx, paragraphs)
    index = DialogueIndex(dialogue_intervals(story, paragraphs))
    sentences: list[Sentence] = []
    for pi, paragraph in enumerate(paragraphs):
        doc = docs[pi]
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            start = paragraph.start + sent.start_char
            end = paragraph.start + sent.end_char
            flags = [index.contains(paragraph.start + t.idx) for t in sent]
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=start,
                    end=end,
                    paragraph=pi,
                    chapter=getattr(paragraph, "chapter", 0),
                    scene=getattr(paragraph, "scene", 0),
                    span=sent,
                    base=paragraph.start,
                    dialogue=flags,
                )
            )
    ctx.cache[SENTENCES_KEY] = sentences
    ctx.cache["content_dialogue_index"] = index
    return sentences


def dialogue_index(story: Story, ctx) -> DialogueIndex:
    story_sentences(story, ctx)
    return ctx.cache["content_dialogue_index"]
