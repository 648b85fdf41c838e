"""The live index of the published entries: what the FAQ answers from, and curation searches and
groups with.

It holds one `Matcher` at a time. A change of the stored entries (seen through
`KnowledgeBase.revision()`, checked at most every few seconds, or applied at once by curation)
builds a new lexical matcher straight away; the semantic view is added when the entries' vectors
are there, which after a restart means loading them and after an edit encoding only what
changed. Until then, and whenever the encoder is unavailable, questions are answered lexically.
All use of the encoder and of a semantic matcher runs on the encoder's own thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import numpy as np

from bot.health import HealthReporter, State
from bot.knowledge_base import KnowledgeBase
from knowledge.encoder import EncoderUnavailable, Role, Vectors, text_key
from knowledge.entry import Entry
from knowledge.likeness import most_alike
from knowledge.matcher import REMEMBERED_QUESTIONS, Candidate, Match, Matcher, Thresholds
from knowledge.semantic import entry_texts
from knowledge.vectors import Vectorizer

log = logging.getLogger(__name__)

RELOAD_CHECK_EVERY = timedelta(seconds=5)
INLINE_TEXTS = 64
"""A change needing at most this many new vectors is encoded before the next answer; a larger one
(an import elsewhere) in the background, answering lexically meanwhile."""
RETRY_AFTER = timedelta(seconds=60)
ATTEMPTS = 3
"""After a failure the semantic index is built again after `RETRY_AFTER`, at most this many times."""
COMPARED_GROUPS = 500
"""A new question is compared with at most this many (the most recent) open groups."""
SAME_QUESTION_COSINE = 0.92
"""Cosine of two questions' vectors from which they count as the same question: on the public
evaluation set no two questions for different entries came this close (pairs for the same
entry mostly differ more, so the lexical key comparison stays the main rule)."""
COMPONENT = "semantic index"
"""The name under which the index reports its state on the health board."""


class FaqIndex:
    """The published entries as one matcher, kept current.

    `semantic` opens the encoder (with the vector store) when the index is first used, so
    commands that never answer a question never load a model; without it, or when it raises
    `EncoderUnavailable`, the index is lexical only and says so once, with the reason.
    """

    def __init__(
        self,
        knowledge_base: KnowledgeBase,
        thresholds: Thresholds,
        max_choices: int,
        clock: Callable[[], datetime],
        semantic: Callable[[], Vectorizer] | None = None,
        health: HealthReporter | None = None,
        lexical_reason: str = "no encoder is configured",
    ) -> None:
        self._knowledge_base = knowledge_base
        self._thresholds = thresholds
        self._max_choices = max_choices
        self._clock = clock
        self._open_semantic = semantic
        self._semantic: Vectorizer | None = None
        self._health = health
        self._lexical_reason = lexical_reason
        self._matcher = Matcher([], thresholds, max_choices)
        self._entries: dict[str, Entry] = {}
        self._revision: object = None
        self._checked_at: datetime | None = None
        self._lock = asyncio.Lock()
        self._upgrade: asyncio.Task[None] | None = None
        self._questions: OrderedDict[str, Vectors] = OrderedDict()
        self._failures = 0
        self._retry_at: datetime | None = None

    @property
    def matcher(self) -> Matcher:
        return self._matcher

    @property
    def semantic_ready(self) -> bool:
        return self._matcher.semantic

    async def entries(self) -> dict[str, Entry]:
        """The published entries by id, as of the last refresh."""
        await self.refresh()
        return self._entries

    async def match(self, question: str) -> Match:
        """Answer, choices or unknown for a question (repeated questions come from memory)."""
        await self.refresh()
        matcher = self._matcher
        remembered = matcher.remembered(question)
        if remembered is not None:
            return remembered
        if not matcher.semantic or self._semantic is None:
            return matcher.match(question)
        try:
            return await self._semantic.encoder.run(matcher.match, question)
        except Exception as error:  # the engine failed at run time: answer lexically until it is rebuilt
            self._semantic_failed(error)
            return self._matcher.match(question)

    async def search(self, text: str, limit: int = 10) -> list[Candidate]:
        """The published entries most like a text, best first, by both views when available."""
        await self.refresh()
        matcher = self._matcher
        if matcher.semantic and self._semantic is not None:
            try:
                return await self._semantic.encoder.run(matcher.rank, text, limit)
            except Exception as error:
                self._semantic_failed(error)
        return self._matcher.rank(text, limit)

    async def vectors(self, texts: Sequence[str]) -> Vectors | None:
        """Question vectors (one row per text), for comparing questions with each other; None when
        Lotse answers lexically. Kept in memory, not stored: callers may hold a write transaction."""
        if self._semantic is None or not self._matcher.semantic or not texts:
            return None
        missing = list(dict.fromkeys(text for text in texts if text not in self._questions))
        try:
            found = await self._semantic.vectors([(text, Role.QUERY) for text in missing], keep=False)
        except Exception as error:
            self._semantic_failed(error)
            return None
        for text in missing:
            self._questions[text] = found[text_key(text, Role.QUERY)]
        rows = np.stack([self._questions[text] for text in texts])
        for text in texts:
            self._questions.move_to_end(text)
        while len(self._questions) > REMEMBERED_QUESTIONS:
            self._questions.popitem(last=False)
        return rows

    async def same_question(self, text: str, key: str, others: Sequence[tuple[str, str]]) -> int | None:
        """Which of `others` (text, key) asks what `text` (with `key`) asks: the position of the most
        alike by stemmed words, or else by meaning; None if none is alike enough."""
        if not others:
            return None
        lexical = most_alike(key, [other_key for _, other_key in others])
        if lexical is not None:
            return lexical[0]
        offset = max(0, len(others) - COMPARED_GROUPS)
        vectors = await self.vectors([text, *(other for other, _ in others[offset:])])
        if vectors is None:
            return None
        cosines = vectors[1:] @ vectors[0]
        best = int(np.argmax(cosines))
        return offset + best if float(cosines[best]) >= SAME_QUESTION_COSINE else None

    async def refresh(self, now: bool = False) -> None:
        """Rebuild the matcher when the stored entries changed; at most every few seconds unless
        `now` (a change made through Lotse, which must be answered before it is confirmed)."""
        moment = self._clock()
        if not now and self._checked_at is not None and moment - self._checked_at < RELOAD_CHECK_EVERY:
            return
        async with self._lock:
            if self._checked_at is None:
                await self._open()
            self._checked_at = moment
            revision = await self._knowledge_base.revision()
            retry = self._retry_at is not None and moment >= self._retry_at
            if revision == self._revision and not retry:
                return
            self._retry_at = None
            entries = await self._knowledge_base.published()
            previous = self._matcher
            lexical = await asyncio.to_thread(Matcher, entries, self._thresholds, self._max_choices)
            self._entries = {entry.id: entry for entry in entries}
            self._revision = revision
            if self._semantic is None:
                self._matcher = lexical
                log.info("knowledge base loaded: %d published entries", len(entries))
                return
            known = previous.vectors()
            missing = sum(text_key(*text) not in known for entry in entries for text in entry_texts(entry))
            if previous.semantic and (now or missing <= INLINE_TEXTS):
                try:
                    if await self._with_vectors(lexical, known, revision):
                        return
                except Exception as error:
                    self._semantic_failed(error)
                    self._matcher = lexical
                    return
            self._matcher = lexical
            log.info("knowledge base loaded: %d published entries; the semantic index is being built", len(entries))
            self._start_upgrade(lexical, revision)

    async def _open(self) -> None:
        """Open the encoder on first use, or say once why Lotse answers lexically."""
        opener, self._open_semantic = self._open_semantic, None
        if opener is None:
            self._announce(State.RUNNING, f"lexical only: {self._lexical_reason}", logging.WARNING)
            return
        try:
            self._semantic = await asyncio.to_thread(opener)
        except EncoderUnavailable as error:
            self._announce(State.DEGRADED, f"lexical only: {error}", logging.WARNING)
            return
        self._announce(State.STARTING, f"encoder {self._semantic.model_id} loaded", logging.INFO)

    async def wait_until_ready(self) -> None:
        """Wait for the semantic index under construction (tests, benchmarks, `lotse ask`)."""
        await self.refresh()
        task = self._upgrade
        if task is not None:
            await asyncio.shield(task)

    async def close(self) -> None:
        """Stop a build in progress and the encoder's thread."""
        task = self._upgrade
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        if self._semantic is not None:
            self._semantic.encoder.close()

    def _start_upgrade(self, lexical: Matcher, revision: object) -> None:
        task = self._upgrade
        if task is not None and not task.done():
            task.cancel()
        self._upgrade = asyncio.get_running_loop().create_task(self._build(lexical, revision))

    async def _build(self, lexical: Matcher, revision: object) -> None:
        """Load or encode every vector, then answer semantically too (in the background at start)."""
        semantic = self._semantic
        assert semantic is not None
        self._announce(State.STARTING, f"building for {len(lexical)} entries", logging.INFO)
        started = time.perf_counter()
        encoded_before = semantic.encoded
        try:
            ready = await self._with_vectors(lexical, {}, revision)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self._semantic_failed(error)
            return
        if ready:
            log.info("semantic index ready: %d entries, %d texts encoded, %.1f s (%s)", len(lexical),
                     semantic.encoded - encoded_before, time.perf_counter() - started, semantic.model_id)

    async def _with_vectors(self, lexical: Matcher, known: dict[str, Vectors], revision: object) -> bool:
        """Give `lexical` the semantic view, encoding what `known` and the store lack; True if it is
        now the current matcher (False if the entries changed meanwhile)."""
        semantic = self._semantic
        assert semantic is not None
        texts = [text for entry in lexical.entries for text in entry_texts(entry)]
        missing = [text for text in texts if text_key(*text) not in known]
        vectors = {**known, **await semantic.vectors(missing)} if missing else known
        hybrid = await semantic.encoder.run(lexical.with_semantic, semantic.encoder.encoder, vectors)
        if revision != self._revision:
            return False
        self._matcher = hybrid
        self._failures = 0
        self._announce(State.RUNNING, f"{len(hybrid)} entries, {semantic.model_id}", logging.DEBUG)
        return True

    def _semantic_failed(self, error: Exception) -> None:
        """Answer lexically after a failure of the encoder or of loading vectors; build again later
        (a database hiccup passes), and after `ATTEMPTS` failures in a row stay lexical."""
        if self._semantic is None:
            return
        self._matcher = Matcher(self._matcher.entries, self._thresholds, self._max_choices)
        self._failures += 1
        if self._failures >= ATTEMPTS:
            self._semantic.encoder.close()
            self._semantic = None
            self._announce(State.DEGRADED, f"lexical only from now on: the semantic index failed {ATTEMPTS} times, "
                                           f"last: {error!r}", logging.ERROR)
            return
        self._retry_at = self._clock() + RETRY_AFTER
        self._announce(State.DEGRADED, f"lexical for now: the semantic index failed ({error!r}); building it again "
                                       f"in {RETRY_AFTER.seconds} s", logging.WARNING)

    def _announce(self, state: State, detail: str, level: int) -> None:
        """One line per change: through the health board when there is one (it logs), else the log."""
        if self._health is not None:
            self._health.report(COMPONENT, state, detail)
        else:
            log.log(level, "%s: %s", COMPONENT, detail)
