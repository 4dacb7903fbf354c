"""Fandom packs and the 'fandom' stage: which pack the paratext names, and what loading it does to the characters."""

from pathlib import Path

import pytest

import ficlens
from ficlens import lexicons
from ficlens.ingest import from_text, read_path
from ficlens.pipeline import Context, Options, run
from ficlens.roster import fandom_pack_key, load_fandom
from ficlens.stages.characters_text import normalise_name

FIXTURES = Path(__file__).parent / "fixtures" / "fandom"
DETECT_ONLY = ("structure", "fandom")


def detected(name: str, **options) -> dict:
    story = run(read_path(FIXTURES / name, max_bytes=10**6), Options(stages=DETECT_ONLY, **options))
    return story.metadata


# --- the packs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pack, names, alias_of, gender_of",
    [
        ("harry_potter", {"Harry Potter", "Hermione Granger", "Draco Malfoy", "Lily Evans Potter", "Tom Riddle"},
         {"Mione": "Hermione Granger", "Moony": "Remus Lupin", "Padfoot": "Sirius Black", "Mrs. Weasley": "Molly Weasley"},
         {"Minerva McGonagall": "F", "Severus Snape": "M"}),
        ("sherlock", {"Sherlock Holmes", "John Watson", "Mycroft Holmes", "Greg Lestrade", "Mrs. Hudson"},
         {"Watson": "John Watson", "Inspector Lestrade": "Greg Lestrade"}, {"Molly Hooper": "F"}),
        ("marvel", {"Steve Rogers", "Tony Stark", 'James "Bucky" Barnes', "Natasha Romanov (Marvel)", "Thor (Marvel)"},
         {"Bucky": 'James "Bucky" Barnes', "Cap": "Steve Rogers", "Romanoff": "Natasha Romanov (Marvel)"},
         {"Pepper Potts": "F", "Loki (Marvel)": "M"}),
        ("supernatural", {"Dean Winchester", "Sam Winchester", "Castiel (Supernatural)", "Bobby Singer"},
         {"Cas": "Castiel (Supernatural)", "Sammy": "Sam Winchester"}, {"Charlie Bradbury": "F"}),
        ("pokemon", {"Ash Ketchum", "Pikachu", "Misty (Pokemon)", "Brock (Pokemon)"},
         {"Ash": "Ash Ketchum", "Kasumi": "Misty (Pokemon)"}, {"Serena (Pokemon)": "F"}),
        ("my_hero_academia", {"Bakugou Katsuki", "Midoriya Izuku", "Todoroki Shouto", "Yagi Toshinori | All Might"},
         {"Deku": "Midoriya Izuku", "Kacchan": "Bakugou Katsuki", "All Might": "Yagi Toshinori | All Might"},
         {"Uraraka Ochako": "F", "Aizawa Shouta | Eraserhead": "M"}),
        ("avatar", {"Zuko (Avatar)", "Katara (Avatar)", "Toph Beifong", "Iroh (Avatar)"},
         {"Sparky": "Zuko (Avatar)", "Uncle Iroh": "Iroh (Avatar)"}, {"Azula (Avatar)": "F"}),
        ("star_wars", {"Luke Skywalker", "Leia Organa", "Han Solo", "Obi-Wan Kenobi", "CT-7567 | Rex"},
         {"Chewie": "Chewbacca (Star Wars)", "Kylo Ren": "Ben Solo", "Vader": "Anakin Skywalker"},
         {"Padmé Amidala": "F"}),
        ("naruto", {"Hatake Kakashi", "Umino Iruka", "Haruno Sakura", "Kurama (Naruto)"},
         {"Iruka": "Umino Iruka", "Kyuubi": "Kurama (Naruto)"}, {"Uchiha Mikoto": "F"}),
    ],
)
def test_each_pack_loads_with_canonical_ao3_names(pack, names, alias_of, gender_of):
    entries = {e.name: e for e in load_fandom(pack)}
    assert names <= set(entries)
    for alias, owner in alias_of.items():
        assert alias in entries[owner].aliases
    for name, gender in gender_of.items():
        assert entries[name].gender == gender


