"""Everything Lotse posts: messages with stable transaction ids, reactions, direct-chat rooms.

A transaction id is fixed before the first attempt and reused on every retry, so a send that
timed out after the homeserver stored it is not posted twice. Answers derive it from the question's
event id, which also makes a re-run of a half-handled batch after a crash idempotent for the same
device. Lotse's own keycap and 👍/👎 reactions under a message are decoration: they go through a
background queue so that they never delay the next answer. Messages and reactions alike are tried
for a patience window (an outage of several minutes loses nothing), and every send passes one
rate gate: after a 429 nothing goes out before its `retry_after`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import io
import logging
import uuid
from typing import Any

from nio import (
    AsyncClient,
    ErrorResponse,
    MatrixRoom,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
    UploadResponse,
)

from adapters.retry import SEND_PATIENCE_S
from bot.messages import Attachment, PlatformState

from .rendering import reaction_content
from .retry import Backoff, RateGate, RequestFailed, TokenRejected, call_with_retries

log = logging.getLogger(__name__)



def answer_tx_id(question_event_id: str, index: int) -> str:
    """The same id for the same answer to the same question, across retries and restarts."""
    digest = hashlib.sha256(question_event_id.encode()).hexdigest()[:32]
    return f"lotse-{digest}-{index}"


def keyed_tx_id(key: str) -> str:
    """The same id for the same outbox delivery, however often it is retried."""
    return f"lotse-out-{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def answer_key(tx_id: str) -> str:
    """The outbox key for an answer handed over after an outage: the delivery reuses `tx_id`."""
    return f"{ANSWER_KEY_PREFIX}{tx_id}"


ANSWER_KEY_PREFIX = "matrix-answer:"


def tx_id_for_key(key: str) -> str:
    """An outbox delivery's transaction id; a handed-over answer keeps the one it was first sent with."""
    return key.removeprefix(ANSWER_KEY_PREFIX) if key.startswith(ANSWER_KEY_PREFIX) else keyed_tx_id(key)


def reaction_tx_id(event_id: str, key: str) -> str:
    """One reaction under one message, once, however often it is retried."""
    return f"lotse-r-{hashlib.sha256(f'{event_id} {key}'.encode()).hexdigest()[:32]}"


def fresh_tx_id() -> str:
    return f"lotse-{uuid.uuid4().hex}"


class Outbound:
    def __init__(self, client: AsyncClient, state: PlatformState, *, patience_s: float = SEND_PATIENCE_S) -> None:
        self._client = client
        self._state = state
        self._patience_s = patience_s
        self._gate = RateGate()
        self._reactions: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._dm_lock = asyncio.Lock()

    async def send_message(self, room_id: str, content: dict[str, Any], tx_id: str) -> str:
        """Post `content` to the room; returns the event id. Rate limits are waited out."""
        room = self._client.rooms.get(room_id)
        if self._client.olm is not None and room is None:
            # A room created a moment ago is not in the sync state yet; nio needs it to decide
            # about encryption, and a new room of ours is unencrypted.
            self._client.rooms[room_id] = MatrixRoom(room_id, self._client.user_id)
        response: RoomSendResponse = await call_with_retries(
            lambda: self._client.room_send(
                room_id, "m.room.message", content, tx_id=tx_id, ignore_unverified_devices=True
            ),
            what=f"sending to {room_id}",
            max_attempts=None,
            patience_s=self._patience_s,
            backoff=Backoff(first=0.5, cap=30.0),
            gate=self._gate,
        )
        assert isinstance(response, RoomSendResponse)
        return str(response.event_id)

    async def send_file(self, room_id: str, attachment: Attachment, tx_id: str) -> str:
        """Upload a file (encrypted where the room is) and post it as `m.file`; returns the event id."""
        room = self._client.rooms.get(room_id)
        encrypt = bool(room is not None and room.encrypted)
        keys: dict[str, Any] = {}

        async def upload() -> UploadResponse | ErrorResponse:
            response, decryption = await self._client.upload(
                io.BytesIO(attachment.data),
                content_type=attachment.media_type,
                filename=attachment.filename,
                encrypt=encrypt,
                filesize=len(attachment.data),
            )
            keys.clear()
            keys.update(decryption or {})
            return response

        uploaded: UploadResponse = await call_with_retries(
            upload, what=f"uploading to {room_id}", max_attempts=None, patience_s=self._patience_s,
            backoff=Backoff(first=0.5, cap=30.0), gate=self._gate,
        )
        content: dict[str, Any] = {
            "msgtype": "m.file",
            "body": attachment.filename,
            "filename": attachment.filename,
            "info": {"mimetype": attachment.media_type, "size": len(attachment.data)},
        }
        if encrypt:
            content["file"] = {**keys, "url": uploaded.content_uri}
        else:
            content["url"] = uploaded.content_uri
        return await self.send_message(room_id, content, tx_id)

    def react_later(self, room_id: str, event_id: str, key: str) -> None:
        self._reactions.put_nowait((room_id, event_id, key))

    def start(self) -> None:
        if self._worker is None:
            self._worker = asyncio.create_task(self._react_forever(), name="matrix-reactions")

    async def stop(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    async def _react_forever(self) -> None:
        while True:
            room_id, event_id, key = await self._reactions.get()
            request = functools.partial(
                self._client.room_send,
                room_id,
                "m.reaction",
                reaction_content(event_id, key),
                tx_id=reaction_tx_id(event_id, key),
                ignore_unverified_devices=True,
            )
            try:
                await call_with_retries(
                    request,
                    what="reacting",
                    max_attempts=None,
                    patience_s=self._patience_s,
                    backoff=Backoff(first=0.25, cap=30.0),
                    gate=self._gate,
                )
            except (RequestFailed, TokenRejected) as error:
                log.warning("Matrix: could not add reaction %s: %s", key, error)

    async def shared_room(self, key: str, user_ids: list[str]) -> str:
        """A new private room with these people for one delivery; a retry finds the room made before."""
        async with self._dm_lock:
            known = await self._state.get(f"room:{key}")
            if known:
                return known
            response: RoomCreateResponse = await call_with_retries(
                lambda: self._client.room_create(invite=user_ids, preset=RoomPreset.trusted_private_chat),
                what=f"creating a room with {', '.join(user_ids)}",
            )
            assert isinstance(response, RoomCreateResponse)
            await self._state.put(f"room:{key}", response.room_id)
            return str(response.room_id)

    async def direct_room(self, user_id: str) -> str:
        """A room Lotse shares with just this person: an existing one, or a new direct chat."""
        async with self._dm_lock:
            for room in self._client.rooms.values():
                if room.member_count == 2 and user_id in room.users:
                    return str(room.room_id)
            key = f"dm:{user_id}"
            known = await self._state.get(key)
            if known:
                return known
            response: RoomCreateResponse = await call_with_retries(
                lambda: self._client.room_create(
                    is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat
                ),
                what=f"creating a direct chat with {user_id}",
            )
            assert isinstance(response, RoomCreateResponse)
            await self._state.put(key, response.room_id)
            return str(response.room_id)
