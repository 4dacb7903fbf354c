import json
from importlib import resources
from pathlib import Path

import pytest

EXAMPLE_STORY = Path(str(resources.files("ficlens").joinpath("examples/spur_of_the_moment.txt")))


@pytest.fixture(scope="session")
def story_schema():
    return json.loads(resources.files("ficlens").joinpath("schema/story.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_story():
    """The bundled example analysed once for the whole session (it loads spaCy)."""
    import ficlens

    return ficlens.analyze(EXAMPLE_STORY, fandom="naruto")


def fixture_analyser(folder: Path, stages: tuple[str, ...]):
    """``analyse(name)``: the story ``folder/name`` run through ``stages``, each file analysed once."""
    from ficlens.ingest import from_text
    from ficlens.pipeline import Options, run

    done = {}

    def analyse(name):
        if name not in done:
            text = (folder / name).read_text(encoding="utf-8")
            done[name] = run(from_text(text), Options(stages=stages))
        return done[name]

    return analyse
