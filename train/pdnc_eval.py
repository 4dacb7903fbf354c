"""Quick scorer for speaker attribution on PDNC, end to end, with the rule in DESIGN.md.

    .venv/bin/python train/pdnc_eval.py [--split held_out|train|all] [NOVEL ...] [--errors N] [--roster] [--causes]

Reads the novels from ../shared/data/pdnc (never copied into the project).  Used while developing the
characters and attribution stages; the benchmark of record is bench/pdnc_speakers.py.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import csv
import hashlib
import json
import os
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDNC = ROOT.parent / "shared" / "data" / "pdnc"
STAGES = ("structure", "quotes", "characters", "attribution")

csv.field_size_limit(10**9)


def norm(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[.'’]", "", name.lower())).strip()


def load_gold(novel: str):
    folder = PDNC / novel
    chars = {}
    for row in csv.DictReader(open(folder / "character_info.csv", encoding="utf-8")):
        aliases = ast.literal_eval(row["Aliases"]) if row["Aliases"].strip() else set()
        names = {norm(row["Main Name"])} | {norm(a) for a in aliases}
        chars[row["Character ID"]] = {"main": row["Main Name"].strip(), "names": names,
                                      "gender": row["Gender"], "aliases": aliases}
    name_to_ids = defaultdict(set)
    for cid, c in chars.items():
        for n in c["names"]:
            name_to_ids[n].add(cid)
    quotes = []
    for row in csv.DictReader(open(folder / "quotation_info.csv", encoding="utf-8")):
        spans = json.loads(row["quoteByteSpans"])
        speaker = norm(row["speaker"])
        ids = name_to_ids.get(speaker, set())
        quotes.append({"spans": spans, "start": min(s for s, _ in spans), "end": max(e for _, e in spans),
                       "speaker": next(iter(ids)) if len(ids) == 1 else None, "type": row["quoteType"].lower(),
                       "speaker_name": row["speaker"].strip(), "addressees": row["addressees"]})
    return chars, name_to_ids, quotes


def correct(character, gold_id, name_to_ids) -> bool:
    if character is None or gold_id is None:
        return False
    ids = name_to_ids.get(norm(character.name), set())
    if len(ids) == 1:
        return gold_id in ids
    votes = Counter()
    for alias in character.aliases:
        for i in name_to_ids.get(norm(alias), ()):
            votes[i] += 1
    total = len(character.aliases)
    return total > 0 and votes[gold_id] > total / 2


# FICLENS_STAGE_CACHE=DIR keeps each novel's story as the characters stage leaves it (keyed by the text and by
# every source file but the attribution stage's), so that attribution work can be measured again in seconds.
STAGE_CACHE = os.environ.get("FICLENS_STAGE_CACHE")


def _source_key() -> str:
    src = ROOT / "src" / "ficlens"
    h = hashlib.sha256()
    for f in sorted(src.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".txt", ".json") and "attribution" not in f.name:
            h.update(str(f.relative_to(src)).encode() + f.read_bytes())
    return h.hexdigest()[:16]


def analyze(text: str, roster=None):
    from ficlens.ingest import from_text
    from ficlens.pipeline import Context, Options, run

    if STAGE_CACHE and roster is None:
        before, after = STAGES[: STAGES.index("attribution")], STAGES[STAGES.index("attribution") :]
        key = hashlib.sha256(text.encode()).hexdigest()[:16] + "-" + _source_key()
        path = Path(STAGE_CACHE) / f"{key}.pickle"
        t0 = time.process_time()
        if path.exists():
            story, cache = pickle.loads(path.read_bytes())
        else:
            story = from_text(text)
            ctx = Context(Options(stages=before))
            run(story, ctx=ctx)
            cache = ctx.cache
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.partial")  # two runs sharing the cache never read half a file
            partial.write_bytes(pickle.dumps((story, cache)))
            os.replace(partial, path)
        ctx = Context(Options(stages=after), cache=cache)
        run(story, ctx=ctx)
        return story, time.process_time() - t0
    story = from_text(text)
    t0 = time.process_time()
    run(story, Options(stages=STAGES, roster=roster))
    return story, time.process_time() - t0


def evaluate(novel: str, errors: int = 0, use_roster: bool = False, causes: Counter | None = None):
    """Score one novel.  ``causes``: a Counter that each wrong line's cause (see ``CAUSES``) is added to."""
    chars, name_to_ids, gold = load_gold(novel)
    text = (PDNC / novel / "novel_text.txt").read_text(encoding="utf-8")
    roster = None
    if use_roster:
        from ficlens.roster import RosterEntry

        roster = [RosterEntry(c["main"], sorted(a for a in c["aliases"] if a != "_narr"),
                              {"M": "M", "F": "F"}.get(c["gender"])) for c in chars.values()]
    candidates: dict[int, set[str]] = {}
    if causes is None:
        story, cpu = analyze(text, roster)
    else:  # with the ranker's candidates for each line it decided, collected as train/train_ranker.py collects them
        from ficlens.stages import attribution

        attribution.COLLECT = []
        try:
            story, cpu = analyze(text, roster)
            candidates = {q.start: set(features) for q, features in attribution.COLLECT}
        finally:
            attribution.COLLECT = None
    preds = sorted(story.quotes, key=lambda q: q.start)
    starts = [q.start for q in preds]
    res = Counter()
    by_rule = Counter()
    shown = 0
    matched_pred = set()
    for g in gold:
        best = matched(g, preds, starts)
        t = g["type"]
        res["n"] += 1
        res[f"n_{t}"] += 1
        if best is None:
            res["miss"] += 1
            if causes is not None:
                causes[CAUSES[0]] += 1
            continue
        matched_pred.add(id(best))
        ch = story.character(best.speaker)
        ok = correct(ch, g["speaker"], name_to_ids)
        addressed = gold_addressees(g, name_to_ids)
        if addressed:  # is the first addressee ficlens names one of those the gold lists?
            res["n_addr"] += 1
            first = story.character(best.addressees[0]) if best.addressees else None
            res["ok_addr"] += any(correct(first, gid, name_to_ids) for gid in addressed)
        if ok:
            res["ok"] += 1
            res[f"ok_{t}"] += 1
        elif causes is not None:
            causes[why_wrong(story, best, g["speaker"], name_to_ids, candidates)] += 1
        by_rule[(best.confidence, ok)] += 1
        if not ok and shown < errors:
            shown += 1
            ctx = text[max(0, best.start - 150) : best.end + 100].replace("\n", " ")
            print(f"--- [{t}] gold={g['speaker_name']} pred={ch.name if ch else None} ({best.method} {best.confidence})")
            print("   ", ctx)
    # quote span precision
    gold_spans = sorted((g["start"], g["end"]) for g in gold)
    gstarts = [s for s, _ in gold_spans]
    tp = 0
    for q in preds:
        i = bisect.bisect_left(gstarts, q.start) - 2
        if any(min(q.end, e) > max(q.start, s) for s, e in gold_spans[max(i, 0) : max(i, 0) + 6]):
            tp += 1
    res["pred"] = len(preds)
    res["pred_tp"] = tp
    res["tokens"] = len(text.split())
    res["cpu"] = cpu
    return res, by_rule, story


