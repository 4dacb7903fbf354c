r"""Fit the learned tag reader (ficlens.stages.content_model) and write src/ficlens/models/tag_classifier.json.

The shipped model is fitted in two runs (a few minutes the first time, seconds once the features are cached):
the warning group (the first set of passages; as chosen on bench/dev/holdout5 and holdout7, then on holdout9 with
holdout7 and holdout8 added to its stories and thresholds), then the mood tags with every passage and dev story
set (holdout to holdout8), kept together in one file by ``--base``:

    .venv/bin/python train/train_tags.py --tags warnings --story-sets stories,holdout7,holdout8 \
        --threshold-sets holdout,holdout2,holdout3,holdout7,holdout8,fixtures --out /tmp/warnings.json
    .venv/bin/python train/train_tags.py --tags mood --passages train/tag_passages train/tag_passages/round5 \
        --story-precision 0.8 --passage-precision-mood 0 --base /tmp/warnings.json \
        [--report] [--out src/ficlens/models/tag_classifier.json]

Needs scikit-learn (the ``train`` extra: ``.venv/bin/pip install scikit-learn``); the package scores the JSON in
pure Python.  ``--report`` prints, per tag, the threshold chosen and how the held-out and test stories score.

Training data:
- ``train/tag_passages/*.jsonl``: one passage a line, ``{"text", "tags", "near_miss_of", "fandom"}``; a passage is
  a positive example of each of its tags and a negative one of every other tag (its near misses weigh
  ``--near-miss-weight``, double by default, so that an averted death or a refused kiss pulls the model back);
- the dev story sets of ``bench/dev`` (``--story-sets``: its own ``stories`` and ``holdout`` to ``holdout8``, each
  with its ``labels.json``): each window of a story is a negative example of every tag the story does not have;
  for a tag it has, which window shows it is not labelled, so its ``--story-positives`` best windows by a first
  fit on the rest are taken as positives.

Thresholds are chosen per tag on the dev stories and the content stage's test stories (tests/test_content.py
EXPECTED and MAY_ALSO_HAVE, near misses most of them) with the out-of-fold scores of the passages.  Each dev
story is scored out of fold: by the model fitted without its set.  The threshold is the lowest, never below
``--min-threshold``, at which no test story lacking the tag reaches it, the dev stories' precision is at least
``--story-precision``, and the passages' precision is at least ``--passage-precision`` (mood tags:
``--passage-precision-mood``) where three or more passages reach it.
bench/dev/holdout9 (which chooses between trained models) and bench/eval are never read.  Features of each text
are cached in ``--cache`` (keyed by the text and content_model.FEATURES_VERSION), so a retrain after new passages
arrive parses only the new ones; delete the cache after changing an earlier stage that the features read
(paragraphs, quotes, the rules).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import eval_tags  # noqa: E402  (tag names and the folding of variants)

from ficlens.ingest import from_text  # noqa: E402
from ficlens.pipeline import STAGES, Context, Options, stage_function  # noqa: E402
from ficlens.stages.content_model import FEATURES_VERSION, TagModel, story_features, windows  # noqa: E402
from ficlens.stages.content_parse import story_sentences  # noqa: E402

OUT = ROOT / "src" / "ficlens" / "models" / "tag_classifier.json"
PASSAGES = ROOT / "train" / "tag_passages"
DEV = ROOT / "bench" / "dev"
# the dev story sets training and thresholds may read; never holdout9 (the untouched set that chose between
# models) and never bench/eval
DEV_SETS = {name: DEV / name if name != "stories" else DEV
            for name in ("stories", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6",
                         "holdout7", "holdout8")}
TAGS = list(eval_tags.ALL_TAGS)
# The stages up to content, as at run time: the features read its paragraphs, dialogue and rule hits.
PREP_STAGES = STAGES[: STAGES.index("content") + 1]
WINDOW_SENTENCES = 6


def featurise(text: str, ctx_options: Options) -> dict:
    """Per-sentence features and paragraph numbers of one text, prepared as the content stage sees a story."""
    story = from_text(text)
    ctx = Context(ctx_options)
    for name in PREP_STAGES:
        stage_function(name)(story, ctx)
    sentences = story_sentences(story, ctx)
    return {
        "feats": [sorted(f) for f in story_features(sentences, ctx.cache.get("content_rule_hits"))],
        "paragraph": [s.paragraph for s in sentences],
    }


class FeatureCache:
    def __init__(self, path: Path):
        self.path = path
        self.data: dict[str, dict] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    key, value = json.loads(line)
                except ValueError:
                    continue
                self.data[key] = value
        self.options = Options()
        self.new = 0

    def get(self, text: str) -> dict:
        key = hashlib.sha1(f"{FEATURES_VERSION}\n{text}".encode("utf-8")).hexdigest()
        if key not in self.data:
            value = featurise(text, self.options)
            self.data[key] = value
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps([key, value]) + "\n")
            self.new += 1
        return self.data[key]


def fold_tags(names) -> set[str]:
    return {eval_tags.canonical_tag(n)[0] or n for n in names}


def load_passages(files: list[str]) -> list[dict]:
    passages = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                item = json.loads(line)  # a file still being written may end in half a line
            except ValueError:
                continue
            if not isinstance(item, dict) or not str(item.get("text", "")).strip():
                continue
            item["tags"] = fold_tags(item.get("tags") or []) & set(TAGS)
            item["near_miss_of"] = fold_tags(item.get("near_miss_of") or []) & set(TAGS)
            item["source"] = Path(path).name
            passages.append(item)
    return passages


def load_stories(folder: Path) -> list[tuple[str, str, set[str]]]:
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))["stories"]
    out = []
    for name, raw in sorted(labels.items()):
        path = folder / "stories" / name
        if path.exists():
            gold = fold_tags(raw.get("warnings", []) + raw.get("tags", []))
            out.append((name, path.read_text(encoding="utf-8"), gold))
    return out


def load_test_fixtures() -> list[tuple[str, str, set[str]]]:
    """The content stage's test stories with the tags they may have (tests/test_content.py EXPECTED, and the
    mood tags of MAY_ALSO_HAVE): near misses most of them, which a threshold must stay above."""
    import ast

    source = (ROOT / "tests" / "test_content.py").read_text(encoding="utf-8")
    assigned = {
        target.id: node.value
        for node in ast.parse(source).body if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)
    }
    expected = ast.literal_eval(assigned["EXPECTED"])
    optional = ast.literal_eval(assigned["MAY_ALSO_HAVE"])
    out = []
    for name, warnings, tags, _rating in expected:
        path = ROOT / "tests" / "fixtures" / "content" / name
        # a warning a story may carry or not still keeps the threshold above it: precision first for warnings
        allowed = set(warnings) | set(tags) | (fold_tags(optional.get(name, set())) - set(eval_tags.WARNING_GROUP))
        out.append((name, path.read_text(encoding="utf-8"), fold_tags(allowed)))
    return out


def window_sets(entry: dict, size: int) -> list[set[str]]:
    feats = [set(f) for f in entry["feats"]]
    return [set().union(*feats[a:b]) for a, b in windows(entry["paragraph"], len(feats), size)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--passages", nargs="+", default=[str(PASSAGES)], help="folders of *.jsonl passage files")
    parser.add_argument("--tags", choices=("all", "warnings", "mood"), default="all",
                        help="which tags to fit: the warning group (archive warnings and trigger tags), the mood "
                             "tags, or all")
    parser.add_argument("--base", help="a model file whose other tags are kept unchanged in --out")
    parser.add_argument("--cache", default="/tmp/ficlens_tag_features.jsonl")
    parser.add_argument("--C", type=float, default=10.0, help="inverse L2 penalty of each logistic regression")
    parser.add_argument("--min-count", type=int, default=2, help="keep features seen in at least this many texts")
    parser.add_argument("--passage-precision", type=float, default=0.8)
    parser.add_argument("--passage-precision-mood", type=float, default=0.6,
                        help="the same for the mood tags, whose passages are labelled less sharply")
    parser.add_argument("--story-precision", type=float, default=0.9,
                        help="precision the threshold must keep on the held-out dev stories")
    parser.add_argument("--near-miss-weight", type=float, default=2.0,
                        help="weight of a passage as a negative of a tag it is a near miss of")
    parser.add_argument("--max-df", type=float, default=0.1, help="leave out features in more than this share of texts")
    parser.add_argument("--drop-features", default="", help="comma-separated feature prefixes to leave out (R:,R+:)")
    parser.add_argument("--min-threshold", type=float, default=0.7)
    parser.add_argument("--max-weights", type=int, default=2500, help="largest weights kept per tag")
    parser.add_argument("--min-weight", type=float, default=0.3,
                        help="smaller weights are dropped (a feature weighs w/sqrt(n), n about 100 in a window)")
    parser.add_argument("--story-positives", type=int, default=2,
                        help="add each dev story's N best windows for each of its tags as positives (0: passages only)")
    parser.add_argument("--story-sets", default=",".join(DEV_SETS),
                        help="bench/dev story sets whose windows train the model ('stories' is bench/dev itself)")
    parser.add_argument("--threshold-sets", default=",".join([*DEV_SETS, "fixtures"]),
                        help="stories the thresholds are chosen on: bench/dev sets (scored out of fold when they "
                             "also train) and/or 'fixtures'")
    parser.add_argument("--window", type=int, default=WINDOW_SENTENCES, help="sentences per scored window (at least)")
    parser.add_argument("--normalise", type=int, default=1, help="1: features at unit length per window")
    parser.add_argument("--report", action="store_true", help="print per-tag cross-validated passage figures")
    args = parser.parse_args(argv)

    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from scipy.sparse import csr_matrix, vstack

    t0 = time.time()
    cache = FeatureCache(Path(args.cache))
    files = sorted(f for folder in args.passages for f in glob.glob(str(Path(folder) / "*.jsonl")))
    warning_group = set(eval_tags.WARNING_GROUP)
    tags_to_fit = [t for t in TAGS if args.tags == "all" or (t in warning_group) == (args.tags == "warnings")]
    passages = load_passages(files)
    print(f"{len(passages)} passages from {len(files)} files", file=sys.stderr)
    story_sets = [name for name in args.story_sets.split(",") if name]
    threshold_sets = [name for name in args.threshold_sets.split(",") if name]
    for name in story_sets + threshold_sets:
        if name != "fixtures" and name not in DEV_SETS:  # never holdout9, never bench/eval
            parser.error(f"unknown story set {name!r} (choose from {', '.join(DEV_SETS)}, fixtures)")

    # examples: (feature set, tags it is a positive of, tags it is a negative of, tags it is a near miss of,
    # the dev story set it comes from or None for a passage)
    examples: list[tuple[set[str], set[str], set[str], set[str], str | None]] = []
    for p in passages:
        feats = set().union(*(set(f) for f in cache.get(p["text"])["feats"]))
        examples.append((feats, p["tags"], set(TAGS) - p["tags"], p["near_miss_of"] - p["tags"], None))
    n_passages = len(examples)
    # each dev story's windows: negatives of the tags it lacks; for a tag it has, which window shows it is not
    # labelled, so its best windows (by a first fit without them) are added as positives in fit_tags
    story_windows: list[tuple[str, set[str], list[int]]] = []
    stories_of: dict[str, list[tuple[str, dict, set[str]]]] = {}
    for set_name in dict.fromkeys(story_sets + [t for t in threshold_sets if t != "fixtures"]):
        stories_of[set_name] = [(name, cache.get(text), gold) for name, text, gold in load_stories(DEV_SETS[set_name])]
    for set_name in story_sets:
        for _name, entry, gold in stories_of[set_name]:
            rows_of_story = []
            for w in window_sets(entry, args.window):
                rows_of_story.append(len(examples))
                examples.append((w, set(), set(TAGS) - gold, set(), set_name))
            story_windows.append((set_name, gold, rows_of_story))
    print(f"{len(examples) - n_passages} windows of {len(story_windows)} dev stories ({', '.join(story_sets)}); "
          f"{cache.new} texts parsed ({time.time() - t0:.0f} s)", file=sys.stderr)

    # vocabulary: features in at least min_count texts
    counts: dict[str, int] = {}
    for feats, *_ in examples:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    dropped = tuple(p for p in args.drop_features.split(",") if p)
    # features in more than --max-df of the texts (say, go, look) are too common to mean a tag: with a few dozen
    # positives per tag they would only learn the habits of the passages' authors
    max_count = args.max_df * len(examples)
    vocab = sorted(
        f for f, c in counts.items()
        if args.min_count <= c <= max_count and not f.startswith(dropped or ("\0",))
    )
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, (feats, *_) in enumerate(examples):
        for f in feats:
            if f in index:
                rows.append(r)
                cols.append(index[f])
    values = np.ones(len(rows))
    if args.normalise:  # each text's features at unit length, as TagModel.margins scores them
        sizes = np.array([len(feats) for feats, *_ in examples], dtype=float)
        values = 1.0 / np.sqrt(np.maximum(sizes[rows], 1.0))
    X = csr_matrix((values, (rows, cols)), shape=(len(examples), len(vocab)))

    def fit_tags(left_out: str | None = None, with_oof: bool = False):
        """One logistic regression per tag on the passages and the windows of every dev story set but
        ``left_out``; with ``with_oof``, also the passages' out-of-fold probabilities, for the thresholds."""
        fitted = {"tags": [], "bias": {}, "weights": {}, "thresholds": {}, "window_sentences": args.window,
                  "normalise": bool(args.normalise), "features_version": FEATURES_VERSION}
        out_of_fold = []
        for tag in tags_to_fit:
            mask = np.array([(tag in pos or tag in neg) and (left_out is None or group != left_out)
                             for _, pos, neg, _, group in examples])
            y = np.array([tag in pos for _, pos, *_ in examples])[mask]
            sample_weight = np.array([args.near_miss_weight if tag in near else 1.0 for *_, near, _ in examples])[mask]
            Xt = X[mask]
            n_pos = int(y.sum())
            if n_pos < 3:
                if with_oof:
                    print(f"{tag}: {n_pos} positive passages, skipped", file=sys.stderr)
                continue
            clf = LogisticRegression(C=args.C, solver="liblinear", class_weight="balanced", max_iter=200)
            if args.story_positives:
                clf.fit(Xt, y, sample_weight=sample_weight)
                best_rows = []
                for set_name, gold, rows_of_story in story_windows:
                    if set_name != left_out and tag in gold and rows_of_story:
                        margins = clf.decision_function(X[rows_of_story])
                        for i in np.argsort(-margins)[: args.story_positives]:
                            best_rows.append(rows_of_story[int(i)])
                if best_rows:
                    Xt = vstack([Xt, X[best_rows]]).tocsr()
                    y = np.concatenate([y, np.ones(len(best_rows), dtype=bool)])
                    sample_weight = np.concatenate([sample_weight, np.ones(len(best_rows))])
            if with_oof:
                oof = cross_val_predict(
                    clf, Xt, y, cv=StratifiedKFold(min(5, n_pos), shuffle=True, random_state=0),
                    method="predict_proba", params={"sample_weight": sample_weight},
                )[:, 1]
                n_passage_rows = int(mask[:n_passages].sum())
                out_of_fold.append((tag, n_pos, oof[:n_passage_rows], y[:n_passage_rows]))
            clf.fit(Xt, y, sample_weight=sample_weight)
            coef = clf.coef_[0]
            keep = np.argsort(-np.abs(coef))[: args.max_weights]
            fitted["tags"].append(tag)
            fitted["bias"][tag] = round(float(clf.intercept_[0]), 4)
            fitted["weights"][tag] = {vocab[i]: round(float(coef[i]), 4) for i in keep if abs(coef[i]) >= args.min_weight}
            fitted["thresholds"][tag] = None
        return fitted, out_of_fold

    model, report = fit_tags(with_oof=True)

    # the stories the thresholds are chosen on, each scored by a model that never trained on it: a dev set that
    # trains the model is scored by the model fitted without it
    def best_scores(scorer: TagModel, entry: dict) -> dict[str, float]:
        scores = scorer.score_story([set(f) for f in entry["feats"]], entry["paragraph"])
        return {t: s.probability for t, s in scores.items()}

    story_best = []
    for set_name in threshold_sets:
        if set_name == "fixtures":
            scorer = TagModel(model)
            for name, text, gold in load_test_fixtures():
                story_best.append((f"tests/{name}", best_scores(scorer, cache.get(text)), gold))
            continue
        scorer = TagModel(fit_tags(left_out=set_name)[0] if set_name in story_sets else model)
        for name, entry, gold in stories_of[set_name]:
            story_best.append((f"{set_name}/{name}", best_scores(scorer, entry), gold))

    # thresholds: from the passages' out-of-fold scores and the held-out stories' best windows
    for tag, n_pos, oof, y in report:
        # candidate thresholds: every passage's and every story's score (a story's own score keeps it in)
        story_scores = {round(b.get(tag, 0.0), 4) for _, b, _ in story_best}
        candidates = sorted(set(np.round(oof, 4).tolist()) | story_scores | {args.min_threshold}) + [1.0]
        chosen = 1.0
        for t in candidates:
            if t < args.min_threshold:
                continue
            pred = oof >= t
            tp = int((pred & y).sum())
            fp = int((pred & ~y).sum())
            needed = args.passage_precision if tag in eval_tags.WARNING_GROUP else args.passage_precision_mood
            if tp + fp >= 3 and tp / (tp + fp) < needed:
                continue
            # the content stage's test stories: none may gain a tag it should not have
            if any(best.get(tag, 0) >= t and tag not in gold for name, best, gold in story_best
                   if name.startswith("tests/")):
                continue
            # the held-out dev stories: precision at least --story-precision (no false positive while the
            # true ones are fewer than it allows for)
            s_tp = sum(1 for n, b, g in story_best if not n.startswith("tests/") and b.get(tag, 0) >= t and tag in g)
            s_fp = sum(1 for n, b, g in story_best if not n.startswith("tests/") and b.get(tag, 0) >= t and tag not in g)
            if s_fp and s_tp / (s_tp + s_fp) < args.story_precision:
                continue
            chosen = t
            break
        model["thresholds"][tag] = round(float(chosen), 4)
        pred = oof >= chosen
        tp, fp, fn = int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())
        s_tp = sum(1 for _, b, g in story_best if b.get(tag, 0) >= chosen and tag in g)
        s_fn = sum(1 for _, b, g in story_best if b.get(tag, 0) < chosen and tag in g)
        if args.report:
            neg = sorted(((round(b.get(tag, 0), 2), n) for n, b, g in story_best if tag not in g), reverse=True)[:3]
            pos = sorted(round(b.get(tag, 0), 2) for _, b, g in story_best if tag in g)
            print(f"    {tag}: held-out stories with it {pos}, top without it {neg}", file=sys.stderr)
            print(f"{tag:32s} pos {n_pos:4d} thr {chosen:.3f}  passages TP {tp:3d} FP {fp:3d} FN {fn:3d}"
                  f"  held-out stories TP {s_tp} FN {s_fn}", file=sys.stderr)

    model["_about"] = (
        f"{args.tags} tags: per-tag logistic regression over windows of sentence features "
        f"(ficlens.stages.content_model), fitted by train/train_tags.py on {n_passages} passages from {len(files)} "
        f"files and the windows of the bench/dev sets {args.story_sets}; thresholds chosen on {args.threshold_sets} "
        "(dev sets scored out of fold; fixtures: tests/fixtures/content)."
    )
    if args.base:  # the tags not fitted here come from the base model unchanged
        base = json.loads(Path(args.base).read_text(encoding="utf-8"))
        if any(base.get(k) != model[k] for k in ("window_sentences", "normalise", "features_version")):
            parser.error(f"{args.base} reads windows or features differently; retrain it with these settings")
        kept = [t for t in base["tags"] if t not in model["tags"]]
        for key in ("bias", "weights", "thresholds"):
            model[key].update({t: base[key][t] for t in kept})
        model["tags"] = [t for t in TAGS if t in model["tags"] or t in kept]
        model["_about"] = f"{base['_about']} | {model['_about']}"
    Path(args.out).write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                              encoding="utf-8")
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.2f} MB, {len(vocab)} features in vocabulary) in {time.time() - t0:.0f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
