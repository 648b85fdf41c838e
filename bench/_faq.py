"""What the FAQ benchmarks share: the evaluation sets, their questions, and the bundled encoder
with a vector cache, so a second run does not encode again. Not a benchmark itself."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge.bundled_encoder import load_bundled_encoder  # noqa: E402
from knowledge.encoder import Encoder, EncoderThread, EncodingSettings, Role, Vectors, text_key  # noqa: E402
from knowledge.entry import Entry  # noqa: E402
from knowledge.semantic import entry_texts  # noqa: E402
from knowledge.vectors import FileVectors, Vectorizer  # noqa: E402

CACHE = ROOT / ".cache" / "bench-vectors.sqlite"
"""Vectors of the evaluation sets' texts and questions; delete it to measure a cold encoding."""

SECOND_SET = ROOT / "bench" / "eval" / "cwa-faq"

DEVELOPMENT_SET = ROOT / "bench" / "eval" / "grundsteuer-faq"
"""A third domain on which the confidence rules may be developed (its per-question results may be read)."""


@dataclass(frozen=True)
class Question:
    """One labelled question; `expect` is empty when the knowledge base does not answer it."""

    text: str
    expect: frozenset[str]
    kind: str


def public_set() -> Path:
    """The public evaluation data: LOTSE_FAQ_EVAL, or shared/faq-eval beside the repository (or
    beside the folder of worktrees it is in)."""
    override = os.environ.get("LOTSE_FAQ_EVAL")
    if override:
        return Path(override)
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "faq-eval").is_dir():
            return base / "shared" / "faq-eval"
    return ROOT.parent / "shared" / "faq-eval"


def load_questions(path: Path) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            expect = record["expect"]
            ids = [expect] if isinstance(expect, str) else list(expect or [])
            questions.append(Question(record["q"], frozenset(ids), record.get("kind", "")))
    return questions


class RecordedQuestions:
    """The bundled encoder with the questions of a run encoded ahead (through the cache): the
    vectors are the encoder's own, only computed once per text."""

    def __init__(self, encoder: Encoder, vectors: dict[str, Vectors]) -> None:
        self._encoder = encoder
        self._vectors = vectors

    @property
    def model_id(self) -> str:
        return self._encoder.model_id

    @property
    def dimension(self) -> int:
        return self._encoder.dimension

    def encode(self, texts: Sequence[str], role: Role) -> Vectors:
        import numpy as np

        rows = [self._vectors.get(text_key(text, role)) for text in texts]
        if any(row is None for row in rows):
            return self._encoder.encode(texts, role)
        return np.stack([row for row in rows if row is not None])


def encoded(entries: Sequence[Entry], questions: Sequence[str], settings: EncodingSettings | None = None,
            cache: Path = CACHE) -> tuple[RecordedQuestions, dict[str, Vectors], int]:
    """The encoder, the vectors of every entry text and question, and how many were encoded now."""
    encoder = load_bundled_encoder(settings or EncodingSettings())
    thread = EncoderThread(encoder)
    vectorizer = Vectorizer(thread, FileVectors(cache), batch=(settings or EncodingSettings()).batch)
    texts = [text for entry in entries for text in entry_texts(entry)]
    texts += [(question, Role.QUERY) for question in questions]
    try:
        vectors = asyncio.run(vectorizer.vectors(texts))
    finally:
        thread.close()
    return RecordedQuestions(encoder, vectors), vectors, vectorizer.encoded
