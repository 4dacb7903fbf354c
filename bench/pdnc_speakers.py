"""Speaker attribution and quotation spans on PDNC, end to end, plus throughput.

    .venv/bin/python bench/pdnc_speakers.py                      # all 20 novels, no character list
    .venv/bin/python bench/pdnc_speakers.py --held-out           # the held-out novels of bench/splits.json
    .venv/bin/python bench/pdnc_speakers.py --with-characters    # character_info.csv given as the roster
    .venv/bin/python bench/pdnc_speakers.py --stages structure,quotes --show-errors 5   # quote spans only
    .venv/bin/python bench/pdnc_speakers.py --novels Persuasion --spacy                  # spaCy speed too
    .venv/bin/python bench/pdnc_speakers.py --held-out --spacy-numpy     # and spaCy given ficlens's numpy BLAS

Each novel's raw novel_text.txt goes through ``ficlens.analyze_text`` (or the stages named by --stages);
scoring follows DESIGN.md "How speaker attribution is scored" (see bench/scoring.py); "addr" is the share of
found quotations with a gold addressee whose first addressee in ficlens's output is one of them (named as
speakers are).  Throughput is
whitespace tokens per CPU-second (time.process_time) of the whole analysis.  PDNC is read from the shared
data folder, never copied into the project.
"""

from __future__ import annotations

import argparse
import ast
import csv
import functools
import json
import re
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

import ficlens  # noqa: E402
from ficlens.ingest import from_text  # noqa: E402
from ficlens.pipeline import STAGES, Options, run as run_pipeline  # noqa: E402
from ficlens.roster import resolve_roster  # noqa: E402
from scoring import apply_limits, DEFAULT_DATA, GoldCast, GoldQuote, norm_name, pred_quotes, QUOTE_TYPES, Score, score  # noqa: E402

SPLITS = Path(__file__).resolve().parent / "splits.json"
NARRATOR_MARK = "_narr"
console = Console(stderr=True)


def parse_aliases(raw: str) -> list[str]:
    """character_info.csv holds aliases as a Python set (or list) literal."""
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return [a.strip() for a in raw.strip("{}[]").split(",") if a.strip()]
    return [str(a).strip() for a in value if str(a).strip()]


