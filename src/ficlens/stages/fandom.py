"""Stage 'fandom': when the user gave no character list and no fandom, find the fandom in the paratext and load
its bundled pack, so that the characters stage names people as AO3 does ("Hermione Granger").

Where it looks, most trusted first; the first place that names a bundled pack decides:

1. the fandoms the document's metadata lists (an AO3 download). When the metadata lists fandoms and none has a
   pack, nothing more is tried: the document has said what it is;
2. the disclaimers ("I don't own Naruto", "Harry Potter belongs to J.K. Rowling");
3. the title, chapter headings, author's notes, and the metadata's title, summary and notes;
4. the cast, when none of the above names a pack: a pack whose distinctive names appear in the body for at least
   three of its characters, two more than any other pack.  A name is distinctive when no other pack has it, it
   is no common English given name (``lexicons/common_given_names.txt``, ``nicknames.txt``), the pack does not
   list it as ``not_distinctive`` (ordinary words, real-world names, gods, authors), and the text never
   writes it in lower case ("Ash", "Iris", "Guy" are words too).  Three people from one canon is a fandom; one
   is not.

The body's words are never read as a fandom's name: a character may mention Naruto in any story, and "I don't
own anything" names nothing.

Each pack under ``lexicons/fandoms/`` says how it is named: ``ao3_fandoms`` (AO3 fandom tags), ``detect``
(patterns safe in any paratext: "Naruto", "J.K. Rowling", "MCU") and ``detect_owned`` (names that are also
ordinary words, "Marvel", "Supernatural": trusted only in metadata, in a disclaimer, or in a paratext sentence that
says who owns what, by the structure stage's ownership cues).  Within one place the pack named first wins; a
crossover's other fandoms are recorded in ``metadata["fandoms"]`` when the document listed none.

A pack's ``family_names`` ("Potter", "Malfoy", "Uchiha") are no bare aliases, since canon shares them; within one
story each goes to the one family member the body names by another name ("Draco" and no Lucius: "Malfoy" is
Draco), and to nobody when it names two or none.  This also applies to the entries of a pack chosen with
``--fandom``.

The work's own character tags (an AO3 download's "Characters:", ``metadata["characters"]``; else a "Characters:"
line among the author's notes of the header of a story posted as text) join the roster too, each that the pack
does not already hold: the author's spelling of a canon with no pack ("Alexander Hamilton" for the "Alexander" of
the body) or of an original work.  Tags for no one in particular ("Original Characters", "Reader") are left out
(``lexicons/character_tags_not_people.txt``).  Such a roster names part of the cast only: the characters stage
still finds the people it lacks.

Results: ``story.metadata["fandom_detected"]`` (the pack's fandom name), ``metadata["fandoms"]`` filled when empty,
and the pack and the tagged characters loaded as the roster of a copy of ``ctx.options`` (the caller's Options
object is left as it was).  A roster the user gave (``--characters``, ``--fandom``) is never replaced.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from .. import lexicons
from ..model import AUTHOR_NOTE, BODY, CHAPTER_HEADING, DISCLAIMER, TITLE, Story
from ..roster import ROSTER_FROM_THE_WORK, RosterEntry, distinctive_names, fandom_pack_key, load_fandom
from ._body import body_paragraphs
from .characters_text import honorifics, normalise_name

# Metadata fields that hold paratext a reader sees around the story (AO3 summary and notes).
PARATEXT_METADATA = ("title", "summary", "notes", "end_notes")


@dataclasses.dataclass(frozen=True)
class _Pack:
    key: str
    data: dict
    detect: tuple[re.Pattern, ...]
    detect_owned: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _packs() -> tuple[_Pack, ...]:
    packs = []
    for key, file in sorted(lexicons.fandom_packs().items()):
        data = lexicons.load_json(file)
        packs.append(_Pack(
            key,
            data,
            tuple(re.compile(p, re.IGNORECASE) for p in data.get("detect", [])),
            tuple(re.compile(p, re.IGNORECASE) for p in data.get("detect_owned", [])),
        ))
    return tuple(packs)


@lru_cache(maxsize=1)
def _ownership() -> re.Pattern:
    cues = lexicons.load_json("paratext.json")
    return re.compile("|".join(f"(?:{p})" for p in cues["ownership_cues"] + cues["disclaimer_labels"]), re.IGNORECASE)


def _named(text: str, owned: bool) -> list[tuple[int, str]]:
    """(position, pack key) for each pack the text names; ``owned``: the text is a statement of ownership."""
    hits = []
    for pack in _packs():
        patterns = pack.detect + pack.detect_owned if owned else pack.detect
        positions = [m.start() for p in patterns for m in [p.search(text)] if m]
        if positions:
            hits.append((min(positions), pack.key))
    return sorted(hits)


def _sentences(text: str):
    """(offset, sentence) pairs: a rough split is enough to tell a sentence of ownership from the rest."""
    for m in re.finditer(r"(?:[^\n.!?]|[.!?](?!\s))+[.!?]*", text):
        if m.group().strip():
            yield m.start(), m.group()


def _from_metadata(fandoms: list[str]) -> list[str]:
    keys = []
    for tag in fandoms:
        key = fandom_pack_key(tag)
        if key is None:
            hits = _named(tag, owned=True)
            key = hits[0][1] if hits else None
        if key and key not in keys:
            keys.append(key)
    return keys


def _from_texts(texts: list[str], owned: bool) -> list[str]:
    """Pack keys named in ``texts``, in order of first naming; outside a disclaimer (``owned`` False) the
    ordinary-word names count only in a sentence of ownership."""
    keys: list[str] = []
    for text in texts:
        if owned:
            hits = _named(text, owned=True)
        else:
            hits = sorted(
                (offset + position, key)
                for offset, sentence in _sentences(text)
                for position, key in _named(sentence, owned=bool(_ownership().search(sentence)))
            )
        for _, key in hits:
            if key not in keys:
                keys.append(key)
    return keys


def detect(story: Story) -> list[str]:
    """Pack keys the paratext and metadata name, the one to load first; [] when they name none."""
    meta = story.metadata
    listed = [str(f) for f in (meta.get("fandoms") or []) if str(f).strip()]
    if listed:
        return _from_metadata(listed)

    def blocks(*kinds: str) -> list[str]:
        return [story.text[b.start : b.end] for b in story.blocks if b.kind in kinds]

    keys = _from_texts(blocks(DISCLAIMER), owned=True)
    if keys:
        return keys
    around = blocks(TITLE, CHAPTER_HEADING, AUTHOR_NOTE)
    around += [str(meta[k]) for k in PARATEXT_METADATA if isinstance(meta.get(k), str) and meta[k].strip()]
    return _from_texts(around, owned=False)


def detect_by_cast(story: Story) -> str | None:
    """The pack whose characters the body names, by the rule in the module docstring; None when none is clear."""
    body = "\n".join(story.text[p.start : p.end] for p in body_paragraphs(story))
    words = set(re.findall(r"[\w'-]+", body))
    present: dict[str, int] = {}
    for key, names in distinctive_names().items():
        people = {entry.name for n, entry in names.items() if n in words and n.lower() not in words}
        present[key] = len(people)
    ranked = sorted(present.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 2):
        return None
    return ranked[0][0]


def _family_members(roster: list[RosterEntry], family: str) -> dict[int, list[str]]:
    """Roster index -> the names that single that member out ("Draco", "Lucius Malfoy"; not "Mr. Malfoy")."""
    members: dict[int, list[str]] = {}
    surname = family.lower()
    titles = set(honorifics()["titles"])
    for i, entry in enumerate(roster):
        names = [entry.name, *entry.aliases]
        if not any(surname in normalise_name(n).split() for n in names):
            continue
        members[i] = [n for n in names if set(normalise_name(n).split()) - titles - {surname}]
    return members


def with_family_names(roster: list[RosterEntry], pack: dict, story: Story,
                      eligible: set[str] | None = None) -> list[RosterEntry]:
    """The roster with each of the pack's ``family_names`` ("Malfoy") given to the one family member the story
    names, when it names exactly one ("Draco" and no Lucius, Narcissa or Scorpius: "Malfoy" is Draco).  A family
    name is no bare alias in a pack because canon shares it; within one story the text settles it.  Only entries
    named in ``eligible`` (when given: the pack's own, not the user's) receive one."""
    body = "\n".join(story.text[p.start : p.end] for p in body_paragraphs(story))
    roster = [RosterEntry(e.name, list(e.aliases), e.gender, list(e.epithets)) for e in roster]
    taken = {normalise_name(n) for e in roster for n in [e.name, *e.aliases]}
    for family in pack.get("family_names", []):
        if normalise_name(family) in taken or not re.search(rf"\b{re.escape(family)}\b", body):
            continue
        members = _family_members(roster, family)
        present = [i for i, names in members.items()
                   if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", body) for n in names)]
        if len(present) == 1 and (eligible is None or roster[present[0]].name in eligible):
            roster[present[0]].aliases.append(family)
    return roster


def declared_characters(story: Story) -> list[str]:
    """The people the work's own character tags name (an AO3 download's "Characters:", else a "Characters:" line
    in the header of a story posted as text), without the fandom in brackets ("Sherlock Holmes (Sherlock TV)")
    and without tags for no one in particular ("Original Characters", "Reader")."""
    generic = lexicons.load_words("character_tags_not_people.txt")
    out: list[str] = []
    for tag in story.metadata.get("characters") or _header_characters(story):
        name = " ".join(re.sub(r"\([^)]*\)", " ", str(tag)).split())
        low = name.lower()
        if not name or "/" in name or " & " in name or low in generic \
                or any(g.endswith("*") and low.startswith(g[:-1]) for g in generic):
            continue
        if name not in out:
            out.append(name)
    return out


HEADER_CHARACTERS = re.compile(r"(?:characters?|cast)\s*:\s*(.+)", re.IGNORECASE)


def _header_characters(story: Story) -> list[str]:
    """The names of a "Characters: Chani, Paul Atreides & Stilgar" line among the author's notes before the body
    (a list, not a pairing: "&" and "and" part names there as commas do)."""
    for block in story.blocks:
        if block.kind == BODY:
            break
        line = HEADER_CHARACTERS.fullmatch(story.text[block.start : block.end].strip())
        if block.kind == AUTHOR_NOTE and line:
            return [name.strip() for name in re.split(r",|&|\band\b", line.group(1))]
    return []


def with_declared(roster: list[RosterEntry], declared: list[str]) -> list[RosterEntry]:
    """The roster with an entry for each tagged person it does not already hold under any of their names, in
    either order; AO3 writes a person's other names after a bar ("Yamato | Tenzou"), which become aliases."""
    def forms(name: str) -> set[str]:
        words = normalise_name(name).split()
        return {" ".join(words), " ".join(reversed(words))}

    held = set().union(*(forms(n) for e in roster for n in [e.name, *e.aliases]))
    added = []
    for tag in declared:
        names = [n.strip() for n in tag.split("|") if n.strip()]
        if names and not any(forms(n) & held for n in names):
            added.append(RosterEntry(names[0], names[1:]))
            held |= set().union(*(forms(n) for n in names))
    return roster + added


