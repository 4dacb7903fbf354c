"""Attribution stage: each pattern of speech tag, turn-taking and vocative, with exact speakers."""

from pathlib import Path

import pytest

from ficlens.ingest import from_text
from ficlens.pipeline import STAGES, Options, run
from ficlens.stages import attribution
from ficlens.stages import attribution_rank as ranker
from ficlens.stages.characters_text import body_paragraphs

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(str(__import__("importlib").resources.files("ficlens").joinpath("examples/spur_of_the_moment.txt")))
UP_TO_ATTRIBUTION = STAGES[: STAGES.index("attribution") + 1]  # fandom packs settle family names


def analyse_text(text: str, **options):
    return run(from_text(text), Options(stages=UP_TO_ATTRIBUTION, **options))


def lines(story):
    """(first words of the quotation, speaker name, addressee names, method) in story order."""
    out = []
    for q in sorted(story.quotes, key=lambda q: q.start):
        words = story.text[q.parts[0].start : q.parts[0].end] if q.parts else q.text
        out.append((" ".join(words.split()[:3]), story.character_name(q.speaker),
                    [story.character_name(a) for a in q.addressees], q.method))
    return out


def test_each_tag_pattern():
    # no disclaimer, but three Naruto characters: the cast brings in the Naruto pack and its AO3 names
    story = analyse_text((FIXTURES / "attribution" / "patterns.txt").read_text(encoding="utf-8"))
    assert lines(story) == [
        ("Sit down, all", "Umino Iruka", ["Uzumaki Naruto"], "explicit"),  # said Iruka quietly
        ("But sensei,", "Uzumaki Naruto", ["Umino Iruka"], "explicit"),  # Naruto asked finally, between the parts
        ("When you can", "Umino Iruka", ["Uzumaki Naruto"], "explicit"),  # The stern Iruka-sensei said, "..."
        ("He can't even", "Haruno Sakura", ["Umino Iruka"], "explicit"),  # Sakura said, "..."
        ("Sakura-chan!", "Uzumaki Naruto", ["Haruno Sakura"], "explicit"),  # vocative gives the addressee
        ("Enough.", "Umino Iruka", ["Uzumaki Naruto"], "implicit"),  # Iruka sighed... "Enough."
        ("It's not fair.", "Uzumaki Naruto", ["Umino Iruka"], "implicit"),  # Naruto slumped... "..."
        ("Naruto?", "Umino Iruka", ["Uzumaki Naruto"], "implicit"),  # spoken to Naruto, so not by him
        ("Stay after class.", "Umino Iruka", ["Uzumaki Naruto"], "implicit"),
        ("Yes, sensei,", "Uzumaki Naruto", ["Umino Iruka"], "anaphoric"),  # he muttered
    ]
    assert all(q.confidence >= 0.6 for q in story.quotes)
    assert {c.name: c.quotes for c in story.characters} == {"Umino Iruka": 5, "Uzumaki Naruto": 4, "Haruno Sakura": 1}


def test_pronoun_only_conversation_alternates():
    story = analyse_text((FIXTURES / "attribution" / "pronouns.txt").read_text(encoding="utf-8"))
    speakers = [s for _, s, _, _ in lines(story)]
    assert speakers == ["Tenten", "Neji", "Tenten", "Neji", "Tenten", "Neji"]
    addressees = [a for _, _, a, _ in lines(story)]
    assert addressees == [["Neji"], ["Tenten"], ["Neji"], ["Tenten"], ["Neji"], ["Tenten"]]


def test_example_story_every_line():
    stages = tuple(s for s in UP_TO_ATTRIBUTION if s != "fandom")  # the story's own names
    story = run(from_text(EXAMPLE.read_text(encoding="utf-8")), Options(stages=stages))
    expected = {
        "You're working late": "Kakashi",
        "Some of us": "Iruka",
        "I have a": "Kakashi",
        "It just happens": "Kakashi",
        "Naruto says you": "Iruka",
        "Naruto says a": "Kakashi",
        "What is that?": "Iruka",
        "Ino picked them,": "Kakashi",
        "I told her": "Kakashi",
        "Iruka-sensei!": "Naruto",
        "Are you coming": "Naruto",
        "Only if you": "Iruka",
        "Kakashi-sensei,": "Iruka",
        "Thank you. For": "Iruka",
        "Maa, it was": "Kakashi",
        "Well. It was": "Kakashi",
    }
    got = lines(story)
    assert len(got) >= 14
    for first, speaker, _, _ in got:
        assert first in expected, first
        assert speaker == expected[first], (first, speaker)
    addressed = {first: a for first, _, a, _ in got}
    assert addressed["Iruka-sensei!"] == ["Iruka"]
    assert addressed["Kakashi-sensei,"] == ["Kakashi"]
    assert addressed["Some of us"] == ["Kakashi"]
    # with the Naruto pack its disclaimer calls for, the same speakers under canonical names
    canonical = {"Kakashi": "Hatake Kakashi", "Iruka": "Umino Iruka", "Naruto": "Uzumaki Naruto"}
    story = analyse_text(EXAMPLE.read_text(encoding="utf-8"))
    assert [(first, s) for first, s, _, _ in lines(story)] == [(first, canonical[s]) for first, s, _, _ in got]


