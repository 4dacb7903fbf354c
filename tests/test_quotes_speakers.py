"""The quotations stage keeps two speakers' lines apart when narration between them tags both, and still
joins one speaker's line interrupted by a tag (tests/fixtures/quotes/two_speakers.txt)."""

from __future__ import annotations

from pathlib import Path

from ficlens.ingest import from_text
from ficlens.pipeline import Context
from ficlens.stages import quotes

FIXTURE = Path(__file__).parent / "fixtures" / "quotes" / "two_speakers.txt"


def parts_of_each_quote() -> list[list[str]]:
    text = FIXTURE.read_text(encoding="utf-8")
    story = from_text(text)
    quotes.run(story, Context())
    return [[text[p.start : p.end] for p in q.parts] for q in story.quotes]


def test_two_speakers_tagged_in_one_stretch_of_narration_are_two_quotations():
    assert parts_of_each_quote() == [
        ["Two pounds of plums,"],  # murmured Margaret, while Helen said,
        ["And a bag of pears."],
        ["Too dear,"],  # was Margaret's reasoning; and Helen's reply was,
        ["Then we walk on."],
        ["Are you tired?"],  # Margaret said, "..." Helen said, "..."
        ["A little."],
        ["Well,", "we had better hurry."],  # "as Helen thought" is no second speaker
        ["Wait,", "my purse is open."],  # "and then added" has no subject of its own
        ["That one is riper"],  # Margaret would say, "...", and Helen would say, "..."
        ["Mine is cheaper."],
        ["The stall is closing!"],  # ... and as if to make things worse, Helen said,
        ["I have lost the list."],
        ["Buy them,"],  # was Helen's advice; and, in an unhappy mood, thus spoke Margaret:
        ["We cannot afford them."],
        ["Well, my dear,", "we shall have to walk home."],  # "when Margaret had read the price aloud" tags nobody
        ["I must be getting home!"],  # remarking, "..." and Helen called out in a trembling voice ...,
        ["Keep the pears for us!"],
    ]
