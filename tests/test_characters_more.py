"""Characters stage, cast errors that cost speakers on novels: a first name two people share, roles that
speak, titles of one family (tests/fixtures/characters_*.txt, written for these tests)."""

from pathlib import Path

import pytest

from ficlens.ingest import from_text
from ficlens.pipeline import Options, run

FIXTURES = Path(__file__).parent / "fixtures"
STAGES = ("structure", "quotes", "characters", "attribution")


def analyse(name: str):
    story = from_text((FIXTURES / name).read_text(encoding="utf-8"))
    return run(story, Options(stages=STAGES))


def by_name(story):
    return {c.name: c for c in story.characters}


def speakers(story):
    """Each quotation's opening words -> the name of its speaker."""
    out = {}
    for q in story.quotes:
        character = story.character(q.speaker) if q.speaker else None
        out[story.text[q.start + 1 : q.end].split(",")[0].split(".")[0]] = character.name if character else None
    return out


def test_bare_first_name_goes_to_the_one_not_called_by_surname():
    # John Beaver is "Beaver" in the narration; the boy John Abbot is "John"
    story = analyse("characters_two_johns.txt")
    cast = by_name(story)
    assert set(cast) == {"Beaver", "John Abbot", "Mrs Abbot"}
    assert cast["Beaver"].aliases == ["John Beaver"]
    assert cast["John Abbot"].aliases == ["John"]
    said = speakers(story)
    assert said["I have a pony"] == "John Abbot"
    assert said["Thank you"] == "John Abbot"
    assert said["It is very muddy"] == "Beaver"


def test_given_name_tells_the_sex_when_the_text_does_not():
    # no title and no he/she after Marjorie or Albert; Ruth Hale is "she" in the narration
    story = run(from_text((FIXTURES / "characters_given_names.txt").read_text(encoding="utf-8")),
                Options(stages=("structure", "quotes", "characters")))
    genders = {c.name: c.gender for c in story.characters}
    assert genders == {"Ruth Hale": "F", "Albert": "M", "Marjorie": "F"}


def test_a_rank_joins_the_full_name_given_that_rank_and_no_other():
    # "Captain Hale" is Captain Frederick Hale; "Admiral Hale", the one other man of the name, is his uncle:
    # the text never makes Frederick an admiral
    story = analyse("characters_ranks.txt")
    cast = by_name(story)
    assert set(cast) == {"Captain Hale", "Admiral Hale"}
    assert cast["Captain Hale"].aliases == ["Captain Frederick Hale", "Frederick Hale"]
    assert cast["Captain Hale"].gender == "M"
    assert cast["Admiral Hale"].aliases == ["the Admiral"]
    said = speakers(story)
    assert said["You look thin"] == "Admiral Hale"
    assert said["She always does"] == "Captain Hale"


def test_his_is_the_man_the_narration_last_named_not_one_named_in_speech():
    # '"I am tired of Mr. Blake," cried his wife': the "he" of the narration before is Mr. Grey, so his wife
    # is Mrs. Grey; Mr. Blake is named only inside the quotations
    story = analyse("characters_kin_owner.txt")
    names = {c.id: c.name for c in story.characters}
    kin = [(m.text, names[m.character]) for m in story.mentions if m.kind == "nominal"]
    assert kin == [("His wife", "Mrs. Grey"), ("his daughter", "Nell"), ("his wife", "Mrs. Grey")]
    assert speakers(story)["I am tired of Mr"] == "Mrs. Grey"


def test_her_mother_is_the_titled_woman_named_near_where_it_is_said():
    # Nora has no family name to settle who "her mother" is; Mrs. Vance is the one woman with a married title
    # named within two paragraphs of each "said her mother" (Jane is named near too, but with no title)
    story = analyse("characters_kin_nearby.txt")
    names = {c.id: c.name for c in story.characters}
    kin = [(m.text, names[m.character]) for m in story.mentions if m.kind == "nominal"]
    assert kin == [("her mother", "Mrs. Vance")] * 3
    said = speakers(story)
    assert said["It is quite large enough for three"] == "Mrs. Vance"
    assert said["You will catch cold"] == "Mrs. Vance"
    assert said["Play the old song"] == "Mrs. Vance"
    assert said["I never catch cold"] == "Nora"


def test_a_title_before_a_given_name_is_no_family_name():
    # the maid's "Mr. Paul" gives Paul no family name "Paul", so "his mother" may be Mrs. Hale, named near
    story = analyse("characters_given_name_title.txt")
    names = {c.id: c.name for c in story.characters}
    kin = [(m.text, names[m.character]) for m in story.mentions if m.kind == "nominal" and m.text.startswith("his")]
    assert kin == [("his mother", "Mrs. Hale")] * 3
    tagged = {story.text[q.start + 1 : q.end].split(",")[0]: (names[q.speaker], q.method) for q in story.quotes}
    assert tagged["You are late"] == ("Mrs. Hale", "explicit")


