"""Characters stage: "the old gentleman", "the doctor" in narration as the named person the text describes so,
by apposition ("Mr. Pellingham, the old gentleman,") or by naming and describing them in the same breath
(tests/fixtures/characters_role_*.txt, written for these tests)."""

from pathlib import Path

from ficlens.ingest import from_text
from ficlens.pipeline import Options, run
from ficlens.stages.characters import description_character

FIXTURES = Path(__file__).parent / "fixtures"
STAGES = ("structure", "quotes", "characters")


def analyse(name: str):
    story = from_text((FIXTURES / name).read_text(encoding="utf-8"))
    return run(story, Options(stages=STAGES))


def described(story, phrase: str) -> list[str | None]:
    """The character each narrated use of ``phrase`` (after a speech verb) was resolved to, by name."""
    out = []
    start = story.text.find("said " + phrase)
    while start >= 0:
        a = start + len("said ")
        who = description_character(story, a, a + len(phrase))
        out.append(story.character(who).name if who else None)
        start = story.text.find("said " + phrase, a)
    return out


def test_apposition_names_the_description():
    story = analyse("characters_role_apposed.txt")
    assert sorted(c.name for c in story.characters) == ["Mr. Oakes", "Mr. Pellingham", "Tom"]
    assert described(story, "the old gentleman") == ["Mr. Pellingham", "Mr. Pellingham"]
    assert described(story, "the doctor") == ["Mr. Oakes"]


def test_named_and_described_in_the_same_breath():
    # Mr. Crane is named only where "the old man" is said (a third of the paragraphs, with those after them),
    # Harriet everywhere, and "the old man" cannot be her
    story = analyse("characters_role_described.txt")
    assert described(story, "the old man") == ["Mr. Crane", "Mr. Crane", "Mr. Crane"]


def test_description_beside_two_people_stays_unresolved_and_a_family_stays_apart():
    # Mr. Crane and Mr. Blaine are named together beside every use: no one person is "the old man"; Mrs. Crane
    # shares Mr. Crane's surname and is someone else
    story = analyse("characters_role_unsettled.txt")
    assert described(story, "the old man") == [None, None, None]
    names = sorted(c.name for c in story.characters)
    assert names == ["Mr. Blaine", "Mr. Crane", "Mrs. Crane"]


def test_a_bare_man_beside_a_named_man_stays_unresolved():
    # "the man" Mr. Crane finds at the stable is the groom he speaks to, not Mr. Crane: a noun said of anyone
    # (lexicons/nominals.txt "generic") is tied to a name only by an apposition, where "the old man" is also
    # tied by being said beside one name
    story = analyse("characters_role_generic.txt")
    assert described(story, "the man") == [None, None, None]


def speakers(story) -> dict[str, str | None]:
    """Each quotation's opening words -> the name of its speaker (attribution run too)."""
    run(story, Options(stages=("attribution",)))
    out = {}
    for q in story.quotes:
        character = story.character(q.speaker) if q.speaker else None
        out[story.text[q.start + 1 : q.end].split(",")[0].split("?")[0]] = character.name if character else None
    return out


def test_an_epithet_is_the_name_the_replies_call_him_by():
    # "the Tinker" speaks, and every reply beside his lines calls him "Jobling": one person, named Jobling
    story = analyse("characters_epithet_addressed.txt")
    assert sorted(c.name for c in story.characters) == ["Jobling", "Mrs. Hale"]
    assert "the Tinker" in story.characters[[c.name for c in story.characters].index("Jobling")].aliases
    said = speakers(story)
    assert said["Any pots to mend"] == "Jobling"
    assert said["That's good tea"] == "Jobling"
    assert said["Not today"] == "Mrs. Hale"


def test_an_epithet_the_replies_give_two_names_stays_apart():
    # the replies beside "the Tinker" call on Jobling and on Barnes alike: he is neither for certain
    story = analyse("characters_epithet_two_names.txt")
    assert sorted(c.name for c in story.characters) == ["Barnes", "Jobling", "Mrs. Hale", "the Tinker"]


def test_an_epithet_in_apposition_with_a_name_is_that_person():
    story = analyse("characters_epithet_apposed.txt")
    assert sorted(c.name for c in story.characters) == ["Jobling", "Mr. Hale", "Mrs. Hale"]
    said = speakers(story)
    assert said["Any pots to mend"] == "Jobling"
    assert said["Me again"] == "Jobling"


