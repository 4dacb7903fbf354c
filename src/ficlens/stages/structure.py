"""Stage 'structure': where the story is, and where the author is talking.

The document is cut into paragraphs (blank-line separated, or one per line when the author puts a single
newline between paragraphs); each paragraph is classified as title, chapter heading, disclaimer, author's
note, scene break or body; then the body paragraphs are gathered into blocks, chapters and scenes.

Classification is careful about position.  Labelled paratext ("A/N:", "Disclaimer:", a heading, a break
line) is recognised anywhere; unlabelled paratext (a chatty "hope you enjoy!", "I don't own Naruto",
"To be continued...") only before a chapter's story begins or after it ends, so that narration in the middle
("She hoped they would enjoy the party.") stays body.  Cue phrases live in ``lexicons/paratext.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicons import load_json
from ..model import (
    AUTHOR_NOTE,
    BODY,
    CHAPTER_HEADING,
    DISCLAIMER,
    SCENE_BREAK,
    TITLE,
    Block,
    Chapter,
    Paragraph,
    Scene,
    Story,
)

# Characters trimmed from the ends of a paragraph: whitespace plus invisible marks that posting sites leave.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_QUOTE_CHARS = "\"'“”‘’«»„‟「」『』"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
# A line ends a sentence (or a line of dialogue): used to tell one-paragraph-per-line text from hard wrapping.
_TERMINAL = re.compile(r"[.!?…\"”’'»」』)\]—:][*_~\s]*$")
# Decoration around a heading or label: "**Chapter 3**", "~Chapter 3~", "-Prologue-".
_DECOR = "*_~=+•·|-–— \t"
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>\S.*?)\s*#*$")
_FENCE = re.compile(r"```")
_FENCE_CLOSE = re.compile(r"^[ \t]*```", re.M)
_SETEXT_RULE = re.compile(r"^(?:=+|-+)$")
_HR_TAG = re.compile(r"^<\s*hr\s*/?\s*>$", re.I)
# Ornament lines made of x/o letters and symbols: "-x-", "xXx", "oOo", "OoOoO".
_XO_ORNAMENT = re.compile(r"^[\W_]*(?:[xo][\W_]*)+$", re.I)
_ROMAN = re.compile(r"^(?=[mdclxvi])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$", re.I)
_BARE_NUMBER = re.compile(r"^(?P<number>\d{1,3}|[IVXLC]+)\.?$")
_MAX_BARE_ROMAN = 100
_WRAP_WIDTH = 100
_MAX_HEADING_CHARS = 100
_MAX_TITLE_CHARS = 150
_STRONG_CUE = 2  # one strong cue of an author talking ("hope you enjoy", "one-shot") makes a note
_WEAK_CUES_FOR_NOTE = 3  # ... as do three weak ones ("sorry", "let me know", "I know this")
_LONG_NOTE_CHARS = 800
_MAX_UNLABELLED_PARATEXT = 3000  # longer paragraphs are story unless a label says otherwise
_MAX_BRACKETED_NOTE = 12  # paragraphs an opened "(A/N: ..." may run before its closing bracket
_MAX_PREAMBLE_CHARS = 600  # an unlabelled header before the first scene break is at most this long ...
_PREAMBLE_STORY_RATIO = 4  # ... and the story after the break at least this many times longer


@dataclass
class Heading:
    number: int | None
    title: str | None
    story_title: str | None = None  # "Defiance" in "Defiance: Chapter Seven"
    numbered: bool = False  # "Chapter 7"/"Part II" rather than "Prologue" or a markdown heading


@dataclass
class Piece:
    """A paragraph of the document (or a region preset by a reader) and what it was found to be."""

    start: int
    end: int
    text: str
    kind: str | None = None
    preset: bool = False
    heading: Heading | None = None
    markdown_heading: str | None = None  # the heading text of a "# Heading" or setext heading
    subtitle: bool = False  # a chapter title on its own line under "Chapter 3"
    by_position: bool = False  # paratext only for where it stands (unlabelled, before or after the story)


# -- the cue data ----------------------------------------------------------------------------------------


class Cues:
    """The patterns of ``lexicons/paratext.json``, compiled once."""

    def __init__(self, data: dict) -> None:
        flags = re.I
        self.number_words = {**data["number_words"], **data["tens_words"]}
        units = sorted(data["number_words"], key=len, reverse=True)
        tens = sorted(data["tens_words"], key=len, reverse=True)
        number = (
            rf"\d+|(?:{'|'.join(tens)})(?:[\s-](?:{'|'.join(units)}))?|{'|'.join(units)}"
            rf"|the\s+(?:{'|'.join(data['ordinal_words'])})|[ivxlcdm]+"
        )
        self.ordinal_words = data["ordinal_words"]
        words = "|".join(sorted((re.escape(w) for w in data["chapter_words"]), key=len, reverse=True))
        prefix = r"(?:(?P<prefix>[^:\n]{1,80}?)\s*[:\-–—|]\s*)?"
        self.numbered_heading = re.compile(
            rf"^{prefix}(?:{words})\.?\s*(?P<number>{number})\b\.?(?:\s*(?:of|/)\s*(?:\d+|{number}))?"
            rf"(?:\s*[:.\-–—|~]+\s*(?P<title>.*?)|\s+(?P<title2>(?-i:[A-Z\"“'‘(\[]).*?))?\s*$",
            flags,
        )
        standalone = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data["standalone_headings"])
        self.standalone_heading = re.compile(
            rf"^{prefix}(?P<name>{standalone})(?:\s+(?:\d+|[ivxlc]+))?\b(?:\s*[:.\-–—|~]+\s*(?P<title>.*?))?\s*$", flags
        )
        self.heading_word = re.compile(rf"\b(?:{words}|{standalone})", flags)
        phrases = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in data["scene_break_phrases"])
        self.break_phrase = re.compile(rf"^[\W_]*(?:{phrases})[\W_]*$", flags)
        self.pov_marker = re.compile(data["pov_marker"])
        self.pov_not_a_person = frozenset(data["pov_not_a_person"])
        self.pov_in_note = re.compile(data["pov_in_note"])
        opener = r"^[\s\[\(\{<*_~=\-–—]*"
        self.note_label = re.compile(rf"{opener}(?:{'|'.join(data['note_labels'])})", flags)
        self.zone_note_label = re.compile(
            rf"{opener}(?:{'|'.join(data['zone_note_labels'])})\s*(?:\([^)]*\)\s*)?[:\-–—]", flags
        )
        self.disclaimer_label = re.compile(rf"{opener}(?:{'|'.join(data['disclaimer_labels'])})", flags)
        self.ownership = [re.compile(p, flags) for p in data["ownership_cues"]]
        self.chatty = [(re.compile(p, flags), weight) for p, weight in data["chatty_cues"]]
        self.closer = re.compile(rf"^[\W_]*(?:{'|'.join(data['closers'])})[\W_]*$", flags)
        self.inline_note = re.compile(data["inline_note"], flags)
        self.preamble = [re.compile(p, flags) for p in data["preamble_cues"]]
        self.byline = re.compile(rf"^(?:{'|'.join(data['bylines'])})$", flags)
        self.not_author = frozenset(data["byline_not_author"])

    def number(self, token: str) -> int | None:
        token = token.lower().strip()
        if token.isdigit():
            return int(token)
        if token.startswith("the"):
            return self.ordinal_words.get(token.split()[-1])
        if _ROMAN.match(token):
            return _roman_value(token)
        parts = re.split(r"[\s-]+", token)
        if all(p in self.number_words for p in parts):
            return sum(self.number_words[p] for p in parts)
        return None

    def chatty_weights(self, text: str) -> list[int]:
        return [weight for pattern, weight in self.chatty if pattern.search(text)]

    def is_chatty_note(self, text: str) -> bool:
        """Enough cues of an author talking to stand as a note without a label."""
        weights = self.chatty_weights(text)
        if len(text) > _LONG_NOTE_CHARS and weights.count(_STRONG_CUE) < 2:
            return False  # a long paragraph with one cue is narration (Austen speaks of "my readers" too)
        return sum(weights) >= _WEAK_CUES_FOR_NOTE or (_STRONG_CUE in weights and sum(weights) >= _STRONG_CUE)

    def heads_fic(self, text: str) -> bool:
        """A cue of a fic's header: the work, the pairing, where it sits in canon, its warnings."""
        return any(p.search(text) for p in self.preamble)

    def owns(self, text: str) -> bool:
        return any(p.search(text) for p in self.ownership)


