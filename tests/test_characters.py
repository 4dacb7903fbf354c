"""Characters stage: names found, gathered into characters, named, gendered, counted; rosters."""

from pathlib import Path

import pytest

import ficlens
from ficlens.pipeline import STAGES, Options, run
from ficlens.ingest import from_text
from ficlens.stages import characters as characters_stage

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(str(__import__("importlib").resources.files("ficlens").joinpath("examples/spur_of_the_moment.txt")))
UP_TO_ATTRIBUTION = STAGES[: STAGES.index("attribution") + 1]  # fandom packs settle family names


def analyse(path: Path, **options):
    story = from_text(path.read_text(encoding="utf-8"))
    return run(story, Options(stages=UP_TO_ATTRIBUTION, **options))


def by_name(story):
    return {c.name: c for c in story.characters}


WITHOUT_PACK = tuple(s for s in UP_TO_ATTRIBUTION if s != "fandom")


def test_example_story_lists_the_people_a_reader_would():
    # its disclaimer names Naruto, so the Naruto pack gives the canonical names
    story = analyse(EXAMPLE)
    assert sorted(c.name for c in story.characters) == [
        "Haruno Sakura", "Hatake Kakashi", "Uchiha Sasuke", "Umino Iruka", "Uzumaki Naruto", "Yamanaka Ino"]
    assert all(c.canonical_name == c.name for c in story.characters)
    # without a pack: the names the story itself uses
    story = run(from_text(EXAMPLE.read_text(encoding="utf-8")), Options(stages=WITHOUT_PACK))
    assert sorted(c.name for c in story.characters) == ["Ino", "Iruka", "Kakashi", "Naruto", "Sakura", "Sasuke"]
    # most mentioned first, ids in that order
    assert [c.id for c in story.characters] == [f"c{i}" for i in range(1, 7)]
    mentions = [c.mentions for c in story.characters]
    assert mentions == sorted(mentions, reverse=True)
    assert story.characters[0].name == "Iruka"
    names = by_name(story)
    assert set(names["Kakashi"].aliases) == {"Kakashi-san", "Kakashi-sensei"}
    assert names["Kakashi"].gender == "M" and names["Iruka"].gender == "M"


def test_honorifics_and_both_name_orders_make_one_character():
    story = run(from_text((FIXTURES / "characters" / "honorifics.txt").read_text(encoding="utf-8")),
                Options(stages=WITHOUT_PACK))
    names = by_name(story)
    assert sorted(names) == ["Iruka", "Kakashi"]
    kakashi = names["Kakashi"]
    assert set(kakashi.aliases) == {"Hatake", "Hatake Kakashi", "Kakashi-san", "Kakashi-sensei"}
    assert kakashi.gender == "M"  # "on his knee" after "Hatake Kakashi"
    texts = [m.text for m in story.mentions if m.character == kakashi.id and m.kind != "pronoun"]
    assert texts == ["Hatake Kakashi", "Kakashi", "Kakashi-san", "Kakashi", "Hatake", "Kakashi-sensei"]


def test_fandom_pack_gives_canonical_names():
    story = analyse(FIXTURES / "characters" / "honorifics.txt",
                    roster=ficlens.roster.load_fandom("naruto"), fandom="naruto")
    names = by_name(story)
    assert "Hatake Kakashi" in names and "Umino Iruka" in names
    assert names["Hatake Kakashi"].canonical_name == "Hatake Kakashi"
    assert names["Hatake Kakashi"].mentions == by_name(run(from_text((FIXTURES / "characters" / "honorifics.txt").read_text(encoding="utf-8")),
                                                       Options(stages=WITHOUT_PACK)))["Kakashi"].mentions
    assert "Haruno Sakura" not in names  # in the pack, not in the story


def test_shared_surname_stays_apart():
    story = analyse(FIXTURES / "characters" / "surnames.txt")
    names = by_name(story)
    assert {"Mr. Bennet", "Mrs. Bennet", "Elizabeth", "Jane", "Miss Bennet"} == set(names)
    assert names["Mr. Bennet"].gender == "M"
    assert names["Mrs. Bennet"].gender == "F"
    assert "Elizabeth Bennet" in names["Elizabeth"].aliases
    for c in story.characters:  # nobody swallows two sisters or both parents
        forms = {c.name, *c.aliases}
        assert not ({"Jane", "Elizabeth"} <= forms or {"Mr. Bennet", "Mrs. Bennet"} <= forms)


