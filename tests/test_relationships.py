"""Relationships stage on hand-built stories: exact pairs, kinds, tags and evidence."""

import pytest

from ficlens.pipeline import Context, Options
from ficlens.stages import relationships
from ficlens.stages._body import Sentence

from .story_builder import build_story, fixture_text

PEOPLE = {
    "iruka": ("Iruka", "M"),
    "kakashi": ("Kakashi", "M"),
    "naruto": ("Naruto", "M"),
    "sakura": ("Sakura", "F"),
    "lee": ("Lee", "M"),
}
CANONICAL = {"iruka": "Umino Iruka", "kakashi": "Hatake Kakashi", "naruto": "Uzumaki Naruto"}


def analyse(name, quotes, canonical=None):
    story = build_story(fixture_text("relationships", name), PEOPLE, quotes, canonical)
    relationships.run(story, Context(Options()))
    return story


def test_kiss_and_confession_make_a_romantic_pair_with_canonical_names():
    story = analyse(
        "kiss.txt",
        [("kakashi", ["iruka"]), ("iruka", ["kakashi"]), ("kakashi", ["iruka"])],
        CANONICAL,
    )
    [pair] = story.tags.relationships
    assert pair.kind == "romantic"
    assert pair.tag == "Hatake Kakashi/Umino Iruka"
    assert pair.characters == ["kakashi", "iruka"]
    assert [e.text for e in pair.evidence] == [
        '"I think I want something more than dinner with you, sensei."',
        "Iruka kissed him, quickly, on the cloth of the mask over his cheek.",
    ]
    assert all(story.text[e.start : e.end] == e.text for e in pair.evidence)
    assert pair.confidence == pytest.approx(0.78)


def test_display_names_without_a_pack():
    story = analyse("kiss.txt", [("kakashi", ["iruka"]), ("iruka", ["kakashi"]), ("kakashi", ["iruka"])])
    assert [r.tag for r in story.tags.relationships] == ["Iruka/Kakashi"]


def test_refused_denied_nearly_and_hypothetical_kisses_are_no_romance():
    story = analyse("refused.txt", [("lee", ["sakura"]), ("sakura", ["lee"])])
    assert story.tags.relationships == []
    evidence = relationships.collect(story, Context(Options()))[("lee", "sakura")]
    # Only the invitation counts (1.5, below the bar); the four kisses that did not happen add nothing.
    assert evidence.scores["romantic"] == 1.5


def test_teacher_and_student_is_platonic():
    story = analyse(
        "teacher.txt",
        [("naruto", ["iruka"]), ("naruto", ["iruka"]), ("iruka", ["naruto"]), ("iruka", ["naruto"])],
        CANONICAL,
    )
    [pair] = story.tags.relationships
    assert (pair.kind, pair.tag) == ("platonic", "Umino Iruka & Uzumaki Naruto")
    assert [e.text for e in pair.evidence] == [
        "Iruka had been Naruto's teacher since the boy was eight years old.",
        '"Iruka-sensei!"',
        "He had taught Naruto the transformation technique himself, and he still winced at what the boy did with it.",
        # "his favourite student" is named nowhere, but Naruto is the only other person about.
        "Naruto whooped and ran ahead, and Iruka followed his favourite student down the hill.",
    ]


@pytest.mark.parametrize(
    "sentence, cue, unrealised",
    [
        ("He kissed her in the rain.", "kissed", False),
        ("He didn't kiss her.", "kiss", True),
        ("She never kissed him again.", "kissed", True),
        ("She refused the kiss.", "kiss", True),
        ("She refused to kiss him.", "kiss", True),
        ("He almost kissed her.", "kissed", True),
        ("If he kissed her, she would scream.", "kissed", True),
        ("She left without kissing him.", "kissing", True),
        ("There was no kiss.", "kiss", True),
        ("She pulled away before he could kiss her.", "kiss", True),
        ("Before he kissed her, he took off the mask.", "kissed", False),
    ],
)
def test_unrealised_cues(sentence, cue, unrealised):
    doc = Context(Options()).nlp(sentence)
    token = next(t for t in doc if t.text == cue)
    assert relationships.is_unrealised(token) is unrealised


def test_a_kiss_for_a_mother_is_not_romance():
    story = build_story(
        "{Naruto:naruto} kissed {his:naruto} mother on the cheek while {Iruka:iruka} watched.",
        PEOPLE,
    )
    relationships.run(story, Context(Options()))
    assert story.tags.relationships == []
    # Nor is the mother Iruka, the only other person about: "mother" names a woman.
    assert ("iruka", "naruto") not in relationships.collect(story, Context(Options()))


def test_family_and_vocatives_in_dialogue():
    story = build_story(
        "{Sakura:sakura} sat down beside {Lee:lee}.\n\n"
        '"I am sorry, sister mine," {Lee:lee} said.\n\n'
        '"My brother is an idiot," {Sakura:sakura} told {him:lee}, and {her:sakura} brother laughed.',
        PEOPLE,
        [("lee", ["sakura"]), ("sakura", ["lee"])],
    )
    evidence = relationships.collect(story, Context(Options()))[("lee", "sakura")]
    assert [e.text for e in evidence.evidence["platonic"]] == [
        '"I am sorry, sister mine," Lee said.',
        '"My brother is an idiot," Sakura told him, and her brother laughed.',
    ]


# -- end to end, through every stage ------------------------------------------------------------------------


def test_example_story_is_kakashi_and_iruka(example_story):
    [pair] = example_story.tags.relationships
    assert (pair.kind, pair.tag) == ("romantic", "Hatake Kakashi/Umino Iruka")
    assert [example_story.character(c).name for c in pair.characters] == ["Hatake Kakashi", "Umino Iruka"]
    assert pair.evidence[0].text.startswith("Iruka kissed him, quickly")


def test_end_to_end_refusal_is_no_romance():
    import ficlens

    story = ficlens.analyze_text(
        "Sakura found Lee waiting at the gate.\n\n"
        '"Will you go out with me?" Lee asked.\n\n'
        "Sakura refused the kiss that Lee tried to steal. Lee did not kiss her again.\n\n"
        '"Friends," Sakura said firmly. Lee nodded.\n',
        fandom="naruto",
    )
    assert [r for r in story.tags.relationships if r.kind == "romantic"] == []


def test_reader_insert_is_named_reader_and_written_last():
    story = build_story(
        "You get home late and find {Dean:dean} in the kitchen with a pie.\n\n"
        '"Made it for you," {he:dean} says.\n\n'
        "{He:dean} tips your chin up with one finger and kisses you, slow and sweet.",
        {"dean": ("Dean", "M"), "sam": ("Sam", "M")},
        [("dean", [])],
        {"dean": "Dean Winchester"},
    )
    story.narrative.pov = "second"
    relationships.run(story, Context(Options()))
    [pair] = story.tags.relationships
    assert (pair.kind, pair.tag, pair.characters) == ("romantic", "Dean Winchester/Reader", ["dean", "reader"])
    assert [e.text for e in pair.evidence] == ["He tips your chin up with one finger and kisses you, slow and sweet."]
