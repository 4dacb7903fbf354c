"""The spaCy pipeline ficlens loads: tuned for speed, with the same analyses as spaCy's own."""

import re

import spacy

from ficlens import nlp

from .conftest import EXAMPLE_STORY


def _paragraphs() -> list[str]:
    text = EXAMPLE_STORY.read_text(encoding="utf-8")
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _analyses(docs) -> list[tuple]:
    return [
        (t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.is_sent_start, t.lemma_, t.ent_iob_, t.ent_type_)
        for doc in docs
        for t in doc
    ]


def test_the_pipeline_multiplies_matrices_with_numpy():
    pipeline = nlp.load()
    models = [getattr(component, "model", None) for _, component in pipeline.pipeline]
    layers = [layer for model in models if model is not None for layer in model.walk()]
    assert layers
    assert all(getattr(layer.ops, "use_blis", False) is False for layer in layers)


def test_the_tuned_pipeline_reads_a_story_exactly_as_spacy_does():
    paragraphs = _paragraphs()
    stock = spacy.load(nlp.default_model_name())
    ours = nlp.parse(nlp.load(), paragraphs, batch_size=8)
    assert len(ours) == len(paragraphs)
    assert _analyses(ours) == _analyses(stock.pipe(paragraphs, batch_size=8))