@lru_cache(maxsize=1)
def cues() -> Cues:
    return Cues(load_json("paratext.json"))


def _roman_value(token: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    digits = [values[c] for c in token.lower()]
    for i, value in enumerate(digits):
        total += -value if i + 1 < len(digits) and digits[i + 1] > value else value
    return total


# -- one paragraph on its own ----------------------------------------------------------------------------


def _undecorate(text: str) -> str:
    text = text.strip().strip(_DECOR).strip()
    for left, right in ("[]", "()", "<>", "{}"):
        if text.startswith(left) and text.endswith(right):
            text = text[1:-1].strip().strip(_DECOR).strip()
    return text


_POV_WORDS = re.compile(r"(?:'s|’s|s')?\s+(?:POV|P\.O\.V\.?|Pov|pov|Point\s+of\s+View|Perspective)[\W_]*$")
_POV_LEAD = re.compile(r"^[\W_]*(?:POV|Pov)\s*[:\-–—]\s*")


def pov_name(text: str) -> str | None:
    """The person a point-of-view line names ("Sakura's POV" -> "Sakura", "POV: Hatake Kakashi" -> "Hatake
    Kakashi"), or None when the line is no such marker or names no one ("Normal POV", "Author's POV")."""
    line = text.strip()
    if "\n" in line or not cues().pov_marker.match(line):
        return None
    name = re.sub(r"[\W_]+$", "", re.sub(r"^[\W_]+", "", _POV_WORDS.sub("", _POV_LEAD.sub("", line)))).strip()
    if not name or name.lower().replace("'", "").replace("’", "") in cues().pov_not_a_person:
        return None
    return name


def pov_names_in(text: str) -> list[str]:
    """The people a note's text names as the point of view ("A/N: Shinji POV, after the Eighth Angel",
    "Natsume Yuujinchou | Natsume's POV | gen"), leaving out those that name no one ("Author's POV")."""
    names = []
    for found in cues().pov_in_note.finditer(text):
        words = (found.group("name") or found.group("after")).split()
        # a sentence ends inside the match at a word with a full stop (not "Mr."): before "POV" the name is after
        # it ("Band of Brothers. Babe POV"), after "POV:" before it ("POV: Kakashi. Set before the war")
        ends = [k for k, w in enumerate(words) if w.endswith(".") and len(w) > 4]
        if ends and found.group("name"):
            words = words[ends[-1] + 1 :] or words
        elif ends:
            words = words[: ends[0] + 1]
        name = " ".join(words).rstrip(".")
        if name.lower().replace("'", "").replace("’", "") not in cues().pov_not_a_person:
            names.append(name)
    return names


def is_scene_break(text: str) -> bool:
    """A line that only separates scenes: "***", "-x-", "oOo", "§", "Line break", "<hr>", "Kakashi's POV"."""
    line = text.strip()
    if not line or "\n" in line or len(line) > 60:
        return False
    found = cues()
    if _HR_TAG.match(line) or found.pov_marker.match(line):
        return True
    if any(ch in _QUOTE_CHARS for ch in line):  # '"..."' is someone saying nothing
        return False
    if not any(ch.isalnum() for ch in line):
        return not all(ch in "?!" for ch in line)  # "?!" is somebody's reaction
    if _XO_ORNAMENT.match(line) and len(line.replace(" ", "")) >= 3:
        letters = [ch for ch in line if ch.isalpha()]
        mixed_case = any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters)
        if mixed_case or len(letters) < len(line.replace(" ", "")):
            return True
    return bool(found.break_phrase.match(line))


