"""The analysis pipeline: a list of stages run in order over one Story.

Each stage is a module under ``ficlens.stages`` with ``run(story, ctx)``; it reads what earlier stages
wrote and adds one kind of knowledge.  Where is tense decided?  ``stages/narrative.py``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from . import nlp as nlp_loader
from .model import Story
from .roster import RosterEntry

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

STAGES = (
    "structure",  # title, headings, disclaimers, notes, scene breaks, paragraphs
    "fandom",  # with no roster given, the fandom named in the paratext loads its pack
    "quotes",  # every quotation in the body
    "characters",  # mentions clustered into characters
    "attribution",  # speaker and addressees of each quotation
    "narrative",  # tense, point of view, focal characters, counts
    "content",  # archive warnings, additional tags, rating
    "relationships",  # romantic and platonic pairings
    "network",  # interaction network
    "arc",  # emotion arc
    "motifs",  # recurring objects, flowers and their meanings
)


@dataclass
class Options:
    """What a user may choose; the CLI flags mirror these one to one."""

    roster: list[RosterEntry] | None = None  # from --characters and/or --fandom
    fandom: str | None = None
    spacy_model: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    stages: tuple[str, ...] = STAGES


@dataclass
class Context:
    """What stages share during one analysis: the options, the spaCy pipeline, and caches."""

    options: Options = field(default_factory=Options)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def nlp(self):
        return nlp_loader.load(self.options.spacy_model)


def stage_function(name: str) -> Callable[[Story, Context], None]:
    return importlib.import_module(f"ficlens.stages.{name}").run


def run(
    story: Story,
    options: Options | None = None,
    ctx: Context | None = None,
    on_stage: Callable[[str, int, int], None] | None = None,
) -> Story:
    """Run the stages over ``story``; ``on_stage(name, index, total)`` is called before each (for progress bars)."""
    ctx = ctx or Context(options or Options())
    names = ctx.options.stages
    for index, name in enumerate(names):
        if on_stage is not None:
            on_stage(name, index, len(names))
        stage_function(name)(story, ctx)
    return story
