"""Fit the speaker ranker (candidate speakers scored for each quotation no tag names) on the PDNC training novels
and the hand-labelled fan-fiction sets.

    .venv/bin/python train/train_ranker.py [--kind trees|logit] [--rounds 2] [--out src/ficlens/models/attribution_ranker.json]
    .venv/bin/python train/train_ranker.py --cv 4 [--kind trees|logit|baseline]  # leave-novels-out cross-validation

The shipped model is written by the first command with its defaults (trees, a bag of 5 forests, 2 rounds, the
stage's own beam and passes: ``attribution.BEAM``, ``attribution.RANK_PASSES``).

For each training novel (bench/splits.json "train"; the held-out novels are never read) the pipeline runs up
to attribution; every quotation that no tag names yields its candidate speakers with their features
(ficlens.stages.attribution_rank).  A candidate is right when its display name names the gold speaker (the
DESIGN.md rule).  Round 1 collects with the hand rules; later rounds collect with the model of the round
before, as it will be used (the features of a quotation depend on who the ranker said spoke before it; with
the beam, the features collected are those of the speaker sequence the decoder kept).

Two kinds of model, both written as plain JSON that the package scores without any learning library:
``logit``, a conditional logit (softmax over each quotation's candidates, L2 penalty, fitted with numpy), and
``trees`` (the default), gradient-boosted regression trees (scikit-learn's HistGradientBoostingClassifier on
each candidate's features plus the same features relative to the best of its quotation), exported node by node.

``--bags N`` fits N forests of 150 trees, each on a bootstrap sample of the quotations, and averages their
log-odds.  The shipped model is 5 of them: one forest's choice on a few close lines flipped with nearly any change
to the training data, even where the change did not touch those lines; the bag's choice moves less, though
retraining it still flips some close lines (see the README's thirteenth round).

The hand-labelled fan-fiction sets of ``FANFIC_SETS`` (bench/fanfic_speakers.py) join the training, each line
counted ``--fanfic-weight`` times (2); ``--fanfic SET ...`` names others ("holdout5", "dev_relationships/fresh4"),
``--fanfic`` alone none.  ``bench/dev/holdout11`` is left out: it is the fan-fiction test no training has seen.

``baseline`` is the ranker shipped before the trees (the logit on its features, one pass, eight salient
candidates), for comparisons.  ``--cv K`` splits the training novels into K folds; for each, it fits on the others (all rounds) and scores
the fold end to end with train/pdnc_eval.py's rule, then prints the totals by quotation type.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import fanfic_speakers  # noqa: E402
import pdnc_eval  # noqa: E402
from scoring import names_character  # noqa: E402

from ficlens.stages import attribution, attribution_rank  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ficlens" / "models" / "attribution_ranker.json"
ABOUT = ("Speaker ranker for quotations no tag names, fitted by train/train_ranker.py on the PDNC training novels "
         "of bench/splits.json (Vishnubhotla et al. 2022; used for training only, no text of it is stored here) and "
         "on the hand-labelled fan-fiction sets of bench/ named in trained_on.")


def use_model(model: dict | None) -> None:
    """Make the attribution stage rank with ``model`` (None: the hand rules)."""
    attribution.USE_RANKER = model is not None
    attribution_rank.use_model(model)


def collect(novels: list[str], model: dict | None, quiet: bool = False):
    """(X, y) per quotation whose candidates include the gold speaker, ranking with ``model`` as it goes."""
    use_model(model)
    groups = []
    for novel in novels:
        chars, name_to_ids, gold = pdnc_eval.load_gold(novel)
        narr_ids = {cid for cid, c in chars.items() if "_narr" in c["aliases"]}
        text = (pdnc_eval.PDNC / novel / "novel_text.txt").read_text(encoding="utf-8")
        attribution.COLLECT = []
        try:
            story, _ = pdnc_eval.analyze(text)
            collected = attribution.COLLECT
        finally:
            attribution.COLLECT = None
        gold_sorted = sorted(gold, key=lambda g: g["start"])
        starts = [g["start"] for g in gold_sorted]
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
            X = np.array([attribution_rank.vector(f) for f in feats.values()], dtype=float)
            groups.append((X, np.array(labels, dtype=float)))
            used += 1
        if not quiet:
            print(f"{novel:32s} {used} quotations with a right candidate (of {len(collected)})", flush=True)
    return groups


def collect_fanfic(sets: list[str], model: dict | None, quiet: bool = False):
    """(X, y) per quotation of the hand-labelled fan-fiction ``sets`` (bench/fanfic_speakers.py) whose candidates
    include the gold speaker, ranking with ``model`` as it goes."""
    from ficlens.ingest import from_text
    from ficlens.pipeline import Options, run

    use_model(model)
    groups = []
    for folder in fanfic_speakers.sets_with_gold(sets):
        data = json.loads((folder / "speakers.json").read_text(encoding="utf-8"))
        used = 0
        for name, entry in sorted(data["stories"].items()):
            text = fanfic_speakers.story_path(folder, name).read_text(encoding="utf-8")
            gold, cast = fanfic_speakers.read_story_gold(text, entry)
            by_name = cast.index()
            attribution.COLLECT = []
            try:
                story = run(from_text(text), Options(stages=fanfic_speakers.STAGES))
                collected = attribution.COLLECT
            finally:
                attribution.COLLECT = None
            for quote, feats in collected:
                over = [(min(quote.end, g.spans[0][1]) - max(quote.start, g.spans[0][0]), k) for k, g in enumerate(gold)]
                overlap, k = max(over, default=(0, -1))
                if overlap <= 0 or not feats:
                    continue
                labels = [names_character(ch.name, ch.aliases, gold[k].speaker, cast, by_name)
                          if (ch := story.character(c)) is not None else False for c in feats]
                if any(labels):
                    groups.append((np.array([attribution_rank.vector(f) for f in feats.values()], dtype=float),
                                   np.array(labels, dtype=float)))
                    used += 1
        if not quiet:
            print(f"{folder.name:32s} {used} fan-fiction quotations with a right candidate", flush=True)
    return groups


# The features of the linear ranker shipped before the trees (for --baseline: the "before" of a comparison)
BASELINE_FEATURES = attribution_rank.FEATURES[: attribution_rank.FEATURES.index("acting_no_tag") + 1]


def fit_logit(groups, l2: float = 0.01, steps: int = 3000, lr: float = 0.5, names=attribution_rank.FEATURES) -> dict:
    columns = [attribution_rank.FEATURES.index(k) for k in names]
    X = np.concatenate([g[0][:, columns] for g in groups])
    Y = np.concatenate([g[1] / g[1].sum() for g in groups])
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
    return {"kind": "logit", "features": list(names), "weights": {k: round(float(x), 4) for k, x in zip(names, w)}}


def fit_trees(groups, trees: int = 150, leaves: int = 20, rate: float = 0.1, min_leaf: int = 40,
              bags: int = 5, seed: int = 0, max_features: float = 1.0) -> dict:
    """Pointwise boosted trees: is this candidate the speaker?  Scored per candidate; the best one speaks.
    With ``bags`` > 1, that many forests, each fitted on a bootstrap sample of the quotations, their log-odds
    averaged (bagging: a model that moves less when the training data moves a little)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    X_all = [attribution_rank.with_relative(g[0]) for g in groups]
    y_all = [g[1] for g in groups]
    exported, bases, fitted = [], [], []
    for b in range(bags):
        rng = np.random.default_rng(seed + b)
        picked = rng.integers(0, len(groups), len(groups)) if bags > 1 else range(len(groups))
        X = np.concatenate([X_all[i] for i in picked])
        y = np.concatenate([y_all[i] for i in picked])
        clf = HistGradientBoostingClassifier(max_iter=trees, max_leaf_nodes=leaves, learning_rate=rate,
                                             min_samples_leaf=min_leaf, l2_regularization=1.0, early_stopping=False,
                                             max_features=max_features, random_state=seed + b)
        clf.fit(X, y)
        fitted.append(clf)
        bases.append(float(clf._baseline_prediction.ravel()[0]))
        for (predictor,) in clf._predictors:
            exported.append([[int(n["feature_idx"]), float(n["num_threshold"]), int(n["left"]), int(n["right"]),
                              round(float(n["value"]) / bags, 5)] if not n["is_leaf"]
                             else [-1, 0.0, 0, 0, round(float(n["value"]) / bags, 5)] for n in predictor.nodes])
    model = {"kind": "trees", "features": list(attribution_rank.FEATURES),
             "base": round(sum(bases) / bags, 6), "trees": exported}
    # the exported trees must score as scikit-learn does
    check = np.concatenate(X_all)[:2000]
    forest = attribution_rank.prepared(model)["_forest"]
    ours = np.array([forest(row.tolist()) for row in check])
    theirs = sum(clf.decision_function(check) for clf in fitted) / bags
    assert np.allclose(ours, theirs, atol=1e-3), float(np.abs(ours - theirs).max())
    return model


