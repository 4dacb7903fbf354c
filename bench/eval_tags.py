"""Score ficlens's warnings, additional tags, tense, POV, rating and relationships on the labelled set.

The set is bench/eval/stories/*.txt with gold labels in bench/eval/labels.json (see bench/eval/README.md; the
labels were fixed and committed before ficlens was ever run on these stories).

    .venv/bin/python bench/eval_tags.py [--stories GLOB] [--labels FILE] [--json-out FILE] [--show-errors]
                                        [--timeout S] [--max-memory-mb MB] [--no-isolate]

Counting: each (story, tag) pair is one decision.  A tag is predicted for a story when it appears as
story.warnings[*].tag or story.tags.freeform[*].tag (names compared case- and punctuation-insensitively, with a few
common variants folded onto the AO3 spelling).  Per tag: TP/FP/FN over stories, precision, recall, F1.

Groups:
  warnings = the AO3 archive warnings (Graphic Depictions Of Violence, Major Character Death, Rape/Non-Con,
             Underage) + the trigger tags (Suicide, Suicidal Thoughts, Self-Harm, Alcohol or Drug Abuse,
             Blood and Gore, Torture, Abuse): what a reader filters on to avoid harm.  Micro-averaged.
  mood     = War, Grief/Mourning, Guilt, Angst, Hurt/Comfort, Fluff, Humor, Romance, Friendship.
The Suicide detail (depicted/mentioned, from TagFinding.detail) is scored as two extra lines,
"Suicide (depicted)" and "Suicide (mentioned)", and as agreement where both gold and prediction have Suicide.
Tense: story.narrative.tense against the label; "mixed" or missing counts wrong.  POV likewise.

Running: each story is analysed in a forked child with a time limit (--timeout) and a memory limit
(--max-memory-mb), running only the stages that feed the scores, each stage in its own try, so a stage that raises
or runs away loses only its own output for that story (reported on stderr and under --show-errors) and the run
goes on.  --no-isolate runs everything in this process instead.
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_STORIES = str(HERE / "eval" / "stories" / "*.txt")
DEFAULT_LABELS = HERE / "eval" / "labels.json"

ARCHIVE_WARNINGS = ["Graphic Depictions Of Violence", "Major Character Death", "Rape/Non-Con", "Underage"]
TRIGGER_TAGS = ["Suicide", "Suicidal Thoughts", "Self-Harm", "Alcohol or Drug Abuse", "Blood and Gore", "Torture", "Abuse"]
MOOD_TAGS = ["War", "Grief/Mourning", "Guilt", "Angst", "Hurt/Comfort", "Fluff", "Humor", "Romance", "Friendship"]
WARNING_GROUP = ARCHIVE_WARNINGS + TRIGGER_TAGS
ALL_TAGS = WARNING_GROUP + MOOD_TAGS
SUICIDE_DETAILS = ["depicted", "mentioned"]

# Common spellings of the same tag that a stage might emit; keys are compared after _key().
VARIANTS = {
    "graphic violence": "Graphic Depictions Of Violence",
    "character death": "Major Character Death",
    "rape": "Rape/Non-Con",
    "non con": "Rape/Non-Con",
    "noncon": "Rape/Non-Con",
    "suicidal ideation": "Suicidal Thoughts",
    "self harm": "Self-Harm",
    "selfharm": "Self-Harm",
    "alcohol abuse": "Alcohol or Drug Abuse",
    "drug abuse": "Alcohol or Drug Abuse",
    "substance abuse": "Alcohol or Drug Abuse",
    "alcohol and drug abuse": "Alcohol or Drug Abuse",
    "blood gore": "Blood and Gore",
    "gore": "Blood and Gore",
    "grief": "Grief/Mourning",
    "mourning": "Grief/Mourning",
    "grief mourning": "Grief/Mourning",
    "hurt comfort": "Hurt/Comfort",
    "humour": "Humor",
}


def _key(name: str) -> str:
    """Case-, punctuation- and spacing-insensitive form of a tag name."""
    text = name.casefold().replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


CANONICAL = {_key(t): t for t in ALL_TAGS}
CANONICAL.update({_key(k): v for k, v in VARIANTS.items()})


def canonical_tag(name: str) -> tuple[str | None, str | None]:
    """Map a predicted tag name to (AO3 spelling or None, suicide detail folded into the name or None)."""
    key = _key(name or "")
    if key in CANONICAL:
        return CANONICAL[key], None
    # "Suicide (depicted)", "Suicide - mentioned" and the like.
    for detail in SUICIDE_DETAILS:
        if key in (f"suicide {detail}", f"{detail} suicide"):
            return "Suicide", detail
    return None, None


# ---------------------------------------------------------------- relationships

def _name_key(name: str) -> frozenset[str]:
    """A character name as a set of lowercase word tokens, so that name order ("Kakashi Hatake") does not matter."""
    words = re.sub(r"[^0-9a-z]+", " ", name.casefold().replace("|", " ")).split()
    return frozenset(words)


def relationship_key(tag: str, kind: str | None = None) -> tuple[str, frozenset[frozenset[str]]] | None:
    if not tag:
        return None
    if kind is None:
        kind = "romantic" if "/" in tag else "platonic"
    names = [part for part in re.split(r"\s*[/&]\s*", tag) if part.strip()]
    if len(names) < 2:
        return None
    return kind, frozenset(_name_key(n) for n in names)


def _name_matches(pred: frozenset[str], gold: frozenset[str]) -> bool:
    """A predicted name names a gold character when its words are among the gold name's words: a story that never
    says "Hatake" is right to call him "Kakashi" (the same leniency as the PDNC rule's aliases)."""
    return bool(pred) and pred <= gold


def _pair_matches(pred: frozenset, gold: frozenset) -> bool:
    p1, p2 = (sorted(pred, key=sorted) + [frozenset()])[:2]
    g1, g2 = (sorted(gold, key=sorted) + [frozenset()])[:2]
    return (_name_matches(p1, g1) and _name_matches(p2, g2)) or (_name_matches(p1, g2) and _name_matches(p2, g1))


def _rel_match(gold: set, pred: set, strict: bool) -> tuple[int, int, int]:
    unmatched = list(gold)
    tp = 0
    for p_kind, p_names in pred:
        for g in unmatched:
            g_kind, g_names = g
            if (not strict or g_kind == p_kind) and _pair_matches(p_names, g_names):
                unmatched.remove(g)
                tp += 1
                break
    return tp, len(pred) - tp, len(gold) - tp


# ---------------------------------------------------------------- predictions

def predictions(story) -> dict:
    """What ficlens said about one story, reduced to what is scored; tolerant of stages that produced nothing."""
    tags: set[str] = set()
    unscored: list[str] = []
    suicide_detail = None
    findings = list(getattr(story, "warnings", None) or [])
    story_tags = getattr(story, "tags", None)
    findings += list(getattr(story_tags, "freeform", None) or [])
    for finding in findings:
        raw = getattr(finding, "tag", "") or ""
        tag, detail = canonical_tag(raw)
        if tag is None:
            unscored.append(raw)
            continue
        tags.add(tag)
        if tag == "Suicide":
            detail = detail or getattr(finding, "detail", None)
            if detail:
                detail = str(detail).casefold()
                # "depicted" wins if a stage emits both (it is the stronger claim).
                if suicide_detail != "depicted":
                    suicide_detail = detail
    narrative = getattr(story, "narrative", None)
    rating = getattr(story, "rating", None)
    rels = []
    for rel in getattr(story_tags, "relationships", None) or []:
        rels.append({"tag": getattr(rel, "tag", ""), "kind": getattr(rel, "kind", None)})
    return {
        "tags": sorted(tags),
        "unscored_tags": sorted(set(unscored)),
        "suicide_detail": suicide_detail,
        "tense": getattr(narrative, "tense", None),
        "pov": getattr(narrative, "pov", None),
        "rating": getattr(rating, "rating", None) if rating else None,
        "relationships": rels,
    }


# ---------------------------------------------------------------- scoring

def prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None or recall is None or precision + recall == 0:
        f1 = None if precision is None or recall is None else 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def score(gold_by_name: dict, pred_by_name: dict) -> dict:
    names = sorted(pred_by_name)
    per_tag = {}
    lines = ALL_TAGS + [f"Suicide ({d})" for d in SUICIDE_DETAILS]
    for line in lines:
        tp = fp = fn = tn = 0
        for name in names:
            gold, pred = gold_by_name[name], pred_by_name[name]
            if line.startswith("Suicide ("):
                detail = line[len("Suicide ("):-1]
                g = gold.get("suicide_detail") == detail
                p = "Suicide" in pred["tags"] and pred["suicide_detail"] == detail
            else:
                g = line in gold["warnings"] + gold["tags"]
                p = line in pred["tags"]
            tp += g and p
            fp += p and not g
            fn += g and not p
            tn += not g and not p
        precision, recall, f1 = prf(tp, fp, fn)
        per_tag[line] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "gold": tp + fn,
                         "precision": precision, "recall": recall, "f1": f1}

    def group(tags: list[str]) -> dict:
        tp = sum(per_tag[t]["tp"] for t in tags)
        fp = sum(per_tag[t]["fp"] for t in tags)
        fn = sum(per_tag[t]["fn"] for t in tags)
        precision, recall, f1 = prf(tp, fp, fn)
        return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}

    groups = {
        "warnings (archive warnings + trigger tags)": group(WARNING_GROUP),
        "archive warnings only": group(ARCHIVE_WARNINGS),
        "trigger tags only": group(TRIGGER_TAGS),
        "mood tags": group(MOOD_TAGS),
        "all tags": group(ALL_TAGS),
    }

    both_suicide = [n for n in names if gold_by_name[n].get("suicide_detail") and "Suicide" in pred_by_name[n]["tags"]]
    detail_agree = sum(pred_by_name[n]["suicide_detail"] == gold_by_name[n]["suicide_detail"] for n in both_suicide)

    def accuracy(field: str) -> dict:
        correct = sum(pred_by_name[n][field] == gold_by_name[n][field] for n in names)
        return {"correct": correct, "total": len(names), "accuracy": correct / len(names) if names else None}

    rel = {"strict": [0, 0, 0], "pair_only": [0, 0, 0]}
    for n in names:
        gold_rels = {k for k in (relationship_key(t) for t in gold_by_name[n].get("relationships", [])) if k}
        pred_rels = {k for k in (relationship_key(r["tag"], r.get("kind")) for r in pred_by_name[n]["relationships"]) if k}
        for mode, strict in (("strict", True), ("pair_only", False)):
            tp, fp, fn = _rel_match(gold_rels, pred_rels, strict)
            rel[mode][0] += tp
            rel[mode][1] += fp
            rel[mode][2] += fn
    relationships = {}
    for mode, (tp, fp, fn) in rel.items():
        precision, recall, f1 = prf(tp, fp, fn)
        relationships[mode] = {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}

    return {
        "stories": len(names),
        "per_tag": per_tag,
        "groups": groups,
        "suicide_detail_agreement": {"both_tagged_suicide": len(both_suicide), "detail_correct": detail_agree},
        "tense": accuracy("tense"),
        "pov": accuracy("pov"),
        "rating": accuracy("rating"),
        "relationships": relationships,
    }


