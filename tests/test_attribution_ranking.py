"""First-person stories read by the ranker (the narrator one more candidate) and by the hand rules."""

from pathlib import Path

import pytest

from ficlens.ingest import from_text
from ficlens.pipeline import STAGES, Options, run
from ficlens.roster import parse_roster
from ficlens.stages import attribution

FIXTURES = Path(__file__).parent / "fixtures" / "attribution"
UP_TO_ATTRIBUTION = STAGES[: STAGES.index("attribution") + 1]


def _story(text: str):
    return run(from_text(text), Options(stages=UP_TO_ATTRIBUTION))


def _speakers(path: Path) -> list[tuple[str, str]]:
    story = _story(path.read_text(encoding="utf-8"))
    return [(" ".join(q.text.split()[:2]), story.character_name(q.speaker))
            for q in sorted(story.quotes, key=lambda q: q.start)]


KITCHEN = [("You're late,", "Mara"), ("I overslept.", "the narrator"), ("Again.", "Mara"),
           ("Again,", "the narrator"), ("Did she", "Tom"), ("What about", "the narrator"), ("Nothing, Tom,", "Mara"),
           ("Yes, ma'am.", "Tom"), ("What happened", "the narrator"), ("A small", "Tom")]
NAMED = [("You are", "Clara"), ("I was", "Arthur"), ("Arthur, you", "Clara"), ("I finished", "Arthur"),
         ("Finishing one,", "Henry"), ("Finishing it.", "Arthur"),
         ("Arthur, you", "Clara"), ("That is", "Arthur")]


@pytest.mark.parametrize("ranked", [False, True])
def test_first_person_story_by_hand_rules_and_by_the_ranker(monkeypatch, ranked):
    # "I sat down" beside a line, "I admitted" after one, and bare lines in an exchange with the narrator; the
    # narrator named by the others' "Arthur", and the bare "Arthur, you never finish anything." spoken to the
    # narrator, not by them
    monkeypatch.setattr(attribution, "NARRATOR_RANKED", ranked)
    assert _speakers(FIXTURES / "first_person_kitchen.txt") == KITCHEN
    assert _speakers(FIXTURES / "first_person_named.txt") == NAMED


def test_narrator_i_in_narration_is_a_name_to_the_ranker(monkeypatch):
    # read by the ranker, "I admitted" is a tag naming the narrator (explicit), as "Mara said" names Mara
    monkeypatch.setattr(attribution, "NARRATOR_RANKED", True)
    story = run(from_text((FIXTURES / "first_person_kitchen.txt").read_text(encoding="utf-8")),
                Options(stages=UP_TO_ATTRIBUTION))
    methods = {" ".join(q.text.split()[:2]): q.method for q in story.quotes}
    assert methods["Again,"] == "explicit" and methods["Nothing, Tom,"] == "explicit"
    assert methods["You're late,"] == "anaphoric"  # "she said"



ADDRESSES_BY_NAME = [("Good morning,", "Alexei"), ("Polina, I", "Alexei"), ("Then speak,", "Polina"),
                     ("They say", "Alexei"), ("Polina, is", "Alexei"), ("What business", "Polina"),
                     ("Everything about", "Alexei"), ("Polina, you", "Alexei"), ("Wait,", "Alexei"),
                     ("Polina, please.", "Alexei"), ("Go back", "Polina")]


@pytest.mark.parametrize("fixture", ["first_person_addresses_by_name.txt",
                                     "first_person_addresses_by_name_pronouns.txt"])
def test_narrator_is_not_named_after_the_one_they_call_by_name(fixture):
    # the narrator's own bare "Polina, ..." lines sit beside their "I said" lines, as replies would, and vote
    # "Polina" as the narrator's name; but "Polina stopped and looked at me" makes her someone else, whether
    # her lines are tagged by name ("said Polina") or only by "she said"
    assert _speakers(FIXTURES / fixture) == ADDRESSES_BY_NAME


def test_narrator_named_by_their_own_words():
    # nobody calls her by name, but "My name is Hyuuga Hinata" opens the story: her lines are Hinata's
    assert _speakers(FIXTURES / "first_person_self_named.txt") == [
        ("You look", "Kiba"), ("Thank you,", "Hyuuga Hinata"), ("Nobody did.", "Kiba"),
        ("He likes", "Hyuuga Hinata"), ("He likes", "Kiba")]