@pytest.mark.parametrize("roster_file", ["roster.json", "roster.csv"])
def test_character_list_file_maps_mentions(roster_file):
    story = ficlens.analyze(FIXTURES / "characters" / "honorifics.txt",
                            characters=FIXTURES / "characters" / roster_file)
    names = by_name(story)
    # Naruto is named once, inside a quotation; Sakura never: not listed.
    assert sorted(names) == ["Hatake Kakashi", "Umino Iruka", "Uzumaki Naruto"]
    assert names["Hatake Kakashi"].gender == "M"
    assert {"Kakashi", "Kakashi-san", "Kakashi-sensei"} <= set(names["Hatake Kakashi"].aliases)
    assert names["Uzumaki Naruto"].mentions == 1
    speakers = [story.character_name(q.speaker) for q in story.quotes]
    assert speakers == ["Umino Iruka", "Hatake Kakashi", "Hatake Kakashi", "Umino Iruka"]


def test_pronouns_link_to_the_last_named_character_of_their_gender():
    story = analyse(FIXTURES / "attribution" / "pronouns.txt")
    neji = by_name(story)["Neji"]
    assert neji.gender == "M"
    pronouns = [(m.text, story.character_name(m.character)) for m in story.mentions if m.kind == "pronoun"]
    assert ("he", "Neji") in pronouns
    assert all(name == "Neji" for text, name in pronouns if text.lower() in ("he", "him", "his"))


def test_places_titles_and_interjections_are_not_characters():
    text = ("The Academy was empty. Only one person in Konoha knocked twice.\n\n"
            "\"Maa, you again,\" Genma said. The Hokage's tower loomed over the Academy.\n\n"
            "\"Genma-san, go home,\" said Raidou.\n")
    story = run(from_text(text), Options(stages=UP_TO_ATTRIBUTION))
    assert sorted(c.name for c in story.characters) == ["Genma", "Raidou"]


def test_fandom_pack_keeps_original_characters():
    text = ("Disclaimer: I don't own Naruto.\n\n"
            "Akane waited at the gate. Kakashi was late again.\n\n"
            "\"You're late,\" Akane said.\n\n"
            "\"I got lost on the road of life,\" Kakashi said.\n")
    story = run(from_text(text), Options(stages=UP_TO_ATTRIBUTION))
    assert [(c.name, c.canonical_name, c.quotes) for c in story.characters] == [
        ("Akane", None, 1), ("Hatake Kakashi", "Hatake Kakashi", 1)]


def test_full_name_is_the_display_name_and_mr_joins_the_one_man_of_the_name():
    story = run(from_text((FIXTURES / "characters" / "full_names.txt").read_text(encoding="utf-8")),
                Options(stages=WITHOUT_PACK))
    names = by_name(story)
    assert sorted(names) == ["Henry Crawford", "Mary Crawford"]
    assert names["Henry Crawford"].aliases == ["Henry", "Mr. Crawford"]
    assert names["Henry Crawford"].gender == "M"
    assert names["Mary Crawford"].aliases == ["Mary", "Miss Crawford"]


def test_fandom_disambiguator_left_out_of_the_display_name():
    story = analyse(FIXTURES / "characters" / "disambiguated.txt", fandom="supernatural",
                    roster=ficlens.roster.load_fandom("supernatural"))
    castiel = by_name(story)["Castiel"]
    assert castiel.canonical_name == "Castiel (Supernatural)"
    assert "Cas" in castiel.aliases
    assert by_name(story)["Dean Winchester"].canonical_name == "Dean Winchester"


def test_gender_from_the_names_own_words_over_the_next_pronoun():
    # the he/him after "Jordan" are Sam; "shook her head" and "found herself" are Jordan's own
    story = run(from_text((FIXTURES / "characters" / "own_gender.txt").read_text(encoding="utf-8")),
                Options(stages=WITHOUT_PACK))
    assert by_name(story)["Jordan"].gender == "F"


