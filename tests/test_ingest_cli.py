"""Every bad input through the command line: one `error: ...` line on stderr, no traceback, exit status 1."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .test_ingest_epub import opf, write_epub, xhtml


def run_cli(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "ficlens.cli", "analyze", *args, "--format", "json"],
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def assert_one_line_error(result, expected: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert stderr == f"error: {expected}\n"
    assert result.stdout == b""


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _zip(tmp_path: Path) -> Path:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "not a book")
    return path


def _bomb(tmp_path: Path) -> Path:
    documents = {"a.xhtml": xhtml("<p>Hi.</p>"), "pad.xhtml": " " * (3 * 1024 * 1024)}
    return write_epub(tmp_path / "bomb.epub", documents, opf(list(documents), title="t", creators=[]))


# case -> (make the input in tmp_path, extra arguments, the message after "error: " with {path} for the input)
BAD_INPUTS = {
    "missing": (lambda tmp: tmp / "nope.txt", [], "no such file: {path}"),
    "directory": (lambda tmp: tmp, [], "{path} is a directory, not a story file"),
    "empty": (lambda tmp: _file(tmp, "empty.txt", b" \n\n \t\n"), [], "{path} is empty"),
    "image": (
        lambda tmp: _file(tmp, "cover.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64),
        [],
        "{path} looks like a binary file (PNG image), not a story",
    ),
    "zip": (_zip, [], "{path} is a zip archive but not an EPUB"),
    "too large": (
        lambda tmp: _file(tmp, "large.txt", b"word " * 20_000),  # 97.7 KB
        ["--max-mb", "0.05"],
        "{path} is 97.7 KB, over the 51.2 KB limit (--max-mb)",
    ),
    "undecodable": (
        lambda tmp: _file(tmp, "odd.txt", bytes(range(128, 256)) * 3), [], "{path} cannot be decoded as text"
    ),
    "corrupt epub": (
        lambda tmp: _file(tmp, "broken.epub", b"PK\x03\x04" + b"\x14\x00" * 40),
        [],
        "{path} is a corrupt EPUB: not a readable zip archive (File is not a zip file)",
    ),
    "zip bomb": (
        _bomb,
        ["--max-mb", "0.1"],
        "{path}: EPUB would decompress to 3 MB (limit 2 MB), refusing (zip bomb?)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_one_error_line(tmp_path, case):
    make, arguments, expected = BAD_INPUTS[case]
    path = make(tmp_path)
    assert_one_line_error(run_cli(str(path), *arguments), expected.format(path=path))


def test_binary_on_standard_input():
    result = run_cli("-", stdin=b"GIF89a\x01\x00\x01\x00\x00\x00\x00")
    assert_one_line_error(result, "standard input looks like a binary file (GIF image), not a story")


def test_empty_standard_input():
    assert_one_line_error(run_cli("-", stdin=b""), "standard input is empty")


def test_standard_input_over_the_limit():
    result = run_cli("-", "--max-mb", "0.01", stdin=b"x" * 20_000)
    assert_one_line_error(result, "standard input is over the 10.2 KB limit (--max-mb)")
