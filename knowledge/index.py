"""The inverted index over normalised terms of a knowledge base.

All text work happens once, when the index is built: every entry's phrasings, tags and answer become
terms (stems, synonym groups, compound parts) with precomputed BM25F impacts, so answering a
question only looks terms up. `knowledge.query` reads questions against this vocabulary.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from knowledge.compounds import Decompounder
from knowledge.entry import Entry, Language
from knowledge.normaliser import Stems, Token, is_stop_word, token, words
from knowledge.synonyms import GROUP_PREFIX, SYNONYM_GROUPS, SynonymTable
from knowledge.typos import TypoCorrector

PHRASING, META, ANSWER = 1, 2, 4
"""Field flags: the question and its alternatives, tags and id, the answer text."""

FIELD_WEIGHTS = {PHRASING: 1.0, META: 0.5, ANSWER: 0.3}
"""Questions and alternatives say what an entry is about; tags help; the answer text only hints."""

K1 = 1.2
B = 0.75
SATURATION = K1 + 1
SHORT_STEM = 5
"""Words whose stem is shorter than this are indexed as spelt (see `Index.stem`)."""
TOP_POSTINGS = 300
"""Candidates come from each term's strongest entries only, so very common terms stay cheap."""

_LIGHT_SUFFIXES = ("en", "es", "er", "e", "n", "s")
_FIELDS = (PHRASING, META, ANSWER)


@dataclass(frozen=True, slots=True)
class Word:
    """A word read in one language: its index term, the terms of its compound parts, and flags."""

    surface: str
    stem: str
    term: str
    parts: tuple[str, ...]
    content: bool
    """False for stop words and stray letters, which are kept only to find phrases."""
    bag: tuple[str, ...] = ()
    """The terms this word adds to a text: its own and its parts', none for a stop word."""


@dataclass(frozen=True, slots=True)
class Postings:
    """For one term: the entries that have it (sorted) and how strongly (BM25F saturation, without
    idf); for very common terms also the strongest entries first."""

    entries: array[int]
    strengths: array[float]
    top_entries: array[int]
    top_strengths: array[float]
    """The `TOP_POSTINGS` strongest entries, or all of them; candidates are gathered from these."""

    def __contains__(self, entry: int) -> bool:
        position = bisect_left(self.entries, entry)
        return position < len(self.entries) and self.entries[position] == entry


@dataclass(frozen=True, slots=True)
class EntryTerms:
    """What the scorer needs of one entry beyond the postings: each phrasing's terms and text."""

    phrasings: tuple[tuple[str, ...], ...]
    texts: tuple[str, ...]
    """Each phrasing's content words, folded, for character-level comparison."""
    phrasing_terms: tuple[str, ...]
    """All phrasings' terms together."""
    meta: tuple[str, ...]
    """The terms of the tags and id."""

    def field(self, term: str, postings: Postings | None, number: int) -> int:
        """Where in this entry (number `number`) a term occurs: PHRASING, META, ANSWER or 0."""
        if term in self.phrasing_terms:
            return PHRASING
        if term in self.meta:
            return META
        if postings is not None and number in postings:
            return ANSWER
        return 0


