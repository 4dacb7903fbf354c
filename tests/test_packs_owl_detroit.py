"""The Owl House and Detroit: Become Human packs: a story of each fandom is detected from its paratext and comes
out under AO3's canonical names, with its nicknames joined to them and its lines given to the right people."""

from .test_fandom_packs import characters_of, lines_of


def test_an_owl_house_story_names_the_owl_house_by_their_canonical_names_under_their_nicknames():
    # "Mittens" is Eda's name for Amity, and "the Owl Lady" is Eda; AO3 tags Hooty "Hooty (The Owl House)"
    metadata, characters = characters_of("owl_house_potion_night.txt")
    assert metadata["fandom_detected"] == "The Owl House"
    assert metadata["fandoms"] == ["The Owl House (Cartoon)"]
    assert {"Luz Noceda", "Amity Blight", "Eda Clawthorne", "Hooty (The Owl House)"} <= set(characters)
    assert characters["Hooty (The Owl House)"].name == "Hooty"  # the disambiguator is dropped for display
    assert {"Amity", "Mittens"} <= set(characters["Amity Blight"].aliases)
    assert "Luz" in characters["Luz Noceda"].aliases and "Eda" in characters["Eda Clawthorne"].aliases
    assert characters["Luz Noceda"].gender == "F" and characters["Hooty (The Owl House)"].gender == "M"
    said = lines_of("owl_house_potion_night.txt")  # display names, without the disambiguator
    assert said["Hoot hoot! L"][0] == "Hooty"
    assert said["Hello, Hooty"] == ("Amity Blight", ["Hooty"])
    assert said["Amity! You c"] == ("Luz Noceda", ["Amity Blight"])
    assert said["Luz, that's "] == ("Amity Blight", ["Luz Noceda"])
    assert said["Who let the "][0] == "Eda Clawthorne"  # asked the Owl Lady
    assert said["Eda, I can e"] == ("Luz Noceda", ["Eda Clawthorne"])
    assert said["Relax, Mitte"] == ("Eda Clawthorne", ["Amity Blight"])


def test_a_detroit_story_names_the_precinct_by_their_canonical_names_under_their_short_names():
    # "Connor" and "Sumo" are tagged "Connor (Detroit: Become Human)" and "Sumo (Detroit: Become Human)"; "Hank"
    # and "Anderson" are Hank Anderson (the family name goes to him, the only Anderson the story names), and
    # "Captain Fowler" is Jeffrey Fowler
    metadata, characters = characters_of("detroit_precinct_coffee.txt")
    assert metadata["fandom_detected"] == "Detroit: Become Human"
    assert metadata["fandoms"] == ["Detroit: Become Human"]
    assert {"Connor (Detroit: Become Human)", "Hank Anderson", "Gavin Reed", "Jeffrey Fowler",
            "Sumo (Detroit: Become Human)"} <= set(characters)
    assert characters["Connor (Detroit: Become Human)"].name == "Connor"
    assert {"Hank", "Anderson"} <= set(characters["Hank Anderson"].aliases)
    assert {"Gavin", "Reed"} <= set(characters["Gavin Reed"].aliases)
    assert {"Fowler", "Captain Fowler"} <= set(characters["Jeffrey Fowler"].aliases)
    assert characters["Connor (Detroit: Become Human)"].gender == "M"
    said = lines_of("detroit_precinct_coffee.txt")
    assert said["You're late,"] == ("Connor", ["Hank Anderson"])
    assert said["I'm always l"][0] == "Hank Anderson"
    assert said["Look at that"] == ("Gavin Reed", ["Connor"])
    assert said["Sumo prefers"][0] == "Connor"
    assert said["Anderson, Re"] == ("Jeffrey Fowler", ["Hank Anderson", "Gavin Reed"])
    assert said["You know wha"][0] == "Jeffrey Fowler"  # said the captain
    assert said["Noted, Hank,"] == ("Connor", ["Hank Anderson"])
    assert said["Somebody has"][0] == "Hank Anderson"
