"""VADER's compound score (-1..1) of a piece of text: one analyzer shared by every stage that reads sentiment."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1 << 16)  # the arc and the content stages read the same sentences
def valence(text: str) -> float:
    return _analyzer().polarity_scores(text)["compound"]
