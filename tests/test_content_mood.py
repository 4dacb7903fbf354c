"""Mood rules of stages/content_mood.py, each beside a near miss that must not fire (texts written for these
tests, in tests/fixtures/content_mood/)."""

from pathlib import Path

import pytest

from .conftest import fixture_analyser

FIXTURES = Path(__file__).parent / "fixtures" / "content_mood"
STAGES = ("structure", "fandom", "quotes", "characters", "attribution", "narrative", "content")


@pytest.fixture(scope="module")
def analyse():
    return fixture_analyser(FIXTURES, STAGES)


def tags(story):
    return {t.tag for t in story.tags.freeform}


def evidence(story, tag):
    return [" ".join(e.text.split()) for f in story.tags.freeform if f.tag == tag for e in f.evidence]


def test_comic_beats_of_a_light_story_are_humor(analyse):
    """Laughs in narration, a shouted line, a deadpan repeat ("A pancake."), comic narration ("said, very
    calmly"): Humor, citing those beats."""
    story = analyse("comic_ensemble.txt")
    assert "Humor" in tags(story)
    cited = evidence(story, "Humor")
    assert "Tomas laughed so hard he had to sit down on the recycling bin." in cited
    assert "Tomas snorted into his sleeve." in cited
    assert '"A pancake."' in cited


def test_the_same_jokes_beside_a_funeral_are_no_humor(analyse):
    """The same lines on the morning after a funeral, the laugh turning to tears: no Humor, no Friendship."""
    story = analyse("comic_then_grave.txt")
    assert "Humor" not in tags(story)
    assert "Friendship" not in tags(story)


def test_three_friends_joking_together_are_friendship(analyse):
    """Three speakers, no love story, joking through a burnt breakfast: Friendship, citing the jokes."""
    story = analyse("comic_ensemble.txt")
    assert "Friendship" in tags(story)
    cited = evidence(story, "Friendship")
    assert 2 <= len(cited) <= 5
    assert "Tomas laughed so hard he had to sit down on the recycling bin." in cited


def test_a_comic_love_story_is_humor_but_not_friendship(analyse):
    """The same kitchen with a kiss and "I love you" at the end: Humor and Romance, no Friendship."""
    story = analyse("comic_romance.txt")
    assert {"Humor", "Romance"} <= tags(story)
    assert "Friendship" not in tags(story)


def test_a_mock_funeral_told_in_jokes_is_humor_not_grief(analyse):
    """A toaster buried with a eulogy, a grave and wailing, told in shouts, laughs and deadpan repeats: the
    cue rules read a funeral, the comedy drops it; Humor and Friendship instead."""
    story = analyse("mock_funeral.txt")
    assert "Grief/Mourning" not in tags(story)
    assert {"Humor", "Friendship"} <= tags(story)
    assert "Oskar laughed so hard he choked on his tea." in evidence(story, "Humor")


def test_a_real_funeral_beside_the_same_jokes_keeps_its_grief(analyse):
    story = analyse("comic_then_grave.txt")
    assert {"Grief/Mourning", "Angst"} <= tags(story)


def test_a_comedy_warm_in_four_sentences_is_fluff(analyse):
    """The burnt breakfast ending in blankets, cocoa, a smile and a hug: four warm sentences of 28, fewer than a
    story without jokes needs, are Fluff in a comedy; the same comedy with one warm sentence is not."""
    story = analyse("warm_comedy.txt")
    assert "Fluff" in tags(story)
    assert evidence(story, "Fluff") == [
        "Tomas laughed so hard he had to sit down on the recycling bin.",
        "They ate the coasters anyway, wrapped in blankets on the sofa, smiling over mugs of cocoa.",
        "Della smiled and passed her the last pancake, the only good one.",
        "Tomas hugged them both, flour and all.",
    ]
    assert "Fluff" not in tags(analyse("comic_ensemble.txt"))


def test_a_friendship_the_author_declares_is_cited_from_the_note(analyse):
    story = analyse("declared_friendship.txt")
    assert evidence(story, "Friendship") == ["Author's note: Anna Kell & Bea Moreau, friendship only."]


def test_a_note_that_leaves_romance_open_declares_no_friendship(analyse):
    """"can be read as pre-slash or gen": the author offers both, so the note declares nothing."""
    assert "Friendship" not in tags(analyse("declared_open.txt"))


def test_the_genre_an_authors_note_names_is_cited_from_the_note(analyse):
    story = analyse("declared_crack.txt")
    note = ["Author's note: Pure crack, and a little fluff."]
    assert evidence(story, "Humor") == note
    assert evidence(story, "Fluff") == note


def test_a_crack_in_the_ice_and_a_comedy_denied_declare_nothing(analyse):
    """'the first crack in the ice' is no genre, and 'Not the usual comedy' says the story is not one."""
    story = analyse("declared_not_comedy.txt")
    assert not tags(story) & {"Humor", "Fluff"}


def test_a_war_told_twice_in_its_plain_words_is_war(analyse):
    """Two sentences with a core war word ('the third bombing this week', 'The bombing stopped') are a war,
    fewer than the three sentences and two words the cue rule otherwise needs."""
    assert evidence(analyse("war_told_twice.txt"), "War") == [
        "It was the third bombing this week.",
        "The bombing stopped a little after one.",
    ]


def test_wars_and_battles_named_as_titles_are_no_war(analyse):
    """'Star Wars', 'the Clone Wars', 'post-Civil War', 'the Battle of Hoth': names, not a war on the page."""
    assert "War" not in tags(analyse("war_in_titles.txt"))


def test_the_same_jokes_in_a_long_quiet_story_are_too_few(analyse):
    """The burnt breakfast (seven beats) followed by 270 sentences of errands: under 4% of the story is comic,
    so no Humor (a long novel needs its jokes throughout)."""
    assert not tags(analyse("comic_then_long_quiet.txt")) & {"Humor", "Friendship"}


def test_a_slash_pairing_in_the_note_is_romance(analyse):
    assert evidence(analyse("declared_slash.txt"), "Romance") == ["Author's note: Anna/Bea."]


def test_a_slash_friendship_and_two_owners_are_no_romance(analyse):
    """'Anna/Bea friendship' is a friendship; 'Lighthouse/Harbour Studios own it all' names owners; 'A/N' is no
    pairing."""
    story = analyse("declared_slash_near.txt")
    assert "Romance" not in tags(story)
    assert evidence(story, "Friendship") == ["A/N: Anna/Bea friendship, set after the storm season."]


def test_whump_in_the_note_is_hurt_comfort_and_no_whump_is_not(analyse):
    assert evidence(analyse("declared_whump.txt"), "Hurt/Comfort") == ["Author's note: Bea whump, sorry Bea."]
    assert "Hurt/Comfort" not in tags(analyse("declared_no_whump.txt"))


def test_jokes_in_a_declared_love_story_are_no_friendship(analyse):
    """The burnt breakfast under a note that pairs 'Priya/Della': Humor and Romance, and no Friendship."""
    story = analyse("comic_declared_pair.txt")
    assert {"Humor", "Romance"} <= tags(story)
    assert "Friendship" not in tags(story)