@pytest.mark.parametrize("pack", sorted(lexicons.fandom_packs()))
def test_no_pack_gives_one_name_to_two_characters(pack):
    """The characters stage maps a name only when it names one entry; a shared alias would silently map nothing."""
    owners: dict[str, str] = {}
    for entry in load_fandom(pack):
        for name in {normalise_name(n) for n in [entry.name, *entry.aliases]}:
            assert owners.setdefault(name, entry.name) == entry.name, (name, owners[name], entry.name)
    data = lexicons.load_json(lexicons.fandom_packs()[pack])
    assert data["source"] and data["ao3_fandom"] in data["ao3_fandoms"] and data["detect"]


@pytest.mark.parametrize(
    "pack, surname",
    [("harry_potter", "Potter"), ("harry_potter", "Weasley"), ("harry_potter", "Malfoy"), ("harry_potter", "Black"),
     ("marvel", "Stark"), ("marvel", "Carter"), ("sherlock", "Holmes"), ("supernatural", "Winchester")],
)
def test_family_names_shared_in_canon_are_no_bare_alias(pack, surname):
    assert all(surname not in e.aliases for e in load_fandom(pack))


@pytest.mark.parametrize(
    "name, key",
    [("naruto", "naruto"), ("Harry Potter", "harry_potter"), ("Sherlock (TV)", "sherlock"), ("MCU", "marvel"),
     ("Marvel Cinematic Universe", "marvel"), ("Boku no Hero Academia", "my_hero_academia"), ("BNHA", "my_hero_academia"),
     ("Pokémon", "pokemon"), ("Harry Potter - J. K. Rowling", "harry_potter"), ("ATLA", "avatar"),
     ("Star Wars - All Media Types", "star_wars"), ("Hetalia: Axis Powers", None)],
)
def test_fandom_names_find_their_pack(name, key):
    assert fandom_pack_key(name) == key


# --- detection from the paratext ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, fandom, ao3",
    [
        ("burrow_breakfast.txt", "Harry Potter", "Harry Potter - J. K. Rowling"),  # "X belongs to J.K. Rowling."
        ("naruto_dont_own.txt", "Naruto", "Naruto"),  # "I don't own Naruto."
        ("mha_owned_by.txt", "My Hero Academia", "僕のヒーローアカデミア | Boku no Hero Academia | My Hero Academia"),
        ("marvel_belong.txt", "Marvel Cinematic Universe", "Marvel Cinematic Universe"),  # "belong to Marvel"
        ("pokemon_if_i_owned.txt", "Pokémon", "Pocket Monsters | Pokemon - All Media Types"),  # "If I owned Pokémon"
        ("sherlock_note.txt", "Sherlock (TV)", "Sherlock (TV)"),  # in an author's note: "A/N: I don't own Sherlock"
        ("supernatural_note.txt", "Supernatural", "Supernatural"),  # an ordinary word, in a sentence of ownership
        ("title_naruto.txt", "Naruto", "Naruto"),  # the title names it; the disclaimer does not
        ("avatar_disclaimer.txt", "Avatar: The Last Airbender", "Avatar: The Last Airbender"),  # "I don't own Avatar."
    ],
)
def test_the_disclaimer_or_paratext_names_the_fandom(name, fandom, ao3):
    metadata = detected(name)
    assert metadata["fandom_detected"] == fandom
    assert metadata["fandoms"] == [ao3]


@pytest.mark.parametrize(
    "name",
    [
        "body_only_naruto.txt",  # "I don't own anything"; only the story itself says Naruto
        "supernatural_word.txt",  # "my supernatural mystery" is no fandom
        "korra_disclaimer.txt",  # The Legend of Korra is not the Last Airbender pack
    ],
)
def test_no_fandom_from_the_body_or_from_an_ordinary_word(name):
    metadata = detected(name)
    assert "fandom_detected" not in metadata and "fandoms" not in metadata


def test_a_crossover_loads_the_pack_named_first_and_lists_both():
    metadata = detected("crossover.txt")
    assert metadata["fandom_detected"] == "Naruto"
    assert metadata["fandoms"] == ["Naruto", "Harry Potter - J. K. Rowling"]


def test_ao3_metadata_decides_before_the_paratext():
    story = from_text("Disclaimer: I don't own Naruto.\n\nJohn sighed.\n", max_bytes=10**6)
    story.metadata["fandoms"] = ["Sherlock (TV)"]
    run(story, Options(stages=DETECT_ONLY))
    assert story.metadata["fandom_detected"] == "Sherlock (TV)"
    assert story.metadata["fandoms"] == ["Sherlock (TV)"]

    story = from_text("Disclaimer: I don't own Naruto.\n\nJohn sighed.\n", max_bytes=10**6)
    story.metadata["fandoms"] = ["Hetalia: Axis Powers"]  # said, and no pack for it
    run(story, Options(stages=DETECT_ONLY))
    assert "fandom_detected" not in story.metadata
    assert story.metadata["fandoms"] == ["Hetalia: Axis Powers"]


