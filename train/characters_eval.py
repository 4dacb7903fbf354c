"""How well the characters stage finds PDNC's people, end to end, with no character list.

    .venv/bin/python train/characters_eval.py [--split train] [NOVEL ...] [--min-quotes 5] [--show]
    .venv/bin/python train/characters_eval.py --quotes [--show]     # quotations whose speaker is in no character
    .venv/bin/python train/characters_eval.py --candidates N        # wrong quotations: speaker a candidate or not
    .venv/bin/python train/characters_eval.py --roles [--show]      # 'said the doctor' resolved to whom, right or not

With ``--quotes`` each gold quotation is checked against the whole cast (does any character score as its
speaker?), and the misses are counted by the verdict on that speaker (below; "missing" split into a name the
text writes and an unnamed role).  With ``--candidates`` the quotations ficlens gets wrong are counted by whether
the speaker was among the ranker's candidates ("ranked"), in the cast but no candidate ("not_candidate"), in no
character ("no_cast"), or decided by a tag rule ("tagged"); N examples of "not_candidate" are printed.  Both run
the attribution stage too.

For each novel, the gold characters with at least ``--min-quotes`` quotations are matched to ficlens's
characters through the name mentions ficlens assigned (each mention's text looked up among the gold names and
aliases).  A gold character is:

- one:     found as one character, which holds none of the other counted gold characters, under a name that
           points to it (what train/pdnc_eval.py needs to score a speaker right);
- badname: found as one character, but its display name does not point to it;
- split:   two or more found characters hold a share of its mentions;
- merged:  its found character also holds another counted gold character;
- missing: no found character holds it.

A found character is junk when none of its name mentions is any gold name (nor one of several people's) and it has at least ``--min-mentions``
name mentions (PDNC lists only people who speak, are spoken to or are named in speech, so a few real minor
people count here too: --show prints them).  Gender is scored on found characters whose main gold character has
gender M or F.  Reads ../shared/data/pdnc (never copied into the project); train novels only by default.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdnc_eval  # noqa: E402  (train/ is not a package)

PDNC, ROOT = pdnc_eval.PDNC, pdnc_eval.ROOT
STAGES = ("structure", "quotes", "characters")


def norm(name: str) -> str:
    name = re.sub(r"['’]s?$", "", name.strip())
    return re.sub(r"\s+", " ", re.sub(r"[.'’]", "", name.lower())).strip()


def load_gold(novel: str):
    """PDNC's characters (as train/pdnc_eval.py reads them, the "_narr" marker left out), and how many quotations
    each speaks."""
    chars, _, quoted = pdnc_eval.load_gold(novel)
    name_to_ids = defaultdict(set)
    for cid, c in chars.items():
        c["names"] = {norm(n) for n in [c["main"], *c["aliases"]] if n != "_narr"}
        for n in c["names"]:
            name_to_ids[n].add(cid)
    quotes = Counter()
    for q in quoted:
        ids = name_to_ids.get(norm(q["speaker_name"]), set())
        if len(ids) == 1:
            quotes[next(iter(ids))] += 1
    return chars, name_to_ids, quotes


def analyze(text: str):
    from ficlens.ingest import from_text
    from ficlens.pipeline import Options, run

    story = from_text(text)
    run(story, Options(stages=STAGES))
    return story


def _verdicts(story, chars, name_to_ids, counted, show: bool = False):
    """Each counted gold character's verdict (one, badname, split, merged, missing), the per-novel counts, and
    the lines --show prints."""
    # found character -> gold id -> name mentions
    held: dict[str, Counter] = defaultdict(Counter)
    name_mentions = Counter()
    any_gold = Counter()  # name mentions that are some gold name, even an ambiguous one ("Charles")
    text = story.text
    for m in story.mentions:
        if m.kind not in ("name", "vocative") or not m.character:
            continue
        name_mentions[m.character] += 1
        ids = name_to_ids.get(norm(m.text), set())
        if not ids and text[max(0, m.start - 4) : m.start].lower() == "the ":  # "the Hatter"
            ids = name_to_ids.get("the " + norm(m.text), set())
        any_gold[m.character] += bool(ids)
        if len(ids) == 1:
            held[m.character][next(iter(ids))] += 1
    by_id = {c.id: c for c in story.characters}
    # A found character holds a gold one when it has at least 3 of its mentions and 15% of its own matched ones.
    holds: dict[str, set[str]] = {}
    for cid, votes in held.items():
        total = sum(votes.values())
        holds[cid] = {g for g, n in votes.items() if n >= 3 and n >= 0.15 * total}
    main_of = {cid: votes.most_common(1)[0][0] for cid, votes in held.items() if votes}
    res = Counter()
    verdicts: dict[str, tuple[str, str]] = {}
    lines = []
    for g in sorted(counted, key=lambda g: -counted[g]):
        holders = [cid for cid, gs in holds.items() if g in gs]
        # a holder that is mainly another person and holds only a sliver of this one does not split it
        gold_total = sum(held[cid][g] for cid in holders)
        holders = [cid for cid in holders if main_of.get(cid) == g or held[cid][g] >= 0.2 * gold_total]
        if not holders:
            verdict = "missing"
        elif len([cid for cid in holders if main_of.get(cid) == g]) >= 2:
            verdict = "split"
        elif any(len(holds[cid] & set(counted)) > 1 for cid in holders):
            verdict = "merged"
        else:
            mains = [cid for cid in holders if main_of.get(cid) == g]
            cid = mains[0] if mains else holders[0]
            ids = name_to_ids.get(norm(by_id[cid].name), set())
            verdict = "one" if ids == {g} else "badname"
        res[verdict] += 1
        found = "; ".join(f"{by_id[c].name} ({held[c][g]}/{sum(held[c].values())})" for c in holders)
        verdicts[g] = (verdict, found)
        if verdict != "one":
            lines.append(f"    {verdict:8s} {chars[g]['main']} [{counted[g]} q]: {found}")
    for cid, votes in held.items():
        g = main_of.get(cid)
        if g is None or chars[g]["gender"] not in ("M", "F"):
            continue
        res["gender_n"] += 1
        res["gender_ok"] += by_id[cid].gender == chars[g]["gender"]
        if by_id[cid].gender != chars[g]["gender"]:
            lines.append(f"    gender   {by_id[cid].name} = {by_id[cid].gender}, gold {chars[g]['main']} {chars[g]['gender']}")
    junk = [by_id[cid] for cid, n in name_mentions.items() if n >= MIN_MENTIONS[0] and not any_gold[cid]]
    res["junk"] = len(junk)
    res["found"] = sum(1 for n in name_mentions.values() if n >= MIN_MENTIONS[0])
    res["counted"] = len(counted)
    if show:
        lines.append("    junk: " + ", ".join(f"{c.name} ({name_mentions[c.id]})" for c in
                                               sorted(junk, key=lambda c: -name_mentions[c.id])))
    return verdicts, res, lines


MIN_MENTIONS = [3]


def evaluate(novel: str, min_quotes: int, min_mentions: int, show: bool):
    chars, name_to_ids, quotes = load_gold(novel)
    counted = {cid: n for cid, n in quotes.items() if n >= min_quotes}
    story = analyze((PDNC / novel / "novel_text.txt").read_text(encoding="utf-8"))
    MIN_MENTIONS[0] = min_mentions
    _, res, lines = _verdicts(story, chars, name_to_ids, counted, show)
    return res, lines


def _kind_of_missing(chars, g, text_lower) -> str:
    """Why a missing gold character may be missing: an unnamed role or description ("The Waiter", "Her
    Sister"), or a name the text writes (never found, or found under another's name)."""
    main = chars[g]["main"]
    names = [main, *chars[g]["aliases"]]
    if all(re.match(r"(?i)(the|a|an|his|her|my|your|their|our|old|young)\b", n) or n.startswith("_") for n in names):
        return "role"
    return "name"


def coverage(novel: str, show: bool):
    """Which gold quotations have no character in ficlens's cast that the scorer would count as their speaker
    (the speaker is then no candidate at all), by the verdict on that speaker (see the module docstring)."""
    chars, name_to_ids_full, gold = pdnc_eval.load_gold(novel)
    _, name_to_ids, quotes = load_gold(novel)
    text = (PDNC / novel / "novel_text.txt").read_text(encoding="utf-8")
    story, _ = pdnc_eval.analyze(text)
    counted = dict(quotes)
    verdicts, _, _ = _verdicts(story, chars, name_to_ids, counted)
    res = Counter()
    lost = Counter()
    for q in gold:
        g = q["speaker"]
        if g is None:
            res["unscored"] += 1
            continue
        res["n"] += 1
        if any(pdnc_eval.correct(ch, g, name_to_ids_full) for ch in story.characters):
            res["covered"] += 1
            continue
        verdict = verdicts.get(g, ("missing", ""))[0]
        if verdict == "missing":
            verdict += ":" + _kind_of_missing(chars, g, text.lower())
        res[verdict] += 1
        lost[g] += 1
    lines = []
    if show:
        for g, n in lost.most_common():
            verdict, found = verdicts.get(g, ("missing", ""))
            lines.append(f"    {n:4d} q  {verdict:8s} {chars[g]['main']} ({chars[g]['gender']}): {found}")
    return res, lines


def candidates(novel: str, show: int):
    """Of the gold quotations ficlens gets wrong, which had their speaker among the ranker's candidates, which
    had it in the cast but not among the candidates, and which had it nowhere in the cast (runs attribution)."""
    import bisect

    from ficlens.stages import attribution_rank

    chars, name_to_ids_full, gold = pdnc_eval.load_gold(novel)
    seen: dict[int, list[str]] = {}
    original = attribution_rank.candidate_features

    def recording(info, *args, **kwargs):
        out = original(info, *args, **kwargs)
        seen[id(info.quote)] = list(out)
        return out

    attribution_rank.candidate_features = recording
    try:
        text = (PDNC / novel / "novel_text.txt").read_text(encoding="utf-8")
        story, _ = pdnc_eval.analyze(text)
    finally:
        attribution_rank.candidate_features = original
    preds = sorted(story.quotes, key=lambda q: q.start)
    starts = [q.start for q in preds]
    by_id = {c.id: c for c in story.characters}
    res = Counter()
    lines = []
    for g in gold:
        gid = g["speaker"]
        if gid is None:
            continue
        i = max(bisect.bisect_left(starts, g["start"]) - 2, 0)
        best = max(preds[i : i + 6], key=lambda q: min(q.end, g["end"]) - max(q.start, g["start"]), default=None)
        if best is None or min(best.end, g["end"]) <= max(best.start, g["start"]):
            continue
        res["n"] += 1
        if pdnc_eval.correct(by_id.get(best.speaker), gid, name_to_ids_full):
            res["ok"] += 1
            continue
        right = {c.id for c in story.characters if pdnc_eval.correct(c, gid, name_to_ids_full)}
        cands = seen.get(id(best))
        if not right:
            kind = "no_cast"
        elif cands is None:
            kind = "tagged"  # decided by a tag or a paragraph rule, not the ranker
        elif right & set(cands):
            kind = "ranked"
        else:
            kind = "not_candidate"
        res[kind] += 1
        if kind == "not_candidate" and res[kind] <= show:
            ctx = text[max(0, best.start - 300) : best.end + 80].replace("\n", " ")
            lines.append(f"--- gold={g['speaker_name']} right={[by_id[c].name for c in right]} "
                         f"pred={by_id[best.speaker].name if best.speaker in by_id else None} "
                         f"cands={[by_id[c].name for c in cands if c in by_id][:12]}\n    {ctx}")
    return res, lines


TAG_GAP = " \n,.:;!?—-\"“”'‘’"  # what stands between a quotation and its tag's verb


def roles(novel: str, show: bool):
    """Quotations whose speech tag is a description the characters stage resolved to a named person ('"...,"
    said the doctor', "her husband said"): how many, and how many of those the resolution got right (the
    resolved character scores as the gold speaker); --show lists the wrong ones.  Runs attribution."""
    import bisect

    chars, name_to_ids_full, gold = pdnc_eval.load_gold(novel)
    text = (PDNC / novel / "novel_text.txt").read_text(encoding="utf-8")
    story, _ = pdnc_eval.analyze(text)
    by_id = {c.id: c for c in story.characters}
    from ficlens.stages.characters_text import speech_verbs

    verbs = speech_verbs()
    nominal = sorted((m for m in story.mentions if m.kind == "nominal" and m.character), key=lambda m: m.start)
    starts = [m.start for m in nominal]
    res = Counter()
    lines = []
    for g in gold:
        if g["speaker"] is None:
            continue
        # the tag right after the quotation ('," said the doctor') or right before it ('The doctor said, "')
        i = bisect.bisect_left(starts, g["end"])
        after = nominal[i] if i < len(nominal) and nominal[i].start - g["end"] <= 25 else None
        j = bisect.bisect_left(starts, g["start"]) - 1
        before = nominal[j] if j >= 0 and 0 <= g["start"] - nominal[j].end <= 25 else None
        m = None
        if after is not None:
            gap = text[g["end"] : after.start].strip(TAG_GAP).lower()
            then = re.match(r"\s*(\w+)", text[after.end : after.end + 20])
            if gap in verbs or (not gap and then and then.group(1).lower() in verbs):
                m = after  # '," said the doctor' / '," the doctor said'
        if m is None and before is not None:
            gap = text[before.end : g["start"]].strip(TAG_GAP).lower()
            if gap in verbs:
                m = before  # 'The doctor said, "'
        if m is None:
            continue
        res["n"] += 1
        ok = pdnc_eval.correct(by_id.get(m.character), g["speaker"], name_to_ids_full)
        res["ok"] += ok
        if not ok and show:
            lines.append(f"    {m.text!r} -> {by_id[m.character].name}, gold {g['speaker_name']}: "
                         + repr(text[max(0, m.start - 120) : m.end + 40]))
    return res, lines


def _count_quotes(novels, count, label: str, good: str, kinds: tuple[str, ...]) -> None:
    """Per novel and in total: the quotations, those not ``good`` (printed as ``label``) and each kind of cause;
    ``count(novel)`` gives the counts and the example lines to print."""
    def line(name: str, r: Counter) -> str:
        bad = r["n"] - r[good]
        return (f"{name:30s} quotes {r['n']:5d}  {label} {bad:4d} ({bad / max(1, r['n']):.3f})  "
                + "  ".join(f"{k} {r[k]}" for k in kinds))

    total = Counter()
    for novel in novels:
        res, lines = count(novel)
        total.update(res)
        print(line(novel, res), flush=True)
        if lines:
            print("\n".join(lines))
    print(line("TOTAL", total))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("novels", nargs="*")
    ap.add_argument("--split", default="train", choices=("train",))
    ap.add_argument("--min-quotes", type=int, default=5)
    ap.add_argument("--min-mentions", type=int, default=3)
    ap.add_argument("--show", action="store_true", help="list the faults and the junk characters")
    ap.add_argument("--quotes", action="store_true",
                    help="count the gold quotations whose speaker is in no found character, by cause (runs attribution)")
    ap.add_argument("--candidates", type=int, default=-1, metavar="N",
                    help="count wrong quotations by whether their speaker was a candidate (N examples shown)")
    ap.add_argument("--roles", action="store_true",
                    help="quotations tagged by a description the stage resolved ('said the doctor'): right or not")
    args = ap.parse_args(argv)
    splits = json.loads((ROOT / "bench" / "splits.json").read_text())
    novels = args.novels or splits[args.split]
    if args.roles:
        _count_quotes(novels, lambda novel: roles(novel, args.show), "wrong", "ok", ())
        return
    if args.candidates >= 0:
        _count_quotes(novels, lambda novel: candidates(novel, args.candidates), "wrong", "ok",
                      ("ranked", "not_candidate", "no_cast", "tagged"))
        return
    if args.quotes:
        _count_quotes(novels, lambda novel: coverage(novel, args.show), "not in cast", "covered",
                      ("missing:name", "missing:role", "merged", "badname", "split", "one"))
        return
    total = Counter()
    for novel in novels:
        res, lines = evaluate(novel, args.min_quotes, args.min_mentions, args.show)
        total.update(res)
        print(f"{novel:30s} gold {res['counted']:3d}  one {res['one']:3d}  badname {res['badname']:2d}"
              f"  split {res['split']:2d}  merged {res['merged']:2d}  missing {res['missing']:2d}"
              f"  junk {res['junk']:3d}/{res['found']:3d}  gender {res['gender_ok']}/{res['gender_n']}", flush=True)
        if args.show:
            print("\n".join(lines))
    t = total
    print(f"{'TOTAL':30s} gold {t['counted']:3d}  one {t['one']:3d}  badname {t['badname']:2d}"
          f"  split {t['split']:2d}  merged {t['merged']:2d}  missing {t['missing']:2d}"
          f"  junk {t['junk']:3d}/{t['found']:3d}  gender {t['gender_ok']}/{t['gender_n']}"
          f" ({t['gender_ok'] / max(1, t['gender_n']):.3f})")


if __name__ == "__main__":
    sys.exit(main())