CAUSES = (
    "no quotation found there",
    "the speaker is none of ficlens's characters",
    "left with no speaker",
    "a tag named someone else",
    "the speaker was not among the ranker's candidates",
    "the ranker preferred another candidate",
    "a rule chose someone else",
)


def why_wrong(story, quote, gold_id: str, name_to_ids, candidates: dict[int, set[str]]) -> str:
    """Which step lost a wrongly attributed line (one of ``CAUSES``): the cast, a tag, the ranker's candidate
    pool, the ranker's choice, or another rule (a pronoun tag's paragraph, the narrator...)."""
    if not any(correct(c, gold_id, name_to_ids) for c in story.characters):
        return CAUSES[1]
    if quote.speaker is None:
        return CAUSES[2]
    if quote.method == "explicit":
        return CAUSES[3]
    pool = candidates.get(quote.start)
    if pool is not None:
        right = any(correct(story.character(c), gold_id, name_to_ids) for c in pool)
        return CAUSES[5] if right else CAUSES[4]
    return CAUSES[6]


def matched(g: dict, preds: list, starts: list[int]):
    """The predicted quotation (of ``preds``, sorted, starting at ``starts``) that overlaps the gold quotation
    ``g`` most, or None when none does."""
    i = max(bisect.bisect_left(starts, g["start"]) - 2, 0)
    best, best_ov = None, 0
    for q in preds[i : i + 6]:
        ov = min(q.end, g["end"]) - max(q.start, g["start"])
        if ov > best_ov:
            best, best_ov = q, ov
    return best