def parse_heading(text: str) -> Heading | None:
    """The chapter heading in one line: "Chapter 3: The Bridge", "Defiance: Chapter Seven", "Prologue"."""
    line = _undecorate(text)
    if not line or "\n" in line or len(line) > _MAX_HEADING_CHARS:
        return None
    c = cues()
    if not c.heading_word.search(line) and not _BARE_NUMBER.match(line):
        return None  # the common case, settled by one search
    match = c.numbered_heading.match(line)
    if match:
        number = c.number(match["number"])
        title = (match["title"] or match["title2"] or "").strip().strip(_DECOR).strip() or None
        # "Book one. That's all she wanted." is a sentence, not a heading.
        if title and title[-1] in ".!" and len(title.split()) > 6:
            return None
        if number is not None or match["number"].lower().split()[-1] in ("last", "final"):
            return Heading(number, title, _story_title(match["prefix"]), numbered=True)
    match = c.standalone_heading.match(line)
    if match:
        kept = line[match.start("name") :].strip()
        return Heading(None, kept, _story_title(match["prefix"]))
    return _bare_number_heading(line)


def _bare_number_heading(line: str) -> Heading | None:
    """A chapter numbered and nothing else: "12", "3.", "-7-", "XIII"."""
    match = _BARE_NUMBER.match(line)
    if not match:
        return None
    token = match["number"]
    if token.isdigit():
        return Heading(int(token), None, numbered=True)
    # Upper-case numerals only ("mix" is a word), and not "I", the pronoun (see _label_kinds).
    if token.isupper() and token != "I" and _ROMAN.match(token) and _roman_value(token) <= _MAX_BARE_ROMAN:
        return Heading(_roman_value(token), None, numbered=True)
    return None


