"""The Hunter x Hunter and Bleach packs: each is found from a story's paratext, and a story of the fandom comes out
under AO3's canonical names, with its nicknames and honorific forms joined to the one person they mean."""

import ficlens
from ficlens.roster import canon_character, distinctive_names, fandom_pack_key

from .test_fandom_packs import characters_of, lines_of


def test_a_hunter_x_hunter_story_names_the_four_friends_and_gives_the_zoldyck_name_to_nobody_bare():
    # "Kil" is what Alluka calls Killua; AO3 tags Kurapika "Kurapika (Hunter X Hunter)", and Killua and Alluka
    # under the family name the story never writes
    metadata, characters = characters_of("hunter_x_hunter_study_break.txt")
    assert metadata["fandom_detected"] == "Hunter x Hunter"
    assert metadata["fandoms"] == ["Hunter X Hunter"]
    assert {"Gon Freecss", "Killua Zoldyck", "Kurapika (Hunter X Hunter)", "Leorio Paladiknight",
            "Alluka Zoldyck"} <= set(characters)
    assert {"Killua", "Kil"} <= set(characters["Killua Zoldyck"].aliases)
    assert "Gon" in characters["Gon Freecss"].aliases and "Leorio" in characters["Leorio Paladiknight"].aliases
    assert characters["Kurapika (Hunter X Hunter)"].name == "Kurapika"  # the disambiguator is dropped for display
    assert not any("Zoldyck" in c.aliases for c in characters.values())
    assert characters["Alluka Zoldyck"].gender == "F" and characters["Kurapika (Hunter X Hunter)"].gender == "M"
    assert characters["Killua Zoldyck"].gender == "M" and characters["Gon Freecss"].gender == "M"
    said = lines_of("hunter_x_hunter_study_break.txt")
    assert said["You said we "][0] == "Gon Freecss"
    assert said["Killua, get "] == ("Leorio Paladiknight", ["Killua Zoldyck"])
    assert said["You're on th"] == ("Killua Zoldyck", ["Leorio Paladiknight"])
    assert said["Then why did"][0] == "Killua Zoldyck"  # untagged: Killua answers Leorio
    assert said["He's right, "] == ("Gon Freecss", ["Leorio Paladiknight"])
    assert said["Kurapika! Yo"] == ("Gon Freecss", ["Kurapika"])
    assert said["I came to ma"][0] == "Kurapika"  # untagged: Kurapika answers Gon
    assert said["Don't encour"] == ("Leorio Paladiknight", ["Kurapika"])
    assert said["Go home,"][0] == "Kurapika"
    assert said["Onii-chan! A"][0] == "Alluka Zoldyck"
    assert said["Tomorrow, Go"] == ("Killua Zoldyck", ["Alluka Zoldyck"])
    assert said["Hi, Gon! Tel"] == ("Alluka Zoldyck", ["Gon Freecss"])
    assert said["I'm not."][0] == "Killua Zoldyck"  # untagged: Killua answers Gon's "Killua, you're smiling"


def test_a_bleach_story_joins_the_captain_s_names_and_the_honorific_forms_to_their_canonical_names():
    # "Toushirou", "Captain Hitsugaya" and Momo's "Shiro-chan" are one captain, AO3's "Hitsugaya Toushirou";
    # Momo's "Kurosaki-kun" is Ichigo, the one Kurosaki the story names, and "Matsumoto" is Rangiku
    metadata, characters = characters_of("bleach_tenth_division_tea.txt")
    assert metadata["fandom_detected"] == "Bleach"
    assert metadata["fandoms"] == ["Bleach (Anime & Manga)"]
    assert set(characters) == {"Hitsugaya Toushirou", "Kurosaki Ichigo", "Matsumoto Rangiku", "Hinamori Momo",
                               "Kuchiki Rukia", "Abarai Renji"}
    assert {"Toushirou", "Captain Hitsugaya", "Shiro-chan"} <= set(characters["Hitsugaya Toushirou"].aliases)
    assert {"Ichigo", "Kurosaki", "Kurosaki-kun"} <= set(characters["Kurosaki Ichigo"].aliases)
    assert {"Rangiku", "Matsumoto"} <= set(characters["Matsumoto Rangiku"].aliases)
    assert {"Momo", "Hinamori"} <= set(characters["Hinamori Momo"].aliases)
    assert characters["Matsumoto Rangiku"].gender == "F" and characters["Kuchiki Rukia"].gender == "F"
    assert characters["Hitsugaya Toushirou"].gender == "M" and characters["Abarai Renji"].gender == "M"
    said = lines_of("bleach_tenth_division_tea.txt")
    assert said["Taichou, you"] == ("Matsumoto Rangiku", ["Hitsugaya Toushirou"])
    assert said["Matsumoto. T"] == ("Hitsugaya Toushirou", ["Matsumoto Rangiku"])
    assert said["Every one of"][0] == "Hitsugaya Toushirou"  # untagged, between two of Rangiku's lines
    assert said["Yo, Toushiro"] == ("Kurosaki Ichigo", ["Hitsugaya Toushirou"])
    assert said["It's Captain"] == ("Hitsugaya Toushirou", ["Kurosaki Ichigo"])
    assert said["Rangiku-san,"] == ("Kurosaki Ichigo", ["Matsumoto Rangiku"])
    assert said["Hinamori, do"] == ("Hitsugaya Toushirou", ["Hinamori Momo"])
    assert said["Kurosaki-kun"] == ("Hinamori Momo", ["Kurosaki Ichigo"])
    assert said["Into your sl"][0] == "Hinamori Momo"
    assert said["Did he give "][0] == "Kuchiki Rukia"
    assert said["He froze it,"][0] == "Kurosaki Ichigo"
    assert said["Told you, Ru"] == ("Abarai Renji", ["Kuchiki Rukia"])
    assert said["Renji, you a"] == ("Kuchiki Rukia", ["Abarai Renji"])


