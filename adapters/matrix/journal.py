"""What Lotse must remember across restarts: handled events and the choices it offered.

Both live in the platform state as small, bounded JSON values. Handled event ids make a batch that is
delivered again after a crash harmless; the offered choices let a keycap or 👍/👎 reaction on an
older message still mean something after a restart. Prompts are kept per room (the newest
`prompts_per_room`, none older than `prompt_days`), so a busy room cannot push out a quiet room's.
The sync token itself is stored by the sync loop, after the batch's events went through here.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.messages import Choice, PlatformState

KEY_HANDLED = "handled_events"
KEY_PROMPT = "prompt:"
KEY_NEXT_SLOT = "prompt_next"
LEGACY_SLOTS = 200
"""The single ring of prompts for all rooms that earlier versions kept, read once at start."""


@dataclass
class Prompt:
    """A message of Lotse's that offered choices or feedback, and who it answered."""

    room_id: str
    asker: str
    choices: tuple[Choice, ...] = ()
    feedback: tuple[Choice, ...] = ()
    thread: str | None = None
    picked: set[str] = field(default_factory=set)
    """`<person> <kind>` pairs already acted on, so a person's rating counts once per answer."""
    at: float = 0.0
    """When it was offered (seconds since the epoch); 0 for prompts from before this was kept."""

    def to_json(self) -> dict[str, object]:
        return {
            "room": self.room_id,
            "asker": self.asker,
            "choices": [[c.label, c.action] for c in self.choices],
            "feedback": [[c.label, c.action] for c in self.feedback],
            "thread": self.thread,
            "picked": sorted(self.picked),
            "at": self.at,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Prompt:
        def choices(key: str) -> tuple[Choice, ...]:
            return tuple(Choice(str(label), str(action)) for label, action in data.get(key, []))  # type: ignore[attr-defined]

        thread = data.get("thread")
        return cls(
            room_id=str(data["room"]),
            asker=str(data["asker"]),
            choices=choices("choices"),
            feedback=choices("feedback"),
            thread=str(thread) if thread else None,
            picked=set(data.get("picked", [])),  # type: ignore[call-overload]
            at=float(data.get("at") or 0.0),  # type: ignore[arg-type]
        )


@dataclass
class _RoomPrompts:
    next_slot: int = 0
    prompts: OrderedDict[str, tuple[int, Prompt]] = field(default_factory=OrderedDict)
    """Event id → (sequence number, prompt), oldest first; the slot is the number modulo the size."""


class Journal:
    """Handled events and offered prompts, each write small.

    Only the events of the batch being handled need to survive a crash (older ones lie before
    the stored sync token and are never delivered again), so the durable list restarts with each
    batch. Each room's prompts go to a ring of `prompts_per_room` slots, one key each, loaded when
    the room is first touched; remembering one prompt writes one small value.
    """

    def __init__(
        self,
        state: PlatformState,
        *,
        max_recent: int = 2000,
        prompts_per_room: int = 500,
        prompt_days: float = 90.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._state = state
        self._max_recent = max_recent
        self._per_room = prompts_per_room
        self._max_age_s = prompt_days * 86400
        self._clock = clock
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._batch: list[str] = []
        self._rooms: dict[str, _RoomPrompts] = {}
        self._legacy: dict[str, Prompt] = {}
        self._sent: OrderedDict[str, None] = OrderedDict()
        self._loading = asyncio.Lock()
        self._writing = asyncio.Lock()

    @property
    def state(self) -> PlatformState:
        return self._state

    async def load(self) -> None:
        handled = await self._state.get(KEY_HANDLED)
        if handled:
            self._recent = OrderedDict.fromkeys(json.loads(handled))
        for slot in range(LEGACY_SLOTS):
            stored = await self._state.get(f"{KEY_PROMPT}{slot}")
            if stored:
                data = json.loads(stored)
                self._legacy[data["event"]] = Prompt.from_json(data)

    def was_handled(self, event_id: str) -> bool:
        return event_id in self._recent

    async def mark_handled(self, event_id: str) -> None:
        async with self._writing:
            self._batch.append(event_id)
            await self._state.put(KEY_HANDLED, json.dumps(self._batch))
        self._recent[event_id] = None
        while len(self._recent) > self._max_recent:
            self._recent.popitem(last=False)

    def batch_done(self) -> None:
        """The batch's sync token is stored: its events will not come again."""
        self._batch = []

    def remember_sent(self, event_id: str) -> None:
        """Lotse's own messages, to recognise replies to them without asking the homeserver."""
        self._sent[event_id] = None
        while len(self._sent) > self._max_recent:
            self._sent.popitem(last=False)

    def sent_by_lotse(self, event_id: str) -> bool:
        return event_id in self._sent

    async def prompt(self, room_id: str, event_id: str) -> Prompt | None:
        entry = (await self._room(room_id)).prompts.get(event_id)
        prompt = entry[1] if entry else self._legacy.get(event_id)
        return prompt if prompt is not None and prompt.room_id == room_id and self._fresh(prompt) else None

    async def latest_prompt_with_choices(self, room_id: str, asker: str) -> Prompt | None:
        """The newest open "did you mean" offered to `asker` in `room_id`, if any."""
        for _seq, prompt in reversed((await self._room(room_id)).prompts.values()):
            if prompt.choices and self._fresh(prompt):
                return prompt if prompt.asker == asker else None
        return None

    async def remember_prompt(self, event_id: str, prompt: Prompt) -> None:
        if not prompt.at:
            prompt.at = self._clock()
        room = await self._room(prompt.room_id)
        seq = room.next_slot
        while len(room.prompts) >= self._per_room:
            room.prompts.popitem(last=False)
        room.prompts[event_id] = (seq, prompt)
        room.next_slot = seq + 1
        self._sent[event_id] = None
        await self._save(event_id, prompt)
        await self._state.put(f"{KEY_NEXT_SLOT}:{prompt.room_id}", str(room.next_slot))

    async def mark_picked(self, event_id: str, prompt: Prompt, token: str) -> bool:
        """Record that `token` (person and kind) acted on the prompt; False if it already had."""
        if token in prompt.picked:
            return False
        prompt.picked.add(token)
        if event_id in (await self._room(prompt.room_id)).prompts:
            await self._save(event_id, prompt)
        return True

    def _fresh(self, prompt: Prompt) -> bool:
        return not prompt.at or self._clock() - prompt.at <= self._max_age_s

    async def _room(self, room_id: str) -> _RoomPrompts:
        """The room's prompts, read from the platform state the first time the room is touched."""
        if (known := self._rooms.get(room_id)) is not None:
            return known
        async with self._loading:
            if (known := self._rooms.get(room_id)) is not None:
                return known
            room = _RoomPrompts(int(await self._state.get(f"{KEY_NEXT_SLOT}:{room_id}") or 0))
            slots: list[tuple[int, str, Prompt]] = []
            for seq in range(max(0, room.next_slot - self._per_room), room.next_slot):
                stored = await self._state.get(self._key(room_id, seq))
                if stored:
                    data = json.loads(stored)
                    slots.append((int(data["seq"]), data["event"], Prompt.from_json(data)))
            for seq, event_id, prompt in sorted(slots, key=lambda item: item[0]):
                if self._fresh(prompt):
                    room.prompts[event_id] = (seq, prompt)
                    self._sent[event_id] = None
            self._rooms[room_id] = room
            return room

    def _key(self, room_id: str, seq: int) -> str:
        return f"{KEY_PROMPT}{room_id}:{seq % self._per_room}"

    async def _save(self, event_id: str, prompt: Prompt) -> None:
        seq, _ = (await self._room(prompt.room_id)).prompts[event_id]
        data = {"event": event_id, "seq": seq, **prompt.to_json()}
        await self._state.put(self._key(prompt.room_id, seq), json.dumps(data, ensure_ascii=False))