def _story_title(prefix: str | None) -> str | None:
    prefix = (prefix or "").strip().strip(_DECOR).strip()
    return prefix or None


def _markdown_heading(text: str) -> str | None:
    match = _MARKDOWN_HEADING.match(text.strip())
    return match["text"] if match and "\n" not in text.strip() else None


def _starts_with_quote(text: str) -> bool:
    return text.lstrip(_DECOR)[:1] in _QUOTE_CHARS


def _label_only(text: str) -> bool:
    """'A/N:' or 'Disclaimer:' standing alone: what it introduces is the next paragraph."""
    return len(re.sub(r"[\W_]", "", text)) <= 16 and text.rstrip(_DECOR + " ")[-1:] in ":-–—)]*"


def _opened_bracket(text: str) -> str | None:
    """The closing bracket an "(A/N: ..." / "[A/N ..." paragraph leaves open, if any."""
    head = text.lstrip(" *_~")
    for left, right in ("()", "[]", "{}"):
        if head.startswith(left) and text.count(right) < text.count(left):
            return right
    return None


def _looks_chatty(text: str) -> bool:
    """Does a paragraph after a labelled note read as the author still talking?"""
    if _starts_with_quote(text) or len(text) > _MAX_UNLABELLED_PARATEXT:
        return False
    return bool(cues().chatty_weights(text))


def _title_like(text: str) -> bool:
    if len(text) > _MAX_TITLE_CHARS:
        return False
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > 3 or len(text) > _MAX_TITLE_CHARS or _starts_with_quote(text):
        return False
    if not any(c.isalpha() for c in text) or re.search(r"[a-z]{2,}[.!?]\s+[A-Z]", text):
        return False  # two sentences are narration ("Mr. Smith Goes to Washington" is still a title)
    for line in lines:
        if line[-1] in ".,;:\"”’»":
            return False
        words = line.split()
        # "Why Me?" or "Surprise!" may be titles; "Who was there?" is a question.
        capitalised = sum(1 for w in words if w[:1].isupper())
        if line[-1] in "!?" and len(words) > 2 and (len(words) > 8 or 2 * capitalised < len(words)):
            return False
    return True


# -- cutting the document into paragraphs ----------------------------------------------------------------


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return start, end


def _is_structural_line(line: str) -> bool:
    """A line that stands apart even inside a run of wrapped lines: a break or a heading."""
    if is_scene_break(line) or _markdown_heading(line):
        return True
    heading = parse_heading(line)
    return heading is not None and heading.story_title is None


def _opens_paragraph(line: str) -> bool:
    """A labelled line ("Rating: T", "A/N: ...") starts a paragraph even inside a run of wrapped lines."""
    c = cues()
    header_field = c.zone_note_label.match(line) and line.lstrip(_DECOR + "[(")[:1].isupper()  # "Rating: T"
    return bool(c.note_label.match(line) or c.disclaimer_label.match(line) or header_field)


