"""The composition root: the one place that turns configuration into a running Lotse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.audit import AuditLog
from bot.config import KnowledgeSettings, Settings
from bot.dialogues import Dialogues
from bot.doctor import Finding
from bot.features import digest as digest_feature
from bot.features import kompass as kompass_feature
from bot.features import matching as matching_feature
from bot.features.curation import Curation
from bot.features.faq import Faq, thresholds_from
from bot.features.faq_index import FaqIndex
from bot.features.kompass.files import read_items
from bot.features.personal_data import PersonalDataRequests
from bot.features.web_signin import WebSignIn
from bot.features.welcome import Welcome
from bot.health import HealthBoard
from bot.knowledge_base import KnowledgeBase, StoredVectors
from bot.members import Members
from bot.messages import ChatPlatform, PlatformStopped
from bot.metrics import NO_METRICS, Metrics
from bot.outbox import Outbox, OutboxWorker
from bot.platforms import Platforms
from bot.privacy import Pseudonyms
from bot.roles import Roles
from bot.router import Router
from bot.scheduler import Job, Scheduler
from bot.storage.database import Database
from bot.storage.platform_state import StoredPlatformState
from knowledge.encoder import Encoder, EncoderThread, EncoderUnavailable, EncodingSettings, text_key
from knowledge.entry import Entry
from knowledge.files import read_files
from knowledge.matcher import Matcher
from knowledge.semantic import entry_texts
from knowledge.vectors import Vectorizer, VectorStore

log = logging.getLogger(__name__)

STARTER_IMPORTER = "lotse:starter"


def known_platforms() -> Platforms:
    """Every platform Lotse has an adapter for, with what its adapter declares it can do."""
    from adapters.console import CAPABILITIES as CONSOLE
    from adapters.matrix.capabilities import CAPABILITIES as MATRIX
    from adapters.telegram.capabilities import CAPABILITIES as TELEGRAM

    return Platforms({"telegram": TELEGRAM, "matrix": MATRIX, "console": CONSOLE})


def utc_now() -> datetime:
    return datetime.now(UTC)


def starter_folder() -> Path:
    """The starter knowledge base shipped inside the package."""
    return Path(str(files("knowledge") / "starter"))


@dataclass
class Lotse:
    """The assembled core: storage, knowledge base, features and the conversation adapters talk to."""

    settings: Settings
    clock: Callable[[], datetime]
    database: Database
    platforms: Platforms
    health: HealthBoard
    knowledge_base: KnowledgeBase
    roles: Roles
    members: Members
    dialogues: Dialogues
    audit_log: AuditLog
    outbox: Outbox
    faq: Faq
    vectors: StoredVectors
    curation: Curation
    digest: digest_feature.Digest
    matching: matching_feature.Matching
    kompass: kompass_feature.KompassParts
    conversation: Router
    jobs: list[Job]
    web_signin: WebSignIn
    metrics: Metrics = NO_METRICS

    def platform_state(self, platform: str) -> StoredPlatformState:
        return StoredPlatformState(self.database, platform)

    async def close(self) -> None:
        await self.faq.index.close()
        await self.database.close()


def semantic_opener(settings: KnowledgeSettings, store: VectorStore) -> Callable[[], Vectorizer] | None:
    """How to open the encoder the configuration names, with the store for its vectors; None for
    lexical matching only. Opening raises `EncoderUnavailable` where the encoder cannot load."""
    if settings.encoder == "none":
        return None
    encoding = EncodingSettings(threads=settings.encoder_threads)

    def open_encoder() -> Vectorizer:
        encoder: Encoder
        if settings.encoder == "local" and settings.model_dir is not None:
            from knowledge.local_encoder import load_local_encoder

            encoder = load_local_encoder(settings.model_dir, threads=settings.encoder_threads)
        else:
            from knowledge.bundled_encoder import load_bundled_encoder

            encoder = load_bundled_encoder(encoding)
        return Vectorizer(EncoderThread(encoder), store, encoding.batch)

    return open_encoder


def vector_cache(settings: KnowledgeSettings) -> Path:
    """Where `lotse ask --kb DIR` keeps vectors without a database: configured, or the user's cache."""
    import platformdirs

    return settings.vector_cache or Path(platformdirs.user_cache_dir("lotse")) / "vectors.sqlite"


async def ask_matcher(settings: KnowledgeSettings, entries: Sequence[Entry], store: VectorStore,
                      note: Callable[[str], None]) -> Matcher:
    """A matcher for answering from the command line: semantic when the encoder loads (encoding
    what the store lacks, and saying so through `note`), else lexical with one note why."""
    thresholds = thresholds_from(settings)
    opener = semantic_opener(settings, store)
    if opener is None:
        return Matcher(entries, thresholds, settings.max_choices)
    try:
        vectorizer = await asyncio.to_thread(opener)
    except EncoderUnavailable as error:
        note(f"answering lexically: {error}")
        return Matcher(entries, thresholds, settings.max_choices)
    try:
        texts = [text for entry in entries for text in entry_texts(entry)]
        stored = await store.load(vectorizer.model_id, {text_key(*text) for text in texts})
        if len(stored) < len({text_key(*text) for text in texts}):
            note(f"encoding {len({text_key(*t) for t in texts}) - len(stored)} texts for the semantic index "
                 "(once: the vectors are kept)")
        vectors = await vectorizer.vectors(texts)
    finally:
        vectorizer.encoder.close()
    return Matcher(entries, thresholds, settings.max_choices, encoder=vectorizer.encoder.encoder, vectors=vectors)


