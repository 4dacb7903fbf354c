"""The Dragon Ball pack: a story of the fandom is detected from its paratext and comes out under AO3's canonical
names, with its nicknames joined to them and its lines given to the right people."""

import ficlens
from ficlens.roster import canon_character, distinctive_names, fandom_pack_key

from .test_fandom_packs import characters_of, lines_of


def test_a_dragon_ball_story_names_the_z_fighters_by_their_canonical_names_under_their_nicknames():
    # "Kakarot" is Vegeta's name for Son Goku, "Mr. Piccolo" Gohan's for Piccolo; AO3 tags Vegeta, Bulma, Piccolo,
    # Trunks and Chi-Chi with "(Dragon Ball)", and Son Goku too, since Saiyuki has one
    metadata, characters = characters_of("dragon_ball_capsule_corp_gravity.txt")
    assert metadata["fandom_detected"] == "Dragon Ball"
    assert metadata["fandoms"] == ["Dragon Ball - All Media Types"]
    assert set(characters) == {"Son Goku (Dragon Ball)", "Vegeta (Dragon Ball)", "Bulma (Dragon Ball)", "Son Gohan",
                               "Piccolo (Dragon Ball)", "Trunks (Dragon Ball)", "Chi-Chi (Dragon Ball)"}
    assert {"Goku", "Kakarot"} <= set(characters["Son Goku (Dragon Ball)"].aliases)
    assert "Gohan" in characters["Son Gohan"].aliases
    assert "Mr. Piccolo" in characters["Piccolo (Dragon Ball)"].aliases
    assert characters["Vegeta (Dragon Ball)"].name == "Vegeta" and characters["Son Goku (Dragon Ball)"].name == "Son Goku"
    assert characters["Bulma (Dragon Ball)"].gender == "F" and characters["Chi-Chi (Dragon Ball)"].gender == "F"
    assert characters["Piccolo (Dragon Ball)"].gender == "M"
    said = lines_of("dragon_ball_capsule_corp_gravity.txt")
    assert said["Kakarot, you"] == ("Vegeta", ["Son Goku"])
    assert said["Aw, come on."] == ("Son Goku", ["Vegeta"])
    assert said["Hey, Vegeta,"] == ("Son Goku", ["Vegeta"])
    assert said["Dad, Mom say"] == ("Son Gohan", ["Son Goku"])
    assert said["Heh. Chi-Chi"][0] == "Son Goku"  # untagged: Goku answers "Dad"
    assert said["Mr. Piccolo,"] == ("Son Gohan", ["Piccolo"])
    assert said["He's right, "] == ("Son Goku", ["Son Gohan"])


def test_the_pack_names_its_fandom_in_its_own_words_and_not_in_the_words_of_its_title():
    text = "{}\n\nThe rain had not stopped for three days.\n"
    lines = {
        "Disclaimer: Dragon Ball Super belongs to Akira Toriyama.": "Dragon Ball",
        "A/N: a DBZ one-shot about the Saiyan prince.": "Dragon Ball",
        "A/N: the wizard of the village kept a dragon on a ball of string.": None,  # the title's words as words
    }
    found = {line: ficlens.analyze_text(text.format(line)).metadata.get("fandom_detected") for line in lines}
    assert found == lines


def test_the_pack_is_found_by_key_title_and_ao3_tag():
    assert fandom_pack_key("dragon ball") == "dragon_ball" and fandom_pack_key("Dragon Ball Z") == "dragon_ball"
    assert fandom_pack_key("Dragon Ball Super") == "dragon_ball" and fandom_pack_key("DBZ") == "dragon_ball"


def test_the_pack_leaves_words_and_the_wider_world_s_names_alone():
    # "Piccolo" and "Trunks" are words and "Hercule" anyone's; "Vegeta" and "Bulma" are this canon's alone and give
    # their gender in any story
    assert {"Vegeta", "Kakarot"} <= set(distinctive_names()["dragon_ball"])
    names = ("Vegeta", "Bulma", "Hercule", "Piccolo", "Trunks")
    genders = {name: canon_character(name).gender if canon_character(name) else None for name in names}
    assert genders == {"Vegeta": "M", "Bulma": "F", "Hercule": None, "Piccolo": None, "Trunks": None}
    assert canon_character("Kakarot").name == "Son Goku (Dragon Ball)"
