"""The hand-labelled fan-fiction speakers (bench/*/speakers.json, read by bench/fanfic_speakers.py) stay valid:
each quotation is found in its story in order and every speaker and addressee is one of the story's characters.
A story edited without its labels fails here, not silently in the benchmark."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
import fanfic_speakers  # noqa: E402

GOLD = sorted(p for pattern in fanfic_speakers.GOLD_SETS for p in BENCH.glob(pattern))


def test_there_are_gold_sets():
    assert len(GOLD) >= 14


@pytest.mark.parametrize("path", GOLD, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_gold_file_matches_its_stories(path, capsys):
    assert fanfic_speakers.check(path) == 0, capsys.readouterr().out


def test_a_quotation_missing_from_its_story_is_reported(tmp_path):
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "s.txt").write_text('"Hello," said Iruka.\n', encoding="utf-8")
    (tmp_path / "speakers.json").write_text(
        '{"stories": {"s.txt": {"characters": {"Iruka": ["Iruka"]}, "quotes": ['
        '{"text": "Goodbye,", "speaker": "Iruka", "addressees": [], "kind": "explicit"}]}}}', encoding="utf-8")
    assert fanfic_speakers.check(tmp_path / "speakers.json") == 1