def test_shared_surname_speakers():
    story = analyse_text((FIXTURES / "characters" / "surnames.txt").read_text(encoding="utf-8"))
    assert [s for _, s, _, _ in lines(story)] == ["Mrs. Bennet", "Mr. Bennet", "Mrs. Bennet", "Elizabeth"]
    assert lines(story)[3][2] == ["Jane"]  # "Go on, Jane," said Elizabeth


def test_first_person_narrator_named_by_others():
    text = ("I had not seen Marcus for a year when he found me at the station.\n\n"
            "\"You look terrible, Theo,\" Marcus said.\n\n"
            "\"Thank you,\" I said. \"So do you.\"\n\n"
            "\"I missed you, Theo.\"\n\n"
            "I did not answer. I took his bag and I walked ahead of him, and I did not look back.\n\n"
            "\"Theo, wait,\" he called.\n")
    story = analyse_text(text)
    speakers = [s for _, s, _, _ in lines(story)]
    assert speakers == ["Marcus", "Theo", "Marcus", "Marcus"]
    theo = [c for c in story.characters if c.name == "Theo"][0]
    assert "I" in theo.aliases


def test_no_speaker_when_nobody_is_there():
    story = analyse_text("The radio crackled in the empty kitchen.\n\n\"...and rain by morning.\"\n")
    assert len(story.quotes) == 1
    q = story.quotes[0]
    assert q.speaker is None and q.confidence == 0.0 and q.method == "none"


def test_shipped_ranker_scores_every_feature_and_learned_turn_taking():
    from ficlens.stages import attribution_rank

    model = attribution_rank.trained()
    assert model is not None
    assert tuple(model["features"]) == attribution_rank.FEATURES
    assert not set(model["trained_on"]) & {"APassageToIndia", "DaisyMiller", "NorthangerAbbey", "OliverTwist",
                                           "TheGambler", "TheMysteriousAffairAtStyles"}

    # what the training novels taught, on a bare line in an exchange of two: the one who spoke two turns ago
    # speaks again, not the last speaker, and nobody speaks to themselves by name
    def candidate(**on):
        return {k: float(on.get(k, 0.0)) for k in attribution_rank.FEATURES}

    common = {"salience_inv": 0.5, "frequency": -2.0, "recent_count": 0.2}
    features = {
        "A": candidate(alt2=1, alt2_x_turns=1, alt2_bare=1, alt2_adjacent=1, alt2_no_acting=1, **common),
        "B": candidate(prev=1, prev_bare=1, salience_top=1, **dict(common, salience_inv=1.0)),
    }
    assert [c for c, _ in attribution_rank.rank(features, model)] == ["A", "B"]
    features["A"]["addressed"] = 1.0
    assert [c for c, _ in attribution_rank.rank(features, model)] == ["B"]


def test_tags_in_running_prose():
    story = analyse_text((FIXTURES / "attribution" / "tags_in_prose.txt").read_text(encoding="utf-8"))
    assert [(words, speaker, method) for words, speaker, _, method in lines(story)] == [
        ("Eat up, dears,", "Mrs. Weasley", "explicit"),  # the period of "Mrs." does not end the tag
        ("Thanks, Mum,", "Ron", "explicit"),
        ("Pass the toast.", "Ginny", "explicit"),  # 'Ginny said, "..." Ron said, "..."': Ron's tag opens his line
        ("Get it yourself.", "Ron", "explicit"),  # ... so the quotes stage keeps the two lines apart
        ("Busy day at", "Mr. Weasley", "explicit"),  # "At the same moment Mr. Weasley, folding the Prophet, said,"
        ("Can I come?", "Ginny", "explicit"),  # "was Ginny's question"
        ("Don't even ask.", "Ginny", "explicit"),  # "Harry looked at Ginny, who said,"
        ("More tea?", "the waiter", "explicit"),  # a trade the story never names is a character of its own
        ("Please,", "Ron", "explicit"),
        ("Bed, now,", "nanny", "explicit"),  # a post used as a name
    ]
    assert story.character(next(c.id for c in story.characters if c.name == "the waiter")).gender is None


