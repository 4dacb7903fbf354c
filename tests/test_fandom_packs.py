"""The bundled fandom packs as data: each loads with the fields the fandom stage reads, its detection patterns name
its fandom and no ordinary English, and a story of the fandom comes out under AO3's canonical names."""

import re
from pathlib import Path

import pytest

import ficlens
from ficlens import lexicons
from ficlens.ingest import from_text
from ficlens.pipeline import Options, run
from ficlens.roster import canon_character, distinctive_names, fandom_pack_key, load_fandom

FIXTURES = Path(__file__).parent / "fixtures" / "fandom_packs"
PACKS = sorted(lexicons.fandom_packs())

# Pack key -> titles its fandom is written under; each must name that pack in a disclaimer (the first also as a
# --fandom value).
TITLES = {
    "mo_dao_zu_shi": ["Mo Dao Zu Shi", "The Untamed", "MDZS", "魔道祖师"],
    "genshin_impact": ["Genshin Impact", "Genshin"],
    "haikyuu": ["Haikyuu!!", "Haikyu"],
    "jujutsu_kaisen": ["Jujutsu Kaisen", "JJK"],
    "attack_on_titan": ["Attack on Titan", "Shingeki no Kyojin", "SnK"],
    "fruits_basket": ["Fruits Basket", "Furuba"],
    "final_fantasy_vii": ["Final Fantasy VII", "FF7", "Crisis Core", "Final Fantasy 7"],
    "the_witcher": ["The Witcher", "Wiedźmin"],
    "doctor_who": ["Doctor Who"],
    "lord_of_the_rings": ["The Lord of the Rings", "The Hobbit", "LotR", "The Silmarillion"],
    "good_omens": ["Good Omens"],
    "bungou_stray_dogs": ["Bungou Stray Dogs", "Bungo Stray Dogs", "BSD"],
    "demon_slayer": ["Demon Slayer", "Kimetsu no Yaiba"],
    "one_piece": ["One Piece"],
    "stranger_things": ["Stranger Things"],
    "percy_jackson": ["Percy Jackson", "Heroes of Olympus", "PJO"],
    "star_trek": ["Star Trek", "Star Trek Into Darkness", "Star Trek: The Original Series"],
    "les_miserables": ["Les Misérables", "Les Miserables", "Les Mis"],
    "tokyo_revengers": ["Tokyo Revengers", "東京卍リベンジャーズ"],
    "scum_villain": ["The Scum Villain's Self-Saving System", "SVSSS", "人渣反派自救系统"],
    "danganronpa": ["Danganronpa", "ダンガンロンパ"],
    "hazbin_hotel": ["Hazbin Hotel"],
    "voltron": ["Voltron: Legendary Defender", "Voltron"],
    "honkai_star_rail": ["Honkai: Star Rail", "Honkai Star Rail"],
    "owl_house": ["The Owl House", "TOH"],
    "detroit_become_human": ["Detroit: Become Human", "Detroit Become Human", "DBH"],
    "gintama": ["Gintama", "Gin Tama", "銀魂"],
    "jojo": ["JoJo's Bizarre Adventure", "JoJo no Kimyou na Bouken", "JJBA", "ジョジョの奇妙な冒険", "Stardust Crusaders",
             "Golden Wind"],
    "bridgerton": ["Bridgerton", "Queen Charlotte: A Bridgerton Story"],
    "shadowhunters": ["Shadowhunters", "The Mortal Instruments", "The Infernal Devices", "The Shadowhunter Chronicles"],
    "dragon_ball": ["Dragon Ball", "Dragon Ball Z", "Dragon Ball Super", "DBZ", "ドラゴンボール"],
    "fullmetal_alchemist": ["Fullmetal Alchemist", "Fullmetal Alchemist: Brotherhood", "FMA"],
    "hunter_x_hunter": ["Hunter x Hunter", "Hunter X Hunter", "HxH", "HUNTER×HUNTER", "ハンター×ハンター"],
    "bleach": ["Bleach", "BLEACH", "Bleach (Anime & Manga)"],
    "teen_wolf": ["Teen Wolf", "Teen Wolf (TV)"],
    "merlin": ["Merlin", "Merlin (TV)", "BBC Merlin"],
}

