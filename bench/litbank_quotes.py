"""Quotation spans and speakers on LitBank's quotation layer (100 excerpts of ~2,000 words).

    .venv/bin/python bench/litbank_quotes.py                          # all stages, all 100 excerpts
    .venv/bin/python bench/litbank_quotes.py --stages structure,quotes --show-errors 5
    .venv/bin/python bench/litbank_quotes.py --tokenized               # feed the tokenized text as it is

LitBank's texts are tokenized, one sentence per line, tokens separated by spaces; paragraph breaks are
not kept.  By default each line is lightly detokenized (no space before , . ; : ! ? ” ’ n't 's, none after
“ ‘ ( and an opening straight quote) so that ficlens reads text as people write it; lines stay joined by
newlines; a token -> character map carries the gold spans over.  --tokenized skips that step.

Gold quotations are the QUOTE rows (sentence/token spans, end inclusive; the marks are trimmed off).  The
gold speaker is the ATTRIB row's coreference label; its names are the texts of that entity's proper-name
mentions in LitBank's coreference layer (a PROP_PER mention with the label), plus the label itself
("Mrs_Bennet-7" -> "Mrs Bennet").  Scoring is the rule of DESIGN.md (bench/scoring.py).
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

import ficlens  # noqa: E402
from ficlens.ingest import from_text  # noqa: E402
from ficlens.pipeline import STAGES, Options, run as run_pipeline  # noqa: E402
from scoring import apply_limits, DEFAULT_DATA, GoldCast, GoldQuote, norm_name, pred_quotes, score, Score  # noqa: E402

console = Console(stderr=True)

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "\u201d", "\u2019", "...", "n't", "n\u2019t", "%"}
NO_SPACE_AFTER = {"\u201c", "\u2018", "(", "[", "{", "$"}
CLITIC = re.compile(r"^['\u2019](s|ll|re|ve|d|m|t)$", re.IGNORECASE)
QUOTE_MARK_TOKENS = {'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''"}


def detokenize(lines: list[list[str]], keep_tokens: bool) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text and, per sentence and token, its (start, end) in that text."""
    out: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    double_open = False
    for li, tokens in enumerate(lines):
        if li:
            out.append("\n")
            pos += 1
        spans = []
        glue_next = True  # no space before the first token of a line
        for ti, tok in enumerate(tokens):
            if keep_tokens:
                space = not glue_next
                glue_next = False
            else:
                nxt = tokens[ti + 1] if ti + 1 < len(tokens) else None
                space = not glue_next
                glue_next = False
                if tok in NO_SPACE_BEFORE or CLITIC.match(tok):
                    space = False
                if tok in NO_SPACE_AFTER:
                    glue_next = True
                elif tok == '"':
                    # sentence splitting keeps a closing mark with its sentence: a mark opening a line
                    # opens, one ending a line after punctuation closes
                    if ti == 0:
                        double_open = False
                    elif nxt is None and tokens[ti - 1] in {".", ",", "!", "?", "--", "-", "...", ";"}:
                        double_open = True
                    if double_open:
                        space = False
                    else:
                        glue_next = True
                    double_open = not double_open
                elif tok == "'":
                    prev = tokens[ti - 1] if ti else None
                    opens = nxt is not None and nxt[:1].isalpha() and (prev is None or not prev[-1:].isalnum())
                    if opens:
                        glue_next = True
                    else:
                        space = False
            if space:
                out.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok)))
            out.append(tok)
            pos += len(tok)
        offsets.append(spans)
    return "".join(out), offsets


def read_excerpt(data: Path, stem: str):
    """Tokens per sentence, gold quotes (token spans + speaker label) and speaker names."""
    quote_dir = data / "litbank" / "quotations" / "tsv"
    raw = (quote_dir / f"{stem}.txt").read_text(encoding="utf-8")
    lines = [line.split(" ") if line else [] for line in raw.split("\n")]
    # character offsets of the raw (brat) text, for the coreference layer
    raw_offsets, pos = [], 0
    for tokens in lines:
        spans = []
        for tok in tokens:
            spans.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        if not tokens:
            pos += 1
        raw_offsets.append(spans)
    quotes, attrib = {}, {}
    for row in (quote_dir / f"{stem}.ann").read_text(encoding="utf-8").splitlines():
        cols = row.split("\t")
        if cols[0] == "QUOTE":
            quotes[cols[1]] = tuple(int(c) for c in cols[2:6])
        elif cols[0] == "ATTRIB":
            attrib[cols[1]] = cols[2].strip()
    names: dict[str, set[str]] = defaultdict(set)
    coref = data / "litbank" / "coref" / "brat" / f"{stem}.ann"
    if coref.exists():
        kinds: dict[tuple[int, int], str] = {}
        labelled: list[tuple[str, tuple[int, int], str]] = []
        for row in coref.read_text(encoding="utf-8").splitlines():
            cols = row.split("\t")
            if not cols[0].startswith("T") or len(cols) < 3:
                continue
            label, *span = cols[1].split(" ")
            if len(span) != 2:
                continue
            key = (int(span[0]), int(span[1]))
            if label.startswith(("PROP_", "NOM_", "PRON_")):
                kinds[key] = label
            else:
                labelled.append((label, key, cols[2]))
        for label, key, mention in labelled:
            if kinds.get(key) == "PROP_PER":
                names[label].add(mention)
    return lines, quotes, attrib, names


def label_name(label: str) -> str:
    return " ".join(re.sub(r"-\d+$", "", label).replace("_", " ").split())


