"""The journal: prompts in a bounded ring that survives a restart, handled events per batch."""

from __future__ import annotations

from adapters.matrix.journal import Journal, Prompt
from bot.messages import Choice
from tests.matrix.conftest import MemoryState


async def test_prompts_survive_a_restart_and_the_oldest_are_overwritten() -> None:
    state = MemoryState()
    journal = Journal(state, max_prompts=3)
    for n in range(5):
        await journal.remember_prompt(f"$p{n}", Prompt("!r", "@a", choices=(Choice(f"C{n}", f"c{n}"),)))
    assert await journal.mark_picked("$p4", journal.prompt("$p4"), "@a choice")  # type: ignore[arg-type]

    reloaded = Journal(state, max_prompts=3)
    await reloaded.load()

    assert [reloaded.prompt(f"$p{n}") is not None for n in range(5)] == [False, False, True, True, True]
    assert reloaded.prompt("$p4").picked == {"@a choice"}  # type: ignore[union-attr]
    assert reloaded.latest_prompt_with_choices("!r", "@a").choices[0].action == "c4"  # type: ignore[union-attr]
    assert reloaded.sent_by_lotse("$p3")
    assert len([key for key in state.values if key.startswith("prompt:")]) == 3


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
