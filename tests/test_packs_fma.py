"""The Fullmetal Alchemist pack: a story of the fandom is detected from its paratext and comes out under AO3's
canonical names, with its nicknames joined to them, the two Elric brothers kept apart, its lines given to
the right people, and a homunculus's name read as an ordinary word where the story uses it as one."""

import ficlens
from ficlens.roster import canon_character, distinctive_names, fandom_pack_key

from .test_fandom_packs import characters_of, lines_of


def test_a_fma_story_names_the_brothers_and_the_colonel_by_their_canonical_names_under_their_nicknames():
    # "Ed" and "Fullmetal" (Mustang's name for him) are Edward Elric, "Al" is Alphonse; both are Elrics, so
    # "the Elric brothers" goes to neither.  "Envy" in running text is the homunculus, AO3's "Envy (Fullmetal
    # Alchemist)"; "Envy was not..." and "Pride kept Ed..." open sentences of a story that also writes "envy" and
    # "pride" as words, so they are no one
    metadata, characters = characters_of("fma_east_city_report.txt")
    assert metadata["fandom_detected"] == "Fullmetal Alchemist"
    assert metadata["fandoms"] == ["Fullmetal Alchemist - All Media Types"]
    assert set(characters) == {"Edward Elric", "Alphonse Elric", "Roy Mustang", "Riza Hawkeye",
                               "Envy (Fullmetal Alchemist)", "Winry Rockbell"}
    assert {"Ed", "Fullmetal"} <= set(characters["Edward Elric"].aliases)
    assert "Al" in characters["Alphonse Elric"].aliases
    assert set(characters["Edward Elric"].aliases) == {"Ed", "Edward", "Fullmetal"}
    assert set(characters["Alphonse Elric"].aliases) == {"Al", "Alphonse"}
    assert {"Mustang", "the Colonel"} <= set(characters["Roy Mustang"].aliases)
    assert characters["Envy (Fullmetal Alchemist)"].name == "Envy"  # the disambiguator is dropped for display
    assert characters["Envy (Fullmetal Alchemist)"].mentions == 1  # "belonged to Envy", not "Envy was not..."
    assert characters["Riza Hawkeye"].gender == "F" and characters["Alphonse Elric"].gender == "M"
    said = lines_of("fma_east_city_report.txt")
    assert said["Fullmetal. Y"] == ("Roy Mustang", ["Edward Elric"])
    assert said["I could try "][0] == "Edward Elric"  # untagged: Ed answers the Colonel
    assert said["Brother, you"] == ("Alphonse Elric", ["Edward Elric"])
    assert said["I am being p"] == ("Edward Elric", ["Alphonse Elric"])
    assert said["Drink it, Ed"] == ("Riza Hawkeye", ["Edward Elric"])
    assert said["Lieutenant, "] == ("Edward Elric", ["Riza Hawkeye"])
    assert said["I'm on the s"][0] == "Riza Hawkeye"  # said Hawkeye
    assert said["Colonel, is "] == ("Alphonse Elric", ["Roy Mustang"])
    assert said["Al, come on,"] == ("Edward Elric", ["Alphonse Elric"])


def test_the_pack_names_its_fandom_in_its_own_words_and_not_in_the_words_of_its_title():
    text = "{}\n\nThe rain had not stopped for three days.\n"
    lines = {
        "Disclaimer: Fullmetal Alchemist belongs to Hiromu Arakawa.": "Fullmetal Alchemist",
        "A/N: a little Royai for the holidays.": "Fullmetal Alchemist",
        "A/N: my first FMA fic, be gentle.": "Fullmetal Alchemist",
        # the title's words in their ordinary senses, a given name like a ship name, the sins as words
        "A/N: the alchemist of the village kept a dragon on a ball of string.": None,
        "A/N: for Edwin, who asked for this one.": None,
        "A/N: envy, greed, pride and lust: four sins in one chapter.": None,
    }
    found = {line: ficlens.analyze_text(text.format(line)).metadata.get("fandom_detected") for line in lines}
    assert found == lines


def test_the_pack_is_found_by_key_title_and_ao3_tag():
    assert fandom_pack_key("fullmetal_alchemist") == "fullmetal_alchemist"
    assert fandom_pack_key("Fullmetal Alchemist: Brotherhood & Manga") == "fullmetal_alchemist"
    assert fandom_pack_key("Fullmetal Alchemist (Anime 2003)") == "fullmetal_alchemist"
    assert fandom_pack_key("FMA") == "fullmetal_alchemist"


def test_the_pack_leaves_words_and_the_wider_world_s_names_alone():
    # the homunculi have no bare names at all; "Hawkeye" stays Marvel's, "Roy" and "Hughes" stay anyone's,
    # "Mustang" is a word; "Winry" and "Riza" are this canon's alone and give their gender in any story
    fma = set(distinctive_names()["fullmetal_alchemist"])
    assert {"Winry", "Riza", "Fullmetal"} <= fma and not {"Envy", "Pride", "Lust", "Greed", "Father", "Hawkeye"} & fma
    assert "Hawkeye" in distinctive_names()["marvel"]
    names = ("Winry", "Riza", "Roy", "Hughes", "Mustang", "Envy", "Pride")
    genders = {name: canon_character(name).gender if canon_character(name) else None for name in names}
    assert genders == {"Winry": "F", "Riza": "F", "Roy": None, "Hughes": None, "Mustang": None, "Envy": None,
                       "Pride": None}