def test_a_name_with_s_is_not_the_narrators_own():
    text = ("Sakura was late again, so I waited on the bridge with the others.\n\n"
            "\"I'm Sakura's teammate, not her keeper,\" I said when the jonin asked.\n\n"
            "\"Then go and fetch her,\" said Kakashi.\n\n\"Fine,\" I said.\n\n"
            "\"Sorry, sorry!\" said Sakura, running up the steps.\n")
    story = _story(text)
    assert {story.character_name(q.speaker) for q in story.quotes if "I said" in story.text[q.end:q.end + 9]} \
        == {"the narrator"}


def test_narrator_named_by_the_name_lines_call_them_and_the_narration_never_does():
    # no "I said" line has a reply beside it that names the narrator, but Holmes calls them "Watson" three times
    # and the narration, which says "I", never names Watson: the narrator is Watson, one person, not two
    path = FIXTURES / "first_person_addressed_never_narrated.txt"
    story = run(from_text(path.read_text(encoding="utf-8")), Options(stages=UP_TO_ATTRIBUTION))
    assert [(c.name, c.aliases) for c in story.characters] == [("Holmes", []), ("Watson", ["I"])]
    assert _speakers(path) == [("Well, Watson,", "Holmes"), ("A country", "Watson"), ("Good, Watson.", "Holmes"),
                               ("What dog?", "Watson"), ("The one", "Holmes")]


def test_a_stranger_the_narration_brings_in_speaks_as_themselves():
    # "a tall man stepped out of the trees", then "said the man": someone of their own, not Kiba, the one man
    # named so far; and "Naruto," said in answer to "Tell me your name" is the narrator giving their name
    path = FIXTURES / "first_person_stranger.txt"
    assert _speakers(path) == [
        ("You there,", "the man"), ("Who's asking?", "Naruto"), ("A traveller.", "the man"),
        ("Naruto, Uzumaki", "Naruto"), ("Naruto,", "the man"), ("And where", "the man"), ("I'm not", "Naruto"),
        ("Then I", "the man"),
        ("There was", "Naruto"), ("What man?", "Kiba")]


def test_a_quiet_man_already_there_is_no_stranger():
    # "Tom was a quiet man": a predicate describes someone there, so "said the man" stays Tom
    text = ("Hinata followed Tom into the clearing at dusk. Tom was a quiet man, and the forest was quieter "
            "still. Tom knelt by the ashes of the fire.\n\n"
            "\"Someone's been here,\" said the man, turning a stone over.\n\n"
            "\"How long ago?\" Hinata asked.\n")
    story = _story(text)
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)] == ["Tom", "Hinata"]


def test_a_name_given_in_answer_is_said_by_its_owner():
    # "What's your name, kid?" / "Konohamaru, sir.": the name answers the question, so Konohamaru says it, and it
    # is no vocative (it was, and the line went to Iruka)
    assert _speakers(FIXTURES / "name_given.txt") == [
        ("Slow down,", "Iruka"), ("Konohamaru, sir.", "Konohamaru"), ("Well, Konohamaru,", "Iruka"),
        ("Then I'll", "Konohamaru")]


def test_someone_only_talked_about_is_not_in_the_scene():
    # Sasuke and Naruto are only named inside the lines; Kakashi, named in the narration, is the one "he said"
    # and the bare replies belong to, and the one Sakura speaks to
    path = FIXTURES / "talked_about.txt"
    assert _speakers(path) == [
        ("Did you", "Haruno Sakura"), ("Did he.", "Hatake Kakashi"), ("He wanted", "Haruno Sakura"),
        ("Naruto exaggerates,", "Hatake Kakashi"), ("Naruto says", "Haruno Sakura"), ("Then we", "Hatake Kakashi")]


