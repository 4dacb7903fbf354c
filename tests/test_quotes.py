"""The quotations stage on short stories written for these tests, one per dialogue convention.

Most tests leave ``story.paragraphs`` empty, so the stage splits the text into paragraphs itself (its
fallback); ``test_reads_only_the_body`` runs the structure stage first.  No spaCy is loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.ingest import from_text
from ficlens.model import Paragraph
from ficlens.pipeline import Context
from ficlens.stages import quotes, structure
from ficlens.stages.quotes import is_speech_tag, split_paragraphs
from ficlens.lexicons import load_words

FIXTURES = Path(__file__).parent / "fixtures" / "quotes"


def found(name: str) -> list[tuple[str, list[str], str]]:
    """(the utterance with its marks, the parts without marks, Quote.text) for each quote in a fixture."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    story = from_text(text)
    quotes.run(story, Context())
    out = []
    for q in story.quotes:
        assert q.start <= q.parts[0].start and q.parts[-1].end <= q.end
        out.append((text[q.start : q.end], [text[p.start : p.end] for p in q.parts], q.text))
    return out


def test_straight_double_quotes():
    assert found("straight_double.txt") == [
        ('"You\'re late again,"', ["You're late again,"], "You're late again,"),
        ('"The road of life is long,"', ["The road of life is long,"], "The road of life is long,"),
    ]


def test_curly_double_quotes():
    assert found("curly_double.txt") == [
        ("\u201cHave you eaten?\u201d", ["Have you eaten?"], "Have you eaten?"),
        ("\u201cNot since this morning.\u201d", ["Not since this morning."], "Not since this morning."),
    ]


def test_single_quote_dialogue_tells_apostrophes_from_marks():
    # "Don't", "It's", "the boys' kite", "'Tis", "rock 'n' roll" and "'em" are apostrophes, not marks.
    assert found("single_british.txt") == [
        (
            "'Don't touch that,' said Mrs Hobbs. 'It's the boys' kite, and they'll want it back.'",
            ["Don't touch that,", "It's the boys' kite, and they'll want it back."],
            "Don't touch that, It's the boys' kite, and they'll want it back.",
        ),
        ("'Give 'em a minute,'", ["Give 'em a minute,"], "Give 'em a minute,"),
    ]


def test_em_dash_dialogue():
    assert found("em_dash.txt") == [
        (
            "\u2014 Where are you going? \u2014 asked Ivan. \u2014 It is nearly dark.",
            ["Where are you going?", "It is nearly dark."],
            "Where are you going? It is nearly dark.",
        ),
        ("\u2014 Home.", ["Home."], "Home."),
        # Spanish spacing: the tag is set off by unspaced dashes and keeps its own full stop
        ("\u2014Wait \u2014she said\u2014. Take this.", ["Wait", "Take this."], "Wait Take this."),
    ]


def test_guillemets_french_and_german():
    assert found("guillemets.txt") == [
        ("\u00abTu viens ?\u00bb", ["Tu viens ?"], "Tu viens ?"),
        ("\u00bbIch komme gleich.\u00ab", ["Ich komme gleich."], "Ich komme gleich."),
    ]


def test_corner_brackets():
    assert found("corner_brackets.txt") == [
        ("「おはよう」", ["おはよう"], "おはよう"),
        ("『行ってきます』", ["行ってきます"], "行ってきます"),
    ]


def test_quotation_over_several_paragraphs_is_one_quote():
    [(whole, parts, words)] = found("multi_paragraph.txt")
    assert whole == (
        '"The first thing you must understand," Gai said, "is that a rival is a gift.\n\n'
        '"Without one, a man grows soft.\n\n"With one, he never stops."'
    )
    assert parts == [
        "The first thing you must understand,",
        "is that a rival is a gift.",
        "Without one, a man grows soft.",
        "With one, he never stops.",
    ]
    assert words == (
        "The first thing you must understand, is that a rival is a gift. "
        "Without one, a man grows soft. With one, he never stops."
    )


def test_quotation_interrupted_by_speech_tag_is_one_quote():
    assert found("speech_tag.txt") == [
        ('"Well," he said, "I suppose so."', ["Well,", "I suppose so."], "Well, I suppose so."),
        (
            '"Do not apologise," said Mr. Hale. "You are always late."',
            ["Do not apologise,", "You are always late."],
            "Do not apologise, You are always late.",
        ),
        # narration between them is no speech tag: two utterances
        ('"Fine."', ["Fine."], "Fine."),
        ('"Goodbye."', ["Goodbye."], "Goodbye."),
    ]