EXCHANGE_SPEAKERS = [
    ("The boats are", "Tobias"),  # Tobias said
    ("All of them?", "Maren"),  # Maren asked
    ("All but the", "Tobias"),
    ("Then we wait.", "Maren"),
    ("We've waited since", "Tobias"),  # names Maren, so not hers
    ("And we'll wait", "Maren"),
    ("Will you light", "Tobias"),  # "He hung the coat" just before
    ("You light it,", "Maren"),
    ("They're always full,", "Tobias"),  # he muttered
    # after a silence the first line has no clue of its own; the reply's "she said" is Maren, so the line
    # before it is Tobias's: decoding the exchange as a whole finds that (one line at a time gives both to Maren)
    ("Someone should go", "Tobias"),
    ("In this? You'd", "Maren"),  # she said
    ("The lad's mother", "Tobias"),
    ("Then she'll have", "Maren"),
]


def test_conversation_decoded_as_a_whole():
    story = analyse_text((FIXTURES / "attribution" / "two_pass_exchange.txt").read_text(encoding="utf-8"))
    assert [(words, speaker) for words, speaker, _, _ in lines(story)] == EXCHANGE_SPEAKERS


def test_one_line_at_a_time_misses_the_reply_ahead(monkeypatch):
    # the same exchange with the beam and the second pass both off: the ranker alone, reading forward
    from ficlens.stages import attribution

    monkeypatch.setattr(attribution, "BEAM", 1)
    monkeypatch.setattr(attribution, "RANK_PASSES", 1)
    story = analyse_text((FIXTURES / "attribution" / "two_pass_exchange.txt").read_text(encoding="utf-8"))
    got = [(words, speaker) for words, speaker, _, _ in lines(story)]
    assert got[9] == ("Someone should go", "Maren")
    assert got[:9] == EXCHANGE_SPEAKERS[:9] and got[10:] == EXCHANGE_SPEAKERS[10:]



def _analysed_with_ranker_features(monkeypatch, fixture: str):
    """The story, and the candidate features the ranker was given for each quotation it decided, by name."""
    from ficlens.stages import attribution_rank

    seen = []
    features = attribution_rank.candidate_features

    def recording(info, turns, salience, exclude, context):
        out = features(info, turns, salience, exclude, context)
        seen.append(out)
        return out

    monkeypatch.setattr(attribution_rank, "candidate_features", recording)
    story = analyse_text((FIXTURES / "attribution" / fixture).read_text(encoding="utf-8"))
    name = {c.id: c.name for c in story.characters}
    return story, [{name.get(c, c): f for c, f in candidates.items()} for candidates in seen]


def test_ranker_sees_the_subject_of_the_narration_before_a_pronoun_tag(monkeypatch):
    # "Mrs. Pellow took the papers from Annis ... She counted ...": for '"...," she said.' the ranker is told
    # that Mrs. Pellow is the woman the narration made act (subject_last_tag_fit), though Annis was named last
    story, seen = _analysed_with_ranker_features(monkeypatch, "narration_subject.txt")
    assert [(words, speaker, method) for words, speaker, _, method in lines(story)][:3] == [
        ("You are late", "Mrs. Pellow", "explicit"),
        ("The tide was", "Annis", "explicit"),
        ("Then the returns", "Mrs. Pellow", "explicit"),
    ]
    assert len(seen) == 1  # only the "she said" line is left to the ranker
    by_name = seen[0]
    assert by_name["Mrs. Pellow"]["subject_last_tag_fit"] == 1.0 and by_name["Annis"]["subject_last_tag_fit"] == 0.0
    assert by_name["Annis"]["narrated_last_tag_fit"] == 1.0  # the last named, as an object


def test_ranker_hears_whose_beat_the_turn_before_answered(monkeypatch):
    # "Sasuke looked up ... his eyes were cold." / "Don't start," Naruto said. / "Start what?": Naruto's turn
    # answered Sasuke's look, so the bare reply after it is told that Sasuke was answered (beat_answered)
    story, seen = _analysed_with_ranker_features(monkeypatch, "new_beat.txt")
    assert lines(story)[4][:2] == ("Start what?", "Uchiha Sasuke")
    start_what = seen[2]  # the ranker is asked about "Boss!", "He turned to Sakura", "Start what?", "Forget it"
    assert start_what["Uchiha Sasuke"]["beat_answered"] == 1.0
    assert start_what["Uzumaki Naruto"]["beat_answered"] == 0.0 and start_what["Haruno Sakura"]["beat_answered"] == 0.0
    # before the other lines' previous turns comes no narration paragraph: no one's beat was answered
    assert all(f["beat_answered"] == 0.0 for i, features in enumerate(seen) if i != 2 for f in features.values())


