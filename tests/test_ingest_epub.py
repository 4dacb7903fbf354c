"""EPUB reader: AO3-style (split the way Calibre splits AO3's HTML), generic, and each broken archive."""

import struct
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ficlens.errors import FiclensError
from ficlens.ingest import read_bytes, read_path
from ficlens.ingest.epub import uncompressed_cap

from .test_ingest_html import AO3_BLOCKS, AO3_TEXT, FIXTURES, check_two_chapter_metadata

LIMIT = 50 * 1024 * 1024
CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def xhtml(body: str, title: str = "x") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>{title}</title></head><body>{body}</body></html>"
    )


def opf(documents: list[str], *, title: str, creators: list[str], publisher: str | None = None,
        description: str | None = None, extra_items: str = "", non_linear: tuple[str, ...] = ()) -> str:
    dc = f"<dc:title>{title}</dc:title>" + "".join(f"<dc:creator>{c}</dc:creator>" for c in creators)
    dc += "<dc:language>en</dc:language><dc:identifier id='uid'>urn:uuid:1234</dc:identifier>"
    if publisher:
        dc += f"<dc:publisher>{publisher}</dc:publisher>"
    if description:
        dc += f"<dc:description>{description}</dc:description>"
    items = "".join(
        f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(documents)
    )
    linear = {name: ' linear="no"' if name in non_linear else "" for name in documents}
    spine = "".join(f'<itemref idref="d{i}"{linear[name]}/>' for i, name in enumerate(documents))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{dc}</metadata>'
        f"<manifest>{items}{extra_items}</manifest><spine>{spine}</spine></package>"
    )


