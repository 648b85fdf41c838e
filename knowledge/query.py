"""Reading a member's question against the vocabulary of one index.

A question word may be spelt apart where the knowledge base joins it ("Barriere freiheit"), be a
German separable verb ("fangen wir an"), be in the other language, be a compound of known parts,
or carry a typo. Each question word becomes a unit with its possible readings and a weight.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from knowledge.dictionary import is_word
from knowledge.entry import Language
from knowledge.index import Index, Word
from knowledge.normaliser import Token, guess_language, is_stop_word, tokenize

PART_CREDIT = 0.8
"""All pieces of one written compound found apart in an entry are good, but weaker evidence."""
WRITTEN_APART = 1.0
"""Words the member wrote apart and the knowledge base joins are full evidence when found apart."""
TYPO_CREDIT = 0.85
"""A corrected word is good evidence, but less certain than a word spelt as the entry spells it."""

NUMBER_WEIGHT = 0.3
"""A number in a question is mostly a quantity ("30 Maßnahmen"), seldom the topic."""

MAX_TOKENS = 60
"""Questions are short; a pasted page is read by its first words only, so it cannot slow matching."""

SEPARABLE_PARTICLES = frozenset(
    "an auf aus ab ein mit vor zu los dar fest weg zurueck nach um bei hin her durch zusammen".split()
)
_CLAUSE_END = re.compile(r"[,.;:!?–—()]+")


@dataclass(frozen=True)
class Unit:
    """One thing a question mentions: a word, a compound or a synonym phrase.

    `terms` are alternative readings with how sure each is; `parts` are the terms of its pieces,
    partial evidence when no whole reading is found in an entry; `weight` is how specific it is.
    """

    surface: str
    terms: tuple[tuple[str, float], ...]
    parts: tuple[str, ...]
    part_weights: tuple[float, ...]
    weight: float
    part_credit: float = PART_CREDIT
    """How much all parts found separately are worth: less for the pieces of one written compound
    than for words the member wrote apart and the knowledge base joins ("Whats App")."""
    weak: bool = False
    """Known only by a coincidence of spelling: its term is a mere piece of the knowledge base's
    words, it differs from a known word only by its ending ("backe" and "back"), or it is a real word
    of its own read as a typo of a known one ("backen" and "bauen"). Such a unit ranks entries but
    never carries an answer."""

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
    terms: frozenset[str]
    """Every term the question may mean, whole or part."""

    @property
    def unknown(self) -> bool:
        """Whether a word of the question is unknown to the knowledge base: then what the entries
        share with the question may be the lesser part of it ("Wie schreibe ich einen Liebesbrief?")."""
        return any(not unit.known and not unit.surface.isdigit() for unit in self.units)


def read(index: Index, question: str) -> Query:
    """Read a question against an index's vocabulary."""
    language = guess_language(question)
    order: tuple[Language, Language] = ("en", "de") if language == "en" else ("de", "en")
    reader = _Reader(index, order)
    tokens = reader.join_tokens(reader.clause_tokens(question)[:MAX_TOKENS])
    words = reader.words(tokens)
    units = tuple(reader.units(words))
    terms = frozenset(
        term for unit in units for term in (*(term for term, _ in unit.terms), *unit.parts)
    )
    return Query(units, language, " ".join(word.surface for word in words), terms)


