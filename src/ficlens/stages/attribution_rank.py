"""Ranking candidate speakers for a quotation with no tag and no acting character.

Each candidate (recent speakers, recently named characters, those addressed in the previous turn) gets a
few features; a linear score picks the best.  The weights are hand-set defaults unless a trained model
(``ficlens/models/attribution_ranker.json``, fitted by ``train/train_ranker.py``) ships with the package.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

FEATURES = (
    "alt2",  # spoke two turns ago (A B A)
    "prev",  # spoke the previous turn
    "turn3",  # spoke three turns ago
    "prev_addressed",  # addressed by name in the previous turn
    "salience_top",  # the most recently mentioned or speaking character
    "salience_inv",  # 1 / (1 + salience rank)
    "addressed",  # addressed by name in this quotation (so not its speaker)
    "no_turns",  # no conversation before this quotation
    "alt2_x_turns",  # alt2 when the conversation is two-sided so far
)

HAND_WEIGHTS = {
    "alt2": 3.0,
    "prev": -3.0,
    "turn3": 0.5,
    "prev_addressed": 2.5,
    "salience_top": 0.5,
    "salience_inv": 1.0,
    "addressed": -10.0,
    "no_turns": 0.0,
    "alt2_x_turns": 0.5,
    "_bias": 0.0,
}


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    try:
        raw = resources.files("ficlens").joinpath("models/attribution_ranker.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return HAND_WEIGHTS
    data = json.loads(raw)
    return data["weights"]


def candidate_features(info, turns, salience, exclude) -> dict[str, dict[str, float]]:
    ranked = salience.ranked(30)
    speakers = [t.speaker for t in turns]
    cands = []
    for c in speakers[:3] + (list(turns[0].vocatives) if turns else []) + ranked[:6]:
        if c and c not in cands:
            cands.append(c)
    two_sided = len(turns) >= 2 and speakers[0] and speakers[1] and speakers[0] != speakers[1]
    out = {}
    for c in cands:
        rank = ranked.index(c) if c in ranked else 30
        alt2 = float(len(speakers) > 1 and speakers[1] == c and speakers[0] != c)
        out[c] = {
            "alt2": alt2,
            "prev": float(bool(speakers) and speakers[0] == c),
            "turn3": float(len(speakers) > 2 and speakers[2] == c),
            "prev_addressed": float(bool(turns) and c in turns[0].vocatives),
            "salience_top": float(rank == 0),
            "salience_inv": 1.0 / (1 + rank),
            "addressed": float(c in exclude),
            "no_turns": float(not turns),
            "alt2_x_turns": alt2 * float(bool(two_sided)),
        }
    return out


def score(features: dict[str, float], w: dict[str, float] | None = None) -> float:
    w = w or weights()
    return w.get("_bias", 0.0) + sum(w.get(k, 0.0) * v for k, v in features.items())


def rank_candidates(info, turns, salience, exclude) -> list[str]:
    feats = candidate_features(info, turns, salience, exclude)
    scored = sorted(feats.items(), key=lambda kv: -score(kv[1]))
    return [c for c, f in scored if not f["addressed"]]


def probability(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s))