def context(text: str, start: int, end: int, width: int = 60) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    return " ".join((text[lo:start] + "[[" + text[start:end] + "]]" + text[end:hi]).split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder (holds litbank/)")
    ap.add_argument("--stages", help=f"comma-separated stages to run (default: all: {','.join(STAGES)})")
    ap.add_argument("--tokenized", action="store_true", help="feed the tokenized text unchanged")
    ap.add_argument("--limit", type=int, default=0, help="only the first N excerpts")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N missed / spurious quotes per excerpt")
    ap.add_argument("--timeout", type=int, default=0, help="wall-clock seconds allowed per excerpt (0: no limit)")
    ap.add_argument("--max-gb", type=float, default=6.0, help="address-space limit in GiB, so that a runaway stage fails instead of starving a shared machine (0: none)")
    ap.add_argument("--json-out", type=Path, help="write the figures as JSON")
    args = ap.parse_args(argv)
    apply_limits(args.max_gb)
    data = args.data.resolve()
    quote_dir = data / "litbank" / "quotations" / "tsv"
    if not quote_dir.is_dir():
        raise SystemExit(f"error: no litbank/quotations/tsv under {data} (use --data)")
    stages = tuple(s.strip() for s in args.stages.split(",")) if args.stages else STAGES
    stems = sorted(p.stem for p in quote_dir.glob("*.ann"))
    if args.limit:
        stems = stems[: args.limit]

    total = Score()
    tokens_total, cpu_total = 0, 0.0
    per_excerpt = {}
    failures: dict[str, str] = {}
    out = Console(width=200)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("LitBank", total=len(stems))
        for stem in stems:
            lines, quotes, attrib, names = read_excerpt(data, stem)
            text, offsets = detokenize(lines, args.tokenized)
            cast = GoldCast()
            for label in set(attrib.values()):
                cast.names[label] = {norm_name(n) for n in names.get(label, ())} | {norm_name(label_name(label))}
            gold = []
            for qid, (s_sent, s_tok, e_sent, e_tok) in quotes.items():
                toks = [(si, ti) for si in range(s_sent, e_sent + 1) for ti in range(len(lines[si]))
                        if (si, ti) >= (s_sent, s_tok) and (si, ti) <= (e_sent, e_tok)]
                while toks and lines[toks[0][0]][toks[0][1]] in QUOTE_MARK_TOKENS:
                    toks.pop(0)
                while toks and lines[toks[-1][0]][toks[-1][1]] in QUOTE_MARK_TOKENS:
                    toks.pop()
                if not toks:
                    continue
                start = offsets[toks[0][0]][toks[0][1]][0]
                end = offsets[toks[-1][0]][toks[-1][1]][1]
                gold.append(GoldQuote(spans=[(start, end)], speaker=attrib.get(qid), kind="all", text=text[start:end]))
            gold.sort(key=lambda g: g.spans[0][0])
            t0 = time.process_time()
            signal.alarm(args.timeout)
            try:
                if stages == STAGES:
                    story = ficlens.analyze_text(text)
                else:
                    story = run_pipeline(from_text(text), Options(stages=stages))
            except (Exception, MemoryError, TimeoutError) as exc:  # one broken excerpt must not hide the others' figures
                failures[stem] = f"{type(exc).__name__}: {exc}"[:200]
                console.print(f"[red]{stem}: analysis failed: {failures[stem]}[/red]")
                progress.advance(task)
                continue
            finally:
                signal.alarm(0)
            cpu = time.process_time() - t0
            result = score(gold, pred_quotes(story), cast)
            total.add(result)
            n_tokens = sum(len(t) for t in lines)
            tokens_total += n_tokens
            cpu_total += cpu
            per_excerpt[stem] = result.as_dict() | {"tokens": n_tokens, "cpu_s": round(cpu, 3)}
            if args.show_errors and (result.misses or result.false_positives):
                out.rule(f"{stem}: {len(result.misses)} missed, {len(result.false_positives)} spurious")
                for g in result.misses[: args.show_errors]:
                    out.print(f"MISS {context(text, *g.spans[0])}", markup=False, highlight=False)
                for p in result.false_positives[: args.show_errors]:
                    out.print(f"SPURIOUS {context(text, p.start, p.end)}", markup=False, highlight=False)
            progress.advance(task)

    summary = total.as_dict() | {
        "excerpts": len(per_excerpt),
        "tokens": tokens_total,
        "cpu_s": round(cpu_total, 3),
        "tokens_per_cpu_s": round(tokens_total / cpu_total) if cpu_total else 0,
    }
    table = Table(title=f"LitBank quotations ({len(stems)} excerpts; {'tokenized' if args.tokenized else 'detokenized'} text; stages: {','.join(stages)})")
    for col in ("gold", "pred", "span P", "span R", "span F1", "speaker acc", "tok/CPU-s"):
        table.add_column(col, justify="right")
    table.add_row(
        str(summary["gold_quotes"]),
        str(summary["predicted_quotes"]),
        f"{summary['span_precision']:.3f}",
        f"{summary['span_recall']:.3f}",
        f"{summary['span_f1']:.3f}",
        f"{100 * summary['speaker_accuracy']:.1f}",
        f"{summary['tokens_per_cpu_s']:,}",
    )
    out.print(table)
    for stem, error in failures.items():
        out.print(f"FAILED {stem}: {error} (left out of the total)", markup=False, highlight=False)
    if args.json_out:
        args.json_out.write_text(json.dumps({"stages": list(stages), "total": summary, "excerpts": per_excerpt, "failed": failures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
