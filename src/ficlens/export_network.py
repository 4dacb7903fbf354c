"""The interaction network as a networkx graph, written as GEXF (Gephi) or GraphML.

One undirected edge per pair of characters, with attributes:
``weight`` (dialogue lines both ways + co-presence windows), ``dialogue`` (lines both ways),
``lines_source_to_target`` / ``lines_target_to_source`` (the directed dialogue counts, ``source`` and
``target`` being the edge's endpoints as stored, source < target by id) and ``copresence``.
Nodes carry ``label`` (the tag name), ``name`` (display name), ``mentions`` (their size), ``quotes`` and
``gender`` (empty when unknown: GraphML cannot store a null).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .errors import OptionsError
from .model import Story

FORMATS = {".gexf": "gexf", ".graphml": "graphml"}


def network_graph(story: Story) -> nx.Graph:
    """Characters as nodes, the story's dialogue and co-presence edges merged per pair."""
    if not story.network.edges and (story.quotes or story.mentions):
        from .stages import network  # a Story read without the network stage

        network.run(story, None)
    graph = nx.Graph()
    for character in story.characters:
        graph.add_node(
            character.id,
            label=character.canonical_name or character.name,
            name=character.name,
            mentions=character.mentions,
            quotes=character.quotes,
            gender=character.gender or "",
        )
    for edge in story.network.edges:
        a, b = sorted((edge.source, edge.target))
        for node in (a, b):
            if node not in graph:
                graph.add_node(node, label=node, name=node, mentions=0, quotes=0, gender="")
        if not graph.has_edge(a, b):
            graph.add_edge(
                a, b, source_id=a, target_id=b, weight=0.0, dialogue=0.0, copresence=0.0,
                lines_source_to_target=0.0, lines_target_to_source=0.0,
            )
        data = graph.edges[a, b]
        data["weight"] += edge.weight
        if edge.kind == "dialogue":
            data["dialogue"] += edge.weight
            key = "lines_source_to_target" if edge.source == a else "lines_target_to_source"
            data[key] += edge.weight
        else:
            data["copresence"] += edge.weight
    return graph


def write_network(story: Story, path: str | Path) -> Path:
    """Write the network to ``path``; the extension chooses the format (``.gexf`` or ``.graphml``)."""
    target = Path(path)
    kind = FORMATS.get(target.suffix.lower())
    if kind is None:
        raise OptionsError(f"network file must end in .gexf or .graphml, not {target.name!r}")
    graph = network_graph(story)
    try:
        if kind == "gexf":
            nx.write_gexf(graph, target)
        else:
            nx.write_graphml(graph, target)
    except OSError as exc:
        raise OptionsError(f"cannot write network file {target}: {exc.strerror or exc}") from None
    return target
