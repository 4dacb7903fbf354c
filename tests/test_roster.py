from pathlib import Path

import pytest

from ficlens.errors import OptionsError
from ficlens.roster import RosterEntry, load_fandom, load_roster_file, resolve_roster

FIXTURES = Path(__file__).parent / "fixtures" / "roster"
TEAM7 = [
    RosterEntry("Hatake Kakashi", ["Kakashi", "Kakashi-sensei", "Scarecrow"], "M"),
    RosterEntry("Haruno Sakura", ["Sakura"], "F"),
    RosterEntry("Uzumaki Naruto", ["Naruto"], "M"),
]


@pytest.mark.parametrize("name", ["team7.json", "team7.csv"])
def test_character_list_files_read_the_same(name):
    assert load_roster_file(FIXTURES / name) == TEAM7


@pytest.mark.parametrize(
    "name, message",
    [
        ("bad_header.csv", "a CSV needs the header name,aliases,gender"),
        ("no_name.json", 'each character needs a non-empty "name"'),
        ("broken.json", "is not valid JSON (line 1)"),
        ("missing.json", "character list not found"),
    ],
)
def test_bad_character_lists_say_what_is_wrong(name, message):
    with pytest.raises(OptionsError, match=None) as info:
        load_roster_file(FIXTURES / name)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_naruto_pack_has_canonical_ao3_names():
    pack = {entry.name: entry for entry in load_fandom("Naruto")}
    assert {"Hatake Kakashi", "Umino Iruka", "Haruno Sakura", "Uzumaki Naruto"} <= set(pack)
    assert "Iruka" in pack["Umino Iruka"].aliases
    assert pack["Haruno Sakura"].gender == "F"


def test_unknown_fandom_lists_the_bundled_packs():
    with pytest.raises(OptionsError, match=r"unknown fandom 'Hetalia' \(bundled packs: .*naruto"):
        load_fandom("Hetalia")


def test_user_list_comes_before_the_fandom_pack():
    roster = resolve_roster([{"name": "Hatake Kakashi", "aliases": ["Scarecrow"]}], "naruto")
    names = [entry.name for entry in roster]
    assert names[0] == "Hatake Kakashi" and names.count("Hatake Kakashi") == 1
    assert roster[0].aliases == ["Scarecrow"]
    assert "Umino Iruka" in names
