"""The inverted index over normalised terms of a knowledge base, and reading questions against it.

All text work happens once when the index is built: every entry's phrasings, answer and tags become
sets of terms (stems, synonym groups, compound parts) with precomputed BM25F weights. A question
is analysed against the index's own vocabulary (compounds, joins, typos, both languages), so
matching only looks terms up.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.compounds import Decompounder
from knowledge.entry import Entry, Language
from knowledge.normaliser import Stems, Token, guess_language, is_stop_word, tokenize
from knowledge.synonyms import SYNONYM_GROUPS, SynonymTable
from knowledge.typos import TypoCorrector

PHRASING_WEIGHT = 1.0
META_WEIGHT = 0.5
ANSWER_WEIGHT = 0.3
"""Questions and alternatives say what an entry is about; tags help; the answer text only hints."""

K1 = 1.2
B = 0.75
TYPO_CREDIT = 0.85
"""A corrected word is good evidence, but less certain than a word spelt as the entry spells it."""

_LIGHT_SUFFIXES = ("en", "es", "er", "e", "n", "s")


@dataclass(frozen=True)
class Unit:
    """One thing a question mentions: a word, a compound or a synonym phrase.

    `terms` are alternative readings with how sure each is; `parts` are the terms of its pieces,
    partial evidence when no whole reading is known; `weight` is how specific it is (idf).
    """

    surface: str
    terms: tuple[tuple[str, float], ...]
    parts: tuple[str, ...]
    weight: float

    @property
    def known(self) -> bool:
        """Whether the knowledge base knows this unit at all, whole or in parts."""
        return bool(self.terms or self.parts)


@dataclass(frozen=True)
class Query:
    """A question read against one index."""

    units: tuple[Unit, ...]
    language: Language | None
    text: str
    """The content words, folded, for character-level comparison."""

    @property
    def terms(self) -> frozenset[str]:
        """Every term the question may mean, whole or part."""
        found: set[str] = set()
        for unit in self.units:
            found.update(term for term, _ in unit.terms)
            found.update(unit.parts)
        return frozenset(found)


@dataclass(frozen=True)
class EntryTerms:
    """The terms of one entry by field, precomputed for scoring."""

    phrasings: tuple[frozenset[str], ...]
    phrasing_texts: tuple[str, ...]
    all_phrasings: frozenset[str]
    meta: frozenset[str]
    answer: frozenset[str]


@dataclass(frozen=True)
class _Word:
    """A word of a text with its term and the terms of its compound parts."""

    surface: str
    term: str
    parts: tuple[str, ...]


class Index:
    """BM25F postings, field term sets and the vocabulary a question is read against."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.stems = Stems()
        self.synonyms = SynonymTable(SYNONYM_GROUPS, self.stems)
        texts = [_entry_texts(entry) for entry in self.entries]
        surface_df = _surface_frequencies(texts)
        self.decompounder = Decompounder(_lexicon(surface_df, self.synonyms.words))
        self._words: dict[tuple[str, Language], _Word] = {}
        bags = [self._entry_bags(entry, fields) for entry, fields in zip(self.entries, texts, strict=True)]
        self.terms: tuple[EntryTerms, ...] = tuple(terms for terms, _ in bags)
        document_frequency: Counter[str] = Counter()
        for terms in self.terms:
            document_frequency.update(terms.all_phrasings | terms.meta | terms.answer)
        count = len(self.entries)
        self.idf: dict[str, float] = {
            term: _idf(frequency, count) for term, frequency in document_frequency.items()
        }
        self.unknown_idf = _idf(1, max(count, 1))
        self.whole_terms: frozenset[str] = frozenset(
            word.term for word in self._words.values() if word.term in self.idf
        )
        self.postings = self._postings([counts for _, counts in bags])
        self.typos = TypoCorrector(self._correction_targets(surface_df))
        self.phrasing_mass: tuple[tuple[float, ...], ...] = tuple(
            tuple(sum(self.idf[term] for term in phrasing) for phrasing in terms.phrasings)
            for terms in self.terms
        )

    def __len__(self) -> int:
        return len(self.entries)

    # Building

    def _word(self, surface: str, pieces: tuple[str, ...], language: Language, remember: bool) -> _Word:
        cached = self._words.get((surface, language))
        if cached is None:
            split = pieces or self.decompounder.split(surface)
            parts = tuple(
                self.term(part, language) for part in split if len(part) > 1 and not is_stop_word(part)
            )
            cached = _Word(surface, self.term(surface, language), parts)
            if remember:
                self._words[(surface, language)] = cached
        return cached

    def term(self, word: str, language: Language) -> str:
        """The index term of a folded word: its synonym group, or else its stem."""
        stem = self.stems.stem(word, language)
        return self.synonyms.word(word, stem) or stem

    def _text_words(self, tokens: Sequence[Token], language: Language, remember: bool = True) -> list[_Word]:
        """The words of a text with synonym phrases taken as one word; `remember` caches them (index only)."""
        words: list[_Word] = []
        position = 0
        while position < len(tokens):
            phrase = self._phrase_at(tokens, position, language)
            if phrase is not None:
                length, term = phrase
                inner = [self._word(t.surface, t.pieces, language, remember) for t in tokens[position : position + length]]
                parts = tuple(word.term for word in inner if not is_stop_word(word.surface))
                words.append(_Word(" ".join(t.surface for t in tokens[position : position + length]), term, parts))
                position += length
                continue
            token = tokens[position]
            position += 1
            if _is_content(token.surface):
                words.append(self._word(token.surface, token.pieces, language, remember))
        return words

    def _phrase_at(self, tokens: Sequence[Token], position: int, language: Language) -> tuple[int, str] | None:
        longest = min(self.synonyms.longest_phrase, len(tokens) - position)
        for length in range(longest, 1, -1):
            window = tokens[position : position + length]
            surfaces = tuple(token.surface for token in window)
            term = self.synonyms.phrase(surfaces) or self.synonyms.phrase(
                tuple(self.stems.stem(surface, language) for surface in surfaces)
            )
            if term is not None:
                return length, term
        return None

    def _entry_bags(
        self, entry: Entry, fields: tuple[list[list[Token]], list[Token], list[Token]]
    ) -> tuple[EntryTerms, tuple[Counter[str], Counter[str], Counter[str]]]:
        phrasing_tokens, meta_tokens, answer_tokens = fields
        phrasing_sets: list[frozenset[str]] = []
        phrasing_texts: list[str] = []
        phrasing_counts: Counter[str] = Counter()
        for tokens in phrasing_tokens:
            words = self._text_words(tokens, entry.lang)
            terms = _word_terms(words)
            phrasing_counts.update(terms)
            phrasing_sets.append(frozenset(terms))
            phrasing_texts.append(" ".join(word.surface for word in words))
        meta_counts = Counter(_word_terms(self._text_words(meta_tokens, entry.lang)))
        answer_counts = Counter(_word_terms(self._text_words(answer_tokens, entry.lang)))
        terms = EntryTerms(
            phrasings=tuple(phrasing_sets),
            phrasing_texts=tuple(phrasing_texts),
            all_phrasings=frozenset(phrasing_counts),
            meta=frozenset(meta_counts),
            answer=frozenset(answer_counts),
        )
        return terms, (phrasing_counts, meta_counts, answer_counts)

    def _postings(
        self, counts: list[tuple[Counter[str], Counter[str], Counter[str]]]
    ) -> dict[str, tuple[array[int], array[float]]]:
        """BM25F impact of every term in every entry that has it, ready to be summed at query time."""
        weights = (PHRASING_WEIGHT, META_WEIGHT, ANSWER_WEIGHT)
        averages = [max(1.0, sum(sum(c[field].values()) for c in counts) / max(1, len(counts))) for field in range(3)]
        collected: dict[str, tuple[list[int], list[float]]] = {}
        for number, fields in enumerate(counts):
            lengths = [sum(field.values()) for field in fields]
            norms = [
                weights[field] / (1 - B + B * lengths[field] / averages[field]) for field in range(3)
            ]
            combined: Counter[str] = Counter()
            for field, field_counts in enumerate(fields):
                for term, frequency in field_counts.items():
                    combined[term] += frequency * norms[field]
            for term, frequency in combined.items():
                impact = self.idf[term] * frequency * (K1 + 1) / (frequency + K1)
                ids, impacts = collected.setdefault(term, ([], []))
                ids.append(number)
                impacts.append(impact)
        return {term: (array("i", ids), array("f", impacts)) for term, (ids, impacts) in collected.items()}

    def _correction_targets(self, surface_df: Counter[str]) -> dict[str, int]:
        """Known spellings a typo may be corrected to: the entries' words and synonyms of their terms."""
        targets = dict(surface_df)
        for word, term in self.synonyms.words.items():
            if term in self.idf and word not in targets:
                targets[word] = 1
        return targets

    # Questions

    def analyse(self, question: str) -> Query:
        """Read a question against this index's vocabulary."""
        language = guess_language(question)
        order: tuple[Language, Language] = ("en", "de") if language == "en" else ("de", "en")
        tokens = self._join_tokens(tokenize(question), order)
        words = self._text_words(tokens, order[0], remember=False)
        units = self._join(words, order)
        return Query(
            units=tuple(units),
            language=language,
            text=" ".join(word.surface for word in words),
        )

    def _join_tokens(self, tokens: list[Token], order: tuple[Language, Language]) -> list[Token]:
        """Neighbouring words spelt apart that the knowledge base writes as one ("Whats App")."""
        joined: list[Token] = []
        position = 0
        while position < len(tokens):
            for size in (3, 2, 1):
                window = tokens[position : position + size]
                if len(window) < size:
                    continue
                surface = "".join(token.surface for token in window)
                if size == 1 or self._known_term(surface, order, self.whole_terms) is not None:
                    pieces = tuple(piece for token in window for piece in (token.pieces or (token.surface,)))
                    joined.append(Token(surface, pieces if size > 1 else window[0].pieces))
                    position += size
                    break
        return joined

    def _join(self, words: list[_Word], order: tuple[Language, Language]) -> list[Unit]:
        """Units of a question, joining neighbours that the knowledge base knows as one compound."""
        units: list[Unit] = []
        position = 0
        while position < len(words):
            joined = self._joined_unit(words, position, order)
            if joined is not None:
                unit, used = joined
                units.append(unit)
                position += used
                continue
            units.append(self._unit(words[position], order))
            position += 1
        return units

    def _joined_unit(
        self, words: list[_Word], position: int, order: tuple[Language, Language]
    ) -> tuple[Unit, int] | None:
        for size in (3, 2):
            window = words[position : position + size]
            if len(window) < size or any(" " in word.surface for word in window):
                continue
            candidates = (
                ["".join(word.surface for word in window)]
                if size == 3
                else self.decompounder.joins(window[0].surface, window[1].surface)
            )
            for candidate in candidates:
                term = self._known_term(candidate, order, self.whole_terms)
                if term is not None:
                    parts = tuple(self._unit(word, order) for word in window)
                    part_terms = tuple(term for unit in parts for term, _ in unit.terms[:1])
                    return Unit(candidate, ((term, 1.0),), part_terms, self.idf[term]), size
        return None

    def _known_term(self, surface: str, order: tuple[Language, Language], known: Iterable[str]) -> str | None:
        for language in order:
            term = self.term(surface, language)
            if term in known:
                return term
        return None

    def _unit(self, word: _Word, order: tuple[Language, Language]) -> Unit:
        """Readings of one question word: as spelt, in the other language, in parts, or corrected."""
        if word.term in self.idf:
            return Unit(word.surface, ((word.term, 1.0),), self._known(word.parts), self.idf[word.term])
        if " " not in word.surface:
            other = self._known_term(word.surface, order[1:], self.idf)
            if other is None and word.surface.endswith("s") and len(word.surface) > 3:
                other = self._known_term(word.surface[:-1], order, self.idf)
            if other is not None:
                return Unit(word.surface, ((other, 1.0),), (), self.idf[other])
        parts = self._known(word.parts)
        if parts:
            weight = max(self.idf[part] for part in parts)
            return Unit(word.surface, (), parts if len(parts) == len(word.parts) else word.parts, weight)
        correction = self.typos.correct(word.surface)
        if correction is not None:
            term = self._known_term(correction.word, order, self.idf)
            if term is not None:
                credit = TYPO_CREDIT ** correction.distance
                return Unit(word.surface, ((term, credit),), (), self.idf[term])
        return Unit(word.surface, (), (), self.unknown_idf)

    def _known(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(part for part in parts if part in self.idf)


def _idf(frequency: int, count: int) -> float:
    return math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))


