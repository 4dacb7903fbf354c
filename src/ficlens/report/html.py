"""The self-contained HTML report of one Story (``ficlens analyze --format html``, ``ficlens report``).

One file a reader opens in a browser, offline: no network, no CDN, no external fonts, scripts or images.
The Jinja2 template (``report.html.j2``, autoescape on) lays out the page; this module prepares what it
shows.  Two parts are drawn here rather than in the template:

- the story text, because spans overlap (a quotation containing an evidence sentence, a flower inside a
  quotation): the text is cut at every span boundary and the spans are opened and closed as nested
  elements; a span that crosses another is closed and reopened, so no character is lost or repeated;
- the geometry of the two pictures (network and emotion arc), computed here and written out as inline SVG
  by the template.

Every piece of story text and metadata goes through ``html.escape`` or the template's autoescape.
"""

from __future__ import annotations

import bisect
import colorsys
import html
import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from ..model import (
    AUTHOR_NOTE,
    BODY,
    CHAPTER_HEADING,
    DISCLAIMER,
    SCENE_BREAK,
    TITLE,
    ArcPoint,
    Block,
    Evidence,
    Story,
    TagFinding,
    trim_span,
)

# Dark enough for text on a white page (contrast >= 4.5:1), far enough apart to tell speakers apart.
PALETTE = (
    "#1f5fa8",
    "#b3261e",
    "#2e7d32",
    "#8e24aa",
    "#a64d00",
    "#00796b",
    "#c2185b",
    "#5d4037",
    "#3949ab",
    "#6b6b00",
    "#0b6e99",
    "#7b1fa2",
)
UNKNOWN_COLOUR = "#666666"
GENDER_WORDS = {"F": "female", "M": "male", "N": "they / other"}
PARATEXT_LABELS = {DISCLAIMER: "Disclaimer", AUTHOR_NOTE: "Author's note"}
SCENE_ORNAMENT = "⁂"
QUOTE_MARKS = "\"'“”‘’«»„‟‹›「」『』"
EVIDENCE_SHOWN = 3  # evidence sentences quoted in the summary per finding; the rest are numbered links
EXCERPT_CHARS = 160
NETWORK_MAX_NODES = 15  # a picture of more is a hairball; the most mentioned are kept
NETWORK_MAX_EDGES = 30  # per kind, the strongest
# Where a sentence ends: its mark and any closing quotes; the match ends where the next sentence begins.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’]*\s+")


# ------------------------------------------------------------------------------------------------
# Small helpers


def _colour(index: int) -> str:
    if index < len(PALETTE):
        return PALETTE[index]
    # Beyond the palette: golden-angle hues at a dark lightness stay readable and distinct.
    hue = (index * 0.381966) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.32, 0.65)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank paragraphs of ``text[start:end]``, split at blank lines."""
    out = []
    for match in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\n[ \t\r]*\n|\Z))", text[start:end], flags=re.DOTALL):
        out.append((start + match.start(), start + match.end()))
    return out


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines of ``text[start:end]`` (paratext is short and often one thought a line)."""
    out = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        s, e = trim_span(text, start + match.start(), start + match.end())
        if s < e:
            out.append((s, e))
    return out


def _flower_name(name: str) -> str:
    """'rose, white, withered' (a dictionary entry) -> 'withered white rose'."""
    head, *qualifiers = [part.strip() for part in name.split(",")]
    return " ".join([*reversed(qualifiers), head]).strip()


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _metadata_list(metadata: dict[str, Any], *keys: str) -> list[str]:
    for key in keys:
        value = metadata.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value if v not in (None, "")]
        return [str(value)]
    return []


def _metadata_text(metadata: dict[str, Any], *keys: str) -> str | None:
    values = _metadata_list(metadata, *keys)
    return ", ".join(values) if values else None


# ------------------------------------------------------------------------------------------------
# The story text: layers of spans over the text, cut and nested


@dataclass
class Layer:
    """One span to mark in the story text."""

    start: int
    end: int
    tag: str
    classes: str
    rank: int  # among layers with the same range, lower is outside
    anchor: str | None = None  # id, put on the first piece only
    title: str | None = None
    data: dict[str, str] = field(default_factory=dict)
    opened: bool = False

    def open_tag(self) -> str:
        attrs = [f'class="{html.escape(self.classes)}"']
        if self.anchor and not self.opened:
            attrs.insert(0, f'id="{html.escape(self.anchor)}"')
        if self.title:
            attrs.append(f'title="{html.escape(self.title)}"')
        for key, value in self.data.items():
            attrs.append(f'data-{key}="{html.escape(value)}"')
        self.opened = True
        return f"<{self.tag} {' '.join(attrs)}>"

    def close_tag(self) -> str:
        return f"</{self.tag}>"


