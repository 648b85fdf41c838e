"""A new member's first session in the terminal, scripted (issue 14): they greet, ask five questions
(one off-topic), build a profile with a mistake at each step, rate an answer, change the language,
ask for their data and quit. The transcript must match `first_session.expected.txt` line by line."""

import asyncio
import io
from pathlib import Path

from adapters.console import ConsolePlatform
from bot.composition import Lotse
from bot.texts import say

EXPECTED = Path(__file__).with_name("first_session.expected.txt")

SESSION = [
    "hallo",
    "Wie erstelle ich ein barrierefreies PDF?",
    "+",
    "Fördermittel beantragen",
    "7",
    "2",
    "Wann fährt der letzte Bus nach Hause?",
    "/profile",
    "Bäckerei",
    "1",
    "Wie beantrage ich Fördermittel?",
    "3",
    "42",
    "2, 3",
    "99",
    "Tabellenkalkulation",
    "Klingonisch",
    "3",
    "vielleicht",
    "1",
    "Wie richten wir Zwei-Faktor-Authentisierung ein?",
    "/lang en",
    "Which video conferencing tool should we use?",
    "-",
    "/mydata",
    "/quit",
    "Nach dem Ende liest niemand mehr mit.",
]


async def transcript(lotse: Lotse) -> list[str]:
    """What the member sees, with each line they typed after a `> ` as a terminal would show it."""
    typed = io.StringIO("".join(line + "\n" for line in SESSION))
    shown = io.StringIO()
    console = ConsolePlatform(user="neu", reader=_Echoing(typed, shown), writer=shown,
                              greeting=say("console-greeting", "de"), clock=lotse.clock)
    await console.start(lotse.conversation)
    await asyncio.wait_for(console.wait_stopped(), timeout=120)
    return shown.getvalue().splitlines()


class _Echoing(io.StringIO):
    """Reads the scripted lines and writes each to the transcript, as the terminal echoes typing."""

    def __init__(self, source: io.StringIO, transcript: io.StringIO) -> None:
        super().__init__()
        self._source = source
        self._transcript = transcript

    def readline(self, size: int = -1, /) -> str:  # type: ignore[override]
        line = self._source.readline(size)
        if line:
            self._transcript.write(f"> {line}")
        return line


async def test_the_first_session_reads_as_expected(lotse: Lotse) -> None:
    actual = await transcript(lotse)
    expected = EXPECTED.read_text(encoding="utf-8").splitlines()
    for number, (got, wanted) in enumerate(zip(actual, expected, strict=False), start=1):
        assert got == wanted, f"line {number} of {EXPECTED.name}"
    assert len(actual) == len(expected), f"{len(actual)} lines, expected {len(expected)}"
