"""Readers: plain text in each encoding, Markdown, format sniffing, and every bad input's message."""

import codecs
from pathlib import Path

import pytest

from ficlens.errors import FiclensError, FormatError, InputError
from ficlens.ingest import from_text, read_bytes, read_path

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
MB = 1024 * 1024
LIMIT = 50 * MB
CURLY = (FIXTURES / "curly_quotes.txt").read_text(encoding="utf-8")


def blocks(story):
    return [(b.kind, story.text[b.start : b.end]) for b in story.preset_blocks]


def write(tmp_path, name, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- plain text and encodings -----------------------------------------------------------------------


def test_utf8_text_is_exactly_the_file_content():
    path = FIXTURES / "crlf.txt"
    story = read_path(path, max_bytes=LIMIT)
    assert story.text == path.read_bytes().decode("utf-8") == 'First line.\r\n\r\n"Second," she said.\r\n'
    assert story.format == "text"
    assert story.source == str(path)
    assert story.metadata == {"encoding": "utf-8"}
    assert story.preset_blocks == []


def test_utf8_with_curly_quotes_and_accents():
    story = read_path(FIXTURES / "curly_quotes.txt", max_bytes=LIMIT)
    assert story.text == CURLY
    assert story.text.startswith("The Café at Midnight\n\n“You’re late,” said Émile")
    assert story.metadata["encoding"] == "utf-8"


def test_utf8_bom_is_dropped_and_recorded(tmp_path):
    path = write(tmp_path, "bom.txt", codecs.BOM_UTF8 + CURLY.encode("utf-8"))
    story = read_path(path, max_bytes=LIMIT)
    assert story.text == CURLY  # offsets index the text after the BOM
    assert story.text[0] == "T"
    assert story.metadata["encoding"] == "utf-8-sig"


@pytest.mark.parametrize(
    "bom, codec, label",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(tmp_path, bom, codec, label):
    path = write(tmp_path, "wide.txt", bom + CURLY.encode(codec))
    story = read_path(path, max_bytes=LIMIT)
    assert story.text == CURLY
    assert story.metadata["encoding"] == label


def test_utf16_without_bom_is_recognised(tmp_path):
    path = write(tmp_path, "wide.txt", CURLY.encode("utf-16-le"))
    story = read_path(path, max_bytes=LIMIT)
    assert story.text == CURLY
    assert story.metadata["encoding"] == "utf-16-le"


def test_cp1252_with_curly_quotes_and_accents(tmp_path):
    path = write(tmp_path, "windows.txt", CURLY.encode("cp1252"))
    story = read_path(path, max_bytes=LIMIT)
    assert story.text == CURLY
    assert story.metadata["encoding"] == "cp1252"


@pytest.mark.parametrize(
    "text",
    [
        "“Hi.”",  # charset-normalizer alone calls this cp1125 ("УHi.Ф")
        "Naïve résumé — déjà vu…",  # and this cp1250 ("Naďve")
        "“Don’t,” she said.",
    ],
)
def test_short_cp1252_text_is_not_mislabelled(tmp_path, text):
    story = read_path(write(tmp_path, "short.txt", text.encode("cp1252")), max_bytes=LIMIT)
    assert story.text == text
    assert story.metadata["encoding"] == "cp1252"


def test_cyrillic_legacy_encoding_is_detected(tmp_path):
    text = "Привет, как дела? Всё хорошо, спасибо большое. Мы пойдём домой вечером."
    story = read_path(write(tmp_path, "ru.txt", text.encode("cp1251")), max_bytes=LIMIT)
    assert story.text == text
    assert story.metadata["encoding"] == "cp1251"


def test_forced_text_format_keeps_markup_as_text(tmp_path):
    path = write(tmp_path, "page.html", b"<p>Hello</p>")
    story = read_path(path, max_bytes=LIMIT, format="text")
    assert story.text == "<p>Hello</p>"
    assert story.format == "text"


def test_txt_extension_wins_over_markup_looking_content(tmp_path):
    path = write(tmp_path, "notes.txt", b"<html><body><p>Hi</p></body></html>")
    assert read_path(path, max_bytes=LIMIT).format == "text"


def test_html_is_sniffed_without_an_extension(tmp_path):
    path = write(tmp_path, "download", b"<!DOCTYPE html><html><body><p>One.</p><p>Two.</p></body></html>")
    story = read_path(path, max_bytes=LIMIT)
    assert story.format == "html"
    assert story.text == "One.\n\nTwo."


def test_read_bytes_uses_the_source_extension():
    story = read_bytes(b"# Title\n\n## One\n\nText.\n", source="x.md", max_bytes=LIMIT)
    assert story.format == "markdown"
    assert story.source == "x.md"


# -- Markdown -----------------------------------------------------------------------------------------


def test_markdown_text_is_raw_and_headings_are_preset():
    path = FIXTURES / "story.md"
    story = read_path(path, max_bytes=LIMIT)
    assert story.format == "markdown"
    assert story.text == path.read_text(encoding="utf-8")
    assert blocks(story) == [
        ("title", "# The Paper Crane"),
        ("chapter_heading", "## Chapter 1: Folding"),
        ("scene_break", "* * *"),
        ("chapter_heading", "Chapter 2: Flight\n---"),
        ("body", "```\n# not a heading inside a fence\n```"),
    ]
    assert story.metadata == {
        "encoding": "utf-8",
        "title": "The Paper Crane",
        "chapter_titles": ["Chapter 1: Folding", "Chapter 2: Flight"],
    }


def test_markdown_dashes_under_a_sentence_are_a_scene_break():
    text = "She left.\n---\nHe stayed.\n"
    story = read_bytes(text.encode(), source="s.md", max_bytes=LIMIT)
    assert blocks(story) == [("scene_break", "---")]


def test_markdown_chapters_without_a_title():
    text = "# Chapter 1\n\nOne.\n\n# Chapter 2\n\nTwo.\n"
    story = read_bytes(text.encode(), source="s.markdown", max_bytes=LIMIT)
    assert blocks(story) == [("chapter_heading", "# Chapter 1"), ("chapter_heading", "# Chapter 2")]
    assert "title" not in story.metadata


# -- text in hand -------------------------------------------------------------------------------------


def test_from_text_keeps_the_text_as_given():
    text = "\ufeffTitle\r\n\r\nBody.  "
    story = from_text(text, source="pasted")
    assert story.text == text
    assert story.format == "text"
    assert story.source == "pasted"


def test_from_text_errors():
    with pytest.raises(InputError) as error:
        from_text(" \n\t ")
    assert str(error.value) == "the text is empty"
    with pytest.raises(InputError) as error:
        from_text("é" * 600, max_bytes=1000)
    assert str(error.value) == "the text is 1.17 KB, over the 1000 bytes limit (--max-mb)"


# -- bad input ------------------------------------------------------------------------------------------


def message(callable_, *args, **kwargs) -> str:
    with pytest.raises(FiclensError) as error:
        callable_(*args, **kwargs)
    text = str(error.value)
    assert "\n" not in text
    return text


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    assert message(read_path, path, max_bytes=LIMIT) == f"no such file: {path}"


def test_directory(tmp_path):
    assert message(read_path, tmp_path, max_bytes=LIMIT) == f"{tmp_path} is a directory, not a story file"


@pytest.mark.parametrize(
    "content", [b"", b"   \n\r\n\t  \n", codecs.BOM_UTF8 + b"\n\n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")]
)
def test_empty_and_whitespace_only(tmp_path, content):
    path = write(tmp_path, "empty.txt", content)
    with pytest.raises(InputError) as error:
        read_path(path, max_bytes=LIMIT)
    assert str(error.value) == f"{path} is empty"


def test_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", b"a" * (3 * MB + MB // 5))

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr("builtins.open", no_reading)
    assert message(read_path, path, max_bytes=2 * MB) == f"{path} is 3.2 MB, over the 2 MB limit (--max-mb)"


def test_size_limit_message_in_read_bytes():
    assert message(read_bytes, b"x" * 2048, source="a.txt", max_bytes=1024) == (
        "a.txt is 2 KB, over the 1 KB limit (--max-mb)"
    )
    # standard input is read up to the limit plus one byte, so its full size is unknown
    assert message(read_bytes, b"x" * 1025, source="-", max_bytes=1024) == (
        "standard input is over the 1 KB limit (--max-mb)"
    )


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip archive"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF executable"),
        (b"The_Lantern_Road".ljust(60, b"\x00") + b"BOOKMOBI", "MOBI/AZW3 e-book; download the EPUB or HTML instead"),
    ],
)
def test_binary_files_are_named(tmp_path, data, kind):
    path = write(tmp_path, "story.txt", data + b"\x00" * 32)
    assert message(read_path, path, max_bytes=LIMIT) == f"{path} looks like a binary file ({kind}), not a story"


