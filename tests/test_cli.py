import json
import subprocess
import sys

import jsonschema

import ficlens

from .conftest import EXAMPLE_STORY


def ficlens_cli(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "ficlens.cli", *args], input=stdin, capture_output=True, timeout=120
    )


def test_version():
    result = ficlens_cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"ficlens {ficlens.__version__}"


def test_help_lists_the_commands_and_options():
    top = ficlens_cli("--help").stdout.decode()
    for command in ("analyze", "report", "example"):
        assert command in top
    analyze_help = ficlens_cli("analyze", "--help").stdout.decode()
    for option in ("--format", "--output", "--characters", "--fandom", "--max-mb"):
        assert option in analyze_help


def test_usage_errors_exit_2():
    assert ficlens_cli("analyze").returncode == 2
    assert ficlens_cli("analyze", str(EXAMPLE_STORY), "--format", "yaml").returncode == 2


def test_json_from_standard_input_validates(story_schema):
    result = ficlens_cli("analyze", "-", "--format", "json", stdin=EXAMPLE_STORY.read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    document = json.loads(result.stdout)
    jsonschema.validate(document, story_schema)
    assert document["source"] == "-"
    assert document["text"] == EXAMPLE_STORY.read_text(encoding="utf-8")


def test_output_file_and_text_summary(tmp_path):
    out = tmp_path / "summary.txt"
    result = ficlens_cli("analyze", str(EXAMPLE_STORY), "--fandom", "naruto", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    summary = out.read_text(encoding="utf-8")
    assert "The Things We Carry Home" in summary
    assert "Structure" in summary and "disclaimer" in summary


def test_bad_option_value_is_one_line_error(tmp_path):
    result = ficlens_cli("analyze", str(EXAMPLE_STORY), "--fandom", "hetalia")
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unknown fandom 'hetalia'")


def test_network_export_gexf_and_graphml(tmp_path):
    import networkx as nx

    for suffix, reader in ((".gexf", nx.read_gexf), (".graphml", nx.read_graphml)):
        target = tmp_path / f"network{suffix}"
        result = ficlens_cli(
            "analyze", str(EXAMPLE_STORY), "--fandom", "naruto", "-o", str(tmp_path / "out.json"),
            "-f", "json", "--network-out", str(target),
        )
        assert result.returncode == 0, result.stderr.decode()
        graph = reader(target)
        labels = {data["label"] for _, data in graph.nodes(data=True)}
        assert {"Hatake Kakashi", "Umino Iruka"} <= labels


def test_network_export_refuses_an_unknown_extension_before_working(tmp_path):
    result = ficlens_cli("analyze", str(EXAMPLE_STORY), "--network-out", str(tmp_path / "net.txt"))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "error: --network-out must end in .gexf or .graphml, not 'net.txt'"