def test_miss_and_the_family_name_is_the_sister_never_called_miss_and_her_given_name():
    # Kitty Bell is "Miss Kitty"; Ann Bell never "Miss Ann": "Miss Bell" is Ann, the elder
    story = run(from_text((FIXTURES / "characters_eldest.txt").read_text(encoding="utf-8")),
                Options(stages=("structure", "quotes", "characters")))
    cast = sorted((c.name, tuple(c.aliases), c.gender) for c in story.characters)
    assert cast == [("Miss Bell", ("Ann", "Ann Bell"), "F"), ("Miss Kitty", ("Kitty", "Kitty Bell"), "F"),
                    ("Mr. Hart", (), "M"), ("Mrs. Rowe", (), "F")]


def test_a_sentence_adverb_before_a_name_is_not_part_of_it():
    # "Hitherto Ralph", "Whereas Ralph", "Moreover Ralph": words that open a sentence, written nowhere in lower case
    story = run(from_text((FIXTURES / "characters_sentence_adverbs.txt").read_text(encoding="utf-8")),
                Options(stages=("structure", "quotes", "characters")))
    cast = sorted((c.name, tuple(c.aliases), c.gender) for c in story.characters)
    assert cast == [("Grace", ("Grace Moore",), "F"), ("Ralph", ("Ralph Moore",), "M")]


def test_a_shared_first_name_goes_to_the_family_it_is_said_among():
    # bare "Charles" is said in paragraphs that name the Webbs (Mrs Webb, Lucy Webb), never the Danes
    story = analyse("characters_family_company.txt")
    cast = {c.name: c.aliases for c in story.characters}
    assert cast["Charles Webb"] == ["Charles"]
    assert cast["Charles Dane"] == []
    assert "Charles" not in cast
    said = speakers(story)
    assert said["Never"] == "Charles Webb"
    assert said["The curate is coming"] == "Charles Webb"


def test_miss_is_not_merged_into_a_married_woman_of_the_name():
    # "Miss Grey" is Lady Margaret Grey's daughter: a Miss and a Lady of one family name are two women
    story = run(from_text((FIXTURES / "characters_mother_daughter.txt").read_text(encoding="utf-8")),
                Options(stages=("structure", "quotes", "characters")))
    cast = sorted((c.name, tuple(c.aliases), c.gender) for c in story.characters)
    assert cast == [("Lady Margaret", ("Lady Margaret Grey", "Margaret Grey"), "F"), ("Miss Grey", (), "F"),
                    ("Mrs. Ford", (), "F")]


def test_letters_lost_to_question_marks_stay_inside_the_name():
    # a text saved through a lossy encoding: "Thérèse de Vitré" became "Th?r?se de Vitr?" (and "Miss de Vitr?
    # walked" is "Miss de Vitré", not a question)
    story = analyse("characters_lost_letters.txt")
    cast = by_name(story)
    assert set(cast) == {"Therese", "Tony"}
    assert cast["Therese"].aliases == ["Miss de Vitre", "Therese de Vitre"]
    said = speakers(story)
    assert said["How I wish I could swim like you"] == "Therese"
    assert said["Not as well as my brother"] == "Therese"
    assert said["You swim very well"] == "Tony"


def test_miss_and_the_family_name_is_not_a_sister_called_miss_and_her_given_name():
    # Lucy Frost is "Miss Lucy", so she is a younger daughter: "Miss Frost" is her elder sister
    story = analyse("characters_younger_sister.txt")
    cast = sorted((c.name, tuple(c.aliases), c.gender) for c in story.characters)
    assert cast == [("Lucy Frost", ("Lucy", "Miss Lucy"), "F"), ("Miss Frost", (), "F"), ("Mrs. Hale", (), "F")]
    said = speakers(story)
    assert said["I never saw such fine boys"] == "Miss Frost"
    assert said["Never"] == "Lucy Frost"


def test_a_bare_surname_is_the_rank_holder_called_so_far_more_than_mister():
    # "Pike" is Inspector Pike (four times so) rather than the "Mr. Pike" said once; the rank names him,
    # though the bare surname is said more often
    story = analyse("characters_rank_holder.txt")
    cast = {c.name: c.aliases for c in story.characters}
    assert cast["Inspector Pike"] == ["Pike"]
    said = speakers(story)
    assert said["The window is open"] == "Inspector Pike"
    assert said["We shall find him"] == "Inspector Pike"


def test_a_full_name_said_once_with_mister_and_once_without_names_the_man():
    # "Mr. Amos Penrose" and "Amos Penrose" are two uses of his full name, the name a reader knows him by
    story = analyse("characters_titled_full_name.txt")
    cast = {c.name: c.aliases for c in story.characters}
    assert set(cast) == {"Amos Penrose", "Mr. Hale"}
    said = speakers(story)
    assert said["Entirely"] == "Amos Penrose"
    assert said["And why not?\""] == "Amos Penrose"