def _one_paragraph_per_line(lines: list[str], structural: list[bool]) -> bool:
    """Text with a single newline between paragraphs: (nearly) every line ends a sentence."""
    content = [line for line, apart in zip(lines, structural) if not apart]
    if len(content) < 2:
        return True
    ending = sum(1 for line in content if _TERMINAL.search(line))
    if ending >= 0.75 * len(content):
        return True
    # Hard wrapping stops near 80 characters; many lines longer than that were never wrapped.
    return 3 * sum(1 for line in content if len(line) > _WRAP_WIDTH) >= len(content)


def _short_first_line(lines: list[str]) -> bool:
    """"Title" over a wrapped paragraph: a wrapped paragraph's first line runs to the wrap width, so a
    short first line that ends no sentence stands on its own."""
    if len(lines) < 2 or _TERMINAL.search(lines[0]) or lines[0][-1:] in ",;":
        return False
    return len(lines[0]) <= 60 and len(lines[0]) < 0.6 * max(len(line) for line in lines[1:])


def paragraphs_in(text: str, start: int, end: int) -> list[Piece]:
    """The paragraphs of ``text[start:end]``, trimmed, with any setext heading marked."""
    chunks: list[list[tuple[int, int]]] = [[]]
    fences: list[tuple[int, int]] = []  # ```fenced``` code: story text that is never split or classified
    fence_start: int | None = None
    for match in _LINE.finditer(text, start, end):
        if match.start() == match.end():
            break
        line_start, line_end = _trim(text, match.start(), match.end())
        if _FENCE.match(text, line_start, line_end):
            if fence_start is None and _FENCE_CLOSE.search(text, line_end, end):
                fence_start = line_start
                chunks.append([])
                continue
            if fence_start is not None:
                fences.append((fence_start, line_end))
                fence_start = None
                continue
        if fence_start is not None:
            continue
        if line_start == line_end:
            if chunks[-1]:
                chunks.append([])
        else:
            chunks[-1].append((line_start, line_end))
    pieces: list[Piece] = [Piece(s, e, text[s:e], BODY) for s, e in fences]
    for chunk in chunks:
        if not chunk:
            continue
        lines = [text[s:e] for s, e in chunk]
        structural = [_is_structural_line(line) for line in lines]
        groups: list[list[int]] = []
        per_line = _one_paragraph_per_line(lines, structural)
        lone_first = _short_first_line(lines)
        for i, line in enumerate(lines):
            setext = i > 0 and _SETEXT_RULE.match(line) and len(line) >= 3 and not structural[i - 1]
            if setext and groups and groups[-1] == [i - 1]:
                groups[-1].append(i)
            elif (
                per_line
                or not groups
                or structural[i]
                or structural[i - 1]
                or _opens_paragraph(line)
                or (i == 1 and lone_first)
            ):
                groups.append([i])
            else:
                groups[-1].append(i)
        for group in groups:
            s, e = chunk[group[0]][0], chunk[group[-1]][1]
            piece = Piece(s, e, text[s:e])
            if len(group) == 2 and _SETEXT_RULE.match(lines[group[1]]):
                piece.markdown_heading = lines[group[0]]
            else:
                piece.markdown_heading = _markdown_heading(piece.text)
            pieces.append(piece)
    return sorted(pieces, key=lambda p: p.start)


def _pieces(story: Story) -> list[Piece]:
    """The preset regions and the paragraphs of the text around them, in document order."""
    presets = sorted(story.preset_blocks, key=lambda b: (b.start, b.end))
    pieces: list[Piece] = []
    cursor = 0
    for block in presets:
        if block.start > cursor:
            pieces.extend(paragraphs_in(story.text, cursor, block.start))
        pieces.append(Piece(block.start, block.end, story.text[block.start : block.end], block.kind, preset=True))
        cursor = max(cursor, block.end)
    pieces.extend(paragraphs_in(story.text, cursor, len(story.text)))
    for piece in pieces:
        if piece.kind == CHAPTER_HEADING:
            piece.heading = _preset_heading(piece.text)
    return pieces


