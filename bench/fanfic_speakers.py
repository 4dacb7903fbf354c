"""Speaker attribution on fan fiction: the short stories of bench/dev and bench/dev_relationships, with speakers
labelled by hand.

    .venv/bin/python bench/fanfic_speakers.py                        # every set that has a speakers.json
    .venv/bin/python bench/fanfic_speakers.py --sets holdout7 holdout8 --show-errors 5
    .venv/bin/python bench/fanfic_speakers.py --check bench/dev/holdout5/speakers.json   # validate a gold file

PDNC measures ficlens on nineteenth- and twentieth-century novels; these stories are written as fan fiction
is posted (Naruto, Haikyuu!!, Harry Potter, Sherlock, original work...), so this is the domain ficlens is for.
Each set's ``speakers.json`` gives, per story, its characters (a key and every name the story calls them by)
and, for every pair of quotation marks in order, the quoted text as written, its speaker (a character key, or
null when the marks hold no one's words: a scare quote, a title, a sign), its addressees and its kind
(explicit: a tag names the speaker; anaphoric: a tag with a pronoun or a description; implicit: no tag).
The gold was written from the text alone, without running ficlens.  Scoring is the PDNC rule of DESIGN.md
(bench/scoring.py): a speaker is right when ficlens's display name is one of the gold character's names.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from ficlens.ingest import from_text  # noqa: E402
from ficlens.pipeline import Options, run as run_pipeline  # noqa: E402
from scoring import (CastScore, GoldCast, GoldQuote, QUOTE_TYPES, Score, norm_name, pred_quotes, score,  # noqa: E402
                     score_cast)

BENCH = Path(__file__).resolve().parent
GOLD_SETS = ("dev/*/speakers.json", "dev_relationships/*/speakers.json")  # stories in the set's stories/ or beside
STAGES = ("structure", "fandom", "quotes", "characters", "attribution")
console = Console(stderr=True)


class GoldError(ValueError):
    pass


def locate(text: str, quotes: list[dict]) -> list[tuple[int, int]]:
    """Each gold quotation's span in ``text``, found in order (each after the one before)."""
    spans, pos = [], 0
    for n, q in enumerate(quotes):
        wanted = q["text"].strip()
        at = text.find(wanted, pos)
        if at < 0:
            raise GoldError(f"quotation {n + 1} not found after offset {pos}: {wanted[:60]!r}")
        spans.append((at, at + len(wanted)))
        pos = at + len(wanted)
    return spans


def read_story_gold(story_text: str, entry: dict) -> tuple[list[GoldQuote], GoldCast]:
    characters = entry["characters"]
    cast = GoldCast({key: {norm_name(key)} | {norm_name(n) for n in names} for key, names in characters.items()})
    gold = []
    for q, span in zip(entry["quotes"], locate(story_text, entry["quotes"])):
        speaker = q.get("speaker")
        if speaker is None:
            continue  # not anyone's words
        if speaker not in characters:
            raise GoldError(f"speaker {speaker!r} is not one of the story's characters")
        for a in q.get("addressees", []):
            if a not in characters:
                raise GoldError(f"addressee {a!r} is not one of the story's characters")
        kind = q.get("kind")
        if kind not in QUOTE_TYPES:
            raise GoldError(f"kind {kind!r} is not one of {', '.join(QUOTE_TYPES)}")
        gold.append(GoldQuote(spans=[span], speaker=speaker, kind=kind, text=q["text"],
                              addressees=list(q.get("addressees", []))))
    return gold, cast


def stories_of(folder: Path) -> Path:
    """A set keeps its stories in ``stories/`` (bench/dev) or beside its gold file (bench/dev_relationships)."""
    return folder / "stories" if (folder / "stories").is_dir() else folder


def story_path(folder: Path, name: str) -> Path:
    return stories_of(folder) / name


def sets_with_gold(names: list[str] | None) -> list[Path]:
    found = [p.parent for pattern in GOLD_SETS for p in sorted(BENCH.glob(pattern))]
    if names:  # "holdout7", or "dev_relationships/fresh4" where a name is in both folders
        found = [p for p in found if p.name in names or f"{p.parent.name}/{p.name}" in names]
        missing = set(names) - {p.name for p in found} - {f"{p.parent.name}/{p.name}" for p in found}
        if missing:
            raise SystemExit(f"error: no speakers.json in {', '.join(sorted(missing))}")
    return found