def test_mister_and_the_family_name_is_the_eldest_son():
    # the father is "Sir Walter", the younger son "Mr. Edmund Grant": "Mr. Grant" is Tom, the heir
    story = analyse("characters_eldest_son.txt")
    cast = {c.name: c.aliases for c in story.characters}
    assert "Mr. Grant" not in cast
    assert "Mr. Grant" in cast["Tom Grant"]
    said = speakers(story)
    assert said["We had given up the play"] == "Tom Grant"
    assert said["The roads are very bad"] == "Tom Grant"
    assert said["Entirely"] == "Edmund Grant"


def test_kin_before_a_name_is_no_rank_to_name_her_by():
    # "Cousin Maud" twice, "Maud" far more: she is Maud (a rank would name her, "Inspector Pike"; kin does not)
    story = analyse("characters_cousin.txt")
    cast = {c.name: c.aliases for c in story.characters}
    assert cast["Maud"] == ["Cousin Maud"]


def test_a_word_that_is_no_name_alone_is_one_after_a_title():
    # "hill" is an ordinary word, "Mrs. Hill" a woman; "the Colonel. And" is no "Colonel And"
    story = analyse("characters_titled_stopword.txt")
    cast = {c.name for c in story.characters}
    assert "Mrs. Hill" in cast
    assert not any("And" in name for name in cast)
    said = speakers(story)
    assert said["The post has come"] == "Mrs. Hill"
    assert said["Good morning"] == "Mrs. Hill"


def test_a_familiar_form_the_given_name_says_of_someone_else_is_another_person():
    # "Madge" is a familiar form of Margaret, but Margaret speaks of Madge: two women
    story = analyse("characters_speaker_names_other.txt")
    cast = {c.name: c.aliases for c in story.characters}
    assert "Madge" in cast and "Madge" not in cast["Margaret"]
    said = speakers(story)
    assert said["Good-bye"] == "Madge"
    assert said["Let us go home"] == "Margaret"


def test_a_common_given_name_and_a_surname_never_written_small_are_a_person():
    # "Harry Pargeter" is never a speaker and Pargeter comes after "to" and "from", yet he is a man
    story = run(from_text((FIXTURES / "characters_given_name_pair.txt").read_text(encoding="utf-8")),
                Options(stages=("structure", "quotes", "characters")))
    cast = {c.name: c.aliases for c in story.characters}
    assert cast.get("Pargeter") == ["Harry Pargeter"]


def test_a_kin_word_before_a_surname_picks_the_titled_person_of_that_sex():
    # "aunt Grant" is Lady Grant, not her son Mr. Grant nor her daughter Miss Grant
    story = run(from_text((FIXTURES / "characters_kin_surname.txt").read_text(encoding="utf-8")),
                Options(stages=("structure", "quotes", "characters")))
    names = {c.id: c.name for c in story.characters}
    kin = [names[m.character] for m in story.mentions if m.text == "Grant"]
    assert kin == ["Lady Grant", "Lady Grant"]


def test_given_name_said_with_title_and_surname_again_and_again_gives_the_full_name():
    # "Felix" alone a dozen times, "Mr. Felix Ashdown" three times and "Felix Ashdown" once: the reader's name
    # for him is the full one
    story = analyse("characters_titled_given_full.txt")
    cast = by_name(story)
    assert set(cast) == {"Felix Ashdown", "Mrs. Vane"}
    assert {"Felix", "Mr. Felix Ashdown"} <= set(cast["Felix Ashdown"].aliases)
    said = speakers(story)
    assert said["I am always early"] == "Felix Ashdown"
    assert said["You will ruin yourself"] == "Mrs. Vane"


def test_kin_of_someone_with_no_family_name_follows_the_other_uses_of_that_kin_word():
    # "her mother" is Mrs. Hale five times over for Jane Hale; Kitty has no family name, so "said her mother"
    # after Kitty is named is the same Mrs. Hale, not Kitty answering herself
    story = analyse("characters_kin_dominant.txt")
    assert set(by_name(story)) == {"Jane Hale", "Mrs. Hale", "Kitty", "Mr. Hale"}
    nominal = [story.character(m.character).name for m in story.mentions if m.kind == "nominal"]
    assert nominal == ["Mrs. Hale"] * 8
    said = speakers(story)
    assert said["Early?\" said her mother"] == "Mrs. Hale"
    assert said["The Grants have come early!\""] == "Kitty"


