"""Relationships stage on hand-built stories: exact pairs, kinds, tags and evidence."""

import pytest

import ficlens

from ficlens.pipeline import Context, Options
from ficlens.stages import relationships

from .story_builder import FIXTURES, build_story, fixture_text

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


# -- what a story is about: presence, dialogue, side characters, names ------------------------------------------

TEAM = {
    "naruto": ("Naruto", "M"),
    "sasuke": ("Sasuke", "M"),
    "kakashi": ("Kakashi", "M"),
}
TEAM_CANONICAL = {"naruto": "Uzumaki Naruto", "sasuke": "Uchiha Sasuke", "kakashi": "Hatake Kakashi"}


def test_two_teammates_talking_through_the_story_are_its_pair_and_their_teacher_is_not():
    story = build_story(
        fixture_text("relationships", "after_the_mission.txt"),
        TEAM,
        [("kakashi", ["naruto", "sasuke"]), ("naruto", ["sasuke"]), ("sasuke", ["naruto"]),
         ("naruto", ["sasuke"]), ("sasuke", ["naruto"]), ("naruto", ["sasuke"]), ("sasuke", ["naruto"]),
         ("naruto", ["sasuke"]), ("naruto", ["sasuke"]), ("naruto", ["sasuke"]), ("sasuke", ["naruto"])],
        TEAM_CANONICAL,
    )
    relationships.run(story, Context(Options()))
    [pair] = story.tags.relationships
    assert (pair.kind, pair.tag) == ("platonic", "Uchiha Sasuke & Uzumaki Naruto")
    # No bond is named: the evidence is the lines between them and the narration that names the two alone.
    assert [e.text for e in pair.evidence] == [
        '"You didn\'t have to jump in front of me,"',
        '"You were looking the wrong way, idiot."',
        '"I would have dodged!"',
        '"You would have died."',
        "Naruto wrapped it, too tight at first, then looser when Sasuke hissed.",
    ]
    # By interaction alone: 10 lines and 3 paragraphs shared, well under the confidence of a named bond.
    assert pair.confidence == pytest.approx(0.33)


def test_a_side_character_with_a_few_lines_is_in_no_pair():
    story = build_story(
        fixture_text("relationships", "dry_dock.txt"),
        {"butler": ("Bartholomew", "M"), "ines": ("Captain Ines Ortega", "F"), "dev": ("Dev", "M")},
        [("butler", ["ines"]), ("ines", ["butler"]), ("butler", ["ines"]), ("ines", ["butler"]), ("ines", ["butler"]),
         ("ines", ["dev"]), ("dev", ["ines"]), ("ines", ["dev"]), ("dev", ["ines"]), ("ines", ["dev"]),
         ("dev", ["ines"]), ("ines", ["dev"])],
    )
    relationships.run(story, Context(Options()))
    # The captain's title is no part of the tag.
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "Dev & Ines Ortega")]