def test_unknown_binary_with_nul_bytes(tmp_path):
    path = write(tmp_path, "blob.dat", bytes(range(256)) * 4)
    assert message(read_path, path, max_bytes=LIMIT) == f"{path} looks like a binary file, not a story"


def test_control_characters_mean_binary(tmp_path):
    path = write(tmp_path, "ctl.txt", b"\x01\x02\x03abc\x04\x05" * 20)
    assert message(read_path, path, max_bytes=LIMIT) == f"{path} looks like a binary file, not a story"


def test_undecodable_bytes(tmp_path):
    path = write(tmp_path, "odd.txt", bytes(range(128, 256)) * 3)
    assert message(read_path, path, max_bytes=LIMIT) == f"{path} cannot be decoded as text"


def test_broken_utf16_after_bom(tmp_path):
    path = write(tmp_path, "bad16.txt", codecs.BOM_UTF16_LE + "Hi".encode("utf-16-le") + b"\x00\xd8")
    assert message(read_path, path, max_bytes=LIMIT) == (
        f"{path} cannot be decoded as text (bad utf-16-le after its byte-order mark)"
    )


def test_unknown_format_name(tmp_path):
    with pytest.raises(FormatError) as error:
        read_path(FIXTURES / "crlf.txt", max_bytes=LIMIT, format="docx")
    assert str(error.value) == "unknown format 'docx' (choose from auto, text, markdown, html, epub)"


