"""A second encoder backend: a sentence-transformers model in a local folder.

For operators who want a larger or another model than the bundled one. Nothing is downloaded:
the folder must hold a saved sentence-transformers model (`SentenceTransformer.save(...)` or a
copy of a model repository), and `sentence-transformers` must be installed separately. For e5
models keep the default prefixes; for models trained without them set both to "".
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from knowledge.encoder import EncoderUnavailable, ModelIdentity, Role, Vectors, normalised


class LocalModelEncoder(ModelIdentity):
    """`Encoder` over `sentence_transformers.SentenceTransformer` loaded from a folder, on the CPU."""

    def __init__(self, model: Any, model_id: str, query_prefix: str, passage_prefix: str) -> None:
        super().__init__(model_id, int(model.get_sentence_embedding_dimension()))
        self._model = model
        self._prefixes = {Role.QUERY: query_prefix, Role.PASSAGE: passage_prefix}

    def encode(self, texts: Sequence[str], role: Role) -> Vectors:
        prefix = self._prefixes[role]
        vectors = self._model.encode([prefix + text for text in texts], batch_size=32, convert_to_numpy=True,
                                     normalize_embeddings=True, show_progress_bar=False)
        return normalised(vectors).reshape(len(texts), self._dimension)


def load_local_encoder(folder: Path, query_prefix: str = "query: ", passage_prefix: str = "passage: ",
                       threads: int = 2) -> LocalModelEncoder:
    """Load the model in `folder`; its id includes a hash of the folder's configuration files, so
    vectors of another model saved under the same name are not reused."""
    if not folder.is_dir():
        raise EncoderUnavailable(f"no model folder at {folder}")
    try:
        torch = importlib.import_module("torch")
        torch.set_num_threads(threads)
        library = importlib.import_module("sentence_transformers")
        model = library.SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as error:
        raise EncoderUnavailable(f"the model in {folder} cannot be loaded: {error}") from error
    digest = hashlib.sha256()
    for name in sorted(path.name for path in folder.glob("*.json")):
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return LocalModelEncoder(model, f"local/{folder.name}/{digest.hexdigest()[:12]}", query_prefix, passage_prefix)
