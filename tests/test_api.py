import json

import jsonschema
import pytest

import ficlens
from ficlens.model import Story

from .conftest import EXAMPLE_STORY


def test_analyze_output_validates_against_the_shipped_schema(example_story, story_schema):
    document = example_story.to_dict()
    jsonschema.validate(document, story_schema)
    assert document["schema_version"] == "1"
    assert document["text"] == EXAMPLE_STORY.read_text(encoding="utf-8")


def test_every_span_indexes_the_text(example_story):
    n = len(example_story.text)
    spans = [*example_story.blocks, *example_story.paragraphs, *example_story.quotes, *example_story.mentions]
    assert spans, "the example story produced no spans at all"
    for span in spans:
        assert 0 <= span.start < span.end <= n


def test_json_round_trip_keeps_everything(example_story):
    document = example_story.to_dict()
    again = Story.from_dict(json.loads(json.dumps(document)))
    assert again.to_dict() == document


def test_analyze_text_and_analyze_agree_on_a_utf8_file(example_story):
    from_text = ficlens.analyze_text(EXAMPLE_STORY.read_text(encoding="utf-8"), fandom="naruto")
    document = from_text.to_dict()
    expected = example_story.to_dict()
    for key in ("text", "blocks", "characters", "quotes", "narrative"):
        assert document[key] == expected[key]


@pytest.mark.parametrize("error", [ficlens.InputError, ficlens.FormatError, ficlens.OptionsError])
def test_user_errors_share_one_base(error):
    assert issubclass(error, ficlens.FiclensError)


def test_empty_text_is_a_user_error():
    with pytest.raises(ficlens.InputError, match="empty"):
        ficlens.analyze_text("   \n\n ")


def test_missing_spacy_model_is_a_clear_options_error():
    with pytest.raises(ficlens.OptionsError, match="spaCy model 'no_such_model' is not installed"):
        ficlens.analyze_text('"Hi," said Ann.\n\nBob waved back at her.', spacy_model="no_such_model")
