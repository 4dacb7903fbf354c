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


def bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments, the message after 'error: ')"""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b" \n\n \t\n")
    image = tmp_path / "cover.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64)
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "not a book")
    large = tmp_path / "large.txt"
    large.write_bytes(b"word " * 20_000)  # 97.7 KB
    odd = tmp_path / "odd.txt"
    odd.write_bytes(bytes(range(128, 256)) * 3)
    corrupt = tmp_path / "broken.epub"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x14\x00" * 40)
    documents = {"a.xhtml": xhtml("<p>Hi.</p>"), "pad.xhtml": " " * (3 * 1024 * 1024)}
    bomb = write_epub(tmp_path / "bomb.epub", documents, opf(list(documents), title="t", creators=[]))
    return {
        "missing": ([str(tmp_path / "nope.txt")], f"no such file: {tmp_path / 'nope.txt'}"),
        "directory": ([str(tmp_path)], f"{tmp_path} is a directory, not a story file"),
        "empty": ([str(empty)], f"{empty} is empty"),
        "image": ([str(image)], f"{image} looks like a binary file (PNG image), not a story"),
        "zip": ([str(archive)], f"{archive} is a zip archive but not an EPUB"),
        "too large": ([str(large), "--max-mb", "0.05"], f"{large} is 97.7 KB, over the 51.2 KB limit (--max-mb)"),
        "undecodable": ([str(odd)], f"{odd} cannot be decoded as text"),
        "corrupt epub": (
            [str(corrupt)],
            f"{corrupt} is a corrupt EPUB: not a readable zip archive (File is not a zip file)",
        ),
        "zip bomb": (
            [str(bomb), "--max-mb", "0.1"],
            f"{bomb}: EPUB would decompress to 3 MB (limit 2 MB), refusing (zip bomb?)",
        ),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "directory", "empty", "image", "zip", "too large", "undecodable", "corrupt epub", "zip bomb"],
)
def test_bad_input_gives_one_error_line(tmp_path, case):
    arguments, expected = bad_inputs(tmp_path)[case]
    assert_one_line_error(run_cli(*arguments), expected)


def test_binary_on_standard_input():
    result = run_cli("-", stdin=b"GIF89a\x01\x00\x01\x00\x00\x00\x00")
    assert_one_line_error(result, "standard input looks like a binary file (GIF image), not a story")


def test_empty_standard_input():
    assert_one_line_error(run_cli("-", stdin=b""), "standard input is empty")


def test_standard_input_over_the_limit():
    result = run_cli("-", "--max-mb", "0.01", stdin=b"x" * 20_000)
    assert_one_line_error(result, "standard input is over the 10.2 KB limit (--max-mb)")
