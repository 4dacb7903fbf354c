"""The content stage (warnings, additional tags, rating) on short stories written for these tests.

Each fixture is checked for the warnings and tags it must get and for those it must not: a tag that appears where
it should not fails the test as surely as one that is missed (MAY_ALSO_HAVE lists the few a careful tagger could
add either way).  Near misses (a death averted, a threat in dialogue,
a death long past, a kiss refused...) sit beside the stories that earn the tag.
"""

from pathlib import Path

import pytest

from .conftest import fixture_analyser

FIXTURES = Path(__file__).parent / "fixtures" / "content"
STAGES = ("structure", "fandom", "quotes", "characters", "attribution", "narrative", "content")


@pytest.fixture(scope="module")
def analyse():
    """Analyse a fixture once per module (spaCy loads once per process)."""
    return fixture_analyser(FIXTURES, STAGES)


def warnings(story):
    return {w.tag for w in story.warnings}


def tags(story):
    return {t.tag for t in story.tags.freeform}


def finding(story, tag):
    return next(f for f in story.warnings + story.tags.freeform if f.tag == tag)


def evidence(story, tag):
    return [e.text for e in finding(story, tag).evidence]


EXPECTED = [
    # fixture, warnings, additional tags, rating
    # Teen, or Mature with the graphic-violence warning it may also carry (MAY_ALSO_HAVE).
    ("mcd.txt", {"Major Character Death"}, set(), {"Teen And Up Audiences", "Mature"}),
    ("mcd_averted.txt", set(), set(), "General Audiences"),
    ("death_near_misses.txt", set(), set(), "General Audiences"),
    ("death_mentioned.txt", set(), set(), "General Audiences"),
    ("violence_graphic.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    ("threat_in_dialogue.txt", set(), set(), "General Audiences"),
    ("suicide_depicted.txt", {"Major Character Death"}, {"Suicide"}, "Mature"),
    ("suicide_mentioned.txt", set(), {"Suicide"}, "Teen And Up Audiences"),
    ("suicidal_thoughts.txt", set(), {"Suicidal Thoughts"}, "Teen And Up Audiences"),
    ("self_harm.txt", set(), {"Self-Harm"}, "Teen And Up Audiences"),
    ("self_harm_near.txt", set(), set(), "General Audiences"),
    ("alcohol.txt", set(), {"Alcohol Abuse"}, "Teen And Up Audiences"),
    ("alcohol_near.txt", set(), set(), "General Audiences"),
    ("drugs.txt", set(), {"Drug Abuse"}, "Teen And Up Audiences"),
    # Fingers broken one at a time, blood wiped from the torturer's hands: graphic as well as torture.
    ("torture.txt", {"Graphic Depictions Of Violence"}, {"Torture"}, "Mature"),
    ("torture_near.txt", set(), set(), "General Audiences"),
    # One "Abuse" tag (what readers filter on and the evaluation counts); who abuses whom is its detail.
    ("child_abuse.txt", set(), {"Abuse"}, "Teen And Up Audiences"),
    ("war.txt", set(), {"War"}, "Teen And Up Audiences"),
    ("war_near.txt", set(), set(), "General Audiences"),
    ("grief.txt", set(), {"Grief/Mourning"}, "General Audiences"),
    ("guilt.txt", set(), {"Guilt"}, "General Audiences"),
    ("romance.txt", set(), {"Romance"}, "General Audiences"),
    ("kiss_refused.txt", set(), set(), "General Audiences"),
    ("friendship.txt", set(), {"Friendship"}, "General Audiences"),
    ("not_friends.txt", set(), set(), "General Audiences"),
    ("fluff.txt", set(), {"Fluff", "Romance"}, "General Audiences"),
    ("angst.txt", set(), {"Angst"}, "General Audiences"),
    ("hurt_comfort.txt", set(), {"Hurt/Comfort"}, "General Audiences"),
    ("humor.txt", set(), {"Humor"}, "General Audiences"),
    ("rape.txt", {"Rape/Non-Con"}, set(), "Mature"),
    ("minor_not_sexual.txt", set(), set(), "General Audiences"),
    ("language.txt", set(), set(), "Teen And Up Audiences"),
    ("explicit.txt", set(), {"Romance"}, "Explicit"),
    ("minor_character_dies.txt", set(), set(), "Teen And Up Audiences"),
    ("memorial.txt", set(), {"Suicide", "Grief/Mourning"}, "Teen And Up Audiences"),
    ("underage_report.txt", {"Underage"}, set(), "Mature"),
    # A death told in the pluperfect and then mourned at a funeral; its victim is named once.
    ("mourned_death.txt", {"Major Character Death"}, {"Grief/Mourning"}, "Teen And Up Audiences"),
    # Gore in a fight with a beast: no person is hurt on the page, the violence is still graphic.
    ("beast_gore.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    # A massacre remembered, thoughts of stepping off a roof, a friend who interrupts.
    ("rooftop_thoughts.txt", set(), {"Suicidal Thoughts"}, "Teen And Up Audiences"),
    # A soldier wounded in the trenches and a friend at his bedside.
    ("field_hospital.txt", set(), {"War", "Hurt/Comfort"}, "Teen And Up Audiences"),
    # Abuse told by its signs (hidden bruises, "it would never happen again", a shelter) and one negated-looking
    # sentence whose violence is real: "They did not see him slam her against the kitchen wall".
    ("abuse_signs.txt", set(), {"Abuse"}, "Teen And Up Audiences"),
    # Understated warmth that VADER scores as neutral: birthday, cake, a gift, a smile.
    ("quiet_birthday.txt", set(), {"Fluff"}, "General Audiences"),
    # Near death averted (still breathing, "You're alive"), then care through the night.
    ("avalanche.txt", set(), {"Hurt/Comfort"}, "General Audiences"),
    # Near misses: threats to kill in dialogue, a mother dead long ago, social drinking, a kiss declined.
    ("idle_threats.txt", set(), set(), "General Audiences"),
    ("old_photograph.txt", set(), set(), "General Audiences"),
    ("after_shift.txt", set(), set(), "General Audiences"),
    ("declined.txt", set(), set(), "General Audiences"),
    # Death in ordinary words: a chest that "didn't rise again" after a sword "caught him under the ribs".
    ("death_in_plain_words.txt", {"Graphic Depictions Of Violence", "Major Character Death"}, set(), "Mature"),
    # ...and the same words that are no death: waking at noon, eyes gone far away, a training dummy, a threat.
    ("death_in_plain_words_near.txt", set(), set(), "General Audiences"),
    # Torture never named: a captive strapped to a chair, a question repeated, a finger broken, needles.
    ("interrogation.txt", {"Graphic Depictions Of Violence"}, {"Torture"}, "Mature"),
    # A prisoner in a cell questioned every hour, and no pain: no torture.
    ("interrogation_near.txt", set(), set(), "General Audiences"),
    # Self-harm by its signs: a sweater in summer, sleeves over the hands, neat lines on a forearm, a blade kept.
    ("self_harm_signs.txt", set(), {"Self-Harm"}, "Teen And Up Audiences"),
    # Old scars from missions and long sleeves in winter: no self-harm.
    ("scars_near.txt", set(), set(), "General Audiences"),
    # A suicide by its signs: belongings given away, an emptied pill bottle, a note, a burial.
    ("suicide_by_signs.txt", {"Major Character Death"}, {"Suicide", "Grief/Mourning"}, "Mature"),
    # A note on the fridge and an empty bottle of soy sauce: nobody has died.
    ("note_on_the_fridge.txt", set(), set(), "General Audiences"),
    # Mourning by its rites: a place laid too many, a stone with his name carved on it.
    ("grief_rites.txt", set(), {"Grief/Mourning"}, "General Audiences"),
    # A quiet death by its signs (fingers gone slack, no pulse, gone before sunrise, eyes closed for her); the care
    # at her bedside ends in her death, so it is no hurt/comfort.
    ("quiet_death.txt", {"Major Character Death"}, set(), "Teen And Up Audiences"),
    # "Gone before breakfast" on a courier run: no death.
    ("gone_before_breakfast.txt", set(), set(), "General Audiences"),
    # Near misses for the newer cues: regret over an umbrella, a ball in the face, love that "hit him in the chest
    # like a freight train", swigs and empties at a party, "dude" and "bro", sleeves pulled down against the cold,
    # an empty bottle and a note that says CLEAN THIS UP.
    ("party_near_misses.txt", set(), set(), "General Audiences"),
    # More: an exam hall "prison" with a question asked again, a spoon bent until it snapped, a grave visited years
    # on, a chest that "didn't rise again for a long moment" under water, apologies over a vase, a hand gone slack
    # in sleep.
    ("everyday_near_misses.txt", set(), set(), "General Audiences"),
    # A sparring match told blow by blow, ending in a bloody nose and a split lip: violence, not graphic.
    ("sparring.txt", set(), set(), "Teen And Up Audiences"),
    # Read through the parse, in words no cue list holds: a knife to "his own thigh" in the garage; a thumb cut
    # chopping onions "by accident" and a flannel pressed to a forehead are not self-harm.
    ("self_harm_parse.txt", set(), {"Self-Harm"}, "Teen And Up Audiences"),
    ("self_harm_parse_near.txt", set(), set(), "General Audiences"),
    # Hoping "he would not wake up tomorrow"; against wanting "to disappear under the stage" from embarrassment
    # and hoping the neighbours' baby would not wake.
    ("suicidal_parse.txt", set(), {"Suicidal Thoughts"}, "Teen And Up Audiences"),
    ("suicidal_parse_near.txt", set(), set(), "General Audiences"),
    # A man tied to a pipe, asked again and again, his fingers broken one by one, screaming: torture never named.
    ("torture_parse.txt", {"Graphic Depictions Of Violence"}, {"Torture", "Blood and Gore"}, "Mature"),
    # A stepdad who "came home angry", then "he" shoves her mum and slaps Keira; a dad who hits a baseball.
    ("abuse_parse.txt", set(), {"Abuse"}, "Teen And Up Audiences"),
    ("abuse_parse_near.txt", set(), set(), "General Audiences"),
    # A stabbing "in the stomach" and a nose that "broke with a wet crunch": graphic without a pool of blood; a
    # fork that "stabbed at his peas", a look "shot" across a table and a grazed knee are not.
    ("violence_parse.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    ("violence_parse_near.txt", set(), set(), "General Audiences"),
    # "Her family would be better off without her" and thinking about the pills in the drawer; against a
    # flatmate's "You're better off without him" about an ex, and pills to collect for a grandad.
    ("suicidal_burden.txt", set(), {"Suicidal Thoughts"}, "Teen And Up Audiences"),
    ("suicidal_burden_near.txt", set(), set(), "General Audiences"),
    # Freezing at a husband's key in the lock, then one blow: abuse; a boy scared his dad will be cross about a
    # window, and the dad laughs: not.
    ("abuse_fear.txt", set(), {"Abuse"}, "Teen And Up Audiences"),
    ("abuse_fear_near.txt", set(), set(), "General Audiences"),
    # Habitual "would": a blade dragged "along her own forearm" whenever the quiet got too loud.
    ("self_harm_habit.txt", set(), {"Self-Harm"}, "Teen And Up Audiences"),
    # A boy chained to a mast, a hot knife pressed to his back "again and again", nothing asked: torture; a
    # patient strapped to a bed, waking "again and again", a cool cloth pressed to his forehead: not.
    ("torture_no_question.txt", {"Graphic Depictions Of Violence"}, {"Torture"}, "Mature"),
    ("torture_no_question_near.txt", set(), set(), "General Audiences"),
    # "Thinking about ending it for weeks", things given away; against "ending it with Tom", a break-up.
    ("suicidal_ending.txt", set(), {"Suicidal Thoughts"}, "Teen And Up Audiences"),
    ("suicidal_ending_near.txt", set(), set(), "General Audiences"),
    # "Loki is dead." and a funeral, then Loki speaks: a death faked; "stopped dead", laughing "against his will"
    # and "you absolute suicidal idiot" are no death, no rape and no suicidal thoughts; nor is scratching his stomach
    # self-harm.
    ("faked_death_near.txt", set(), set(), "General Audiences"),
    # The author's note declares what the quiet story leaves unsaid; "no rape", "nobody gets tortured" declare
    # nothing, nor do "no character death" and a minor character's (a goldfish's) death.
    ("declared_warnings.txt", {"Major Character Death"}, {"Self-Harm"}, "Teen And Up Audiences"),
    ("declared_warnings_near.txt", set(), set(), "General Audiences"),
    # The warnings stand in a disclaimer and in an unlabelled header that a scene break closes.
    ("declared_in_header.txt", set(), {"Suicide", "Alcohol Abuse"}, "Teen And Up Audiences"),
    # Drinking told by its course: started "and she didn't stop", sake on her breath at the office at noon.
    ("quiet_drinking.txt", set(), {"Alcohol Abuse"}, "Teen And Up Audiences"),
    # A death told only by the funeral of the man the story is about.
    ("named_funeral.txt", {"Major Character Death"}, {"Grief/Mourning"}, "Teen And Up Audiences"),
    # A hand that "shot up", a girl who "shot up about three feet", a jolt felt "up his own shoulder" after a
    # punch at a post: no drugs, no self-harm.
    ("shot_up_near.txt", set(), set(), "General Audiences"),
    # "Then he cast himself upon it", the sword named the sentence before; against throwing oneself into
    # training, onto a sofa and in front of a cart to save a child.
    ("suicide_by_the_sword.txt", {"Major Character Death"}, {"Suicide"}, "Mature"),
    ("threw_himself_near.txt", set(), set(), "General Audiences"),
    # Torture with its injuries told: a fingernail taken with pliers, cuts along the ribs, blood pooled; against
    # nails pulled from a fence and paper cuts across the fingers.
    ("pliers_and_knife.txt", {"Graphic Depictions Of Violence"}, {"Torture", "Blood and Gore"}, "Mature"),
    ("pliers_near.txt", set(), set(), "General Audiences"),
    # A death told by the funeral of the man in the coffin ("Tomas is in the box"), "nobody says how he died" (the
    # clause under "how" is a fact) and "he'd still be alive if...".
    ("funeral_in_the_box.txt", {"Major Character Death"}, {"Grief/Mourning"}, "Teen And Up Audiences"),
    # A death only reported ("Ferris explains ... that the Duke is dead"), a boy "in the box" of a stage trick with
    # no funeral near, "what was left of his patience"; and a funeral for a captain who "had faked his own death".
    ("funeral_in_the_box_near.txt", set(), set(), "General Audiences"),
    ("mock_funeral_near.txt", set(), set(), "General Audiences"),
    # A dagger set "against his own throat" and, the next sentence, "dead before the raiders reached" him: a
    # suicide shown; against a razor laid to a customer's throat, an apprentice shaving "his own throat" with no
    # death after it, and harbour water "turned red under the setting sun" beside tea that tasted of copper.
    ("own_blade.txt", {"Major Character Death"}, {"Suicide"}, "Mature"),
    ("own_blade_near.txt", set(), set(), "General Audiences"),
    # Wounds without the stock words: "his arm gone at the elbow", "bleeding heavily into the water", blood that
    # "had dried black on the stones"; against watercolours that "bled down the wet paper", apples cut "in half"
    # and a thumb cut on a tin opener.
    ("wounds_without_stock_words.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    ("wounds_without_stock_words_near.txt", set(), set(), "General Audiences"),
    # "What if they just didn't wake me up?", "I think about not waking up", said to a nurse; against a ferry
    # missed if nobody woke her "in time" and "thinking about not going back to Dublin".
    ("not_waking.txt", set(), {"Suicidal Thoughts"}, "Teen And Up Audiences"),
    ("not_waking_near.txt", set(), set(), "General Audiences"),
    # Blood "pumping out of the wound between her fingers", that "sheeted over the white tiles", after a knife named
    # the sentence before goes "into the guard's side" ("it"); against blood that "drained from" a face, "pulsed in
    # her ears", a heart "pumping", and a bread roll that "caught him right in the chest" after a bread knife.
    ("blood_told_plainly.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    ("blood_told_plainly_near.txt", set(), set(), "General Audiences"),
    # Pliers fitted "around the nail of Marek's left thumb", a question asked again, blood pooled under the chair:
    # torture shown with its injuries; against nails worked out of a fence post with pliers and a thumbnail hit
    # with a hammer.
    ("pliers_on_the_thumb.txt", {"Graphic Depictions Of Violence"}, {"Torture", "Blood and Gore"}, "Mature"),
    ("pliers_on_the_thumb_near.txt", set(), set(), "General Audiences"),
    # "Then he stopped shaking, and then he stopped", and a coffin followed to the churchyard; against a runner who
    # "stopped running ... then she stopped at the water table" and a brother who "stopped by the hedge".
    ("the_last_stop.txt", {"Major Character Death"}, set(), "Teen And Up Audiences"),
    ("the_last_stop_near.txt", set(), set(), "General Audiences"),
    # "'You're burning yourself,' Jess said ..., 'on purpose.'": self-harm said plainly; against "you're hurting
    # yourself" to a footballer on a twisted ankle, "not doing it on purpose", and "Did you hurt yourself on
    # purpose ...?" asked in jest.
    ("on_purpose.txt", set(), {"Self-Harm"}, "Teen And Up Audiences"),
    ("on_purpose_near.txt", set(), set(), "General Audiences"),
    # A video-game death and "'It's rigged,' she said" in the same scene (a line tagged by a pronoun raises the
    # dead only within its scene), and a boxer's nose "bleeding freely": no death, no gore.
    ("game_night_near.txt", set(), set(), "General Audiences"),
    # "We lost Sal on the third night out" and "the coastguard cutter found his body a week later"; against a boy
    # "lost in the crowd", "her hands found his body in the dark" and losing "track of time".
    ("found_his_body.txt", {"Major Character Death"}, set(), "Teen And Up Audiences"),
    ("found_his_body_near.txt", set(), set(), "General Audiences"),
    # A shard that "took most of his jaw off" and "the back of the man's skull opened onto the trench wall"; against
    # a dancer who "took her hand away from his face", "shot his hand out" (his own hand moved: no blow) and
    # "ripped it out of his grip".
    ("torn_away.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    ("torn_away_near.txt", set(), set(), "General Audiences"),
    # A monster's arm taken "off at the elbow" and "black ichor sprayed": blood that is not red is still gore;
    # against a coat taken off at the door and a hand taken off a shoulder.
    ("monster_ichor.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    ("monster_ichor_near.txt", set(), set(), "General Audiences"),
    # "He took his own life on a Tuesday in March", told as the recent past of a present-tense story, and the
    # funeral the week after: a suicide mentioned and a character death; against a phone that "died" in a parked
    # car (misparsed, it borrowed the main clause's "I") and a fire dying in the grate.
    ("took_his_own_life.txt", {"Major Character Death"}, {"Suicide"}, "Teen And Up Audiences"),
    ("phone_dies_near.txt", set(), set(), "General Audiences"),
    # Sleeping pills saved up for months and swallowed "in handfuls ... until the duvet was bare", a stomach pumped:
    # a suicide attempt told without the word; against a grandfather's handful of pills every morning with his
    # porridge (a regimen, no drug abuse) and a toddler who swallowed the lot "thinking they were sweets" (an
    # accident, though the charcoal and the hospital are the same).
    ("overdose_attempt.txt", set(), {"Suicide"}, "Mature"),
    ("overdose_near.txt", set(), set(), "General Audiences"),
    # A drowned brother's breathing that "slows, falters, and stops" under his sister's fingers (present tense, the
    # verb misread as a noun); against a heart that stops "for a second" at an alarm, a breath that stops "in her
    # throat", a heart that "goes quiet" as a calm she feels, the narrator's own "my heart stops", and a patient's
    # heart that stops and is started again.
    ("vital_stops.txt", {"Major Character Death"}, set(), "Teen And Up Audiences"),
    ("vital_stops_near.txt", set(), set(), "General Audiences"),
    # A clerk's prisoner tied to a chair in one scene and, after the break, a hammer "brought ... down on Anselm's
    # left thumb", "came down on the next finger", the question asked again: torture never named; against a climber
    # strapped to a stretcher, asked his name again and again, and two nails taken off by a doctor who numbs first.
    ("captive_across_scenes.txt", set(), {"Torture"}, "Mature"),
    ("captive_across_scenes_near.txt", set(), set(), "Teen And Up Audiences"),
    # A note with no "Warnings" label, only the words authors wrap one in ("This one deals with ..., so please be
    # gentle with yourselves"): "a parent's heavy drinking" and "opioid withdrawal" are declared; against a note in
    # the same words that says "No drinking problems here, no drug addiction".
    ("declared_in_care_words.txt", set(), {"Alcohol Abuse", "Drug Abuse"}, "Teen And Up Audiences"),
    ("declared_in_care_words_near.txt", set(), set(), "General Audiences"),
    # A note labelled "Content:" that names the thing in plain words ("a father who drinks and hits"); against it,
    # a father who drinks too much coffee.
    ("declared_in_plain_words.txt", set(), {"Abuse", "Alcohol Abuse"}, "Teen And Up Audiences"),
    ("declared_in_plain_words_near.txt", set(), set(), "General Audiences"),
    # An ear "sliced ... off with one pull of the knife" ("it" the ear named just before) and the blood after it: a
    # blow and a severe wound in one, so graphic; against crusts cut off, boots taken off, a corner of a sandwich
    # bitten off and a call cut off.
    ("severed.txt", {"Graphic Depictions Of Violence"}, {"Blood and Gore"}, "Mature"),
    ("severed_near.txt", set(), set(), "General Audiences"),
]


# Tags a careful wrangler might add to a story above or leave off, so neither is wrong: the mood a story about a
# suicide or a death carries (Angst, Grief/Mourning), the comfort after a rescue, a little blood beside the warning
# that is the story's point, spears in a battle death, a named man's funeral (train/tag_passages/README.md counts
# it as a death in the story), a mother's care at a hospital bed.  Every other tag not in EXPECTED is a false one.
MAY_ALSO_HAVE = {
    # their author's notes say "just fluff!" and "Pure fluff." (content_mood reads the genre a note declares)
    "declared_warnings_near.txt": {"Fluff"},
    "declared_in_plain_words_near.txt": {"Fluff"},
    "mcd.txt": {"Angst", "Graphic Depictions Of Violence"},
    "suicide_depicted.txt": {"Angst"},
    "suicide_mentioned.txt": {"Grief/Mourning"},
    "suicidal_thoughts.txt": {"Angst", "Hurt/Comfort"},
    "self_harm.txt": {"Angst", "Blood and Gore"},
    "torture.txt": {"Blood and Gore"},
    "child_abuse.txt": {"Angst"},
    "grief.txt": {"Angst", "Major Character Death"},
    "guilt.txt": {"Angst", "Grief/Mourning"},
    "memorial.txt": {"Angst"},
    "mourned_death.txt": {"Angst"},
    "rooftop_thoughts.txt": {"Angst", "Friendship"},
    "field_hospital.txt": {"Angst", "Friendship"},
    "abuse_signs.txt": {"Angst"},
    "death_in_plain_words.txt": {"Angst", "Blood and Gore", "Grief/Mourning"},
    "interrogation.txt": {"Blood and Gore"},
    "self_harm_signs.txt": {"Angst", "Hurt/Comfort", "Friendship"},
    "suicide_by_signs.txt": {"Angst"},
    "quiet_death.txt": {"Angst", "Grief/Mourning"},
    "abuse_parse.txt": {"Angst"},
    "suicidal_burden.txt": {"Angst"},
    "abuse_fear.txt": {"Angst"},
    "self_harm_habit.txt": {"Angst"},
    "torture_no_question.txt": {"Blood and Gore"},
    "suicidal_ending.txt": {"Angst"},
    "self_harm_parse.txt": {"Angst"},
    "suicidal_parse.txt": {"Angst"},
    "torture_no_question_near.txt": {"Hurt/Comfort"},
    "faked_death_near.txt": {"Grief/Mourning"},
    "quiet_drinking.txt": {"Grief/Mourning", "Angst"},
    "named_funeral.txt": {"Angst"},
    "suicide_by_the_sword.txt": {"Angst", "Grief/Mourning"},
    "funeral_in_the_box.txt": {"Angst"},
    "mock_funeral_near.txt": {"Grief/Mourning"},
    "own_blade.txt": {"Angst", "Grief/Mourning"},
    "not_waking.txt": {"Angst", "Hurt/Comfort"},
    "blood_told_plainly.txt": {"Hurt/Comfort", "Angst"},
    "pliers_on_the_thumb.txt": {"Angst"},
    "the_last_stop.txt": {"Angst", "Grief/Mourning", "Hurt/Comfort"},
    "on_purpose.txt": {"Angst", "Hurt/Comfort"},
    "found_his_body.txt": {"Angst", "Grief/Mourning"},
    "torn_away.txt": {"War", "Angst", "Hurt/Comfort"},
    "took_his_own_life.txt": {"Grief/Mourning", "Angst"},
    "wounds_without_stock_words.txt": {"Major Character Death", "Angst"},  # "had stopped asking for his mother"  # the funeral is told, though nobody is in the coffin
    "pliers_and_knife.txt": {"Angst", "Hurt/Comfort"},  # Thor mourns until the goat turns into Loki
    "overdose_attempt.txt": {"Angst", "Hurt/Comfort", "Suicidal Thoughts"},
    "vital_stops.txt": {"Angst", "Grief/Mourning"},
    "captive_across_scenes.txt": {"Graphic Depictions Of Violence", "Blood and Gore", "Angst"},
    "severed.txt": {"Hurt/Comfort", "Angst", "Major Character Death"},
}


@pytest.mark.parametrize("name, expected_warnings, expected_tags, rating", EXPECTED)
def test_warnings_tags_and_rating(analyse, name, expected_warnings, expected_tags, rating):
    story = analyse(name)
    optional = MAY_ALSO_HAVE.get(name, set())
    assert expected_warnings <= warnings(story) <= expected_warnings | optional
    assert expected_tags <= tags(story) <= expected_tags | optional
    assert story.rating.rating in ({rating} if isinstance(rating, str) else rating)


def test_optional_tags_name_real_fixtures():
    assert set(MAY_ALSO_HAVE) <= {row[0] for row in EXPECTED}


@pytest.mark.parametrize("name", [row[0] for row in EXPECTED])
def test_every_finding_cites_real_sentences(analyse, name):
    story = analyse(name)
    for f in story.warnings + story.tags.freeform:
        assert f.evidence, f.tag
        assert 0 < f.confidence <= 1
        for e in f.evidence:
            assert story.text[e.start : e.end] == e.text


def test_major_character_death_cites_the_death(analyse):
    story = analyse("mcd.txt")
    assert evidence(story, "Major Character Death") == [
        "Neji died in her arms a moment later, while the battle went on around them."
    ]


def test_suicide_depicted_versus_mentioned(analyse):
    depicted = finding(analyse("suicide_depicted.txt"), "Suicide")
    mentioned = finding(analyse("suicide_mentioned.txt"), "Suicide")
    assert (depicted.detail, mentioned.detail) == ("depicted", "mentioned")
    assert [e.text for e in depicted.evidence] == ["That night Itachi killed himself."]
    assert [e.text for e in mentioned.evidence] == [
        "Her cousin had killed himself there years ago, and she still brought him plum blossoms.",
        '"But I remember him laughing more than I remember his suicide now."',
    ]


def test_declared_warnings_cite_the_authors_note(analyse):
    story = analyse("declared_warnings.txt")
    note = "A/N: Warnings for major character death and self-harm."
    assert evidence(story, "Major Character Death") == [note]
    assert evidence(story, "Self-Harm") == [note]


def test_declared_in_a_disclaimer_and_a_header_and_said_to_be_mentioned(analyse):
    story = analyse("declared_in_header.txt")
    assert evidence(story, "Suicide") == ["Warnings: suicide (mentioned, in the past)."]
    assert finding(story, "Suicide").detail == "mentioned"
    assert evidence(story, "Alcohol Abuse") == ["TW: alcoholism."]


def test_averted_suicide_is_thoughts_not_suicide(analyse):
    story = analyse("suicidal_thoughts.txt")
    # Standing on the bridge's edge is weak evidence on its own, cited beside the thoughts it goes with.
    assert evidence(story, "Suicidal Thoughts") == [
        "Lee stood on the edge of the bridge and looked down at the black water.",
        "He wanted to die.",
        "He had been thinking about ending it all for weeks.",
    ]


def test_graphic_violence_evidence_is_narration(analyse):
    story = analyse("violence_graphic.txt")
    cited = evidence(story, "Graphic Depictions Of Violence")
    assert "Sasuke stabbed him in the throat." in cited
    assert "Blood poured over his hands and pooled on the stones." in cited


def test_kiss_is_the_romance_evidence(analyse):
    story = analyse("romance.txt")
    assert any("Iruka kissed him" in text for text in evidence(story, "Romance"))


def test_rating_reasons_quote_the_story(analyse):
    mature = analyse("violence_graphic.txt").rating
    assert mature.reasons[0].startswith("graphic violence: ")
    teen = analyse("language.txt").rating
    assert teen.reasons == ["strong language (6 swear words)"]
    general = analyse("romance.txt").rating
    assert general.reasons == ["no violence, sexual content, strong language or distressing themes found"]


def test_character_tags_most_prominent_first(analyse):
    story = analyse("mcd.txt")  # Neji: 3 names and 7 he/him/his; Hinata: 4 names and 5 she/her
    assert story.tags.characters == ["Neji", "Hinata"]


def test_findings_validate_against_the_schema(analyse, story_schema):
    import jsonschema

    document = analyse("violence_graphic.txt").to_dict()
    jsonschema.validate(document, story_schema)
    assert document["warnings"][0]["tag"] == "Graphic Depictions Of Violence"
    assert document["rating"]["rating"] == "Mature"


def test_through_the_whole_analysis():
    import ficlens

    story = ficlens.analyze_text((FIXTURES / "romance.txt").read_text(encoding="utf-8"))
    assert [t.tag for t in story.tags.freeform] == ["Romance"]
    assert (story.narrative.tense, story.narrative.pov, story.rating.rating) == ("past", "third", "General Audiences")


def test_abuse_kind_is_the_detail(analyse):
    assert finding(analyse("child_abuse.txt"), "Abuse").detail == "child"


def test_suicide_by_signs_cites_the_signs(analyse):
    story = analyse("suicide_by_signs.txt")
    assert finding(story, "Suicide").detail == "depicted"
    assert evidence(story, "Suicide") == [
        "In the spring he gave Tenten his good kunai and said he would not need them any more.",
        "The bottle of sleeping pills on the table was empty, and there was a note folded under it with her name on "
        "the outside.",
        "They buried him beside his father a week later.",
    ]


def test_death_in_plain_words_cites_the_last_breath(analyse):
    story = analyse("death_in_plain_words.txt")
    assert evidence(story, "Major Character Death") == ["His chest rose once more and didn't rise again."]


def test_a_shoulder_blade_is_no_razor():
    from ficlens.ingest import from_text
    from ficlens.pipeline import Context, Options, stage_function

    def self_harm_hits(text):
        story, ctx = from_text(text), Context(Options(stages=STAGES))
        for name in STAGES:
            stage_function(name)(story, ctx)
        return ctx.cache["content_rule_hits"].get("Self-Harm", {})

    assert not self_harm_hits("Kiba felt a flap of skin over his shoulder blade move when he breathed.")
    assert self_harm_hits("Kiba pressed the blade to his shoulder and did not flinch.")


def test_rules_alone_read_no_torture_in_a_rescue(monkeypatch):
    """A captive tied to a shaft, asked twice, and a rescuer's blade that "took him across the chest": the blows
    land on the guard, not on the captive ("Mira ..., her hands behind her"), so the rules read no torture (the
    shipped reader, which the lead retrains, is switched off here); the captive of captive_across_scenes.txt is."""
    from ficlens.ingest import from_text
    from ficlens.pipeline import Options, run
    from ficlens.stages import content_model

    monkeypatch.setattr(content_model, "load_model", lambda: None)

    def rule_tags(name):
        story = run(from_text((FIXTURES / name).read_text(encoding="utf-8")), Options(stages=STAGES))
        return tags(story)

    assert "Torture" not in rule_tags("rescue_of_the_captive_near.txt")
    assert "Torture" in rule_tags("captive_across_scenes.txt")
