"""Readers: plain text, Markdown, HTML (AO3 downloads included) and EPUB (AO3's included), each to a Story.

``read_path`` checks the file, ``read_bytes`` tells the format and hands over to one reader:

- ``ingest.text``: decoding (BOMs, UTF-8, UTF-16, cp1252, charset-normalizer), plain text, Markdown;
- ``ingest.html``: HTML to readable text with preset blocks (shared by HTML and EPUB);
- ``ingest.ao3``: AO3 downloads (HTML and EPUB) and AO3 work pages saved from a browser, with metadata;
- ``ingest.ffnet``: FanFiction.net/FictionPress chapter pages saved from a browser;
- ``ingest.epub``: zip checks (zip bombs, encryption, container and package), EbookLib, the spine;
- ``ingest.fanficfare``: the title, contents and log pages of FanFicFare EPUBs;
- ``ingest.sniff``: signatures, names and sizes.

Formats (``Story.format``): text, markdown, html, ao3-html, epub, ao3-epub.  Offsets index
``Story.text``: for text and Markdown the decoded file (a BOM dropped); for HTML and EPUB the readable
text built from the markup, paragraphs separated by a blank line.

Every refusal is an :class:`~ficlens.errors.InputError` or :class:`~ficlens.errors.FormatError` with a
one-line message naming the document.
"""

from __future__ import annotations

import stat
from pathlib import Path

from ..errors import FormatError, InputError
from ..model import Story
from . import sniff
from .text import bom_encoding, decode, read_markdown, read_text

FORMATS = ("auto", "text", "markdown", "html", "epub")

__all__ = ["FORMATS", "from_text", "read_bytes", "read_path"]


def from_text(text: str, *, max_bytes: int | None = None, source: str | None = None) -> Story:
    """A Story from text already in hand: plain text, offsets index ``text`` itself (nothing is stripped)."""
    name = sniff.display_name(source)
    if max_bytes is not None:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise InputError(sniff.limit_message(name, size, max_bytes))
    if not text.strip():
        raise InputError(f"{name} is empty")
    return Story(text=text, source=source, format="text")


def read_path(path, *, max_bytes: int, format: str | None = None) -> Story:
    """Read the document at ``path``.  The size is checked before a byte is read.

    A named pipe (``<(command)``) is read up to the limit, since its size cannot be known beforehand.
    """
    _check_format(format)
    p = Path(path)
    name = sniff.display_name(str(p))
    try:
        info = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"no such file: {name}") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name} is a directory, not a story file")
    pipe = stat.S_ISFIFO(info.st_mode)
    if not (stat.S_ISREG(info.st_mode) or pipe):
        raise InputError(f"{name} is not a regular file")
    if info.st_size > max_bytes:
        raise InputError(sniff.limit_message(name, info.st_size, max_bytes))
    try:
        with open(p, "rb") as handle:
            data = handle.read(max_bytes + 1)  # a file that grew since stat() still cannot go past the limit
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(sniff.limit_message(name, None if pipe else len(data), max_bytes))
    return read_bytes(data, source=str(p), max_bytes=max_bytes, format=format)


def read_bytes(data: bytes, *, source: str | None, max_bytes: int, format: str | None = None) -> Story:
    """Read a document given as bytes; the format is told from its content and ``source``'s extension
    unless ``format`` names it ("text", "markdown", "html", "epub"; None or "auto" to tell)."""
    fmt = _check_format(format)
    name = sniff.display_name(source)
    if len(data) > max_bytes:
        size = None if source == "-" and len(data) == max_bytes + 1 else len(data)  # stdin is read up to the limit
        raise InputError(sniff.limit_message(name, size, max_bytes))
    if not data.strip():
        raise InputError(f"{name} is empty")
    suffix = sniff.suffix(source)

    if fmt == "epub" or sniff.is_zip(data):
        if not sniff.is_zip(data):
            raise FormatError(f"{name} is a corrupt EPUB: not a zip archive")
        from .epub import read_epub

        return read_epub(data, name, source, max_bytes, claimed_epub=fmt == "epub" or suffix == ".epub")
    if suffix == ".epub" and fmt == "auto":
        raise FormatError(f"{name} is a corrupt EPUB: not a zip archive")

    kind = None if bom_encoding(data) else sniff.binary_kind(data)
    if kind:
        raise InputError(f"{name} looks like a binary file ({kind}), not a story")

    if fmt == "auto":
        fmt = _guess_format(data, suffix)
    if fmt == "html":
        from .html import read_html

        if bom_encoding(data) or sniff.declared_charset(data):
            return read_html(data, name, source)  # BeautifulSoup honours the BOM or the declaration
        # Undeclared: the text reader's rules (strict UTF-8, cp1252 for short Western text...), which
        # also refuse binary content.
        text, encoding = decode(data, name)
        story = read_html(text, name, source)
        story.metadata["encoding"] = encoding
        return story
    if fmt == "markdown":
        return read_markdown(data, name, source)
    return read_text(data, name, source)


def _check_format(format: str | None) -> str:
    fmt = (format or "auto").lower()
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {format!r} (choose from {', '.join(FORMATS)})")
    return fmt


def _guess_format(data: bytes, suffix: str) -> str:
    if suffix in sniff.HTML_SUFFIXES:
        return "html"
    if suffix in sniff.MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in sniff.TEXT_SUFFIXES:
        return "text"
    head = data[:4096]
    encoding = bom_encoding(head)
    if encoding and encoding != "utf-8-sig":
        head = head.decode(encoding, "ignore").encode("utf-8")
    return "html" if sniff.looks_like_html(head) else "text"