def errors_for(name: str, gold: dict, pred: dict) -> list[str]:
    out = []
    for field in ("tense", "pov", "rating"):
        if pred[field] != gold[field]:
            out.append(f"{field}: predicted {pred[field]!r}, expected {gold[field]!r}")
    gold_tags = set(gold["warnings"] + gold["tags"])
    extra = sorted(set(pred["tags"]) - gold_tags)
    missing = sorted(gold_tags - set(pred["tags"]))
    if extra:
        out.append("false positives: " + ", ".join(extra))
    if missing:
        out.append("missed: " + ", ".join(missing))
    if gold.get("suicide_detail") and "Suicide" in pred["tags"] and pred["suicide_detail"] != gold["suicide_detail"]:
        out.append(f"suicide detail: predicted {pred['suicide_detail']!r}, expected {gold['suicide_detail']!r}")
    if pred["unscored_tags"]:
        out.append("unscored tag names: " + ", ".join(pred["unscored_tags"]))
    gold_rels = {relationship_key(t): t for t in gold.get("relationships", []) if relationship_key(t)}
    pred_rels = {relationship_key(r["tag"], r.get("kind")): r["tag"] for r in pred["relationships"] if relationship_key(r["tag"], r.get("kind"))}
    if _rel_match(set(gold_rels), set(pred_rels), strict=True)[1:] != (0, 0):
        out.append(f"relationships: predicted {sorted(pred_rels.values())}, expected {sorted(gold_rels.values())}")
    return out


