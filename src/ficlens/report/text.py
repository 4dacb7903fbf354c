"""A readable summary of a Story for the terminal (``ficlens analyze --format text``)."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.table import Table

from ..model import BODY, Story

QUOTE_PREVIEW = 70


def _short(text: str, limit: int = QUOTE_PREVIEW) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _structure(story: Story) -> Table:
    table = Table(title="Structure", show_header=True, header_style="bold", expand=False)
    table.add_column("kind")
    table.add_column("text")
    for block in story.blocks:
        if block.kind == BODY:
            words = len(story.span_text(block).split())
            table.add_row(block.kind, f"[dim]{words} words of story[/dim]")
        else:
            table.add_row(block.kind, _short(story.span_text(block), 90))
    return table


def _characters(story: Story) -> Table:
    table = Table(title="Characters", header_style="bold")
    for column in ("name", "also called", "gender", "mentions", "lines"):
        table.add_column(column)
    for character in story.characters:
        aliases = ", ".join(a for a in character.aliases if a != character.name)
        table.add_row(
            character.name, _short(aliases, 50), character.gender or "?", str(character.mentions), str(character.quotes)
        )
    return table


def _quotes(story: Story, limit: int) -> Table:
    table = Table(title=f"Dialogue ({len(story.quotes)} lines)", header_style="bold")
    table.add_column("speaker")
    table.add_column("to")
    table.add_column("line")
    table.add_column("conf.", justify="right")
    for quote in story.quotes[:limit]:
        speaker = story.character_name(quote.speaker) or "?"
        to = ", ".join(filter(None, (story.character_name(a) for a in quote.addressees)))
        table.add_row(speaker, to, _short(quote.text), f"{quote.confidence:.2f}")
    if len(story.quotes) > limit:
        table.add_row("…", "", f"{len(story.quotes) - limit} more lines (use --format json for all)", "")
    return table


def _facts(story: Story) -> Table:
    n = story.narrative
    meta = story.metadata
    table = Table(show_header=False, box=None, title="Summary", title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("title", meta.get("title")),
        ("chapter", meta.get("chapter_number")),
        ("fandoms", ", ".join(meta.get("fandoms") or [])),
        ("words", f"{n.words:,}" if n.words else None),
        ("reading time", f"{n.reading_minutes:.0f} min" if n.words else None),
        ("tense", n.tense),
        ("point of view", n.pov),
        ("focal", ", ".join(filter(None, (story.character_name(c) for c in n.focal_characters)))),
        ("dialogue share", f"{n.dialogue_share:.0%}" if n.words else None),
        ("rating", story.rating.rating if story.rating else None),
    ]
    for key, value in rows:
        if value not in (None, "", []):
            table.add_row(key, str(value))
    return table


def _findings(story: Story) -> Table | None:
    if not (story.warnings or story.tags.freeform or story.tags.relationships or story.motifs.flowers):
        return None
    table = Table(title="Warnings, tags and motifs", header_style="bold")
    table.add_column("kind")
    table.add_column("tag")
    table.add_column("evidence")
    for w in story.warnings:
        table.add_row("warning", f"{w.tag} ({w.confidence:.2f})", _short(w.evidence[0].text) if w.evidence else "")
    for r in story.tags.relationships:
        table.add_row("relationship", r.tag, _short(r.evidence[0].text) if r.evidence else "")
    for f in story.tags.freeform:
        table.add_row("tag", f"{f.tag} ({f.confidence:.2f})", _short(f.evidence[0].text) if f.evidence else "")
    for flower in story.motifs.flowers:
        table.add_row("flower", flower.flower, flower.meaning)
    return table


def render(story: Story, quote_limit: int = 40) -> Group:
    parts = [_facts(story), _structure(story)]
    if story.characters:
        parts.append(_characters(story))
    if story.quotes:
        parts.append(_quotes(story, quote_limit))
    findings = _findings(story)
    if findings is not None:
        parts.append(findings)
    return Group(*parts)


def to_text(story: Story, width: int = 110, quote_limit: int = 40) -> str:
    """The summary as plain text (no colour), for files and pipes."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(render(story, quote_limit))
    return console.export_text()

