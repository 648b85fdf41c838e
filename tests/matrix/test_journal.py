"""The journal: prompts kept per room across a restart, handled events per batch."""

from __future__ import annotations

from adapters.matrix.journal import Journal, Prompt
from bot.messages import Choice
from tests.matrix.conftest import MemoryState

DAY_S = 86400.0


def offered(room: str, n: int) -> Prompt:
    return Prompt(room, "@a", choices=(Choice(f"C{n}", f"c{n}"),))


async def test_prompts_survive_a_restart_and_the_oldest_of_a_room_are_overwritten() -> None:
    state = MemoryState()
    journal = Journal(state, prompts_per_room=3)
    for n in range(5):
        await journal.remember_prompt(f"$p{n}", offered("!r", n))
    prompt = await journal.prompt("!r", "$p4")
    assert prompt is not None and await journal.mark_picked("$p4", prompt, "@a choice")

    reloaded = Journal(state, prompts_per_room=3)
    await reloaded.load()

    assert [await reloaded.prompt("!r", f"$p{n}") is not None for n in range(5)] == [False, False, True, True, True]
    again = await reloaded.prompt("!r", "$p4")
    assert again is not None and again.picked == {"@a choice"}
    latest = await reloaded.latest_prompt_with_choices("!r", "@a")
    assert latest is not None and latest.choices[0].action == "c4"
    assert reloaded.sent_by_lotse("$p3")
    assert len([key for key in state.values if key.startswith("prompt:")]) == 3


async def test_a_busy_room_does_not_push_out_a_quiet_rooms_prompts() -> None:
    state = MemoryState()
    journal = Journal(state, prompts_per_room=500)
    await journal.remember_prompt("$quiet", offered("!quiet", 0))
    for n in range(600):
        await journal.remember_prompt(f"$busy{n}", offered("!busy", n))

    reloaded = Journal(state, prompts_per_room=500)
    await reloaded.load()

    assert await reloaded.prompt("!quiet", "$quiet") is not None
    assert await reloaded.prompt("!busy", "$busy99") is None
    assert await reloaded.prompt("!busy", "$busy100") is not None


async def test_prompts_older_than_the_retention_no_longer_count() -> None:
    now = [1_000_000.0]
    journal = Journal(MemoryState(), prompt_days=90, clock=lambda: now[0])
    await journal.remember_prompt("$old", offered("!r", 0))

    now[0] += 89 * DAY_S
    kept = await journal.prompt("!r", "$old")
    now[0] += 2 * DAY_S

    assert kept is not None
    assert await journal.prompt("!r", "$old") is None


async def test_a_prompt_answers_only_in_its_own_room() -> None:
    journal = Journal(MemoryState())
    await journal.remember_prompt("$p", offered("!r", 0))

    assert await journal.prompt("!elsewhere", "$p") is None


async def test_handled_events_are_kept_for_the_unfinished_batch_only() -> None:
    state = MemoryState()
    journal = Journal(state)
    await journal.mark_handled("$a")
    journal.batch_done()
    await journal.mark_handled("$b")

    reloaded = Journal(state)
    await reloaded.load()

    assert state.values["handled_events"] == '["$b"]'
    assert reloaded.was_handled("$b")
    assert journal.was_handled("$a")