def print_report(result: dict, out=sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"stories scored: {result['stories']}")
    p("")
    p(f"{'tag':34s} {'gold':>4s} {'TP':>4s} {'FP':>4s} {'FN':>4s}  {'prec':>5s}  {'rec':>5s}  {'F1':>5s}")
    for tag, m in result["per_tag"].items():
        if tag == ARCHIVE_WARNINGS[0]:
            p("-- archive warnings")
        if tag == TRIGGER_TAGS[0]:
            p("-- trigger tags")
        if tag == MOOD_TAGS[0]:
            p("-- mood and genre tags")
        if tag.startswith("Suicide (") and tag.endswith("depicted)"):
            p("-- suicide detail")
        p(f"{tag:34s} {m['gold']:4d} {m['tp']:4d} {m['fp']:4d} {m['fn']:4d}  {fmt(m['precision'])}  {fmt(m['recall'])}  {fmt(m['f1'])}")
    p("")
    for name, m in result["groups"].items():
        p(f"{name:44s} TP {m['tp']:3d} FP {m['fp']:3d} FN {m['fn']:3d}  precision {fmt(m['precision'])}  recall {fmt(m['recall'])}  F1 {fmt(m['f1'])}")
    agree = result["suicide_detail_agreement"]
    p(f"suicide detail agrees on {agree['detail_correct']}/{agree['both_tagged_suicide']} stories tagged Suicide by both")
    p("")
    for field in ("tense", "pov", "rating"):
        m = result[field]
        p(f"{field + ' accuracy':20s} {m['correct']}/{m['total']} = {fmt(m['accuracy'])}")
    for mode, m in result["relationships"].items():
        label = "relationships (kind + pair)" if mode == "strict" else "relationships (pair only)"
        p(f"{label:30s} TP {m['tp']} FP {m['fp']} FN {m['fn']}  precision {fmt(m['precision'])}  recall {fmt(m['recall'])}")