TREE_SETTINGS: dict = {}  # the tree options of the command line (--trees, --leaves, --min-leaf, --max-features...)


def fit(groups, kind: str) -> dict:
    if kind == "trees":
        return fit_trees(groups, **TREE_SETTINGS)
    return fit_logit(groups, names=BASELINE_FEATURES if kind == "baseline" else attribution_rank.FEATURES)


def top1(groups, model) -> float:
    ok = 0
    columns = [attribution_rank.FEATURES.index(k) for k in model["features"]]
    ready = attribution_rank.prepared(model)
    for X, y in groups:
        scores = attribution_rank.score_matrix(X[:, columns].tolist(), ready)
        ok += y[int(np.argmax(scores))] > 0
    return ok / max(1, len(groups))


# Every labelled fan-fiction set but holdout11, the untouched test (README, sixteenth round)
FANFIC_SETS = ("holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9", "holdout10",
               "dev_relationships/final", "dev_relationships/final2", "dev_relationships/fresh",
               "dev_relationships/fresh2", "dev_relationships/fresh3", "dev_relationships/fresh4",
               "dev_relationships/heldout", "dev_relationships/stories")
FANFIC: dict = {"sets": list(FANFIC_SETS), "weight": 2}  # --fanfic SET ... / --fanfic-weight