def _preset_heading(text: str) -> Heading:
    """A heading the reader found ("## Chapter 2: Oasis", "Chapter 3\n=========", an HTML <h2>)."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    line = _markdown_heading(line) or line
    return parse_heading(line) or Heading(None, _undecorate(line) or None)


# -- classification --------------------------------------------------------------------------------------


def _label_kinds(pieces: list[Piece]) -> None:
    """What a paragraph is by its own form, wherever it stands."""
    c = cues()
    # A lone "I" heads chapter one only where "II" heads chapter two.
    roman_chapters = any(_undecorate(p.text) in ("II", "II.") for p in pieces)
    for piece in pieces:
        if piece.kind is not None:
            continue
        text = piece.text
        if roman_chapters and _undecorate(text) in ("I", "I."):
            piece.kind, piece.heading = CHAPTER_HEADING, Heading(1, None, numbered=True)
            continue
        if piece.markdown_heading is not None:
            piece.kind = CHAPTER_HEADING
            piece.heading = parse_heading(piece.markdown_heading) or Heading(None, piece.markdown_heading)
        elif is_scene_break(text):
            piece.kind = SCENE_BREAK
        elif (heading := parse_heading(text)) is not None:
            piece.kind, piece.heading = CHAPTER_HEADING, heading
        elif c.note_label.match(text):
            piece.kind = AUTHOR_NOTE
        elif c.disclaimer_label.match(text):
            piece.kind = DISCLAIMER


def _find_title(pieces: list[Piece]) -> None:
    """The first paragraph names the story: "Title", "Title by Author", "Title: Chapter Seven"."""
    if not pieces or any(p.preset and p.kind == TITLE for p in pieces):
        return
    first = pieces[0]
    if first.preset or len(pieces) < 2:
        return
    if first.kind == CHAPTER_HEADING:
        # "Chapter 1" alone is a heading; "Defiance: Chapter Seven" or "# The Things We Carry" names the story.
        names_story = first.heading is not None and first.heading.story_title is not None
        markdown_title = first.markdown_heading is not None and parse_heading(first.markdown_heading) is None
        if names_story or markdown_title:
            first.kind = TITLE
    elif first.kind is None and _title_like(first.text) and _zone_kind(first, before_story=True) is None:
        first.kind = TITLE
    if first.kind == TITLE and len(pieces) > 1:
        second = pieces[1]
        if second.kind is None and not second.preset and cues().byline.match(second.text.strip()):
            second.kind = TITLE


def _continue_labelled(pieces: list[Piece]) -> None:
    """A labelled note or disclaimer runs on over the paragraphs that still read as the author talking."""
    c = cues()
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        labelled = not piece.preset and (
            (piece.kind == AUTHOR_NOTE and c.note_label.match(piece.text))
            or (piece.kind == DISCLAIMER and c.disclaimer_label.match(piece.text))
        )
        if not labelled:
            i += 1
            continue
        kind = piece.kind
        j = i + 1
        closing = _opened_bracket(piece.text) if kind == AUTHOR_NOTE else None
        if closing:
            end = next(
                (k for k in range(j, min(len(pieces), j + _MAX_BRACKETED_NOTE)) if closing in pieces[k].text), None
            )
            if end is not None and all(p.kind is None for p in pieces[j : end + 1]):
                for p in pieces[j : end + 1]:
                    p.kind = kind
                j = end + 1
        elif _label_only(piece.text) and j < len(pieces) and pieces[j].kind is None:
            pieces[j].kind = kind
            j += 1
        while j < len(pieces) and pieces[j].kind is None:
            text = pieces[j].text
            if len(text) <= _MAX_UNLABELLED_PARATEXT and c.owns(text) and not _starts_with_quote(text):
                pieces[j].kind = DISCLAIMER
            elif _looks_chatty(text):
                pieces[j].kind = AUTHOR_NOTE
            else:
                break
            j += 1
        i = j


def _zone_kind(piece: Piece, *, before_story: bool) -> str | None:
    """What an unlabelled paragraph is when it stands before or after the story of its chapter."""
    c = cues()
    text = piece.text
    if _starts_with_quote(text) or len(text) > _MAX_UNLABELLED_PARATEXT:
        return None
    if c.owns(text):
        return DISCLAIMER
    if c.zone_note_label.match(text):
        return AUTHOR_NOTE
    if not before_story and c.closer.match(text.strip()):
        return AUTHOR_NOTE
    if c.is_chatty_note(text):
        return AUTHOR_NOTE
    return None


def _chapter_segments(pieces: list[Piece]) -> list[list[Piece]]:
    """The pieces between one title or chapter heading and the next."""
    segments: list[list[Piece]] = [[]]
    for piece in pieces:
        if piece.kind in (CHAPTER_HEADING, TITLE):
            segments.append([])
        else:
            segments[-1].append(piece)
    return segments


def _classify_zones(pieces: list[Piece]) -> None:
    """Before the first and after the last story paragraph of each chapter, unlabelled paratext too."""
    for segment in _chapter_segments(pieces):
        for before_story, order in ((True, segment), (False, reversed(segment))):
            for piece in order:
                if piece.kind is not None:
                    continue
                kind = _zone_kind(piece, before_story=before_story)
                if kind is None:
                    break
                piece.kind, piece.by_position = kind, True


def _classify_preambles(pieces: list[Piece]) -> None:
    """"Critical Role, Campaign Two." then "TW: self-harm." then ``* * *``: a short header that a scene break
    closes is the author's, when one of its paragraphs has a cue of a fic's header."""
    c = cues()
    for segment in _chapter_segments(pieces):
        first_break = next((i for i, p in enumerate(segment) if p.kind == SCENE_BREAK), None)
        if not first_break:
            continue
        header, story = segment[:first_break], segment[first_break + 1 :]
        # The header runs to its last paragraph with a cue: what follows it may be the story's own opening.
        last_cue = max((i for i, p in enumerate(header) if p.kind is None and c.heads_fic(p.text)), default=None)
        if last_cue is None:
            continue
        header = header[: last_cue + 1]
        if (
            all(p.kind in (None, AUTHOR_NOTE, DISCLAIMER) and not _starts_with_quote(p.text) for p in header)
            and sum(len(p.text) for p in header) <= _MAX_PREAMBLE_CHARS
            and sum(len(p.text) for p in story) >= _PREAMBLE_STORY_RATIO * sum(len(p.text) for p in header)
        ):
            for piece in header:
                if piece.kind is None:
                    piece.kind, piece.by_position = AUTHOR_NOTE, True


def _mark_subtitles(pieces: list[Piece]) -> None:
    """"Chapter 3" then "The Bridge" on its own line: the second line is the chapter's title."""
    for previous, piece, following in zip(pieces, pieces[1:], pieces[2:]):
        heading = previous.heading
        if (
            previous.kind == CHAPTER_HEADING
            and not previous.preset
            and heading is not None
            and heading.numbered
            and heading.title is None
            and piece.kind is None
            and "\n" not in piece.text
            and len(piece.text) <= 60
            and piece.text[-1] not in ".,;:!?\"”’'…"
            and not _starts_with_quote(piece.text)
            and following.kind in (None, BODY)
        ):
            piece.kind, piece.subtitle = CHAPTER_HEADING, True
            heading.title = _undecorate(piece.text)


