"""The Bridgerton and Shadowhunters packs: each is detected from a story's paratext, and its story comes out under
AO3's canonical names, with the family that shares a surname ("Bridgerton", "Lightwood") kept apart person by
person."""

import pytest

from ficlens.roster import canon_character, distinctive_names, load_fandom

from .test_fandom_packs import characters_of, detected, lines_of, pack_data, patterns


def test_a_disclaimer_naming_the_author_names_the_pack():  # the titles themselves: TITLES in test_fandom_packs.py
    metadata = detected("Disclaimer: I don't own the Bridgerton novels of Julia Quinn.\n\nThe rain had not stopped.\n")
    assert metadata["fandom_detected"] == pack_data("bridgerton")["fandom"]


@pytest.mark.parametrize("sentence", [
    "The mortal instruments of his trade lay on the bench.",  # the title's words in their ordinary sense
    "Some infernal device of the landlord's had stopped the clock.",
    "He hunted shadows across the moor.",
    "Lady Danbury's carriage was at the door.",  # a title is a character's, not a fandom's name
])
def test_the_titles_words_in_ordinary_prose_name_neither_pack(sentence):
    assert not any(p.search(sentence) for key in ("bridgerton", "shadowhunters") for p in patterns(key))


def test_a_shared_family_name_is_no_bare_alias_and_names_another_canon_shares_stay_its_own():
    for key, families in [("bridgerton", {"Bridgerton", "Featherington", "Sharma"}),
                          ("shadowhunters", {"Lightwood", "Herondale", "Morgenstern"})]:
        assert families <= set(pack_data(key)["family_names"])
        assert not any(families & set(e.aliases) for e in load_fandom(key))
    # a name only one canon uses is evidence of it; one other canons use too (Lilith) is of none
    assert canon_character("Penelope").name == "Penelope Featherington"
    assert canon_character("Clary").name == "Clary Fray" and canon_character("Jace").gender == "M"
    assert "Lilith" not in distinctive_names()["shadowhunters"] and "Magnus" not in distinctive_names()["shadowhunters"]


def test_a_bridgerton_story_keeps_the_siblings_apart_under_their_canonical_names():
    # Anthony, Colin and Eloise share "Bridgerton": three people, none of them "Bridgerton"; "the Viscount" is
    # Anthony, "Pen" and "Lady Whistledown" are Penelope, "Lady Danbury" is AO3's Agatha Danbury
    metadata, characters = characters_of("bridgerton_pall_mall.txt")
    assert metadata["fandom_detected"] == "Bridgerton"
    assert metadata["fandoms"] == ["Bridgerton (TV)"]
    assert set(characters) == {"Anthony Bridgerton", "Colin Bridgerton", "Eloise Bridgerton", "Kate Sharma",
                               "Penelope Featherington", "Agatha Danbury"}
    assert not any("Bridgerton" in c.aliases for c in characters.values())
    assert "the Viscount" in characters["Anthony Bridgerton"].aliases
    assert {"Pen", "Lady Whistledown"} <= set(characters["Penelope Featherington"].aliases)
    assert "Lady Danbury" in characters["Agatha Danbury"].aliases
    assert characters["Eloise Bridgerton"].gender == "F" and characters["Colin Bridgerton"].gender == "M"
    said = lines_of("bridgerton_pall_mall.txt")
    assert said["You cannot s"][0] == "Eloise Bridgerton"
    assert said["There are no"][0] == "Anthony Bridgerton"
    assert said["Eloise, let "] == ("Colin Bridgerton", ["Eloise Bridgerton"])
    assert said["Colin, you a"] == ("Eloise Bridgerton", ["Colin Bridgerton"])
    assert said["Take it. I w"][0] == "Anthony Bridgerton"
    assert said["Pen, did you"] == ("Eloise Bridgerton", ["Penelope Featherington"])
    assert said["I am sure sh"][0] == "Penelope Featherington"
    assert said["Penelope, wa"][0] == "Agatha Danbury"


def test_a_shadowhunters_story_names_the_lightwoods_and_the_loft_by_their_canonical_names():
    # Alec and Isabelle share "Lightwood"; "Alexander" is Alec, "Izzy" Isabelle, "Biscuit" Clary; AO3 tags Jace
    # "Jace Wayland"
    metadata, characters = characters_of("shadowhunters_loft_night.txt")
    assert metadata["fandom_detected"] == "Shadowhunters"
    assert metadata["fandoms"] == ["Shadowhunters (TV)"]
    assert set(characters) == {"Magnus Bane", "Alec Lightwood", "Isabelle Lightwood", "Clary Fray", "Simon Lewis",
                               "Jace Wayland"}
    assert not any("Lightwood" in c.aliases for c in characters.values())
    assert "Alexander" in characters["Alec Lightwood"].aliases
    assert "Izzy" in characters["Isabelle Lightwood"].aliases
    assert "Biscuit" in characters["Clary Fray"].aliases
    assert characters["Isabelle Lightwood"].gender == "F" and characters["Magnus Bane"].gender == "M"
    said = lines_of("shadowhunters_loft_night.txt")
    assert said["You're not a"][0] == "Alec Lightwood"
    assert said["Alexander, p"] == ("Magnus Bane", ["Alec Lightwood"])
    assert said["Tell me ther"][0] == "Isabelle Lightwood"
    assert said["Izzy, he's b"] == ("Alec Lightwood", ["Isabelle Lightwood"])
    assert said["Nobody was w"] == ("Simon Lewis", ["Clary Fray"])
    assert said["The car lost"][0] == "Jace Wayland"
    assert said["Jace, you're"] == ("Alec Lightwood", ["Jace Wayland"])
    assert said["Alec, you're"] == ("Jace Wayland", ["Alec Lightwood"])
    assert said["Magnus, he c"] == ("Isabelle Lightwood", ["Magnus Bane"])