def characters_of(name: str):
    return run(from_text((FIXTURES / "characters" / name).read_text(encoding="utf-8")), Options(stages=WITHOUT_PACK))


def test_sentence_openers_are_not_names_and_a_first_name_goes_to_its_usual_full_name():
    # "Give Tom", "Poor Tom": words capitalised only because they open a sentence; "Good-bye" likewise.
    # Bare "Tom" is Tom Bertram, whom the text names in full four times to Tom Oliver's once.  Nothing in
    # the text shows Tom Oliver's sex (the "him" after his name is Tom Bertram): his given name does.
    story = characters_of("leading_words.txt")
    assert [(c.name, c.aliases, c.gender) for c in story.characters] == [
        ("Tom Bertram", ["Tom"], "M"), ("Maria", ["Maria Bertram"], "F"), ("Tom Oliver", [], "M")]


def test_mother_and_daughter_and_father_and_son_stay_two_people():
    # "Miss Katharine" is the first name of Katharine Hilbery, and so is "Miss Hilbery"; "Mrs. Hilbery", beside
    # a Miss Hilbery, is someone else (her mother).  "Mr. Emerson", named in one sentence with George twice,
    # is not George Emerson.
    story = characters_of("families.txt")
    assert sorted((c.name, tuple(c.aliases), c.gender) for c in story.characters) == [
        ("George", ("George Emerson",), "M"),
        ("Katharine", ("Katharine Hilbery", "Miss Hilbery", "Miss Katharine"), "F"),
        ("Mr. Emerson", (), "M"),
        ("Mrs. Hilbery", (), "F")]


def test_a_man_named_beside_a_woman_is_still_a_man():
    # the "she" after "Edmund" is Fanny five times; "shook his head" three times is his own (one "her eyes" is not)
    story = characters_of("mostly_his.txt")
    assert [(c.name, c.gender) for c in story.characters] == [("Fanny", "F"), ("Edmund", "M")]


def test_the_colonel_is_the_one_colonel_of_the_story():
    # "said the Colonel" is Colonel Brandon, the only colonel named; "Marianne saw him" says nothing of Marianne
    # (her given name tells her sex)
    story = characters_of("the_colonel.txt")
    assert [(c.name, c.aliases, c.gender) for c in story.characters] == [
        ("Colonel Brandon", ["the Colonel"], None), ("Marianne", [], "F"), ("Mr. Palmer", [], "M")]


def test_a_familiar_form_joins_its_given_name():
    # "Lizzy" is Elizabeth (the one Elizabeth, never named beside her); "Kitty" is not Lady Catherine, whom
    # the text never calls plain "Catherine"
    story = characters_of("nicknames.txt")
    assert sorted((c.name, c.aliases) for c in story.characters) == [
        ("Elizabeth", ["Elizabeth Bennet", "Lizzy"]), ("Jane", []), ("Kitty", []), ("Lady Catherine", [])]
    assert story.characters[0].name == "Elizabeth" and story.characters[0].gender == "F"


def test_places_and_families_are_not_people():
    # "New York" is a place even beside a man called York; "the Miss Schlegels" and "the Wilcoxes" are families
    story = characters_of("places_and_families.txt")
    assert [(c.name, c.aliases, c.gender) for c in story.characters] == [
        # Evie: no pronoun after her name; her given name is a woman's (lexicons/given_name_genders.txt)
        ("Miss Schlegel", ["Margaret", "Margaret Schlegel"], "F"), ("York", [], "M"), ("Evie Wilcox", ["Evie"], "F")]


def test_an_object_pronoun_after_a_name_is_someone_else():
    # "Hinata saw ... strike him", "Hinata caught him before he hit the ground": the him/he are Neji's;
    # "she heard herself" and "her lap" are Hinata's.  "Neji whispered. He smiled": the next sentence goes on.
    story = characters_of("object_pronouns.txt")
    assert [(c.name, c.gender) for c in story.characters] == [("Neji", "M"), ("Hinata", "F")]


