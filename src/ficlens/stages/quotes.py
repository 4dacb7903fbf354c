"""Stage 'quotes': every utterance in the story body.

Reads only body paragraphs (``story.paragraphs``; when the structure stage has filled none, the body
blocks or the whole text split into paragraphs) and fills ``story.quotes``.  A Quote's ``start``/``end``
cover the utterance with its marks; ``parts`` are the quoted words of each piece without marks; ``text``
is the parts joined by a space, with runs of whitespace (line wraps) collapsed to one space.

Conventions read: straight and curly double quotes, single-quote dialogue (apostrophes told apart),
French and German guillemets, corner brackets, em-dash dialogue, quotations running over several
paragraphs (no closing mark, the next paragraph opening with a mark) and quotations interrupted by a
speech tag (``"Well," he said, "I suppose so."`` is one utterance with two parts).  A mark left open
closes at the end of its paragraph -- unless the text breaks at every line (no blank lines) and the next
line's first mark closes it.  Hasty typing is forgiven: a closing curly mark used to open (”Hi,” she
said), a straight quotation never closed before the next one opens.  A short quotation run into the
narration with no punctuation before it (a bottle marked "poison") is a mention, not an utterance.
Single or double quotes are chosen per document by which reading encloses more text.  Plain character
scanning, no parser: it runs on whole novels (about two million words per CPU-second).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicons import load_json, load_words
from ..model import Paragraph, Quote, Span, Story

STAGE = "quotes"

# Characters after which an opening single quotation mark may stand (besides whitespace / start).
_OPENING_CONTEXT = set("([{<\u2014\u2013-\"\u201c\u201e\u00ab\u00bb:;/*_~")
_COMPLETE_END = set(".!?\u2026")
_SENTENCE_END = re.compile(r"[.!?\u2026]")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Abbreviations whose period ends no sentence (kept short: only those that appear in speech tags).
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Mme|Mlle|Dr|St|Sr|Jr|Prof|Rev|Capt|Col|Gen|Lt|Sgt|Messrs|Hon)\.")
_SINGLE_MARK = re.compile("['\u2018]")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"[^\n]+")

# A speech tag between two pieces of one utterance is short.
_MAX_TAG_WORDS = 12
_MAX_PERIOD_TAG_WORDS = 8
# Em-dash dialogue needs at least this many paragraphs opening with a dash.
_MIN_DASH_PARAGRAPHS = 2
# A quotation left open runs on over at most this many line-broken paragraphs without opening marks.
_MAX_RUN_ON_LINES = 12
# A quotation this short, run into narration with no punctuation before it, is a mention, not speech.
_MAX_MENTION_WORDS = 4


@dataclass
class _Conventions:
    """The marks one document uses for dialogue."""

    openers: dict[str, frozenset[str]]  # opening mark -> marks that may close it
    single_is_dialogue: bool  # single quotes are the dialogue marks (so they need the apostrophe tests)
    ambiguous: frozenset[str]  # marks that are both opener and closer ('"' and "'")
    dashes: tuple[str, ...]
    dash_dialogue: bool  # paragraphs opening with a dash are speech in this document
    mark_re: re.Pattern  # any mark of these conventions
    misused_openers: dict[str, str]  # closing mark -> the opening mark it stands for where placed as one


@dataclass
class _Piece:
    """The quoted words between one opening mark and its closing mark (or the paragraph's end)."""

    mark_start: int
    start: int
    end: int
    mark_end: int
    paragraph: int
    closed: bool
    opener: str


@dataclass
class _Utterance:
    pieces: list[_Piece] = field(default_factory=list)


def run(story: Story, ctx) -> None:
    paragraphs = body_paragraphs(story)
    story.quotes = find_quotes(story.text, paragraphs)


# -- paragraphs ------------------------------------------------------------------------------------


def body_paragraphs(story: Story) -> list[Span]:
    """The body paragraphs; when the structure stage gave none, the body (or the whole text) split up."""
    if story.paragraphs:
        return list(story.paragraphs)
    regions = [(b.start, b.end) for b in story.body_blocks()] or [(0, len(story.text))]
    paragraphs: list[Span] = []
    for start, end in regions:
        paragraphs.extend(split_paragraphs(story.text, start, end))
    return paragraphs


def split_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Paragraphs of ``text[start:end]``: separated by blank lines, or by line breaks when the text has
    (almost) no blank lines, as many posted stories do."""
    end = len(text) if end is None else end
    region = text[start:end]
    lines = region.count("\n") + 1
    blank_separators = len(_BLANK_LINE.findall(region))
    if blank_separators * 20 >= lines or lines < 3:
        pieces, pos = [], 0
        for separator in _BLANK_LINE.finditer(region):
            pieces.append((pos, separator.start()))
            pos = separator.end()
        pieces.append((pos, len(region)))
    else:
        pieces = [(m.start(), m.end()) for m in _LINE.finditer(region)]
    out = []
    for a, b in pieces:
        chunk = region[a:b]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Paragraph(start + a + lead, start + a + lead + len(stripped)))
    return out


# -- conventions -----------------------------------------------------------------------------------


def _is_space(ch: str) -> bool:
    return ch.isspace()


def _could_open_single(text: str, i: int, lo: int, hi: int, elisions: frozenset[str]) -> bool:
    """A single mark at ``i`` can open a quotation: after whitespace/start/opening punctuation, before a
    letter or mark, and not the apostrophe of "'em", "'tis", "rock 'n' roll"."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if not (prev.isspace() or prev in _OPENING_CONTEXT):
        return False
    if nxt.isspace() or nxt.isdigit():
        return False
    word = _WORD.match(text, i + 1, hi)
    if word:
        w = word.group().lower()
        after = text[word.end()] if word.end() < hi else " "
        if w in elisions or (after in "'\u2019" and (w + "'") in elisions):
            return False
    return True


def _could_close_single(text: str, i: int, lo: int, hi: int, tag_words: frozenset[str]) -> bool:
    """A single mark at ``i`` can close a quotation: after a non-space, before a space, punctuation or
    the end; not inside a word (don't) nor a plural possessive followed by its noun (the boys' toys)."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev.isspace() or nxt.isalnum():
        return False
    if prev.isalpha() and nxt.isspace():
        word = _WORD.match(text, _skip_space(text, i + 1, hi), hi)
        if word and word.group()[0].islower() and word.group().lower() not in tag_words:
            return False  # "the boys' toys", "goin' home"
    return True


def _placed_as_opener(text: str, i: int, lo: int, hi: int) -> bool:
    """After whitespace (or the paragraph start) and before a letter or digit."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    return (prev.isspace() or prev in _OPENING_CONTEXT) and nxt.isalnum()


def _skip_space(text: str, i: int, hi: int) -> int:
    while i < hi and text[i].isspace():
        i += 1
    return i


def _conventions(text: str, paragraphs: list[Span], single_is_dialogue: bool) -> _Conventions:
    marks = load_json("quote_marks.json")
    openers: dict[str, frozenset[str]] = {}
    for opener, closers in marks["single" if single_is_dialogue else "double"].items():
        openers[opener] = frozenset(closers)
    # French «...» and German »...« both read: whichever mark comes first in a paragraph opens.
    for name in ("guillemets", "guillemets_reversed", "always"):
        for opener, closers in marks[name].items():
            openers[opener] = frozenset(closers)
    misused = {c: o for c, o in marks["misused_openers"].items() if o in openers}
    mark_chars = set(openers) | set(misused)
    for closers in openers.values():
        mark_chars |= closers
    dashes = tuple(marks["dialogue_dashes"])
    dash_paragraphs = quote_paragraphs = 0
    for p in paragraphs:
        if text.startswith(dashes, p.start):
            dash_paragraphs += 1
        elif any(ch in openers for ch in text[p.start : p.end]):
            quote_paragraphs += 1
    # A dash opening a paragraph is dialogue only where it is the document's convention: many such
    # paragraphs, well over those with quotation marks (elsewhere it marks a break in the narration).
    dash_dialogue = (
        dash_paragraphs >= _MIN_DASH_PARAGRAPHS
        and dash_paragraphs >= 2 * quote_paragraphs
        and dash_paragraphs * 10 >= len(paragraphs)
    )
    return _Conventions(
        openers=openers,
        single_is_dialogue=single_is_dialogue,
        ambiguous=frozenset({'"', "'"}),
        dashes=dashes,
        dash_dialogue=dash_dialogue,
        mark_re=re.compile("[" + re.escape("".join(sorted(mark_chars))) + "]"),
        misused_openers=misused,
    )


def _quoted_chars(text: str, paragraphs: list[Span], conv: _Conventions) -> int:
    """Characters inside quotations closed within their paragraph, reading with ``conv``."""
    elisions = load_words("elisions.txt")
    tag_words = _tag_words()
    total = 0
    for index, p in enumerate(paragraphs):
        for piece in _scan_paragraph(text, p.start, p.end, index, conv, elisions, tag_words, None):
            if piece.closed:
                total += piece.end - piece.start
    return total


def detect_conventions(text: str, paragraphs: list[Span]) -> _Conventions:
    """Double or single quotes for dialogue?  Each reading is tried; the dialogue marks are those whose
    quotations enclose the most text, since the outer quotations hold the nested ones (and apostrophes
    rarely pair up into long closed quotations)."""
    elisions = load_words("elisions.txt")
    double_marks = sum(text.count(m) for m in ('"', "\u201c", "\u201d", "\u201e"))
    single_openers = 0
    for p in paragraphs:
        for m in _SINGLE_MARK.finditer(text, p.start, p.end):
            if _could_open_single(text, m.start(), p.start, p.end, elisions):
                single_openers += 1
    if single_openers < 2:
        return _conventions(text, paragraphs, False)
    if double_marks < 2:
        return _conventions(text, paragraphs, True)
    double = _conventions(text, paragraphs, False)
    single = _conventions(text, paragraphs, True)
    return single if _quoted_chars(text, paragraphs, single) > _quoted_chars(text, paragraphs, double) else double


def _tag_words() -> frozenset[str]:
    return load_words("speech_verbs.txt") | load_words("quote_tag_words.txt")


# -- scanning --------------------------------------------------------------------------------------


def find_quotes(text: str, paragraphs: list[Span]) -> list[Quote]:
    """Every utterance in ``paragraphs`` (spans of ``text``, in order)."""
    if not paragraphs:
        return []
    conv = detect_conventions(text, paragraphs)
    elisions = load_words("elisions.txt")
    tag_words = _tag_words()

    utterances: list[_Utterance] = []
    carry: str | None = None  # opener of a quotation left open at the end of the previous paragraph
    carry_utterance: _Utterance | None = None
    run_on = 0  # paragraphs a quotation has run on without an opening mark (line-broken text)
    # no blank line anywhere between paragraphs: a line may be a sentence ("He is always late." / "Every single
    # time." / 'He never says sorry," muttered Naruto.'), so a speech may run on over lines that hold no mark
    every_line = not any(_blank_between(text, a, b) for a, b in zip(paragraphs, paragraphs[1:]))
    for index, para in enumerate(paragraphs):
        lo, hi = para.start, para.end
        start_open = None
        if carry is not None:
            first = _skip_space(text, lo, hi)
            if first < hi and text[first] in conv.openers and _same_family(conv, carry, text[first]):
                start_open = (text[first], first, first + 1)  # the continuation convention
                run_on = 0
            elif run_on < _MAX_RUN_ON_LINES and _continues_without_mark(
                text, paragraphs, index, carry, conv, (_MAX_RUN_ON_LINES - run_on) if every_line else 1
            ):
                start_open = (carry, lo, lo)
                run_on += 1
        pieces = _scan_paragraph(text, lo, hi, index, conv, elisions, tag_words, start_open)
        if not pieces:
            dash = _dash_utterance(text, lo, hi, index, conv) if conv.dash_dialogue else None
            if dash is not None:
                utterances.append(dash)
            carry, carry_utterance = None, None
            continue
        first_piece = 0
        if start_open is not None and carry_utterance is not None and pieces[0].mark_start == start_open[1]:
            carry_utterance.pieces.append(pieces[0])  # the quotation runs on from the last paragraph
            first_piece = 1
        for piece in pieces[first_piece:]:
            utterances.append(_Utterance([piece]))
        last = pieces[-1]
        if not last.closed:
            carry = last.opener
            carry_utterance = carry_utterance if first_piece and len(pieces) == 1 else utterances[-1]
            if not (first_piece and len(pieces) == 1):
                run_on = 0
        else:
            carry, carry_utterance, run_on = None, None, 0
        # a paragraph break that is not plain whitespace (a scene break between) ends any run-on quote
        if index + 1 < len(paragraphs) and text[hi : paragraphs[index + 1].start].strip():
            carry, carry_utterance, run_on = None, None, 0

    utterances = _join_speech_tags(text, utterances, tag_words, paragraphs)
    return [
        _to_quote(text, u)
        for u in utterances
        if u.pieces and not _is_mention(text, u, paragraphs[u.pieces[0].paragraph].start, tag_words)
    ]


def _is_mention(text: str, u: _Utterance, para_start: int, tag_words: frozenset[str]) -> bool:
    """A short quotation run into the narrator's sentence with no punctuation before it -- a word or
    title mentioned ("a bottle marked "poison""; "they called it "the Museum"") -- is not an utterance,
    unless a speech verb introduces it ("Ben shouted "Legs!"")."""
    if len(u.pieces) > 1 or u.pieces[0].opener in _dash_openers():
        return False
    piece = u.pieces[0]
    i = piece.mark_start
    while i > para_start and text[i - 1].isspace():
        i -= 1
    if i == piece.mark_start or i <= para_start or not text[i - 1].isalnum():
        return False  # punctuation before it, or a script written without spaces
    words = text[piece.start : piece.end].split()
    if len(words) > _MAX_MENTION_WORDS or words[-1][-1] in "!?":
        return False  # an exclamation or a question is spoken ("a shout of "Harris!"")
    word_start = i
    while word_start > para_start and (text[word_start - 1].isalpha() or text[word_start - 1] in "'\u2019"):
        word_start -= 1
    return text[word_start:i].lower() not in tag_words


def _continues_without_mark(text, paragraphs: list[Span], index: int, opener: str, conv: _Conventions,
                            lines_left: int) -> bool:
    """In text broken at every line (no blank lines between paragraphs), a quotation left open runs on into
    line ``index`` when the first mark of that line, or of the first line after it that has any mark at all
    (within ``lines_left`` lines: 1 where the text also has blank lines), closes it: a closing curly mark, or
    the first of an odd number of straight marks ('"He is always late.' / 'Every single time.' / 'He never says
    sorry," muttered Naruto.')."""
    closers = conv.openers[opener]
    for k in range(index, min(len(paragraphs), index + lines_left)):
        prev, para = paragraphs[k - 1], paragraphs[k]
        if _blank_between(text, prev, para):
            return False
        marks = [
            m
            for m in conv.mark_re.finditer(text, para.start, para.end)
            if m.group() in closers or m.group() in conv.openers
        ]
        if not marks:
            continue  # a line of the speech with no mark: the line that closes it may come next
        first = marks[0].group()
        if first not in closers:
            return False
        if first in conv.ambiguous:
            return sum(1 for m in marks if m.group() == first) % 2 == 1
        return first not in conv.openers
    return False


def _blank_between(text: str, prev: Span, para: Span) -> bool:
    return "\n\n" in text[prev.end : para.start].replace("\r", "").replace(" ", "").replace("\t", "")


def _same_family(conv: _Conventions, a: str, b: str) -> bool:
    return bool(conv.openers.get(a, frozenset()) & conv.openers.get(b, frozenset())) or a == b


def _scan_paragraph(text, lo, hi, index, conv, elisions, tag_words, start_open) -> list[_Piece]:
    pieces: list[_Piece] = []
    open_mark: str | None = None
    open_at = content_at = -1
    pos = lo
    if start_open is not None:
        open_mark, open_at, content_at = start_open
        pos = content_at
    single = conv.single_is_dialogue
    for m in conv.mark_re.finditer(text, pos, hi):
        i = m.start()
        ch = m.group()
        if open_mark is None:
            if ch not in conv.openers:
                stands_for = conv.misused_openers.get(ch)
                if stands_for is None or not _placed_as_opener(text, i, lo, hi):
                    continue
                if single and not _could_open_single(text, i, lo, hi, elisions):
                    continue
                open_mark, open_at, content_at = stands_for, i, i + 1
                continue
            if ch in ("'", "\u2018", "\u201b") and single:
                if not _could_open_single(text, i, lo, hi, elisions):
                    continue
            elif ch == '"':
                prev = text[i - 1] if i > lo else " "
                nxt = text[i + 1] if i + 1 < hi else " "
                if not prev.isspace() and prev not in _OPENING_CONTEXT and (nxt.isspace() or not nxt.isalnum()):
                    continue  # a closing mark with no opening one: leave it
            open_mark, open_at, content_at = ch, i, i + 1
            continue
        if ch == open_mark == '"' and _placed_as_opener(text, i, lo, hi):
            # "Done. "Next?" -- the first quotation ended a sentence and was never closed
            end = i
            while end > content_at and text[end - 1].isspace():
                end -= 1
            if end > content_at and text[end - 1] in _COMPLETE_END:
                pieces.append(_Piece(open_at, content_at, end, end, index, False, open_mark))
                open_at, content_at = i, i + 1
                continue
        closers = conv.openers[open_mark]
        if ch in closers:
            if ch in ("'", "\u2019") and single and not _could_close_single(text, i, lo, hi, tag_words):
                continue
            pieces.append(_Piece(open_at, content_at, i, i + 1, index, True, open_mark))
            open_mark = None
            continue
        if ch == open_mark and ch not in conv.ambiguous:
            # the same opening mark again (“Hello. “Bye.”): the first was never closed
            prev = text[i - 1] if i > lo else " "
            if prev.isspace():
                end = i
                while end > content_at and text[end - 1].isspace():
                    end -= 1
                pieces.append(_Piece(open_at, content_at, end, end, index, False, open_mark))
                open_at, content_at = i, i + 1
    if open_mark is not None:
        end = hi
        while end > content_at and text[end - 1].isspace():
            end -= 1
        pieces.append(_Piece(open_at, content_at, end, end, index, False, open_mark))
    out = []
    for p in pieces:
        while p.start < p.end and text[p.start].isspace():
            p.start += 1  # « Tu viens ? » : the words, not the spaces inside the marks
        while p.end > p.start and text[p.end - 1].isspace():
            p.end -= 1
        if p.end > p.start:
            out.append(p)
    return out


def _dash_utterance(text, lo, hi, index, conv) -> _Utterance | None:
    """Em-dash dialogue: a paragraph opening with a dash; speech and tags alternate at dashes set off by
    a space ("— Hello, — he said. — How are you?")."""
    dash = next((d for d in conv.dashes if text.startswith(d, lo)), None)
    if dash is None:
        return None
    body_start = _skip_space(text, lo + len(dash.rstrip()), hi)
    separators = []
    for d in sorted({d.strip() for d in conv.dashes}, key=len, reverse=True):
        for m in re.finditer(re.escape(d), text[body_start:hi]):
            a, b = body_start + m.start(), body_start + m.end()
            before = text[a - 1] if a > body_start else " "
            after = text[b] if b < hi else " "
            if before.isspace() or after.isspace() or (after in ".,;" and before.isalpha()):
                if not any(s[0] < b and a < s[1] for s in separators):
                    separators.append((a, b))
    separators.sort()
    bounds = [body_start]
    for a, b in separators:
        bounds.extend([a, b])
    bounds.append(hi)
    pieces = []
    segments = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    for n, (a, b) in enumerate(segments):
        if n % 2:
            continue  # a speech tag
        # after a tag closed by a dash, its own punctuation ("—he said—. How are you?") is not speech
        while a < b and (text[a].isspace() or (n and text[a] in ".,;:")):
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            pieces.append(_Piece(a if n else lo, a, b, b, index, True, dash))
    return _Utterance(pieces) if pieces else None


# -- speech tags -----------------------------------------------------------------------------------


def is_speech_tag(between: str, tag_words: frozenset[str]) -> bool:
    """Is ``between`` (the text between two quoted pieces) a short speech tag such as ``he said,`` or
    ``said Mr. Bennet.``, so that the pieces are one utterance?"""
    tag = between.strip()
    if not tag or "\n\n" in between:
        return False
    if tag[-1] not in ",:;.\u2014\u2013-":
        return False
    body = _ABBREVIATION.sub("Mr", tag[:-1])
    if _SENTENCE_END.search(body) or any(ch in body for ch in '"\u201c\u201d'):
        return False
    words = [w.lower() for w in _WORD.findall(body)]
    if not words or len(words) > _MAX_TAG_WORDS:
        return False
    lowered = " " + " ".join(words) + " "
    has_verb = any(w in tag_words for w in words) or any(
        " " + v + " " in lowered for v in tag_words if " " in v
    )
    if tag[-1] == ".":
        return has_verb and len(words) <= _MAX_PERIOD_TAG_WORDS
    if has_verb:
        return True
    # "...," Kakashi (nodded / smiled), "..." -- a subject and a verb-looking word, nothing more
    return len(words) <= 4 and tag[-1] in ",:" and (tag[0].isupper() or words[0] in load_words("quote_tag_words.txt"))


def _join_speech_tags(text: str, utterances: list[_Utterance], tag_words, paragraphs) -> list[_Utterance]:
    out: list[_Utterance] = []
    for u in utterances:
        if out and u.pieces and out[-1].pieces:
            prev_last = out[-1].pieces[-1]
            first = u.pieces[0]
            between = text[prev_last.mark_end : first.mark_start]
            if (
                prev_last.paragraph == first.paragraph
                and prev_last.closed
                and first.opener not in _dash_openers()
                and is_speech_tag(between, tag_words)
                and not tags_two_speakers(between, tag_words)
                and not _introduces_next(text, out, between, paragraphs[first.paragraph].start, tag_words)
                and not _second_tag(text, out, between, paragraphs[first.paragraph].start, tag_words)
            ):
                out[-1].pieces.extend(u.pieces)
                continue
        out.append(u)
    return out


_CLAUSE_BREAK = re.compile(r";|,\s*(?=(?:and|but|while|whilst|whereupon|when|as|then|for)\b)|\bso\s+\w+\s+that\b")


def tags_two_speakers(between: str, tag_words: frozenset[str] | None = None) -> bool:
    """Two tags in one stretch of narration, the second with a subject of its own: '"...," murmured
    Margaret, while Helen said, "..."', '"...," was Mary's reasoning; and Elizabeth's reply was, "..."'.
    The quotations are two speakers' lines, not one line interrupted ("said he, and added," has no
    second subject)."""
    tag_words = _tag_words() if tag_words is None else tag_words
    clauses = _CLAUSE_BREAK.split(between.strip())
    if len(clauses) < 2 or not _WORD.search(clauses[0]):
        return False
    return any(_tells_speaker(clause, tag_words, with_first_word=True) for clause in clauses[1:])


def _tells_speaker(clause: str, tag_words: frozenset[str], with_first_word: bool = False) -> bool:
    """A clause with a verb of speaking aloud and a subject of its own: a name (any capitalised word after the
    first, or the first too ``with_first_word``), a subject pronoun or a possessive ("Elizabeth's reply was")."""
    clause = _ABBREVIATION.sub("Mr", clause)
    words = _WORD.findall(clause)
    lowered = [w.lower() for w in words]
    said_aloud = tag_words - load_words("thought_verbs.txt")  # "as Katharine thought" is no second speaker
    verbs = [m for m in _WORD.finditer(clause) if m.group().lower() in said_aloud]
    if not verbs:
        return False
    # the verb ends its clause, but for adverbs or a phrase after a comma: "Helen said," "Tom said, in an
    # offended tone," "Elizabeth's reply was," -- not "when Elizabeth had read the note aloud"
    rest = re.sub(r"^(?:out|up|in|on|back)\b", "", clause[verbs[-1].end() :].strip()).strip()  # "called out"
    has_verb = not rest or rest[0] in ",:;" or re.match(r"(?:in|with|to|at)\b", rest) is not None or all(
        w.lower().endswith("ly") or w.lower() in ("was", "were", "thus", "again", "then") or w[0].isupper()
        for w in _WORD.findall(rest.split(",")[0]))  # "thus spoke Mary:": the subject after the verb
    pronouns = load_words("quote_tag_words.txt") - {"it", "you"}
    has_subject = any(w[0].isupper() for w in words[0 if with_first_word else 1 :]) or any(w in pronouns for w in lowered)
    return has_verb and has_subject


def _introduces_next(text: str, out: list[_Utterance], between: str, para_start: int, tag_words) -> bool:
    """'Milly said, "Are you in town?" Babs said, "Have you a cigarette?"': a quotation already introduced by
    a tag of its own ends its sentence, and the narration after it opens with a new subject and ends
    with a comma or colon: that narration introduces the next quotation, it does not interrupt this one."""
    tag = between.strip()
    if len(out[-1].pieces) > 1 or not tag or tag[-1] not in ",:":
        return False
    # 'Beaver would say, "...", and Tony would say, "..."', '"...!" and as if to complete chaos, Dolly said,
    # "..."': a conjunction, then a clause with a new subject of its own
    conjoined = re.match(r",?\s*(?:and|but|while|whilst)\s+([A-Z])", tag) or (
        re.match(r",?\s*(?:and|but|while|whilst|then)\b", tag)
        and _tells_speaker(tag[:-1].rsplit(",", 1)[-1], tag_words, with_first_word=True))
    if not conjoined:
        if not (tag[0].isupper() or tag[0].isdigit()):
            return False
        last = out[-1].pieces[-1]
        if text[last.start : last.end].rstrip()[-1:] not in (".", "!", "?", "\u2026"):
            return False
    first = out[-1].pieces[0]
    lead_from = para_start
    if len(out) > 1 and out[-2].pieces and out[-2].pieces[-1].paragraph == first.paragraph:
        lead_from = out[-2].pieces[-1].mark_end
    lead = text[lead_from : first.mark_start].rstrip()
    if not lead or lead[-1] not in ",:":
        return False
    lead_words = [w.lower() for w in _WORD.findall(_SENTENCE_END.split(_ABBREVIATION.sub("Mr", lead[:-1]))[-1])]
    return any(w in tag_words for w in lead_words)


def _second_tag(text: str, out: list[_Utterance], between: str, para_start: int, tag_words) -> bool:
    """'Margaret said, "...itself." Helen laughed too. "..."', '"Oh!" cried Charles, "in such terms--" Mary
    interrupted him. "..."': a quotation whose speaker a tag has already named, ended (a full stop, a question,
    a broken-off dash), and then narration with a subject of its own (a name or a pronoun opening it): a
    second speaker's tag, not an interruption of the first one's line."""
    words = _WORD.findall(between)
    if not words:
        return False
    opener = words[0]
    if not (opener.lower() in load_words("quote_tag_words.txt") or (opener[0].isupper() and opener.lower() not in tag_words)):
        return False  # "said he, and added," / "and then, after a pause, went on,": no subject of its own
    last = out[-1].pieces[-1]
    said = text[last.start : last.end].rstrip()
    if not said or not (said[-1] in "!?.\u2026" or said.endswith(("--", "\u2014", "\u2013"))):
        return False
    if len(out[-1].pieces) > 1:
        return True  # tagged between its own pieces already
    first = out[-1].pieces[0]
    lead_from = para_start
    if len(out) > 1 and out[-2].pieces and out[-2].pieces[-1].paragraph == first.paragraph:
        lead_from = out[-2].pieces[-1].mark_end
    lead = text[lead_from : first.mark_start].rstrip()
    if not lead:
        return False
    lead_words = [w.lower() for w in _WORD.findall(_SENTENCE_END.split(_ABBREVIATION.sub("Mr", lead))[-1])]
    verbs = tag_words - load_words("quote_tag_words.txt")
    if lead[-1] not in ",:-\u2014":
        return bool(lead_words) and lead_words[-1] in verbs  # 'at last to mention "Elizabeth."'
    return any(w in verbs for w in lead_words[-8:])


@lru_cache(maxsize=1)
def _dash_openers() -> frozenset[str]:
    return frozenset(load_json("quote_marks.json")["dialogue_dashes"])


def _to_quote(text: str, u: _Utterance) -> Quote:
    parts = [Span(p.start, p.end) for p in u.pieces]
    words = " ".join(" ".join(text[p.start : p.end].split()) for p in u.pieces)
    return Quote(start=u.pieces[0].mark_start, end=u.pieces[-1].mark_end, text=words, parts=parts)
