"""Whether two members' questions ask the same thing, lexically: the same stemmed content words,
in any order, allowing small differences. The semantic side is the encoder's cosine (`FaqIndex`)."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from knowledge.entry import Language
from knowledge.normaliser import Stems, content_words, guess_language

SAME_QUESTION_SCORE = 80.0
"""rapidfuzz token-sort ratio from which two questions' keys count as the same question."""


class QuestionKeys:
    """Reduces questions to what identifies them: the sorted stems of their content words."""

    def __init__(self) -> None:
        self._stems = Stems()

    def key(self, text: str, language: Language) -> str:
        stem_language = guess_language(text) or language
        return " ".join(sorted(self._stems.stem(word, stem_language) for word in content_words(text)))


def most_alike(key: str, keys: Sequence[str]) -> tuple[int, float] | None:
    """The position and likeness (0 to 100) of the key most like `key`, if one is alike enough."""
    if not key or not keys:
        return None
    found = process.extractOne(key, list(keys), scorer=fuzz.token_sort_ratio, score_cutoff=SAME_QUESTION_SCORE)
    return (found[2], float(found[1])) if found is not None else None