def faq_index(settings: KnowledgeSettings, knowledge_base: KnowledgeBase, store: VectorStore,
              clock: Callable[[], datetime], health: HealthBoard | None = None) -> FaqIndex:
    """The live index of the published entries, semantic as configured."""
    return FaqIndex(knowledge_base, thresholds_from(settings), settings.max_choices, clock,
                    semantic=semantic_opener(settings, store), health=health,
                    lexical_reason=f"encoder = {settings.encoder!r} in the configuration")


def metrics_for(settings: Settings) -> Metrics:
    """Prometheus metrics on a registry of their own when the web console serves them; else none."""
    if not settings.web.enabled:
        return NO_METRICS
    from prometheus_client import CollectorRegistry

    from adapters.web import PrometheusMetrics

    return PrometheusMetrics(CollectorRegistry())


async def assemble(settings: Settings, clock: Callable[[], datetime] = utc_now,
                   metrics: Metrics | None = None) -> Lotse:
    """Open the database, migrate it, seed the starter knowledge base on first start, wire the features."""
    metrics = metrics if metrics is not None else metrics_for(settings)
    database = Database(settings.database.url, echo=settings.database.echo)
    try:
        await database.upgrade()
        knowledge_base = KnowledgeBase(database, clock)
        if settings.knowledge.load_starter and await knowledge_base.count() == 0:
            report = await knowledge_base.import_files(read_files(starter_folder()), by=STARTER_IMPORTER)
            log.info("starter knowledge base loaded: %d entries", len(report.created))
        pseudonyms = await Pseudonyms.load(database)
    except BaseException:
        await database.close()
        raise
    platforms = known_platforms()
    health = HealthBoard(clock)
    vectors = StoredVectors(database, clock)
    index = faq_index(settings.knowledge, knowledge_base, vectors, clock, health)
    members = Members(database, settings.default_language, clock)
    dialogues = Dialogues(database, pseudonyms, clock)
    roles = Roles(database, settings.admins, clock)
    matching = matching_feature.build(database, dialogues, pseudonyms, settings.matching, platforms, clock)
    kompass = kompass_feature.build(database, settings, matching.feature.challenges, roles, members, dialogues,
                                    platforms, clock)
    await _load_kompass_starter(settings, kompass)
    digest = digest_feature.build(database, settings, roles, dialogues, platforms, clock,
                                  challenges=matching.feature, extras=kompass.radar)
    curation = Curation(database, knowledge_base, roles, dialogues, settings.moderation, settings.default_language,
                        platforms, clock, stats_sources=[matching.feature, digest, kompass.feature], index=index)
    faq = Faq(database, index, pseudonyms, clock,
              listeners=[curation, kompass.feature, matching.feature], beside_answer=[kompass.feature],
              metrics=metrics)
    web_signin = WebSignIn(database, roles, clock, settings.web.base_url, settings.web.enabled)
    privacy = PersonalDataRequests([members, faq, matching.feature, curation, digest.subscriptions, kompass.feature,
                                    web_signin], dialogues, clock)
    router = Router(
        members, dialogues,
        [Welcome(members, dialogues, roles), curation, digest.commands, matching.feature, kompass.feature,
         web_signin, privacy, faq],
        platforms,
    )
    return Lotse(
        settings=settings,
        clock=clock,
        database=database,
        platforms=platforms,
        health=health,
        knowledge_base=knowledge_base,
        roles=roles,
        members=members,
        dialogues=dialogues,
        audit_log=AuditLog(database, clock),
        outbox=Outbox(database, clock),
        faq=faq,
        vectors=vectors,
        curation=curation,
        digest=digest,
        matching=matching.feature,
        kompass=kompass,
        conversation=router,
        jobs=[*curation.jobs(), *digest.jobs, matching.job, *kompass.jobs],
        web_signin=web_signin,
        metrics=metrics,
    )


async def _load_kompass_starter(settings: Settings, kompass: kompass_feature.KompassParts) -> None:
    """The starter directory, on the first start only (an empty catalogue)."""
    catalogue = kompass.directory.catalogue
    if settings.kompass.load_starter and not await catalogue.list("provider", include_withdrawn=True):
        files = read_items([kompass_feature.starter_folder()], kompass.vocabulary)
        report = await catalogue.import_files(files, by=STARTER_IMPORTER)
        log.info("starter Kompass loaded: %d providers and offers", len(report.created))