def train(novels: list[str], kind: str, rounds: int, quiet: bool = False) -> dict:
    model = None
    for r in range(rounds):
        groups = collect(novels, model, quiet)
        if FANFIC["sets"]:
            groups += collect_fanfic(FANFIC["sets"], model, quiet) * FANFIC["weight"]
        model = fit(groups, kind)
        model["round"] = r + 1
        if not quiet:
            print(f"round {r + 1}: fitted on {len(groups)} quotations; top-1 on them {top1(groups, model):.3f}",
                  flush=True)
    return model


def cross_validate(novels: list[str], kind: str, rounds: int, k: int, repeats: int = 1) -> None:
    """K-fold CV, repeated over ``repeats`` fold assignments (the novel list rotated): one retrained model's
    accuracy moves by a few tenths when a single novel's data changes, so a small change reads better from the
    mean of several assignments."""
    accuracies = []
    for r in range(repeats):
        shift = r * len(novels) // repeats + (r > 0)
        order = novels[shift:] + novels[:shift]
        total = _cv_once(order, kind, rounds, k)
        print(f"CV {kind} ({k} folds, assignment {r + 1}): {pdnc_eval.summary(total)}", flush=True)
        accuracies.append(total["ok"] / max(1, total["n"]))
    if repeats > 1:
        print(f"CV {kind} mean of {repeats} assignments: acc {sum(accuracies) / repeats:.4f} "
              f"({', '.join(f'{a:.4f}' for a in accuracies)})")


def _cv_once(novels: list[str], kind: str, rounds: int, k: int) -> Counter:
    folds = [novels[i::k] for i in range(k)]
    total = Counter()
    for fold in folds:
        rest = [n for n in novels if n not in fold]
        t0 = time.time()
        model = train(rest, kind, rounds, quiet=True) if kind != "rules" else None
        use_model(model)
        for novel in fold:
            res, _, _ = pdnc_eval.evaluate(novel)
            total.update(res)
            print(f"  {novel:30s} {pdnc_eval.summary(res)}", flush=True)
        print(f"fold done in {time.time() - t0:.0f}s", flush=True)
    return total


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=("trees", "logit", "baseline", "rules"), default="trees")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--cv", type=int, default=0, help="leave-novels-out cross-validation with this many folds")
    ap.add_argument("--cv-repeats", type=int, default=1, help="repeat the CV over this many fold assignments")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--trees", type=int, default=150, help="boosting rounds (trees)")
    ap.add_argument("--leaves", type=int, default=20, help="leaves per tree")
    ap.add_argument("--bags", type=int, default=5,
                    help="forests fitted on bootstrap samples, averaged (1: one forest on all the quotations)")
    ap.add_argument("--fanfic", nargs="*", default=list(FANFIC_SETS), metavar="SET",
                    help="fan-fiction sets (bench/fanfic_speakers.py) whose hand-labelled speakers join the training "
                         "(default: all but holdout11; none if given alone)")
    ap.add_argument("--fanfic-weight", type=int, default=FANFIC["weight"],
                    help="how many times each fan-fiction quotation counts")
    ap.add_argument("--seed", type=int, default=0,
                    help="first random seed of the bag (another seed: how far a retrained model moves by chance)")
    ap.add_argument("--rate", type=float, default=0.1, help="learning rate of the boosting")
    ap.add_argument("--min-leaf", type=int, default=40, help="fewest training rows a leaf may hold")
    ap.add_argument("--max-features", type=float, default=1.0,
                    help="share of the features each split may choose among, drawn afresh at each split")
    ap.add_argument("--passes", type=int, default=attribution.RANK_PASSES, help="ranker passes over the quotations")
    ap.add_argument("--beam", type=int, default=attribution.BEAM,
                    help="speaker sequences kept per conversation (1: each quotation decided on its own)")
    ap.add_argument("--pool", type=int, default=attribution_rank.POOL_SALIENT, help="salient characters as candidates")
    args = ap.parse_args(argv)
    splits = json.loads((ROOT / "bench" / "splits.json").read_text())
    novels = splits["train"]
    assert not set(novels) & set(splits["held_out"])
    attribution.RANK_PASSES = args.passes
    attribution.BEAM = args.beam
    FANFIC.update(sets=args.fanfic, weight=args.fanfic_weight)
    TREE_SETTINGS.update(trees=args.trees, leaves=args.leaves, bags=args.bags, rate=args.rate, seed=args.seed,
                         min_leaf=args.min_leaf, max_features=args.max_features)
    attribution_rank.POOL_SALIENT = args.pool
    if args.kind == "baseline":  # the ranker as it was before the trees: linear, one pass, 8 salient candidates
        attribution.RANK_PASSES, attribution_rank.POOL_SALIENT, attribution.BEAM = 1, 8, 1
    if args.cv:
        cross_validate(novels, args.kind, args.rounds, args.cv, args.cv_repeats)
        return
    model = {"about": ABOUT, **train(novels, args.kind, args.rounds),
             "trained_on": novels + [f"fan fiction: {name}" for name in FANFIC["sets"]]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
