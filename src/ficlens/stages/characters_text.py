"""Text helpers shared by the characters and attribution stages: body paragraphs, tokens, quote masks.

Everything here is plain regular expressions over ``Story.text``: the two stages read names, pronouns and
speech tags from surface patterns rather than a full parse, which keeps them at many times spaCy's speed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicons
from ..model import Story, trim_span

# A word (letters, digits, inner apostrophes and hyphens) or one punctuation character. Texts saved through
# a lossy encoding carry "?" (or U+FFFD) for each letter outside it ("Th?r?se de Vitr?."): such a mark inside
# a word, or closing one before a period or a word in lower case ("Vitr? walked"), where a real question mark
# hardly ever stands, is a lost letter.
_LETTER = r"(?:[^\W_]|\ufffd)"
TOKEN = re.compile(
    rf"{_LETTER}+(?:(?:['’\-]|\?)?{_LETTER}+)*(?:\?(?=\.(?!\.)|[ \t]+[a-z]))?['’]?|[^\w\s]", re.UNICODE
)
LOST_LETTER = re.compile(r"(?<=\w)[?\ufffd]|\ufffd")
# The letter put back for a lost one: é and è are by far the commonest letters English texts borrow outside
# ASCII ("Thérèse", "Vitré", "café"), so "e" restores most names to the spelling readers (and lists) use.
RESTORED_LETTER = "e"
BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
QUOTE_CHARS = set("\"“”‘’'«»「」『』")
OPENING_QUOTES = set("“‘«「『")
CLOSING_QUOTES = set("”’»」』")
SENTENCE_END = set(".!?…")


@dataclass
class Token:
    start: int
    end: int
    text: str
    in_quote: bool = False

    @property
    def lower(self) -> str:
        return self.text.lower()

    def is_word(self) -> bool:
        return self.text[0].isalnum()

    def is_cap(self) -> bool:
        return self.text[0].isupper()


def _lines_rejoined(text: str, spans: list[tuple[int, int]], quoted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines set apart by single line breaks, joined where they are one paragraph: a line that a quotation runs
    into from the line before, with no opening mark of its own (hard-wrapped speech), and a line that opens in
    lower case just after a line that closes a quotation, a speech tag put on a line of its own ('"Tell us your
    name!"' then 'said the man.'; not in a story written all in lower case).  ``quoted``: each quotation's
    (start, end), in order."""
    if not spans:
        return spans
    tags_apart = sum(1 for a, _ in spans if text[a].islower()) * 2 <= len(spans)
    starts = [s for s, _ in quoted]
    merged = [spans[0]]
    for a, b in spans[1:]:
        end = merged[-1][1]
        k = bisect.bisect_left(starts, end) - 1  # the last quotation that starts before the line break
        runs_on = k >= 0 and quoted[k][1] > a and text[a] not in OPENING_QUOTES | {'"', "'"}
        tag = tags_apart and text[a].islower() and text[end - 1] in CLOSING_QUOTES | {'"', "'"}
        if runs_on or tag:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def body_paragraphs(story: Story) -> list[tuple[int, int]]:
    """The body paragraphs as (start, end); falls back to blank-line splitting of the body blocks (or the
    whole text) when the structure stage has not listed paragraphs."""
    if story.paragraphs:
        spans = [(p.start, p.end) for p in story.paragraphs]
        blank = [bool(BLANK_LINES.search(story.text, a[1], b[0])) for a, b in zip(spans, spans[1:])]
        if len(blank) >= 10 and sum(blank) >= 0.8 * len(blank):
            # Text whose paragraphs are set apart by blank lines: a single line break inside one is hard
            # wrapping ("said Mrs.\nGardiner"), so join those pieces back together.
            merged = [spans[0]]
            for span, gap_is_blank in zip(spans[1:], blank):
                if gap_is_blank:
                    merged.append(span)
                else:
                    merged[-1] = (merged[-1][0], span[1])
            return merged
        quoted = sorted((q.start, q.end) for q in story.quotes)
        return _lines_rejoined(story.text, spans, quoted)
    regions = [(b.start, b.end) for b in story.body_blocks()] or [(0, len(story.text))]
    paragraphs = []
    for start, end in regions:
        pos = start
        for gap in BLANK_LINES.finditer(story.text, start, end):
            if story.text[pos : gap.start()].strip():
                paragraphs.append(trim_span(story.text, pos, gap.start()))
            pos = gap.end()
        if story.text[pos:end].strip():
            paragraphs.append(trim_span(story.text, pos, end))
    return paragraphs