@dataclass
class Marker:
    """An empty anchor at one position (turning points, motif occurrences)."""

    position: int
    anchor: str


class TextRenderer:
    """Writes runs of Story.text as HTML with the layers that fall in them."""

    # Layers longer than this (a quotation left open over a chapter) are few and checked for every run;
    # the rest are found by bisection on their starts.
    LONG = 2000

    def __init__(self, text: str, layers: list[Layer], markers: list[Marker]):
        self.text = text
        ordered = sorted((l for l in layers if l.end > l.start), key=lambda l: (l.start, -l.end, l.rank))
        self.short = [l for l in ordered if l.end - l.start <= self.LONG]
        self.short_starts = [l.start for l in self.short]
        self.long = [l for l in ordered if l.end - l.start > self.LONG]
        # A pin in the whitespace between paragraphs would fall outside every run: move it to the next word.
        for marker in markers:
            while marker.position < len(text) and text[marker.position].isspace():
                marker.position += 1
        self.markers = sorted(markers, key=lambda m: m.position)
        self.marker_positions = [m.position for m in self.markers]
        self.emitted_ids: set[str] = set()

    def _layers_in(self, start: int, end: int) -> list[Layer]:
        lo = bisect.bisect_left(self.short_starts, start - self.LONG)
        hi = bisect.bisect_left(self.short_starts, end)
        found = [l for l in self.short[lo:hi] if l.end > start]
        found += [l for l in self.long if l.start < end and l.end > start]
        return found

    def render(self, start: int, end: int) -> Markup:
        """HTML for ``text[start:end]`` with every layer clipped to it nested inside."""
        layers = self._layers_in(start, end)
        m_lo = bisect.bisect_left(self.marker_positions, start)
        m_hi = bisect.bisect_left(self.marker_positions, end)
        markers = self.markers[m_lo:m_hi]
        clipped = {id(l): (max(l.start, start), min(l.end, end)) for l in layers}
        bounds = {start, end}
        for s, e in clipped.values():
            bounds.update((s, e))
        bounds.update(m.position for m in markers)
        points = sorted(bounds)
        starting: dict[int, list[Layer]] = {}
        for layer in layers:
            starting.setdefault(clipped[id(layer)][0], []).append(layer)
        marker_at: dict[int, list[Marker]] = {}
        for marker in markers:
            marker_at.setdefault(marker.position, []).append(marker)

        out: list[str] = []
        stack: list[Layer] = []
        for i, point in enumerate(points):
            ending = [j for j, layer in enumerate(stack) if clipped[id(layer)][1] == point]
            if ending:
                # Close down to the outermost layer that ends here, then reopen the ones that go on.
                lowest = ending[0]
                reopen = [layer for layer in stack[lowest:] if clipped[id(layer)][1] != point]
                for layer in reversed(stack[lowest:]):
                    out.append(layer.close_tag())
                del stack[lowest:]
                for layer in reopen:
                    out.append(layer.open_tag())
                    stack.append(layer)
            if point == end:
                break
            for marker in marker_at.get(point, []):
                out.append(f'<a class="pin" id="{html.escape(marker.anchor)}"></a>')
                self.emitted_ids.add(marker.anchor)
            new = sorted(starting.get(point, []), key=lambda l: (-clipped[id(l)][1], l.rank))
            for layer in new:
                if layer.anchor and not layer.opened:
                    self.emitted_ids.add(layer.anchor)
                out.append(layer.open_tag())
                stack.append(layer)
            out.append(html.escape(self.text[point : points[i + 1]], quote=False))
        for layer in reversed(stack):
            out.append(layer.close_tag())
        return Markup("".join(out))


# ------------------------------------------------------------------------------------------------
# The view: what the template shows


@dataclass
class EvidenceLink:
    anchor: str
    text: str
    live: bool = True  # False when the span fell outside the rendered text (nothing to link to)


@dataclass
class FindingView:
    tag: str
    confidence: float
    detail: str | None
    evidence: list[EvidenceLink]
    kind: str  # warning | tag | slip


