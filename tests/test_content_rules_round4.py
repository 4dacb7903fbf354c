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


def tags_with_reader_finding(monkeypatch, text: str, tag: str, cited: str):
    """Run the stage with the learned reader replaced by one that finds ``tag`` alone, citing the sentence that
    starts with ``cited``: what is left of it after the reader-only check."""
    from ficlens.ingest import from_text
    from ficlens.model import Evidence, TagFinding
    from ficlens.pipeline import Options, run
    from ficlens.stages import content

    def reader_finds(story, sentences, warnings, tags, rule_hits=None):
        s = next(s for s in sentences if story.text[s.start : s.end].startswith(cited))
        tags.append(TagFinding(tag=tag, confidence=0.8, evidence=[Evidence(s.start, s.end, story.text[s.start : s.end])]))

    monkeypatch.setattr(content, "combine_with_model", reader_finds)
    story = run(from_text(text), Options(stages=STAGES))
    return {f.tag: [e.text for e in f.evidence] for f in story.tags.freeform}


def test_reader_only_suicidal_thoughts_need_a_sentence_of_ideation(monkeypatch):
    said = (
        "Mara sat by the window all evening. She thought about the rent, and the rain. "
        "She thought about how restful it would be to simply stop."
    )
    found = tags_with_reader_finding(monkeypatch, said, "Suicidal Thoughts", "She thought about the rent")
    assert found["Suicidal Thoughts"][0] == "She thought about how restful it would be to simply stop."
    # the near miss: thinking, and a wish to stop that is negated, is no ideation
    unsaid = (
        "Mara sat by the window all evening. She thought about the rent, and the rain. "
        "She didn't want to stop working, not yet."
    )
    assert "Suicidal Thoughts" not in tags_with_reader_finding(
        monkeypatch, unsaid, "Suicidal Thoughts", "She thought about the rent"
    )


def test_reader_only_self_harm_is_not_wounds_a_captor_inflicts(monkeypatch):
    captive = (
        "They tied Jonah to the chair with wire. The captain asked him again where the guns were. "
        "The knife opened a line across his arm, and the blood ran down to his wrist."
    )
    assert "Self-Harm" not in tags_with_reader_finding(monkeypatch, captive, "Self-Harm", "The knife opened")
    # the near miss: the same wound, no captor in the scene
    alone = (
        "Jonah locked the bathroom door. He sat on the edge of the bath. "
        "The knife opened a line across his arm, and the blood ran down to his wrist."
    )
    assert "Self-Harm" in tags_with_reader_finding(monkeypatch, alone, "Self-Harm", "The knife opened")


BAELA = "Baela ran down to the beach. Baela was shaking. Jace was lying in the sand, and Baela knelt by Jace. "


def test_eyes_that_go_and_do_not_come_back():
    text = BAELA + "Jace smiled at her, and then his eyes went somewhere past her shoulder, to the gulls, and did not come back."
    assert rule_hits(text, "Major Character Death") == {3: 0.85}
    # the near miss: a glance that leaves the page, and does not come back to it
    text = BAELA + "He smiled at her, and then his eyes went to the window and did not come back to the book."
    assert rule_hits(text, "Major Character Death") == {}


def test_a_person_burned_on_a_pyre_is_laid_to_rest():
    pyre = BAELA + "They burned Jace on the beach at dusk, as was the custom of their house. The pyre smoked black."
    assert rule_hits(pyre, "Major Character Death") == {3: 0.85}
    # the near misses: a burn with no pyre is a wound, and the dead burned together are mourned, not one death
    poker = BAELA + "Aemond burned Jace with the poker. Jace screamed."
    assert rule_hits(poker, "Major Character Death") == {}
    many = BAELA + "They burned them all that night in the square, a pyre higher than the houses."
    assert rule_hits(many, "Major Character Death") == {}
    assert rule_hits(many, "Grief/Mourning")


MAREN = "Maren walked along the shore. Maren was cold. Her mother had loved the lake. "


def suicide_details(text: str) -> set:
    return {h for h in rule_hits_with_detail(text, "Suicide")}


