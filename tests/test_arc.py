"""Arc stage: valence across a story that goes from grief to joy, per character, and its turning point."""

import pytest

from ficlens.pipeline import Context, Options
from ficlens.stages import arc

from .story_builder import build_story, fixture_text

PEOPLE = {"naruto": ("Naruto", "M"), "iruka": ("Iruka", "M")}


@pytest.fixture(scope="module")
def story():
    story = build_story(fixture_text("arc", "sad_to_happy.txt"), PEOPLE)
    arc.run(story, Context(Options()))
    return story


def test_one_point_per_paragraph_from_sad_to_happy(story):
    assert [(p.start, p.end) for p in story.arc] == [(p.start, p.end) for p in story.paragraphs]
    valences = [p.valence for p in story.arc]
    assert all(v < -0.2 for v in valences[:5])
    assert all(v > 0.5 for v in valences[7:])
    assert valences[0] < 0 < valences[-1]


def test_the_turn_is_where_iruka_knocks(story):
    [turn] = story.turning_points
    assert story.text[turn.start : turn.end].startswith("Then, on Sunday, Iruka knocked on the door")
    assert turn.shift > 1.0


def test_character_arcs_follow_their_own_paragraphs(story):
    arcs = {a.character: a for a in story.character_arcs}
    assert list(arcs) == ["naruto", "iruka"]  # most mentioned first
    naruto = [p.valence for p in arcs["naruto"].points]
    assert len(naruto) == 7  # the paragraphs where Naruto is named or referred to
    assert naruto[0] < 0 < naruto[-1]
    iruka = arcs["iruka"].points
    assert [story.text[p.start : p.start + 10] for p in iruka] == ["Iruka hear", "Then, on S", "Iruka was "]


def test_smoothing_is_a_centred_moving_average():
    assert arc.smooth([0.0, 1.0, 0.0, -1.0], 1) == [0.5, 1 / 3, 0.0, -0.5]


def test_a_flat_story_has_no_turning_point():
    text = "\n\n".join(["The kettle boiled and Iruka made tea."] * 30)
    story = build_story(text, {})
    arc.run(story, Context(Options()))
    assert len(story.arc) == 30
    assert story.turning_points == []


def test_a_novel_gets_at_most_a_hundred_points():
    text = "\n\n".join(
        ("It was a lovely happy day." if i < 150 else "Everything was awful and sad.") + " The cat slept."
        for i in range(300)
    )
    story = build_story(text, {})
    arc.run(story, Context(Options()))
    assert len(story.arc) == 100  # 600 sentences in windows of 6
    assert story.arc[0].valence > 0 > story.arc[-1].valence
    [turn] = story.turning_points
    assert story.text[turn.start :].startswith("Everything was awful")
    assert turn.shift < -0.5


def test_example_story_arc(example_story):
    assert 1 <= len(example_story.arc) <= len(example_story.paragraphs)
    assert all(-1 <= p.valence <= 1 for p in example_story.arc)
    body = [(b.start, b.end) for b in example_story.body_blocks()]
    assert all(any(s <= p.start and p.end <= e for s, e in body) for p in example_story.arc)
    # The author's notes are not story: the arc starts at the first body paragraph.
    assert example_story.arc[0].start == example_story.paragraphs[0].start
    main = [a.character for a in example_story.character_arcs]
    assert main[0] == next(c.id for c in example_story.characters if c.name == "Umino Iruka")
