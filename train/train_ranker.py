"""Fit the speaker ranker (a conditional logit over candidate speakers) on the PDNC training novels.

    .venv/bin/python train/train_ranker.py [--rounds 2] [--out src/ficlens/models/attribution_ranker.json]

For each training novel (bench/splits.json "train"; the held-out novels are never read) the pipeline runs up
to attribution; every quotation that no tag names yields its candidate speakers with their features
(ficlens.stages.attribution_rank).  A candidate is right when its display name names the gold speaker (the
DESIGN.md rule).  Weights are fitted with numpy (softmax over each quotation's candidates, L2 penalty) and
written as plain JSON, which the package scores without numpy or any learning library.  Round 1 collects
with the hand rules; later rounds collect with the model of the round before, as it will be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdnc_eval  # noqa: E402

from ficlens.stages import attribution, attribution_rank  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ficlens" / "models" / "attribution_ranker.json"


def collect(novels: list[str]):
    groups = []  # (X, y) per quotation
    for novel in novels:
        chars, name_to_ids, gold = pdnc_eval.load_gold(novel)
        narr_ids = {cid for cid, c in chars.items() if "_narr" in c["aliases"]}
        text = (pdnc_eval.PDNC / novel / "novel_text.txt").read_text(encoding="utf-8")
        attribution.COLLECT = []
        story, _ = pdnc_eval.analyze(text)
        collected, attribution.COLLECT = attribution.COLLECT, None
        gold_sorted = sorted(gold, key=lambda g: g["start"])
        starts = [g["start"] for g in gold_sorted]
        import bisect

        used = 0
        for quote, feats in collected:
            i = bisect.bisect_left(starts, quote.start) - 2
            best, best_ov = None, 0
            for g in gold_sorted[max(i, 0) : max(i, 0) + 6]:
                ov = min(quote.end, g["end"]) - max(quote.start, g["start"])
                if ov > best_ov:
                    best, best_ov = g, ov
            if best is None or best["speaker"] is None or not feats:
                continue
            labels = []
            for c in feats:
                ch = story.character(c)
                if ch is None or ch.name == "the narrator":
                    labels.append(best["speaker"] in narr_ids)
                else:
                    labels.append(pdnc_eval.correct(ch, best["speaker"], name_to_ids))
            if not any(labels):
                continue
            X = np.array([[f[k] for k in attribution_rank.FEATURES] for f in feats.values()], dtype=float)
            y = np.array(labels, dtype=float)
            groups.append((X, y / y.sum()))
            used += 1
        print(f"{novel:32s} {used} quotations with a right candidate (of {len(collected)})", flush=True)
    return groups


def fit(groups, l2: float = 0.01, steps: int = 3000, lr: float = 0.5) -> np.ndarray:
    X = np.concatenate([g[0] for g in groups])
    Y = np.concatenate([g[1] for g in groups])
    sizes = np.array([len(g[0]) for g in groups])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group_of = np.repeat(np.arange(len(groups)), sizes)
    w = np.zeros(X.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        s = X @ w
        s = s - np.maximum.reduceat(s, offsets)[group_of]
        e = np.exp(s)
        p = e / np.add.reduceat(e, offsets)[group_of]
        grad = X.T @ (p - Y) / len(groups) + l2 * w
        m = 0.9 * m + 0.1 * grad  # Adam
        v = 0.999 * v + 0.001 * grad**2
        w -= lr * 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    s = X @ w
    top = np.array([Y[o + np.argmax(s[o : o + n])] > 0 for o, n in zip(offsets, sizes)])
    print(f"fitted on {len(groups)} quotations; top-1 on training data {top.mean():.3f}")
    return w


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    splits = json.loads((ROOT / "bench" / "splits.json").read_text())
    novels = splits["train"]
    assert not set(novels) & set(splits["held_out"])
    for r in range(args.rounds):
        attribution.USE_RANKER = r > 0
        attribution_rank.trained.cache_clear()
        w = fit(collect(novels))
        model = {
            "about": "Speaker ranker for quotations no tag names: a conditional logit over candidate speakers, "
                     "fitted by train/train_ranker.py on the PDNC training novels of bench/splits.json "
                     "(Vishnubhotla et al. 2022; used for training only, no text of it is stored here).",
            "features": list(attribution_rank.FEATURES),
            "weights": {k: round(float(x), 4) for k, x in zip(attribution_rank.FEATURES, w)},
            "trained_on": novels,
            "round": r + 1,
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(model["weights"], indent=0))


if __name__ == "__main__":
    main()