def test_a_trade_the_narration_keeps_for_one_person_is_a_character_with_its_uses_as_mentions():
    # "the landlady" and a bare "nanny", each said four times or more and beside speech verbs: one person each,
    # named as the text names them, every narrated use a mention ("The landlady took his bag")
    story = analyse("characters_role_epithets.txt")
    cast = by_name(story)
    assert set(cast) == {"Edgar", "the landlady", "Nanny", "Tom"}
    assert (cast["the landlady"].gender, cast["Nanny"].gender) == ("F", "F")
    def named(who):
        return [m.text for m in story.mentions if m.character == cast[who].id and m.kind == "name"]
    assert named("the landlady") == ["the landlady", "the landlady", "The landlady", "the landlady",
                                     "The landlady", "the landlady"]
    assert named("Nanny") == ["nanny"] * 5
    said = speakers(story)
    assert said["You will want supper"] == "the landlady"
    assert said["They will not sleep"] == "Nanny"
    assert said["Lie still"] == "Nanny"


def test_a_familiar_form_said_only_in_quotations_joins_the_given_name_said_with_its_title():
    # the narration says "Lord Henry", the people in the room say "Harry": one man, not two
    story = analyse("characters_titled_nickname.txt")
    cast = by_name(story)
    assert set(cast) == {"Lord Henry", "Dorian"}
    assert cast["Lord Henry"].aliases == ["Harry"]
    said = speakers(story)
    assert said["What have you been doing"] == "Dorian"
    assert said["Everyone says so"] == "Lord Henry"


def test_a_familiar_form_the_narration_uses_stays_apart_from_a_titled_given_name():
    # "Kitty" is named by the narration, as a person of her own: she is not "Lady Catherine"
    story = from_text(
        'Lady Catherine sat in state. Lady Catherine spoke, and Lady Catherine was obeyed. Lady Catherine '
        'frowned at the girls, and Lady Catherine sniffed.\n\n"Sit up, Kitty," said Lady Catherine.\n\n'
        'Kitty sat up. Kitty was afraid of her.\n\n"Yes, ma\'am," said Kitty.\n')
    run(story, Options(stages=STAGES))
    assert set(by_name(story)) == {"Lady Catherine", "Kitty"}


def test_the_only_daughter_is_miss_and_the_family_name_though_the_servants_call_her_miss_and_her_given_name():
    # no "Miss Thornes", and the narration never names "Miss Thorne" beside Nora: one young woman
    story = analyse("characters_only_daughter.txt")
    cast = by_name(story)
    assert set(cast) == {"Nora", "Mr. Ashby", "Mrs. Thorne", "the groom"}
    assert cast["Nora"].aliases == ["Miss Nora", "Miss Thorne", "Nora Thorne"]
    said = speakers(story)
    assert said["Quite well"] == "Nora"
    assert said["Miss Thorne"] == "Mr. Ashby"


def test_more_given_names_settle_gender_where_the_text_does_not():
    # no title and no he/she after either name: "Evie" and "Isaac" are given names of one sex
    story = analyse("characters_given_names_more.txt")
    assert [(c.name, c.gender) for c in story.characters] == [("Evie", "F"), ("Isaac", "M")]


def test_a_short_familiar_form_joins_the_longer_one_when_no_one_has_the_given_name():
    # "Kit" and "Kitty" are one girl (no Catherine in the story); "Molly" and "Polly", both of Mary, are two
    story = analyse("characters_familiar_forms.txt")
    cast = by_name(story)
    assert set(cast) == {"Kitty", "Molly", "Polly"}
    assert cast["Kitty"].aliases == ["Kit", "Kitty Marsh"]
    said = speakers(story)
    assert said["Is that all?\""] == "Kitty"
    assert said["That is all"] == "Polly"


def test_a_title_held_of_a_place_is_a_person_the_text_then_calls_by_the_title_alone():
    # "the Duchess of Harrowgate", then "the duchess" and ", Duchess" are she; the Duke of Orkney of a history
    # book, never called "the duke", is no one in the story
    story = analyse("characters_territorial_title.txt")
    cast = by_name(story)
    assert set(cast) == {"Duchess of Harrowgate", "Lord Fenwick"}
    assert cast["Duchess of Harrowgate"].gender == "F"
    hers = [(m.text, m.kind) for m in story.mentions if m.character == cast["Duchess of Harrowgate"].id
            and m.kind != "pronoun"]
    assert hers == [("the Duchess of Harrowgate", "name"), ("the duchess", "name"), ("Duchess", "vocative"),
                    ("The duchess", "name"), ("the duchess", "name")]
    said = speakers(story)
    assert said["We were talking of horses"] == "Duchess of Harrowgate"
    assert said["A sad story"] == "Duchess of Harrowgate"