def test_the_third_person_in_a_romantic_scene_is_paired_with_nobody():
    story = build_story(
        fixture_text("relationships", "third_in_the_room.txt"),
        {"harry": ("Harry", "M"), "ron": ("Ron", "M"), "hermione": ("Hermione", "F")},
        [("harry", ["ron", "hermione"]), ("hermione", ["harry"]), ("hermione", ["harry"]), ("ron", ["harry"]),
         ("ron", ["hermione"]), ("ron", ["hermione"])],
        {"harry": "Harry Potter", "ron": "Ron Weasley", "hermione": "Hermione Granger"},
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Hermione Granger/Ron Weasley")]


def test_a_narrator_called_by_name_only_in_others_lines_is_tagged_by_that_name():
    people = {"jonah": ("Jonah", "M"), "narrator": ("the narrator", None), "mara": ("Mara", None)}
    quotes = [("jonah", ["narrator"]), ("jonah", ["narrator"]), ("narrator", ["jonah"]), ("narrator", ["jonah"]),
              ("jonah", ["narrator"]), ("jonah", ["narrator"]), ("jonah", ["narrator"])]
    story = build_story(fixture_text("relationships", "the_night_ferry.txt"), people, quotes)
    for mention in story.mentions:
        if mention.character == "mara":
            mention.kind = "vocative"
    assert relationships.narrator_name(story) == ("narrator", "mara")
    relationships.run(story, Context(Options()))
    [pair] = story.tags.relationships
    assert (pair.kind, pair.tag, pair.characters) == ("romantic", "Jonah/Mara", ["jonah", "narrator"])


def test_an_unnamed_narrator_is_in_no_tag():
    # The same story with "Mara" never said: "Jonah/the narrator" names nobody a reader could filter on.
    text = fixture_text("relationships", "the_night_ferry.txt").replace('"{Mara:mara}," {he:jonah} said', '"Hey," {he:jonah} said')
    story = build_story(text, {"jonah": ("Jonah", "M"), "narrator": ("the narrator", None)},
                        [("jonah", ["narrator"]), ("jonah", ["narrator"]), ("narrator", ["jonah"]),
                         ("narrator", ["jonah"]), ("jonah", ["narrator"]), ("jonah", ["narrator"]),
                         ("jonah", ["narrator"])])
    assert relationships.narrator_name(story) is None
    relationships.run(story, Context(Options()))
    assert story.tags.relationships == []
    assert relationships.collect(story, Context(Options()))[("jonah", "narrator")].scores["romantic"] >= 2.0


def test_a_word_of_address_taken_for_a_name_is_paired_with_nobody():
    story = build_story(
        fixture_text("relationships", "the_drained_pool.txt"),
        {"kyle": ("Kyle", "M"), "marcus": ("Marcus", "M"), "dude": ("Dude", None)},
        [("marcus", ["dude"]), ("marcus", ["dude"]), ("dude", ["marcus"]), ("marcus", ["kyle"]),
         ("marcus", ["kyle"]), ("marcus", ["kyle"]), ("kyle", ["marcus"]), ("marcus", ["kyle"])],
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "Kyle & Marcus")]


@pytest.mark.parametrize(
    "names, expected",
    [
        ({"cas": "Castiel (Supernatural)", "dean": "Dean Winchester"}, "Castiel & Dean Winchester"),
        # Two names that only their disambiguators tell apart keep them.
        ({"cas": "Mai (Avatar)", "dean": "Mai (Naruto)"}, "Mai (Avatar) & Mai (Naruto)"),
    ],
)
def test_tags_drop_ao3_disambiguators_while_the_names_stay_distinct(names, expected):
    story = build_story("{Cas:cas} and {Dean:dean}.", {"cas": ("Cas", "M"), "dean": ("Dean", "M")}, [], names)
    assert relationships.relationship_tag(story, ("cas", "dean"), "platonic")[1] == expected


@pytest.mark.parametrize(
    "sentence, cue, unrealised",
    [
        ("He leaned in to kiss her.", "kiss", True),
        ("She tried to kiss him at the door.", "kiss", True),
        ("She stood on tiptoe and kissed him.", "kissed", False),
    ],
)
def test_an_attempted_kiss_is_no_kiss(sentence, cue, unrealised):
    doc = Context(Options()).nlp(sentence)
    token = next(t for t in doc if t.text == cue)
    assert relationships.is_unrealised(token) is unrealised


def test_lines_alone_without_a_shared_scene_make_no_pair():
    # Attribution gave the stallholders' lines to the one named vendor; the two never share a paragraph.
    story = build_story(
        '"Mackerel\'s good today!" {Mr Okada:okada} called from the fish stall.\n\n'
        '"Just the usual, thanks."\n\n'
        "{Yuki:yuki} walked on to the vegetable stall.\n\n"
        '"What can I get you, love?" the woman asked.\n\n'
        '"Onions, please."\n\n'
        "{Yuki:yuki} bought chestnuts from a boy and ate them on the bus home.",
        {"yuki": ("Yuki", "F"), "okada": ("Mr Okada", "M")},
        [("okada", ["yuki"]), ("yuki", ["okada"]), ("okada", ["yuki"]), ("yuki", ["okada"])],
    )
    relationships.run(story, Context(Options()))
    assert story.tags.relationships == []
    assert relationships.collect(story, Context(Options()))[("okada", "yuki")].lines == 4


