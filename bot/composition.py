"""The composition root: the one place that turns configuration into a running Lotse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.audit import AuditLog
from bot.config import Settings
from bot.dialogues import Dialogues
from bot.features import digest as digest_feature
from bot.features import matching as matching_feature
from bot.features.curation import Curation
from bot.features.faq import Faq
from bot.features.personal_data import PersonalDataRequests
from bot.features.welcome import Welcome
from bot.health import HealthBoard
from bot.knowledge_base import KnowledgeBase
from bot.members import Members
from bot.messages import ChatPlatform, PlatformStopped
from bot.outbox import Outbox, OutboxWorker
from bot.platforms import Platforms
from bot.privacy import Pseudonyms
from bot.roles import Roles
from bot.router import Router
from bot.scheduler import Job, Scheduler
from bot.storage.database import Database
from bot.storage.platform_state import StoredPlatformState
from knowledge.files import read_files

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
    curation: Curation
    digest: digest_feature.Digest
    matching: matching_feature.Matching
    conversation: Router
    jobs: list[Job]

    def platform_state(self, platform: str) -> StoredPlatformState:
        return StoredPlatformState(self.database, platform)

    async def close(self) -> None:
        await self.database.close()


async def assemble(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Lotse:
    """Open the database, migrate it, seed the starter knowledge base on first start, wire the features."""
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
    members = Members(database, settings.default_language, clock)
    dialogues = Dialogues(database, pseudonyms, clock)
    roles = Roles(database, settings.admins, clock)
    matching = matching_feature.build(database, dialogues, pseudonyms, settings.matching, platforms, clock)
    digest = digest_feature.build(database, settings, roles, dialogues, platforms, clock,
                                  challenges=matching.feature)
    curation = Curation(database, knowledge_base, roles, dialogues, settings.moderation, settings.default_language,
                        platforms, clock, stats_sources=[matching.feature, digest])
    faq = Faq(database, knowledge_base, pseudonyms, settings.knowledge, clock, listeners=[curation, matching.feature])
    privacy = PersonalDataRequests([members, faq, matching.feature, curation, digest.subscriptions], dialogues, clock)
    router = Router(
        members, dialogues,
        [Welcome(members, dialogues, roles), curation, digest.commands, matching.feature, privacy, faq],
        platforms,
    )
    return Lotse(
        settings=settings,
        clock=clock,
        database=database,
        platforms=platforms,
        pseudonyms=pseudonyms,
        health=HealthBoard(clock),
        knowledge_base=knowledge_base,
        roles=roles,
        members=members,
        dialogues=dialogues,
        audit_log=AuditLog(database, clock),
        outbox=Outbox(database, clock),
        faq=faq,
        curation=curation,
        digest=digest,
        matching=matching.feature,
        conversation=router,
        jobs=[*curation.jobs(), *digest.jobs, matching.job],
    )


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
    """Run the platforms until a signal, or until every one has stopped; 1 if one had to give up."""
    await lotse.faq.warm_up()
    initialized: list[ChatPlatform] = []
    for platform in platforms:
        try:
            await platform.initialize()
        except PlatformStopped as error:
            log.error("%s cannot start: %s", platform.name, error)
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
        worker.start()
        scheduler.start()
        failed = await _until_stopped(started)
    finally:
        await scheduler.stop()
        await worker.stop()
        for platform in reversed(started):
            await platform.stop()
        for platform in reversed(platforms):
            await platform.shutdown()
    return 1 if failed else 0


async def _until_stopped(platforms: list[ChatPlatform]) -> bool:
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