class Index:
    """BM25F postings, per-entry phrasing terms, and the vocabulary questions are read against."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.stems = Stems()
        self.synonyms = SynonymTable(SYNONYM_GROUPS, self.stems)
        texts = [_entry_words(entry) for entry in self.entries]
        written, meta_only = _written_words(self.entries, texts)
        surface_df = _surface_frequencies(written)
        self.decompounder = Decompounder(_lexicon(surface_df, self.synonyms.words))
        builder = _Builder(self, _average_lengths(texts))
        for language, found in written.items():
            builder.learn(found, language)
        for number, entry in enumerate(self.entries):
            builder.add(number, entry, texts[number])
            texts[number] = ((), (), ())
        count = len(self.entries)
        self.idf: dict[str, float] = {term: _idf(len(ids), count) for term, (ids, _) in builder.collected.items()}
        self.unknown_idf = _idf(1, max(count, 1))
        """The weight of a word no entry has: as specific as the rarest known word."""
        self.whole_terms: frozenset[str] = frozenset(
            word.term
            for language, counts in written.items()
            for raw in counts
            if raw not in meta_only[language] and (word := builder.cache[language][raw]).content
        )
        """Terms of whole words (not only of compound parts): what a joined question word may be."""
        written_words = [word for language in written for word in builder.cache[language].values() if word.content]
        self.written_terms: frozenset[str] = frozenset(word.term for word in written_words)
        """Terms of words the entries write, tags and ids included; the rest are compound parts."""
        self.postings: dict[str, Postings] = builder.postings()
        self.terms: tuple[EntryTerms, ...] = tuple(builder.entry_terms)
        self.typos = TypoCorrector(self._correction_targets(surface_df))

    def __len__(self) -> int:
        return len(self.entries)

    def is_written(self, term: str) -> bool:
        """Whether a term is a word (or synonym group) of the entries, not only a piece of one."""
        return term.startswith(GROUP_PREFIX) or term in self.written_terms

    def stem(self, surface: str, language: Language) -> str:
        """The stem a word is indexed by; a word whose stem would be short keeps its spelling, since
        short stems join different words ("sicher", "sichern" and "Sicherung" all stem to "sich",
        "backe" and "back" to "back")."""
        stem = self.stems.stem(surface, language)
        return stem if len(stem) >= SHORT_STEM else surface

    def term(self, surface: str, language: Language) -> str:
        """The index term of a folded word: its synonym group, or else its stem."""
        stem = self.stem(surface, language)
        return self.synonyms.word(surface, stem) or stem

    def word(self, written: Token, language: Language) -> Word:
        """Read one token in a language: term, compound parts, whether it carries content.

        Only German words are split into compound parts; English writes compounds apart.
        """
        surface = written.surface
        stem = self.stem(surface, language)
        content = (len(surface) > 1 or surface.isdigit()) and not is_stop_word(surface)
        if not content:
            return Word(surface, stem, stem, (), False)
        split = written.pieces or (self.decompounder.split(surface) if language == "de" else ())
        parts = tuple(self.term(part, language) for part in split if len(part) > 1 and not is_stop_word(part))
        term = self.synonyms.word(surface, stem) or self._hyphenated_phrase(written.pieces, language) or stem
        return Word(surface, stem, term, parts, True, (term, *parts))

    def _hyphenated_phrase(self, pieces: tuple[str, ...], language: Language) -> str | None:
        """The synonym group of a hyphenated word whose pieces form a phrase ("Online-Meeting")."""
        if len(pieces) < 2:
            return None
        return self.synonyms.phrase(pieces) or self.synonyms.phrase(
            tuple(self.stems.stem(piece, language) for piece in pieces)
        )

    def phrase_at(self, text: Sequence[Word], position: int) -> tuple[int, str] | None:
        """A synonym phrase starting at `position`, longest first: its length in words and its term."""
        first = text[position]
        for length in self.synonyms.lengths(first.surface, first.stem):
            if length > len(text) - position:
                continue
            window = text[position : position + length]
            term = self.synonyms.phrase(tuple(word.surface for word in window)) or self.synonyms.phrase(
                tuple(word.stem for word in window)
            )
            if term is not None:
                return length, term
        return None

    def _correction_targets(self, surface_df: Counter[str]) -> dict[str, int]:
        """Known spellings a typo may be corrected to: the entries' words and synonyms of their terms."""
        targets = dict(surface_df)
        for word, term in self.synonyms.words.items():
            if term in self.idf and word not in targets:
                targets[word] = 1
        return targets


_Text = tuple[str, ...]
_Fields = tuple[tuple[_Text, ...], _Text, _Text]
"""An entry's written words: per phrasing, in tags and id, in the answer. Tuples, because the
garbage collector stops tracking tuples of strings, and a million tracked words slow it badly."""