def test_a_vicar_is_a_post_whose_holder_the_narration_may_never_name():
    # "vicar" is a role noun (lexicons/nominals.txt): four narrated uses, two beside speech verbs, make him one
    # person, a man by the noun, his "he" and "him" his mentions
    story = analyse("characters_role_vicar.txt")
    cast = by_name(story)
    assert set(cast) == {"the vicar", "Mrs. Lamb"}
    assert cast["the vicar"].gender == "M"
    assert [m.text for m in story.mentions if m.character == cast["the vicar"].id and m.kind == "name"] == [
        "The vicar", "the vicar", "The vicar", "the vicar", "the vicar"]


def test_a_calling_describes_a_named_person_and_makes_no_character_of_its_own():
    # "said the painter" in a scene of Basil, a painter, and Harry, whom the painter addresses: Basil speaks;
    # "the painter" is no one new (lexicons/nominals.txt: a calling, not a trade)
    story = analyse("characters_calling.txt")
    assert set(by_name(story)) == {"Harry", "Basil Ward"}
    assert speakers(story)["It is your doing"] == "Basil Ward"


def test_a_trade_set_beside_a_name_is_that_person():
    # "Mr. Quill, the chairman,": every later "the chairman" is Mr. Quill, no character of its own
    story = analyse("characters_role_apposition.txt")
    cast = by_name(story)
    assert set(cast) == {"Mr. Quill", "Mrs. Dunn"}
    assert [m.text for m in story.mentions if m.character == cast["Mr. Quill"].id and m.kind == "name"] == [
        "Mr. Quill", "the chairman", "the chairman", "The chairman", "the chairman", "The chairman"]
    said = speakers(story)
    assert said["The minutes"] == "Mr. Quill"
    assert said["Then you will read them again"] == "Mr. Quill"


def test_a_title_or_given_name_of_one_sex_outweighs_the_next_pronoun():
    # "Edward said nothing. She was laughing at him": the "she" after Edward is Miss Pratt; Edward is a man's
    # name and nothing of his own says otherwise
    story = analyse("characters_gender_prior.txt")
    assert [(c.name, c.gender) for c in story.characters] == [("Edward", "M"), ("Miss Pratt", "F")]


def test_a_trade_of_either_sex_takes_the_sex_of_its_pronouns():
    # "porter" shows no sex; "The porter was an old man, and he groaned", "he wiped his face": a man
    story = analyse("characters_role_gender.txt")
    assert [(c.name, c.gender) for c in story.characters] == [("the porter", "M"), ("Agnes Bell", "F")]


def test_kin_of_someone_with_a_family_name_of_her_own_follows_the_other_uses_of_that_kin_word():
    # Rose Marsh's "her uncle" (the family names cannot tell: he is a Dale) is the Mr. Dale whom seven other
    # uses of "her uncle" were
    story = analyse("characters_kin_dominant_uncle.txt")
    nominal = [(m.text, story.character(m.character).name) for m in story.mentions if m.kind == "nominal"]
    assert len(nominal) == 8 and {name for _, name in nominal} == {"Mr. Dale"}
    last = story.text.rindex("her uncle")
    assert any(m.start == last and m.kind == "nominal" for m in story.mentions)


def test_a_given_name_goes_to_the_full_name_of_a_family_not_to_a_place_read_after_it():
    # "on Rose Fenwick was destined" reads as a second full name "Rose Fenwick"; Harland is a family's name
    # (Ivy Harland, Mr. Harland), Fenwick no one's, so "Rose" alone is Rose Harland
    story = analyse("characters_name_before_place.txt")
    cast = {c.name: c.aliases for c in story.characters}
    assert cast["Rose"] == ["Rose Harland"]
    assert cast["Ivy"] == ["Ivy Harland"]
    assert "Rose Harland" not in cast
    said = speakers(story)
    assert said["The tide is out"] == "Rose"
    assert said["I have"] == "Rose"


def test_an_aunt_called_by_her_given_name_in_speech_is_the_titled_woman_the_narration_names():
    # the nieces say "Aunt Hetty"; the narration, in the paragraphs beside those lines, says "Mrs. Pike"
    story = analyse("characters_aunt_by_given_name.txt")
    cast = {c.name: c for c in story.characters}
    assert "Aunt Hetty" not in cast
    assert "Aunt Hetty" in cast["Mrs. Pike"].aliases
    assert cast["Mrs. Pike"].gender == "F"
    assert "Mr. Tull" in cast
    said = speakers(story)
    assert said["You look tired"] == "Alice"
    assert said["Thank you"] == "Mrs. Pike"



