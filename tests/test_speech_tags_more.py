"""Speech tags of shapes read since the first tag-shape tests (tests/fixtures/speech_tags/), with exact
speakers: a tag whose verb is no speech verb but stands inverted after the quotation ("nodded Mr. X"),
a description that ends before a preposition ("said the housemaid to Harriet" is the housemaid's line),
"the voice of X", a word that could be a speech verb used as a noun ("with a faint smile"), a place after the
speaker ("a voice in the back said"), and one tag that two lines of a paragraph share."""

from pathlib import Path

from ficlens.ingest import from_text
from ficlens.pipeline import STAGES, Options, run

FIXTURES = Path(__file__).parent / "fixtures" / "speech_tags"
UP_TO_ATTRIBUTION = STAGES[: STAGES.index("attribution") + 1]


def analysed(name: str):
    return run(from_text((FIXTURES / name).read_text(encoding="utf-8")), Options(stages=UP_TO_ATTRIBUTION))


def speakers(name_or_story) -> dict[str, tuple[str | None, str]]:
    """First three words of each quotation, and its whole text -> (speaker's name, method)."""
    story = analysed(name_or_story) if isinstance(name_or_story, str) else name_or_story
    out = {" ".join(q.text.split()[:3]): (story.character_name(q.speaker), q.method) for q in story.quotes}
    out.update({q.text: (story.character_name(q.speaker), q.method) for q in story.quotes})  # the whole line too
    return out


def test_inverted_tag_with_any_past_tense_verb():
    found = speakers("more_tag_shapes.txt")
    assert found["That will do,"] == ("Mr. Abernethy", "explicit")  # nodded Mr. Abernethy, a little coldly
    assert found["Poor fellow!"] == ("Mr. Abernethy", "explicit")  # exploded Mr. Abernethy


def test_description_ends_before_a_preposition():
    found = speakers("more_tag_shapes.txt")
    name, method = found["Two letters for"]
    assert method == "explicit" and name == "the housemaid"  # not Harriet, to whom she said it


def test_voice_of_and_noun_use_of_a_speech_word():
    found = speakers("more_tag_shapes.txt")
    assert found["Who has been"] == ("Mr. Abernethy", "explicit")  # exclaimed the voice of old Mr. Abernethy
    assert found["Nobody but you,"] == ("Harriet", "explicit")  # broken by Harriet, who said with a faint smile,


def test_a_second_speakers_tag_splits_a_tagged_quotation():
    found = speakers("second_speaker.txt")
    # 'Clara said, "...?" he said, "Not yet,"': each line its own, each its own speaker
    assert found["Shall we go"] == ("Clara", "explicit")
    assert found["Not yet,"][0] == "Oswald"
    # '"...," cried Oswald, "...--" Clara interrupted him. "..."': the last line is Clara's
    assert found["The vicar is"] == ("Oswald", "explicit")
    assert found["Then it will"] == ("Clara", "explicit")


def test_possessive_and_paragraph_tags():
    found = speakers("second_speaker.txt")
    assert found["You never put"] == ("Clara", "explicit")  # Clara s quiet remark was, (apostrophe lost)
    assert found["Is it going"] == ("Clara", "explicit")  # not Oswald, who "missed Clara s anxious question,"
    # the tag ending the paragraph before wins over "when Clara called out" after the quotation
    assert found["There he is"] == ("Oswald", "explicit")
    assert found["Sit still, Oswald;"] == ("Clara", "explicit")
    assert found["Very well."] == ("Oswald", "explicit")  # made only this short reply:--


def test_tags_read_before_the_narration_after():
    found = speakers("named_before.txt")
    # 'the Heron said sharply "Who owns that raft?" She said it to Mr. Brock': the tag right before names her
    assert found["Who owns that"] == ("the Heron", "explicit")
    # '"..." He continued, turning to the Heron as he spoke, "..."': not the Heron, whom he turns to
    assert found["The miller's boy"][0] == "Mr. Brock"
    assert found["You will want"][0] != "the Heron"
    assert found["You are very"] == ("the Heron", "explicit")  # could not help saying to Mr. Brock,
    assert found["Calm is cheaper"] == ("Mr. Brock", "explicit")  # interposed with an observation.


def test_roles_keep_their_describing_words():
    story = run(from_text((FIXTURES / "roles_and_clauses.txt").read_text(encoding="utf-8")),
                Options(stages=UP_TO_ATTRIBUTION))
    said = {" ".join(q.text.split()[:3]): story.character_name(q.speaker) for q in story.quotes}
    assert said["Rough crossing, sir?"] == "the genial steward"
    # two stewards the text tells apart stay apart
    assert said["It will be"] == "the senior steward"
    assert said["Don't frighten the"] == "the junior steward"
    # "said the steward" goes to the steward last heard of
    assert said["You look it,"] == "the junior steward"
    assert said["Tickets, please!"] == "an official"  # someone new, unnamed


def test_relative_clause_after_the_subject_and_words_from_someone():
    found = speakers("roles_and_clauses.txt")
    # 'Nora, who had been reading ... opposite Edgar, now put down her book, and said': not Edgar
    assert found["Do stop groaning,"] == ("Nora", "explicit")
    assert found["A splendid night"] == ("Edgar", "explicit")  # came from Edgar's clenched teeth


def test_the_last_clause_names_the_speaker():
    found = speakers("roles_and_clauses.txt")
    # '...the soup; and the bell rang at last, when Nora turned to him ..., and said,': the clause after the
    # semicolon, not Edgar before it
    assert found["Then do not"] == ("Nora", "explicit")
    # '..., but the old porter only shrugged and said,': a trade named by the text is a subject too
    assert found["Keep your money,"] == ("the old porter", "explicit")