def write_epub(path: Path, documents: dict[str, str], package: str, *, mimetype: str = "application/epub+zip",
               container: str | None = CONTAINER_XML, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first, as the spec asks
        if container is not None:
            archive.writestr("META-INF/container.xml", container, zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/content.opf", package, zipfile.ZIP_DEFLATED)
        for name, content in documents.items():
            archive.writestr(f"OEBPS/{name}", content, zipfile.ZIP_DEFLATED)
        for name, content in (extra or {}).items():
            archive.writestr(name, content, zipfile.ZIP_DEFLATED)
    return path


def calibre_flattened(soup: BeautifulSoup) -> None:
    """Classes renamed the way Calibre's CSS flattening renames them (first class plus a number), and the
    ids that nothing links to dropped: the reader must not depend on AO3's exact class lists."""
    for tag in soup.find_all(True):
        classes = tag.get("class")
        if classes:
            tag["class"] = [classes[0] + "1"]
        if tag.get("id") in ("preface", "afterword"):
            del tag["id"]


def ao3_epub(tmp_path: Path, *, flatten: bool = False) -> Path:
    """The two-chapter AO3 fixture as AO3's Calibre makes it: split at the preface, each chapter heading and
    the afterword, the wrapping div copied into each piece (its id only in the first)."""
    soup = BeautifulSoup((FIXTURES / "ao3_two_chapters.html").read_text(encoding="utf-8"), "lxml")
    if flatten:
        calibre_flattened(soup)
    chapters = [child for child in soup.find(id="chapters").children if getattr(child, "name", None)]
    first, second = chapters[:3], chapters[3:]
    documents = {
        "titlepage.xhtml": xhtml('<div class="calibre"><img src="cover.jpg" alt=""/></div>'),
        "split_000.xhtml": xhtml(str(soup.body.find("div"))),
        "split_001.xhtml": xhtml('<div id="chapters" class="userstuff">' + "".join(map(str, first)) + "</div>"),
        "split_002.xhtml": xhtml('<div class="userstuff">' + "".join(map(str, second)) + "</div>"),
        "split_003.xhtml": xhtml(str(soup.body.find_all("div", recursive=False)[-1])),
    }
    package = opf(list(documents), title="The Lantern Road", creators=["paperkite", "inkwell_sparrow"],
                  publisher="Archive of Our Own", description="&lt;p&gt;Iruka hangs the lanterns.&lt;/p&gt;",
                  non_linear=("titlepage.xhtml",))
    return write_epub(tmp_path / "The_Lantern_Road.epub", documents, package)


@pytest.mark.parametrize("flatten", [False, True], ids=["ao3-classes", "calibre-classes"])
def test_ao3_epub(tmp_path, flatten):
    story = read_path(ao3_epub(tmp_path, flatten=flatten), max_bytes=LIMIT)
    assert story.format == "ao3-epub"
    assert story.text == AO3_TEXT
    assert [(b.kind, story.text[b.start : b.end]) for b in story.preset_blocks] == AO3_BLOCKS
    check_two_chapter_metadata(story.metadata)
    html_story = read_path(FIXTURES / "ao3_two_chapters.html", max_bytes=LIMIT)
    html_metadata = {k: v for k, v in html_story.metadata.items() if k != "encoding"}
    assert {k: v for k, v in story.metadata.items() if k != "publisher"} == html_metadata
    assert story.metadata["publisher"] == "Archive of Our Own"


def generic_epub_with_ebooklib(path: Path) -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("ficlens-test-0001")
    book.set_title("Winter Orchard")
    book.set_language("en")
    book.add_author("Mei Tanaka")
    book.add_metadata("DC", "description", "Two sisters and a frozen orchard.")
    chapters = []
    for number, (heading, body) in enumerate(
        [
            ("Chapter One", "<p>The apples froze on the branch.</p><p>“Leave them,” said Hana.</p>"),
            ("Chapter Two", "<p>In spring they thawed.</p><p style='text-align:center'>* * *</p><p>Hana ate one.</p>"),
        ],
        start=1,
    ):
        chapter = epub.EpubHtml(title=heading, file_name=f"chap_{number}.xhtml", lang="en")
        chapter.content = f"<h1>{heading}</h1>{body}"
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    epub.write_epub(str(path), book)
    return path


def test_generic_epub(tmp_path):
    story = read_path(generic_epub_with_ebooklib(tmp_path / "orchard.epub"), max_bytes=LIMIT)
    assert story.format == "epub"
    assert story.text == (
        "Chapter One\n\nThe apples froze on the branch.\n\n“Leave them,” said Hana.\n\n"
        "Chapter Two\n\nIn spring they thawed.\n\n* * *\n\nHana ate one."
    )
    assert [(b.kind, story.text[b.start : b.end]) for b in story.preset_blocks] == [
        ("chapter_heading", "Chapter One"),
        ("chapter_heading", "Chapter Two"),
        ("scene_break", "* * *"),
    ]
    assert story.metadata == {
        "title": "Winter Orchard",
        "authors": ["Mei Tanaka"],
        "language": "en",
        "summary": "Two sisters and a frozen orchard.",
        "chapter_titles": ["Chapter One", "Chapter Two"],
    }


def test_generic_epub_title_heading(tmp_path):
    documents = {
        "a.xhtml": xhtml("<h1>Glass Harbour</h1><p>by R. Osei</p>"),
        "b.xhtml": xhtml("<h2>1. Low Tide</h2><p>The boats leaned in the mud.</p>"),
    }
    path = write_epub(tmp_path / "g.epub", documents, opf(list(documents), title="Glass Harbour", creators=["R. Osei"]))
    story = read_path(path, max_bytes=LIMIT)
    assert story.text == "Glass Harbour\n\nby R. Osei\n\n1. Low Tide\n\nThe boats leaned in the mud."
    assert [(b.kind, story.text[b.start : b.end]) for b in story.preset_blocks] == [
        ("title", "Glass Harbour"),
        ("chapter_heading", "1. Low Tide"),
    ]
    assert story.metadata["chapter_titles"] == ["1. Low Tide"]


def test_epub_is_sniffed_from_content_without_a_name(tmp_path):
    data = ao3_epub(tmp_path).read_bytes()
    story = read_bytes(data, source="-", max_bytes=LIMIT)
    assert story.format == "ao3-epub"
    assert story.source == "-"


# -- broken archives -------------------------------------------------------------------------------------


def message(path: Path, **kwargs) -> str:
    with pytest.raises(FiclensError) as error:
        read_path(path, max_bytes=kwargs.pop("max_bytes", LIMIT), **kwargs)
    text = str(error.value)
    assert "\n" not in text
    return text


def test_zip_that_is_not_an_epub(tmp_path):
    path = tmp_path / "stories.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("one.txt", "A story.")
    assert message(path) == f"{path} is a zip archive but not an EPUB"


def test_word_document_is_named(tmp_path):
    path = tmp_path / "story.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert message(path) == f"{path} is a zip archive but not an EPUB (a Word document)"


def test_zip_with_another_mimetype(tmp_path):
    path = write_epub(tmp_path / "a.odt", {}, "", mimetype="application/vnd.oasis.opendocument.text", container=None)
    assert message(path) == (
        f"{path} is a zip archive but not an EPUB (its mimetype is application/vnd.oasis.opendocument.text)"
    )


def test_truncated_epub(tmp_path):
    data = ao3_epub(tmp_path).read_bytes()
    path = tmp_path / "cut.epub"
    path.write_bytes(data[: len(data) // 2])
    assert message(path) == f"{path} is a corrupt EPUB: not a readable zip archive (File is not a zip file)"


def test_epub_without_container(tmp_path):
    documents = {"a.xhtml": xhtml("<p>Hi.</p>")}
    path = write_epub(tmp_path / "nc.epub", documents, opf(list(documents), title="t", creators=[]), container=None)
    assert message(path) == f"{path} is a corrupt EPUB: missing META-INF/container.xml"


@pytest.mark.parametrize(
    "package, container, problem",
    [
        ("<package><metadata>", CONTAINER_XML,
         "bad XML in OEBPS/content.opf (Premature end of data in tag metadata line 1, line 1, column 20)"),
        ("<package xmlns='http://www.idpf.org/2007/opf'><manifest/></package>", CONTAINER_XML,
         "OEBPS/content.opf has no <metadata>"),
        (None, CONTAINER_XML.replace("content.opf", "gone.opf"),
         "missing OEBPS/gone.opf (named in META-INF/container.xml)"),
        (None, "<container", "bad XML in META-INF/container.xml (Couldn't find end of Start Tag container line 1, "
                             "line 1, column 11)"),
        (None, "<container/>", "META-INF/container.xml names no package document"),
    ],
)
def test_epub_with_a_bad_container_or_package(tmp_path, package, container, problem):
    documents = {"a.xhtml": xhtml("<p>Hi.</p>")}
    package = package or opf(list(documents), title="t", creators=[])
    path = write_epub(tmp_path / "bad.epub", documents, package, container=container)
    assert message(path) == f"{path} is a corrupt EPUB: {problem}"


def test_epub_whose_member_lies_about_its_size(tmp_path):
    path = ao3_epub(tmp_path)
    data = bytearray(path.read_bytes())
    patch_central_sizes(data, "OEBPS/split_001.xhtml", uncompressed=100)
    path.write_bytes(bytes(data))
    assert message(path) == f"{path} is a corrupt EPUB: Bad CRC-32 for file 'OEBPS/split_001.xhtml'"


def test_zip_bomb_is_refused_before_decompressing(tmp_path):
    documents = {"a.xhtml": xhtml("<p>Hi.</p>"), "padding.xhtml": " " * (2 * 1024 * 1024)}
    path = write_epub(tmp_path / "bomb.epub", documents, opf(list(documents), title="t", creators=[]))
    assert path.stat().st_size < 20_000
    assert uncompressed_cap(50_000) == 1_000_000
    assert message(path, max_bytes=50_000) == (
        f"{path}: EPUB would decompress to 2 MB (limit 977 KB), refusing (zip bomb?)"
    )


def test_zip_bomb_claiming_gigabytes_under_the_default_limit(tmp_path):
    documents = {"a.xhtml": xhtml("<p>Hi.</p>")}
    path = write_epub(tmp_path / "claims.epub", documents, opf(list(documents), title="t", creators=[]))
    data = bytearray(path.read_bytes())
    patch_central_sizes(data, "OEBPS/a.xhtml", uncompressed=0xF0000000)
    path.write_bytes(bytes(data))
    assert uncompressed_cap(LIMIT) == 500 * 1024 * 1024
    assert message(path) == f"{path}: EPUB would decompress to 3.75 GB (limit 500 MB), refusing (zip bomb?)"


def test_encrypted_member(tmp_path):
    documents = {"a.xhtml": xhtml("<p>Hi.</p>")}
    path = write_epub(tmp_path / "locked.epub", documents, opf(list(documents), title="t", creators=[]))
    data = bytearray(path.read_bytes())
    patch_central_flags(data, "OEBPS/a.xhtml", 0x1)
    path.write_bytes(bytes(data))
    assert message(path) == f"{path} is an encrypted EPUB, which cannot be read"


def test_drm_listed_in_encryption_xml(tmp_path):
    documents = {"a.xhtml": xhtml("<p>Hi.</p>")}
    encryption = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:CipherData>'
        '<enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>'
    )
    path = write_epub(tmp_path / "drm.epub", documents, opf(list(documents), title="t", creators=[]),
                      extra={"META-INF/encryption.xml": encryption.encode()})
    assert message(path) == f"{path} is a DRM-protected EPUB, which cannot be read"


def test_epub_without_text(tmp_path):
    documents = {"a.xhtml": xhtml("<div><img src='x.png' alt=''/></div>")}
    path = write_epub(tmp_path / "pictures.epub", documents, opf(list(documents), title="t", creators=[]))
    assert message(path) == f"{path} has no readable text"


# -- editing a zip's central directory (to imitate archives that lie) -------------------------------------


def _central_entry(data: bytearray, member: str) -> int:
    name = member.encode()
    offset = data.find(b"PK\x01\x02")
    while offset >= 0:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if bytes(data[offset + 46 : offset + 46 + name_length]) == name:
            return offset
        offset = data.find(b"PK\x01\x02", offset + 4)
    raise AssertionError(f"{member} not in the archive")


def patch_central_sizes(data: bytearray, member: str, *, uncompressed: int) -> None:
    struct.pack_into("<I", data, _central_entry(data, member) + 24, uncompressed)


def patch_central_flags(data: bytearray, member: str, flags: int) -> None:
    offset = _central_entry(data, member) + 8
    struct.pack_into("<H", data, offset, struct.unpack_from("<H", data, offset)[0] | flags)


# -- FanFicFare ---------------------------------------------------------------------------------------------

FFF_TITLE_ENTRIES = [
    ("Category", "Naruto"),
    ("Genre", "Romance, Hurt/Comfort"),
    ("Language", "English"),
    ("Characters", "Kakashi H., Iruka U."),
    ("Status", "Completed"),
    ("Published", "2014-05-02"),
    ("Updated", "2014-06-20"),
    ("Packaged", "2026-11-01 10:12:44"),
    ("Rating", "Fiction T"),
    ("Chapters", "2"),
    ("Words", "1,377"),
    ("Publisher", "www.fanfiction.net"),
    ("Summary", "Iruka grades papers. Kakashi <i>helps</i>."),
]


def fff_epub(tmp_path: Path, *, table: bool = False) -> Path:
    if table:
        entries = "".join(f"<tr><td><b>{label}:</b></td><td>{value}</td></tr>" for label, value in FFF_TITLE_ENTRIES)
        entries = f'<table class="full">{entries}</table>'
    else:
        lines = "".join(f"\n<b>{label}:</b> {value}<br />\n" for label, value in FFF_TITLE_ENTRIES)
        entries = f"<div>{lines}</div>"
    title_page = (
        '<h3><a href="https://www.fanfiction.net/s/1234567/1/">Red Ink</a> by '
        '<a href="https://www.fanfiction.net/u/42/">quillfeather</a></h3>' + entries
    )
    toc = ('<div><h3>Table of Contents</h3><a href="file0001.xhtml">1. Marking</a><br />'
           '<a href="file0002.xhtml">2. Margins</a><br /><a href="file0003.xhtml">3. Grades</a><br /></div>')
    chapter_one = ('<h3 class="fff_chapter_title">1. Marking</h3><p>The red pen ran dry at midnight.</p>'
                   "<p>A/N: Thanks for reading!</p>")
    chapter_two = '<h3 class="fff_chapter_title">2. Margins</h3><p>Kakashi wrote in the margins.</p>'
    log = "<h3>Update Log</h3><p class='log_entry'><b>Chapters:</b> 2</p>"

    def page(kind, body):
        return xhtml(body).replace("<body>", f'<body class="{kind}">')

    documents = {
        "title_page.xhtml": page("fff_titlepage", title_page),
        "toc_page.xhtml": page("fff_tocpage", toc),
        "file0001.xhtml": page("fff_chapter", chapter_one),
        "file0002.xhtml": page("fff_chapter", chapter_two),
        "log_page.xhtml": page("fff_logpage", log),
    }
    package = opf(list(documents), title="Red Ink", creators=["quillfeather"], publisher="www.fanfiction.net")
    return write_epub(tmp_path / "Red_Ink-ffnet_1234567.epub", documents, package)


@pytest.mark.parametrize("table", [False, True], ids=["lines", "table"])
def test_fanficfare_epub(tmp_path, table):
    story = read_path(fff_epub(tmp_path, table=table), max_bytes=LIMIT)
    assert story.format == "epub"
    assert story.text == (
        "Red Ink\n\n1. Marking\n\nThe red pen ran dry at midnight.\n\nA/N: Thanks for reading!\n\n"
        "2. Margins\n\nKakashi wrote in the margins."
    )
    assert [(b.kind, story.text[b.start : b.end]) for b in story.preset_blocks] == [
        ("title", "Red Ink"),
        ("chapter_heading", "1. Marking"),
        ("chapter_heading", "2. Margins"),
    ]
    assert story.metadata == {
        "title": "Red Ink",
        "authors": ["quillfeather"],
        "fandoms": ["Naruto"],
        "genres": ["Romance", "Hurt/Comfort"],
        "language": "English",
        "characters": ["Kakashi H.", "Iruka U."],
        "rating": "Fiction T",
        "summary": "Iruka grades papers. Kakashi helps.",
        "stats": {
            "status": "Completed",
            "published": "2014-05-02",
            "updated": "2014-06-20",
            "packaged": "2026-11-01 10:12:44",
            "chapters": "2",
            "words": 1377,
        },
        "title_page": {"Publisher": "www.fanfiction.net"},
        "generator": "FanFicFare",
        "publisher": "www.fanfiction.net",
        "chapter_titles": ["1. Marking", "2. Margins"],
    }


def test_table_of_contents_page_is_skipped_in_any_epub(tmp_path):
    documents = {
        "toc.xhtml": xhtml('<h2>Contents</h2><p><a href="a.xhtml">One</a></p><p><a href="b.xhtml">Two</a></p>'
                           '<p><a href="c.xhtml">Three</a></p>'),
        "a.xhtml": xhtml("<h2>One</h2><p>She read <a href='#n1'>the note</a> twice.</p>"),
    }
    path = write_epub(tmp_path / "t.epub", documents, opf(list(documents), title="T", creators=[]))
    assert read_path(path, max_bytes=LIMIT).text == "One\n\nShe read the note twice."


def test_epub_document_without_encoding_declaration_is_utf8(tmp_path):
    documents = {"a.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>“Hi.” Naïve.</p></body></html>'}
    path = write_epub(tmp_path / "u.epub", documents, opf(list(documents), title="T", creators=[]))
    assert read_path(path, max_bytes=LIMIT).text == "“Hi.” Naïve."


def test_every_reader_output_validates_against_the_schema(tmp_path, story_schema):
    import jsonschema

    paths = [FIXTURES / name for name in ("ao3_two_chapters.html", "ao3_oneshot.html", "generic.html", "story.md",
                                          "curly_quotes.txt")]
    paths += [ao3_epub(tmp_path), fff_epub(tmp_path), generic_epub_with_ebooklib(tmp_path / "g.epub")]
    formats = []
    for path in paths:
        story = read_path(path, max_bytes=LIMIT)
        jsonschema.validate(story.to_dict(), story_schema)
        formats.append(story.format)
    assert formats == ["ao3-html", "ao3-html", "html", "markdown", "text", "ao3-epub", "epub", "epub"]


def test_broken_zip_that_claims_no_epub(tmp_path):
    path = tmp_path / "backup.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00\x01" * 40)
    assert message(path) == f"{path} is a corrupt zip archive, not a story"


def test_too_many_members(tmp_path, monkeypatch):
    monkeypatch.setattr("ficlens.ingest.epub.MAX_MEMBERS", 5)
    documents = {f"c{i}.xhtml": xhtml(f"<p>Part {i}.</p>") for i in range(6)}
    path = write_epub(tmp_path / "many.epub", documents, opf(list(documents), title="t", creators=[]))
    assert message(path) == f"{path}: EPUB has 9 files (more than 5), refusing"


def test_epub_with_damaged_compressed_data(tmp_path):
    path = ao3_epub(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("OEBPS/split_001.xhtml")
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start + 10 : start + 40] = b"\xff" * 30
    path.write_bytes(bytes(data))
    text = message(path)
    assert text.startswith(f"{path} is a corrupt EPUB: ")
    assert "split_001" in text or "decompressing" in text
