"""Plain text and Markdown: decoding bytes faithfully, and the Markdown headings a reader can see.

Decoding, in order (the first that applies wins):

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-32 LE/BE, UTF-16 LE/BE;
2. strict UTF-8 (``utf-8``);
3. UTF-16 without a BOM, when the NUL bytes sit on every other position;
4. NUL bytes anywhere else: a binary file;
5. cp1252, when it decodes strictly and the text is mostly ASCII letters (at most 40% of the letters
   outside ASCII).  Short Western text is where charset-normalizer guesses wrong ("Naïve" in cp1252
   comes back as cp1250 "Naďve", a curly-quoted "“Hi.”" as cp1125 "УHi.Ф"), and cp1252 is what Windows
   editors and fan fiction sites export;
6. charset-normalizer's best guess (Cyrillic, Greek, CJK... legacy encodings);
7. otherwise the bytes cannot be decoded as text.

For a UTF-8 file the Story text is exactly the file's content (line endings kept).  A BOM is not
kept: the text starts after it, so offsets index the content without the BOM, and
``metadata["encoding"]`` says ``utf-8-sig``.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError
from ..model import BODY, CHAPTER_HEADING, SCENE_BREAK, TITLE, Block, Story

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 control characters that do not belong in text (tab, newlines, form feed, vertical tab are fine;
# so is the DOS end-of-file mark \x1a and ESC, which old files carry).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")
CP1252_MAX_NON_ASCII_LETTERS = 0.4


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs fill one byte of most character pairs (Latin script UTF-16)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd_nuls >= 0.3 * pairs and even_nuls <= 0.02 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.3 * pairs and odd_nuls <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _mostly_western(text: str) -> bool:
    letters = [c for c in text[:262144] if c.isalpha()]
    if not letters:
        return True
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return non_ascii <= CP1252_MAX_NON_ASCII_LETTERS * len(letters)


def _too_many_controls(text: str) -> bool:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 200)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text document: (text, encoding name).  See the module docstring for the rules."""
    encoding = bom_encoding(data)
    if encoding:
        try:
            # The -le/-be codecs keep the BOM as U+FEFF: drop it so offsets start at the first character.
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise InputError(f"{name} cannot be decoded as text (bad {encoding} after its byte-order mark)") from None
        return text.removeprefix("\ufeff"), encoding
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _too_many_controls(text):
            raise InputError(f"{name} looks like a binary file, not a story")
        return text, "utf-8"
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _too_many_controls(text):
                return text, encoding
        raise InputError(f"{name} looks like a binary file, not a story")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _mostly_western(text):
        encoding = "cp1252"
    else:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError(f"{name} cannot be decoded as text")
        text, encoding = str(best), best.encoding
    if _too_many_controls(text):
        raise InputError(f"{name} looks like a binary file, not a story")
    return text, encoding


def read_text(data: bytes, name: str, source: str | None) -> Story:
    text, encoding = decode(data, name)
    if not text.strip():
        raise InputError(f"{name} is empty")
    return Story(text=text, source=source, format="text", metadata={"encoding": encoding})


# -- Markdown -------------------------------------------------------------------------------------
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,})")


def _lines(text: str):
    """(start, end, line) for each line, end before its line break."""
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and match.start() == match.end():
            break
        line = match.group().rstrip("\r\n")
        yield match.start(), match.start() + len(line), line