def test_each_pov_section_is_told_by_the_one_its_line_names():
    # "Sakura's POV" then "Naruto's POV": the "I" of each section is a different person, so "I said" is Sakura's
    # in the first and Naruto's in the second, and no separate "the narrator" is left
    path = FIXTURES / "first_person_pov_sections.txt"
    story = run(from_text(path.read_text(encoding="utf-8")), Options(stages=UP_TO_ATTRIBUTION))
    assert [c.name for c in story.characters] == ["Sakura", "Naruto", "Kakashi"]
    assert _speakers(path) == [("You're late,", "Sakura"), ("Kakashi-sensei's later!", "Naruto"),
                               ("I said", "Naruto"), ("You did", "Sakura"), ("I thought", "Naruto")]


def test_a_pov_line_naming_someone_the_story_never_names_makes_them_a_character():
    text = ("Hinata's POV\n\nI stood behind the tree and watched him train. My hands would not stop shaking, "
            "and I pressed them against the bark until I could breathe.\n\n"
            "\"You can come out, you know,\" Naruto called.\n\n\"S-sorry,\" I said. I stepped out, and my face "
            "burned.\n")
    story = _story(text)
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)] == \
        ["Naruto", "Hinata"]


def test_a_normal_pov_line_ends_the_named_section():
    # "POV: Sakura" makes the "I" Sakura's; "Normal POV" ends her section, so a later "I said" is not hers
    text = ("POV: Sakura\n\nI waited at the bridge for an hour before Naruto showed up, and I told myself I "
            "would not shout.\n\n\"You're late,\" I said.\n\n\"Sorry!\" said Naruto.\n\nNormal POV\n\n"
            "Nobody saw me leave. I went home alone.\n\n\"Finally,\" I said to the empty room.\n")
    story = _story(text)
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)] == \
        ["Sakura", "Naruto", "the narrator"]


def test_the_one_acting_between_a_lines_parts_speaks_it():
    # '"Hmm." Kakashi closed his book with a sigh. "Then I suppose I did."': one line with an action between its
    # parts; Kakashi, who acts there, says it (he was "named inside" it, so not its speaker, and it went to Sakura)
    assert _speakers(FIXTURES / "action_between_parts.txt") == [
        ("Sensei, you", "Haruno Sakura"), ("Did I?", "Hatake Kakashi"), ("You did!", "Haruno Sakura"),
        ("Hmm. Then", "Hatake Kakashi"), ("Me too!", "Uzumaki Naruto"), ("You weren't", "Haruno Sakura"),
        ("I invited", "Uzumaki Naruto"), ("Fine. Both", "Hatake Kakashi"), ("FIVE?", "Uzumaki Naruto"),
        ("Six, now.", "Hatake Kakashi")]


def test_a_fan_epithet_of_the_pack_is_its_character():
    # "the blond" and "the raven-haired boy" are Naruto and Sasuke in Naruto fan fiction (the pack's epithets);
    # they were characters of their own ("the blond", "the blonde")
    path = FIXTURES / "fan_epithets.txt"
    story = run(from_text(path.read_text(encoding="utf-8")), Options(stages=UP_TO_ATTRIBUTION))
    assert sorted(c.name for c in story.characters) == ["Haruno Sakura", "Uchiha Sasuke", "Uzumaki Naruto"]
    assert _speakers(path) == [
        ("You're slow", "Uchiha Sasuke"), ("Am not!", "Uzumaki Naruto"), ("Hn.", "Uchiha Sasuke"),
        ("Can you", "Haruno Sakura"), ("He started", "Uzumaki Naruto"), ("I did", "Uchiha Sasuke")]


def test_an_epithet_from_a_character_list_file():
    # a user's list may give epithets too; one that two characters of the story share ("redhead") names neither
    text = ("Mara and Oskar waited by the gate while Ilse fetched the horses.\n\n"
            "\"It's going to rain,\" said the redhead.\n\n\"It always rains,\" said the soldier.\n")
    roster = parse_roster([{"name": "Mara", "epithets": ["redhead"]}, {"name": "Oskar", "epithets": ["the soldier"]},
                           {"name": "Ilse", "epithets": ["redhead"]}])
    story = run(from_text(text), Options(stages=UP_TO_ATTRIBUTION, roster=roster))
    first, second = [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)]
    assert first not in ("Mara", "Ilse") and second == "Oskar"