def test_a_calling_is_the_named_person_the_replies_beside_it_address():
    # "the painter" between lines that call him "Walter": each narrated use is a mention of Walter Crane, and a
    # tag "said the painter" resolves to him
    from ficlens.stages.characters import description_character
    story = analyse("characters_the_painter.txt")
    cast = {c.name: c for c in story.characters}
    assert "the painter" not in cast
    walter = cast["Walter"]
    assert walter.aliases == ["Walter Crane"]
    nominal = [(m.text, m.character) for m in story.mentions if m.kind == "nominal"]
    assert nominal == [("the painter", walter.id), ("The painter", walter.id), ("the painter", walter.id),
                       ("the painter", walter.id), ("The painter", walter.id)]
    tag = story.text.index("the painter. \"The hands")
    assert description_character(story, tag, tag + len("the painter")) == walter.id
    said = speakers(story)
    assert said["Not yet"] == "Walter"
    assert said["I shall burn it first"] == "Walter"


def test_a_present_tense_story_keeps_a_full_name_and_drops_sentence_openers():
    story = analyse("characters_present_tense.txt")
    names = by_name(story)
    # "Marisol Vega runs ...": a full name as the subject of a present-tense verb is a person.
    assert "Marisol Vega" in names and "Marisol" in names["Marisol Vega"].aliases
    # "Eventually Wes goes": an -ly opener is no part of the name; "Goodnight, Wes" is no one.
    assert "Eventually Wes" not in names and "Goodnight" not in names
    assert names["Wes"].mentions >= 4


def test_an_ordinary_word_the_tags_use_as_a_name_is_a_character():
    # "will" is an ordinary word, but '"...," said Will.' and '"Fine," Will said' make it a name here; "Will you
    # stay?" opening a line is still the verb
    story = analyse("characters_word_names.txt")
    will = by_name(story)["Will"]
    assert will.mentions == 4
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)] == [
        "Hannibal", "Will", "Will", "Hannibal", "Will", "Hannibal", "Will"]


def test_an_ordinary_word_before_a_surname_is_a_first_name_at_one_tag():
    # "Will Solace found me" in the narration, then a single '"...," Will said.': Will speaks that line
    story = analyse("characters_word_name_full.txt")
    will = by_name(story)["Will Solace"]
    assert "Will" in will.aliases
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)][1] == "Will Solace"


def test_a_town_under_a_preposition_of_place_is_no_one():
    # "six feet under Sunnydale": a place; before, one person cue ("Sunnydale laid out under her") made it a woman
    story = analyse("characters_place_under.txt")
    assert sorted(by_name(story)) == ["Buffy", "Spike"]


def test_kin_words_used_as_names_are_characters():
    # "Mom asked", "Dad snorted": capitalised kin words with no "my" before them name two people of the story,
    # a woman and a man (before, every line went to Peter, the only character)
    story = analyse("characters_kin_names.txt")
    cast = by_name(story)
    assert (cast["Mom"].gender, cast["Dad"].gender) == ("F", "M")
    said = [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)]
    assert said[:1] + said[2:] == ["Mom", "Dad", "Peter", "Mom"]


def test_the_answer_to_mom_is_peters():
    # the bare answer to Mom's question is Peter's (the ninth round's ranker gave it to Mom; the tenth's does not)
    story = analyse("characters_kin_names.txt")
    assert story.character_name(sorted(story.quotes, key=lambda q: q.start)[1].speaker) == "Peter"


def test_a_kin_word_before_a_name_or_after_my_is_no_name():
    text = ("Aunt May made tea. My mom called twice, and Aunt May answered both times.\n\n"
            "\"She worries,\" said Aunt May. Father Brown nodded; Father Brown always nodded.\n")
    story = run(from_text(text), Options(stages=STAGES))
    assert sorted(c.name for c in story.characters) == ["Aunt May", "Father Brown"]



@pytest.mark.xfail(strict=True, reason="known wrong: a name that is never a clause's subject ('Ilse found Tomek "
                   "asleep') is not a character; a rule for verbs whose object is a person was measured with others "
                   "whose retrained ranker broke 'Start what?'")
def test_a_name_only_found_asleep_is_still_someone():
    # Tomek is never the subject of a clause, only the one Ilse found: still a character, and the answer is his
    story = analyse("characters_found_asleep.txt")
    assert set(by_name(story)) == {"Ilse", "Tomek"}
    said = speakers(story)
    assert said["Five more minutes"] == "Tomek"
    assert said["You said that at seven"] == "Ilse"


def test_a_name_with_a_patronymic_is_someone_and_the_narrator_is_named_by_the_lines():
    # "I met Nadia Ivanovna on the stairs": never a subject, but a given name and a father's name are a person's;
    # the "I" is Pyotr Sergeyevich, whom the replies call so
    story = analyse("characters_patronymic.txt")
    cast = by_name(story)
    assert set(cast) == {"Pyotr Sergeyevich", "Marya Filippovna", "Nadia Ivanovna"}
    assert cast["Nadia Ivanovna"].gender == "F" and "I" in cast["Pyotr Sergeyevich"].aliases
    said = speakers(story)
    assert said["I brought what I could"] == "Pyotr Sergeyevich"
    assert said["I am tired"] == "Pyotr Sergeyevich"