def test_her_husband_is_the_man_the_family_names_give_her():
    # Mrs. Pontellier's husband is Mr. Pontellier; "His sister Clara" names Robert's sister, so "Robert's
    # sister" later is Clara too
    from ficlens.stages.characters import description_character

    story = characters_of("kin.txt")
    names = {c.id: c.name for c in story.characters}
    kin = [(m.text, names[m.character]) for m in story.mentions if m.kind == "nominal"]
    assert kin == [("Her husband", "Mr. Pontellier"), ("her husband", "Mr. Pontellier"),
                   ("His sister", "Clara"), ("Robert's sister", "Clara")]
    tag = story.text.index("her husband said")
    assert names[description_character(story, tag, tag + len("her husband"))] == "Mr. Pontellier"
    assert description_character(story, 0, 3) is None


def test_titled_first_names_and_surnames_join_their_person():
    # "Sir Walter" is Sir Walter Elliot, named in full four times to Sir Walter Scott's once; bare "Harville"
    # is Captain Harville, the one Harville with a title that is not a woman's
    story = characters_of("titled_first_names.txt")
    assert sorted((c.name, c.aliases) for c in story.characters) == [
        ("Harville", ["Captain Harville"]), ("Mrs Harville", []), ("Sir Walter Elliot", ["Sir Walter"]),
        ("Sir Walter Scott", [])]


def test_a_name_in_capitals_is_the_same_name():
    story = characters_of("letter.txt")  # "HELEN." signs the letter
    assert sorted((c.name, c.aliases) for c in story.characters) == [("Helen", []), ("Margaret", [])]


def test_a_bare_surname_is_the_family_man_not_the_one_full_name():
    # "Bingley" is Mr. Bingley, not Caroline Bingley (the one Bingley named in full), who is Miss Bingley
    story = characters_of("bare_surname.txt")
    assert [(c.name, c.aliases, c.gender) for c in story.characters] == [
        ("Caroline Bingley", ["Miss Bingley"], "F"), ("Bingley", ["Mr. Bingley"], "M")]


def test_dialect_contractions_and_titles():
    # "D'you" and "Aw" open speech, they name no one; "Mis' Hamilton" is a title and a name, as "Mistah Frank" is
    story = characters_of("dialect.txt")
    assert sorted((c.name, c.aliases, c.gender) for c in story.characters) == [
        ("Frank", ["Mistah Frank"], "M"), ("Joe", [], "M"), ("Kitty", [], "F"), ("Mis' Hamilton", [], "F")]


def test_mrs_with_a_mans_full_name_is_his_wife():
    # "Mrs. John Dashwood" is John Dashwood's wife, not John Dashwood; "his wife" is she
    story = characters_of("mrs_full_name.txt")
    assert [(c.name, c.aliases, c.gender) for c in story.characters] == [
        ("John Dashwood", [], "M"), ("Mrs. John Dashwood", [], "F")]
    names = {c.id: c.name for c in story.characters}
    assert [(m.text, names[m.character]) for m in story.mentions if m.kind == "nominal"] == [
        ("his wife", "Mrs. John Dashwood")]


def test_a_title_case_line_does_not_run_on_past_the_name():
    # "Miss Lucy Honeychurch Plays Beethoven": "plays" is an ordinary word of this text, so the name stops
    story = characters_of("title_case_run.txt")
    assert [(c.name, c.aliases) for c in story.characters] == [
        ("Lucy", ["Lucy Honeychurch", "Miss Honeychurch", "Miss Lucy Honeychurch"]), ("Freddy", [])]


def test_a_short_epithet_joins_the_one_longer_epithet_with_its_head():
    story = characters_of("epithets.txt")  # "the Rabbit" is the White Rabbit; the Queen stays herself
    assert [(c.name, c.aliases) for c in story.characters] == [
        ("the White Rabbit", ["the Rabbit"]), ("the Queen", []), ("Alice", [])]


def test_in_a_story_told_in_one_genders_pronouns_an_object_after_a_name_tells_its_gender():
    # "Raidou found him", "Raidou covered him": the him is Genma, but every pronoun of the story is a man's
    story = characters_of("two_men.txt")
    assert sorted((c.name, c.gender) for c in story.characters) == [("Genma", "M"), ("Raidou", "M")]


def test_a_canon_name_keeps_its_canon_gender_in_a_two_person_scene():
    # "She" follows Naruto's name, but Naruto is a man in every Naruto story and Hinata a woman; two people
    # from one canon bring in no pack, the names alone give the gender
    story = characters_of("canon_gender.txt")
    assert {c.name: c.gender for c in story.characters} == {"Naruto": "M", "Hinata": "F"}