def test_an_epithet_in_a_list_of_names_is_no_apposition():
    # "Mrs. Hale, the Tinker, and the Carter": three people, not Mrs. Hale called the Tinker
    story = analyse("characters_epithet_listed.txt")
    assert sorted(c.name for c in story.characters) == ["Mrs. Hale", "the Carter", "the Tinker"]


def test_a_person_brought_in_with_a_description_is_that_description_after():
    # "Mr. Oakes, a doctor of the town," brings him in: "the doctor" after is he
    story = analyse("characters_role_introduced.txt")
    assert described(story, "the doctor") == ["Mr. Oakes", "Mr. Oakes"]


def test_a_description_in_a_list_of_names_is_no_apposition():
    # "Tom, the doctor, and Rose" are three people: the doctor is not Tom
    story = analyse("characters_role_listed.txt")
    assert described(story, "the doctor") == [None]


def test_a_name_after_a_kin_word_and_a_comma_that_opens_the_next_clause_is_not_that_kin():
    # "with her father, Ralph made no comment": Ralph is not her father; Mr. Hale, of her family, is
    story = analyse("characters_kin_comma_clause.txt")
    assert described(story, "her father") == ["Mr. Hale"]


def test_a_calling_in_apposition_is_the_person_so_called():
    # "pianist" is a calling of lexicons/nominals.txt: "said the pianist" is Miss Reed, not someone new
    story = analyse("characters_role_pianist.txt")
    assert described(story, "the pianist") == ["Miss Reed"]


def test_his_brother_in_a_tag_is_the_brother_of_the_one_his_line_addresses():
    # Berry is the last man the narration names, but "his brother" speaks to Frank: Frank's brother, Maurice
    story = analyse("characters_kin_addressed.txt")
    assert described(story, "his brother") == ["Maurice Oakley"]


def test_any_noun_set_beside_a_name_is_that_person():
    # "beadle" and "undertaker" are in no word list: "Mr. Crumble, the beadle," ties the one to the other, and
    # "said the beadle" is his line.  "Jane, the eldest," does not make "the eldest" an epithet (a word of
    # lexicons/epithet_stopwords.txt)
    story = run(from_text((FIXTURES / "characters_epithet_any_noun.txt").read_text(encoding="utf-8")),
                Options(stages=STAGES + ("attribution",)))
    by_name = {c.name: c for c in story.characters}
    assert "the beadle" in by_name["Mr. Crumble"].aliases
    assert "the undertaker" in by_name["Mr. Pike"].aliases
    assert "the beadle" not in by_name and "the undertaker" not in by_name
    assert not any("the eldest" in c.aliases for c in story.characters)
    speakers = [story.character(q.speaker).name if q.speaker else None for q in story.quotes]
    assert speakers[:7] == ["Mr. Crumble", "Mr. Crumble", "Mr. Pike", "Mr. Crumble", "Mr. Pike", "Mr. Crumble",
                            "Mr. Pike"]


def test_a_name_after_said_to_is_someone_spoken_to_not_a_place():
    # Harriet is named three times, never as a subject: "to Harriet" after "said Mr. Brandon" makes her a person
    # (lexicons/address_verbs.txt and the speech verbs), and the bare lines that answer him are hers
    story = run(from_text((FIXTURES / "characters_spoken_to.txt").read_text(encoding="utf-8")),
                Options(stages=STAGES + ("attribution",)))
    assert "Harriet" in {c.name for c in story.characters}
    speakers = [story.character(q.speaker).name if q.speaker else None for q in story.quotes]
    assert speakers == ["Mr. Brandon", "Harriet", "Mr. Brandon", "Harriet", "Mr. Brandon"]


def test_who_was_and_a_name_ties_the_description():
    # '"Has anyone seen my racket?" said the boy, who was Timothy, Ann's brother.': "the boy" is Timothy there
    # and in the tags after it
    story = analyse("characters_role_who_was.txt")
    assert sorted(c.name for c in story.characters) == ["Ann", "Mrs. Ashdown", "Timothy"]
    assert described(story, "the boy") == ["Timothy", "Timothy"]