def test_an_ao3_download_is_read_with_its_fandom_pack():
    story = ficlens.analyze(FIXTURES / "ao3_baker_street.html")
    assert story.metadata["fandoms"] == ["Sherlock (TV)"]
    assert story.metadata["fandom_detected"] == "Sherlock (TV)"
    names = {c.name: c for c in story.characters}
    assert set(names) == {"Mrs. Hudson", "Sherlock Holmes", "John Watson"}
    assert sorted(names["John Watson"].aliases) == ["John", "Watson"]


def test_an_ao3_download_names_its_people_by_its_own_character_tags():
    # Hamilton has no pack: the work's tags give "Alexander" and "Burr" their full names; "Original Characters"
    # names no one, Angelica is tagged but never appears, and Priya, not tagged, is still found
    story = ficlens.analyze(FIXTURES / "ao3_green_room.html")
    assert "fandom_detected" not in story.metadata
    names = {c.name: c for c in story.characters}
    assert set(names) == {"Alexander Hamilton", "Aaron Burr", "Eliza Schuyler", "Priya"}
    assert names["Alexander Hamilton"].aliases == ["Alexander"] and names["Aaron Burr"].aliases == ["Burr"]
    said = {q.text[:12]: story.character_name(q.speaker) for q in story.quotes}
    assert said["Sit down. Yo"] == "Aaron Burr" and said["I can't sit "] == "Alexander Hamilton"


def test_a_characters_line_in_a_posted_header_names_the_people_too():
    # the same list written as a header line of a story posted as text ("Aaron Burr & Eliza Schuyler" is two
    # people there); "OCs" names no one, Priya is still found
    story = ficlens.analyze(FIXTURES / "green_room_posted.txt")
    assert {c.name for c in story.characters} == {"Alexander Hamilton", "Aaron Burr", "Eliza Schuyler", "Priya"}


def test_the_tags_of_a_work_join_its_fandom_pack_without_doubling_it():
    story = from_text("Disclaimer: I don't own Naruto.\n\nKakashi waved at Tenzou.\n", max_bytes=10**6)
    story.metadata["characters"] = ["Hatake Kakashi", "Kakashi Hatake", "Original Female Character(s)",
                                    "Kurosaki Hana | Hana-chan (Naruto)", "Hatake Kakashi/Umino Iruka"]
    ctx = Context(Options(stages=DETECT_ONLY))
    run(story, ctx=ctx)
    names = [e.name for e in ctx.options.roster]
    assert names.count("Hatake Kakashi") == 1 and "Kakashi Hatake" not in names
    pack = {e.name for e in load_fandom("naruto")}
    added = [e for e in ctx.options.roster if e.name not in pack]
    assert [(e.name, e.aliases) for e in added] == [("Kurosaki Hana", ["Hana-chan"])]


# --- what the user says wins -------------------------------------------------------------------------


def test_a_fandom_or_character_list_given_by_the_user_wins():
    text = (FIXTURES / "burrow_breakfast.txt").read_text(encoding="utf-8")
    story = run(from_text(text, max_bytes=10**6), Options(stages=DETECT_ONLY, fandom="naruto",
                                                          roster=load_fandom("naruto")))
    assert "fandom_detected" not in story.metadata

    story = ficlens.analyze_text(text, characters=[{"name": "Hermione Jean Granger", "aliases": ["Hermione"]}])
    assert "fandom_detected" not in story.metadata
    assert "Hermione Jean Granger" in [c.name for c in story.characters]
    assert "Harry Potter" not in [c.name for c in story.characters]


def test_a_shared_options_object_does_not_carry_one_story_s_fandom_to_the_next():
    options = Options(stages=DETECT_ONLY)
    run(read_path(FIXTURES / "naruto_dont_own.txt", max_bytes=10**6), options)
    assert options.roster is None and options.fandom is None
    second = run(read_path(FIXTURES / "body_only_naruto.txt", max_bytes=10**6), options)
    assert "fandom_detected" not in second.metadata