# ---------------------------------------------------------------- running ficlens

# Only these stages feed what is scored; network, arc and motifs are skipped to keep the run short.
# Every stage of the pipeline, in its order, except those that feed no score.
UNSCORED_STAGES = ("network", "arc", "motifs")

EMPTY_PREDICTION = {"tags": [], "unscored_tags": [], "suicide_detail": None, "tense": None, "pov": None,
                    "rating": None, "relationships": []}


def analyse_one(path: str) -> dict:
    """Run the scored stages over one story, each in its own try: a stage that raises loses only its own output."""
    import ficlens
    from ficlens.pipeline import STAGES, Context, Options, stage_function

    story = ficlens.read(path)
    scored_stages = tuple(name for name in STAGES if name not in UNSCORED_STAGES)
    ctx = Context(Options(stages=scored_stages))
    stage_errors = []
    for name in scored_stages:
        try:
            stage_function(name)(story, ctx)
        except Exception as exc:  # MemoryError included: under the child's memory limit it is an ordinary failure
            stage_errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
    result = predictions(story)
    result["stage_errors"] = stage_errors
    return result


def _vm_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(path: str, memory_mb: int, conn) -> None:
    import resource

    if memory_mb > 0:
        limit = _vm_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", analyse_one(path)))
    except BaseException as exc:  # report anything, even a failure to read the file
        conn.send(("error", f"{type(exc).__name__}: {str(exc)[:200]}"))
    finally:
        conn.close()