class ReportBuilder:
    def __init__(self, story: Story):
        self.story = story
        self.text = story.text
        self.char_index = {c.id: i for i, c in enumerate(story.characters)}
        self.layers: list[Layer] = []
        self.markers: list[Marker] = []
        self.paragraphs_sorted = sorted(story.paragraphs, key=lambda p: p.start)

    # -- names and colours -----------------------------------------------------------------------
    def name(self, character_id: str | None) -> str:
        if character_id is None:
            return "?"
        return self.story.character_name(character_id) or str(character_id)

    def speaker_class(self, character_id: str | None) -> str:
        index = self.char_index.get(character_id) if character_id is not None else None
        return f"spk-{index}" if index is not None else "spk-none"

    # -- layers ----------------------------------------------------------------------------------
    def _evidence_links(self, items: list[Evidence], prefix: str, label: str, kind: str) -> list[EvidenceLink]:
        links = []
        for j, evidence in enumerate(items):
            anchor = f"{prefix}-{j}"
            text = evidence.text or self.text[evidence.start : evidence.end]
            self.layers.append(
                Layer(evidence.start, evidence.end, "mark", f"ev ev-{kind}", rank=1, anchor=anchor, title=label)
            )
            links.append(EvidenceLink(anchor, _excerpt(text)))
        return links

    def _findings(self, findings: list[TagFinding], prefix: str, kind: str, word: str) -> list[FindingView]:
        views = []
        for i, finding in enumerate(findings):
            label = f"{word}: {finding.tag}" + (f" ({finding.detail})" if finding.detail else "")
            links = self._evidence_links(finding.evidence, f"{prefix}{i}", label, kind)
            views.append(FindingView(finding.tag, finding.confidence, finding.detail, links, kind))
        return views

    def _quote_layers(self) -> None:
        for i, quote in enumerate(self.story.quotes):
            speaker = self.name(quote.speaker)
            addressees = ", ".join(self.name(a) for a in quote.addressees) or "?"
            title = f"{speaker} → {addressees} ({quote.confidence:.2f})"
            classes = f"q {self.speaker_class(quote.speaker)}"
            data = {"speaker": quote.speaker or ""}
            pieces = self._spoken_pieces(quote)
            if len(pieces) <= 1:
                self.layers.append(Layer(quote.start, quote.end, "span", classes + " qw", 0, f"q-{i}", title, data))
                continue
            self.layers.append(Layer(quote.start, quote.end, "span", classes, 0, f"q-{i}", title, data))
            for s, e in pieces:
                self.layers.append(Layer(s, e, "span", "qw", 5))

    def _spoken_pieces(self, quote) -> list[tuple[int, int]]:
        """The quoted words of each part with their quote marks (a speech tag between parts stays plain)."""
        parts = sorted((p for p in quote.parts if quote.start <= p.start < p.end <= quote.end), key=lambda p: p.start)
        if len(parts) <= 1:
            return [(quote.start, quote.end)]
        pieces = []
        for k, part in enumerate(parts):
            s = quote.start if k == 0 else part.start
            while s > quote.start and self.text[s - 1] in QUOTE_MARKS:
                s -= 1
            e = quote.end if k == len(parts) - 1 else part.end
            while e < quote.end and self.text[e] in QUOTE_MARKS:
                e += 1
            pieces.append((s, e))
        return pieces

    # -- sections --------------------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        story = self.story
        narrative = story.narrative
        warnings = self._findings(story.warnings, "ev-w", "warning", "Warning")
        tags = self._findings(story.tags.freeform, "ev-t", "tag", "Tag")
        slips = self._evidence_links(narrative.tense_slips, "slip", "Tense slip", "slip")
        relationships = self._relationships()
        flowers = self._flowers()
        motifs = self._motifs()
        arc = self._arc()
        self._quote_layers()
        self._chapter_markers()

        renderer = TextRenderer(self.text, self.layers, self.markers)
        blocks = self._story_blocks(renderer)
        live = renderer.emitted_ids
        for group in [f.evidence for f in warnings + tags] + [slips] + [r["evidence"] for r in relationships]:
            for link in group:
                link.live = link.anchor in live
        for flower in flowers:
            flower["live"] = flower["anchor"] in live
        for motif in motifs:
            motif["links"] = [link for link in motif["links"] if link["anchor"] in live]
        for point in arc["turning_points"] if arc else []:
            point["live"] = point["anchor"] in live

        return {
            "title": self._title(),
            "summary": self._summary(slips),
            "metadata_tags": self._author_tags(),
            "meta_summary": _metadata_text(story.metadata, "summary"),
            "rating": story.rating,
            "warnings": warnings,
            "tags": tags,
            "slips": slips,
            "chapters": self._chapter_table(live),
            "characters": self._characters(),
            "relationships": relationships,
            "network": self._network(),
            "arc": arc,
            "flowers": flowers,
            "motifs": motifs,
            "blocks": blocks,
            "evidence_shown": EVIDENCE_SHOWN,
            "speaker_css": Markup(self._speaker_css()),
            "css": Markup(_asset("report.css")),
            "js": Markup(_asset("report.js")),
        }

    def _title(self) -> str:
        title = _metadata_text(self.story.metadata, "title")
        if title:
            return title
        for block in self.story.blocks:
            if block.kind == TITLE:
                return " ".join(self.text[block.start : block.end].split())
        if self.story.source and self.story.source != "-":
            return PurePath(self.story.source).stem
        return "Untitled story"

    def _summary(self, slips: list[EvidenceLink]) -> list[dict[str, Any]]:
        story, n, meta = self.story, self.story.narrative, self.story.metadata
        rows: list[dict[str, Any]] = []

        def add(label: str, value: Any, key: str) -> None:
            if value not in (None, "", []):
                rows.append({"label": label, "value": str(value), "key": key})

        add("Author", _metadata_text(meta, "authors", "author"), "author")
        add("Fandom", _metadata_text(meta, "fandoms", "fandom"), "fandoms")
        chapter = meta.get("chapter_number")
        add("Chapter", chapter, "chapter")
        if n.words:
            add("Words", f"{n.words:,}", "words")
            minutes = n.reading_minutes
            add(
                "Reading time",
                "under a minute" if minutes < 1 else f"about {math.ceil(minutes - 0.5) or 1} min",
                "reading-time",
            )
            add("Dialogue", _percent(n.dialogue_share), "dialogue-share")
        tense = n.tense
        if tense and slips:
            tense = f"{tense} ({len(slips)} slip{'s' if len(slips) != 1 else ''})"
        add("Tense", tense, "tense")
        add(
            "Point of view",
            {"first": "first person", "second": "second person", "third": "third person"}.get(n.pov or "", n.pov),
            "pov",
        )
        add("Told through", ", ".join(self.name(c) for c in n.focal_characters), "focal")
        add("Rating", story.rating.rating if story.rating else None, "rating")
        return rows

    def _author_tags(self) -> list[dict[str, Any]]:
        """What the author tagged (AO3 downloads), shown apart from what ficlens found."""
        meta = self.story.metadata
        rows = []
        for label, keys in (
            ("Rating", ("rating",)),
            ("Archive warnings", ("archive_warnings", "warnings")),
            ("Categories", ("categories", "category")),
            ("Relationships", ("relationships",)),
            ("Characters", ("characters",)),
            ("Additional tags", ("additional_tags", "freeform", "tags")),
            ("Language", ("language",)),
        ):
            values = _metadata_list(meta, *keys)
            if values:
                rows.append({"label": label, "values": values})
        # Series entries are {title, part, url}; the address is not linked (the report loads and links nothing).
        series = [
            f"{s.get('title')}, part {s['part']}" if s.get("part") else str(s.get("title"))
            for s in meta.get("series") or []
            if isinstance(s, dict) and s.get("title")
        ]
        if series:
            rows.append({"label": "Series", "values": series})
        return rows

    def _chapter_table(self, live: set[str]) -> dict[str, Any] | None:
        figures = [c for c in self.story.narrative.chapters if isinstance(c, dict)]
        if len(figures) < 2:
            return None
        known = {"chapter", "number", "title", "words", "dialogue_share", "tense", "pov", "start", "end"}
        extra: list[str] = []
        for row in figures:
            extra += [key for key in row if key not in known and key not in extra]

        def cell(value: Any) -> str:
            if isinstance(value, float):
                return f"{value:,.2f}"
            if isinstance(value, int):
                return f"{value:,}"
            if isinstance(value, (list, tuple)):  # character ids are shown as their names
                return ", ".join(self.name(v) if v in self.char_index else str(v) for v in value)
            return "" if value is None else str(value)

        rows = []
        for k, row in enumerate(figures):
            index = row.get("chapter", k)
            share = row.get("dialogue_share")
            rows.append(
                {
                    "anchor": f"chapter-{index}" if f"chapter-{index}" in live else None,
                    "number": cell(row.get("number") or (index + 1 if isinstance(index, int) else index)),
                    "cells": [
                        cell(row.get("title")),
                        cell(row.get("words")),
                        _percent(share) if isinstance(share, (int, float)) else "",
                        cell(row.get("tense")),
                        cell(row.get("pov")),
                    ]
                    + [cell(row.get(key)) for key in extra],
                }
            )
        columns = ["Title", "Words", "Dialogue", "Tense", "POV"] + [key.replace("_", " ") for key in extra]
        return {"columns": columns, "rows": rows}

    def _characters(self) -> dict[str, Any]:
        words: dict[str | None, int] = {}
        lines: dict[str | None, int] = {}
        for quote in self.story.quotes:
            words[quote.speaker] = words.get(quote.speaker, 0) + len(quote.text.split())
            lines[quote.speaker] = lines.get(quote.speaker, 0) + 1
        total = sum(words.values())
        rows = []
        for i, character in enumerate(self.story.characters):
            share = words.get(character.id, 0) / total if total else 0.0
            aliases = [a for a in character.aliases if a != character.name]
            canonical = character.canonical_name if character.canonical_name not in (None, character.name) else None
            rows.append(
                {
                    "id": character.id,
                    "name": character.name,
                    "canonical": canonical,
                    "aliases": aliases,
                    "gender": GENDER_WORDS.get(character.gender or "", "—"),
                    "mentions": character.mentions,
                    "lines": character.quotes or lines.get(character.id, 0),
                    "share": share,
                    "share_text": _percent(share),
                    "css": f"spk-{i}",
                    "colour": _colour(i),
                }
            )
        unknown = words.get(None, 0)
        unattributed = None
        if lines.get(None):
            unattributed = {"lines": lines[None], "share": unknown / total if total else 0.0}
            unattributed["share_text"] = _percent(unattributed["share"])
        return {"rows": rows, "unattributed": unattributed, "dialogue_words": total}

    def _relationships(self) -> list[dict[str, Any]]:
        views = []
        for i, relationship in enumerate(self.story.tags.relationships):
            label = f"Relationship: {relationship.tag}"
            views.append(
                {
                    "tag": relationship.tag,
                    "kind": relationship.kind,
                    "confidence": relationship.confidence,
                    "people": [{"name": self.name(c), "css": self.speaker_class(c)} for c in relationship.characters],
                    "evidence": self._evidence_links(relationship.evidence, f"ev-r{i}", label, "rel"),
                }
            )
        return views

    def _sentence_around(self, start: int, end: int) -> str:
        """The sentence holding a span, for showing a flower in its context when the stage gave only the word."""
        starts = [p.start for p in self.paragraphs_sorted]
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and self.paragraphs_sorted[k].end >= end:
            lo, hi = self.paragraphs_sorted[k].start, self.paragraphs_sorted[k].end
        else:  # no paragraph list: the line around the span
            lo = self.text.rfind("\n", 0, start) + 1
            hi = self.text.find("\n", end)
            hi = len(self.text) if hi < 0 else hi
        sentence_start = lo
        for match in SENTENCE_END.finditer(self.text, lo, hi):
            if match.end() <= start:
                sentence_start = match.end()
            elif match.start() >= end:
                return self.text[sentence_start : match.start()].strip()
        return self.text[sentence_start:hi].strip()

    def _flowers(self) -> list[dict[str, Any]]:
        views = []
        for i, flower in enumerate(self.story.motifs.flowers):
            anchor = f"flower-{i}"
            title = f"{_flower_name(flower.flower)}: {flower.meaning}"
            self.layers.append(Layer(flower.start, flower.end, "span", "flower", 3, anchor, title))
            sentence = flower.text if len(flower.text.split()) > 3 else self._sentence_around(flower.start, flower.end)
            views.append(
                {
                    "flower": _flower_name(flower.flower),
                    "meaning": flower.meaning,
                    "sentence": _excerpt(sentence, 240),
                    "giver": self.name(flower.giver) if flower.giver else None,
                    "recipient": self.name(flower.recipient) if flower.recipient else None,
                    "giver_css": self.speaker_class(flower.giver) if flower.giver else "",
                    "recipient_css": self.speaker_class(flower.recipient) if flower.recipient else "",
                    "anchor": anchor,
                    "live": True,
                }
            )
        return views

    def _motifs(self) -> list[dict[str, Any]]:
        views = []
        for i, motif in enumerate(self.story.motifs.objects):
            links = []
            for j, occurrence in enumerate(motif.occurrences):
                anchor = f"motif-{i}-{j}"
                self.markers.append(Marker(occurrence.start, anchor))
                links.append({"anchor": anchor, "n": j + 1})
            views.append({"motif": motif.motif, "count": motif.count, "links": links})
        return views

    def _chapter_markers(self) -> None:
        # Chapters without a heading block still get a place to jump to.
        headed = {b.start for b in self.story.blocks if b.kind == CHAPTER_HEADING}
        for i, chapter in enumerate(self.story.chapters):
            if not any(chapter.start <= h < chapter.end for h in headed):
                self.markers.append(Marker(chapter.start, f"chapter-{i}"))

    # -- the story text --------------------------------------------------------------------------
    def _blocks(self) -> list[Block]:
        blocks = sorted(self.story.blocks, key=lambda b: (b.start, b.end))
        if not blocks:
            return [Block(0, len(self.text), BODY)]
        # Text that no block covers is still shown (as body), so nothing of the document goes missing.
        filled: list[Block] = []
        cursor = 0
        for block in blocks:
            if block.start > cursor and self.text[cursor : block.start].strip():
                filled.append(Block(cursor, block.start, BODY))
            filled.append(block)
            cursor = max(cursor, block.end)
        if cursor < len(self.text) and self.text[cursor:].strip():
            filled.append(Block(cursor, len(self.text), BODY))
        return filled

    def _body_paragraphs(self, block: Block) -> list[tuple[int, int]]:
        paragraphs = sorted(
            (p.start, p.end) for p in self.story.paragraphs if p.start < block.end and p.end > block.start
        )
        if not paragraphs:
            return _chunks(self.text, block.start, block.end)
        out = []
        cursor = block.start
        for start, end in paragraphs:
            start, end = max(start, block.start, cursor), min(end, block.end)
            if start > cursor:
                out.extend(_chunks(self.text, cursor, start))
            start, end = trim_span(self.text, start, end)
            if start < end:
                out.append((start, end))
            cursor = max(cursor, end)
        if cursor < block.end:
            out.extend(_chunks(self.text, cursor, block.end))
        return out

    def _story_blocks(self, renderer: TextRenderer) -> list[dict[str, Any]]:
        views = []
        chapter_starts = [c.start for c in self.story.chapters]
        for block in self._blocks():
            start, end = trim_span(self.text, block.start, block.end)
            if start >= end:
                continue
            if block.kind == SCENE_BREAK:
                views.append({"kind": "scene_break", "ornament": SCENE_ORNAMENT, "source": self.text[start:end]})
            elif block.kind in (TITLE, CHAPTER_HEADING):
                anchor = None
                if block.kind == CHAPTER_HEADING and chapter_starts:
                    index = max(bisect.bisect_right(chapter_starts, start) - 1, 0)
                    anchor = f"chapter-{index}"
                    renderer.emitted_ids.add(anchor)
                views.append({"kind": block.kind, "html": renderer.render(start, end), "anchor": anchor})
            elif block.kind in PARATEXT_LABELS:
                paragraphs = [renderer.render(s, e) for s, e in _lines(self.text, start, end)]
                views.append({"kind": block.kind, "label": PARATEXT_LABELS[block.kind], "paragraphs": paragraphs})
            else:
                paragraphs = [renderer.render(s, e) for s, e in self._body_paragraphs(block)]
                if paragraphs:
                    views.append({"kind": "body", "paragraphs": paragraphs})
        return views

    def _speaker_css(self) -> str:
        rules = [f".spk-{i}{{--c:{_colour(i)}}}" for i in range(len(self.story.characters))]
        rules.append(f".spk-none{{--c:{UNKNOWN_COLOUR}}}")
        return "\n".join(rules)

    # -- pictures --------------------------------------------------------------------------------
    def _network(self) -> dict[str, Any] | None:
        return network_view(self.story, self.name, self.char_index)

    def _arc(self) -> dict[str, Any] | None:
        view = arc_view(self.story, self.name, self.char_index)
        if view:
            for k, point in enumerate(view["turning_points"]):
                point["anchor"] = f"turn-{k}"
                self.markers.append(Marker(point["start"], point["anchor"]))
        return view


