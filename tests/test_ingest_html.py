"""HTML readers: generic pages and AO3 downloads (fixtures imitate otwarchive's download layout)."""

from pathlib import Path

import pytest

from ficlens.errors import InputError
from ficlens.ingest import read_bytes, read_path

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
LIMIT = 50 * 1024 * 1024

AO3_TEXT = (
    "The Lantern Road\n\n"
    "Written for the summer exchange. Thank you to my beta!\n\n"
    "Chapter 1: Paper and Flame\n\n"
    "A/N: this chapter is short, sorry!\n\n"
    "The wind off the river put out the third lantern before Iruka had finished tying the fourth.\n\n"
    '"Again?" he muttered, and climbed down the ladder.\n\n'
    "***\n\n"
    "When he came back with the matches, the lantern was burning. Kakashi was sitting on the wall,\nreading.\n\n"
    "Next chapter: the rain.\n\n"
    "Chapter 2\n\n"
    "It rained on the second night, and nobody lit anything at all.\n\n"
    "* * *\n\n"
    '"You could have said thank you," Kakashi said.\n\n'
    'Iruka laughed. "Thank you."\n\n'
    "Come say hi on tumblr.\n\n"
    "Comments feed the lanterns."
)
AO3_BLOCKS = [
    ("title", "The Lantern Road"),
    ("author_note", "Written for the summer exchange. Thank you to my beta!"),
    ("chapter_heading", "Chapter 1: Paper and Flame"),
    ("author_note", "A/N: this chapter is short, sorry!"),
    ("scene_break", "***"),
    ("author_note", "Next chapter: the rain."),
    ("chapter_heading", "Chapter 2"),
    ("scene_break", "* * *"),
    ("author_note", "Come say hi on tumblr.\n\nComments feed the lanterns."),
]


def blocks(story):
    return [(b.kind, story.text[b.start : b.end]) for b in story.preset_blocks]


def check_two_chapter_metadata(metadata):
    """Field by field, as the fixture's preface, chapters and afterword say."""
    assert metadata["title"] == "The Lantern Road"
    assert metadata["authors"] == ["paperkite", "inkwell_sparrow"]
    assert metadata["rating"] == "Teen And Up Audiences"
    assert metadata["archive_warnings"] == ["Graphic Depictions Of Violence", "Major Character Death"]
    assert metadata["categories"] == ["M/M"]
    assert metadata["fandoms"] == ["NARUTO (Anime & Manga)"]
    assert metadata["relationships"] == ["Hatake Kakashi/Umino Iruka"]
    assert metadata["characters"] == ["Hatake Kakashi", "Umino Iruka", "Uzumaki Naruto"]
    assert metadata["additional_tags"] == ["Slow Burn", "Hurt/Comfort", "Lanterns"]
    assert metadata["language"] == "English"
    assert metadata["series"] == [
        {"title": "Festival Nights", "part": 2, "url": "https://archiveofourown.org/series/2914877"}
    ]
    assert metadata["collections"] == []
    assert metadata["stats"] == {"published": "2023-07-14", "updated": "2023-08-02", "words": 1204, "chapters": "2/3"}
    assert metadata["summary"] == (
        "Iruka hangs the festival lanterns alone.\n\nSomeone keeps relighting the ones that go out."
    )
    assert metadata["notes"] == "Written for the summer exchange. Thank you to my beta!"
    assert metadata["end_notes"] == "Come say hi on tumblr.\n\nComments feed the lanterns."
    assert metadata["chapter_titles"] == ["Chapter 1: Paper and Flame", "Chapter 2"]
    assert metadata["chapter_number"] is None  # two chapters
    assert metadata["chapter_info"] == [
        {
            "number": 1,
            "title": "Paper and Flame",
            "heading": "Chapter 1: Paper and Flame",
            "summary": "The first night of the festival.",
            "notes": "A/N: this chapter is short, sorry!",
            "end_notes": "Next chapter: the rain.",
        },
        {"number": 2, "title": None, "heading": "Chapter 2", "summary": None, "notes": None, "end_notes": None},
    ]
    assert metadata["source_url"] == "https://archiveofourown.org/works/48151623"
    assert metadata["work_id"] == 48151623


def test_ao3_html_two_chapters():
    story = read_path(FIXTURES / "ao3_two_chapters.html", max_bytes=LIMIT)
    assert story.format == "ao3-html"
    assert story.text == AO3_TEXT
    assert blocks(story) == AO3_BLOCKS
    check_two_chapter_metadata(story.metadata)
    assert story.metadata["encoding"] == "utf-8"


def test_ao3_html_keeps_tag_list_and_summary_out_of_the_text():
    text = read_path(FIXTURES / "ao3_two_chapters.html", max_bytes=LIMIT).text
    for paratext in ("Teen And Up", "Slow Burn", "Published", "paperkite", "Someone keeps relighting", "Please drop by",
                     "See the end", "not story", "Preface", "Afterword", "Chapter Notes", "The first night"):
        assert paratext not in text