def test_ranker_hears_whose_idiom_a_bare_line_is_in(monkeypatch):
    # Mr. Grigg's tagged lines say "my boy" and "I'll be bound"; the bare last line, after narration that names
    # both men, says them again: it sounds like him (voice_best), not like Tom
    story, seen = _analysed_with_ranker_features(monkeypatch, "idiolect.txt")
    by_name = seen[-1]
    assert by_name["Mr. Grigg"]["voice_best"] == 1.0 and by_name["Tom"]["voice_best"] == 0.0
    assert by_name["Mr. Grigg"]["voice"] > 0 > by_name["Tom"]["voice"]
    assert [speaker for _, speaker, _, _ in lines(story)][-1] == "Mr. Grigg"


def test_narration_says_whom_a_line_is_spoken_to():
    # "said Mr. Brandon to Harriet" and "Edward turned to Lucy": the line is to the one named after "to", not to
    # whoever spoke the turn before (Mr. Brandon, for Edward's question)
    story = analyse_text((FIXTURES / "attribution" / "addressed_by_narration.txt").read_text(encoding="utf-8"))
    addressed = {words: to for words, _, to, _ in lines(story)}
    assert addressed["You look tired,"] == ["Harriet"]
    assert addressed["Do you think"] == ["Lucy"]


def test_a_lone_line_is_spoken_to_the_other_one_the_narration_names():
    # no vocative and no other turn: Tom's line goes to Mary, the one the narration brought into the room
    story = analyse_text("The Library\n\nMary came into the library with the letters. Tom did not look up from his "
                         "book.\n\n\"You are late,\" said Tom.\n\nThe clock struck ten, and the fire burned low.\n")
    assert lines(story) == [("You are late,", "Tom", ["Mary"], "explicit")]


def test_speech_tag_on_a_line_of_its_own():
    # paragraphs set apart by single line breaks, and each tag put on the line after its quotation
    # ('"Where is Kakashi-sensei?"' then 'asked Sakura, ...'): the tag still names the speaker
    story = analyse_text((FIXTURES / "attribution" / "tags_on_own_line.txt").read_text(encoding="utf-8"))
    assert [(words, speaker, method) for words, speaker, _, method in lines(story)] == [
        ("Where is Kakashi-sensei?", "Haruno Sakura", "explicit"),
        ("Late again,", "Uchiha Sasuke", "explicit"),
        ("He is always", "Uzumaki Naruto", "explicit"),
        ("Then we train", "Haruno Sakura", "implicit"),  # Sakura rolled the scroll shut and stood up.
        ("Fine by me,", "Uchiha Sasuke", "explicit"),
    ]


def test_all_lower_case_story_keeps_its_lines_apart():
    # written all in lower case, a line opening in lower case after a quotation is a new paragraph
    text = ('"where are you going"\nsakura called after him.\n"home"\nnaruto did not turn around.\n'
            'she watched him go.\n"idiot"\nthe wind took the word away.\n')
    story = analyse_text(text)
    assert len(body_paragraphs(story)) == 7


def test_speech_broken_over_lines_keeps_its_tag():
    # a line for each sentence, as some archives and copy-pastes give it: a speech runs on over lines with no
    # marks of their own to the tag on its last line, and that tag names its speaker
    story = analyse_text((FIXTURES / "attribution" / "speech_over_lines.txt").read_text(encoding="utf-8"))
    assert [(words, speaker, method) for words, speaker, _, method in lines(story)][:2] == [
        ("Where is Kakashi-sensei?", "Haruno Sakura", "explicit"),
        ("He is always", "Uzumaki Naruto", "explicit"),
    ]


def test_a_bare_line_after_narration_about_the_third_one_present():
    # a strict xfail until the thirteenth round (the line went to Naruto, who spoke the turn before);
    # right since the ranker retrained with beat_answered and the body-part beat
    story = analyse_text((FIXTURES / "attribution" / "speech_over_lines.txt").read_text(encoding="utf-8"))
    assert lines(story)[2][:2] == ("Then we train", "Uchiha Sasuke")  # Sasuke did not open his eyes.


def test_a_tagged_line_tells_who_did_not_speak_just_before_it(monkeypatch):
    # '"I'm not afraid of you," he said' is Kakashi's, whom Sakura just spoke of: the reading that gives it to Sai
    # pays for Sai's tagged line straight after it (one speaker, two turns running), so the beam keeps Kakashi
    def speakers():
        story = analyse_text((FIXTURES / "attribution" / "next_tag_anchor.txt").read_text(encoding="utf-8"))
        return [speaker for _, speaker, _, _ in lines(story)]

    assert speakers() == ["Haruno Sakura", "Hatake Kakashi", "Sai"]
    monkeypatch.setattr(attribution, "ANCHORS_WEIGH", False)
    assert speakers()[1] == "Sai"


