"""Score the content stage's warnings and additional tags on the development set in bench/dev.

Reuses the counting of bench/eval_tags.py (same tag names, groups and variants); gold tags are folded onto the
scorer's spellings ("Alcohol Abuse" and "Drug Abuse" count as "Alcohol or Drug Abuse").  Runs in this process.

    .venv/bin/python bench/dev_tags.py [--stories GLOB] [--labels FILE] [--show-errors] [--evidence]
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import eval_tags  # noqa: E402  (the shared counting; bench/ is not a package)


def gold_entry(raw: dict) -> dict:
    def fold(names):
        return sorted({eval_tags.canonical_tag(n)[0] or n for n in names})

    return {
        "warnings": fold(raw.get("warnings", [])),
        "tags": fold(raw.get("tags", [])),
        "suicide_detail": raw.get("suicide_detail"),
        "tense": raw.get("tense"),
        "pov": raw.get("pov"),
        "rating": raw.get("rating"),
        "relationships": raw.get("relationships", []),
    }


def analyse(path: str):
    """The pipeline up to the content stage (what the scores read), fandom detection included."""
    import ficlens
    from ficlens.pipeline import STAGES, Options, run

    stages = STAGES[: STAGES.index("content") + 1]
    return run(ficlens.read(path), Options(stages=stages))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", default=str(HERE / "dev" / "stories" / "*.txt"))
    parser.add_argument("--labels", default=str(HERE / "dev" / "labels.json"))
    parser.add_argument("--show-errors", action="store_true", help="list each story's missed and extra tags")
    parser.add_argument("--evidence", action="store_true", help="print each finding's evidence sentences")
    args = parser.parse_args(argv)

    labels = {k: gold_entry(v) for k, v in json.loads(Path(args.labels).read_text("utf-8"))["stories"].items()}
    paths = [p for p in sorted(glob.glob(args.stories)) if Path(p).name in labels]
    preds = {}
    for path in paths:
        name = Path(path).name
        story = analyse(path)
        preds[name] = eval_tags.predictions(story)
        if args.evidence:
            print(f"== {name}")
            for f in story.warnings + story.tags.freeform:
                print(f"  {f.tag} ({f.confidence}{', ' + f.detail if f.detail else ''})")
                for e in f.evidence:
                    print(f"      | {' '.join(e.text.split())[:160]}")
    result = eval_tags.score(labels, preds)
    lines = ["-- per tag"]
    for tag, m in result["per_tag"].items():
        lines.append(
            f"{tag:34s} gold {m['gold']:2d} TP {m['tp']:2d} FP {m['fp']:2d} FN {m['fn']:2d}"
            f"  P {eval_tags.fmt(m['precision'])}  R {eval_tags.fmt(m['recall'])}"
        )
    lines.append("-- groups")
    for name, m in result["groups"].items():
        lines.append(
            f"{name:44s} TP {m['tp']:3d} FP {m['fp']:3d} FN {m['fn']:3d}"
            f"  P {eval_tags.fmt(m['precision'])}  R {eval_tags.fmt(m['recall'])}  F1 {eval_tags.fmt(m['f1'])}"
        )
    print("\n".join(lines))
    if args.show_errors:
        print("-- errors by story")
        for name in sorted(preds):
            gold = set(labels[name]["warnings"] + labels[name]["tags"])
            pred = set(preds[name]["tags"])
            extra, missed = sorted(pred - gold), sorted(gold - pred)
            unscored = preds[name]["unscored_tags"]
            if extra or missed or unscored:
                print(f"  {name}: missed {missed} extra {extra}" + (f" unscored {unscored}" if unscored else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