def _split_inline_notes(pieces: list[Piece]) -> list[Piece]:
    """"She ran. (A/N: yes, she ran.)": the bracketed note leaves the story paragraph."""
    pattern = cues().inline_note
    result: list[Piece] = []
    for piece in pieces:
        if piece.kind != BODY or piece.preset or not pattern.search(piece.text):
            result.append(piece)
            continue
        cursor = 0
        for match in pattern.finditer(piece.text):
            result.extend(_sub_piece(piece, cursor, match.start(), BODY))
            result.extend(_sub_piece(piece, match.start(), match.end(), AUTHOR_NOTE))
            cursor = match.end()
        result.extend(_sub_piece(piece, cursor, len(piece.text), BODY))
    return result


def _sub_piece(piece: Piece, start: int, end: int, kind: str) -> list[Piece]:
    text = piece.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return []
    return [Piece(piece.start + start, piece.start + end, text[start:end], kind)]


def classify(pieces: list[Piece]) -> list[Piece]:
    """Give every piece its kind; body paragraphs carrying a bracketed note come back split."""
    _label_kinds(pieces)
    _find_title(pieces)
    _continue_labelled(pieces)
    _mark_subtitles(pieces)
    _classify_zones(pieces)
    _classify_preambles(pieces)
    if not any(p.kind is None for p in pieces):
        # Nothing left for the story: a one-paragraph story that chats ("I hope you like it, she said")
        # is still a story, so what was paratext only by position goes back to the body.
        for piece in pieces:
            if piece.by_position:
                piece.kind = None
    for piece in pieces:
        if piece.kind is None:
            piece.kind = BODY
    return _split_inline_notes(pieces)