def platform_checks(settings: Settings, database: Database) -> list[Callable[[], Awaitable[Finding]]]:
    """`lotse doctor`'s question to each enabled platform: are Lotse's credentials accepted?"""
    checks: list[Callable[[], Awaitable[Finding]]] = []
    if settings.telegram.enabled:
        from adapters.telegram.check import check as telegram_check

        checks.append(lambda: telegram_check(settings.telegram))
    if settings.matrix.enabled:
        from adapters.matrix.check import check as matrix_check

        checks.append(lambda: matrix_check(settings.matrix, StoredPlatformState(database, "matrix")))
    return checks


def enabled_platforms(lotse: Lotse) -> list[ChatPlatform]:
    """The adapters the configuration enables; the console when none is."""
    settings = lotse.settings
    platforms: list[ChatPlatform] = []
    if settings.telegram.enabled:
        from adapters.telegram.platform import TelegramPlatform

        platforms.append(TelegramPlatform(settings.telegram, lotse.platform_state("telegram")))
    if settings.matrix.enabled:
        from adapters.matrix.platform import MatrixPlatform

        platforms.append(MatrixPlatform(settings.matrix, lotse.platform_state("matrix")))
    if settings.console.enabled or not platforms:
        platforms.append(console_platform(settings.console.user))
    return platforms


def console_platform(user: str) -> ChatPlatform:
    """The terminal chat as `console:USER`, for `lotse chat` and when no other platform is enabled."""
    from adapters.console import ConsolePlatform

    return ConsolePlatform(user=user)


async def run(lotse: Lotse, platforms: list[ChatPlatform]) -> int:
    """Run the platforms (and the web console when enabled) until a signal, or until every platform has
    stopped; 1 if one had to give up."""
    await lotse.faq.warm_up()
    console = web_console(lotse, platforms)
    if console is not None:
        try:
            await console.start()
        except OSError as error:
            log.error("the web console cannot listen on %s:%d: %s", lotse.settings.web.listen,
                      lotse.settings.web.port, error)
            await console.stop()
            return 1
    try:
        return await _run_platforms(lotse, platforms)
    finally:
        if console is not None:
            await console.stop()


def web_console(lotse: Lotse, platforms: list[ChatPlatform]) -> Any:
    """The web console over this Lotse, reporting on these platforms; None unless `web.enabled`."""
    if not lotse.settings.web.enabled:
        return None
    from prometheus_client import CollectorRegistry

    from adapters.web import PrometheusMetrics, RecentErrors, WebConsole

    metrics = lotse.metrics if isinstance(lotse.metrics, PrometheusMetrics) else PrometheusMetrics(CollectorRegistry())
    return WebConsole(lotse, metrics, RecentErrors(), tuple(platform.name for platform in platforms))


async def _run_platforms(lotse: Lotse, platforms: list[ChatPlatform]) -> int:
    metrics = lotse.metrics
    initialized: list[ChatPlatform] = []
    for platform in platforms:
        metrics.adapter_state(platform.name, "starting")
        try:
            await platform.initialize()
        except PlatformStopped as error:
            log.error("%s cannot start: %s", platform.name, error)
            metrics.adapter_state(platform.name, "failed")
            for ready in reversed(initialized):
                await ready.shutdown()
            return 1
        initialized.append(platform)
    started: list[ChatPlatform] = []
    failed = False
    worker = OutboxWorker(lotse.outbox, {platform.name: platform for platform in platforms})
    scheduler = Scheduler(lotse.database, lotse.jobs, lotse.clock)
    try:
        for platform in platforms:
            await platform.start(lotse.conversation)
            started.append(platform)
            metrics.adapter_state(platform.name, "running")
        worker.start()
        scheduler.start()
        failed = await _until_stopped(started, metrics)
    finally:
        await scheduler.stop()
        await worker.stop()
        for platform in reversed(started):
            await platform.stop()
        for platform in reversed(platforms):
            await platform.shutdown()
    return 1 if failed else 0


async def _until_stopped(platforms: list[ChatPlatform], metrics: Metrics = NO_METRICS) -> bool:
    interrupted = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, interrupted.set)
    waits: dict[asyncio.Future[Any], ChatPlatform] = {
        asyncio.ensure_future(platform.wait_stopped()): platform for platform in platforms
    }
    interrupt: asyncio.Future[Any] = asyncio.ensure_future(interrupted.wait())
    failed = False
    try:
        pending = set(waits)
        while pending and not interrupted.is_set():
            done, pending = await asyncio.wait(pending | {interrupt}, return_when=asyncio.FIRST_COMPLETED)
            pending.discard(interrupt)
            for task in done - {interrupt}:
                error = task.exception()
                metrics.adapter_state(waits[task].name, "stopped" if error is None else "failed")
                if isinstance(error, PlatformStopped):
                    log.error("%s stopped: %s", waits[task].name, error)
                    failed = True
                elif error is not None:
                    log.error("%s failed", waits[task].name, exc_info=error)
                    failed = True
    finally:
        interrupt.cancel()
        for task in waits:
            task.cancel()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
    return failed