# Sentences no pack may read as a fandom: the titles' words in their ordinary senses, and neighbouring canons.
NEAR_MISSES = [
    "The doctor came in and took my pulse.",
    "The doctor who treated me was kind.",
    "Good omens for the harvest, the farmers said.",
    "A stranger thing happened on the way home.",
    "Stranger things have happened.",
    "Stranger Things Have Happened",
    "She saved one piece of cake for later.",
    "One piece of advice: never trust a cat.",
    "One Piece at a Time",
    "The witcher's sword hung on the wall.",
    "They rode into the untamed wilds of the north.",
    "He was a demon slayer for hire, or so the posters said.",
    "We were les miserables of the office that winter, and we knew it.",
    "The lord of the manor counted his rings.",
    "The hobbit hole in my garden is a rabbit warren.",
    "It was the advent children's choir.",
    "The straw hat pirates at the fair sold lemonade.",
    "Star Trek: Voyager is my favourite show.",
    "I don't own Star Trek: The Next Generation.",
    "I don't own Final Fantasy XIV.",
    "Final Fantasy VIII belongs to Square Enix.",
    "The Legend of Zelda belongs to Nintendo.",
    "I don't own anything.",
    "She felt miserable, and the rain made it worse.",
    "Woo hoo! Chapter two is up.",
    "Crisis averted: the core team met on Monday.",
    "Her jacket was the colour of ash and rose.",
]

NEW_PACKS = sorted(TITLES)


def pack_data(key: str) -> dict:
    return lexicons.load_json(lexicons.fandom_packs()[key])


def patterns(key: str) -> list[re.Pattern]:
    data = pack_data(key)
    return [re.compile(p, re.IGNORECASE) for p in data["detect"] + data["detect_owned"]]


def detected(text: str) -> dict:
    return run(from_text(text, max_bytes=10**6), Options(stages=("structure", "fandom"))).metadata


# --- the files --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", PACKS)
def test_every_pack_has_the_fields_the_fandom_stage_reads(key):
    data = pack_data(key)
    assert isinstance(data["fandom"], str) and data["fandom"].strip()
    assert data["ao3_fandom"] in data["ao3_fandoms"]
    assert data["source"].strip() and data["notes"].strip()
    assert data["detect"] and isinstance(data["detect_owned"], list) and isinstance(data["family_names"], list)
    for character in data["characters"]:
        assert character["name"].strip() and isinstance(character["aliases"], list)
        assert character["gender"] in ("M", "F", "N", None)
    names = {n for c in data["characters"] for n in [c["name"], *c["aliases"]]}
    assert set(data.get("not_distinctive", [])) <= names  # each is one of the pack's own names


@pytest.mark.parametrize("key", NEW_PACKS)
def test_new_packs_hold_the_characters_fans_write_most(key):
    entries = load_fandom(key)
    assert 15 <= len(entries) <= 40
    assert len({e.name for e in entries}) == len(entries)


@pytest.mark.parametrize("key", PACKS)
def test_every_detection_pattern_compiles(key):
    assert patterns(key)


# --- detection --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key, title", [(k, t) for k in NEW_PACKS for t in TITLES[k]])
def test_a_title_names_its_pack_in_a_disclaimer_and_as_an_option(key, title):
    assert any(p.search(f"I don't own {title}.") for p in patterns(key))
    metadata = detected(f"Disclaimer: I don't own {title}.\n\nThe rain had not stopped for three days.\n")
    assert metadata["fandom_detected"] == pack_data(key)["fandom"]
    assert metadata["fandoms"] == [pack_data(key)["ao3_fandom"]]


@pytest.mark.parametrize("key", NEW_PACKS)
def test_the_fandom_option_takes_the_pack_s_key_or_title(key):
    assert fandom_pack_key(key) == key
    assert fandom_pack_key(TITLES[key][0]) == key
    assert fandom_pack_key(pack_data(key)["fandom"]) == key