def test_ao3_html_one_shot():
    story = read_path(FIXTURES / "ao3_oneshot.html", max_bytes=LIMIT)
    assert story.format == "ao3-html"
    assert story.text == (
        "Still Water\n\n"
        "Sakura sat by the pond until the fish stopped being afraid of her.\n\n"
        "Then she stood, and they scattered, and she smiled anyway."
    )
    assert blocks(story) == [("title", "Still Water")]
    metadata = story.metadata
    assert metadata["authors"] == ["Anonymous"]
    assert metadata["rating"] == "General Audiences"
    assert metadata["archive_warnings"] == ["No Archive Warnings Apply"]
    assert metadata["categories"] == ["Gen", "F/M"]
    assert metadata["fandoms"] == ["NARUTO", "Boruto: Naruto Next Generations"]
    assert metadata["relationships"] == []
    assert metadata["characters"] == ["Haruno Sakura"]
    assert metadata["additional_tags"] == []
    assert metadata["series"] == []
    assert metadata["stats"] == {"published": "2019-02-01", "words": 58, "chapters": "1/1"}
    assert metadata["summary"] is None and metadata["notes"] is None and metadata["end_notes"] is None
    assert metadata["chapter_titles"] == []
    assert metadata["chapter_number"] == 1
    assert metadata["work_id"] == 5120


def test_generic_html():
    story = read_path(FIXTURES / "generic.html", max_bytes=LIMIT)
    assert story.format == "html"
    assert story.text == (
        "Ash and Ember\n\n"
        "Disclaimer: I don't own Naruto.\n\n"
        "Chapter 1: Smoke\n\n"
        "Shikamaru watched the smoke rise. It went up like a question.\n\n"
        "~~~\n\n"
        '"Troublesome," he said.\nThen, quieter:\n"All of it."\n\n'
        "Chapter 2: Cinders\n\n"
        "Temari found him at dawn.\n\n"
        "…\n\n"
        "<script> is only text here."
    )
    assert blocks(story) == [
        ("title", "Ash and Ember"),
        ("chapter_heading", "Chapter 1: Smoke"),
        ("scene_break", "~~~"),
        ("chapter_heading", "Chapter 2: Cinders"),
    ]
    assert story.metadata == {
        "title": "Ash and Ember",
        "chapter_titles": ["Chapter 1: Smoke", "Chapter 2: Cinders"],
        "encoding": "utf-8",
    }


def test_html_hr_symbol_lines_and_headings_without_title():
    html = (
        "<body><h2>Chapter 1</h2><p>One.</p><hr><p>• • •</p><p>\"...\"</p><p>-x-</p><p>?!</p><p>___</p>"
        "<h2>Chapter 2</h2><p>Two.</p></body>"
    ).encode()
    story = read_bytes(html, source="x.html", max_bytes=LIMIT)
    assert story.text == 'Chapter 1\n\nOne.\n\n* * *\n\n• • •\n\n"..."\n\n-x-\n\n?!\n\n___\n\nChapter 2\n\nTwo.'
    assert blocks(story) == [
        ("chapter_heading", "Chapter 1"),
        ("scene_break", "* * *"),
        ("scene_break", "• • •"),
        ("scene_break", "___"),
        ("chapter_heading", "Chapter 2"),
    ]
    assert "title" not in story.metadata


def test_html_declared_cp1252_is_honoured():
    html = '<html><head><meta charset="windows-1252"></head><body><p>“Café,” she said.</p></body></html>'
    story = read_bytes(html.encode("cp1252"), source="w.html", max_bytes=LIMIT)
    assert story.text == "“Café,” she said."


def test_html_br_pairs_split_paragraphs_and_pre_keeps_spacing():
    html = b"<body><div>Line one.<br><br><br>Line two.</div><pre>  a\n    b</pre></body>"
    story = read_bytes(html, source="x.htm", max_bytes=LIMIT)
    assert story.text == "Line one.\n\nLine two.\n\n  a\n    b"


def test_deeply_nested_html_does_not_overflow():
    html = ("<div>" * 5000 + "<p>Deep.</p>" + "</div>" * 5000).encode()
    story = read_bytes(html, source="deep.html", max_bytes=LIMIT)
    assert story.text == "Deep."


def test_html_without_text_is_refused():
    with pytest.raises(InputError) as error:
        read_bytes(b"<html><head><title>x</title></head><body><img src=a.png></body></html>", source="i.html",
                   max_bytes=LIMIT)
    assert str(error.value) == "i.html has no readable text"


