"""Members for the Matrix tests: real matrix-nio clients that talk to Lotse and wait for answers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    Event,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
)

from tests.support.synapse import MatrixUser, SynapseServer

WAIT_S = 15.0


class Member:
    """One person on the homeserver, with a background sync that records every room event."""

    def __init__(self, user: MatrixUser, client: AsyncClient) -> None:
        self.user = user
        self.client = client
        self.events: list[tuple[str, Any]] = []
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        client.add_event_callback(self._record, Event)

    @property
    def user_id(self) -> str:
        return self.user.user_id

    @classmethod
    async def join_server(
        cls, synapse: SynapseServer, name: str, *, store: Path | None = None, user: MatrixUser | None = None
    ) -> Member:
        user = user or await synapse.register(name)
        encrypted = store is not None
        config = AsyncClientConfig(encryption_enabled=encrypted, store_sync_tokens=False)
        if store is not None:
            await asyncio.to_thread(store.mkdir, parents=True, exist_ok=True)
        client = AsyncClient(synapse.url, user.user_id, store_path=str(store or ""), config=config)
        client.restore_login(user.user_id, user.device_id, user.access_token)
        member = cls(user, client)
        if encrypted:
            await client.keys_upload()
        await client.sync(timeout=0)
        member._task = asyncio.create_task(client.sync_forever(timeout=1000, loop_sleep_time=10))
        return member

    async def _record(self, room: Any, event: Any) -> None:
        self.events.append((room.room_id, event))
        self._changed.set()

    async def wait_for(self, predicate: Callable[[str, Any], bool], within_s: float = WAIT_S) -> Any:
        """The first recorded event matching `predicate`, waiting for it up to `within_s`."""
        async with asyncio.timeout(within_s):
            while True:
                for room_id, event in self.events:
                    if predicate(room_id, event):
                        return event
                self._changed.clear()
                await self._changed.wait()

    def from_user(self, user_id: str, room_id: str) -> list[Any]:
        """Messages (any msgtype) that `user_id` sent to `room_id`, as recorded so far."""
        return [
            event for rid, event in self.events if rid == room_id and event.sender == user_id and hasattr(event, "body")
        ]

    async def answer_from(self, user_id: str, room_id: str, after: int = 0, within_s: float = WAIT_S) -> Any:
        """Wait for the `after`+1-th message from `user_id` in the room."""
        async with asyncio.timeout(within_s):
            while True:
                messages = self.from_user(user_id, room_id)
                if len(messages) > after:
                    return messages[after]
                self._changed.clear()
                await self._changed.wait()

    async def say(self, room_id: str, text: str, **content: Any) -> str:
        body = {"msgtype": "m.text", "body": text, **content}
        response = await self.client.room_send(room_id, "m.room.message", body, ignore_unverified_devices=True)
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        response = await self.client.room_send(room_id, "m.reaction", content, ignore_unverified_devices=True)
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def create_room(
        self, invite: list[str], *, direct: bool = False, encrypted: bool = False, name: str | None = None
    ) -> str:
        initial_state = []
        if encrypted:
            initial_state.append(
                {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
            )
        response = await self.client.room_create(
            is_direct=direct,
            invite=invite,
            name=name,
            preset=RoomPreset.private_chat,
            initial_state=initial_state,
        )
        assert isinstance(response, RoomCreateResponse), response
        return str(response.room_id)

    async def invite(self, room_id: str, user_id: str) -> None:
        await self.client.room_invite(room_id, user_id)

    async def wait_joined(self, room_id: str, user_id: str, within_s: float = WAIT_S) -> None:
        await self.wait_for(
            lambda rid, e: (
                rid == room_id and getattr(e, "state_key", None) == user_id and getattr(e, "membership", None) == "join"
            ),
            within_s,
        )

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            self.client.stop_sync_forever()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.close()
        if self.client.store is not None:
            self.client.store.database.close()