def test_the_cast_names_a_fandom_when_the_paratext_does_not():
    # no disclaimer, title or note names Naruto; Naruto, Sakura and Kakashi together do
    metadata = detected("cast_only_naruto.txt")
    assert metadata["fandom_detected"] == "Naruto" and metadata["fandom_detected_from"] == "cast"


@pytest.mark.parametrize(
    "name",
    [
        "cast_common_names.txt",  # Harry, Ron, Molly, Percy, Ginny: all common English names, the story is no canon's
        "cast_crossover_tie.txt",  # three of one canon and three of another: neither clearly leads
    ],
)
def test_no_fandom_from_common_names_or_an_even_cast(name):
    assert "fandom_detected" not in detected(name)


def test_a_fandom_named_in_the_paratext_is_not_from_the_cast():
    assert "fandom_detected_from" not in detected("naruto_dont_own.txt")


# --- end to end --------------------------------------------------------------------------------------


def test_a_harry_potter_story_gets_canonical_names_from_its_disclaimer():
    story = ficlens.analyze_text((FIXTURES / "burrow_breakfast.txt").read_text(encoding="utf-8"))
    assert story.metadata["fandom_detected"] == "Harry Potter"
    got = {c.name: (c.aliases, c.gender) for c in story.characters}
    assert got == {
        "Hermione Granger": (["Hermione"], "F"),
        "Harry Potter": (["Harry"], "M"),
        "Ron Weasley": (["Ron"], "M"),
        "Molly Weasley": (["Mrs. Weasley"], "F"),
        "Ginny Weasley": (["Ginny"], "F"),
        "Minerva McGonagall": (["Professor McGonagall"], "F"),
    }
    assert story.to_dict()["metadata"]["fandoms"] == ["Harry Potter - J. K. Rowling"]


def test_fandom_option_takes_a_short_name_and_the_user_s_choice_stands():
    text = (FIXTURES / "marvel_belong.txt").read_text(encoding="utf-8").split("\n", 2)[2]  # without the disclaimer
    story = ficlens.analyze_text(text, fandom="MCU")
    assert "fandom_detected" not in story.metadata
    assert {c.name for c in story.characters} == {"Steve Rogers", 'James "Bucky" Barnes', "Tony Stark"}


# --- family names: settled by the story, never by the pack ---------------------------------------------


def test_a_family_name_goes_to_the_one_member_the_story_names():
    story = ficlens.analyze(FIXTURES / "potions_malfoy.txt")  # Harry and Draco; no other Potter or Malfoy named
    got = {c.name: sorted(c.aliases) for c in story.characters}
    assert got == {
        "Harry Potter": ["Harry", "Mr. Potter", "Potter"],
        "Draco Malfoy": ["Draco", "Malfoy"],
        "Severus Snape": ["Snape"],
    }


def test_a_family_name_shared_by_two_named_members_stays_unassigned():
    story = run(read_path(FIXTURES / "malfoy_manor.txt", max_bytes=10**6), Options(stages=("structure",)))
    roster = {e.name: e.aliases for e in run_roster(story)}  # Lucius and Draco both named: "Malfoy" is neither's
    assert "Malfoy" not in roster["Draco Malfoy"] and "Malfoy" not in roster["Lucius Malfoy"]
    assert "Potter" not in roster["Harry Potter"]  # no Potter named at all


def run_roster(story):
    """The roster the fandom stage hands to the characters stage."""
    from ficlens.pipeline import Context
    from ficlens.stages import fandom

    ctx = Context(Options(stages=("fandom",)))
    fandom.run(story, ctx)
    return ctx.options.roster


def test_family_names_are_settled_for_a_pack_chosen_with_the_fandom_option_too():
    text = (FIXTURES / "potions_malfoy.txt").read_text(encoding="utf-8").split("\n", 2)[2]  # no disclaimer
    story = ficlens.analyze_text(text, fandom="Harry Potter")
    assert "Malfoy" in {c.name: c for c in story.characters}["Draco Malfoy"].aliases


@pytest.mark.parametrize(
    "name, owner",
    [("hatake_memorial.txt", "Hatake Kakashi"),  # only Kakashi of the Hatake named
     ("white_fang.txt", None)],  # Kakashi and Sakumo: "Hatake" is neither's
)
def test_a_clan_name_is_settled_by_who_the_story_names(name, owner):
    story = run(read_path(FIXTURES / name, max_bytes=10**6), Options(stages=("structure",)))
    owners = [e.name for e in run_roster(story) if "Hatake" in e.aliases]
    assert owners == ([owner] if owner else [])