@pytest.mark.parametrize("key", NEW_PACKS)
def test_ao3_fandom_tags_find_their_pack(key):
    for tag in pack_data(key)["ao3_fandoms"]:
        assert fandom_pack_key(tag) == key, tag


@pytest.mark.parametrize("sentence", NEAR_MISSES)
def test_no_pack_reads_ordinary_english_or_a_neighbouring_canon_as_a_fandom(sentence):
    fired = [key for key in PACKS if any(p.search(sentence) for p in patterns(key))]
    assert fired == [], fired


def test_an_original_story_with_near_miss_titles_and_common_names_gets_no_pack():
    story = ficlens.analyze(FIXTURES / "stranger_things_happen.txt")
    assert "fandom_detected" not in story.metadata
    names = {c.name: c for c in story.characters}
    # "Cloud" is Cloud Strife's only in FFVII: Lady St Cloud keeps the gender her title gives her
    assert names["Lady St Cloud"].gender == "F"
    assert not any(c.name in {"Karen Wheeler", "Dustin Henderson", "Lucas Sinclair"} for c in story.characters)


def test_names_the_wider_world_shares_give_no_fandom_and_no_gender():
    assert canon_character("Cloud") is None and canon_character("Connie") is None and canon_character("Doctor") is None
    assert canon_character("Kageyama").gender == "M" and canon_character("Yennefer").gender == "F"
    assert "Zeus" not in distinctive_names()["percy_jackson"] and "Annabeth" in distinctive_names()["percy_jackson"]
    # words one pack shares with an older one leave the older one its evidence
    assert "Rin" in distinctive_names()["naruto"] and "Mai" in distinctive_names()["avatar"]


# --- stories end to end -----------------------------------------------------------------------------------


def characters_of(name: str) -> tuple[dict, dict]:
    story = ficlens.analyze(FIXTURES / name)
    return story.metadata, {c.canonical_name or c.name: c for c in story.characters}


def lines_of(name: str) -> dict[str, tuple[str | None, list[str]]]:
    """Each quotation's first twelve characters -> the names of its speaker and of its addressees."""
    story = ficlens.analyze(FIXTURES / name)
    return {q.text[:12]: (story.character_name(q.speaker), [story.character_name(a) for a in q.addressees])
            for q in story.quotes}


def test_an_untamed_story_names_people_by_their_canonical_names_whatever_name_the_text_uses():
    metadata, characters = characters_of("cloud_recesses.txt")
    assert metadata["fandom_detected"] == "Mo Dao Zu Shi"
    assert {"Wei Wuxian", "Lan Wangji", "Jiang Cheng"} <= set(characters)
    assert {"Wei Ying"} <= set(characters["Wei Wuxian"].aliases)  # birth name and courtesy name: one person
    assert {"Lan Zhan", "Hanguang-jun"} <= set(characters["Lan Wangji"].aliases)
    assert {"A-Cheng", "Jiang Wanyin"} <= set(characters["Jiang Cheng"].aliases)
    assert all(c.gender == "M" for c in characters.values() if c.canonical_name)


def test_a_haikyuu_story_joins_both_name_orders_and_nicknames():
    metadata, characters = characters_of("karasuno_gym.txt")
    assert metadata["fandom_detected"] == "Haikyuu!!"
    assert {"Hinata Shouyou", "Kageyama Tobio", "Tsukishima Kei", "Yamaguchi Tadashi", "Ukai Keishin"} <= set(characters)
    assert {"Hinata", "Shouyou Hinata"} <= set(characters["Hinata Shouyou"].aliases)
    assert {"Kageyama", "Tobio"} <= set(characters["Kageyama Tobio"].aliases)
    assert {"Tsukki", "Tsukishima", "Kei"} <= set(characters["Tsukishima Kei"].aliases)


