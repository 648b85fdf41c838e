"""The terminal chat: the same conversation as any platform, rendered as plain text."""

import asyncio
import io

from adapters.console import ConsolePlatform
from bot.composition import Lotse
from bot.messages import ChatId
from tests.core.test_conversation import ask_for_choices


async def chat(lotse: Lotse, lines: str) -> str:
    output = io.StringIO()
    console = ConsolePlatform(user="anna", reader=io.StringIO(lines), writer=output)
    await console.initialize()
    await console.start(lotse.conversation)
    await asyncio.wait_for(console.wait_stopped(), timeout=30)
    await console.stop()
    await console.shutdown()
    return output.getvalue()


async def test_choices_are_numbered_and_picked_by_number(lotse: Lotse) -> None:
    out = await chat(lotse, "Fördermittel beantragen\n2\n")
    assert "  1) " in out and "  3) Nichts davon" in out
    assert out.count("**") == 0
    assert "[+] 👍   [-] 👎" in out


async def test_plus_rates_the_last_answer(lotse: Lotse) -> None:
    out = await chat(lotse, "PDF barrierefrei machen\n+\n")
    assert out.rstrip().endswith("Danke für Ihre Rückmeldung!")


async def test_blank_lines_are_skipped_and_the_chat_ends_with_its_input(lotse: Lotse) -> None:
    out = await chat(lotse, "\n\n/lang en\n")
    assert out.strip() == "All right, I will answer you in English from now on."


async def test_a_number_picks_a_choice_lotse_sent_on_its_own(lotse: Lotse) -> None:
    output = io.StringIO()
    console = ConsolePlatform(user="anna", reader=io.StringIO("1\n"), writer=output)
    prompt = await ask_for_choices(lotse)
    await console.send(ChatId("console:anna"), prompt)
    await console.start(lotse.conversation)
    await asyncio.wait_for(console.wait_stopped(), timeout=30)
    after_prompt = output.getvalue().split("  3) Nichts davon\n\n", 1)[1]
    assert after_prompt.startswith(f"{prompt.choices[0].label}\n\n")
