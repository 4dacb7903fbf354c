"""How the content stage looks its cues up quickly without finding anything else.

Its phrase patterns skip, by substring search, sentences that hold none of the words every match needs (what they
find must be exactly what the plain pattern finds); a sentence gives the tokens of a cue list's lemmas from its own
few lemmas."""

import re
from pathlib import Path

from ficlens.stages._prefiltered import PrefilteredPattern, required_stretches
from ficlens.stages.content import _warning_cues
from ficlens.stages.content_cues import compile_phrases

FIXTURES = Path(__file__).parent / "fixtures" / "content"


def test_the_stretches_every_match_needs_are_read_off_the_pattern():
    # each alternative gives its longest literal stretch; "took|drew" inside a group and the repeated
    # "(?:very )+" are looked into; a stretch holding another ("a pool of blood") is dropped
    pattern = re.compile(r"(?:took|drew) (?:his|her) last breath|pool of blood|a pool of blood|(?:very )+cold")
    assert required_stretches(pattern) == (" last breath", "pool of blood", "very ")


def test_a_pattern_with_no_stretch_in_some_alternative_is_run_unfiltered():
    assert required_stretches(re.compile(r"pool of blood|\w+ed")) is None  # "\w+ed" needs no three letters
    assert required_stretches(re.compile(r"(?:very )?ox")) is None  # "very " may be absent, "ox" is short
    assert required_stretches(re.compile(r"pool of blood", re.IGNORECASE)) is None  # "Pool" would be missed
    assert required_stretches(re.compile(r"(?i:pool) of blood")) == (" of blood",)


def test_a_sentence_without_the_stretches_is_skipped_and_one_with_them_matched_as_before():
    pattern = PrefilteredPattern(re.compile(r"(?<![\w-])(?:stopped breathing|(?:his|her) heart stopped)(?![\w-])"))
    assert pattern.search("she stopped to think.") is None
    assert [m.group(0) for m in pattern.finditer("then her heart stopped, and he stopped breathing.")] == [
        "her heart stopped", "stopped breathing"]
    assert pattern.findall("his heart stoppeded") == []  # the stretch is there; the pattern still decides


def test_every_warning_phrase_list_finds_what_its_plain_pattern_finds_in_the_fixtures():
    texts = [p.read_text(encoding="utf-8").lower() for p in sorted(FIXTURES.rglob("*.txt"))]
    sentences = [s for text in texts for s in re.split(r"(?<=[.!?\"”])\s+", text)]
    lists = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list) and key.endswith("phrases") and node:
            lists.append(tuple(node))

    walk(_warning_cues())
    filtered = 0
    found = 0
    for phrases in lists:
        pattern = compile_phrases(phrases)
        filtered += pattern.needles is not None
        for s in sentences:
            got = [m.span() for m in pattern.finditer(s)]
            assert got == [m.span() for m in pattern.regex.finditer(s)]
            found += len(got)
    assert filtered >= len(lists) - 2 and found > 20


def test_a_sentence_gives_the_tokens_whose_lemma_a_cue_list_holds():
    # the detectors ask a sentence for its tokens of a few cue lemmas (its lemmas looked up in the lists, not the
    # lists walked per token): every inflection of the lemma, in order, and nothing for a list it lacks
    from ficlens.ingest import from_text
    from ficlens.pipeline import Context, Options, stage_function
    from ficlens.stages.content_parse import story_sentences

    story = from_text("Rin stopped. He stops, and they had stopped the cart before the bodies stopped breathing.\n")
    ctx = Context(Options())
    for name in ("structure", "quotes"):
        stage_function(name)(story, ctx)
    second = story_sentences(story, ctx)[1]
    assert [t.text for t in second.with_lemma(["stop"])] == ["stops", "stopped", "stopped"]
    assert [t.text for t in second.with_lemma(["cart"], ("breathe", "kill"))] == ["cart", "breathing"]
    assert second.with_lemma(["die", "kill"]) == []
    assert second.lemmas[:2] == ["he", "stop"]
