"""The Teen Wolf and Merlin packs: a story of either fandom is detected from its paratext and comes out under AO3's
canonical names, with its nicknames joined to them and its lines given to the right people; the Arthurian legend
that BBC Merlin shares its names with is left alone."""

import ficlens
from ficlens.roster import canon_character, distinctive_names, fandom_pack_key

from .test_fandom_packs import characters_of, lines_of


def test_a_teen_wolf_story_names_the_pack_by_their_canonical_names_under_their_nicknames():
    # "Sourwolf" is Stiles's name for Derek and "Scotty" for Scott; the sheriff is Noah Stilinski on AO3
    metadata, characters = characters_of("teen_wolf_preserve_jeep.txt")
    assert metadata["fandom_detected"] == "Teen Wolf"
    assert metadata["fandoms"] == ["Teen Wolf (TV)"]
    assert set(characters) == {"Stiles Stilinski", "Derek Hale", "Scott McCall", "Lydia Martin", "Noah Stilinski"}
    assert "Stiles" in characters["Stiles Stilinski"].aliases
    assert {"Derek", "Sourwolf"} <= set(characters["Derek Hale"].aliases)
    assert {"Scott", "Scotty"} <= set(characters["Scott McCall"].aliases)
    assert "Sheriff Stilinski" in characters["Noah Stilinski"].aliases
    assert characters["Lydia Martin"].gender == "F"
    assert all(characters[n].gender == "M" for n in ("Stiles Stilinski", "Derek Hale", "Scott McCall", "Noah Stilinski"))
    said = lines_of("teen_wolf_preserve_jeep.txt")
    assert said["You could ju"] == ("Stiles Stilinski", ["Derek Hale"])
    assert said["Your engine'"] == ("Derek Hale", ["Stiles Stilinski"])
    assert said["Wow. Thank y"] == ("Stiles Stilinski", ["Derek Hale"])  # "..., Sourwolf, ..."
    assert said["Light. Left."] == ("Stiles Stilinski", ["Derek Hale"])
    assert said["Stiles, your"] == ("Scott McCall", ["Stiles Stilinski"])
    assert said["Because my p"] == ("Stiles Stilinski", ["Scott McCall"])  # "..., Scotty."
    assert said["Is he helpin"][0] == "Scott McCall"
    assert said["I can leave,"] == ("Derek Hale", ["Stiles Stilinski"])
    assert said["It was the b"] == ("Derek Hale", ["Stiles Stilinski"])  # untagged: the paragraph's Derek
    assert said["Thank you. S"] == ("Stiles Stilinski", ["Scott McCall"])
    assert said["You fixed it"][0] == "Lydia Martin"
    assert said["Of course yo"] == ("Lydia Martin", ["Stiles Stilinski"])


def test_a_merlin_story_names_camelot_by_its_canonical_names():
    # AO3 brackets the legend's names with "(Merlin)"; the bracket is dropped for display
    metadata, characters = characters_of("merlin_physicians_chambers.txt")
    assert metadata["fandom_detected"] == "Merlin (TV)"
    assert metadata["fandoms"] == ["Merlin (TV)"]
    assert set(characters) == {"Merlin (Merlin)", "Arthur Pendragon (Merlin)", "Gaius (Merlin)", "Kilgharrah (Merlin)",
                               "Morgana (Merlin)", "Gwen (Merlin)", "Uther Pendragon (Merlin)"}
    assert characters["Merlin (Merlin)"].name == "Merlin" and characters["Gwen (Merlin)"].name == "Gwen"
    assert characters["Arthur Pendragon (Merlin)"].name == "Arthur Pendragon"
    assert "Arthur" in characters["Arthur Pendragon (Merlin)"].aliases
    assert "Uther" in characters["Uther Pendragon (Merlin)"].aliases
    assert "Lady Morgana" in characters["Morgana (Merlin)"].aliases
    assert characters["Gwen (Merlin)"].gender == "F" and characters["Morgana (Merlin)"].gender == "F"
    assert characters["Merlin (Merlin)"].gender == "M" and characters["Kilgharrah (Merlin)"].gender == "M"
    said = lines_of("merlin_physicians_chambers.txt")
    assert said["Don't touch "] == ("Merlin", ["Arthur Pendragon"])
    assert said["Something th"] == ("Merlin", ["Arthur Pendragon"])  # untagged, "..., sire."
    assert said["Is there a r"][0] == "Gaius"
    assert said["My father wa"][0] == "Arthur Pendragon"
    assert said["You see, Gai"] == ("Arthur Pendragon", ["Gaius"])
    assert said["My lord, I h"] == ("Gaius", ["Arthur Pendragon"])
    assert said["You're an id"] == ("Arthur Pendragon", ["Merlin"])
    assert said["And you're a"] == ("Merlin", ["Arthur Pendragon"])
    assert said["Young warloc"] == ("Kilgharrah", ["Merlin"])
    assert said["She's my fri"] == ("Merlin", ["Kilgharrah"])
    assert said["Then you wil"][0] == "Kilgharrah"  # "The dragon laughed"
    assert said["Merlin, you "] == ("Gwen", ["Merlin"])
    assert said["Thanks, Gwen"] == ("Merlin", ["Gwen"])