def read_characters(folder: Path) -> list[dict]:
    rows = []
    with open(folder / "character_info.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            gender = (row.get("Gender") or "").strip().upper()
            rows.append(
                {
                    "id": row["Character ID"].strip(),
                    "name": row["Main Name"].strip(),
                    "aliases": parse_aliases(row.get("Aliases") or ""),
                    "gender": gender if gender in ("F", "M") else None,
                }
            )
    return rows


def gold_cast(characters: list[dict]) -> tuple[GoldCast, dict[str, str]]:
    """The gold cast (character id -> normalised names) and a lookup from any name/alias to the id."""
    cast = GoldCast()
    lookup: dict[str, str] = {}
    for c in characters:
        names = {norm_name(c["name"])} | {norm_name(a) for a in c["aliases"] if a != NARRATOR_MARK}
        names.discard("")
        cast.names[c["id"]] = names
    # main names first, so that a name that is one character's main name and another's alias resolves to the former
    for c in characters:
        lookup.setdefault(c["name"].strip(), c["id"])
    for c in characters:
        for a in c["aliases"]:
            lookup.setdefault(a.strip(), c["id"])
    return cast, lookup


def roster_from_characters(characters: list[dict]) -> list[dict]:
    return [
        {
            "name": c["name"],
            "aliases": [a for a in c["aliases"] if a != NARRATOR_MARK and a != c["name"]],
            "gender": c["gender"],
        }
        for c in characters
    ]


def read_gold(folder: Path, lookup: dict[str, str]) -> list[GoldQuote]:
    gold = []
    with open(folder / "quotation_info.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            spans = [tuple(s) for s in json.loads(row["quoteByteSpans"])]
            if not spans:
                continue
            speaker = row["speaker"].strip()
            try:
                addressed = ast.literal_eval(row.get("addressees") or "[]")
            except (ValueError, SyntaxError):
                addressed = []
            gold.append(
                GoldQuote(
                    spans=spans,
                    speaker=lookup.get(speaker),
                    kind=(row.get("quoteType") or "").strip().lower(),
                    text=row.get("quoteText") or "",
                    addressees=[lookup[a.strip()] for a in addressed if isinstance(a, str) and a.strip() in lookup],
                )
            )
    return gold


def novels_to_run(args) -> list[str]:
    pdnc = args.data / "pdnc"
    available = sorted(p.name for p in pdnc.iterdir() if (p / "novel_text.txt").exists())
    if args.novels:
        unknown = [n for n in args.novels if n not in available]
        if unknown:
            raise SystemExit(f"error: unknown novel(s): {', '.join(unknown)} (have: {', '.join(available)})")
        return args.novels
    if args.held_out:
        return json.loads(SPLITS.read_text())["held_out"]
    if args.train:
        return json.loads(SPLITS.read_text())["train"]
    return available


@functools.lru_cache(maxsize=1)
def stock_spacy():
    import spacy

    return spacy.load(ficlens.nlp.default_model_name())


@functools.lru_cache(maxsize=1)
def numpy_spacy():
    """A second stock copy, multiplying with numpy's BLAS as ficlens's own pipeline does."""
    import spacy

    nlp = spacy.load(ficlens.nlp.default_model_name())
    ficlens.nlp.multiply_with_numpy(nlp)
    return nlp


def spacy_tokens_per_second(text: str, max_words: int, numpy_blas: bool = False) -> tuple[int, float]:
    """Tokens per CPU-second of the full spaCy pipeline over the text's paragraphs (first ``max_words``), run as
    a user would: its own copy of the model, as spaCy loads it (ficlens tunes the one it uses); with
    ``numpy_blas``, a second copy multiplying with numpy's BLAS as ficlens's own does
    (``ficlens.nlp.multiply_with_numpy``)."""
    nlp = numpy_spacy() if numpy_blas else stock_spacy()
    paragraphs, words = [], 0
    for para in re.split(r"\n\s*\n", text):
        if not para.strip():
            continue
        paragraphs.append(para)
        words += len(para.split())
        if max_words and words >= max_words:
            break
    if numpy_blas:
        ficlens.nlp.parse(nlp, paragraphs[:20])  # warm up outside the clock
        t0 = time.process_time()
        ficlens.nlp.parse(nlp, paragraphs, batch_size=64)
        return words, time.process_time() - t0
    list(nlp.pipe(paragraphs[:20]))  # warm up outside the clock
    t0 = time.process_time()
    for _ in nlp.pipe(paragraphs, batch_size=64):
        pass
    return words, time.process_time() - t0


def context(text: str, start: int, end: int, width: int = 60) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    snippet = text[lo:start] + "[[" + text[start:end] + "]]" + text[end:hi]
    return " ".join(snippet.split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder (holds pdnc/)")
    ap.add_argument("--novels", nargs="+", metavar="NAME", help="novel folder names (default: all)")
    ap.add_argument("--held-out", action="store_true", help="only the held-out novels of bench/splits.json")
    ap.add_argument("--train", action="store_true", help="only the training novels of bench/splits.json")
    ap.add_argument("--with-characters", action="store_true", help="pass character_info.csv as the roster")
    ap.add_argument("--stages", help=f"comma-separated stages to run (default: all: {','.join(STAGES)})")
    ap.add_argument("--spacy", action="store_true", help="also time spaCy's full pipeline on the same text")
    ap.add_argument("--spacy-numpy", action="store_true",
                    help="also time spaCy given numpy's BLAS as ficlens uses it (implies --spacy)")
    ap.add_argument("--spacy-words", type=int, default=30000, help="words per novel for --spacy (0: all)")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N missed / spurious quotes per novel")
    ap.add_argument("--timeout", type=int, default=0, help="wall-clock seconds allowed per novel (0: no limit)")
    ap.add_argument("--max-gb", type=float, default=6.0, help="address-space limit in GiB, so that a runaway stage fails instead of starving a shared machine (0: none)")
    ap.add_argument("--json-out", type=Path, help="write per-novel and total figures as JSON")
    args = ap.parse_args(argv)
    args.spacy = args.spacy or args.spacy_numpy
    apply_limits(args.max_gb)
    args.data = args.data.resolve()
    if not (args.data / "pdnc").is_dir():
        raise SystemExit(f"error: no pdnc/ under {args.data} (use --data)")
    stages = tuple(s.strip() for s in args.stages.split(",")) if args.stages else STAGES
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise SystemExit(f"error: unknown stage(s): {', '.join(unknown)}")

    novels = novels_to_run(args)
    results: dict[str, dict] = {}
    failures: dict[str, str] = {}
    total = Score()
    total_tokens, total_cpu = 0, 0.0
    spacy_words, spacy_cpu, spacy_numpy_cpu = 0, 0.0, 0.0
    out = Console(width=200)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("PDNC", total=len(novels))
        for name in novels:
            progress.update(task, description=f"PDNC {name}")
            folder = args.data / "pdnc" / name
            text = (folder / "novel_text.txt").read_text(encoding="utf-8")
            characters = read_characters(folder)
            cast, lookup = gold_cast(characters)
            gold = read_gold(folder, lookup)
            roster = roster_from_characters(characters) if args.with_characters else None
            t0 = time.process_time()
            signal.alarm(args.timeout)
            try:
                if stages == STAGES:
                    story = ficlens.analyze_text(text, characters=roster)
                else:
                    story = run_pipeline(from_text(text), Options(roster=resolve_roster(roster, None), stages=stages))
            except (Exception, MemoryError, TimeoutError) as exc:  # one broken novel must not hide the others' figures
                failures[name] = f"{type(exc).__name__}: {exc}"[:200]
                console.print(f"[red]{name}: analysis failed: {failures[name]}[/red]")
                progress.advance(task)
                continue
            finally:
                signal.alarm(0)
            cpu = time.process_time() - t0
            tokens = len(text.split())
            result = score(gold, pred_quotes(story), cast)
            total.add(result)
            total_tokens += tokens
            total_cpu += cpu
            row = result.as_dict() | {"tokens": tokens, "cpu_s": round(cpu, 3), "tokens_per_cpu_s": round(tokens / cpu)}
            if args.spacy:
                w, s = spacy_tokens_per_second(text, args.spacy_words)
                spacy_words += w
                spacy_cpu += s
                row["spacy_tokens_per_cpu_s"] = round(w / s) if s else None
            if args.spacy_numpy:
                w, s = spacy_tokens_per_second(text, args.spacy_words, numpy_blas=True)
                spacy_numpy_cpu += s
                row["spacy_numpy_tokens_per_cpu_s"] = round(w / s) if s else None
            results[name] = row
            if args.show_errors:
                out.rule(f"{name}: {len(result.misses)} missed, {len(result.false_positives)} spurious")
                for g in result.misses[: args.show_errors]:
                    s, e = min(a for a, _ in g.spans), max(b for _, b in g.spans)
                    out.print(f"MISS {s}: {context(text, s, e)}", markup=False, highlight=False)
                for p in result.false_positives[: args.show_errors]:
                    out.print(f"SPURIOUS {p.start}: {context(text, p.start, p.end)}", markup=False, highlight=False)
            progress.advance(task)

    table = Table(title=f"PDNC, {'with' if args.with_characters else 'without'} character list; stages: {','.join(stages)}")
    for col in ("novel", "gold", "pred", "span P", "span R", "span F1", "spk acc", "expl", "anaph", "impl", "addr", "tok/CPU-s"):
        table.add_column(col, justify="left" if col == "novel" else "right")
    if args.spacy:
        table.add_column("spaCy tok/CPU-s", justify="right")
    if args.spacy_numpy:
        table.add_column("spaCy, numpy BLAS", justify="right")

    def pct(v):
        return "-" if v is None else f"{100 * v:.1f}"

    def add_row(label, r):
        cells = [
            label,
            str(r["gold_quotes"]),
            str(r["predicted_quotes"]),
            f"{r['span_precision']:.3f}",
            f"{r['span_recall']:.3f}",
            f"{r['span_f1']:.3f}",
            pct(r["speaker_accuracy"]),
            *(pct(r["speaker_accuracy_by_type"][k]) for k in QUOTE_TYPES),
            pct(r["addressee_accuracy"]),
            f"{r['tokens_per_cpu_s']:,}",
        ]
        if args.spacy:
            cells.append(f"{r['spacy_tokens_per_cpu_s']:,}" if r.get("spacy_tokens_per_cpu_s") else "-")
        if args.spacy_numpy:
            cells.append(f"{r['spacy_numpy_tokens_per_cpu_s']:,}" if r.get("spacy_numpy_tokens_per_cpu_s") else "-")
        table.add_row(*cells)

    for name, r in results.items():
        add_row(name, r)
    total_row = total.as_dict() | {
        "tokens": total_tokens,
        "cpu_s": round(total_cpu, 3),
        "tokens_per_cpu_s": round(total_tokens / total_cpu) if total_cpu else 0,
    }
    if args.spacy:
        total_row["spacy_tokens_per_cpu_s"] = round(spacy_words / spacy_cpu) if spacy_cpu else None
    if args.spacy_numpy:
        total_row["spacy_numpy_tokens_per_cpu_s"] = round(spacy_words / spacy_numpy_cpu) if spacy_numpy_cpu else None
    table.add_section()
    add_row(f"TOTAL ({len(results)} novels)", total_row)
    out.print(table)
    for name, error in failures.items():
        out.print(f"FAILED {name}: {error} (left out of the total)", markup=False, highlight=False)
    if args.json_out:
        args.json_out.write_text(
            json.dumps(
                {"stages": list(stages), "with_characters": args.with_characters, "novels": results, "total": total_row, "failed": failures},
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