# ------------------------------------------------------------------------------------------------
# The interaction network picture

NET_W, NET_H, NET_MARGIN_X, NET_MARGIN_Y = 720, 400, 140, 40


def network_view(story: Story, name, char_index: dict[str, int]) -> dict[str, Any] | None:
    import networkx as nx

    edges = [e for e in story.network.edges if e.source != e.target and e.weight > 0]
    mentions = {c.id: c.mentions for c in story.characters}
    nodes: list[str] = []
    for edge in edges:
        for node in (edge.source, edge.target):
            if node not in nodes:
                nodes.append(node)
    if not nodes:
        return None
    nodes.sort(key=lambda n: char_index.get(n, len(char_index)))  # the characters' order: most prominent first
    total_nodes = len(nodes)
    if total_nodes > NETWORK_MAX_NODES:
        keep = set(sorted(nodes, key=lambda n: -mentions.get(n, 0))[:NETWORK_MAX_NODES])
        nodes = [n for n in nodes if n in keep]
    keep = set(nodes)
    edges = [e for e in edges if e.source in keep and e.target in keep]
    strongest: list = []
    for kind in sorted({e.kind for e in edges}):
        strongest += sorted((e for e in edges if e.kind == kind), key=lambda e: -e.weight)[:NETWORK_MAX_EDGES]
    edges = [e for e in edges if e in strongest]  # in the stage's order

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for edge in edges:
        previous = graph.get_edge_data(edge.source, edge.target, {}).get("weight", 0.0)
        graph.add_edge(edge.source, edge.target, weight=previous + edge.weight)
    if len(nodes) <= 3:
        positions = nx.circular_layout(graph)
    else:
        # A hub and a ring: the most mentioned character in the middle, the rest round them in the characters'
        # order.  Casts centre on one or two people, and a spring layout of such a star piles the ring onto the hub.
        hub = max(nodes, key=lambda n: mentions.get(n, 0))
        positions = nx.shell_layout(graph, nlist=[[hub], [n for n in nodes if n != hub]])

    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    box_w, box_h = NET_W - 2 * NET_MARGIN_X, NET_H - 2 * NET_MARGIN_Y
    # Both layouts are centred on the origin (the hub).  The ring is stretched to the picture's width; an axis
    # with no spread (two people side by side) stays centred.
    reach_x, reach_y = max(abs(x) for x in xs), max(abs(y) for y in ys)
    scale_x = box_w / 2 / reach_x if reach_x > 1e-6 else 0.0
    scale_y = box_h / 2 / reach_y if reach_y > 1e-6 else 0.0
    centre_x, centre_y = NET_W / 2, NET_H / 2

    def place(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return round(centre_x + float(x) * scale_x, 1), round(centre_y + float(y) * scale_y, 1)

    top = max((mentions.get(n, 0) for n in nodes), default=0) or 1
    node_views = []
    radius: dict[str, float] = {}
    for node in nodes:
        x, y = place(node)
        r = round(7 + 17 * math.sqrt(mentions.get(node, 0) / top), 1)
        radius[node] = r
        index = char_index.get(node)
        # Names sit outside the ring: beside the nodes at its sides, above or below the others.
        if abs(x - centre_x) > box_w / 4:
            label_x, label_y = (x + r + 5, y + 4) if x > centre_x else (x - r - 5, y + 4)
            anchor = "start" if x > centre_x else "end"
        else:
            label_x, label_y, anchor = x, (y - r - 7 if y < centre_y - 1 else y + r + 15), "middle"
        node_views.append(
            {
                "x": x,
                "y": y,
                "r": r,
                "label_x": round(label_x, 1),
                "label_y": round(label_y, 1),
                "anchor": anchor,
                "label": name(node),
                "title": f"{name(node)}: {mentions.get(node, 0)} mentions",
                "colour": _colour(index) if index is not None else UNKNOWN_COLOUR,
            }
        )

    edge_views = []
    pairs = {(e.source, e.target, e.kind) for e in edges}
    for kind in ("copresence", "dialogue"):
        of_kind = [e for e in edges if e.kind == kind]
        heaviest = max((e.weight for e in of_kind), default=1.0) or 1.0
        for edge in of_kind:
            (x1, y1), (x2, y2) = place(edge.source), place(edge.target)
            dx, dy = x2 - x1, y2 - y1
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            # Start and stop at the circles' rims so the arrowheads show.
            sx, sy = x1 + ux * radius[edge.source], y1 + uy * radius[edge.source]
            ex, ey = x2 - ux * (radius[edge.target] + 3), y2 - uy * (radius[edge.target] + 3)
            # Two directed edges between one pair bend apart instead of drawing over each other.
            bend = 18 if kind == "dialogue" and (edge.target, edge.source, kind) in pairs else 0
            cx, cy = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
            width = round(1 + 5 * edge.weight / heaviest, 2)
            verb = "spoke to" if kind == "dialogue" else "together with"
            edge_views.append(
                {
                    "d": f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}",
                    "width": width,
                    "kind": kind,
                    "title": f"{name(edge.source)} {verb} {name(edge.target)} (weight {edge.weight:g})",
                }
            )
    # Crop the picture to its nodes and labels, so that two characters side by side make a short figure.
    # (The margins leave room for a bent edge above and a name below.)
    top = min(n["y"] - n["r"] - 24 for n in node_views)
    bottom = max(n["y"] + n["r"] + 26 for n in node_views)
    return {
        "width": NET_W,
        "top": round(top, 1),
        "height": round(bottom - top, 1),
        "nodes": node_views,
        "edges": edge_views,
        "kinds": sorted({e.kind for e in edges}),
        "shown": len(nodes),
        "total": total_nodes,
    }


