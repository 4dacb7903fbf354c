"""Motifs stage: flowers read in the language of flowers (with giver and recipient), and recurring objects."""

import re

import pytest

from ficlens import lexicons
from ficlens.pipeline import Context, Options
from ficlens.stages import motifs

from .story_builder import build_story, fixture_text

PEOPLE = {
    "iruka": ("Iruka", "M"),
    "kakashi": ("Kakashi", "M"),
    "sakura": ("Sakura", "F"),
    "lee": ("Lee", "M"),
    "ino": ("Ino", "F"),
}


def analyse(name, quotes=None):
    story = build_story(fixture_text("motifs", name), PEOPLE, quotes)
    motifs.run(story, Context(Options()))
    return story


@pytest.fixture(scope="module")
def flowers():
    return analyse("flowers.txt", [(None, [])]).motifs.flowers


def test_every_flower_with_its_meaning_giver_and_recipient(flowers):
    assert [(f.text, f.flower, f.meaning, f.giver, f.recipient) for f in flowers] == [
        ("white lilies", "lily, white", "Purity; sweetness", "kakashi", "iruka"),
        ("red roses", "rose, red", "Love; passionate love", "kakashi", "iruka"),
        ("yellow roses", "rose, yellow", "Decrease of love; jealousy", "iruka", "kakashi"),
        ("striped carnation", "carnation, striped", "Refusal", None, None),
        ("sakura", "cherry blossom", "Good education", None, None),
        ("forget-me-nots", "forget-me-not", "True love; forget me not", "ino", "sakura"),
        ("roses", "rose", "Love", "lee", "sakura"),
    ]


def test_spans_point_at_the_flowers():
    story = analyse("flowers.txt", [(None, [])])
    assert all(story.text[f.start : f.end] == f.text for f in story.motifs.flowers)


def test_not_flowers(flowers):
    texts = [f.text.lower() for f in flowers]
    # "Sakura rose from her chair", "lily-white", "the iris of each eye", "a girl called Rose", "Rose said",
    # "Sakura" the character, "a lilac dress": none of them is a flower.
    assert "rose" not in texts
    assert not {"lily", "iris", "lilac"} & set(texts)
    assert texts.count("sakura") == 1  # the petals, not the girl


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("She rose early.", []),
        ("Roses climbed the wall.", ["rose"]),
        ("Rose laughed at him.", []),
        ("Her violet eyes widened.", []),
        ("A vase of violets stood on the sill.", ["violet"]),
        ("The rose garden was quiet.", ["rose"]),
        ("He wore a rose-tinted smile.", []),
        ("Irises lined the path.", ["iris"]),
        ("He brought her a pink carnation and a dozen red tulips.", ["carnation, pink", "tulip, red"]),
        ("A sprig of rosemary, for remembrance.", ["rosemary"]),
        ("He left a single orange flower on the grave.", []),
        ("The walk to Lavender Town was long.", []),
    ],
)
def test_flower_or_not(sentence, expected):
    story = build_story(sentence, {})
    assert [f.flower for f in motifs.find_flowers(story, Context(Options()))] == expected


def test_a_bouquet_taken_later_names_its_recipient():
    story = build_story(
        "{Kakashi:kakashi} sighed and brought out a small bunch of flowers: three red roses and a single "
        "striped carnation.\n\n\"Ino picked them,\" {Kakashi:kakashi} said.\n\n{Iruka:iruka} laughed. {He:iruka} "
        "took the flowers.",
        PEOPLE,
        [("kakashi", ["iruka"])],
    )
    found = motifs.find_flowers(story, Context(Options()))
    assert [(f.flower, f.giver, f.recipient) for f in found] == [
        ("rose, red", "kakashi", "iruka"),
        ("carnation, striped", "kakashi", "iruka"),
    ]


def test_thanks_for_the_flowers_names_giver_and_recipient():
    story = build_story(
        '"Thank you for the tulips," {Iruka:iruka} told {Kakashi:kakashi}.', PEOPLE, [("iruka", ["kakashi"])]
    )
    [tulips] = motifs.find_flowers(story, Context(Options()))
    assert (tulips.flower, tulips.giver, tulips.recipient) == ("tulip", "kakashi", "iruka")


def test_recurring_objects():
    story = analyse("objects.txt", [("iruka", ["kakashi"])])
    assert [(m.motif, m.count) for m in story.motifs.objects] == [
        ("rain", 3),
        ("umbrella", 3),
        ("mask", 2),
        ("scarf", 2),
    ]
    umbrella = story.motifs.objects[1]
    assert [story.text[s.start : s.end] for s in umbrella.occurrences] == ["umbrella"] * 3
    # "moment" recurs too, but is no object; hand, face and neck are body parts.
    assert not {"moment", "hand", "face", "neck", "day"} & {m.motif for m in story.motifs.objects}


def test_flower_lexicon_size_source_and_colour_variants():
    data = lexicons.load_json("flowers.json")
    assert "Greenaway" in data["source"] and "1884" in data["source"]
    entries = {e["flower"]: e for e in data["flowers"]}
    assert len(entries) >= 150
    assert entries["carnation, striped"]["meaning"] == "Refusal"
    assert len({entries[f"rose, {c}"]["meaning"] for c in ("red", "white", "yellow")}) == 3
    for entry in data["flowers"]:
        assert entry["meaning"] and entry["source"] and entry["names"]
        assert all(name == name.lower() and not re.search(r"\s{2}", name) for name in entry["names"])
    every_name = [n for e in data["flowers"] for n in e["names"]]
    assert len(every_name) == len(set(every_name)), "a surface form belongs to one flower only"


def test_example_story_bouquet(example_story):
    names = {c.id: c.name for c in example_story.characters}
    assert [
        (f.text, f.meaning, names.get(f.giver), names.get(f.recipient)) for f in example_story.motifs.flowers
    ] == [
        ("red roses", "Love; passionate love", "Hatake Kakashi", "Umino Iruka"),
        ("forget-me-nots", "True love; forget me not", "Hatake Kakashi", "Umino Iruka"),
        ("striped carnation", "Refusal", "Hatake Kakashi", "Umino Iruka"),
        ("roses", "Love", "Hatake Kakashi", "Umino Iruka"),  # "Thank you. For the roses," says Iruka
    ]
    assert {"rain", "umbrella"} <= {m.motif for m in example_story.motifs.objects}