def check(path: Path) -> int:
    """Validate one gold file against its stories; print each problem on one line."""
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = 0
    for name, entry in data["stories"].items():
        story = story_path(path.parent, name)
        if not story.is_file():
            print(f"{name}: no such story")
            problems += 1
            continue
        text = story.read_text(encoding="utf-8")
        try:
            read_story_gold(text, entry)
        except (GoldError, KeyError, TypeError) as exc:
            print(f"{name}: {exc}")
            problems += 1
            continue
        marks = sum(text.count(m) for m in ('"', "\u201c", "\u201d"))
        if marks != 2 * len(entry["quotes"]):
            print(f"{name}: {len(entry['quotes'])} quotations listed, {marks} double quotation marks in the text "
                  f"(fine only for single-quote dialogue or speech over paragraphs)")
    unlabelled = [s.name for s in stories_of(path.parent).glob("*.txt") if s.name not in data["stories"]]
    print(f"{path}: {len(data['stories'])} stories, {problems} problems"
          + (f" ({len(unlabelled)} stories of the set not in this file)" if unlabelled else ""))
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="+", metavar="SET",
                    help="sets to score, by folder name (holdout7) or with its parent (dev_relationships/fresh4); "
                         "default: every set with a speakers.json")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N wrong speakers per set")
    ap.add_argument("--show-cast", action="store_true",
                    help="print, per story, the gold characters ficlens misnames or misses")
    ap.add_argument("--check", type=Path, metavar="FILE", help="only validate this speakers.json")
    ap.add_argument("--json-out", type=Path, help="write per-set and total figures as JSON")
    args = ap.parse_args(argv)
    if args.check:
        return check(args.check)

    total, total_cast, tokens, cpu = Score(), CastScore(), 0, 0.0
    per_set: dict[str, Score] = {}
    cast_per_set: dict[str, CastScore] = {}
    out = Console(width=200)
    for folder in sets_with_gold(args.sets):
        data = json.loads((folder / "speakers.json").read_text(encoding="utf-8"))
        result, cast_result, shown = Score(), CastScore(), 0
        for name, entry in sorted(data["stories"].items()):
            text = story_path(folder, name).read_text(encoding="utf-8")
            gold, cast = read_story_gold(text, entry)
            t0 = time.process_time()
            story = run_pipeline(from_text(text), Options(stages=STAGES))
            cpu += time.process_time() - t0
            tokens += len(text.split())
            preds = pred_quotes(story)
            one = score(gold, preds, cast)
            result.add(one)
            one_cast = score_cast(story, cast)
            cast_result.add(one_cast)
            if args.show_cast and (one_cast.misnamed_names or one_cast.missing_names):
                found = ", ".join(f"{c.name} ({len(c.aliases)} aliases)" for c in story.characters)
                out.print(f"{name}: misnamed {one_cast.misnamed_names}, missing {one_cast.missing_names}; "
                          f"ficlens: {found}", markup=False, highlight=False)
            if shown < args.show_errors:
                shown += _show_wrong(out, name, text, gold, preds, cast, args.show_errors - shown)
        per_set[f"{folder.parent.name}/{folder.name}"] = result
        cast_per_set[f"{folder.parent.name}/{folder.name}"] = cast_result
        total.add(result)
        total_cast.add(cast_result)

    table = Table(title="Speakers on fan fiction (bench/dev stories, gold by hand)")
    for col in ("set", "quotes", "speaker acc", *QUOTE_TYPES, "addressee acc", "span F1"):
        table.add_column(col, justify="right")
    for name, s in [*per_set.items(), ("TOTAL", total)]:
        d = s.as_dict()
        table.add_row(name, str(s.gold), f"{s.accuracy:.1%}",
                      *[f"{v:.1%} ({d['quotes_by_type'][k]})" if (v := s.type_accuracy(k)) is not None else "-"
                        for k in QUOTE_TYPES],
                      f"{d['addressee_accuracy']:.1%}" if d["addressee_accuracy"] is not None else "-",
                      f"{s.f1:.3f}")
    out.print(table)
    cast_table = Table(title="Characters on fan fiction: the gold's speakers and addressees among ficlens's characters")
    for col in ("set", "characters", "named", "misnamed", "missing", "split"):
        cast_table.add_column(col, justify="right")
    for name, c in [*cast_per_set.items(), ("TOTAL", total_cast)]:
        cast_table.add_row(name, str(c.gold), f"{c.named / c.gold:.1%} ({c.named})" if c.gold else "-",
                           str(c.misnamed), str(c.missing), str(c.split))
    out.print(cast_table)
    out.print(f"{tokens} words in {cpu:.1f} CPU-seconds")
    if args.json_out:
        figures = {k: v.as_dict() for k, v in [*per_set.items(), ("total", total)]}
        for k, v in [*cast_per_set.items(), ("total", total_cast)]:
            figures[k]["characters"] = v.as_dict()
        args.json_out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _show_wrong(out: Console, name: str, text: str, gold, preds, cast, limit: int) -> int:
    """Print up to ``limit`` gold quotations of one story whose speaker ficlens got wrong; how many it printed."""
    shown = 0
    for g in gold:
        one = score([g], preds, cast)
        if one.correct or shown >= limit:
            continue
        start, end = g.spans[0]
        said = next((p for p in preds if p.start < end and p.end > start), None)
        out.print(f"{name} [{g.kind}] gold={g.speaker} ficlens={said.speaker_name if said else 'no quotation'}: "
                  f"{text[max(0, start - 80):end + 40]!r}", markup=False, highlight=False)
        shown += 1
    return shown


if __name__ == "__main__":
    sys.exit(main())
