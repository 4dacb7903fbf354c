"""ficlens: reads fan fiction as people post it and writes down what it found.

>>> import ficlens
>>> story = ficlens.analyze_text("Chapter 1\n\n\"Hello,\" said Iruka.")
>>> story.to_dict()["schema_version"]
'1'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import FiclensError, FormatError, InputError, OptionsError
from .model import Story
from .pipeline import DEFAULT_MAX_BYTES, Options, run
from .roster import resolve_roster

__version__ = "0.1.0"
__all__ = [
    "analyze",
    "analyze_text",
    "analyze_bytes",
    "read",
    "Story",
    "Options",
    "FiclensError",
    "InputError",
    "FormatError",
    "OptionsError",
    "__version__",
]


def _options(characters: Any, fandom: str | None, spacy_model: str | None, max_bytes: int) -> Options:
    return Options(
        roster=resolve_roster(characters, fandom),
        fandom=fandom,
        spacy_model=spacy_model,
        max_bytes=max_bytes,
    )


def read(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, format: str | None = None) -> Story:
    """Read a document (text, Markdown, HTML, AO3 download, EPUB) into a Story, without analysing it."""
    from .ingest import read_path

    return read_path(path, max_bytes=max_bytes, format=format)


def analyze(
    path: str | Path,
    *,
    characters: Any = None,
    fandom: str | None = None,
    spacy_model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    format: str | None = None,
    on_stage=None,
) -> Story:
    """Read the document at ``path`` and analyse it.

    ``on_stage(name, index, total)``, if given, is called before each stage (progress display).

    ``characters`` is a path to a JSON/CSV character list or a list of ``{"name", "aliases", "gender"}``;
    ``fandom`` names a bundled fandom pack (``"naruto"``).  Raises :class:`FiclensError` on bad input.
    """
    options = _options(characters, fandom, spacy_model, max_bytes)
    return run(read(path, max_bytes=max_bytes, format=format), options, on_stage=on_stage)


def analyze_bytes(
    data: bytes,
    *,
    source: str | None = None,
    characters: Any = None,
    fandom: str | None = None,
    spacy_model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    format: str | None = None,
    on_stage=None,
) -> Story:
    """Analyse a document given as bytes (standard input, an upload); the format is sniffed unless given."""
    from .ingest import read_bytes

    options = _options(characters, fandom, spacy_model, max_bytes)
    story = read_bytes(data, source=source, max_bytes=max_bytes, format=format)
    return run(story, options, on_stage=on_stage)


def analyze_text(
    text: str,
    *,
    characters: Any = None,
    fandom: str | None = None,
    spacy_model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_stage=None,
) -> Story:
    """Analyse text already in hand (treated as plain text; offsets index ``text`` itself)."""
    from .ingest import from_text

    options = _options(characters, fandom, spacy_model, max_bytes)
    return run(from_text(text, max_bytes=max_bytes), options, on_stage=on_stage)
