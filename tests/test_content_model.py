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


def test_toy_model_counts_windows_over_the_threshold_without_overlap():
    model = TagModel(TOY)
    # two separate deaths with a funeral each, and a cookie between them
    sentence_feats = [{"die", "funeral"}, {"walk"}, {"cookie"}, {"die", "funeral"}, {"walk"}]
    scores = model.score_story(sentence_feats, [0, 1, 2, 3, 4])
    # windows (0,2) (1,3) (2,4) (3,5): the first and the last reach 0.7, and they do not overlap
    assert scores["Major Character Death"].windows_over == 2
    assert scores["Fluff"].windows_over == 1  # (1,3) and (2,4) both hold the cookie but overlap


# -- combined with the rules in the content stage, with a hand-made model in place of the shipped one ---------

COMBINE_TOY = {
    "tags": ["Major Character Death", "Angst"],
    "bias": {"Major Character Death": -2.5, "Angst": 5.0},
    "weights": {
        "Major Character Death": {"O:close>eye": 1.5, "gull": 1.0, "shallow": 1.0, "skin": 0.5, "die": 2.5},
        "Angst": {"storm": 1.0},
    },
    # Angst has no threshold: however sure the model is, it never emits it
    "thresholds": {"Major Character Death": 0.75, "Angst": None},
    "window_sentences": 3,
}


@pytest.fixture()
def analyse_with_toy(monkeypatch):
    from ficlens.ingest import from_text
    from ficlens.pipeline import STAGES, Options, run
    from ficlens.stages import content_model

    monkeypatch.setattr(content_model, "load_model", lambda: TagModel(COMBINE_TOY))

    def analyse(path: Path):
        stages = STAGES[: STAGES.index("content") + 1]
        return run(from_text(path.read_text(encoding="utf-8")), Options(stages=stages))

    return analyse


def test_a_death_only_the_model_reads_is_a_warning_citing_its_sentences(analyse_with_toy):
    story = analyse_with_toy(FIXTURES / "lighthouse.txt")
    assert [w.tag for w in story.warnings] == ["Major Character Death"]
    death = story.warnings[0]
    # the window of paragraphs 2-3 (sentences 1-5): -2.5 + 1.5 + 1 + 1 + 0.5 = 1.5
    assert death.confidence == pytest.approx(1 / (1 + 2.718281828459045 ** -1.5), abs=1e-3)
    assert [e.text for e in death.evidence] == [
        "His skin was grey and cold, and the gulls had already been at him.",
        "The doctor closed his eyes and said there was nothing to be done; he had been gone for hours.",
    ]
    assert all(story.text[e.start : e.end] == e.text for e in death.evidence)
    assert "Angst" not in {t.tag for t in story.tags.freeform}


def test_the_boat_that_comes_home_gets_nothing(analyse_with_toy):
    story = analyse_with_toy(FIXTURES / "lighthouse_near.txt")
    assert story.warnings == []
    assert story.tags.freeform == []


def test_agreement_raises_the_rule_confidence_and_keeps_its_evidence(analyse_with_toy, monkeypatch):
    path = Path(__file__).parent / "fixtures" / "content" / "mcd.txt"
    agreed = analyse_with_toy(path).warnings
    from ficlens.stages import content_model

    monkeypatch.setattr(content_model, "load_model", lambda: None)
    alone = analyse_with_toy(path).warnings
    assert [w.tag for w in alone] == [w.tag for w in agreed] == ["Major Character Death"]
    assert agreed[0].confidence > alone[0].confidence
    assert [e.text for e in agreed[0].evidence] == [e.text for e in alone[0].evidence]


def test_shipped_model_adds_nothing_to_a_death_averted():
    """The boat comes home: "You could have drowned", "Didn't." The shipped model must stay quiet."""
    from ficlens.ingest import from_text
    from ficlens.pipeline import STAGES, Options, run

    text = (FIXTURES / "lighthouse_near.txt").read_text(encoding="utf-8")
    story = run(from_text(text), Options(stages=STAGES[: STAGES.index("content") + 1]))
    assert [w.tag for w in story.warnings] == []
    assert not {t.tag for t in story.tags.freeform} & {"Major Character Death", "Grief/Mourning", "Angst"}


def test_a_wall_of_text_is_cut_into_windows_of_passage_size():
    # one paragraph of 10 sentences, then a paragraph of 2: the long one is cut every 3 sentences
    paragraph_of = [0] * 10 + [1, 1]
    assert windows(paragraph_of, 12, 3) == [(0, 3), (3, 6), (6, 9), (9, 12)]
    # a paragraph of 6 (no more than twice the size) stays whole
    assert windows([0] * 6 + [1], 7, 3) == [(0, 6), (6, 7)]