def run(story: Story, ctx) -> None:
    packs = {p.key: p.data for p in _packs()}
    if ctx.options.roster is not None or ctx.options.fandom:
        # The user said who is in it: never override.  The entries of a pack chosen with --fandom still get
        # their family names settled by the story; entries under names of the user's own are left as given.
        key = fandom_pack_key(ctx.options.fandom) if ctx.options.fandom else None
        if key and ctx.options.roster:
            pack_names = {e.name for e in load_fandom(key)}
            roster = with_family_names(ctx.options.roster, packs[key], story, eligible=pack_names)
            ctx.options = dataclasses.replace(ctx.options, roster=roster)
        return
    keys = detect(story)
    if not keys:
        by_cast = detect_by_cast(story)
        if by_cast is not None:
            keys = [by_cast]
            story.metadata["fandom_detected_from"] = "cast"
    # the work's own character tags name its people as the author spells them; a pack adds the rest of canon
    declared = declared_characters(story)
    if not keys:
        if declared:
            ctx.options = dataclasses.replace(ctx.options, roster=with_declared([], declared))
            ctx.cache[ROSTER_FROM_THE_WORK] = True
        return
    roster = with_declared(with_family_names(load_fandom(keys[0]), packs[keys[0]], story), declared)
    ctx.options = dataclasses.replace(ctx.options, roster=roster, fandom=keys[0])
    ctx.cache[ROSTER_FROM_THE_WORK] = True
    story.metadata["fandom_detected"] = packs[keys[0]]["fandom"]
    if not story.metadata.get("fandoms"):
        story.metadata["fandoms"] = [packs[k]["ao3_fandom"] for k in keys]
