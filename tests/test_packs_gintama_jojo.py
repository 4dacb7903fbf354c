"""The Gintama and JoJo's Bizarre Adventure packs: each is found from a story's paratext, and a story of the fandom
comes out under AO3's canonical names, with its nicknames and honorific forms joined to the one person they mean."""

import ficlens
from ficlens.roster import canon_character, distinctive_names, fandom_pack_key

from .test_fandom_packs import characters_of, lines_of


def test_a_gintama_story_joins_gin_san_gin_chan_and_the_nicknames_to_their_canonical_names():
    # "Gin-san", "Gin-chan" and "Gintoki" are one man, AO3's "Sakata Gintoki"; "Zura" is Katsura, "Toshi" is
    # Hijikata and "Patsuan" is Shinpachi: without the pack each nickname is nobody's or a person of its own
    metadata, characters = characters_of("gintama_strawberry_milk.txt")
    assert metadata["fandom_detected"] == "Gintama"
    assert metadata["fandoms"] == ["Gintama"]
    assert {"Sakata Gintoki", "Shimura Shinpachi", "Kagura (Gintama)", "Katsura Kotarou", "Hijikata Toushirou",
            "Okita Sougo"} <= set(characters)
    assert not {"Gin", "Toshi", "Zura"} & set(characters)
    assert {"Gin-san", "Gin-chan", "Gintoki"} <= set(characters["Sakata Gintoki"].aliases)
    assert "Zura" in characters["Katsura Kotarou"].aliases
    assert {"Toshi", "Hijikata-san"} <= set(characters["Hijikata Toushirou"].aliases)
    assert "Patsuan" in characters["Shimura Shinpachi"].aliases
    assert characters["Kagura (Gintama)"].name == "Kagura"  # the disambiguator is dropped for display
    assert characters["Kagura (Gintama)"].gender == "F" and characters["Otose (Gintama)"].gender == "F"
    said = lines_of("gintama_strawberry_milk.txt")
    assert said["Gin-san, did"] == ("Shimura Shinpachi", ["Sakata Gintoki"])
    assert said["Gin-chan! Th"] == ("Kagura", ["Sakata Gintoki"])
    assert said["Zura, get ou"] == ("Sakata Gintoki", ["Katsura Kotarou"])
    assert said["It's not Zur"][0] == "Katsura Kotarou"
    assert said["Toshi, you o"] == ("Kagura", ["Hijikata Toushirou"])
    assert said["Then who's e"][0] == "Hijikata Toushirou"  # untagged, between two of Gintoki's lines


def test_a_jojo_story_names_the_crusaders_by_their_canonical_names_and_gives_jojo_to_nobody():
    # "Jotaro", "Polnareff", "Avdol", "Kakyoin" and "Noriaki Kakyoin" are the men AO3 tags Kujo Jotaro, Jean Pierre
    # Polnareff, Muhammad Avdol and Kakyoin Noriaki; Kakyoin's "JoJo" calls Jotaro there, but JoJo is a title
    # every Joestar heir holds, so it is no alias
    metadata, characters = characters_of("jojo_desert_jeep.txt")
    assert metadata["fandom_detected"] == "JoJo's Bizarre Adventure"
    assert metadata["fandoms"] == ["JoJo no Kimyou na Bouken | JoJo's Bizarre Adventure"]
    assert set(characters) == {"Kujo Jotaro", "Jean Pierre Polnareff", "Muhammad Avdol", "Kakyoin Noriaki",
                               "Joseph Joestar", "Iggy (JoJo no Kimyou na Bouken)"}
    assert "Jotaro" in characters["Kujo Jotaro"].aliases
    assert {"Kakyoin", "Noriaki Kakyoin"} <= set(characters["Kakyoin Noriaki"].aliases)
    assert not any("JoJo" in c.aliases for c in characters.values())
    assert characters["Kakyoin Noriaki"].gender == "M" and characters["Jean Pierre Polnareff"].gender == "M"
    said = lines_of("jojo_desert_jeep.txt")
    assert said["Polnareff, p"] == ("Joseph Joestar", ["Jean Pierre Polnareff"])
    assert said["It's a Japan"][0] == "Kakyoin Noriaki"
    assert said["JoJo, do you"] == ("Kakyoin Noriaki", ["Kujo Jotaro"])
    assert said["I make no pr"][0] == "Kakyoin Noriaki"  # untagged: Kakyoin answers Jotaro
    assert said["Avdol! Your "] == ("Jean Pierre Polnareff", ["Muhammad Avdol"])
    assert said["He is not my"][0] == "Muhammad Avdol"


def test_jojo_names_the_fandom_only_in_a_statement_of_ownership():
    text = "{}\n\nThe rain had not stopped for three days.\n"
    owned = ficlens.analyze_text(text.format("Disclaimer: I don't own JoJo."))
    assert owned.metadata["fandom_detected"] == "JoJo's Bizarre Adventure"
    for note in ("A/N: For Jojo, who asked for this one.", "A/N: JoJo asked for this one."):
        assert "fandom_detected" not in ficlens.analyze_text(text.format(note)).metadata


def test_the_parts_subtitles_name_the_fandom_only_with_their_capitals():
    text = "{}\n\nThe rain had not stopped for three days.\n"
    assert ficlens.analyze_text(text.format("A/N: a Golden Wind fic!")).metadata["fandom_detected"] \
        == "JoJo's Bizarre Adventure"
    assert "fandom_detected" not in ficlens.analyze_text(
        text.format("A/N: a golden wind blew over the stone ocean of the phantom blood moon.")).metadata


def test_the_packs_are_found_by_key_title_and_ao3_tag():
    assert fandom_pack_key("gintama") == "gintama" and fandom_pack_key("Gin Tama") == "gintama"
    assert fandom_pack_key("JoJo's Bizarre Adventure") == "jojo" and fandom_pack_key("JJBA") == "jojo"
    assert fandom_pack_key("JoJo no Kimyou na Bouken Part 5: Ougon no Kaze | Golden Wind") == "jojo"


def test_the_packs_leave_words_and_other_canons_names_alone():
    # "Gin" is a drink, "Kira" Death Note's, "Kagura" a Fruits Basket Sohma, "Shouyou" Haikyuu's Hinata: no sign
    # of these fandoms and no gender in another story
    assert canon_character("Gin") is None and canon_character("Kira") is None and canon_character("Dio") is None
    assert canon_character("Gintoki").gender == "M" and canon_character("Jolyne").gender == "F"
    assert "Kagura" in distinctive_names()["fruits_basket"] and "Kagura" not in distinctive_names()["gintama"]
    assert "Shouyou" in distinctive_names()["haikyuu"] and "Shouyou" not in distinctive_names()["gintama"]
    assert "JoJo" not in distinctive_names()["jojo"]