class QuoteMask:
    """Answers 'is this offset inside quoted speech?' for the story's quotations (their parts)."""

    def __init__(self, story: Story):
        spans = []
        for q in story.quotes:
            if q.parts:
                spans.extend((p.start, p.end) for p in q.parts)
            else:
                spans.append((q.start, q.end))
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        # Quote outer spans (with marks) for "is this offset inside a quotation at all".
        outer = sorted((q.start, q.end) for q in story.quotes)
        self.outer_starts = [s for s, _ in outer]
        self.outer_ends = [e for _, e in outer]

    def inside(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]

    def inside_outer(self, offset: int) -> bool:
        i = bisect.bisect_right(self.outer_starts, offset) - 1
        return i >= 0 and offset < self.outer_ends[i]


def tokens(text: str, start: int, end: int, mask: QuoteMask | None = None) -> list[Token]:
    out = []
    for m in TOKEN.finditer(text, start, end):
        s = m.start()
        word = m.group()
        if len(word) > 1:
            word = LOST_LETTER.sub(RESTORED_LETTER, word)
        out.append(Token(s, m.end(), word, mask.inside(s) if mask else False))
    return out


@lru_cache(maxsize=None)
def speech_verbs() -> frozenset[str]:
    return lexicons.load_words("speech_verbs.txt")


@lru_cache(maxsize=None)
def honorifics() -> dict:
    return lexicons.load_json("honorifics.json")


@lru_cache(maxsize=None)
def stopwords() -> frozenset[str]:
    return lexicons.load_words("name_stopwords.txt")


@lru_cache(maxsize=None)
def place_heads() -> frozenset[str]:
    return lexicons.load_words("place_heads.txt")


@lru_cache(maxsize=None)
def agent_verbs() -> frozenset[str]:
    return lexicons.load_words("agent_verbs.txt")


@lru_cache(maxsize=None)
def pronouns() -> dict[str, frozenset[str]]:
    data = lexicons.load_json("pronouns.json")
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=None)
def nominals() -> dict[str, str | None]:
    """Person nouns -> gender they show (or None)."""
    out: dict[str, str | None] = {}
    for entry in lexicons.load_words("nominals.txt"):
        word, _, rest = entry.partition(":")
        out[word.strip()] = rest.partition(":")[0].strip().upper() or None
    return out


ADDRESS_PREPOSITIONS = frozenset({"to", "at", "towards", "toward"})  # "said Tom to Mary", "smiled at Mary"


@lru_cache(maxsize=None)
def address_verbs() -> frozenset[str]:
    """Verbs after which "to <Name>" is the one spoken or turned to (lexicons/address_verbs.txt)."""
    return lexicons.load_words("address_verbs.txt")


@lru_cache(maxsize=None)
def _self_naming() -> frozenset[str]:
    return lexicons.load_words("self_naming.txt")


def gives_own_name(text: str, start: int) -> bool:
    """Whether the name at ``start`` comes just after words that give it as one's own ("My name is", "I'm",
    "call me": lexicons/self_naming.txt)."""
    before = " ".join(text[max(0, start - 24) : start].lower().replace("\u2019", "'").split())
    return any(before.endswith(p) and (len(before) == len(p) or not before[-len(p) - 1].isalnum())
               for p in _self_naming())


@lru_cache(maxsize=None)
def epithet_stopwords() -> frozenset[str]:
    """Words after "the" beside a name that are not what the text calls that person ("Jane, the eldest,")."""
    return lexicons.load_words("epithet_stopwords.txt") | frozenset(
        word for word, mark in nominal_marks().items() if mark in ("generic", "vague"))


@lru_cache(maxsize=None)
def role_nouns() -> frozenset[str]:
    """Person nouns for a trade or post whose holder is seldom named ("the waiter"): marked "role"."""
    return frozenset(e.partition(":")[0].strip() for e in lexicons.load_words("nominals.txt")
                     if e.partition(":")[2].partition(":")[2].strip() == "role")


@lru_cache(maxsize=None)
def nominal_marks() -> dict[str, str]:
    """Person noun -> the mark in its third field of nominals.txt ("role", "calling", "generic", "vague")."""
    return {e.partition(":")[0].strip(): e.partition(":")[2].partition(":")[2].strip()
            for e in lexicons.load_words("nominals.txt") if e.partition(":")[2].partition(":")[2].strip()}