def test_ao3_work_page_saved_from_a_browser():
    """Chapter 1 of 2, saved from the browser: the site's menus, kudos and footer stay out of the text."""
    story = read_path(FIXTURES / "ao3_work_page.html", max_bytes=LIMIT)
    assert story.format == "ao3-html"
    assert story.text == (
        "Salt and Thread\n\n"
        "Written for pinecone, who asked for sewing.\n\n"
        "Chapter 1: Needle\n\n"
        "This one is short.\n\n"
        "The coat came back with a hole in the left sleeve.\n\n"
        '"Again," Ino said, and threaded the needle.\n\n'
        "More soon!\n\n"
        "Thank you for reading."
    )
    assert blocks(story) == [
        ("title", "Salt and Thread"),
        ("author_note", "Written for pinecone, who asked for sewing."),
        ("chapter_heading", "Chapter 1: Needle"),
        ("author_note", "This one is short."),
        ("author_note", "More soon!"),
        ("author_note", "Thank you for reading."),
    ]
    metadata = story.metadata
    assert metadata["title"] == "Salt and Thread"
    assert metadata["authors"] == ["loomwright"]
    assert metadata["rating"] == "Mature"
    assert metadata["archive_warnings"] == ["Creator Chose Not To Use Archive Warnings"]
    assert metadata["categories"] == ["F/F"]
    assert metadata["fandoms"] == ["Naruto"]
    assert metadata["relationships"] == ["Haruno Sakura/Yamanaka Ino"]
    assert metadata["characters"] == ["Haruno Sakura", "Yamanaka Ino"]
    assert metadata["additional_tags"] == ["Flower Shop", "Mutual Pining"]
    assert metadata["language"] == "English"
    assert metadata["series"] == [{"title": "Ino's Shop", "part": 3, "url": "/series/4040"}]
    assert metadata["stats"] == {
        "published": "2022-04-01", "updated": "2022-04-09", "words": 2310, "chapters": "2/2",
        "comments": 14, "kudos": 203, "bookmarks": 31, "hits": 2118,
    }
    assert metadata["summary"] == "Ino mends a coat. Sakura keeps tearing it."
    assert metadata["notes"] == "Written for pinecone, who asked for sewing."
    assert metadata["end_notes"] == "Thank you for reading."
    assert metadata["chapter_titles"] == ["Chapter 1: Needle"]
    assert metadata["chapter_number"] == 1
    assert metadata["chapter_info"] == [
        {"number": 1, "title": "Needle", "heading": "Chapter 1: Needle", "summary": None,
         "notes": "This one is short.", "end_notes": "More soon!"}
    ]


def test_ao3_note_with_its_own_blockquote_is_one_note():
    html = (FIXTURES / "ao3_two_chapters.html").read_text(encoding="utf-8").replace(
        "<p>A/N: this chapter is short, sorry!</p>",
        "<p>A/N: this chapter is short, sorry!</p><p>A reader's notes:</p><blockquote><p>More please.</p></blockquote>",
    )
    story = read_bytes(html.encode(), source="x.html", max_bytes=LIMIT)
    note = "A/N: this chapter is short, sorry!\n\nA reader's notes:\n\nMore please."
    assert story.metadata["chapter_info"][0]["notes"] == note
    assert ("author_note", note) in blocks(story)
    assert story.text.count("More please.") == 1


def test_html_without_a_declared_charset_is_decoded_like_text():
    html = "<html><body><p>“Hi.”</p><p>Naïve résumé.</p></body></html>"
    story = read_bytes(html.encode("cp1252"), source="nodecl.html", max_bytes=LIMIT)
    assert story.text == "“Hi.”\n\nNaïve résumé."
    assert story.metadata["encoding"] == "cp1252"
    story = read_bytes(html.encode("utf-8"), source="nodecl.html", max_bytes=LIMIT)
    assert story.text == "“Hi.”\n\nNaïve résumé."
    assert story.metadata["encoding"] == "utf-8"


def test_generic_html_title_from_the_title_element():
    html = b"<html><head><title>Paper Moons</title></head><body><h1>Paper Moons</h1><p>Text.</p></body></html>"
    story = read_bytes(html, source="x.html", max_bytes=LIMIT)
    assert blocks(story) == [("title", "Paper Moons")]  # the only heading, and it is the page's title
    assert story.metadata["title"] == "Paper Moons"


def test_fanfiction_net_page_saved_from_a_browser():
    story = read_path(FIXTURES / "ffnet_chapter.html", max_bytes=LIMIT)
    assert story.format == "html"
    assert story.text == (
        "Lanterns and Ledgers\n\n2. The Ledger\n\nThe ledger had a coffee ring on page forty.\n\n"
        '"That was not me," Kakashi said.\n\n* * *\n\nIt was him.'
    )
    assert blocks(story) == [
        ("title", "Lanterns and Ledgers"),
        ("chapter_heading", "2. The Ledger"),
        ("scene_break", "* * *"),
    ]
    assert story.metadata == {
        "title": "Lanterns and Ledgers",
        "authors": ["tallyho"],
        "summary": "Iruka keeps the mission ledger. Kakashi keeps losing the pen.",
        "rating": "Fiction T",
        "language": "English",
        "stats": {
            "chapters": 3, "words": 4812, "reviews": 27, "favs": 90, "follows": 61,
            "updated": "Jun 20, 2014", "published": "May 2, 2014", "id": 9988776,
        },
        "chapter_number": 2,
        "chapter_titles": ["2. The Ledger"],
        "encoding": "utf-8",
    }