def analyse_isolated(path: str, timeout: float, memory_mb: int) -> tuple[dict | None, str | None]:
    """One story in a forked child with a time and memory limit, so one runaway stage cannot sink the whole run."""
    import multiprocessing

    mp = multiprocessing.get_context("fork")
    parent_conn, child_conn = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(path, memory_mb, child_conn))
    proc.start()
    child_conn.close()
    message = None
    if parent_conn.poll(timeout):
        try:
            message = parent_conn.recv()
        except EOFError:
            message = None
    proc.join(5)
    if proc.is_alive():
        proc.kill()  # our own child, by its handle
        proc.join()
    if message is None:
        reason = f"timed out after {timeout:.0f} s" if proc.exitcode in (None, -9) else f"child exited with {proc.exitcode}"
        return None, reason
    status, payload = message
    return (payload, None) if status == "ok" else (None, payload)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", default=DEFAULT_STORIES, help="glob of story files (default: the whole set)")
    parser.add_argument("--labels", default=str(DEFAULT_LABELS), help="labels.json")
    parser.add_argument("--json-out", help="write metrics and per-story predictions to this JSON file")
    parser.add_argument("--show-errors", action="store_true", help="list each story with a wrong answer")
    parser.add_argument("--timeout", type=float, default=120, help="seconds allowed per story (default 120)")
    parser.add_argument("--max-memory-mb", type=int, default=2000,
                        help="extra memory a story's analysis may take, MB (default 2000; 0 = no limit)")
    parser.add_argument("--no-isolate", action="store_true",
                        help="analyse in this process (no per-story time or memory limit)")
    args = parser.parse_args(argv)

    labels = json.loads(Path(args.labels).read_text(encoding="utf-8"))["stories"]
    paths = sorted(glob.glob(args.stories))
    paths = [p for p in paths if Path(p).name in labels]
    if not paths:
        print(f"error: no labelled stories match {args.stories}", file=sys.stderr)
        return 2

    from ficlens import nlp as nlp_loader  # imported here so --help stays fast

    nlp_loader.load(None)  # load the model once, before forking, so every child shares it

    import resource

    preds: dict[str, dict] = {}
    failures: dict[str, str] = {}
    stage_errors: dict[str, list[str]] = {}
    cpu0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    wall = time.perf_counter()
    for path in paths:
        name = Path(path).name
        if args.no_isolate:
            try:
                pred, failure = analyse_one(path), None
            except Exception as exc:
                pred, failure = None, f"{type(exc).__name__}: {exc}"
        else:
            pred, failure = analyse_isolated(path, args.timeout, args.max_memory_mb)
        if pred is None:
            failures[name] = failure or "unknown failure"
            print(f"warning: {name}: {failures[name]}", file=sys.stderr)
            pred = dict(EMPTY_PREDICTION, stage_errors=[])
        if pred.get("stage_errors"):
            stage_errors[name] = pred["stage_errors"]
            for err in pred["stage_errors"]:
                print(f"warning: {name}: stage {err}", file=sys.stderr)
        preds[name] = pred
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - cpu0
    wall = time.perf_counter() - wall

    result = score(labels, preds)
    result["failures"] = failures
    result["stage_errors"] = stage_errors
    result["seconds"] = {"cpu_user": round(cpu, 2), "wall": round(wall, 2)}
    print_report(result)
    print(f"\n{len(paths)} stories in {wall:.1f} s wall, {cpu:.1f} s user CPU; {len(failures)} failed to analyse, "
          f"{len(stage_errors)} with a failing stage (scored with what the other stages produced)")

    if args.show_errors:
        print("\nerrors by story:")
        for name in sorted(preds):
            problems = errors_for(name, labels[name], preds[name])
            if name in failures:
                problems.insert(0, "analyze failed: " + failures[name])
            for err in stage_errors.get(name, []):
                problems.insert(0, "stage failed: " + err)
            if problems:
                print(f"  {name}")
                for problem in problems:
                    print(f"      {problem}")

    if args.json_out:
        result["predictions"] = preds
        Path(args.json_out).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
