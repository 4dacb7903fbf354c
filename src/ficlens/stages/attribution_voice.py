"""How much a quotation sounds like each character: their idiolect, learned from the lines tags name them for.

A story's characters talk differently: one says "my dear" and "I'll be bound", one drops her g's, one calls
her mother "Mamma", one says "sir" to everyone.  Each character's explicitly tagged lines ("...," said
Fagin, and the other lines of that paragraph) make a word model of their speech (a unigram model, Dirichlet-smoothed towards the words of all the
story's quotations); a quotation no tag names is scored under each candidate's model against the
background, as the mean log-likelihood ratio per word.  A character with few tagged lines stays near 0
(sounds like anyone).  The ranker reads the score among its features (``attribution_rank``).

Hand-written rather than a library: it is a few dictionary look-ups per word, scored for ~15 candidates of
each of thousands of quotations inside the beam search; a vectorizer and a classifier per story would cost
more than the whole stage.
"""

from __future__ import annotations

import math
import re
from collections import Counter

WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")
PRIOR = 200.0  # Dirichlet prior mass: words a character has said fewer than this many times in all weigh little


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


class Voices:
    """Word models of the characters' tagged lines; ``score(key, text, character)``."""

    def __init__(self, all_quotes: list[str], tagged: list[tuple[str, str]]):
        """``all_quotes``: the text of every quotation (the background); ``tagged``: (character, text) of the
        quotations a tag gives them."""
        self.background = Counter()
        for text in all_quotes:
            self.background.update(words(text))
        self.total = sum(self.background.values()) + len(self.background) + 1
        self.own: dict[str, Counter] = {}
        for character, text in tagged:
            self.own.setdefault(character, Counter()).update(words(text))
        # a word the character never said scores log(PRIOR / (n + PRIOR)) whatever it is; the others are
        # worked out once per character and word
        self.size = {c: sum(counts.values()) for c, counts in self.own.items()}
        self.unseen = {c: math.log(PRIOR / (n + PRIOR)) for c, n in self.size.items()}
        self._seen: dict[str, dict[str, float]] = {c: {} for c in self.own}
        self._cache: dict[tuple[int, str], float] = {}
        self._words: dict[int, list[str]] = {}

    def _ratio(self, character: str, w: str) -> float:
        memo = self._seen[character]
        value = memo.get(w)
        if value is None:
            counts = self.own[character]
            pb = (self.background.get(w, 0) + 1) / self.total
            value = memo[w] = math.log((counts[w] + PRIOR * pb) / (self.size[character] + PRIOR) / pb)
        return value

    def score(self, key: int, text: str, character: str) -> float:
        """Mean log-likelihood ratio per word of ``text`` under ``character``'s model against the background
        (0 for a character with no tagged lines); ``key`` identifies the quotation for the caches."""
        cached = self._cache.get((key, character))
        if cached is not None:
            return cached
        counts = self.own.get(character)
        ws = self._words.get(key)
        if ws is None:
            ws = self._words[key] = words(text)
        if not counts or not ws:
            value = 0.0
        else:
            unseen = self.unseen[character]
            value = sum(self._ratio(character, w) if w in counts else unseen for w in ws) / len(ws)
        self._cache[(key, character)] = value
        return value
