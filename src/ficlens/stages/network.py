"""Stage 'network': who talks to whom, and who shares the page with whom.

Two kinds of edge in ``story.network.edges``:

* ``dialogue`` (directed): speaker -> addressee, weight = lines of dialogue (quotations) the speaker addresses to
  that character; one edge per ordered pair.
* ``copresence`` (undirected, ``source < target`` by id): the body of each scene is cut into windows of
  ``COPRESENCE_WINDOW`` consecutive paragraphs; weight = the number of windows in which both characters are
  present (mentioned, speaking, or spoken to).  Windows never cross a scene break, so two people named in
  different scenes are not co-present.

The export to GEXF/GraphML is in :mod:`ficlens.export_network`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from ..model import Edge, Network, Story
from ._body import MentionIndex, QuoteIndex, body_paragraphs

COPRESENCE_WINDOW = 3  # paragraphs


def dialogue_edges(story: Story) -> list[Edge]:
    known = {c.id for c in story.characters}
    lines: Counter[tuple[str, str]] = Counter()
    for quote in story.quotes:
        if not quote.speaker or quote.speaker not in known:
            continue
        for addressee in dict.fromkeys(quote.addressees):
            if addressee != quote.speaker and addressee in known:
                lines[(quote.speaker, addressee)] += 1
    return [Edge(s, t, float(n), "dialogue") for (s, t), n in sorted(lines.items())]


def paragraph_presence(story: Story) -> list[set[str]]:
    """For each body paragraph, the characters present in it."""
    known = {c.id for c in story.characters}
    mentions = MentionIndex(story.mentions)
    quotes = QuoteIndex(story.quotes)
    present = []
    for paragraph in body_paragraphs(story):
        here = {m.character for m in mentions.within(paragraph.start, paragraph.end)}
        for quote in quotes.within(paragraph.start, paragraph.end):
            here.update(c for c in [quote.speaker, *quote.addressees] if c)
        present.append({c for c in here if c in known})
    return present


def copresence_edges(story: Story, window: int = COPRESENCE_WINDOW) -> list[Edge]:
    paragraphs = body_paragraphs(story)
    present = paragraph_presence(story)
    by_scene: dict[int, list[int]] = defaultdict(list)
    for i, paragraph in enumerate(paragraphs):
        by_scene[paragraph.scene].append(i)
    windows: Counter[tuple[str, str]] = Counter()
    for indices in by_scene.values():
        for k in range(0, len(indices), window):
            together = set().union(*(present[i] for i in indices[k : k + window]))
            for a, b in combinations(sorted(together), 2):
                windows[(a, b)] += 1
    return [Edge(a, b, float(n), "copresence") for (a, b), n in sorted(windows.items())]


def run(story: Story, ctx) -> None:
    story.network = Network(edges=dialogue_edges(story) + copresence_edges(story))
