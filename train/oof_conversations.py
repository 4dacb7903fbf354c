"""Where the ranker's errors are: out-of-fold speaker accuracy on the PDNC training novels by how many people
speak in the conversation, and for lines whose speaker spoke two turns before, by whether the two turns before
were attributed right.

    .venv/bin/python train/oof_conversations.py [--folds 4]

Each fold's novels are read by a ranker trained (as train_ranker.py trains, with its defaults) on the other
folds, as one assignment of ``train_ranker.py --cv``.  A conversation is a run of gold quotations less than
CONVERSATION_GAP characters apart.  About ten minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdnc_eval  # noqa: E402
import train_ranker  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONVERSATION_GAP = 300


def judged_lines(novel: str) -> list[dict]:
    """Each gold quotation ficlens found, in story order: its type, gold speaker and whether ficlens is right."""
    chars, name_to_ids, gold = pdnc_eval.load_gold(novel)
    text = (pdnc_eval.PDNC / novel / "novel_text.txt").read_text(encoding="utf-8")
    story, _ = pdnc_eval.analyze(text)
    preds = sorted(story.quotes, key=lambda q: q.start)
    starts = [q.start for q in preds]
    lines = []
    for g in sorted(gold, key=lambda g: g["start"]):
        if g["speaker"] is None:
            continue
        best = pdnc_eval.matched(g, preds, starts)
        if best is None:
            continue
        lines.append({"type": g["type"], "speaker": g["speaker"], "start": g["start"], "end": g["end"],
                      "ok": pdnc_eval.correct(story.character(best.speaker), g["speaker"], name_to_ids)})
    return lines


def conversations(lines: list[dict]) -> list[list[dict]]:
    out: list[list[dict]] = []
    for line in lines:
        if out and line["start"] - out[-1][-1]["end"] < CONVERSATION_GAP:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=4)
    args = ap.parse_args(argv)
    novels = json.loads((ROOT / "bench" / "splits.json").read_text())["train"]
    by_size, after_two = Counter(), Counter()
    for fold in (novels[i :: args.folds] for i in range(args.folds)):
        train_ranker.use_model(train_ranker.train([n for n in novels if n not in fold], "trees", 2, quiet=True))
        for novel in fold:
            for conv in conversations(judged_lines(novel)):
                people = min(len({line["speaker"] for line in conv}), 4)
                for k, line in enumerate(conv):
                    by_size[(people, line["type"], "n")] += 1
                    by_size[(people, line["type"], "ok")] += line["ok"]
                    if k >= 2 and line["type"] == "implicit" and conv[k - 2]["speaker"] == line["speaker"]:
                        history = ("right" if conv[k - 1]["ok"] else "wrong", "right" if conv[k - 2]["ok"] else "wrong")
                        after_two[(history, "n")] += 1
                        after_two[(history, "ok")] += line["ok"]
            print(f"  {novel}", file=sys.stderr, flush=True)
    print("people speaking  type        lines  accuracy")
    for people in (1, 2, 3, 4):
        for kind in ("explicit", "anaphoric", "implicit"):
            n = by_size[(people, kind, "n")]
            if n:
                label = f"{people}{'+' if people == 4 else ''}"
                print(f"{label:>15}  {kind:10s} {n:6d}  {by_size[(people, kind, 'ok')] / n:.3f}")
    print("\nimplicit lines of the one who spoke two turns before, by the turns before (previous, two before):")
    for history in sorted({h for h, _ in after_two}):
        n = after_two[(history, "n")]
        print(f"  previous {history[0]:5s}, two before {history[1]:5s}: {n:5d} lines, "
              f"accuracy {after_two[(history, 'ok')] / n:.3f}")


if __name__ == "__main__":
    main()