class _Builder:
    """Collects postings entry by entry; each distinct written word is read only once.

    Counting runs in C (Counter over chained word bags); Python code touches each posting once.
    """

    def __init__(self, index: Index, averages: tuple[float, float, float]) -> None:
        self.index = index
        self.averages = averages
        self.cache: dict[Language, dict[str, Word]] = {"de": {}, "en": {}}
        self.phrase_starts: set[str] = set()
        self.collected: dict[str, tuple[array[int], array[float]]] = {}
        """Per term: the entries that have it and the BM25F saturation there."""
        self.entry_terms: list[EntryTerms] = []

    def learn(self, raw: Iterable[str], language: Language) -> None:
        """Read every written word, once."""
        cache = self.cache[language]
        for written in raw:
            word = self.index.word(token(written), language)
            cache[written] = word
            if self.index.synonyms.may_start(word.surface, word.stem):
                self.phrase_starts.add(written)

    def bag(self, raw: _Text, language: Language) -> list[str]:
        """The terms of a text, repeated as often as they occur: each word's term and parts, and
        synonym phrases."""
        terms = list(chain.from_iterable(map(_BAG, map(self.cache[language].__getitem__, raw))))
        if not self.phrase_starts.isdisjoint(raw):
            terms.extend(self.phrases(raw, language))
        return terms

    def phrases(self, raw: _Text, language: Language) -> list[str]:
        """The terms of the synonym phrases in a text (only where a phrase may start)."""
        terms = []
        cache = self.cache[language]
        synonyms = self.index.synonyms
        for position in range(len(raw) - 1):
            if raw[position] not in self.phrase_starts:
                continue
            first, second = cache[raw[position]], cache[raw[position + 1]]
            if not synonyms.may_continue((first.surface, second.surface), (first.stem, second.stem)):
                continue
            window = [cache[other] for other in raw[position : position + synonyms.longest_phrase]]
            found = self.index.phrase_at(window, 0)
            if found is not None:
                terms.append(found[1])
        return terms

    def add(self, number: int, entry: Entry, fields: _Fields) -> None:
        """Add one entry's postings (BM25F over its three fields) and its phrasing terms."""
        phrasings, meta, answer = fields
        language = entry.lang
        cache = self.cache[language]
        bags = [self.bag(raw, language) for raw in phrasings]
        texts = tuple(
            " ".join(word.surface for word in map(cache.__getitem__, raw) if word.content) for raw in phrasings
        )
        phrasing_counts = Counter(chain.from_iterable(bags))
        meta_counts = Counter(self.bag(meta, language))
        self.entry_terms.append(
            EntryTerms(
                tuple(tuple(dict.fromkeys(bag)) for bag in bags), texts, tuple(phrasing_counts), tuple(meta_counts)
            )
        )
        lengths = (sum(len(raw) for raw in phrasings), len(meta), len(answer))
        phrasing_norm, meta_norm, answer_norm = (
            FIELD_WEIGHTS[flag] / (1 - B + B * lengths[slot] / self.averages[slot])
            for slot, flag in enumerate(_FIELDS)
        )
        answer_counts = Counter(chain.from_iterable(map(_BAG, map(cache.__getitem__, answer))))
        if not self.phrase_starts.isdisjoint(answer):
            answer_counts.update(self.phrases(answer, language))
        frequencies = {term: times * answer_norm for term, times in answer_counts.items()}
        for counts, norm in ((meta_counts, meta_norm), (phrasing_counts, phrasing_norm)):
            for term, times in counts.items():
                frequencies[term] = frequencies.get(term, 0.0) + times * norm
        collected = self.collected
        for term, frequency in frequencies.items():
            found = collected.get(term)
            if found is None:
                found = collected[term] = (array("i"), array("f"))
            found[0].append(number)
            found[1].append(frequency * SATURATION / (frequency + K1))

    def postings(self) -> dict[str, Postings]:
        """The collected postings, with the strongest entries of very common terms set apart."""
        found = {}
        for term, (entries, values) in self.collected.items():
            if len(entries) > TOP_POSTINGS:
                strongest = sorted(range(len(entries)), key=values.__getitem__, reverse=True)[:TOP_POSTINGS]
                top = (array("i", [entries[i] for i in strongest]), array("f", [values[i] for i in strongest]))
            else:
                top = (entries, values)
            found[term] = Postings(entries, values, *top)
        return found


_BAG = attrgetter("bag")


def _idf(frequency: int, count: int) -> float:
    """BM25's inverse document frequency, always positive."""
    return math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))


def _entry_words(entry: Entry) -> _Fields:
    """The written words of an entry's fields; the id counts as a tag (ids are descriptive slugs)."""
    phrasings = tuple(tuple(words(phrasing)) for phrasing in entry.phrasings)
    meta = tuple(words(" ".join((*entry.tags, entry.id))))
    return phrasings, meta, tuple(words(entry.answer))


def _average_lengths(texts: list[_Fields]) -> tuple[float, float, float]:
    """Average words per entry in each field, for BM25's length normalisation."""
    count = max(1, len(texts))
    phrasings = sum(len(raw) for fields in texts for raw in fields[0]) / count
    meta = sum(len(fields[1]) for fields in texts) / count
    answer = sum(len(fields[2]) for fields in texts) / count
    return max(1.0, phrasings), max(1.0, meta), max(1.0, answer)


def _written_words(
    entries: Sequence[Entry], texts: list[_Fields]
) -> tuple[dict[Language, Counter[str]], dict[Language, set[str]]]:
    """In how many entries of each language each written word occurs, and which words occur only
    in tags and ids (those are no targets for joining a question's words)."""
    found: dict[Language, Counter[str]] = {"de": Counter(), "en": Counter()}
    meta_words: dict[Language, set[str]] = {"de": set(), "en": set()}
    text_words: dict[Language, set[str]] = {"de": set(), "en": set()}
    for entry, (phrasings, meta, answer) in zip(entries, texts, strict=True):
        words_of_text = set().union(*phrasings, answer)
        found[entry.lang].update(words_of_text.union(meta))
        meta_words[entry.lang].update(meta)
        text_words[entry.lang].update(words_of_text)
    return found, {language: meta_words[language] - text_words[language] for language in found}


def _surface_frequencies(written: dict[Language, Counter[str]]) -> Counter[str]:
    """In how many entries each folded word (and each piece of a hyphenated word) occurs."""
    frequencies: Counter[str] = Counter()
    for counts in written.values():
        for raw, frequency in counts.items():
            if raw.isalpha():
                frequencies[raw] += frequency
                continue
            read = token(raw)
            for surface in {read.surface, *read.pieces}:
                frequencies[surface] += frequency
    for word in [word for word in frequencies if is_stop_word(word)]:
        del frequencies[word]
    return frequencies


def _lexicon(surface_df: Counter[str], synonym_words: dict[str, str]) -> set[str]:
    """Words compounds may be made of: known words, their bare forms, and synonyms."""
    lexicon = set(surface_df) | set(synonym_words)
    for word in list(lexicon):
        for suffix in _LIGHT_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 5:
                lexicon.add(word[: -len(suffix)])
    return lexicon
