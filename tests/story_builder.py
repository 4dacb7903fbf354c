"""Hand-built Stories for the stage tests of relationships, network, arc and motifs.

A fixture text marks character mentions inline as ``{surface:character_id}`` ("{Iruka:iruka} kissed
{him:kakashi}"); the marks are removed and become Mentions at the right offsets.  Paragraphs are separated by
blank lines; a line ``**`` is a scene break.  Quotations are the straight double-quoted stretches, given their
speaker and addressees in order by the test.  Nothing here depends on the other stages' accuracy.
"""

from __future__ import annotations

import re
from pathlib import Path

from ficlens.model import BODY, SCENE_BREAK, Block, Character, Mention, Paragraph, Quote, Scene, Story

FIXTURES = Path(__file__).parent / "fixtures"
_MARK = re.compile(r"\{([^{}:]+):([a-z_0-9]+)\}")
_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "they", "them", "i", "me", "you", "himself", "herself"}


def fixture_text(area: str, name: str) -> str:
    return (FIXTURES / area / name).read_text(encoding="utf-8")


def build_story(
    marked: str,
    characters: dict[str, tuple[str, str | None]],
    quotes: list[tuple[str | None, list[str]]] | None = None,
    canonical: dict[str, str] | None = None,
) -> Story:
    """``characters``: id -> (display name, gender); ``quotes``: (speaker, addressees) for each quotation in order."""
    text_parts, mentions, cursor, offset = [], [], 0, 0
    for m in _MARK.finditer(marked):
        text_parts.append(marked[cursor : m.start()])
        offset += m.start() - cursor
        surface, cid = m.group(1), m.group(2)
        kind = "pronoun" if surface.lower() in _PRONOUNS else "name"
        mentions.append(Mention(offset, offset + len(surface), surface, cid, kind))
        text_parts.append(surface)
        offset += len(surface)
        cursor = m.end()
    text_parts.append(marked[cursor:])
    text = "".join(text_parts)

    story = Story(text=text)
    scene = 0
    scene_start = None
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        chunk = m.group(0)
        if chunk.strip() == "**":
            story.blocks.append(Block(m.start(), m.end(), SCENE_BREAK))
            if scene_start is not None:
                story.scenes.append(Scene(scene_start, story.paragraphs[-1].end))
                scene += 1
                scene_start = None
            continue
        story.blocks.append(Block(m.start(), m.end(), BODY))
        story.paragraphs.append(Paragraph(m.start(), m.end(), chapter=0, scene=scene))
        if scene_start is None:
            scene_start = m.start()
    if scene_start is not None:
        story.scenes.append(Scene(scene_start, story.paragraphs[-1].end))

    story.mentions = mentions
    for cid, (name, gender) in characters.items():
        story.characters.append(
            Character(
                id=cid,
                name=name,
                gender=gender,
                mentions=sum(1 for x in mentions if x.character == cid),
                canonical_name=(canonical or {}).get(cid),
            )
        )
    found = list(re.finditer(r'"[^"]*"', text))
    if quotes is not None:
        assert len(found) == len(quotes), f"{len(found)} quotations in the text, {len(quotes)} given"
        for m, (speaker, addressees) in zip(found, quotes):
            story.quotes.append(Quote(m.start(), m.end(), m.group(0)[1:-1], speaker=speaker, addressees=addressees))
            if speaker:
                story.character(speaker).quotes += 1
    return story
