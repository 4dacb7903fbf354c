"""Stage 'arc': the emotional valence across the story, per main character, and where it turns.

* Each body sentence (narration and dialogue alike) gets VADER's compound score (-1..1).
* Units: one per body paragraph when the story has at most ``MAX_POINTS`` paragraphs; otherwise windows of
  ``ceil(sentences / MAX_POINTS)`` consecutive sentences, so a novel gets at most ``MAX_POINTS`` points.
  A unit's raw valence is the mean compound of its sentences.
* ``story.arc``: the raw unit valences smoothed with a centred moving average of ``2k+1`` units, where
  ``k = max(1, units // 20)`` (about a tenth of the story), shrinking at the ends.
* ``story.character_arcs``: for each of the ``MAIN_CHARACTERS`` characters with most mentions (at least
  ``MIN_MENTIONS``), the same units restricted to the sentences where that character is mentioned or speaks;
  units without them are skipped; smoothed the same way over the character's own points.
* ``story.turning_points``: where the story's mood shifts.  For each unit boundary the shift is the mean raw
  valence of the ``k'`` units after it minus that of the ``k'`` units before (``k' = max(2, units // 10)``);
  a boundary is a turning point when its |shift| is at least ``MIN_SHIFT`` and is the largest within ``k'``
  units on either side.  Each is reported as the unit where the new mood begins, with ``shift`` signed
  (positive: a turn for the better).
"""

from __future__ import annotations

import math

from ..model import ArcPoint, CharacterArc, Story, TurningPoint
from ._body import MentionIndex, QuoteIndex, Sentence, body_sentences
from ._valence import valence

MAX_POINTS = 100
MAIN_CHARACTERS = 5
MIN_MENTIONS = 3
MIN_SHIFT = 0.3


def _units(sentences: list[Sentence], paragraph_count: int) -> list[list[int]]:
    """Sentence indices grouped into the arc's units."""
    if not sentences:
        return []
    if paragraph_count <= MAX_POINTS:
        units: list[list[int]] = []
        for i, sentence in enumerate(sentences):
            if units and sentences[units[-1][0]].paragraph == sentence.paragraph:
                units[-1].append(i)
            else:
                units.append([i])
        return units
    size = math.ceil(len(sentences) / MAX_POINTS)
    return [list(range(i, min(i + size, len(sentences)))) for i in range(0, len(sentences), size)]


def smooth(values: list[float], k: int) -> list[float]:
    """Centred moving average over 2k+1 values, shrinking at the ends."""
    out = []
    for i in range(len(values)):
        window = values[max(0, i - k) : i + k + 1]
        out.append(sum(window) / len(window))
    return out


def smoothing_radius(n: int) -> int:
    return max(1, n // 20)


def turning_points(raw: list[float], spans: list[tuple[int, int]]) -> list[TurningPoint]:
    n = len(raw)
    k = max(2, n // 10)
    if n < 2 * k:
        return []
    shifts = {}
    for i in range(k, n - k + 1):
        before = raw[i - k : i]
        after = raw[i : i + k]
        shifts[i] = sum(after) / len(after) - sum(before) / len(before)
    points = []
    for i, shift in shifts.items():
        nearby = [abs(shifts[j]) for j in range(i - k, i + k + 1) if j in shifts]
        earlier = [abs(shifts[j]) for j in range(i - k, i) if j in shifts]
        # The largest shift nearby; on a plateau of equal shifts, the first one.
        if abs(shift) >= MIN_SHIFT and abs(shift) == max(nearby) and abs(shift) not in earlier:
            start, end = spans[i]
            points.append(TurningPoint(start, end, round(shift, 4)))
    return points


def _points(values: list[float], spans: list[tuple[int, int]]) -> list[ArcPoint]:
    smoothed = smooth(values, smoothing_radius(len(values)))
    return [ArcPoint(s, e, round(max(-1.0, min(1.0, v)), 4)) for (s, e), v in zip(spans, smoothed)]


def main_characters(story: Story) -> list[str]:
    ranked = sorted(story.characters, key=lambda c: (-c.mentions, c.id))
    return [c.id for c in ranked if c.mentions >= MIN_MENTIONS][:MAIN_CHARACTERS]


def run(story: Story, ctx) -> None:
    sentences = body_sentences(story, ctx)
    story.arc, story.character_arcs, story.turning_points = [], [], []
    if not sentences:
        return
    valences = [valence(s.span.text) for s in sentences]
    units = _units(sentences, len({s.paragraph for s in sentences}))
    spans = [(sentences[u[0]].start, sentences[u[-1]].end) for u in units]
    raw = [sum(valences[i] for i in u) / len(u) for u in units]
    story.arc = _points(raw, spans)
    story.turning_points = turning_points(raw, spans)

    mentions = MentionIndex(story.mentions)
    quotes = QuoteIndex(story.quotes)
    for character in main_characters(story):
        values, character_spans = [], []
        for unit, span in zip(units, spans):
            theirs = [
                valences[i]
                for i in unit
                if _involves(sentences[i], character, mentions, quotes)
            ]
            if theirs:
                values.append(sum(theirs) / len(theirs))
                character_spans.append(span)
        if values:
            story.character_arcs.append(CharacterArc(character, _points(values, character_spans)))


def _involves(sentence: Sentence, character: str, mentions: MentionIndex, quotes: QuoteIndex) -> bool:
    if any(m.character == character for m in mentions.within(sentence.start, sentence.end)):
        return True
    quote = quotes.covering(sentence.start) or quotes.covering(max(sentence.start, sentence.end - 1))
    return bool(quote and quote.speaker == character)