def test_a_reader_insert_romance_needs_no_line_given_to_the_reader():
    story = build_story(
        "The power goes out and you find {Dean:dean} in the library with a flashlight.\n\n"
        '"Sam\'s swearing at the generator," {he:dean} says.\n\n'
        "You sit beside {him:dean}. {Dean:dean} looks at you sideways in the dark.\n\n"
        '"Where\'s the wrench?" {Sam:sam} yells from the corridor.\n\n'
        "You lean over and kiss {him:dean}, and {Dean:dean} kisses you back.",
        {"dean": ("Dean", "M"), "sam": ("Sam", "M")},
        [("dean", ["sam"]), ("sam", ["dean"])],
        {"dean": "Dean Winchester", "sam": "Sam Winchester"},
    )
    story.narrative.pov = "second"
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Dean Winchester/Reader")]


def test_tags_use_the_fullest_name_the_story_gives_without_its_title():
    story = build_story("{Cass:cass} and {Eli:eli}.", {"cass": ("Cass", "F"), "eli": ("Eli", "M")}, [])
    story.character("cass").aliases = ["Detective Cass Moreno", "Cass-chan"]
    story.character("eli").aliases = ["Eli Grant", "Mr Grant"]
    assert relationships.relationship_tag(story, ("cass", "eli"), "platonic")[1] == "Cass Moreno & Eli Grant"


def test_by_interaction_alone_a_character_is_in_one_pair():
    # Attribution gave Peter's last lines to Happy, who had left: by lines Tony & Happy lead, but Tony and
    # Peter are the two most present and share more of the narration.
    story = build_story(
        "{Peter:peter} lay under the bench in the workshop, handing {Tony:tony} wrenches.\n\n"
        '"Seven-sixteenths," {Tony:tony} said. {Peter:peter} held it up.\n\n'
        '"May\'s going to kill me," {Peter:peter} said.\n\n'
        '"{Happy:happy} can drive you home," {Tony:tony} said.\n\n'
        '"I\'m leaving," said {Happy:happy}, and left. {Tony:tony} waved.\n\n'
        '"Tell me about the thing," {Tony:tony} said.\n\n'
        '"What thing?"\n\n'
        '"The servo thing."\n\n'
        '"A guy at school keeps saying I made the internship up."\n\n'
        '"So let him."\n\n'
        '"It isn\'t that easy."\n\n'
        "{Tony:tony} nudged {Peter:peter}'s knee with {his:tony} own, and {Peter:peter} grinned.",
        {"tony": ("Tony", "M"), "peter": ("Peter", "M"), "happy": ("Happy", "M")},
        [("tony", ["peter"]), ("peter", ["tony"]), ("tony", ["peter"]), ("happy", ["tony"]),
         ("tony", ["happy"]), ("happy", ["tony"]), ("tony", ["happy"]), ("happy", ["tony"]),
         ("tony", ["happy"]), ("happy", ["tony"])],
        {"tony": "Tony Stark", "peter": "Peter Parker", "happy": "Happy Hogan"},
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "Peter Parker & Tony Stark")]
    evidence = relationships.collect(story, Context(Options()))
    assert evidence[("happy", "tony")].lines > evidence[("peter", "tony")].lines


def test_a_mother_saying_i_love_you_is_family_not_romance():
    story = build_story(
        '"You\'re really my mom?" {Naruto:naruto} asked.\n\n'
        '"I\'m really your mom," {Kushina:kushina} said, and hugged {him:naruto}.\n\n'
        '"Whatever happens, I love you," {Kushina:kushina} told {her:kushina} son.',
        {"naruto": ("Naruto", "M"), "kushina": ("Kushina", "F")},
        [("naruto", ["kushina"]), ("kushina", ["naruto"]), ("kushina", ["naruto"])],
        {"naruto": "Uzumaki Naruto", "kushina": "Uzumaki Kushina"},
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "Uzumaki Kushina & Uzumaki Naruto")]


def test_something_more_said_to_one_person_is_between_speaker_and_listener():
    story = build_story(
        "{Noor:noor} stepped under {Sebastian:sebastian}'s umbrella.\n\n"
        '"I walk here from across town on Tuesdays," {Sebastian:sebastian} said.\n\n'
        '"I\'d like it to be something more," {Sebastian:sebastian} said.\n\n'
        "{Noor:noor} laced {her:noor} fingers through {his:sebastian}.",
        {"noor": ("Noor", "F"), "sebastian": ("Sebastian", "M")},
        [("sebastian", ["noor"]), ("sebastian", ["noor"])],
    )
    relationships.run(story, Context(Options()))
    [pair] = story.tags.relationships
    assert (pair.kind, pair.tag) == ("romantic", "Noor/Sebastian")
    # Laced fingers alone (1.5) are below the bar for a romance: the words said to her carry it.
    assert [e.text for e in pair.evidence] == [
        '"I\'d like it to be something more," Sebastian said.',
        "Noor laced her fingers through his.",
    ]


