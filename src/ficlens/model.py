"""The Story and its parts.

Every part that points into the story is a span: ``start``/``end`` are Python ``str`` indices into
``Story.text`` (end exclusive).  Readers create the Story; stages add to it; faces read it.
Nothing but data and its (de)serialisation lives here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterator

SCHEMA_VERSION = "1"

# Block kinds, in the words of the JSON contract.
TITLE = "title"
CHAPTER_HEADING = "chapter_heading"
DISCLAIMER = "disclaimer"
AUTHOR_NOTE = "author_note"
SCENE_BREAK = "scene_break"
BODY = "body"
BLOCK_KINDS = (TITLE, CHAPTER_HEADING, DISCLAIMER, AUTHOR_NOTE, SCENE_BREAK, BODY)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past the whitespace at either edge of ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Block(Span):
    """A run of the document with one role: story body, or one kind of paratext."""

    kind: str


@dataclass
class Paragraph(Span):
    """One paragraph of story body (paratext paragraphs are not listed here)."""

    chapter: int = 0  # index into Story.chapters
    scene: int = 0  # index into Story.scenes


@dataclass
class Chapter(Span):
    """A chapter: from its heading (if any) to the start of the next chapter."""

    number: int | None = None
    title: str | None = None


@dataclass
class Scene(Span):
    """A stretch of body between scene breaks or chapter boundaries."""

    chapter: int = 0
    focal_character: str | None = None


@dataclass
class Mention(Span):
    """One reference to a character: a name, a pronoun or a description."""

    text: str
    character: str | None  # Character.id
    kind: str = "name"  # name | pronoun | nominal | vocative


@dataclass
class Character:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None  # "F", "M", "N" (they/other) or None when the text does not show it
    mentions: int = 0
    quotes: int = 0  # lines of dialogue attributed to this character
    canonical_name: str | None = None  # from a user list or fandom pack


@dataclass
class Quote(Span):
    """One utterance.  ``start``/``end`` cover the whole utterance including its marks; an utterance
    interrupted by a speech tag has several ``parts`` (the quoted words of each piece, marks excluded)."""

    text: str
    parts: list[Span] = field(default_factory=list)
    speaker: str | None = None
    addressees: list[str] = field(default_factory=list)
    confidence: float = 0.0
    method: str | None = None  # explicit | anaphoric | implicit | vocative | none


@dataclass
class Evidence(Span):
    text: str = ""


@dataclass
class TagFinding:
    """An archive warning or additional tag with the sentences that justify it."""

    tag: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    detail: str | None = None  # e.g. "depicted" or "mentioned"


@dataclass
class Relationship:
    characters: list[str]
    kind: str  # romantic | platonic
    tag: str
    confidence: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Rating:
    rating: str  # General Audiences | Teen And Up Audiences | Mature | Explicit
    reasons: list[str] = field(default_factory=list)


@dataclass
class Tags:
    characters: list[str] = field(default_factory=list)  # display names, most prominent first
    relationships: list[Relationship] = field(default_factory=list)
    freeform: list[TagFinding] = field(default_factory=list)


@dataclass
class FlowerMention(Span):
    flower: str
    meaning: str
    text: str = ""
    giver: str | None = None
    recipient: str | None = None


@dataclass
class Motif:
    """A recurring concrete object or image."""

    motif: str
    count: int
    occurrences: list[Span] = field(default_factory=list)


@dataclass
class Motifs:
    flowers: list[FlowerMention] = field(default_factory=list)
    objects: list[Motif] = field(default_factory=list)


@dataclass
class Edge:
    source: str
    target: str
    weight: float
    kind: str  # dialogue | copresence


@dataclass
class Network:
    edges: list[Edge] = field(default_factory=list)


@dataclass
class ArcPoint(Span):
    valence: float


@dataclass
class TurningPoint(Span):
    """Where the story's mood shifts: the span of the arc unit where the new mood begins, and the signed
    change in mean valence across it (positive: a turn for the better)."""

    shift: float


@dataclass
class CharacterArc:
    character: str
    points: list[ArcPoint] = field(default_factory=list)


@dataclass
class Narrative:
    tense: str | None = None  # past | present | mixed
    pov: str | None = None  # first | second | third
    focal_characters: list[str] = field(default_factory=list)
    words: int = 0
    dialogue_words: int = 0
    dialogue_share: float = 0.0
    reading_minutes: float = 0.0
    tense_slips: list[Evidence] = field(default_factory=list)
    chapters: list[dict[str, Any]] = field(default_factory=list)  # per-chapter figures


@dataclass
class Story:
    text: str
    source: str | None = None  # path or "-" or None for text in hand
    format: str = "text"  # text | markdown | html | ao3-html | epub | ao3-epub
    metadata: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    scenes: list[Scene] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    characters: list[Character] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    narrative: Narrative = field(default_factory=Narrative)
    warnings: list[TagFinding] = field(default_factory=list)
    rating: Rating | None = None
    tags: Tags = field(default_factory=Tags)
    motifs: Motifs = field(default_factory=Motifs)
    network: Network = field(default_factory=Network)
    arc: list[ArcPoint] = field(default_factory=list)
    character_arcs: list[CharacterArc] = field(default_factory=list)
    turning_points: list[TurningPoint] = field(default_factory=list)
    # Regions a reader already knows the role of from markup (AO3 notes, chapter titles); the
    # structure stage keeps them and classifies only the rest.  Not serialised.
    preset_blocks: list[Block] = field(default_factory=list, repr=False)

    # -- reading helpers -------------------------------------------------------------------------
    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def body_blocks(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind == BODY)

    def character(self, character_id: str | None) -> Character | None:
        if character_id is None:
            return None
        for character in self.characters:
            if character.id == character_id:
                return character
        return None

    def character_name(self, character_id: str | None) -> str | None:
        character = self.character(character_id)
        return character.name if character else None

    # -- serialisation ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON document of the contract in DESIGN.md (schema ``schema/story.schema.json``)."""
        narrative = asdict(self.narrative)
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "format": self.format,
            "text": self.text,
            "metadata": self.metadata,
            "blocks": [asdict(b) for b in self.blocks],
            "chapters": [asdict(c) for c in self.chapters],
            "scenes": [asdict(s) for s in self.scenes],
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "characters": [asdict(c) for c in self.characters],
            "mentions": [asdict(m) for m in self.mentions],
            "quotes": [asdict(q) for q in self.quotes],
            "narrative": narrative,
            "warnings": [asdict(w) for w in self.warnings],
            "rating": asdict(self.rating) if self.rating else None,
            "tags": asdict(self.tags),
            "motifs": asdict(self.motifs),
            "network": asdict(self.network),
            "arc": [asdict(a) for a in self.arc],
            "character_arcs": [asdict(a) for a in self.character_arcs],
            "turning_points": [asdict(t) for t in self.turning_points],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Story":
        """Rebuild a Story from :meth:`to_dict` output (used by the corpus and the report)."""

        def spans(items, kind):
            return [kind(**item) for item in items or []]

        def evidence(items):
            return [Evidence(**e) for e in items or []]

        def finding(item):
            return TagFinding(**{**item, "evidence": evidence(item.get("evidence"))})

        story = cls(text=data["text"], source=data.get("source"), format=data.get("format", "text"))
        story.metadata = data.get("metadata") or {}
        story.blocks = spans(data.get("blocks"), Block)
        story.chapters = spans(data.get("chapters"), Chapter)
        story.scenes = spans(data.get("scenes"), Scene)
        story.paragraphs = spans(data.get("paragraphs"), Paragraph)
        story.characters = [Character(**c) for c in data.get("characters") or []]
        story.mentions = spans(data.get("mentions"), Mention)
        story.quotes = [
            Quote(**{**q, "parts": [Span(**p) for p in q.get("parts") or []]}) for q in data.get("quotes") or []
        ]
        narrative = dict(data.get("narrative") or {})
        narrative["tense_slips"] = evidence(narrative.get("tense_slips"))
        known = {f.name for f in fields(Narrative)}
        story.narrative = Narrative(**{k: v for k, v in narrative.items() if k in known})
        story.warnings = [finding(w) for w in data.get("warnings") or []]
        if data.get("rating"):
            story.rating = Rating(**data["rating"])
        tags = data.get("tags") or {}
        story.tags = Tags(
            characters=list(tags.get("characters") or []),
            relationships=[
                Relationship(**{**r, "evidence": evidence(r.get("evidence"))}) for r in tags.get("relationships") or []
            ],
            freeform=[finding(f) for f in tags.get("freeform") or []],
        )
        motifs = data.get("motifs") or {}
        story.motifs = Motifs(
            flowers=[FlowerMention(**f) for f in motifs.get("flowers") or []],
            objects=[
                Motif(**{**o, "occurrences": [Span(**s) for s in o.get("occurrences") or []]})
                for o in motifs.get("objects") or []
            ],
        )
        story.network = Network(edges=[Edge(**e) for e in (data.get("network") or {}).get("edges") or []])
        story.arc = spans(data.get("arc"), ArcPoint)
        story.character_arcs = [
            CharacterArc(character=a["character"], points=spans(a.get("points"), ArcPoint))
            for a in data.get("character_arcs") or []
        ]
        story.turning_points = spans(data.get("turning_points"), TurningPoint)
        return story