def test_a_doctor_who_story_has_the_doctor_and_no_family_name_given_to_two_tylers():
    metadata, characters = characters_of("bad_wolf_bay.txt")
    assert metadata["fandom_detected"] == "Doctor Who"
    assert set(characters) == {"The Doctor (Doctor Who)", "Rose Tyler", "Jackie Tyler"}
    assert characters["The Doctor (Doctor Who)"].name == "The Doctor"  # the disambiguator is dropped for display
    assert "Tyler" not in characters["Rose Tyler"].aliases and "Tyler" not in characters["Jackie Tyler"].aliases
    assert characters["Rose Tyler"].gender == "F"


def test_a_witcher_story_joins_the_translations_and_short_names():
    metadata, characters = characters_of("kaer_morhen_kitchen.txt")
    assert metadata["fandom_detected"] == "The Witcher"
    assert {"Geralt of Rivia", "Jaskier (The Witcher)", "Yennefer of Vengerberg", "Cirilla Fiona Elen Riannon"} \
        == set(characters)
    assert "Dandelion" in characters["Jaskier (The Witcher)"].aliases  # the English translation's name, one person
    assert "Yen" in characters["Yennefer of Vengerberg"].aliases and "Ciri" in characters["Cirilla Fiona Elen Riannon"].aliases
    assert characters["Cirilla Fiona Elen Riannon"].gender == "F"


def test_a_demon_slayer_story_gives_a_family_name_to_the_member_fans_mean_by_it():
    metadata, characters = characters_of("rengoku_estate.txt")
    assert metadata["fandom_detected"] == "Demon Slayer: Kimetsu no Yaiba"
    # Senjurou is named, but 'Rengoku-san' is his brother; 'Kamado-shounen' is Tanjirou
    assert "Rengoku-san" in characters["Rengoku Kyoujurou"].aliases
    assert "Rengoku-san" not in characters["Rengoku Senjurou"].aliases
    assert {"Kamado-shounen", "Tanjiro"} <= set(characters["Kamado Tanjirou"].aliases)
    assert {"Agatsuma Zenitsu", "Hashibira Inosuke"} <= set(characters)


def test_a_word_of_a_full_name_that_opens_a_sentence_and_is_also_a_plain_word_is_nobody():
    # "Fair enough," and "Fair was the word": not Zack Fair, since the story also writes "fair" in lower case.
    _, characters = characters_of("fair_enough.txt")
    assert characters["Zack Fair"].mentions == 3  # "Zack Fair", and "Zack" twice


def test_a_pack_name_before_a_place_word_is_the_place_s():
    # "Maple" is the family name of the pack's May Maple, but "Maple Street" is a street: May is not in the story
    story = ficlens.analyze(FIXTURES / "maple_street.txt")
    assert story.metadata["fandom_detected"] == "Pokémon"
    names = {c.name for c in story.characters}
    assert {"Ash Ketchum", "Misty", "Brock"} <= names and not any("May" in n for n in names)


def test_a_tokyo_revengers_story_names_the_gang_by_their_canonical_names_under_their_nicknames():
    # "Mikey", "Draken" and "Takemicchi" are what the gang calls them; AO3 tags them Sano Manjirou, Ryuuguuji Ken
    # and Hanagaki Takemichi, and "Ken" (Draken's given name) is the same man
    metadata, characters = characters_of("shrine_steps.txt")
    assert metadata["fandom_detected"] == "Tokyo Revengers"
    assert set(characters) == {"Hanagaki Takemichi", "Sano Manjirou", "Ryuuguuji Ken", "Matsuno Chifuyu",
                               "Baji Keisuke"}
    assert {"Takemicchi", "Takemichi"} <= set(characters["Hanagaki Takemichi"].aliases)
    assert "Mikey" in characters["Sano Manjirou"].aliases
    assert {"Draken", "Ken"} <= set(characters["Ryuuguuji Ken"].aliases)
    story = ficlens.analyze(FIXTURES / "shrine_steps.txt")
    said = {q.text[:12]: story.character_name(q.speaker) for q in story.quotes}
    assert said["Takemicchi, "] == "Sano Manjirou" and said["Chifuyu is a"] == "Ryuuguuji Ken"