def rule_hits_with_detail(text: str, tag: str) -> set:
    from ficlens.ingest import from_text
    from ficlens.pipeline import Context, Options, stage_function

    story, ctx = from_text(text), Context(Options(stages=STAGES))
    for name in STAGES:
        stage_function(name)(story, ctx)
    return {hit.detail for hit in ctx.cache["content_rule_hits"].get(tag, {}).values()}


def test_stones_in_the_pockets_are_a_drowning_and_an_age_places_it_in_the_past():
    told = MAREN + "That morning her mother walked into the lake with stones in the pockets of her coat."
    assert suicide_details(told) == {"depicted"}
    recalled = MAREN + "Maren was nine when her mother walked into the lake with stones in the pockets of her coat."
    assert suicide_details(recalled) == {"mentioned"}
    # the near misses: pockets full of sweets, stones skimmed across the water
    assert suicide_details(MAREN + "Tom filled his pockets with sweets and walked into the lake up to his knees.") == set()
    assert suicide_details(MAREN + "Tom skimmed stones across the lake until his pockets were empty.") == set()


def test_a_bottle_of_spirits_drunk_by_one_person():
    tom = "Tom came home late. Tom was loud. "
    drinks = tom + "He drinks a bottle of supermarket whisky on a Friday and most of another on Saturday."
    assert rule_hits(drinks, "Alcohol Abuse") == {2: 0.6}
    # the near miss: a bottle shared at a wedding is only the weak word "whisky"
    shared = tom + "They drank a bottle of whisky between the four of them at the wedding."
    assert rule_hits(shared, "Alcohol Abuse") == {2: 0.12}


def test_a_weapons_wound_is_a_blow_and_a_pyre_is_none():
    wound = BAELA + "There was a long axe-wound in Jace's side, and the blood had pooled under him."
    assert rule_hits(wound, "violence") == {3: 0.35}
    # the near misses: a wound long healed, and a body burned on a pyre
    healed = BAELA + "There was an old axe-wound from years ago on Jace's side, white and smooth."
    assert rule_hits(healed, "violence") == {}
    pyre = BAELA + "They burned Jace on the beach at dusk, as was the custom of their house. The pyre smoked black."
    assert rule_hits(pyre, "violence") == {}
    assert rule_hits(BAELA + "Aemond burned Jace with the poker. Jace screamed.", "violence")


def rule_tags(monkeypatch, text: str) -> set:
    """The tags the rules alone give (the learned reader, which the lead retrains, switched off)."""
    from ficlens.ingest import from_text
    from ficlens.pipeline import Options, run
    from ficlens.stages import content_model

    monkeypatch.setattr(content_model, "load_model", lambda: None)
    story = run(from_text(text), Options(stages=STAGES))
    return {f.tag for f in story.warnings + story.tags.freeform}


def test_a_method_of_torture_used_on_a_captive(monkeypatch):
    held = (
        "The cellar was cold. Daven was tied to the table. Kelsier stopped in the doorway. "
        "They had flayed his back in strips, and pressed hot irons to the raw flesh."
    )
    assert "Torture" in rule_tags(monkeypatch, held)
    # the near misses: the same wound with no one held, and a thumb hanging by a flap of skin after an accident
    free = (
        "The cellar was cold. Daven sat by the fire. Kelsier stopped in the doorway. "
        "They had flayed his back in strips, and pressed hot irons to the raw flesh."
    )
    assert "Torture" not in rule_tags(monkeypatch, free)
    accident = (
        "The cellar was cold. Daven was tied to the table. Kelsier stopped in the doorway. "
        "The cleaver had slipped, and the thumb was hanging by a flap of skin."
    )
    assert "Torture" not in rule_tags(monkeypatch, accident)


def test_a_limb_taken_off_told_in_the_passive():
    boy = BAELA + "A boy lay by the door, his leg taken off below the knee by a cannonball."
    assert rule_hits(boy, "gore") == {3: 0.45}
    assert rule_hits(boy, "violence") == {3: 0.35}
    # the near miss: a hand taken off a shoulder is a place left, not a limb lost
    hand = BAELA + "Jace sighed, his hand taken off her shoulder at last."
    assert rule_hits(hand, "gore") == {}


