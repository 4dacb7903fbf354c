"""Rules of the fourth round of the content stage, each beside a near miss that must not fire (texts written for
these tests)."""

from pathlib import Path

import pytest

from .conftest import fixture_analyser

FIXTURES = Path(__file__).parent / "fixtures" / "content"
STAGES = ("structure", "fandom", "quotes", "characters", "attribution", "narrative", "content")


@pytest.fixture(scope="module")
def analyse():
    return fixture_analyser(FIXTURES, STAGES)


def rule_hits(text: str, tag: str) -> dict:
    """The content rules' hits for one tag (sentence index -> strength) on a short text."""
    from ficlens.ingest import from_text
    from ficlens.pipeline import Context, Options, stage_function

    story, ctx = from_text(text), Context(Options(stages=STAGES))
    for name in STAGES:
        stage_function(name)(story, ctx)
    return {key: round(hit.strength, 2) for key, hit in ctx.cache["content_rule_hits"].get(tag, {}).items()}


TOBIAS = "Tobias walked home through the snow. Tobias was tired, and Tobias was cold. "


def test_a_death_that_ends_a_span_of_time_is_no_death():
    assert rule_hits(TOBIAS + "Tobias would hate himself for it until the day he died.", "Major Character Death") == {}
    assert rule_hits(TOBIAS + "Tobias would remember it till the day he dies.", "Major Character Death") == {}
    # the near miss: a death told on its day is a death
    assert rule_hits(TOBIAS + "It snowed on the day that Tobias died.", "Major Character Death") == {2: 0.85}


def test_him_is_never_the_killer_himself():
    # The characters stage reads "him" as Kiba, the subject of "killed"; an object pronoun cannot be its own
    # clause's subject, so the victim is someone unnamed here: likely a death, not a main character's.
    text = "Kiba crossed the yard. Kiba was angry. The guard raised his spear and laughed at the boy. Kiba killed him."
    assert rule_hits(text, "Major Character Death") == {3: 0.55}
    # the near miss: a named victim is still a main character's death
    text = "Kiba crossed the yard. Kiba was angry. Naruto raised his spear. Naruto laughed. Kiba killed Naruto."
    assert rule_hits(text, "Major Character Death") == {4: 0.85}


def test_a_character_who_came_back_once_does_not_die_on_cue(analyse):
    # Maren "dies" in a play, sits up and speaks, and "dies" again on opening night: no death of the story's.
    assert "Major Character Death" not in {w.tag for w in analyse("death_on_stage_near.txt").warnings}
    # the near miss: Maren speaks before she dies, never after, and the death is a death
    assert "Major Character Death" in {w.tag for w in analyse("death_on_stage_real.txt").warnings}
