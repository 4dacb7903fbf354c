"""Network stage and its GEXF/GraphML export, on a hand-built story with known quotes and scenes."""

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from ficlens.errors import OptionsError
from ficlens.export_network import network_graph, write_network
from ficlens.model import Edge
from ficlens.stages import network

from .story_builder import build_story, fixture_text

PEOPLE = {
    "iruka": ("Iruka", "M"),
    "kakashi": ("Kakashi", "M"),
    "naruto": ("Naruto", "M"),
    "sakura": ("Sakura", "F"),
}
QUOTES = [
    ("naruto", ["iruka"]),
    ("iruka", ["naruto"]),
    ("iruka", ["naruto"]),
    ("naruto", ["iruka"]),
    ("sakura", ["kakashi"]),
    ("kakashi", ["sakura"]),
    ("sakura", ["kakashi"]),
]


@pytest.fixture
def story():
    story = build_story(fixture_text("network", "two_scenes.txt"), PEOPLE, QUOTES)
    network.run(story, None)
    return story


def test_dialogue_edges_count_lines_speaker_to_addressee(story):
    dialogue = [e for e in story.network.edges if e.kind == "dialogue"]
    assert dialogue == [
        Edge("iruka", "naruto", 2.0, "dialogue"),
        Edge("kakashi", "sakura", 1.0, "dialogue"),
        Edge("naruto", "iruka", 2.0, "dialogue"),
        Edge("sakura", "kakashi", 2.0, "dialogue"),
    ]


def test_copresence_stays_inside_scenes_and_windows(story):
    copresence = [e for e in story.network.edges if e.kind == "copresence"]
    # Scene 1 has four paragraphs: windows [1-3] (Naruto, Iruka, Sakura) and [4] (Naruto, Iruka).
    # Scene 2: windows [1-3] (Kakashi, Sakura) and [4] (Sakura, speaking to Kakashi).
    assert copresence == [
        Edge("iruka", "naruto", 2.0, "copresence"),
        Edge("iruka", "sakura", 1.0, "copresence"),
        Edge("kakashi", "sakura", 2.0, "copresence"),
        Edge("naruto", "sakura", 1.0, "copresence"),
    ]
    # Kakashi never shares a scene with Iruka or Naruto.
    assert not [e for e in copresence if "kakashi" in (e.source, e.target) and "sakura" not in (e.source, e.target)]


def test_graph_merges_both_kinds_per_pair(story):
    graph = network_graph(story)
    assert set(graph.nodes) == {"iruka", "kakashi", "naruto", "sakura"}
    assert graph.nodes["sakura"]["mentions"] == 4
    assert graph.nodes["naruto"]["label"] == "Naruto"
    edge = graph.edges["kakashi", "sakura"]
    assert (edge["dialogue"], edge["copresence"], edge["weight"]) == (3.0, 2.0, 5.0)
    assert (edge["source_id"], edge["lines_source_to_target"], edge["lines_target_to_source"]) == ("kakashi", 1.0, 2.0)
    assert not graph.has_edge("iruka", "kakashi")


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_export_round_trips(story, tmp_path, suffix):
    path = write_network(story, tmp_path / f"net{suffix}")
    graph = nx.read_gexf(path) if suffix == ".gexf" else nx.read_graphml(path)
    assert sorted(graph.nodes) == ["iruka", "kakashi", "naruto", "sakura"]
    assert graph.edges["iruka", "naruto"]["weight"] == 6.0
    assert graph.nodes["kakashi"]["mentions"] == 3
    ET.parse(path)  # well-formed XML


def test_export_rejects_unknown_extension(story, tmp_path):
    with pytest.raises(OptionsError, match=r"\.gexf or \.graphml"):
        write_network(story, tmp_path / "net.csv")


def test_example_story_network_and_schema(example_story, story_schema, tmp_path):
    import jsonschema

    names = {c.id: c.name for c in example_story.characters}
    dialogue = {(names[e.source], names[e.target]): e.weight for e in example_story.network.edges if e.kind == "dialogue"}
    assert dialogue[("Hatake Kakashi", "Umino Iruka")] >= 5
    assert dialogue[("Umino Iruka", "Hatake Kakashi")] >= 4
    copresence = [e for e in example_story.network.edges if e.kind == "copresence"]
    assert all(e.source < e.target for e in copresence)
    jsonschema.validate(example_story.to_dict(), story_schema)
    graph = nx.read_graphml(write_network(example_story, tmp_path / "example.graphml"))
    assert graph.number_of_nodes() == len(example_story.characters)