def test_a_maid_and_one_of_a_family():
    found = speakers("roles_and_clauses.txt")
    assert found["The captain's compliments,"] == ("the maid", "explicit")  # a servant seldom named
    # "a young Pollock": one of the Pollocks, someone new -- not Edgar Pollock
    assert found["Is that Cousin"] == ("a young Pollock", "explicit")


def test_a_manner_phrase_after_the_verb_ending_the_paragraph():
    found = speakers("manner_phrases.txt")
    assert found["There is the"] == ("Mrs. Greer", "explicit")  # said in a small and steady voice / "..."
    assert found["It will fall"] == ("Mrs. Greer", "explicit")  # cried out, like a woman ringing a bell
    assert found["That is not"] == ("Mr. Tolley", "explicit")  # came the voice of Mr. Tolley, still speaking


def test_possessive_gerund_semicolon_and_a_trade_with_a_clause():
    found = speakers("manner_phrases.txt")
    assert found["I told you"] == ("Mrs. Greer", "explicit")  # began with Mrs. Greer's saying, ...--
    assert found["We will vote"] == ("Mr. Tolley", "explicit")  # by saying suddenly; -- not "He" after it
    assert found["Your cab is"] == ("the porter", "explicit")  # the porter, who was leaning ..., called out,


def test_one_of_a_family_and_a_post_used_as_a_name():
    found = speakers("families.txt")
    assert found["The tide is"] == ("Mr. Crane", "explicit")
    # "a young Crane", "the old Crane": members of the family, not Mr. Crane
    assert found["Must I wear"] == ("a young Crane", "explicit")
    assert found["Hold your tongue,"] == ("the old Crane", "explicit")
    assert found["Sit still, all"] == ("nanny", "explicit")  # "Nanny said,": the post, written as a name


def test_a_page_and_a_hyphenated_title():
    found = speakers("families.txt")
    assert found["A wire for Mr. Crane, sir."] == ("the page", "explicit")  # the page came down ... to say,
    assert found["A wire for Mr. Crane."] == ("the Toll-Keeper", "explicit")  # The Toll-Keeper repeated, ...


def test_a_title_alone_names_the_one_who_mostly_holds_it():
    found = speakers("bare_title.txt")
    # "laughed Mademoiselle": Mademoiselle Vautrin, not Mademoiselle Roux named once
    assert found["Then you must"] == ("Mademoiselle Vautrin", "explicit")


def test_a_capitalised_word_the_cast_did_not_mark():
    found = speakers("unmarked_names.txt")
    # "Six began in a low voice,": "six" is a number everywhere else, but here a card that speaks
    assert found["We painted them"] == ("Six", "explicit")
    assert found["Then paint them"] == ("the innkeeper", "explicit")


def test_one_of_a_kind_a_report_and_a_role_of_something():
    found = speakers("kinds_and_reports.txt")
    assert found["Who is there?"] == ("the Owl", "explicit")
    assert found["Come home, it"] == ("an Owl", "explicit")  # "an Owl from the next wood": not the Owl
    assert found["far too many"] == ("Mrs. Dorling", "explicit")  # "...," according to Mrs. Dorling
    assert found["Tickets ready, all"] == ("the keeper of the lock", "explicit")


def test_pronoun_tag_goes_to_the_one_the_paragraph_makes_act():
    found = speakers("paragraph_subject.txt")
    # 'Walter warmed his hands ..., while Lucinda took up her book again and Arthur's old spaniel settled ...
    # "..." he observed.': Walter, not Arthur, who only owns the dog (and spoke two turns before)
    assert found["You read far"] == ("Walter", "anaphoric")
    # 'Arthur came back ... a little behind Walter's chair. "..." he said.'
    assert found["It is from"] == ("Arthur", "anaphoric")


def test_titles_signs_and_suffixed_words_in_tags():
    found = speakers("title_sign_suffix.txt")
    # a title after "the" with a preposition after it: "said the Countess from the end of the table"
    assert found["Ilya Andreyevich, they"] == ("the Countess", "explicit")
    # sign language: "Pollux signs"
    assert found["Lizard mutts, Run."] == ("Pollux", "explicit")
    # a stop-word with an honorific is a name: "Honey-senpai"
    assert found["Takashi, It's only"] == ("Honey", "explicit")


def test_a_place_after_the_speaker_is_no_one():
    # '"Two coffees," the man in the grey coat said.' and '"Tell her to hurry up," a voice in the back said.':
    # the noun after "in" is where the speaker is, not who
    story = analysed("a_place_after_the_speaker.txt")
    assert {c.name for c in story.characters} == {"Sora", "Kenji"}
    found = speakers(story)
    assert found["Two coffees,"][1] == "anaphoric"  # "the man", described, not named
    assert found["Tell her to"][0] != "the back"


def test_a_tag_two_lines_share_is_one_mention():
    # '"You will lose it all by noon," said the General. He turned to Anders. "They always do."': both lines
    # carry the one tag, a title the narration uses nowhere else, and it is one mention of him, not one per line
    story = analysed("one_tag_two_lines.txt")
    found = speakers(story)
    assert found["You will lose"] == ("the General", "explicit")
    assert found["They always do."][0] == "the General"
    general = next(c for c in story.characters if c.name == "the General")
    spans = [(m.start, m.end) for m in story.mentions if m.character == general.id]
    assert len(spans) == len(set(spans)) == general.mentions