def test_the_packs_name_their_fandoms_in_their_own_words_and_not_in_ordinary_prose():
    text = "{}\n\nThe rain had not stopped for three days.\n"
    lines = {
        "Disclaimer: Hunter x Hunter belongs to Yoshihiro Togashi.": "Hunter x Hunter",
        "A/N: a short HxH one-shot about the Phantom Troupe.": "Hunter x Hunter",
        "A/N: the hunter crossed the river, and the hunter's dog followed.": None,
        "A/N: a troupe of phantom actors played the town hall.": None,
        "Disclaimer: Bleach belongs to Kubo Tite.": "Bleach",
        "A/N: set in the Seireitei, before the Thousand-Year Blood War.": "Bleach",
        "A/N: She poured bleach into the bucket and scrubbed the floor.": None,
        "A/N: Bleach stung her eyes, and the society pages lied.": None,  # the word, outside a disclaimer
        "A/N: the soul society of the village met on Sundays.": None,
    }
    found = {line: ficlens.analyze_text(text.format(line)).metadata.get("fandom_detected") for line in lines}
    assert found == lines


def test_the_packs_are_found_by_key_title_and_ao3_tag():
    assert fandom_pack_key("hunter x hunter") == "hunter_x_hunter" and fandom_pack_key("HxH") == "hunter_x_hunter"
    assert fandom_pack_key("Hunter X Hunter") == "hunter_x_hunter"
    assert fandom_pack_key("HUNTER×HUNTER") == "hunter_x_hunter"
    assert fandom_pack_key("Bleach") == "bleach" and fandom_pack_key("Bleach (Anime & Manga)") == "bleach"


def test_the_packs_leave_words_and_other_canons_names_alone():
    # "Ichigo" is a word and Tokyo Mew Mew's heroine, "Gin" a drink, "Biscuit" a word, "Hisoka" a Japanese given
    # name: no sign of these fandoms and no gender in another story; "Byakuya" and "Izuru" stay Danganronpa's
    # evidence and "Karin" Naruto's
    names = ("Ichigo", "Gin", "Biscuit", "Hisoka", "Chad", "Kil", "Killua", "Alluka", "Rukia", "Hitsugaya")
    genders = {name: canon_character(name).gender if canon_character(name) else None for name in names}
    assert genders == {"Ichigo": None, "Gin": None, "Biscuit": None, "Hisoka": None, "Chad": None, "Kil": None,
                       "Killua": "M", "Alluka": "F", "Rukia": "F", "Hitsugaya": "M"}
    assert {"Killua", "Kurapika", "Leorio", "Chrollo"} <= set(distinctive_names()["hunter_x_hunter"])
    assert {"Rukia", "Renji", "Orihime", "Aizen"} <= set(distinctive_names()["bleach"])
    assert "Izuru" in distinctive_names()["danganronpa"] and "Izuru" not in distinctive_names()["bleach"]
    assert "Karin" in distinctive_names()["naruto"] and "Karin" not in distinctive_names()["bleach"]
    assert canon_character("Kuroro").name == "Chrollo Lucilfer"
