"""Data files (word lists, cue lists, flower meanings, fandom packs), loaded once.

Code never holds word lists; it asks for them here by file name.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


def path(name: str):
    return resources.files(__name__).joinpath(name)


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """Parse ``lexicons/<name>`` (a JSON file)."""
    return json.loads(path(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_words(name: str) -> frozenset[str]:
    """A word list: one entry per line, ``#`` starts a comment, compared in lower case."""
    entries = set()
    for line in path(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.add(line.lower())
    return frozenset(entries)


def fandom_packs() -> dict[str, str]:
    """Bundled fandom packs: lower-case name -> file name under ``fandoms/``."""
    packs = {}
    for entry in path("fandoms").iterdir():
        if entry.name.endswith(".json"):
            packs[entry.name[: -len(".json")].lower()] = "fandoms/" + entry.name
    return packs