def test_a_narrator_whose_name_the_characters_stage_kept_as_an_alias_is_tagged_by_it():
    text = fixture_text("relationships", "the_night_ferry.txt").replace("{Mara:mara}", "Mara")
    story = build_story(text, {"jonah": ("Jonah", "M"), "narrator": ("the narrator", None)},
                        [("jonah", ["narrator"]), ("jonah", ["narrator"]), ("narrator", ["jonah"]),
                         ("narrator", ["jonah"]), ("jonah", ["narrator"]), ("jonah", ["narrator"]),
                         ("jonah", ["narrator"])])
    story.character("narrator").aliases = ["I", "Mara"]
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Jonah/Mara")]


@pytest.mark.parametrize(
    "line, kin",
    [
        ('"Your dad teach you that?" {Bobby:bobby} asked {Dean:dean}.', False),  # the dad is someone else
        ('"I\'m really your dad," {Bobby:bobby} told {Dean:dean}.', True),  # the speaker is
        ('"You\'re really my dad?" {Dean:dean} asked {Bobby:bobby}.', True),  # the listener is
    ],
)
def test_who_a_kin_word_in_a_line_names(line, kin):
    speaker, listener = ("dean", "bobby") if line.endswith("{Bobby:bobby}.") else ("bobby", "dean")
    story = build_story(line, {"bobby": ("Bobby", "M"), "dean": ("Dean", "M")}, [(speaker, [listener])])
    found = relationships.collect(story, Context(Options())).get(("bobby", "dean"))
    assert bool(found and found.kin) is kin


def test_a_kiss_whose_her_went_to_someone_long_gone_belongs_to_the_one_about():
    # The characters stage gave "her" to the suitor who left three paragraphs before.
    story = build_story(
        '"Will you dance with me, {Miss Clara:clara}?" {Edmund:edmund} asked.\n\n'
        '"Perhaps later," {Clara:clara} said. {Edmund:edmund} bowed and went to the cider barrels.\n\n'
        "{Felix:felix} was sitting on the orchard wall, tuning {his:felix} fiddle.\n\n"
        '"I\'ve waited all summer for you to ask me," {Clara:clara} told {him:felix}.\n\n'
        '"{Clara:clara}," {Felix:felix} said.\n\n'
        "{He:felix} put the fiddle down, took {her:edmund} face in {his:felix} hands, and kissed {her:edmund}.",
        {"clara": ("Clara", "F"), "edmund": ("Edmund", "M"), "felix": ("Felix", "M")},
        [("edmund", ["clara"]), ("clara", ["edmund"]), ("clara", ["felix"]), ("felix", ["clara"])],
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Clara/Felix")]


def test_a_title_and_a_first_name_give_way_to_the_full_name():
    story = build_story("{Sir Aldric:aldric} and {Tomas:tomas}.", {"aldric": ("Sir Aldric", "M"), "tomas": ("Tomas", "M")}, [])
    story.character("aldric").aliases = ["Sir Aldric Vane"]
    assert relationships.relationship_tag(story, ("aldric", "tomas"), "platonic")[1] == "Aldric Vane & Tomas"


def test_a_story_in_lower_case_still_names_its_pair_but_not_a_description():
    story = build_story(
        fixture_text("relationships", "the_drained_pool.txt"),
        {"kyle": ("kyle", "M"), "marcus": ("marcus", "M"), "dude": ("the dude", None)},
        [("marcus", ["dude"]), ("marcus", ["dude"]), ("dude", ["marcus"]), ("marcus", ["kyle"]),
         ("marcus", ["kyle"]), ("marcus", ["kyle"]), ("kyle", ["marcus"]), ("marcus", ["kyle"])],
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "kyle & marcus")]