def test_the_texts_own_words_overrule_canon_gender():
    # a genderbend: "Naruto shook her head", "Naruto found herself"
    story = characters_of("canon_genderbend.txt")
    assert {c.name: c.gender for c in story.characters} == {"Naruto": "F", "Sasuke": "M"}


def test_a_patronymic_tells_the_sex_no_pronoun_after_the_name_does():
    # no title, no he/she after the names and given names outside the English lexicon: "-ovna" and "-ichna"
    # are a daughter's patronymic, "-ovich" a son's (lexicons/patronymics.json)
    story = characters_of("patronymics.txt")
    genders = {c.name: c.gender for c in story.characters}
    assert genders["Polina Alexandrovna"] == "F"
    assert genders["Sasha Ilyinichna"] == "F"
    assert genders["Misha Petrovich"] == "M"


def test_korean_honorifics_join_their_person():
    # "Yoongi-hyung" and "Jimin-ssi" are Yoongi and Jimin; "hyung" is said to an older man
    story = characters_of("korean_honorifics.txt")
    people = by_name(story)
    assert set(people) == {"Yoongi", "Jimin", "Jungkook"}
    assert "Yoongi-hyung" in people["Yoongi"].aliases and people["Yoongi"].gender == "M"
    assert "Jimin-ssi" in people["Jimin"].aliases


def test_chinese_honorifics_and_the_familiar_a_join_their_person():
    # "Qing-jiejie" is Wen Qing (an elder sister), "Wei-xiong" Wei Ying, "A-Ning" Wen Ning
    story = characters_of("chinese_honorifics.txt")
    people = by_name(story)
    assert "Qing-jiejie" in people["Wen Qing"].aliases and people["Wen Qing"].gender == "F"
    assert "Wei-xiong" in people["Wei Ying"].aliases
    assert "A-Ning" in people["Wen Ning"].aliases


def test_south_asian_titles_mark_people():
    # "the Nawab Bahadur" is a man, "Begum Hamidullah" a woman, "Dr. Aziz" is Aziz
    story = characters_of("south_asian_titles.txt")
    people = by_name(story)
    assert {"Aziz", "Hamidullah", "Mahmoud Ali", "Professor Godbole", "Nureddin", "Nawab Bahadur"} <= set(people)
    assert people["Nawab Bahadur"].gender == "M"
    assert "Dr. Aziz" in people["Aziz"].aliases


def test_the_title_written_small_is_its_last_named_holder():
    # "The professor considered." is Professor Joshi and "The doctor laughed." Dr. Rahim, so the lines beside
    # them are theirs (before, both went to Iqbal); "The general opinion" is no one
    story = characters_of("title_noun.txt")
    spoken = {q.text.split(",")[0].split(".")[0]: story.character_name(q.speaker) for q in story.quotes}
    assert spoken["It is possible"] == "Professor Joshi"
    assert spoken["The Civil Surgeon sent for me again"] == "Dr. Rahim"
    assert spoken["Then I stay"] == "Dr. Rahim"
    assert spoken["Then stay and eat"] == "Iqbal"
    titled = [m.text for m in story.mentions if m.text.lower().startswith("the ")]
    assert titled == ["The professor", "The doctor", "The doctor"]


def test_a_territorial_title_talked_of_in_lines_stays_its_holders(monkeypatch):
    # the narration's "the duchess" comes back after a stretch in which only the lines speak of her; with the
    # gap made short, that stretch is longer than the gap, so only the talk keeps the title hers
    monkeypatch.setattr(characters_stage, "TERRITORIAL_GAP", 400)
    story = characters_of("territorial_talk.txt")
    spoken = {q.text.split(",")[0].split("?")[0]: story.character_name(q.speaker) for q in story.quotes}
    assert spoken["What are you two whispering about"] == "Duchess of Harrowgate"
    assert spoken["The weather"] == "Felix"
    duchess = [m.text for m in story.mentions if story.character_name(m.character) == "Duchess of Harrowgate"
               and m.kind == "name"]
    assert duchess == ["The Duchess of Harrowgate", "The duchess", "the duchess"]