def test_epub_name_on_a_text_file(tmp_path):
    path = write(tmp_path, "story.epub", b"Just some text.")
    assert message(read_path, path, max_bytes=LIMIT) == f"{path} is a corrupt EPUB: not a zip archive"


def test_forced_epub_on_text():
    assert message(read_bytes, b"Just text.", source=None, max_bytes=LIMIT, format="epub") == (
        "the text is a corrupt EPUB: not a zip archive"
    )


def test_errors_are_ficlens_errors():
    assert issubclass(InputError, FiclensError) and issubclass(FormatError, FiclensError)


def test_file_names_are_shown_on_one_printable_line(tmp_path):
    path = tmp_path / "two\nlines\udcff.txt"  # a newline and a byte that is not UTF-8
    assert message(read_path, path, max_bytes=LIMIT) == f"no such file: {tmp_path}/two\\x0alines\\xff.txt"


def test_named_pipe_is_read_up_to_the_limit(tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed(data):
        with open(fifo, "wb") as writer:
            writer.write(data)

    writer = threading.Thread(target=feed, args=("“Hello,” she said.".encode(),))
    writer.start()
    story = read_path(fifo, max_bytes=LIMIT)
    writer.join()
    assert story.text == "“Hello,” she said."

    writer = threading.Thread(target=feed, args=(b"x" * 5000,))
    writer.start()
    text = message(read_path, fifo, max_bytes=4096)
    writer.join()
    assert text == f"{fifo} is over the 4 KB limit (--max-mb)"


def test_device_is_not_a_story_file():
    assert message(read_path, "/dev/null", max_bytes=LIMIT) == "/dev/null is not a regular file"


def test_markdown_tildes_are_scene_breaks_not_fences_and_an_open_fence_is_no_fence():
    text = "# One\n\nA.\n\n~~~\n\nB.\n\n~~~\n\n```\n## Two\n"
    story = read_bytes(text.encode(), source="s.md", max_bytes=LIMIT)
    # "~~~" is left to the structure stage (it is no thematic break in Markdown); nothing is fenced
    assert blocks(story) == [("title", "# One"), ("chapter_heading", "## Two")]
