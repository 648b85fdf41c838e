"""Where encoded texts are kept, so each text is encoded once per model.

A vector is stored under the model id and the hash of the text as it is read (`text_key`), so
an unchanged entry is never encoded again, a changed one only for its changed texts, and two
entries sharing a phrasing share its vector. The running bot keeps them in its database
(`bot.knowledge_base.StoredVectors`); `lotse ask --kb DIR` without a database uses a cache file.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from knowledge.encoder import EncoderThread, Role, Vectors, text_key

Vector = bytes
"""A float32 row as raw bytes (little-endian, `dimension` values)."""


class VectorStore(Protocol):
    """Persisted vectors by model id and text key."""

    async def load(self, model_id: str, keys: Collection[str]) -> dict[str, Vector]:
        """The stored vectors among `keys`; missing keys are simply absent."""
        ...

    async def save(self, model_id: str, vectors: Mapping[str, Vector]) -> None: ...


class MemoryVectors:
    """Vectors kept for the life of the process only (tests, one-off benchmarks)."""

    def __init__(self) -> None:
        self._vectors: dict[tuple[str, str], Vector] = {}

    async def load(self, model_id: str, keys: Collection[str]) -> dict[str, Vector]:
        return {key: self._vectors[model_id, key] for key in keys if (model_id, key) in self._vectors}

    async def save(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        for key, vector in vectors.items():
            self._vectors[model_id, key] = vector


class FileVectors:
    """Vectors in an SQLite file of their own (stdlib `sqlite3`), for answering from a folder of
    Markdown files without Lotse's database. Safe to delete: it only saves encoding time."""

    _CHUNK = 500

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS text_vectors (model_id TEXT NOT NULL, text_key TEXT NOT NULL, "
            "vector BLOB NOT NULL, PRIMARY KEY (model_id, text_key))"
        )
        return connection

    def _load(self, model_id: str, keys: list[str]) -> dict[str, Vector]:
        found: dict[str, Vector] = {}
        with self._connect() as connection:
            for start in range(0, len(keys), self._CHUNK):
                chunk = keys[start : start + self._CHUNK]
                rows = connection.execute(
                    f"SELECT text_key, vector FROM text_vectors WHERE model_id = ? AND text_key IN "
                    f"({', '.join('?' * len(chunk))})",
                    (model_id, *chunk),
                )
                found.update((key, bytes(vector)) for key, vector in rows)
        return found

    def _save(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO text_vectors (model_id, text_key, vector) VALUES (?, ?, ?)",
                [(model_id, key, vector) for key, vector in vectors.items()],
            )

    async def load(self, model_id: str, keys: Collection[str]) -> dict[str, Vector]:
        return await asyncio.to_thread(self._load, model_id, list(keys))

    async def save(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        if vectors:
            await asyncio.to_thread(self._save, model_id, dict(vectors))


class Vectorizer:
    """Turns texts into vectors through the store first and the encoder for the rest, in batches
    on the encoder's thread, saving what it encoded. Counts what it encoded, for the log."""

    def __init__(self, encoder: EncoderThread, store: VectorStore, batch: int = 8) -> None:
        self.encoder = encoder
        self.store = store
        self.batch = max(1, batch)
        self.encoded = 0

    @property
    def model_id(self) -> str:
        return self.encoder.encoder.model_id

    @property
    def dimension(self) -> int:
        return self.encoder.encoder.dimension

    async def vectors(self, texts: Sequence[tuple[str, Role]], keep: bool = True) -> dict[str, Vectors]:
        """Each distinct (text, role) as a vector, by its `text_key`; `keep=False` does not store what
        it encodes (members' questions, compared while the caller holds a write transaction)."""
        wanted = {text_key(text, role): (text, role) for text, role in texts}
        stored = await self.store.load(self.model_id, wanted)
        found = {key: _row(vector, self.dimension) for key, vector in stored.items()}
        missing = [key for key in wanted if key not in found or found[key] is None]
        for role in Role:
            keys = [key for key in missing if wanted[key][1] is role]
            for start in range(0, len(keys), self.batch):
                chunk = keys[start : start + self.batch]
                rows = await self.encoder.encode([wanted[key][0] for key in chunk], role)
                if keep:
                    encoded = {key: row.tobytes() for key, row in zip(chunk, rows, strict=True)}
                    await self.store.save(self.model_id, encoded)
                found.update(zip(chunk, rows, strict=True))
                self.encoded += len(chunk)
        return {key: vector for key, vector in found.items() if vector is not None}


def _row(vector: Vector, dimension: int) -> Vectors | None:
    """A stored vector as a float32 row, or None if it does not have the model's dimension."""
    row = np.frombuffer(vector, dtype="<f4")
    return row if row.size == dimension else None
