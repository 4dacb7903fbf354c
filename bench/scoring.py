"""Scoring shared by the bench scripts: the rule in DESIGN.md "How speaker attribution is scored".

Each gold quotation is matched to the predicted quotation that overlaps it most (none: a miss).  A predicted
speaker is right when its display name is one of the gold speaker's names (case, periods and apostrophes
ignored), or, when the display name names no single gold character, when most of its aliases point to the
gold speaker.  Quote spans: a predicted quote counts (precision) when it overlaps a gold span; a gold quote
counts (recall) when some predicted quote overlaps it.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
QUOTE_TYPES = ("explicit", "anaphoric", "implicit")


def norm_name(name: str) -> str:
    """Names compare with case, periods and apostrophes ignored (and spaces squeezed)."""
    return " ".join(re.sub(r"[.'\u2019]", "", name).lower().split())


@dataclass
class GoldQuote:
    spans: list[tuple[int, int]]
    speaker: str | None  # gold character key (see GoldCast), None when unknown
    kind: str  # explicit | anaphoric | implicit | other
    text: str = ""
    addressees: list[str] = field(default_factory=list)  # gold character keys; empty when none is known


@dataclass
class GoldCast:
    """Gold characters: key -> the normalised names that denote that character."""

    names: dict[str, set[str]] = field(default_factory=dict)

    def index(self) -> dict[str, set[str]]:
        by_name: dict[str, set[str]] = defaultdict(set)
        for key, names in self.names.items():
            for n in names:
                by_name[n].add(key)
        return by_name


@dataclass
class PredQuote:
    spans: list[tuple[int, int]]
    speaker_name: str | None
    speaker_aliases: list[str]
    start: int
    end: int
    addressee: tuple[str, list[str]] | None = None  # the first addressee's name and aliases


def pred_quotes(story) -> list[PredQuote]:
    out = []
    for q in story.quotes:
        spans = [(p.start, p.end) for p in q.parts] or [(q.start, q.end)]
        character = story.character(q.speaker)
        addressed = story.character(q.addressees[0]) if q.addressees else None
        out.append(
            PredQuote(
                spans=spans,
                speaker_name=character.name if character else None,
                speaker_aliases=list(character.aliases) if character else [],
                start=q.start,
                end=q.end,
                addressee=(addressed.name, list(addressed.aliases)) if addressed else None,
            )
        )
    out.sort(key=lambda p: p.start)
    return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    total = 0
    for s1, e1 in a:
        for s2, e2 in b:
            lo, hi = max(s1, s2), min(e1, e2)
            if hi > lo:
                total += hi - lo
    return total


def speaker_correct(pred: PredQuote, gold_speaker: str | None, cast: GoldCast, by_name: dict[str, set[str]]) -> bool:
    return names_character(pred.speaker_name, pred.speaker_aliases, gold_speaker, cast, by_name)


def names_character(name: str | None, aliases: list[str], gold: str | None, cast: GoldCast,
                    by_name: dict[str, set[str]]) -> bool:
    """Whether a predicted character (display name and aliases) is the gold character ``gold``."""
    if gold is None or not name:
        return False
    name = norm_name(name)
    if name in cast.names.get(gold, set()):
        return True
    owners = by_name.get(name, set())
    if len(owners) == 1:
        return False  # the name denotes one gold character, and not this one
    aliases = [norm_name(a) for a in aliases if norm_name(a) and norm_name(a) != name]
    if not aliases:
        return False
    pointing = sum(1 for a in aliases if gold in by_name.get(a, set()))
    return pointing * 2 > len(aliases)


@dataclass
class Score:
    gold: int = 0
    gold_found: int = 0
    pred: int = 0
    pred_true: int = 0
    correct: int = 0
    addressed: int = 0  # found quotations with a known gold addressee
    addressed_correct: int = 0  # ... whose first predicted addressee is one of them
    by_type: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # kind -> [correct, n]
    misses: list[GoldQuote] = field(default_factory=list)
    false_positives: list[PredQuote] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.gold += other.gold
        self.gold_found += other.gold_found
        self.pred += other.pred
        self.pred_true += other.pred_true
        self.correct += other.correct
        self.addressed += other.addressed
        self.addressed_correct += other.addressed_correct
        for kind, (c, n) in other.by_type.items():
            self.by_type[kind][0] += c
            self.by_type[kind][1] += n

    @property
    def precision(self) -> float:
        return self.pred_true / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    def type_accuracy(self, kind: str) -> float | None:
        c, n = self.by_type.get(kind, (0, 0))
        return c / n if n else None

    def as_dict(self) -> dict:
        return {
            "gold_quotes": self.gold,
            "predicted_quotes": self.pred,
            "span_precision": round(self.precision, 4),
            "span_recall": round(self.recall, 4),
            "span_f1": round(self.f1, 4),
            "speaker_accuracy": round(self.accuracy, 4),
            "speaker_accuracy_by_type": {
                k: (round(v, 4) if (v := self.type_accuracy(k)) is not None else None) for k in QUOTE_TYPES
            },
            "quotes_by_type": {k: self.by_type.get(k, (0, 0))[1] for k in QUOTE_TYPES},
            "addressee_accuracy": round(self.addressed_correct / self.addressed, 4) if self.addressed else None,
        }


def score(gold: list[GoldQuote], preds: list[PredQuote], cast: GoldCast) -> Score:
    by_name = cast.index()
    result = Score(gold=len(gold), pred=len(preds))
    starts = [p.start for p in preds]
    max_len = max((p.end - p.start for p in preds), default=0)
    pred_hit = [False] * len(preds)
    for g in gold:
        g_lo = min(s for s, _ in g.spans)
        g_hi = max(e for _, e in g.spans)
        best, best_overlap = None, 0
        first = bisect.bisect_left(starts, g_lo - max_len)
        for k in range(first, len(preds)):
            p = preds[k]
            if p.start >= g_hi:
                break
            if p.end <= g_lo:
                continue
            ov = _overlap(g.spans, p.spans)
            if ov > 0:
                pred_hit[k] = True
                if ov > best_overlap:
                    best, best_overlap = p, ov
        kind = g.kind if g.kind in QUOTE_TYPES else "other"
        result.by_type[kind][1] += 1
        if best is None:
            result.misses.append(g)
            continue
        result.gold_found += 1
        if speaker_correct(best, g.speaker, cast, by_name):
            result.correct += 1
            result.by_type[kind][0] += 1
        if g.addressees:
            result.addressed += 1
            if best.addressee is not None:
                result.addressed_correct += any(names_character(*best.addressee, a, cast, by_name)
                                                for a in g.addressees)
    result.pred_true = sum(pred_hit)
    result.false_positives = [p for p, hit in zip(preds, pred_hit) if not hit]
    return result


def _timed_out(signum, frame):
    raise TimeoutError("ran past --timeout")


def apply_limits(max_gb: float) -> None:
    """Make ``signal.alarm`` raise TimeoutError and cap the address space at ``max_gb`` GiB (0: no cap), so that
    a runaway stage fails its own text instead of starving a shared machine."""
    import resource
    import signal

    signal.signal(signal.SIGALRM, _timed_out)
    if max_gb:
        limit = int(max_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


PRONOUN_NAMES = frozenset({"i", "me", "you"})  # a gold alias for a narrator or a reader, not a name in the text


@dataclass
class CastScore:
    """How the characters a story's gold lists (who speaks or is spoken to) come out among ficlens's characters:
    ``named``, under a name of theirs (what scoring a speaker right needs); ``misnamed``, held by a character
    whose display name is not theirs ("Lieutenant Colonel" for Roy Mustang); ``missing``, in no character.
    ``split``: named, and more than one character is named for them."""

    gold: int = 0
    named: int = 0
    misnamed: int = 0
    missing: int = 0
    split: int = 0
    misnamed_names: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)

    def add(self, other: "CastScore") -> None:
        self.gold += other.gold
        self.named += other.named
        self.misnamed += other.misnamed
        self.missing += other.missing
        self.split += other.split
        self.misnamed_names += other.misnamed_names
        self.missing_names += other.missing_names

    def as_dict(self) -> dict:
        return {"gold_characters": self.gold, "named": self.named, "misnamed": self.misnamed,
                "missing": self.missing, "split": self.split,
                "named_share": round(self.named / self.gold, 4) if self.gold else None}


def score_cast(story, cast: GoldCast) -> CastScore:
    """Score ``story``'s characters against the gold ``cast`` (see CastScore)."""
    by_name = cast.index()
    out = CastScore()
    held: dict[str, set[str]] = defaultdict(set)  # gold key -> ids of characters holding a name mention of theirs
    for m in story.mentions:
        if m.kind == "pronoun" or m.character is None:
            continue
        for key in by_name.get(norm_name(m.text), ()):
            held[key].add(m.character)
    for key, names in cast.names.items():
        out.gold += 1
        named = [c for c in story.characters if names_character(c.name, c.aliases, key, cast, by_name)]
        if named:
            out.named += 1
            out.split += len(named) > 1
        elif held.get(key) or any(norm_name(a) in names - PRONOUN_NAMES
                                  for c in story.characters for a in c.aliases):
            out.misnamed += 1
            out.misnamed_names.append(key)
        else:
            out.missing += 1
            out.missing_names.append(key)
    return out
