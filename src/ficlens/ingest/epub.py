"""EPUB: checked as a zip first, then read with EbookLib; spine documents go through the HTML reader.

Before anything is decompressed the archive's directory is checked:

- it must be a readable zip (else "corrupt EPUB", or "not a story" for a broken zip that is no EPUB);
- it must be an EPUB: a ``mimetype`` member saying ``application/epub+zip``, or, failing that member,
  a ``META-INF/container.xml`` (else "a zip archive but not an EPUB");
- at most ``MAX_MEMBERS`` members;
- the declared uncompressed size of all members together must not exceed
  ``min(EXPANSION_FACTOR x max_bytes, MAX_UNCOMPRESSED)`` -- 20 times the size limit, and never more
  than 500 MB (with the default 50 MB limit, 500 MB).  zipfile stops at a member's declared size and
  checks its CRC, so an archive lying about its sizes fails as corrupt instead of growing past the cap;
- no member encrypted (zip encryption, or DRM listed in ``META-INF/encryption.xml``);
- ``META-INF/container.xml`` must name a package document (OPF) that is in the archive, and both
  must be well-formed XML (entities not resolved), the OPF with its metadata, manifest and spine.

Each failure is one line saying what is wrong ("corrupt EPUB: missing OEBPS/content.opf (named in
META-INF/container.xml)").  Spine documents marked ``linear="no"``, the navigation document, and
tables of contents are not story and are skipped.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from typing import Any

from ..errors import FormatError, InputError
from ..model import TITLE, Story
from . import ao3, fanficfare
from .html import TextBuilder, element_text, feed_with_title, parse
from .sniff import declared_charset, human_size

EPUB_MIMETYPE = b"application/epub+zip"
CONTAINER = "META-INF/container.xml"
MAX_MEMBERS = 10_000
EXPANSION_FACTOR = 20
MAX_UNCOMPRESSED = 500 * 1024 * 1024
AO3_PUBLISHER = "Archive of Our Own"
# What zipfile raises for a damaged archive or member (bad headers, bad CRC, bad deflate data...).
DAMAGED_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
               NotImplementedError, zlib.error)


def uncompressed_cap(max_bytes: int) -> int:
    """The most an EPUB may decompress to: 20 x the size limit, at most 500 MB."""
    return min(EXPANSION_FACTOR * max_bytes, MAX_UNCOMPRESSED)


def check_archive(data: bytes, name: str, max_bytes: int, *, claimed_epub: bool) -> None:
    """Refuse what is not a sound EPUB before any member is decompressed (rules in the module docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED_ZIP as exc:
        if claimed_epub or data[30:38] == b"mimetype":
            raise FormatError(f"{name} is a corrupt EPUB: not a readable zip archive ({_reason(exc)})") from None
        raise InputError(f"{name} is a corrupt zip archive, not a story") from None
    with archive:
        members = archive.infolist()
        names = {info.filename for info in members}
        mimetype = _mimetype(archive, name)
        if mimetype is None and CONTAINER not in names:
            raise InputError(f"{name} is a zip archive but not an EPUB{_zip_kind(names)}")
        if mimetype is not None and mimetype != EPUB_MIMETYPE:
            shown = mimetype.decode("ascii", "replace")[:80]
            raise InputError(f"{name} is a zip archive but not an EPUB (its mimetype is {shown})")
        if len(members) > MAX_MEMBERS:
            raise FormatError(f"{name}: EPUB has {len(members)} files (more than {MAX_MEMBERS}), refusing")
        total = sum(info.file_size for info in members)
        cap = uncompressed_cap(max_bytes)
        if total > cap:
            raise FormatError(
                f"{name}: EPUB would decompress to {human_size(total)} (limit {human_size(cap)}), refusing (zip bomb?)"
            )
        if any(info.flag_bits & 0x1 for info in members):
            raise FormatError(f"{name} is an encrypted EPUB, which cannot be read")
        if "META-INF/encryption.xml" in names and _drm_protected(archive):
            raise FormatError(f"{name} is a DRM-protected EPUB, which cannot be read")
        problem = _package_problem(archive, names)
        if problem:
            raise FormatError(f"{name} is a corrupt EPUB: {problem}")


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)


def _member_xml(archive: zipfile.ZipFile, name: str):
    """(the parsed member, None) or (None, what is wrong with it, in words)."""
    from lxml import etree

    try:
        return _xml(archive.read(name)), None
    except etree.XMLSyntaxError as exc:
        return None, f"bad XML in {name} ({_reason(exc)})"
    except DAMAGED_ZIP as exc:
        return None, _reason(exc)