def test_a_hole_in_a_forehead():
    shot = BAELA + "Feuilly lay against the wall, with a bullet hole in his forehead."
    assert rule_hits(shot, "gore") == {3: 0.45}
    # the near miss: a hole in a sock
    assert rule_hits(BAELA + "Jace laughed at the hole in his sock.", "gore") == {}


def test_a_nail_that_comes_away():
    nail = BAELA + "Sevika took his hand, and the nail came away with a wet little tug."
    assert rule_hits(nail, "violence") == {3: 0.35}
    # the near miss: a nail that comes out of a plank is no body's
    plank = BAELA + "Jace pulled at the plank until the nail came out of the wood."
    assert rule_hits(plank, "violence") == {}


def test_an_end_imagined_and_then_done(monkeypatch):
    pool = (
        "Kendall sat on the edge of the pool. Kendall thought about the water. "
        "He could just slide forward and not come up. "
        "The lights hummed under the surface. He slid forward."
    )
    assert "Suicide" in rule_tags(monkeypatch, pool)
    # the near miss: the same thought, and then he gets up and goes inside
    kept = (
        "Kendall sat on the edge of the pool. Kendall thought about the water. "
        "He could just slide forward and not come up. "
        "The lights hummed under the surface. He stood up and walked back to the house."
    )
    assert "Suicide" not in rule_tags(monkeypatch, kept)


def test_skin_a_raw_mess_and_a_flap_hanging_loose():
    raw = BAELA + "The whip came down until the skin over his ribs was just a raw, glistening mess."
    assert rule_hits(raw, "gore") == {3: 0.45}
    flap = BAELA + "There was a flap hanging loose near his collarbone."
    assert rule_hits(flap, "gore") == {3: 0.45}
    # the near misses: a tent flap hanging loose, a mind that is a raw mess
    tent = BAELA + "The tent flap was hanging loose in the wind."
    assert rule_hits(tent, "gore") == {}
    mind = BAELA + "After the funeral Jace was a raw mess for weeks."
    assert rule_hits(mind, "gore") == {}


def test_a_captive_held_until_set_free(monkeypatch):
    filler = " ".join(f"The lamp hummed for the {n}th time." for n in range(4, 30))
    held = (
        "Will woke on a steel table. His wrists are strapped down. " + filler + " "
        "Cordell takes a strip of skin from Will's temple and lays it in a dish. " + filler + " "
        "Hannibal unbuckles the strap across Will's forehead."
    )
    assert "Torture" in rule_tags(monkeypatch, held)
    # the near miss: the straps come off before the knife, far back in the chapter
    freed = (
        "Will woke on a steel table. His wrists are strapped down. Hannibal unbuckles the strap across Will's "
        "forehead. " + filler + " Cordell takes a strip of skin from Will's temple and lays it in a dish."
    )
    assert "Torture" not in rule_tags(monkeypatch, freed)


def test_a_film_in_another_clause_does_not_unmake_a_suicide():
    nell = "Nell sat in the kitchen. Nell was twelve then. "
    told = nell + "He had taken his own life that March, and she had gone to Kirsty's to watch a film."
    assert rule_hits_with_detail(told, "Suicide") == {"mentioned"}
    # the near misses: the act inside the film, or inside the dream
    film = nell + "In the film, the old sailor took his own life on the last night of the voyage."
    assert rule_hits_with_detail(film, "Suicide") == set()
    dream = nell + "She dreamed that her brother took his own life."
    assert rule_hits_with_detail(dream, "Suicide") == set()


def test_a_dream_told_without_a_verb_is_read_to_its_end():
    # "A dream where he killed himself.": the dream's clause has no verb above it, so the climb to the verb that
    # governs "dream" stops at the root.  It once looked for a verb for ever (the root's head is the root, but a
    # new spaCy token at every read, so "is" never saw it): the analysis hung.
    import signal

    def hung(*_):
        raise TimeoutError("the content stage did not finish")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        told = "Sasuke woke before dawn. A dream where he killed himself. Again. He got up and made tea."
        assert rule_hits_with_detail(told, "Suicide") == set()  # inside the dream: no act of the story's
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


HAYMITCH = "Haymitch lay in the infirmary. Haymitch was shaking. "


