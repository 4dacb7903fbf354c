"""Telling what a document is from its first bytes and its name, before any reader touches it."""

from __future__ import annotations

import re
from pathlib import PurePath

# Signatures of common binary files people might hand over by mistake, with the name we tell them.
# Only signatures that plain text cannot plausibly start with are listed.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O file"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"OggS\x00", "Ogg media file"),
    (b"fLaC", "FLAC audio file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Microsoft Office document"),
    (b"{\\rtf", "RTF document"),
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty archive

_BZIP2 = re.compile(rb"\ABZh[1-9]1AY&SY")
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(rb"<(?:p|div|br|body|h[1-6])(?:\s[^>]*)?/?>", re.IGNORECASE)

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
EPUB_SUFFIXES = {".epub"}


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 in a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_name(source: str | None) -> str:
    """How a document is named in messages: on one line and printable whatever its file name holds."""
    if source is None:
        return "the text"
    if source == "-":
        return "standard input"
    return _UNPRINTABLE.sub(_escape, source)


def human_size(n: int | float) -> str:
    """A byte count for people: '63.2 MB', '50 MB', '1.02 KB', '12 bytes' (binary units, as --max-mb)."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{int(n)} bytes"


def limit_message(name: str, size: int | None, max_bytes: int) -> str:
    if size is None:
        return f"{name} is over the {human_size(max_bytes)} limit (--max-mb)"
    return f"{name} is {human_size(size)}, over the {human_size(max_bytes)} limit (--max-mb)"


def suffix(source: str | None) -> str:
    if not source or source == "-":
        return ""
    return PurePath(source).suffix.lower()


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def binary_kind(data: bytes) -> str | None:
    """The kind of binary file ``data`` is by its signature ('PNG image'), or None when no signature matches."""
    for magic, kind in MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    if _BZIP2.match(data):
        return "bzip2 archive"
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime media file"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio file", b"AVI ": "AVI video"}[data[8:12]]
    if data[60:68] == b"BOOKMOBI":  # MOBI and AZW3, which AO3 also offers: the EPUB or HTML download reads
        return "MOBI/AZW3 e-book; download the EPUB or HTML instead"
    if data.startswith(b"ID3"):
        return "MP3 audio file"
    if data.startswith(b"MZ") and b"\x00" in data[:1024]:
        return "Windows executable"
    return None


_DECLARED_CHARSET = re.compile(
    rb"<meta[^>]*?charset\s*=\s*[\"']?\s*[-\w.:]+|<\?xml[^>]*?encoding\s*=\s*[\"'][-\w.:]+", re.IGNORECASE
)


def declared_charset(data: bytes) -> bool:
    """Whether an HTML/XHTML document declares its encoding near its start (<meta charset>, <?xml encoding>)."""
    return bool(_DECLARED_CHARSET.search(data[:4096]))


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes (ASCII-compatible encoding) read as an HTML document."""
    if _HTML_START.match(head):
        return True
    # A fragment without <html>: several block tags near the top.
    return len(_HTML_TAGS.findall(head)) >= 3