def test_fan_fiction_names_are_not_sentences_or_orders():
    # "Brigadier General. Shot in..." ends a sentence; "Get Hawkeye," and "Tonight, at least," open no names
    cast = by_name(analyse("characters_fanfic_names.txt"))
    assert not [name for name in cast if name.split()[0] in ("General.", "Get", "Tonight") or "Shot" in name]
    assert {"Havoc", "Breda"} <= set(cast)


def test_fan_fiction_genders_are_the_names_own():
    # "Hawkeye" is a man in the Marvel pack, but Riza Hawkeye is no Clint Barton; "a frequency that Bucky can
    # feel", "next to Bucky's", "the back of Bucky's neck" are no places: Bucky is a person, a man
    cast = by_name(analyse("characters_fanfic_genders.txt"))
    assert cast["Riza Hawkeye"].gender == "F"
    assert cast["Bucky"].gender == "M"


def test_a_speech_verb_the_narration_writes_as_a_name_is_a_character():
    # "howl" is a speech verb ("he howled"), but "Howl's old boots" and "Howl looked up", capitalised inside the
    # narration and never in lower case, make it a name here: Howl speaks every line Sophie does not
    story = analyse("characters_verb_name.txt")
    assert by_name(story)["Howl"].gender == "M"
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)] == [
        "Sophie", "Howl", "Sophie", "Howl", "Howl"]


def test_a_designation_of_capitals_and_digits_is_a_name():
    # androids and clones go by designations ("2B", "A2"): each is someone who speaks, not a number
    story = analyse("characters_serial_names.txt")
    assert {"2B", "A2"} <= set(by_name(story))
    assert [story.character_name(q.speaker) for q in sorted(story.quotes, key=lambda q: q.start)] == [
        "A2", "2B", "A2", "2B", "A2", "2B"]


def test_names_with_no_cue_in_a_present_tense_story_are_people():
    # "Marguerite is sitting", "Anselm doesn't look up", "Henrike had the kettle on" (spaCy's recogniser): no
    # speech verb names any of them, yet a reader lists all three; "yells NOOO" is a sound, not a fourth
    story = analyse("characters_present_tense_cast.txt")
    assert {"Marguerite", "Anselm", "Henrike", "the narrator"} == set(by_name(story))
    said = speakers(story)
    assert said["Seven letters"] == "Marguerite"
    assert said["That's Anselm"] == "the narrator"
    assert said["That's six"] == "Marguerite"
    assert said["I can hear you both"] == "Anselm"


def test_a_name_whose_clause_shows_his_own_thing_is_someone():
    # "Tomasz puts his Kindle away": the one named with "his" is a person, and the Kindle is not; the lines
    # then go back and forth between Ottilie and him
    story = analyse("characters_named_without_a_cue.txt")
    assert set(by_name(story)) == {"Tomasz", "Ottilie"}
    # "Ottilie offers him the bag. He takes one": the "He" is the one she offers it to, not Ottilie (whose
    # "she" never follows her name, so her gender may stay unknown)
    assert by_name(story)["Ottilie"].gender in (None, "F")
    said = speakers(story)
    assert [said[w] for w in ("It's not coming", "It's always coming", "Greedy", "Starving")] == [
        "Ottilie", "Tomasz", "Ottilie", "Tomasz"]


def test_hindi_urdu_honorifics_join_the_name_they_follow():
    # "Arjun-bhai" is Arjun Mehta and "Meera-behen" Meera Iyer, as "Kakashi-sensei" is Kakashi
    cast = by_name(analyse("characters_south_asian_honorifics.txt"))
    assert set(cast) == {"Arjun", "Meera"}
    assert {"Arjun Mehta", "Arjun-bhai"} <= set(cast["Arjun"].aliases)
    assert {"Meera Iyer", "Meera-behen"} <= set(cast["Meera"].aliases)
    assert cast["Arjun"].gender == "M" and cast["Meera"].gender == "F"  # "-bhai" says brother


def test_korean_vocative_particles_call_the_name_they_follow():
    # "Yoongi-ya" and "Jimin-ah" in the lines are Yoongi and Jimin called by name, not two more people; "Seo-ah",
    # whom the story never writes as "Seo", is a given name and stays whole
    story = analyse("characters_korean_vocatives.txt")
    assert {c.name for c in story.characters} == {"Jimin", "Yoongi", "Seo-ah"}
    to = {story.text[q.start + 1 : q.end].split(",")[0]: [story.character_name(a) for a in q.addressees]
          for q in story.quotes}
    assert to["Jimin-ah"] == ["Jimin"] and to["Yoongi-ya"] == ["Yoongi"]


