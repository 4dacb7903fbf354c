"""Score the relationships stage on the stories in bench/dev_relationships (labels in labels.json).

    .venv/bin/python bench/dev_relationships/score.py [--set dev|heldout|fresh|fresh2|fresh3|final|final2|fresh4|all] [--evidence] [--only NAME]

dev: stories/ with labels.json (the rules were tuned on these); heldout: heldout/ with labels_heldout.json
(written after the first round of tuning, labelled before any run); fresh: fresh/ with labels_fresh.json
(written after the second round, labelled before any run); fresh2: fresh2/ with labels_fresh2.json (longer
stories with scene breaks, written after the third round, labelled before any run); fresh3: fresh3/ with labels_fresh3.json
(written after the fourth round, labelled before any run); final: final/ with labels_final.json (written
after the fifth round); final2: final2/ with labels_final2.json (written after all tuning, scored once,
no change after it, until the 2026-12-05 round); fresh4: fresh4/ with labels_fresh4.json (12 longer stories,
written on 2026-12-05 before that round).

Counting as bench/eval_tags.py does (its relationship_key and _rel_match): a predicted pair matches a gold pair
when each predicted name's words are among one gold name's words; "strict" also needs the kind (A/B versus A & B).
Runs the pipeline up to the relationships stage in this process.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import eval_tags  # noqa: E402  (the shared counting; bench/ is not a package)

# set name -> (folder, label file), in the order they were written
SETS = {"dev": ("stories", "labels.json"), "heldout": ("heldout", "labels_heldout.json"),
        "fresh": ("fresh", "labels_fresh.json"), "fresh2": ("fresh2", "labels_fresh2.json"),
        "fresh3": ("fresh3", "labels_fresh3.json"), "final": ("final", "labels_final.json"),
        "final2": ("final2", "labels_final2.json"), "fresh4": ("fresh4", "labels_fresh4.json")}

STAGES = ("structure", "fandom", "quotes", "characters", "attribution", "narrative", "content", "relationships")


def analyse(path: Path):
    import ficlens
    from ficlens.pipeline import Context, Options, stage_function

    story = ficlens.read(str(path))
    ctx = Context(Options(stages=STAGES))
    for name in STAGES:
        stage_function(name)(story, ctx)
    return story


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evidence", action="store_true", help="print each predicted pair's evidence")
    parser.add_argument("--only", help="score one story (file name)")
    parser.add_argument("--set", choices=(*SETS, "all"), default="dev", help="one set, or all of them pooled")
    args = parser.parse_args(argv)
    chosen = {args.set: SETS[args.set]} if args.set != "all" else {
        name: files for name, files in SETS.items() if (HERE / files[1]).exists()}
    labelled = []
    for folder, label_file in chosen.values():
        labels = json.loads((HERE / label_file).read_text("utf-8"))["stories"]
        labelled += [(HERE / folder / name, gold_tags) for name, gold_tags in sorted(labels.items())]
    totals = {True: [0, 0, 0], False: [0, 0, 0]}
    for path, gold_tags in labelled:
        name = path.name
        if args.only and name != args.only:
            continue
        story = analyse(path)
        gold = {k for k in (eval_tags.relationship_key(t) for t in gold_tags) if k}
        pred = {k for k in (eval_tags.relationship_key(r.tag, r.kind) for r in story.tags.relationships) if k}
        for strict in (True, False):
            for i, n in enumerate(eval_tags._rel_match(gold, pred, strict)):
                totals[strict][i] += n
        tp, fp, fn = eval_tags._rel_match(gold, pred, True)
        mark = "ok " if not fp and not fn else "ERR"
        print(f"{mark} {name}: predicted {[r.tag for r in story.tags.relationships]}, expected {gold_tags}")
        if args.evidence:
            for r in story.tags.relationships:
                print(f"     {r.tag} ({r.confidence})")
                for e in r.evidence:
                    print(f"        | {e.text[:110]}")
    for strict in (True, False):
        tp, fp, fn = totals[strict]
        p, r = prf(tp, fp, fn)
        label = "kind + pair" if strict else "pair only"
        print(f"{label:12s} tp={tp} fp={fp} fn={fn} precision={p:.2f} recall={r:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
