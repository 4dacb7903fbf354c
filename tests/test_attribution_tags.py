"""Speech tags of less common shapes (tests/fixtures/attribution/tag_shapes.txt), with exact speakers:
a tag in the paragraph before with its closing dash lost, a sentence that announces the speech, a subject
before a clause set off by commas, possessive tags on either side of a semicolon, a tag that two pieces
share, a clause after "; and", a tag before the quotation against a speech verb far after it; and two
look-alikes that are no tag."""

from pathlib import Path

from ficlens.ingest import from_text
from ficlens.pipeline import STAGES, Options, run

FIXTURE = Path(__file__).parent / "fixtures" / "attribution" / "tag_shapes.txt"
UP_TO_ATTRIBUTION = STAGES[: STAGES.index("attribution") + 1]


def speakers():
    story = run(from_text(FIXTURE.read_text(encoding="utf-8")), Options(stages=UP_TO_ATTRIBUTION))
    out = {}
    for q in story.quotes:
        out[" ".join(q.text.split()[:3])] = (story.character_name(q.speaker), q.method)
    return out


def test_tag_shapes():
    found = speakers()
    assert found["Nothing but bills"] == ("Margaret", "explicit")  # Margaret, sighing over it ..., said--
    assert found["We could ask"] == ("Tom", "explicit")  # "then Tom said" ending the paragraph before
    assert found["They would give"] == ("Tom", "explicit")  # "Tom began again."
    assert found["I cannot row"] == ("Helen", "explicit")  # was Helen's complaint;
    assert found["Then stay the"] == ("Margaret", "explicit")  # and Margaret's answer was,
    assert found["we shall manage."] == ("Tom", "explicit")  # said Tom, when Margaret had ... read ... aloud,
    assert found["Ask for candles"] == ("Helen", "explicit")  # ...; and Helen, at a convenient moment, then added
    assert found["There is the"] == ("Margaret", "explicit")  # not Tom, who "called out" words later
    assert found["It is pouring,"] == ("Polly", "explicit")  # a name ending in -ly is no adverb
    assert found["Shut the door,"] == ("Milly", "explicit")
    assert found["Do you take"] == ("Helen", "explicit")  # '"...on." Tom set out the cups, and Helen began again.'
    assert found["The wind has"] == ("Margaret", "explicit")  # "and said in a low voice", its dash lost
    assert found["Is the lamp"] == ("an anxious boy", "explicit")  # someone new, not Tom
    assert found["The board will"] == ("Tom", "explicit")  # not "she" of "when she had finished,"
    assert found["Is the rope"] == ("Margaret", "explicit")  # accosted by Margaret
    assert found["We keep the"] == ("Tom", "explicit")  # Tom's saying with authority,
    assert found["I like the"] == ("Helen", "explicit")  # said, with the simplicity of a child (dash lost)
    # two speakers' tags in the narration between two quotations: each quotation gets its own
    assert found["Oh, trim it,"] == ("Helen", "explicit")  # Helen replied, so eagerly that Tom said,
    assert found["There is no"] == ("Tom", "explicit")
    assert found["What a fuss!"] == ("Margaret", "explicit")  # Margaret began ..., for Tom cried out,
    assert found["Mind the wick!"] == ("Tom", "explicit")
    assert found["You must come"] == ("Tom", "explicit")  # "did Tom say": the subject after an auxiliary
    assert found["Yes, stay the"] == ("Tom", "explicit")  # not Helen, whose tag ended its own sentence
    assert found["You're to be"] == ("the valet", "explicit")  # not "the somewhat"
    assert found["Nobody dresses on"] == ("Inspector Hale", "explicit")  # the one character named Inspector


def test_look_alikes_are_no_tag():
    found = speakers()
    # "Fine," Tom replied. -- that tag is its own paragraph's, not the next quotation's
    assert found["You always give"][1] != "explicit"
    # "the following short remark": "remark" is a noun there, and "the following" no speaker
    assert found["Bad night for"][1] != "explicit"


def test_a_description_tag_speaks_as_the_character_it_describes():
    # "her husband said" after Robert's line: the characters stage knows Mrs. Pontellier's husband
    text = (FIXTURE.parent / "description_tag.txt").read_text(encoding="utf-8")
    story = run(from_text(text), Options(stages=UP_TO_ATTRIBUTION))
    names = {c.id: c.name for c in story.characters}
    got = [(q.text.split()[0], names.get(q.speaker)) for q in sorted(story.quotes, key=lambda q: q.start)]
    assert got == [("Crabs", "Robert Lebrun"), ("You", "Mr. Pontellier"), ("If", "Mrs. Pontellier")]