def _is_content(surface: str) -> bool:
    return (len(surface) > 1 or surface.isdigit()) and not is_stop_word(surface)


def _word_terms(words: list[_Word]) -> list[str]:
    terms: list[str] = []
    for word in words:
        terms.append(word.term)
        terms.extend(word.parts)
    return terms


def _entry_texts(entry: Entry) -> tuple[list[list[Token]], list[Token], list[Token]]:
    phrasings = [tokenize(phrasing) for phrasing in entry.phrasings]
    meta = tokenize(" ".join((*entry.tags, entry.id)))
    return phrasings, meta, tokenize(entry.answer)


def _surface_frequencies(texts: list[tuple[list[list[Token]], list[Token], list[Token]]]) -> Counter[str]:
    """In how many entries each folded word (and each piece of a hyphenated word) occurs."""
    frequencies: Counter[str] = Counter()
    for phrasings, meta, answer in texts:
        seen: set[str] = set()
        for tokens in (*phrasings, meta, answer):
            for token in tokens:
                seen.add(token.surface)
                seen.update(token.pieces)
        frequencies.update(word for word in seen if not is_stop_word(word))
    return frequencies


def _lexicon(surface_df: Counter[str], synonym_words: dict[str, str]) -> set[str]:
    """Words compounds may be made of: known words, their bare forms, and synonyms."""
    lexicon = set(surface_df) | set(synonym_words)
    for word in list(lexicon):
        for suffix in _LIGHT_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 5:
                lexicon.add(word[: -len(suffix)])
    return lexicon
