"""Lexical likeness of members' texts, the one place features compare words: whether two questions
ask the same thing (the same stemmed content words, in any order, allowing small differences) and
whether a word stands for a curated term (the matching feature's challenges), and which offered
option a typed answer names. The semantic side
is the encoder's cosine (`FaqIndex`)."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from knowledge.entry import Language
from knowledge.normaliser import Stems, content_words, fold, guess_language

SAME_QUESTION_SCORE = 80.0
"""rapidfuzz token-sort ratio from which two questions' keys count as the same question."""
SAME_WORD_RATIO = 86
"""rapidfuzz ratio from which two folded words count as the same (one typo in a long word)."""
COMPOUND_PART = 6
"""A term at least this long also matches at the start or end of a compound ("Fördermittelantrag")."""
SAME_LABEL_SCORE = 80
"""rapidfuzz WRatio from which a typed answer counts as one of the offered options."""


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


def word_likeness(word: str, term: str) -> float:
    """How well a folded word of a member's text stands for a folded term: 1 the same word, 0.9 the
    term as start or end of a compound, 0.8 a typo apart, else 0."""
    if word == term:
        return 1.0
    if len(term) >= COMPOUND_PART and (word.startswith(term) or word.endswith(term)):
        return 0.9
    if min(len(word), len(term)) >= 4 and fuzz.ratio(word, term) >= SAME_WORD_RATIO:
        return 0.8
    return 0.0


def closest_label(text: str, labels: Sequence[str]) -> int | None:
    """The position of the offered label a typed answer names, in any case and with typos; None
    if none is alike enough."""
    found = process.extractOne(fold(text), [fold(label) for label in labels], scorer=fuzz.WRatio)
    return found[2] if found is not None and found[1] >= SAME_LABEL_SCORE else None