def test_whom_a_pronoun_tag_goes_to_is_not_its_speaker():
    # '"Boss!" he yelled, and ran straight at Naruto': "he" is Konohamaru, not the Naruto he runs at (before,
    # the most salient man, Naruto, took it); "she said to Naruto" likewise is not Naruto's
    story = analyse_text((FIXTURES / "attribution" / "approached.txt").read_text(encoding="utf-8"))
    assert [(words, speaker, to) for words, speaker, to, _ in lines(story)] == [
        ("Boss!", "Sarutobi Konohamaru", ["Uzumaki Naruto"]),
        ("He turned to", "Haruno Sakura", ["Uzumaki Naruto"]),
        ("Then nothing,", "Uzumaki Naruto", ["Haruno Sakura"]),
    ]


def test_a_tagged_line_with_its_speakers_own_beat_charges_no_sequence():
    # 'Sasuke went back to his kunai. "Forget it," he muttered': a new beat of the one who spoke last, so a
    # reading that gave him the line before pays nothing for it; without the beat, it pays the ranker's doubt
    model = ranker.trained()
    def candidate(**on):
        return {k: float(on.get(k, 0.0)) for k in ranker.FEATURES}

    both = {"sasuke": candidate(prev=1, acting=1, salience_inv=0.5), "naruto": candidate(alt2=1, salience_inv=1)}
    assert attribution._anchor_logp(both, "sasuke", model) == 0.0
    both["sasuke"]["acting"] = 0.0
    assert attribution._anchor_logp(both, "sasuke", model) < 0.0
    assert attribution._anchor_logp(both, "naruto", model) == 0.0  # not the one who spoke last: nothing to pay


def test_a_bare_reply_between_two_beats_of_a_two_person_scene():
    story = analyse_text((FIXTURES / "attribution" / "new_beat.txt").read_text(encoding="utf-8"))
    assert [speaker for _, speaker, _, _ in lines(story)][-3:] == ["Uzumaki Naruto", "Uchiha Sasuke", "Uchiha Sasuke"]


def test_a_scene_break_ends_the_conversation():
    # Kakashi and Naruto speak last before the break; the flower shop's lines are Ino's and Sakura's, and the
    # third scene's are Naruto's and Kakashi's again
    story = analyse_text((FIXTURES / "attribution" / "scene_break.txt").read_text(encoding="utf-8"))
    naruto, kakashi, ino, sakura = "Uzumaki Naruto", "Hatake Kakashi", "Yamanaka Ino", "Haruno Sakura"
    assert [(speaker, to) for _, speaker, to, _ in lines(story)] == (
        [(naruto, [kakashi]), (kakashi, [naruto])] * 3
        + [(ino, [sakura]), (sakura, [ino])] * 3 + [(ino, [sakura])]
        + [(naruto, [kakashi]), (kakashi, [naruto])] * 2)


def test_a_title_said_only_in_the_lines_is_the_one_it_answers():
    # "Sorry, Hokage-sama." answers Tsunade: "Hokage" is no one of its own, and the lines it would have spoken
    # ("Genma.", "Take him to the gate...") are Tsunade's
    story = analyse_text((FIXTURES / "attribution" / "title_answered.txt").read_text(encoding="utf-8"))
    assert "Hokage" not in {c.name for c in story.characters}
    naruto, tsunade, genma = "Uzumaki Naruto", "Tsunade", "Shiranui Genma"
    assert [(speaker, to) for _, speaker, to, _ in lines(story)] == [
        (naruto, [tsunade]), (tsunade, [naruto]), (naruto, [tsunade]), (tsunade, [genma]), (genma, [tsunade]),
        (tsunade, [genma])]


def test_names_given_as_ones_own_in_the_lines():
    # Team Seven's introductions: no one is named in the narration; "I'm Hatake Kakashi", "I'm Uzumaki
    # Naruto!", "My name is Haruno Sakura" each name their speaker.  "Likes, dislikes, dreams." calls no one
    # (the story says "like" in lower case).  The sensei's first line and "said the girl with pink hair" have
    # no one a reader could name yet.
    story = analyse_text((FIXTURES / "attribution" / "introductions.txt").read_text(encoding="utf-8"))
    assert "Likes" not in {c.name for c in story.characters}
    kakashi, naruto, sakura = "Hatake Kakashi", "Uzumaki Naruto", "Haruno Sakura"
    assert [speaker for _, speaker, _, _ in lines(story)][:7] == [
        None, None, kakashi, naruto, kakashi, sakura, kakashi]