def test_more_korean_and_chinese_suffixes_join_the_name_they_follow():
    # "-sshi" (the common spelling of -ssi), "-unni", "-hyungnim" and the Chinese "-ge": the name before them,
    # with the sex the suffix says
    cast = by_name(analyse("characters_more_suffixes.txt"))
    assert "Hyunwoo-hyungnim" not in cast and cast["Hyunwoo"].gender == "M"
    assert {"Jiwoo-unni", "Seo Jiwoo"} <= set(cast["Jiwoo"].aliases) and cast["Jiwoo"].gender == "F"
    assert "Mingyu-sshi" in cast["Mingyu"].aliases and "Xichen-ge" in cast["Lan Xichen"].aliases


def test_plural_nouns_opening_sentences_are_nobody():
    # "Soldiers filled the square", "Villagers gathered", "Servants hurried past": plural nouns that open a
    # sentence and act like subjects; spaCy's recogniser, asked about them, sees no person
    story = analyse("characters_plural_openers.txt")
    assert set(by_name(story)) == {"Tom", "Mary"}
    said = speakers(story)
    assert said["I went to fetch the doctor from the inn"] == "Tom" and said["Luckily"] == "Tom"
    sadly = next(q for q in story.quotes if "Sadly" in q.text)
    assert [story.character(a).name for a in sadly.addressees] == ["Mary"]


def test_adverbs_opening_sentences_are_nobody():
    # "Wretchedly did he stand", "Admirably dressed", "Eternally patient" in the narration and '"Sadly, my phone
    # died"' in a line: -ly words no list of names holds, each only ever opening a sentence
    story = analyse("characters_adverb_openers.txt")
    assert set(by_name(story)) == {"Tom", "Mary"}
    said = speakers(story)
    assert said["You could have called"] == "Mary" and said["I meant to call"] == "Tom"
    assert said["Then drink this"] == "Mary"
    sadly = next(q for q in story.quotes if "Sadly" in q.text)
    assert [story.character(a).name for a in sadly.addressees] == ["Mary"]


def test_a_title_and_a_name_open_or_close_a_call():
    # '"Mr. Yang," she said' and '"Sit down, Miss Park."' call them; '"Mr. Chen," she said, "told me..."' is the
    # line's subject, not a call
    story = analyse("characters_titled_calls.txt")
    lines = {q.text.split(",")[0].split(".")[0]: (story.character(q.speaker).name,
                                                   [story.character(a).name for a in q.addressees])
             for q in story.quotes}
    assert lines["Mr"] == ("Mina", ["Mr. Yang"])
    assert lines["Sit down"] == ("Mr. Yang", ["Miss Park"])
    assert lines["Then tell me why"] == ("Mr. Yang", ["Miss Park"])
    assert lines["I do"][1] != ["Mr. Chen"]


def test_a_title_of_one_sex_beats_the_gender_a_fandom_pack_gives_the_name():
    # Naruto's Rock Lee and Harry Potter's Peter Pettigrew are men; "Miss Lee" and "Mrs. Pettigrew" are women
    story = analyse("characters_title_over_pack_gender.txt")
    genders = {c.name: c.gender for c in story.characters}
    assert genders["Miss Lee"] == "F" and genders["Mrs. Pettigrew"] == "F"


@pytest.mark.xfail(strict=True, reason="known wrong: BOSS, FRAGILE, 'HAPPY BIRTHDAY HYUNGNIM', Sweat and Strictly are "
                   "characters.  The rules for them (README: the cast round) changed the speaker "
                   "ranker's training data, and none of the three retrained rankers passed the retrain rule")
def test_shouts_signs_and_one_off_sentence_openers_are_nobody():
    # "HAPPY BIRTHDAY HYUNGNIM" on a banner, "BOSS" and "FRAGILE" that something "says" or someone "has added",
    # '"SURPRISE, EVERYONE"', "Sweat ran down his back", '"Strictly speaking"': none of them is a person
    story = analyse("characters_shouts_and_signs.txt")
    assert set(by_name(story)) == {"Jinho", "Beomsu", "Jinwoo"}
    said = {key.rstrip('"'): name for key, name in speakers(story).items()}
    assert said["Who wrote BOSS?"] == "Jinwoo" and said["Not me"] == "Beomsu"


def test_a_given_name_said_far_more_often_as_a_titled_surname_is_the_titled_man():
    # "Stanton Hartley" once (Mr. Hartley's given name); "Captain Stanton" four times: "said Stanton" is the
    # Captain's, as "said Fitzwilliam" is Colonel Fitzwilliam's beside one "Fitzwilliam Darcy"
    story = analyse("characters_given_name_and_titled_surname.txt")
    assert "Stanton" not in by_name(story)["Mr. Hartley"].aliases
    found = speakers(story)
    assert found["I have had more practice"] == "Captain Stanton"
    assert found["If my cousin will have me"] == "Captain Stanton"
