"""Known characters: a user's ``--characters`` file or a bundled fandom pack.

A roster entry is ``{"name": ..., "aliases": [...], "gender": "F"|"M"|None}``.  With a roster the
characters stage maps mentions onto its entries first.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from . import lexicons
from .errors import OptionsError


# ctx.cache key: the roster was made by the fandom stage (a detected pack, the work's own character tags), not
# given by the user, so it names only some of the cast
ROSTER_FROM_THE_WORK = "roster_from_the_work"


@dataclass
class RosterEntry:
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None
    # what fans call them by description, without "the" ("blond", "copy-nin"): '"...," said the blond.'
    epithets: list[str] = field(default_factory=list)


def _entry(item: Any, where: str) -> RosterEntry:
    if isinstance(item, str):
        return RosterEntry(name=item.strip())
    if not isinstance(item, dict) or not str(item.get("name") or "").strip():
        raise OptionsError(f"{where}: each character needs a non-empty \"name\"")
    aliases = item.get("aliases") or []
    if isinstance(aliases, str):
        aliases = aliases.split(";")
    gender = (str(item.get("gender") or "").strip().upper() or None)
    if gender and gender not in {"F", "M", "N"}:
        gender = {"FEMALE": "F", "MALE": "M", "NONBINARY": "N", "NON-BINARY": "N"}.get(gender)
    epithets = item.get("epithets") or []
    if isinstance(epithets, str):
        epithets = epithets.split(";")
    return RosterEntry(
        name=str(item["name"]).strip(),
        aliases=[str(a).strip() for a in aliases if str(a).strip()],
        gender=gender,
        epithets=[" ".join(str(e).lower().split()).removeprefix("the ") for e in epithets if str(e).strip()],
    )


def parse_roster(items: Iterable[Any], where: str = "character list") -> list[RosterEntry]:
    entries = [_entry(item, where) for item in items]
    if not entries:
        raise OptionsError(f"{where}: the character list is empty")
    return entries


def load_roster_file(path: str | Path) -> list[RosterEntry]:
    """Read a JSON list or a CSV with header ``name,aliases,gender`` (aliases separated by ``;``)."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OptionsError(f"character list not found: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionsError(f"cannot read character list {p}: {exc.__class__.__name__}") from None
    if raw.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise OptionsError(f"character list {p} is not valid JSON (line {exc.lineno})") from None
        if isinstance(data, dict):
            data = data.get("characters", [])
        if not isinstance(data, list):
            raise OptionsError(f"character list {p} must be a JSON list of characters")
        return parse_roster(data, str(p))
    reader = csv.DictReader(io.StringIO(raw))
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise OptionsError(f"character list {p}: a CSV needs the header name,aliases,gender")
    rows = [{(k or "").strip().lower(): v for k, v in row.items()} for row in reader]
    return parse_roster(rows, str(p))


def _fandom_words(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def fandom_pack_key(name: str) -> str | None:
    """The bundled pack that ``name`` names: its file name (``harry_potter``), its fandom ("Sherlock (TV)"),
    one of its AO3 fandom tags, or a whole match of one of its detection patterns ("MCU"); None if none."""
    packs = lexicons.fandom_packs()
    key = name.strip().lower().replace(" ", "_")
    if key in packs:
        return key
    words = _fandom_words(name)
    for key, file in sorted(packs.items()):
        data = lexicons.load_json(file)
        spellings = [key.replace("_", " "), data.get("fandom", ""), data.get("ao3_fandom", ""), *data.get("ao3_fandoms", [])]
        if words and words in {_fandom_words(s) for s in spellings}:
            return key
    for key, file in sorted(packs.items()):
        if any(re.fullmatch(p, name.strip(), re.IGNORECASE) for p in lexicons.load_json(file).get("detect", [])):
            return key
    return None


def load_fandom(name: str) -> list[RosterEntry]:
    """The bundled pack for ``name`` (case-insensitive: ``naruto``, ``Naruto``, ``Sherlock (TV)``, ``MCU``)."""
    packs = lexicons.fandom_packs()
    key = fandom_pack_key(name)
    if key not in packs:
        known = ", ".join(sorted(packs)) or "none"
        raise OptionsError(f"unknown fandom {name!r} (bundled packs: {known})")
    data = lexicons.load_json(packs[key])
    return parse_roster(data["characters"], packs[key])


def resolve_roster(characters: Any = None, fandom: str | None = None) -> list[RosterEntry] | None:
    """Combine ``characters`` (a path, or a list of entries/dicts/names) and ``fandom`` into one roster."""
    roster: list[RosterEntry] = []
    if characters is not None:
        if isinstance(characters, (str, Path)):
            roster.extend(load_roster_file(characters))
        else:
            roster.extend(c if isinstance(c, RosterEntry) else _entry(c, "characters") for c in characters)
    if fandom:
        known = {e.name.lower() for e in roster}
        roster.extend(e for e in load_fandom(fandom) if e.name.lower() not in known)
    return roster or None


@lru_cache(maxsize=1)
def common_given_names() -> frozenset[str]:
    """Lower-case given names common in English fiction, with their familiar forms."""
    names = set(lexicons.load_words("common_given_names.txt"))
    for entry in lexicons.load_words("nicknames.txt"):
        given, _, forms = entry.partition(":")
        names.update(w.strip() for w in [given, *forms.split(",")] if w.strip())
    return frozenset(names)


@lru_cache(maxsize=1)
def distinctive_names() -> dict[str, dict[str, RosterEntry]]:
    """Pack key -> {one-word name that points at that canon alone ("Kakashi", "Castiel"): its pack entry}.
    Left out: names two packs share ("Crowley"), common English given names ("Harry", "Sam", "Molly") and the
    names a pack lists as ``not_distinctive`` (words or names of the wider world: "Cloud", "Doctor", "Zeus")."""
    owners: dict[str, set[str]] = {}
    found: dict[str, dict[str, RosterEntry]] = {}
    for key, file in sorted(lexicons.fandom_packs().items()):
        found[key] = {}
        shared_with_the_world = set(lexicons.load_json(file).get("not_distinctive", []))
        for entry in load_fandom(key):
            for name in [entry.name, *entry.aliases]:
                if name in shared_with_the_world:
                    continue
                if re.fullmatch(r"[A-Z][\w'-]{2,}", name) and name.lower() not in common_given_names():
                    found[key][name] = entry
                    owners.setdefault(name, set()).add(key)
    return {key: {n: e for n, e in names.items() if len(owners[n]) == 1} for key, names in found.items()}


@lru_cache(maxsize=None)
def canon_character(name: str) -> RosterEntry | None:
    """The one pack character a distinctive name ("Hinata") points at; else None."""
    for names in distinctive_names().values():
        if name in names:
            return names[name]
    return None
