"""The HTML report: its parts, the story text with overlapping spans, and escaping.

The Story is built by hand over tests/fixtures/report/roses.txt so that every field the report shows is set;
offsets are found in the text, never typed in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ficlens.model import (
    AUTHOR_NOTE,
    BODY,
    CHAPTER_HEADING,
    DISCLAIMER,
    SCENE_BREAK,
    TITLE,
    ArcPoint,
    Block,
    Chapter,
    Character,
    CharacterArc,
    Edge,
    Evidence,
    FlowerMention,
    Motif,
    Paragraph,
    Quote,
    Rating,
    Relationship,
    Scene,
    Span,
    Story,
    TagFinding,
    TurningPoint,
)
from ficlens.report.html import Layer, Marker, TextRenderer, to_html

FIXTURES = Path(__file__).parent / "fixtures" / "report"
INJECT_SCRIPT = "<script>alert(1)</script>"
INJECT_IMG = '"><img src=x onerror=alert(1)>'
TITLE_TEXT = 'Roses in the Rain "><img src=x onerror=alert(1)>'
EVIL_ALIAS = "<script>alert('alias')</script>"


def find(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def span(text: str, needle: str, after: int = 0) -> Span:
    return Span(*find(text, needle, after))


def evidence(text: str, needle: str) -> Evidence:
    start, end = find(text, needle)
    return Evidence(start, end, needle)


def line_block(text: str, line: str, kind: str) -> Block:
    return Block(*find(text, line), kind)


def build_story() -> Story:
    text = (FIXTURES / "roses.txt").read_text(encoding="utf-8")
    story = Story(text=text, source=str(FIXTURES / "roses.txt"))
    story.metadata = {
        "title": TITLE_TEXT,
        "authors": ["inkwell<b>"],
        "fandoms": ["Naruto"],
        "chapter_number": 2,
        "summary": "Three roses & a carnation. <i>Not italic</i>",
        "rating": "Teen And Up Audiences",
        "archive_warnings": ["Major Character Death"],
        "categories": ["M/M"],
        "relationships": ["Hatake Kakashi/Umino Iruka"],
        "characters": ["Umino Iruka", "Hatake Kakashi"],
        "additional_tags": ["Flowers", "<b>not bold</b>"],
        "series": [{"title": "Rain <3", "part": 2, "url": "https://archiveofourown.org/series/1"}],
        "source_url": "https://archiveofourown.org/works/1",
    }
    lines = text.split("\n")
    first_body = lines[8]
    second_body_end = 'Is this an apology or a joke?"'
    third_body = lines[18]
    note_end = lines[22]
    body_1 = Block(text.index(first_body), text.index(second_body_end) + len(second_body_end), BODY)
    body_2 = Block(text.index(third_body), text.index(note_end) - 2, BODY)
    story.blocks = [
        line_block(text, lines[0], TITLE),
        line_block(text, lines[2], AUTHOR_NOTE),
        line_block(text, lines[4], DISCLAIMER),
        line_block(text, lines[6], CHAPTER_HEADING),
        body_1,
        line_block(text, "**", SCENE_BREAK),
        body_2,
        line_block(text, note_end, AUTHOR_NOTE),
    ]
    story.paragraphs = [
        Paragraph(*find(text, line), chapter=0, scene=0 if i < 4 else 1)
        for i, line in enumerate((lines[8], lines[10], lines[12], lines[14], lines[18], lines[20]))
    ]
    story.paragraphs.sort(key=lambda p: p.start)
    story.chapters = [Chapter(text.index(lines[6]), len(text), number=2, title="The Bouquet")]
    story.scenes = [Scene(body_1.start, body_1.end, 0, "c0"), Scene(body_2.start, body_2.end, 0, "c0")]
    story.characters = [
        Character("c0", "Iruka", ["Iruka", "Iruka-sensei"], "M", 6, 2, "Umino Iruka"),
        Character("c1", "Kakashi", ["Kakashi", "Kakashi-sensei"], "M", 2, 1, "Hatake Kakashi"),
        Character("c2", "Naruto", ["Naruto", EVIL_ALIAS], None, 2, 1, "Uzumaki Naruto"),
    ]

    late_start = text.index('"You\'re late,"')
    late_end = text.index('"Again."') + len('"Again."')
    story.quotes = [
        Quote(
            late_start,
            late_end,
            "You're late, Again.",
            parts=[span(text, "You're late,"), span(text, "Again.", late_start)],
            speaker="c0",
            addressees=["c1"],
            confidence=0.95,
            method="explicit",
        ),
        Quote(
            *find(text, '"I brought something,"'),
            "I brought something,",
            [span(text, "I brought something,")],
            "c1",
            ["c0"],
            0.9,
            "explicit",
        ),
        Quote(
            *find(text, '"Is this an apology or a joke?"'),
            "Is this an apology or a joke?",
            [span(text, "Is this an apology or a joke?")],
            None,
            [],
            0.2,
            "none",
        ),
        Quote(
            *find(text, "\"I'm fine. I'm not crying,\""),
            "I'm fine. I'm not crying,",
            [span(text, "I'm fine. I'm not crying,")],
            "c2",
            ["c0"],
            0.88,
            "explicit",
        ),
    ]
    roses_sentence = '"I brought something," Kakashi said, and held out three red roses and a striped carnation.'
    grave_sentence = "He had cried over the grave of his old friend all week, and nobody had asked why."
    crossing_sentence = "I'm not crying,\" Naruto said, wiping his eyes."  # starts inside a quote, ends outside
    story.narrative.tense = "past"
    story.narrative.pov = "third"
    story.narrative.focal_characters = ["c0"]
    story.narrative.words = 1234
    story.narrative.dialogue_words = 321
    story.narrative.dialogue_share = 0.26
    story.narrative.reading_minutes = 6.2
    story.narrative.tense_slips = [evidence(text, "Iruka stood at the window of the empty classroom")]
    story.narrative.chapters = [
        {
            "chapter": 0,
            "number": 2,
            "title": "The Bouquet",
            "words": 600,
            "dialogue_share": 0.2,
            "tense": "past",
            "pov": "third",
        },
        {
            "chapter": 1,
            "number": None,
            "title": None,
            "words": 634,
            "dialogue_share": 0.312,
            "tense": "present",
            "pov": "third",
            "focal_characters": ["c0", "c1"],
        },
    ]
    story.warnings = [
        TagFinding("Major Character Death", 0.81, [evidence(text, grave_sentence)], "mentioned"),
    ]
    story.tags.freeform = [
        TagFinding("Grief/Mourning", 0.7, [evidence(text, grave_sentence)]),
        TagFinding("Hurt/Comfort", 0.6, [evidence(text, crossing_sentence)]),
        TagFinding("Romance", 0.75, [evidence(text, roses_sentence)]),
    ]
    story.rating = Rating("Teen And Up Audiences", ["a character death is mentioned", "<no> explicit content"])
    story.tags.characters = ["Iruka", "Kakashi", "Naruto"]
    story.tags.relationships = [
        Relationship(["c1", "c0"], "romantic", "Hatake Kakashi/Umino Iruka", 0.8, [evidence(text, roses_sentence)]),
        Relationship(
            ["c0", "c2"], "platonic", "Umino Iruka & Uzumaki Naruto", 0.55, [evidence(text, crossing_sentence)]
        ),
    ]
    story.motifs.flowers = [
        FlowerMention(*find(text, "red roses"), "rose, red", "love", roses_sentence, "c1", "c0"),
        FlowerMention(
            *find(text, "striped carnation"), "carnation, striped", "refusal", "striped carnation", "c1", "c0"
        ),
    ]
    story.motifs.objects = [Motif("rain", 2, [span(text, "rain", 40), span(text, "rain stopped")])]
    story.network.edges = [
        Edge("c1", "c0", 2.0, "dialogue"),
        Edge("c0", "c1", 1.0, "dialogue"),
        Edge("c2", "c0", 1.0, "dialogue"),
        Edge("c0", "c1", 2.0, "copresence"),
        Edge("c0", "c2", 1.0, "copresence"),
    ]
    # Ten windows over the body; the valence rises, falls, then rises again.
    valences = [0.0, 0.2, 0.4, 0.6, 0.3, -0.1, -0.3, -0.5, -0.1, 0.2]
    step = (body_2.end - body_1.start) // len(valences)
    story.arc = [ArcPoint(body_1.start + k * step, body_1.start + (k + 1) * step, v) for k, v in enumerate(valences)]
    story.turning_points = [
        TurningPoint(story.arc[8].start, story.arc[8].end, 0.45),
        TurningPoint(story.arc[4].start, story.arc[4].end, -0.6),
    ]
    story.character_arcs = [
        CharacterArc("c0", [ArcPoint(p.start, p.end, p.valence * 0.5) for p in story.arc]),
        CharacterArc("c1", [ArcPoint(p.start, p.end, -p.valence * 0.5) for p in story.arc[:5]]),
    ]
    return story


@pytest.fixture(scope="module")
def story() -> Story:
    return build_story()


@pytest.fixture(scope="module")
def page(story) -> str:
    return to_html(story)


@pytest.fixture(scope="module")
def soup(page) -> BeautifulSoup:
    return BeautifulSoup(page, "lxml")


def texts(elements) -> list[str]:
    return [" ".join(e.get_text(" ", strip=True).split()) for e in elements]


# -- summary -------------------------------------------------------------------------------------


def test_summary_card_values(soup):
    summary = soup.find(id="summary")
    assert summary.find("h1").get_text() == TITLE_TEXT
    assert soup.title.get_text() == f"{TITLE_TEXT} · ficlens report"
    facts = {div["data-key"]: div.dd.get_text() for div in summary.select(".fact")}
    assert facts == {
        "author": "inkwell<b>",
        "fandoms": "Naruto",
        "chapter": "2",
        "words": "1,234",
        "reading-time": "about 6 min",
        "dialogue-share": "26%",
        "tense": "past (1 slip)",
        "pov": "third person",
        "focal": "Iruka",
        "rating": "Teen And Up Audiences",
    }
    assert summary.select_one(".rating").get_text() == "Teen And Up Audiences"
    assert texts(summary.select(".reasons li")) == ["a character death is mentioned", "<no> explicit content"]
    assert (
        summary.select_one(".meta-summary").find_all("p")[1].get_text()
        == "Three roses & a carnation. <i>Not italic</i>"
    )
    assert summary.select_one(".meta-summary i") is None
    tagged = {div.dt.get_text(): texts(div.select("dd .chip")) for div in summary.select(".author-tags dl > div")}
    assert tagged == {
        "Rating": ["Teen And Up Audiences"],
        "Archive warnings": ["Major Character Death"],
        "Categories": ["M/M"],
        "Relationships": ["Hatake Kakashi/Umino Iruka"],
        "Characters": ["Umino Iruka", "Hatake Kakashi"],
        "Additional tags": ["Flowers", "<b>not bold</b>"],
        "Series": ["Rain <3, part 2"],
    }
    assert summary.select_one(".author-tags b") is None
    assert texts(summary.select(".chapters thead th")) == [
        "Chapter",
        "Title",
        "Words",
        "Dialogue",
        "Tense",
        "POV",
        "focal characters",
    ]
    assert texts(summary.select(".chapters tbody tr")) == [
        "2 The Bouquet 600 20% past third",
        "2 634 31% present third Iruka, Kakashi",
    ]
    # The first chapter links to its heading in the text; the second has no place in the text to go to.
    assert summary.select_one(".chapters tbody tr a")["href"] == "#chapter-0"
    assert len(summary.select(".chapters tbody a")) == 1


def test_every_finding_links_to_its_highlighted_evidence(soup, story):
    summary = soup.find(id="summary")
    heads = texts(summary.select(".findings.warning .finding-head"))
    assert heads == ["Major Character Death mentioned 81%"]
    assert texts(summary.select(".findings.tag .chip")) == ["Grief/Mourning", "Hurt/Comfort", "Romance"]
    expected = [story.warnings[0].evidence[0]] + [f.evidence[0] for f in story.tags.freeform]
    links = summary.select(".findings .evidence a")
    assert len(links) == len(expected)
    article = soup.select_one("article.story")
    for link, ev in zip(links, expected):
        assert link.get_text() == ev.text
        target = article.find(id=link["href"][1:])
        assert target is not None and target.name == "mark" and "ev" in target["class"]
        # The mark starts the evidence; a sentence crossing a quotation's end is carried on in a second piece.
        assert ev.text.startswith(target.get_text())
        assert ev.text in " ".join(p.get_text() for p in article.find_all("p"))
    crossing = article.find(id="ev-t1-0")
    assert crossing.get_text() == "I'm not crying,\""
    assert crossing.find_parent("span", class_="q")["title"] == "Naruto → Iruka (0.88)"
    continued = crossing.find_parent("span", class_="q").find_next_sibling("mark")
    assert continued.get_text() == " Naruto said, wiping his eyes." and not continued.has_attr("id")
    slip = summary.select_one(".slips .evidence a")
    assert article.find(id=slip["href"][1:]).get_text() == "Iruka stood at the window of the empty classroom"


def test_same_sentence_for_two_findings_gives_two_anchors(soup):
    outer = soup.find(id="ev-w0-0")
    inner = soup.find(id="ev-t0-0")
    assert outer.get_text() == inner.get_text()
    assert inner.find_parent("mark") is outer or outer.find_parent("mark") is inner


# -- characters and relationships -----------------------------------------------------------------


def test_characters_table(soup):
    rows = soup.select("#characters tbody tr.character")
    assert [r.select_one(".name").get_text() for r in rows] == ["Iruka", "Kakashi", "Naruto", "unattributed"]
    assert [r["class"][1] for r in rows] == ["spk-0", "spk-1", "spk-2", "spk-none"]
    assert [r.select_one(".canonical").get_text() for r in rows[:3]] == [
        "Umino Iruka",
        "Hatake Kakashi",
        "Uzumaki Naruto",
    ]
    assert texts(r.select_one(".aliases") for r in rows[:3]) == ["Iruka-sensei", "Kakashi-sensei", EVIL_ALIAS]
    assert texts(r.select_one(".gender") for r in rows[:3]) == ["male", "male", "—"]
    assert texts(r.select_one(".mentions") for r in rows[:3]) == ["6", "2", "2"]
    assert texts(r.select_one(".lines") for r in rows) == ["2", "1", "1", "1"]
    # Dialogue words: Iruka 3, Kakashi 3, Naruto 5, unattributed 7 -> 18.
    assert texts(r.select_one(".share-text") for r in rows) == ["17%", "17%", "28%", "39%"]
    assert rows[2].select_one(".bar span")["style"] == "width: 27.8%"


def test_relationships_section(soup):
    items = soup.select("#relationships li.relationship")
    assert [i.select_one(".chip").get_text() for i in items] == [
        "Hatake Kakashi/Umino Iruka",
        "Umino Iruka & Uzumaki Naruto",
    ]
    assert [i["class"][1] for i in items] == ["romantic", "platonic"]
    assert texts(items[0].select(".person")) == ["Kakashi", "Iruka"]
    assert [p["class"][1] for p in items[0].select(".person")] == ["spk-1", "spk-0"]
    for item in items:
        link = item.select_one(".evidence a")
        assert soup.find(id=link["href"][1:]) is not None


# -- pictures ----------------------------------------------------------------------------------------


def test_network_svg(soup):
    svg = soup.select_one("#network svg")
    assert texts(svg.select(".node text")) == ["Iruka", "Kakashi", "Naruto"]
    radii = [float(c["r"]) for c in svg.select(".node circle")]
    assert radii[0] == 24.0 and radii[0] > radii[1] == radii[2]  # Iruka has the most mentions
    assert [c["fill"] for c in svg.select(".node circle")] == ["#1f5fa8", "#b3261e", "#2e7d32"]
    dialogue = svg.select("path.edge.dialogue")
    assert len(dialogue) == 3 and all(e["marker-end"] == "url(#arrow)" for e in dialogue)
    assert len(svg.select("path.edge.copresence")) == 2
    assert texts(e.title for e in dialogue) == [
        "Kakashi spoke to Iruka (weight 2)",
        "Iruka spoke to Kakashi (weight 1)",
        "Naruto spoke to Iruka (weight 1)",
    ]
    assert [float(e["stroke-width"]) for e in dialogue] == [6.0, 3.5, 3.5]


def test_arc_svg(soup, story):
    svg = soup.select_one("#arc svg")
    main = svg.select_one("path.main-line")
    assert len(re.findall(r"[ML]", main["d"])) == len(story.arc)
    lines = svg.select("path.char-line")
    assert [(l.title.get_text(), l["stroke"]) for l in lines] == [("Iruka", "#1f5fa8"), ("Kakashi", "#b3261e")]
    assert len(re.findall(r"[ML]", lines[1]["d"])) == 5
    turns = svg.select("circle.turn")
    assert [t["class"][1] for t in turns] == ["down", "up"]  # in story order
    # Each circle sits on the arc point of its unit: x and y are that point's vertex on the main line.
    vertices = re.findall(r"[ML]([\d.]+),([\d.]+)", main["d"])
    assert [(t["cx"], t["cy"]) for t in turns] == [vertices[4], vertices[8]]
    assert turns[0].title.get_text().startswith("a turn for the worse (-0.60): ")
    for a in svg.select("a"):
        assert soup.find(id=a["href"][1:]) is not None
    listed = soup.select("#arc .turns li")
    assert texts(li.select_one(".shift") for li in listed) == ["-0.60", "+0.45"]
    first_unit = story.text[story.arc[4].start : story.arc[4].end]
    assert listed[0].a.get_text() == " ".join(first_unit.split())
    pin = soup.find(id="turn-0")
    assert pin.name == "a" and pin.find_parent("article") is not None


def test_flowers_read(soup):
    rows = soup.select("#flowers table.flowers tbody tr")
    assert texts(r.select_one(".flower-name") for r in rows) == ["red rose", "striped carnation"]
    assert texts(r.select_one(".meaning") for r in rows) == ["love", "refusal"]
    assert texts(r.select_one(".given") for r in rows) == ["Kakashi → Iruka", "Kakashi → Iruka"]
    sentence = '"I brought something," Kakashi said, and held out three red roses and a striped carnation.'
    # The second mention gave only the words, so the report shows the sentence around them.
    assert texts(r.select_one(".sentence") for r in rows) == [sentence, sentence]
    for row, words in zip(rows, ["red roses", "striped carnation"]):
        target = soup.find(id=row.select_one(".sentence a")["href"][1:])
        assert target.get_text() == words and "flower" in target["class"]
    motif = soup.select_one("#flowers .motifs li")
    assert motif.select_one(".motif").get_text() == "rain" and motif.select_one(".count").get_text() == "×2"
    for link in motif.select("a"):
        assert soup.find(id=link["href"][1:]).find_parent("article") is not None


# -- the story text ---------------------------------------------------------------------------------


def test_story_paragraphs_keep_every_character(soup, story):
    rendered = [p.get_text() for p in soup.select("article.story > p")]
    assert rendered == [story.span_text(p) for p in story.paragraphs]


def test_dialogue_coloured_by_speaker_with_hover(soup):
    quotes = soup.select("article.story span.q[id]")
    assert [q["id"] for q in quotes] == ["q-0", "q-1", "q-2", "q-3"]
    assert [q["class"][1] for q in quotes] == ["spk-0", "spk-1", "spk-none", "spk-2"]
    assert [q["title"] for q in quotes] == [
        "Iruka → Kakashi (0.95)",
        "Kakashi → Iruka (0.90)",
        "? → ? (0.20)",
        "Naruto → Iruka (0.88)",
    ]
    # An utterance interrupted by its speech tag: the words are coloured, the tag is not.
    assert [w.get_text() for w in quotes[0].select(".qw")] == ['"You\'re late,"', '"Again."']
    assert quotes[0].get_text() == '"You\'re late," Iruka said without turning around. "Again."'
    assert "qw" in quotes[1]["class"]
    css = soup.style.get_text()
    assert ".spk-0{--c:#1f5fa8}" in css and ".spk-none{--c:#666666}" in css


def test_paratext_set_apart(soup):
    article = soup.select_one("article.story")
    notes = article.select("aside.paratext.author-note")
    assert [n.select_one(".label").get_text() for n in notes] == ["Author's note", "Author's note"]
    assert (
        notes[0].find_all("p")[1].get_text()
        == f"A/N: Thanks for all the reviews! This one is a little sad. {INJECT_SCRIPT}"
    )
    assert notes[1].find_all("p")[1].get_text() == "A/N: Next chapter soon & thanks again."
    disclaimer = article.select_one("aside.paratext.disclaimer")
    assert disclaimer.select_one(".label").get_text() == "Disclaimer"
    assert "I don't own Naruto" in disclaimer.get_text()
    assert not any(
        "A/N" in p.get_text() or "Disclaimer" in p.get_text() for p in article.find_all("p", recursive=False)
    )
    assert article.select_one("h2.story-title").get_text() == "Roses in the Rain: Chapter Two"
    heading = article.select_one("h3.chapter-heading")
    assert heading.get_text() == "Chapter Two: The Bouquet" and heading["id"] == "chapter-0"
    breaks = article.select(".scene-break")
    assert len(breaks) == 1 and breaks[0]["role"] == "separator" and breaks[0].get_text() == "⁂"


# -- escaping and self-containment -----------------------------------------------------------------


def test_injection_is_shown_not_run(page, soup):
    assert "<script>alert" not in page
    assert "<img" not in page
    assert soup.find("img") is None and soup.find("iframe") is None
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and not scripts[0].has_attr("src")
    assert "alert" not in scripts[0].get_text()
    for tag in soup.find_all(True):
        assert not any(name.lower().startswith("on") for name in tag.attrs), tag.name
    body_text = soup.select_one("article.story").get_text()
    assert INJECT_SCRIPT in body_text and INJECT_IMG in body_text
    assert EVIL_ALIAS in soup.select_one("#characters").get_text()
    assert soup.find(id="summary").h1.get_text() == TITLE_TEXT


def test_nothing_loads_from_the_network(soup):
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            assert not any(re.search(r"https?:|//", v) for v in values), (tag.name, name, value)
    for element in soup.find_all(["style", "script"]):
        assert "http" not in element.get_text() and "@import" not in element.get_text()
    assert soup.find("link") is None
    # The one URL in the story is its text, escaped, in the disclaimer.
    assert "http://example.com/rights" in soup.select_one("aside.disclaimer").get_text()
    assert not soup.select('a[href^="http"]')


# -- the renderer on its own -------------------------------------------------------------------------


def test_crossing_spans_are_split_and_reopened():
    layers = [Layer(0, 4, "b", "A", 0, anchor="a"), Layer(2, 6, "i", "B", 0, anchor="b")]
    renderer = TextRenderer("abcdef", layers, [Marker(1, "m")])
    assert renderer.render(0, 6) == (
        '<b id="a" class="A">a<a class="pin" id="m"></a>b<i id="b" class="B">cd</i></b><i class="B">ef</i>'
    )
    assert renderer.emitted_ids == {"a", "b", "m"}


def test_a_pin_between_paragraphs_moves_to_the_next_word():
    renderer = TextRenderer("one\n\ntwo", [], [Marker(3, "chapter-1")])
    assert renderer.render(0, 3) == "one"
    assert renderer.render(5, 8) == '<a class="pin" id="chapter-1"></a>two'


def test_a_span_over_two_paragraphs_keeps_its_id_once():
    text = "one <two\n\nthree> four"
    renderer = TextRenderer(text, [Layer(4, 16, "span", "q", 0, anchor="q-0", title='a "b"')], [])
    assert renderer.render(0, 8) == 'one <span id="q-0" class="q" title="a &quot;b&quot;">&lt;two</span>'
    assert renderer.render(10, 21) == '<span class="q" title="a &quot;b&quot;">three&gt;</span> four'


def test_bare_story_renders_without_analysis():
    story = Story(text="First <b>paragraph</b>.\n\nSecond paragraph.\n", source="/tmp/bare story.txt")
    soup = BeautifulSoup(to_html(story), "lxml")
    assert soup.find(id="summary").h1.get_text() == "bare story"
    assert [p.get_text() for p in soup.select("article.story > p")] == ["First <b>paragraph</b>.", "Second paragraph."]
    for section in ("characters", "relationships", "network", "arc", "flowers"):
        assert soup.find(id=section) is None
    assert texts(soup.select("#summary .none")) == ["No warnings found.", "No additional tags found."]


# -- end to end: the bundled example through the whole pipeline ------------------------------------


@pytest.fixture(scope="module")
def example_soup(example_story) -> BeautifulSoup:
    return BeautifulSoup(to_html(example_story), "lxml")


def test_example_report_end_to_end(example_soup, example_story):
    soup, story = example_soup, example_story
    summary = soup.find(id="summary")
    assert summary.h1.get_text() == "The Things We Carry Home"
    facts = {div["data-key"]: div.dd.get_text() for div in summary.select(".fact")}
    assert facts["chapter"] == "1" and facts["pov"] == "third person"
    assert facts["tense"].split(" (")[0] == "past"

    article = soup.select_one("article.story")
    assert article.select_one("h2.story-title").get_text() == "The Things We Carry Home: Chapter One"
    notes = [" ".join(p.get_text() for p in aside.find_all("p")[1:]) for aside in article.select("aside.author-note")]
    assert notes[0].startswith("This was a spur of the moment one-shot") and notes[0].endswith("Hope you enjoy!")
    assert notes[-1].startswith("A/N: Thank you for reading!")
    disclaimer = article.select_one("aside.disclaimer").find_all("p")[1].get_text()
    assert disclaimer == "Disclaimer: I don't own Naruto. If I did, Kakashi would have had a vacation."
    assert len(article.select(".scene-break")) == 3
    assert [p.get_text() for p in article.find_all("p", recursive=False)] == [
        story.span_text(p) for p in story.paragraphs
    ]

    # The first line of dialogue is Kakashi's, spoken to Iruka, in Kakashi's colour.
    rows = {r.select_one(".name").get_text(): r["class"][1] for r in soup.select("#characters tr.character")}
    first = article.select_one("span.q[id]")
    assert first.get_text() == '"You\'re working late again, sensei,"'
    assert first["class"][1] == rows["Hatake Kakashi"]
    assert first["title"].startswith("Hatake Kakashi → Umino Iruka (")
    # Every speaker's class is one of the characters in the legend, and every in-page link has its target.
    assert {q["class"][1] for q in article.select("span.q")} <= set(rows.values())
    for link in soup.select('a[href^="#"]'):
        assert soup.find(id=link["href"][1:]) is not None, link["href"]
    assert not soup.select("[src]") and soup.find("link") is None

    # The bouquet, read: each flower with its meaning, who gives it to whom, and its sentence.
    bouquet = (
        "Kakashi sighed and brought out a small bunch of flowers wrapped in newspaper: three red roses, a sprig of"
        " forget-me-nots and, for reasons Iruka could not begin to guess, a single striped carnation."
    )
    rows = soup.select("#flowers table.flowers tbody tr")
    read = [(r.select_one(".flower-name").get_text(), r.select_one(".given").get_text()) for r in rows]
    assert read[:3] == [
        ("red rose", "Hatake Kakashi → Umino Iruka"),
        ("forget-me-not", "Hatake Kakashi → Umino Iruka"),
        ("striped carnation", "Hatake Kakashi → Umino Iruka"),
    ]
    assert [r.select_one(".sentence").get_text() for r in rows[:3]] == [bouquet] * 3
    assert rows[2].select_one(".meaning").get_text() == "Refusal"


def test_report_command_writes_the_file(tmp_path, example_story):
    import subprocess
    import sys

    from .conftest import EXAMPLE_STORY

    out = tmp_path / "report.html"
    command = [sys.executable, "-m", "ficlens.cli", "report", str(EXAMPLE_STORY), "--fandom", "naruto", "-o", str(out)]
    result = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "lxml")
    assert soup.find(id="summary").h1.get_text() == "The Things We Carry Home"
    assert [q["id"] for q in soup.select("article.story span.q[id]")] == [
        f"q-{i}" for i in range(len(example_story.quotes))
    ]


def test_a_large_cast_is_drawn_as_hub_and_ring_of_the_most_mentioned():
    story = Story(text="Twenty people met.")
    story.characters = [Character(f"c{i}", f"Person {i}", mentions=100 - i) for i in range(20)]
    story.network.edges = [Edge("c0", f"c{i}", float(i), "copresence") for i in range(1, 20)]
    soup = BeautifulSoup(to_html(story), "lxml")
    svg = soup.select_one("#network svg")
    assert texts(svg.select(".node text")) == [f"Person {i}" for i in range(15)]
    hub = svg.select_one(".node circle")
    assert (hub["cx"], hub["cy"]) == ("360.0", "200.0")  # the middle of the 720 x 400 picture
    # Only the edges between the characters drawn: to Person 1 .. Person 14.
    assert len(svg.select("path.edge.copresence")) == 14
    caption = " ".join(soup.select_one("#network figcaption").get_text().split())
    assert caption.startswith("The 15 most mentioned of 20 characters.")


def test_bare_story_with_windows_line_ends_splits_at_blank_lines():
    story = Story(text="One line\r\nstill the first.\r\n\r\nSecond.\r\n")
    soup = BeautifulSoup(to_html(story), "lxml")
    # (An HTML parser reads CR LF as LF.)
    assert [p.get_text() for p in soup.select("article.story > p")] == ["One line\nstill the first.", "Second."]