def test_drinking_said_by_the_drinker_and_pills_the_doctor_stopped():
    own = HAYMITCH + '"Twenty-four years I haven\'t gone a single day without a drink in me," he said.'
    assert rule_hits(own, "Alcohol Abuse") == {2: 0.6}
    # the near miss: said of someone else, in dialogue, it may be talk
    other = HAYMITCH + '"Twenty-four years he hasn\'t gone a single day without a drink," she said.'
    assert rule_hits(other, "Alcohol Abuse") == {2: 0.45}
    pills = HAYMITCH + "Two weeks of pills, then two more, and then the doctor stopped writing them."
    assert rule_hits(pills, "Drug Abuse") == {2: 0.6}
    # the near miss: a doctor who stopped writing letters
    letters = HAYMITCH + "The doctor stopped writing to his sister after the war."
    assert rule_hits(letters, "Drug Abuse") == {}


def warnings_with_reader_finding(monkeypatch, text: str, tag: str, detail: str, cited: str) -> set:
    """The warnings when the learned reader alone finds ``tag`` (with ``detail``), citing ``cited``."""
    from ficlens.ingest import from_text
    from ficlens.model import Evidence, TagFinding
    from ficlens.pipeline import Options, run
    from ficlens.stages import content

    def reader_finds(story, sentences, warnings, tags, rule_hits=None):
        s = next(s for s in sentences if story.text[s.start : s.end].startswith(cited))
        evidence = [Evidence(s.start, s.end, story.text[s.start : s.end])]
        tags.append(TagFinding(tag=tag, confidence=0.8, evidence=evidence, detail=detail))

    monkeypatch.setattr(content, "combine_with_model", reader_finds)
    return {w.tag for w in run(from_text(text), Options(stages=STAGES)).warnings}


PAUSE = " ".join(["The lamp hummed.", "Water dripped.", "The guard yawned.", "Nobody spoke.", "The clock ticked."])


def test_torture_shown_with_its_blood_and_a_blow_in_the_scene_is_graphic(monkeypatch):
    scene = (
        "Killua hung from the chains. Blood ran from his nose and pooled on the floor. "
        "The blood was slick under his feet and soaked his shirt. " + PAUSE + " "
        "Milluki hit him in the mouth with the whip handle."
    )
    found = warnings_with_reader_finding(monkeypatch, scene, "Torture", "depicted", "Killua hung")
    assert "Graphic Depictions Of Violence" in found
    # the near miss: the blow is in another scene, years later
    apart = (
        "Killua hung from the chains. Blood ran from his nose and pooled on the floor. "
        "The blood was slick under his feet and soaked his shirt. " + PAUSE + "\n\n* * *\n\n"
        "Years later, in another city, Milluki hit a stranger in the mouth with the whip handle."
    )
    found = warnings_with_reader_finding(monkeypatch, apart, "Torture", "depicted", "Killua hung")
    assert "Graphic Depictions Of Violence" not in found


def test_a_suicide_days_ago_at_the_funeral_is_the_storys_death(monkeypatch):
    recent = (
        "Nell stood in the church. There were lilies on the coffin. Callum had been her brother. "
        "Callum was funny. Nine days ago, Callum took his own life."
    )
    assert "Major Character Death" in rule_tags(monkeypatch, recent)
    # the near miss: a suicide years ago is a past behind the story, mentioned
    remote = (
        "Nell stood in the church. There were lilies on the coffin. Callum had been her brother. "
        "Callum was funny. Twenty years ago, Callum's father took his own life."
    )
    assert "Major Character Death" not in rule_tags(monkeypatch, remote)


def test_an_arm_through_a_body():
    through = BAELA + "When the dust cleared, Akaza's arm was through him. It came out of his back, wet and dark."
    assert rule_hits(through, "violence") == {3: 0.35, 4: 0.35}
    # the near misses: an arm through a sleeve, a man who came out of his back room, a needle under the collarbone
    sleeve = BAELA + "Jace's arm was through the sleeve before she could help. He came out of his back room smiling."
    assert rule_hits(sleeve, "violence") == {}
    needle = BAELA + "She felt the needle go in under her collarbone, a cold sharp sting."
    assert rule_hits(needle, "violence") == {}
