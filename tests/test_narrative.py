"""The narrative stage on short stories written for these tests (tests/fixtures/narrative/)."""

from pathlib import Path

import pytest

from .conftest import fixture_analyser

FIXTURES = Path(__file__).parent / "fixtures" / "narrative"
# The stages the narrative stage reads from, and itself.
STAGES = ("structure", "quotes", "characters", "attribution", "narrative")


@pytest.fixture(scope="module")
def analyse():
    """Analyse a fixture once per module (spaCy loads once per process)."""
    return fixture_analyser(FIXTURES, STAGES)


def slips(story):
    return [e.text for e in story.narrative.tense_slips]


def test_past_narration_with_present_dialogue_is_past(analyse):
    story = analyse("past_present_dialogue.txt")
    assert story.narrative.tense == "past"
    assert slips(story) == []


def test_present_narration_with_past_dialogue_is_present(analyse):
    story = analyse("present_past_dialogue.txt")
    assert story.narrative.tense == "present"
    assert slips(story) == []


def test_alternating_tenses_are_mixed(analyse):
    story = analyse("mixed.txt")
    assert story.narrative.tense == "mixed"


def test_first_person_present_with_dialogue(analyse):
    story = analyse("first_person_present.txt")
    assert (story.narrative.tense, slips(story)) == ("present", [])


def test_pluperfect_flashback_is_not_a_slip(analyse):
    story = analyse("pluperfect.txt")
    assert story.narrative.tense == "present"
    assert slips(story) == []


def test_a_remembered_past_in_present_narration_is_not_a_slip(analyse):
    story = analyse("present_memory.txt")
    assert (story.narrative.tense, slips(story)) == ("present", [])


def test_flashback_scene_after_a_break_is_not_a_slip(analyse):
    story = analyse("flashback_scene.txt")
    assert len(story.scenes) == 3
    assert story.narrative.tense == "present"
    assert slips(story) == []


def test_a_real_slip_is_found_with_its_span(analyse):
    story = analyse("slip.txt")
    assert story.narrative.tense == "present"
    assert slips(story) == ["She walked back to the bench and picked up her water bottle."]
    slip = story.narrative.tense_slips[0]
    assert story.text[slip.start : slip.end] == slip.text


@pytest.mark.parametrize(
    "name, pov",
    [
        ("first_person.txt", "first"),
        ("first_person_you_dialogue.txt", "first"),
        ("second_person.txt", "second"),
        ("reader_insert.txt", "second"),
        ("reader_insert_brackets.txt", "second"),
        ("first_person_present.txt", "first"),
        ("third_person.txt", "third"),
        ("past_present_dialogue.txt", "third"),
    ],
)
def test_point_of_view(analyse, name, pov):
    assert analyse(name).narrative.pov == pov


def test_focal_character_of_each_scene(analyse):
    story = analyse("focal_scenes.txt")
    assert [story.character_name(s.focal_character) for s in story.scenes] == ["Iruka", "Kakashi"]
    assert sorted(story.character_name(c) for c in story.narrative.focal_characters) == ["Iruka", "Kakashi"]


def test_first_person_narrator_is_the_focal_character(analyse):
    story = analyse("first_person.txt")
    narrator = {m.character for m in story.mentions if m.text == "I"}
    assert len(narrator) == 1 and None not in narrator
    assert [s.focal_character for s in story.scenes] == list(narrator)
    assert story.narrative.focal_characters == list(narrator)


def test_counts_and_chapters(analyse):
    story = analyse("counts.txt")
    narrative = story.narrative
    # Body words: Come here she said He came / They slept (headings are not story).
    assert (narrative.words, narrative.dialogue_words) == (8, 2)
    assert narrative.dialogue_share == 0.25
    assert narrative.reading_minutes == round(8 / 238, 1)
    assert narrative.chapters == [
        {
            "chapter": 0,
            "number": 1,
            "title": "Morning",
            "words": 6,
            "dialogue_share": 0.333,
            "tense": "past",
            "pov": "third",
        },
        {
            "chapter": 1,
            "number": 2,
            "title": "Night",
            "words": 2,
            "dialogue_share": 0.0,
            "tense": "past",
            "pov": "third",
        },
    ]


def test_reading_time_uses_238_words_a_minute(analyse):
    story = analyse("first_person_you_dialogue.txt")
    assert story.narrative.words == 69
    assert story.narrative.reading_minutes == 0.3
    assert story.narrative.dialogue_words == 29


def test_narrative_validates_against_the_schema(analyse, story_schema):
    import jsonschema

    document = analyse("slip.txt").to_dict()
    jsonschema.validate(document, story_schema)
    assert document["narrative"]["tense_slips"][0]["text"].startswith("She walked back")


def test_each_pov_section_looks_through_its_own_narrator(analyse):
    # "Sakura's POV" then "Naruto's POV": the "I" of each scene is a different person, and both are focal
    story = analyse("first_person_pov_sections.txt")
    assert [story.character_name(s.focal_character) for s in story.scenes] == ["Sakura", "Naruto"]
    assert sorted(story.character_name(c) for c in story.narrative.focal_characters) == ["Naruto", "Sakura"]


def test_a_pov_line_names_the_focal_character_of_a_third_person_scene(analyse):
    # Naruto is named most in both scenes, but "Sakura's POV" and "POV: Sasuke" say whose eyes they look through
    story = analyse("third_person_pov_sections.txt")
    assert story.narrative.pov == "third"
    assert [story.character_name(s.focal_character) for s in story.scenes] == ["Sakura", "Sasuke"]


def test_the_author_note_says_whose_eyes_a_third_person_story_looks_through(analyse):
    # the scene names Iruka most, but "A/N: Kakashi POV" says whose eyes it looks through
    story = analyse("focal_declared_in_note.txt")
    assert story.narrative.pov == "third"
    assert [story.character_name(s.focal_character) for s in story.scenes] == ["Kakashi"]