def _fenced_lines(lines: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(first, last) line index of each closed backtick fence.  Only backticks: in fan fiction a ``~~~``
    line is a scene break far more often than a code fence; a fence never closed is no fence."""
    pairs = []
    opening: tuple[int, str] | None = None
    for i, (_, _, line) in enumerate(lines):
        match = _FENCE.match(line)
        if not match:
            continue
        if opening is None:
            opening = (i, match.group(1))
        elif len(match.group(1)) >= len(opening[1]) and not line.strip()[len(match.group(1)) :].strip():
            pairs.append((opening[0], i))
            opening = None
    return pairs


def markdown_blocks(text: str) -> tuple[list[Block], dict]:
    """Headings and thematic breaks of a Markdown text as preset blocks (offsets into the raw Markdown).

    A single level-1 heading before any other heading, followed by lower-level headings, is the title;
    other headings of levels 1-3 are chapter headings.  Thematic breaks (``***``, ``---``, ``* * *``)
    are scene breaks.  A fenced block (```...```, often a text-message exchange in fan fiction) is preset
    as body, fences included, so that neither its fences nor its lines are taken for breaks or headings.
    """
    lines = list(_lines(text))
    headings: list[tuple[int, int, int, str]] = []  # (level, start, end, heading text)
    breaks: list[tuple[int, int]] = []
    fences = _fenced_lines(lines)
    inside = {i for first, last in fences for i in range(first, last + 1)}
    for i, (start, end, line) in enumerate(lines):
        if i in inside:
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and _setext_heading_line(lines, i):
            previous = lines[i - 1][2]
            level = 1 if underline.group(1)[0] == "=" else 2
            headings.append((level, lines[i - 1][0], end, previous.strip()))
            continue
        atx = _ATX_HEADING.match(line)
        if atx:
            headings.append((len(atx.group(1)), start, end, (atx.group(2) or "").strip()))
            continue
        if _THEMATIC_BREAK.match(line):
            breaks.append((start, end))
    headings = [h for h in headings if h[0] <= 3 and h[3]]
    title_index = title_heading([(level, heading) for level, _, _, heading in headings], None)
    blocks = [
        Block(start=start, end=end, kind=TITLE if i == title_index else CHAPTER_HEADING)
        for i, (_, start, end, _) in enumerate(headings)
    ]
    blocks += [Block(start=start, end=end, kind=SCENE_BREAK) for start, end in breaks]
    blocks += [Block(start=lines[first][0], end=lines[last][1], kind=BODY) for first, last in fences]
    blocks.sort(key=lambda b: b.start)
    metadata: dict = {}
    if title_index is not None:
        metadata["title"] = headings[title_index][3]
    chapter_titles = [h[3] for i, h in enumerate(headings) if i != title_index]
    if chapter_titles:
        metadata["chapter_titles"] = chapter_titles
    return blocks, metadata


def _setext_heading_line(lines: list[tuple[int, int, str]], i: int) -> bool:
    """Whether the line above an ``===``/``---`` underline is a heading.  Stricter than CommonMark:
    fan fiction puts ``---`` right under a sentence as a scene break, so the line must be a short
    one-line paragraph that does not end like a sentence."""
    if i == 0:
        return False
    previous = lines[i - 1][2].strip()
    if not previous or len(previous) > 80 or previous[-1] in '.!?"\u201d\u2019\u2026,;':
        return False
    if _ATX_HEADING.match(previous) or _THEMATIC_BREAK.match(previous):
        return False
    return i < 2 or not lines[i - 2][2].strip()


def title_heading(headings: list[tuple[int, str]], known_title: str | None) -> int | None:
    """Which of the (level, text) headings is the document's title, if any (shared with the HTML reader).

    The first heading is the title when its text is the document's known title (from <title> or the
    EPUB metadata), or when it is the only level-1 heading and lower-level headings follow it.
    """
    if not headings:
        return None
    level, heading = headings[0]
    if known_title and heading.casefold() == known_title.strip().casefold():
        return 0
    level_ones = sum(1 for lvl, _ in headings if lvl == 1)
    if level == 1 and level_ones == 1 and len(headings) > 1:
        return 0
    return None


def read_markdown(data: bytes, name: str, source: str | None) -> Story:
    story = read_text(data, name, source)
    story.format = "markdown"
    story.preset_blocks, metadata = markdown_blocks(story.text)
    story.metadata.update(metadata)
    return story