def test_a_scum_villain_story_keeps_the_transmigrator_and_his_body_one_person():
    # Shen Yuan lives as Shen Qingqiu: the narration's two names are one man, and "Shizun!" calls him
    metadata, characters = characters_of("bamboo_house.txt")
    assert metadata["fandom_detected"] == "The Scum Villain's Self-Saving System"
    assert set(characters) == {"Shen Qingqiu", "Liu Qingge", "Luo Binghe"}
    assert {"Shen Yuan", "Shizun"} <= set(characters["Shen Qingqiu"].aliases)
    said = lines_of("bamboo_house.txt")
    assert said["Shizun! Shiz"] == ("Luo Binghe", ["Shen Qingqiu"])
    assert said["Binghe. Down"] == ("Shen Qingqiu", ["Luo Binghe"])


def test_a_danganronpa_story_names_the_class_by_their_canonical_names_under_family_and_given_names():
    # "Kirigiri" and "Kyouko", "Naegi" and "Makoto", "Hina" and "Asahina" are one girl or boy each; AO3 tags them
    # family name first, and Fukawa's "Byakuya-sama" is Togami
    metadata, characters = characters_of("hopes_peak_library.txt")
    assert metadata["fandom_detected"] == "Danganronpa"
    assert set(characters) == {"Naegi Makoto", "Kirigiri Kyouko", "Togami Byakuya", "Fukawa Touko", "Asahina Aoi"}
    assert {"Naegi", "Makoto"} <= set(characters["Naegi Makoto"].aliases)
    assert {"Kirigiri", "Kyouko"} <= set(characters["Kirigiri Kyouko"].aliases)
    assert {"Togami", "Byakuya-sama"} <= set(characters["Togami Byakuya"].aliases)
    assert "Hina" in characters["Asahina Aoi"].aliases
    assert characters["Kirigiri Kyouko"].gender == "F" and characters["Togami Byakuya"].gender == "M"
    said = lines_of("hopes_peak_library.txt")
    assert said["I was not gl"][0] == "Togami Byakuya"
    assert said["Byakuya-sama"][0] == "Fukawa Touko"
    assert said["I saved the "][0] == "Asahina Aoi"
    assert said["Hina, you're"] == ("Kirigiri Kyouko", ["Asahina Aoi"])


def test_a_hazbin_hotel_story_names_the_hotel_staff_by_their_canonical_names_under_their_short_names():
    # "Charlie", "Vaggie", "Al", "Angel" and "Husker" are what the hotel calls them; AO3 tags them
    # Charlie Magne | Morningstar, Vaggi | Vaggie, Alastor, Angel Dust and Husk
    metadata, characters = characters_of("hotel_lobby.txt")
    assert metadata["fandom_detected"] == "Hazbin Hotel"
    assert metadata["fandoms"] == ["Hazbin Hotel (Cartoon)"]
    assert set(characters) == {"Charlie Magne | Morningstar", "Vaggi | Vaggie", "Alastor", "Angel Dust", "Husk"}
    assert "Charlie" in characters["Charlie Magne | Morningstar"].aliases
    assert "Vaggie" in characters["Vaggi | Vaggie"].aliases
    assert "Al" in characters["Alastor"].aliases
    assert "Angel" in characters["Angel Dust"].aliases
    assert "Husker" in characters["Husk"].aliases
    assert characters["Charlie Magne | Morningstar"].gender == "F" and characters["Angel Dust"].gender == "M"
    said = lines_of("hotel_lobby.txt")
    assert said["It's settlin"][0] == "Charlie Magne | Morningstar"
    assert said["That's the p"][0] == "Vaggi | Vaggie"
    assert said["I'll pour hi"][0] == "Husk"
    assert said["Al, what did"] == ("Charlie Magne | Morningstar", ["Alastor"])
    assert said["Angel, would"] == ("Charlie Magne | Morningstar", ["Angel Dust"])


