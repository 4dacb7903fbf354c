"""Stage 'relationships' (not written yet: it adds nothing)."""


def run(story, ctx) -> None:
    return None
