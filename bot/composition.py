"""The composition root: the one place that turns configuration into a running Lotse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.audit import AuditLog
from bot.bindings import ActionBindings
from bot.config import Settings
from bot.dialogues import Dialogues
from bot.features import digest as digest_feature
from bot.features import matching as matching_feature
from bot.features.curation import Curation
from bot.features.faq import Faq
from bot.features.personal_data import PersonalDataRequests
from bot.features.welcome import Welcome
from bot.health import HealthBoard, HealthRecorder, HealthRecords
from bot.knowledge_base import KnowledgeBase
from bot.leases import ChatAccountLeases
from bot.members import Members
from bot.messages import ChatPlatform, PlatformStopped
from bot.outbox import Outbox, OutboxWorker, SentMessages
from bot.platforms import Platforms
from bot.privacy import PersonalData, Pseudonyms
from bot.roles import Roles
from bot.router import Router
from bot.scheduler import Job, Scheduler
from bot.storage.database import Database
from bot.storage.platform_state import PlatformStatePersonalData, StoredPlatformState
from bot.supervisor import ChatAccount, Deliveries, PlatformSupervisor
from bot.throttle import Throttle
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
    audit_log = AuditLog(database, clock, pseudonyms)
    sent = SentMessages(database, clock, timedelta(days=settings.privacy.sent_messages_kept_days))
    holders: list[PersonalData] = [members, faq, matching.feature, curation, digest.subscriptions, dialogues, sent,
                                   PlatformStatePersonalData(database), roles, audit_log]
    privacy = PersonalDataRequests(holders, dialogues, database, clock)
    bindings = ActionBindings(pseudonyms)
    throttle = (Throttle(settings.throttle.burst, settings.throttle.per_minute)
                if settings.throttle.enabled else None)
    router = Router(
        members, dialogues,
        [Welcome(members, dialogues, roles), curation, digest.commands, matching.feature, privacy, faq],
        platforms, bindings=bindings, throttle=throttle,
    )
    return Lotse(
        settings=settings,
        clock=clock,
        instance=f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(2)}",
        database=database,
        platforms=platforms,
        pseudonyms=pseudonyms,
        health=HealthBoard(clock),
        knowledge_base=knowledge_base,
        roles=roles,
        members=members,
        dialogues=dialogues,
        audit_log=audit_log,
        outbox=Outbox(database, clock, bindings),
        faq=faq,
        curation=curation,
        digest=digest,
        matching=matching.feature,
        conversation=router,
        jobs=[*curation.jobs(), *digest.jobs, matching.job, sent],
    )


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
                                    lambda: TelegramPlatform(settings.telegram, lotse.platform_state("telegram"))))
    if settings.matrix.enabled:
        from adapters.matrix.platform import MatrixPlatform

        accounts.append(ChatAccount("matrix", settings.matrix.user_id,
                                    lambda: MatrixPlatform(settings.matrix, lotse.platform_state("matrix"))))
    if settings.console.enabled or not accounts:
        accounts.append(console_account(settings.console.user))
    return accounts


def console_account(user: str) -> ChatAccount:
    """The terminal chat as `console:USER`, for `lotse chat` and when no other platform is enabled."""
    from adapters.console import ConsolePlatform

    return ChatAccount("console", "", lambda: ConsolePlatform(user=user))


async def run(lotse: Lotse, accounts: list[ChatAccount]) -> int:
    """Serve the accounts until a signal, or until every adapter ended; 1 if one had to give up.

    Each account's adapter runs under a supervisor that holds the account's lease and restarts
    the adapter when it fails; the outbox worker delivers through whichever adapters run here.
    """
    await lotse.faq.warm_up()
    leases = ChatAccountLeases(lotse.database, lotse.clock, timedelta(seconds=lotse.settings.lease.seconds))
    supervisors: list[PlatformSupervisor] = []

    def running() -> dict[str, ChatPlatform]:
        return {s.account.platform: s.running for s in supervisors if s.running is not None}

    deliveries = Deliveries(lambda platforms: OutboxWorker(lotse.outbox, platforms), lotse.health, running)
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
