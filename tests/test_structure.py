"""The structure stage on short stories written for these tests (tests/fixtures/structure/).

Each test states the exact blocks (kind and text) a reader would mark on the page.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from ficlens.ingest import from_text
from ficlens.model import Block, Story
from ficlens.pipeline import Context
from ficlens.stages import structure

FIXTURES = Path(__file__).parent / "fixtures" / "structure"


def analysed(text: str, **preset) -> Story:
    story = from_text(text)
    story.preset_blocks = preset.get("preset_blocks", [])
    structure.run(story, Context())
    return story


def fixture(name: str) -> Story:
    # Bytes decoded as they are: CRLF stays CRLF, as the UTF-8 reader keeps it.
    return analysed((FIXTURES / name).read_bytes().decode("utf-8"))


def blocks(story: Story) -> list[tuple[str, str]]:
    return [(b.kind, story.span_text(b)) for b in story.blocks]


def paragraph_texts(story: Story) -> list[str]:
    return [story.span_text(p) for p in story.paragraphs]


def test_example_story_is_told_from_its_paratext():
    text = resources.files("ficlens").joinpath("examples/spur_of_the_moment.txt").read_bytes().decode("utf-8")
    story = analysed(text)
    assert [b.kind for b in story.blocks] == [
        "title", "author_note", "disclaimer", "scene_break", "body", "scene_break", "body", "scene_break",
        "author_note",
    ]  # fmt: skip
    found = blocks(story)
    assert found[0] == ("title", "The Things We Carry Home: Chapter One")
    assert found[1][1].startswith("This was a spur of the moment one-shot")
    assert found[1][1].endswith("Hope you enjoy!")
    assert found[2] == ("disclaimer", "Disclaimer: I don't own Naruto. If I did, Kakashi would have had a vacation.")
    assert found[3] == found[5] == found[7] == ("scene_break", "**")
    assert found[4][1].startswith("The Academy was empty") and found[4][1].endswith("neither of them moved away.")
    assert found[6][1].startswith("They walked home") and found[6][1].endswith("what his face was doing.")
    assert found[8][1].startswith("A/N: Thank you for reading!")
    assert story.metadata == {"title": "The Things We Carry Home", "chapter_number": 1}
    assert [(c.number, c.title) for c in story.chapters] == [(1, None)]
    assert len(story.scenes) == 2
    assert len(story.paragraphs) == 20
    assert {p.scene for p in story.paragraphs} == {0, 1}


def test_title_with_chapter_words_unlabelled_note_disclaimer_and_closer():
    story = fixture("defiance.txt")
    assert blocks(story) == [
        ("title", "Defiance: Chapter Seven"),
        ("author_note", "Sorry for the long wait, guys! Exams ate my whole life. This chapter is a bit shorter, "
                        "but the next one is almost done."),
        ("disclaimer", "Naruto belongs to Masashi Kishimoto."),
        ("body", "Sakura counted the lanterns along the river twice, because the first time her hands were "
                 "shaking.\n\nShe hoped they would enjoy the party. Ino had spent a week on the decorations and "
                 "would not forgive anyone who looked bored."),
        ("scene_break", "~~~"),
        ("body", "By midnight the lanterns had burned down to stubs, and the river was dark again."),
        ("author_note", "To be continued..."),
    ]  # fmt: skip
    assert story.metadata == {"title": "Defiance", "chapter_number": 7}
    assert [(c.number, c.title) for c in story.chapters] == [(7, None)]
    assert [(s.chapter, story.span_text(s)[:16]) for s in story.scenes] == [(0, "Sakura counted t"), (0, "By midnight the ")]
    assert [p.scene for p in story.paragraphs] == [0, 0, 1]


def test_chapter_heading_forms():
    story = fixture("headings.txt")
    headings = [text for kind, text in blocks(story) if kind == "chapter_heading"]
    assert headings == [
        "Prologue", "Chapter 1 - Beginnings", "Ch. 2", "CHAPTER THREE", "Chapter 4: The Bridge", "Part II",
        "Chapter Twenty-One", "Epilogue",
    ]  # fmt: skip
    assert [kind for kind, _ in blocks(story)] == ["chapter_heading", "body"] * 8
    assert [(c.number, c.title) for c in story.chapters] == [
        (None, "Prologue"), (1, "Beginnings"), (2, None), (3, None), (4, "The Bridge"), (2, None), (21, None),
        (None, "Epilogue"),
    ]  # fmt: skip
    # A chapter runs from its heading to the end of its last paragraph.
    assert story.span_text(story.chapters[1]) == (
        "Chapter 1 - Beginnings\n\nKiba woke before the dogs did, which had never happened before."
    )
    assert [p.chapter for p in story.paragraphs] == list(range(8))
    assert [s.chapter for s in story.scenes] == list(range(8))
    assert story.metadata == {}  # eight chapters: no single chapter number, and no title line


def test_chapter_title_on_its_own_line():
    story = fixture("chapter_title_line.txt")
    assert blocks(story) == [
        ("chapter_heading", "Chapter 3"),
        ("chapter_heading", "The Bridge"),
        ("body", "Naruto stood on the bridge and threw stones at his own reflection."),
    ]
    assert [(c.number, c.title) for c in story.chapters] == [(3, "The Bridge")]
    assert story.metadata == {"chapter_number": 3}


def test_markdown_headings_and_rule():
    story = fixture("markdown.md")
    assert blocks(story) == [
        ("title", "# The Long Road"),
        ("chapter_heading", "## Chapter 1"),
        ("body", "The road out of Suna was nothing but sand and sky.\n\nGaara walked at the front, as he always did."),
        ("scene_break", "---"),
        ("body", "Night fell fast in the desert."),
        ("chapter_heading", "## Chapter 2: Oasis"),
        ("body", "They found water on the third day."),
    ]
    assert story.metadata == {"title": "The Long Road"}
    assert [(c.number, c.title) for c in story.chapters] == [(1, None), (2, "Oasis")]
    assert [(s.chapter) for s in story.scenes] == [0, 0, 1]


@pytest.mark.parametrize(
    "name, title_block, metadata",
    [
        ("title_plain.txt", "Paper Lanterns", {"title": "Paper Lanterns"}),
        ("title_byline.txt", "Stand by Me by silverleaf_writes", {"title": "Stand by Me", "author": "silverleaf_writes"}),
        ("title_dash_chapter.txt", "Ashes and Embers - Chapter 2", {"title": "Ashes and Embers", "chapter_number": 2}),
    ],
)
def test_title_line_forms(name, title_block, metadata):
    story = fixture(name)
    assert blocks(story) == [("title", title_block), ("body", "The festival began at dusk.")]
    assert story.metadata == metadata


def test_reader_metadata_is_not_overwritten():
    story = from_text("Defiance: Chapter Seven\n\nThe rain came down.\n")
    story.metadata = {"title": "Defiance (AO3)", "chapter_number": 8}
    structure.run(story, Context())
    assert story.metadata == {"title": "Defiance (AO3)", "chapter_number": 8}
    assert blocks(story) == [("title", "Defiance: Chapter Seven"), ("body", "The rain came down.")]


def test_disclaimer_forms():
    story = fixture("disclaimers.txt")
    assert blocks(story) == [
        ("disclaimer", "I do not own Harry Potter or any of its characters."),
        ("disclaimer", "DISCLAIMER - This is a work of fan fiction. No money is being made."),
        ("disclaimer", "All characters belong to J.K. Rowling."),
        ("body", "The Burrow smelled of burnt toast and wet dogs.\n\n"
                 "Ron was already arguing with Ginny about the last sausage.\n\n"
                 "All the characters belonged to the Weasley clock now, Harry thought: every hand pointed at home."),
    ]  # fmt: skip


def test_disclaimers_that_say_who_owns_it():
    story = fixture("disclaimers_owning.txt")
    assert blocks(story) == [
        ("disclaimer", "If I owned Naruto, Kakashi would actually read something other than Icha Icha."),
        ("disclaimer", "Masashi Kishimoto owns Naruto. I just borrow the characters."),
        ("body", "The mission desk was quiet that morning.\n\nSasuke Uchiha owns the sword now, Sakura thought."),
    ]


def test_inline_author_notes_and_dialogue_that_is_not_a_note():
    story = fixture("inline_notes.txt")
    assert blocks(story) == [
        ("body", "The tea had gone cold an hour ago, and Shikamaru was still staring at the board."),
        ("author_note", "(A/N: I know nothing about shogi, please forgive me.)"),
        ("body", '"Note the time," Temari said, tapping the clock. "You have four minutes."'),
        ("author_note", "[A/N: Temari's clock is a real antique, I looked it up!]"),
        ("body", "He moved a silver general and did not look up."),
        ("author_note", "*A/N* This part was the hardest to write."),
        ("author_note", "Author's note - the next scene is a flashback."),
        ("body", "She laughed at him anyway."),
        ("author_note", "AN - thanks to everyone who reviewed the last chapter!"),
        ("author_note", "AN: the clock thing is important later."),
        ("author_note", "Notes: Written for the 2019 shogi week prompt."),
        ("body", "The clock ran out at last."),
    ]
    # Notes in the middle do not break the scene.
    assert len(story.scenes) == 1 and len(story.paragraphs) == 5


def test_labelled_note_runs_on_while_the_author_is_talking():
    story = fixture("multi_paragraph_note.txt")
    assert blocks(story) == [
        ("author_note", "A/N: Hi everyone! This is my entry for Kakairu week, day three."),
        ("author_note", "Also, huge thanks to my beta, who fixed about a million commas. You're the best!"),
        ("body", "The rain had not stopped for three days.\n\n"
                 "Iruka hung his wet vest by the stove and listened to the roof leak."),
    ]  # fmt: skip


def test_bracketed_note_runs_to_its_closing_bracket():
    story = analysed(
        "The kettle sang.\n\n(A/N: Quick warning before this part.\n\nIt gets sad from here on.)\n\n"
        "Iruka poured the tea.\n"
    )
    assert blocks(story) == [
        ("body", "The kettle sang."),
        ("author_note", "(A/N: Quick warning before this part."),
        ("author_note", "It gets sad from here on.)"),
        ("body", "Iruka poured the tea."),
    ]


def test_note_label_standing_alone_takes_the_next_paragraph():
    story = analysed("Author's Note:\n\nThe timeline here is a little shaky.\n\nThe war had ended in spring.\n")
    assert blocks(story) == [
        ("author_note", "Author's Note:"),
        ("author_note", "The timeline here is a little shaky."),
        ("body", "The war had ended in spring."),
    ]


def test_note_runs_on_over_context_and_stops_at_story():
    story = fixture("context_note.txt")
    assert blocks(story) == [
        ("author_note", "A/N: Some context first."),
        ("author_note", "This takes place after the war, so spoilers for the ending."),
        ("body", '"Wake up," Sakura said, shaking his shoulder.'),
        ("author_note", "A/N: Enjoy!"),
        ("body", "I never told you about the night I met him."),
    ]


def test_series_part_dedication_and_review_request():
    story = fixture("dedication.txt")
    assert blocks(story) == [
        ("chapter_heading", "Part 1 of 3"),
        ("author_note", "Dedicated to my sister, who made me watch the whole series."),
        ("body", "The lake froze overnight."),
        ("author_note", "Review?"),
    ]
    assert [(c.number, c.title) for c in story.chapters] == [(1, None)]
    assert story.metadata == {"chapter_number": 1}


def test_title_line_directly_over_a_paragraph():
    story = fixture("title_over_paragraph.txt")
    assert blocks(story) == [
        ("title", "Quiet Hours"),
        ("body", "The Academy was empty by the time Iruka finished grading, and the lamps hummed."),
    ]


def test_a_reaction_line_is_not_a_scene_break_and_next_up_is_a_note():
    story = analysed("Naruto opened the letter.\n\n?!\n\nHe read it again.\n\nNext up: Sasuke's side of things.\n")
    assert blocks(story) == [
        ("body", "Naruto opened the letter.\n\n?!\n\nHe read it again."),
        ("author_note", "Next up: Sasuke's side of things."),
    ]


def test_note_not_continuing_is_an_author_note():
    story = fixture("not_continuing.txt")
    assert blocks(story) == [
        ("body", "The last train left without her, and Tenten watched its lights disappear into the fog.\n\n"
                 "She picked up her bag and walked back toward the village."),
        ("author_note", "Note: No, I'm not continuing this."),
    ]  # fmt: skip


def test_notes_after_the_story():
    story = fixture("end_notes.txt")
    assert blocks(story) == [
        ("title", "The Long Way Home"),
        ("body", "Lee finished his thousandth lap as the sun came up.\n\n"
                 "Gai was waiting at the gate with two cups of tea."),
        ("author_note", "The End"),
        ("author_note", "Thanks for reading, everyone! This was my first fic in years."),
        ("author_note", "Please review!"),
    ]  # fmt: skip


def test_scene_break_forms():
    story = fixture("scene_breaks.txt")
    breaks = [text for kind, text in blocks(story) if kind == "scene_break"]
    assert breaks == [
        "*", "* * *", "***", "~*~", "-x-", "xXx", "oOo", "OoOoO", "---", "___", "###", "+++", "==", "§", "❀", "◇", "…",
        "/-/", "Line break", "[scene break]", "<hr>",
    ]  # fmt: skip
    bodies = [text for kind, text in blocks(story) if kind == "body"]
    # Em-dash dialogue, a sentence opening with "..." and a silent '"..."' are story, not breaks.
    assert bodies[18] == (
        "—Where are you going? Hanabi called after him.\n\n... and then nothing, for a long time.\n\n\"...\""
    )
    assert len(bodies) == 22 and len(story.scenes) == 22
    assert [kind for kind, _ in blocks(story)] == ["body"] + ["scene_break", "body"] * 21


def test_point_of_view_lines_break_scenes():
    story = fixture("pov_markers.txt")
    assert blocks(story) == [
        ("scene_break", "Kakashi's POV"),
        ("body", "The mission report was three days late, and he had not started it."),
        ("scene_break", "~Sakura POV~"),
        ("body", "She found him on the roof, as usual."),
    ]
    assert [story.span_text(s) for s in story.scenes] == [
        "The mission report was three days late, and he had not started it.",
        "She found him on the roof, as usual.",
    ]


def test_narration_that_resembles_paratext_stays_body():
    story = fixture("body_traps.txt")
    assert [kind for kind, _ in blocks(story)] == ["body"]
    assert paragraph_texts(story)[0] == (
        "She hoped they would enjoy the party, though she doubted anyone would come."
    )
    assert paragraph_texts(story)[-1] == "Sorry, he thought, and thank you."
    assert len(story.paragraphs) == 9
    assert story.metadata == {}


def test_a_long_opening_paragraph_with_one_cue_is_narration():
    # Old novels address "dear readers" in their narration; one cue in a long paragraph does not make a note.
    opening = "Chapter 1\n\nDear readers, the rumours had reached Bath. " + "Every house heard them by noon. " * 30
    story = analysed(opening.strip() + "\n\nCatherine was not alarmed.\n")
    assert len(story.span_text(story.paragraphs[0])) > 800
    assert [kind for kind, _ in blocks(story)] == ["chapter_heading", "body"]


def test_a_story_of_one_chatty_paragraph_is_still_a_story():
    text = "I hope you like the soup, I told him, and he laughed for the first time in weeks. Enjoy it, I said."
    story = analysed(text)
    assert blocks(story) == [("body", text)]
    assert len(story.chapters) == 1 and len(story.paragraphs) == 1


def test_one_newline_between_paragraphs_with_crlf():
    story = fixture("single_newline_crlf.txt")
    assert blocks(story) == [
        ("title", "Falling Leaves - Chapter 1"),
        ("author_note", "A/N: This is my first Naruto fic, please be nice!"),
        ("body", "Kakashi was late, as usual.\r\n"
                 "\"You're late!\" Naruto yelled from the bridge.\r\n"
                 "\"I got lost on the road of life.\" Kakashi waved lazily.\r\n"
                 "Sakura rolled her eyes and said nothing."),
        ("scene_break", "xXx"),
        ("body", "The bell test began at noon.\r\nSasuke moved first, because of course he did."),
        ("author_note", "Thanks for reading! Reviews are love."),
    ]  # fmt: skip
    assert paragraph_texts(story) == [
        "Kakashi was late, as usual.",
        "\"You're late!\" Naruto yelled from the bridge.",
        "\"I got lost on the road of life.\" Kakashi waved lazily.",
        "Sakura rolled her eyes and said nothing.",
        "The bell test began at noon.",
        "Sasuke moved first, because of course he did.",
    ]
    assert [p.scene for p in story.paragraphs] == [0, 0, 0, 0, 1, 1]
    assert story.metadata == {"title": "Falling Leaves", "chapter_number": 1}


def test_one_line_paragraphs_without_final_punctuation():
    story = fixture("one_line_paragraphs_unpunctuated.txt")
    kinds = [(kind, text[:24]) for kind, text in blocks(story)]
    assert kinds == [
        ("title", "Whispers in the Rain"),
        ("chapter_heading", "Chapter 4: Storm Warning"),
        ("author_note", "A/N: OMG you guys, 50 re"),
        ("author_note", "Special thanks to KuroNe"),
        ("disclaimer", "Disclaimer: If I owned N"),
        ("scene_break", "Kakashi's POV"),
        ("body", "The rain hadn't let up f"),
        ("scene_break", "Iruka's POV"),
        ("body", "Iruka had not meant to f"),
        ("author_note", "A/N: cliffhanger muahaha"),
    ]
    assert [text[:20] for text in paragraph_texts(story)] == [
        "The rain hadn't let ", "He pulled his collar", '"Kakashi-san?" Iruka', "xoxoxo",
        "Iruka had not meant ", "He watched Kakashi d",
    ]  # fmt: skip
    assert [(c.number, c.title) for c in story.chapters] == [(4, "Storm Warning")]
    assert story.metadata == {"title": "Whispers in the Rain", "chapter_number": 4}


def test_hard_wrapped_lines_stay_one_paragraph():
    story = fixture("wrapped.txt")
    assert paragraph_texts(story) == [
        "Chouji folded the crane slowly, the way his mother had\ntaught him, pressing each crease with his "
        "thumbnail until\nthe paper was sharp enough to cut.",
        "He set it on the windowsill. The wind took it at once and\ncarried it down into the street, where a child "
        "caught it\nand ran off laughing.",
        "Ino found him still sitting at the window an hour later,\nand she did not ask.",
    ]
    assert [kind for kind, _ in blocks(story)] == ["title", "body", "scene_break", "body"]


def test_fic_header_fields_heading_note_and_inline_note():
    story = fixture("fic_header.txt")
    assert blocks(story) == [
        ("title", "Broken Things\nby moonlit_ink"),
        ("author_note", "Summary: Kakashi comes home. Iruka is waiting."),
        ("author_note", "Pairing: Kakashi/Iruka"),
        ("author_note", "Rating: T"),
        ("disclaimer", "Naruto isn't mine, obviously."),
        ("chapter_heading", "Chapter 1"),
        ("author_note", "Sorry this is so short! Let me know what you think."),
        ("body", "The door creaked. Iruka looked up from his papers."),
        ("author_note", "(A/N: yes, the door always creaks.)"),
        ("body", "He sighed and went back to grading."),
    ]
    assert story.metadata == {"title": "Broken Things", "author": "moonlit_ink", "chapter_number": 1}
    assert paragraph_texts(story) == [
        "The door creaked. Iruka looked up from his papers.",
        "He sighed and went back to grading.",
    ]
    assert [(c.number, c.title) for c in story.chapters] == [(1, None)]


def test_bare_roman_numerals_head_chapters():
    story = fixture("bare_numerals.txt")
    assert [kind for kind, _ in blocks(story)] == ["chapter_heading", "body"] * 3
    assert [(c.number, c.title) for c in story.chapters] == [(1, None), (2, None), (3, None)]


def test_a_lone_I_is_not_a_heading_without_a_II():
    story = analysed("Who was there?\n\nI\n\nwas. That was the whole answer.\n")
    assert [kind for kind, _ in blocks(story)] == ["body"]


def test_preset_blocks_are_kept_and_the_rest_classified():
    text = "Chapter 1: Rain\n\nThanks to my beta!\n\nIt rained in Konoha.\n\n***\n\nIt stopped.\n\nSee you next week!\n"
    heading = Block(0, len("Chapter 1: Rain"), "chapter_heading")
    notes_start = text.index("Thanks")
    notes = Block(notes_start, notes_start + len("Thanks to my beta!"), "author_note")
    end_start = text.index("See you")
    end_notes = Block(end_start, end_start + len("See you next week!"), "author_note")
    story = analysed(text, preset_blocks=[end_notes, heading, notes])
    assert blocks(story) == [
        ("chapter_heading", "Chapter 1: Rain"),
        ("author_note", "Thanks to my beta!"),
        ("body", "It rained in Konoha."),
        ("scene_break", "***"),
        ("body", "It stopped."),
        ("author_note", "See you next week!"),
    ]
    assert [(c.number, c.title) for c in story.chapters] == [(1, "Rain")]
    assert paragraph_texts(story) == ["It rained in Konoha.", "It stopped."]


def test_markdown_read_by_the_reader_keeps_its_preset_headings():
    import ficlens

    story = ficlens.read(FIXTURES / "markdown.md")
    structure.run(story, Context())
    assert [kind for kind, _ in blocks(story)] == [
        "title", "chapter_heading", "body", "scene_break", "body", "chapter_heading", "body"
    ]
    assert [(c.number, c.title) for c in story.chapters] == [(1, None), (2, "Oasis")]
    assert story.metadata["title"] == "The Long Road"


def test_fenced_code_is_story_text_not_headings_or_breaks():
    story = fixture("fenced.md")
    assert blocks(story) == [
        ("title", "# Terminal"),
        ("chapter_heading", "## Chapter 1"),
        ("body", "Shikamaru typed the command and waited.\n\n```\n# deploy the shadow clones\n***\n```\n\n"
                 "The screen stayed black."),
    ]  # fmt: skip
    assert paragraph_texts(story)[1] == "```\n# deploy the shadow clones\n***\n```"


def test_one_chapter_numbered_by_reader_metadata():
    story = from_text("The lake froze overnight.\n\nBy morning the children were skating.\n")
    story.metadata["chapter_number"] = 3
    structure.run(story, Context())
    assert [(c.number, c.title) for c in story.chapters] == [(3, None)]


ALL_FIXTURES = sorted(p.name for p in FIXTURES.iterdir())


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_blocks_cover_the_document_in_order(name):
    story = fixture(name)
    text = story.text
    previous_end = 0
    covered = set()
    for block in story.blocks:
        assert previous_end <= block.start < block.end
        span = text[block.start : block.end]
        assert span == span.strip(), "blocks are trimmed"
        covered.update(range(block.start, block.end))
        previous_end = block.end
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())
    body = [b for b in story.blocks if b.kind == "body"]
    for paragraph in story.paragraphs:
        assert any(b.start <= paragraph.start < paragraph.end <= b.end for b in body)
        scene = story.scenes[paragraph.scene]
        chapter = story.chapters[paragraph.chapter]
        assert scene.chapter == paragraph.chapter
        assert scene.start <= paragraph.start < paragraph.end <= scene.end
        assert chapter.start <= paragraph.start < paragraph.end <= chapter.end


def test_running_twice_gives_the_same_structure():
    story = fixture("defiance.txt")
    first = story.to_dict()
    structure.run(story, Context())
    assert story.to_dict() == first


@pytest.mark.parametrize("name", ["headings.txt", "title_byline.txt", "fic_header.txt", "single_newline_crlf.txt"])
def test_output_validates_against_the_schema(story_schema, name):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(fixture(name).to_dict(), story_schema)


def test_unlabelled_header_closed_by_a_scene_break_is_the_authors():
    story = fixture("header_unlabelled.txt")
    assert blocks(story)[:3] == [
        ("title", "The Lantern Keeper"),
        ("author_note", "Original work. Content notes: a parent's drinking, mentions of self-harm."),
        ("scene_break", "* * *"),
    ]
    assert [kind for kind, _ in blocks(story)[3:]] == ["body"]


def test_header_runs_only_to_its_last_cue_and_the_opening_stays_story():
    story = fixture("header_then_opening.txt")
    assert blocks(story)[:4] == [
        ("title", "Seven Letters"),
        ("author_note", "Tumbleweed Station. Mara/Joss. TW: grief, a funeral mentioned."),
        ("body", "Mara counts the letters before she opens any of them. Seven."),
        ("scene_break", "* * *"),
    ]


def test_a_short_opening_without_header_cues_before_a_break_is_story():
    story = fixture("opening_before_break.txt")
    assert blocks(story)[:3] == [
        ("title", "The Night Ferry"),
        ("body", "Set off at midnight, the ferry said. It did not."),
        ("scene_break", "* * *"),
    ]


@pytest.mark.parametrize("line, name", [
    ("Sakura's POV", "Sakura"), ("~Hatake Kakashi POV~", "Hatake Kakashi"), ("(Sasuke's pov)", "Sasuke"),
    ("POV: Hinata", "Hinata"), ("POV - Uchiha Itachi", "Uchiha Itachi"), ("Normal POV", None),
    ("Author's POV", None), ("Third Person POV", None), ("Chapter 2", None)])
def test_a_pov_line_names_whose_eyes_follow(line, name):
    assert structure.pov_name(line) == name
    assert structure.is_scene_break(line) == (line != "Chapter 2")


@pytest.mark.parametrize("note, names", [
    ("Natsume Yuujinchou | Natsume's POV | gen, friendship", ["Natsume"]),
    ("A/N: Shinji POV, somewhere after the Eighth Angel.", ["Shinji"]),
    ("Star Wars: The Clone Wars. Umbara arc. Rex POV.", ["Rex"]),
    ("This is Ann's POV of the day after.", ["Ann"]),
    ("POV: Hatake Kakashi. Set before the war.", ["Hatake Kakashi"]),
    ("Attack on Titan belongs to Hajime Isayama. Jean's POV, Trost, the day after.", ["Jean"]),
    ("Band of Brothers. Babe POV. Not mine.", ["Babe"]), ("Mr. Darcy's POV, mostly.", ["Mr. Darcy"]),
    ("Outsider POV, mostly crack.", []), ("Third person POV, present tense.", []),
    ("Thanks for reading! Next time: the finals.", [])])
def test_a_note_says_whose_point_of_view_the_story_is(note, names):
    assert structure.pov_names_in(note) == names