def test_a_kiss_on_the_forehead_alone_is_no_romance():
    story = build_story(
        "{Hana:hana} helped {Mei:mei} fold the dumplings all afternoon.\n\n"
        '"You fold them too fat," {Mei:mei} said.\n\n'
        '"You fold them too thin," {Hana:hana} said.\n\n'
        "At the gate {Mei:mei} gave {her:hana} a kiss on the forehead and waved until the bus was gone.",
        {"hana": ("Hana", "F"), "mei": ("Mei", "F")},
        [("mei", ["hana"]), ("hana", ["mei"])],
    )
    assert relationships.collect(story, Context(Options()))[("hana", "mei")].scores["romantic"] == 1.0
    relationships.run(story, Context(Options()))
    assert [r.kind for r in story.tags.relationships if r.kind == "romantic"] == []


def test_someone_called_by_a_kinship_word_is_in_no_romance():
    story = build_story(
        "{Hana:hana} visited {Obaachan:obaachan} every Sunday.\n\n"
        '"You\'re too thin," {Obaachan:obaachan} said.\n\n'
        '"I eat!" {Hana:hana} said.\n\n'
        "{Obaachan:obaachan} kissed {her:hana} at the gate, and {Hana:hana} kissed {her:obaachan} back.",
        {"hana": ("Hana", "F"), "obaachan": ("Obaachan", "F")},
        [("obaachan", ["hana"]), ("hana", ["obaachan"])],
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "Hana & Obaachan")]


def test_two_people_in_alternating_paragraphs_who_share_one_are_the_pair():
    # Each is named alone in the narration until the last paragraph; no bond is named.
    story = build_story(
        "{Iroh:iroh} poured two cups of tea. \"Sit, nephew.\"\n\n"
        "{Zuko:zuko} sat, scowling. \"I'm not finished sweeping.\"\n\n"
        "\"The floor will wait,\" {Iroh:iroh} said.\n\n"
        "\"I saw a poster with my face on it,\" {Zuko:zuko} said.\n\n"
        "\"Your father will always be looking.\"\n\n"
        "\"I don't know what I want.\"\n\n"
        "\"That is a good beginning.\"\n\n"
        "{Iroh:iroh} held out his cup, and {Zuko:zuko} filled it.",
        {"iroh": ("Iroh", "M"), "zuko": ("Zuko", "M")},
        [("iroh", ["zuko"]), ("zuko", ["iroh"]), ("iroh", ["zuko"]), ("zuko", ["iroh"]), ("iroh", ["zuko"]),
         ("zuko", ["iroh"]), ("iroh", ["zuko"])],
        {"iroh": "Iroh (Avatar)", "zuko": "Zuko (Avatar)"},
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "Iroh & Zuko")]


def test_a_person_the_narration_names_once_is_no_pair_by_lines_alone():
    # The vendor's name is in the narration once; attribution gave him every stallholder's line.
    story = build_story(
        "{Yuki:yuki} went to the market with {Mr Okada:okada}'s list in her pocket.\n\n"
        '"Mackerel\'s good today," the fishmonger called to {Yuki:yuki}.\n\n'
        '"Just the usual."\n\n'
        '"Onions, please," {Yuki:yuki} said at the next stall.\n\n'
        '"Three fifty."\n\n'
        "{Yuki:yuki} ate chestnuts on the bus home.",
        {"yuki": ("Yuki", "F"), "okada": ("Mr Okada", "M")},
        [("okada", ["yuki"]), ("yuki", ["okada"]), ("yuki", ["okada"]), ("okada", ["yuki"])],
    )
    assert relationships.collect(story, Context(Options()))[("okada", "yuki")].together == {0, 1}
    relationships.run(story, Context(Options()))
    assert story.tags.relationships == []


def test_kin_words_of_address_do_not_make_a_married_couple_kin():
    # Attribution gave the child's "daddy" lines to his mother.
    story = build_story(
        '"Is Mummy coming down today, daddy?" {Brenda:brenda} asked.\n\n'
        '"Sounds foreign, doesn\'t she, daddy?" {Brenda:brenda} said.\n\n'
        "{Tony:tony} kissed {Brenda:brenda} at the station, and {she:brenda} kissed {him:tony} back.\n\n"
        "{Tony:tony} had married {Brenda:brenda} seven years before.",
        {"brenda": ("Brenda", "F"), "tony": ("Tony", "M")},
        [("brenda", ["tony"]), ("brenda", ["tony"])],
    )
    evidence = relationships.collect(story, Context(Options()))[("brenda", "tony")]
    assert evidence.kin == set() and evidence.scores["platonic"] == 3.0
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Brenda/Tony")]