def test_nevermind_opening_a_line_is_not_sonia_nevermind():
    # "Nevermind" is a word people write before it is a family name: a line that opens with it calls no one
    story = ficlens.analyze_text("Disclaimer: I don't own Danganronpa.\n\nHinata found Komaeda in the library, "
                                 "and Sonia sat beside him.\n\n\"Nevermind. I'm not thirsty,\" Hinata said.\n")
    assert story.metadata["fandom_detected"] == "Danganronpa"
    sonia = next(c for c in story.characters if c.name == "Sonia Nevermind")
    assert sonia.mentions == 1 and "Nevermind" not in sonia.aliases


def test_a_honkai_star_rail_story_names_the_express_crew_by_their_canonical_names_under_their_short_names():
    # "March" is March 7th, "Welt" and "Mr. Yang" are Welt Yang, "Miss Himeko" is Himeko: one person each
    metadata, characters = characters_of("express_parlor.txt")
    assert metadata["fandom_detected"] == "Honkai: Star Rail"
    assert set(characters) == {"Stelle", "March 7th", "Dan Heng", "Himeko", "Welt Yang"}
    assert "March" in characters["March 7th"].aliases
    assert {"Welt", "Mr. Yang"} <= set(characters["Welt Yang"].aliases)
    assert "Miss Himeko" in characters["Himeko"].aliases
    assert characters["March 7th"].gender == "F" and characters["Dan Heng"].gender == "M"
    said = lines_of("express_parlor.txt")
    assert said["It is perfec"][0] == "Himeko"
    assert said["I see Himeko"][0] == "Welt Yang"
    assert said["She drank th"][0] == "Dan Heng"
    assert said["Four, I can "][0] == "Stelle"
    assert said["You were alm"][0] == "March 7th"
    assert said["Is it safe, "] == ("Stelle", ["Himeko"])


def test_a_voltron_story_names_the_paladins_by_their_canonical_names_under_their_short_names():
    # "Lance McClain" and "Lance", "Kogane" and "Keith" are one paladin each; "Pidge" and "Katie Holt" are the
    # one girl AO3 tags "Pidge Gunderson | Katie Holt"
    metadata, characters = characters_of("castle_kitchen.txt")
    assert metadata["fandom_detected"] == "Voltron: Legendary Defender"
    assert metadata["fandoms"] == ["Voltron: Legendary Defender"]
    assert set(characters) == {"Hunk", "Lance", "Keith", "Pidge Gunderson | Katie Holt", "Coran"}
    assert "Lance McClain" in characters["Lance"].aliases
    assert "Kogane" in characters["Keith"].aliases
    assert {"Pidge", "Katie Holt"} <= set(characters["Pidge Gunderson | Katie Holt"].aliases)
    assert characters["Pidge Gunderson | Katie Holt"].gender == "F" and characters["Coran"].gender == "M"
    said = lines_of("castle_kitchen.txt")
    assert said["It will be b"][0] == "Hunk"
    assert said["I'm running "][0] == "Pidge Gunderson | Katie Holt"
    assert said["Why is every"][0] == "Keith"
    assert said["Because some"] == ("Lance", ["Keith"])
    assert said["Hunk, my man"] == ("Lance", ["Hunk"])
    assert said["Coran, no,"] == ("Hunk", ["Coran"])
    # "Coran swept in behind him... "...!" he announced": the paragraph's one man, though Lance had just called Keith
    assert said["I've brought"][0] == "Coran"


def test_a_pack_epithet_names_a_character_whose_pack_name_carries_its_fandom():
    # the Naruto pack tags Gaara "Gaara (Naruto)" and gives him the epithet "redhead": 'said the redhead' is his line
    story = ficlens.analyze(FIXTURES / "kazekage_roof.txt")
    assert {c.name for c in story.characters} == {"Gaara", "Uzumaki Naruto", "Haruno Sakura"}
    said = {q.text[:12]: story.character_name(q.speaker) for q in story.quotes}
    assert said["You came all"] == "Gaara" and said["For you, The"] == "Uzumaki Naruto"