def test_a_full_name_said_alone_in_answer_is_the_speakers():
    # "And you?" just after Sakura gave her name asks Sasuke for his: "Uchiha Sasuke." gives it
    story = analyse_text((FIXTURES / "attribution" / "introductions.txt").read_text(encoding="utf-8"))
    assert lines(story)[-1][1] == "Uchiha Sasuke"


def test_a_first_person_story_in_the_present_tense_with_its_narrator_named_by_the_pov_line():
    # "Sakura's POV" names the "I"; Ino calls her "Forehead" and "Sakura" in the lines, each line to her once
    story = analyse_text((FIXTURES / "attribution" / "first_person_present.txt").read_text(encoding="utf-8"))
    said = lines(story)
    assert [speaker for _, speaker, _, _ in said] == [
        "Haruno Sakura", "Yamanaka Ino", "Haruno Sakura", "Yamanaka Ino", "Yamanaka Ino", "Haruno Sakura",
        "Yamanaka Ino", "Haruno Sakura", "Yamanaka Ino", "Shizune", "Yamanaka Ino"]
    assert said[1][2] == ["Haruno Sakura"]  # "So are you, Forehead."
    assert said[6][2] == ["Haruno Sakura"]  # "Sakura," she says quietly


def test_a_team_seven_one_shot_every_line_and_the_nickname_boss():
    # a story as posted (disclaimer, notes, "~*~" breaks); Konohamaru calls Naruto "Boss", which the narration
    # never says: the tag that sends his "Boss!" at Naruto makes it Naruto's nickname, not a person of its own
    story = analyse_text((FIXTURES / "attribution" / "team_seven.txt").read_text(encoding="utf-8"))
    initial = {"Uzumaki Naruto": "N", "Hatake Kakashi": "K", "Uchiha Sasuke": "S", "Haruno Sakura": "H",
               "Sarutobi Konohamaru": "C"}
    said = "".join(initial.get(speaker, "?") for _, speaker, _, _ in lines(story))
    right = "SNHHNHKNKKNNKNSKNHCNCSNHNSCSK"
    assert said == right
    people = {c.name: c.aliases for c in story.characters}
    assert "Boss" not in people and "Boss" in people["Uzumaki Naruto"]
    thanks = next(to for words, _, to, _ in lines(story) if words.startswith("Thanks, Boss!"))
    assert thanks == ["Uzumaki Naruto"]


def test_single_quotes_a_name_opening_a_later_sentence_and_a_word_said_alone():
    # "Hatake, get off the man's desk." inside Tsunade's line calls Kakashi, so "Yes, Hokage-sama." is his
    # answer; "'Sparring.'", said twice as a line of its own, is a word and no person
    story = analyse_text((FIXTURES / "attribution" / "tea_at_the_tower.txt").read_text(encoding="utf-8"))
    said = {words: (speaker, to) for words, speaker, to, _ in lines(story)}
    assert "Sparring" not in {c.name for c in story.characters}
    assert said["Iruka, I need"] == ("Tsunade", ["Umino Iruka", "Hatake Kakashi"])
    assert said["Yes, Hokage-sama."][0] == "Hatake Kakashi"
    assert said["Sparring."][0] == "Umino Iruka"  # the echo; Kakashi's answer before it is his
    assert said["You're bleeding on"][0] == "Umino Iruka" and said["So I am."][0] == "Hatake Kakashi"


def test_the_hokages_grandson_line_is_kakashis():
    # "Kakashi's visible eye curved into a smile" is Kakashi acting beside his line (lexicons/body_parts.txt)
    story = analyse_text((FIXTURES / "attribution" / "team_seven.txt").read_text(encoding="utf-8"))
    said = {words: speaker for words, speaker, _, _ in lines(story)}
    assert said["The Hokage's grandson"] == "Hatake Kakashi"


def test_the_speakers_before_a_scene_break_are_not_the_next_scenes():
    # Kakashi spoke two turns before "You should.", but in the scene before the break; the night scene's lines
    # are Naruto's and Sasuke's
    story = analyse_text((FIXTURES / "attribution" / "scene_break_roof.txt").read_text(encoding="utf-8"))
    said = {words: speaker for words, speaker, _, _ in lines(story)}
    assert said["You should."] == "Uchiha Sasuke"
    assert said["Wherever you go."] == "Uchiha Sasuke"
    assert said["Don't push it."] == "Hatake Kakashi"


@pytest.mark.xfail(strict=True, reason="known wrong: 'Naruto?' is read as a call to Naruto, who is not there; a "
                   "rule for names asked back was measured with others whose retrained ranker broke 'Start what?'")