def test_a_pair_in_every_scene_outranks_a_pair_that_talks_in_one():
    story = build_story(
        "{Ash:ash} and {Gary:gary} met at the edge of the lab.\n\n"
        '"Ready?" {Oak:oak} asked {Ash:ash}.\n\n"Ready," {Ash:ash} said.\n\n"Pokedex?"\n\n"Here."\n\n'
        '"Good luck," {Oak:oak} told {Ash:ash}, and {Ash:ash} grinned at {Oak:oak}.\n\n'
        "**\n\n"
        "{Ash:ash} caught up with {Gary:gary} on the road.\n\n"
        '"Rematch?" {Gary:gary} asked.\n\n"Rematch," {Ash:ash} said.\n\n'
        "**\n\n"
        "At sunset {Gary:gary} and {Ash:ash} sat in the grass.\n\n"
        '"You got better," {Gary:gary} said, and {Ash:ash} laughed.',
        {"ash": ("Ash", "M"), "gary": ("Gary", "M"), "oak": ("Oak", "M")},
        [("oak", ["ash"]), ("ash", ["oak"]), ("oak", ["ash"]), ("ash", ["oak"]), ("oak", ["ash"]),
         ("gary", ["ash"]), ("ash", ["gary"]), ("gary", ["ash"])],
        {"ash": "Ash Ketchum", "gary": "Gary Oak", "oak": "Professor Oak"},
    )
    evidence = relationships.collect(story, Context(Options()))
    assert evidence[("ash", "oak")].lines > evidence[("ash", "gary")].lines
    ash_gary = evidence[("ash", "gary")]
    assert len(ash_gary.scenes) == 3
    # Two scenes beyond the first add 2 each to their exchange.
    assert ash_gary.interaction() == ash_gary.lines + len(ash_gary.together) + 4
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("platonic", "Ash Ketchum & Gary Oak")]


def test_a_date_asked_for_and_a_hand_that_finds_his_make_a_romance():
    story = build_story(
        '"Do you want to go? With me. As a date," {Shikamaru:shikamaru} said.\n\n'
        '"Was that so hard?" {Temari:temari} asked.\n\n'
        "Between the stalls, {Temari:temari}'s hand found {his:shikamaru}, and {Shikamaru:shikamaru} did not let go.",
        {"shikamaru": ("Shikamaru", "M"), "temari": ("Temari", "F")},
        [("shikamaru", ["temari"]), ("temari", ["shikamaru"])],
    )
    relationships.run(story, Context(Options()))
    [pair] = story.tags.relationships
    assert (pair.kind, pair.tag) == ("romantic", "Shikamaru/Temari")
    assert "Between the stalls, Temari's hand found his, and Shikamaru did not let go." in [e.text for e in pair.evidence]


def test_a_pairing_declared_in_the_note_is_tagged_with_the_note_as_evidence():
    import ficlens

    story = ficlens.analyze(str(FIXTURES / "relationships" / "declared_in_the_note.txt"))
    tags = {r.tag: r for r in story.tags.relationships}
    # "Sokka/Suki" and "Zuko & Sokka" are declared; "TW/CW" and "A/N" name nobody; "Katara and Aang" is a list.
    assert set(tags) == {"Sokka/Suki", "Sokka & Zuko"}
    assert tags["Sokka/Suki"].kind == "romantic"
    assert tags["Sokka/Suki"].evidence[0].text == "A/N: Pairing: Sokka/Suki, with Zuko & Sokka friendship in the background."
    assert tags["Sokka & Zuko"].kind == "platonic"


@pytest.mark.parametrize(
    "lines, romantic",
    [
        # Talk of someone else's wedding ties nobody: not the two in the room, not speaker and listener.
        (['"I love a wedding," {Donna:donna} told {Theo:theo}.', '"Marriage. Obviously," {Theo:theo} said.'], False),
        (['"Will you marry me?" {Donna:donna} asked {Theo:theo}.', '"Yes," {Theo:theo} said.'], True),
    ],
)
def test_romance_words_said_to_one_listener(lines, romantic):
    story = build_story("\n\n".join(lines), {"donna": ("Donna", "F"), "theo": ("Theo", "M")},
                        [("donna", ["theo"]), ("theo", ["donna"])])
    found = relationships.collect(story, Context(Options())).get(("donna", "theo"))
    assert (found is not None and found.scores["romantic"] > 0) is romantic


