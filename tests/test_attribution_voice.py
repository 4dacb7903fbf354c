"""Each character's voice, learned from the lines tags name them for (stages/attribution_voice.py)."""

from ficlens.stages.attribution_voice import Voices, words

PRATT = ["La, my dear, I declare it is too shocking!", "My dear Miss Hale, I declare you are too good.",
         "Oh, la! I declare I never heard the like, my dear."]
HALE = ["I think we should go home now.", "The road is long and the light is going.",
        "We can speak of it tomorrow, if you wish."]


def _voices() -> Voices:
    tagged = [("pratt", t) for t in PRATT] + [("hale", t) for t in HALE]
    return Voices([t for _, t in tagged] + ["Is it far?", "Not very."], tagged)


def test_words_keep_contractions_and_drop_punctuation():
    assert words("Don't, my dear — I’ll go!") == ["don't", "my", "dear", "i’ll", "go"]


def test_a_line_in_a_characters_idiom_sounds_like_them_and_not_like_the_other():
    voices = _voices()
    line = "I declare, my dear, it is shocking."
    assert voices.score(1, line, "pratt") > 0
    assert voices.score(1, line, "hale") < 0
    plain = "We should go, if the light is going."
    assert voices.score(2, plain, "hale") > voices.score(2, plain, "pratt")


def test_a_character_with_no_tagged_lines_sounds_like_anyone():
    voices = _voices()
    assert voices.score(3, "I declare, my dear.", "stranger") == 0.0
    assert voices.score(4, "", "pratt") == 0.0