def test_a_name_asked_back_is_said_of_someone_not_to_them():
    # "Where's Naruto?" / "Naruto?": Sakura repeats the name of someone who is not there; she speaks to Kakashi
    story = analyse_text((FIXTURES / "attribution" / "name_asked_back.txt").read_text(encoding="utf-8"))
    said = lines(story)
    assert said[1] == ("Naruto?", "Haruno Sakura", ["Hatake Kakashi"], "implicit")
    assert [speaker for _, speaker, _, _ in said] == [
        "Hatake Kakashi", "Haruno Sakura", "Haruno Sakura", "Uchiha Sasuke", "Hatake Kakashi"]


@pytest.mark.xfail(strict=True, reason="known wrong: the answer goes to Kiba, who asked; Hinata, on whom the scene "
                   "opens, is the least recent name and ranks low.  A feature for the asker (prev_asked) and one for "
                   "the scene's first-named (scene_first) were each measured in the thirteenth round; neither "
                   "retrained ranker got this line right, and each broke another fixture line")
def test_a_bare_answer_is_the_scenes_first_named():
    # "Hinata stood at the edge of the training ground. Kiba and Shino were already there." / '"Where were you?"
    # Kiba asked.' / '"I'm sorry. Father kept me."': the answer is Hinata's
    story = analyse_text((FIXTURES / "attribution" / "question_answered.txt").read_text(encoding="utf-8"))
    assert [(words, speaker) for words, speaker, _, _ in lines(story)] == [
        ("Where were you?", "Inuzuka Kiba"), ("I'm sorry. Father", "Hyuuga Hinata")]


def test_a_title_left_open_asks_for_a_name():
    # "I'm sorry, Miss...?" asks her name, so "Nell. Just Nell." is Nell's answer (before: Harker's own line, or
    # anyone's), and Harker speaks again after it
    story = analyse_text((FIXTURES / "attribution" / "title_left_open.txt").read_text(encoding="utf-8"))
    assert [(words, speaker) for words, speaker, _, _ in lines(story)] == [
        ("It's to be", "Edmund Harker"), ("I'm sorry, Miss...?", "Edmund Harker"),
        ("Nell. Just Nell.", "Nell"), ("I'm sorry, Nell.", "Edmund Harker")]


def test_a_name_corrected_is_the_speakers_own():
    # '"..., Kakashi-sensei." / "Hokage-sama," he corrected': the line calls no one, so the title is Kakashi's
    # (before: it joined Sakura, who spoke the turn before), and Sakura's next line is still hers
    story = analyse_text((FIXTURES / "attribution" / "name_corrected.txt").read_text(encoding="utf-8"))
    kakashi = next(c for c in story.characters if c.name == "Hatake Kakashi")
    assert "Hokage" in kakashi.aliases
    assert all("Hokage" not in c.aliases for c in story.characters if c is not kakashi)
    assert lines(story) == [
        ("You could knock,", "Hatake Kakashi", ["Haruno Sakura"], "implicit"),
        ("You could answer", "Haruno Sakura", ["Hatake Kakashi"], "implicit"),
        ("Hokage-sama,", "Hatake Kakashi", ["Haruno Sakura"], "anaphoric"),
        ("Not when you're", "Haruno Sakura", ["Hatake Kakashi"], "implicit")]


def test_someone_who_comes_in_later_does_not_speak_before():
    # Brandt is first named two paragraphs on, when he comes up the stairs: the exchange at the window is
    # Erik's and Sunniva's (a strict xfail until the thirty-first round's retrained ranker got it right; since the
    # thirty-fourth, held by a rule: the turn after next opens on narration with no one in it, someone arriving,
    # so it is no A-B-A echo of Brandt)
    story = analyse_text((FIXTURES / "attribution" / "someone_comes_in_later.txt").read_text(encoding="utf-8"))
    said = [(q.text[:16], story.character_name(q.speaker)) for q in sorted(story.quotes, key=lambda q: q.start)]
    assert said == [("Storm's turning.", "Erik"), ("It'll miss us.", "Sunniva"), ("It never misses ", "Erik"),
                    ("Anyone up there?", "Brandt"), ("The ferry's not ", "Brandt")]