def test_a_hand_laid_over_his_and_fingers_closing_around_hers_make_a_romance():
    story = build_story(
        '"I never forgot the water tower," {Cloud:cloud} said.\n\n'
        "{Tifa:tifa} reached across the counter and laid {her:tifa} hand over {his:cloud}.\n\n"
        "{He:cloud} turned {his:cloud} hand over, and {his:cloud} fingers closed around {hers:tifa}.",
        {"cloud": ("Cloud", "M"), "tifa": ("Tifa", "F")},
        [("cloud", ["tifa"])],
    )
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Cloud/Tifa")]



def test_a_narrator_the_note_names_as_the_point_of_view_is_tagged_by_that_name():
    from ficlens.model import AUTHOR_NOTE

    story = build_story(
        "A/N: Mara POV. Jonah/Mara, just soft.\n\n"
        '"Wake me at the island," {Jonah:jonah} told {me:narrator}.\n\n'
        "{Mara Quinn:mara} had been promised many things on this ferry, most of them by {Jonah:jonah}.\n\n"
        "{I:narrator} kissed {Jonah:jonah}, and {he:jonah} kissed {me:narrator} back.",
        {"narrator": ("the narrator", None), "jonah": ("Jonah", "M"), "mara": ("Mara Quinn", "F")},
        [("jonah", ["narrator"])],
    )
    story.blocks[0].kind = AUTHOR_NOTE  # the note is paratext, not a paragraph of the body
    story.paragraphs.pop(0)
    relationships.run(story, Context(Options()))
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Jonah/Mara Quinn")]


def test_whose_husband_is_not_read_across_a_scene_break():
    story = build_story(
        '"Don\'t push it," {Jin Ling:jin} told {Wei Wuxian:wei}.\n\n'
        "**\n\n"
        "That night, {Wei Wuxian:wei} lies with {his:wei} head on {his:wei} husband's chest.",
        {"wei": ("Wei Wuxian", "M"), "jin": ("Jin Ling", "M")},
        [("jin", ["wei"])],
    )
    found = relationships.collect(story, Context(Options())).get(("jin", "wei"))
    assert found is None or found.scores["romantic"] == 0


def test_two_cousins_the_narration_names_once_who_talk_are_a_pair_beside_a_romance():
    story = build_story(
        '"Outside, you damn rat," {Kyo:kyo} said.\n\n'
        '"If you insist," {Yuki:yuki} said.\n\n'
        "{Kyo:kyo} caught {Yuki:yuki}'s wrist, and the two cousins stood locked together.\n\n"
        '"You were open on the left," {Yuki:yuki} told {him:kyo}.\n\n'
        "{Tohru:tohru} found {Kyo:kyo} on the roof that night.\n\n"
        '"I want something more," {Kyo:kyo} told {her:tohru}.\n\n'
        '"Me too," {Tohru:tohru} said, and kissed {him:kyo}.',
        {"kyo": ("Kyo", "M"), "yuki": ("Yuki", "M"), "tohru": ("Tohru", "F")},
        [("kyo", ["yuki"]), ("yuki", ["kyo"]), ("yuki", ["kyo"]), ("kyo", ["tohru"]), ("tohru", ["kyo"])],
    )
    relationships.run(story, Context(Options()))
    assert sorted((r.kind, r.tag) for r in story.tags.relationships) == [
        ("platonic", "Kyo & Yuki"), ("romantic", "Kyo/Tohru")]


def test_a_reader_named_y_n_is_the_reader_of_the_tag():
    # the characters stage makes the reader of a story told to "you" a character ("Y/N"); the tag still
    # names them "Reader", once (it was "Bucky Barnes/Y/N")
    story = ficlens.analyze_text(fixture_text("relationships", "reader_named_yn.txt"))
    assert [c.name for c in story.characters] == ["Y/N", "Bucky"]
    assert [(r.kind, r.tag) for r in story.tags.relationships] == [("romantic", "Bucky Barnes/Reader")]