def test_the_admiral_is_the_admiral_named_around_it(monkeypatch):
    # Admiral Baldwin is named once, in passing, far from "the Admiral" (the window made short for a short
    # story); Admiral Hale three times near it: "the Admiral" is Hale (before, a person of its own, since one
    # use in four named another).  "President" is a title: "the President" is President Coin
    monkeypatch.setattr(characters_stage, "TITLE_NOUN_WINDOW", 250)
    story = characters_of("title_holder_local.txt")
    people = {c.name: c.aliases for c in story.characters}
    assert people["Admiral Hale"] == ["the Admiral"] and people["President Coin"] == ["the President"]
    assert "the Admiral" not in people and people["Admiral Baldwin"] == []


def test_a_title_before_a_particle_and_a_surname():
    # "Professor de Worms" is one name with its title (before, "de" cut the title off, and "the Professor" was
    # someone else); "Madame du Plessis" likewise
    story = characters_of("title_particle.txt")
    assert sorted((c.name, c.aliases, c.gender) for c in story.characters if c.name != "Mirabel Ashdown") == [
        ("Madame du Plessis", [], "F"), ("Professor de Worms", ["the Professor"], "M")]


def test_a_name_ending_in_a_places_head_noun_is_a_place():
    # "Juniper Town sleeps late", "Juniper Town collects it": said like a person, named like a place (before, a
    # character); "Hawthorn Drive" too.  Mrs. Bell, Oren and the narrator are the people
    story = analyse(FIXTURES / "characters" / "places_named.txt")
    assert set(by_name(story)) == {"Oren", "Mrs. Bell", "the narrator"}
    said = {q.text[:12]: story.character_name(q.speaker) for q in story.quotes}
    assert said["Nobody's up,"] == "Oren" and said["You two are "] == "Mrs. Bell"


def test_a_chinese_elder_called_by_surname_and_kin_word_is_that_person():
    # "Zhang-bobo" (uncle), "Chen-laoshi" (teacher), "Li-ayi" (auntie): each the one full name of the surname, and
    # the kin word gives the sex ("bobo" a man, "ayi" a woman), which the narration never does
    story = analyse(FIXTURES / "characters" / "chinese_kin_suffixes.txt")
    people = by_name(story)
    assert set(people) == {"Xiaoyu", "Zhang Guofeng", "Chen Meilin", "Li Fang"}
    assert "Zhang-bobo" in people["Zhang Guofeng"].aliases and people["Zhang Guofeng"].gender == "M"
    assert "Chen-laoshi" in people["Chen Meilin"].aliases and people["Li Fang"].gender == "F"
    line = next(q for q in story.quotes if q.text.startswith("Chen-laoshi, you say"))
    assert story.character_name(line.speaker) == "Xiaoyu"
    assert [story.character_name(a) for a in line.addressees] == ["Chen Meilin"]


def test_a_korean_surname_that_is_also_a_word_keeps_its_bearer_when_said_with_an_honorific():
    # "Park" is an English word, but the text says "Park-seonsaengnim": Park Eunhee is named in full (before,
    # "Eunhee", and "Park" alone was a second person); "Kim-ahjussi" is Kim Dongsu, a man
    story = analyse(FIXTURES / "characters" / "korean_elders.txt")
    people = by_name(story)
    assert set(people) == {"Jisoo", "Kim Dongsu", "Park Eunhee"}
    assert "Park-seonsaengnim" in people["Park Eunhee"].aliases and people["Kim Dongsu"].gender == "M"
    line = next(q for q in story.quotes if q.text.startswith("Park-seonsaengnim!"))
    assert [story.character_name(a) for a in line.addressees] == ["Park Eunhee"]


def test_spanish_titles_give_their_bearers_sex():
    # "Doña" is a title, as "Mrs." is: Doña Carmen is a woman, and "Carmen" alone is her (before, "Doña" was taken
    # for a given name, and her sex was unknown)
    story = analyse(FIXTURES / "characters" / "spanish_titles.txt")
    people = by_name(story)
    assert set(people) == {"Doña Carmen", "Señora Alvarez", "Mateo"}
    assert people["Doña Carmen"].gender == "F" and "Carmen" in people["Doña Carmen"].aliases