# ------------------------------------------------------------------------------------------------
# The emotion arc plot

ARC_W, ARC_H = 760, 280
ARC_LEFT, ARC_RIGHT, ARC_TOP, ARC_BOTTOM = 48, 16, 16, 34


def arc_view(story: Story, name, char_index: dict[str, int]) -> dict[str, Any] | None:
    points = sorted(story.arc, key=lambda p: p.start)
    if len(points) < 2:
        return None
    # The x axis runs over the story body (from its first to its last arc unit), not over the notes around it.
    body = [b for b in story.blocks if b.kind == BODY]
    origin = min([points[0].start] + [b.start for b in body])
    length = max(max([points[-1].end] + [b.end for b in body]) - origin, 1)
    all_values = [p.valence for p in points] + [p.valence for a in story.character_arcs for p in a.points]
    reach = max(0.25, max(abs(v) for v in all_values))
    reach = math.ceil(reach * 4) / 4  # a quarter step keeps the axis labels round
    plot_w = ARC_W - ARC_LEFT - ARC_RIGHT
    plot_h = ARC_H - ARC_TOP - ARC_BOTTOM

    def xy(point: ArcPoint) -> tuple[float, float]:
        x = ARC_LEFT + ((point.start + point.end) / 2 - origin) / length * plot_w
        y = ARC_TOP + (reach - max(-reach, min(reach, point.valence))) / (2 * reach) * plot_h
        return round(x, 1), round(y, 1)

    def path(pts: list[ArcPoint]) -> str:
        return " ".join(f"{'M' if k == 0 else 'L'}{x},{y}" for k, (x, y) in enumerate(map(xy, pts)))

    zero_y = ARC_TOP + plot_h / 2
    line = path(points)
    first_x, last_x = xy(points[0])[0], xy(points[-1])[0]
    area = f"{line} L{last_x},{zero_y} L{first_x},{zero_y} Z"

    character_lines = []
    for arc in story.character_arcs:
        pts = sorted(arc.points, key=lambda p: p.start)
        if len(pts) < 2:
            continue
        index = char_index.get(arc.character)
        character_lines.append(
            {
                "d": path(pts),
                "name": name(arc.character),
                "colour": _colour(index) if index is not None else UNKNOWN_COLOUR,
                "css": f"spk-{index}" if index is not None else "spk-none",
            }
        )

    turns = []
    for turn in sorted(story.turning_points, key=lambda t: t.start):
        # Marked on the arc where the new mood begins: the arc point over the turning point's unit.
        nearest = min(points, key=lambda p: abs((p.start + p.end) / 2 - (turn.start + turn.end) / 2))
        x, y = xy(nearest)
        words = _excerpt(story.text[turn.start : turn.end], 110)
        direction = "up" if turn.shift >= 0 else "down"
        better = "a turn for the better" if turn.shift >= 0 else "a turn for the worse"
        turns.append(
            {
                "x": x,
                "y": y,
                "shift": turn.shift,
                "start": turn.start,
                "kind": direction,
                "text": words,
                "title": f"{better} ({turn.shift:+.2f}): {words}",
                "live": True,
            }
        )

    chapters = []
    for i, chapter in enumerate(story.chapters[1:], start=2):
        if not origin < chapter.start < origin + length:
            continue
        x = round(ARC_LEFT + (chapter.start - origin) / length * plot_w, 1)
        chapters.append({"x": x, "label": f"Ch. {chapter.number or i}"})

    ticks = [
        {"y": ARC_TOP, "label": f"+{reach:g}"},
        {"y": zero_y, "label": "0"},
        {"y": ARC_TOP + plot_h, "label": f"−{reach:g}"},
    ]
    return {
        "width": ARC_W,
        "height": ARC_H,
        "left": ARC_LEFT,
        "right": ARC_W - ARC_RIGHT,
        "top": ARC_TOP,
        "bottom": ARC_TOP + plot_h,
        "zero_y": zero_y,
        "line": line,
        "area": area,
        "characters": character_lines,
        "turning_points": turns,
        "chapters": chapters,
        "ticks": ticks,
    }


# ------------------------------------------------------------------------------------------------


@cache
def _asset(name: str) -> str:
    return resources.files("ficlens.report").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("ficlens", "report"),
        autoescape=True,  # every value is escaped unless it is Markup built here with html.escape
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(story: Story) -> str:
    """The report as one self-contained HTML document."""
    view = ReportBuilder(story).build()
    return _environment().get_template("report.html.j2").render(**view)