def test_the_reader_of_a_story_told_to_you_is_a_character():
    # a reader-insert story: "you say" names the reader as "I said" names a narrator, and "Hey, Y/N" calls them
    path = FIXTURES / "reader_insert.txt"
    story = run(from_text(path.read_text(encoding="utf-8")), Options(stages=UP_TO_ATTRIBUTION))
    reader = next(c for c in story.characters if c.name == "Y/N")
    assert reader.aliases == ["you"]
    assert _speakers(path) == [("Hey, Y/N,", "Bucky"), ("You remembered,", "Y/N"), ("I always", "Bucky"),
                               ("Steve's right.", "Y/N")]
    assert [story.character_name(a) for a in sorted(story.quotes, key=lambda q: q.start)[0].addressees] == ["Y/N"]


def test_you_say_between_the_parts_of_a_line_names_the_reader():
    # '"Only," you say, "if the dog dies."': the tag sits inside the line's outer span, and is still a tag
    assert _speakers(FIXTURES / "reader_insert_interrupted.txt") == [
        ("Horror, Something", "Reigen"), ("Shigeo-kun, is", "the reader"), ("I think", "Mob"), ("See? He's", "Reigen"),
        ("Only, if", "the reader"), ("The dog", "Reigen"), ("The dog", "Mob")]


def test_you_in_the_lines_of_a_third_person_story_is_no_reader():
    text = ("Iruka found Kakashi on the roof. He sat down beside him and said nothing for a while.\n\n"
            "\"You could have told me,\" Iruka said. \"You could have told me you were leaving.\"\n\n"
            "\"You would have asked me to stay,\" Kakashi said. \"And you know I would have.\"\n")
    story = _story(text)
    assert sorted(c.name for c in story.characters) == ["Iruka", "Kakashi"]


def test_a_stranger_named_only_by_tags_is_still_in_the_scene():
    # "said the man" names the stranger in the narration as a name would: he is in the scene and no rarer than
    # the narrator, so the questions between the narrator's answers are his (before, with no name mentions of
    # his own, the narrator took every line after the first)
    assert _speakers(FIXTURES / "stranger_first_person.txt") == [
        ("Now lookee", "the man"), ("Yes, sir.", "the narrator"), ("And you", "the man"),
        ("Yes, sir.", "the narrator"), ("You get", "the man"), ("And you", "the man"),
        ("If you", "the narrator")]


def test_collected_candidates_keep_their_people_when_names_merge_and_ids_move(monkeypatch):
    # train/train_ranker.py labels each collected candidate by the final story's character of that id; the "I"
    # named Arthur by the others merges into Arthur and the ids are renumbered after the ranking, so the
    # collected keys must follow, or the narrator's rows are labelled as someone else's (or no one's)
    monkeypatch.setattr(attribution, "NARRATOR_RANKED", True)
    monkeypatch.setattr(attribution, "COLLECT", [])
    story = _story((FIXTURES / "first_person_named.txt").read_text(encoding="utf-8"))
    narrator_rows = [story.character(c) for _, features in attribution.COLLECT
                     for c, row in features.items() if row["narrator"]]
    assert narrator_rows and {c.name for c in narrator_rows} == {"Arthur"}
    assert all(story.character(c) is not None for _, features in attribution.COLLECT for c in features)


def test_a_first_person_narrator_takes_the_name_the_header_gives_the_pov():
    # "Kenma's POV" in the header, and no line ever calls the narrator by name ("Kuroo," I say / "Kuroo,"
    # Shouyou agrees: the name others say is Kuroo's)
    story = _story((FIXTURES / "first_person_pov_in_note.txt").read_text(encoding="utf-8"))
    narrator = next(c for c in story.characters if "I" in c.aliases)
    assert narrator.name == "Kenma"
    said_by_i = [q for q in story.quotes if " I say" in story.text[q.end : q.end + 10]]
    assert len(said_by_i) == 2 and all(story.character_name(q.speaker) == "Kenma" for q in said_by_i)


def test_a_noun_after_a_preposition_is_no_tags_subject():
    # "collapsed onto the bench, panting": the bench is where he fell, not who speaks
    story = _story((FIXTURES / "tag_after_a_place.txt").read_text(encoding="utf-8"))
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)] == [
        "Majima", "Kiryu", "Majima"]
    assert "the bench" not in [c.name for c in story.characters]