def _package_problem(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """What keeps the container and package document from being read, in words; None when they are fine."""
    from lxml import etree

    if CONTAINER not in names:
        return f"missing {CONTAINER}"
    container, problem = _member_xml(archive, CONTAINER)
    if problem:
        return problem
    rootfiles = [el.get("full-path") for el in container.iter() if etree.QName(el).localname == "rootfile"]
    package = next((path for path in rootfiles if path), None)
    if package is None:
        return f"{CONTAINER} names no package document"
    if package not in names:
        return f"missing {package} (named in {CONTAINER})"
    root, problem = _member_xml(archive, package)
    if problem:
        return problem
    parts = {etree.QName(child).localname for child in root if isinstance(child.tag, str)}
    for part in ("metadata", "manifest", "spine"):
        if part not in parts:
            return f"{package} has no <{part}>"
    return None


def _mimetype(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return None
    if info.file_size > 200:
        return b"(too long)"
    try:
        return archive.read(info).strip()
    except DAMAGED_ZIP as exc:
        raise FormatError(f"{name} is a corrupt EPUB: {_reason(exc)}") from None


def _zip_kind(names: set[str]) -> str:
    if "word/document.xml" in names:
        return " (a Word document)"
    if "content.xml" in names:
        return " (an OpenDocument file)"
    return ""


def _drm_protected(archive: zipfile.ZipFile) -> bool:
    """Whether META-INF/encryption.xml encrypts a content document (font obfuscation alone is fine)."""
    try:
        listing = archive.read("META-INF/encryption.xml").decode("utf-8", "replace")
    except Exception:  # an unreadable encryption list is the corruption check's business
        return False
    soup = parse(listing)
    references = soup.find_all(lambda tag: tag.name.rsplit(":", 1)[-1] == "cipherreference")
    uris = [ref.get("uri") or "" for ref in references]
    return any(uri.lower().endswith((".xhtml", ".html", ".htm", ".xml")) for uri in uris)


def _reason(exc: BaseException) -> str:
    """One short line saying what is wrong ("missing META-INF/container.xml", "Bad CRC-32 for file ...")."""
    if isinstance(exc, KeyError) and exc.args:
        missing = re.search(r"named '([^']+)'", str(exc.args[0]))
        text = f"missing {missing.group(1) if missing else exc.args[0]}"
    else:
        text = " ".join(str(exc).split()) or type(exc).__name__
        text = re.sub(r"\s*\(<string>, line \d+\)$", "", text)  # lxml's location of an in-memory document
    return text[:160]


def _xhtml_text(data: bytes) -> bytes | str:
    """An EPUB content document for the parser: as bytes when it declares its encoding or has a BOM,
    else decoded as UTF-8 (XML's default, which EPUB requires) rather than left to guessing."""
    from .text import bom_encoding

    if bom_encoding(data) or declared_charset(data):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _dc(book, field: str) -> list[str]:
    try:
        values = book.get_metadata("DC", field)
    except Exception:  # EbookLib raises on odd metadata; a missing field is just missing
        return []
    return [" ".join(str(value).split()) for value, _attrs in values if value and str(value).strip()]


def read_epub(data: bytes, name: str, source: str | None, max_bytes: int, *, claimed_epub: bool = True) -> Story:
    check_archive(data, name, max_bytes, claimed_epub=claimed_epub)
    from ebooklib import epub

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # EbookLib's deprecation and format warnings
            book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except Exception as exc:  # EbookLib surfaces bad archives as KeyError, lxml, zlib, zipfile... errors
        if isinstance(exc, (KeyError, *DAMAGED_ZIP)):
            raise FormatError(f"{name} is a corrupt EPUB: {_reason(exc)}") from None
        raise FormatError(f"{name} is a corrupt EPUB: EbookLib cannot read it ({_reason(exc)})") from None

    bodies = []
    title_page: dict[str, Any] | None = None
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or str(linear).lower() == "no":
            continue
        if hasattr(item, "is_chapter") and not item.is_chapter():
            continue  # the navigation document or the cover page
        # The file as stored: EbookLib's get_content() rebuilds the page and drops <body>'s attributes.
        stored = item.content if isinstance(item.content, bytes) and item.content else item.get_content()
        soup = parse(_xhtml_text(stored))
        body = soup.body or soup
        kind = fanficfare.page_kind(body)
        if kind in fanficfare.SKIPPED_PAGES or (kind is None and fanficfare.is_link_list(body)):
            continue  # a table of contents, an update log, a cover
        if kind == fanficfare.TITLE_PAGE:
            title_page = fanficfare.read_title_page(body)
            continue
        bodies.append(body)

    titles, creators = _dc(book, "title"), _dc(book, "creator")
    languages, publishers = _dc(book, "language"), _dc(book, "publisher")
    descriptions = _dc(book, "description")
    summary = element_text(parse(descriptions[0])) if descriptions else None
    title = titles[0] if titles else None

    if ao3.is_ao3(*bodies):
        fallback = {"title": title, "authors": creators, "summary": summary}
        story = ao3.read(bodies, source, format="ao3-epub", fallback=fallback)
    else:
        builder = TextBuilder()
        metadata: dict[str, Any] = {"title": title, "authors": creators}
        if title_page is not None:
            # The title page is metadata only; its title stands as the title line of the text.
            metadata.update({key: value for key, value in title_page.items() if value})
            metadata["generator"] = "FanFicFare"
            title = metadata["title"] = metadata.get("title") or title
            if title:
                builder.paragraph(title, TITLE)
            chapter_titles = feed_with_title(builder, bodies, None)
        else:
            chapter_titles = feed_with_title(builder, bodies, title)
        if languages and not metadata.get("language"):
            metadata["language"] = languages[0]
        if summary and not metadata.get("summary"):
            metadata["summary"] = summary
        if publishers:
            metadata["publisher"] = publishers[0]
        subjects = _dc(book, "subject")
        if subjects:
            metadata["subjects"] = subjects
        if chapter_titles:
            metadata["chapter_titles"] = chapter_titles
        story = Story(text=builder.text, source=source, format="epub", metadata=metadata, preset_blocks=builder.blocks)
    if publishers and publishers[0] == AO3_PUBLISHER:
        story.metadata.setdefault("publisher", AO3_PUBLISHER)
    if not story.text.strip():
        raise InputError(f"{name} has no readable text")
    return story