def test_mark_left_open_closes_at_paragraph_end():
    assert found("unbalanced.txt") == [
        (
            '"I never meant to hurt anyone, she whispered.',
            ["I never meant to hurt anyone, she whispered."],
            "I never meant to hurt anyone, she whispered.",
        ),
        ('"Then why did you do it?"', ["Then why did you do it?"], "Then why did you do it?"),
    ]


def test_nested_single_inside_double():
    assert found("nested_double.txt") == [
        (
            '"He said \'no\' to me," she said, "and then he left."',
            ["He said 'no' to me,", "and then he left."],
            "He said 'no' to me, and then he left.",
        )
    ]


def test_nested_double_inside_single():
    assert found("nested_single.txt") == [
        ("'She told me \"never again\",'", ['She told me "never again",'], 'She told me "never again",'),
        ("'And you believed her?'", ["And you believed her?"], "And you believed her?"),
    ]


def test_a_word_mentioned_in_quotes_is_not_an_utterance():
    # "poison" is a label run into the narration; "Legs!" is shouted.
    assert found("mention.txt") == [('"Legs!"', ["Legs!"], "Legs!")]


def test_reads_only_the_body():
    text = (FIXTURES / "with_notes.txt").read_text(encoding="utf-8")
    story = from_text(text)
    ctx = Context()
    structure.run(story, ctx)
    quotes.run(story, ctx)
    assert [text[q.start : q.end] for q in story.quotes] == ['"Are you awake?"', '"No,"']


def test_given_paragraphs_bound_an_open_quote():
    text = '"Stop right there.\nHe ran.\n"Now!"'
    story = from_text(text)
    story.paragraphs = [Paragraph(0, 18), Paragraph(19, 26), Paragraph(27, 33)]
    quotes.run(story, Context())
    assert [(text[q.start : q.end], q.text) for q in story.quotes] == [
        ('"Stop right there.', "Stop right there."),
        ('"Now!"', "Now!"),
    ]


def test_paragraphs_split_on_lines_when_no_blank_lines():
    text = "First line here.\nSecond line.\nThird one."
    assert [text[p.start : p.end] for p in split_paragraphs(text)] == ["First line here.", "Second line.", "Third one."]


@pytest.mark.parametrize(
    "between, joined",
    [
        (" he said, ", True),
        (" said Mr. Bennet. ", True),
        (" Kakashi drawled lazily: ", True),
        (" She turned to go. The door stuck. ", False),
        (" and then, after a very long silence in which nobody moved or spoke at all, ", False),
    ],
)
def test_speech_tag(between, joined):
    assert is_speech_tag(between, load_words("speech_verbs.txt")) is joined


def test_misplaced_marks_of_hasty_typing():
    # a closing curly mark used to open; a straight quotation never closed before the next one opens
    assert found("typos.txt") == [
        ("\u201dHello,\u201d", ["Hello,"], "Hello,"),
        ('"I am done.', ["I am done."], "I am done."),
        ('"Are you?"', ["Are you?"], "Are you?"),
    ]


def test_quotation_runs_on_over_line_broken_paragraphs():
    # no blank lines: every line is a paragraph; the second line's first mark closes the open quotation
    assert found("line_broken.txt") == [
        (
            '"This is a long speech that the sentence splitter broke\nacross two lines, and it closes here."',
            ["This is a long speech that the sentence splitter broke", "across two lines, and it closes here."],
            "This is a long speech that the sentence splitter broke across two lines, and it closes here.",
        ),
        ('"Noted."', ["Noted."], "Noted."),
    ]


def test_dialogue_marks_chosen_by_what_they_enclose():
    # many nested single quotes inside few double-quoted speeches: double quotes are the dialogue marks
    text = (
        "\"He came in and said 'hello' and 'how are you' and then 'goodbye', and 'see you' and 'well',\" "
        "she told them.\n\nThey laughed."
    )
    story = from_text(text)
    quotes.run(story, Context())
    assert [text[q.start : q.end] for q in story.quotes] == [text[: text.index(" she told")]]
