"""One sync batch, handled: invites, messages and reactions to the core, its replies back.

An event is marked handled only after its replies were sent, and the answers carry transaction
ids derived from the question, so the batch can be handled again after a crash without doubles.
A failure to deliver one answer is logged and does not hold up the rest of the batch; a rejected
token (`TokenRejected`) does, and ends the sync loop. An event that cannot be handled (malformed,
or refused by the core) is logged with the reason and skipped once; a passing database error is
retried with capped backoff instead, so nothing is lost to it. Rooms are handled concurrently in
a bounded number of lanes, each room's events in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from nio import (
    AsyncClient,
    BadEvent,
    MatrixRoom,
    MegolmEvent,
    MessageDirection,
    ReactionEvent,
    RoomGetEventResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
    Timeline,
    UnknownBadEvent,
)
from nio.exceptions import LocalProtocolError

from bot.config import MatrixSettings
from bot.health import State
from bot.messages import ChatId, Conversation, IncomingMessage, Reply, local_part

from . import events
from .journal import Journal, Prompt
from .outbound import Outbound, answer_key, answer_tx_id, fresh_tx_id
from .rendering import choice_for_reaction, number_label, render_reply
from .retry import Backoff, RequestFailed, TokenRejected, Transient, call_with_retries, classify_storage

log = logging.getLogger(__name__)

CATCH_UP_LIMIT = 1000
"""Events per room fetched from before a sync batch's timeline when the homeserver cut it short;
older ones than that, after a long absence, are logged and left unanswered."""
_PAGE = 100
HandOff = Callable[[str, ChatId, Reply], Awaitable[None]]
"""Queues a reply in the outbox under a key (`bot.outbox.enqueue`), for when sending now failed."""

ROOM_LANES = 8
"""Rooms handled at the same time; one slow room holds up only its own lane."""

NO_ENCRYPTION_NOTICE = (
    "Lotse kann in diesem verschlüsselten Raum nicht mitlesen: Ende-zu-Ende-Verschlüsselung ist in "
    "dieser Installation nicht verfügbar. Schreib mir bitte in einem unverschlüsselten Raum.\n\n"
    "Lotse cannot read this encrypted room: end-to-end encryption is not available in this "
    "installation. Please write to me in an unencrypted room."
)


async def post(
    outbound: Outbound,
    journal: Journal,
    room_id: str,
    reply: Reply,
    content: dict[str, Any],
    tx_id: str,
    asker: str,
    thread: str | None = None,
) -> str:
    """Send a reply and remember it, so replies, numbers and reactions to it find their way back.

    Answers and messages Lotse sends on its own (introduction requests) go through here alike.
    """
    event_id = await outbound.send_message(room_id, content, tx_id)
    journal.remember_sent(event_id)
    if reply.attachment is not None:
        await outbound.send_file(room_id, reply.attachment, f"{tx_id}-file")
    if reply.choices or reply.feedback:
        await journal.remember_prompt(event_id, Prompt(room_id, asker, reply.choices, reply.feedback, thread))
        for number in range(1, min(len(reply.choices), 10) + 1):
            outbound.react_later(room_id, event_id, number_label(number))
        for choice in reply.feedback:
            outbound.react_later(room_id, event_id, choice.label)
    return event_id


class Dispatcher:
    def __init__(
        self,
        client: AsyncClient,
        settings: MatrixSettings,
        user_id: str,
        journal: Journal,
        outbound: Outbound,
        conversation: Conversation,
        report: Callable[[State, str], None] = lambda state, detail: None,
        hand_off: HandOff | None = None,
    ) -> None:
        self._client = client
        self._hand_off = hand_off
        self._report = report
        self._lanes = asyncio.Semaphore(ROOM_LANES)
        self._settings = settings
        self._user_id = user_id
        self._journal = journal
        self._outbound = outbound
        self._conversation = conversation
        self._commands = frozenset(command.name.lstrip("/").lower() for command in conversation.commands())
        self._warned_rooms: set[str] = set()

    async def handle_batch(self, response: SyncResponse, *, since: str | None) -> None:
        """Handle what happened after the sync token `since`; with none (the first sync ever),
        accept invites but answer nothing from the past."""
        await self._maintain_keys()
        for room_id, info in response.rooms.invite.items():
            await self._on_invite(room_id, info.invite_state)
        if since is None:
            return
        async with asyncio.TaskGroup() as lanes:
            for room_id, info in response.rooms.join.items():
                lanes.create_task(self._in_lane(room_id, info.timeline, since))

    async def _in_lane(self, room_id: str, timeline: Timeline, since: str) -> None:
        """One room's part of the batch; a failure it cannot isolate per event stays in this room."""
        async with self._lanes:
            room = self._client.rooms.get(room_id)
            if room is None:
                return
            try:
                for event in await self._events_after(room_id, timeline, since):
                    await self._isolated(room, event)
                if any(isinstance(e, RoomMemberEvent) and e.membership in ("leave", "ban") for e in timeline.events):
                    await self._leave_if_alone(room)
            except (TokenRejected, asyncio.CancelledError):
                raise
            except Exception as error:
                log.error("Matrix: skipped the rest of this batch in %s: %r", room_id, error)

    async def _isolated(self, room: MatrixRoom, event: Any) -> None:
        """Handle one event; a database hiccup is waited out, anything else skips this event once."""
        backoff = Backoff(first=0.25, cap=30.0)
        while True:
            try:
                await self._on_event(room, event)
                return
            except (TokenRejected, asyncio.CancelledError):
                raise
            except Exception as error:
                verdict = classify_storage(error)
                if isinstance(verdict, Transient):
                    delay = backoff.next_delay()
                    self._report(State.DEGRADED, f"storage error, retrying: {verdict.reason}")
                    log.warning("Matrix: handling %s failed (%s); retrying in %.2f s", _id(event), verdict.reason,
                                delay)
                    await asyncio.sleep(delay)
                    continue
                await self._skip(room, event, verdict.reason)
                return

    async def _skip(self, room: MatrixRoom, event: Any, reason: str) -> None:
        event_id = _id(event)
        log.error("Matrix: skipped event %s in %s: %s", event_id, room.room_id, reason)
        if event_id is None:
            return
        backoff = Backoff(first=0.25, cap=30.0)
        while True:
            try:
                await self._journal.mark_handled(event_id)
                return
            except Exception as error:
                verdict = classify_storage(error)
                if not isinstance(verdict, Transient):
                    raise
                self._report(State.DEGRADED, f"storage error, retrying: {verdict.reason}")
                await asyncio.sleep(backoff.next_delay())

    async def _events_after(self, room_id: str, timeline: Timeline, since: str) -> list[Any]:
        """The room's events after `since`: the timeline, and when the homeserver cut it short
        (many messages while Lotse was down) the events before it, fetched page by page."""
        arrived = list(timeline.events)
        if timeline.limited and timeline.prev_batch and self._own_join(arrived) is None:
            arrived = await self._missed(room_id, timeline.prev_batch, since) + arrived
        joined_at = self._own_join(arrived)
        return arrived if joined_at is None else arrived[joined_at + 1 :]

    async def _missed(self, room_id: str, before: str, since: str) -> list[Any]:
        """Events between the sync token `since` and the pagination token `before`, oldest first."""
        missed: list[Any] = []
        token: str | None = before
        while token and len(missed) < CATCH_UP_LIMIT:
            page = functools.partial(
                self._client.room_messages, room_id, token, since, MessageDirection.back, limit=_PAGE
            )
            try:
                response: RoomMessagesResponse = await call_with_retries(
                    page,
                    what=f"reading the history of {room_id}",
                    max_attempts=3,
                )
            except RequestFailed as error:
                log.warning("Matrix: could not fetch what was missed in %s: %s", room_id, error)
                break
            assert isinstance(response, RoomMessagesResponse)
            missed.extend(response.chunk)
            token = response.end if response.chunk else None
        if token and len(missed) >= CATCH_UP_LIMIT:
            log.warning(
                "Matrix: more than %s events in %s while Lotse was away; older ones stay unanswered",
                CATCH_UP_LIMIT,
                room_id,
            )
        return missed[:CATCH_UP_LIMIT][::-1]

    def _own_join(self, timeline: list[Any]) -> int | None:
        """Where Lotse joined the room, if in `timeline`: what came before is not for Lotse."""
        for index in range(len(timeline) - 1, -1, -1):
            event = timeline[index]
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self._user_id
                and event.membership == "join"
                and event.prev_membership != "join"
            ):
                return index
        return None

    async def _maintain_keys(self) -> None:
        """What nio's sync_forever would do: keep device keys and Olm sessions current."""
        client = self._client
        if client.olm is None:
            return
        try:
            if client.should_upload_keys:
                await call_with_retries(client.keys_upload, what="uploading keys", max_attempts=3)
            if client.should_query_keys:
                await call_with_retries(client.keys_query, what="querying keys", max_attempts=3)
            if client.should_claim_keys:
                users = client.get_users_for_key_claiming()
                await call_with_retries(lambda: client.keys_claim(users), what="claiming keys", max_attempts=3)
            await client.send_to_device_messages()
        except RequestFailed as error:
            log.warning("Matrix: key maintenance failed, will retry after the next sync: %s", error)

    async def _on_invite(self, room_id: str, invite_state: list[Any]) -> None:
        inviter = events.inviter(invite_state, self._user_id)
        server = self._user_id.partition(":")[2]
        allowed = inviter is not None and events.may_invite(inviter, self._settings.allowed_inviters, server)
        try:
            if allowed:
                await call_with_retries(lambda: self._client.join(room_id), what=f"joining {room_id}")
                log.info("Matrix: joined %s on the invitation of %s", room_id, inviter)
            else:
                await call_with_retries(lambda: self._client.room_leave(room_id), what=f"declining {room_id}")
                log.info("Matrix: declined an invitation to %s from %s", room_id, inviter)
        except RequestFailed as error:
            log.warning("Matrix: could not answer the invitation to %s: %s", room_id, error)

    async def _leave_if_alone(self, room: MatrixRoom) -> None:
        if room.joined_count <= 1 and room.invited_count == 0:
            with contextlib.suppress(RequestFailed):
                await call_with_retries(lambda: self._client.room_leave(room.room_id), what="leaving")
                log.info("Matrix: left %s, the last member had gone", room.room_id)

    async def _on_event(self, room: MatrixRoom, event: Any) -> None:
        if isinstance(event, BadEvent | UnknownBadEvent):
            event_id = _id(event)
            if event_id is not None and not self._journal.was_handled(event_id):
                await self._skip(room, event, "the event does not follow the Matrix specification")
            return
        if getattr(event, "sender", None) == self._user_id or self._journal.was_handled(event.event_id):
            return
        reply_to = event.event_id
        if isinstance(event, RoomMessageText) and not events.is_edit(event):
            message = await self._from_text(room, event)
        elif isinstance(event, ReactionEvent):
            message = await self._from_reaction(room, event)
            reply_to = event.reacts_to
        elif isinstance(event, MegolmEvent):
            await self._undecryptable(room, event)
            return
        else:
            return
        if message is None:
            return
        replies = await self._conversation.handle(message)
        for index, reply in enumerate(replies):
            tx_id = answer_tx_id(event.event_id, index)
            try:
                await self._deliver(room, reply, message, reply_to, tx_id)
            except RequestFailed as error:
                if error.exhausted and self._hand_off is not None:
                    # Same transaction id: if the homeserver did store the first try, it drops this one.
                    await self._hand_off(answer_key(tx_id), events.chat_id(room.room_id), reply)
                    log.warning("Matrix: the answer to %s goes to the outbox: %s", event.event_id, error)
                else:
                    log.error("Matrix: an answer to %s was not delivered: %s", event.event_id, error)
        await self._journal.mark_handled(event.event_id)

    async def _from_text(self, room: MatrixRoom, event: RoomMessageText) -> IncomingMessage | None:
        addressing = events.Addressing(
            self._user_id,
            events.display_name(room, self._user_id),
            self._settings.command_prefix,
            self._commands,
        )
        target = events.replied_to(event)
        to_lotse = target is not None and not events.is_direct(room) and await self._is_lotses(room, target)
        text = events.message_text(event, room, addressing, to_lotse=to_lotse)
        if text is None:
            text = await self._numbered_answer(room, event)
        if not text:
            return None
        return events.incoming(room, event, text=text, thread=events.thread_root(event))

    async def _numbered_answer(self, room: MatrixRoom, event: RoomMessageText) -> str | None:
        """In a group, a bare "2" from the person Lotse just offered choices to is their pick."""
        answer = str(event.body).strip()
        prompt = await self._journal.latest_prompt_with_choices(room.room_id, event.sender)
        if prompt and answer.isdigit() and 1 <= int(answer) <= len(prompt.choices):
            return answer
        return None

    async def _is_lotses(self, room: MatrixRoom, event_id: str) -> bool:
        if self._journal.sent_by_lotse(event_id):
            return True
        try:
            response: RoomGetEventResponse = await call_with_retries(
                lambda: self._client.room_get_event(room.room_id, event_id), what="reading", max_attempts=3
            )
        except RequestFailed:
            return False
        return isinstance(response, RoomGetEventResponse) and response.event.sender == self._user_id

    async def _from_reaction(self, room: MatrixRoom, event: ReactionEvent) -> IncomingMessage | None:
        prompt = await self._journal.prompt(room.room_id, event.reacts_to)
        if prompt is None:
            return None
        choice = choice_for_reaction(event.key, prompt.choices, prompt.feedback)
        if choice is None:
            return None
        kind = "feedback" if choice in prompt.feedback else "choice"
        if not await self._journal.mark_picked(event.reacts_to, prompt, f"{event.sender} {kind}"):
            return None
        return events.incoming(room, event, action=choice.action, thread=prompt.thread)

    async def _deliver(
        self, room: MatrixRoom, reply: Reply, message: IncomingMessage, reply_to: str, tx_id: str
    ) -> None:
        asker = local_part(message.sender.id)
        content = render_reply(
            reply,
            in_reply_to=reply_to,
            thread_root=message.chat.thread,
            mention=None if message.chat.is_direct else asker,
        )
        await post(self._outbound, self._journal, room.room_id, reply, content, tx_id, asker, message.chat.thread)

    async def _undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        if self._client.olm is not None:
            log.warning("Matrix: cannot decrypt %s in %s yet; asking for the key", event.event_id, room.room_id)
            with contextlib.suppress(LocalProtocolError, RequestFailed):
                await self._client.request_room_key(event)
            return
        if room.room_id in self._warned_rooms:
            return
        self._warned_rooms.add(room.room_id)
        key = f"e2e_notice:{room.room_id}"
        if await self._journal.state.get(key):
            return
        with contextlib.suppress(RequestFailed):
            await self._outbound.send_message(room.room_id, render_reply(Reply(NO_ENCRYPTION_NOTICE)), fresh_tx_id())
        await self._journal.state.put(key, "sent")


def _id(event: Any) -> str | None:
    """The event's id, also for events nio could not parse."""
    event_id = getattr(event, "event_id", None) or getattr(event, "source", {}).get("event_id")
    return event_id if isinstance(event_id, str) else None