class _Reader:
    """The steps of reading one question, in the question's language first and the other second."""

    def __init__(self, index: Index, order: tuple[Language, Language]) -> None:
        self.index = index
        self.order = order

    def known_term(self, surface: str, known: Collection[str], languages: tuple[Language, ...] = ()) -> str | None:
        """The term of a word in the first language (of `languages`, else the question's order) in
        which it is among `known`."""
        for language in languages or self.order:
            term = self.index.term(surface, language)
            if term in known:
                return term
        return None

    def clause_tokens(self, question: str) -> list[Token]:
        """Tokens with German separable verbs put back together ("womit fangen wir an")."""
        tokens: list[Token] = []
        for clause in _CLAUSE_END.split(question):
            clause_tokens = tokenize(clause)
            if len(clause_tokens) > 1 and clause_tokens[-1].surface in SEPARABLE_PARTICLES:
                particle = clause_tokens[-1].surface
                for position, token in enumerate(clause_tokens[:-1]):
                    if is_stop_word(token.surface) or token.pieces:
                        continue
                    if self.known_term(particle + token.surface, self.index.whole_terms) is not None:
                        clause_tokens[position] = Token(particle + token.surface)
                        break
            tokens.extend(clause_tokens)
        return tokens

    def join_tokens(self, tokens: list[Token]) -> list[Token]:
        """Neighbouring words spelt apart that the knowledge base writes as one ("Whats App")."""
        joined: list[Token] = []
        position = 0
        while position < len(tokens):
            for size in (3, 2, 1):
                window = tokens[position : position + size]
                if len(window) < size:
                    continue
                surface = "".join(token.surface for token in window)
                if size == 1:
                    joined.append(window[0])
                elif self.known_term(surface, self.index.whole_terms) is not None:
                    pieces = tuple(piece for token in window for piece in (token.pieces or (token.surface,)))
                    joined.append(Token(surface, pieces))
                else:
                    continue
                position += size
                break
        return joined

    def words(self, tokens: list[Token]) -> list[Word]:
        """Content words, with synonym phrases ("data protection officer") taken as one word."""
        text = [self.index.word(token, self.order[0]) for token in tokens]
        found: list[Word] = []
        position = 0
        while position < len(text):
            phrase = self.index.phrase_at(text, position)
            if phrase is not None:
                length, term = phrase
                inner = text[position : position + length]
                parts = tuple(word.term for word in inner if word.content)
                surface = " ".join(word.surface for word in inner)
                found.append(Word(surface, surface, term, parts, True, (term, *parts)))
                position += length
                continue
            if text[position].content:
                found.append(text[position])
            position += 1
        return found

    def units(self, words: list[Word]) -> list[Unit]:
        """Units of a question, joining neighbours that the knowledge base knows as one compound."""
        units: list[Unit] = []
        position = 0
        while position < len(words):
            joined = self.joined_unit(words, position)
            if joined is not None:
                unit, used = joined
                units.append(unit)
                position += used
                continue
            units.append(self.unit(words[position]))
            position += 1
        return units

    def joined_unit(self, words: list[Word], position: int) -> tuple[Unit, int] | None:
        """Two or three neighbours forming a known compound, in either order ("Antrag auf Fördermittel")."""
        for size in (3, 2):
            window = words[position : position + size]
            if len(window) < size or any(" " in word.surface for word in window):
                continue
            candidates = (
                ["".join(word.surface for word in window)]
                if size == 3
                else self.index.decompounder.joins(window[0].surface, window[1].surface)
            )
            for candidate in candidates:
                term = self.known_term(candidate, self.index.whole_terms)
                if term is not None:
                    readings = [self.unit(word) for word in window]
                    parts = tuple(unit.terms[0][0] for unit in readings if unit.terms)
                    return self.make(candidate, ((term, 1.0),), parts, self.index.idf[term], WRITTEN_APART), size
        return None

    def unit(self, word: Word) -> Unit:
        """Readings of one question word: as spelt, in the other language, in parts, or corrected."""
        idf = self.index.idf
        if word.surface.isdigit():
            readings = ((word.term, 1.0),) if word.term in idf else ()
            return self.make(word.surface, readings, (), idf.get(word.term, self.index.unknown_idf) * NUMBER_WEIGHT)
        index = self.index
        if word.term in idf:
            parts = tuple(part for part in word.parts if part in idf)
            credit = WRITTEN_APART if " " in word.surface else PART_CREDIT
            return self.make(word.surface, ((word.term, 1.0),), parts, idf[word.term], credit,
                             weak=not index.is_written(word.term))
        if " " not in word.surface:
            other = self.known_term(word.surface, idf, self.order[1:])
            if other is None and word.surface.endswith("s") and len(word.surface) > 3:
                other = self.known_term(word.surface[:-1], idf)
            if other is not None:
                weak = not index.is_written(other)
                return self.make(word.surface, ((other, 1.0),), (), idf[other], weak=weak)
        known_parts = [part for part in word.parts if part in idf]
        if known_parts and len(known_parts) == len(word.parts):
            return self.make(word.surface, (), word.parts, max(idf[part] for part in known_parts))
        correction = index.typos.correct(word.surface)
        if correction is not None:
            term = self.known_term(correction.word, idf)
            if term is not None:
                other_form = word.surface.startswith(correction.word) or correction.word.startswith(word.surface)
                coincidence = other_form or not index.is_written(term) or is_word(word.surface)
                return self.make(word.surface, ((term, TYPO_CREDIT**correction.distance),), (), idf[term],
                                 weak=coincidence)
        if known_parts:
            return self.make(word.surface, (), word.parts, max(idf[part] for part in known_parts))
        return self.make(word.surface, (), (), index.unknown_idf)

    def make(
        self,
        surface: str,
        terms: tuple[tuple[str, float], ...],
        parts: tuple[str, ...],
        weight: float,
        part_credit: float = PART_CREDIT,
        weak: bool = False,
    ) -> Unit:
        """A unit whose parts are weighted by idf (a part unknown to the knowledge base by the most)."""
        part_weights = tuple(self.index.idf.get(part, self.index.unknown_idf) for part in parts)
        return Unit(surface, terms, parts, part_weights, weight, part_credit, weak)
