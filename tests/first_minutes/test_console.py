"""The terminal chat in the first minutes (issue 14): it greets, says how to rate, pick and quit,
numbers pick only from the latest choices, and each terminal shows only its own person's messages."""

import asyncio
import io

import pytest

from adapters.console import ConsolePlatform
from bot.composition import Lotse
from bot.messages import ChatId, RecipientElsewhere, Reply
from bot.texts import say
from tests.support.core import FakeClock


async def chat(lotse: Lotse, lines: str, user: str = "anna", clock: FakeClock | None = None,
               greeting: str = "") -> str:
    output = io.StringIO()
    console = ConsolePlatform(user=user, reader=io.StringIO(lines), writer=output, greeting=greeting,
                              clock=clock or lotse.clock)
    await console.start(lotse.conversation)
    await asyncio.wait_for(console.wait_stopped(), timeout=60)
    return output.getvalue()


async def test_the_console_greets_names_help_and_how_to_quit(lotse: Lotse) -> None:
    out = await chat(lotse, "", greeting=say("console-greeting", "de"))
    assert out.startswith("Hallo, ich bin Lotse.")
    assert "/help zeigt, was ich kann" in out and "/quit oder Strg-D beendet den Chat" in out


async def test_help_in_the_terminal_explains_rating_and_picking(lotse: Lotse) -> None:
    out = await chat(lotse, "/help\n")
    assert "Eine Auswahl treffen Sie mit ihrer Nummer" in out
    assert "mit + (hilfreich) oder - (nicht hilfreich)" in out


async def test_quit_ends_the_chat(lotse: Lotse) -> None:
    out = await chat(lotse, "/quit\n/help\n")
    assert out == ""


async def test_a_message_for_another_console_user_is_not_printed_here(lotse: Lotse) -> None:
    output = io.StringIO()
    console = ConsolePlatform(user="anna", reader=io.StringIO(""), writer=output)
    with pytest.raises(RecipientElsewhere):
        await console.send(ChatId("console:bob"), Reply("Möchten Sie jemanden kennenlernen?"))
    assert output.getvalue() == ""
    await console.send(ChatId("console:anna"), Reply("Für Anna"))
    assert "Für Anna" in output.getvalue()


class SlowTyping(io.StringIO):
    """A member who comes back to the terminal half an hour after the first line."""

    def __init__(self, text: str, clock: FakeClock) -> None:
        super().__init__(text)
        self._clock = clock
        self._lines = 0

    def readline(self, size: int = -1, /) -> str:  # type: ignore[override]
        self._lines += 1
        if self._lines == 2:
            self._clock.advance(minutes=31)
        return super().readline(size)


async def test_a_number_half_an_hour_later_picks_nothing(lotse: Lotse, clock: FakeClock) -> None:
    output = io.StringIO()
    console = ConsolePlatform(user="anna", reader=SlowTyping("Fördermittel beantragen\n1\n", clock), writer=output,
                              clock=clock)
    await console.start(lotse.conversation)
    await asyncio.wait_for(console.wait_stopped(), timeout=60)
    assert output.getvalue().rstrip().endswith("Ich habe Ihnen gerade keine Auswahl angeboten. "
                                               "Stellen Sie Ihre Frage gern in Worten.")


async def test_a_bare_number_answers_the_numbered_list_of_the_profile(lotse: Lotse) -> None:
    out = await chat(lotse, "/profile\n1\n3\n2\n")
    assert "\n1. IT-Sicherheit\n2. Barrierefreiheit\n" in out
    assert out.rstrip().endswith("4/6 Wobei können Sie anderen helfen? Gleiche Liste, oder - für nichts.")


async def test_an_out_of_range_number_says_so(lotse: Lotse) -> None:
    out = await chat(lotse, "Fördermittel beantragen\n9\n")
    assert out.rstrip().endswith("Eine Auswahl 9 gibt es nicht. Bitte antworten Sie mit einer Zahl von 1 bis 3.")