# -- assembly --------------------------------------------------------------------------------------------


def _title_parts(pieces: list[Piece]) -> tuple[str | None, int | None, str | None]:
    """(story title, chapter number, author) from the title line(s)."""
    c = cues()
    title = number = author = None
    for piece in (p for p in pieces if p.kind == TITLE):
        text = piece.markdown_heading or piece.text
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for line in lines:
            if c.byline.match(line) and title is not None:
                author = author or re.sub(r"^.*?\bby\s+", "", line, flags=re.I).strip() or None
                continue
            if title is not None:
                continue
            heading = parse_heading(line)
            if heading and heading.story_title:
                title, number = heading.story_title, heading.number
                continue
            label = re.match(r"^title\s*:\s*(?P<rest>.+)$", line, re.I)
            if label:
                line = label["rest"].strip()
            title, author = _split_byline(line, author)
    return title, number, author


def _split_byline(line: str, author: str | None) -> tuple[str, str | None]:
    match = re.match(r"^(?P<title>.+)\s+(?:by|By)\s+(?P<author>\S.*)$", line.strip())  # the last " by "
    if match and match["author"].split()[0].lower() not in cues().not_author:
        return match["title"].strip().strip(_DECOR).strip(), author or match["author"].strip()
    return line.strip().strip("*_~#").strip(), author


def assemble(story: Story, pieces: list[Piece]) -> None:
    title, title_number, author = _title_parts(pieces)
    blocks: list[Block] = []
    chapters: list[Chapter] = []
    scenes: list[Scene] = []
    paragraphs: list[Paragraph] = []
    scene_open = False
    implicit_number = title_number
    if implicit_number is None and not any(p.kind == CHAPTER_HEADING for p in pieces):
        implicit_number = story.metadata.get("chapter_number")  # a one-chapter AO3 download says which
    for piece in pieces:
        if piece.kind == BODY and blocks and blocks[-1].kind == BODY and not piece.preset:
            blocks[-1].end = piece.end
        else:
            blocks.append(Block(piece.start, piece.end, piece.kind))

        if piece.kind == CHAPTER_HEADING and not piece.subtitle:
            heading = piece.heading or Heading(None, None)
            chapters.append(Chapter(piece.start, piece.end, heading.number, heading.title))
            scene_open = False
        elif chapters:
            chapters[-1].end = piece.end
        if piece.kind == SCENE_BREAK:
            scene_open = False
        if piece.kind != BODY:
            continue
        if not chapters:  # story before any heading: its own chapter, numbered by the title line if it says
            chapters.append(Chapter(piece.start, piece.end, implicit_number, None))
        if not scene_open:
            scenes.append(Scene(piece.start, piece.end, chapter=len(chapters) - 1))
            scene_open = True
        scenes[-1].end = piece.end
        paragraphs.append(Paragraph(piece.start, piece.end, chapter=len(chapters) - 1, scene=len(scenes) - 1))

    story.blocks, story.chapters, story.scenes, story.paragraphs = blocks, chapters, scenes, paragraphs
    metadata = story.metadata
    if title and not metadata.get("title"):
        metadata["title"] = title
    if author and not metadata.get("author"):
        metadata["author"] = author
    headings = [p.heading for p in pieces if p.kind == CHAPTER_HEADING and not p.subtitle and p.heading]
    number = title_number
    if number is None and len(headings) == 1:
        number = headings[0].number
    if number is not None and len(chapters) <= 1 and metadata.get("chapter_number") is None:
        metadata["chapter_number"] = number


def run(story: Story, ctx) -> None:
    pieces = classify(_pieces(story))
    assemble(story, pieces)
