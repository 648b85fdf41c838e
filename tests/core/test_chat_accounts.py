"""One instance per chat account: a second instance on the same Telegram bot stands by, then takes over."""

import asyncio

from bot.composition import Lotse, assemble, chat_accounts, run
from bot.health import HealthRecords, State
from tests.support.core import FakeClock, eventually, sample_settings
from tests.support.telegram_api import FakeBotApi, running_api, settings_for


def telegram_state(lotse: Lotse) -> State | None:
    return next((part.state for part in lotse.health.current() if part.component == "telegram"), None)


async def answers(api: FakeBotApi, chat: int) -> int:
    await asyncio.sleep(0.5)
    return len(api.sent(chat))


async def test_a_second_instance_on_the_same_bot_stands_by_and_takes_over_when_the_first_stops(
    database_url: str,
) -> None:
    async with running_api() as api:
        settings = sample_settings(database_url, telegram=settings_for(api), lease={"seconds": 10})
        first, second = await assemble(settings, FakeClock()), await assemble(settings, FakeClock())
        try:
            first_run = asyncio.create_task(run(first, chat_accounts(first)))
            await eventually(lambda: telegram_state(first) is State.RUNNING, "the first instance polling")
            second_run = asyncio.create_task(run(second, chat_accounts(second)))
            await eventually(lambda: telegram_state(second) is State.STANDBY, "the second instance standing by")
            await api.user_says("/help")
            await api.wait_for("sendMessage")
            assert await answers(api, 1001) == 1, "only one instance polls, so the message is answered once"

            first_run.cancel()
            await asyncio.gather(first_run, return_exceptions=True)
            await eventually(lambda: telegram_state(second) is State.RUNNING, "the take-over")
            await api.user_says("/start")
            await api.wait_for("sendMessage", count=2, within=10)
            assert await answers(api, 1001) == 2

            parts = await HealthRecords(second.database, second.clock).current()
            states = {(part.instance, part.health.component): part.health.state for part in parts}
            assert states[(first.instance, "telegram")] is State.STOPPED
            assert states[(second.instance, "telegram")] is State.RUNNING
            second_run.cancel()
            await asyncio.gather(second_run, return_exceptions=True)
        finally:
            await first.close()
            await second.close()