def test_the_packs_name_their_fandoms_in_their_own_words_and_not_in_the_words_of_their_titles():
    text = "{}\n\nThe rain had not stopped for three days.\n"
    lines = {
        "Disclaimer: I don't own Teen Wolf, Jeff Davis does.": "Teen Wolf",
        "A/N: Sterek, post-season three, set in Beacon Hills.": "Teen Wolf",
        "A/N: my little brother is a teen wolf cub in the scouts.": None,  # the title's words as words
        "A/N: Jeff Davis signed the letter in 1861.": None,  # the creator's name, outside a disclaimer
        "A/N: rewatching Teen Wolf (Movies) again.": None,  # the 1985 film, another AO3 fandom
        "Disclaimer: I don't own Merlin.": "Merlin (TV)",
        "A/N: BBC Merlin, post-series five. Merthur, obviously.": "Merlin (TV)",
        "Disclaimer: Not mine. Shine/BBC.": "Merlin (TV)",
        "A/N: a merlin is a small falcon, and one nested in our barn.": None,
        # the wider legend: Merlin, Camelot and the Pendragons are not the BBC's alone
        "A/N: in the old romances Merlin is sealed under a stone, far from Camelot and Uther Pendragon.": None,
        "Disclaimer: I don't own Harry Potter. Merlin's beard, I wish I did.": "Harry Potter",
    }
    found = {line: ficlens.analyze_text(text.format(line)).metadata.get("fandom_detected") for line in lines}
    assert found == lines


def test_the_packs_are_found_by_key_title_and_ao3_tag():
    assert fandom_pack_key("teen wolf") == "teen_wolf" and fandom_pack_key("Teen Wolf (TV)") == "teen_wolf"
    assert fandom_pack_key("Teen Wolf (Movies)") is None
    assert fandom_pack_key("merlin") == "merlin" and fandom_pack_key("Merlin (TV)") == "merlin"
    assert fandom_pack_key("BBC Merlin") == "merlin"


def test_the_packs_leave_the_legend_and_the_wider_world_s_names_alone():
    # the Arthurian names and common given names give no gender elsewhere; the series's own do
    assert {"Stiles", "Sourwolf"} <= set(distinctive_names()["teen_wolf"])
    assert {"Kilgharrah", "Hunith", "Aithusa"} <= set(distinctive_names()["merlin"])
    names = ("Stiles", "Hunith", "Aithusa", "Merlin", "Arthur", "Morgana", "Gwen", "Mordred", "Lancelot", "Derek",
             "Scott", "Lydia", "Kira")
    genders = {name: canon_character(name).gender if canon_character(name) else None for name in names}
    assert genders == {"Stiles": "M", "Hunith": "F", "Aithusa": "F", "Merlin": None, "Arthur": None, "Morgana": None,
                       "Gwen": None, "Mordred": None, "Lancelot": None, "Derek": None, "Scott": None, "Lydia": None,
                       "Kira": None}
    assert canon_character("Sourwolf").name == "Derek Hale"
    legend = ficlens.analyze_text(
        "The Sword in the Lake\n\nMerlin walked beside Arthur to the water. Morgana watched from the tower, and "
        "Mordred from the trees. Lancelot and Guinevere rode behind, and Uther's banner hung over Camelot.\n\n"
        "\"It is yours,\" Merlin said.\n")
    assert "fandom_detected" not in legend.metadata