def gold_addressees(g: dict, name_to_ids) -> set[str]:
    """The gold quotation's addressees that name one character each."""
    try:
        names = ast.literal_eval(g["addressees"]) if g["addressees"] else []
    except (ValueError, SyntaxError):
        return set()
    ids = (name_to_ids.get(norm(n), set()) for n in names if isinstance(n, str))
    return {next(iter(i)) for i in ids if len(i) == 1}


def summary(res: Counter) -> str:
    """Accuracy overall and by quotation type, span recall and precision, speed."""
    return (f"acc {res['ok'] / max(1, res['n']):.3f}  expl {res['ok_explicit'] / max(1, res['n_explicit']):.3f}"
            f"  anap {res['ok_anaphoric'] / max(1, res['n_anaphoric']):.3f}"
            f"  impl {res['ok_implicit'] / max(1, res['n_implicit']):.3f}"
            f"  addr {res['ok_addr'] / max(1, res['n_addr']):.3f}"
            f"  R {1 - res['miss'] / max(1, res['n']):.3f} P {res['pred_tp'] / max(1, res['pred']):.3f}"
            f"  tok/cpu-s {res['tokens'] / max(1e-9, res['cpu']):.0f}")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("novels", nargs="*")
    ap.add_argument("--split", default="held_out")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--roster", action="store_true")
    ap.add_argument("--rules-only", action="store_true", help="hand rules, not the shipped ranker")
    ap.add_argument("--causes", action="store_true",
                    help="count the wrong lines by the step that lost them (cast, tag, candidates, ranker, rule)")
    args = ap.parse_args(argv)
    if args.causes and args.rules_only:
        ap.error("--causes reads the ranker's candidates: not with --rules-only")
    if args.rules_only:
        from ficlens.stages import attribution

        attribution.USE_RANKER = False
    splits = json.loads((ROOT / "bench" / "splits.json").read_text())
    novels = args.novels or (splits["held_out"] + splits["train"] if args.split == "all" else splits[args.split])
    total = Counter()
    rules = Counter()
    causes = Counter() if args.causes else None
    for novel in novels:
        res, by_rule, story = evaluate(novel, args.errors, args.roster, causes)
        total.update(res)
        rules.update(by_rule)
        print(f"{novel:32s} {summary(res)}  chars {len(story.characters)}", flush=True)
    print(f"{'TOTAL':32s} {summary(total)}")
    by_confidence = Counter()
    for (confidence, ok), n in rules.items():
        by_confidence[(min(9, int(confidence * 10)) / 10, ok)] += n
    for (confidence, ok), n in sorted(by_confidence.items()):
        print(f"   confidence >= {confidence:.1f} {'ok ' if ok else 'bad'} {n}")
    if causes is not None:
        wrong = total["n"] - total["ok"]
        print(f"wrong lines by cause ({wrong}):")
        for cause in CAUSES:
            print(f"   {causes[cause]:6d}  {causes[cause] / max(1, wrong):6.1%}  {cause}")


if __name__ == "__main__":
    sys.exit(main())