@lru_cache(maxsize=None)
def calling_nouns() -> frozenset[str]:
    """Person nouns for a calling whose holder the novel names ("the painter"): marked "calling"."""
    return frozenset(e.partition(":")[0].strip() for e in lexicons.load_words("nominals.txt")
                     if e.partition(":")[2].partition(":")[2].strip() == "calling")


@lru_cache(maxsize=None)
def clause_openers() -> frozenset[str]:
    """Words after which a person phrase opens a clause as its subject ("..., for the lady answered")."""
    return lexicons.load_words("clause_openers.txt")


@lru_cache(maxsize=None)
def speech_nouns() -> frozenset[str]:
    return lexicons.load_words("speech_nouns.txt")


def pronoun_gender(word: str) -> str | None:
    w = word.lower()
    for gender in ("M", "F", "N"):
        if w in pronouns()[gender]:
            return gender
    if w in pronouns()["first"]:
        return "I"
    return None


def is_familiar_form(word: str) -> bool:
    """The Chinese familiar 'A-' before a given name ("A-Ning"), not "A-Team" or "A-OK"."""
    return word.startswith("A-") and len(word) > 3 and word[2].isupper() and word[3:].islower()


def split_honorific(word: str) -> tuple[str, str | None]:
    """'Kakashi-sensei' -> ('Kakashi', 'sensei'); 'Itachi-nii-san' -> ('Itachi', 'nii-san'); the Chinese
    familiar 'A-' before a given name: 'A-Ning' -> ('Ning', None)."""
    if "-" not in word:
        return word, None
    if is_familiar_form(word):
        return word[2:], None
    head, _, rest = word.partition("-")
    suffix = rest.lower().rstrip("'’")
    if suffix in honorifics()["suffixes"] or suffix.replace("-", "") in honorifics()["suffixes"]:
        return head, suffix
    return word, None


def strip_possessive(word: str) -> tuple[str, bool]:
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)], True
    return word, False


def normalise_name(name: str) -> str:
    """Compare names ignoring case, periods, apostrophes and honorific suffixes."""
    words = []
    for w in re.findall(r"[^\W_]+(?:[\-'’][^\W_]+)*", name):
        w, _ = strip_possessive(w)
        w, _ = split_honorific(w)
        words.append(w.lower().replace("'", "").replace("’", ""))
    return " ".join(words)


@lru_cache(maxsize=None)
def nicknames() -> dict[str, frozenset[str]]:
    """Familiar form -> the given names it is short for ("lizzy" -> {"elizabeth"}), lower case."""
    out: dict[str, set[str]] = {}
    for entry in lexicons.load_words("nicknames.txt"):
        given, _, forms = entry.partition(":")
        for form in forms.split(","):
            if form.strip():
                out.setdefault(form.strip(), set()).add(given.strip())
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def _patronymic_endings() -> tuple[tuple[str, str], ...]:
    data = lexicons.load_json("patronymics.json")
    return tuple((ending, sex) for sex in ("M", "F") for ending in data[sex])


def patronymic_gender(word: str) -> str | None:
    """"Ivanovich" -> "M", "Alexandrovna" -> "F" (lexicons/patronymics.json); None for any other word."""
    w = word.lower()
    for ending, sex in _patronymic_endings():
        if w.endswith(ending) and len(w) >= len(ending) + 2:
            return sex
    return None


@lru_cache(maxsize=None)
def given_name_genders() -> dict[str, str]:
    """Lower-case given name -> "F" or "M", for names English fiction gives to one sex only."""
    out = {}
    for entry in lexicons.load_words("given_name_genders.txt"):
        name, _, gender = entry.partition(":")
        out[name.strip()] = gender.strip().upper()
    return out


@lru_cache(maxsize=1)
def _reader_insert_pattern() -> re.Pattern:
    markers = sorted(lexicons.load_words("reader_insert.txt"), key=len, reverse=True)
    alternatives = "|".join(re.escape(m) for m in markers)
    # "Y/N", "(Y/N)", "[y/n]", "{Y/N}"; not inside a longer word such as "TRY/NOT".
    return re.compile(rf"(?<![\w/])[\(\[\{{]?(?:{alternatives})[\)\]\}}]?(?![\w/])", re.IGNORECASE)


def reader_insert_markers(text: str) -> list[re.Match]:
    """Reader-insert placeholders ("Y/N", "(L/N)", "[e/c]") in ``text`` (lexicons/reader_insert.txt)."""
    return list(_reader_insert_pattern().finditer(text))
