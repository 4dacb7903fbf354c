"""Point-of-view lines ("Sakura's POV", "POV: Naruto"), shared by the attribution stage (whose "I" a section's
narration is) and the narrative stage (whose eyes a section looks through)."""

from __future__ import annotations

from ..model import AUTHOR_NOTE, DISCLAIMER, Character, Story
from .characters_text import stopwords as name_stopwords
from .structure import cues, pov_name, pov_names_in


def pov_sections(story: Story, create: bool = True) -> list[tuple[int, int, Character]]:
    """(start, end, character) for each run of the story after a point-of-view line up to the next one ("Normal
    POV" only ends the run before it).  A name the cast lacks (the narrator of a section is seldom named in it)
    becomes a character when ``create``; else that section is left out."""
    markers = []
    for block in story.blocks:
        line = story.text[block.start : block.end].strip()
        if block.kind == "scene_break" and cues().pov_marker.match(line):
            name = pov_name(line)
            markers.append((block.start, block.end, name if name and name.lower() not in name_stopwords() else None))
    sections = []
    for k, (_, end, name) in enumerate(markers):
        character = character_named(story, name, create) if name is not None else None
        if character is not None:
            stop = markers[k + 1][0] if k + 1 < len(markers) else len(story.text)
            sections.append((end, stop, character))
    return sections


def declared_pov(story: Story) -> str | None:
    """The one person the author's notes say the story is told by ("Natsume's POV" in the header, "A/N: Rex
    POV."), or None when they name none or more than one.  Words that open the note's sentence and name no one
    are left off ("Obviously Sasuke's POV")."""
    declared = []
    for block in story.blocks:
        if block.kind in (AUTHOR_NOTE, DISCLAIMER):
            for name in pov_names_in(story.text[block.start : block.end]):
                words = name.split()
                while len(words) > 1 and (words[0].lower() in name_stopwords() or words[0].endswith("ly")):
                    words = words[1:]
                if " ".join(words) not in declared:
                    declared.append(" ".join(words))
    return declared[0] if len(declared) == 1 else None


def character_named(story: Story, name: str, create: bool = True) -> Character | None:
    """The character a point-of-view line names: one whose name or alias it is, else the one character whose
    names hold all its words ("Naruto" is "Uzumaki Naruto"), else a new character of that name (or None)."""
    wanted = name.lower()
    for c in story.characters:
        if wanted in (f.lower() for f in [c.name, *c.aliases]):
            return c
    words = set(wanted.split())
    holders = [c for c in story.characters if any(words <= set(f.lower().split()) for f in [c.name, *c.aliases])]
    if len(holders) == 1:
        return holders[0]
    if not create:
        return None
    character = Character(id=f"p{len(story.characters) + 1}", name=name, aliases=[], gender=None)
    story.characters.append(character)
    return character
