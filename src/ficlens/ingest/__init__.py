"""Readers: one per format, each returning a Story.  (Minimal version; the full readers are in progress.)"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Story


def from_text(text: str, *, max_bytes: int | None = None, source: str | None = None) -> Story:
    if not text.strip():
        raise InputError("the story is empty")
    return Story(text=text, source=source, format="text")


def read_path(path, *, max_bytes: int, format: str | None = None) -> Story:
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file: {p}")
    if p.is_dir():
        raise InputError(f"{p} is a directory, not a story file")
    data = p.read_bytes()
    return from_text(data.decode("utf-8"), source=str(p))
