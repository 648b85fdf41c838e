"""What Lotse must remember across restarts: handled events and the choices it offered.

Both live in the platform state as small, bounded JSON values. Handled event ids make a batch that is
delivered again after a crash harmless; the offered choices let a keycap or 👍/👎 reaction on an
older message still mean something after a restart. The sync token itself is stored by the sync
loop, after the batch's events went through here.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field

from bot.messages import Choice, PlatformState

KEY_HANDLED = "handled_events"
KEY_PROMPT = "prompt:"
KEY_NEXT_SLOT = "prompt_next"


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

    def to_json(self) -> dict[str, object]:
        return {
            "room": self.room_id,
            "asker": self.asker,
            "choices": [[c.label, c.action] for c in self.choices],
            "feedback": [[c.label, c.action] for c in self.feedback],
            "thread": self.thread,
            "picked": sorted(self.picked),
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
        )


class Journal:
    """Handled events and offered prompts, each write small.

    Only the events of the batch being handled need to survive a crash (older ones lie before
    the stored sync token and are never delivered again), so the durable list restarts with each
    batch. Prompts go to a ring of `max_prompts` slots, one key each, so remembering one prompt
    writes one small value, and the oldest prompt is the one overwritten.
    """

    def __init__(self, state: PlatformState, *, max_recent: int = 2000, max_prompts: int = 200) -> None:
        self._state = state
        self._max_recent = max_recent
        self._max_prompts = max_prompts
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._batch: list[str] = []
        self._prompts: OrderedDict[str, tuple[int, Prompt]] = OrderedDict()
        """Event id → (sequence number, prompt); the slot is the sequence number modulo the size."""
        self._next_slot = 0
        self._sent: OrderedDict[str, None] = OrderedDict()

    @property
    def state(self) -> PlatformState:
        return self._state

    async def load(self) -> None:
        handled = await self._state.get(KEY_HANDLED)
        if handled:
            self._recent = OrderedDict.fromkeys(json.loads(handled))
        self._next_slot = int(await self._state.get(KEY_NEXT_SLOT) or 0)
        slots: list[tuple[int, str, Prompt]] = []
        for slot in range(self._max_prompts):
            stored = await self._state.get(f"{KEY_PROMPT}{slot}")
            if stored:
                data = json.loads(stored)
                slots.append((int(data["seq"]), data["event"], Prompt.from_json(data)))
        for seq, event_id, prompt in sorted(slots, key=lambda item: item[0]):
            self._prompts[event_id] = (seq, prompt)
            self._sent[event_id] = None

    def was_handled(self, event_id: str) -> bool:
        return event_id in self._recent

    async def mark_handled(self, event_id: str) -> None:
        self._recent[event_id] = None
        while len(self._recent) > self._max_recent:
            self._recent.popitem(last=False)
        self._batch.append(event_id)
        await self._state.put(KEY_HANDLED, json.dumps(self._batch))

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

    def prompt(self, event_id: str) -> Prompt | None:
        entry = self._prompts.get(event_id)
        return entry[1] if entry else None

    def latest_prompt_with_choices(self, room_id: str, asker: str) -> Prompt | None:
        """The newest open "did you mean" offered to `asker` in `room_id`, if any."""
        for _seq, prompt in reversed(self._prompts.values()):
            if prompt.room_id == room_id and prompt.choices:
                return prompt if prompt.asker == asker else None
        return None

    async def remember_prompt(self, event_id: str, prompt: Prompt) -> None:
        seq = self._next_slot
        while len(self._prompts) >= self._max_prompts:
            self._prompts.popitem(last=False)
        self._prompts[event_id] = (seq, prompt)
        self._next_slot = seq + 1
        await self._save(event_id)
        await self._state.put(KEY_NEXT_SLOT, str(self._next_slot))

    async def mark_picked(self, event_id: str, prompt: Prompt, token: str) -> bool:
        """Record that `token` (person and kind) acted on the prompt; False if it already had."""
        if token in prompt.picked:
            return False
        prompt.picked.add(token)
        await self._save(event_id)
        return True

    async def _save(self, event_id: str) -> None:
        seq, prompt = self._prompts[event_id]
        data = {"event": event_id, "seq": seq, **prompt.to_json()}
        await self._state.put(f"{KEY_PROMPT}{seq % self._max_prompts}", json.dumps(data, ensure_ascii=False))
