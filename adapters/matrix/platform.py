"""The Matrix adapter's lifecycle and sync loop.

One task long-polls `/sync` and handles each batch completely before it stores the batch's
`next_batch`: a crash mid-batch makes the homeserver deliver the batch again, and the journal of
handled event ids (plus answers' stable transaction ids) keeps that from doubling anything. The
very first start stores the token of an initial sync without answering its history. Every request
failure goes through `retry.py`; a rejected token ends the loop and `wait_stopped` raises
`PlatformStopped`. A passing database error never ends it: the batch is handled again after a
capped backoff, and the health board shows `matrix:sync` degraded until a batch went through.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from nio import AsyncClient, SyncResponse

from adapters.retry import SEND_PATIENCE_S
from bot.config import MatrixSettings
from bot.health import HealthReporter, State
from bot.messages import (
    ChatId,
    Conversation,
    PersonId,
    PlatformState,
    PlatformStopped,
    Reply,
    local_part,
    platform_of,
)

from .capabilities import CAPABILITIES
from .dispatch import Dispatcher, HandOff, post
from .journal import Journal
from .outbound import Outbound, fresh_tx_id, tx_id_for_key
from .rendering import render_reply
from .retry import Backoff, RequestFailed, TokenRejected, Transient, call_with_retries, classify_storage
from .session import Identity, log_in, new_client

log = logging.getLogger(__name__)

T = TypeVar("T")
COMPONENT = "matrix:sync"
KEY_NEXT_BATCH = "next_batch"
STOP_GRACE_S = 10.0
TIMELINE_LIMIT = 100
"""Events per room in one sync batch: a long timeline, so that what was sent while Lotse was down
usually comes in the first batch; beyond it the dispatcher pages back through the history."""


def sync_filter(timeline_limit: int) -> dict[str, Any]:
    return {
        "room": {"timeline": {"limit": timeline_limit}, "state": {"lazy_load_members": False}},
        "presence": {"not_types": ["*"]},
    }


class MatrixPlatform:
    """Lotse on a Matrix homeserver (see `bot.messages.ChatPlatform`)."""

    name = "matrix"
    capabilities = CAPABILITIES

    def __init__(
        self,
        settings: MatrixSettings,
        state: PlatformState,
        *,
        sync_timeout_ms: int = 30_000,
        encryption: bool = True,
        timeline_limit: int = TIMELINE_LIMIT,
        health: HealthReporter | None = None,
        hand_off: HandOff | None = None,
        send_patience_s: float = SEND_PATIENCE_S,
    ) -> None:
        self._settings = settings
        self._health = health
        self._hand_off = hand_off
        self._send_patience_s = send_patience_s
        self._state = state
        self._sync_timeout_ms = sync_timeout_ms
        self._encryption = encryption
        self._sync_filter = sync_filter(timeline_limit)
        self._client: AsyncClient | None = None
        self._identity: Identity | None = None
        self._journal = Journal(state)
        self._outbound: Outbound | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopped_reason: str | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def client(self) -> AsyncClient:
        if self._client is None:
            raise RuntimeError("MatrixPlatform.initialize() has not run")
        return self._client

    @property
    def user_id(self) -> str:
        return self._identity.user_id if self._identity else self._settings.user_id

    async def initialize(self) -> None:
        """Log in (or reuse the stored device) and load the journal. Raises `PlatformStopped`."""
        self._client = new_client(self._settings, encryption=self._encryption)
        try:
            self._identity = await log_in(self._client, self._settings, self._state)
            await self._journal.load()
            if self._client.olm is not None and self._client.should_upload_keys:
                await call_with_retries(self._client.keys_upload, what="uploading device keys")
        except (RequestFailed, TokenRejected) as error:
            await self._client.close()
            raise PlatformStopped(f"Matrix: {error}") from error
        except BaseException:
            await self._client.close()
            raise
        self._outbound = Outbound(self._client, self._state, patience_s=self._send_patience_s)

    async def start(self, conversation: Conversation) -> None:
        if self._outbound is None:
            raise RuntimeError("MatrixPlatform.initialize() has not run")
        dispatcher = Dispatcher(
            self.client, self._settings, self.user_id, self._journal, self._outbound, conversation, self._report,
            self._hand_off,
        )
        self._outbound.start()
        self._task = asyncio.create_task(self._sync_forever(dispatcher), name="matrix-sync")

    async def send(
        self, to: ChatId | PersonId, reply: Reply, key: str | None = None, invite: Sequence[PersonId] = ()
    ) -> None:
        """Deliver a message Lotse sends on its own; a person gets it in a direct chat, or with
        `invite` in a new room together with those Matrix users (an introduction).

        With a `key` the transaction id is derived from it, so the homeserver drops a repeat."""
        if self._outbound is None:
            raise RuntimeError("MatrixPlatform.initialize() has not run")
        target = local_part(to)
        others = [local_part(person) for person in invite if platform_of(person) == "matrix"]
        try:
            if others and target.startswith("@"):
                room_id, asker = await self._outbound.shared_room(key or fresh_tx_id(), [target, *others]), ""
            elif target.startswith("@"):
                room_id, asker = await self._outbound.direct_room(target), target
            else:
                room_id, asker = target, ""
            tx_id = tx_id_for_key(key) if key is not None else fresh_tx_id()
            await post(self._outbound, self._journal, room_id, reply, render_reply(reply), tx_id, asker)
        except TokenRejected as error:
            raise PlatformStopped(f"Matrix: {error}") from error

    async def wait_stopped(self) -> None:
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._task)
        if self._stopped_reason is not None:
            raise PlatformStopped(self._stopped_reason)

    async def stop(self) -> None:
        """Let a batch being handled finish (bounded), so a graceful stop leaves nothing half-done."""
        task, self._task = self._task, None
        if task is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(STOP_GRACE_S):
                    await self._idle.wait()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._outbound is not None:
            await self._outbound.stop()

    async def shutdown(self) -> None:
        await self.stop()
        if self._client is not None:
            await self._client.close()
            if self._client.store is not None:
                self._client.store.database.close()

    async def __aenter__(self) -> MatrixPlatform:
        await self.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.shutdown()

    def _report(self, state: State, detail: str = "") -> None:
        if self._health is not None:
            self._health.report(COMPONENT, state, detail)

    async def _persevering(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        """Run `operation` until no passing database error stops it; other errors go up."""
        backoff = Backoff(first=0.25, cap=30.0)
        while True:
            try:
                return await operation()
            except Exception as error:
                verdict = classify_storage(error)
                if not isinstance(verdict, Transient):
                    raise
                delay = backoff.next_delay()
                self._report(State.DEGRADED, f"{what} failed, retrying: {verdict.reason}")
                log.warning("Matrix: %s failed (%s); retrying in %.2f s", what, verdict.reason, delay)
                await asyncio.sleep(delay)

    async def _handle(self, dispatcher: Dispatcher, response: SyncResponse, since: str | None) -> None:
        """Handle the batch and store its token; again from the start after a database hiccup."""
        await dispatcher.handle_batch(response, since=since)
        await self._state.put(KEY_NEXT_BATCH, response.next_batch)

    async def _sync_forever(self, dispatcher: Dispatcher) -> None:
        since = await self._persevering("reading the sync token", lambda: self._state.get(KEY_NEXT_BATCH))
        first = True
        backoff = Backoff(first=0.25, cap=30.0)
        try:
            while True:
                # The first sync of a run asks for the full state: nio knows no rooms yet.
                request = functools.partial(
                    self.client.sync,
                    timeout=0 if first else self._sync_timeout_ms,
                    since=since,
                    full_state=first,
                    sync_filter=self._sync_filter,
                )
                response: SyncResponse = await call_with_retries(
                    request,
                    what="Matrix sync",
                    max_attempts=None,
                    backoff=backoff,
                )
                assert isinstance(response, SyncResponse)
                self._idle.clear()
                try:
                    await self._persevering("handling a sync batch", functools.partial(
                        self._handle, dispatcher, response, since))
                    since = response.next_batch
                    self._journal.batch_done()
                finally:
                    self._idle.set()
                first = False
                self._report(State.RUNNING, "syncing")
        except TokenRejected as error:
            self._stopped_reason = (
                f"Matrix: the homeserver rejected Lotse's access token for {self.user_id} "
                f"(revoked or logged out), so the adapter stopped: {error}"
            )
            log.error("%s", self._stopped_reason)
        except RequestFailed as error:
            self._stopped_reason = f"Matrix: sync cannot continue: {error}"
            log.error("%s", self._stopped_reason)