def test_a_line_said_to_oneself_is_addressed_to_its_speaker():
    # "he muttered to himself" after the line, "she said to herself" between its parts, "said to himself" before
    # it: each is said to its own speaker (as PDNC labels it), not to whoever spoke last; "turned to Sasuke and
    # said" is still said to Sasuke
    story = analyse_text((FIXTURES / "attribution" / "said_to_oneself.txt").read_text(encoding="utf-8"))
    said = {words: (speaker, to) for words, speaker, to, _ in lines(story)}
    assert said["Three hours,"] == ("Uchiha Sasuke", ["Uchiha Sasuke"])
    assert said["Patience,"] == ("Haruno Sakura", ["Haruno Sakura"])
    assert said["Ichiraku after this."] == ("Uzumaki Naruto", ["Uzumaki Naruto"])
    assert said["Bet you a"] == ("Uzumaki Naruto", ["Uchiha Sasuke"])
    assert said["What was that,"] == ("Haruno Sakura", ["Uchiha Sasuke"])


def test_a_word_for_kin_that_opens_a_conversation_calls_the_one_who_answers():
    # "Nii-san" is what Sasuke calls his brother and "Baa-chan" what Naruto calls Tsunade: words for kin with an
    # honorific, never said in the narration, each opening an exchange the one called answers.  They are no
    # characters of their own; the lines that call them are said to Itachi and to Tsunade.
    story = analyse_text((FIXTURES / "attribution" / "kin_words_called.txt").read_text(encoding="utf-8"))
    sasuke, itachi, naruto, tsunade = "Uchiha Sasuke", "Uchiha Itachi", "Uzumaki Naruto", "Tsunade"
    assert {c.name for c in story.characters} == {sasuke, itachi, naruto, tsunade}
    assert [(speaker, to) for _, speaker, to, _ in lines(story)] == [
        (sasuke, [itachi]), (itachi, [sasuke]), (naruto, [tsunade]), (tsunade, [naruto]), (sasuke, [itachi]),
        (itachi, [sasuke])]


def test_a_pronoun_tag_after_a_titled_call_is_the_one_called():
    # '"I remember hearing you once say, Mr. Harlow, that..."' / '"I did," said he': the one man the titled call
    # fits answers, not Mr. Fenwick, named more recently (a strict xfail until the thirty-fourth round)
    story = analyse_text((FIXTURES / "attribution" / "titled_call_answered.txt").read_text(encoding="utf-8"))
    said = {words: (speaker, method) for words, speaker, _, method in lines(story)}
    assert said["I remember hearing"] == ("Clara", "anaphoric")
    assert said["I did,"] == ("Mr. Harlow", "anaphoric")


def test_a_line_calling_mother_is_spoken_to_her():
    # "Her father, Kizashi, ... her mother, Mebuki, ...": '"Mom, have you seen my headband?"' calls the one the
    # narration calls her mother (lexicons/kin_calls.txt), so Mebuki is spoken to, and "Dad, ..." goes to Kizashi
    story = analyse_text((FIXTURES / "attribution" / "kin_called.txt").read_text(encoding="utf-8"))
    said = {words: (speaker, to) for words, speaker, to, _ in lines(story)}
    assert said["Mom, have you"] == ("Sakura", ["Mebuki"])
    assert said["Dad, tell her"] == ("Sakura", ["Kizashi"])


@pytest.mark.xfail(strict=True, reason="the ranker puts Mebuki first for the reply, but the beam keeps Kizashi, "
                   "named more often, through the exchange (thirty-fifth round)")
def test_the_mother_called_answers():
    story = analyse_text((FIXTURES / "attribution" / "kin_called.txt").read_text(encoding="utf-8"))
    said = {words: (speaker, to) for words, speaker, to, _ in lines(story)}
    assert said["On the hook"] == ("Mebuki", ["Sakura"])


def test_a_titled_family_name_called_out(monkeypatch):
    # "..., Miss Bennet, ..." could be Elizabeth or Jane (or the "Miss Bennet" the text names once), so it calls no
    # one; but it still rules out, as its speaker, every woman of that family.  "Mr. Bennet," said by his wife,
    # rules out the men of the name, and not her: a wife may call her husband so.
    ruled_out = {}
    title_called = attribution._title_called

    def recording(story, q, *args):
        found = title_called(story, q, *args)
        names = {c.id: c.name for c in story.characters}
        ruled_out[q.text.split(",")[0]] = {names[c] for c in found}
        return found

    monkeypatch.setattr(attribution, "_title_called", recording)
    story = analyse_text((FIXTURES / "attribution" / "title_called.txt").read_text(encoding="utf-8"))
    said = {words: (speaker, to) for words, speaker, to, _ in lines(story)}
    assert said["I assure you,"] == ("Mr. Collins", ["Elizabeth"])  # not Elizabeth, who acted just before
    assert ruled_out["I assure you"] == {"Elizabeth", "Jane Bennet", "Miss Bennet", "Mrs. Bennet"}
    assert ruled_out["Mr. Bennet"] == {"Mr. Bennet"}
