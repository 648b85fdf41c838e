"""The composition root: the one place that turns configuration into a running Lotse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.audit import AuditLog
from bot.config import Settings
from bot.dialogues import Dialogues
from bot.doctor import Finding
from bot.features import digest as digest_feature
from bot.features import matching as matching_feature
from bot.features.curation import Curation
from bot.features.faq import Faq
from bot.features.personal_data import PersonalDataRequests
from bot.features.web_signin import WebSignIn
from bot.features.welcome import Welcome
from bot.knowledge_base import KnowledgeBase
from bot.members import Members
from bot.messages import ChatPlatform, PlatformStopped
from bot.metrics import NO_METRICS, Metrics
from bot.outbox import Outbox, OutboxWorker
from bot.privacy import Pseudonyms
from bot.roles import Roles
from bot.router import Router
from bot.scheduler import Job, Scheduler
from bot.storage.database import Database
from bot.storage.platform_state import StoredPlatformState
from knowledge.files import read_files

log = logging.getLogger(__name__)

STARTER_IMPORTER = "lotse:starter"


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
    knowledge_base: KnowledgeBase
    roles: Roles
    dialogues: Dialogues
    audit_log: AuditLog
    outbox: Outbox
    faq: Faq
    curation: Curation
    digest: digest_feature.Digest
    matching: matching_feature.Matching
    conversation: Router
    jobs: list[Job]
    web_signin: WebSignIn
    metrics: Metrics = NO_METRICS

    def platform_state(self, platform: str) -> StoredPlatformState:
        return StoredPlatformState(self.database, platform)

    async def close(self) -> None:
        await self.database.close()


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
    members = Members(database, settings.default_language, clock)
    dialogues = Dialogues(database, pseudonyms, clock)
    roles = Roles(database, settings.admins, clock)
    matching = matching_feature.build(database, dialogues, pseudonyms, settings.matching, clock)
    digest = digest_feature.build(database, settings, roles, dialogues, clock, challenges=matching.feature)
    curation = Curation(database, knowledge_base, roles, dialogues, settings.moderation, settings.default_language,
                        clock, stats_sources=[matching.feature, digest])
    faq = Faq(database, knowledge_base, pseudonyms, settings.knowledge, clock, listeners=[curation, matching.feature],
              metrics=metrics)
    web_signin = WebSignIn(database, roles, clock, settings.web.base_url, settings.web.enabled)
    privacy = PersonalDataRequests([members, faq, matching.feature, curation, digest.subscriptions, web_signin],
                                   dialogues, clock)
    router = Router(
        members, dialogues,
        [Welcome(members, dialogues, roles), curation, digest.commands, matching.feature, web_signin, privacy, faq],
    )
    return Lotse(
        settings=settings,
        clock=clock,
        database=database,
        knowledge_base=knowledge_base,
        roles=roles,
        dialogues=dialogues,
        audit_log=AuditLog(database, clock),
        outbox=Outbox(database, clock),
        faq=faq,
        curation=curation,
        digest=digest,
        matching=matching.feature,
        conversation=router,
        jobs=[*curation.jobs(), *digest.jobs, matching.job],
        web_signin=web_signin,
        metrics=metrics,
    )


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
        from adapters.telegram import TelegramPlatform

        platforms.append(TelegramPlatform(settings.telegram, lotse.platform_state("telegram")))
    if settings.matrix.enabled:
        from adapters.matrix import MatrixPlatform

        platforms.append(MatrixPlatform(settings.matrix, lotse.platform_state("matrix")))
    if settings.console.enabled or not platforms:
        from adapters.console import ConsolePlatform

        platforms.append(ConsolePlatform(user=settings.console.user))
    return platforms


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
