"""The learned tag reader (ficlens.stages.content_model): its features, windows, scoring and the shipped model.

The features are read from real spaCy parses of fixture sentences written for these tests; the scoring is checked
with small hand-made weight tables, so that a test states exactly which window and which sentence must win.
"""

import json
from importlib import resources
from pathlib import Path

import pytest

from ficlens.stages.content_model import TagModel, load_model, sentence_features, windows

FIXTURES = Path(__file__).parent / "fixtures" / "content_model"


@pytest.fixture(scope="module")
def marks_sentences():
    """The sentences of marks.txt as the content stage reads them (paragraphs, dialogue marked)."""
    from ficlens.ingest import from_text
    from ficlens.pipeline import Context, Options, stage_function
    from ficlens.stages.content_parse import story_sentences

    story = from_text((FIXTURES / "marks.txt").read_text(encoding="utf-8"))
    ctx = Context(Options())
    for name in ("structure", "quotes"):
        stage_function(name)(story, ctx)
    return story_sentences(story, ctx)


def feats_of(sentences, start_words):
    s = next(s for s in sentences if s.span.text.startswith(start_words))
    return sentence_features(s.span, s.dialogue)


def test_negation_marks_the_verb_and_its_subject_pair(marks_sentences):
    feats = feats_of(marks_sentences, "Kiba didn't die")
    assert "not_die" in feats and "die" not in feats
    assert "S:name>not_die" in feats


def test_an_averted_death_is_marked_almost(marks_sentences):
    feats = feats_of(marks_sentences, "Shino almost died")
    assert "almost_die" in feats and "die" not in feats
    assert "P:almost_die>in>river" in feats
    assert "pull" in feats  # the rescue stays an ordinary verb


def test_a_conditional_threat_in_dialogue_is_hypothetical_and_quoted(marks_sentences):
    feats = feats_of(marks_sentences, '"If you touch')
    assert "hyp_bury" in feats and "q:hyp_bury" in feats
    assert "bury" not in feats
    # the speech tag is narration: no q: copy
    assert "S:name>tell" in feats and "q:S:name>tell" not in feats


def test_verb_object_and_noun_pairs(marks_sentences):
    feats = feats_of(marks_sentences, "Sasuke pressed")
    assert {"O:press>blade", "P:press>to>wrist", "S:blood>run", "blood", "sink"} <= feats
    assert not any(f.startswith("q:") for f in feats)


def test_no_blood_is_negated(marks_sentences):
    feats = feats_of(marks_sentences, "There was no blood")
    assert "not_blood" in feats and "blood" not in feats


def test_windows_are_runs_of_whole_paragraphs():
    # sentences 0-1 in paragraph 0, 2 in 1, 3-5 in 2, 6 in 3
    paragraph_of = [0, 0, 1, 2, 2, 2, 3]
    assert windows(paragraph_of, 7, 3) == [(0, 3), (2, 6), (3, 6), (6, 7)]
    assert windows(paragraph_of, 7, 100) == [(0, 7)]
    assert windows([], 0, 3) == []


TOY = {
    "tags": ["Major Character Death", "Fluff"],
    "bias": {"Major Character Death": -3.0, "Fluff": -1.0},
    "weights": {
        "Major Character Death": {"die": 2.0, "funeral": 2.0, "not_die": -2.0, "S:pron>die": 1.0},
        "Fluff": {"cookie": 1.5, "die": -1.0},
    },
    "thresholds": {"Major Character Death": 0.7, "Fluff": 0.6},
    "window_sentences": 2,
}


def test_toy_model_probabilities():
    model = TagModel(TOY)
    p = model.probabilities({"die", "funeral", "S:pron>die"})
    assert p["Major Character Death"] == pytest.approx(1 / (1 + pytest.importorskip("math").exp(-2.0)))
    assert p["Fluff"] == pytest.approx(1 / (1 + pytest.importorskip("math").exp(2.0)))


def test_toy_model_picks_the_best_window_and_the_sentence_that_carries_it():
    model = TagModel(TOY)
    sentence_feats = [{"cookie"}, {"walk"}, {"not_die"}, {"die", "S:pron>die"}, {"funeral", "rain"}, {"walk"}]
    paragraph_of = [0, 1, 2, 3, 4, 5]
    scores = model.score_story(sentence_feats, paragraph_of)
    death = scores["Major Character Death"]
    assert death.window == (3, 5)  # the death and the funeral together, not the "didn't die"
    assert death.probability == pytest.approx(1 / (1 + pytest.importorskip("math").exp(-2.0)))
    assert death.evidence == [3, 4]  # strongest first: die + its subject pair (3.0) before the funeral (2.0)
    assert scores["Fluff"].window == (0, 2) and scores["Fluff"].evidence == [0]


def test_shipped_model_is_small_and_cautious():
    raw = resources.files("ficlens").joinpath("models", "tag_classifier.json").read_bytes()
    assert len(raw) < 2_000_000
    data = json.loads(raw)
    model = load_model()
    assert model is not None and set(model.tags) == set(data["weights"])
    # thresholds are chosen for precision: never a coin toss
    assert all(t is None or t >= 0.5 for t in data["thresholds"].values())
